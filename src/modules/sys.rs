//! The `sys` module: argv, path, modules, recursion limit, reference counts, exit, and
//! the standard streams.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::args::{self, Kw};
use crate::objects::types::Instance;
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

pub fn init(vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, crate::objects::function::NativeFn)] = &[
        ("getrecursionlimit", getrecursionlimit),
        ("setrecursionlimit", setrecursionlimit),
        ("getrefcount", getrefcount),
        ("exit", exit),
        ("getcheckinterval", getcheckinterval),
        ("setcheckinterval", setcheckinterval),
        ("getswitchinterval", getswitchinterval),
        ("setswitchinterval", setswitchinterval),
        ("_is_gil_enabled", is_gil_enabled),
        ("exception", exception),
        ("exc_info", exc_info),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    let interp = vm.interp.clone();
    m.set_str(
        "argv",
        Value::list(interp.argv.iter().map(|a| Value::str(a)).collect()),
    );
    m.set_str("path", Value::List(interp.path.clone()));
    m.set_str("modules", Value::Dict(interp.modules.clone()));
    m.set_str(
        "version",
        Value::string(format!(
            "toy {} (Python 3.11 compatible)",
            env!("CARGO_PKG_VERSION")
        )),
    );
    m.set_str("maxsize", Value::Int(i64::MAX));
    m.set_str(
        "byteorder",
        Value::str(if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        }),
    );
    m.set_str("platform", Value::str(std::env::consts::OS));
    m.set_str(
        "executable",
        Value::string(
            std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
    );
    m.set_str("stdout", Instance::native(stream_type(), Stream::Stdout));
    m.set_str("stderr", Instance::native(stream_type(), Stream::Stderr));
}

/// `sys.stdout` / `sys.stderr`.
#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

fn stream_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        TypeObj::new_native(
            "TextIOWrapper",
            "_io",
            no_new,
            &[
                ("write", stream_write),
                ("flush", stream_flush),
                ("isatty", stream_isatty),
            ],
        )
    })
}

fn no_new(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let name = match args.first() {
        Some(Value::Type(t)) => t.name.to_string(),
        _ => "object".into(),
    };
    Err(Exc::type_error(format!("cannot create '{name}' instances")))
}

fn stream_of(v: &Value) -> ToyResult<Stream> {
    match v {
        Value::Instance(i) => i
            .native_ref::<Stream>()
            .copied()
            .ok_or_else(|| Exc::type_error("not a stream")),
        _ => Err(Exc::type_error("not a stream")),
    }
}

fn stream_write(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("write", kw)?;
    args::count("write", args, 2, 2)?;
    let stream = stream_of(&args[0])?;
    let Value::Str(s) = &args[1] else {
        return Err(Exc::type_error(format!(
            "write() argument must be str, not {}",
            args[1].type_name()
        )));
    };
    match stream {
        Stream::Stdout => vm.write_stdout(s.as_str())?,
        Stream::Stderr => {
            vm.flush_stdout();
            std::io::stderr()
                .write_all(s.as_str().as_bytes())
                .map_err(|e| Exc::os_error(e.to_string()))?;
        }
    }
    Ok(Value::Int(s.char_len() as i64))
}

fn stream_flush(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    match stream_of(&args[0])? {
        Stream::Stdout => vm.flush_stdout(),
        Stream::Stderr => {
            std::io::stderr().flush().ok();
        }
    }
    Ok(Value::None)
}

fn stream_isatty(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    use std::io::IsTerminal;
    Ok(Value::Bool(match stream_of(&args[0])? {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    }))
}

/// `sys.getcheckinterval()`: instructions between GIL switch checks.
fn getcheckinterval(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getcheckinterval", kw)?;
    args::count("getcheckinterval", args, 0, 0)?;
    Ok(Value::Int(vm.interp.gil.check_interval() as i64))
}

fn setcheckinterval(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("setcheckinterval", kw)?;
    args::count("setcheckinterval", args, 1, 1)?;
    let n = crate::objects::int::index_of(&args[0])?;
    if n < 1 || n > u32::MAX as i64 {
        return Err(Exc::value_error(format!(
            "check interval must be between 1 and {}",
            u32::MAX
        )));
    }
    vm.interp.gil.set_check_interval(n as u32);
    Ok(Value::None)
}

/// `sys.getswitchinterval()`: the time-based switch interval in seconds; 0.0 when switching
/// is by instruction count only (toy's default).
fn getswitchinterval(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getswitchinterval", kw)?;
    args::count("getswitchinterval", args, 0, 0)?;
    Ok(Value::Float(
        vm.interp
            .gil
            .switch_interval()
            .map_or(0.0, |d| d.as_secs_f64()),
    ))
}

fn setswitchinterval(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("setswitchinterval", kw)?;
    args::count("setswitchinterval", args, 1, 1)?;
    let secs = super::math::real(vm, &args[0])?;
    let d = std::time::Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Exc::value_error("switch interval must be strictly positive"))?;
    vm.interp.gil.set_switch_interval(Some(d));
    Ok(Value::None)
}

/// `sys._is_gil_enabled()`, as in CPython 3.13.
fn is_gil_enabled(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("_is_gil_enabled", kw)?;
    args::count("_is_gil_enabled", args, 0, 0)?;
    Ok(Value::Bool(vm.interp.gil.enabled))
}

fn getrecursionlimit(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getrecursionlimit", kw)?;
    args::count("getrecursionlimit", args, 0, 0)?;
    Ok(Value::Int(vm.recursion_limit() as i64))
}

fn setrecursionlimit(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("setrecursionlimit", kw)?;
    args::count("setrecursionlimit", args, 1, 1)?;
    let n = crate::objects::int::index_of(&args[0])?;
    if n < 1 {
        return Err(Exc::value_error(
            "recursion limit must be greater or equal than 1",
        ));
    }
    if (n as usize) < vm.frames.len() {
        return Err(Exc::recursion_error(format!(
            "cannot set the recursion limit to {n} at the recursion depth {}: the limit is too low",
            vm.frames.len()
        )));
    }
    vm.interp
        .recursion_limit
        .store(n as usize, std::sync::atomic::Ordering::Relaxed);
    Ok(Value::None)
}

/// The real reference count of a heap object (the argument itself holds one, as in
/// CPython). Unboxed values report a large constant, like CPython's immortal objects.
fn getrefcount(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getrefcount", kw)?;
    args::count("getrefcount", args, 1, 1)?;
    Ok(Value::Int(
        args[0].refcount().map_or(4_294_967_295, |c| c as i64),
    ))
}

/// `sys.exception()`: the exception being handled, or None.
fn exception(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("exception", kw)?;
    args::count("exception", args, 0, 0)?;
    Ok(vm.handled.clone())
}

/// `sys.exc_info()`: `(type, value, traceback)` of the exception being handled. Toy has
/// no traceback objects (the traceback lives inside the exception), so the third is None.
fn exc_info(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("exc_info", kw)?;
    args::count("exc_info", args, 0, 0)?;
    let exc = vm.handled.clone();
    if exc.is_none() {
        return Ok(Value::tuple(vec![Value::None, Value::None, Value::None]));
    }
    let class = Value::Type(exc.class().clone());
    Ok(Value::tuple(vec![class, exc, Value::None]))
}

fn exit(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("exit", kw)?;
    args::count("exit", args, 0, 1)?;
    Err(Exc::with_args(
        &types().exceptions.system_exit,
        args.to_vec(),
    ))
}
