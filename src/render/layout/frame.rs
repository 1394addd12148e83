//! The frame: the projection and its fit to the canvas. The first stage of
//! the layout; everything after it places against the [`Ctx`] it returns.

use geo::{Destination, Geodesic, Point};

use super::super::basemap::{clip_line, clip_polygon, GeoRect};
use super::super::projection::{Projection, ProjectionKind};
use super::super::{MapData, MapStyle, RenderError};
use super::{Pts, Rect};

/// What every stage after the framing reads: the data, the canvas, the
/// frame on it and the projection fitted to the frame, with its scales.
pub(crate) struct Ctx<'a> {
    pub data: &'a MapData,
    /// How much larger than on a 1600×1200 map everything is drawn.
    pub k: f64,
    /// Canvas width, canvas units (the image's width divided by `k`).
    pub w: f64,
    /// Canvas height, canvas units.
    pub h: f64,
    /// A canvas under 1000 units wide: smaller title and margins.
    pub compact: bool,
    /// The margin left and right of the frame.
    pub side: f64,
    /// The title's largest size.
    pub title_size: f64,
    /// The map frame on the canvas.
    pub frame: Rect,
    /// The projection fitted to the frame.
    pub geo: Frame,
    /// Metres per canvas unit at the projection's centre.
    pub m_per_px: f64,
    /// Metres per image pixel (the basemap's detail follows it).
    pub device_m_per_px: f64,
    /// Natural Earth level drawn: 10, 50 or 110.
    pub level: u32,
    /// The lon/lat box covering the frame, with a margin.
    pub view: GeoRect,
    /// The frame's centre, lon (unwrapped) and lat.
    pub center: (f64, f64),
    /// Canvas units per metre east–west at the centre (the scale bar's).
    pub px_per_m: f64,
}

/// Frames the map: canvas and frame sizes from the style, the projection
/// fitted to the route (or to `--bbox`), the basemap level and the scale.
pub(crate) fn frame<'a>(data: &'a MapData, style: &MapStyle) -> Result<Ctx<'a>, RenderError> {
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
    Ok(Ctx {
        data,
        k,
        w,
        h,
        compact,
        side,
        title_size,
        frame: frame_rect,
        geo,
        m_per_px,
        device_m_per_px,
        level,
        view,
        center,
        px_per_m,
    })
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

