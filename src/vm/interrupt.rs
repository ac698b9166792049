//! Ctrl-C: a SIGINT handler sets a flag; the eval loop polls it at loop back-edges and
//! raises `KeyboardInterrupt` there, so a runaway `while True: pass` can be stopped and the
//! REPL goes on.

use std::sync::atomic::{AtomicBool, Ordering};

static PENDING: AtomicBool = AtomicBool::new(false);

/// Install the handler once per process. If it cannot be installed (another handler is
/// already there), Ctrl-C keeps its default effect of ending the process.
pub fn install_handler() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| PENDING.store(true, Ordering::Relaxed));
    });
}

/// Whether Ctrl-C was pressed since the last call (and forget it).
pub fn take() -> bool {
    PENDING.load(Ordering::Relaxed) && PENDING.swap(false, Ordering::Relaxed)
}

/// Whether Ctrl-C was pressed and not yet taken.
pub fn pending() -> bool {
    PENDING.load(Ordering::Relaxed)
}

/// Forget a Ctrl-C that arrived while nothing was running.
pub fn clear() {
    PENDING.store(false, Ordering::Relaxed);
}
