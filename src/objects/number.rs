//! Arithmetic and comparison on the numeric types (bool, int, big int, float) with
//! Python's semantics: `//` and `%` floor toward negative infinity, `/` is true division,
//! `**` with a negative int exponent gives a float, ints never overflow.

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use super::int::normalize;
use super::{Exc, StrObj, ToyResult, TypeObj, Value};
use crate::syntax::ast::BinOp;
use crate::vm::Vm;

/// A numeric operand, after bools are read as ints.
enum Num {
    Int(i64),
    Big(BigInt),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Bool(b) => Some(Num::Int(*b as i64)),
        Value::BigInt(b) => Some(Num::Big(BigInt::clone(b))),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

/// Convert an int-like value to float, raising OverflowError when too large.
pub fn int_to_f64(b: &BigInt) -> ToyResult<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(Exc::overflow("int too large to convert to float")),
    }
}

fn as_f64(n: &Num) -> ToyResult<f64> {
    match n {
        Num::Int(i) => Ok(*i as f64),
        Num::Big(b) => int_to_f64(b),
        Num::Float(f) => Ok(*f),
    }
}

fn as_big(n: &Num) -> BigInt {
    match n {
        Num::Int(i) => BigInt::from(*i),
        Num::Big(b) => b.clone(),
        Num::Float(_) => BigInt::zero(),
    }
}

/// The operators floats have.
const FLOAT_OPS: [BinOp; 7] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::FloorDiv,
    BinOp::Mod,
    BinOp::Pow,
];

/// `a op b` for numbers; `None` when either operand is not a number (the caller then tries
/// other types and dunders).
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Option<ToyResult<Value>> {
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        match op {
            BinOp::BitAnd => return Some(Ok(Value::Bool(x & y))),
            BinOp::BitOr => return Some(Ok(Value::Bool(x | y))),
            BinOp::BitXor => return Some(Ok(Value::Bool(x ^ y))),
            _ => {}
        }
    }
    let (x, y) = (num(a)?, num(b)?);
    let float = matches!(x, Num::Float(_)) || matches!(y, Num::Float(_));
    if float && !FLOAT_OPS.contains(&op) {
        // No such float operator: the caller's error names the operands' own types
        // (`1.5 & 6` is 'float' and 'int').
        return None;
    }
    Some(match (&x, &y) {
        (Num::Int(i), Num::Int(j)) => int_op(op, *i, *j),
        (Num::Float(_), _) | (_, Num::Float(_)) => float_op(op, &x, &y),
        _ => big_op(op, as_big(&x), as_big(&y)),
    })
}

/// i64 arithmetic; overflow falls back to big ints.
pub fn int_op(op: BinOp, i: i64, j: i64) -> ToyResult<Value> {
    let fast = match op {
        BinOp::Add => i.checked_add(j),
        BinOp::Sub => i.checked_sub(j),
        BinOp::Mul => i.checked_mul(j),
        BinOp::FloorDiv => {
            if j == 0 {
                return Err(Exc::zero_division("integer division or modulo by zero"));
            }
            if i == i64::MIN && j == -1 {
                None
            } else {
                Some(Integer::div_floor(&i, &j))
            }
        }
        BinOp::Mod => {
            if j == 0 {
                return Err(Exc::zero_division("integer modulo by zero"));
            }
            if j == -1 {
                Some(0)
            } else {
                Some(i.mod_floor(&j))
            }
        }
        BinOp::Div => {
            if j == 0 {
                return Err(Exc::zero_division("division by zero"));
            }
            return Ok(Value::Float(true_div_ints(
                &BigInt::from(i),
                &BigInt::from(j),
            )?));
        }
        BinOp::Pow => {
            if j < 0 {
                return float_pow(i as f64, j as f64);
            }
            u32::try_from(j).ok().and_then(|e| i.checked_pow(e))
        }
        BinOp::LShift => {
            if j < 0 {
                return Err(Exc::value_error("negative shift count"));
            }
            if j < 63 && i.unsigned_abs().leading_zeros() as i64 > j {
                Some(i << j)
            } else {
                None
            }
        }
        BinOp::RShift => {
            if j < 0 {
                return Err(Exc::value_error("negative shift count"));
            }
            Some(if j >= 64 {
                if i < 0 {
                    -1
                } else {
                    0
                }
            } else {
                i >> j
            })
        }
        BinOp::BitAnd => Some(i & j),
        BinOp::BitOr => Some(i | j),
        BinOp::BitXor => Some(i ^ j),
        BinOp::MatMul => return Err(unsupported(op, &Value::Int(i), &Value::Int(j))),
    };
    match fast {
        Some(v) => Ok(Value::Int(v)),
        None => big_op(op, BigInt::from(i), BigInt::from(j)),
    }
}

