//! The eval loop: one `match` over `Instr`, run until the entry frame returns.
//!
//! Calls to toy functions push a frame and continue in the same loop; native code that
//! needs to call toy code re-enters through `Vm::call`, which starts a nested run of this
//! loop with its own entry frame.

use std::sync::Arc;

use super::frame::Frame;
use super::generator::GenStep;
use super::Vm;
use crate::compile::code::NameHints;
use crate::compile::opcode::Instr;
use crate::objects::exception::exception_state;
use crate::objects::iter::{step_state, Step};
use crate::objects::{
    types, DictObj, Exc, Function, SetObj, SliceObj, StrObj, ToyResult, TupleObj, Value,
};

/// How an instruction that may switch frames ended.
pub(crate) enum Flow {
    /// Keep running the current frame.
    Continue,
    /// The frame stack changed: reload the current frame.
    Reload,
}

macro_rules! pop {
    ($vm:expr) => {
        // Not `unwrap_or(Value::Null)`: its unused default would be dropped through the
        // out-of-line drop glue on every pop.
        match $vm.stack.pop() {
            Some(v) => v,
            None => Value::Null,
        }
    };
}

/// Pop the top of the stack and drop it (without a call when it is unboxed).
macro_rules! discard_top {
    ($vm:expr) => {
        if let Some(v) = $vm.stack.pop() {
            v.release();
        }
    };
}

impl Vm {
    /// Run frames until the entry frame (the one on top when called) returns.
    pub(crate) fn run(&mut self) -> ToyResult<Value> {
        self.run_from(self.frames.len())
    }

