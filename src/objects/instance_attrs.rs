//! An instance's attributes, laid out as CPython 3.11 lays them out: the values in an array
//! of their own, in the order of a list of names shared by all the instances of the class,
//! and a real `dict` only once one is asked for (`obj.__dict__`, `vars(obj)`) or the instance
//! stops following its class's layout (an attribute deleted, or attributes set in an order
//! the class has not seen).
//!
//! Why: a dict per instance cost a lock, a hash index and a 40-byte entry per attribute; an
//! object with nine attributes took ~740 bytes where CPython takes ~140, and programs with
//! many live objects (100 000 asyncio tasks) were bound by the memory traffic and by the
//! collector walking it. With shared names an attribute costs its value (16 bytes).
//!
//! The names (`SharedKeys`) are immutable once made: a class holds its latest list, an
//! instance holds the list it follows (a prefix of its class's). An instance need not have
//! every name: a missing attribute is a `Value::Null` slot. Its values are in the order it
//! set them as long as every name it adds comes after the ones it has: a name further on in
//! the list, or a new name that the class's list grows by (a new list, taken by the
//! instance). An instance whose attributes do not fit — a name added before one it has, more
//! than `MAX_SHARED_KEYS` names — moves to a dict of its own for good (`Layout::Dict`).

use std::sync::{Arc, OnceLock};

use hashbrown::HashTable;
use parking_lot::Mutex;

use super::dict::{spread, DictObj, PositionHint, Table};
use super::types::TypeObj;
use super::{StrObj, ToyResult, Value};

/// The most names a class's shared list grows to (CPython's limit too). Instances that add
/// more keep a dict of their own.
pub const MAX_SHARED_KEYS: usize = 30;

/// Attribute names in the order instances of a class set them, with an index by name.
pub struct SharedKeys {
    names: Vec<Arc<StrObj>>,
    index: HashTable<u32>,
}

impl SharedKeys {
    /// The list with no names: where every class and every new instance starts.
    pub fn empty() -> Arc<SharedKeys> {
        static EMPTY: OnceLock<Arc<SharedKeys>> = OnceLock::new();
        EMPTY
            .get_or_init(|| {
                Arc::new(SharedKeys {
                    names: Vec::new(),
                    index: HashTable::new(),
                })
            })
            .clone()
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// This list and one more name.
    fn with(&self, name: &Arc<StrObj>) -> SharedKeys {
        let mut names = Vec::with_capacity(self.names.len() + 1);
        names.extend(self.names.iter().cloned());
        names.push(name.clone());
        let mut index = HashTable::with_capacity(names.len());
        for (pos, n) in names.iter().enumerate() {
            index.insert_unique(spread(n.hash_value()), pos as u32, |&i| {
                spread(names[i as usize].hash_value())
            });
        }
        SharedKeys { names, index }
    }

    /// The position of `name` (identity first: names in code are interned).
    fn find(&self, name: &StrObj) -> Option<usize> {
        let names = &self.names;
        self.index
            .find(spread(name.hash_value()), |&i| {
                let n = &names[i as usize];
                std::ptr::eq(&**n, name) || n.as_str() == name.as_str()
            })
            .map(|&i| i as usize)
    }

    /// `find` for a name given as a `&str`.
    fn find_str(&self, name: &str) -> Option<usize> {
        let names = &self.names;
        self.index
            .find(spread(super::str::hash_str(name)), |&i| {
                names[i as usize].as_str() == name
            })
            .map(|&i| i as usize)
    }

    /// `find` starting from the position a code object remembered for the name.
    #[inline]
    fn find_hinted(&self, name: &StrObj, hint: &PositionHint) -> Option<usize> {
        let guess = hint.get();
        if let Some(n) = self.names.get(guess) {
            if std::ptr::eq(&**n, name) {
                return Some(guess);
            }
        }
        let pos = self.find(name)?;
        hint.set(pos);
        Some(pos)
    }

    /// Whether `self` begins with the first `n` names of `other`.
    fn starts_like(&self, other: &SharedKeys, n: usize) -> bool {
        self.names.len() >= n
            && other.names.len() >= n
            && self.names[..n]
                .iter()
                .zip(&other.names[..n])
                .all(|(a, b)| Arc::ptr_eq(a, b) || a.as_str() == b.as_str())
    }
}

/// The shared list of a class for an instance that follows `ours` and now adds `name`, a
/// name not in `ours`, and the position of `name` in it: the class's list if it continues
/// `ours` and holds `name`, or a new one (which becomes the class's) that adds `name` to it.
/// `None` when the class's list is not a continuation of `ours` (the instance's class
/// changed) or is full.
fn extend_keys(
    class: &TypeObj,
    ours: &Arc<SharedKeys>,
    name: &Arc<StrObj>,
) -> Option<(Arc<SharedKeys>, usize)> {
    let mut current = class.shared_keys.lock();
    if !Arc::ptr_eq(&current, ours) && !current.starts_like(ours, ours.len()) {
        return None;
    }
    // Usually the name the class's instances set next.
    let next = ours.len();
    let found = match current.names.get(next) {
        Some(n) if Arc::ptr_eq(n, name) => Some(next),
        _ => current.find(name),
    };
    if let Some(pos) = found {
        return Some((current.clone(), pos));
    }
    if current.len() >= MAX_SHARED_KEYS {
        return None;
    }
    let grown = Arc::new(current.with(name));
    *current = grown.clone();
    Some((grown, current.len() - 1))
}

/// The value at position `slot`, if the instance has that attribute.
#[inline]
fn present(slot: Option<usize>, values: &[Value]) -> Option<&Value> {
    values.get(slot?).filter(|v| !v.is_null())
}

/// Where an instance keeps its attributes.
enum Layout {
    /// `values[i]` is the attribute named `keys.names[i]`, or `Null` if the instance does
    /// not have it; the attributes were set in this order. Never ends with a `Null`.
    Shared {
        keys: Arc<SharedKeys>,
        values: Vec<Value>,
    },
    /// A dict of its own, which `obj.__dict__` returns.
    Dict(Arc<DictObj>),
}

impl Layout {
    fn empty() -> Layout {
        Layout::Shared {
            keys: SharedKeys::empty(),
            values: Vec::new(),
        }
    }

