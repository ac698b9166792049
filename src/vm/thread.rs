//! Interpreter threads: each toy thread is an OS thread with its own `Vm` (value stack and
//! frames). This file has the per-thread handle, starting a thread, joining it, and the one
//! door every blocking operation goes through (DESIGN.md decision 5): `Vm::block_on`.
//!
//! Deadlines are points on the interpreter's clock (`clock.rs`). On the real clock a blocked
//! thread waits for a wake-up or for its deadline in real time. On the virtual clock it waits
//! only for a wake-up: the scheduler wakes it when the clock jumps to its deadline.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::clock::Deadline;
use super::gil::{BlockOutcome, RunState, ThreadStats};
use super::{Interp, Vm};
use crate::objects::{types, Exc, ToyResult, Value};

/// Exit status after a deadlock report.
pub const EXIT_DEADLOCK: i32 = 3;

/// Stack size of a started thread. Toy calls do not recurse on the Rust stack; only native
/// re-entry (dunder methods, sort keys) does, and it is bounded.
const THREAD_STACK_SIZE: usize = 64 << 20;

/// How long a blocked main thread sleeps before looking for Ctrl-C again.
pub(super) const INTERRUPT_POLL: Duration = Duration::from_millis(50);

/// How long the thread at the head of the GIL queue spins before it parks: a little more
/// than a check interval's worth of work, so that hand-offs between busy threads never need
/// the kernel to wake anyone (see gil.rs on hand-off cost).
const HEAD_SPIN: Duration = Duration::from_millis(2);

/// Pause-hinted spins between two yields of the core while spinning at the head of the queue
/// (some tens of microseconds).
const SPINS_PER_YIELD: u32 = 1024;

static NEXT_IDENT: AtomicU64 = AtomicU64::new(1);

/// One interpreter thread, as other threads see it.
pub struct ThreadHandle {
    /// `threading.get_ident()`: small, in start order, so output is reproducible.
    pub ident: u64,
    pub name: Mutex<String>,
    pub is_main: bool,
    /// A daemon thread does not keep the program alive at exit.
    pub daemon: AtomicBool,
    os: OnceLock<std::thread::Thread>,
    /// The wake-up token: set by `grant`, consumed by the waits below. With a GIL it means
    /// "you hold the GIL now"; without, "you were woken".
    granted: AtomicBool,
    /// Set while this thread is at the head of the GIL queue: it spins rather than parks.
    head: AtomicBool,
    finished: AtomicBool,
    /// Set by the scheduler when the virtual clock reached this thread's deadline: the wake-up
    /// that follows is a timeout, not another thread's doing.
    pub(crate) timed_out: AtomicBool,
    /// Threads blocked in `join()` on this one.
    joiners: Mutex<Vec<Arc<ThreadHandle>>>,
    /// What this thread is blocked on and where, for deadlock reports.
    pub waiting_on: Mutex<Option<(String, String)>>,
    pub stats: Mutex<ThreadStats>,
}

impl ThreadHandle {
    pub fn new(name: String, is_main: bool) -> Arc<ThreadHandle> {
        Arc::new(ThreadHandle {
            ident: NEXT_IDENT.fetch_add(1, Ordering::Relaxed),
            name: Mutex::new(name),
            is_main,
            daemon: AtomicBool::new(false),
            os: OnceLock::new(),
            granted: AtomicBool::new(false),
            head: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            timed_out: AtomicBool::new(false),
            joiners: Mutex::new(Vec::new()),
            waiting_on: Mutex::new(None),
            stats: Mutex::new(ThreadStats::default()),
        })
    }

    /// Bind the handle to the OS thread running it (called on that thread).
    fn attach(&self) {
        let _ = self.os.set(std::thread::current());
    }

    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Give the token and wake the thread if it is parked.
    pub(crate) fn grant(&self) {
        self.granted.store(true, Ordering::Release);
        if let Some(t) = self.os.get() {
            t.unpark();
        }
    }

    /// Mark this thread as next in line for the GIL and wake it, so it starts spinning.
    pub(crate) fn become_head(&self) {
        if !self.head.swap(true, Ordering::AcqRel) {
            if let Some(t) = self.os.get() {
                t.unpark();
            }
        }
    }

