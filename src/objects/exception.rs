//! Exceptions: the builtin hierarchy, exception instances, and `Exc`, the Rust-side error
//! every fallible runtime function returns.

use std::sync::Arc;

use parking_lot::MutexGuard;

use super::types::{Instance, Payload, TypeObj};
use super::{types, Value};
use crate::compile::code::Code;

/// A raised toy exception: always a `Value::Instance` whose payload is an `ExcState`.
#[derive(Clone)]
pub struct Exc(pub Value);

impl std::fmt::Debug for Exc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.class().name, self.message())
    }
}

/// The state every exception instance carries besides its attribute dict.
#[derive(Default)]
pub struct ExcState {
    /// `e.args`: always a tuple.
    pub args: Value,
    /// Where it passed, innermost last (CPython prints them outermost first).
    pub traceback: Vec<TraceEntry>,
    /// `raise X from Y`: Y.
    pub cause: Option<Value>,
    /// The exception being handled when this one was raised.
    pub context: Option<Value>,
    pub suppress_context: bool,
    /// `errno`, `strerror`, `filename`, `filename2` of an `OSError` made with two to five
    /// arguments (CPython keeps them out of `args` past the second).
    pub os: Option<Box<OsErrorFields>>,
}

/// The fields CPython's `OSError(errno, strerror[, filename[, winerror[, filename2]]])`
/// parses out of its arguments.
#[derive(Clone)]
pub struct OsErrorFields {
    pub errno: Value,
    pub strerror: Value,
    pub filename: Value,
    pub filename2: Value,
}

/// One line of a traceback: a code object and the line executing in it.
#[derive(Clone)]
pub struct TraceEntry {
    pub code: Arc<Code>,
    pub line: u32,
}

impl Exc {
    /// A new exception of class `class` with the given args.
    pub fn with_args(class: &Arc<TypeObj>, args: Vec<Value>) -> Exc {
        Exc(new_exception_instance(class, Value::tuple(args)))
    }

    /// A new exception of class `class` with a single message argument.
    pub fn new(class: &Arc<TypeObj>, msg: impl Into<String>) -> Exc {
        Exc::with_args(class, vec![Value::string(msg.into())])
    }

    pub fn class(&self) -> &Arc<TypeObj> {
        self.0.class()
    }

    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Whether this exception is an instance of `class` (or a subclass).
    pub fn matches(&self, class: &TypeObj) -> bool {
        self.class().is_subtype(class)
    }

