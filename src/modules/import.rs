//! `import`: builtin modules implemented in Rust, and `.toy` files found on `sys.path`,
//! each loaded once and cached in `sys.modules`.

use std::sync::Arc;

use super::ModuleObj;
use crate::compile::code::SourceFile;
use crate::objects::{Exc, StrObj, ToyResult, Value};
use crate::vm::Vm;

/// A builtin module's constructor: fills a fresh namespace.
pub type ModuleInit = fn(&mut Vm, &Arc<crate::objects::DictObj>);

/// Builtin modules by name.
fn builtin_module(name: &str) -> Option<ModuleInit> {
    Some(match name {
        "sys" => super::sys::init,
        "_collections" => super::collections::init,
        "math" => super::math::init,
        "time" => super::time::init,
        "itertools" => super::itertools::init,
        "json" => super::json::init,
        "random" => super::random::init,
        "_thread" => super::thread::init,
        "_asyncio" => super::asyncio_step::init,
        "gc" => super::gc::init,
        "greenlet" => super::greenlet::init,
        "heapq" => super::heapq::init,
        "traceback" => super::traceback::init,
        "io" => super::io::init,
        "os" => super::os::init,
        "os.path" => super::os_path::init,
        "_socket" => super::socket::init,
        "select" => super::select::init,
        _ => return None,
    })
}

/// Modules written in toy itself, built into the binary (as CPython freezes some of its own):
/// they sit on top of the native modules the way CPython's `threading.py` sits on `_thread`.
fn frozen_module(name: &str) -> Option<&'static str> {
    Some(match name {
        "threading" => include_str!("threading.toy"),
        "queue" => include_str!("queue.toy"),
        "collections" => include_str!("collections.toy"),
        "operator" => include_str!("operator.toy"),
        "asyncio" => include_str!("asyncio.toy"),
        "asyncio.streams" => include_str!("asyncio_streams.toy"),
        "gevent" => include_str!("gevent/__init__.toy"),
        "gevent.hub" => include_str!("gevent/hub.toy"),
        "gevent.monkey" => include_str!("gevent/monkey.toy"),
        "gevent.lock" => include_str!("gevent/lock.toy"),
        "gevent.queue" => include_str!("gevent/queue.toy"),
        "gevent.event" => include_str!("gevent/event.toy"),
        "gevent.socket" => include_str!("gevent/socket.toy"),
        "gevent.pool" => include_str!("gevent/pool.toy"),
        "gevent.select" => include_str!("gevent/select.toy"),
        "gevent.server" => include_str!("gevent/server.toy"),
        "socket" => include_str!("socket.toy"),
        "urllib" => include_str!("urllib/__init__.toy"),
        "urllib.parse" => include_str!("urllib/parse.toy"),
        "http" => include_str!("http/__init__.toy"),
        "http.client" => include_str!("http/client.toy"),
        "http.server" => include_str!("http/server.toy"),
        "socketserver" => include_str!("socketserver.toy"),
        "requests" => include_str!("requests/__init__.toy"),
        "requests.exceptions" => include_str!("requests/exceptions.toy"),
        "requests.structures" => include_str!("requests/structures.toy"),
        "redis" => include_str!("redis/__init__.toy"),
        "redis.client" => include_str!("redis/client.toy"),
        "redis.connection" => include_str!("redis/connection.toy"),
        "redis.exceptions" => include_str!("redis/exceptions.toy"),
        "redis.lock" => include_str!("redis/lock.toy"),
        _ => return None,
    })
}

