//! The embedded Natural Earth basemap: decoding and clipping to the view.
//!
//! `gazetteer/basemap/basemap.bin` is written by `tools/build_basemap.py`
//! (format described there). Coordinates are stored as degrees × 10⁴,
//! x = longitude, y = latitude, zigzag-delta varints, with a bounding box and
//! a byte length per ring so that rings outside the view are skipped without
//! being decoded.

use std::sync::OnceLock;

use geo::Coord;

static BASEMAP: &[u8] = include_bytes!("../../gazetteer/basemap/basemap.bin");
const MAGIC: &[u8] = b"RMBASE1\n";
const Q: f64 = 10_000.0;

/// Which basemap layer to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LayerName {
    Land,
    Lakes,
    Coastline,
    Borders,
    /// First-level administrative boundaries (states, provinces, oblasts).
    Admin1,
    /// Rivers and lake centre-lines; each line carries its name and rank.
    Rivers,
}

impl LayerName {
    fn as_str(self) -> &'static str {
        match self {
            LayerName::Land => "land",
            LayerName::Lakes => "lakes",
            LayerName::Coastline => "coastline",
            LayerName::Borders => "borders",
            LayerName::Admin1 => "admin1",
            LayerName::Rivers => "rivers",
        }
    }

    /// Polygon layers are filled; the others are stroked lines.
    pub(crate) fn is_polygon(self) -> bool {
        matches!(self, LayerName::Land | LayerName::Lakes)
    }
}

struct Layer {
    name: String,
    /// 0 polygon rings, 1 lines, 2 lines with an attribute, 3 text.
    kind: u64,
    level: u32,
    nrings: usize,
    payload: &'static [u8],
}

/// A lon/lat rectangle in degrees; `west..east` may extend past ±180 when
/// the view crosses the antimeridian (longitudes are then "unwrapped").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GeoRect {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn zigzag(buf: &[u8], pos: &mut usize) -> Option<i64> {
    let v = varint(buf, pos)?;
    Some((v >> 1) as i64 ^ -((v & 1) as i64))
}

fn layers() -> &'static [Layer] {
    static LAYERS: OnceLock<Vec<Layer>> = OnceLock::new();
    LAYERS.get_or_init(|| parse_index(BASEMAP).unwrap_or_default())
}

fn parse_index(buf: &'static [u8]) -> Option<Vec<Layer>> {
    if !buf.starts_with(MAGIC) {
        return None;
    }
    let mut pos = MAGIC.len();
    let n = varint(buf, &mut pos)? as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let len = varint(buf, &mut pos)? as usize;
        let name = std::str::from_utf8(buf.get(pos..pos + len)?)
            .ok()?
            .to_owned();
        pos += len;
        let kind = varint(buf, &mut pos)?;
        let level = varint(buf, &mut pos)? as u32;
        let nrings = varint(buf, &mut pos)? as usize;
        let plen = varint(buf, &mut pos)? as usize;
        let payload = buf.get(pos..pos + plen)?;
        pos += plen;
        out.push(Layer {
            name,
            kind,
            level,
            nrings,
            payload,
        });
    }
    Some(out)
}

/// Rings (polygon layers) or lines of `layer` at `level` (10, 50 or 110)
/// that touch `view`, clipped to it. Longitudes are shifted by ±360° where
/// that brings a ring into an unwrapped view. Coordinates: x = lon, y = lat,
/// degrees.
pub(crate) fn query(layer: LayerName, level: u32, view: &GeoRect) -> Vec<Vec<Coord<f64>>> {
    let mut out = Vec::new();
    each_ring(layer, level, view, |_, mut pieces| out.append(&mut pieces));
    out
}

/// A named line of an attributed layer ([`LayerName::Rivers`]), clipped
/// to the view: its name, its Natural Earth scale rank (0 = most important)
/// and its pieces inside the view (lon, lat degrees).
#[derive(Debug, Clone)]
pub(crate) struct NamedLine {
    pub name: &'static str,
    pub rank: u32,
    pub pieces: Vec<Vec<Coord<f64>>>,
}

/// The lines of an attributed layer that touch `view`, with their names.
pub(crate) fn query_named(layer: LayerName, level: u32, view: &GeoRect) -> Vec<NamedLine> {
    let names = names();
    let mut out = Vec::new();
    each_ring(layer, level, view, |attr, pieces| {
        out.push(NamedLine {
            name: names.get((attr / 16) as usize).copied().unwrap_or(""),
            rank: (attr % 16) as u32,
            pieces,
        })
    });
    out
}

