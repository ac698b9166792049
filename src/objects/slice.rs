//! `slice`: the `start:stop:step` object, and the index arithmetic every sequence uses.

use super::int::index_of;
use super::{Exc, ToyResult, Value};

pub struct SliceObj {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

impl SliceObj {
    /// Resolve against a sequence of length `len`, as CPython's `PySlice_GetIndicesEx`:
    /// returns (start, stop, step, count) with start/stop clamped.
    pub fn indices(&self, len: usize) -> ToyResult<(isize, isize, isize, usize)> {
        let len = len as isize;
        // A step beyond the machine's range clamps, as in CPython's `_PySlice_Unpack`.
        let step = match &self.step {
            Value::None => 1,
            Value::BigInt(b) if num_traits::Signed::is_negative(&**b) => -isize::MAX,
            Value::BigInt(_) => isize::MAX,
            v => index_of(v)?.clamp(-(isize::MAX as i64), isize::MAX as i64) as isize,
        };
        if step == 0 {
            return Err(Exc::value_error("slice step cannot be zero"));
        }
        let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let clamp = |v: &Value, default: isize| -> ToyResult<isize> {
            match v {
                Value::None => Ok(default),
                v => {
                    let i = index_of(v).or_else(|_| match v {
                        Value::BigInt(b) => Ok(if num_traits::Signed::is_negative(&**b) {
                            i64::MIN
                        } else {
                            i64::MAX
                        }),
                        _ => Err(Exc::type_error(
                            "slice indices must be integers or None or have an __index__ method",
                        )),
                    })?;
                    let i = i.clamp(isize::MIN as i64 / 2, isize::MAX as i64 / 2) as isize;
                    Ok(if i < 0 {
                        (i + len).max(lower)
                    } else {
                        i.min(upper)
                    })
                }
            }
        };
        let start = clamp(&self.start, if step < 0 { upper } else { lower })?;
        let stop = clamp(&self.stop, if step < 0 { lower } else { upper })?;
        let count = if step > 0 {
            if stop > start {
                ((stop - start - 1) / step + 1) as usize
            } else {
                0
            }
        } else if start > stop {
            ((start - stop - 1) / (-step) + 1) as usize
        } else {
            0
        };
        Ok((start, stop, step, count))
    }
}

pub(crate) fn register(t: &std::sync::Arc<super::TypeObj>) {
    t.add_method("indices", slice_indices);
}

/// `slice.indices(length)`: the (start, stop, step) a sequence of that length would use.
fn slice_indices(
    _vm: &mut crate::vm::Vm,
    args: &[Value],
    kw: crate::modules::args::Kw,
) -> ToyResult<Value> {
    crate::modules::args::no_kwargs("indices", kw)?;
    crate::modules::args::count("indices", super::list_methods::rest(args), 1, 1)?;
    let Some(Value::Slice(slice)) = args.first() else {
        return Err(Exc::type_error(
            "descriptor 'indices' requires a 'slice' object",
        ));
    };
    let len = index_of(&args[1])?;
    if len < 0 {
        return Err(Exc::value_error("length should not be negative"));
    }
    let (start, stop, step, _) = slice.indices(len as usize)?;
    // The step is reported as given (an index's clamping does not change where the slice
    // starts or stops, only how far apart its items would be).
    let step = match &slice.step {
        big @ Value::BigInt(_) => big.clone(),
        _ => Value::Int(step as i64),
    };
    Ok(Value::tuple(vec![
        Value::Int(start as i64),
        Value::Int(stop as i64),
        step,
    ]))
}

/// Normalise a (possibly negative) index for a sequence of length `len`.
pub fn normalize_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let i = if i < 0 { i + len } else { i };
    if (0..len).contains(&i) {
        Some(i as usize)
    } else {
        None
    }
}
