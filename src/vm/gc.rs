//! The cycle collector: frees groups of objects that only reference each other, which
//! reference counting alone never frees. In the spirit of CPython's `Modules/gcmodule.c`
//! (trial deletion, three generations), without `unsafe`.
//!
//! ## Tracking
//!
//! Every container object that can hold references — user instances, lists, dicts, sets,
//! tuples holding containers, cells, functions, bound methods, generators — is created
//! through `track`, which wraps it in its `Arc` and records a `Weak` to it. Each such object
//! has a `GcHeader` field, the collector's scratch space during a collection. The attribute
//! dict of an instance or a function is not registered: it is walked as part of its owner
//! (see `Node::dict_refs`), which halves the registrations per instance and makes the counts
//! `gc.collect()` returns match CPython 3.11's, whose instances keep attributes inline.
//! Registration pushes onto a per-thread buffer (`THREAD_GC`). When it holds `YOUNG_BATCH`
//! entries, the entries of objects that already died are dropped (most objects die young:
//! their memory is released soon, while the allocator can still reuse it at once), and once
//! at least half of the buffer is alive it all moves into the youngest generation of the
//! interpreter's registry (`GcState`, one per `Interp`; `attach` says which one a thread
//! uses), taking the registry lock once per batch.
//!
//! ## Generations and automatic collection
//!
//! As in CPython, `counts[0]` is allocations minus deallocations of tracked objects since the
//! last collection — here computed lazily, as the number of young objects still alive when
//! the per-thread buffer is flushed. When it exceeds `thresholds[0]` (700), a collection is
//! requested: `GcState::pending` is set and the eval breaker (`vm::breaker::request`) stops
//! the eval loop at the next instruction boundary, where `Vm::service_breaker` calls
//! `collect_if_due`. Nothing is ever collected inside an allocation. A collection of
//! generation `g` moves its survivors to generation `g + 1` and bumps that generation's count;
//! generation 1 is collected once its count passes 10, generation 2 once its count passes 10
//! *and* the objects waiting to be examined by a full collection are at least half of those
//! that survived the last one (CPython's guard against quadratic behaviour, which waits for
//! a quarter; see `FULL_COLLECTION_RATIO`).
//! Collections also drop the registry entries of dead objects, so the registry does not grow
//! without bound.
//!
//! ## One collection (trial deletion)
//!
//! 1. Upgrade every entry of the generations being collected: `nodes`, each one strong
//!    reference held by the collector, and write a fresh `Mark` and the node's index into
//!    its header. Dead entries are dropped here, duplicates (already marked) skipped.
//! 2. `gc_refs[n] = strong_count(n) - 1` (minus the collector's own reference), plus, for an
//!    instance or a function, the references to its attribute dict other than its own.
//! 3. For every node, for every strong reference it holds to another node (a target whose
//!    header carries this collection's mark), subtract one from the target's `gc_refs`.
//! 4. Nodes with `gc_refs != 0` are referenced from outside the set (a VM stack, a frame, an
//!    untracked object, an older generation): they and everything they transitively
//!    reference are alive. The rest is cyclic garbage.
//! 5. Run `__del__` of garbage instances not finalized yet (marking them finalized first).
//! 6. If any finalizer ran, repeat steps 2-4 on the garbage alone: a finalizer may have stored
//!    a reference to a garbage object somewhere live (resurrection); those objects and all
//!    they reference survive.
//! 7. Clear the remaining garbage — list items, dict entries, set members, cell contents,
//!    exception state, suspended generator frames — which breaks every cycle, then drop the
//!    collector's references so that reference counting frees the objects. Headers are reset
//!    to 0 before the collector lets go of an object, so a mark never outlives its collection.
//!
//! ## Why this never frees a live object
//!
//! An object is cleared only if its `gc_refs` reached zero and no node with `gc_refs != 0`
//! reaches it. `gc_refs` starts at the true number of strong references and is decreased once
//! per strong reference that a node in the set really holds (`Node::visit` reports exactly
//! the `Arc`s the object owns, each field once; a duplicated registry entry finds its object
//! already marked and is skipped, so no object is visited twice, and a header only counts
//! when it carries the running collection's mark). So `gc_refs == 0` means every reference comes
//! from inside the set. Anything the collector does not know about — an untracked object
//! (iterators, classes, modules, native payloads), a value on a VM stack or in a frame, an
//! object in an older generation or in another thread's unflushed buffer — holds references
//! that are never subtracted, so its targets simply look referenced from outside and are
//! kept. Missing tracking can only leak; it cannot free. A negative `gc_refs` (impossible in
//! a consistent snapshot) is treated as "referenced from outside" too. The attribute dict of
//! an instance or a function is walked as part of its owner and is not a node: if anything
//! but the owner holds it, the owner counts as referenced from outside (`Node::dict_refs`), so
//! the dict's contents are never subtracted away behind the back of its other holder, and a
//! dict shared by two owners makes both of them roots.
//!
//! ## Threads
//!
//! The registry is `Send + Sync` (a `Mutex` and atomics) and belongs to one interpreter,
//! shared by its threads; each thread has its own young buffer and flushes it into the
//! interpreter's generations. A collection runs on one thread at a time
//! (`GcState::collecting`); objects held only by another thread's stack look externally
//! referenced, which is correct. Separate interpreters in one process (parallel tests)
//! have separate registries and never examine each other's objects. Limitations: the
//! analysis assumes no other thread of the same interpreter mutates the examined objects
//! while it runs — true under the GIL, where other threads wait at a safe point. Without the
//! GIL the result stays memory-safe (every object is behind its own lock, nothing here is
//! `unsafe`), but a concurrent mutation that moves a reference out of a container between
//! steps 2 and 3 could make a live object look like garbage and have it cleared; a no-GIL
//! mode must stop the other threads at a safe point around `collect`, or disable automatic
//! collection. Objects in another thread's unflushed young buffer (fewer than `YOUNG_BATCH`
//! per thread) are not examined by this thread's collections. Objects created on a thread
//! with no interpreter attached are not tracked (they can only leak).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use super::Vm;
use crate::objects::types::Payload;
use crate::objects::{
    BoundMethod, Cell, DictObj, Function, GenObj, Instance, ListObj, SetObj, TupleObj, Value,
};

