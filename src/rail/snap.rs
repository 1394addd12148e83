//! Snapping: positions on the track, the nearest-track index, and putting a
//! stop on the track (at a station of its name, or the nearest usable track).

use geo::{Distance, Geodesic, Point};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

use super::graph::{station_key, Filter, Graph};
use super::{RailError, RailNetwork, RailStop, Snap};

/// Beyond this distance from the track (km), raising the snapping limit cannot
/// help: the network has no track there.
const FAR_FROM_TRACK_KM: f64 = 50.0;
/// Appended to the advice for a stop far from any track.
const EXTRACT_HINT: &str = " (see the README, \"Rail routing\")";
/// A stop matching a station by name goes to the track up to this far from the
/// station's cited point (a town's point may lie kilometres from its line),
/// metres, or `snap_km` if larger.
const NAMED_STATION_SNAP_M: f64 = 10_000.0;
/// Around a station, tracks up to this much farther than the nearest are candidates
/// too (double track, several platforms), metres.
const STATION_AREA_M: f64 = 150.0;
/// Around a bare point, metres.
const POINT_AREA_M: f64 = 30.0;
/// At most this many candidate positions per stop.
const MAX_CANDIDATES: usize = 16;
/// On a corridor approximation, a stop goes to the nearest station up to this
/// far away, metres (or `snap_km`, if larger).
const CORRIDOR_STATION_M: f64 = 30_000.0;
/// A stop name matches stations up to this far from the stop's point, metres.
const NAME_RADIUS_M: f64 = 50_000.0;
/// Positions this close to a segment end are at its node, metres.
const AT_NODE_M: f64 = 0.01;
/// WGS 84 semi-major axis (m) and first eccentricity squared.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_E2: f64 = 6.694_379_990_141_317e-3;

/// Earth-centred, earth-fixed coordinates (m) of a point on the WGS 84 ellipsoid
/// (lon, lat in degrees). Straight-line (chord) distances between them are a lower
/// bound of geodesic distances, which makes them an admissible A* estimate, and they
/// put the whole globe in one R-tree without an antimeridian seam.
pub(crate) fn ecef(lonlat: [f64; 2]) -> [f64; 3] {
    let (lon, lat) = (lonlat[0].to_radians(), lonlat[1].to_radians());
    let n = WGS84_A / (1.0 - WGS84_E2 * lat.sin().powi(2)).sqrt();
    [
        n * lat.cos() * lon.cos(),
        n * lat.cos() * lon.sin(),
        n * (1.0 - WGS84_E2) * lat.sin(),
    ]
}

pub(crate) fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// A position on the track.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrackPos {
    pub seg: usize,
    /// Local index of the vertex starting the piece the position is on.
    pub vi: usize,
    /// Fraction along that piece, 0..=1.
    pub t: f64,
    /// lon, lat
    pub lonlat: [f64; 2],
    /// Track length from the segment's first vertex, metres.
    pub offset: f64,
}

impl TrackPos {
    /// Position as a continuous vertex parameter.
    pub(crate) fn u(&self) -> f64 {
        self.vi as f64 + self.t
    }
}

/// R-tree over every piece of track (consecutive vertex pair), in ECEF space.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TrackIndex {
    tree: RTree<GeomWithData<Line<[f64; 3]>, u32>>,
}

