//! Binary files: what `open(path, 'rb')` and the other `b` modes return, CPython's
//! `_io.BufferedReader`, `BufferedWriter`, `BufferedRandom` (and `FileIO` for
//! `buffering=0`), with the raw file folded in.
//!
//! The buffers, the locking, the blocking door and the closing at the last reference are the
//! text files' (`FileCore` in `file.rs`); this layer hands the bytes out as they are, with no
//! decoding and no newline translation. Unlike a text file, a binary file seeks anywhere:
//! positions are byte offsets, relative seeks and `truncate` work, and a write after a read
//! lands where the reader stopped (the read-ahead is given back to the OS first), as in
//! CPython's `BufferedRandom`.

use std::fs::File;
use std::io::SeekFrom;

use parking_lot::MutexGuard;

use super::file::{unsupported, FileCore, FileObject, FileState};
use super::{Exc, ToyResult, Value};
use crate::vm::Vm;

/// Which of CPython's classes the file is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinaryKind {
    /// `'rb'`.
    Reader,
    /// `'wb'`, `'ab'`, `'xb'`.
    Writer,
    /// A `+` mode.
    Random,
    /// `buffering=0`: every write goes to the OS at once.
    Raw,
}

impl BinaryKind {
    pub fn class_name(self) -> &'static str {
        match self {
            BinaryKind::Reader => "BufferedReader",
            BinaryKind::Writer => "BufferedWriter",
            BinaryKind::Random => "BufferedRandom",
            BinaryKind::Raw => "FileIO",
        }
    }
}

/// What `open()` decided, fixed for the file's life.
pub struct BinaryConfig {
    /// `f.name`: the path as given.
    pub name: Value,
    /// `f.mode` as CPython reports it: `'rb'`, `'wb'`, `'ab'`, `'xb'`, `'rb+'`, `'ab+'`,
    /// `'xb+'` (so `'w+b'` reads back as `'rb+'`).
    pub mode: String,
    pub kind: BinaryKind,
    pub readable: bool,
    pub writable: bool,
    /// How many written bytes may collect before they go to the OS (0: none).
    pub write_buffer: usize,
}

/// An open binary file.
pub struct BinaryFile {
    pub config: BinaryConfig,
    core: FileCore,
}

/// `ValueError: read of closed file` and its kin.
fn closed_for(what: &'static str) -> impl FnOnce() -> Exc {
    move || Exc::value_error(format!("{what} of closed file"))
}

fn io_error(err: &std::io::Error) -> Exc {
    Exc::from_io(err, None)
}

/// `OSError: [Errno 22] Invalid argument`, what the OS says to a negative position.
fn invalid_argument() -> Exc {
    io_error(&std::io::Error::from_raw_os_error(22))
}

impl FileObject for BinaryFile {
    fn core(&self) -> &FileCore {
        &self.core
    }
    fn access(&self) -> (bool, bool) {
        (self.config.readable, self.config.writable)
    }
}

impl BinaryFile {
    pub fn new(config: BinaryConfig, file: File) -> BinaryFile {
        BinaryFile {
            config,
            core: FileCore::new(file),
        }
    }

