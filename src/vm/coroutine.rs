//! The awaitable protocols behind `await`, `async with` and `async for`.
//!
//! A coroutine is a generator frame made by an `async def` (`GenObj::is_coroutine`); `await x`
//! delegates to `x`'s awaitable iterator exactly as `yield from` does, so a value yielded at
//! the bottom of a chain of awaits (an asyncio future saying "wake me when I am done")
//! travels up through every awaiting coroutine to whoever drives the outermost one — the
//! event loop's task.

use super::Vm;
use crate::objects::{Exc, ToyResult, Value};

impl Vm {
    /// The iterator `await v` delegates to: a coroutine itself, or the iterator its
    /// `__await__()` returns.
    pub(crate) fn get_awaitable(&mut self, v: Value) -> ToyResult<Value> {
        match &v {
            Value::Generator(g) if g.is_coroutine => return Ok(v),
            Value::Generator(_) => {}
            _ => {
                if let Some(method) = v.class().lookup("__await__") {
                    let it = self.call(&method, vec![v.clone()], Vec::new())?;
                    return match &it {
                        Value::Generator(g) if g.is_coroutine => {
                            Err(Exc::type_error("__await__() returned a coroutine"))
                        }
                        _ if self.is_iterator(&it) => Ok(it),
                        _ => Err(Exc::type_error(format!(
                            "__await__() returned non-iterator of type '{}'",
                            it.type_name()
                        ))),
                    };
                }
            }
        }
        Err(Exc::type_error(format!(
            "object {} can't be used in 'await' expression",
            v.type_name()
        )))
    }

    /// `async with mgr`: the bound `__aexit__` and the awaitable `__aenter__()` returned.
    pub(crate) fn enter_async_context(&mut self, mgr: &Value) -> ToyResult<(Value, Value)> {
        self.enter_context_with(mgr, "__aenter__", "__aexit__", "asynchronous ")
    }

    /// `async for x in v`: `v.__aiter__()`, which must have `__anext__`.
    pub(crate) fn get_aiter(&mut self, v: &Value) -> ToyResult<Value> {
        let Some(method) = v.class().lookup("__aiter__") else {
            return Err(Exc::type_error(format!(
                "'async for' requires an object with __aiter__ method, got {}",
                v.type_name()
            )));
        };
        let it = self.call(&method, vec![v.clone()], Vec::new())?;
        if it.class().lookup("__anext__").is_none() {
            return Err(Exc::type_error(format!(
                "'async for' received an object from __aiter__ that does not implement __anext__: {}",
                it.type_name()
            )));
        }
        Ok(it)
    }

    /// One step of `async for`: the awaitable `it.__anext__()` returns.
    pub(crate) fn get_anext(&mut self, it: &Value) -> ToyResult<Value> {
        let Some(method) = it.class().lookup("__anext__") else {
            return Err(Exc::type_error(format!(
                "'async for' requires an iterator with __anext__ method, got {}",
                it.type_name()
            )));
        };
        self.call(&method, vec![it.clone()], Vec::new())
    }
}
