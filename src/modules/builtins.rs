//! The `builtins` module: functions available everywhere without import.

use std::io::BufRead;
use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::int::{index_of, to_bigint};
use crate::objects::iter::{IterKind, IterState};
use crate::objects::{number, types, Builtin, Exc, IterObj, ToyResult, Value};
use crate::vm::{Interp, Vm};

/// Fill the builtins namespace of a new interpreter.
pub fn install(interp: &Arc<Interp>) {
    let b = &interp.builtins;
    let t = types();
    let functions: &[(&'static str, NativeFn)] = &[
        ("print", print),
        ("len", len),
        ("repr", repr),
        ("ascii", ascii),
        ("abs", abs),
        ("min", min),
        ("max", max),
        ("sum", sum),
        ("sorted", sorted),
        ("any", any),
        ("all", all),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("hash", hash),
        ("id", id),
        ("ord", ord),
        ("chr", chr),
        ("round", round),
        ("divmod", divmod),
        ("pow", pow),
        ("input", input),
        ("iter", iter),
        ("next", next),
        ("callable", callable),
        ("hex", hex),
        ("oct", oct),
        ("bin", bin),
        ("format", format),
        ("getattr", getattr),
        ("setattr", setattr),
        ("hasattr", hasattr),
        ("delattr", delattr),
        ("globals", globals),
        ("dir", dir),
        ("vars", vars),
        ("open", super::io::open),
    ];
    for (name, f) in functions {
        b.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    let classes = [
        &t.object,
        &t.type_,
        &t.int,
        &t.bool,
        &t.float,
        &t.str,
        &t.bytes,
        &t.tuple,
        &t.list,
        &t.dict,
        &t.set,
        &t.frozenset,
        &t.range,
        &t.slice,
    ];
    for c in classes {
        b.set_str(&c.name, Value::Type(c.clone()));
    }
    for c in [&t.property, &t.classmethod, &t.staticmethod, &t.super_] {
        b.set_str(&c.name, Value::Type(c.clone()));
    }
    b.set_str(
        "__build_class__",
        crate::objects::class::build_class_builtin(),
    );
    for name in ["enumerate", "zip", "map", "filter", "reversed"] {
        if let Some(c) = t.iterators.iter().find(|c| &*c.name == name) {
            b.set_str(name, Value::Type(c.clone()));
        }
    }
    for e in t.exceptions.all() {
        b.set_str(&e.name, Value::Type(e.clone()));
    }
    b.set_str(
        "EnvironmentError",
        Value::Type(t.exceptions.os_error.clone()),
    );
    b.set_str("IOError", Value::Type(t.exceptions.os_error.clone()));
    b.set_str("None", Value::None);
    b.set_str("True", Value::Bool(true));
    b.set_str("False", Value::Bool(false));
    b.set_str("NotImplemented", Value::NotImplemented);
    b.set_str("Ellipsis", Value::Ellipsis);
    b.set_str("__name__", Value::str("builtins"));
    crate::objects::constructors::install(t);
}

fn print(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [sep, end, file, flush] = args::keywords("print", kw, &["sep", "end", "file", "flush"])?
        .try_into()
        .unwrap_or_default();
    let text_or = |vm: &mut Vm, v: Option<Value>, default: &str, what: &str| -> ToyResult<String> {
        match v {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => {
                let _ = vm;
                Err(Exc::type_error(format!(
                    "{what} must be None or a string, not {}",
                    other.type_name()
                )))
            }
        }
    };
    let sep = text_or(vm, sep, " ", "sep")?;
    let end = text_or(vm, end, "\n", "end")?;
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&vm.to_str(a)?);
    }
    out.push_str(&end);
    match file {
        None | Some(Value::None) => {
            vm.write_stdout(&out)?;
            if flush.is_some_and(|f| matches!(f, Value::Bool(true))) {
                vm.flush_stdout();
            }
            Ok(Value::None)
        }
        Some(f) => {
            let write = vm.get_attr(&f, &Arc::new(crate::objects::StrObj::new("write".into())))?;
            vm.call(&write, vec![Value::string(out)], Vec::new())?;
            let wanted = match &flush {
                Some(v) => vm.truthy(v)?,
                None => false,
            };
            if wanted {
                let flush = vm.get_attr(&f, &crate::objects::str::intern("flush"))?;
                vm.call(&flush, Vec::new(), Vec::new())?;
            }
            Ok(Value::None)
        }
    }
}

