//! The virtual machine: per-thread interpreter state (`Vm`), the state shared by all
//! threads (`Interp`), and the operations native code uses to work with toy values.

pub mod attr;
pub mod breaker;
pub mod call;
pub mod class_cache;
pub mod clock;
pub mod coroutine;
mod dict_view_ops;
pub mod eval;
pub mod finalize;
pub mod frame;
pub mod gc;
pub mod generator;
pub mod gil;
pub mod gil_stats;
pub mod greenlet;
pub mod greenlet_stack;
pub mod interrupt;
pub mod invalid_access;
pub mod io_wait;
pub mod ops;
pub mod protocol;
pub mod reentry;
pub mod thread;
pub mod traceback;

use std::io::Write;
use std::sync::Arc;

use crate::compile::code::Code;
use crate::modules::ModuleObj;
use crate::objects::{DictObj, Exc, ToyResult, Value};
pub use frame::{Frame, FrameExtra};

/// Default recursion limit, as in CPython.
pub const DEFAULT_RECURSION_LIMIT: usize = 1000;

/// What every interpreter thread shares: the builtins and the module table.
pub struct Interp {
    pub builtins: Arc<DictObj>,
    /// `sys.modules`.
    pub modules: Arc<DictObj>,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// `sys.path`: directories searched by `import`.
    pub path: Arc<crate::objects::ListObj>,
    pub recursion_limit: std::sync::atomic::AtomicUsize,
    /// Standard output: line-buffered on a terminal, block-buffered otherwise (as CPython).
    pub stdout: parking_lot::Mutex<Box<dyn std::io::Write + Send>>,
    /// The clock the program sees (real or virtual), shared with the scheduler.
    pub clock: Arc<clock::Clock>,
    /// The GIL and what every thread is doing.
    pub gil: gil::Gil,
    /// Threads that have ended, kept for the GIL statistics.
    pub finished_threads: parking_lot::Mutex<Vec<Arc<thread::ThreadHandle>>>,
    /// The cycle collector's registry and settings for this interpreter (`vm::gc`).
    pub gc: Arc<gc::GcState>,
}

/// One interpreter thread: its value stack, its frames and the exception being handled.
pub struct Vm {
    pub interp: Arc<Interp>,
    /// The interpreter thread this VM runs on.
    pub thread: Arc<thread::ThreadHandle>,
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    /// The exception currently being handled (`sys.exc_info()`), or `Value::None`.
    pub handled: Value,
    /// Objects whose repr is being computed, to print `[...]` for self-containing lists.
    pub(crate) repr_guard: Vec<usize>,
    /// Depth of native-to-toy re-entry, bounded like frames so Rust's stack never overflows.
    pub(crate) native_depth: usize,
    /// Set when a nested run ended because its generator frame yielded (not returned).
    pub(crate) yielded: bool,
    /// True for the `Vm` of a greenlet other than a thread's main one (`vm::greenlet`).
    pub(crate) greenlet: bool,
    /// Set by a greenlet `switch()` that parks this VM: the eval loop returns from `run()`
    /// at the next instruction boundary, leaving the frames in place (`vm::greenlet`).
    pub(crate) park_requested: bool,
    /// Set by the call instructions just before they call a native function directly;
    /// taken by `call_builtin` into `in_direct_builtin`.
    pub(crate) direct_pending: bool,
    /// True while the running native function was called directly by a call instruction
    /// (its result goes straight onto the value stack): only then may a switch park.
    pub(crate) in_direct_builtin: bool,
}

impl Interp {
    pub fn new(argv: Vec<String>, path: Vec<String>) -> Arc<Interp> {
        Interp::with_options(
            argv,
            path,
            &gil::GilOptions::default(),
            clock::ClockMode::Real,
        )
    }