impl TrackIndex {
    pub fn new(g: &Graph) -> Self {
        let mut items = Vec::with_capacity(g.verts.len());
        for s in 0..g.segment_count() {
            let r = g.seg_range(s);
            let mut prev = ecef(g.verts[r.start]);
            for i in r.start..r.end - 1 {
                let next = ecef(g.verts[i + 1]);
                items.push(GeomWithData::new(Line::new(prev, next), i as u32));
                prev = next;
            }
        }
        TrackIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Whether every indexed piece starts at a vertex of `g` that a piece of
    /// track follows, with finite coordinates: what a graph file's index must
    /// satisfy before it is used.
    pub fn fits(&self, g: &Graph) -> bool {
        let v = g.verts.len();
        self.tree.size() + g.segment_count() == v
            && self.tree.iter().all(|item| {
                let i = item.data as usize;
                let l = item.geom();
                i + 1 < v
                    && g.seg_vstart[g.seg_of_vertex(i) + 1] as usize - 1 != i
                    && l.from.iter().chain(&l.to).all(|c| c.is_finite())
            })
    }

    /// Positions on the pieces of track accepted by `ok` within `max_m` metres
    /// of `lonlat`, nearest first (chord distance, which matches geodesic
    /// distance to millimetres at these ranges).
    fn near<'a>(
        &'a self,
        g: &'a Graph,
        lonlat: [f64; 2],
        max_m: f64,
        ok: impl Fn(usize) -> bool + 'a,
    ) -> impl Iterator<Item = TrackPos> + 'a {
        let p = ecef(lonlat);
        self.tree
            .nearest_neighbor_iter_with_distance_2(&p)
            .take_while(move |(_, d2)| *d2 <= max_m * max_m)
            .map(move |(item, _)| (item, g.seg_of_vertex(item.data as usize)))
            .filter(move |(_, seg)| ok(*seg))
            .map(move |(item, seg)| project(g, item, seg, p))
    }

    /// The nearest position on a segment accepted by `ok`, within `max_m` metres.
    pub fn nearest(
        &self,
        g: &Graph,
        lonlat: [f64; 2],
        max_m: f64,
        ok: impl Fn(usize) -> bool,
    ) -> Option<TrackPos> {
        self.near(g, lonlat, max_m, ok).next()
    }

    /// The nearest position on each segment accepted by `ok` within `max_m`
    /// metres, nearest first, for at most `4 × MAX_CANDIDATES` segments.
    pub fn within(
        &self,
        g: &Graph,
        lonlat: [f64; 2],
        max_m: f64,
        ok: impl Fn(usize) -> bool,
    ) -> Vec<TrackPos> {
        let mut out: Vec<TrackPos> = Vec::new();
        for pos in self.near(g, lonlat, max_m, ok) {
            if out.len() >= 4 * MAX_CANDIDATES {
                break;
            }
            if !out.iter().any(|q| q.seg == pos.seg) {
                out.push(pos);
            }
        }
        out
    }
}