    /// Run frames until the frame at depth `entry_depth` (1-based) returns: a parked
    /// greenlet resumes with its whole frame stack and `entry_depth` 1.
    pub(crate) fn run_from(&mut self, entry_depth: usize) -> ToyResult<Value> {
        // Native code without a `Vm` may need to run toy code for this interpreter.
        super::reentry::note_interp(&self.interp);
        let mut code = match self.frames.last() {
            Some(f) => f.code().clone(),
            None => return Err(Exc::system_error("no frame to run")),
        };
        'reload: loop {
            let (mut ip, base) = match self.frames.last() {
                Some(f) => {
                    // A recursive call or its return runs the same code: keep the loop's
                    // reference rather than pay two atomic count updates.
                    if !Arc::ptr_eq(&code, f.code()) {
                        code = f.code().clone();
                    }
                    (f.ip, f.base)
                }
                None => return Err(Exc::system_error("no frame to run")),
            };
            let instrs = &code.instructions[..];
            let error: Exc = 'dispatch: loop {
                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'dispatch e,
                        }
                    };
                }
                // Push local slot `i`, or raise UnboundLocalError.
                macro_rules! load_fast {
                    ($i:expr) => {{
                        let i = $i as usize;
                        let v = &self.stack[base + i];
                        if v.is_null() {
                            let name = code.varnames[i].as_str().to_string();
                            break 'dispatch Exc::unbound_local(format!(
                                "cannot access local variable '{name}' where it is not associated with a value"
                            ));
                        }
                        let v = v.clone();
                        self.stack.push(v);
                    }};
                }
                macro_rules! save_ip {
                    () => {
                        if let Some(f) = self.frames.last_mut() {
                            f.ip = ip;
                        }
                    };
                }
                let Some(&instr) = instrs.get(ip) else {
                    break 'dispatch Exc::system_error("instruction pointer ran off the code");
                };
                ip += 1;
                if super::breaker::tick() {
                    if self.park_requested {
                        // A greenlet switch parks this VM (vm::greenlet): the instruction
                        // just fetched has not run; it runs first when the greenlet resumes.
                        if let Some(f) = self.frames.last_mut() {
                            f.ip = ip - 1;
                        }
                        super::breaker::cancel_request();
                        return Ok(Value::None);
                    }
                    save_ip!();
                    tri!(self.service_breaker());
                }
                match instr {
                    Instr::Nop => {}
                    Instr::PopTop => discard_top!(self),
                    Instr::Copy(n) => {
                        let v = self.stack[self.stack.len() - n as usize].clone();
                        self.stack.push(v);
                    }
                    Instr::Swap(n) => {
                        let len = self.stack.len();
                        self.stack.swap(len - 1, len - n as usize);
                    }
                    Instr::LoadConst(i) => self.stack.push(code.constants[i as usize].clone()),
                    Instr::LoadFast(i) => load_fast!(i),
                    Instr::FastConstBinaryOp { local, konst, op } => {
                        let (a, b) = (
                            &self.stack[base + local as usize],
                            &code.constants[konst as usize],
                        );
                        if let (Value::Int(x), Value::Int(y)) = (a, b) {
                            if let Some(r) = super::ops::small_int_op(op, *x, *y) {
                                if super::breaker::consume(2) {
                                    self.stack.push(Value::Int(r));
                                    ip += 2;
                                    continue;
                                }
                            }
                        }
                        load_fast!(local);
                    }
                    Instr::FastConstCompare { local, konst, op } => {
                        let (a, b) = (
                            &self.stack[base + local as usize],
                            &code.constants[konst as usize],
                        );
                        if let (Value::Int(x), Value::Int(y)) = (a, b) {
                            if super::breaker::consume(2) {
                                let r = super::ops::small_int_compare(op, *x, *y);
                                ip += 2;
                                if let Some(next) = take_compare_jump(instrs, ip, r) {
                                    ip = next;
                                    continue;
                                }
                                self.stack.push(Value::Bool(r));
                                continue;
                            }
                        }
                        load_fast!(local);
                    }
                    Instr::LoadFastPair(a, b) => {
                        load_fast!(a);
                        if super::breaker::consume(1) {
                            ip += 1;
                            load_fast!(b);
                        }
                    }
                    Instr::FastLoadAttr { local, name } => {
                        let slot = base + local as usize;
                        if self.stack[slot].is_null() || !super::breaker::consume(1) {
                            load_fast!(local);
                            continue;
                        }
                        let obj = self.stack[slot].clone();
                        ip += 1;
                        save_ip!();
                        let i = name as usize;
                        tri!(self.push_attr(&obj, &code.names[i], code.hints(i)));
                    }
                    Instr::StoreFast(i) => {
                        let v = pop!(self);
                        std::mem::replace(&mut self.stack[base + i as usize], v).release();
                    }
                    Instr::DeleteFast(i) => {
                        let slot = &mut self.stack[base + i as usize];
                        if slot.is_null() {
                            let name = code.varnames[i as usize].as_str().to_string();
                            break 'dispatch Exc::unbound_local(format!(
                                "cannot access local variable '{name}' where it is not associated with a value"
                            ));
                        }
                        *slot = Value::Null;
                    }
                    Instr::LoadDeref(i) => {
                        let v = self.current_frame().cells[i as usize].get();
                        if v.is_null() {
                            break 'dispatch unbound_cell_error(&code, i as usize);
                        }
                        self.stack.push(v);
                    }
                    Instr::StoreDeref(i) => {
                        let v = pop!(self);
                        self.current_frame().cells[i as usize].set(v);
                    }
                    Instr::DeleteDeref(i) => {
                        let cell = self.current_frame().cells[i as usize].clone();
                        if cell.get().is_null() {
                            break 'dispatch unbound_cell_error(&code, i as usize);
                        }
                        cell.set(Value::Null);
                    }
                    Instr::LoadClosure(i) => {
                        let cell = self.current_frame().cells[i as usize].clone();
                        self.stack.push(Value::Cell(cell));
                    }
                    Instr::LoadGlobal(i) => {
                        let i = i as usize;
                        tri!(self.push_global(&code.names[i], code.hints(i)));
                    }
                    Instr::StoreGlobal(i) => {
                        let v = pop!(self);
                        let name = code.names[i as usize].clone();
                        let globals = self.current_frame().globals().clone();
                        tri!(globals.set_item(Value::Str(name), v));
                    }
                    Instr::DeleteGlobal(i) => {
                        let name = code.names[i as usize].clone();
                        let globals = self.current_frame().globals().clone();
                        if tri!(globals.remove(&Value::Str(name.clone()))).is_none() {
                            break 'dispatch Exc::name_error(format!(
                                "name '{}' is not defined",
                                name.as_str()
                            ));
                        }
                    }
                    Instr::LoadName(i) => {
                        let name = code.names[i as usize].clone();
                        let ns = self.current_frame().namespace().cloned();
                        let found = match ns {
                            Some(ns) => tri!(ns.get(&Value::Str(name.clone()))),
                            None => None,
                        };
                        let v = match found {
                            Some(v) => v,
                            None => tri!(self.load_global(&name)),
                        };
                        self.stack.push(v);
                    }
                    Instr::StoreName(i) => {
                        let v = pop!(self);
                        let name = code.names[i as usize].clone();
                        let ns = self.frame_namespace();
                        tri!(ns.set_item(Value::Str(name), v));
                    }
                    Instr::DeleteName(i) => {
                        let name = code.names[i as usize].clone();
                        let ns = self.frame_namespace();
                        if tri!(ns.remove(&Value::Str(name.clone()))).is_none() {
                            break 'dispatch Exc::name_error(format!(
                                "name '{}' is not defined",
                                name.as_str()
                            ));
                        }
                    }
                    Instr::LoadAttr(i) => {
                        let obj = pop!(self);
                        save_ip!();
                        let i = i as usize;
                        tri!(self.push_attr(&obj, &code.names[i], code.hints(i)));
                    }
                    Instr::StoreAttr(i) => {
                        let obj = pop!(self);
                        let v = pop!(self);
                        save_ip!();
                        let i = i as usize;
                        tri!(self.store_attr(&obj, &code.names[i], v, code.hints(i)));
                    }
                    Instr::DeleteAttr(i) => {
                        let obj = pop!(self);
                        save_ip!();
                        tri!(self.del_attr(&obj, &code.names[i as usize]));
                    }
                    Instr::LoadMethod(i) => {
                        let obj = pop!(self);
                        save_ip!();
                        let i = i as usize;
                        let (func, receiver) =
                            tri!(self.load_method(obj, &code.names[i], code.hints(i)));
                        self.stack.push(func);
                        self.stack.push(receiver);
                    }
                    Instr::BinaryOp { op, inplace } => {
                        // Fast path: small ints that do not overflow, updated in place
                        // (building a new Value and pushing it costs a store-forwarding
                        // stall on x86).
                        if let [.., Value::Int(x), Value::Int(y)] = &mut self.stack[..] {
                            if let Some(r) = super::ops::small_int_op(op, *x, *y) {
                                *x = r;
                                discard_top!(self);
                                continue;
                            }
                        }
                        let b = pop!(self);
                        let a = pop!(self);
                        save_ip!();
                        let r = tri!(self.binary_op(op, inplace, a, b));
                        self.stack.push(r);
                    }
                    Instr::UnaryNegative | Instr::UnaryPositive | Instr::UnaryInvert => {
                        let a = pop!(self);
                        save_ip!();
                        let r = tri!(self.unary_op(instr, a));
                        self.stack.push(r);
                    }
                    Instr::UnaryNot => {
                        let a = pop!(self);
                        save_ip!();
                        let t = tri!(self.truthy(&a));
                        self.stack.push(Value::Bool(!t));
                    }
                    Instr::CompareOp(op) => {
                        if let [.., Value::Int(x), Value::Int(y)] = &self.stack[..] {
                            let r = super::ops::small_int_compare(op, *x, *y);
                            discard_top!(self);
                            if let Some(next) = take_compare_jump(instrs, ip, r) {
                                discard_top!(self);
                                ip = next;
                                continue;
                            }
                            if let Some(top) = self.stack.last_mut() {
                                std::mem::replace(top, Value::Bool(r)).release();
                            }
                            continue;
                        }
                        let b = pop!(self);
                        let a = pop!(self);
                        save_ip!();
                        let r = tri!(self.compare_op(op, &a, &b));
                        self.stack.push(r);
                    }
                    Instr::IsOp(invert) => {
                        let b = pop!(self);
                        let a = pop!(self);
                        self.stack.push(Value::Bool(a.is(&b) != invert));
                    }
                    Instr::ContainsOp(invert) => {
                        let len = self.stack.len();
                        if let Some(found) =
                            super::ops::contains_fast(&self.stack[len - 1], &self.stack[len - 2])
                        {
                            self.stack.truncate(len - 2);
                            self.stack.push(Value::Bool(found != invert));
                            continue;
                        }
                        let container = pop!(self);
                        let item = pop!(self);
                        save_ip!();
                        let r = tri!(self.contains(&container, &item));
                        self.stack.push(Value::Bool(r != invert));
                    }
                    Instr::BinarySubscr => {
                        let len = self.stack.len();
                        if let Some(v) =
                            super::ops::subscr_fast(&self.stack[len - 2], &self.stack[len - 1])
                        {
                            self.stack.truncate(len - 2);
                            self.stack.push(v);
                            continue;
                        }
                        let key = pop!(self);
                        let container = pop!(self);
                        save_ip!();
                        let v = tri!(self.get_item(&container, &key));
                        self.stack.push(v);
                    }
                    Instr::StoreSubscr => {
                        let key = pop!(self);
                        let container = pop!(self);
                        let v = pop!(self);
                        save_ip!();
                        tri!(self.set_item(&container, key, v));
                    }
                    Instr::DeleteSubscr => {
                        let key = pop!(self);
                        let container = pop!(self);
                        save_ip!();
                        tri!(self.del_item(&container, &key));
                    }
                    Instr::BuildList(n) => {
                        let items = self.pop_n(n as usize);
                        self.stack.push(Value::list(items));
                    }
                    Instr::BuildTuple(n) => {
                        let items = self.pop_n(n as usize);
                        self.stack.push(Value::tuple(items));
                    }
                    Instr::BuildSet(n) => {
                        let items = self.pop_n(n as usize);
                        save_ip!();
                        let set = tri!(SetObj::from_values_in(self, false, items));
                        self.stack.push(Value::set(set));
                    }
                    Instr::BuildMap(n) => {
                        let items = self.pop_n(2 * n as usize);
                        save_ip!();
                        let dict = DictObj::new();
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            tri!(dict.set_item_in(self, k, v));
                        }
                        self.stack.push(Value::dict(dict));
                    }
                    Instr::BuildSlice(n) => {
                        let step = if n == 3 { pop!(self) } else { Value::None };
                        let stop = pop!(self);
                        let start = pop!(self);
                        self.stack
                            .push(Value::Slice(Arc::new(SliceObj { start, stop, step })));
                    }
                    Instr::BuildString(n) => {
                        let at = self.stack.len() - n as usize;
                        let s = crate::objects::str::concat(&self.stack[at..]);
                        self.stack.truncate(at);
                        self.stack.push(s);
                    }
                    Instr::ListAppend(n) => {
                        let item = pop!(self);
                        if let Value::List(l) = &self.stack[self.stack.len() - n as usize] {
                            l.push(item);
                        }
                    }
                    Instr::SetAdd(n) => {
                        let item = pop!(self);
                        // The set leaves its slot while it is updated with `self` running
                        // any toy `__hash__`/`__eq__` (toy code cannot see this slot).
                        let at = self.stack.len() - n as usize;
                        let target = std::mem::replace(&mut self.stack[at], Value::Null);
                        let r = match &target {
                            Value::Set(s) => {
                                save_ip!();
                                s.add_in(self, item)
                            }
                            _ => Ok(()),
                        };
                        self.stack[at] = target;
                        tri!(r);
                    }
                    Instr::MapAdd(n) => {
                        let v = pop!(self);
                        let k = pop!(self);
                        // As in `SetAdd`.
                        let at = self.stack.len() - n as usize;
                        let target = std::mem::replace(&mut self.stack[at], Value::Null);
                        let r = match &target {
                            Value::Dict(d) => {
                                save_ip!();
                                d.set_item_in(self, k, v)
                            }
                            _ => Ok(()),
                        };
                        self.stack[at] = target;
                        tri!(r);
                    }
                    Instr::ListExtend(n) | Instr::SetUpdate(n) => {
                        let iterable = pop!(self);
                        save_ip!();
                        let items = tri!(self.collect(&iterable).map_err(|e| {
                            if e.matches(&types().exceptions.type_error)
                                && !self.is_iterable(&iterable)
                            {
                                Exc::type_error(format!(
                                    "Value after * must be an iterable, not {}",
                                    iterable.type_name()
                                ))
                            } else {
                                e
                            }
                        }));
                        match (self.stack[self.stack.len() - n as usize].clone(), &iterable) {
                            (Value::List(l), _) => l.lock().extend(items),
                            // Merging a set copies its layout, as CPython's set_merge does.
                            (Value::Set(s), Value::Set(other)) => tri!(s.update_from(self, other)),
                            (Value::Set(s), _) => tri!(s.update_values(self, items)),
                            _ => {}
                        }
                    }
                    Instr::DictUpdate(n) | Instr::DictMerge(n) => {
                        let mapping = pop!(self);
                        save_ip!();
                        // An exact dict's keys keep the hashes it stored (CPython's
                        // `dict_merge`); other mappings' keys are hashed here.
                        let pairs: Vec<(Option<u64>, Value, Value)> = match &mapping {
                            Value::Dict(src) => src
                                .entries()
                                .into_iter()
                                .map(|e| (Some(e.hash), e.key, e.value))
                                .collect(),
                            _ => tri!(self.mapping_items(&mapping).map_err(|_| {
                                Exc::type_error(format!(
                                    "'{}' object is not a mapping",
                                    mapping.type_name()
                                ))
                            }))
                            .into_iter()
                            .map(|(k, v)| (None, k, v))
                            .collect(),
                        };
                        let target = self.stack[self.stack.len() - n as usize].clone();
                        if let Value::Dict(d) = target {
                            for (hash, k, v) in pairs {
                                if matches!(instr, Instr::DictMerge(_))
                                    && tri!(d.get_in(self, &k)).is_some()
                                {
                                    let func = self.callable_name_at(n as usize + 1);
                                    break 'dispatch Exc::type_error(format!(
                                        "{func} got multiple values for keyword argument '{}'",
                                        tri!(self.to_str(&k))
                                    ));
                                }
                                match hash {
                                    Some(h) => tri!(d.set_item_hashed_in(self, h, k, v)),
                                    None => tri!(d.set_item_in(self, k, v)),
                                }
                            }
                        }
                    }
                    Instr::ListToTuple => {
                        let l = pop!(self);
                        let items = match &l {
                            Value::List(l) => l.snapshot(),
                            _ => Vec::new(),
                        };
                        self.stack.push(Value::tuple(items));
                    }
                    Instr::FormatValue {
                        conversion,
                        with_spec,
                    } => {
                        let spec = if with_spec { pop!(self) } else { Value::Null };
                        let v = pop!(self);
                        save_ip!();
                        let converted = match conversion {
                            1 => tri!(self.str_of(&v)),
                            2 => Value::string(tri!(self.repr(&v))),
                            3 => Value::string(ascii_escape(&tri!(self.repr(&v)))),
                            _ => v,
                        };
                        let spec_str = match &spec {
                            Value::Str(s) => s.as_str(),
                            _ => "",
                        };
                        let s = tri!(self.format_value(&converted, spec_str));
                        self.stack.push(s);
                    }
                    Instr::Jump(t) => ip = t as usize,
                    Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                        let b = match pop!(self) {
                            Value::Bool(b) => b,
                            other => {
                                save_ip!();
                                tri!(self.truthy(&other))
                            }
                        };
                        if b == matches!(instr, Instr::PopJumpIfTrue(_)) {
                            ip = t as usize;
                        }
                    }
                    Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                        let top = self.stack.last().cloned().unwrap_or(Value::Null);
                        save_ip!();
                        let b = tri!(self.truthy(&top));
                        let jump_when = matches!(instr, Instr::JumpIfTrueOrPop(_));
                        if b == jump_when {
                            ip = t as usize;
                        } else {
                            self.stack.pop();
                        }
                    }
                    Instr::GetIter => {
                        let v = pop!(self);
                        save_ip!();
                        let it = tri!(self.get_iter(&v));
                        self.stack.push(it);
                    }
                    Instr::ForIter(t) => {
                        // Builtin iterators step here; an exclusively owned one needs no lock.
                        let top = self.stack.len() - 1;
                        if let Value::Generator(g) = &self.stack[top] {
                            let g = g.clone();
                            save_ip!();
                            match self.gen_enter(&g, Some(Value::None), false, Some(t)) {
                                Ok(true) => continue 'reload,
                                Ok(false) => {
                                    self.stack.pop();
                                    ip = t as usize;
                                    continue;
                                }
                                Err(e) => break 'dispatch e,
                            }
                        }
                        let stepped = match &mut self.stack[top] {
                            Value::Iter(it) => {
                                let kind = it.kind;
                                match Arc::get_mut(it) {
                                    Some(owned) => Some(step_state(owned.state.get_mut(), kind)),
                                    None => Some(it.step()),
                                }
                            }
                            _ => None,
                        };
                        let item = match stepped {
                            Some(Ok(Step::Item(v))) => Some(v),
                            Some(Ok(Step::Done)) => None,
                            Some(Err(e)) => break 'dispatch e,
                            Some(Ok(Step::NeedsVm)) | None => {
                                let it = self.stack[top].clone();
                                save_ip!();
                                tri!(self.next(&it))
                            }
                        };
                        match item {
                            Some(v) => self.stack.push(v),
                            None => {
                                self.stack.pop();
                                ip = t as usize;
                            }
                        }
                    }
                    Instr::UnpackSequence(n) => {
                        let seq = pop!(self);
                        save_ip!();
                        let items = tri!(self.unpack(&seq, n as usize));
                        self.stack.extend(items.into_iter().rev());
                    }
                    Instr::UnpackEx { before, after } => {
                        let seq = pop!(self);
                        save_ip!();
                        let items = tri!(self.unpack_ex(&seq, before as usize, after as usize));
                        self.stack.extend(items.into_iter().rev());
                    }
                    Instr::Call(argc) => {
                        save_ip!();
                        let callable_at = self.stack.len() - argc as usize - 1;
                        match tri!(self.call_at(callable_at, callable_at + 1, None)) {
                            Flow::Continue => {}
                            Flow::Reload => continue 'reload,
                        }
                    }
                    Instr::CallMethod(argc) => {
                        save_ip!();
                        let callable_at = self.stack.len() - argc as usize - 2;
                        let args_at = if self.stack[callable_at + 1].is_null() {
                            callable_at + 2
                        } else {
                            callable_at + 1
                        };
                        match tri!(self.call_at(callable_at, args_at, None)) {
                            Flow::Continue => {}
                            Flow::Reload => continue 'reload,
                        }
                    }
                    Instr::CallKw(argc) => {
                        save_ip!();
                        let names = match pop!(self) {
                            Value::Tuple(t) => t,
                            _ => Arc::new(TupleObj::new(vec![])),
                        };
                        let callable_at = self.stack.len() - argc as usize - 1;
                        match tri!(self.call_at(callable_at, callable_at + 1, Some(names))) {
                            Flow::Continue => {}
                            Flow::Reload => continue 'reload,
                        }
                    }
                    Instr::CallFunctionEx { with_kwargs } => {
                        save_ip!();
                        let kwargs = if with_kwargs { pop!(self) } else { Value::None };
                        let args = pop!(self);
                        let func = pop!(self);
                        let args = match args {
                            Value::Tuple(t) => t.items().to_vec(),
                            other => tri!(self.collect(&other)),
                        };
                        let kw = match &kwargs {
                            Value::Dict(d) => {
                                let mut kw = Vec::new();
                                for (k, v) in d.items() {
                                    match k {
                                        Value::Str(s) => kw.push((s, v)),
                                        _ => {
                                            break 'dispatch Exc::type_error(
                                                "keywords must be strings",
                                            )
                                        }
                                    }
                                }
                                kw
                            }
                            _ => Vec::new(),
                        };
                        let callable_at = self.stack.len();
                        self.stack.push(func);
                        match tri!(self.call_prepared(callable_at, args, kw)) {
                            Flow::Continue => {}
                            Flow::Reload => continue 'reload,
                        }
                    }
                    Instr::MakeFunction(flags) => {
                        let code_value = pop!(self);
                        let closure = if flags & 8 != 0 {
                            pop!(self)
                        } else {
                            Value::None
                        };
                        let kwdefaults = if flags & 2 != 0 {
                            pop!(self)
                        } else {
                            Value::None
                        };
                        let defaults = if flags & 1 != 0 {
                            pop!(self)
                        } else {
                            Value::None
                        };
                        let Value::Code(fcode) = code_value else {
                            break 'dispatch Exc::system_error(
                                "MakeFunction without a code object",
                            );
                        };
                        let globals = self.current_frame().globals().clone();
                        let f = make_function(fcode, globals, defaults, kwdefaults, closure);
                        self.stack.push(Value::Function(super::gc::track(f)));
                    }
                    Instr::ReturnValue => {
                        let v = pop!(self);
                        let frame = self.frames.pop().expect("a frame is running");
                        self.stack.truncate(frame.return_to);
                        if let Some(g) = frame.generator() {
                            // Its frame is this one, already off the generator: finished.
                            g.state.lock().running = false;
                            self.handled = frame.caller_handled().clone();
                            if let Some(exit) = frame.for_exit() {
                                // An inline `for` over this generator: the loop is done.
                                self.stack.pop();
                                if let Some(caller) = self.frames.last_mut() {
                                    caller.ip = exit as usize;
                                }
                                continue 'reload;
                            }
                            self.yielded = false;
                        }
                        if frame.is_entry || self.frames.len() < entry_depth {
                            return Ok(v);
                        }
                        self.stack.push(v);
                        continue 'reload;
                    }
                    Instr::Raise(0) => {
                        save_ip!();
                        match Exc::from_value(self.handled.clone()) {
                            Some(e) => {
                                // A bare `raise` keeps the traceback as it is.
                                self.unwind(e, false)?;
                                continue 'reload;
                            }
                            None => {
                                break 'dispatch Exc::runtime_error(
                                    "No active exception to reraise",
                                )
                            }
                        }
                    }
                    Instr::Raise(1) => {
                        save_ip!();
                        let v = pop!(self);
                        break 'dispatch tri!(self.make_exception(v));
                    }
                    Instr::Raise(_) => {
                        save_ip!();
                        let cause = pop!(self);
                        let v = pop!(self);
                        let e = tri!(self.make_exception(v));
                        let cause = match cause {
                            Value::None => None,
                            c => Some(tri!(self.make_exception(c)).0),
                        };
                        {
                            let mut st = e.state();
                            st.cause = cause;
                            st.suppress_context = true;
                        }
                        break 'dispatch e;
                    }
                    Instr::Reraise => {
                        let v = pop!(self);
                        save_ip!();
                        self.unwind(reraised(v), false)?;
                        continue 'reload;
                    }
                    Instr::PushExcInfo => {
                        let exc = pop!(self);
                        let prev = std::mem::replace(&mut self.handled, exc.clone());
                        self.stack.push(prev);
                        self.stack.push(exc);
                    }
                    Instr::PopExcept => {
                        let prev = pop!(self);
                        self.handled = prev;
                    }
                    Instr::CheckExcMatch => {
                        let class = pop!(self);
                        let exc = self.stack.last().cloned().unwrap_or(Value::Null);
                        save_ip!();
                        let m = tri!(self.exception_matches(&exc, &class));
                        self.stack.push(Value::Bool(m));
                    }
                    Instr::LoadAssertionError => {
                        self.stack
                            .push(Value::Type(types().exceptions.assertion_error.clone()));
                    }
                    Instr::BeforeWith => {
                        let mgr = pop!(self);
                        save_ip!();
                        let (exit, entered) = tri!(self.enter_context(&mgr));
                        self.stack.push(exit);
                        self.stack.push(entered);
                    }
                    Instr::WithExceptStart => {
                        let len = self.stack.len();
                        let exc = self.stack[len - 1].clone();
                        let exit = self.stack[len - 3].clone();
                        save_ip!();
                        let class = Value::Type(exc.class().clone());
                        let r = tri!(self.call(&exit, vec![class, exc, Value::None], Vec::new()));
                        self.stack.push(r);
                    }
                    Instr::ImportName(i) => {
                        let fromlist = pop!(self);
                        let level = pop!(self);
                        save_ip!();
                        let name = code.names[i as usize].clone();
                        let m = tri!(self.import(name.as_str(), &fromlist, &level));
                        self.stack.push(m);
                    }
                    Instr::ImportFrom(i) => {
                        let module = self.stack.last().cloned().unwrap_or(Value::Null);
                        save_ip!();
                        let v = tri!(self.import_from(&module, &code.names[i as usize]));
                        self.stack.push(v);
                    }
                    Instr::ImportStar => {
                        let module = pop!(self);
                        save_ip!();
                        let ns = self.frame_namespace();
                        tri!(self.import_star(&module, &ns));
                    }
                    Instr::PrintExpr => {
                        let v = pop!(self);
                        if !v.is_none() {
                            save_ip!();
                            let r = tri!(self.repr(&v));
                            tri!(self.write_stdout(&format!("{r}\n")));
                            self.interp.builtins.set_str("_", v);
                        }
                    }
                    Instr::LoadBuildClass => {
                        let v = tri!(
                            self.load_global(&Arc::new(StrObj::new("__build_class__".into())))
                        );
                        self.stack.push(v);
                    }
                    Instr::YieldValue => {
                        let v = pop!(self);
                        save_ip!();
                        let (is_entry, _) = tri!(self.gen_suspend());
                        if is_entry {
                            self.yielded = true;
                            return Ok(v);
                        }
                        // Resumed inline by a `for` loop: the item goes on the loop's stack.
                        self.stack.push(v);
                        continue 'reload;
                    }
                    Instr::GetYieldFromIter => {
                        let v = pop!(self);
                        save_ip!();
                        let it = match v {
                            Value::Generator(g) if g.is_coroutine && !code.flags.coroutine => {
                                break 'dispatch Exc::type_error(
                                    "cannot 'yield from' a coroutine object in a non-coroutine generator",
                                );
                            }
                            Value::Generator(_) => v,
                            other => tri!(self.get_iter(&other)),
                        };
                        self.stack.push(it);
                    }
                    Instr::GetAwaitable => {
                        let v = pop!(self);
                        save_ip!();
                        let it = tri!(self.get_awaitable(v));
                        self.stack.push(it);
                    }
                    Instr::BeforeAsyncWith => {
                        let mgr = pop!(self);
                        save_ip!();
                        let (exit, awaitable) = tri!(self.enter_async_context(&mgr));
                        self.stack.push(exit);
                        self.stack.push(awaitable);
                    }
                    Instr::GetAIter => {
                        let v = pop!(self);
                        save_ip!();
                        let it = tri!(self.get_aiter(&v));
                        self.stack.push(it);
                    }
                    Instr::GetANext => {
                        let it = self.stack.last().cloned().unwrap_or(Value::Null);
                        save_ip!();
                        let awaitable = tri!(self.get_anext(&it));
                        self.stack.push(awaitable);
                    }
                    Instr::EndAsyncFor => {
                        let exc = pop!(self);
                        save_ip!();
                        if exc
                            .class()
                            .is_subtype(&types().exceptions.stop_async_iteration)
                        {
                            self.stack.pop();
                        } else {
                            self.unwind(reraised(exc), false)?;
                            continue 'reload;
                        }
                    }
                    Instr::Send(t) => {
                        let v = pop!(self);
                        let sub = self.stack.last().cloned().unwrap_or(Value::Null);
                        save_ip!();
                        let step = match &sub {
                            Value::Generator(g) => tri!(self.gen_resume(g, v)),
                            other => match tri!(self.next(other)) {
                                Some(x) => GenStep::Yielded(x),
                                None => GenStep::Returned(Value::None),
                            },
                        };
                        match step {
                            GenStep::Yielded(x) => self.stack.push(x),
                            GenStep::Returned(r) => {
                                self.stack.pop();
                                self.stack.push(r);
                                ip = t as usize;
                            }
                        }
                    }
                }
            };
            // An instruction raised: record where, then find a handler.
            if let Some(f) = self.frames.last_mut() {
                f.ip = ip;
            }
            self.unwind(error, true)?;
        }
    }

    fn current_frame(&self) -> &Frame {
        self.frames.last().expect("a frame is running")
    }

    /// The namespace dict of the running module/class body.
    fn frame_namespace(&self) -> Arc<DictObj> {
        let f = self.current_frame();
        f.namespace().unwrap_or(f.globals()).clone()
    }

    pub(crate) fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len() - n;
        self.stack.split_off(at)
    }

    /// Push `name` from the globals of the running frame, else from the builtins, through
    /// a code object's hints for it. Pushed straight from the dict: a returned `Value` would
    /// travel through a temporary whose reload stalls (store forwarding).
    #[inline(always)]
    fn push_global(&mut self, name: &StrObj, hints: &NameHints) -> ToyResult<()> {
        let Some(frame) = self.frames.last() else {
            return Err(Exc::system_error("no frame to run"));
        };
        if frame
            .globals()
            .push_name_hinted(name, &hints.global, &mut self.stack)
            || self
                .interp
                .builtins
                .push_name_hinted(name, &hints.builtin, &mut self.stack)
        {
            return Ok(());
        }
        Err(Exc::name_error(format!(
            "name '{}' is not defined",
            name.as_str()
        )))
    }

    /// A global or builtin looked up where no code object's hints apply.
    pub(crate) fn load_global(&mut self, name: &Arc<StrObj>) -> ToyResult<Value> {
        self.push_global(name, &NameHints::default())?;
        Ok(pop!(self))
    }

    /// The callable's name for "got multiple values" messages (`f()`).
    fn callable_name_at(&self, depth: usize) -> String {
        let v = &self.stack[self.stack.len().saturating_sub(depth + 1)];
        match v {
            Value::Function(f) => format!("{}()", f.qualname),
            Value::Builtin(b) => format!("{}()", b.qualname),
            other => format!("{}()", other.type_name()),
        }
    }

    /// Find a handler for `exc`, starting in the current frame and popping frames that
    /// have none. `add_traceback` is false for re-raises. Returns `Err` when the exception
    /// leaves the entry frame of this run.
    pub(crate) fn unwind(&mut self, exc: Exc, add_traceback: bool) -> ToyResult<()> {
        if add_traceback {
            self.chain_context(&exc);
            if let Some(f) = self.frames.last() {
                super::traceback::add_entry(&exc, f);
            }
        }
        let mut exc = exc;
        loop {
            let Some(frame) = self.frames.last() else {
                return Err(exc);
            };
            let ip = frame.ip.saturating_sub(1);
            if let Some(h) = frame.code().handler_for(ip) {
                let depth = frame.base + frame.code().nlocals() + h.depth as usize;
                let handler = h.handler as usize;
                self.stack.truncate(depth);
                self.stack.push(exc.0.clone());
                if let Some(f) = self.frames.last_mut() {
                    f.ip = handler;
                }
                return Ok(());
            }
            let frame = self.frames.pop().expect("checked above");
            self.stack.truncate(frame.return_to);
            exc = self.gen_frame_failed(&frame, exc);
            if frame.is_entry {
                return Err(exc);
            }
            if let Some(caller) = self.frames.last() {
                super::traceback::add_entry(&exc, caller);
            }
        }
    }

    /// A new exception raised while another is being handled records it as `__context__`.
    fn chain_context(&self, exc: &Exc) {
        if self.handled.is_none() || self.handled.is(&exc.0) {
            return;
        }
        let mut st = exc.state();
        if st.context.is_none() {
            st.context = Some(self.handled.clone());
        }
    }

    /// Turn the operand of `raise` into an exception instance: an instance is used as is, a
    /// class is instantiated with no arguments.
    pub(crate) fn make_exception(&mut self, v: Value) -> ToyResult<Exc> {
        let base = &types().exceptions.base_exception;
        match &v {
            Value::Type(t) if t.is_subtype(base) => {
                let inst = self.call(&v, Vec::new(), Vec::new())?;
                Exc::from_value(inst).ok_or_else(|| {
                    Exc::type_error("calling an exception class did not return an exception")
                })
            }
            _ => {
                if exception_state(&v).is_some() {
                    Ok(Exc(v))
                } else {
                    Err(Exc::type_error("exceptions must derive from BaseException"))
                }
            }
        }
    }

    /// `except C:` — C may be a class or a (flat) tuple of classes.
    fn exception_matches(&mut self, exc: &Value, class: &Value) -> ToyResult<bool> {
        let base = &types().exceptions.base_exception;
        let not_allowed = || {
            Exc::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )
        };
        match class {
            Value::Type(t) if t.is_subtype(base) => Ok(exc.class().is_subtype(t)),
            Value::Tuple(items) => {
                let mut matched = false;
                for c in items.items() {
                    match c {
                        Value::Type(t) if t.is_subtype(base) => {
                            matched |= exc.class().is_subtype(t)
                        }
                        _ => return Err(not_allowed()),
                    }
                }
                Ok(matched)
            }
            _ => Err(not_allowed()),
        }
    }
}

