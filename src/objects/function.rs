//! Callables: toy functions (code + globals + defaults + closure), native builtins, bound
//! methods, and the cells that closures share.

use std::sync::Arc;

use parking_lot::Mutex;

use super::dict::DictObj;
use super::str::StrObj;
use super::types::TypeObj;
use super::{ToyResult, Value};
use crate::compile::code::Code;
use crate::vm::Vm;

/// A function defined by `def` or `lambda`.
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct Function {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    pub code: Arc<Code>,
    pub globals: Arc<DictObj>,
    /// Defaults of the last positional parameters, in order.
    pub defaults: Vec<Value>,
    /// Defaults of keyword-only parameters, by name.
    pub kwdefaults: Vec<(Arc<StrObj>, Value)>,
    /// Cells for the free variables, in `code.freevars` order.
    pub closure: Vec<Arc<Cell>>,
    pub name: Mutex<Arc<str>>,
    pub qualname: Arc<str>,
    /// `__dict__`: attributes set on the function object.
    pub dict: Arc<DictObj>,
    pub doc: Value,
}

/// A variable shared between a function and the closures defined in it.
#[derive(Default)]
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct Cell {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    pub value: Mutex<Value>,
}

impl Cell {
    pub fn new(value: Value) -> Cell {
        Cell {
            value: Mutex::new(value),
            gc: Default::default(),
        }
    }

    /// The value, or `Value::Null` when unbound.
    pub fn get(&self) -> Value {
        self.value.lock().clone()
    }

    pub fn set(&self, value: Value) {
        let old = std::mem::replace(&mut *self.value.lock(), value);
        drop(old);
    }
}

/// A native function. `args` are the positional arguments (for a method, `args[0]` is the
/// receiver); `kwargs` the keyword arguments in call order.
pub type NativeFn = fn(&mut Vm, &[Value], &[(Arc<StrObj>, Value)]) -> ToyResult<Value>;

pub struct Builtin {
    pub name: &'static str,
    pub qualname: String,
    pub func: NativeFn,
    /// For a method of a builtin type: that type. The method binds its receiver when looked
    /// up on an instance, and checks the receiver's type when called unbound.
    pub owner: Option<Arc<TypeObj>>,
    /// A value the function is bound to (e.g. the module or object it belongs to), passed
    /// as the first argument when set.
    pub bound: Option<Value>,
}

impl Builtin {
    pub fn function(name: &'static str, func: NativeFn) -> Builtin {
        Builtin {
            name,
            qualname: name.to_string(),
            func,
            owner: None,
            bound: None,
        }
    }

    pub fn method(owner: &Arc<TypeObj>, name: &'static str, func: NativeFn) -> Builtin {
        let qualname = format!("{}.{}", owner.name, name);
        Builtin {
            name,
            qualname,
            func,
            owner: Some(owner.clone()),
            bound: None,
        }
    }

    pub fn is_method(&self) -> bool {
        self.owner.is_some()
    }
}

/// A function bound to its receiver: `obj.method` without the call.
// C layout, the collector's header first: it shares a cache line with the reference counts.
#[repr(C)]
pub struct BoundMethod {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    pub receiver: Value,
    pub func: Value,
}

impl BoundMethod {
    /// A new bound method, registered with the cycle collector.
    pub fn new_value(receiver: Value, func: Value) -> Value {
        Value::BoundMethod(crate::vm::gc::track(BoundMethod {
            receiver,
            func,
            gc: Default::default(),
        }))
    }
}
