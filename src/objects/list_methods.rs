//! Methods of `list`, and the sort shared with `sorted()`.
//!
//! The list guards its items with its own lock (DESIGN.md decision 1). Methods that compare
//! items (`index`, `count`, `remove`, `sort`) call toy code (`__eq__`, `__lt__`, key
//! functions), so they work on a snapshot or on items taken out of the list, and only lock
//! again to read or write the live list.

use std::cmp::Ordering;
use std::sync::Arc;

use super::{Exc, ListObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::syntax::ast::CmpOp;
use crate::vm::Vm;

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("append", append);
    t.add_method("extend", extend);
    t.add_method("insert", insert);
    t.add_method("remove", remove);
    t.add_method("pop", pop);
    t.add_method("clear", clear);
    t.add_method("index", index);
    t.add_method("count", count);
    t.add_method("sort", sort);
    t.add_method("reverse", reverse);
    t.add_method("copy", copy);
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<ListObj>> {
    match args.first() {
        Some(Value::List(l)) => Ok(l),
        _ => Err(Exc::type_error("descriptor requires a 'list' object")),
    }
}

/// The arguments after the receiver.
pub(crate) fn rest(args: &[Value]) -> &[Value] {
    args.get(1..).unwrap_or(&[])
}

/// `a == b` as containers compare items: identity first, then `==`.
pub(crate) fn same_or_eq(vm: &mut Vm, a: &Value, b: &Value) -> ToyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    vm.eq(a, b)
}

/// An integer argument converted to a C `Py_ssize_t` (`list.insert`, `list.pop`).
pub(crate) fn ssize_arg(vm: &mut Vm, v: &Value) -> ToyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Exc::overflow(
            "Python int too large to convert to C ssize_t",
        )),
        Value::Instance(_) => match vm.lookup_special(v, "__index__") {
            Some(m) => {
                let r = vm.call(&m, vec![v.clone()], Vec::new())?;
                match r {
                    Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => ssize_arg(vm, &r),
                    other => Err(Exc::type_error(format!(
                        "__index__ returned non-int (type {})",
                        other.type_name()
                    ))),
                }
            }
            None => Err(not_an_integer(v)),
        },
        other => Err(not_an_integer(other)),
    }
}

fn not_an_integer(v: &Value) -> Exc {
    Exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        v.type_name()
    ))
}

/// A `start`/`stop` argument of `index()`: any integer (big ones saturate), or an object
/// with `__index__`.
pub(crate) fn slice_index_arg(vm: &mut Vm, v: &Value) -> ToyResult<i64> {
    use num_traits::Signed;
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(b) => Ok(if b.is_negative() { i64::MIN } else { i64::MAX }),
        Value::Instance(_) => match vm.lookup_special(v, "__index__") {
            Some(m) => {
                let r = vm.call(&m, vec![v.clone()], Vec::new())?;
                match r {
                    Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => slice_index_arg(vm, &r),
                    other => Err(Exc::type_error(format!(
                        "__index__ returned non-int (type {})",
                        other.type_name()
                    ))),
                }
            }
            None => Err(Exc::type_error(
                "slice indices must be integers or have an __index__ method",
            )),
        },
        _ => Err(Exc::type_error(
            "slice indices must be integers or have an __index__ method",
        )),
    }
}

/// The `[start, stop)` window of `seq.index(x, start, stop)` for a sequence of `len` items,
/// resolved as CPython does: negative values count from the end and clamp at 0; the
/// caller also stops at the end of the (live) sequence.
pub(crate) fn index_window(vm: &mut Vm, extra: &[Value], len: usize) -> ToyResult<(usize, usize)> {
    let resolve = |i: i64| -> usize {
        if i < 0 {
            i.saturating_add(len as i64).max(0) as usize
        } else {
            usize::try_from(i).unwrap_or(usize::MAX)
        }
    };
    let start = match extra.first() {
        Some(v) => resolve(slice_index_arg(vm, v)?),
        None => 0,
    };
    let stop = match extra.get(1) {
        Some(v) => resolve(slice_index_arg(vm, v)?),
        None => len,
    };
    Ok((start, stop))
}

fn append(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.append", kw)?;
    args::count("list.append", rest(args), 1, 1)?;
    receiver(args)?.push(args[1].clone());
    Ok(Value::None)
}

