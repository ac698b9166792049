//! Methods of `str`, and printf-style `%` formatting.
//!
//! Semantics follow CPython 3.11 (`Objects/unicodeobject.c`, `Objects/stringlib/`), error
//! messages included. Python indexes strings by code point while toy stores UTF-8, so
//! searches run on bytes and convert positions only at the edges (free for ASCII text).
//! Character classes (`isalpha`, `isnumeric`, `isidentifier`, `isprintable`, ...) use
//! range tables generated from CPython 3.11's `unicodedata` (Unicode 14.0), at the bottom
//! of this file; case mapping is Rust's full mapping plus tables for `title` and
//! `casefold` where those differ from `upper` and `lower`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use super::format::{self as fmtlib, FormatError, FormatErrorKind, PercentNum, PercentSpec};
use super::method_args::{
    self as margs, adjust_indices, is_title, memory_error, receiver_value, rest, slice_bound,
    ssize_arg, Case, Pad, MAX_RESULT,
};
use super::{codec, split, types, Exc, StrObj, ToyResult, TypeObj, Value};
use crate::modules::args::{str_receiver, Kw};
use crate::vm::Vm;

pub(crate) fn register(t: &Arc<TypeObj>) {
    // Joining, splitting and stripping.
    t.add_method("join", join);
    t.add_method("split", split);
    t.add_method("rsplit", rsplit);
    t.add_method("splitlines", splitlines);
    t.add_method("strip", strip);
    t.add_method("lstrip", lstrip);
    t.add_method("rstrip", rstrip);
    t.add_method("partition", partition);
    t.add_method("rpartition", rpartition);
    t.add_method("removeprefix", removeprefix);
    t.add_method("removesuffix", removesuffix);
    // Searching.
    t.add_method("find", find);
    t.add_method("rfind", rfind);
    t.add_method("index", index);
    t.add_method("rindex", rindex);
    t.add_method("count", count);
    t.add_method("startswith", startswith);
    t.add_method("endswith", endswith);
    t.add_method("replace", replace);
    // Case.
    t.add_method("upper", upper);
    t.add_method("lower", lower);
    t.add_method("casefold", casefold);
    t.add_method("swapcase", swapcase);
    t.add_method("title", title);
    t.add_method("capitalize", capitalize);
    // Classification.
    t.add_method("isdigit", isdigit);
    t.add_method("isdecimal", isdecimal);
    t.add_method("isnumeric", isnumeric);
    t.add_method("isalpha", isalpha);
    t.add_method("isalnum", isalnum);
    t.add_method("isspace", isspace);
    t.add_method("isupper", isupper);
    t.add_method("islower", islower);
    t.add_method("istitle", istitle);
    t.add_method("isidentifier", isidentifier);
    t.add_method("isprintable", isprintable);
    t.add_method("isascii", isascii);
    // Padding and layout.
    t.add_method("center", center);
    t.add_method("ljust", ljust);
    t.add_method("rjust", rjust);
    t.add_method("zfill", zfill);
    t.add_method("expandtabs", expandtabs);
    // Conversion and formatting.
    t.add_method("encode", encode);
    t.add_method("translate", translate);
    t.add_method("format", format);
    t.add_method("format_map", format_map);
}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

fn format_error(e: FormatError) -> Exc {
    match e.kind {
        FormatErrorKind::ValueError => Exc::value_error(e.message),
        FormatErrorKind::OverflowError => Exc::overflow(e.message),
        FormatErrorKind::MemoryError => memory_error(),
    }
}

/// `str.upper()` and the other methods without arguments.
fn no_args<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a StrObj> {
    margs::no_args("str", name, args, kw)?;
    str_receiver(args)
}

/// Positional-only arguments (see `method_args::positional`).
fn positional<'a>(
    name: &str,
    args: &'a [Value],
    kw: Kw,
    min: usize,
    max: usize,
) -> ToyResult<(&'a StrObj, &'a [Value])> {
    let rest = margs::positional("str", name, args, kw, min, max)?;
    Ok((str_receiver(args)?, rest))
}

/// The arguments of `find`, `count`, `startswith`, ...: `(sub[, start[, end]])`.
fn find_args<'a>(
    name: &str,
    args: &'a [Value],
    kw: Kw,
) -> ToyResult<(&'a StrObj, &'a Value, [Option<&'a Value>; 2])> {
    let (sub, bounds) = margs::find_args("str", name, args, kw)?;
    Ok((str_receiver(args)?, sub, bounds))
}

/// Arguments that may also be given by keyword (`split(sep=None, maxsplit=-1)`).
fn keyword_args<'a, const N: usize>(
    name: &str,
    args: &'a [Value],
    kw: Kw<'a>,
    names: [&str; N],
) -> ToyResult<(&'a StrObj, [Option<&'a Value>; N])> {
    let s = str_receiver(args)?;
    Ok((s, margs::keyword_args(name, args, kw, names)?))
}

/// A `str` argument of `find`, `count`, `partition`, ...
fn str_arg(v: &Value) -> ToyResult<&StrObj> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exc::type_error(format!(
            "must be str, not {}",
            other.type_name()
        ))),
    }
}

// ---------------------------------------------------------------------------
// Code points and bytes
// ---------------------------------------------------------------------------

/// The number of code points in `s` (counting the bytes that start a character).
fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Byte offsets of the char positions `start <= end`, both clamped to the text.
fn byte_range(s: &StrObj, start: usize, end: usize) -> (usize, usize) {
    let text = s.as_str();
    if s.is_ascii() {
        return (start.min(text.len()), end.min(text.len()));
    }
    if start == 0 && end >= s.char_len() {
        return (0, text.len());
    }
    let (mut b0, mut b1) = (text.len(), text.len());
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        if ci == start {
            b0 = bi;
        }
        if ci == end {
            b1 = bi;
            break;
        }
    }
    (b0, b1)
}

/// The char starting at byte `i` (a char boundary before the end) and its length.
#[inline]
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s.as_bytes().get(i) {
        Some(&b) if b < 0x80 => (b as char, 1),
        _ => {
            let c = s.get(i..).and_then(|t| t.chars().next()).unwrap_or('\0');
            (c, c.len_utf8())
        }
    }
}

/// The char ending at byte `i` (a char boundary after the start) and its length.
#[inline]
fn char_before(s: &str, i: usize) -> (char, usize) {
    match i.checked_sub(1).and_then(|j| s.as_bytes().get(j)) {
        Some(&b) if b < 0x80 => (b as char, 1),
        _ => {
            let c = s
                .get(..i)
                .and_then(|t| t.chars().next_back())
                .unwrap_or('\0');
            (c, c.len_utf8())
        }
    }
}

// ---------------------------------------------------------------------------
// join, split, strip, partition
// ---------------------------------------------------------------------------

fn join(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sep, rest) = positional("join", args, kw, 1, 1)?;
    let iterable = &rest[0];
    // A list or tuple is joined in place (under the list's lock: joining runs no toy code),
    // without copying its items out first.
    match iterable {
        Value::List(l) => return join_items(sep, &l.lock()),
        Value::Tuple(t) => return join_items(sep, t.items()),
        _ => {}
    }
    if !vm.is_iterable(iterable) {
        return Err(Exc::type_error("can only join an iterable"));
    }
    let items = vm.collect(iterable)?;
    join_items(sep, &items)
}

/// `sep.join(items)` for items already collected.
fn join_items(sep: &StrObj, items: &[Value]) -> ToyResult<Value> {
    let mut total = sep
        .as_str()
        .len()
        .saturating_mul(items.len().saturating_sub(1));
    for (i, item) in items.iter().enumerate() {
        match str_item(item) {
            Some(s) => total = total.saturating_add(s.as_str().len()),
            None => {
                return Err(Exc::type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    item.type_name()
                )))
            }
        }
    }
    if let [only @ Value::Str(_)] = items {
        return Ok(only.clone());
    }
    if total > MAX_RESULT {
        return Err(memory_error());
    }
    let mut out = String::with_capacity(total);
    let mut chars = sep.char_len() * items.len().saturating_sub(1);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep.as_str());
        }
        if let Some(s) = str_item(item) {
            out.push_str(s.as_str());
            chars += s.char_len();
        }
    }
    Ok(Value::string_with_len(out, chars))
}

/// An item `join` accepts: a str, or an instance of a subclass of str (its text).
fn str_item(v: &Value) -> Option<&StrObj> {
    match v {
        Value::Str(s) => Some(s),
        Value::Instance(_) => match super::types::base_value(v) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// A list of pieces of the receiver; `[self]` itself when nothing was split off.
fn str_list(args: &[Value], text: &str, parts: Vec<&str>) -> Value {
    if let [only] = parts.as_slice() {
        if only.len() == text.len() {
            return Value::list(vec![receiver_value(args)]);
        }
    }
    let mut items = Vec::with_capacity(parts.len());
    // The pieces of ASCII text are ASCII: their lengths need no counting (and one-char
    // pieces are the shared one-char strings).
    if text.is_ascii() {
        items.extend(parts.into_iter().map(|p| match p.as_bytes() {
            &[b] => super::str::char_value(b as char),
            _ => Value::string_with_len(p.to_owned(), p.len()),
        }));
    } else {
        items.extend(parts.into_iter().map(Value::str));
    }
    Value::list(items)
}

fn split(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    split_impl(vm, args, kw, "split", false)
}

fn rsplit(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    split_impl(vm, args, kw, "rsplit", true)
}

fn split_impl(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, reverse: bool) -> ToyResult<Value> {
    let (s, [sep, maxsplit]) = keyword_args(name, args, kw, ["sep", "maxsplit"])?;
    let maxsplit = match maxsplit {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let limit = usize::try_from(maxsplit).unwrap_or(usize::MAX);
    let text = s.as_str();
    let parts: Vec<&str> = match sep {
        None | Some(Value::None) => {
            if reverse {
                rsplit_whitespace(text, limit)
            } else {
                split_whitespace(text, limit)
            }
        }
        Some(Value::Str(sep)) => {
            let sep = sep.as_str();
            if sep.is_empty() {
                return Err(Exc::value_error("empty separator"));
            }
            if reverse {
                let mut parts = Vec::with_capacity(8);
                parts.extend(text.rsplitn(limit.saturating_add(1), sep));
                parts.reverse();
                parts
            } else {
                split_on(text, sep, limit)
            }
        }
        Some(other) => {
            return Err(Exc::type_error(format!(
                "must be str or None, not {}",
                other.type_name()
            )));
        }
    };
    Ok(str_list(args, text, parts))
}

/// `text.split(sep, limit)` for a non-empty `sep`.
fn split_on<'a>(text: &'a str, sep: &str, limit: usize) -> Vec<&'a str> {
    let mut parts = Vec::with_capacity(8);
    split::split_on(text.as_bytes(), sep.as_bytes(), limit, |a, b| {
        parts.push(&text[a..b])
    });
    parts
}

/// `str.split()` without a separator: runs of whitespace separate, leading whitespace is
/// dropped; after `max` splits the rest is kept whole (minus its leading whitespace).
fn split_whitespace(s: &str, mut max: usize) -> Vec<&str> {
    if s.is_ascii() {
        return split_ascii_whitespace(s, max);
    }
    let n = s.len();
    let mut out = Vec::with_capacity(8);
    let mut i = 0;
    let skip_space = |mut i: usize| {
        while i < n {
            let (c, l) = char_at(s, i);
            if !is_space(c) {
                break;
            }
            i += l;
        }
        i
    };
    while max > 0 {
        i = skip_space(i);
        if i == n {
            break;
        }
        let j = i;
        while i < n {
            let (c, l) = char_at(s, i);
            if is_space(c) {
                break;
            }
            i += l;
        }
        out.push(&s[j..i]);
        max -= 1;
    }
    if i < n {
        i = skip_space(i);
        if i != n {
            out.push(&s[i..]);
        }
    }
    out
}

/// `split_whitespace` for ASCII text, a byte at a time.
fn split_ascii_whitespace(s: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::with_capacity(8);
    let space = |c: u8| matches!(c, 0x09..=0x0d | 0x1c..=0x20);
    split::split_whitespace(s.as_bytes(), max, space, |a, b| out.push(&s[a..b]));
    out
}

/// `str.rsplit()` without a separator: `split_whitespace` from the right.
fn rsplit_whitespace(s: &str, mut max: usize) -> Vec<&str> {
    let mut out = Vec::with_capacity(8);
    let mut i = s.len();
    let skip_space = |mut i: usize| {
        while i > 0 {
            let (c, l) = char_before(s, i);
            if !is_space(c) {
                break;
            }
            i -= l;
        }
        i
    };
    while max > 0 {
        i = skip_space(i);
        if i == 0 {
            break;
        }
        let j = i;
        while i > 0 {
            let (c, l) = char_before(s, i);
            if is_space(c) {
                break;
            }
            i -= l;
        }
        out.push(&s[i..j]);
        max -= 1;
    }
    if i > 0 {
        i = skip_space(i);
        if i > 0 {
            out.push(&s[..i]);
        }
    }
    out.reverse();
    out
}

/// The line boundaries of `str.splitlines` (`\r\n` counts as one).
fn is_linebreak(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn splitlines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, [keepends]) = keyword_args("splitlines", args, kw, ["keepends"])?;
    let keepends = match keepends {
        Some(v) => margs::c_int_arg(vm, v)? != 0,
        None => false,
    };
    let text = s.as_str();
    let n = text.len();
    let mut parts = Vec::with_capacity(8);
    let mut i = 0;
    while i < n {
        let start = i;
        let mut eol = n;
        while i < n {
            let (c, l) = char_at(text, i);
            if is_linebreak(c) {
                eol = i;
                i += if c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    l
                };
                break;
            }
            i += l;
        }
        parts.push(&text[start..if keepends || eol == n { i } else { eol }]);
    }
    Ok(str_list(args, text, parts))
}

fn strip(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    strip_impl(args, kw, "strip", true, true)
}

fn lstrip(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    strip_impl(args, kw, "lstrip", true, false)
}

fn rstrip(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    strip_impl(args, kw, "rstrip", false, true)
}

fn strip_impl(args: &[Value], kw: Kw, name: &str, left: bool, right: bool) -> ToyResult<Value> {
    let (s, rest) = positional(name, args, kw, 0, 1)?;
    let text = s.as_str();
    let out = match rest.first() {
        None | Some(Value::None) => trim(text, left, right, is_space),
        Some(Value::Str(chars)) => {
            let set = chars.as_str();
            if set.is_ascii() {
                let bytes = set.as_bytes();
                trim(text, left, right, |c| {
                    c.is_ascii() && bytes.contains(&(c as u8))
                })
            } else {
                trim(text, left, right, |c| set.contains(c))
            }
        }
        Some(_) => return Err(Exc::type_error(format!("{name} arg must be None or str"))),
    };
    if out.len() == text.len() {
        Ok(receiver_value(args))
    } else {
        Ok(Value::str(out))
    }
}

fn trim(text: &str, left: bool, right: bool, strip: impl Fn(char) -> bool) -> &str {
    let t = if left {
        text.trim_start_matches(&strip)
    } else {
        text
    };
    if right {
        t.trim_end_matches(strip)
    } else {
        t
    }
}

fn partition(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    partition_impl(args, kw, "partition", false)
}

fn rpartition(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    partition_impl(args, kw, "rpartition", true)
}

fn partition_impl(args: &[Value], kw: Kw, name: &str, reverse: bool) -> ToyResult<Value> {
    let (s, rest) = positional(name, args, kw, 1, 1)?;
    let sep_value = &rest[0];
    let sep = str_arg(sep_value)?.as_str();
    if sep.is_empty() {
        return Err(Exc::value_error("empty separator"));
    }
    let text = s.as_str();
    let found = if reverse {
        text.rfind(sep)
    } else {
        text.find(sep)
    };
    Ok(match found {
        Some(i) => Value::tuple(vec![
            Value::str(&text[..i]),
            sep_value.clone(),
            Value::str(&text[i + sep.len()..]),
        ]),
        None if reverse => Value::tuple(vec![Value::str(""), Value::str(""), receiver_value(args)]),
        None => Value::tuple(vec![receiver_value(args), Value::str(""), Value::str("")]),
    })
}

fn removeprefix(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_affix(args, kw, "removeprefix", false)
}

fn removesuffix(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_affix(args, kw, "removesuffix", true)
}

fn remove_affix(args: &[Value], kw: Kw, name: &str, suffix: bool) -> ToyResult<Value> {
    let (s, rest) = positional(name, args, kw, 1, 1)?;
    let affix = match &rest[0] {
        Value::Str(a) => a.as_str(),
        other => {
            return Err(Exc::type_error(format!(
                "{name}() argument must be str, not {}",
                other.type_name()
            )))
        }
    };
    let text = s.as_str();
    let stripped = if suffix {
        text.strip_suffix(affix)
    } else {
        text.strip_prefix(affix)
    };
    match stripped {
        Some(t) if !affix.is_empty() => Ok(Value::str(t)),
        _ => Ok(receiver_value(args)),
    }
}

// ---------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------

/// Where `sub` first (or last) occurs within the char range `start..end` of `s`, as a char
/// index, with Python's rules for empty needles and out-of-range bounds.
fn search(s: &StrObj, sub: &StrObj, start: usize, end: usize, reverse: bool) -> Option<usize> {
    if end < start || end - start < sub.char_len() {
        return None;
    }
    let (b0, b1) = byte_range(s, start, end);
    let hay = s.as_str().get(b0..b1)?;
    let needle = sub.as_str();
    let found = match (needle.as_bytes(), reverse) {
        (&[b], false) if b < 0x80 => hay.find(b as char),
        (&[b], true) if b < 0x80 => hay.rfind(b as char),
        (_, false) => hay.find(needle),
        (_, true) => hay.rfind(needle),
    }?;
    Some(if s.is_ascii() {
        b0 + found
    } else {
        start + char_count(&hay[..found])
    })
}

fn find_impl(
    vm: &mut Vm,
    args: &[Value],
    kw: Kw,
    name: &str,
    reverse: bool,
) -> ToyResult<Option<usize>> {
    let (s, sub, [start, end]) = find_args(name, args, kw)?;
    let sub = str_arg(sub)?;
    let start = slice_bound(vm, start)?;
    let end = slice_bound(vm, end)?;
    let (start, end) = adjust_indices(start, end, s.char_len());
    Ok(search(s, sub, start, end, reverse))
}

