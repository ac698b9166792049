//! The clock a toy program sees: `time.monotonic`, `time.perf_counter` and `time.time`, how
//! long `time.sleep` lasts, and when every timeout runs out (lock acquires, joins, queues,
//! conditions, events, timers — and the timers of event loops, which wait through
//! `Vm::sleep` or `Vm::block_on` with a deadline).
//!
//! It runs in one of two modes, chosen once per interpreter:
//!
//! - **Real**: the operating system's clocks.
//! - **Virtual** (`--virtual-clock`, `TOY_VIRTUAL_CLOCK=1`): time stands still while any
//!   thread can make progress, and jumps straight to the earliest deadline when none can —
//!   like trio's autojump clock. "Can make progress" means running, waiting for the GIL, or
//!   *away* in real-world blocking such as `input()` or the REPL prompt (the away thread will
//!   come back by itself, so jumping ahead of it would make the output depend on how fast the
//!   real world answered). The jump is made by the scheduler (`gil.rs`), the one place that
//!   knows what every thread is doing: when the last runnable thread blocks and some blocked
//!   thread has a deadline, it moves the clock to the earliest deadline and wakes every thread
//!   whose deadline has come. A program that sleeps for minutes finishes in milliseconds and
//!   prints the same times, exactly, on every run.
//!
//! On the virtual clock the monotonic clock starts at 0.0 (so that the small numbers a program
//! prints are exact: after `sleep(0.1)`, `monotonic()` is `0.1`), and the wall clock starts at
//! [`VIRTUAL_EPOCH`], a fixed date, so that `time.time()`, `time.ctime()` and dates derived
//! from them are the same on every run. Code that waits for time to pass by spinning
//! (`while time.monotonic() < end: pass`) never ends on the virtual clock: time only moves
//! when every thread waits.
//!
//! Not on this clock, because they measure the interpreter rather than the program: GIL
//! statistics, the `--switch-interval` time slice, `toy compare`'s wall and CPU times, and
//! `time.process_time` (CPU time).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Where the virtual wall clock starts: 2025-01-01 00:00:00 UTC, in seconds since the Unix
/// epoch. A fixed date rather than the real time at startup, so that printed dates are
/// reproducible; a recent one, so that programs checking for a plausible date are satisfied.
pub const VIRTUAL_EPOCH: Duration = Duration::from_secs(1_735_689_600);

/// The offset of the real monotonic clock: a day, so that its values look like uptime rather
/// than starting near zero (CPython's never does).
const REAL_MONOTONIC_OFFSET: Duration = Duration::from_secs(86_400);

/// Which clock an interpreter runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClockMode {
    #[default]
    Real,
    Virtual,
}

/// A point in time on an interpreter's clock, when a wait ends: the time since the clock
/// started. Deadlines order by time; only the clock that made one can interpret it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deadline(Duration);

/// An interpreter's clock (one per `Interp`, shared by its threads and its scheduler).
pub struct Clock {
    /// When the clock started, in real time.
    origin: Instant,
    /// On the virtual clock: nanoseconds since it started. Only the scheduler moves it, and
    /// only forwards.
    virtual_nanos: Option<AtomicU64>,
}

impl Clock {
    pub fn new(mode: ClockMode) -> Clock {
        Clock {
            origin: Instant::now(),
            virtual_nanos: match mode {
                ClockMode::Real => None,
                ClockMode::Virtual => Some(AtomicU64::new(0)),
            },
        }
    }

    pub fn mode(&self) -> ClockMode {
        match self.virtual_nanos {
            Some(_) => ClockMode::Virtual,
            None => ClockMode::Real,
        }
    }

    pub fn is_virtual(&self) -> bool {
        self.virtual_nanos.is_some()
    }

    /// Time since the clock started: the base of deadlines.
    pub fn now(&self) -> Duration {
        match &self.virtual_nanos {
            Some(nanos) => Duration::from_nanos(nanos.load(Ordering::Acquire)),
            None => self.origin.elapsed(),
        }
    }

