//! `open()` and the `io` module: text files (`src/objects/file.rs`), binary files
//! (`src/objects/binary_file.rs`), `UnsupportedOperation`.

use std::sync::{Arc, OnceLock};

use super::args::{self, Kw};
use crate::objects::binary_file::{BinaryConfig, BinaryFile, BinaryKind};
use crate::objects::codec::Codec;
use crate::objects::file::{FileConfig, Newline, TextFile, BUFFER_SIZE};
use crate::objects::function::NativeFn;
use crate::objects::int::index_of;
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[("open", open)];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str(
        "TextIOWrapper",
        Value::Type(crate::objects::file_methods::file_type().clone()),
    );
    for kind in [
        BinaryKind::Reader,
        BinaryKind::Writer,
        BinaryKind::Random,
        BinaryKind::Raw,
    ] {
        m.set_str(
            kind.class_name(),
            Value::Type(crate::objects::binary_file_methods::binary_type(kind).clone()),
        );
    }
    m.set_str(
        "UnsupportedOperation",
        Value::Type(unsupported_operation().clone()),
    );
    m.set_str("DEFAULT_BUFFER_SIZE", Value::Int(8192));
    m.set_str("SEEK_SET", Value::Int(0));
    m.set_str("SEEK_CUR", Value::Int(1));
    m.set_str("SEEK_END", Value::Int(2));
}

/// `io.UnsupportedOperation`: both an `OSError` and a `ValueError`, as in CPython.
pub fn unsupported_operation() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let e = &types().exceptions;
        let bases = vec![e.os_error.clone(), e.value_error.clone()];
        // OSError and ValueError share only Exception's line: C3 always succeeds here.
        let mro = crate::objects::class::c3_mro(&bases).unwrap_or_default();
        let dict = Arc::new(DictObj::new());
        dict.set_str("__module__", Value::str("io"));
        Arc::new(TypeObj::new_user(
            "UnsupportedOperation",
            bases,
            mro,
            dict,
            None,
        ))
    })
}

/// What a mode string asks for.
#[derive(Default)]
struct Mode {
    create: bool,
    read: bool,
    write: bool,
    append: bool,
    plus: bool,
    binary: bool,
}

/// Parse `mode` with CPython's checks and messages.
fn parse_mode(mode: &str) -> ToyResult<Mode> {
    let invalid = || Exc::value_error(format!("invalid mode: '{mode}'"));
    let mut m = Mode::default();
    let mut text = false;
    let mut seen = String::new();
    for c in mode.chars() {
        if !"rwxabt+".contains(c) || seen.contains(c) {
            return Err(invalid());
        }
        seen.push(c);
        match c {
            'x' => m.create = true,
            'r' => m.read = true,
            'w' => m.write = true,
            'a' => m.append = true,
            '+' => m.plus = true,
            'b' => m.binary = true,
            _ => text = true,
        }
    }
    if text && m.binary {
        return Err(Exc::value_error("can't have text and binary mode at once"));
    }
    match [m.create, m.read, m.write, m.append]
        .iter()
        .filter(|b| **b)
        .count()
    {
        1 => Ok(m),
        0 => Err(Exc::value_error(
            "Must have exactly one of create/read/write/append mode and at most one plus",
        )),
        _ => Err(Exc::value_error(
            "must have exactly one of create/read/write/append mode",
        )),
    }
}

