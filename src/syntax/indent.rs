//! The indentation pass: raw logos tokens to the token stream the grammar reads.
//!
//! It keeps an indent stack and the stack of open brackets, turns line breaks into logical
//! NEWLINE tokens (none inside brackets, none for blank or comment-only lines), emits
//! zero-width INDENT / DEDENT tokens, and at the end of input emits a final NEWLINE and closes
//! every open block. Lexer errors and indentation errors stop the stream; they are kept as
//! the stream's final error so that an earlier parse error still wins.

use logos::Logos;

use super::ast::Span;
use super::diagnostics::{ErrorKind, SyntaxError};
use super::lexer::{LexError, Tok};
use super::source::LineIndex;

pub type Spanned = (usize, Tok, usize);

/// Python's tokenizer allows 200 open brackets; deeper nesting is an error, not a crash.
pub const MAX_BRACKET_DEPTH: usize = 200;

/// What the token stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A whole file: indentation is significant.
    Module,
    /// An `eval()` string: no indentation, trailing newlines allowed.
    Eval,
    /// The expression inside an f-string field: as if inside brackets.
    FString,
}

/// The result of tokenizing: the tokens (starting with a start marker), and the error that
/// stopped tokenizing, if any.
#[derive(Debug)]
pub struct Tokens {
    pub toks: Vec<Spanned>,
    pub error: Option<SyntaxError>,
    /// Index of the first token synthesized at the end of input (NEWLINE / DEDENT).
    pub eof_index: usize,
    /// Where the tokenized text ends.
    pub end: usize,
    pub mode: Mode,
}

