//! Superinstructions: common instruction sequences fused into one dispatch.
//!
//! A fused instruction replaces only the first instruction of its sequence; the rest of the
//! sequence stays in the code after it. The VM runs the whole sequence at once when its fast
//! path applies (small ints, enough of the breaker's countdown left) and skips over the
//! rest; otherwise it does what the first instruction does and the rest run one by one. So
//! jumps into the middle of a sequence, errors, tracebacks and check-interval switch points
//! are exactly those of the unfused code, and `dis` shows the unfused instructions.

use super::opcode::Instr;

/// Fuse the sequences that start at each instruction of `instrs`.
pub fn fuse(instrs: &mut [Instr]) {
    for i in 0..instrs.len() {
        if let Some(fused) = fused_at(&instrs[i..]) {
            instrs[i] = fused;
        }
    }
}

/// The superinstruction for the sequence at the start of `rest`, if there is one.
fn fused_at(rest: &[Instr]) -> Option<Instr> {
    use Instr::*;
    let small = |i: u32| u16::try_from(i).ok();
    match *rest {
        [LoadFast(local), LoadConst(konst), BinaryOp { op, .. }, ..] => Some(FastConstBinaryOp {
            local: small(local)?,
            konst: small(konst)?,
            op,
        }),
        [LoadFast(local), LoadConst(konst), CompareOp(op), ..] => Some(FastConstCompare {
            local: small(local)?,
            konst: small(konst)?,
            op,
        }),
        [LoadFast(local), LoadAttr(name), ..] => Some(FastLoadAttr {
            local: small(local)?,
            name: small(name)?,
        }),
        // Not when the second load starts a longer sequence: that one saves more.
        [LoadFast(a), LoadFast(b), ..] if !matches!(fused_at(&rest[1..]), Some(f) if f.covers() > 2) => {
            Some(LoadFastPair(small(a)?, small(b)?))
        }
        _ => None,
    }
}

impl Instr {
    /// How many instructions a superinstruction's fast path covers at least.
    fn covers(&self) -> usize {
        match self {
            Instr::FastConstBinaryOp { .. } | Instr::FastConstCompare { .. } => 3,
            Instr::LoadFastPair(..) | Instr::FastLoadAttr { .. } => 2,
            _ => 1,
        }
    }
}

/// The instruction a superinstruction stands in for (itself for any other instruction).
pub fn unfused(instr: Instr) -> Instr {
    use Instr::*;
    match instr {
        FastConstBinaryOp { local, .. }
        | FastConstCompare { local, .. }
        | FastLoadAttr { local, .. }
        | LoadFastPair(local, _) => LoadFast(local as u32),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::BinOp;

    #[test]
    fn fuses_the_first_instruction_and_keeps_the_rest() {
        let mut code = vec![
            Instr::LoadFast(0),
            Instr::LoadConst(1),
            Instr::BinaryOp {
                op: BinOp::Sub,
                inplace: false,
            },
            Instr::ReturnValue,
        ];
        let original = code.clone();
        fuse(&mut code);
        assert_eq!(
            code[0],
            Instr::FastConstBinaryOp {
                local: 0,
                konst: 1,
                op: BinOp::Sub
            }
        );
        assert_eq!(code[1..], original[1..]);
        assert_eq!(unfused(code[0]), original[0]);
    }

    #[test]
    fn a_pair_gives_way_to_a_longer_sequence() {
        let mut code = vec![
            Instr::LoadFast(0),
            Instr::LoadFast(1),
            Instr::LoadConst(0),
            Instr::BinaryOp {
                op: BinOp::Add,
                inplace: false,
            },
        ];
        fuse(&mut code);
        assert_eq!(code[0], Instr::LoadFast(0));
        assert!(matches!(code[1], Instr::FastConstBinaryOp { local: 1, .. }));
    }

    #[test]
    fn large_indices_are_left_alone() {
        let mut code = vec![Instr::LoadFast(70_000), Instr::LoadFast(1)];
        fuse(&mut code);
        assert_eq!(code[0], Instr::LoadFast(70_000));
    }
}