fn big_op(op: BinOp, a: BigInt, b: BigInt) -> ToyResult<Value> {
    Ok(match op {
        BinOp::Add => normalize(a + b),
        BinOp::Sub => normalize(a - b),
        BinOp::Mul => normalize(a * b),
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Err(Exc::zero_division("integer division or modulo by zero"));
            }
            normalize(a.div_floor(&b))
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Err(Exc::zero_division("integer modulo by zero"));
            }
            normalize(a.mod_floor(&b))
        }
        BinOp::Div => {
            if b.is_zero() {
                return Err(Exc::zero_division("division by zero"));
            }
            Value::Float(true_div_ints(&a, &b)?)
        }
        BinOp::Pow => {
            if b.is_negative() {
                return float_pow(int_to_f64(&a)?, int_to_f64(&b)?);
            }
            let e = b
                .to_u32()
                .ok_or_else(|| Exc::overflow("exponent too large"))?;
            normalize(num_traits::pow::Pow::pow(&a, e))
        }
        BinOp::LShift => {
            if b.is_negative() {
                return Err(Exc::value_error("negative shift count"));
            }
            let n = b
                .to_usize()
                .ok_or_else(|| Exc::overflow("too many digits in integer"))?;
            normalize(a << n)
        }
        BinOp::RShift => {
            if b.is_negative() {
                return Err(Exc::value_error("negative shift count"));
            }
            let n = b.to_usize().unwrap_or(usize::MAX);
            // BigInt's >> rounds toward negative infinity, matching Python.
            normalize(a >> n.min(u32::MAX as usize))
        }
        BinOp::BitAnd => normalize(a & b),
        BinOp::BitOr => normalize(a | b),
        BinOp::BitXor => normalize(a ^ b),
        BinOp::MatMul => return Err(unsupported(op, &normalize(a), &normalize(b))),
    })
}

/// Correctly rounded `a / b` for ints (Python rounds the exact quotient, not the quotient
/// of two rounded floats).
fn true_div_ints(a: &BigInt, b: &BigInt) -> ToyResult<f64> {
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64()) {
        // Both exactly representable: one rounding, same as CPython's fast path.
        if x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) {
            return Ok(x as f64 / y as f64);
        }
    }
    let (q, r) = a.div_rem(b);
    if r.is_zero() {
        return int_to_f64(&q);
    }
    // Scale so that the quotient has plenty of significant bits, then round once.
    let shift = 64i64 - (q.bits() as i64);
    let shift = shift.max(0) as usize;
    let scaled = (a.abs() << shift) / b.abs();
    let sign = if a.is_negative() != b.is_negative() {
        -1.0
    } else {
        1.0
    };
    let f = scaled
        .to_f64()
        .ok_or_else(|| Exc::overflow("integer division result too large for a float"))?;
    let result = sign * f / 2f64.powi(shift as i32);
    if result.is_infinite() {
        return Err(Exc::overflow(
            "integer division result too large for a float",
        ));
    }
    Ok(result)
}

