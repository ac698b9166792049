//! `toy dis`: a listing of every code object, in the spirit of `python -m dis`.

use std::fmt::Write;

use super::code::Code;
use super::opcode::Instr;
use crate::objects::Value;

/// Disassemble `code` and, after it, every code object among its constants.
pub fn disassemble(code: &Code) -> String {
    let mut out = String::new();
    disassemble_into(code, &mut out);
    out
}

fn disassemble_into(code: &Code, out: &mut String) {
    let mut last_line = 0;
    let targets: Vec<usize> = code
        .instructions
        .iter()
        .filter_map(|i| i.jump_target().map(|t| t as usize))
        .collect();
    for (ip, instr) in code.instructions.iter().enumerate() {
        let line = code.line_at(ip);
        let line_col = if line != last_line {
            if ip > 0 {
                out.push('\n');
            }
            last_line = line;
            format!("{line:>4}")
        } else {
            String::new()
        };
        let marker = if targets.contains(&ip) { ">>" } else { "  " };
        let (name, arg, note) = describe(code, &super::superinstr::unfused(*instr));
        let _ = writeln!(
            out,
            "{line_col:<4} {marker} {ip:>6} {name:<24}{arg:<5}{}",
            if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            }
        )
        .map(|_| ());
    }
    if !code.exception_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]",
                e.start, e.end, e.handler, e.depth
            );
        }
    }
    for c in &code.constants {
        if let Value::Code(inner) = c {
            let _ = write!(
                out,
                "\nDisassembly of <code object {} at {:#x}, file \"{}\", line {}>:\n",
                inner.name,
                std::sync::Arc::as_ptr(inner) as usize,
                inner.filename(),
                inner.first_line
            );
            disassemble_into(inner, out);
        }
    }
}

/// The SCREAMING_CASE name of an instruction (derived from its Rust name).
fn opname(instr: &Instr) -> String {
    let debug = format!("{instr:?}");
    let base: String = debug.chars().take_while(|c| c.is_alphanumeric()).collect();
    let mut name = String::new();
    for (i, c) in base.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

fn describe(code: &Code, instr: &Instr) -> (String, String, String) {
    use Instr::*;
    let name = opname(instr);
    let constant = |i: u32| {
        code.constants
            .get(i as usize)
            .map(short_repr)
            .unwrap_or_default()
    };
    let global = |i: u32| {
        code.names
            .get(i as usize)
            .map(|n| n.as_str().to_string())
            .unwrap_or_default()
    };
    let local = |i: u32| {
        code.varnames
            .get(i as usize)
            .map(|n| n.as_str().to_string())
            .unwrap_or_default()
    };
    let cell = |i: u32| {
        let i = i as usize;
        let n = code.cellvars.len();
        if i < n {
            code.cellvars[i].as_str().to_string()
        } else {
            code.freevars
                .get(i - n)
                .map(|f| f.as_str().to_string())
                .unwrap_or_default()
        }
    };
    let (arg, note) = match *instr {
        LoadConst(i) => (i.to_string(), constant(i)),
        LoadFast(i) | StoreFast(i) | DeleteFast(i) => (i.to_string(), local(i)),
        LoadDeref(i) | StoreDeref(i) | DeleteDeref(i) | LoadClosure(i) => (i.to_string(), cell(i)),
        LoadGlobal(i) | StoreGlobal(i) | DeleteGlobal(i) | LoadName(i) | StoreName(i)
        | DeleteName(i) | LoadAttr(i) | StoreAttr(i) | DeleteAttr(i) | LoadMethod(i)
        | ImportName(i) | ImportFrom(i) => (i.to_string(), global(i)),
        BinaryOp { op, inplace } => {
            let sym = crate::objects::number::op_symbol(op)
                .trim_end_matches(" or pow()")
                .to_string();
            (String::new(), if inplace { format!("{sym}=") } else { sym })
        }
        CompareOp(op) => (String::new(), format!("{op:?}")),
        IsOp(invert) | ContainsOp(invert) => ((invert as u8).to_string(), String::new()),
        Jump(t) | PopJumpIfFalse(t) | PopJumpIfTrue(t) | JumpIfFalseOrPop(t)
        | JumpIfTrueOrPop(t) | ForIter(t) | Send(t) => (t.to_string(), format!("to {t}")),
        Copy(n) | Swap(n) | BuildList(n) | BuildTuple(n) | BuildSet(n) | BuildMap(n)
        | BuildSlice(n) | BuildString(n) | ListAppend(n) | SetAdd(n) | MapAdd(n)
        | ListExtend(n) | SetUpdate(n) | DictUpdate(n) | DictMerge(n) | UnpackSequence(n)
        | Call(n) | CallKw(n) | CallMethod(n) | MakeFunction(n) | Raise(n) => {
            (n.to_string(), String::new())
        }
        UnpackEx { before, after } => (format!("{before},{after}"), String::new()),
        FormatValue {
            conversion,
            with_spec,
        } => {
            let conv = ["", "str", "repr", "ascii"][conversion.min(3) as usize];
            let spec = if with_spec { "with format" } else { "" };
            (
                String::new(),
                [conv, spec]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
        CallFunctionEx { with_kwargs } => ((with_kwargs as u8).to_string(), String::new()),
        _ => (String::new(), String::new()),
    };
    (name, arg, note)
}

fn short_repr(v: &Value) -> String {
    match v {
        Value::Code(c) => format!("<code object {}>", c.name),
        other => {
            let s = format!("{other:?}");
            if s.chars().count() > 40 {
                format!("{}...", s.chars().take(37).collect::<String>())
            } else {
                s
            }
        }
    }
}
