//! `--racy-refcount`: why the GIL exists (the seed's first paragraph, under `# GIL锁`).
//!
//! CPython frees an object when its reference count `ob_refcnt` drops to zero, and updates
//! that count with a plain load, add, store. Two threads updating it at once can both load
//! the same old value: one update is lost. A lost increment lets the count reach zero while
//! a thread still holds a reference — the object is freed under it, and its next access is
//! an invalid memory access. A lost decrement leaves a count that never reaches zero — a
//! leak. The GIL makes every update happen one at a time.
//!
//! Toy's real memory is managed by `Arc`, whose counts are atomic, and nothing in this file
//! can free memory that is still in use (the simulated free is a mark, not a free). On top of
//! that, in racy mode every instance of a user class carries a *simulated* `ob_refcnt`,
//! updated the way a C interpreter without a GIL would: [`racy_add`] loads, widens the
//! window, stores. Next to it an exact (atomic) count of the live references says what the
//! simulated count should be. A reference is an [`InstRef`]: the handle inside
//! `Value::Instance`, whose `Clone` is `Py_INCREF` and whose `Drop` is `Py_DECREF`.
//!
//! What can happen, and who reports it:
//! - The simulated count reaches zero (or below) while references remain: the object is
//!   marked *freed*. The VM checks the mark where it touches an instance (attribute load,
//!   store, delete, method lookup) and reports an invalid memory access, ending the process
//!   like the crash it stands for (`vm::invalid_access`).
//! - The memory really goes (the last `Arc` drops: `Instance`'s `Drop` calls
//!   [`RacyCount::settle`]) while the simulated count is above zero: the object leaked (a C
//!   interpreter would never have freed it). Counted here, reported at exit
//!   ([`exit_report`]).
//! - A freed object that nobody touched again is reported at exit too: the crash that did
//!   not happen this time.
//!
//! Cost when off: `InstRef`'s `Clone` and `Drop` test the global flag and branch (about
//! 1.5–2.5% more instructions on the instance-heavy benchmarks, no measurable time). Three
//! shapes were measured and rejected:
//! - A call on the racy path of `Drop`: the `Arc` is dropped after it, so the compiler saves
//!   registers on entry to every `Value` drop, racy or not (+11% instructions on
//!   `bench/methods.toy`). Hence the racy updates are inlined atomics, the rare events only
//!   set marks, and the reports (which allocate and lock) are made elsewhere: at the touch,
//!   at the real free, at exit. (`Clone` may call: see `InstRef::clone_value`.)
//! - An `Option<Arc>` inside `InstRef`, so that `Drop` can hand the `Arc` to a tail call: a
//!   null test wherever an instance is read (+5%).
//! - A flag in the instance instead of the global one: fewer instructions, yet 25–30% slower
//!   on `bench/methods.toy`, most likely because the `Arc`'s locked increment or decrement
//!   then waits for a load from the instance; the global flag's load does not depend on it.
//!   (The instance's own `tracked` is tested only after the global flag.)
//!
//! Not simulated: builtin objects (ints, strs, lists, dicts, functions, ...) and instances of
//! builtin and native classes (exceptions, locks, deques, properties) keep exact counts, and
//! the reference a Rust structure holds as a bare `Arc<Instance>` (the finalizer queue, the
//! collector's lists) is not one the simulated count sees.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use super::types::Instance;

