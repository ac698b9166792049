//! The crash of `--racy-refcount`: a thread touched an object whose simulated reference
//! count reached zero while it was still referenced (see `objects::racy_refcount`).
//!
//! A C interpreter would read or write freed memory here: garbage, a corrupted heap, or a
//! segmentation fault. Toy never freed the memory (the `Arc` still owns it), so it could go
//! on — but going on would hide the lesson. It does what the crash would do, cleanly: print
//! what was touched, where and by which thread, then end the process with the status a shell
//! shows for a segfault. Not a toy exception: no `try` can catch a use-after-free.
//!
//! Which thread freed the object is not known: the free is marked inside `Drop`, where
//! finding out would cost every value drop (see `objects::racy_refcount`).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Vm;
use crate::objects::racy_refcount::lost_updates_line;
use crate::objects::{Instance, Value};

/// Exit status after an invalid memory access: 128 + SIGSEGV (11), what a shell reports for
/// a C program killed by a segmentation fault.
pub const EXIT_INVALID_ACCESS: i32 = 139;

/// Set by the first thread that reports: the others wait for the process to end.
static REPORTING: AtomicBool = AtomicBool::new(false);

impl Vm {
    /// Before touching `inst` (which `obj` holds): stop with a report if it was freed.
    /// `what` says what the touch is ("loading attribute", ...) and `name` on what.
    #[inline]
    pub(crate) fn check_not_freed(&mut self, inst: &Instance, obj: &Value, what: &str, name: &str) {
        if let Some(live) = inst.refs.freed() {
            self.invalid_memory_access(live, obj, what, name);
        }
    }

    #[cold]
    #[inline(never)]
    fn invalid_memory_access(&mut self, live: u32, obj: &Value, what: &str, name: &str) -> ! {
        if REPORTING.swap(true, Ordering::AcqRel) {
            // Another thread is printing its report and will end the process.
            loop {
                std::thread::park();
            }
        }
        self.flush_stdout();
        let thread = self.thread.name.lock().clone();
        // The default repr: a user `__repr__` would touch the freed object again.
        let object = self.default_repr(obj);
        let s = if live == 1 { "" } else { "s" };
        let text = format!(
            "toy: invalid memory access: thread {thread:?} touched a freed object\n\
             \x20 object: {object}\n\
             \x20 access: {what} '{name}'\n\
             \x20 freed:  when its reference count, updated without the GIL, reached 0 while \
             {live} reference{s} to it still existed\n\
             Traceback (most recent call last):\n{stack}\
             toy: racy refcount: {lost}\n\
             A C interpreter would now read freed memory, or crash; the GIL exists to prevent this.\n",
            stack = self.stack_summary(),
            lost = lost_updates_line(),
        );
        let mut err = std::io::stderr().lock();
        err.write_all(text.as_bytes()).ok();
        err.flush().ok();
        // Files are not flushed: this stands for a crash, and a crashed C interpreter's
        // buffers die with it.
        std::process::exit(EXIT_INVALID_ACCESS);
    }
}
