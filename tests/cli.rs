//! The `toy` command line: ways to run a program, exit codes, diagnostics, `toy dis`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const TOY: &str = env!("CARGO_BIN_EXE_toy");

/// Run `toy` with `args` in `dir`, feeding `stdin` (empty when `None`).
fn toy_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(TOY)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn toy");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.unwrap_or("").to_string();
    let writer = std::thread::spawn(move || {
        // The program may exit before reading everything: a broken pipe is fine.
        pipe.write_all(input.as_bytes()).ok();
    });
    let out = child.wait_with_output().expect("wait for toy");
    writer.join().unwrap();
    out
}

fn toy(args: &[&str]) -> Output {
    toy_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("toy was killed by a signal")
}

/// A temporary directory holding `files`.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn dash_c_runs_a_string() {
    let o = toy(&["-c", "print(1 + 2)"]);
    assert_eq!(stdout(&o), "3\n");
    assert_eq!(stderr(&o), "");
    assert_eq!(code(&o), 0);
}

#[test]
fn dash_c_runs_several_statements() {
    let o = toy(&["-c", "x = 20\nfor i in range(2):\n    x += 1\nprint(x)"]);
    assert_eq!(stdout(&o), "22\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
}

#[test]
fn runs_a_script_file() {
    let dir = dir_with(&[(
        "hello.toy",
        "def greet(name):\n    return 'hello ' + name\n\nprint(greet('toy'))\n",
    )]);
    let o = toy_in(dir.path(), &["hello.toy"], None);
    assert_eq!(stdout(&o), "hello toy\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
    // By absolute path from elsewhere, too.
    let script = dir.path().join("hello.toy");
    let o = toy(&[path_str(&script)]);
    assert_eq!(stdout(&o), "hello toy\n");
    assert_eq!(code(&o), 0);
}

#[test]
fn script_sees_its_file_name() {
    let dir = dir_with(&[("me.toy", "print(__file__)\n")]);
    let o = toy_in(dir.path(), &["me.toy"], None);
    assert_eq!(stdout(&o), "me.toy\n", "stderr: {}", stderr(&o));
}

#[test]
fn piped_stdin_is_the_program() {
    // `toy < file`: standard input is not a terminal, so it is the program, not a REPL.
    let o = toy_in(Path::new("."), &[], Some("x = 6\nprint(x * 7)\n"));
    assert_eq!(stdout(&o), "42\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
    // No prompt, no echo of expression statements.
    let o = toy_in(Path::new("."), &[], Some("1 + 2\n"));
    assert_eq!(stdout(&o), "");
    assert_eq!(code(&o), 0);
}

#[test]
fn stdin_from_a_file() {
    let dir = dir_with(&[("prog.toy", "print('from a file')\n")]);
    let file = std::fs::File::open(dir.path().join("prog.toy")).unwrap();
    let o = Command::new(TOY).stdin(file).output().unwrap();
    assert_eq!(stdout(&o), "from a file\n");
    assert_eq!(code(&o), 0);
}

#[test]
fn dash_reads_the_program_from_stdin() {
    let o = toy_in(Path::new("."), &["-"], Some("print('dash')\n"));
    assert_eq!(stdout(&o), "dash\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
}

#[test]
fn stdin_exception_names_stdin() {
    let o = toy_in(Path::new("."), &["-"], Some("x = 1\nx.nope\n"));
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("File \"<stdin>\", line 2, in <module>"),
        "{err}"
    );
    assert!(err.contains("AttributeError"), "{err}");
}

/// Whether this build of toy has a `sys` module at all.
fn has_sys() -> bool {
    code(&toy(&["-c", "import sys"])) == 0
}

#[test]
fn sys_argv_is_passed() {
    if !has_sys() {
        eprintln!("skipped: toy has no `sys` module yet");
        return;
    }
    let o = toy(&["-c", "import sys; print(sys.argv)", "a", "-b"]);
    assert_eq!(stdout(&o), "['-c', 'a', '-b']\n", "stderr: {}", stderr(&o));
    let dir = dir_with(&[("args.toy", "import sys\nprint(sys.argv)\n")]);
    let o = toy_in(dir.path(), &["args.toy", "1", "--two"], None);
    assert_eq!(
        stdout(&o),
        "['args.toy', '1', '--two']\n",
        "stderr: {}",
        stderr(&o)
    );
    let o = toy_in(
        dir.path(),
        &["-", "x"],
        Some("import sys\nprint(sys.argv)\n"),
    );
    assert_eq!(stdout(&o), "['-', 'x']\n", "stderr: {}", stderr(&o));
}

#[test]
fn flags_after_the_script_belong_to_the_script() {
    // They must not be taken as toy's own options.
    let dir = dir_with(&[("ok.toy", "print('ran')\n")]);
    let o = toy_in(dir.path(), &["ok.toy", "--help", "-c", "x"], None);
    assert_eq!(stdout(&o), "ran\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
    let o = toy_in(dir.path(), &["ok.toy", "-i"], Some("1 + 1\n"));
    assert_eq!(
        stdout(&o),
        "ran\n",
        "`-i` after the script is the script's: {}",
        stderr(&o)
    );
    // And everything after `-c CMD` is the command's.
    let o = toy(&["-c", "print('cmd')", "--version", "-c", "x"]);
    assert_eq!(stdout(&o), "cmd\n", "stderr: {}", stderr(&o));
    assert_eq!(code(&o), 0);
}

#[test]
fn help_mentions_the_ways_to_run() {
    let o = toy(&["--help"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains("Usage: toy"), "{out}");
    assert!(out.contains("-c <CMD>"), "{out}");
    assert!(out.contains("-i"), "{out}");
    assert!(out.contains("toy dis SCRIPT"), "{out}");
    assert!(out.contains("--virtual-clock"), "{out}");
    assert_eq!(code(&toy(&["-h"])), 0);
}

#[test]
fn version_prints_the_version() {
    let o = toy(&["--version"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), format!("toy {}\n", env!("CARGO_PKG_VERSION")));
    let o = toy(&["-V"]);
    assert_eq!(stdout(&o), format!("toy {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = toy(&["--bogus"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("--bogus"), "{err}");
    assert!(err.contains("Usage: toy"), "{err}");
}

#[test]
fn dash_c_needs_its_argument() {
    let o = toy(&["-c"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("-c <CMD>"), "{}", stderr(&o));
}

#[test]
fn missing_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = toy_in(dir.path(), &["no_such_file.toy"], None);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("can't open file 'no_such_file.toy'"), "{err}");
    assert!(err.contains("No such file or directory"), "{err}");
}

#[test]
fn uncaught_exception_exits_1_with_a_traceback() {
    let o = toy(&["-c", "print('before')\n1 / 0"]);
    assert_eq!(code(&o), 1);
    assert_eq!(stdout(&o), "before\n");
    let err = stderr(&o);
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(
        err.contains("  File \"<string>\", line 2, in <module>\n"),
        "{err}"
    );
    assert!(
        err.ends_with("ZeroDivisionError: division by zero\n"),
        "{err}"
    );

    let o = toy(&["-c", "1/0"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("Traceback (most recent call last):"), "{err}");
    assert!(
        err.contains("File \"<string>\", line 1, in <module>"),
        "{err}"
    );
    assert!(err.contains("ZeroDivisionError: division by zero"), "{err}");
}

#[test]
fn traceback_walks_through_functions_in_a_script() {
    let dir = dir_with(&[(
        "boom.toy",
        "def inner():\n    raise ValueError('bad value')\n\ndef outer():\n    inner()\n\nouter()\n",
    )]);
    let o = toy_in(dir.path(), &["boom.toy"], None);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let at_module = err
        .find("File \"boom.toy\", line 7, in <module>")
        .expect(&err);
    let at_outer = err.find("File \"boom.toy\", line 5, in outer").expect(&err);
    let at_inner = err.find("File \"boom.toy\", line 2, in inner").expect(&err);
    assert!(at_module < at_outer && at_outer < at_inner, "{err}");
    assert!(err.ends_with("ValueError: bad value\n"), "{err}");
}

#[test]
fn exit_status_from_system_exit() {
    assert_eq!(code(&toy(&["-c", "raise SystemExit(3)"])), 3);
    assert_eq!(code(&toy(&["-c", "raise SystemExit"])), 0);
    let o = toy(&["-c", "raise SystemExit('bye')"]);
    assert_eq!(code(&o), 1);
    assert_eq!(stderr(&o), "bye\n");
}

#[test]
fn syntax_error_exits_2_with_a_report() {
    let dir = dir_with(&[("bad.toy", "x = 1\ny = x +\nprint(y)\n")]);
    let o = toy_in(dir.path(), &["bad.toy"], None);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stdout(&o),
        "",
        "nothing runs when the file does not compile"
    );
    let err = stderr(&o);
    assert!(err.contains("SyntaxError: expected an expression"), "{err}");
    assert!(err.contains("bad.toy:2:"), "{err}");
    assert!(err.contains("y = x +"), "{err}");
}

#[test]
fn syntax_error_in_dash_c_names_string() {
    let o = toy(&["-c", "print(1 +)"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("SyntaxError"), "{err}");
    assert!(err.contains("<string>:1:"), "{err}");
    assert!(err.contains("print(1 +)"), "{err}");
}

#[test]
fn unclosed_bracket_points_at_the_opening_bracket() {
    let dir = dir_with(&[(
        "open.toy",
        "print('start')\nvalues = [1, 2,\n          3, 4\n",
    )]);
    let o = toy_in(dir.path(), &["open.toy"], None);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("SyntaxError: '[' was never closed"), "{err}");
    assert!(err.contains("open.toy:2:"), "{err}");
    assert!(err.contains("values = [1, 2,"), "{err}");
    assert!(err.contains("unclosed '[' opened here"), "{err}");

    let o = toy(&["-c", "x = (1,"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("SyntaxError: '(' was never closed"), "{err}");
    assert!(err.contains("x = (1,"), "{err}");
    assert!(err.contains("unclosed '(' opened here"), "{err}");
}

#[test]
fn mixed_tabs_and_spaces_is_a_tab_error() {
    let dir = dir_with(&[("tabs.toy", "if True:\n\tx = 1\n        y = 2\n")]);
    let o = toy_in(dir.path(), &["tabs.toy"], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("TabError"), "{err}");
    assert!(err.contains("inconsistent use of tabs and spaces"), "{err}");
    assert!(err.contains("tabs.toy:3:"), "{err}");
    assert!(
        err.contains("help:"),
        "the report should carry a hint: {err}"
    );
}

#[test]
fn indentation_error_is_reported() {
    let o = toy(&["-c", "def f():\nreturn 1"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("IndentationError"), "{err}");
    assert!(err.contains("expected an indented block"), "{err}");
}

const DIS_SOURCE: &str = "\
def square(n):
    return n * n

def evens(limit):
    return [x for x in range(limit) if x % 2 == 0]

print(square(7), evens(5))
";

#[test]
fn dis_lists_every_code_object() {
    let dir = dir_with(&[("prog.toy", DIS_SOURCE)]);
    let o = toy_in(dir.path(), &["dis", "prog.toy"], None);
    assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
    let out = stdout(&o);
    // The program is disassembled, not run.
    assert!(!out.contains("49"), "{out}");
    // Nested code objects each get a header naming the file and their first line.
    let square = out.find("Disassembly of <code object square").expect(&out);
    let evens = out.find("Disassembly of <code object evens").expect(&out);
    let comp = out
        .find("Disassembly of <code object <listcomp>")
        .expect(&out);
    assert!(square < evens && evens < comp, "{out}");
    assert!(out.contains("file \"prog.toy\", line 1>:"), "{out}");
    assert!(out.contains("file \"prog.toy\", line 4>:"), "{out}");
    assert!(out.contains("file \"prog.toy\", line 5>:"), "{out}");
    for op in [
        "LOAD_CONST",
        "MAKE_FUNCTION",
        "CALL",
        "RETURN_VALUE",
        "LOAD_FAST",
        "BINARY_OP",
        "FOR_ITER",
        "LIST_APPEND",
    ] {
        assert!(out.contains(op), "{op} missing in:\n{out}");
    }
    // A line number starts the first instruction of each source line: `LINE OFFSET OPNAME`.
    let marked: Vec<u32> = out
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let line = words.next()?.parse::<u32>().ok()?;
            words.next()?.parse::<u32>().ok()?;
            Some(line)
        })
        .collect();
    for n in [1, 2, 4, 5, 7] {
        assert!(
            marked.contains(&n),
            "no instruction marked with line {n}:\n{out}"
        );
    }
    let square_body = &out[square..evens];
    let first = square_body.lines().nth(1).unwrap();
    assert_eq!(first.split_whitespace().next(), Some("2"), "{square_body}");
}

#[test]
fn dis_of_a_syntax_error_exits_2() {
    let dir = dir_with(&[("bad.toy", "def f(:\n")]);
    let o = toy_in(dir.path(), &["dis", "bad.toy"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("SyntaxError"), "{}", stderr(&o));
}

#[test]
fn dis_needs_a_file() {
    let o = toy(&["dis"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("toy dis SCRIPT"), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let o = toy_in(dir.path(), &["dis", "missing.toy"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("can't open file 'missing.toy'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn interactive_flag_runs_the_script_then_reads_stdin() {
    let dir = dir_with(&[("setup.toy", "answer = 42\nprint('set up')\n")]);
    let o = toy_in(dir.path(), &["-i", "setup.toy"], Some("answer\n"));
    assert_eq!(
        stdout(&o),
        "set up\n>>> 42\n>>> \n",
        "stderr: {}",
        stderr(&o)
    );
    assert_eq!(code(&o), 0);
}

/// Ctrl-C (SIGINT) raises KeyboardInterrupt in the running program: a traceback, and the
/// exit status a shell sees for death by SIGINT (130), as with CPython.
#[test]
fn sigint_raises_keyboard_interrupt() {
    assert_sigint_interrupts("print('ready', flush=True)\nwhile True:\n    pass\n");
}

/// ... also while the main thread waits for a socket that nothing will ever write to.
#[test]
fn sigint_interrupts_a_socket_wait() {
    assert_sigint_interrupts(
        "import socket\na, b = socket.socketpair()\nprint('ready', flush=True)\na.recv(1)\n",
    );
}

fn assert_sigint_interrupts(program: &str) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(TOY)
        .args(["-c", program])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn toy");
    // Wait until the program is about to wait, so the signal cannot arrive before the handler.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(err.ends_with("KeyboardInterrupt\n"), "{err}");
    assert_eq!(out.status.code(), Some(130));
}

#[test]
fn async_misuse_is_a_syntax_error() {
    let cases = [
        ("await f()", "SyntaxError: 'await' outside function"),
        (
            "def f():\n    await g()",
            "SyntaxError: 'await' outside async function",
        ),
        (
            "f = lambda: await g()",
            "SyntaxError: 'await' outside async function",
        ),
        (
            "async with m:\n    pass",
            "SyntaxError: 'async with' outside async function",
        ),
        (
            "def f():\n    async for x in y:\n        pass",
            "SyntaxError: 'async for' outside async function",
        ),
        (
            "async def f():\n    yield 1",
            "SyntaxError: asynchronous generators are not supported yet",
        ),
    ];
    for (source, message) in cases {
        let o = toy(&["-c", source]);
        assert_eq!(code(&o), 2, "{source}");
        assert!(stderr(&o).contains(message), "{source}: {}", stderr(&o));
    }
}
