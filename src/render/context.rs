//! The context stage: what explains the place around the route. Rivers and
//! first-level boundaries drawn under the route; cities and towns as dots
//! with labels, river names along their lines, sea, ocean and lake names in
//! italics and region names, each placed only where it touches nothing
//! already on the map (stops, their labels, distance labels, furniture) and
//! crosses no leg. What shows is chosen by the map's scale, in metres per
//! pixel, from Natural Earth ranks (`gazetteer/basemap/`).

use std::sync::OnceLock;

use super::basemap::{self, GeoRect, LayerName};
use super::layout::{
    positions_around, text_box, BoxKind, Frame, PlacedBox, Placer, Pts, Rect, Scene, TextItem,
};
use super::text;
use super::MapWaypoint;

/// A labelled place of `gazetteer/basemap/context_labels.tsv`.
struct Place {
    kind: Kind,
    name: String,
    /// Natural Earth scale rank: 0 is the most important.
    rank: u32,
    /// Population for cities, area in square degrees for water.
    size: u64,
    /// lon, lat, clearance (degrees of latitude), best first.
    anchors: Anchors,
}

/// A place's label anchors: the table's text, read only for the places a
/// map looks at (reading all 12,000 rows' coordinates cost each map about
/// 10 ms), or a list.
enum Anchors {
    Text(&'static str),
    List(Vec<(f64, f64, f64)>),
}

impl Place {
    /// The anchors, best first.
    fn anchors(&self) -> Vec<(f64, f64, f64)> {
        match &self.anchors {
            Anchors::Text(t) => t.split(';').filter_map(parse_anchor).collect(),
            Anchors::List(v) => v.clone(),
        }
    }

    /// The best anchor.
    fn first_anchor(&self) -> Option<(f64, f64, f64)> {
        match &self.anchors {
            Anchors::Text(t) => t.split(';').next().and_then(parse_anchor),
            Anchors::List(v) => v.first().copied(),
        }
    }
}

/// `lon,lat,clearance`.
pub(crate) fn parse_anchor(a: &str) -> Option<(f64, f64, f64)> {
    let mut v = a.split(',').map(|x| x.parse::<f64>());
    Some((v.next()?.ok()?, v.next()?.ok()?, v.next()?.ok()?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Capital,
    City,
    Ocean,
    Sea,
    Lake,
    Region,
}

/// Reads the embedded place table now rather than at the first map's
/// cities (the layout reads it on a thread of its own while the basemap is
/// clipped).
pub(crate) fn read_tables() {
    places();
}

fn places() -> &'static [Place] {
    static TSV: &str = include_str!("../../gazetteer/basemap/context_labels.tsv");
    static LIST: OnceLock<Vec<Place>> = OnceLock::new();
    LIST.get_or_init(|| TSV.lines().skip(1).filter_map(parse_row).collect())
}

fn parse_row(line: &'static str) -> Option<Place> {
    let mut f = line.split('\t');
    let kind = match f.next()? {
        "capital" => Kind::Capital,
        "city" => Kind::City,
        "ocean" => Kind::Ocean,
        "sea" => Kind::Sea,
        "lake" => Kind::Lake,
        "region" => Kind::Region,
        _ => return None,
    };
    let name = f.next()?.to_owned();
    let rank = f.next()?.parse().ok()?;
    let size = f.next()?.parse().ok()?;
    let anchors = Anchors::Text(f.next()?);
    Some(Place {
        kind,
        name,
        rank,
        size,
        anchors,
    })
}

/// What the scale shows: the highest Natural Earth rank drawn per layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Choice {
    pub river_rank: u32,
    pub city_rank: u32,
    pub sea_rank: u32,
    pub lake_rank: u32,
    /// First-level boundaries and region names (regional maps only).
    pub regions: bool,
    /// City scale: the city is an area, named without a dot.
    pub city_scale: bool,
    /// Large scale: name the gazetteer's places around the route too.
    pub local_places: bool,
}

/// The layers worth showing at `m_per_px` metres per pixel.
pub(crate) fn choose(m_per_px: f64) -> Choice {
    let pick = |steps: &[(f64, u32)], last: u32| {
        steps
            .iter()
            .find(|(m, _)| m_per_px > *m)
            .map_or(last, |s| s.1)
    };
    Choice {
        river_rank: pick(&[(15_000.0, 2), (5_000.0, 5), (2_500.0, 7), (300.0, 9)], 10),
        city_rank: pick(
            &[
                (15_000.0, 1),
                (5_000.0, 3),
                (1_500.0, 5),
                (500.0, 6),
                (150.0, 7),
            ],
            10,
        ),
        sea_rank: pick(&[(15_000.0, 1), (3_000.0, 4), (800.0, 6)], 8),
        lake_rank: pick(&[(15_000.0, 0), (3_000.0, 3), (800.0, 5)], 6),
        regions: (250.0..6_000.0).contains(&m_per_px),
        city_scale: m_per_px < 40.0,
        local_places: m_per_px < 200.0,
    }
}

/// Projects the context lines (rivers, first-level boundaries) into the
/// scene, and returns the rivers with their names for labelling.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lines(
    geo: &Frame,
    m_per_px: f64,
    level: u32,
    view: &GeoRect,
    choice: &Choice,
    min_px: f64,
    visible: &dyn Fn(&Pts) -> bool,
    scene: &mut Scene,
) -> Vec<(&'static str, u32, f64, Vec<Pts>)> {
    let mut named = Vec::new();
    for line in basemap::query_named(LayerName::Rivers, level, view) {
        if line.rank > choice.river_rank {
            continue;
        }
        let pts: Vec<Pts> = line
            .pieces
            .iter()
            .flat_map(|p| geo.project_line(p, min_px, false))
            .filter(|p| visible(p))
            .collect();
        if pts.is_empty() {
            continue;
        }
        let width = river_width(line.rank, m_per_px);
        for p in &pts {
            scene.rivers.push((width, p.clone()));
        }
        if !line.name.is_empty() {
            named.push((line.name, line.rank, width, pts));
        }
    }
    if choice.regions {
        let lvl = if level == 10 { 10 } else { 50 };
        scene.admin1 = basemap::query(LayerName::Admin1, lvl, view)
            .iter()
            .flat_map(|l| geo.project_line(l, min_px, false))
            .filter(|p| visible(p))
            .collect();
    }
    named
}

