//! `set` and `frozenset`: an open-addressing hash table that reproduces CPython 3.11's
//! `Objects/setobject.c` slot for slot, so that iteration order (and therefore what
//! `print({3, 1, 2})` shows) is the same as python3's for values whose hashes are
//! deterministic (numbers, None, bools, tuples of those).
//!
//! The layout rules that matter for order:
//! - the table size is a power of two, at least 8; the first slot probed is `hash & mask`;
//! - each probe looks at up to `LINEAR_PROBES + 1` consecutive slots (only when they fit
//!   before the end of the table), then jumps: `perturb >>= 5; i = (i * 5 + 1 + perturb)`;
//! - deleting leaves a dummy, which a later insertion of a new key may reuse;
//! - the table is rebuilt once `fill * 5 >= mask * 3` (fill counts dummies), to the
//!   smallest power of two above `used * 4` (`used * 2` past 50000 entries);
//! - copying and merging another set (`set(s)`, `s.copy()`, `a | b`, `a |= b`) first sizes
//!   the table for both and, into an empty table, copies the layout or re-inserts in the
//!   source's table order (`set_merge`).
//!
//! The table lives behind the set's own lock (DESIGN.md decision 1). A method never holds two
//! set locks at once: when it reads another set, it first clones that set's table (a
//! snapshot: reference-count bumps only), releases it, and only then locks `self`. (Native
//! key comparison may briefly lock a frozenset member to compare it.)
//!
//! Members whose `__hash__`/`__eq__` is toy code: see `key.rs`. Toy code never runs with a
//! set's lock held.

use parking_lot::{Mutex, MutexGuard};

use super::key::{hash_fast, table_hash_in, KeyCx, Resolved};
use super::{Exc, ToyResult, Value};
use crate::vm::reentry::Reentry;

/// `PySet_MINSIZE`.
const MIN_SIZE: usize = 8;
/// Extra consecutive slots looked at before the perturbed jump.
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;
/// Largest table size we ever ask for; keeps the size computation from overflowing.
const MAX_SIZE: usize = 1 << 60;

#[derive(Clone)]
enum Slot {
    /// Never used since the table was (re)built: ends every probe sequence.
    Empty,
    /// A deleted entry: probes continue past it, insertions may reuse it.
    Dummy,
    Active {
        hash: u64,
        key: Value,
    },
}

/// The next probe start, as `setobject.c` computes it on `size_t`.
fn next_probe(i: usize, perturb: u64, mask: usize) -> usize {
    ((i as u64)
        .wrapping_mul(5)
        .wrapping_add(1)
        .wrapping_add(perturb)
        & mask as u64) as usize
}

/// The linear run of slots probed from `i`: `i..=i + LINEAR_PROBES` when that fits before
/// the end of the table, otherwise just `i`.
fn probe_run(i: usize, mask: usize) -> std::ops::RangeInclusive<usize> {
    if i + LINEAR_PROBES <= mask {
        i..=i + LINEAR_PROBES
    } else {
        i..=i
    }
}

/// `_shuffle_bits` from `frozenset_hash`.
fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
}

