//! `tuple`: an immutable sequence.

use std::sync::{Arc, OnceLock};

use super::{TypeObj, Value};

// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct TupleObj {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    items: Box<[Value]>,
}

impl TupleObj {
    pub fn new(items: Vec<Value>) -> TupleObj {
        TupleObj {
            items: items.into_boxed_slice(),
            gc: Default::default(),
        }
    }

    pub fn items(&self) -> &[Value] {
        &self.items
    }

    /// The items of a tuple no one else can see yet (or any more): see
    /// `iter::item_pair`, which refills a tuple its loop has let go of.
    pub fn items_mut(&mut self) -> &mut [Value] {
        &mut self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// The empty tuple. Being immutable and empty, one is shared (as in CPython, where `() is ()`),
/// and it is not tracked by the collector: it can be part of no cycle.
pub fn empty() -> Value {
    static EMPTY: OnceLock<Arc<TupleObj>> = OnceLock::new();
    Value::Tuple(
        EMPTY
            .get_or_init(|| Arc::new(TupleObj::new(Vec::new())))
            .clone(),
    )
}

impl Drop for TupleObj {
    /// Items are dropped last to first, as CPython's `tupledealloc` does (this decides the
    /// order in which their `__del__` methods run).
    fn drop(&mut self) {
        // The slice's own drop then runs first to last over the reversed items.
        self.items.reverse();
    }
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    super::tuple_methods::register(t);
}
