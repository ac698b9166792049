//! The `gc` module: the interface to the cycle collector in `vm::gc`.
//!
//! `collect`, `enable`, `disable`, `isenabled`, `get_count`, `get_stats`, `get_threshold`,
//! `set_threshold`, `is_tracked`, `get_referents`, `get_objects` and the (always empty) `garbage` list, with
//! CPython's names, defaults and error messages. Unreachable objects are always freed, so
//! `gc.garbage` stays empty, as in CPython since 3.4.

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::{Builtin, DictObj, Exc, ToyResult, Value};
use crate::vm::gc::{self, NUM_GENERATIONS};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("collect", collect),
        ("enable", enable),
        ("disable", disable),
        ("isenabled", isenabled),
        ("get_count", get_count),
        ("get_stats", get_stats),
        ("get_threshold", get_threshold),
        ("set_threshold", set_threshold),
        ("is_tracked", is_tracked),
        ("get_referents", get_referents),
        ("get_objects", get_objects),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("garbage", Value::list(Vec::new()));
    m.set_str("callbacks", Value::list(Vec::new()));
}

/// An int argument (bools are ints), with CPython's message for anything else.
fn int_arg(v: &Value) -> ToyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn no_args(name: &str, args: &[Value], kw: Kw) -> ToyResult<()> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 0, 0)
}

/// `gc.collect(generation=2)`: the number of unreachable objects found.
fn collect(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let named = args::keywords("collect", kw, &["generation"])?;
    args::count("collect", args, 0, 1)?;
    let generation = match args.first().or(named[0].as_ref()) {
        Some(v) => int_arg(v)?,
        None => NUM_GENERATIONS as i64 - 1,
    };
    if !(0..NUM_GENERATIONS as i64).contains(&generation) {
        return Err(Exc::value_error("invalid generation"));
    }
    Ok(Value::Int(gc::collect(vm, generation as usize) as i64))
}

fn enable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.enable", args, kw)?;
    vm.interp.gc.enable();
    Ok(Value::None)
}

fn disable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.disable", args, kw)?;
    vm.interp.gc.disable();
    Ok(Value::None)
}

fn isenabled(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.isenabled", args, kw)?;
    Ok(Value::Bool(vm.interp.gc.is_enabled()))
}

fn int_tuple(values: [i64; NUM_GENERATIONS]) -> Value {
    Value::tuple(values.iter().map(|&n| Value::Int(n)).collect())
}

fn get_count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.get_count", args, kw)?;
    Ok(int_tuple(vm.interp.gc.counts().map(|n| n as i64)))
}

/// `gc.get_stats()`: per generation, a dict of `collections`, `collected` and
/// `uncollectable` (always 0), as CPython's.
fn get_stats(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.get_stats", args, kw)?;
    let mut out = Vec::with_capacity(NUM_GENERATIONS);
    for s in vm.interp.gc.stats() {
        let d = DictObj::new();
        d.set_str("collections", Value::Int(s.collections as i64));
        d.set_str("collected", Value::Int(s.collected as i64));
        d.set_str("uncollectable", Value::Int(0));
        out.push(Value::dict(d));
    }
    Ok(Value::list(out))
}

fn get_threshold(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("gc.get_threshold", args, kw)?;
    Ok(int_tuple(vm.interp.gc.thresholds()))
}

/// `gc.set_threshold(threshold0[, threshold1[, threshold2]])`. Threshold 0 for generation 0
/// turns automatic collection off.
fn set_threshold(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("set_threshold", kw)?;
    if args.is_empty() {
        return Err(Exc::type_error(
            "set_threshold() takes at least 1 argument (0 given)",
        ));
    }
    if args.len() > NUM_GENERATIONS {
        return Err(Exc::type_error(format!(
            "set_threshold() takes at most {NUM_GENERATIONS} arguments ({} given)",
            args.len()
        )));
    }
    let mut new = [None; NUM_GENERATIONS];
    for (slot, v) in new.iter_mut().zip(args) {
        *slot = Some(int_arg(v)?);
    }
    vm.interp.gc.set_thresholds(new);
    Ok(Value::None)
}

/// `gc.get_objects(generation=None)`: the objects the collector tracks (a negative
/// generation means all, as in CPython 3.11).
fn get_objects(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let named = args::keywords("get_objects", kw, &["generation"])?;
    args::count("get_objects", args, 0, 1)?;
    let generation = match args.first().or(named[0].as_ref()) {
        None | Some(Value::None) => None,
        Some(v @ (Value::Int(_) | Value::Bool(_))) => {
            let g = int_arg(v)?;
            if g >= NUM_GENERATIONS as i64 {
                return Err(Exc::value_error(format!(
                    "generation parameter must be less than the number of available \
                     generations ({NUM_GENERATIONS})"
                )));
            }
            usize::try_from(g).ok()
        }
        Some(other) => {
            return Err(Exc::type_error(format!(
                "argument should be integer or None, not '{}'",
                other.type_name()
            )))
        }
    };
    Ok(Value::list(vm.interp.gc.objects(generation)))
}

fn is_tracked(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("gc.is_tracked", kw)?;
    args::count("gc.is_tracked", args, 1, 1)?;
    Ok(Value::Bool(gc::is_tracked(&args[0])))
}

/// `gc.get_referents(*objs)`: the objects each argument refers to, in the order CPython's
/// traversal visits them.
fn get_referents(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("get_referents", kw)?;
    let mut out = Vec::new();
    for v in args {
        out.extend(gc::referents(v));
    }
    Ok(Value::list(out))
}