/// Generations, youngest first.
pub const NUM_GENERATIONS: usize = 3;

/// CPython's default thresholds (`gc.get_threshold()`).
pub const DEFAULT_THRESHOLDS: [i64; NUM_GENERATIONS] = [700, 10, 10];

/// Size of the per-thread buffer of registrations: when full, dead entries are dropped, and if
/// half of it or more is still alive, it is moved into the shared registry.
const YOUNG_BATCH: usize = 16;

/// A full collection also waits until the objects that reached the oldest generation since
/// the last one are at least `1 / FULL_COLLECTION_RATIO` of those that survived it. CPython
/// waits for a quarter; examining an object costs this collector about three times what it
/// costs CPython's (`Arc` counts, locks, dicts outside their instances), so it waits for
/// half, which cuts the full collections' share of the work in a growing heap by about 40%.
const FULL_COLLECTION_RATIO: usize = 2;

/// How deep `value_may_cycle` looks into nested tuples before assuming they hold containers.
const TUPLE_DEPTH: u32 = 4;

// ---------------------------------------------------------------------------------------------
// The collector's scratch space in every tracked object

/// A field of every object kind the collector tracks: while a collection examines a set of
/// objects, each one's header holds that set's `Mark` and the object's index in it, so that a
/// reference found in another object leads straight to its counter (CPython keeps `gc_refs`
/// in its object header the same way). Outside a collection it holds 0.
#[derive(Default)]
pub struct GcHeader(AtomicU64);

/// Tells the marks of one examination from those of any other.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Mark(u32);

/// The source of fresh marks; 0 is never handed out (it means "not marked").
static MARKS: AtomicU32 = AtomicU32::new(1);

fn next_mark() -> Mark {
    loop {
        let m = MARKS.fetch_add(1, Ordering::Relaxed);
        if m != 0 {
            return Mark(m);
        }
    }
}

impl GcHeader {
    fn set(&self, mark: Mark, index: usize) {
        self.0
            .store((u64::from(mark.0) << 32) | index as u64, Ordering::Relaxed);
    }

    /// The object's index in the set marked `mark`, if it is in it.
    #[inline]
    fn index(&self, mark: Mark) -> Option<usize> {
        let x = self.0.load(Ordering::Relaxed);
        (x >> 32 == u64::from(mark.0)).then_some((x & 0xffff_ffff) as usize)
    }

    fn clear(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// Mark every node with its index under a fresh mark.
fn mark_all(nodes: &[Node]) -> Mark {
    let mark = next_mark();
    for (i, n) in nodes.iter().enumerate() {
        n.header().set(mark, i);
    }
    mark
}

fn unmark_all(nodes: &[Node]) {
    nodes.iter().for_each(|n| n.header().clear());
}

// ---------------------------------------------------------------------------------------------
// What is tracked

macro_rules! tracked_kinds {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// A registry entry: a weak reference to one tracked object.
        pub enum Tracked {
            $($variant(Weak<$ty>),)*
        }

        /// A tracked object the collector holds alive while it examines it.
        enum Node {
            $($variant(Arc<$ty>),)*
        }

        impl Tracked {
            fn is_alive(&self) -> bool {
                match self {
                    $(Tracked::$variant(w) => w.strong_count() > 0,)*
                }
            }

            fn upgrade(&self) -> Option<Node> {
                match self {
                    $(Tracked::$variant(w) => w.upgrade().map(Node::$variant),)*
                }
            }
        }

        impl Node {
            fn header(&self) -> &GcHeader {
                match self {
                    $(Node::$variant(a) => &a.gc,)*
                }
            }

            fn strong_count(&self) -> usize {
                match self {
                    $(Node::$variant(a) => Arc::strong_count(a),)*
                }
            }

            fn downgrade(&self) -> Tracked {
                match self {
                    $(Node::$variant(a) => Tracked::$variant(Arc::downgrade(a)),)*
                }
            }
        }
    };
}

impl Node {
    /// The object as a toy value (`gc.get_objects`).
    fn into_value(self) -> Value {
        match self {
            Node::List(a) => Value::List(a),
            Node::Dict(a) => Value::Dict(a),
            Node::Set(a) => Value::Set(a),
            Node::Tuple(a) => Value::Tuple(a),
            Node::Instance(a) => Value::instance(a),
            Node::Cell(a) => Value::Cell(a),
            Node::Function(a) => Value::Function(a),
            Node::Method(a) => Value::BoundMethod(a),
            Node::Generator(a) => Value::Generator(a),
        }
    }
}

tracked_kinds!(
    List(ListObj),
    Dict(DictObj),
    Set(SetObj),
    Tuple(TupleObj),
    Instance(Instance),
    Cell(Cell),
    Function(Function),
    Method(BoundMethod),
    Generator(GenObj),
);

/// An object type the collector can track.
pub trait Traced: Sized {
    /// The registry entry for a new object, or `None` when this one needs no tracking.
    fn entry(obj: &Arc<Self>) -> Option<Tracked>;
}

macro_rules! always_tracked {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl Traced for $ty {
            fn entry(obj: &Arc<Self>) -> Option<Tracked> {
                Some(Tracked::$variant(Arc::downgrade(obj)))
            }
        })*
    };
}

