//! The `itertools` module: lazy iterators implemented as native classes.
//!
//! Every iterator keeps its state behind a lock. `__next__` takes the state out (leaving
//! `Busy` behind), advances it with the lock released — it may call toy code: `next()` on
//! wrapped iterators, predicates, key functions — and puts it back. Re-entering the same
//! iterator from that toy code is an error, as re-entering a running generator is.

use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::int::index_of;
use crate::objects::types::{Instance, Payload};
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::syntax::ast::BinOp;
use crate::vm::Vm;

/// The class names, in the order of `class_table()`.
const CLASSES: &[(&str, NativeFn)] = &[
    ("count", count_new),
    ("cycle", cycle_new),
    ("repeat", repeat_new),
    ("islice", islice_new),
    ("chain", chain_new),
    ("accumulate", accumulate_new),
    ("product", product_new),
    ("permutations", permutations_new),
    ("combinations", combinations_new),
    ("combinations_with_replacement", cwr_new),
    ("zip_longest", zip_longest_new),
    ("takewhile", takewhile_new),
    ("dropwhile", dropwhile_new),
    ("groupby", groupby_new),
    ("starmap", starmap_new),
    ("compress", compress_new),
    ("filterfalse", filterfalse_new),
    ("pairwise", pairwise_new),
    ("_grouper", no_new),
    ("_tee", no_new),
];

fn class_table() -> &'static Vec<Arc<TypeObj>> {
    static TABLE: OnceLock<Vec<Arc<TypeObj>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let table: Vec<Arc<TypeObj>> = CLASSES
            .iter()
            .map(|(name, new)| {
                TypeObj::new_native(
                    name,
                    "itertools",
                    *new,
                    &[
                        ("__iter__", it_iter),
                        ("__next__", it_next),
                        ("__repr__", it_repr),
                    ],
                )
            })
            .collect();
        let from_iterable = Value::instance(crate::objects::Instance::new(
            &types().classmethod,
            Payload::ClassMethod(Value::Builtin(Arc::new(Builtin::function(
                "from_iterable",
                chain_from_iterable,
            )))),
        ));
        table[4].set_attr("from_iterable", from_iterable);
        table
    })
}

fn class_named(name: &str) -> &'static Arc<TypeObj> {
    let i = CLASSES.iter().position(|(n, _)| *n == name).unwrap_or(0);
    &class_table()[i]
}

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    for (i, (name, _)) in CLASSES.iter().enumerate() {
        if !name.starts_with('_') {
            m.set_str(name, Value::Type(class_table()[i].clone()));
        }
    }
    m.set_str(
        "tee",
        Value::Builtin(Arc::new(Builtin::function("tee", tee))),
    );
}

// ----- the shared iterator machinery --------------------------------------------------------

struct ItObj {
    st: Mutex<St>,
}

/// Shared state of a `groupby` and the groups it hands out; `None` while in use.
type GroupCell = Arc<Mutex<Option<GroupData>>>;

struct GroupData {
    it: Value,
    key: Value,
    tgtkey: Option<Value>,
    currkey: Option<Value>,
    currvalue: Option<Value>,
    /// Which group may still advance (older groups are exhausted).
    current_group: u64,
    groups_made: u64,
}

/// Shared buffer of the iterators made by one `tee`; `None` while in use.
type TeeCell = Arc<Mutex<Option<TeeData>>>;

struct TeeData {
    it: Value,
    buffer: Vec<Value>,
    done: bool,
}

