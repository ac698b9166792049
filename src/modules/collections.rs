//! `_collections`: the containers of `collections` written natively (deque, defaultdict, OrderedDict,
//! namedtuple); `collections.toy` re-exports them beside Counter.

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::args::{self, Kw};
use crate::objects::class::{read_only_property, tuple_field_property};
use crate::objects::constructors::fill_dict;
use crate::objects::function::NativeFn;
use crate::objects::int::index_of;
use crate::objects::slice::normalize_index;
use crate::objects::types::{base_value, Instance, Payload};
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    m.set_str("deque", Value::Type(deque_type().clone()));
    m.set_str("defaultdict", Value::Type(defaultdict_type().clone()));
    m.set_str("OrderedDict", Value::Type(ordered_dict_type().clone()));
    m.set_str(
        "namedtuple",
        Value::Builtin(Arc::new(Builtin::function("namedtuple", namedtuple))),
    );
}

fn builtin(name: &'static str, f: NativeFn) -> Value {
    Value::Builtin(Arc::new(Builtin::function(name, f)))
}

/// A read-only attribute computed by a native function.
fn native_property(f: NativeFn, name: &'static str) -> Value {
    read_only_property(builtin(name, f), Value::None)
}

// ----- deque ------------------------------------------------------------------------------

/// A double-ended queue with an optional maximum length.
struct Deque {
    items: Mutex<VecDeque<Value>>,
    maxlen: Option<usize>,
}

impl Deque {
    /// Add at the right, dropping from the left when full (and the reverse).
    fn push(&self, v: Value, left: bool) {
        let mut items = self.items.lock();
        if self.maxlen == Some(0) {
            return;
        }
        if left {
            items.push_front(v);
        } else {
            items.push_back(v);
        }
        if let Some(max) = self.maxlen {
            while items.len() > max {
                let dropped = if left {
                    items.pop_back()
                } else {
                    items.pop_front()
                };
                drop(dropped);
            }
        }
    }
}

fn deque_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let t = TypeObj::new_native(
            "deque",
            "collections",
            deque_new,
            &[
                ("append", deque_append),
                ("appendleft", deque_appendleft),
                ("pop", deque_pop),
                ("popleft", deque_popleft),
                ("extend", deque_extend),
                ("extendleft", deque_extendleft),
                ("clear", deque_clear),
                ("rotate", deque_rotate),
                ("count", deque_count),
                ("remove", deque_remove),
                ("copy", deque_copy),
                ("__len__", deque_len),
                ("__iter__", deque_iter),
                ("__getitem__", deque_getitem),
                ("__setitem__", deque_setitem),
                ("__contains__", deque_contains),
                ("__repr__", deque_repr),
                ("__eq__", deque_eq),
            ],
        );
        t.set_attr("maxlen", native_property(deque_maxlen, "maxlen"));
        t
    })
}

fn deque_of(v: &Value) -> ToyResult<&Deque> {
    match v {
        Value::Instance(i) => i
            .native_ref::<Deque>()
            .ok_or_else(|| Exc::type_error("descriptor requires a 'collections.deque' object")),
        _ => Err(Exc::type_error(
            "descriptor requires a 'collections.deque' object",
        )),
    }
}

fn deque_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("deque.__new__ needs a type"));
    };
    let [iterable_kw, maxlen_kw] = args::keywords("deque", kw, &["iterable", "maxlen"])?
        .try_into()
        .unwrap_or_default();
    let rest = &args[1..];
    args::count("deque", rest, 0, 2)?;
    let maxlen = match rest.get(1).cloned().or(maxlen_kw) {
        None | Some(Value::None) => None,
        Some(m) => {
            let n = index_of(&m)?;
            if n < 0 {
                return Err(Exc::value_error("maxlen must be non-negative"));
            }
            Some(n as usize)
        }
    };
    let d = Deque {
        items: Mutex::new(VecDeque::new()),
        maxlen,
    };
    if let Some(it) = rest.first().cloned().or(iterable_kw) {
        for v in vm.collect(&it)? {
            d.push(v, false);
        }
    }
    Ok(Instance::native(cls, d))
}