always_tracked!(
    ListObj => List,
    DictObj => Dict,
    SetObj => Set,
    Instance => Instance,
    Cell => Cell,
    Function => Function,
    BoundMethod => Method,
    GenObj => Generator,
);

impl Traced for TupleObj {
    /// A tuple is immutable: if none of its items can be part of a cycle now, it never can,
    /// so it is not tracked (CPython untracks such tuples during collections).
    fn entry(obj: &Arc<Self>) -> Option<Tracked> {
        // Every tuple creation comes here: the common case (atomic items) is one tag test
        // per item, nested tuples take the slow path.
        obj.items()
            .iter()
            .any(|v| match v {
                Value::Tuple(t) => tuple_may_cycle(t, TUPLE_DEPTH),
                other => is_tracked_kind(other),
            })
            .then(|| Tracked::Tuple(Arc::downgrade(obj)))
    }
}

/// Whether `v` is an object of a kind the collector always tracks.
#[inline]
fn is_tracked_kind(v: &Value) -> bool {
    matches!(
        v,
        Value::List(_)
            | Value::Dict(_)
            | Value::Set(_)
            | Value::Instance(_)
            | Value::Function(_)
            | Value::BoundMethod(_)
            | Value::Cell(_)
            | Value::Generator(_)
    )
}

/// Whether a tuple holds tracked objects, looking `depth` levels of nested tuples deep.
#[inline(never)]
fn tuple_may_cycle(t: &TupleObj, depth: u32) -> bool {
    // Past the depth limit, assume yes: tracking a tuple needlessly only costs time.
    depth == 0 || t.items().iter().any(|v| value_may_cycle(v, depth - 1))
}

/// Whether `v` is (or, for a tuple, holds) an object the collector tracks.
fn value_may_cycle(v: &Value, depth: u32) -> bool {
    match v {
        Value::Tuple(t) => tuple_may_cycle(t, depth),
        other => is_tracked_kind(other),
    }
}

/// `gc.is_tracked(v)`. Dicts answer as CPython's do: tracked once they hold a container
/// (one of only atomic keys and values can never be part of a cycle).
pub fn is_tracked(v: &Value) -> bool {
    match v {
        Value::Dict(d) => d.lock().iter().any(|e| {
            value_may_cycle(&e.key, TUPLE_DEPTH) || value_may_cycle(&e.value, TUPLE_DEPTH)
        }),
        Value::Tuple(t) => t.items().iter().any(|v| value_may_cycle(v, TUPLE_DEPTH)),
        other => value_may_cycle(other, 0),
    }
}

/// Wrap a new object in its `Arc` and register it with the collector: the one constructor
/// every container allocation goes through.
pub fn track<T: Traced>(obj: T) -> Arc<T> {
    track_arc(Arc::new(obj))
}

/// `track` for an object already in its `Arc` (made by `Arc::new_cyclic`, say).
pub fn track_arc<T: Traced>(arc: Arc<T>) -> Arc<T> {
    if let Some(entry) = T::entry(&arc) {
        register(entry);
    }
    arc
}

/// Report the header of the object `v` holds a strong reference to, if it is of a kind
/// that has one.
#[inline]
fn visit_value(v: &Value, f: &mut impl FnMut(&GcHeader)) {
    match v {
        Value::List(a) => f(&a.gc),
        Value::Dict(a) => f(&a.gc),
        Value::Set(a) => f(&a.gc),
        Value::Tuple(a) => f(&a.gc),
        Value::Instance(a) => f(&a.gc),
        Value::Cell(a) => f(&a.gc),
        Value::Function(a) => f(&a.gc),
        Value::BoundMethod(a) => f(&a.gc),
        Value::Generator(a) => f(&a.gc),
        _ => {}
    }
}

impl Node {
    /// Report the header of every object this one holds a strong reference to, once per
    /// reference. Holds the object's own lock while doing so; `f` takes no locks.
    fn visit(&self, f: &mut impl FnMut(&GcHeader)) {
        match self {
            Node::List(l) => l.lock().iter().for_each(|v| visit_value(v, f)),
            Node::Dict(d) => visit_dict(d, f),
            Node::Set(s) => s.visit_items(|v| visit_value(v, f)),
            Node::Tuple(t) => t.items().iter().for_each(|v| visit_value(v, f)),
            Node::Instance(i) => {
                i.attrs.for_each(|v| visit_value(v, f));
                visit_payload(&i.payload, f);
            }
            Node::Cell(c) => visit_value(&c.value.lock(), f),
            Node::Function(func) => {
                f(&func.globals.gc);
                func.defaults.iter().for_each(|v| visit_value(v, f));
                func.kwdefaults.iter().for_each(|(_, v)| visit_value(v, f));
                func.closure.iter().for_each(|c| f(&c.gc));
                visit_dict(&func.dict, f);
                visit_value(&func.doc, f);
            }
            Node::Method(m) => {
                visit_value(&m.receiver, f);
                visit_value(&m.func, f);
            }
            Node::Generator(g) => {
                let s = g.state.lock();
                if let Some(frame) = &s.frame {
                    s.values.iter().for_each(|v| visit_value(v, f));
                    visit_value(&s.handled, f);
                    frame.cells.iter().for_each(|c| f(&c.gc));
                    f(&frame.func.gc);
                    if let Some(ns) = frame.namespace() {
                        f(&ns.gc);
                    }
                    visit_value(frame.caller_handled(), f);
                    if let Some(g) = frame.generator() {
                        f(&g.gc);
                    }
                }
            }
        }
    }

