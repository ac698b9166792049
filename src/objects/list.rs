//! `list`: a growable array behind its own lock.

use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};

use super::{TypeObj, Value};

#[derive(Default)]
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct ListObj {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    items: Mutex<Vec<Value>>,
}

impl ListObj {
    pub fn new(items: Vec<Value>) -> ListObj {
        ListObj {
            items: Mutex::new(items),
            gc: Default::default(),
        }
    }

    /// Lock the items for several operations at once. Never call toy code while holding it.
    pub fn lock(&self) -> MutexGuard<'_, Vec<Value>> {
        self.items.lock()
    }

    pub fn len(&self) -> usize {
        self.items.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, index: usize) -> Option<Value> {
        self.items.lock().get(index).cloned()
    }

    pub fn push(&self, value: Value) {
        self.items.lock().push(value);
    }

    /// A copy of the items, for code that must call toy code while walking them.
    pub fn snapshot(&self) -> Vec<Value> {
        self.items.lock().clone()
    }

    /// Replace all items, dropping the old ones after the lock is released.
    pub fn replace(&self, items: Vec<Value>) {
        let old = std::mem::replace(&mut *self.items.lock(), items);
        drop_reversed(old);
    }
}

impl Drop for ListObj {
    fn drop(&mut self) {
        drop_reversed(std::mem::take(self.items.get_mut()));
    }
}

/// Drop a list's items last to first, as CPython's `list_dealloc` and `list.clear` do, so that
/// the `__del__` methods of the items run in the same order as there.
pub fn drop_reversed(mut items: Vec<Value>) {
    while let Some(v) = items.pop() {
        drop(v);
    }
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    super::list_methods::register(t);
}
