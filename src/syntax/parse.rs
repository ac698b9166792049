//! The parser entry points, the helpers the grammar's actions call, and the mapping of
//! LALRPOP's errors to short human messages.

use lalrpop_util::ParseError;

use super::ast::{Expr, Module, Span};
use super::diagnostics::{ErrorKind, SyntaxError};
use super::indent::{tokenize, Mode, Tokens};
use super::lexer::Tok;
use super::source::LineIndex;

#[allow(clippy::all, clippy::pedantic, unused_parens, unused_imports, dead_code, unused_mut)]
#[rustfmt::skip]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/toy.rs"));
}

use support::Top;

/// Parses a whole file (or a REPL entry, or a `-c` string).
pub fn parse_module(source: &str) -> Result<Module, SyntaxError> {
    let tokens = tokenize(source, 0, source.len(), Mode::Module);
    match run(source, &tokens)? {
        Top::Module(body) => Ok(Module { body }),
        Top::Expr(e) => Err(SyntaxError::new("invalid syntax", e.span)),
    }
}

/// Parses the text of an `eval()` call: one expression (a tuple when there are commas).
pub fn parse_expression(source: &str) -> Result<Expr, SyntaxError> {
    let tokens = tokenize(source, 0, source.len(), Mode::Eval);
    match run(source, &tokens)? {
        Top::Expr(e) => Ok(e),
        Top::Module(_) => Err(SyntaxError::new("invalid syntax", Span::new(0, 0))),
    }
}

/// Parses the expression of an f-string field, `source[start..end]`; spans are absolute.
pub(crate) fn parse_fstring_expr(
    source: &str,
    start: usize,
    end: usize,
) -> Result<Expr, SyntaxError> {
    let tokens = tokenize(source, start, end, Mode::FString);
    let result = run(source, &tokens).and_then(|top| match top {
        Top::Expr(e) => Ok(e),
        Top::Module(_) => Err(SyntaxError::new("invalid syntax", Span::new(start, end))),
    });
    result.map_err(|mut e| {
        if !e.message.starts_with("f-string") {
            e.message = format!("f-string: {}", e.message);
        }
        e.incomplete = false;
        e
    })
}

fn run(source: &str, tokens: &Tokens) -> Result<Top, SyntaxError> {
    let iter = tokens
        .toks
        .iter()
        .cloned()
        .map(Ok)
        .chain(tokens.error.iter().cloned().map(Err));
    grammar::TopParser::new()
        .parse(source, iter)
        .map_err(|e| convert_error(e, source, tokens))
}

// ------------------------------------------------------------------------------------------
// Error mapping

fn strip(s: &str) -> &str {
    s.trim_matches('"')
}

fn expects(expected: &[String], what: &str) -> bool {
    expected.iter().any(|e| strip(e) == what)
}

fn expects_expression(expected: &[String]) -> bool {
    ["INT", "STRING", "(", "-"]
        .iter()
        .all(|t| expects(expected, t))
}

fn header_desc(tok: &Tok, next: Option<&Tok>) -> Option<&'static str> {
    Some(match tok {
        Tok::If => "'if' statement",
        Tok::Elif => "'elif' statement",
        Tok::Else => "'else' statement",
        Tok::While => "'while' statement",
        Tok::For => "'for' statement",
        Tok::Try => "'try' statement",
        Tok::Except => "'except' statement",
        Tok::Finally => "'finally' statement",
        Tok::With => "'with' statement",
        Tok::Def => "function definition",
        Tok::Class => "class definition",
        Tok::Async => return next.and_then(|n| header_desc(n, None)),
        _ => return None,
    })
}

/// The index of the first token of the logical line that contains token `idx`.
fn logical_line_start(tokens: &Tokens, idx: usize) -> usize {
    let mut j = idx.min(tokens.toks.len());
    while j > 0 {
        match tokens.toks[j - 1].1 {
            Tok::Newline | Tok::Indent | Tok::Dedent | Tok::StartModule | Tok::StartEval => break,
            _ => j -= 1,
        }
    }
    j
}

