//! Importing large gazetteers into an [`Index`](super::Index) file:
//! GeoNames dumps, TSV, CSV and GeoJSON.
//!
//! GeoNames dumps (`allCountries.txt`, `citiesN.txt`, a country file such
//! as `KP.txt`) are the `geoname` table: 19 tab-separated columns, no
//! header, no quoting (a `"` is just a character), empty numeric fields
//! allowed, lines ending in LF or CRLF, sometimes a byte-order mark. They are
//! read line by line: memory does not grow with the file (the index writer
//! spills sorted runs of names to disk). Feature codes give the kind:
//!
//! | GeoNames                    | kind                                |
//! |-----------------------------|-------------------------------------|
//! | `A.PCL*`                    | country                             |
//! | `A.ADM1`, `A.ADM2`          | region                              |
//! | `P.PPLC`                    | city, capital                       |
//! | `P.*`                       | city from 100 000 people or a first-level seat (`PPLA`), town from 1 000, else village |
//! | `S.RSTN`, `S.RSTP`, `S.RSTNQ` | station                           |
//! | `S.AIRP`, `S.AIRF`          | airport                             |
//! | `L.PRT`, `S.PRT`            | port                                |
//! | `S.PSTB`                    | border crossing                     |
//! | anything else               | landmark                            |
//!
//! An `alternateNamesV2.txt` (or `alternateNames.txt`) file can add names;
//! it is read whole into memory first (about 1 GB for the full file), skipping
//! links, postal and airport codes.

use super::index::IndexWriter;
use super::load::{for_each_delimited, parse_geojson, read_lat_lon};
use super::place::{Place, PlaceKind};
use crate::{Error, Result};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// A GeoNames `geoname` table dump.
    GeoNames,
    /// A routemap TSV gazetteer (header row).
    Tsv,
    /// A routemap CSV gazetteer (header row).
    Csv,
    /// A GeoJSON FeatureCollection of Points (read whole).
    GeoJson,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Stop at the first malformed row instead of skipping it.
    pub strict: bool,
    /// The input format; guessed from the name and first line when `None`.
    pub format: Option<ImportFormat>,
    /// A GeoNames `alternateNamesV2.txt` whose names are added.
    pub alternate_names: Option<PathBuf>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Places written to the index.
    pub places: usize,
    /// Malformed rows skipped.
    pub bad_rows: usize,
}

/// Guesses the format of `path`: by extension for CSV and GeoJSON; for
/// `.txt`/`.tsv`, a first line with a `name` column is a routemap TSV and
/// one starting with a number and holding 15 or more tabs' worth of columns
/// is GeoNames.
///
/// # Errors
///
/// [`Error::Read`] when the file cannot be read, [`Error::GazetteerFile`]
/// when the format cannot be told.
pub fn detect_format(path: &Path) -> Result<ImportFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => return Ok(ImportFormat::Csv),
        Some("geojson" | "json") => return Ok(ImportFormat::GeoJson),
        _ => {}
    }
    let file = File::open(path).map_err(|error| Error::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let first = first_line(&mut BufReader::new(file), path)?;
    format_of_first_line(&first, path)
}

/// The first line of `input` (at most 1 MiB of it), with its newline.
fn first_line(input: &mut impl BufRead, path: &Path) -> Result<Vec<u8>> {
    let mut first = Vec::new();
    input
        .take(1 << 20)
        .read_until(b'\n', &mut first)
        .map_err(|error| Error::Read {
            path: path.to_path_buf(),
            error,
        })?;
    Ok(first)
}

/// The format of a file without a telling extension, from its first line.
fn format_of_first_line(first: &[u8], path: &Path) -> Result<ImportFormat> {
    let text = String::from_utf8_lossy(first);
    let text = text.trim_start_matches('\u{feff}');
    let fields: Vec<&str> = text.trim_end_matches(['\r', '\n']).split('\t').collect();
    if fields.len() >= 15 && fields[0].trim().parse::<u64>().is_ok() {
        return Ok(ImportFormat::GeoNames);
    }
    if fields.iter().any(|f| f.trim().eq_ignore_ascii_case("name")) {
        return Ok(ImportFormat::Tsv);
    }
    Err(Error::GazetteerFile {
        path: path.to_path_buf(),
        message: "cannot tell the format: expected a GeoNames dump (19 tab-separated \
                  columns) or a TSV with a header row naming name, lat, lon"
            .into(),
    })
}

