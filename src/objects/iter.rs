//! Builtin iterators (`list_iterator`, `range_iterator`, `enumerate`, `zip`, ...) and dict
//! views (`dict_keys`, ...), which share one object shape: a kind and a locked state.
//!
//! Iterators that only walk builtin containers advance here, without the VM. Those that
//! call back into toy code or wrap arbitrary iterators (`map`, `filter`, `zip`,
//! `enumerate` over a toy iterator) are advanced by `vm::protocol`, which never holds the
//! lock while toy code runs.

use std::sync::Arc;

use parking_lot::Mutex;

use super::{types, DictObj, StrObj, ToyResult, TupleObj, TypeObj, Value};

/// Names of the iterator and view classes, indexed by `IterKind as usize`.
pub const ITERATOR_CLASS_NAMES: &[&str] = &[
    "range_iterator",
    "list_iterator",
    "tuple_iterator",
    "str_ascii_iterator",
    "str_iterator",
    "dict_keyiterator",
    "dict_valueiterator",
    "dict_itemiterator",
    "set_iterator",
    "list_reverseiterator",
    "reversed",
    "enumerate",
    "zip",
    "map",
    "filter",
    "callable_iterator",
    "dict_keys",
    "dict_values",
    "dict_items",
    "bytes_iterator",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IterKind {
    Range,
    List,
    Tuple,
    StrAscii,
    Str,
    DictKeys,
    DictValues,
    DictItems,
    Set,
    ListReverse,
    Reversed,
    Enumerate,
    Zip,
    Map,
    Filter,
    Callable,
    KeysView,
    ValuesView,
    ItemsView,
    Bytes,
}

pub enum IterState {
    Range {
        next: i64,
        stop: i64,
        step: i64,
    },
    /// A list or tuple walked by index (a list may grow while iterated, as in Python).
    Seq {
        seq: Value,
        index: usize,
    },
    /// Walk backwards: `index` is the next position + 1 (0 = done).
    SeqReverse {
        seq: Value,
        index: usize,
    },
    Str {
        text: Arc<StrObj>,
        byte_pos: usize,
    },
    Bytes {
        data: Arc<Vec<u8>>,
        index: usize,
    },
    /// Dict iteration by raw entry position; the size must not change meanwhile.
    Dict {
        dict: Arc<DictObj>,
        pos: usize,
        expected_len: usize,
        /// The last `(key, value)` tuple an items iterator handed out, to refill when the
        /// loop has let go of it (see `item_pair`).
        spare: Option<Arc<TupleObj>>,
    },
    /// A snapshot of a set's members, with the set to check for size changes.
    Set {
        set: Arc<super::SetObj>,
        items: Vec<Value>,
        index: usize,
    },
    Enumerate {
        inner: Value,
        count: i64,
    },
    Zip {
        iters: Vec<Value>,
        strict: bool,
    },
    Map {
        func: Value,
        iters: Vec<Value>,
    },
    Filter {
        func: Value,
        inner: Value,
    },
    Callable {
        func: Value,
        sentinel: Value,
    },
    /// A dict view: not itself an iterator.
    View {
        dict: Arc<DictObj>,
    },
    Exhausted,
}

pub struct IterObj {
    pub kind: IterKind,
    pub state: Mutex<IterState>,
}

/// What a builtin step produced.
pub enum Step {
    Item(Value),
    Done,
    /// This iterator needs the VM (it wraps other iterators or calls functions).
    NeedsVm,
}

impl IterObj {
    pub fn new(kind: IterKind, state: IterState) -> IterObj {
        IterObj {
            kind,
            state: Mutex::new(state),
        }
    }

    pub fn value(kind: IterKind, state: IterState) -> Value {
        Value::Iter(Arc::new(IterObj::new(kind, state)))
    }

    pub fn class(&self) -> &Arc<TypeObj> {
        &types().iterators[self.kind as usize]
    }

    pub fn is_view(&self) -> bool {
        matches!(
            self.kind,
            IterKind::KeysView | IterKind::ValuesView | IterKind::ItemsView
        )
    }

    /// Advance an iterator that walks a builtin container.
    pub fn step(&self) -> ToyResult<Step> {
        let mut st = self.state.lock();
        step_state(&mut st, self.kind)
    }
}

/// The `(key, value)` tuple of a dict items iterator. CPython's trick: when the loop has
/// dropped the tuple handed out last time (`for k, v in d.items()` unpacks it at once),
/// that tuple is refilled instead of a new one allocated. Only tuples of atomic items
/// take part: the collector decides whether to track a tuple once, when it is made, from
/// its items (`vm::gc`), and a tuple of atomic items is never tracked, so refilling it
/// with atomic items keeps that decision right.
fn item_pair(spare: &mut Option<Arc<TupleObj>>, key: Value, value: Value) -> Value {
    fn atomic(v: &Value) -> bool {
        matches!(
            v,
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_)
        )
    }
    if !(atomic(&key) && atomic(&value)) {
        return Value::tuple(vec![key, value]);
    }
    if let Some(t) = spare.as_mut() {
        if let Some([k, v]) = Arc::get_mut(t).map(TupleObj::items_mut) {
            let old = (std::mem::replace(k, key), std::mem::replace(v, value));
            drop(old);
            return Value::Tuple(t.clone());
        }
    }
    let pair = crate::vm::gc::track(TupleObj::new(vec![key, value]));
    *spare = Some(pair.clone());
    Value::Tuple(pair)
}