    /// Move to a dict of its own (with the attributes in the order they were set) and
    /// return it.
    fn materialize(&mut self) -> Arc<DictObj> {
        let (keys, values) = match self {
            Layout::Dict(d) => return d.clone(),
            Layout::Shared { keys, values } => (keys, values),
        };
        let mut table = Table::default();
        table.reserve(values.len());
        for (name, value) in keys.names.iter().zip(values.drain(..)) {
            if !value.is_null() {
                table.push_name(name.clone(), value);
            }
        }
        let dict = Arc::new(DictObj::from_table(table));
        *self = Layout::Dict(dict.clone());
        dict
    }
}

/// An instance's attributes behind the instance's lock. Values that are replaced or removed
/// are dropped after the lock is released: dropping can queue a finalizer.
pub struct InstanceAttrs(Mutex<Layout>);

impl Default for InstanceAttrs {
    fn default() -> InstanceAttrs {
        InstanceAttrs(Mutex::new(Layout::empty()))
    }
}

impl InstanceAttrs {
    /// The attributes, leaving this empty (the instance's `Drop` moves them into the copy
    /// it resurrects for `__del__`).
    pub fn take(&mut self) -> InstanceAttrs {
        InstanceAttrs(Mutex::new(std::mem::replace(
            self.0.get_mut(),
            Layout::empty(),
        )))
    }

    /// The attribute `name`.
    pub fn get_name(&self, name: &StrObj) -> Option<Value> {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => present(keys.find(name), values).cloned(),
            Layout::Dict(d) => d.get_name(name),
        }
    }

