//! The `math` module: constants, float functions with C99/CPython error handling
//! ("math domain error" / "math range error"), and exact integer functions on big ints.

use std::sync::Arc;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::int::{normalize, to_bigint};
use crate::objects::number::{float_to_int, int_to_f64};
use crate::objects::{Builtin, DictObj, Exc, ToyResult, Value};
use crate::syntax::ast::BinOp;
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    m.set_str("pi", Value::Float(std::f64::consts::PI));
    m.set_str("e", Value::Float(std::f64::consts::E));
    m.set_str("tau", Value::Float(std::f64::consts::TAU));
    m.set_str("inf", Value::Float(f64::INFINITY));
    m.set_str("nan", Value::Float(f64::NAN));
    let functions: &[(&'static str, NativeFn)] = &[
        ("sqrt", sqrt),
        ("cbrt", cbrt),
        ("floor", floor),
        ("ceil", ceil),
        ("trunc", trunc),
        ("fabs", fabs),
        ("pow", pow),
        ("exp", exp),
        ("exp2", exp2),
        ("expm1", expm1),
        ("log", log),
        ("log2", log2),
        ("log10", log10),
        ("log1p", log1p),
        ("sin", sin),
        ("cos", cos),
        ("tan", tan),
        ("asin", asin),
        ("acos", acos),
        ("atan", atan),
        ("atan2", atan2),
        ("sinh", sinh),
        ("cosh", cosh),
        ("tanh", tanh),
        ("asinh", asinh),
        ("acosh", acosh),
        ("atanh", atanh),
        ("hypot", hypot),
        ("degrees", degrees),
        ("radians", radians),
        ("factorial", factorial),
        ("gcd", gcd),
        ("lcm", lcm),
        ("comb", comb),
        ("perm", perm),
        ("isqrt", isqrt),
        ("isclose", isclose),
        ("isfinite", isfinite),
        ("isinf", isinf),
        ("isnan", isnan),
        ("copysign", copysign),
        ("fsum", fsum),
        ("prod", prod),
        ("dist", dist),
        ("modf", modf),
        ("frexp", frexp),
        ("ldexp", ldexp),
        ("fmod", fmod),
        ("remainder", remainder),
        ("ulp", ulp),
        ("nextafter", nextafter),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
}

fn domain_error() -> Exc {
    Exc::value_error("math domain error")
}

fn range_error() -> Exc {
    Exc::overflow("math range error")
}

/// A real-number argument as a float (ints exactly when they fit, `__float__`/`__index__`
/// on instances).
pub(crate) fn real(vm: &mut Vm, v: &Value) -> ToyResult<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::BigInt(b) => int_to_f64(b),
        Value::Instance(_) => {
            for name in ["__float__", "__index__"] {
                if let Some(m) = vm.lookup_special(v, name) {
                    let r = vm.call(&m, vec![v.clone()], Vec::new())?;
                    if matches!(r, Value::Instance(_)) {
                        break;
                    }
                    return real(vm, &r);
                }
            }
            if let Some(inner) = crate::objects::types::base_value(v) {
                return real(vm, &inner.clone());
            }
            Err(Exc::type_error(format!(
                "must be real number, not {}",
                v.type_name()
            )))
        }
        _ => Err(Exc::type_error(format!(
            "must be real number, not {}",
            v.type_name()
        ))),
    }
}

/// An integer argument (ints, bools, `__index__`).
fn integer(vm: &mut Vm, v: &Value) -> ToyResult<BigInt> {
    if let Some(b) = to_bigint(v) {
        return Ok(b);
    }
    if let Some(m) = vm.lookup_special(v, "__index__") {
        let r = vm.call(&m, vec![v.clone()], Vec::new())?;
        if let Some(b) = to_bigint(&r) {
            return Ok(b);
        }
    }
    if let Some(Some(b)) = crate::objects::types::base_value(v).map(to_bigint) {
        return Ok(b);
    }
    Err(Exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        v.type_name()
    )))
}

fn one_arg<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a Value> {
    args::no_kwargs(name, kw)?;
    args::count(&format!("math.{name}"), args, 1, 1)?;
    Ok(&args[0])
}