pub(crate) fn wrap180(d: f64) -> f64 {
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
    pub(crate) fn globe_outline(&self) -> Option<Pts> {
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
    pub(crate) fn view(&self) -> GeoRect {
        self.view_with(true)
    }

    /// The lon/lat box covering the frame, with a margin for reading the
    /// basemap or without one.
    pub(crate) fn view_with(&self, margin: bool) -> GeoRect {
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

    /// Whether the step between two nearby lon/lat points (degrees) jumps
    /// across the map: far more pixels than its length on the ground at the
    /// map's scale, as near the antipode of an azimuthal map's centre.
    fn jumps(&self, a: (f64, f64), b: (f64, f64), pa: (f64, f64), pb: (f64, f64)) -> bool {
        let px = (pb.0 - pa.0).hypot(pb.1 - pa.1);
        let k = ((a.1 + b.1) / 2.0).to_radians().cos();
        let m = ((b.0 - a.0) * k * 111_320.0).hypot((b.1 - a.1) * 110_574.0);
        px.is_nan() || px > 20.0 * m * self.s + 20.0
    }

    /// Projects lon/lat lines to pixels: densifies long segments (so clipped
    /// edges and coarse data follow the projection's curves), breaks where a
    /// line jumps across the map's seam, and drops vertices closer than
    /// `min_px` to the last kept one. Each vertex is projected once (the
    /// projection is most of the basemap stage's time).
    pub(crate) fn project_line(
        &self,
        line: &[geo::Coord<f64>],
        min_px: f64,
        closed: bool,
    ) -> Vec<Pts> {
        let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut cur: Vec<(f64, f64)> = Vec::new();
        let mut prev: Option<(f64, f64)> = None;
        // The previous vertex, projected.
        let mut prev_px = (f64::NAN, f64::NAN);
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
            let end_px = self.px(lon, lat);
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
                    let mut pp = prev_px;
                    let mut pg = (plon, plat);
                    for i in 1..=steps {
                        let t = i as f64 / steps as f64;
                        let g = (plon + (lon - plon) * t, plat + (lat - plat) * t);
                        let p = if g == (lon, lat) {
                            end_px
                        } else {
                            self.px(g.0, g.1)
                        };
                        if !closed && self.jumps(pg, g, pp, p) {
                            if cur.len() >= 2 {
                                out.push(std::mem::take(&mut cur));
                            }
                            cur.clear();
                            cur.push(p);
                            last_px = p;
                        } else if i < steps {
                            push_px(&mut cur, &mut last_px, p, min2);
                        }
                        (pp, pg) = (p, g);
                    }
                }
            }
            let p = end_px;
            if cur.is_empty() {
                cur.push(p);
                last_px = p;
            } else {
                push_px(&mut cur, &mut last_px, p, min2);
            }
            prev = Some((lon, lat));
            prev_px = end_px;
        }
        // Keep the last vertex even when it is close to the previous one,
        // so that a ring's closing edge starts where the ring ends.
        if let (Some(l), Some(&lastp)) = (closing.as_ref().or(line.last()), cur.last()) {
            let p = self.px(l.x, l.y);
            // Compared as drawn (f32), as the pieces are.
            if (f64::from(lastp.0 as f32), f64::from(lastp.1 as f32)) != p {
                cur.push(p);
            }
        }
        if cur.len() >= 2 {
            out.push(cur);
        }
        self.guard(out, closed)
    }

    /// Cuts projected lines or rings to the frame widened by four times the
    /// canvas on every side, and drops non-finite vertices. Near a pole a
    /// projection sends points towards infinity (a conic's opposite pole,
    /// Mercator's poles), and coordinates of 10^12 pixels reach the
    /// rasteriser, which cannot draw them. What lies inside the guard is
    /// unchanged, so the map looks the same.
    fn guard(&self, pieces: Vec<Vec<(f64, f64)>>, closed: bool) -> Vec<Pts> {
        let m = 4.0 * self.rect.w.max(self.rect.h);
        let r = GeoRect {
            west: self.rect.x - m,
            south: self.rect.y - m,
            east: self.rect.x + self.rect.w + m,
            north: self.rect.y + self.rect.h + m,
        };
        let inside =
            |p: &(f64, f64)| (r.west..=r.east).contains(&p.0) && (r.south..=r.north).contains(&p.1);
        let to_pts =
            |v: &[geo::Coord<f64>]| -> Pts { v.iter().map(|c| (c.x as f32, c.y as f32)).collect() };
        let mut out = Vec::with_capacity(pieces.len());
        for piece in pieces {
            if piece.iter().all(inside) {
                out.push(piece.iter().map(|p| (p.0 as f32, p.1 as f32)).collect());
                continue;
            }
            // Runs of finite vertices, each clipped on its own.
            for run in piece.split(|p| !(p.0.is_finite() && p.1.is_finite())) {
                let run: Vec<geo::Coord<f64>> =
                    run.iter().map(|&(x, y)| geo::Coord { x, y }).collect();
                if closed {
                    let ring = clip_polygon(&run, &r);
                    if ring.len() >= 3 {
                        out.push(to_pts(&ring));
                    }
                } else {
                    out.extend(clip_line(&run, &r).iter().map(|l| to_pts(l)));
                }
            }
        }
        out
    }
}

fn push_px(cur: &mut Vec<(f64, f64)>, last: &mut (f64, f64), p: (f64, f64), min2: f64) {
    let d2 = (p.0 - last.0).powi(2) + (p.1 - last.1).powi(2);
    if d2 >= min2 || last.0.is_nan() {
        cur.push(p);
        *last = p;
    }
}

/// The smallest longitude interval holding every value: west..east with
/// east possibly above 180 (unwrapped).
pub(crate) fn lon_window(lons: &mut [f64]) -> (f64, f64) {
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

pub(crate) fn auto_projection(lon_span: f64, lat_min: f64, lat_max: f64) -> ProjectionKind {
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
pub(crate) fn fit(
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
