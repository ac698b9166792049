//! The tokenizer: source text to a flat stream of [`Tok`]s (logos does the matching).
//!
//! Raw `Newline` tokens are produced for every line break outside a continuation; the
//! indentation pass ([`super::indent`]) turns them into logical NEWLINE / INDENT / DEDENT
//! tokens. Comments come out as `Comment` and are dropped there too.
//!
//! String literals are scanned by a callback ([`lex_string`]) and arrive decoded (plain and
//! bytes literals) or raw (f-strings, whose fields are parsed later by [`super::fstring`]).

use logos::Logos;
use num_bigint::BigInt;

/// A string literal as it left the lexer.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub kind: StrKind,
    /// The decoded value of a plain string.
    pub value: String,
    /// The decoded value of a bytes literal.
    pub bytes: Vec<u8>,
    /// For f-strings: the raw text between the quotes and its byte offset in the file.
    pub raw_content: String,
    pub content_start: usize,
    pub is_raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrKind {
    Str,
    Bytes,
    FStr,
}

/// What went wrong inside a token. Positions are relative to the text given to logos.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LexError {
    /// No pattern matched: an invalid character.
    #[default]
    InvalidChar,
    /// A string literal without its closing quote; `at` is where that was noticed.
    Unterminated { triple: bool, at: usize },
    /// A bad escape or other problem at a byte offset (relative to the token start).
    Message(String),
    /// `\` at the very end of the input.
    ContinuationEof,
    /// `\` followed by something other than a line break.
    ContinuationBad,
}

/// The tokens. Synthetic tokens (`Indent`, `Dedent`, `StartModule`, `StartEval`) are never
/// produced by logos itself; the indentation pass inserts them.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\x0C\u{3000}]+")]
#[logos(skip r"\\(\r\n|\n|\r)")]
pub enum Tok {
    // --- layout
    #[regex(r"\r\n|\n|\r")]
    Newline,
    #[regex(r"#[^\r\n]*", allow_greedy = true)]
    Comment,
    #[token("\\", backslash_error)]
    Backslash,
    Indent,
    Dedent,
    StartModule,
    StartEval,

