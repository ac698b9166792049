//! `dict`: an insertion-ordered hash table, laid out like CPython's compact dict — a dense
//! vector of entries in insertion order plus a hash index of positions into it. Deleting
//! leaves a hole (so order and positions stay stable for iterators) that a later compaction
//! removes.
//!
//! The table lives behind the dict's own lock (DESIGN.md decision 1), so a dict shared by
//! threads running without the GIL is never corrupted. Every method takes the lock once, except
//! when a key's `__eq__` is toy code: that runs with the lock released (see `key.rs`).

use std::sync::Arc;

use hashbrown::HashTable;
use parking_lot::{Mutex, MutexGuard};

use super::key::{may_need_toy, table_hash_in, KeyCx, Resolved};
use super::str::hash_str;
use super::{ToyResult, Value};
use crate::vm::reentry::Reentry;

#[derive(Clone)]
pub struct Entry {
    pub hash: u64,
    pub key: Value,
    pub value: Value,
}

/// Where a name was last found in a table: the index of its entry. Code objects keep
/// one per name for global and attribute lookups (`compile::code::NameHints`), the way
/// CPython's specialized instructions remember an index into a dict's keys. Only ever a
/// hint: the entry's key is compared before its value is used, so a stale or foreign
/// position costs a probe, never a wrong answer. Relaxed atomics, because code objects are
/// shared by threads.
#[derive(Debug)]
pub struct PositionHint(std::sync::atomic::AtomicU32);

impl Default for PositionHint {
    fn default() -> PositionHint {
        PositionHint::new()
    }
}

impl PositionHint {
    pub const fn new() -> PositionHint {
        PositionHint(std::sync::atomic::AtomicU32::new(u32::MAX))
    }