enum St {
    /// Being advanced right now (by this thread further up the stack, or another one).
    Busy,
    Done,
    Count {
        next: Value,
        step: Value,
    },
    Cycle {
        it: Option<Value>,
        saved: Vec<Value>,
        index: usize,
    },
    Repeat {
        obj: Value,
        left: Option<i64>,
    },
    Islice {
        it: Value,
        next: usize,
        stop: Option<usize>,
        step: usize,
        count: usize,
    },
    Chain {
        sources: Value,
        active: Option<Value>,
    },
    Accumulate {
        it: Value,
        func: Value,
        total: Option<Value>,
        initial: Option<Value>,
    },
    Product {
        pools: Vec<Vec<Value>>,
        indices: Option<Vec<usize>>,
    },
    Permutations {
        pool: Vec<Value>,
        r: usize,
        indices: Vec<usize>,
        cycles: Vec<usize>,
        started: bool,
    },
    Combinations {
        pool: Vec<Value>,
        r: usize,
        indices: Vec<usize>,
        started: bool,
        replace: bool,
    },
    ZipLongest {
        iters: Vec<Option<Value>>,
        active: usize,
        fill: Value,
    },
    TakeWhile {
        pred: Value,
        it: Value,
    },
    DropWhile {
        pred: Value,
        it: Value,
        dropping: bool,
    },
    GroupBy(GroupCell),
    Grouper {
        parent: GroupCell,
        tgtkey: Value,
        id: u64,
    },
    StarMap {
        func: Value,
        it: Value,
    },
    Compress {
        data: Value,
        selectors: Value,
    },
    FilterFalse {
        pred: Value,
        it: Value,
    },
    Pairwise {
        it: Value,
        old: Option<Value>,
    },
    Tee {
        shared: TeeCell,
        index: usize,
    },
}

fn new_it(cls: &Arc<TypeObj>, st: St) -> Value {
    Instance::native(cls, ItObj { st: Mutex::new(st) })
}

fn it_of(v: &Value) -> ToyResult<&ItObj> {
    match v {
        Value::Instance(i) => i
            .native_ref::<ItObj>()
            .ok_or_else(|| Exc::type_error("expected an itertools iterator")),
        _ => Err(Exc::type_error("expected an itertools iterator")),
    }
}

fn cls_of(args: &[Value]) -> ToyResult<&Arc<TypeObj>> {
    match args.first() {
        Some(Value::Type(t)) => Ok(t),
        _ => Err(Exc::type_error("__new__ needs a type")),
    }
}

fn no_new(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let name = cls_of(args).map(|c| c.name.to_string()).unwrap_or_default();
    Err(Exc::type_error(format!(
        "cannot create 'itertools.{name}' instances"
    )))
}

fn it_iter(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(args[0].clone())
}

fn it_next(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let obj = it_of(&args[0])?;
    let mut st = std::mem::replace(&mut *obj.st.lock(), St::Busy);
    if matches!(st, St::Busy) {
        return Err(Exc::value_error("generator already executing"));
    }
    let r = step(vm, &mut st);
    if let Ok(None) = r {
        st = St::Done;
    }
    *obj.st.lock() = st;
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(Exc::stop_iteration(None)),
        Err(e) => Err(e),
    }
}

fn it_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let obj = it_of(&args[0])?;
    let name = args[0].type_name();
    enum Shown {
        Count(Value, Value),
        Repeat(Value, Option<i64>),
        Other,
    }
    let shown = match &*obj.st.lock() {
        St::Count { next, step } => Shown::Count(next.clone(), step.clone()),
        St::Repeat { obj, left } => Shown::Repeat(obj.clone(), *left),
        _ => Shown::Other,
    };
    Ok(Value::string(match shown {
        Shown::Count(next, step) => {
            let n = vm.repr(&next)?;
            if matches!(step, Value::Int(1)) {
                format!("{name}({n})")
            } else {
                format!("{name}({n}, {})", vm.repr(&step)?)
            }
        }
        Shown::Repeat(o, left) => {
            let o = vm.repr(&o)?;
            match left {
                Some(n) => format!("{name}({o}, {n})"),
                None => format!("{name}({o})"),
            }
        }
        Shown::Other => vm.default_repr(&args[0]),
    }))
}

fn tuple_of(pool: &[Value], indices: &[usize]) -> Value {
    Value::tuple(indices.iter().map(|&i| pool[i].clone()).collect())
}

