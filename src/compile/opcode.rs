//! The instruction set. Every instruction is defined once, here, with what it does and its
//! effect on the operand stack (`before -- after`, top of stack rightmost). The VM's
//! dispatch `match` in `vm/eval.rs` is the only other place that knows them.

use crate::syntax::ast::{BinOp, CmpOp};

/// Jump targets and indices are instruction indices into the code object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Instr {
    /// Do nothing.                                                          ( -- )
    Nop,
    /// Discard the top of the stack.                                        (a -- )
    PopTop,
    /// Push a copy of the `n`th item (1 = top).                             (.. a -- .. a a)
    Copy(u32),
    /// Swap the top with the `n`th item (2 = the one below the top).        (a .. b -- b .. a)
    Swap(u32),
    /// Push `consts[i]`.                                                    ( -- value)
    LoadConst(u32),
    /// Push local slot `i`; raise UnboundLocalError if it is unbound.       ( -- value)
    LoadFast(u32),
    /// Pop into local slot `i`.                                             (value -- )
    StoreFast(u32),
    /// Unbind local slot `i` (`del x`).                                     ( -- )
    DeleteFast(u32),
    /// Push the value in cell `i` (cellvars, then freevars).                ( -- value)
    LoadDeref(u32),
    /// Pop into cell `i`.                                                   (value -- )
    StoreDeref(u32),
    /// Unbind cell `i`.                                                     ( -- )
    DeleteDeref(u32),
    /// Push cell `i` itself, to build a closure.                            ( -- cell)
    LoadClosure(u32),
    /// Push global `names[i]`, falling back to builtins.                    ( -- value)
    LoadGlobal(u32),
    /// Pop into global `names[i]`.                                          (value -- )
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// Push `names[i]` from the frame's local namespace (module or class body), then
    /// globals, then builtins.                                              ( -- value)
    LoadName(u32),
    /// Pop into `names[i]` in the frame's local namespace.                  (value -- )
    StoreName(u32),
    DeleteName(u32),
    /// Replace the object on top with its attribute `names[i]`.             (obj -- value)
    LoadAttr(u32),
    /// `obj.names[i] = value`.                                              (value obj -- )
    StoreAttr(u32),
    /// `del obj.names[i]`.                                                  (obj -- )
    DeleteAttr(u32),
    /// Look up method `names[i]` for a call without building a bound method: pushes the
    /// function and the receiver, or the attribute and a null.   (obj -- func self|null)
    LoadMethod(u32),
    /// Binary operator (also used for augmented assignment when `inplace`). (a b -- result)
    BinaryOp {
        op: BinOp,
        inplace: bool,
    },
    /// `-a`.                                                                (a -- result)
    UnaryNegative,
    /// `+a`.                                                                (a -- result)
    UnaryPositive,
    /// `~a`.                                                                (a -- result)
    UnaryInvert,
    /// `not a`.                                                             (a -- bool)
    UnaryNot,
    /// Rich comparison (`==`, `<`, ...; `is`/`in` use their own instructions). (a b -- result)
    CompareOp(CmpOp),
    /// `a is b`, or `a is not b` when `invert`.                             (a b -- bool)
    IsOp(bool),
    /// `a in b`, or `a not in b` when `invert`.                             (a b -- bool)
    ContainsOp(bool),
    /// `container[key]`.                                                    (container key -- value)
    BinarySubscr,
    /// `container[key] = value`.                                            (value container key -- )
    StoreSubscr,
    /// `del container[key]`.                                                (container key -- )
    DeleteSubscr,
    /// Build a list of the top `n` items.                                   (items*n -- list)
    BuildList(u32),
    /// Build a tuple of the top `n` items.                                  (items*n -- tuple)
    BuildTuple(u32),
    /// Build a set of the top `n` items.                                    (items*n -- set)
    BuildSet(u32),
    /// Build a dict of the top `n` key/value pairs.                         (k v ... -- dict)
    BuildMap(u32),
    /// Build a slice from 2 (`start stop`) or 3 items.                      (start stop [step] -- slice)
    BuildSlice(u32),
    /// Concatenate the top `n` strings (f-strings).                         (strs*n -- str)
    BuildString(u32),
    /// Append the top to the list `n` below it (comprehensions, displays).  (list .. item -- list ..)
    ListAppend(u32),
    /// Add the top to the set `n` below it.                                 (set .. item -- set ..)
    SetAdd(u32),
    /// Store the top pair into the dict `n` below them.                     (dict .. k v -- dict ..)
    MapAdd(u32),
    /// Extend the list `n` below with the iterable on top (`[*a]`).         (list .. iterable -- list ..)
    ListExtend(u32),
    /// Update the set `n` below with the iterable on top (`{*a}`).          (set .. iterable -- set ..)
    SetUpdate(u32),
    /// Update the dict `n` below with the mapping on top (`{**m}`).         (dict .. mapping -- dict ..)
    DictUpdate(u32),
    /// Merge the mapping on top into the kwargs dict `n` below, rejecting duplicate keys
    /// (`f(**a, **b)`).                                                      (dict .. mapping -- dict ..)
    DictMerge(u32),
    /// Turn the list on top into a tuple.                                   (list -- tuple)
    ListToTuple,
    /// Format the value for an f-string: conversion 0 none, 1 `!s`, 2 `!r`, 3 `!a`; when
    /// `with_spec`, the format spec string is on top.          (value [spec] -- str)
    FormatValue {
        conversion: u8,
        with_spec: bool,
    },
    /// Jump unconditionally.                                                ( -- )
    Jump(u32),
    /// Pop; jump if it is false.                                            (cond -- )
    PopJumpIfFalse(u32),
    /// Pop; jump if it is true.                                             (cond -- )
    PopJumpIfTrue(u32),
    /// If the top is false jump and keep it, else pop it (`and`).           (a -- a | )
    JumpIfFalseOrPop(u32),
    /// If the top is true jump and keep it, else pop it (`or`).             (a -- a | )
    JumpIfTrueOrPop(u32),
    /// Replace the top with an iterator over it.                            (iterable -- iter)
    GetIter,
    /// Push the iterator's next item, or pop the iterator and jump to the target when it is
    /// exhausted.                                                  (iter -- iter item | )
    ForIter(u32),
    /// Unpack a sequence of exactly `n` items, pushing them so that the first is on top.
    ///                                                                      (seq -- items*n)
    UnpackSequence(u32),
    /// Unpack with a starred target: `before` items, a list of the rest, `after` items.
    ///                                                        (seq -- items*(before+1+after))
    UnpackEx {
        before: u16,
        after: u16,
    },
    /// Call with `argc` positional arguments.                               (func args*argc -- result)
    Call(u32),
    /// Call with `argc` arguments, the last ones keywords named by the const tuple on top.
    ///                                                        (func args*argc names -- result)
    CallKw(u32),
    /// Call a method found by `LoadMethod` with `argc` arguments.
    ///                                                   (func self|null args*argc -- result)
    CallMethod(u32),
    /// Call with a tuple of positional arguments and, when `with_kwargs`, a dict.
    ///                                                (func args_tuple [kwargs] -- result)
    CallFunctionEx {
        with_kwargs: bool,
    },
    /// Build a function from the code object on top and, by flag: defaults tuple (1),
    /// kw-only defaults dict (2), closure tuple of cells (8).
    ///                                       ([defaults] [kwdefaults] [closure] code -- func)
    MakeFunction(u32),
    /// Return the top of the stack to the caller.                          (value -- )
    ReturnValue,
    /// Raise: 0 = re-raise the exception being handled, 1 = raise the top, 2 = raise with
    /// cause (`raise a from b`).                                   (exc? cause? -- )
    Raise(u32),
    /// Re-raise the exception on top (end of a `finally` or failed `except` match).
    ///                                                                      (exc -- )
    Reraise,
    /// Enter an exception handler: save the exception currently being handled below the
    /// new one, and make the new one current.                       (exc -- prev exc)
    PushExcInfo,
    /// Leave a handler: restore the previously handled exception.          (prev -- )
    PopExcept,
    /// Test whether the exception below matches the class (or tuple) on top.
    ///                                                      (exc class -- exc bool)
    CheckExcMatch,
    /// Enter a `with` block: push the manager's bound `__exit__` and the result of calling
    /// its `__enter__`.                                             (mgr -- exit value)
    BeforeWith,
    /// In a `with` block's handler: call `exit(type, exc, tb)` for the exception on top
    /// and push its result.                           (exit prev exc -- exit prev exc result)
    WithExceptStart,
    /// Push `AssertionError`.                                               ( -- class)
    LoadAssertionError,
    /// Import module `names[i]`: pops the fromlist and level.     (level fromlist -- module)
    ImportName(u32),
    /// Push attribute `names[i]` of the module on top, for `from m import x`. (module -- module value)
    ImportFrom(u32),
    /// Copy all public names of the module on top into the local namespace. (module -- )
    ImportStar,
    /// REPL only: echo the top's repr unless it is None, and store it in `_`. (value -- )
    PrintExpr,
    /// Push the `__build_class__` builtin.                                  ( -- func)
    LoadBuildClass,
    /// Suspend the generator, sending the top to its consumer; the value sent back in
    /// is pushed when it resumes.                                           (value -- sent)
    YieldValue,
    /// Delegate to the sub-iterator below the top (`yield from`): send the top into it;
    /// loop here while it yields, and when it returns jump to the target with its result.
    ///                                                   (subiter sent -- subiter sent | result)
    Send(u32),
    /// Replace the top with an iterator for `yield from` / `await`.         (iterable -- iter)
    GetYieldFromIter,
    /// Replace the top with the iterator `await` delegates to: a coroutine itself, or what
    /// its `__await__()` returns.                                     (awaitable -- iter)
    GetAwaitable,
    /// Enter an `async with` block: push the manager's bound `__aexit__` and the awaitable
    /// its `__aenter__()` returns.                             (mgr -- aexit awaitable)
    BeforeAsyncWith,
    /// Replace the top with its `__aiter__()`, for `async for`.            (obj -- aiter)
    GetAIter,
    /// Push the awaitable `__anext__()` of the async iterator on top.
    ///                                                        (aiter -- aiter awaitable)
    GetANext,
    /// End of an `async for` loop's handler: StopAsyncIteration ends the loop (dropping the
    /// iterator); any other exception is re-raised.                    (aiter exc -- )
    EndAsyncFor,

    // Superinstructions (`compile::superinstr`). Each replaces the first instruction of a
    // common sequence and leaves the rest of the sequence in place after it: when its fast
    // path does not apply, it does what that first instruction does and the others run as
    // usual. A fast path counts every instruction it covers for the eval breaker.
    /// `LoadFast(local) LoadConst(konst) BinaryOp(op)` on small ints.        ( -- result)
    FastConstBinaryOp {
        local: u16,
        konst: u16,
        op: BinOp,
    },
    /// `LoadFast(local) LoadConst(konst) CompareOp(op)` on small ints, also taking the
    /// `PopJumpIfFalse`/`PopJumpIfTrue` after it.                         ( -- bool | )
    FastConstCompare {
        local: u16,
        konst: u16,
        op: CmpOp,
    },
    /// `LoadFast(a) LoadFast(b)`.                                           ( -- a b)
    LoadFastPair(u16, u16),
    /// `LoadFast(local) LoadAttr(name)`.                                    ( -- value)
    FastLoadAttr {
        local: u16,
        name: u16,
    },
}

impl Instr {
    /// The jump target, if this instruction jumps.
    pub fn jump_target(&self) -> Option<u32> {
        use Instr::*;
        match *self {
            Jump(t) | PopJumpIfFalse(t) | PopJumpIfTrue(t) | JumpIfFalseOrPop(t)
            | JumpIfTrueOrPop(t) | ForIter(t) | Send(t) => Some(t),
            _ => None,
        }
    }

    /// Point a jump at a new target (used when the compiler patches forward jumps).
    pub fn set_jump_target(&mut self, target: u32) {
        use Instr::*;
        match self {
            Jump(t) | PopJumpIfFalse(t) | PopJumpIfTrue(t) | JumpIfFalseOrPop(t)
            | JumpIfTrueOrPop(t) | ForIter(t) | Send(t) => *t = target,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn instructions_are_small() {
        assert!(std::mem::size_of::<super::Instr>() <= 8);
    }
}
