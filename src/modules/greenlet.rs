//! `greenlet`: the native module under `gevent`, with the real greenlet package's API —
//! `greenlet(run=None, parent=None)`, `g.switch(*args, **kwargs)`, `g.throw(...)`,
//! `g.parent`, `g.dead`, `bool(g)`, `getcurrent()`, `GreenletExit`, `error`. How a switch
//! works is in `vm::greenlet`.

use std::sync::{Arc, OnceLock};

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::types::Instance;
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::greenlet::{self as gl, GreenletObj};
use crate::vm::Vm;

pub fn init(vm: &mut Vm, m: &Arc<DictObj>) {
    let t = greenlet_type();
    m.set_str("greenlet", Value::Type(t.clone()));
    m.set_str(
        "getcurrent",
        Value::Builtin(Arc::new(Builtin::function("getcurrent", getcurrent))),
    );
    let exit = make_class(vm, "GreenletExit", &types().exceptions.base_exception);
    let error = make_class(vm, "error", &types().exceptions.exception);
    if let Some(e) = exit {
        m.set_str("GreenletExit", e);
    }
    if let Some(e) = error {
        m.set_str("error", e);
    }
    // Properties: `dead`, `parent` (settable), `gr_frame`-less.
    let prop = |vm: &mut Vm, name: &'static str, get: NativeFn, set: Option<NativeFn>| {
        let mut a = vec![Value::Builtin(Arc::new(Builtin::function(name, get)))];
        if let Some(s) = set {
            a.push(Value::Builtin(Arc::new(Builtin::function(name, s))));
        }
        if let Ok(p) = vm.call(&Value::Type(types().property.clone()), a, Vec::new()) {
            t.set_attr(name, p);
        }
    };
    prop(vm, "dead", g_dead, None);
    prop(vm, "parent", g_parent, Some(g_set_parent));
}

/// A new class `name(base)` in module `greenlet`.
fn make_class(vm: &mut Vm, name: &str, base: &Arc<TypeObj>) -> Option<Value> {
    let ns = DictObj::new();
    ns.set_str("__module__", Value::str("greenlet"));
    vm.call(
        &Value::Type(types().type_.clone()),
        vec![
            Value::str(name),
            Value::tuple(vec![Value::Type(base.clone())]),
            Value::Dict(Arc::new(ns)),
        ],
        Vec::new(),
    )
    .ok()
}

fn greenlet_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        TypeObj::new_native(
            "greenlet",
            "greenlet",
            g_new,
            &[
                ("__init__", g_init),
                ("switch", g_switch),
                ("throw", g_throw),
                ("__bool__", g_bool),
                ("__repr__", g_repr),
            ],
        )
    })
}

fn make_main(vm: &Vm) -> Value {
    Instance::native(greenlet_type(), gl::new_main(vm.thread.ident))
}

fn current(vm: &Vm) -> Value {
    gl::current(|| make_main(vm))
}

fn getcurrent(vm: &mut Vm, _args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(current(vm))
}

fn obj(v: &Value) -> ToyResult<&GreenletObj> {
    gl::greenlet_of(v).ok_or_else(|| Exc::type_error("expected a greenlet"))
}

/// Check a would-be parent: a greenlet of this thread, without making a cycle.
fn check_parent(vm: &Vm, me: Option<&Value>, parent: &Value) -> ToyResult<()> {
    let p = gl::greenlet_of(parent).ok_or_else(|| Exc::type_error("parent must be a greenlet"))?;
    if p.thread != vm.thread.ident {
        return Err(Exc::value_error("parent cannot be on a different thread"));
    }
    if let Some(me) = me {
        let mut cur = parent.clone();
        loop {
            if cur.is(me) {
                return Err(Exc::value_error("cyclic parent chain"));
            }
            let next = match gl::greenlet_of(&cur) {
                Some(g) => g.state.lock().parent.clone(),
                None => break,
            };
            if next.is_none() {
                break;
            }
            cur = next;
        }
    }
    Ok(())
}

/// `greenlet(run=None, parent=None)`; a subclass gets its arguments in `__init__`.
fn g_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let cls = match args.first() {
        Some(Value::Type(t)) => t.clone(),
        _ => return Err(Exc::type_error("greenlet.__new__(X): X is not a type")),
    };
    let parent = current(vm);
    let g = Instance::native(&cls, GreenletObj::new(vm.thread.ident, parent));
    if Arc::ptr_eq(&cls, greenlet_type()) {
        g_init(vm, &[std::slice::from_ref(&g), &args[1..]].concat(), kw)?;
    }
    Ok(g)
}