    /// Wait for the token. Next in line for the GIL, spin (the hand-off from a busy thread
    /// on the other core comes within a check interval); otherwise park until woken.
    pub(crate) fn wait_granted(&self) {
        loop {
            if self.take_token() {
                return;
            }
            if self.head.load(Ordering::Acquire) {
                let start = Instant::now();
                let mut spins = 0u32;
                loop {
                    // Read before swapping: spinning on a read keeps the token's cache line
                    // shared instead of taking it exclusive on every turn.
                    if self.has_token() && self.take_token() {
                        return;
                    }
                    // Busy-wait with the CPU's pause hint, which leaves the core's resources
                    // to whatever else runs on it. Now and then give the core up: if the
                    // holder shares it (more runnable threads than cores), it gets to run.
                    // Yielding on every turn instead costs a system call per turn, and showed
                    // as a second core's worth of system time in bench/threads.py.
                    std::hint::spin_loop();
                    spins += 1;
                    if spins.is_multiple_of(SPINS_PER_YIELD) {
                        std::thread::yield_now();
                        if start.elapsed() > HEAD_SPIN {
                            break;
                        }
                    }
                }
            }
            std::thread::park();
        }
    }

    /// Whether a wake-up token is waiting to be taken.
    pub(crate) fn has_token(&self) -> bool {
        self.granted.load(Ordering::Acquire)
    }

    fn take_token(&self) -> bool {
        if self.granted.swap(false, Ordering::Acquire) {
            self.head.store(false, Ordering::Release);
            true
        } else {
            false
        }
    }

    /// Wait for the token until `deadline`; true if it came.
    fn wait_granted_until(&self, deadline: Instant) -> bool {
        loop {
            if self.take_token() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            std::thread::park_timeout(deadline - now);
        }
    }
}

/// The ident the next started thread will get.
pub fn peek_next_ident() -> u64 {
    NEXT_IDENT.load(Ordering::Relaxed)
}

/// The handle of the thread running this code, if it is an interpreter thread.
pub fn current() -> Option<Arc<ThreadHandle>> {
    CURRENT.with(|c| c.borrow().clone())
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<Arc<ThreadHandle>>> =
        const { std::cell::RefCell::new(None) };
}

/// The handle for a new `Vm` on this OS thread: the thread's own if it has one, otherwise
/// this OS thread becomes the interpreter's main thread.
pub(crate) fn handle_for_new_vm(interp: &Interp) -> Arc<ThreadHandle> {
    if let Some(h) = current() {
        if !interp.gil.is_registered(h.ident) {
            // A second interpreter on this OS thread (tests do that): it runs here too.
            interp.gil.register(&h, true);
        }
        return h;
    }
    let h = ThreadHandle::new("MainThread".into(), true);
    h.attach();
    CURRENT.with(|c| *c.borrow_mut() = Some(h.clone()));
    interp.gil.register(&h, true);
    super::breaker::reset(interp.gil.next_countdown());
    h
}

