//! `bytes`: an immutable sequence of bytes, `Value::Bytes(Arc<Vec<u8>>)`.
//!
//! This file holds what the rest of the interpreter needs to know about bytes (repr, hash,
//! construction, the "bytes-like" argument check, `in`, hex text); the methods are in
//! `bytes_methods.rs`, the text codecs in `codec.rs`.

use std::sync::Arc;

use super::method_args::{memory_error, MAX_RESULT};
use super::{codec, Exc, ToyResult, Value};
use crate::vm::Vm;

impl Value {
    pub fn bytes(data: Vec<u8>) -> Value {
        Value::Bytes(Arc::new(data))
    }
}

/// `repr()` of bytes, as CPython writes it: `b'...'` (or `b"..."` when the data holds a
/// single quote and no double quote), printable ASCII as is, `\t \n \r \\` escaped, every
/// other byte as `\xhh`.
pub fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\x");
                out.push(HEX[(c >> 4) as usize] as char);
                out.push(HEX[(c & 15) as usize] as char);
            }
        }
    }
    out.push(quote as char);
    out
}

/// The hash of bytes. ASCII data hashes as the str of the same text, as in CPython
/// (`hash(b'ab') == hash('ab')`); other data by its bytes.
pub fn hash_bytes(b: &[u8]) -> u64 {
    match std::str::from_utf8(b) {
        Ok(s) if b.is_ascii() => super::str::hash_str(s),
        _ => {
            use std::hash::BuildHasher;
            let h = foldhash::fast::FixedState::with_seed(0x62_79).hash_one(b) >> 2;
            h.max(1)
        }
    }
}

/// The data of a bytes value, or of an instance of a subclass of bytes.
pub fn as_bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::Bytes(b) => Some(b),
        Value::Instance(_) => match super::types::base_value(v) {
            Some(Value::Bytes(b)) => Some(b),
            _ => None,
        },
        _ => None,
    }
}

/// A "bytes-like object" argument (toy has no bytearray or memoryview yet: bytes only).
pub fn bytes_like(v: &Value) -> ToyResult<&[u8]> {
    as_bytes(v).ok_or_else(|| {
        Exc::type_error(format!(
            "a bytes-like object is required, not '{}'",
            v.type_name()
        ))
    })
}

/// `item in data`: an int in range(256) or a bytes subsequence.
pub fn contains(data: &[u8], item: &Value) -> ToyResult<bool> {
    match item {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => Ok(data.contains(&byte_value(item)?)),
        _ => {
            let sub = bytes_like(item)?;
            Ok(memchr::memmem::find(data, sub).is_some())
        }
    }
}

/// An int argument that must be a byte value (`in`, `find(98)`, `count(98)`).
pub fn byte_value(v: &Value) -> ToyResult<u8> {
    match super::int::to_i64(v) {
        Some(n @ 0..=255) => Ok(n as u8),
        _ => Err(Exc::value_error("byte must be in range(0, 256)")),
    }
}

