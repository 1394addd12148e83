//! Reading OpenStreetMap (PBF, XML) and GeoJSON track.

use std::collections::HashSet;
use std::path::Path;

use geo::LineString;

use super::builder::{parse_gauges, RailNetworkBuilder};
use super::graph::TrackKind;
use super::RailError;

/// Provenance recorded for networks read from OpenStreetMap.
pub(crate) const OSM_SOURCE: &str = "OpenStreetMap data © OpenStreetMap contributors, ODbL 1.0";

/// Which railway ways are track a train may use, and how.
///
/// Kept: `railway=rail|narrow_gauge`, `light_rail` as [`TrackKind::LightRail`]
/// (and `tram|subway` as [`TrackKind::TramSubway`]); `service=yard|siding|spur` are [`TrackKind::Service`],
/// `service=crossover` stays main track. Skipped: anything abandoned, disused,
/// razed, proposed, under construction, platforms, and areas.
pub(crate) fn classify<'a>(
    tags: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<(TrackKind, Vec<u32>)> {
    let mut railway = None;
    let mut service = None;
    let mut gauge = None;
    let mut skip = false;
    for (k, v) in tags {
        match k {
            "railway" => railway = Some(v),
            "service" => service = Some(v),
            "gauge" => gauge = Some(v),
            "area" if v == "yes" => skip = true,
            _ => {
                let lifecycle = [
                    "abandoned",
                    "disused",
                    "razed",
                    "proposed",
                    "construction",
                    "demolished",
                    "removed",
                ];
                if lifecycle
                    .iter()
                    .any(|p| k.starts_with(p) && k[p.len()..].starts_with(':'))
                    && k.ends_with("railway")
                {
                    skip = true;
                }
            }
        }
    }
    if skip {
        return None;
    }
    let kind = match railway? {
        "rail" | "narrow_gauge" | "light_rail" => match service {
            Some("yard" | "siding" | "spur") => TrackKind::Service,
            _ if railway == Some("light_rail") => TrackKind::LightRail,
            _ => TrackKind::Main,
        },
        "tram" | "subway" => TrackKind::TramSubway,
        _ => return None,
    };
    Some((kind, gauge.map(parse_gauges).unwrap_or_default()))
}

/// Whether a node's tags make it a named station, halt or train stop position.
pub(crate) fn station_name<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    let mut name = None;
    let mut is_station = false;
    let mut stop_position = false;
    let mut train = false;
    for (k, v) in tags {
        match (k, v) {
            ("name", _) => name = Some(v),
            ("railway", "station" | "halt" | "stop") => is_station = true,
            ("public_transport", "stop_position" | "station") => stop_position = true,
            ("train" | "light_rail", "yes") => train = true,
            _ => {}
        }
    }
    if is_station || (stop_position && train) {
        name.map(str::to_string)
    } else {
        None
    }
}

pub(crate) fn read_pbf(b: &mut RailNetworkBuilder, path: &Path) -> Result<(), RailError> {
    // osmpbf computes coordinates with unchecked arithmetic, which panics on
    // overflow in a build with overflow checks: such a file is damaged.
    crate::input::without_panic_message(|| read_pbf_unchecked(b, path)).unwrap_or_else(|| {
        Err(RailError::parse(
            path,
            "not a valid OpenStreetMap PBF file (a value in it is out of range)",
        ))
    })
}

