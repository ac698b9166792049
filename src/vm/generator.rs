//! Resuming and suspending generators.
//!
//! A generator resumed by native code (`next()`, `send()`, `yield from`) runs as the entry
//! frame of a nested run; one resumed by a `for` loop runs inline in the loop's own run, so
//! iterating a generator costs no Rust recursion.

use std::sync::Arc;

use super::Vm;
use crate::objects::{types, Exc, GenObj, ToyResult, Value};

/// What one resumption produced.
pub enum GenStep {
    Yielded(Value),
    Returned(Value),
}

impl Vm {
    /// Put the generator's frame back on the stack. Returns false when it has finished.
    pub(crate) fn gen_enter(
        &mut self,
        g: &Arc<GenObj>,
        send: Option<Value>,
        is_entry: bool,
        for_exit: Option<u32>,
    ) -> ToyResult<bool> {
        let mut st = g.state.lock();
        if st.running {
            return Err(Exc::value_error(format!(
                "{} already executing",
                g.kind_name()
            )));
        }
        let Some(mut frame) = st.frame.take() else {
            if g.is_coroutine {
                return Err(Exc::runtime_error("cannot reuse already awaited coroutine"));
            }
            return Ok(false);
        };
        if !st.started && send.as_ref().is_some_and(|v| !v.is_none()) {
            st.frame = Some(frame);
            return Err(Exc::type_error(format!(
                "can't send non-None value to a just-started {}",
                g.kind_name()
            )));
        }
        st.running = true;
        let base = self.stack.len();
        frame.base = base;
        frame.return_to = base;
        frame.is_entry = is_entry;
        let extra = frame.extra_mut();
        extra.for_exit = for_exit;
        extra.generator = Some(g.clone());
        let handled = std::mem::take(&mut st.handled);
        let inside = if handled.is_none() {
            self.handled.clone()
        } else {
            handled
        };
        extra.caller_handled = std::mem::replace(&mut self.handled, inside);
        self.stack.append(&mut st.values);
        if st.started {
            if let Some(v) = send {
                self.stack.push(v);
            }
        }
        drop(st);
        if let Err(e) = self.push_frame(frame) {
            g.finish();
            return Err(e);
        }
        Ok(true)
    }

    /// Suspend the running generator frame at a `yield` (the yielded value is already
    /// popped). Returns whether the frame was an entry frame.
    pub(crate) fn gen_suspend(&mut self) -> ToyResult<(bool, Option<u32>)> {
        let Some(mut frame) = self.frames.pop() else {
            return Err(Exc::system_error("yield without a frame"));
        };
        let Some(extra) = frame.extra.as_mut() else {
            return Err(Exc::system_error("yield outside a generator frame"));
        };
        let Some(g) = extra.generator.take() else {
            return Err(Exc::system_error("yield outside a generator frame"));
        };
        let caller_handled = std::mem::take(&mut extra.caller_handled);
        let for_exit = extra.for_exit;
        let handled = std::mem::replace(&mut self.handled, caller_handled);
        let (is_entry, base) = (frame.is_entry, frame.base);
        let mut st = g.state.lock();
        st.values.extend(self.stack.drain(base..));
        st.frame = Some(frame);
        st.running = false;
        st.started = true;
        st.handled = handled;
        Ok((is_entry, for_exit))
    }

    /// Resume from native code with `send` as the value of the paused `yield`.
    pub fn gen_resume(&mut self, g: &Arc<GenObj>, send: Value) -> ToyResult<GenStep> {
        if !self.gen_enter(g, Some(send), true, None)? {
            return Ok(GenStep::Returned(Value::None));
        }
        let r = self.run()?;
        Ok(if std::mem::take(&mut self.yielded) {
            GenStep::Yielded(r)
        } else {
            GenStep::Returned(r)
        })
    }

    /// `next(g)` / `g.send(v)`: the yielded value, or StopIteration carrying the return value.
    pub fn gen_resume_value(&mut self, g: &Arc<GenObj>, send: Value) -> ToyResult<Value> {
        match self.gen_resume(g, send)? {
            GenStep::Yielded(v) => Ok(v),
            GenStep::Returned(Value::None) => Err(Exc::stop_iteration(None)),
            GenStep::Returned(v) => Err(Exc::stop_iteration(Some(v))),
        }
    }

