//! Stackful coroutines for greenlets: the only `unsafe` of the greenlet machinery.
//!
//! A greenlet's run segment executes inside a `corosensei` coroutine on a pooled stack (see
//! `vm::greenlet` for when a segment starts and ends). A switch made at *native depth* (from
//! toy code that native code called, e.g. a sort key) must suspend that coroutine from deep
//! inside the eval loop, where the coroutine's `Yielder` is not in scope. corosensei hands
//! the `Yielder` only to the coroutine's closure, so this module remembers a pointer to it in
//! a thread-local while that coroutine runs, and [`suspend`] uses it.
//!
//! Why corosensei: it is the maintained stackful-coroutine crate (used by Wasmer), supports
//! x86-64/AArch64/RISC-V, lets a stack be reused (`into_stack`), propagates panics across
//! `resume`, and unwinds a suspended coroutine when it is dropped. `generator`/`context`
//! are older or need more `unsafe` from us.
//!
//! The invariant that makes [`suspend`] sound: `YIELDER` is non-null only while the
//! coroutine that owns the pointed-to `Yielder` is executing on this thread.
//! - It is set by the coroutine's own code: at the start of its closure ([`new_worker`]) and
//!   again whenever one of its `suspend` calls returns (it is running again).
//! - Every `resume` goes through [`resume`], which clears it when control comes back to the
//!   resumer — whether the coroutine suspended, returned or panicked (a drop guard) — i.e.
//!   exactly when the coroutine stops executing.
//! - A coroutine is only dropped through [`Worker`]'s `Drop`, which clears the pointer
//!   while the drop may unwind the coroutine's stack, and restores it afterwards.
//! - The `Yielder` lives inside the coroutine until its closure returns, so while the
//!   coroutine executes the pointee is alive. Thread-locals are per OS thread, so a pointer
//!   is never seen by another thread.
//!
//! If coroutines were ever resumed from inside other coroutines, the invariant still holds:
//! the inner `resume` returning clears the pointer, so the outer coroutine then finds it null
//! and [`suspend`] reports an error instead of using a stale pointer.

use std::cell::Cell;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};

use super::greenlet::{self, Payload, Request, Segment};

/// Pooled stack size. Only touched pages use memory; the size bounds native nesting inside
/// a greenlet (checked against `MAX_GREENLET_NATIVE_DEPTH` in `vm::greenlet`).
pub const STACK_SIZE: usize = 8 << 20;

/// Work handed to a worker coroutine.
pub enum Job {
    /// Run one segment of some greenlet (start it, or continue its parked VM), and the
    /// segments of the parked greenlets it switches to (`greenlet::run_segments`).
    Run(Segment),
    /// Resume the segment suspended in this worker with what was switched in.
    Deliver(Payload),
}

/// What a worker hands back to the trampoline.
pub enum Out {
    /// The running segment switched at native depth: the worker stays bound to it.
    Switch(Request),
    /// The last segment ended (parked or finished) with this switch for the trampoline to
    /// make: the worker is free for another segment.
    Done(Request),
}

type Y = Yielder<Job, Out>;

thread_local! {
    /// The `Yielder` of the coroutine executing on this thread, or null (see the module doc).
    static YIELDER: Cell<*const Y> = const { Cell::new(std::ptr::null()) };
}

/// A worker: a coroutine on its own stack that runs segments of any greenlet, one after
/// another, so a switch costs at most two context switches and no coroutine set-up.
pub struct Worker(Option<Coroutine<Job, Out, (), DefaultStack>>);

/// A new idle worker on a fresh stack.
pub fn new_worker() -> std::io::Result<Worker> {
    let stack = DefaultStack::new(STACK_SIZE)?;
    Ok(Worker(Some(Coroutine::with_stack(
        stack,
        move |y: &Y, first: Job| {
            YIELDER.with(|c| c.set(y as *const Y));
            let mut job = first;
            loop {
                let out = match job {
                    Job::Run(segment) => Out::Done(greenlet::run_segments(segment)),
                    Job::Deliver(_) => Out::Switch(Request::error("delivered to an idle worker")),
                };
                job = y.suspend(out);
                YIELDER.with(|c| c.set(y as *const Y));
            }
        },
    ))))
}

/// Run `job` on the worker until it switches or its segment ends.
pub fn resume(w: &mut Worker, job: Job) -> Out {
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            YIELDER.with(|c| c.set(std::ptr::null()));
        }
    }
    let Some(co) = w.0.as_mut() else {
        return Out::Switch(Request::error("resumed a dropped greenlet worker"));
    };
    let result = {
        let _clear = Clear;
        co.resume(job)
    };
    match result {
        CoroutineResult::Yield(out) => out,
        CoroutineResult::Return(()) => {
            w.0 = None;
            Out::Switch(Request::error("a greenlet worker ended"))
        }
    }
}

/// Suspend the running segment with `req`; returns the payload it is resumed with. Gives
/// `req` back when no segment is running on this thread.
pub fn suspend(req: Request) -> Result<Payload, Request> {
    let p = YIELDER.with(Cell::get);
    if p.is_null() {
        return Err(req);
    }
    // SAFETY: `p` is non-null, so by the module invariant it points to the `Yielder` of the
    // coroutine executing right now on this thread — this code is running inside it — and
    // that `Yielder` stays alive until the coroutine's closure returns, which cannot happen
    // while we are inside this call.
    let y: &Y = unsafe { &*p };
    let job = y.suspend(Out::Switch(req));
    // Running again: re-establish the invariant for this coroutine.
    YIELDER.with(|c| c.set(p));
    match job {
        Job::Deliver(payload) => Ok(payload),
        Job::Run(_) => Ok(Err(crate::objects::Exc::system_error(
            "a suspended greenlet was given another segment",
        ))),
    }
}

impl Drop for Worker {
    /// Dropping a suspended coroutine unwinds its stack; no coroutine counts as running
    /// meanwhile.
    fn drop(&mut self) {
        if let Some(co) = self.0.take() {
            let saved = YIELDER.with(|c| c.replace(std::ptr::null()));
            drop(co);
            YIELDER.with(|c| c.set(saved));
        }
    }
}