fn one_arg<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a Value> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 1, 1)?;
    Ok(&args[0])
}

fn len(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("len", args, kw)?;
    Ok(Value::Int(vm.len(v)? as i64))
}

fn repr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("repr", args, kw)?;
    Ok(Value::string(vm.repr(v)?))
}

fn ascii(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("ascii", args, kw)?;
    let r = vm.repr(v)?;
    Ok(Value::string(crate::vm::eval::ascii_escape(&r)))
}

fn abs(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("abs", args, kw)?;
    if let Some(r) = number::abs(v) {
        return Ok(r);
    }
    if let Some(m) = vm.lookup_special(v, "__abs__") {
        return vm.call(&m, vec![v.clone()], Vec::new());
    }
    Err(Exc::type_error(format!(
        "bad operand type for abs(): '{}'",
        v.type_name()
    )))
}

/// Shared by `min` and `max`: `want_less` picks min.
fn extremum(vm: &mut Vm, name: &str, args: &[Value], kw: Kw, want_less: bool) -> ToyResult<Value> {
    let [key, default] = args::keywords(name, kw, &["key", "default"])?
        .try_into()
        .unwrap_or_default();
    let items = match args.len() {
        0 => {
            return Err(Exc::type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )))
        }
        1 => vm.collect(&args[0]).map_err(|e| {
            if vm.is_iterable(&args[0]) {
                e
            } else {
                Exc::type_error(format!("'{}' object is not iterable", args[0].type_name()))
            }
        })?,
        _ => {
            if default.is_some() {
                return Err(Exc::type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            args.to_vec()
        }
    };
    let key = key.filter(|k| !k.is_none());
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => vm.call(f, vec![item.clone()], Vec::new())?,
            None => item.clone(),
        };
        let replace = match &best {
            None => true,
            Some((_, bk)) => {
                let op = if want_less {
                    crate::syntax::ast::CmpOp::Lt
                } else {
                    crate::syntax::ast::CmpOp::Gt
                };
                let r = vm.compare_op(op, &k, bk)?;
                vm.truthy(&r)?
            }
        };
        if replace {
            best = Some((item, k));
        }
    }
    match best {
        Some((item, _)) => Ok(item),
        None => {
            default.ok_or_else(|| Exc::value_error(format!("{name}() arg is an empty sequence")))
        }
    }
}

fn min(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    extremum(vm, "min", args, kw, true)
}

fn max(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    extremum(vm, "max", args, kw, false)
}

