//! Framing, basemap selection and collision-free placement of every label
//! and piece of map furniture. The result, [`Layout`], is plain data: the
//! SVG writer only draws what is here, and tests read the same boxes.

use geo::{Destination, Geodesic, Point};
use serde::Serialize;

use super::basemap::{self, GeoRect, LayerName};
use super::context;
use super::projection::{Projection, ProjectionKind};
use super::text;
use super::{MapData, MapStyle, RenderError, StopRole};

/// An axis-aligned box in CSS pixels, y pointing down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A box from its left, top, width and height.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two boxes share any area (touching edges do not count).
    ///
    /// ```
    /// use routemap::render::Rect;
    /// let a = Rect::new(0.0, 0.0, 10.0, 10.0);
    /// assert!(a.intersects(&Rect::new(5.0, 5.0, 10.0, 10.0)));
    /// assert!(!a.intersects(&Rect::new(10.0, 0.0, 10.0, 10.0)));
    /// ```
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() - 1e-9
            && o.x < self.right() - 1e-9
            && self.y < o.bottom() - 1e-9
            && o.y < self.bottom() - 1e-9
    }

    /// Whether `o` lies wholly inside this box.
    pub fn contains_rect(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    /// Whether the point is inside the box.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }

    pub(crate) fn inflate(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }

    fn hits_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        basemap::liang_barsky(a, b, (self.x, self.y, self.right(), self.bottom())).is_some()
    }
}

/// What a placed box holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoxKind {
    /// The map title (above the frame).
    Title,
    /// The line under the title.
    Subtitle,
    /// A stop's name.
    StopLabel,
    /// A leg's distance.
    LegLabel,
    /// A stop marker.
    Marker,
    /// The scale bar panel.
    ScaleBar,
    /// The north arrow.
    NorthArrow,
    /// The legend panel.
    Legend,
    /// The inset locator map.
    Inset,
    /// The attribution line (below the frame).
    Attribution,
    /// A graticule label (outside the frame).
    GraticuleLabel,
    /// A country name on the map.
    CountryLabel,
    /// A waypoint's dot (a town the route passes).
    Waypoint,
    /// A waypoint's name.
    WaypointLabel,
    /// A city's or town's dot (context, not a stop).
    City,
    /// A city's or town's name.
    CityLabel,
    /// A river's name, along the river.
    RiverLabel,
    /// A sea, ocean or lake name.
    WaterLabel,
    /// A first-level region's name (state, province, oblast).
    RegionLabel,
}

/// One placed box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedBox {
    /// What it is.
    pub kind: BoxKind,
    /// Its text (labels) or a short description (furniture).
    pub text: String,
    /// Where it is.
    pub rect: Rect,
    /// A leader line from the label to its anchor, x1, y1, x2, y2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader: Option<[f64; 4]>,
}

/// The scale bar, true at the map's centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleBar {
    /// The panel holding it.
    pub rect: Rect,
    /// Length of the kilometre bar, km (a round number).
    pub km: f64,
    /// Length of the kilometre bar, pixels.
    pub km_px: f64,
    /// Length of the mile bar, statute miles.
    pub mi: f64,
    /// Length of the mile bar, pixels.
    pub mi_px: f64,
    /// Where the scale is true: lon, lat in degrees (the frame's centre).
    pub true_at: [f64; 2],
}

/// Everything placed on the map, in CSS pixels.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Image width, CSS pixels.
    pub width: u32,
    /// Image height, CSS pixels.
    pub height: u32,
    /// The projection used.
    pub projection: ProjectionKind,
    /// The frame's centre, lon, lat in degrees.
    pub center: [f64; 2],
    /// Natural Earth level drawn: 10, 50 or 110 (1:10m, 1:50m, 1:110m).
    pub basemap_level: u32,
    /// The map frame.
    pub frame: Rect,
    /// Every label, marker and piece of furniture.
    pub boxes: Vec<PlacedBox>,
    /// The scale bar.
    pub scale_bar: ScaleBar,
    /// Rotation of the north arrow, degrees clockwise, when one is drawn.
    pub north_arrow_deg: Option<f64>,
    /// Labels that could not be placed, and other notes for stderr.
    pub warnings: Vec<String>,
    /// How much larger than on a 1600×1200 map text, lines and furniture
    /// are drawn (1 up to that size; `--text-scale` overrides).
    pub text_scale: f64,
    #[serde(skip)]
    pub(crate) canvas: Canvas,
    #[serde(skip)]
    pub(crate) geo: Frame,
    #[serde(skip)]
    pub(crate) scene: Scene,
}

impl Layout {
    /// The pixel position of lon, lat (degrees), or `None` when it is not on
    /// the visible side of the projection.
    pub fn project(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let (x, y) = self.geo.px(self.geo.unwrap_lon(lon), lat);
        (x.is_finite() && y.is_finite()).then_some((x * self.text_scale, y * self.text_scale))
    }

    /// Pairs of boxes (indices into [`Layout::boxes`]) that overlap. Markers
    /// may overlap each other (stops a few pixels apart); nothing else may.
    pub fn overlaps(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..self.boxes.len() {
            for j in i + 1..self.boxes.len() {
                let (a, b) = (&self.boxes[i], &self.boxes[j]);
                if a.kind == BoxKind::Marker && b.kind == BoxKind::Marker {
                    continue;
                }
                if a.rect.intersects(&b.rect) {
                    out.push((i, j));
                }
            }
        }
        out
    }
}

/// The canvas the map is laid out on: the image divided by the text
/// scale, in the units of the SVG's viewBox.
#[derive(Debug, Clone)]
pub(crate) struct Canvas {
    pub width: f64,
    pub height: f64,
    pub frame: Rect,
    pub scale_bar: ScaleBar,
}

pub(crate) type Pts = Vec<(f32, f32)>;