fn position(found: Option<usize>) -> Value {
    Value::Int(found.map_or(-1, |i| i as i64))
}

fn find(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(position(find_impl(vm, args, kw, "find", false)?))
}

fn rfind(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(position(find_impl(vm, args, kw, "rfind", true)?))
}

fn index(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    match find_impl(vm, args, kw, "index", false)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => Err(Exc::value_error("substring not found")),
    }
}

fn rindex(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    match find_impl(vm, args, kw, "rindex", true)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => Err(Exc::value_error("substring not found")),
    }
}

fn count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, sub, [start, end]) = find_args("count", args, kw)?;
    let sub = str_arg(sub)?;
    let start = slice_bound(vm, start)?;
    let end = slice_bound(vm, end)?;
    let (start, end) = adjust_indices(start, end, s.char_len());
    if end < start {
        return Ok(Value::Int(0));
    }
    let needle = sub.as_str();
    if needle.is_empty() {
        return Ok(Value::Int((end - start + 1) as i64));
    }
    let (b0, b1) = byte_range(s, start, end);
    let hay = s.as_str().get(b0..b1).unwrap_or("");
    let n = match needle.as_bytes() {
        &[b] if b < 0x80 => hay.bytes().filter(|&x| x == b).count(),
        _ => hay.matches(needle).count(),
    };
    Ok(Value::Int(n as i64))
}

fn startswith(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    affix_match(vm, args, kw, "startswith", false)
}

fn endswith(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    affix_match(vm, args, kw, "endswith", true)
}

fn affix_match(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, suffix: bool) -> ToyResult<Value> {
    let (s, affix, [start, end]) = find_args(name, args, kw)?;
    let start = slice_bound(vm, start)?;
    let end = slice_bound(vm, end)?;
    let (start, end) = adjust_indices(start, end, s.char_len());
    let matches = |sub: &StrObj| {
        if end < start || end - start < sub.char_len() {
            return false;
        }
        let (b0, b1) = byte_range(s, start, end);
        let hay = s.as_str().get(b0..b1).unwrap_or("");
        if suffix {
            hay.ends_with(sub.as_str())
        } else {
            hay.starts_with(sub.as_str())
        }
    };
    match affix {
        Value::Str(sub) => Ok(Value::Bool(matches(sub))),
        Value::Tuple(t) => {
            for item in t.items() {
                match item {
                    Value::Str(sub) => {
                        if matches(sub) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    other => {
                        return Err(Exc::type_error(format!(
                            "tuple for {name} must only contain str, not {}",
                            other.type_name()
                        )))
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        other => Err(Exc::type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            other.type_name()
        ))),
    }
}

fn replace(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, rest) = positional("replace", args, kw, 2, 3)?;
    let old = match &rest[0] {
        Value::Str(o) => o.as_str(),
        other => {
            return Err(Exc::type_error(format!(
                "replace() argument 1 must be str, not {}",
                other.type_name()
            )))
        }
    };
    let new = match &rest[1] {
        Value::Str(n) => n.as_str(),
        other => {
            return Err(Exc::type_error(format!(
                "replace() argument 2 must be str, not {}",
                other.type_name()
            )))
        }
    };
    let count = match rest.get(2) {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let text = s.as_str();
    if count == 0 {
        return Ok(receiver_value(args));
    }
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    if !old.is_empty() {
        return Ok(match replace_nonempty(s, &rest[0], &rest[1], limit)? {
            Some(v) => v,
            None => receiver_value(args),
        });
    }
    // An empty `old` matches before every char and at the end. Bound the result before
    // building it: `'ab'.replace('', 'x' * huge)`.
    let hits = (s.char_len() + 1).min(limit);
    let grow = new.len().saturating_mul(hits);
    if text.len().saturating_add(grow) > MAX_RESULT {
        return Err(memory_error());
    }
    Ok(Value::string(text.replacen(old, new, hits)))
}

/// `s.replace(old, new, limit)` for a non-empty `old` (both strs): one pass over `s`
/// with a substring searcher. `None` when `old` does not occur (the caller returns `s`
/// itself, as CPython does).
fn replace_nonempty(
    s: &StrObj,
    old: &Value,
    new: &Value,
    limit: usize,
) -> ToyResult<Option<Value>> {
    let (Value::Str(old), Value::Str(new)) = (old, new) else {
        return Ok(None);
    };
    let text = s.as_str();
    let (old_text, new_text) = (old.as_str(), new.as_str());
    // Bound the result before building it: counting the hits is only needed when the
    // worst case (every position a hit) could pass the limit.
    if new_text.len() > old_text.len() {
        let worst = (text.len() / old_text.len()).min(limit);
        if text
            .len()
            .saturating_add(new_text.len().saturating_mul(worst))
            > MAX_RESULT
        {
            let hits = memchr::memmem::find_iter(text.as_bytes(), old_text.as_bytes())
                .take(limit)
                .count();
            let grow = new_text.len().saturating_mul(hits);
            if text.len().saturating_add(grow) > MAX_RESULT {
                return Err(memory_error());
            }
        }
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut hits = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), old_text.as_bytes()).take(limit) {
        if hits == 0 {
            out.reserve(text.len() + new_text.len().saturating_sub(old_text.len()) * 4);
        }
        out.push_str(&text[copied..at]);
        out.push_str(new_text);
        copied = at + old_text.len();
        hits += 1;
    }
    if hits == 0 {
        return Ok(None);
    }
    out.push_str(&text[copied..]);
    let chars = s.char_len() - hits * old.char_len() + hits * new.char_len();
    Ok(Some(Value::string_with_len(out, chars)))
}

// ---------------------------------------------------------------------------
// Case
// ---------------------------------------------------------------------------

fn upper(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("upper", args, kw)?;
    Ok(Value::string(if s.is_ascii() {
        s.as_str().to_ascii_uppercase()
    } else {
        s.as_str().to_uppercase()
    }))
}

fn lower(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("lower", args, kw)?;
    // Rust's `to_lowercase` applies the Final_Sigma rule, as CPython does.
    Ok(Value::string(if s.is_ascii() {
        s.as_str().to_ascii_lowercase()
    } else {
        s.as_str().to_lowercase()
    }))
}

fn casefold(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("casefold", args, kw)?;
    let text = s.as_str();
    if s.is_ascii() {
        return Ok(Value::string(text.to_ascii_lowercase()));
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match lookup_mapping(&CASEFOLD, c) {
            Some(m) => out.push_str(m),
            None => out.extend(c.to_lowercase()),
        }
    }
    Ok(Value::string(out))
}

fn swapcase(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("swapcase", args, kw)?;
    let text = s.as_str();
    let mut out = String::with_capacity(text.len());
    if s.is_ascii() {
        for b in text.bytes() {
            let c = if b.is_ascii_uppercase() {
                b.to_ascii_lowercase()
            } else {
                b.to_ascii_uppercase()
            };
            out.push(c as char);
        }
    } else {
        for (i, c) in text.char_indices() {
            if c.is_uppercase() {
                push_lower(&mut out, text, i, c);
            } else if c.is_lowercase() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
    }
    Ok(Value::string(out))
}

fn title(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("title", args, kw)?;
    let text = s.as_str();
    let mut out = String::with_capacity(text.len());
    let mut previous_is_cased = false;
    if s.is_ascii() {
        for b in text.bytes() {
            let c = if previous_is_cased {
                b.to_ascii_lowercase()
            } else {
                b.to_ascii_uppercase()
            };
            out.push(c as char);
            previous_is_cased = b.is_ascii_alphabetic();
        }
    } else {
        for (i, c) in text.char_indices() {
            if previous_is_cased {
                push_lower(&mut out, text, i, c);
            } else {
                push_title(&mut out, c);
            }
            previous_is_cased = is_cased(c);
        }
    }
    Ok(Value::string(out))
}

fn capitalize(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("capitalize", args, kw)?;
    let text = s.as_str();
    let mut out = String::with_capacity(text.len());
    if s.is_ascii() {
        for (i, b) in text.bytes().enumerate() {
            let c = if i == 0 {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            };
            out.push(c as char);
        }
    } else {
        for (i, c) in text.char_indices() {
            if i == 0 {
                push_title(&mut out, c);
            } else {
                push_lower(&mut out, text, i, c);
            }
        }
    }
    Ok(Value::string(out))
}

/// Lowercase `c` found at byte `i` of `text`: capital sigma becomes final sigma at the end
/// of a word (CPython's `handle_capital_sigma`).
fn push_lower(out: &mut String, text: &str, i: usize, c: char) {
    if c == '\u{3a3}' {
        out.push(if final_sigma(text, i) {
            '\u{3c2}'
        } else {
            '\u{3c3}'
        });
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Titlecase of one char (the full mapping: `'ß'` gives `"Ss"`).
fn push_title(out: &mut String, c: char) {
    match lookup_mapping(&TITLECASE, c) {
        Some(m) => out.push_str(m),
        None => out.extend(c.to_uppercase()),
    }
}

/// Whether the sigma at byte `i` ends a word: a cased letter before it and none after it,
/// skipping case-ignorable characters both ways.
fn final_sigma(text: &str, i: usize) -> bool {
    let before = text
        .get(..i)
        .and_then(|t| t.chars().rev().find(|&c| !is_case_ignorable(c)));
    if !before.is_some_and(is_cased) {
        return false;
    }
    let after = text
        .get(i + 2..)
        .and_then(|t| t.chars().find(|&c| !is_case_ignorable(c)));
    !after.is_some_and(is_cased)
}

fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase_letter(c)
}

/// Category Lt: the digraphs `ǅ ǈ ǋ ǲ` and Greek letters with prosgegrammeni.
fn is_titlecase_letter(c: char) -> bool {
    matches!(c as u32,
        0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf
        | 0x1fbc | 0x1fcc | 0x1ffc)
}

/// Case_Ignorable, approximately: apostrophes, periods and colons, modifier letters and
/// the common combining marks (only used to place the Greek final sigma).
fn is_case_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x27 | 0x2e | 0x3a | 0x5e | 0x60 | 0xa8 | 0xad | 0xaf | 0xb4 | 0xb7 | 0xb8
        | 0x2b0..=0x36f | 0x374 | 0x375 | 0x37a | 0x384 | 0x385 | 0x387 | 0x483..=0x489
        | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x200b..=0x200f | 0x2018 | 0x2019 | 0x2024
        | 0x2027 | 0x20d0..=0x20f0 | 0xfe00..=0xfe0f | 0xfe20..=0xfe2f)
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

/// Python's `str.isspace` per char: Unicode whitespace plus the ASCII separators 0x1c-0x1f.
fn is_space(c: char) -> bool {
    matches!(c as u32,
        0x09..=0x0d | 0x1c..=0x20 | 0x85 | 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029
        | 0x202f | 0x205f | 0x3000)
}

fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_table(&ALPHA, c)
    }
}

fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_table(&DECIMAL, c)
    }
}

fn is_digit(c: char) -> bool {
    is_decimal(c) || (!c.is_ascii() && in_table(&DIGIT_EXTRA, c))
}

fn is_numeric(c: char) -> bool {
    is_digit(c) || (!c.is_ascii() && in_table(&NUMERIC_EXTRA, c))
}

fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_numeric(c)
}

fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        (' '..='~').contains(&c)
    } else {
        in_table(&PRINTABLE, c)
    }
}

fn is_xid_start(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || c == '_'
    } else {
        in_table(&ALPHA, c) != in_table(&ID_START_XOR, c)
    }
}

fn is_xid_continue(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        (is_xid_start(c) || is_decimal(c)) != in_table(&ID_CONTINUE_XOR, c)
    }
}

/// The value of a decimal digit (category Nd: every run of them starts at a zero).
fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    table_range(&DECIMAL, c).map(|(start, _)| (c as u32 - start) % 10)
}

/// The inclusive range of `table` (sorted start/end pairs) that holds `c`.
fn table_range(table: &[u32], c: char) -> Option<(u32, u32)> {
    let c = c as u32;
    let pairs = table.len() / 2;
    let (mut lo, mut hi) = (0, pairs);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if table.get(2 * mid).is_some_and(|&start| start <= c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let i = lo.checked_sub(1)?;
    let (start, end) = (*table.get(2 * i)?, *table.get(2 * i + 1)?);
    (c <= end).then_some((start, end))
}

fn in_table(table: &[u32], c: char) -> bool {
    table_range(table, c).is_some()
}

/// A special case mapping (`title`, `casefold`) of `c`, if the table has one.
fn lookup_mapping(table: &'static [(u32, &'static str)], c: char) -> Option<&'static str> {
    table
        .binary_search_by_key(&(c as u32), |&(k, _)| k)
        .ok()
        .and_then(|i| table.get(i))
        .map(|&(_, m)| m)
}

/// Non-empty and every char satisfies `pred` (ASCII strings test bytes).
fn all_chars(s: &StrObj, ascii: impl Fn(u8) -> bool, pred: impl Fn(char) -> bool) -> Value {
    let text = s.as_str();
    Value::Bool(
        !text.is_empty()
            && if s.is_ascii() {
                text.bytes().all(ascii)
            } else {
                text.chars().all(pred)
            },
    )
}

fn isdigit(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isdigit", args, kw)?,
        |b| b.is_ascii_digit(),
        is_digit,
    ))
}

fn isdecimal(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isdecimal", args, kw)?,
        |b| b.is_ascii_digit(),
        is_decimal,
    ))
}

fn isnumeric(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isnumeric", args, kw)?,
        |b| b.is_ascii_digit(),
        is_numeric,
    ))
}

fn isalpha(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isalpha", args, kw)?,
        |b| b.is_ascii_alphabetic(),
        is_alpha,
    ))
}

fn isalnum(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isalnum", args, kw)?,
        |b| b.is_ascii_alphanumeric(),
        is_alnum,
    ))
}

fn isspace(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(all_chars(
        no_args("isspace", args, kw)?,
        |b| is_space(b as char),
        is_space,
    ))
}

fn isprintable(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("isprintable", args, kw)?;
    let text = s.as_str();
    Ok(Value::Bool(if s.is_ascii() {
        text.bytes().all(|b| (0x20..0x7f).contains(&b))
    } else {
        text.chars().all(is_printable)
    }))
}

fn isascii(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(no_args("isascii", args, kw)?.is_ascii()))
}

fn isidentifier(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("isidentifier", args, kw)?;
    let mut chars = s.as_str().chars();
    Ok(Value::Bool(match chars.next() {
        Some(first) => is_xid_start(first) && chars.all(is_xid_continue),
        None => false,
    }))
}

fn isupper(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("isupper", args, kw)?;
    let mut cased = false;
    for c in s.as_str().chars() {
        if c.is_lowercase() || is_titlecase_letter(c) {
            return Ok(Value::Bool(false));
        }
        cased = cased || c.is_uppercase();
    }
    Ok(Value::Bool(cased))
}

fn islower(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("islower", args, kw)?;
    let mut cased = false;
    for c in s.as_str().chars() {
        if c.is_uppercase() || is_titlecase_letter(c) {
            return Ok(Value::Bool(false));
        }
        cased = cased || c.is_lowercase();
    }
    Ok(Value::Bool(cased))
}

fn istitle(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = no_args("istitle", args, kw)?;
    let case = |c: char| {
        if c.is_uppercase() || is_titlecase_letter(c) {
            Case::Upper
        } else if c.is_lowercase() {
            Case::Lower
        } else {
            Case::Uncased
        }
    };
    Ok(Value::Bool(is_title(s.as_str().chars().map(case))))
}

// ---------------------------------------------------------------------------
// Padding and layout
// ---------------------------------------------------------------------------

fn center(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    pad_impl(vm, args, kw, "center", Pad::Center)
}

fn ljust(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    pad_impl(vm, args, kw, "ljust", Pad::Left)
}

fn rjust(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    pad_impl(vm, args, kw, "rjust", Pad::Right)
}

fn pad_impl(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, how: Pad) -> ToyResult<Value> {
    let (s, rest) = positional(name, args, kw, 1, 2)?;
    let width = ssize_arg(vm, &rest[0])?;
    let fill = match rest.get(1) {
        None => ' ',
        Some(Value::Str(f)) => {
            let mut chars = f.as_str().chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(Exc::type_error(
                        "The fill character must be exactly one character long",
                    ))
                }
            }
        }
        Some(other) => {
            return Err(Exc::type_error(format!(
                "The fill character must be a unicode character, not {}",
                other.type_name()
            )))
        }
    };
    let len = s.char_len();
    let width = match usize::try_from(width) {
        Ok(w) if w > len => w,
        _ => return Ok(receiver_value(args)),
    };
    if width > MAX_RESULT {
        return Err(memory_error());
    }
    let marg = width - len;
    let left = how.fill_before(marg, width);
    let text = s.as_str();
    let mut out = String::with_capacity(text.len() + marg * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(text);
    out.extend(std::iter::repeat_n(fill, marg - left));
    Ok(Value::string(out))
}

fn zfill(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, rest) = positional("zfill", args, kw, 1, 1)?;
    let width = ssize_arg(vm, &rest[0])?;
    let len = s.char_len();
    let width = match usize::try_from(width) {
        Ok(w) if w > len => w,
        _ => return Ok(receiver_value(args)),
    };
    if width > MAX_RESULT {
        return Err(memory_error());
    }
    let text = s.as_str();
    let mut out = String::with_capacity(text.len() + width - len);
    let body = match text.as_bytes().first() {
        Some(&sign @ (b'+' | b'-')) => {
            out.push(sign as char);
            &text[1..]
        }
        _ => text,
    };
    out.extend(std::iter::repeat_n('0', width - len));
    out.push_str(body);
    Ok(Value::string(out))
}

fn expandtabs(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, [tabsize]) = keyword_args("expandtabs", args, kw, ["tabsize"])?;
    // `tabsize` is a C int in CPython.
    let tabsize = match tabsize {
        Some(v) => match ssize_arg(vm, v) {
            Ok(t) if i32::try_from(t).is_ok() => t,
            Ok(_) => return Err(Exc::overflow("Python int too large to convert to C int")),
            Err(e) if e.matches(&types().exceptions.overflow_error) => {
                return Err(Exc::overflow("Python int too large to convert to C int"))
            }
            Err(e) => return Err(e),
        },
        None => 8,
    };
    let text = s.as_str();
    if !text.contains('\t') {
        return Ok(receiver_value(args));
    }
    let tabsize = usize::try_from(tabsize).unwrap_or(0);
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0usize;
    for c in text.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let spaces = tabsize - column % tabsize;
                    if out.len().saturating_add(spaces) > MAX_RESULT {
                        return Err(Exc::overflow("new string is too long"));
                    }
                    column += spaces;
                    out.extend(std::iter::repeat_n(' ', spaces));
                }
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    Ok(Value::string(out))
}