/// Advance `st` by one item; `None` when exhausted.
fn step(vm: &mut Vm, st: &mut St) -> ToyResult<Option<Value>> {
    match st {
        St::Busy | St::Done => Ok(None),
        St::Count { next, step } => {
            let cur = next.clone();
            *next = vm.binary_op(BinOp::Add, false, cur.clone(), step.clone())?;
            Ok(Some(cur))
        }
        St::Cycle { it, saved, index } => {
            if let Some(src) = it.clone() {
                match vm.next(&src)? {
                    Some(v) => {
                        saved.push(v.clone());
                        return Ok(Some(v));
                    }
                    None => *it = None,
                }
            }
            if saved.is_empty() {
                return Ok(None);
            }
            let v = saved[*index % saved.len()].clone();
            *index = (*index + 1) % saved.len();
            Ok(Some(v))
        }
        St::Repeat { obj, left } => match left {
            Some(0) => Ok(None),
            Some(n) => {
                *n -= 1;
                Ok(Some(obj.clone()))
            }
            None => Ok(Some(obj.clone())),
        },
        St::Islice {
            it,
            next,
            stop,
            step,
            count,
        } => {
            while *count < *next {
                if vm.next(it)?.is_none() {
                    return Ok(None);
                }
                *count += 1;
            }
            if stop.is_some_and(|s| *count >= s) {
                return Ok(None);
            }
            let Some(item) = vm.next(it)? else {
                return Ok(None);
            };
            *count += 1;
            let old = *next;
            *next = next.saturating_add(*step);
            if let Some(s) = *stop {
                if *next < old || *next > s {
                    *next = s;
                }
            }
            Ok(Some(item))
        }
        St::Chain { sources, active } => loop {
            if active.is_none() {
                match vm.next(sources)? {
                    Some(iterable) => *active = Some(vm.get_iter(&iterable)?),
                    None => return Ok(None),
                }
            }
            if let Some(a) = active.clone() {
                if let Some(v) = vm.next(&a)? {
                    return Ok(Some(v));
                }
            }
            *active = None;
        },
        St::Accumulate {
            it,
            func,
            total,
            initial,
        } => {
            if let Some(init) = initial.take() {
                *total = Some(init.clone());
                return Ok(Some(init));
            }
            let Some(v) = vm.next(it)? else {
                return Ok(None);
            };
            let new_total = match total.take() {
                None => v,
                Some(t) if func.is_none() => vm.binary_op(BinOp::Add, false, t, v)?,
                Some(t) => vm.call(func, vec![t, v], Vec::new())?,
            };
            *total = Some(new_total.clone());
            Ok(Some(new_total))
        }
        St::Product { pools, indices } => match indices {
            None => {
                if pools.iter().any(|p| p.is_empty()) {
                    return Ok(None);
                }
                *indices = Some(vec![0; pools.len()]);
                Ok(Some(Value::tuple(
                    pools.iter().map(|p| p[0].clone()).collect(),
                )))
            }
            Some(idx) => {
                let mut i = pools.len();
                loop {
                    if i == 0 {
                        return Ok(None);
                    }
                    i -= 1;
                    idx[i] += 1;
                    if idx[i] == pools[i].len() {
                        idx[i] = 0;
                    } else {
                        break;
                    }
                }
                Ok(Some(Value::tuple(
                    pools
                        .iter()
                        .zip(idx.iter())
                        .map(|(p, &k)| p[k].clone())
                        .collect(),
                )))
            }
        },
        St::Permutations {
            pool,
            r,
            indices,
            cycles,
            started,
        } => {
            let (n, r) = (pool.len(), *r);
            if r > n {
                return Ok(None);
            }
            if !*started {
                *started = true;
                return Ok(Some(tuple_of(pool, &indices[..r])));
            }
            if n == 0 {
                return Ok(None);
            }
            for i in (0..r).rev() {
                cycles[i] -= 1;
                if cycles[i] == 0 {
                    indices[i..].rotate_left(1);
                    cycles[i] = n - i;
                } else {
                    let j = cycles[i];
                    indices.swap(i, n - j);
                    return Ok(Some(tuple_of(pool, &indices[..r])));
                }
            }
            Ok(None)
        }
        St::Combinations {
            pool,
            r,
            indices,
            started,
            replace,
        } => {
            let (n, r) = (pool.len(), *r);
            if !*started {
                *started = true;
                if (!*replace && r > n) || (*replace && n == 0 && r > 0) {
                    return Ok(None);
                }
                return Ok(Some(tuple_of(pool, indices)));
            }
            if *replace {
                let Some(i) = (0..r).rev().find(|&i| indices[i] != n - 1) else {
                    return Ok(None);
                };
                let v = indices[i] + 1;
                for slot in &mut indices[i..] {
                    *slot = v;
                }
            } else {
                let Some(i) = (0..r).rev().find(|&i| indices[i] != i + n - r) else {
                    return Ok(None);
                };
                indices[i] += 1;
                for j in i + 1..r {
                    indices[j] = indices[j - 1] + 1;
                }
            }
            Ok(Some(tuple_of(pool, indices)))
        }
        St::ZipLongest {
            iters,
            active,
            fill,
        } => {
            if iters.is_empty() || *active == 0 {
                return Ok(None);
            }
            let mut items = Vec::with_capacity(iters.len());
            for slot in iters.iter_mut() {
                let item = match slot.clone() {
                    None => fill.clone(),
                    Some(it) => match vm.next(&it)? {
                        Some(v) => v,
                        None => {
                            *active -= 1;
                            if *active == 0 {
                                return Ok(None);
                            }
                            *slot = None;
                            fill.clone()
                        }
                    },
                };
                items.push(item);
            }
            Ok(Some(Value::tuple(items)))
        }
        St::TakeWhile { pred, it } => {
            let Some(v) = vm.next(it)? else {
                return Ok(None);
            };
            let r = vm.call(pred, vec![v.clone()], Vec::new())?;
            Ok(if vm.truthy(&r)? { Some(v) } else { None })
        }
        St::DropWhile { pred, it, dropping } => loop {
            let Some(v) = vm.next(it)? else {
                return Ok(None);
            };
            if !*dropping {
                return Ok(Some(v));
            }
            let r = vm.call(pred, vec![v.clone()], Vec::new())?;
            if !vm.truthy(&r)? {
                *dropping = false;
                return Ok(Some(v));
            }
        },
        St::GroupBy(cell) => groupby_next(vm, cell),
        St::Grouper { parent, tgtkey, id } => grouper_next(vm, parent, tgtkey, *id),
        St::StarMap { func, it } => {
            let Some(v) = vm.next(it)? else {
                return Ok(None);
            };
            let args = vm.collect(&v)?;
            Ok(Some(vm.call(func, args, Vec::new())?))
        }
        St::Compress { data, selectors } => loop {
            let Some(d) = vm.next(data)? else {
                return Ok(None);
            };
            let Some(s) = vm.next(selectors)? else {
                return Ok(None);
            };
            if vm.truthy(&s)? {
                return Ok(Some(d));
            }
        },
        St::FilterFalse { pred, it } => loop {
            let Some(v) = vm.next(it)? else {
                return Ok(None);
            };
            let keep = if pred.is_none() {
                !vm.truthy(&v)?
            } else {
                let r = vm.call(pred, vec![v.clone()], Vec::new())?;
                !vm.truthy(&r)?
            };
            if keep {
                return Ok(Some(v));
            }
        },
        St::Pairwise { it, old } => {
            let prev = match old.take() {
                Some(o) => o,
                None => match vm.next(it)? {
                    Some(v) => v,
                    None => return Ok(None),
                },
            };
            let Some(new) = vm.next(it)? else {
                return Ok(None);
            };
            *old = Some(new.clone());
            Ok(Some(Value::tuple(vec![prev, new])))
        }
        St::Tee { shared, index } => tee_next(vm, shared, index),
    }
}

