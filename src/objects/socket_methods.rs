//! The methods of `_socket.socket`, with CPython's argument rules and messages, around the
//! operations of `socket.rs`. The `socket` module (`src/modules/socket.toy`) subclasses it
//! as `socket.socket`, adding `accept`, `makefile` and the `with` statement, as CPython's
//! `socket.py` does.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use parking_lot::Mutex;
use rustix::io::Errno;
use rustix::net::sockopt;

use super::bytes::bytes_like;
use super::class::add_read_only_properties;
use super::function::NativeFn;
use super::int::index_of;
use super::socket::{os_error, SocketObj};
use super::socket_addr::{self, AF_INET, AF_INET6, AF_UNIX};
use super::{Exc, Instance, ToyResult, TypeObj, Value};
use crate::modules::args::{self, Kw};
use crate::vm::Vm;

pub const SOCK_STREAM: i64 = 1;
pub const SOCK_DGRAM: i64 = 2;
pub const SOL_SOCKET: i64 = 1;
pub const SO_TYPE: i64 = 3;
pub const SO_ERROR: i64 = 4;
pub const SO_REUSEADDR: i64 = 2;
pub const SO_BROADCAST: i64 = 6;
pub const SO_SNDBUF: i64 = 7;
pub const SO_RCVBUF: i64 = 8;
pub const SO_KEEPALIVE: i64 = 9;
pub const SO_REUSEPORT: i64 = 15;
pub const IPPROTO_TCP: i64 = 6;
pub const TCP_NODELAY: i64 = 1;
pub const MSG_PEEK: i64 = 2;

/// `<class '_socket.socket'>`.
pub fn socket_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let methods: &[(&'static str, NativeFn)] = &[
            ("bind", bind),
            ("listen", listen),
            ("_accept", accept),
            ("connect", connect),
            ("connect_ex", connect_ex),
            ("recv", recv),
            ("recvfrom", recvfrom),
            ("send", send),
            ("sendall", sendall),
            ("sendto", sendto),
            ("close", close),
            ("detach", detach),
            ("shutdown", shutdown),
            ("settimeout", settimeout),
            ("gettimeout", gettimeout),
            ("setblocking", setblocking),
            ("getblocking", getblocking),
            ("setsockopt", setsockopt),
            ("getsockopt", getsockopt),
            ("getsockname", getsockname),
            ("getpeername", getpeername),
            ("fileno", fileno),
            ("__repr__", repr),
        ];
        let t = TypeObj::new_native("socket", "_socket", socket_new, methods);
        let properties: &[(&'static str, NativeFn)] = &[
            ("family", family),
            ("type", kind),
            ("proto", proto),
            ("timeout", timeout_property),
        ];
        add_read_only_properties(&t, properties);
        t
    })
}

/// `socket.setdefaulttimeout`: the timeout new sockets start with.
static DEFAULT_TIMEOUT: Mutex<Option<Duration>> = Mutex::new(None);

pub fn default_timeout() -> Option<Duration> {
    *DEFAULT_TIMEOUT.lock()
}

pub fn set_default_timeout(timeout: Option<Duration>) {
    *DEFAULT_TIMEOUT.lock() = timeout;
}

/// Descriptors handed out as numbers (by `_accept` and `detach`) until a socket takes them
/// back with `socket(fileno=n)`. Toy adopts only descriptors it gave out itself: taking over
/// an arbitrary number would need `unsafe` and could close a descriptor something else owns.
static DETACHED: Mutex<Option<HashMap<i64, OwnedFd>>> = Mutex::new(None);

pub fn park(fd: OwnedFd) -> i64 {
    let n = fd.as_raw_fd().into();
    DETACHED
        .lock()
        .get_or_insert_with(HashMap::new)
        .insert(n, fd);
    n
}

fn unpark(n: i64) -> Option<OwnedFd> {
    DETACHED.lock().as_mut()?.remove(&n)
}