/// Whether racy mode is on. Set once at start-up; read on every instance clone and drop, and
/// when an instance is created, which decides once and for all whether that instance carries
/// a simulated count.
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turn racy mode on for this process, before the interpreter creates its instances (those
/// created before keep exact counts only).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether racy mode is on.
#[inline(always)]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// How long a thread dawdles between loading a count and storing the new one. On real
/// hardware the window is a few instructions and a demo would need millions of updates to
/// show the race; this many spin-loop hints (some hundred nanoseconds on current x86, where a
/// hint takes ~100 cycles) make two threads that work on the same object collide within a
/// fraction of a second.
///
/// (Yielding the CPU in the window now and then, to stand for a preemption, was tried: at
/// fixed intervals it biases which updates get lost, so that every run leaks and none
/// crashes. Spinning alone shows both, on two cores and on one, where the OS preempts threads
/// inside the window often enough.)
const WINDOW_SPINS: u32 = 8;

/// The simulated reference count of one instance, and what became of it.
#[derive(Default)]
pub struct RacyCount {
    /// Whether this instance takes part: racy mode was on when it was created, and its class
    /// is a user class (see [`RacyCount::for_class`]). Never changes.
    tracked: bool,
    /// The simulated `ob_refcnt`, updated without a lock (see [`racy_add`]). Signed: after a
    /// lost increment it can go below zero.
    simulated: AtomicI32,
    /// The exact number of live [`InstRef`]s: what `simulated` would be with a GIL.
    live: AtomicU32,
    /// The "freed" mark: 0 while the object is valid; once the simulated count reached zero
    /// while references remained, the number of references still alive at that moment.
    freed: AtomicU32,
}

impl RacyCount {
    /// The count of a new instance of `class`: simulated in racy mode for instances of user
    /// classes. Builtin and native classes (exceptions, locks, properties, ...) are left
    /// out, so that the reports name the program's own objects.
    pub fn for_class(class: &super::TypeObj) -> RacyCount {
        RacyCount {
            tracked: enabled() && !class.is_builtin,
            ..RacyCount::default()
        }
    }

    /// Whether the object was freed (simulated): the VM's "is this memory still valid?".
    /// `Some(n)`: freed while `n` references to it still existed.
    #[inline]
    pub fn freed(&self) -> Option<u32> {
        match self.freed.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// The simulated count, as `sys.getrefcount` reports it in racy mode.
    pub fn simulated(&self) -> i32 {
        self.simulated.load(Ordering::Relaxed)
    }

    /// `Py_INCREF`, racy.
    #[inline(always)]
    fn acquire(&self) {
        racy_add(&self.simulated, 1);
        self.live.fetch_add(1, Ordering::Relaxed);
    }

    /// `Py_DECREF`, racy. Where a C interpreter would call the deallocator with references
    /// still out, this marks the object freed. Whatever happens, the `Arc` that the dropped
    /// reference held keeps the memory until every reference is gone.
    #[inline(always)]
    fn release(&self) {
        let simulated = racy_add(&self.simulated, -1);
        let live = self.live.fetch_sub(1, Ordering::Relaxed).wrapping_sub(1);
        if live != 0
            && simulated <= 0
            && self
                .freed
                .compare_exchange(0, live, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            STATS.frees.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The memory is really released (the last `Arc` went): compare the simulated count
    /// with zero, and remember what was wrong for the report at exit. Every racy update of
    /// the count happened before (each was made while its reference held the `Arc`, whose
    /// final decrement synchronises with all earlier ones), so the count read here is final.
    pub(crate) fn settle(&self, class: &Arc<str>) {
        let left = self.simulated.load(Ordering::Relaxed);
        let freed = self.freed().is_some();
        if left == 0 && !freed {
            return;
        }
        let mut tally = TALLY.lock();
        let (kind, count) = if freed {
            // Freed while still referenced, and (the process is still running) never
            // touched again: the crash that did not happen this time.
            (&mut tally.freed_untouched, 0)
        } else if left > 0 {
            (&mut tally.leaked, left)
        } else {
            (&mut tally.over_released, left)
        };
        kind.entry(class.clone()).or_default().add(count as i64);
    }
}

/// `*count += delta` as a C compiler emits it for a non-atomic int: a load, then a store of
/// the new value, with a (widened) window between them in which another thread's update can
/// land and be overwritten. Both accesses are atomic, so this is a race in the toy world
/// only, never a data race in Rust's. Returns the value stored.
#[inline(always)]
fn racy_add(count: &AtomicI32, delta: i32) -> i32 {
    let old = count.load(Ordering::Relaxed);
    for _ in 0..WINDOW_SPINS {
        std::hint::spin_loop();
    }
    let new = old.wrapping_add(delta);
    // A plain store would do; the swap also tells whether another update landed in the
    // window, which this store now erases: a lost update, counted for the report.
    if count.swap(new, Ordering::Relaxed) != old {
        STATS.lost.fetch_add(1, Ordering::Relaxed);
    }
    new
}

/// A reference to an instance: the handle inside `Value::Instance`. It owns the `Arc` that
/// keeps the memory alive; in racy mode its `Clone` and `Drop` also update the simulated
/// count of instances of user classes (`Drop` inlined, without calls: see the module
/// comment).
pub struct InstRef(Arc<Instance>);

impl InstRef {
    /// A new reference to `inst` (counted, in racy mode).
    #[inline]
    pub fn new(inst: Arc<Instance>) -> InstRef {
        if enabled() && inst.refs.tracked {
            inst.refs.acquire();
        }
        InstRef(inst)
    }

    /// The `Arc` this reference holds.
    #[inline]
    pub fn arc(&self) -> &Arc<Instance> {
        &self.0
    }

    /// The count `sys.getrefcount` reports: the simulated one in racy mode (for the
    /// instances that have one), the real one otherwise.
    pub fn refcount(&self) -> usize {
        if self.0.refs.tracked {
            self.0.refs.simulated().max(0) as usize
        } else {
            Arc::strong_count(&self.0)
        }
    }
}

impl InstRef {
    /// `Value::Instance(self.clone())`, for `Value`'s `Clone`: in racy mode, a call that
    /// returns the whole value, so that nothing is left to do after it (see `Value`'s
    /// `Clone`).
    #[inline]
    pub fn clone_value(&self) -> super::Value {
        if enabled() {
            return racy_clone_value(self);
        }
        super::Value::Instance(InstRef(self.0.clone()))
    }
}

#[cold]
#[inline(never)]
fn racy_clone_value(r: &InstRef) -> super::Value {
    super::Value::Instance(r.clone())
}

impl Clone for InstRef {
    #[inline]
    fn clone(&self) -> InstRef {
        if enabled() && self.0.refs.tracked {
            self.0.refs.acquire();
        }
        InstRef(self.0.clone())
    }
}

impl Drop for InstRef {
    #[inline]
    fn drop(&mut self) {
        // Runs before the `Arc` field is dropped: the instance is alive throughout.
        if enabled() && self.0.refs.tracked {
            self.0.refs.release();
        }
    }
}

impl std::ops::Deref for InstRef {
    type Target = Arc<Instance>;

    #[inline]
    fn deref(&self) -> &Arc<Instance> {
        &self.0
    }
}

impl From<Arc<Instance>> for InstRef {
    #[inline]
    fn from(inst: Arc<Instance>) -> InstRef {
        InstRef::new(inst)
    }
}

/// The real free of an instance (from `Instance`'s `Drop`): settle its simulated count.
#[inline]
pub(crate) fn settle(inst: &Instance) {
    if inst.refs.tracked {
        inst.refs.settle(&inst.class.qualname);
    }
}

/// Process-wide event counters (lock-free: updated on the hot path of racy mode).
struct Stats {
    /// Updates overwritten by a concurrent update (see `racy_add`).
    lost: AtomicU64,
    /// Simulated frees of objects that were still referenced.
    frees: AtomicU64,
}

static STATS: Stats = Stats {
    lost: AtomicU64::new(0),
    frees: AtomicU64::new(0),
};

/// Objects per class and their leftover counts.
#[derive(Default)]
struct ClassTally {
    objects: u64,
    counts: i64,
}

impl ClassTally {
    fn add(&mut self, count: i64) {
        self.objects += 1;
        self.counts += count;
    }
}

/// What `settle` found, by class name (sorted, so the report reads the same every time).
#[derive(Default)]
struct Tally {
    leaked: BTreeMap<Arc<str>, ClassTally>,
    freed_untouched: BTreeMap<Arc<str>, ClassTally>,
    over_released: BTreeMap<Arc<str>, ClassTally>,
}

/// Taken only in `settle` and by the reports, never while anything else is held.
static TALLY: parking_lot::Mutex<Tally> = parking_lot::Mutex::new(Tally {
    leaked: BTreeMap::new(),
    freed_untouched: BTreeMap::new(),
    over_released: BTreeMap::new(),
});

/// One line on the lost updates so far, for both reports.
pub fn lost_updates_line() -> String {
    let lost = STATS.lost.load(Ordering::Relaxed);
    match lost {
        0 => "no reference-count update was lost".to_string(),
        1 => "1 reference-count update was lost (overwritten by another thread's)".to_string(),
        n => format!("{n} reference-count updates were lost (overwritten by another thread's)"),
    }
}

/// The report printed at exit in racy mode: lost updates, leaks, and frees nobody touched.
pub fn exit_report() -> String {
    let tally = TALLY.lock();
    let mut out = format!("toy: racy refcount: {}\n", lost_updates_line());
    // What happened to the objects of each kind, said of one object and of several.
    let sections = [
        (
            &tally.leaked,
            "leak",
            "1 object still had a count above 0 when its last reference went (lost \
             decrements): a C interpreter would never free it",
            "objects still had counts above 0 when their last references went (lost \
             decrements): a C interpreter would never free them",
        ),
        (
            &tally.freed_untouched,
            "use after free",
            "1 object reached count 0 while still referenced (lost increments): freed in \
             use, but by luck not touched again",
            "objects reached count 0 while still referenced (lost increments): freed in use, \
             but by luck not touched again",
        ),
        (
            &tally.over_released,
            "double free",
            "1 object ended with a count below 0",
            "objects ended with counts below 0",
        ),
    ];
    let mut damaged = 0;
    for (by_class, label, one, many) in sections {
        let objects: u64 = by_class.values().map(|t| t.objects).sum();
        if objects == 0 {
            continue;
        }
        damaged += objects;
        if objects == 1 {
            out.push_str(&format!("  {label}: {one}:\n"));
        } else {
            out.push_str(&format!("  {label}: {objects} {many}:\n"));
        }
        for (class, t) in by_class {
            let s = if t.objects == 1 { "" } else { "s" };
            out.push_str(&format!("    {class}: {} object{s}", t.objects));
            if t.counts != 0 {
                out.push_str(&format!(", leftover count {}", t.counts));
            }
            out.push('\n');
        }
    }
    if damaged == 0 && STATS.frees.load(Ordering::Relaxed) == 0 {
        out.push_str("  every reference count that was settled came out right\n");
    }
    out
}

#[cfg(test)]
mod tests {
    //! These drive `RacyCount` directly: the global switch stays off, so tests running in
    //! parallel in this process are not affected.
    use super::*;

    #[test]
    fn exact_updates_settle_at_zero() {
        let c = RacyCount::default();
        for _ in 0..3 {
            c.acquire();
        }
        for _ in 0..3 {
            c.release();
        }
        assert_eq!(c.freed(), None);
        assert_eq!(c.simulated(), 0);
    }

    #[test]
    fn a_lost_increment_frees_while_referenced() {
        let c = RacyCount::default();
        c.acquire();
        c.acquire();
        // A lost increment: the live count went up, the simulated one did not.
        c.live.fetch_add(1, Ordering::Relaxed);
        c.release();
        assert_eq!(c.freed(), None);
        c.release();
        assert_eq!(c.freed(), Some(1), "freed with one reference left");
        // The last reference goes: nothing changes the mark.
        c.release();
        assert_eq!(c.freed(), Some(1));
    }

    #[test]
    fn a_lost_decrement_leaves_a_count_when_the_last_reference_goes() {
        let c = RacyCount::default();
        c.acquire();
        c.acquire();
        // A lost decrement: one reference went, the simulated count stayed.
        c.live.fetch_sub(1, Ordering::Relaxed);
        c.release();
        assert_eq!(c.freed(), None);
        assert_eq!(c.simulated(), 1);
        assert_eq!(c.live.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn settling_tallies_leaks_by_class() {
        let c = RacyCount::default();
        c.acquire();
        c.acquire();
        c.live.fetch_sub(1, Ordering::Relaxed);
        c.release();
        let class: Arc<str> = Arc::from("SettleTestLeak");
        c.settle(&class);
        let tally = TALLY.lock();
        let t = tally.leaked.get(&class).expect("tallied as a leak");
        assert_eq!((t.objects, t.counts), (1, 1));
    }

    #[test]
    fn concurrent_updates_keep_the_exact_count_exact() {
        // Two threads taking and dropping references in a loop: the simulated count may
        // drift (or not: one core may run them one after the other), the exact one never.
        let c = Arc::new(RacyCount::default());
        c.acquire();
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        c.acquire();
                        c.release();
                    }
                })
            })
            .collect();
        for w in workers {
            assert!(w.join().is_ok());
        }
        assert_eq!(c.live.load(Ordering::Relaxed), 1);
    }
}
