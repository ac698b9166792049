//! `_thread`: the native layer under `threading` (as in CPython): starting threads, thread
//! handles to join, `get_ident`, and the two lock types. Everything that waits goes through
//! `Vm::block_on`, the one blocking door, so it releases the GIL, shows up in deadlock reports
//! and wakes waiters in a reproducible order.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::types::Instance;
use crate::objects::{Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::clock::Deadline;
use crate::vm::thread::ThreadHandle;
use crate::vm::Vm;

/// `_thread.TIMEOUT_MAX`: the longest timeout accepted, in seconds (as CPython on Linux).
const TIMEOUT_MAX: f64 = 9_223_372_036.0;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("start_new_thread", start_new_thread),
        ("_start", start),
        ("get_ident", get_ident),
        ("get_native_id", get_ident),
        ("_main_ident", main_ident),
        ("_count", count),
        ("allocate_lock", allocate_lock),
        ("_set_daemon", set_daemon),
        ("_waiter_lock", waiter_lock),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("LockType", Value::Type(lock_type().clone()));
    m.set_str("RLock", Value::Type(rlock_type().clone()));
    m.set_str("TIMEOUT_MAX", Value::Float(TIMEOUT_MAX));
    m.set_str(
        "error",
        Value::Type(crate::objects::types().exceptions.runtime_error.clone()),
    );
}

// ----- threads ----------------------------------------------------------------------------

fn handle_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        TypeObj::new_native(
            "_ThreadHandle",
            "_thread",
            no_new,
            &[
                ("join", handle_join),
                ("is_alive", handle_is_alive),
                ("set_name", handle_set_name),
                ("__repr__", handle_repr),
            ],
        )
    })
}

fn no_new(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let name = match args.first() {
        Some(Value::Type(t)) => t.name.to_string(),
        _ => "object".to_string(),
    };
    Err(Exc::type_error(format!(
        "cannot create '_thread.{name}' instances"
    )))
}

fn handle_of(v: &Value) -> ToyResult<&Arc<ThreadHandle>> {
    match v {
        Value::Instance(i) => i.native_ref::<Arc<ThreadHandle>>(),
        _ => None,
    }
    .ok_or_else(|| Exc::type_error("expected a _thread._ThreadHandle"))
}

/// `_thread._start(target, name, daemon)`: start `target()` on a new thread and return its
/// handle (with `join`, `is_alive`, `ident`).
fn start(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("_start", kw)?;
    args::count("_start", args, 3, 3)?;
    let name = args::expect_str("_start", &args[1])?.as_str().to_string();
    let daemon = vm.truthy(&args[2])?;
    let handle = vm.start_thread(args[0].clone(), Vec::new(), Vec::new(), name)?;
    handle.daemon.store(daemon, Ordering::Relaxed);
    let ident = handle.ident;
    let obj = Instance::native(handle_type(), handle);
    if let Value::Instance(i) = &obj {
        i.set_attr_str("ident", Value::Int(ident as i64));
    }
    Ok(obj)
}

/// `_thread.start_new_thread(function, args, kwargs={})`: returns the new thread's ident.
fn start_new_thread(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("start_new_thread", kw)?;
    args::count("start_new_thread", args, 2, 3)?;
    let Value::Tuple(targs) = &args[1] else {
        return Err(Exc::type_error("2nd arg must be a tuple"));
    };
    let kwargs = match args.get(2) {
        None => Vec::new(),
        Some(Value::Dict(d)) => d
            .items()
            .into_iter()
            .map(|(k, v)| match k {
                Value::Str(s) => Ok((s, v)),
                _ => Err(Exc::type_error("keywords must be strings")),
            })
            .collect::<ToyResult<Vec<_>>>()?,
        Some(_) => return Err(Exc::type_error("optional 3rd arg must be a dictionary")),
    };
    let name = format!("Thread-{}", crate::vm::thread::peek_next_ident());
    let handle = vm.start_thread(args[0].clone(), targs.items().to_vec(), kwargs, name)?;
    handle.daemon.store(true, Ordering::Relaxed);
    Ok(Value::Int(handle.ident as i64))
}

