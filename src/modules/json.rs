//! The `json` module: `dumps`/`dump` with CPython's encoder options and output, and
//! `loads`/`load` with CPython's scanner, including its error messages
//! (`json.JSONDecodeError`, a `ValueError`).

use std::sync::{Arc, OnceLock};

use num_bigint::BigInt;

use super::args::{self, Kw};
use crate::objects::format::float_repr;
use crate::objects::function::NativeFn;
use crate::objects::types::base_value;
use crate::objects::{types, Builtin, DictObj, Exc, StrObj, ToyResult, TypeObj, Value};
use crate::syntax::ast::CmpOp;
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("dumps", dumps),
        ("dump", dump),
        ("loads", loads),
        ("load", load),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("JSONDecodeError", Value::Type(decode_error_type().clone()));
}

/// `json.JSONDecodeError`, a subclass of `ValueError`.
fn decode_error_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let value_error = types().exceptions.value_error.clone();
        let mut mro = vec![value_error.clone()];
        mro.extend(value_error.mro.iter().cloned());
        let t = TypeObj::new_user(
            "JSONDecodeError",
            vec![value_error],
            mro,
            Arc::new(DictObj::new()),
            None,
        );
        t.set_attr("__module__", Value::str("json.decoder"));
        let t = Arc::new(t);
        t.add_method("__init__", decode_error_init);
        t
    })
}

/// `JSONDecodeError(msg, doc, pos)`, made by toy code (a JSON library of its own, a test).
fn decode_error_init(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let bound = args::bind(
        "JSONDecodeError",
        args.get(1..).unwrap_or_default(),
        kw,
        &["msg", "doc", "pos"],
        3,
    )?;
    let [Some(msg), Some(doc), Some(pos)] = &bound[..] else {
        return Err(Exc::type_error("JSONDecodeError() takes msg, doc and pos"));
    };
    let msg = args::expect_str("JSONDecodeError", msg)?
        .as_str()
        .to_string();
    let Value::Str(text) = doc else {
        return Err(Exc::type_error(format!(
            "JSONDecodeError() argument 'doc' must be str, not {}",
            doc.type_name()
        )));
    };
    let pos = crate::objects::int::index_of(pos)?.max(0) as usize;
    let chars: Vec<char> = text.as_str().chars().collect();
    fill_decode_error(&args[0], &chars, text, &msg, pos);
    Ok(Value::None)
}

/// Give a JSONDecodeError its message (`args`) and its attributes, as CPython's `__init__`.
fn fill_decode_error(exc: &Value, doc: &[char], text: &Arc<StrObj>, msg: &str, pos: usize) {
    let before = &doc[..pos.min(doc.len())];
    let lineno = before.iter().filter(|&&c| c == '\n').count() + 1;
    let colno = match before.iter().rposition(|&c| c == '\n') {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    let message = format!("{msg}: line {lineno} column {colno} (char {pos})");
    if let Some(mut st) = crate::objects::exception::exception_state(exc) {
        st.args = Value::tuple(vec![Value::string(message)]);
    }
    if let Value::Instance(inst) = exc {
        inst.set_attr_str("msg", Value::str(msg));
        inst.set_attr_str("doc", Value::Str(text.clone()));
        inst.set_attr_str("pos", Value::Int(pos as i64));
        inst.set_attr_str("lineno", Value::Int(lineno as i64));
        inst.set_attr_str("colno", Value::Int(colno as i64));
    }
}

// ----- encoding -----------------------------------------------------------------------------

struct Encoder {
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    sort_keys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    skipkeys: bool,
    check_circular: bool,
    default: Option<Value>,
    /// Containers being encoded, for "Circular reference detected".
    markers: Vec<usize>,
    out: String,
}

/// What a value encodes as, once subclasses of builtin types are seen through.
fn json_view(v: &Value) -> &Value {
    base_value(v).unwrap_or(v)
}

fn float_text(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("NaN".into())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        None
    }
}

