//! FlatGeobuf (flatgeobuf.org) for web and cloud maps: one file, one
//! layer of every feature (geometry type "Unknown": points and lines
//! together, as in the GeoJSON) with a `kind` column and every property,
//! EPSG:4326, and the packed Hilbert R-tree index that lets a reader
//! fetch only the features in a box. Written by the `flatgeobuf` crate.

use super::layers::{Field, FieldType, Layers};
use super::OutputError;
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geojson::JsonValue;
use geozero::{ColumnValue, PropertyProcessor};

fn encode(e: impl std::fmt::Display) -> OutputError {
    OutputError::Encode {
        format: super::Format::FlatGeobuf,
        reason: e.to_string(),
    }
}

/// The layers as the bytes of a FlatGeobuf file with a spatial index.
///
/// # Errors
///
/// [`OutputError::Encode`] if the writer fails (its temporary file cannot
/// be created).
pub fn to_bytes(layers: &Layers) -> Result<Vec<u8>, OutputError> {
    let mut fields: Vec<Field> = Vec::new();
    for l in &layers.layers {
        for f in &l.fields {
            match fields.iter_mut().find(|g| g.name == f.name) {
                Some(g) if g.kind != f.kind => {
                    g.kind = match (g.kind, f.kind) {
                        (FieldType::Integer, FieldType::Real)
                        | (FieldType::Real, FieldType::Integer) => FieldType::Real,
                        _ => FieldType::Text,
                    }
                }
                Some(_) => {}
                None => fields.push(f.clone()),
            }
        }
    }
    let mut fgb = FgbWriter::create_with_options(
        "routemap",
        GeometryType::Unknown,
        FgbWriterOptions {
            write_index: true,
            detect_type: false,
            promote_to_multi: false,
            crs: FgbCrs {
                code: 4326,
                ..Default::default()
            },
            title: Some(&layers.title),
            ..Default::default()
        },
    )
    .map_err(encode)?;
    fgb.add_column("kind", ColumnType::String, |_, _| {});
    for f in &fields {
        let t = match f.kind {
            FieldType::Integer => ColumnType::Long,
            FieldType::Real => ColumnType::Double,
            FieldType::Boolean => ColumnType::Bool,
            FieldType::Text => ColumnType::String,
        };
        fgb.add_column(&f.name, t, |_, _| {});
    }
    for l in &layers.layers {
        for (i, feature) in l.features.iter().enumerate() {
            // A MultiLineString of one part goes as a LineString: GDAL
            // wants the part ends of a multi-part line, which FlatGeobuf
            // leaves out for a single part.
            let geometry = match &feature.geometry {
                geo::Geometry::MultiLineString(m) if m.0.len() == 1 => {
                    geo::Geometry::LineString(m.0[0].clone())
                }
                g => g.clone(),
            };
            let mut result = Ok(());
            fgb.add_feature_geom(geometry, |w| {
                result = (|| {
                    w.property(0, "kind", &ColumnValue::String(&l.kind))?;
                    for (col, f) in fields.iter().enumerate() {
                        let Some(v) = l.value(i, &f.name) else {
                            continue;
                        };
                        let text;
                        let value = match (f.kind, v) {
                            (_, JsonValue::Null) => continue,
                            (FieldType::Integer, v) => ColumnValue::Long(v.as_i64().unwrap_or(0)),
                            (FieldType::Real, v) => {
                                ColumnValue::Double(v.as_f64().unwrap_or(f64::NAN))
                            }
                            (FieldType::Boolean, v) => {
                                ColumnValue::Bool(v.as_bool().unwrap_or(false))
                            }
                            (FieldType::Text, JsonValue::String(s)) => ColumnValue::String(s),
                            (FieldType::Text, v) => {
                                text = v.to_string();
                                ColumnValue::String(&text)
                            }
                        };
                        w.property(col + 1, &f.name, &value)?;
                    }
                    Ok::<(), geozero::error::GeozeroError>(())
                })();
            })
            .map_err(encode)?;
            result.map_err(encode)?;
        }
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(encode)?;
    Ok(out)
}
