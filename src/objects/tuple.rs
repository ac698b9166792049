//! `tuple`: an immutable sequence.

use std::sync::Arc;

use super::{TypeObj, Value};

pub struct TupleObj {
    items: Box<[Value]>,
}

impl TupleObj {
    pub fn new(items: Vec<Value>) -> TupleObj {
        TupleObj {
            items: items.into_boxed_slice(),
        }
    }

    pub fn items(&self) -> &[Value] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    super::tuple_methods::register(t);
}