    /// The state for reading: the file must be readable (`io.UnsupportedOperation: read`,
    /// checked first, as CPython does) and open; written bytes go out first.
    fn reading_state(
        &self,
        vm: &mut Vm,
        what: &'static str,
    ) -> ToyResult<MutexGuard<'_, FileState>> {
        // CPython's messages: `UnsupportedOperation: read` (`read1` for `read1`), then
        // `ValueError: readline of closed file` (`read` for `read1`).
        if !self.config.readable {
            return Err(unsupported(if what == "read1" { "read1" } else { "read" }));
        }
        let closed_what = if what == "read1" { "read" } else { what };
        let mut st = self.core.open_state_or(vm, closed_for(closed_what))?;
        FileCore::flush_locked(vm, &mut st)?;
        st.eof = false;
        Ok(st)
    }

    /// Read from the OS until `want` bytes are buffered or the file ends.
    fn fill_to(vm: &mut Vm, st: &mut FileState, want: usize) -> ToyResult<()> {
        while st.rbuf.len() - st.rpos < want && !st.eof {
            vm.away(|| st.fill()).map_err(|e| io_error(&e))?;
        }
        Ok(())
    }

    /// `f.read(size)`: up to `size` bytes (fewer only at the end), or everything left.
    pub fn read(&self, vm: &mut Vm, size: Option<usize>) -> ToyResult<Vec<u8>> {
        let mut st = self.reading_state(vm, "read")?;
        match size {
            None => {
                vm.away(|| st.read_to_end()).map_err(|e| io_error(&e))?;
                let left = st.rbuf.len() - st.rpos;
                Ok(st.take(left))
            }
            Some(n) => {
                Self::fill_to(vm, &mut st, n)?;
                Ok(st.take(n))
            }
        }
    }

    /// `f.read1(size)`: what is buffered, reading from the OS at most once, and only when
    /// nothing is buffered. `peek` does the same without consuming.
    pub fn read1(&self, vm: &mut Vm, size: Option<usize>, consume: bool) -> ToyResult<Vec<u8>> {
        let what = if consume { "read1" } else { "peek" };
        let mut st = self.reading_state(vm, what)?;
        if st.rbuf.len() == st.rpos {
            vm.away(|| st.fill()).map_err(|e| io_error(&e))?;
        }
        let left = st.rbuf.len() - st.rpos;
        if consume {
            Ok(st.take(size.unwrap_or(left).min(left)))
        } else {
            Ok(st.rbuf[st.rpos..].to_vec())
        }
    }

    /// `f.readline(size)`: up to and with the next `b'\n'`, at most `size` bytes of it.
    pub fn readline(&self, vm: &mut Vm, size: Option<usize>) -> ToyResult<Vec<u8>> {
        let mut st = self.reading_state(vm, "readline")?;
        let mut scanned = 0;
        let n = loop {
            let rest = &st.rbuf[st.rpos..];
            let limit = size.unwrap_or(usize::MAX);
            let window = &rest[scanned.min(rest.len())..rest.len().min(limit)];
            if let Some(i) = memchr::memchr(b'\n', window) {
                break scanned + i + 1;
            }
            if rest.len() >= limit || st.eof {
                break rest.len().min(limit);
            }
            scanned = rest.len();
            vm.away(|| st.fill()).map_err(|e| io_error(&e))?;
        };
        Ok(st.take(n))
    }

    /// `next(f)`: the next line, or `None` at the end.
    pub fn next_line(&self, vm: &mut Vm) -> ToyResult<Option<Vec<u8>>> {
        let line = self.readline(vm, None)?;
        Ok(if line.is_empty() { None } else { Some(line) })
    }

    /// `f.write(data)`: collect `data`, giving the buffer to the OS when it is full.
    pub fn write(&self, vm: &mut Vm, data: &[u8]) -> ToyResult<()> {
        if !self.config.writable {
            return Err(unsupported("write"));
        }
        let mut st = self
            .core
            .open_state_or(vm, || Exc::value_error("write to closed file"))?;
        st.rewind_read_ahead().map_err(|e| io_error(&e))?;
        st.wbuf.extend_from_slice(data);
        if st.wbuf.len() >= self.config.write_buffer.max(1) {
            FileCore::flush_locked(vm, &mut st)?;
        }
        Ok(())
    }

    /// `f.flush()`.
    pub fn flush(&self, vm: &mut Vm) -> ToyResult<()> {
        let mut st = if self.config.writable {
            self.core.open_state_or(vm, closed_for("flush"))?
        } else {
            self.core.open_state(vm)?
        };
        FileCore::flush_locked(vm, &mut st)
    }

    /// `f.seek(offset, whence)`: anywhere, in bytes. A position before the start is the
    /// OS's `OSError: [Errno 22] Invalid argument`, as in CPython.
    pub fn seek(&self, vm: &mut Vm, offset: i64, whence: i64) -> ToyResult<u64> {
        if !(0..=2).contains(&whence) {
            return Err(Exc::value_error(format!(
                "whence value {whence} unsupported"
            )));
        }
        let mut st = self.core.open_state_or(vm, closed_for("seek"))?;
        FileCore::flush_locked(vm, &mut st)?;
        let ahead = (st.rbuf.len() - st.rpos) as i64;
        let to = match whence {
            0 if offset < 0 => return Err(invalid_argument()),
            0 => SeekFrom::Start(offset as u64),
            1 => SeekFrom::Current(offset.checked_sub(ahead).ok_or_else(invalid_argument)?),
            _ => SeekFrom::End(offset),
        };
        st.rbuf.clear();
        st.rpos = 0;
        st.seek_raw(to).map_err(|e| io_error(&e))
    }

    /// `f.tell()`: the OS position, less what is read ahead, plus what waits to be written.
    pub fn tell(&self, vm: &mut Vm) -> ToyResult<u64> {
        let mut st = self
            .core
            .open_state_or(vm, || Exc::value_error("I/O operation on closed file"))?;
        let os_pos = st
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| io_error(&e))?;
        let ahead = (st.rbuf.len() - st.rpos) as u64;
        Ok(os_pos.saturating_sub(ahead) + st.wbuf.len() as u64)
    }

    /// `f.truncate(size=None)`: cut (or extend with zeros) the file to `size` bytes, or to
    /// the current position; the position does not move. Returns the new size.
    pub fn truncate(&self, vm: &mut Vm, size: Option<i64>) -> ToyResult<u64> {
        let mut st = self.core.open_state_or(vm, closed_for("truncate"))?;
        if !self.config.writable {
            return Err(unsupported("truncate"));
        }
        FileCore::truncate_locked(vm, &mut st, size)
    }
}
