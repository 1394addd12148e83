//! CSV for spreadsheets and GDAL: one row per feature (stops, then legs,
//! then the route), a `type` column (`stop`, `leg`, `route`, `place`), a
//! `WKT` geometry column (OGC well-known text, longitude before latitude,
//! which GDAL reads as the geometry), then every property.
//!
//! Text cells that a spreadsheet would run as a formula (those beginning
//! with `=`, `+`, `-`, `@`, a tab or a carriage return) get a leading `'`,
//! as OWASP advises against CSV injection; numbers are written as numbers.

use super::layers::{value_text, Field, Layers};
use super::OutputError;
use geojson::JsonValue;
use geozero::ToWkt;

/// A text cell made safe to open in a spreadsheet.
///
/// ```
/// use routemap::output::csv::formula_safe;
/// assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(formula_safe("Khasan"), "Khasan");
/// ```
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The layers as CSV text with a header row.
///
/// # Errors
///
/// [`OutputError::Encode`] if a geometry cannot be written as WKT.
pub fn to_string(layers: &Layers) -> Result<String, OutputError> {
    let mut fields: Vec<&Field> = Vec::new();
    for l in &layers.layers {
        for f in &l.fields {
            if !fields.iter().any(|g| g.name == f.name) {
                fields.push(f);
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let encode = |e: String| OutputError::Encode {
        format: super::Format::Csv,
        reason: e,
    };
    let header = ["type", "WKT"]
        .into_iter()
        .map(String::from)
        .chain(fields.iter().map(|f| formula_safe(&f.name).into_owned()));
    w.write_record(header).map_err(|e| encode(e.to_string()))?;
    for l in &layers.layers {
        for (i, f) in l.features.iter().enumerate() {
            let wkt = f.geometry.to_wkt().map_err(|e| encode(e.to_string()))?;
            let mut row = vec![l.kind.clone(), wkt];
            for field in &fields {
                let cell = match l.value(i, &field.name) {
                    None | Some(JsonValue::Null) => String::new(),
                    Some(JsonValue::String(s)) => formula_safe(s).into_owned(),
                    Some(v @ (JsonValue::Array(_) | JsonValue::Object(_))) => {
                        formula_safe(&v.to_string()).into_owned()
                    }
                    Some(v) => value_text(v).unwrap_or_default(),
                };
                row.push(cell);
            }
            w.write_record(&row).map_err(|e| encode(e.to_string()))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| encode(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| encode(e.to_string()))
}
