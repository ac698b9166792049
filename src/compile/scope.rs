//! Scope analysis: decides, for every name in every scope, whether it is a local slot, a
//! cell shared with inner functions, a free variable of an enclosing function, a global, or
//! a name in a module/class namespace — the same rules as CPython's symtable.

use std::collections::HashMap;

use crate::syntax::ast::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// How the code generator reaches a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Local slot of a function.
    Fast,
    /// A cell: a local captured by an inner function, or a free variable.
    Deref,
    /// Module globals, then builtins.
    Global,
    /// The namespace dict of a module or class body, then globals, then builtins.
    Name,
}

#[derive(Debug, Default, Clone)]
struct Flags {
    assigned: bool,
    param: bool,
    global: bool,
    nonlocal: bool,
    used: bool,
}

/// The analysed scope of one code object.
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    symbols: HashMap<String, Flags>,
    /// Parameters in order, then other locals in order of first appearance.
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub is_generator: bool,
    /// An `async def`: calling it makes a coroutine; `await` is allowed in it.
    pub is_coroutine: bool,
    /// Child scopes, keyed by the address of their AST node.
    pub children: HashMap<usize, usize>,
    /// Class bodies that use `super()` or `__class__` need a `__class__` cell.
    pub needs_class_cell: bool,
    /// The innermost enclosing class (or this class), whose name private names
    /// (`__x`) are mangled with.
    pub class_name: Option<String>,
    order: Vec<String>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str) -> Scope {
        Scope {
            kind,
            name: name.to_string(),
            symbols: HashMap::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            is_generator: false,
            is_coroutine: false,
            children: HashMap::new(),
            needs_class_cell: false,
            class_name: None,
            order: Vec::new(),
        }
    }

    fn flags(&mut self, name: &str) -> &mut Flags {
        if !self.symbols.contains_key(name) {
            self.order.push(name.to_string());
        }
        self.symbols.entry(name.to_string()).or_default()
    }

    fn is_function_like(&self) -> bool {
        matches!(
            self.kind,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }

    fn is_local(&self, name: &str) -> bool {
        self.symbols
            .get(name)
            .is_some_and(|f| (f.assigned || f.param) && !f.global && !f.nonlocal)
    }

    /// How code in this scope reaches `name`.
    pub fn access(&self, name: &str) -> Access {
        if self.cellvars.iter().any(|c| c == name) || self.freevars.iter().any(|c| c == name) {
            // A class body reads its own assigned names from the namespace even when an
            // inner function captured them... but class bodies never own cells except
            // `__class__`, so this only triggers for real cells and free variables.
            if self.kind == ScopeKind::Class && self.is_local(name) {
                return Access::Name;
            }
            return Access::Deref;
        }
        let flags = self.symbols.get(name);
        if flags.is_some_and(|f| f.global) {
            return match self.kind {
                ScopeKind::Module => Access::Name,
                _ => Access::Global,
            };
        }
        match self.kind {
            ScopeKind::Module | ScopeKind::Class => Access::Name,
            _ => {
                if self.is_local(name) {
                    Access::Fast
                } else {
                    Access::Global
                }
            }
        }
    }

    /// `name` as stored: private names inside a class are mangled, as in CPython.
    pub fn mangle(&self, name: &str) -> String {
        self.class_name
            .as_deref()
            .and_then(|c| crate::objects::class::mangle(c, name))
            .unwrap_or_else(|| name.to_string())
    }

    pub fn slot(&self, name: &str) -> Option<usize> {
        self.varnames.iter().position(|v| v == name)
    }

    pub fn cell_index(&self, name: &str) -> Option<usize> {
        self.cellvars.iter().position(|v| v == name).or_else(|| {
            self.freevars
                .iter()
                .position(|v| v == name)
                .map(|i| i + self.cellvars.len())
        })
    }
}

/// The analysis of a whole module: a tree of scopes stored flat, root first.
pub struct ScopeTable {
    pub scopes: Vec<Scope>,
}

#[derive(Debug)]
pub struct ScopeError {
    pub message: String,
    pub span: Span,
}

pub fn node_key<T>(node: &T) -> usize {
    node as *const T as usize
}

