//! Output formats, chosen by file extension, and the plan of what to write
//! where (`-o PATH` repeatable, `--formats`).

use std::fmt;
use std::path::{Path, PathBuf};

/// Every format routemap writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 7946 GeoJSON, one FeatureCollection (`.geojson`, `.json`).
    GeoJson,
    /// OGC GeoPackage 1.4, an SQLite file with one table per layer (`.gpkg`).
    GeoPackage,
    /// KML 2.2 for Google Earth and My Maps (`.kml`).
    Kml,
    /// GPX 1.1 for GPS devices and hiking apps (`.gpx`).
    Gpx,
    /// CSV with a `type` and a WKT geometry column (`.csv`).
    Csv,
    /// FlatGeobuf with its packed R-tree index (`.fgb`).
    FlatGeobuf,
    /// The map as a PNG image (`.png`).
    Png,
    /// The map as an SVG drawing (`.svg`).
    Svg,
}

impl Format {
    /// Every format, in the order `--formats` lists them.
    pub const ALL: [Format; 8] = [
        Format::GeoJson,
        Format::GeoPackage,
        Format::Kml,
        Format::Gpx,
        Format::Csv,
        Format::FlatGeobuf,
        Format::Png,
        Format::Svg,
    ];

    /// The name used by `--formats` and the file extension written for a stem.
    pub fn name(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoPackage => "gpkg",
            Format::Kml => "kml",
            Format::Gpx => "gpx",
            Format::Csv => "csv",
            Format::FlatGeobuf => "fgb",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }

    /// The format of a file extension (any case); `json` is GeoJSON.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        if ext == "json" {
            return Some(Format::GeoJson);
        }
        Format::ALL.into_iter().find(|f| f.name() == ext)
    }

    /// The format a path's extension names, if it names one.
    ///
    /// ```
    /// use routemap::output::format::Format;
    /// use std::path::Path;
    /// assert_eq!(Format::of_path(Path::new("trip.GPX")), Some(Format::Gpx));
    /// assert_eq!(Format::of_path(Path::new("kim-2023.v2")), None);
    /// ```
    pub fn of_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
    }

    /// A map image (drawn by `render`) rather than features.
    pub fn is_map(self) -> bool {
        matches!(self, Format::Png | Format::Svg)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::GeoJson => "GeoJSON",
            Format::GeoPackage => "GeoPackage",
            Format::Kml => "KML",
            Format::Gpx => "GPX",
            Format::Csv => "CSV",
            Format::FlatGeobuf => "FlatGeobuf",
            Format::Png => "PNG",
            Format::Svg => "SVG",
        })
    }
}

impl std::str::FromStr for Format {
    type Err = super::OutputError;

    fn from_str(s: &str) -> Result<Format, Self::Err> {
        Format::from_extension(s.trim().trim_start_matches('.')).ok_or_else(|| {
            super::OutputError::UnknownFormat {
                given: s.to_string(),
            }
        })
    }
}

/// Parses a `--formats` list such as `geojson,gpkg,kml,png`.
///
/// # Errors
///
/// [`super::OutputError::UnknownFormat`] naming the first unknown name.
pub fn parse_list(s: &str) -> Result<Vec<Format>, super::OutputError> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let f: Format = part.parse()?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What is written.
    pub format: Format,
    /// The file, or `-` for standard output.
    pub path: PathBuf,
}

