//! The `os` module, the part a program working with files needs: the working directory,
//! making, listing, renaming and removing files and directories, the environment, and
//! `os.path` (`src/modules/os_path.rs`).
//!
//! Every call that touches the file system leaves toy code through `Vm::away`, the blocking
//! door for operations that end by themselves (a `stat` on a network file system can take a
//! while), so other threads run meanwhile. Failures are CPython's `OSError` subclasses with
//! errno, strerror and filename (`Exc::from_io`). Paths are str only: `bytes` paths, file
//! descriptors and `dir_fd` are not supported.

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::{Builtin, DictObj, Exc, ToyResult, Value};
use crate::vm::Vm;

pub fn init(vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("getcwd", getcwd),
        ("getpid", getpid),
        ("strerror", strerror),
        ("listdir", listdir),
        ("mkdir", mkdir),
        ("makedirs", makedirs),
        ("rmdir", rmdir),
        ("remove", remove),
        ("unlink", unlink),
        ("rename", rename),
        ("replace", replace),
        ("chdir", chdir),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    // A snapshot taken at import, as a plain dict: `os.environ[...] = ...` changes the dict,
    // not the process's environment (CPython's `os._Environ` does both).
    let environ = DictObj::new();
    for (k, v) in std::env::vars_os() {
        environ.set_str(
            &k.to_string_lossy(),
            Value::string(v.to_string_lossy().into_owned()),
        );
    }
    let environ = Value::dict(environ);
    // `getenv` reads the same dict, so that changes made through `os.environ` show.
    let getenv = Builtin {
        bound: Some(environ.clone()),
        ..Builtin::function("getenv", getenv)
    };
    m.set_str("getenv", Value::Builtin(Arc::new(getenv)));
    m.set_str("environ", environ);
    m.set_str("name", Value::str("posix"));
    m.set_str("sep", Value::str("/"));
    m.set_str("altsep", Value::None);
    m.set_str("extsep", Value::str("."));
    m.set_str("pathsep", Value::str(":"));
    m.set_str("linesep", Value::str("\n"));
    m.set_str("curdir", Value::str("."));
    m.set_str("pardir", Value::str(".."));
    m.set_str("devnull", Value::str("/dev/null"));
    m.set_str("SEEK_SET", Value::Int(0));
    m.set_str("SEEK_CUR", Value::Int(1));
    m.set_str("SEEK_END", Value::Int(2));
    // `import os` makes `os.path` usable, as in CPython.
    if let Ok(path) = vm.import(
        "os.path",
        &Value::tuple(vec![Value::str("join")]),
        &Value::Int(0),
    ) {
        m.set_str("path", path);
    }
}

/// A path argument of the `os` function `func`: a str (CPython's message otherwise).
pub fn path_arg(func: &str, v: &Value) -> ToyResult<String> {
    match v {
        Value::Str(s) => Ok(s.as_str().to_string()),
        other => Err(Exc::type_error(format!(
            "{func}: path should be string, bytes or os.PathLike, not {}",
            other.type_name()
        ))),
    }
}

/// `func(path)` with the path bound by position or by name (`dir_fd` is refused as an
/// unknown keyword).
fn one_path(func: &str, args: &[Value], kw: Kw, param: &str) -> ToyResult<(Value, String)> {
    let [path] = args::bind(func, args, kw, &[param], 1)?
        .try_into()
        .unwrap_or_default();
    let path = path.unwrap_or(Value::None);
    let text = path_arg(func, &path)?;
    Ok((path, text))
}

fn getcwd(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getcwd", kw)?;
    args::count("getcwd", args, 0, 0)?;
    let cwd = vm
        .away(std::env::current_dir)
        .map_err(|e| Exc::from_io(&e, None))?;
    Ok(Value::string(cwd.to_string_lossy().into_owned()))
}

fn chdir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (path, text) = one_path("chdir", args, kw, "path")?;
    vm.away(|| std::env::set_current_dir(&text))
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::None)
}

/// `os.strerror(code)`: the C library's text for an errno.
fn strerror(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("strerror", kw)?;
    args::count("strerror", args, 1, 1)?;
    let code = crate::objects::int::index_of(&args[0])?;
    let code =
        i32::try_from(code).map_err(|_| Exc::overflow("signed integer is greater than maximum"))?;
    let text = std::io::Error::from_raw_os_error(code).to_string();
    Ok(Value::string(match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }))
}

fn getpid(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getpid", kw)?;
    args::count("getpid", args, 0, 0)?;
    Ok(Value::Int(std::process::id().into()))
}

