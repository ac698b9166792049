//! Code generation: AST + scope analysis in, code objects out.
//!
//! Exceptions use a zero-cost table, as in CPython 3.11: a `try` costs nothing until
//! something is raised; the VM then looks up the innermost handler covering the failing
//! instruction. `return`/`break`/`continue` that leave a `try`, `with` or handler run the
//! needed clean-up inline (the `finally` body is compiled again at each exit).

use std::collections::HashMap;
use std::sync::Arc;

use num_bigint::BigInt;

use super::code::{Code, CodeFlags, ExceptionEntry, NameHints, SourceFile};
use super::opcode::Instr;
use super::scope::{node_key, Access, ScopeKind, ScopeTable};
use crate::objects::{StrObj, Value};
use crate::syntax::ast::*;

/// A compile-time error that the parser cannot see (e.g. `break` outside a loop).
#[derive(Debug, Clone)]
pub struct CompileError {
    pub message: String,
    pub span: Span,
}

type CResult<T = ()> = Result<T, CompileError>;

fn err<T>(message: impl Into<String>, span: Span) -> CResult<T> {
    Err(CompileError {
        message: message.into(),
        span,
    })
}

/// How the module's top-level code is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A script or module file.
    Exec,
    /// A REPL entry: expression statements echo their value.
    Interactive,
}

/// Compile a parsed module into its top-level code object.
pub fn compile_module(module: &Module, source: Arc<SourceFile>, mode: Mode) -> CResult<Arc<Code>> {
    let table = ScopeTable::analyze(module).map_err(|e| CompileError {
        message: e.message,
        span: e.span,
    })?;
    let mut c = Compiler {
        table: &table,
        source,
        units: Vec::new(),
        mode,
    };
    c.push_unit(0, "<module>".into(), "<module>".into(), 1);
    // A string typed at the REPL is an expression to echo, not a docstring.
    let docstring = if mode == Mode::Interactive {
        None
    } else {
        docstring_of(&module.body)
    };
    if let Some(doc) = &docstring {
        // A module docstring becomes `__doc__`.
        let k = c.constant(Value::str(doc));
        c.emit(Instr::LoadConst(k));
        c.store_name("__doc__");
    }
    let body = if docstring.is_some() {
        &module.body[1..]
    } else {
        &module.body[..]
    };
    c.stmts(body)?;
    c.return_none();
    Ok(c.pop_unit(Params::default(), docstring))
}

fn docstring_of(body: &[Stmt]) -> Option<String> {
    match body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(Expr {
            kind: ExprKind::Constant(Constant::Str(s)),
            ..
        })) => Some(s.clone()),
        _ => None,
    }
}

type Label = usize;

#[derive(Clone, Copy)]
enum NameOp {
    Load,
    Store,
    Delete,
}

/// Something enclosing the code being compiled that `return`/`break`/`continue` must
/// clean up when they leave it.
#[derive(Clone)]
enum FBlock<'a> {
    /// A `for` loop: its iterator is on the stack.
    For {
        continue_label: Label,
        break_label: Label,
    },
    While {
        continue_label: Label,
        break_label: Label,
    },
    /// The body of a `try` with handlers: its protection must be paused when leaving.
    TryBody { protection: usize },
    /// The body of a `try` with `finally`: leaving runs the finally body.
    FinallyTry { protection: usize, body: &'a [Stmt] },
    /// The exceptional-path copy of a `finally` body: the previous and current exception
    /// are on the stack.
    FinallyEnd { protection: usize },
    /// A `with` body: the `__exit__` method (`__aexit__` for `async with`) is on the stack.
    With { protection: usize, is_async: bool },
    /// An `except` body: the previously handled exception is on the stack, and the bound
    /// name (if any) must be cleared.
    Handler {
        protection: usize,
        name: Option<String>,
    },
    /// A value to discard when leaving: the pending return value while a `finally` body
    /// runs on the way out of a `return`.
    PopValue,
}

struct Protection {
    handler: Label,
    depth: u32,
    level: u32,
    start: Option<u32>,
}

struct Unit<'a> {
    scope: usize,
    name: Arc<str>,
    qualname: Arc<str>,
    first_line: u32,
    instrs: Vec<Instr>,
    lines: Vec<u32>,
    constants: Vec<Value>,
    names: Vec<Arc<StrObj>>,
    name_index: HashMap<String, u32>,
    labels: Vec<Option<u32>>,
    line: u32,
    fblocks: Vec<FBlock<'a>>,
    protections: Vec<Protection>,
    /// Finished ranges with their nesting level (deeper = more inner).
    ranges: Vec<(u32, ExceptionEntry)>,
    /// Operand stack depth at statement boundaries, from enclosing constructs.
    depth: u32,
}

struct Compiler<'a> {
    table: &'a ScopeTable,
    source: Arc<SourceFile>,
    units: Vec<Unit<'a>>,
    mode: Mode,
}

fn intern(s: &str) -> Arc<StrObj> {
    crate::objects::str::intern(s)
}

impl<'a> Compiler<'a> {
    // ----- units -----------------------------------------------------------------------

