//! Snapping stops to the track and finding legal train paths (A* on directed
//! segments).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::{Coord, Distance, Geodesic, Length, LineString, Point};
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use super::graph::{deviation, fold, Graph};
use super::{RailError, RailLeg, RailNetwork, RailOptions, RailStop, Snap};

/// Yards, sidings and spurs count this many times their length.
const SERVICE_FACTOR: f64 = 5.0;
/// Cost of reversing at a terminus, metres of track.
const REVERSAL_PENALTY_M: f64 = 5_000.0;
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
    [n * lat.cos() * lon.cos(), n * lat.cos() * lon.sin(), n * (1.0 - WGS84_E2) * lat.sin()]
}

fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
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
    fn u(&self) -> f64 {
        self.vi as f64 + self.t
    }
}

/// R-tree over every piece of track (consecutive vertex pair), in ECEF space.
#[derive(Debug)]
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
        TrackIndex { tree: RTree::bulk_load(items) }
    }

    /// The nearest position on a segment accepted by `ok`, within `max_m` metres
    /// (chord distance, which matches geodesic distance to millimetres at these
    /// ranges).
    pub fn nearest(&self, g: &Graph, lonlat: [f64; 2], max_m: f64, ok: impl Fn(usize) -> bool) -> Option<TrackPos> {
        let p = ecef(lonlat);
        let max2 = max_m * max_m;
        for (item, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            if d2 > max2 {
                return None;
            }
            let i = item.data as usize;
            let seg = g.seg_of_vertex(i);
            if !ok(seg) {
                continue;
            }
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
            debug_assert!(line.distance_2(&p) <= d2 + 1e-3);
            let vi = i - g.seg_range(seg).start;
            return Some(pos_at(g, seg, vi, t));
        }
        None
    }
}

/// The position `t` of the way along piece `vi` of segment `seg`.
fn pos_at(g: &Graph, seg: usize, vi: usize, t: f64) -> TrackPos {
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
    TrackPos { seg, vi, t, lonlat, offset }
}

/// A stop placed on the track.
struct Placed {
    pos: TrackPos,
    /// The graph node the stop stands on, when it stands on one.
    node: Option<usize>,
    snap: Snap,
    label: String,
}

struct Filter<'a> {
    g: &'a Graph,
    opts: &'a RailOptions,
}

impl Filter<'_> {
    fn usable(&self, s: usize) -> bool {
        let kind = self.g.seg_kind[s];
        if kind == 2 && !self.opts.include_tram_subway {
            return false;
        }
        match self.opts.gauge {
            Some(mm) => {
                let set = &self.g.gauge_sets[self.g.seg_gauge[s] as usize];
                set.is_empty() || set.contains(&mm)
            }
            None => true,
        }
    }

    fn factor(&self, s: usize) -> f64 {
        if self.g.seg_kind[s] == 1 {
            SERVICE_FACTOR
        } else {
            1.0
        }
    }
}

pub(crate) fn route(net: &RailNetwork, stops: &[RailStop], opts: &RailOptions) -> Result<Vec<RailLeg>, RailError> {
    check_options(opts)?;
    if stops.len() < 2 {
        return Err(RailError::TooFewStops { count: stops.len() });
    }
    let g = &net.graph;
    let filter = Filter { g, opts };
    let placed = stops.iter().map(|s| place(net, &filter, s)).collect::<Result<Vec<_>, _>>()?;
    placed.windows(2).map(|w| leg(g, &filter, &w[0], &w[1])).collect()
}

fn check_options(opts: &RailOptions) -> Result<(), RailError> {
    if !(opts.snap_km.is_finite() && opts.snap_km >= 0.0) {
        return Err(RailError::BadOption {
            name: "snap_km",
            value: opts.snap_km.to_string(),
            expected: "a distance in kilometres, 0 or more",
        });
    }
    if !(opts.max_turn_deg.is_finite() && (0.0..=180.0).contains(&opts.max_turn_deg)) {
        return Err(RailError::BadOption {
            name: "max_turn_deg",
            value: opts.max_turn_deg.to_string(),
            expected: "an angle in degrees from 0 to 180",
        });
    }
    if opts.gauge == Some(0) {
        return Err(RailError::BadOption { name: "gauge", value: "0".into(), expected: "a gauge in millimetres" });
    }
    Ok(())
}

