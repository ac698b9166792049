//! The set side of dict keys and items views: `d.keys() & other`, `|`, `-`, `^` (with any
//! iterable on either side, the result a new set) and the comparisons with sets and other
//! views (`d.keys() == {"a", "b"}`, `d.items() <= s`), as CPython's `dictviews_*` and
//! `dictview_richcompare` do. Values views are not set-like and have none of this.

use super::Vm;
use crate::objects::iter::IterKind;
use crate::objects::{SetObj, ToyResult, Value};
use crate::syntax::ast::{BinOp, CmpOp};

/// Whether `v` is a keys or items view: set-like.
fn is_set_view(v: &Value) -> bool {
    matches!(v, Value::Iter(it) if matches!(it.kind, IterKind::KeysView | IterKind::ItemsView))
}

/// Whether `v` may stand on the other side of a view comparison: a set, a frozenset, or a
/// set-like view (anything else compares unequal and cannot be ordered against a view).
fn is_set_like(v: &Value) -> bool {
    matches!(v, Value::Set(_)) || is_set_view(v)
}

impl Vm {
    /// `a op b` for `&`, `|`, `-`, `^` when either operand is a keys or items view; None
    /// when neither is (or for another operator), so that the caller goes on.
    pub(super) fn dict_view_set_op(
        &mut self,
        op: BinOp,
        a: &Value,
        b: &Value,
    ) -> Option<ToyResult<Value>> {
        let set_op = matches!(
            op,
            BinOp::BitAnd | BinOp::BitOr | BinOp::Sub | BinOp::BitXor
        );
        if !set_op || !(is_set_view(a) || is_set_view(b)) {
            return None;
        }
        Some(self.view_set_op(op, a, b).map(Value::set))
    }

    fn view_set_op(&mut self, op: BinOp, a: &Value, b: &Value) -> ToyResult<SetObj> {
        if op == BinOp::BitAnd {
            // As CPython's `_PyDictView_Intersect`: walk one side and keep what the other
            // contains — the other operand, unless it is a set at least as large as the view
            // or a smaller view, in which case the view is walked.
            let (mut view, mut other) = if is_set_view(a) { (a, b) } else { (b, a) };
            let view_len = self.len(view)?;
            let walk_view = match other {
                Value::Set(s) => view_len <= s.len(),
                _ if is_set_view(other) => self.len(other)? > view_len,
                _ => false,
            };
            if walk_view {
                std::mem::swap(&mut view, &mut other);
            }
            let result = SetObj::new(false);
            for item in self.collect(other)? {
                if self.contains(view, &item)? {
                    result.add_in(self, item)?;
                }
            }
            return Ok(result);
        }
        // The left operand as a set, updated with the right, in the operands' order.
        let left = self.collect(a)?;
        let result = SetObj::from_values_in(self, false, left)?;
        let right = self.collect(b)?;
        match op {
            BinOp::BitOr => result.update_values(self, right)?,
            BinOp::Sub => result.difference_update_values(self, right)?,
            _ => {
                let right = SetObj::from_values_in(self, false, right)?;
                result.symmetric_difference_update(self, &right)?;
            }
        }
        Ok(result)
    }

    /// `a op b` between a set-like view and a set or view, either way round; None when the
    /// operands are not such a pair (the caller goes on to the general rules).
    pub(super) fn dict_view_compare(
        &mut self,
        op: CmpOp,
        a: &Value,
        b: &Value,
    ) -> ToyResult<Option<bool>> {
        if !(is_set_view(a) || is_set_view(b)) || !is_set_like(a) || !is_set_like(b) {
            return Ok(None);
        }
        let (len_a, len_b) = (self.len(a)?, self.len(b)?);
        let r = match op {
            CmpOp::Eq | CmpOp::NotEq => {
                let equal = len_a == len_b && self.all_contained_in(a, b)?;
                equal == (op == CmpOp::Eq)
            }
            CmpOp::Lt => len_a < len_b && self.all_contained_in(a, b)?,
            CmpOp::LtE => len_a <= len_b && self.all_contained_in(a, b)?,
            CmpOp::Gt => len_a > len_b && self.all_contained_in(b, a)?,
            CmpOp::GtE => len_a >= len_b && self.all_contained_in(b, a)?,
            _ => return Ok(None),
        };
        Ok(Some(r))
    }

    /// Whether every member of `x` is in `y`.
    fn all_contained_in(&mut self, x: &Value, y: &Value) -> ToyResult<bool> {
        for item in self.collect(x)? {
            if !self.contains(y, &item)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