fn two_args<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<(&'a Value, &'a Value)> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 2, 2)?;
    Ok((&args[0], &args[1]))
}

/// Apply a one-argument float function with CPython's error conventions: a NaN result from
/// a non-NaN input is a domain error, an infinite result from a finite input a range error
/// (or a domain error when `inf_is_domain`, e.g. `log(0)`).
fn unary(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kw: Kw,
    f: fn(f64) -> f64,
    inf_is_domain: bool,
) -> ToyResult<Value> {
    let x = real(vm, one_arg(name, args, kw)?)?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if inf_is_domain {
            domain_error()
        } else {
            range_error()
        });
    }
    Ok(Value::Float(r))
}

macro_rules! unary_fns {
    ($( $name:ident => $f:expr, $dom:expr; )*) => {
        $(
            fn $name(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
                unary(vm, stringify!($name), args, kw, $f, $dom)
            }
        )*
    };
}

unary_fns! {
    sqrt => f64::sqrt, false;
    cbrt => glibc_cbrt, false;
    exp => f64::exp, false;
    exp2 => f64::exp2, false;
    expm1 => f64::exp_m1, false;
    log1p => f64::ln_1p, true;
    sin => f64::sin, false;
    cos => f64::cos, false;
    tan => f64::tan, false;
    asin => f64::asin, false;
    acos => f64::acos, false;
    atan => f64::atan, false;
    sinh => f64::sinh, false;
    cosh => f64::cosh, false;
    tanh => f64::tanh, false;
    asinh => f64::asinh, false;
    acosh => f64::acosh, false;
    atanh => f64::atanh, true;
}

/// glibc's `cbrt` (what CPython calls on Linux), whose last bit differs from Rust's.
/// The constants are glibc's, verbatim.
#[allow(clippy::excessive_precision)]
fn glibc_cbrt(x: f64) -> f64 {
    const CBRT2: f64 = 1.259_921_049_894_873_164_8;
    const SQR_CBRT2: f64 = 1.587_401_051_968_199_474_8;
    const FACTOR: [f64; 5] = [1.0 / SQR_CBRT2, 1.0 / CBRT2, 1.0, CBRT2, SQR_CBRT2];
    if x == 0.0 || !x.is_finite() {
        return x + x;
    }
    let (xm, xe) = frexp_f64(x.abs());
    let u = 0.354_895_765_043_919_86
        + (1.508_191_937_815_848_96
            + (-2.114_994_941_673_712_87
                + (2.446_931_225_635_344_3
                    + (-1.834_692_774_836_130_86
                        + (0.784_932_344_976_639_262 - 0.145_263_899_385_486_377 * xm) * xm)
                        * xm)
                    * xm)
                * xm)
            * xm;
    let t2 = u * u * u;
    let ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * FACTOR[(2 + xe % 3) as usize];
    ldexp_f64(if x > 0.0 { ym } else { -ym }, (xe / 3) as i64)
}

fn fabs(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Float(real(vm, one_arg("fabs", args, kw)?)?.abs()))
}

fn degrees(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = real(vm, one_arg("degrees", args, kw)?)?;
    Ok(Value::Float(x * (180.0 / std::f64::consts::PI)))
}

fn radians(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = real(vm, one_arg("radians", args, kw)?)?;
    Ok(Value::Float(x * (std::f64::consts::PI / 180.0)))
}

/// A float's integral value as an int, with the errors of `int(float)`.
fn float_int(f: f64) -> ToyResult<Value> {
    if f.is_nan() {
        return Err(Exc::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Exc::overflow("cannot convert float infinity to integer"));
    }
    Ok(float_to_int(f))
}