    pub(super) fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed) as usize
    }

    pub(super) fn set(&self, pos: usize) {
        let pos = u32::try_from(pos).unwrap_or(u32::MAX);
        self.0.store(pos, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The hash of an int or str key, computed without toy code (`None` for other keys).
#[inline]
fn builtin_key_hash(key: &Value) -> Option<u64> {
    match key {
        Value::Int(i) => Some(super::key::hash_i64(*i) as u64),
        Value::Str(s) => Some(s.hash_value()),
        _ => None,
    }
}

/// The hash the index is probed with, derived from the Python hash of the key. The index
/// takes the bucket from the low bits and a 7-bit tag from the top bits, which it compares
/// before looking at an entry; Python hashes of ints and of objects (addresses) keep their
/// top bits zero, so every entry had the same tag and each probe read up to a group's worth
/// of entries. Multiplying by an odd constant carries the low bits' variety to the top, and
/// folding the top half back keeps it in the low bits too.
#[inline(always)]
pub(super) fn spread(hash: u64) -> u64 {
    let x = hash.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 32)
}

/// The unlocked table. Methods here assume the caller holds the dict's lock.
#[derive(Default, Clone)]
pub struct Table {
    entries: Vec<Option<Entry>>,
    index: HashTable<usize>,
    len: usize,
    /// Live keys that may need toy `__eq__` to compare (`key::may_need_toy`): a hint that
    /// is never zero while such a key is present (unless a class gains `__eq__` after its
    /// instance was stored), so `find` knows when it must check the comparison order.
    toy_keys: usize,
}

impl Table {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The position of the entry whose key equals `key`, or `Err(stored)` when toy code
    /// must first say whether the stored key `stored` equals `key` (see `key::Resolved`).
    ///
    /// CPython compares the stored keys of equal hash in insertion order (they share one
    /// probe sequence), stopping at the first equal one. With builtin keys at most one can
    /// be equal and the order is unobservable, so the index's own probe decides; when toy
    /// `__eq__` is involved, the candidates are compared in insertion order.
    fn find(&self, hash: u64, key: &Value, known: &Resolved) -> Result<Option<usize>, Value> {
        let entries = &self.entries;
        let mut unsure = false;
        let found = self
            .index
            .find(spread(hash), |&i| match entries.get(i) {
                Some(Some(e)) if e.hash == hash => match known.matches(&e.key, key) {
                    Some(eq) => eq,
                    None => {
                        unsure = true;
                        false
                    }
                },
                _ => false,
            })
            .copied();
        // Exact unless a candidate needed toy code, or one found may have been preceded
        // (in insertion order) by a stored key that needs toy code.
        if !unsure && (found.is_none() || self.toy_keys == 0) {
            return Ok(found);
        }
        let mut candidates: Vec<usize> = self
            .index
            .iter_hash(spread(hash))
            .copied()
            .filter(|&i| self.entry(i).is_some_and(|e| e.hash == hash))
            .collect();
        candidates.sort_unstable();
        for i in candidates {
            let Some(e) = self.entry(i) else { continue };
            match known.matches(&e.key, key) {
                Some(true) => return Ok(Some(i)),
                Some(false) => {}
                None => return Err(e.key.clone()),
            }
        }
        Ok(None)
    }

    fn find_str(&self, hash: u64, name: &str) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(spread(hash), |&i| {
                entries
                    .get(i)
                    .and_then(Option::as_ref)
                    .is_some_and(|e| match &e.key {
                        Value::Str(s) => s.as_str() == name,
                        _ => false,
                    })
            })
            .copied()
    }

    fn entry(&self, pos: usize) -> Option<&Entry> {
        self.entries.get(pos).and_then(Option::as_ref)
    }

    /// Look up a key whose equality needs no toy code (a str, an int, ...). A stored key
    /// that would need toy code to compare counts as different; use `DictObj::get_in`
    /// for arbitrary keys.
    pub fn get(&self, hash: u64, key: &Value) -> Option<&Value> {
        self.find(hash, key, &Resolved::default())
            .ok()
            .flatten()
            .and_then(|i| self.entry(i))
            .map(|e| &e.value)
    }

    /// Look up a str key by its object: uses the string's cached hash, and identity first
    /// (names in code objects are usually the very keys stored in the namespace).
    pub fn get_name(&self, name: &super::StrObj) -> Option<&Value> {
        self.find_name(name)
            .and_then(|i| self.entry(i))
            .map(|e| &e.value)
    }

    /// Where the str key `name` is: its cached hash, and identity first.
    fn find_name(&self, name: &super::StrObj) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(spread(name.hash_value()), |&i| {
                entries
                    .get(i)
                    .and_then(Option::as_ref)
                    .is_some_and(|e| match &e.key {
                        Value::Str(s) => std::ptr::eq(&**s, name) || s.as_str() == name.as_str(),
                        _ => false,
                    })
            })
            .copied()
    }

    /// `get_name` starting from a remembered position (see `find_name_hinted`).
    pub fn get_name_hinted(&self, name: &super::StrObj, hint: &PositionHint) -> Option<&Value> {
        self.find_name_hinted(name, hint)
            .and_then(|i| self.entry(i))
            .map(|e| &e.value)
    }

    /// `find_name` starting from a remembered position: a hit costs one comparison instead
    /// of a hash probe; a miss probes and remembers where the name was found.
    fn find_name_hinted(&self, name: &super::StrObj, hint: &PositionHint) -> Option<usize> {
        let guess = hint.get();
        if let Some(Value::Str(k)) = self.entry(guess).map(|e| &e.key) {
            if std::ptr::eq(&**k, name) {
                return Some(guess);
            }
        }
        let pos = self.find_name(name)?;
        hint.set(pos);
        Some(pos)
    }

    pub fn get_str(&self, name: &str) -> Option<&Value> {
        let hash = hash_str(name);
        self.find_str(hash, name)
            .and_then(|i| self.entry(i))
            .map(|e| &e.value)
    }

    /// Replace the value of the entry at `pos`; returns the old one. The key keeps its
    /// position and its original key object, as in Python.
    fn replace_value(&mut self, pos: usize, value: Value) -> Option<Value> {
        let entry = self.entries.get_mut(pos)?.as_mut()?;
        Some(std::mem::replace(&mut entry.value, value))
    }

    /// Make room for `n` entries in an empty table.
    pub(super) fn reserve(&mut self, n: usize) {
        self.entries.reserve_exact(n);
        let entries = &self.entries;
        self.index.reserve(n, |&i| {
            entries
                .get(i)
                .and_then(Option::as_ref)
                .map_or(0, |e| spread(e.hash))
        });
    }

    /// Append an attribute whose name is known to be absent.
    pub(super) fn push_name(&mut self, name: Arc<super::StrObj>, value: Value) {
        self.push_new(name.hash_value(), Value::Str(name), value);
    }

    /// Append an entry for a key known to be absent.
    fn push_new(&mut self, hash: u64, key: Value, value: Value) {
        if may_need_toy(&key) {
            self.toy_keys += 1;
        }
        let pos = self.entries.len();
        self.entries.push(Some(Entry { hash, key, value }));
        let entries = &self.entries;
        self.index.insert_unique(spread(hash), pos, |&i| {
            entries
                .get(i)
                .and_then(Option::as_ref)
                .map_or(0, |e| spread(e.hash))
        });
        self.len += 1;
    }

    /// Remove the entry at `pos` (leaving a hole).
    fn remove_at(&mut self, pos: usize) -> Option<Entry> {
        let hash = self.entry(pos)?.hash;
        if let Ok(occupied) = self.index.find_entry(spread(hash), |&i| i == pos) {
            occupied.remove();
        }
        let entry = self.entries.get_mut(pos)?.take();
        self.len -= 1;
        self.forget(entry.as_ref());
        self.maybe_compact();
        entry
    }

    /// Remove a key whose equality needs no toy code (see `get`).
    pub fn remove(&mut self, hash: u64, key: &Value) -> Option<Entry> {
        let pos = self.find(hash, key, &Resolved::default()).ok().flatten()?;
        self.remove_at(pos)
    }

    /// Drop the holes once they outnumber the live entries, keeping order. The keys are
    /// known to be distinct, so none is compared.
    fn maybe_compact(&mut self) {
        if self.entries.len() > 16 && self.len * 2 < self.entries.len() {
            let live: Vec<Entry> = self.entries.drain(..).flatten().collect();
            self.index.clear();
            self.len = 0;
            self.toy_keys = 0;
            for e in live {
                self.push_new(e.hash, e.key, e.value);
            }
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index.clear();
        self.len = 0;
        self.toy_keys = 0;
    }

    /// Update the `toy_keys` hint for an entry leaving the table.
    fn forget(&mut self, entry: Option<&Entry>) {
        if entry.is_some_and(|e| may_need_toy(&e.key)) {
            self.toy_keys = self.toy_keys.saturating_sub(1);
        }
    }

    /// Live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// The live entry at raw position `pos` or after it: used by iterators, which keep a
    /// raw position so that they survive holes. Returns the entry and the next position.
    pub fn entry_from(&self, mut pos: usize) -> Option<(&Entry, usize)> {
        while pos < self.entries.len() {
            if let Some(e) = &self.entries[pos] {
                return Some((e, pos + 1));
            }
            pos += 1;
        }
        None
    }

    /// Remove and return the most recently inserted entry (`popitem`).
    pub fn pop_last(&mut self) -> Option<Entry> {
        while let Some(last) = self.entries.pop() {
            if let Some(e) = last {
                let pos = self.entries.len();
                if let Ok(occ) = self.index.find_entry(spread(e.hash), |&i| i == pos) {
                    occ.remove();
                }
                self.len -= 1;
                self.forget(Some(&e));
                return Some(e);
            }
        }
        None
    }
}

