//! Text files: what `open()` returns, CPython's `_io.TextIOWrapper` (with the buffered
//! reader/writer and the raw file it sits on folded into one object), and `FileCore`, the
//! buffered OS file that text and binary files (`binary_file.rs`) both sit on. Everything
//! below about buffering, locking and closing is `FileCore`'s and serves both.
//!
//! **Buffering and the GIL.** Every system call that may block — reading, writing, closing —
//! runs through `Vm::away`, the blocking door for operations that end by themselves, so other
//! threads run meanwhile. A GIL hand-off costs far more than copying a few bytes, so, as
//! CPython's `BufferedWriter`/`BufferedReader` do, writes collect in a buffer (`BUFFER_SIZE`)
//! that goes to the OS when it is full, on `flush()`, `close()`, a seek, or when the file
//! dies; reads fetch a buffer's worth at a time. A loop of small writes or `for line in f`
//! leaves toy code once per buffer, not once per call. Seeking and telling (`lseek`) never
//! block and stay in toy time.
//!
//! **Locking.** The state sits behind the file's own mutex (decision 1: no-GIL safety never
//! depends on the GIL). A thread keeps it across its I/O, with the GIL released; a second
//! thread that finds it taken waits for it with the GIL released too (`lock_state`), as
//! CPython's buffered objects do — waiting with the GIL held would keep the first thread from
//! ever getting back. No toy code runs while the mutex is held.
//!
//! **Positions.** `tell()` is the byte offset of the next character to read (the OS position
//! minus what is read ahead), so `seek(f.tell())` comes back exactly, even through universal
//! newlines. CPython's cookie is opaque too; it is the same number for these encodings.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Weak};

use parking_lot::{Mutex, MutexGuard};

use super::codec::Codec;
use super::{Exc, ToyResult, Value};
use crate::vm::Vm;

/// Bytes read ahead, and bytes of writes collected, before the OS sees them (CPython's
/// `io.DEFAULT_BUFFER_SIZE` is 8192; a larger read buffer means fewer GIL hand-offs).
pub const BUFFER_SIZE: usize = 64 * 1024;

/// The `newline` argument of `open()`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Newline {
    /// `None`: reading ends lines at `\n`, `\r` or `\r\n` and turns each into `\n`.
    Universal,
    /// `''`: lines end as in universal mode, but are returned untranslated.
    Untranslated,
    /// `'\n'`, `'\r'`, `'\r\n'`: only that ends a line; writing turns `\n` into it.
    Lf,
    Cr,
    CrLf,
}

impl Newline {
    /// What `open()` accepts (`ValueError: illegal newline value: x` otherwise).
    pub fn parse(v: &Value) -> ToyResult<Newline> {
        Ok(match v {
            Value::None => Newline::Universal,
            Value::Str(s) => match s.as_str() {
                "" => Newline::Untranslated,
                "\n" => Newline::Lf,
                "\r" => Newline::Cr,
                "\r\n" => Newline::CrLf,
                other => return Err(Exc::value_error(format!("illegal newline value: {other}"))),
            },
            other => {
                return Err(Exc::type_error(format!(
                    "open() argument 'newline' must be str or None, not {}",
                    other.type_name()
                )))
            }
        })
    }

    /// What a `\n` written to the file becomes.
    fn written(self) -> Option<&'static str> {
        match self {
            Newline::Cr => Some("\r"),
            Newline::CrLf => Some("\r\n"),
            _ => None,
        }
    }
}

/// What `open()` decided, fixed for the file's life.
pub struct FileConfig {
    /// `f.name`: the path as given.
    pub name: Value,
    /// `f.mode`: the mode as given.
    pub mode: String,
    /// `f.encoding`: the name as given, or `UTF-8` by default.
    pub encoding_name: String,
    pub encoding: Codec,
    pub errors: String,
    pub newline: Newline,
    pub readable: bool,
    pub writable: bool,
    /// `buffering=1`: flush after every write that contains a newline.
    pub line_buffering: bool,
    /// How many written bytes may collect before they go to the OS.
    pub write_buffer: usize,
}

/// An open text file: its configuration and its buffered core.
pub struct TextFile {
    pub config: FileConfig,
    core: FileCore,
}

/// What text and binary files share: the OS file with its read and write buffers behind the
/// file's mutex, registered for `flush_all_at_exit`, flushed and closed when the last
/// reference goes. The text layer (`TextFile`) decodes and translates on top of it; the
/// binary one (`binary_file.rs`) hands the bytes out as they are.
pub struct FileCore {
    /// Shared only with the registry of open files (`flush_all_at_exit`), which holds it
    /// weakly.
    state: Arc<Mutex<FileState>>,
}

