//! The global interpreter lock, and the bookkeeping of what every interpreter thread is doing.
//!
//! With the GIL on, exactly one thread runs toy code at a time. The others wait in a FIFO run
//! queue; the holder hands the GIL straight to the head of the queue (it never re-takes it
//! while someone waits), so the same program with the same options interleaves the same way
//! every run. The holder gives the GIL up:
//! - after the check interval (a number of instructions, counted by `breaker`) when the run
//!   queue is not empty — `SwitchReason::Interval`;
//! - when it blocks (a lock, a join, a sleep, I/O) — `SwitchReason::Blocking`;
//! - when it ends — `SwitchReason::ThreadExit`.
//!
//! Waking a blocked thread (releasing the lock it waits for, say) puts it at the back of the run
//! queue *synchronously*, by the thread that holds the GIL, which is what keeps the order
//! reproducible. A thread whose wait times out queues itself.
//!
//! With the GIL off the run queue is unused: threads run in parallel, a woken thread is
//! unparked directly. In both modes the state of every thread (running, queued, blocked) is
//! kept here, so that when every thread is blocked forever the last one to block can report a
//! deadlock instead of hanging.
//!
//! The same bookkeeping drives the virtual clock (`clock.rs`): when the last thread that could
//! run blocks and some blocked thread has a deadline, nothing can happen before the earliest
//! deadline, so the clock jumps there and the threads whose deadline has come are woken —
//! by the blocking thread, under the state lock, in deadline order (ties in the order the
//! threads blocked), which keeps virtual-time schedules as reproducible as the rest.
//!
//! Hand-off cost: the thread at the head of the queue spins briefly before it parks, so a
//! switch between two busy threads on two cores costs well under a microsecond instead of the
//! tens of microseconds a futex wake costs.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::clock::{Clock, Deadline};
use super::thread::ThreadHandle;

/// Why the GIL changed hands (DESIGN.md: a switch says why it happened).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchReason {
    /// The check interval (or switch interval) ran out while another thread was waiting.
    Interval,
    /// The holder blocked: a lock, a join, a queue, a sleep, I/O.
    Blocking,
    /// The holder's thread ended.
    ThreadExit,
}

/// What a thread is doing, as far as the scheduler knows.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// Running toy code (holding the GIL, when there is one).
    Running,
    /// Waiting in the run queue for the GIL.
    Queued,
    /// Waiting to be woken by another thread, or until `until` comes (a timeout, a sleep on
    /// the virtual clock); forever when there is no deadline.
    Blocked { until: Option<Deadline> },
    /// Outside toy code for a while (a real-time sleep, reading input): it will come back by
    /// itself. The virtual clock counts it as running.
    Away,
    /// Waiting for the world outside the program: a socket to become readable or writable.
    /// The peer may answer at any moment, so this is never part of a deadlock; but it may
    /// also never answer (a server waiting for its next client), so the virtual clock does
    /// not wait for it: time jumps as if it were blocked without a deadline.
    External,
}

/// How the GIL behaves; set from the command line and `sys`.
#[derive(Clone, Debug)]
pub struct GilOptions {
    pub enabled: bool,
    /// Instructions between switch checks.
    pub check_interval: u32,
    /// CPython-3-style time-based switching: hand over once this much time has passed with a
    /// waiter queued (checked at each check interval). `None`: instruction counting only.
    pub switch_interval: Option<Duration>,
    /// Jitter the check interval reproducibly from this seed.
    pub seed: Option<u64>,
}

impl Default for GilOptions {
    fn default() -> Self {
        GilOptions {
            enabled: true,
            check_interval: super::breaker::DEFAULT_CHECK_INTERVAL,
            switch_interval: None,
            seed: None,
        }
    }
}

struct Entry {
    handle: Arc<ThreadHandle>,
    state: RunState,
    /// When the thread last blocked (a count of blocks): among equal deadlines, the thread
    /// that blocked first is woken first.
    blocked_at: u64,
}

struct State {
    /// Ident of the thread holding the GIL.
    holder: Option<u64>,
    queue: VecDeque<Arc<ThreadHandle>>,
    /// Every live interpreter thread, in start order.
    threads: Vec<Entry>,
    /// The jitter generator (splitmix64), when `--seed` is given.
    rng: Option<u64>,
    /// Blocks so far, to order the blocked threads (`Entry::blocked_at`).
    blocks: u64,
}

/// Switch counts by reason, and what the hand-offs cost.
#[derive(Default)]
pub struct SwitchCounts {
    pub interval: AtomicU64,
    pub blocking: AtomicU64,
    pub thread_exit: AtomicU64,
    /// Grants of the GIL to a waiting thread, and the time in nanoseconds summed over them
    /// from the grant to the new holder running: the part of a switch in which nobody runs.
    pub handoffs: AtomicU64,
    pub handoff_nanos: AtomicU64,
}

