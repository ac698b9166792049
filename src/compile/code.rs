//! Code objects: the compiled form of a module, function, class body or comprehension.

use std::sync::Arc;

use super::opcode::Instr;
use crate::objects::dict::PositionHint;
use crate::objects::types::ClassHint;
use crate::objects::{StrObj, Value};
use crate::syntax::LineIndex;

/// The source a code object came from: its file name and text (kept by the line index),
/// for tracebacks and `dis`.
pub struct SourceFile {
    pub filename: Arc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(filename: &str, text: String) -> SourceFile {
        SourceFile {
            filename: filename.into(),
            lines: LineIndex::new(&text),
        }
    }

    pub fn text(&self) -> &str {
        self.lines.text()
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.line_text(line as usize)
    }
}

/// Flags describing how a code object is called.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeFlags {
    /// Has a `*args` parameter (stored in the slot after the named positional ones).
    pub varargs: bool,
    /// Has a `**kwargs` parameter (stored after `*args`, if any).
    pub varkeywords: bool,
    /// Contains `yield`: calling it makes a generator.
    pub generator: bool,
    /// An `async def`: calling it makes a coroutine.
    pub coroutine: bool,
    /// Module or class body: names live in a dict, not in slots.
    pub uses_namespace: bool,
}

impl CodeFlags {
    /// The flags as CPython's `co_flags` bits (`inspect.CO_*`), for introspection such as
    /// `asyncio.iscoroutinefunction`.
    pub fn cpython_bits(&self) -> i64 {
        let mut bits = 0;
        if !self.uses_namespace {
            bits |= 0x01 | 0x02; // CO_OPTIMIZED | CO_NEWLOCALS
        }
        if self.varargs {
            bits |= 0x04;
        }
        if self.varkeywords {
            bits |= 0x08;
        }
        if self.coroutine {
            bits |= 0x80;
        } else if self.generator {
            bits |= 0x20;
        }
        bits
    }
}

/// A region of instructions protected by a handler, as in CPython 3.11's exception table.
#[derive(Debug, Clone, Copy)]
pub struct ExceptionEntry {
    /// First protected instruction.
    pub start: u32,
    /// One past the last protected instruction.
    pub end: u32,
    /// Where to jump with the exception pushed.
    pub handler: u32,
    /// Operand stack depth to unwind to before pushing the exception.
    pub depth: u32,
}

pub struct Code {
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub source: Arc<SourceFile>,
    pub first_line: u32,
    pub instructions: Vec<Instr>,
    /// Source line of each instruction (same length as `instructions`).
    pub lines: Vec<u32>,
    pub constants: Vec<Value>,
    /// Names used by global, attribute and namespace instructions.
    pub names: Vec<Arc<StrObj>>,
    /// Local variable names: parameters first, in order.
    pub varnames: Vec<Arc<StrObj>>,
    /// Locals captured by inner functions (stored in cells, not slots).
    pub cellvars: Vec<Arc<StrObj>>,
    /// Variables of enclosing functions this code reads through cells.
    pub freevars: Vec<Arc<StrObj>>,
    /// For each cellvar that is also a parameter: its argument slot.
    pub cell_args: Vec<(u32, u32)>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: CodeFlags,
    /// Handlers, innermost first for overlapping ranges.
    pub exception_table: Vec<ExceptionEntry>,
    /// Largest operand-stack depth the code can reach.
    pub max_stack: u32,
    pub docstring: Value,
    /// A plain function: no keyword-only, `*args` or `**kwargs` parameters, not a
    /// generator or coroutine. Called with exactly `argcount` positional arguments, its
    /// frame takes them where they lie on the stack (`Vm::call_at`'s fast path).
    pub plain_positional: bool,
    /// One set of lookup hints per entry of `names` (see `NameHints`).
    pub name_hints: Box<[NameHints]>,
}

/// Where the lookups of one name of a code object found it last time: in the globals, in
/// the builtins, in an instance's `__dict__`. Only hints (see `dict::PositionHint`).
#[derive(Debug, Default)]
pub struct NameHints {
    pub global: PositionHint,
    pub builtin: PositionHint,
    pub attr: PositionHint,
    /// A class whose instances' attribute of this name is read from their `__dict__`.
    pub load_class: ClassHint,
    /// A class whose instances' attribute of this name is stored into their `__dict__`.
    pub store_class: ClassHint,
}

impl Code {
    /// The lookup hints of `names[i]` (a shared, unused set if `i` is out of range).
    #[inline]
    pub fn hints(&self, i: usize) -> &NameHints {
        static NONE: NameHints = NameHints {
            global: PositionHint::new(),
            builtin: PositionHint::new(),
            attr: PositionHint::new(),
            load_class: ClassHint::new(),
            store_class: ClassHint::new(),
        };
        self.name_hints.get(i).unwrap_or(&NONE)
    }

    /// Number of local slots (parameters included).
    pub fn nlocals(&self) -> usize {
        self.varnames.len()
    }

    /// Number of cells a frame needs.
    pub fn ncells(&self) -> usize {
        self.cellvars.len() + self.freevars.len()
    }

    /// Total parameter slots: positional, keyword-only, then `*args` and `**kwargs`.
    pub fn total_params(&self) -> usize {
        (self.argcount + self.kwonlyargcount) as usize
            + self.flags.varargs as usize
            + self.flags.varkeywords as usize
    }

    pub fn line_at(&self, ip: usize) -> u32 {
        self.lines.get(ip).copied().unwrap_or(self.first_line)
    }

    /// The innermost handler covering instruction `ip`.
    pub fn handler_for(&self, ip: usize) -> Option<&ExceptionEntry> {
        let ip = ip as u32;
        self.exception_table
            .iter()
            .find(|e| e.start <= ip && ip < e.end)
    }

    pub fn filename(&self) -> &str {
        &self.source.filename
    }
}