/// Stroke width of a river, px: by rank, and on city maps a great river
/// (rank 4 or lower) is drawn about 200 m wide, up to 24 px.
pub(crate) fn river_width(rank: u32, m_per_px: f64) -> f64 {
    let base = match rank {
        0..=3 => 1.6,
        4..=6 => 1.15,
        _ => 0.8,
    };
    if rank <= 4 {
        (200.0 / m_per_px).round().clamp(base, 24.0)
    } else {
        base
    }
}

/// Font size of a city's label, px.
const CITY_SIZE: f64 = 12.5;
/// Radius of a city's dot, px.
pub(crate) const CITY_R: f64 = 2.6;

/// Places cities and towns, most important first, at most about one per
/// 90,000 px² of frame, each clear of the stops (26 px), of the places the
/// route passes and of each other (40 px).
pub(crate) fn place_cities(
    geo: &Frame,
    choice: &Choice,
    local: &[MapWaypoint],
    taken: &[(f64, f64, String)],
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
) {
    let cap = ((placer.frame.w * placer.frame.h / 90_000.0).round() as usize).clamp(2, 24);
    let mut order: Vec<&Place> = places()
        .iter()
        .filter(|p| matches!(p.kind, Kind::Capital | Kind::City) && p.rank <= choice.city_rank)
        .collect();
    order.sort_by_key(|p| (p.rank, std::cmp::Reverse(p.size)));
    let local: Vec<Place> = if choice.local_places {
        local
            .iter()
            .map(|w| Place {
                kind: Kind::City,
                name: w.label.clone(),
                rank: 10,
                size: 0,
                anchors: Anchors::List(vec![(w.lon, w.lat, 0.0)]),
            })
            .collect()
    } else {
        Vec::new()
    };
    order.extend(local.iter());
    let mut dots: Vec<(f64, f64)> = Vec::new();
    let (_, bh) = text_box("", CITY_SIZE, false);
    for p in order {
        if dots.len() >= cap {
            break;
        }
        let Some((lon, lat, _)) = p.first_anchor() else {
            continue;
        };
        let (x, y) = geo.px(geo.unwrap_lon(lon), lat);
        if !x.is_finite() || !placer.frame.inflate(-4.0).contains(x, y) {
            continue;
        }
        let same = |t: &(f64, f64, String)| {
            (t.0 - x).hypot(t.1 - y) < 26.0
                || (fold(&t.2) == fold(&p.name) && (t.0 - x).hypot(t.1 - y) < 120.0)
        };
        if taken.iter().any(same) || dots.iter().any(|d| (d.0 - x).hypot(d.1 - y) < 40.0) {
            continue;
        }
        let bw = text_box(&p.name, CITY_SIZE, p.rank <= 2).0;
        if choice.city_scale {
            // A city on a city map is an area: its name alone, centred.
            let r = Rect::new(x - bw / 2.0, y - bh / 2.0, bw, bh);
            if !placer.free(&r) || placer.crossings(&r, None) > 0 {
                continue;
            }
            placer.add(r);
            dots.push((x, y));
            push_label(boxes, scene, BoxKind::CityLabel, p, r, "middle", CITY_SIZE);
            continue;
        }
        let rr = CITY_R + 1.5;
        let dot = Rect::new(x - rr, y - rr, 2.0 * rr, 2.0 * rr);
        if !placer.free(&dot) {
            continue;
        }
        let Some((lr, align)) = beside(x, y, bw, bh, CITY_R + 3.0, placer, &dot) else {
            continue;
        };
        placer.add(dot);
        placer.add(lr);
        dots.push((x, y));
        boxes.push(PlacedBox {
            kind: BoxKind::City,
            text: p.name.clone(),
            rect: dot,
            leader: None,
        });
        scene.cities.push((x, y, p.kind == Kind::Capital));
        push_label(boxes, scene, BoxKind::CityLabel, p, lr, align, CITY_SIZE);
    }
}

