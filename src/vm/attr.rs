//! Attribute access: `obj.name` for every kind of value, and the method lookup that lets
//! `obj.method(args)` skip building a bound method.

use std::sync::Arc;

use super::Vm;
use crate::compile::code::NameHints;
use crate::objects::types::{ClassStamp, Payload};
use crate::objects::{types, BoundMethod, Exc, StrObj, ToyResult, TypeObj, Value};

impl Vm {
    /// `cls.lookup(name)` through the per-thread method cache (`vm::class_cache`).
    #[inline]
    pub fn class_lookup(&self, cls: &Arc<TypeObj>, name: &Arc<StrObj>) -> Option<Value> {
        super::class_cache::class_lookup(cls, name)
    }

    /// Bind a function found on a class to its receiver.
    pub fn bind(&self, func: Value, receiver: Value) -> Value {
        match &func {
            Value::Function(_) => BoundMethod::new_value(receiver, func),
            Value::Builtin(b) if b.is_method() => BoundMethod::new_value(receiver, func),
            _ => func,
        }
    }

    /// `obj.name` for a `LoadAttr` instruction, whose code object keeps `hint` for the
    /// name. A module's attribute is found in its namespace through the hint. A plain
    /// instance whose class holds nothing or a function under the name (no descriptor that
    /// could take precedence) is answered from its `__dict__` through the hint; everything
    /// else takes `get_attr`.
    #[inline]
    pub fn load_attr(
        &mut self,
        obj: &Value,
        name: &Arc<StrObj>,
        hints: &NameHints,
    ) -> ToyResult<Value> {
        if let Value::Module(m) = obj {
            if let Some(v) = m.dict.get_name_hinted(name, &hints.attr) {
                return Ok(v);
            }
        }
        if let Value::Instance(inst) = obj {
            if attributes_in_dict_only(&inst.payload) {
                // `push_instance_attr` reads the class hint; this is where it is set.
                let stamp = ClassStamp::of(&inst.class);
                let class_attr = self.class_lookup(&inst.class, name);
                if class_attr.is_none() {
                    hints.load_class.remember(stamp);
                }
                if matches!(class_attr, None | Some(Value::Function(_))) {
                    self.check_not_freed(inst, obj, "loading attribute", name.as_str());
                    if let Some(v) = inst.attrs.get_name_hinted(name, &hints.attr) {
                        return Ok(v);
                    }
                    if let Some(f) = class_attr {
                        return Ok(BoundMethod::new_value(obj.clone(), f));
                    }
                }
            }
        }
        self.get_attr(obj, name)
    }

    /// `load_attr`, the value pushed onto the stack (the `LoadAttr` instructions).
    #[inline]
    pub(crate) fn push_attr(
        &mut self,
        obj: &Value,
        name: &Arc<StrObj>,
        hints: &NameHints,
    ) -> ToyResult<()> {
        if !self.push_instance_attr(obj, name, hints) {
            let v = self.load_attr(obj, name, hints)?;
            self.stack.push(v);
        }
        Ok(())
    }

    /// `load_attr` for a plain instance's own attribute under a class hint that still
    /// holds: the value is pushed straight onto the stack (a returned `Value` would travel
    /// through a temporary, and reloading it stalls). False when `load_attr` must answer.
    #[inline]
    fn push_instance_attr(&mut self, obj: &Value, name: &Arc<StrObj>, hints: &NameHints) -> bool {
        if let Value::Instance(inst) = obj {
            if attributes_in_dict_only(&inst.payload) && hints.load_class.holds(&inst.class) {
                self.check_not_freed(inst, obj, "loading attribute", name.as_str());
                return inst
                    .attrs
                    .push_name_hinted(name, &hints.attr, &mut self.stack);
            }
        }
        false
    }

