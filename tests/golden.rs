//! Golden-file tests: every `*.toy` program under `tests/programs/` and `examples/` is run by
//! the built `toy` binary and what it prints is compared with the files beside it.
//!
//! For `dir/name.toy`:
//!
//! | file         | meaning                                                                  |
//! |--------------|--------------------------------------------------------------------------|
//! | `name.out`   | expected stdout, exact (required)                                        |
//! | `name.err`   | expected stderr, exact but for object addresses (`at 0x...`, which     |
//! |              | change from run to run); without it stderr must be empty                 |
//! | `name.code`  | expected exit code; without it 1 if `name.err` exists, else 0            |
//! | `name.args`  | extra toy arguments, whitespace-separated, put before the file name      |
//! | `name.in`    | stdin; without it stdin is empty                                         |
//!
//! The program runs with its own directory as working directory and `name.toy` as argument,
//! with `TOY_TEST=1` in the environment, and is killed after 60 s (`TOY_TEST_TIMEOUT=secs`
//! changes that). A program may create files next to itself: its toy trial and its python3
//! trial never run at the same time.
//!
//! Toy runs every program on the virtual clock (`TOY_VIRTUAL_CLOCK=1`): sleeps and timeouts
//! take no real time and the times a program prints are exact, so a test may sleep for
//! minutes. A program that measures real time (how fast the interpreter runs) opts out with a
//! `# toy-clock: real` line. (CPython, in the oracle trials, runs in real time: a program it
//! also runs must print only what does not depend on the clock being virtual.)
//!
//! A second family of trials, `python3-oracle::<path>`, runs `python3` on every program that
//! has no `# toy-only` line, and checks that CPython prints the same stdout, the same last line
//! of stderr (the exception line) and exits with the same code: the expected files must really
//! be CPython's.
//!
//! `TOY_BLESS=1 cargo test --release --test golden [FILTER]` rewrites `.out`/`.err`/`.code` of
//! the toy-only programs from toy's actual output. Programs that also run under python3 take
//! their expected output from CPython instead: see `tests/bless-from-python.sh`.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};

/// Folders (relative to the repository root) searched recursively for `*.toy` programs.
const PROGRAM_DIRS: &[&str] = &["tests/programs", "examples"];

/// A program that must not be checked against CPython carries this line.
const TOY_ONLY_MARKER: &str = "# toy-only";

/// How long a program may run before it is killed, unless `TOY_TEST_TIMEOUT` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// At most this many diff lines are shown for one mismatching stream.
const MAX_DIFF_LINES: usize = 200;

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("TOY_BLESS").is_some_and(|v| !v.is_empty() && v != "0");

    let mut trials = Vec::new();
    for program in find_programs(root) {
        let rel = relative_name(root, &program);
        let toy_only = is_toy_only(&program);
        let mode = match (bless, toy_only) {
            (false, _) => Mode::Compare,
            (true, true) => Mode::Bless,
            (true, false) => Mode::BlessRefused,
        };
        // The two trials of one program share its working directory and the files it writes
        // there, so they take turns.
        let program_turn = Arc::new(Mutex::new(()));
        let toy_program = program.clone();
        let toy_turn = Arc::clone(&program_turn);
        trials.push(Trial::test(rel.clone(), move || {
            let _turn = toy_turn
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            run_toy_trial(&toy_program, mode)
        }));
        if !toy_only {
            trials.push(Trial::test(format!("python3-oracle::{rel}"), move || {
                let _turn = program_turn
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                run_oracle_trial(&program)
            }));
        }
    }

    libtest_mimic::run(&args, trials).exit();
}

// ---------------------------------------------------------------------------------------------
// Finding programs

/// Every `*.toy` file under the program folders, sorted so that the trial order is stable.
fn find_programs(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in PROGRAM_DIRS {
        collect_toy_files(&root.join(dir), &mut found);
    }
    found.sort();
    found
}

fn collect_toy_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return; // a folder that does not exist (yet) holds no programs
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_toy_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "toy") {
            found.push(path);
        }
    }
}

