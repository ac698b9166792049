//! Generators: a function activation that can be suspended at `yield` and resumed.
//!
//! A suspended generator keeps its frame and the values of its stack segment (locals and
//! operands); resuming copies them back onto the thread's stack and pushes the frame, so it
//! costs about as much as a call (DESIGN.md: "a generator is a suspended frame").

use std::sync::Arc;

use parking_lot::Mutex;

use super::{Exc, StrObj, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::{Frame, Vm};

// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct GenObj {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    /// Made by calling an `async def`: awaitable, not iterable.
    pub is_coroutine: bool,
    /// Set on the copy that a dying suspended generator hands to its finalizer (see the
    /// `Drop` impl): `close()` runs at most once per generator, as PEP 442 says.
    finalized: bool,
    /// The code it runs (`gi_code` / `cr_code`), kept after the frame is gone.
    pub code: Arc<crate::compile::code::Code>,
    pub state: Mutex<GenState>,
}

/// A generator's frame between resumptions. The frame is moved back onto the thread's
/// stack while it runs; `values` keeps its capacity, so that a yield/resume cycle in a
/// loop allocates nothing.
pub struct GenState {
    /// The paused frame: `Some` while suspended, `None` while running or once finished.
    pub frame: Option<Frame>,
    /// Set while the frame is on some thread's stack.
    pub running: bool,
    /// The paused frame's stack segment (locals and operands); empty otherwise.
    pub values: Vec<Value>,
    /// False until the first `next()`: only None may be sent then.
    pub started: bool,
    /// The exception this generator was handling when it suspended.
    pub handled: Value,
}

/// What a finished generator let go of, to be dropped after its lock is released.
pub struct Leftovers {
    _frame: Option<Frame>,
    _values: Vec<Value>,
    _handled: Value,
}

impl GenState {
    pub fn is_suspended(&self) -> bool {
        self.frame.is_some()
    }

    /// Mark the generator finished and hand back whatever it still held.
    pub fn finish(&mut self) -> Leftovers {
        self.running = false;
        Leftovers {
            _frame: self.frame.take(),
            _values: std::mem::take(&mut self.values),
            _handled: std::mem::take(&mut self.handled),
        }
    }
}

impl GenObj {
    pub fn new(frame: Frame, values: Vec<Value>) -> GenObj {
        GenObj {
            name: frame.code().name.clone(),
            qualname: frame.code().qualname.clone(),
            is_coroutine: frame.code().flags.coroutine,
            finalized: false,
            code: frame.code().clone(),
            state: Mutex::new(GenState {
                frame: Some(frame),
                running: false,
                values,
                started: false,
                handled: Value::None,
            }),
            gc: Default::default(),
        }
    }

    /// Mark it finished, dropping what it held after its lock is released.
    pub fn finish(&self) {
        let leftovers = self.state.lock().finish();
        drop(leftovers);
    }

    pub fn is_running(&self) -> bool {
        self.state.lock().running
    }

    /// The line a suspended generator will resume at; None once it has finished (or while
    /// it runs).
    pub fn suspended_line(&self) -> Option<u32> {
        let st = self.state.lock();
        let frame = st.frame.as_ref()?;
        Some(if st.started {
            frame.line()
        } else {
            frame.code().first_line
        })
    }

    /// "generator" or "coroutine", for messages.
    pub fn kind_name(&self) -> &'static str {
        if self.is_coroutine {
            "coroutine"
        } else {
            "generator"
        }
    }
}

/// What CPython's generator finalizer does when the last reference goes away:
/// - a coroutine that never ran was never awaited: a warning;
/// - a generator (or coroutine) suspended inside `try`/`with` is closed, so that its
///   `finally` blocks and `__exit__` run now (`for x in gen(): break`, `del g`). `Drop`
///   cannot run toy code, so the state moves into a copy — a resurrection, marked
///   `finalized` — which is closed at the next safe point (`vm::finalize`). One suspended
///   outside any handler has nothing to run: it is just freed.
impl Drop for GenObj {
    fn drop(&mut self) {
        let st = self.state.get_mut();
        let Some(frame) = &st.frame else {
            return;
        };
        if !st.started {
            if self.is_coroutine {
                crate::vm::finalize::warn_never_awaited(self.qualname.clone());
            }
            return;
        }
        // As `Vm::unwind` looks for a handler: the paused `yield` is the instruction before ip.
        if self.finalized
            || frame
                .code()
                .handler_for(frame.ip.saturating_sub(1))
                .is_none()
        {
            return;
        }
        let state = std::mem::replace(
            st,
            GenState {
                frame: None,
                running: false,
                values: Vec::new(),
                started: true,
                handled: Value::None,
            },
        );
        let copy = GenObj {
            gc: Default::default(),
            name: self.name.clone(),
            qualname: self.qualname.clone(),
            is_coroutine: self.is_coroutine,
            finalized: true,
            code: self.code.clone(),
            state: Mutex::new(state),
        };
        crate::vm::finalize::enqueue_close(crate::vm::gc::track(copy));
    }
}

pub(crate) fn register(t: &Arc<TypeObj>) {
    t.add_method("send", gen_send);
    t.add_method("throw", gen_throw);
    t.add_method("close", gen_close);
    t.add_method("__next__", gen_next);
    t.add_method("__iter__", gen_iter);
}

/// Coroutines share the generator's machinery but are awaited, not iterated: no
/// `__next__`/`__iter__`, and `__await__` instead.
pub(crate) fn register_coroutine(t: &Arc<TypeObj>) {
    t.add_method("send", gen_send);
    t.add_method("throw", gen_throw);
    t.add_method("close", gen_close);
    t.add_method("__await__", coro_await);
}

fn receiver(args: &[Value]) -> ToyResult<&Arc<GenObj>> {
    match args.first() {
        Some(Value::Generator(g)) => Ok(g),
        _ => Err(Exc::type_error("descriptor requires a 'generator' object")),
    }
}

/// `coro.__await__()`: the iterator that `await` drives — the coroutine itself here.
fn coro_await(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("__await__", kw)?;
    receiver(args)?;
    Ok(args[0].clone())
}

fn gen_send(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("send", kw)?;
    args::count("generator.send", args, 2, 2)?;
    let g = receiver(args)?.clone();
    vm.gen_resume_value(&g, args[1].clone())
}

fn gen_next(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("__next__", kw)?;
    let g = receiver(args)?.clone();
    vm.gen_resume_value(&g, Value::None)
}

fn gen_iter(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(args[0].clone())
}

/// `gen.throw(exc)` / `gen.throw(type, value)`.
fn gen_throw(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("throw", kw)?;
    args::count("throw", args, 2, 4)?;
    let g = receiver(args)?.clone();
    let exc = match (&args[1], args.get(2)) {
        (Value::Type(t), Some(v)) if !v.is_none() => {
            if v.class().is_subtype(t) {
                vm.make_exception(v.clone())?
            } else {
                let inst = vm.call(&args[1], vec![v.clone()], Vec::new())?;
                vm.make_exception(inst)?
            }
        }
        (other, _) => vm.make_exception(other.clone())?,
    };
    vm.gen_throw(&g, exc)
}

/// `gen.close()`: raise GeneratorExit inside; it must not yield again.
fn gen_close(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("close", kw)?;
    let g = receiver(args)?.clone();
    vm.gen_close(&g)?;
    Ok(Value::None)
}

/// The `__name__` of a generator, for attribute access.
pub fn gen_name(g: &GenObj) -> Value {
    Value::Str(Arc::new(StrObj::new(g.name.to_string())))
}
