//! The methods and attributes of binary files (`_io.BufferedReader`, `BufferedWriter`,
//! `BufferedRandom`, `FileIO`): argument checking with CPython's messages around the
//! operations of `binary_file.rs`.

use std::sync::{Arc, OnceLock};

use super::binary_file::{BinaryFile, BinaryKind};
use super::bytes::bytes_like;
use super::class::add_read_only_properties;
use super::file::{closed_error, FileObject};
use super::function::NativeFn;
use super::int::index_of;
use super::{Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// The class of binary files of one kind: `<class '_io.BufferedReader'>` and its siblings.
/// They share their methods; `peek` is a reader's only, `read1` a buffered file's, as in
/// CPython.
pub fn binary_type(kind: BinaryKind) -> &'static Arc<TypeObj> {
    static TYPES: [OnceLock<Arc<TypeObj>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    TYPES[kind as usize].get_or_init(|| {
        let mut methods: Vec<(&'static str, NativeFn)> = vec![
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
        methods.extend_from_slice(super::file_common_methods::SHARED_METHODS);
        match kind {
            BinaryKind::Raw => methods.push(("readall", readall)),
            BinaryKind::Writer => methods.push(("read1", read1)),
            BinaryKind::Reader | BinaryKind::Random => {
                methods.push(("read1", read1));
                methods.push(("peek", peek));
            }
        }
        let t = TypeObj::new_native(kind.class_name(), "_io", no_new, &methods);
        let properties: &[(&'static str, NativeFn)] =
            &[("closed", closed), ("name", name), ("mode", mode)];
        add_read_only_properties(&t, properties);
        t
    })
}

/// A file object around `file`.
pub fn new_binary_file(file: BinaryFile) -> Value {
    let kind = file.config.kind;
    super::Instance::native(binary_type(kind), file)
}

fn no_new(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Err(Exc::type_error(
        "cannot create binary file objects directly: use open()",
    ))
}

/// The file behind a method's receiver.
fn this(args: &[Value]) -> ToyResult<&BinaryFile> {
    super::file_common_methods::receiver(args, "binary file object")
}

/// The receiver of a method taking no arguments.
fn this_alone<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a BinaryFile> {
    super::file_common_methods::no_arguments(name, args, kw)?;
    this(args)
}

/// The receiver of a method taking at most one argument, and that argument.
fn this_and_one<'a>(
    name: &str,
    args: &'a [Value],
    kw: Kw,
) -> ToyResult<(&'a BinaryFile, Option<&'a Value>)> {
    args::no_kwargs(name, kw)?;
    args::count(name, &args[args.len().min(1)..], 0, 1)?;
    Ok((this(args)?, args.get(1)))
}

/// An int argument (`TypeError` for anything else).
fn int_arg(v: &Value) -> ToyResult<i64> {
    if v.is_int_like() {
        index_of(v)
    } else {
        Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        )))
    }
}

/// A size argument: an int, where negative or `None` means "no limit".
fn size_arg(v: Option<&Value>) -> ToyResult<Option<usize>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) if v.is_int_like() => Ok(usize::try_from(index_of(v)?).ok()),
        Some(other) => Err(Exc::type_error(format!(
            "argument should be integer or None, not '{}'",
            other.type_name()
        ))),
    }
}

fn read(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, size_value) = this_and_one("read", args, kw)?;
    let size = size_arg(size_value)?;
    // A buffered file takes -1 for "all", and no other negative size; `FileIO` takes any.
    if size.is_none() && f.config.kind != BinaryKind::Raw {
        if let Some(v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_))) = size_value {
            if index_of(v).map_or(true, |n| n < -1) {
                return Err(Exc::value_error("read length must be non-negative or -1"));
            }
        }
    }
    Ok(Value::bytes(f.read(vm, size)?))
}

/// `FileIO.readall()`: everything left.
fn readall(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::bytes(
        this_alone("readall", args, kw)?.read(vm, None)?,
    ))
}

fn read1(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, size) = this_and_one("read1", args, kw)?;
    let size = size_arg(size)?;
    Ok(Value::bytes(f.read1(vm, size, true)?))
}