/// Text to draw, already placed.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextItem {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
    pub size: f64,
    pub bold: bool,
    pub muted: bool,
    pub halo: bool,
    /// Lines of a wrapped label (empty: `text` on one line).
    pub lines: Vec<String>,
    /// Distance between wrapped lines' baselines, px.
    pub line_h: f64,
    /// Extra space between letters, px (country names).
    pub spacing: f64,
    pub country: bool,
    /// Water names (seas, lakes, rivers): blue.
    pub water: bool,
    pub italic: bool,
    /// Rotation about (x, y), degrees clockwise (river names).
    pub rotate: f64,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct LegLabelItem {
    pub rect: Rect0,
    pub text: TextItem,
    pub leader: Option<[f64; 4]>,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Rect0(pub f64, pub f64, pub f64, pub f64);

#[derive(Debug, Clone, Default)]
pub(crate) struct Inset {
    pub rect: Rect0,
    pub land: Vec<Pts>,
    pub borders: Vec<Pts>,
    pub outline: Pts,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Scene {
    pub land: Vec<Pts>,
    pub lakes: Vec<Pts>,
    pub coast: Vec<Pts>,
    pub borders: Vec<Pts>,
    /// Rivers: stroke width, line.
    pub rivers: Vec<(f64, Pts)>,
    /// First-level boundaries.
    pub admin1: Vec<Pts>,
    /// City dots: x, y, capital.
    pub cities: Vec<(f64, f64, bool)>,
    /// City, river, water and region names.
    pub context_labels: Vec<TextItem>,
    /// Other railway lines ([`MapData::railways`]).
    pub railways: Vec<Pts>,
    /// Approximate stretches of the route ([`MapData::approximate`]).
    pub approximate: Vec<Pts>,
    pub graticule: Vec<Pts>,
    pub legs: Vec<Vec<Pts>>,
    pub globe: Option<Pts>,
    pub markers: Vec<(f64, f64, StopRole)>,
    pub stop_labels: Vec<(TextItem, Option<[f64; 4]>)>,
    pub leg_labels: Vec<LegLabelItem>,
    /// Waypoint dots (x, y) and labels, placed together.
    pub waypoints: Vec<(f64, f64, TextItem)>,
    pub grid_labels: Vec<TextItem>,
    pub country_labels: Vec<TextItem>,
    pub header: Vec<TextItem>,
    pub legend: Option<(Rect0, Vec<(LegendSymbol, String)>)>,
    pub inset: Option<Inset>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LegendSymbol {
    Route,
    Marker(StopRole),
    /// A town the route passes ([`MapData::waypoints`]).
    Waypoint,
    /// Other railway lines ([`MapData::railways`]).
    Railway,
    /// Approximate stretches of the route ([`MapData::approximate`]).
    Approximate,
    Border,
}

/// A projection plus the affine map from projected metres to pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub proj: Projection,
    cx: f64,
    cy: f64,
    /// Pixels per projected metre.
    pub s: f64,
    pub rect: Rect,
}

impl Default for Frame {
    fn default() -> Self {
        Frame {
            proj: Projection::new(ProjectionKind::Equirectangular, 0.0, 0.0, 0.0, 0.0),
            cx: 0.0,
            cy: 0.0,
            s: 1.0,
            rect: Rect::new(0.0, 0.0, 1.0, 1.0),
        }
    }
}

fn wrap180(d: f64) -> f64 {
    let r = (d + 180.0).rem_euclid(360.0) - 180.0;
    if r == -180.0 && d > 0.0 {
        180.0
    } else {
        r
    }
}

impl Frame {
    pub fn unwrap_lon(&self, lon: f64) -> f64 {
        self.proj.lon0 + wrap180(lon - self.proj.lon0)
    }

    /// lon (unwrapped), lat in degrees → pixels.
    pub fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.proj.forward(lon, lat);
        (
            self.rect.x + self.rect.w / 2.0 + (x - self.cx) * self.s,
            self.rect.y + self.rect.h / 2.0 - (y - self.cy) * self.s,
        )
    }

    pub fn geo(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let x = self.cx + (px - self.rect.x - self.rect.w / 2.0) / self.s;
        let y = self.cy - (py - self.rect.y - self.rect.h / 2.0) / self.s;
        self.proj.inverse(x, y)
    }

    /// The outline of the whole globe in pixels, when part of the frame
    /// lies off it (world maps); `None` when the globe fills the frame.
    fn globe_outline(&self) -> Option<Pts> {
        let r = self.rect;
        let corners = [
            (r.x, r.y),
            (r.right(), r.y),
            (r.x, r.bottom()),
            (r.right(), r.bottom()),
        ];
        let lim = globe_lat_limit(self.proj.kind);
        let lon0 = self.proj.lon0;
        let off = corners.iter().any(|&(x, y)| match self.geo(x, y) {
            None => true,
            Some((_, lat)) => lim.is_some_and(|l| lat.abs() > l),
        });
        if !off {
            return None;
        }
        let mut pts: Vec<(f64, f64)> = Vec::new();
        match lim {
            Some(l) => {
                for i in 0..=180 {
                    pts.push((lon0 - 180.0 + 2.0 * i as f64, l));
                }
                for i in 0..=90 {
                    pts.push((lon0 + 180.0, l - 2.0 * l * i as f64 / 90.0));
                }
                for i in 0..=180 {
                    pts.push((lon0 + 180.0 - 2.0 * i as f64, -l));
                }
                for i in 0..=90 {
                    pts.push((lon0 - 180.0, -l + 2.0 * l * i as f64 / 90.0));
                }
                Some(
                    pts.iter()
                        .map(|&(lo, la)| {
                            let p = self.px(lo, la);
                            (p.0 as f32, p.1 as f32)
                        })
                        .collect(),
                )
            }
            None if self.proj.kind == ProjectionKind::AzimuthalEquidistant => {
                let rho = std::f64::consts::PI * 6_371_008.8 * 0.9999;
                let (cx, cy) = self.px(lon0, self.proj.lat0);
                Some(
                    (0..=360)
                        .map(|i| {
                            let a = (i as f64).to_radians();
                            (
                                (cx + rho * self.s * a.cos()) as f32,
                                (cy + rho * self.s * a.sin()) as f32,
                            )
                        })
                        .collect(),
                )
            }
            None => None,
        }
    }

    /// The lon/lat box (unwrapped) covering the frame, with a margin.
    fn view(&self) -> GeoRect {
        self.view_with(true)
    }

    /// The lon/lat box covering the frame, with a margin for reading the
    /// basemap or without one.
    fn view_with(&self, margin: bool) -> GeoRect {
        let r = self.rect;
        let (mut w, mut e, mut s, mut n) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        let mut off_globe = false;
        let k = 48;
        for i in 0..=k {
            let t = i as f64 / k as f64;
            for (px, py) in [
                (r.x + t * r.w, r.y),
                (r.x + t * r.w, r.bottom()),
                (r.x, r.y + t * r.h),
                (r.right(), r.y + t * r.h),
                (r.x + t * r.w, r.y + r.h / 2.0),
            ] {
                match self.geo(px, py) {
                    Some((lon, lat)) => {
                        w = w.min(lon);
                        e = e.max(lon);
                        s = s.min(lat);
                        n = n.max(lat);
                    }
                    None => off_globe = true,
                }
            }
        }
        let lon0 = self.proj.lon0;
        if off_globe || w > e {
            return GeoRect {
                west: lon0 - 180.0,
                south: -90.0,
                east: lon0 + 180.0,
                north: 90.0,
            };
        }
        for pole in [90.0, -90.0] {
            let (px, py) = self.px(lon0, pole);
            if r.contains(px, py) {
                w = lon0 - 180.0;
                e = lon0 + 180.0;
                if pole > 0.0 {
                    n = 90.0;
                } else {
                    s = -90.0;
                }
            }
        }
        let (ml, mt) = if margin {
            ((e - w) * 0.05 + 0.5, (n - s) * 0.05 + 0.5)
        } else {
            (0.0, 0.0)
        };
        GeoRect {
            west: (w - ml).max(lon0 - 180.0),
            east: (e + ml).min(lon0 + 180.0),
            south: (s - mt).max(-90.0),
            north: (n + mt).min(90.0),
        }
    }

    /// Projects lon/lat lines to pixels: densifies long segments (so clipped
    /// edges and coarse data follow the projection's curves), breaks where a
    /// line jumps across the map's seam, and drops vertices closer than
    /// `min_px` to the last kept one.
    /// Whether the step between two nearby lon/lat points (degrees) jumps
    /// across the map: far more pixels than its length on the ground at the
    /// map's scale, as near the antipode of an azimuthal map's centre.
    fn jumps(&self, a: (f64, f64), b: (f64, f64), pa: (f64, f64), pb: (f64, f64)) -> bool {
        let px = (pb.0 - pa.0).hypot(pb.1 - pa.1);
        let k = ((a.1 + b.1) / 2.0).to_radians().cos();
        let m = ((b.0 - a.0) * k * 111_320.0).hypot((b.1 - a.1) * 110_574.0);
        px.is_nan() || px > 20.0 * m * self.s + 20.0
    }

    pub(crate) fn project_line(
        &self,
        line: &[geo::Coord<f64>],
        min_px: f64,
        closed: bool,
    ) -> Vec<Pts> {
        let mut out = Vec::new();
        let mut cur: Pts = Vec::new();
        let mut prev: Option<(f64, f64)> = None;
        let mut last_px = (f64::NAN, f64::NAN);
        let min2 = min_px * min_px;
        // A ring's closing edge (last vertex back to the first) may be long,
        // e.g. along a clipping edge: walk it too so that it is densified.
        let closing = match (closed, line.first(), line.last()) {
            (true, Some(f), Some(l)) if f != l => Some(*f),
            _ => None,
        };
        for c in line.iter().chain(closing.iter()) {
            let (lon, lat) = (c.x, c.y);
            if let Some((plon, plat)) = prev {
                // A polygon's rings are already unwrapped into the view: an
                // edge longer than 180° is a clipping edge (along the view's
                // border near a pole, as around Antarctica), never a jump
                // across the map's seam.
                if (lon - plon).abs() > 180.0 && !closed {
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                } else {
                    let d = (lon - plon).abs().max((lat - plat).abs());
                    let steps = (d / 0.5).ceil().min(400.0) as usize;
                    let mut pp = self.px(plon, plat);
                    let mut pg = (plon, plat);
                    for i in 1..=steps {
                        let t = i as f64 / steps as f64;
                        let g = (plon + (lon - plon) * t, plat + (lat - plat) * t);
                        let p = self.px(g.0, g.1);
                        if !closed && self.jumps(pg, g, pp, p) {
                            if cur.len() >= 2 {
                                out.push(std::mem::take(&mut cur));
                            }
                            cur.clear();
                            cur.push((p.0 as f32, p.1 as f32));
                            last_px = p;
                        } else if i < steps {
                            push_px(&mut cur, &mut last_px, p, min2);
                        }
                        (pp, pg) = (p, g);
                    }
                }
            }
            let p = self.px(lon, lat);
            if cur.is_empty() {
                cur.push((p.0 as f32, p.1 as f32));
                last_px = p;
            } else {
                push_px(&mut cur, &mut last_px, p, min2);
            }
            prev = Some((lon, lat));
        }
        // Keep the last vertex even when it is close to the previous one,
        // so that a ring's closing edge starts where the ring ends.
        if let (Some(l), Some(&lastp)) = (closing.as_ref().or(line.last()), cur.last()) {
            let p = self.px(l.x, l.y);
            if (f64::from(lastp.0), f64::from(lastp.1)) != p {
                cur.push((p.0 as f32, p.1 as f32));
            }
        }
        if cur.len() >= 2 {
            out.push(cur);
        }
        out
    }
}

fn push_px(cur: &mut Pts, last: &mut (f64, f64), p: (f64, f64), min2: f64) {
    let d2 = (p.0 - last.0).powi(2) + (p.1 - last.1).powi(2);
    if d2 >= min2 || last.0.is_nan() {
        cur.push((p.0 as f32, p.1 as f32));
        *last = p;
    }
}

/// The smallest longitude interval holding every value: west..east with
/// east possibly above 180 (unwrapped).
fn lon_window(lons: &mut [f64]) -> (f64, f64) {
    for l in lons.iter_mut() {
        *l = wrap180(*l);
    }
    lons.sort_by(f64::total_cmp);
    let n = lons.len();
    let mut best_gap = lons[0] + 360.0 - lons[n - 1];
    let mut start = 0;
    for i in 1..n {
        let gap = lons[i] - lons[i - 1];
        if gap > best_gap {
            best_gap = gap;
            start = i;
        }
    }
    let west = lons[start];
    let east = if start == 0 {
        lons[n - 1]
    } else {
        lons[start - 1] + 360.0
    };
    (west, east)
}

fn auto_projection(lon_span: f64, lat_min: f64, lat_max: f64) -> ProjectionKind {
    if lon_span > 200.0 || lat_max - lat_min > 100.0 {
        ProjectionKind::EqualEarth
    } else if lat_max > 80.0
        || lat_min < -80.0
        || (lat_min > 60.0 && lon_span > 90.0)
        || (lat_max < -60.0 && lon_span > 90.0)
    {
        ProjectionKind::AzimuthalEquidistant
    } else if lat_min > -20.0 && lat_max < 20.0 {
        ProjectionKind::WebMercator
    } else if lat_min < -10.0 && lat_max > 10.0 {
        ProjectionKind::AzimuthalEquidistant
    } else {
        ProjectionKind::Conic
    }
}

/// Sets up a frame showing the lon/lat points `pts` (lon unwrapped
/// relative to each other) in `rect` with `padding` and at least
/// `min_extent_m` metres across.
fn fit(
    kind: Option<ProjectionKind>,
    pts: &[(f64, f64)],
    rect: Rect,
    padding: f64,
    min_extent_m: f64,
) -> Frame {
    let mut lons: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let (west, east) = lon_window(&mut lons);
    let lon0 = (west + east) / 2.0;
    let lat_min = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    let lat_max = pts.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    let kind = kind.unwrap_or_else(|| auto_projection(east - west, lat_min, lat_max));
    let lat0 = (lat_min + lat_max) / 2.0;
    let proj = Projection::new(kind, lon0, lat0, lat_min, lat_max);
    let mut fr = Frame {
        proj,
        cx: 0.0,
        cy: 0.0,
        s: 1.0,
        rect,
    };
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lon, lat) in pts {
        let (x, y) = proj.forward(fr.unwrap_lon(lon), lat);
        if x.is_finite() && y.is_finite() {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (-1e6, -1e6, 1e6, 1e6);
    }
    let (mut dx, mut dy) = (x1 - x0, y1 - y0);
    if dx.max(dy) < min_extent_m {
        let f = min_extent_m / dx.max(dy).max(1.0);
        dx = (dx * f).max(min_extent_m * 0.5);
        dy = (dy * f).max(min_extent_m * 0.5);
    }
    let usable = 1.0 - 2.0 * padding;
    fr.s = (rect.w * usable / dx).min(rect.h * usable / dy);
    fr.cx = (x0 + x1) / 2.0;
    fr.cy = (y0 + y1) / 2.0;
    // Keep world-style projections on the globe: no empty band beyond a
    // pole or past the map's edge meridians when the globe fills the frame.
    if let Some(lim) = globe_lat_limit(kind) {
        let (_, top) = proj.forward(lon0, lim);
        let (_, bottom) = proj.forward(lon0, -lim);
        let half = rect.h / 2.0 / fr.s;
        fr.cy = if top - bottom >= 2.0 * half {
            fr.cy.clamp(bottom + half, top - half)
        } else {
            (top + bottom) / 2.0
        };
        let (left, _) = proj.forward(lon0 - 180.0, 0.0);
        let (right, _) = proj.forward(lon0 + 180.0, 0.0);
        let half = rect.w / 2.0 / fr.s;
        fr.cx = if right - left >= 2.0 * half {
            fr.cx.clamp(left + half, right - half)
        } else {
            (left + right) / 2.0
        };
    }
    fr
}

/// A projection forced with `--projection` must show what it frames: every
/// point on the map, and a frame less than three times the Earth's
/// circumference across (a conic or Mercator map of the poles runs to
/// infinity).
fn check_fits(geo: &Frame, style: &MapStyle, pts: &[(f64, f64)]) -> Result<(), RenderError> {
    let Some(kind) = style.projection else {
        return Ok(());
    };
    let width_m = geo.rect.w.max(geo.rect.h) / geo.s;
    let all_shown = pts.iter().all(|&(lon, lat)| {
        let (x, y) = geo.px(geo.unwrap_lon(lon), lat);
        x.is_finite() && y.is_finite()
    });
    if all_shown && width_m.is_finite() && width_m < 1.2e8 {
        return Ok(());
    }
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lon, lat) in pts {
        (w, e, s, n) = (w.min(lon), e.max(lon), s.min(lat), n.max(lat));
    }
    Err(RenderError::ProjectionCannotShow {
        projection: kind,
        area: format!("lon {w:.1}..{e:.1}, lat {s:.1}..{n:.1}"),
    })
}