fn geodesic_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    Geodesic.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// Puts a stop on the track: on a station matching its name, otherwise on the
/// nearest usable track within `snap_km`.
fn place(net: &RailNetwork, filter: &Filter, stop: &RailStop) -> Result<Placed, RailError> {
    let g = &net.graph;
    let here = [stop.point.x(), stop.point.y()];
    let limit_m = filter.opts.snap_km * 1000.0;
    let usable = |s: usize| filter.usable(s);
    let label = stop.label();

    if let Some(name) = &stop.name {
        let q = fold(name);
        if !q.is_empty() {
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
                if best.is_none_or(|(r, bd, _)| (rank, d) < (r, bd)) {
                    best = Some((rank, d, i));
                }
            }
            if let Some((_, _, i)) = best {
                let st = &g.stations[i];
                if let Some(pos) = net.index().nearest(g, st.lonlat, limit_m, usable) {
                    return Ok(finish(
                        g,
                        pos,
                        Snap {
                            point: Point::new(pos.lonlat[0], pos.lonlat[1]),
                            station: Some(st.name.clone()),
                            distance_m: geodesic_m(here, pos.lonlat),
                            by_name: true,
                        },
                        label,
                    ));
                }
            }
        }
    }

    match net.index().nearest(g, here, limit_m, usable) {
        Some(pos) => {
            let d = geodesic_m(here, pos.lonlat);
            if d > limit_m {
                return Err(too_far(net, filter, stop, here, limit_m));
            }
            Ok(finish(
                g,
                pos,
                Snap { point: Point::new(pos.lonlat[0], pos.lonlat[1]), station: None, distance_m: d, by_name: false },
                label,
            ))
        }
        None => Err(too_far(net, filter, stop, here, limit_m)),
    }
}

fn too_far(net: &RailNetwork, filter: &Filter, stop: &RailStop, here: [f64; 2], limit_m: f64) -> RailError {
    let usable = |s: usize| filter.usable(s);
    let distance_km = net
        .index()
        .nearest(&net.graph, here, f64::INFINITY, usable)
        .map(|p| geodesic_m(here, p.lonlat) / 1000.0)
        .unwrap_or(f64::INFINITY);
    RailError::TooFar {
        stop: stop.label(),
        distance_km,
        limit_km: limit_m / 1000.0,
        network: net.graph.info.name.clone(),
    }
}

fn finish(g: &Graph, pos: TrackPos, mut snap: Snap, label: String) -> Placed {
    let node = if pos.offset <= AT_NODE_M {
        Some(g.seg_from[pos.seg] as usize)
    } else if pos.offset >= g.seg_len(pos.seg) - AT_NODE_M {
        Some(g.seg_to[pos.seg] as usize)
    } else {
        None
    };
    if snap.station.is_none() {
        // A stop put right at a station takes its name.
        snap.station = g
            .seg_stations(pos.seg)
            .iter()
            .find(|(k, _)| (pos.u() - *k as f64).abs() < 1e-9)
            .map(|(_, st)| g.stations[*st as usize].name.clone());
    }
    Placed { pos, node, snap, label }
}

#[derive(Clone, Copy, PartialEq)]
struct QueueItem {
    key: f64,
    cost: f64,
    edge: u32,
}

impl Eq for QueueItem {}

impl Ord for QueueItem {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.total_cmp(&self.key).then_with(|| other.edge.cmp(&self.edge))
    }
}

impl PartialOrd for QueueItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const NONE: u32 = u32::MAX;

/// How the best path found ends.
#[derive(Clone, Copy)]
enum End {
    /// Along the shared segment, without any junction.
    Direct,
    /// Arriving at the target node by this directed edge.
    AtNode(u32),
    /// Partly along directed edge `.0` (the target's segment), entered after `.1`
    /// (none when it leaves the first stop's node).
    Partial(u32, Option<u32>),
}

