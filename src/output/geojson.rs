//! The route as an RFC 7946 GeoJSON FeatureCollection.
//!
//! Layout (the contract of `PRODUCT.md`):
//! - one feature with `"kind": "route"`: the whole journey as a LineString,
//!   or a MultiLineString when it crosses the antimeridian (RFC 7946
//!   §3.1.9), with `name`, `mode`, `distance_km`; for rail routes also
//!   `network`, `network_source` and `corridor_approximation` (true when the
//!   track geometry is the built-in corridor approximation);
//! - one feature per leg with `"kind": "leg"`: `index`, `from`, `to`,
//!   `distance_km`, `straight_km`, `cumulative_km`, `initial_bearing_deg`;
//!   rail legs add `gauges_mm`, `stations` (passed, in order),
//!   `places_passed` (the towns the track passes close to, in order),
//!   `station_points` (where the track passes each of `stations`, one
//!   `[lon, lat]` position per name), `from_station`, `to_station`, `snap_from_km`, `snap_to_km` (from each
//!   stop's place to the track), `reversals` (how many), `reversals_near` (the
//!   nearest station to each, or null) and `approximate_km` (run on corridors
//!   drawn between cited points, where no real track is known);
//! - one Point per stop with `"kind": "stop"`: `index`, `name`, `query`,
//!   `country`, `place_kind`, `source`, `cumulative_km`, `role`
//!   (`start`, `via` or `end`).
//!
//! Positions are longitude, latitude (RFC 7946 §3.1.1) rounded to 6
//! decimals (about 0.1 m); distances keep 6 decimals of a kilometre (1 mm).
//! The collection carries a `bbox` (§5), west > east when the route
//! crosses the antimeridian (§5.2). No `crs` member (§4).

use crate::geodesy;
use crate::route::Route;
use geo::{Coord, LineString};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};

/// Rounds to 6 decimals, the precision RFC 7946 §11.2 suggests.
fn r6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    // Avoid "-0" in output.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn position(c: &Coord) -> Vec<f64> {
    vec![r6(c.x), r6(c.y)]
}

/// A (Multi)LineString geometry, split at the antimeridian.
fn line_geometry(line: &LineString) -> Geometry {
    let parts = geodesy::split_antimeridian(line);
    if parts.len() == 1 {
        Geometry::new_line_string(parts[0].coords().map(position))
    } else {
        Geometry::new_multi_line_string(
            parts
                .iter()
                .map(|p| p.coords().map(position).collect::<Vec<_>>()),
        )
    }
}

