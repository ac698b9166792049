//! Argument checking for native functions, with CPython's messages.

use std::sync::Arc;

use crate::objects::{Exc, StrObj, ToyResult, Value};

/// Keyword arguments as native functions receive them.
pub type Kw<'a> = &'a [(Arc<StrObj>, Value)];

/// Check the positional count of `name(...)`. Inlined: most builtins call it on every
/// call, and the check itself is two compares.
#[inline]
pub fn count(name: &str, args: &[Value], min: usize, max: usize) -> ToyResult<()> {
    let n = args.len();
    if n >= min && n <= max {
        return Ok(());
    }
    Err(count_error(name, n, min, max))
}

#[cold]
fn count_error(name: &str, n: usize, min: usize, max: usize) -> Exc {
    let msg = if min == max {
        match min {
            0 => format!("{name}() takes no arguments ({n} given)"),
            1 => format!("{name}() takes exactly one argument ({n} given)"),
            m => format!("{name} expected {m} arguments, got {n}"),
        }
    } else if n < min {
        format!(
            "{name} expected at least {min} argument{}, got {n}",
            if min == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{name} expected at most {max} argument{}, got {n}",
            if max == 1 { "" } else { "s" }
        )
    };
    Exc::type_error(msg)
}

/// Reject keyword arguments for functions that take none.
pub fn no_kwargs(name: &str, kw: Kw) -> ToyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(Exc::type_error(format!(
            "{name}() takes no keyword arguments"
        )))
    }
}

/// Accept only the named keywords; return their values in the order of `names`.
pub fn keywords(name: &str, kw: Kw, names: &[&str]) -> ToyResult<Vec<Option<Value>>> {
    let mut out = vec![None; names.len()];
    for (k, v) in kw {
        match names.iter().position(|n| *n == k.as_str()) {
            Some(i) => out[i] = Some(v.clone()),
            None => {
                return Err(Exc::type_error(format!(
                    "{name}() got an unexpected keyword argument '{}'",
                    k.as_str()
                )))
            }
        }
    }
    Ok(out)
}

/// The receiver of a method as a string (the VM has already checked its type).
pub fn str_receiver(args: &[Value]) -> ToyResult<&StrObj> {
    match args.first() {
        Some(Value::Str(s)) => Ok(s),
        _ => Err(Exc::type_error("descriptor requires a 'str' object")),
    }
}

/// A string argument.
pub fn expect_str<'a>(func: &str, v: &'a Value) -> ToyResult<&'a StrObj> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exc::type_error(format!(
            "{func}() argument must be str, not {}",
            other.type_name()
        ))),
    }
}

/// Bind positional and keyword arguments to the parameters `names` (all positional-or-
/// keyword, the first `required` of them required), with the messages CPython's argument
/// clinic gives (`open() missing required argument 'file' (pos 1)`).
pub fn bind(
    name: &str,
    args: &[Value],
    kw: Kw,
    names: &[&str],
    required: usize,
) -> ToyResult<Vec<Option<Value>>> {
    if args.len() > names.len() {
        return Err(Exc::type_error(format!(
            "{name}() takes at most {} argument{} ({} given)",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut out: Vec<Option<Value>> = args.iter().cloned().map(Some).collect();
    out.resize(names.len(), None);
    for (k, v) in kw {
        let Some(i) = names.iter().position(|n| *n == k.as_str()) else {
            return Err(Exc::type_error(format!(
                "'{}' is an invalid keyword argument for {name}()",
                k.as_str()
            )));
        };
        if i < args.len() {
            return Err(Exc::type_error(format!(
                "argument for {name}() given by name ('{}') and position ({})",
                k.as_str(),
                i + 1
            )));
        }
        out[i] = Some(v.clone());
    }
    if let Some(i) = out[..required.min(names.len())]
        .iter()
        .position(Option::is_none)
    {
        return Err(Exc::type_error(format!(
            "{name}() missing required argument '{}' (pos {})",
            names[i],
            i + 1
        )));
    }
    Ok(out)
}