/// Counts the bytes read through it, for progress reports.
struct Counting<R, F: FnMut(u64)> {
    inner: R,
    read: u64,
    report: F,
}

impl<R: Read, F: FnMut(u64)> Read for Counting<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let before = self.read >> 20;
        self.read += n as u64;
        if self.read >> 20 != before || n == 0 {
            (self.report)(self.read);
        }
        Ok(n)
    }
}

/// Imports `input` into a new index file `out` (written atomically).
///
/// `on_bad` sees each malformed row (its error names the file, line and
/// column); with `strict` the first one is returned as the error instead.
/// `progress` sees the number of bytes of `input` read so far.
///
/// # Errors
///
/// [`Error::Read`], [`Error::Write`], [`Error::GazetteerFile`], and with
/// `strict` the first [`Error::GazetteerRow`].
pub fn import(
    input: &Path,
    out: &Path,
    options: &ImportOptions,
    on_bad: &mut dyn FnMut(&Error),
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport> {
    let read_err = |error| Error::Read {
        path: input.to_path_buf(),
        error,
    };
    // The input is opened once (a FIFO cannot be read twice): the first
    // line tells the format when the extension does not, and is read again
    // from memory.
    let mut file = BufReader::with_capacity(1 << 20, File::open(input).map_err(read_err)?);
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let (format, first) = match (options.format, ext.as_deref()) {
        (Some(f), _) => (f, Vec::new()),
        (None, Some("csv")) => (ImportFormat::Csv, Vec::new()),
        (None, Some("geojson" | "json")) => (ImportFormat::GeoJson, Vec::new()),
        (None, _) => {
            let first = first_line(&mut file, input)?;
            (format_of_first_line(&first, input)?, first)
        }
    };
    let alternates = match &options.alternate_names {
        Some(p) => read_alternate_names(p)?,
        None => HashMap::new(),
    };
    let reader = Counting {
        inner: std::io::Cursor::new(first).chain(file),
        read: 0,
        report: progress,
    };
    let mut writer = IndexWriter::new(out)?;
    let mut report = ImportReport::default();
    let strict = options.strict;
    let mut handle = |row: Result<Place>, writer: &mut IndexWriter| -> Result<()> {
        match row {
            Ok(p) => {
                writer.push(&p)?;
                report.places += 1;
                Ok(())
            }
            Err(e @ Error::GazetteerRow { .. }) if !strict => {
                report.bad_rows += 1;
                on_bad(&e);
                Ok(())
            }
            Err(e) => Err(e),
        }
    };
    match format {
        ImportFormat::GeoNames => {
            let mut r = BufReader::with_capacity(1 << 20, reader);
            let mut buf = Vec::new();
            let mut line = 0u64;
            loop {
                buf.clear();
                let n = r.read_until(b'\n', &mut buf).map_err(read_err)?;
                if n == 0 {
                    break;
                }
                line += 1;
                let row = geonames_row(&buf, line, input, &alternates);
                if let Some(row) = row {
                    handle(row, &mut writer)?;
                }
            }
        }
        ImportFormat::Tsv | ImportFormat::Csv => {
            let (delim, quoting) = if format == ImportFormat::Tsv {
                (b'\t', false)
            } else {
                (b',', true)
            };
            for_each_delimited(reader, delim, quoting, input, &mut |row| {
                handle(row, &mut writer)
            })?;
        }
        ImportFormat::GeoJson => {
            let mut text = String::new();
            let mut reader = reader;
            reader.read_to_string(&mut text).map_err(read_err)?;
            for p in parse_geojson(text.trim_start_matches('\u{feff}'), input)? {
                handle(Ok(p), &mut writer)?;
            }
        }
    }
    writer.finish()?;
    Ok(report)
}

/// One GeoNames line; `None` for a blank line.
fn geonames_row(
    raw: &[u8],
    line: u64,
    path: &Path,
    alternates: &HashMap<u32, Vec<String>>,
) -> Option<Result<Place>> {
    let err = |column: &str, message: String| Error::GazetteerRow {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        message,
    };
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => return Some(Err(err("-", format!("not UTF-8 ({e})")))),
    };
    let text = if line == 1 {
        text.trim_start_matches('\u{feff}')
    } else {
        text
    };
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return None;
    }
    let f: Vec<&str> = text.split('\t').collect();
    if f.len() < 15 {
        return Some(Err(err(
            "-",
            format!(
                "expected 19 tab-separated GeoNames columns, found {}",
                f.len()
            ),
        )));
    }
    Some(geonames_place(&f, alternates, &err))
}