    /// The exception's state. Panics never: a non-exception value cannot become an `Exc`
    /// (`from_value` checks), so the payload is always there.
    pub fn state(&self) -> MutexGuard<'_, ExcState> {
        exception_state(&self.0).expect("Exc always wraps an exception instance")
    }

    /// Wrap a value raised by toy code: it must be an exception instance.
    pub fn from_value(value: Value) -> Option<Exc> {
        let is_exception = exception_state(&value).is_some();
        is_exception.then_some(Exc(value))
    }

    /// The first argument when it is a string: the message most errors carry.
    pub fn message(&self) -> String {
        let args = self.state().args.clone();
        match &args {
            Value::Tuple(t) if t.len() == 1 => match &t.items()[0] {
                Value::Str(s) => s.as_str().to_owned(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }
}

/// The state of an exception instance, or `None` for any other value.
pub fn exception_state(value: &Value) -> Option<MutexGuard<'_, ExcState>> {
    match value {
        Value::Instance(inst) => match &inst.payload {
            Payload::Exception(state) => Some(state.lock()),
            _ => None,
        },
        _ => None,
    }
}

pub fn new_exception_instance(class: &Arc<TypeObj>, args: Value) -> Value {
    let mut state = ExcState::default();
    state.set_args(class, args);
    Value::instance(Instance::new(
        class,
        Payload::Exception(Box::new(parking_lot::Mutex::new(state))),
    ))
}

macro_rules! exception_types {
    ($base:ident; $( $field:ident : $name:literal < $parent:ident ),* $(,)?) => {
        /// The builtin exception classes.
        pub struct ExceptionTypes {
            pub $base: Arc<TypeObj>,
            $( pub $field: Arc<TypeObj>, )*
        }

        impl ExceptionTypes {
            pub(crate) fn build(object: &Arc<TypeObj>) -> ExceptionTypes {
                let $base = Arc::new(TypeObj::new_builtin("BaseException", vec![object.clone()]));
                $( let $field = Arc::new(TypeObj::new_builtin($name, vec![$parent.clone()])); )*
                ExceptionTypes { $base, $( $field, )* }
            }

            /// Every builtin exception class, for the `builtins` module.
            pub fn all(&self) -> Vec<&Arc<TypeObj>> {
                vec![&self.$base, $( &self.$field, )*]
            }
        }
    };
}

exception_types! {
    base_exception;
    exception: "Exception" < base_exception,
    generator_exit: "GeneratorExit" < base_exception,
    keyboard_interrupt: "KeyboardInterrupt" < base_exception,
    system_exit: "SystemExit" < base_exception,
    arithmetic_error: "ArithmeticError" < exception,
    floating_point_error: "FloatingPointError" < arithmetic_error,
    overflow_error: "OverflowError" < arithmetic_error,
    zero_division_error: "ZeroDivisionError" < arithmetic_error,
    assertion_error: "AssertionError" < exception,
    attribute_error: "AttributeError" < exception,
    buffer_error: "BufferError" < exception,
    eof_error: "EOFError" < exception,
    import_error: "ImportError" < exception,
    module_not_found_error: "ModuleNotFoundError" < import_error,
    lookup_error: "LookupError" < exception,
    index_error: "IndexError" < lookup_error,
    key_error: "KeyError" < lookup_error,
    memory_error: "MemoryError" < exception,
    name_error: "NameError" < exception,
    unbound_local_error: "UnboundLocalError" < name_error,
    os_error: "OSError" < exception,
    blocking_io_error: "BlockingIOError" < os_error,
    child_process_error: "ChildProcessError" < os_error,
    connection_error: "ConnectionError" < os_error,
    broken_pipe_error: "BrokenPipeError" < connection_error,
    connection_aborted_error: "ConnectionAbortedError" < connection_error,
    connection_refused_error: "ConnectionRefusedError" < connection_error,
    connection_reset_error: "ConnectionResetError" < connection_error,
    file_exists_error: "FileExistsError" < os_error,
    file_not_found_error: "FileNotFoundError" < os_error,
    interrupted_error: "InterruptedError" < os_error,
    is_a_directory_error: "IsADirectoryError" < os_error,
    not_a_directory_error: "NotADirectoryError" < os_error,
    permission_error: "PermissionError" < os_error,
    process_lookup_error: "ProcessLookupError" < os_error,
    timeout_error: "TimeoutError" < os_error,
    reference_error: "ReferenceError" < exception,
    runtime_error: "RuntimeError" < exception,
    not_implemented_error: "NotImplementedError" < runtime_error,
    recursion_error: "RecursionError" < runtime_error,
    stop_async_iteration: "StopAsyncIteration" < exception,
    stop_iteration: "StopIteration" < exception,
    syntax_error: "SyntaxError" < exception,
    indentation_error: "IndentationError" < syntax_error,
    tab_error: "TabError" < indentation_error,
    system_error: "SystemError" < exception,
    type_error: "TypeError" < exception,
    value_error: "ValueError" < exception,
    unicode_error: "UnicodeError" < value_error,
    unicode_decode_error: "UnicodeDecodeError" < unicode_error,
    unicode_encode_error: "UnicodeEncodeError" < unicode_error,
    warning: "Warning" < exception,
    deprecation_warning: "DeprecationWarning" < warning,
    runtime_warning: "RuntimeWarning" < warning,
    user_warning: "UserWarning" < warning,
    syntax_warning: "SyntaxWarning" < warning,
    future_warning: "FutureWarning" < warning,
    pending_deprecation_warning: "PendingDeprecationWarning" < warning,
    resource_warning: "ResourceWarning" < warning,
}

/// Shorthand constructors for the errors the runtime raises most.
macro_rules! error_constructors {
    ($( $fn_name:ident => $field:ident ),* $(,)?) => {
        impl Exc {
            $(
                pub fn $fn_name(msg: impl Into<String>) -> Exc {
                    Exc::new(&types().exceptions.$field, msg)
                }
            )*
        }
    };
}

error_constructors! {
    type_error => type_error,
    value_error => value_error,
    index_error => index_error,
    name_error => name_error,
    attribute_error => attribute_error,
    zero_division => zero_division_error,
    overflow => overflow_error,
    runtime_error => runtime_error,
    recursion_error => recursion_error,
    assertion_error => assertion_error,
    unbound_local => unbound_local_error,
    not_implemented => not_implemented_error,
    import_error => import_error,
    module_not_found => module_not_found_error,
    stop_iteration_msg => stop_iteration,
    eof_error => eof_error,
    system_error => system_error,
    os_error => os_error,
    keyboard_interrupt => keyboard_interrupt,
    lookup_error => lookup_error,
}

impl Exc {
    /// `KeyError(key)`: its message is the key's repr, so the key itself is the arg.
    pub fn key_error(key: Value) -> Exc {
        Exc::with_args(&types().exceptions.key_error, vec![key])
    }

    pub fn stop_iteration(value: Option<Value>) -> Exc {
        Exc::with_args(
            &types().exceptions.stop_iteration,
            value.into_iter().collect(),
        )
    }
}

/// `e.args` as a vector.
pub fn exception_args(value: &Value) -> Vec<Value> {
    match exception_state(value) {
        Some(st) => match &st.args {
            Value::Tuple(t) => t.items().to_vec(),
            _ => vec![],
        },
        None => vec![],
    }
}

impl ExcState {
    /// Set `args` as `BaseException.__init__` does; an `OSError` also parses its errno,
    /// strerror and filenames out of them.
    pub fn set_args(&mut self, class: &TypeObj, args: Value) {
        self.os = None;
        self.args = args;
        if !class.is_subtype(&types().exceptions.os_error) {
            return;
        }
        let Value::Tuple(t) = &self.args else { return };
        let items = t.items();
        if !(2..=5).contains(&items.len()) {
            return;
        }
        let at = |i: usize| items.get(i).cloned().unwrap_or(Value::None);
        let fields = OsErrorFields {
            errno: at(0),
            strerror: at(1),
            filename: at(2),
            filename2: at(4),
        };
        // With a filename, `args` keeps only (errno, strerror), as in CPython.
        if items.len() > 2 {
            self.args = Value::tuple(vec![at(0), at(1)]);
        }
        self.os = Some(Box::new(fields));
    }
}

/// The `OSError` subclass CPython picks for an errno (`OSError(2, ...)` is a
/// `FileNotFoundError`). The numbers are Linux's.
pub fn os_error_class_for(errno: i64) -> &'static Arc<TypeObj> {
    let e = &types().exceptions;
    match errno {
        1 | 13 => &e.permission_error,          // EPERM, EACCES
        2 => &e.file_not_found_error,           // ENOENT
        3 => &e.process_lookup_error,           // ESRCH
        4 => &e.interrupted_error,              // EINTR
        10 => &e.child_process_error,           // ECHILD
        11 | 114 | 115 => &e.blocking_io_error, // EAGAIN, EALREADY, EINPROGRESS
        17 => &e.file_exists_error,             // EEXIST
        20 => &e.not_a_directory_error,         // ENOTDIR
        21 => &e.is_a_directory_error,          // EISDIR
        32 | 108 => &e.broken_pipe_error,       // EPIPE, ESHUTDOWN
        103 => &e.connection_aborted_error,     // ECONNABORTED
        104 => &e.connection_reset_error,       // ECONNRESET
        110 => &e.timeout_error,                // ETIMEDOUT
        111 => &e.connection_refused_error,     // ECONNREFUSED
        _ => &e.os_error,
    }
}

impl Exc {
    /// The `OSError` (of the subclass its errno selects) for a failed system call, as
    /// CPython raises it: `[Errno 2] No such file or directory: 'name'`.
    pub fn from_io(err: &std::io::Error, filename: Option<Value>) -> Exc {
        Exc::from_io2(err, filename, None)
    }

    /// `from_io` for calls naming two files (`os.rename`): `[Errno 2] ...: 'a' -> 'b'`.
    pub fn from_io2(
        err: &std::io::Error,
        filename: Option<Value>,
        filename2: Option<Value>,
    ) -> Exc {
        let Some(errno) = err.raw_os_error() else {
            // Not from the OS (a short write, invalid data): a plain OSError with its text.
            return Exc::os_error(err.to_string());
        };
        let mut args = vec![Value::Int(errno.into()), Value::string(strerror(err))];
        if let Some(f) = filename {
            args.push(f);
            if let Some(f2) = filename2 {
                args.push(Value::None);
                args.push(f2);
            }
        }
        Exc::with_args(os_error_class_for(errno.into()), args)
    }
}

/// The C library's text for an OS error (Rust's `Display` appends ` (os error N)`).
fn strerror(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