    /// Whether the instance has the attribute `name`, looked up through the position a code
    /// object remembered for the name.
    pub fn has_name_hinted(&self, name: &StrObj, hint: &PositionHint) -> bool {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => {
                present(keys.find_hinted(name, hint), values).is_some()
            }
            Layout::Dict(d) => d.lock().get_name_hinted(name, hint).is_some(),
        }
    }

    /// The attribute named `name`, for native code that names it with a `&str`.
    pub fn get_str(&self, name: &str) -> Option<Value> {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => present(keys.find_str(name), values).cloned(),
            Layout::Dict(d) => d.get_str(name),
        }
    }

    /// `get_name` through the position a code object remembered for the name.
    #[inline]
    pub fn get_name_hinted(&self, name: &StrObj, hint: &PositionHint) -> Option<Value> {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => {
                present(keys.find_hinted(name, hint), values).cloned()
            }
            Layout::Dict(d) => d.get_name_hinted(name, hint),
        }
    }

    /// `get_name_hinted`, the value pushed onto `out` (the VM's stack); false if absent.
    /// Written straight into its slot, as `DictObj::push_name_hinted` explains.
    #[inline]
    pub fn push_name_hinted(
        &self,
        name: &StrObj,
        hint: &PositionHint,
        out: &mut Vec<Value>,
    ) -> bool {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => {
                match present(keys.find_hinted(name, hint), values) {
                    Some(v) => {
                        out.push(v.clone());
                        true
                    }
                    None => false,
                }
            }
            Layout::Dict(d) => d.push_name_hinted(name, hint, out),
        }
    }

    /// `obj.name = value` on an instance of `class`, through the position a code object
    /// remembered for the name.
    pub fn set_name_hinted(
        &self,
        class: &TypeObj,
        name: &Arc<StrObj>,
        value: Value,
        hint: &PositionHint,
    ) -> ToyResult<()> {
        let mut layout = self.0.lock();
        let dict = match &mut *layout {
            Layout::Shared { keys, values } => {
                let slot = match keys.find_hinted(name, hint) {
                    Some(i) => Some(i),
                    None => extend_keys(class, keys, name).map(|(longer, pos)| {
                        *keys = longer;
                        pos
                    }),
                };
                match slot {
                    Some(i) if i < values.len() && !values[i].is_null() => {
                        let old = std::mem::replace(&mut values[i], value);
                        drop(layout);
                        drop(old);
                        return Ok(());
                    }
                    // After every attribute the instance has: the order stays the order set.
                    Some(i) if i >= values.len() && i < keys.len() => {
                        if values.capacity() == 0 {
                            values.reserve_exact(keys.len());
                        }
                        if i > values.len() {
                            values.resize(i, Value::Null);
                        }
                        values.push(value);
                        return Ok(());
                    }
                    _ => layout.materialize(),
                }
            }
            Layout::Dict(d) => d.clone(),
        };
        drop(layout);
        dict.set_attr(name, value, hint)
    }

    /// `obj.name = value` for native code that names the attribute with a `&str`.
    pub fn set_str(&self, class: &TypeObj, name: &str, value: Value) {
        // A str key never runs toy code, so this cannot fail.
        let name = super::str::intern(name);
        let _ = self.set_name_hinted(class, &name, value, &PositionHint::default());
    }

    /// `del obj.name`: the value, if the instance had the attribute.
    pub fn remove(&self, name: &Arc<StrObj>) -> ToyResult<Option<Value>> {
        let mut layout = self.0.lock();
        let dict = match &mut *layout {
            Layout::Shared { keys, values } => {
                let Some(i) = keys.find(name).filter(|&i| i < values.len()) else {
                    return Ok(None);
                };
                let old = std::mem::replace(&mut values[i], Value::Null);
                while values.last().is_some_and(Value::is_null) {
                    values.pop();
                }
                drop(layout);
                return Ok(Some(old).filter(|v| !v.is_null()));
            }
            Layout::Dict(d) => d.clone(),
        };
        drop(layout);
        dict.remove(&Value::Str(name.clone()))
    }

    /// The instance's `__dict__`: from now on the attributes live in it.
    pub fn dict(&self) -> Arc<DictObj> {
        self.0.lock().materialize()
    }

    /// The dict `obj.__dict__` returned, if it was asked for.
    pub fn materialized(&self) -> Option<Arc<DictObj>> {
        match &*self.0.lock() {
            Layout::Dict(d) => Some(d.clone()),
            Layout::Shared { .. } => None,
        }
    }

    /// The attribute names, in the order they were set.
    pub fn names(&self) -> Vec<Value> {
        match &*self.0.lock() {
            Layout::Shared { keys, values } => keys
                .names
                .iter()
                .zip(values)
                .filter(|(_, v)| !v.is_null())
                .map(|(n, _)| Value::Str(n.clone()))
                .collect(),
            Layout::Dict(d) => d.keys(),
        }
    }

    /// Every value held (the collector's walk), under the lock. In the dict layout, its
    /// keys too.
    pub fn for_each(&self, mut f: impl FnMut(&Value)) {
        match &*self.0.lock() {
            Layout::Shared { values, .. } => values.iter().filter(|v| !v.is_null()).for_each(f),
            Layout::Dict(d) => {
                for e in d.lock().iter() {
                    f(&e.key);
                    f(&e.value);
                }
            }
        }
    }

    /// The references to the dict of its own other than the instance's (`d = obj.__dict__`).
    pub fn outside_dict_refs(&self) -> isize {
        match &*self.0.lock() {
            Layout::Dict(d) => Arc::strong_count(d) as isize - 1,
            Layout::Shared { .. } => 0,
        }
    }

    /// Drop every attribute (the collector breaking a cycle).
    pub fn clear(&self) {
        let old = match &mut *self.0.lock() {
            Layout::Shared { values, .. } => std::mem::take(values),
            Layout::Dict(d) => {
                d.clear();
                Vec::new()
            }
        };
        drop(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::str::intern;
    use crate::objects::types;

    fn class() -> Arc<TypeObj> {
        Arc::new(TypeObj::new_builtin("T", vec![types().object.clone()]))
    }

    /// The attributes of an instance of `cls` that set `names` in that order to 0, 1, ...
    fn set_in_order(cls: &TypeObj, names: &[&str]) -> InstanceAttrs {
        let attrs = InstanceAttrs::default();
        for (i, name) in names.iter().enumerate() {
            attrs.set_str(cls, name, Value::Int(i as i64));
        }
        attrs
    }

    #[test]
    fn instances_setting_the_same_names_share_one_list() {
        let cls = class();
        let (a, b) = (
            set_in_order(&cls, &["x", "y"]),
            set_in_order(&cls, &["x", "y"]),
        );
        assert_eq!(cls.shared_keys.lock().len(), 2);
        assert!(a.materialized().is_none() && b.materialized().is_none());
        assert!(matches!(b.get_str("y"), Some(Value::Int(1))));
    }

    #[test]
    fn another_order_moves_to_a_dict_keeping_the_order_set() {
        let cls = class();
        let (a, b) = (
            set_in_order(&cls, &["x", "y"]),
            set_in_order(&cls, &["y", "x"]),
        );
        assert!(a.materialized().is_none());
        assert!(b.materialized().is_some());
        let names: Vec<String> = b
            .names()
            .iter()
            .map(|v| match v {
                Value::Str(s) => s.as_str().to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(names, ["y", "x"]);
        assert!(matches!(b.get_str("x"), Some(Value::Int(1))));
    }

    #[test]
    fn an_instance_may_skip_names_it_does_not_set() {
        let cls = class();
        let _a = set_in_order(&cls, &["x", "y"]);
        let b = set_in_order(&cls, &["y", "z"]);
        assert!(b.materialized().is_none());
        assert!(b.get_str("x").is_none());
        assert_eq!(b.names().len(), 2);
        assert_eq!(cls.shared_keys.lock().len(), 3);
    }

    #[test]
    fn removing_an_attribute_keeps_the_others() {
        let cls = class();
        let a = set_in_order(&cls, &["x", "y"]);
        assert!(a.remove(&intern("x")).unwrap().is_some());
        assert!(a.remove(&intern("x")).unwrap().is_none());
        assert!(a.get_str("x").is_none());
        assert!(matches!(a.get_str("y"), Some(Value::Int(1))));
    }

    #[test]
    fn the_shared_list_stops_growing_at_its_limit() {
        let cls = class();
        let names: Vec<String> = (0..MAX_SHARED_KEYS + 5).map(|i| format!("a{i}")).collect();
        let a = set_in_order(&cls, &names.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(cls.shared_keys.lock().len(), MAX_SHARED_KEYS);
        assert_eq!(a.names().len(), MAX_SHARED_KEYS + 5);
        assert!(matches!(a.get_str("a33"), Some(Value::Int(33))));
    }
}