/// Every file's state, weakly: at exit, files still open are flushed even when no
/// reference to them is ever dropped (a global of a program that ends in `sys.exit` while
/// threads hold the interpreter, a file a daemon thread holds), as CPython flushes its
/// buffered files at shutdown.
static OPEN_FILES: Mutex<Vec<Weak<Mutex<FileState>>>> = Mutex::new(Vec::new());

/// Remember a new file's state for `flush_all_at_exit`, forgetting dead ones now and then
/// (when the list has doubled since the last sweep), so the list stays as long as the
/// number of live files, give or take a factor of two.
fn register(state: &Arc<Mutex<FileState>>) {
    static SWEEP_AT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(64);
    let mut files = OPEN_FILES.lock();
    files.push(Arc::downgrade(state));
    let sweep_at = SWEEP_AT.load(std::sync::atomic::Ordering::Relaxed);
    if files.len() >= sweep_at {
        files.retain(|w| w.strong_count() > 0);
        SWEEP_AT.store(
            (files.len() * 2).max(64),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// At interpreter exit: write out what open files still buffer. A file whose lock another
/// (daemon) thread holds right now is skipped rather than waited for.
pub fn flush_all_at_exit() {
    let files: Vec<_> = OPEN_FILES.lock().iter().filter_map(Weak::upgrade).collect();
    for state in files {
        if let Some(mut st) = state.try_lock() {
            let _ = st.flush_writes();
        }
    }
}

/// The part that changes, behind the file's mutex.
pub struct FileState {
    /// `None` once closed.
    pub file: Option<File>,
    /// Bytes read ahead of the reader; `rbuf[rpos..]` are not consumed yet.
    pub rbuf: Vec<u8>,
    pub rpos: usize,
    /// The last read from the OS returned nothing. Reset by every read call, so that a file
    /// that grew is read on (as CPython does).
    pub eof: bool,
    /// Bytes written but not yet given to the OS.
    pub wbuf: Vec<u8>,
    /// Set by `__next__` (CPython's "snapshot" is dropped): `tell()` refuses until the
    /// iteration ends or the file is sought.
    telling_disabled: bool,
}

/// Where a scan of the read buffer ended.
enum Scan {
    /// The bytes up to `rpos + n` are what the caller wants.
    Take(usize),
    /// The buffer ran out first: read more and scan again.
    NeedMore,
}

impl FileCore {
    pub fn new(file: File) -> FileCore {
        let state = Arc::new(Mutex::new(FileState {
            file: Some(file),
            rbuf: Vec::new(),
            rpos: 0,
            eof: false,
            wbuf: Vec::new(),
            telling_disabled: false,
        }));
        register(&state);
        FileCore { state }
    }

    /// The state, waiting (with the GIL released) for a thread in the middle of an I/O call
    /// on this file. See "Locking" above.
    pub fn lock_state(&self, vm: &mut Vm) -> MutexGuard<'_, FileState> {
        if let Some(guard) = self.state.try_lock() {
            return guard;
        }
        vm.away(|| self.state.lock())
    }

    /// The state of an open file (`ValueError: I/O operation on closed file.` otherwise).
    pub fn open_state(&self, vm: &mut Vm) -> ToyResult<MutexGuard<'_, FileState>> {
        self.open_state_or(vm, closed_error)
    }

    /// The state of an open file, or the error `closed` makes (binary files name the
    /// operation: `ValueError: read of closed file`).
    pub fn open_state_or(
        &self,
        vm: &mut Vm,
        closed: impl FnOnce() -> Exc,
    ) -> ToyResult<MutexGuard<'_, FileState>> {
        let st = self.lock_state(vm);
        if st.file.is_none() {
            return Err(closed());
        }
        Ok(st)
    }

    pub fn is_closed(&self, vm: &mut Vm) -> bool {
        self.lock_state(vm).file.is_none()
    }

    /// Give the collected writes to the OS, outside toy time.
    pub fn flush_locked(vm: &mut Vm, st: &mut FileState) -> ToyResult<()> {
        if !st.wbuf.is_empty() {
            vm.away(|| st.flush_writes())
                .map_err(|e| Exc::from_io(&e, None))?;
        }
        Ok(())
    }

    /// `f.truncate(size)`: written bytes go out, read-ahead is given back so the OS position
    /// is the reader's, then the file is cut (or extended with zeros) to `size` or to that
    /// position, which does not move. Returns the new size.
    pub fn truncate_locked(vm: &mut Vm, st: &mut FileState, size: Option<i64>) -> ToyResult<u64> {
        let io_error = |e: std::io::Error| Exc::from_io(&e, None);
        FileCore::flush_locked(vm, st)?;
        st.rewind_read_ahead().map_err(io_error)?;
        let size = match size {
            // What the OS says to a negative length.
            Some(n) if n < 0 => return Err(io_error(std::io::Error::from_raw_os_error(22))),
            Some(n) => n as u64,
            None => st.seek_raw(SeekFrom::Current(0)).map_err(io_error)?,
        };
        vm.away(|| st.file()?.set_len(size)).map_err(io_error)?;
        Ok(size)
    }

    /// `f.close()`: flush, then close; closing a closed file does nothing. The file is closed
    /// even when the flush fails (the error is raised after).
    pub fn close(&self, vm: &mut Vm) -> ToyResult<()> {
        let mut st = self.lock_state(vm);
        if st.file.is_none() {
            return Ok(());
        }
        let flushed = vm.away(|| {
            let r = st.flush_writes();
            st.rbuf = Vec::new();
            st.rpos = 0;
            drop(st.file.take());
            r
        });
        flushed.map_err(|e| Exc::from_io(&e, None))
    }

    /// `f.fileno()`.
    pub fn fileno(&self, vm: &mut Vm) -> ToyResult<i64> {
        use std::os::fd::AsRawFd;
        let st = self.lock_state(vm);
        match &st.file {
            Some(f) => Ok(f.as_raw_fd().into()),
            None => Err(Exc::value_error("I/O operation on closed file")),
        }
    }

    /// `f.readable()` / `f.writable()` / `f.seekable()`. On a closed file CPython answers
    /// `False` for what the file never could do and raises for the rest.
    pub fn can(
        &self,
        vm: &mut Vm,
        what: Capability,
        readable: bool,
        writable: bool,
    ) -> ToyResult<bool> {
        let able = match what {
            Capability::Read => readable,
            Capability::Write => writable,
            Capability::Seek => true,
        };
        if self.is_closed(vm) && (able || readable == writable) {
            return Err(Exc::value_error("I/O operation on closed file"));
        }
        Ok(able)
    }
}

