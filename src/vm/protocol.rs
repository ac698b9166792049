//! The protocols builtins and instructions rely on: truth, repr/str, formatting,
//! iteration, hashing, length, context managers, and output.

use std::io::Write;
use std::sync::Arc;

use super::Vm;
use crate::objects::format::{
    float_repr, format_float_as, format_i64_as, format_int_as, format_str_as, FormatError,
    FormatErrorKind,
};
use crate::objects::iter::{IterKind, IterState, Step};
use crate::objects::str::repr_str;
use crate::objects::types::base_value;
use crate::objects::{key, types, Exc, IterObj, StrObj, ToyResult, Value};

impl Vm {
    /// `bool(v)`.
    pub fn truthy(&mut self, v: &Value) -> ToyResult<bool> {
        Ok(match v {
            Value::Null | Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.as_str().is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Set(s) => !s.is_empty(),
            Value::Range(r) => !r.is_empty(),
            Value::Instance(_) => {
                if let Some(m) = v.class().lookup("__bool__") {
                    let r = self.call(&m, vec![v.clone()], Vec::new())?;
                    return match r {
                        Value::Bool(b) => Ok(b),
                        other => Err(Exc::type_error(format!(
                            "__bool__ should return bool, returned {}",
                            other.type_name()
                        ))),
                    };
                }
                if let Some(m) = v.class().lookup("__len__") {
                    let r = self.call(&m, vec![v.clone()], Vec::new())?;
                    return Ok(crate::objects::int::index_of(&r)? != 0);
                }
                match base_value(v) {
                    Some(inner) => return self.truthy(&inner.clone()),
                    None => true,
                }
            }
            Value::Iter(it) if it.is_view() => self.len(v)? != 0,
            _ => true,
        })
    }

    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> ToyResult<String> {
        Ok(match v {
            Value::Null => "<NULL>".to_string(),
            Value::None => "None".to_string(),
            Value::NotImplemented => "NotImplemented".to_string(),
            Value::Ellipsis => "Ellipsis".to_string(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Int(i) => crate::objects::str::i64_decimal(*i),
            Value::BigInt(b) => b.to_string(),
            Value::Float(f) => float_repr(*f),
            Value::Str(s) => repr_str(s.as_str()),
            Value::Bytes(b) => crate::objects::bytes::repr_bytes(b),
            Value::List(l) => {
                let items = l.snapshot();
                self.repr_container(v, &items, "[", "]")?
            }
            Value::Tuple(t) => {
                if t.len() == 1 {
                    format!("({},)", self.repr(&t.items()[0])?)
                } else {
                    let items = t.items().to_vec();
                    self.repr_container(v, &items, "(", ")")?
                }
            }
            Value::Dict(d) => {
                let Some(_guard) = self.enter_repr(v) else {
                    return Ok("{...}".to_string());
                };
                let mut parts = Vec::new();
                for (k, val) in d.items() {
                    let r = self
                        .repr(&k)
                        .and_then(|k| Ok(format!("{k}: {}", self.repr(&val)?)));
                    match r {
                        Ok(p) => parts.push(p),
                        Err(e) => {
                            self.leave_repr();
                            return Err(e);
                        }
                    }
                }
                self.leave_repr();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Set(s) => {
                let items = s.items();
                let name = if s.frozen { "frozenset" } else { "set" };
                if items.is_empty() {
                    return Ok(format!("{name}()"));
                }
                let inner = self.repr_container(v, &items, "{", "}")?;
                if s.frozen {
                    format!("frozenset({inner})")
                } else {
                    inner
                }
            }
            Value::Range(r) => {
                if r.step == 1 {
                    format!("range({}, {})", r.start, r.stop)
                } else {
                    format!("range({}, {}, {})", r.start, r.stop, r.step)
                }
            }
            Value::Slice(s) => {
                format!(
                    "slice({}, {}, {})",
                    self.repr(&s.start)?,
                    self.repr(&s.stop)?,
                    self.repr(&s.step)?
                )
            }
            Value::Iter(it) if it.is_view() => {
                let items = self.collect(v)?;
                let name = it.class().name.clone();
                let inner = self.repr_container(v, &items, "[", "]")?;
                format!("{name}({inner})")
            }
            Value::Function(f) => format!("<function {} at {:#x}>", f.qualname, id_of(v)),
            Value::Builtin(b) => match &b.owner {
                Some(owner) => format!("<method '{}' of '{}' objects>", b.name, owner.name),
                None => match &b.bound {
                    Some(Value::Module(_)) | None => format!("<built-in function {}>", b.name),
                    Some(obj) => format!(
                        "<built-in method {} of {} object at {:#x}>",
                        b.name,
                        obj.type_name(),
                        id_of(obj)
                    ),
                },
            },
            Value::BoundMethod(bm) => {
                let fname = match &bm.func {
                    Value::Function(f) => f.qualname.to_string(),
                    Value::Builtin(b) => b.qualname.clone(),
                    other => other.type_name(),
                };
                format!("<bound method {} of {}>", fname, self.repr(&bm.receiver)?)
            }
            Value::Type(t) => {
                let module = match t.dict.get_str("__module__") {
                    Some(Value::Str(m)) if m.as_str() != "builtins" => format!("{}.", m.as_str()),
                    _ => String::new(),
                };
                let qualname = &t.qualname;
                format!("<class '{module}{qualname}'>")
            }
            Value::Module(m) => format!("<module '{}'>", m.name),
            Value::Code(c) => format!(
                "<code object {} at {:#x}, file \"{}\", line {}>",
                c.name,
                id_of(v),
                c.filename(),
                c.first_line
            ),
            Value::Cell(_) => format!("<cell at {:#x}>", id_of(v)),
            Value::Instance(_) => {
                if let Some(m) = v.class().lookup("__repr__") {
                    if !is_object_default(&m, "__repr__") {
                        let r = self.call(&m, vec![v.clone()], Vec::new())?;
                        return match r {
                            Value::Str(s) => Ok(s.as_str().to_string()),
                            other => Err(Exc::type_error(format!(
                                "__repr__ returned non-string (type {})",
                                other.type_name()
                            ))),
                        };
                    }
                }
                if let Some(inner) = base_value(v) {
                    return self.repr(&inner.clone());
                }
                if let Some(st) = crate::objects::exception::exception_state(v) {
                    let args = st.args.clone();
                    drop(st);
                    let name = v.class().name.clone();
                    return Ok(match &args {
                        Value::Tuple(t) if t.len() == 1 => {
                            format!("{name}({})", self.repr(&t.items()[0])?)
                        }
                        _ => format!("{name}{}", self.repr(&args)?),
                    });
                }
                self.default_repr(v)
            }
            Value::Iter(_) => format!("<{} object at {:#x}>", v.type_name(), id_of(v)),
            Value::Generator(g) => format!(
                "<{} object {} at {:#x}>",
                g.kind_name(),
                g.qualname,
                id_of(v)
            ),
        })
    }

    /// `object.__repr__`: `<module.Class object at 0x...>`.
    pub fn default_repr(&self, v: &Value) -> String {
        format!(
            "<{} object at {:#x}>",
            self.qualified_class_name(v),
            id_of(v)
        )
    }

    fn qualified_class_name(&self, v: &Value) -> String {
        let class = v.class();
        let module = match class.dict.get_str("__module__") {
            Some(Value::Str(m)) if m.as_str() != "builtins" => format!("{}.", m.as_str()),
            _ => String::new(),
        };
        let qualname = &class.qualname;
        format!("{module}{qualname}")
    }

    fn repr_container(
        &mut self,
        v: &Value,
        items: &[Value],
        open: &str,
        close: &str,
    ) -> ToyResult<String> {
        let Some(_guard) = self.enter_repr(v) else {
            return Ok(format!("{open}...{close}"));
        };
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            match self.repr(item) {
                Ok(r) => parts.push(r),
                Err(e) => {
                    self.leave_repr();
                    return Err(e);
                }
            }
        }
        self.leave_repr();
        Ok(format!("{open}{}{close}", parts.join(", ")))
    }

    /// Mark `v` as being printed; `None` if it already is (a cycle).
    fn enter_repr(&mut self, v: &Value) -> Option<()> {
        let id = v.heap_ptr().unwrap_or(0);
        if self.repr_guard.contains(&id) {
            return None;
        }
        self.repr_guard.push(id);
        Some(())
    }

    fn leave_repr(&mut self) {
        self.repr_guard.pop();
    }

    /// `str(v)`.
    pub fn to_str(&mut self, v: &Value) -> ToyResult<String> {
        match v {
            Value::Str(s) => Ok(s.as_str().to_string()),
            Value::Instance(_) => {
                if let Some(m) = v.class().lookup("__str__") {
                    if !is_object_default(&m, "__str__") {
                        let r = self.call(&m, vec![v.clone()], Vec::new())?;
                        return match r {
                            Value::Str(s) => Ok(s.as_str().to_string()),
                            other => Err(Exc::type_error(format!(
                                "__str__ returned non-string (type {})",
                                other.type_name()
                            ))),
                        };
                    }
                }
                if let Some(inner) = base_value(v) {
                    // A subclass of a builtin prints like the builtin unless it defines
                    // its own `__repr__` (a namedtuple does).
                    let own_repr = v.class().lookup("__repr__").is_some_and(|m| {
                        !is_object_default(&m, "__repr__")
                            && crate::objects::dunders::is_user_defined(&m)
                    });
                    if !own_repr {
                        return self.to_str(&inner.clone());
                    }
                }
                if let Some(st) = crate::objects::exception::exception_state(v) {
                    let args = st.args.clone();
                    let os = st.os.as_deref().cloned();
                    drop(st);
                    if let Some(os) = os {
                        return self.os_error_str(&os);
                    }
                    let is_key_error = v.class().is_subtype(&types().exceptions.key_error);
                    return match &args {
                        Value::Tuple(t) if t.is_empty() => Ok(String::new()),
                        Value::Tuple(t) if t.len() == 1 => {
                            if is_key_error {
                                self.repr(&t.items()[0])
                            } else {
                                self.to_str(&t.items()[0])
                            }
                        }
                        other => self.repr(other),
                    };
                }
                self.repr(v)
            }
            _ => self.repr(v),
        }
    }

    /// `str(e)` of an `OSError` made with an errno: `[Errno 2] No such file or directory:
    /// 'name'`, with ` -> 'name2'` when there is a second filename.
    fn os_error_str(&mut self, os: &crate::objects::exception::OsErrorFields) -> ToyResult<String> {
        let mut s = format!(
            "[Errno {}] {}",
            self.to_str(&os.errno)?,
            self.to_str(&os.strerror)?
        );
        if !os.filename.is_none() {
            s.push_str(&format!(": {}", self.repr(&os.filename)?));
            if !os.filename2.is_none() {
                s.push_str(&format!(" -> {}", self.repr(&os.filename2)?));
            }
        }
        Ok(s)
    }

    /// `str(v)` as a value: an exact str is itself, an int is formatted without the
    /// general machinery; anything else goes through `to_str`.
    pub fn str_of(&mut self, v: &Value) -> ToyResult<Value> {
        match v {
            Value::Str(_) => Ok(v.clone()),
            Value::Int(i) => Ok(Value::Str(Arc::new(StrObj::from_i64(*i)))),
            _ => Ok(Value::string(self.to_str(v)?)),
        }
    }

    /// `format(v, spec)` as a value (what an f-string's `{v}` or `{v:spec}` produces):
    /// with an empty spec an exact str is itself and an int is `str_of`.
    pub fn format_value(&mut self, v: &Value, spec: &str) -> ToyResult<Value> {
        match v {
            Value::Str(_) | Value::Int(_) if spec.is_empty() => self.str_of(v),
            _ => Ok(Value::string(self.format(v, spec)?)),
        }
    }

    /// `format(v, spec)`.
    pub fn format(&mut self, v: &Value, spec: &str) -> ToyResult<String> {
        let r = match v {
            Value::Str(s) => format_str_as(s.as_str(), spec, "str"),
            Value::Int(i) => format_i64_as(*i, spec, "int"),
            Value::Bool(b) if spec.is_empty() => Ok(if *b { "True" } else { "False" }.to_string()),
            Value::Bool(b) => format_i64_as(*b as i64, spec, "bool"),
            Value::BigInt(b) => format_int_as(b, spec, "int"),
            Value::Float(f) => format_float_as(*f, spec, "float"),
            Value::Instance(_) => {
                if let Some(m) = v.class().lookup("__format__") {
                    let r = self.call(&m, vec![v.clone(), Value::str(spec)], Vec::new())?;
                    return match r {
                        Value::Str(s) => Ok(s.as_str().to_string()),
                        other => Err(Exc::type_error(format!(
                            "__format__ must return a str, not {}",
                            other.type_name()
                        ))),
                    };
                }
                if let Some(inner) = base_value(v) {
                    return self.format(&inner.clone(), spec);
                }
                if spec.is_empty() {
                    return self.to_str(v);
                }
                return Err(Exc::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    v.type_name()
                )));
            }
            _ => {
                if spec.is_empty() {
                    return self.to_str(v);
                }
                return Err(Exc::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    v.type_name()
                )));
            }
        };
        r.map_err(format_error)
    }

    /// `hash(v)`, honouring `__hash__` on user classes (also inside tuples).
    pub fn hash(&mut self, v: &Value) -> ToyResult<i64> {
        key::hash_in(self, v)
    }

    /// `len(v)`.
    pub fn len(&mut self, v: &Value) -> ToyResult<usize> {
        Ok(match v {
            Value::Str(s) => s.char_len(),
            Value::Bytes(b) => b.len(),
            Value::List(l) => l.len(),
            Value::Tuple(t) => t.len(),
            Value::Dict(d) => d.len(),
            Value::Set(s) => s.len(),
            Value::Range(r) => r.len(),
            Value::Iter(it) if it.is_view() => match &*it.state.lock() {
                IterState::View { dict } => dict.len(),
                _ => 0,
            },
            _ => {
                if let Some(m) = self.lookup_special(v, "__len__") {
                    let r = self.call(&m, vec![v.clone()], Vec::new())?;
                    let n = crate::objects::int::index_of(&r)?;
                    if n < 0 {
                        return Err(Exc::value_error("__len__() should return >= 0"));
                    }
                    return Ok(n as usize);
                }
                if let Some(inner) = base_value(v) {
                    return self.len(&inner.clone());
                }
                return Err(Exc::type_error(format!(
                    "object of type '{}' has no len()",
                    v.type_name()
                )));
            }
        })
    }

    /// Whether `iter(v)` would succeed.
    pub fn is_iterable(&self, v: &Value) -> bool {
        match v {
            Value::Str(_)
            | Value::Bytes(_)
            | Value::List(_)
            | Value::Tuple(_)
            | Value::Dict(_)
            | Value::Set(_)
            | Value::Range(_)
            | Value::Iter(_) => true,
            Value::Generator(g) => !g.is_coroutine,
            Value::Instance(_) => {
                v.class().lookup("__iter__").is_some()
                    || v.class().lookup("__getitem__").is_some()
                    || base_value(v).is_some_and(|inner| self.is_iterable(inner))
            }
            _ => false,
        }
    }

    /// `iter(v)` through its `__iter__` method `m`, which must return an iterator.
    fn iter_from_dunder(&mut self, m: &Value, v: &Value) -> ToyResult<Value> {
        let it = self.call(m, vec![v.clone()], Vec::new())?;
        if !self.is_iterator(&it) {
            return Err(Exc::type_error(format!(
                "iter() returned non-iterator of type '{}'",
                it.type_name()
            )));
        }
        Ok(it)
    }

    /// `iter(v)`.
    pub fn get_iter(&mut self, v: &Value) -> ToyResult<Value> {
        let (kind, state) = match v {
            Value::Range(r) => (
                IterKind::Range,
                IterState::Range {
                    next: r.start,
                    stop: r.stop,
                    step: r.step,
                },
            ),
            Value::List(_) => (
                IterKind::List,
                IterState::Seq {
                    seq: v.clone(),
                    index: 0,
                },
            ),
            Value::Tuple(_) => (
                IterKind::Tuple,
                IterState::Seq {
                    seq: v.clone(),
                    index: 0,
                },
            ),
            Value::Str(s) => {
                let kind = if s.is_ascii() {
                    IterKind::StrAscii
                } else {
                    IterKind::Str
                };
                (
                    kind,
                    IterState::Str {
                        text: s.clone(),
                        byte_pos: 0,
                    },
                )
            }
            Value::Bytes(b) => (
                IterKind::Bytes,
                IterState::Bytes {
                    data: b.clone(),
                    index: 0,
                },
            ),
            Value::Dict(d) => (IterKind::DictKeys, dict_state(d)),
            Value::Set(s) => (
                IterKind::Set,
                IterState::Set {
                    set: s.clone(),
                    items: s.items(),
                    index: 0,
                },
            ),
            Value::Generator(g) if !g.is_coroutine => return Ok(v.clone()),
            Value::Iter(it) => {
                if it.is_view() {
                    let dict = match &*it.state.lock() {
                        IterState::View { dict } => dict.clone(),
                        _ => return Err(Exc::system_error("dict view without a dict")),
                    };
                    let kind = match it.kind {
                        IterKind::ValuesView => IterKind::DictValues,
                        IterKind::ItemsView => IterKind::DictItems,
                        _ => IterKind::DictKeys,
                    };
                    (kind, dict_state(&dict))
                } else {
                    return Ok(v.clone());
                }
            }
            Value::Instance(_) => {
                if let Some(m) = v.class().lookup("__iter__") {
                    return self.iter_from_dunder(&m, v);
                }
                if let Some(inner) = base_value(v) {
                    return self.get_iter(&inner.clone());
                }
                return Err(Exc::type_error(format!(
                    "'{}' object is not iterable",
                    v.type_name()
                )));
            }
            _ => {
                if let (Value::Type(_), Some(m)) = (v, self.lookup_special(v, "__iter__")) {
                    // A class whose metaclass defines `__iter__`.
                    return self.iter_from_dunder(&m, v);
                }
                return Err(Exc::type_error(format!(
                    "'{}' object is not iterable",
                    v.type_name()
                )));
            }
        };
        Ok(IterObj::value(kind, state))
    }

    pub(crate) fn is_iterator(&self, v: &Value) -> bool {
        match v {
            Value::Iter(it) => !it.is_view(),
            Value::Generator(g) => !g.is_coroutine,
            Value::Instance(_) => v.class().lookup("__next__").is_some(),
            _ => false,
        }
    }

    /// `next(it)`, with exhaustion as `None` instead of StopIteration.
    pub fn next(&mut self, it: &Value) -> ToyResult<Option<Value>> {
        match it {
            Value::Iter(obj) => match obj.step()? {
                Step::Item(v) => Ok(Some(v)),
                Step::Done => Ok(None),
                Step::NeedsVm => self.next_composite(obj),
            },
            Value::Generator(g) => match self.gen_resume(g, Value::None)? {
                super::generator::GenStep::Yielded(v) => Ok(Some(v)),
                super::generator::GenStep::Returned(_) => Ok(None),
            },
            Value::Instance(_) => {
                let Some(m) = it.class().lookup("__next__") else {
                    return Err(Exc::type_error(format!(
                        "'{}' object is not an iterator",
                        it.type_name()
                    )));
                };
                match self.call(&m, vec![it.clone()], Vec::new()) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if e.matches(&types().exceptions.stop_iteration) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            other => Err(Exc::type_error(format!(
                "'{}' object is not an iterator",
                other.type_name()
            ))),
        }
    }

    /// Step an iterator that wraps other iterators or calls functions. The state is read
    /// and updated under the lock, but toy code runs with the lock released.
    fn next_composite(&mut self, obj: &Arc<IterObj>) -> ToyResult<Option<Value>> {
        enum Plan {
            Enumerate(Value, i64),
            Zip(Vec<Value>, bool),
            Map(Value, Vec<Value>),
            Filter(Value, Value),
            Callable(Value, Value),
        }
        let plan = match &*obj.state.lock() {
            IterState::Enumerate { inner, count } => Plan::Enumerate(inner.clone(), *count),
            IterState::Zip { iters, strict } => Plan::Zip(iters.clone(), *strict),
            IterState::Map { func, iters } => Plan::Map(func.clone(), iters.clone()),
            IterState::Filter { func, inner } => Plan::Filter(func.clone(), inner.clone()),
            IterState::Callable { func, sentinel } => {
                Plan::Callable(func.clone(), sentinel.clone())
            }
            _ => return Ok(None),
        };
        let result = match plan {
            Plan::Enumerate(inner, count) => match self.next(&inner)? {
                Some(v) => {
                    if let IterState::Enumerate { count: c, .. } = &mut *obj.state.lock() {
                        *c = count + 1;
                    }
                    Some(Value::tuple(vec![Value::Int(count), v]))
                }
                None => None,
            },
            Plan::Zip(iters, strict) => {
                let mut items = Vec::with_capacity(iters.len());
                let mut done = iters.is_empty();
                for (i, it) in iters.iter().enumerate() {
                    match self.next(it)? {
                        Some(v) => items.push(v),
                        None => {
                            done = true;
                            if strict {
                                self.zip_strict_check(&iters, i)?;
                            }
                            break;
                        }
                    }
                }
                if done {
                    None
                } else {
                    Some(Value::tuple(items))
                }
            }
            Plan::Map(func, iters) => {
                let mut args = Vec::with_capacity(iters.len());
                let mut done = false;
                for it in &iters {
                    match self.next(it)? {
                        Some(v) => args.push(v),
                        None => {
                            done = true;
                            break;
                        }
                    }
                }
                if done {
                    None
                } else {
                    Some(self.call(&func, args, Vec::new())?)
                }
            }
            Plan::Filter(func, inner) => loop {
                match self.next(&inner)? {
                    Some(v) => {
                        let keep = if func.is_none() {
                            self.truthy(&v)?
                        } else {
                            let r = self.call(&func, vec![v.clone()], Vec::new())?;
                            self.truthy(&r)?
                        };
                        if keep {
                            break Some(v);
                        }
                    }
                    None => break None,
                }
            },
            Plan::Callable(func, sentinel) => {
                let v = self.call(&func, Vec::new(), Vec::new())?;
                if self.eq(&v, &sentinel)? {
                    None
                } else {
                    Some(v)
                }
            }
        };
        if result.is_none() {
            *obj.state.lock() = IterState::Exhausted;
        }
        Ok(result)
    }

    /// `zip(strict=True)`: iterator `stopped` ran out; all must end together.
    fn zip_strict_check(&mut self, iters: &[Value], stopped: usize) -> ToyResult<()> {
        let plural = |n: usize| {
            if n == 1 {
                "argument 1".to_string()
            } else {
                format!("arguments 1-{n}")
            }
        };
        if stopped > 0 {
            return Err(Exc::value_error(format!(
                "zip() argument {} is shorter than {}",
                stopped + 1,
                plural(stopped)
            )));
        }
        for (i, it) in iters.iter().enumerate().skip(1) {
            if self.next(it)?.is_some() {
                return Err(Exc::value_error(format!(
                    "zip() argument {} is longer than {}",
                    i + 1,
                    plural(i)
                )));
            }
        }
        Ok(())
    }

    /// All items of an iterable, in order.
    pub fn collect(&mut self, v: &Value) -> ToyResult<Vec<Value>> {
        match v {
            Value::List(l) => Ok(l.snapshot()),
            Value::Tuple(t) => Ok(t.items().to_vec()),
            _ => {
                let it = self.get_iter(v)?;
                let mut out = Vec::new();
                while let Some(x) = self.next(&it)? {
                    out.push(x);
                }
                Ok(out)
            }
        }
    }

    /// The (key, value) pairs of a mapping: a dict, or anything with `keys()` and
    /// `__getitem__`.
    pub fn mapping_items(&mut self, v: &Value) -> ToyResult<Vec<(Value, Value)>> {
        if let Value::Dict(d) = v {
            return Ok(d.items());
        }
        if let Some(Value::Dict(d)) = base_value(v) {
            if v.class()
                .lookup("keys")
                .is_some_and(|k| matches!(k, Value::Builtin(_)))
            {
                return Ok(d.items());
            }
        }
        let keys_method =
            self.get_attr(v, &Arc::new(crate::objects::StrObj::new("keys".into())))?;
        let keys = self.call(&keys_method, Vec::new(), Vec::new())?;
        let keys = self.collect(&keys)?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let val = self.get_item(v, &k)?;
            out.push((k, val));
        }
        Ok(out)
    }

    /// A dunder method defined by the value's class (user classes only: builtin types
    /// handle their protocols directly).
    pub fn lookup_special(&self, v: &Value, name: &str) -> Option<Value> {
        match v {
            Value::Instance(_) => {
                let m = v.class().lookup(name)?;
                // For a subclass of a builtin type, the builtin's own protocol methods are
                // run natively on the builtin value (see `base_value`).
                if base_value(v).is_some() && !crate::objects::dunders::is_user_defined(&m) {
                    return None;
                }
                Some(m)
            }
            // A class whose metaclass defines the method (as `enum.EnumMeta` defines
            // `__iter__`, `__len__` and `__getitem__`): `len(C)`, `C[key]`.
            Value::Type(t) => {
                let m = t.metaclass.as_ref()?.lookup(name)?;
                crate::objects::dunders::is_user_defined(&m).then_some(m)
            }
            _ => None,
        }
    }

    /// `with mgr:` — returns (bound `__exit__`, result of `__enter__()`).
    pub fn enter_context(&mut self, mgr: &Value) -> ToyResult<(Value, Value)> {
        self.enter_context_with(mgr, "__enter__", "__exit__", "")
    }

    /// Look up the manager's enter and exit methods (`__enter__`/`__exit__`, or the `a`
    /// versions for `async with`), bind the exit, and call the enter. `kind` names the
    /// protocol in the error ("" or "asynchronous ").
    pub(crate) fn enter_context_with(
        &mut self,
        mgr: &Value,
        enter_name: &str,
        exit_name: &str,
        kind: &str,
    ) -> ToyResult<(Value, Value)> {
        let class = mgr.class().clone();
        let (Some(enter), Some(exit)) = (class.lookup(enter_name), class.lookup(exit_name)) else {
            let missing = if class.lookup(enter_name).is_none() {
                String::new()
            } else {
                format!(" (missed {exit_name} method)")
            };
            return Err(Exc::type_error(format!(
                "'{}' object does not support the {kind}context manager protocol{missing}",
                mgr.type_name()
            )));
        };
        let bound_exit = self.bind(exit, mgr.clone());
        let entered = self.call(&enter, vec![mgr.clone()], Vec::new())?;
        Ok((bound_exit, entered))
    }

    /// Write to standard output (`print` and the REPL echo use this).
    pub fn write_stdout(&mut self, s: &str) -> ToyResult<()> {
        let mut out = self.interp.stdout.lock();
        out.write_all(s.as_bytes())
            .map_err(|e| Exc::os_error(e.to_string()))
    }
}