    fn push_unit(&mut self, scope: usize, name: Arc<str>, qualname: Arc<str>, first_line: u32) {
        self.units.push(Unit {
            scope,
            name,
            qualname,
            first_line,
            instrs: Vec::new(),
            lines: Vec::new(),
            constants: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            labels: Vec::new(),
            line: first_line,
            fblocks: Vec::new(),
            protections: Vec::new(),
            ranges: Vec::new(),
            depth: 0,
        });
    }

    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a unit is being compiled")
    }

    fn unit_ref(&self) -> &Unit<'a> {
        self.units.last().expect("a unit is being compiled")
    }

    fn scope(&self) -> &'a super::scope::Scope {
        &self.table.scopes[self.unit_ref().scope]
    }

    fn pop_unit(&mut self, params: Params, docstring: Option<String>) -> Arc<Code> {
        let u = self.units.pop().expect("a unit is being compiled");
        let scope = &self.table.scopes[u.scope];
        let resolve = |l: u32| u.labels[l as usize].expect("every label is bound");
        let mut instrs: Vec<Instr> = u
            .instrs
            .iter()
            .map(|i| {
                let mut i = *i;
                if let Some(t) = i.jump_target() {
                    i.set_jump_target(resolve(t));
                }
                i
            })
            .collect();
        super::superinstr::fuse(&mut instrs);
        let mut ranges = u.ranges;
        ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
        let exception_table = ranges
            .into_iter()
            .filter(|(_, e)| e.start < e.end)
            .map(|(_, e)| ExceptionEntry {
                handler: resolve(e.handler),
                ..e
            })
            .collect();
        let varnames: Vec<Arc<StrObj>> = scope.varnames.iter().map(|n| intern(n)).collect();
        let cell_args = scope
            .cellvars
            .iter()
            .enumerate()
            .filter_map(|(ci, name)| scope.slot(name).map(|slot| (ci as u32, slot as u32)))
            .filter(|&(_, slot)| (slot as usize) < params_count(&params))
            .collect();
        let flags = CodeFlags {
            varargs: params.vararg.is_some(),
            varkeywords: params.kwarg.is_some(),
            // A coroutine runs on the generator machinery: calling it makes a suspended frame.
            generator: scope.is_generator || scope.is_coroutine,
            coroutine: scope.is_coroutine,
            uses_namespace: matches!(scope.kind, ScopeKind::Module | ScopeKind::Class),
        };
        let name_hints = u.names.iter().map(|_| NameHints::default()).collect();
        let plain_positional =
            params.kwonly.is_empty() && !flags.varargs && !flags.varkeywords && !flags.generator;
        Arc::new(Code {
            name: u.name,
            qualname: u.qualname,
            source: self.source.clone(),
            first_line: u.first_line,
            instructions: instrs,
            lines: u.lines,
            constants: u.constants,
            names: u.names,
            varnames,
            cellvars: scope.cellvars.iter().map(|n| intern(n)).collect(),
            freevars: scope.freevars.iter().map(|n| intern(n)).collect(),
            cell_args,
            argcount: (params.posonly.len() + params.args.len()) as u32,
            posonlyargcount: params.posonly.len() as u32,
            kwonlyargcount: params.kwonly.len() as u32,
            flags,
            exception_table,
            max_stack: 0,
            docstring: docstring.map(|d| Value::str(&d)).unwrap_or(Value::None),
            plain_positional,
            name_hints,
        })
    }

    // ----- emitting ---------------------------------------------------------------------

    fn emit(&mut self, instr: Instr) -> usize {
        let u = self.unit();
        u.instrs.push(instr);
        u.lines.push(u.line);
        u.instrs.len() - 1
    }

    fn here(&mut self) -> u32 {
        self.unit().instrs.len() as u32
    }

    fn new_label(&mut self) -> Label {
        let u = self.unit();
        u.labels.push(None);
        u.labels.len() - 1
    }

    fn bind(&mut self, label: Label) {
        let here = self.here();
        self.unit().labels[label] = Some(here);
    }

    /// Emit a jump-family instruction aimed at `label` (patched in `pop_unit`).
    fn jump(&mut self, make: fn(u32) -> Instr, label: Label) {
        self.emit(make(label as u32));
    }

    fn set_line(&mut self, span: Span) {
        let (line, _) = self.source.lines.line_col(span.start);
        self.unit().line = line as u32;
    }

    fn constant(&mut self, value: Value) -> u32 {
        let u = self.unit();
        let existing = u.constants.iter().position(|c| same_constant(c, &value));
        match existing {
            Some(i) => i as u32,
            None => {
                u.constants.push(value);
                (u.constants.len() - 1) as u32
            }
        }
    }

    fn name_idx(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(&i) = u.name_index.get(name) {
            return i;
        }
        u.names.push(intern(name));
        let i = (u.names.len() - 1) as u32;
        u.name_index.insert(name.to_string(), i);
        i
    }

    /// Index of an attribute name, mangled when private inside a class.
    fn attr_idx(&mut self, attr: &str) -> u32 {
        let mangled = self.scope().mangle(attr);
        self.name_idx(&mangled)
    }

    fn return_none(&mut self) {
        let k = self.constant(Value::None);
        self.emit(Instr::LoadConst(k));
        self.emit(Instr::ReturnValue);
    }

    // ----- exception protection ---------------------------------------------------------

    /// Start protecting the following instructions with a handler at `handler`.
    fn protect(&mut self, handler: Label, depth: u32) -> usize {
        let start = self.here();
        let u = self.unit();
        let level = u.protections.len() as u32;
        u.protections.push(Protection {
            handler,
            depth,
            level,
            start: Some(start),
        });
        u.protections.len() - 1
    }

    fn pause(&mut self, p: usize) {
        let end = self.here();
        let u = self.unit();
        let prot = &mut u.protections[p];
        if let Some(start) = prot.start.take() {
            let entry = ExceptionEntry {
                start,
                end,
                handler: prot.handler as u32,
                depth: prot.depth,
            };
            u.ranges.push((prot.level, entry));
        }
    }

    fn resume(&mut self, p: usize) {
        let here = self.here();
        let prot = &mut self.unit().protections[p];
        if prot.start.is_none() {
            prot.start = Some(here);
        }
    }

    /// Stop protecting for good (the protection index stays valid but inert).
    fn unprotect(&mut self, p: usize) {
        self.pause(p);
    }

    // ----- names ------------------------------------------------------------------------

    fn load_name(&mut self, name: &str) {
        self.name_op(name, NameOp::Load);
    }

    fn store_name(&mut self, name: &str) {
        self.name_op(name, NameOp::Store);
    }

    fn delete_name(&mut self, name: &str) {
        self.name_op(name, NameOp::Delete);
    }

    /// Emit the load/store/delete of `name` that its scope decides: a local slot, a cell,
    /// a global, or the namespace of a module or class body.
    fn name_op(&mut self, name: &str, op: NameOp) {
        let scope = self.scope();
        let mangled = scope.mangle(name);
        let name = mangled.as_str();
        let pick = |load: fn(u32) -> Instr,
                    store: fn(u32) -> Instr,
                    delete: fn(u32) -> Instr,
                    i: u32| match op {
            NameOp::Load => load(i),
            NameOp::Store => store(i),
            NameOp::Delete => delete(i),
        };
        let global = |i| {
            pick(
                Instr::LoadGlobal,
                Instr::StoreGlobal,
                Instr::DeleteGlobal,
                i,
            )
        };
        let instr = match scope.access(name) {
            Access::Fast => {
                let slot = scope.slot(name).expect("local has a slot") as u32;
                pick(Instr::LoadFast, Instr::StoreFast, Instr::DeleteFast, slot)
            }
            Access::Deref => {
                let i = scope.cell_index(name).expect("cell exists") as u32;
                pick(Instr::LoadDeref, Instr::StoreDeref, Instr::DeleteDeref, i)
            }
            Access::Global => global(self.name_idx(name)),
            // At module level the namespace is the globals dict.
            Access::Name if scope.kind == ScopeKind::Module => global(self.name_idx(name)),
            Access::Name => pick(
                Instr::LoadName,
                Instr::StoreName,
                Instr::DeleteName,
                self.name_idx(name),
            ),
        };
        self.emit(instr);
    }

    // ----- statements -------------------------------------------------------------------

    fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult {
        self.set_line(s.span);
        match &s.kind {
            StmtKind::Expr(e) => {
                let echo = self.mode == Mode::Interactive && self.units.len() == 1;
                self.expr(e)?;
                self.emit(if echo {
                    Instr::PrintExpr
                } else {
                    Instr::PopTop
                });
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Instr::Copy(1));
                    }
                    self.assign_target(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value)?,
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.assign_target(target)?;
                }
            }
            StmtKind::If { test, body, orelse } => {
                let else_label = self.new_label();
                let end = self.new_label();
                self.cond_jump(test, false, else_label)?;
                self.stmts(body)?;
                if !orelse.is_empty() {
                    self.jump(Instr::Jump, end);
                }
                self.bind(else_label);
                self.stmts(orelse)?;
                self.bind(end);
            }
            StmtKind::While { test, body, orelse } => self.while_stmt(test, body, orelse)?,
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => {
                if *is_async {
                    self.async_for_stmt(target, iter, body, orelse)?
                } else {
                    self.for_stmt(target, iter, body, orelse)?
                }
            }
            StmtKind::Break => self.break_continue(true, s.span)?,
            StmtKind::Continue => self.break_continue(false, s.span)?,
            StmtKind::Pass => {}
            StmtKind::Return(value) => self.return_stmt(value.as_ref(), s.span)?,
            StmtKind::Del(targets) => {
                for t in targets {
                    self.delete_target(t)?;
                }
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Assert { test, msg } => {
                let end = self.new_label();
                self.cond_jump(test, true, end)?;
                self.emit(Instr::LoadAssertionError);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Instr::Call(1));
                }
                self.emit(Instr::Raise(1));
                self.bind(end);
            }
            StmtKind::FunctionDef(f) => self.function_def(f, s.span)?,
            StmtKind::ClassDef(c) => self.class_def(c, s.span)?,
            StmtKind::Raise { exc, cause } => match (exc, cause) {
                (None, _) => {
                    self.emit(Instr::Raise(0));
                }
                (Some(e), None) => {
                    self.expr(e)?;
                    self.emit(Instr::Raise(1));
                }
                (Some(e), Some(c)) => {
                    self.expr(e)?;
                    self.expr(c)?;
                    self.emit(Instr::Raise(2));
                }
            },
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    self.try_finally(body, handlers, orelse, finalbody)?;
                }
            }
            StmtKind::With {
                items,
                body,
                is_async,
            } => self.with_stmt(items, body, *is_async)?,
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let level = self.constant(Value::Int(0));
                    self.emit(Instr::LoadConst(level));
                    let none = self.constant(Value::None);
                    self.emit(Instr::LoadConst(none));
                    let n = self.name_idx(&a.name);
                    self.emit(Instr::ImportName(n));
                    match &a.asname {
                        Some(asname) => {
                            // `import a.b as c` binds the submodule itself.
                            for part in a.name.split('.').skip(1) {
                                let p = self.name_idx(part);
                                self.emit(Instr::ImportFrom(p));
                                self.emit(Instr::Swap(2));
                                self.emit(Instr::PopTop);
                            }
                            self.store_name(asname);
                        }
                        None => {
                            let top = a.name.split('.').next().unwrap_or(&a.name).to_string();
                            self.store_name(&top);
                        }
                    }
                }
            }
            StmtKind::ImportFrom {
                module,
                names,
                level,
            } => {
                let lvl = self.constant(Value::Int(*level as i64));
                self.emit(Instr::LoadConst(lvl));
                let fromlist: Vec<Value> = names.iter().map(|a| Value::str(&a.name)).collect();
                let fl = self.constant(Value::tuple(fromlist));
                self.emit(Instr::LoadConst(fl));
                let m = self.name_idx(module.as_deref().unwrap_or(""));
                self.emit(Instr::ImportName(m));
                if names.len() == 1 && names[0].name == "*" {
                    if self.scope().kind != ScopeKind::Module {
                        return err("import * only allowed at module level", s.span);
                    }
                    self.emit(Instr::ImportStar);
                } else {
                    for a in names {
                        let n = self.name_idx(&a.name);
                        self.emit(Instr::ImportFrom(n));
                        self.store_name(a.asname.as_ref().unwrap_or(&a.name));
                    }
                    self.emit(Instr::PopTop);
                }
            }
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr, op: BinOp, value: &'a Expr) -> CResult {
        match &target.kind {
            ExprKind::Name(n) => {
                self.load_name(n);
                self.expr(value)?;
                self.emit(Instr::BinaryOp { op, inplace: true });
                self.store_name(n);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.emit(Instr::Copy(1));
                let a = self.attr_idx(attr);
                self.emit(Instr::LoadAttr(a));
                self.expr(value)?;
                self.emit(Instr::BinaryOp { op, inplace: true });
                self.emit(Instr::Swap(2));
                self.emit(Instr::StoreAttr(a));
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Instr::Copy(2));
                self.emit(Instr::Copy(2));
                self.emit(Instr::BinarySubscr);
                self.expr(value)?;
                self.emit(Instr::BinaryOp { op, inplace: true });
                // (obj key result) -> (result obj key)
                self.emit(Instr::Swap(3));
                self.emit(Instr::Swap(2));
                self.emit(Instr::StoreSubscr);
            }
            _ => {
                return err(
                    "'expression' is an illegal expression for augmented assignment",
                    target.span,
                )
            }
        }
        Ok(())
    }

    fn while_stmt(&mut self, test: &'a Expr, body: &'a [Stmt], orelse: &'a [Stmt]) -> CResult {
        let top = self.new_label();
        let else_label = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.cond_jump(test, false, else_label)?;
        self.unit().fblocks.push(FBlock::While {
            continue_label: top,
            break_label: end,
        });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.jump(Instr::Jump, top);
        self.bind(else_label);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    fn for_stmt(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> CResult {
        let top = self.new_label();
        let exhausted = self.new_label();
        let end = self.new_label();
        self.expr(iter)?;
        self.emit(Instr::GetIter);
        self.bind(top);
        self.jump(Instr::ForIter, exhausted);
        self.unit().depth += 1;
        self.for_body(target, body, top, end)?;
        self.unit().depth -= 1;
        self.bind(exhausted);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    /// The item on top goes to `target`, then the body runs and jumps back to `top`; the
    /// iterator stays on the stack below (`break` pops it and jumps to `end`).
    fn for_body(&mut self, target: &'a Expr, body: &'a [Stmt], top: Label, end: Label) -> CResult {
        self.assign_target(target)?;
        self.unit().fblocks.push(FBlock::For {
            continue_label: top,
            break_label: end,
        });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.jump(Instr::Jump, top);
        Ok(())
    }

    /// `async for`: like `for`, but each item is `await iter.__anext__()`, and
    /// StopAsyncIteration from it ends the loop.
    fn async_for_stmt(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> CResult {
        let top = self.new_label();
        let exhausted = self.new_label();
        let end = self.new_label();
        self.expr(iter)?;
        self.emit(Instr::GetAIter);
        let depth = self.unit_ref().depth + 1;
        self.unit().depth = depth;
        self.bind(top);
        let prot = self.protect(exhausted, depth);
        self.emit(Instr::GetANext);
        self.emit_await();
        self.unprotect(prot);
        self.for_body(target, body, top, end)?;
        self.unit().depth = depth - 1;
        // (aiter exc): StopAsyncIteration ends the loop, anything else propagates.
        self.bind(exhausted);
        self.emit(Instr::EndAsyncFor);
        self.stmts(orelse)?;
        self.bind(end);
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, span: Span) -> CResult {
        let word = if is_break { "'break'" } else { "'continue'" };
        let loop_pos = self
            .unit_ref()
            .fblocks
            .iter()
            .rposition(|f| matches!(f, FBlock::For { .. } | FBlock::While { .. }));
        let Some(loop_pos) = loop_pos else {
            return err(format!("{word} outside loop"), span);
        };
        let saved = self.unit().fblocks.clone();
        let paused = self.unwind_fblocks(loop_pos + 1, false)?;
        let (continue_label, break_label, is_for) = match &self.unit_ref().fblocks[loop_pos] {
            FBlock::For {
                continue_label,
                break_label,
            } => (*continue_label, *break_label, true),
            FBlock::While {
                continue_label,
                break_label,
            } => (*continue_label, *break_label, false),
            _ => unreachable!("loop_pos points at a loop"),
        };
        if is_break {
            if is_for {
                self.emit(Instr::PopTop);
            }
            self.jump(Instr::Jump, break_label);
        } else {
            self.jump(Instr::Jump, continue_label);
        }
        self.unit().fblocks = saved;
        for p in paused {
            self.resume(p);
        }
        Ok(())
    }

    fn return_stmt(&mut self, value: Option<&'a Expr>, span: Span) -> CResult {
        if !matches!(self.scope().kind, ScopeKind::Function | ScopeKind::Lambda) {
            return err("'return' outside function", span);
        }
        match value {
            Some(v) => self.expr(v)?,
            None => {
                let k = self.constant(Value::None);
                self.emit(Instr::LoadConst(k));
            }
        }
        let saved = self.unit().fblocks.clone();
        let paused = self.unwind_fblocks(0, true)?;
        self.emit(Instr::ReturnValue);
        self.unit().fblocks = saved;
        for p in paused {
            self.resume(p);
        }
        Ok(())
    }

    /// Emit the clean-up for leaving every fblock above `down_to` (innermost first), with
    /// a return value on top of the stack when `preserve_top`. Returns the protections
    /// paused on the way, to be resumed after the jump.
    fn unwind_fblocks(&mut self, down_to: usize, preserve_top: bool) -> CResult<Vec<usize>> {
        let mut paused = Vec::new();
        while self.unit_ref().fblocks.len() > down_to {
            let block = self.unit().fblocks.pop().expect("checked non-empty");
            match block {
                FBlock::For { .. } => {
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.emit(Instr::PopTop);
                }
                FBlock::While { .. } => {}
                FBlock::TryBody { protection } => {
                    self.pause(protection);
                    paused.push(protection);
                }
                FBlock::FinallyTry { protection, body } => {
                    self.pause(protection);
                    paused.push(protection);
                    if preserve_top {
                        // A `break`/`continue`/`return` in this copy of the finally body
                        // abandons the pending return value.
                        self.unit().depth += 1;
                        self.unit().fblocks.push(FBlock::PopValue);
                    }
                    self.stmts(body)?;
                    if preserve_top {
                        self.unit().fblocks.pop();
                        self.unit().depth -= 1;
                    }
                }
                FBlock::PopValue => {
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.emit(Instr::PopTop);
                }
                FBlock::FinallyEnd { protection } => {
                    self.pause(protection);
                    paused.push(protection);
                    // (prev exc [value]) -> drop exc, restore prev.
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.emit(Instr::PopTop);
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.emit(Instr::PopExcept);
                }
                FBlock::With {
                    protection,
                    is_async,
                } => {
                    self.pause(protection);
                    paused.push(protection);
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.call_exit_with_nones(is_async);
                }
                FBlock::Handler { protection, name } => {
                    self.pause(protection);
                    paused.push(protection);
                    if let Some(n) = &name {
                        self.clear_handler_name(n);
                    }
                    if preserve_top {
                        self.emit(Instr::Swap(2));
                    }
                    self.emit(Instr::PopExcept);
                }
            }
        }
        Ok(paused)
    }

    /// (exit -- ): call `exit(None, None, None)` and drop the result.
    fn call_exit_with_nones(&mut self, is_async: bool) {
        let none = self.constant(Value::None);
        for _ in 0..3 {
            self.emit(Instr::LoadConst(none));
        }
        self.emit(Instr::Call(3));
        if is_async {
            self.emit_await();
        }
        self.emit(Instr::PopTop);
    }

    /// `await` the value on top: get its awaitable iterator and delegate to it.
    fn emit_await(&mut self) {
        self.emit(Instr::GetAwaitable);
        self.emit_delegation();
    }

    /// Delegate to the iterator on top until it returns (`yield from`, `await`): send into
    /// it, pass each of its items out, and leave its return value on the stack.
    fn emit_delegation(&mut self) {
        let none = self.constant(Value::None);
        self.emit(Instr::LoadConst(none));
        let again = self.new_label();
        let exit = self.new_label();
        self.bind(again);
        self.jump(Instr::Send, exit);
        self.emit(Instr::YieldValue);
        self.jump(Instr::Jump, again);
        self.bind(exit);
    }

    /// `except E as e:` unbinds `e` when the handler ends, as Python does.
    fn clear_handler_name(&mut self, name: &str) {
        let none = self.constant(Value::None);
        self.emit(Instr::LoadConst(none));
        self.store_name(name);
        self.delete_name(name);
    }

    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
    ) -> CResult {
        let handler_label = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let depth = self.unit_ref().depth;

        let prot = self.protect(handler_label, depth);
        self.unit()
            .fblocks
            .push(FBlock::TryBody { protection: prot });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.unprotect(prot);
        self.stmts(orelse)?;
        self.jump(Instr::Jump, end);

        // Handler: (exc) on the stack above `depth`.
        self.bind(handler_label);
        self.emit(Instr::PushExcInfo);
        let cleanup_prot = self.protect(cleanup, depth + 1);
        self.unit().depth = depth + 1;
        for h in handlers {
            self.set_line(h.span);
            let next = self.new_label();
            if let Some(t) = &h.typ {
                self.expr(t)?;
                self.emit(Instr::CheckExcMatch);
                self.jump(Instr::PopJumpIfFalse, next);
            }
            match &h.name {
                Some(n) => self.store_name(n),
                None => {
                    self.emit(Instr::PopTop);
                }
            }
            self.unit().fblocks.push(FBlock::Handler {
                protection: cleanup_prot,
                name: h.name.clone(),
            });
            self.stmts(&h.body)?;
            self.unit().fblocks.pop();
            if let Some(n) = &h.name {
                self.clear_handler_name(n);
            }
            self.emit(Instr::PopExcept);
            self.jump(Instr::Jump, end);
            self.bind(next);
        }
        // No clause matched: re-raise (the cleanup handler restores the previous exception).
        self.emit(Instr::Reraise);
        self.unprotect(cleanup_prot);
        self.unit().depth = depth;

        self.bind(cleanup);
        self.emit_cleanup_tail();
        self.bind(end);
        Ok(())
    }

    /// The shared tail of handlers: (prev exc2) -> restore prev, re-raise exc2.
    fn emit_cleanup_tail(&mut self) {
        self.emit(Instr::Swap(2));
        self.emit(Instr::PopExcept);
        self.emit(Instr::Reraise);
    }

    fn try_finally(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> CResult {
        let handler_label = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let depth = self.unit_ref().depth;

        let prot = self.protect(handler_label, depth);
        self.unit().fblocks.push(FBlock::FinallyTry {
            protection: prot,
            body: finalbody,
        });
        if handlers.is_empty() {
            self.stmts(body)?;
            self.stmts(orelse)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.unit().fblocks.pop();
        self.unprotect(prot);
        // Normal path: run the finally body once.
        self.stmts(finalbody)?;
        self.jump(Instr::Jump, end);

        // Exceptional path: (exc) -> (prev exc), run the body, re-raise.
        self.bind(handler_label);
        self.emit(Instr::PushExcInfo);
        let cleanup_prot = self.protect(cleanup, depth + 1);
        self.unit().depth = depth + 2;
        self.unit().fblocks.push(FBlock::FinallyEnd {
            protection: cleanup_prot,
        });
        self.stmts(finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Instr::Reraise);
        self.unprotect(cleanup_prot);
        self.unit().depth = depth;

        self.bind(cleanup);
        self.emit_cleanup_tail();
        self.bind(end);
        Ok(())
    }

    fn with_stmt(&mut self, items: &'a [WithItem], body: &'a [Stmt], is_async: bool) -> CResult {
        let Some((first, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let handler_label = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let end = self.new_label();
        let depth = self.unit_ref().depth;

        self.expr(&first.context)?;
        if is_async {
            self.emit(Instr::BeforeAsyncWith);
            self.emit_await();
        } else {
            self.emit(Instr::BeforeWith);
        }
        self.unit().depth = depth + 1;
        let prot = self.protect(handler_label, depth + 1);
        match &first.target {
            Some(t) => self.assign_target(t)?,
            None => {
                self.emit(Instr::PopTop);
            }
        }
        self.unit().fblocks.push(FBlock::With {
            protection: prot,
            is_async,
        });
        self.with_stmt(rest, body, is_async)?;
        self.unit().fblocks.pop();
        self.unprotect(prot);
        self.call_exit_with_nones(is_async);
        self.jump(Instr::Jump, end);

        // (exit exc) -> (exit prev exc)
        self.bind(handler_label);
        self.emit(Instr::PushExcInfo);
        let cleanup_prot = self.protect(cleanup, depth + 2);
        self.emit(Instr::WithExceptStart);
        if is_async {
            self.emit_await();
        }
        self.jump(Instr::PopJumpIfTrue, suppress);
        self.emit(Instr::Reraise);
        self.bind(suppress);
        self.unprotect(cleanup_prot);
        // Suppressed: drop exc, restore prev, drop exit.
        self.emit(Instr::PopTop);
        self.emit(Instr::PopExcept);
        self.emit(Instr::PopTop);
        self.jump(Instr::Jump, end);
        self.unit().depth = depth;

        self.bind(cleanup);
        self.emit_cleanup_tail();
        self.bind(end);
        Ok(())
    }

    // ----- functions and classes --------------------------------------------------------

    fn qualname_for(&self, name: &str) -> String {
        let u = self.unit_ref();
        let scope = &self.table.scopes[u.scope];
        match scope.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", u.qualname, name),
            _ => format!("{}.<locals>.{}", u.qualname, name),
        }
    }

    /// Compile a function body into a code object and emit the instructions that build the
    /// function object (defaults, closure, code).
    fn make_function(
        &mut self,
        key: usize,
        name: &str,
        params: &'a Params,
        span: Span,
        body: FunctionBody<'a>,
    ) -> CResult {
        // Defaults are evaluated in the enclosing scope, at definition time.
        let mut flags = 0;
        let positional_defaults: Vec<&Expr> = params
            .posonly
            .iter()
            .chain(&params.args)
            .filter_map(|p| p.default.as_ref())
            .collect();
        if !positional_defaults.is_empty() {
            for d in &positional_defaults {
                self.expr(d)?;
            }
            self.emit(Instr::BuildTuple(positional_defaults.len() as u32));
            flags |= 1;
        }
        let kw_defaults: Vec<&Param> = params
            .kwonly
            .iter()
            .filter(|p| p.default.is_some())
            .collect();
        if !kw_defaults.is_empty() {
            for p in &kw_defaults {
                let k = self.constant(Value::str(&p.name));
                self.emit(Instr::LoadConst(k));
                self.expr(p.default.as_ref().expect("filtered"))?;
            }
            self.emit(Instr::BuildMap(kw_defaults.len() as u32));
            flags |= 2;
        }

        let parent = self.unit_ref().scope;
        let scope_idx = self.table.child(parent, key);
        let qualname = self.qualname_for(name);
        let (first_line, _) = self.source.lines.line_col(span.start);
        self.push_unit(scope_idx, name.into(), qualname.into(), first_line as u32);
        let docstring = match body {
            FunctionBody::Stmts(stmts) => {
                let doc = docstring_of(stmts);
                // The docstring is the code's constant, not a statement run at every call.
                let body = if doc.is_some() { &stmts[1..] } else { stmts };
                self.stmts(body)?;
                self.return_none();
                doc
            }
            FunctionBody::Expr(e) => {
                self.expr(e)?;
                self.emit(Instr::ReturnValue);
                None
            }
        };
        let code = self.pop_unit(params.clone(), docstring);
        self.emit_closure_and_code(code, flags);
        Ok(())
    }

    fn emit_closure_and_code(&mut self, code: Arc<Code>, mut flags: u32) {
        if !code.freevars.is_empty() {
            let parent_scope = self.scope();
            for fv in &code.freevars {
                let i = parent_scope
                    .cell_index(fv.as_str())
                    .expect("free var is a cell of the parent") as u32;
                self.emit(Instr::LoadClosure(i));
            }
            self.emit(Instr::BuildTuple(code.freevars.len() as u32));
            flags |= 8;
        }
        let k = self.constant(Value::Code(code));
        self.emit(Instr::LoadConst(k));
        self.emit(Instr::MakeFunction(flags));
    }

    fn function_def(&mut self, f: &'a FunctionDef, span: Span) -> CResult {
        for d in &f.decorators {
            self.expr(d)?;
        }
        self.make_function(
            node_key(f),
            &f.name,
            &f.params,
            span,
            FunctionBody::Stmts(&f.body),
        )?;
        for _ in &f.decorators {
            self.emit(Instr::Call(1));
        }
        self.set_line(span);
        self.store_name(&f.name);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ClassDef, span: Span) -> CResult {
        for d in &c.decorators {
            self.expr(d)?;
        }
        self.emit(Instr::LoadBuildClass);
        // The body is compiled like a function taking no arguments that fills a namespace.
        let parent = self.unit_ref().scope;
        let scope_idx = self.table.child(parent, node_key(c));
        let qualname = self.qualname_for(&c.name);
        let (first_line, _) = self.source.lines.line_col(span.start);
        self.push_unit(
            scope_idx,
            c.name.as_str().into(),
            qualname.clone().into(),
            first_line as u32,
        );
        let docstring = docstring_of(&c.body);
        self.load_name("__name__");
        self.store_name("__module__");
        let q = self.constant(Value::str(&qualname));
        self.emit(Instr::LoadConst(q));
        self.store_name("__qualname__");
        if let Some(doc) = &docstring {
            let k = self.constant(Value::str(doc));
            self.emit(Instr::LoadConst(k));
            self.store_name("__doc__");
        }
        let body = if docstring.is_some() {
            &c.body[1..]
        } else {
            &c.body[..]
        };
        self.stmts(body)?;
        // Return the `__class__` cell (or None) so that `__build_class__` can fill it.
        match self.scope().cell_index("__class__") {
            Some(i) if self.scope().cellvars.iter().any(|v| v == "__class__") => {
                self.emit(Instr::LoadClosure(i as u32));
                self.emit(Instr::ReturnValue);
            }
            _ => self.return_none(),
        }
        let code = self.pop_unit(Params::default(), docstring);
        self.emit_closure_and_code(code, 0);
        let name = self.constant(Value::str(&c.name));
        self.emit(Instr::LoadConst(name));
        self.call_with(&c.bases, &c.keywords, 2)?;
        for _ in &c.decorators {
            self.emit(Instr::Call(1));
        }
        self.set_line(span);
        self.store_name(&c.name);
        Ok(())
    }

    // ----- assignment targets -----------------------------------------------------------

    fn assign_target(&mut self, t: &'a Expr) -> CResult {
        match &t.kind {
            ExprKind::Name(n) => self.store_name(n),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let a = self.attr_idx(attr);
                self.emit(Instr::StoreAttr(a));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Instr::StoreSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let star = items
                    .iter()
                    .position(|i| matches!(i.kind, ExprKind::Starred(_)));
                match star {
                    Some(pos) => {
                        if items
                            .iter()
                            .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                            .count()
                            > 1
                        {
                            return err("multiple starred expressions in assignment", t.span);
                        }
                        let after = items.len() - pos - 1;
                        self.emit(Instr::UnpackEx {
                            before: pos as u16,
                            after: after as u16,
                        });
                    }
                    None => {
                        self.emit(Instr::UnpackSequence(items.len() as u32));
                    }
                }
                for i in items {
                    match &i.kind {
                        ExprKind::Starred(inner) => self.assign_target(inner)?,
                        _ => self.assign_target(i)?,
                    }
                }
            }
            ExprKind::Starred(_) => {
                return err(
                    "starred assignment target must be in a list or tuple",
                    t.span,
                )
            }
            _ => return err("cannot assign to expression", t.span),
        }
        Ok(())
    }

    fn delete_target(&mut self, t: &'a Expr) -> CResult {
        match &t.kind {
            ExprKind::Name(n) => self.delete_name(n),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let a = self.attr_idx(attr);
                self.emit(Instr::DeleteAttr(a));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Instr::DeleteSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.delete_target(i)?;
                }
            }
            _ => return err("cannot delete expression", t.span),
        }
        Ok(())
    }

    // ----- expressions ------------------------------------------------------------------

    /// Jump to `label` when `test` is `when` (with short-circuit `and`/`or`/`not` folded
    /// into the jumps instead of materialising booleans).
    fn cond_jump(&mut self, test: &'a Expr, when: bool, label: Label) -> CResult {
        match &test.kind {
            ExprKind::UnaryOp {
                op: UnaryOp::Not,
                operand,
            } => self.cond_jump(operand, !when, label),
            ExprKind::BoolOp { op, values } => {
                let is_and = *op == BoolOp::And;
                if is_and != when {
                    // and + jump-if-false / or + jump-if-true: any operand decides.
                    for v in values {
                        self.cond_jump(v, when, label)?;
                    }
                } else {
                    let skip = self.new_label();
                    let (last, init) = values.split_last().expect("BoolOp has values");
                    for v in init {
                        self.cond_jump(v, !when, skip)?;
                    }
                    self.cond_jump(last, when, label)?;
                    self.bind(skip);
                }
                Ok(())
            }
            _ => {
                self.expr(test)?;
                self.jump(
                    if when {
                        Instr::PopJumpIfTrue
                    } else {
                        Instr::PopJumpIfFalse
                    },
                    label,
                );
                Ok(())
            }
        }
    }

    /// Compile an expression; its instructions carry the line where it starts, as
    /// CPython's tracebacks report the line of the failing sub-expression.
    fn expr(&mut self, e: &'a Expr) -> CResult {
        let saved = self.unit_ref().line;
        self.set_line(e.span);
        let r = self.expr_inner(e);
        self.unit().line = saved;
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult {
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n),
            ExprKind::Constant(c) => {
                let v = constant_value(c);
                let k = self.constant(v);
                self.emit(Instr::LoadConst(k));
            }
            ExprKind::JoinedStr(parts) => self.fstring(parts)?,
            ExprKind::List(items) => self.sequence_display(
                items,
                Instr::BuildList,
                Instr::ListAppend,
                Instr::ListExtend,
                false,
            )?,
            ExprKind::Tuple(items) => {
                if let Some(value) = folded_constant(e).filter(|_| !items.is_empty()) {
                    let k = self.constant(value);
                    self.emit(Instr::LoadConst(k));
                } else {
                    self.sequence_display(
                        items,
                        Instr::BuildList,
                        Instr::ListAppend,
                        Instr::ListExtend,
                        true,
                    )?
                }
            }
            ExprKind::Set(items)
                if items.len() > 2 && items.iter().all(|i| folded_constant(i).is_some()) =>
            {
                // As CPython: an empty set updated from a frozenset constant (this decides
                // the iteration order of the result).
                let values: Vec<Value> = items.iter().filter_map(folded_constant).collect();
                let frozen = crate::objects::SetObj::from_const_display(values).map_err(|_| {
                    CompileError {
                        message: "unhashable constant in set display".into(),
                        span: e.span,
                    }
                })?;
                self.emit(Instr::BuildSet(0));
                let k = self.constant(Value::Set(Arc::new(frozen)));
                self.emit(Instr::LoadConst(k));
                self.emit(Instr::SetUpdate(1));
            }
            ExprKind::Set(items) => self.sequence_display(
                items,
                Instr::BuildSet,
                Instr::SetAdd,
                Instr::SetUpdate,
                false,
            )?,
            ExprKind::Dict(pairs) => self.dict_display(pairs)?,
            ExprKind::Starred(_) => return err("can't use starred expression here", e.span),
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.emit(Instr::BinaryOp {
                    op: *op,
                    inplace: false,
                });
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                self.emit(match op {
                    UnaryOp::Not => Instr::UnaryNot,
                    UnaryOp::Neg => Instr::UnaryNegative,
                    UnaryOp::Pos => Instr::UnaryPositive,
                    UnaryOp::Invert => Instr::UnaryInvert,
                });
            }
            ExprKind::BoolOp { op, values } => {
                let end = self.new_label();
                let (last, init) = values.split_last().expect("BoolOp has values");
                for v in init {
                    self.expr(v)?;
                    let j = if *op == BoolOp::And {
                        Instr::JumpIfFalseOrPop
                    } else {
                        Instr::JumpIfTrueOrPop
                    };
                    self.jump(j, end);
                }
                self.expr(last)?;
                self.bind(end);
            }
            ExprKind::Compare {
                left,
                ops,
                comparators,
            } => self.compare(left, ops, comparators)?,
            ExprKind::Call {
                func,
                args,
                keywords,
            } => self.call(func, args, keywords, e.span)?,
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let a = self.attr_idx(attr);
                self.emit(Instr::LoadAttr(a));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Instr::BinarySubscr);
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => {
                            let k = self.constant(Value::None);
                            self.emit(Instr::LoadConst(k));
                        }
                    }
                }
                match step {
                    Some(s) => {
                        self.expr(s)?;
                        self.emit(Instr::BuildSlice(3));
                    }
                    None => {
                        self.emit(Instr::BuildSlice(2));
                    }
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                let else_label = self.new_label();
                let end = self.new_label();
                self.cond_jump(test, false, else_label)?;
                self.expr(body)?;
                self.jump(Instr::Jump, end);
                self.bind(else_label);
                self.expr(orelse)?;
                self.bind(end);
            }
            ExprKind::Lambda { params, body } => {
                self.make_function(
                    node_key(e),
                    "<lambda>",
                    params,
                    e.span,
                    FunctionBody::Expr(body),
                )?;
            }
            ExprKind::ListComp { elt, generators } => {
                self.comprehension(e, "<listcomp>", generators, CompKind::List(elt))?
            }
            ExprKind::SetComp { elt, generators } => {
                self.comprehension(e, "<setcomp>", generators, CompKind::Set(elt))?
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(e, "<dictcomp>", generators, CompKind::Dict(key, value))?,
            ExprKind::GeneratorExp { elt, generators } => {
                self.comprehension(e, "<genexpr>", generators, CompKind::Gen(elt))?
            }
            ExprKind::Yield(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => {
                        let k = self.constant(Value::None);
                        self.emit(Instr::LoadConst(k));
                    }
                }
                self.emit(Instr::YieldValue);
            }
            ExprKind::YieldFrom(v) => {
                self.expr(v)?;
                self.emit(Instr::GetYieldFromIter);
                self.emit_delegation();
            }
            ExprKind::Await(v) => {
                self.expr(v)?;
                self.emit_await();
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.emit(Instr::Copy(1));
                self.store_name(target);
            }
        }
        Ok(())
    }

    /// A list/tuple/set display, with `*spread` items handled by extend instructions.
    fn sequence_display(
        &mut self,
        items: &'a [Expr],
        build: fn(u32) -> Instr,
        add: fn(u32) -> Instr,
        extend: fn(u32) -> Instr,
        to_tuple: bool,
    ) -> CResult {
        let first_star = items
            .iter()
            .position(|i| matches!(i.kind, ExprKind::Starred(_)));
        match first_star {
            None => {
                for i in items {
                    self.expr(i)?;
                }
                if to_tuple {
                    self.emit(Instr::BuildTuple(items.len() as u32));
                } else {
                    self.emit(build(items.len() as u32));
                }
            }
            Some(pos) => {
                for i in &items[..pos] {
                    self.expr(i)?;
                }
                self.emit(build(pos as u32));
                for i in &items[pos..] {
                    match &i.kind {
                        ExprKind::Starred(inner) => {
                            self.expr(inner)?;
                            self.emit(extend(1));
                        }
                        _ => {
                            self.expr(i)?;
                            self.emit(add(1));
                        }
                    }
                }
                if to_tuple {
                    self.emit(Instr::ListToTuple);
                }
            }
        }
        Ok(())
    }

    fn dict_display(&mut self, pairs: &'a [(Option<Expr>, Expr)]) -> CResult {
        let first_spread = pairs.iter().position(|(k, _)| k.is_none());
        let plain = first_spread.unwrap_or(pairs.len());
        for (k, v) in &pairs[..plain] {
            self.expr(k.as_ref().expect("before the first spread"))?;
            self.expr(v)?;
        }
        self.emit(Instr::BuildMap(plain as u32));
        for (k, v) in &pairs[plain..] {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Instr::MapAdd(1));
                }
                None => {
                    self.expr(v)?;
                    self.emit(Instr::DictUpdate(1));
                }
            }
        }
        Ok(())
    }

    fn compare(&mut self, left: &'a Expr, ops: &'a [CmpOp], comparators: &'a [Expr]) -> CResult {
        self.expr(left)?;
        if ops.len() == 1 {
            self.expr(&comparators[0])?;
            self.emit_compare(ops[0]);
            return Ok(());
        }
        // a < b < c: evaluate each operand once; stop at the first false.
        let cleanup = self.new_label();
        let end = self.new_label();
        for (i, (op, right)) in ops.iter().zip(comparators).enumerate() {
            self.expr(right)?;
            if i + 1 < ops.len() {
                // (a b) -> (b a b) -> compare -> (b result)
                self.emit(Instr::Swap(2));
                self.emit(Instr::Copy(2));
                self.emit_compare(*op);
                self.jump(Instr::JumpIfFalseOrPop, cleanup);
            } else {
                self.emit_compare(*op);
            }
        }
        self.jump(Instr::Jump, end);
        // (b false) -> (false)
        self.bind(cleanup);
        self.emit(Instr::Swap(2));
        self.emit(Instr::PopTop);
        self.bind(end);
        Ok(())
    }

    fn emit_compare(&mut self, op: CmpOp) {
        self.emit(match op {
            CmpOp::Is => Instr::IsOp(false),
            CmpOp::IsNot => Instr::IsOp(true),
            CmpOp::In => Instr::ContainsOp(false),
            CmpOp::NotIn => Instr::ContainsOp(true),
            other => Instr::CompareOp(other),
        });
    }

    fn call(
        &mut self,
        func: &'a Expr,
        args: &'a [Expr],
        keywords: &'a [Keyword],
        span: Span,
    ) -> CResult {
        let simple = !args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)))
            && keywords.iter().all(|k| k.arg.is_some());
        if simple && keywords.is_empty() {
            if let ExprKind::Attribute { value, attr } = &func.kind {
                self.expr(value)?;
                let a = self.attr_idx(attr);
                self.emit(Instr::LoadMethod(a));
                for arg in args {
                    self.expr(arg)?;
                }
                self.set_line(span);
                self.emit(Instr::CallMethod(args.len() as u32));
                return Ok(());
            }
        }
        self.expr(func)?;
        self.call_with(args, keywords, 0)?;
        Ok(())
    }

    /// With the callable (and `extra` already-pushed positional arguments) on the stack,
    /// push the arguments and call.
    fn call_with(&mut self, args: &'a [Expr], keywords: &'a [Keyword], extra: u32) -> CResult {
        let has_star = args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)));
        let has_double_star = keywords.iter().any(|k| k.arg.is_none());
        if !has_star && !has_double_star {
            for a in args {
                self.expr(a)?;
            }
            if keywords.is_empty() {
                self.emit(Instr::Call(extra + args.len() as u32));
            } else {
                let mut names = Vec::new();
                for k in keywords {
                    let name = k.arg.clone().expect("no ** here");
                    if names
                        .iter()
                        .any(|n: &Value| n.as_str().is_some_and(|s| s.as_str() == name))
                    {
                        return err(format!("keyword argument repeated: {name}"), k.span);
                    }
                    self.expr(&k.value)?;
                    names.push(Value::str(&name));
                }
                let total = extra + (args.len() + keywords.len()) as u32;
                let k = self.constant(Value::tuple(names));
                self.emit(Instr::LoadConst(k));
                self.emit(Instr::CallKw(total));
            }
            return Ok(());
        }
        // General form: build a tuple of positionals and a dict of keywords.
        self.emit(Instr::BuildList(extra));
        for a in args {
            match &a.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(Instr::ListExtend(1));
                }
                _ => {
                    self.expr(a)?;
                    self.emit(Instr::ListAppend(1));
                }
            }
        }
        self.emit(Instr::ListToTuple);
        if keywords.is_empty() {
            self.emit(Instr::CallFunctionEx { with_kwargs: false });
            return Ok(());
        }
        self.emit(Instr::BuildMap(0));
        for k in keywords {
            match &k.arg {
                Some(name) => {
                    let n = self.constant(Value::str(name));
                    self.emit(Instr::LoadConst(n));
                    self.expr(&k.value)?;
                    self.emit(Instr::BuildMap(1));
                    self.emit(Instr::DictMerge(1));
                }
                None => {
                    self.expr(&k.value)?;
                    self.emit(Instr::DictMerge(1));
                }
            }
        }
        self.emit(Instr::CallFunctionEx { with_kwargs: true });
        Ok(())
    }

    fn fstring(&mut self, parts: &'a [FStringPart]) -> CResult {
        let mut count = 0;
        for p in parts {
            match p {
                FStringPart::Literal(s) => {
                    if s.is_empty() {
                        continue;
                    }
                    let k = self.constant(Value::str(s));
                    self.emit(Instr::LoadConst(k));
                }
                FStringPart::Formatted {
                    value,
                    conversion,
                    format_spec,
                    debug_text,
                } => {
                    if let Some(text) = debug_text {
                        let k = self.constant(Value::str(text));
                        self.emit(Instr::LoadConst(k));
                        count += 1;
                    }
                    self.expr(value)?;
                    let conv = match conversion {
                        None => 0,
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        Some(c) => {
                            return err(format!("invalid conversion character '{c}'"), value.span)
                        }
                    };
                    let with_spec = format_spec.is_some();
                    if let Some(spec) = format_spec {
                        self.fstring(spec)?;
                    }
                    self.emit(Instr::FormatValue {
                        conversion: conv,
                        with_spec,
                    });
                }
            }
            count += 1;
        }
        if count == 1 && matches!(parts.first(), Some(FStringPart::Literal(_))) {
            return Ok(());
        }
        self.emit(Instr::BuildString(count));
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &'a Expr,
        name: &str,
        generators: &'a [Comprehension],
        kind: CompKind<'a>,
    ) -> CResult {
        let parent = self.unit_ref().scope;
        let scope_idx = self.table.child(parent, node_key(e));
        let qualname = self.qualname_for(name);
        let (first_line, _) = self.source.lines.line_col(e.span.start);
        self.push_unit(scope_idx, name.into(), qualname.into(), first_line as u32);
        self.set_line(e.span);
        match kind {
            CompKind::List(_) => {
                self.emit(Instr::BuildList(0));
            }
            CompKind::Set(_) => {
                self.emit(Instr::BuildSet(0));
            }
            CompKind::Dict(..) => {
                self.emit(Instr::BuildMap(0));
            }
            CompKind::Gen(_) => {}
        }
        self.comprehension_level(generators, 0, &kind)?;
        if matches!(kind, CompKind::Gen(_)) {
            self.return_none();
        } else {
            self.emit(Instr::ReturnValue);
        }
        let params = Params {
            args: vec![Param {
                name: ".0".into(),
                default: None,
                annotation: None,
                span: e.span,
            }],
            ..Params::default()
        };
        let code = self.pop_unit(params, None);
        self.emit_closure_and_code(code, 0);
        let first = generators.first().expect("a comprehension has a generator");
        self.expr(&first.iter)?;
        self.emit(Instr::GetIter);
        self.emit(Instr::Call(1));
        Ok(())
    }

    fn comprehension_level(
        &mut self,
        generators: &'a [Comprehension],
        level: usize,
        kind: &CompKind<'a>,
    ) -> CResult {
        let g = &generators[level];
        if g.is_async {
            return err(
                "asynchronous comprehensions are not supported yet",
                g.iter.span,
            );
        }
        if level == 0 {
            self.emit(Instr::LoadFast(0));
        } else {
            self.expr(&g.iter)?;
            self.emit(Instr::GetIter);
        }
        let top = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.jump(Instr::ForIter, end);
        self.assign_target(&g.target)?;
        for cond in &g.ifs {
            self.cond_jump(cond, false, top)?;
        }
        if level + 1 < generators.len() {
            self.comprehension_level(generators, level + 1, kind)?;
        } else {
            // The result container sits below one iterator per level.
            let depth = (generators.len() + 1) as u32;
            match kind {
                CompKind::List(elt) => {
                    self.expr(elt)?;
                    self.emit(Instr::ListAppend(depth));
                }
                CompKind::Set(elt) => {
                    self.expr(elt)?;
                    self.emit(Instr::SetAdd(depth));
                }
                CompKind::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Instr::MapAdd(depth));
                }
                CompKind::Gen(elt) => {
                    self.expr(elt)?;
                    self.emit(Instr::YieldValue);
                    self.emit(Instr::PopTop);
                }
            }
        }
        self.jump(Instr::Jump, top);
        self.bind(end);
        Ok(())
    }
}