    /// The references to this object the collector must account for besides its strong
    /// count: those to its attribute dict other than its own. The dict of an instance or a
    /// function is not a node of its own (it is walked as part of its owner, which is what
    /// makes `gc.collect()` count as CPython 3.11 does); if anything else holds that dict —
    /// `d = obj.__dict__` — the owner counts as referenced from outside, so that the dict's
    /// contents stay alive. (Read while visiting, when the dict is in the cache anyway.)
    fn dict_refs(&self) -> isize {
        match self {
            Node::Instance(i) => i.attrs.outside_dict_refs(),
            Node::Function(f) => Arc::strong_count(&f.dict) as isize - 1,
            _ => 0,
        }
    }

    /// Drop the references this object holds, breaking the cycles it is part of. Only ever
    /// called on garbage. The old contents are dropped after the object's lock is released.
    fn clear(&self) {
        match self {
            Node::List(l) => {
                let old = std::mem::take(&mut *l.lock());
                crate::objects::list::drop_reversed(old);
            }
            Node::Dict(d) => d.clear(),
            Node::Set(s) => s.clear(),
            Node::Cell(c) => c.set(Value::Null),
            Node::Instance(i) => {
                i.attrs.clear();
                if let Payload::Exception(state) = &i.payload {
                    let old = {
                        let mut st = state.lock();
                        (
                            std::mem::replace(&mut st.args, Value::tuple(Vec::new())),
                            st.cause.take(),
                            st.context.take(),
                        )
                    };
                    drop(old);
                }
            }
            Node::Generator(g) => {
                let leftovers = {
                    let mut st = g.state.lock();
                    if st.is_suspended() {
                        Some(st.finish())
                    } else {
                        None
                    }
                };
                drop(leftovers);
            }
            Node::Function(func) => func.dict.clear(),
            // Immutable: their references go away when they are freed, once the mutable
            // objects of their cycle have been cleared.
            Node::Tuple(_) | Node::Method(_) => {}
        }
    }
}

fn visit_dict(d: &DictObj, f: &mut impl FnMut(&GcHeader)) {
    for e in d.lock().iter() {
        visit_value(&e.key, f);
        visit_value(&e.value, f);
    }
}

fn visit_payload(p: &Payload, f: &mut impl FnMut(&GcHeader)) {
    match p {
        Payload::Plain | Payload::Native(_) => {}
        Payload::Exception(state) => {
            let st = state.lock();
            visit_value(&st.args, f);
            st.cause.iter().for_each(|v| visit_value(v, f));
            st.context.iter().for_each(|v| visit_value(v, f));
        }
        Payload::Property(p) => {
            for v in [&p.fget, &p.fset, &p.fdel, &p.doc] {
                visit_value(v, f);
            }
        }
        Payload::ClassMethod(v) | Payload::StaticMethod(v) | Payload::Base(v) => visit_value(v, f),
        Payload::Super(sup) => visit_value(&sup.obj, f),
    }
}

