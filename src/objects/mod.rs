//! Runtime objects: the `Value` every instruction works on, and one file per builtin type.
//!
//! Decisions from DESIGN.md that shape this file:
//! - Values are `Send + Sync`: heap objects are `Arc`s and mutable ones guard their state
//!   with their own lock, so that running without the GIL stays memory-safe.
//! - Small values are unboxed: `None`, bools, 64-bit ints and floats live inside the `Value`.
//! - `Value` is 16 bytes: a tag and one word, so moving values around the VM stack is cheap.

pub mod binary_file;
pub mod binary_file_methods;
pub mod bytes;
pub mod bytes_methods;
pub mod class;
pub mod codec;
pub mod constructors;
pub mod dict;
pub mod dict_methods;
pub mod dunders;
pub mod exception;
pub mod file;
pub mod file_common_methods;
pub mod file_methods;
pub mod format;
pub mod function;
pub mod generator;
pub mod instance_attrs;
pub mod int;
pub mod iter;
pub mod key;
pub mod list;
pub mod list_methods;
pub mod method_args;
pub mod number;
pub mod racy_refcount;
pub mod range;
pub mod range_methods;
pub mod set;
pub mod set_methods;
pub mod slice;
pub mod socket;
pub mod socket_addr;
pub mod socket_methods;
pub mod split;
pub mod str;
pub mod str_methods;
pub mod tuple;
pub mod tuple_methods;
pub mod types;

use std::sync::Arc;

use num_bigint::BigInt;

pub use dict::DictObj;
pub use exception::Exc;
pub use function::{BoundMethod, Builtin, Cell, Function};
pub use generator::GenObj;
pub use iter::IterObj;
pub use list::ListObj;
pub use racy_refcount::InstRef;
pub use range::RangeObj;
pub use set::SetObj;
pub use slice::SliceObj;
pub use str::StrObj;
pub use tuple::TupleObj;
pub use types::{types, Instance, TypeObj};

use crate::compile::code::Code;
use crate::modules::ModuleObj;

/// The result of anything that can raise a toy exception.
pub type ToyResult<T> = Result<T, Exc>;

/// A toy value. Cloning a heap variant bumps its reference count; small variants are copied.
///
/// `repr(C, u64)`: a whole-word tag, then the payload at offset 8, no padding. Left to
/// itself, the compiler uses a byte tag, puts `Bool`'s payload at offset 1, and moves a
/// `Value` as one byte plus fifteen bytes copied with overlapping misaligned words, which a
/// load right after the store cannot forward on x86: a stall of a dozen cycles on moves of
/// values through memory (perf showed them as the hottest instructions of the method
/// cache). Two words move as two words.
#[derive(Default)]
#[repr(C, u64)]
pub enum Value {
    /// An internal marker, never visible to toy code: an unbound local slot, or the
    /// "no self" half of a `LoadMethod` pair.
    #[default]
    Null,
    None,
    /// `NotImplemented`, returned by binary dunders that do not handle an operand type.
    NotImplemented,
    Ellipsis,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// An int that does not fit in 64 bits. Invariant: never holds a value that fits in i64.
    BigInt(Arc<BigInt>),
    Str(Arc<StrObj>),
    Bytes(Arc<Vec<u8>>),
    Tuple(Arc<TupleObj>),
    List(Arc<ListObj>),
    Dict(Arc<DictObj>),
    Set(Arc<SetObj>),
    Range(Arc<RangeObj>),
    Slice(Arc<SliceObj>),
    Iter(Arc<IterObj>),
    Function(Arc<Function>),
    Builtin(Arc<Builtin>),
    BoundMethod(Arc<BoundMethod>),
    Type(Arc<TypeObj>),
    /// An instance of a class with per-object state (user classes, exceptions, native
    /// objects). `InstRef` is an `Arc` that also keeps `--racy-refcount`'s simulated count.
    Instance(InstRef),
    Module(Arc<ModuleObj>),
    Code(Arc<Code>),
    Cell(Arc<Cell>),
    /// A suspended function activation: generators (and later coroutines).
    Generator(Arc<GenObj>),
}

/// Written out rather than derived, in two parts: the unboxed variants are copied inline
/// at every clone site (most clones in the eval loop are of ints, bools and None), and the
/// heap variants bump a reference count in one out-of-line function. An instance is cloned
/// by `InstRef::clone_value`, whose `--racy-refcount` path is a call that returns the whole
/// `Value`: derived, the call's result would be stored through a register saved on entry
/// to every clone, of any kind of value.
impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        use Value::*;
        match self {
            Null => Null,
            None => None,
            NotImplemented => NotImplemented,
            Ellipsis => Ellipsis,
            Bool(b) => Bool(*b),
            Int(i) => Int(*i),
            Float(f) => Float(*f),
            _ => self.clone_heap(),
        }
    }
}