fn deque_append(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("append", kw)?;
    args::count("deque.append", args, 2, 2)?;
    deque_of(&args[0])?.push(args[1].clone(), false);
    Ok(Value::None)
}

fn deque_appendleft(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("appendleft", kw)?;
    args::count("deque.appendleft", args, 2, 2)?;
    deque_of(&args[0])?.push(args[1].clone(), true);
    Ok(Value::None)
}

fn deque_pop(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("pop", kw)?;
    args::count("deque.pop", args, 1, 1)?;
    let v = deque_of(&args[0])?.items.lock().pop_back();
    v.ok_or_else(|| Exc::index_error("pop from an empty deque"))
}

fn deque_popleft(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("popleft", kw)?;
    args::count("deque.popleft", args, 1, 1)?;
    let v = deque_of(&args[0])?.items.lock().pop_front();
    v.ok_or_else(|| Exc::index_error("pop from an empty deque"))
}

fn deque_extend(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("extend", kw)?;
    args::count("deque.extend", args, 2, 2)?;
    let items = vm.collect(&args[1])?;
    let d = deque_of(&args[0])?;
    for v in items {
        d.push(v, false);
    }
    Ok(Value::None)
}

fn deque_extendleft(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("extendleft", kw)?;
    args::count("deque.extendleft", args, 2, 2)?;
    let items = vm.collect(&args[1])?;
    let d = deque_of(&args[0])?;
    for v in items {
        d.push(v, true);
    }
    Ok(Value::None)
}

fn deque_clear(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let old = std::mem::take(&mut *deque_of(&args[0])?.items.lock());
    drop(old);
    Ok(Value::None)
}

fn deque_rotate(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("rotate", kw)?;
    args::count("deque.rotate", args, 1, 2)?;
    let n = match args.get(1) {
        Some(v) => index_of(v)?,
        None => 1,
    };
    let mut items = deque_of(&args[0])?.items.lock();
    let len = items.len() as i64;
    if len > 0 {
        let k = n.rem_euclid(len) as usize;
        items.rotate_right(k);
    }
    Ok(Value::None)
}

fn snapshot(v: &Value) -> ToyResult<Vec<Value>> {
    Ok(deque_of(v)?.items.lock().iter().cloned().collect())
}

fn deque_count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("count", kw)?;
    args::count("deque.count", args, 2, 2)?;
    let mut n = 0;
    for item in snapshot(&args[0])? {
        if vm.eq(&item, &args[1])? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

/// `d.remove(x)`: the first item equal to `x` (identity first, as CPython compares). Items
/// are compared one at a time without holding the deque's lock, which a user `__eq__` may
/// need; if the deque changes size meanwhile, IndexError, as CPython raises.
fn deque_remove(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("remove", kw)?;
    args::count("deque.remove", args, 2, 2)?;
    let d = deque_of(&args[0])?;
    let target = &args[1];
    let len = d.items.lock().len();
    for i in 0..len {
        let item = match d.items.lock().get(i) {
            Some(v) => v.clone(),
            None => break,
        };
        let found = item.is(target) || vm.eq(&item, target)?;
        let mut items = d.items.lock();
        if items.len() != len {
            return Err(Exc::index_error("deque mutated during iteration"));
        }
        if found {
            let removed = items.remove(i);
            drop(items);
            drop(removed);
            return Ok(Value::None);
        }
    }
    Err(Exc::value_error(format!(
        "{} is not in deque",
        vm.repr(target)?
    )))
}

fn deque_copy(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let d = deque_of(&args[0])?;
    let copy = Deque {
        items: Mutex::new(d.items.lock().clone()),
        maxlen: d.maxlen,
    };
    Ok(Instance::native(args[0].class(), copy))
}

fn deque_len(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(deque_of(&args[0])?.items.lock().len() as i64))
}

