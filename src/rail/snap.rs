//! Snapping: positions on the track, the nearest-track index, and putting a
//! stop on the track (at a station of its name, or the nearest usable track).

use geo::{Distance, Geodesic, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use rstar::RTreeObject;

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

/// Pieces of track (consecutive vertex pairs) per entry of the nearest-track
/// index: few enough that scanning an entry costs little, many enough that the
/// index is small and quick to build (the built-in network's 156,000 pieces
/// make some 8,000 entries).
const PIECES_PER_ENTRY: usize = 32;

/// R-tree over runs of up to [`PIECES_PER_ENTRY`] pieces of track of one
/// segment, each as the box (ECEF, metres) around its vertices, which holds its
/// pieces; the entry's data is its first vertex (global index).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TrackIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 3]>, u32>>,
}

impl TrackIndex {
    pub fn new(g: &Graph) -> Self {
        let mut items = Vec::with_capacity(g.verts.len() / PIECES_PER_ENTRY + g.segment_count());
        for s in 0..g.segment_count() {
            let r = g.seg_range(s);
            let mut first = r.start;
            while first + 1 < r.end {
                let last = (first + PIECES_PER_ENTRY).min(r.end - 1);
                let mut lo = [f64::INFINITY; 3];
                let mut hi = [f64::NEG_INFINITY; 3];
                for v in &g.verts[first..=last] {
                    let p = ecef(*v);
                    for k in 0..3 {
                        lo[k] = lo[k].min(p[k]);
                        hi[k] = hi[k].max(p[k]);
                    }
                }
                items.push(GeomWithData::new(
                    Rectangle::from_corners(lo, hi),
                    first as u32,
                ));
                first = last;
            }
        }
        TrackIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Whether every entry starts at a vertex of `g` that a piece of track
    /// follows, with finite corners: what a graph file's index must satisfy
    /// before it is used.
    pub fn fits(&self, g: &Graph) -> bool {
        let v = g.verts.len();
        // The last vertex of each segment, which no entry may start at.
        let mut last = vec![false; v];
        for &end in g.seg_vstart.iter().skip(1) {
            if let Some(x) = (end as usize).checked_sub(1).and_then(|k| last.get_mut(k)) {
                *x = true;
            }
        }
        self.tree.iter().all(|item| {
            let i = item.data as usize;
            let e = item.geom().envelope();
            let (lo, hi) = (e.lower(), e.upper());
            i + 1 < v && !last[i] && lo.iter().chain(&hi).all(|c| c.is_finite())
        })
    }

    /// The last vertex of the entry starting at vertex `first` of segment `seg`.
    fn entry_end(g: &Graph, seg: usize, first: usize) -> usize {
        (first + PIECES_PER_ENTRY).min(g.seg_range(seg).end - 1)
    }

    /// The position nearest to `p` (ECEF) on the pieces of the entry starting
    /// at vertex `first` of segment `seg`, with its squared chord distance.
    fn nearest_in_entry(g: &Graph, seg: usize, first: usize, p: [f64; 3]) -> (f64, TrackPos) {
        let base = g.seg_range(seg).start;
        let mut best: (f64, usize, f64) = (f64::INFINITY, first, 0.0);
        let mut a = ecef(g.verts[first]);
        for i in first..Self::entry_end(g, seg, first) {
            let b = ecef(g.verts[i + 1]);
            let (d2, t) = project(a, b, p);
            if d2 < best.0 {
                best = (d2, i, t);
            }
            a = b;
        }
        (best.0, pos_at(g, seg, best.1 - base, best.2))
    }

    /// The nearest position on a segment accepted by `ok`, within `max_m` metres
    /// (chord distance, which matches geodesic distance to millimetres at these
    /// ranges).
    pub fn nearest(
        &self,
        g: &Graph,
        lonlat: [f64; 2],
        max_m: f64,
        ok: impl Fn(usize) -> bool,
    ) -> Option<TrackPos> {
        let p = ecef(lonlat);
        let mut best: Option<(f64, TrackPos)> = None;
        for (item, box_d2) in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            // Entries come by the distance to their box, which no piece
            // inside is nearer than.
            if box_d2 > max_m * max_m || best.is_some_and(|(d2, _)| box_d2 > d2) {
                break;
            }
            let first = item.data as usize;
            let seg = g.seg_of_vertex(first);
            if !ok(seg) {
                continue;
            }
            let (d2, pos) = Self::nearest_in_entry(g, seg, first, p);
            if d2 <= max_m * max_m && best.is_none_or(|(b, _)| d2 < b) {
                best = Some((d2, pos));
            }
        }
        best.map(|(_, pos)| pos)
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
        let p = ecef(lonlat);
        let mut out: Vec<(f64, TrackPos)> = Vec::new();
        for (item, box_d2) in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            if box_d2 > max_m * max_m {
                break;
            }
            let first = item.data as usize;
            let seg = g.seg_of_vertex(first);
            if !ok(seg) {
                continue;
            }
            let (d2, pos) = Self::nearest_in_entry(g, seg, first, p);
            if d2 > max_m * max_m {
                continue;
            }
            match out.iter_mut().find(|(_, q)| q.seg == seg) {
                Some(kept) if d2 < kept.0 => *kept = (d2, pos),
                Some(_) => {}
                None => out.push((d2, pos)),
            }
        }
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.truncate(4 * MAX_CANDIDATES);
        out.into_iter().map(|(_, pos)| pos).collect()
    }
}

/// The squared distance from `p` to the straight piece `a`–`b` (ECEF) and the
/// fraction along it of the nearest point.
fn project(a: [f64; 3], b: [f64; 3], p: [f64; 3]) -> (f64, f64) {
    let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    let len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    let t = if len2 > 0.0 {
        ((ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let d = [ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]];
    (d[0] * d[0] + d[1] * d[1] + d[2] * d[2], t)
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
