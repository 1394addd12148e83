//! Finding legal train paths (A* on directed segments) between stops put on
//! the track by [`super::snap`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::{Coord, LineString, Point};

use super::graph::{deviation, Filter, Graph};
use super::snap::{chord, ecef, geodesic_m, place, pos_at, Placed};
use super::{
    RailError, RailLeg, RailNetwork, RailOptions, RailStop, Reversal, DETOUR_FACTOR,
    REVERSAL_PENALTY_KM,
};

/// Cost of a reversal, metres of track.
const REVERSAL_PENALTY_M: f64 = REVERSAL_PENALTY_KM * 1000.0;
/// A detour is reported only when it is also at least this much longer than the
/// shortest path along the track, metres.
const DETOUR_MIN_EXTRA_M: f64 = 20_000.0;
/// A reversal is said to be near the nearest station up to this far, metres.
const REVERSAL_NEAR_M: f64 = 30_000.0;

pub(crate) fn route(
    net: &RailNetwork,
    stops: &[RailStop],
    opts: &RailOptions,
) -> Result<Vec<RailLeg>, RailError> {
    check_options(opts)?;
    if stops.len() < 2 {
        return Err(RailError::TooFewStops { count: stops.len() });
    }
    // Non-finite or out-of-range points would poison distances and the R-tree.
    if let Some(s) = stops.iter().find(|s| {
        let (lon, lat) = (s.point.x(), s.point.y());
        !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0)
    }) {
        return Err(RailError::BadOption {
            name: "stop",
            value: format!("{} at lon {}, lat {}", s.label(), s.point.x(), s.point.y()),
            expected: "a point with finite longitude (-180..180) and latitude (-90..90)",
        });
    }
    let g = &net.graph;
    let filter = Filter { g, opts };
    let placed = stops
        .iter()
        .map(|s| place(net, &filter, s))
        .collect::<Result<Vec<_>, _>>()?;
    placed
        .windows(2)
        .map(|w| {
            let mut found = leg(g, &filter, &w[0], &w[1], false)?;
            // A leg much longer than the track between its ends, or one that
            // reverses, is compared with the shortest path along the track that
            // ignores where trains can turn: a detour is never silent.
            let (a, b) = (found.from.point, found.to.point);
            let straight = geodesic_m([a.x(), a.y()], [b.x(), b.y()]);
            if !found.reversals.is_empty() || found.length_m > DETOUR_FACTOR * straight {
                if let Ok(free) = leg(g, &filter, &w[0], &w[1], true) {
                    if found.length_m > DETOUR_FACTOR * free.length_m
                        && found.length_m - free.length_m >= DETOUR_MIN_EXTRA_M
                    {
                        found.detour_shortest_m = Some(free.length_m);
                    }
                }
            }
            Ok(found)
        })
        .collect()
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
        return Err(RailError::BadOption {
            name: "gauge",
            value: "0".into(),
            expected: "a gauge in millimetres",
        });
    }
    Ok(())
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
        other
            .key
            .total_cmp(&self.key)
            .then_with(|| other.edge.cmp(&self.edge))
    }
}

impl PartialOrd for QueueItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const NONE: u32 = u32::MAX;

/// How the best path found ends; `bi` is the target candidate reached.
#[derive(Clone, Copy)]
enum End {
    /// From source candidate `ai` along the shared segment, or at the shared node.
    Direct { ai: usize, bi: usize },
    /// Arriving at the target node by this directed edge.
    AtNode { edge: u32, bi: usize },
    /// Partly along directed edge `f` (the target's segment), entered after `prev`
    /// (none when `f` leaves source candidate `ai`'s node).
    Partial {
        f: u32,
        prev: Option<u32>,
        ai: usize,
        bi: usize,
    },
}