/// The point of an indexed piece nearest to `p` (ECEF).
fn project(
    g: &Graph,
    item: &GeomWithData<Line<[f64; 3]>, u32>,
    seg: usize,
    p: [f64; 3],
) -> TrackPos {
    let line = item.geom();
    let (a, b) = (line.from, line.to);
    let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    let len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    let t = if len2 > 0.0 {
        ((ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let vi = item.data as usize - g.seg_range(seg).start;
    pos_at(g, seg, vi, t)
}

/// The position `t` of the way along piece `vi` of segment `seg`.
pub(crate) fn pos_at(g: &Graph, seg: usize, vi: usize, t: f64) -> TrackPos {
    let base = g.seg_range(seg).start;
    let (a, b) = (g.verts[base + vi], g.verts[base + vi + 1]);
    let mut dlon = b[0] - a[0];
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    let mut lon = a[0] + t * dlon;
    if lon > 180.0 {
        lon -= 360.0;
    } else if lon < -180.0 {
        lon += 360.0;
    }
    let lonlat = if t <= 0.0 {
        a
    } else if t >= 1.0 {
        b
    } else {
        [lon, a[1] + t * (b[1] - a[1])]
    };
    let offset = g.vert_cum[base + vi] + t * (g.vert_cum[base + vi + 1] - g.vert_cum[base + vi]);
    TrackPos {
        seg,
        vi,
        t,
        lonlat,
        offset,
    }
}

/// One place on the track where a stop may be boarded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub(crate) pos: TrackPos,
    /// The graph node the position is at, when it is at one.
    pub(crate) node: Option<usize>,
}

/// A stop placed on the track: every track near its station (or its point), since a
/// station on double track can be reached on either line.
pub(crate) struct Placed {
    pub(crate) cands: Vec<Cand>,
    pub(crate) station: Option<String>,
    pub(crate) by_name: bool,
    /// lon, lat the user gave.
    pub(crate) here: [f64; 2],
    pub(crate) label: String,
}

impl Placed {
    pub(crate) fn snap(&self, g: &Graph, c: usize) -> Snap {
        let pos = self.cands[c].pos;
        let station = self.station.clone().or_else(|| {
            // A stop put right at a station takes its name.
            g.seg_stations(pos.seg)
                .iter()
                .find(|(k, _)| (pos.u() - *k as f64).abs() < 1e-9)
                .map(|(_, st)| g.stations[*st as usize].name.clone())
        });
        Snap {
            point: Point::new(pos.lonlat[0], pos.lonlat[1]),
            station,
            distance_m: geodesic_m(self.here, pos.lonlat),
            by_name: self.by_name,
        }
    }
}

pub(crate) fn geodesic_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    Geodesic.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// Puts a stop on the track: at a station matching its name; on a corridor
/// approximation at the nearest station; otherwise at the nearest usable track
/// within `snap_km`.
pub(crate) fn place(
    net: &RailNetwork,
    filter: &Filter,
    stop: &RailStop,
) -> Result<Placed, RailError> {
    let g = &net.graph;
    let here = [stop.point.x(), stop.point.y()];
    let limit_m = filter.opts.snap_km * 1000.0;
    let usable = |s: usize| filter.usable(s);
    let by_name = stop
        .name
        .as_deref()
        .and_then(|name| station_by_name(g, name, here, limit_m));
    // On a corridor approximation the track between stations is uncertain by
    // kilometres: a stop goes to the nearest station instead.
    let nearest_station = || {
        g.stations
            .iter()
            .enumerate()
            .map(|(i, st)| (geodesic_m(here, st.lonlat), i))
            .filter(|(d, _)| *d <= CORRIDOR_STATION_M.max(limit_m))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, i)| i)
    };
    let tries = [
        (by_name, true),
        (g.info.approximate.then(nearest_station).flatten(), false),
    ];
    for (station, matched) in tries {
        let Some(i) = station else { continue };
        let st = &g.stations[i];
        // A station standing off every track (a town's cited point) may be
        // farther from its line than the snapping limit.
        let on_track = g.st_items.iter().any(|&(_, s)| s as usize == i);
        let reach = if matched && !on_track {
            limit_m.max(NAMED_STATION_SNAP_M)
        } else {
            limit_m
        };
        let cands = candidates(net, st.lonlat, reach, STATION_AREA_M, &usable);
        if !cands.is_empty() {
            return Ok(Placed {
                cands,
                station: Some(st.name.clone()),
                by_name: matched,
                here,
                label: stop.label(),
            });
        }
    }
    let cands = candidates(net, here, limit_m, POINT_AREA_M, &usable);
    if cands.is_empty() || geodesic_m(here, cands[0].pos.lonlat) > limit_m {
        return Err(too_far(net, filter, stop, here, limit_m));
    }
    Ok(Placed {
        cands,
        station: None,
        by_name: false,
        here,
        label: stop.label(),
    })
}

/// The station best matching `name` near `here`: same folded name first, then names
/// starting with it as a word ("Halle" → "Halle (Saale) Hbf"), the nearest first.
fn station_by_name(g: &Graph, name: &str, here: [f64; 2], limit_m: f64) -> Option<usize> {
    let q = station_key(name);
    if q.is_empty() {
        return None;
    }
    let prefix = format!("{q} ");
    let mut best: Option<(u8, f64, usize)> = None;
    for (i, st) in g.stations.iter().enumerate() {
        let rank = if st.key == q {
            0
        } else if st.key.starts_with(&prefix) {
            1
        } else {
            continue;
        };
        let d = geodesic_m(here, st.lonlat);
        if d > NAME_RADIUS_M.max(limit_m) {
            continue;
        }
        if best.is_none() || best.is_some_and(|(r, bd, _)| (rank, d) < (r, bd)) {
            best = Some((rank, d, i));
        }
    }
    best.map(|(_, _, i)| i)
}

