//! Calling: binding arguments to parameters, pushing frames for toy functions, and
//! running native functions, classes and bound methods.

use std::sync::Arc;

use super::eval::Flow;
use super::frame::Frame;
use super::Vm;
use crate::objects::constructors;
use crate::objects::types::base_value;
use crate::objects::{
    types, Builtin, Cell, Exc, Function, GenObj, KwArgs, StrObj, ToyResult, TupleObj, Value,
};

impl Vm {
    /// Call the value at `stack[callable_at]` with the arguments in `stack[args_at..]`
    /// (the last `kwnames.len()` of them keyword arguments). Toy functions get a frame and
    /// `Flow::Reload`; everything else runs now and leaves its result on the stack.
    pub(crate) fn call_at(
        &mut self,
        callable_at: usize,
        args_at: usize,
        kwnames: Option<Arc<TupleObj>>,
    ) -> ToyResult<Flow> {
        if kwnames.is_none() {
            if let Value::Function(f) = &self.stack[callable_at] {
                let nargs = self.stack.len() - args_at;
                let code = &f.code;
                let argcount = code.argcount as usize;
                if code.plain_positional
                    && nargs <= argcount
                    && nargs + f.defaults.len() >= argcount
                {
                    // Fast path: the arguments already sit where the locals go; missing
                    // trailing ones take their defaults.
                    for _ in nargs..code.nlocals() {
                        self.stack.push(Value::Null);
                    }
                    self.check_depth(callable_at)?;
                    // The function moves from its stack slot (left empty, cut off when the
                    // frame returns) into the frame: no reference counted.
                    let (below, locals) = self.stack.split_at_mut(args_at);
                    if let Value::Function(f) =
                        std::mem::replace(&mut below[callable_at], Value::Null)
                    {
                        let missing = locals.get_mut(nargs..argcount).unwrap_or_default();
                        let defaults = &f.defaults[f.defaults.len() - missing.len()..];
                        for (slot, default) in missing.iter_mut().zip(defaults) {
                            *slot = default.clone();
                        }
                        // `frames.push`, with the frame written straight into its slot.
                        // `Vec::push` is not inlined here: the frame was built in a
                        // temporary and copied, and the copy's loads, wider than the
                        // temporary's stores (`is_entry` is one byte), waited for those
                        // stores to reach the cache: a store-forwarding stall on every
                        // call, 11% of bench/fib.toy's time.
                        self.frames.reserve(1);
                        let len = self.frames.len();
                        self.frames.spare_capacity_mut()[0].write(new_frame(
                            f,
                            locals,
                            args_at,
                            callable_at,
                            false,
                        ));
                        // SAFETY: `reserve(1)` made room for the slot at `len`, and the
                        // write above initialised it.
                        unsafe { self.frames.set_len(len + 1) };
                        return Ok(Flow::Reload);
                    }
                }
            }
        }
        let mut args = self.stack.split_off(args_at);
        let kwargs = match kwnames {
            Some(names) => {
                let kwvalues = args.split_off(args.len() - names.len());
                names
                    .items()
                    .iter()
                    .zip(kwvalues)
                    .map(|(n, v)| match n {
                        Value::Str(s) => (s.clone(), v),
                        _ => (Arc::new(StrObj::new(String::new())), v),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        self.stack.truncate(callable_at + 1);
        self.call_prepared(callable_at, args, kwargs)
    }

    /// Call `stack[callable_at]` (the top of the stack) with arguments already collected.
    pub(crate) fn call_prepared(
        &mut self,
        callable_at: usize,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> ToyResult<Flow> {
        let callable = self.stack[callable_at].clone();
        let target = match &callable {
            Value::BoundMethod(bm) if matches!(bm.func, Value::Function(_)) => {
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(bm.receiver.clone());
                full.extend(args);
                return self.call_prepared_function(callable_at, &bm.func, full, kwargs);
            }
            Value::Function(_) => callable.clone(),
            _ => {
                self.stack.truncate(callable_at);
                // A native function called straight from a call instruction (a greenlet
                // switch may park only then; see vm::greenlet).
                self.direct_pending = match &callable {
                    Value::Builtin(_) => true,
                    Value::BoundMethod(bm) => matches!(bm.func, Value::Builtin(_)),
                    _ => false,
                };
                let r = self.call(&callable, args, kwargs)?;
                self.stack.push(r);
                return Ok(Flow::Continue);
            }
        };
        self.call_prepared_function(callable_at, &target, args, kwargs)
    }

    fn call_prepared_function(
        &mut self,
        callable_at: usize,
        func: &Value,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> ToyResult<Flow> {
        let Value::Function(f) = func else {
            return Err(Exc::system_error(
                "call_prepared_function on a non-function",
            ));
        };
        let locals = bind_arguments(f, args, kwargs)?;
        if f.code.flags.generator {
            let g = self.make_generator(f, locals);
            self.stack.truncate(callable_at);
            self.stack.push(g);
            return Ok(Flow::Continue);
        }
        self.stack.truncate(callable_at + 1);
        let base = self.stack.len();
        self.stack.extend(locals);
        self.enter_function(f, base, callable_at, false)?;
        Ok(Flow::Reload)
    }

    /// Push the frame of `f`, whose locals start at `stack[base]` (all slots present).
    #[inline]
    fn enter_function(
        &mut self,
        f: &Arc<Function>,
        base: usize,
        return_to: usize,
        is_entry: bool,
    ) -> ToyResult<()> {
        let frame = new_frame(
            f.clone(),
            &mut self.stack[base..],
            base,
            return_to,
            is_entry,
        );
        self.push_frame(frame)
    }

    /// Calling a generator function makes a generator holding the unstarted frame.
    fn make_generator(&self, f: &Arc<Function>, mut locals: Vec<Value>) -> Value {
        let frame = new_frame(f.clone(), &mut locals, 0, 0, false);
        Value::Generator(super::gc::track(GenObj::new(frame, locals)))
    }

    /// Call any callable from native code and return its result. Toy functions run in a
    /// nested eval loop (DESIGN.md decision 3: native code re-enters the loop).
    pub fn call(&mut self, callable: &Value, args: Vec<Value>, kwargs: KwArgs) -> ToyResult<Value> {
        match callable {
            Value::Function(f) => {
                let locals = bind_arguments(f, args, kwargs)?;
                if f.code.flags.generator {
                    return Ok(self.make_generator(f, locals));
                }
                if self.greenlet && self.native_depth >= super::greenlet::MAX_GREENLET_NATIVE_DEPTH
                {
                    // A greenlet's pooled stack is smaller than a thread's: bound nesting.
                    return Err(Exc::recursion_error(
                        "maximum recursion depth exceeded while calling a Python object",
                    ));
                }
                let return_to = self.stack.len();
                self.stack.extend(locals);
                self.enter_function(f, return_to, return_to, true)?;
                self.native_depth += 1;
                let r = self.run();
                self.native_depth -= 1;
                r
            }
            Value::Builtin(b) => self.call_builtin(b, args, kwargs),
            Value::BoundMethod(bm) => {
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(bm.receiver.clone());
                full.extend(args);
                self.call(&bm.func, full, kwargs)
            }
            Value::Type(t) => {
                // A metaclass that defines `__call__` decides what calling the class does.
                let meta = t.metaclass();
                if !Arc::ptr_eq(meta, &types().type_) {
                    if let Some(call) = meta.lookup("__call__") {
                        if !matches!(&call, Value::Builtin(b) if b.owner.as_ref().is_some_and(|o| Arc::ptr_eq(o, &types().type_)))
                        {
                            let mut full = Vec::with_capacity(args.len() + 1);
                            full.push(callable.clone());
                            full.extend(args);
                            return self.call(&call, full, kwargs);
                        }
                    }
                }
                self.call_type(t, args, kwargs)
            }
            other => {
                if let Some(call) = self.lookup_special(other, "__call__") {
                    let mut full = Vec::with_capacity(args.len() + 1);
                    full.push(other.clone());
                    full.extend(args);
                    return self.call(&call, full, kwargs);
                }
                Err(Exc::type_error(format!(
                    "'{}' object is not callable",
                    other.type_name()
                )))
            }
        }
    }

    fn call_builtin(
        &mut self,
        b: &Arc<Builtin>,
        mut args: Vec<Value>,
        kwargs: KwArgs,
    ) -> ToyResult<Value> {
        // Taken first, so that no path leaves it set for a later, nested native call.
        let direct = std::mem::take(&mut self.direct_pending);
        if let Some(owner) = &b.owner {
            // A subclass of a builtin type: the method works on the builtin value inside.
            if let Some(inner) = args.first().and_then(base_value) {
                if owner.is_builtin && args[0].class().is_subtype(owner) {
                    args[0] = inner.clone();
                }
            }
            match args.first() {
                None => {
                    return Err(Exc::type_error(format!(
                        "unbound method {}() needs an argument",
                        b.qualname
                    )))
                }
                Some(receiver) if !receiver.class().is_subtype(owner) => {
                    return Err(Exc::type_error(format!(
                        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                        b.name,
                        owner.name,
                        receiver.type_name()
                    )))
                }
                _ => {}
            }
        }
        let outer = std::mem::replace(&mut self.in_direct_builtin, direct);
        let r = match &b.bound {
            Some(bound) => {
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(bound.clone());
                full.extend(args);
                (b.func)(self, &full, &kwargs)
            }
            None => (b.func)(self, &args, &kwargs),
        };
        self.in_direct_builtin = outer;
        r
    }

    /// Start a greenlet's `run(*args, **kwargs)` on this (fresh, greenlet) VM. A toy function
    /// gets the base frame with no native call around it, so a switch from it can park
    /// (vm::greenlet); anything else is called as native code would call it.
    pub(crate) fn start_greenlet(
        &mut self,
        run: &Value,
        mut args: Vec<Value>,
        kwargs: KwArgs,
    ) -> ToyResult<Value> {
        let f = match run {
            Value::Function(f) => f.clone(),
            Value::BoundMethod(bm) => match &bm.func {
                Value::Function(f) => {
                    args.insert(0, bm.receiver.clone());
                    f.clone()
                }
                _ => return self.call(run, args, kwargs),
            },
            _ => return self.call(run, args, kwargs),
        };
        if f.code.flags.generator {
            return self.call(&Value::Function(f), args, kwargs);
        }
        let locals = bind_arguments(&f, args, kwargs)?;
        let base = self.stack.len();
        self.stack.extend(locals);
        self.enter_function(&f, base, base, true)?;
        self.run()
    }

    /// `cls(*args, **kwargs)`: `__new__` then, if it returned an instance of `cls`,
    /// `__init__`.
    pub fn call_type(
        &mut self,
        cls: &Arc<crate::objects::TypeObj>,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> ToyResult<Value> {
        // Builtin types construct everything in their native `__new__`.
        if let Some(new) = cls.builtin_new() {
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(Value::Type(cls.clone()));
            full.extend(args);
            return new(self, &full, &kwargs);
        }
        // Through the method cache: a class's `__new__` and `__init__` are looked up at
        // every instantiation, usually in two or more class dicts of its MRO.
        let Some(new) = self.class_lookup(cls, &super::attr::names().new) else {
            return Err(Exc::type_error(format!(
                "cannot create '{}' instances",
                cls.name
            )));
        };
        let (obj, init) = if !cls.is_builtin && constructors::is_object_new(&new) {
            // `object.__new__` runs no toy code: made here, without its call.
            let init = self.class_lookup(cls, &super::attr::names().init);
            let has_args = !args.is_empty() || !kwargs.is_empty();
            let obj = constructors::new_plain_instance(cls, init.as_ref(), has_args)?;
            (obj, init)
        } else {
            let mut new_args = Vec::with_capacity(args.len() + 1);
            new_args.push(Value::Type(cls.clone()));
            new_args.extend(args.iter().cloned());
            let obj = self.call(&new, new_args, kwargs.clone())?;
            // Builtin types do all their work in `__new__`.
            if cls.is_builtin || !obj.class().is_subtype(cls) {
                return Ok(obj);
            }
            (obj, self.class_lookup(cls, &super::attr::names().init))
        };
        if let Some(init) = init {
            if !matches!(&init, Value::Builtin(b) if b.owner.as_ref().is_some_and(|o| Arc::ptr_eq(o, &types().object)))
            {
                let mut init_args = Vec::with_capacity(args.len() + 1);
                init_args.push(obj.clone());
                init_args.extend(args);
                let r = self.call(&init, init_args, kwargs)?;
                if !r.is_none() {
                    return Err(Exc::type_error(format!(
                        "__init__() should return None, not '{}'",
                        r.type_name()
                    )));
                }
            }
        }
        Ok(obj)
    }
}

impl Vm {
    /// Run a class body with `ns` as its namespace; returns its `__class__` cell (or None).
    pub fn run_class_body(
        &mut self,
        body: &Arc<Function>,
        ns: Arc<crate::objects::DictObj>,
    ) -> ToyResult<Value> {
        let base = self.stack.len();
        let mut frame = new_frame(body.clone(), &mut [], base, base, true);
        frame.extra_mut().namespace = Some(ns);
        self.push_frame(frame)?;
        self.native_depth += 1;
        let r = self.run();
        self.native_depth -= 1;
        r
    }

    /// The implicit arguments of `super()`: the class whose body defined the running
    /// method (its `__class__` cell) and the method's first argument.
    pub fn super_args_from_frame(&self) -> ToyResult<(Arc<crate::objects::TypeObj>, Value)> {
        let frame = self
            .frames
            .last()
            .ok_or_else(|| Exc::runtime_error("super(): no current frame"))?;
        let code = frame.code();
        let ncell = code.cellvars.len();
        let cell_index = code
            .cellvars
            .iter()
            .position(|c| c.as_str() == "__class__")
            .or_else(|| {
                code.freevars
                    .iter()
                    .position(|c| c.as_str() == "__class__")
                    .map(|i| i + ncell)
            });
        let class = match cell_index.and_then(|i| frame.cells.get(i)).map(|c| c.get()) {
            Some(Value::Type(t)) => t,
            Some(_) => return Err(Exc::runtime_error("super(): empty __class__ cell")),
            None => return Err(Exc::runtime_error("super(): __class__ cell not found")),
        };
        if code.argcount == 0 {
            return Err(Exc::runtime_error("super(): no arguments"));
        }
        // The first argument may have moved into a cell if an inner function captured it.
        let first = match code.cell_args.iter().find(|&&(_, slot)| slot == 0) {
            Some(&(cell, _)) => frame.cells[cell as usize].get(),
            None => self.stack.get(frame.base).cloned().unwrap_or(Value::Null),
        };
        if first.is_null() {
            return Err(Exc::runtime_error("super(): arg[0] deleted"));
        }
        Ok((class, first))
    }
}

/// A frame for `f` whose local slots are `locals` (at `base` in the stack). Parameters that
/// inner functions capture move from their slot into a fresh cell.
#[inline(always)]
fn new_frame(
    f: Arc<Function>,
    locals: &mut [Value],
    base: usize,
    return_to: usize,
    is_entry: bool,
) -> Frame {
    let cells = frame_cells(&f, locals);
    Frame {
        func: f,
        ip: 0,
        base,
        return_to,
        cells,
        is_entry,
        extra: None,
    }
}

/// The cells of a new frame of `f`: the code's cellvars (captured parameters move from
/// their slot in `locals` into theirs), then the function's closure.
#[inline(always)]
fn frame_cells(f: &Function, locals: &mut [Value]) -> Box<[Arc<Cell>]> {
    let code = &*f.code;
    if code.cellvars.is_empty() && f.closure.is_empty() {
        // No allocation; two words, returned in registers.
        Box::default()
    } else {
        let mut cells = Vec::with_capacity(code.cellvars.len() + f.closure.len());
        cells.extend(
            code.cellvars
                .iter()
                .map(|_| super::gc::track(Cell::default())),
        );
        for &(cell, slot) in &code.cell_args {
            if let Some(v) = locals.get_mut(slot as usize) {
                cells[cell as usize].set(std::mem::take(v));
            }
        }
        cells.extend(f.closure.iter().cloned());
        cells.into_boxed_slice()
    }
}

/// Bind call arguments to a function's parameter slots, with CPython's error messages.
/// Returns all local slots (parameters filled, other locals unbound).
pub fn bind_arguments(f: &Function, mut args: Vec<Value>, kwargs: KwArgs) -> ToyResult<Vec<Value>> {
    let code = &f.code;
    let argcount = code.argcount as usize;
    let kwonly = code.kwonlyargcount as usize;
    let nlocals = code.nlocals();
    let name = &f.qualname;

    // Fast path: positional arguments only, the missing trailing ones with defaults (a
    // bound method, a generator or coroutine function, a `*args` call).
    let nargs = args.len();
    if kwargs.is_empty()
        && nargs <= argcount
        && nargs + f.defaults.len() >= argcount
        && kwonly == 0
        && !code.flags.varargs
        && !code.flags.varkeywords
    {
        args.extend_from_slice(&f.defaults[f.defaults.len() - (argcount - nargs)..]);
        args.resize(nlocals, Value::Null);
        return Ok(args);
    }

    let mut slots: Vec<Value> = vec![Value::Null; nlocals];
    let mut extra_positional = Vec::new();
    for (i, a) in args.into_iter().enumerate() {
        if i < argcount {
            slots[i] = a;
        } else {
            extra_positional.push(a);
        }
    }
    let mut slot_index = argcount + kwonly;
    if code.flags.varargs {
        slots[slot_index] = Value::tuple(std::mem::take(&mut extra_positional));
        slot_index += 1;
    } else if !extra_positional.is_empty() {
        return Err(too_many_positional(f, nargs, &kwargs));
    }
    let kwdict = if code.flags.varkeywords {
        Some(crate::objects::DictObj::new())
    } else {
        None
    };
    let posonly = code.posonlyargcount as usize;
    let mut posonly_as_kw = Vec::new();
    for (key, value) in kwargs {
        let pos = code.varnames[..argcount + kwonly]
            .iter()
            .position(|v| v.as_str() == key.as_str());
        match pos {
            Some(i) if i >= posonly => {
                if !slots[i].is_null() {
                    return Err(Exc::type_error(format!(
                        "{name}() got multiple values for argument '{}'",
                        key.as_str()
                    )));
                }
                slots[i] = value;
            }
            _ => match &kwdict {
                Some(d) => {
                    d.set_item(Value::Str(key), value)?;
                }
                None => {
                    if pos.is_some() {
                        posonly_as_kw.push(key.as_str().to_string());
                        continue;
                    }
                    return Err(Exc::type_error(format!(
                        "{name}() got an unexpected keyword argument '{}'",
                        key.as_str()
                    )));
                }
            },
        }
    }
    if !posonly_as_kw.is_empty() {
        return Err(Exc::type_error(format!(
            "{name}() got some positional-only arguments passed as keyword arguments: '{}'",
            posonly_as_kw.join(", ")
        )));
    }
    if let Some(d) = kwdict {
        slots[slot_index] = Value::dict(d);
    }
    // Defaults for the trailing positional parameters.
    let first_default = argcount - f.defaults.len().min(argcount);
    let mut missing = Vec::new();
    for (i, slot) in slots.iter_mut().enumerate().take(argcount) {
        if slot.is_null() {
            if i >= first_default {
                *slot = f.defaults[i - first_default].clone();
            } else {
                missing.push(code.varnames[i].as_str().to_string());
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(name, &missing, "positional"));
    }
    let mut missing_kw = Vec::new();
    for (i, slot) in slots
        .iter_mut()
        .enumerate()
        .take(argcount + kwonly)
        .skip(argcount)
    {
        if slot.is_null() {
            let pname = code.varnames[i].as_str();
            match f.kwdefaults.iter().find(|(k, _)| k.as_str() == pname) {
                Some((_, v)) => *slot = v.clone(),
                None => missing_kw.push(pname.to_string()),
            }
        }
    }
    if !missing_kw.is_empty() {
        return Err(missing_error(name, &missing_kw, "keyword-only"));
    }
    Ok(slots)
}

fn missing_error(name: &str, missing: &[String], kind: &str) -> Exc {
    let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    let plural = if missing.len() == 1 {
        "argument"
    } else {
        "arguments"
    };
    Exc::type_error(format!(
        "{name}() missing {} required {kind} {plural}: {list}",
        missing.len()
    ))
}

fn too_many_positional(f: &Function, given: usize, kwargs: &KwArgs) -> Exc {
    let code = &f.code;
    let argcount = code.argcount as usize;
    let with_defaults = f.defaults.len().min(argcount);
    let takes = if with_defaults > 0 {
        format!("from {} to {}", argcount - with_defaults, argcount)
    } else {
        argcount.to_string()
    };
    let plural = if argcount == 1 && with_defaults == 0 {
        "argument"
    } else {
        "arguments"
    };
    let kw_given = kwargs
        .iter()
        .filter(|(k, _)| {
            code.varnames[argcount..argcount + code.kwonlyargcount as usize]
                .iter()
                .any(|v| v.as_str() == k.as_str())
        })
        .count();
    let was = if given == 1 { "was" } else { "were" };
    if kw_given > 0 {
        let kwplural = if kw_given == 1 {
            "argument"
        } else {
            "arguments"
        };
        return Exc::type_error(format!(
            "{}() takes {takes} positional {plural} but {given} positional {} (and {kw_given} keyword-only {kwplural}) were given",
            f.qualname,
            if given == 1 { "argument" } else { "arguments" }
        ));
    }
    Exc::type_error(format!(
        "{}() takes {takes} positional {plural} but {given} {was} given",
        f.qualname
    ))
}
