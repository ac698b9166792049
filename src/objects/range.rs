//! `range`: an immutable arithmetic progression of ints.

use std::sync::Arc;

use super::TypeObj;

pub struct RangeObj {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl RangeObj {
    /// Number of items, computed without overflow.
    pub fn len(&self) -> usize {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        n as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at a non-negative index below `len()`.
    pub fn item(&self, index: usize) -> i64 {
        (self.start as i128 + index as i128 * self.step as i128) as i64
    }

    pub fn contains(&self, v: i64) -> bool {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let v = v as i128;
        let in_bounds = if step > 0 {
            start <= v && v < stop
        } else {
            stop < v && v <= start
        };
        in_bounds && (v - start) % step == 0
    }
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    super::range_methods::register(t);
}