impl Value {
    /// A new reference to a heap value (the part of `clone` that is not inlined).
    #[inline(never)]
    fn clone_heap(&self) -> Value {
        use Value::*;
        match self {
            BigInt(a) => BigInt(a.clone()),
            Str(a) => Str(a.clone()),
            Bytes(a) => Bytes(a.clone()),
            Tuple(a) => Tuple(a.clone()),
            List(a) => List(a.clone()),
            Dict(a) => Dict(a.clone()),
            Set(a) => Set(a.clone()),
            Range(a) => Range(a.clone()),
            Slice(a) => Slice(a.clone()),
            Iter(a) => Iter(a.clone()),
            Function(a) => Function(a.clone()),
            Builtin(a) => Builtin(a.clone()),
            BoundMethod(a) => BoundMethod(a.clone()),
            Type(a) => Type(a.clone()),
            Instance(r) => r.clone_value(),
            Module(a) => Module(a.clone()),
            Code(a) => Code(a.clone()),
            Cell(a) => Cell(a.clone()),
            Generator(a) => Generator(a.clone()),
            Null | None | NotImplemented | Ellipsis | Bool(_) | Int(_) | Float(_) => self.clone(),
        }
    }

    /// True for the unboxed variants, which own no reference: copying or dropping one
    /// costs nothing.
    #[inline(always)]
    pub fn is_unboxed(&self) -> bool {
        use Value::*;
        matches!(
            self,
            Null | None | NotImplemented | Ellipsis | Bool(_) | Int(_) | Float(_)
        )
    }

    /// Drop a value, with the test for an unboxed one inline: the compiler's drop glue for
    /// `Value` is an out-of-line call even when there is nothing to release, and the eval
    /// loop drops ints and bools at almost every instruction.
    #[inline(always)]
    pub fn release(self) {
        if self.is_unboxed() {
            std::mem::forget(self);
        } else {
            drop(self);
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::new(StrObj::new(s.to_owned())))
    }

    pub fn string(s: String) -> Value {
        Value::Str(Arc::new(StrObj::new(s)))
    }

    /// A str whose length in code points the caller knows (see `StrObj::with_char_len`).
    pub fn string_with_len(s: String, char_len: usize) -> Value {
        Value::Str(Arc::new(StrObj::with_char_len(s, char_len)))
    }

    /// A new reference to an instance.
    #[inline]
    pub fn instance(inst: Arc<Instance>) -> Value {
        Value::Instance(InstRef::new(inst))
    }

    pub fn from_bigint(b: BigInt) -> Value {
        int::normalize(b)
    }

    // Containers are made through `vm::gc::track`, which registers them with the cycle
    // collector (a tuple only when it holds containers).

    /// A tuple of `items`; every empty tuple is the one shared `()`, as in CPython.
    pub fn tuple(items: Vec<Value>) -> Value {
        if items.is_empty() {
            return tuple::empty();
        }
        Value::Tuple(crate::vm::gc::track(TupleObj::new(items)))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(crate::vm::gc::track(ListObj::new(items)))
    }

    pub fn dict(d: DictObj) -> Value {
        Value::Dict(crate::vm::gc::track(d))
    }

