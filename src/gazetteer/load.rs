//! Reading gazetteer files: TSV, CSV and GeoJSON.
//!
//! TSV and CSV share one layout, a header row naming the columns of
//! `gazetteer/places.tsv`: `id, name, alt_names, lat, lon, kind, country,
//! admin1, population, source, note` and optionally `capital` (`1`, `yes`
//! or `true` for a country's capital). Only `name`, `lat` and `lon` are
//! required; `alt_names` are separated by `|`. Lines starting with `#` are
//! comments. TSV is read without quoting (as GeoNames writes it); CSV uses
//! ordinary double quotes.
//!
//! A GeoJSON file is a FeatureCollection of Points whose properties carry
//! the same names (`alt_names` may be a `|` string or an array).

use super::place::{check_lat_lon, lat_lon_ok, Place, PlaceKind};
use crate::{Error, Result};
use std::path::Path;

/// The formats a gazetteer file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tab-separated, header row, no quoting.
    Tsv,
    /// Comma-separated, header row, double quotes.
    Csv,
    /// A GeoJSON FeatureCollection of Points.
    GeoJson,
}

impl Format {
    /// The format named by a file's extension (`.tsv`/`.txt`, `.csv`,
    /// `.geojson`/`.json`).
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("tsv" | "txt" | "tab") => Ok(Format::Tsv),
            Some("csv") => Ok(Format::Csv),
            Some("geojson" | "json") => Ok(Format::GeoJson),
            _ => Err(Error::GazetteerFile {
                path: path.to_path_buf(),
                message: "unknown format: name it .tsv, .csv or .geojson".into(),
            }),
        }
    }
}

/// Reads the places of a gazetteer file, in file order.
///
/// # Errors
///
/// [`Error::Read`] when the file cannot be read, [`Error::GazetteerRow`]
/// (file, line, column) for the first bad row, [`Error::GazetteerFile`]
/// for a bad header or unknown format.
pub fn read_file(path: &Path) -> Result<Vec<Place>> {
    let format = Format::from_path(path)?;
    let text = std::fs::read_to_string(path).map_err(|error| Error::Read {
        path: path.to_path_buf(),
        error,
    })?;
    parse(&text, format, path)
}

/// Parses gazetteer text; `path` is used in error messages and default ids.
pub fn parse(text: &str, format: Format, path: &Path) -> Result<Vec<Place>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Tsv => parse_delimited(text, b'\t', false, path),
        Format::Csv => parse_delimited(text, b',', true, path),
        Format::GeoJson => parse_geojson(text, path),
    }
}

const COLUMNS: [&str; 14] = [
    "id",
    "name",
    "alt_names",
    "lat",
    "lon",
    "kind",
    "country",
    "admin1",
    "population",
    "source",
    "note",
    "capital",
    "bbox",
    "scalerank",
];

/// The text fields of one row, by column name.
#[derive(Default)]
struct Row<'a> {
    fields: [Option<&'a str>; 14],
}

impl<'a> Row<'a> {
    fn get(&self, column: &str) -> &'a str {
        let i = COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("known column");
        self.fields[i].unwrap_or("").trim()
    }
}

fn parse_delimited(text: &str, delimiter: u8, quoting: bool, path: &Path) -> Result<Vec<Place>> {
    let mut places = Vec::new();
    for_each_delimited(text.as_bytes(), delimiter, quoting, path, &mut |row| {
        places.push(row?);
        Ok(())
    })?;
    Ok(places)
}

