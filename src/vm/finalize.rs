//! `__del__`: finalizers run at the next safe point after an object dies.
//!
//! When the last reference to an instance whose class defines `__del__` goes away, its
//! `Drop` (in `objects::types`) cannot call toy code: it may run anywhere, with locks held.
//! It moves the instance's fields into a new `Arc<Instance>` marked `finalized` (a
//! resurrection), `enqueue`s it here and asks the eval breaker to stop at the next
//! instruction boundary. `Vm::service_breaker` then calls `run_pending`, which calls each
//! queued object's `__del__` and drops the object. If `__del__` stored the object somewhere,
//! it lives on; when it dies again, its `finalized` mark lets it go without a second call:
//! `__del__` runs at most once per object (PEP 442), also for objects the cycle collector
//! finalizes (`vm::gc`).
//!
//! The queue is per thread: an object is finalized by the thread that dropped it. Finalizers
//! run depth-first — the objects freed by one finalizer (its attributes, say) are finalized
//! before the rest of the queue — which gives the order CPython's immediate deallocation
//! gives. An exception escaping `__del__` is printed as CPython prints it
//! (`Exception ignored in: <function C.__del__ at 0x...>` and the traceback, on stderr) and
//! the program goes on.
//!
//! The same queue carries CPython's other finalization-time work: a coroutine dropped
//! before it ever ran prints "RuntimeWarning: coroutine '...' was never awaited", naming
//! the line that was running when it died; a generator dropped while suspended inside
//! `try`/`with` is closed, so that its `finally` blocks run (`Drop for GenObj`).

use std::cell::RefCell;
use std::io::Write;
use std::sync::Arc;

use super::Vm;
use crate::objects::{Exc, GenObj, Instance, StrObj, Value};

/// Work for the next safe point.
enum Pending {
    /// A resurrected instance whose `__del__` must run.
    Del(Arc<Instance>),
    /// The qualified name of a coroutine that died without being awaited.
    NeverAwaited(Arc<str>),
    /// A resurrected generator that died suspended inside a handler: `close()` it.
    Close(Arc<GenObj>),
}

thread_local! {
    /// Dead objects waiting for their finalization, in the order they died.
    static QUEUE: RefCell<Vec<Pending>> = const { RefCell::new(Vec::new()) };
}

/// Queue a resurrected instance for finalization on this thread and ask the eval loop to
/// stop at the next instruction boundary. Called from `Drop`: takes no lock.
pub fn enqueue(obj: Arc<Instance>) {
    push(Pending::Del(obj));
}

/// Queue a resurrected generator to be closed on this thread (see `Drop for GenObj`).
pub fn enqueue_close(g: Arc<GenObj>) {
    push(Pending::Close(g));
}

/// Queue the "never awaited" warning for a coroutine that died unstarted.
pub fn warn_never_awaited(qualname: Arc<str>) {
    push(Pending::NeverAwaited(qualname));
}

fn push(item: Pending) {
    let mut obj = Some(item);
    let _ = QUEUE.try_with(|q| {
        if let Ok(mut q) = q.try_borrow_mut() {
            q.extend(obj.take());
        }
    });
    if obj.is_some() {
        // The thread is exiting and its queue is gone: there is no safe point left to run
        // `__del__` at. The object is already marked finalized, so dropping it here ends it.
        return;
    }
    super::breaker::request();
}

/// Whether any finalizer is waiting on this thread.
pub fn has_pending() -> bool {
    QUEUE
        .try_with(|q| q.try_borrow().is_ok_and(|q| !q.is_empty()))
        .unwrap_or(false)
}

/// Everything queued so far, oldest first.
fn take_queued() -> Vec<Pending> {
    QUEUE
        .try_with(|q| {
            q.try_borrow_mut()
                .map(|mut q| std::mem::take(&mut *q))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Run the `__del__` of every queued object, then let each go. Objects queued meanwhile
/// (freed by a finalizer) are handled before the older ones, as CPython would have run
/// them inside the deallocation that freed them.
pub(crate) fn run_pending(vm: &mut Vm) {
    // Next object to finalize on top.
    let mut work: Vec<Pending> = Vec::new();
    loop {
        work.extend(take_queued().into_iter().rev());
        match work.pop() {
            None => break,
            Some(Pending::Del(obj)) => {
                call_del(vm, &obj);
                // Usually the last reference: the object is freed now, which may queue more.
                drop(obj);
            }
            Some(Pending::Close(g)) => {
                close_generator(vm, &g);
                drop(g);
            }
            Some(Pending::NeverAwaited(qualname)) => {
                let message = format!("coroutine '{qualname}' was never awaited");
                vm.warn("RuntimeWarning", &message);
            }
        }
    }
}

/// Call `obj.__del__()`, reporting an exception it raises instead of propagating it.
pub(crate) fn call_del(vm: &mut Vm, obj: &Arc<Instance>) {
    let Some(del) = obj.class.lookup("__del__") else {
        return; // `__del__` was removed from the class since.
    };
    let receiver = Value::instance(obj.clone());
    let result = match &del {
        Value::Function(_) => vm.call(&del, vec![receiver], Vec::new()),
        // A staticmethod, a builtin, a callable object: bind it the ordinary way.
        _ => {
            let name = Arc::new(StrObj::new("__del__".into()));
            vm.get_attr(&receiver, &name)
                .and_then(|bound| vm.call(&bound, Vec::new(), Vec::new()))
        }
    };
    if let Err(e) = result {
        report_unraisable(vm, &del, &e);
    }
}

/// Finalize a generator the cycle collector found unreachable: `close()` it, which runs its
/// pending `finally` blocks, as CPython's generator finalizer does.
pub(crate) fn close_generator(vm: &mut Vm, g: &Arc<GenObj>) {
    if let Err(e) = vm.gen_close(g) {
        // An exception made by `close()` itself ("generator ignored GeneratorExit") has no
        // traceback yet: as in CPython, it shows the line that was running.
        if e.state().traceback.is_empty() {
            if let Some(frame) = vm.frames.last() {
                super::traceback::add_entry(&e, frame);
            }
        }
        report_unraisable(vm, &Value::Generator(g.clone()), &e);
    }
}

/// CPython's default `sys.unraisablehook` output for an exception raised by a finalizer:
/// `what` is the function (or object) that raised it.
fn report_unraisable(vm: &mut Vm, what: &Value, e: &Exc) {
    let what = vm
        .repr(what)
        .unwrap_or_else(|_| "<object repr() failed>".to_string());
    let traceback = vm.format_exception_unchained(&e.0);
    // Keep what the program printed before this in front of it on a shared terminal.
    vm.flush_stdout();
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "Exception ignored in: {what}\n{traceback}");
    let _ = err.flush();
}