/// The names an attributed ring points to (the "names" text layer).
fn names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        layers()
            .iter()
            .find(|l| l.kind == 3 && l.name == "names")
            .and_then(|l| std::str::from_utf8(l.payload).ok())
            .map(|t| t.split('\n').collect())
            .unwrap_or_default()
    })
}

/// Calls `f(attr, pieces)` for every ring of the layer touching `view`,
/// clipped to it (attr is 0 for layers without one).
fn each_ring(
    layer: LayerName,
    level: u32,
    view: &GeoRect,
    mut f: impl FnMut(u64, Vec<Vec<Coord<f64>>>),
) {
    let Some(l) = layers()
        .iter()
        .find(|l| l.name == layer.as_str() && l.level == level)
    else {
        return;
    };
    let buf = l.payload;
    let mut pos = 0;
    for _ in 0..l.nrings {
        let attr = if l.kind == 2 {
            match varint(buf, &mut pos) {
                Some(a) => a,
                None => return,
            }
        } else {
            0
        };
        let (Some(x0), Some(y0), Some(x1), Some(y1), Some(npts), Some(nbytes)) = (
            zigzag(buf, &mut pos),
            zigzag(buf, &mut pos),
            zigzag(buf, &mut pos),
            zigzag(buf, &mut pos),
            varint(buf, &mut pos),
            varint(buf, &mut pos),
        ) else {
            return;
        };
        let body_start = pos;
        pos += nbytes as usize;
        let (x0, y0, x1, y1) = (x0 as f64 / Q, y0 as f64 / Q, x1 as f64 / Q, y1 as f64 / Q);
        if y1 < view.south || y0 > view.north {
            continue;
        }
        let mut decoded: Option<Vec<Coord<f64>>> = None;
        for shift in [-360.0, 0.0, 360.0] {
            if x1 + shift < view.west || x0 + shift > view.east {
                continue;
            }
            let pts = decoded.get_or_insert_with(|| decode(buf, body_start, npts as usize));
            let shifted: Vec<Coord<f64>> = pts
                .iter()
                .map(|c| Coord {
                    x: c.x + shift,
                    y: c.y,
                })
                .collect();
            let inside = x0 + shift >= view.west
                && x1 + shift <= view.east
                && y0 >= view.south
                && y1 <= view.north;
            let pieces = if inside {
                vec![shifted]
            } else if layer.is_polygon() {
                let clipped = clip_polygon(&shifted, view);
                if clipped.len() >= 3 {
                    vec![clipped]
                } else {
                    Vec::new()
                }
            } else {
                clip_line(&shifted, view)
            };
            if !pieces.is_empty() {
                f(attr, pieces);
            }
        }
    }
}

fn decode(buf: &[u8], mut pos: usize, n: usize) -> Vec<Coord<f64>> {
    let mut pts = Vec::with_capacity(n);
    let (mut x, mut y) = (0i64, 0i64);
    for _ in 0..n {
        let (Some(dx), Some(dy)) = (zigzag(buf, &mut pos), zigzag(buf, &mut pos)) else {
            break;
        };
        x += dx;
        y += dy;
        pts.push(Coord {
            x: x as f64 / Q,
            y: y as f64 / Q,
        });
    }
    pts
}

/// Sutherland–Hodgman clipping of one ring against a rectangle. The result
/// may run along the rectangle's edges; that is harmless for filling since
/// the view rectangle lies outside the drawn frame.
pub(crate) fn clip_polygon(ring: &[Coord<f64>], r: &GeoRect) -> Vec<Coord<f64>> {
    let mut pts: Vec<Coord<f64>> = ring.to_vec();
    // (axis is x?, bound, keep when coordinate >= bound?)
    let edges = [
        (true, r.west, true),
        (true, r.east, false),
        (false, r.south, true),
        (false, r.north, false),
    ];
    for (is_x, bound, keep_ge) in edges {
        if pts.is_empty() {
            break;
        }
        let inside = |c: &Coord<f64>| {
            let v = if is_x { c.x } else { c.y };
            if keep_ge {
                v >= bound
            } else {
                v <= bound
            }
        };
        let cut = |a: &Coord<f64>, b: &Coord<f64>| {
            let (va, vb) = if is_x { (a.x, b.x) } else { (a.y, b.y) };
            let t = (bound - va) / (vb - va);
            Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            }
        };
        let mut out = Vec::with_capacity(pts.len());
        let mut prev = pts[pts.len() - 1];
        let mut prev_in = inside(&prev);
        for &cur in &pts {
            let cur_in = inside(&cur);
            if cur_in {
                if !prev_in {
                    out.push(cut(&prev, &cur));
                }
                out.push(cur);
            } else if prev_in {
                out.push(cut(&prev, &cur));
            }
            prev = cur;
            prev_in = cur_in;
        }
        pts = out;
    }
    pts
}