pub struct Gil {
    pub enabled: bool,
    state: Mutex<State>,
    /// Length of the run queue, readable without the lock by the holder's interval check.
    waiting: AtomicUsize,
    check_interval: AtomicU32,
    /// In nanoseconds; 0 means off.
    switch_interval: AtomicU64,
    pub switches: SwitchCounts,
    seeded: bool,
    /// Set once a deadlock has been reported, so only one thread reports it.
    deadlocked: AtomicBool,
    /// The interpreter's clock, which the scheduler moves when it is virtual.
    clock: Arc<Clock>,
}

/// What `Gil::block` found when the calling thread stopped running.
pub enum BlockOutcome {
    Blocked,
    /// No thread can ever run again: the caller must report a deadlock.
    Deadlock,
}

impl Gil {
    pub fn new(options: &GilOptions, clock: Arc<Clock>) -> Gil {
        Gil {
            enabled: options.enabled,
            state: Mutex::new(State {
                holder: None,
                queue: VecDeque::new(),
                threads: Vec::new(),
                rng: options.seed.map(|s| s ^ 0x9e37_79b9_7f4a_7c15),
                blocks: 0,
            }),
            waiting: AtomicUsize::new(0),
            check_interval: AtomicU32::new(options.check_interval.max(1)),
            switch_interval: AtomicU64::new(
                options.switch_interval.map_or(0, |d| d.as_nanos() as u64),
            ),
            switches: SwitchCounts::default(),
            seeded: options.seed.is_some(),
            deadlocked: AtomicBool::new(false),
            clock,
        }
    }

    pub fn check_interval(&self) -> u32 {
        self.check_interval.load(Ordering::Relaxed)
    }

    pub fn set_check_interval(&self, n: u32) {
        self.check_interval.store(n.max(1), Ordering::Relaxed);
    }

    pub fn switch_interval(&self) -> Option<Duration> {
        match self.switch_interval.load(Ordering::Relaxed) {
            0 => None,
            ns => Some(Duration::from_nanos(ns)),
        }
    }

    pub fn set_switch_interval(&self, d: Option<Duration>) {
        self.switch_interval.store(
            d.map_or(0, |d| d.as_nanos().max(1) as u64),
            Ordering::Relaxed,
        );
    }

    /// The length of the next countdown: the check interval, jittered when seeded (uniform in
    /// [interval/2, 3*interval/2), so the mean stays the interval).
    pub fn next_countdown(&self) -> u32 {
        let base = self.check_interval();
        if !self.seeded {
            return base;
        }
        let mut st = self.state.lock();
        match st.rng.as_mut() {
            None => base,
            Some(x) => {
                *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = *x;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                let half = (base / 2).max(1) as u64;
                (half + z % (base as u64).max(1)) as u32
            }
        }
    }

    /// Whether `ident` is one of this interpreter's threads.
    pub fn is_registered(&self, ident: u64) -> bool {
        state_of(&self.state.lock(), ident).is_some()
    }