/// Lower-case letters and digits only, for comparing names.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first free label box beside a dot at (x, y), right, left, then the
/// diagonals, above and below, clear of the route line.
pub(crate) fn beside(
    x: f64,
    y: f64,
    bw: f64,
    bh: f64,
    g: f64,
    placer: &Placer,
    dot: &Rect,
) -> Option<(Rect, &'static str)> {
    let d = g * 0.8;
    let cands = positions_around((x, y), (bw, bh), g, d);
    cands.iter().find_map(|&(lx, ly, align)| {
        let lr = Rect::new(lx, ly, bw, bh);
        (placer.free(&lr) && !lr.intersects(dot) && placer.crossings(&lr.inflate(2.0), None) == 0)
            .then_some((lr, align))
    })
}

fn push_label(
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
    kind: BoxKind,
    p: &Place,
    r: Rect,
    align: &'static str,
    size: f64,
) {
    let x = match align {
        "start" => r.x + super::layout::HALO,
        "end" => r.right() - super::layout::HALO,
        _ => r.x + r.w / 2.0,
    };
    boxes.push(PlacedBox {
        kind,
        text: p.name.clone(),
        rect: r,
        leader: None,
    });
    scene.context_labels.push(TextItem {
        text: p.name.clone(),
        x,
        y: r.y + super::layout::HALO + size * text::ASCENT,
        anchor: align,
        size,
        bold: p.rank <= 2 && kind == BoxKind::CityLabel,
        muted: true,
        halo: true,
        ..TextItem::default()
    });
}

/// Sea, ocean and lake names in italics, inside their water where the
/// anchor's clearance leaves room.
pub(crate) fn place_water(
    geo: &Frame,
    choice: &Choice,
    px_per_m: f64,
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
) {
    let mut placed = 0;
    for p in places() {
        if placed >= 8 {
            break;
        }
        let (max_rank, size) = match p.kind {
            Kind::Ocean => (choice.sea_rank.max(1), 15.0),
            Kind::Sea => (choice.sea_rank, 13.0),
            Kind::Lake => (choice.lake_rank, 11.5),
            _ => continue,
        };
        if p.rank > max_rank {
            continue;
        }
        let label = if p.kind == Kind::Ocean {
            p.name.to_uppercase()
        } else {
            p.name.clone()
        };
        let spacing = if p.kind == Kind::Ocean { 2.0 } else { 0.0 };
        let item = TextItem {
            text: label,
            size,
            spacing,
            water: true,
            italic: true,
            ..TextItem::default()
        };
        let fit = AnchorFit {
            stretch: 3.0,
            kind: BoxKind::WaterLabel,
        };
        let at = (geo, px_per_m);
        if let Some(t) = label_at_anchor(at, p.anchors(), fit, &p.name, item, placer, boxes) {
            scene.context_labels.push(t);
            placed += 1;
        }
    }
}

/// Where a name set at one of its anchors may go: where the anchor's
/// clearance (the radius of the area's largest free circle) holds the
/// text's height and `stretch` times it holds half its width.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnchorFit {
    pub stretch: f64,
    pub kind: BoxKind,
}

