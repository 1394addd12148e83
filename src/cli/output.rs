//! `-o/--out PATH` (repeatable) and `--formats`, shared by `route`, `map`
//! and `geocode`: which files to write, in which formats.

use anyhow::Result;
use routemap::output::format::{self, check_extension, Target};
use routemap::output::{Format, OutputError};
use std::path::PathBuf;

/// The formats that hold the places of `geocode` and `extract` as points
/// (`-o found.gpkg`).
pub const POINT_FORMATS: [Format; 6] = [
    Format::GeoJson,
    Format::GeoPackage,
    Format::Kml,
    Format::Gpx,
    Format::Csv,
    Format::FlatGeobuf,
];

/// Where to write the results.
#[derive(Debug, Clone, clap::Args)]
pub struct OutArgs {
    /// Write to PATH (repeatable). The extension picks the format: .geojson
    /// .json .gpkg .kml .gpx .csv .fgb .png .svg; a PATH without one is a
    /// stem that gets a file per format (see --formats); `-` is standard
    /// output.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    pub out: Vec<PathBuf>,
    /// Formats a stem (or `-`) gets, comma-separated: geojson, gpkg, kml,
    /// gpx, csv, fgb, png, svg.
    #[arg(long, value_name = "LIST", value_parser = parse_formats)]
    pub formats: Option<FormatList>,
}

/// A parsed `--formats` list.
#[derive(Debug, Clone)]
pub struct FormatList(pub Vec<Format>);

fn parse_formats(s: &str) -> Result<FormatList, String> {
    format::parse_list(s)
        .map(FormatList)
        .map_err(|e| e.to_string())
}

impl OutArgs {
    /// The outputs asked for with `-o`, plus `extra` (`--geojson FILE`,
    /// `--png FILE`, …: their extensions must not name another format).
    pub fn targets(
        &self,
        stem_default: &[Format],
        offered: &[Format],
        extra: &[(Option<&PathBuf>, Format, &str)],
    ) -> Result<Vec<Target>> {
        if self.formats.is_some() && self.out.is_empty() {
            return Err(routemap::Error::InvalidOption {
                option: "--formats".into(),
                message:
                    "it chooses the files of -o STEM; give -o STEM (or -o - for standard output)"
                        .into(),
            }
            .into());
        }
        let mut targets = format::plan(
            &self.out,
            self.formats.as_ref().map(|f| f.0.as_slice()),
            stem_default,
            offered,
        )?;
        for (path, format, flag) in extra {
            if let Some(path) = path {
                if path.as_os_str() != "-" {
                    check_extension(path, *format, flag)?;
                }
                let t = Target {
                    format: *format,
                    path: (*path).clone(),
                };
                if !targets.contains(&t) {
                    targets.push(t);
                }
            }
        }
        if targets.iter().filter(|t| t.is_stdout()).count() > 1 {
            return Err(OutputError::StdoutTwice.into());
        }
        Ok(targets)
    }
}

/// Writes places as points, with their extra properties, to every target
/// (all or none), and reports the files written: the `-o` of `geocode` and
/// `extract`.
pub fn write_places(
    targets: &[Target],
    rows: &[(&routemap::gazetteer::Place, Vec<(&str, serde_json::Value)>)],
) -> Result<()> {
    let fc = routemap::output::geojson::places_collection("place", rows);
    let title = format!("{} places", rows.len());
    let files = targets
        .iter()
        .map(|t| {
            Ok((
                t.path.clone(),
                routemap::output::encode(t.format, &fc, &title)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    routemap::output::write_all_atomic(&files)?;
    report(&files);
    Ok(())
}

/// Reports the files written (standard output is not a file).
pub fn report(files: &[(PathBuf, Vec<u8>)]) {
    for (path, _) in files.iter().filter(|(p, _)| p.as_os_str() != "-") {
        eprintln!("routemap: wrote {}", path.display());
    }
}

/// Prints `text` to standard output; a closed or full output is an error
/// naming it, not a panic.
pub fn print_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = stdout();
    out.write_all(text.as_bytes()).and_then(|()| out.flush())?;
    Ok(())
}

/// Buffered standard output whose errors say what failed: "cannot write
/// standard output: the pipe was closed" (or "no space left on device"),
/// never a panic.
///
/// On a terminal, control characters (ESC, BEL, …, from a name in a
/// gazetteer file) are shown escaped (`\u{1b}`) rather than obeyed; in a
/// pipe or file the bytes pass unchanged.
pub fn stdout() -> Stdout {
    use std::io::IsTerminal;
    let out = std::io::stdout();
    Stdout {
        escape: out.is_terminal(),
        inner: std::io::BufWriter::new(out.lock()),
    }
}

/// See [`stdout`].
pub struct Stdout {
    inner: std::io::BufWriter<std::io::StdoutLock<'static>>,
    escape: bool,
}

/// `bytes` with C0 controls other than tab and newline, DEL, and C1
/// controls (U+0080–U+009F) written as `\u{NN}`.
fn escape_controls(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let c1 = |w: &[u8]| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]);
    let bad = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F;
    if !bytes.iter().any(|&b| bad(b)) && !bytes.windows(2).any(c1) {
        return bytes.into();
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if bad(b) {
            out.extend_from_slice(format!("\\u{{{b:x}}}").as_bytes());
        } else if i + 1 < bytes.len() && c1(&bytes[i..i + 2]) {
            out.extend_from_slice(format!("\\u{{{:x}}}", bytes[i + 1]).as_bytes());
            i += 1;
        } else {
            out.push(b);
        }
        i += 1;
    }
    out.into()
}

fn stdout_error(e: std::io::Error) -> std::io::Error {
    let reason = match e.kind() {
        std::io::ErrorKind::BrokenPipe => "the pipe was closed".into(),
        _ => routemap::output::io_reason(&e),
    };
    std::io::Error::new(e.kind(), format!("cannot write standard output: {reason}"))
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.escape {
            self.inner
                .write_all(&escape_controls(buf))
                .map_err(stdout_error)?;
            return Ok(buf.len());
        }
        self.inner.write(buf).map_err(stdout_error)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(stdout_error)
    }
}