// ----- constructors -------------------------------------------------------------------------

fn count_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [start_kw, step_kw] = args::keywords("count", kw, &["start", "step"])?
        .try_into()
        .unwrap_or_default();
    args::count("count", &args[1..], 0, 2)?;
    let start = args.get(1).cloned().or(start_kw).unwrap_or(Value::Int(0));
    let step = args.get(2).cloned().or(step_kw).unwrap_or(Value::Int(1));
    for v in [&start, &step] {
        let numeric = matches!(
            v,
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) | Value::Float(_)
        ) || vm.lookup_special(v, "__add__").is_some();
        if !numeric {
            return Err(Exc::type_error("a number is required"));
        }
    }
    Ok(new_it(cls, St::Count { next: start, step }))
}

fn cycle_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    args::no_kwargs("cycle", kw)?;
    args::count("cycle", &args[1..], 1, 1)?;
    let it = vm.get_iter(&args[1])?;
    Ok(new_it(
        cls,
        St::Cycle {
            it: Some(it),
            saved: Vec::new(),
            index: 0,
        },
    ))
}

fn repeat_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [obj_kw, times_kw] = args::keywords("repeat", kw, &["object", "times"])?
        .try_into()
        .unwrap_or_default();
    args::count("repeat", &args[1..], 0, 2)?;
    let Some(obj) = args.get(1).cloned().or(obj_kw) else {
        return Err(Exc::type_error(
            "repeat() missing required argument 'object' (pos 1)",
        ));
    };
    let left = match args.get(2).cloned().or(times_kw) {
        None => None,
        Some(t) => Some(index_of(&t)?.max(0)),
    };
    Ok(new_it(cls, St::Repeat { obj, left }))
}