fn sum(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [start_kw] = args::keywords("sum", kw, &["start"])?
        .try_into()
        .unwrap_or_default();
    args::count("sum", args, 1, 2)?;
    let mut total = args.get(1).cloned().or(start_kw).unwrap_or(Value::Int(0));
    if matches!(total, Value::Str(_)) {
        return Err(Exc::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let it = vm.get_iter(&args[0])?;
    while let Some(x) = vm.next(&it)? {
        total = match (&total, &x) {
            (Value::Int(a), Value::Int(b)) if a.checked_add(*b).is_some() => Value::Int(a + b),
            _ => vm.binary_op(crate::syntax::ast::BinOp::Add, false, total, x)?,
        };
    }
    Ok(total)
}

/// `sorted(iterable, key=None, reverse=False)`; `list.sort` shares the algorithm.
fn sorted(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::count("sorted", args, 1, 1)?;
    let items = vm.collect(&args[0])?;
    let [key, reverse] = args::keywords("sort", kw, &["key", "reverse"])?
        .try_into()
        .unwrap_or_default();
    let reverse = match reverse {
        Some(r) => vm.truthy(&r)?,
        None => false,
    };
    let sorted = crate::objects::list_methods::sort_values(
        vm,
        items,
        key.filter(|k| !k.is_none()),
        reverse,
    )?;
    Ok(Value::list(sorted))
}

fn any(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("any", args, kw)?;
    let it = vm.get_iter(v)?;
    while let Some(x) = vm.next(&it)? {
        if vm.truthy(&x)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn all(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("all", args, kw)?;
    let it = vm.get_iter(v)?;
    while let Some(x) = vm.next(&it)? {
        if !vm.truthy(&x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

/// `isinstance(obj, cls_or_tuple)`.
fn isinstance(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("isinstance", kw)?;
    args::count("isinstance", args, 2, 2)?;
    let class = args[0].class().clone();
    Ok(Value::Bool(class_matches(&class, &args[1], "isinstance")?))
}

fn issubclass(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("issubclass", kw)?;
    args::count("issubclass", args, 2, 2)?;
    let Value::Type(class) = &args[0] else {
        return Err(Exc::type_error("issubclass() arg 1 must be a class"));
    };
    Ok(Value::Bool(class_matches(class, &args[1], "issubclass")?))
}

fn class_matches(
    class: &Arc<crate::objects::TypeObj>,
    spec: &Value,
    fname: &str,
) -> ToyResult<bool> {
    match spec {
        Value::Type(t) => Ok(class.is_subtype(t)),
        Value::Tuple(items) => {
            for item in items.items() {
                if class_matches(class, item, fname)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(Exc::type_error(format!(
            "{fname}() arg 2 must be a type, a tuple of types, or a union"
        ))),
    }
}

fn hash(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("hash", args, kw)?;
    Ok(Value::Int(vm.hash(v)?))
}

fn id(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("id", args, kw)?;
    Ok(Value::Int(crate::vm::protocol::id_of(v) as i64))
}

fn ord(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("ord", args, kw)?;
    match v {
        Value::Str(s) => {
            let mut chars = s.as_str().chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(Value::Int(c as i64)),
                _ => Err(Exc::type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.char_len()
                ))),
            }
        }
        Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
        other => Err(Exc::type_error(format!(
            "ord() expected string of length 1, but {} found",
            other.type_name()
        ))),
    }
}

fn chr(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("chr", args, kw)?;
    let i = index_of(v)?;
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => Ok(Value::string(c.to_string())),
        None => {
            if (0..0x110000).contains(&i) {
                // A lone surrogate: toy strings are UTF-8 and cannot hold one.
                Err(Exc::value_error(
                    "chr() arg is a surrogate, which toy strings cannot hold",
                ))
            } else {
                Err(Exc::value_error("chr() arg not in range(0x110000)"))
            }
        }
    }
}

fn round(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [nd_kw] = args::keywords("round", kw, &["ndigits"])?
        .try_into()
        .unwrap_or_default();
    args::count("round", args, 1, 2)?;
    let ndigits = args.get(1).cloned().or(nd_kw).filter(|v| !v.is_none());
    let nd = match &ndigits {
        Some(n) => Some(index_of(n)?),
        None => None,
    };
    match &args[0] {
        Value::Float(f) => number::round_float(*f, nd),
        v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_)) => {
            let Some(nd) = nd.filter(|&n| n < 0) else {
                return Ok(match v {
                    Value::Bool(b) => Value::Int(*b as i64),
                    other => other.clone(),
                });
            };
            // Round to a multiple of 10**-nd, half to even.
            let b = to_bigint(v).unwrap_or_default();
            let unit = num_traits::pow::Pow::pow(num_bigint::BigInt::from(10), (-nd) as u32);
            let (q, r) = num_integer::Integer::div_mod_floor(&b, &unit);
            let twice = &r * 2;
            let q = if twice > unit || (twice == unit && num_integer::Integer::is_odd(&q)) {
                q + 1
            } else {
                q
            };
            Ok(Value::from_bigint(q * unit))
        }
        other => {
            if let Some(m) = vm.lookup_special(other, "__round__") {
                let mut call_args = vec![other.clone()];
                call_args.extend(ndigits);
                return vm.call(&m, call_args, Vec::new());
            }
            Err(Exc::type_error(format!(
                "type {} doesn't define __round__ method",
                other.type_name()
            )))
        }
    }
}

fn divmod(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("divmod", kw)?;
    args::count("divmod", args, 2, 2)?;
    use crate::syntax::ast::BinOp;
    let (a, b) = (&args[0], &args[1]);
    if number::binary(BinOp::FloorDiv, a, b).is_none() {
        return Err(Exc::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )));
    }
    let q = vm.binary_op(BinOp::FloorDiv, false, a.clone(), b.clone())?;
    let r = vm.binary_op(BinOp::Mod, false, a.clone(), b.clone())?;
    Ok(Value::tuple(vec![q, r]))
}

fn pow(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("pow", kw)?;
    args::count("pow", args, 2, 3)?;
    if let Some(m) = args.get(2).filter(|m| !m.is_none()) {
        let (Some(base), Some(exp), Some(modulus)) =
            (to_bigint(&args[0]), to_bigint(&args[1]), to_bigint(m))
        else {
            return Err(Exc::type_error(
                "pow() 3rd argument not allowed unless all arguments are integers",
            ));
        };
        if num_traits::Zero::is_zero(&modulus) {
            return Err(Exc::value_error("pow() 3rd argument cannot be 0"));
        }
        let (base, exp) = if num_traits::Signed::is_negative(&exp) {
            let inverse = mod_inverse(&base, &modulus)
                .ok_or_else(|| Exc::value_error("base is not invertible for the given modulus"))?;
            (inverse, -exp)
        } else {
            (base, exp)
        };
        let r = base.modpow(&exp, &modulus);
        // Python's result takes the sign of the modulus.
        let r = if !num_traits::Zero::is_zero(&r)
            && (num_traits::Signed::is_negative(&r) != num_traits::Signed::is_negative(&modulus))
        {
            r + modulus
        } else {
            r
        };
        return Ok(Value::from_bigint(r));
    }
    vm.binary_op(
        crate::syntax::ast::BinOp::Pow,
        false,
        args[0].clone(),
        args[1].clone(),
    )
}

/// The inverse of `a` modulo `m` (extended Euclid), if it exists.
fn mod_inverse(a: &num_bigint::BigInt, m: &num_bigint::BigInt) -> Option<num_bigint::BigInt> {
    use num_integer::Integer;
    let m_abs = num_traits::Signed::abs(m);
    let e = a.mod_floor(&m_abs).extended_gcd(&m_abs);
    if e.gcd != num_bigint::BigInt::from(1) {
        return None;
    }
    Some(e.x.mod_floor(&m_abs))
}

fn input(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("input", kw)?;
    args::count("input", args, 0, 1)?;
    if let Some(prompt) = args.first() {
        let p = vm.to_str(prompt)?;
        vm.write_stdout(&p)?;
    }
    vm.flush_stdout();
    let mut line = String::new();
    // Reading blocks: other threads run meanwhile (the blocking door).
    let n = vm
        .away(|| std::io::stdin().lock().read_line(&mut line))
        .map_err(|e| Exc::os_error(e.to_string()))?;
    if n == 0 {
        return Err(Exc::eof_error("EOF when reading a line"));
    }
    if line.ends_with('\n') {
        line.pop();
    }
    Ok(Value::string(line))
}

fn iter(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("iter", kw)?;
    args::count("iter", args, 1, 2)?;
    if let Some(sentinel) = args.get(1) {
        if !is_callable(&args[0]) {
            return Err(Exc::type_error("iter(v, w): v must be callable"));
        }
        return Ok(IterObj::value(
            IterKind::Callable,
            IterState::Callable {
                func: args[0].clone(),
                sentinel: sentinel.clone(),
            },
        ));
    }
    vm.get_iter(&args[0])
}

fn next(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("next", kw)?;
    args::count("next", args, 1, 2)?;
    let it = &args[0];
    let is_iterator = match it {
        Value::Iter(i) => !i.is_view(),
        Value::Generator(g) => !g.is_coroutine,
        Value::Instance(_) => it.class().lookup("__next__").is_some(),
        _ => false,
    };
    if !is_iterator {
        return Err(Exc::type_error(format!(
            "'{}' object is not an iterator",
            it.type_name()
        )));
    }
    if let Value::Generator(g) = it {
        // The generator's return value travels in the StopIteration.
        return match vm.gen_resume_value(g, Value::None) {
            Err(e) if args.len() == 2 && e.matches(&types().exceptions.stop_iteration) => {
                Ok(args[1].clone())
            }
            other => other,
        };
    }
    match vm.next(it)? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(default) => Ok(default.clone()),
            None => Err(Exc::stop_iteration(None)),
        },
    }
}