fn deque_iter(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let items = snapshot(&args[0])?;
    vm.get_iter(&Value::tuple(items))
}

fn deque_index(args: &[Value]) -> ToyResult<(usize, &Deque)> {
    let d = deque_of(&args[0])?;
    let i = index_of(&args[1])?;
    let len = d.items.lock().len();
    let i = normalize_index(i, len).ok_or_else(|| Exc::index_error("deque index out of range"))?;
    Ok((i, d))
}

fn deque_getitem(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("deque.__getitem__", args, 2, 2)?;
    let (i, d) = deque_index(args)?;
    let v = d.items.lock().get(i).cloned();
    v.ok_or_else(|| Exc::index_error("deque index out of range"))
}

fn deque_setitem(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("deque.__setitem__", args, 3, 3)?;
    let (i, d) = deque_index(args)?;
    let old = d
        .items
        .lock()
        .get_mut(i)
        .map(|slot| std::mem::replace(slot, args[2].clone()));
    drop(old);
    Ok(Value::None)
}

fn deque_contains(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("deque.__contains__", args, 2, 2)?;
    for item in snapshot(&args[0])? {
        if vm.eq(&item, &args[1])? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn deque_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let d = deque_of(&args[0])?;
    let inner = vm.repr(&Value::list(snapshot(&args[0])?))?;
    let name = args[0].type_name();
    Ok(Value::string(match d.maxlen {
        Some(m) => format!("{name}({inner}, maxlen={m})"),
        None => format!("{name}({inner})"),
    }))
}

fn deque_eq(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("deque.__eq__", args, 2, 2)?;
    if deque_of(&args[1]).is_err() {
        return Ok(Value::NotImplemented);
    }
    let (a, b) = (snapshot(&args[0])?, snapshot(&args[1])?);
    Ok(Value::Bool(vm.eq(&Value::list(a), &Value::list(b))?))
}

fn deque_maxlen(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let d = deque_of(args.first().unwrap_or(&Value::None))?;
    Ok(d.maxlen.map_or(Value::None, |m| Value::Int(m as i64)))
}

// ----- defaultdict and OrderedDict ----------------------------------------------------------

/// A dict subclass defined here: instances carry a dict as their base value.
fn dict_subclass(name: &str, new: NativeFn, methods: &[(&'static str, NativeFn)]) -> Arc<TypeObj> {
    let t = types();
    let cls = Arc::new(TypeObj::new_user(
        name,
        vec![t.dict.clone()],
        vec![t.dict.clone(), t.object.clone()],
        Arc::new(DictObj::new()),
        None,
    ));
    cls.set_attr("__module__", Value::str("collections"));
    cls.set_attr("__new__", builtin("__new__", new));
    // `__new__` builds and fills the instance; dict's own `__init__` must not refill it.
    cls.add_method("__init__", constructed_in_new);
    for (n, f) in methods {
        cls.add_method(n, *f);
    }
    cls
}

fn constructed_in_new(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::None)
}

fn new_dict_instance(cls: &Arc<TypeObj>) -> (Value, Arc<DictObj>) {
    let d = crate::vm::gc::track(DictObj::new());
    let v = Value::instance(crate::objects::Instance::new(
        cls,
        Payload::Base(Value::Dict(d.clone())),
    ));
    (v, d)
}

fn inner_dict(v: &Value) -> ToyResult<Arc<DictObj>> {
    match base_value(v) {
        Some(Value::Dict(d)) => Ok(d.clone()),
        _ => Err(Exc::type_error("expected a dict subclass instance")),
    }
}

fn defaultdict_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        dict_subclass(
            "defaultdict",
            defaultdict_new,
            &[
                ("__missing__", defaultdict_missing),
                ("__repr__", defaultdict_repr),
                ("copy", defaultdict_copy),
            ],
        )
    })
}

