//! What makes a value usable as a dict key or set member: its hash and key equality.
//!
//! Numbers hash exactly as CPython hashes them (so `hash(1) == hash(1.0) == hash(True)` and
//! `hash()` prints the same numbers as python3); strings use a fixed, non-random hash.
//!
//! ## Keys defined in toy code
//!
//! An instance whose class defines `__hash__` or `__eq__` in toy code needs the VM to hash
//! or compare it, while the tables (`dict.rs`, `set.rs`) keep their contents behind a lock
//! and must never run toy code while holding it (that code could touch the same table and
//! deadlock, or see it half-updated). The design:
//!
//! - Whoever hashes or compares such keys supplies a [`KeyCx`]: the running `Vm` on the
//!   paths that have one (operators, instructions, builtin methods), or
//!   `crate::vm::reentry::Reentry` (a spare VM on the current thread) for native code that
//!   has none. Builtin keys never touch the `KeyCx`.
//! - Hashing happens before a table is locked: [`hash_in`] calls a user `__hash__` through
//!   the `KeyCx`.
//! - Under the lock a probe compares keys with [`Resolved::matches`], which only decides
//!   what it can natively ([`fast_eq`]). When a candidate (same hash, different object)
//!   needs toy `__eq__`, the probe stops and hands that stored key back; the caller
//!   releases the lock, asks toy code ([`Resolved::resolve`]), retakes the lock and probes
//!   again from the start, now knowing that answer. Re-probing from scratch means a table
//!   changed by the toy code in between is simply looked at afresh, as CPython restarts a
//!   lookup when `__eq__` mutated the dict. (An answer is remembered for the rest of the
//!   lookup, keyed by the stored key's identity, so where CPython would ask a stored key
//!   again after such a restart, toy does not.)
//! - Stored keys of equal hash are compared in CPython's order, so `__eq__` side effects
//!   happen as in python3: the set table probes slot for slot like CPython's, and the dict
//!   compares such candidates in insertion order (CPython's probe order for equal hashes).
//! - Results of set operations are built in tables no other code can reach yet, so toy code
//!   runs freely in the middle of building them.
//!
//! The fast path (str/int/tuple-of-builtin keys) does what it did before: one native hash,
//! one locked probe, no allocation.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::dunders::is_user_defined;
use super::types::base_value;
use super::{Exc, Instance, ToyResult, Value};

/// CPython's modulus for numeric hashes: the Mersenne prime 2**61 - 1.
const MODULUS: u64 = (1 << 61) - 1;
const HASH_INF: i64 = 314_159;

/// Runs the toy code that keys of user classes need. Implemented by `Vm` and by
/// `crate::vm::reentry::Reentry`. Never called with a table lock held.
pub trait KeyCx {
    /// Call a user `__hash__` method on `value`; the result is checked by the caller.
    fn call_hash(&mut self, method: &Value, value: &Value) -> ToyResult<Value>;
    /// `stored == key`, as Python's `==` (with NotImplemented falling back to the
    /// reflected method, then identity).
    fn toy_eq(&mut self, stored: &Value, key: &Value) -> ToyResult<bool>;
}

/// A `KeyCx` that runs nothing and only notes that toy code would have been needed: lets
/// [`hash_fast`] try a hash natively.
struct NoToy {
    needed: bool,
}

impl KeyCx for NoToy {
    fn call_hash(&mut self, _method: &Value, _value: &Value) -> ToyResult<Value> {
        self.needed = true;
        Ok(Value::Int(0))
    }

    fn toy_eq(&mut self, _stored: &Value, _key: &Value) -> ToyResult<bool> {
        self.needed = true;
        Ok(false)
    }
}

/// `hash(value)` for values of any type, running a user `__hash__` on a spare VM if
/// needed (see `crate::vm::reentry`). Code with a `Vm` should use [`hash_in`].
pub fn hash_value(value: &Value) -> ToyResult<i64> {
    hash_in(&mut crate::vm::reentry::Reentry, value)
}

