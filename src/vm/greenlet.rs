//! Greenlets: cooperative threads of toy code on one OS thread (DESIGN.md decision 3: a
//! greenlet is its own frame stack and a switch is a swap).
//!
//! Each greenlet but a thread's main one has its own `Vm` (frames and value stack; same
//! interpreter and thread handle). The main greenlet is the OS thread's own `Vm`, on the OS
//! thread's own stack. Its `switch()` runs the *trampoline* ([`trampoline`]) inline: resume
//! the target; when the target asks to switch to X, resume X; ... until someone switches
//! back to main, whose `switch()` then returns. Other greenlets never resume anyone: their
//! switches hand a [`Request`] back to the trampoline.
//!
//! A greenlet runs in *segments*, each inside a stackful coroutine — a *worker* from a small
//! per-thread pool, which runs segments of any greenlet one after another
//! (`vm::greenlet_stack`). A segment ends in one of three ways:
//! - **park**: the switch was called straight from a call instruction of the greenlet's base
//!   run (no native code between the greenlet's start and the toy code that switched).
//!   `switch()` records the request, returns a placeholder and asks the eval breaker to stop;
//!   at the next instruction boundary `run()` returns, leaving the frames on the greenlet's
//!   `Vm` (heap memory). The worker hands the VM back and is free for other work. The next
//!   segment replaces the placeholder with the value switched in (or raises the exception
//!   thrown in) and continues the frames. A parked greenlet holds no stack, so 100 000 of
//!   them cost only their frames. The hot path pays nothing: it rides on the breaker check.
//! - **suspend**: the switch came from toy code that native code called (a sort key, a
//!   metaclass `__call__`, a generator resumed by `next()`): the worker itself is
//!   suspended and stays bound to the greenlet (with its stack) until the greenlet gets back.
//! - **finish**: the greenlet's `run` returned or raised; it switches to its parent with the
//!   result (or throws the exception there; `GreenletExit` counts as a result).
//!
//! After a segment parks or finishes, its worker looks at where the switch goes: if that
//! greenlet is parked too, the worker continues it right away ([`run_segments`]), so a
//! switch between two greenlets that park costs no context switch and no trip through the
//! trampoline. Anything else (main, a suspended greenlet, one not started yet) goes back to
//! the trampoline, and the worker with it.
//!
//! A parked greenlet's VM is kept in its toy-visible object ([`GreenletState::parked`]);
//! a suspended greenlet's worker (a coroutine, not `Send`) in a thread-local table keyed by
//! greenlet id. Either way a greenlet can only be switched to from its own thread (the
//! `switch()` builtin checks).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use super::greenlet_stack::{self, Job, Out, Worker};
use super::Vm;
use crate::objects::{Exc, KwArgs, ToyResult, Value};

/// What a switch carries: the arguments of `switch(*args, **kwargs)`, or the exception of
/// `throw()`.
pub type Payload = Result<(Vec<Value>, KwArgs), Exc>;

/// A switch asked for by a greenlet that is not the trampoline's.
pub struct Request {
    pub target: Value,
    pub payload: Payload,
}

impl Request {
    /// A request that raises `msg` (as SystemError) in the main greenlet.
    pub fn error(msg: &str) -> Request {
        Request {
            target: Value::None,
            payload: Err(Exc::system_error(msg)),
        }
    }
}

/// Why a segment ended.
pub enum Ending {
    Parked(Request),
    Finished(ToyResult<Value>),
}

/// How deep native code may nest inside a greenlet (Rust stack frames on its pooled stack).
pub const MAX_GREENLET_NATIVE_DEPTH: usize = 200;

/// Idle workers kept per thread.
const WORKER_POOL: usize = 16;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The native state of a toy `greenlet` object.
pub struct GreenletObj {
    pub id: u64,
    /// The interpreter thread the greenlet belongs to.
    pub thread: u64,
    pub is_main: bool,
    pub state: Mutex<GreenletState>,
}

pub struct GreenletState {
    /// The greenlet switched to when this one ends (None for a main greenlet).
    pub parent: Value,
    pub started: bool,
    pub dead: bool,
    /// The VM of the greenlet while it is parked (see the module doc). Only the greenlet's
    /// own thread puts a VM here or takes it out.
    parked: Option<Box<Vm>>,
}

impl GreenletObj {
    pub fn new(thread: u64, parent: Value) -> GreenletObj {
        GreenletObj {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            thread,
            is_main: false,
            state: Mutex::new(GreenletState {
                parent,
                started: false,
                dead: false,
                parked: None,
            }),
        }
    }

