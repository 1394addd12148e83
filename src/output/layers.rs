//! The features of a GeoJSON FeatureCollection sorted into layers of one
//! geometry type each, with typed columns: what the GIS formats need.
//!
//! GeoJSON mixes Points and LineStrings in one collection; GeoPackage,
//! KML folders, GPX, CSV and FlatGeobuf want a schema. A feature's `kind`
//! property picks its layer (`stop` → `stops`, `leg` → `legs`, `route` →
//! `route`, `place` → `places`); its other properties become columns, in
//! the order they first appear, typed from their JSON values (integers,
//! reals, booleans, text; lists and objects are kept as JSON text).
//!
//! Geometries keep GeoJSON's longitude, latitude order (WGS 84, EPSG:4326)
//! and its split at the antimeridian (RFC 7946 §3.1.9). The `route` layer
//! is always MultiLineString; the `legs` layer is LineString unless a leg
//! crosses the antimeridian, and then MultiLineString for every leg, so
//! that a layer has one geometry type.

use geo::{BoundingRect, Geometry, LineString, MultiLineString};
use geojson::{FeatureCollection, JsonValue};

/// The geometry type of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryType {
    /// One position per feature: stops and places.
    Point,
    /// Legs that do not cross the antimeridian.
    LineString,
    /// The route, and legs when one of them crosses the antimeridian.
    MultiLineString,
}

impl GeometryType {
    /// The name GeoPackage and OGC WKT use: `POINT`, `LINESTRING`, `MULTILINESTRING`.
    pub fn ogc_name(self) -> &'static str {
        match self {
            GeometryType::Point => "POINT",
            GeometryType::LineString => "LINESTRING",
            GeometryType::MultiLineString => "MULTILINESTRING",
        }
    }
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Whole numbers (indexes, counts).
    Integer,
    /// Numbers with a fraction (kilometres, degrees).
    Real,
    /// `true` or `false`.
    Boolean,
    /// Text, and lists or objects written as JSON text.
    Text,
}

/// A column of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property's name, as in the GeoJSON.
    pub name: String,
    /// Its type, the narrowest that holds every value of the layer.
    pub kind: FieldType,
}

/// One feature of a layer: a geometry and one value per field (JSON
/// `null` where the GeoJSON feature had no such property).
#[derive(Debug, Clone)]
pub struct LayerFeature {
    /// Longitude, latitude (WGS 84).
    pub geometry: Geometry,
    /// In the order of [`Layer::fields`].
    pub values: Vec<JsonValue>,
}

/// Features of one kind and one geometry type.
#[derive(Debug, Clone)]
pub struct Layer {
    /// `stops`, `legs`, `route` or `places`.
    pub name: String,
    /// The singular kind of its features: `stop`, `leg`, `route`, `place`.
    pub kind: String,
    /// One type for every feature.
    pub geometry_type: GeometryType,
    /// The columns, without `kind`.
    pub fields: Vec<Field>,
    /// The features, in the order of the GeoJSON.
    pub features: Vec<LayerFeature>,
}

impl Layer {
    /// The value of column `name` in feature `i`, if the layer has it.
    pub fn value(&self, i: usize, name: &str) -> Option<&JsonValue> {
        let col = self.fields.iter().position(|f| f.name == name)?;
        self.features.get(i)?.values.get(col)
    }

    /// `[west, south, east, north]` in degrees of the layer's geometries
    /// as drawn (west < east: the parts either side of the antimeridian
    /// make a box spanning the whole width).
    pub fn extent(&self) -> Option<[f64; 4]> {
        let mut out: Option<[f64; 4]> = None;
        for f in &self.features {
            if let Some(r) = f.geometry.bounding_rect() {
                let b = out.get_or_insert([r.min().x, r.min().y, r.max().x, r.max().y]);
                b[0] = b[0].min(r.min().x);
                b[1] = b[1].min(r.min().y);
                b[2] = b[2].max(r.max().x);
                b[3] = b[3].max(r.max().y);
            }
        }
        out
    }
}

/// Every layer of a result, points first.
#[derive(Debug, Clone)]
pub struct Layers {
    /// A title: the route's name, or a description of the places.
    pub title: String,
    /// `stops` or `places`, then `legs`, then `route`, those that have features.
    pub layers: Vec<Layer>,
}