impl Encoder {
    fn float(&mut self, x: f64) -> ToyResult<()> {
        match float_text(x) {
            Some(t) => {
                if !self.allow_nan {
                    return Err(Exc::value_error(
                        "Out of range float values are not JSON compliant",
                    ));
                }
                self.out.push_str(&t);
            }
            None => self.out.push_str(&float_repr(x)),
        }
        Ok(())
    }

    fn enter(&mut self, v: &Value) -> ToyResult<()> {
        if self.check_circular {
            let id = v.heap_ptr().unwrap_or(0);
            if self.markers.contains(&id) {
                return Err(Exc::value_error("Circular reference detected"));
            }
            self.markers.push(id);
        }
        Ok(())
    }

    fn leave(&mut self) {
        if self.check_circular {
            self.markers.pop();
        }
    }

    fn newline(&mut self, level: usize) {
        if let Some(ind) = &self.indent {
            self.out.push('\n');
            for _ in 0..level {
                self.out.push_str(ind);
            }
        }
    }

    fn encode(&mut self, vm: &mut Vm, v: &Value, level: usize) -> ToyResult<()> {
        if level > vm.recursion_limit() {
            return Err(Exc::recursion_error(
                "maximum recursion depth exceeded while encoding a JSON object",
            ));
        }
        let inner = json_view(v);
        match inner {
            Value::Str(s) => encode_str(&mut self.out, s.as_str(), self.ensure_ascii),
            Value::None => self.out.push_str("null"),
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Int(i) => self.out.push_str(&i.to_string()),
            Value::BigInt(b) => self.out.push_str(&b.to_string()),
            Value::Float(x) => self.float(*x)?,
            Value::List(_) | Value::Tuple(_) => {
                let items = match inner {
                    Value::List(l) => l.snapshot(),
                    Value::Tuple(t) => t.items().to_vec(),
                    _ => Vec::new(),
                };
                if items.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                self.enter(v)?;
                self.out.push('[');
                self.newline(level + 1);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        let sep = self.item_sep.clone();
                        self.out.push_str(&sep);
                        self.newline(level + 1);
                    }
                    self.encode(vm, item, level + 1)?;
                }
                self.newline(level);
                self.out.push(']');
                self.leave();
            }
            Value::Dict(d) => {
                let mut items = d.items();
                if items.is_empty() {
                    self.out.push_str("{}");
                    return Ok(());
                }
                self.enter(v)?;
                if self.sort_keys {
                    items = sort_items(vm, items)?;
                }
                self.out.push('{');
                self.newline(level + 1);
                let mut first = true;
                for (k, val) in items {
                    let key = match json_view(&k) {
                        Value::Str(s) => s.as_str().to_string(),
                        Value::Float(x) => float_text(*x).unwrap_or_else(|| float_repr(*x)),
                        Value::Bool(true) => "true".into(),
                        Value::Bool(false) => "false".into(),
                        Value::None => "null".into(),
                        Value::Int(i) => i.to_string(),
                        Value::BigInt(b) => b.to_string(),
                        _ if self.skipkeys => continue,
                        other => {
                            return Err(Exc::type_error(format!(
                                "keys must be str, int, float, bool or None, not {}",
                                other.type_name()
                            )))
                        }
                    };
                    if !first {
                        let sep = self.item_sep.clone();
                        self.out.push_str(&sep);
                        self.newline(level + 1);
                    }
                    first = false;
                    encode_str(&mut self.out, &key, self.ensure_ascii);
                    let sep = self.key_sep.clone();
                    self.out.push_str(&sep);
                    self.encode(vm, &val, level + 1)?;
                }
                self.newline(level);
                self.out.push('}');
                self.leave();
            }
            _ => {
                let Some(default) = self.default.clone() else {
                    return Err(Exc::type_error(format!(
                        "Object of type {} is not JSON serializable",
                        v.type_name()
                    )));
                };
                self.enter(v)?;
                let replacement = vm.call(&default, vec![v.clone()], Vec::new())?;
                self.encode(vm, &replacement, level)?;
                self.leave();
            }
        }
        Ok(())
    }
}

