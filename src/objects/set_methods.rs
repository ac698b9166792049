//! Methods of `set` and `frozenset`.
//!
//! The read-only methods are registered on both types (their results have the receiver's
//! type); the mutating ones on `set` only. Each argument is sorted into the three shapes
//! CPython's `setobject.c` treats differently — another set, an exact dict, any other
//! iterable — and handed to the matching `SetObj` entry point, so that the resulting
//! iteration order is python3's. Arguments are collected (which may run toy code) before
//! any set lock is taken; `SetObj` itself never holds two set locks at once.

use std::sync::Arc;

use super::list_methods::rest;
use super::{Exc, SetObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

pub(crate) fn register(set: &Arc<TypeObj>, frozenset: &Arc<TypeObj>) {
    for t in [set, frozenset] {
        t.add_method("copy", copy);
        t.add_method("union", union);
        t.add_method("intersection", intersection);
        t.add_method("difference", difference);
        t.add_method("symmetric_difference", symmetric_difference);
        t.add_method("issubset", issubset);
        t.add_method("issuperset", issuperset);
        t.add_method("isdisjoint", isdisjoint);
    }
    set.add_method("add", add);
    set.add_method("remove", remove);
    set.add_method("discard", discard);
    set.add_method("pop", pop);
    set.add_method("clear", clear);
    set.add_method("update", update);
    set.add_method("intersection_update", intersection_update);
    set.add_method("difference_update", difference_update);
    set.add_method("symmetric_difference_update", symmetric_difference_update);
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<SetObj>> {
    match args.first() {
        Some(Value::Set(s)) => Ok(s),
        _ => Err(Exc::type_error("descriptor requires a 'set' object")),
    }
}

fn type_name(s: &SetObj) -> &'static str {
    if s.frozen {
        "frozenset"
    } else {
        "set"
    }
}

/// Check the call shape of `set.name(...)`: no keywords, `min..=max` positional arguments.
fn check<'a>(
    args: &'a [Value],
    kw: Kw,
    name: &str,
    min: usize,
    max: usize,
) -> ToyResult<&'a Arc<SetObj>> {
    let s = receiver(args)?;
    let qualname = format!("{}.{name}", type_name(s));
    args::no_kwargs(&qualname, kw)?;
    args::count(&qualname, rest(args), min, max)?;
    Ok(s)
}

/// An argument, in the shape that decides how CPython combines it.
enum Operand {
    Set(Arc<SetObj>),
    /// An exact dict: its keys, in order, with the hashes it stored.
    DictKeys(Vec<(u64, Value)>),
    /// Any other iterable: its items, in order.
    Values(Vec<Value>),
}

fn operand(vm: &mut Vm, v: &Value) -> ToyResult<Operand> {
    Ok(match v {
        Value::Set(s) => Operand::Set(s.clone()),
        Value::Dict(d) => Operand::DictKeys(d.keys_hashed()),
        other => Operand::Values(vm.collect(other)?),
    })
}

/// The keys of a `DictKeys` operand, for the paths where CPython iterates the dict like
/// any iterable (hashing each key again).
fn dict_keys(keys: Vec<(u64, Value)>) -> Vec<Value> {
    keys.into_iter().map(|(_, k)| k).collect()
}

/// A set built from an operand (`make_new_set`), for the methods that need one.
fn as_set(vm: &mut Vm, op: Operand) -> ToyResult<Arc<SetObj>> {
    match op {
        Operand::Set(s) => Ok(s),
        Operand::DictKeys(keys) => {
            let s = SetObj::new(false);
            s.update_from_dict_keys(vm, keys)?;
            Ok(Arc::new(s))
        }
        Operand::Values(values) => Ok(Arc::new(SetObj::from_values_in(vm, false, values)?)),
    }
}

/// `set_update_internal`: add an operand's members to `s`.
fn update_with(vm: &mut Vm, s: &SetObj, op: Operand) -> ToyResult<()> {
    match op {
        Operand::Set(o) => s.update_from(vm, &o),
        Operand::DictKeys(keys) => s.update_from_dict_keys(vm, keys),
        Operand::Values(values) => s.update_values(vm, values),
    }
}

/// `set_difference_update_internal`: discard an operand's members from `s`.
fn difference_update_with(vm: &mut Vm, s: &SetObj, op: Operand) -> ToyResult<()> {
    match op {
        Operand::Set(o) => s.difference_update(vm, &o),
        Operand::DictKeys(keys) => s.difference_update_values(vm, dict_keys(keys)),
        Operand::Values(values) => s.difference_update_values(vm, values),
    }
}

/// A mutable set used as a key is looked up as the equal frozenset (as CPython's
/// `remove`, `discard` and `in` do).
fn lookup_key(key: &Value) -> Value {
    match key {
        Value::Set(k) if !k.frozen => Value::set(k.copy(true)),
        other => other.clone(),
    }
}

fn copy(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "copy", 0, 0)?;
    if s.frozen {
        // Immutable: the copy is the object itself.
        return Ok(args[0].clone());
    }
    Ok(Value::set(s.copy(false)))
}

/// `s.union(*others)`.
fn union(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "union", 0, usize::MAX)?;
    let result = s.copy(s.frozen);
    for other in rest(args) {
        if let Value::Set(o) = other {
            if Arc::ptr_eq(o, s) {
                continue;
            }
        }
        let op = operand(vm, other)?;
        update_with(vm, &result, op)?;
    }
    Ok(Value::set(result))
}

