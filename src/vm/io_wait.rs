//! The door for waiting on sockets: a thread that waits for a socket to become readable or
//! writable leaves toy code (other threads take the GIL) in the `External` state, which the
//! virtual clock does not wait for (see `gil::RunState::External`). The main thread wakes
//! up now and then to notice Ctrl-C, as in `Vm::sleep`.
//!
//! A greenlet waiting on a cooperative socket (after `gevent.monkey.patch_all()`) does not
//! come here: its socket never blocks, and its hub waits for all its sockets at once through
//! `select.select`, which does.

use std::time::Instant;

use rustix::event::{PollFd, Timespec};

use super::gil::RunState;
use super::thread::INTERRUPT_POLL;
use super::Vm;
use crate::objects::{types, Exc, ToyResult};

impl Vm {
    /// Wait until one of `fds` has one of the events it asks for, or `deadline` passes
    /// (never, without one). Returns how many are ready (0: the deadline passed); their
    /// `revents` say which.
    pub fn wait_for_io(
        &mut self,
        fds: &mut [PollFd<'_>],
        deadline: Option<Instant>,
    ) -> ToyResult<usize> {
        if deadline.is_some_and(|d| d <= Instant::now()) {
            // Only a look (the gevent hub's, between callbacks): no need to give the GIL up.
            return poll_until(fds, deadline, false)
                .map(|ready| ready.unwrap_or(0))
                .map_err(|e| Exc::from_io(&e.into(), None));
        }
        self.flush_stdout();
        let me = self.thread.clone();
        self.interp.gil.block(&me, RunState::External);
        let outcome = poll_until(fds, deadline, me.is_main);
        self.interp.gil.unblock_self(&me);
        match outcome {
            Ok(Some(ready)) => Ok(ready),
            Ok(None) => {
                if super::interrupt::take() {
                    return Err(Exc::with_args(
                        &types().exceptions.keyboard_interrupt,
                        vec![],
                    ));
                }
                Ok(0)
            }
            Err(e) => Err(Exc::from_io(&e.into(), None)),
        }
    }
}

/// `poll(2)` until something is ready or the deadline passes; `None` when the main thread
/// was interrupted by Ctrl-C. Interrupted system calls are retried.
fn poll_until(
    fds: &mut [PollFd<'_>],
    deadline: Option<Instant>,
    is_main: bool,
) -> rustix::io::Result<Option<usize>> {
    loop {
        if is_main && super::interrupt::pending() {
            return Ok(None);
        }
        let now = Instant::now();
        let mut step = deadline.map(|d| d.saturating_duration_since(now));
        if is_main {
            step = Some(step.map_or(INTERRUPT_POLL, |s| s.min(INTERRUPT_POLL)));
        }
        let timeout = step.map(|s| Timespec {
            tv_sec: s.as_secs() as i64,
            tv_nsec: s.subsec_nanos() as i64,
        });
        match rustix::event::poll(fds, timeout.as_ref()) {
            Ok(0) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Ok(Some(0));
                }
            }
            Ok(n) => return Ok(Some(n)),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e),
        }
    }
}
