//! Writing results: GeoJSON and the other GIS formats, text tables, and
//! files written atomically.
//!
//! The GIS formats all start from the route's GeoJSON FeatureCollection
//! ([`geojson::route_collection`]), sorted into one layer per geometry
//! type by [`layers::Layers`]; [`encode`] turns it into the bytes of any
//! [`Format`]. [`write_all_atomic`] writes several outputs all or none.

pub mod csv;
pub mod fgb;
pub mod format;
pub mod geojson;
pub mod gpkg;
pub mod gpx;
pub mod kml;
pub mod layers;
pub mod table;

pub use format::Format;

use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What can go wrong in choosing or encoding an output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A `--formats` name or extension that routemap does not write.
    #[error("unknown format {given:?}: use geojson, gpkg, kml, gpx, csv, fgb, png or svg")]
    UnknownFormat {
        /// As given.
        given: String,
    },
    /// A file given to a flag for one format whose extension names another.
    #[error("{flag} {}: the extension .{} is for {found}, not {format}; name the file {} or write {found} with -o {}",
        path.display(), found.name(), format::with_suffix(&path.with_extension(""), format.name()).display(), path.display())]
    ExtensionMismatch {
        /// The flag, e.g. `--png`.
        flag: String,
        /// The file as given.
        path: PathBuf,
        /// What the flag writes.
        format: Format,
        /// What the extension names.
        found: Format,
    },
    /// `-o -` with several formats.
    #[error("-o - writes one format to standard output; give one with --formats, or a file name")]
    StdoutFormats,
    /// Two outputs to standard output.
    #[error("only one output can go to standard output (-)")]
    StdoutTwice,
    /// A format this command has nothing to write in (a map format for
    /// `geocode`, KML for `map`'s image-only options).
    #[error("this command cannot write {format}")]
    Unsupported {
        /// The format asked for.
        format: Format,
    },
    /// An output file that is also one of the command's input files.
    #[error("output {} is also an input file; write to another file", path.display())]
    OutputIsInput {
        /// The output as given.
        path: PathBuf,
    },
    /// A writer failed.
    #[error("cannot encode {format}: {reason}")]
    Encode {
        /// The format.
        format: Format,
        /// Why.
        reason: String,
    },
}

/// The bytes of a GIS format (everything but the map images) for the
/// features of `fc`, with `title` as the document or dataset name.
///
/// # Errors
///
/// [`OutputError::Unsupported`] for PNG and SVG (drawn by `render`),
/// [`OutputError::Encode`] when a writer fails.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::route::{Route, RouteRequest};
/// use routemap::output::{encode, Format};
/// let gaz = Gazetteer::builtin().unwrap();
/// let route = Route::resolve(&gaz, &RouteRequest::new(["Seoul", "Tokyo"])).unwrap();
/// let fc = routemap::output::geojson::route_collection(&route);
/// let gpkg = encode(Format::GeoPackage, &fc, route.name()).unwrap();
/// assert_eq!(&gpkg[..15], b"SQLite format 3");
/// ```
pub fn encode(
    format: Format,
    fc: &::geojson::FeatureCollection,
    title: &str,
) -> std::result::Result<Vec<u8>, OutputError> {
    let layers = || layers::Layers::from_collection(fc, title);
    Ok(match format {
        Format::GeoJson => geojson::collection_to_string(fc).into_bytes(),
        Format::GeoPackage => gpkg::to_bytes(&layers())?,
        Format::Kml => kml::to_string(&layers()).into_bytes(),
        Format::Gpx => gpx::to_string(&layers()).into_bytes(),
        Format::Csv => csv::to_string(&layers())?.into_bytes(),
        Format::FlatGeobuf => fgb::to_bytes(&layers())?,
        Format::Png | Format::Svg => return Err(OutputError::Unsupported { format }),
    })
}