// ---------------------------------------------------------------------------
// encode, translate
// ---------------------------------------------------------------------------

fn encode(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, [encoding, errors]) = keyword_args("encode", args, kw, ["encoding", "errors"])?;
    let (encoding, errors) = codec::encoding_args("encode", encoding, errors)?;
    Ok(Value::bytes(codec::encode(s.as_str(), encoding, errors)?))
}

/// What `translate` does with one character.
#[derive(Clone)]
enum Mapped {
    Keep,
    Delete,
    Char(char),
    Text(Arc<StrObj>),
}

fn translate(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, rest) = positional("translate", args, kw, 1, 1)?;
    let table = &rest[0];
    let text = s.as_str();
    let mut out = String::with_capacity(text.len());
    let mut cache: HashMap<char, Mapped> = HashMap::new();
    for c in text.chars() {
        let mapped = match cache.get(&c) {
            Some(m) => m.clone(),
            None => {
                let m = translate_char(vm, table, c)?;
                cache.insert(c, m.clone());
                m
            }
        };
        match mapped {
            Mapped::Keep => out.push(c),
            Mapped::Delete => {}
            Mapped::Char(m) => out.push(m),
            Mapped::Text(t) => out.push_str(t.as_str()),
        }
    }
    Ok(Value::string(out))
}

fn translate_char(vm: &mut Vm, table: &Value, c: char) -> ToyResult<Mapped> {
    let key = Value::Int(c as i64);
    let found = match table {
        Value::Dict(d) => d.get_in(vm, &key)?,
        _ => match vm.get_item(table, &key) {
            Ok(v) => Some(v),
            Err(e) if e.matches(&types().exceptions.lookup_error) => None,
            Err(e) => return Err(e),
        },
    };
    Ok(match found {
        None => Mapped::Keep,
        Some(Value::None) => Mapped::Delete,
        Some(Value::Str(t)) => Mapped::Text(t),
        Some(v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_))) => {
            let n = crate::objects::int::to_i64(&v).unwrap_or(-1);
            match u32::try_from(n).ok().filter(|&n| n < 0x110000) {
                // Surrogates cannot live in a Rust string: they become U+FFFD.
                Some(n) => Mapped::Char(char::from_u32(n).unwrap_or('\u{fffd}')),
                None => {
                    return Err(Exc::value_error(
                        "character mapping must be in range(0x110000)",
                    ))
                }
            }
        }
        Some(_) => {
            return Err(Exc::type_error(
                "character mapping must return integer, None or str",
            ))
        }
    })
}

// ---------------------------------------------------------------------------
// str.format and str.format_map
// ---------------------------------------------------------------------------

/// Where named fields come from.
enum Names<'a> {
    /// `format(**kwargs)`.
    Keywords(Kw<'a>),
    /// `format_map(mapping)`.
    Mapping(&'a Value),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Unset,
    Auto,
    Manual,
}

/// The arguments of one `str.format` call and its field-numbering state.
struct FormatArgs<'a> {
    /// `None` for `format_map`, which has no positional arguments.
    positional: Option<&'a [Value]>,
    names: Names<'a>,
    numbering: Numbering,
    next_auto: usize,
}

fn format(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let s = str_receiver(args)?;
    let mut fa = FormatArgs {
        positional: Some(rest(args)),
        names: Names::Keywords(kw),
        numbering: Numbering::Unset,
        next_auto: 0,
    };
    let mut out = String::with_capacity(s.as_str().len() + 16);
    build_string(vm, &mut fa, s.as_str(), 2, &mut out)?;
    Ok(Value::string(out))
}

fn format_map(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (s, rest) = positional("format_map", args, kw, 1, 1)?;
    let mut fa = FormatArgs {
        positional: None,
        names: Names::Mapping(&rest[0]),
        numbering: Numbering::Unset,
        next_auto: 0,
    };
    let mut out = String::with_capacity(s.as_str().len() + 16);
    build_string(vm, &mut fa, s.as_str(), 2, &mut out)?;
    Ok(Value::string(out))
}

/// Expand `fmt` into `out` (CPython's `MarkupIterator` + `output_markup`). `depth` limits
/// nested specs: `'{:{}}'` works, `'{:{:{}}}'` is "Max string recursion exceeded".
fn build_string(
    vm: &mut Vm,
    fa: &mut FormatArgs,
    fmt: &str,
    depth: u32,
    out: &mut String,
) -> ToyResult<()> {
    if depth == 0 {
        return Err(Exc::value_error("Max string recursion exceeded"));
    }
    // Every delimiter is ASCII, so scanning bytes never splits a character.
    let b = fmt.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Literal text up to a brace.
        let start = i;
        let brace = match b[i..].iter().position(|&c| c == b'{' || c == b'}') {
            Some(p) => {
                i += p + 1;
                b[i - 1]
            }
            None => {
                out.push_str(&fmt[start..]);
                return Ok(());
            }
        };
        let doubled = b.get(i) == Some(&brace);
        if brace == b'}' && !doubled {
            return Err(Exc::value_error("Single '}' encountered in format string"));
        }
        if brace == b'{' && i == n {
            return Err(Exc::value_error("Single '{' encountered in format string"));
        }
        if doubled {
            out.push_str(&fmt[start..i]);
            i += 1;
            continue;
        }
        out.push_str(&fmt[start..i - 1]);
        let field = parse_field(fmt, &mut i)?;
        output_field(vm, fa, &field, depth, out)?;
    }
    Ok(())
}

/// One `{name!conv:spec}` replacement field.
struct Field<'a> {
    name: &'a str,
    conversion: Option<char>,
    spec: &'a str,
    spec_has_fields: bool,
}

/// Parse a field; `*i` is just after its `{` and ends just after its `}`.
fn parse_field<'a>(fmt: &'a str, i: &mut usize) -> ToyResult<Field<'a>> {
    let b = fmt.as_bytes();
    let n = b.len();
    let name_start = *i;
    let mut last = 0u8;
    while *i < n {
        last = b[*i];
        *i += 1;
        match last {
            b'{' => return Err(Exc::value_error("unexpected '{' in field name")),
            b'[' => {
                while *i < n && b[*i] != b']' {
                    *i += 1;
                }
            }
            b'}' | b':' | b'!' => break,
            _ => {}
        }
    }
    let mut field = Field {
        name: "",
        conversion: None,
        spec: "",
        spec_has_fields: false,
    };
    match last {
        b'}' | b':' | b'!' if *i > name_start => field.name = &fmt[name_start..*i - 1],
        _ => return Err(Exc::value_error("expected '}' before end of string")),
    }
    if last == b'}' {
        return Ok(field);
    }
    if last == b'!' {
        let (c, l) = match fmt.get(*i..).and_then(|t| t.chars().next()) {
            Some(c) => (c, c.len_utf8()),
            None => {
                return Err(Exc::value_error(
                    "end of string while looking for conversion specifier",
                ))
            }
        };
        field.conversion = Some(c);
        *i += l;
        if *i < n {
            let next = b[*i];
            *i += 1;
            if next == b'}' {
                return Ok(field);
            }
            if next != b':' {
                return Err(Exc::value_error("expected ':' after conversion specifier"));
            }
        }
    }
    let spec_start = *i;
    let mut depth = 1;
    while *i < n {
        let c = b[*i];
        *i += 1;
        match c {
            b'{' => {
                field.spec_has_fields = true;
                depth += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    field.spec = &fmt[spec_start..*i - 1];
                    return Ok(field);
                }
            }
            _ => {}
        }
    }
    Err(Exc::value_error("unmatched '{' in format spec"))
}

fn output_field(
    vm: &mut Vm,
    fa: &mut FormatArgs,
    field: &Field,
    depth: u32,
    out: &mut String,
) -> ToyResult<()> {
    let obj = field_value(vm, fa, field.name)?;
    let obj = match field.conversion {
        None => obj,
        Some('r') => Value::string(vm.repr(&obj)?),
        Some('s') => Value::string(vm.to_str(&obj)?),
        Some('a') => Value::string(crate::vm::eval::ascii_escape(&vm.repr(&obj)?)),
        Some(c) if (c as u32) > 32 && (c as u32) < 127 => {
            return Err(Exc::value_error(format!(
                "Unknown conversion specifier {c}"
            )))
        }
        Some(c) => {
            return Err(Exc::value_error(format!(
                "Unknown conversion specifier \\x{:x}",
                c as u32
            )))
        }
    };
    let expanded;
    let spec = if field.spec_has_fields {
        let mut s = String::new();
        build_string(vm, fa, field.spec, depth - 1, &mut s)?;
        expanded = s;
        expanded.as_str()
    } else {
        field.spec
    };
    match &obj {
        Value::Str(s) if spec.is_empty() => out.push_str(s.as_str()),
        Value::Int(v) if spec.is_empty() => {
            let _ = write!(out, "{v}");
        }
        _ => out.push_str(&vm.format(&obj, spec)?),
    }
    Ok(())
}

/// A field name as an index: all decimal digits (any script), or `None`.
fn field_index(s: &str) -> ToyResult<Option<usize>> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut acc: usize = 0;
    for c in s.chars() {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(d as usize))
            .filter(|&a| a <= isize::MAX as usize)
            .ok_or_else(|| Exc::value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(acc))
}

/// The object a field name designates: an argument, then `.attr` and `[key]` lookups.
fn field_value(vm: &mut Vm, fa: &mut FormatArgs, name: &str) -> ToyResult<Value> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let mut index = field_index(first)?;
    let auto = first.is_empty();
    if auto || index.is_some() {
        if fa.numbering == Numbering::Unset {
            fa.numbering = if auto {
                Numbering::Auto
            } else {
                Numbering::Manual
            };
        }
        if fa.numbering == Numbering::Manual && auto {
            return Err(Exc::value_error(
                "cannot switch from manual field specification to automatic field numbering",
            ));
        }
        if fa.numbering == Numbering::Auto && !auto {
            return Err(Exc::value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        if auto {
            index = Some(fa.next_auto);
            fa.next_auto += 1;
        }
    }
    let mut obj = match index {
        Some(i) => {
            let Some(positional) = fa.positional else {
                return Err(Exc::value_error("Format string contains positional fields"));
            };
            match positional.get(i) {
                Some(v) => v.clone(),
                None => {
                    return Err(Exc::index_error(format!(
                        "Replacement index {i} out of range for positional args tuple"
                    )))
                }
            }
        }
        None => match fa.names {
            Names::Keywords(kw) => match kw.iter().find(|(k, _)| k.as_str() == first) {
                Some((_, v)) => v.clone(),
                None => return Err(Exc::key_error(Value::str(first))),
            },
            Names::Mapping(m) => vm.get_item(m, &Value::str(first))?,
        },
    };
    let rest = &name[first_end..];
    let rb = rest.as_bytes();
    let mut j = 0;
    while j < rb.len() {
        let kind = rb[j];
        j += 1;
        let start = j;
        let key = match kind {
            b'.' => {
                while j < rb.len() && rb[j] != b'.' && rb[j] != b'[' {
                    j += 1;
                }
                &rest[start..j]
            }
            b'[' => {
                while j < rb.len() && rb[j] != b']' {
                    j += 1;
                }
                if j == rb.len() {
                    return Err(Exc::value_error("Missing ']' in format string"));
                }
                j += 1;
                &rest[start..j - 1]
            }
            _ => {
                return Err(Exc::value_error(
                    "Only '.' or '[' may follow ']' in format field specifier",
                ))
            }
        };
        if key.is_empty() {
            return Err(Exc::value_error("Empty attribute in format string"));
        }
        obj = if kind == b'.' {
            vm.get_attr(&obj, &Arc::new(StrObj::new(key.to_string())))?
        } else {
            match field_index(key)? {
                Some(i) => vm.get_item(&obj, &Value::Int(i as i64))?,
                None => vm.get_item(&obj, &Value::str(key))?,
            }
        };
    }
    Ok(obj)
}

// ---------------------------------------------------------------------------
// printf-style formatting: `fmt % args`
// ---------------------------------------------------------------------------

/// Whether `%` treats the right operand as a mapping for `%(key)s` (CPython's
/// `PyMapping_Check`, which also holds for lists; tuples and strs are excluded).
fn is_percent_mapping(v: &Value) -> bool {
    match v {
        Value::Dict(_) | Value::List(_) | Value::Range(_) | Value::Bytes(_) => true,
        Value::Instance(_) => v.class().lookup("__getitem__").is_some(),
        _ => false,
    }
}

/// The argument cursor of CPython's `PyUnicode_Format`: a tuple is consumed item by item;
/// any other operand (`arglen == -1`) is the single argument.
struct PercentArgs {
    args: Value,
    len: i64,
    index: i64,
}

impl PercentArgs {
    fn next(&mut self) -> ToyResult<Value> {
        if self.index < self.len {
            let i = self.index;
            self.index += 1;
            if self.len < 0 {
                return Ok(self.args.clone());
            }
            if let Value::Tuple(t) = &self.args {
                if let Some(v) = usize::try_from(i).ok().and_then(|i| t.items().get(i)) {
                    return Ok(v.clone());
                }
            }
        }
        Err(Exc::type_error("not enough arguments for format string"))
    }
}

/// `fmt % args`.
pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> ToyResult<String> {
    let mapping = is_percent_mapping(args);
    let mut cursor = match args {
        Value::Tuple(t) => PercentArgs {
            args: args.clone(),
            len: t.len() as i64,
            index: 0,
        },
        _ => PercentArgs {
            args: args.clone(),
            len: -1,
            index: -2,
        },
    };
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut pos = 0;
    while let Some(off) = fmt.get(pos..).and_then(|t| t.find('%')) {
        out.push_str(&fmt[pos..pos + off]);
        let directive = pos + off + 1;
        let text = &fmt[directive..];
        if text.starts_with('(') && !mapping {
            return Err(Exc::type_error("format requires a mapping"));
        }
        let (mut spec, conv, used) = fmtlib::parse_percent_spec(text).map_err(Exc::value_error)?;
        pos = directive + used;
        if conv == '%' && used == 1 {
            out.push('%');
            continue;
        }
        if let Some(key) = spec.key.take() {
            let value = vm.get_item(args, &Value::string(key))?;
            cursor = PercentArgs {
                args: value,
                len: -1,
                index: -2,
            };
        }
        if spec.width == PercentNum::Star {
            let w = star_arg(&cursor.next()?)?;
            spec.set_star_width(w);
        }
        if spec.precision == PercentNum::Star {
            let p = star_arg(&cursor.next()?)?;
            if p > i64::from(i32::MAX) {
                return Err(Exc::overflow("Python int too large to convert to C int"));
            }
            spec.set_star_precision(p);
        }
        let value = cursor.next()?;
        if spec.width.get().unwrap_or(0) > MAX_RESULT {
            return Err(memory_error());
        }
        let conv_at = char_count(&fmt[..pos - conv.len_utf8()]);
        percent_one(vm, &mut out, &value, &spec, conv, conv_at)?;
    }
    out.push_str(fmt.get(pos..).unwrap_or(""));
    if cursor.index < cursor.len && !mapping {
        return Err(Exc::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

/// A `*` width or precision.
fn star_arg(v: &Value) -> ToyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Exc::overflow(
            "Python int too large to convert to C ssize_t",
        )),
        _ => Err(Exc::type_error("* wants int")),
    }
}

/// Format one value by conversion `conv` (at char index `conv_at` of the format).
fn percent_one(
    vm: &mut Vm,
    out: &mut String,
    v: &Value,
    spec: &PercentSpec,
    conv: char,
    conv_at: usize,
) -> ToyResult<()> {
    let plain = *spec == PercentSpec::default();
    match conv {
        's' => match v {
            Value::Str(s) if plain => out.push_str(s.as_str()),
            Value::Str(s) => out.push_str(&fmtlib::percent_format_str(s.as_str(), spec, conv)),
            _ => {
                let t = vm.to_str(v)?;
                out.push_str(&if plain {
                    t
                } else {
                    fmtlib::percent_format_str(&t, spec, conv)
                });
            }
        },
        'r' | 'a' => {
            let mut t = vm.repr(v)?;
            if conv == 'a' {
                t = crate::vm::eval::ascii_escape(&t);
            }
            out.push_str(&fmtlib::percent_format_str(&t, spec, conv));
        }
        'c' => {
            let c = match v {
                Value::Str(s) if s.char_len() == 1 => s.as_str().chars().next(),
                Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
                    let n = crate::objects::int::to_bigint(v).unwrap_or_default();
                    Some(fmtlib::percent_char_from_int(&n).map_err(format_error)?)
                }
                _ => None,
            };
            let Some(c) = c else {
                return Err(Exc::type_error("%c requires int or char"));
            };
            let mut buf = [0u8; 4];
            out.push_str(&fmtlib::percent_format_str(
                c.encode_utf8(&mut buf),
                spec,
                conv,
            ));
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
            if let (Value::Int(n), true, 'd' | 'i' | 'u') = (v, plain, conv) {
                let _ = write!(out, "{n}");
                return Ok(());
            }
            let n = percent_int(vm, v, conv)?;
            out.push_str(&fmtlib::percent_format_int(&n, spec, conv));
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = percent_float(vm, v)?;
            out.push_str(&fmtlib::percent_format_float(x, spec, conv));
        }
        _ => {
            return Err(Exc::value_error(fmtlib::percent_unsupported_char_error(
                conv, conv_at,
            )));
        }
    }
    Ok(())
}

