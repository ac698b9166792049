//! Classes: `TypeObj` (both the builtin types and, later, user classes), instances of
//! user classes, and the registry of builtin types every value's `class()` points into.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use super::dict::DictObj;
use super::exception::ExcState;
use super::function::{Builtin, NativeFn};
use super::instance_attrs::{InstanceAttrs, SharedKeys};
use super::racy_refcount::RacyCount;
use super::Value;

/// A class. Builtin types live for the whole process; user classes are ordinary objects.
pub struct TypeObj {
    /// Unique among the classes of the process (never reused, unlike an address): what
    /// inline caches (`ClassHint`) remember a class by.
    pub id: u32,
    pub name: Arc<str>,
    /// The dotted path from the module (`Outer.Inner`), as `__qualname__` reports it.
    pub qualname: Arc<str>,
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
    /// For builtin types: the native `__new__`, called directly by `call_type` (a builtin
    /// type's namespace never changes, so the dict lookup can be skipped).
    pub native_new: OnceLock<NativeFn>,
    /// Whether this class or one of its bases had `__del__` when it was created, or it was
    /// assigned to this class since. Read by `Instance`'s `Drop`, which must not take the
    /// class dict's lock (it may be held at that moment); see `may_have_del`. Never reset: a
    /// stale `true` only costs a look-up.
    pub has_del: AtomicBool,
    /// The attribute names its instances share, in the order they set them
    /// (`instance_attrs`).
    pub shared_keys: parking_lot::Mutex<Arc<SharedKeys>>,
}