/// The latitude where a cylindrical or pseudo-cylindrical map ends.
fn globe_lat_limit(kind: ProjectionKind) -> Option<f64> {
    match kind {
        ProjectionKind::EqualEarth | ProjectionKind::Equirectangular => Some(90.0),
        ProjectionKind::WebMercator => Some(85.05),
        _ => None,
    }
}

fn nice_below(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= v {
            return m * p;
        }
    }
    p
}

/// A scale-bar length: "1,000" or "0.5".
pub(crate) fn fmt_num(v: f64) -> String {
    if v >= 1.0 {
        super::from_route::group_thousands(v)
    } else {
        format!("{v}")
    }
}

fn deg_label(v: f64, pos: char, neg: char) -> String {
    let a = v.abs();
    // Whole degrees, else degrees and minutes as maps write them ("10°45′E");
    // graticule steps are multiples of 1/4°, so the minutes are exact.
    let minutes = (a * 60.0).round() as i64;
    let num = match minutes % 60 {
        0 => format!("{}°", minutes / 60),
        m => format!("{}°{m:02}′", minutes / 60),
    };
    if a < 1e-9 || (pos == 'E' && (a - 180.0).abs() < 1e-9) {
        num
    } else {
        format!("{num}{}", if v > 0.0 { pos } else { neg })
    }
}

pub(crate) const HALO: f64 = 3.0;

pub(crate) fn text_box(text: &str, size: f64, bold: bool) -> (f64, f64) {
    (
        text::width(text, size, bold) + 2.0 * HALO,
        size * (text::ASCENT + text::DESCENT) + 2.0 * HALO,
    )
}

/// A route segment in pixels, with the index of its leg.
type LegSegment = (usize, (f64, f64), (f64, f64));