fn leg(g: &Graph, filter: &Filter, a: &Placed, b: &Placed) -> Result<RailLeg, RailError> {
    let max_turn = filter.opts.max_turn_deg;
    let m = 2 * g.segment_count();
    let mut dist = vec![f64::INFINITY; m];
    let mut pred = vec![NONE; m];
    let mut heap = BinaryHeap::new();
    let target = ecef(b.pos.lonlat);
    let h = |d: usize| chord(ecef(g.node_lonlat[g.head(d)]), target);

    let mut best = f64::INFINITY;
    let mut end: Option<End> = None;
    if a.pos.seg == b.pos.seg {
        best = (b.pos.offset - a.pos.offset).abs() * filter.factor(a.pos.seg);
        end = Some(End::Direct);
    }
    if a.node.is_some() && a.node == b.node {
        best = 0.0;
        end = Some(End::Direct);
    }

    // Seeds: from a node, every usable edge leaving it; from inside a segment, both
    // ways along it.
    let mut seed = |d: usize, cost: f64, heap: &mut BinaryHeap<QueueItem>| {
        if cost < dist[d] {
            dist[d] = cost;
            heap.push(QueueItem { key: cost + h(d), cost, edge: d as u32 });
        }
    };
    match a.node {
        Some(v) => {
            for &d in g.out(v) {
                let s = d as usize / 2;
                if !filter.usable(s) {
                    continue;
                }
                if s == b.pos.seg && b.node.is_none() {
                    let part = if d % 2 == 0 { b.pos.offset } else { g.seg_len(s) - b.pos.offset };
                    let c = part * filter.factor(s);
                    if c < best {
                        best = c;
                        end = Some(End::Partial(d, None));
                    }
                }
                if g.seg_kink[s] as f64 <= max_turn {
                    seed(d as usize, g.seg_len(s) * filter.factor(s), &mut heap);
                }
            }
        }
        None => {
            let s = a.pos.seg;
            let f = filter.factor(s);
            seed(2 * s, (g.seg_len(s) - a.pos.offset) * f, &mut heap);
            seed(2 * s + 1, a.pos.offset * f, &mut heap);
        }
    }

    while let Some(QueueItem { key, cost, edge }) = heap.pop() {
        if key >= best {
            break;
        }
        let d = edge as usize;
        if cost > dist[d] {
            continue;
        }
        let v = g.head(d);
        if b.node == Some(v) {
            if cost < best {
                best = cost;
                end = Some(End::AtNode(edge));
            }
            continue;
        }
        let arrive = g.arrive_az(d);
        let outs = g.out(v);
        for &f in outs {
            let f = f as usize;
            let s = f / 2;
            if !filter.usable(s) {
                continue;
            }
            let mut extra = 0.0;
            if f == d ^ 1 {
                // Reversal: only at a terminus, where this is the only way on.
                if outs.len() != 1 {
                    continue;
                }
                extra = REVERSAL_PENALTY_M;
            } else if deviation(arrive, g.depart_az(f)) > max_turn {
                continue;
            }
            let factor = filter.factor(s);
            if s == b.pos.seg && b.node.is_none() {
                let part = if f % 2 == 0 { b.pos.offset } else { g.seg_len(s) - b.pos.offset };
                let c = cost + extra + part * factor;
                if c < best {
                    best = c;
                    end = Some(End::Partial(f as u32, Some(edge)));
                }
            }
            if g.seg_kink[s] as f64 > max_turn {
                continue;
            }
            let c = cost + extra + g.seg_len(s) * factor;
            if c < dist[f] {
                dist[f] = c;
                pred[f] = edge;
                heap.push(QueueItem { key: c + h(f), cost: c, edge: f as u32 });
            }
        }
    }

    let Some(end) = end else {
        return Err(RailError::Unreachable {
            from: a.label.clone(),
            to: b.label.clone(),
            network: g.info.name.clone(),
            gauge: filter.opts.gauge.map(|mm| format!(" for gauge {mm} mm")).unwrap_or_default(),
            max_turn_deg: max_turn,
        });
    };
    Ok(assemble(g, a, b, end, &pred))
}