/// What text and binary files have in common: the core they sit on and what they were
/// opened for. The operations every file has are served here once.
pub trait FileObject {
    fn core(&self) -> &FileCore;
    /// (readable, writable), as the file was opened.
    fn access(&self) -> (bool, bool);

    fn is_closed(&self, vm: &mut Vm) -> bool {
        self.core().is_closed(vm)
    }

    /// `f.close()`.
    fn close(&self, vm: &mut Vm) -> ToyResult<()> {
        self.core().close(vm)
    }

    /// `f.fileno()`.
    fn fileno(&self, vm: &mut Vm) -> ToyResult<i64> {
        self.core().fileno(vm)
    }

    /// `f.readable()` / `f.writable()` / `f.seekable()`.
    fn can(&self, vm: &mut Vm, what: Capability) -> ToyResult<bool> {
        let (readable, writable) = self.access();
        self.core().can(vm, what, readable, writable)
    }
}

impl FileObject for TextFile {
    fn core(&self) -> &FileCore {
        &self.core
    }
    fn access(&self) -> (bool, bool) {
        (self.config.readable, self.config.writable)
    }
}

impl TextFile {
    pub fn new(config: FileConfig, file: File) -> TextFile {
        TextFile {
            config,
            core: FileCore::new(file),
        }
    }

    fn check_readable(&self) -> ToyResult<()> {
        if self.config.readable {
            Ok(())
        } else {
            Err(unsupported("not readable"))
        }
    }

    fn check_writable(&self) -> ToyResult<()> {
        if self.config.writable {
            Ok(())
        } else {
            Err(unsupported("not writable"))
        }
    }

