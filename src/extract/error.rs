//! What can go wrong reading a text.

use thiserror::Error;

/// A text that cannot be read for places.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The input holds no text (or only white space).
    #[error("{input}: empty input: give a text to read places from")]
    Empty {
        /// The file name, or `-` for standard input.
        input: String,
    },
    /// The input is not UTF-8.
    #[error("{input}: not UTF-8 text (invalid byte at offset {offset}, line {line}): convert it first, e.g. with iconv -f LATIN1 -t UTF-8")]
    NotUtf8 {
        /// The file name, or `-` for standard input.
        input: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Its line, from 1.
        line: usize,
    },
}