fn extend(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.extend", kw)?;
    args::count("list.extend", rest(args), 1, 1)?;
    let l = receiver(args)?;
    match &args[1] {
        // A snapshot first, so that `l.extend(l)` doubles the list once.
        src @ (Value::List(_) | Value::Tuple(_)) => {
            let items = vm.collect(src)?;
            l.lock().extend(items);
        }
        src => {
            // Items are appended as the iterator produces them, as CPython does.
            let it = vm.get_iter(src)?;
            while let Some(x) = vm.next(&it)? {
                l.push(x);
            }
        }
    }
    Ok(Value::None)
}

fn insert(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.insert", kw)?;
    args::count("insert", rest(args), 2, 2)?;
    let l = receiver(args)?;
    let i = ssize_arg(vm, &args[1])?;
    let mut items = l.lock();
    let len = items.len() as i64;
    let pos = if i < 0 {
        (i.saturating_add(len)).max(0)
    } else {
        i.min(len)
    };
    items.insert(pos as usize, args[2].clone());
    Ok(Value::None)
}

fn remove(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.remove", kw)?;
    args::count("list.remove", rest(args), 1, 1)?;
    let l = receiver(args)?;
    let x = &args[1];
    let mut i = 0;
    // Re-read the live list at each step: `__eq__` may change it.
    while let Some(item) = l.get(i) {
        if same_or_eq(vm, &item, x)? {
            let removed = {
                let mut items = l.lock();
                (i < items.len()).then(|| items.remove(i))
            };
            drop(removed);
            return Ok(Value::None);
        }
        i += 1;
    }
    Err(Exc::value_error("list.remove(x): x not in list"))
}

fn pop(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.pop", kw)?;
    args::count("pop", rest(args), 0, 1)?;
    let l = receiver(args)?;
    let index = match args.get(1) {
        Some(v) => Some(ssize_arg(vm, v)?),
        None => None,
    };
    let mut items = l.lock();
    if items.is_empty() {
        return Err(Exc::index_error("pop from empty list"));
    }
    let len = items.len() as i64;
    let i = match index {
        None => len - 1,
        Some(i) if i < 0 => i.saturating_add(len),
        Some(i) => i,
    };
    if !(0..len).contains(&i) {
        return Err(Exc::index_error("pop index out of range"));
    }
    Ok(items.remove(i as usize))
}

fn clear(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.clear", kw)?;
    args::count("list.clear", rest(args), 0, 0)?;
    // `replace` drops the old items after the lock is released (`__del__` may run).
    receiver(args)?.replace(Vec::new());
    Ok(Value::None)
}

fn index(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.index", kw)?;
    args::count("index", rest(args), 1, 3)?;
    let l = receiver(args)?;
    let x = &args[1];
    let (start, stop) = index_window(vm, &args[2..], l.len())?;
    let mut i = start;
    while i < stop {
        let Some(item) = l.get(i) else { break };
        if same_or_eq(vm, &item, x)? {
            return Ok(Value::Int(i as i64));
        }
        i += 1;
    }
    let shown = vm.repr(x)?;
    Err(Exc::value_error(format!("{shown} is not in list")))
}

