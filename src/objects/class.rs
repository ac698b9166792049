//! User classes: the `class` statement (`__build_class__`), `type(name, bases, ns)`,
//! metaclasses, C3 method resolution order, `super()`, and the descriptor types
//! `property`, `classmethod` and `staticmethod`.

use std::sync::Arc;

use super::function::NativeFn;
use super::types::{Instance, Payload};
use super::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

/// The state of a `property` object.
pub struct Property {
    pub fget: Value,
    pub fset: Value,
    pub fdel: Value,
    pub doc: Value,
}

pub(crate) fn register(t: &super::types::BuiltinTypes) {
    t.property.set_native_new(property_new);
    t.classmethod.set_native_new(classmethod_new);
    t.staticmethod.set_native_new(staticmethod_new);
    t.super_.set_native_new(super_new);
    t.property.add_method("getter", property_getter);
    t.property.add_method("setter", property_setter);
    t.property.add_method("deleter", property_deleter);
    t.type_.add_method("__call__", type_call);
    t.type_.add_method("__init__", type_init);
    t.type_.add_method("mro", type_mro);
    t.object.add_method("__repr__", object_repr);
    t.object.add_method("__str__", object_str);
    t.object.add_method("__eq__", object_eq);
    t.object.add_method("__ne__", object_ne);
    t.object.add_method("__hash__", object_hash);
    t.object.add_method("__setattr__", object_setattr);
    t.object.add_method("__format__", object_format);
}

/// C3 linearisation of a new class with these bases (the result excludes the class).
pub fn c3_mro(bases: &[Arc<TypeObj>]) -> Result<Vec<Arc<TypeObj>>, String> {
    let mut seqs: Vec<Vec<Arc<TypeObj>>> = bases
        .iter()
        .map(|b| {
            std::iter::once(b.clone())
                .chain(b.mro.iter().cloned())
                .collect()
        })
        .collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        // The first head that appears in no other sequence's tail.
        let candidate = seqs.iter().map(|s| s[0].clone()).find(|head| {
            !seqs
                .iter()
                .any(|s| s[1..].iter().any(|t| Arc::ptr_eq(t, head)))
        });
        let Some(next) = candidate else {
            // Name the classes that could not be placed (the heads left), as CPython does.
            let mut names: Vec<&str> = Vec::new();
            for s in &seqs {
                if !names.contains(&&*s[0].name) {
                    names.push(&s[0].name);
                }
            }
            return Err(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            ));
        };
        for s in seqs.iter_mut() {
            if Arc::ptr_eq(&s[0], &next) {
                s.remove(0);
            }
        }
        out.push(next);
    }
}

