//! GPX 1.1 (topografix.com/GPX/1/1) for GPS devices and hiking apps: the
//! stops (or places) as waypoints (`wpt`), the stops in order as a route
//! (`rte`), and the journey as a track (`trk`) with one segment per leg
//! (two where a leg crosses the antimeridian).
//!
//! Each waypoint carries its name, what was typed (`cmt`), a description,
//! its source (`src`) and kind (`type`); the track its mode (`type`) and a
//! description of every leg. The other properties are in `<extensions>`
//! in the `routemap` namespace, which GDAL reads as fields.

use super::layers::{description, line_parts, value_text, Layer, Layers};
use geo::Geometry;
use quick_xml::escape::escape;
use std::fmt::Write;

/// The namespace of routemap's GPX extensions.
pub const NAMESPACE: &str = "urn:routemap:gpx:1";

/// The layers as a GPX 1.1 document.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::route::{Route, RouteRequest};
/// use routemap::output::layers::Layers;
/// let gaz = Gazetteer::builtin().unwrap();
/// let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"])).unwrap();
/// let layers = Layers::from_collection(&routemap::output::geojson::route_collection(&route), route.name());
/// let gpx = routemap::output::gpx::to_string(&layers);
/// assert_eq!(gpx.matches("<wpt ").count(), 2);
/// ```
pub fn to_string(layers: &Layers) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<gpx version=\"1.1\" creator=\"routemap {}\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\" xmlns:routemap=\"{NAMESPACE}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = write!(
        s,
        "<metadata><name>{}</name>",
        escape(layers.title.as_str())
    );
    let extents: Vec<[f64; 4]> = layers.layers.iter().filter_map(Layer::extent).collect();
    if !extents.is_empty() {
        let min = |i: usize| extents.iter().map(|e| e[i]).fold(f64::INFINITY, f64::min);
        let max = |i: usize| {
            extents
                .iter()
                .map(|e| e[i])
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let _ = write!(
            s,
            "<bounds minlat=\"{}\" minlon=\"{}\" maxlat=\"{}\" maxlon=\"{}\"/>",
            min(1),
            min(0),
            max(3),
            max(2)
        );
    }
    s.push_str("</metadata>\n");

    let points = layers
        .layers
        .iter()
        .find(|l| l.kind == "stop" || l.kind == "place");
    if let Some(points) = points {
        for i in 0..points.features.len() {
            waypoint(&mut s, "wpt", points, i, true);
        }
    }
    let route = layers.get("route");
    if let (Some(points), Some(route)) = (points.filter(|p| p.kind == "stop"), route) {
        s.push_str("<rte>");
        head(&mut s, route, 0);
        for i in 0..points.features.len() {
            waypoint(&mut s, "rtept", points, i, false);
        }
        s.push_str("</rte>\n");
    }
    if let Some(route) = route {
        s.push_str("<trk>");
        let legs = layers.get("legs");
        let text = |k: &str| route.value(0, k).and_then(value_text).unwrap_or_default();
        let _ = write!(s, "<name>{}</name>", escape(text("name").as_str()));
        let mut desc = description(route, 0);
        if let Some(legs) = legs {
            for i in 0..legs.features.len() {
                let _ = write!(desc, "\n{}. {}", i + 1, description(legs, i));
            }
        }
        let _ = write!(s, "<desc>{}</desc>", escape(desc.as_str()));
        let _ = write!(s, "<type>{}</type>", escape(text("mode").as_str()));
        extensions(&mut s, route, 0, &["name", "mode"]);
        // One segment per leg, so that a device shows where each leg ends.
        let lines: Vec<&Geometry> = match legs {
            Some(l) => l.features.iter().map(|f| &f.geometry).collect(),
            None => vec![&route.features[0].geometry],
        };
        for g in lines {
            for part in line_parts(g) {
                s.push_str("<trkseg>");
                for c in part.coords() {
                    let _ = write!(s, "<trkpt lat=\"{}\" lon=\"{}\"/>", c.y, c.x);
                }
                s.push_str("</trkseg>");
            }
        }
        s.push_str("</trk>\n");
    }
    s.push_str("</gpx>\n");
    s
}

/// name, cmt, desc, src and type, in the order the GPX schema wants them.
fn head(s: &mut String, layer: &Layer, i: usize) {
    let text = |k: &str| layer.value(i, k).and_then(value_text).unwrap_or_default();
    let _ = write!(s, "<name>{}</name>", escape(text("name").as_str()));
    if layer.kind == "route" {
        let _ = write!(s, "<desc>{}</desc>", escape(description(layer, i).as_str()));
        let _ = write!(s, "<type>{}</type>", escape(text("mode").as_str()));
        return;
    }
    let query = text("query");
    if !query.is_empty() {
        let _ = write!(s, "<cmt>{}</cmt>", escape(query.as_str()));
    }
    let _ = write!(s, "<desc>{}</desc>", escape(description(layer, i).as_str()));
    let source = text("source");
    if !source.is_empty() {
        let _ = write!(s, "<src>{}</src>", escape(source.as_str()));
    }
    let kind = text("place_kind");
    if !kind.is_empty() {
        let _ = write!(s, "<type>{}</type>", escape(kind.as_str()));
    }
}

fn waypoint(s: &mut String, tag: &str, layer: &Layer, i: usize, with_extensions: bool) {
    let Geometry::Point(p) = layer.features[i].geometry else {
        return;
    };
    let _ = write!(s, "<{tag} lat=\"{}\" lon=\"{}\">", p.y(), p.x());
    head(s, layer, i);
    if with_extensions {
        extensions(s, layer, i, &["name", "query", "source", "place_kind"]);
    }
    let _ = writeln!(s, "</{tag}>");
}

/// The properties not already in GPX elements, as `routemap:` elements.
fn extensions(s: &mut String, layer: &Layer, i: usize, skip: &[&str]) {
    s.push_str("<extensions>");
    for (field, value) in layer.fields.iter().zip(&layer.features[i].values) {
        let xml_name = field
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && field.name.starts_with(|c: char| c.is_ascii_alphabetic());
        if skip.contains(&field.name.as_str()) || !xml_name {
            continue;
        }
        if let Some(v) = value_text(value) {
            let _ = write!(
                s,
                "<routemap:{n}>{}</routemap:{n}>",
                escape(v.as_str()),
                n = field.name
            );
        }
    }
    s.push_str("</extensions>");
}