fn count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.count", kw)?;
    args::count("list.count", rest(args), 1, 1)?;
    let items = receiver(args)?.snapshot();
    let mut n = 0;
    for item in &items {
        if same_or_eq(vm, item, &args[1])? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

fn reverse(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.reverse", kw)?;
    args::count("list.reverse", rest(args), 0, 0)?;
    receiver(args)?.lock().reverse();
    Ok(Value::None)
}

fn copy(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list.copy", kw)?;
    args::count("list.copy", rest(args), 0, 0)?;
    Ok(Value::list(receiver(args)?.snapshot()))
}

/// `list.sort(*, key=None, reverse=False)`.
fn sort(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if !rest(args).is_empty() {
        return Err(Exc::type_error("sort() takes no positional arguments"));
    }
    let l = receiver(args)?;
    let mut key = None;
    let mut reverse_arg = None;
    for (name, value) in kw {
        match name.as_str() {
            "key" => key = Some(value.clone()),
            "reverse" => reverse_arg = Some(value.clone()),
            other => {
                return Err(Exc::type_error(format!(
                    "'{other}' is an invalid keyword argument for sort()"
                )))
            }
        }
    }
    let reverse = match reverse_arg {
        None => false,
        Some(Value::BigInt(_)) => {
            return Err(Exc::overflow("Python int too large to convert to C int"))
        }
        Some(v) => ssize_arg(vm, &v)? != 0,
    };
    let key = key.filter(|k| !k.is_none());
    // While sorting, the list looks empty (as in CPython); its items live here.
    let mut items = std::mem::take(&mut *l.lock());
    let result = sort_vec(vm, &mut items, key.as_ref(), reverse);
    let meddled = {
        let mut live = l.lock();
        std::mem::replace(&mut *live, items)
    };
    let modified = !meddled.is_empty();
    drop(meddled);
    result?;
    if modified {
        return Err(Exc::value_error("list modified during sort"));
    }
    Ok(Value::None)
}

/// Stable sort of `items` by `key` (or the items themselves) using `<`.
pub fn sort_values(
    vm: &mut Vm,
    items: Vec<Value>,
    key: Option<Value>,
    reverse: bool,
) -> ToyResult<Vec<Value>> {
    let mut items = items;
    sort_vec(vm, &mut items, key.as_ref(), reverse)?;
    Ok(items)
}

/// Sort `items` in place, stably. On an error (from the key function or a comparison),
/// `items` is left as it was.
fn sort_vec(
    vm: &mut Vm,
    items: &mut Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> ToyResult<()> {
    let computed = match key {
        Some(f) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items.iter() {
                keys.push(vm.call(f, vec![item.clone()], Vec::new())?);
            }
            Some(keys)
        }
        None => None,
    };
    if items.len() < 2 {
        return Ok(());
    }
    if computed.is_none() && sort_ints(items, reverse) {
        return Ok(());
    }
    // Sort a permutation rather than the values: an error half-way leaves `items` intact.
    let perm = sort_permutation(vm, computed.as_deref().unwrap_or(items), reverse)?;
    drop(computed);
    let mut slots: Vec<Option<Value>> = std::mem::take(items).into_iter().map(Some).collect();
    *items = perm
        .iter()
        .map(|&i| {
            slots
                .get_mut(i)
                .and_then(Option::take)
                .unwrap_or(Value::None)
        })
        .collect();
    Ok(())
}

/// Sort a list of ints (no bools) by value, in place; `false`, untouched, if some item is
/// not an int. Equal ints cannot be told apart, so sorting the numbers themselves, unstably,
/// gives the very list the stable sort of the items would.
fn sort_ints(items: &mut [Value], reverse: bool) -> bool {
    let mut nums = Vec::with_capacity(items.len());
    for v in items.iter() {
        match v {
            Value::Int(i) => nums.push(*i),
            _ => return false,
        }
    }
    nums.sort_unstable();
    if reverse {
        nums.reverse();
    }
    for (slot, n) in items.iter_mut().zip(nums) {
        *slot = Value::Int(n);
    }
    true
}

/// What all the keys are, when they share one natively comparable type.
enum KeyKind {
    Ints,
    Strs,
    /// Floats, none of them NaN.
    Floats,
    Other,
}

fn key_kind(keys: &[Value]) -> KeyKind {
    let all = |f: fn(&Value) -> bool| keys.iter().all(f);
    if all(|k| matches!(k, Value::Int(_) | Value::Bool(_))) {
        KeyKind::Ints
    } else if all(|k| matches!(k, Value::Str(_))) {
        KeyKind::Strs
    } else if all(|k| matches!(k, Value::Float(f) if !f.is_nan())) {
        KeyKind::Floats
    } else {
        KeyKind::Other
    }
}

/// Pair each native key with its position, in the order the sort starts from. `reverse`
/// keeps equal keys in their original order, as CPython does, by reversing before and
/// after a stable ascending sort.
fn tagged<'a, K>(
    keys: &'a [Value],
    reverse: bool,
    native: impl Fn(&'a Value) -> K,
) -> Vec<(K, usize)> {
    let mut v: Vec<(K, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (native(k), i))
        .collect();
    if reverse {
        v.reverse();
    }
    v
}

fn untagged<K>(mut v: Vec<(K, usize)>, reverse: bool) -> Vec<usize> {
    if reverse {
        v.reverse();
    }
    v.into_iter().map(|(_, i)| i).collect()
}

/// The order that sorts `keys` stably (ascending, or descending with `reverse`), as a
/// permutation of their positions. Homogeneous ints, strs and NaN-free floats are totally
/// ordered, so the standard library's sort is safe for them; everything else goes through
/// `merge_sort`, which tolerates inconsistent comparisons.
fn sort_permutation(vm: &mut Vm, keys: &[Value], reverse: bool) -> ToyResult<Vec<usize>> {
    Ok(match key_kind(keys) {
        KeyKind::Ints => {
            let mut v = tagged(keys, reverse, |k| match k {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                _ => 0,
            });
            v.sort_by_key(|p| p.0);
            untagged(v, reverse)
        }
        KeyKind::Strs => {
            let mut v = tagged(keys, reverse, |k| match k {
                Value::Str(s) => s.as_str(),
                _ => "",
            });
            v.sort_by(|p, q| p.0.cmp(q.0));
            untagged(v, reverse)
        }
        KeyKind::Floats => {
            let mut v = tagged(keys, reverse, |k| match k {
                Value::Float(f) => *f,
                _ => 0.0,
            });
            v.sort_by(|p, q| p.0.partial_cmp(&q.0).unwrap_or(Ordering::Equal));
            untagged(v, reverse)
        }
        KeyKind::Other => {
            let mut v = tagged(keys, reverse, |k| (Head::of(k), k));
            merge_sort(&mut v, |p, q| {
                let ((hx, x), (hy, y)) = (p.0, q.0);
                if let Some(r) = hx.lt(hy) {
                    return Ok(r);
                }
                if let Some(r) = native_lt(x, y) {
                    return Ok(r);
                }
                match vm.compare_op(CmpOp::Lt, x, y)? {
                    Value::Bool(r) => Ok(r),
                    other => vm.truthy(&other),
                }
            })?;
            untagged(v, reverse)
        }
    })
}

/// The first item of a tuple key, kept beside the key when it is an int or a str: tuples
/// whose first items differ are ordered by them alone, without following pointers into
/// the tuples (CPython's sort specialises tuple keys the same way).
#[derive(Clone, Copy)]
enum Head<'a> {
    Int(i64),
    Str(&'a str),
    Unknown,
}

impl<'a> Head<'a> {
    fn of(key: &'a Value) -> Head<'a> {
        match key {
            Value::Tuple(t) => match t.items().first() {
                Some(Value::Int(i)) => Head::Int(*i),
                Some(Value::Bool(b)) => Head::Int(*b as i64),
                Some(Value::Str(s)) => Head::Str(s.as_str()),
                _ => Head::Unknown,
            },
            _ => Head::Unknown,
        }
    }

    /// `tuple_x < tuple_y` when their first items settle it.
    fn lt(self, other: Head) -> Option<bool> {
        match (self, other) {
            (Head::Int(i), Head::Int(j)) if i != j => Some(i < j),
            (Head::Str(x), Head::Str(y)) if x != y => Some(x < y),
            _ => None,
        }
    }
}

fn is_number(v: &Value) -> bool {
    matches!(
        v,
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::BigInt(_)
    )
}

/// `a < b` without the VM when both are strs, numbers, or tuples that decide on such
/// items (as CPython's specialised sort compares do); `None` when toy code might run.
fn native_lt(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.as_str() < y.as_str()),
        (Value::Tuple(x), Value::Tuple(y)) => {
            // Lexicographic: the first pair that is not equal decides, by `<`.
            for (p, q) in x.items().iter().zip(y.items()) {
                if !native_eq(p, q)? {
                    return native_lt(p, q);
                }
            }
            Some(x.len() < y.len())
        }
        _ if is_number(a) && is_number(b) => Some(number_cmp(a, b)? == Some(Ordering::Less)),
        _ => None,
    }
}