impl ScopeTable {
    pub fn analyze(module: &Module) -> Result<ScopeTable, ScopeError> {
        let mut b = Builder {
            scopes: vec![Scope::new(ScopeKind::Module, "<module>")],
            stack: vec![0],
        };
        b.stmts(&module.body)?;
        let mut table = ScopeTable { scopes: b.scopes };
        table.resolve(0, &[])?;
        Ok(table)
    }

    pub fn child(&self, parent: usize, key: usize) -> usize {
        self.scopes[parent].children[&key]
    }

    /// Decide locals, cells and free variables, top-down. `enclosing` lists the function
    /// scopes around this one (class scopes are not visible to inner functions).
    fn resolve(&mut self, idx: usize, enclosing: &[usize]) -> Result<(), ScopeError> {
        // Locals of a function-like scope, in order: parameters were recorded first.
        if self.scopes[idx].is_function_like() {
            let names: Vec<String> = self.scopes[idx].order.clone();
            for n in names {
                if self.scopes[idx].is_local(&n) && !self.scopes[idx].varnames.contains(&n) {
                    self.scopes[idx].varnames.push(n);
                }
            }
        }
        // Names this scope reads or declares nonlocal that are not its own locals and that an
        // enclosing function owns become free here (and cells there).
        let candidates: Vec<(String, Flags)> = self.scopes[idx]
            .order
            .iter()
            .map(|n| (n.clone(), self.scopes[idx].symbols[n].clone()))
            .collect();
        let kind = self.scopes[idx].kind;
        for (name, flags) in candidates {
            let own = self.scopes[idx].is_local(&name);
            if kind == ScopeKind::Module || flags.global || own || !(flags.used || flags.nonlocal) {
                continue;
            }
            let owner = enclosing
                .iter()
                .rev()
                .copied()
                .find(|&e| self.owns(e, &name));
            match owner {
                Some(_) => self.make_free(idx, enclosing, &name),
                None if flags.nonlocal => {
                    return Err(ScopeError {
                        message: format!("no binding for nonlocal '{name}' found"),
                        span: Span::default(),
                    })
                }
                None => {}
            }
        }
        if self.scopes[idx].needs_class_cell
            && !self.scopes[idx].cellvars.contains(&"__class__".to_string())
        {
            self.scopes[idx].cellvars.push("__class__".to_string());
        }
        let mut children: Vec<usize> = self.scopes[idx].children.values().copied().collect();
        children.sort_unstable();
        let mut inner_enclosing = enclosing.to_vec();
        if self.scopes[idx].is_function_like() || self.scopes[idx].kind == ScopeKind::Class {
            inner_enclosing.push(idx);
        }
        for c in children {
            self.resolve(c, &inner_enclosing)?;
        }
        Ok(())
    }

    /// Whether scope `e` provides `name` to inner functions: a function-like scope's own
    /// local, or the `__class__` cell of a class body.
    fn owns(&self, e: usize, name: &str) -> bool {
        let s = &self.scopes[e];
        if s.kind == ScopeKind::Class {
            return name == "__class__" && s.needs_class_cell;
        }
        s.is_function_like() && s.is_local(name)
    }

