//! Methods of `bytes`.
//!
//! Semantics and messages follow CPython 3.11 (`Objects/bytesobject.c`,
//! `Objects/bytes_methods.c`, `Objects/stringlib/`). Bytes are ASCII-only where text
//! matters: case mapping, classification and whitespace concern ASCII letters, digits and
//! ` \t\n\r\x0b\x0c`, never other bytes. Argument shapes are shared with `str`
//! (`method_args.rs`), and so is splitting (`split.rs`).

use std::sync::Arc;

use super::bytes::{as_bytes, byte_value, bytes_like, from_hex, to_hex};
use super::method_args::{
    self as margs, is_title, keyword_args, memory_error, receiver_value, search_range, ssize_arg,
    Case, Pad, MAX_RESULT,
};
use super::{codec, split, Builtin, Exc, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
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
    // Case (ASCII only).
    t.add_method("upper", upper);
    t.add_method("lower", lower);
    t.add_method("swapcase", swapcase);
    t.add_method("capitalize", capitalize);
    t.add_method("title", title);
    // Classification (ASCII only).
    t.add_method("isdigit", isdigit);
    t.add_method("isalpha", isalpha);
    t.add_method("isalnum", isalnum);
    t.add_method("isspace", isspace);
    t.add_method("isupper", isupper);
    t.add_method("islower", islower);
    t.add_method("istitle", istitle);
    t.add_method("isascii", isascii);
    // Padding.
    t.add_method("center", center);
    t.add_method("ljust", ljust);
    t.add_method("rjust", rjust);
    t.add_method("zfill", zfill);
    // Conversion.
    t.add_method("decode", decode);
    t.add_method("hex", hex);
    // A class method in CPython: a plain function here, which attribute lookup returns
    // unbound both from `bytes` and from an instance, so `args[0]` is the string.
    t.set_attr(
        "fromhex",
        Value::Builtin(Arc::new(Builtin::function("fromhex", fromhex))),
    );
}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/// The receiver's data (the VM has already checked its type).
fn receiver(args: &[Value]) -> ToyResult<&[u8]> {
    args.first()
        .and_then(as_bytes)
        .ok_or_else(|| Exc::type_error("descriptor requires a 'bytes' object"))
}

/// `bytes.upper()` and the other methods without arguments.
fn no_args<'a>(name: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a [u8]> {
    margs::no_args("bytes", name, args, kw)?;
    receiver(args)
}

/// Positional-only arguments (see `method_args::positional`).
fn positional<'a>(
    name: &str,
    args: &'a [Value],
    kw: Kw,
    min: usize,
    max: usize,
) -> ToyResult<(&'a [u8], &'a [Value])> {
    let rest = margs::positional("bytes", name, args, kw, min, max)?;
    Ok((receiver(args)?, rest))
}

fn new(data: &[u8]) -> Value {
    Value::bytes(data.to_vec())
}

/// `data` as the result of a method: the receiver itself when nothing changed (as CPython
/// returns it), a new object otherwise.
fn same_or_new(args: &[Value], original: &[u8], data: &[u8]) -> Value {
    if data.len() == original.len() && matches!(args.first(), Some(Value::Bytes(_))) {
        receiver_value(args)
    } else {
        new(data)
    }
}

/// Python's `Py_ISSPACE` on bytes.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

// ---------------------------------------------------------------------------
// join, split, strip, partition
// ---------------------------------------------------------------------------

fn join(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sep, rest) = positional("join", args, kw, 1, 1)?;
    let iterable = &rest[0];
    if !vm.is_iterable(iterable) {
        return Err(Exc::type_error("can only join an iterable"));
    }
    let items = vm.collect(iterable)?;
    let mut total = sep.len().saturating_mul(items.len().saturating_sub(1));
    for (i, item) in items.iter().enumerate() {
        match as_bytes(item) {
            Some(b) => total = total.saturating_add(b.len()),
            None => {
                return Err(Exc::type_error(format!(
                    "sequence item {i}: expected a bytes-like object, {} found",
                    item.type_name()
                )))
            }
        }
    }
    if total > MAX_RESULT {
        return Err(memory_error());
    }
    let mut out = Vec::with_capacity(total);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(as_bytes(item).unwrap_or_default());
    }
    Ok(Value::bytes(out))
}

