//! `dict`: an insertion-ordered hash table, laid out like CPython's compact dict — a dense
//! vector of entries in insertion order plus a hash index of positions into it. Deleting
//! leaves a hole (so order and positions stay stable for iterators) that a later compaction
//! removes.
//!
//! The table lives behind the dict's own lock (DESIGN.md decision 1), so a dict shared by
//! threads running without the GIL is never corrupted. Every method takes the lock once.

use hashbrown::HashTable;
use parking_lot::{Mutex, MutexGuard};

use super::key::{keys_equal, table_hash};
use super::str::hash_str;
use super::{ToyResult, Value};

#[derive(Clone)]
pub struct Entry {
    pub hash: u64,
    pub key: Value,
    pub value: Value,
}

/// The unlocked table. Methods here assume the caller holds the dict's lock.
#[derive(Default, Clone)]
pub struct Table {
    entries: Vec<Option<Entry>>,
    index: HashTable<usize>,
    len: usize,
}

impl Table {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn find(&self, hash: u64, key: &Value) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(hash, |&i| {
                entries[i]
                    .as_ref()
                    .is_some_and(|e| e.hash == hash && keys_equal(&e.key, key))
            })
            .copied()
    }

    fn find_str(&self, hash: u64, name: &str) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(hash, |&i| {
                entries[i].as_ref().is_some_and(|e| match &e.key {
                    Value::Str(s) => s.as_str() == name,
                    _ => false,
                })
            })
            .copied()
    }

    pub fn get(&self, hash: u64, key: &Value) -> Option<&Value> {
        self.find(hash, key)
            .and_then(|i| self.entries[i].as_ref())
            .map(|e| &e.value)
    }

    /// Look up a str key by its object: uses the string's cached hash, and identity first
    /// (names in code objects are usually the very keys stored in the namespace).
    pub fn get_name(&self, name: &super::StrObj) -> Option<&Value> {
        let hash = name.hash_value();
        let entries = &self.entries;
        self.index
            .find(hash, |&i| {
                entries[i].as_ref().is_some_and(|e| match &e.key {
                    Value::Str(s) => std::ptr::eq(&**s, name) || s.as_str() == name.as_str(),
                    _ => false,
                })
            })
            .and_then(|&i| self.entries[i].as_ref())
            .map(|e| &e.value)
    }

    pub fn get_str(&self, name: &str) -> Option<&Value> {
        let hash = hash_str(name);
        self.find_str(hash, name)
            .and_then(|i| self.entries[i].as_ref())
            .map(|e| &e.value)
    }

    /// Insert or overwrite; returns the previous value. An existing key keeps its position
    /// and its original key object, as in Python.
    pub fn insert(&mut self, hash: u64, key: Value, value: Value) -> Option<Value> {
        if let Some(i) = self.find(hash, &key) {
            let entry = self.entries[i]
                .as_mut()
                .expect("index points at a live entry");
            return Some(std::mem::replace(&mut entry.value, value));
        }
        let pos = self.entries.len();
        self.entries.push(Some(Entry { hash, key, value }));
        let entries = &self.entries;
        self.index
            .insert_unique(hash, pos, |&i| entries[i].as_ref().map_or(0, |e| e.hash));
        self.len += 1;
        None
    }

    pub fn remove(&mut self, hash: u64, key: &Value) -> Option<Entry> {
        let entries = &self.entries;
        let found = self.index.find_entry(hash, |&i| {
            entries[i]
                .as_ref()
                .is_some_and(|e| e.hash == hash && keys_equal(&e.key, key))
        });
        let pos = match found {
            Ok(occupied) => occupied.remove().0,
            Err(_) => return None,
        };
        let entry = self.entries[pos].take();
        self.len -= 1;
        self.maybe_compact();
        entry
    }

    /// Drop the holes once they outnumber the live entries, keeping order.
    fn maybe_compact(&mut self) {
        if self.entries.len() > 16 && self.len * 2 < self.entries.len() {
            let live: Vec<Entry> = self.entries.drain(..).flatten().collect();
            self.index.clear();
            self.len = 0;
            for e in live {
                self.insert(e.hash, e.key, e.value);
            }
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index.clear();
        self.len = 0;
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
                if let Ok(occ) = self.index.find_entry(e.hash, |&i| i == pos) {
                    occ.remove();
                }
                self.len -= 1;
                return Some(e);
            }
        }
        None
    }
}

/// A dict object: the table behind its lock.
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

    pub fn get(&self, key: &Value) -> ToyResult<Option<Value>> {
        let hash = table_hash(key)?;
        Ok(self.table.lock().get(hash, key).cloned())
    }

    pub fn get_str(&self, name: &str) -> Option<Value> {
        self.table.lock().get_str(name).cloned()
    }

    /// `get_str` for a str object, using its cached hash.
    pub fn get_name(&self, name: &super::StrObj) -> Option<Value> {
        self.table.lock().get_name(name).cloned()
    }

    pub fn set_item(&self, key: Value, value: Value) -> ToyResult<()> {
        let hash = table_hash(&key)?;
        // The old value is dropped after the lock is released: dropping can run `__del__`.
        let old = self.table.lock().insert(hash, key, value);
        drop(old);
        Ok(())
    }

    pub fn set_str(&self, name: &str, value: Value) {
        let key = Value::Str(super::str::intern(name));
        let hash = hash_str(name);
        let old = self.table.lock().insert(hash, key, value);
        drop(old);
    }

    /// Remove `key`, returning its value if it was there.
    pub fn remove(&self, key: &Value) -> ToyResult<Option<Value>> {
        let hash = table_hash(key)?;
        let entry = self.table.lock().remove(hash, key);
        Ok(entry.map(|e| e.value))
    }

    pub fn keys(&self) -> Vec<Value> {
        self.table.lock().iter().map(|e| e.key.clone()).collect()
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
    super::dict_methods::register(&t.dict, &t.dict_keys);
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