/// `f.peek(size=0)`: the buffered bytes, reading from the OS only when there are none (the
/// size is a hint CPython ignores too).
fn peek(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, size) = this_and_one("peek", args, kw)?;
    if let Some(v) = size {
        int_arg(v)?;
    }
    Ok(Value::bytes(f.read1(vm, None, false)?))
}

fn readline(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, size) = this_and_one("readline", args, kw)?;
    let size = size_arg(size)?;
    Ok(Value::bytes(f.readline(vm, size)?))
}

/// `f.readlines(hint=-1)`: the lines left; with a positive hint, stop once the lines read
/// hold more than that many bytes.
fn readlines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, hint) = this_and_one("readlines", args, kw)?;
    let hint = size_arg(hint)?.filter(|&h| h > 0);
    if f.is_closed(vm) {
        return Err(closed_error());
    }
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let line = f.readline(vm, None)?;
        if line.is_empty() {
            break;
        }
        total += line.len();
        lines.push(Value::bytes(line));
        if hint.is_some_and(|h| total > h) {
            break;
        }
    }
    Ok(Value::list(lines))
}

/// `f.write(data)`: returns the number of bytes written.
fn write(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("write", kw)?;
    args::count("write", &args[args.len().min(1)..], 1, 1)?;
    let f = this(args)?;
    let data = bytes_like(&args[1])?;
    f.write(vm, data)?;
    Ok(Value::Int(data.len() as i64))
}

/// `f.writelines(lines)`: each item must be bytes; no line ends are added.
fn writelines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("writelines", kw)?;
    args::count("writelines", &args[args.len().min(1)..], 1, 1)?;
    let f = this(args)?;
    if f.is_closed(vm) {
        return Err(closed_error());
    }
    let it = vm.get_iter(&args[1])?;
    while let Some(item) = vm.next(&it)? {
        f.write(vm, bytes_like(&item)?)?;
    }
    Ok(Value::None)
}

fn flush(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    this_alone("flush", args, kw)?.flush(vm)?;
    Ok(Value::None)
}

/// `f.seek(offset, whence=0)`.
fn seek(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("seek", kw)?;
    args::count("seek", &args[args.len().min(1)..], 1, 2)?;
    let f = this(args)?;
    let offset = int_arg(&args[1]).map_err(|e| {
        if args[1].is_int_like() {
            Exc::value_error("cannot fit 'int' into an offset-sized integer")
        } else {
            e
        }
    })?;
    let whence = match args.get(2) {
        Some(w) => int_arg(w)?,
        None => 0,
    };
    Ok(Value::Int(f.seek(vm, offset, whence)? as i64))
}

fn tell(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this_alone("tell", args, kw)?.tell(vm)? as i64))
}

/// `f.truncate(size=None)`.
fn truncate(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (f, size) = this_and_one("truncate", args, kw)?;
    let size = match size {
        None | Some(Value::None) => None,
        Some(v) => Some(int_arg(v)?),
    };
    Ok(Value::Int(f.truncate(vm, size)? as i64))
}

fn next(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("__next__", args, kw)?;
    match f.next_line(vm)? {
        Some(line) => Ok(Value::bytes(line)),
        None => Err(Exc::stop_iteration(None)),
    }
}

/// `<_io.BufferedReader name='a.bin'>`; `<_io.FileIO name='a.bin' mode='rb' closefd=True>`
/// (`<_io.FileIO [closed]>` once closed).
fn repr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("__repr__", args, kw)?;
    let kind = f.config.kind;
    if kind == BinaryKind::Raw && f.is_closed(vm) {
        return Ok(Value::str("<_io.FileIO [closed]>"));
    }
    let name = vm.repr(&f.config.name)?;
    Ok(Value::string(if kind == BinaryKind::Raw {
        format!(
            "<_io.FileIO name={name} mode='{}' closefd=True>",
            f.config.mode
        )
    } else {
        format!("<_io.{} name={name}>", kind.class_name())
    }))
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