/// The best legal path from `a` to `b`; with `free`, the shortest path along the
/// track ignoring turn limits and reversal rules (to judge detours).
fn leg(
    g: &Graph,
    filter: &Filter,
    a: &Placed,
    b: &Placed,
    free: bool,
) -> Result<RailLeg, RailError> {
    let max_turn = if free {
        180.0
    } else {
        filter.opts.max_turn_deg
    };
    let m = 2 * g.segment_count();
    let mut dist = vec![f64::INFINITY; m];
    let mut pred = vec![NONE; m];
    // Seed edges and the source candidate each starts from.
    let mut seeds: Vec<(u32, usize)> = Vec::new();
    let mut heap = BinaryHeap::new();
    let targets: Vec<[f64; 3]> = b.cands.iter().map(|c| ecef(c.pos.lonlat)).collect();
    let h = |d: usize| {
        let p = ecef(g.node_lonlat[g.head(d)]);
        targets
            .iter()
            .map(|t| chord(p, *t))
            .fold(f64::INFINITY, f64::min)
    };
    // Cost to the target candidate on segment `s` entering it by directed edge `f`.
    let partial = |f: usize| -> Option<(f64, usize)> {
        let s = f / 2;
        b.cands
            .iter()
            .enumerate()
            .filter(|(_, c)| c.node.is_none() && c.pos.seg == s)
            .map(|(bi, c)| {
                let part = if f % 2 == 0 {
                    c.pos.offset
                } else {
                    g.seg_len(s) - c.pos.offset
                };
                (part * filter.factor(s), bi)
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))
    };

    let mut best = f64::INFINITY;
    let mut end: Option<End> = None;
    for (ai, ca) in a.cands.iter().enumerate() {
        for (bi, cb) in b.cands.iter().enumerate() {
            let c = if ca.node.is_some() && ca.node == cb.node {
                0.0
            } else if ca.pos.seg == cb.pos.seg {
                (cb.pos.offset - ca.pos.offset).abs() * filter.factor(ca.pos.seg)
            } else {
                continue;
            };
            if c < best {
                best = c;
                end = Some(End::Direct { ai, bi });
            }
        }
    }

    // Seeds: from a node, every usable edge leaving it; from inside a segment, both
    // ways along it.
    for (ai, ca) in a.cands.iter().enumerate() {
        let mut seed = |d: usize, cost: f64| {
            if cost < dist[d] {
                dist[d] = cost;
                seeds.push((d as u32, ai));
                heap.push(QueueItem {
                    key: cost + h(d),
                    cost,
                    edge: d as u32,
                });
            }
        };
        match ca.node {
            Some(v) => {
                for &d in g.out(v) {
                    let (d, s) = (d as usize, d as usize / 2);
                    if !filter.usable(s) {
                        continue;
                    }
                    if let Some((c, bi)) = partial(d) {
                        if c < best {
                            best = c;
                            end = Some(End::Partial {
                                f: d as u32,
                                prev: None,
                                ai,
                                bi,
                            });
                        }
                    }
                    if g.seg_kink[s] as f64 <= max_turn {
                        seed(d, g.seg_len(s) * filter.factor(s));
                    }
                }
            }
            None => {
                let s = ca.pos.seg;
                let f = filter.factor(s);
                seed(2 * s, (g.seg_len(s) - ca.pos.offset) * f);
                seed(2 * s + 1, ca.pos.offset * f);
            }
        }
    }

    // On a graph whose lengths match its coordinates the estimate is
    // consistent and each directed edge is settled about once; a damaged one
    // could make the search run on for ever (found by fuzzing), so it is
    // bounded.
    let limit = search_limit(m);
    let mut steps: u64 = 0;
    while let Some(QueueItem { key, cost, edge }) = heap.pop() {
        if key >= best {
            break;
        }
        let d = edge as usize;
        if cost > dist[d] {
            continue;
        }
        steps += 1;
        if steps > limit {
            return Err(RailError::SearchLimit {
                from: a.label.clone(),
                to: b.label.clone(),
                network: g.info.name.clone(),
                steps,
            });
        }
        let v = g.head(d);
        if let Some(bi) = b.cands.iter().position(|c| c.node == Some(v)) {
            if cost < best {
                best = cost;
                end = Some(End::AtNode { edge, bi });
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
            if !free && is_reversal(g, d, f, arrive, max_turn) {
                // A train reverses only at a terminus or a junction (never in the
                // middle of a line), onto track leading back the way it came.
                let approx = g.seg_free_turn[d / 2] || g.seg_free_turn[s];
                if outs.len() == 2
                    || (f != d ^ 1
                        && !approx
                        && deviation(arrive + 180.0, g.depart_az(f)) > max_turn)
                {
                    continue;
                }
                extra = REVERSAL_PENALTY_M;
            }
            if let Some((c, bi)) = partial(f) {
                let c = cost + extra + c;
                if c < best {
                    best = c;
                    end = Some(End::Partial {
                        f: f as u32,
                        prev: Some(edge),
                        ai: 0,
                        bi,
                    });
                }
            }
            if g.seg_kink[s] as f64 > max_turn {
                continue;
            }
            let c = cost + extra + g.seg_len(s) * filter.factor(s);
            if c < dist[f] {
                dist[f] = c;
                pred[f] = edge;
                heap.push(QueueItem {
                    key: c + h(f),
                    cost: c,
                    edge: f as u32,
                });
            }
        }
    }

    let Some(end) = end else {
        return Err(RailError::Unreachable {
            from: a.label.clone(),
            to: b.label.clone(),
            network: g.info.name.clone(),
            gauge: filter
                .opts
                .gauge
                .map(|mm| format!(" for gauge {mm} mm"))
                .unwrap_or_default(),
            max_turn_deg: max_turn,
        });
    };
    Ok(assemble(g, a, b, end, &pred, &seeds, max_turn))
}

/// The most queue items a search on `m` directed edges may settle: each edge
/// a few times over (a stale entry is skipped without counting), and ample
/// room for small networks.
pub(crate) fn search_limit(m: usize) -> u64 {
    8 * m as u64 + 10_000
}

/// Whether going on from directed edge `d` (arriving with azimuth `arrive`) to
/// `f` is a reversal: back along the same track, or a change of direction sharper
/// than `max_turn` — except onto or off a link whose direction is not known
/// (between a corridor and real track).
fn is_reversal(g: &Graph, d: usize, f: usize, arrive: f64, max_turn: f64) -> bool {
    if f == d ^ 1 {
        return true;
    }
    if g.seg_free_turn[d / 2] || g.seg_free_turn[f / 2] {
        return false;
    }
    deviation(arrive, g.depart_az(f)) > max_turn
}

/// Builds the leg's geometry, stations and gauges from the path found.
fn assemble(
    g: &Graph,
    a: &Placed,
    b: &Placed,
    end: End,
    pred: &[u32],
    seeds: &[(u32, usize)],
    max_turn: f64,
) -> RailLeg {
    let (edges, last_partial, ai, bi) = match end {
        End::Direct { ai, bi } => (Vec::new(), None, ai, bi),
        End::AtNode { edge, bi } => (chain(edge, pred), None, 0, bi),
        End::Partial { f, prev, ai, bi } => (
            prev.map(|d| chain(d, pred)).unwrap_or_default(),
            Some(f as usize),
            ai,
            bi,
        ),
    };
    // The source candidate is the one the first edge was seeded from (the last seed
    // recorded for it is the one that set its cost).
    let ai = match edges.first() {
        Some(&d0) => seeds
            .iter()
            .rev()
            .find(|(d, _)| *d as usize == d0)
            .map(|x| x.1)
            .unwrap_or(ai),
        None => ai,
    };
    let (ca, cb) = (a.cands[ai], b.cands[bi]);
    let mut walk = Walk {
        g,
        coords: Vec::new(),
        stations: Vec::new(),
        station_points: Vec::new(),
        gauges: Vec::new(),
        reversals: Vec::new(),
        length: 0.0,
        approx_m: 0.0,
        approx_ranges: Vec::new(),
        max_turn,
    };
    walk.coords.push(Coord {
        x: ca.pos.lonlat[0],
        y: ca.pos.lonlat[1],
    });
    if edges.is_empty() && last_partial.is_none() {
        if ca.pos.seg == cb.pos.seg {
            walk.piece(ca.pos.seg, ca.pos.u(), cb.pos.u());
        }
    } else {
        let mut prev: Option<usize> = None;
        for (i, &d) in edges.iter().enumerate() {
            let s = d / 2;
            let n = (g.seg_range(s).len() - 1) as f64;
            let (from_u, to_u) = if d % 2 == 0 { (0.0, n) } else { (n, 0.0) };
            let start_u = if i == 0 && ca.node.is_none() {
                ca.pos.u()
            } else {
                from_u
            };
            walk.turn(prev, d);
            walk.piece(s, start_u, to_u);
            prev = Some(d);
        }
        if let Some(f) = last_partial {
            let s = f / 2;
            let n = (g.seg_range(s).len() - 1) as f64;
            walk.turn(prev, f);
            walk.piece(s, if f % 2 == 0 { 0.0 } else { n }, cb.pos.u());
        }
    }
    let end_c = Coord {
        x: cb.pos.lonlat[0],
        y: cb.pos.lonlat[1],
    };
    if walk.coords.last() != Some(&end_c) || walk.coords.len() == 1 {
        walk.coords.push(end_c);
    }
    let mut stations = walk.stations;
    let mut points = walk.station_points;
    if let Some(name) = &a.station {
        if stations.first() != Some(name) {
            stations.insert(0, name.clone());
            points.insert(0, Point::new(ca.pos.lonlat[0], ca.pos.lonlat[1]));
        }
    }
    if let Some(name) = &b.station {
        if stations.last() != Some(name) {
            stations.push(name.clone());
            points.push(Point::new(cb.pos.lonlat[0], cb.pos.lonlat[1]));
        }
    }
    // Drop repeats of the same name in a row, keeping the first point of each.
    let mut passed: Vec<(String, Point)> = Vec::with_capacity(stations.len());
    for (name, point) in stations.into_iter().zip(points) {
        if passed.last().is_none_or(|(last, _)| *last != name) {
            passed.push((name, point));
        }
    }
    let (stations, station_points) = passed.into_iter().unzip();
    let approximate_parts = walk
        .approx_ranges
        .iter()
        .map(|&(i, j)| LineString::new(walk.coords[i..=j.min(walk.coords.len() - 1)].to_vec()))
        .filter(|l| l.0.len() >= 2)
        .collect();
    let reversals = walk
        .reversals
        .iter()
        .map(|p| Reversal {
            point: *p,
            near: g
                .stations
                .iter()
                .map(|st| (geodesic_m([p.x(), p.y()], st.lonlat), &st.name))
                .filter(|(d, _)| *d <= REVERSAL_NEAR_M)
                .min_by(|x, y| x.0.total_cmp(&y.0))
                .map(|(_, n)| n.clone()),
        })
        .collect();
    RailLeg {
        path: LineString::new(walk.coords),
        length_m: walk.length,
        gauges_mm: walk.gauges,
        stations,
        station_points,
        from: a.snap(g, ai),
        to: b.snap(g, bi),
        reversals,
        approximate_m: walk.approx_m,
        approximate_parts,
        detour_shortest_m: None,
    }
}

/// The point of segment `s` nearest to `lonlat` on the two edges either side of
/// its local vertex `k` (the vertex a station is attached to): the vertex itself
/// for a station standing on the track, the foot of the perpendicular for one
/// beside a long straight edge. Planar in degrees scaled by the cosine of the
/// latitude, which is ample over the kilometre a station may stand off the track.
fn on_track_near(g: &Graph, s: usize, k: usize, lonlat: [f64; 2]) -> [f64; 2] {
    let range = g.seg_range(s);
    let v = |i: usize| g.verts[range.start + i];
    let n = range.len();
    let k = k.min(n - 1);
    let c = lonlat[1].to_radians().cos().max(1e-6);
    let mut best = v(k);
    let mut best_d2 = f64::INFINITY;
    for (i, j) in [(k.saturating_sub(1), k), (k, (k + 1).min(n - 1))] {
        let (a, b) = (v(i), v(j));
        let (ax, ay) = ((a[0] - lonlat[0]) * c, a[1] - lonlat[1]);
        let (bx, by) = ((b[0] - lonlat[0]) * c, b[1] - lonlat[1]);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (px, py) = (ax + t * dx, ay + t * dy);
        let d2 = px * px + py * py;
        if d2 < best_d2 {
            best_d2 = d2;
            // The vertices themselves exactly, not up to rounding.
            best = match t {
                0.0 => a,
                1.0 => b,
                _ => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])],
            };
        }
    }
    best
}

