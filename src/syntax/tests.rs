//! Parser tests: every construct, printed as a compact s-expression; errors; seed programs.

use super::ast::*;
use super::*;

// ------------------------------------------------------------------------------------------
// A compact debug form of the AST.

fn ex(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Constant(c) => constant(c),
        ExprKind::JoinedStr(parts) => format!("(f{})", fparts(parts)),
        ExprKind::List(v) => format!("(list{})", list(v)),
        ExprKind::Tuple(v) => format!("(tuple{})", list(v)),
        ExprKind::Set(v) => format!("(set{})", list(v)),
        ExprKind::Dict(items) => {
            let mut s = "(dict".to_string();
            for (k, v) in items {
                match k {
                    Some(k) => s += &format!(" {}:{}", ex(k), ex(v)),
                    None => s += &format!(" **{}", ex(v)),
                }
            }
            s + ")"
        }
        ExprKind::Starred(v) => format!("*{}", ex(v)),
        ExprKind::BinOp { left, op, right } => {
            format!("({} {} {})", binop(*op), ex(left), ex(right))
        }
        ExprKind::UnaryOp { op, operand } => {
            let o = match op {
                UnaryOp::Not => "not",
                UnaryOp::Neg => "neg",
                UnaryOp::Pos => "pos",
                UnaryOp::Invert => "inv",
            };
            format!("({o} {})", ex(operand))
        }
        ExprKind::BoolOp { op, values } => {
            format!(
                "({}{})",
                if *op == BoolOp::And { "and" } else { "or" },
                list(values)
            )
        }
        ExprKind::Compare {
            left,
            ops,
            comparators,
        } => {
            let mut s = format!("(cmp {}", ex(left));
            for (o, c) in ops.iter().zip(comparators) {
                let o = match o {
                    CmpOp::Eq => "==",
                    CmpOp::NotEq => "!=",
                    CmpOp::Lt => "<",
                    CmpOp::LtE => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::GtE => ">=",
                    CmpOp::Is => "is",
                    CmpOp::IsNot => "is-not",
                    CmpOp::In => "in",
                    CmpOp::NotIn => "not-in",
                };
                s += &format!(" {o} {}", ex(c));
            }
            s + ")"
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            format!("(call {}{}{})", ex(func), list(args), kws(keywords))
        }
        ExprKind::Attribute { value, attr } => format!("(. {} {attr})", ex(value)),
        ExprKind::Subscript { value, index } => format!("(sub {} {})", ex(value), ex(index)),
        ExprKind::Slice { lower, upper, step } => {
            format!("(slice {} {} {})", opt(lower), opt(upper), opt(step))
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(ifexp {} {} {})", ex(test), ex(body), ex(orelse))
        }
        ExprKind::Lambda { params, body } => format!("(lambda {} {})", params_s(params), ex(body)),
        ExprKind::ListComp { elt, generators } => {
            format!("(listcomp {}{})", ex(elt), gens(generators))
        }
        ExprKind::SetComp { elt, generators } => {
            format!("(setcomp {}{})", ex(elt), gens(generators))
        }
        ExprKind::GeneratorExp { elt, generators } => {
            format!("(genexp {}{})", ex(elt), gens(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            format!("(dictcomp {}:{}{})", ex(key), ex(value), gens(generators))
        }
        ExprKind::Yield(v) => match v {
            Some(v) => format!("(yield {})", ex(v)),
            None => "(yield)".into(),
        },
        ExprKind::YieldFrom(v) => format!("(yield-from {})", ex(v)),
        ExprKind::Await(v) => format!("(await {})", ex(v)),
        ExprKind::NamedExpr { target, value } => format!("(:= {target} {})", ex(value)),
    }
}

fn constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::True => "True".into(),
        Constant::False => "False".into(),
        Constant::Ellipsis => "...".into(),
        Constant::Int(i) => i.to_string(),
        Constant::BigInt(b) => format!("{b}n"),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Str(s) => format!("{s:?}"),
        Constant::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
    }
}

fn fparts(parts: &[FStringPart]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            FStringPart::Literal(l) => s += &format!(" {l:?}"),
            FStringPart::Formatted {
                value,
                conversion,
                format_spec,
                debug_text,
            } => {
                s += &format!(" {{{}", ex(value));
                if let Some(c) = conversion {
                    s += &format!("!{c}");
                }
                if let Some(spec) = format_spec {
                    s += &format!(":[{}]", fparts(spec).trim_start());
                }
                if let Some(d) = debug_text {
                    s += &format!(" debug={d:?}");
                }
                s += "}";
            }
        }
    }
    s
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::MatMul => "@",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
    }
}

fn opt(e: &Option<Box<Expr>>) -> String {
    e.as_ref().map(|e| ex(e)).unwrap_or_else(|| "_".into())
}

fn list(v: &[Expr]) -> String {
    v.iter().map(|e| format!(" {}", ex(e))).collect()
}

fn kws(v: &[Keyword]) -> String {
    v.iter()
        .map(|k| match &k.arg {
            Some(a) => format!(" {a}={}", ex(&k.value)),
            None => format!(" **{}", ex(&k.value)),
        })
        .collect()
}

fn gens(v: &[Comprehension]) -> String {
    v.iter()
        .map(|g| {
            let mut s = format!(
                " ({}for {} in {}",
                if g.is_async { "async " } else { "" },
                ex(&g.target),
                ex(&g.iter)
            );
            for i in &g.ifs {
                s += &format!(" if {}", ex(i));
            }
            s + ")"
        })
        .collect()
}