/// `sorted(d.items())`: a stable binary-insertion sort on the keys with toy `<`.
fn sort_items(vm: &mut Vm, items: Vec<(Value, Value)>) -> ToyResult<Vec<(Value, Value)>> {
    let mut sorted: Vec<(Value, Value)> = Vec::with_capacity(items.len());
    for item in items {
        let (mut lo, mut hi) = (0, sorted.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let less = vm.compare_op(CmpOp::Lt, &item.0, &sorted[mid].0)?;
            if vm.truthy(&less)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        sorted.insert(lo, item);
    }
    Ok(sorted)
}

/// A JSON string literal, escaped as CPython's encoder does.
fn encode_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) >= 0x7f) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn kw_value(vm: &mut Vm, v: Option<Value>, default: bool) -> ToyResult<bool> {
    match v {
        Some(v) => vm.truthy(&v),
        None => Ok(default),
    }
}

fn encode_to_string(vm: &mut Vm, obj: &Value, kw: Kw) -> ToyResult<String> {
    let names = [
        "skipkeys",
        "ensure_ascii",
        "check_circular",
        "allow_nan",
        "cls",
        "indent",
        "separators",
        "default",
        "sort_keys",
    ];
    let [skipkeys, ensure_ascii, check_circular, allow_nan, _cls, indent, separators, default, sort_keys] =
        args::keywords("dumps", kw, &names)?
            .try_into()
            .unwrap_or_default();
    let indent = match indent {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(s.as_str().to_string()),
        Some(v) => Some(" ".repeat(crate::objects::int::index_of(&v)?.max(0) as usize)),
    };
    let (item_sep, key_sep) = match separators {
        None | Some(Value::None) => (
            if indent.is_some() { "," } else { ", " }.to_string(),
            ": ".to_string(),
        ),
        Some(seps) => {
            let parts = vm.collect(&seps)?;
            let [a, b] = <[Value; 2]>::try_from(parts).map_err(|_| {
                Exc::value_error("separators must be an (item_separator, key_separator) pair")
            })?;
            (vm.to_str(&a)?, vm.to_str(&b)?)
        }
    };
    let mut enc = Encoder {
        indent,
        item_sep,
        key_sep,
        sort_keys: kw_value(vm, sort_keys, false)?,
        ensure_ascii: kw_value(vm, ensure_ascii, true)?,
        allow_nan: kw_value(vm, allow_nan, true)?,
        skipkeys: kw_value(vm, skipkeys, false)?,
        check_circular: kw_value(vm, check_circular, true)?,
        default: default.filter(|d| !d.is_none()),
        markers: Vec::new(),
        out: String::new(),
    };
    enc.encode(vm, obj, 0)?;
    Ok(enc.out)
}

fn dumps(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if args.len() != 1 {
        return Err(Exc::type_error(if args.is_empty() {
            "dumps() missing 1 required positional argument: 'obj'".to_string()
        } else {
            format!(
                "dumps() takes 1 positional argument but {} were given",
                args.len()
            )
        }));
    }
    Ok(Value::string(encode_to_string(vm, &args[0], kw)?))
}

fn method(vm: &mut Vm, obj: &Value, name: &str) -> ToyResult<Value> {
    vm.get_attr(obj, &Arc::new(StrObj::new(name.to_string())))
}

fn dump(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if args.len() != 2 {
        return Err(Exc::type_error(format!(
            "dump() takes 2 positional arguments but {} were given",
            args.len()
        )));
    }
    let text = encode_to_string(vm, &args[0], kw)?;
    let write = method(vm, &args[1], "write")?;
    vm.call(&write, vec![Value::string(text)], Vec::new())?;
    Ok(Value::None)
}

// ----- decoding -----------------------------------------------------------------------------

/// A decoding error: the message and the character position it refers to.
struct DecodeError {
    msg: &'static str,
    pos: usize,
}