/// A dict object: the table behind its lock.
///
/// Key operations come in two forms: `get_in(cx, ..)` and friends take the [`KeyCx`] that
/// runs user `__hash__`/`__eq__` (the running `Vm`); `get(..)` and friends use a spare VM
/// (`vm::reentry`) for that, for code that has no `Vm`. Builtin keys never need either.
#[derive(Default)]
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct DictObj {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    table: Mutex<Table>,
}

impl DictObj {
    pub fn new() -> DictObj {
        DictObj::default()
    }

    pub fn from_table(table: Table) -> DictObj {
        DictObj {
            table: Mutex::new(table),
            gc: Default::default(),
        }
    }

    /// Lock the table for several operations at once. Never call toy code while holding it.
    pub fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock()
    }

    pub fn len(&self) -> usize {
        self.table.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lock the table and find `key` (already hashed): the locked table and the key's
    /// position. Whenever a stored key needs toy `__eq__` to compare, the lock is released
    /// while toy code answers, then the probe starts over (the table may have changed
    /// meanwhile). The caller acts on the position under the same lock hold.
    fn locate<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        key: &Value,
    ) -> ToyResult<(MutexGuard<'_, Table>, Option<usize>)> {
        let mut known = Resolved::default();
        let mut table = self.table.lock();
        loop {
            match table.find(hash, key, &known) {
                Ok(pos) => return Ok((table, pos)),
                Err(stored) => MutexGuard::unlocked(&mut table, || known.resolve(cx, stored, key))?,
            }
        }
    }

    pub fn get(&self, key: &Value) -> ToyResult<Option<Value>> {
        self.get_in(&mut Reentry, key)
    }

    /// `d.get(key)`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn get_in<C: KeyCx + ?Sized>(&self, cx: &mut C, key: &Value) -> ToyResult<Option<Value>> {
        let hash = table_hash_in(cx, key)?;
        self.get_hashed_in(cx, hash, key)
    }

    /// `get_in` for a key whose hash is already known (taken from another table).
    pub fn get_hashed_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        key: &Value,
    ) -> ToyResult<Option<Value>> {
        let (table, pos) = self.locate(cx, hash, key)?;
        Ok(pos.and_then(|i| table.entry(i)).map(|e| e.value.clone()))
    }

    pub fn get_str(&self, name: &str) -> Option<Value> {
        self.table.lock().get_str(name).cloned()
    }

    /// Whether an int or str `key` is present, if that is known without toy code.
    #[inline]
    pub fn has_builtin_key(&self, key: &Value) -> Option<bool> {
        let hash = builtin_key_hash(key)?;
        let table = self.table.lock();
        table
            .find(hash, key, &Resolved::default())
            .ok()
            .map(|pos| pos.is_some())
    }

    /// `d[key] = value` for an int or str `key`, when no stored key needs toy code to
    /// compare with it; otherwise the key and value are handed back for `set_item_in`.
    #[inline]
    pub fn set_builtin_key(&self, key: Value, value: Value) -> Result<(), (Value, Value)> {
        let Some(hash) = builtin_key_hash(&key) else {
            return Err((key, value));
        };
        let mut table = self.table.lock();
        match table.find(hash, &key, &Resolved::default()) {
            Ok(Some(pos)) => {
                let old = table.replace_value(pos, value);
                // The old value may run a finalizer when dropped: never under the lock.
                drop(table);
                drop(old);
                Ok(())
            }
            Ok(None) => {
                table.push_new(hash, key, value);
                Ok(())
            }
            Err(stored) => {
                drop(table);
                drop(stored);
                Err((key, value))
            }
        }
    }

    /// The value stored under an int or str `key`, if that is known without toy code;
    /// `None` when it is absent or only toy `__eq__` could tell (then `get_in` decides).
    #[inline]
    pub fn get_builtin_key(&self, key: &Value) -> Option<Value> {
        let hash = builtin_key_hash(key)?;
        self.table.lock().get(hash, key).cloned()
    }

    /// `get_str` for a str object, using its cached hash.
    pub fn get_name(&self, name: &super::StrObj) -> Option<Value> {
        self.table.lock().get_name(name).cloned()
    }

    /// `get_name` through a position hint (see `PositionHint`).
    #[inline]
    pub fn get_name_hinted(&self, name: &super::StrObj, hint: &PositionHint) -> Option<Value> {
        self.table.lock().get_name_hinted(name, hint).cloned()
    }

    /// `get_name_hinted`, the value pushed onto `out` (the VM's stack); false if absent.
    /// Written straight into its slot: a returned `Option<Value>` travels through a
    /// temporary whose reload stalls on the stores that filled it (store forwarding).
    pub fn push_name_hinted(
        &self,
        name: &super::StrObj,
        hint: &PositionHint,
        out: &mut Vec<Value>,
    ) -> bool {
        match self.table.lock().get_name_hinted(name, hint) {
            Some(v) => {
                out.push(v.clone());
                true
            }
            None => false,
        }
    }

    pub fn set_item(&self, key: Value, value: Value) -> ToyResult<()> {
        self.set_item_in(&mut Reentry, key, value)
    }

    /// `d[name] = value` for a str object (attribute stores): its cached hash, identity
    /// first, no hashing machinery. A table holding keys that compare with toy `__eq__`
    /// (a str subclass could equal `name`) takes the general path.
    pub fn set_name(&self, name: &Arc<super::StrObj>, value: Value) -> ToyResult<()> {
        self.set_attr(name, value, &PositionHint::default())
    }

    /// `set_name` through a position hint (see `PositionHint`).
    pub fn set_attr(
        &self,
        name: &Arc<super::StrObj>,
        value: Value,
        hint: &PositionHint,
    ) -> ToyResult<()> {
        let mut table = self.table.lock();
        if table.toy_keys > 0 {
            drop(table);
            return self.set_item(Value::Str(name.clone()), value);
        }
        let old = match table.find_name_hinted(name, hint) {
            Some(i) => table.replace_value(i, value),
            None => {
                table.push_new(name.hash_value(), Value::Str(name.clone()), value);
                None
            }
        };
        drop(table);
        // The old value may run a finalizer when dropped: never under the lock.
        drop(old);
        Ok(())
    }

    /// `d[key] = value`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn set_item_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        key: Value,
        value: Value,
    ) -> ToyResult<()> {
        let hash = table_hash_in(cx, &key)?;
        self.set_item_hashed_in(cx, hash, key, value)
    }

    /// `set_item_in` for a key whose hash is already known (taken from another table).
    pub fn set_item_hashed_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        hash: u64,
        key: Value,
        value: Value,
    ) -> ToyResult<()> {
        let (mut table, pos) = self.locate(cx, hash, &key)?;
        let old = match pos {
            Some(i) => table.replace_value(i, value),
            None => {
                table.push_new(hash, key, value);
                None
            }
        };
        // The old value is dropped after the lock is released: dropping can run `__del__`.
        drop(table);
        drop(old);
        Ok(())
    }

    /// Set a str key (namespaces). Like `get_str`, it only compares with str keys.
    pub fn set_str(&self, name: &str, value: Value) {
        let hash = hash_str(name);
        let mut table = self.table.lock();
        let old = match table.find_str(hash, name) {
            Some(i) => table.replace_value(i, value),
            None => {
                table.push_new(hash, Value::Str(super::str::intern(name)), value);
                None
            }
        };
        drop(table);
        drop(old);
    }

    /// Remove `key`, returning its value if it was there.
    pub fn remove(&self, key: &Value) -> ToyResult<Option<Value>> {
        self.remove_in(&mut Reentry, key)
    }

    /// `remove`, with user `__hash__`/`__eq__` run through `cx`.
    pub fn remove_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        key: &Value,
    ) -> ToyResult<Option<Value>> {
        let hash = table_hash_in(cx, key)?;
        let (mut table, pos) = self.locate(cx, hash, key)?;
        let entry = pos.and_then(|i| table.remove_at(i));
        drop(table);
        Ok(entry.map(|e| e.value))
    }

    /// `d.setdefault(key, default)`: one locked lookup-or-insert (after any toy `__eq__`
    /// calls); returns the value now stored under `key`.
    pub fn setdefault_in<C: KeyCx + ?Sized>(
        &self,
        cx: &mut C,
        key: &Value,
        default: Value,
    ) -> ToyResult<Value> {
        let hash = table_hash_in(cx, key)?;
        let (mut table, pos) = self.locate(cx, hash, key)?;
        if let Some(e) = pos.and_then(|i| table.entry(i)) {
            return Ok(e.value.clone());
        }
        table.push_new(hash, key.clone(), default.clone());
        Ok(default)
    }

    pub fn keys(&self) -> Vec<Value> {
        self.table.lock().iter().map(|e| e.key.clone()).collect()
    }

    /// The keys with their stored hashes, in order: for copying keys into another table
    /// without hashing them again (as CPython does for an exact dict).
    pub fn keys_hashed(&self) -> Vec<(u64, Value)> {
        self.table
            .lock()
            .iter()
            .map(|e| (e.hash, e.key.clone()))
            .collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.table.lock().iter().map(|e| e.value.clone()).collect()
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.table
            .lock()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    }

    /// The entries (hash, key, value) in order, for merging into another dict.
    pub fn entries(&self) -> Vec<Entry> {
        self.table.lock().iter().cloned().collect()
    }

    /// A shallow copy.
    pub fn copy(&self) -> DictObj {
        DictObj::from_table(self.table.lock().clone())
    }

    pub fn clear(&self) {
        let old = std::mem::take(&mut *self.table.lock());
        drop(old);
    }
}

