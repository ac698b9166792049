//! Operators: arithmetic, comparison, membership, subscripting and unpacking, with the
//! builtin types handled directly and user classes through their dunder methods.

use std::cmp::Ordering;
use std::sync::Arc;

use super::Vm;
use crate::compile::opcode::Instr;
use crate::objects::int::index_of;
use crate::objects::number::{self, numeric_cmp, op_symbol};
use crate::objects::slice::normalize_index;
use crate::objects::types::base_value;
use crate::objects::{Exc, StrObj, ToyResult, Value};
use crate::syntax::ast::{BinOp, CmpOp};

/// The dunder names of each binary operator: (normal, reflected, in-place).
fn dunders(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
    }
}

impl Vm {
    /// `a op b`. The common cases are decided first, before the general numeric
    /// dispatch: two small ints (the eval loop already did + - * & | ^ when they do not
    /// overflow), two strs.
    pub fn binary_op(&mut self, op: BinOp, inplace: bool, a: Value, b: Value) -> ToyResult<Value> {
        match (op, &a, &b) {
            (_, Value::Int(x), Value::Int(y)) => number::int_op(op, *x, *y),
            (BinOp::Add, Value::Str(x), Value::Str(y)) => Ok(concat_str(x, y)),
            _ => self.binary_op_general(op, inplace, a, b),
        }
    }

    fn binary_op_general(
        &mut self,
        op: BinOp,
        inplace: bool,
        a: Value,
        b: Value,
    ) -> ToyResult<Value> {
        if let Some(r) = self.builtin_values_op(op, inplace, &a, &b) {
            return r;
        }
        // User-defined operators: in-place, then normal, then reflected.
        let (normal, reflected, inplace_name) = dunders(op);
        if inplace {
            if let Some(r) = self.try_dunder(&a, inplace_name, &b)? {
                return Ok(r);
            }
        }
        if let Some(r) = self.try_dunder(&a, normal, &b)? {
            return Ok(r);
        }
        if !a.class().is_subtype(b.class()) || !std::ptr::eq(&**a.class(), &**b.class()) {
            if let Some(r) = self.try_dunder(&b, reflected, &a)? {
                return Ok(r);
            }
        }
        // Subclasses of builtin types: the operation applies to the builtin values (their
        // user-defined operators have been tried above); the error names the subclasses.
        if let Some((a2, b2)) = unwrap_bases(&a, &b) {
            if let Some(r) = self.builtin_values_op(op, inplace, &a2, &b2) {
                return r;
            }
        }
        Err(self.binary_type_error(op, inplace, &a, &b))
    }

    /// `a op b` when the builtin types of the operands define it; None when they do not.
    fn builtin_values_op(
        &mut self,
        op: BinOp,
        inplace: bool,
        a: &Value,
        b: &Value,
    ) -> Option<ToyResult<Value>> {
        if let Some(r) = number::binary(op, a, b) {
            return Some(r);
        }
        if let Some(r) = self.builtin_binary(op, inplace, a, b) {
            return Some(r);
        }
        self.dict_view_set_op(op, a, b)
    }

