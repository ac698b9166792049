//! Argument handling shared by the methods of `str` and `bytes`, with CPython's messages.
//!
//! Both types take the same shapes of arguments (`find(sub[, start[, end]])`,
//! `split(sep=None, maxsplit=-1)`, widths and counts that may be any `__index__` object)
//! and word their errors the same way; only the receiver differs, so these helpers take the
//! arguments after it and the type's name for the messages.

use super::{types, Exc, ToyResult, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// Results longer than this raise MemoryError instead of trying a huge allocation.
pub const MAX_RESULT: usize = i32::MAX as usize;

/// The receiver as a value, for methods that return `self` unchanged (as CPython does).
pub fn receiver_value(args: &[Value]) -> Value {
    args.first().cloned().unwrap_or_default()
}

/// The arguments after the receiver.
pub fn rest(args: &[Value]) -> &[Value] {
    args.get(1..).unwrap_or(&[])
}

pub fn memory_error() -> Exc {
    Exc::with_args(&types().exceptions.memory_error, Vec::new())
}

/// `type.name()` takes no arguments (`str.upper()`, `bytes.lower()`, ...).
pub fn no_args(type_name: &str, name: &str, args: &[Value], kw: Kw) -> ToyResult<()> {
    if !kw.is_empty() {
        return Err(Exc::type_error(format!(
            "{type_name}.{name}() takes no keyword arguments"
        )));
    }
    if args.len() != 1 {
        return Err(Exc::type_error(format!(
            "{type_name}.{name}() takes no arguments ({} given)",
            args.len().saturating_sub(1)
        )));
    }
    Ok(())
}

/// Positional-only arguments after the receiver, counted with Argument Clinic's messages
/// (`center expected at most 2 arguments, got 3`, `str.zfill() takes exactly one argument`).
pub fn positional<'a>(
    type_name: &str,
    name: &str,
    args: &'a [Value],
    kw: Kw,
    min: usize,
    max: usize,
) -> ToyResult<&'a [Value]> {
    // The messages name the method as `str.{name}`; built only when needed.
    if !kw.is_empty() {
        args::no_kwargs(&format!("{type_name}.{name}"), kw)?;
    }
    let rest = rest(args);
    if rest.len() < min || rest.len() > max {
        if min == 1 && max == 1 {
            args::count(&format!("{type_name}.{name}"), rest, 1, 1)?;
        } else {
            args::count(name, rest, min, max)?;
        }
    }
    Ok(rest)
}

/// The arguments of `find`, `count`, `startswith`, ...: `(sub[, start[, end]])`.
pub fn find_args<'a>(
    type_name: &str,
    name: &str,
    args: &'a [Value],
    kw: Kw,
) -> ToyResult<(&'a Value, [Option<&'a Value>; 2])> {
    if !kw.is_empty() {
        args::no_kwargs(&format!("{type_name}.{name}"), kw)?;
    }
    let rest = rest(args);
    let Some(sub) = rest.first() else {
        return Err(Exc::type_error(format!(
            "{name}() takes at least 1 argument (0 given)"
        )));
    };
    if rest.len() > 3 {
        return Err(Exc::type_error(format!(
            "{name}() takes at most 3 arguments ({} given)",
            rest.len()
        )));
    }
    Ok((sub, [rest.get(1), rest.get(2)]))
}

/// Arguments after the receiver that may also be given by keyword
/// (`split(sep=None, maxsplit=-1)`).
pub fn keyword_args<'a, const N: usize>(
    name: &str,
    args: &'a [Value],
    kw: Kw<'a>,
    names: [&str; N],
) -> ToyResult<[Option<&'a Value>; N]> {
    let pos = rest(args);
    let plural = if N == 1 { "" } else { "s" };
    if pos.len() + kw.len() > N {
        let msg = if pos.is_empty() {
            format!(
                "{name}() takes at most {N} keyword argument{plural} ({} given)",
                kw.len()
            )
        } else {
            format!(
                "{name}() takes at most {N} argument{plural} ({} given)",
                pos.len() + kw.len()
            )
        };
        return Err(Exc::type_error(msg));
    }
    let mut out: [Option<&Value>; N] = [None; N];
    for (slot, v) in out.iter_mut().zip(pos) {
        *slot = Some(v);
    }
    for (k, v) in kw {
        match names.iter().position(|n| *n == k.as_str()) {
            None => {
                return Err(Exc::type_error(format!(
                    "'{}' is an invalid keyword argument for {name}()",
                    k.as_str()
                )))
            }
            Some(i) if i < pos.len() => {
                return Err(Exc::type_error(format!(
                    "argument for {name}() given by name ('{}') and position ({})",
                    k.as_str(),
                    i + 1
                )))
            }
            Some(i) => out[i] = Some(v),
        }
    }
    Ok(out)
}