fn split(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    split_impl(vm, args, kw, "split", false)
}

fn rsplit(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    split_impl(vm, args, kw, "rsplit", true)
}

fn split_impl(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, reverse: bool) -> ToyResult<Value> {
    let [sep, maxsplit] = keyword_args(name, args, kw, ["sep", "maxsplit"])?;
    let data = receiver(args)?;
    let limit = match maxsplit {
        Some(v) => usize::try_from(ssize_arg(vm, v)?).unwrap_or(usize::MAX),
        None => usize::MAX,
    };
    let mut parts = Vec::new();
    let mut emit = |a: usize, b: usize| parts.push(new(&data[a..b]));
    match sep {
        None | Some(Value::None) if reverse => {
            split::rsplit_whitespace(data, limit, is_space, &mut emit)
        }
        None | Some(Value::None) => split::split_whitespace(data, limit, is_space, &mut emit),
        Some(sep) => {
            let sep = bytes_like(sep)?;
            if sep.is_empty() {
                return Err(Exc::value_error("empty separator"));
            }
            if reverse {
                split::rsplit_on(data, sep, limit, &mut emit)
            } else {
                split::split_on(data, sep, limit, &mut emit)
            }
        }
    }
    if reverse {
        parts.reverse();
    }
    Ok(Value::list(parts))
}

/// `splitlines(keepends=False)`: bytes break lines at `\n`, `\r` and `\r\n` only.
fn splitlines(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [keepends] = keyword_args("splitlines", args, kw, ["keepends"])?;
    let data = receiver(args)?;
    let keepends = match keepends {
        Some(v) => margs::c_int_arg(vm, v)? != 0,
        None => false,
    };
    let n = data.len();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        while i < n && data[i] != b'\n' && data[i] != b'\r' {
            i += 1;
        }
        let eol = i;
        if i < n {
            i += if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        parts.push(new(&data[start..if keepends { i } else { eol }]));
    }
    Ok(Value::list(parts))
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
    let (data, rest) = positional(name, args, kw, 0, 1)?;
    let set: Option<&[u8]> = match rest.first() {
        None | Some(Value::None) => None,
        Some(v) => Some(bytes_like(v)?),
    };
    let strip = |c: &u8| match set {
        None => is_space(*c),
        Some(set) => set.contains(c),
    };
    let mut out = data;
    if left {
        let skip = out.iter().take_while(|c| strip(c)).count();
        out = &out[skip..];
    }
    if right {
        let skip = out.iter().rev().take_while(|c| strip(c)).count();
        out = &out[..out.len() - skip];
    }
    Ok(same_or_new(args, data, out))
}

fn partition(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    partition_impl(args, kw, "partition", false)
}

fn rpartition(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    partition_impl(args, kw, "rpartition", true)
}

fn partition_impl(args: &[Value], kw: Kw, name: &str, reverse: bool) -> ToyResult<Value> {
    let (data, rest) = positional(name, args, kw, 1, 1)?;
    let sep_value = &rest[0];
    let sep = bytes_like(sep_value)?;
    if sep.is_empty() {
        return Err(Exc::value_error("empty separator"));
    }
    let found = if reverse {
        memchr::memmem::rfind(data, sep)
    } else {
        memchr::memmem::find(data, sep)
    };
    let empty = || Value::bytes(Vec::new());
    Ok(match found {
        Some(i) => Value::tuple(vec![new(&data[..i]), new(sep), new(&data[i + sep.len()..])]),
        None if reverse => Value::tuple(vec![empty(), empty(), receiver_value(args)]),
        None => Value::tuple(vec![receiver_value(args), empty(), empty()]),
    })
}

fn removeprefix(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_affix(args, kw, "removeprefix", false)
}