/// A scored stop-label position: cost, box, leader, text anchor, variant.
type Candidate = (f64, Rect, Option<[f64; 4]>, &'static str, usize);

/// A placed stop label: text, leader line, box.
type StopLabel = (TextItem, Option<[f64; 4]>, Rect);

/// Collision state while labels are placed: the frame they must stay in,
/// the boxes already taken and the route's segments.
pub(crate) struct Placer {
    pub frame: Rect,
    pub obstacles: Vec<Rect>,
    segments: Vec<LegSegment>,
}

impl Placer {
    /// Whether `r` lies in the frame and touches no box already placed.
    pub fn free(&self, r: &Rect) -> bool {
        self.frame.contains_rect(r) && !self.obstacles.iter().any(|o| o.intersects(r))
    }

    /// How many route segments cross `r` (those of leg `skip_leg` aside).
    pub fn crossings(&self, r: &Rect, skip_leg: Option<usize>) -> usize {
        self.segments
            .iter()
            .filter(|(leg, a, b)| Some(*leg) != skip_leg && r.hits_segment(*a, *b))
            .count()
    }
}

fn marker_radius(role: StopRole) -> f64 {
    match role {
        StopRole::Start => 8.0,
        StopRole::End => 9.0,
        StopRole::Via => 6.5,
        StopRole::Place => 6.5,
    }
}

/// Computes the whole layout.
pub(crate) fn compute(data: &MapData, style: &MapStyle) -> Result<Layout, RenderError> {
    style.validate()?;
    if data.stops.is_empty() {
        return Err(RenderError::NoStops);
    }
    let check = |what: String, lon: f64, lat: f64| {
        if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
            Ok(())
        } else {
            Err(RenderError::Coordinate { what, lon, lat })
        }
    };
    for s in &data.stops {
        check(format!("stop {:?}", s.label), s.lon, s.lat)?;
    }
    for (i, l) in data.legs.iter().enumerate() {
        for c in &l.path {
            check(format!("leg {} ({})", i + 1, l.label), c.x, c.y)?;
        }
    }

    // The map is laid out on a canvas `k` times smaller than the image and
    // drawn `k` times larger (the SVG's viewBox), so that text, lines and
    // furniture keep their proportions on large images.
    let k = style.effective_text_scale();
    let (w, h) = (
        f64::from(style.size.width) / k,
        f64::from(style.size.height) / k,
    );
    let compact = w < 1000.0;
    let title_size = if compact { 20.0 } else { 28.0 };
    let header_h = if compact { 72.0 } else { 86.0 };
    let side = if compact { 40.0 } else { 50.0 };
    let frame_rect = Rect::new(side, header_h, w - 2.0 * side, h - header_h - 40.0);

    // ---- framing
    let mut pts: Vec<(f64, f64)> = data.stops.iter().map(|s| (s.lon, s.lat)).collect();
    for l in &data.legs {
        pts.extend(l.path.iter().map(|c| (c.x, c.y)));
    }
    // A route is framed to itself, however short (a city route is a city
    // map), but never narrower than 3 km; a single place gets a region.
    let min_extent = if data.stops.len() == 1 || data.legs.is_empty() && pts.len() < 3 {
        1_000_000.0
    } else {
        3_000.0
    };
    let geo = match style.bbox {
        Some(b) => {
            let east = if b.east < b.west {
                b.east + 360.0
            } else {
                b.east
            };
            let mut bp = Vec::new();
            for i in 0..=16 {
                let t = i as f64 / 16.0;
                let lon = b.west + (east - b.west) * t;
                let lat = b.south + (b.north - b.south) * t;
                bp.extend([(lon, b.south), (lon, b.north), (b.west, lat), (east, lat)]);
            }
            let geo = fit(style.projection, &bp, frame_rect, 0.0, 0.0);
            check_fits(&geo, style, &bp)?;
            geo
        }
        None => {
            let geo = fit(
                style.projection,
                &pts,
                frame_rect,
                style.padding,
                min_extent,
            );
            check_fits(&geo, style, &pts)?;
            geo
        }
    };
    let m_per_px = 1.0 / geo.s;
    // Detail follows the image's own pixels: a large image gets the finer
    // coastline.
    let device_m_per_px = m_per_px / k;
    let level = if device_m_per_px > 40_000.0 {
        110
    } else if device_m_per_px > 2_500.0 {
        50
    } else {
        10
    };
    let view = geo.view();
    let fr = frame_rect.inflate(40.0);
    let visible = |p: &Pts| {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in p {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        fr.intersects(&Rect::new(
            f64::from(x0),
            f64::from(y0),
            f64::from(x1 - x0).max(0.1),
            f64::from(y1 - y0).max(0.1),
        ))
    };
    let layer = |name: LayerName, min_px: f64| -> Vec<Pts> {
        basemap::query(name, level, &view)
            .iter()
            .flat_map(|r| geo.project_line(r, min_px / k, name.is_polygon()))
            .filter(|p| visible(p))
            .collect()
    };
    let mut scene = Scene {
        land: layer(LayerName::Land, 0.5),
        lakes: layer(LayerName::Lakes, 0.5),
        coast: layer(LayerName::Coastline, 0.5),
        borders: layer(LayerName::Borders, 0.5),
        globe: geo.globe_outline(),
        ..Scene::default()
    };
    let choice = context::choose(m_per_px);
    // Rivers and region lines at 1:10m only where the image shows that
    // detail (under 800 m a pixel); 1:50m is as good to the eye above.
    let context_level = if level == 10 && device_m_per_px > 800.0 {
        50
    } else {
        level
    };
    let rivers = context::lines(
        &geo,
        m_per_px,
        context_level,
        &view,
        &choice,
        0.5 / k,
        &visible,
        &mut scene,
    );
    scene.railways = data
        .railways
        .iter()
        .flat_map(|l| geo.project_line(l, 0.8, false))
        .filter(|p| p.len() >= 2 && visible(p))
        .collect();
    scene.approximate = data
        .approximate
        .iter()
        .flat_map(|l| geo.project_line(l, 0.8, false))
        .filter(|p| p.len() >= 2)
        .collect();

    // ---- graticule
    let lon_span = view.east - view.west;
    let lat_span = view.north - view.south;
    // Whole minutes on city maps, then quarter degrees and up.
    let steps = [
        1.0 / 60.0,
        2.0 / 60.0,
        5.0 / 60.0,
        10.0 / 60.0,
        0.25,
        0.5,
        1.0,
        2.0,
        5.0,
        10.0,
        15.0,
        20.0,
        30.0,
        45.0,
        60.0,
    ];
    // Steps from what the frame shows, without the basemap's margin.
    let shown = geo.view_with(false);
    let lon_step = *steps
        .iter()
        .find(|&&s| (shown.east - shown.west) / s <= 9.0)
        .unwrap_or(&60.0);
    let lat_step = *steps
        .iter()
        .find(|&&s| (shown.north - shown.south) / s <= 7.0)
        .unwrap_or(&30.0);
    let lat_step = lat_step.min(lon_step.max(lat_step / 2.0));
    let mut meridians = Vec::new();
    let mut lon = (view.west / lon_step).ceil() * lon_step;
    while lon <= view.east {
        let line: Vec<geo::Coord<f64>> = (0..=100)
            .map(|i| geo::Coord {
                x: lon,
                y: (view.south + (view.north - view.south) * i as f64 / 100.0).clamp(-89.0, 89.0),
            })
            .collect();
        meridians.push((lon, geo.project_line(&line, 1.0, false)));
        lon += lon_step;
    }
    let mut parallels = Vec::new();
    let mut lat = (view.south / lat_step).ceil() * lat_step;
    while lat <= view.north {
        if lat.abs() < 89.5 {
            let line: Vec<geo::Coord<f64>> = (0..=200)
                .map(|i| geo::Coord {
                    x: view.west + (view.east - view.west) * i as f64 / 200.0,
                    y: lat,
                })
                .collect();
            parallels.push((lat, geo.project_line(&line, 1.0, false)));
        }
        lat += lat_step;
    }
    let mut boxes: Vec<PlacedBox> = Vec::new();
    let grid_size = 12.0;
    let mut grid_boxes: Vec<Rect> = Vec::new();
    let fr0 = frame_rect;
    let mut add_grid = |text: String, x: f64, y: f64, anchor: &'static str, scene: &mut Scene| {
        let (tw, _) = text_box(&text, grid_size, false);
        let tw = tw - 2.0 * HALO;
        let left = match anchor {
            "middle" => x - tw / 2.0,
            "end" => x - tw,
            _ => x,
        };
        let mut r = Rect::new(left, y - grid_size * text::ASCENT, tw, grid_size);
        let (mut x, mut y, mut anchor, mut rotate) = (x, y, anchor, 0.0);
        if anchor != "middle" && (r.x < 0.0 || r.right() > w) {
            // A latitude too long for the side margin (minutes) runs up
            // the frame's edge instead.
            let asc = grid_size * text::ASCENT;
            let bx = if anchor == "end" { x - 1.0 } else { x + asc };
            let cy = y - 4.0;
            r = Rect::new(bx - asc, cy - tw / 2.0, grid_size, tw);
            (x, y, anchor, rotate) = (bx, cy, "middle", -90.0);
        }
        let inside_canvas = r.x >= 0.0 && r.right() <= w;
        if !inside_canvas || grid_boxes.iter().any(|b| b.inflate(4.0).intersects(&r)) {
            return;
        }
        grid_boxes.push(r);
        boxes.push(PlacedBox {
            kind: BoxKind::GraticuleLabel,
            text: text.clone(),
            rect: r,
            leader: None,
        });
        scene.grid_labels.push(TextItem {
            text,
            x,
            y,
            anchor,
            size: grid_size,
            muted: true,
            rotate,
            ..TextItem::default()
        });
    };
    for (lon, lines) in &meridians {
        let label = deg_label(wrap180(*lon), 'E', 'W');
        for edge_y in [fr0.bottom(), fr0.y] {
            if let Some(x) = crossing(lines, true, edge_y, fr0.x, fr0.right()) {
                let y = if edge_y == fr0.y {
                    edge_y - 5.0
                } else {
                    edge_y + 15.0
                };
                add_grid(label.clone(), x, y, "middle", &mut scene);
            }
        }
    }
    for (lat, lines) in &parallels {
        let label = deg_label(*lat, 'N', 'S');
        for edge_x in [fr0.x, fr0.right()] {
            if let Some(y) = crossing(lines, false, edge_x, fr0.y, fr0.bottom()) {
                let (x, anchor) = if edge_x == fr0.x {
                    (edge_x - 4.0, "end")
                } else {
                    (edge_x + 4.0, "start")
                };
                add_grid(label.clone(), x, y + 4.0, anchor, &mut scene);
            }
        }
    }
    scene.graticule = meridians
        .into_iter()
        .chain(parallels)
        .flat_map(|(_, l)| l)
        .collect();

    // ---- route and markers
    for leg in &data.legs {
        let unwrapped: Vec<geo::Coord<f64>> = leg
            .path
            .iter()
            .map(|c| geo::Coord {
                x: geo.unwrap_lon(c.x),
                y: c.y,
            })
            .collect();
        scene.legs.push(geo.project_line(&unwrapped, 0.3, false));
    }
    for s in &data.stops {
        let (x, y) = geo.px(geo.unwrap_lon(s.lon), s.lat);
        scene.markers.push((x, y, s.role));
    }

    // ---- header and footer
    let first = &data.stops[0].label;
    let last = &data.stops[data.stops.len() - 1].label;
    let title = match &data.title {
        Some(t) => t.clone(),
        None if !data.legs.is_empty() => {
            let mut t = format!("{first} → {last}");
            if let Some(total) = &data.total_label {
                t.push_str(&format!(" · {total}"));
            }
            t
        }
        None => {
            let names: Vec<&str> = data.stops.iter().map(|s| s.label.as_str()).collect();
            let mut t = names.join(", ");
            while text::width(&t, 16.0, true) > frame_rect.w && t.chars().count() > 8 {
                let n = t.chars().count();
                t = t.chars().take(n - 8).collect::<String>() + "…";
            }
            t
        }
    };
    let mut header_warnings = Vec::new();
    let mut tsize = title_size;
    while tsize > 14.0 && text::width(&title, tsize, true) > w - 2.0 * side {
        tsize -= 1.0;
    }
    let title = match fit_text(&title, tsize, true, w - 2.0 * side) {
        Some(t) if t != title => {
            header_warnings.push(format!("title shortened to {t:?} to fit the map's width"));
            t
        }
        Some(t) => t,
        None => String::new(),
    };
    let title_y = if compact { 26.0 } else { 36.0 };
    let tw = text::width(&title, tsize, true);
    boxes.push(PlacedBox {
        kind: BoxKind::Title,
        text: title.clone(),
        rect: Rect::new(side, title_y - tsize * text::ASCENT, tw, tsize),
        leader: None,
    });
    scene.header.push(TextItem {
        text: title,
        x: side,
        y: title_y,
        anchor: "start",
        size: tsize,
        bold: true,
        ..TextItem::default()
    });
    if data.stops.len() > 2 && !data.legs.is_empty() {
        let sub: Vec<&str> = data.stops.iter().map(|s| s.label.as_str()).collect();
        let mut sub = sub.join(" → ");
        let ssize = if compact { 13.0 } else { 16.0 };
        while text::width(&sub, ssize, false) > frame_rect.w && sub.chars().count() > 4 {
            let n = sub.chars().count();
            sub = sub.chars().take(n.saturating_sub(6)).collect::<String>() + "…";
        }
        let sy = title_y + ssize + 6.0;
        boxes.push(PlacedBox {
            kind: BoxKind::Subtitle,
            text: sub.clone(),
            rect: Rect::new(
                side,
                sy - ssize * text::ASCENT,
                text::width(&sub, ssize, false),
                ssize,
            ),
            leader: None,
        });
        scene.header.push(TextItem {
            text: sub,
            x: side,
            y: sy,
            anchor: "start",
            size: ssize,
            muted: true,
            ..TextItem::default()
        });
    }
    let (attr, asize, shortened) = attribution_line(data, w - 8.0);
    if shortened {
        header_warnings.push(format!(
            "attribution shortened to {attr:?} to fit the map's width"
        ));
    }
    let aw = text::width(&attr, asize, false);
    let ay = h - 9.0;
    // Right-aligned under the frame, or from the left edge when wider.
    let ax = (w - side).max(aw + 4.0).min(w - 4.0);
    boxes.push(PlacedBox {
        kind: BoxKind::Attribution,
        text: attr.clone(),
        rect: Rect::new(ax - aw, ay - asize * text::ASCENT, aw, asize),
        leader: None,
    });
    scene.header.push(TextItem {
        text: attr,
        x: ax,
        y: ay,
        anchor: "end",
        size: asize,
        muted: true,
        ..TextItem::default()
    });

    // ---- corner furniture: inset, legend, scale bar (+ north arrow)
    let pad = 12.0;
    let center_px = (
        frame_rect.x + frame_rect.w / 2.0,
        frame_rect.y + frame_rect.h / 2.0,
    );
    let center = geo
        .geo(center_px.0, center_px.1)
        .unwrap_or((geo.proj.lon0, geo.proj.lat0));
    let test_m = frame_rect.w * 0.1 * m_per_px;
    let c = Point::new(center.0, center.1);
    let pe = Geodesic.destination(c, 90.0, test_m / 2.0);
    let pw = Geodesic.destination(c, 270.0, test_m / 2.0);
    let a = geo.px(geo.unwrap_lon(pw.x()), pw.y());
    let b = geo.px(geo.unwrap_lon(pe.x()), pe.y());
    let px_per_m = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt() / test_m;
    let target_px = (frame_rect.w * 0.16).clamp(90.0, 260.0);
    let mut km = nice_below(target_px / px_per_m / 1000.0);
    let mut mi = nice_below(target_px / px_per_m / 1609.344);
    let mut km_px = km * 1000.0 * px_per_m;
    let mut mi_px = mi * 1609.344 * px_per_m;
    // A north arrow where north is not straight up, but not on world or
    // polar maps, where north is not one direction.
    let pole_in_frame = [90.0, -90.0].iter().any(|&lat| {
        let (x, y) = geo.px(geo.proj.lon0, lat);
        frame_rect.contains(x, y)
    });
    let world_like = geo.proj.kind == ProjectionKind::EqualEarth
        || view.east - view.west >= 120.0
        || pole_in_frame;
    let north = (!geo.proj.kind.north_is_up() && !world_like).then_some(());
    let bar_w = km_px.max(mi_px) + 70.0 + if north.is_some() { 44.0 } else { 0.0 };
    let bar_h = 62.0;

    let mut legend_entries = legend_entries(data, !scene.railways.is_empty());
    let lsize = 14.0;
    let legend_size = |entries: &[(LegendSymbol, String)]| {
        let w = entries
            .iter()
            .map(|(_, t)| text::width(t, lsize, false))
            .fold(0.0, f64::max)
            + 62.0;
        (w, entries.len() as f64 * 24.0 + 18.0)
    };
    let (legend_w, legend_h) = legend_size(&legend_entries);

    let inset_wanted = lon_span < 100.0 && lat_span < 60.0;
    let inset_w = (frame_rect.w * 0.2).clamp(140.0, 300.0);
    let inset_h = inset_w * 0.72;

    let mut items: Vec<(BoxKind, f64, f64)> = vec![(BoxKind::ScaleBar, bar_w, bar_h)];
    if !legend_entries.is_empty() {
        items.push((BoxKind::Legend, legend_w, legend_h));
    }
    if inset_wanted {
        items.push((BoxKind::Inset, inset_w, inset_h));
    }
    let corner_rect = |corner: usize, bw: f64, bh: f64| {
        let x = if corner % 2 == 0 {
            frame_rect.x + pad
        } else {
            frame_rect.right() - pad - bw
        };
        let y = if corner < 2 {
            frame_rect.y + pad
        } else {
            frame_rect.bottom() - pad - bh
        };
        Rect::new(x, y, bw, bh)
    };
    // What the furniture should not hide: route samples and stops with
    // room for their labels.
    let mut keep_clear: Vec<(Rect, f64)> = Vec::new();
    for (i, (x, y, role)) in scene.markers.iter().enumerate() {
        let bold = matches!(role, StopRole::Start | StopRole::End);
        let lw = text::width(&data.stops[i].label, if bold { 18.0 } else { 16.0 }, bold);
        keep_clear.push((Rect::new(x - 16.0, y - 16.0, 32.0, 32.0), 60.0));
        keep_clear.push((
            Rect::new(x - lw - 14.0, y - 14.0, 2.0 * lw + 28.0, 28.0),
            25.0,
        ));
    }
    for leg in &scene.legs {
        for piece in leg {
            for p in piece.iter().step_by(3) {
                keep_clear.push((
                    Rect::new(f64::from(p.0) - 2.0, f64::from(p.1) - 2.0, 4.0, 4.0),
                    1.0,
                ));
            }
        }
    }
    // Preferred corners: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
    let prefer = |k: BoxKind| match k {
        BoxKind::Inset => [1, 0, 3, 2],
        BoxKind::Legend => [3, 2, 0, 1],
        _ => [2, 3, 0, 1],
    };
    let place = |items: &[(BoxKind, f64, f64)]| {
        let mut best: Option<(f64, Vec<usize>)> = None;
        for perm in permutations(4, items.len()) {
            let mut cost = 0.0;
            // Furniture stays in the frame and off other furniture.
            let rects: Vec<Rect> = perm
                .iter()
                .enumerate()
                .map(|(i, &corner)| corner_rect(corner, items[i].1, items[i].2))
                .collect();
            let fits = rects.iter().enumerate().all(|(i, r)| {
                frame_rect.contains_rect(r) && rects[i + 1..].iter().all(|o| !o.intersects(r))
            });
            if !fits {
                continue;
            }
            for (i, &corner) in perm.iter().enumerate() {
                let (kind, bw, bh) = items[i];
                let r = corner_rect(corner, bw, bh).inflate(6.0);
                cost += keep_clear
                    .iter()
                    .filter(|(k, _)| k.intersects(&r))
                    .map(|(_, wgt)| wgt)
                    .sum::<f64>();
                cost += prefer(kind).iter().position(|&c| c == corner).unwrap_or(3) as f64 * 0.5;
            }
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, perm));
            }
        }
        best
    };
    let cost = |b: &Option<(f64, Vec<usize>)>| b.as_ref().map_or(f64::INFINITY, |(c, _)| *c);
    // An arrangement worth switching to: cheaper by more than a corner preference.
    let clearly_better = |alt: &Option<(f64, Vec<usize>)>, best: &Option<(f64, Vec<usize>)>| {
        cost(alt) + 10.0 < cost(best)
    };
    let leave_out = |items: &[(BoxKind, f64, f64)], kind: BoxKind| -> Vec<(BoxKind, f64, f64)> {
        items
            .iter()
            .copied()
            .filter(|(k, _, _)| *k != kind)
            .collect()
    };
    let mut best = place(&items);
    // The locator inset is the one piece of furniture a map can do without: when
    // every arrangement hides a stop or its label, leave it out.
    if inset_wanted && cost(&best) >= 25.0 {
        let without = leave_out(&items, BoxKind::Inset);
        let alt = place(&without);
        if clearly_better(&alt, &best) {
            items = without;
            best = alt;
        }
    }
    // Then a shorter legend: the route line (and the towns), without the stop
    // markers, which the map labels explain, and the border line.
    if cost(&best) >= 25.0 && legend_entries.len() > 2 {
        let short: Vec<(LegendSymbol, String)> = legend_entries
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k,
                    LegendSymbol::Route
                        | LegendSymbol::Approximate
                        | LegendSymbol::Waypoint
                        | LegendSymbol::Railway
                )
            })
            .cloned()
            .collect();
        if !short.is_empty() {
            let (w, h) = legend_size(&short);
            let alt_items: Vec<_> = items
                .iter()
                .map(|&(k, bw, bh)| match k {
                    BoxKind::Legend => (k, w, h),
                    _ => (k, bw, bh),
                })
                .collect();
            let alt = place(&alt_items);
            if clearly_better(&alt, &best) {
                items = alt_items;
                best = alt;
                legend_entries = short;
            }
        }
    }
    // On a map too small for any of that, no legend rather than a hidden stop.
    let mut legend_left_out = false;
    if cost(&best) >= 60.0 {
        let without = leave_out(&items, BoxKind::Legend);
        let alt = place(&without);
        if clearly_better(&alt, &best) {
            items = without;
            best = alt;
            legend_left_out = true;
        }
    }
    // The inset, once more, against what is left.
    if cost(&best) >= 25.0 && items.iter().any(|i| i.0 == BoxKind::Inset) {
        let without = leave_out(&items, BoxKind::Inset);
        let alt = place(&without);
        if clearly_better(&alt, &best) {
            items = without;
            best = alt;
        }
    }
    // A shorter scale bar (about 40 px) before none at all.
    if cost(&best) >= 60.0 || best.is_none() {
        let (skm, smi) = (
            nice_below(40.0 / px_per_m / 1000.0),
            nice_below(40.0 / px_per_m / 1609.344),
        );
        let (skm_px, smi_px) = (skm * 1000.0 * px_per_m, smi * 1609.344 * px_per_m);
        let sw = skm_px.max(smi_px) + 70.0 + if north.is_some() { 44.0 } else { 0.0 };
        let alt_items: Vec<_> = items
            .iter()
            .map(|&(k, bw, bh)| match k {
                BoxKind::ScaleBar => (k, sw, bh),
                _ => (k, bw, bh),
            })
            .collect();
        let alt = place(&alt_items);
        if clearly_better(&alt, &best) || (best.is_none() && alt.is_some()) {
            items = alt_items;
            best = alt;
            (km, mi, km_px, mi_px) = (skm, smi, skm_px, smi_px);
        }
    }
    // Last, the scale bar (and the north arrow on it).
    let mut scale_left_out = false;
    if cost(&best) >= 60.0 || best.is_none() {
        let without = leave_out(&items, BoxKind::ScaleBar);
        let alt = place(&without);
        if clearly_better(&alt, &best) || (best.is_none() && alt.is_some()) {
            items = without;
            best = alt;
            scale_left_out = true;
        }
    }
    let assignment = best.map(|b| b.1).unwrap_or_default();
    let mut scale_rect = Rect::new(0.0, 0.0, 0.0, 0.0);
    for (i, &corner) in assignment.iter().enumerate() {
        let (kind, bw, bh) = items[i];
        let r = corner_rect(corner, bw, bh);
        match kind {
            BoxKind::ScaleBar => scale_rect = r,
            BoxKind::Legend => {
                scene.legend = Some((Rect0(r.x, r.y, r.w, r.h), legend_entries.clone()));
            }
            BoxKind::Inset => {
                scene.inset = Some(inset(&geo, &view, r));
            }
            _ => {}
        }
        boxes.push(PlacedBox {
            kind,
            text: match kind {
                BoxKind::ScaleBar => format!("{} km / {} mi", fmt_num(km), fmt_num(mi)),
                BoxKind::Legend => "legend".to_owned(),
                _ => "locator".to_owned(),
            },
            rect: r,
            leader: None,
        });
    }
    let north_arrow_deg = north.filter(|_| !scale_left_out).and_then(|_| {
        let ax = scale_rect.right() - 24.0;
        let ay = scale_rect.y + scale_rect.h / 2.0;
        let (lon, lat) = geo.geo(ax, ay)?;
        let deg = geo.proj.north_angle(lon, lat);
        // Only worth an arrow if north is visibly off vertical somewhere.
        let corners = [
            (frame_rect.x, frame_rect.y),
            (frame_rect.right(), frame_rect.y),
            (frame_rect.x, frame_rect.bottom()),
            (frame_rect.right(), frame_rect.bottom()),
        ];
        let tilted = corners.iter().any(|&(x, y)| {
            geo.geo(x, y)
                .is_none_or(|(lo, la)| geo.proj.north_angle(lo, la).abs() > 1.0)
        });
        tilted.then_some(deg)
    });

    // ---- labels
    let mut placer = Placer {
        frame: frame_rect.inflate(-2.0),
        obstacles: boxes
            .iter()
            .filter(|b| matches!(b.kind, BoxKind::ScaleBar | BoxKind::Legend | BoxKind::Inset))
            .map(|b| b.rect.inflate(4.0))
            .collect(),
        segments: Vec::new(),
    };
    for (i, leg) in scene.legs.iter().enumerate() {
        for piece in leg {
            for s in piece.windows(2) {
                placer.segments.push((
                    i,
                    (f64::from(s[0].0), f64::from(s[0].1)),
                    (f64::from(s[1].0), f64::from(s[1].1)),
                ));
            }
        }
    }
    let mut warnings = header_warnings;
    let mut inset_placed = false;
    if legend_left_out {
        warnings
            .push("legend left out: on a map this small every corner would hide a stop".to_owned());
    }
    if scale_left_out {
        warnings.push(
            "scale bar left out: on a map this small every corner would hide a stop".to_owned(),
        );
    }
    for b in &boxes {
        if b.kind == BoxKind::Inset {
            inset_placed = true;
        }
    }
    if inset_wanted && !inset_placed {
        warnings.push("locator inset left out: no corner free of the route".to_owned());
    }
    for (i, &(x, y, role)) in scene.markers.iter().enumerate() {
        if !frame_rect.contains(x, y) {
            warnings.push(format!(
                "stop {:?} lies outside the map frame and is not drawn",
                data.stops[i].label
            ));
            continue;
        }
        let r = marker_radius(role) * data.stops[i].size + 2.0;
        let rect = Rect::new(x - r, y - r, 2.0 * r, 2.0 * r);
        placer.obstacles.push(rect);
        boxes.push(PlacedBox {
            kind: BoxKind::Marker,
            text: data.stops[i].label.clone(),
            rect,
            leader: None,
        });
    }
    // Stop labels: start and end first, then the others in route order.
    let mut order: Vec<usize> = (0..data.stops.len()).collect();
    order.sort_by_key(|&i| match data.stops[i].role {
        StopRole::Start | StopRole::End => 0,
        _ => 1,
    });
    let mut stop_labels: Vec<Option<StopLabel>> = vec![None; data.stops.len()];
    for &i in &order {
        let stop = &data.stops[i];
        let (mx, my, role) = scene.markers[i];
        if !frame_rect.contains(mx, my) {
            continue;
        }
        let bold = matches!(role, StopRole::Start | StopRole::End);
        let size = if bold { 18.0 } else { 16.0 };
        // One line, or two lines split at the space nearest the middle.
        let mut variants: Vec<Vec<String>> = vec![vec![stop.label.clone()]];
        let half = stop.label.chars().count() / 2;
        if let Some((cut, _)) = stop
            .label
            .char_indices()
            .filter(|(_, c)| *c == ' ')
            .min_by_key(|(i, _)| (stop.label[..*i].chars().count() as i64 - half as i64).abs())
        {
            variants.push(vec![
                stop.label[..cut].trim().to_owned(),
                stop.label[cut..].trim().to_owned(),
            ]);
        }
        let line_h = size * 1.15;
        let g0 = marker_radius(role) * stop.size + 3.0;
        let mut best: Option<Candidate> = None;
        'rings: for (ring, extra) in [(0.0, 0.0), (26.0, 30.0), (56.0, 60.0)] {
            for (vi, lines) in variants.iter().enumerate() {
                let bw = lines
                    .iter()
                    .map(|l| text_box(l, size, bold).0)
                    .fold(0.0, f64::max);
                let bh = text_box("", size, bold).1 + line_h * (lines.len() - 1) as f64;
                let g = g0 + ring;
                let d = g * 0.75;
                let cands = [
                    (mx + g, my - bh / 2.0, "start"),
                    (mx - g - bw, my - bh / 2.0, "end"),
                    (mx + d, my - d - bh, "start"),
                    (mx + d, my + d, "start"),
                    (mx - d - bw, my - d - bh, "end"),
                    (mx - d - bw, my + d, "end"),
                    (mx - bw / 2.0, my - g - bh, "middle"),
                    (mx - bw / 2.0, my + g, "middle"),
                ];
                for (k, &(x, y, align)) in cands.iter().enumerate() {
                    let r = Rect::new(x, y, bw, bh);
                    if !placer.free(&r) {
                        continue;
                    }
                    let cost = extra
                        + 8.0 * vi as f64
                        + k as f64
                        + 6.0 * placer.crossings(&r, None) as f64;
                    if best.as_ref().is_none_or(|b| cost < b.0) {
                        let leader = (ring > 0.0).then(|| {
                            let (tx, ty) = nearest_on_rect(&r, mx, my);
                            let (dx, dy) = (tx - mx, ty - my);
                            let l = (dx * dx + dy * dy).sqrt().max(1e-9);
                            let rr = marker_radius(role) * stop.size + 1.0;
                            [mx + dx / l * rr, my + dy / l * rr, tx, ty]
                        });
                        best = Some((cost, r, leader, align, vi));
                    }
                }
                if best.is_some() {
                    break 'rings;
                }
            }
        }
        match best {
            Some((_, r, leader, align, vi)) => {
                placer.obstacles.push(r);
                let x = match align {
                    "start" => r.x + HALO,
                    "end" => r.right() - HALO,
                    _ => r.x + r.w / 2.0,
                };
                let item = TextItem {
                    text: stop.label.clone(),
                    lines: if vi == 0 {
                        Vec::new()
                    } else {
                        variants[vi].clone()
                    },
                    line_h,
                    x,
                    y: r.y + HALO + size * text::ASCENT,
                    anchor: align,
                    size,
                    bold,
                    halo: true,
                    ..TextItem::default()
                };
                stop_labels[i] = Some((item, leader, r));
            }
            None => warnings.push(format!(
                "label {:?} dropped: no room beside its marker without overlapping another label",
                stop.label
            )),
        }
    }
    for (item, leader, r) in stop_labels.into_iter().flatten() {
        boxes.push(PlacedBox {
            kind: BoxKind::StopLabel,
            text: item.text.clone(),
            rect: r,
            leader,
        });
        scene.stop_labels.push((item, leader));
    }
    // Leg labels: a pill sitting on the leg, near its middle if possible.
    for (li, leg) in data.legs.iter().enumerate() {
        let size = 14.0;
        let tw = text::width(&leg.label, size, true);
        let (bw, bh) = (tw + 14.0, 22.0);
        let pieces = &scene.legs[li];
        let total: f64 = pieces.iter().map(polyline_len).sum();
        let mut best: Option<(f64, Rect, Option<[f64; 4]>)> = None;
        if total > 0.0 {
            for (k, f) in [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82]
                .iter()
                .enumerate()
            {
                let Some((px, py, nx, ny)) = point_along(pieces, total * f) else {
                    continue;
                };
                if !placer.frame.contains(px, py) {
                    continue;
                }
                for (off, extra) in [(0.0, 0.0), (bh / 2.0 + 8.0, 4.0), (-(bh / 2.0 + 8.0), 4.0)] {
                    let (cx, cy) = (px + nx * off, py + ny * off);
                    let r = Rect::new(cx - bw / 2.0, cy - bh / 2.0, bw, bh);
                    if !placer.free(&r) {
                        continue;
                    }
                    let cost = k as f64 + extra + 6.0 * placer.crossings(&r, Some(li)) as f64;
                    if best.as_ref().is_none_or(|b| cost < b.0) {
                        best = Some((cost, r, None));
                    }
                }
            }
            if best.is_none() {
                // Leader line from the leg's middle to a box further out.
                if let Some((px, py, nx, ny)) = point_along(pieces, total * 0.5) {
                    'outer: for dist in [40.0, 70.0, 110.0] {
                        for (sx, sy) in [(nx, ny), (-nx, -ny), (0.0, -1.0), (0.0, 1.0)] {
                            let (cx, cy) = (px + sx * dist, py + sy * dist);
                            let r = Rect::new(cx - bw / 2.0, cy - bh / 2.0, bw, bh);
                            if placer.free(&r) {
                                let (tx, ty) = nearest_on_rect(&r, px, py);
                                best = Some((0.0, r, Some([px, py, tx, ty])));
                                break 'outer;
                            }
                        }
                    }
                }
            }
        }
        match best {
            Some((_, r, leader)) => {
                placer.obstacles.push(r);
                boxes.push(PlacedBox {
                    kind: BoxKind::LegLabel,
                    text: leg.label.clone(),
                    rect: r,
                    leader,
                });
                scene.leg_labels.push(LegLabelItem {
                    rect: Rect0(r.x, r.y, r.w, r.h),
                    text: TextItem {
                        text: leg.label.clone(),
                        x: r.x + r.w / 2.0,
                        y: r.y + r.h / 2.0 + size * 0.36,
                        anchor: "middle",
                        size,
                        bold: true,
                        ..TextItem::default()
                    },
                    leader,
                });
            }
            None if total > 0.0 => warnings.push(format!(
                "distance label {:?} of leg {} dropped: no room along the leg inside the frame",
                leg.label,
                li + 1
            )),
            None if !data.legs[li].path.is_empty() && total == 0.0 => warnings.push(format!(
                "distance label {:?} of leg {} dropped: the leg has no length on the map",
                leg.label,
                li + 1
            )),
            None => {}
        }
    }

    place_waypoints(data, &geo, &mut placer, &mut boxes, &mut scene);
    // The legend names the towns only when some are drawn; without them its
    // panel loses that row (from the bottom up when it stands in a bottom corner).
    if scene.waypoints.is_empty() {
        if let Some((r, entries)) = &mut scene.legend {
            if let Some(i) = entries
                .iter()
                .position(|(k, _)| matches!(k, LegendSymbol::Waypoint))
            {
                entries.remove(i);
                if r.1 + r.3 > frame_rect.bottom() - pad - 1.0 {
                    r.1 += 24.0;
                }
                r.3 -= 24.0;
                if let Some(b) = boxes.iter_mut().find(|b| matches!(b.kind, BoxKind::Legend)) {
                    b.rect = Rect::new(r.0, r.1, r.2, r.3);
                }
            }
        }
    }

    // Context: cities and towns first, then country names, water, rivers
    // and regions, each only where it touches nothing placed before.
    let mut taken: Vec<(f64, f64, String)> = scene
        .markers
        .iter()
        .zip(&data.stops)
        .map(|(m, s)| (m.0, m.1, s.label.clone()))
        .collect();
    taken.extend(
        scene
            .waypoints
            .iter()
            .map(|(x, y, t)| (*x, *y, t.text.clone())),
    );
    context::place_cities(
        &geo,
        &choice,
        &data.places,
        &taken,
        &mut placer,
        &mut boxes,
        &mut scene,
    );

    // Country names: only where they fit inside the country and clear of
    // everything else.
    let mut placed_countries = 0;
    for c in countries() {
        if placed_countries >= 30 {
            break;
        }
        let text = c.name.to_uppercase();
        let size = if c.area_km2 > 1.5e6 {
            15.0
        } else if c.area_km2 > 2e5 {
            13.5
        } else {
            12.0
        };
        let spacing = (size * 0.14_f64).round();
        let n = text.chars().count() as f64;
        let tw = text::width(&text, size, false) + spacing * n;
        let th = size * (text::ASCENT + text::DESCENT);
        let inner = frame_rect.inflate(-8.0);
        for &(lon, lat, clear) in &c.anchors {
            let (x, y) = geo.px(geo.unwrap_lon(lon), lat);
            if !inner.contains(x, y) {
                continue;
            }
            let clear_px = clear * 111_195.0 * px_per_m;
            if clear_px < th || tw / 2.0 > clear_px * 2.5 {
                continue;
            }
            let r = Rect::new(x - tw / 2.0, y - th / 2.0, tw, th);
            if !placer.free(&r) || placer.crossings(&r, None) > 0 {
                continue;
            }
            placer.obstacles.push(r.inflate(3.0));
            boxes.push(PlacedBox {
                kind: BoxKind::CountryLabel,
                text: c.name.clone(),
                rect: r,
                leader: None,
            });
            scene.country_labels.push(TextItem {
                text,
                x: x + spacing / 2.0,
                y: r.y + size * text::ASCENT,
                anchor: "middle",
                size,
                spacing,
                country: true,
                ..TextItem::default()
            });
            placed_countries += 1;
            break;
        }
    }

    context::place_water(&geo, &choice, px_per_m, &mut placer, &mut boxes, &mut scene);
    context::place_rivers(&rivers, &mut placer, &mut boxes, &mut scene);
    context::place_regions(&geo, &choice, &mut placer, &mut boxes, &mut scene);

    let scale_bar = ScaleBar {
        rect: scale_rect,
        km,
        km_px,
        mi,
        mi_px,
        true_at: [wrap180(center.0), center.1],
    };
    let up = |r: Rect| Rect::new(r.x * k, r.y * k, r.w * k, r.h * k);
    Ok(Layout {
        width: style.size.width,
        height: style.size.height,
        text_scale: k,
        projection: geo.proj.kind,
        center: [wrap180(center.0), center.1],
        basemap_level: level,
        frame: up(frame_rect),
        boxes: boxes
            .into_iter()
            .map(|b| PlacedBox {
                rect: up(b.rect),
                leader: b.leader.map(|l| l.map(|v| v * k)),
                ..b
            })
            .collect(),
        scale_bar: ScaleBar {
            rect: up(scale_rect),
            km_px: km_px * k,
            mi_px: mi_px * k,
            ..scale_bar.clone()
        },
        north_arrow_deg,
        warnings,
        canvas: Canvas {
            width: w,
            height: h,
            frame: frame_rect,
            scale_bar,
        },
        geo,
        scene,
    })
}