fn defaultdict_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("defaultdict.__new__ needs a type"));
    };
    let rest = &args[1..];
    let factory = rest.first().cloned().unwrap_or(Value::None);
    if !factory.is_none() && !super::builtins::is_callable(&factory) {
        return Err(Exc::type_error("first argument must be callable or None"));
    }
    let (v, d) = new_dict_instance(cls);
    if let Value::Instance(i) = &v {
        i.set_attr_str("default_factory", factory);
    }
    fill_dict(vm, &d, rest.get(1), kw)?;
    Ok(v)
}

fn factory_of(v: &Value) -> Value {
    match v {
        Value::Instance(i) => i.attrs.get_str("default_factory").unwrap_or(Value::None),
        _ => Value::None,
    }
}

fn defaultdict_missing(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("__missing__", args, 2, 2)?;
    let factory = factory_of(&args[0]);
    if factory.is_none() {
        return Err(Exc::key_error(args[1].clone()));
    }
    let value = vm.call(&factory, Vec::new(), Vec::new())?;
    inner_dict(&args[0])?.set_item_in(vm, args[1].clone(), value.clone())?;
    Ok(value)
}

fn defaultdict_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let factory = factory_of(&args[0]);
    let f = vm.repr(&factory)?;
    let d = vm.repr(&Value::Dict(inner_dict(&args[0])?))?;
    Ok(Value::string(format!("{}({f}, {d})", args[0].type_name())))
}

fn defaultdict_copy(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let (v, d) = new_dict_instance(args[0].class());
    for e in inner_dict(&args[0])?.entries() {
        d.set_item_hashed_in(vm, e.hash, e.key, e.value)?;
    }
    if let Value::Instance(i) = &v {
        i.set_attr_str("default_factory", factory_of(&args[0]));
    }
    Ok(v)
}

fn ordered_dict_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        dict_subclass(
            "OrderedDict",
            ordered_dict_new,
            &[
                ("move_to_end", od_move_to_end),
                ("popitem", od_popitem),
                ("__repr__", od_repr),
            ],
        )
    })
}

fn ordered_dict_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("OrderedDict.__new__ needs a type"));
    };
    args::count("OrderedDict", &args[1..], 0, 1)?;
    let (v, d) = new_dict_instance(cls);
    fill_dict(vm, &d, args.get(1), kw)?;
    Ok(v)
}

fn od_move_to_end(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [last_kw] = args::keywords("move_to_end", kw, &["last"])?
        .try_into()
        .unwrap_or_default();
    args::count("move_to_end", args, 2, 3)?;
    let last = match args.get(2).cloned().or(last_kw) {
        Some(v) => vm.truthy(&v)?,
        None => true,
    };
    let d = inner_dict(&args[0])?;
    let Some(value) = d.remove_in(vm, &args[1])? else {
        return Err(Exc::key_error(args[1].clone()));
    };
    if last {
        d.set_item_in(vm, args[1].clone(), value)?;
    } else {
        let rest = d.entries();
        d.clear();
        d.set_item_in(vm, args[1].clone(), value)?;
        for e in rest {
            d.set_item_hashed_in(vm, e.hash, e.key, e.value)?;
        }
    }
    Ok(Value::None)
}

fn od_popitem(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [last_kw] = args::keywords("popitem", kw, &["last"])?
        .try_into()
        .unwrap_or_default();
    let last = match args.get(1).cloned().or(last_kw) {
        Some(v) => vm.truthy(&v)?,
        None => true,
    };
    let d = inner_dict(&args[0])?;
    let items = d.items();
    let pick = if last { items.last() } else { items.first() };
    let Some((k, v)) = pick.cloned() else {
        return Err(Exc::key_error(Value::str("dictionary is empty")));
    };
    d.remove_in(vm, &k)?;
    Ok(Value::tuple(vec![k, v]))
}

