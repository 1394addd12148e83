//! KML 2.2 (OGC 07-147r2) for Google Earth, Google My Maps and GDAL: one
//! Folder per layer (`stops`, `legs`, `route`), a Placemark per feature
//! with a description in words and every property as typed ExtendedData
//! (a Schema per layer), and
//! styles: the route in the map's red, start, via and end stops with
//! distinct icons.
//!
//! Coordinates are `lon,lat` (KML §16.9); lines crossing the antimeridian
//! are cut there as in the GeoJSON and written as a MultiGeometry of
//! LineStrings.

use super::layers::{description, line_parts, value_text, FieldType, Layer, Layers};
use geo::Geometry;
use quick_xml::escape::escape;
use std::fmt::Write;

/// The map's route colour #c8102e as KML's aabbggrr.
const ROUTE_COLOUR: &str = "ff2e10c8";
/// A darker red for the legs, drawn under the route.
const LEG_COLOUR: &str = "ff1f0a8c";

/// The layers as a KML document.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::route::{Route, RouteRequest};
/// use routemap::output::layers::Layers;
/// let gaz = Gazetteer::builtin().unwrap();
/// let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"])).unwrap();
/// let layers = Layers::from_collection(&routemap::output::geojson::route_collection(&route), route.name());
/// let kml = routemap::output::kml::to_string(&layers);
/// assert!(kml.contains("<Folder><name>legs</name>"));
/// ```
pub fn to_string(layers: &Layers) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(s, "<name>{}</name>", escape(layers.title.as_str()));
    let _ = writeln!(
        s,
        "<Style id=\"route\"><LineStyle><color>{ROUTE_COLOUR}</color><width>4</width></LineStyle></Style>"
    );
    let _ = writeln!(
        s,
        "<Style id=\"leg\"><LineStyle><color>{LEG_COLOUR}</color><width>2</width></LineStyle></Style>"
    );
    for (id, colour, icon) in [
        ("start", "ff3ca03c", "grn-circle"),
        ("via", "ffffffff", "wht-circle"),
        ("end", "ff2e10c8", "red-square"),
    ] {
        let _ = writeln!(
            s,
            "<Style id=\"{id}\"><IconStyle><color>{colour}</color><scale>1.1</scale><Icon><href>https://maps.google.com/mapfiles/kml/paddle/{icon}.png</href></Icon></IconStyle></Style>"
        );
    }
    // A Schema per layer types its columns for GDAL and Google Earth.
    for layer in &layers.layers {
        let _ = write!(
            s,
            "<Schema name=\"{n}\" id=\"{n}\">",
            n = escape(layer.name.as_str())
        );
        for f in &layer.fields {
            let t = match f.kind {
                FieldType::Integer => "int",
                FieldType::Real => "double",
                FieldType::Boolean => "bool",
                FieldType::Text => "string",
            };
            let _ = write!(
                s,
                "<SimpleField type=\"{t}\" name=\"{}\"/>",
                escape(f.name.as_str())
            );
        }
        s.push_str("</Schema>\n");
    }
    for layer in &layers.layers {
        folder(&mut s, layer);
    }
    s.push_str("</Document>\n</kml>\n");
    s
}

fn folder(s: &mut String, layer: &Layer) {
    let _ = writeln!(s, "<Folder><name>{}</name>", escape(layer.name.as_str()));
    for (i, f) in layer.features.iter().enumerate() {
        let text = |k: &str| layer.value(i, k).and_then(value_text);
        let name = match layer.kind.as_str() {
            "leg" => format!(
                "{} → {}",
                text("from").unwrap_or_default(),
                text("to").unwrap_or_default()
            ),
            _ => text("name").unwrap_or_default(),
        };
        let style = match layer.kind.as_str() {
            "route" => "route".to_string(),
            "leg" => "leg".to_string(),
            _ => match text("role").as_deref() {
                Some(r @ ("start" | "end")) => r.to_string(),
                _ => "via".to_string(),
            },
        };
        s.push_str("<Placemark>");
        let _ = write!(
            s,
            "<name>{}</name><description>{}</description><styleUrl>#{style}</styleUrl>",
            escape(name.as_str()),
            escape(description(layer, i).as_str())
        );
        let _ = write!(
            s,
            "<ExtendedData><SchemaData schemaUrl=\"#{}\">",
            escape(layer.name.as_str())
        );
        for (field, value) in layer.fields.iter().zip(&f.values) {
            // KML's bool is xsd:boolean; GDAL reads only 0 and 1.
            let value = match value {
                geojson::JsonValue::Bool(b) => geojson::JsonValue::from(u8::from(*b)),
                v => v.clone(),
            };
            if let Some(v) = value_text(&value) {
                let _ = write!(
                    s,
                    "<SimpleData name=\"{}\">{}</SimpleData>",
                    escape(field.name.as_str()),
                    escape(v.as_str())
                );
            }
        }
        s.push_str("</SchemaData></ExtendedData>");
        geometry(s, &f.geometry);
        s.push_str("</Placemark>\n");
    }
    s.push_str("</Folder>\n");
}

fn geometry(s: &mut String, g: &Geometry) {
    if let Geometry::Point(p) = g {
        let _ = write!(
            s,
            "<Point><coordinates>{},{}</coordinates></Point>",
            p.x(),
            p.y()
        );
        return;
    }
    let parts = line_parts(g);
    let multi = matches!(g, Geometry::MultiLineString(_));
    if multi {
        s.push_str("<MultiGeometry>");
    }
    for part in parts {
        s.push_str("<LineString><tessellate>1</tessellate><coordinates>");
        for (j, c) in part.coords().enumerate() {
            if j > 0 {
                s.push(' ');
            }
            let _ = write!(s, "{},{}", c.x, c.y);
        }
        s.push_str("</coordinates></LineString>");
    }
    if multi {
        s.push_str("</MultiGeometry>");
    }
}