fn float_pow(a: f64, b: f64) -> ToyResult<Value> {
    if a == 0.0 && b < 0.0 {
        return Err(Exc::zero_division(
            "0.0 cannot be raised to a negative power",
        ));
    }
    if a < 0.0 && b.fract() != 0.0 {
        return Err(Exc::value_error(
            "complex numbers are not supported in toy (negative number to a fractional power)",
        ));
    }
    let r = a.powf(b);
    if r.is_infinite() && a.is_finite() && b.is_finite() {
        return Err(Exc::overflow("(34, 'Numerical result out of range')"));
    }
    Ok(Value::Float(r))
}

fn float_op(op: BinOp, x: &Num, y: &Num) -> ToyResult<Value> {
    let a = as_f64(x)?;
    let b = as_f64(y)?;
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(Exc::zero_division("float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(Exc::zero_division("float floor division by zero"));
            }
            float_divmod(a, b).0
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(Exc::zero_division("float modulo"));
            }
            float_divmod(a, b).1
        }
        BinOp::Pow => return float_pow(a, b),
        _ => return Err(unsupported(op, &Value::Float(a), &Value::Float(b))),
    }))
}

/// CPython's float divmod: the remainder has the sign of the divisor.
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(a / b)
    };
    (floordiv, m)
}

pub fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::MatMul => "@",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
    }
}

pub fn unsupported(op: BinOp, a: &Value, b: &Value) -> Exc {
    Exc::type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op_symbol(op),
        a.type_name(),
        b.type_name()
    ))
}

/// `a == b` for two numbers, exact across int and float; `None` if not both numbers.
pub fn numeric_eq(a: &Value, b: &Value) -> Option<bool> {
    numeric_cmp(a, b).map(|o| o == Some(Ordering::Equal))
}

/// Exact comparison of two numbers (`None` inside when a NaN is involved); outer `None`
/// when either is not a number.
pub fn numeric_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    let (x, y) = (num(a)?, num(b)?);
    Some(match (&x, &y) {
        (Num::Int(i), Num::Int(j)) => Some(i.cmp(j)),
        (Num::Float(f), Num::Float(g)) => f.partial_cmp(g),
        (Num::Float(f), other) => float_int_cmp(*f, &as_big(other)),
        (other, Num::Float(f)) => float_int_cmp(*f, &as_big(other)).map(Ordering::reverse),
        _ => Some(as_big(&x).cmp(&as_big(&y))),
    })
}

/// Compare a float with an int exactly (no rounding of the int).
fn float_int_cmp(f: f64, i: &BigInt) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Greater
        } else {
            Ordering::Less
        });
    }
    let whole = f.trunc();
    let whole_big = BigInt::from(whole as i128);
    let whole_big = if whole.abs() < 1e38 {
        whole_big
    } else {
        // Very large floats are integers; convert through their exact decimal form.
        format!("{whole:.0}").parse::<BigInt>().unwrap_or(whole_big)
    };
    match whole_big.cmp(i) {
        Ordering::Equal => {
            let frac = f - whole;
            Some(if frac > 0.0 {
                Ordering::Greater
            } else if frac < 0.0 {
                Ordering::Less
            } else {
                Ordering::Equal
            })
        }
        o => Some(o),
    }
}

/// `-x` for numbers.
pub fn negate(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Int(i) => match i.checked_neg() {
            Some(n) => Value::Int(n),
            None => normalize(-BigInt::from(*i)),
        },
        Value::Bool(b) => Value::Int(-(*b as i64)),
        Value::BigInt(b) => normalize(-BigInt::clone(b)),
        Value::Float(f) => Value::Float(-f),
        _ => return None,
    })
}

/// `~x` for ints.
pub fn invert(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Int(i) => Value::Int(!i),
        Value::Bool(b) => Value::Int(!(*b as i64)),
        Value::BigInt(b) => normalize(-BigInt::clone(b) - 1),
        _ => return None,
    })
}

/// `abs(x)` for numbers.
pub fn abs(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Int(i) => match i.checked_abs() {
            Some(n) => Value::Int(n),
            None => normalize(BigInt::from(*i).abs()),
        },
        Value::Bool(b) => Value::Int(*b as i64),
        Value::BigInt(b) => normalize(b.abs()),
        Value::Float(f) => Value::Float(f.abs()),
        _ => return None,
    })
}