fn removesuffix(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_affix(args, kw, "removesuffix", true)
}

fn remove_affix(args: &[Value], kw: Kw, name: &str, suffix: bool) -> ToyResult<Value> {
    let (data, rest) = positional(name, args, kw, 1, 1)?;
    let affix = bytes_like(&rest[0])?;
    let stripped = if suffix {
        data.strip_suffix(affix)
    } else {
        data.strip_prefix(affix)
    };
    Ok(same_or_new(args, data, stripped.unwrap_or(data)))
}

// ---------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------

/// The needle of `find`/`count`/`index`: a bytes-like object or one byte value.
fn needle(v: &Value) -> ToyResult<Needle<'_>> {
    match v {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => Ok(Needle::Byte([byte_value(v)?])),
        _ => match as_bytes(v) {
            Some(b) => Ok(Needle::Bytes(b)),
            None => Err(Exc::type_error(format!(
                "argument should be integer or bytes-like object, not '{}'",
                v.type_name()
            ))),
        },
    }
}

enum Needle<'a> {
    Bytes(&'a [u8]),
    Byte([u8; 1]),
}

impl Needle<'_> {
    fn as_slice(&self) -> &[u8] {
        match self {
            Needle::Bytes(b) => b,
            Needle::Byte(b) => b,
        }
    }
}

/// Where the needle first (or last) occurs in `data[start..end]`, as an index into `data`.
fn find_impl(
    vm: &mut Vm,
    args: &[Value],
    kw: Kw,
    name: &str,
    reverse: bool,
) -> ToyResult<Option<usize>> {
    let (sub, bounds) = margs::find_args("bytes", name, args, kw)?;
    let data = receiver(args)?;
    let sub = needle(sub)?;
    let sub = sub.as_slice();
    let (start, end) = search_range(vm, bounds, data.len())?;
    if end < start || end - start < sub.len() {
        return Ok(None);
    }
    let hay = &data[start..end];
    let found = if reverse {
        memchr::memmem::rfind(hay, sub)
    } else {
        memchr::memmem::find(hay, sub)
    };
    Ok(found.map(|i| start + i))
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
        None => Err(Exc::value_error("subsection not found")),
    }
}

fn rindex(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    match find_impl(vm, args, kw, "rindex", true)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => Err(Exc::value_error("subsection not found")),
    }
}

fn count(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sub, bounds) = margs::find_args("bytes", "count", args, kw)?;
    let data = receiver(args)?;
    let sub = needle(sub)?;
    let sub = sub.as_slice();
    let (start, end) = search_range(vm, bounds, data.len())?;
    if end < start {
        return Ok(Value::Int(0));
    }
    if sub.is_empty() {
        return Ok(Value::Int((end - start + 1) as i64));
    }
    let hay = &data[start..end];
    let n = match sub {
        &[b] => memchr::memchr_iter(b, hay).count(),
        _ => memchr::memmem::find_iter(hay, sub).count(),
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
    let (affix, bounds) = margs::find_args("bytes", name, args, kw)?;
    let data = receiver(args)?;
    let (start, end) = search_range(vm, bounds, data.len())?;
    let matches = |sub: &[u8]| {
        if end < start || end - start < sub.len() {
            return false;
        }
        let hay = &data[start..end];
        if suffix {
            hay.ends_with(sub)
        } else {
            hay.starts_with(sub)
        }
    };
    if let Value::Tuple(t) = affix {
        for item in t.items() {
            if matches(bytes_like(item)?) {
                return Ok(Value::Bool(true));
            }
        }
        return Ok(Value::Bool(false));
    }
    match as_bytes(affix) {
        Some(sub) => Ok(Value::Bool(matches(sub))),
        None => Err(Exc::type_error(format!(
            "{name} first arg must be bytes or a tuple of bytes, not {}",
            affix.type_name()
        ))),
    }
}