pub fn is_callable(v: &Value) -> bool {
    match v {
        Value::Function(_) | Value::Builtin(_) | Value::BoundMethod(_) | Value::Type(_) => true,
        Value::Instance(_) => v.class().lookup("__call__").is_some(),
        _ => false,
    }
}

fn callable(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let v = one_arg("callable", args, kw)?;
    Ok(Value::Bool(is_callable(v)))
}

fn radix(name: &str, args: &[Value], kw: Kw, prefix: &str, base: u32) -> ToyResult<Value> {
    let v = one_arg(name, args, kw)?;
    let b = match v {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => to_bigint(v).unwrap_or_default(),
        other => {
            return Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    let sign = if num_traits::Signed::is_negative(&b) {
        "-"
    } else {
        ""
    };
    let digits = num_traits::Signed::abs(&b).to_str_radix(base);
    Ok(Value::string(format!("{sign}{prefix}{digits}")))
}

fn hex(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    radix("hex", args, kw, "0x", 16)
}

fn oct(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    radix("oct", args, kw, "0o", 8)
}

fn bin(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    radix("bin", args, kw, "0b", 2)
}

fn format(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("format", kw)?;
    args::count("format", args, 1, 2)?;
    let spec = match args.get(1) {
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(other) => {
            return Err(Exc::type_error(format!(
                "format() argument 2 must be str, not {}",
                other.type_name()
            )))
        }
        None => String::new(),
    };
    Ok(Value::string(vm.format(&args[0], &spec)?))
}

fn attr_name<'a>(func: &str, v: &'a Value) -> ToyResult<&'a Arc<crate::objects::StrObj>> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exc::type_error(format!(
            "{func}(): attribute name must be string, not '{}'",
            other.type_name()
        ))),
    }
}