fn unbound_cell_error(code: &crate::compile::code::Code, i: usize) -> Exc {
    let ncell = code.cellvars.len();
    if i < ncell {
        let name = code.cellvars[i].as_str();
        Exc::unbound_local(format!(
            "cannot access local variable '{name}' where it is not associated with a value"
        ))
    } else {
        let name = code
            .freevars
            .get(i - ncell)
            .map(|n| n.as_str().to_string())
            .unwrap_or_default();
        Exc::name_error(format!(
            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
        ))
    }
}

/// The test of an `if` or `while` right after an int comparison whose result is `r`: the
/// `PopJumpIfFalse`/`PopJumpIfTrue` at `ip` taken here, without a bool stored and loaded back
/// through the stack (a store-forwarding stall) and another dispatch. It still counts as an
/// instruction for the breaker. The next `ip`, or None when no such jump follows or the
/// breaker must stop before it.
#[inline(always)]
fn take_compare_jump(instrs: &[Instr], ip: usize, r: bool) -> Option<usize> {
    let (jump_when, target) = match instrs.get(ip) {
        Some(&Instr::PopJumpIfFalse(t)) => (false, t),
        Some(&Instr::PopJumpIfTrue(t)) => (true, t),
        _ => return None,
    };
    if !super::breaker::consume(1) {
        return None;
    }
    Some(if r == jump_when {
        target as usize
    } else {
        ip + 1
    })
}

