//! Text encodings: `str.encode`, `bytes.decode`, `str(b, encoding)`, `bytes(s, encoding)`
//! and text files all come here.
//!
//! The codecs are UTF-8, ASCII and Latin-1 (under CPython's aliases), with the error
//! handlers `strict`, `ignore`, `replace` and `backslashreplace` (plus `xmlcharrefreplace`
//! for encoding), and CPython's `UnicodeEncodeError`/`UnicodeDecodeError` messages. As in
//! CPython, an unknown handler name is only an error once a character needs handling.

use super::{types, Exc, ToyResult, Value};

/// The codecs toy knows.
///
/// A text file reads bytes and hands whole runs of them (a line, a number of characters, the
/// rest of the file) to `decode`; `char_len` lets it count characters in bytes it has not
/// decoded yet, so that `read(n)` and `tell()` stay exact without decoding twice.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    /// The codec of an encoding name, as Python's `codecs.lookup` normalises it
    /// (`'UTF-8'`, `'utf8'`, `'latin1'`, `'ISO-8859-1'`, `'us-ascii'`, ...).
    pub fn lookup(encoding: &str) -> ToyResult<Codec> {
        let normalized: String = encoding
            .trim()
            .chars()
            .map(|c| {
                if c == '-' || c == ' ' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        match normalized.as_str() {
            "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Ok(Codec::Utf8),
            "ascii" | "us_ascii" | "646" | "us" => Ok(Codec::Ascii),
            "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859"
            | "cp819" | "iso_ir_100" | "csisolatin1" => Ok(Codec::Latin1),
            _ => Err(Exc::new(
                &types().exceptions.lookup_error,
                format!("unknown encoding: {encoding}"),
            )),
        }
    }

    /// The name CPython's messages give the codec.
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }

    /// How many bytes the character starting with byte `first` takes, as far as that byte
    /// tells (an invalid byte counts as one character; `decode` judges it). Never 0.
    pub fn char_len(self, first: u8) -> usize {
        match self {
            Codec::Ascii | Codec::Latin1 => 1,
            Codec::Utf8 => match first {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 1,
            },
        }
    }

    /// The bytes of `text` in this codec, with the error handler `errors`.
    pub fn encode(self, text: &str, errors: &str) -> ToyResult<Vec<u8>> {
        match self {
            // A Rust string holds no lone surrogates, so UTF-8 encoding cannot fail.
            Codec::Utf8 => Ok(text.as_bytes().to_vec()),
            Codec::Ascii => encode_limited(text, Codec::Ascii, 0x80, errors),
            Codec::Latin1 => encode_limited(text, Codec::Latin1, 0x100, errors),
        }
    }

    /// The text of `data`, with the error handler `errors`. An incomplete UTF-8 sequence at
    /// the end is an error, "unexpected end of data", as in CPython.
    pub fn decode(self, data: &[u8], errors: &str) -> ToyResult<String> {
        match self {
            Codec::Utf8 => decode_utf8(data, errors),
            Codec::Ascii => decode_ascii(data, errors),
            Codec::Latin1 => Ok(data.iter().map(|&b| b as char).collect()),
        }
    }
}

/// The `encoding` and `errors` arguments of `encode`/`decode`/`str()`/`bytes()`, checked
/// to be strs (`func` names the function in the messages), with their defaults.
pub fn encoding_args<'a>(
    func: &str,
    encoding: Option<&'a Value>,
    errors: Option<&'a Value>,
) -> ToyResult<(&'a str, &'a str)> {
    let text = |v: Option<&'a Value>, what: &str, default: &'static str| match v {
        None => Ok(default),
        Some(Value::Str(s)) => Ok(s.as_str()),
        Some(other) => Err(Exc::type_error(format!(
            "{func}() argument '{what}' must be str, not {}",
            other.type_name()
        ))),
    };
    Ok((
        text(encoding, "encoding", "utf-8")?,
        text(errors, "errors", "strict")?,
    ))
}

fn unknown_handler(errors: &str) -> Exc {
    Exc::new(
        &types().exceptions.lookup_error,
        format!("unknown error handler name '{errors}'"),
    )
}

/// `text.encode(encoding, errors)`.
pub fn encode(text: &str, encoding: &str, errors: &str) -> ToyResult<Vec<u8>> {
    Codec::lookup(encoding)?.encode(text, errors)
}