    // --- names and literals
    #[regex(r"[\p{XID_Start}_][\p{XID_Continue}]*", |lex| lex.slice().to_string())]
    Name(String),
    #[regex(r"[0-9](_?[0-9])*", lex_decimal)]
    #[regex(r"0[xX](_?[0-9a-fA-F])+", |lex| lex_radix(lex, 16))]
    #[regex(r"0[oO](_?[0-7])+", |lex| lex_radix(lex, 8))]
    #[regex(r"0[bB](_?[01])+", |lex| lex_radix(lex, 2))]
    Int(IntLit),
    #[regex(
        r"[0-9](_?[0-9])*\.([0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?",
        lex_float
    )]
    #[regex(r"\.[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?", lex_float)]
    #[regex(r"[0-9](_?[0-9])*[eE][+-]?[0-9](_?[0-9])*", lex_float)]
    Float(f64),
    #[regex(r"[0-9](_?[0-9])*[jJ]", complex_error)]
    #[regex(
        r"[0-9](_?[0-9])*\.([0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?[jJ]",
        complex_error
    )]
    #[regex(r"\.[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?[jJ]", complex_error)]
    #[regex(r"[0-9](_?[0-9])*[eE][+-]?[0-9](_?[0-9])*[jJ]", complex_error)]
    Complex,
    #[regex(r#"([rRbBfFuU]|[rR][bBfF]|[bBfF][rR])?["']"#, lex_string)]
    Str(Box<StrLit>),

    // --- keywords
    #[token("False")]
    False,
    #[token("None")]
    None,
    #[token("True")]
    True,
    #[token("and")]
    And,
    #[token("as")]
    As,
    #[token("assert")]
    Assert,
    #[token("async")]
    Async,
    #[token("await")]
    Await,
    #[token("break")]
    Break,
    #[token("class")]
    Class,
    #[token("continue")]
    Continue,
    #[token("def")]
    Def,
    #[token("del")]
    Del,
    #[token("elif")]
    Elif,
    #[token("else")]
    Else,
    #[token("except")]
    Except,
    #[token("finally")]
    Finally,
    #[token("for")]
    For,
    #[token("from")]
    From,
    #[token("global")]
    Global,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("in")]
    In,
    #[token("is")]
    Is,
    #[token("lambda")]
    Lambda,
    #[token("nonlocal")]
    Nonlocal,
    #[token("not")]
    Not,
    #[token("or")]
    Or,
    #[token("pass")]
    Pass,
    #[token("raise")]
    Raise,
    #[token("return")]
    Return,
    #[token("try")]
    Try,
    #[token("while")]
    While,
    #[token("with")]
    With,
    #[token("yield")]
    Yield,

    // --- operators and delimiters
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("**")]
    DoubleStar,
    #[token("/")]
    Slash,
    #[token("//")]
    DoubleSlash,
    #[token("%")]
    Percent,
    #[token("@")]
    At,
    #[token("<<")]
    LShift,
    #[token(">>")]
    RShift,
    #[token("&")]
    Amper,
    #[token("|")]
    Vbar,
    #[token("^")]
    Circumflex,
    #[token("~")]
    Tilde,
    #[token(":=")]
    ColonEqual,
    #[token("<")]
    Less,
    #[token(">")]
    Greater,
    #[token("<=")]
    LessEqual,
    #[token(">=")]
    GreaterEqual,
    #[token("==")]
    EqEqual,
    #[token("!=")]
    NotEqual,
    #[token("(")]
    Lpar,
    #[token(")")]
    Rpar,
    #[token("[")]
    Lsqb,
    #[token("]")]
    Rsqb,
    #[token("{")]
    Lbrace,
    #[token("}")]
    Rbrace,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("...")]
    Ellipsis,
    #[token(";")]
    Semi,
    #[token("=")]
    Equal,
    #[token("->")]
    Rarrow,
    #[token("+=")]
    PlusEqual,
    #[token("-=")]
    MinusEqual,
    #[token("*=")]
    StarEqual,
    #[token("/=")]
    SlashEqual,
    #[token("//=")]
    DoubleSlashEqual,
    #[token("%=")]
    PercentEqual,
    #[token("@=")]
    AtEqual,
    #[token("&=")]
    AmperEqual,
    #[token("|=")]
    VbarEqual,
    #[token("^=")]
    CircumflexEqual,
    #[token(">>=")]
    RShiftEqual,
    #[token("<<=")]
    LShiftEqual,
    #[token("**=")]
    DoubleStarEqual,
}

/// An integer literal: small ones inline, the rest as big integers.
#[derive(Debug, Clone, PartialEq)]
pub enum IntLit {
    Small(i64),
    Big(BigInt),
}

fn int_from_digits(digits: &str, radix: u32) -> IntLit {
    match i64::from_str_radix(digits, radix) {
        Ok(v) => IntLit::Small(v),
        Err(_) => match BigInt::parse_bytes(digits.as_bytes(), radix) {
            Some(b) => IntLit::Big(b),
            None => IntLit::Small(0),
        },
    }
}

fn lex_decimal(lex: &mut logos::Lexer<Tok>) -> Result<IntLit, LexError> {
    check_number_end(lex, "decimal")?;
    let digits: String = lex.slice().chars().filter(|&c| c != '_').collect();
    if digits.len() > 1 && digits.starts_with('0') && digits.chars().any(|c| c != '0') {
        return Err(LexError::Message(
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
                .into(),
        ));
    }
    Ok(int_from_digits(&digits, 10))
}

fn lex_radix(lex: &mut logos::Lexer<Tok>, radix: u32) -> Result<IntLit, LexError> {
    let what = match radix {
        16 => "hexadecimal",
        8 => "octal",
        _ => "binary",
    };
    check_number_end(lex, what)?;
    let digits: String = lex.slice()[2..].chars().filter(|&c| c != '_').collect();
    Ok(int_from_digits(&digits, radix))
}

