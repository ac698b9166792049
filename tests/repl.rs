//! The REPL: `toy -i` driven through piped standard input (exact transcripts), and plain
//! `toy` on a real pseudo-terminal (rustyline editing, Ctrl-C, Ctrl-D, history file).

use std::io::{Read, Write};
use std::process::{Command, Stdio};

const TOY: &str = env!("CARGO_BIN_EXE_toy");

/// What a piped session printed.
struct Transcript {
    stdout: String,
    stderr: String,
    code: i32,
}

fn spawn_piped(
    args: &[&str],
    home: &std::path::Path,
    stdout: Stdio,
    stderr: Stdio,
) -> std::process::Child {
    Command::new(TOY)
        .args(args)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("spawn toy")
}

fn feed(child: &mut std::process::Child, input: &str) -> std::thread::JoinHandle<()> {
    let mut pipe = child.stdin.take().unwrap();
    let input = input.to_string();
    std::thread::spawn(move || {
        pipe.write_all(input.as_bytes()).ok();
    })
}

/// Run `toy ARGS` with `input` piped in, stdout and stderr kept apart.
fn session(args: &[&str], input: &str) -> Transcript {
    let home = tempfile::tempdir().unwrap();
    let mut child = spawn_piped(args, home.path(), Stdio::piped(), Stdio::piped());
    let writer = feed(&mut child, input);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    // A piped session is no terminal session: it must not touch the history file.
    assert!(
        !home.path().join(".toy_history").exists(),
        "piped input must not write history"
    );
    Transcript {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().expect("killed by a signal"),
    }
}

/// Run `toy ARGS` with `input` piped in and stdout and stderr on one pipe, as a terminal
/// would show them: the order of prompts, output and tracebacks is part of the result.
fn merged_session(args: &[&str], input: &str) -> (String, i32) {
    let home = tempfile::tempdir().unwrap();
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut child = spawn_piped(
        args,
        home.path(),
        writer.try_clone().unwrap().into(),
        writer.into(),
    );
    let feeder = feed(&mut child, input);
    let mut text = String::new();
    // All write ends are now the child's: this reads until it exits.
    reader.read_to_string(&mut text).unwrap();
    let status = child.wait().unwrap();
    feeder.join().unwrap();
    (text, status.code().expect("killed by a signal"))
}

const BANNER_PREFIX: &str = "Toy ";

#[test]
fn prompts_echo_and_blocks() {
    let input = "\
1 + 2
x = 5
None
print('hi')
def f(a):
    b = a * x
    return b

f(2)
(1,
 2)
[x,

 x + 1]
y = 1 + \\
  2
y
'te' + 'xt'
x
";
    let t = session(&["-i"], input);
    let expected = "\
>>> 3
>>> >>> >>> hi
>>> ... ... ... >>> 10
>>> ... (1, 2)
>>> ... ... [5, 6]
>>> ... >>> 3
>>> 'text'
>>> 5
>>> \n";
    assert_eq!(t.stdout, expected, "stderr: {}", t.stderr);
    assert!(
        t.stderr.starts_with(BANNER_PREFIX),
        "the banner goes to stderr: {:?}",
        t.stderr
    );
    assert_eq!(t.stderr.lines().count(), 1, "{}", t.stderr);
    assert_eq!(t.code, 0);
}

#[test]
fn string_literal_entry_is_echoed() {
    let t = session(&["-i"], "'text'\n__doc__\n");
    assert_eq!(t.stdout, ">>> 'text'\n>>> >>> \n", "stderr: {}", t.stderr);
}

#[test]
fn error_then_the_session_goes_on() {
    let input = "\
x = 1
x / 0
x + 1
def g():
    return undefined_name

g()
x
";
    let (text, code) = merged_session(&["-i"], input);
    let body = text.split_once('\n').map(|(banner, rest)| {
        assert!(banner.starts_with(BANNER_PREFIX), "{banner}");
        rest
    });
    let expected = "\
>>> >>> Traceback (most recent call last):
  File \"<stdin>\", line 1, in <module>
    x / 0
ZeroDivisionError: division by zero
>>> 2
>>> ... ... >>> Traceback (most recent call last):
  File \"<stdin>\", line 1, in <module>
    g()
  File \"<stdin>\", line 2, in g
    return undefined_name
NameError: name 'undefined_name' is not defined
>>> 1
>>> \n";
    assert_eq!(body, Some(expected), "{text}");
    assert_eq!(code, 0);
}