impl Vm {
    /// `import name` / `from name import ...`: returns the top-level package for a plain
    /// dotted import, or the module itself when there is a fromlist.
    pub fn import(&mut self, name: &str, fromlist: &Value, level: &Value) -> ToyResult<Value> {
        if !matches!(level, Value::Int(0)) {
            return Err(Exc::import_error(
                "attempted relative import with no known parent package",
            ));
        }
        let mut module = Value::None;
        let mut first = None;
        let mut prefix = String::new();
        for part in name.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            let m = self.import_one(&prefix)?;
            if first.is_none() {
                first = Some(m.clone());
            }
            if let (Value::Module(parent), true) = (&module, prefix.contains('.')) {
                parent.dict.set_str(part, m.clone());
            }
            module = m;
        }
        let has_fromlist = !matches!(fromlist, Value::None);
        Ok(if has_fromlist {
            module
        } else {
            first.unwrap_or(module)
        })
    }

    fn import_one(&mut self, name: &str) -> ToyResult<Value> {
        if let Some(m) = self.interp.modules.get_str(name) {
            return Ok(m);
        }
        if let Some(init) = builtin_module(name) {
            let dict = self.new_globals(name);
            let module = Value::Module(Arc::new(ModuleObj::new(name, dict.clone())));
            self.interp.modules.set_str(name, module.clone());
            init(self, &dict);
            return Ok(module);
        }
        let (filename, text) = if let Some(text) = frozen_module(name) {
            (format!("<frozen {name}>"), text.to_string())
        } else {
            let Some(path) = self.find_module_file(name) else {
                return Err(Exc::module_not_found(format!("No module named '{name}'")));
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Exc::import_error(format!("cannot read {}: {e}", path.display())))?;
            (path.display().to_string(), text)
        };
        let source = Arc::new(SourceFile::new(&filename, text));
        let code = crate::compile_source(&source, crate::compile::Mode::Exec).map_err(|e| {
            Exc::new(
                &crate::objects::types().exceptions.syntax_error,
                e.plain_message(&source),
            )
        })?;
        let dict = self.new_globals(name);
        dict.set_str("__file__", Value::str(&filename));
        let module = Value::Module(Arc::new(ModuleObj::new(name, dict.clone())));
        // Cache before running, so circular imports see the partly initialised module.
        self.interp.modules.set_str(name, module.clone());
        if let Err(e) = self.run_module_code(code, dict) {
            self.interp.modules.remove(&Value::str(name)).ok();
            return Err(e);
        }
        Ok(module)
    }

    fn find_module_file(&self, name: &str) -> Option<std::path::PathBuf> {
        let relative = name.replace('.', "/");
        for dir in self.interp.path.snapshot() {
            let Value::Str(dir) = dir else { continue };
            let base = std::path::Path::new(dir.as_str());
            let file = base.join(format!("{relative}.toy"));
            if file.is_file() {
                return Some(file);
            }
            let package = base.join(&relative).join("__init__.toy");
            if package.is_file() {
                return Some(package);
            }
        }
        None
    }

    /// `from module import name`.
    pub fn import_from(&mut self, module: &Value, name: &Arc<StrObj>) -> ToyResult<Value> {
        match self.get_attr(module, name) {
            Ok(v) => Ok(v),
            Err(_) => {
                let mname = match module {
                    Value::Module(m) => m.name.to_string(),
                    _ => "?".to_string(),
                };
                // A submodule not imported yet.
                let full = format!("{mname}.{}", name.as_str());
                if let Ok(v) = self.import_one(&full) {
                    return Ok(v);
                }
                Err(Exc::import_error(format!(
                    "cannot import name '{}' from '{mname}'",
                    name.as_str()
                )))
            }
        }
    }

    /// `from module import *`: every public name (or those in `__all__`).
    pub fn import_star(
        &mut self,
        module: &Value,
        ns: &Arc<crate::objects::DictObj>,
    ) -> ToyResult<()> {
        let Value::Module(m) = module else {
            return Err(Exc::type_error("import * from a non-module"));
        };
        let names: Vec<Value> = match m.dict.get_str("__all__") {
            Some(all) => self.collect(&all)?,
            None => m
                .dict
                .keys()
                .into_iter()
                .filter(|k| matches!(k, Value::Str(s) if !s.as_str().starts_with('_')))
                .collect(),
        };
        for n in names {
            if let Value::Str(s) = &n {
                let v = self.get_attr(module, s)?;
                ns.set_item(n.clone(), v)?;
            }
        }
        Ok(())
    }
}
