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
    t.add_method("to_bytes", int_to_bytes);
    // A class method in CPython: a plain function here (see `dict.fromkeys`).
    t.set_attr(
        "from_bytes",
        Value::Builtin(Arc::new(super::Builtin::function(
            "from_bytes",
            int_from_bytes,
        ))),
    );
}

/// The arguments of `to_bytes`/`from_bytes`, `(first, byteorder, *, signed)`: two may be
/// positional, all may be given by name.
fn byteorder_args(
    name: &str,
    pos: &[Value],
    kw: &[(Arc<super::StrObj>, Value)],
    names: &[&str; 3],
) -> ToyResult<Vec<Option<Value>>> {
    if pos.len() > 2 {
        return Err(Exc::type_error(format!(
            "{name}() takes at most 2 positional arguments ({} given)",
            pos.len()
        )));
    }
    let mut out = crate::modules::args::keywords(name, kw, names)?;
    for (i, v) in pos.iter().enumerate() {
        if out[i].is_some() {
            return Err(Exc::type_error(format!(
                "argument for {name}() given by name ('{}') and position ({})",
                names[i],
                i + 1
            )));
        }
        out[i] = Some(v.clone());
    }
    Ok(out)
}

/// `byteorder` (default 'big'): whether it is 'little'.
fn little_endian(v: Option<&Value>, name: &str) -> ToyResult<bool> {
    match v {
        None => Ok(false),
        Some(Value::Str(s)) => match s.as_str() {
            "big" => Ok(false),
            "little" => Ok(true),
            _ => Err(Exc::value_error(
                "byteorder must be either 'little' or 'big'",
            )),
        },
        Some(other) => Err(Exc::type_error(format!(
            "{name}() argument 'byteorder' must be str, not {}",
            other.type_name()
        ))),
    }
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn int_to_bytes(
    vm: &mut Vm,
    args: &[Value],
    kw: &[(Arc<super::StrObj>, Value)],
) -> ToyResult<Value> {
    let n = to_bigint(&args[0]).unwrap_or_default();
    let a = byteorder_args(
        "to_bytes",
        &args[1..],
        kw,
        &["length", "byteorder", "signed"],
    )?;
    let length = match &a[0] {
        None => 1,
        Some(v) => super::method_args::ssize_arg(vm, v)?,
    };
    if length < 0 {
        return Err(Exc::value_error("length argument must be non-negative"));
    }
    let little = little_endian(a[1].as_ref(), "to_bytes")?;
    let signed = match &a[2] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    if !signed && n.sign() == num_bigint::Sign::Minus {
        return Err(Exc::overflow("can't convert negative int to unsigned"));
    }
    // The minimal big-endian form: two's complement when signed; zero needs no byte.
    let minimal = if n.is_zero() {
        Vec::new()
    } else if signed {
        n.to_signed_bytes_be()
    } else {
        n.to_bytes_be().1
    };
    if minimal.len() as u64 > length as u64 {
        return Err(Exc::overflow("int too big to convert"));
    }
    if length as u64 > super::method_args::MAX_RESULT as u64 {
        return Err(super::method_args::memory_error());
    }
    let fill = if n.sign() == num_bigint::Sign::Minus {
        0xff
    } else {
        0
    };
    let mut out = vec![fill; length as usize - minimal.len()];
    out.extend_from_slice(&minimal);
    if little {
        out.reverse();
    }
    Ok(Value::bytes(out))
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)`.
fn int_from_bytes(
    vm: &mut Vm,
    args: &[Value],
    kw: &[(Arc<super::StrObj>, Value)],
) -> ToyResult<Value> {
    let a = byteorder_args("from_bytes", args, kw, &["bytes", "byteorder", "signed"])?;
    let Some(source) = &a[0] else {
        return Err(Exc::type_error(
            "from_bytes() missing required argument 'bytes' (pos 1)",
        ));
    };
    let little = little_endian(a[1].as_ref(), "from_bytes")?;
    let signed = match &a[2] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    if let Value::Str(_) = source {
        return Err(Exc::type_error("cannot convert 'str' object to bytes"));
    }
    let mut data = super::bytes::from_source(vm, Some(source), None, None)?;
    if little {
        data.reverse();
    }
    let n = if signed {
        BigInt::from_signed_bytes_be(&data)
    } else {
        BigInt::from_bytes_be(num_bigint::Sign::Plus, &data)
    };
    Ok(normalize(n))
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