enum Fail {
    Decode(DecodeError),
    /// An exception from a hook (or a recursion error).
    Raised(Exc),
}

impl From<Exc> for Fail {
    fn from(e: Exc) -> Fail {
        Fail::Raised(e)
    }
}

fn fail<T>(msg: &'static str, pos: usize) -> Result<T, Fail> {
    Err(Fail::Decode(DecodeError { msg, pos }))
}

struct Decoder {
    s: Vec<char>,
    object_hook: Option<Value>,
    object_pairs_hook: Option<Value>,
    parse_float: Option<Value>,
    parse_int: Option<Value>,
    parse_constant: Option<Value>,
    strict: bool,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

impl Decoder {
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.s.len() && is_ws(self.s[i]) {
            i += 1;
        }
        i
    }

    fn at(&self, i: usize) -> Option<char> {
        self.s.get(i).copied()
    }

    fn starts_with(&self, i: usize, word: &str) -> bool {
        let n = word.chars().count();
        i + n <= self.s.len() && self.s[i..i + n].iter().copied().eq(word.chars())
    }

    fn constant(&self, vm: &mut Vm, name: &str, value: f64) -> ToyResult<Value> {
        match &self.parse_constant {
            Some(f) => vm.call(f, vec![Value::str(name)], Vec::new()),
            None => Ok(Value::Float(value)),
        }
    }

    /// One JSON value starting at `i`: the value and the index after it.
    fn value(&self, vm: &mut Vm, i: usize, depth: usize) -> Result<(Value, usize), Fail> {
        if depth > vm.recursion_limit() {
            return Err(Fail::Raised(Exc::recursion_error(
                "maximum recursion depth exceeded while decoding a JSON document",
            )));
        }
        let Some(c) = self.at(i) else {
            return fail("Expecting value", i);
        };
        match c {
            '"' => {
                let (s, end) = self.string(i + 1)?;
                return Ok((Value::string(s), end));
            }
            '{' => return self.object(vm, i + 1, depth),
            '[' => return self.array(vm, i + 1, depth),
            'n' if self.starts_with(i, "null") => return Ok((Value::None, i + 4)),
            't' if self.starts_with(i, "true") => return Ok((Value::Bool(true), i + 4)),
            'f' if self.starts_with(i, "false") => return Ok((Value::Bool(false), i + 5)),
            'N' if self.starts_with(i, "NaN") => {
                return Ok((self.constant(vm, "NaN", f64::NAN)?, i + 3))
            }
            'I' if self.starts_with(i, "Infinity") => {
                return Ok((self.constant(vm, "Infinity", f64::INFINITY)?, i + 8))
            }
            '-' if self.starts_with(i, "-Infinity") => {
                return Ok((self.constant(vm, "-Infinity", f64::NEG_INFINITY)?, i + 9))
            }
            _ => {}
        }
        self.number(vm, i)
    }