/// Reads delimited rows one at a time and hands each place, or the error of
/// its row, to `f`; stops at the first error `f` returns. Errors of the
/// file as a whole (a bad header) are returned directly.
pub(crate) fn for_each_delimited<R: std::io::Read>(
    input: R,
    delimiter: u8,
    quoting: bool,
    path: &Path,
    f: &mut dyn FnMut(Result<Place>) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .comment(Some(b'#'))
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let file_error = |message: String| Error::GazetteerFile {
        path: path.to_path_buf(),
        message,
    };
    let mut headers = reader
        .headers()
        .map_err(|e| file_error(format!("cannot read the header row: {e}")))?
        .clone();
    // A byte-order mark survives as part of the first header.
    if let Some(first) = headers.get(0) {
        if let Some(rest) = first.strip_prefix('\u{feff}') {
            let mut fixed = csv::StringRecord::new();
            fixed.push_field(rest);
            for h in headers.iter().skip(1) {
                fixed.push_field(h);
            }
            headers = fixed;
        }
    }
    let mut index = [None; COLUMNS.len()];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_ascii_lowercase();
        if let Some(c) = COLUMNS.iter().position(|c| *c == h) {
            if index[c].is_some() {
                return Err(file_error(format!(
                    "the header row names the column {h:?} twice"
                )));
            }
            index[c] = Some(i);
        }
    }
    for required in ["name", "lat", "lon"] {
        let c = COLUMNS.iter().position(|c| *c == required).unwrap();
        if index[c].is_none() {
            return Err(file_error(format!(
                "the header row has no {required:?} column (it needs name, lat, lon)"
            )));
        }
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let bad = Error::GazetteerRow {
                    path: path.to_path_buf(),
                    line: e.position().map(|p| p.line()).unwrap_or(line),
                    column: "-".into(),
                    message: e.to_string(),
                };
                // An I/O error ends the file; a bad row does not.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(bad);
                }
                f(Err(bad))?;
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // A quote opened and never closed swallows the rest of the file
        // into one field.
        if quoting && record.len() < headers.len() && record.iter().any(|f| f.contains('\n')) {
            f(Err(Error::GazetteerRow {
                path: path.to_path_buf(),
                line,
                column: "-".into(),
                message: "a quoted field is never closed (unterminated \")".into(),
            }))?;
            break;
        }
        let mut row = Row::default();
        for (c, i) in index.iter().enumerate() {
            row.fields[c] = i.and_then(|i| record.get(i));
        }
        f(place_from_row(&row, |column, message| {
            Error::GazetteerRow {
                path: path.to_path_buf(),
                line,
                column: column.to_string(),
                message,
            }
        }))?;
    }
    Ok(())
}

/// A latitude and longitude in degrees from two text fields, each given
/// with its column name; the error names the column at fault.
pub(crate) fn read_lat_lon(
    lat: (&str, &str),
    lon: (&str, &str),
    err: &dyn Fn(&str, String) -> Error,
) -> Result<(f64, f64)> {
    let number = |(column, text): (&str, &str)| -> Result<f64> {
        let text = text.trim();
        if text.is_empty() {
            return Err(err(column, "missing value".into()));
        }
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| err(column, format!("{text:?} is not a number")))
    };
    let (y, x) = (number(lat)?, number(lon)?);
    check_lat_lon(y, x).map_err(|reason| {
        let column = if reason.starts_with("latitude") {
            lat.0
        } else {
            lon.0
        };
        err(column, reason)
    })?;
    Ok((y, x))
}

fn place_from_row(row: &Row, err: impl Fn(&str, String) -> Error) -> Result<Place> {
    let name = row.get("name");
    if name.is_empty() {
        return Err(err("name", "empty name".into()));
    }
    let (lat, lon) = read_lat_lon(("lat", row.get("lat")), ("lon", row.get("lon")), &err)?;
    let kind = match row.get("kind") {
        "" => PlaceKind::Landmark,
        k => k.parse::<PlaceKind>().map_err(|m| err("kind", m))?,
    };
    let country = row.get("country");
    if !(country.is_empty()
        || country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(err(
            "country",
            format!("{country:?} is not an ISO 3166-1 alpha-2 code such as KP or RU"),
        ));
    }
    let population = match row.get("population") {
        "" => 0,
        p => p
            .parse::<u64>()
            .map_err(|_| err("population", format!("{p:?} is not a whole number")))?,
    };
    let id = match row.get("id") {
        "" => super::fold(name),
        id => id.to_string(),
    };
    let place = Place::new(id, name, lat, lon)
        .map_err(|e| err("name", e.to_string()))?
        .with_alt_names(row.get("alt_names").split('|'))
        .with_kind(kind)
        .with_country(country)
        .with_admin1(row.get("admin1"))
        .with_population(population)
        .with_capital(matches!(
            row.get("capital").to_ascii_lowercase().as_str(),
            "1" | "yes" | "true"
        ))
        .with_source(row.get("source"))
        .with_note(row.get("note"))
        .with_bbox(parse_bbox(row.get("bbox")).map_err(|m| err("bbox", m))?)
        .with_scalerank(match row.get("scalerank").trim() {
            "" => None,
            r => Some(
                r.parse::<u8>()
                    .map_err(|_| err("scalerank", format!("{r:?} is not a whole number 0..30")))?,
            ),
        });
    Ok(place)
}

/// A `bbox` cell: `west,south,east,north` in degrees, or empty.
pub(crate) fn parse_bbox(text: &str) -> std::result::Result<Option<[f64; 4]>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let v: Vec<f64> = text
        .split([',', ' '])
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| format!("{text:?} is not four numbers west,south,east,north"))?;
    let [w, s, e, n] = v[..] else {
        return Err(format!(
            "{text:?} is not four numbers west,south,east,north"
        ));
    };
    if !(lat_lon_ok(s, w) && lat_lon_ok(n, e) && s <= n) {
        return Err(format!(
            "{text:?} is not a box west,south,east,north in degrees"
        ));
    }
    Ok(Some([w, s, e, n]))
}