/// The trial name: the path relative to the repository root, with `/` separators.
fn relative_name(root: &Path, program: &Path) -> String {
    let rel = program.strip_prefix(root).unwrap_or(program);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the program has a `# toy-only` line (optionally followed by a reason).
fn is_toy_only(program: &Path) -> bool {
    fs::read_to_string(program)
        .map(|src| src.lines().any(|l| l.trim().starts_with(TOY_ONLY_MARKER)))
        .unwrap_or(false)
}

/// A program that measures real time carries this line: toy runs it on the real clock rather
/// than the virtual one.
const REAL_CLOCK_MARKER: &str = "# toy-clock: real";

fn wants_real_clock(program: &Path) -> bool {
    fs::read_to_string(program)
        .map(|src| src.lines().any(|l| l.trim() == REAL_CLOCK_MARKER))
        .unwrap_or(false)
}

/// A program whose output depends on timing (how much faster two threads ran, say) carries
/// this line; its `.out` lines are patterns in which `{}` matches any text, so the test checks
/// the shape and the deterministic parts of the output, not the measured numbers.
const PATTERN_MARKER: &str = "# toy-output: pattern";

fn has_pattern_output(program: &Path) -> bool {
    fs::read_to_string(program)
        .map(|src| src.lines().any(|l| l.trim() == PATTERN_MARKER))
        .unwrap_or(false)
}

/// Line by line: each expected line, split at `{}`, must match the actual line with any text
/// in place of each `{}`.
fn matches_pattern(expected: &str, actual: &str) -> bool {
    let (want, got): (Vec<&str>, Vec<&str>) =
        (expected.lines().collect(), actual.lines().collect());
    want.len() == got.len()
        && want.iter().zip(&got).all(|(pattern, line)| {
            let parts: Vec<&str> = pattern.split("{}").collect();
            let mut rest = *line;
            for (i, part) in parts.iter().enumerate() {
                if i == 0 {
                    match rest.strip_prefix(part) {
                        Some(r) => rest = r,
                        None => return false,
                    }
                } else if i == parts.len() - 1 {
                    return rest.ends_with(part);
                } else {
                    match rest.find(part) {
                        Some(at) => rest = &rest[at + part.len()..],
                        None => return false,
                    }
                }
            }
            rest.is_empty()
        })
}

// ---------------------------------------------------------------------------------------------
// What a program is expected to do

/// The files that sit beside `dir/name.toy`.
struct Sidecars {
    dir: PathBuf,
    file_name: String,
    out: PathBuf,
    err: PathBuf,
    code: PathBuf,
    args: PathBuf,
    stdin: PathBuf,
}

impl Sidecars {
    fn new(program: &Path) -> Sidecars {
        let dir = program.parent().expect("program has a parent folder");
        Sidecars {
            dir: dir.to_path_buf(),
            file_name: program.file_name().unwrap().to_string_lossy().into_owned(),
            out: program.with_extension("out"),
            err: program.with_extension("err"),
            code: program.with_extension("code"),
            args: program.with_extension("args"),
            stdin: program.with_extension("in"),
        }
    }

    fn extra_args(&self) -> Result<Vec<String>, Failed> {
        Ok(read_optional(&self.args)?
            .map(|text| text.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default())
    }

    fn stdin_bytes(&self) -> Result<Vec<u8>, Failed> {
        match fs::read(&self.stdin) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(format!("cannot read {}: {e}", self.stdin.display()).into()),
        }
    }

    fn expected_out(&self) -> Result<String, Failed> {
        read_optional(&self.out)?.ok_or_else(|| {
            format!(
                "missing expected output {}\n(write it by hand, with tests/bless-from-python.sh, \
                 or for a `# toy-only` program with TOY_BLESS=1)",
                self.out.display()
            )
            .into()
        })
    }

    fn expected_err(&self) -> Result<Option<String>, Failed> {
        read_optional(&self.err)
    }

    fn expected_code(&self, has_err: bool) -> Result<i32, Failed> {
        match read_optional(&self.code)? {
            Some(text) => text.trim().parse().map_err(|e| {
                format!(
                    "{}: not an integer exit code ({e}): {text:?}",
                    self.code.display()
                )
                .into()
            }),
            None => Ok(if has_err { 1 } else { 0 }),
        }
    }
}

/// The file's contents, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Failed> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display()).into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The two kinds of trial

/// What a toy trial does with toy's output.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Compare it with the expected files.
    Compare,
    /// `TOY_BLESS=1` on a toy-only program: overwrite the expected files with it.
    Bless,
    /// `TOY_BLESS=1` on a program that CPython also runs: its expected output must come from
    /// CPython, so compare as usual.
    BlessRefused,
}

