//! Constructors of the builtin types: what `int(x)`, `list(it)`, `range(n)`, `type(x)`,
//! `enumerate(it)`, `Exception("msg")` ... do. Each is the type's `__new__`.

use std::sync::Arc;

use num_traits::ToPrimitive;

use super::function::NativeFn;
use super::int::{index_of, parse_int, to_bigint};
use super::iter::{IterKind, IterState};
use super::types::BuiltinTypes;
use super::{number, DictObj, Exc, IterObj, RangeObj, SetObj, SliceObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

pub(crate) fn install(t: &BuiltinTypes) {
    t.object.set_native_new(object_new);
    t.object.add_method("__init__", object_init);
    t.int.set_native_new(int_new);
    t.bool.set_native_new(bool_new);
    t.float.set_native_new(float_new);
    t.str.set_native_new(str_new);
    t.bytes.set_native_new(bytes_new);
    t.list.set_native_new(list_new);
    t.list.add_method("__init__", list_init);
    t.dict.add_method("__init__", dict_init);
    t.set.add_method("__init__", set_init);
    t.tuple.set_native_new(tuple_new);
    t.dict.set_native_new(dict_new);
    t.set.set_native_new(set_new_fn);
    t.frozenset.set_native_new(frozenset_new);
    t.range.set_native_new(range_new);
    t.slice.set_native_new(slice_new);
    t.type_.set_native_new(type_new);
    for c in &t.iterators {
        let f: Option<NativeFn> = match &*c.name {
            "enumerate" => Some(enumerate_new),
            "zip" => Some(zip_new),
            "map" => Some(map_new),
            "filter" => Some(filter_new),
            "reversed" => Some(reversed_new),
            _ => None,
        };
        if let Some(f) = f {
            c.set_native_new(f);
        }
    }
    t.exceptions.base_exception.set_native_new(exception_new);
    // Every builtin exception class has its own `__init__`, as in CPython, so that a
    // `super().__init__()` chain through a class with two exception bases (requests'
    // JSONDecodeError: an OSError and a json.JSONDecodeError) stops at the first builtin
    // class instead of running past it into the other base's `__init__`.
    for class in t.exceptions.all() {
        class.add_method("__init__", exception_init);
    }
}

/// The class argument every `__new__` receives first.
/// The value itself for the exact builtin type; for a subclass, an instance of the subclass
/// carrying it.
fn for_class(cls: &Arc<TypeObj>, base: &Arc<TypeObj>, value: Value) -> Value {
    if Arc::ptr_eq(cls, base) {
        return value;
    }
    Value::instance(crate::objects::Instance::new(
        cls,
        super::types::Payload::Base(value),
    ))
}

/// Whether `__new__` was called for a strict subclass (mutable containers then start
/// empty and are filled by `__init__`, as in CPython).
fn is_subclass_call(args: &[Value], base: &Arc<TypeObj>) -> bool {
    matches!(args.first(), Some(Value::Type(t)) if !Arc::ptr_eq(t, base))
}

fn cls_arg(args: &[Value]) -> ToyResult<&Arc<TypeObj>> {
    match args.first() {
        Some(Value::Type(t)) => Ok(t),
        _ => Err(Exc::type_error(
            "__new__ needs a type as its first argument",
        )),
    }
}

fn object_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    if cls.is_builtin && !Arc::ptr_eq(cls, &super::types().object) {
        return Err(Exc::type_error(format!(
            "object.__new__({}) is not safe",
            cls.name
        )));
    }
    // Arguments are for `__init__`; without one of its own the class takes none.
    new_plain_instance(
        cls,
        cls.lookup("__init__").as_ref(),
        args.len() > 1 || !kw.is_empty(),
    )
}

/// Whether `v` is `object.__new__` (which `call_type` inlines for user classes).
pub fn is_object_new(v: &Value) -> bool {
    static OBJECT_NEW: std::sync::OnceLock<Option<Value>> = std::sync::OnceLock::new();
    let object_new = OBJECT_NEW.get_or_init(|| super::types().object.dict.get_str("__new__"));
    matches!((v, object_new), (Value::Builtin(a), Some(Value::Builtin(b))) if Arc::ptr_eq(a, b))
}