/// The integer `%d %x ...` formats: ints as they are; for `%d %i %u` also floats
/// (truncated) and objects with `__int__`.
fn percent_int(vm: &mut Vm, v: &Value, conv: char) -> ToyResult<BigInt> {
    let decimal = matches!(conv, 'd' | 'i' | 'u');
    let not_number = || {
        if decimal {
            Exc::type_error(format!(
                "%{conv} format: a real number is required, not {}",
                v.type_name()
            ))
        } else {
            Exc::type_error(format!(
                "%{conv} format: an integer is required, not {}",
                v.type_name()
            ))
        }
    };
    match v {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
            Ok(crate::objects::int::to_bigint(v).unwrap_or_default())
        }
        Value::Float(f) if decimal => {
            if f.is_nan() {
                Err(Exc::value_error("cannot convert float NaN to integer"))
            } else if f.is_infinite() {
                Err(Exc::overflow("cannot convert float infinity to integer"))
            } else {
                Ok(BigInt::from_f64(f.trunc()).unwrap_or_default())
            }
        }
        Value::Instance(_) => {
            let hook = vm.lookup_special(v, "__index__").or_else(|| {
                if decimal {
                    vm.lookup_special(v, "__int__")
                } else {
                    None
                }
            });
            let Some(m) = hook else {
                // An instance of a subclass of int (or float, for %d) formats as its value.
                return match crate::objects::types::base_value(v) {
                    Some(
                        inner @ (Value::Int(_)
                        | Value::Bool(_)
                        | Value::BigInt(_)
                        | Value::Float(_)),
                    ) => {
                        let inner = inner.clone();
                        percent_int(vm, &inner, conv).map_err(|_| not_number())
                    }
                    _ => Err(not_number()),
                };
            };
            let r = vm.call(&m, vec![v.clone()], Vec::new())?;
            crate::objects::int::to_bigint(&r).ok_or_else(|| {
                Exc::type_error(format!("__int__ returned non-int (type {})", r.type_name()))
            })
        }
        _ => Err(not_number()),
    }
}

/// The float of `%e %f %g ...`: floats, ints, and objects with `__float__`.
fn percent_float(vm: &mut Vm, v: &Value) -> ToyResult<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::BigInt(b) => fmtlib::bigint_to_f64(b).map_err(format_error),
        Value::Instance(_) => {
            if let Some(m) = vm.lookup_special(v, "__float__") {
                return match vm.call(&m, vec![v.clone()], Vec::new())? {
                    Value::Float(f) => Ok(f),
                    other => Err(Exc::type_error(format!(
                        "{}.__float__ returned non-float (type {})",
                        v.type_name(),
                        other.type_name()
                    ))),
                };
            }
            if let Some(
                inner @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_) | Value::Float(_)),
            ) = crate::objects::types::base_value(v)
            {
                let inner = inner.clone();
                return percent_float(vm, &inner);
            }
            match margs::call_index(vm, v)? {
                Some(r) => percent_float(vm, &r),
                None => Err(Exc::type_error(format!(
                    "must be real number, not {}",
                    v.type_name()
                ))),
            }
        }
        other => Err(Exc::type_error(format!(
            "must be real number, not {}",
            other.type_name()
        ))),
    }
}

// ---------------------------------------------------------------------------
// Unicode tables, generated from CPython 3.11's `unicodedata` (Unicode 14.0.0)
// ---------------------------------------------------------------------------

/// Letters (categories Lu Ll Lt Lm Lo): `str.isalpha` (648 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static ALPHA: [u32; 1296] = [
    0x41, 0x5a, 0x61, 0x7a, 0xaa, 0xaa, 0xb5, 0xb5, 0xba, 0xba, 0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x2c1,
    0x2c6, 0x2d1, 0x2e0, 0x2e4, 0x2ec, 0x2ec, 0x2ee, 0x2ee, 0x370, 0x374, 0x376, 0x377, 0x37a,
    0x37d, 0x37f, 0x37f, 0x386, 0x386, 0x388, 0x38a, 0x38c, 0x38c, 0x38e, 0x3a1, 0x3a3, 0x3f5,
    0x3f7, 0x481, 0x48a, 0x52f, 0x531, 0x556, 0x559, 0x559, 0x560, 0x588, 0x5d0, 0x5ea, 0x5ef,
    0x5f2, 0x620, 0x64a, 0x66e, 0x66f, 0x671, 0x6d3, 0x6d5, 0x6d5, 0x6e5, 0x6e6, 0x6ee, 0x6ef,
    0x6fa, 0x6fc, 0x6ff, 0x6ff, 0x710, 0x710, 0x712, 0x72f, 0x74d, 0x7a5, 0x7b1, 0x7b1, 0x7ca,
    0x7ea, 0x7f4, 0x7f5, 0x7fa, 0x7fa, 0x800, 0x815, 0x81a, 0x81a, 0x824, 0x824, 0x828, 0x828,
    0x840, 0x858, 0x860, 0x86a, 0x870, 0x887, 0x889, 0x88e, 0x8a0, 0x8c9, 0x904, 0x939, 0x93d,
    0x93d, 0x950, 0x950, 0x958, 0x961, 0x971, 0x980, 0x985, 0x98c, 0x98f, 0x990, 0x993, 0x9a8,
    0x9aa, 0x9b0, 0x9b2, 0x9b2, 0x9b6, 0x9b9, 0x9bd, 0x9bd, 0x9ce, 0x9ce, 0x9dc, 0x9dd, 0x9df,
    0x9e1, 0x9f0, 0x9f1, 0x9fc, 0x9fc, 0xa05, 0xa0a, 0xa0f, 0xa10, 0xa13, 0xa28, 0xa2a, 0xa30,
    0xa32, 0xa33, 0xa35, 0xa36, 0xa38, 0xa39, 0xa59, 0xa5c, 0xa5e, 0xa5e, 0xa72, 0xa74, 0xa85,
    0xa8d, 0xa8f, 0xa91, 0xa93, 0xaa8, 0xaaa, 0xab0, 0xab2, 0xab3, 0xab5, 0xab9, 0xabd, 0xabd,
    0xad0, 0xad0, 0xae0, 0xae1, 0xaf9, 0xaf9, 0xb05, 0xb0c, 0xb0f, 0xb10, 0xb13, 0xb28, 0xb2a,
    0xb30, 0xb32, 0xb33, 0xb35, 0xb39, 0xb3d, 0xb3d, 0xb5c, 0xb5d, 0xb5f, 0xb61, 0xb71, 0xb71,
    0xb83, 0xb83, 0xb85, 0xb8a, 0xb8e, 0xb90, 0xb92, 0xb95, 0xb99, 0xb9a, 0xb9c, 0xb9c, 0xb9e,
    0xb9f, 0xba3, 0xba4, 0xba8, 0xbaa, 0xbae, 0xbb9, 0xbd0, 0xbd0, 0xc05, 0xc0c, 0xc0e, 0xc10,
    0xc12, 0xc28, 0xc2a, 0xc39, 0xc3d, 0xc3d, 0xc58, 0xc5a, 0xc5d, 0xc5d, 0xc60, 0xc61, 0xc80,
    0xc80, 0xc85, 0xc8c, 0xc8e, 0xc90, 0xc92, 0xca8, 0xcaa, 0xcb3, 0xcb5, 0xcb9, 0xcbd, 0xcbd,
    0xcdd, 0xcde, 0xce0, 0xce1, 0xcf1, 0xcf2, 0xd04, 0xd0c, 0xd0e, 0xd10, 0xd12, 0xd3a, 0xd3d,
    0xd3d, 0xd4e, 0xd4e, 0xd54, 0xd56, 0xd5f, 0xd61, 0xd7a, 0xd7f, 0xd85, 0xd96, 0xd9a, 0xdb1,
    0xdb3, 0xdbb, 0xdbd, 0xdbd, 0xdc0, 0xdc6, 0xe01, 0xe30, 0xe32, 0xe33, 0xe40, 0xe46, 0xe81,
    0xe82, 0xe84, 0xe84, 0xe86, 0xe8a, 0xe8c, 0xea3, 0xea5, 0xea5, 0xea7, 0xeb0, 0xeb2, 0xeb3,
    0xebd, 0xebd, 0xec0, 0xec4, 0xec6, 0xec6, 0xedc, 0xedf, 0xf00, 0xf00, 0xf40, 0xf47, 0xf49,
    0xf6c, 0xf88, 0xf8c, 0x1000, 0x102a, 0x103f, 0x103f, 0x1050, 0x1055, 0x105a, 0x105d, 0x1061,
    0x1061, 0x1065, 0x1066, 0x106e, 0x1070, 0x1075, 0x1081, 0x108e, 0x108e, 0x10a0, 0x10c5, 0x10c7,
    0x10c7, 0x10cd, 0x10cd, 0x10d0, 0x10fa, 0x10fc, 0x1248, 0x124a, 0x124d, 0x1250, 0x1256, 0x1258,
    0x1258, 0x125a, 0x125d, 0x1260, 0x1288, 0x128a, 0x128d, 0x1290, 0x12b0, 0x12b2, 0x12b5, 0x12b8,
    0x12be, 0x12c0, 0x12c0, 0x12c2, 0x12c5, 0x12c8, 0x12d6, 0x12d8, 0x1310, 0x1312, 0x1315, 0x1318,
    0x135a, 0x1380, 0x138f, 0x13a0, 0x13f5, 0x13f8, 0x13fd, 0x1401, 0x166c, 0x166f, 0x167f, 0x1681,
    0x169a, 0x16a0, 0x16ea, 0x16f1, 0x16f8, 0x1700, 0x1711, 0x171f, 0x1731, 0x1740, 0x1751, 0x1760,
    0x176c, 0x176e, 0x1770, 0x1780, 0x17b3, 0x17d7, 0x17d7, 0x17dc, 0x17dc, 0x1820, 0x1878, 0x1880,
    0x1884, 0x1887, 0x18a8, 0x18aa, 0x18aa, 0x18b0, 0x18f5, 0x1900, 0x191e, 0x1950, 0x196d, 0x1970,
    0x1974, 0x1980, 0x19ab, 0x19b0, 0x19c9, 0x1a00, 0x1a16, 0x1a20, 0x1a54, 0x1aa7, 0x1aa7, 0x1b05,
    0x1b33, 0x1b45, 0x1b4c, 0x1b83, 0x1ba0, 0x1bae, 0x1baf, 0x1bba, 0x1be5, 0x1c00, 0x1c23, 0x1c4d,
    0x1c4f, 0x1c5a, 0x1c7d, 0x1c80, 0x1c88, 0x1c90, 0x1cba, 0x1cbd, 0x1cbf, 0x1ce9, 0x1cec, 0x1cee,
    0x1cf3, 0x1cf5, 0x1cf6, 0x1cfa, 0x1cfa, 0x1d00, 0x1dbf, 0x1e00, 0x1f15, 0x1f18, 0x1f1d, 0x1f20,
    0x1f45, 0x1f48, 0x1f4d, 0x1f50, 0x1f57, 0x1f59, 0x1f59, 0x1f5b, 0x1f5b, 0x1f5d, 0x1f5d, 0x1f5f,
    0x1f7d, 0x1f80, 0x1fb4, 0x1fb6, 0x1fbc, 0x1fbe, 0x1fbe, 0x1fc2, 0x1fc4, 0x1fc6, 0x1fcc, 0x1fd0,
    0x1fd3, 0x1fd6, 0x1fdb, 0x1fe0, 0x1fec, 0x1ff2, 0x1ff4, 0x1ff6, 0x1ffc, 0x2071, 0x2071, 0x207f,
    0x207f, 0x2090, 0x209c, 0x2102, 0x2102, 0x2107, 0x2107, 0x210a, 0x2113, 0x2115, 0x2115, 0x2119,
    0x211d, 0x2124, 0x2124, 0x2126, 0x2126, 0x2128, 0x2128, 0x212a, 0x212d, 0x212f, 0x2139, 0x213c,
    0x213f, 0x2145, 0x2149, 0x214e, 0x214e, 0x2183, 0x2184, 0x2c00, 0x2ce4, 0x2ceb, 0x2cee, 0x2cf2,
    0x2cf3, 0x2d00, 0x2d25, 0x2d27, 0x2d27, 0x2d2d, 0x2d2d, 0x2d30, 0x2d67, 0x2d6f, 0x2d6f, 0x2d80,
    0x2d96, 0x2da0, 0x2da6, 0x2da8, 0x2dae, 0x2db0, 0x2db6, 0x2db8, 0x2dbe, 0x2dc0, 0x2dc6, 0x2dc8,
    0x2dce, 0x2dd0, 0x2dd6, 0x2dd8, 0x2dde, 0x2e2f, 0x2e2f, 0x3005, 0x3006, 0x3031, 0x3035, 0x303b,
    0x303c, 0x3041, 0x3096, 0x309d, 0x309f, 0x30a1, 0x30fa, 0x30fc, 0x30ff, 0x3105, 0x312f, 0x3131,
    0x318e, 0x31a0, 0x31bf, 0x31f0, 0x31ff, 0x3400, 0x4dbf, 0x4e00, 0xa48c, 0xa4d0, 0xa4fd, 0xa500,
    0xa60c, 0xa610, 0xa61f, 0xa62a, 0xa62b, 0xa640, 0xa66e, 0xa67f, 0xa69d, 0xa6a0, 0xa6e5, 0xa717,
    0xa71f, 0xa722, 0xa788, 0xa78b, 0xa7ca, 0xa7d0, 0xa7d1, 0xa7d3, 0xa7d3, 0xa7d5, 0xa7d9, 0xa7f2,
    0xa801, 0xa803, 0xa805, 0xa807, 0xa80a, 0xa80c, 0xa822, 0xa840, 0xa873, 0xa882, 0xa8b3, 0xa8f2,
    0xa8f7, 0xa8fb, 0xa8fb, 0xa8fd, 0xa8fe, 0xa90a, 0xa925, 0xa930, 0xa946, 0xa960, 0xa97c, 0xa984,
    0xa9b2, 0xa9cf, 0xa9cf, 0xa9e0, 0xa9e4, 0xa9e6, 0xa9ef, 0xa9fa, 0xa9fe, 0xaa00, 0xaa28, 0xaa40,
    0xaa42, 0xaa44, 0xaa4b, 0xaa60, 0xaa76, 0xaa7a, 0xaa7a, 0xaa7e, 0xaaaf, 0xaab1, 0xaab1, 0xaab5,
    0xaab6, 0xaab9, 0xaabd, 0xaac0, 0xaac0, 0xaac2, 0xaac2, 0xaadb, 0xaadd, 0xaae0, 0xaaea, 0xaaf2,
    0xaaf4, 0xab01, 0xab06, 0xab09, 0xab0e, 0xab11, 0xab16, 0xab20, 0xab26, 0xab28, 0xab2e, 0xab30,
    0xab5a, 0xab5c, 0xab69, 0xab70, 0xabe2, 0xac00, 0xd7a3, 0xd7b0, 0xd7c6, 0xd7cb, 0xd7fb, 0xf900,
    0xfa6d, 0xfa70, 0xfad9, 0xfb00, 0xfb06, 0xfb13, 0xfb17, 0xfb1d, 0xfb1d, 0xfb1f, 0xfb28, 0xfb2a,
    0xfb36, 0xfb38, 0xfb3c, 0xfb3e, 0xfb3e, 0xfb40, 0xfb41, 0xfb43, 0xfb44, 0xfb46, 0xfbb1, 0xfbd3,
    0xfd3d, 0xfd50, 0xfd8f, 0xfd92, 0xfdc7, 0xfdf0, 0xfdfb, 0xfe70, 0xfe74, 0xfe76, 0xfefc, 0xff21,
    0xff3a, 0xff41, 0xff5a, 0xff66, 0xffbe, 0xffc2, 0xffc7, 0xffca, 0xffcf, 0xffd2, 0xffd7, 0xffda,
    0xffdc, 0x10000, 0x1000b, 0x1000d, 0x10026, 0x10028, 0x1003a, 0x1003c, 0x1003d, 0x1003f,
    0x1004d, 0x10050, 0x1005d, 0x10080, 0x100fa, 0x10280, 0x1029c, 0x102a0, 0x102d0, 0x10300,
    0x1031f, 0x1032d, 0x10340, 0x10342, 0x10349, 0x10350, 0x10375, 0x10380, 0x1039d, 0x103a0,
    0x103c3, 0x103c8, 0x103cf, 0x10400, 0x1049d, 0x104b0, 0x104d3, 0x104d8, 0x104fb, 0x10500,
    0x10527, 0x10530, 0x10563, 0x10570, 0x1057a, 0x1057c, 0x1058a, 0x1058c, 0x10592, 0x10594,
    0x10595, 0x10597, 0x105a1, 0x105a3, 0x105b1, 0x105b3, 0x105b9, 0x105bb, 0x105bc, 0x10600,
    0x10736, 0x10740, 0x10755, 0x10760, 0x10767, 0x10780, 0x10785, 0x10787, 0x107b0, 0x107b2,
    0x107ba, 0x10800, 0x10805, 0x10808, 0x10808, 0x1080a, 0x10835, 0x10837, 0x10838, 0x1083c,
    0x1083c, 0x1083f, 0x10855, 0x10860, 0x10876, 0x10880, 0x1089e, 0x108e0, 0x108f2, 0x108f4,
    0x108f5, 0x10900, 0x10915, 0x10920, 0x10939, 0x10980, 0x109b7, 0x109be, 0x109bf, 0x10a00,
    0x10a00, 0x10a10, 0x10a13, 0x10a15, 0x10a17, 0x10a19, 0x10a35, 0x10a60, 0x10a7c, 0x10a80,
    0x10a9c, 0x10ac0, 0x10ac7, 0x10ac9, 0x10ae4, 0x10b00, 0x10b35, 0x10b40, 0x10b55, 0x10b60,
    0x10b72, 0x10b80, 0x10b91, 0x10c00, 0x10c48, 0x10c80, 0x10cb2, 0x10cc0, 0x10cf2, 0x10d00,
    0x10d23, 0x10e80, 0x10ea9, 0x10eb0, 0x10eb1, 0x10f00, 0x10f1c, 0x10f27, 0x10f27, 0x10f30,
    0x10f45, 0x10f70, 0x10f81, 0x10fb0, 0x10fc4, 0x10fe0, 0x10ff6, 0x11003, 0x11037, 0x11071,
    0x11072, 0x11075, 0x11075, 0x11083, 0x110af, 0x110d0, 0x110e8, 0x11103, 0x11126, 0x11144,
    0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176, 0x11176, 0x11183, 0x111b2, 0x111c1,
    0x111c4, 0x111da, 0x111da, 0x111dc, 0x111dc, 0x11200, 0x11211, 0x11213, 0x1122b, 0x11280,
    0x11286, 0x11288, 0x11288, 0x1128a, 0x1128d, 0x1128f, 0x1129d, 0x1129f, 0x112a8, 0x112b0,
    0x112de, 0x11305, 0x1130c, 0x1130f, 0x11310, 0x11313, 0x11328, 0x1132a, 0x11330, 0x11332,
    0x11333, 0x11335, 0x11339, 0x1133d, 0x1133d, 0x11350, 0x11350, 0x1135d, 0x11361, 0x11400,
    0x11434, 0x11447, 0x1144a, 0x1145f, 0x11461, 0x11480, 0x114af, 0x114c4, 0x114c5, 0x114c7,
    0x114c7, 0x11580, 0x115ae, 0x115d8, 0x115db, 0x11600, 0x1162f, 0x11644, 0x11644, 0x11680,
    0x116aa, 0x116b8, 0x116b8, 0x11700, 0x1171a, 0x11740, 0x11746, 0x11800, 0x1182b, 0x118a0,
    0x118df, 0x118ff, 0x11906, 0x11909, 0x11909, 0x1190c, 0x11913, 0x11915, 0x11916, 0x11918,
    0x1192f, 0x1193f, 0x1193f, 0x11941, 0x11941, 0x119a0, 0x119a7, 0x119aa, 0x119d0, 0x119e1,
    0x119e1, 0x119e3, 0x119e3, 0x11a00, 0x11a00, 0x11a0b, 0x11a32, 0x11a3a, 0x11a3a, 0x11a50,
    0x11a50, 0x11a5c, 0x11a89, 0x11a9d, 0x11a9d, 0x11ab0, 0x11af8, 0x11c00, 0x11c08, 0x11c0a,
    0x11c2e, 0x11c40, 0x11c40, 0x11c72, 0x11c8f, 0x11d00, 0x11d06, 0x11d08, 0x11d09, 0x11d0b,
    0x11d30, 0x11d46, 0x11d46, 0x11d60, 0x11d65, 0x11d67, 0x11d68, 0x11d6a, 0x11d89, 0x11d98,
    0x11d98, 0x11ee0, 0x11ef2, 0x11fb0, 0x11fb0, 0x12000, 0x12399, 0x12480, 0x12543, 0x12f90,
    0x12ff0, 0x13000, 0x1342e, 0x14400, 0x14646, 0x16800, 0x16a38, 0x16a40, 0x16a5e, 0x16a70,
    0x16abe, 0x16ad0, 0x16aed, 0x16b00, 0x16b2f, 0x16b40, 0x16b43, 0x16b63, 0x16b77, 0x16b7d,
    0x16b8f, 0x16e40, 0x16e7f, 0x16f00, 0x16f4a, 0x16f50, 0x16f50, 0x16f93, 0x16f9f, 0x16fe0,
    0x16fe1, 0x16fe3, 0x16fe3, 0x17000, 0x187f7, 0x18800, 0x18cd5, 0x18d00, 0x18d08, 0x1aff0,
    0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b000, 0x1b122, 0x1b150, 0x1b152, 0x1b164,
    0x1b167, 0x1b170, 0x1b2fb, 0x1bc00, 0x1bc6a, 0x1bc70, 0x1bc7c, 0x1bc80, 0x1bc88, 0x1bc90,
    0x1bc99, 0x1d400, 0x1d454, 0x1d456, 0x1d49c, 0x1d49e, 0x1d49f, 0x1d4a2, 0x1d4a2, 0x1d4a5,
    0x1d4a6, 0x1d4a9, 0x1d4ac, 0x1d4ae, 0x1d4b9, 0x1d4bb, 0x1d4bb, 0x1d4bd, 0x1d4c3, 0x1d4c5,
    0x1d505, 0x1d507, 0x1d50a, 0x1d50d, 0x1d514, 0x1d516, 0x1d51c, 0x1d51e, 0x1d539, 0x1d53b,
    0x1d53e, 0x1d540, 0x1d544, 0x1d546, 0x1d546, 0x1d54a, 0x1d550, 0x1d552, 0x1d6a5, 0x1d6a8,
    0x1d6c0, 0x1d6c2, 0x1d6da, 0x1d6dc, 0x1d6fa, 0x1d6fc, 0x1d714, 0x1d716, 0x1d734, 0x1d736,
    0x1d74e, 0x1d750, 0x1d76e, 0x1d770, 0x1d788, 0x1d78a, 0x1d7a8, 0x1d7aa, 0x1d7c2, 0x1d7c4,
    0x1d7cb, 0x1df00, 0x1df1e, 0x1e100, 0x1e12c, 0x1e137, 0x1e13d, 0x1e14e, 0x1e14e, 0x1e290,
    0x1e2ad, 0x1e2c0, 0x1e2eb, 0x1e7e0, 0x1e7e6, 0x1e7e8, 0x1e7eb, 0x1e7ed, 0x1e7ee, 0x1e7f0,
    0x1e7fe, 0x1e800, 0x1e8c4, 0x1e900, 0x1e943, 0x1e94b, 0x1e94b, 0x1ee00, 0x1ee03, 0x1ee05,
    0x1ee1f, 0x1ee21, 0x1ee22, 0x1ee24, 0x1ee24, 0x1ee27, 0x1ee27, 0x1ee29, 0x1ee32, 0x1ee34,
    0x1ee37, 0x1ee39, 0x1ee39, 0x1ee3b, 0x1ee3b, 0x1ee42, 0x1ee42, 0x1ee47, 0x1ee47, 0x1ee49,
    0x1ee49, 0x1ee4b, 0x1ee4b, 0x1ee4d, 0x1ee4f, 0x1ee51, 0x1ee52, 0x1ee54, 0x1ee54, 0x1ee57,
    0x1ee57, 0x1ee59, 0x1ee59, 0x1ee5b, 0x1ee5b, 0x1ee5d, 0x1ee5d, 0x1ee5f, 0x1ee5f, 0x1ee61,
    0x1ee62, 0x1ee64, 0x1ee64, 0x1ee67, 0x1ee6a, 0x1ee6c, 0x1ee72, 0x1ee74, 0x1ee77, 0x1ee79,
    0x1ee7c, 0x1ee7e, 0x1ee7e, 0x1ee80, 0x1ee89, 0x1ee8b, 0x1ee9b, 0x1eea1, 0x1eea3, 0x1eea5,
    0x1eea9, 0x1eeab, 0x1eebb, 0x20000, 0x2a6df, 0x2a700, 0x2b738, 0x2b740, 0x2b81d, 0x2b820,
    0x2cea1, 0x2ceb0, 0x2ebe0, 0x2f800, 0x2fa1d, 0x30000, 0x3134a,
];

