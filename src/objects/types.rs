//! Classes: `TypeObj` (both the builtin types and, later, user classes), instances of
//! user classes, and the registry of builtin types every value's `class()` points into.

use std::sync::{Arc, OnceLock};

use super::dict::DictObj;
use super::exception::ExcState;
use super::function::{Builtin, NativeFn};
use super::Value;

/// A class. Builtin types live for the whole process; user classes are ordinary objects.
pub struct TypeObj {
    pub name: Arc<str>,
    /// Direct bases, in the order written.
    pub bases: Vec<Arc<TypeObj>>,
    /// The method resolution order after this class itself (C3 linearisation).
    pub mro: Vec<Arc<TypeObj>>,
    /// Class attributes and methods.
    pub dict: Arc<DictObj>,
    /// `None` means the metaclass is `type`.
    pub metaclass: Option<Arc<TypeObj>>,
    /// Builtin types do not accept new attributes (`int.x = 1` is a TypeError).
    pub is_builtin: bool,
}

impl TypeObj {
    /// A builtin type with the given bases; its MRO is computed from them.
    pub fn new_builtin(name: &str, bases: Vec<Arc<TypeObj>>) -> TypeObj {
        let mro = linear_mro(&bases);
        TypeObj {
            name: name.into(),
            bases,
            mro,
            dict: Arc::new(DictObj::new()),
            metaclass: None,
            is_builtin: true,
        }
    }

    pub fn metaclass(&self) -> &Arc<TypeObj> {
        self.metaclass.as_ref().unwrap_or(&types().type_)
    }

    /// Find `name` on this class or along its MRO.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.dict.get_str(name) {
            return Some(v);
        }
        self.mro.iter().find_map(|t| t.dict.get_str(name))
    }

    /// Whether `self` is `other` or has it in its MRO.
    pub fn is_subtype(&self, other: &TypeObj) -> bool {
        std::ptr::eq(self, other) || self.mro.iter().any(|t| std::ptr::eq(&**t, other))
    }

    /// Register a native method (or any attribute) on a builtin type.
    pub fn add_method(self: &Arc<Self>, name: &'static str, func: NativeFn) {
        self.dict.set_str(name, Value::Builtin(Arc::new(Builtin::method(self, name, func))));
    }

    pub fn set_attr(&self, name: &str, value: Value) {
        self.dict.set_str(name, value);
    }
}

/// MRO for single-inheritance builtin chains: each base followed by its own MRO, without
/// duplicates. User classes (with possibly several bases) use the C3 algorithm instead.
fn linear_mro(bases: &[Arc<TypeObj>]) -> Vec<Arc<TypeObj>> {
    let mut out: Vec<Arc<TypeObj>> = Vec::new();
    for b in bases {
        for t in std::iter::once(b).chain(b.mro.iter()) {
            if !out.iter().any(|o| Arc::ptr_eq(o, t)) {
                out.push(t.clone());
            }
        }
    }
    out
}

/// An instance of a user-defined class (or a builtin class that keeps per-instance state
/// in a payload, like exceptions).
pub struct Instance {
    pub class: Arc<TypeObj>,
    pub dict: Arc<DictObj>,
    pub payload: Payload,
}

pub enum Payload {
    Plain,
    Exception(parking_lot::Mutex<ExcState>),
}

/// The builtin types. Created once per process; every `Value::class()` points here.
pub struct BuiltinTypes {
    pub object: Arc<TypeObj>,
    pub type_: Arc<TypeObj>,
    pub none_type: Arc<TypeObj>,
    pub not_implemented_type: Arc<TypeObj>,
    pub ellipsis_type: Arc<TypeObj>,
    pub int: Arc<TypeObj>,
    pub bool: Arc<TypeObj>,
    pub float: Arc<TypeObj>,
    pub str: Arc<TypeObj>,
    pub bytes: Arc<TypeObj>,
    pub tuple: Arc<TypeObj>,
    pub list: Arc<TypeObj>,
    pub dict: Arc<TypeObj>,
    pub set: Arc<TypeObj>,
    pub frozenset: Arc<TypeObj>,
    pub range: Arc<TypeObj>,
    pub slice: Arc<TypeObj>,
    pub function: Arc<TypeObj>,
    pub builtin_function: Arc<TypeObj>,
    pub method: Arc<TypeObj>,
    pub module: Arc<TypeObj>,
    pub code: Arc<TypeObj>,
    pub cell: Arc<TypeObj>,
    pub generator: Arc<TypeObj>,
    pub dict_keys: Arc<TypeObj>,
    pub dict_values: Arc<TypeObj>,
    pub dict_items: Arc<TypeObj>,
    /// Iterator classes, by the name CPython gives them (`list_iterator`, `enumerate`, ...).
    pub iterators: Vec<Arc<TypeObj>>,
    pub exceptions: super::exception::ExceptionTypes,
}

static TYPES: OnceLock<BuiltinTypes> = OnceLock::new();

/// The process-wide builtin types.
pub fn types() -> &'static BuiltinTypes {
    TYPES.get_or_init(build_types)
}

fn build_types() -> BuiltinTypes {
    let object = Arc::new(TypeObj::new_builtin("object", vec![]));
    let sub = |name: &str| Arc::new(TypeObj::new_builtin(name, vec![object.clone()]));
    let int = sub("int");
    let bool_ = Arc::new(TypeObj::new_builtin("bool", vec![int.clone()]));
    let iterators = super::iter::ITERATOR_CLASS_NAMES.iter().map(|n| sub(n)).collect();
    let exceptions = super::exception::ExceptionTypes::build(&object);
    let t = BuiltinTypes {
        type_: sub("type"),
        none_type: sub("NoneType"),
        not_implemented_type: sub("NotImplementedType"),
        ellipsis_type: sub("ellipsis"),
        bool: bool_,
        float: sub("float"),
        str: sub("str"),
        bytes: sub("bytes"),
        tuple: sub("tuple"),
        list: sub("list"),
        dict: sub("dict"),
        set: sub("set"),
        frozenset: sub("frozenset"),
        range: sub("range"),
        slice: sub("slice"),
        function: sub("function"),
        builtin_function: sub("builtin_function_or_method"),
        method: sub("method"),
        module: sub("module"),
        code: sub("code"),
        cell: sub("cell"),
        generator: sub("generator"),
        dict_keys: sub("dict_keys"),
        dict_values: sub("dict_values"),
        dict_items: sub("dict_items"),
        iterators,
        exceptions,
        int,
        object,
    };
    register_all(&t);
    t
}

/// Fill the method tables of the builtin types. Each type's file owns its methods.
pub(crate) fn register_all(t: &BuiltinTypes) {
    super::str_methods::register(&t.str);
    super::list::register(&t.list);
    super::tuple::register(&t.tuple);
    super::dict::register(t);
    super::set_methods::register(&t.set, &t.frozenset);
    super::int::register(&t.int);
    super::number::register_float(&t.float);
    super::range::register(&t.range);
    super::generator::register(&t.generator);
}