/// Refuses to write over an input: an output that is the same file as
/// one of `inputs` (the same path, or another name of it through a link).
///
/// # Errors
///
/// [`OutputError::OutputIsInput`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("places.tsv");
/// std::fs::write(&input, "name\tlat\tlon\n").unwrap();
/// let same = dir.path().join(".").join("places.tsv");
/// assert!(routemap::output::check_not_input(&[same], &[input.clone()]).is_err());
/// assert!(routemap::output::check_not_input(&[dir.path().join("out.tsv")], &[input]).is_ok());
/// ```
pub fn check_not_input(
    outputs: &[PathBuf],
    inputs: &[PathBuf],
) -> std::result::Result<(), OutputError> {
    let id = |p: &Path| -> Option<(u64, u64)> {
        let m = std::fs::metadata(p).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some((m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = m;
            None
        }
    };
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    for out in outputs.iter().filter(|p| p.as_os_str() != "-") {
        let (oid, ocanon) = (id(out), canon(out));
        if ocanon.is_none() {
            continue;
        }
        // Devices (a terminal, a pipe) may be both read and written.
        if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
            continue;
        }
        for input in inputs {
            if (oid.is_some() && id(input) == oid) || canon(input) == ocanon {
                return Err(OutputError::OutputIsInput { path: out.clone() });
            }
        }
    }
    Ok(())
}

/// Temporary files and folders being written, removed by
/// [`remove_temp_files`] when the process is interrupted.
static TEMP_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register_temp(path: &Path, add: bool) {
    let mut list = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
    if add {
        list.push(path.to_path_buf());
    } else {
        list.retain(|p| p != path);
    }
}

fn remove_path(p: &Path) {
    if std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_dir_all(p);
    } else {
        let _ = std::fs::remove_file(p);
    }
}

/// The start of the names of this process's temporary files and folders,
/// `.routemap-PID-`: the process id lets a later run tell those left by a
/// killed one (SIGKILL cannot be caught) from those of a run still going,
/// see [`remove_stale_temp_files`].
pub fn temp_prefix() -> String {
    format!(".routemap-{}-", std::process::id())
}

/// A temporary folder (`.routemap-PID-index…`) removed when dropped and
/// on SIGINT/SIGTERM (by [`remove_temp_files`]), for writers that need
/// several scratch files (`gazetteer import`).
#[derive(Debug)]
pub struct TempFolder {
    dir: tempfile::TempDir,
}

impl TempFolder {
    /// Makes the folder in `parent`, after removing the stale temporary
    /// files of killed runs there.
    ///
    /// # Errors
    ///
    /// The I/O error of creating it.
    pub fn new_in(parent: &Path, what: &str) -> std::io::Result<TempFolder> {
        remove_stale_temp_files(parent);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{}{what}", temp_prefix()))
            .tempdir_in(parent)?;
        register_temp(dir.path(), true);
        Ok(TempFolder { dir })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        register_temp(self.dir.path(), false);
    }
}

/// How long a temporary file of a process that no longer runs must have
/// been left alone before [`remove_stale_temp_files`] removes it (a guard
/// for a process of another PID namespace writing into the same folder).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes from `dir` the temporary files (`.routemap-PID-*.tmp`) and
/// folders (`.routemap-PID-index*`) that a killed routemap left behind:
/// those whose process no longer runs and that have not changed for a
/// minute. Names without a process id (older versions) are left alone.
/// Only on Linux, where `/proc` tells which processes run; elsewhere it
/// does nothing.
pub fn remove_stale_temp_files(dir: &Path) {
    if !cfg!(target_os = "linux") || !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(".routemap-")) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let ours = if meta.is_dir() {
            tail.starts_with("index")
        } else {
            meta.is_file() && tail.ends_with(".tmp")
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if ours && old && pid != me && !Path::new(&format!("/proc/{pid}")).exists() {
            remove_path(&entry.path());
        }
    }
}

