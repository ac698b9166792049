//! GIL statistics: how often the GIL changed hands and why, and per thread how long it held
//! the GIL and waited for it — printed by `toy --gil-stats` and shown by `toy compare`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::Interp;

/// The figures of one run, also written as a record for `toy compare`.
pub struct GilStats {
    pub gil_enabled: bool,
    pub check_interval: u32,
    pub interval_switches: u64,
    pub blocking_switches: u64,
    pub exit_switches: u64,
    /// Grants of the GIL to a waiting thread, and their summed time from grant to running.
    pub handoffs: u64,
    pub handoff_time: Duration,
    /// Per thread, in start order: name, time holding the GIL, time waiting for it.
    pub threads: Vec<(String, Duration, Duration)>,
    pub wall: Duration,
    /// CPU time of the whole process (all threads), when the OS tells it.
    pub cpu: Option<Duration>,
}

impl GilStats {
    pub fn collect(interp: &Interp, wall: Duration) -> GilStats {
        let gil = &interp.gil;
        let mut handles: Vec<_> = interp.finished_threads.lock().clone();
        handles.extend(gil.threads().into_iter().map(|(h, _)| h));
        handles.sort_by_key(|h| h.ident);
        let threads = handles
            .iter()
            .map(|h| {
                let mut s = h.stats.lock();
                s.settle();
                (h.name.lock().clone(), s.held, s.waited)
            })
            .collect();
        GilStats {
            gil_enabled: gil.enabled,
            check_interval: gil.check_interval(),
            interval_switches: gil.switches.interval.load(Ordering::Relaxed),
            blocking_switches: gil.switches.blocking.load(Ordering::Relaxed),
            exit_switches: gil.switches.thread_exit.load(Ordering::Relaxed),
            handoffs: gil.switches.handoffs.load(Ordering::Relaxed),
            handoff_time: Duration::from_nanos(gil.switches.handoff_nanos.load(Ordering::Relaxed)),
            threads,
            wall,
            cpu: process_cpu_time(),
        }
    }

    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.gil_enabled {
            out.push_str(&format!(
                "GIL statistics (GIL on, check interval {} instructions)\n",
                self.check_interval
            ));
            out.push_str(&format!(
                "  switches: {} interval, {} blocking, {} thread exit\n",
                self.interval_switches, self.blocking_switches, self.exit_switches
            ));
            out.push_str(&format!("  hand-offs: {}\n", self.handoff_summary()));
        } else {
            out.push_str("GIL statistics (GIL off: threads ran in parallel, no switches)\n");
        }
        out.push_str(&format!(
            "  wall time: {:.3} s, CPU time: {}\n",
            self.wall.as_secs_f64(),
            self.cpu.map_or("unknown".to_string(), |c| format!(
                "{:.3} s",
                c.as_secs_f64()
            ))
        ));
        if self.gil_enabled {
            out.push_str(&format!(
                "  {:<28} {:>12} {:>12}\n",
                "thread", "held (s)", "waited (s)"
            ));
            for (name, held, waited) in &self.threads {
                out.push_str(&format!(
                    "  {:<28} {:>12.3} {:>12.3}\n",
                    name,
                    held.as_secs_f64(),
                    waited.as_secs_f64()
                ));
            }
        } else {
            let names: Vec<&str> = self.threads.iter().map(|t| t.0.as_str()).collect();
            out.push_str(&format!("  threads: {}\n", names.join(", ")));
        }
        out
    }

    /// "N grants, T ms from grant to running (mean M µs)": the time in which the GIL was
    /// in transit and no thread ran toy code.
    pub fn handoff_summary(&self) -> String {
        handoff_summary(self.handoffs, self.handoff_time.as_secs_f64())
    }

    /// A plain record for `toy compare` to read back: `key value` lines, and one
    /// `thread` line per thread with tab-separated name, held and waited seconds.
    pub fn to_record(&self) -> String {
        let mut out = format!(
            "gil {}\ncheck_interval {}\ninterval {}\nblocking {}\nexit {}\nhandoffs {}\nhandoff_time {}\nwall {}\ncpu {}\n",
            self.gil_enabled,
            self.check_interval,
            self.interval_switches,
            self.blocking_switches,
            self.exit_switches,
            self.handoffs,
            self.handoff_time.as_secs_f64(),
            self.wall.as_secs_f64(),
            self.cpu.map_or(-1.0, |c| c.as_secs_f64()),
        );
        for (name, held, waited) in &self.threads {
            let name = name.replace(['\t', '\n'], " ");
            out.push_str(&format!(
                "thread\t{name}\t{}\t{}\n",
                held.as_secs_f64(),
                waited.as_secs_f64()
            ));
        }
        out
    }
}

/// See `GilStats::handoff_summary`; `toy compare` shows the same line from a record.
pub fn handoff_summary(count: u64, seconds: f64) -> String {
    let mean_us = if count == 0 {
        0.0
    } else {
        seconds * 1e6 / count as f64
    };
    format!(
        "{count} grants, {:.3} ms from grant to running (mean {mean_us:.1} µs)",
        seconds * 1e3
    )
}

/// User + system CPU time of this process, from /proc (Linux); the kernel counts in clock
/// ticks of 1/100 s on every mainstream Linux configuration.
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may contain spaces; the fields after it are plain numbers.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}