    pub fn with_options(
        argv: Vec<String>,
        path: Vec<String>,
        options: &gil::GilOptions,
        clock_mode: clock::ClockMode,
    ) -> Arc<Interp> {
        // Objects made from here on, on this thread, belong to this interpreter.
        let gc = gc::GcState::new();
        gc::attach(&gc);
        let clock = Arc::new(clock::Clock::new(clock_mode));
        let interp = Arc::new(Interp {
            builtins: Arc::new(DictObj::new()),
            modules: Arc::new(DictObj::new()),
            argv,
            path: Arc::new(crate::objects::ListObj::new(
                path.into_iter().map(Value::string).collect(),
            )),
            recursion_limit: std::sync::atomic::AtomicUsize::new(DEFAULT_RECURSION_LIMIT),
            stdout: parking_lot::Mutex::new(stdout_writer()),
            gil: gil::Gil::new(options, clock.clone()),
            clock,
            finished_threads: parking_lot::Mutex::new(Vec::new()),
            gc,
        });
        crate::modules::builtins::install(&interp);
        interp
    }
}

fn stdout_writer() -> Box<dyn std::io::Write + Send> {
    let out = std::io::stdout();
    if std::io::IsTerminal::is_terminal(&out) {
        Box::new(std::io::LineWriter::new(out))
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, out))
    }
}

impl Vm {
    /// Push buffered output to the terminal or pipe.
    pub fn flush_stdout(&self) {
        self.interp.stdout.lock().flush().ok();
    }

    pub fn new(interp: Arc<Interp>) -> Vm {
        gc::attach(&interp.gc);
        let thread = thread::handle_for_new_vm(&interp);
        Vm {
            interp,
            thread,
            stack: Vec::with_capacity(1024),
            frames: Vec::with_capacity(64),
            handled: Value::None,
            repr_guard: Vec::new(),
            native_depth: 0,
            yielded: false,
            greenlet: false,
            park_requested: false,
            direct_pending: false,
            in_direct_builtin: false,
        }
    }

    /// The `Vm` of a new greenlet on this VM's thread: same interpreter and thread handle,
    /// its own (small, growable) value and frame stacks.
    pub(crate) fn for_greenlet(&self) -> Vm {
        Vm {
            interp: self.interp.clone(),
            thread: self.thread.clone(),
            stack: Vec::with_capacity(32),
            frames: Vec::with_capacity(4),
            handled: Value::None,
            repr_guard: Vec::new(),
            native_depth: 0,
            yielded: false,
            greenlet: true,
            park_requested: false,
            direct_pending: false,
            in_direct_builtin: false,
        }
    }

    pub fn recursion_limit(&self) -> usize {
        self.interp
            .recursion_limit
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Run a module-level code object with `globals` as its namespace.
    pub fn run_module_code(&mut self, code: Arc<Code>, globals: Arc<DictObj>) -> ToyResult<Value> {
        let base = self.stack.len();
        // Module code runs as a function without parameters (not tracked by the collector:
        // only the frame refers to it).
        let func =
            eval::make_function(code, globals.clone(), Value::None, Value::None, Value::None);
        let frame = Frame {
            func: Arc::new(func),
            ip: 0,
            base,
            return_to: base,
            cells: Box::default(),
            extra: Some(Box::new(FrameExtra {
                namespace: Some(globals.clone()),
                ..Default::default()
            })),
            is_entry: true,
        };
        self.push_frame(frame)?;
        self.run()
    }

    /// Create a fresh module namespace with `__name__` set (and `__builtins__`).
    pub fn new_globals(&self, name: &str) -> Arc<DictObj> {
        let g = gc::track(DictObj::new());
        g.set_str("__name__", Value::str(name));
        g.set_str("__doc__", Value::None);
        g
    }

    pub fn module_value(&self, name: &str) -> Option<Arc<ModuleObj>> {
        match self.interp.modules.get_str(name) {
            Some(Value::Module(m)) => Some(m),
            _ => None,
        }
    }

    /// Push a frame, enforcing the recursion limit.
    #[inline(always)]
    pub(crate) fn push_frame(&mut self, frame: Frame) -> ToyResult<()> {
        self.check_depth(frame.return_to)?;
        self.frames.push(frame);
        Ok(())
    }

    /// Room for one more frame under the recursion limit; if there is none, the stack is
    /// cut back to `return_to` (the call's callable and arguments) and RecursionError raised.
    #[inline(always)]
    pub(crate) fn check_depth(&mut self, return_to: usize) -> ToyResult<()> {
        if self.frames.len() >= self.recursion_limit() {
            self.stack.truncate(return_to);
            return Err(Exc::recursion_error("maximum recursion depth exceeded"));
        }
        Ok(())
    }
}
