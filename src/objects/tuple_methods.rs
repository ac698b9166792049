//! Methods of `tuple`.

use std::sync::Arc;

use super::list_methods::{index_window, rest, same_or_eq};
use super::{Exc, ToyResult, TupleObj, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("index", index);
    t.add_method("count", count);
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<TupleObj>> {
    match args.first() {
        Some(Value::Tuple(t)) => Ok(t),
        _ => Err(Exc::type_error("descriptor requires a 'tuple' object")),
    }
}

/// `tuple.index(x[, start[, stop]])`.
fn index(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("tuple.index", kw)?;
    args::count("index", rest(args), 1, 3)?;
    let t = receiver(args)?.clone();
    let items = t.items();
    let (start, stop) = index_window(vm, &args[2..], items.len())?;
    let stop = stop.min(items.len());
    for (i, item) in items.iter().enumerate().take(stop).skip(start) {
        if same_or_eq(vm, item, &args[1])? {
            return Ok(Value::Int(i as i64));
        }
    }
    Err(Exc::value_error("tuple.index(x): x not in tuple"))
}

/// `tuple.count(x)`.
fn count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("tuple.count", kw)?;
    args::count("tuple.count", rest(args), 1, 1)?;
    let t = receiver(args)?.clone();
    let mut n = 0;
    for item in t.items() {
        if same_or_eq(vm, item, &args[1])? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}