/// A timeout argument: `None` or a non-negative number of seconds.
pub fn timeout_arg(vm: &mut Vm, v: &Value) -> ToyResult<Option<Duration>> {
    if matches!(v, Value::None) {
        return Ok(None);
    }
    let secs = match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::BigInt(_) => {
            crate::modules::math::real(vm, v)?
        }
        other => {
            return Err(Exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    if secs.is_nan() {
        return Err(Exc::value_error("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(Exc::value_error("Timeout value out of range"));
    }
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Exc::overflow("timeout doesn't fit into C timeval"))
        .map(Some)
}

fn timeout_value(t: Option<Duration>) -> Value {
    t.map_or(Value::None, |d| Value::Float(d.as_secs_f64()))
}

/// `socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None)`.
fn socket_new(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let Some(Value::Type(cls)) = args.first() else {
        return Err(Exc::type_error("socket.__new__ needs a type"));
    };
    let bound = args::bind(
        "socket",
        &args[1..],
        kw,
        &["family", "type", "proto", "fileno"],
        0,
    )?;
    let int_or = |v: &Option<Value>, default: i64| -> ToyResult<i64> {
        match v {
            None | Some(Value::None) => Ok(default),
            Some(v) => match index_of(v)? {
                -1 => Ok(default),
                n => Ok(n),
            },
        }
    };
    let family = int_or(&bound[0], AF_INET)?;
    let kind = int_or(&bound[1], SOCK_STREAM)?;
    let proto = int_or(&bound[2], 0)?;
    let fd = match &bound[3] {
        None | Some(Value::None) => {
            let domain = match family {
                AF_INET => rustix::net::AddressFamily::INET,
                AF_INET6 => rustix::net::AddressFamily::INET6,
                AF_UNIX => rustix::net::AddressFamily::UNIX,
                _ => return Err(os_error(Errno::AFNOSUPPORT)),
            };
            let socket_kind = match kind {
                SOCK_STREAM => rustix::net::SocketType::STREAM,
                SOCK_DGRAM => rustix::net::SocketType::DGRAM,
                _ => return Err(os_error(Errno::PROTONOSUPPORT)),
            };
            let protocol = u32::try_from(proto)
                .ok()
                .and_then(std::num::NonZeroU32::new)
                .map(rustix::net::Protocol::from_raw);
            rustix::net::socket_with(
                domain,
                socket_kind,
                rustix::net::SocketFlags::CLOEXEC,
                protocol,
            )
            .map_err(os_error)?
        }
        Some(n) => {
            let n = index_of(n)?;
            if n < 0 {
                return Err(Exc::value_error("negative file descriptor"));
            }
            unpark(n).ok_or_else(super::socket::bad_descriptor)?
        }
    };
    let _ = vm;
    let socket = SocketObj::new(fd, family, kind, proto, default_timeout())?;
    Ok(Instance::native(cls, socket))
}

/// The socket behind a method's receiver.
fn this(args: &[Value]) -> ToyResult<&SocketObj> {
    super::file_common_methods::receiver(args, "'_socket.socket' object")
}

/// The receiver and the method's own arguments, between `min` and `max` of them, no keywords.
fn this_and<'a>(
    name: &str,
    args: &'a [Value],
    kw: Kw,
    min: usize,
    max: usize,
) -> ToyResult<(&'a SocketObj, &'a [Value])> {
    args::no_kwargs(name, kw)?;
    let sock = this(args)?;
    let rest = &args[1..];
    args::count(name, rest, min, max)?;
    Ok((sock, rest))
}

fn address_arg(
    vm: &mut Vm,
    sock: &SocketObj,
    v: &Value,
    what: &str,
) -> ToyResult<socket_addr::Address> {
    socket_addr::parse(vm, sock.family, v, what)
}

fn bind(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("bind", args, kw, 1, 1)?;
    let addr = address_arg(vm, sock, &rest[0], "bind")?;
    let fd = sock.handle()?;
    match &addr {
        socket_addr::Address::Ip(ip) => rustix::net::bind(&*fd, ip),
        socket_addr::Address::Unix(unix) => rustix::net::bind(&*fd, unix),
    }
    .map_err(os_error)?;
    Ok(Value::None)
}

/// `listen([backlog])`: CPython's default backlog is `min(SOMAXCONN, 128)`.
fn listen(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("listen", args, kw, 0, 1)?;
    let backlog = match rest.first() {
        Some(v) => index_of(v)?.clamp(0, i32::MAX.into()) as i32,
        None => 128,
    };
    rustix::net::listen(&*sock.handle()?, backlog).map_err(os_error)?;
    Ok(Value::None)
}

/// `_accept()`: `(fd, address)`; `socket.socket.accept` makes the socket (`socket(fileno=fd)`).
fn accept(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("_accept", args, kw, 0, 0)?;
    let (fd, from) = sock.accept(vm)?;
    Ok(Value::tuple(vec![
        Value::Int(park(fd)),
        socket_addr::to_value(from),
    ]))
}

fn connect(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("connect", args, kw, 1, 1)?;
    let addr = address_arg(vm, sock, &rest[0], "connect")?;
    sock.connect(vm, &addr)?.map_err(os_error)?;
    Ok(Value::None)
}

/// `connect_ex(address)`: the errno of a failed connection (0 when it is made).
fn connect_ex(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("connect_ex", args, kw, 1, 1)?;
    let addr = address_arg(vm, sock, &rest[0], "connect_ex")?;
    Ok(Value::Int(match sock.connect(vm, &addr)? {
        Ok(()) => 0,
        Err(e) => e.raw_os_error().into(),
    }))
}

/// A buffer size argument: a non-negative int.
fn size_arg(v: &Value, what: &str) -> ToyResult<usize> {
    let n = index_of(v)?;
    usize::try_from(n).map_err(|_| Exc::value_error(format!("negative buffersize in {what}")))
}

/// The flags of `recv`: 0 or MSG_PEEK, the only ones toy passes on.
fn peek_flag(v: Option<&Value>) -> ToyResult<bool> {
    match v.map(index_of).transpose()?.unwrap_or(0) {
        0 => Ok(false),
        MSG_PEEK => Ok(true),
        other => Err(Exc::value_error(format!(
            "recv flags {other} are not supported by toy (only 0 and MSG_PEEK)"
        ))),
    }
}

fn recv(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("recv", args, kw, 1, 2)?;
    let size = size_arg(&rest[0], "recv")?;
    let peek = peek_flag(rest.get(1))?;
    Ok(Value::bytes(sock.recv(vm, size, peek)?))
}

fn recvfrom(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("recvfrom", args, kw, 1, 2)?;
    let size = size_arg(&rest[0], "recvfrom")?;
    if peek_flag(rest.get(1))? {
        return Err(Exc::value_error(
            "recvfrom with MSG_PEEK is not supported by toy",
        ));
    }
    let (data, from) = sock.recv_from(vm, size)?;
    Ok(Value::tuple(vec![
        Value::bytes(data),
        socket_addr::to_value(from),
    ]))
}

/// The flags of `send`/`sendall`: toy sends with none.
fn no_send_flags(v: Option<&Value>, what: &str) -> ToyResult<()> {
    match v.map(index_of).transpose()?.unwrap_or(0) {
        0 => Ok(()),
        other => Err(Exc::value_error(format!(
            "{what} flags {other} are not supported by toy"
        ))),
    }
}

fn send(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("send", args, kw, 1, 2)?;
    let data = bytes_like(&rest[0])?;
    no_send_flags(rest.get(1), "send")?;
    Ok(Value::Int(sock.send(vm, data)? as i64))
}

fn sendall(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("sendall", args, kw, 1, 2)?;
    let data = bytes_like(&rest[0])?;
    no_send_flags(rest.get(1), "sendall")?;
    sock.send_all(vm, data)?;
    Ok(Value::None)
}

/// `sendto(data, address)` or `sendto(data, flags, address)`.
fn sendto(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("sendto", args, kw, 2, 3)?;
    let data = bytes_like(&rest[0])?;
    if rest.len() == 3 {
        no_send_flags(Some(&rest[1]), "sendto")?;
    }
    let addr = address_arg(vm, sock, &rest[rest.len() - 1], "sendto")?;
    Ok(Value::Int(sock.send_to(vm, data, &addr)? as i64))
}

fn close(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("close", args, kw, 0, 0)?;
    sock.close();
    Ok(Value::None)
}

/// `detach()`: close the socket object but keep the descriptor open; returns its number,
/// which `socket(fileno=n)` takes back.
fn detach(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("detach", args, kw, 0, 0)?;
    Ok(Value::Int(match sock.detach() {
        // Another operation still holds the descriptor: it stays with that operation, and
        // whoever asked for the number gets one that no socket can take back.
        Some(fd) => match Arc::try_unwrap(fd) {
            Ok(fd) => park(fd),
            Err(shared) => shared.as_raw_fd().into(),
        },
        None => -1,
    }))
}

fn shutdown(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("shutdown", args, kw, 1, 1)?;
    let how = match index_of(&rest[0])? {
        0 => rustix::net::Shutdown::Read,
        1 => rustix::net::Shutdown::Write,
        2 => rustix::net::Shutdown::Both,
        _ => return Err(os_error(Errno::INVAL)),
    };
    rustix::net::shutdown(&*sock.handle()?, how).map_err(os_error)?;
    Ok(Value::None)
}

fn settimeout(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("settimeout", args, kw, 1, 1)?;
    let timeout = timeout_arg(vm, &rest[0])?;
    sock.set_timeout(timeout);
    Ok(Value::None)
}

fn gettimeout(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("gettimeout", args, kw, 0, 0)?;
    Ok(timeout_value(sock.timeout()))
}

/// `setblocking(flag)`: `settimeout(None)` or `settimeout(0.0)`.
fn setblocking(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("setblocking", args, kw, 1, 1)?;
    let blocking = vm.truthy(&rest[0])?;
    sock.set_timeout(if blocking { None } else { Some(Duration::ZERO) });
    Ok(Value::None)
}

/// `getblocking()`: False only for a timeout of 0.0 — a socket with a timeout blocks, for a
/// while.
fn getblocking(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("getblocking", args, kw, 0, 0)?;
    Ok(Value::Bool(sock.timeout() != Some(Duration::ZERO)))
}

/// `setsockopt(level, option, value)` for the options toy knows; the others are `[Errno 92]
/// Protocol not available`, as the system says of options it does not know.
fn setsockopt(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("setsockopt", args, kw, 3, 3)?;
    let level = index_of(&rest[0])?;
    let option = index_of(&rest[1])?;
    let value = index_of(&rest[2])?;
    let on = value != 0;
    let fd = sock.handle()?;
    let fd = &*fd;
    match (level, option) {
        (SOL_SOCKET, SO_REUSEADDR) => sockopt::set_socket_reuseaddr(fd, on),
        (SOL_SOCKET, SO_REUSEPORT) => sockopt::set_socket_reuseport(fd, on),
        (SOL_SOCKET, SO_KEEPALIVE) => sockopt::set_socket_keepalive(fd, on),
        (SOL_SOCKET, SO_BROADCAST) => sockopt::set_socket_broadcast(fd, on),
        (SOL_SOCKET, SO_RCVBUF) => sockopt::set_socket_recv_buffer_size(fd, value.max(0) as usize),
        (SOL_SOCKET, SO_SNDBUF) => sockopt::set_socket_send_buffer_size(fd, value.max(0) as usize),
        (IPPROTO_TCP, TCP_NODELAY) => sockopt::set_tcp_nodelay(fd, on),
        _ => Err(Errno::NOPROTOOPT),
    }
    .map_err(os_error)?;
    Ok(Value::None)
}

fn getsockopt(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, rest) = this_and("getsockopt", args, kw, 2, 2)?;
    let level = index_of(&rest[0])?;
    let option = index_of(&rest[1])?;
    let fd = sock.handle()?;
    let fd = &*fd;
    let flag = |r: rustix::io::Result<bool>| r.map(i64::from);
    let value = match (level, option) {
        (SOL_SOCKET, SO_REUSEADDR) => flag(sockopt::socket_reuseaddr(fd)),
        (SOL_SOCKET, SO_REUSEPORT) => flag(sockopt::socket_reuseport(fd)),
        (SOL_SOCKET, SO_KEEPALIVE) => flag(sockopt::socket_keepalive(fd)),
        (SOL_SOCKET, SO_BROADCAST) => flag(sockopt::socket_broadcast(fd)),
        (SOL_SOCKET, SO_RCVBUF) => sockopt::socket_recv_buffer_size(fd).map(|n| n as i64),
        (SOL_SOCKET, SO_SNDBUF) => sockopt::socket_send_buffer_size(fd).map(|n| n as i64),
        (SOL_SOCKET, SO_TYPE) => Ok(sock.kind),
        (SOL_SOCKET, SO_ERROR) => sockopt::socket_error(fd).map(|r| match r {
            Ok(()) => 0,
            Err(e) => e.raw_os_error().into(),
        }),
        (IPPROTO_TCP, TCP_NODELAY) => flag(sockopt::tcp_nodelay(fd)),
        _ => Err(Errno::NOPROTOOPT),
    }
    .map_err(os_error)?;
    Ok(Value::Int(value))
}

fn getsockname(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("getsockname", args, kw, 0, 0)?;
    let addr = rustix::net::getsockname(&*sock.handle()?).map_err(os_error)?;
    Ok(socket_addr::to_value(Some(addr)))
}

fn getpeername(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("getpeername", args, kw, 0, 0)?;
    let addr = rustix::net::getpeername(&*sock.handle()?).map_err(os_error)?;
    match addr {
        Some(addr) => Ok(socket_addr::to_value(Some(addr))),
        None => Err(os_error(Errno::NOTCONN)),
    }
}

fn fileno(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("fileno", args, kw, 0, 0)?;
    Ok(Value::Int(sock.fileno()))
}

/// `<socket object, fd=3, family=2, type=1, proto=0>`, as `_socket.socket` writes itself.
fn repr(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let (sock, _) = this_and("__repr__", args, kw, 0, 0)?;
    Ok(Value::string(format!(
        "<socket object, fd={}, family={}, type={}, proto={}>",
        sock.fileno(),
        sock.family,
        sock.kind,
        sock.proto
    )))
}

fn family(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this(args)?.family))
}

fn kind(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this(args)?.kind))
}

fn proto(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(Value::Int(this(args)?.proto))
}

fn timeout_property(_vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    Ok(timeout_value(this(args)?.timeout()))
}
