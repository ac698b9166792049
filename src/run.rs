//! Running toy programs: a session owns the interpreter, the main thread's VM and the
//! `__main__` namespace, and turns outcomes into exit codes.

use std::io::Write;
use std::sync::Arc;

use crate::compile::code::SourceFile;
use crate::compile::Mode;
use crate::objects::exception::exception_state;
use crate::objects::{types, DictObj, Exc, Value};
use crate::vm::{Interp, Vm};
use crate::{compile_source, SourceError};

/// Exit codes, as CPython uses them.
pub const EXIT_OK: i32 = 0;
pub const EXIT_EXCEPTION: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
/// After an uncaught KeyboardInterrupt (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// How to run: the GIL settings, the clock, and what to report at the end.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub gil: crate::vm::gil::GilOptions,
    /// Real time, or the virtual clock (`--virtual-clock`).
    pub clock: crate::vm::clock::ClockMode,
    /// Print GIL statistics to stderr after the run (`--gil-stats`).
    pub gil_stats: bool,
    /// Also write them as a record to this file (used by `toy compare`).
    pub stats_file: Option<std::path::PathBuf>,
    /// `--racy-refcount`: simulate reference counts updated without a lock, and report
    /// what goes wrong (`objects::racy_refcount`). Process-wide once a session turns it on.
    pub racy_refcount: bool,
}

pub struct Session {
    pub vm: Vm,
    pub options: Options,
    started: std::time::Instant,
    pub main: Arc<DictObj>,
    /// Whether diagnostics go to a terminal (colour).
    pub color: bool,
}

/// What running a piece of source produced.
pub enum Outcome {
    Ok,
    /// It could not be compiled (report already rendered in the error).
    SourceError(SourceError, Arc<SourceFile>),
    /// An exception escaped.
    Exception(Exc),
}

impl Session {
    /// A new interpreter with `argv` as `sys.argv` and `path` as `sys.path`.
    pub fn new(argv: Vec<String>, path: Vec<String>, options: &Options) -> Session {
        if options.racy_refcount {
            // Before the interpreter makes its first instance.
            crate::objects::racy_refcount::enable();
        }
        let interp = Interp::with_options(argv, path, &options.gil, options.clock);
        let vm = Vm::new(interp);
        let main = vm.new_globals("__main__");
        let module = Value::Module(Arc::new(crate::modules::ModuleObj::new(
            "__main__",
            main.clone(),
        )));
        vm.interp.modules.set_str("__main__", module);
        let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
        Session {
            vm,
            options: options.clone(),
            started: std::time::Instant::now(),
            main,
            color,
        }
    }

    /// Compile and run source text in `__main__`.
    pub fn run_source(&mut self, filename: &str, text: String, mode: Mode) -> Outcome {
        crate::vm::interrupt::install_handler();
        crate::vm::interrupt::clear();
        let source = Arc::new(SourceFile::new(filename, text));
        let code = match compile_source(&source, mode) {
            Ok(c) => c,
            Err(e) => return Outcome::SourceError(e, source),
        };
        if mode == Mode::Exec {
            self.main.set_str("__file__", Value::str(filename));
        }
        match self.vm.run_module_code(code, self.main.clone()) {
            Ok(_) => {
                // Objects freed by the last instructions: finalize them before the REPL's
                // next prompt. (After an exception they wait until its traceback is printed,
                // as in CPython, where the traceback keeps the frames alive until then.)
                crate::vm::finalize::run_pending(&mut self.vm);
                Outcome::Ok
            }
            Err(e) => Outcome::Exception(e),
        }
    }

    /// Report how the program ended, then shut the interpreter down; returns the exit code.
    pub fn finish(&mut self, outcome: Outcome) -> i32 {
        let code = self.report(outcome);
        self.shutdown();
        code
    }

