//! `int`: 64-bit fast path, exact big integers past it.

use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use super::{Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

/// Turn a big integer back into the unboxed form when it fits.
pub fn normalize(b: BigInt) -> Value {
    match b.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::BigInt(Arc::new(b)),
    }
}

/// The value of an int-like operand (int, big int, bool) as a big integer.
pub fn to_bigint(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some(BigInt::clone(b)),
        _ => None,
    }
}

/// An int-like value that fits in i64 (bools included).
pub fn to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        Value::BigInt(b) => b.to_i64(),
        _ => None,
    }
}

/// An index argument (`list[i]`, `range(n)`, `"x" * n`): ints and bools only.
pub fn index_of(v: &Value) -> ToyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Exc::new(
            &super::types().exceptions.index_error,
            "cannot fit 'int' into an index-sized integer",
        )),
        other => Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// Parse the text of `int(s, base)` the way Python does: surrounding whitespace, a sign,
/// underscores between digits, and a `0x`/`0o`/`0b` prefix when base is 0 or matches.
pub fn parse_int(text: &str, base: u32) -> Option<BigInt> {
    let s = text.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = s.to_ascii_lowercase();
    let (base, digits) = match base {
        0 => {
            if let Some(r) = lower.strip_prefix("0x") {
                (16, r.to_string())
            } else if let Some(r) = lower.strip_prefix("0o") {
                (8, r.to_string())
            } else if let Some(r) = lower.strip_prefix("0b") {
                (2, r.to_string())
            } else {
                if lower.len() > 1
                    && lower.starts_with('0')
                    && lower.chars().any(|c| c != '0' && c != '_')
                {
                    return None;
                }
                (10, lower.clone())
            }
        }
        16 => (16, lower.strip_prefix("0x").unwrap_or(&lower).to_string()),
        8 => (8, lower.strip_prefix("0o").unwrap_or(&lower).to_string()),
        2 => (2, lower.strip_prefix("0b").unwrap_or(&lower).to_string()),
        b => (b, lower.clone()),
    };
    // One underscore may follow a base prefix (`0x_ff`), never stand first.
    let had_prefix = digits.len() != lower.len();
    let digits = if had_prefix {
        digits.strip_prefix('_').unwrap_or(&digits)
    } else {
        &digits[..]
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let value = BigInt::parse_bytes(clean.as_bytes(), base)?;
    Some(if negative { -value } else { value })
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("bit_length", int_bit_length);
    t.add_method("conjugate", int_conjugate);
    t.add_method("__index__", int_conjugate);
}

fn int_bit_length(
    _vm: &mut Vm,
    args: &[Value],
    _kw: &[(Arc<super::StrObj>, Value)],
) -> ToyResult<Value> {
    let b = to_bigint(&args[0]).unwrap_or_default();
    Ok(Value::Int(b.bits() as i64))
}

fn int_conjugate(
    _vm: &mut Vm,
    args: &[Value],
    _kw: &[(Arc<super::StrObj>, Value)],
) -> ToyResult<Value> {
    Ok(match &args[0] {
        Value::Bool(b) => Value::Int(*b as i64),
        other => other.clone(),
    })
}

pub fn is_zero(v: &Value) -> bool {
    match v {
        Value::Int(i) => *i == 0,
        Value::Bool(b) => !b,
        Value::BigInt(b) => b.is_zero(),
        _ => false,
    }
}
