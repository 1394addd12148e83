//! OGC GeoPackage 1.4 (OGC 12-128r19): an SQLite file with one feature
//! table per layer (`stops` POINT, `legs` LINESTRING, `route`
//! MULTILINESTRING), EPSG:4326, the layers' extents in `gpkg_contents`.
//!
//! The database is built in memory by the SQLite compiled into routemap
//! (rusqlite, `bundled`) and serialised to bytes, so that it is written
//! atomically like every other output. Geometries are GeoPackage binary:
//! the `GP` header with the SRS id and envelope, then little-endian WKB
//! (geozero).

use super::layers::{FieldType, Layer, Layers};
use super::OutputError;
use geo::BoundingRect;
use geojson::JsonValue;
use geozero::wkb::{WkbDialect, WkbWriter};
use geozero::{CoordDimensions, GeozeroGeometry};
use rusqlite::{params_from_iter, Connection};

/// WGS 84 as `gpkg_spatial_ref_sys` defines it (OGC WKT 1, as GDAL writes it).
const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// `PRAGMA application_id` of a GeoPackage: "GPKG" in ASCII.
const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` of GeoPackage 1.4.0.
const USER_VERSION: i32 = 10300;

fn sql_err(e: rusqlite::Error) -> OutputError {
    OutputError::Encode {
        format: super::Format::GeoPackage,
        reason: e.to_string(),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The layers as the bytes of a GeoPackage file.
///
/// # Errors
///
/// [`OutputError::Encode`] if SQLite fails (out of memory).
pub fn to_bytes(layers: &Layers) -> Result<Vec<u8>, OutputError> {
    let conn = Connection::open_in_memory().map_err(sql_err)?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {USER_VERSION};
         PRAGMA foreign_keys = ON;
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
           z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');"
    ))
    .map_err(sql_err)?;
    for layer in &layers.layers {
        write_layer(&conn, layer, &layers.title)?;
    }
    let data = conn.serialize(rusqlite::MAIN_DB).map_err(sql_err)?;
    Ok(data.to_vec())
}

fn write_layer(conn: &Connection, layer: &Layer, title: &str) -> Result<(), OutputError> {
    let table = quote(&layer.name);
    let mut columns = vec![
        "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
        format!("geom {}", layer.geometry_type.ogc_name()),
    ];
    for f in &layer.fields {
        let t = match f.kind {
            FieldType::Integer => "INTEGER",
            FieldType::Real => "DOUBLE",
            FieldType::Boolean => "BOOLEAN",
            FieldType::Text => "TEXT",
        };
        columns.push(format!("{} {t}", quote(&f.name)));
    }
    conn.execute_batch(&format!("CREATE TABLE {table} ({});", columns.join(", ")))
        .map_err(sql_err)?;
    let extent = layer.extent();
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
        rusqlite::params![
            layer.name,
            format!("{} of {title}", layer.name),
            extent.map(|b| b[0]),
            extent.map(|b| b[1]),
            extent.map(|b| b[2]),
            extent.map(|b| b[3]),
        ],
    )
    .map_err(sql_err)?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        rusqlite::params![layer.name, layer.geometry_type.ogc_name()],
    )
    .map_err(sql_err)?;

    let placeholders: Vec<String> = (0..=layer.fields.len())
        .map(|i| format!("?{}", i + 1))
        .collect();
    let names: Vec<String> = std::iter::once("geom".to_string())
        .chain(layer.fields.iter().map(|f| quote(&f.name)))
        .collect();
    let mut insert = conn
        .prepare(&format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        ))
        .map_err(sql_err)?;
    for feature in &layer.features {
        let mut values: Vec<rusqlite::types::Value> = vec![rusqlite::types::Value::Blob(
            geometry_blob(&feature.geometry)?,
        )];
        values.extend(feature.values.iter().map(sql_value));
        insert.execute(params_from_iter(values)).map_err(sql_err)?;
    }
    Ok(())
}

/// GeoPackage binary: header (SRS 4326; an envelope for lines, none for
/// points as the standard recommends) and little-endian WKB.
fn geometry_blob(g: &geo::Geometry) -> Result<Vec<u8>, OutputError> {
    let envelope = match g {
        geo::Geometry::Point(_) => Vec::new(),
        g => g
            .bounding_rect()
            .map(|r| vec![r.min().x, r.max().x, r.min().y, r.max().y])
            .unwrap_or_default(),
    };
    let mut out = Vec::new();
    let mut w = WkbWriter::with_opts(
        &mut out,
        WkbDialect::Geopackage,
        CoordDimensions::xy(),
        Some(4326),
        envelope,
    );
    g.process_geom(&mut w).map_err(|e| OutputError::Encode {
        format: super::Format::GeoPackage,
        reason: e.to_string(),
    })?;
    Ok(out)
}

fn sql_value(v: &JsonValue) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match v {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Integer(i64::from(*b)),
        JsonValue::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        JsonValue::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}