    /// `bool(g)`: started and not dead.
    pub fn active(&self) -> bool {
        let st = self.state.lock();
        self.is_main || (st.started && !st.dead)
    }
}

#[derive(Default)]
struct Local {
    /// This thread's main greenlet, made on first use.
    main: Option<Value>,
    /// The running greenlet; None means main.
    current: Option<Value>,
    /// The workers of suspended greenlets, by greenlet id.
    suspended: HashMap<u64, Worker, foldhash::fast::FixedState>,
    /// A park requested by the running greenlet's `switch()`.
    pending: Option<Request>,
    in_trampoline: bool,
    workers: Vec<Worker>,
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
}

fn with_local<R>(f: impl FnOnce(&mut Local) -> R) -> R {
    LOCAL.with(|l| f(&mut l.borrow_mut()))
}

/// Record the running greenlet (None: main). The one it replaces is dropped after the
/// thread-local is released: if that was its last reference, its parked VM goes with it,
/// and dropping that runs arbitrary drops.
fn set_current(running: Option<Value>) {
    let previous = with_local(|l| std::mem::replace(&mut l.current, running));
    drop(previous);
}

/// The `GreenletObj` inside a toy greenlet value.
pub fn greenlet_of(v: &Value) -> Option<&GreenletObj> {
    match v {
        Value::Instance(i) => i.native_ref::<GreenletObj>(),
        _ => None,
    }
}

/// This thread's main greenlet, made with `make` on first use.
pub fn main_greenlet(make: impl FnOnce() -> Value) -> Value {
    if let Some(m) = with_local(|l| l.main.clone()) {
        return m;
    }
    let m = make();
    with_local(|l| l.main = Some(m.clone()));
    m
}

/// The running greenlet (the main one if none was switched to).
pub fn current(make_main: impl FnOnce() -> Value) -> Value {
    match with_local(|l| l.current.clone()) {
        Some(c) => c,
        None => main_greenlet(make_main),
    }
}

/// The value `switch()` returns for a payload's arguments (as greenlet does): one argument
/// as is, several as a tuple, keywords as a dict (with the arguments: `(args, kwargs)`).
pub fn payload_value(args: Vec<Value>, kwargs: KwArgs) -> Value {
    let kw = || {
        let d = crate::objects::DictObj::new();
        for (k, v) in &kwargs {
            d.set_str(k.as_str(), v.clone());
        }
        Value::Dict(super::gc::track(d))
    };
    match (args.len(), kwargs.is_empty()) {
        (0, true) => crate::objects::tuple::empty(),
        (1, true) => args.into_iter().next().unwrap_or(Value::None),
        (_, true) => Value::tuple(args),
        (0, false) => kw(),
        (_, false) => {
            let d = kw();
            Value::tuple(vec![Value::tuple(args), d])
        }
    }
}

fn deliver(payload: Payload) -> ToyResult<Value> {
    payload.map(|(a, k)| payload_value(a, k))
}

/// Whether a switch made now on `vm` can park (see the module doc).
fn can_park(vm: &Vm) -> bool {
    vm.greenlet
        && vm.native_depth == 0
        && vm.in_direct_builtin
        && vm.frames.iter().filter(|f| f.is_entry).count() == 1
}

/// `target.switch(...)` / `target.throw(...)` from the running greenlet, with `vm` the VM
/// running the call; `target` is a greenlet of this thread.
pub fn switch(vm: &mut Vm, target: Value, payload: Payload) -> ToyResult<Value> {
    // `current` is None while main runs: main is never recorded there.
    let to_self = with_local(|l| l.current.as_ref().map(|running| running.is(&target)));
    let is_main = match to_self {
        Some(true) => return deliver(payload),
        Some(false) => false,
        None if greenlet_of(&target).is_some_and(|g| g.is_main) => return deliver(payload),
        None => true,
    };
    let req = Request { target, payload };
    if is_main {
        return deliver(trampoline(vm, req));
    }
    if can_park(vm) {
        with_local(|l| l.pending = Some(req));
        vm.park_requested = true;
        super::breaker::request();
        // The placeholder the next segment replaces with what is switched in.
        return Ok(Value::None);
    }
    if vm.native_depth > MAX_GREENLET_NATIVE_DEPTH {
        return Err(Exc::recursion_error(
            "maximum native nesting depth exceeded in a greenlet",
        ));
    }
    match greenlet_stack::suspend(req) {
        Ok(payload) => deliver(payload),
        Err(_) => Err(Exc::system_error(
            "greenlet switch outside of its coroutine",
        )),
    }
}

