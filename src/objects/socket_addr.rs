//! Socket addresses between toy and the operating system, as CPython's `socket` module writes
//! them: `(host, port)` for AF_INET, `(host, port, flowinfo, scope_id)` for AF_INET6, a path
//! for AF_UNIX. Host names are resolved through the system resolver; a name that does not
//! resolve is a `socket.gaierror`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};
use std::sync::{Arc, OnceLock};

use rustix::net::{AddressFamily, SocketAddrAny, SocketAddrUnix};

use super::int::index_of;
use super::{DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

/// The address families toy's sockets speak, with CPython's (Linux) numbers.
pub const AF_UNIX: i64 = 1;
pub const AF_INET: i64 = 2;
pub const AF_INET6: i64 = 10;

/// Where a socket binds, connects or sends to.
pub enum Address {
    Ip(SocketAddr),
    Unix(SocketAddrUnix),
}

/// `socket.gaierror`: a host name that does not resolve.
pub fn gaierror() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let base = super::types().exceptions.os_error.clone();
        let mro = super::class::c3_mro(std::slice::from_ref(&base)).unwrap_or_default();
        let dict = Arc::new(DictObj::new());
        dict.set_str("__module__", Value::str("socket"));
        Arc::new(TypeObj::new_user("gaierror", vec![base], mro, dict, None))
    })
}

/// `[Errno -2] Name or service not known`, glibc's answer for a name that does not exist.
fn name_not_known() -> Exc {
    Exc::with_args(
        gaierror(),
        vec![Value::Int(-2), Value::str("Name or service not known")],
    )
}

/// The address `value` names for a socket of `family`; `what` is the calling method, for the
/// messages (`bind(): AF_INET address must be tuple, not str`).
pub fn parse(vm: &mut Vm, family: i64, value: &Value, what: &str) -> ToyResult<Address> {
    if family == AF_UNIX {
        return match value {
            Value::Str(s) => SocketAddrUnix::new(s.as_str())
                .map(Address::Unix)
                .map_err(|e| Exc::from_io(&e.into(), None)),
            Value::Bytes(b) => SocketAddrUnix::new(b.as_slice())
                .map(Address::Unix)
                .map_err(|e| Exc::from_io(&e.into(), None)),
            other => Err(Exc::type_error(format!(
                "{what}(): AF_UNIX address must be str or bytes, not {}",
                other.type_name()
            ))),
        };
    }
    let family_name = if family == AF_INET6 {
        "AF_INET6"
    } else {
        "AF_INET"
    };
    let Value::Tuple(t) = value else {
        return Err(Exc::type_error(format!(
            "{what}(): {family_name} address must be tuple, not {}",
            value.type_name()
        )));
    };
    let items = t.items();
    let expected = if family == AF_INET6 { 2..=4 } else { 2..=2 };
    if !expected.contains(&items.len()) {
        return Err(Exc::type_error(format!(
            "{family_name} address must be a pair (host, port)"
        )));
    }
    let Value::Str(host) = &items[0] else {
        return Err(Exc::type_error(format!(
            "str, bytes or bytearray expected, not {}",
            items[0].type_name()
        )));
    };
    let port = index_of(&items[1])?;
    let port = u16::try_from(port)
        .map_err(|_| Exc::overflow(format!("{what}(): port must be 0-65535.")))?;
    let ip = resolve(vm, host.as_str(), family)?;
    Ok(Address::Ip(match ip {
        IpAddr::V6(v6) => {
            let flowinfo = items.get(2).map(index_of).transpose()?.unwrap_or(0);
            let scope_id = items.get(3).map(index_of).transpose()?.unwrap_or(0);
            SocketAddr::V6(SocketAddrV6::new(
                v6,
                port,
                flowinfo as u32,
                scope_id as u32,
            ))
        }
        v4 => SocketAddr::new(v4, port),
    }))
}

/// The first address of `family` that `host` names: numeric hosts as they are, `''` the
/// wildcard address, `'<broadcast>'` the broadcast one, names through the system resolver
/// (which may block, so other threads run meanwhile).
pub fn resolve(vm: &mut Vm, host: &str, family: i64) -> ToyResult<IpAddr> {
    let want_v6 = family == AF_INET6;
    match host {
        "" => {
            return Ok(if want_v6 {
                IpAddr::V6(Ipv6Addr::UNSPECIFIED)
            } else {
                IpAddr::V4(Ipv4Addr::UNSPECIFIED)
            })
        }
        "<broadcast>" if !want_v6 => return Ok(IpAddr::V4(Ipv4Addr::BROADCAST)),
        _ => {}
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        if ip.is_ipv6() == want_v6 {
            return Ok(ip);
        }
        return Err(Exc::with_args(
            gaierror(),
            vec![
                Value::Int(-9),
                Value::str("Address family for hostname not supported"),
            ],
        ));
    }
    let name = host.to_string();
    let found = vm.away(move || (name.as_str(), 0).to_socket_addrs());
    let found = found.map_err(|_| name_not_known())?;
    found
        .map(|a| a.ip())
        .find(|ip| ip.is_ipv6() == want_v6)
        .ok_or_else(name_not_known)
}

/// The toy value of an address the system reports (`getsockname`, `accept`, `recvfrom`).
pub fn to_value(addr: Option<SocketAddrAny>) -> Value {
    let Some(addr) = addr else {
        return Value::str("");
    };
    match addr.address_family() {
        AddressFamily::UNIX => match SocketAddrUnix::try_from(addr) {
            Ok(unix) => match unix.path() {
                Some(path) => Value::string(path.to_string_lossy().into_owned()),
                None => Value::str(""),
            },
            Err(_) => Value::str(""),
        },
        _ => match SocketAddr::try_from(addr) {
            Ok(SocketAddr::V4(v4)) => Value::tuple(vec![
                Value::string(v4.ip().to_string()),
                Value::Int(v4.port().into()),
            ]),
            Ok(SocketAddr::V6(v6)) => Value::tuple(vec![
                Value::string(v6.ip().to_string()),
                Value::Int(v6.port().into()),
                Value::Int(v6.flowinfo().into()),
                Value::Int(v6.scope_id().into()),
            ]),
            Err(_) => Value::None,
        },
    }
}