fn handle_join(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [timeout_kw] = args::keywords("join", kw, &["timeout"])?
        .try_into()
        .unwrap_or_default();
    args::count("join", args, 1, 2)?;
    let handle = handle_of(&args[0])?.clone();
    let timeout = args.get(1).cloned().or(timeout_kw);
    let deadline = match timeout {
        None | Some(Value::None) => None,
        Some(t) => {
            let secs = crate::modules::math::real(vm, &t)?.max(0.0);
            Some(deadline_after(vm, secs)?)
        }
    };
    Ok(Value::Bool(vm.join_thread(&handle, deadline)?))
}

fn handle_is_alive(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let h = handle_of(args.first().unwrap_or(&Value::None))?;
    Ok(Value::Bool(!h.is_finished()))
}

fn handle_set_name(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("set_name", args, 2, 2)?;
    let h = handle_of(&args[0])?;
    *h.name.lock() = args::expect_str("set_name", &args[1])?.as_str().to_string();
    Ok(Value::None)
}

fn handle_repr(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let h = handle_of(args.first().unwrap_or(&Value::None))?;
    Ok(Value::string(format!(
        "<_thread._ThreadHandle {} ident={}>",
        h.name.lock(),
        h.ident
    )))
}

fn set_daemon(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("_set_daemon", args, 2, 2)?;
    let h = handle_of(&args[0])?;
    h.daemon
        .store(matches!(args[1], Value::Bool(true)), Ordering::Relaxed);
    Ok(Value::None)
}

fn get_ident(vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(vm.thread.ident as i64))
}

fn main_ident(vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let main = vm
        .interp
        .gil
        .threads()
        .into_iter()
        .find(|(h, _)| h.is_main)
        .map_or(vm.thread.ident, |(h, _)| h.ident);
    Ok(Value::Int(main as i64))
}

/// `_thread._count()`: threads started and not yet ended (the main thread not counted).
fn count(vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let n = vm
        .interp
        .gil
        .threads()
        .iter()
        .filter(|(h, _)| !h.is_main)
        .count();
    Ok(Value::Int(n as i64))
}

/// A deadline `secs` from now on the interpreter's clock; an error for timeouts no clock can
/// represent.
fn deadline_after(vm: &Vm, secs: f64) -> ToyResult<Deadline> {
    if secs.is_nan() || secs > TIMEOUT_MAX {
        return Err(Exc::overflow("timeout value is too large"));
    }
    Ok(vm.interp.clock.deadline_after_secs(secs))
}

// ----- locks ------------------------------------------------------------------------------

/// The state of a `Lock` or `RLock`, behind its own mutex (never held while blocking).
#[derive(Default)]
struct LockState {
    /// Ident of the holding thread (a plain number: the uncontended path clones no `Arc`).
    owner: Option<u64>,
    /// Recursion depth (an `RLock`); 1 for a held `Lock`.
    count: u64,
    /// Threads blocked in `acquire`, woken one at a time in arrival order.
    waiters: VecDeque<Arc<ThreadHandle>>,
}

struct Lock {
    state: Mutex<LockState>,
    reentrant: bool,
    /// What a thread blocked on this lock waits for, in deadlock reports, when the lock
    /// serves something bigger (`Condition.wait()`).
    label: Option<String>,
}

impl Lock {
    fn new(reentrant: bool) -> Lock {
        Lock {
            state: Mutex::new(LockState::default()),
            reentrant,
            label: None,
        }
    }

    /// Take the lock if it is free (or ours, for an RLock).
    fn try_take(&self, s: &mut LockState, me: u64) -> bool {
        match s.owner {
            None => {
                s.owner = Some(me);
                s.count = 1;
                true
            }
            Some(o) if self.reentrant && o == me => {
                s.count += 1;
                true
            }
            Some(_) => false,
        }
    }