/// Category Nd: `str.isdecimal` (62 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static DECIMAL: [u32; 124] = [
    0x30, 0x39, 0x660, 0x669, 0x6f0, 0x6f9, 0x7c0, 0x7c9, 0x966, 0x96f, 0x9e6, 0x9ef, 0xa66, 0xa6f,
    0xae6, 0xaef, 0xb66, 0xb6f, 0xbe6, 0xbef, 0xc66, 0xc6f, 0xce6, 0xcef, 0xd66, 0xd6f, 0xde6,
    0xdef, 0xe50, 0xe59, 0xed0, 0xed9, 0xf20, 0xf29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17e0, 0x17e9,
    0x1810, 0x1819, 0x1946, 0x194f, 0x19d0, 0x19d9, 0x1a80, 0x1a89, 0x1a90, 0x1a99, 0x1b50, 0x1b59,
    0x1bb0, 0x1bb9, 0x1c40, 0x1c49, 0x1c50, 0x1c59, 0xa620, 0xa629, 0xa8d0, 0xa8d9, 0xa900, 0xa909,
    0xa9d0, 0xa9d9, 0xa9f0, 0xa9f9, 0xaa50, 0xaa59, 0xabf0, 0xabf9, 0xff10, 0xff19, 0x104a0,
    0x104a9, 0x10d30, 0x10d39, 0x11066, 0x1106f, 0x110f0, 0x110f9, 0x11136, 0x1113f, 0x111d0,
    0x111d9, 0x112f0, 0x112f9, 0x11450, 0x11459, 0x114d0, 0x114d9, 0x11650, 0x11659, 0x116c0,
    0x116c9, 0x11730, 0x11739, 0x118e0, 0x118e9, 0x11950, 0x11959, 0x11c50, 0x11c59, 0x11d50,
    0x11d59, 0x11da0, 0x11da9, 0x16a60, 0x16a69, 0x16ac0, 0x16ac9, 0x16b50, 0x16b59, 0x1d7ce,
    0x1d7ff, 0x1e140, 0x1e149, 0x1e2f0, 0x1e2f9, 0x1e950, 0x1e959, 0x1fbf0, 0x1fbf9,
];

/// Digits that are not decimals (superscripts, circled digits): `isdigit` (20 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static DIGIT_EXTRA: [u32; 40] = [
    0xb2, 0xb3, 0xb9, 0xb9, 0x1369, 0x1371, 0x19da, 0x19da, 0x2070, 0x2070, 0x2074, 0x2079, 0x2080,
    0x2089, 0x2460, 0x2468, 0x2474, 0x247c, 0x2488, 0x2490, 0x24ea, 0x24ea, 0x24f5, 0x24fd, 0x24ff,
    0x24ff, 0x2776, 0x277e, 0x2780, 0x2788, 0x278a, 0x2792, 0x10a40, 0x10a43, 0x10e60, 0x10e68,
    0x11052, 0x1105a, 0x1f100, 0x1f10a,
];

/// Numerics that are not digits (fractions, CJK numerals): `isnumeric` (151 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static NUMERIC_EXTRA: [u32; 302] = [
    0xbc, 0xbe, 0x9f4, 0x9f9, 0xb72, 0xb77, 0xbf0, 0xbf2, 0xc78, 0xc7e, 0xd58, 0xd5e, 0xd70, 0xd78,
    0xf2a, 0xf33, 0x1372, 0x137c, 0x16ee, 0x16f0, 0x17f0, 0x17f9, 0x2150, 0x2182, 0x2185, 0x2189,
    0x2469, 0x2473, 0x247d, 0x2487, 0x2491, 0x249b, 0x24eb, 0x24f4, 0x24fe, 0x24fe, 0x277f, 0x277f,
    0x2789, 0x2789, 0x2793, 0x2793, 0x2cfd, 0x2cfd, 0x3007, 0x3007, 0x3021, 0x3029, 0x3038, 0x303a,
    0x3192, 0x3195, 0x3220, 0x3229, 0x3248, 0x324f, 0x3251, 0x325f, 0x3280, 0x3289, 0x32b1, 0x32bf,
    0x3405, 0x3405, 0x3483, 0x3483, 0x382a, 0x382a, 0x3b4d, 0x3b4d, 0x4e00, 0x4e00, 0x4e03, 0x4e03,
    0x4e07, 0x4e07, 0x4e09, 0x4e09, 0x4e5d, 0x4e5d, 0x4e8c, 0x4e8c, 0x4e94, 0x4e94, 0x4e96, 0x4e96,
    0x4ebf, 0x4ec0, 0x4edf, 0x4edf, 0x4ee8, 0x4ee8, 0x4f0d, 0x4f0d, 0x4f70, 0x4f70, 0x5104, 0x5104,
    0x5146, 0x5146, 0x5169, 0x5169, 0x516b, 0x516b, 0x516d, 0x516d, 0x5341, 0x5341, 0x5343, 0x5345,
    0x534c, 0x534c, 0x53c1, 0x53c4, 0x56db, 0x56db, 0x58f1, 0x58f1, 0x58f9, 0x58f9, 0x5e7a, 0x5e7a,
    0x5efe, 0x5eff, 0x5f0c, 0x5f0e, 0x5f10, 0x5f10, 0x62fe, 0x62fe, 0x634c, 0x634c, 0x67d2, 0x67d2,
    0x6f06, 0x6f06, 0x7396, 0x7396, 0x767e, 0x767e, 0x8086, 0x8086, 0x842c, 0x842c, 0x8cae, 0x8cae,
    0x8cb3, 0x8cb3, 0x8d30, 0x8d30, 0x9621, 0x9621, 0x9646, 0x9646, 0x964c, 0x964c, 0x9678, 0x9678,
    0x96f6, 0x96f6, 0xa6e6, 0xa6ef, 0xa830, 0xa835, 0xf96b, 0xf96b, 0xf973, 0xf973, 0xf978, 0xf978,
    0xf9b2, 0xf9b2, 0xf9d1, 0xf9d1, 0xf9d3, 0xf9d3, 0xf9fd, 0xf9fd, 0x10107, 0x10133, 0x10140,
    0x10178, 0x1018a, 0x1018b, 0x102e1, 0x102fb, 0x10320, 0x10323, 0x10341, 0x10341, 0x1034a,
    0x1034a, 0x103d1, 0x103d5, 0x10858, 0x1085f, 0x10879, 0x1087f, 0x108a7, 0x108af, 0x108fb,
    0x108ff, 0x10916, 0x1091b, 0x109bc, 0x109bd, 0x109c0, 0x109cf, 0x109d2, 0x109ff, 0x10a44,
    0x10a48, 0x10a7d, 0x10a7e, 0x10a9d, 0x10a9f, 0x10aeb, 0x10aef, 0x10b58, 0x10b5f, 0x10b78,
    0x10b7f, 0x10ba9, 0x10baf, 0x10cfa, 0x10cff, 0x10e69, 0x10e7e, 0x10f1d, 0x10f26, 0x10f51,
    0x10f54, 0x10fc5, 0x10fcb, 0x1105b, 0x11065, 0x111e1, 0x111f4, 0x1173a, 0x1173b, 0x118ea,
    0x118f2, 0x11c5a, 0x11c6c, 0x11fc0, 0x11fd4, 0x12400, 0x1246e, 0x16b5b, 0x16b61, 0x16e80,
    0x16e96, 0x1d2e0, 0x1d2f3, 0x1d360, 0x1d378, 0x1e8c7, 0x1e8cf, 0x1ec71, 0x1ecab, 0x1ecad,
    0x1ecaf, 0x1ecb1, 0x1ecb4, 0x1ed01, 0x1ed2d, 0x1ed2f, 0x1ed3d, 0x1f10b, 0x1f10c, 0x20001,
    0x20001, 0x20064, 0x20064, 0x200e2, 0x200e2, 0x20121, 0x20121, 0x2092a, 0x2092a, 0x20983,
    0x20983, 0x2098c, 0x2098c, 0x2099c, 0x2099c, 0x20aea, 0x20aea, 0x20afd, 0x20afd, 0x20b19,
    0x20b19, 0x22390, 0x22390, 0x22998, 0x22998, 0x23b1b, 0x23b1b, 0x2626d, 0x2626d, 0x2f890,
    0x2f890,
];