/// The exception a formatting failure raises.
pub fn format_error(e: FormatError) -> Exc {
    match e.kind {
        FormatErrorKind::ValueError => Exc::value_error(e.message),
        FormatErrorKind::OverflowError => Exc::overflow(e.message),
        FormatErrorKind::MemoryError => Exc::new(&types().exceptions.memory_error, e.message),
    }
}

fn dict_state(d: &Arc<crate::objects::DictObj>) -> IterState {
    IterState::Dict {
        dict: d.clone(),
        pos: 0,
        expected_len: d.len(),
        spare: None,
    }
}

/// `id()` of a value: its address, or a stable number for unboxed values.
pub fn id_of(v: &Value) -> usize {
    match v.heap_ptr() {
        Some(p) => p,
        None => match v {
            Value::Int(i) => (*i as usize).wrapping_mul(32).wrapping_add(0x1000),
            Value::Float(f) => f.to_bits() as usize,
            Value::Bool(b) => 0x100 + *b as usize,
            _ => 0x80,
        },
    }
}

/// Whether `m` is `object`'s own default for `name` (so the builtin behaviour applies).
fn is_object_default(m: &Value, name: &str) -> bool {
    match m {
        Value::Builtin(b) => {
            b.name == name
                && b.owner
                    .as_ref()
                    .is_some_and(|o| Arc::ptr_eq(o, &types().object))
        }
        _ => false,
    }
}