/// `object.__new__(cls, *args)` without the call: the new instance of a user class, or the
/// TypeError for arguments that no `__init__` of its own takes. `init` is the class's
/// `__init__`.
pub fn new_plain_instance(
    cls: &Arc<TypeObj>,
    init: Option<&Value>,
    has_args: bool,
) -> ToyResult<Value> {
    let own_init = init.is_some_and(|i| !matches!(i, Value::Builtin(_)));
    if has_args && !own_init {
        return Err(Exc::type_error(format!(
            "{}() takes no arguments",
            cls.name
        )));
    }
    Ok(Value::instance(crate::objects::Instance::new(
        cls,
        super::types::Payload::Plain,
    )))
}

fn object_init(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::None)
}

fn int_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    let v = int_value(vm, args, kw)?;
    Ok(for_class(cls, &super::types().int, v))
}

fn int_value(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [base_kw] = args::keywords("int", kw, &["base"])?
        .try_into()
        .unwrap_or_default();
    let args = &args[1..];
    args::count("int", args, 0, 2)?;
    let base = args.get(1).cloned().or(base_kw);
    let Some(x) = args.first() else {
        return Ok(Value::Int(0));
    };
    if let Some(base) = base {
        let b = index_of(&base)?;
        if b != 0 && !(2..=36).contains(&b) {
            return Err(Exc::value_error("int() base must be >= 2 and <= 36, or 0"));
        }
        let x = super::types::base_value(x).unwrap_or(x);
        if let Value::Bytes(data) = x {
            return int_from_ascii(data, b as u32);
        }
        let Value::Str(s) = x else {
            return Err(Exc::type_error(
                "int() can't convert non-string with explicit base",
            ));
        };
        return parse_int(s.as_str(), b as u32)
            .map(Value::from_bigint)
            .ok_or_else(|| {
                Exc::value_error(format!(
                    "invalid literal for int() with base {b}: {}",
                    super::str::repr_str(s.as_str())
                ))
            });
    }
    match x {
        Value::Int(_) | Value::BigInt(_) => Ok(x.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => {
            if f.is_nan() {
                return Err(Exc::value_error("cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(Exc::overflow("cannot convert float infinity to integer"));
            }
            Ok(number::float_to_int(f.trunc()))
        }
        Value::Bytes(data) => int_from_ascii(data, 10),
        Value::Str(s) => parse_int(s.as_str(), 10)
            .map(Value::from_bigint)
            .ok_or_else(|| {
                Exc::value_error(format!(
                    "invalid literal for int() with base 10: {}",
                    super::str::repr_str(s.as_str())
                ))
            }),
        other => {
            for name in ["__int__", "__index__"] {
                if let Some(m) = vm.lookup_special(other, name) {
                    return vm.call(&m, vec![other.clone()], Vec::new());
                }
            }
            // An instance of a subclass of int, float, str or bytes that does not define
            // `__int__` converts as the builtin value inside it.
            if let Some(inner) = super::types::base_value(other) {
                let inner = inner.clone();
                return int_value(vm, &[Value::None, inner], &[]);
            }
            Err(Exc::type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                other.type_name()
            )))
        }
    }
}

/// `int(b'...', base)`: the bytes are read as ASCII text.
fn int_from_ascii(data: &[u8], base: u32) -> ToyResult<Value> {
    std::str::from_utf8(data)
        .ok()
        .filter(|_| data.is_ascii())
        .and_then(|text| parse_int(text, base))
        .map(Value::from_bigint)
        .ok_or_else(|| {
            Exc::value_error(format!(
                "invalid literal for int() with base {base}: {}",
                super::bytes::repr_bytes(data)
            ))
        })
}

fn bool_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("bool", kw)?;
    let args = &args[1..];
    args::count("bool", args, 0, 1)?;
    match args.first() {
        Some(v) => Ok(Value::Bool(vm.truthy(v)?)),
        None => Ok(Value::Bool(false)),
    }
}

/// Parse a float literal as `float()` accepts it.
pub fn parse_float(text: &str) -> Option<f64> {
    let s = text.trim();
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let negative = lower.starts_with('-');
    let special = match unsigned {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        if lower.len() - unsigned.len() > 1 {
            return None;
        }
        return Some(if negative { -v } else { v });
    }
    if s.is_empty() || s.starts_with('_') || s.ends_with('_') || s.contains("__") {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    if !clean
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    clean.parse::<f64>().ok()
}

fn float_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    let v = float_value(vm, args, kw)?;
    Ok(for_class(cls, &super::types().float, v))
}