fn g_init(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let [run_kw, parent_kw] = args::keywords("greenlet", kw, &["run", "parent"])?
        .try_into()
        .unwrap_or_default();
    args::count("greenlet", args, 1, 3)?;
    let me = &args[0];
    let g = obj(me)?;
    if let Some(run) = args.get(1).cloned().or(run_kw) {
        if !run.is_none() {
            if let Value::Instance(i) = me {
                i.set_attr_str("run", run);
            }
        }
    }
    if let Some(parent) = args.get(2).cloned().or(parent_kw) {
        if !parent.is_none() {
            check_parent(vm, Some(me), &parent)?;
            g.state.lock().parent = parent;
        }
    }
    Ok(Value::None)
}

fn check_thread(vm: &Vm, g: &GreenletObj) -> ToyResult<()> {
    if g.thread != vm.thread.ident {
        let error = vm
            .module_value("greenlet")
            .and_then(|m| m.dict.get_str("error"));
        let msg = "cannot switch to a different thread";
        return Err(match error {
            Some(Value::Type(t)) => Exc::new(&t, msg),
            _ => Exc::runtime_error(msg),
        });
    }
    Ok(())
}

fn g_switch(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(target) = args.first() else {
        return Err(Exc::type_error("switch() needs a greenlet"));
    };
    check_thread(vm, obj(target)?)?;
    let payload = Ok((args[1..].to_vec(), kw.to_vec()));
    gl::switch(vm, target.clone(), payload)
}

/// `g.throw(typ=GreenletExit, val=None, tb=None)`: raise in `g` when it resumes.
fn g_throw(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("throw", kw)?;
    args::count("throw", args, 1, 4)?;
    let target = &args[0];
    check_thread(vm, obj(target)?)?;
    let typ = match args.get(1) {
        Some(t) => t.clone(),
        None => vm
            .module_value("greenlet")
            .and_then(|m| m.dict.get_str("GreenletExit"))
            .unwrap_or(Value::None),
    };
    let exc = match (&typ, args.get(2)) {
        (Value::Type(_), Some(v)) if !v.is_none() => {
            if crate::objects::exception::exception_state(v).is_some() {
                Exc::from_value(v.clone())
                    .ok_or_else(|| Exc::type_error("exceptions must derive from BaseException"))?
            } else {
                let inst = vm.call(&typ, vec![v.clone()], Vec::new())?;
                Exc::from_value(inst)
                    .ok_or_else(|| Exc::type_error("exceptions must derive from BaseException"))?
            }
        }
        _ => vm.make_exception(typ.clone())?,
    };
    gl::switch(vm, target.clone(), Err(exc))
}

fn g_bool(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Bool(
        obj(args.first().unwrap_or(&Value::None))?.active(),
    ))
}

fn g_dead(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let g = obj(args.first().unwrap_or(&Value::None))?;
    let st = g.state.lock();
    Ok(Value::Bool(!g.is_main && st.dead))
}

fn g_parent(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let g = obj(args.first().unwrap_or(&Value::None))?;
    let p = g.state.lock().parent.clone();
    Ok(p)
}

fn g_set_parent(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("parent", args, 2, 2)?;
    let g = obj(&args[0])?;
    check_parent(vm, Some(&args[0]), &args[1])?;
    g.state.lock().parent = args[1].clone();
    Ok(Value::None)
}

fn g_repr(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let me = args.first().unwrap_or(&Value::None);
    let g = obj(me)?;
    let addr = match me {
        Value::Instance(i) => Instance::identity_ptr(i),
        _ => 0,
    };
    let (started, dead) = {
        let st = g.state.lock();
        (st.started, st.dead)
    };
    let name = me.class().name.to_string();
    let what = if g.is_main {
        " current active started main"
    } else if dead {
        " dead"
    } else if started {
        " suspended active started"
    } else {
        ""
    };
    Ok(Value::string(format!(
        "<greenlet.{name} object at {addr:#x} (otid={:#x}){what}>",
        g.thread
    )))
}