fn run_toy_trial(program: &Path, mode: Mode) -> Result<(), Failed> {
    let side = Sidecars::new(program);
    let mut args = side.extra_args()?;
    args.push(side.file_name.clone());
    let virtual_clock = if wants_real_clock(program) { "0" } else { "1" };
    let run = run_program(
        Path::new(env!("CARGO_BIN_EXE_toy")),
        &args,
        &side.dir,
        &side.stdin_bytes()?,
        &[("TOY_VIRTUAL_CLOCK", virtual_clock)],
    )?;

    if mode == Mode::Bless {
        return bless_outputs(&side, &run);
    }

    let expected_out = side.expected_out()?;
    let expected_err = side.expected_err()?;
    let expected_code = side.expected_code(expected_err.is_some())?;

    let mut report = String::new();
    let stdout_ok = if has_pattern_output(&side.dir.join(&side.file_name)) {
        matches_pattern(&expected_out, &run.stdout)
    } else {
        run.stdout == expected_out
    };
    if !stdout_ok {
        report += &describe_mismatch("stdout", &side.out, &expected_out, &run.stdout);
    }
    match &expected_err {
        Some(expected) if mask_addresses(&run.stderr) != mask_addresses(expected) => {
            report += &describe_mismatch("stderr", &side.err, expected, &run.stderr);
        }
        None if !run.stderr.is_empty() => {
            report += &format!(
                "stderr should be empty (there is no {}), but toy wrote:\n{}\n",
                side.err.display(),
                indent(&run.stderr)
            );
        }
        _ => {}
    }
    if run.code != Some(expected_code) {
        report += &format!(
            "exit code: expected {expected_code}, got {}\n",
            describe_status(run.status)
        );
    }
    if !report.is_empty() && mode == Mode::BlessRefused {
        report += "\nTOY_BLESS did not rewrite this program's files: it has no `# toy-only` line, \
                   so its expected output is CPython's (see tests/bless-from-python.sh).\n";
    }
    finish(report)
}

fn run_oracle_trial(program: &Path) -> Result<(), Failed> {
    let side = Sidecars::new(program);
    let python = find_on_path("python3").ok_or(
        "python3 is not on PATH: the python3-oracle trials check the expected outputs against \
         CPython 3.11; install python3 (CI does) or skip them with `--skip python3-oracle`",
    )?;
    let run = run_program(
        &python,
        std::slice::from_ref(&side.file_name),
        &side.dir,
        &side.stdin_bytes()?,
        &[],
    )?;

    let expected_out = side.expected_out()?;
    let expected_err = side.expected_err()?;
    let expected_code = side.expected_code(expected_err.is_some())?;

    let mut report = String::new();
    if run.stdout != expected_out {
        report += &describe_mismatch("python3 stdout", &side.out, &expected_out, &run.stdout);
    }
    match &expected_err {
        Some(expected) => {
            let want = last_line(expected);
            let got = last_line(&run.stderr);
            if want != got {
                report += &format!(
                    "last line of stderr differs from {}:\n  expected: {want:?}\n  python3:  {got:?}\n\
                     python3's full stderr:\n{}\n",
                    side.err.display(),
                    indent(&run.stderr)
                );
            }
        }
        None if !run.stderr.is_empty() => {
            report += &format!(
                "there is no {}, but python3 wrote to stderr:\n{}\n",
                side.err.display(),
                indent(&run.stderr)
            );
        }
        None => {}
    }
    if run.code != Some(expected_code) {
        report += &format!(
            "exit code: expected {expected_code}, python3 exited with {}\n",
            describe_status(run.status)
        );
    }
    if !report.is_empty() {
        report += "\nThe expected files must be what CPython prints. If this program is \
                   deliberately not Python, add a `# toy-only` line to it.\n";
    }
    finish(report)
}

fn finish(report: String) -> Result<(), Failed> {
    if report.is_empty() {
        Ok(())
    } else {
        Err(report.into())
    }
}

/// Rewrites the expected files from what toy actually did.
fn bless_outputs(side: &Sidecars, run: &RunResult) -> Result<(), Failed> {
    let code = run
        .code
        .ok_or_else(|| format!("cannot bless: toy was {}", describe_status(run.status)))?;
    write_file(&side.out, &run.stdout)?;
    let has_err = !run.stderr.is_empty();
    if has_err {
        write_file(&side.err, &run.stderr)?;
    } else {
        remove_if_exists(&side.err)?;
    }
    let default_code = if has_err { 1 } else { 0 };
    if code == default_code {
        remove_if_exists(&side.code)?;
    } else {
        write_file(&side.code, &format!("{code}\n"))?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), Failed> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

fn remove_if_exists(path: &Path) -> Result<(), Failed> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display()).into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Running a program with a timeout

struct RunResult {
    stdout: String,
    stderr: String,
    status: ExitStatus,
    /// The exit code; `None` when the process was killed by a signal.
    code: Option<i32>,
}

