//! The interactive prompt: `>>> ` and `... `, expression echo, tracebacks that do not end
//! the session, history in `~/.toy_history`.

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::compile::Mode;
use crate::run::{Outcome, Session, EXIT_OK};

/// Statements whose body follows on later lines: the entry ends at a blank line.
const COMPOUND_KEYWORDS: &[&str] = &["if", "while", "for", "def", "class", "try", "with", "async", "@"];

/// What to do with the lines typed so far.
#[derive(Debug, PartialEq, Eq)]
pub enum EntryState {
    /// Run it.
    Complete,
    /// Read another line.
    NeedMore,
}

/// Decide whether an entry is finished. A compound statement ends only at a blank line
/// (as in Python's REPL); anything else ends as soon as the parser says it is complete.
pub fn entry_state(buffer: &str, last_line_blank: bool) -> EntryState {
    let first = buffer.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first_word = first.trim_start().split(|c: char| !c.is_alphanumeric() && c != '_' && c != '@').next().unwrap_or("");
    let compound = COMPOUND_KEYWORDS.contains(&first_word) || first.trim_start().starts_with('@');
    match crate::syntax::parse_module(buffer) {
        Err(e) if e.is_incomplete() => EntryState::NeedMore,
        Err(_) => {
            if compound && !last_line_blank {
                EntryState::NeedMore
            } else {
                EntryState::Complete
            }
        }
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
    std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".toy_history"))
}

/// Run the REPL until end of input; returns the exit code.
pub fn run() -> i32 {
    let mut session = Session::new(vec![String::new()], vec![".".into()]);
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("toy: cannot start the line editor: {e}");
            return 1;
        }
    };
    let history = history_path();
    if let Some(h) = &history {
        editor.load_history(h).ok();
    }
    println!("Toy {} — type Python; Ctrl-D exits.", env!("CARGO_PKG_VERSION"));
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() { ">>> " } else { "... " };
        match editor.readline(prompt) {
            Ok(line) => {
                if buffer.is_empty() && line.trim().is_empty() {
                    continue;
                }
                buffer.push_str(&line);
                buffer.push('\n');
                if entry_state(&buffer, line.trim().is_empty()) == EntryState::NeedMore {
                    continue;
                }
                editor.add_history_entry(buffer.trim_end()).ok();
                let entry = std::mem::take(&mut buffer);
                let outcome = session.run_source("<stdin>", entry, Mode::Interactive);
                if let Outcome::Exception(e) = &outcome {
                    if e.matches(&crate::objects::types().exceptions.system_exit) {
                        let code = session.report(outcome);
                        save_history(&mut editor, &history);
                        return code;
                    }
                }
                session.report(outcome);
                session.vm.flush_stdout();
            }
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                eprintln!("KeyboardInterrupt");
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("toy: input error: {e}");
                break;
            }
        }
    }
    save_history(&mut editor, &history);
    EXIT_OK
}

fn save_history(editor: &mut DefaultEditor, history: &Option<std::path::PathBuf>) {
    if let Some(h) = history {
        editor.save_history(h).ok();
    }
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
        assert_eq!(entry_state("def f():\n    return 1\n", false), EntryState::NeedMore);
        assert_eq!(entry_state("def f():\n    return 1\n\n", true), EntryState::Complete);
    }

    #[test]
    fn open_bracket_continues_then_completes() {
        assert_eq!(entry_state("x = (1,\n", false), EntryState::NeedMore);
        assert_eq!(entry_state("x = (1,\n2)\n", false), EntryState::Complete);
    }
}