    /// `obj.name`.
    pub fn get_attr(&mut self, obj: &Value, name: &Arc<StrObj>) -> ToyResult<Value> {
        let n = name.as_str();
        match obj {
            Value::Module(m) => {
                if let Some(v) = m.dict.get_str(n) {
                    return Ok(v);
                }
                if n == "__dict__" {
                    return Ok(Value::Dict(m.dict.clone()));
                }
                return Err(Exc::attribute_error(format!(
                    "module '{}' has no attribute '{n}'",
                    m.name
                )));
            }
            Value::Instance(inst) => {
                self.check_not_freed(inst, obj, "loading attribute", n);
                if let Payload::Super(sup) = &inst.payload {
                    return self.super_attr(&sup.this, &sup.obj, &sup.start, name);
                }
                let cls = obj.class().clone();
                let class_attr = self.class_lookup(&cls, name);
                if let Some(attr) = &class_attr {
                    if let Some(v) = self.data_descriptor_get(attr, obj)? {
                        return Ok(v);
                    }
                }
                if let Some(v) = inst.attrs.get_name(name) {
                    return Ok(v);
                }
                match &inst.payload {
                    Payload::Exception(_) => {
                        if let Some(v) = exception_attr(obj, n) {
                            return Ok(v);
                        }
                    }
                    Payload::Property(p) => match n {
                        "fget" => return Ok(p.fget.clone()),
                        "fset" => return Ok(p.fset.clone()),
                        "fdel" => return Ok(p.fdel.clone()),
                        "__doc__" => return Ok(p.doc.clone()),
                        _ => {}
                    },
                    Payload::ClassMethod(f) | Payload::StaticMethod(f) if n == "__func__" => {
                        return Ok(f.clone())
                    }
                    _ => {}
                }
                if n == "__dict__" {
                    return Ok(Value::Dict(inst.attrs.dict()));
                }
                if n == "__class__" {
                    return Ok(Value::Type(obj.class().clone()));
                }
                if let Some(attr) = class_attr {
                    let cls = obj.class().clone();
                    return self.bind_descriptor(attr, obj, &cls);
                }
                if let Some(getattr) = self.class_lookup(&cls, &names().getattr) {
                    return self.call(
                        &getattr,
                        vec![obj.clone(), Value::Str(name.clone())],
                        Vec::new(),
                    );
                }
                return Err(Exc::attribute_error(format!(
                    "'{}' object has no attribute '{n}'",
                    obj.type_name()
                )));
            }
            Value::Type(t) => {
                if let Some(v) = self.class_lookup(t, name) {
                    return self.class_descriptor_get(v, t);
                }
                if let Some(v) = type_attr(t, n) {
                    return Ok(v);
                }
                // Methods of the metaclass bind to the class.
                if let Some(v) = t.metaclass().lookup(n) {
                    let meta = t.metaclass().clone();
                    return self.bind_descriptor(v, obj, &meta);
                }
                return Err(Exc::attribute_error(format!(
                    "type object '{}' has no attribute '{n}'",
                    t.name
                )));
            }
            Value::Function(f) => {
                match n {
                    "__name__" => return Ok(Value::str(&f.name.lock())),
                    "__qualname__" => return Ok(Value::str(&f.qualname)),
                    "__doc__" => return Ok(f.doc.clone()),
                    "__code__" => return Ok(Value::Code(f.code.clone())),
                    "__globals__" => return Ok(Value::Dict(f.globals.clone())),
                    "__dict__" => return Ok(Value::Dict(f.dict.clone())),
                    "__module__" => {
                        return Ok(f.globals.get_str("__name__").unwrap_or(Value::None))
                    }
                    "__defaults__" => {
                        return Ok(if f.defaults.is_empty() {
                            Value::None
                        } else {
                            Value::tuple(f.defaults.clone())
                        })
                    }
                    _ => {}
                }
                if let Some(v) = f.dict.get_str(n) {
                    return Ok(v);
                }
            }
            Value::Builtin(b) => match n {
                "__name__" => return Ok(Value::str(b.name)),
                "__qualname__" => return Ok(Value::str(&b.qualname)),
                "__self__" => return Ok(b.bound.clone().unwrap_or(Value::None)),
                _ => {}
            },
            Value::BoundMethod(bm) => match n {
                "__self__" => return Ok(bm.receiver.clone()),
                "__func__" => return Ok(bm.func.clone()),
                _ => return self.get_attr(&bm.func, name),
            },
            Value::Range(r) => match n {
                "start" => return Ok(Value::Int(r.start)),
                "stop" => return Ok(Value::Int(r.stop)),
                "step" => return Ok(Value::Int(r.step)),
                _ => {}
            },
            Value::Slice(s) => match n {
                "start" => return Ok(s.start.clone()),
                "stop" => return Ok(s.stop.clone()),
                "step" => return Ok(s.step.clone()),
                _ => {}
            },
            Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => match n {
                "real" | "numerator" => {
                    return Ok(crate::objects::int::to_bigint(obj)
                        .map(Value::from_bigint)
                        .unwrap_or(Value::Int(0)))
                }
                "imag" => return Ok(Value::Int(0)),
                "denominator" => return Ok(Value::Int(1)),
                _ => {}
            },
            Value::Float(f) => match n {
                "real" => return Ok(Value::Float(*f)),
                "imag" => return Ok(Value::Float(0.0)),
                _ => {}
            },
            Value::Generator(g) => match n {
                "__name__" => return Ok(crate::objects::generator::gen_name(g)),
                "__qualname__" => return Ok(Value::str(&g.qualname)),
                "gi_running" | "cr_running" => return Ok(Value::Bool(g.is_running())),
                "gi_code" | "cr_code" => return Ok(Value::Code(g.code.clone())),
                // Toy has no frame objects; the line a suspended generator resumes at
                // stands in for `gi_frame.f_lineno` (None once finished).
                "gi_lineno" | "cr_lineno" => {
                    return Ok(g
                        .suspended_line()
                        .map_or(Value::None, |l| Value::Int(l as i64)))
                }
                _ => {}
            },
            Value::Code(c) => match n {
                "co_name" => return Ok(Value::str(&c.name)),
                "co_filename" => return Ok(Value::str(c.filename())),
                "co_firstlineno" => return Ok(Value::Int(c.first_line as i64)),
                "co_flags" => return Ok(Value::Int(c.flags.cpython_bits())),
                "co_varnames" => {
                    return Ok(Value::tuple(
                        c.varnames.iter().map(|v| Value::Str(v.clone())).collect(),
                    ))
                }
                _ => {}
            },
            _ => {}
        }
        if n == "__class__" {
            return Ok(Value::Type(obj.class().clone()));
        }
        // (Instances returned above: they also handle `__getattr__`.)
        if let Some(v) = obj.class().lookup(n) {
            return Ok(self.bind(v, obj.clone()));
        }
        Err(Exc::attribute_error(format!(
            "'{}' object has no attribute '{n}'",
            obj.type_name()
        )))
    }

