//! What makes a value usable as a dict key or set member: its hash and key equality.
//!
//! Numbers hash exactly as CPython hashes them (so `hash(1) == hash(1.0) == hash(True)` and
//! `hash()` prints the same numbers as python3); strings use a fixed, non-random hash.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::{Exc, ToyResult, Value};

/// CPython's modulus for numeric hashes: the Mersenne prime 2**61 - 1.
const MODULUS: u64 = (1 << 61) - 1;
const HASH_INF: i64 = 314_159;

/// `hash(value)` for builtin values. User classes with `__hash__` are handled by the VM
/// before it gets here; other instances hash by identity.
pub fn hash_value(value: &Value) -> ToyResult<i64> {
    Ok(match value {
        Value::None | Value::Null => 0x5f3759df,
        Value::Bool(b) => *b as i64,
        Value::Int(i) => hash_i64(*i),
        Value::BigInt(b) => hash_bigint(b),
        Value::Float(f) => hash_float(*f),
        Value::Str(s) => s.hash_value() as i64,
        Value::Bytes(b) => super::str::hash_str(&String::from_utf8_lossy(b)) as i64,
        Value::Tuple(t) => hash_tuple(t.items())?,
        Value::Set(s) if s.frozen => s.hash_frozen()?,
        Value::List(_) | Value::Dict(_) | Value::Set(_) => {
            return Err(Exc::type_error(format!(
                "unhashable type: '{}'",
                value.type_name()
            )))
        }
        Value::Slice(_) => return Err(Exc::type_error("unhashable type: 'slice'")),
        Value::Instance(i) if matches!(i.class.lookup("__hash__"), Some(Value::None)) => {
            return Err(Exc::type_error(format!(
                "unhashable type: '{}'",
                i.class.name
            )))
        }
        other => {
            let ptr = other.heap_ptr().unwrap_or(0) as u64;
            // CPython rotates the address so the low (always zero) alignment bits matter less.
            (ptr.rotate_right(4) >> 1) as i64
        }
    })
}

fn fix_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

pub fn hash_i64(i: i64) -> i64 {
    let m = (i.unsigned_abs() % MODULUS) as i64;
    fix_minus_one(if i < 0 { -m } else { m })
}

fn hash_bigint(b: &BigInt) -> i64 {
    let m = (b.abs() % BigInt::from(MODULUS)).to_i64().unwrap_or(0);
    fix_minus_one(if b.is_negative() { -m } else { m })
}

/// CPython's `_Py_HashDouble`: equal to the int hash for integral floats.
pub fn hash_float(x: f64) -> i64 {
    if x.is_infinite() {
        return if x > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if x.is_nan() {
        return 0;
    }
    let (mut m, mut e) = frexp(x.abs());
    let sign: i64 = if x < 0.0 { -1 } else { 1 };
    let mut h: u64 = 0;
    while m != 0.0 {
        h = ((h << 28) & MODULUS) | (h >> (61 - 28));
        m *= 268_435_456.0; // 2**28
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        h += y;
        if h >= MODULUS {
            h -= MODULUS;
        }
    }
    let e = if e >= 0 {
        e % 61
    } else {
        61 - 1 - ((-1 - e) % 61)
    } as u32;
    h = ((h << e) & MODULUS) | (h >> (61 - e));
    fix_minus_one(h as i64 * sign)
}

/// Split a positive finite float into mantissa in [0.5, 1) and exponent.
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 {
        return (0.0, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let mantissa = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (mantissa, exp - 1022)
}

/// CPython 3.11's tuple hash (xxHash-based).
fn hash_tuple(items: &[Value]) -> ToyResult<i64> {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc: u64 = P5;
    for item in items {
        let lane = hash_value(item)? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add((items.len() as u64) ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        return Ok(1546275796);
    }
    Ok(acc as i64)
}

/// Key equality for builtin values: identity, then value equality across int/float/bool,
/// str, bytes, tuples and frozensets. Instances compare by identity here.
pub fn keys_equal(a: &Value, b: &Value) -> bool {
    if a.is(b) {
        return true;
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.as_str() == y.as_str(),
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len()
                && x.items()
                    .iter()
                    .zip(y.items())
                    .all(|(p, q)| keys_equal(p, q))
        }
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Set(x), Value::Set(y)) => x.set_equal(y),
        _ => super::number::numeric_eq(a, b).unwrap_or(false),
    }
}

/// Hash of a key, as stored in tables (the bit pattern of the i64 hash).
pub fn table_hash(value: &Value) -> ToyResult<u64> {
    hash_value(value).map(|h| h as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hashes_match_cpython() {
        assert_eq!(hash_float(1.5), 1152921504606846977);
        assert_eq!(hash_float(-2.5), -1152921504606846978);
        assert_eq!(hash_float(1.0), 1);
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_float(0.1), 230584300921369408);
        assert_eq!(hash_i64(1 << 62), 2);
    }
}