fn od_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let d = inner_dict(&args[0])?;
    let name = args[0].type_name();
    if d.is_empty() {
        return Ok(Value::string(format!("{name}()")));
    }
    let pairs: Vec<Value> = d
        .items()
        .into_iter()
        .map(|(k, v)| Value::tuple(vec![k, v]))
        .collect();
    Ok(Value::string(format!(
        "{name}({})",
        vm.repr(&Value::list(pairs))?
    )))
}

// ----- namedtuple ---------------------------------------------------------------------------

/// `namedtuple(typename, field_names, *, defaults=None, rename=False, module=None)`.
fn namedtuple(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [defaults, _rename, module] =
        args::keywords("namedtuple", kw, &["defaults", "rename", "module"])?
            .try_into()
            .unwrap_or_default();
    args::count("namedtuple", args, 2, 2)?;
    let Value::Str(typename) = &args[0] else {
        return Err(Exc::type_error("namedtuple() typename must be a string"));
    };
    let names: Vec<String> = match &args[1] {
        Value::Str(s) => s
            .as_str()
            .replace(',', " ")
            .split_whitespace()
            .map(String::from)
            .collect(),
        other => vm
            .collect(other)?
            .iter()
            .map(|v| vm.to_str(v))
            .collect::<ToyResult<Vec<String>>>()?,
    };
    for n in std::iter::once(typename.as_str().to_string()).chain(names.iter().cloned()) {
        let valid = n
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !valid {
            return Err(Exc::value_error(format!(
                "Type names and field names must be valid identifiers: {}",
                crate::objects::str::repr_str(&n)
            )));
        }
    }
    for (i, n) in names.iter().enumerate() {
        if n.starts_with('_') {
            return Err(Exc::value_error(format!(
                "Field names cannot start with an underscore: '{n}'"
            )));
        }
        if names[..i].contains(n) {
            return Err(Exc::value_error(format!(
                "Encountered duplicate field name: '{n}'"
            )));
        }
    }
    let t = types();
    let cls = Arc::new(TypeObj::new_user(
        typename.as_str(),
        vec![t.tuple.clone()],
        vec![t.tuple.clone(), t.object.clone()],
        Arc::new(DictObj::new()),
        None,
    ));
    let fields = Value::tuple(names.iter().map(|n| Value::str(n)).collect());
    let module = match module {
        Some(m) if !m.is_none() => m,
        _ => vm
            .frames
            .last()
            .and_then(|f| f.globals().get_str("__name__"))
            .unwrap_or(Value::str("__main__")),
    };
    cls.set_attr("__module__", module);
    cls.set_attr("_fields", fields);
    let defaults = match defaults {
        Some(d) if !d.is_none() => vm.collect(&d)?,
        _ => Vec::new(),
    };
    if defaults.len() > names.len() {
        return Err(Exc::type_error("Got more default values than field names"));
    }
    let field_defaults = crate::objects::DictObj::new();
    for (n, d) in names[names.len() - defaults.len()..].iter().zip(&defaults) {
        field_defaults.set_str(n, d.clone());
    }
    cls.set_attr("_field_defaults", Value::dict(field_defaults));
    cls.set_attr("__new__", builtin("__new__", namedtuple_new));
    cls.add_method("__repr__", namedtuple_repr);
    cls.add_method("_asdict", namedtuple_asdict);
    cls.add_method("_replace", namedtuple_replace);
    cls.set_attr(
        "_make",
        Value::instance(crate::objects::Instance::new(
            &t.classmethod,
            Payload::ClassMethod(builtin("_make", namedtuple_make)),
        )),
    );
    for (i, n) in names.iter().enumerate() {
        let qualname = format!("{}.{n}", typename.as_str());
        cls.set_attr(
            n,
            tuple_field_property(
                qualname,
                i,
                Value::string(format!("Alias for field number {i}")),
            ),
        );
    }
    Ok(Value::Type(cls))
}