/// The directed edges from the first to `last`, in travel order.
fn chain(last: u32, pred: &[u32]) -> Vec<usize> {
    let mut out = vec![last as usize];
    let mut d = last;
    // A path visits each directed edge at most once: a longer chain would be
    // a cycle, which only a damaged graph could make.
    while pred[d as usize] != NONE && out.len() <= pred.len() {
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
    /// Where the track passes each of `stations`.
    station_points: Vec<Point>,
    gauges: Vec<u32>,
    reversals: Vec<Point>,
    /// Track length walked so far, metres.
    length: f64,
    /// Of which on approximate track, metres.
    approx_m: f64,
    /// Ranges of `coords` (first, last index) on approximate track.
    approx_ranges: Vec<(usize, usize)>,
    max_turn: f64,
}

impl Walk<'_> {
    /// Records a reversal when `next` runs back along `prev` or leaves it at an
    /// angle no train can take without reversing.
    fn turn(&mut self, prev: Option<usize>, next: usize) {
        let Some(prev) = prev else { return };
        if is_reversal(self.g, prev, next, self.g.arrive_az(prev), self.max_turn) {
            let v = self.g.node_lonlat[self.g.head(prev)];
            self.reversals.push(Point::new(v[0], v[1]));
        }
    }

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
        let cum = |u: f64| {
            let k = (u.floor() as usize).min(n - 1);
            let t = (u - k as f64).clamp(0.0, 1.0);
            g.vert_cum[base + k] + t * (g.vert_cum[base + k + 1] - g.vert_cum[base + k])
        };
        self.length += cum(hi) - cum(lo);
        let first_coord = self.coords.len().saturating_sub(1);
        if g.seg_approx[s] {
            self.approx_m += cum(hi) - cum(lo);
        }
        let mut passed: Vec<(u32, u32)> = g
            .seg_stations(s)
            .iter()
            .copied()
            .filter(|(k, _)| (*k as f64) >= lo - 1e-9 && (*k as f64) <= hi + 1e-9)
            .collect();
        if from_u > to_u {
            passed.reverse();
        }
        for (k, st) in passed {
            let name = &g.stations[st as usize].name;
            if self.stations.last() != Some(name) {
                self.stations.push(name.clone());
                let p = on_track_near(g, s, k as usize, g.stations[st as usize].lonlat);
                self.station_points.push(Point::new(p[0], p[1]));
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
        let end = pos_at(
            g,
            s,
            (to_u.floor() as usize).min(n - 1),
            to_u - (to_u.floor()).min((n - 1) as f64),
        );
        push(end.lonlat, &mut self.coords);
        if g.seg_approx[s] {
            let last = self.coords.len() - 1;
            match self.approx_ranges.last_mut() {
                Some(r) if r.1 == first_coord => r.1 = last,
                _ => self.approx_ranges.push((first_coord, last)),
            }
        }
    }
}