    /// Make `name` free in scope `idx` and in every scope between it and its owner, and a
    /// cell in the owner.
    fn make_free(&mut self, idx: usize, enclosing: &[usize], name: &str) {
        push_unique(&mut self.scopes[idx].freevars, name);
        for &e in enclosing.iter().rev() {
            if self.owns(e, name) {
                push_unique(&mut self.scopes[e].cellvars, name);
                return;
            }
            // Scopes in between (including class bodies) pass the cell through.
            push_unique(&mut self.scopes[e].freevars, name);
        }
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

struct Builder {
    scopes: Vec<Scope>,
    stack: Vec<usize>,
}

impl Builder {
    fn cur(&mut self) -> &mut Scope {
        let i = *self.stack.last().expect("scope stack is never empty");
        &mut self.scopes[i]
    }

    fn enter(&mut self, key: usize, kind: ScopeKind, name: &str) -> usize {
        let idx = self.scopes.len();
        let mut scope = Scope::new(kind, name);
        scope.class_name = if kind == ScopeKind::Class {
            Some(name.to_string())
        } else {
            self.cur().class_name.clone()
        };
        self.scopes.push(scope);
        self.cur().children.insert(key, idx);
        self.stack.push(idx);
        idx
    }

    fn leave(&mut self) {
        self.stack.pop();
    }

    fn assign(&mut self, name: &str) {
        let name = self.cur().mangle(name);
        self.cur().flags(&name).assigned = true;
    }

    fn use_name(&mut self, name: &str) {
        let name = self.cur().mangle(name);
        self.cur().flags(&name).used = true;
    }

    fn stmts(&mut self, body: &[Stmt]) -> Result<(), ScopeError> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn declare(&mut self, names: &[String], span: Span, global: bool) -> Result<(), ScopeError> {
        for n in names {
            let kind = self.cur().kind;
            if !global && kind == ScopeKind::Module {
                return Err(ScopeError {
                    message: "nonlocal declaration not allowed at module level".into(),
                    span,
                });
            }
            let n = &self.cur().mangle(n);
            let f = self.cur().flags(n);
            if f.param {
                let what = if global { "global" } else { "nonlocal" };
                return Err(ScopeError {
                    message: format!("name '{n}' is parameter and {what}"),
                    span,
                });
            }
            if global {
                f.global = true;
            } else {
                f.nonlocal = true;
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), ScopeError> {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for t in targets {
                    self.target(t)?;
                }
                Ok(())
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value)?;
                if let ExprKind::Name(n) = &target.kind {
                    self.use_name(n);
                }
                self.target(target)
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.target(target)?;
                } else if let ExprKind::Name(n) = &target.kind {
                    // A bare annotation still makes the name local, as in CPython.
                    self.assign(n);
                }
                Ok(())
            }
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                self.expr(test)?;
                self.stmts(body)?;
                self.stmts(orelse)
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => {
                if *is_async {
                    self.require_async("'async for'", s.span)?;
                }
                self.expr(iter)?;
                self.target(target)?;
                self.stmts(body)?;
                self.stmts(orelse)
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => Ok(()),
            StmtKind::Return(v) => v.as_ref().map_or(Ok(()), |e| self.expr(e)),
            StmtKind::Del(targets) => {
                for t in targets {
                    self.target(t)?;
                }
                Ok(())
            }
            StmtKind::Global(names) => self.declare(names, s.span, true),
            StmtKind::Nonlocal(names) => self.declare(names, s.span, false),
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                msg.as_ref().map_or(Ok(()), |m| self.expr(m))
            }
            StmtKind::FunctionDef(f) => {
                for d in &f.decorators {
                    self.expr(d)?;
                }
                self.param_defaults(&f.params)?;
                let kind = ScopeKind::Function;
                self.enter(node_key(&**f), kind, &f.name);
                self.cur().is_coroutine = f.is_async;
                self.params(&f.params);
                self.stmts(&f.body)?;
                self.leave();
                self.assign(&f.name);
                Ok(())
            }
            StmtKind::ClassDef(c) => {
                for d in &c.decorators {
                    self.expr(d)?;
                }
                for b in &c.bases {
                    self.expr(b)?;
                }
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
                self.enter(node_key(&**c), ScopeKind::Class, &c.name);
                self.stmts(&c.body)?;
                self.leave();
                self.assign(&c.name);
                Ok(())
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e)?;
                }
                cause.as_ref().map_or(Ok(()), |c| self.expr(c))
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body)?;
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = &h.name {
                        self.assign(n);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(orelse)?;
                self.stmts(finalbody)
            }
            StmtKind::With {
                items,
                body,
                is_async,
            } => {
                if *is_async {
                    self.require_async("'async with'", s.span)?;
                }
                for item in items {
                    self.expr(&item.context)?;
                    if let Some(t) = &item.target {
                        self.target(t)?;
                    }
                }
                self.stmts(body)
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let bound = match &a.asname {
                        Some(n) => n.clone(),
                        None => a.name.split('.').next().unwrap_or(&a.name).to_string(),
                    };
                    self.assign(&bound);
                }
                Ok(())
            }
            StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    if a.name != "*" {
                        self.assign(a.asname.as_ref().unwrap_or(&a.name));
                    }
                }
                Ok(())
            }
        }
    }

    fn param_defaults(&mut self, p: &Params) -> Result<(), ScopeError> {
        for param in p.posonly.iter().chain(&p.args).chain(&p.kwonly) {
            if let Some(d) = &param.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn params(&mut self, p: &Params) {
        let all = p
            .posonly
            .iter()
            .chain(&p.args)
            .chain(&p.kwonly)
            .chain(p.vararg.iter())
            .chain(p.kwarg.iter());
        for param in all {
            let name = self.cur().mangle(&param.name);
            let f = self.cur().flags(&name);
            f.param = true;
            f.assigned = true;
        }
        // Parameter slot order is: positional, keyword-only, *args, **kwargs.
        let mut names: Vec<String> = p
            .posonly
            .iter()
            .chain(&p.args)
            .chain(&p.kwonly)
            .map(|x| self.cur().mangle(&x.name))
            .collect();
        if let Some(v) = &p.vararg {
            names.push(self.cur().mangle(&v.name));
        }
        if let Some(k) = &p.kwarg {
            names.push(self.cur().mangle(&k.name));
        }
        self.cur().varnames = names;
    }

    fn target(&mut self, t: &Expr) -> Result<(), ScopeError> {
        match &t.kind {
            ExprKind::Name(n) => {
                self.assign(n);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.target(i)?;
                }
                Ok(())
            }
            ExprKind::Starred(inner) => self.target(inner),
            _ => self.expr(t),
        }
    }

    fn comprehension(
        &mut self,
        key: usize,
        name: &str,
        gens: &[Comprehension],
        elts: &[&Expr],
    ) -> Result<(), ScopeError> {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = gens.first() {
            self.expr(&first.iter)?;
        }
        self.enter(key, ScopeKind::Comprehension, name);
        {
            let f = self.cur().flags(".0");
            f.param = true;
            f.assigned = true;
        }
        self.cur().varnames = vec![".0".to_string()];
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter)?;
            }
            self.target(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
            }
        }
        for e in elts {
            self.expr(e)?;
        }
        if name == "<genexpr>" {
            self.cur().is_generator = true;
        }
        self.leave();
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<(), ScopeError> {
        match &e.kind {
            ExprKind::Name(n) => {
                self.use_name(n);
                if n == "super" {
                    self.mark_class_cell_use();
                }
                Ok(())
            }
            ExprKind::Constant(_) => Ok(()),
            ExprKind::JoinedStr(parts) => self.fstring(parts),
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                items.iter().try_for_each(|i| self.expr(i))
            }
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
                Ok(())
            }
            ExprKind::Starred(inner) => self.expr(inner),
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand),
            ExprKind::BoolOp { values, .. } => values.iter().try_for_each(|v| self.expr(v)),
            ExprKind::Compare {
                left, comparators, ..
            } => {
                self.expr(left)?;
                comparators.iter().try_for_each(|c| self.expr(c))
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.expr(func)?;
                args.iter().try_for_each(|a| self.expr(a))?;
                keywords.iter().try_for_each(|k| self.expr(&k.value))
            }
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part)?;
                }
                Ok(())
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)
            }
            ExprKind::Lambda { params, body } => {
                self.param_defaults(params)?;
                self.enter(node_key(e), ScopeKind::Lambda, "<lambda>");
                self.params(params);
                self.expr(body)?;
                self.leave();
                Ok(())
            }
            ExprKind::ListComp { elt, generators } => {
                self.comprehension(node_key(e), "<listcomp>", generators, &[elt])
            }
            ExprKind::SetComp { elt, generators } => {
                self.comprehension(node_key(e), "<setcomp>", generators, &[elt])
            }
            ExprKind::GeneratorExp { elt, generators } => {
                self.comprehension(node_key(e), "<genexpr>", generators, &[elt])
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(node_key(e), "<dictcomp>", generators, &[key, value]),
            ExprKind::Yield(v) => {
                self.mark_generator(e.span)?;
                v.as_ref().map_or(Ok(()), |v| self.expr(v))
            }
            ExprKind::YieldFrom(v) => {
                self.mark_generator(e.span)?;
                self.expr(v)
            }
            ExprKind::Await(v) => {
                self.require_async("'await'", e.span)?;
                self.expr(v)
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                // `:=` in a comprehension binds in the enclosing function-or-module scope.
                let depth = self
                    .stack
                    .iter()
                    .rev()
                    .take_while(|&&i| self.scopes[i].kind == ScopeKind::Comprehension)
                    .count();
                if depth == 0 {
                    self.assign(target);
                } else {
                    let owner = self.stack[self.stack.len() - 1 - depth];
                    self.scopes[owner].flags(target).assigned = true;
                    for k in 0..depth {
                        let i = self.stack[self.stack.len() - 1 - k];
                        self.scopes[i].flags(target).used = true;
                    }
                }
                Ok(())
            }
        }
    }

    fn fstring(&mut self, parts: &[FStringPart]) -> Result<(), ScopeError> {
        for p in parts {
            if let FStringPart::Formatted {
                value, format_spec, ..
            } = p
            {
                self.expr(value)?;
                if let Some(spec) = format_spec {
                    self.fstring(spec)?;
                }
            }
        }
        Ok(())
    }

    fn mark_generator(&mut self, span: Span) -> Result<(), ScopeError> {
        let s = self.cur();
        if s.is_coroutine {
            return Err(ScopeError {
                message: "asynchronous generators are not supported yet".into(),
                span,
            });
        }
        match s.kind {
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension => {
                s.is_generator = true;
                Ok(())
            }
            _ => Err(ScopeError {
                message: "'yield' outside function".into(),
                span,
            }),
        }
    }

    /// `await`, `async for` and `async with` belong in the body of an `async def`.
    fn require_async(&mut self, what: &str, span: Span) -> Result<(), ScopeError> {
        let (kind, is_coroutine) = (self.cur().kind, self.cur().is_coroutine);
        let message = match kind {
            ScopeKind::Function if is_coroutine => return Ok(()),
            ScopeKind::Comprehension if self.in_coroutine() => {
                format!("{what} in a comprehension is not supported yet")
            }
            ScopeKind::Module | ScopeKind::Class if what == "'await'" => {
                "'await' outside function".to_string()
            }
            _ => format!("{what} outside async function"),
        };
        Err(ScopeError { message, span })
    }

    /// Whether the innermost enclosing function is an `async def`.
    fn in_coroutine(&self) -> bool {
        self.stack
            .iter()
            .rev()
            .map(|&i| &self.scopes[i])
            .find(|s| s.kind != ScopeKind::Comprehension)
            .is_some_and(|s| s.is_coroutine)
    }

    /// `super()` with no arguments needs the `__class__` cell of the enclosing class body.
    fn mark_class_cell_use(&mut self) {
        let in_function = self
            .stack
            .iter()
            .any(|&i| self.scopes[i].is_function_like());
        if !in_function {
            return;
        }
        if let Some(&class_idx) = self
            .stack
            .iter()
            .rev()
            .find(|&&i| self.scopes[i].kind == ScopeKind::Class)
        {
            self.scopes[class_idx].needs_class_cell = true;
            self.use_name("__class__");
        }
    }
}

/// The set of names a scope treats as locals, for tests.
#[cfg(test)]
fn locals_of(s: &Scope) -> std::collections::HashSet<String> {
    s.varnames.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(src: &str) -> ScopeTable {
        let m = crate::syntax::parse_module(src).expect("parses");
        ScopeTable::analyze(&m).expect("analyzes")
    }

    #[test]
    fn closure_makes_cell_and_free() {
        let t = analyze("def f():\n    x = 1\n    def g():\n        return x\n    return g\n");
        let f = &t.scopes[1];
        assert_eq!(f.cellvars, vec!["x"]);
        let g = &t.scopes[2];
        assert_eq!(g.freevars, vec!["x"]);
        assert_eq!(g.access("x"), Access::Deref);
        assert!(locals_of(f).contains("x"));
    }

    #[test]
    fn global_declaration_wins() {
        let t = analyze("def f():\n    global n\n    n = n + 1\n");
        assert_eq!(t.scopes[1].access("n"), Access::Global);
    }

    #[test]
    fn nonlocal_without_binding_is_error() {
        let m = crate::syntax::parse_module("def f():\n    nonlocal q\n").unwrap();
        assert!(ScopeTable::analyze(&m).is_err());
    }
}