/// The most derived metaclass among the explicit one and those of the bases.
fn derive_metaclass(
    explicit: Option<Arc<TypeObj>>,
    bases: &[Arc<TypeObj>],
) -> ToyResult<Arc<TypeObj>> {
    let mut winner = explicit.unwrap_or_else(|| types().type_.clone());
    for b in bases {
        let meta = b.metaclass();
        if winner.is_subtype(meta) {
            continue;
        }
        if meta.is_subtype(&winner) {
            winner = meta.clone();
            continue;
        }
        return Err(Exc::type_error(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// `__build_class__(body, name, *bases, metaclass=..., **kwds)`: run the class body in a
/// fresh namespace, then call the metaclass with (name, bases, namespace).
pub fn build_class(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if args.len() < 2 {
        return Err(Exc::type_error("__build_class__: not enough arguments"));
    }
    let Value::Function(body) = &args[0] else {
        return Err(Exc::type_error("__build_class__: func must be a function"));
    };
    let name = args[1].clone();
    let mut bases = Vec::new();
    for b in &args[2..] {
        match b {
            Value::Type(t) => bases.push(t.clone()),
            other => {
                return Err(Exc::type_error(format!(
                    "bases must be types, not {}",
                    other.type_name()
                )))
            }
        }
    }
    let mut explicit = None;
    let mut meta_value = None;
    let mut other_kw = Vec::new();
    for (k, v) in kw {
        if k.as_str() == "metaclass" {
            match v {
                Value::Type(t) => explicit = Some(t.clone()),
                other => meta_value = Some(other.clone()),
            }
        } else {
            other_kw.push((k.clone(), v.clone()));
        }
    }
    let ns = Arc::new(DictObj::new());
    let cell = vm.run_class_body(body, ns.clone())?;
    let bases_tuple = Value::tuple(bases.iter().map(|b| Value::Type(b.clone())).collect());
    let metaclass = match meta_value {
        Some(callable) => callable,
        None => Value::Type(derive_metaclass(explicit, &bases)?),
    };
    let cls = vm.call(
        &metaclass,
        vec![name, bases_tuple, Value::Dict(ns)],
        other_kw,
    )?;
    if let Value::Cell(c) = cell {
        c.set(cls.clone());
    }
    Ok(cls)
}

/// `type.__new__(mcls, name, bases, ns)`: make the class object.
pub fn new_class(mcls: &Arc<TypeObj>, name: &Value, bases: &Value, ns: &Value) -> ToyResult<Value> {
    let Value::Str(name) = name else {
        return Err(Exc::type_error("type.__new__() argument 1 must be str"));
    };
    let Value::Tuple(bases) = bases else {
        return Err(Exc::type_error("type.__new__() argument 2 must be tuple"));
    };
    let Value::Dict(ns) = ns else {
        return Err(Exc::type_error("type.__new__() argument 3 must be dict"));
    };
    let mut base_types = Vec::new();
    for b in bases.items() {
        match b {
            Value::Type(t) => base_types.push(t.clone()),
            other => {
                return Err(Exc::type_error(format!(
                    "bases must be types, not {}",
                    other.type_name()
                )))
            }
        }
    }
    if base_types.is_empty() {
        base_types.push(types().object.clone());
    }
    for b in &base_types {
        if Arc::ptr_eq(b, &types().bool)
            || Arc::ptr_eq(b, &types().range)
            || Arc::ptr_eq(b, &types().slice)
        {
            return Err(Exc::type_error(format!(
                "type '{}' is not an acceptable base type",
                b.name
            )));
        }
    }
    let mro = c3_mro(&base_types).map_err(Exc::type_error)?;
    let dict = Arc::new(ns.copy());
    // Defining `__eq__` without `__hash__` makes instances unhashable, as in Python.
    if dict.get_str("__eq__").is_some() && dict.get_str("__hash__").is_none() {
        dict.set_str("__hash__", Value::None);
    }
    let metaclass = if Arc::ptr_eq(mcls, &types().type_) {
        None
    } else {
        Some(mcls.clone())
    };
    let cls = TypeObj::new_user(name.as_str(), base_types, mro, dict, metaclass);
    Ok(Value::Type(Arc::new(cls)))
}

fn descriptor(class: &Arc<TypeObj>, payload: Payload) -> Value {
    Value::instance(Instance::new(class, payload))
}

fn property_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let named = args::keywords("property", kw, &["fget", "fset", "fdel", "doc"])?;
    let args = &args[1..];
    args::count("property", args, 0, 4)?;
    let pick = |i: usize| {
        args.get(i)
            .cloned()
            .or_else(|| named[i].clone())
            .unwrap_or(Value::None)
    };
    let fget = pick(0);
    let mut doc = pick(3);
    if doc.is_none() {
        if let Value::Function(f) = &fget {
            doc = f.doc.clone();
        }
    }
    Ok(descriptor(
        &types().property,
        Payload::Property(Box::new(Property {
            fget,
            fset: pick(1),
            fdel: pick(2),
            doc,
        })),
    ))
}

fn property_parts(v: &Value) -> ToyResult<&Property> {
    match v {
        Value::Instance(i) => match &i.payload {
            Payload::Property(p) => Ok(p),
            _ => Err(Exc::type_error("descriptor requires a 'property' object")),
        },
        _ => Err(Exc::type_error("descriptor requires a 'property' object")),
    }
}

/// `prop.getter(f)` / `setter` / `deleter`: a copy with one accessor replaced.
fn property_with(args: &[Value], kw: Kw, which: usize) -> ToyResult<Value> {
    args::no_kwargs("setter", kw)?;
    args::count("property accessor", args, 2, 2)?;
    let p = property_parts(&args[0])?;
    let mut parts = [p.fget.clone(), p.fset.clone(), p.fdel.clone()];
    parts[which] = args[1].clone();
    let [fget, fset, fdel] = parts;
    let doc = p.doc.clone();
    Ok(descriptor(
        &types().property,
        Payload::Property(Box::new(Property {
            fget,
            fset,
            fdel,
            doc,
        })),
    ))
}

fn property_getter(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    property_with(args, kw, 0)
}

fn property_setter(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    property_with(args, kw, 1)
}

fn property_deleter(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    property_with(args, kw, 2)
}

fn classmethod_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("classmethod", kw)?;
    args::count("classmethod", &args[1..], 1, 1)?;
    Ok(descriptor(
        &types().classmethod,
        Payload::ClassMethod(args[1].clone()),
    ))
}

fn staticmethod_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("staticmethod", kw)?;
    args::count("staticmethod", &args[1..], 1, 1)?;
    Ok(descriptor(
        &types().staticmethod,
        Payload::StaticMethod(args[1].clone()),
    ))
}

/// `super()` (from the calling frame's `__class__` cell and first argument) or
/// `super(cls, obj)`.
fn super_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("super", kw)?;
    let args = &args[1..];
    let (this, obj) = match args.len() {
        0 => vm.super_args_from_frame()?,
        2 => match &args[0] {
            Value::Type(t) => (t.clone(), args[1].clone()),
            other => {
                return Err(Exc::type_error(format!(
                    "super() argument 1 must be a type, not {}",
                    other.type_name()
                )))
            }
        },
        _ => return Err(Exc::type_error("super() takes 0 or 2 arguments")),
    };
    let start = match &obj {
        Value::Type(t) if t.is_subtype(&this) => t.clone(),
        other if other.class().is_subtype(&this) => other.class().clone(),
        _ => {
            return Err(Exc::type_error(
                "super(type, obj): obj must be an instance or subtype of type",
            ))
        }
    };
    Ok(descriptor(
        &types().super_,
        Payload::Super(Box::new(super::types::SuperRef { this, obj, start })),
    ))
}