fn bracket_depth(tokens: &Tokens, idx: usize) -> usize {
    let mut depth: usize = 0;
    for (_, t, _) in tokens.toks.iter().take(idx) {
        match t {
            Tok::Lpar | Tok::Lsqb | Tok::Lbrace => depth += 1,
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

fn innermost_open(tokens: &Tokens, idx: usize) -> Option<(char, Span)> {
    let mut stack = Vec::new();
    for (a, t, b) in tokens.toks.iter().take(idx) {
        match t {
            Tok::Lpar => stack.push(('(', Span::new(*a, *b))),
            Tok::Lsqb => stack.push(('[', Span::new(*a, *b))),
            Tok::Lbrace => stack.push(('{', Span::new(*a, *b))),
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

fn convert_error(
    e: ParseError<usize, Tok, SyntaxError>,
    source: &str,
    tokens: &Tokens,
) -> SyntaxError {
    match e {
        ParseError::User { error } => error,
        ParseError::InvalidToken { location } => {
            SyntaxError::new("invalid syntax", Span::new(location, location)).with_label("here")
        }
        ParseError::ExtraToken { token: (a, t, b) } => SyntaxError::new(
            format!("invalid syntax: unexpected {}", t.describe()),
            Span::new(a, b),
        )
        .with_label("unexpected here"),
        ParseError::UnrecognizedEof { location, expected } => {
            let idx = tokens.toks.len();
            unexpected(
                source, tokens, idx, location, location, None, &expected, true,
            )
        }
        ParseError::UnrecognizedToken {
            token: (a, t, b),
            expected,
        } => {
            let disc = std::mem::discriminant(&t);
            let idx = tokens
                .toks
                .iter()
                .rposition(|(x, tt, y)| *x == a && *y == b && std::mem::discriminant(tt) == disc)
                .unwrap_or(tokens.toks.len());
            let at_eof = idx >= tokens.eof_index;
            unexpected(source, tokens, idx, a, b, Some(&t), &expected, at_eof)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn unexpected(
    source: &str,
    tokens: &Tokens,
    idx: usize,
    a: usize,
    b: usize,
    found: Option<&Tok>,
    expected: &[String],
    at_eof: bool,
) -> SyntaxError {
    let prev = if idx > 0 {
        tokens.toks.get(idx - 1)
    } else {
        None
    };
    let prev_end = prev.map(|p| p.2).unwrap_or(a);
    let found_desc = match found {
        _ if at_eof => "end of input".to_string(),
        Some(Tok::Newline) => "end of line".to_string(),
        Some(t) => t.describe(),
        None => "end of input".to_string(),
    };
    let line_start = logical_line_start(tokens, idx);
    let first = tokens.toks.get(line_start).map(|t| &t.1);
    let second = tokens.toks.get(line_start + 1).map(|t| &t.1);
    let lines = || LineIndex::new(source);

    // 1. An INDENT where none may be.
    if let Some(Tok::Indent) = found {
        return SyntaxError::new("unexpected indent", Span::new(a, b))
            .with_kind(ErrorKind::IndentationError)
            .with_label("this line is indented more than the block it belongs to")
            .with_help("remove the extra indentation, or put this line inside a block statement");
    }

    // 2. A block header without its block.
    if expects(expected, "INDENT") {
        let header_start = logical_line_start(tokens, idx.saturating_sub(1));
        let header = tokens.toks.get(header_start);
        let next = tokens.toks.get(header_start + 1).map(|t| &t.1);
        let desc = header
            .and_then(|h| header_desc(&h.1, next))
            .unwrap_or("block statement");
        let line = header.map(|h| lines().line(h.0)).unwrap_or(1);
        let (sa, sb) = if at_eof {
            (source.len(), source.len())
        } else {
            (a, b)
        };
        let mut err = SyntaxError::new(
            format!("expected an indented block after {desc} on line {line}"),
            Span::new(sa, sb),
        )
        .with_kind(ErrorKind::IndentationError)
        .with_label(if at_eof {
            "the input ended here"
        } else {
            "this line should be indented"
        })
        .incomplete(at_eof);
        if let Some(h) = header {
            err = err.with_secondary(Span::new(h.0, h.2), "the block starts here");
        }
        return err.with_help("indent the body of the block (Python convention: 4 spaces)");
    }

    // 3. `print "x"`.
    if let (Some(Tok::Name(n)), Some(f)) = (first, found) {
        if n == "print" && line_start + 1 == idx && f.starts_expression() && !matches!(f, Tok::Lpar)
        {
            return SyntaxError::new(
                "Missing parentheses in call to 'print'. Did you mean print(...)?",
                Span::new(tokens.toks[line_start].0, b),
            )
            .with_label("print is a function in toy");
        }
    }

    // 4. `except A, B:`
    if matches!(first, Some(Tok::Except)) && matches!(found, Some(Tok::Comma)) {
        return SyntaxError::new(
            "multiple exception types must be parenthesized",
            Span::new(a, b),
        )
        .with_label("write `except (A, B):`");
    }

    // 5. `try:` block not followed by a handler.
    if expects(expected, "except") && expects(expected, "finally") && !expects(expected, "NAME") {
        return SyntaxError::new("expected 'except' or 'finally' block", Span::new(a, b))
            .with_label(format!("found {found_desc}"))
            .incomplete(at_eof || found.is_none());
    }

    let is_header = first.is_some_and(|f| header_desc(f, second).is_some());

    // 5b. `=` where a comparison or keyword argument was meant.
    if matches!(found, Some(Tok::Equal)) && (bracket_depth(tokens, idx) > 0 || is_header) {
        let open = innermost_open(tokens, idx);
        let in_call = open.is_some_and(|(c, span)| {
            c == '('
                && tokens
                    .toks
                    .iter()
                    .rposition(|t| t.0 == span.start && matches!(t.1, Tok::Lpar))
                    .and_then(|i| i.checked_sub(1))
                    .is_some_and(|i| tokens.toks[i].1.ends_expression())
        });
        let msg = if in_call {
            "expression cannot contain assignment, perhaps you meant \"==\"?"
        } else {
            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"
        };
        return SyntaxError::new(msg, Span::new(a, b))
            .with_label("'=' assigns; it is not allowed here");
    }

    // 6. A header line missing its colon.
    if expects(expected, ":") && (matches!(found, Some(Tok::Newline)) || at_eof || is_header) {
        let span = if matches!(found, Some(Tok::Newline)) || at_eof {
            Span::new(prev_end, prev_end)
        } else {
            Span::new(a, b)
        };
        return SyntaxError::new("expected ':'", span).with_label("expected ':' here");
    }

    // 7. `from x import a,`
    if matches!(first, Some(Tok::From))
        && matches!(prev.map(|p| &p.1), Some(Tok::Comma))
        && matches!(found, Some(Tok::Newline))
        && bracket_depth(tokens, idx) == 0
    {
        return SyntaxError::new(
            "trailing comma not allowed without surrounding parentheses",
            Span::new(prev_end - 1, prev_end),
        )
        .with_label("this comma");
    }

    // 8. Two expressions side by side inside brackets.
    if let (Some(f), Some(p)) = (found, prev) {
        if (bracket_depth(tokens, idx) > 0 || tokens.mode == Mode::FString)
            && f.starts_expression()
            && p.1.ends_expression()
            && expects(expected, ",")
            && !matches!(
                f,
                Tok::Lpar | Tok::Lsqb | Tok::Star | Tok::Minus | Tok::Plus
            )
        {
            return SyntaxError::new(
                "invalid syntax. Perhaps you forgot a comma?",
                Span::new(a, b),
            )
            .with_label("expected ',' before this")
            .with_secondary(Span::new(p.0, p.2), "after this");
        }
    }

    // 9. `a, b: int`
    if matches!(found, Some(Tok::Colon))
        && !is_header
        && bracket_depth(tokens, idx) == 0
        && tokens.toks[line_start..idx]
            .iter()
            .any(|t| matches!(t.1, Tok::Comma))
    {
        return SyntaxError::new(
            "only single target (not tuple) can be annotated",
            Span::new(a, b),
        )
        .with_label("annotate one name at a time");
    }

    // 10. An expression is missing.
    if expects_expression(expected)
        && idx != line_start
        && !found.is_some_and(|f| f.starts_expression())
    {
        let (sa, sb) = if at_eof || matches!(found, Some(Tok::Newline)) {
            (prev_end, prev_end)
        } else {
            (a, b)
        };
        return SyntaxError::new("expected an expression", Span::new(sa, sb))
            .with_label(format!("found {found_desc}"));
    }

    // 11. A closing bracket is what should come next.
    if let Some((open, ospan)) = innermost_open(tokens, idx) {
        let close = match open {
            '(' => ")",
            '[' => "]",
            _ => "}",
        };
        if expects(expected, close) {
            return SyntaxError::new(format!("expected '{close}'"), Span::new(a, b))
                .with_label(format!("found {found_desc}"))
                .with_secondary(ospan, format!("to close the '{open}' opened here"));
        }
    }

    // 12. A name is missing (after `def`, `class`, `import`, `.`).
    if expects(expected, "NAME") && expected.len() <= 3 {
        return SyntaxError::new("invalid syntax: expected a name", Span::new(a, b))
            .with_label(format!("found {found_desc}"));
    }

    let span = if at_eof {
        Span::new(prev_end, prev_end)
    } else {
        Span::new(a, b)
    };
    if found.is_none() {
        // The input ended where the grammar needs more (e.g. after a decorator line).
        return SyntaxError::new("unexpected end of input", span)
            .with_label("the statement is not complete")
            .incomplete(true);
    }
    if matches!(found, Some(Tok::Newline)) || at_eof {
        return SyntaxError::new("invalid syntax", span)
            .with_label("the statement is not complete");
    }
    SyntaxError::new(format!("invalid syntax: unexpected {found_desc}"), span)
        .with_label(format!("unexpected {found_desc}"))
}

// ------------------------------------------------------------------------------------------
// Helpers called from the grammar's actions.

pub mod support {
    use std::collections::HashSet;

    use lalrpop_util::ParseError;

    use super::super::ast::*;
    use super::super::diagnostics::SyntaxError;
    use super::super::fstring;
    use super::super::lexer::{IntLit, StrKind, StrLit, Tok};

    pub type PErr = ParseError<usize, Tok, SyntaxError>;

    /// What the start token chose.
    pub enum Top {
        Module(Vec<Stmt>),
        Expr(Expr),
    }

    pub fn err(message: impl Into<String>, span: Span, label: impl Into<String>) -> PErr {
        ParseError::User {
            error: SyntaxError::new(message, span).with_label(label),
        }
    }

    pub fn prepend<T>(first: T, rest: Vec<T>) -> Vec<T> {
        let mut v = Vec::with_capacity(rest.len() + 1);
        v.push(first);
        v.extend(rest);
        v
    }

    pub fn eval_input(e: Expr) -> Result<Top, PErr> {
        Ok(Top::Expr(no_star(e)?))
    }

    /// Rejects a bare `*x` where a value is needed.
    pub fn no_star(e: Expr) -> Result<Expr, PErr> {
        if let ExprKind::Starred(_) = e.kind {
            return Err(err(
                "can't use starred expression here",
                e.span,
                "a starred expression is only allowed in a tuple, list, set or call",
            ));
        }
        Ok(e)
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TargetCtx {
        /// The targets of `=`.
        Assign,
        /// The targets of `for`, `with ... as` and comprehensions.
        For,
        Del,
        Aug,
        Ann,
    }

    fn describe(e: &Expr) -> &'static str {
        match &e.kind {
            ExprKind::Name(_) => "name",
            ExprKind::Constant(Constant::None) => "None",
            ExprKind::Constant(Constant::True) => "True",
            ExprKind::Constant(Constant::False) => "False",
            ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
            ExprKind::Constant(_) => "literal",
            ExprKind::JoinedStr(_) => "f-string expression",
            ExprKind::List(_) => "list",
            ExprKind::Tuple(_) => "tuple",
            ExprKind::Set(_) => "set display",
            ExprKind::Dict(_) => "dict literal",
            ExprKind::Starred(_) => "starred",
            ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } | ExprKind::BoolOp { .. } => {
                "expression"
            }
            ExprKind::Compare { .. } => "comparison",
            ExprKind::Call { .. } => "function call",
            ExprKind::Attribute { .. } => "attribute",
            ExprKind::Subscript { .. } => "subscript",
            ExprKind::Slice { .. } => "slice",
            ExprKind::IfExp { .. } => "conditional expression",
            ExprKind::Lambda { .. } => "lambda",
            ExprKind::ListComp { .. } => "list comprehension",
            ExprKind::SetComp { .. } => "set comprehension",
            ExprKind::DictComp { .. } => "dict comprehension",
            ExprKind::GeneratorExp { .. } => "generator expression",
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
            ExprKind::Await(_) => "await expression",
            ExprKind::NamedExpr { .. } => "named expression",
        }
    }

    /// Checks that `e` can be assigned to (or deleted, or augmented, or annotated).
    pub fn check_target(e: &Expr, ctx: TargetCtx) -> Result<(), PErr> {
        match (&e.kind, ctx) {
            (ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }, _) => {
                Ok(())
            }
            (
                ExprKind::Tuple(items) | ExprKind::List(items),
                TargetCtx::Assign | TargetCtx::For | TargetCtx::Del,
            ) => {
                let stars = items
                    .iter()
                    .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                    .count();
                if stars > 1 && ctx != TargetCtx::Del {
                    return Err(err(
                        "multiple starred expressions in assignment",
                        e.span,
                        "only one '*' target is allowed",
                    ));
                }
                for item in items {
                    match (&item.kind, ctx) {
                        (ExprKind::Starred(inner), TargetCtx::Assign | TargetCtx::For) => {
                            check_target(inner, ctx)?
                        }
                        _ => check_target(item, ctx)?,
                    }
                }
                Ok(())
            }
            (ExprKind::Starred(_), TargetCtx::Assign | TargetCtx::For) => Err(err(
                "starred assignment target must be in a list or tuple",
                e.span,
                "add a comma: `*a, = ...`",
            )),
            (_, TargetCtx::Aug) => Err(err(
                format!(
                    "'{}' is an illegal expression for augmented assignment",
                    describe(e)
                ),
                e.span,
                "cannot be the target of an augmented assignment",
            )),
            (ExprKind::Tuple(_), TargetCtx::Ann) => Err(err(
                "only single target (not tuple) can be annotated",
                e.span,
                "annotate one name at a time",
            )),
            (ExprKind::List(_), TargetCtx::Ann) => Err(err(
                "only single target (not list) can be annotated",
                e.span,
                "annotate one name at a time",
            )),
            (_, TargetCtx::Ann) => Err(err(
                "illegal target for annotation",
                e.span,
                "cannot be annotated",
            )),
            (_, TargetCtx::Del) => Err(err(
                format!("cannot delete {}", describe(e)),
                e.span,
                "cannot be deleted",
            )),
            (kind, TargetCtx::Assign | TargetCtx::For) => {
                let plain = ctx == TargetCtx::For
                    || matches!(
                        kind,
                        ExprKind::Compare { .. }
                            | ExprKind::BoolOp { .. }
                            | ExprKind::Constant(Constant::None | Constant::True | Constant::False)
                            | ExprKind::Lambda { .. }
                            | ExprKind::IfExp { .. }
                            | ExprKind::GeneratorExp { .. }
                            | ExprKind::Starred(_)
                            | ExprKind::Slice { .. }
                    );
                let msg = if plain {
                    format!("cannot assign to {}", describe(e))
                } else {
                    format!(
                        "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                        describe(e)
                    )
                };
                Err(err(msg, e.span, "cannot be assigned to"))
            }
        }
    }

    pub fn del_stmt(targets: Vec<Expr>, span: Span) -> Result<Stmt, PErr> {
        for t in &targets {
            check_target(t, TargetCtx::Del)?;
        }
        Ok(Stmt::new(StmtKind::Del(targets), span))
    }

    pub fn assign(first: Expr, rest: Vec<Expr>, span: Span) -> Result<Stmt, PErr> {
        let mut all = prepend(first, rest);
        let value = no_star(all.pop().expect("at least one value"))?;
        for t in &all {
            check_target(t, TargetCtx::Assign)?;
        }
        Ok(Stmt::new(
            StmtKind::Assign {
                targets: all,
                value,
            },
            span,
        ))
    }

    pub fn aug_assign(target: Expr, op: BinOp, value: Expr, span: Span) -> Result<Stmt, PErr> {
        check_target(&target, TargetCtx::Aug)?;
        let value = no_star(value)?;
        Ok(Stmt::new(StmtKind::AugAssign { target, op, value }, span))
    }

    pub fn ann_assign(
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
        span: Span,
    ) -> Result<Stmt, PErr> {
        check_target(&target, TargetCtx::Ann)?;
        let value = value.map(no_star).transpose()?;
        Ok(Stmt::new(
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            },
            span,
        ))
    }

    pub fn import_from(
        dots: Vec<usize>,
        module: Option<String>,
        names: Vec<Alias>,
        span: Span,
    ) -> Result<Stmt, PErr> {
        let level = dots.iter().sum();
        if level == 0 && module.is_none() {
            return Err(err(
                "invalid syntax: expected a module name",
                span,
                "import from where?",
            ));
        }
        Ok(Stmt::new(
            StmtKind::ImportFrom {
                module,
                names,
                level,
            },
            span,
        ))
    }

    pub fn decorate(decorators: Vec<Expr>, mut s: Stmt) -> Stmt {
        match &mut s.kind {
            StmtKind::FunctionDef(f) => f.decorators = decorators,
            StmtKind::ClassDef(c) => c.decorators = decorators,
            _ => {}
        }
        s
    }

    pub fn make_async(mut s: Stmt, start: usize) -> Stmt {
        match &mut s.kind {
            StmtKind::FunctionDef(f) => f.is_async = true,
            StmtKind::For { is_async, .. } | StmtKind::With { is_async, .. } => *is_async = true,
            _ => {}
        }
        s.span = Span::new(start, s.span.end);
        s
    }

    /// The end of a compound statement: the end of its last inner statement.
    pub fn block_end(body: &[Stmt], orelse: &[Stmt], start: usize) -> usize {
        orelse
            .last()
            .or(body.last())
            .map(|s| s.span.end)
            .unwrap_or(start)
    }

    pub fn if_stmt(
        start: usize,
        test: Expr,
        body: Vec<Stmt>,
        elifs: Vec<(usize, Expr, Vec<Stmt>)>,
        orelse: Option<Vec<Stmt>>,
    ) -> Stmt {
        let mut orelse = orelse.unwrap_or_default();
        for (l, t, b) in elifs.into_iter().rev() {
            let end = block_end(&b, &orelse, l);
            let s = Stmt::new(
                StmtKind::If {
                    test: t,
                    body: b,
                    orelse,
                },
                Span::new(l, end),
            );
            orelse = vec![s];
        }
        let end = block_end(&body, &orelse, start);
        Stmt::new(StmtKind::If { test, body, orelse }, Span::new(start, end))
    }

    pub fn try_stmt(
        start: usize,
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    ) -> Stmt {
        let mut end = block_end(&body, &[], start);
        if let Some(h) = handlers.last() {
            end = end.max(block_end(&h.body, &[], h.span.end));
        }
        end = end.max(block_end(&orelse, &finalbody, end));
        Stmt::new(
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
            Span::new(start, end),
        )
    }

    pub enum ParamItem {
        Plain(Param),
        Star(Option<Param>, Span),
        DoubleStar(Param),
        Slash(Span),
    }

    pub fn build_params(items: Vec<ParamItem>) -> Result<Params, PErr> {
        let mut p = Params::default();
        let mut seen_slash = false;
        let mut star_span: Option<Span> = None;
        let mut seen_default = false;
        for item in items {
            if let Some(kw) = &p.kwarg {
                let span = match &item {
                    ParamItem::Plain(q) | ParamItem::DoubleStar(q) => q.span,
                    ParamItem::Star(_, s) | ParamItem::Slash(s) => *s,
                };
                let _ = kw;
                return Err(err(
                    "arguments cannot follow var-keyword argument",
                    span,
                    "move this before the '**' parameter",
                ));
            }
            match item {
                ParamItem::Slash(span) => {
                    if seen_slash {
                        return Err(err("/ may appear only once", span, "second '/'"));
                    }
                    if star_span.is_some() {
                        return Err(err(
                            "/ must be ahead of *",
                            span,
                            "move this before the '*'",
                        ));
                    }
                    if p.args.is_empty() {
                        return Err(err(
                            "at least one argument must precede /",
                            span,
                            "nothing before this '/'",
                        ));
                    }
                    seen_slash = true;
                    p.posonly = std::mem::take(&mut p.args);
                }
                ParamItem::Star(param, span) => {
                    if star_span.is_some() {
                        return Err(err("* argument may appear only once", span, "second '*'"));
                    }
                    star_span = Some(span);
                    p.vararg = param;
                }
                ParamItem::DoubleStar(param) => p.kwarg = Some(param),
                ParamItem::Plain(param) => {
                    if star_span.is_some() {
                        p.kwonly.push(param);
                    } else {
                        if param.default.is_some() {
                            seen_default = true;
                        } else if seen_default {
                            return Err(err(
                                "non-default argument follows default argument",
                                param.span,
                                "this parameter needs a default value",
                            ));
                        }
                        p.args.push(param);
                    }
                }
            }
        }
        if let Some(span) = star_span {
            if p.vararg.is_none() && p.kwonly.is_empty() {
                return Err(err(
                    "named arguments must follow bare *",
                    span,
                    "a bare '*' must be followed by keyword-only parameters",
                ));
            }
        }
        let mut seen = HashSet::new();
        let all = p
            .posonly
            .iter()
            .chain(&p.args)
            .chain(&p.vararg)
            .chain(&p.kwonly)
            .chain(&p.kwarg);
        for q in all {
            if !seen.insert(q.name.as_str()) {
                return Err(err(
                    format!("duplicate argument '{}' in function definition", q.name),
                    q.span,
                    "this name is already a parameter",
                ));
            }
        }
        Ok(p)
    }

    pub enum Arg {
        Pos(Expr),
        Gen(Expr),
        Kw(Keyword),
    }

    pub fn build_args(items: Vec<Arg>) -> Result<(Vec<Expr>, Vec<Keyword>), PErr> {
        let n = items.len();
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        for item in items {
            match item {
                Arg::Gen(e) => {
                    if n > 1 {
                        return Err(err(
                            "Generator expression must be parenthesized",
                            e.span,
                            "put this generator in parentheses",
                        ));
                    }
                    args.push(e);
                }
                Arg::Pos(e) => {
                    let starred = matches!(e.kind, ExprKind::Starred(_));
                    if keywords.iter().any(|k| k.arg.is_none()) {
                        let msg = if starred {
                            "iterable argument unpacking follows keyword argument unpacking"
                        } else {
                            "positional argument follows keyword argument unpacking"
                        };
                        return Err(err(msg, e.span, "move this before the '**' argument"));
                    }
                    if !starred && !keywords.is_empty() {
                        return Err(err(
                            "positional argument follows keyword argument",
                            e.span,
                            "move this before the keyword arguments",
                        ));
                    }
                    args.push(e);
                }
                Arg::Kw(k) => keywords.push(k),
            }
        }
        Ok((args, keywords))
    }

    pub fn tuple(mut items: Vec<Expr>, last: Option<Expr>, span: Span) -> Expr {
        items.extend(last);
        Expr::new(ExprKind::Tuple(items), span)
    }

    pub fn paren(e: Expr) -> Result<Expr, PErr> {
        if let ExprKind::Starred(_) = e.kind {
            return Err(err(
                "cannot use starred expression here",
                e.span,
                "a starred expression needs a tuple: `(*a,)`",
            ));
        }
        Ok(e)
    }

    pub fn bool_op(op: BoolOp, first: Expr, rest: Vec<Expr>, span: Span) -> Expr {
        Expr::new(
            ExprKind::BoolOp {
                op,
                values: prepend(first, rest),
            },
            span,
        )
    }

    pub fn bin_op(left: Expr, op: BinOp, right: Expr, span: Span) -> Expr {
        Expr::new(
            ExprKind::BinOp {
                left: Box::new(left),
                op,
                right: Box::new(right),
            },
            span,
        )
    }

    pub fn slice(lower: Option<Expr>, upper: Option<Expr>, step: Option<Expr>, span: Span) -> Expr {
        Expr::new(
            ExprKind::Slice {
                lower: lower.map(Box::new),
                upper: upper.map(Box::new),
                step: step.map(Box::new),
            },
            span,
        )
    }

    #[derive(Clone, Copy)]
    pub enum CompKind {
        List,
        Set,
        Dict,
        Gen,
    }

    pub fn comprehension(
        kind: CompKind,
        elt: Expr,
        value: Option<Expr>,
        generators: Vec<Comprehension>,
        span: Span,
    ) -> Expr {
        let elt = Box::new(elt);
        let kind = match (kind, value) {
            (CompKind::List, _) => ExprKind::ListComp { elt, generators },
            (CompKind::Set, _) => ExprKind::SetComp { elt, generators },
            (CompKind::Gen, _) => ExprKind::GeneratorExp { elt, generators },
            (CompKind::Dict, Some(v)) => ExprKind::DictComp {
                key: elt,
                value: Box::new(v),
                generators,
            },
            (CompKind::Dict, None) => ExprKind::SetComp { elt, generators },
        };
        Expr::new(kind, span)
    }

    pub fn comp_checked(
        kind: CompKind,
        elt: Expr,
        value: Option<Expr>,
        generators: Vec<Comprehension>,
        span: Span,
    ) -> Result<Expr, PErr> {
        if let ExprKind::Starred(_) = elt.kind {
            return Err(err(
                "iterable unpacking cannot be used in comprehension",
                elt.span,
                "no '*' here",
            ));
        }
        for g in &generators {
            check_target(&g.target, TargetCtx::For)?;
        }
        Ok(comprehension(kind, elt, value, generators, span))
    }

    pub fn int_constant(i: IntLit, span: Span) -> Expr {
        let c = match i {
            IntLit::Small(v) => Constant::Int(v),
            IntLit::Big(b) => Constant::BigInt(b),
        };
        Expr::new(ExprKind::Constant(c), span)
    }

    /// Adjacent string literals: concatenated, f-strings parsed into a `JoinedStr`.
    pub fn strings(src: &str, parts: Vec<Box<StrLit>>, span: Span) -> Result<Expr, PErr> {
        let bytes = parts.iter().filter(|p| p.kind == StrKind::Bytes).count();
        if bytes > 0 && bytes < parts.len() {
            return Err(err(
                "cannot mix bytes and nonbytes literals",
                span,
                "these literals are of different kinds",
            ));
        }
        if bytes > 0 {
            let mut out = Vec::new();
            for p in parts {
                out.extend_from_slice(&p.bytes);
            }
            return Ok(Expr::new(ExprKind::Constant(Constant::Bytes(out)), span));
        }
        if parts.iter().all(|p| p.kind == StrKind::Str) {
            let mut out = String::new();
            for p in parts {
                out.push_str(&p.value);
            }
            return Ok(Expr::new(ExprKind::Constant(Constant::Str(out)), span));
        }
        let mut values: Vec<FStringPart> = Vec::new();
        for p in parts {
            let new_parts = if p.kind == StrKind::FStr {
                fstring::parse_fstring(src, &p).map_err(|error| ParseError::User { error })?
            } else {
                vec![FStringPart::Literal(p.value.clone())]
            };
            for np in new_parts {
                match (values.last_mut(), np) {
                    (Some(FStringPart::Literal(prev)), FStringPart::Literal(s)) => {
                        prev.push_str(&s)
                    }
                    (_, FStringPart::Literal(s)) if s.is_empty() => {}
                    (_, np) => values.push(np),
                }
            }
        }
        Ok(Expr::new(ExprKind::JoinedStr(values), span))
    }
}
