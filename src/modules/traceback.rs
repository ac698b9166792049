//! The `traceback` module: an exception's report as text, the same text toy prints for an
//! uncaught exception (`vm::traceback`). `print_exc`, `format_exc`, `print_exception` and
//! `format_exception` in their Python 3.10+ forms (the exception as the one argument; the
//! old `(type, value, tb)` form is accepted and uses `value`).

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("format_exception", format_exception),
        ("print_exception", print_exception),
        ("format_exc", format_exc),
        ("print_exc", print_exc),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
}

/// The exception an argument list names: `(exc)` or `(type, value, tb)`.
fn exception_arg(name: &str, args: &[Value]) -> ToyResult<Value> {
    args::count(name, args, 1, 3)?;
    let exc = if args.len() >= 2 { &args[1] } else { &args[0] };
    if !exc.is_none() && !exc.class().is_subtype(&types().exceptions.base_exception) {
        return Err(Exc::type_error(format!(
            "Exception expected for value, {} found",
            exc.type_name()
        )));
    }
    Ok(exc.clone())
}

/// The report for `exc`; CPython's `NoneType: None` line when there is none.
fn report(vm: &mut Vm, exc: &Value) -> String {
    if exc.is_none() {
        "NoneType: None\n".to_string()
    } else {
        vm.format_exception(exc)
    }
}

/// Write to `file` (anything with `write`), or to stderr after flushing stdout.
fn emit(vm: &mut Vm, file: Option<Value>, text: String) -> ToyResult<Value> {
    match file.filter(|f| !f.is_none()) {
        Some(f) => {
            let write = vm.get_attr(&f, &crate::objects::str::intern("write"))?;
            vm.call(&write, vec![Value::str(&text)], Vec::new())?;
        }
        None => {
            use std::io::Write;
            vm.flush_stdout();
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(text.as_bytes());
            let _ = err.flush();
        }
    }
    Ok(Value::None)
}

/// The report as a list of lines, each ending in a newline.
fn lines(text: &str) -> Value {
    Value::list(text.split_inclusive('\n').map(Value::str).collect())
}

fn format_exception(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::keywords("format_exception", kw, &["limit", "chain"])?;
    let exc = exception_arg("format_exception", args)?;
    Ok(lines(&report(vm, &exc)))
}

fn print_exception(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [_, _, file] = args::keywords("print_exception", kw, &["limit", "chain", "file"])?
        .try_into()
        .unwrap_or_default();
    let exc = exception_arg("print_exception", args)?;
    let text = report(vm, &exc);
    emit(vm, file, text)
}

/// `format_exc()`: the report of the exception being handled.
fn format_exc(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::keywords("format_exc", kw, &["limit", "chain"])?;
    args::count("format_exc", args, 0, 1)?;
    let exc = vm.handled.clone();
    Ok(Value::str(&report(vm, &exc)))
}

fn print_exc(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [_, _, file] = args::keywords("print_exc", kw, &["limit", "chain", "file"])?
        .try_into()
        .unwrap_or_default();
    args::count("print_exc", args, 0, 1)?;
    let exc = vm.handled.clone();
    let text = report(vm, &exc);
    emit(vm, file, text)
}