    /// Get ready to read: written bytes go out first, so that reading sees them.
    fn reading_state(&self, vm: &mut Vm) -> ToyResult<MutexGuard<'_, FileState>> {
        let mut st = self.core.open_state(vm)?;
        self.check_readable()?;
        if !st.wbuf.is_empty() {
            vm.away(|| st.flush_writes())
                .map_err(|e| self.io_error(&e))?;
        }
        st.eof = false;
        Ok(st)
    }

    /// An `OSError` for a failed call on this file (CPython names no file in them).
    fn io_error(&self, err: &std::io::Error) -> Exc {
        Exc::from_io(err, None)
    }

    /// Decode bytes just taken from the buffer, and translate their line ends.
    fn text_of(&self, bytes: &[u8]) -> ToyResult<String> {
        let text = self.config.encoding.decode(bytes, &self.config.errors)?;
        Ok(
            if self.config.newline == Newline::Universal && memchr::memchr(b'\r', bytes).is_some() {
                text.replace("\r\n", "\n").replace('\r', "\n")
            } else {
                text
            },
        )
    }

    /// `f.read(size)`: up to `size` characters, or everything left when `size` is `None`.
    pub fn read(&self, vm: &mut Vm, size: Option<usize>) -> ToyResult<String> {
        let mut st = self.reading_state(vm)?;
        let Some(size) = size else {
            vm.away(|| st.read_to_end())
                .map_err(|e| self.io_error(&e))?;
            let left = st.rbuf.len() - st.rpos;
            let bytes = st.take(left);
            drop(st);
            return self.text_of(&bytes);
        };
        let n = loop {
            match st.scan_chars(self.config.encoding, self.config.newline, size, false) {
                Scan::Take(n) => break n,
                Scan::NeedMore => vm.away(|| st.fill()).map_err(|e| self.io_error(&e))?,
            }
        };
        let bytes = st.take(n);
        drop(st);
        self.text_of(&bytes)
    }

    /// `f.readline(size)`: the next line with its end, at most `size` characters of it.
    pub fn readline(&self, vm: &mut Vm, size: Option<usize>) -> ToyResult<String> {
        let mut st = self.reading_state(vm)?;
        let mut scanned = 0;
        let n = loop {
            let scan = match size {
                Some(limit) => {
                    st.scan_chars(self.config.encoding, self.config.newline, limit, true)
                }
                None => st.scan_line(self.config.newline, &mut scanned),
            };
            match scan {
                Scan::Take(n) => break n,
                Scan::NeedMore => vm.away(|| st.fill()).map_err(|e| self.io_error(&e))?,
            }
        };
        let bytes = st.take(n);
        drop(st);
        self.text_of(&bytes)
    }

    /// `next(f)`: the next line, or `None` at the end; `tell()` is off until then.
    pub fn next_line(&self, vm: &mut Vm) -> ToyResult<Option<String>> {
        self.core.lock_state(vm).telling_disabled = true;
        let line = self.readline(vm, None)?;
        if line.is_empty() {
            self.core.lock_state(vm).telling_disabled = false;
            return Ok(None);
        }
        Ok(Some(line))
    }

    /// `f.write(s)`: returns the number of characters written.
    pub fn write(&self, vm: &mut Vm, text: &str) -> ToyResult<()> {
        let mut st = self.core.open_state(vm)?;
        self.check_writable()?;
        let bytes = match self.config.newline.written() {
            Some(end) if text.contains('\n') => self
                .config
                .encoding
                .encode(&text.replace('\n', end), &self.config.errors)?,
            _ => self.config.encoding.encode(text, &self.config.errors)?,
        };
        // Bytes read ahead (in '+' mode) are forgotten, and the write lands where the OS
        // position is, after them: what CPython's TextIOWrapper does too (it does not seek
        // back either), so a write after a partial read of a small file goes to its end.
        // Seek first to write elsewhere.
        st.rbuf.clear();
        st.rpos = 0;
        st.wbuf.extend_from_slice(&bytes);
        let line_end = self.config.line_buffering && (text.contains('\n') || text.contains('\r'));
        if st.wbuf.len() >= self.config.write_buffer || line_end {
            vm.away(|| st.flush_writes())
                .map_err(|e| self.io_error(&e))?;
        }
        Ok(())
    }

    /// `f.flush()`.
    pub fn flush(&self, vm: &mut Vm) -> ToyResult<()> {
        let mut st = self.core.open_state(vm)?;
        if !st.wbuf.is_empty() {
            vm.away(|| st.flush_writes())
                .map_err(|e| self.io_error(&e))?;
        }
        Ok(())
    }

    /// `f.seek(offset, whence)`: see "Positions" above for what offsets mean.
    pub fn seek(&self, vm: &mut Vm, offset: i64, whence: i64) -> ToyResult<u64> {
        let mut st = self.core.open_state(vm)?;
        let to = match whence {
            0 if offset < 0 => {
                return Err(Exc::value_error(format!("negative seek position {offset}")))
            }
            0 => SeekFrom::Start(offset as u64),
            1 if offset != 0 => return Err(unsupported("can't do nonzero cur-relative seeks")),
            1 => {
                let here = self.tell_locked(vm, &mut st)?;
                SeekFrom::Start(here)
            }
            2 if offset != 0 => return Err(unsupported("can't do nonzero end-relative seeks")),
            2 => SeekFrom::End(0),
            _ => {
                return Err(Exc::value_error(format!(
                    "invalid whence ({whence}, should be 0, 1 or 2)"
                )))
            }
        };
        if !st.wbuf.is_empty() {
            vm.away(|| st.flush_writes())
                .map_err(|e| self.io_error(&e))?;
        }
        st.rbuf.clear();
        st.rpos = 0;
        st.telling_disabled = false;
        st.seek_raw(to).map_err(|e| self.io_error(&e))
    }

    /// `f.truncate(size=None)`: as a binary file's (a text file that is not writable says
    /// `io.UnsupportedOperation: truncate` too; during iteration the position is unknown).
    pub fn truncate(&self, vm: &mut Vm, size: Option<i64>) -> ToyResult<u64> {
        let mut st = self.core.open_state(vm)?;
        self.check_writable().map_err(|_| unsupported("truncate"))?;
        if size.is_none() && st.telling_disabled {
            return Err(Exc::os_error("telling position disabled by next() call"));
        }
        FileCore::truncate_locked(vm, &mut st, size)
    }

    /// `f.tell()`.
    pub fn tell(&self, vm: &mut Vm) -> ToyResult<u64> {
        let mut st = self.core.open_state(vm)?;
        if st.telling_disabled {
            return Err(Exc::os_error("telling position disabled by next() call"));
        }
        self.tell_locked(vm, &mut st)
    }

    fn tell_locked(&self, vm: &mut Vm, st: &mut FileState) -> ToyResult<u64> {
        if !st.wbuf.is_empty() {
            vm.away(|| st.flush_writes())
                .map_err(|e| self.io_error(&e))?;
        }
        let os_pos = st
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| self.io_error(&e))?;
        Ok(os_pos.saturating_sub((st.rbuf.len() - st.rpos) as u64))
    }
}