    fn acquire(&self, vm: &mut Vm, blocking: bool, deadline: Option<Deadline>) -> ToyResult<bool> {
        let me = vm.thread.ident;
        loop {
            let owner = {
                let mut s = self.state.lock();
                if self.try_take(&mut s, me) {
                    return Ok(true);
                }
                if !blocking {
                    return Ok(false);
                }
                s.waiters.push_back(vm.thread.clone());
                s.owner
            };
            let what = match &self.label {
                Some(label) => label.clone(),
                None => format!(
                    "{} held by thread {:?}",
                    if self.reentrant { "an RLock" } else { "a Lock" },
                    thread_name(vm, owner)
                ),
            };
            let woken = vm.block_on(&what, deadline);
            let mut s = self.state.lock();
            s.waiters.retain(|w| w.ident != me);
            match woken {
                Err(e) => return Err(e),
                Ok(true) => {}
                // Timed out: one last look, then give up.
                Ok(false) => return Ok(self.try_take(&mut s, me)),
            }
        }
    }

    fn release(&self, vm: &mut Vm) -> ToyResult<()> {
        let next = {
            let mut s = self.state.lock();
            match s.owner {
                None if self.reentrant => {
                    return Err(Exc::runtime_error("cannot release un-acquired lock"))
                }
                None => return Err(Exc::runtime_error("release unlocked lock")),
                Some(o) if self.reentrant && o != vm.thread.ident => {
                    return Err(Exc::runtime_error("cannot release un-acquired lock"))
                }
                Some(_) => {}
            }
            s.count -= 1;
            if s.count > 0 {
                return Ok(());
            }
            s.owner = None;
            s.waiters.pop_front()
        };
        if let Some(w) = next {
            vm.wake(&w);
        }
        Ok(())
    }
}

/// The name of the thread with `ident` (for deadlock reports).
fn thread_name(vm: &Vm, ident: Option<u64>) -> String {
    vm.interp
        .gil
        .threads()
        .into_iter()
        .find(|(h, _)| Some(h.ident) == ident)
        .map(|(h, _)| h.name.lock().clone())
        .unwrap_or_default()
}

fn lock_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| lock_class("lock", lock_new))
}

fn rlock_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let t = lock_class("RLock", rlock_new);
        t.set_attr(
            "_is_owned",
            Value::Builtin(Arc::new(Builtin::method(&t, "_is_owned", rlock_is_owned))),
        );
        t.set_attr(
            "_release_save",
            Value::Builtin(Arc::new(Builtin::method(
                &t,
                "_release_save",
                rlock_release_save,
            ))),
        );
        t.set_attr(
            "_acquire_restore",
            Value::Builtin(Arc::new(Builtin::method(
                &t,
                "_acquire_restore",
                rlock_acquire_restore,
            ))),
        );
        t
    })
}

fn lock_class(name: &str, new: NativeFn) -> Arc<TypeObj> {
    TypeObj::new_native(
        name,
        "_thread",
        new,
        &[
            ("acquire", lock_acquire),
            ("acquire_lock", lock_acquire),
            ("release", lock_release),
            ("release_lock", lock_release),
            ("locked", lock_locked),
            ("__enter__", lock_acquire),
            ("__exit__", lock_exit),
            ("__repr__", lock_repr),
        ],
    )
}

fn lock_new(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Instance::native(lock_type(), Lock::new(false)))
}

fn rlock_new(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let cls = match args.first() {
        Some(Value::Type(t)) => t.clone(),
        _ => rlock_type().clone(),
    };
    Ok(Instance::native(&cls, Lock::new(true)))
}

fn allocate_lock(_vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Instance::native(lock_type(), Lock::new(false)))
}

