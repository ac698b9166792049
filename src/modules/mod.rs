//! Modules: the module object, the import machinery, and one file per builtin module.

pub mod args;
pub mod asyncio_step;
pub mod builtins;
pub mod collections;
pub mod gc;
pub mod greenlet;
pub mod heapq;
pub mod import;
pub mod io;
pub mod itertools;
pub mod json;
pub mod math;
pub mod os;
pub mod os_path;
pub mod random;
pub mod select;
pub mod socket;
pub mod sys;
pub mod thread;
pub mod time;
pub mod traceback;

use std::sync::Arc;

use crate::objects::DictObj;

/// A module: a name and its namespace.
pub struct ModuleObj {
    pub name: Arc<str>,
    pub dict: Arc<DictObj>,
}

impl ModuleObj {
    pub fn new(name: &str, dict: Arc<DictObj>) -> ModuleObj {
        ModuleObj {
            name: name.into(),
            dict,
        }
    }
}
