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

#[cfg(test)]
mod tests {
    use super::*;

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
