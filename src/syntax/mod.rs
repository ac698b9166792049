//! The front end: source text to AST.
//!
//! `lexer` (logos tokens) -> `indent` (NEWLINE / INDENT / DEDENT) -> `parse` (the LALRPOP
//! grammar in `grammar/toy.lalrpop`, plus `fstring` for f-string fields) -> `ast`.
//! Errors are [`SyntaxError`]s: miette diagnostics with labelled spans.

// Errors are cold and carry labels and help text; boxing them buys nothing here.
#![allow(clippy::result_large_err)]

pub mod ast;
pub mod diagnostics;
pub mod fstring;
pub mod indent;
pub mod lexer;
pub mod parse;
pub mod source;

#[cfg(test)]
mod tests;

pub use diagnostics::{ErrorKind, SyntaxError};
pub use parse::{parse_expression, parse_module};
pub use source::LineIndex;