fn read_pbf_unchecked(b: &mut RailNetworkBuilder, path: &Path) -> Result<(), RailError> {
    use osmpbf::{Element, ElementReader};
    let err = |e: osmpbf::Error| match e.kind() {
        osmpbf::ErrorKind::Io(_) => RailError::parse(path, e.to_string()),
        _ => RailError::parse(path, format!("not a valid OpenStreetMap PBF file ({e})")),
    };
    // Pass 1: track ways and station nodes.
    let mut needed: HashSet<i64> = HashSet::new();
    let mut ways = Vec::new();
    let mut stations = Vec::new();
    ElementReader::from_path(path)
        .map_err(|e| match e.kind() {
            osmpbf::ErrorKind::Io(io) => {
                RailError::io(path, std::io::Error::new(io.kind(), io.to_string()))
            }
            _ => err(e),
        })?
        .for_each(|el| match el {
            Element::Way(w) => {
                if let Some((kind, gauges)) = classify(w.tags()) {
                    let refs: Vec<i64> = w.refs().collect();
                    needed.extend(&refs);
                    ways.push((refs, kind, gauges));
                }
            }
            Element::Node(n) => {
                if let Some(name) = station_name(n.tags()) {
                    stations.push((name, n.id(), n.lon(), n.lat()));
                }
            }
            Element::DenseNode(n) => {
                if let Some(name) = station_name(n.tags()) {
                    stations.push((name, n.id(), n.lon(), n.lat()));
                }
            }
            Element::Relation(_) => {}
        })
        .map_err(err)?;
    // Pass 2: coordinates of the nodes the track uses.
    ElementReader::from_path(path)
        .map_err(err)?
        .for_each(|el| match el {
            Element::Node(n) if needed.contains(&n.id()) => b.node(n.id(), n.lon(), n.lat()),
            Element::DenseNode(n) if needed.contains(&n.id()) => b.node(n.id(), n.lon(), n.lat()),
            _ => {}
        })
        .map_err(err)?;
    for (refs, kind, gauges) in ways {
        b.way(refs, kind, gauges);
    }
    for (name, id, lon, lat) in stations {
        b.station_node(&name, Some(id), lon, lat);
    }
    Ok(())
}

