//! Writing results: GeoJSON, text tables, and files written atomically.

pub mod geojson;
pub mod table;

use crate::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`. A failure leaves
/// no partial file and an existing file untouched.
///
/// # Errors
///
/// [`Error::Write`] when the directory does not exist or the file cannot
/// be written.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("route.geojson");
/// routemap::output::write_atomic(&path, b"{}").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}");
/// let missing = dir.path().join("no/such/dir/x.geojson");
/// assert!(routemap::output::write_atomic(&missing, b"{}").is_err());
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |reason: String| Error::Write {
        path: path.to_path_buf(),
        reason,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("directory {} does not exist", dir.display())));
    }
    if path.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".routemap-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(e.to_string()))?;
    tmp.write_all(bytes).map_err(|e| fail(e.to_string()))?;
    tmp.as_file().sync_all().map_err(|e| fail(e.to_string()))?;
    tmp.persist(path).map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_existing_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_directory_is_a_clear_error() {
        let e = write_atomic(Path::new("/nonexistent-dir-xyz/a.geojson"), b"x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot write /nonexistent-dir-xyz/a.geojson: directory /nonexistent-dir-xyz does not exist"
        );
    }
}
