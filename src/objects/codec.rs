//! Text encodings for files: UTF-8, ASCII and Latin-1, with the `strict`, `replace` and
//! `ignore` error handlers and CPython's error messages.
//!
//! A file reads bytes and hands whole runs of them (a line, a number of characters, the rest
//! of the file) to `decode`; `char_len` lets it count characters in bytes it has not decoded
//! yet, so that `read(n)` and `tell()` stay exact without decoding twice.

use super::{types, Exc, ToyResult};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    Utf8,
    Ascii,
    Latin1,
}

impl Encoding {
    /// The encoding called `name`, normalised as CPython's codec registry does (case,
    /// `-`/`_`/spaces). `LookupError: unknown encoding: X` otherwise.
    pub fn lookup(name: &str) -> ToyResult<Encoding> {
        let norm: String = name
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Ok(match norm.as_str() {
            "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Encoding::Utf8,
            "ascii" | "us_ascii" | "646" => Encoding::Ascii,
            "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859"
            | "cp819" => Encoding::Latin1,
            _ => return Err(Exc::lookup_error(format!("unknown encoding: {name}"))),
        })
    }

    /// The codec's own name, as error messages print it.
    pub fn codec_name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Ascii => "ascii",
            Encoding::Latin1 => "latin-1",
        }
    }

    /// How many bytes the character starting at `bytes[0]` takes, as far as its first byte
    /// tells (an invalid byte counts as one character; `decode` judges it). Never 0 for a
    /// non-empty slice.
    pub fn char_len(self, first: u8) -> usize {
        match self {
            Encoding::Ascii | Encoding::Latin1 => 1,
            Encoding::Utf8 => match first {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 1,
            },
        }
    }

    /// The bytes of `text` in this encoding.
    pub fn encode(self, text: &str, errors: &str) -> ToyResult<Vec<u8>> {
        let limit = match self {
            Encoding::Utf8 => return Ok(text.as_bytes().to_vec()),
            Encoding::Ascii => 0x80,
            Encoding::Latin1 => 0x100,
        };
        let mut out = Vec::with_capacity(text.len());
        for (pos, c) in text.chars().enumerate() {
            match u8::try_from(c as u32) {
                Ok(b) if (c as u32) < limit => out.push(b),
                _ => match errors {
                    "strict" => {
                        return Err(Exc::new(
                            &types().exceptions.unicode_encode_error,
                            format!(
                                "'{}' codec can't encode character {} in position {pos}: \
                                 ordinal not in range({limit})",
                                self.codec_name(),
                                char_escape(c)
                            ),
                        ))
                    }
                    "ignore" => {}
                    "replace" => out.push(b'?'),
                    other => return Err(unknown_handler(other)),
                },
            }
        }
        Ok(out)
    }

    /// The text of `bytes`. Callers pass whole characters; an incomplete UTF-8 sequence at
    /// the end (a file cut short) is an error, "unexpected end of data", as in CPython.
    pub fn decode(self, bytes: &[u8], errors: &str) -> ToyResult<String> {
        match self {
            Encoding::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect()),
            Encoding::Ascii => {
                let mut out = String::with_capacity(bytes.len());
                for (pos, &b) in bytes.iter().enumerate() {
                    if b < 0x80 {
                        out.push(b as char);
                    } else {
                        decode_error(self, errors, b, pos, "ordinal not in range(128)", &mut out)?;
                    }
                }
                Ok(out)
            }
            Encoding::Utf8 => {
                let mut out = String::with_capacity(bytes.len());
                let mut rest = bytes;
                let mut base = 0;
                loop {
                    match std::str::from_utf8(rest) {
                        Ok(s) => {
                            out.push_str(s);
                            return Ok(out);
                        }
                        Err(e) => {
                            let good = e.valid_up_to();
                            // Checked by `from_utf8` just now: the prefix is valid.
                            out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                            let bad = rest[good];
                            let (skip, reason) = match e.error_len() {
                                Some(n) => (n, utf8_reason(bad)),
                                None => (rest.len() - good, "unexpected end of data"),
                            };
                            decode_error(self, errors, bad, base + good, reason, &mut out)?;
                            rest = &rest[good + skip..];
                            base += good + skip;
                        }
                    }
                }
            }
        }
    }
}

/// Why CPython's UTF-8 decoder rejects a sequence starting with `first`.
fn utf8_reason(first: u8) -> &'static str {
    match first {
        0x80..=0xBF | 0xF5..=0xFF | 0xC0 | 0xC1 => "invalid start byte",
        _ => "invalid continuation byte",
    }
}

/// Apply the error handler to an undecodable byte at `pos`.
fn decode_error(
    enc: Encoding,
    errors: &str,
    byte: u8,
    pos: usize,
    reason: &str,
    out: &mut String,
) -> ToyResult<()> {
    match errors {
        "strict" => Err(Exc::new(
            &types().exceptions.unicode_decode_error,
            format!(
                "'{}' codec can't decode byte 0x{byte:02x} in position {pos}: {reason}",
                enc.codec_name()
            ),
        )),
        "ignore" => Ok(()),
        "replace" => {
            out.push('\u{FFFD}');
            Ok(())
        }
        other => Err(unknown_handler(other)),
    }
}

fn unknown_handler(name: &str) -> Exc {
    Exc::lookup_error(format!("unknown error handler name '{name}'"))
}

/// A character as CPython's encode errors show it: `'\xe9'`, `'\u20ac'`, `'\U0001f600'`.
fn char_escape(c: char) -> String {
    let n = c as u32;
    if n < 0x100 {
        format!("'\\x{n:02x}'")
    } else if n < 0x10000 {
        format!("'\\u{n:04x}'")
    } else {
        format!("'\\U{n:08x}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(Encoding::lookup("UTF-8").ok(), Some(Encoding::Utf8));
        assert_eq!(Encoding::lookup("latin-1").ok(), Some(Encoding::Latin1));
        assert!(Encoding::lookup("klingon").is_err());
    }

    #[test]
    fn replace_and_ignore() {
        let bytes = b"a\xffb\xe2\x82";
        assert_eq!(
            Encoding::Utf8.decode(bytes, "replace").ok().as_deref(),
            Some("a\u{FFFD}b\u{FFFD}")
        );
        assert_eq!(
            Encoding::Utf8.decode(bytes, "ignore").ok().as_deref(),
            Some("ab")
        );
        assert_eq!(
            Encoding::Latin1.encode("é", "strict").ok(),
            Some(vec![0xE9])
        );
        assert!(Encoding::Ascii.encode("é", "strict").is_err());
    }
}