/// An optional str argument of `open()`.
fn opt_str(what: &str, v: Option<Value>) -> ToyResult<Option<String>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
        Some(other) => Err(Exc::type_error(format!(
            "open() argument '{what}' must be str or None, not {}",
            other.type_name()
        ))),
    }
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None,
/// closefd=True, opener=None)`, for text files.
pub fn open(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let names = [
        "file",
        "mode",
        "buffering",
        "encoding",
        "errors",
        "newline",
        "closefd",
        "opener",
    ];
    let [file, mode, buffering, encoding, errors, newline, closefd, opener] =
        args::bind("open", args, kw, &names, 1)?
            .try_into()
            .unwrap_or_default();
    let name = file.unwrap_or(Value::None);
    let path: std::path::PathBuf = match &name {
        Value::Str(s) => s.as_str().into(),
        Value::Bytes(b) => {
            use std::os::unix::ffi::OsStrExt;
            std::ffi::OsStr::from_bytes(b).into()
        }
        Value::Int(_) | Value::Bool(_) => {
            return Err(Exc::value_error(
                "opening a file descriptor is not supported yet",
            ))
        }
        other => {
            return Err(Exc::type_error(format!(
                "expected str, bytes or os.PathLike object, not {}",
                other.type_name()
            )))
        }
    };
    let mode_text = match mode {
        None => "r".to_string(),
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(other) => {
            return Err(Exc::type_error(format!(
                "open() argument 'mode' must be str, not {}",
                other.type_name()
            )))
        }
    };
    let m = parse_mode(&mode_text)?;
    let buffering = match buffering {
        None => -1,
        Some(v) if v.is_int_like() => index_of(&v)?,
        Some(other) => {
            return Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    let encoding_name = opt_str("encoding", encoding)?;
    let errors = opt_str("errors", errors)?;
    let newline = newline.unwrap_or(Value::None);
    let newline_given = !newline.is_none();
    let newline = Newline::parse(&newline)?;
    if m.binary {
        let refuse = |what: &str| {
            Err(Exc::value_error(format!(
                "binary mode doesn't take {what} argument"
            )))
        };
        if encoding_name.is_some() {
            return refuse("an encoding");
        }
        if errors.is_some() {
            return refuse("an errors");
        }
        if newline_given {
            return refuse("a newline");
        }
    } else if buffering == 0 {
        return Err(Exc::value_error("can't have unbuffered text I/O"));
    }
    if closefd.is_some_and(|c| matches!(c, Value::Bool(false) | Value::Int(0))) {
        return Err(Exc::value_error("Cannot use closefd=False with file name"));
    }
    if opener.is_some_and(|o| !o.is_none()) {
        return Err(Exc::value_error("open(opener=...) is not supported yet"));
    }

    let mut options = std::fs::OpenOptions::new();
    options
        .read(m.read || m.plus)
        .write(m.write || m.create || m.plus)
        .append(m.append)
        .truncate(m.write)
        .create(m.write || m.append)
        .create_new(m.create);
    // Opening may block (a slow disk, a network file system): other threads run meanwhile.
    let opened = vm.away(|| -> std::io::Result<std::fs::File> {
        use std::io::Seek;
        let mut f = options.open(&path)?;
        // Linux opens a directory for reading without complaint; CPython refuses.
        if f.metadata()?.is_dir() {
            return Err(std::io::Error::from_raw_os_error(21)); // EISDIR
        }
        // Appending starts at the end, so that `tell()` says where writes go.
        if m.append {
            f.seek(std::io::SeekFrom::End(0))?;
        }
        Ok(f)
    });
    let file = opened.map_err(|e| Exc::from_io(&e, Some(name.clone())))?;
    if m.binary {
        return Ok(open_binary(name, &m, buffering, file));
    }
    // Looked up after opening, as CPython does (a bad encoding still creates the file).
    let encoding = match &encoding_name {
        Some(e) => Codec::lookup(e)?,
        None => Codec::Utf8,
    };
    let config = FileConfig {
        name,
        mode: mode_text,
        encoding_name: encoding_name.unwrap_or_else(|| "UTF-8".to_string()),
        encoding,
        errors: errors.unwrap_or_else(|| "strict".to_string()),
        newline,
        readable: m.read || m.plus,
        writable: !m.read || m.plus,
        line_buffering: buffering == 1,
        write_buffer: if buffering > 1 {
            buffering as usize
        } else {
            BUFFER_SIZE
        },
    };
    Ok(crate::objects::file_methods::new_file(TextFile::new(
        config, file,
    )))
}

/// The binary file `open()` returns for a `b` mode: `FileIO` for `buffering=0`, else a
/// `BufferedReader`, `BufferedWriter` or `BufferedRandom`, with the mode as CPython's raw
/// file reports it (`'w+b'` is `'rb+'`).
fn open_binary(name: Value, m: &Mode, buffering: i64, file: std::fs::File) -> Value {
    let kind = if buffering == 0 {
        BinaryKind::Raw
    } else if m.plus {
        BinaryKind::Random
    } else if m.read {
        BinaryKind::Reader
    } else {
        BinaryKind::Writer
    };
    let base = if m.create {
        "xb"
    } else if m.append {
        "ab"
    } else if m.read || m.plus {
        "rb"
    } else {
        "wb"
    };
    let config = BinaryConfig {
        name,
        mode: format!("{base}{}", if m.plus { "+" } else { "" }),
        kind,
        readable: m.read || m.plus,
        writable: !m.read || m.plus,
        write_buffer: match buffering {
            0 => 0,
            // CPython warns that line buffering is not for binary files and buffers fully.
            n if n > 1 => n as usize,
            _ => BUFFER_SIZE,
        },
    };
    crate::objects::binary_file_methods::new_binary_file(BinaryFile::new(config, file))
}