/// `hash(value)`: builtin values natively, instances of classes with a user `__hash__`
/// through `cx` (tuples hash their items the same way).
pub fn hash_in<C: KeyCx + ?Sized>(cx: &mut C, value: &Value) -> ToyResult<i64> {
    Ok(match value {
        Value::None | Value::Null => 0x5f3759df,
        Value::Bool(b) => *b as i64,
        Value::Int(i) => hash_i64(*i),
        Value::BigInt(b) => hash_bigint(b),
        Value::Float(f) => hash_float(*f),
        Value::Str(s) => s.hash_value() as i64,
        Value::Bytes(b) => super::bytes::hash_bytes(b) as i64,
        Value::Tuple(t) => hash_tuple(cx, t.items())?,
        Value::Set(s) if s.frozen => s.hash_frozen()?,
        Value::List(_) | Value::Dict(_) | Value::Set(_) => {
            return Err(Exc::type_error(format!(
                "unhashable type: '{}'",
                value.type_name()
            )))
        }
        Value::Slice(_) => return Err(Exc::type_error("unhashable type: 'slice'")),
        Value::Instance(i) => return hash_instance(cx, value, i),
        other => identity_hash(other),
    })
}

/// The hash of a key if it needs no toy code; `None` when it does (an instance with a user
/// `__hash__`, or a tuple holding one). Used to hash with a table lock held.
pub fn hash_fast(value: &Value) -> Option<ToyResult<u64>> {
    let mut cx = NoToy { needed: false };
    let h = table_hash_in(&mut cx, value);
    if cx.needed {
        None
    } else {
        Some(h)
    }
}

/// An instance: its class's `__hash__` if toy code defines one, `None` for unhashable,
/// else the builtin value it carries (a subclass of `str`, `int`, `tuple`, ... hashes as
/// that value) or its identity.
fn hash_instance<C: KeyCx + ?Sized>(cx: &mut C, value: &Value, inst: &Instance) -> ToyResult<i64> {
    match inst.class.lookup("__hash__") {
        Some(Value::None) => {
            return Err(Exc::type_error(format!(
                "unhashable type: '{}'",
                inst.class.name
            )))
        }
        Some(m) if is_user_defined(&m) => {
            let r = cx.call_hash(&m, value)?;
            return hash_result(&r);
        }
        _ => {}
    }
    match base_value(value) {
        Some(inner) => hash_in(cx, inner),
        None => Ok(identity_hash(value)),
    }
}

/// What a user `__hash__` returned, as a hash: CPython's `slot_tp_hash`. An int that fits
/// is used as is (-1 becomes -2, which CPython reserves for errors); a larger one is
/// reduced as `hash(int)` reduces it.
fn hash_result(r: &Value) -> ToyResult<i64> {
    match r {
        Value::Int(i) => Ok(fix_minus_one(*i)),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(b) => Ok(match b.to_i64() {
            Some(i) => fix_minus_one(i),
            None => hash_bigint(b),
        }),
        Value::Instance(_) if r.class().is_subtype(&super::types().int) => match base_value(r) {
            Some(inner) => hash_result(inner),
            None => Err(Exc::type_error("__hash__ method should return an integer")),
        },
        _ => Err(Exc::type_error("__hash__ method should return an integer")),
    }
}

/// `object.__hash__`: derived from the address, as CPython's `_Py_HashPointer`.
pub fn identity_hash(value: &Value) -> i64 {
    let ptr = value.heap_ptr().unwrap_or(0) as u64;
    // CPython rotates the address so the low (always zero) alignment bits matter less.
    (ptr.rotate_right(4) >> 1) as i64
}

fn fix_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

#[inline]
pub fn hash_i64(i: i64) -> i64 {
    // Most ints are below the modulus: skip the division for them.
    let a = i.unsigned_abs();
    let m = if a < MODULUS { a } else { a % MODULUS } as i64;
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
fn hash_tuple<C: KeyCx + ?Sized>(cx: &mut C, items: &[Value]) -> ToyResult<i64> {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc: u64 = P5;
    for item in items {
        let lane = hash_in(cx, item)? as u64;
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

/// Key equality decided natively: `Some(equal)`, or `None` when only toy code can tell
/// (one side is, or holds, an instance whose class defines `__eq__` in toy code). Never
/// runs toy code, so it is safe under a table lock.
///
/// Identity first (as CPython's tables check), then value equality across int/float/bool,
/// str, bytes, tuples and frozensets; subclasses of builtins without their own `__eq__`
/// compare as the builtin values they carry; other instances compare by identity.
#[inline]
pub fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
    // The keys most tables hold, decided inline; the rest below.
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::Str(x), Value::Str(y)) => {
            Some(std::ptr::eq(&**x, &**y) || x.as_str() == y.as_str())
        }
        _ => fast_eq_general(a, b),
    }
}

