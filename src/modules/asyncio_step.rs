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
use crate::objects::str::intern;
use crate::objects::{types, Builtin, DictObj, StrObj, ToyResult, Value};
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

/// The attribute names the step touches, interned once.
struct Names {
    state: Arc<StrObj>,
    must_cancel: Arc<StrObj>,
    fut_waiter: Arc<StrObj>,
    loop_: Arc<StrObj>,
    current_task: Arc<StrObj>,
    coro: Arc<StrObj>,
    ready: Arc<StrObj>,
    append: Arc<StrObj>,
    step_handle: Arc<StrObj>,
    send: Arc<StrObj>,
    step_general: Arc<StrObj>,
    wait_for: Arc<StrObj>,
    step_returned: Arc<StrObj>,
    step_raised: Arc<StrObj>,
}

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| Names {
        state: intern("_state"),
        must_cancel: intern("_must_cancel"),
        fut_waiter: intern("_fut_waiter"),
        loop_: intern("_loop"),
        current_task: intern("_current_task"),
        coro: intern("_coro"),
        ready: intern("_ready"),
        append: intern("append"),
        step_handle: intern("_step_handle"),
        send: intern("send"),
        step_general: intern("_step_general"),
        wait_for: intern("_Task__wait_for"),
        step_returned: intern("_step_returned"),
        step_raised: intern("_step_raised"),
    })
}

/// `Task.__step(self, exc=None)`.
fn task_step(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("task_step", kw)?;
    args::count("task_step", args, 1, 2)?;
    let n = names();
    let task = &args[0];
    let exc = args.get(1).cloned().unwrap_or(Value::None);
    let pending = matches!(vm.get_attr(task, &n.state)?, Value::Str(s) if s.as_str() == "PENDING");
    let must_cancel = vm.get_attr(task, &n.must_cancel)?;
    if !exc.is_none() || !pending || vm.truthy(&must_cancel)? {
        return call_method(vm, task, &n.step_general, vec![exc]);
    }
    vm.set_attr(task, &n.fut_waiter, Value::None)?;
    let event_loop = vm.get_attr(task, &n.loop_)?;
    let previous = vm.get_attr(&event_loop, &n.current_task)?;
    vm.set_attr(&event_loop, &n.current_task, task.clone())?;
    let outcome = send_none(vm, task);
    let result = match outcome {
        Ok(GenStep::Yielded(Value::None)) => {
            // A bare yield: run again on the next turn of the loop.
            let ready = vm.get_attr(&event_loop, &n.ready)?;
            let handle = vm.get_attr(task, &n.step_handle)?;
            call_method(vm, &ready, &n.append, vec![handle])
        }
        Ok(GenStep::Yielded(awaited)) => call_method(vm, task, &n.wait_for, vec![awaited]),
        Ok(GenStep::Returned(value)) => call_method(vm, task, &n.step_returned, vec![value]),
        Err(error) => {
            let recorded = call_method(vm, task, &n.step_raised, vec![error.0.clone()]);
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
    vm.set_attr(&event_loop, &n.current_task, previous)?;
    result.map(|_| Value::None)
}

/// `task._coro.send(None)`, with a return (StopIteration) as `GenStep::Returned`.
fn send_none(vm: &mut Vm, task: &Value) -> ToyResult<GenStep> {
    let n = names();
    let coro = vm.get_attr(task, &n.coro)?;
    if let Value::Generator(g) = &coro {
        return vm.gen_resume(g, Value::None);
    }
    // Any other awaitable object with a `send` method.
    match call_method(vm, &coro, &n.send, vec![Value::None]) {
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

fn call_method(vm: &mut Vm, obj: &Value, name: &Arc<StrObj>, args: Vec<Value>) -> ToyResult<Value> {
    let method = vm.get_attr(obj, name)?;
    vm.call(&method, args, Vec::new())
}
