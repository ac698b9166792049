//! The `heapq` module: a binary min-heap kept in a plain list, as in CPython
//! (`heappush`, `heappop`, `heapify`, `heapreplace`, `heappushpop`, `nsmallest`,
//! `nlargest`). The asyncio event loop keeps its timers in one.
//!
//! Items are compared with `<`, which may run toy code (`__lt__`), and that code may touch
//! the list: the list's lock is never held across a comparison. Items are copied out,
//! compared, and moved under the lock only if the list still has the length the step
//! started with; otherwise RuntimeError, as CPython raises.

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::{Builtin, DictObj, Exc, ListObj, ToyResult, Value};
use crate::syntax::ast::CmpOp;
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("heappush", heappush),
        ("heappop", heappop),
        ("heapify", heapify),
        ("heapreplace", heapreplace),
        ("heappushpop", heappushpop),
        ("nsmallest", nsmallest),
        ("nlargest", nlargest),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
}

fn heap_arg<'a>(name: &str, args: &'a [Value], kw: Kw, n: usize) -> ToyResult<&'a Arc<ListObj>> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, n, n)?;
    match &args[0] {
        Value::List(l) => Ok(l),
        other => Err(Exc::type_error(format!(
            "{name}() argument 1 must be list, not {}",
            other.type_name()
        ))),
    }
}

fn less(vm: &mut Vm, a: &Value, b: &Value) -> ToyResult<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        _ => {
            let r = vm.compare_op(CmpOp::Lt, a, b)?;
            vm.truthy(&r)
        }
    }
}

fn changed() -> Exc {
    Exc::runtime_error("list changed size during iteration")
}

/// Items `i` and `j`, copied out of the list, if the list still has `len` items.
fn pair(heap: &ListObj, len: usize, i: usize, j: usize) -> ToyResult<(Value, Value)> {
    let items = heap.lock();
    if items.len() != len {
        return Err(changed());
    }
    Ok((items[i].clone(), items[j].clone()))
}

fn swap(heap: &ListObj, len: usize, i: usize, j: usize) -> ToyResult<()> {
    let mut items = heap.lock();
    if items.len() != len {
        return Err(changed());
    }
    items.swap(i, j);
    Ok(())
}

/// Move the item at `pos` up towards the root (`start`) while it is smaller than its parent.
fn sift_down(vm: &mut Vm, heap: &ListObj, start: usize, mut pos: usize) -> ToyResult<()> {
    let len = heap.len();
    while pos > start {
        let parent = (pos - 1) / 2;
        let (item, above) = pair(heap, len, pos, parent)?;
        if !less(vm, &item, &above)? {
            break;
        }
        swap(heap, len, pos, parent)?;
        pos = parent;
    }
    Ok(())
}

/// Move the item at `pos` down to a leaf along the smaller children, then back up into
/// place (CPython's variant: fewer comparisons than a textbook sift).
fn sift_up(vm: &mut Vm, heap: &ListObj, mut pos: usize) -> ToyResult<()> {
    let len = heap.len();
    let start = pos;
    let mut child = 2 * pos + 1;
    while child < len {
        let right = child + 1;
        if right < len {
            let (l, r) = pair(heap, len, child, right)?;
            if !less(vm, &l, &r)? {
                child = right;
            }
        }
        swap(heap, len, pos, child)?;
        pos = child;
        child = 2 * pos + 1;
    }
    sift_down(vm, heap, start, pos)
}

/// `heappush(heap, item)`.
fn heappush(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let heap = heap_arg("heappush", args, kw, 2)?;
    let pos = {
        let mut items = heap.lock();
        items.push(args[1].clone());
        items.len() - 1
    };
    sift_down(vm, heap, 0, pos)?;
    Ok(Value::None)
}

/// Remove and return the last item; put it at the root instead when the heap is not empty
/// after that, and sift it into place, returning the old root.
fn pop_root(vm: &mut Vm, heap: &ListObj) -> ToyResult<Value> {
    let last = heap
        .lock()
        .pop()
        .ok_or_else(|| Exc::index_error("index out of range"))?;
    let root = {
        let mut items = heap.lock();
        match items.first_mut() {
            Some(first) => std::mem::replace(first, last),
            None => return Ok(last),
        }
    };
    sift_up(vm, heap, 0)?;
    Ok(root)
}

/// `heappop(heap)`: the smallest item.
fn heappop(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let heap = heap_arg("heappop", args, kw, 1)?;
    pop_root(vm, heap)
}

/// `heapreplace(heap, item)`: pop the smallest, then push `item` (in one sift).
fn heapreplace(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let heap = heap_arg("heapreplace", args, kw, 2)?;
    let root = {
        let mut items = heap.lock();
        match items.first_mut() {
            Some(first) => std::mem::replace(first, args[1].clone()),
            None => return Err(Exc::index_error("index out of range")),
        }
    };
    sift_up(vm, heap, 0)?;
    Ok(root)
}

/// `heappushpop(heap, item)`: push `item`, then pop the smallest (in one sift).
fn heappushpop(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let heap = heap_arg("heappushpop", args, kw, 2)?;
    let item = args[1].clone();
    let Some(root) = heap.get(0) else {
        return Ok(item);
    };
    if !less(vm, &root, &item)? {
        return Ok(item);
    }
    let root = {
        let mut items = heap.lock();
        match items.first_mut() {
            Some(first) => std::mem::replace(first, item),
            None => return Err(changed()),
        }
    };
    sift_up(vm, heap, 0)?;
    Ok(root)
}

/// `heapify(x)`: make the list a heap, in linear time.
fn heapify(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let heap = heap_arg("heapify", args, kw, 1)?;
    for pos in (0..heap.len() / 2).rev() {
        sift_up(vm, heap, pos)?;
    }
    Ok(Value::None)
}

/// `nsmallest(n, iterable, key=None)` / `nlargest(...)`: a stable sort of the items by key,
/// cut to `n` — what CPython's results equal.
fn n_extreme(vm: &mut Vm, name: &str, args: &[Value], kw: Kw, largest: bool) -> ToyResult<Value> {
    let named = args::keywords(name, kw, &["key"])?;
    args::count(name, args, 2, 2)?;
    let n = match &args[0] {
        Value::Int(n) => (*n).max(0) as usize,
        Value::Bool(b) => *b as usize,
        other => {
            return Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    let items = vm.collect(&args[1])?;
    let key = named[0].clone().filter(|k| !k.is_none());
    let mut sorted = crate::objects::list_methods::sort_values(vm, items, key, largest)?;
    sorted.truncate(n);
    Ok(Value::list(sorted))
}

fn nsmallest(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    n_extreme(vm, "nsmallest", args, kw, false)
}

fn nlargest(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    n_extreme(vm, "nlargest", args, kw, true)
}