/// `set_intersection_multi`: `s & others[0] & others[1] ...`, or a copy without others.
fn intersection_of(vm: &mut Vm, s: &Arc<SetObj>, others: &[Value]) -> ToyResult<SetObj> {
    let mut current: Option<SetObj> = None;
    for other in others {
        let op = operand(vm, other)?;
        let base = current.as_ref().unwrap_or(s);
        let next = match op {
            Operand::Set(o) => base.intersection(vm, &o, s.frozen)?,
            Operand::DictKeys(keys) => base.intersection_values(vm, dict_keys(keys), s.frozen)?,
            Operand::Values(values) => base.intersection_values(vm, values, s.frozen)?,
        };
        current = Some(next);
    }
    Ok(current.unwrap_or_else(|| s.copy(s.frozen)))
}

fn intersection(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "intersection", 0, usize::MAX)?;
    Ok(Value::set(intersection_of(vm, s, rest(args))?))
}

/// `s.difference(*others)`.
fn difference(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "difference", 0, usize::MAX)?;
    let others = rest(args);
    let Some(first) = others.first() else {
        return Ok(Value::set(s.copy(s.frozen)));
    };
    let result = match operand(vm, first)? {
        Operand::Set(o) => s.difference(vm, &o, s.frozen)?,
        // An exact dict is sized and probed like a set of its keys.
        Operand::DictKeys(keys) => {
            let keys_set = SetObj::new(false);
            keys_set.update_from_dict_keys(vm, keys)?;
            s.difference(vm, &keys_set, s.frozen)?
        }
        Operand::Values(values) => {
            let r = s.copy(s.frozen);
            r.difference_update_values(vm, values)?;
            r
        }
    };
    for other in &others[1..] {
        let op = operand(vm, other)?;
        difference_update_with(vm, &result, op)?;
    }
    Ok(Value::set(result))
}

/// `s.symmetric_difference(other)`: a new set from `other`, then `s`'s members toggled.
fn symmetric_difference(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "symmetric_difference", 1, 1)?;
    let result = match operand(vm, &args[1])? {
        Operand::Set(o) => s.symmetric_difference(vm, &o, s.frozen)?,
        Operand::DictKeys(keys) => {
            let r = SetObj::new(s.frozen);
            r.update_from_dict_keys(vm, keys)?;
            r.symmetric_difference_update(vm, s)?;
            r
        }
        Operand::Values(values) => {
            let r = SetObj::from_values_in(vm, s.frozen, values)?;
            r.symmetric_difference_update(vm, s)?;
            r
        }
    };
    Ok(Value::set(result))
}

fn issubset(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "issubset", 1, 1)?;
    let op = operand(vm, &args[1])?;
    let other = as_set(vm, op)?;
    Ok(Value::Bool(s.is_subset(vm, &other)?))
}

fn issuperset(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "issuperset", 1, 1)?.clone();
    if let Value::Set(o) = &args[1] {
        return Ok(Value::Bool(o.is_subset(vm, &s)?));
    }
    // Stops at the first member missing from `s`, as CPython does.
    let it = vm.get_iter(&args[1])?;
    while let Some(x) = vm.next(&it)? {
        if !s.contains_in(vm, &x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn isdisjoint(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "isdisjoint", 1, 1)?.clone();
    if let Value::Set(o) = &args[1] {
        if Arc::ptr_eq(o, &s) {
            return Ok(Value::Bool(s.is_empty()));
        }
        let (small, large) = if o.len() > s.len() { (&s, o) } else { (o, &s) };
        // The members keep their stored hashes, as in CPython.
        for (hash, x) in small.items_hashed() {
            if large.contains_hashed_in(vm, hash, &x)? {
                return Ok(Value::Bool(false));
            }
        }
        return Ok(Value::Bool(true));
    }
    let it = vm.get_iter(&args[1])?;
    while let Some(x) = vm.next(&it)? {
        if s.contains_in(vm, &x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn add(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "add", 1, 1)?;
    s.add_in(vm, args[1].clone())?;
    Ok(Value::None)
}

fn remove(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "remove", 1, 1)?;
    if s.discard_in(vm, &lookup_key(&args[1]))? {
        Ok(Value::None)
    } else {
        Err(Exc::key_error(args[1].clone()))
    }
}

fn discard(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "discard", 1, 1)?;
    s.discard_in(vm, &lookup_key(&args[1]))?;
    Ok(Value::None)
}

fn pop(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "pop", 0, 0)?;
    s.pop()
        .ok_or_else(|| Exc::key_error(Value::str("pop from an empty set")))
}

fn clear(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    check(args, kw, "clear", 0, 0)?.clear();
    Ok(Value::None)
}

fn update(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "update", 0, usize::MAX)?;
    for other in rest(args) {
        let op = operand(vm, other)?;
        update_with(vm, s, op)?;
    }
    Ok(Value::None)
}

fn intersection_update(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "intersection_update", 0, usize::MAX)?;
    let result = intersection_of(vm, s, rest(args))?;
    s.assign_from(result);
    Ok(Value::None)
}

fn difference_update(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "difference_update", 0, usize::MAX)?;
    for other in rest(args) {
        let op = operand(vm, other)?;
        difference_update_with(vm, s, op)?;
    }
    Ok(Value::None)
}

fn symmetric_difference_update(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = check(args, kw, "symmetric_difference_update", 1, 1)?;
    match operand(vm, &args[1])? {
        Operand::Set(o) => s.symmetric_difference_update(vm, &o)?,
        // An exact dict is walked in its own order, each key toggled.
        Operand::DictKeys(keys) => s.toggle_hashed(vm, keys)?,
        Operand::Values(values) => {
            let other = SetObj::from_values_in(vm, false, values)?;
            s.symmetric_difference_update(vm, &other)?
        }
    }
    Ok(Value::None)
}