/// `set_insert_clean`: place a key known to be absent into a table without dummies.
fn insert_clean(slots: &mut [Slot], hash: u64, key: Value) {
    let mask = slots.len() - 1;
    let mut perturb = hash;
    let mut i = (hash & mask as u64) as usize;
    loop {
        for j in probe_run(i, mask) {
            if let Some(slot @ Slot::Empty) = slots.get_mut(j) {
                *slot = Slot::Active { hash, key };
                return;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = next_probe(i, perturb, mask);
    }
}

/// The unlocked table: the fields of CPython's `PySetObject`. Methods assume the caller
/// holds the set's lock (or owns the table outright).
#[derive(Clone)]
struct Table {
    /// `mask + 1` slots; the length is always a power of two, at least `MIN_SIZE`.
    slots: Vec<Slot>,
    /// Active plus dummy slots.
    fill: usize,
    /// Active slots: the set's length.
    used: usize,
    /// Where `pop` starts searching.
    finger: usize,
    /// Cached `frozenset` hash; cleared by every mutation.
    hash: Option<i64>,
}

/// Where `set_add_entry`'s search says a key goes.
#[derive(Clone, Copy)]
enum Place {
    /// An equal key is already there.
    Present,
    /// Absent: it goes into `slot`, a dummy being reused (`fresh: false`) or the empty slot
    /// that ended the probe sequence (`fresh: true`).
    Free { slot: usize, fresh: bool },
}

impl Table {
    fn new() -> Table {
        Table {
            slots: vec![Slot::Empty; MIN_SIZE],
            fill: 0,
            used: 0,
            finger: 0,
            hash: None,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Live entries in table (iteration) order.
    fn active(&self) -> impl Iterator<Item = (u64, &Value)> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Active { hash, key } => Some((*hash, key)),
            _ => None,
        })
    }

    /// `set_lookkey`: the index of the active slot holding a key equal to `key`, or
    /// `Err(stored)` when toy code must first say whether the stored key `stored` equals
    /// `key` (see `key::Resolved`).
    fn lookup(&self, hash: u64, key: &Value, known: &Resolved) -> Result<Option<usize>, Value> {
        let mask = self.mask();
        let mut perturb = hash;
        let mut i = (hash & mask as u64) as usize;
        loop {
            for j in probe_run(i, mask) {
                match self.slots.get(j) {
                    Some(Slot::Active { hash: h, key: k }) if *h == hash => {
                        match known.matches(k, key) {
                            Some(true) => return Ok(Some(j)),
                            Some(false) => {}
                            None => return Err(k.clone()),
                        }
                    }
                    Some(Slot::Empty) | None => return Ok(None),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = next_probe(i, perturb, mask);
        }
    }

    /// The search half of `set_add_entry`: a new key goes into the last dummy seen on its
    /// probe sequence, else into the empty slot that ended it. `Err` as for `lookup`.
    fn place(&self, hash: u64, key: &Value, known: &Resolved) -> Result<Place, Value> {
        let mask = self.mask();
        let mut perturb = hash;
        let mut i = (hash & mask as u64) as usize;
        let mut freeslot = None;
        loop {
            for j in probe_run(i, mask) {
                match self.slots.get(j) {
                    Some(Slot::Empty) | None => {
                        return Ok(match freeslot {
                            Some(slot) => Place::Free { slot, fresh: false },
                            None => Place::Free {
                                slot: j,
                                fresh: true,
                            },
                        })
                    }
                    Some(Slot::Active { hash: h, key: k }) if *h == hash => {
                        match known.matches(k, key) {
                            Some(true) => return Ok(Place::Present),
                            Some(false) => {}
                            None => return Err(k.clone()),
                        }
                    }
                    Some(Slot::Active { .. }) => {}
                    Some(Slot::Dummy) => freeslot = Some(j),
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = next_probe(i, perturb, mask);
        }
    }

    /// The insertion half of `set_add_entry`, at the slot `place` chose.
    fn put(&mut self, slot: usize, fresh: bool, hash: u64, key: Value) {
        self.hash = None;
        self.used += 1;
        if let Some(s) = self.slots.get_mut(slot) {
            *s = Slot::Active { hash, key };
        }
        if fresh {
            self.fill += 1;
            if self.fill * 5 >= self.mask() * 3 {
                self.resize(self.growth_target());
            }
        }
    }

    /// The removal half of `set_discard_entry`: slot `j` (found by `lookup`) becomes a
    /// dummy.
    fn discard_at(&mut self, j: usize) {
        if let Some(slot) = self.slots.get_mut(j) {
            *slot = Slot::Dummy;
        }
        self.used -= 1;
        self.hash = None;
    }

    // ----- Operations on a table no other code can reach (a snapshot or a result being
    // ----- built): toy code can run in the middle of them, as no lock is held.

    /// Lookup, asking toy code whenever it must.
    fn lookup_private<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        key: &Value,
    ) -> ToyResult<Option<usize>> {
        let mut known = Resolved::default();
        loop {
            match self.lookup(hash, key, &known) {
                Ok(found) => return Ok(found),
                Err(stored) => known.resolve(cx, stored, key)?,
            }
        }
    }

    fn contains_private<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        key: &Value,
    ) -> ToyResult<bool> {
        Ok(self.lookup_private(cx, hash, key)?.is_some())
    }

    /// `set_add_entry`: returns whether the key was new.
    fn add_private<C: KeyCx + ?Sized>(
        &mut self,
        cx: &mut C,
        hash: u64,
        key: Value,
    ) -> ToyResult<bool> {
        let mut known = Resolved::default();
        loop {
            match self.place(hash, &key, &known) {
                Ok(Place::Present) => return Ok(false),
                Ok(Place::Free { slot, fresh }) => {
                    self.put(slot, fresh, hash, key);
                    return Ok(true);
                }
                Err(stored) => known.resolve(cx, stored, &key)?,
            }
        }
    }

    /// `set_discard_entry`: returns whether the key was present.
    fn discard_private<C: KeyCx + ?Sized>(
        &mut self,
        cx: &mut C,
        hash: u64,
        key: &Value,
    ) -> ToyResult<bool> {
        match self.lookup_private(cx, hash, key)? {
            Some(j) => {
                self.discard_at(j);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The `minused` CPython passes to `set_table_resize` after growth or mass deletion.
    fn growth_target(&self) -> usize {
        if self.used > 50_000 {
            self.used.saturating_mul(2)
        } else {
            self.used.saturating_mul(4)
        }
    }

    /// `set_table_resize`: rebuild with the smallest power-of-two size above `minused`,
    /// dropping dummies and re-inserting live keys in old table order.
    fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused && size < MAX_SIZE {
            size <<= 1;
        }
        if size == MIN_SIZE && self.slots.len() == MIN_SIZE && self.fill == self.used {
            // Small table without dummies: nothing to gain.
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; size]);
        self.fill = self.used;
        for slot in old {
            if let Slot::Active { hash, key } = slot {
                insert_clean(&mut self.slots, hash, key);
            }
        }
    }

    /// `set_pop`: the first live entry at or after the finger, wrapping around.
    fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let start = self.finger & mask;
        let found = (start..=mask)
            .chain(0..start)
            .find(|&j| matches!(self.slots.get(j), Some(Slot::Active { .. })))?;
        let slot = self.slots.get_mut(found)?;
        let Slot::Active { key, .. } = std::mem::replace(slot, Slot::Dummy) else {
            return None;
        };
        self.used -= 1;
        self.finger = found + 1;
        self.hash = None;
        Some(key)
    }

    /// `set_merge` up to its per-key loop: one big resize up front (expecting few
    /// overlapping keys) and, into an empty table, a copy of `other` that compares no keys.
    /// Returns whether that finished the merge; if not, the caller adds every key of
    /// `other` in its table order. `other` must not be this table.
    fn merge_start(&mut self, other: &Table) -> bool {
        if other.used == 0 {
            return true;
        }
        self.hash = None;
        if self.fill.saturating_add(other.used).saturating_mul(5) >= self.mask() * 3 {
            self.resize(self.used.saturating_add(other.used).saturating_mul(2));
        }
        if self.fill == 0 && self.slots.len() == other.slots.len() && other.fill == other.used {
            // Empty target of the same size, source without dummies: copy the layout.
            self.slots.clone_from(&other.slots);
            self.fill = other.fill;
            self.used = other.used;
            return true;
        }
        if self.fill == 0 {
            for (hash, key) in other.active() {
                insert_clean(&mut self.slots, hash, key.clone());
            }
            self.fill = other.used;
            self.used = other.used;
            return true;
        }
        false
    }

    /// A new table holding `other`'s keys, laid out as CPython lays out a merge into a new
    /// set. (`merge_start` always finishes on an empty table, so no key is compared.)
    fn copied(other: &Table) -> Table {
        let mut table = Table::new();
        table.merge_start(other);
        table
    }

    /// `set_merge` into a private table.
    fn merge_private<C: KeyCx + ?Sized>(&mut self, cx: &mut C, other: &Table) -> ToyResult<()> {
        if self.merge_start(other) {
            return Ok(());
        }
        for (hash, key) in other.active() {
            self.add_private(cx, hash, key.clone())?;
        }
        Ok(())
    }

    /// The body of `set_difference_update_internal` for a set argument, on a private
    /// table: discard every key of `other`, then rebuild if more than a quarter of the
    /// slots are dummies.
    fn difference_update_private<C: KeyCx + ?Sized>(
        &mut self,
        cx: &mut C,
        other: &Table,
    ) -> ToyResult<()> {
        for (hash, key) in other.active() {
            self.discard_private(cx, hash, key)?;
        }
        self.purge_dummies();
        Ok(())
    }

    fn purge_dummies(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            self.resize(self.growth_target());
        }
    }

    /// `set_symmetric_difference_update` with a set argument, in `other`'s table order, on
    /// a private table.
    fn symmetric_difference_update_private<C: KeyCx + ?Sized>(
        &mut self,
        cx: &mut C,
        other: &Table,
    ) -> ToyResult<()> {
        for (hash, key) in other.active() {
            if !self.discard_private(cx, hash, key)? {
                self.add_private(cx, hash, key.clone())?;
            }
        }
        Ok(())
    }

    /// `frozenset_hash`: order-independent, cached until the next mutation.
    fn frozen_hash(&mut self) -> i64 {
        if let Some(h) = self.hash {
            return h;
        }
        // CPython xors in every slot and then cancels empty and dummy slots; xoring in only
        // the live entries gives the same result.
        let mut h = self
            .active()
            .fold(0u64, |acc, (hash, _)| acc ^ shuffle_bits(hash));
        h ^= (self.used as u64)
            .wrapping_add(1)
            .wrapping_mul(1_927_868_237);
        h ^= (h >> 11) ^ (h >> 25);
        h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
        if h == u64::MAX {
            h = 590_923_713;
        }
        let h = h as i64;
        self.hash = Some(h);
        h
    }
}

/// Whether every key of `mine` is in `theirs`, decided natively: `None` as soon as a
/// comparison needs toy code (nothing has run, so the caller can redo it with toy code).
fn subset_fast(mine: &Table, theirs: &Table) -> Option<bool> {
    let known = Resolved::default();
    for (hash, key) in mine.active() {
        match theirs.lookup(hash, key, &known) {
            Ok(Some(_)) => {}
            Ok(None) => return Some(false),
            Err(_) => return None,
        }
    }
    Some(true)
}

/// Whether every key of `mine` is in `theirs` (two snapshots), running toy code as needed.
fn subset_private<C: KeyCx + ?Sized>(cx: &mut C, mine: &Table, theirs: &Table) -> ToyResult<bool> {
    for (hash, key) in mine.active() {
        if !theirs.contains_private(cx, hash, key)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What stopped [`hash_prefix`].
enum Stop {
    /// All values were hashed.
    End,
    /// A value is unhashable (the values after it are not looked at).
    Error(Exc),
    /// This value's hash needs toy code.
    Toy(Value),
}

/// Hash values in order up to the first whose hash needs toy code (or fails). Runs no toy
/// code, and is done before a set lock is taken: hashing a frozenset takes its lock.
fn hash_prefix(values: &mut std::vec::IntoIter<Value>) -> (Vec<(u64, Value)>, Stop) {
    let mut hashed = Vec::with_capacity(values.len());
    for v in values.by_ref() {
        match hash_fast(&v) {
            Some(Ok(h)) => hashed.push((h, v)),
            Some(Err(e)) => return (hashed, Stop::Error(e)),
            None => return (hashed, Stop::Toy(v)),
        }
    }
    (hashed, Stop::End)
}

/// Run `step` on the locked table for a lookup of `key`. When `step` reports a stored key
/// that toy code must compare with `key`, the lock is released while toy code answers and
/// `step` runs again on the (possibly changed) table with that answer known. `step` must
/// not change the table before it returns `Ok`.
fn step_locked<C: KeyCx + ?Sized, R>(
    table: &mut MutexGuard<'_, Table>,
    cx: &mut C,
    key: &Value,
    mut step: impl FnMut(&mut Table, &Resolved) -> Result<R, Value>,
) -> ToyResult<R> {
    let mut known = Resolved::default();
    loop {
        match step(table, &known) {
            Ok(r) => return Ok(r),
            Err(stored) => MutexGuard::unlocked(table, || known.resolve(cx, stored, key))?,
        }
    }
}

/// `set_add_entry` on the locked table of a set.
fn add_locked<C: KeyCx + ?Sized>(
    table: &mut MutexGuard<'_, Table>,
    cx: &mut C,
    hash: u64,
    key: Value,
) -> ToyResult<bool> {
    let place = step_locked(table, cx, &key, |t, known| t.place(hash, &key, known))?;
    match place {
        Place::Present => Ok(false),
        Place::Free { slot, fresh } => {
            table.put(slot, fresh, hash, key);
            Ok(true)
        }
    }
}

/// `set_discard_entry` on the locked table of a set.
fn discard_locked<C: KeyCx + ?Sized>(
    table: &mut MutexGuard<'_, Table>,
    cx: &mut C,
    hash: u64,
    key: &Value,
) -> ToyResult<bool> {
    let found = step_locked(table, cx, key, |t, known| t.lookup(hash, key, known))?;
    match found {
        Some(j) => {
            table.discard_at(j);
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A `set` or `frozenset`. `frozen` only decides the type; the table works the same.
///
/// Methods that hash or compare keys take the [`KeyCx`] that runs user `__hash__`/`__eq__`
/// (the running `Vm`); `add`, `contains`, `discard` and `from_values` also come without
/// one, using a spare VM (`vm::reentry`). Toy code never runs with the set's lock held:
/// results are built in private tables, and an operation on the set's own table releases
/// the lock while toy code compares a key (see `key.rs`).
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct SetObj {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    pub frozen: bool,
    table: Mutex<Table>,
}

impl SetObj {
    pub fn new(frozen: bool) -> SetObj {
        SetObj::with_table(frozen, Table::new())
    }

    fn with_table(frozen: bool, table: Table) -> SetObj {
        SetObj {
            frozen,
            table: Mutex::new(table),
            gc: Default::default(),
        }
    }

    /// `set(iterable)` / `{a, b, c}` for anything that is not a set or dict: add the values
    /// one by one, in order.
    pub fn from_values(frozen: bool, values: Vec<Value>) -> ToyResult<SetObj> {
        SetObj::from_values_in(&mut Reentry, frozen, values)
    }

    /// `from_values`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn from_values_in<C: KeyCx + ?Sized>(
        cx: &mut C,
        frozen: bool,
        values: Vec<Value>,
    ) -> ToyResult<SetObj> {
        let mut table = Table::new();
        for v in values {
            let hash = table_hash_in(cx, &v)?;
            table.add_private(cx, hash, v)?;
        }
        Ok(SetObj::with_table(frozen, table))
    }

    /// A set display `{c1, c2, c3, ..}` of more than two constants. CPython 3.11 compiles
    /// it to `BUILD_SET 0; LOAD_CONST frozenset(..); SET_UPDATE`: the frozenset is built
    /// from the constants in order, rebuilt by the compiler's constant merger from its own
    /// iteration order, and then merged into the new empty set, so its order can differ
    /// from `set([c1, c2, c3, ..])` (`{2, 17, 3, 4, 5}` prints `{17, 2, 3, 4, 5}`).
    /// Displays with two or fewer elements, or any non-constant element, add one by one
    /// (`from_values`).
    pub fn from_const_display(values: Vec<Value>) -> ToyResult<SetObj> {
        let first = SetObj::from_values(true, values)?;
        let merged = SetObj::from_values(true, first.items())?;
        Ok(merged.copy(false))
    }

    /// A copy of the whole table, taken under the lock and released at once.
    fn snapshot(&self) -> Table {
        self.table.lock().clone()
    }

    pub fn len(&self) -> usize {
        self.table.lock().used
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn add(&self, v: Value) -> ToyResult<()> {
        self.add_in(&mut Reentry, v)
    }

    /// `s.add(v)`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn add_in<C: KeyCx + ?Sized>(&self, cx: &mut C, v: Value) -> ToyResult<()> {
        let hash = table_hash_in(cx, &v)?;
        add_locked(&mut self.table.lock(), cx, hash, v)?;
        Ok(())
    }

    pub fn contains(&self, v: &Value) -> ToyResult<bool> {
        self.contains_in(&mut Reentry, v)
    }

    /// `v in s`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn contains_in<C: KeyCx + ?Sized>(&self, cx: &mut C, v: &Value) -> ToyResult<bool> {
        let hash = table_hash_in(cx, v)?;
        self.contains_hashed_in(cx, hash, v)
    }

    /// `contains_in` for a value whose hash is already known (taken from another table).
    pub fn contains_hashed_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        v: &Value,
    ) -> ToyResult<bool> {
        let mut table = self.table.lock();
        let found = step_locked(&mut table, cx, v, |t, known| t.lookup(hash, v, known))?;
        Ok(found.is_some())
    }

    /// Remove `v` if present; returns whether it was.
    pub fn discard(&self, v: &Value) -> ToyResult<bool> {
        self.discard_in(&mut Reentry, v)
    }

    /// `discard`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn discard_in<C: KeyCx + ?Sized>(&self, cx: &mut C, v: &Value) -> ToyResult<bool> {
        let hash = table_hash_in(cx, v)?;
        discard_locked(&mut self.table.lock(), cx, hash, v)
    }

    /// `set.pop()`: `None` when the set is empty (the caller raises KeyError).
    pub fn pop(&self) -> Option<Value> {
        self.table.lock().pop()
    }

    /// Remove every member; they are dropped after the lock is released (dropping can queue
    /// a `__del__`, and must not happen under a lock that code it triggers might want).
    pub fn clear(&self) {
        let old = std::mem::replace(&mut *self.table.lock(), Table::new());
        drop(old);
    }

    /// Call `f` on every member, in table order, under the set's lock: for the cycle
    /// collector, which must see the members without cloning them. `f` must not lock this set.
    pub fn visit_items(&self, mut f: impl FnMut(&Value)) {
        self.table.lock().active().for_each(|(_, k)| f(k));
    }

    /// The members in table (iteration) order.
    pub fn items(&self) -> Vec<Value> {
        self.table.lock().active().map(|(_, k)| k.clone()).collect()
    }

    /// Whether any member satisfies `pred` (which must not run toy code or lock this set).
    pub fn any_member(&self, pred: impl Fn(&Value) -> bool) -> bool {
        self.table.lock().active().any(|(_, k)| pred(k))
    }

    /// The members with their stored hashes, in table order: for adding them to another
    /// table without hashing them again (as CPython does for a set).
    pub fn items_hashed(&self) -> Vec<(u64, Value)> {
        self.table
            .lock()
            .active()
            .map(|(h, k)| (h, k.clone()))
            .collect()
    }

    /// `set(s)`, `frozenset(s)`, `s.copy()`: a new set laid out as CPython lays out a merge
    /// into an empty set.
    pub fn copy(&self, frozen: bool) -> SetObj {
        SetObj::with_table(frozen, Table::copied(&self.snapshot()))
    }

    /// `==` between sets decided natively: `None` when a comparison needs toy code.
    pub fn set_equal_fast(&self, other: &SetObj) -> Option<bool> {
        if std::ptr::eq(self, other) {
            return Some(true);
        }
        let (mine, my_hash) = {
            let t = self.table.lock();
            (t.clone(), t.hash)
        };
        let theirs = other.table.lock();
        if mine.used != theirs.used {
            return Some(false);
        }
        if let (true, true, Some(a), Some(b)) = (self.frozen, other.frozen, my_hash, theirs.hash) {
            if a != b {
                return Some(false);
            }
        }
        subset_fast(&mine, &theirs)
    }

    /// `==` between sets (either kind): same size and every member of `self` in `other`.
    pub fn set_equal<C: KeyCx + ?Sized>(&self, cx: &mut C, other: &SetObj) -> ToyResult<bool> {
        if let Some(eq) = self.set_equal_fast(other) {
            return Ok(eq);
        }
        let (mine, theirs) = (self.snapshot(), other.snapshot());
        if mine.used != theirs.used {
            return Ok(false);
        }
        subset_private(cx, &mine, &theirs)
    }

    /// `self <= other`.
    pub fn is_subset<C: KeyCx + ?Sized>(&self, cx: &mut C, other: &SetObj) -> ToyResult<bool> {
        if std::ptr::eq(self, other) {
            return Ok(true);
        }
        let mine = self.snapshot();
        {
            let theirs = other.table.lock();
            if mine.used > theirs.used {
                return Ok(false);
            }
            if let Some(sub) = subset_fast(&mine, &theirs) {
                return Ok(sub);
            }
        }
        let theirs = other.snapshot();
        if mine.used > theirs.used {
            return Ok(false);
        }
        subset_private(cx, &mine, &theirs)
    }

    /// `hash(frozenset)`: CPython's `frozenset_hash`, cached until the next mutation.
    pub fn hash_frozen(&self) -> ToyResult<i64> {
        Ok(self.table.lock().frozen_hash())
    }

    /// `self | other` (`set_or`): a copy of `self`, then `other` merged in.
    pub fn union<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
        frozen: bool,
    ) -> ToyResult<SetObj> {
        let mut table = Table::copied(&self.snapshot());
        if !std::ptr::eq(self, other) {
            table.merge_private(cx, &other.snapshot())?;
        }
        Ok(SetObj::with_table(frozen, table))
    }

    /// `self & other` (`set_intersection`): walks the smaller set (`other` on a tie) in
    /// table order, keeping its keys that the larger one contains.
    pub fn intersection<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
        frozen: bool,
    ) -> ToyResult<SetObj> {
        if std::ptr::eq(self, other) {
            return Ok(self.copy(frozen));
        }
        let a = self.snapshot();
        let b = other.snapshot();
        let (walk, probe) = if b.used > a.used { (&a, &b) } else { (&b, &a) };
        let mut table = Table::new();
        for (hash, key) in walk.active() {
            if probe.contains_private(cx, hash, key)? {
                table.add_private(cx, hash, key.clone())?;
            }
        }
        Ok(SetObj::with_table(frozen, table))
    }

    /// `self - other` (`set_difference`).
    pub fn difference<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
        frozen: bool,
    ) -> ToyResult<SetObj> {
        if std::ptr::eq(self, other) {
            return Ok(SetObj::new(frozen));
        }
        let a = self.snapshot();
        let b = other.snapshot();
        let table = if (a.used >> 2) > b.used {
            // Much smaller `other`: copy `self` and discard from the copy.
            let mut table = Table::copied(&a);
            table.difference_update_private(cx, &b)?;
            table
        } else {
            let mut table = Table::new();
            for (hash, key) in a.active() {
                if !b.contains_private(cx, hash, key)? {
                    table.add_private(cx, hash, key.clone())?;
                }
            }
            table
        };
        Ok(SetObj::with_table(frozen, table))
    }

    /// `self ^ other` (`set_symmetric_difference`): a copy of `other`, then each key of
    /// `self` toggled in `self`'s table order.
    pub fn symmetric_difference<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
        frozen: bool,
    ) -> ToyResult<SetObj> {
        let a = self.snapshot();
        let b = if std::ptr::eq(self, other) {
            a.clone()
        } else {
            other.snapshot()
        };
        let mut table = Table::copied(&b);
        table.symmetric_difference_update_private(cx, &a)?;
        Ok(SetObj::with_table(frozen, table))
    }

    /// `self |= other`, `self.update(other_set)` (`set_merge`).
    pub fn update_from<C: KeyCx + ?Sized>(&self, cx: &mut C, other: &SetObj) -> ToyResult<()> {
        if std::ptr::eq(self, other) {
            return Ok(());
        }
        let theirs = other.snapshot();
        let mut table = self.table.lock();
        if table.merge_start(&theirs) {
            return Ok(());
        }
        for (hash, key) in theirs.active() {
            add_locked(&mut table, cx, hash, key.clone())?;
        }
        Ok(())
    }

    // ----- Extra entry points for the paths where CPython treats non-set arguments
    // ----- differently from sets; using them keeps those orders identical too.

    /// `self.update(iterable)` for a non-set, non-dict iterable: add one by one (each
    /// value hashed just before it is added). On an unhashable value, the values before it
    /// stay added.
    pub fn update_values<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        values: Vec<Value>,
    ) -> ToyResult<()> {
        let mut rest = values.into_iter();
        loop {
            // Builtin values are hashed in one go before locking; a value whose hash is
            // toy code is hashed on its own, with no lock held.
            let (hashed, stop) = hash_prefix(&mut rest);
            if !hashed.is_empty() {
                let mut table = self.table.lock();
                for (hash, key) in hashed {
                    add_locked(&mut table, cx, hash, key)?;
                }
            }
            match stop {
                Stop::End => return Ok(()),
                Stop::Error(e) => return Err(e),
                Stop::Toy(v) => {
                    let hash = table_hash_in(cx, &v)?;
                    add_locked(&mut self.table.lock(), cx, hash, v)?;
                }
            }
        }
    }

    /// `self.update(d)` / `set(d)` for an exact dict `d` (pass its keys in order, with the
    /// hashes the dict stored, as CPython reuses them): CPython sizes the table for all of
    /// them first, which can change the order.
    pub fn update_from_dict_keys<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        keys: Vec<(u64, Value)>,
    ) -> ToyResult<()> {
        let mut table = self.table.lock();
        let n = keys.len();
        if table.fill.saturating_add(n).saturating_mul(5) >= table.mask() * 3 {
            let target = table.used.saturating_add(n).saturating_mul(2);
            table.resize(target);
        }
        for (hash, key) in keys {
            add_locked(&mut table, cx, hash, key)?;
        }
        Ok(())
    }

    /// `self.intersection(iterable)` for a non-set iterable: keys in the iterable's order,
    /// stopping once the result is as large as `self`.
    pub fn intersection_values<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        values: Vec<Value>,
        frozen: bool,
    ) -> ToyResult<SetObj> {
        let mine = self.snapshot();
        let mut table = Table::new();
        for v in values {
            let hash = table_hash_in(cx, &v)?;
            if mine.contains_private(cx, hash, &v)? {
                table.add_private(cx, hash, v)?;
                if table.used >= mine.used {
                    break;
                }
            }
        }
        Ok(SetObj::with_table(frozen, table))
    }

    /// `self &= other` (`set_intersection_update`): the intersection's table replaces ours.
    pub fn intersection_update<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
    ) -> ToyResult<()> {
        self.assign_from(self.intersection(cx, other, self.frozen)?);
        Ok(())
    }

    /// Take over `result`'s table, as `set_swap_bodies` does for the in-place operators with
    /// a freshly computed result (`s &= iterable`: `s.assign_from(s.intersection_values(..))`).
    /// `self` keeps its own pop finger.
    pub fn assign_from(&self, result: SetObj) {
        let new = result.table.into_inner();
        let mut t = self.table.lock();
        let finger = t.finger;
        let old = std::mem::replace(&mut *t, new);
        t.finger = finger;
        t.hash = None;
        drop(t);
        drop(old);
    }

    /// `self -= other`, `self.difference_update(other_set)`.
    pub fn difference_update<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
    ) -> ToyResult<()> {
        if std::ptr::eq(self, other) {
            self.clear();
            return Ok(());
        }
        let theirs = other.snapshot();
        let mut table = self.table.lock();
        for (hash, key) in theirs.active() {
            discard_locked(&mut table, cx, hash, key)?;
        }
        table.purge_dummies();
        Ok(())
    }

    /// `self.difference_update(iterable)` for a non-set iterable. `self.difference(iterable)`
    /// is `let r = self.copy(frozen); r.difference_update_values(values)?`.
    pub fn difference_update_values<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        values: Vec<Value>,
    ) -> ToyResult<()> {
        let mut rest = values.into_iter();
        loop {
            // Hashed as in `update_values`.
            let (hashed, stop) = hash_prefix(&mut rest);
            let mut table = self.table.lock();
            for (hash, key) in &hashed {
                discard_locked(&mut table, cx, *hash, key)?;
            }
            match stop {
                Stop::End => {
                    table.purge_dummies();
                    return Ok(());
                }
                Stop::Error(e) => return Err(e),
                Stop::Toy(v) => {
                    drop(table);
                    let hash = table_hash_in(cx, &v)?;
                    discard_locked(&mut self.table.lock(), cx, hash, &v)?;
                }
            }
        }
    }

    /// `self ^= other`, `self.symmetric_difference_update(other_set)`. For a non-set
    /// iterable, CPython builds a set from it first: pass `SetObj::from_values(..)`; and
    /// `self.symmetric_difference(iterable)` is
    /// `let r = SetObj::from_values(frozen, values)?; r.symmetric_difference_update(self)`.
    pub fn symmetric_difference_update<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        other: &SetObj,
    ) -> ToyResult<()> {
        if std::ptr::eq(self, other) {
            self.clear();
            return Ok(());
        }
        let theirs = other.snapshot();
        let mut table = self.table.lock();
        for (hash, key) in theirs.active() {
            toggle_locked(&mut table, cx, hash, key)?;
        }
        Ok(())
    }

    /// Toggle each of `keys` (with hashes already known) in turn: discard it if present,
    /// else add it (`set_symmetric_difference_update` with an exact dict).
    pub fn toggle_hashed<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        keys: Vec<(u64, Value)>,
    ) -> ToyResult<()> {
        let mut table = self.table.lock();
        for (hash, key) in &keys {
            toggle_locked(&mut table, cx, *hash, key)?;
        }
        Ok(())
    }
}