enum FunctionBody<'a> {
    Stmts(&'a [Stmt]),
    Expr(&'a Expr),
}

enum CompKind<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}

fn params_count(p: &Params) -> usize {
    p.posonly.len()
        + p.args.len()
        + p.kwonly.len()
        + p.vararg.is_some() as usize
        + p.kwarg.is_some() as usize
}

/// The value of an expression CPython folds at compile time: constants, signs applied to
/// numeric constants, and tuples of such.
fn folded_constant(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Constant(c) => Some(constant_value(c)),
        ExprKind::UnaryOp {
            op: UnaryOp::Neg,
            operand,
        } => match &operand.kind {
            ExprKind::Constant(
                c @ (Constant::Int(_) | Constant::BigInt(_) | Constant::Float(_)),
            ) => crate::objects::number::negate(&constant_value(c)),
            _ => None,
        },
        ExprKind::Tuple(items) => items
            .iter()
            .map(folded_constant)
            .collect::<Option<Vec<_>>>()
            .map(Value::tuple),
        _ => None,
    }
}

fn constant_value(c: &Constant) -> Value {
    match c {
        Constant::None => Value::None,
        Constant::True => Value::Bool(true),
        Constant::False => Value::Bool(false),
        Constant::Ellipsis => Value::Ellipsis,
        Constant::Int(i) => Value::Int(*i),
        Constant::BigInt(b) => Value::from_bigint(BigInt::clone(b)),
        Constant::Float(f) => Value::Float(*f),
        Constant::Str(s) => Value::str(s),
        Constant::Bytes(b) => Value::Bytes(Arc::new(b.clone())),
    }
}

/// Constants are shared only when they are the same value of the same type (so `1`,
/// `1.0` and `True` stay distinct, as do `0.0` and `-0.0`).
fn same_constant(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => x.as_str() == y.as_str(),
        _ => false,
    }
}

/// A compile error as a miette diagnostic.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("SyntaxError: {message}")]
struct CompileDiagnostic {
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: miette::SourceSpan,
}

impl CompileError {
    /// Render as a miette report (no colour unless asked).
    pub fn render(&self, source: &SourceFile, color: bool) -> String {
        let diag = CompileDiagnostic {
            message: self.message.clone(),
            src: miette::NamedSource::new(&*source.filename, source.text().to_string()),
            span: (
                self.span.start,
                self.span.end.saturating_sub(self.span.start),
            )
                .into(),
        };
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
        if handler.render_report(&mut out, &diag).is_err() {
            out = format!("SyntaxError: {}\n", self.message);
        }
        out
    }
}
