//! `_socket.socket`: a socket of the operating system and its timeout, with the semantics of
//! CPython's: no timeout (`None`) blocks, `0.0` never blocks (`BlockingIOError`), a positive
//! timeout blocks at most that long (`TimeoutError: timed out`).
//!
//! The descriptor itself is always non-blocking. An operation that would block waits for the
//! socket through `Vm::wait_for_io` — the blocking door, which lets other threads run — and
//! tries again, as CPython's `sock_call` does; so a timeout covers the whole operation and
//! the main thread can be interrupted with Ctrl-C.
//!
//! The descriptor sits behind a lock only to be taken out and shared: operations work on a
//! clone of the `Arc`, so that one thread can wait in `recv` while another sends, and
//! `close()` in a third only drops the socket's own reference (the descriptor is closed when
//! the last operation on it ends).

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use rustix::event::{PollFd, PollFlags};
use rustix::io::Errno;
use rustix::net::SocketAddrAny;

use super::socket_addr::Address;
use super::{types, Exc, ToyResult, Value};
use crate::vm::Vm;

/// What a socket waits for before an operation can go on.
#[derive(Clone, Copy)]
pub enum Readiness {
    Readable,
    Writable,
}

impl Readiness {
    fn flags(self) -> PollFlags {
        match self {
            Readiness::Readable => PollFlags::IN,
            Readiness::Writable => PollFlags::OUT,
        }
    }
}

pub struct SocketObj {
    pub family: i64,
    pub kind: i64,
    pub proto: i64,
    fd: Mutex<Option<Arc<OwnedFd>>>,
    /// `None` blocks; `Some(ZERO)` never blocks.
    timeout: Mutex<Option<Duration>>,
}

/// `OSError: [Errno 9] Bad file descriptor`, what any operation on a closed socket raises.
pub fn bad_descriptor() -> Exc {
    Exc::from_io(&io::Error::from_raw_os_error(9), None)
}

/// `TimeoutError: timed out`.
pub fn timed_out() -> Exc {
    Exc::with_args(
        &types().exceptions.timeout_error,
        vec![Value::str("timed out")],
    )
}

/// The toy exception for a failed system call.
pub fn os_error(e: Errno) -> Exc {
    Exc::from_io(&e.into(), None)
}

impl SocketObj {
    /// A socket around an open descriptor, made non-blocking here.
    pub fn new(
        fd: OwnedFd,
        family: i64,
        kind: i64,
        proto: i64,
        timeout: Option<Duration>,
    ) -> ToyResult<SocketObj> {
        rustix::io::ioctl_fionbio(&fd, true).map_err(os_error)?;
        Ok(SocketObj {
            family,
            kind,
            proto,
            fd: Mutex::new(Some(Arc::new(fd))),
            timeout: Mutex::new(timeout),
        })
    }

    /// The open descriptor, or `Bad file descriptor` once closed.
    pub fn handle(&self) -> ToyResult<Arc<OwnedFd>> {
        self.fd.lock().clone().ok_or_else(bad_descriptor)
    }

    pub fn is_closed(&self) -> bool {
        self.fd.lock().is_none()
    }

    /// The descriptor's number; -1 once closed (as CPython's `fileno()`).
    pub fn fileno(&self) -> i64 {
        self.fd
            .lock()
            .as_ref()
            .map_or(-1, |fd| fd.as_raw_fd().into())
    }

    pub fn close(&self) {
        self.fd.lock().take();
    }

    /// Give the descriptor up without closing it (`detach()`): the socket is closed, the
    /// descriptor goes on in the returned handle.
    pub fn detach(&self) -> Option<Arc<OwnedFd>> {
        self.fd.lock().take()
    }

    pub fn timeout(&self) -> Option<Duration> {
        *self.timeout.lock()
    }

    pub fn set_timeout(&self, timeout: Option<Duration>) {
        *self.timeout.lock() = timeout;
    }

