//! Tracebacks: recording where an exception passed, and printing it the way CPython does
//! (`Traceback (most recent call last):`, file, line, function, source line, chained
//! exceptions, and "[Previous line repeated N more times]" for deep recursion).

use super::frame::Frame;
use super::Vm;
use crate::objects::exception::{exception_state, TraceEntry};
use crate::objects::{Exc, Value};

/// Record that `exc` passed through `frame` at its current line.
pub fn add_entry(exc: &Exc, frame: &Frame) {
    let entry = TraceEntry {
        code: frame.code().clone(),
        line: frame.line(),
    };
    exc.state().traceback.push(entry);
}

/// One traceback entry: `  File "f", line N, in name` and the source line under it.
pub fn push_entry(out: &mut String, code: &crate::compile::code::Code, line: u32) {
    out.push_str(&format!(
        "  File \"{}\", line {}, in {}\n",
        code.filename(),
        line,
        code.name
    ));
    let text = code.source.line_text(line).trim();
    if !text.is_empty() {
        out.push_str(&format!("    {text}\n"));
    }
}

/// CPython collapses runs of identical lines after this many.
const RECURSIVE_CUTOFF: usize = 3;

impl Vm {
    /// Print a warning the way CPython's `warnings` module shows it: where the running
    /// code is (`file:line: Category: message` and the source line), or `sys:1:` when no
    /// toy code is running.
    pub fn warn(&mut self, category: &str, message: &str) {
        let out = match self.frames.last() {
            Some(frame) => {
                let line = frame.line();
                let mut out = format!(
                    "{}:{}: {category}: {message}\n",
                    frame.code().filename(),
                    line
                );
                let text = frame.code().source.line_text(line).trim();
                if !text.is_empty() {
                    out.push_str(&format!("  {text}\n"));
                }
                out
            }
            None => format!("sys:1: {category}: {message}\n"),
        };
        self.flush_stdout();
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(out.as_bytes());
        let _ = err.flush();
    }

    /// The full report for an uncaught exception, chained exceptions first.
    pub fn format_exception(&mut self, exc: &Value) -> String {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.format_chain(exc, &mut out, &mut seen);
        out
    }

    /// The report of one exception without the exceptions chained to it, as CPython's
    /// default `sys.unraisablehook` prints an exception escaping a finalizer.
    pub fn format_exception_unchained(&mut self, exc: &Value) -> String {
        let mut out = String::new();
        self.format_single(exc, &mut out);
        out
    }

    fn format_chain(&mut self, exc: &Value, out: &mut String, seen: &mut Vec<usize>) {
        seen.push(exc.heap_ptr().unwrap_or(0));
        let (cause, context, suppress) = match exception_state(exc) {
            Some(st) => (st.cause.clone(), st.context.clone(), st.suppress_context),
            None => (None, None, false),
        };
        let not_seen = |v: &Value, seen: &Vec<usize>| !seen.contains(&v.heap_ptr().unwrap_or(0));
        if let Some(c) = cause.filter(|c| not_seen(c, seen)) {
            self.format_chain(&c, out, seen);
            out.push_str(
                "\nThe above exception was the direct cause of the following exception:\n\n",
            );
        } else if let Some(c) = context.filter(|c| !suppress && not_seen(c, seen)) {
            self.format_chain(&c, out, seen);
            out.push_str(
                "\nDuring handling of the above exception, another exception occurred:\n\n",
            );
        }
        self.format_single(exc, out);
    }

    fn format_single(&mut self, exc: &Value, out: &mut String) {
        let entries = exception_state(exc)
            .map(|st| st.traceback.clone())
            .unwrap_or_default();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            let mut last: Option<(String, u32, String)> = None;
            let mut repeats = 0;
            for entry in entries.iter().rev() {
                let key = (
                    entry.code.filename().to_string(),
                    entry.line,
                    entry.code.name.to_string(),
                );
                if last.as_ref() == Some(&key) {
                    repeats += 1;
                    if repeats >= RECURSIVE_CUTOFF {
                        continue;
                    }
                } else {
                    flush_repeats(out, repeats);
                    repeats = 0;
                    last = Some(key);
                }
                push_entry(out, &entry.code, entry.line);
            }
            flush_repeats(out, repeats);
        }
        out.push_str(&self.exception_line(exc));
        out.push('\n');
    }

    /// `TypeName: message` (or just the name when the message is empty).
    pub fn exception_line(&mut self, exc: &Value) -> String {
        let class = exc.class().clone();
        let module = match class.dict.get_str("__module__") {
            Some(Value::Str(m)) if m.as_str() != "builtins" && m.as_str() != "__main__" => {
                format!("{}.", m.as_str())
            }
            _ => String::new(),
        };
        let qualname = &class.qualname;
        let message = match self.to_str(exc) {
            Ok(m) => m,
            Err(_) => "<exception str() failed>".to_string(),
        };
        if message.is_empty() {
            format!("{module}{qualname}")
        } else {
            format!("{module}{qualname}: {message}")
        }
    }
}

fn flush_repeats(out: &mut String, repeats: usize) {
    if repeats >= RECURSIVE_CUTOFF {
        let more = repeats - RECURSIVE_CUTOFF + 1;
        let s = if more == 1 { "" } else { "s" };
        out.push_str(&format!("  [Previous line repeated {more} more time{s}]\n"));
    }
}
