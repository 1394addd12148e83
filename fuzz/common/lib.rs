//! Helpers shared by the fuzz targets.

use std::path::PathBuf;

/// Writes `bytes` to a file of this process with the given extension and
/// returns its path: routemap's network and index readers take paths.
pub fn file_with(ext: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("routemap-fuzz-{}.{ext}", std::process::id()));
    std::fs::write(&path, bytes).expect("write the fuzz input");
    path
}

/// Sets the CRC-32 of an index (bytes 12..16, over everything after the
/// 16-byte preamble) so that mutations reach the reader behind the
/// checksum instead of stopping at it.
pub fn fix_index_crc(bytes: &mut [u8]) {
    if bytes.len() >= 16 {
        let crc = crc32fast::hash(&bytes[16..]);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
    }
}
