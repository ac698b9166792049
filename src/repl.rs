//! The interactive prompt: `>>> ` and `... `, expression echo, tracebacks that do not end
//! the session, history in `~/.toy_history`.
//!
//! On a terminal, lines come from rustyline (editing, history, Ctrl-C / Ctrl-D). When
//! standard input is not a terminal (`toy -i < file`), rustyline would print no prompt, so
//! lines are read plainly and the prompts are written to standard output here: a piped
//! session then produces a transcript. Both sources feed the same loop, and whether an
//! entry is finished is decided by [`entry_state`] alone.

use std::io::{BufRead, IsTerminal, Write};

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::compile::Mode;
use crate::run::{Outcome, Session, EXIT_OK};
use crate::syntax::indent::{tokenize, Mode as TokenMode};

/// Statements whose body follows on later lines: the entry ends at a blank line.
const COMPOUND_KEYWORDS: &[&str] = &[
    "if", "while", "for", "def", "class", "try", "with", "async", "@",
];

/// The primary and the continuation prompt.
pub const PS1: &str = ">>> ";
pub const PS2: &str = "... ";

/// What to do with the lines typed so far.
#[derive(Debug, PartialEq, Eq)]
pub enum EntryState {
    /// Run it (or report its syntax error).
    Complete,
    /// Read another line.
    NeedMore,
}

/// Decide whether an entry is finished, as Python's REPL does:
/// - inside an open bracket, a triple-quoted string or after a trailing backslash, the
///   entry always goes on (even across blank lines);
/// - a compound statement (`def`, `if`, ...) ends only at a blank line, and a blank line
///   does end it (an empty body is then reported as an error, not waited for);
/// - anything else ends as soon as the parser says it is complete, or as soon as it has an
///   error that no further input could fix.
pub fn entry_state(buffer: &str, last_line_blank: bool) -> EntryState {
    let first = buffer.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first_word = first
        .trim_start()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    let compound = COMPOUND_KEYWORDS.contains(&first_word) || first.trim_start().starts_with('@');
    // Judge the text without its final newline: the tokenizer reports a backslash at the very
    // end of the input as incomplete, but takes backslash-newline-end as a finished line.
    let text = buffer.strip_suffix('\n').unwrap_or(buffer);
    match crate::syntax::parse_module(text) {
        Err(e) if e.is_incomplete() => {
            // Open brackets, triple-quoted strings and backslash continuations are the
            // tokenizer's business: no blank line ends them.
            let lexical = tokenize(text, 0, text.len(), TokenMode::Module)
                .error
                .is_some_and(|t| t.is_incomplete());
            if compound && last_line_blank && !lexical {
                EntryState::Complete
            } else {
                EntryState::NeedMore
            }
        }
        Err(_) => EntryState::Complete,
        Ok(_) => {
            if compound && !last_line_blank {
                EntryState::NeedMore
            } else {
                EntryState::Complete
            }
        }
    }
}

fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| std::path::PathBuf::from(h).join(".toy_history"))
}

/// One line of input, or why there is none.
enum Line {
    Text(String),
    /// Ctrl-C: abandon the current entry.
    Interrupted,
    /// Ctrl-D or end of input.
    Eof,
}

/// Where lines come from.
enum Input {
    /// A terminal: rustyline prints the prompt, edits the line and keeps the history.
    Editor {
        editor: Box<DefaultEditor>,
        history: Option<std::path::PathBuf>,
    },
    /// Anything else: plain lines from standard input, prompts written here.
    Plain,
}

impl Input {
    fn open() -> Result<Input, ReadlineError> {
        if !std::io::stdin().is_terminal() {
            return Ok(Input::Plain);
        }
        let mut editor = DefaultEditor::new()?;
        let history = history_path();
        if let Some(h) = &history {
            editor.load_history(h).ok();
        }
        Ok(Input::Editor {
            editor: Box::new(editor),
            history,
        })
    }

    fn read_line(&mut self, prompt: &str) -> Line {
        match self {
            Input::Editor { editor, .. } => match editor.readline(prompt) {
                Ok(line) => Line::Text(line),
                Err(ReadlineError::Interrupted) => Line::Interrupted,
                Err(ReadlineError::Eof) => Line::Eof,
                Err(e) => {
                    eprintln!("toy: input error: {e}");
                    Line::Eof
                }
            },
            Input::Plain => {
                let mut out = std::io::stdout().lock();
                out.write_all(prompt.as_bytes()).ok();
                out.flush().ok();
                drop(out);
                let mut line = String::new();
                match std::io::stdin().lock().read_line(&mut line) {
                    Ok(0) => Line::Eof,
                    Ok(_) => {
                        if line.ends_with('\n') {
                            line.pop();
                            if line.ends_with('\r') {
                                line.pop();
                            }
                        }
                        Line::Text(line)
                    }
                    Err(e) => {
                        eprintln!("toy: cannot read standard input: {e}");
                        Line::Eof
                    }
                }
            }
        }
    }