fn param(p: &Param) -> String {
    let mut s = p.name.clone();
    if let Some(a) = &p.annotation {
        s += &format!(":{}", ex(a));
    }
    if let Some(d) = &p.default {
        s += &format!("={}", ex(d));
    }
    s
}

fn params_s(p: &Params) -> String {
    let mut parts: Vec<String> = Vec::new();
    for q in &p.posonly {
        parts.push(param(q));
    }
    if !p.posonly.is_empty() {
        parts.push("/".into());
    }
    for q in &p.args {
        parts.push(param(q));
    }
    match &p.vararg {
        Some(v) => parts.push(format!("*{}", param(v))),
        None if !p.kwonly.is_empty() => parts.push("*".into()),
        None => {}
    }
    for q in &p.kwonly {
        parts.push(param(q));
    }
    if let Some(k) = &p.kwarg {
        parts.push(format!("**{}", param(k)));
    }
    format!("[{}]", parts.join(" "))
}

fn body(v: &[Stmt]) -> String {
    format!("[{}]", v.iter().map(st).collect::<Vec<_>>().join(" "))
}

fn st(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Expr(e) => ex(e),
        StmtKind::Assign { targets, value } => format!("(={} {})", list(targets), ex(value)),
        StmtKind::AugAssign { target, op, value } => {
            format!("({}= {} {})", binop(*op), ex(target), ex(value))
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => match value {
            Some(v) => format!("(ann {} {} {})", ex(target), ex(annotation), ex(v)),
            None => format!("(ann {} {})", ex(target), ex(annotation)),
        },
        StmtKind::If {
            test,
            body: b,
            orelse,
        } => format!("(if {} {} {})", ex(test), body(b), body(orelse)),
        StmtKind::While {
            test,
            body: b,
            orelse,
        } => format!("(while {} {} {})", ex(test), body(b), body(orelse)),
        StmtKind::For {
            target,
            iter,
            body: b,
            orelse,
            is_async,
        } => format!(
            "({}for {} {} {} {})",
            if *is_async { "async-" } else { "" },
            ex(target),
            ex(iter),
            body(b),
            body(orelse)
        ),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Pass => "pass".into(),
        StmtKind::Return(v) => match v {
            Some(v) => format!("(return {})", ex(v)),
            None => "(return)".into(),
        },
        StmtKind::Del(v) => format!("(del{})", list(v)),
        StmtKind::Global(v) => format!("(global {})", v.join(" ")),
        StmtKind::Nonlocal(v) => format!("(nonlocal {})", v.join(" ")),
        StmtKind::Assert { test, msg } => match msg {
            Some(m) => format!("(assert {} {})", ex(test), ex(m)),
            None => format!("(assert {})", ex(test)),
        },
        StmtKind::FunctionDef(f) => {
            let mut s = format!(
                "({}def {} {}",
                if f.is_async { "async-" } else { "" },
                f.name,
                params_s(&f.params)
            );
            if let Some(r) = &f.returns {
                s += &format!(" -> {}", ex(r));
            }
            for d in &f.decorators {
                s += &format!(" @{}", ex(d));
            }
            s + &format!(" {})", body(&f.body))
        }
        StmtKind::ClassDef(c) => {
            let mut s = format!("(class {}{}{}", c.name, list(&c.bases), kws(&c.keywords));
            for d in &c.decorators {
                s += &format!(" @{}", ex(d));
            }
            s + &format!(" {})", body(&c.body))
        }
        StmtKind::Raise { exc, cause } => {
            let mut s = "(raise".to_string();
            if let Some(e) = exc {
                s += &format!(" {}", ex(e));
            }
            if let Some(c) = cause {
                s += &format!(" from {}", ex(c));
            }
            s + ")"
        }
        StmtKind::Try {
            body: b,
            handlers,
            orelse,
            finalbody,
        } => {
            let mut s = format!("(try {}", body(b));
            for h in handlers {
                s += &format!(
                    " (except{}{} {})",
                    h.typ
                        .as_ref()
                        .map(|t| format!(" {}", ex(t)))
                        .unwrap_or_default(),
                    h.name
                        .as_ref()
                        .map(|n| format!(" as {n}"))
                        .unwrap_or_default(),
                    body(&h.body)
                );
            }
            s + &format!(" {} {})", body(orelse), body(finalbody))
        }
        StmtKind::With {
            items,
            body: b,
            is_async,
        } => {
            let mut s = format!("({}with", if *is_async { "async-" } else { "" });
            for i in items {
                s += &format!(" {}", ex(&i.context));
                if let Some(t) = &i.target {
                    s += &format!(" as {}", ex(t));
                }
            }
            s + &format!(" {})", body(b))
        }
        StmtKind::Import(names) => format!("(import{})", aliases(names)),
        StmtKind::ImportFrom {
            module,
            names,
            level,
        } => {
            format!(
                "(from {}{}{})",
                ".".repeat(*level),
                module.clone().unwrap_or_default(),
                aliases(names)
            )
        }
    }
}

fn aliases(v: &[Alias]) -> String {
    v.iter()
        .map(|a| match &a.asname {
            Some(n) => format!(" {} as {n}", a.name),
            None => format!(" {}", a.name),
        })
        .collect()
}

/// Parses `src` as a module and prints its statements, one per line.
fn p(src: &str) -> String {
    match parse_module(src) {
        Ok(m) => m.body.iter().map(st).collect::<Vec<_>>().join("\n"),
        Err(e) => panic!(
            "parse failed for {src:?}: {} {:?}\n{}",
            e.message(),
            e.span(),
            e.render(src, "t.py", false)
        ),
    }
}