/// Exact comparison of two numbers, without big-int arithmetic in the common cases.
fn number_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    /// Ints up to 2**53 convert to f64 exactly.
    const EXACT: i64 = 1 << 53;
    let small = |v: &Value| match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => Some(x.partial_cmp(y)),
        (Value::Float(x), _) => match small(b) {
            Some(j) if (-EXACT..=EXACT).contains(&j) => Some(x.partial_cmp(&(j as f64))),
            _ => super::number::numeric_cmp(a, b),
        },
        (_, Value::Float(y)) => match small(a) {
            Some(i) if (-EXACT..=EXACT).contains(&i) => Some((i as f64).partial_cmp(y)),
            _ => super::number::numeric_cmp(a, b),
        },
        _ => match (small(a), small(b)) {
            (Some(i), Some(j)) => Some(Some(i.cmp(&j))),
            _ => super::number::numeric_cmp(a, b),
        },
    }
}

/// `a == b` (identity first) without the VM, for the same kinds of values as `native_lt`.
fn native_eq(a: &Value, b: &Value) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.as_str() == y.as_str()),
        (Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (p, q) in x.items().iter().zip(y.items()) {
                if !native_eq(p, q)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ if is_number(a) && is_number(b) => Some(number_cmp(a, b)? == Some(Ordering::Equal)),
        _ => None,
    }
}

