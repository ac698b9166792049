//! `str`: immutable Unicode text.
//!
//! Stored as UTF-8. Python indexes strings by code point, so the object remembers whether
//! it is pure ASCII (then byte index == char index, O(1)) and its length in chars.

use std::sync::atomic::{AtomicU64, Ordering};

pub struct StrObj {
    /// Kept as built (a `Box<str>` would cost a reallocation to shrink every new string).
    text: String,
    char_len: usize,
    /// The cached hash, or 0 when not computed yet (a real hash of 0 is stored as 1).
    hash: AtomicU64,
}

impl StrObj {
    pub fn new(text: String) -> StrObj {
        let char_len = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        StrObj {
            text,
            char_len,
            hash: AtomicU64::new(0),
        }
    }

    /// A string whose length in code points the caller already knows (pieces of a string
    /// or a concatenation of strings of known lengths): skips the scan `new` makes.
    pub fn with_char_len(text: String, char_len: usize) -> StrObj {
        debug_assert_eq!(char_len, text.chars().count());
        StrObj {
            text,
            char_len,
            hash: AtomicU64::new(0),
        }
    }

    /// The decimal text of an int, as `str(i)` gives it.
    pub fn from_i64(i: i64) -> StrObj {
        let text = i64_decimal(i);
        let len = text.len();
        StrObj::with_char_len(text, len)
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points, as `len()` reports it.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn is_ascii(&self) -> bool {
        self.char_len == self.text.len()
    }

    /// The `i`th code point (0-based, already bounds-checked by the caller).
    pub fn char_at(&self, i: usize) -> Option<char> {
        if self.is_ascii() {
            self.text.as_bytes().get(i).map(|&b| b as char)
        } else {
            self.text.chars().nth(i)
        }
    }

    /// Byte offset of char index `i` (clamped to the end).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i.min(self.text.len())
        } else {
            self.text
                .char_indices()
                .nth(i)
                .map(|(b, _)| b)
                .unwrap_or(self.text.len())
        }
    }

    /// Substring by char indices `start..end` (clamped).
    pub fn substring(&self, start: usize, end: usize) -> &str {
        if start >= end {
            return "";
        }
        let b0 = self.byte_offset(start);
        let b1 = self.byte_offset(end);
        &self.text[b0..b1]
    }

    /// The hash toy uses for dict keys and `hash()`. Deterministic across runs (CPython
    /// randomises str hashes; toy prefers reproducible runs).
    pub fn hash_value(&self) -> u64 {
        let cached = self.hash.load(Ordering::Relaxed);
        if cached != 0 {
            return cached;
        }
        let h = hash_str(&self.text);
        self.hash.store(h, Ordering::Relaxed);
        h
    }
}

/// The concatenation of `parts` (an f-string's pieces, all strs; anything else is
/// skipped), built in one allocation of the exact size.
pub fn concat(parts: &[super::Value]) -> super::Value {
    use super::Value;
    let (mut bytes, mut chars) = (0, 0);
    for p in parts {
        if let Value::Str(p) = p {
            bytes += p.text.len();
            chars += p.char_len;
        }
    }
    let mut text = String::with_capacity(bytes);
    for p in parts {
        if let Value::Str(p) = p {
            text.push_str(&p.text);
        }
    }
    Value::string_with_len(text, chars)
}

/// The decimal text of `i`: `str(int)` without the formatting machinery of `to_string`.
pub fn i64_decimal(i: i64) -> String {
    // Digits are produced last to first into a buffer, then copied in order (pushing
    // ASCII chars needs no UTF-8 validation).
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(buf.len() - at + 1);
    if i < 0 {
        out.push('-');
    }
    for &b in &buf[at..] {
        out.push(b as char);
    }
    out
}

/// The one-char string of `c`: ASCII chars are shared objects made once (as CPython
/// shares its one-char latin-1 strings), so indexing and iterating over ASCII text do
/// not allocate.
pub fn char_value(c: char) -> super::Value {
    use std::sync::{Arc, OnceLock};
    static ASCII: OnceLock<Vec<Arc<StrObj>>> = OnceLock::new();
    if c.is_ascii() {
        let table = ASCII.get_or_init(|| {
            (0u8..128)
                .map(|b| Arc::new(StrObj::with_char_len((b as char).to_string(), 1)))
                .collect()
        });
        if let Some(s) = table.get(c as usize) {
            return super::Value::Str(s.clone());
        }
    }
    super::Value::string_with_len(c.to_string(), 1)
}

/// One shared string object per identifier, so that names in code objects and the keys
/// of namespaces are the same object and lookups succeed on pointer equality.
pub fn intern(name: &str) -> std::sync::Arc<StrObj> {
    use std::sync::{Arc, Mutex, OnceLock};
    static TABLE: OnceLock<Mutex<std::collections::HashMap<String, Arc<StrObj>>>> = OnceLock::new();
    let table = TABLE.get_or_init(Default::default);
    let mut t = table
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(s) = t.get(name) {
        return s.clone();
    }
    let s = Arc::new(StrObj::new(name.to_string()));
    t.insert(name.to_string(), s.clone());
    s
}

/// The str hash: foldhash (fast, good quality) with a fixed seed, so that runs are
/// reproducible (CPython randomises it per process; toy prefers determinism).
pub fn hash_str(s: &str) -> u64 {
    use std::hash::BuildHasher;
    let h = foldhash::fast::FixedState::with_seed(0x70_79).hash_one(s) >> 2; // positive as an i64, like CPython
    if h == 0 {
        1
    } else {
        h
    }
}

/// `repr()` of a string: quotes chosen as CPython chooses them, escapes for control chars.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unprintable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Characters CPython's `str.isprintable()` rejects, approximately: C1 controls, the
/// non-breaking and other special spaces, line/paragraph separators, surrogates and BOM.
/// (The ideographic space U+3000 is a "Zs" separator and so also escaped by CPython.)
fn is_unprintable(c: char) -> bool {
    let n = c as u32;
    (0x80..=0xa0).contains(&n)
        || n == 0xad
        || (0x2000..=0x200f).contains(&n)
        || (0x2028..=0x202f).contains(&n)
        || (0x205f..=0x206f).contains(&n)
        || n == 0x3000
        || n == 0xfeff
        || (0xfff9..=0xfffb).contains(&n)
        || (0xe000..=0xf8ff).contains(&n)
}