fn rounding(
    vm: &mut Vm,
    name: &str,
    dunder: &str,
    args: &[Value],
    kw: Kw,
    f: fn(f64) -> f64,
) -> ToyResult<Value> {
    let x = one_arg(name, args, kw)?;
    match x {
        Value::Int(_) | Value::BigInt(_) => return Ok(x.clone()),
        Value::Bool(b) => return Ok(Value::Int(*b as i64)),
        Value::Instance(_) => {
            if let Some(m) = vm.lookup_special(x, dunder) {
                return vm.call(&m, vec![x.clone()], Vec::new());
            }
        }
        _ => {}
    }
    if name == "trunc" && !matches!(x, Value::Float(_) | Value::Instance(_)) {
        return Err(Exc::type_error(format!(
            "type {} doesn't define __trunc__ method",
            x.type_name()
        )));
    }
    float_int(f(real(vm, x)?))
}

fn floor(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    rounding(vm, "floor", "__floor__", args, kw, f64::floor)
}

fn ceil(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    rounding(vm, "ceil", "__ceil__", args, kw, f64::ceil)
}

fn trunc(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    rounding(vm, "trunc", "__trunc__", args, kw, f64::trunc)
}

fn pow(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("pow", args, kw)?;
    let (x, y) = (real(vm, a)?, real(vm, b)?);
    let r = x.powf(y);
    if x.is_finite() && y.is_finite() {
        if r.is_nan() {
            return Err(domain_error());
        }
        if r.is_infinite() {
            return Err(if x == 0.0 {
                domain_error()
            } else {
                range_error()
            });
        }
    }
    Ok(Value::Float(r))
}

fn atan2(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("atan2", args, kw)?;
    Ok(Value::Float(real(vm, a)?.atan2(real(vm, b)?)))
}

fn copysign(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("copysign", args, kw)?;
    Ok(Value::Float(real(vm, a)?.copysign(real(vm, b)?)))
}

fn fmod(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("fmod", args, kw)?;
    let (x, y) = (real(vm, a)?, real(vm, b)?);
    if y.is_infinite() && x.is_finite() {
        return Ok(Value::Float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error());
    }
    Ok(Value::Float(r))
}

/// IEEE 754 remainder: `x - n*y` with `n` the integer nearest `x/y` (ties to even).
fn remainder(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("remainder", args, kw)?;
    let (x, y) = (real(vm, a)?, real(vm, b)?);
    if x.is_nan() || y.is_nan() {
        return Ok(Value::Float(f64::NAN));
    }
    if x.is_infinite() || y == 0.0 {
        return Err(domain_error());
    }
    if y.is_infinite() {
        return Ok(Value::Float(x));
    }
    // CPython's algorithm: exact, because every step is.
    let (absx, absy) = (x.abs(), y.abs());
    let m = absx % absy;
    let c = absy - m;
    let r = if m < c {
        m
    } else if m > c {
        -c
    } else {
        // Half-way: choose the even multiple.
        m - 2.0 * ((0.5 * (absx - m)) % absy)
    };
    Ok(Value::Float(1.0f64.copysign(x) * r))
}

fn ulp(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = real(vm, one_arg("ulp", args, kw)?)?;
    if x.is_nan() {
        return Ok(Value::Float(x));
    }
    let x = x.abs();
    if x.is_infinite() {
        return Ok(Value::Float(x));
    }
    let next = next_toward(x, f64::INFINITY);
    if next.is_infinite() {
        let prev = next_toward(x, 0.0);
        return Ok(Value::Float(x - prev));
    }
    Ok(Value::Float(next - x))
}