fn islice_index(v: &Value, msg: &str) -> ToyResult<Option<usize>> {
    match v {
        Value::None => Ok(None),
        v if v.is_int_like() => match crate::objects::int::to_i64(v) {
            Some(n) if n >= 0 => Ok(Some(n as usize)),
            Some(_) => Err(Exc::value_error(msg)),
            None => Ok(Some(usize::MAX)),
        },
        _ => Err(Exc::value_error(msg)),
    }
}

fn islice_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    args::no_kwargs("islice", kw)?;
    let rest = &args[1..];
    args::count("islice", rest, 2, 4)?;
    let (start, stop, step) = if rest.len() == 2 {
        let stop = islice_index(
            &rest[1],
            "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
        )?;
        (0, stop, 1)
    } else {
        let msg = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
        let start = islice_index(&rest[1], msg)?.unwrap_or(0);
        let stop = islice_index(&rest[2], msg)?;
        let step = match rest.get(3) {
            None | Some(Value::None) => 1,
            Some(s) => {
                match islice_index(s, "Step for islice() must be a positive integer or None.") {
                    Ok(Some(n)) if n > 0 => n,
                    _ => {
                        return Err(Exc::value_error(
                            "Step for islice() must be a positive integer or None.",
                        ))
                    }
                }
            }
        };
        (start, stop, step)
    };
    let it = vm.get_iter(&rest[0])?;
    Ok(new_it(
        cls,
        St::Islice {
            it,
            next: start,
            stop,
            step,
            count: 0,
        },
    ))
}

fn chain_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    args::no_kwargs("chain", kw)?;
    let sources = vm.get_iter(&Value::tuple(args[1..].to_vec()))?;
    Ok(new_it(
        cls,
        St::Chain {
            sources,
            active: None,
        },
    ))
}

fn chain_from_iterable(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("from_iterable", kw)?;
    args::count("from_iterable", &args[1..], 1, 1)?;
    let cls = cls_of(args)?;
    let sources = vm.get_iter(&args[1])?;
    Ok(new_it(
        cls,
        St::Chain {
            sources,
            active: None,
        },
    ))
}

