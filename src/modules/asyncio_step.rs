//! `_asyncio`: the hot path of an asyncio task's step in native code, as CPython keeps its
//! `Task.__step` in C (`Modules/_asynciomodule.c`) while the rest of asyncio is Python.
//!
//! `task_step(task, exc=None)` is installed as `Task.__step` by `asyncio.toy`. The common
//! step — no exception to throw in, no cancellation pending — sends `None` into the task's
//! coroutine with the task set as the loop's current task, and when the coroutine yields
//! `None` (a bare yield: `sleep(0)`) puts the task's step handle back on the ready queue.
//! Every other outcome goes back to toy methods of `Task`, which hold the logic:
//! `_step_general` (the whole step, for the uncommon cases), `_Task__wait_for` (the
//! coroutine yielded a future), `_step_returned` and `_step_raised` (it finished). Attributes
//! are read and written through the ordinary attribute protocol, so a subclass of `Task`
//! sees what it would see in toy code.

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::{types, Builtin, DictObj, ToyResult, Value};
use crate::vm::attr::AttrSite;
use crate::vm::generator::GenStep;
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    // A method of `object`: looked up on a task, it binds the task as `self`.
    m.set_str(
        "task_step",
        Value::Builtin(Arc::new(Builtin::method(
            &types().object,
            "task_step",
            task_step,
        ))),
    );
}

/// The attributes the step touches, each with its own lookup hints.
struct Sites {
    state: AttrSite,
    must_cancel: AttrSite,
    fut_waiter: AttrSite,
    loop_: AttrSite,
    current_task: AttrSite,
    coro: AttrSite,
    ready: AttrSite,
    append: AttrSite,
    step_handle: AttrSite,
    send: AttrSite,
    step_general: AttrSite,
    wait_for: AttrSite,
    step_returned: AttrSite,
    step_raised: AttrSite,
}

fn sites() -> &'static Sites {
    static SITES: std::sync::OnceLock<Sites> = std::sync::OnceLock::new();
    SITES.get_or_init(|| Sites {
        state: AttrSite::new("_state"),
        must_cancel: AttrSite::new("_must_cancel"),
        fut_waiter: AttrSite::new("_fut_waiter"),
        loop_: AttrSite::new("_loop"),
        current_task: AttrSite::new("_current_task"),
        coro: AttrSite::new("_coro"),
        ready: AttrSite::new("_ready"),
        append: AttrSite::new("append"),
        step_handle: AttrSite::new("_step_handle"),
        send: AttrSite::new("send"),
        step_general: AttrSite::new("_step_general"),
        wait_for: AttrSite::new("_Task__wait_for"),
        step_returned: AttrSite::new("_step_returned"),
        step_raised: AttrSite::new("_step_raised"),
    })
}

/// `Task.__step(self, exc=None)`.
fn task_step(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("task_step", kw)?;
    args::count("task_step", args, 1, 2)?;
    let n = sites();
    let task = &args[0];
    let exc = args.get(1).cloned().unwrap_or(Value::None);
    let pending = matches!(n.state.load(vm, task)?, Value::Str(s) if s.as_str() == "PENDING");
    let must_cancel = n.must_cancel.load(vm, task)?;
    if !exc.is_none() || !pending || vm.truthy(&must_cancel)? {
        return n.step_general.call(vm, task, vec![exc]);
    }
    n.fut_waiter.store(vm, task, Value::None)?;
    let event_loop = n.loop_.load(vm, task)?;
    let previous = n.current_task.load(vm, &event_loop)?;
    n.current_task.store(vm, &event_loop, task.clone())?;
    let outcome = send_none(vm, task);
    let result = match outcome {
        Ok(GenStep::Yielded(Value::None)) => {
            // A bare yield: run again on the next turn of the loop.
            let ready = n.ready.load(vm, &event_loop)?;
            let handle = n.step_handle.load(vm, task)?;
            n.append.call(vm, &ready, vec![handle])
        }
        Ok(GenStep::Yielded(awaited)) => n.wait_for.call(vm, task, vec![awaited]),
        Ok(GenStep::Returned(value)) => n.step_returned.call(vm, task, vec![value]),
        Err(error) => {
            let recorded = n.step_raised.call(vm, task, vec![error.0.clone()]);
            // As `except (KeyboardInterrupt, SystemExit): ...; raise` in CPython's step.
            let exceptions = &types().exceptions;
            if recorded.is_ok()
                && (error.matches(&exceptions.keyboard_interrupt)
                    || error.matches(&exceptions.system_exit))
            {
                Err(error)
            } else {
                recorded
            }
        }
    };
    // `finally: loop._current_task = previous`
    n.current_task.store(vm, &event_loop, previous)?;
    result.map(|_| Value::None)
}

/// `task._coro.send(None)`, with a return (StopIteration) as `GenStep::Returned`.
fn send_none(vm: &mut Vm, task: &Value) -> ToyResult<GenStep> {
    let n = sites();
    let coro = n.coro.load(vm, task)?;
    if let Value::Generator(g) = &coro {
        return vm.gen_resume(g, Value::None);
    }
    // Any other awaitable object with a `send` method.
    match n.send.call(vm, &coro, vec![Value::None]) {
        Ok(v) => Ok(GenStep::Yielded(v)),
        Err(e) if e.matches(&types().exceptions.stop_iteration) => {
            let value = crate::objects::exception::exception_args(&e.0)
                .into_iter()
                .next()
                .unwrap_or(Value::None);
            Ok(GenStep::Returned(value))
        }
        Err(e) => Err(e),
    }
}
