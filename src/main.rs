//! The `toy` command line: parse flags, then hand over to the library.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::Parser;
use toy::compile::Mode;
use toy::run::{Options, Outcome, Session, EXIT_USAGE};
use toy::vm::clock::ClockMode;
use toy::vm::gil::GilOptions;

/// mimalloc instead of the system allocator: toy allocates and frees small objects (frames'
/// cells, boxed values, short strings) at a high rate, and glibc malloc was a tenth of the
/// time in call- and attribute-heavy benchmarks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Toy: a small Python-like language that makes concurrency visible.
#[derive(Parser, Debug)]
#[command(name = "toy", version, about, long_about = None)]
#[command(
    after_help = "Commands:\n  toy dis SCRIPT       print the bytecode of every code object in SCRIPT\n  \
toy compare SCRIPT   run SCRIPT with and without the GIL and show the outputs side by side\n\n\
With no SCRIPT and no -c, toy reads the program from standard input, or starts the REPL on a terminal.\n\
Exit status: 0 on success, 1 on an uncaught exception, 2 on a usage or syntax error,\n\
3 on a deadlock, 139 on an invalid memory access under --racy-refcount."
)]
struct Cli {
    /// Run CMD as the program.
    #[arg(short = 'c', value_name = "CMD")]
    command: Option<String>,
    /// Enter the interactive prompt even when standard input is not a terminal; after SCRIPT
    /// or -c CMD has run, in its namespace.
    #[arg(short = 'i')]
    interactive: bool,
    /// The script to run (`-` for standard input).
    #[arg(value_name = "SCRIPT")]
    script: Option<String>,
    /// Run threads truly in parallel, without the GIL (also: TOY_GIL=0).
    #[arg(long = "no-gil")]
    no_gil: bool,
    /// Instructions a thread runs before it offers the GIL to a waiting thread.
    #[arg(long = "check-interval", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    check_interval: Option<u32>,
    /// Switch on time like CPython 3: offer the GIL once a thread has held it this long.
    #[arg(long = "switch-interval", value_name = "SECONDS")]
    switch_interval: Option<f64>,
    /// Jitter the switch points reproducibly from this seed.
    #[arg(long = "seed", value_name = "N")]
    seed: Option<u64>,
    /// Print GIL statistics (switches by reason, time held and waited per thread) at exit.
    #[arg(long = "gil-stats")]
    gil_stats: bool,
    /// Run on a virtual clock: sleeps and timeouts take no real time (time jumps to the next
    /// deadline whenever every thread waits), and the time functions report virtual time
    /// (also: TOY_VIRTUAL_CLOCK=1).
    #[arg(long = "virtual-clock")]
    virtual_clock: bool,
    /// With --no-gil: update reference counts without a lock, as C would, and report objects
    /// freed while in use and leaks (why the GIL exists).
    #[arg(long = "racy-refcount")]
    racy_refcount: bool,
    /// Arguments passed to the program in `sys.argv[1:]`.
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    args: Vec<String>,
}

/// Size of the interpreter thread's stack: generous, so deep native re-entry (dunder
/// methods calling toy code calling dunder methods) hits RecursionError, never overflow.
const STACK_SIZE: usize = 1 << 30;

/// Toy's long options that take a value as the next word.
const LONG_WITH_VALUE: &[&str] = &["--check-interval", "--switch-interval", "--seed"];

/// Split the command line as Python does: toy's own options end at the script name (or `-`,
/// or `--` and a name) or at `-c CMD`; everything after belongs to the program's `sys.argv`,
/// even words that look like toy's options (`toy script.toy -c x` passes `-c x` to the script).
fn split_args(args: impl IntoIterator<Item = OsString>) -> (Vec<OsString>, Vec<String>) {
    let mut it = args.into_iter();
    let mut own: Vec<OsString> = it.next().into_iter().collect();
    while let Some(arg) = it.next() {
        let text = arg.to_str().map(str::to_owned);
        own.push(arg);
        match text.as_deref() {
            Some("--") => {
                own.extend(it.next());
                break;
            }
            Some(long) if long.starts_with("--") => {
                if LONG_WITH_VALUE.contains(&long) {
                    own.extend(it.next());
                }
            }
            Some(short) if short.starts_with('-') && short.len() > 1 => {
                // A cluster of short flags: `c` takes the rest of the cluster, or the next word.
                if let Some(at) = short[1..].find('c') {
                    if at + 2 == short.len() {
                        own.extend(it.next());
                    }
                    break;
                }
            }
            _ => break,
        }
    }
    let rest = it
        .map(|a| {
            a.into_string()
                .unwrap_or_else(|a| a.to_string_lossy().into_owned())
        })
        .collect();
    (own, rest)
}