/// The references `gc.get_referents` reports for `v`: what `Node::visit` walks, as values,
/// in the order CPython's `tp_traverse` visits them (lists and tuples last item first).
pub fn referents(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::List(l) => out.extend(l.lock().iter().rev().cloned()),
        Value::Tuple(t) => out.extend(t.items().iter().rev().cloned()),
        Value::Dict(d) => {
            // As CPython's `dict_traverse`: values only when every key is a str.
            let table = d.lock();
            let all_str = table.iter().all(|e| matches!(e.key, Value::Str(_)));
            for e in table.iter() {
                out.push(e.value.clone());
                if !all_str {
                    out.push(e.key.clone());
                }
            }
        }
        Value::Set(s) => s.visit_items(|v| out.push(v.clone())),
        Value::Cell(c) => {
            let v = c.get();
            if !v.is_null() {
                out.push(v);
            }
        }
        Value::Instance(i) => {
            // As CPython 3.11: the values themselves until `__dict__` made a dict.
            match i.attrs.materialized() {
                Some(d) => out.push(Value::Dict(d)),
                None => i.attrs.for_each(|v| out.push(v.clone())),
            }
            out.push(Value::Type(i.class.clone()));
        }
        Value::BoundMethod(m) => {
            out.push(m.func.clone());
            out.push(m.receiver.clone());
        }
        Value::Function(f) => {
            out.push(Value::Code(f.code.clone()));
            out.push(Value::Dict(f.globals.clone()));
            out.push(Value::str(&f.name.lock()));
            if !f.defaults.is_empty() {
                out.push(Value::tuple(f.defaults.clone()));
            }
            if !f.closure.is_empty() {
                out.push(Value::tuple(
                    f.closure.iter().map(|c| Value::Cell(c.clone())).collect(),
                ));
            }
        }
        _ => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The registry

struct Registry {
    /// Entries per generation, youngest first, each in allocation order.
    generations: [Vec<Tracked>; NUM_GENERATIONS],
    /// `gc.get_count()`: generation 0 counts live young objects, older ones the collections
    /// of the next younger generation since their own last collection.
    counts: [usize; NUM_GENERATIONS],
    /// `gc.get_threshold()`. Signed, as CPython's: 0 for generation 0 turns automatic
    /// collection off; a negative one collects at every opportunity.
    thresholds: [i64; NUM_GENERATIONS],
    /// Objects that survived the last full collection.
    long_lived_total: usize,
    /// Objects moved into the oldest generation since the last full collection.
    long_lived_pending: usize,
    /// Length of generation 0 after its dead entries were last dropped (`collection_due`).
    young_scanned: usize,
    /// `gc.get_stats()`, per generation collected.
    stats: [GenerationStats; NUM_GENERATIONS],
}

/// What `gc.get_stats()` reports for one generation: collections of it (that is, of it and
/// the younger ones with it) and the unreachable objects they found, counted as
/// `gc.collect()` counts them. Nothing is ever uncollectable.
#[derive(Clone, Copy, Default)]
pub struct GenerationStats {
    pub collections: usize,
    pub collected: usize,
}

impl Registry {
    /// Whether generation 0 is over its threshold. `counts[0]` may include objects that died
    /// after their batch was flushed; dropping those first makes it allocations minus
    /// deallocations, as CPython counts.
    ///
    /// Dropping them reads the count of every entry, most of them cache misses, so it waits
    /// until the generation has grown by a quarter of the threshold since the last time:
    /// when young objects die about as fast as they are made, the count hovers at the
    /// threshold, and scanning the whole generation at every flush cost more than the
    /// program (bench/asyncio_tasks.toy). A collection comes at most that many
    /// registrations later than an exact count would start it.
    fn collection_due(&mut self) -> bool {
        if self.thresholds[0] == 0 || !self.over(0) {
            return false;
        }
        let slack = usize::try_from(self.thresholds[0] / 4)
            .unwrap_or(0)
            .max(YOUNG_BATCH);
        if self.generations[0].len() < self.young_scanned + slack {
            return false;
        }
        self.generations[0].retain(Tracked::is_alive);
        self.counts[0] = self.generations[0].len();
        self.young_scanned = self.generations[0].len();
        self.over(0)
    }

    fn over(&self, generation: usize) -> bool {
        i64::try_from(self.counts[generation]).unwrap_or(i64::MAX) > self.thresholds[generation]
    }

    /// The oldest generation whose count passed its threshold (`collect_generations`).
    fn generation_due(&self) -> Option<usize> {
        (0..NUM_GENERATIONS).rev().find(|&g| {
            self.thresholds[0] != 0
                && self.over(g)
                && (g != NUM_GENERATIONS - 1
                    || self.long_lived_pending >= self.long_lived_total / FULL_COLLECTION_RATIO)
        })
    }
}

/// The collector's state for one interpreter (`Interp::gc`), shared by its threads. Each
/// interpreter has its own, as in CPython: interpreters that run side by side in one
/// process (tests do) never examine each other's objects.
pub struct GcState {
    registry: Mutex<Registry>,
    /// `gc.enable()` / `gc.disable()`: automatic collection only; `gc.collect()` always works.
    enabled: AtomicBool,
    /// A collection is running (on some thread): another one is not started meanwhile.
    collecting: AtomicBool,
    /// An automatic collection was requested and not yet serviced.
    pending: AtomicBool,
}

impl GcState {
    pub fn new() -> Arc<GcState> {
        Arc::new(GcState {
            registry: Mutex::new(Registry {
                generations: [Vec::new(), Vec::new(), Vec::new()],
                counts: [0; NUM_GENERATIONS],
                thresholds: DEFAULT_THRESHOLDS,
                long_lived_total: 0,
                long_lived_pending: 0,
                young_scanned: 0,
                stats: Default::default(),
            }),
            enabled: AtomicBool::new(true),
            collecting: AtomicBool::new(false),
            pending: AtomicBool::new(false),
        })
    }

    /// Move the live entries of `young` into generation 0, and ask for a collection when
    /// generation 0 is over its threshold. Dropping dead `Weak`s frees only memory: no
    /// object's `Drop` runs here.
    fn flush(&self, young: &mut Vec<Tracked>) {
        young.retain(Tracked::is_alive);
        if young.is_empty() {
            return;
        }
        let due = {
            let mut reg = self.registry.lock();
            reg.counts[0] += young.len();
            reg.generations[0].append(young);
            self.enabled.load(Ordering::Relaxed) && reg.collection_due()
        };
        if due {
            self.pending.store(true, Ordering::Release);
            super::breaker::request();
        }
    }

    pub fn enable(&self) {
        self.enabled.store(true, Ordering::Relaxed);
    }

    pub fn disable(&self) {
        self.enabled.store(false, Ordering::Relaxed);
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// `gc.get_count()`. Generation 0 includes this thread's unflushed registrations (some
    /// of which may be dead already: CPython's count is exact, this one an upper bound).
    /// `gc.get_objects(generation)`: the live objects of the registry, in `generation` or in
    /// all of them, each once. Objects that another thread made since it last handed its
    /// registrations over are not in it yet.
    pub fn objects(&self, generation: Option<usize>) -> Vec<Value> {
        flush_current_thread();
        let generations = match generation {
            Some(g) => g..=g.min(NUM_GENERATIONS - 1),
            None => 0..=NUM_GENERATIONS - 1,
        };
        let mut seen = std::collections::HashSet::new();
        let mut nodes = Vec::new();
        {
            let reg = self.registry.lock();
            for g in generations {
                for node in reg.generations[g].iter().filter_map(Tracked::upgrade) {
                    // Not the collector's marks: a collection may be under way (its
                    // finalizers run toy code), and they are its own.
                    if seen.insert(node.header() as *const GcHeader as usize) {
                        nodes.push(node);
                    }
                }
            }
        }
        nodes.into_iter().map(Node::into_value).collect()
    }

    pub fn counts(&self) -> [usize; NUM_GENERATIONS] {
        let mut counts = self.registry.lock().counts;
        counts[0] += young_len();
        counts
    }

    pub fn thresholds(&self) -> [i64; NUM_GENERATIONS] {
        self.registry.lock().thresholds
    }

    pub fn stats(&self) -> [GenerationStats; NUM_GENERATIONS] {
        self.registry.lock().stats
    }

    /// `gc.set_threshold(t0, [t1, [t2]])`: `None` keeps a threshold as it is.
    pub fn set_thresholds(&self, new: [Option<i64>; NUM_GENERATIONS]) {
        let mut reg = self.registry.lock();
        for (t, n) in reg.thresholds.iter_mut().zip(new) {
            if let Some(n) = n {
                *t = n;
            }
        }
    }
}

/// This thread's registrations not yet moved into its interpreter's registry, and that
/// registry.
struct ThreadGc {
    young: Vec<Tracked>,
    state: Option<Arc<GcState>>,
}

impl ThreadGc {
    fn flush(&mut self) {
        match &self.state {
            Some(state) => state.flush(&mut self.young),
            // No interpreter on this thread: nobody could collect these objects. Leaving
            // them untracked can only leak.
            None => self.young.clear(),
        }
    }
}

impl Drop for ThreadGc {
    /// A thread that exits hands its young objects over instead of forgetting them.
    fn drop(&mut self) {
        self.flush();
    }
}

thread_local! {
    static THREAD_GC: RefCell<ThreadGc> = const {
        RefCell::new(ThreadGc { young: Vec::new(), state: None })
    };
}

/// Make `state` the registry of the objects this thread creates from now on (`Interp::new`
/// and `Vm::new` call it). What the thread registered before goes to its previous registry.
pub fn attach(state: &Arc<GcState>) {
    let _ = THREAD_GC.try_with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            if t.state.as_ref().is_some_and(|s| Arc::ptr_eq(s, state)) {
                return;
            }
            t.flush();
            t.state = Some(state.clone());
        }
    });
}

