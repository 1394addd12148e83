//! `-o/--out PATH` (repeatable) and `--formats`, shared by `route`, `map`
//! and `geocode`: which files to write, in which formats.

use anyhow::Result;
use routemap::output::format::{self, check_extension, Target};
use routemap::output::{Format, OutputError};
use std::path::PathBuf;

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
pub fn stdout() -> Stdout {
    Stdout(std::io::BufWriter::new(std::io::stdout().lock()))
}

/// See [`stdout`].
pub struct Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>);

fn stdout_error(e: std::io::Error) -> std::io::Error {
    let reason = match e.kind() {
        std::io::ErrorKind::BrokenPipe => "the pipe was closed".into(),
        _ => routemap::output::io_reason(&e),
    };
    std::io::Error::new(e.kind(), format!("cannot write standard output: {reason}"))
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(stdout_error)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(stdout_error)
    }
}