/// Encode to a one-byte charset (code points below `limit`) with an error handler.
fn encode_limited(text: &str, codec: Codec, limit: u32, errors: &str) -> ToyResult<Vec<u8>> {
    if text.is_ascii() {
        return Ok(text.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let n = c as u32;
        if n < limit {
            out.push(n as u8);
            continue;
        }
        match errors {
            "strict" => {
                // CPython reports the whole run of unencodable characters.
                let mut end = i;
                while chars.next_if(|&(_, d)| d as u32 >= limit).is_some() {
                    end += 1;
                }
                let name = codec.name();
                let reason = format!("ordinal not in range({limit})");
                let msg = if end == i {
                    format!(
                        "'{name}' codec can't encode character '{}' in position {i}: ordinal not in range({limit})",
                        escape_code_point(n)
                    )
                } else {
                    format!(
                        "'{name}' codec can't encode characters in position {i}-{end}: ordinal not in range({limit})"
                    )
                };
                return Err(unicode_error(
                    &types().exceptions.unicode_encode_error,
                    msg,
                    codec,
                    Value::string(text.to_string()),
                    (i, end + 1),
                    &reason,
                ));
            }
            "ignore" => {}
            "replace" => out.push(b'?'),
            "backslashreplace" => out.extend_from_slice(escape_code_point(n).as_bytes()),
            "xmlcharrefreplace" => out.extend_from_slice(format!("&#{n};").as_bytes()),
            other => return Err(unknown_handler(other)),
        }
    }
    Ok(out)
}

/// `\xe9`, `\u20ac` or `\U0001f600`, as Python escapes a code point.
pub fn escape_code_point(n: u32) -> String {
    if n <= 0xff {
        format!("\\x{n:02x}")
    } else if n <= 0xffff {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}

/// `data.decode(encoding, errors)`.
pub fn decode(data: &[u8], encoding: &str, errors: &str) -> ToyResult<String> {
    Codec::lookup(encoding)?.decode(data, errors)
}

/// What an error handler puts in place of the undecodable bytes `bad`.
fn decode_replacement(out: &mut String, bad: &[u8], errors: &str) -> ToyResult<()> {
    match errors {
        "ignore" => {}
        "replace" => out.push('\u{fffd}'),
        "backslashreplace" => {
            for &b in bad {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        other => return Err(unknown_handler(other)),
    }
    Ok(())
}

fn decode_error(codec: Codec, data: &[u8], start: usize, len: usize, reason: &str) -> Exc {
    let name = codec.name();
    let msg = if len == 1 {
        format!(
            "'{name}' codec can't decode byte 0x{:02x} in position {start}: {reason}",
            data[start]
        )
    } else {
        format!(
            "'{name}' codec can't decode bytes in position {start}-{}: {reason}",
            start + len - 1
        )
    };
    unicode_error(
        &types().exceptions.unicode_decode_error,
        msg,
        codec,
        Value::bytes(data.to_vec()),
        (start, start + len),
        reason,
    )
}

/// A `UnicodeEncodeError` or `UnicodeDecodeError` with CPython's attributes: `encoding`,
/// `object` (the whole str or bytes), `start` and `end` (the bad run, end excluded) and
/// `reason`. (Its `args` are the message alone, where CPython's are those five.)
fn unicode_error(
    class: &std::sync::Arc<super::TypeObj>,
    msg: String,
    codec: Codec,
    object: Value,
    (start, end): (usize, usize),
    reason: &str,
) -> Exc {
    let exc = Exc::new(class, msg);
    if let Value::Instance(i) = exc.value() {
        i.set_attr_str("encoding", Value::str(codec.name()));
        i.set_attr_str("object", object);
        i.set_attr_str("start", Value::Int(start as i64));
        i.set_attr_str("end", Value::Int(end as i64));
        i.set_attr_str("reason", Value::str(reason));
    }
    exc
}

/// UTF-8 with CPython's error ranges: Rust's decoder reports the same "maximal subparts"
/// (`error_len`) that CPython replaces one `U+FFFD` at a time.
fn decode_utf8(data: &[u8], errors: &str) -> ToyResult<String> {
    let mut out = String::with_capacity(data.len());
    let mut rest = data;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return Ok(out);
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                let (len, reason) = match e.error_len() {
                    Some(n) => {
                        let first = rest[good];
                        let start_byte = matches!(first, 0xc2..=0xf4);
                        let reason = if start_byte {
                            "invalid continuation byte"
                        } else {
                            "invalid start byte"
                        };
                        (n, reason)
                    }
                    None => (rest.len() - good, "unexpected end of data"),
                };
                if errors == "strict" {
                    let start = data.len() - rest.len() + good;
                    return Err(decode_error(Codec::Utf8, data, start, len, reason));
                }
                decode_replacement(&mut out, &rest[good..good + len], errors)?;
                rest = &rest[good + len..];
            }
        }
    }
}

/// ASCII: every byte above 0x7f is an error of its own.
fn decode_ascii(data: &[u8], errors: &str) -> ToyResult<String> {
    if data.is_ascii() {
        return Ok(data.iter().map(|&b| b as char).collect());
    }
    let mut out = String::with_capacity(data.len());
    for (i, &b) in data.iter().enumerate() {
        if b < 0x80 {
            out.push(b as char);
        } else if errors == "strict" {
            return Err(decode_error(
                Codec::Ascii,
                data,
                i,
                1,
                "ordinal not in range(128)",
            ));
        } else {
            decode_replacement(&mut out, &data[i..=i], errors)?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(Codec::lookup("UTF-8").ok(), Some(Codec::Utf8));
        assert_eq!(Codec::lookup("latin-1").ok(), Some(Codec::Latin1));
        assert!(Codec::lookup("klingon").is_err());
    }

    #[test]
    fn replace_and_ignore() {
        let bytes = b"a\xffb\xe2\x82";
        assert_eq!(
            Codec::Utf8.decode(bytes, "replace").ok().as_deref(),
            Some("a\u{FFFD}b\u{FFFD}")
        );
        assert_eq!(
            Codec::Utf8.decode(bytes, "ignore").ok().as_deref(),
            Some("ab")
        );
        assert_eq!(Codec::Latin1.encode("é", "strict").ok(), Some(vec![0xE9]));
        assert!(Codec::Ascii.encode("é", "strict").is_err());
    }
}