/// Discard `key` from the locked table if present, else add it.
fn toggle_locked<C: KeyCx + ?Sized>(
    table: &mut MutexGuard<'_, Table>,
    cx: &mut C,
    hash: u64,
    key: &Value,
) -> ToyResult<()> {
    step_locked(table, cx, key, |t, known| {
        match t.lookup(hash, key, known)? {
            Some(j) => t.discard_at(j),
            None => {
                if let Place::Free { slot, fresh } = t.place(hash, key, known)? {
                    t.put(slot, fresh, hash, key.clone());
                }
            }
        }
        Ok(())
    })
}

impl Default for SetObj {
    fn default() -> SetObj {
        SetObj::new(false)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! The expected outputs were produced by running the same scripts through an
    //! equivalent interpreter written in Python, under CPython 3.11.
    //!
    //! Script commands (one per line; values are Python literals without spaces):
    //! `new S v..` set(list), `fnew S v..` frozenset(list), `lit S v..` the display
    //! `{v, ..}`, `dict S v..` set(dict.fromkeys(list)), `newr S a b [c]` set(range),
    //! `add`/`del S v..`, `addr`/`delr S a b [c]` per element of a range, `pop S`,
    //! `pops S n`, `popk S n` (at most n), `clear S`, `copy D S` set(S), `or`/`and`/`sub`/`xor D A B`,
    //! `ior`/`iand`/`isub`/`ixor A B` (the update methods), `updv A v..`, `andv`/`subv`/
    //! `xorv D A v..` (the methods with a list), `iandv`/`isubv`/`ixorv A v..`,
    //! `fset D S..` a set of frozenset(S) added in order; output: `p S` members in
    //! iteration order, `fp S` an order fingerprint, `h S` hash(frozenset(S)), `len S`,
    //! `eq A B`, `le A B`, `in S v`.

    use std::collections::HashMap;

    use super::super::key::{hash_value, table_hash};
    use super::*;

    /// `unwrap` that does not need `Debug` on the error (`Exc` has none).
    trait Toy<T> {
        fn toy(self) -> T;
    }

    impl<T> Toy<T> for ToyResult<T> {
        fn toy(self) -> T {
            match self {
                Ok(v) => v,
                Err(_) => panic!("unexpected toy exception"),
            }
        }
    }

    impl<T> Toy<T> for Option<T> {
        fn toy(self) -> T {
            self.expect("unexpected None")
        }
    }

    impl<T> Toy<T> for Result<T, std::num::ParseIntError> {
        fn toy(self) -> T {
            self.expect("bad number")
        }
    }

    fn parse(tok: &str) -> Value {
        match tok {
            "None" => return Value::None,
            "True" => return Value::Bool(true),
            "False" => return Value::Bool(false),
            "inf" => return Value::Float(f64::INFINITY),
            "-inf" => return Value::Float(f64::NEG_INFINITY),
            _ => {}
        }
        if let Some(inner) = tok.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            let mut items = Vec::new();
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(parse(&inner[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                items.push(parse(&inner[start..]));
            }
            return Value::tuple(items);
        }
        if let Ok(i) = tok.parse::<i64>() {
            return Value::Int(i);
        }
        Value::Float(tok.parse::<f64>().expect("bad token"))
    }

    fn fmt(v: &Value) -> String {
        match v {
            Value::None => "None".into(),
            Value::Bool(b) => (if *b { "True" } else { "False" }).into(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) if x.is_infinite() => (if *x > 0.0 { "inf" } else { "-inf" }).into(),
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e16 => format!("{x:.1}"),
            Value::Float(x) => format!("{x:?}"),
            Value::Tuple(t) => {
                let parts: Vec<String> = t.items().iter().map(fmt).collect();
                format!("({})", parts.join(","))
            }
            Value::Set(s) => {
                let parts: Vec<String> = s.items().iter().map(fmt).collect();
                format!("{{{}}}", parts.join(","))
            }
            _ => "?".into(),
        }
    }

    fn range(args: &[&str]) -> Vec<Value> {
        let n: Vec<i64> = args.iter().map(|a| a.parse().expect("int")).collect();
        let (start, stop, step) = match n.as_slice() {
            [b] => (0, *b, 1),
            [a, b] => (*a, *b, 1),
            [a, b, c] => (*a, *b, *c),
            _ => panic!("bad range"),
        };
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(Value::Int(i));
            i += step;
        }
        out
    }

    /// The display `{v, ..}` of constants, as CPython 3.11 compiles it.
    fn display(values: Vec<Value>) -> SetObj {
        if values.len() > 2 {
            SetObj::from_const_display(values).toy()
        } else {
            SetObj::from_values(false, values).toy()
        }
    }

    pub(crate) fn run_script(script: &str) -> String {
        let mut env: HashMap<String, SetObj> = HashMap::new();
        let mut out: Vec<String> = Vec::new();
        // Only builtin values here: the spare VM is never needed.
        let cx = &mut Reentry;
        for line in script.lines() {
            let t: Vec<&str> = line.split_whitespace().collect();
            let Some((&op, args)) = t.split_first() else {
                continue;
            };
            let vals = |k: usize| -> Vec<Value> { args[k..].iter().map(|a| parse(a)).collect() };
            let set = |name: &str| -> &SetObj { &env[name] };
            match op {
                "new" | "fnew" => {
                    let s = SetObj::from_values(op == "fnew", vals(1)).toy();
                    env.insert(args[0].into(), s);
                }
                "lit" => {
                    env.insert(args[0].into(), display(vals(1)));
                }
                "dict" => {
                    // Dict keys: duplicates collapse first, in first-seen order.
                    let keys = SetObj::new(false);
                    let mut unique = Vec::new();
                    for v in vals(1) {
                        if !keys.contains(&v).toy() {
                            keys.add(v.clone()).toy();
                            unique.push(v);
                        }
                    }
                    let s = SetObj::new(false);
                    let hashed = unique
                        .into_iter()
                        .map(|v| (table_hash(&v).toy(), v))
                        .collect();
                    s.update_from_dict_keys(cx, hashed).toy();
                    env.insert(args[0].into(), s);
                }
                "newr" => {
                    env.insert(
                        args[0].into(),
                        SetObj::from_values(false, range(&args[1..])).toy(),
                    );
                }
                "add" => vals(1).into_iter().for_each(|v| set(args[0]).add(v).toy()),
                "addr" => range(&args[1..])
                    .into_iter()
                    .for_each(|v| set(args[0]).add(v).toy()),
                "del" => vals(1).iter().for_each(|v| {
                    set(args[0]).discard(v).toy();
                }),
                "delr" => range(&args[1..]).iter().for_each(|v| {
                    set(args[0]).discard(v).toy();
                }),
                "pop" => out.push(fmt(&set(args[0]).pop().toy())),
                "pops" => {
                    let n = args[1].parse::<usize>().toy();
                    let popped: Vec<String> =
                        (0..n).map(|_| fmt(&set(args[0]).pop().toy())).collect();
                    out.push(popped.join(" "));
                }
                "popk" => {
                    let s = set(args[0]);
                    let n = args[1].parse::<usize>().toy().min(s.len());
                    let popped: Vec<String> = (0..n).map(|_| fmt(&s.pop().toy())).collect();
                    out.push(popped.join(" "));
                }
                "clear" => set(args[0]).clear(),
                "copy" => {
                    let c = set(args[1]).copy(false);
                    env.insert(args[0].into(), c);
                }
                "or" | "and" | "sub" | "xor" => {
                    let (a, b) = (set(args[1]), set(args[2]));
                    let r = match op {
                        "or" => a.union(cx, b, a.frozen).toy(),
                        "and" => a.intersection(cx, b, a.frozen).toy(),
                        "sub" => a.difference(cx, b, a.frozen).toy(),
                        _ => a.symmetric_difference(cx, b, a.frozen).toy(),
                    };
                    env.insert(args[0].into(), r);
                }
                "ior" => set(args[0]).update_from(cx, set(args[1])).toy(),
                "iand" => set(args[0]).intersection_update(cx, set(args[1])).toy(),
                "isub" => set(args[0]).difference_update(cx, set(args[1])).toy(),
                "ixor" => set(args[0])
                    .symmetric_difference_update(cx, set(args[1]))
                    .toy(),
                "updv" => set(args[0]).update_values(cx, vals(1)).toy(),
                "andv" => {
                    let r = set(args[1]).intersection_values(cx, vals(2), false).toy();
                    env.insert(args[0].into(), r);
                }
                "subv" => {
                    let r = set(args[1]).copy(false);
                    r.difference_update_values(cx, vals(2)).toy();
                    env.insert(args[0].into(), r);
                }
                "xorv" => {
                    let r = SetObj::from_values(false, vals(2)).toy();
                    r.symmetric_difference_update(cx, set(args[1])).toy();
                    env.insert(args[0].into(), r);
                }
                "iandv" => {
                    let a = set(args[0]);
                    a.assign_from(a.intersection_values(cx, vals(1), a.frozen).toy());
                }
                "isubv" => set(args[0]).difference_update_values(cx, vals(1)).toy(),
                "ixorv" => {
                    let other = SetObj::from_values(false, vals(1)).toy();
                    set(args[0]).symmetric_difference_update(cx, &other).toy();
                }
                "fset" => {
                    let members: Vec<Value> = args[1..]
                        .iter()
                        .map(|n| Value::set(set(n).copy(true)))
                        .collect();
                    env.insert(args[0].into(), SetObj::from_values(false, members).toy());
                }
                "p" => {
                    let items: Vec<String> = set(args[0]).items().iter().map(fmt).collect();
                    out.push(items.join(" "));
                }
                "fp" => {
                    let items = set(args[0]).items();
                    let mut h: i128 = 0;
                    for (i, x) in items.iter().enumerate() {
                        let hx = hash_value(x).toy() as i128;
                        h = (h * 1_000_003 + hx + i as i128).rem_euclid(1 << 61);
                    }
                    out.push(format!("{}:{}", items.len(), h));
                }
                "h" => out.push(set(args[0]).hash_frozen().toy().to_string()),
                "len" => out.push(set(args[0]).len().to_string()),
                "eq" => out.push(pybool(set(args[0]).set_equal(cx, set(args[1])).toy())),
                "le" => out.push(pybool(set(args[0]).is_subset(cx, set(args[1])).toy())),
                "in" => out.push(pybool(set(args[0]).contains(&parse(args[1])).toy())),
                _ => panic!("bad op {op}"),
            }
        }
        out.join("\n")
    }

    fn pybool(b: bool) -> String {
        (if b { "True" } else { "False" }).into()
    }

    /// (name, script, python3's output)
    const CASES: &[(&str, &str, &str)] = &[
    ("small_ints", "new a 3 1 2\np a\nlit b 3 1 2\np b", "1 2 3\n1 2 3"),
    ("list_order", "new a 10 5 100 7\np a", "10 100 5 7"),
    ("negatives", "lit a -1 -2\np a\nnew b -1 -2 -3 8 16\np b\nlit c -5 -4 -3 -2 -1 0 1\np c", "-1 -2\n8 16 -2 -3 -1\n0 1 -1 -5 -4 -3 -2"),
    ("literal_vs_list", "lit a 2 17 3 4 5\np a\nnew b 2 17 3 4 5\np b\ncopy c b\np c", "17 2 3 4 5\n2 3 4 5 17\n17 2 3 4 5"),
    ("floats_mixed", "new a 1.5 2.5 0.1 -0.5 3.0 2 inf -inf 0.001\np a\nh a", "0.1 1.5 2.5 3.0 -0.5 2 inf -inf 0.001\n-7354226104249400509"),
    ("none_bool_dedup", "new a None True 0 1.0 2 False 1\np a\nlit b 1 1.0 True\np b\nlen a", "0 True 2 None\n1\n4"),
    ("collide_slot0", "new a 8 16 24 32 0 40\np a\nnew b 0 64 128 192 256 320 384 448 512 576\np b", "32 0 8 40 16 24\n0 256 64 128 192 320 384 448 512 576"),
    ("range_step7", "newr a 0 1000 7\np a", "0 518 7 525 14 532 21 539 28 546 35 553 42 560 49 567 56 574 63 581 70 588 77 595 84 602 91 609 98 616 105 623 112 630 119 637 126 644 133 651 140 658 147 665 154 672 161 679 168 686 175 693 182 700 189 707 196 714 203 721 210 728 217 735 224 742 231 749 238 756 245 763 252 770 259 777 266 784 273 791 280 798 287 805 294 812 301 819 308 826 315 833 322 840 329 847 336 854 343 861 350 868 357 875 364 882 371 889 378 896 385 903 392 910 399 917 406 924 413 931 420 938 427 945 434 952 441 959 448 966 455 973 462 980 469 987 476 994 483 490 497 504 511"),
    ("big_growth", "new a\naddr a 0 1000 7\naddr a 5000 3000 -13\np a", "0 4610 3076 518 7 4103 3596 525 14 4623 3089 532 21 4116 3609 539 28 4636 3102 4129 546 35 3622 553 42 4649 3115 4142 560 49 3635 4662 567 56 3128 4155 574 63 3648 4675 581 70 3141 4168 588 77 3661 4688 3154 595 84 4181 602 91 3674 4701 3167 609 98 4194 3687 616 105 4714 3583 3180 623 112 4207 3700 630 119 4727 3193 4220 637 126 3713 644 133 4740 3206 4233 651 140 3726 4753 658 147 3219 4246 665 154 3739 4766 672 161 3232 4259 679 168 3752 4779 3245 686 175 4272 693 182 3765 4792 3258 700 189 4285 3778 707 196 4805 3271 714 203 4298 3791 721 210 4818 3284 4311 728 217 3804 735 224 4831 3297 4324 742 231 3817 4844 749 238 3310 4337 756 245 3830 4857 763 252 3323 4350 770 259 3843 4870 3336 777 266 4363 784 273 3856 4883 3349 791 280 4376 3869 798 287 4896 3362 805 294 4389 3882 812 301 4909 3375 4402 819 308 3895 826 315 4922 3388 4415 833 322 3908 4935 840 329 3401 4428 847 336 3921 4948 854 343 3414 4441 861 350 3934 4961 3427 868 357 4454 875 364 3947 4974 3440 882 371 4467 3960 889 378 4987 3453 896 385 4480 3973 903 392 5000 3466 4493 910 399 3986 917 406 3479 4506 924 413 3999 931 420 3492 4519 938 427 4012 945 434 3505 4532 952 441 4025 3518 959 448 4545 3011 966 455 4038 3531 973 462 4558 3024 4051 980 469 3544 987 476 4571 3037 4064 994 483 3557 4584 490 3050 4077 497 3570 4597 3063 504 4090 511"),
    ("removals_readd", "new a 1 9 17\ndel a 9\nadd a 25\np a\nadd a 9\np a", "1 25 17\n1 9 25 17"),
    ("dummy_reuse", "new a\naddr a 0 320 32\ndel a 32 64 96\nadd a 352\np a\nadd a 384 416\np a", "0 352 128 160 192 224 256 288\n0 416 384 352 128 160 192 224 256 288"),
    ("evens_removed", "newr a 0 20\ndelr a 0 20 2\naddr a 100 110\np a", "1 3 5 7 9 11 13 15 17 19 100 101 102 103 104 105 106 107 108 109"),
    ("hundred_mixed", "newr a 0 100\ndelr a 0 100 3\naddr a 200 260 5\np a", "1 2 4 5 7 8 10 11 13 14 16 17 19 20 22 23 25 26 28 29 31 32 34 35 37 38 40 41 43 44 46 47 49 50 52 53 55 56 58 59 61 62 64 65 67 68 70 71 73 74 76 77 79 80 82 83 85 86 88 89 91 92 94 95 97 98 200 205 210 215 220 225 230 235 240 245 250 255"),
    ("dummy_resize", "newr a 0 8\ndelr a 0 5\naddr a 40 45\np a\naddr a 70 90 3\np a", "5 6 7 40 41 42 43 44\n5 6 7 70 73 76 79 82 85 88 40 41 42 43 44"),
    ("pop_seq", "newr a 0 10\npops a 4\nadd a 3 20 40\npops a 5\np a\nadd a 0 1\npops a 2", "0 1 2 3\n4 5 6 7 8\n3 9 40 20\n9 40"),
    ("pop_collisions", "new a 0 32 64 1 33 2\npops a 3\nadd a 96\npops a 2\np a", "0 1 32\n64 33\n96 2"),
    ("pop_then_clear", "newr a 0 50\npops a 7\nclear a\nadd a 1 2 3 9\npops a 2\np a", "0 1 2 3 4 5 6\n1 2\n3 9"),
    ("tuples", "new a (1,2) (3,4) (1,) () (2,1) (0,0)\np a\nh a", "(1,2) (2,1) (3,4) (0,0) (1) ()\n-3107285936497080949"),
    ("frozen_hashes", "fnew e\nh e\nfnew a 1 2 3\nh a\nfnew b -1\nh b\nfnew c 1.5 -2.5\nh c\nfnew d (1,2) (3,4)\nh d\nnewr r 0 100\nh r", "133146708735736\n-272375401224217160\n6776983852052281967\n584910270279099428\n4486445898448503724\n4411996150312757951"),
    ("ops_small", "new a 1 2 3 4 5\nnew b 4 5 6 7 8\nor c a b\np c\nand d a b\np d\nsub e a b\np e\nsub f b a\np f\nxor g a b\np g\nxor k b a\np k", "1 2 3 4 5 6 7 8\n4 5\n1 2 3\n8 6 7\n1 2 3 6 7 8\n1 2 3 6 7 8"),
    ("ops_ranges", "newr a 0 50 3\nnewr b 0 50 5\nor c a b\np c\nand d a b\np d\nand d2 b a\np d2\nsub e a b\np e\nxor g a b\np g\nxor g2 b a\np g2", "0 3 5 6 9 10 12 15 18 20 21 24 25 27 30 33 35 36 39 40 42 45 48\n0 45 30 15\n0 45 30 15\n33 3 36 6 39 9 42 12 48 18 21 24 27\n3 5 6 9 10 12 18 20 21 24 25 27 33 35 36 39 40 42 48\n3 5 6 9 10 12 18 20 21 24 25 27 33 35 36 39 40 42 48"),
    ("ops_collide", "new a 0 16 32 48 64 1 17\nnew b 64 48 80 96 2 18 34\nor c a b\np c\nor c2 b a\np c2\nand d a b\np d\nsub e b a\np e\nxor g a b\np g", "0 32 64 1 96 2 34 16 48 17 80 18\n64 96 2 34 0 32 1 48 80 18 16 17\n64 48\n96 2 34 80 18\n0 2 1 80 16 18 17 96 32 34"),
    ("sub_copy_path", "newr a 0 40\nnew b 1 2 3 77\nsub c a b\np c\nnewr x 0 64\ndelr x 0 8\nnew y 10 11 12 13 14 15 16 17 18 19 20 21 22 23\nsub z x y\np z", "0 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39\n8 9 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63"),
    ("self_ops", "new a 5 13 21 3\nor b a a\np b\nand c a a\np c\nsub d a a\np d\nxor e a a\np e\nior a a\np a\nixor a a\np a", "3 13 21 5\n3 13 21 5\n\n\n3 13 21 5\n"),
    ("copy_layouts", "new a 2 17 3 4 5\ncopy b a\np b\nnewr c 0 100 9\ndel c 9 18 27\ncopy d c\np d\ncopy e d\np e", "17 2 3 4 5\n0 99 36 72 45 81 54 90 63\n0 99 36 72 45 81 54 90 63"),
    ("inplace_ops", "new a 1 2 3 33 65\nnew b 65 97 5 6 7 8 9\nior a b\np a\nnew c 1 2 3 33 65\niand c b\np c\nnew d 1 2 3 33 65\nisub d b\np d\nnew e 1 2 3 33 65\nixor e b\np e", "65 1 2 3 33 97 5 6 7 8 9\n65\n1 2 3 33\n97 1 2 3 33 5 6 7 8 9"),
    ("iterable_args", "new a 1 2 3 33 65 97\nupdv a 129 4 161\np a\nandv b a 97 65 1000 2 33\np b\nsubv c a 1 65\np c\nxorv d a 2 200 65 300\np d", "65 1 2 3 33 97 129 4 161\n65 97 2 33\n2 3 33 97 129 4 161\n1 33 3 97 129 4 161 200 300"),
    ("iterable_inplace", "new a 1 2 3 33 65 97\niandv a 97 65 1000 2\np a\nnew b 1 2 3 33 65 97\nisubv b 1 33 2 3\np b\nnew c 1 2 3 33 65 97\nixorv c 2 200 65 300\np c", "65 97 2\n65 97\n1 3 33 97 200 300"),
    ("dict_keys", "dict a 1 17 33 2 18\np a\nnew b 1 17 33 2 18\np b", "1 17 33 2 18\n1 2 33 17 18"),
    ("equality_subset", "new a 1 2 3\nfnew b 3 2 1\neq a b\nle a b\nnew c 1 2\nle c a\nle a c\neq a c\nin a 2.0\nin a True\nin a 4", "True\nTrue\nTrue\nFalse\nFalse\nTrue\nTrue\nFalse"),
    ("large_ints", "new a 4611686018427387904 -4611686018427387904 2305843009213693951 2305843009213693952 -9223372036854775808 9223372036854775807\np a\nh a", "2305843009213693951 2305843009213693952 4611686018427387904 9223372036854775807 -9223372036854775808 -4611686018427387904\n130237718840934384"),
    ("over_50000", "new a\naddr a 0 60000 1\nfp a\ndelr a 0 60000 2\nfp a\naddr a 100000 140000 7\nfp a", "60000:1055429339404564320\n30000:199480165778417256\n35715:2177633247119596234"),
    ("nested_frozen", "fnew a 1 2\nh a\nnew s 1 2 3\nh s\nnew e\nnewr r 0 40 8\nfset n a s e r\np n\nh n\nfset m n a\np m\nh m", "-1826646154956904602\n-272375401224217160\n{1,2,3} {0,32,16,8,24} {} {1,2}\n8826896110770062106\n{{1,2,3},{0,32,16,8,24},{},{1,2}} {1,2}\n6478646591656871598"),
    ];

    #[test]
    fn orders_and_hashes_match_cpython() {
        let mut failures = Vec::new();
        for (name, script, expected) in CASES {
            let got = run_script(script);
            if got != *expected {
                failures.push(format!(
                    "{name}:\n  got:      {got:?}\n  expected: {expected:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