pub(crate) fn register(t: &super::types::BuiltinTypes) {
    use super::iter::IterKind;
    let view = |kind: IterKind| &t.iterators[kind as usize];
    super::dict_methods::register(
        &t.dict,
        &[view(IterKind::KeysView), view(IterKind::ItemsView)],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertion_order_survives_deletes_and_compaction() {
        let d = DictObj::new();
        for i in 0..100 {
            d.set_item(Value::Int(i), Value::Int(i * 10)).unwrap();
        }
        for i in 0..90 {
            d.remove(&Value::Int(i)).unwrap();
        }
        let keys: Vec<i64> = d
            .keys()
            .iter()
            .map(|k| match k {
                Value::Int(i) => *i,
                _ => -1,
            })
            .collect();
        assert_eq!(keys, (90..100).collect::<Vec<_>>());
        assert!(matches!(
            d.get(&Value::Int(95)).unwrap(),
            Some(Value::Int(950))
        ));
        assert!(d.get(&Value::Int(5)).unwrap().is_none());
    }

    #[test]
    fn equal_numbers_are_one_key() {
        let d = DictObj::new();
        d.set_item(Value::Int(1), Value::str("int")).unwrap();
        d.set_item(Value::Float(1.0), Value::str("float")).unwrap();
        d.set_item(Value::Bool(true), Value::str("bool")).unwrap();
        assert_eq!(d.len(), 1);
        assert!(matches!(d.keys()[0], Value::Int(1)));
    }

    #[test]
    fn pop_last_returns_newest() {
        let d = DictObj::new();
        d.set_str("a", Value::Int(1));
        d.set_str("b", Value::Int(2));
        let e = d.lock().pop_last().unwrap();
        assert!(matches!(e.value, Value::Int(2)));
        assert_eq!(d.len(), 1);
        assert!(d.get_str("a").is_some());
    }
}
