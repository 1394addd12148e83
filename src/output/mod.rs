//! Writing results: GeoJSON, text tables, and files written atomically.

pub mod geojson;
pub mod table;

use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    persist(path, stage(path, bytes)?)
}

/// Writes several files all or nothing, as far as the file system allows:
/// every file is first written to a temporary file beside its target, and
/// only when all of them are written are they renamed into place. A
/// missing directory or a full disk therefore leaves no output at all.
///
/// # Errors
///
/// [`Error::Write`] naming the first file that could not be written.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let a = dir.path().join("a.geojson");
/// let bad = dir.path().join("no/such/dir/a.png");
/// let files = [(a.clone(), b"{}".to_vec()), (bad, b"png".to_vec())];
/// assert!(routemap::output::write_all_atomic(&files).is_err());
/// assert!(!a.exists());
/// ```
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes))
        .collect::<Result<Vec<_>>>()?;
    for ((path, _), tmp) in files.iter().zip(staged) {
        persist(path, tmp)?;
    }
    Ok(())
}

fn write_error(path: &Path, reason: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason,
    }
}

/// Writes `bytes` to a flushed temporary file in `path`'s directory.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let fail = |reason: String| write_error(path, reason);
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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".routemap-").suffix(".tmp");
    // A temporary file is private (0600); the result should get the mode
    // any new file gets (0666 less the umask), or keep the one it had.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(e.to_string()))?;
    if let Ok(existing) = std::fs::metadata(path) {
        tmp.as_file()
            .set_permissions(existing.permissions())
            .map_err(|e| fail(e.to_string()))?;
    }
    tmp.write_all(bytes).map_err(|e| fail(e.to_string()))?;
    tmp.as_file().sync_all().map_err(|e| fail(e.to_string()))?;
    Ok(tmp)
}

fn persist(path: &Path, tmp: tempfile::NamedTempFile) -> Result<()> {
    tmp.persist(path)
        .map_err(|e| write_error(path, e.error.to_string()))?;
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

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_usual_mode_and_old_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.geojson");
        write_atomic(&p, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // The mode a plain new file gets here (0666 less the umask).
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(
            mode(&p),
            mode(&plain),
            "the temporary file's private mode leaked"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"y").unwrap();
        assert_eq!(mode(&p), 0o640);
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