/// CPython's `merge_compute_minrun`: `n` itself below 64, else a length in 32..=64 that
/// makes `n / minrun` a power of two or just below one.
fn min_run(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// CPython's `count_run`: the length of the run starting at `v[lo]` (at most up to `hi`),
/// and whether it is strictly descending.
fn count_run<T, F>(v: &[T], lo: usize, hi: usize, less: &mut F) -> ToyResult<(usize, bool)>
where
    T: Copy,
    F: FnMut(T, T) -> ToyResult<bool>,
{
    if lo + 1 >= hi {
        return Ok((hi - lo, false));
    }
    let descending = less(v[lo + 1], v[lo])?;
    let mut i = lo + 2;
    while i < hi && less(v[i], v[i - 1])? == descending {
        i += 1;
    }
    Ok((i - lo, descending))
}

/// CPython's `binarysort`: `v[lo..start]` is sorted; insert each of `v[start..hi]` after
/// the last item it is not less than.
fn binary_insertion<T, F>(
    v: &mut [T],
    lo: usize,
    start: usize,
    hi: usize,
    less: &mut F,
) -> ToyResult<()>
where
    T: Copy,
    F: FnMut(T, T) -> ToyResult<bool>,
{
    for i in start.max(lo + 1)..hi {
        let pivot = v[i];
        let (mut l, mut r) = (lo, i);
        while l < r {
            let mid = l + (r - l) / 2;
            if less(pivot, v[mid])? {
                r = mid;
            } else {
                l = mid + 1;
            }
        }
        v[l..=i].rotate_right(1);
    }
    Ok(())
}

/// A stable merge sort with a fallible `less(a, b)`, shaped like CPython's timsort: natural
/// runs (strictly descending ones reversed) extended to `min_run` by binary insertion, then
/// adjacent runs merged pairwise, skipping pairs already in order. Below 64 items this
/// makes exactly CPython's comparisons, so even inconsistent orders (NaNs) come out the
/// same. As in CPython, the later item is always the left operand of `<`. Only index
/// arithmetic depends on the comparisons, so an inconsistent `__lt__` gives some
/// permutation, never a panic; on an error `v` is still a permutation of what it was.
fn merge_sort<T, F>(v: &mut [T], mut less: F) -> ToyResult<()>
where
    T: Copy,
    F: FnMut(T, T) -> ToyResult<bool>,
{
    let n = v.len();
    let minrun = min_run(n);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut lo = 0;
    while lo < n {
        let (mut len, descending) = count_run(v, lo, n, &mut less)?;
        if descending {
            v[lo..lo + len].reverse();
        }
        if len < minrun {
            let forced = minrun.min(n - lo);
            binary_insertion(v, lo, lo + len, lo + forced, &mut less)?;
            len = forced;
        }
        runs.push((lo, lo + len));
        lo += len;
    }
    let mut buf = v.to_vec();
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        for pair in runs.chunks(2) {
            match *pair {
                [(lo, mid), (_, hi)] => {
                    if less(v[mid], v[mid - 1])? {
                        merge(&v[lo..mid], &v[mid..hi], &mut buf[lo..hi], &mut less)?;
                        v[lo..hi].copy_from_slice(&buf[lo..hi]);
                    }
                    merged.push((lo, hi));
                }
                [run] => merged.push(run),
                _ => {}
            }
        }
        runs = merged;
    }
    Ok(())
}

/// Merge two sorted runs into `out` (of their combined length), taking from the left run
/// on ties.
fn merge<T, F>(left: &[T], right: &[T], out: &mut [T], less: &mut F) -> ToyResult<()>
where
    T: Copy,
    F: FnMut(T, T) -> ToyResult<bool>,
{
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        if less(right[j], left[i])? {
            out[k] = right[j];
            j += 1;
        } else {
            out[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    let tail = if i < left.len() {
        &left[i..]
    } else {
        &right[j..]
    };
    out[k..].copy_from_slice(tail);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_by(values: &[i64], less: impl Fn(i64, i64) -> bool) -> Vec<usize> {
        let mut perm: Vec<usize> = (0..values.len()).collect();
        merge_sort(&mut perm, |a: usize, b: usize| {
            Ok(less(values[a], values[b]))
        })
        .unwrap_or_else(|_| panic!("no error"));
        perm
    }

    #[test]
    fn merge_sort_is_stable_and_sorted() {
        let values: Vec<i64> = (0..1000).map(|i| (i * 7919) % 97).collect();
        let perm = sorted_by(&values, |a, b| a < b);
        for w in perm.windows(2) {
            let (a, b) = (values[w[0]], values[w[1]]);
            assert!(a < b || (a == b && w[0] < w[1]));
        }
    }

    #[test]
    fn merge_sort_survives_inconsistent_comparisons() {
        let values: Vec<i64> = (0..500).collect();
        let perm = sorted_by(&values, |a, b| (a * 31 + b * 17) % 3 == 0);
        let mut seen = perm.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
    }
}