/// One step on an unlocked state (used both under the lock and on exclusively owned
/// iterators, which need no lock at all). A range steps inline: it is what most `for`
/// loops walk.
#[inline]
pub fn step_state(st: &mut IterState, kind: IterKind) -> ToyResult<Step> {
    if let IterState::Range { next, stop, step } = st {
        let cur = *next;
        if (*step > 0 && cur < *stop) || (*step < 0 && cur > *stop) {
            // Saturate: the next comparison stops the range either way.
            *next = cur.saturating_add(*step);
            return Ok(Step::Item(Value::Int(cur)));
        }
    }
    step_state_general(st, kind)
}

fn step_state_general(st: &mut IterState, kind: IterKind) -> ToyResult<Step> {
    let item = match st {
        IterState::Range { next, stop, step } => {
            let cur = *next;
            if (*step > 0 && cur >= *stop) || (*step < 0 && cur <= *stop) {
                None
            } else {
                // Saturate: the next comparison stops the range either way.
                *next = cur.saturating_add(*step);
                Some(Value::Int(cur))
            }
        }
        IterState::Seq { seq, index } => {
            let item = match seq {
                Value::List(l) => l.get(*index),
                Value::Tuple(t) => t.items().get(*index).cloned(),
                _ => None,
            };
            if item.is_some() {
                *index += 1;
            }
            item
        }
        IterState::SeqReverse { seq, index } => {
            if *index == 0 {
                None
            } else {
                *index -= 1;
                match seq {
                    Value::List(l) => l.get(*index),
                    Value::Tuple(t) => t.items().get(*index).cloned(),
                    Value::Bytes(b) => b.get(*index).map(|&b| Value::Int(b as i64)),
                    _ => None,
                }
            }
        }
        IterState::Str { text, byte_pos } => {
            let s = text.as_str();
            match s[*byte_pos..].chars().next() {
                Some(c) => {
                    *byte_pos += c.len_utf8();
                    Some(super::str::char_value(c))
                }
                None => None,
            }
        }
        IterState::Bytes { data, index } => {
            let b = data.get(*index).copied();
            if b.is_some() {
                *index += 1;
            }
            b.map(|b| Value::Int(b as i64))
        }
        IterState::Dict {
            dict,
            pos,
            expected_len,
            spare,
        } => {
            let table = dict.lock();
            if table.len() != *expected_len {
                *expected_len = usize::MAX; // stay broken, as CPython does
                return Err(super::Exc::runtime_error(
                    "dictionary changed size during iteration",
                ));
            }
            match table.entry_from(*pos) {
                Some((entry, next_pos)) => {
                    *pos = next_pos;
                    match kind {
                        IterKind::DictValues => Some(entry.value.clone()),
                        IterKind::DictItems => {
                            let (key, value) = (entry.key.clone(), entry.value.clone());
                            // The pair is built without the lock: refilling the spare
                            // tuple drops the values it held.
                            drop(table);
                            Some(item_pair(spare, key, value))
                        }
                        _ => Some(entry.key.clone()),
                    }
                }
                None => None,
            }
        }
        IterState::Set { set, items, index } => {
            if set.len() != items.len() {
                return Err(super::Exc::runtime_error(
                    "Set changed size during iteration",
                ));
            }
            let item = items.get(*index).cloned();
            if item.is_some() {
                *index += 1;
            }
            item
        }
        IterState::Exhausted => None,
        IterState::View { .. } => {
            return Err(super::Exc::type_error(format!(
                "'{}' object is not an iterator",
                ITERATOR_CLASS_NAMES[kind as usize]
            )))
        }
        IterState::Enumerate { .. }
        | IterState::Zip { .. }
        | IterState::Map { .. }
        | IterState::Filter { .. }
        | IterState::Callable { .. } => return Ok(Step::NeedsVm),
    };
    Ok(match item {
        Some(v) => Step::Item(v),
        None => {
            *st = IterState::Exhausted;
            Step::Done
        }
    })
}
