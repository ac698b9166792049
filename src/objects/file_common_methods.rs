//! The methods text and binary files share — `close`, `fileno`, `isatty`, `readable`,
//! `writable`, `seekable`, `__enter__`, `__exit__`, `__iter__` — which act only on what every
//! file has (`file::FileObject`); each file type's own methods are in `file_methods.rs` and
//! `binary_file_methods.rs`.

use super::binary_file::BinaryFile;
use super::file::{closed_error, Capability, FileObject, TextFile};
use super::function::NativeFn;
use super::{Exc, ToyResult, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// The shared methods, for each file type's method table.
pub const SHARED_METHODS: &[(&str, NativeFn)] = &[
    ("close", close),
    ("fileno", fileno),
    ("isatty", isatty),
    ("readable", readable),
    ("writable", writable),
    ("seekable", seekable),
    ("__enter__", enter),
    ("__exit__", exit),
    ("__iter__", iter),
];

/// The receiver of a method of one file type, `T`; `what` names the type in the error.
pub fn receiver<'a, T: 'static>(args: &'a [Value], what: &str) -> ToyResult<&'a T> {
    match args.first() {
        Some(Value::Instance(i)) => i.native_ref::<T>(),
        _ => None,
    }
    .ok_or_else(|| Exc::type_error(format!("descriptor requires a {what}")))
}

/// The arguments of a method taking none besides its receiver.
pub fn no_arguments(name: &str, args: &[Value], kw: Kw) -> ToyResult<()> {
    args::no_kwargs(name, kw)?;
    args::count(name, &args[args.len().min(1)..], 0, 0)
}

/// The file behind a method's receiver, text or binary.
fn this(args: &[Value]) -> ToyResult<&dyn FileObject> {
    let file: Option<&dyn FileObject> = match args.first() {
        Some(Value::Instance(i)) => match i.native_ref::<TextFile>() {
            Some(text) => Some(text),
            None => i.native_ref::<BinaryFile>().map(|b| b as &dyn FileObject),
        },
        _ => None,
    };
    file.ok_or_else(|| Exc::type_error("descriptor requires a file object"))
}

/// The receiver of a method taking no arguments.
fn this_alone<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a dyn FileObject> {
    no_arguments(name, args, kw)?;
    this(args)
}

fn close(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    this_alone("close", args, kw)?.close(vm)?;
    Ok(Value::None)
}

fn fileno(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this_alone("fileno", args, kw)?.fileno(vm)?))
}

/// A file on disk is never a terminal here (toy opens no devices by descriptor).
fn isatty(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("isatty", args, kw)?;
    if f.is_closed(vm) {
        return Err(Exc::value_error("I/O operation on closed file"));
    }
    Ok(Value::Bool(false))
}

fn readable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("readable", args, kw)?;
    Ok(Value::Bool(f.can(vm, Capability::Read)?))
}

fn writable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("writable", args, kw)?;
    Ok(Value::Bool(f.can(vm, Capability::Write)?))
}

fn seekable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("seekable", args, kw)?;
    Ok(Value::Bool(f.can(vm, Capability::Seek)?))
}

/// `with open(...) as f`: the file itself (a closed one refuses).
fn enter(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let f = this_alone("__enter__", args, kw)?;
    if f.is_closed(vm) {
        return Err(closed_error());
    }
    Ok(args[0].clone())
}

/// Leaving the `with` block closes the file; exceptions propagate.
fn exit(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("__exit__", kw)?;
    this(args)?.close(vm)?;
    Ok(Value::None)
}

/// A file is its own iterator (of lines).
fn iter(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    enter(vm, args, kw)
}