fn main() -> ExitCode {
    let (own, rest) = split_args(std::env::args_os());
    let cli = match Cli::try_parse_from(own) {
        Ok(mut cli) => {
            cli.args.extend(rest);
            cli
        }
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            e.print().ok();
            return ExitCode::from(code as u8);
        }
    };
    let worker = std::thread::Builder::new().name("toy-main".into()).stack_size(STACK_SIZE).spawn(move || {
        std::panic::catch_unwind(move || run(cli)).unwrap_or_else(|panic| {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            eprintln!("toy: internal error: {msg}\nThis is a bug in toy; please report it with the program that caused it.");
            70
        })
    });
    let code = match worker {
        Ok(handle) => handle.join().unwrap_or(70),
        Err(e) => {
            eprintln!("toy: cannot start the interpreter thread: {e}");
            70
        }
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// Whether the environment variable `name` is set to something other than empty or `0`.
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !matches!(v.trim(), "" | "0"))
}

/// The run options from the flags and the environment (`TOY_GIL=0` is `--no-gil`,
/// `TOY_VIRTUAL_CLOCK=1` is `--virtual-clock`).
fn options(cli: &Cli) -> Result<Options, String> {
    let mut gil = GilOptions {
        enabled: !cli.no_gil && std::env::var("TOY_GIL").map_or(true, |v| v.trim() != "0"),
        seed: cli.seed,
        ..GilOptions::default()
    };
    if let Some(n) = cli.check_interval {
        gil.check_interval = n;
    }
    if let Some(secs) = cli.switch_interval {
        let d = std::time::Duration::try_from_secs_f64(secs)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                format!("--switch-interval must be a positive number of seconds, not {secs}")
            })?;
        gil.switch_interval = Some(d);
    }
    // With the GIL, one thread at a time updates the counts: there would be nothing to see.
    if cli.racy_refcount && gil.enabled {
        return Err(
            "--racy-refcount needs --no-gil (with the GIL, reference counts cannot race)".into(),
        );
    }
    let clock = if cli.virtual_clock || env_flag("TOY_VIRTUAL_CLOCK") {
        ClockMode::Virtual
    } else {
        ClockMode::Real
    };
    Ok(Options {
        gil,
        clock,
        gil_stats: cli.gil_stats,
        stats_file: std::env::var_os("TOY_STATS_FILE").map(Into::into),
        racy_refcount: cli.racy_refcount,
    })
}

fn run(cli: Cli) -> i32 {
    let options = match options(&cli) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("toy: error: {msg}");
            return EXIT_USAGE;
        }
    };
    if let Some(cmd) = cli.command {
        let mut argv = vec!["-c".to_string()];
        argv.extend(cli.script.into_iter().chain(cli.args));
        let mut session = Session::new(argv, vec![".".into()], &options);
        let outcome = session.run_source("<string>", cmd, Mode::Exec);
        return finish(session, outcome, cli.interactive);
    }
    match cli.script.as_deref() {
        Some("dis") => match cli.args.as_slice() {
            [path] => dis(path),
            _ => {
                eprintln!("usage: toy dis SCRIPT\ntoy: error: 'toy dis' takes exactly one SCRIPT");
                EXIT_USAGE
            }
        },
        Some("compare") => {
            match cli.args.split_first() {
                Some((path, rest)) => toy::compare::run(path, rest, &options),
                None => {
                    eprintln!("usage: toy compare SCRIPT [ARGS...]\ntoy: error: 'toy compare' needs a SCRIPT");
                    EXIT_USAGE
                }
            }
        }
        // `toy -i` and `toy -i -`: the prompt, reading standard input whatever it is.
        Some("-") | None if cli.interactive => {
            let mut argv = vec![cli.script.unwrap_or_default()];
            argv.extend(cli.args);
            toy::repl::run_session(Session::new(argv, vec![".".into()], &options), true)
        }
        Some("-") | None if cli.script.is_some() || !std::io::stdin().is_terminal() => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("toy: cannot read standard input: {e}");
                return EXIT_USAGE;
            }
            let mut argv = vec!["-".to_string()];
            argv.extend(cli.args);
            let mut session = Session::new(argv, vec![".".into()], &options);
            let outcome = session.run_source("<stdin>", text, Mode::Exec);
            session.finish(outcome)
        }
        None => toy::repl::run(&options),
        Some(path) => {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("toy: can't open file '{path}': {e}");
                    return EXIT_USAGE;
                }
            };
            let mut argv = vec![path.to_string()];
            argv.extend(cli.args);
            let dir = std::path::Path::new(path)
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let dir = if dir.is_empty() { ".".to_string() } else { dir };
            let mut session = Session::new(argv, vec![dir], &options);
            let outcome = session.run_source(path, text, Mode::Exec);
            finish(session, outcome, cli.interactive)
        }
    }
}