/// Python rejects a number glued to a name (`1abc`, `0x`, `1_`), except before the keywords
/// it tolerates there (`1if x else y`).
fn check_number_end(lex: &logos::Lexer<Tok>, what: &str) -> Result<(), LexError> {
    let rest = lex.remainder();
    let Some(c) = rest.chars().next() else {
        return Ok(());
    };
    if !(c.is_alphanumeric() || c == '_') {
        return Ok(());
    }
    for kw in ["and", "else", "for", "if", "in", "is", "not", "or"] {
        if let Some(after) = rest.strip_prefix(kw) {
            if !after
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                return Ok(());
            }
        }
    }
    let what = match (what, c) {
        ("decimal", 'x' | 'X') if lex.slice() == "0" => "hexadecimal",
        ("decimal", 'o' | 'O') if lex.slice() == "0" => "octal",
        ("decimal", 'b' | 'B') if lex.slice() == "0" => "binary",
        _ => what,
    };
    Err(LexError::Message(format!("invalid {what} literal")))
}

fn lex_float(lex: &mut logos::Lexer<Tok>) -> Result<f64, LexError> {
    check_number_end(lex, "decimal")?;
    let text: String = lex.slice().chars().filter(|&c| c != '_').collect();
    text.parse::<f64>()
        .map_err(|_| LexError::Message(format!("invalid float literal '{}'", lex.slice())))
}

fn backslash_error(lex: &mut logos::Lexer<Tok>) -> Result<(), LexError> {
    if lex.remainder().is_empty() {
        Err(LexError::ContinuationEof)
    } else {
        Err(LexError::ContinuationBad)
    }
}

fn complex_error(_lex: &mut logos::Lexer<Tok>) -> Result<(), LexError> {
    Err(LexError::Message(
        "complex numbers are not supported in toy".into(),
    ))
}

/// Scans a string literal after its prefix and opening quote have been matched.
fn lex_string(lex: &mut logos::Lexer<Tok>) -> Result<Box<StrLit>, LexError> {
    let opening = lex.slice();
    let quote = opening.as_bytes()[opening.len() - 1];
    let prefix = opening[..opening.len() - 1].to_ascii_lowercase();
    let is_raw = prefix.contains('r');
    let is_bytes = prefix.contains('b');
    let is_f = prefix.contains('f');
    let rest = lex.remainder().as_bytes();
    let triple = rest.len() >= 2 && rest[0] == quote && rest[1] == quote;
    let content_offset = if triple { 2 } else { 0 };
    let body = &rest[content_offset..];
    let mut i = 0;
    let end; // index in body of the closing quote(s)
    loop {
        if i >= body.len() {
            let at = lex.span().end + rest.len();
            lex.bump(rest.len());
            return Err(LexError::Unterminated { triple, at });
        }
        let c = body[i];
        if c == b'\\' {
            // a backslash before \r\n escapes both
            if body.get(i + 1) == Some(&b'\r') && body.get(i + 2) == Some(&b'\n') {
                i += 3;
            } else {
                i += 2;
            }
            continue;
        }
        if !triple && (c == b'\n' || c == b'\r') {
            let at = lex.span().end + content_offset + i;
            lex.bump(content_offset + i);
            return Err(LexError::Unterminated { triple, at });
        }
        if c == quote {
            if !triple {
                end = i;
                break;
            }
            if body.len() >= i + 3 && body[i + 1] == quote && body[i + 2] == quote {
                end = i;
                break;
            }
        }
        i += 1;
    }
    let content_start_rel = lex.span().end + content_offset;
    let content = &lex.remainder()[content_offset..content_offset + end];
    let total = content_offset + end + if triple { 3 } else { 1 };
    let content = content.to_string();
    lex.bump(total);
    let mut lit = StrLit {
        kind: StrKind::Str,
        value: String::new(),
        bytes: Vec::new(),
        raw_content: String::new(),
        content_start: content_start_rel,
        is_raw,
    };
    if is_f {
        lit.kind = StrKind::FStr;
        lit.raw_content = content;
    } else if is_bytes {
        lit.kind = StrKind::Bytes;
        lit.bytes = decode_bytes(&content, is_raw)?;
    } else {
        lit.value = decode_str(&content, is_raw)?;
    }
    Ok(Box::new(lit))
}