/// Sets `item` (its text, size, letter spacing and style; centred) at the
/// first of `anchors` (lon, lat, clearance in degrees of latitude, best
/// first) where it fits by `fit`, 8 px inside the map's frame (6 px inside
/// the placer's), on free room and crossing no leg: the
/// names of seas, lakes and countries. Keeps its box, under `name`, in
/// `boxes` and clear in `placer`; returns the item placed, or `None`.
pub(crate) fn label_at_anchor(
    (geo, px_per_m): (&Frame, f64),
    anchors: impl IntoIterator<Item = (f64, f64, f64)>,
    fit: AnchorFit,
    name: &str,
    mut item: TextItem,
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
) -> Option<TextItem> {
    let (size, spacing) = (item.size, item.spacing);
    let tw = text::width(&item.text, size, false) + spacing * item.text.chars().count() as f64;
    let th = size * (text::ASCENT + text::DESCENT);
    let inner = placer.frame.inflate(-6.0);
    for (lon, lat, clear) in anchors {
        let (x, y) = geo.px(geo.unwrap_lon(lon), lat);
        if !x.is_finite() || !inner.contains(x, y) {
            continue;
        }
        let clear_px = clear * 111_195.0 * px_per_m;
        if clear_px < th || tw / 2.0 > clear_px * fit.stretch {
            continue;
        }
        let r = Rect::new(x - tw / 2.0, y - th / 2.0, tw, th);
        if !placer.free(&r) || placer.crossings(&r, None) > 0 {
            continue;
        }
        placer.add(r.inflate(3.0));
        boxes.push(PlacedBox {
            kind: fit.kind,
            text: name.to_owned(),
            rect: r,
            leader: None,
        });
        item.x = x + spacing / 2.0;
        item.y = r.y + size * text::ASCENT;
        item.anchor = "middle";
        return Some(item);
    }
    None
}

/// Font size of a river's name, px.
const RIVER_SIZE: f64 = 12.0;