/// After a script or `-c` command: report how it ended and return the exit code, or with
/// `-i` report it and enter the REPL in its namespace (as `python -i` does, even after an
/// exception or `SystemExit`).
fn finish(mut session: Session, outcome: Outcome, interactive: bool) -> i32 {
    if !interactive {
        return session.finish(outcome);
    }
    match outcome {
        Outcome::Exception(exc) if exc.matches(&toy::objects::types().exceptions.system_exit) => {
            session.vm.flush_stdout();
            eprint!("{}", session.vm.format_exception(&exc.0));
        }
        other => {
            session.report(other);
        }
    }
    toy::repl::run_session(session, false)
}

fn dis(path: &str) -> i32 {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("toy: can't open file '{path}': {e}");
            return EXIT_USAGE;
        }
    };
    let source = std::sync::Arc::new(toy::compile::code::SourceFile::new(path, text));
    match toy::compile_source(&source, Mode::Exec) {
        Ok(code) => {
            print!("{}", toy::compile::dis::disassemble(&code));
            0
        }
        Err(e) => {
            eprint!("{}", e.render(&source, std::io::stderr().is_terminal()));
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(args: &[&str]) -> (Vec<String>, Vec<String>) {
        let (own, rest) = split_args(args.iter().map(OsString::from));
        (
            own.into_iter().map(|a| a.into_string().unwrap()).collect(),
            rest,
        )
    }

    #[test]
    fn options_end_at_the_script() {
        assert_eq!(
            split(&["toy", "-i", "s.toy", "-c", "x"]),
            (
                vec!["toy".into(), "-i".into(), "s.toy".into()],
                vec!["-c".into(), "x".into()]
            )
        );
        assert_eq!(
            split(&["toy", "-", "--help"]),
            (vec!["toy".into(), "-".into()], vec!["--help".into()])
        );
        assert_eq!(
            split(&["toy", "--", "-odd.toy", "a"]),
            (
                vec!["toy".into(), "--".into(), "-odd.toy".into()],
                vec!["a".into()]
            )
        );
        assert_eq!(
            split(&["toy", "dis", "f.toy"]),
            (vec!["toy".into(), "dis".into()], vec!["f.toy".into()])
        );
    }

    #[test]
    fn options_end_after_dash_c_cmd() {
        assert_eq!(
            split(&["toy", "-c", "print(1)", "-i"]),
            (
                vec!["toy".into(), "-c".into(), "print(1)".into()],
                vec!["-i".into()]
            )
        );
        assert_eq!(
            split(&["toy", "-ic", "x", "a"]),
            (
                vec!["toy".into(), "-ic".into(), "x".into()],
                vec!["a".into()]
            )
        );
        assert_eq!(
            split(&["toy", "-cx", "a"]),
            (vec!["toy".into(), "-cx".into()], vec!["a".into()])
        );
        assert_eq!(
            split(&["toy", "--version"]),
            (vec!["toy".into(), "--version".into()], vec![])
        );
    }
}