impl Target {
    /// Whether this output goes to standard output.
    pub fn is_stdout(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// Checks that a file given for `format` (`--png FILE`, `--geojson FILE`)
/// does not carry another format's extension: `--png map.svg` would write
/// PNG bytes into a file every program takes for SVG. A path without a
/// known extension is accepted as it is.
///
/// # Errors
///
/// [`super::OutputError::ExtensionMismatch`].
///
/// ```
/// use routemap::output::format::{check_extension, Format};
/// use std::path::Path;
/// assert!(check_extension(Path::new("map.png"), Format::Png, "--png").is_ok());
/// let e = check_extension(Path::new("map.svg"), Format::Png, "--png").unwrap_err();
/// assert_eq!(e.to_string(), "--png map.svg: the extension .svg is for SVG, not PNG; name the file map.png or write SVG with -o map.svg");
/// ```
pub fn check_extension(path: &Path, format: Format, flag: &str) -> Result<(), super::OutputError> {
    match Format::of_path(path) {
        Some(f) if f != format => Err(super::OutputError::ExtensionMismatch {
            flag: flag.to_string(),
            path: path.to_path_buf(),
            format,
            found: f,
        }),
        _ => Ok(()),
    }
}

/// The outputs that `-o PATH` (repeatable) asks for: a path with a known
/// extension is written in that format; `-` is standard output in the
/// one format of `formats` (GeoJSON by default); any other path is a stem
/// that gets one file per format of `formats`, or of `stem_default`.
///
/// # Errors
///
/// [`super::OutputError::StdoutFormats`] when `-` is given with several
/// formats, [`super::OutputError::Unsupported`] when a format is not
/// offered by this command.
///
/// ```
/// use routemap::output::format::{plan, Format};
/// use std::path::PathBuf;
/// let outs = [PathBuf::from("output/kim-2023"), PathBuf::from("trip.gpx")];
/// let t = plan(&outs, None, &[Format::GeoJson, Format::Png], &Format::ALL).unwrap();
/// let paths: Vec<_> = t.iter().map(|t| t.path.to_str().unwrap()).collect();
/// assert_eq!(paths, ["output/kim-2023.geojson", "output/kim-2023.png", "trip.gpx"]);
/// ```
pub fn plan(
    outs: &[PathBuf],
    formats: Option<&[Format]>,
    stem_default: &[Format],
    offered: &[Format],
) -> Result<Vec<Target>, super::OutputError> {
    let mut targets: Vec<Target> = Vec::new();
    let mut push = |t: Target| {
        if !targets.contains(&t) {
            targets.push(t);
        }
    };
    let supported = |f: Format| {
        if offered.contains(&f) {
            Ok(f)
        } else {
            Err(super::OutputError::Unsupported { format: f })
        }
    };
    for out in outs {
        if out.as_os_str() == "-" {
            let format = match formats {
                None | Some([]) => Format::GeoJson,
                Some([one]) => *one,
                Some(_) => return Err(super::OutputError::StdoutFormats),
            };
            push(Target {
                format: supported(format)?,
                path: out.clone(),
            });
        } else if let Some(format) = Format::of_path(out) {
            push(Target {
                format: supported(format)?,
                path: out.clone(),
            });
        } else {
            for &format in formats.unwrap_or(stem_default) {
                push(Target {
                    format: supported(format)?,
                    path: with_suffix(out, format.name()),
                });
            }
        }
    }
    Ok(targets)
}

/// `STEM` plus `.ext`, keeping dots already in the stem (`kim-2023.v2`).
pub fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stem_with_formats_and_stdout() {
        let outs = [PathBuf::from("a"), PathBuf::from("-")];
        let e = plan(
            &outs,
            Some(&[Format::Kml, Format::Csv]),
            &[Format::GeoJson],
            &Format::ALL,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "-o - writes one format to standard output; give one with --formats, or a file name"
        );
        let t = plan(
            &outs,
            Some(&[Format::Kml]),
            &[Format::GeoJson],
            &Format::ALL,
        )
        .unwrap();
        assert_eq!(t[0].path, PathBuf::from("a.kml"));
        assert!(t[1].is_stdout() && t[1].format == Format::Kml);
    }

    #[test]
    fn unsupported_and_unknown_formats() {
        let e = plan(
            &[PathBuf::from("x.kml")],
            None,
            &[Format::Png],
            &[Format::Png, Format::Svg],
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "this command cannot write KML");
        assert_eq!(
            parse_list("geojson,shp").unwrap_err().to_string(),
            "unknown format \"shp\": use geojson, gpkg, kml, gpx, csv, fgb, png or svg"
        );
    }
}
