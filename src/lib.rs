//! Toy: a small Python-like language whose interpreter makes concurrency visible.
//!
//! The pipeline (DESIGN.md): source text → `syntax` (lexer, indentation, parser, AST) →
//! `compile` (scopes, bytecode) → `vm` (frames, eval loop) over `objects`, with builtin
//! `modules`. This file is the front door: compile a source, run a file or a string.

pub mod compare;
pub mod compile;
pub mod modules;
pub mod objects;
pub mod repl;
pub mod run;
pub mod syntax;
pub mod vm;

use std::sync::Arc;

use compile::code::{Code, SourceFile};
use compile::{CompileError, Mode};
use syntax::SyntaxError;

/// Why a source text could not be compiled.
#[derive(Debug)]
pub enum SourceError {
    Syntax(SyntaxError),
    Compile(CompileError),
}

impl SourceError {
    /// True when more input could complete it (the REPL keeps reading).
    pub fn is_incomplete(&self) -> bool {
        match self {
            SourceError::Syntax(e) => e.is_incomplete(),
            SourceError::Compile(_) => false,
        }
    }

    /// A miette report for the terminal.
    pub fn render(&self, source: &SourceFile, color: bool) -> String {
        match self {
            SourceError::Syntax(e) => e.render(source.text(), &source.filename, color),
            SourceError::Compile(e) => e.render(source, color),
        }
    }

    /// One line, `SyntaxError: message (file, line N)`, for errors raised as exceptions.
    pub fn plain_message(&self, source: &SourceFile) -> String {
        let (message, offset) = match self {
            SourceError::Syntax(e) => (e.message().to_string(), e.span().start),
            SourceError::Compile(e) => (e.message.clone(), e.span.start),
        };
        let (line, _) = source.lines.line_col(offset);
        format!("{message} ({}, line {line})", source.filename)
    }
}

/// Parse and compile a whole source file.
#[allow(clippy::result_large_err)] // errors are cold; the report needs the whole diagnostic
pub fn compile_source(source: &Arc<SourceFile>, mode: Mode) -> Result<Arc<Code>, SourceError> {
    let module = syntax::parse_module(source.text()).map_err(SourceError::Syntax)?;
    compile::compile_module(&module, source.clone(), mode).map_err(SourceError::Compile)
}