/// What `readable()`, `writable()` and `seekable()` ask about.
pub enum Capability {
    Read,
    Write,
    Seek,
}

impl FileState {
    /// The open file (callers checked it is open).
    pub fn file(&mut self) -> std::io::Result<&mut File> {
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("I/O operation on closed file"))
    }

    /// Read up to a buffer's worth more from the OS. Called through `Vm::away`.
    pub fn fill(&mut self) -> std::io::Result<()> {
        if self.rpos > 0 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
        let start = self.rbuf.len();
        self.rbuf.resize(start + BUFFER_SIZE, 0);
        let Some(file) = self.file.as_mut() else {
            self.rbuf.truncate(start);
            return Err(std::io::Error::other("I/O operation on closed file"));
        };
        let got = loop {
            match file.read(&mut self.rbuf[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.rbuf.truncate(start);
                    return Err(e);
                }
            }
        };
        self.rbuf.truncate(start + got);
        self.eof = got == 0;
        Ok(())
    }

    /// Read everything left into the buffer. Called through `Vm::away`.
    pub fn read_to_end(&mut self) -> std::io::Result<()> {
        let mut rest = Vec::new();
        self.file()?.read_to_end(&mut rest)?;
        self.rbuf.extend_from_slice(&rest);
        self.eof = true;
        Ok(())
    }

    /// Consume and return the next `n` unread bytes.
    pub fn take(&mut self, n: usize) -> Vec<u8> {
        let end = (self.rpos + n).min(self.rbuf.len());
        let out = self.rbuf[self.rpos..end].to_vec();
        self.rpos = end;
        if self.rpos == self.rbuf.len() {
            self.rbuf.clear();
            self.rpos = 0;
        }
        out
    }

    /// Where the next line ends in the unread bytes. `scanned` remembers how far an earlier
    /// scan got, so a long line costs one pass however many fills it takes.
    fn scan_line(&self, newline: Newline, scanned: &mut usize) -> Scan {
        let rest = &self.rbuf[self.rpos..];
        let from = (*scanned).min(rest.len());
        let found = match newline {
            Newline::Universal | Newline::Untranslated => {
                memchr::memchr2(b'\n', b'\r', &rest[from..]).map(|i| from + i)
            }
            Newline::Lf => memchr::memchr(b'\n', &rest[from..]).map(|i| from + i),
            Newline::Cr => memchr::memchr(b'\r', &rest[from..]).map(|i| from + i),
            Newline::CrLf => memchr::memmem::find(&rest[from..], b"\r\n").map(|i| from + i + 1),
        };
        match found {
            Some(i)
                if rest[i] == b'\r'
                    && matches!(newline, Newline::Universal | Newline::Untranslated) =>
            {
                // `\r` ends a line, unless `\n` follows: look one byte further.
                match rest.get(i + 1) {
                    Some(b'\n') => Scan::Take(i + 2),
                    Some(_) => Scan::Take(i + 1),
                    None if self.eof => Scan::Take(i + 1),
                    None => {
                        *scanned = i;
                        Scan::NeedMore
                    }
                }
            }
            Some(i) => Scan::Take(i + 1),
            None if self.eof => Scan::Take(rest.len()),
            None => {
                // A `\r` at the end may start the `\r\n` being looked for.
                *scanned = rest.len().saturating_sub(1);
                Scan::NeedMore
            }
        }
    }

    /// The bytes of the next `limit` characters (a `\r\n` that universal newlines turn into
    /// one `\n` counts once), stopping after a line end when `stop_at_line` is set.
    fn scan_chars(&self, enc: Codec, newline: Newline, limit: usize, stop_at_line: bool) -> Scan {
        let rest = &self.rbuf[self.rpos..];
        let mut i = 0;
        for _ in 0..limit {
            let Some(&b) = rest.get(i) else {
                return if self.eof {
                    Scan::Take(i)
                } else {
                    Scan::NeedMore
                };
            };
            let mut len = enc.char_len(b);
            let ends_line = match (b, newline) {
                (b'\n', Newline::Universal | Newline::Untranslated | Newline::Lf) => true,
                (b'\r', Newline::Universal | Newline::Untranslated) => {
                    match rest.get(i + 1) {
                        Some(b'\n') if newline == Newline::Universal => len = 2,
                        Some(b'\n') => {}
                        Some(_) => {}
                        None if self.eof => {}
                        None => return Scan::NeedMore,
                    }
                    // In untranslated mode `\r\n` is two characters, the line ends after both.
                    !(newline == Newline::Untranslated && rest.get(i + 1) == Some(&b'\n'))
                }
                (b'\r', Newline::Cr) => true,
                (b'\n', Newline::CrLf) => i > 0 && rest[i - 1] == b'\r',
                _ => false,
            };
            if i + len > rest.len() {
                return if self.eof {
                    Scan::Take(rest.len())
                } else {
                    Scan::NeedMore
                };
            }
            i += len;
            if stop_at_line && ends_line {
                return Scan::Take(i);
            }
        }
        Scan::Take(i)
    }

    /// Give bytes read ahead back to the OS, so that its position is the reader's (before a
    /// write or a truncate).
    pub fn rewind_read_ahead(&mut self) -> std::io::Result<()> {
        let ahead = self.rbuf.len() - self.rpos;
        if ahead > 0 {
            self.seek_raw(SeekFrom::Current(-(ahead as i64)))?;
        }
        self.rbuf.clear();
        self.rpos = 0;
        Ok(())
    }

    /// Give the collected writes to the OS. Called through `Vm::away`.
    pub fn flush_writes(&mut self) -> std::io::Result<()> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.wbuf);
        let r = self.file().and_then(|f| f.write_all(&bytes));
        if r.is_err() {
            // Keep what was not written, as CPython's BufferedWriter does.
            self.wbuf = bytes;
        } else {
            // Reuse the allocation.
            self.wbuf = bytes;
            self.wbuf.clear();
        }
        r
    }

    pub fn seek_raw(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.file()?.seek(to)
    }
}

impl Drop for FileCore {
    /// The last reference went without `close()`: flush and close (the `File` drops with the
    /// state, unless `flush_all_at_exit` holds it a moment longer), as CPython's finalizer
    /// does. `Drop` cannot leave toy code through `Vm::away`; the GIL stays held for this one
    /// write, as CPython holds it in its finalizer. Errors are lost, as there.
    fn drop(&mut self) {
        let _ = self.state.lock().flush_writes();
    }
}

/// `ValueError: I/O operation on closed file.`
pub fn closed_error() -> Exc {
    Exc::value_error("I/O operation on closed file.")
}

/// `io.UnsupportedOperation: what`.
pub fn unsupported(what: &str) -> Exc {
    Exc::new(crate::modules::io::unsupported_operation(), what)
}