impl Layers {
    /// Sorts the features of `fc` into layers by their `kind` property
    /// (features without one go to a layer named `features`).
    ///
    /// ```
    /// use routemap::gazetteer::Gazetteer;
    /// use routemap::route::{Route, RouteRequest};
    /// use routemap::output::layers::{GeometryType, Layers};
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"])).unwrap();
    /// let fc = routemap::output::geojson::route_collection(&route);
    /// let layers = Layers::from_collection(&fc, route.name());
    /// let names: Vec<_> = layers.layers.iter().map(|l| (l.name.as_str(), l.geometry_type)).collect();
    /// assert_eq!(names, [("stops", GeometryType::Point), ("legs", GeometryType::LineString),
    ///                    ("route", GeometryType::MultiLineString)]);
    /// ```
    pub fn from_collection(fc: &FeatureCollection, title: &str) -> Layers {
        // (kind, features as (geometry, properties)) in order of first appearance.
        let mut groups: Vec<(String, Vec<(Geometry, &geojson::JsonObject)>)> = Vec::new();
        let empty = geojson::JsonObject::new();
        for f in &fc.features {
            let Some(geometry) = f
                .geometry
                .as_ref()
                .and_then(|g| Geometry::<f64>::try_from(g.clone()).ok())
            else {
                continue;
            };
            let props = f.properties.as_ref().unwrap_or(&empty);
            let kind = props
                .get("kind")
                .and_then(JsonValue::as_str)
                .unwrap_or("feature")
                .to_string();
            match groups.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, v)) => v.push((geometry, props)),
                None => groups.push((kind, vec![(geometry, props)])),
            }
        }
        let order = |k: &str| match k {
            "stop" | "place" => 0,
            "leg" => 1,
            "route" => 2,
            _ => 3,
        };
        groups.sort_by_key(|(k, _)| order(k));
        let layers = groups
            .into_iter()
            .map(|(kind, features)| layer(kind, features))
            .collect();
        Layers {
            title: title.to_string(),
            layers,
        }
    }

    /// The layer named `name`.
    pub fn get(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.name == name)
    }
}

fn layer(kind: String, features: Vec<(Geometry, &geojson::JsonObject)>) -> Layer {
    let name = match kind.as_str() {
        "route" => "route".to_string(),
        k => format!("{k}s"),
    };
    let mut fields: Vec<Field> = Vec::new();
    for (_, props) in &features {
        for (k, v) in props.iter() {
            if k == "kind" {
                continue;
            }
            let t = value_type(v);
            match fields.iter_mut().find(|f| &f.name == k) {
                Some(f) => f.kind = widen(f.kind, t),
                None => fields.push(Field {
                    name: k.clone(),
                    kind: t.unwrap_or(FieldType::Text),
                }),
            }
        }
    }
    let all_points = features
        .iter()
        .all(|(g, _)| matches!(g, Geometry::Point(_)));
    let any_multi = features
        .iter()
        .any(|(g, _)| matches!(g, Geometry::MultiLineString(_)));
    let geometry_type = if all_points {
        GeometryType::Point
    } else if kind == "route" || any_multi {
        GeometryType::MultiLineString
    } else {
        GeometryType::LineString
    };
    let features = features
        .into_iter()
        .map(|(g, props)| LayerFeature {
            geometry: match (geometry_type, g) {
                (GeometryType::MultiLineString, Geometry::LineString(l)) => {
                    Geometry::MultiLineString(MultiLineString::new(vec![l]))
                }
                (_, g) => g,
            },
            values: fields
                .iter()
                .map(|f| props.get(&f.name).cloned().unwrap_or(JsonValue::Null))
                .collect(),
        })
        .collect();
    Layer {
        name,
        kind,
        geometry_type,
        fields,
        features,
    }
}

fn value_type(v: &JsonValue) -> Option<FieldType> {
    match v {
        JsonValue::Null => None,
        JsonValue::Bool(_) => Some(FieldType::Boolean),
        JsonValue::Number(n) if n.is_i64() || n.is_u64() => Some(FieldType::Integer),
        JsonValue::Number(_) => Some(FieldType::Real),
        _ => Some(FieldType::Text),
    }
}

/// The narrowest type that holds values of both types.
fn widen(a: FieldType, b: Option<FieldType>) -> FieldType {
    use FieldType::*;
    match (a, b) {
        (a, None) => a,
        (a, Some(b)) if a == b => a,
        (Integer, Some(Real)) | (Real, Some(Integer)) => Real,
        _ => Text,
    }
}