pub(crate) fn make_function(
    code: Arc<crate::compile::code::Code>,
    globals: Arc<DictObj>,
    defaults: Value,
    kwdefaults: Value,
    closure: Value,
) -> Function {
    let defaults = match defaults {
        Value::Tuple(t) => t.items().to_vec(),
        _ => Vec::new(),
    };
    let kwdefaults = match kwdefaults {
        Value::Dict(d) => d
            .items()
            .into_iter()
            .filter_map(|(k, v)| match k {
                Value::Str(s) => Some((s, v)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let closure = match closure {
        Value::Tuple(t) => t
            .items()
            .iter()
            .filter_map(|c| match c {
                Value::Cell(c) => Some(c.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Function {
        name: parking_lot::Mutex::new(code.name.clone()),
        qualname: code.qualname.clone(),
        doc: code.docstring.clone(),
        code,
        globals,
        defaults,
        kwdefaults,
        closure,
        // Not registered: the collector walks it as part of its function.
        dict: Arc::new(DictObj::new()),
        gc: Default::default(),
    }
}

/// `ascii()`: escape non-ASCII characters of a repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n <= 0xff {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n <= 0xffff {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

/// The exception a re-raising instruction (`Reraise`, `EndAsyncFor`) finds on the stack.
fn reraised(v: Value) -> Exc {
    Exc::from_value(v).unwrap_or_else(|| Exc::system_error("re-raised a non-exception"))
}