fn float_value(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("float", kw)?;
    let args = &args[1..];
    args::count("float", args, 0, 1)?;
    let Some(x) = args.first() else {
        return Ok(Value::Float(0.0));
    };
    match x {
        Value::Float(_) => Ok(x.clone()),
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Bool(b) => Ok(Value::Float(*b as i64 as f64)),
        Value::BigInt(b) => Ok(Value::Float(number::int_to_f64(b)?)),
        Value::Bytes(data) => std::str::from_utf8(data)
            .ok()
            .filter(|_| data.is_ascii())
            .and_then(parse_float)
            .map(Value::Float)
            .ok_or_else(|| {
                Exc::value_error(format!(
                    "could not convert string to float: {}",
                    super::bytes::repr_bytes(data)
                ))
            }),
        Value::Str(s) => parse_float(s.as_str()).map(Value::Float).ok_or_else(|| {
            Exc::value_error(format!(
                "could not convert string to float: {}",
                super::str::repr_str(s.as_str())
            ))
        }),
        other => {
            if let Some(m) = vm.lookup_special(other, "__float__") {
                return vm.call(&m, vec![other.clone()], Vec::new());
            }
            // An instance of a subclass of float, int, str or bytes that does not define
            // `__float__` converts as the builtin value inside it.
            if let Some(inner) = super::types::base_value(other) {
                let inner = inner.clone();
                return float_value(vm, &[Value::None, inner], &[]);
            }
            Err(Exc::type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                other.type_name()
            )))
        }
    }
}

fn str_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    let v = str_value(vm, args, kw)?;
    Ok(for_class(cls, &super::types().str, v))
}

fn str_value(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    // `str(x)`, by far the most common call: no keyword to sort out.
    if let ([_cls, x], true) = (args, kw.is_empty()) {
        return vm.str_of(x);
    }
    let [object_kw, encoding, errors] =
        args::keywords("str", kw, &["object", "encoding", "errors"])?
            .try_into()
            .unwrap_or_default();
    let args = &args[1..];
    args::count("str", args, 0, 3)?;
    let Some(x) = args.first().cloned().or(object_kw) else {
        return Ok(Value::str(""));
    };
    if let (Value::Bytes(b), true) = (&x, args.len() > 1 || encoding.is_some() || errors.is_some())
    {
        let (encoding, errors) = super::codec::encoding_args(
            "str",
            args.get(1).or(encoding.as_ref()),
            args.get(2).or(errors.as_ref()),
        )?;
        return Ok(Value::string(super::codec::decode(b, encoding, errors)?));
    }
    if let Value::Str(_) = x {
        return Ok(x);
    }
    Ok(Value::string(vm.to_str(&x)?))
}

fn bytes_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    let [source_kw, encoding, errors] =
        args::keywords("bytes", kw, &["source", "encoding", "errors"])
            .map_err(|_| bad_bytes_keyword(kw))?
            .try_into()
            .unwrap_or_default();
    let args = &args[1..];
    if args.len() + kw.len() > 3 {
        return Err(Exc::type_error(format!(
            "bytes() takes at most 3 arguments ({} given)",
            args.len() + kw.len()
        )));
    }
    // Positional arguments fill `source, encoding, errors` in order.
    let source = args.first().cloned().or(source_kw);
    let encoding = args.get(1).cloned().or(encoding);
    let errors = args.get(2).cloned().or(errors);
    let data = super::bytes::from_source(vm, source.as_ref(), encoding.as_ref(), errors.as_ref())?;
    Ok(for_class(cls, &super::types().bytes, Value::bytes(data)))
}

/// CPython's message for an unknown keyword of `bytes()`.
fn bad_bytes_keyword(kw: Kw) -> Exc {
    let name = kw
        .iter()
        .map(|(k, _)| k.as_str())
        .find(|k| !["source", "encoding", "errors"].contains(k))
        .unwrap_or("");
    Exc::type_error(format!(
        "'{name}' is an invalid keyword argument for bytes()"
    ))
}

fn list_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let list_type = &super::types().list;
    if is_subclass_call(args, list_type) {
        return Ok(for_class(
            cls_arg(args)?,
            list_type,
            Value::list(Vec::new()),
        ));
    }
    args::no_kwargs("list", kw)?;
    let args = &args[1..];
    args::count("list", args, 0, 1)?;
    match args.first() {
        Some(v) => Ok(Value::list(vm.collect(v)?)),
        None => Ok(Value::list(Vec::new())),
    }
}

fn tuple_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    let v = tuple_value(vm, args, kw)?;
    Ok(for_class(cls, &super::types().tuple, v))
}