    fn number(&self, vm: &mut Vm, start: usize) -> Result<(Value, usize), Fail> {
        let s = &self.s;
        let digit = |i: usize| s.get(i).is_some_and(|c| c.is_ascii_digit());
        let mut i = start;
        if s.get(i) == Some(&'-') {
            i += 1;
        }
        match s.get(i) {
            Some('1'..='9') => {
                i += 1;
                while digit(i) {
                    i += 1;
                }
            }
            Some('0') => i += 1,
            _ => return fail("Expecting value", start),
        }
        let mut is_float = false;
        if s.get(i) == Some(&'.') && digit(i + 1) {
            is_float = true;
            i += 2;
            while digit(i) {
                i += 1;
            }
        }
        if matches!(s.get(i), Some('e' | 'E')) {
            let e_start = i;
            i += 1;
            if matches!(s.get(i), Some('-' | '+')) {
                i += 1;
            }
            while digit(i) {
                i += 1;
            }
            if digit(i - 1) {
                is_float = true;
            } else {
                i = e_start;
            }
        }
        let text: String = s[start..i].iter().collect();
        let v = if is_float {
            match &self.parse_float {
                Some(f) => vm.call(f, vec![Value::string(text)], Vec::new())?,
                None => Value::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
            }
        } else {
            match &self.parse_int {
                Some(f) => vm.call(f, vec![Value::string(text)], Vec::new())?,
                None => match text.parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => Value::from_bigint(text.parse::<BigInt>().unwrap_or_default()),
                },
            }
        };
        Ok((v, i))
    }

    /// A string body starting after its opening quote at `end - 1`.
    fn string(&self, end: usize) -> Result<(String, usize), Fail> {
        let s = &self.s;
        let len = s.len();
        let begin = end - 1;
        let mut out = String::new();
        let mut next = end;
        loop {
            let mut c = None;
            while next < len {
                let d = s[next];
                if d == '"' || d == '\\' {
                    c = Some(d);
                    break;
                }
                if (d as u32) <= 0x1f && self.strict {
                    return fail("Invalid control character at", next);
                }
                out.push(d);
                next += 1;
            }
            match c {
                Some('"') => return Ok((out, next + 1)),
                Some(_) => {}
                None => return fail("Unterminated string starting at", begin),
            }
            next += 1; // past the backslash
            let Some(&esc) = s.get(next) else {
                return fail("Unterminated string starting at", begin);
            };
            if esc != 'u' {
                let ch = match esc {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => return fail("Invalid \\escape", next - 1),
                };
                out.push(ch);
                next += 1;
                continue;
            }
            next += 1;
            let c1 = self.hex4(next)?;
            next += 4;
            let mut code = c1;
            if (0xd800..0xdc00).contains(&c1)
                && next + 6 < len
                && s.get(next) == Some(&'\\')
                && s.get(next + 1) == Some(&'u')
            {
                let c2 = self.hex4(next + 2)?;
                if (0xdc00..0xe000).contains(&c2) {
                    code = 0x10000 + ((c1 - 0xd800) << 10) + (c2 - 0xdc00);
                    next += 6;
                }
            }
            // A lone surrogate cannot live in a toy string: it becomes U+FFFD.
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
    }

    /// Four hex digits at `i` (the digits after `\u`).
    fn hex4(&self, i: usize) -> Result<u32, Fail> {
        if i + 4 >= self.s.len() {
            return fail("Invalid \\uXXXX escape", i - 1);
        }
        let mut v = 0u32;
        for k in 0..4 {
            match self.s[i + k].to_digit(16) {
                Some(d) => v = v * 16 + d,
                None => return fail("Invalid \\uXXXX escape", i - 1),
            }
        }
        Ok(v)
    }

    fn object(&self, vm: &mut Vm, start: usize, depth: usize) -> Result<(Value, usize), Fail> {
        let mut pairs: Vec<(Value, Value)> = Vec::new();
        let mut i = self.skip_ws(start);
        if self.at(i) != Some('}') {
            loop {
                if self.at(i) != Some('"') {
                    return fail("Expecting property name enclosed in double quotes", i);
                }
                let (key, next) = self.string(i + 1)?;
                i = self.skip_ws(next);
                if self.at(i) != Some(':') {
                    return fail("Expecting ':' delimiter", i);
                }
                i = self.skip_ws(i + 1);
                let (val, next) = self.value(vm, i, depth + 1)?;
                pairs.push((Value::string(key), val));
                i = self.skip_ws(next);
                if self.at(i) == Some('}') {
                    break;
                }
                if self.at(i) != Some(',') {
                    return fail("Expecting ',' delimiter", i);
                }
                i = self.skip_ws(i + 1);
            }
        }
        let end = i + 1;
        if let Some(hook) = &self.object_pairs_hook {
            let list = Value::list(
                pairs
                    .into_iter()
                    .map(|(k, v)| Value::tuple(vec![k, v]))
                    .collect(),
            );
            return Ok((vm.call(hook, vec![list], Vec::new())?, end));
        }
        let d = DictObj::new();
        for (k, v) in pairs {
            d.set_item(k, v)?;
        }
        let d = Value::dict(d);
        if let Some(hook) = &self.object_hook {
            return Ok((vm.call(hook, vec![d], Vec::new())?, end));
        }
        Ok((d, end))
    }

    fn array(&self, vm: &mut Vm, start: usize, depth: usize) -> Result<(Value, usize), Fail> {
        let mut items = Vec::new();
        let mut i = self.skip_ws(start);
        if self.at(i) != Some(']') {
            loop {
                let (v, next) = self.value(vm, i, depth + 1)?;
                items.push(v);
                i = self.skip_ws(next);
                if self.at(i) == Some(']') {
                    break;
                }
                if self.at(i) != Some(',') {
                    return fail("Expecting ',' delimiter", i);
                }
                i = self.skip_ws(i + 1);
            }
        }
        Ok((Value::list(items), i + 1))
    }
}

