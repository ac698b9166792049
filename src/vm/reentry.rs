//! Running toy code from native code that has no `Vm` at hand.
//!
//! Dict keys and set members of user classes need toy code (`__hash__`, `__eq__`) deep
//! inside the tables, on paths that may not have been given the running `Vm` (see the
//! design notes in `objects/key.rs`). The VM that is running on this thread is borrowed
//! further up the Rust stack and cannot be reached without `unsafe`, so those paths borrow
//! a *spare* `Vm` for the same `Interp` instead: [`with_vm`].
//!
//! - The interpreter is found through a thread-local that every eval-loop run refreshes
//!   ([`note_interp`], one pointer comparison). It is held weakly, so it never keeps an
//!   interpreter alive.
//! - Spare VMs are kept in a small thread-local pool, so a lookup in a loop does not
//!   allocate a VM each time. A spare is taken out of the pool while it runs, so toy code
//!   that itself reaches such a path gets another one.
//! - Each spare has its own frame stack, so the recursion limit alone would not bound the
//!   Rust stack: nesting of spare VMs is capped at [`MAX_NESTING`] and raises
//!   RecursionError beyond that, instead of overflowing.
//! - A spare starts with no exception being handled, so an exception raised in the toy
//!   code it runs has no implicit `__context__` from an outer `except` block; otherwise
//!   exceptions (with their tracebacks) propagate to the caller as usual.
//!
//! The `Vm` implements [`KeyCx`] directly, and code with a `Vm` passes it; [`Reentry`] is
//! the `KeyCx` for code without one.

use std::cell::Cell;
use std::sync::{Arc, Weak};

use super::{Interp, Vm};
use crate::objects::key::KeyCx;
use crate::objects::{Exc, ToyResult, Value};

/// How many spare VMs may be running nested on one thread.
pub const MAX_NESTING: usize = 32;

/// How many idle spare VMs a thread keeps for reuse.
const POOL_SIZE: usize = 4;

thread_local! {
    /// The interpreter whose code last ran on this thread.
    static INTERP: Cell<Option<Weak<Interp>>> = const { Cell::new(None) };
    /// Idle spare VMs.
    static POOL: Cell<Vec<Vm>> = const { Cell::new(Vec::new()) };
    /// Spare VMs currently running on this thread.
    static NESTING: Cell<usize> = const { Cell::new(0) };
}

/// Remember that code of `interp` runs on this thread (called on entry to the eval loop).
#[inline]
pub fn note_interp(interp: &Arc<Interp>) {
    let _ = INTERP.try_with(|cell| {
        let current = cell.take();
        let same = current
            .as_ref()
            .is_some_and(|w| std::ptr::eq(w.as_ptr(), Arc::as_ptr(interp)));
        cell.set(if same {
            current
        } else {
            Some(Arc::downgrade(interp))
        });
    });
}

fn current_interp() -> Option<Arc<Interp>> {
    INTERP
        .try_with(|cell| {
            let current = cell.take();
            let interp = current.as_ref().and_then(Weak::upgrade);
            cell.set(current);
            interp
        })
        .ok()
        .flatten()
}

/// Run `f` with a spare VM of this thread's interpreter.
pub fn with_vm<R>(f: impl FnOnce(&mut Vm) -> ToyResult<R>) -> ToyResult<R> {
    let nesting = NESTING.try_with(Cell::get).unwrap_or(MAX_NESTING);
    if nesting >= MAX_NESTING {
        return Err(Exc::recursion_error(
            "maximum recursion depth exceeded while calling a Python object",
        ));
    }
    let Some(interp) = current_interp() else {
        return Err(Exc::system_error(
            "no interpreter is running on this thread to run toy code",
        ));
    };
    let pooled = POOL
        .try_with(|pool| {
            let mut idle = pool.take();
            let vm = idle.pop();
            pool.set(idle);
            vm
        })
        .ok()
        .flatten()
        .filter(|vm| Arc::ptr_eq(&vm.interp, &interp));
    let mut vm = pooled.unwrap_or_else(|| Vm::new(interp));
    let _ = NESTING.try_with(|n| n.set(nesting + 1));
    let result = f(&mut vm);
    let _ = NESTING.try_with(|n| n.set(nesting));
    // Back to the pool in a clean state (a run leaves its frames popped, but an error may
    // leave values on the stack).
    vm.stack.clear();
    vm.frames.clear();
    vm.handled = Value::None;
    vm.repr_guard.clear();
    vm.native_depth = 0;
    vm.yielded = false;
    let _ = POOL.try_with(|pool| {
        let mut idle = pool.take();
        if idle.len() < POOL_SIZE {
            idle.push(vm);
        }
        pool.set(idle);
    });
    result
}

