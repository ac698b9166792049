//! The compiler: scope analysis and code generation from the AST to code objects, plus
//! the instruction set and `dis`.

pub mod code;
pub mod codegen;
pub mod dis;
pub mod opcode;
pub mod scope;
pub mod superinstr;

pub use codegen::{compile_module, CompileError, Mode};