/// Printable characters: `str.isprintable` (700 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static PRINTABLE: [u32; 1400] = [
    0x20, 0x7e, 0xa1, 0xac, 0xae, 0x377, 0x37a, 0x37f, 0x384, 0x38a, 0x38c, 0x38c, 0x38e, 0x3a1,
    0x3a3, 0x52f, 0x531, 0x556, 0x559, 0x58a, 0x58d, 0x58f, 0x591, 0x5c7, 0x5d0, 0x5ea, 0x5ef,
    0x5f4, 0x606, 0x61b, 0x61d, 0x6dc, 0x6de, 0x70d, 0x710, 0x74a, 0x74d, 0x7b1, 0x7c0, 0x7fa,
    0x7fd, 0x82d, 0x830, 0x83e, 0x840, 0x85b, 0x85e, 0x85e, 0x860, 0x86a, 0x870, 0x88e, 0x898,
    0x8e1, 0x8e3, 0x983, 0x985, 0x98c, 0x98f, 0x990, 0x993, 0x9a8, 0x9aa, 0x9b0, 0x9b2, 0x9b2,
    0x9b6, 0x9b9, 0x9bc, 0x9c4, 0x9c7, 0x9c8, 0x9cb, 0x9ce, 0x9d7, 0x9d7, 0x9dc, 0x9dd, 0x9df,
    0x9e3, 0x9e6, 0x9fe, 0xa01, 0xa03, 0xa05, 0xa0a, 0xa0f, 0xa10, 0xa13, 0xa28, 0xa2a, 0xa30,
    0xa32, 0xa33, 0xa35, 0xa36, 0xa38, 0xa39, 0xa3c, 0xa3c, 0xa3e, 0xa42, 0xa47, 0xa48, 0xa4b,
    0xa4d, 0xa51, 0xa51, 0xa59, 0xa5c, 0xa5e, 0xa5e, 0xa66, 0xa76, 0xa81, 0xa83, 0xa85, 0xa8d,
    0xa8f, 0xa91, 0xa93, 0xaa8, 0xaaa, 0xab0, 0xab2, 0xab3, 0xab5, 0xab9, 0xabc, 0xac5, 0xac7,
    0xac9, 0xacb, 0xacd, 0xad0, 0xad0, 0xae0, 0xae3, 0xae6, 0xaf1, 0xaf9, 0xaff, 0xb01, 0xb03,
    0xb05, 0xb0c, 0xb0f, 0xb10, 0xb13, 0xb28, 0xb2a, 0xb30, 0xb32, 0xb33, 0xb35, 0xb39, 0xb3c,
    0xb44, 0xb47, 0xb48, 0xb4b, 0xb4d, 0xb55, 0xb57, 0xb5c, 0xb5d, 0xb5f, 0xb63, 0xb66, 0xb77,
    0xb82, 0xb83, 0xb85, 0xb8a, 0xb8e, 0xb90, 0xb92, 0xb95, 0xb99, 0xb9a, 0xb9c, 0xb9c, 0xb9e,
    0xb9f, 0xba3, 0xba4, 0xba8, 0xbaa, 0xbae, 0xbb9, 0xbbe, 0xbc2, 0xbc6, 0xbc8, 0xbca, 0xbcd,
    0xbd0, 0xbd0, 0xbd7, 0xbd7, 0xbe6, 0xbfa, 0xc00, 0xc0c, 0xc0e, 0xc10, 0xc12, 0xc28, 0xc2a,
    0xc39, 0xc3c, 0xc44, 0xc46, 0xc48, 0xc4a, 0xc4d, 0xc55, 0xc56, 0xc58, 0xc5a, 0xc5d, 0xc5d,
    0xc60, 0xc63, 0xc66, 0xc6f, 0xc77, 0xc8c, 0xc8e, 0xc90, 0xc92, 0xca8, 0xcaa, 0xcb3, 0xcb5,
    0xcb9, 0xcbc, 0xcc4, 0xcc6, 0xcc8, 0xcca, 0xccd, 0xcd5, 0xcd6, 0xcdd, 0xcde, 0xce0, 0xce3,
    0xce6, 0xcef, 0xcf1, 0xcf2, 0xd00, 0xd0c, 0xd0e, 0xd10, 0xd12, 0xd44, 0xd46, 0xd48, 0xd4a,
    0xd4f, 0xd54, 0xd63, 0xd66, 0xd7f, 0xd81, 0xd83, 0xd85, 0xd96, 0xd9a, 0xdb1, 0xdb3, 0xdbb,
    0xdbd, 0xdbd, 0xdc0, 0xdc6, 0xdca, 0xdca, 0xdcf, 0xdd4, 0xdd6, 0xdd6, 0xdd8, 0xddf, 0xde6,
    0xdef, 0xdf2, 0xdf4, 0xe01, 0xe3a, 0xe3f, 0xe5b, 0xe81, 0xe82, 0xe84, 0xe84, 0xe86, 0xe8a,
    0xe8c, 0xea3, 0xea5, 0xea5, 0xea7, 0xebd, 0xec0, 0xec4, 0xec6, 0xec6, 0xec8, 0xecd, 0xed0,
    0xed9, 0xedc, 0xedf, 0xf00, 0xf47, 0xf49, 0xf6c, 0xf71, 0xf97, 0xf99, 0xfbc, 0xfbe, 0xfcc,
    0xfce, 0xfda, 0x1000, 0x10c5, 0x10c7, 0x10c7, 0x10cd, 0x10cd, 0x10d0, 0x1248, 0x124a, 0x124d,
    0x1250, 0x1256, 0x1258, 0x1258, 0x125a, 0x125d, 0x1260, 0x1288, 0x128a, 0x128d, 0x1290, 0x12b0,
    0x12b2, 0x12b5, 0x12b8, 0x12be, 0x12c0, 0x12c0, 0x12c2, 0x12c5, 0x12c8, 0x12d6, 0x12d8, 0x1310,
    0x1312, 0x1315, 0x1318, 0x135a, 0x135d, 0x137c, 0x1380, 0x1399, 0x13a0, 0x13f5, 0x13f8, 0x13fd,
    0x1400, 0x167f, 0x1681, 0x169c, 0x16a0, 0x16f8, 0x1700, 0x1715, 0x171f, 0x1736, 0x1740, 0x1753,
    0x1760, 0x176c, 0x176e, 0x1770, 0x1772, 0x1773, 0x1780, 0x17dd, 0x17e0, 0x17e9, 0x17f0, 0x17f9,
    0x1800, 0x180d, 0x180f, 0x1819, 0x1820, 0x1878, 0x1880, 0x18aa, 0x18b0, 0x18f5, 0x1900, 0x191e,
    0x1920, 0x192b, 0x1930, 0x193b, 0x1940, 0x1940, 0x1944, 0x196d, 0x1970, 0x1974, 0x1980, 0x19ab,
    0x19b0, 0x19c9, 0x19d0, 0x19da, 0x19de, 0x1a1b, 0x1a1e, 0x1a5e, 0x1a60, 0x1a7c, 0x1a7f, 0x1a89,
    0x1a90, 0x1a99, 0x1aa0, 0x1aad, 0x1ab0, 0x1ace, 0x1b00, 0x1b4c, 0x1b50, 0x1b7e, 0x1b80, 0x1bf3,
    0x1bfc, 0x1c37, 0x1c3b, 0x1c49, 0x1c4d, 0x1c88, 0x1c90, 0x1cba, 0x1cbd, 0x1cc7, 0x1cd0, 0x1cfa,
    0x1d00, 0x1f15, 0x1f18, 0x1f1d, 0x1f20, 0x1f45, 0x1f48, 0x1f4d, 0x1f50, 0x1f57, 0x1f59, 0x1f59,
    0x1f5b, 0x1f5b, 0x1f5d, 0x1f5d, 0x1f5f, 0x1f7d, 0x1f80, 0x1fb4, 0x1fb6, 0x1fc4, 0x1fc6, 0x1fd3,
    0x1fd6, 0x1fdb, 0x1fdd, 0x1fef, 0x1ff2, 0x1ff4, 0x1ff6, 0x1ffe, 0x2010, 0x2027, 0x2030, 0x205e,
    0x2070, 0x2071, 0x2074, 0x208e, 0x2090, 0x209c, 0x20a0, 0x20c0, 0x20d0, 0x20f0, 0x2100, 0x218b,
    0x2190, 0x2426, 0x2440, 0x244a, 0x2460, 0x2b73, 0x2b76, 0x2b95, 0x2b97, 0x2cf3, 0x2cf9, 0x2d25,
    0x2d27, 0x2d27, 0x2d2d, 0x2d2d, 0x2d30, 0x2d67, 0x2d6f, 0x2d70, 0x2d7f, 0x2d96, 0x2da0, 0x2da6,
    0x2da8, 0x2dae, 0x2db0, 0x2db6, 0x2db8, 0x2dbe, 0x2dc0, 0x2dc6, 0x2dc8, 0x2dce, 0x2dd0, 0x2dd6,
    0x2dd8, 0x2dde, 0x2de0, 0x2e5d, 0x2e80, 0x2e99, 0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x2ffb,
    0x3001, 0x303f, 0x3041, 0x3096, 0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e3,
    0x31f0, 0x321e, 0x3220, 0xa48c, 0xa490, 0xa4c6, 0xa4d0, 0xa62b, 0xa640, 0xa6f7, 0xa700, 0xa7ca,
    0xa7d0, 0xa7d1, 0xa7d3, 0xa7d3, 0xa7d5, 0xa7d9, 0xa7f2, 0xa82c, 0xa830, 0xa839, 0xa840, 0xa877,
    0xa880, 0xa8c5, 0xa8ce, 0xa8d9, 0xa8e0, 0xa953, 0xa95f, 0xa97c, 0xa980, 0xa9cd, 0xa9cf, 0xa9d9,
    0xa9de, 0xa9fe, 0xaa00, 0xaa36, 0xaa40, 0xaa4d, 0xaa50, 0xaa59, 0xaa5c, 0xaac2, 0xaadb, 0xaaf6,
    0xab01, 0xab06, 0xab09, 0xab0e, 0xab11, 0xab16, 0xab20, 0xab26, 0xab28, 0xab2e, 0xab30, 0xab6b,
    0xab70, 0xabed, 0xabf0, 0xabf9, 0xac00, 0xd7a3, 0xd7b0, 0xd7c6, 0xd7cb, 0xd7fb, 0xf900, 0xfa6d,
    0xfa70, 0xfad9, 0xfb00, 0xfb06, 0xfb13, 0xfb17, 0xfb1d, 0xfb36, 0xfb38, 0xfb3c, 0xfb3e, 0xfb3e,
    0xfb40, 0xfb41, 0xfb43, 0xfb44, 0xfb46, 0xfbc2, 0xfbd3, 0xfd8f, 0xfd92, 0xfdc7, 0xfdcf, 0xfdcf,
    0xfdf0, 0xfe19, 0xfe20, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b, 0xfe70, 0xfe74, 0xfe76, 0xfefc,
    0xff01, 0xffbe, 0xffc2, 0xffc7, 0xffca, 0xffcf, 0xffd2, 0xffd7, 0xffda, 0xffdc, 0xffe0, 0xffe6,
    0xffe8, 0xffee, 0xfffc, 0xfffd, 0x10000, 0x1000b, 0x1000d, 0x10026, 0x10028, 0x1003a, 0x1003c,
    0x1003d, 0x1003f, 0x1004d, 0x10050, 0x1005d, 0x10080, 0x100fa, 0x10100, 0x10102, 0x10107,
    0x10133, 0x10137, 0x1018e, 0x10190, 0x1019c, 0x101a0, 0x101a0, 0x101d0, 0x101fd, 0x10280,
    0x1029c, 0x102a0, 0x102d0, 0x102e0, 0x102fb, 0x10300, 0x10323, 0x1032d, 0x1034a, 0x10350,
    0x1037a, 0x10380, 0x1039d, 0x1039f, 0x103c3, 0x103c8, 0x103d5, 0x10400, 0x1049d, 0x104a0,
    0x104a9, 0x104b0, 0x104d3, 0x104d8, 0x104fb, 0x10500, 0x10527, 0x10530, 0x10563, 0x1056f,
    0x1057a, 0x1057c, 0x1058a, 0x1058c, 0x10592, 0x10594, 0x10595, 0x10597, 0x105a1, 0x105a3,
    0x105b1, 0x105b3, 0x105b9, 0x105bb, 0x105bc, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760,
    0x10767, 0x10780, 0x10785, 0x10787, 0x107b0, 0x107b2, 0x107ba, 0x10800, 0x10805, 0x10808,
    0x10808, 0x1080a, 0x10835, 0x10837, 0x10838, 0x1083c, 0x1083c, 0x1083f, 0x10855, 0x10857,
    0x1089e, 0x108a7, 0x108af, 0x108e0, 0x108f2, 0x108f4, 0x108f5, 0x108fb, 0x1091b, 0x1091f,
    0x10939, 0x1093f, 0x1093f, 0x10980, 0x109b7, 0x109bc, 0x109cf, 0x109d2, 0x10a03, 0x10a05,
    0x10a06, 0x10a0c, 0x10a13, 0x10a15, 0x10a17, 0x10a19, 0x10a35, 0x10a38, 0x10a3a, 0x10a3f,
    0x10a48, 0x10a50, 0x10a58, 0x10a60, 0x10a9f, 0x10ac0, 0x10ae6, 0x10aeb, 0x10af6, 0x10b00,
    0x10b35, 0x10b39, 0x10b55, 0x10b58, 0x10b72, 0x10b78, 0x10b91, 0x10b99, 0x10b9c, 0x10ba9,
    0x10baf, 0x10c00, 0x10c48, 0x10c80, 0x10cb2, 0x10cc0, 0x10cf2, 0x10cfa, 0x10d27, 0x10d30,
    0x10d39, 0x10e60, 0x10e7e, 0x10e80, 0x10ea9, 0x10eab, 0x10ead, 0x10eb0, 0x10eb1, 0x10f00,
    0x10f27, 0x10f30, 0x10f59, 0x10f70, 0x10f89, 0x10fb0, 0x10fcb, 0x10fe0, 0x10ff6, 0x11000,
    0x1104d, 0x11052, 0x11075, 0x1107f, 0x110bc, 0x110be, 0x110c2, 0x110d0, 0x110e8, 0x110f0,
    0x110f9, 0x11100, 0x11134, 0x11136, 0x11147, 0x11150, 0x11176, 0x11180, 0x111df, 0x111e1,
    0x111f4, 0x11200, 0x11211, 0x11213, 0x1123e, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128a,
    0x1128d, 0x1128f, 0x1129d, 0x1129f, 0x112a9, 0x112b0, 0x112ea, 0x112f0, 0x112f9, 0x11300,
    0x11303, 0x11305, 0x1130c, 0x1130f, 0x11310, 0x11313, 0x11328, 0x1132a, 0x11330, 0x11332,
    0x11333, 0x11335, 0x11339, 0x1133b, 0x11344, 0x11347, 0x11348, 0x1134b, 0x1134d, 0x11350,
    0x11350, 0x11357, 0x11357, 0x1135d, 0x11363, 0x11366, 0x1136c, 0x11370, 0x11374, 0x11400,
    0x1145b, 0x1145d, 0x11461, 0x11480, 0x114c7, 0x114d0, 0x114d9, 0x11580, 0x115b5, 0x115b8,
    0x115dd, 0x11600, 0x11644, 0x11650, 0x11659, 0x11660, 0x1166c, 0x11680, 0x116b9, 0x116c0,
    0x116c9, 0x11700, 0x1171a, 0x1171d, 0x1172b, 0x11730, 0x11746, 0x11800, 0x1183b, 0x118a0,
    0x118f2, 0x118ff, 0x11906, 0x11909, 0x11909, 0x1190c, 0x11913, 0x11915, 0x11916, 0x11918,
    0x11935, 0x11937, 0x11938, 0x1193b, 0x11946, 0x11950, 0x11959, 0x119a0, 0x119a7, 0x119aa,
    0x119d7, 0x119da, 0x119e4, 0x11a00, 0x11a47, 0x11a50, 0x11aa2, 0x11ab0, 0x11af8, 0x11c00,
    0x11c08, 0x11c0a, 0x11c36, 0x11c38, 0x11c45, 0x11c50, 0x11c6c, 0x11c70, 0x11c8f, 0x11c92,
    0x11ca7, 0x11ca9, 0x11cb6, 0x11d00, 0x11d06, 0x11d08, 0x11d09, 0x11d0b, 0x11d36, 0x11d3a,
    0x11d3a, 0x11d3c, 0x11d3d, 0x11d3f, 0x11d47, 0x11d50, 0x11d59, 0x11d60, 0x11d65, 0x11d67,
    0x11d68, 0x11d6a, 0x11d8e, 0x11d90, 0x11d91, 0x11d93, 0x11d98, 0x11da0, 0x11da9, 0x11ee0,
    0x11ef8, 0x11fb0, 0x11fb0, 0x11fc0, 0x11ff1, 0x11fff, 0x12399, 0x12400, 0x1246e, 0x12470,
    0x12474, 0x12480, 0x12543, 0x12f90, 0x12ff2, 0x13000, 0x1342e, 0x14400, 0x14646, 0x16800,
    0x16a38, 0x16a40, 0x16a5e, 0x16a60, 0x16a69, 0x16a6e, 0x16abe, 0x16ac0, 0x16ac9, 0x16ad0,
    0x16aed, 0x16af0, 0x16af5, 0x16b00, 0x16b45, 0x16b50, 0x16b59, 0x16b5b, 0x16b61, 0x16b63,
    0x16b77, 0x16b7d, 0x16b8f, 0x16e40, 0x16e9a, 0x16f00, 0x16f4a, 0x16f4f, 0x16f87, 0x16f8f,
    0x16f9f, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x187f7, 0x18800, 0x18cd5, 0x18d00,
    0x18d08, 0x1aff0, 0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b000, 0x1b122, 0x1b150,
    0x1b152, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1bc00, 0x1bc6a, 0x1bc70, 0x1bc7c, 0x1bc80,
    0x1bc88, 0x1bc90, 0x1bc99, 0x1bc9c, 0x1bc9f, 0x1cf00, 0x1cf2d, 0x1cf30, 0x1cf46, 0x1cf50,
    0x1cfc3, 0x1d000, 0x1d0f5, 0x1d100, 0x1d126, 0x1d129, 0x1d172, 0x1d17b, 0x1d1ea, 0x1d200,
    0x1d245, 0x1d2e0, 0x1d2f3, 0x1d300, 0x1d356, 0x1d360, 0x1d378, 0x1d400, 0x1d454, 0x1d456,
    0x1d49c, 0x1d49e, 0x1d49f, 0x1d4a2, 0x1d4a2, 0x1d4a5, 0x1d4a6, 0x1d4a9, 0x1d4ac, 0x1d4ae,
    0x1d4b9, 0x1d4bb, 0x1d4bb, 0x1d4bd, 0x1d4c3, 0x1d4c5, 0x1d505, 0x1d507, 0x1d50a, 0x1d50d,
    0x1d514, 0x1d516, 0x1d51c, 0x1d51e, 0x1d539, 0x1d53b, 0x1d53e, 0x1d540, 0x1d544, 0x1d546,
    0x1d546, 0x1d54a, 0x1d550, 0x1d552, 0x1d6a5, 0x1d6a8, 0x1d7cb, 0x1d7ce, 0x1da8b, 0x1da9b,
    0x1da9f, 0x1daa1, 0x1daaf, 0x1df00, 0x1df1e, 0x1e000, 0x1e006, 0x1e008, 0x1e018, 0x1e01b,
    0x1e021, 0x1e023, 0x1e024, 0x1e026, 0x1e02a, 0x1e100, 0x1e12c, 0x1e130, 0x1e13d, 0x1e140,
    0x1e149, 0x1e14e, 0x1e14f, 0x1e290, 0x1e2ae, 0x1e2c0, 0x1e2f9, 0x1e2ff, 0x1e2ff, 0x1e7e0,
    0x1e7e6, 0x1e7e8, 0x1e7eb, 0x1e7ed, 0x1e7ee, 0x1e7f0, 0x1e7fe, 0x1e800, 0x1e8c4, 0x1e8c7,
    0x1e8d6, 0x1e900, 0x1e94b, 0x1e950, 0x1e959, 0x1e95e, 0x1e95f, 0x1ec71, 0x1ecb4, 0x1ed01,
    0x1ed3d, 0x1ee00, 0x1ee03, 0x1ee05, 0x1ee1f, 0x1ee21, 0x1ee22, 0x1ee24, 0x1ee24, 0x1ee27,
    0x1ee27, 0x1ee29, 0x1ee32, 0x1ee34, 0x1ee37, 0x1ee39, 0x1ee39, 0x1ee3b, 0x1ee3b, 0x1ee42,
    0x1ee42, 0x1ee47, 0x1ee47, 0x1ee49, 0x1ee49, 0x1ee4b, 0x1ee4b, 0x1ee4d, 0x1ee4f, 0x1ee51,
    0x1ee52, 0x1ee54, 0x1ee54, 0x1ee57, 0x1ee57, 0x1ee59, 0x1ee59, 0x1ee5b, 0x1ee5b, 0x1ee5d,
    0x1ee5d, 0x1ee5f, 0x1ee5f, 0x1ee61, 0x1ee62, 0x1ee64, 0x1ee64, 0x1ee67, 0x1ee6a, 0x1ee6c,
    0x1ee72, 0x1ee74, 0x1ee77, 0x1ee79, 0x1ee7c, 0x1ee7e, 0x1ee7e, 0x1ee80, 0x1ee89, 0x1ee8b,
    0x1ee9b, 0x1eea1, 0x1eea3, 0x1eea5, 0x1eea9, 0x1eeab, 0x1eebb, 0x1eef0, 0x1eef1, 0x1f000,
    0x1f02b, 0x1f030, 0x1f093, 0x1f0a0, 0x1f0ae, 0x1f0b1, 0x1f0bf, 0x1f0c1, 0x1f0cf, 0x1f0d1,
    0x1f0f5, 0x1f100, 0x1f1ad, 0x1f1e6, 0x1f202, 0x1f210, 0x1f23b, 0x1f240, 0x1f248, 0x1f250,
    0x1f251, 0x1f260, 0x1f265, 0x1f300, 0x1f6d7, 0x1f6dd, 0x1f6ec, 0x1f6f0, 0x1f6fc, 0x1f700,
    0x1f773, 0x1f780, 0x1f7d8, 0x1f7e0, 0x1f7eb, 0x1f7f0, 0x1f7f0, 0x1f800, 0x1f80b, 0x1f810,
    0x1f847, 0x1f850, 0x1f859, 0x1f860, 0x1f887, 0x1f890, 0x1f8ad, 0x1f8b0, 0x1f8b1, 0x1f900,
    0x1fa53, 0x1fa60, 0x1fa6d, 0x1fa70, 0x1fa74, 0x1fa78, 0x1fa7c, 0x1fa80, 0x1fa86, 0x1fa90,
    0x1faac, 0x1fab0, 0x1faba, 0x1fac0, 0x1fac5, 0x1fad0, 0x1fad9, 0x1fae0, 0x1fae7, 0x1faf0,
    0x1faf6, 0x1fb00, 0x1fb92, 0x1fb94, 0x1fbca, 0x1fbf0, 0x1fbf9, 0x20000, 0x2a6df, 0x2a700,
    0x2b738, 0x2b740, 0x2b81d, 0x2b820, 0x2cea1, 0x2ceb0, 0x2ebe0, 0x2f800, 0x2fa1d, 0x30000,
    0x3134a, 0xe0100, 0xe01ef,
];