/// The [`KeyCx`] for native code without a `Vm`: runs user `__hash__`/`__eq__` on a
/// spare VM (see the module doc).
pub struct Reentry;

impl KeyCx for Reentry {
    fn call_hash(&mut self, method: &Value, value: &Value) -> ToyResult<Value> {
        with_vm(|vm| vm.call_hash(method, value))
    }

    fn toy_eq(&mut self, stored: &Value, key: &Value) -> ToyResult<bool> {
        with_vm(|vm| vm.eq(stored, key))
    }
}

impl KeyCx for Vm {
    fn call_hash(&mut self, method: &Value, value: &Value) -> ToyResult<Value> {
        self.call(method, vec![value.clone()], Vec::new())
    }

    fn toy_eq(&mut self, stored: &Value, key: &Value) -> ToyResult<bool> {
        self.eq(stored, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::Mode;
    use crate::run::{Outcome, Session};

    const PROGRAM: &str = "\
class P:
    def __init__(self, n):
        self.n = n
    def __hash__(self):
        return self.n % 10
    def __eq__(self, o):
        return self.n % 10 == o.n % 10
d = {P(1): 'one'}
s = {P(2)}
key = P(11)
other = P(3)
";

    fn session() -> Session {
        let mut session = Session::new(
            vec![String::new()],
            Vec::new(),
            &crate::run::Options::default(),
        );
        let outcome = session.run_source("<test>", PROGRAM.to_string(), Mode::Exec);
        assert!(matches!(outcome, Outcome::Ok), "the program failed");
        session
    }

    fn global(session: &Session, name: &str) -> Value {
        session.main.get_str(name).unwrap_or(Value::None)
    }

    #[test]
    fn native_code_without_a_vm_runs_user_hash_and_eq() {
        let session = session();
        let (Value::Dict(d), Value::Set(s)) = (global(&session, "d"), global(&session, "s")) else {
            panic!("d and s should be a dict and a set");
        };
        let key = global(&session, "key");
        let other = global(&session, "other");
        // The Vm-less entry points: `__hash__` and `__eq__` run on a spare VM.
        assert!(matches!(d.get(&key), Ok(Some(Value::Str(_)))));
        assert!(matches!(d.get(&other), Ok(None)));
        assert!(matches!(s.contains(&other), Ok(false)));
        assert!(matches!(s.add(Value::Int(0)), Ok(())));
        assert!(matches!(crate::objects::key::hash_value(&key), Ok(1)));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn spare_vm_nesting_is_bounded() {
        let _session = session();
        fn nest(n: usize) -> ToyResult<usize> {
            with_vm(|_| {
                if n == 0 {
                    Ok(0)
                } else {
                    nest(n - 1).map(|d| d + 1)
                }
            })
        }
        assert!(nest(MAX_NESTING - 1).is_ok());
        let err = nest(MAX_NESTING + 1).err();
        assert!(err.is_some_and(|e| e.matches(&crate::objects::types().exceptions.recursion_error)));
    }

    #[test]
    fn a_thread_without_an_interpreter_gets_an_error() {
        let r = std::thread::spawn(|| with_vm(|_| Ok(())).is_err()).join();
        assert!(matches!(r, Ok(true)));
    }
}
