//! Syntax errors as miette diagnostics.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Report};

use super::ast::Span;

/// Which Python exception class the error corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::TabError => "TabError",
        }
    }
}

/// A syntax error found by the lexer, the indentation pass or the parser.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("{}: {message}", kind.name())]
pub struct SyntaxError {
    pub message: String,
    pub kind: ErrorKind,
    /// The offending source range.
    pub span: Span,
    /// The text under the primary span.
    pub label: String,
    /// Other places worth pointing at (e.g. the opening bracket of an unclosed one).
    pub secondary: Vec<(Span, String)>,
    #[help]
    pub help: Option<String>,
    /// The input ended while something was still open (the REPL asks for more).
    pub incomplete: bool,
    #[label(collection)]
    labels: Vec<LabeledSpan>,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            kind: ErrorKind::SyntaxError,
            span,
            label: String::new(),
            secondary: Vec::new(),
            help: None,
            incomplete: false,
            labels: Vec::new(),
        }
    }

    pub fn with_kind(mut self, kind: ErrorKind) -> SyntaxError {
        self.kind = kind;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> SyntaxError {
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> SyntaxError {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }

    pub fn incomplete(mut self, incomplete: bool) -> SyntaxError {
        self.incomplete = incomplete;
        self
    }

    /// Moves every span by `delta` bytes.
    pub fn shifted(mut self, delta: usize) -> SyntaxError {
        self.span = Span::new(self.span.start + delta, self.span.end + delta);
        for (s, _) in &mut self.secondary {
            *s = Span::new(s.start + delta, s.end + delta);
        }
        self
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn span(&self) -> Span {
        self.span
    }

    /// True when the input ended while something was still open: a block header whose body
    /// has not started, an open bracket, an unterminated triple-quoted string, a trailing
    /// backslash. The REPL reads another line in that case instead of reporting.
    pub fn is_incomplete(&self) -> bool {
        self.incomplete
    }

    /// The 1-based line of the error's start in `source`.
    pub fn line(&self, source: &str) -> usize {
        super::source::LineIndex::new(source).line(self.span.start)
    }

    /// A miette report rendered to a String (no colour when `color` is false), with the file
    /// name, the offending span labelled, and help where it helps.
    pub fn render(&self, source: &str, filename: &str, color: bool) -> String {
        let clamp = |s: Span| {
            let mut a = s.start.min(source.len());
            let mut b = s.end.min(source.len()).max(a);
            while !source.is_char_boundary(a) {
                a -= 1;
            }
            while !source.is_char_boundary(b) {
                b += 1;
            }
            (a, b - a)
        };
        let mut diag = self.clone();
        let (a, len) = clamp(self.span);
        let label = if self.label.is_empty() {
            None
        } else {
            Some(self.label.clone())
        };
        diag.labels = vec![LabeledSpan::new_primary_with_span(label, (a, len))];
        for (s, text) in &self.secondary {
            diag.labels
                .push(LabeledSpan::new_with_span(Some(text.clone()), clamp(*s)));
        }
        // miette cannot point at the very end of the text; give it one blank column there.
        let mut text = source.to_string();
        if self.span.end >= source.len() {
            text.push(' ');
        }
        let report = Report::new(diag)
            .with_source_code(NamedSource::new(filename, text).with_language("python"));
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut out = String::new();
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            let (line, col) = super::source::LineIndex::new(source).line_col(self.span.start);
            out = format!("{filename}:{line}:{col}: {self}\n");
        }
        out
    }
}