fn register(entry: Tracked) {
    let _ = THREAD_GC.try_with(|t| {
        // Nothing that runs while the buffer is borrowed registers objects, so the borrow
        // cannot fail; if it ever did, or the thread is exiting (its buffer is gone), the
        // object stays untracked, which can only leak.
        if let Ok(mut t) = t.try_borrow_mut() {
            t.young.push(entry);
            if t.young.len() >= YOUNG_BATCH {
                t.young.retain(Tracked::is_alive);
                if t.young.len() >= YOUNG_BATCH / 2 {
                    t.flush();
                }
            }
        }
    });
}

fn flush_current_thread() {
    let _ = THREAD_GC.try_with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            t.flush();
        }
    });
}

fn young_len() -> usize {
    THREAD_GC
        .try_with(|t| t.try_borrow().map_or(0, |t| t.young.len()))
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Collecting

/// Marks a collection as running; clears the mark when dropped, however the collection ends.
struct CollectingGuard<'a>(&'a AtomicBool);

impl<'a> CollectingGuard<'a> {
    fn acquire(flag: &'a AtomicBool) -> Option<CollectingGuard<'a>> {
        (!flag.swap(true, Ordering::AcqRel)).then_some(CollectingGuard(flag))
    }
}

impl Drop for CollectingGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Called by `Vm::service_breaker`: run the collection an allocation asked for, if any.
pub(crate) fn collect_if_due(vm: &mut Vm) {
    let state = &vm.interp.gc;
    if !state.pending.load(Ordering::Acquire) || !state.pending.swap(false, Ordering::AcqRel) {
        return;
    }
    if !state.is_enabled() || state.collecting.load(Ordering::Acquire) {
        return;
    }
    let generation = state.registry.lock().generation_due();
    if let Some(generation) = generation {
        collect(vm, generation);
    }
}

/// Collect generations `0..=generation`; returns the number of unreachable objects freed
/// (not counting those a finalizer resurrected), as CPython 3.11 counts them (see
/// `reported_count`). Runs the finalizers of the garbage. Returns 0 at once if a collection
/// is already running (a `__del__` that calls `gc.collect()`, or another thread).
pub fn collect(vm: &mut Vm, generation: usize) -> usize {
    // Without a GIL other threads could move references while the counts are taken, and a
    // live object could look unreachable: collect only while this is the only thread.
    if !vm.interp.gil.enabled && vm.interp.gil.threads().len() > 1 {
        return 0;
    }
    let generation = generation.min(NUM_GENERATIONS - 1);
    let state = vm.interp.gc.clone();
    let Some(running) = CollectingGuard::acquire(&state.collecting) else {
        return 0;
    };
    attach(&state);
    flush_current_thread();
    let mut entries = {
        let mut reg = state.registry.lock();
        // Oldest first, as CPython merges the younger generations into the collected one.
        let mut entries = std::mem::take(&mut reg.generations[generation]);
        for g in (0..generation).rev() {
            entries.append(&mut reg.generations[g]);
        }
        if generation + 1 < NUM_GENERATIONS {
            reg.counts[generation + 1] += 1;
        }
        for g in 0..=generation {
            reg.counts[g] = 0;
        }
        reg.young_scanned = 0;
        entries
    };

    // Step 1: hold every live object, marked with its index, and take its reference count
    // (step 2) while it is at hand; dead entries are dropped here (pruning the registry), and
    // so are second entries for one object.
    // `entries` keeps exactly the entries of `nodes`, in the same order.
    let mark = next_mark();
    let mut nodes = Vec::with_capacity(entries.len());
    let mut gc_refs = Vec::with_capacity(entries.len());
    entries.retain(|entry| {
        let Some(node) = entry.upgrade() else {
            return false;
        };
        if node.header().index(mark).is_some() {
            return false; // already in `nodes`: this cannot be the last reference
        }
        if nodes.len() >= MAX_NODES {
            // Past 2^32 objects: left untracked, which can only leak.
            return false;
        }
        node.header().set(mark, nodes.len());
        // The collector's own reference is not a real one.
        gc_refs.push(node.strong_count() as isize - 1);
        nodes.push(node);
        true
    });

    // Steps 3-4.
    let alive = reachable(&nodes, mark, gc_refs);
    let mut garbage = Vec::new();
    for (node, &alive) in nodes.into_iter().zip(&alive) {
        node.header().clear();
        if !alive {
            garbage.push(node);
        }
    }
    let mut survivors = entries;
    let mut alive = alive.into_iter();
    survivors.retain(|_| alive.next().unwrap_or(true));

    // Step 5: finalizers, each at most once per object, in registry order as CPython's
    // `finalize_garbage`: `__del__` of instances, `close()` of suspended generators.
    let mut finalized_any = false;
    for node in &garbage {
        match node {
            // Marked finalized before the call, so that nothing calls it twice.
            Node::Instance(inst)
                if inst.class.may_have_del() && !inst.finalized.swap(true, Ordering::AcqRel) =>
            {
                finalized_any = true;
                super::finalize::call_del(vm, inst);
            }
            Node::Generator(g) if g.state.lock().is_suspended() => {
                finalized_any = true;
                super::finalize::close_generator(vm, g);
            }
            _ => {}
        }
    }

    // Step 6: what a finalizer made reachable again is not garbage any more.
    if finalized_any {
        let mark = mark_all(&garbage);
        let gc_refs = garbage
            .iter()
            .map(|n| n.strong_count() as isize - 1)
            .collect();
        let resurrected = reachable(&garbage, mark, gc_refs);
        unmark_all(&garbage);
        let mut still_garbage = Vec::new();
        for (node, alive) in garbage.into_iter().zip(resurrected) {
            if alive {
                survivors.push(node.downgrade());
            } else {
                still_garbage.push(node);
            }
        }
        garbage = still_garbage;
    }

    // The count. As CPython 3.11's, it leaves out resurrected objects, and those that a
    // finalizer cut loose from every cycle (CPython frees them by reference counting during
    // finalization).
    let mark = mark_all(&garbage);
    let counted = if finalized_any {
        freed_by_refcounts(&garbage, mark)
            .into_iter()
            .map(|freed| !freed)
            .collect()
    } else {
        vec![true; garbage.len()]
    };
    let found = reported_count(&garbage, mark, &counted);
    unmark_all(&garbage);

    // Step 7: break the cycles, then let reference counting free the objects.
    for node in &garbage {
        node.clear();
    }
    drop(garbage);

    {
        let mut reg = state.registry.lock();
        let target = (generation + 1).min(NUM_GENERATIONS - 1);
        if generation == NUM_GENERATIONS - 1 {
            reg.long_lived_pending = 0;
            reg.long_lived_total = survivors.len();
        } else if target == NUM_GENERATIONS - 1 {
            reg.long_lived_pending += survivors.len();
        }
        reg.generations[target].append(&mut survivors);
        reg.stats[generation].collections += 1;
        reg.stats[generation].collected += found;
    }
    drop(running);
    // Objects that only the garbage kept alive died with it: their finalizers run now, as
    // CPython runs them inside the collection.
    super::finalize::run_pending(vm);
    found
}

/// Indices live in the low 32 bits of a header.
const MAX_NODES: usize = u32::MAX as usize;

/// Among garbage (`nodes`, marked `mark`, referenced from nowhere else), the objects plain
/// reference counting would free — those on no cycle and reached from none — found by
/// peeling off objects that no remaining object references.
fn freed_by_refcounts(nodes: &[Node], mark: Mark) -> Vec<bool> {
    let mut incoming = vec![0usize; nodes.len()];
    for node in nodes {
        node.visit(&mut |h| {
            if let Some(j) = h.index(mark) {
                incoming[j] += 1;
            }
        });
    }
    let mut work: Vec<usize> = (0..nodes.len()).filter(|&i| incoming[i] == 0).collect();
    let mut freed = vec![false; nodes.len()];
    for &i in &work {
        freed[i] = true;
    }
    while let Some(i) = work.pop() {
        nodes[i].visit(&mut |h| {
            if let Some(j) = h.index(mark) {
                incoming[j] = incoming[j].saturating_sub(1);
                if incoming[j] == 0 && !freed[j] {
                    freed[j] = true;
                    work.push(j);
                }
            }
        });
    }
    freed
}

/// Trial deletion over `nodes` (each marked `mark` with its index), given each node's strong
/// count minus the collector's own reference: for each node, whether it is reachable from a
/// reference held outside the set.
fn reachable(nodes: &[Node], mark: Mark, mut gc_refs: Vec<isize>) -> Vec<bool> {
    for (i, node) in nodes.iter().enumerate() {
        gc_refs[i] += node.dict_refs();
        node.visit(&mut |h| {
            if let Some(j) = h.index(mark) {
                gc_refs[j] -= 1;
            }
        });
    }
    let mut alive: Vec<bool> = gc_refs.iter().map(|&r| r != 0).collect();
    let mut work: Vec<usize> = (0..nodes.len()).filter(|&i| alive[i]).collect();
    while let Some(i) = work.pop() {
        nodes[i].visit(&mut |h| {
            if let Some(j) = h.index(mark) {
                if !alive[j] {
                    alive[j] = true;
                    work.push(j);
                }
            }
        });
    }
    alive
}

/// How many objects CPython 3.11 would report for this garbage (`nodes`, marked `mark`; only
/// those with `counted` set count), where objects are laid out differently:
/// - an instance's dict made by `obj.__dict__` is part of the instance here, an object of
///   its own there (before that, both keep the values inline);
/// - an instance of a subclass of `list`, `dict`, ... is one object there, two here;
/// - a function's `__dict__` is part of it here, a dict of its own there once it has
///   entries; its closure cells and its defaults (when they hold containers) sit in a tuple
///   there, and its keyword-only defaults in a dict: one more object each.
///
/// Exceptions differ beyond repair: CPython also frees their traceback and frame objects.
fn reported_count(nodes: &[Node], mark: Mark, counted: &[bool]) -> usize {
    let counted_value = |v: &Value| {
        let mut found = false;
        visit_value(v, &mut |h| {
            found = h.index(mark).is_some_and(|j| counted[j]);
        });
        found
    };
    let mut count = 0;
    for (node, _) in nodes.iter().zip(counted).filter(|(_, &c)| c) {
        count += 1;
        match node {
            Node::Instance(i) => {
                if matches!(&i.payload, Payload::Base(b) if counted_value(b)) {
                    count -= 1;
                }
                count += usize::from(i.attrs.materialized().is_some());
            }
            Node::Function(f) => {
                let may_cycle = |v: &Value| value_may_cycle(v, TUPLE_DEPTH);
                count += usize::from(!f.dict.is_empty())
                    + usize::from(!f.closure.is_empty())
                    + usize::from(f.defaults.iter().any(may_cycle))
                    + usize::from(f.kwdefaults.iter().any(|(_, v)| may_cycle(v)));
            }
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_tuples_are_not_tracked() {
        let t = track(TupleObj::new(vec![Value::Int(1), Value::str("a")]));
        assert!(TupleObj::entry(&t).is_none());
        let l = Value::list(vec![]);
        let t = track(TupleObj::new(vec![Value::Int(1), l]));
        assert!(TupleObj::entry(&t).is_some());
    }

    #[test]
    fn collects_cycles_and_keeps_what_is_held() {
        let mut vm = Vm::new(super::super::Interp::new(Vec::new(), Vec::new()));
        let list = |v: &Value| match v {
            Value::List(l) => l.clone(),
            _ => panic!("not a list"),
        };
        // A self-referencing list held by a Rust local: referenced from outside.
        let a = Value::list(Vec::new());
        list(&a).push(a.clone());
        let weak = Arc::downgrade(&list(&a));
        collect(&mut vm, 2);
        assert_eq!(list(&a).len(), 1, "a held object must not be cleared");
        // Dropped, it is only held by itself: garbage.
        drop(a);
        assert!(weak.upgrade().is_some(), "the cycle keeps it alive");
        assert_eq!(collect(&mut vm, 2), 1);
        assert!(weak.upgrade().is_none(), "collected");

        // Two lists through a tuple; one of them also held through a dict we keep.
        let x = Value::list(Vec::new());
        let y = Value::list(Vec::new());
        list(&x).push(Value::tuple(vec![y.clone()]));
        list(&y).push(x.clone());
        let keep = Value::dict(DictObj::new());
        if let Value::Dict(d) = &keep {
            d.set_str("y", y.clone());
        }
        let (wx, wy) = (Arc::downgrade(&list(&x)), Arc::downgrade(&list(&y)));
        drop((x, y));
        collect(&mut vm, 2);
        assert!(wx.upgrade().is_some() && wy.upgrade().is_some());
        drop(keep);
        assert_eq!(collect(&mut vm, 2), 3);
        assert!(wx.upgrade().is_none() && wy.upgrade().is_none());
    }

    #[test]
    fn deep_tuples_do_not_recurse_forever() {
        let mut v = Value::tuple(vec![]);
        for _ in 0..500 {
            v = Value::tuple(vec![v]);
        }
        assert!(is_tracked(&v));
    }
}