    fn binary_type_error(&self, op: BinOp, inplace: bool, a: &Value, b: &Value) -> Exc {
        // The sequence messages go by the builtin type an instance of a subclass carries.
        let builtin = |v: &'_ Value| base_value(v).cloned().unwrap_or_else(|| v.clone());
        let is_seq = |v: &Value| {
            matches!(
                builtin(v),
                Value::Str(_) | Value::List(_) | Value::Tuple(_) | Value::Bytes(_)
            )
        };
        let a_builtin = builtin(a);
        let concat = |kind: &str| {
            Exc::type_error(format!(
                "can only concatenate {kind} (not \"{}\") to {kind}",
                b.type_name()
            ))
        };
        match op {
            BinOp::Add if matches!(a_builtin, Value::Str(_)) => concat("str"),
            BinOp::Add if matches!(a_builtin, Value::List(_)) && !inplace => concat("list"),
            BinOp::Add if matches!(a_builtin, Value::Tuple(_)) => concat("tuple"),
            BinOp::Add if matches!(a_builtin, Value::Bytes(_)) => {
                crate::objects::bytes::concat_error(b)
            }
            BinOp::Mul if is_seq(a) || is_seq(b) => {
                let other = if is_seq(a) { b } else { a };
                Exc::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    other.type_name()
                ))
            }
            _ => {
                let sym = match (op, inplace) {
                    (BinOp::Pow, true) => "**=".to_string(),
                    (_, true) => format!("{}=", op_symbol(op)),
                    _ => op_symbol(op).to_string(),
                };
                Exc::type_error(format!(
                    "unsupported operand type(s) for {sym}: '{}' and '{}'",
                    a.type_name(),
                    b.type_name()
                ))
            }
        }
    }

    /// Operators on builtin containers and strings. `None` when not applicable.
    fn builtin_binary(
        &mut self,
        op: BinOp,
        inplace: bool,
        a: &Value,
        b: &Value,
    ) -> Option<ToyResult<Value>> {
        use Value::*;
        Some(match (op, a, b) {
            (BinOp::Add, Str(x), Str(y)) => Ok(concat_str(x, y)),
            (BinOp::Add, List(x), List(y)) => {
                if inplace {
                    let extra = y.snapshot();
                    x.lock().extend(extra);
                    Ok(a.clone())
                } else {
                    let mut items = x.snapshot();
                    items.extend(y.snapshot());
                    Ok(Value::list(items))
                }
            }
            (BinOp::Add, List(x), _) if inplace => match self.collect(b) {
                Ok(extra) => {
                    x.lock().extend(extra);
                    Ok(a.clone())
                }
                Err(e) => Err(e),
            },
            (BinOp::Add, Tuple(x), Tuple(y)) => {
                let mut items = x.items().to_vec();
                items.extend_from_slice(y.items());
                Ok(Value::tuple(items))
            }
            (BinOp::Mul, Str(_) | List(_) | Tuple(_) | Bytes(_), Int(_) | Bool(_) | BigInt(_)) => {
                self.repeat(a, b, inplace)
            }
            (BinOp::Mul, Int(_) | Bool(_) | BigInt(_), Str(_) | List(_) | Tuple(_) | Bytes(_)) => {
                self.repeat(b, a, false)
            }
            (BinOp::Add, Bytes(x), Bytes(y)) => {
                let mut v = Vec::clone(x);
                v.extend_from_slice(y);
                Ok(Value::Bytes(Arc::new(v)))
            }
            (BinOp::Mod, Str(fmt), args) => {
                crate::objects::str_methods::percent_format(self, fmt.as_str(), args)
                    .map(Value::string)
            }
            (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Set(x), Set(y)) => {
                let frozen = x.frozen;
                if inplace && !frozen {
                    // `s |= t` and friends update `s` in place, as CPython's `set_ior` etc.
                    let r = match op {
                        BinOp::BitOr => x.update_from(self, y),
                        BinOp::BitAnd => x.intersection_update(self, y),
                        BinOp::Sub => x.difference_update(self, y),
                        _ => x.symmetric_difference_update(self, y),
                    };
                    return Some(r.map(|()| a.clone()));
                }
                let result = match op {
                    BinOp::BitOr => x.union(self, y, frozen),
                    BinOp::BitAnd => x.intersection(self, y, frozen),
                    BinOp::Sub => x.difference(self, y, frozen),
                    _ => x.symmetric_difference(self, y, frozen),
                };
                result.map(Value::set)
            }
            (BinOp::BitOr, Dict(x), Dict(y)) => {
                // The keys of `y` keep the hashes it stored, as in CPython's `dict_merge`.
                let target = if inplace {
                    x.clone()
                } else {
                    Arc::new(x.copy())
                };
                for e in y.entries() {
                    if let Err(e) = target.set_item_hashed_in(self, e.hash, e.key, e.value) {
                        return Some(Err(e));
                    }
                }
                Ok(if inplace {
                    a.clone()
                } else {
                    Value::Dict(target)
                })
            }
            _ => return Option::None,
        })
    }

    /// `seq * n`.
    fn repeat(&mut self, seq: &Value, n: &Value, inplace: bool) -> ToyResult<Value> {
        let n = match index_of(n) {
            Ok(n) => n.max(0) as usize,
            Err(_) => {
                return Err(Exc::overflow(
                    "cannot fit 'int' into an index-sized integer",
                ))
            }
        };
        let check = |len: usize| -> ToyResult<()> {
            if len.saturating_mul(n) > (1 << 34) {
                Err(Exc::new(
                    &crate::objects::types().exceptions.memory_error,
                    "",
                ))
            } else {
                Ok(())
            }
        };
        match seq {
            Value::Str(s) => {
                check(s.as_str().len())?;
                Ok(Value::string(s.as_str().repeat(n)))
            }
            Value::Bytes(b) => {
                check(b.len())?;
                Ok(Value::Bytes(Arc::new(b.repeat(n))))
            }
            Value::List(l) => {
                let items = l.snapshot();
                check(items.len())?;
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    out.extend(items.iter().cloned());
                }
                if inplace {
                    l.replace(out);
                    return Ok(seq.clone());
                }
                Ok(Value::list(out))
            }
            Value::Tuple(t) => {
                check(t.len())?;
                let mut out = Vec::with_capacity(t.len() * n);
                for _ in 0..n {
                    out.extend(t.items().iter().cloned());
                }
                Ok(Value::tuple(out))
            }
            _ => Err(Exc::type_error("can't repeat this")),
        }
    }

    /// Call `a.name(b)` if `a`'s class defines it; `None` if undefined or NotImplemented.
    fn try_dunder(&mut self, a: &Value, name: &str, b: &Value) -> ToyResult<Option<Value>> {
        if !matches!(a, Value::Instance(_)) {
            return Ok(None);
        }
        let Some(method) = a.class().lookup(name) else {
            return Ok(None);
        };
        let r = self.call(&method, vec![a.clone(), b.clone()], Vec::new())?;
        Ok(if matches!(r, Value::NotImplemented) {
            None
        } else {
            Some(r)
        })
    }

    pub fn unary_op(&mut self, instr: Instr, a: Value) -> ToyResult<Value> {
        let (result, symbol, dunder) = match instr {
            Instr::UnaryNegative => (number::negate(&a), "-", "__neg__"),
            Instr::UnaryPositive => (
                match &a {
                    Value::Bool(b) => Some(Value::Int(*b as i64)),
                    Value::Int(_) | Value::BigInt(_) | Value::Float(_) => Some(a.clone()),
                    _ => None,
                },
                "+",
                "__pos__",
            ),
            _ => (number::invert(&a), "~", "__invert__"),
        };
        if let Some(r) = result {
            return Ok(r);
        }
        if let Value::Instance(_) = &a {
            if let Some(m) = a.class().lookup(dunder) {
                return self.call(&m, vec![a.clone()], Vec::new());
            }
        }
        Err(Exc::type_error(format!(
            "bad operand type for unary {symbol}: '{}'",
            a.type_name()
        )))
    }

    /// `a op b` for the rich comparisons.
    pub fn compare_op(&mut self, op: CmpOp, a: &Value, b: &Value) -> ToyResult<Value> {
        match op {
            CmpOp::Eq => return self.eq(a, b).map(Value::Bool),
            CmpOp::NotEq => return self.eq(a, b).map(|e| Value::Bool(!e)),
            _ => {}
        }
        if let Some(r) = self.builtin_order_op(op, a, b)? {
            return Ok(r);
        }
        let (name, reflected) = match op {
            CmpOp::Lt => ("__lt__", "__gt__"),
            CmpOp::LtE => ("__le__", "__ge__"),
            CmpOp::Gt => ("__gt__", "__lt__"),
            _ => ("__ge__", "__le__"),
        };
        if let Some(r) = self.try_dunder(a, name, b)? {
            return Ok(r);
        }
        if let Some(r) = self.try_dunder(b, reflected, a)? {
            return Ok(r);
        }
        // Subclasses of builtin types compare as their builtin values; the error names the
        // subclasses.
        if let Some((a2, b2)) = unwrap_bases(a, b) {
            if let Some(r) = self.builtin_order_op(op, &a2, &b2)? {
                return Ok(r);
            }
        }
        let sym = match op {
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            _ => ">=",
        };
        Err(Exc::type_error(format!(
            "'{sym}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )))
    }

    /// `<`, `<=`, `>`, `>=` between values whose builtin types order them (numbers, strs,
    /// sequences, sets); None when they do not.
    fn builtin_order_op(&mut self, op: CmpOp, a: &Value, b: &Value) -> ToyResult<Option<Value>> {
        if let Some(r) = self.dict_view_compare(op, a, b)? {
            return Ok(Some(Value::Bool(r)));
        }
        if let (Value::Set(x), Value::Set(y)) = (a, b) {
            // Subset tests, with CPython's size checks first (`set_richcompare`).
            let r = match op {
                CmpOp::Lt => x.len() < y.len() && x.is_subset(self, y)?,
                CmpOp::LtE => x.is_subset(self, y)?,
                CmpOp::Gt => x.len() > y.len() && y.is_subset(self, x)?,
                _ => y.is_subset(self, x)?,
            };
            return Ok(Some(Value::Bool(r)));
        }
        if let Some(ord) = self.builtin_order(a, b)? {
            let r = match ord {
                None => false,
                Some(o) => match op {
                    CmpOp::Lt => o == Ordering::Less,
                    CmpOp::LtE => o != Ordering::Greater,
                    CmpOp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
            };
            return Ok(Some(Value::Bool(r)));
        }
        Ok(None)
    }

    /// Ordering of two builtin values of comparable types: outer `None` when the types are
    /// not comparable natively, inner `None` for unordered (NaN).
    pub fn builtin_order(&mut self, a: &Value, b: &Value) -> ToyResult<Option<Option<Ordering>>> {
        if let Some(o) = numeric_cmp(a, b) {
            return Ok(Some(o));
        }
        Ok(match (a, b) {
            (Value::Str(x), Value::Str(y)) => Some(Some(x.as_str().cmp(y.as_str()))),
            (Value::Bytes(x), Value::Bytes(y)) => Some(Some(x.cmp(y))),
            (Value::List(x), Value::List(y)) => {
                let (xs, ys) = (x.snapshot(), y.snapshot());
                Some(self.sequence_order(&xs, &ys)?)
            }
            (Value::Tuple(x), Value::Tuple(y)) => Some(self.sequence_order(x.items(), y.items())?),
            (Value::Set(x), Value::Set(y)) => {
                let sub = x.is_subset(self, y)?;
                let sup = y.is_subset(self, x)?;
                Some(match (sub, sup) {
                    (true, true) => Some(Ordering::Equal),
                    (true, false) => Some(Ordering::Less),
                    (false, true) => Some(Ordering::Greater),
                    _ => None,
                })
            }
            _ => None,
        })
    }

    /// Lexicographic order: the first unequal pair decides (compared with `<`).
    fn sequence_order(&mut self, xs: &[Value], ys: &[Value]) -> ToyResult<Option<Ordering>> {
        for (x, y) in xs.iter().zip(ys) {
            if !self.eq(x, y)? {
                if self
                    .compare_op(CmpOp::Lt, x, y)
                    .and_then(|v| self.truthy(&v))?
                {
                    return Ok(Some(Ordering::Less));
                }
                return Ok(Some(Ordering::Greater));
            }
        }
        Ok(Some(xs.len().cmp(&ys.len())))
    }

    /// `a == b`.
    pub fn eq(&mut self, a: &Value, b: &Value) -> ToyResult<bool> {
        if let Some(e) = number::numeric_eq(a, b) {
            return Ok(e);
        }
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => {
                return Ok(Arc::ptr_eq(x, y) || x.as_str() == y.as_str())
            }
            (Value::List(x), Value::List(y)) => {
                if Arc::ptr_eq(x, y) {
                    return Ok(true);
                }
                let (xs, ys) = (x.snapshot(), y.snapshot());
                return self.sequence_eq(&xs, &ys);
            }
            (Value::Tuple(x), Value::Tuple(y)) => return self.sequence_eq(x.items(), y.items()),
            (Value::Dict(x), Value::Dict(y)) => {
                if Arc::ptr_eq(x, y) {
                    return Ok(true);
                }
                if x.len() != y.len() {
                    return Ok(false);
                }
                // Looked up with the hashes `x` stored, as CPython's `dict_equal` does.
                for e in x.entries() {
                    let (k, v) = (e.key, e.value);
                    match y.get_hashed_in(self, e.hash, &k)? {
                        Some(w) => {
                            if !self.eq(&v, &w)? {
                                return Ok(false);
                            }
                        }
                        None => return Ok(false),
                    }
                }
                return Ok(true);
            }
            (Value::Set(x), Value::Set(y)) => return x.set_equal(self, y),
            (Value::Bytes(x), Value::Bytes(y)) => return Ok(x == y),
            (Value::Iter(_), _) | (_, Value::Iter(_)) => {
                if let Some(r) = self.dict_view_compare(CmpOp::Eq, a, b)? {
                    return Ok(r);
                }
            }
            (Value::BoundMethod(x), Value::BoundMethod(y)) => {
                return Ok(x.receiver.is(&y.receiver) && x.func.is(&y.func))
            }
            (Value::Range(x), Value::Range(y)) => {
                let (lx, ly) = (x.len(), y.len());
                return Ok(
                    lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)))
                );
            }
            _ => {}
        }
        // The reflected method goes first when the right operand's class is a proper
        // subclass of the left's, as in Python.
        let (first, second) =
            if !Arc::ptr_eq(a.class(), b.class()) && b.class().is_subtype(a.class()) {
                (b, a)
            } else {
                (a, b)
            };
        if let Some(r) = self.try_dunder(first, "__eq__", second)? {
            return self.truthy(&r);
        }
        if let Some(r) = self.try_dunder(second, "__eq__", first)? {
            return self.truthy(&r);
        }
        if let Some((a2, b2)) = unwrap_bases(a, b) {
            return self.eq(&a2, &b2);
        }
        Ok(a.is(b))
    }

    fn sequence_eq(&mut self, xs: &[Value], ys: &[Value]) -> ToyResult<bool> {
        if xs.len() != ys.len() {
            return Ok(false);
        }
        for (x, y) in xs.iter().zip(ys) {
            if !x.is(y) && !self.eq(x, y)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> ToyResult<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.as_str().contains(sub.as_str())),
                other => Err(Exc::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ))),
            },
            Value::List(l) => {
                let items = l.snapshot();
                for x in &items {
                    if x.is(item) || self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Tuple(t) => {
                for x in t.items() {
                    if x.is(item) || self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Dict(d) => match d.has_builtin_key(item) {
                Some(found) => Ok(found),
                None => Ok(d.get_in(self, item)?.is_some()),
            },
            Value::Set(s) => s.contains_in(self, item),
            Value::Range(r) => Ok(match item {
                Value::Int(_) | Value::Bool(_) => {
                    r.contains(crate::objects::int::to_i64(item).unwrap_or(0))
                }
                Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e18 => r.contains(*f as i64),
                _ => false,
            }),
            Value::Bytes(b) => crate::objects::bytes::contains(b, item),
            Value::Iter(it) if it.is_view() => {
                let dict = match &*it.state.lock() {
                    crate::objects::iter::IterState::View { dict } => Some(dict.clone()),
                    _ => None,
                };
                // Keys and items views look the key up, as CPython's do.
                match (it.kind, dict) {
                    (crate::objects::iter::IterKind::KeysView, Some(d)) => {
                        return Ok(d.get_in(self, item)?.is_some());
                    }
                    (crate::objects::iter::IterKind::ItemsView, Some(d)) => {
                        let Value::Tuple(pair) = item else {
                            return Ok(false);
                        };
                        let [k, v] = pair.items() else {
                            return Ok(false);
                        };
                        return match d.get_in(self, k)? {
                            Some(found) => Ok(found.is(v) || self.eq(&found, v)?),
                            None => Ok(false),
                        };
                    }
                    _ => {}
                }
                let items = self.collect(container)?;
                for x in &items {
                    if self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => {
                if let Some(m) = self.lookup_special(container, "__contains__") {
                    let r = self.call(&m, vec![container.clone(), item.clone()], Vec::new())?;
                    return self.truthy(&r);
                }
                if let Some(inner) = base_value(container) {
                    return self.contains(&inner.clone(), item);
                }
                if !self.is_iterable(container) {
                    return Err(Exc::type_error(format!(
                        "argument of type '{}' is not iterable",
                        container.type_name()
                    )));
                }
                let it = self.get_iter(container)?;
                while let Some(x) = self.next(&it)? {
                    if x.is(item) || self.eq(&x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// `container[key]`.
    pub fn get_item(&mut self, container: &Value, key: &Value) -> ToyResult<Value> {
        match (container, key) {
            (Value::List(l), Value::Int(i)) => {
                let items = l.lock();
                match normalize_index(*i, items.len()) {
                    Some(i) => Ok(items[i].clone()),
                    None => Err(Exc::index_error("list index out of range")),
                }
            }
            (Value::Tuple(t), Value::Int(i)) => match normalize_index(*i, t.len()) {
                Some(i) => Ok(t.items()[i].clone()),
                None => Err(Exc::index_error("tuple index out of range")),
            },
            (Value::Dict(d), _) => match d.get_in(self, key)? {
                Some(v) => Ok(v),
                None => Err(Exc::key_error(key.clone())),
            },
            (Value::Str(s), Value::Int(i)) => match normalize_index(*i, s.char_len()) {
                Some(i) => Ok(s
                    .char_at(i)
                    .map_or_else(|| Value::str(""), crate::objects::str::char_value)),
                None => Err(Exc::index_error("string index out of range")),
            },
            (Value::Range(r), Value::Int(i)) => match normalize_index(*i, r.len()) {
                Some(i) => Ok(Value::Int(r.item(i))),
                None => Err(Exc::index_error("range object index out of range")),
            },
            (Value::Bytes(b), Value::Int(i)) => match normalize_index(*i, b.len()) {
                Some(i) => Ok(Value::Int(b[i] as i64)),
                None => Err(Exc::index_error("index out of range")),
            },
            (_, Value::Slice(s)) => self.get_slice(container, s),
            (
                Value::List(_)
                | Value::Tuple(_)
                | Value::Str(_)
                | Value::Range(_)
                | Value::Bytes(_),
                _,
            ) => match key {
                Value::Bool(_) | Value::BigInt(_) => {
                    let i = index_of(key).map_err(|_| {
                        Exc::index_error("cannot fit 'int' into an index-sized integer")
                    })?;
                    self.get_item(container, &Value::Int(i))
                }
                // CPython 3.11 words the str message differently from the others.
                _ if matches!(container, Value::Str(_)) => Err(Exc::type_error(format!(
                    "string indices must be integers, not '{}'",
                    key.type_name()
                ))),
                _ => {
                    let what = match container {
                        Value::List(_) => "list",
                        Value::Tuple(_) => "tuple",
                        Value::Range(_) => "range",
                        _ => "byte",
                    };
                    Err(Exc::type_error(format!(
                        "{what} indices must be integers or slices, not {}",
                        key.type_name()
                    )))
                }
            },
            _ => {
                if let Some(m) = self.lookup_special(container, "__getitem__") {
                    return self.call(&m, vec![container.clone(), key.clone()], Vec::new());
                }
                if let Some(inner) = base_value(container) {
                    let inner = inner.clone();
                    // dict subclasses: a missing key goes to `__missing__` (defaultdict).
                    if let Value::Dict(d) = &inner {
                        if d.get_in(self, key)?.is_none() {
                            if let Some(missing) = container.class().lookup("__missing__") {
                                return self.call(
                                    &missing,
                                    vec![container.clone(), key.clone()],
                                    Vec::new(),
                                );
                            }
                        }
                    }
                    return self.get_item(&inner, key);
                }
                if let Value::Type(t) = container {
                    if let Some(m) = t.lookup("__class_getitem__") {
                        return self.call(&m, vec![container.clone(), key.clone()], Vec::new());
                    }
                    return Err(Exc::type_error(format!(
                        "type '{}' is not subscriptable",
                        t.name
                    )));
                }
                Err(Exc::type_error(format!(
                    "'{}' object is not subscriptable",
                    container.type_name()
                )))
            }
        }
    }

    fn get_slice(&mut self, container: &Value, s: &crate::objects::SliceObj) -> ToyResult<Value> {
        fn pick<T: Clone>(items: &[T], start: isize, step: isize, count: usize) -> Vec<T> {
            (0..count)
                .map(|k| items[(start + k as isize * step) as usize].clone())
                .collect()
        }
        match container {
            Value::List(l) => {
                let items = l.lock();
                let (start, _, step, count) = s.indices(items.len())?;
                Ok(Value::list(pick(&items, start, step, count)))
            }
            Value::Tuple(t) => {
                let (start, _, step, count) = s.indices(t.len())?;
                if step == 1 && count == t.len() {
                    return Ok(container.clone());
                }
                Ok(Value::tuple(pick(t.items(), start, step, count)))
            }
            Value::Str(text) => {
                let (start, stop, step, count) = s.indices(text.char_len())?;
                if step == 1 {
                    return Ok(Value::str(
                        text.substring(start.max(0) as usize, stop.max(0) as usize),
                    ));
                }
                let chars: Vec<char> = text.as_str().chars().collect();
                Ok(Value::string(
                    pick(&chars, start, step, count).into_iter().collect(),
                ))
            }
            Value::Bytes(b) => {
                let (start, _, step, count) = s.indices(b.len())?;
                Ok(Value::Bytes(Arc::new(pick(b, start, step, count))))
            }
            Value::Range(r) => {
                let (start, stop, step, _) = s.indices(r.len())?;
                let first = r.start as i128 + start as i128 * r.step as i128;
                let new_step = r.step as i128 * step as i128;
                let stop = r.start as i128 + stop as i128 * r.step as i128;
                let clamp = |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
                Ok(Value::Range(Arc::new(crate::objects::RangeObj {
                    start: clamp(first),
                    stop: clamp(stop),
                    step: clamp(new_step),
                })))
            }
            _ => {
                if self.lookup_special(container, "__getitem__").is_none() {
                    if let Some(inner) = base_value(container) {
                        return self.get_slice(&inner.clone(), s);
                    }
                }
                if let Some(m) = self.lookup_special(container, "__getitem__") {
                    let key = Value::Slice(Arc::new(crate::objects::SliceObj {
                        start: s.start.clone(),
                        stop: s.stop.clone(),
                        step: s.step.clone(),
                    }));
                    return self.call(&m, vec![container.clone(), key], Vec::new());
                }
                Err(Exc::type_error(format!(
                    "'{}' object is not subscriptable",
                    container.type_name()
                )))
            }
        }
    }

    /// `container[key] = value`.
    pub fn set_item(&mut self, container: &Value, key: Value, value: Value) -> ToyResult<()> {
        match (container, &key) {
            (Value::List(l), Value::Int(_) | Value::Bool(_)) => {
                let i = index_of(&key)?;
                let mut items = l.lock();
                match normalize_index(i, items.len()) {
                    Some(i) => {
                        let old = std::mem::replace(&mut items[i], value);
                        drop(items);
                        drop(old);
                        Ok(())
                    }
                    None => Err(Exc::index_error("list assignment index out of range")),
                }
            }
            (Value::List(l), Value::Slice(s)) => {
                let new_items = self
                    .collect(&value)
                    .map_err(|_| Exc::type_error("can only assign an iterable"))?;
                let mut items = l.lock();
                let (start, stop, step, count) = s.indices(items.len())?;
                if step == 1 {
                    let (start, stop) = (start.max(0) as usize, stop.max(start).max(0) as usize);
                    let removed: Vec<Value> =
                        items.splice(start..stop.max(start), new_items).collect();
                    drop(items);
                    crate::objects::list::drop_reversed(removed);
                    return Ok(());
                }
                if new_items.len() != count {
                    return Err(Exc::value_error(format!(
                        "attempt to assign sequence of size {} to extended slice of size {count}",
                        new_items.len()
                    )));
                }
                for (k, v) in new_items.into_iter().enumerate() {
                    items[(start + k as isize * step) as usize] = v;
                }
                Ok(())
            }
            (Value::List(_), _) => Err(Exc::type_error(format!(
                "list indices must be integers or slices, not {}",
                key.type_name()
            ))),
            (Value::Dict(d), _) => match d.set_builtin_key(key, value) {
                Ok(()) => Ok(()),
                Err((key, value)) => d.set_item_in(self, key, value),
            },
            _ => {
                if let Some(m) = self.lookup_special(container, "__setitem__") {
                    self.call(&m, vec![container.clone(), key, value], Vec::new())?;
                    return Ok(());
                }
                if let Some(inner) = base_value(container) {
                    return self.set_item(&inner.clone(), key, value);
                }
                Err(Exc::type_error(format!(
                    "'{}' object does not support item assignment",
                    container.type_name()
                )))
            }
        }
    }

    /// `del container[key]`.
    pub fn del_item(&mut self, container: &Value, key: &Value) -> ToyResult<()> {
        match (container, key) {
            (Value::List(l), Value::Int(_) | Value::Bool(_)) => {
                let i = index_of(key)?;
                let mut items = l.lock();
                match normalize_index(i, items.len()) {
                    Some(i) => {
                        let old = items.remove(i);
                        drop(items);
                        drop(old);
                        Ok(())
                    }
                    None => Err(Exc::index_error("list assignment index out of range")),
                }
            }
            (Value::List(l), Value::Slice(s)) => {
                let mut items = l.lock();
                let (start, _, step, count) = s.indices(items.len())?;
                let mut doomed: Vec<usize> = (0..count)
                    .map(|k| (start + k as isize * step) as usize)
                    .collect();
                doomed.sort_unstable();
                let mut removed = Vec::new();
                for i in doomed.into_iter().rev() {
                    removed.push(items.remove(i));
                }
                drop(items);
                drop(removed);
                Ok(())
            }
            (Value::Dict(d), _) => match d.remove_in(self, key)? {
                Some(old) => {
                    drop(old);
                    Ok(())
                }
                None => Err(Exc::key_error(key.clone())),
            },
            _ => {
                if let Some(m) = self.lookup_special(container, "__delitem__") {
                    self.call(&m, vec![container.clone(), key.clone()], Vec::new())?;
                    return Ok(());
                }
                if let Some(inner) = base_value(container) {
                    return self.del_item(&inner.clone(), key);
                }
                Err(Exc::type_error(format!(
                    "'{}' object doesn't support item deletion",
                    container.type_name()
                )))
            }
        }
    }

    /// Unpack exactly `n` items (`a, b = seq`).
    pub fn unpack(&mut self, seq: &Value, n: usize) -> ToyResult<Vec<Value>> {
        let items = match seq {
            Value::Tuple(t) => t.items().to_vec(),
            Value::List(l) => l.snapshot(),
            other => {
                if !self.is_iterable(other) {
                    return Err(Exc::type_error(format!(
                        "cannot unpack non-iterable {} object",
                        other.type_name()
                    )));
                }
                // Stop after n + 1 items so infinite iterators fail fast.
                let it = self.get_iter(other)?;
                let mut items = Vec::with_capacity(n);
                while let Some(x) = self.next(&it)? {
                    items.push(x);
                    if items.len() > n {
                        return Err(Exc::value_error(format!(
                            "too many values to unpack (expected {n})"
                        )));
                    }
                }
                items
            }
        };
        match items.len().cmp(&n) {
            Ordering::Equal => Ok(items),
            Ordering::Greater => Err(Exc::value_error(format!(
                "too many values to unpack (expected {n})"
            ))),
            Ordering::Less => Err(Exc::value_error(format!(
                "not enough values to unpack (expected {n}, got {})",
                items.len()
            ))),
        }
    }

    /// Unpack with a starred target in the middle.
    pub fn unpack_ex(&mut self, seq: &Value, before: usize, after: usize) -> ToyResult<Vec<Value>> {
        if !self.is_iterable(seq) {
            return Err(Exc::type_error(format!(
                "cannot unpack non-iterable {} object",
                seq.type_name()
            )));
        }
        let mut items = self.collect(seq)?;
        if items.len() < before + after {
            return Err(Exc::value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                before + after,
                items.len()
            )));
        }
        let tail = items.split_off(items.len() - after);
        let middle = items.split_off(before);
        items.push(Value::list(middle));
        items.extend(tail);
        Ok(items)
    }
}

/// `x op y` for two small ints when the result is a small int too (no overflow, no
/// division by zero, not `/` or `**`): the eval loop's fast path. Python's floor semantics.
#[inline(always)]
pub(crate) fn small_int_op(op: BinOp, x: i64, y: i64) -> Option<i64> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::BitAnd => Some(x & y),
        BinOp::BitOr => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::Mod => {
            let r = x.checked_rem(y)?;
            Some(if r != 0 && (r < 0) != (y < 0) {
                r + y
            } else {
                r
            })
        }
        BinOp::FloorDiv => {
            let q = x.checked_div(y)?;
            Some(if x % y != 0 && (x < 0) != (y < 0) {
                q - 1
            } else {
                q
            })
        }
        _ => None,
    }
}

/// `x op y` for two small ints; `op` is one of the six orderings.
#[inline(always)]
pub(crate) fn small_int_compare(op: CmpOp, x: i64, y: i64) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::LtE => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::GtE => x >= y,
        CmpOp::Eq => x == y,
        _ => x != y,
    }
}

/// `container[key]` when it needs neither the VM nor an error: an int index in range of a
/// list, tuple or str, an int or str key present in a dict. `None` sends the caller to
/// `Vm::get_item`, which handles every case (this one included).
#[inline]
pub(crate) fn subscr_fast(container: &Value, key: &Value) -> Option<Value> {
    match (container, key) {
        (Value::List(l), Value::Int(i)) => {
            let items = l.lock();
            normalize_index(*i, items.len()).map(|i| items[i].clone())
        }
        (Value::Tuple(t), Value::Int(i)) => {
            normalize_index(*i, t.len()).map(|i| t.items()[i].clone())
        }
        (Value::Dict(d), Value::Int(_) | Value::Str(_)) => d.get_builtin_key(key),
        (Value::Str(s), Value::Int(i)) => normalize_index(*i, s.char_len())
            .and_then(|i| s.char_at(i))
            .map(crate::objects::str::char_value),
        _ => None,
    }
}

/// `item in container` when it needs no VM: an int or str key of a dict whose keys
/// compare natively. `None` sends the caller to `Vm::contains`.
#[inline]
pub(crate) fn contains_fast(container: &Value, item: &Value) -> Option<bool> {
    match container {
        Value::Dict(d) => d.has_builtin_key(item),
        _ => None,
    }
}

/// `x + y` for two strs: one allocation of the exact size, lengths known.
fn concat_str(x: &StrObj, y: &StrObj) -> Value {
    let mut s = String::with_capacity(x.as_str().len() + y.as_str().len());
    s.push_str(x.as_str());
    s.push_str(y.as_str());
    Value::string_with_len(s, x.char_len() + y.char_len())
}

/// For operands of which at least one is an instance of a subclass of a builtin type: both
/// operands with such instances replaced by the builtin values they carry.
fn unwrap_bases(a: &Value, b: &Value) -> Option<(Value, Value)> {
    if base_value(a).is_none() && base_value(b).is_none() {
        return None;
    }
    let unwrap = |v: &Value| base_value(v).cloned().unwrap_or_else(|| v.clone());
    Some((unwrap(a), unwrap(b)))
}