fn fields_of(cls: &TypeObj) -> Vec<String> {
    match cls.lookup("_fields") {
        Some(Value::Tuple(t)) => t
            .items()
            .iter()
            .map(|v| match v {
                Value::Str(s) => s.as_str().to_string(),
                _ => String::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn tuple_items(v: &Value) -> ToyResult<Vec<Value>> {
    match base_value(v) {
        Some(Value::Tuple(t)) => Ok(t.items().to_vec()),
        _ => Err(Exc::type_error("expected a namedtuple instance")),
    }
}

fn make_instance(cls: &Arc<TypeObj>, items: Vec<Value>) -> Value {
    Value::instance(crate::objects::Instance::new(
        cls,
        Payload::Base(Value::tuple(items)),
    ))
}

fn namedtuple_new(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("__new__ needs a type"));
    };
    let fields = fields_of(cls);
    let defaults = match cls.lookup("_field_defaults") {
        Some(Value::Dict(d)) => d,
        _ => Arc::new(DictObj::new()),
    };
    let given = &args[1..];
    if given.len() > fields.len() {
        return Err(Exc::type_error(format!(
            "{}.__new__() takes {} positional arguments but {} were given",
            cls.name,
            fields.len() + 1,
            given.len() + 1
        )));
    }
    let mut items: Vec<Option<Value>> = given.iter().cloned().map(Some).collect();
    items.resize(fields.len(), None);
    for (k, v) in kw {
        match fields.iter().position(|f| f == k.as_str()) {
            Some(i) if items[i].is_none() => items[i] = Some(v.clone()),
            Some(_) => {
                return Err(Exc::type_error(format!(
                    "{}.__new__() got multiple values for argument '{}'",
                    cls.name,
                    k.as_str()
                )))
            }
            None => {
                return Err(Exc::type_error(format!(
                    "{}.__new__() got an unexpected keyword argument '{}'",
                    cls.name,
                    k.as_str()
                )))
            }
        }
    }
    let mut missing = Vec::new();
    let mut out = Vec::with_capacity(fields.len());
    for (f, item) in fields.iter().zip(items) {
        match item.or_else(|| defaults.get_str(f)) {
            Some(v) => out.push(v),
            None => missing.push(format!("'{f}'")),
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        let plural = if missing.len() == 1 {
            "argument"
        } else {
            "arguments"
        };
        return Err(Exc::type_error(format!(
            "{}.__new__() missing {} required positional {plural}: {list}",
            cls.name,
            missing.len()
        )));
    }
    Ok(make_instance(cls, out))
}

fn namedtuple_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let fields = fields_of(args[0].class());
    let items = tuple_items(&args[0])?;
    let mut parts = Vec::with_capacity(items.len());
    for (f, v) in fields.iter().zip(&items) {
        parts.push(format!("{f}={}", vm.repr(v)?));
    }
    Ok(Value::string(format!(
        "{}({})",
        args[0].class().name,
        parts.join(", ")
    )))
}

fn namedtuple_asdict(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let d = DictObj::new();
    for (f, v) in fields_of(args[0].class())
        .iter()
        .zip(tuple_items(&args[0])?)
    {
        d.set_str(f, v);
    }
    Ok(Value::dict(d))
}

fn namedtuple_replace(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = args[0].class().clone();
    let fields = fields_of(&cls);
    let mut items = tuple_items(&args[0])?;
    for (k, v) in kw {
        match fields.iter().position(|f| f == k.as_str()) {
            Some(i) => items[i] = v.clone(),
            None => {
                return Err(Exc::value_error(format!(
                    "Got unexpected field names: ['{}']",
                    k.as_str()
                )))
            }
        }
    }
    Ok(make_instance(&cls, items))
}

fn namedtuple_make(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("_make", args, 2, 2)?;
    let Value::Type(cls) = &args[0] else {
        return Err(Exc::type_error("_make needs the class"));
    };
    let items = vm.collect(&args[1])?;
    let fields = fields_of(cls);
    if items.len() != fields.len() {
        return Err(Exc::type_error(format!(
            "Expected {} arguments, got {}",
            fields.len(),
            items.len()
        )));
    }
    Ok(make_instance(cls, items))
}
