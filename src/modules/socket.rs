//! `_socket`: the native half of `socket` (the other half, `socket.toy`, is in toy, as
//! CPython's `socket.py` sits on its `_socket`): the socket type, the constants, name
//! resolution and the default timeout.

use std::sync::Arc;

use super::args::{self, Kw};
use crate::objects::function::NativeFn;
use crate::objects::socket_addr::{self, gaierror, AF_INET, AF_INET6, AF_UNIX};
use crate::objects::socket_methods::{self as sm, socket_type};
use crate::objects::{types, Builtin, DictObj, ToyResult, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("gethostname", gethostname),
        ("gethostbyname", gethostbyname),
        ("getdefaulttimeout", getdefaulttimeout),
        ("setdefaulttimeout", setdefaulttimeout),
        ("_socketpair", socketpair),
        ("_resolve", resolve),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("socket", Value::Type(socket_type().clone()));
    m.set_str("SocketType", Value::Type(socket_type().clone()));
    let e = &types().exceptions;
    m.set_str("error", Value::Type(e.os_error.clone()));
    m.set_str("timeout", Value::Type(e.timeout_error.clone()));
    m.set_str("gaierror", Value::Type(gaierror().clone()));
    let constants: &[(&str, i64)] = &[
        ("AF_UNIX", AF_UNIX),
        ("AF_INET", AF_INET),
        ("AF_INET6", AF_INET6),
        ("SOCK_STREAM", sm::SOCK_STREAM),
        ("SOCK_DGRAM", sm::SOCK_DGRAM),
        ("SOL_SOCKET", sm::SOL_SOCKET),
        ("SO_REUSEADDR", sm::SO_REUSEADDR),
        ("SO_REUSEPORT", sm::SO_REUSEPORT),
        ("SO_KEEPALIVE", sm::SO_KEEPALIVE),
        ("SO_BROADCAST", sm::SO_BROADCAST),
        ("SO_RCVBUF", sm::SO_RCVBUF),
        ("SO_SNDBUF", sm::SO_SNDBUF),
        ("SO_TYPE", sm::SO_TYPE),
        ("SO_ERROR", sm::SO_ERROR),
        ("IPPROTO_IP", 0),
        ("IPPROTO_TCP", sm::IPPROTO_TCP),
        ("IPPROTO_UDP", 17),
        ("TCP_NODELAY", sm::TCP_NODELAY),
        ("MSG_PEEK", sm::MSG_PEEK),
        ("SHUT_RD", 0),
        ("SHUT_WR", 1),
        ("SHUT_RDWR", 2),
        ("SOMAXCONN", 4096),
        ("INADDR_ANY", 0),
    ];
    for (name, value) in constants {
        m.set_str(name, Value::Int(*value));
    }
    m.set_str("has_ipv6", Value::Bool(true));
}

fn gethostname(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("gethostname", kw)?;
    args::count("gethostname", args, 0, 0)?;
    let uname = rustix::system::uname();
    Ok(Value::string(
        uname.nodename().to_string_lossy().into_owned(),
    ))
}

/// `gethostbyname(name)`: the first IPv4 address of a name, as a string.
fn gethostbyname(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("gethostbyname", kw)?;
    args::count("gethostbyname", args, 1, 1)?;
    let name = args::expect_str("gethostbyname", &args[0])?;
    let ip = socket_addr::resolve(vm, name.as_str(), AF_INET)?;
    Ok(Value::string(ip.to_string()))
}

/// `_resolve(host, family)`: the first address of `family` a host name has, as a string.
fn resolve(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("_resolve", kw)?;
    args::count("_resolve", args, 2, 2)?;
    let name = args::expect_str("_resolve", &args[0])?;
    let family = crate::objects::int::index_of(&args[1])?;
    let ip = socket_addr::resolve(vm, name.as_str(), family)?;
    Ok(Value::string(ip.to_string()))
}

fn getdefaulttimeout(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("getdefaulttimeout", kw)?;
    args::count("getdefaulttimeout", args, 0, 0)?;
    Ok(sm::default_timeout().map_or(Value::None, |d| Value::Float(d.as_secs_f64())))
}

fn setdefaulttimeout(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("setdefaulttimeout", kw)?;
    args::count("setdefaulttimeout", args, 1, 1)?;
    let timeout = sm::timeout_arg(vm, &args[0])?;
    sm::set_default_timeout(timeout);
    Ok(Value::None)
}

/// `_socketpair(family, type, proto)`: two connected descriptors, for `socket.socketpair`.
fn socketpair(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("_socketpair", kw)?;
    args::count("_socketpair", args, 0, 0)?;
    let (a, b) = rustix::net::socketpair(
        rustix::net::AddressFamily::UNIX,
        rustix::net::SocketType::STREAM,
        rustix::net::SocketFlags::CLOEXEC,
        None,
    )
    .map_err(crate::objects::socket::os_error)?;
    Ok(Value::tuple(vec![
        Value::Int(sm::park(a)),
        Value::Int(sm::park(b)),
    ]))
}