/// Call `v.__index__()` on an instance that defines it.
pub fn call_index(vm: &mut Vm, v: &Value) -> ToyResult<Option<Value>> {
    let Some(m) = vm.lookup_special(v, "__index__") else {
        return Ok(None);
    };
    let r = vm.call(&m, vec![v.clone()], Vec::new())?;
    match r {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => Ok(Some(r)),
        other => Err(Exc::type_error(format!(
            "__index__ returned non-int (type {})",
            other.type_name()
        ))),
    }
}

/// A `Py_ssize_t` argument: widths, counts, `maxsplit`, `tabsize`.
pub fn ssize_arg(vm: &mut Vm, v: &Value) -> ToyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Exc::overflow(
            "Python int too large to convert to C ssize_t",
        )),
        Value::Instance(_) => match call_index(vm, v)? {
            Some(r) => ssize_arg(vm, &r),
            None => Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                v.type_name()
            ))),
        },
        other => Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// A C `int` argument (`splitlines(keepends)`, `hex(sep, bytes_per_sep)`).
pub fn c_int_arg(vm: &mut Vm, v: &Value) -> ToyResult<i32> {
    let too_large = || Exc::overflow("Python int too large to convert to C int");
    match v {
        Value::BigInt(_) => Err(too_large()),
        _ => i32::try_from(ssize_arg(vm, v)?).map_err(|_| too_large()),
    }
}

/// A `start`/`end` argument of the search methods: an int (clamped), None, or `__index__`.
pub fn slice_bound(vm: &mut Vm, v: Option<&Value>) -> ToyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(*b as i64)),
        Some(Value::BigInt(b)) => Ok(Some(if b.sign() == num_bigint::Sign::Minus {
            i64::MIN
        } else {
            i64::MAX
        })),
        Some(v @ Value::Instance(_)) => match call_index(vm, v)? {
            Some(r) => slice_bound(vm, Some(&r)),
            None => Err(slice_index_error()),
        },
        Some(_) => Err(slice_index_error()),
    }
}

fn slice_index_error() -> Exc {
    Exc::type_error("slice indices must be integers or None or have an __index__ method")
}

/// Python's `ADJUST_INDICES`: negative bounds count from the end; `end` is clamped to the
/// length, `start` only from below (a start past the end means "no match").
pub fn adjust_indices(start: Option<i64>, end: Option<i64>, len: usize) -> (usize, usize) {
    let n = len as i64;
    let mut end = end.unwrap_or(n);
    if end > n {
        end = n;
    } else if end < 0 {
        end = (end + n).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + n).max(0);
    }
    (start as usize, end as usize)
}

/// The `(start, end)` of a search method, adjusted to a sequence of `len` items.
pub fn search_range(
    vm: &mut Vm,
    bounds: [Option<&Value>; 2],
    len: usize,
) -> ToyResult<(usize, usize)> {
    let start = slice_bound(vm, bounds[0])?;
    let end = slice_bound(vm, bounds[1])?;
    Ok(adjust_indices(start, end, len))
}

/// Where `center`, `ljust` and `rjust` put the text in a wider field.
#[derive(Clone, Copy)]
pub enum Pad {
    Left,
    Right,
    Center,
}

impl Pad {
    /// How much of the `margin` (width minus length) goes before the text. CPython's
    /// rounding: an odd margin puts the extra fill character left only for an odd width.
    pub fn fill_before(self, margin: usize, width: usize) -> usize {
        match self {
            Pad::Left => 0,
            Pad::Right => margin,
            Pad::Center => margin / 2 + (margin & width & 1),
        }
    }
}

/// The case of one character, as `istitle` sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Uppercase or titlecase.
    Upper,
    Lower,
    Uncased,
}

/// `istitle()`: uppercase characters only after uncased ones, lowercase ones only after
/// cased ones, and at least one cased character.
pub fn is_title(cases: impl IntoIterator<Item = Case>) -> bool {
    let mut cased = false;
    let mut previous_cased = false;
    for case in cases {
        match case {
            Case::Upper if previous_cased => return false,
            Case::Lower if !previous_cased => return false,
            Case::Upper | Case::Lower => {
                previous_cased = true;
                cased = true;
            }
            Case::Uncased => previous_cased = false,
        }
    }
    cased
}