/// A sentence or two for people about feature `i` of `layer`: what KML
/// balloons and GPX descriptions show (distances in kilometres).
pub fn description(layer: &Layer, i: usize) -> String {
    let text = |k: &str| layer.value(i, k).and_then(value_text).unwrap_or_default();
    let num = |k: &str| layer.value(i, k).and_then(JsonValue::as_f64);
    let km = |k: &str| num(k).map(|v| format!("{v:.1} km"));
    let mut parts: Vec<String> = Vec::new();
    match layer.kind.as_str() {
        "leg" => {
            let mut s = format!("{} → {}", text("from"), text("to"));
            if let Some(d) = km("distance_km") {
                s.push_str(&format!(": {d}"));
            }
            if let Some(d) = km("straight_km").filter(|_| num("straight_km") != num("distance_km"))
            {
                s.push_str(&format!(" (straight line {d})"));
            }
            parts.push(s);
            if let Some(d) = km("cumulative_km") {
                parts.push(format!("{d} from the start"));
            }
            if let Some(b) = num("initial_bearing_deg") {
                parts.push(format!("initial bearing {b:.1}°"));
            }
            if let Some(JsonValue::Array(st)) = layer.value(i, "stations") {
                if !st.is_empty() {
                    let names: Vec<String> = st.iter().filter_map(value_text).collect();
                    parts.push(format!("by rail past {}", names.join(", ")));
                }
            }
            if let Some(JsonValue::Array(g)) = layer.value(i, "gauges_mm") {
                let g: Vec<String> = g.iter().filter_map(value_text).collect();
                if !g.is_empty() {
                    parts.push(format!("gauge {} mm", g.join(" and ")));
                }
            }
        }
        "route" => {
            let mut s = km("distance_km").unwrap_or_default();
            let mode = text("mode");
            if !mode.is_empty() {
                s.push_str(&format!(" ({mode})"));
            }
            parts.push(s);
            if let Some(n) = num("stops") {
                parts.push(format!("{n} stops"));
            }
            let network = text("network");
            if !network.is_empty() {
                parts.push(format!("network: {network}"));
            }
        }
        _ => {
            let mut s = text("name");
            let country = text("country");
            let kind = text("place_kind");
            let detail: Vec<&str> = [kind.as_str(), country.as_str()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect();
            if !detail.is_empty() {
                s.push_str(&format!(" ({})", detail.join(", ")));
            }
            parts.push(s);
            if let (Some(idx), role) = (num("index"), text("role")) {
                let role = if role.is_empty() {
                    String::new()
                } else {
                    format!(", {role}")
                };
                parts.push(format!("stop {}{role}", idx + 1.0));
            }
            if let Some(d) = km("cumulative_km") {
                parts.push(format!("{d} from the start"));
            }
            let query = text("query");
            if !query.is_empty() && query != text("name") {
                parts.push(format!("asked for as \"{query}\""));
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("; ")
}

/// A value as text: strings as they are, numbers and booleans as JSON
/// writes them, lists and objects as compact JSON; `None` for null.
pub fn value_text(v: &JsonValue) -> Option<String> {
    match v {
        JsonValue::Null => None,
        JsonValue::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The parts of a line geometry (one for a LineString, one per part of a
/// MultiLineString); none for a point.
pub fn line_parts(g: &Geometry) -> Vec<&LineString> {
    match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(text: &str) -> FeatureCollection {
        text.parse::<geojson::GeoJson>()
            .unwrap()
            .try_into()
            .unwrap()
    }

    #[test]
    fn kinds_become_layers_with_typed_columns() {
        let fc = fc(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"kind":"leg","index":0,"distance_km":157.2}},
            {"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[179,0],[180,0]],[[-180,0],[-179,0]]]},"properties":{"kind":"leg","index":1,"distance_km":222,"stations":["A","B"]}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"kind":"stop","name":"A","capital":true}}
        ]}"#);
        let layers = Layers::from_collection(&fc, "t");
        assert_eq!(layers.layers[0].name, "stops");
        let legs = layers.get("legs").unwrap();
        assert_eq!(legs.geometry_type, GeometryType::MultiLineString);
        let kinds: Vec<_> = legs
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("index", FieldType::Integer),
                ("distance_km", FieldType::Real),
                ("stations", FieldType::Text)
            ]
        );
        assert_eq!(legs.value(0, "stations"), Some(&JsonValue::Null));
        assert!(matches!(
            legs.features[0].geometry,
            Geometry::MultiLineString(_)
        ));
        assert_eq!(
            layers.get("stops").unwrap().fields[1].kind,
            FieldType::Boolean
        );
    }
}