fn type_call(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error(
            "descriptor '__call__' requires a 'type' object",
        ));
    };
    vm.call_type(cls, args[1..].to_vec(), kw.to_vec())
}

fn type_init(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::None)
}

fn type_mro(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("descriptor 'mro' requires a 'type' object"));
    };
    let mut items = vec![Value::Type(cls.clone())];
    items.extend(cls.mro.iter().map(|c| Value::Type(c.clone())));
    Ok(Value::list(items))
}

fn object_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::string(vm.default_repr(&args[0])))
}

fn object_str(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::string(vm.repr(&args[0])?))
}

fn object_eq(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__eq__", args, 2, 2)?;
    Ok(if args[0].is(&args[1]) {
        Value::Bool(true)
    } else {
        Value::NotImplemented
    })
}

fn object_ne(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__ne__", args, 2, 2)?;
    Ok(Value::Bool(!vm.eq(&args[0], &args[1])?))
}

fn object_hash(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__hash__", args, 1, 1)?;
    Ok(Value::Int(match &args[0] {
        // Identity, whatever the class defines (`object.__hash__(self)` in a user
        // `__hash__` must not call that `__hash__` again).
        Value::Instance(_) => super::key::identity_hash(&args[0]),
        other => super::key::hash_value(other)?,
    }))
}

fn object_setattr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__setattr__", args, 3, 3)?;
    let (Value::Instance(inst), Value::Str(name)) = (&args[0], &args[1]) else {
        return Err(Exc::type_error(
            "object.__setattr__ needs an instance and a str",
        ));
    };
    let class_attr = vm.class_lookup(&inst.class, name);
    let hint = crate::objects::dict::PositionHint::default();
    vm.store_past_setattr(&args[0], inst, name, args[2].clone(), class_attr, &hint)?;
    Ok(Value::None)
}

fn object_format(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__format__", args, 2, 2)?;
    match &args[1] {
        Value::Str(s) if s.as_str().is_empty() => Ok(Value::string(vm.to_str(&args[0])?)),
        _ => Err(Exc::type_error(format!(
            "unsupported format string passed to {}.__format__",
            args[0].type_name()
        ))),
    }
}

/// A read-only `property` whose getter is `fget`.
/// Install read-only properties on a native type, each computed by a native getter.
pub fn add_read_only_properties(t: &TypeObj, getters: &[(&'static str, NativeFn)]) {
    for (name, get) in getters {
        let getter = Value::Builtin(Arc::new(Builtin::function(name, *get)));
        t.dict
            .set_str(name, read_only_property(getter, Value::None));
    }
}

pub fn read_only_property(fget: Value, doc: Value) -> Value {
    descriptor(
        &types().property,
        Payload::Property(Box::new(Property {
            fget,
            fset: Value::None,
            fdel: Value::None,
            doc,
        })),
    )
}

/// The property reading item `index` of a tuple-based class's instances (namedtuple
/// fields, `time.struct_time` fields).
pub fn tuple_field_property(qualname: String, index: usize, doc: Value) -> Value {
    let getter = Builtin {
        name: "field",
        qualname,
        func: tuple_field,
        owner: None,
        bound: Some(Value::Int(index as i64)),
    };
    read_only_property(Value::Builtin(Arc::new(getter)), doc)
}

/// The getter behind `tuple_field_property`: called with the bound index, then the instance.
fn tuple_field(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let (Some(Value::Int(i)), Some(obj)) = (args.first(), args.get(1)) else {
        return Err(Exc::type_error("field accessor needs an instance"));
    };
    match super::types::base_value(obj) {
        Some(Value::Tuple(t)) => t
            .items()
            .get(*i as usize)
            .cloned()
            .ok_or_else(|| Exc::index_error("tuple index out of range")),
        _ => Err(Exc::type_error(format!(
            "field accessor does not apply to a '{}' object",
            obj.type_name()
        ))),
    }
}

/// The name `__build_class__` binds in builtins.
pub fn build_class_builtin() -> Value {
    Value::Builtin(Arc::new(Builtin::function("__build_class__", build_class)))
}

/// Name mangling for private names in class bodies (`__x` in class `_Foo` → `_Foo__x`).
pub fn mangle(class_name: &str, name: &str) -> Option<String> {
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return None;
    }
    let stripped = class_name.trim_start_matches('_');
    if stripped.is_empty() {
        return None;
    }
    Some(format!("_{stripped}{name}"))
}
