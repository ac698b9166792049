//! Methods of `range`.

use std::sync::Arc;

use super::list_methods::{rest, same_or_eq};
use super::{Exc, RangeObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("count", count);
    t.add_method("index", index);
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<RangeObj>> {
    match args.first() {
        Some(Value::Range(r)) => Ok(r),
        _ => Err(Exc::type_error("descriptor requires a 'range' object")),
    }
}

/// Where `x` is in `r`, if anywhere. Ints are located arithmetically; floats can only equal
/// an integral member; other values are compared with every member (user `__eq__` may
/// match anything), as CPython's generic sequence search does.
fn position(vm: &mut Vm, r: &RangeObj, x: &Value) -> ToyResult<Option<usize>> {
    let int = match x {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        Value::BigInt(_) => return Ok(None),
        Value::Float(f) => {
            if f.fract() != 0.0 || !f.is_finite() || f.abs() >= 9.2e18 {
                return Ok(None);
            }
            Some(*f as i64)
        }
        _ => None,
    };
    if let Some(v) = int {
        if !r.contains(v) {
            return Ok(None);
        }
        let offset = (v as i128 - r.start as i128) / r.step as i128;
        return Ok(Some(offset as usize));
    }
    if !matches!(x, Value::Instance(_)) {
        return Ok(None);
    }
    for i in 0..r.len() {
        if same_or_eq(vm, &Value::Int(r.item(i)), x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// `range.count(x)`.
fn count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("range.count", kw)?;
    args::count("range.count", rest(args), 1, 1)?;
    let r = receiver(args)?.clone();
    let x = &args[1];
    if matches!(x, Value::Instance(_)) {
        // Every member may equal it.
        let mut n = 0;
        for i in 0..r.len() {
            if same_or_eq(vm, &Value::Int(r.item(i)), x)? {
                n += 1;
            }
        }
        return Ok(Value::Int(n));
    }
    Ok(Value::Int(position(vm, &r, x)?.is_some() as i64))
}

/// `range.index(x)`.
fn index(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("range.index", kw)?;
    args::count("range.index", rest(args), 1, 1)?;
    let r = receiver(args)?.clone();
    let x = &args[1];
    match position(vm, &r, x)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None if x.is_int_like() => {
            let shown = vm.repr(x)?;
            Err(Exc::value_error(format!("{shown} is not in range")))
        }
        None => Err(Exc::value_error("sequence.index(x): x not in sequence")),
    }
}