fn accumulate_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [it_kw, func_kw, initial] =
        args::keywords("accumulate", kw, &["iterable", "func", "initial"])?
            .try_into()
            .unwrap_or_default();
    args::count("accumulate", &args[1..], 0, 2)?;
    let Some(iterable) = args.get(1).cloned().or(it_kw) else {
        return Err(Exc::type_error(
            "accumulate() missing required argument 'iterable' (pos 1)",
        ));
    };
    let func = args.get(2).cloned().or(func_kw).unwrap_or(Value::None);
    let it = vm.get_iter(&iterable)?;
    Ok(new_it(
        cls,
        St::Accumulate {
            it,
            func,
            total: None,
            initial: initial.filter(|v| !v.is_none()),
        },
    ))
}

fn product_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [repeat] = args::keywords("product", kw, &["repeat"])?
        .try_into()
        .unwrap_or_default();
    let repeat = match repeat {
        Some(r) => index_of(&r)?,
        None => 1,
    };
    if repeat < 0 {
        return Err(Exc::value_error("repeat argument cannot be negative"));
    }
    let mut base = Vec::with_capacity(args.len() - 1);
    for a in &args[1..] {
        base.push(vm.collect(a)?);
    }
    let mut pools = Vec::new();
    for _ in 0..repeat {
        pools.extend(base.iter().cloned());
    }
    Ok(new_it(
        cls,
        St::Product {
            pools,
            indices: None,
        },
    ))
}

fn r_arg(v: Option<&Value>, default: usize) -> ToyResult<usize> {
    match v {
        None | Some(Value::None) => Ok(default),
        Some(v) => {
            let r = index_of(v)?;
            if r < 0 {
                return Err(Exc::value_error("r must be non-negative"));
            }
            Ok(r as usize)
        }
    }
}

fn permutations_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [it_kw, r_kw] = args::keywords("permutations", kw, &["iterable", "r"])?
        .try_into()
        .unwrap_or_default();
    args::count("permutations", &args[1..], 0, 2)?;
    let Some(iterable) = args.get(1).cloned().or(it_kw) else {
        return Err(Exc::type_error(
            "permutations() missing required argument 'iterable' (pos 1)",
        ));
    };
    let pool = vm.collect(&iterable)?;
    let n = pool.len();
    let r = r_arg(args.get(2).or(r_kw.as_ref()), n)?;
    let indices = (0..n).collect();
    let cycles = if r <= n {
        (n - r + 1..=n).rev().collect()
    } else {
        Vec::new()
    };
    Ok(new_it(
        cls,
        St::Permutations {
            pool,
            r,
            indices,
            cycles,
            started: false,
        },
    ))
}

fn combinations_common(
    vm: &mut Vm,
    args: &[Value],
    kw: Kw,
    name: &str,
    replace: bool,
) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [it_kw, r_kw] = args::keywords(name, kw, &["iterable", "r"])?
        .try_into()
        .unwrap_or_default();
    let iterable = args.get(1).cloned().or(it_kw);
    let r = args.get(2).cloned().or(r_kw);
    let (Some(iterable), Some(r)) = (iterable, r) else {
        let missing = if args.len() >= 2 {
            "'r' (pos 2)"
        } else {
            "'iterable' (pos 1)"
        };
        return Err(Exc::type_error(format!(
            "{name}() missing required argument {missing}"
        )));
    };
    args::count(name, &args[1..], 0, 2)?;
    let pool = vm.collect(&iterable)?;
    let r = r_arg(Some(&r), 0)?;
    let indices = if replace {
        vec![0; r]
    } else {
        (0..r).collect()
    };
    Ok(new_it(
        cls,
        St::Combinations {
            pool,
            r,
            indices,
            started: false,
            replace,
        },
    ))
}

fn combinations_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    combinations_common(vm, args, kw, "combinations", false)
}