impl Vm {
    /// Start `target(*args, **kwargs)` on a new interpreter thread named `name`. The new
    /// thread is queued for the GIL right here, so it first runs at a reproducible point.
    pub fn start_thread(
        &mut self,
        target: Value,
        args: Vec<Value>,
        kwargs: crate::objects::KwArgs,
        name: String,
    ) -> ToyResult<Arc<ThreadHandle>> {
        let handle = ThreadHandle::new(name, false);
        self.interp.gil.register(&handle, false);
        let interp = self.interp.clone();
        let h = handle.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("toy-{}", handle.ident))
            .stack_size(THREAD_STACK_SIZE)
            .spawn(move || thread_main(interp, h, target, args, kwargs));
        if let Err(e) = spawned {
            // Take it out of the table again, as if it had run and ended at once.
            self.interp.gil.exit(&handle);
            handle.finished.store(true, Ordering::Release);
            return Err(Exc::runtime_error(format!("can't start new thread: {e}")));
        }
        Ok(handle)
    }

    /// The one door for blocking (DESIGN.md decision 5): stop running toy code until another
    /// thread calls `wake` on this thread, or until `deadline` (on the interpreter's clock,
    /// real or virtual: see `Clock::deadline_after`). `what` says what the thread waits for
    /// (deadlock reports show it). Callers re-check their condition afterwards: a return does
    /// not prove the condition holds. Returns false on timeout.
    pub fn block_on(&mut self, what: &str, deadline: Option<Deadline>) -> ToyResult<bool> {
        let me = self.thread.clone();
        // A timeout flag left over from a race (see below) must not end this wait.
        me.timed_out.store(false, Ordering::Release);
        *me.waiting_on.lock() = Some((what.to_string(), self.stack_summary()));
        let outcome = self
            .interp
            .gil
            .block(&me, RunState::Blocked { until: deadline });
        if let BlockOutcome::Deadlock = outcome {
            self.report_deadlock();
        }
        let got_token = self.wait_woken(&me, self.real_wait_limit(deadline));
        // The token came from the virtual clock reaching the deadline, or from another
        // thread; or there was none (a real timeout, a due virtual deadline, Ctrl-C). The
        // scheduler may still set the flag after this look if the thread was blocked until
        // `unblock_self` below; the next `block_on` clears it.
        let timed_out = me.timed_out.swap(false, Ordering::AcqRel);
        *me.waiting_on.lock() = None;
        if !got_token {
            self.interp.gil.unblock_self(&me);
        } else if self.interp.gil.enabled {
            self.interp.gil.took_grant(&me);
        }
        let woken = got_token && !timed_out;
        if me.is_main && super::interrupt::take() {
            return Err(Exc::with_args(
                &types().exceptions.keyboard_interrupt,
                vec![],
            ));
        }
        Ok(woken)
    }

    /// How long a thread blocked until `deadline` waits in real time for its token. On the
    /// real clock, until the deadline. On the virtual clock, until the scheduler wakes it —
    /// unless the deadline has come already (a zero timeout, the last round of a timeout
    /// loop): then not at all, as a real wait would end at once; other threads still get
    /// their turn, since blocking handed the GIL on.
    fn real_wait_limit(&self, deadline: Option<Deadline>) -> Option<Instant> {
        let deadline = deadline?;
        let clock = &self.interp.clock;
        if !clock.is_virtual() {
            return clock.instant_of(deadline);
        }
        clock.is_due(deadline).then(Instant::now)
    }

    /// Wait for the wake-up token (which, with a GIL, also means the GIL is ours) or the
    /// deadline. The main thread wakes up now and then to notice Ctrl-C.
    fn wait_woken(&self, me: &Arc<ThreadHandle>, deadline: Option<Instant>) -> bool {
        loop {
            let step = if me.is_main {
                let poll = Instant::now() + INTERRUPT_POLL;
                Some(deadline.map_or(poll, |d| d.min(poll)))
            } else {
                deadline
            };
            let got = match step {
                Some(until) => me.wait_granted_until(until),
                None => {
                    me.wait_granted();
                    true
                }
            };
            if got {
                return true;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
            if me.is_main && super::interrupt::pending() {
                return false;
            }
        }
    }

    /// Leave toy code for something that ends by itself (a real-time sleep, reading input):
    /// other threads run meanwhile, but the virtual clock does not move until this thread is
    /// back (see `clock.rs`). `f` must not touch toy objects.
    pub fn away<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let me = self.thread.clone();
        self.interp.gil.block(&me, RunState::Away);
        let out = f();
        self.interp.gil.unblock_self(&me);
        out
    }

    /// `time.sleep`: other threads run meanwhile; `sleep(0)` just lets the next queued thread
    /// run. The main thread wakes up for Ctrl-C. On the virtual clock a sleep is a block until
    /// its deadline, which the clock jumps to as soon as no other thread can run.
    pub fn sleep(&mut self, d: Duration) -> ToyResult<()> {
        self.flush_stdout();
        if self.interp.clock.is_virtual() && !d.is_zero() {
            let deadline = self.interp.clock.deadline_after(d);
            // Only the clock should end the wait, but a wake-up from another thread is only a
            // hint: wait again if one comes early.
            while self.block_on("time.sleep()", Some(deadline))? {
                if self.interp.clock.is_due(deadline) {
                    break;
                }
            }
            return Ok(());
        }
        let me = self.thread.clone();
        self.interp.gil.block(&me, RunState::Away);
        let deadline = Instant::now() + d;
        let mut interrupted = false;
        loop {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            if me.is_main && super::interrupt::pending() {
                interrupted = true;
                break;
            }
            let step = if me.is_main {
                (deadline - now).min(INTERRUPT_POLL)
            } else {
                deadline - now
            };
            std::thread::sleep(step);
        }
        self.interp.gil.unblock_self(&me);
        if interrupted && super::interrupt::take() {
            return Err(Exc::with_args(
                &types().exceptions.keyboard_interrupt,
                vec![],
            ));
        }
        Ok(())
    }

    /// `thread.join(timeout)`: wait until `target` ends. Returns whether it has ended.
    pub fn join_thread(
        &mut self,
        target: &Arc<ThreadHandle>,
        deadline: Option<Deadline>,
    ) -> ToyResult<bool> {
        if target.ident == self.thread.ident {
            return Err(Exc::runtime_error("cannot join current thread"));
        }
        let what = format!("join of thread {:?}", target.name.lock().as_str());
        loop {
            {
                let mut joiners = target.joiners.lock();
                if target.is_finished() {
                    return Ok(true);
                }
                joiners.push(self.thread.clone());
            }
            let woken = self.block_on(&what, deadline)?;
            target
                .joiners
                .lock()
                .retain(|h| h.ident != self.thread.ident);
            if !woken && !target.is_finished() {
                return Ok(false);
            }
        }
    }

    /// Wake another thread blocked in `block_on`.
    pub fn wake(&self, target: &Arc<ThreadHandle>) {
        self.interp.gil.wake(target);
    }

    /// At the end of the main program: wait for every non-daemon thread, as CPython does.
    pub fn join_non_daemon_threads(&mut self) -> ToyResult<()> {
        loop {
            let next = self
                .interp
                .gil
                .threads()
                .into_iter()
                .map(|(h, _)| h)
                .find(|h| {
                    !h.is_main && h.ident != self.thread.ident && !h.daemon.load(Ordering::Relaxed)
                });
            match next {
                Some(h) => {
                    self.join_thread(&h, None)?;
                }
                None => return Ok(()),
            }
        }
    }

    /// Where this thread is, innermost call last, as traceback lines.
    pub fn stack_summary(&self) -> String {
        let mut out = String::new();
        for frame in &self.frames {
            super::traceback::push_entry(&mut out, frame.code(), frame.line());
        }
        out
    }

    /// Every thread is blocked forever: say who waits on what, and end the process.
    fn report_deadlock(&mut self) -> ! {
        if !self.interp.gil.claim_deadlock_report() {
            // Another thread is printing the report and will end the process.
            loop {
                std::thread::park();
            }
        }
        self.flush_stdout();
        let mut text =
            String::from("toy: deadlock: every thread is blocked and none can wake the others\n");
        for (h, _) in self.interp.gil.threads() {
            let (what, stack) = h.waiting_on.lock().clone().unwrap_or_default();
            text.push_str(&format!(
                "\nThread {:?} (ident {}) waits for {}:\nTraceback (most recent call last):\n{}",
                h.name.lock().as_str(),
                h.ident,
                what,
                stack
            ));
        }
        eprint!("{text}");
        // What the program wrote to its files is not lost with it.
        crate::objects::file::flush_all_at_exit();
        std::process::exit(EXIT_DEADLOCK);
    }
}