fn fast_eq_general(a: &Value, b: &Value) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.as_str() == y.as_str()),
        (Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            // The first unequal pair decides, as in Python's tuple `==`; a pair that needs
            // toy code before that makes the whole comparison need it.
            for (p, q) in x.items().iter().zip(y.items()) {
                if !fast_eq(p, q)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Value::Bytes(x), Value::Bytes(y)) => Some(x == y),
        (Value::Set(x), Value::Set(y)) => x.set_equal_fast(y),
        (Value::Instance(_), _) | (_, Value::Instance(_)) => instance_eq(a, b),
        _ => Some(super::number::numeric_eq(a, b).unwrap_or(false)),
    }
}

/// `fast_eq` when at least one side is an instance (and they are not the same object).
fn instance_eq(a: &Value, b: &Value) -> Option<bool> {
    if has_toy_eq(a) || has_toy_eq(b) {
        return None;
    }
    match (base_value(a), base_value(b)) {
        (None, None) => Some(false),
        (x, y) => fast_eq(x.unwrap_or(a), y.unwrap_or(b)),
    }
}

/// Whether `v` is an instance whose class has an `__eq__` not provided by the core
/// builtin types (so comparing it may run toy code).
fn has_toy_eq(v: &Value) -> bool {
    match v {
        Value::Instance(i) => i
            .class
            .lookup("__eq__")
            .is_some_and(|m| is_user_defined(&m)),
        _ => false,
    }
}

/// Whether comparing `key` with other keys may need toy code: it is, or holds, an
/// instance whose class defines `__eq__` outside the core builtins. A cheap, structural
/// check (tables use it to count such keys).
#[inline]
pub fn may_need_toy(key: &Value) -> bool {
    match key {
        Value::Instance(_) | Value::Tuple(_) | Value::Set(_) => may_need_toy_nested(key),
        _ => false,
    }
}

fn may_need_toy_nested(key: &Value) -> bool {
    match key {
        Value::Instance(_) => has_toy_eq(key) || base_value(key).is_some_and(may_need_toy),
        Value::Tuple(t) => t.items().iter().any(may_need_toy),
        Value::Set(s) => s.any_member(may_need_toy),
        _ => false,
    }
}

/// The answers toy code gave during one table lookup: whether each stored key it was asked
/// about equals the key being looked up. Each stored key is kept alive here, so its
/// address cannot be reused by another object while the answer is remembered.
#[derive(Default)]
pub struct Resolved {
    answers: Vec<(Value, bool)>,
}

impl Resolved {
    /// Whether the stored key `stored` equals `key`: decided natively or remembered from
    /// toy code; `None` when toy code must be asked (with no lock held) first.
    #[inline]
    pub fn matches(&self, stored: &Value, key: &Value) -> Option<bool> {
        match fast_eq(stored, key) {
            Some(eq) => Some(eq),
            None => self.recall(stored),
        }
    }

    fn recall(&self, stored: &Value) -> Option<bool> {
        self.answers
            .iter()
            .find(|(k, _)| k.is(stored))
            .map(|&(_, eq)| eq)
    }

    /// Ask toy code whether `stored == key` and remember the answer. The caller must not
    /// hold any table lock.
    pub fn resolve<C: KeyCx + ?Sized>(
        &mut self,
        cx: &mut C,
        stored: Value,
        key: &Value,
    ) -> ToyResult<()> {
        let eq = cx.toy_eq(&stored, key)?;
        self.answers.push((stored, eq));
        Ok(())
    }
}

/// Hash of a key, as stored in tables (the bit pattern of the i64 hash). Runs a user
/// `__hash__` on a spare VM; code with a `Vm` should use [`table_hash_in`].
pub fn table_hash(value: &Value) -> ToyResult<u64> {
    hash_value(value).map(|h| h as u64)
}

/// Hash of a key, as stored in tables, running a user `__hash__` through `cx`.
#[inline]
pub fn table_hash_in<C: KeyCx + ?Sized>(cx: &mut C, value: &Value) -> ToyResult<u64> {
    match value {
        Value::Int(i) => Ok(hash_i64(*i) as u64),
        Value::Str(s) => Ok(s.hash_value()),
        _ => hash_in(cx, value).map(|h| h as u64),
    }
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