/// `text` cut at a word (or a character) and ended with "…" so that it is
/// at most `max_w` px wide at `size`; `None` when not even "…" fits.
pub(crate) fn fit_text(text: &str, size: f64, bold: bool, max_w: f64) -> Option<String> {
    if text::width(text, size, bold) <= max_w {
        return Some(text.to_owned());
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let head: String = chars[..n].iter().collect();
        let t = format!(
            "{}…",
            head.trim_end_matches([' ', '·', '→', ',']).trim_end()
        );
        if text::width(&t, size, bold) <= max_w {
            return Some(t);
        }
    }
    (text::width("…", size, bold) <= max_w).then(|| "…".to_owned())
}

/// The attribution line, its size and whether it had to be shortened to fit
/// `max_w` px: the full credits, then the same without their labels, then a
/// smaller size, then cut.
fn attribution_line(data: &MapData, max_w: f64) -> (String, f64, bool) {
    let mut full = vec!["Basemap: Natural Earth (public domain)".to_owned()];
    full.extend(data.attribution.iter().cloned());
    full.push("Map: routemap".to_owned());
    let mut short = vec!["Natural Earth".to_owned()];
    short.extend(
        data.attribution
            .iter()
            .map(|a| a.split_once(": ").map_or(a.as_str(), |(_, v)| v).to_owned()),
    );
    short.push("routemap".to_owned());
    let (full, short) = (full.join(" · "), short.join(" · "));
    for (t, size, cut) in [
        (&full, 11.0, false),
        (&short, 11.0, true),
        (&short, 9.0, true),
    ] {
        if text::width(t, size, false) <= max_w {
            return (t.clone(), size, cut);
        }
    }
    let t = fit_text(&short, 9.0, false, max_w).unwrap_or_default();
    (t, 9.0, true)
}