fn cwr_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    combinations_common(vm, args, kw, "combinations_with_replacement", true)
}

fn zip_longest_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [fill] = args::keywords("zip_longest", kw, &["fillvalue"])?
        .try_into()
        .unwrap_or_default();
    let mut iters = Vec::with_capacity(args.len() - 1);
    for a in &args[1..] {
        iters.push(Some(vm.get_iter(a)?));
    }
    let active = iters.len();
    Ok(new_it(
        cls,
        St::ZipLongest {
            iters,
            active,
            fill: fill.unwrap_or(Value::None),
        },
    ))
}

/// `(predicate, iterable)` constructors.
fn pred_args(vm: &mut Vm, name: &str, args: &[Value], kw: Kw) -> ToyResult<(Value, Value)> {
    args::no_kwargs(name, kw)?;
    args::count(name, &args[1..], 2, 2)?;
    Ok((args[1].clone(), vm.get_iter(&args[2])?))
}

fn takewhile_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (pred, it) = pred_args(vm, "takewhile", args, kw)?;
    Ok(new_it(cls_of(args)?, St::TakeWhile { pred, it }))
}

fn dropwhile_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (pred, it) = pred_args(vm, "dropwhile", args, kw)?;
    Ok(new_it(
        cls_of(args)?,
        St::DropWhile {
            pred,
            it,
            dropping: true,
        },
    ))
}

fn starmap_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (func, it) = pred_args(vm, "starmap", args, kw)?;
    Ok(new_it(cls_of(args)?, St::StarMap { func, it }))
}

fn filterfalse_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (pred, it) = pred_args(vm, "filterfalse", args, kw)?;
    Ok(new_it(cls_of(args)?, St::FilterFalse { pred, it }))
}

fn compress_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [data_kw, sel_kw] = args::keywords("compress", kw, &["data", "selectors"])?
        .try_into()
        .unwrap_or_default();
    let data = args.get(1).cloned().or(data_kw);
    let selectors = args.get(2).cloned().or(sel_kw);
    let (Some(data), Some(selectors)) = (data, selectors) else {
        let missing = if args.len() >= 2 {
            "'selectors' (pos 2)"
        } else {
            "'data' (pos 1)"
        };
        return Err(Exc::type_error(format!(
            "compress() missing required argument {missing}"
        )));
    };
    let data = vm.get_iter(&data)?;
    let selectors = vm.get_iter(&selectors)?;
    Ok(new_it(cls, St::Compress { data, selectors }))
}

fn pairwise_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    args::no_kwargs("pairwise", kw)?;
    args::count("pairwise", &args[1..], 1, 1)?;
    let it = vm.get_iter(&args[1])?;
    Ok(new_it(cls, St::Pairwise { it, old: None }))
}

// ----- groupby --------------------------------------------------------------------------------

fn groupby_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_of(args)?;
    let [it_kw, key_kw] = args::keywords("groupby", kw, &["iterable", "key"])?
        .try_into()
        .unwrap_or_default();
    args::count("groupby", &args[1..], 0, 2)?;
    let Some(iterable) = args.get(1).cloned().or(it_kw) else {
        return Err(Exc::type_error(
            "groupby() missing required argument 'iterable' (pos 1)",
        ));
    };
    let key = args.get(2).cloned().or(key_kw).unwrap_or(Value::None);
    let it = vm.get_iter(&iterable)?;
    let data = GroupData {
        it,
        key,
        tgtkey: None,
        currkey: None,
        currvalue: None,
        current_group: 0,
        groups_made: 0,
    };
    Ok(new_it(cls, St::GroupBy(Arc::new(Mutex::new(Some(data))))))
}

fn take_group(cell: &GroupCell) -> ToyResult<GroupData> {
    cell.lock()
        .take()
        .ok_or_else(|| Exc::value_error("generator already executing"))
}

