//! Dunder methods of the builtin types as attributes (`dict.__getitem__`,
//! `super().__setitem__(k, v)` in a dict subclass, `(1).__add__(2)`). The VM implements
//! these protocols directly; each method here forwards to the same protocol function, so
//! there is one implementation of each operation.

use std::sync::Arc;

use super::types::BuiltinTypes;
use super::{Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::vm::Vm;

pub(crate) fn register(t: &BuiltinTypes) {
    for ty in [
        &t.list,
        &t.dict,
        &t.tuple,
        &t.str,
        &t.set,
        &t.frozenset,
        &t.range,
        &t.bytes,
    ] {
        add(
            ty,
            &[
                ("__getitem__", getitem),
                ("__len__", len),
                ("__contains__", contains),
                ("__iter__", iter),
            ],
        );
        add(ty, &[("__eq__", eq), ("__ne__", ne), ("__repr__", repr)]);
    }
    for ty in [&t.list, &t.dict] {
        add(ty, &[("__setitem__", setitem), ("__delitem__", delitem)]);
    }
    for ty in [&t.int, &t.float, &t.str, &t.list, &t.tuple, &t.bytes] {
        add(
            ty,
            &[
                ("__add__", add_op),
                ("__mul__", mul_op),
                ("__lt__", lt),
                ("__le__", le),
                ("__gt__", gt),
                ("__ge__", ge),
            ],
        );
    }
    for ty in [&t.int, &t.float] {
        add(
            ty,
            &[
                ("__sub__", sub_op),
                ("__truediv__", truediv_op),
                ("__floordiv__", floordiv_op),
                ("__mod__", mod_op),
            ],
        );
        add(ty, &[("__eq__", eq), ("__ne__", ne), ("__repr__", repr)]);
    }
    register_iterators(t);
}

/// Builtin iterators have `__iter__` (themselves) and `__next__`; dict views are iterable
/// and sized but are not iterators.
fn register_iterators(t: &BuiltinTypes) {
    use crate::objects::iter::IterKind;
    let views = [
        IterKind::KeysView,
        IterKind::ValuesView,
        IterKind::ItemsView,
    ];
    for (i, ty) in t.iterators.iter().enumerate() {
        add(ty, &[("__iter__", iter)]);
        if views.iter().any(|&k| k as usize == i) {
            add(ty, &[("__len__", len), ("__contains__", contains)]);
        } else {
            add(ty, &[("__next__", next)]);
        }
    }
}

fn next(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let it = unary("__next__", args, kw)?;
    vm.next(it)?.ok_or_else(|| Exc::stop_iteration(None))
}

fn add(ty: &Arc<TypeObj>, methods: &[(&'static str, crate::objects::function::NativeFn)]) {
    for (name, f) in methods {
        ty.add_method(name, *f);
    }
}

fn unary<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a Value> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 1, 1)?;
    Ok(&args[0])
}

fn binary<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<(&'a Value, &'a Value)> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 2, 2)?;
    Ok((&args[0], &args[1]))
}

fn getitem(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, k) = binary("__getitem__", args, kw)?;
    vm.get_item(a, k)
}

fn setitem(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("__setitem__", kw)?;
    args::count("__setitem__", args, 3, 3)?;
    vm.set_item(&args[0], args[1].clone(), args[2].clone())?;
    Ok(Value::None)
}

fn delitem(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, k) = binary("__delitem__", args, kw)?;
    vm.del_item(a, k)?;
    Ok(Value::None)
}

fn len(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let a = unary("__len__", args, kw)?;
    Ok(Value::Int(vm.len(a)? as i64))
}

fn contains(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, x) = binary("__contains__", args, kw)?;
    Ok(Value::Bool(vm.contains(a, x)?))
}

fn iter(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let a = unary("__iter__", args, kw)?;
    vm.get_iter(a)
}

fn repr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let a = unary("__repr__", args, kw)?;
    Ok(Value::string(vm.repr(a)?))
}

fn eq(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = binary("__eq__", args, kw)?;
    Ok(Value::Bool(vm.eq(a, b)?))
}

fn ne(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = binary("__ne__", args, kw)?;
    Ok(Value::Bool(!vm.eq(a, b)?))
}

/// A binary operator as a method: NotImplemented instead of TypeError, as CPython's
/// slot wrappers do.
fn operator(vm: &mut Vm, name: &str, op: BinOp, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = binary(name, args, kw)?;
    match vm.binary_op(op, false, a.clone(), b.clone()) {
        Err(e) if e.matches(&super::types().exceptions.type_error) => Ok(Value::NotImplemented),
        other => other,
    }
}

fn add_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__add__", BinOp::Add, args, kw)
}

fn sub_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__sub__", BinOp::Sub, args, kw)
}

fn mul_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__mul__", BinOp::Mul, args, kw)
}

fn truediv_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__truediv__", BinOp::Div, args, kw)
}

fn floordiv_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__floordiv__", BinOp::FloorDiv, args, kw)
}

fn mod_op(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    operator(vm, "__mod__", BinOp::Mod, args, kw)
}

fn compare(vm: &mut Vm, name: &str, op: CmpOp, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = binary(name, args, kw)?;
    match vm.compare_op(op, a, b) {
        Err(e) if e.matches(&super::types().exceptions.type_error) => Ok(Value::NotImplemented),
        other => other,
    }
}

fn lt(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    compare(vm, "__lt__", CmpOp::Lt, args, kw)
}

fn le(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    compare(vm, "__le__", CmpOp::LtE, args, kw)
}

fn gt(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    compare(vm, "__gt__", CmpOp::Gt, args, kw)
}

fn ge(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    compare(vm, "__ge__", CmpOp::GtE, args, kw)
}

/// Whether a method found on a class was written in toy (or by a module), rather than
/// being one of the builtin types' own protocol methods above, which the VM runs natively.
pub fn is_user_defined(m: &Value) -> bool {
    match m {
        Value::Builtin(b) => !b.owner.as_ref().is_some_and(|o| o.is_core_builtin()),
        _ => true,
    }
}