/// Clips a polyline to a rectangle (Liang–Barsky per segment), returning
/// the pieces inside.
pub(crate) fn clip_line(line: &[Coord<f64>], r: &GeoRect) -> Vec<Vec<Coord<f64>>> {
    let mut pieces = Vec::new();
    let mut cur: Vec<Coord<f64>> = Vec::new();
    for w in line.windows(2) {
        match clip_segment(w[0], w[1], r) {
            Some((a, b, a_moved, b_moved)) => {
                if cur.is_empty() || a_moved {
                    if cur.len() >= 2 {
                        pieces.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(a);
                }
                cur.push(b);
                if b_moved {
                    pieces.push(std::mem::take(&mut cur));
                }
            }
            None => {
                if cur.len() >= 2 {
                    pieces.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() >= 2 {
        pieces.push(cur);
    }
    pieces
}

type Clipped = (Coord<f64>, Coord<f64>, bool, bool);

fn clip_segment(a: Coord<f64>, b: Coord<f64>, r: &GeoRect) -> Option<Clipped> {
    let (t0, t1) = liang_barsky((a.x, a.y), (b.x, b.y), (r.west, r.south, r.east, r.north))?;
    let at = |t: f64| Coord {
        x: a.x + (b.x - a.x) * t,
        y: a.y + (b.y - a.y) * t,
    };
    Some((at(t0), at(t1), t0 > 0.0, t1 < 1.0))
}

/// The part of segment a–b inside the box (x0, y0, x1, y1), as parameters
/// t0 ≤ t1 along it (Liang & Barsky 1984), or `None` when it misses.
pub(crate) fn liang_barsky(
    a: (f64, f64),
    b: (f64, f64),
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_and_level_is_present() {
        for level in [10, 50, 110] {
            for name in ["land", "lakes", "coastline", "borders", "rivers"] {
                let l = layers().iter().find(|l| l.name == name && l.level == level);
                assert!(l.is_some_and(|l| l.nrings > 0), "{name} {level}");
            }
        }
    }

    #[test]
    fn query_returns_only_what_touches_the_view() {
        // Around the Korean peninsula: land exists, and every vertex is inside.
        let view = GeoRect {
            west: 124.0,
            south: 37.0,
            east: 132.0,
            north: 44.0,
        };
        let rings = query(LayerName::Land, 10, &view);
        assert!(!rings.is_empty());
        for r in &rings {
            for c in r {
                assert!(c.x >= 124.0 - 1e-9 && c.x <= 132.0 + 1e-9, "{c:?}");
                assert!(c.y >= 37.0 - 1e-9 && c.y <= 44.0 + 1e-9, "{c:?}");
            }
        }
        // The open Pacific south of Hawaii has no land.
        let sea = GeoRect {
            west: -150.0,
            south: 5.0,
            east: -145.0,
            north: 10.0,
        };
        assert!(query(LayerName::Land, 10, &sea).is_empty());
    }

    #[test]
    fn unwrapped_views_find_land_across_the_antimeridian() {
        // 170°E..190°E (= 170°W) holds Chukotka/Alaska at 60..70°N.
        let view = GeoRect {
            west: 170.0,
            south: 60.0,
            east: 200.0,
            north: 70.0,
        };
        let rings = query(LayerName::Land, 50, &view);
        assert!(rings.iter().flatten().any(|c| c.x > 190.0));
        assert!(rings.iter().flatten().any(|c| c.x < 180.0));
    }

    #[test]
    fn clip_polygon_keeps_a_square_inside() {
        let sq = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
            .map(|(x, y)| Coord { x, y })
            .to_vec();
        let r = GeoRect {
            west: 5.0,
            south: -5.0,
            east: 20.0,
            north: 5.0,
        };
        let c = clip_polygon(&sq, &r);
        assert!(c.iter().all(|p| p.x >= 5.0 && p.y <= 5.0));
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn clip_line_splits_at_the_edges() {
        let line = [(-5.0, 1.0), (5.0, 1.0), (15.0, 1.0), (5.0, 2.0)]
            .map(|(x, y)| Coord { x, y })
            .to_vec();
        let r = GeoRect {
            west: 0.0,
            south: 0.0,
            east: 10.0,
            north: 10.0,
        };
        let pieces = clip_line(&line, &r);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0][0], Coord { x: 0.0, y: 1.0 });
    }
}