    pub fn set(s: SetObj) -> Value {
        Value::Set(crate::vm::gc::track(s))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The class of this value: `type(v)` in toy.
    #[inline]
    pub fn class(&self) -> &Arc<TypeObj> {
        let t = types();
        match self {
            Value::Null | Value::None => &t.none_type,
            Value::NotImplemented => &t.not_implemented_type,
            Value::Ellipsis => &t.ellipsis_type,
            Value::Bool(_) => &t.bool,
            Value::Int(_) | Value::BigInt(_) => &t.int,
            Value::Float(_) => &t.float,
            Value::Str(_) => &t.str,
            Value::Bytes(_) => &t.bytes,
            Value::Tuple(_) => &t.tuple,
            Value::List(_) => &t.list,
            Value::Dict(_) => &t.dict,
            Value::Set(s) => {
                if s.frozen {
                    &t.frozenset
                } else {
                    &t.set
                }
            }
            Value::Range(_) => &t.range,
            Value::Slice(_) => &t.slice,
            Value::Iter(it) => it.class(),
            Value::Function(_) => &t.function,
            Value::Builtin(_) => &t.builtin_function,
            Value::BoundMethod(_) => &t.method,
            Value::Type(ty) => ty.metaclass(),
            Value::Instance(i) => &i.class,
            Value::Module(_) => &t.module,
            Value::Code(_) => &t.code,
            Value::Cell(_) => &t.cell,
            Value::Generator(g) if g.is_coroutine => &t.coroutine,
            Value::Generator(_) => &t.generator,
        }
    }

    /// The name of this value's type, as error messages print it.
    pub fn type_name(&self) -> String {
        self.class().name.to_string()
    }

    /// Identity (`is`): same unboxed value or same heap object.
    pub fn is(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) | (None, None) | (NotImplemented, NotImplemented) => true,
            (Ellipsis, Ellipsis) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            // Two live objects are the same object exactly when they are the same allocation
            // (the identity a resurrected instance inherits belongs to a dead allocation).
            _ => match (self.alloc_ptr(), other.alloc_ptr()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }

    /// The address of the heap object, if any: what `id()` reports. The same as its
    /// allocation's address, except for an instance being finalized (see
    /// `Instance::identity`).
    pub fn heap_ptr(&self) -> Option<usize> {
        match self {
            Value::Instance(a) => Some(types::Instance::identity_ptr(a)),
            _ => self.alloc_ptr(),
        }
    }

    /// The address of the heap allocation, if any.
    #[inline]
    pub fn alloc_ptr(&self) -> Option<usize> {
        use Value::*;
        Some(match self {
            BigInt(a) => Arc::as_ptr(a) as *const u8 as usize,
            Str(a) => Arc::as_ptr(a) as *const u8 as usize,
            Bytes(a) => Arc::as_ptr(a) as *const u8 as usize,
            Tuple(a) => Arc::as_ptr(a) as *const u8 as usize,
            List(a) => Arc::as_ptr(a) as *const u8 as usize,
            Dict(a) => Arc::as_ptr(a) as *const u8 as usize,
            Set(a) => Arc::as_ptr(a) as *const u8 as usize,
            Range(a) => Arc::as_ptr(a) as *const u8 as usize,
            Slice(a) => Arc::as_ptr(a) as *const u8 as usize,
            Iter(a) => Arc::as_ptr(a) as *const u8 as usize,
            Function(a) => Arc::as_ptr(a) as *const u8 as usize,
            Builtin(a) => Arc::as_ptr(a) as *const u8 as usize,
            BoundMethod(a) => Arc::as_ptr(a) as *const u8 as usize,
            Type(a) => Arc::as_ptr(a) as *const u8 as usize,
            Instance(a) => Arc::as_ptr(a.arc()) as *const u8 as usize,
            Module(a) => Arc::as_ptr(a) as *const u8 as usize,
            Code(a) => Arc::as_ptr(a) as *const u8 as usize,
            Cell(a) => Arc::as_ptr(a) as *const u8 as usize,
            Generator(a) => Arc::as_ptr(a) as *const u8 as usize,
            _ => return Option::None,
        })
    }

    /// The reference count that `sys.getrefcount` reports (heap objects only).
    pub fn refcount(&self) -> Option<usize> {
        use Value::*;
        Some(match self {
            BigInt(a) => Arc::strong_count(a),
            Str(a) => Arc::strong_count(a),
            Bytes(a) => Arc::strong_count(a),
            Tuple(a) => Arc::strong_count(a),
            List(a) => Arc::strong_count(a),
            Dict(a) => Arc::strong_count(a),
            Set(a) => Arc::strong_count(a),
            Range(a) => Arc::strong_count(a),
            Slice(a) => Arc::strong_count(a),
            Iter(a) => Arc::strong_count(a),
            Function(a) => Arc::strong_count(a),
            Builtin(a) => Arc::strong_count(a),
            BoundMethod(a) => Arc::strong_count(a),
            Type(a) => Arc::strong_count(a),
            Instance(a) => a.refcount(),
            Module(a) => Arc::strong_count(a),
            Code(a) => Arc::strong_count(a),
            Cell(a) => Arc::strong_count(a),
            Generator(a) => Arc::strong_count(a),
            _ => return Option::None,
        })
    }

    pub fn as_str(&self) -> Option<&StrObj> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is an int (or bool, which subclasses int) and not a float.
    pub fn is_int_like(&self) -> bool {
        matches!(self, Value::Int(_) | Value::BigInt(_) | Value::Bool(_))
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => write!(f, "<null>"),
            Value::None => write!(f, "None"),
            Value::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::BigInt(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", format::float_repr(*x)),
            Value::Str(s) => write!(f, "{:?}", s.as_str()),
            other => write!(f, "<{} object>", other.type_name()),
        }
    }
}

/// Keyword arguments of a call, in the order written.
pub type KwArgs = Vec<(Arc<StrObj>, Value)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_two_words() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
    }

    /// Every instance carries a payload: its rare large variants are boxed so that a plain
    /// instance stays small (memory per object is what 100 000 live tasks cost).
    #[test]
    fn payload_is_three_words() {
        assert_eq!(std::mem::size_of::<types::Payload>(), 24);
    }

    /// An instance's attributes take five words inline (a lock, the shared names, the
    /// values' vector), not a dict of their own.
    #[test]
    fn instance_is_two_cache_lines() {
        assert_eq!(std::mem::size_of::<types::Instance>(), 112);
    }

    #[test]
    fn values_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Value>();
    }
}