fn getattr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getattr", kw)?;
    args::count("getattr", args, 2, 3)?;
    let name = attr_name("getattr", &args[1])?;
    match vm.get_attr(&args[0], name) {
        Ok(v) => Ok(v),
        Err(e) if args.len() == 3 && e.matches(&types().exceptions.attribute_error) => {
            Ok(args[2].clone())
        }
        Err(e) => Err(e),
    }
}

fn setattr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("setattr", kw)?;
    args::count("setattr", args, 3, 3)?;
    let name = attr_name("setattr", &args[1])?;
    vm.set_attr(&args[0], name, args[2].clone())?;
    Ok(Value::None)
}

fn hasattr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("hasattr", kw)?;
    args::count("hasattr", args, 2, 2)?;
    let name = attr_name("hasattr", &args[1])?;
    match vm.get_attr(&args[0], name) {
        Ok(_) => Ok(Value::Bool(true)),
        Err(e) if e.matches(&types().exceptions.attribute_error) => Ok(Value::Bool(false)),
        Err(e) => Err(e),
    }
}

fn delattr(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("delattr", kw)?;
    args::count("delattr", args, 2, 2)?;
    let name = attr_name("delattr", &args[1])?;
    vm.del_attr(&args[0], name)?;
    Ok(Value::None)
}

fn globals(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("globals", kw)?;
    args::count("globals", args, 0, 0)?;
    match vm.frames.last() {
        Some(f) => Ok(Value::Dict(f.globals().clone())),
        None => Ok(Value::None),
    }
}

/// `vars(obj)`: the object's `__dict__`.
fn vars(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("vars", kw)?;
    args::count("vars", args, 0, 1)?;
    match args.first() {
        None => globals(vm, &[], kw),
        Some(obj) => vm
            .get_attr(
                obj,
                &Arc::new(crate::objects::StrObj::new("__dict__".into())),
            )
            .map_err(|_| Exc::type_error("vars() argument must have __dict__ attribute")),
    }
}

/// `dir(obj)`: sorted attribute names of the object and its class.
fn dir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("dir", kw)?;
    args::count("dir", args, 0, 1)?;
    let mut names: Vec<String> = Vec::new();
    let mut add_names = |keys: Vec<Value>| {
        for k in keys {
            if let Value::Str(s) = k {
                names.push(s.as_str().to_string());
            }
        }
    };
    match args.first() {
        None => {
            if let Some(f) = vm.frames.last() {
                add_names(f.namespace().unwrap_or(f.globals()).keys());
            }
        }
        Some(obj) => {
            match obj {
                Value::Module(m) => add_names(m.dict.keys()),
                Value::Instance(i) => add_names(i.attrs.names()),
                _ => {}
            }
            let class = match obj {
                Value::Type(t) => t.clone(),
                other => other.class().clone(),
            };
            add_names(class.dict.keys());
            for c in &class.mro {
                add_names(c.dict.keys());
            }
        }
    }
    names.sort();
    names.dedup();
    Ok(Value::list(names.into_iter().map(Value::string).collect()))
}
