//! The thread options of the command line: `--gil-stats`, `toy compare`, `--no-gil` and
//! `TOY_GIL`, `--check-interval`, `--seed`, `--virtual-clock` and `TOY_VIRTUAL_CLOCK`, and
//! `--racy-refcount`. Outputs that contain real timings are checked for their shape and their
//! deterministic parts; the racy-refcount runs, which race for real, for the properties every
//! outcome must have.

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
    // Every switch ends with the GIL granted to a thread that then runs (the last worker's
    // exit wakes the main thread from its join), and each grant's hand-off is timed.
    let switch_total: u64 = switches
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<u64>().ok())
        .sum();
    let handoffs = err
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("hand-offs: "))
        .expect("a hand-offs line");
    assert!(
        handoffs.starts_with(&format!("{switch_total} grants, ")),
        "{handoffs} (switches: {switches})"
    );
    assert!(
        handoffs.contains(" ms from grant to running (mean "),
        "{handoffs}"
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
        "hand-offs: ",
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

// ---------------------------------------------------------------------------------------------
// --racy-refcount

const REFCOUNT_RACE: &str = "examples/refcount_race.toy";

#[test]
fn racy_refcount_needs_the_gil_off() {
    let out = toy(&["--racy-refcount", "-c", "pass"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--racy-refcount needs --no-gil"), "{err}");
    for (args, env) in [
        (vec!["--no-gil", "--racy-refcount", "-c", "pass"], vec![]),
        (
            vec!["--racy-refcount", "-c", "pass"],
            vec![("TOY_GIL", "0")],
        ),
    ] {
        let out = toy(&args, &env);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let help = text(&toy(&["--help"], &[]).stdout);
    assert!(help.contains("--racy-refcount"), "{help}");
}

#[test]
fn racy_refcount_with_one_thread_loses_nothing() {
    let program = "class C:\n    pass\nxs = [C() for _ in range(1000)]\nys = xs[::-1]\ndel xs\nprint(len(ys))";
    let out = toy(&["--no-gil", "--racy-refcount", "-c", program], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "1000\n");
    assert_eq!(
        text(&out.stderr),
        "toy: racy refcount: no reference-count update was lost\n  \
         every reference count that was settled came out right\n"
    );
}

/// How a racy run of the refcount example ended.
enum RaceOutcome {
    /// It stopped at an invalid memory access.
    Crash,
    /// It ran to the end and reported leaked or freed-but-untouched objects.
    Damage,
    /// It ran to the end and every count came out right (the lost updates cancelled out, or
    /// the threads never overlapped).
    Unharmed,
}

/// Run the example once under --racy-refcount and check what any outcome must look like.
fn race_once() -> RaceOutcome {
    let out = toy(&["--no-gil", "--racy-refcount", REFCOUNT_RACE], &[]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stderr.contains("internal error"), "{stderr}");
    match out.status.code() {
        Some(139) => {
            let lines: Vec<&str> = stderr.lines().collect();
            let [first, object, access, freed, traceback, ..] = lines[..] else {
                panic!("short crash report:\n{stderr}");
            };
            // Usually the shared Account, touched by A, B or the main thread; but any
            // object two threads share can be hit (a Thread object, rarely).
            assert!(
                first.starts_with("toy: invalid memory access: thread \"")
                    && first.ends_with("\" touched a freed object"),
                "{stderr}"
            );
            assert!(
                object.starts_with("  object: <") && object.contains(" object at 0x"),
                "{stderr}"
            );
            assert!(access.starts_with("  access: "), "{stderr}");
            assert!(
                freed.starts_with("  freed:  when its reference count"),
                "{stderr}"
            );
            assert!(freed.contains("reached 0 while"), "{stderr}");
            assert_eq!(traceback, "Traceback (most recent call last):");
            assert!(
                stderr.contains("  File \""),
                "the report shows where the object was touched:\n{stderr}"
            );
            assert!(
                stderr.contains("reference-count updates were lost"),
                "{stderr}"
            );
            RaceOutcome::Crash
        }
        Some(0) => {
            assert_eq!(
                stdout,
                "threads A and B read the shared balance 50000 and 50000 times\na.balance = 100\n"
            );
            assert!(stderr.starts_with("toy: racy refcount: "), "{stderr}");
            if stderr.contains("  leak: ") {
                assert!(stderr.contains(", leftover count "), "{stderr}");
                RaceOutcome::Damage
            } else if stderr.contains("  use after free: ") || stderr.contains("  double free: ") {
                RaceOutcome::Damage
            } else {
                RaceOutcome::Unharmed
            }
        }
        other => panic!("unexpected exit status {other:?}:\n{stdout}\n{stderr}"),
    }
}

#[test]
fn racy_refcount_example_frees_in_use_or_leaks() {
    // The race is real, so a single run proves nothing: run until it shows (on two idle
    // cores, the first run nearly always crashes; on one busy core, it can take a few).
    let mut crashes = 0;
    let mut damaged = 0;
    for _ in 0..40 {
        match race_once() {
            RaceOutcome::Crash => crashes += 1,
            RaceOutcome::Damage => damaged += 1,
            RaceOutcome::Unharmed => {}
        }
        if crashes > 0 {
            break;
        }
    }
    assert!(
        crashes + damaged > 0,
        "40 racy runs, and no reference count ever went wrong"
    );
}

#[test]
fn racy_refcount_example_is_clean_with_the_gil() {
    let out = toy(&[REFCOUNT_RACE], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn compare_runs_the_no_gil_side_with_racy_refcount() {
    let out = toy(
        &["--no-gil", "--racy-refcount", "compare", REFCOUNT_RACE],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = text(&out.stdout);
    assert!(!report.contains("stderr with the GIL:"), "{report}");
    let (_, racy) = report
        .split_once("stderr without the GIL:")
        .expect("the racy run reports on stderr");
    assert!(racy.contains("toy: racy refcount"), "{report}");
}

/// A deadlock ends the program with its report, but what it wrote to its files is flushed.
#[test]
fn deadlock_exit_flushes_open_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    let program = format!(
        "import threading\nf = open({:?}, 'w')\nf.write('written before the deadlock')\n\
         lock = threading.Lock()\nlock.acquire()\nlock.acquire()\n",
        path.to_str().unwrap()
    );
    let o = toy(&["-c", &program], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("deadlock"), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "written before the deadlock"
    );
}
