//! The method cache: class attribute lookups along the MRO, remembered per thread in a
//! direct-mapped table like CPython's type attribute cache. An entry is valid while no
//! class namespace has changed since it was filled (`types::type_version`).
//!
//! Per thread, so it needs no lock; a thread-local rather than a field of `Vm`, because
//! every greenlet has its own `Vm` and a table per greenlet would cost 100 000 greenlets
//! gigabytes. Entries hold the class and the name, so neither address can be reused by
//! another object while cached.

use std::cell::RefCell;
use std::sync::Arc;

use crate::objects::types::type_version;
use crate::objects::{StrObj, TypeObj, Value};

/// Number of entries (a power of two).
const SLOTS: usize = 1024;

struct Entry {
    version: u64,
    class: Arc<TypeObj>,
    name: Arc<StrObj>,
    /// What the MRO held for the name (`None`: nothing).
    value: Option<Value>,
}

thread_local! {
    /// Allocated on first use; empty on threads that never look an attribute up.
    static CACHE: RefCell<Vec<Option<Entry>>> = const { RefCell::new(Vec::new()) };
}

/// Where `(class, name)` lives in the table: the two addresses mixed, high bits kept.
#[inline]
fn slot(class: &Arc<TypeObj>, name: &Arc<StrObj>) -> usize {
    let a = Arc::as_ptr(class) as usize as u64;
    let b = Arc::as_ptr(name) as usize as u64;
    let mixed = (a ^ b.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SLOTS.trailing_zeros())) as usize
}

/// `class.lookup(name)`, through this thread's cache.
pub fn class_lookup(class: &Arc<TypeObj>, name: &Arc<StrObj>) -> Option<Value> {
    let version = type_version();
    let at = slot(class, name);
    let hit = CACHE.with_borrow(|cache| match cache.get(at) {
        Some(Some(e))
            if e.version == version
                && Arc::ptr_eq(&e.class, class)
                && Arc::ptr_eq(&e.name, name) =>
        {
            Some(e.value.clone())
        }
        _ => None,
    });
    if let Some(found) = hit {
        return found;
    }
    let value = class.lookup(name.as_str());
    let entry = Entry {
        version,
        class: class.clone(),
        name: name.clone(),
        value: value.clone(),
    };
    let evicted = CACHE.with_borrow_mut(|cache| {
        if cache.is_empty() {
            cache.resize_with(SLOTS, || None);
        }
        cache.get_mut(at).and_then(|e| e.replace(entry))
    });
    // Dropped outside the borrow: releasing a class may release anything.
    drop(evicted);
    value
}