    fn add_history(&mut self, entry: &str) {
        if let Input::Editor { editor, .. } = self {
            editor.add_history_entry(entry).ok();
        }
    }

    fn save_history(&mut self) {
        if let Input::Editor {
            editor,
            history: Some(h),
        } = self
        {
            if let Err(e) = editor.save_history(h) {
                eprintln!("toy: cannot write the history file {}: {e}", h.display());
            }
        }
    }
}

/// Run the REPL in a fresh `__main__` until end of input; returns the exit code.
pub fn run() -> i32 {
    let session = Session::new(vec![String::new()], vec![".".into()]);
    run_session(session, true)
}

/// Run the REPL in `session`'s `__main__` (which `toy -i SCRIPT` has already run the script
/// in) until end of input or `SystemExit`; returns the exit code. `banner` prints the
/// greeting, on standard error as Python does.
pub fn run_session(mut session: Session, banner: bool) -> i32 {
    let mut input = match Input::open() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("toy: cannot start the line editor: {e}");
            return 1;
        }
    };
    if banner {
        eprintln!(
            "Toy {} — type Python; Ctrl-D exits.",
            env!("CARGO_PKG_VERSION")
        );
    }
    let mut buffer = String::new();
    loop {
        session.vm.flush_stdout();
        let prompt = if buffer.is_empty() { PS1 } else { PS2 };
        let line = match input.read_line(prompt) {
            Line::Text(line) => line,
            Line::Interrupted => {
                buffer.clear();
                eprintln!("KeyboardInterrupt");
                continue;
            }
            Line::Eof => {
                // End the prompt's line, as Python does, so the shell starts on a fresh one.
                println!();
                break;
            }
        };
        if buffer.is_empty() && line.trim().is_empty() {
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if entry_state(&buffer, line.trim().is_empty()) == EntryState::NeedMore {
            continue;
        }
        input.add_history(buffer.trim_end());
        let entry = std::mem::take(&mut buffer);
        let outcome = session.run_source("<stdin>", entry, Mode::Interactive);
        if let Outcome::Exception(e) = &outcome {
            if e.matches(&crate::objects::types().exceptions.system_exit) {
                let code = session.finish(outcome);
                input.save_history();
                return code;
            }
        }
        session.report(outcome);
    }
    session.shutdown();
    input.save_history();
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_statement_is_complete() {
        assert_eq!(entry_state("x = 1\n", false), EntryState::Complete);
    }

    #[test]
    fn block_waits_for_blank_line() {
        assert_eq!(entry_state("def f():\n", false), EntryState::NeedMore);
        assert_eq!(
            entry_state("def f():\n    return 1\n", false),
            EntryState::NeedMore
        );
        assert_eq!(
            entry_state("def f():\n    return 1\n\n", true),
            EntryState::Complete
        );
    }

    #[test]
    fn open_bracket_continues_then_completes() {
        assert_eq!(entry_state("x = (1,\n", false), EntryState::NeedMore);
        assert_eq!(entry_state("x = (1,\n2)\n", false), EntryState::Complete);
    }

    #[test]
    fn blank_line_inside_brackets_or_strings_continues() {
        assert_eq!(entry_state("x = [\n\n", true), EntryState::NeedMore);
        assert_eq!(
            entry_state("def f():\n    return (1,\n\n", true),
            EntryState::NeedMore
        );
        assert_eq!(entry_state("s = '''a\n\n", true), EntryState::NeedMore);
    }

    #[test]
    fn trailing_backslash_continues() {
        assert_eq!(entry_state("x = 1 + \\\n", false), EntryState::NeedMore);
        assert_eq!(entry_state("x = 1 + \\\n2\n", false), EntryState::Complete);
        assert_eq!(
            entry_state("if x:\n    y = 1 + \\\n", false),
            EntryState::NeedMore
        );
        // A backslash in a comment continues nothing.
        assert_eq!(entry_state("x = 1  # \\\n", false), EntryState::Complete);
    }

    #[test]
    fn blank_line_ends_an_empty_block_with_an_error() {
        assert_eq!(entry_state("def f():\n\n", true), EntryState::Complete);
        assert_eq!(
            entry_state("try:\n    pass\n\n", true),
            EntryState::Complete
        );
    }

    #[test]
    fn a_hopeless_error_ends_the_entry_at_once() {
        assert_eq!(entry_state("x = = 1\n", false), EntryState::Complete);
        assert_eq!(
            entry_state("def f():\n    x = = 1\n", false),
            EntryState::Complete
        );
    }

    #[test]
    fn decorators_and_else_branches_continue() {
        assert_eq!(entry_state("@dec\n", false), EntryState::NeedMore);
        assert_eq!(
            entry_state("if x:\n    pass\nelse:\n", false),
            EntryState::NeedMore
        );
        assert_eq!(entry_state("try:\n    pass\n", false), EntryState::NeedMore);
        assert_eq!(entry_state("iffy = 1\n", false), EntryState::Complete);
    }
}