/// Parses `src` and returns (kind, message, incomplete).
fn perr(src: &str) -> (String, String, bool) {
    match parse_module(src) {
        Ok(m) => panic!("expected an error for {src:?}, got {}", body(&m.body)),
        Err(e) => (
            e.kind_name().to_string(),
            e.message().to_string(),
            e.is_incomplete(),
        ),
    }
}

fn msg(src: &str) -> String {
    perr(src).1
}

// ------------------------------------------------------------------------------------------
// Expressions

#[test]
fn atoms_and_literals() {
    assert_eq!(p("x"), "x");
    assert_eq!(p("名字 = 1"), "(= 名字 1)");
    assert_eq!(p("1; 0x_ff; 0o17; 0b101; 1_000"), "1\n255\n15\n5\n1000");
    assert_eq!(p("99999999999999999999"), "99999999999999999999n");
    assert_eq!(
        p("1.5; .5; 5.; 1e10; 1.5E-3"),
        "1.5\n0.5\n5.0\n10000000000.0\n0.0015"
    );
    assert_eq!(p("None; True; False; ..."), "None\nTrue\nFalse\n...");
    assert_eq!(p("'a' \"b\" '''c''' \"\"\"d\"\"\""), "\"abcd\"");
    assert_eq!(p(r#"b'a\x00' rb'\n'"#), "b\"a\\0\\\\n\"");
    assert_eq!(
        p(r#"'\n\t\\\'\"\a\0\101\x41\u0041\U00000041\q'"#),
        r#""\n\t\\'\"\u{7}\0AAAA\\q""#
    );
    assert_eq!(p(r#"r'\n' R"\d" U'x'"#), r#""\\n\\dx""#);
    assert_eq!(p("'ab\\\ncd'"), "\"abcd\"");
}

#[test]
fn operators_and_precedence() {
    assert_eq!(p("a + b * c ** -d"), "(+ a (* b (** c (neg d))))");
    assert_eq!(p("-2 ** 2"), "(neg (** 2 2))");
    assert_eq!(
        p("a | b ^ c & d << e >> f"),
        "(| a (^ b (& c (>> (<< d e) f))))"
    );
    assert_eq!(p("a - b - c"), "(- (- a b) c)");
    assert_eq!(p("a // b % c @ d / e"), "(/ (@ (% (// a b) c) d) e)");
    assert_eq!(p("~a + +b"), "(+ (inv a) (pos b))");
    assert_eq!(
        p("not a and b or c and not d"),
        "(or (and (not a) b) (and c (not d)))"
    );
    assert_eq!(p("a or b or c"), "(or a b c)");
    assert_eq!(
        p("a < b <= c == d != e > f >= g"),
        "(cmp a < b <= c == d != e > f >= g)"
    );
    assert_eq!(
        p("a in b not in c is d is not e"),
        "(cmp a in b not-in c is d is-not e)"
    );
    assert_eq!(p("a if b else c if d else e"), "(ifexp b a (ifexp d c e))");
    assert_eq!(p("lambda: 0"), "(lambda [] 0)");
    assert_eq!(
        p("lambda x, y=1, *a, z, **k: x"),
        "(lambda [x y=1 *a z **k] x)"
    );
    assert_eq!(
        p("lambda x: lambda y: x if y else 0"),
        "(lambda [x] (lambda [y] (ifexp y x 0)))"
    );
    assert_eq!(p("await a.b ** 2"), "(** (await (. a b)) 2)");
    assert_eq!(p("(y := f(x))"), "(:= y (call f x))");
    assert_eq!(
        p("if (n := len(a)) > 10: pass"),
        "(if (cmp (:= n (call len a)) > 10) [pass] [])"
    );
    assert_eq!(
        p("while chunk := read(): pass"),
        "(while (:= chunk (call read)) [pass] [])"
    );
}

#[test]
fn primaries() {
    assert_eq!(p("f()"), "(call f)");
    assert_eq!(p("f(a, b=1, *c, **d)"), "(call f a *c b=1 **d)");
    assert_eq!(
        p("f(a, *b, c=1, *d, **e, f=2,)"),
        "(call f a *b *d c=1 **e f=2)"
    );
    assert_eq!(p("f(x for x in y)"), "(call f (genexp x (for x in y)))");
    assert_eq!(p("f(x := 1)"), "(call f (:= x 1))");
    assert_eq!(p("a.b.c(d)[e]"), "(sub (call (. (. a b) c) d) e)");
    assert_eq!(
        p("a[1:2, ::3]"),
        "(sub a (tuple (slice 1 2 _) (slice _ _ 3)))"
    );
    assert_eq!(p("a[:]; a[1:]; a[:2]; a[::]; a[1:2:3]"), "(sub a (slice _ _ _))\n(sub a (slice 1 _ _))\n(sub a (slice _ 2 _))\n(sub a (slice _ _ _))\n(sub a (slice 1 2 3))");
    assert_eq!(
        p("a[1, 2]; a[1,]; a[x]"),
        "(sub a (tuple 1 2))\n(sub a (tuple 1))\n(sub a x)"
    );
}

#[test]
fn displays() {
    assert_eq!(p("()"), "(tuple)");
    assert_eq!(p("(x,)"), "(tuple x)");
    assert_eq!(p("(x)"), "x");
    assert_eq!(p("(1, 2, *a)"), "(tuple 1 2 *a)");
    assert_eq!(
        p("[]; [1]; [1, 2,]; [*a, b]"),
        "(list)\n(list 1)\n(list 1 2)\n(list *a b)"
    );
    assert_eq!(
        p("{}; {1: 2}; {1: 2, **m,}; {**m}"),
        "(dict)\n(dict 1:2)\n(dict 1:2 **m)\n(dict **m)"
    );
    assert_eq!(p("{1}; {1, 2,}; {*a, b}"), "(set 1)\n(set 1 2)\n(set *a b)");
    assert_eq!(p("[x for x in y]"), "(listcomp x (for x in y))");
    assert_eq!(
        p("[x * y for x in a if x if x > 1 for y in b]"),
        "(listcomp (* x y) (for x in a if x if (cmp x > 1)) (for y in b))"
    );
    assert_eq!(p("{x for x in y}"), "(setcomp x (for x in y))");
    assert_eq!(
        p("{k: v for k, v in d.items()}"),
        "(dictcomp k:v (for (tuple k v) in (call (. d items))))"
    );
    assert_eq!(p("(x for x in y)"), "(genexp x (for x in y))");
    assert_eq!(p("[x async for x in y]"), "(listcomp x (async for x in y))");
    assert_eq!(
        p("[a if b else c for d in e]"),
        "(listcomp (ifexp b a c) (for d in e))"
    );
}

#[test]
fn fstrings() {
    assert_eq!(p("f'a{x}b'"), "(f \"a\" {x} \"b\")");
    assert_eq!(p("f'{{}}{x!r}'"), "(f \"{}\" {x!r})");
    assert_eq!(p("f'{x!s:>{w}}'"), "(f {x!s:[\">\" {w}]})");
    assert_eq!(p("f'{x:.2f}'"), "(f {x:[\".2f\"]})");
    assert_eq!(p("f'{x=}'"), "(f {x!r debug=\"x=\"})");
    assert_eq!(p("f'{x = }'"), "(f {x!r debug=\"x = \"})");
    assert_eq!(p("f'{x=:>5}'"), "(f {x:[\">5\"] debug=\"x=\"})");
    assert_eq!(p("f'{x=!s}'"), "(f {x!s debug=\"x=\"})");
    assert_eq!(p("f'{a[\"k\"]}'"), "(f {(sub a \"k\")})");
    assert_eq!(p("f\"{d['k']}\""), "(f {(sub d \"k\")})");
    assert_eq!(
        p("f'{a == b}{a != b}{a >= b}'"),
        "(f {(cmp a == b)} {(cmp a != b)} {(cmp a >= b)})"
    );
    assert_eq!(p("f'{ {1: 2}[1] }'"), "(f {(sub (dict 1:2) 1)})");
    assert_eq!(p("'a' f'{x}' 'b'"), "(f \"a\" {x} \"b\")");
    assert_eq!(
        p("f'lock_{self.cache_key}'"),
        "(f \"lock_\" {(. self cache_key)})"
    );
    assert_eq!(p("f'\\n{x}'"), "(f \"\\n\" {x})");
    assert_eq!(p("f''"), "(f)");
    assert_eq!(p("rf'\\d{x}'"), "(f \"\\\\d\" {x})");
    assert_eq!(p("f'{f\"{x}\"}'"), "(f {(f {x})})");
    assert_eq!(p("f'''{\nx\n}'''"), "(f {x})");
    assert_eq!(p("f'{x,y}'"), "(f {(tuple x y)})");
}

#[test]
fn fstring_spans_are_absolute() {
    let src = "y = f'ab{foo}'";
    let m = parse_module(src).unwrap();
    let StmtKind::Assign { value, .. } = &m.body[0].kind else {
        panic!()
    };
    let ExprKind::JoinedStr(parts) = &value.kind else {
        panic!()
    };
    let FStringPart::Formatted { value, .. } = &parts[1] else {
        panic!()
    };
    assert_eq!(&src[value.span.start..value.span.end], "foo");
}

#[test]
fn fstring_errors() {
    assert_eq!(msg("f'{}'"), "f-string: empty expression not allowed");
    assert_eq!(
        msg("f'{x!z}'"),
        "f-string: invalid conversion character: expected 's', 'r', or 'a'"
    );
    assert_eq!(msg("f'{x'"), "f-string: expecting '}'");
    assert_eq!(msg("f'}'"), "f-string: single '}' is not allowed");
    assert_eq!(
        msg("f'{a b}'"),
        "f-string: invalid syntax. Perhaps you forgot a comma?"
    );
    assert_eq!(
        msg("f'{x:{y:{z}}}'"),
        "f-string: expressions nested too deeply"
    );
    assert_eq!(msg("f'{#}'"), "f-string expression part cannot include '#'");
    assert_eq!(
        msg("f'{\"\\n\"}'"),
        "f-string expression part cannot include a backslash"
    );
    let e = parse_module("x = f'{1 +}'").unwrap_err();
    assert!(!e.is_incomplete());
    assert!(e.message().starts_with("f-string: "), "{}", e.message());
}

// ------------------------------------------------------------------------------------------
// Statements

#[test]
fn assignments() {
    assert_eq!(p("a = b = 1"), "(= a b 1)");
    assert_eq!(p("a, b = b, a"), "(= (tuple a b) (tuple b a))");
    assert_eq!(p("a, *b = c"), "(= (tuple a *b) c)");
    assert_eq!(p("[a, (b, c)] = d"), "(= (list a (tuple b c)) d)");
    assert_eq!(p("a.b[c] = d,"), "(= (sub (. a b) c) (tuple d))");
    assert_eq!(
        p("x += 1; y **= 2; z //= 3; w @= m"),
        "(+= x 1)\n(**= y 2)\n(//= z 3)\n(@= w m)"
    );
    assert_eq!(p("x: int = 5"), "(ann x int 5)");
    assert_eq!(p("x: list[int]"), "(ann x (sub list int))");
    assert_eq!(p("self.x: int = 0"), "(ann (. self x) int 0)");
    assert_eq!(p("x = yield"), "(= x (yield))");
    assert_eq!(p("x = yield a, b"), "(= x (yield (tuple a b)))");
    assert_eq!(p("x = *a, b"), "(= x (tuple *a b))");
    assert_eq!(p("x = 1;"), "(= x 1)");
}

#[test]
fn simple_statements() {
    assert_eq!(p("pass; break; continue"), "pass\nbreak\ncontinue");
    assert_eq!(p("return"), "(return)");
    assert_eq!(p("return a, b"), "(return (tuple a b))");
    assert_eq!(p("raise"), "(raise)");
    assert_eq!(p("raise E('x') from e"), "(raise (call E \"x\") from e)");
    assert_eq!(p("del a, b[1], c.d"), "(del a (sub b 1) (. c d))");
    assert_eq!(p("global a, b"), "(global a b)");
    assert_eq!(p("nonlocal a"), "(nonlocal a)");
    assert_eq!(p("assert x, 'msg'"), "(assert x \"msg\")");
    assert_eq!(p("yield"), "(yield)");
    assert_eq!(p("yield x"), "(yield x)");
    assert_eq!(p("yield from g()"), "(yield-from (call g))");
    assert_eq!(p("await x"), "(await x)");
}

#[test]
fn imports() {
    assert_eq!(p("import a.b as c, d"), "(import a.b as c d)");
    assert_eq!(p("from . import (a, b,)"), "(from . a b)");
    assert_eq!(p("from .. import *"), "(from .. *)");
    assert_eq!(p("from ...a.b import c as d"), "(from ...a.b c as d)");
    assert_eq!(p("from .... import x"), "(from .... x)");
    assert_eq!(p("from gevent import monkey"), "(from gevent monkey)");
    assert_eq!(p("from m import *"), "(from m *)");
}

#[test]
fn compound_statements() {
    assert_eq!(
        p("if a:\n    b\nelif c:\n    d\nelif e: f\nelse:\n    g\n"),
        "(if a [b] [(if c [d] [(if e [f] [g])])])"
    );
    assert_eq!(
        p("while x: x -= 1\nelse: pass"),
        "(while x [(-= x 1)] [pass])"
    );
    assert_eq!(
        p("for k, v in d.items():\n    pass"),
        "(for (tuple k v) (call (. d items)) [pass] [])"
    );
    assert_eq!(
        p("for x in a, b: pass\nelse: pass"),
        "(for x (tuple a b) [pass] [pass])"
    );
    assert_eq!(
        p("try:\n    a\nexcept (A, B) as e:\n    b\nexcept C:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n"),
        "(try [a] (except (tuple A B) as e [b]) (except C [c]) (except [d]) [e] [f])"
    );
    assert_eq!(p("try: a\nfinally: b"), "(try [a] [] [b])");
    assert_eq!(
        p("with a as b, c as (d, e), f: pass"),
        "(with a as b c as (tuple d e) f [pass])"
    );
    assert_eq!(p("def f(): pass"), "(def f [] [pass])");
    assert_eq!(
        p("def f(a, b=1, /, c=2, *args, d, e=3, **kw): pass"),
        "(def f [a b=1 / c=2 *args d e=3 **kw] [pass])"
    );
    assert_eq!(
        p("def f(a: int = 1, *, b: str) -> bool: pass"),
        "(def f [a:int=1 * b:str] -> bool [pass])"
    );
    assert_eq!(
        p("def f(*args: int, **kw: str,): pass"),
        "(def f [*args:int **kw:str] [pass])"
    );
    assert_eq!(
        p("@d1\n@d2.x(1)\ndef f(): pass"),
        "(def f [] @d1 @(call (. d2 x) 1) [pass])"
    );
    assert_eq!(p("@dec\nclass A: pass"), "(class A @dec [pass])");
    assert_eq!(
        p("class A(B, C, metaclass=M, **kw): pass"),
        "(class A B C metaclass=M **kw [pass])"
    );
    assert_eq!(p("class A(): pass"), "(class A [pass])");
    assert_eq!(
        p("async def f():\n    await x"),
        "(async-def f [] [(await x)])"
    );
    assert_eq!(p("@d\nasync def f(): pass"), "(async-def f [] @d [pass])");
    assert_eq!(
        p("async def f():\n    async for x in y: pass\n    async with a as b: pass"),
        "(async-def f [] [(async-for x y [pass] []) (async-with a as b [pass])])"
    );
    assert_eq!(
        p("if a:\n    if b:\n        c\nd"),
        "(if a [(if b [c] [])] [])\nd"
    );
}

#[test]
fn layout() {
    assert_eq!(p(""), "");
    assert_eq!(p("\n\n  \n# only a comment\n"), "");
    assert_eq!(
        p("x = (1,\n     2)\ny = [\n  3,\n]\n"),
        "(= x (tuple 1 2))\n(= y (list 3))"
    );
    assert_eq!(p("x = 1 + \\\n  2"), "(= x (+ 1 2))");
    assert_eq!(p("if x:\n\tpass\n"), "(if x [pass] [])");
    assert_eq!(p("sched.run()\u{3000}\n"), "(call (. sched run))");
    assert_eq!(p("x = 1\r\ny = 2\r\n"), "(= x 1)\n(= y 2)");
    assert_eq!(
        p("def f():\n    x = 1\n\n    # c\n\n    return x\n"),
        "(def f [] [(= x 1) (return x)])"
    );
}

#[test]
fn statement_spans() {
    let src = "x = 1\nif a:\n    b\n";
    let m = parse_module(src).unwrap();
    assert_eq!(&src[m.body[0].span.start..m.body[0].span.end], "x = 1");
    assert_eq!(
        &src[m.body[1].span.start..m.body[1].span.end],
        "if a:\n    b"
    );
}

#[test]
fn eval_input() {
    let e = parse_expression("  1 + 2\n\n").unwrap();
    assert_eq!(ex(&e), "(+ 1 2)");
    assert_eq!(ex(&parse_expression("a, b").unwrap()), "(tuple a b)");
    assert!(parse_expression("x = 1").is_err());
    assert!(parse_expression("1\n2").is_err());
}

// ------------------------------------------------------------------------------------------
// Errors

#[test]
fn target_errors() {
    assert_eq!(
        msg("f() = 1"),
        "cannot assign to function call here. Maybe you meant '==' instead of '='?"
    );
    assert_eq!(
        msg("1 = x"),
        "cannot assign to literal here. Maybe you meant '==' instead of '='?"
    );
    assert_eq!(
        msg("a + b = 1"),
        "cannot assign to expression here. Maybe you meant '==' instead of '='?"
    );
    assert_eq!(msg("a < b = 1"), "cannot assign to comparison");
    assert_eq!(msg("None = 1"), "cannot assign to None");
    assert_eq!(msg("for f() in x: pass"), "cannot assign to function call");
    assert_eq!(msg("with a as f(): pass"), "cannot assign to function call");
    assert_eq!(msg("del f()"), "cannot delete function call");
    assert_eq!(
        msg("f() += 1"),
        "'function call' is an illegal expression for augmented assignment"
    );
    assert_eq!(
        msg("(a, b) += 1"),
        "'tuple' is an illegal expression for augmented assignment"
    );
    assert_eq!(
        msg("a, b: int = 1"),
        "only single target (not tuple) can be annotated"
    );
    assert_eq!(
        msg("*a = 1"),
        "starred assignment target must be in a list or tuple"
    );
    assert_eq!(
        msg("a, *b, *c = x"),
        "multiple starred expressions in assignment"
    );
    assert_eq!(msg("lambda: 1 = 1"), "cannot assign to lambda");
    assert_eq!(msg("x = *a"), "can't use starred expression here");
    assert_eq!(msg("(*a) = 1"), "cannot use starred expression here");
    assert_eq!(msg("[x for f() in y]"), "cannot assign to function call");
    let e = parse_module("x = 1\nf() = 2").unwrap_err();
    assert_eq!(e.span(), Span::new(6, 9));
}

#[test]
fn argument_and_parameter_errors() {
    assert_eq!(
        msg("f(**a, b)"),
        "positional argument follows keyword argument unpacking"
    );
    assert_eq!(
        msg("f(a=1, b)"),
        "positional argument follows keyword argument"
    );
    assert_eq!(
        msg("f(**a, *b)"),
        "iterable argument unpacking follows keyword argument unpacking"
    );
    assert_eq!(
        msg("f(x for x in y, 1)"),
        "Generator expression must be parenthesized"
    );
    assert_eq!(
        msg("def f(a=1, b): pass"),
        "non-default argument follows default argument"
    );
    assert_eq!(
        msg("def f(*, **k): pass"),
        "named arguments must follow bare *"
    );
    assert_eq!(
        msg("def f(a, a): pass"),
        "duplicate argument 'a' in function definition"
    );
    assert_eq!(
        msg("def f(**k, a): pass"),
        "arguments cannot follow var-keyword argument"
    );
    assert_eq!(
        msg("def f(*a, *b): pass"),
        "* argument may appear only once"
    );
    assert_eq!(
        msg("def f(/, a): pass"),
        "at least one argument must precede /"
    );
    assert_eq!(
        msg("lambda x=1, y: 1"),
        "non-default argument follows default argument"
    );
    assert_eq!(
        msg("[*a for a in b]"),
        "iterable unpacking cannot be used in comprehension"
    );
}

#[test]
fn syntax_error_messages() {
    assert_eq!(msg("if x\n  pass"), "expected ':'");
    assert_eq!(msg("def f()\n  pass"), "expected ':'");
    assert_eq!(msg("class A\n"), "expected ':'");
    assert_eq!(msg("for x in y\n"), "expected ':'");
    assert_eq!(msg("x = "), "expected an expression");
    assert_eq!(msg("x = 1 +"), "expected an expression");
    assert_eq!(msg("x = else"), "expected an expression");
    assert_eq!(msg("else: pass"), "invalid syntax: unexpected 'else'");
    assert_eq!(msg("x = 1 2"), "invalid syntax: unexpected number");
    assert_eq!(msg("f(a b)"), "invalid syntax. Perhaps you forgot a comma?");
    assert_eq!(msg("[a b]"), "invalid syntax. Perhaps you forgot a comma?");
    assert_eq!(msg("f(a; b)"), "expected ')'");
    assert_eq!(
        msg("f(a.b=1)"),
        "expression cannot contain assignment, perhaps you meant \"==\"?"
    );
    assert_eq!(
        msg("if x = 1: pass"),
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"
    );
    assert_eq!(msg("def 1(): pass"), "invalid syntax: expected a name");
    assert_eq!(
        msg("x = [1, 2 3]"),
        "invalid syntax. Perhaps you forgot a comma?"
    );
    assert_eq!(msg("a[1:2:3:4]"), "expected ']'");
    assert_eq!(
        msg("print \"hello\""),
        "Missing parentheses in call to 'print'. Did you mean print(...)?"
    );
    assert_eq!(
        msg("from x import a,"),
        "trailing comma not allowed without surrounding parentheses"
    );
    assert_eq!(
        msg("try:\n    pass\n"),
        "expected 'except' or 'finally' block"
    );
    assert_eq!(
        msg("try:\n    pass\nexcept A, B:\n    pass"),
        "multiple exception types must be parenthesized"
    );
    assert_eq!(msg("x = )"), "unmatched ')'");
    assert_eq!(
        msg("x = (]"),
        "closing parenthesis ']' does not match opening parenthesis '('"
    );
    assert_eq!(
        msg("x = (\n1]"),
        "closing parenthesis ']' does not match opening parenthesis '(' on line 1"
    );
    assert_eq!(msg("x = 1j"), "complex numbers are not supported in toy");
    assert_eq!(msg("x = 1.5j"), "complex numbers are not supported in toy");
    assert_eq!(msg("a = 012"), "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    assert_eq!(msg("a = €"), "invalid character '€' (U+20AC)");
    assert_eq!(
        msg("x = 1 \\ 2"),
        "unexpected character after line continuation character"
    );
    assert_eq!(
        msg("x = 'abc"),
        "unterminated string literal (detected at line 1)"
    );
    assert_eq!(
        msg("x = 1\ny = \"abc\nz = 2"),
        "unterminated string literal (detected at line 2)"
    );
    assert_eq!(
        msg("x = '''abc\n\n"),
        "unterminated triple-quoted string literal (detected at line 3)"
    );
    assert_eq!(
        msg(r#"x = "\x1""#),
        r"(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \xXX escape"
    );
    assert_eq!(
        msg("x = b'é'"),
        "bytes can only contain ASCII literal characters"
    );
    assert_eq!(
        msg("x = 'a' b'b'"),
        "cannot mix bytes and nonbytes literals"
    );
    assert!(msg(r"x = '\N{DASH}'").contains("not supported"));
}

#[test]
fn indentation_errors() {
    let (k, m, inc) = perr("def f():\n x = 1\n return\n   y");
    assert_eq!(
        (k.as_str(), m.as_str(), inc),
        ("IndentationError", "unexpected indent", false)
    );
    let (k, m, _) = perr("def f():\n    pass\n  y");
    assert_eq!(
        (k.as_str(), m.as_str()),
        (
            "IndentationError",
            "unindent does not match any outer indentation level"
        )
    );
    let (k, m, inc) = perr("if x:\npass");
    assert_eq!(
        (k.as_str(), m.as_str(), inc),
        (
            "IndentationError",
            "expected an indented block after 'if' statement on line 1",
            false
        )
    );
    assert_eq!(
        msg("for x in range(3):"),
        "expected an indented block after 'for' statement on line 1"
    );
    assert_eq!(
        msg("x = 1\n\n\ndef f(a):\n"),
        "expected an indented block after function definition on line 4"
    );
    assert_eq!(
        msg("class A:\n    def f(self):\n    pass"),
        "expected an indented block after function definition on line 2"
    );
    assert_eq!(
        msg("try:\n    a\nexcept E:\nb"),
        "expected an indented block after 'except' statement on line 3"
    );
    assert_eq!(
        msg("if a:\n    b\nelse:\nc"),
        "expected an indented block after 'else' statement on line 3"
    );
    assert_eq!(
        msg("async def f():\nx"),
        "expected an indented block after function definition on line 1"
    );
    let (k, m, _) = perr("if x:\n\ty\n        z\n");
    assert_eq!(
        (k.as_str(), m.as_str()),
        (
            "TabError",
            "inconsistent use of tabs and spaces in indentation"
        )
    );
    assert_eq!(perr("  x = 1").1, "unexpected indent");
}

#[test]
fn incomplete_vs_invalid() {
    for src in [
        "def f():",
        "def f():\n",
        "x = (1,",
        "x = [1,\n 2,\n",
        "\"\"\"abc",
        "x = '''abc\ndef",
        "x = 1 \\",
        "if a:\n    if b:\n",
        "class A:\n    def f(self):\n",
        "@dec\n",
        "for x in y:",
        "foo(",
        "d = {",
    ] {
        let e = parse_module(src).unwrap_err();
        assert!(
            e.is_incomplete(),
            "{src:?} should be incomplete: {}",
            e.message()
        );
    }
    for src in [
        "x = )",
        "\"abc",
        "x = ",
        "if x\n",
        "x = (]",
        "1 +",
        "def f(:",
        "else:",
        "if a:\n    pass\nelse",
    ] {
        let e = parse_module(src).unwrap_err();
        assert!(
            !e.is_incomplete(),
            "{src:?} should be invalid: {}",
            e.message()
        );
    }
    assert!(parse_module("if a:\n    pass\n").is_ok());
}

#[test]
fn rendered_reports() {
    let src = "x = 1\ny = (1,\n";
    let e = parse_module(src).unwrap_err();
    let r = e.render(src, "demo.toy", false);
    assert!(r.contains("SyntaxError: '(' was never closed"), "{r}");
    assert!(r.contains("unclosed '(' opened here"), "{r}");
    assert!(r.contains("demo.toy:2:5"), "{r}");
    assert!(!r.contains('\u{1b}'), "no colour codes expected: {r}");

    let src = "if x:\n    y\n  z\n";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", false);
    assert!(
        r.contains("IndentationError: unindent does not match any outer indentation level"),
        "{r}"
    );
    assert!(r.contains("help:"), "{r}");

    let src = "def f():\n    return g(a b)\n";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", false);
    assert!(r.contains("Perhaps you forgot a comma?"), "{r}");
    assert!(r.contains("expected ',' before this"), "{r}");

    let src = "f() = 1";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", false);
    assert!(r.contains("cannot assign to function call"), "{r}");
    assert!(r.contains("cannot be assigned to"), "{r}");

    let src = "if x:\n\ty\n        z\n";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", false);
    assert!(r.contains("TabError"), "{r}");
    assert!(r.contains("indent with spaces only"), "{r}");

    // spans at the very end and inside multi-byte text render without trouble
    let src = "名字 = (";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", true);
    assert!(r.contains("was never closed"), "{r}");
    let src = "def f():";
    let r = parse_module(src).unwrap_err().render(src, "t.toy", false);
    assert!(
        r.contains("expected an indented block after function definition on line 1"),
        "{r}"
    );
}

// ------------------------------------------------------------------------------------------
// Seed programs

const SEED: &str = include_str!("testdata/seed_000.txt");

/// The ```python blocks of the seed document.
fn seed_blocks() -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur: Option<String> = None;
    for line in SEED.lines() {
        if let Some(c) = cur.as_mut() {
            if line.starts_with("```") {
                blocks.push(cur.take().unwrap_or_default());
            } else {
                c.push_str(line);
                c.push('\n');
            }
        } else if line.trim_start().starts_with("```python") {
            cur = Some(String::new());
        }
    }
    blocks
}

#[test]
fn seed_programs_parse() {
    let blocks = seed_blocks();
    assert_eq!(blocks.len(), 4);
    // asyncio
    let m = p(&blocks[0]);
    assert!(
        m.contains(
            "(async-def do_work [] [(call print \"Hello....\") (await (call (. asyncio sleep) 1))"
        ),
        "{m}"
    );
    // gevent
    let m = p(&blocks[1]);
    assert!(m.contains("(from gevent monkey)"), "{m}");
    assert!(m.contains("(call (. gevent joinall) (list (call (. gevent spawn) func_a) (call (. gevent spawn) func_b)))"), "{m}");
    // yield scheduler: the code ends where the printed output starts
    let code = blocks[2].split("\nhello~ 2").next().unwrap_or_default();
    assert!(code.contains("sched.run()\u{3000}"));
    let m = p(code);
    assert!(m.contains("(def sayHi [n] [(= x 0) (while (cmp x < n) [(call print \"hi~\" x) (yield) (+= x 1)] [])"), "{m}");
    assert!(m.ends_with("(call (. sched run))"), "{m}");
    // the whole block, output included, is a syntax error on the output line
    let e = parse_module(&blocks[2]).unwrap_err();
    assert_eq!(e.line(&blocks[2]), code.lines().count() + 2);
    // distributed lock + singletons: starts with a one-space indent
    let (kind, message, incomplete) = perr(&blocks[3]);
    assert_eq!(
        (kind.as_str(), message.as_str(), incomplete),
        ("IndentationError", "unexpected indent", false)
    );
    assert_eq!(parse_module(&blocks[3]).unwrap_err().line(&blocks[3]), 2);
    // ... and parses once that space is removed
    let fixed = blocks[3].replacen("\n def get_with_lock", "\ndef get_with_lock", 1);
    let m = p(&fixed);
    assert!(
        m.contains("(= lock_key (f \"lock_\" {(. self cache_key)}))"),
        "{m}"
    );
    assert!(
        m.contains("(class RedisClient metaclass=Singleton [pass])"),
        "{m}"
    );
    assert!(
        m.contains("(class Singleton type [\"(类名)单例, metaclass=Singleton\""),
        "{m}"
    );
    // the singleton part alone
    let singleton = &blocks[3][blocks[3].find("# 单例模式").unwrap_or(0)..];
    p(singleton);
}

// ------------------------------------------------------------------------------------------
// Robustness

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn never_panics() {
    let mut inputs: Vec<String> = Vec::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // random bytes (lossily made UTF-8)
    for _ in 0..150 {
        let n = (rng.next() % 60) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| (rng.next() % 256) as u8).collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    // random sequences of python-ish fragments
    let frags = [
        "def ", "f", "(", ")", ":", "\n", "    ", "\t", "x", "=", "1", "'", "\"", "\"\"\"", "f'",
        "{", "}", "[", "]", ",", "*", "**", "lambda", "if ", "else", "for ", "in ", "yield",
        "await ", "async ", "class ", "@", "\\", "#", "\u{3000}", "中", "!", ".", "...", ":=",
        "->", "return ", "import ", "from ", "0x", "1e", "j", "b'", "r'", "try:", "except",
        "with ", "as ", ";", "not ", "is ", "\r\n", "\x0c", "€",
    ];
    for _ in 0..300 {
        let n = (rng.next() % 30) as usize;
        let s: String = (0..n)
            .map(|_| frags[(rng.next() % frags.len() as u64) as usize])
            .collect();
        inputs.push(s);
    }
    // truncated prefixes of the seed programs
    for block in seed_blocks() {
        let mut cut = 0;
        while cut < block.len() {
            if block.is_char_boundary(cut) {
                inputs.push(block[..cut].to_string());
            }
            cut += 1 + (rng.next() % 37) as usize;
        }
    }
    assert!(inputs.len() > 400);
    for s in &inputs {
        let r = std::panic::catch_unwind(|| {
            let _ = parse_module(s).map_err(|e| e.render(s, "fuzz.toy", false));
            let _ = parse_expression(s).map_err(|e| e.render(s, "fuzz.toy", false));
        });
        assert!(r.is_ok(), "panicked on {s:?}");
    }
}