/// River names along their lines: on a straight stretch of the river, the
/// text turned to follow it (never steeper than 80°) and set just beside
/// it. The box kept clear is the turned text's bounding box.
pub(crate) fn place_rivers(
    rivers: &[(&'static str, u32, f64, Vec<Pts>)],
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
) {
    let cap = ((placer.frame.w * placer.frame.h / 250_000.0).round() as usize).clamp(2, 8);
    let mut order: Vec<usize> = (0..rivers.len()).collect();
    order.sort_by_key(|&i| (rivers[i].1, i));
    let mut done: Vec<&str> = Vec::new();
    for i in order {
        if done.len() >= cap {
            break;
        }
        let (name, _, width, pieces) = &rivers[i];
        if done.contains(name) {
            continue;
        }
        let tw = text::width(name, RIVER_SIZE, false);
        let th = RIVER_SIZE * (text::ASCENT + text::DESCENT);
        let Some((cx, cy, deg, r)) = pieces
            .iter()
            .find_map(|p| stretch(p, tw + 16.0, th, *width, placer))
        else {
            continue;
        };
        placer.add(r);
        done.push(name);
        boxes.push(PlacedBox {
            kind: BoxKind::RiverLabel,
            text: (*name).to_owned(),
            rect: r,
            leader: None,
        });
        scene.context_labels.push(TextItem {
            text: (*name).to_owned(),
            x: cx,
            y: cy + RIVER_SIZE * 0.35,
            anchor: "middle",
            size: RIVER_SIZE,
            water: true,
            italic: true,
            halo: true,
            rotate: deg,
            ..TextItem::default()
        });
    }
}

/// A straight stretch of `line` at least `len` px long where the turned
/// label fits: centre, angle (degrees clockwise) and bounding box.
fn stretch(
    line: &Pts,
    len: f64,
    th: f64,
    width: f64,
    placer: &Placer,
) -> Option<(f64, f64, f64, Rect)> {
    let pts: Vec<(f64, f64)> = line
        .iter()
        .map(|p| (f64::from(p.0), f64::from(p.1)))
        .collect();
    let n = pts.len();
    // Start near the middle of the line and work outwards.
    let mut starts: Vec<usize> = (0..n).collect();
    starts.sort_by_key(|&i| (i as i64 - n as i64 / 2).abs());
    let step = if n > 200 { 2 } else { 1 };
    for &a in starts.iter().step_by(step) {
        let mut arc = 0.0;
        let mut b = a;
        while b + 1 < n && arc < len {
            arc += (pts[b + 1].0 - pts[b].0).hypot(pts[b + 1].1 - pts[b].1);
            b += 1;
        }
        if arc < len {
            continue;
        }
        let (p, q) = (pts[a], pts[b]);
        let chord = (q.0 - p.0).hypot(q.1 - p.1);
        if chord < 0.92 * arc {
            continue;
        }
        let dev = pts[a..=b]
            .iter()
            .map(|m| ((q.0 - p.0) * (p.1 - m.1) - (p.0 - m.0) * (q.1 - p.1)).abs() / chord)
            .fold(0.0, f64::max);
        if dev > th * 0.45 {
            continue;
        }
        let mut deg = (q.1 - p.1).atan2(q.0 - p.0).to_degrees();
        if deg > 90.0 {
            deg -= 180.0;
        } else if deg < -90.0 {
            deg += 180.0;
        }
        if deg.abs() > 80.0 {
            continue;
        }
        // Beside the line, on its upper side, clear of the river's stroke.
        let (ux, uy) = ((q.0 - p.0) / chord, (q.1 - p.1) / chord);
        let (mut nx, mut ny) = (-uy, ux);
        if ny > 0.0 {
            (nx, ny) = (-nx, -ny);
        }
        let off = th * 0.5 + width / 2.0 + 2.0;
        let (cx, cy) = ((p.0 + q.0) / 2.0 + nx * off, (p.1 + q.1) / 2.0 + ny * off);
        let (c, s) = (deg.to_radians().cos().abs(), deg.to_radians().sin().abs());
        let w = (len - 16.0) * c + th * s;
        let h = (len - 16.0) * s + th * c;
        let r = Rect::new(cx - w / 2.0, cy - h / 2.0, w, h);
        if placer.free(&r) && placer.crossings(&r, None) == 0 {
            return Some((cx, cy, deg, r));
        }
    }
    None
}

/// Region names (states, provinces, oblasts) in small spaced capitals, the
/// lowest priority, on regional maps only.
pub(crate) fn place_regions(
    geo: &Frame,
    choice: &Choice,
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
) {
    if !choice.regions {
        return;
    }
    let cap = ((placer.frame.w * placer.frame.h / 200_000.0).round() as usize).clamp(1, 10);
    let size = 10.5;
    let spacing = 1.5;
    let inner = placer.frame.inflate(-10.0);
    let mut placed = 0;
    for p in places()
        .iter()
        .filter(|p| p.kind == Kind::Region && p.rank <= 3)
    {
        if placed >= cap {
            break;
        }
        let Some((lon, lat, _)) = p.first_anchor() else {
            continue;
        };
        let (x, y) = geo.px(geo.unwrap_lon(lon), lat);
        if !x.is_finite() || !inner.contains(x, y) {
            continue;
        }
        let label = p.name.to_uppercase();
        let tw = text::width(&label, size, false) + spacing * label.chars().count() as f64;
        let th = size * (text::ASCENT + text::DESCENT);
        let r = Rect::new(x - tw / 2.0, y - th / 2.0, tw, th);
        if !placer.free(&r.inflate(6.0)) || placer.crossings(&r, None) > 0 {
            continue;
        }
        placer.add(r.inflate(3.0));
        boxes.push(PlacedBox {
            kind: BoxKind::RegionLabel,
            text: p.name.clone(),
            rect: r,
            leader: None,
        });
        scene.context_labels.push(TextItem {
            text: label,
            x: x + spacing / 2.0,
            y: r.y + size * text::ASCENT,
            anchor: "middle",
            size,
            spacing,
            country: true,
            ..TextItem::default()
        });
        placed += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_parses() {
        let rows = include_str!("../../gazetteer/basemap/context_labels.tsv")
            .lines()
            .count();
        assert_eq!(places().len(), rows - 1);
        for p in places() {
            let a = p.anchors();
            assert!(!a.is_empty(), "{}: no anchor", p.name);
            assert_eq!(p.first_anchor(), Some(a[0]), "{}", p.name);
            assert!(a
                .iter()
                .all(|&(lon, lat, c)| lon.abs() <= 180.0 && lat.abs() <= 90.0 && c >= 0.0));
        }
    }

    #[test]
    fn natural_earth_ranks_known_places() {
        // Natural Earth 4.0.0: Vladivostok is an admin-1 capital of scale
        // rank 3; the Sea of Japan is a sea of rank 1.
        let v = places().iter().find(|p| p.name == "Vladivostok").unwrap();
        assert_eq!((v.kind, v.rank), (Kind::City, 3));
        let s = places().iter().find(|p| p.name == "Sea of Japan").unwrap();
        assert_eq!((s.kind, s.rank), (Kind::Sea, 1));
    }

    #[test]
    fn larger_scales_show_more() {
        let world = choose(30_000.0);
        let region = choose(1_000.0);
        let city = choose(20.0);
        assert!(world.city_rank < region.city_rank && region.city_rank < city.city_rank);
        assert!(world.river_rank < region.river_rank);
        assert!(!world.regions && region.regions && !city.regions);
        assert!(city.city_scale && !region.city_scale);
    }
}