pub(crate) fn read_xml(b: &mut RailNetworkBuilder, path: &Path) -> Result<(), RailError> {
    use quick_xml::events::{BytesStart, Event};
    let file = std::fs::File::open(path).map_err(|e| RailError::io(path, e))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(
        crate::input::NoNul::new(file, |_| "not an XML file: it holds a NUL byte".into()),
    ));
    let mut buf = Vec::new();
    let attr = |e: &BytesStart, name: &[u8]| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
    };
    // The element being read: node (id, lon, lat) or way, with its tags and refs.
    let mut node: Option<(i64, f64, f64)> = None;
    let mut in_way = false;
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut refs: Vec<i64> = Vec::new();
    let mut ways = Vec::new();
    let mut stations = Vec::new();
    let mut seen_osm = false;
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| RailError::parse(path, format!("XML error at byte {pos}: {e}")))?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                b"osm" => seen_osm = true,
                b"node" => {
                    let id = attr(&e, b"id").and_then(|v| v.parse().ok());
                    let lat = attr(&e, b"lat").and_then(|v| v.parse().ok());
                    let lon = attr(&e, b"lon").and_then(|v| v.parse().ok());
                    let (Some(id), Some(lat), Some(lon)) = (id, lat, lon) else {
                        return Err(RailError::parse(
                            path,
                            format!("node at byte {pos} lacks a numeric id, lat or lon"),
                        ));
                    };
                    b.node(id, lon, lat);
                    if !empty {
                        node = Some((id, lon, lat));
                        tags.clear();
                    }
                }
                b"way" if !empty => {
                    in_way = true;
                    tags.clear();
                    refs.clear();
                }
                b"tag" => {
                    if let (Some(k), Some(v)) = (attr(&e, b"k"), attr(&e, b"v")) {
                        tags.push((k, v));
                    }
                }
                b"nd" if in_way => {
                    if let Some(r) = attr(&e, b"ref").and_then(|v| v.parse().ok()) {
                        refs.push(r);
                    }
                }
                _ => {}
            }
        }
        match ev {
            Event::End(e) => match e.name().as_ref() {
                b"node" => {
                    if let Some((id, lon, lat)) = node.take() {
                        if let Some(name) =
                            station_name(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                        {
                            stations.push((name, id, lon, lat));
                        }
                    }
                }
                b"way" => {
                    in_way = false;
                    if let Some((kind, gauges)) =
                        classify(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    {
                        ways.push((std::mem::take(&mut refs), kind, gauges));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_osm {
        return Err(RailError::parse(
            path,
            "not an OpenStreetMap XML file (no <osm> element)",
        ));
    }
    for (refs, kind, gauges) in ways {
        b.way(refs, kind, gauges);
    }
    for (name, id, lon, lat) in stations {
        b.station_node(&name, Some(id), lon, lat);
    }
    Ok(())
}

/// GeoJSON: every LineString / MultiLineString feature is track (properties
/// `railway`, `service`, `gauge` as in OpenStreetMap; without `railway` it counts as
/// `rail`), every Point feature with a `name` is a station.
pub(crate) fn read_geojson(b: &mut RailNetworkBuilder, path: &Path) -> Result<(), RailError> {
    use geojson::{GeoJson, GeometryValue as Value, Position};
    let text = std::fs::read_to_string(path).map_err(|e| RailError::io(path, e))?;
    let gj: GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| RailError::parse(path, e.to_string()))?;
    let features: Vec<geojson::Feature> = match gj {
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Feature(f) => vec![f],
        GeoJson::Geometry(g) => vec![geojson::Feature {
            geometry: Some(g),
            ..Default::default()
        }],
    };
    for f in features {
        let Some(geom) = &f.geometry else { continue };
        let prop = |k: &str| -> Option<String> {
            f.properties.as_ref()?.get(k).map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let mut tags: Vec<(String, String)> = ["railway", "service", "gauge", "area"]
            .iter()
            .filter_map(|k| prop(k).map(|v| (k.to_string(), v)))
            .collect();
        if !tags.iter().any(|(k, _)| k == "railway") {
            tags.push(("railway".into(), "rail".into()));
        }
        let lines: Vec<&Vec<Position>> = match &geom.value {
            Value::LineString { coordinates } => vec![coordinates],
            Value::MultiLineString { coordinates } => coordinates.iter().collect(),
            Value::Point { coordinates } => {
                if let (Some(name), [lon, lat, ..]) = (prop("name"), coordinates.as_slice()) {
                    b.add_station(&name, geo::Point::new(*lon, *lat));
                }
                continue;
            }
            _ => continue,
        };
        let Some((kind, gauges)) = classify(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        else {
            continue;
        };
        for l in lines {
            let line: LineString = l
                .iter()
                .filter(|p| p.len() >= 2)
                .map(|p| (p[0], p[1]))
                .collect();
            b.add_track(&line, kind, &gauges);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags<'a>(t: &'a [(&'a str, &'a str)]) -> impl Iterator<Item = (&'a str, &'a str)> {
        t.iter().copied()
    }

    #[test]
    fn keeps_running_track_and_ranks_service() {
        assert_eq!(
            classify(tags(&[("railway", "rail")])),
            Some((TrackKind::Main, vec![]))
        );
        assert_eq!(
            classify(tags(&[
                ("railway", "rail"),
                ("service", "crossover"),
                ("gauge", "1435")
            ])),
            Some((TrackKind::Main, vec![1435]))
        );
        assert_eq!(
            classify(tags(&[("railway", "rail"), ("service", "yard")])).map(|c| c.0),
            Some(TrackKind::Service)
        );
        assert_eq!(
            classify(tags(&[("railway", "narrow_gauge")])).map(|c| c.0),
            Some(TrackKind::Main)
        );
        assert_eq!(
            classify(tags(&[("railway", "tram")])).map(|c| c.0),
            Some(TrackKind::TramSubway)
        );
    }

    #[test]
    fn skips_dead_and_unbuilt_track() {
        for v in [
            "abandoned",
            "disused",
            "razed",
            "proposed",
            "construction",
            "platform",
        ] {
            assert_eq!(classify(tags(&[("railway", v)])), None, "{v}");
        }
        assert_eq!(
            classify(tags(&[("railway", "rail"), ("disused:railway", "rail")])),
            None
        );
        assert_eq!(classify(tags(&[("highway", "primary")])), None);
    }

    #[test]
    fn stations_by_tag() {
        assert_eq!(
            station_name(tags(&[("railway", "station"), ("name", "A")])),
            Some("A".into())
        );
        assert_eq!(
            station_name(tags(&[("railway", "halt"), ("name", "B")])),
            Some("B".into())
        );
        assert_eq!(
            station_name(tags(&[
                ("public_transport", "stop_position"),
                ("train", "yes"),
                ("name", "C")
            ])),
            Some("C".into())
        );
        assert_eq!(
            station_name(tags(&[
                ("public_transport", "stop_position"),
                ("bus", "yes"),
                ("name", "D")
            ])),
            None
        );
        assert_eq!(station_name(tags(&[("railway", "station")])), None);
    }
}
