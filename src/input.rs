//! Reading inputs.

use std::io::{self, Read};

/// A reader that fails at the first NUL byte, which no text (nor XML)
/// holds: `/dev/zero` given as a gazetteer, an OpenStreetMap extract or an
/// article once grew the memory by gigabytes a second, never to end. The
/// error (kind `Other`) says `message(offset)`, the offset of the NUL byte
/// from where this reader began.
pub struct NoNul<R> {
    inner: R,
    read: u64,
    message: fn(u64) -> String,
}

impl<R> NoNul<R> {
    /// Reads `inner`, failing with `message(offset)` at a NUL byte.
    pub fn new(inner: R, message: fn(u64) -> String) -> NoNul<R> {
        NoNul {
            inner,
            read: 0,
            message,
        }
    }
}

impl<R: Read> Read for NoNul<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(at) = buf[..n].iter().position(|&b| b == 0) {
            return Err(io::Error::other((self.message)(self.read + at as u64)));
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// A reader that fails once more than `limit` bytes have been read since
/// it was made or last [`restart`](Bounded::restart)ed: the reader of a
/// record (a CSV row) restarts it after each one, so that one endless row
/// (a huge field, `/dev/zero`) cannot grow the memory without end. The
/// error (kind `Other`) holds a [`TooLong`].
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Bounded<R> {
    /// Reads `inner`, at most `limit` bytes between two restarts.
    pub fn new(inner: R, limit: u64) -> Bounded<R> {
        Bounded {
            inner,
            left: limit,
            limit,
        }
    }

    /// Allows `limit` more bytes from here on.
    pub fn restart(&mut self) {
        self.left = self.limit;
    }
}

/// What a [`Bounded`] reader fails with: more than `limit` bytes in one
/// record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// The limit that was passed.
    pub limit: u64,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "longer than {} bytes", self.limit)
    }
}

impl std::error::Error for TooLong {}

impl TooLong {
    /// The [`TooLong`] inside an I/O error, if it is one.
    pub fn of(error: &io::Error) -> Option<TooLong> {
        error.get_ref()?.downcast_ref::<TooLong>().copied()
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // Only an error if there is more to read: a record of exactly
            // `limit` bytes at the end of the input is fine.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(TooLong { limit: self.limit })),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Runs `f`, catching a panic in it (a crate below us given data it did
/// not expect: an fst node, an OSM PBF coordinate that overflows) without the panic hook (which prints an
/// internal error and ends the process) seeing it. Panics of other threads
/// meanwhile go to the hook as before.
pub(crate) fn without_panic_message<T>(f: impl FnOnce() -> T) -> Option<T> {
    use std::cell::Cell;
    use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
    use std::sync::{Arc, Mutex};
    type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;
    static SWAP: Mutex<()> = Mutex::new(());
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    let _one_at_a_time = SWAP.lock().unwrap_or_else(|e| e.into_inner());
    let previous: Arc<Hook> = Arc::new(panic::take_hook());
    let outer = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if !QUIET.with(Cell::get) {
            outer(info);
        }
    }));
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    drop(panic::take_hook());
    match Arc::try_unwrap(previous) {
        Ok(hook) => panic::set_hook(hook),
        Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
    }
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_reader_stops_a_long_record_and_restarts() {
        let mut r = Bounded::new(&b"abcdefgh"[..], 3);
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        let err = r.read(&mut buf).unwrap_err();
        assert_eq!(TooLong::of(&err), Some(TooLong { limit: 3 }));
        assert_eq!(err.to_string(), "longer than 3 bytes");
        r.restart();
        // The probe byte ("d") was consumed by the failed read.
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"efg");
        // Exactly the limit at the end of the input is no error.
        let mut exact = Vec::new();
        Bounded::new(&b"abc"[..], 3)
            .read_to_end(&mut exact)
            .unwrap();
        assert_eq!(exact, b"abc");
        assert!(TooLong::of(&io::Error::other("other")).is_none());
    }

    #[test]
    fn a_nul_byte_stops_the_read_and_says_where() {
        let mut text = Vec::new();
        NoNul::new(&b"plain text"[..], |_| unreachable!())
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, b"plain text");
        let err = NoNul::new(&b"ab\0cd"[..], |at| format!("NUL at {at}"))
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(err.to_string(), "NUL at 2");
    }
}