/// The body of a started OS thread: wait for the first turn, run the target, report an
/// uncaught exception the way CPython's `threading.excepthook` does, then leave.
fn thread_main(
    interp: Arc<Interp>,
    handle: Arc<ThreadHandle>,
    target: Value,
    args: Vec<Value>,
    kwargs: crate::objects::KwArgs,
) {
    handle.attach();
    CURRENT.with(|c| *c.borrow_mut() = Some(handle.clone()));
    interp.gil.wait_turn(&handle);
    super::breaker::reset(interp.gil.next_countdown());
    let mut vm = Vm::new(interp.clone());
    if let Err(exc) = vm.call(&target, args, kwargs) {
        if !exc.matches(&types().exceptions.system_exit) {
            vm.flush_stdout();
            let name = handle.name.lock().clone();
            let report = vm.format_exception(&exc.0);
            eprint!("Exception in thread {name}:\n{report}");
        }
    }
    vm.flush_stdout();
    drop(vm);
    finish_thread(&interp, &handle);
}

/// Mark the thread ended, wake its joiners, hand the GIL on; report a deadlock this exit
/// leaves behind (everyone left is blocked forever).
fn finish_thread(interp: &Arc<Interp>, handle: &Arc<ThreadHandle>) {
    let joiners = {
        let mut j = handle.joiners.lock();
        handle.finished.store(true, Ordering::Release);
        std::mem::take(&mut *j)
    };
    for j in &joiners {
        interp.gil.wake(j);
    }
    handle.stats.lock().settle();
    interp.finished_threads.lock().push(handle.clone());
    if interp.gil.exit(handle) {
        // Every remaining thread waits forever. Report from here with a throwaway VM (it has
        // no frames of its own; the report lists the others').
        let mut vm = Vm::new(interp.clone());
        vm.report_deadlock();
    }
}
