//! A frame: one activation of a code object on a thread's VM stack.
//!
//! Locals and operands share the thread's value stack: a frame owns
//! `stack[base .. base + nlocals]` for its local slots and everything above for operands.
//! Calling a toy function pushes a frame instead of recursing in Rust (DESIGN.md decision 3).

use std::sync::Arc;

use crate::compile::code::Code;
use crate::objects::{Cell, DictObj, Function, GenObj, Value};

pub struct Frame {
    /// The function running (a module's code runs as a function too). Its code and globals
    /// are the frame's: one reference instead of two, and a call that finds the function
    /// in its stack slot moves it here instead of counting another reference.
    pub func: Arc<Function>,
    /// Index of the next instruction (saved while another frame runs).
    pub ip: usize,
    /// Where this frame's local slots start in the value stack.
    pub base: usize,
    /// Where to cut the stack back to when the frame returns (drops the callable too).
    pub return_to: usize,
    /// Cells: the code's cellvars, then its freevars (from the function's closure).
    pub cells: Box<[Arc<Cell>]>,
    /// True when native code called into this frame: its return ends the nested run loop.
    pub is_entry: bool,
    /// What only module, class-body and generator frames need. Kept out of line so that
    /// a plain call builds, moves and drops a small frame.
    pub extra: Option<Box<FrameExtra>>,
}

#[derive(Default)]
pub struct FrameExtra {
    /// The namespace of a module or class body (`None` for functions).
    pub namespace: Option<Arc<DictObj>>,
    /// The generator this frame belongs to, if it is a generator's frame.
    pub generator: Option<Arc<GenObj>>,
    /// For a generator resumed inline by a `for` loop: where the loop continues when the
    /// generator is exhausted.
    pub for_exit: Option<u32>,
    /// The exception the resumer was handling, restored when the generator suspends.
    pub caller_handled: Value,
}

impl Frame {
    #[inline]
    pub fn code(&self) -> &Arc<Code> {
        &self.func.code
    }

    #[inline]
    pub fn globals(&self) -> &Arc<DictObj> {
        &self.func.globals
    }

    pub fn namespace(&self) -> Option<&Arc<DictObj>> {
        self.extra.as_ref()?.namespace.as_ref()
    }

    pub fn generator(&self) -> Option<&Arc<GenObj>> {
        self.extra.as_ref()?.generator.as_ref()
    }

    pub fn for_exit(&self) -> Option<u32> {
        self.extra.as_ref()?.for_exit
    }

    pub fn caller_handled(&self) -> &Value {
        const NONE: &Value = &Value::None;
        self.extra.as_ref().map_or(NONE, |e| &e.caller_handled)
    }

    /// The out-of-line fields, created on first use.
    pub fn extra_mut(&mut self) -> &mut FrameExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    pub fn line(&self) -> u32 {
        // `ip` already points past the executing instruction.
        self.code().line_at(self.ip.saturating_sub(1))
    }
}