fn tuple_value(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("tuple", kw)?;
    let args = &args[1..];
    args::count("tuple", args, 0, 1)?;
    match args.first() {
        Some(v @ Value::Tuple(_)) => Ok(v.clone()),
        Some(v) => Ok(Value::tuple(vm.collect(v)?)),
        None => Ok(Value::tuple(Vec::new())),
    }
}

/// `list.__init__(self, iterable=())`: for subclasses, which start empty.
fn list_init(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("list", kw)?;
    args::count("list", &args[1..], 0, 1)?;
    let Value::List(l) = &args[0] else {
        return Err(Exc::type_error(
            "descriptor '__init__' requires a 'list' object",
        ));
    };
    let items = match args.get(1) {
        Some(v) => vm.collect(v)?,
        None => Vec::new(),
    };
    l.replace(items);
    Ok(Value::None)
}

/// `dict.__init__(self, [src], **kw)`: for subclasses, which start empty.
fn dict_init(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::count("dict", &args[1..], 0, 1)?;
    let Value::Dict(d) = &args[0] else {
        return Err(Exc::type_error(
            "descriptor '__init__' requires a 'dict' object",
        ));
    };
    fill_dict(vm, d, args.get(1), kw)?;
    Ok(Value::None)
}

/// `set.__init__(self, iterable=())`: for subclasses, which start empty.
fn set_init(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("set", kw)?;
    args::count("set", &args[1..], 0, 1)?;
    let Value::Set(s) = &args[0] else {
        return Err(Exc::type_error(
            "descriptor '__init__' requires a 'set' object",
        ));
    };
    s.clear();
    if let Some(v) = args.get(1) {
        let values = vm.collect(v)?;
        s.update_values(vm, values)?;
    }
    Ok(Value::None)
}

/// `dict()`, `dict(mapping)`, `dict(pairs)`, plus keyword items.
fn dict_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let dict_type = &super::types().dict;
    if is_subclass_call(args, dict_type) {
        return Ok(for_class(
            cls_arg(args)?,
            dict_type,
            Value::dict(DictObj::new()),
        ));
    }
    let args = &args[1..];
    args::count("dict", args, 0, 1)?;
    let d = DictObj::new();
    fill_dict(vm, &d, args.first(), kw)?;
    Ok(Value::dict(d))
}

/// What `dict(src, **kw)` puts in a new dict: the items of `src` (if given), then the
/// keyword items. Shared by `dict()`, `dict.__init__` and the dict subclasses of modules.
pub fn fill_dict(vm: &mut Vm, d: &DictObj, src: Option<&Value>, kw: Kw) -> ToyResult<()> {
    if let Some(src) = src {
        dict_update_from(vm, d, src)?;
    }
    for (k, v) in kw {
        d.set_item_in(vm, Value::Str(k.clone()), v.clone())?;
    }
    Ok(())
}

