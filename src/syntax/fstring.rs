//! f-strings: the raw text between the quotes to `FStringPart`s.
//!
//! Literal runs are unescaped like plain strings (unless raw), `{{` / `}}` are braces, and
//! each `{field}` is split into its expression (parsed with the expression grammar, spans
//! absolute in the file), the `=` debug marker, the `!r`/`!s`/`!a` conversion and the format
//! spec, which may itself contain `{fields}` one level deep.

use super::ast::{FStringPart, Span};
use super::diagnostics::SyntaxError;
use super::lexer::{decode_str, LexError, StrLit};
use super::parse::parse_fstring_expr;

/// Parses the f-string literal `lit` (whose text lies in `src`).
pub fn parse_fstring(src: &str, lit: &StrLit) -> Result<Vec<FStringPart>, SyntaxError> {
    let (parts, _) = parse_parts(
        src,
        &lit.raw_content,
        lit.content_start,
        lit.is_raw,
        false,
        0,
    )?;
    Ok(parts)
}

fn error(msg: &str, at: usize, len: usize) -> SyntaxError {
    SyntaxError::new(msg, Span::new(at, at + len)).with_label("in this f-string")
}

fn push_literal(
    parts: &mut Vec<FStringPart>,
    run: &str,
    at: usize,
    raw: bool,
    lit: &mut String,
) -> Result<(), SyntaxError> {
    let decoded = if raw {
        run.to_string()
    } else {
        decode_str(run, false).map_err(|e| match e {
            LexError::Message(m) => error(&m, at, run.len()),
            _ => error("invalid escape in f-string", at, run.len()),
        })?
    };
    lit.push_str(&decoded);
    let _ = parts;
    Ok(())
}

fn flush(parts: &mut Vec<FStringPart>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(FStringPart::Literal(std::mem::take(lit)));
    }
}

/// Parses literal text and fields. In a format spec (`in_spec`) it stops at the first
/// unmatched `}` and returns its index.
fn parse_parts(
    src: &str,
    s: &str,
    base: usize,
    raw: bool,
    in_spec: bool,
    depth: usize,
) -> Result<(Vec<FStringPart>, usize), SyntaxError> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut run_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                push_literal(
                    &mut parts,
                    &s[run_start..i],
                    base + run_start,
                    raw,
                    &mut lit,
                )?;
                if !in_spec && b.get(i + 1) == Some(&b'{') {
                    lit.push('{');
                    i += 2;
                } else {
                    flush(&mut parts, &mut lit);
                    let (part, next) = parse_field(src, s, base, i, raw, depth)?;
                    parts.push(part);
                    i = next;
                }
                run_start = i;
            }
            b'}' => {
                push_literal(
                    &mut parts,
                    &s[run_start..i],
                    base + run_start,
                    raw,
                    &mut lit,
                )?;
                if in_spec {
                    flush(&mut parts, &mut lit);
                    return Ok((parts, i));
                }
                if b.get(i + 1) == Some(&b'}') {
                    lit.push('}');
                    i += 2;
                    run_start = i;
                } else {
                    return Err(error("f-string: single '}' is not allowed", base + i, 1));
                }
            }
            _ => i += 1,
        }
    }
    if in_spec {
        return Err(error("f-string: expecting '}'", base + b.len(), 0));
    }
    push_literal(&mut parts, &s[run_start..], base + run_start, raw, &mut lit)?;
    flush(&mut parts, &mut lit);
    Ok((parts, b.len()))
}

/// Parses the field starting at the `{` at `open`; returns it and the index after its `}`.
fn parse_field(
    src: &str,
    s: &str,
    base: usize,
    open: usize,
    raw: bool,
    depth: usize,
) -> Result<(FStringPart, usize), SyntaxError> {
    if depth >= 2 {
        return Err(error(
            "f-string: expressions nested too deeply",
            base + open,
            1,
        ));
    }
    let b = s.as_bytes();
    let start = open + 1;
    let mut j = start;
    let mut nest = 0usize;
    let mut quote: Option<u8> = None;
    let mut debug = false;
    loop {
        let Some(&c) = b.get(j) else {
            return Err(error("f-string: expecting '}'", base + open, 1));
        };
        if let Some(q) = quote {
            if c == b'\\' {
                return Err(error(
                    "f-string expression part cannot include a backslash",
                    base + j,
                    1,
                ));
            }
            if c == q {
                quote = None;
            }
            j += 1;
            continue;
        }
        match c {
            b'\\' => {
                return Err(error(
                    "f-string expression part cannot include a backslash",
                    base + j,
                    1,
                ))
            }
            b'#' => {
                return Err(error(
                    "f-string expression part cannot include '#'",
                    base + j,
                    1,
                ))
            }
            b'\'' | b'"' => quote = Some(c),
            b'(' | b'[' | b'{' => nest += 1,
            b')' | b']' | b'}' if nest > 0 => nest -= 1,
            b'}' => break,
            b'!' if nest == 0 && b.get(j + 1) != Some(&b'=') => break,
            b'!' | b'<' | b'>' | b'=' if b.get(j + 1) == Some(&b'=') => {
                j += 2;
                continue;
            }
            b'=' if nest == 0 => {
                let mut k = j + 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                if matches!(b.get(k), Some(b'}' | b'!' | b':')) {
                    debug = true;
                    break;
                }
            }
            b':' if nest == 0 => break,
            _ => {}
        }
        j += 1;
    }
    let expr_end = j;
    if s[start..expr_end].trim().is_empty() {
        return Err(error(
            "f-string: empty expression not allowed",
            base + open,
            expr_end + 1 - open,
        ));
    }
    let mut k = expr_end;
    let mut debug_text = None;
    if debug {
        k += 1;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        debug_text = Some(s[start..k].to_string());
    }
    let mut conversion = None;
    if b.get(k) == Some(&b'!') {
        match s[k + 1..].chars().next() {
            Some(c @ ('r' | 's' | 'a')) => {
                conversion = Some(c);
                k += 2;
            }
            _ => {
                return Err(error(
                    "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    base + k,
                    1,
                ))
            }
        }
    }
    let mut format_spec = None;
    if b.get(k) == Some(&b':') {
        let (spec, end) = parse_parts(src, &s[k + 1..], base + k + 1, raw, true, depth + 1)?;
        format_spec = Some(spec);
        k = k + 1 + end;
    }
    if b.get(k) != Some(&b'}') {
        return Err(error("f-string: expecting '}'", base + k.min(b.len()), 0));
    }
    if debug_text.is_some() && conversion.is_none() && format_spec.is_none() {
        conversion = Some('r');
    }
    let value = parse_fstring_expr(src, base + start, base + expr_end)?;
    Ok((
        FStringPart::Formatted {
            value: Box::new(value),
            conversion,
            format_spec,
            debug_text,
        },
        k + 1,
    ))
}