/// Where XID_Start (or `_`) differs from `ALPHA` (31 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static ID_START_XOR: [u32; 62] = [
    0x5f, 0x5f, 0x37a, 0x37a, 0xe33, 0xe33, 0xeb3, 0xeb3, 0x16ee, 0x16f0, 0x1885, 0x1886, 0x2118,
    0x2118, 0x212e, 0x212e, 0x2160, 0x2182, 0x2185, 0x2188, 0x2e2f, 0x2e2f, 0x3007, 0x3007, 0x3021,
    0x3029, 0x3038, 0x303a, 0xa6e6, 0xa6ef, 0xfc5e, 0xfc63, 0xfdfa, 0xfdfb, 0xfe70, 0xfe70, 0xfe72,
    0xfe72, 0xfe74, 0xfe74, 0xfe76, 0xfe76, 0xfe78, 0xfe78, 0xfe7a, 0xfe7a, 0xfe7c, 0xfe7c, 0xfe7e,
    0xfe7e, 0xff9e, 0xff9f, 0x10140, 0x10174, 0x10341, 0x10341, 0x1034a, 0x1034a, 0x103d1, 0x103d5,
    0x12400, 0x1246e,
];

/// Where XID_Continue differs from XID_Start or decimal (311 ranges, inclusive start/end pairs).
#[rustfmt::skip]
static ID_CONTINUE_XOR: [u32; 622] = [
    0xb7, 0xb7, 0x300, 0x36f, 0x387, 0x387, 0x483, 0x487, 0x591, 0x5bd, 0x5bf, 0x5bf, 0x5c1, 0x5c2,
    0x5c4, 0x5c5, 0x5c7, 0x5c7, 0x610, 0x61a, 0x64b, 0x65f, 0x670, 0x670, 0x6d6, 0x6dc, 0x6df,
    0x6e4, 0x6e7, 0x6e8, 0x6ea, 0x6ed, 0x711, 0x711, 0x730, 0x74a, 0x7a6, 0x7b0, 0x7eb, 0x7f3,
    0x7fd, 0x7fd, 0x816, 0x819, 0x81b, 0x823, 0x825, 0x827, 0x829, 0x82d, 0x859, 0x85b, 0x898,
    0x89f, 0x8ca, 0x8e1, 0x8e3, 0x903, 0x93a, 0x93c, 0x93e, 0x94f, 0x951, 0x957, 0x962, 0x963,
    0x981, 0x983, 0x9bc, 0x9bc, 0x9be, 0x9c4, 0x9c7, 0x9c8, 0x9cb, 0x9cd, 0x9d7, 0x9d7, 0x9e2,
    0x9e3, 0x9fe, 0x9fe, 0xa01, 0xa03, 0xa3c, 0xa3c, 0xa3e, 0xa42, 0xa47, 0xa48, 0xa4b, 0xa4d,
    0xa51, 0xa51, 0xa70, 0xa71, 0xa75, 0xa75, 0xa81, 0xa83, 0xabc, 0xabc, 0xabe, 0xac5, 0xac7,
    0xac9, 0xacb, 0xacd, 0xae2, 0xae3, 0xafa, 0xaff, 0xb01, 0xb03, 0xb3c, 0xb3c, 0xb3e, 0xb44,
    0xb47, 0xb48, 0xb4b, 0xb4d, 0xb55, 0xb57, 0xb62, 0xb63, 0xb82, 0xb82, 0xbbe, 0xbc2, 0xbc6,
    0xbc8, 0xbca, 0xbcd, 0xbd7, 0xbd7, 0xc00, 0xc04, 0xc3c, 0xc3c, 0xc3e, 0xc44, 0xc46, 0xc48,
    0xc4a, 0xc4d, 0xc55, 0xc56, 0xc62, 0xc63, 0xc81, 0xc83, 0xcbc, 0xcbc, 0xcbe, 0xcc4, 0xcc6,
    0xcc8, 0xcca, 0xccd, 0xcd5, 0xcd6, 0xce2, 0xce3, 0xd00, 0xd03, 0xd3b, 0xd3c, 0xd3e, 0xd44,
    0xd46, 0xd48, 0xd4a, 0xd4d, 0xd57, 0xd57, 0xd62, 0xd63, 0xd81, 0xd83, 0xdca, 0xdca, 0xdcf,
    0xdd4, 0xdd6, 0xdd6, 0xdd8, 0xddf, 0xdf2, 0xdf3, 0xe31, 0xe31, 0xe33, 0xe3a, 0xe47, 0xe4e,
    0xeb1, 0xeb1, 0xeb3, 0xebc, 0xec8, 0xecd, 0xf18, 0xf19, 0xf35, 0xf35, 0xf37, 0xf37, 0xf39,
    0xf39, 0xf3e, 0xf3f, 0xf71, 0xf84, 0xf86, 0xf87, 0xf8d, 0xf97, 0xf99, 0xfbc, 0xfc6, 0xfc6,
    0x102b, 0x103e, 0x1056, 0x1059, 0x105e, 0x1060, 0x1062, 0x1064, 0x1067, 0x106d, 0x1071, 0x1074,
    0x1082, 0x108d, 0x108f, 0x108f, 0x109a, 0x109d, 0x135d, 0x135f, 0x1369, 0x1371, 0x1712, 0x1715,
    0x1732, 0x1734, 0x1752, 0x1753, 0x1772, 0x1773, 0x17b4, 0x17d3, 0x17dd, 0x17dd, 0x180b, 0x180d,
    0x180f, 0x180f, 0x18a9, 0x18a9, 0x1920, 0x192b, 0x1930, 0x193b, 0x19da, 0x19da, 0x1a17, 0x1a1b,
    0x1a55, 0x1a5e, 0x1a60, 0x1a7c, 0x1a7f, 0x1a7f, 0x1ab0, 0x1abd, 0x1abf, 0x1ace, 0x1b00, 0x1b04,
    0x1b34, 0x1b44, 0x1b6b, 0x1b73, 0x1b80, 0x1b82, 0x1ba1, 0x1bad, 0x1be6, 0x1bf3, 0x1c24, 0x1c37,
    0x1cd0, 0x1cd2, 0x1cd4, 0x1ce8, 0x1ced, 0x1ced, 0x1cf4, 0x1cf4, 0x1cf7, 0x1cf9, 0x1dc0, 0x1dff,
    0x203f, 0x2040, 0x2054, 0x2054, 0x20d0, 0x20dc, 0x20e1, 0x20e1, 0x20e5, 0x20f0, 0x2cef, 0x2cf1,
    0x2d7f, 0x2d7f, 0x2de0, 0x2dff, 0x302a, 0x302f, 0x3099, 0x309a, 0xa66f, 0xa66f, 0xa674, 0xa67d,
    0xa69e, 0xa69f, 0xa6f0, 0xa6f1, 0xa802, 0xa802, 0xa806, 0xa806, 0xa80b, 0xa80b, 0xa823, 0xa827,
    0xa82c, 0xa82c, 0xa880, 0xa881, 0xa8b4, 0xa8c5, 0xa8e0, 0xa8f1, 0xa8ff, 0xa8ff, 0xa926, 0xa92d,
    0xa947, 0xa953, 0xa980, 0xa983, 0xa9b3, 0xa9c0, 0xa9e5, 0xa9e5, 0xaa29, 0xaa36, 0xaa43, 0xaa43,
    0xaa4c, 0xaa4d, 0xaa7b, 0xaa7d, 0xaab0, 0xaab0, 0xaab2, 0xaab4, 0xaab7, 0xaab8, 0xaabe, 0xaabf,
    0xaac1, 0xaac1, 0xaaeb, 0xaaef, 0xaaf5, 0xaaf6, 0xabe3, 0xabea, 0xabec, 0xabed, 0xfb1e, 0xfb1e,
    0xfe00, 0xfe0f, 0xfe20, 0xfe2f, 0xfe33, 0xfe34, 0xfe4d, 0xfe4f, 0xff3f, 0xff3f, 0xff9e, 0xff9f,
    0x101fd, 0x101fd, 0x102e0, 0x102e0, 0x10376, 0x1037a, 0x10a01, 0x10a03, 0x10a05, 0x10a06,
    0x10a0c, 0x10a0f, 0x10a38, 0x10a3a, 0x10a3f, 0x10a3f, 0x10ae5, 0x10ae6, 0x10d24, 0x10d27,
    0x10eab, 0x10eac, 0x10f46, 0x10f50, 0x10f82, 0x10f85, 0x11000, 0x11002, 0x11038, 0x11046,
    0x11070, 0x11070, 0x11073, 0x11074, 0x1107f, 0x11082, 0x110b0, 0x110ba, 0x110c2, 0x110c2,
    0x11100, 0x11102, 0x11127, 0x11134, 0x11145, 0x11146, 0x11173, 0x11173, 0x11180, 0x11182,
    0x111b3, 0x111c0, 0x111c9, 0x111cc, 0x111ce, 0x111cf, 0x1122c, 0x11237, 0x1123e, 0x1123e,
    0x112df, 0x112ea, 0x11300, 0x11303, 0x1133b, 0x1133c, 0x1133e, 0x11344, 0x11347, 0x11348,
    0x1134b, 0x1134d, 0x11357, 0x11357, 0x11362, 0x11363, 0x11366, 0x1136c, 0x11370, 0x11374,
    0x11435, 0x11446, 0x1145e, 0x1145e, 0x114b0, 0x114c3, 0x115af, 0x115b5, 0x115b8, 0x115c0,
    0x115dc, 0x115dd, 0x11630, 0x11640, 0x116ab, 0x116b7, 0x1171d, 0x1172b, 0x1182c, 0x1183a,
    0x11930, 0x11935, 0x11937, 0x11938, 0x1193b, 0x1193e, 0x11940, 0x11940, 0x11942, 0x11943,
    0x119d1, 0x119d7, 0x119da, 0x119e0, 0x119e4, 0x119e4, 0x11a01, 0x11a0a, 0x11a33, 0x11a39,
    0x11a3b, 0x11a3e, 0x11a47, 0x11a47, 0x11a51, 0x11a5b, 0x11a8a, 0x11a99, 0x11c2f, 0x11c36,
    0x11c38, 0x11c3f, 0x11c92, 0x11ca7, 0x11ca9, 0x11cb6, 0x11d31, 0x11d36, 0x11d3a, 0x11d3a,
    0x11d3c, 0x11d3d, 0x11d3f, 0x11d45, 0x11d47, 0x11d47, 0x11d8a, 0x11d8e, 0x11d90, 0x11d91,
    0x11d93, 0x11d97, 0x11ef3, 0x11ef6, 0x16af0, 0x16af4, 0x16b30, 0x16b36, 0x16f4f, 0x16f4f,
    0x16f51, 0x16f87, 0x16f8f, 0x16f92, 0x16fe4, 0x16fe4, 0x16ff0, 0x16ff1, 0x1bc9d, 0x1bc9e,
    0x1cf00, 0x1cf2d, 0x1cf30, 0x1cf46, 0x1d165, 0x1d169, 0x1d16d, 0x1d172, 0x1d17b, 0x1d182,
    0x1d185, 0x1d18b, 0x1d1aa, 0x1d1ad, 0x1d242, 0x1d244, 0x1da00, 0x1da36, 0x1da3b, 0x1da6c,
    0x1da75, 0x1da75, 0x1da84, 0x1da84, 0x1da9b, 0x1da9f, 0x1daa1, 0x1daaf, 0x1e000, 0x1e006,
    0x1e008, 0x1e018, 0x1e01b, 0x1e021, 0x1e023, 0x1e024, 0x1e026, 0x1e02a, 0x1e130, 0x1e136,
    0x1e2ae, 0x1e2ae, 0x1e2ec, 0x1e2ef, 0x1e8d0, 0x1e8d6, 0x1e944, 0x1e94a, 0xe0100, 0xe01ef,
];