fn geonames_place(
    f: &[&str],
    alternates: &HashMap<u32, Vec<String>>,
    err: &dyn Fn(&str, String) -> Error,
) -> Result<Place> {
    let id: u32 = f[0]
        .trim()
        .parse()
        .map_err(|_| err("geonameid", format!("{:?} is not a number", f[0])))?;
    let name = f[1].trim();
    if name.is_empty() {
        return Err(err("name", "empty name".into()));
    }
    let (lat, lon) = read_lat_lon(("latitude", f[4]), ("longitude", f[5]), err)?;
    let population: u64 = match f[14].trim() {
        "" => 0,
        t => match t.parse::<u64>() {
            Ok(v) => v,
            Err(_) => match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v as u64,
                Ok(_) => {
                    return Err(err(
                        "population",
                        format!("{t} is not a count of people (0 or more)"),
                    ))
                }
                Err(_) => return Err(err("population", format!("{t:?} is not a number"))),
            },
        },
    };
    let (class, code) = (f[6].trim(), f[7].trim());
    let country = f[8].trim();
    if !(country.is_empty()
        || country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(err(
            "country code",
            format!("{country:?} is not an ISO 3166-1 alpha-2 code such as KP or RU"),
        ));
    }
    let capital = class == "P" && code == "PPLC";
    let kind = match (class, code) {
        ("A", c) if c.starts_with("PCL") => PlaceKind::Country,
        ("A", "ADM1" | "ADM2") => PlaceKind::Region,
        ("P", _) if capital || code == "PPLA" || population >= 100_000 => PlaceKind::City,
        ("P", _) if population >= 1_000 => PlaceKind::Town,
        ("P", _) => PlaceKind::Village,
        ("S", "RSTN" | "RSTP" | "RSTNQ") => PlaceKind::Station,
        ("S", "AIRP" | "AIRF") => PlaceKind::Airport,
        ("L" | "S", "PRT") => PlaceKind::Port,
        ("S", "PSTB") => PlaceKind::BorderCrossing,
        _ => PlaceKind::Landmark,
    };
    let admin1 = match f[10].trim() {
        "" => String::new(),
        a if country.is_empty() => a.to_string(),
        a => format!("{country}.{a}"),
    };
    let mut alt: Vec<&str> = vec![f[2].trim()];
    alt.extend(f[3].split(',').map(str::trim));
    if let Some(more) = alternates.get(&id) {
        alt.extend(more.iter().map(String::as_str));
    }
    let mut seen = std::collections::HashSet::new();
    seen.insert(name);
    alt.retain(|a| !a.is_empty() && seen.insert(*a));
    let source = format!("geonames:{id}");
    Ok(Place::new(source.clone(), name, lat, lon)
        .map_err(|e| err("name", e.to_string()))?
        .with_alt_names(alt)
        .with_kind(kind)
        .with_country(country)
        .with_admin1(admin1)
        .with_population(population)
        .with_capital(capital)
        .with_source(source))
}

/// GeoNames alternate names by geonameid, without links, codes and
/// abbreviations.
fn read_alternate_names(path: &Path) -> Result<HashMap<u32, Vec<String>>> {
    let read_err = |error| Error::Read {
        path: path.to_path_buf(),
        error,
    };
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).map_err(read_err)?);
    let mut out: HashMap<u32, Vec<String>> = HashMap::new();
    let mut buf = String::new();
    loop {
        buf.clear();
        if r.read_line(&mut buf).map_err(read_err)? == 0 {
            break;
        }
        let f: Vec<&str> = buf.trim_end_matches(['\n', '\r']).split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let lang = f[2];
        if matches!(
            lang,
            "link" | "post" | "iata" | "icao" | "faac" | "abbr" | "wkdt" | "unlc" | "fr_1793"
        ) {
            continue;
        }
        if let Ok(id) = f[1].trim().parse::<u32>() {
            let name = f[3].trim();
            if !name.is_empty() {
                out.entry(id).or_default().push(name.to_string());
            }
        }
    }
    Ok(out)
}