/// Raise `JSONDecodeError(msg, doc, pos)` with CPython's message and attributes.
fn decode_error(doc: &[char], text: &Arc<StrObj>, e: DecodeError) -> Exc {
    let exc = Exc::new(decode_error_type(), "");
    fill_decode_error(exc.value(), doc, text, e.msg, e.pos);
    exc
}

fn decode_text(vm: &mut Vm, doc: &Value, kw: Kw) -> ToyResult<Value> {
    let names = [
        "cls",
        "object_hook",
        "parse_float",
        "parse_int",
        "parse_constant",
        "object_pairs_hook",
        "strict",
    ];
    let [_cls, object_hook, parse_float, parse_int, parse_constant, object_pairs_hook, strict] =
        args::keywords("loads", kw, &names)?
            .try_into()
            .unwrap_or_default();
    let text: Arc<StrObj> = match json_view(doc) {
        Value::Str(s) => s.clone(),
        Value::Bytes(b) => {
            let b = b.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(b);
            Arc::new(StrObj::new(String::from_utf8_lossy(b).into_owned()))
        }
        other => {
            return Err(Exc::type_error(format!(
                "the JSON object must be str, bytes or bytearray, not {}",
                other.type_name()
            )))
        }
    };
    let chars: Vec<char> = text.as_str().chars().collect();
    if chars.first() == Some(&'\u{feff}') {
        let e = DecodeError {
            msg: "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            pos: 0,
        };
        return Err(decode_error(&chars, &text, e));
    }
    let some = |v: Option<Value>| v.filter(|v| !v.is_none());
    let dec = Decoder {
        s: chars,
        object_hook: some(object_hook),
        object_pairs_hook: some(object_pairs_hook),
        parse_float: some(parse_float),
        parse_int: some(parse_int),
        parse_constant: some(parse_constant),
        strict: kw_value(vm, strict, true)?,
    };
    let start = dec.skip_ws(0);
    let result = dec.value(vm, start, 0).and_then(|(v, end)| {
        let end = dec.skip_ws(end);
        if end != dec.s.len() {
            return fail("Extra data", end);
        }
        Ok(v)
    });
    match result {
        Ok(v) => Ok(v),
        Err(Fail::Raised(e)) => Err(e),
        Err(Fail::Decode(e)) => Err(decode_error(&dec.s, &text, e)),
    }
}

fn loads(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if args.len() != 1 {
        return Err(Exc::type_error(if args.is_empty() {
            "loads() missing 1 required positional argument: 's'".to_string()
        } else {
            format!(
                "loads() takes 1 positional argument but {} were given",
                args.len()
            )
        }));
    }
    decode_text(vm, &args[0], kw)
}

fn load(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    if args.len() != 1 {
        return Err(Exc::type_error(format!(
            "load() takes 1 positional argument but {} were given",
            args.len()
        )));
    }
    let read = method(vm, &args[0], "read")?;
    let text = vm.call(&read, Vec::new(), Vec::new())?;
    decode_text(vm, &text, kw)
}