fn replace(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (data, rest) = positional("replace", args, kw, 2, 3)?;
    let old = bytes_like(&rest[0])?;
    let new_bytes = bytes_like(&rest[1])?;
    let count = match rest.get(2) {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    // Where `old` occurs: before every byte and at the end when it is empty.
    let hits: Vec<usize> = if old.is_empty() {
        (0..=data.len()).take(limit).collect()
    } else {
        memchr::memmem::find_iter(data, old).take(limit).collect()
    };
    if hits.is_empty() {
        return Ok(same_or_new(args, data, data));
    }
    let size = (data.len() - hits.len() * old.len())
        .saturating_add(hits.len().saturating_mul(new_bytes.len()));
    if size > MAX_RESULT {
        return Err(memory_error());
    }
    let mut out = Vec::with_capacity(size);
    let mut copied = 0;
    for at in hits {
        out.extend_from_slice(&data[copied..at]);
        out.extend_from_slice(new_bytes);
        copied = at + old.len();
    }
    out.extend_from_slice(&data[copied..]);
    Ok(Value::bytes(out))
}

// ---------------------------------------------------------------------------
// Case and classification (ASCII)
// ---------------------------------------------------------------------------

fn map_bytes(name: &str, args: &[Value], kw: Kw, f: impl Fn(&[u8]) -> Vec<u8>) -> ToyResult<Value> {
    let data = no_args(name, args, kw)?;
    Ok(Value::bytes(f(data)))
}

fn upper(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    map_bytes("upper", args, kw, |d| d.to_ascii_uppercase())
}

fn lower(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    map_bytes("lower", args, kw, |d| d.to_ascii_lowercase())
}

fn swapcase(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    map_bytes("swapcase", args, kw, |d| {
        d.iter()
            .map(|&c| match c {
                b'a'..=b'z' => c.to_ascii_uppercase(),
                b'A'..=b'Z' => c.to_ascii_lowercase(),
                _ => c,
            })
            .collect()
    })
}

fn capitalize(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    map_bytes("capitalize", args, kw, |d| {
        d.iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

/// `title()`: a letter after a letter is lowered, any other letter raised.
fn title(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    map_bytes("title", args, kw, |d| {
        let mut previous_cased = false;
        d.iter()
            .map(|&c| {
                let out = if previous_cased {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                };
                previous_cased = c.is_ascii_alphabetic();
                out
            })
            .collect()
    })
}

/// Non-empty and every byte satisfies `pred`.
fn all_bytes(name: &str, args: &[Value], kw: Kw, pred: impl Fn(u8) -> bool) -> ToyResult<Value> {
    let data = no_args(name, args, kw)?;
    Ok(Value::Bool(
        !data.is_empty() && data.iter().all(|&c| pred(c)),
    ))
}

fn isdigit(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    all_bytes("isdigit", args, kw, |c| c.is_ascii_digit())
}

fn isalpha(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    all_bytes("isalpha", args, kw, |c| c.is_ascii_alphabetic())
}

fn isalnum(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    all_bytes("isalnum", args, kw, |c| c.is_ascii_alphanumeric())
}

fn isspace(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    all_bytes("isspace", args, kw, is_space)
}

fn isascii(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let data = no_args("isascii", args, kw)?;
    Ok(Value::Bool(data.is_ascii()))
}

/// At least one cased byte, and none of the other case.
fn isupper(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let data = no_args("isupper", args, kw)?;
    Ok(Value::Bool(
        data.iter().any(u8::is_ascii_uppercase) && !data.iter().any(u8::is_ascii_lowercase),
    ))
}

fn islower(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let data = no_args("islower", args, kw)?;
    Ok(Value::Bool(
        data.iter().any(u8::is_ascii_lowercase) && !data.iter().any(u8::is_ascii_uppercase),
    ))
}

/// Uppercase letters only after uncased bytes, lowercase only after cased ones, and at
/// least one cased byte.
fn istitle(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let data = no_args("istitle", args, kw)?;
    let case = |c: &u8| {
        if c.is_ascii_uppercase() {
            Case::Upper
        } else if c.is_ascii_lowercase() {
            Case::Lower
        } else {
            Case::Uncased
        }
    };
    Ok(Value::Bool(is_title(data.iter().map(case))))
}

// ---------------------------------------------------------------------------
// Padding
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

/// `width` as a result size: MemoryError past the limit, `None` when no padding is needed.
fn pad_width(vm: &mut Vm, width: &Value, len: usize) -> ToyResult<Option<usize>> {
    let width = ssize_arg(vm, width)?;
    if width <= len as i64 {
        return Ok(None);
    }
    if width as u64 > MAX_RESULT as u64 {
        return Err(memory_error());
    }
    Ok(Some(width as usize))
}

fn pad_impl(vm: &mut Vm, args: &[Value], kw: Kw, name: &str, how: Pad) -> ToyResult<Value> {
    let (data, rest) = positional(name, args, kw, 1, 2)?;
    let fill = match rest.get(1) {
        None => b' ',
        Some(v) => match as_bytes(v) {
            Some(&[b]) => b,
            _ => {
                return Err(Exc::type_error(format!(
                    "{name}() argument 2 must be a byte string of length 1, not {}",
                    v.type_name()
                )))
            }
        },
    };
    let Some(width) = pad_width(vm, &rest[0], data.len())? else {
        return Ok(same_or_new(args, data, data));
    };
    let total = width - data.len();
    let left = how.fill_before(total, width);
    let mut out = Vec::with_capacity(width);
    out.resize(left, fill);
    out.extend_from_slice(data);
    out.resize(width, fill);
    Ok(Value::bytes(out))
}

fn zfill(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (data, rest) = positional("zfill", args, kw, 1, 1)?;
    let Some(width) = pad_width(vm, &rest[0], data.len())? else {
        return Ok(same_or_new(args, data, data));
    };
    let mut out = Vec::with_capacity(width);
    let digits = match data.first() {
        Some(&sign @ (b'+' | b'-')) => {
            out.push(sign);
            &data[1..]
        }
        _ => data,
    };
    out.resize(width - digits.len(), b'0');
    out.extend_from_slice(digits);
    Ok(Value::bytes(out))
}

// ---------------------------------------------------------------------------
// decode, hex, fromhex
// ---------------------------------------------------------------------------

fn decode(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [encoding, errors] = keyword_args("decode", args, kw, ["encoding", "errors"])?;
    let data = receiver(args)?;
    let (encoding, errors) = codec::encoding_args("decode", encoding, errors)?;
    Ok(Value::string(codec::decode(data, encoding, errors)?))
}

fn hex(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [sep, per_sep] = keyword_args("hex", args, kw, ["sep", "bytes_per_sep"])?;
    let data = receiver(args)?;
    let sep = match sep {
        None => None,
        Some(v) => {
            let sep: &[u8] = match v {
                Value::Str(s) => s.as_str().as_bytes(),
                other => match as_bytes(other) {
                    Some(b) => b,
                    None => {
                        return Err(Exc::type_error(format!(
                            "object of type '{}' has no len()",
                            other.type_name()
                        )))
                    }
                },
            };
            let one_char = match v {
                Value::Str(s) => s.char_len() == 1,
                _ => sep.len() == 1,
            };
            if !one_char {
                return Err(Exc::value_error("sep must be length 1."));
            }
            match sep {
                &[b] if b.is_ascii() => Some(b),
                _ => return Err(Exc::value_error("sep must be ASCII.")),
            }
        }
    };
    let per_sep = match per_sep {
        Some(v) => i64::from(margs::c_int_arg(vm, v)?),
        None => 1,
    };
    Ok(Value::string(to_hex(data, sep, per_sep)))
}

/// `bytes.fromhex(string)`.
fn fromhex(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("bytes.fromhex", kw)?;
    args::count("bytes.fromhex", args, 1, 1)?;
    match &args[0] {
        Value::Str(s) => Ok(Value::bytes(from_hex(s.as_str())?)),
        other => Err(Exc::type_error(format!(
            "fromhex() argument must be str, not {}",
            other.type_name()
        ))),
    }
}