fn closing_for(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// Tokenizes `source[start..end]`; positions in the result are absolute in `source`.
pub fn tokenize(source: &str, start: usize, end: usize, mode: Mode) -> Tokens {
    let text = &source[start..end];
    let mut lex = Tok::lexer(text);
    let mut toks: Vec<Spanned> = Vec::new();
    toks.push((
        start,
        if mode == Mode::Module {
            Tok::StartModule
        } else {
            Tok::StartEval
        },
        start,
    ));
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    let mut brackets: Vec<(char, Span)> = Vec::new();
    let mut at_line_start = true;
    let mut error: Option<SyntaxError> = None;
    let mut lines: Option<LineIndex> = None;
    let mut line_of = |pos: usize| {
        lines
            .get_or_insert_with(|| LineIndex::new(source))
            .line(pos)
    };

    while let Some(item) = lex.next() {
        let span = lex.span();
        let (a, b) = (span.start + start, span.end + start);
        let tok = match item {
            Ok(t) => t,
            Err(e) => {
                error = Some(lex_error(e, source, start, a, b, &mut line_of));
                break;
            }
        };
        let tok = match tok {
            Tok::Str(mut s) => {
                s.content_start += start;
                Tok::Str(s)
            }
            other => other,
        };
        match tok {
            Tok::Comment => continue,
            Tok::Newline => {
                if mode == Mode::FString || !brackets.is_empty() || at_line_start {
                    continue;
                }
                toks.push((a, Tok::Newline, b));
                at_line_start = true;
                continue;
            }
            _ => {}
        }
        if at_line_start && brackets.is_empty() && mode == Mode::Module {
            // Measure the indentation of this line.
            let line_begin = source[..a]
                .rfind(['\n', '\r'])
                .map(|p| p + 1)
                .unwrap_or(0)
                .max(start);
            let (mut col, mut altcol) = (0usize, 0usize);
            for ch in source[line_begin..a].chars() {
                match ch {
                    ' ' | '\u{3000}' => {
                        col += 1;
                        altcol += 1;
                    }
                    '\t' => {
                        col = (col / 8 + 1) * 8;
                        altcol += 1;
                    }
                    '\x0c' => {
                        col = 0;
                        altcol = 0;
                    }
                    _ => {}
                }
            }
            let tab_error = || {
                SyntaxError::new(
                    "inconsistent use of tabs and spaces in indentation",
                    Span::new(line_begin, a),
                )
                .with_kind(ErrorKind::TabError)
                .with_label("this indentation mixes tabs and spaces")
                .with_help("indent with spaces only (or tabs only) throughout the block")
            };
            let &(top, alttop) = stack.last().unwrap_or(&(0, 0));
            if col == top {
                if altcol != alttop {
                    error = Some(tab_error());
                    break;
                }
            } else if col > top {
                if altcol <= alttop {
                    error = Some(tab_error());
                    break;
                }
                stack.push((col, altcol));
                toks.push((line_begin, Tok::Indent, a));
            } else {
                while stack.len() > 1 && col < stack[stack.len() - 1].0 {
                    stack.pop();
                    toks.push((a, Tok::Dedent, a));
                }
                let &(top, alttop) = stack.last().unwrap_or(&(0, 0));
                if col != top {
                    error = Some(
                        SyntaxError::new(
                            "unindent does not match any outer indentation level",
                            Span::new(line_begin, a),
                        )
                        .with_kind(ErrorKind::IndentationError)
                        .with_label("this line's indentation matches no enclosing block")
                        .with_help("indent the line exactly as far as the block it belongs to"),
                    );
                    break;
                }
                if altcol != alttop {
                    error = Some(tab_error());
                    break;
                }
            }
        }
        at_line_start = false;
        match tok {
            Tok::Lpar | Tok::Lsqb | Tok::Lbrace => {
                let c = match tok {
                    Tok::Lpar => '(',
                    Tok::Lsqb => '[',
                    _ => '{',
                };
                if brackets.len() >= MAX_BRACKET_DEPTH {
                    error = Some(
                        SyntaxError::new("too many nested parentheses", Span::new(a, b))
                            .with_label(format!(
                                "more than {MAX_BRACKET_DEPTH} brackets are open here"
                            )),
                    );
                    break;
                }
                brackets.push((c, Span::new(a, b)));
            }
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace => {
                let c = match tok {
                    Tok::Rpar => ')',
                    Tok::Rsqb => ']',
                    _ => '}',
                };
                match brackets.pop() {
                    None => {
                        error = Some(
                            SyntaxError::new(format!("unmatched '{c}'"), Span::new(a, b))
                                .with_label("this bracket closes nothing"),
                        );
                        break;
                    }
                    Some((open, ospan)) if closing_for(open) != c => {
                        let same_line = line_of(ospan.start) == line_of(a);
                        let msg = if same_line {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                        } else {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {}",
                                line_of(ospan.start)
                            )
                        };
                        error = Some(
                            SyntaxError::new(msg, Span::new(a, b))
                                .with_label(format!("expected '{}' here", closing_for(open)))
                                .with_secondary(ospan, format!("'{open}' opened here")),
                        );
                        break;
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
        toks.push((a, tok, b));
    }

    let eof_index = toks.len();
    if error.is_none() {
        if let Some(&(open, ospan)) = brackets.last() {
            if mode != Mode::FString {
                error = Some(
                    SyntaxError::new(format!("'{open}' was never closed"), ospan)
                        .with_label(format!("unclosed '{open}' opened here"))
                        .incomplete(true),
                );
            }
        }
    }
    if error.is_none() {
        if !at_line_start && mode != Mode::FString {
            toks.push((end, Tok::Newline, end));
        }
        while stack.len() > 1 {
            stack.pop();
            toks.push((end, Tok::Dedent, end));
        }
    }
    Tokens {
        toks,
        error,
        eof_index,
        end,
        mode,
    }
}

/// Turns a logos-level error into a syntax error.
fn lex_error(
    e: LexError,
    source: &str,
    base: usize,
    a: usize,
    b: usize,
    line_of: &mut impl FnMut(usize) -> usize,
) -> SyntaxError {
    match e {
        LexError::InvalidChar => {
            let c = source[a..].chars().next().unwrap_or(' ');
            let span = Span::new(a, a + c.len_utf8());
            let msg = if c.is_control() || c.is_whitespace() {
                format!("invalid non-printable character U+{:04X}", c as u32)
            } else {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            };
            SyntaxError::new(msg, span).with_label("this character is not allowed here")
        }
        LexError::Unterminated { triple, at } => {
            let at = at + base;
            let line = line_of(at.saturating_sub(usize::from(triple)).max(a));
            let line = if triple { line_of(at) } else { line };
            if triple {
                SyntaxError::new(
                    format!("unterminated triple-quoted string literal (detected at line {line})"),
                    Span::new(a, (a + 3).min(b)),
                )
                .with_label("this string is never closed")
                .incomplete(true)
            } else {
                SyntaxError::new(
                    format!("unterminated string literal (detected at line {line})"),
                    Span::new(a, b.max(a + 1)),
                )
                .with_label("this string is never closed")
                .with_help("close the string with the same quote it was opened with")
            }
        }
        LexError::Message(m) => SyntaxError::new(m, Span::new(a, b)).with_label("here"),
        LexError::ContinuationEof => {
            SyntaxError::new("unexpected EOF while parsing", Span::new(a, b))
                .with_label("the line continues past the end of the input")
                .incomplete(true)
        }
        LexError::ContinuationBad => SyntaxError::new(
            "unexpected character after line continuation character",
            Span::new(a, b),
        )
        .with_label("a '\\' outside a string must end the line"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> String {
        let t = tokenize(src, 0, src.len(), Mode::Module);
        let mut out: Vec<String> = t
            .toks
            .iter()
            .skip(1)
            .map(|(_, tok, _)| match tok {
                Tok::Newline => "NL".to_string(),
                Tok::Indent => "IN".to_string(),
                Tok::Dedent => "DE".to_string(),
                Tok::Name(n) => n.clone(),
                Tok::Int(super::super::lexer::IntLit::Small(v)) => v.to_string(),
                other => other.text().unwrap_or("?").to_string(),
            })
            .collect();
        if let Some(e) = t.error {
            out.push(format!("ERR({}: {})", e.kind_name(), e.message));
        }
        out.join(" ")
    }

    #[test]
    fn simple_blocks() {
        assert_eq!(kinds("if x:\n    y\nz\n"), "if x : NL IN y NL DE z NL");
        assert_eq!(kinds("if x:\n    y"), "if x : NL IN y NL DE");
        assert_eq!(kinds("a\n  b\n    c\nd"), "a NL IN b NL IN c NL DE DE d NL");
    }

    #[test]
    fn blank_and_comment_lines() {
        assert_eq!(
            kinds("\n\n# c\nif x:\n\n   # hi\n    y  # t\n\n  \n"),
            "if x : NL IN y NL DE"
        );
        assert_eq!(kinds("x\n \u{3000}\n\t\ny\u{3000}\n"), "x NL y NL");
    }

    #[test]
    fn brackets_span_lines() {
        assert_eq!(kinds("x = (1,\n   2,\n)\ny\n"), "x = ( 1 , 2 , ) NL y NL");
        assert_eq!(kinds("x = [\n1]\n"), "x = [ 1 ] NL");
        assert_eq!(kinds("x = 1 + \\\n    2\n"), "x = 1 + 2 NL");
    }

    #[test]
    fn tabs() {
        assert_eq!(kinds("if x:\n\ty\n\tz\n"), "if x : NL IN y NL z NL DE");
        // tab then 8 spaces: both are column 8, but alt-columns differ
        assert_eq!(
            kinds("if x:\n\ty\n        z\n"),
            "if x : NL IN y NL ERR(TabError: inconsistent use of tabs and spaces in indentation)"
        );
        // 4 spaces then tab = column 8 consistently when nested
        assert_eq!(
            kinds("if x:\n    if y:\n    \tz\n"),
            "if x : NL IN if y : NL IN z NL DE DE"
        );
    }

    #[test]
    fn dedent_errors() {
        assert_eq!(
            kinds("if x:\n    y\n  z\n"),
            "if x : NL IN y NL DE ERR(IndentationError: unindent does not match any outer indentation level)"
        );
    }

    #[test]
    fn bracket_errors() {
        assert_eq!(kinds("x = )"), "x = ERR(SyntaxError: unmatched ')')");
        assert_eq!(
            kinds("x = (]"),
            "x = ( ERR(SyntaxError: closing parenthesis ']' does not match opening parenthesis '(')"
        );
        assert_eq!(
            kinds("x = (1,"),
            "x = ( 1 , ERR(SyntaxError: '(' was never closed)"
        );
    }

    #[test]
    fn nesting_limit() {
        let deep = format!("x = {}1{}", "(".repeat(199), ")".repeat(199));
        assert!(tokenize(&deep, 0, deep.len(), Mode::Module).error.is_none());
        let too_deep = format!("x = {}1{}", "[".repeat(201), "]".repeat(201));
        let err = tokenize(&too_deep, 0, too_deep.len(), Mode::Module).error;
        assert_eq!(
            err.map(|e| e.message),
            Some("too many nested parentheses".to_string())
        );
    }

    #[test]
    fn ideographic_space_indents_like_a_space() {
        assert_eq!(kinds("if x:\n\u{3000}y\n"), "if x : NL IN y NL DE");
    }

    #[test]
    fn ideographic_space() {
        assert_eq!(kinds("sched.run()\u{3000}\n"), "sched . run ( ) NL");
    }
}