    /// What `time.monotonic()` and `time.perf_counter()` report.
    pub fn monotonic(&self) -> Duration {
        match self.mode() {
            ClockMode::Virtual => self.now(),
            ClockMode::Real => self.now() + REAL_MONOTONIC_OFFSET,
        }
    }

    /// What `time.time()` reports: the time since the Unix epoch.
    pub fn wall_time(&self) -> Duration {
        match self.mode() {
            ClockMode::Virtual => VIRTUAL_EPOCH + self.now(),
            ClockMode::Real => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }

    /// The deadline `d` from now. Saturates far in the future rather than overflow.
    pub fn deadline_after(&self, d: Duration) -> Deadline {
        Deadline(self.now().saturating_add(d))
    }

    /// The deadline `secs` seconds from now (a timeout given as a float: negative is now,
    /// NaN and huge values are the caller's to reject). A positive timeout too small for a
    /// nanosecond still lasts one: toy code that loops `remaining = end - monotonic()` while
    /// `remaining > 0` must see the clock move, or it would never end on the virtual clock.
    pub fn deadline_after_secs(&self, secs: f64) -> Deadline {
        let d = Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(Duration::MAX);
        let d = if secs > 0.0 {
            d.max(Duration::from_nanos(1))
        } else {
            d
        };
        self.deadline_after(d)
    }

    /// Whether `deadline` has come.
    pub fn is_due(&self, deadline: Deadline) -> bool {
        self.now() >= deadline.0
    }

    /// How long until `deadline` (zero once it has come).
    pub fn remaining(&self, deadline: Deadline) -> Duration {
        deadline.0.saturating_sub(self.now())
    }

    /// When `deadline` comes in real time, for the real clock's waits; `None` if it is too
    /// far away for the OS clock to represent (the wait is then as good as endless).
    pub(crate) fn instant_of(&self, deadline: Deadline) -> Option<Instant> {
        self.origin.checked_add(deadline.0)
    }

    /// Move the virtual clock forward to `deadline` (never back). The scheduler calls this
    /// when every thread waits; a no-op on the real clock.
    pub(crate) fn advance_to(&self, deadline: Deadline) {
        if let Some(nanos) = &self.virtual_nanos {
            let target = u64::try_from(deadline.0.as_nanos()).unwrap_or(u64::MAX);
            nanos.fetch_max(target, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_stands_still_until_advanced() {
        let clock = Clock::new(ClockMode::Virtual);
        assert_eq!(clock.now(), Duration::ZERO);
        let d = clock.deadline_after(Duration::from_secs(600));
        assert!(!clock.is_due(d));
        assert_eq!(clock.remaining(d), Duration::from_secs(600));
        clock.advance_to(d);
        assert!(clock.is_due(d));
        assert_eq!(clock.remaining(d), Duration::ZERO);
        assert_eq!(clock.monotonic(), Duration::from_secs(600));
        assert_eq!(clock.wall_time(), VIRTUAL_EPOCH + Duration::from_secs(600));
        // Never backwards.
        clock.advance_to(Deadline(Duration::from_secs(1)));
        assert_eq!(clock.now(), Duration::from_secs(600));
    }

    #[test]
    fn tiny_positive_timeouts_still_last_a_nanosecond() {
        let clock = Clock::new(ClockMode::Virtual);
        assert_eq!(
            clock.deadline_after_secs(1e-12),
            Deadline(Duration::from_nanos(1))
        );
        assert_eq!(clock.deadline_after_secs(0.0), Deadline(Duration::ZERO));
        assert_eq!(clock.deadline_after_secs(-5.0), Deadline(Duration::ZERO));
    }

    #[test]
    fn real_clock_moves_by_itself() {
        let clock = Clock::new(ClockMode::Real);
        let d = clock.deadline_after(Duration::from_millis(1));
        std::thread::sleep(Duration::from_millis(2));
        assert!(clock.is_due(d));
        assert!(clock.monotonic() > REAL_MONOTONIC_OFFSET);
        assert!(clock.instant_of(Deadline(Duration::MAX)).is_none());
    }
}