/// Decodes the escapes of a (non-raw) string body. Unknown escapes stay as they are.
pub fn decode_str(s: &str, raw: bool) -> Result<String, LexError> {
    if raw || !s.contains('\\') {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if let Some((_, '\n')) = chars.peek() {
                    chars.next();
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&(_, d)) if d.is_digit(8) => {
                            v = v * 8 + d.to_digit(8).unwrap_or(0);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                for k in 0..n {
                    match chars.peek() {
                        Some(&(_, d)) if d.is_ascii_hexdigit() => {
                            v = v * 16 + d.to_digit(16).unwrap_or(0);
                            chars.next();
                        }
                        _ => {
                            return Err(LexError::Message(format!(
                                "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: truncated \\{}{} escape",
                                pos,
                                pos + 1 + k,
                                e,
                                "X".repeat(n)
                            )))
                        }
                    }
                }
                match char::from_u32(v) {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(LexError::Message(format!(
                            "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: illegal Unicode character",
                            pos,
                            pos + 1 + n
                        )))
                    }
                }
            }
            'N' => {
                return Err(LexError::Message(
                    "\\N{...} escapes are not supported in toy".into(),
                ))
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// Decodes a bytes literal body.
fn decode_bytes(s: &str, raw: bool) -> Result<Vec<u8>, LexError> {
    if !s.is_ascii() {
        return Err(LexError::Message(
            "bytes can only contain ASCII literal characters".into(),
        ));
    }
    let b = s.as_bytes();
    if raw {
        return Ok(b.to_vec());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = b.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\r' => {
                if b.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match b.get(i) {
                        Some(&d) if (b'0'..=b'7').contains(&d) => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = b
                    .get(i..i + 2)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                match hex {
                    Some(h) => {
                        let h = std::str::from_utf8(h).unwrap_or("0");
                        out.push(u8::from_str_radix(h, 16).unwrap_or(0));
                        i += 2;
                    }
                    None => {
                        return Err(LexError::Message(format!(
                            "(value error) invalid \\x escape at position {}",
                            i - 2
                        )))
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

impl Tok {
    /// How the token is shown in an error message: `'else'`, `'('`, `NEWLINE`, `name 'x'`.
    pub fn describe(&self) -> String {
        match self {
            Tok::Newline => "newline".into(),
            Tok::Indent => "indent".into(),
            Tok::Dedent => "dedent".into(),
            Tok::Name(n) => format!("name '{n}'"),
            Tok::Int(_) | Tok::Float(_) | Tok::Complex => "number".into(),
            Tok::Str(s) => match s.kind {
                StrKind::Str => "string".into(),
                StrKind::Bytes => "bytes literal".into(),
                StrKind::FStr => "f-string".into(),
            },
            Tok::StartModule | Tok::StartEval => "start of input".into(),
            other => match other.text() {
                Some(t) => format!("'{t}'"),
                None => format!("{other:?}"),
            },
        }
    }

    /// The source text of a keyword, operator or delimiter token.
    pub fn text(&self) -> Option<&'static str> {
        use Tok::*;
        Some(match self {
            False => "False",
            None => "None",
            True => "True",
            And => "and",
            As => "as",
            Assert => "assert",
            Async => "async",
            Await => "await",
            Break => "break",
            Class => "class",
            Continue => "continue",
            Def => "def",
            Del => "del",
            Elif => "elif",
            Else => "else",
            Except => "except",
            Finally => "finally",
            For => "for",
            From => "from",
            Global => "global",
            If => "if",
            Import => "import",
            In => "in",
            Is => "is",
            Lambda => "lambda",
            Nonlocal => "nonlocal",
            Not => "not",
            Or => "or",
            Pass => "pass",
            Raise => "raise",
            Return => "return",
            Try => "try",
            While => "while",
            With => "with",
            Yield => "yield",
            Plus => "+",
            Minus => "-",
            Star => "*",
            DoubleStar => "**",
            Slash => "/",
            DoubleSlash => "//",
            Percent => "%",
            At => "@",
            LShift => "<<",
            RShift => ">>",
            Amper => "&",
            Vbar => "|",
            Circumflex => "^",
            Tilde => "~",
            ColonEqual => ":=",
            Less => "<",
            Greater => ">",
            LessEqual => "<=",
            GreaterEqual => ">=",
            EqEqual => "==",
            NotEqual => "!=",
            Lpar => "(",
            Rpar => ")",
            Lsqb => "[",
            Rsqb => "]",
            Lbrace => "{",
            Rbrace => "}",
            Comma => ",",
            Colon => ":",
            Dot => ".",
            Ellipsis => "...",
            Semi => ";",
            Equal => "=",
            Rarrow => "->",
            PlusEqual => "+=",
            MinusEqual => "-=",
            StarEqual => "*=",
            SlashEqual => "/=",
            DoubleSlashEqual => "//=",
            PercentEqual => "%=",
            AtEqual => "@=",
            AmperEqual => "&=",
            VbarEqual => "|=",
            CircumflexEqual => "^=",
            RShiftEqual => ">>=",
            LShiftEqual => "<<=",
            DoubleStarEqual => "**=",
            Backslash => "\\",
            _ => return Option::None,
        })
    }

    /// Whether this token can begin an expression.
    pub fn starts_expression(&self) -> bool {
        use Tok::*;
        matches!(
            self,
            Name(_)
                | Int(_)
                | Float(_)
                | Str(_)
                | False
                | None
                | True
                | Lambda
                | Not
                | Await
                | Plus
                | Minus
                | Tilde
                | Lpar
                | Lsqb
                | Lbrace
                | Ellipsis
                | Star
                | Yield
        )
    }

    /// Whether this token can end an expression (used for the "forgot a comma" hint).
    pub fn ends_expression(&self) -> bool {
        use Tok::*;
        matches!(
            self,
            Name(_)
                | Int(_)
                | Float(_)
                | Str(_)
                | False
                | None
                | True
                | Rpar
                | Rsqb
                | Rbrace
                | Ellipsis
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Result<Tok, LexError>> {
        Tok::lexer(src).collect()
    }

    fn ok(src: &str) -> Vec<Tok> {
        toks(src)
            .into_iter()
            .map(|t| t.unwrap_or_else(|e| panic!("{src:?}: {e:?}")))
            .collect()
    }

    fn name(s: &str) -> Tok {
        Tok::Name(s.into())
    }

    fn str_value(t: &Tok) -> String {
        match t {
            Tok::Str(s) => match s.kind {
                StrKind::Str => s.value.clone(),
                StrKind::Bytes => format!("b{:?}", s.bytes),
                StrKind::FStr => format!("f{}", s.raw_content),
            },
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn names_and_keywords() {
        assert_eq!(
            ok("def foo _x 名字 True None not_a"),
            vec![
                Tok::Def,
                name("foo"),
                name("_x"),
                name("名字"),
                Tok::True,
                Tok::None,
                name("not_a")
            ]
        );
        assert_eq!(
            ok("async await yield lambda nonlocal"),
            vec![
                Tok::Async,
                Tok::Await,
                Tok::Yield,
                Tok::Lambda,
                Tok::Nonlocal
            ]
        );
    }

    #[test]
    fn operators_longest_match() {
        assert_eq!(
            ok("**= //= -> := @ ... . >>= <<= != == <= >= ** //"),
            vec![
                Tok::DoubleStarEqual,
                Tok::DoubleSlashEqual,
                Tok::Rarrow,
                Tok::ColonEqual,
                Tok::At,
                Tok::Ellipsis,
                Tok::Dot,
                Tok::RShiftEqual,
                Tok::LShiftEqual,
                Tok::NotEqual,
                Tok::EqEqual,
                Tok::LessEqual,
                Tok::GreaterEqual,
                Tok::DoubleStar,
                Tok::DoubleSlash,
            ]
        );
    }

    #[test]
    fn numbers() {
        let small = |v| Tok::Int(IntLit::Small(v));
        assert_eq!(
            ok("0 7 1_000 0xFF 0o17 0b1_01"),
            vec![
                small(0),
                small(7),
                small(1000),
                small(255),
                small(15),
                small(5)
            ]
        );
        assert_eq!(
            ok("1.5 .5 5. 1e10 1.5E-3 1_0.2_5"),
            vec![
                Tok::Float(1.5),
                Tok::Float(0.5),
                Tok::Float(5.0),
                Tok::Float(1e10),
                Tok::Float(1.5e-3),
                Tok::Float(10.25)
            ]
        );
        let big = ok("123456789012345678901234567890");
        assert_eq!(
            big,
            vec![Tok::Int(IntLit::Big(
                "123456789012345678901234567890".parse().unwrap()
            ))]
        );
        assert_eq!(ok("000"), vec![small(0)]);
        assert!(matches!(&toks("1j")[0], Err(LexError::Message(m)) if m.contains("complex")));
        assert!(matches!(&toks("1.5e3J")[0], Err(LexError::Message(m)) if m.contains("complex")));
        assert!(
            matches!(&toks("012")[0], Err(LexError::Message(m)) if m.contains("leading zeros"))
        );
        assert!(
            matches!(&toks("1abc")[0], Err(LexError::Message(m)) if m == "invalid decimal literal")
        );
        assert!(
            matches!(&toks("0x")[0], Err(LexError::Message(m)) if m == "invalid hexadecimal literal")
        );
        assert_eq!(ok("1if"), vec![small(1), Tok::If]);
        assert_eq!(ok("x.y"), vec![name("x"), Tok::Dot, name("y")]);
    }

    #[test]
    fn strings() {
        let t = ok(r#"'a' "b" '''c'd''' """e"f""" r'\n' B'x' Rb'\x' bR"y" u'z'"#);
        let v: Vec<String> = t.iter().map(str_value).collect();
        assert_eq!(
            v,
            vec![
                "a",
                "b",
                "c'd",
                "e\"f",
                "\\n",
                "b[120]",
                "b[92, 120]",
                "b[121]",
                "z"
            ]
        );
        let t = ok(r#"f'{x}' F"a{{" rf'\d{y}' fR'z'"#);
        let v: Vec<String> = t.iter().map(str_value).collect();
        assert_eq!(v, vec!["f{x}", "fa{{", "f\\d{y}", "fz"]);
        assert_eq!(
            str_value(&ok(r"'\x41\u00e9\U0001F600\101\0'")[0]),
            "Aé😀A\0"
        );
        assert_eq!(str_value(&ok(r"'\d\w'")[0]), "\\d\\w");
        assert_eq!(str_value(&ok("'a\\\nb'")[0]), "ab");
        assert_eq!(str_value(&ok("'''a\nb'''")[0]), "a\nb");
        assert_eq!(str_value(&ok(r"'it\'s'")[0]), "it's");
        assert!(matches!(
            toks("'abc")[0],
            Err(LexError::Unterminated { triple: false, .. })
        ));
        assert!(matches!(
            toks("'abc\n'")[0],
            Err(LexError::Unterminated { triple: false, .. })
        ));
        assert!(matches!(
            toks("'''abc")[0],
            Err(LexError::Unterminated { triple: true, .. })
        ));
        assert!(matches!(&toks(r"'\N{DASH}'")[0], Err(LexError::Message(_))));
        assert!(matches!(&toks(r"'\x4'")[0], Err(LexError::Message(_))));
    }

    #[test]
    fn layout_tokens() {
        assert_eq!(
            ok("a # comment\nb"),
            vec![name("a"), Tok::Comment, Tok::Newline, name("b")]
        );
        assert_eq!(ok("a \\\n b"), vec![name("a"), name("b")]);
        assert_eq!(ok("a\u{3000}\t\x0cb"), vec![name("a"), name("b")]);
        assert_eq!(
            ok("a\r\nb\rc"),
            vec![name("a"), Tok::Newline, name("b"), Tok::Newline, name("c")]
        );
        assert_eq!(
            toks("a \\"),
            vec![Ok(name("a")), Err(LexError::ContinuationEof)]
        );
        assert_eq!(toks("a \\ b")[1], Err(LexError::ContinuationBad));
        assert_eq!(toks("€")[0], Err(LexError::InvalidChar));
    }
}