/// Radius of a waypoint's dot, px.
pub(crate) const WAYPOINT_R: f64 = 3.0;
/// Font size of a waypoint's label, px (stop labels are 16 and 18).
const WAYPOINT_SIZE: f64 = 13.0;
/// How close (px, centre to centre) a waypoint may come to a stop's marker.
const WAYPOINT_STOP_CLEAR: f64 = 26.0;
/// How close (px) two waypoints' dots may come: far enough apart that the
/// towns read as places on the line, not as a list down its side.
const WAYPOINT_SPACING: f64 = 48.0;

/// How many waypoints a frame of this size shows at most: about one per
/// 130,000 px², 3 to 10 (10 on a 1600×1200 map, 7 on 1200×900, 3 on
/// 800×600).
fn waypoint_cap(frame: &Rect) -> usize {
    ((frame.w * frame.h / 130_000.0).round() as usize).clamp(3, 10)
}

/// Places waypoints, most important first, each only where its dot and
/// label collide with nothing placed before and its label crosses no leg;
/// a waypoint that does not fit is dropped whole.
fn place_waypoints(
    data: &MapData,
    geo: &Frame,
    placer: &mut Placer,
    boxes: &mut Vec<PlacedBox>,
    scene: &mut Scene,
) {
    if data.waypoints.is_empty() {
        return;
    }
    let cap = waypoint_cap(&placer.frame);
    let mut order: Vec<usize> = (0..data.waypoints.len()).collect();
    order.sort_by_key(|&i| (data.waypoints[i].rank, i));
    let stops: Vec<(f64, f64)> = scene.markers.iter().map(|m| (m.0, m.1)).collect();
    let mut dots: Vec<(f64, f64)> = Vec::new();
    let (_, bh) = text_box("", WAYPOINT_SIZE, false);
    for i in order {
        if dots.len() >= cap {
            break;
        }
        let w = &data.waypoints[i];
        let ok =
            w.lon.is_finite() && w.lat.is_finite() && w.lon.abs() <= 180.0 && w.lat.abs() <= 90.0;
        if !ok || w.label.trim().is_empty() {
            continue;
        }
        let (x, y) = geo.px(geo.unwrap_lon(w.lon), w.lat);
        let near = |pts: &[(f64, f64)], d: f64| pts.iter().any(|p| (p.0 - x).hypot(p.1 - y) < d);
        if !x.is_finite()
            || !y.is_finite()
            || near(&stops, WAYPOINT_STOP_CLEAR)
            || near(&dots, WAYPOINT_SPACING)
        {
            continue;
        }
        let r = WAYPOINT_R + 1.5;
        let dot = Rect::new(x - r, y - r, 2.0 * r, 2.0 * r);
        if !placer.free(&dot) {
            continue;
        }
        let bw = text_box(&w.label, WAYPOINT_SIZE, false).0;
        let g = WAYPOINT_R + 3.0;
        let d = g * 0.8;
        let cands = [
            (x + g, y - bh / 2.0, "start"),
            (x - g - bw, y - bh / 2.0, "end"),
            (x + d, y - d - bh, "start"),
            (x + d, y + d, "start"),
            (x - d - bw, y - d - bh, "end"),
            (x - d - bw, y + d, "end"),
            (x - bw / 2.0, y - g - bh, "middle"),
            (x - bw / 2.0, y + g, "middle"),
        ];
        // The first position that is free and clear of the route line (with
        // room for the line's width), in the order of preference above.
        let Some(&(lx, ly, align)) = cands.iter().find(|&&(lx, ly, _)| {
            let lr = Rect::new(lx, ly, bw, bh);
            placer.free(&lr)
                && !lr.intersects(&dot)
                && placer.crossings(&lr.inflate(2.0), None) == 0
        }) else {
            continue;
        };
        let lr = Rect::new(lx, ly, bw, bh);
        placer.obstacles.push(dot);
        placer.obstacles.push(lr);
        dots.push((x, y));
        boxes.push(PlacedBox {
            kind: BoxKind::Waypoint,
            text: w.label.clone(),
            rect: dot,
            leader: None,
        });
        boxes.push(PlacedBox {
            kind: BoxKind::WaypointLabel,
            text: w.label.clone(),
            rect: lr,
            leader: None,
        });
        let tx = match align {
            "start" => lr.x + HALO,
            "end" => lr.right() - HALO,
            _ => lr.x + lr.w / 2.0,
        };
        scene.waypoints.push((
            x,
            y,
            TextItem {
                text: w.label.clone(),
                x: tx,
                y: lr.y + HALO + WAYPOINT_SIZE * text::ASCENT,
                anchor: align,
                size: WAYPOINT_SIZE,
                muted: true,
                halo: true,
                ..TextItem::default()
            },
        ));
    }
}