/// `round(x)` / `round(x, n)` for floats: round-half-even, exactly like CPython.
pub fn round_float(x: f64, ndigits: Option<i64>) -> ToyResult<Value> {
    match ndigits {
        None => {
            if !x.is_finite() {
                return Err(if x.is_nan() {
                    Exc::value_error("cannot convert float NaN to integer")
                } else {
                    Exc::overflow("cannot convert float infinity to integer")
                });
            }
            let r = x.round_ties_even();
            Ok(float_to_int(r))
        }
        Some(n) => {
            if !x.is_finite() || n > 320 {
                return Ok(Value::Float(x));
            }
            if n < -320 {
                return Ok(Value::Float(0.0f64.copysign(x)));
            }
            // Round through the exact decimal expansion (what CPython's dtoa does).
            let text = if n >= 0 {
                format!("{:.*}", n as usize, x)
            } else {
                let scale = 10f64.powi((-n) as i32);
                let r = (x / scale).round_ties_even() * scale;
                return Ok(Value::Float(r));
            };
            Ok(Value::Float(text.parse().unwrap_or(x)))
        }
    }
}

/// A finite float's integer value.
pub fn float_to_int(f: f64) -> Value {
    if f.abs() < 9.2e18 {
        Value::Int(f as i64)
    } else {
        normalize(format!("{f:.0}").parse::<BigInt>().unwrap_or_default())
    }
}

pub(crate) fn register_float(t: &Arc<TypeObj>) {
    t.add_method("is_integer", float_is_integer);
    t.add_method("hex", float_hex);
    t.add_method("as_integer_ratio", float_as_integer_ratio);
    t.add_method("conjugate", float_conjugate);
}

fn receiver_float(args: &[Value]) -> f64 {
    match args.first() {
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    }
}

fn float_is_integer(
    _vm: &mut Vm,
    args: &[Value],
    _kw: &[(Arc<StrObj>, Value)],
) -> ToyResult<Value> {
    let f = receiver_float(args);
    Ok(Value::Bool(f.is_finite() && f.fract() == 0.0))
}

fn float_conjugate(_vm: &mut Vm, args: &[Value], _kw: &[(Arc<StrObj>, Value)]) -> ToyResult<Value> {
    Ok(Value::Float(receiver_float(args)))
}

fn float_as_integer_ratio(
    _vm: &mut Vm,
    args: &[Value],
    _kw: &[(Arc<StrObj>, Value)],
) -> ToyResult<Value> {
    let f = receiver_float(args);
    if f.is_nan() {
        return Err(Exc::value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(Exc::overflow("cannot convert Infinity to integer ratio"));
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if exp == 0 {
        (mant, -1074)
    } else {
        (mant | (1 << 52), exp - 1075)
    };
    while m != 0 && m & 1 == 0 && e < 0 {
        m >>= 1;
        e += 1;
    }
    let sign = if f < 0.0 { -1 } else { 1 };
    let num = BigInt::from(m) * sign;
    let (n, d) = if e >= 0 {
        (num << e as usize, BigInt::from(1))
    } else {
        (num, BigInt::from(1) << (-e) as usize)
    };
    Ok(Value::tuple(vec![normalize(n), normalize(d)]))
}

fn float_hex(_vm: &mut Vm, args: &[Value], _kw: &[(Arc<StrObj>, Value)]) -> ToyResult<Value> {
    let f = receiver_float(args);
    if f.is_nan() {
        return Ok(Value::str("nan"));
    }
    if f.is_infinite() {
        return Ok(Value::str(if f > 0.0 { "inf" } else { "-inf" }));
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return Ok(Value::string(format!("{sign}0x0.0p+0")));
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1 << 52) - 1);
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    let mut digits = format!("{mant:013x}");
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    Ok(Value::string(format!("{sign}0x{lead}.{digits}p{e:+}")))
}