impl TypeObj {
    /// A builtin type with the given bases; its MRO is computed from them.
    pub fn new_builtin(name: &str, bases: Vec<Arc<TypeObj>>) -> TypeObj {
        let mro = linear_mro(&bases);
        TypeObj {
            id: next_class_id(),
            name: name.into(),
            qualname: name.into(),
            bases,
            mro,
            dict: Arc::new(DictObj::new()),
            metaclass: None,
            is_builtin: true,
            native_new: OnceLock::new(),
            has_del: AtomicBool::new(false),
            shared_keys: parking_lot::Mutex::new(SharedKeys::empty()),
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
        self.dict.set_str(
            name,
            Value::Builtin(Arc::new(Builtin::method(self, name, func))),
        );
    }

    /// One of the interpreter's own types (`int`, `list`, ...), as opposed to a class made
    /// by a native module (which names its module) or by toy code.
    pub fn is_core_builtin(&self) -> bool {
        self.is_builtin && self.dict.get_str("__module__").is_none()
    }

    /// Install the native constructor of a builtin type.
    pub fn set_native_new(&self, new: NativeFn) {
        self.dict.set_str(
            "__new__",
            Value::Builtin(Arc::new(Builtin::function("__new__", new))),
        );
        // Set once at start-up; a second call would keep the first, which is the same.
        let _ = self.native_new.set(new);
    }

    /// The native constructor of a builtin type, inherited along the MRO.
    pub fn builtin_new(&self) -> Option<NativeFn> {
        if !self.is_builtin {
            return None;
        }
        self.native_new
            .get()
            .or_else(|| self.mro.iter().find_map(|t| t.native_new.get()))
            .copied()
    }

    pub fn set_attr(&self, name: &str, value: Value) {
        self.note_attr_set(name);
        self.dict.set_str(name, value);
        types_modified();
    }

    /// Keep `has_del` up to date when a class attribute is assigned.
    pub fn note_attr_set(&self, name: &str) {
        if name == "__del__" {
            self.has_del.store(true, Ordering::Release);
            // Subclasses created before copied the old `has_del`: from now on, look along
            // the MRO too.
            LATE_DEL.store(true, Ordering::Release);
            ANY_DEL.store(true, Ordering::Release);
        }
    }

    /// Whether instances of this class may need `__del__` run when they die: the class or a
    /// class on its MRO defines it. Lock-free (atomics and the immutable MRO only), so that
    /// `Drop` can ask it whatever locks are held; usually two loads.
    pub fn may_have_del(&self) -> bool {
        self.has_del.load(Ordering::Acquire)
            || (LATE_DEL.load(Ordering::Acquire)
                && self.mro.iter().any(|t| t.has_del.load(Ordering::Acquire)))
    }
}

impl TypeObj {
    /// A class implemented by a native module: a subclass of `object` whose repr names
    /// the module, with a constructor and methods.
    pub fn new_native(
        name: &str,
        module: &str,
        new: NativeFn,
        methods: &[(&'static str, NativeFn)],
    ) -> Arc<TypeObj> {
        let t = Arc::new(TypeObj {
            id: next_class_id(),
            name: name.into(),
            qualname: name.into(),
            bases: vec![types().object.clone()],
            mro: vec![types().object.clone()],
            dict: Arc::new(DictObj::new()),
            metaclass: None,
            is_builtin: true,
            native_new: OnceLock::new(),
            has_del: AtomicBool::new(false),
            shared_keys: parking_lot::Mutex::new(SharedKeys::empty()),
        });
        t.dict.set_str("__module__", Value::str(module));
        t.set_native_new(new);
        for (n, f) in methods {
            t.add_method(n, *f);
        }
        t
    }

    /// A user class (or one made by `type(name, bases, ns)`), with its C3 MRO.
    pub fn new_user(
        name: &str,
        bases: Vec<Arc<TypeObj>>,
        mro: Vec<Arc<TypeObj>>,
        dict: Arc<DictObj>,
        metaclass: Option<Arc<TypeObj>>,
    ) -> TypeObj {
        // `__qualname__` moves from the namespace into the class itself, as in CPython.
        let qualname = match dict.lock().remove(
            super::str::hash_str("__qualname__"),
            &Value::str("__qualname__"),
        ) {
            Some(e) => match e.value {
                Value::Str(q) => q.as_str().into(),
                _ => name.into(),
            },
            None => name.into(),
        };
        if dict.get_str("__doc__").is_none() {
            dict.set_str("__doc__", Value::None);
        }
        let has_del = dict.get_str("__del__").is_some() || mro.iter().any(|t| t.may_have_del());
        if has_del {
            ANY_DEL.store(true, Ordering::Release);
        }
        TypeObj {
            id: next_class_id(),
            name: name.into(),
            qualname,
            bases,
            mro,
            dict,
            metaclass,
            is_builtin: false,
            native_new: OnceLock::new(),
            has_del: AtomicBool::new(has_del),
            shared_keys: parking_lot::Mutex::new(SharedKeys::empty()),
        }
    }
}

/// Set once any class got `__del__` after it was created (see `TypeObj::note_attr_set`).
static LATE_DEL: AtomicBool = AtomicBool::new(false);

/// Set once any class with `__del__` exists.
static ANY_DEL: AtomicBool = AtomicBool::new(false);

/// Whether any class ever had `__del__`: without one, no finalizer can run.
pub fn finalizers_exist() -> bool {
    ANY_DEL.load(Ordering::Acquire)
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
///
/// Instances are created through `Instance::new`, which registers them with the cycle
/// collector (`vm::gc`); the collector walks the attributes (and the dict `obj.__dict__`
/// made, if any) as part of their instance.
/// When the last reference to an instance whose class defines `__del__` goes away, its
/// `Drop` moves the fields into a new instance and queues that for finalization
/// (`vm::finalize`): toy code never runs inside `Drop`.
///
/// C layout, with the collector's header and the simulated count of `--racy-refcount` first:
/// next to the `Arc`'s reference counts, in the cache line that every clone and drop touches
/// anyway.
#[repr(C)]
pub struct Instance {
    /// Scratch space of the cycle collector (`vm::gc`).
    pub gc: crate::vm::gc::GcHeader,
    /// The simulated reference count of `--racy-refcount`. Every clone and drop of a
    /// reference tests its flag, so it sits in the first cache line too, by the `Arc`'s count.
    pub refs: RacyCount,
    pub class: Arc<TypeObj>,
    pub attrs: InstanceAttrs,
    pub payload: Payload,
    /// Set once `__del__` has been called (or this is the resurrected copy that is about to
    /// be finalized): `__del__` runs at most once per object, as PEP 442 says.
    pub finalized: AtomicBool,
    /// For instances of classes with `__del__` only: a weak reference to the allocation
    /// whose address is this object's identity (`id()`, `is`, the address in its repr). That
    /// is its own allocation until it dies; the resurrected copy `__del__` receives inherits
    /// it, so `id(self)` in `__del__` is the id the object always had, as in CPython. Being a
    /// `Weak`, it keeps the old address allocated (never reused) while the copy lives.
    pub identity: Option<Weak<Instance>>,
}

/// What an instance carries besides its attributes. Every instance has one, so the rare
/// large variants are boxed: the enum stays three words (a plain instance is 96 bytes,
/// not 176).
pub enum Payload {
    Plain,
    Exception(Box<parking_lot::Mutex<ExcState>>),
    /// `property(fget, fset, fdel, doc)`.
    Property(Box<super::class::Property>),
    /// `classmethod(f)`: binds to the class.
    ClassMethod(Value),
    /// `staticmethod(f)`: does not bind.
    StaticMethod(Value),
    /// `super(cls, obj)`.
    Super(Box<SuperRef>),
    /// An instance of a user subclass of a builtin type (`class Stack(list)`): the builtin
    /// value it extends. Builtin methods and protocols operate on it.
    Base(Value),
    /// State of an object implemented by a native module (a deque, a lock, ...); its
    /// methods downcast it.
    Native(Box<dyn std::any::Any + Send + Sync>),
}

/// `super(cls, obj)`: look up after `this` in the MRO of `start`, binding to `obj`.
pub struct SuperRef {
    pub this: Arc<TypeObj>,
    pub obj: Value,
    pub start: Arc<TypeObj>,
}

/// The builtin value inside an instance of a subclass of a builtin type.
pub fn base_value(v: &Value) -> Option<&Value> {
    match v {
        Value::Instance(i) => match &i.payload {
            Payload::Base(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

impl Instance {
    /// A new instance of `class` without attributes, tracked by the collector.
    pub fn new(class: &Arc<TypeObj>, payload: Payload) -> Arc<Instance> {
        if !class.may_have_del() {
            return crate::vm::gc::track(Instance {
                class: class.clone(),
                attrs: InstanceAttrs::default(),
                payload,
                finalized: AtomicBool::new(false),
                identity: None,
                gc: Default::default(),
                refs: RacyCount::for_class(class),
            });
        }
        crate::vm::gc::track_arc(Arc::new_cyclic(|me| Instance {
            class: class.clone(),
            attrs: InstanceAttrs::default(),
            payload,
            finalized: AtomicBool::new(false),
            identity: Some(me.clone()),
            gc: Default::default(),
            refs: RacyCount::for_class(class),
        }))
    }

    /// The address that identifies this object: see `identity`.
    pub fn identity_ptr(this: &Arc<Instance>) -> usize {
        match &this.identity {
            Some(w) => w.as_ptr() as *const u8 as usize,
            None => Arc::as_ptr(this) as *const u8 as usize,
        }
    }

    /// An instance of `class` carrying native state.
    pub fn native<T: std::any::Any + Send + Sync>(class: &Arc<TypeObj>, state: T) -> Value {
        Value::instance(Instance::new(class, Payload::Native(Box::new(state))))
    }

    /// Set the attribute `name` (for native code, which names it with a `&str`).
    pub fn set_attr_str(&self, name: &str, value: Value) {
        self.attrs.set_str(&self.class, name, value);
    }

    /// The native state, if this instance carries one of type `T`.
    pub fn native_ref<T: std::any::Any>(&self) -> Option<&T> {
        match &self.payload {
            Payload::Native(b) => b.downcast_ref::<T>(),
            _ => None,
        }
    }
}

impl Drop for Instance {
    /// The last reference is gone. If the class defines `__del__` and this object was not
    /// finalized yet, it is resurrected: its fields move into a fresh `Arc` that is queued
    /// for finalization at the next instruction boundary (`vm::finalize`), where calling toy
    /// code is safe. This `Drop` may run while any lock is held, so it only reads atomics
    /// (and, under `--racy-refcount`, takes the racy tally's lock, which nothing else holds
    /// while it waits for another).
    fn drop(&mut self) {
        // The real free: `--racy-refcount` checks the simulated count came out at zero.
        super::racy_refcount::settle(self);
        if self.finalized.load(Ordering::Acquire) || !self.class.may_have_del() {
            return;
        }
        let object = &types().object;
        let class = std::mem::replace(&mut self.class, object.clone());
        let resurrected = Instance {
            refs: RacyCount::for_class(&class),
            class,
            attrs: self.attrs.take(),
            payload: std::mem::replace(&mut self.payload, Payload::Plain),
            finalized: AtomicBool::new(true),
            identity: self.identity.take(),
            gc: Default::default(),
        };
        crate::vm::finalize::enqueue(crate::vm::gc::track(resurrected));
    }
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
    pub coroutine: Arc<TypeObj>,
    pub property: Arc<TypeObj>,
    pub classmethod: Arc<TypeObj>,
    pub staticmethod: Arc<TypeObj>,
    pub super_: Arc<TypeObj>,
    /// Iterator classes, by the name CPython gives them (`list_iterator`, `enumerate`, ...).
    pub iterators: Vec<Arc<TypeObj>>,
    pub exceptions: super::exception::ExceptionTypes,
}

static TYPES: OnceLock<BuiltinTypes> = OnceLock::new();

/// Bumped whenever any class's namespace changes, so that method caches (see
/// `vm::class_cache`) know their entries may be stale.
static TYPE_VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

pub fn type_version() -> u64 {
    TYPE_VERSION.load(std::sync::atomic::Ordering::Acquire)
}

pub fn types_modified() {
    TYPE_VERSION.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
}

static NEXT_CLASS_ID: AtomicU32 = AtomicU32::new(1);

fn next_class_id() -> u32 {
    NEXT_CLASS_ID.fetch_add(1, Ordering::Relaxed)
}

/// An inline cache of one attribute instruction: the class whose MRO was last found to hold
/// nothing under the instruction's name that could take precedence over the instance's
/// `__dict__`, and the type version at which that was checked. While both still match, the
/// instruction goes straight to the instance dict, without a method-cache lookup.
///
/// One atomic word (class id in the high half, the version's low 32 bits in the low half),
/// so that threads sharing the code object never see a torn pair. Id 0 is no class.
#[derive(Debug, Default)]
pub struct ClassHint(AtomicU64);

/// A class and the type version, as a `ClassHint` stores them. Taken before the lookup it
/// vouches for, so that a class changed during the lookup does not get a fresh stamp.
#[derive(Clone, Copy)]
pub struct ClassStamp(u64);

impl ClassStamp {
    pub fn of(class: &TypeObj) -> ClassStamp {
        ClassStamp((u64::from(class.id) << 32) | (type_version() & 0xFFFF_FFFF))
    }
}

impl ClassHint {
    pub const fn new() -> ClassHint {
        ClassHint(AtomicU64::new(0))
    }

    /// Whether the verdict was reached for `class` at the current type version.
    #[inline]
    pub fn holds(&self, class: &TypeObj) -> bool {
        self.0.load(Ordering::Relaxed) == ClassStamp::of(class).0
    }

    pub fn remember(&self, stamp: ClassStamp) {
        self.0.store(stamp.0, Ordering::Relaxed);
    }
}

/// The process-wide builtin types.
pub fn types() -> &'static BuiltinTypes {
    TYPES.get_or_init(build_types)
}

fn build_types() -> BuiltinTypes {
    let object = Arc::new(TypeObj::new_builtin("object", vec![]));
    let sub = |name: &str| Arc::new(TypeObj::new_builtin(name, vec![object.clone()]));
    let int = sub("int");
    let bool_ = Arc::new(TypeObj::new_builtin("bool", vec![int.clone()]));
    let iterators = super::iter::ITERATOR_CLASS_NAMES
        .iter()
        .map(|n| sub(n))
        .collect();
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
        coroutine: sub("coroutine"),
        property: sub("property"),
        classmethod: sub("classmethod"),
        staticmethod: sub("staticmethod"),
        super_: sub("super"),
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
    super::bytes_methods::register(&t.bytes);
    super::list::register(&t.list);
    super::tuple::register(&t.tuple);
    super::dict::register(t);
    super::set_methods::register(&t.set, &t.frozenset);
    super::int::register(&t.int);
    super::number::register_float(&t.float);
    super::range::register(&t.range);
    super::slice::register(&t.slice);
    super::generator::register(&t.generator);
    super::generator::register_coroutine(&t.coroutine);
    super::class::register(t);
    super::dunders::register(t);
}