/// Fill `d` from a mapping or an iterable of pairs (shared by `dict()` and `dict.update`).
pub fn dict_update_from(vm: &mut Vm, d: &DictObj, src: &Value) -> ToyResult<()> {
    if let Value::Dict(other) = src {
        // CPython's `dict_merge` reuses the hashes an exact dict stored.
        for e in other.entries() {
            d.set_item_hashed_in(vm, e.hash, e.key, e.value)?;
        }
        return Ok(());
    }
    let is_mapping = matches!(src, Value::Dict(_))
        || matches!(src, Value::Instance(_)) && src.class().lookup("keys").is_some();
    if is_mapping {
        for (k, v) in vm.mapping_items(src)? {
            d.set_item_in(vm, k, v)?;
        }
        return Ok(());
    }
    let items = vm.collect(src)?;
    for (i, item) in items.iter().enumerate() {
        let pair = vm.collect(item).map_err(|_| {
            Exc::type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        if pair.len() != 2 {
            return Err(Exc::value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        let mut it = pair.into_iter();
        if let (Some(k), Some(v)) = (it.next(), it.next()) {
            d.set_item_in(vm, k, v)?;
        }
    }
    Ok(())
}

fn set_from(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, frozen: bool) -> ToyResult<Value> {
    let set_type = &super::types().set;
    if !frozen && is_subclass_call(args, set_type) {
        return Ok(for_class(
            cls_arg(args)?,
            set_type,
            Value::set(SetObj::new(false)),
        ));
    }
    args::no_kwargs(name, kw)?;
    let args = &args[1..];
    args::count(name, args, 0, 1)?;
    let s = match args.first() {
        Some(Value::Set(other)) if frozen && other.frozen => return Ok(args[0].clone()),
        Some(Value::Set(other)) => other.copy(frozen),
        Some(Value::Dict(d)) => {
            let s = SetObj::new(frozen);
            s.update_from_dict_keys(vm, d.keys_hashed())?;
            s
        }
        Some(v) => {
            let values = vm.collect(v)?;
            SetObj::from_values_in(vm, frozen, values)?
        }
        None => SetObj::new(frozen),
    };
    Ok(Value::set(s))
}

fn set_new_fn(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    set_from(vm, args, kw, "set", false)
}

fn frozenset_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    set_from(vm, args, kw, "frozenset", true)
}

fn range_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("range", kw)?;
    let args = &args[1..];
    if args.is_empty() {
        return Err(Exc::type_error("range expected at least 1 argument, got 0"));
    }
    args::count("range", args, 1, 3)?;
    let int = |v: &Value| -> ToyResult<i64> {
        match v {
            Value::BigInt(_) => Err(Exc::overflow(
                "range() arguments beyond 64 bits are not supported in toy",
            )),
            other => index_of(other),
        }
    };
    let (start, stop, step) = match args.len() {
        1 => (0, int(&args[0])?, 1),
        2 => (int(&args[0])?, int(&args[1])?, 1),
        _ => (int(&args[0])?, int(&args[1])?, int(&args[2])?),
    };
    if step == 0 {
        return Err(Exc::value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(Arc::new(RangeObj { start, stop, step })))
}

fn slice_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("slice", kw)?;
    let args = &args[1..];
    args::count("slice", args, 1, 3)?;
    let (start, stop, step) = match args.len() {
        1 => (Value::None, args[0].clone(), Value::None),
        2 => (args[0].clone(), args[1].clone(), Value::None),
        _ => (args[0].clone(), args[1].clone(), args[2].clone()),
    };
    Ok(Value::Slice(Arc::new(SliceObj { start, stop, step })))
}

/// `type(x)` returns the class; `type(name, bases, ns)` (and metaclasses' `__new__`)
/// makes one.
fn type_new(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let mcls = cls_arg(args)?;
    let args = &args[1..];
    match args.len() {
        1 if Arc::ptr_eq(mcls, &super::types().type_) => Ok(Value::Type(args[0].class().clone())),
        3 => super::class::new_class(mcls, &args[0], &args[1], &args[2]),
        _ => Err(Exc::type_error("type() takes 1 or 3 arguments")),
    }
}

fn enumerate_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [iterable_kw, start_kw] = args::keywords("enumerate", kw, &["iterable", "start"])?
        .try_into()
        .unwrap_or_default();
    let args = &args[1..];
    args::count("enumerate", args, 0, 2)?;
    let Some(iterable) = args.first().cloned().or(iterable_kw) else {
        return Err(Exc::type_error(
            "enumerate() missing required argument 'iterable' (pos 1)",
        ));
    };
    let start = match args.get(1).cloned().or(start_kw) {
        Some(s) => to_bigint(&s).and_then(|b| b.to_i64()).ok_or_else(|| {
            Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                s.type_name()
            ))
        })?,
        None => 0,
    };
    let inner = vm.get_iter(&iterable)?;
    Ok(IterObj::value(
        IterKind::Enumerate,
        IterState::Enumerate {
            inner,
            count: start,
        },
    ))
}

fn zip_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [strict] = args::keywords("zip", kw, &["strict"])?
        .try_into()
        .unwrap_or_default();
    let strict = match strict {
        Some(s) => vm.truthy(&s)?,
        None => false,
    };
    let mut iters = Vec::new();
    for (i, a) in args[1..].iter().enumerate() {
        iters.push(vm.get_iter(a).map_err(|_| {
            Exc::type_error(format!("zip argument #{} must support iteration", i + 1))
        })?);
    }
    Ok(IterObj::value(
        IterKind::Zip,
        IterState::Zip { iters, strict },
    ))
}

fn map_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("map", kw)?;
    let args = &args[1..];
    if args.len() < 2 {
        return Err(Exc::type_error("map() must have at least two arguments."));
    }
    let mut iters = Vec::new();
    for a in &args[1..] {
        iters.push(vm.get_iter(a)?);
    }
    Ok(IterObj::value(
        IterKind::Map,
        IterState::Map {
            func: args[0].clone(),
            iters,
        },
    ))
}