/// Removes the temporary files (`.routemap-*.tmp`) and folders of writes
/// still in progress: for a signal handler (SIGINT, SIGTERM) to call
/// before the process exits, so that an interrupted run leaves nothing
/// behind. When outputs are being renamed into place it waits until all
/// of them are. The list stays locked afterwards, so that no new
/// temporary file is made while the process exits.
pub fn remove_temp_files() {
    let list = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
    for p in list.iter() {
        remove_path(p);
    }
    // Keep the lock until exit: a write in progress blocks instead of
    // renaming a file whose temporary file is gone.
    std::mem::forget(list);
}

/// Like [`remove_temp_files`], for a panic hook: does nothing when the list
/// is locked (the panic may have happened while this thread held it), so
/// that it never waits forever.
pub fn try_remove_temp_files() {
    let list = match TEMP_FILES.try_lock() {
        Ok(list) => list,
        Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return,
    };
    for p in list.iter() {
        remove_path(p);
    }
    std::mem::forget(list);
}

/// Puts a finished temporary file where `path` says, as [`write_all_atomic`]
/// does: renamed over a regular file (a symbolic link followed), copied
/// into a device or FIFO, or to standard output for `-`. The rename
/// happens under the lock that [`remove_temp_files`] takes. The temporary
/// file must be in the folder of `path`'s target for the rename (see
/// [`scratch_folder_for`]).
///
/// # Errors
///
/// [`Error::Write`] naming `path`.
pub fn persist_temp(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    let fail = |e: &std::io::Error| write_error(path, io_reason(e));
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    match destination(path)? {
        Destination::Replace(real) => {
            let _list = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
            tmp.persist(real).map_err(|e| fail(&e.error))?;
        }
        Destination::Through(real) => {
            let mut from = std::fs::File::open(tmp.path()).map_err(|e| fail(&e))?;
            std::fs::OpenOptions::new()
                .write(true)
                .open(real)
                .and_then(|mut f| std::io::copy(&mut from, &mut f).and_then(|_| f.flush()))
                .map_err(|e| fail(&e))?;
        }
        Destination::Stdout => {
            let mut from = std::fs::File::open(tmp.path()).map_err(|e| fail(&e))?;
            let mut out = std::io::stdout().lock();
            std::io::copy(&mut from, &mut out)
                .and_then(|_| out.flush())
                .map_err(|e| write_error(Path::new("standard output"), io_reason(&e)))?;
        }
    }
    Ok(())
}