    /// Whether another thread is waiting for the GIL.
    pub fn has_waiters(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    /// Register a new thread. The main thread starts out running (and holding the GIL);
    /// a started thread is queued by its starter, so it runs at a reproducible point.
    pub fn register(&self, handle: &Arc<ThreadHandle>, is_first: bool) {
        let mut st = self.state.lock();
        let state = if !self.enabled {
            RunState::Running
        } else if is_first && st.holder.is_none() {
            st.holder = Some(handle.ident);
            handle.stats.lock().started_holding();
            RunState::Running
        } else {
            handle.stats.lock().started_waiting();
            st.queue.push_back(handle.clone());
            self.queue_changed(&st);
            RunState::Queued
        };
        st.threads.push(Entry {
            handle: handle.clone(),
            state,
            blocked_at: 0,
        });
    }

    /// Threads that are alive, in start order, with what they are doing.
    pub fn threads(&self) -> Vec<(Arc<ThreadHandle>, RunState)> {
        let st = self.state.lock();
        st.threads
            .iter()
            .map(|e| (e.handle.clone(), e.state.clone()))
            .collect()
    }

    /// Wait until `me` holds the GIL (a no-op without a GIL).
    pub fn wait_turn(&self, me: &ThreadHandle) {
        if self.enabled {
            self.wait_for_grant(me);
        }
    }

    /// Wait for the GIL to be handed to `me`, and count how long the hand-off took.
    fn wait_for_grant(&self, me: &ThreadHandle) {
        me.wait_granted();
        self.took_grant(me);
    }

    /// `me` runs, having been granted the GIL (with a GIL only): count the hand-off, from the
    /// grant to now.
    pub fn took_grant(&self, me: &ThreadHandle) {
        let gap = me.stats.lock().took_gil();
        self.switches.handoffs.fetch_add(1, Ordering::Relaxed);
        self.switches
            .handoff_nanos
            .fetch_add(gap.as_nanos() as u64, Ordering::Relaxed);
    }

    /// The holder gives the GIL to the next queued thread and queues itself behind it.
    /// Returns after `me` has the GIL again. Does nothing when nobody waits.
    pub fn yield_interval(&self, me: &Arc<ThreadHandle>) {
        {
            let mut st = self.state.lock();
            if st.queue.is_empty() || st.holder != Some(me.ident) {
                return;
            }
            self.switches.interval.fetch_add(1, Ordering::Relaxed);
            me.stats.lock().stopped_holding();
            set_state(&mut st, me.ident, RunState::Queued);
            st.queue.push_back(me.clone());
            me.stats.lock().started_waiting();
            st.holder = None;
            self.hand_over(&mut st);
            self.queue_changed(&st);
        }
        self.wait_for_grant(me);
    }

    /// `me` stops running: it blocks (until a deadline, or forever) or goes away for a
    /// while. Hands the GIL to the next queued thread. Detects a deadlock: nobody left who
    /// runs, waits for the GIL, or will come back by itself. On the virtual clock, when nobody
    /// is left who can run but someone waits for a deadline, moves time on (`jump_clock`).
    pub fn block(&self, me: &Arc<ThreadHandle>, state: RunState) -> BlockOutcome {
        let mut st = self.state.lock();
        if !self.enabled && me.has_token() {
            // Without a GIL a wake can come between registering as a waiter and blocking:
            // the token is already here, so the thread never really blocks.
            return BlockOutcome::Blocked;
        }
        if matches!(state, RunState::Blocked { .. }) {
            st.blocks += 1;
            let at = st.blocks;
            if let Some(e) = st.threads.iter_mut().find(|e| e.handle.ident == me.ident) {
                e.blocked_at = at;
            }
        }
        set_state(&mut st, me.ident, state);
        if self.enabled && st.holder == Some(me.ident) {
            self.switches.blocking.fetch_add(1, Ordering::Relaxed);
            me.stats.lock().stopped_holding();
            st.holder = None;
            self.hand_over(&mut st);
        }
        if self.all_blocked_forever(&st) {
            return BlockOutcome::Deadlock;
        }
        self.jump_clock(&mut st);
        BlockOutcome::Blocked
    }

    /// `me` comes back from blocking by itself (a timeout, the end of a sleep or of I/O):
    /// with a GIL, queue for it and wait; without, just run. If another thread already woke
    /// `me` (it is queued), only wait for the turn.
    pub fn unblock_self(&self, me: &Arc<ThreadHandle>) {
        {
            let mut st = self.state.lock();
            let current = state_of(&st, me.ident);
            if matches!(
                current,
                Some(RunState::Blocked { .. }) | Some(RunState::Away) | Some(RunState::External)
            ) {
                if self.enabled {
                    self.make_runnable(&mut st, me);
                } else {
                    // No token: the thread is awake already.
                    set_state(&mut st, me.ident, RunState::Running);
                }
            }
        }
        self.wait_turn(me);
    }

    /// Another thread wakes `target` (releasing what it waits for). With a GIL, `target`
    /// joins the back of the run queue; without, it is unparked. Waking a thread that is not
    /// blocked does nothing (it has timed out and queued itself, and will re-check).
    pub fn wake(&self, target: &Arc<ThreadHandle>) {
        let mut st = self.state.lock();
        if !self.enabled {
            // Leave the token even if the target has not blocked yet (see `block`).
            set_state(&mut st, target.ident, RunState::Running);
            target.grant();
            return;
        }
        if matches!(state_of(&st, target.ident), Some(RunState::Blocked { .. })) {
            self.make_runnable(&mut st, target);
        }
    }

    fn make_runnable(&self, st: &mut State, target: &Arc<ThreadHandle>) {
        if !self.enabled {
            set_state(st, target.ident, RunState::Running);
            target.grant();
            return;
        }
        set_state(st, target.ident, RunState::Queued);
        target.stats.lock().started_waiting();
        st.queue.push_back(target.clone());
        self.queue_changed(st);
        if st.holder.is_none() {
            self.hand_over(st);
        }
    }

    /// `me` ends: leave the table and hand the GIL on. Returns true if the threads left are
    /// all blocked forever (a deadlock that this exit caused).
    pub fn exit(&self, me: &Arc<ThreadHandle>) -> bool {
        let mut st = self.state.lock();
        st.threads.retain(|e| e.handle.ident != me.ident);
        if self.enabled && st.holder == Some(me.ident) {
            self.switches.thread_exit.fetch_add(1, Ordering::Relaxed);
            me.stats.lock().stopped_holding();
            st.holder = None;
            self.hand_over(&mut st);
        }
        if !st.threads.is_empty() && self.all_blocked_forever(&st) {
            return true;
        }
        self.jump_clock(&mut st);
        false
    }

    /// The virtual clock's autojump. When every thread is blocked and some wait for a
    /// deadline, nothing can happen before the earliest one: move the clock there and wake
    /// every thread whose deadline has come — earliest deadline first, and among equal
    /// deadlines the thread that blocked first (the order real sleeps would end in). Each is
    /// told that its timer, not another thread, woke it (`ThreadHandle::timed_out`).
    fn jump_clock(&self, st: &mut State) {
        if !self.clock.is_virtual()
            || !st
                .threads
                .iter()
                .all(|e| matches!(e.state, RunState::Blocked { .. } | RunState::External))
        {
            return;
        }
        let Some(earliest) = st.threads.iter().filter_map(deadline_of).min() else {
            return;
        };
        self.clock.advance_to(earliest);
        // Due: the earliest deadline (even if the clock, saturated centuries on, could not
        // reach it) and any the clock has passed.
        let mut due: Vec<(Deadline, u64, Arc<ThreadHandle>)> = st
            .threads
            .iter()
            .filter_map(|e| {
                let d = deadline_of(e)?;
                let due = d == earliest || self.clock.is_due(d);
                due.then(|| (d, e.blocked_at, e.handle.clone()))
            })
            .collect();
        due.sort_by_key(|(d, at, _)| (*d, *at));
        for (_, _, handle) in due {
            handle.timed_out.store(true, Ordering::Release);
            self.make_runnable(st, &handle);
        }
    }

    /// Give the free GIL to the head of the run queue.
    fn hand_over(&self, st: &mut State) {
        if st.holder.is_some() {
            return;
        }
        if let Some(next) = st.queue.pop_front() {
            self.queue_changed(st);
            st.holder = Some(next.ident);
            set_state(st, next.ident, RunState::Running);
            {
                let mut stats = next.stats.lock();
                stats.stopped_waiting();
                stats.started_holding();
            }
            next.grant();
        }
    }

    /// Publish the queue length, and let the thread now at the head of the queue know: it
    /// spins instead of parking, so that the next hand-off is quick.
    fn queue_changed(&self, st: &State) {
        self.waiting.store(st.queue.len(), Ordering::Relaxed);
        if let Some(head) = st.queue.front() {
            head.become_head();
        }
    }

    fn all_blocked_forever(&self, st: &State) -> bool {
        st.threads
            .iter()
            .all(|e| e.state == RunState::Blocked { until: None })
    }

    /// True for the first caller only: the thread that reports the deadlock.
    pub fn claim_deadlock_report(&self) -> bool {
        !self.deadlocked.swap(true, Ordering::SeqCst)
    }
}

fn deadline_of(e: &Entry) -> Option<Deadline> {
    match e.state {
        RunState::Blocked { until } => until,
        _ => None,
    }
}

fn state_of(st: &State, ident: u64) -> Option<RunState> {
    st.threads
        .iter()
        .find(|e| e.handle.ident == ident)
        .map(|e| e.state.clone())
}

fn set_state(st: &mut State, ident: u64, state: RunState) {
    if let Some(e) = st.threads.iter_mut().find(|e| e.handle.ident == ident) {
        e.state = state;
    }
}

/// Time a thread held the GIL and waited for it.
#[derive(Default)]
pub struct ThreadStats {
    pub held: Duration,
    pub waited: Duration,
    holding_since: Option<Instant>,
    waiting_since: Option<Instant>,
}

impl ThreadStats {
    /// How long the thread has held the GIL this time.
    pub fn held_for(&self) -> Duration {
        self.holding_since.map_or(Duration::ZERO, |t| t.elapsed())
    }
    fn started_holding(&mut self) {
        self.holding_since = Some(Instant::now());
    }
    /// The thread runs, holding the GIL since it was granted: the time in between (the
    /// hand-off) counts as waiting, not holding. Returns it.
    fn took_gil(&mut self) -> Duration {
        let now = Instant::now();
        let gap = self
            .holding_since
            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        self.waited += gap;
        self.holding_since = Some(now);
        gap
    }
    fn stopped_holding(&mut self) {
        if let Some(t) = self.holding_since.take() {
            self.held += t.elapsed();
        }
    }
    fn started_waiting(&mut self) {
        self.waiting_since = Some(Instant::now());
    }
    fn stopped_waiting(&mut self) {
        if let Some(t) = self.waiting_since.take() {
            self.waited += t.elapsed();
        }
    }
    /// Close the open intervals (at exit, for the report).
    pub fn settle(&mut self) {
        self.stopped_holding();
        self.stopped_waiting();
    }
}