    /// Run `op` on the descriptor until it no longer would block, waiting for `ready` in
    /// between (as long as the timeout allows).
    pub fn io<T>(
        &self,
        vm: &mut Vm,
        ready: Readiness,
        mut op: impl FnMut(&OwnedFd) -> rustix::io::Result<T>,
    ) -> ToyResult<T> {
        let fd = self.handle()?;
        let timeout = self.timeout();
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            match op(&fd) {
                Ok(v) => return Ok(v),
                Err(Errno::INTR) => continue,
                Err(Errno::WOULDBLOCK) if timeout != Some(Duration::ZERO) => {
                    self.wait(vm, &fd, ready, deadline)?;
                }
                Err(e) => return Err(os_error(e)),
            }
        }
    }

    /// Wait until `fd` is ready, or fail with `timed out` at the deadline.
    fn wait(
        &self,
        vm: &mut Vm,
        fd: &OwnedFd,
        ready: Readiness,
        deadline: Option<Instant>,
    ) -> ToyResult<()> {
        let mut fds = [PollFd::new(fd, ready.flags())];
        if vm.wait_for_io(&mut fds, deadline)? == 0 {
            return Err(timed_out());
        }
        Ok(())
    }

    /// `connect(address)`: a non-blocking connect, then a wait until the connection is made
    /// or refused. Returns the errno of a failed connection rather than raising it, for
    /// `connect_ex`; other failures (a timeout, a closed socket) are raised.
    pub fn connect(&self, vm: &mut Vm, addr: &Address) -> ToyResult<Result<(), Errno>> {
        let fd = self.handle()?;
        let started = match addr {
            Address::Ip(ip) => rustix::net::connect(&fd, ip),
            Address::Unix(unix) => rustix::net::connect(&fd, unix),
        };
        match started {
            Ok(()) => return Ok(Ok(())),
            Err(Errno::INPROGRESS) | Err(Errno::INTR) | Err(Errno::AGAIN) => {}
            Err(e) => return Ok(Err(e)),
        }
        let timeout = self.timeout();
        if timeout == Some(Duration::ZERO) {
            return Ok(Err(Errno::INPROGRESS));
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        self.wait(vm, &fd, Readiness::Writable, deadline)?;
        match rustix::net::sockopt::socket_error(&fd).map_err(os_error)? {
            Ok(()) => Ok(Ok(())),
            Err(e) => Ok(Err(e)),
        }
    }

    /// `accept()`: the connected socket's descriptor and the peer's address.
    pub fn accept(&self, vm: &mut Vm) -> ToyResult<(OwnedFd, Option<SocketAddrAny>)> {
        self.io(vm, Readiness::Readable, |fd| {
            rustix::net::acceptfrom_with(fd, rustix::net::SocketFlags::CLOEXEC)
        })
    }

    /// `recv(size)`: at most `size` bytes; empty at the end of the stream.
    pub fn recv(&self, vm: &mut Vm, size: usize, peek: bool) -> ToyResult<Vec<u8>> {
        let flags = if peek {
            rustix::net::RecvFlags::PEEK
        } else {
            rustix::net::RecvFlags::empty()
        };
        let mut buf = vec![0u8; size];
        let n = self.io(vm, Readiness::Readable, |fd| {
            rustix::net::recv(fd, &mut buf[..], flags).map(|(n, _)| n)
        })?;
        buf.truncate(n);
        Ok(buf)
    }

    /// `recvfrom(size)`: a datagram (or stream bytes) and who sent it.
    pub fn recv_from(
        &self,
        vm: &mut Vm,
        size: usize,
    ) -> ToyResult<(Vec<u8>, Option<SocketAddrAny>)> {
        let mut buf = vec![0u8; size];
        let (n, from) = self.io(vm, Readiness::Readable, |fd| {
            rustix::net::recvfrom(fd, &mut buf[..], rustix::net::RecvFlags::empty())
                .map(|(n, _, from)| (n, from))
        })?;
        buf.truncate(n);
        Ok((buf, from))
    }

    /// `send(data)`: how many bytes the system took (maybe fewer than all).
    pub fn send(&self, vm: &mut Vm, data: &[u8]) -> ToyResult<usize> {
        self.io(vm, Readiness::Writable, |fd| {
            rustix::net::send(fd, data, rustix::net::SendFlags::NOSIGNAL)
        })
    }

    /// `sendall(data)`: everything, or an exception; the timeout covers the whole of it.
    pub fn send_all(&self, vm: &mut Vm, data: &[u8]) -> ToyResult<()> {
        let fd = self.handle()?;
        let timeout = self.timeout();
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut sent = 0;
        while sent < data.len() {
            match rustix::net::send(&fd, &data[sent..], rustix::net::SendFlags::NOSIGNAL) {
                Ok(n) => sent += n,
                Err(Errno::INTR) => {}
                Err(Errno::WOULDBLOCK) if timeout != Some(Duration::ZERO) => {
                    self.wait(vm, &fd, Readiness::Writable, deadline)?;
                }
                Err(e) => return Err(os_error(e)),
            }
        }
        Ok(())
    }

    /// `sendto(data, address)`.
    pub fn send_to(&self, vm: &mut Vm, data: &[u8], addr: &Address) -> ToyResult<usize> {
        self.io(vm, Readiness::Writable, |fd| match addr {
            Address::Ip(ip) => rustix::net::sendto(fd, data, rustix::net::SendFlags::NOSIGNAL, ip),
            Address::Unix(unix) => {
                rustix::net::sendto(fd, data, rustix::net::SendFlags::NOSIGNAL, unix)
            }
        })
    }
}