#[test]
fn syntax_error_does_not_end_the_session() {
    let input = "\
x = = 1
print('still here')
def h(:
h = 3
(1 +
 )
h
";
    let t = session(&["-i"], input);
    assert_eq!(
        t.stdout, ">>> >>> still here\n>>> >>> >>> ... >>> 3\n>>> \n",
        "stderr: {}",
        t.stderr
    );
    assert_eq!(t.stderr.matches("SyntaxError").count(), 3, "{}", t.stderr);
    assert!(t.stderr.contains("x = = 1"), "{}", t.stderr);
    assert!(t.stderr.contains("<stdin>"), "{}", t.stderr);
    assert_eq!(t.code, 0);
}

#[test]
fn blank_line_ends_an_empty_block_with_an_error() {
    // As in Python: the blank line ends the entry and the missing body is reported.
    let t = session(&["-i"], "def f():\n\n1\n");
    assert_eq!(t.stdout, ">>> ... >>> 1\n>>> \n", "stderr: {}", t.stderr);
    assert!(t.stderr.contains("IndentationError"), "{}", t.stderr);
}

#[test]
fn blank_lines_between_entries_are_ignored() {
    let t = session(&["-i"], "\n\n1\n\n   \n2\n");
    assert_eq!(t.stdout, ">>> >>> >>> 1\n>>> >>> >>> 2\n>>> \n");
}

#[test]
fn state_persists_across_entries_and_classes() {
    let input = "\
class Counter:
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return self.n

c = Counter()
c.bump()
c.bump()
items = []
for i in range(3):
    items.append(i * i)

items
";
    let t = session(&["-i"], input);
    assert_eq!(
        t.stdout,
        ">>> ... ... ... ... ... ... >>> >>> 1\n>>> 2\n>>> >>> ... ... >>> [0, 1, 4]\n>>> \n",
        "stderr: {}",
        t.stderr
    );
}

#[test]
fn system_exit_ends_the_session_with_its_code() {
    let t = session(&["-i"], "print('a')\nraise SystemExit(4)\nprint('never')\n");
    assert_eq!(t.stdout, ">>> a\n>>> ");
    assert_eq!(t.code, 4);
}

#[test]
fn end_of_input_inside_a_block_exits_cleanly() {
    let t = session(&["-i"], "def f():\n    return 1\n");
    assert_eq!(t.stdout, ">>> ... ... \n");
    assert_eq!(t.code, 0);
}

#[test]
fn dash_i_after_a_script_uses_its_namespace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lib.toy"),
        "def double(n):\n    return 2 * n\nbase = 21\n",
    )
    .unwrap();
    let script = dir.path().join("lib.toy");
    let t = session(&["-i", script.to_str().unwrap()], "double(base)\n");
    assert_eq!(t.stdout, ">>> 42\n>>> \n", "stderr: {}", t.stderr);
    assert_eq!(t.stderr, "", "no banner after a script, as in Python");
    assert_eq!(t.code, 0);
}

#[test]
fn dash_i_after_a_failing_command_still_enters_the_repl() {
    let t = session(&["-i", "-c", "x = 7\n1 / 0"], "x\n");
    assert_eq!(t.stdout, ">>> 7\n>>> \n");
    assert!(t.stderr.contains("ZeroDivisionError"), "{}", t.stderr);
    assert_eq!(t.code, 0);
}

#[test]
fn dash_i_after_system_exit_still_enters_the_repl() {
    let t = session(&["-i", "-c", "y = 3\nraise SystemExit(5)"], "y\n");
    assert_eq!(t.stdout, ">>> 3\n>>> \n");
    assert!(t.stderr.contains("SystemExit"), "{}", t.stderr);
    assert_eq!(t.code, 0);
}

#[test]
fn input_reads_the_next_line_of_the_session() {
    let t = session(&["-i"], "name = input('who? ')\nworld\nname\n");
    assert_eq!(
        t.stdout, ">>> who? >>> 'world'\n>>> \n",
        "stderr: {}",
        t.stderr
    );
}

/// Plain `toy` on a pseudo-terminal: rustyline edits the lines.
#[cfg(unix)]
mod pty {
    use std::process::Command;
    use std::time::Duration;

    use expectrl::process::unix::WaitStatus;
    use expectrl::{ControlCode, Eof, Expect, Session};

    use super::TOY;

    #[test]
    fn terminal_session() {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(TOY);
        cmd.env("HOME", home.path())
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut p = Session::spawn(cmd).expect("spawn toy on a pty");
        // Generous: only a failing test ever waits this long.
        p.set_expect_timeout(Some(Duration::from_secs(20)));

        // Every key is sent only once the prompt is up, so rustyline is in raw mode and
        // reads it, never the terminal's cooked line discipline.
        p.expect("Toy ").unwrap();
        p.expect(">>> ").unwrap();
        p.send("1 + 2\r").unwrap();
        p.expect("3\r\n").unwrap();
        p.expect(">>> ").unwrap();

        // A multi-line def: `... ` prompts, a blank line ends it.
        p.send("def twice(n):\r").unwrap();
        p.expect("... ").unwrap();
        p.send("    return n * 2\r").unwrap();
        p.expect("... ").unwrap();
        p.send("\r").unwrap();
        p.expect(">>> ").unwrap();
        p.send("twice(21)\r").unwrap();
        p.expect("42\r\n").unwrap();
        p.expect(">>> ").unwrap();

        // An error prints its traceback and the session goes on.
        p.send("nope\r").unwrap();
        p.expect("NameError: name 'nope' is not defined").unwrap();
        p.expect(">>> ").unwrap();

        // Ctrl-C abandons a half-typed block: `half` is never defined.
        p.send("def half():\r").unwrap();
        p.expect("... ").unwrap();
        p.send("    return 0.5").unwrap();
        p.send(ControlCode::EndOfText).unwrap();
        p.expect("KeyboardInterrupt").unwrap();
        p.expect(">>> ").unwrap();
        p.send("'half' in globals()\r").unwrap();
        p.expect("False\r\n").unwrap();
        p.expect(">>> ").unwrap();
        p.send("twice(5)\r").unwrap();
        p.expect("10\r\n").unwrap();
        p.expect(">>> ").unwrap();

        // Ctrl-D on an empty line exits with status 0.
        p.send(ControlCode::EndOfTransmission).unwrap();
        p.expect(Eof).unwrap();
        match p.get_process().wait().unwrap() {
            WaitStatus::Exited(_, code) => assert_eq!(code, 0),
            other => panic!("toy did not exit normally: {other:?}"),
        }

        // The history file is written, with the whole multi-line entry as one item.
        let history = std::fs::read_to_string(home.path().join(".toy_history"))
            .expect("history file written");
        assert!(history.lines().any(|l| l == "1 + 2"), "{history}");
        assert!(history.contains("def twice(n):"), "{history}");
        assert!(history.contains("twice(5)"), "{history}");
        assert!(
            !history.contains("return 0.5"),
            "an abandoned entry is not history: {history}"
        );
    }
}