    /// `g.throw(exc)`: raise `exc` at the paused `yield`.
    pub fn gen_throw(&mut self, g: &Arc<GenObj>, exc: Exc) -> ToyResult<Value> {
        let started = {
            let st = g.state.lock();
            if st.running {
                return Err(Exc::value_error("generator already executing"));
            }
            st.is_suspended() && st.started
        };
        if !started {
            // Never started (or finished): the exception surfaces without running any code.
            g.finish();
            return Err(exc);
        }
        // Paused in `yield from`: the exception goes to the sub-generator first.
        let mut exc = exc;
        if let Some(sub) = self.delegate_of(g) {
            if exc.matches(&types().exceptions.generator_exit) {
                self.gen_close(&sub)?;
            } else {
                match self.gen_throw(&sub, exc) {
                    Ok(v) => return Ok(v),
                    Err(e) if e.matches(&types().exceptions.stop_iteration) => {
                        // The sub-generator finished: `yield from` evaluates to its value.
                        let value = crate::objects::exception::exception_args(&e.0)
                            .into_iter()
                            .next();
                        self.finish_delegation(g, value.unwrap_or(Value::None));
                        return self.gen_resume_value(g, Value::None);
                    }
                    Err(e) => exc = e,
                }
            }
        }
        if !self.gen_enter(g, None, true, None)? {
            return Err(exc);
        }
        self.unwind(exc, true)?;
        let r = self.run()?;
        if std::mem::take(&mut self.yielded) {
            Ok(r)
        } else if r.is_none() {
            Err(Exc::stop_iteration(None))
        } else {
            Err(Exc::stop_iteration(Some(r)))
        }
    }

    /// The sub-generator a suspended generator is delegating to with `yield from`: it is
    /// paused at the `YieldValue` that follows a `Send`, with the sub-iterator on its stack.
    fn delegate_of(&self, g: &Arc<GenObj>) -> Option<Arc<GenObj>> {
        let s = g.state.lock();
        let frame = s.frame.as_ref()?;
        let code = &frame.code().instructions;
        let ip = frame.ip;
        let in_yield_from = ip >= 2
            && matches!(
                code.get(ip - 1),
                Some(crate::compile::opcode::Instr::YieldValue)
            )
            && matches!(
                code.get(ip - 2),
                Some(crate::compile::opcode::Instr::Send(_))
            );
        match (in_yield_from, s.values.last()) {
            (true, Some(Value::Generator(sub))) => Some(sub.clone()),
            _ => None,
        }
    }

    /// Make a generator paused in `yield from` continue after it, with `value` as the
    /// result of the `yield from` expression (its sub-generator has returned).
    fn finish_delegation(&self, g: &Arc<GenObj>, value: Value) {
        let mut guard = g.state.lock();
        let s = &mut *guard;
        if let Some(frame) = &mut s.frame {
            let exit = match frame.code().instructions.get(frame.ip.wrapping_sub(2)) {
                Some(crate::compile::opcode::Instr::Send(t)) => *t as usize,
                _ => return,
            };
            s.values.pop();
            s.values.push(value);
            frame.ip = exit;
            // Resumption pushes the sent value; the frame continues at `exit` expecting
            // only the result, so mark it as not waiting for one.
            s.started = false;
        }
    }

    /// `g.close()`: GeneratorExit at the paused `yield`; yielding again is an error.
    pub fn gen_close(&mut self, g: &Arc<GenObj>) -> ToyResult<()> {
        let exit = Exc::with_args(&types().exceptions.generator_exit, vec![]);
        match self.gen_throw(g, exit) {
            Ok(_) => Err(Exc::runtime_error(format!(
                "{} ignored GeneratorExit",
                g.kind_name()
            ))),
            Err(e)
                if e.matches(&types().exceptions.generator_exit)
                    || e.matches(&types().exceptions.stop_iteration) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// A generator frame ended with an exception: it is finished, and StopIteration
    /// escaping it becomes RuntimeError (PEP 479).
    pub(crate) fn gen_frame_failed(&mut self, frame: &super::Frame, exc: Exc) -> Exc {
        let Some(g) = frame.generator() else {
            return exc;
        };
        g.state.lock().running = false;
        self.handled = frame.caller_handled().clone();
        if exc.matches(&types().exceptions.stop_iteration) {
            let new = Exc::runtime_error(format!("{} raised StopIteration", g.kind_name()));
            {
                let mut st = new.state();
                st.cause = Some(exc.0.clone());
                st.context = Some(exc.0.clone());
                st.suppress_context = true;
            }
            return new;
        }
        exc
    }
}