fn next_toward(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

fn nextafter(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("nextafter", args, kw)?;
    Ok(Value::Float(next_toward(real(vm, a)?, real(vm, b)?)))
}

// ----- logarithms -----------------------------------------------------------------------

/// `func(x)` for a log function, exact for ints too large for a float (CPython's
/// `loghelper`: `func(mantissa) + func(2) * exponent`).
fn log_of(vm: &mut Vm, x: &Value, func: fn(f64) -> f64) -> ToyResult<f64> {
    if let Some(b) = to_bigint(x) {
        if !b.is_positive() {
            return Err(domain_error());
        }
        if let Some(f) = b.to_f64().filter(|f| f.is_finite()) {
            return Ok(func(f));
        }
        let bits = b.bits();
        let top = (&b >> (bits - 64)).to_u64().unwrap_or(u64::MAX);
        let sticky = !(&b & ((BigInt::one() << (bits - 64)) - 1u32)).is_zero();
        let m = (top | sticky as u64) as f64 / 18446744073709551616.0;
        return Ok(func(m) + func(2.0) * bits as f64);
    }
    let f = real(vm, x)?;
    if f.is_nan() {
        return Ok(f);
    }
    if f <= 0.0 {
        return Err(domain_error());
    }
    Ok(func(f))
}

fn log(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("log", kw)?;
    args::count("log", args, 1, 2)?;
    let num = log_of(vm, &args[0], f64::ln)?;
    match args.get(1) {
        None => Ok(Value::Float(num)),
        Some(base) => {
            let den = log_of(vm, base, f64::ln)?;
            if den == 0.0 {
                return Err(Exc::zero_division("float division by zero"));
            }
            Ok(Value::Float(num / den))
        }
    }
}

fn log2(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = one_arg("log2", args, kw)?;
    Ok(Value::Float(log_of(vm, x, f64::log2)?))
}

fn log10(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = one_arg("log10", args, kw)?;
    Ok(Value::Float(log_of(vm, x, f64::log10)?))
}

// ----- norms ------------------------------------------------------------------------------

/// CPython's `vector_norm`: the Euclidean norm of finite values, computed with lossless
/// scaling and a differential correction so that it is nearly always correctly rounded.
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp_f64(max);
    if max_e < -1023 {
        for x in vec.iter_mut() {
            *x /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = ldexp_f64(1.0, -max_e as i64);
    let (mut csum, mut frac1, mut frac2) = (1.0f64, 0.0f64, 0.0f64);
    for &x in vec.iter() {
        let x = x * scale;
        let (hi, lo) = (x * x, x.mul_add(x, -(x * x)));
        let s = csum + hi;
        frac2 += (csum - s) + hi;
        csum = s;
        frac1 += lo;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let (phi, plo) = (-h * h, (-h).mul_add(h, h * h));
    let s = csum + phi;
    frac2 += (csum - s) + phi;
    csum = s;
    frac1 += plo;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

fn norm_of(vm: &mut Vm, values: &[Value]) -> ToyResult<f64> {
    let mut vec = Vec::with_capacity(values.len());
    let (mut max, mut found_nan) = (0.0f64, false);
    for v in values {
        let x = real(vm, v)?.abs();
        found_nan |= x.is_nan();
        if x > max {
            max = x;
        }
        vec.push(x);
    }
    Ok(vector_norm(&mut vec, max, found_nan))
}

fn hypot(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("hypot", kw)?;
    Ok(Value::Float(norm_of(vm, args)?))
}

fn dist(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (p, q) = two_args("dist", args, kw)?;
    let p = vm.collect(p)?;
    let q = vm.collect(q)?;
    if p.len() != q.len() {
        return Err(Exc::value_error(
            "both points must have the same number of dimensions",
        ));
    }
    let mut diffs = Vec::with_capacity(p.len());
    for (a, b) in p.iter().zip(&q) {
        diffs.push(Value::Float(real(vm, a)? - real(vm, b)?));
    }
    Ok(Value::Float(norm_of(vm, &diffs)?))
}

// ----- float decomposition --------------------------------------------------------------

/// C's `frexp`: `x = m * 2**e` with `0.5 <= |m| < 1`.
fn frexp_f64(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, adjust) = if x.abs() < f64::MIN_POSITIVE {
        (x * 18014398509481984.0, -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022 + adjust)
}

/// C's `ldexp` (musl's `scalbn`): exact except for the final rounding.
fn ldexp_f64(x: f64, n: i64) -> f64 {
    let mut n = n.clamp(-10000, 10000);
    let mut y = x;
    let p1023 = f64::from_bits(0x7fe << 52);
    let low = f64::from_bits(1 << 52) * 9007199254740992.0; // 2**-1022 * 2**53
    if n > 1023 {
        y *= p1023;
        n -= 1023;
        if n > 1023 {
            y *= p1023;
            n -= 1023;
            n = n.min(1023);
        }
    } else if n < -1022 {
        y *= low;
        n += 1022 - 53;
        if n < -1022 {
            y *= low;
            n += 1022 - 53;
            n = n.max(-1022);
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}

fn frexp(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = real(vm, one_arg("frexp", args, kw)?)?;
    let (m, e) = frexp_f64(x);
    Ok(Value::tuple(vec![Value::Float(m), Value::Int(e as i64)]))
}

fn ldexp(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (a, b) = two_args("ldexp", args, kw)?;
    let x = real(vm, a)?;
    if !b.is_int_like() {
        return Err(Exc::type_error(
            "Expected an int as second argument to ldexp.",
        ));
    }
    let n = integer(vm, b)?;
    let n = n
        .to_i64()
        .unwrap_or(if n.is_negative() { i64::MIN } else { i64::MAX });
    if x == 0.0 || !x.is_finite() {
        return Ok(Value::Float(x));
    }
    let r = ldexp_f64(x, n);
    if r.is_infinite() {
        return Err(range_error());
    }
    Ok(Value::Float(r))
}

fn modf(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = real(vm, one_arg("modf", args, kw)?)?;
    let (frac, int) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else if x.is_nan() {
        (x, x)
    } else {
        let t = x.trunc();
        ((x - t).copysign(x), t)
    };
    Ok(Value::tuple(vec![Value::Float(frac), Value::Float(int)]))
}

// ----- predicates -----------------------------------------------------------------------

fn isfinite(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(
        real(vm, one_arg("isfinite", args, kw)?)?.is_finite(),
    ))
}

fn isinf(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(
        real(vm, one_arg("isinf", args, kw)?)?.is_infinite(),
    ))
}

fn isnan(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(real(vm, one_arg("isnan", args, kw)?)?.is_nan()))
}

fn isclose(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [rel, abs] = args::keywords("isclose", kw, &["rel_tol", "abs_tol"])?
        .try_into()
        .unwrap_or_default();
    if args.len() != 2 {
        return Err(Exc::type_error(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            args.len()
        )));
    }
    let (a, b) = (real(vm, &args[0])?, real(vm, &args[1])?);
    let rel_tol = match rel {
        Some(v) => real(vm, &v)?,
        None => 1e-9,
    };
    let abs_tol = match abs {
        Some(v) => real(vm, &v)?,
        None => 0.0,
    };
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(Exc::value_error("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(Value::Bool(true));
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (b - a).abs();
    Ok(Value::Bool(
        diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol,
    ))
}

// ----- sums and products ----------------------------------------------------------------

/// Shewchuk's exactly rounded sum, as CPython's `math.fsum` computes it.
fn fsum(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let it = one_arg("fsum", args, kw)?;
    let it = vm.get_iter(it)?;
    let mut partials: Vec<f64> = Vec::new();
    let (mut special_sum, mut inf_sum) = (0.0f64, 0.0f64);
    while let Some(v) = vm.next(&it)? {
        let mut x = real(vm, &v)?;
        let xsave = x;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                if xsave.is_finite() {
                    return Err(Exc::overflow("intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(Exc::value_error("-inf + inf in fsum"));
        }
        return Ok(Value::Float(special_sum));
    }
    let mut n = partials.len();
    let mut hi = 0.0f64;
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0f64;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(Value::Float(hi))
}

fn prod(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [start] = args::keywords("prod", kw, &["start"])?
        .try_into()
        .unwrap_or_default();
    args::count("prod", args, 1, 1)?;
    let mut acc = start.unwrap_or(Value::Int(1));
    let it = vm.get_iter(&args[0])?;
    while let Some(v) = vm.next(&it)? {
        acc = vm.binary_op(BinOp::Mul, false, acc, v)?;
    }
    Ok(acc)
}

// ----- integer functions ----------------------------------------------------------------

fn factorial(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = one_arg("factorial", args, kw)?;
    let n = integer(vm, x)?;
    if n.is_negative() {
        return Err(Exc::value_error(
            "factorial() not defined for negative values",
        ));
    }
    let Some(n) = n.to_u64().filter(|&n| n <= i64::MAX as u64) else {
        return Err(Exc::overflow(
            "factorial() argument should not exceed 9223372036854775807",
        ));
    };
    Ok(normalize(product_range(1, n)))
}

/// `lo * (lo+1) * ... * hi`, split in halves so the big multiplications stay balanced.
fn product_range(lo: u64, hi: u64) -> BigInt {
    if lo > hi {
        return BigInt::one();
    }
    if hi - lo < 16 {
        let mut acc = BigInt::one();
        let mut small: u64 = 1;
        for k in lo..=hi {
            match small.checked_mul(k) {
                Some(p) => small = p,
                None => {
                    acc *= small;
                    small = k;
                }
            }
        }
        return acc * small;
    }
    let mid = lo + (hi - lo) / 2;
    product_range(lo, mid) * product_range(mid + 1, hi)
}

fn int_args(vm: &mut Vm, name: &str, args: &[Value], kw: Kw) -> ToyResult<Vec<BigInt>> {
    args::no_kwargs(name, kw)?;
    args.iter().map(|a| integer(vm, a)).collect()
}

fn gcd(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let ns = int_args(vm, "gcd", args, kw)?;
    let g = ns.iter().fold(BigInt::zero(), |g, n| g.gcd(n));
    Ok(normalize(g))
}

fn lcm(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let ns = int_args(vm, "lcm", args, kw)?;
    let mut acc = BigInt::one();
    for n in &ns {
        if n.is_zero() {
            return Ok(Value::Int(0));
        }
        acc = acc.lcm(n);
    }
    Ok(normalize(acc.abs()))
}

fn isqrt(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let x = one_arg("isqrt", args, kw)?;
    let n = integer(vm, x)?;
    if n.is_negative() {
        return Err(Exc::value_error("isqrt() argument must be nonnegative"));
    }
    Ok(normalize(n.sqrt()))
}

fn comb_perm_args(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kw: Kw,
    min: usize,
) -> ToyResult<(BigInt, Option<BigInt>)> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, min, 2)?;
    let n = integer(vm, &args[0])?;
    let k = match args.get(1) {
        Some(Value::None) | None => None,
        Some(k) => Some(integer(vm, k)?),
    };
    if n.is_negative() {
        return Err(Exc::value_error("n must be a non-negative integer"));
    }
    if k.as_ref().is_some_and(|k| k.is_negative()) {
        return Err(Exc::value_error("k must be a non-negative integer"));
    }
    Ok((n, k))
}

/// `n * (n-1) * ... * (n-k+1)`.
fn falling(n: &BigInt, k: u64) -> BigInt {
    let mut acc = BigInt::one();
    let mut f = n.clone();
    for _ in 0..k {
        acc *= &f;
        f -= 1u32;
    }
    acc
}

fn too_large() -> Exc {
    Exc::overflow("min(n - k, k) must not exceed 9223372036854775807")
}

fn comb(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (n, k) = comb_perm_args(vm, "comb", args, kw, 2)?;
    let k = k.unwrap_or_default();
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = k.clone().min(&n - &k);
    let k = k
        .to_u64()
        .filter(|&k| k <= i64::MAX as u64)
        .ok_or_else(too_large)?;
    if let (Some(n64), true) = (n.to_u64(), k < 64) {
        // Exact in u128 while the partial products stay small.
        let mut acc: u128 = 1;
        let mut ok = true;
        for i in 0..k {
            match acc.checked_mul((n64 - i) as u128) {
                Some(p) => acc = p / (i as u128 + 1),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Ok(normalize(BigInt::from(acc)));
        }
    }
    let num = falling(&n, k);
    Ok(normalize(num / product_range(1, k)))
}

fn perm(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (n, k) = comb_perm_args(vm, "perm", args, kw, 1)?;
    let k = k.unwrap_or_else(|| n.clone());
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = k
        .to_u64()
        .filter(|&k| k <= i64::MAX as u64)
        .ok_or_else(too_large)?;
    if n.sign() == Sign::NoSign {
        return Ok(Value::Int(1));
    }
    Ok(normalize(falling(&n, k)))
}