/// The folder where scratch files for `path` belong: that of its target
/// (symbolic links followed) for a regular file, so that the result is
/// renamed into place; the system's temporary folder for a device, a FIFO
/// or `-`, never the folder of a device.
///
/// # Errors
///
/// [`Error::Write`] when `path` is a folder or a loop of links.
pub fn scratch_folder_for(path: &Path) -> Result<PathBuf> {
    Ok(match destination(path)? {
        Destination::Replace(real) => match real.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        },
        Destination::Through(_) | Destination::Stdout => std::env::temp_dir(),
    })
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`. A failure leaves
/// no partial file and an existing file untouched. See
/// [`write_all_atomic`] for devices, FIFOs, symbolic links and `-`.
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
    write_all(&[(path, bytes)])
}

/// Writes several files all or nothing, as far as the file system allows:
/// every regular file is first written to a temporary file
/// (`.routemap-*.tmp`) beside its target, and only when all of them are
/// written are they renamed into place. A missing directory or a full disk
/// therefore leaves no output at all.
///
/// - `-` is standard output, written last;
/// - a device or a FIFO is written straight through (never replaced by a
///   regular file), after every temporary file is ready;
/// - a symbolic link is followed: its target is replaced, the link kept.
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
    let files: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    write_all(&files)
}

/// Where one output really goes.
enum Destination {
    Stdout,
    /// A device or FIFO: opened and written, not replaced.
    Through(PathBuf),
    /// A regular file (or none yet): replaced by rename.
    Replace(PathBuf),
}

fn write_error(path: &Path, reason: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason,
    }
}

/// Follows symbolic links (also dangling ones, whose target is created).
fn destination(path: &Path) -> Result<Destination> {
    if path.as_os_str() == "-" {
        return Ok(Destination::Stdout);
    }
    let mut real = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&real) {
            Ok(m) if m.file_type().is_symlink() => {
                let target =
                    std::fs::read_link(&real).map_err(|e| write_error(path, e.to_string()))?;
                real = match real.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            Ok(m) if m.is_dir() => return Err(write_error(path, "it is a directory".into())),
            Ok(m) if !m.is_file() => return Ok(Destination::Through(real)),
            _ => return Ok(Destination::Replace(real)),
        }
    }
    Err(write_error(
        path,
        "too many levels of symbolic links".into(),
    ))
}

fn write_all(files: &[(&Path, &[u8])]) -> Result<()> {
    let dests = files
        .iter()
        .map(|(p, _)| destination(p))
        .collect::<Result<Vec<_>>>()?;
    let mut staged = Vec::new();
    for ((path, bytes), dest) in files.iter().zip(&dests) {
        if let Destination::Replace(real) = dest {
            staged.push((*path, real, stage(path, real, bytes)?));
        }
    }
    for ((path, bytes), dest) in files.iter().zip(&dests) {
        if let Destination::Through(real) = dest {
            std::fs::OpenOptions::new()
                .write(true)
                .open(real)
                .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
                .map_err(|e| write_error(path, io_reason(&e)))?;
        }
    }
    // The renames happen under the lock that `remove_temp_files` takes, so
    // an interrupt waits for all of them: never a new file beside an old one.
    {
        let mut list = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
        for (path, real, tmp) in staged {
            let tmp_path = tmp.path().to_path_buf();
            let result = tmp.persist(real);
            list.retain(|p| *p != tmp_path);
            result.map_err(|e| write_error(path, io_reason(&e.error)))?;
        }
    }
    for ((path, bytes), dest) in files.iter().zip(&dests) {
        if let Destination::Stdout = dest {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| write_error(Path::new("standard output"), io_reason(&e)))?;
            let _ = path;
        }
    }
    Ok(())
}

/// An I/O error in words, lowercase, without Rust's "(os error N)".
///
/// ```
/// let e = std::io::Error::from_raw_os_error(28);
/// assert_eq!(routemap::output::io_reason(&e), "no space left on device");
/// ```
pub fn io_reason(e: &std::io::Error) -> String {
    // As the command's own printing says it (`--png - | head` said "broken
    // pipe", a table to the same pipe "the pipe was closed").
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return "the pipe was closed".into();
    }
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s,
    }
}

/// Writes `bytes` to a flushed temporary file in the directory of `real`
/// (the file `path` names, links followed).
fn stage(path: &Path, real: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let fail = |reason: String| write_error(path, reason);
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("directory {} does not exist", dir.display())));
    }
    remove_stale_temp_files(dir);
    let prefix = temp_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A temporary file is private (0600); the result should get the mode
    // any new file gets (0666 less the umask), or keep the one it had.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(io_reason(&e)))?;
    register_temp(tmp.path(), true);
    let result = (|| {
        if let Ok(existing) = std::fs::metadata(real) {
            tmp.as_file().set_permissions(existing.permissions())?;
        }
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()
    })();
    if let Err(e) = result {
        register_temp(tmp.path(), false);
        return Err(fail(io_reason(&e)));
    }
    Ok(tmp)
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

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_gets_its_target_and_a_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.kml");
        std::os::unix::fs::symlink("sub/real.kml", &link).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomic(&link, b"x").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("sub/real.kml")).unwrap(),
            b"x"
        );
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let e = write_atomic(&a, b"x").unwrap_err();
        assert!(
            e.to_string().ends_with("too many levels of symbolic links"),
            "{e}"
        );
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
