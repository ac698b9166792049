//! Methods of `str`, and printf-style `%` formatting.

use std::sync::Arc;

use super::{Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, str_receiver, Kw};
use crate::vm::Vm;

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("join", join);
    t.add_method("upper", upper);
    t.add_method("lower", lower);
}

fn join(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("join", kw)?;
    args::count("str.join", args, 2, 2)?;
    let sep = str_receiver(args)?;
    let items = vm.collect(&args[1])?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep.as_str());
        }
        match item {
            Value::Str(s) => out.push_str(s.as_str()),
            other => {
                return Err(Exc::type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    other.type_name()
                )))
            }
        }
    }
    Ok(Value::string(out))
}

fn upper(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("upper", kw)?;
    Ok(Value::string(str_receiver(args)?.as_str().to_uppercase()))
}

fn lower(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("lower", kw)?;
    Ok(Value::string(str_receiver(args)?.as_str().to_lowercase()))
}

/// `fmt % args`.
pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> ToyResult<String> {
    let _ = (vm, fmt, args);
    Err(Exc::type_error("not all arguments converted during string formatting"))
}