fn feature(geometry: Geometry, properties: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

fn props(pairs: Vec<(&str, JsonValue)>) -> JsonObject {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The bounding box `[west, south, east, north]` of a set of positions.
/// When the points straddle the antimeridian the box is the narrower one
/// that crosses it, with west > east (RFC 7946 §5.2).
pub fn bbox(coords: impl IntoIterator<Item = Coord>) -> Option<[f64; 4]> {
    let mut lons = Vec::new();
    let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
    for c in coords {
        lons.push(c.x);
        south = south.min(c.y);
        north = north.max(c.y);
    }
    if lons.is_empty() {
        return None;
    }
    lons.sort_by(f64::total_cmp);
    lons.dedup();
    let (min, max) = (lons[0], lons[lons.len() - 1]);
    // The widest empty stretch of longitude; the box is its complement.
    let mut gap = (360.0 - (max - min), max, min);
    for w in lons.windows(2) {
        if w[1] - w[0] > gap.0 {
            gap = (w[1] - w[0], w[0], w[1]);
        }
    }
    let (west, east) = (gap.2, gap.1);
    Some([r6(west), r6(south), r6(east), r6(north)])
}

/// Builds the FeatureCollection for a route.
pub fn route_collection(route: &Route) -> FeatureCollection {
    let km = |m: f64| JsonValue::from(r6(m / 1000.0));
    let mut features = Vec::with_capacity(1 + route.legs().len() + route.stops().len());

    let mut route_props = vec![
        ("kind", "route".into()),
        ("name", route.name().into()),
        ("mode", route.mode().as_str().into()),
        ("distance_km", km(route.total_m())),
        ("stops", (route.stops().len() as u64).into()),
    ];
    if let Some(n) = route.network() {
        route_props.push(("network", n.into()));
    }
    if let Some(info) = route.network_info() {
        route_props.push(("network_source", info.source.as_str().into()));
        route_props.push(("corridor_approximation", info.approximate.into()));
    }
    features.push(feature(line_geometry(&route.path()), props(route_props)));

    let stops = route.stops();
    for (i, leg) in route.legs().iter().enumerate() {
        let mut leg_props = vec![
            ("kind", "leg".into()),
            ("index", (i as u64).into()),
            ("from", stops[leg.from].place.name().into()),
            ("to", stops[leg.to].place.name().into()),
            ("distance_km", km(leg.distance_m)),
            ("straight_km", km(leg.straight_m)),
            ("cumulative_km", km(route.cumulative_m(leg.to))),
            ("initial_bearing_deg", r6(leg.initial_bearing_deg).into()),
        ];
        if let Some(rail) = &leg.rail {
            let opt = |s: &Option<String>| s.clone().map_or(JsonValue::Null, JsonValue::from);
            leg_props.extend([
                ("gauges_mm", rail.gauges_mm.clone().into()),
                ("stations", rail.stations.clone().into()),
                (
                    "station_points",
                    rail.station_points
                        .iter()
                        .map(|p| position(&p.0))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                (
                    "places_passed",
                    rail.places_passed
                        .iter()
                        .map(|p| JsonValue::from(p.name.clone()))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                ("from_station", opt(&rail.from_station)),
                ("to_station", opt(&rail.to_station)),
                ("snap_from_km", km(rail.snap_from_m)),
                ("snap_to_km", km(rail.snap_to_m)),
                ("reversals", (rail.reversals as u64).into()),
                (
                    "reversals_near",
                    rail.reversal_places
                        .iter()
                        .map(|r| r.near.clone().map_or(JsonValue::Null, JsonValue::from))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                ("approximate_km", km(rail.approximate_m)),
            ]);
        }
        features.push(feature(line_geometry(&leg.path), props(leg_props)));
    }

    let last = stops.len() - 1;
    for (i, stop) in stops.iter().enumerate() {
        let p = &stop.place;
        let role = match i {
            0 => "start",
            i if i == last => "end",
            _ => "via",
        };
        features.push(feature(
            Geometry::new_point(position(&p.point().0)),
            props(vec![
                ("kind", "stop".into()),
                ("index", (i as u64).into()),
                ("name", p.name().into()),
                ("query", stop.query.as_str().into()),
                ("country", p.country().into()),
                ("place_kind", p.kind().as_str().into()),
                ("source", p.source().into()),
                ("role", role.into()),
                ("lat", r6(p.lat()).into()),
                ("lon", r6(p.lon()).into()),
                ("cumulative_km", km(route.cumulative_m(i))),
            ]),
        ));
    }

    let mut fc = FeatureCollection::new(features);
    let path = route.path();
    let all = path
        .0
        .iter()
        .copied()
        .chain(stops.iter().map(|s| s.place.point().0));
    fc.bbox = bbox(all).map(|b| with_poles(b, &path).to_vec());
    fc
}

/// A box that contains a pole spans every longitude and reaches the pole
/// (RFC 7946 §5.3: `[-180.0, minlat, 180.0, 90.0]` for the North Pole).
/// A line passes a pole where a vertex lies on it, or where one segment
/// joins two opposite meridians (a geodesic between longitudes 180° apart
/// runs over the pole on the side of its endpoints).
fn with_poles(mut b: [f64; 4], path: &LineString) -> [f64; 4] {
    let mut north = path.0.iter().any(|c| c.y >= 90.0 - 1e-9);
    let mut south = path.0.iter().any(|c| c.y <= -90.0 + 1e-9);
    for w in path.0.windows(2) {
        let dlon = (w[1].x - w[0].x).rem_euclid(360.0);
        if (dlon - 180.0).abs() < 1e-9 {
            let lat = w[0].y + w[1].y;
            north |= lat > 0.0;
            south |= lat < 0.0;
        }
    }
    if north || south {
        b[0] = -180.0;
        b[2] = 180.0;
    }
    if north {
        b[3] = 90.0;
    }
    if south {
        b[1] = -90.0;
    }
    b
}

/// A FeatureCollection of places (no route): one Point per place with
/// `kind` (`stop` for a map's places, `place` for geocoding results), the
/// place's `name`, `lat`, `lon`, `country`, `place_kind`, `source`, and the
/// properties in `extra` first (`index`, `query`, `score`, …).
///
/// ```
/// use routemap::gazetteer::{Gazetteer, ResolveOptions};
/// let gaz = Gazetteer::builtin().unwrap();
/// let p = gaz.resolve("Khasan", &ResolveOptions::default()).unwrap().place().clone();
/// let fc = routemap::output::geojson::places_collection("place", &[(&p, vec![("query", "Khasan".into())])]);
/// assert_eq!(fc.features[0].property("name").unwrap(), "Khasan");
/// ```
pub fn places_collection(
    kind: &str,
    places: &[(&crate::gazetteer::Place, Vec<(&str, JsonValue)>)],
) -> FeatureCollection {
    let features: Vec<Feature> = places
        .iter()
        .map(|(p, extra)| {
            let mut pairs = vec![("kind", JsonValue::from(kind))];
            pairs.extend(extra.iter().cloned());
            pairs.extend([
                ("name", p.name().into()),
                ("country", p.country().into()),
                ("place_kind", p.kind().as_str().into()),
                ("source", p.source().into()),
                ("lat", r6(p.lat()).into()),
                ("lon", r6(p.lon()).into()),
            ]);
            feature(Geometry::new_point(position(&p.point().0)), props(pairs))
        })
        .collect();
    let mut fc = FeatureCollection::new(features);
    fc.bbox = bbox(places.iter().map(|(p, _)| p.point().0)).map(|b| b.to_vec());
    fc
}

/// The route as GeoJSON text: one feature per line (compact, yet easy to
/// read and to diff), ending in a newline.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::route::{Route, RouteRequest};
/// let gaz = Gazetteer::builtin().unwrap();
/// let route = Route::resolve(&gaz, &RouteRequest::new(["Moscow", "Vladivostok"])).unwrap();
/// let text = routemap::output::geojson::to_string(&route);
/// assert!(text.contains("\"kind\":\"route\""));
/// let back: geojson::FeatureCollection = text.parse::<geojson::GeoJson>().unwrap().try_into().unwrap();
/// assert_eq!(back.features.len(), 1 + 1 + 2);
/// ```
pub fn to_string(route: &Route) -> String {
    collection_to_string(&route_collection(route))
}

/// Any FeatureCollection as GeoJSON text laid out as [`to_string`] lays
/// out a route: one feature per line.
pub fn collection_to_string(fc: &FeatureCollection) -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\"");
    if let Some(b) = &fc.bbox {
        s.push_str(",\"bbox\":");
        s.push_str(&compact(b));
    }
    s.push_str(",\"features\":[\n");
    for (i, f) in fc.features.iter().enumerate() {
        s.push_str(&compact(f));
        s.push_str(if i + 1 < fc.features.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    s.push_str("]}\n");
    s
}

/// Compact JSON of a value made of finite numbers and strings.
fn compact<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("finite numbers and strings always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::tests::stop;
    use crate::route::Stop;

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// GeoJSON written and read back is the same route: the stops
            /// (to the 6 decimals written) and the leg lengths (to 1 mm).
            #[test]
            fn written_and_read_back_is_the_same_route(
                pts in proptest::collection::vec((-85.0..85.0f64, -180.0..180.0f64), 2..5)
            ) {
                let stops: Vec<Stop> = pts.iter().enumerate().map(|(i, &(lat, lon))| stop(&format!("s{i}"), lat, lon)).collect();
                let route = Route::direct(stops, 10_000.0).unwrap();
                let text = to_string(&route);
                let fc: FeatureCollection = text.parse::<geojson::GeoJson>().unwrap().try_into().unwrap();
                let kind = |f: &Feature| f.property("kind").and_then(|k| k.as_str()).map(String::from);
                let stops: Vec<&Feature> = fc.features.iter().filter(|f| kind(f).as_deref() == Some("stop")).collect();
                prop_assert_eq!(stops.len(), route.stops().len());
                for (f, s) in stops.iter().zip(route.stops()) {
                    let Some(geojson::GeometryValue::Point { coordinates }) = f.geometry.as_ref().map(|g| &g.value) else {
                        panic!("stop is not a point");
                    };
                    prop_assert!((coordinates[0] - s.place.lon()).abs() <= 5e-7);
                    prop_assert!((coordinates[1] - s.place.lat()).abs() <= 5e-7);
                }
                let legs: Vec<&Feature> = fc.features.iter().filter(|f| kind(f).as_deref() == Some("leg")).collect();
                for (f, l) in legs.iter().zip(route.legs()) {
                    let km = f.property("distance_km").and_then(|v| v.as_f64()).unwrap();
                    prop_assert!((km * 1000.0 - l.distance_m).abs() <= 1e-3);
                }
            }
        }
    }

    #[test]
    fn bbox_plain() {
        let b = bbox([Coord { x: 10.0, y: 1.0 }, Coord { x: 20.0, y: -3.0 }]).unwrap();
        assert_eq!(b, [10.0, -3.0, 20.0, 1.0]);
    }

    #[test]
    fn bbox_across_antimeridian_has_west_greater_than_east() {
        let b = bbox([Coord { x: 170.0, y: 50.0 }, Coord { x: -170.0, y: 60.0 }]).unwrap();
        assert_eq!(b, [170.0, 50.0, -170.0, 60.0]);
    }

    #[test]
    fn bbox_of_a_route_over_the_north_pole_spans_every_longitude() {
        // 80°N 0°E to 80°N 180°: the geodesic runs over the pole, and the
        // box must be [-180, 80, 180, 90] (RFC 7946 §5.3).
        let r =
            Route::direct(vec![stop("A", 80.0, 0.0), stop("B", 80.0, 180.0)], 10_000.0).unwrap();
        assert_eq!(
            route_collection(&r).bbox.unwrap(),
            [-180.0, 80.0, 180.0, 90.0]
        );
        // Over the South Pole, from 70°S 30°E to 75°S 150°W.
        let r = Route::direct(
            vec![stop("C", -70.0, 30.0), stop("D", -75.0, -150.0)],
            10_000.0,
        )
        .unwrap();
        assert_eq!(
            route_collection(&r).bbox.unwrap(),
            [-180.0, -90.0, 180.0, -70.0]
        );
        // Near the pole but not over it: a narrower box that stops short of 90°.
        let r = Route::direct(vec![stop("E", 80.0, 0.0), stop("F", 80.0, 90.0)], 10_000.0).unwrap();
        let b = route_collection(&r).bbox.unwrap();
        assert!(b[3] < 90.0 && b[0] >= 0.0 && b[2] <= 90.0, "{b:?}");
    }

    #[test]
    fn antimeridian_route_is_a_multilinestring() {
        // Petropavlovsk-Kamchatsky to Anchorage crosses 180°.
        let r = Route::direct(
            vec![stop("PK", 53.0, 158.65), stop("Anchorage", 61.22, -149.9)],
            10_000.0,
        )
        .unwrap();
        let fc = route_collection(&r);
        let geom = fc.features[0].geometry.as_ref().unwrap();
        assert_eq!(geom.value.type_name(), "MultiLineString");
        let b = fc.bbox.unwrap();
        assert!(b[0] > b[2], "west {} east {}", b[0], b[2]);
    }

    #[test]
    fn positions_have_at_most_six_decimals() {
        let r = Route::direct(
            vec![
                stop("A", 39.0339123456, 125.7543987654),
                stop("B", 42.4, 130.6),
            ],
            10_000.0,
        )
        .unwrap();
        let text = to_string(&r);
        assert!(text.contains("125.754399"), "{text}");
        assert!(!text.contains("125.7543987"));
        assert!(!text.contains("\"crs\""));
    }
}
