//! The eval breaker: a per-thread instruction countdown that the eval loop decrements once per
//! instruction. When it reaches zero the loop stops at the next instruction boundary and calls
//! `Vm::service_breaker`, which does the work that must happen between instructions: giving the
//! GIL to a waiting thread (the check interval), running `__del__` finalizers queued since the
//! last boundary, running a cycle collection that allocations asked for, and noticing Ctrl-C.
//!
//! The countdown is a thread-local rather than a field of `Vm` so that code without a `Vm` at
//! hand — a `Drop` impl queueing a finalizer — can ask for a stop at the next boundary.

use std::cell::Cell;

thread_local! {
    /// Instructions left before the next breaker check.
    static TICKS: Cell<u32> = const { Cell::new(DEFAULT_CHECK_INTERVAL) };
    /// The countdown that was interrupted by `request()`, resumed after servicing.
    static SAVED: Cell<u32> = const { Cell::new(0) };
}

/// Default check interval in instructions: long enough that switching costs little (a
/// hand-off between two OS threads costs tens of microseconds when the waiter is parked),
/// short enough that two threads running `n = n + 1` visibly lose updates. A prime, so the
/// switch point drifts across the body of a loop instead of always landing at the same
/// instruction.
pub const DEFAULT_CHECK_INTERVAL: u32 = 4999;

/// Count one instruction; true when the breaker must be serviced before it runs.
#[inline(always)]
pub fn tick() -> bool {
    TICKS.with(|t| {
        let n = t.get();
        if n <= 1 {
            true
        } else {
            t.set(n - 1);
            false
        }
    })
}

/// Count `n` more instructions run as part of a superinstruction, if that leaves the
/// countdown short of expiring; false (and nothing counted) when one of them would have been
/// the one to stop at, so that the caller runs them one at a time instead.
#[inline(always)]
pub fn consume(n: u32) -> bool {
    TICKS.with(|t| {
        let left = t.get();
        if left > n {
            t.set(left - n);
            true
        } else {
            false
        }
    })
}

/// Ask the eval loop on this thread to stop at the next instruction boundary.
pub fn request() {
    TICKS.with(|t| {
        let n = t.get();
        if n > 1 {
            SAVED.with(|s| s.set(n));
            t.set(1);
        }
    });
}

/// Withdraw a `request()` whose reason went away (a greenlet park that was served without
/// servicing the breaker): the interrupted countdown resumes. If the countdown had already
/// run out, or another request came first, the stop stays due.
pub fn cancel_request() {
    let saved = SAVED.with(|s| s.replace(0));
    if saved > 1 {
        TICKS.with(|t| t.set(saved));
    }
}

/// Called when servicing starts: true if the check interval really elapsed (rather than a
/// `request()` cutting it short). Resets the countdown either way; `interval` is the length
/// of the next full countdown.
pub fn take_expired(interval: u32) -> bool {
    let saved = SAVED.with(|s| s.replace(0));
    if saved > 1 {
        TICKS.with(|t| t.set(saved));
        false
    } else {
        TICKS.with(|t| t.set(interval.max(1)));
        true
    }
}

/// Start a fresh countdown of `n` instructions (a thread that just took the GIL).
pub fn reset(n: u32) {
    SAVED.with(|s| s.set(0));
    TICKS.with(|t| t.set(n.max(1)));
}

impl super::Vm {
    /// The work done between two instructions when the countdown runs out; see the module doc.
    pub(crate) fn service_breaker(&mut self) -> crate::objects::ToyResult<()> {
        let gil = &self.interp.gil;
        let expired = take_expired(gil.next_countdown());
        if expired && gil.enabled && gil.has_waiters() {
            let due = match gil.switch_interval() {
                None => true,
                Some(si) => self.thread.stats.lock().held_for() >= si,
            };
            if due {
                gil.yield_interval(&self.thread);
            }
        }
        // The instruction at ip - 1 has not run yet; objects died in the one before it, so
        // while finalizers run, the frame reports that line (a "never awaited" warning
        // names it, as CPython's does).
        let resume_ip = self.frames.last_mut().map(|f| {
            let ip = f.ip;
            f.ip = ip.saturating_sub(1);
            ip
        });
        // Objects that died since the last boundary: their `__del__` (vm::finalize).
        super::finalize::run_pending(self);
        // A cycle collection an allocation asked for (vm::gc); it runs finalizers itself.
        super::gc::collect_if_due(self);
        if let (Some(f), Some(ip)) = (self.frames.last_mut(), resume_ip) {
            f.ip = ip;
        }
        if self.thread.is_main && super::interrupt::take() {
            return Err(crate::objects::Exc::with_args(
                &crate::objects::types().exceptions.keyboard_interrupt,
                vec![],
            ));
        }
        Ok(())
    }
}