/// `os.getenv(key, default=None)`, bound to `os.environ`.
fn getenv(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (environ, rest) = args
        .split_first()
        .ok_or_else(|| Exc::type_error("getenv needs os.environ"))?;
    let [key, default] = args::bind("getenv", rest, kw, &["key", "default"], 1)?
        .try_into()
        .unwrap_or_default();
    let key = key.unwrap_or(Value::None);
    let Value::Str(k) = &key else {
        return Err(Exc::type_error(format!(
            "str expected, not {}",
            key.type_name()
        )));
    };
    let Value::Dict(d) = environ else {
        return Err(Exc::type_error("getenv needs os.environ"));
    };
    Ok(d.get_str(k.as_str()).or(default).unwrap_or(Value::None))
}

/// `os.listdir(path='.')`: the names in the directory, in the order the OS gives them.
fn listdir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [path] = args::bind("listdir", args, kw, &["path"], 0)?
        .try_into()
        .unwrap_or_default();
    let path = match path {
        None | Some(Value::None) => Value::str("."),
        Some(p) => p,
    };
    let text = path_arg("listdir", &path)?;
    let names = vm
        .away(|| -> std::io::Result<Vec<String>> {
            let mut names = Vec::new();
            for entry in std::fs::read_dir(&text)? {
                names.push(entry?.file_name().to_string_lossy().into_owned());
            }
            Ok(names)
        })
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::list(names.into_iter().map(Value::string).collect()))
}

/// The permission bits of `mkdir`/`makedirs` (default 0o777, narrowed by the umask).
fn mode_arg(v: Option<Value>) -> ToyResult<u32> {
    match v {
        None => Ok(0o777),
        Some(v) if v.is_int_like() => {
            let n = crate::objects::int::index_of(&v)?;
            u32::try_from(n).map_err(|_| Exc::overflow("mode is out of range"))
        }
        Some(other) => Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn create_dir(path: &str, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(mode).create(path)
}

fn mkdir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [path, mode] = args::bind("mkdir", args, kw, &["path", "mode"], 1)?
        .try_into()
        .unwrap_or_default();
    let path = path.unwrap_or(Value::None);
    let text = path_arg("mkdir", &path)?;
    let mode = mode_arg(mode)?;
    vm.away(|| create_dir(&text, mode))
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::None)
}

/// `os.makedirs(name, mode=0o777, exist_ok=False)`: the directory and any missing parents.
fn makedirs(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [name, mode, exist_ok] =
        args::bind("makedirs", args, kw, &["name", "mode", "exist_ok"], 1)?
            .try_into()
            .unwrap_or_default();
    let name = name.unwrap_or(Value::None);
    let text = path_arg("makedirs", &name)?;
    let mode = mode_arg(mode)?;
    let exist_ok = match exist_ok {
        Some(v) => vm.truthy(&v)?,
        None => false,
    };
    vm.away(|| -> std::io::Result<()> {
        let path = std::path::Path::new(&text);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                use std::os::unix::fs::DirBuilderExt;
                std::fs::DirBuilder::new()
                    .mode(mode)
                    .recursive(true)
                    .create(parent)?;
            }
        }
        match create_dir(&text, mode) {
            // Only an existing directory is fine with exist_ok, as in CPython.
            Err(e)
                if exist_ok && e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() =>
            {
                Ok(())
            }
            other => other,
        }
    })
    .map_err(|e| Exc::from_io(&e, Some(name)))?;
    Ok(Value::None)
}

fn rmdir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (path, text) = one_path("rmdir", args, kw, "path")?;
    vm.away(|| std::fs::remove_dir(&text))
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::None)
}

/// `os.remove` and `os.unlink`: a file (a directory is `IsADirectoryError`, from the OS).
fn remove_file(vm: &mut Vm, func: &str, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (path, text) = one_path(func, args, kw, "path")?;
    vm.away(|| std::fs::remove_file(&text))
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::None)
}

fn remove(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_file(vm, "remove", args, kw)
}

fn unlink(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    remove_file(vm, "unlink", args, kw)
}

/// `os.rename(src, dst)` and `os.replace`: the same call on POSIX (an existing `dst` file is
/// replaced).
fn rename_to(vm: &mut Vm, func: &str, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [src, dst] = args::bind(func, args, kw, &["src", "dst"], 2)?
        .try_into()
        .unwrap_or_default();
    let (src, dst) = (src.unwrap_or(Value::None), dst.unwrap_or(Value::None));
    let from = path_arg(func, &src)?;
    let to = path_arg(func, &dst)?;
    vm.away(|| std::fs::rename(&from, &to))
        .map_err(|e| Exc::from_io2(&e, Some(src), Some(dst)))?;
    Ok(Value::None)
}

fn rename(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    rename_to(vm, "rename", args, kw)
}

fn replace(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    rename_to(vm, "replace", args, kw)
}
