//! `os.path` (CPython's `posixpath`): pure string functions on `/`-separated paths, written
//! after `posixpath.py`, and the few that ask the file system (`exists`, `isfile`, `isdir`,
//! `getsize`), which go through the blocking door like the rest of `os`.

use std::sync::Arc;

use super::args::Kw;
use crate::objects::function::NativeFn;
use crate::objects::{Builtin, DictObj, Exc, ToyResult, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("join", join),
        ("basename", basename),
        ("dirname", dirname),
        ("split", split),
        ("splitext", splitext),
        ("isabs", isabs),
        ("normpath", normpath),
        ("abspath", abspath),
        ("exists", exists),
        ("isfile", isfile),
        ("isdir", isdir),
        ("getsize", getsize),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("sep", Value::str("/"));
}

/// The one argument `path` of `func(path)`, as a str.
fn path_of<'a>(func: &str, args: &'a [Value], kw: Kw) -> ToyResult<&'a str> {
    super::args::no_kwargs(func, kw)?;
    match args {
        [Value::Str(s)] => Ok(s.as_str()),
        [other] => Err(Exc::type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            other.type_name()
        ))),
        [] => Err(Exc::type_error(format!(
            "{func}() missing 1 required positional argument: 'path'"
        ))),
        _ => Err(Exc::type_error(format!(
            "{func}() takes 1 positional argument but {} were given",
            args.len()
        ))),
    }
}

/// `head` without its trailing slashes, unless it is all slashes (the root).
fn strip_trailing_slashes(head: &str) -> &str {
    if !head.is_empty() && head.bytes().any(|b| b != b'/') {
        head.trim_end_matches('/')
    } else {
        head
    }
}

/// `(head, tail)`: everything up to the last `/`, and after it.
fn split_path(p: &str) -> (&str, &str) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    (strip_trailing_slashes(&p[..i]), &p[i..])
}

fn join(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    super::args::no_kwargs("join", kw)?;
    if args.is_empty() {
        return Err(Exc::type_error(
            "join() missing 1 required positional argument: 'a'",
        ));
    }
    let mut path = String::new();
    for (i, part) in args.iter().enumerate() {
        let Value::Str(s) = part else {
            return Err(Exc::type_error(format!(
                "join() argument must be str, bytes, or os.PathLike object, not '{}'",
                part.type_name()
            )));
        };
        let b = s.as_str();
        if i == 0 || b.starts_with('/') {
            path = b.to_string();
        } else if path.is_empty() || path.ends_with('/') {
            path.push_str(b);
        } else {
            path.push('/');
            path.push_str(b);
        }
    }
    Ok(Value::string(path))
}

fn basename(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("basename", args, kw)?;
    Ok(Value::str(split_path(p).1))
}

fn dirname(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("dirname", args, kw)?;
    Ok(Value::str(split_path(p).0))
}

fn split(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("split", args, kw)?;
    let (head, tail) = split_path(p);
    Ok(Value::tuple(vec![Value::str(head), Value::str(tail)]))
}

/// `(root, ext)`: the extension is the last dot and what follows, unless the dot only
/// begins the file's name (`.bashrc` has none).
fn splitext(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("splitext", args, kw)?;
    let name_start = p.rfind('/').map_or(0, |i| i + 1);
    let (root, ext) = match p.rfind('.') {
        Some(dot) if dot > name_start && p[name_start..dot].bytes().any(|b| b != b'.') => {
            (&p[..dot], &p[dot..])
        }
        _ => (p, ""),
    };
    Ok(Value::tuple(vec![Value::str(root), Value::str(ext)]))
}

fn isabs(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(path_of("isabs", args, kw)?.starts_with('/')))
}

/// `posixpath.normpath`: collapse `//`, `.` and `a/..` without asking the file system.
fn normalize(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let initial_slashes = if path.starts_with("//") && !path.starts_with("///") {
        2
    } else if path.starts_with('/') {
        1
    } else {
        0
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        if comp.is_empty() || comp == "." {
            continue;
        }
        if comp != ".." || (initial_slashes == 0 && parts.is_empty()) || parts.last() == Some(&"..")
        {
            parts.push(comp);
        } else {
            parts.pop();
        }
    }
    let out = format!("{}{}", "/".repeat(initial_slashes), parts.join("/"));
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

fn normpath(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::string(normalize(path_of("normpath", args, kw)?)))
}

fn abspath(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("abspath", args, kw)?;
    if p.starts_with('/') {
        return Ok(Value::string(normalize(p)));
    }
    let cwd = vm
        .away(std::env::current_dir)
        .map_err(|e| Exc::from_io(&e, None))?;
    Ok(Value::string(normalize(&format!(
        "{}/{p}",
        cwd.to_string_lossy()
    ))))
}

/// `stat` for the predicates: the metadata, or `None` where CPython answers False (a
/// missing file, no permission, a path too long...).
fn stat(vm: &mut Vm, func: &str, args: &[Value], kw: Kw) -> ToyResult<Option<std::fs::Metadata>> {
    let p = path_of(func, args, kw)?.to_string();
    Ok(vm.away(|| std::fs::metadata(&p)).ok())
}

fn exists(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(stat(vm, "exists", args, kw)?.is_some()))
}

fn isfile(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let m = stat(vm, "isfile", args, kw)?;
    Ok(Value::Bool(m.is_some_and(|m| m.is_file())))
}

fn isdir(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let m = stat(vm, "isdir", args, kw)?;
    Ok(Value::Bool(m.is_some_and(|m| m.is_dir())))
}

fn getsize(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let p = path_of("getsize", args, kw)?;
    let path = args[0].clone();
    let text = p.to_string();
    let m = vm
        .away(|| std::fs::metadata(&text))
        .map_err(|e| Exc::from_io(&e, Some(path)))?;
    Ok(Value::Int(i64::try_from(m.len()).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normpath_as_posixpath() {
        assert_eq!(normalize("a//b/./c/.."), "a/b");
        assert_eq!(normalize("../a/../.."), "../..");
        assert_eq!(normalize("/../x"), "/x");
        assert_eq!(normalize("//x"), "//x");
        assert_eq!(normalize(""), ".");
    }
}
