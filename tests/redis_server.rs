//! The Redis client tests: the programs in `tests/redis/` run against a real `redis-server`.
//!
//! The test starts `redis-server` on a free loopback port (no persistence, its files in a
//! temporary directory), waits until it answers PING, runs every `tests/redis/*.toy` with
//! the built `toy` binary and `REDIS_PORT=<port>` in the environment, and stops the server
//! when it is done, also when a program fails (the server is killed when its guard drops).
//! The programs run one after another: each starts with FLUSHDB on the same database.
//!
//! For `tests/redis/name.toy`: `name.out` is the expected stdout, exact; stderr must be
//! empty and the exit code 0. The expected outputs are not toy's own: every program is also
//! valid Python, and its `.out` is what CPython with the real redis-py (8.1) prints against
//! the same kind of server (`tests/redis/bless-from-redis-py.sh` regenerates them). The
//! programs print nothing that depends on the port or on timing luck.
//!
//! These programs are not golden tests: `tests/golden.rs` only looks in `tests/programs/`
//! and `examples/`, and without a server they could not pass there.
//!
//! Without `redis-server` on the PATH the test fails and says how to install it.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const TOY: &str = env!("CARGO_BIN_EXE_toy");

/// How long one program may run before it is killed.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(120);

/// How long the server may take to answer its first PING.
const SERVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `redis-server`, killed when this is dropped (so also when a test panics).
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

fn redis_server_installed() -> bool {
    Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}

fn start_server() -> Server {
    assert!(
        redis_server_installed(),
        "redis-server is not installed: the Redis client tests (tests/redis/*.toy) need a real \
         server. Install it with `apt-get install -y --no-install-recommends redis-server` \
         (Debian/Ubuntu; `.ci/run` does this), or put a `redis-server` on the PATH."
    );
    // A port that was free a moment ago; if another process takes it first, the server
    // fails to start and we try another.
    let mut last_error = String::new();
    for _attempt in 0..5 {
        let port = free_port();
        let dir = tempfile::tempdir().expect("a temporary directory for redis-server");
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start redis-server");
        let mut server = Server {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + SERVER_START_TIMEOUT;
        loop {
            if ping(port) {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut out = String::new();
                if let Some(mut s) = server.child.stdout.take() {
                    let _ = s.read_to_string(&mut out);
                }
                last_error = format!("redis-server exited with {status}:\n{out}");
                break;
            }
            if Instant::now() > deadline {
                last_error = format!("redis-server did not answer PING on port {port}");
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("could not start redis-server: {last_error}");
}

fn programs(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .expect("tests/redis exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toy"))
        .collect();
    found.sort();
    found
}

struct Outcome {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    timed_out: bool,
}

fn run_program(program: &Path, port: u16) -> Outcome {
    let mut child = Command::new(TOY)
        .arg(program.file_name().unwrap())
        .current_dir(program.parent().unwrap())
        .env("REDIS_PORT", port.to_string())
        .env_remove("TOY_VIRTUAL_CLOCK")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run toy");
    // Read both pipes on threads so a chatty program cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + PROGRAM_TIMEOUT;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() > deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    Outcome {
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned(),
        code: status.and_then(|s| s.code()),
        timed_out,
    }
}

/// The first lines where `expected` and `actual` differ, for the failure message.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i), a.get(i));
        if x != y {
            out.push_str(&format!(
                "  line {}:\n    expected: {}\n    actual:   {}\n",
                i + 1,
                x.map_or("<missing>".to_string(), |s| format!("{s:?}")),
                y.map_or("<missing>".to_string(), |s| format!("{s:?}")),
            ));
            shown += 1;
            if shown == 20 {
                out.push_str("  ...\n");
                break;
            }
        }
    }
    out
}

#[test]
fn redis_programs_against_a_real_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/redis");
    let programs = programs(&dir);
    assert!(!programs.is_empty(), "no programs in {}", dir.display());
    let server = start_server();
    let mut failures = Vec::new();
    for program in &programs {
        let name = program.file_name().unwrap().to_string_lossy().into_owned();
        let expected = fs::read_to_string(program.with_extension("out"))
            .unwrap_or_else(|_| panic!("{name} has no .out file beside it"));
        let outcome = run_program(program, server.port);
        let mut problems = String::new();
        if outcome.timed_out {
            problems.push_str(&format!("  killed after {} s\n", PROGRAM_TIMEOUT.as_secs()));
        }
        if outcome.stdout != expected {
            problems.push_str("  stdout differs:\n");
            problems.push_str(&diff(&expected, &outcome.stdout));
        }
        if !outcome.stderr.is_empty() {
            problems.push_str(&format!("  stderr is not empty:\n{}\n", outcome.stderr));
        }
        if outcome.code != Some(0) {
            problems.push_str(&format!("  exit code {:?}, expected 0\n", outcome.code));
        }
        if problems.is_empty() {
            eprintln!("ok   tests/redis/{name}");
        } else {
            eprintln!("FAIL tests/redis/{name}");
            failures.push(format!("tests/redis/{name}:\n{problems}"));
        }
    }
    drop(server);
    assert!(
        failures.is_empty(),
        "{} of {} Redis programs failed:\n{}",
        failures.len(),
        programs.len(),
        failures.join("\n")
    );
}
