//! `toy compare SCRIPT`: run a script with the GIL and without it (same options, same seed),
//! then show the two outputs side by side with the differing lines marked, and the time and
//! GIL statistics of each run. Each run is a child process of this very binary, so the two
//! runs cannot disturb each other. With `--no-gil --racy-refcount`, the run without the GIL
//! also simulates racy reference counts, so the two sides show what the GIL prevents.

use std::path::PathBuf;
use std::process::Command;

use crate::run::Options;

/// One run of the script.
struct RunResult {
    stdout: String,
    stderr: String,
    status: Option<i32>,
    /// The GIL statistics, as written by the child.
    stats: Option<Stats>,
}

/// The figures `toy compare` shows (read back from the child's record).
#[derive(Default)]
struct Stats {
    wall: f64,
    cpu: f64,
    interval: u64,
    blocking: u64,
    exit: u64,
    handoffs: u64,
    handoff_time: f64,
    threads: Vec<(String, f64, f64)>,
}

pub fn run(script: &str, args: &[String], options: &Options) -> i32 {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("toy compare: cannot find the toy binary: {e}");
            return 2;
        }
    };
    if !std::path::Path::new(script).is_file() {
        eprintln!("toy compare: can't open file '{script}'");
        return 2;
    }
    let with_gil = run_once(&exe, script, args, options, true);
    let without = run_once(&exe, script, args, options, false);
    let (with_gil, without) = match (with_gil, without) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("toy compare: {e}");
            return 2;
        }
    };
    print!("{}", render(script, options, &with_gil, &without));
    0
}

fn run_once(
    exe: &PathBuf,
    script: &str,
    args: &[String],
    options: &Options,
    gil: bool,
) -> Result<RunResult, String> {
    let stats_path = std::env::temp_dir().join(format!(
        "toy-compare-{}-{}.json",
        std::process::id(),
        if gil { "gil" } else { "nogil" }
    ));
    let mut cmd = Command::new(exe);
    if !gil {
        cmd.arg("--no-gil");
        if options.racy_refcount {
            cmd.arg("--racy-refcount");
        }
    }
    cmd.arg("--check-interval")
        .arg(options.gil.check_interval.to_string());
    if let Some(seed) = options.gil.seed {
        cmd.arg("--seed").arg(seed.to_string());
    }
    if options.clock == crate::vm::clock::ClockMode::Virtual {
        cmd.arg("--virtual-clock");
    }
    if let Some(si) = options.gil.switch_interval {
        cmd.arg("--switch-interval")
            .arg(si.as_secs_f64().to_string());
    }
    cmd.arg(script).args(args);
    cmd.env("TOY_STATS_FILE", &stats_path).env_remove("TOY_GIL");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stats = std::fs::read_to_string(&stats_path)
        .ok()
        .and_then(|text| parse_stats(&text));
    std::fs::remove_file(&stats_path).ok();
    Ok(RunResult {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code(),
        stats,
    })
}

/// Read the record `GilStats::to_record` writes.
fn parse_stats(text: &str) -> Option<Stats> {
    let mut stats = Stats::default();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("thread\t") {
            let mut parts = rest.split('\t');
            let name = parts.next()?.to_string();
            let held = parts.next()?.parse().ok()?;
            let waited = parts.next()?.parse().ok()?;
            stats.threads.push((name, held, waited));
            continue;
        }
        let (key, value) = line.split_once(' ')?;
        let num = value.parse::<f64>().unwrap_or(0.0);
        match key {
            "wall" => stats.wall = num,
            "cpu" => stats.cpu = num,
            "interval" => stats.interval = num as u64,
            "blocking" => stats.blocking = num as u64,
            "exit" => stats.exit = num as u64,
            "handoffs" => stats.handoffs = num as u64,
            "handoff_time" => stats.handoff_time = num,
            _ => {}
        }
    }
    Some(stats)
}

fn render(script: &str, options: &Options, a: &RunResult, b: &RunResult) -> String {
    let left: Vec<&str> = a.stdout.lines().collect();
    let right: Vec<&str> = b.stdout.lines().collect();
    let width = left
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, 60);
    let mut out = String::new();
    out.push_str(&format!(
        "toy compare {script} (check interval {}{})\n\n",
        options.gil.check_interval,
        options
            .gil
            .seed
            .map_or(String::new(), |s| format!(", seed {s}"))
    ));
    out.push_str(&format!(
        "  {:<width$}   {}\n",
        "with the GIL", "without the GIL"
    ));
    out.push_str(&format!("  {:-<width$}   {:-<width$}\n", "", ""));
    let mut differing = 0;
    for i in 0..left.len().max(right.len()) {
        let l = left.get(i).copied();
        let r = right.get(i).copied();
        let mark = if l == r {
            " "
        } else {
            differing += 1;
            "≠"
        };
        out.push_str(&format!(
            "{mark} {}{} | {}\n",
            l.unwrap_or(""),
            " ".repeat(width.saturating_sub(l.map_or(0, |l| l.chars().count()))),
            r.unwrap_or("")
        ));
    }
    out.push('\n');
    out.push_str(&match differing {
        0 => "The outputs are the same.\n".to_string(),
        1 => "1 line differs (marked ≠).\n".to_string(),
        n => format!("{n} lines differ (marked ≠).\n"),
    });
    for (label, run) in [("with the GIL", a), ("without the GIL", b)] {
        if !run.stderr.is_empty() {
            out.push_str(&format!("\nstderr {label}:\n"));
            for line in run.stderr.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out.push('\n');
    let row = |name: &str, x: String, y: String| format!("  {name:<16} {x:>22} {y:>22}\n");
    out.push_str(&row(
        "",
        "with the GIL".to_string(),
        "without the GIL".to_string(),
    ));
    let status = |r: &RunResult| r.status.map_or("killed".to_string(), |c| c.to_string());
    out.push_str(&row("exit status", status(a), status(b)));
    let (sa, sb) = (
        a.stats.as_ref().unwrap_or(&EMPTY),
        b.stats.as_ref().unwrap_or(&EMPTY),
    );
    let secs = |s: f64| {
        if s < 0.0 {
            "unknown".to_string()
        } else {
            format!("{s:.3} s")
        }
    };
    out.push_str(&row("wall time", secs(sa.wall), secs(sb.wall)));
    out.push_str(&row("CPU time", secs(sa.cpu), secs(sb.cpu)));
    out.push_str(&row(
        "GIL switches",
        format!("{}", sa.interval + sa.blocking + sa.exit),
        "none (no GIL)".to_string(),
    ));
    out.push_str(&format!(
        "    by reason: {} interval, {} blocking, {} thread exit\n",
        sa.interval, sa.blocking, sa.exit
    ));
    out.push_str(&format!(
        "    hand-offs: {}\n",
        crate::vm::gil_stats::handoff_summary(sa.handoffs, sa.handoff_time)
    ));
    if !sa.threads.is_empty() {
        out.push_str("    per thread with the GIL (held / waited):\n");
        for (name, held, waited) in &sa.threads {
            out.push_str(&format!(
                "      {name:<28} {held:>8.3} s / {waited:>8.3} s\n"
            ));
        }
    }
    out
}

static EMPTY: Stats = Stats {
    wall: -1.0,
    cpu: -1.0,
    interval: 0,
    blocking: 0,
    exit: 0,
    handoffs: 0,
    handoff_time: 0.0,
    threads: Vec::new(),
};