/// `_thread._waiter_lock(label)`: a Lock whose waiters are reported as waiting for `label`.
fn waiter_lock(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("_waiter_lock", args, 1, 1)?;
    let mut lock = Lock::new(false);
    lock.label = Some(
        args::expect_str("_waiter_lock", &args[0])?
            .as_str()
            .to_string(),
    );
    Ok(Instance::native(lock_type(), lock))
}

fn lock_of(v: &Value) -> ToyResult<&Lock> {
    match v {
        Value::Instance(i) => i.native_ref::<Lock>(),
        _ => None,
    }
    .ok_or_else(|| Exc::type_error("descriptor requires a '_thread.lock' object"))
}

/// `acquire(blocking=True, timeout=-1)`.
fn lock_acquire(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [blocking_kw, timeout_kw] = args::keywords("acquire", kw, &["blocking", "timeout"])?
        .try_into()
        .unwrap_or_default();
    args::count("acquire", args, 1, 3)?;
    let lock = lock_of(&args[0])?;
    let blocking = match args.get(1).cloned().or(blocking_kw) {
        Some(b) => vm.truthy(&b)?,
        None => true,
    };
    let timeout = match args.get(2).cloned().or(timeout_kw) {
        Some(t) => crate::modules::math::real(vm, &t)?,
        None => -1.0,
    };
    if !blocking && timeout != -1.0 {
        return Err(Exc::value_error(
            "can't specify a timeout for a non-blocking call",
        ));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(Exc::value_error(
            "timeout value must be a non-negative number",
        ));
    }
    let deadline = if timeout >= 0.0 {
        Some(deadline_after(vm, timeout)?)
    } else {
        None
    };
    Ok(Value::Bool(lock.acquire(vm, blocking, deadline)?))
}

fn lock_release(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("release", args, 1, 1)?;
    lock_of(&args[0])?.release(vm)?;
    Ok(Value::None)
}

fn lock_exit(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    lock_of(args.first().unwrap_or(&Value::None))?.release(vm)?;
    Ok(Value::None)
}

fn lock_locked(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let lock = lock_of(args.first().unwrap_or(&Value::None))?;
    Ok(Value::Bool(lock.state.lock().owner.is_some()))
}

fn lock_repr(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let v = args.first().unwrap_or(&Value::None);
    let lock = lock_of(v)?;
    let addr = v.heap_ptr().unwrap_or(0);
    let s = lock.state.lock();
    let status = if s.owner.is_some() {
        "locked"
    } else {
        "unlocked"
    };
    Ok(Value::string(if lock.reentrant {
        format!(
            "<{status} _thread.RLock object owner={} count={} at {addr:#x}>",
            s.owner.unwrap_or(0),
            s.count
        )
    } else {
        format!("<{status} _thread.lock object at {addr:#x}>")
    }))
}

fn rlock_is_owned(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let lock = lock_of(args.first().unwrap_or(&Value::None))?;
    let s = lock.state.lock();
    Ok(Value::Bool(s.owner == Some(vm.thread.ident)))
}

/// For `Condition.wait`: release an RLock completely, returning its state to restore.
fn rlock_release_save(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let lock = lock_of(args.first().unwrap_or(&Value::None))?;
    let (count, next) = {
        let mut s = lock.state.lock();
        match s.owner {
            Some(o) if o == vm.thread.ident => {}
            _ => return Err(Exc::runtime_error("cannot release un-acquired lock")),
        }
        let count = std::mem::take(&mut s.count);
        s.owner = None;
        (count, s.waiters.pop_front())
    };
    if let Some(w) = next {
        vm.wake(&w);
    }
    Ok(Value::Int(count as i64))
}

/// For `Condition.wait`: take an RLock back with the recursion depth it had.
fn rlock_acquire_restore(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("_acquire_restore", args, 2, 2)?;
    let lock = lock_of(&args[0])?;
    let count = crate::objects::int::index_of(&args[1])?.max(1) as u64;
    lock.acquire(vm, true, None)?;
    lock.state.lock().count = count;
    Ok(Value::None)
}
