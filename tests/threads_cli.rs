//! The thread options of the command line: `--gil-stats`, `toy compare`, `--no-gil` and
//! `TOY_GIL`, `--check-interval` and `--seed`, `--virtual-clock` and `TOY_VIRTUAL_CLOCK`.
//! Outputs that contain real timings are checked for their shape and their deterministic
//! parts.

use std::path::Path;
use std::process::{Command, Output};

const TOY: &str = env!("CARGO_BIN_EXE_toy");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn toy(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(TOY);
    cmd.args(args)
        .current_dir(root())
        .env_remove("TOY_GIL")
        .env_remove("TOY_VIRTUAL_CLOCK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run toy")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const RACE: &str = "examples/gil_race.toy";

#[test]
fn gil_stats_counts_switches_by_reason_and_lists_threads() {
    let out = toy(&["--gil-stats", "--check-interval", "1000", RACE], &[]);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("GIL statistics (GIL on, check interval 1000 instructions)\n"),
        "{err}"
    );
    let switches = err
        .lines()
        .find(|l| l.trim_start().starts_with("switches:"))
        .expect("a switches line");
    // Two workers, twice: each phase ends with two thread exits.
    assert!(switches.ends_with(", 4 thread exit"), "{switches}");
    let interval: u64 = switches
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("interval count");
    assert!(
        interval > 100,
        "expected many interval switches: {switches}"
    );
    for name in ["MainThread", "Thread-1 (add)", "Thread-4 (add_locked)"] {
        assert!(err.contains(name), "{name} missing from:\n{err}");
    }
    // The same run again switches at exactly the same points.
    let again = toy(&["--gil-stats", "--check-interval", "1000", RACE], &[]);
    assert_eq!(text(&again.stdout), text(&out.stdout));
    assert!(text(&again.stderr).contains(switches));
}

#[test]
fn no_gil_flag_and_environment_variable_turn_the_gil_off() {
    for (args, env) in [
        (
            vec!["--no-gil", "-c", "import sys; print(sys._is_gil_enabled())"],
            vec![],
        ),
        (
            vec!["-c", "import sys; print(sys._is_gil_enabled())"],
            vec![("TOY_GIL", "0")],
        ),
    ] {
        let out = toy(&args, &env);
        assert_eq!(text(&out.stdout), "False\n");
    }
    let out = toy(&["-c", "import sys; print(sys._is_gil_enabled())"], &[]);
    assert_eq!(text(&out.stdout), "True\n");
    let out = toy(&["--no-gil", "--gil-stats", "-c", "pass"], &[]);
    assert!(text(&out.stderr).starts_with("GIL statistics (GIL off"));
}

#[test]
fn seed_changes_the_interleaving_reproducibly() {
    let run =
        |seed: &str| text(&toy(&["--check-interval", "1000", "--seed", seed, RACE], &[]).stdout);
    let a = run("1");
    assert_eq!(a, run("1"));
    assert_ne!(
        a,
        run("2"),
        "different seeds should switch at different points"
    );
}

#[test]
fn compare_shows_both_runs_side_by_side() {
    let out = toy(&["compare", RACE], &[]);
    assert_eq!(out.status.code(), Some(0));
    let report = text(&out.stdout);
    assert!(
        report.starts_with("toy compare examples/gil_race.toy"),
        "{report}"
    );
    assert!(report.contains("with the GIL"));
    assert!(report.contains("without the GIL"));
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("≠ GIL enabled: True") && l.ends_with("| GIL enabled: False")),
        "{report}"
    );
    assert!(
        report.lines().any(|l| l.starts_with("  with a lock:")),
        "the locked count is the same both ways:\n{report}"
    );
    for row in [
        "exit status",
        "wall time",
        "CPU time",
        "GIL switches",
        "by reason:",
    ] {
        assert!(report.contains(row), "{row} missing:\n{report}");
    }
}

#[test]
fn bad_thread_options_are_usage_errors() {
    let out = toy(&["--check-interval", "0", "-c", "pass"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = toy(&["--switch-interval", "0", "-c", "pass"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--switch-interval"));
    let out = toy(&["compare"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn switch_interval_switches_on_time() {
    let out = toy(
        &[
            "--switch-interval",
            "0.001",
            "--gil-stats",
            "--check-interval",
            "100",
            RACE,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("with a lock:    n = 200000"));
}

/// Two threads and the main thread sleep for ten minutes in all.
const SLEEPY: &str = "\
import threading, time
start = time.monotonic()
def nap(name, secs):
    time.sleep(secs)
    print(name, time.monotonic() - start)
ts = [threading.Thread(target=nap, args=(n, s)) for n, s in [('b', 420), ('a', 180)]]
for t in ts:
    t.start()
time.sleep(600)
for t in ts:
    t.join()
print('main', time.monotonic() - start)
";

#[test]
fn virtual_clock_makes_ten_minutes_of_sleep_take_no_real_time() {
    for (args, env) in [
        (vec!["--virtual-clock", "-c", SLEEPY], vec![]),
        (vec!["-c", SLEEPY], vec![("TOY_VIRTUAL_CLOCK", "1")]),
        (vec!["--no-gil", "--virtual-clock", "-c", SLEEPY], vec![]),
    ] {
        let started = std::time::Instant::now();
        let out = toy(&args, &env);
        let took = started.elapsed();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            "a 180.0\nb 420.0\nmain 600.0\n",
            "{args:?}"
        );
        // A property, not a benchmark: far less than the ten minutes slept.
        assert!(took.as_secs() < 20, "{args:?} took {took:?}");
    }
}

#[test]
fn the_clock_is_real_unless_asked_for() {
    let probe = "import time; print(time.monotonic() == 0.0, time.time() == 1735689600.0)";
    let real = toy(&["-c", probe], &[]);
    assert_eq!(text(&real.stdout), "False False\n");
    let off = toy(&["-c", probe], &[("TOY_VIRTUAL_CLOCK", "0")]);
    assert_eq!(text(&off.stdout), "False False\n");
    let on = toy(&["--virtual-clock", "-c", probe], &[]);
    assert_eq!(text(&on.stdout), "True True\n");
}

#[test]
fn compare_passes_the_virtual_clock_on() {
    let dir = std::env::temp_dir().join(format!("toy-clock-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("sleepy.toy");
    std::fs::write(&script, SLEEPY).unwrap();
    let out = toy(
        &["--virtual-clock", "compare", script.to_str().unwrap()],
        &[],
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(0));
    let report = text(&out.stdout);
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("  main 600.0") && l.ends_with("| main 600.0")),
        "{report}"
    );
}