/// `bytes(source, encoding, errors)`: the data of a new bytes object.
pub fn from_source(
    vm: &mut Vm,
    source: Option<&Value>,
    encoding: Option<&Value>,
    errors: Option<&Value>,
) -> ToyResult<Vec<u8>> {
    let Some(source) = source else {
        if encoding.is_some() || errors.is_some() {
            let what = if encoding.is_some() {
                "encoding"
            } else {
                "errors"
            };
            return Err(Exc::type_error(format!("{what} without a string argument")));
        }
        return Ok(Vec::new());
    };
    if let Value::Str(s) = source {
        if encoding.is_none() {
            return Err(Exc::type_error("string argument without an encoding"));
        }
        let (encoding, errors) = codec::encoding_args("bytes", encoding, errors)?;
        return codec::encode(s.as_str(), encoding, errors);
    }
    if encoding.is_some() {
        return Err(Exc::type_error("encoding without a string argument"));
    }
    if errors.is_some() {
        return Err(Exc::type_error("errors without a string argument"));
    }
    if let Some(b) = as_bytes(source) {
        return Ok(b.to_vec());
    }
    if let Value::Instance(_) = source {
        if let Some(m) = vm.lookup_special(source, "__bytes__") {
            let r = vm.call(&m, vec![source.clone()], Vec::new())?;
            return match as_bytes(&r) {
                Some(b) => Ok(b.to_vec()),
                None => Err(Exc::type_error(format!(
                    "__bytes__ returned non-bytes (type {})",
                    r.type_name()
                ))),
            };
        }
    }
    match source {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
            let n = super::int::to_i64(source)
                .ok_or_else(|| Exc::overflow("cannot fit 'int' into an index-sized integer"))?;
            if n < 0 {
                return Err(Exc::value_error("negative count"));
            }
            if n as u64 > MAX_RESULT as u64 {
                return Err(memory_error());
            }
            Ok(vec![0; n as usize])
        }
        _ if !vm.is_iterable(source) => Err(Exc::type_error(format!(
            "cannot convert '{}' object to bytes",
            source.type_name()
        ))),
        _ => {
            let items = vm.collect(source)?;
            let mut out = Vec::with_capacity(items.len());
            for item in &items {
                let n = match item {
                    Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => item.clone(),
                    Value::Instance(_) => match super::method_args::call_index(vm, item)? {
                        Some(n) => n,
                        None => return Err(not_an_integer(item)),
                    },
                    _ => return Err(not_an_integer(item)),
                };
                match super::int::to_i64(&n) {
                    Some(n @ 0..=255) => out.push(n as u8),
                    _ => return Err(Exc::value_error("bytes must be in range(0, 256)")),
                }
            }
            Ok(out)
        }
    }
}

fn not_an_integer(v: &Value) -> Exc {
    Exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        v.type_name()
    ))
}

/// `bytes.fromhex(text)`: pairs of hex digits, ASCII whitespace allowed between pairs.
pub fn from_hex(text: &str) -> ToyResult<Vec<u8>> {
    let s = text.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 2);
    let digit = |i: usize| -> ToyResult<u8> {
        match s.get(i).and_then(|&c| (c as char).to_digit(16)) {
            Some(d) => Ok(d as u8),
            None => {
                // The position is counted in characters, as CPython counts it.
                let pos = text
                    .get(..i.min(text.len()))
                    .map_or(i, |p| p.chars().count());
                Err(Exc::value_error(format!(
                    "non-hexadecimal number found in fromhex() arg at position {pos}"
                )))
            }
        }
    };
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_whitespace() || s[i] == 0x0b {
            i += 1;
            continue;
        }
        let hi = digit(i)?;
        let lo = digit(i + 1)?;
        out.push(hi << 4 | lo);
        i += 2;
    }
    Ok(out)
}

/// `data.hex(sep, bytes_per_sep)`: two lowercase hex digits a byte; with a separator
/// every `|bytes_per_sep|` bytes, the groups counted from the right when positive and from
/// the left when negative.
pub fn to_hex(data: &[u8], sep: Option<u8>, bytes_per_sep: i64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(data.len() * 3);
    let group = bytes_per_sep.unsigned_abs() as usize;
    let n = data.len();
    for (i, &b) in data.iter().enumerate() {
        if let Some(sep) = sep {
            if i > 0 && group > 0 {
                let boundary = if bytes_per_sep > 0 {
                    (n - i).is_multiple_of(group)
                } else {
                    i.is_multiple_of(group)
                };
                if boundary {
                    out.push(sep as char);
                }
            }
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

/// The error of `bytes + other` when `other` is not bytes and has no `__radd__`.
pub fn concat_error(other: &Value) -> Exc {
    Exc::type_error(format!("can't concat {} to bytes", other.type_name()))
}