    /// A class attribute looked up through an instance: functions bind, classmethods bind
    /// to the class, staticmethods unwrap, properties and `__get__` descriptors run.
    pub fn bind_descriptor(
        &mut self,
        attr: Value,
        obj: &Value,
        cls: &Arc<TypeObj>,
    ) -> ToyResult<Value> {
        if let Value::Instance(inst) = &attr {
            match &inst.payload {
                Payload::ClassMethod(f) => return Ok(bound(f, Value::Type(cls.clone()))),
                Payload::StaticMethod(f) => return Ok(f.clone()),
                Payload::Property(p) => {
                    if p.fget.is_none() {
                        return Err(Exc::attribute_error("property has no getter"));
                    }
                    return self.call(&p.fget.clone(), vec![obj.clone()], Vec::new());
                }
                _ => {}
            }
            if let Some(get) = attr.class().lookup("__get__") {
                return self.call(
                    &get,
                    vec![attr.clone(), obj.clone(), Value::Type(cls.clone())],
                    Vec::new(),
                );
            }
        }
        Ok(self.bind(attr, obj.clone()))
    }

    /// Properties and descriptors with `__set__` win over the instance dict.
    fn data_descriptor_get(&mut self, attr: &Value, obj: &Value) -> ToyResult<Option<Value>> {
        let Value::Instance(inst) = attr else {
            return Ok(None);
        };
        match &inst.payload {
            Payload::Property(p) => {
                if p.fget.is_none() {
                    return Err(Exc::attribute_error("property has no getter"));
                }
                let fget = p.fget.clone();
                Ok(Some(self.call(&fget, vec![obj.clone()], Vec::new())?))
            }
            Payload::Plain => {
                let class = attr.class();
                if class.lookup("__set__").is_some() || class.lookup("__delete__").is_some() {
                    if let Some(get) = class.lookup("__get__") {
                        let owner = Value::Type(obj.class().clone());
                        return Ok(Some(self.call(
                            &get,
                            vec![attr.clone(), obj.clone(), owner],
                            Vec::new(),
                        )?));
                    }
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// A class attribute looked up on the class itself.
    fn class_descriptor_get(&mut self, attr: Value, cls: &Arc<TypeObj>) -> ToyResult<Value> {
        if let Value::Instance(inst) = &attr {
            match &inst.payload {
                Payload::ClassMethod(f) => return Ok(bound(f, Value::Type(cls.clone()))),
                Payload::StaticMethod(f) => return Ok(f.clone()),
                Payload::Plain => {
                    if let Some(get) = attr.class().lookup("__get__") {
                        return self.call(
                            &get,
                            vec![attr.clone(), Value::None, Value::Type(cls.clone())],
                            Vec::new(),
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(attr)
    }

    /// `super().name`: search the MRO of `start` after `this`.
    fn super_attr(
        &mut self,
        this: &Arc<TypeObj>,
        obj: &Value,
        start: &Arc<TypeObj>,
        name: &Arc<StrObj>,
    ) -> ToyResult<Value> {
        let mro: Vec<Arc<TypeObj>> = std::iter::once(start.clone())
            .chain(start.mro.iter().cloned())
            .collect();
        let after = mro
            .iter()
            .position(|c| Arc::ptr_eq(c, this))
            .map_or(mro.len(), |i| i + 1);
        for cls in &mro[after..] {
            if let Some(attr) = cls.dict.get_name(name) {
                // super() inside a classmethod: the receiver is the class itself.
                if matches!(obj, Value::Type(t) if t.is_subtype(this)) {
                    return match &attr {
                        Value::Function(_) => Ok(attr),
                        _ => self.class_descriptor_get(attr, start),
                    };
                }
                return self.bind_descriptor(attr, obj, start);
            }
        }
        Err(Exc::attribute_error(format!(
            "'super' object has no attribute '{}'",
            name.as_str()
        )))
    }

    /// Method lookup for `obj.name(...)`: returns (function, receiver) when the attribute
    /// is a plain method on the class, or (attribute, null) otherwise.
    pub fn load_method(
        &mut self,
        obj: Value,
        name: &Arc<StrObj>,
        hints: &NameHints,
    ) -> ToyResult<(Value, Value)> {
        let shadowed = match &obj {
            // Instances with native state (locks, deques) and instances of builtin subclasses
            // look attributes up like plain instances, so they take the fast path too.
            Value::Instance(inst) => {
                self.check_not_freed(inst, &obj, "looking up method", name.as_str());
                !matches!(
                    inst.payload,
                    Payload::Plain | Payload::Exception(_) | Payload::Native(_) | Payload::Base(_)
                ) || inst.attrs.has_name_hinted(name, &hints.attr)
            }
            Value::Type(_) | Value::Module(_) | Value::Function(_) | Value::BoundMethod(_) => true,
            _ => false,
        };
        if !shadowed {
            let cls = obj.class().clone();
            if let Some(m) = self.class_lookup(&cls, name) {
                let plain = match &m {
                    Value::Function(_) => true,
                    Value::Builtin(b) => b.is_method(),
                    _ => false,
                };
                if plain {
                    return Ok((m, obj));
                }
            }
        }
        let v = self.load_attr(&obj, name, hints)?;
        Ok((v, Value::Null))
    }

    /// `obj.name = value`.
    pub fn set_attr(&mut self, obj: &Value, name: &Arc<StrObj>, value: Value) -> ToyResult<()> {
        self.store_attr(obj, name, value, &NameHints::default())
    }

    /// `obj.name = value` for a `StoreAttr` instruction: an instance's `__dict__` is
    /// updated through the code object's `hint` for the name.
    pub fn store_attr(
        &mut self,
        obj: &Value,
        name: &Arc<StrObj>,
        value: Value,
        hints: &NameHints,
    ) -> ToyResult<()> {
        match obj {
            Value::Instance(inst) => {
                self.check_not_freed(inst, obj, "storing attribute", name.as_str());
                let dict_only = attributes_in_dict_only(&inst.payload);
                if dict_only && hints.store_class.holds(&inst.class) {
                    // Neither `__setattr__` nor a descriptor of the class takes the store.
                    return inst
                        .attrs
                        .set_name_hinted(&inst.class, name, value, &hints.attr);
                }
                let stamp = ClassStamp::of(&inst.class);
                let cls = obj.class().clone();
                if let Payload::Exception(state) = &inst.payload {
                    match name.as_str() {
                        "args" => {
                            let args = self.collect(&value)?;
                            state.lock().args = Value::tuple(args);
                            return Ok(());
                        }
                        // An OSError's fields, which its message is made of.
                        field @ ("errno" | "strerror" | "filename" | "filename2")
                            if cls.is_subtype(&types().exceptions.os_error) =>
                        {
                            let mut st = state.lock();
                            let os = st.os.get_or_insert_with(|| {
                                Box::new(crate::objects::exception::OsErrorFields {
                                    errno: Value::None,
                                    strerror: Value::None,
                                    filename: Value::None,
                                    filename2: Value::None,
                                })
                            });
                            match field {
                                "errno" => os.errno = value,
                                "strerror" => os.strerror = value,
                                "filename" => os.filename = value,
                                _ => os.filename2 = value,
                            }
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                if let Some(setattr) = self.class_lookup(&cls, &names().setattr) {
                    if !matches!(&setattr, Value::Builtin(_)) {
                        self.call(
                            &setattr,
                            vec![obj.clone(), Value::Str(name.clone()), value],
                            Vec::new(),
                        )?;
                        return Ok(());
                    }
                }
                let class_attr = self.class_lookup(&cls, name);
                if dict_only && !matches!(class_attr, Some(Value::Instance(_))) {
                    hints.store_class.remember(stamp);
                }
                self.store_past_setattr(obj, inst, name, value, class_attr, &hints.attr)
            }
            Value::Module(m) => m.dict.set_name(name, value),
            Value::Function(f) => {
                if name.as_str() == "__name__" {
                    if let Value::Str(s) = &value {
                        *f.name.lock() = s.as_str().into();
                        return Ok(());
                    }
                }
                f.dict.set_item(Value::Str(name.clone()), value)
            }
            Value::Type(t) => {
                if t.is_builtin {
                    return Err(Exc::type_error(format!(
                        "cannot set '{}' attribute of immutable type '{}'",
                        name.as_str(),
                        t.name
                    )));
                }
                t.note_attr_set(name.as_str());
                t.dict.set_item(Value::Str(name.clone()), value)?;
                crate::objects::types::types_modified();
                Ok(())
            }
            other => {
                let has = other.class().lookup(name.as_str()).is_some();
                if has {
                    Err(Exc::attribute_error(format!(
                        "'{}' object attribute '{}' is read-only",
                        other.type_name(),
                        name.as_str()
                    )))
                } else {
                    Err(Exc::attribute_error(format!(
                        "'{}' object has no attribute '{}'",
                        other.type_name(),
                        name.as_str()
                    )))
                }
            }
        }
    }

    /// `object.__setattr__(obj, name, value)` for an instance: a data descriptor of its
    /// class (`class_attr`, what the class has under `name`) takes the store, else the
    /// instance's own attributes do. What `store_attr` does once no `__setattr__` of the
    /// class's own intercepted the store.
    pub fn store_past_setattr(
        &mut self,
        obj: &Value,
        inst: &crate::objects::Instance,
        name: &Arc<StrObj>,
        value: Value,
        class_attr: Option<Value>,
        hint: &crate::objects::dict::PositionHint,
    ) -> ToyResult<()> {
        if let Some(attr @ Value::Instance(_)) = class_attr {
            if let Value::Instance(d) = &attr {
                if let Payload::Property(p) = &d.payload {
                    if p.fset.is_none() {
                        return Err(Exc::attribute_error(format!(
                            "property '{}' of '{}' object has no setter",
                            name.as_str(),
                            obj.type_name()
                        )));
                    }
                    let fset = p.fset.clone();
                    self.call(&fset, vec![obj.clone(), value], Vec::new())?;
                    return Ok(());
                }
            }
            if let Some(set) = attr.class().lookup("__set__") {
                self.call(&set, vec![attr.clone(), obj.clone(), value], Vec::new())?;
                return Ok(());
            }
        }
        inst.attrs.set_name_hinted(&inst.class, name, value, hint)
    }

    /// `del obj.name`.
    pub fn del_attr(&mut self, obj: &Value, name: &Arc<StrObj>) -> ToyResult<()> {
        let key = || Value::Str(name.clone());
        let removed = match obj {
            Value::Instance(inst) => {
                self.check_not_freed(inst, obj, "deleting attribute", name.as_str());
                inst.attrs.remove(name)?
            }
            Value::Module(m) => m.dict.remove(&key())?,
            Value::Function(f) => f.dict.remove(&key())?,
            Value::Type(t) if !t.is_builtin => {
                let removed = t.dict.remove(&key())?;
                crate::objects::types::types_modified();
                removed
            }
            _ => None,
        };
        match removed {
            Some(_) => Ok(()),
            None => Err(Exc::attribute_error(format!(
                "'{}' object has no attribute '{}'",
                obj.type_name(),
                name.as_str()
            ))),
        }
    }
}

/// An attribute that native code reads, writes or calls on every run of a hot path, with
/// lookup hints of its own, as a code object keeps per name: the instance fast paths of
/// `load_attr`/`store_attr` serve it, and a method call skips the bound method.
pub struct AttrSite {
    pub name: Arc<StrObj>,
    hints: NameHints,
}

impl AttrSite {
    pub fn new(name: &str) -> AttrSite {
        AttrSite {
            name: crate::objects::str::intern(name),
            hints: NameHints::default(),
        }
    }

    /// `obj.name`.
    pub fn load(&self, vm: &mut Vm, obj: &Value) -> ToyResult<Value> {
        vm.load_attr(obj, &self.name, &self.hints)
    }

    /// `obj.name = value`.
    pub fn store(&self, vm: &mut Vm, obj: &Value, value: Value) -> ToyResult<()> {
        vm.store_attr(obj, &self.name, value, &self.hints)
    }

    /// `obj.name(*args)`.
    pub fn call(&self, vm: &mut Vm, obj: &Value, mut args: Vec<Value>) -> ToyResult<Value> {
        let (method, receiver) = vm.load_method(obj.clone(), &self.name, &self.hints)?;
        if !receiver.is_null() {
            args.insert(0, receiver);
        }
        vm.call(&method, args, Vec::new())
    }
}

/// Interned names the attribute machinery looks up often.
pub struct Names {
    pub getattr: Arc<StrObj>,
    pub setattr: Arc<StrObj>,
    pub new: Arc<StrObj>,
    pub init: Arc<StrObj>,
}

pub fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| Names {
        getattr: crate::objects::str::intern("__getattr__"),
        setattr: crate::objects::str::intern("__setattr__"),
        new: crate::objects::str::intern("__new__"),
        init: crate::objects::str::intern("__init__"),
    })
}

/// Whether an instance with this payload has no attributes but those of its `__dict__` and
/// its class: a plain instance, one carrying native state (a greenlet, a deque subclass's
/// instance), or one extending a builtin value. The attribute caches serve these; an
/// exception, a property, a super object... answer some names themselves.
fn attributes_in_dict_only(payload: &Payload) -> bool {
    matches!(
        payload,
        Payload::Plain | Payload::Native(_) | Payload::Base(_)
    )
}

/// A method object binding `func` to `receiver`, whatever kind of callable it is.
fn bound(func: &Value, receiver: Value) -> Value {
    BoundMethod::new_value(receiver, func.clone())
}

/// Attributes every exception instance has.
fn exception_attr(obj: &Value, name: &str) -> Option<Value> {
    let st = crate::objects::exception::exception_state(obj)?;
    Some(match name {
        "args" => st.args.clone(),
        "__cause__" => st.cause.clone().unwrap_or(Value::None),
        "__context__" => st.context.clone().unwrap_or(Value::None),
        "__suppress_context__" => Value::Bool(st.suppress_context),
        "__traceback__" => Value::None,
        "errno" | "strerror" | "filename" | "filename2"
            if obj.class().is_subtype(&types().exceptions.os_error) =>
        {
            // Made without an errno (`OSError("message")`): all four are None.
            match (st.os.as_deref(), name) {
                (None, _) => Value::None,
                (Some(os), "errno") => os.errno.clone(),
                (Some(os), "strerror") => os.strerror.clone(),
                (Some(os), "filename") => os.filename.clone(),
                (Some(os), _) => os.filename2.clone(),
            }
        }
        "value" if obj.class().is_subtype(&types().exceptions.stop_iteration) => match &st.args {
            Value::Tuple(t) if !t.is_empty() => t.items()[0].clone(),
            _ => Value::None,
        },
        // CPython's SystemExit.code: None, the one argument, or the tuple of them.
        "code" if obj.class().is_subtype(&types().exceptions.system_exit) => match &st.args {
            Value::Tuple(t) if t.len() == 1 => t.items()[0].clone(),
            Value::Tuple(t) if t.is_empty() => Value::None,
            other => other.clone(),
        },
        _ => return None,
    })
}

/// Attributes every class has.
fn type_attr(t: &Arc<crate::objects::TypeObj>, name: &str) -> Option<Value> {
    Some(match name {
        "__name__" => Value::str(&t.name),
        "__qualname__" => Value::str(&t.qualname),
        "__mro__" => {
            let mut items = vec![Value::Type(t.clone())];
            items.extend(t.mro.iter().map(|c| Value::Type(c.clone())));
            Value::tuple(items)
        }
        "__bases__" => Value::tuple(t.bases.iter().map(|c| Value::Type(c.clone())).collect()),
        "__base__" => t
            .bases
            .first()
            .map(|b| Value::Type(b.clone()))
            .unwrap_or(Value::None),
        // A snapshot: class namespaces change only through setattr, which keeps the
        // method caches honest (CPython returns a read-only mappingproxy).
        "__dict__" => Value::dict(t.dict.copy()),
        "__module__" => Value::str("builtins"),
        "__doc__" => Value::None,
        "__class__" => Value::Type(t.metaclass().clone()),
        _ => return None,
    })
}