/// The main greenlet's side of every switch: run other greenlets until one switches back
/// to main, and return what it sent.
fn trampoline(vm: &mut Vm, first: Request) -> Payload {
    if with_local(|l| std::mem::replace(&mut l.in_trampoline, true)) {
        return Err(Exc::system_error("greenlet trampoline entered twice"));
    }
    let out = trampoline_loop(vm, first);
    with_local(|l| l.in_trampoline = false);
    set_current(None);
    out
}

fn trampoline_loop(vm: &mut Vm, first: Request) -> Payload {
    let mut req = first;
    loop {
        let Landing { target, parked } = land(req.target);
        let payload = req.payload;
        let Some(g) = greenlet_of(&target) else {
            return match payload {
                Err(e) => Err(e),
                Ok(_) => Err(Exc::type_error("can only switch to a greenlet")),
            };
        };
        if g.is_main {
            return payload;
        }
        let id = g.id;
        set_current(Some(target.clone()));
        let suspended = match parked {
            Some(_) => None,
            None => with_local(|l| l.suspended.remove(&id)),
        };
        let (mut worker, job) = match (parked, suspended) {
            (_, Some(w)) => (w, Job::Deliver(payload)),
            (Some(gvm), None) => match take_worker() {
                Ok(w) => (
                    w,
                    Job::Run(Segment::Resume {
                        gvm,
                        input: payload,
                    }),
                ),
                Err(e) => {
                    req = finish(vm, &target, Err(e));
                    continue;
                }
            },
            (None, None) => {
                let started = std::mem::replace(&mut g.state.lock().started, true);
                if started {
                    return Err(Exc::system_error("switched to a running greenlet"));
                }
                let (args, kwargs) = match payload {
                    Ok(p) => p,
                    Err(e) => {
                        // Thrown into before it started: it dies at once.
                        req = finish(vm, &target, Err(e));
                        continue;
                    }
                };
                let run = match vm.get_attr(&target, &crate::objects::str::intern("run")) {
                    Ok(r) => r,
                    Err(e) => {
                        req = finish(vm, &target, Err(e));
                        continue;
                    }
                };
                match take_worker() {
                    Ok(w) => {
                        let gvm = Box::new(vm.for_greenlet());
                        let start = Segment::Start {
                            gvm,
                            run,
                            args,
                            kwargs,
                        };
                        (w, Job::Run(start))
                    }
                    Err(e) => {
                        req = finish(vm, &target, Err(e));
                        continue;
                    }
                }
            }
        };
        req = match greenlet_stack::resume(&mut worker, job) {
            Out::Switch(r) => {
                // The worker may have gone on to other greenlets (`run_segments`): the one
                // it is bound to now is the running one.
                match with_local(|l| l.current.as_ref().and_then(greenlet_of).map(|g| g.id)) {
                    Some(running) => with_local(|l| l.suspended.insert(running, worker)),
                    None => return Err(Exc::system_error("a greenlet suspended while none ran")),
                };
                r
            }
            Out::Done(r) => {
                with_local(|l| {
                    if l.workers.len() < WORKER_POOL {
                        l.workers.push(worker);
                    }
                });
                r
            }
        };
    }
}

/// Where a switch lands: the target, or the first live greenlet up its parent chain (a
/// dead greenlet passes a switch on to its parent), with that greenlet's VM if it is
/// parked (taken out: it is about to run).
struct Landing {
    target: Value,
    parked: Option<Box<Vm>>,
}

fn land(mut target: Value) -> Landing {
    loop {
        let Some(g) = greenlet_of(&target) else {
            return Landing {
                target,
                parked: None,
            };
        };
        if g.is_main {
            return Landing {
                target,
                parked: None,
            };
        }
        let mut st = g.state.lock();
        if !st.dead {
            let parked = st.parked.take();
            drop(st);
            return Landing { target, parked };
        }
        let parent = st.parent.clone();
        drop(st);
        target = parent;
    }
}