/// Builds the leg's geometry, stations and gauges from the path found.
fn assemble(g: &Graph, a: &Placed, b: &Placed, end: End, pred: &[u32]) -> RailLeg {
    let mut walk = Walk { g, coords: Vec::new(), stations: Vec::new(), gauges: Vec::new(), reversals: Vec::new() };
    walk.coords.push(Coord { x: a.pos.lonlat[0], y: a.pos.lonlat[1] });
    let (edges, last_partial) = match end {
        End::Direct => (Vec::new(), None),
        End::AtNode(d) => (chain(d, pred), None),
        End::Partial(f, d) => (d.map(|d| chain(d, pred)).unwrap_or_default(), Some(f as usize)),
    };
    if edges.is_empty() && last_partial.is_none() {
        if a.pos.seg == b.pos.seg {
            walk.piece(a.pos.seg, a.pos.u(), b.pos.u());
        }
    } else {
        let mut prev: Option<usize> = None;
        for (i, &d) in edges.iter().enumerate() {
            let s = d / 2;
            let n = (g.seg_range(s).len() - 1) as f64;
            let (from_u, to_u) = if d % 2 == 0 { (0.0, n) } else { (n, 0.0) };
            let start_u = if i == 0 && a.node.is_none() { a.pos.u() } else { from_u };
            if let Some(p) = prev {
                if p == d ^ 1 {
                    let v = g.node_lonlat[g.head(p)];
                    walk.reversals.push(Point::new(v[0], v[1]));
                }
            }
            walk.piece(s, start_u, to_u);
            prev = Some(d);
        }
        if let Some(f) = last_partial {
            let s = f / 2;
            let n = (g.seg_range(s).len() - 1) as f64;
            if let Some(p) = prev {
                if p == f ^ 1 {
                    let v = g.node_lonlat[g.head(p)];
                    walk.reversals.push(Point::new(v[0], v[1]));
                }
            }
            let from_u = if f % 2 == 0 { 0.0 } else { n };
            walk.piece(s, from_u, b.pos.u());
        }
    }
    let end_c = Coord { x: b.pos.lonlat[0], y: b.pos.lonlat[1] };
    if walk.coords.last() != Some(&end_c) {
        walk.coords.push(end_c);
    }
    if walk.coords.len() == 1 {
        walk.coords.push(end_c);
    }
    let mut stations = walk.stations;
    stations.dedup();
    let path = LineString::new(walk.coords);
    let length_m = Geodesic.length(&path);
    RailLeg {
        path,
        length_m,
        gauges_mm: walk.gauges,
        stations,
        from: a.snap.clone(),
        to: b.snap.clone(),
        reversals: walk.reversals,
    }
}

/// The directed edges from the first to `last`, in travel order.
fn chain(last: u32, pred: &[u32]) -> Vec<usize> {
    let mut out = vec![last as usize];
    let mut d = last;
    while pred[d as usize] != NONE {
        d = pred[d as usize];
        out.push(d as usize);
    }
    out.reverse();
    out
}

struct Walk<'a> {
    g: &'a Graph,
    coords: Vec<Coord>,
    stations: Vec<String>,
    gauges: Vec<u32>,
    reversals: Vec<Point>,
}

impl Walk<'_> {
    /// Appends the track of segment `s` from vertex parameter `from_u` to `to_u`
    /// (either direction; the start point is assumed already present).
    fn piece(&mut self, s: usize, from_u: f64, to_u: f64) {
        let g = self.g;
        let base = g.seg_range(s).start;
        let n = g.seg_range(s).len() - 1;
        for &mm in &g.gauge_sets[g.seg_gauge[s] as usize] {
            if !self.gauges.contains(&mm) {
                self.gauges.push(mm);
            }
        }
        let (lo, hi) = (from_u.min(to_u), from_u.max(to_u));
        let mut passed: Vec<(u32, u32)> = g
            .seg_stations(s)
            .iter()
            .copied()
            .filter(|(k, _)| (*k as f64) >= lo - 1e-9 && (*k as f64) <= hi + 1e-9)
            .collect();
        if from_u > to_u {
            passed.reverse();
        }
        for (_, st) in passed {
            let name = &g.stations[st as usize].name;
            if self.stations.last() != Some(name) {
                self.stations.push(name.clone());
            }
        }
        let push = |c: [f64; 2], coords: &mut Vec<Coord>| {
            let c = Coord { x: c[0], y: c[1] };
            if coords.last() != Some(&c) {
                coords.push(c);
            }
        };
        if from_u <= to_u {
            let first = from_u.floor() as usize + 1;
            let last = to_u.ceil() as usize;
            for k in first..last.min(n + 1) {
                push(g.verts[base + k], &mut self.coords);
            }
        } else {
            let first = from_u.ceil() as usize;
            let last = to_u.floor() as usize;
            for k in (last + 1..first.min(n + 1)).rev() {
                push(g.verts[base + k], &mut self.coords);
            }
        }
        let end = pos_at(g, s, (to_u.floor() as usize).min(n - 1), to_u - (to_u.floor()).min((n - 1) as f64));
        push(end.lonlat, &mut self.coords);
    }
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