/// Read the next value and its key into `currvalue`/`currkey`; false at the end.
fn group_step(vm: &mut Vm, g: &mut GroupData) -> ToyResult<bool> {
    let Some(v) = vm.next(&g.it)? else {
        return Ok(false);
    };
    let k = if g.key.is_none() {
        v.clone()
    } else {
        vm.call(&g.key, vec![v.clone()], Vec::new())?
    };
    g.currvalue = Some(v);
    g.currkey = Some(k);
    Ok(true)
}

fn groupby_next(vm: &mut Vm, cell: &GroupCell) -> ToyResult<Option<Value>> {
    let mut g = take_group(cell)?;
    let r = groupby_advance(vm, &mut g);
    let r = r.map(|found| {
        found.map(|key| {
            g.groups_made += 1;
            g.current_group = g.groups_made;
            let grouper = new_it(
                class_named("_grouper"),
                St::Grouper {
                    parent: cell.clone(),
                    tgtkey: key.clone(),
                    id: g.current_group,
                },
            );
            Value::tuple(vec![key, grouper])
        })
    });
    *cell.lock() = Some(g);
    r
}

/// Skip to the first value whose key differs from the current group's; its key.
fn groupby_advance(vm: &mut Vm, g: &mut GroupData) -> ToyResult<Option<Value>> {
    g.current_group = 0;
    loop {
        match (&g.currkey, &g.tgtkey) {
            (None, _) => {}
            (Some(_), None) => break,
            (Some(c), Some(t)) => {
                let (c, t) = (c.clone(), t.clone());
                if !vm.eq(&t, &c)? {
                    break;
                }
            }
        }
        if !group_step(vm, g)? {
            return Ok(None);
        }
    }
    g.tgtkey = g.currkey.clone();
    Ok(g.currkey.clone())
}

fn grouper_next(
    vm: &mut Vm,
    cell: &GroupCell,
    tgtkey: &Value,
    id: u64,
) -> ToyResult<Option<Value>> {
    let mut g = take_group(cell)?;
    let r = (|| {
        if g.current_group != id {
            return Ok(None);
        }
        if g.currvalue.is_none() && !group_step(vm, &mut g)? {
            return Ok(None);
        }
        let Some(currkey) = g.currkey.clone() else {
            return Ok(None);
        };
        if !vm.eq(tgtkey, &currkey)? {
            return Ok(None);
        }
        Ok(g.currvalue.take())
    })();
    *cell.lock() = Some(g);
    r
}

// ----- tee ------------------------------------------------------------------------------------

fn tee(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("tee", kw)?;
    args::count("tee", args, 1, 2)?;
    let n = match args.get(1) {
        Some(v) => index_of(v)?,
        None => 2,
    };
    if n < 0 {
        return Err(Exc::value_error("n must be >= 0"));
    }
    let it = vm.get_iter(&args[0])?;
    let shared: TeeCell = Arc::new(Mutex::new(Some(TeeData {
        it,
        buffer: Vec::new(),
        done: false,
    })));
    let items = (0..n)
        .map(|_| {
            new_it(
                class_named("_tee"),
                St::Tee {
                    shared: shared.clone(),
                    index: 0,
                },
            )
        })
        .collect();
    Ok(Value::tuple(items))
}

fn tee_next(vm: &mut Vm, shared: &TeeCell, index: &mut usize) -> ToyResult<Option<Value>> {
    let mut data = shared
        .lock()
        .take()
        .ok_or_else(|| Exc::runtime_error("cannot re-enter the tee iterator"))?;
    let r = (|| {
        if let Some(v) = data.buffer.get(*index) {
            *index += 1;
            return Ok(Some(v.clone()));
        }
        if data.done {
            return Ok(None);
        }
        match vm.next(&data.it)? {
            Some(v) => {
                data.buffer.push(v.clone());
                *index += 1;
                Ok(Some(v))
            }
            None => {
                data.done = true;
                Ok(None)
            }
        }
    })();
    *shared.lock() = Some(data);
    r
}