/// Run `first` and, while segments end by switching to a parked greenlet, that greenlet's
/// next segment, on the calling worker (see the module doc). Returns the switch the
/// trampoline has to make: to main, to a suspended or unstarted greenlet, or an error.
pub(super) fn run_segments(first: Segment) -> Request {
    let mut segment = first;
    loop {
        let (gvm, end) = segment.run();
        let Some(running) = with_local(|l| l.current.clone()) else {
            return Request::error("a greenlet segment ended while none ran");
        };
        let req = match end {
            Ending::Parked(req) => match greenlet_of(&running) {
                Some(g) => {
                    g.state.lock().parked = Some(gvm);
                    req
                }
                None => return Request::error("a non-greenlet parked"),
            },
            Ending::Finished(result) => finish(&gvm, &running, result),
        };
        let Landing { target, parked } = land(req.target);
        let Some(gvm) = parked else {
            return Request {
                target,
                payload: req.payload,
            };
        };
        set_current(Some(target));
        segment = Segment::Resume {
            gvm,
            input: req.payload,
        };
    }
}

/// `target` ended with `result`: mark it dead and switch to its parent with the result.
fn finish(vm: &Vm, target: &Value, result: ToyResult<Value>) -> Request {
    let parent = match greenlet_of(target) {
        Some(g) => {
            let mut st = g.state.lock();
            st.dead = true;
            st.started = true;
            st.parent.clone()
        }
        None => Value::None,
    };
    let payload = match result {
        Ok(v) => Ok((vec![v], Vec::new())),
        Err(e) if is_greenlet_exit(vm, &e) => Ok((vec![e.0.clone()], Vec::new())),
        Err(e) => Err(e),
    };
    Request {
        target: parent,
        payload,
    }
}

fn is_greenlet_exit(vm: &Vm, e: &Exc) -> bool {
    let Some(m) = vm.module_value("greenlet") else {
        return false;
    };
    match m.dict.get_str("GreenletExit") {
        Some(Value::Type(t)) => e.matches(&t),
        _ => false,
    }
}

fn take_worker() -> Result<Worker, Exc> {
    if let Some(w) = with_local(|l| l.workers.pop()) {
        return Ok(w);
    }
    greenlet_stack::new_worker().map_err(|e| {
        Exc::new(
            &crate::objects::types().exceptions.memory_error,
            format!("cannot allocate a greenlet stack: {e}"),
        )
    })
}

/// Why a segment ended, from the VM's park flag.
fn ending(vm: &mut Vm, result: ToyResult<Value>) -> Ending {
    if std::mem::take(&mut vm.park_requested) {
        match with_local(|l| l.pending.take()) {
            Some(r) => Ending::Parked(r),
            None => Ending::Finished(Err(Exc::system_error("greenlet parked without a switch"))),
        }
    } else {
        Ending::Finished(result)
    }
}

/// One segment of a greenlet's run, for a worker to run (see the module doc).
pub enum Segment {
    /// The first segment: run `run(*args, **kwargs)` on a fresh VM.
    Start {
        gvm: Box<Vm>,
        run: Value,
        args: Vec<Value>,
        kwargs: KwArgs,
    },
    /// A segment continuing a parked VM with what was switched in.
    Resume { gvm: Box<Vm>, input: Payload },
}

impl Segment {
    /// Run the segment to its end; gives back its VM and why it ended.
    fn run(self) -> (Box<Vm>, Ending) {
        match self {
            Segment::Start {
                mut gvm,
                run,
                args,
                kwargs,
            } => {
                let result = gvm.start_greenlet(&run, args, kwargs);
                let end = ending(&mut gvm, result);
                (gvm, end)
            }
            Segment::Resume { mut gvm, input } => {
                let result = match input {
                    Ok((args, kwargs)) => {
                        let v = payload_value(args, kwargs);
                        if let Some(top) = gvm.stack.last_mut() {
                            *top = v;
                        }
                        gvm.run_from(1)
                    }
                    Err(e) => {
                        gvm.stack.pop();
                        match gvm.unwind(e, true) {
                            Ok(()) => gvm.run_from(1),
                            Err(e) => Err(e),
                        }
                    }
                };
                let end = ending(&mut gvm, result);
                (gvm, end)
            }
        }
    }
}

/// The native state of the main greenlet of interpreter thread `thread`.
pub fn new_main(thread: u64) -> GreenletObj {
    GreenletObj {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        thread,
        is_main: true,
        state: Mutex::new(GreenletState {
            parent: Value::None,
            started: true,
            dead: false,
            parked: None,
        }),
    }
}

/// The toy-visible state must stay shareable between threads (DESIGN.md decision 1).
const _: fn() = || {
    fn check<T: Send + Sync>() {}
    check::<GreenletObj>();
};