fn timeout() -> Duration {
    std::env::var("TOY_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|secs| *secs > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_TIMEOUT)
}

fn run_program(
    exe: &Path,
    args: &[String],
    cwd: &Path,
    stdin: &[u8],
    env: &[(&str, &str)],
) -> Result<RunResult, Failed> {
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .env("TOY_TEST", "1")
        // Keep CPython's output comparable: UTF-8 always, no __pycache__ next to the programs.
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;

    // Feed stdin and drain stdout/stderr on their own threads so that no pipe can fill up
    // and block the child while we wait for it.
    let mut child_stdin = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = thread::spawn(move || {
        // A program that exits without reading all its input closes the pipe: not an error.
        let _ = child_stdin.write_all(&input);
    });
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());

    let limit = timeout();
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "timed out: killed {} after {:.0} s (cwd {}, args {args:?})",
                    exe.display(),
                    limit.as_secs_f64(),
                    cwd.display()
                )
                .into());
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {}: {e}", exe.display()).into()),
        }
    };
    let _ = writer.join();
    let stdout = stdout.join().expect("stdout reader thread panicked");
    let stderr = stderr.join().expect("stderr reader thread panicked");
    Ok(RunResult {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        code: status.code(),
        status,
    })
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return code.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

// ---------------------------------------------------------------------------------------------
// Reporting differences

/// `text` with every object address (` at 0x` and hex digits, as in `<function f at
/// 0x7f3a...>`) replaced by ` at 0x?`: addresses differ from run to run.
fn mask_addresses(text: &str) -> String {
    const MARK: &str = " at 0x";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        out.push_str(" at 0x?");
        rest = rest[at + MARK.len()..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
}

fn indent(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}

fn describe_mismatch(what: &str, file: &Path, expected: &str, actual: &str) -> String {
    format!(
        "{what} differs from {} (--- expected, +++ actual):\n{}\n",
        file.display(),
        unified_diff(expected, actual)
    )
}

/// One line of a line-by-line diff.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Edit {
    Same(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// A unified diff (3 lines of context) between two texts, compared line by line with their
/// newlines, so that a missing final newline shows up too.
fn unified_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let edits = diff_lines(&a, &b);

    const CONTEXT: usize = 3;
    let mut out = String::from("--- expected\n+++ actual\n");
    let mut shown = 0;
    let changed: Vec<usize> = (0..edits.len())
        .filter(|&i| !matches!(edits[i], Edit::Same(..)))
        .collect();
    let mut k = 0;
    while k < changed.len() {
        // Group changes closer than 2*CONTEXT lines into one hunk.
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k];
        while k + 1 < changed.len() && changed[k + 1] <= end + 2 * CONTEXT + 1 {
            k += 1;
            end = changed[k];
        }
        let end = (end + CONTEXT + 1).min(edits.len());
        k += 1;

        let (a_start, b_start) = position_at(&edits, start);
        let a_len = edits[start..end]
            .iter()
            .filter(|e| !matches!(e, Edit::Insert(_)))
            .count();
        let b_len = edits[start..end]
            .iter()
            .filter(|e| !matches!(e, Edit::Delete(_)))
            .count();
        let _ = writeln!(
            out,
            "@@ -{},{a_len} +{},{b_len} @@",
            a_start + usize::from(a_len > 0),
            b_start + usize::from(b_len > 0)
        );
        for edit in &edits[start..end] {
            if shown >= MAX_DIFF_LINES {
                out += "... (diff truncated)\n";
                return out;
            }
            let (sign, line) = match *edit {
                Edit::Same(i, _) => (' ', a[i]),
                Edit::Delete(i) => ('-', a[i]),
                Edit::Insert(j) => ('+', b[j]),
            };
            out.push(sign);
            out += line;
            if !line.ends_with('\n') {
                out += "\n\\ No newline at end of file\n";
            }
            shown += 1;
        }
    }
    out
}

/// How many lines of `a` and of `b` come before edit number `index`.
fn position_at(edits: &[Edit], index: usize) -> (usize, usize) {
    edits[..index].iter().fold((0, 0), |(i, j), e| match e {
        Edit::Same(..) => (i + 1, j + 1),
        Edit::Delete(_) => (i + 1, j),
        Edit::Insert(_) => (i, j + 1),
    })
}

/// A shortest edit script from `a` to `b`: common prefix and suffix are matched first, the
/// middle by a longest-common-subsequence table (or, when that would be too large, by
/// deleting all of one side and inserting all of the other).
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut edits: Vec<Edit> = (0..prefix).map(|i| Edit::Same(i, i)).collect();
    let (n, m) = (a_mid.len(), b_mid.len());
    if n.saturating_mul(m) > 4_000_000 {
        edits.extend((0..n).map(|i| Edit::Delete(prefix + i)));
        edits.extend((0..m).map(|j| Edit::Insert(prefix + j)));
    } else {
        // lcs[i][j] = length of the LCS of a_mid[i..] and b_mid[j..].
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a_mid[i] == b_mid[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a_mid[i] == b_mid[j] {
                edits.push(Edit::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                edits.push(Edit::Delete(prefix + i));
                i += 1;
            } else {
                edits.push(Edit::Insert(prefix + j));
                j += 1;
            }
        }
    }
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    edits.extend((0..suffix).map(|k| Edit::Same(a_end + k, b_end + k)));
    edits
}