/// Track positions around `at`: the nearest within `limit_m`, and every other usable
/// segment at most `area_m` farther (one position per segment, nearest first).
fn candidates(
    net: &RailNetwork,
    at: [f64; 2],
    limit_m: f64,
    area_m: f64,
    usable: &dyn Fn(usize) -> bool,
) -> Vec<Cand> {
    let g = &net.graph;
    let Some(first) = net.index().nearest(g, at, limit_m, usable) else {
        return Vec::new();
    };
    let reach = geodesic_m(at, first.lonlat) + area_m;
    let mut out: Vec<(f64, TrackPos)> = Vec::new();
    for pos in net.index().within(g, at, reach, usable) {
        let d = geodesic_m(at, pos.lonlat);
        if d <= reach && !out.iter().any(|(_, p)| p.seg == pos.seg) {
            out.push((d, pos));
        }
    }
    if out.is_empty() {
        out.push((0.0, first));
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.truncate(MAX_CANDIDATES);
    out.into_iter()
        .map(|(_, pos)| {
            let node = if pos.offset <= AT_NODE_M {
                Some(g.seg_from[pos.seg] as usize)
            } else if pos.offset >= g.seg_len(pos.seg) - AT_NODE_M {
                Some(g.seg_to[pos.seg] as usize)
            } else {
                None
            };
            Cand { pos, node }
        })
        .collect()
}

fn too_far(
    net: &RailNetwork,
    filter: &Filter,
    stop: &RailStop,
    here: [f64; 2],
    limit_m: f64,
) -> RailError {
    let usable = |s: usize| filter.usable(s);
    let distance_km = net
        .index()
        .nearest(&net.graph, here, f64::INFINITY, usable)
        .map(|p| geodesic_m(here, p.lonlat) / 1000.0)
        .unwrap_or(f64::INFINITY);
    let advice = if distance_km <= FAR_FROM_TRACK_KM {
        "raise --snap-km or use another rail network".to_string()
    } else if net.graph.info.name == "built-in network" {
        format!("the built-in network has track in Russia only (its railways from OpenStreetMap), with corridors in North Korea; for a journey elsewhere, download an OpenStreetMap extract of the country (for example from download.geofabrik.de), build its graph once with `routemap rail build COUNTRY.osm.pbf --out COUNTRY.rmrail` and route with `--rail-network COUNTRY.rmrail`{}", EXTRACT_HINT)
    } else {
        format!("{} has no track near it; bring an OpenStreetMap extract that covers it (`routemap rail build FILE.osm.pbf --out FILE.rmrail`, then `--rail-network FILE.rmrail`), or leave out --rail-network for the built-in network of Russia and North Korea{}", net.graph.info.name, EXTRACT_HINT)
    };
    RailError::TooFar {
        stop: stop.label(),
        distance_km,
        limit_km: limit_m / 1000.0,
        network: net.graph.info.name.clone(),
        advice,
    }
}

/// Attaches the stations that do not stand on a track vertex to the nearest
/// track vertex within `max_m`, as (segment, local vertex, station); returns
/// them with the index built to find them.
pub(crate) fn attach_stations(
    g: &Graph,
    unplaced: &[super::graph::OffTrack],
    max_m: f64,
) -> (Vec<(u32, u32, u32)>, TrackIndex) {
    let idx = TrackIndex::new(g);
    let mut out = Vec::new();
    for &(st, lonlat) in unplaced {
        if let Some(pos) = idx.nearest(g, lonlat, max_m, |_| true) {
            let local = if pos.t < 0.5 { pos.vi } else { pos.vi + 1 };
            out.push((pos.seg as u32, local as u32, st as u32));
        }
    }
    (out, idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecef_matches_known_values() {
        // Equator/prime meridian is (a, 0, 0); the pole is at b = a(1 - f) on z.
        let p = ecef([0.0, 0.0]);
        assert!((p[0] - WGS84_A).abs() < 1e-6 && p[1].abs() < 1e-6 && p[2].abs() < 1e-6);
        let n = ecef([0.0, 90.0]);
        assert!((n[2] - 6_356_752.314_245).abs() < 1e-3, "{}", n[2]);
    }

    #[test]
    fn chord_is_below_geodesic() {
        let (a, b) = ([129.0, 42.0], [131.0, 43.5]);
        assert!(chord(ecef(a), ecef(b)) <= geodesic_m(a, b));
    }
}
