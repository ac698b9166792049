//! `select.select(rlist, wlist, xlist[, timeout])` over toy's sockets, through the blocking
//! door (`Vm::wait_for_io`): other threads run while it waits. The gevent hub waits for all
//! its cooperative sockets with it.
//!
//! Toy polls only the sockets it owns (objects whose class derives from `_socket.socket`):
//! polling a bare descriptor number would mean trusting that the number is still open and
//! still what the caller thinks, which safe Rust cannot.

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags};

use super::args::{self, Kw};
use crate::objects::socket::SocketObj;
use crate::objects::socket_methods::timeout_arg;
use crate::objects::{Builtin, DictObj, Exc, ToyResult, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    m.set_str(
        "select",
        Value::Builtin(Arc::new(Builtin::function("select", select))),
    );
    m.set_str(
        "error",
        Value::Type(crate::objects::types().exceptions.os_error.clone()),
    );
}

/// One object of the three lists, and the descriptor of its socket.
struct Watched {
    object: Value,
    fd: Arc<OwnedFd>,
}

fn watched(vm: &mut Vm, list: &Value) -> ToyResult<Vec<Watched>> {
    let mut out = Vec::new();
    for object in vm.collect(list)? {
        let socket = match &object {
            Value::Instance(i) => i.native_ref::<SocketObj>(),
            _ => None,
        };
        let Some(socket) = socket else {
            return Err(Exc::type_error(format!(
                "toy's select() waits for sockets only, not for '{}' objects",
                object.type_name()
            )));
        };
        let fd = socket.handle()?;
        out.push(Watched { object, fd });
    }
    Ok(out)
}

fn select(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("select", kw)?;
    args::count("select", args, 3, 4)?;
    let timeout: Option<Duration> = match args.get(3) {
        Some(v) => {
            timeout_arg(vm, v).map_err(|_| Exc::type_error("timeout must be a float or None"))?
        }
        None => None,
    };
    let lists = [
        watched(vm, &args[0])?,
        watched(vm, &args[1])?,
        watched(vm, &args[2])?,
    ];
    let wants = [PollFlags::IN, PollFlags::OUT, PollFlags::PRI];
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut fds: Vec<PollFd<'_>> = Vec::new();
    for (list, want) in lists.iter().zip(wants) {
        for w in list {
            fds.push(PollFd::new(&*w.fd, want));
        }
    }
    let ready = if fds.is_empty() {
        if let Some(t) = timeout {
            vm.sleep(t)?;
        }
        0
    } else {
        vm.wait_for_io(&mut fds, deadline)?
    };
    let mut results = vec![Vec::new(), Vec::new(), Vec::new()];
    if ready > 0 {
        // Hang-ups and errors make a socket readable and writable, as select(2) reports
        // them: the next operation on it raises the error.
        let trouble = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
        let mut at = 0;
        for (i, (list, want)) in lists.iter().zip(wants).enumerate() {
            for w in list {
                let got = fds[at].revents();
                at += 1;
                if got.intersects(want) || (i < 2 && got.intersects(trouble)) {
                    results[i].push(w.object.clone());
                }
            }
        }
    }
    Ok(Value::tuple(results.into_iter().map(Value::list).collect()))
}