fn filter_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("filter", kw)?;
    let args = &args[1..];
    args::count("filter", args, 2, 2)?;
    let inner = vm.get_iter(&args[1])?;
    Ok(IterObj::value(
        IterKind::Filter,
        IterState::Filter {
            func: args[0].clone(),
            inner,
        },
    ))
}

fn reversed_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("reversed", kw)?;
    let args = &args[1..];
    args::count("reversed", args, 1, 1)?;
    let seq = &args[0];
    match seq {
        Value::List(l) => Ok(IterObj::value(
            IterKind::ListReverse,
            IterState::SeqReverse {
                seq: seq.clone(),
                index: l.len(),
            },
        )),
        Value::Tuple(t) => Ok(IterObj::value(
            IterKind::Reversed,
            IterState::SeqReverse {
                seq: seq.clone(),
                index: t.len(),
            },
        )),
        Value::Bytes(b) => Ok(IterObj::value(
            IterKind::Reversed,
            IterState::SeqReverse {
                seq: seq.clone(),
                index: b.len(),
            },
        )),
        Value::Str(s) => {
            let chars: Vec<Value> = s
                .as_str()
                .chars()
                .map(|c| Value::string(c.to_string()))
                .collect();
            let n = chars.len();
            Ok(IterObj::value(
                IterKind::Reversed,
                IterState::SeqReverse {
                    seq: Value::tuple(chars),
                    index: n,
                },
            ))
        }
        Value::Range(r) => {
            let n = r.len();
            let (start, step) = if n == 0 {
                (r.start, 1)
            } else {
                (r.item(n - 1), -r.step)
            };
            let stop = start.saturating_add(step.saturating_mul(n as i64));
            Ok(IterObj::value(
                IterKind::Range,
                IterState::Range {
                    next: start,
                    stop,
                    step,
                },
            ))
        }
        Value::Dict(d) => {
            let keys = d.keys();
            let n = keys.len();
            Ok(IterObj::value(
                IterKind::Reversed,
                IterState::SeqReverse {
                    seq: Value::tuple(keys),
                    index: n,
                },
            ))
        }
        // Dict views, newest entry first (a snapshot, like the dict's own reversed()).
        Value::Iter(it) if it.is_view() => {
            let items = vm.collect(seq)?;
            let n = items.len();
            Ok(IterObj::value(
                IterKind::Reversed,
                IterState::SeqReverse {
                    seq: Value::tuple(items),
                    index: n,
                },
            ))
        }
        other => {
            if let Some(m) = vm.lookup_special(other, "__reversed__") {
                return vm.call(&m, vec![other.clone()], Vec::new());
            }
            if vm.lookup_special(other, "__len__").is_some()
                && vm.lookup_special(other, "__getitem__").is_some()
            {
                let n = vm.len(other)?;
                let mut items = Vec::with_capacity(n);
                for i in 0..n {
                    items.push(vm.get_item(other, &Value::Int(i as i64))?);
                }
                return Ok(IterObj::value(
                    IterKind::Reversed,
                    IterState::SeqReverse {
                        seq: Value::tuple(items),
                        index: n,
                    },
                ));
            }
            Err(Exc::type_error(format!(
                "'{}' object is not reversible",
                other.type_name()
            )))
        }
    }
}

fn exception_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = cls_arg(args)?;
    // Keyword arguments are for a subclass's own `__init__`.
    let own_init = cls
        .lookup("__init__")
        .is_some_and(|i| !matches!(&i, Value::Builtin(_)));
    if !kw.is_empty() && !own_init {
        return Err(Exc::type_error(format!(
            "{}() takes no keyword arguments",
            cls.name
        )));
    }
    // `OSError(2, 'msg')` makes a `FileNotFoundError`, as in CPython (only for `OSError`
    // itself: a subclass keeps its class).
    let mut cls = cls;
    if Arc::ptr_eq(cls, &super::types().exceptions.os_error) && (3..=6).contains(&args.len()) {
        if let Value::Int(errno) = args[1] {
            cls = super::exception::os_error_class_for(errno);
        }
    }
    Ok(super::exception::new_exception_instance(
        cls,
        Value::tuple(args[1..].to_vec()),
    ))
}

fn exception_init(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let Some((this, rest)) = args.split_first() else {
        return Err(Exc::type_error(
            "descriptor '__init__' of 'BaseException' object needs an argument",
        ));
    };
    let class = this.class().clone();
    if let Some(mut st) = super::exception::exception_state(this) {
        st.set_args(&class, Value::tuple(rest.to_vec()));
    }
    Ok(Value::None)
}
