//! Methods of `dict` and its views.
//!
//! Every method takes the dict's lock only around table operations; anything that can run
//! toy code (iterating an argument, calling a mapping's `keys()`) happens with it released.

use std::sync::Arc;

use super::constructors::dict_update_from;
use super::iter::{IterKind, IterState};
use super::list_methods::rest;
use super::{Builtin, DictObj, Exc, IterObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// `t` is dict; `set_like_views` the keys and items view types.
pub(crate) fn register(t: &Arc<TypeObj>, set_like_views: &[&Arc<TypeObj>]) {
    for view in set_like_views {
        view.add_method("isdisjoint", view_isdisjoint);
    }
    t.add_method("keys", keys);
    t.add_method("values", values);
    t.add_method("items", items);
    t.add_method("get", get);
    t.add_method("pop", pop);
    t.add_method("popitem", popitem);
    t.add_method("setdefault", setdefault);
    t.add_method("update", update);
    t.add_method("clear", clear);
    t.add_method("copy", copy);
    // A class method in CPython: a plain function here, which attribute lookup returns
    // unbound both from `dict` and from an instance, so `args[0]` is the iterable.
    t.set_attr(
        "fromkeys",
        Value::Builtin(Arc::new(Builtin::function("fromkeys", fromkeys))),
    );
}

/// `view.isdisjoint(iterable)`: whether no member of the iterable is in the view.
fn view_isdisjoint(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("isdisjoint", kw)?;
    args::count("isdisjoint", rest(args), 1, 1)?;
    let view = &args[0];
    for item in vm.collect(&args[1])? {
        if vm.contains(view, &item)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<DictObj>> {
    match args.first() {
        Some(Value::Dict(d)) => Ok(d),
        _ => Err(Exc::type_error("descriptor requires a 'dict' object")),
    }
}

fn view(args: &[Value], kw: Kw, kind: IterKind, name: &str) -> ToyResult<Value> {
    args::no_kwargs(name, kw)?;
    args::count(name, rest(args), 0, 0)?;
    let d = receiver(args)?.clone();
    Ok(IterObj::value(kind, IterState::View { dict: d }))
}

fn keys(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    view(args, kw, IterKind::KeysView, "dict.keys")
}

fn values(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    view(args, kw, IterKind::ValuesView, "dict.values")
}

fn items(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    view(args, kw, IterKind::ItemsView, "dict.items")
}

/// `d.get(key, default=None)`.
fn get(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.get", kw)?;
    args::count("get", rest(args), 1, 2)?;
    let d = receiver(args)?;
    Ok(d.get_in(vm, &args[1])?
        .unwrap_or_else(|| args.get(2).cloned().unwrap_or(Value::None)))
}

/// `d.pop(key[, default])`.
fn pop(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.pop", kw)?;
    args::count("pop", rest(args), 1, 2)?;
    let d = receiver(args)?;
    // An empty dict answers without hashing the key, as CPython's does.
    let found = if d.is_empty() {
        None
    } else {
        d.remove_in(vm, &args[1])?
    };
    match found {
        Some(v) => Ok(v),
        None => match args.get(2) {
            Some(default) => Ok(default.clone()),
            None => Err(Exc::key_error(args[1].clone())),
        },
    }
}

/// `d.popitem()`: the most recently inserted pair.
fn popitem(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.popitem", kw)?;
    args::count("dict.popitem", rest(args), 0, 0)?;
    let d = receiver(args)?;
    let entry = d.lock().pop_last();
    match entry {
        Some(e) => Ok(Value::tuple(vec![e.key, e.value])),
        None => Err(Exc::key_error(Value::str("popitem(): dictionary is empty"))),
    }
}

/// `d.setdefault(key, default=None)`: one locked lookup-or-insert.
fn setdefault(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.setdefault", kw)?;
    args::count("setdefault", rest(args), 1, 2)?;
    let d = receiver(args)?;
    let default = args.get(2).cloned().unwrap_or(Value::None);
    d.setdefault_in(vm, &args[1], default)
}

/// `d.update([other], **kwargs)`: a mapping or an iterable of pairs, then the keywords.
fn update(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::count("update", rest(args), 0, 1)?;
    let d = receiver(args)?.clone();
    if let Some(src) = args.get(1) {
        dict_update_from(vm, &d, src)?;
    }
    for (k, v) in kw {
        d.set_item_in(vm, Value::Str(k.clone()), v.clone())?;
    }
    Ok(Value::None)
}

fn clear(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.clear", kw)?;
    args::count("dict.clear", rest(args), 0, 0)?;
    receiver(args)?.clear();
    Ok(Value::None)
}

fn copy(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.copy", kw)?;
    args::count("dict.copy", rest(args), 0, 0)?;
    Ok(Value::dict(receiver(args)?.copy()))
}

/// `dict.fromkeys(iterable, value=None)`.
fn fromkeys(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dict.fromkeys", kw)?;
    args::count("fromkeys", args, 1, 2)?;
    let value = args.get(1).cloned().unwrap_or(Value::None);
    let d = DictObj::new();
    // An exact dict or set gives its keys with their stored hashes, which CPython reuses.
    let keys = match &args[0] {
        Value::Dict(src) => src.keys_hashed(),
        Value::Set(src) => src.items_hashed(),
        other => {
            for k in vm.collect(other)? {
                d.set_item_in(vm, k, value.clone())?;
            }
            return Ok(Value::Dict(Arc::new(d)));
        }
    };
    for (hash, k) in keys {
        d.set_item_hashed_in(vm, hash, k, value.clone())?;
    }
    Ok(Value::dict(d))
}
