//! The methods and attributes of text files (`_io.TextIOWrapper`): argument checking with
//! CPython's messages around the operations of `file.rs`.

use std::sync::{Arc, OnceLock};

use super::class::add_read_only_properties;
use super::file::{closed_error, FileObject, TextFile};
use super::function::NativeFn;
use super::int::index_of;
use super::{Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// The class of file objects: `<class '_io.TextIOWrapper'>`.
pub fn file_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let methods: &[(&'static str, NativeFn)] = &[
            ("read", read),
            ("readline", readline),
            ("readlines", readlines),
            ("write", write),
            ("writelines", writelines),
            ("flush", flush),
            ("seek", seek),
            ("tell", tell),
            ("truncate", truncate),
            ("__next__", next),
            ("__repr__", repr),
        ];
        let methods: Vec<(&'static str, NativeFn)> = methods
            .iter()
            .chain(super::file_common_methods::SHARED_METHODS)
            .copied()
            .collect();
        let t = TypeObj::new_native("TextIOWrapper", "_io", no_new, &methods);
        let properties: &[(&'static str, NativeFn)] = &[
            ("closed", closed),
            ("name", name),
            ("mode", mode),
            ("encoding", encoding),
            ("errors", errors),
            ("line_buffering", line_buffering),
        ];
        add_read_only_properties(&t, properties);
        t
    })
}

/// A file object around `file`.
pub fn new_file(file: TextFile) -> Value {
    super::Instance::native(file_type(), file)
}

/// Toy makes file objects only through `open()` (`io.TextIOWrapper(buffer)` is not there).
fn no_new(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Err(Exc::type_error(
        "cannot create 'TextIOWrapper' instances: use open()",
    ))
}

/// The file behind a method's receiver.
fn this(args: &[Value]) -> ToyResult<&TextFile> {
    super::file_common_methods::receiver(args, "'_io.TextIOWrapper' object")
}

/// The receiver of a method taking no arguments.
fn this_alone<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a TextFile> {
    super::file_common_methods::no_arguments(name, args, kw)?;
    this(args)
}

/// A size argument: an int, where negative or `None` means "no limit".
fn size_arg(args: &[Value]) -> ToyResult<Option<usize>> {
    match args.get(1) {
        None | Some(Value::None) => Ok(None),
        Some(v) if v.is_int_like() => {
            let n = index_of(v)?;
            Ok(usize::try_from(n).ok())
        }
        Some(other) => Err(Exc::type_error(format!(
            "argument should be integer or None, not '{}'",
            other.type_name()
        ))),
    }
}

fn read(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("read", kw)?;
    args::count("read", &args[args.len().min(1)..], 0, 1)?;
    let f = this(args)?;
    let size = size_arg(args)?;
    Ok(Value::string(f.read(vm, size)?))
}

fn readline(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("readline", kw)?;
    args::count("readline", &args[args.len().min(1)..], 0, 1)?;
    let f = this(args)?;
    let size = size_arg(args)?;
    Ok(Value::string(f.readline(vm, size)?))
}

/// `f.readlines(hint=-1)`: the lines left; with a positive hint, stop once the lines read
/// hold more than that many characters (as CPython's `IOBase.readlines`).
fn readlines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("readlines", kw)?;
    args::count("readlines", &args[args.len().min(1)..], 0, 1)?;
    let f = this(args)?;
    let hint = size_arg(args)?.filter(|&h| h > 0);
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let line = f.readline(vm, None)?;
        if line.is_empty() {
            break;
        }
        total += line.chars().count();
        lines.push(Value::string(line));
        if hint.is_some_and(|h| total > h) {
            break;
        }
    }
    Ok(Value::list(lines))
}

fn write(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("write", kw)?;
    args::count("write", &args[args.len().min(1)..], 1, 1)?;
    let f = this(args)?;
    let text = args::expect_str("write", &args[1])?;
    f.write(vm, text.as_str())?;
    Ok(Value::Int(text.char_len() as i64))
}

/// `f.writelines(lines)`: each item must be a str; no line ends are added.
fn writelines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("writelines", kw)?;
    args::count("writelines", &args[args.len().min(1)..], 1, 1)?;
    let f = this(args)?;
    if f.is_closed(vm) {
        return Err(closed_error());
    }
    let it = vm.get_iter(&args[1])?;
    while let Some(item) = vm.next(&it)? {
        let text = args::expect_str("write", &item)?;
        f.write(vm, text.as_str())?;
    }
    Ok(Value::None)
}

fn flush(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    this_alone("flush", args, kw)?.flush(vm)?;
    Ok(Value::None)
}

/// `f.seek(cookie, whence=0)`.
fn seek(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("seek", kw)?;
    args::count("seek", &args[args.len().min(1)..], 1, 2)?;
    let f = this(args)?;
    let int = |v: &Value| -> ToyResult<i64> {
        if v.is_int_like() {
            index_of(v)
        } else {
            Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                v.type_name()
            )))
        }
    };
    let offset = int(&args[1])?;
    let whence = match args.get(2) {
        Some(w) => int(w)?,
        None => 0,
    };
    Ok(Value::Int(f.seek(vm, offset, whence)? as i64))
}

fn tell(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this_alone("tell", args, kw)?.tell(vm)? as i64))
}

/// `f.truncate(size=None)`.
fn truncate(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("truncate", kw)?;
    args::count("truncate", &args[args.len().min(1)..], 0, 1)?;
    let f = this(args)?;
    let size = match args.get(1) {
        None | Some(Value::None) => None,
        Some(v) if v.is_int_like() => Some(index_of(v)?),
        Some(other) => {
            return Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    Ok(Value::Int(f.truncate(vm, size)? as i64))
}

fn next(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("__next__", args, kw)?;
    match f.next_line(vm)? {
        Some(line) => Ok(Value::string(line)),
        None => Err(Exc::stop_iteration(None)),
    }
}

/// `<_io.TextIOWrapper name='a.txt' mode='w' encoding='UTF-8'>`.
fn repr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("__repr__", args, kw)?;
    let name = vm.repr(&f.config.name)?;
    Ok(Value::string(format!(
        "<_io.TextIOWrapper name={name} mode='{}' encoding='{}'>",
        f.config.mode, f.config.encoding_name
    )))
}

fn closed(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(this(args)?.is_closed(vm)))
}

fn name(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(this(args)?.config.name.clone())
}

fn mode(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::str(&this(args)?.config.mode))
}

fn encoding(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::str(&this(args)?.config.encoding_name))
}

fn errors(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::str(&this(args)?.config.errors))
}

fn line_buffering(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(this(args)?.config.line_buffering))
}