    /// Interpreter exit: wait for non-daemon threads; then, in the spirit of CPython's
    /// finalization (`finalize_main`): run pending finalizers,
    /// collect cyclic garbage (running its `__del__` methods), then set the globals of
    /// `__main__` to None one by one in definition order, finalizing what each frees, and
    /// collect once more for the cycles that the globals kept alive.
    ///
    /// Simplifications: only `__main__` is cleared (objects reachable only from other
    /// modules are not finalized), and a container's items are finalized when that global is
    /// cleared, where CPython sometimes finalizes them after the other globals. When no class
    /// ever defined `__del__`, nothing of this could print anything and it is skipped (a
    /// suspended generator in a garbage cycle then does not run its `finally` at exit) —
    /// unless `--racy-refcount` is on: its leak report needs the objects of `__main__` let go.
    pub fn shutdown(&mut self) {
        // First wait for the threads that are not daemons, as CPython does (a Ctrl-C while
        // waiting ends the wait; the threads die with the process).
        self.vm.join_non_daemon_threads().ok();
        self.finalize_main();
        crate::objects::file::flush_all_at_exit();
        self.vm.flush_stdout();
        self.report_gil_stats();
        if crate::objects::racy_refcount::enabled() {
            eprint!("{}", crate::objects::racy_refcount::exit_report());
        }
    }

    fn finalize_main(&mut self) {
        use crate::vm::{finalize, gc};
        finalize::run_pending(&mut self.vm);
        if !crate::objects::types::finalizers_exist() && !crate::objects::racy_refcount::enabled() {
            return;
        }
        gc::collect(&mut self.vm, gc::NUM_GENERATIONS - 1);
        for name in self.main.keys() {
            if matches!(&name, Value::Str(s) if s.as_str() == "__builtins__") {
                continue;
            }
            // Keys come from the dict itself, so they are hashable.
            let _ = self.main.set_item(name, Value::None);
            finalize::run_pending(&mut self.vm);
        }
        gc::collect(&mut self.vm, gc::NUM_GENERATIONS - 1);
    }

    /// `--gil-stats` (stderr) and the record `toy compare` reads.
    fn report_gil_stats(&mut self) {
        if !self.options.gil_stats && self.options.stats_file.is_none() {
            return;
        }
        let stats =
            crate::vm::gil_stats::GilStats::collect(&self.vm.interp, self.started.elapsed());
        if self.options.gil_stats {
            eprint!("{}", stats.render());
        }
        if let Some(path) = &self.options.stats_file {
            if let Err(e) = std::fs::write(path, stats.to_record()) {
                eprintln!("toy: cannot write {}: {e}", path.display());
            }
        }
    }

    /// Print what an outcome needs printed on stderr and return the exit code.
    pub fn report(&mut self, outcome: Outcome) -> i32 {
        self.vm.flush_stdout();
        match outcome {
            Outcome::Ok => EXIT_OK,
            Outcome::SourceError(e, source) => {
                eprint!("{}", e.render(&source, self.color));
                EXIT_USAGE
            }
            Outcome::Exception(exc) => {
                if exc.matches(&types().exceptions.system_exit) {
                    return self.system_exit_code(&exc);
                }
                let text = self.vm.format_exception(&exc.0);
                let mut err = std::io::stderr().lock();
                err.write_all(text.as_bytes()).ok();
                if exc.matches(&types().exceptions.keyboard_interrupt) {
                    // As CPython: the shell sees death by SIGINT's status.
                    return EXIT_INTERRUPTED;
                }
                EXIT_EXCEPTION
            }
        }
    }

    /// `sys.exit(arg)`: an int is the code, None is 0, anything else is printed and 1.
    fn system_exit_code(&mut self, exc: &Exc) -> i32 {
        let args = exception_state(&exc.0)
            .map(|st| st.args.clone())
            .unwrap_or(Value::None);
        let arg = match &args {
            Value::Tuple(t) if t.len() == 1 => t.items()[0].clone(),
            Value::Tuple(t) if t.is_empty() => Value::None,
            other => other.clone(),
        };
        match arg {
            Value::None => EXIT_OK,
            Value::Int(i) => i as i32,
            Value::Bool(b) => b as i32,
            other => {
                let msg = self.vm.to_str(&other).unwrap_or_default();
                eprintln!("{msg}");
                EXIT_EXCEPTION
            }
        }
    }
}