pub(crate) fn parse_geojson(text: &str, path: &Path) -> Result<Vec<Place>> {
    let file_error = |message: String| Error::GazetteerFile {
        path: path.to_path_buf(),
        message,
    };
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| file_error(format!("not valid GeoJSON: {e}")))
        .and_then(|g| {
            geojson::FeatureCollection::try_from(g)
                .map_err(|_| file_error("expected a GeoJSON FeatureCollection".into()))
        })?;
    let mut places = Vec::with_capacity(fc.features.len());
    for (i, feature) in fc.features.iter().enumerate() {
        // GeoJSON has no line numbers worth quoting; name the feature instead.
        let err = |column: &str, message: String| Error::GazetteerRow {
            path: path.to_path_buf(),
            line: i as u64 + 1,
            column: column.to_string(),
            message: format!("feature {}: {message}", i + 1),
        };
        let (lon, lat) = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Point { coordinates }) if coordinates.len() >= 2 => {
                (coordinates[0], coordinates[1])
            }
            _ => return Err(err("geometry", "expected a Point geometry".into())),
        };
        let props = feature.properties.clone().unwrap_or_default();
        let text_of = |key: &str| -> String {
            match props.get(key) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                _ => String::new(),
            }
        };
        let owned: Vec<String> = COLUMNS
            .iter()
            .map(|c| match *c {
                "lat" => lat.to_string(),
                "lon" => lon.to_string(),
                c => text_of(c),
            })
            .collect();
        let mut row = Row::default();
        for (c, v) in owned.iter().enumerate() {
            row.fields[c] = Some(v.as_str());
        }
        places.push(place_from_row(&row, err)?);
    }
    Ok(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tsv(text: &str) -> Result<Vec<Place>> {
        parse(text, Format::Tsv, Path::new("mine.tsv"))
    }

    #[test]
    fn minimal_tsv_with_bom_and_crlf() {
        let places = tsv("\u{feff}name\tlat\tlon\r\nDacha\t43.1\t131.9\r\n").unwrap();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].name(), "Dacha");
        assert_eq!(places[0].lon(), 131.9);
        assert_eq!(places[0].id(), "dacha");
    }

    #[test]
    fn bad_latitude_names_line_and_column() {
        let e = tsv("name\tlat\tlon\nA\t1\t2\nB\tabc\t2\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mine.tsv:3: column lat: \"abc\" is not a number"
        );
    }

    #[test]
    fn out_of_range_longitude_is_a_lon_error() {
        let e = tsv("name\tlat\tlon\nA\t1\t200\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mine.tsv:2: column lon: longitude 200 is out of range -180..180"
        );
    }

    #[test]
    fn missing_required_column() {
        let e = tsv("name\tlat\nA\t1\n").unwrap_err();
        assert!(e.to_string().contains("no \"lon\" column"), "{e}");
    }

    #[test]
    fn csv_with_quotes_and_alt_names() {
        let text = "name,alt_names,lat,lon,kind,country\n\"Washington, D.C.\",DC|Вашингтон,38.9,-77.0,city,us\n";
        let places = parse(text, Format::Csv, Path::new("x.csv")).unwrap();
        assert_eq!(places[0].name(), "Washington, D.C.");
        assert_eq!(places[0].alt_names(), ["DC", "Вашингтон"]);
        assert_eq!(places[0].country(), "US");
        assert_eq!(places[0].kind(), PlaceKind::City);
    }

    #[test]
    fn geojson_points() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[131.9,43.1]},
           "properties":{"name":"Dacha","alt_names":["Дача"],"kind":"landmark"}}]}"#;
        let places = parse(text, Format::GeoJson, Path::new("x.geojson")).unwrap();
        assert_eq!(places[0].lat(), 43.1);
        assert_eq!(places[0].alt_names(), ["Дача"]);
    }

    #[test]
    fn geojson_line_is_rejected() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"name":"L"}}]}"#;
        let e = parse(text, Format::GeoJson, Path::new("x.geojson")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.geojson:1: column geometry: feature 1: expected a Point geometry"
        );
    }

    #[test]
    fn unknown_extension() {
        let e = Format::from_path(Path::new("places.xlsx")).unwrap_err();
        assert!(e.to_string().contains("name it .tsv, .csv or .geojson"));
    }
}