struct Country {
    name: String,
    area_km2: f64,
    /// lon, lat, clearance (degrees), best first.
    anchors: Vec<(f64, f64, f64)>,
}

/// Country names and label anchors, largest country first
/// (`gazetteer/basemap/country_labels.tsv`, from Natural Earth).
fn countries() -> &'static [Country] {
    static TSV: &str = include_str!("../../gazetteer/basemap/country_labels.tsv");
    static LIST: std::sync::OnceLock<Vec<Country>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        TSV.lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split('\t');
                let name = f.next()?.to_owned();
                let area_km2 = f.next()?.parse().ok()?;
                let anchors = f
                    .next()?
                    .split(';')
                    .filter_map(|a| {
                        let mut v = a.split(',').map(|x| x.parse::<f64>());
                        Some((v.next()?.ok()?, v.next()?.ok()?, v.next()?.ok()?))
                    })
                    .collect();
                Some(Country {
                    name,
                    area_km2,
                    anchors,
                })
            })
            .collect()
    })
}

fn legend_entries(data: &MapData, railways: bool) -> Vec<(LegendSymbol, String)> {
    let mut v = Vec::new();
    if !data.legs.is_empty() {
        let route = match &data.route_kind {
            Some(k) if k.starts_with("by ") => format!("Route {k}"),
            Some(k) => format!("Route ({k})"),
            None => "Route".to_owned(),
        };
        let t = match &data.total_label {
            Some(t) => format!("{route}, {t}"),
            None => route,
        };
        v.push((LegendSymbol::Route, t));
        if !data.approximate.is_empty() {
            v.push((LegendSymbol::Approximate, "Approximate track".to_owned()));
        }
    }
    for (role, name) in [
        (StopRole::Start, "Start"),
        (StopRole::Via, "Stop"),
        (StopRole::End, "End"),
        (StopRole::Place, "Place"),
    ] {
        if data.stops.iter().any(|s| s.role == role) {
            v.push((LegendSymbol::Marker(role), name.to_owned()));
        }
    }
    if !data.waypoints.is_empty() {
        v.push((LegendSymbol::Waypoint, "Town on the way".to_owned()));
    }
    if railways {
        v.push((LegendSymbol::Railway, "Other railway lines".to_owned()));
    }
    v.push((LegendSymbol::Border, "International border".to_owned()));
    v
}