/// Characters whose `casefold()` differs from `lower()` (297 entries, sorted).
#[rustfmt::skip]
static CASEFOLD: [(u32, &str); 297] = [
    (0xb5, "\u{3bc}"), (0xdf, "\u{73}\u{73}"), (0x149, "\u{2bc}\u{6e}"), (0x17f, "\u{73}"),
    (0x1f0, "\u{6a}\u{30c}"), (0x345, "\u{3b9}"), (0x390, "\u{3b9}\u{308}\u{301}"),
    (0x3b0, "\u{3c5}\u{308}\u{301}"), (0x3c2, "\u{3c3}"), (0x3d0, "\u{3b2}"), (0x3d1, "\u{3b8}"),
    (0x3d5, "\u{3c6}"), (0x3d6, "\u{3c0}"), (0x3f0, "\u{3ba}"), (0x3f1, "\u{3c1}"),
    (0x3f5, "\u{3b5}"), (0x587, "\u{565}\u{582}"), (0x13a0, "\u{13a0}"), (0x13a1, "\u{13a1}"),
    (0x13a2, "\u{13a2}"), (0x13a3, "\u{13a3}"), (0x13a4, "\u{13a4}"), (0x13a5, "\u{13a5}"),
    (0x13a6, "\u{13a6}"), (0x13a7, "\u{13a7}"), (0x13a8, "\u{13a8}"), (0x13a9, "\u{13a9}"),
    (0x13aa, "\u{13aa}"), (0x13ab, "\u{13ab}"), (0x13ac, "\u{13ac}"), (0x13ad, "\u{13ad}"),
    (0x13ae, "\u{13ae}"), (0x13af, "\u{13af}"), (0x13b0, "\u{13b0}"), (0x13b1, "\u{13b1}"),
    (0x13b2, "\u{13b2}"), (0x13b3, "\u{13b3}"), (0x13b4, "\u{13b4}"), (0x13b5, "\u{13b5}"),
    (0x13b6, "\u{13b6}"), (0x13b7, "\u{13b7}"), (0x13b8, "\u{13b8}"), (0x13b9, "\u{13b9}"),
    (0x13ba, "\u{13ba}"), (0x13bb, "\u{13bb}"), (0x13bc, "\u{13bc}"), (0x13bd, "\u{13bd}"),
    (0x13be, "\u{13be}"), (0x13bf, "\u{13bf}"), (0x13c0, "\u{13c0}"), (0x13c1, "\u{13c1}"),
    (0x13c2, "\u{13c2}"), (0x13c3, "\u{13c3}"), (0x13c4, "\u{13c4}"), (0x13c5, "\u{13c5}"),
    (0x13c6, "\u{13c6}"), (0x13c7, "\u{13c7}"), (0x13c8, "\u{13c8}"), (0x13c9, "\u{13c9}"),
    (0x13ca, "\u{13ca}"), (0x13cb, "\u{13cb}"), (0x13cc, "\u{13cc}"), (0x13cd, "\u{13cd}"),
    (0x13ce, "\u{13ce}"), (0x13cf, "\u{13cf}"), (0x13d0, "\u{13d0}"), (0x13d1, "\u{13d1}"),
    (0x13d2, "\u{13d2}"), (0x13d3, "\u{13d3}"), (0x13d4, "\u{13d4}"), (0x13d5, "\u{13d5}"),
    (0x13d6, "\u{13d6}"), (0x13d7, "\u{13d7}"), (0x13d8, "\u{13d8}"), (0x13d9, "\u{13d9}"),
    (0x13da, "\u{13da}"), (0x13db, "\u{13db}"), (0x13dc, "\u{13dc}"), (0x13dd, "\u{13dd}"),
    (0x13de, "\u{13de}"), (0x13df, "\u{13df}"), (0x13e0, "\u{13e0}"), (0x13e1, "\u{13e1}"),
    (0x13e2, "\u{13e2}"), (0x13e3, "\u{13e3}"), (0x13e4, "\u{13e4}"), (0x13e5, "\u{13e5}"),
    (0x13e6, "\u{13e6}"), (0x13e7, "\u{13e7}"), (0x13e8, "\u{13e8}"), (0x13e9, "\u{13e9}"),
    (0x13ea, "\u{13ea}"), (0x13eb, "\u{13eb}"), (0x13ec, "\u{13ec}"), (0x13ed, "\u{13ed}"),
    (0x13ee, "\u{13ee}"), (0x13ef, "\u{13ef}"), (0x13f0, "\u{13f0}"), (0x13f1, "\u{13f1}"),
    (0x13f2, "\u{13f2}"), (0x13f3, "\u{13f3}"), (0x13f4, "\u{13f4}"), (0x13f5, "\u{13f5}"),
    (0x13f8, "\u{13f0}"), (0x13f9, "\u{13f1}"), (0x13fa, "\u{13f2}"), (0x13fb, "\u{13f3}"),
    (0x13fc, "\u{13f4}"), (0x13fd, "\u{13f5}"), (0x1c80, "\u{432}"), (0x1c81, "\u{434}"),
    (0x1c82, "\u{43e}"), (0x1c83, "\u{441}"), (0x1c84, "\u{442}"), (0x1c85, "\u{442}"),
    (0x1c86, "\u{44a}"), (0x1c87, "\u{463}"), (0x1c88, "\u{a64b}"), (0x1e96, "\u{68}\u{331}"),
    (0x1e97, "\u{74}\u{308}"), (0x1e98, "\u{77}\u{30a}"), (0x1e99, "\u{79}\u{30a}"),
    (0x1e9a, "\u{61}\u{2be}"), (0x1e9b, "\u{1e61}"), (0x1e9e, "\u{73}\u{73}"),
    (0x1f50, "\u{3c5}\u{313}"), (0x1f52, "\u{3c5}\u{313}\u{300}"),
    (0x1f54, "\u{3c5}\u{313}\u{301}"), (0x1f56, "\u{3c5}\u{313}\u{342}"),
    (0x1f80, "\u{1f00}\u{3b9}"), (0x1f81, "\u{1f01}\u{3b9}"), (0x1f82, "\u{1f02}\u{3b9}"),
    (0x1f83, "\u{1f03}\u{3b9}"), (0x1f84, "\u{1f04}\u{3b9}"), (0x1f85, "\u{1f05}\u{3b9}"),
    (0x1f86, "\u{1f06}\u{3b9}"), (0x1f87, "\u{1f07}\u{3b9}"), (0x1f88, "\u{1f00}\u{3b9}"),
    (0x1f89, "\u{1f01}\u{3b9}"), (0x1f8a, "\u{1f02}\u{3b9}"), (0x1f8b, "\u{1f03}\u{3b9}"),
    (0x1f8c, "\u{1f04}\u{3b9}"), (0x1f8d, "\u{1f05}\u{3b9}"), (0x1f8e, "\u{1f06}\u{3b9}"),
    (0x1f8f, "\u{1f07}\u{3b9}"), (0x1f90, "\u{1f20}\u{3b9}"), (0x1f91, "\u{1f21}\u{3b9}"),
    (0x1f92, "\u{1f22}\u{3b9}"), (0x1f93, "\u{1f23}\u{3b9}"), (0x1f94, "\u{1f24}\u{3b9}"),
    (0x1f95, "\u{1f25}\u{3b9}"), (0x1f96, "\u{1f26}\u{3b9}"), (0x1f97, "\u{1f27}\u{3b9}"),
    (0x1f98, "\u{1f20}\u{3b9}"), (0x1f99, "\u{1f21}\u{3b9}"), (0x1f9a, "\u{1f22}\u{3b9}"),
    (0x1f9b, "\u{1f23}\u{3b9}"), (0x1f9c, "\u{1f24}\u{3b9}"), (0x1f9d, "\u{1f25}\u{3b9}"),
    (0x1f9e, "\u{1f26}\u{3b9}"), (0x1f9f, "\u{1f27}\u{3b9}"), (0x1fa0, "\u{1f60}\u{3b9}"),
    (0x1fa1, "\u{1f61}\u{3b9}"), (0x1fa2, "\u{1f62}\u{3b9}"), (0x1fa3, "\u{1f63}\u{3b9}"),
    (0x1fa4, "\u{1f64}\u{3b9}"), (0x1fa5, "\u{1f65}\u{3b9}"), (0x1fa6, "\u{1f66}\u{3b9}"),
    (0x1fa7, "\u{1f67}\u{3b9}"), (0x1fa8, "\u{1f60}\u{3b9}"), (0x1fa9, "\u{1f61}\u{3b9}"),
    (0x1faa, "\u{1f62}\u{3b9}"), (0x1fab, "\u{1f63}\u{3b9}"), (0x1fac, "\u{1f64}\u{3b9}"),
    (0x1fad, "\u{1f65}\u{3b9}"), (0x1fae, "\u{1f66}\u{3b9}"), (0x1faf, "\u{1f67}\u{3b9}"),
    (0x1fb2, "\u{1f70}\u{3b9}"), (0x1fb3, "\u{3b1}\u{3b9}"), (0x1fb4, "\u{3ac}\u{3b9}"),
    (0x1fb6, "\u{3b1}\u{342}"), (0x1fb7, "\u{3b1}\u{342}\u{3b9}"), (0x1fbc, "\u{3b1}\u{3b9}"),
    (0x1fbe, "\u{3b9}"), (0x1fc2, "\u{1f74}\u{3b9}"), (0x1fc3, "\u{3b7}\u{3b9}"),
    (0x1fc4, "\u{3ae}\u{3b9}"), (0x1fc6, "\u{3b7}\u{342}"), (0x1fc7, "\u{3b7}\u{342}\u{3b9}"),
    (0x1fcc, "\u{3b7}\u{3b9}"), (0x1fd2, "\u{3b9}\u{308}\u{300}"),
    (0x1fd3, "\u{3b9}\u{308}\u{301}"), (0x1fd6, "\u{3b9}\u{342}"),
    (0x1fd7, "\u{3b9}\u{308}\u{342}"), (0x1fe2, "\u{3c5}\u{308}\u{300}"),
    (0x1fe3, "\u{3c5}\u{308}\u{301}"), (0x1fe4, "\u{3c1}\u{313}"), (0x1fe6, "\u{3c5}\u{342}"),
    (0x1fe7, "\u{3c5}\u{308}\u{342}"), (0x1ff2, "\u{1f7c}\u{3b9}"), (0x1ff3, "\u{3c9}\u{3b9}"),
    (0x1ff4, "\u{3ce}\u{3b9}"), (0x1ff6, "\u{3c9}\u{342}"), (0x1ff7, "\u{3c9}\u{342}\u{3b9}"),
    (0x1ffc, "\u{3c9}\u{3b9}"), (0xab70, "\u{13a0}"), (0xab71, "\u{13a1}"), (0xab72, "\u{13a2}"),
    (0xab73, "\u{13a3}"), (0xab74, "\u{13a4}"), (0xab75, "\u{13a5}"), (0xab76, "\u{13a6}"),
    (0xab77, "\u{13a7}"), (0xab78, "\u{13a8}"), (0xab79, "\u{13a9}"), (0xab7a, "\u{13aa}"),
    (0xab7b, "\u{13ab}"), (0xab7c, "\u{13ac}"), (0xab7d, "\u{13ad}"), (0xab7e, "\u{13ae}"),
    (0xab7f, "\u{13af}"), (0xab80, "\u{13b0}"), (0xab81, "\u{13b1}"), (0xab82, "\u{13b2}"),
    (0xab83, "\u{13b3}"), (0xab84, "\u{13b4}"), (0xab85, "\u{13b5}"), (0xab86, "\u{13b6}"),
    (0xab87, "\u{13b7}"), (0xab88, "\u{13b8}"), (0xab89, "\u{13b9}"), (0xab8a, "\u{13ba}"),
    (0xab8b, "\u{13bb}"), (0xab8c, "\u{13bc}"), (0xab8d, "\u{13bd}"), (0xab8e, "\u{13be}"),
    (0xab8f, "\u{13bf}"), (0xab90, "\u{13c0}"), (0xab91, "\u{13c1}"), (0xab92, "\u{13c2}"),
    (0xab93, "\u{13c3}"), (0xab94, "\u{13c4}"), (0xab95, "\u{13c5}"), (0xab96, "\u{13c6}"),
    (0xab97, "\u{13c7}"), (0xab98, "\u{13c8}"), (0xab99, "\u{13c9}"), (0xab9a, "\u{13ca}"),
    (0xab9b, "\u{13cb}"), (0xab9c, "\u{13cc}"), (0xab9d, "\u{13cd}"), (0xab9e, "\u{13ce}"),
    (0xab9f, "\u{13cf}"), (0xaba0, "\u{13d0}"), (0xaba1, "\u{13d1}"), (0xaba2, "\u{13d2}"),
    (0xaba3, "\u{13d3}"), (0xaba4, "\u{13d4}"), (0xaba5, "\u{13d5}"), (0xaba6, "\u{13d6}"),
    (0xaba7, "\u{13d7}"), (0xaba8, "\u{13d8}"), (0xaba9, "\u{13d9}"), (0xabaa, "\u{13da}"),
    (0xabab, "\u{13db}"), (0xabac, "\u{13dc}"), (0xabad, "\u{13dd}"), (0xabae, "\u{13de}"),
    (0xabaf, "\u{13df}"), (0xabb0, "\u{13e0}"), (0xabb1, "\u{13e1}"), (0xabb2, "\u{13e2}"),
    (0xabb3, "\u{13e3}"), (0xabb4, "\u{13e4}"), (0xabb5, "\u{13e5}"), (0xabb6, "\u{13e6}"),
    (0xabb7, "\u{13e7}"), (0xabb8, "\u{13e8}"), (0xabb9, "\u{13e9}"), (0xabba, "\u{13ea}"),
    (0xabbb, "\u{13eb}"), (0xabbc, "\u{13ec}"), (0xabbd, "\u{13ed}"), (0xabbe, "\u{13ee}"),
    (0xabbf, "\u{13ef}"), (0xfb00, "\u{66}\u{66}"), (0xfb01, "\u{66}\u{69}"),
    (0xfb02, "\u{66}\u{6c}"), (0xfb03, "\u{66}\u{66}\u{69}"), (0xfb04, "\u{66}\u{66}\u{6c}"),
    (0xfb05, "\u{73}\u{74}"), (0xfb06, "\u{73}\u{74}"), (0xfb13, "\u{574}\u{576}"),
    (0xfb14, "\u{574}\u{565}"), (0xfb15, "\u{574}\u{56b}"), (0xfb16, "\u{57e}\u{576}"),
    (0xfb17, "\u{574}\u{56d}"),
];

/// Characters whose `title()` differs from `upper()` (135 entries, sorted).
#[rustfmt::skip]
static TITLECASE: [(u32, &str); 135] = [
    (0xdf, "\u{53}\u{73}"), (0x1c4, "\u{1c5}"), (0x1c5, "\u{1c5}"), (0x1c6, "\u{1c5}"),
    (0x1c7, "\u{1c8}"), (0x1c8, "\u{1c8}"), (0x1c9, "\u{1c8}"), (0x1ca, "\u{1cb}"),
    (0x1cb, "\u{1cb}"), (0x1cc, "\u{1cb}"), (0x1f1, "\u{1f2}"), (0x1f2, "\u{1f2}"),
    (0x1f3, "\u{1f2}"), (0x587, "\u{535}\u{582}"), (0x10d0, "\u{10d0}"), (0x10d1, "\u{10d1}"),
    (0x10d2, "\u{10d2}"), (0x10d3, "\u{10d3}"), (0x10d4, "\u{10d4}"), (0x10d5, "\u{10d5}"),
    (0x10d6, "\u{10d6}"), (0x10d7, "\u{10d7}"), (0x10d8, "\u{10d8}"), (0x10d9, "\u{10d9}"),
    (0x10da, "\u{10da}"), (0x10db, "\u{10db}"), (0x10dc, "\u{10dc}"), (0x10dd, "\u{10dd}"),
    (0x10de, "\u{10de}"), (0x10df, "\u{10df}"), (0x10e0, "\u{10e0}"), (0x10e1, "\u{10e1}"),
    (0x10e2, "\u{10e2}"), (0x10e3, "\u{10e3}"), (0x10e4, "\u{10e4}"), (0x10e5, "\u{10e5}"),
    (0x10e6, "\u{10e6}"), (0x10e7, "\u{10e7}"), (0x10e8, "\u{10e8}"), (0x10e9, "\u{10e9}"),
    (0x10ea, "\u{10ea}"), (0x10eb, "\u{10eb}"), (0x10ec, "\u{10ec}"), (0x10ed, "\u{10ed}"),
    (0x10ee, "\u{10ee}"), (0x10ef, "\u{10ef}"), (0x10f0, "\u{10f0}"), (0x10f1, "\u{10f1}"),
    (0x10f2, "\u{10f2}"), (0x10f3, "\u{10f3}"), (0x10f4, "\u{10f4}"), (0x10f5, "\u{10f5}"),
    (0x10f6, "\u{10f6}"), (0x10f7, "\u{10f7}"), (0x10f8, "\u{10f8}"), (0x10f9, "\u{10f9}"),
    (0x10fa, "\u{10fa}"), (0x10fd, "\u{10fd}"), (0x10fe, "\u{10fe}"), (0x10ff, "\u{10ff}"),
    (0x1f80, "\u{1f88}"), (0x1f81, "\u{1f89}"), (0x1f82, "\u{1f8a}"), (0x1f83, "\u{1f8b}"),
    (0x1f84, "\u{1f8c}"), (0x1f85, "\u{1f8d}"), (0x1f86, "\u{1f8e}"), (0x1f87, "\u{1f8f}"),
    (0x1f88, "\u{1f88}"), (0x1f89, "\u{1f89}"), (0x1f8a, "\u{1f8a}"), (0x1f8b, "\u{1f8b}"),
    (0x1f8c, "\u{1f8c}"), (0x1f8d, "\u{1f8d}"), (0x1f8e, "\u{1f8e}"), (0x1f8f, "\u{1f8f}"),
    (0x1f90, "\u{1f98}"), (0x1f91, "\u{1f99}"), (0x1f92, "\u{1f9a}"), (0x1f93, "\u{1f9b}"),
    (0x1f94, "\u{1f9c}"), (0x1f95, "\u{1f9d}"), (0x1f96, "\u{1f9e}"), (0x1f97, "\u{1f9f}"),
    (0x1f98, "\u{1f98}"), (0x1f99, "\u{1f99}"), (0x1f9a, "\u{1f9a}"), (0x1f9b, "\u{1f9b}"),
    (0x1f9c, "\u{1f9c}"), (0x1f9d, "\u{1f9d}"), (0x1f9e, "\u{1f9e}"), (0x1f9f, "\u{1f9f}"),
    (0x1fa0, "\u{1fa8}"), (0x1fa1, "\u{1fa9}"), (0x1fa2, "\u{1faa}"), (0x1fa3, "\u{1fab}"),
    (0x1fa4, "\u{1fac}"), (0x1fa5, "\u{1fad}"), (0x1fa6, "\u{1fae}"), (0x1fa7, "\u{1faf}"),
    (0x1fa8, "\u{1fa8}"), (0x1fa9, "\u{1fa9}"), (0x1faa, "\u{1faa}"), (0x1fab, "\u{1fab}"),
    (0x1fac, "\u{1fac}"), (0x1fad, "\u{1fad}"), (0x1fae, "\u{1fae}"), (0x1faf, "\u{1faf}"),
    (0x1fb2, "\u{1fba}\u{345}"), (0x1fb3, "\u{1fbc}"), (0x1fb4, "\u{386}\u{345}"),
    (0x1fb7, "\u{391}\u{342}\u{345}"), (0x1fbc, "\u{1fbc}"), (0x1fc2, "\u{1fca}\u{345}"),
    (0x1fc3, "\u{1fcc}"), (0x1fc4, "\u{389}\u{345}"), (0x1fc7, "\u{397}\u{342}\u{345}"),
    (0x1fcc, "\u{1fcc}"), (0x1ff2, "\u{1ffa}\u{345}"), (0x1ff3, "\u{1ffc}"),
    (0x1ff4, "\u{38f}\u{345}"), (0x1ff7, "\u{3a9}\u{342}\u{345}"), (0x1ffc, "\u{1ffc}"),
    (0xfb00, "\u{46}\u{66}"), (0xfb01, "\u{46}\u{69}"), (0xfb02, "\u{46}\u{6c}"),
    (0xfb03, "\u{46}\u{66}\u{69}"), (0xfb04, "\u{46}\u{66}\u{6c}"), (0xfb05, "\u{53}\u{74}"),
    (0xfb06, "\u{53}\u{74}"), (0xfb13, "\u{544}\u{576}"), (0xfb14, "\u{544}\u{565}"),
    (0xfb15, "\u{544}\u{56b}"), (0xfb16, "\u{54e}\u{576}"), (0xfb17, "\u{544}\u{56d}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_ranges(table: &[u32]) -> bool {
        table.len().is_multiple_of(2)
            && table.chunks_exact(2).all(|p| p[0] <= p[1])
            && table.windows(2).all(|w| w[0] <= w[1])
    }

    #[test]
    fn tables_are_sorted_ranges() {
        for t in [
            &ALPHA[..],
            &DECIMAL,
            &DIGIT_EXTRA,
            &NUMERIC_EXTRA,
            &PRINTABLE,
            &ID_START_XOR,
            &ID_CONTINUE_XOR,
        ] {
            assert!(sorted_ranges(t));
        }
        assert!(CASEFOLD.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TITLECASE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn decimal_runs_start_at_zero() {
        assert!(DECIMAL.chunks_exact(2).all(|p| (p[1] - p[0] + 1) % 10 == 0));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('x'), None);
    }

    #[test]
    fn classification() {
        assert!(is_alpha('中') && !is_alpha('Ⅻ') && is_numeric('一') && is_numeric('Ⅻ'));
        assert!(is_digit('²') && !is_decimal('²') && is_numeric('½') && !is_digit('½'));
        assert!(is_xid_start('_') && !is_xid_start('1') && is_xid_continue('1'));
        assert!(is_space('\x1c') && is_space('\u{3000}') && !is_space('\u{200b}'));
        assert!(!is_printable('\u{a0}') && is_printable('é'));
    }

    #[test]
    fn whitespace_splitting() {
        assert_eq!(split_whitespace("  a  b c ", usize::MAX), ["a", "b", "c"]);
        assert_eq!(split_whitespace("  a  b c ", 1), ["a", "b c "]);
        assert_eq!(rsplit_whitespace("  a  b c ", 1), ["  a  b", "c"]);
        assert_eq!(split_whitespace("\u{3000}é\u{a0}ü", usize::MAX), ["é", "ü"]);
        assert!(split_whitespace("   ", usize::MAX).is_empty());
    }

    #[test]
    fn index_adjustment() {
        assert_eq!(adjust_indices(None, None, 5), (0, 5));
        assert_eq!(adjust_indices(Some(-2), Some(-1), 5), (3, 4));
        assert_eq!(adjust_indices(Some(i64::MIN), Some(i64::MAX), 5), (0, 5));
        assert_eq!(adjust_indices(Some(7), None, 5), (7, 5));
    }
}