/// The inset locator: a wider view with the main frame outlined.
fn inset(main: &Frame, view: &GeoRect, r: Rect) -> Inset {
    let (clon, clat) = (
        (view.west + view.east) / 2.0,
        (view.north + view.south) / 2.0,
    );
    let lon_half = ((view.east - view.west) * 1.5).clamp(20.0, 60.0);
    let lat_half = ((view.north - view.south) * 1.2).clamp(12.0, 35.0);
    let s = (clat - lat_half).max(-85.0);
    let n = (clat + lat_half).min(85.0);
    let mut pts = Vec::new();
    for i in 0..=8 {
        let t = i as f64 / 8.0;
        pts.push((clon - lon_half + 2.0 * lon_half * t, s));
        pts.push((clon - lon_half + 2.0 * lon_half * t, n));
        pts.push((clon - lon_half, s + (n - s) * t));
        pts.push((clon + lon_half, s + (n - s) * t));
    }
    let inner = Rect::new(r.x, r.y, r.w, r.h);
    let f = fit(None, &pts, inner, 0.0, 0.0);
    let v = f.view();
    let land = basemap::query(LayerName::Land, 110, &v)
        .iter()
        .flat_map(|ring| f.project_line(ring, 0.7, true))
        .collect();
    let borders = basemap::query(LayerName::Borders, 110, &v)
        .iter()
        .flat_map(|l| f.project_line(l, 0.7, false))
        .collect();
    let mr = main.rect;
    let mut outline: Pts = Vec::new();
    let k = 24;
    let edge = |i: usize| -> (f64, f64) {
        let t = (i % k) as f64 / k as f64;
        match i / k {
            0 => (mr.x + t * mr.w, mr.y),
            1 => (mr.right(), mr.y + t * mr.h),
            2 => (mr.right() - t * mr.w, mr.bottom()),
            _ => (mr.x, mr.bottom() - t * mr.h),
        }
    };
    for i in 0..=4 * k {
        let (px, py) = edge(i.min(4 * k - 1));
        let (px, py) = if i == 4 * k { edge(0) } else { (px, py) };
        if let Some((lon, lat)) = main.geo(px, py) {
            let p = f.px(f.unwrap_lon(lon), lat);
            outline.push((p.0 as f32, p.1 as f32));
        }
    }
    Inset {
        rect: Rect0(r.x, r.y, r.w, r.h),
        land,
        borders,
        outline,
    }
}

fn permutations(k: usize, n: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(k: usize, n: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == n {
            out.push(cur.clone());
            return;
        }
        for c in 0..k {
            if !cur.contains(&c) {
                cur.push(c);
                rec(k, n, cur, out);
                cur.pop();
            }
        }
    }
    rec(k, n, &mut cur, &mut out);
    out
}

/// Where a projected polyline crosses an edge: `vertical_line` lines cross
/// the horizontal edge y = `at` (returns x), otherwise the vertical edge
/// x = `at` (returns y); only crossings between `lo` and `hi` count.
fn crossing(lines: &[Pts], vertical_line: bool, at: f64, lo: f64, hi: f64) -> Option<f64> {
    for l in lines {
        for s in l.windows(2) {
            let (a, b) = (
                (f64::from(s[0].0), f64::from(s[0].1)),
                (f64::from(s[1].0), f64::from(s[1].1)),
            );
            let (va, vb, ua, ub) = if vertical_line {
                (a.1, b.1, a.0, b.0)
            } else {
                (a.0, b.0, a.1, b.1)
            };
            if (va - at) * (vb - at) <= 0.0 && va != vb {
                let t = (at - va) / (vb - va);
                let u = ua + (ub - ua) * t;
                if u > lo + 8.0 && u < hi - 8.0 {
                    return Some(u);
                }
            }
        }
    }
    None
}

fn polyline_len(p: &Pts) -> f64 {
    p.windows(2)
        .map(|s| f64::from((s[1].0 - s[0].0).hypot(s[1].1 - s[0].1)))
        .sum()
}

/// The point `dist` pixels along the pieces, with the unit normal there.
fn point_along(pieces: &[Pts], mut dist: f64) -> Option<(f64, f64, f64, f64)> {
    for p in pieces {
        for s in p.windows(2) {
            let (ax, ay) = (f64::from(s[0].0), f64::from(s[0].1));
            let (bx, by) = (f64::from(s[1].0), f64::from(s[1].1));
            let l = (bx - ax).hypot(by - ay);
            if l <= 0.0 {
                continue;
            }
            if dist <= l {
                let t = dist / l;
                return Some((
                    ax + (bx - ax) * t,
                    ay + (by - ay) * t,
                    -(by - ay) / l,
                    (bx - ax) / l,
                ));
            }
            dist -= l;
        }
    }
    None
}

fn nearest_on_rect(r: &Rect, x: f64, y: f64) -> (f64, f64) {
    (x.clamp(r.x, r.right()), y.clamp(r.y, r.bottom()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lon_window_takes_the_short_way_across_the_antimeridian() {
        let (w, e) = lon_window(&mut [139.7, -149.9, -122.3]);
        assert!((w - 139.7).abs() < 1e-9);
        assert!((e - 237.7).abs() < 1e-9);
    }

    #[test]
    fn nice_numbers_round_down() {
        assert_eq!(nice_below(340.0), 200.0);
        assert_eq!(nice_below(99.0), 50.0);
        assert_eq!(nice_below(1.2), 1.0);
        assert_eq!(fmt_num(1696.0), "1,696");
    }

    #[test]
    fn degree_labels_name_the_hemisphere() {
        assert_eq!(deg_label(130.0, 'E', 'W'), "130°E");
        assert_eq!(deg_label(-77.5, 'E', 'W'), "77°30′W");
        assert_eq!(deg_label(10.75, 'E', 'W'), "10°45′E");
        assert_eq!(deg_label(51.25, 'N', 'S'), "51°15′N");
        assert_eq!(deg_label(0.0, 'N', 'S'), "0°");
    }

    #[test]
    fn automatic_projection_follows_the_extent() {
        assert_eq!(auto_projection(5.0, 39.0, 52.0), ProjectionKind::Conic);
        assert_eq!(
            auto_projection(10.0, -5.0, 8.0),
            ProjectionKind::WebMercator
        );
        assert_eq!(
            auto_projection(40.0, 70.0, 89.0),
            ProjectionKind::AzimuthalEquidistant
        );
        assert_eq!(
            auto_projection(246.0, 35.0, 60.0),
            ProjectionKind::EqualEarth
        );
    }
}
