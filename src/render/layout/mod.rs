//! Framing, basemap selection and collision-free placement of every label
//! and piece of map furniture. The result, [`Layout`], is plain data: the
//! SVG writer only draws what is here, and tests read the same boxes.
//!
//! [`compute`] runs the stages in order, each in its own module and each
//! placing its items against what is already placed:
//!
//! 1. [`frame`]: the projection fitted to the route on the canvas;
//! 2. [`layers`]: basemap, rivers, region lines, other railways;
//! 3. [`graticule`]: meridians, parallels and their labels;
//! 4. [`stops`] (projection): legs and markers;
//! 5. [`header`]: title, subtitle, attribution;
//! 6. [`furniture`]: scale bar, north arrow, legend, inset in the corners;
//! 7. [`stops`] (labels): markers' boxes, stop names, leg distances;
//! 8. [`waypoints`]: towns on the way, then the legend's trim;
//! 9. context: cities, [`countries`], water, rivers and regions
//!    (`render/context.rs`).
//!
//! The [`scene`] they fill is the display list the SVG writer draws.

use serde::Serialize;

use super::context;
use super::projection::ProjectionKind;
use super::text;
use super::{MapData, MapStyle, RenderError};
use frame::wrap180;

mod countries;
mod frame;
mod furniture;
mod graticule;
mod header;
mod layers;
mod placer;
mod scene;
mod stops;
mod waypoints;

pub(crate) use frame::{Ctx, Frame};
pub(crate) use furniture::fmt_num;
pub(crate) use placer::{positions_around, text_box, Placer, HALO};
pub(crate) use scene::{Inset, LegLabelItem, LegendSymbol, Pts, Rect0, Scene, TextItem};
pub(crate) use waypoints::WAYPOINT_R;

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

/// Computes the whole layout, stage by stage.
pub(crate) fn compute(data: &MapData, style: &MapStyle) -> Result<Layout, RenderError> {
    style.validate()?;
    if data.stops.is_empty() {
        return Err(RenderError::NoStops);
    }
    if data.stops.len() > super::MAX_MAP_STOPS {
        return Err(RenderError::TooManyStops {
            count: data.stops.len(),
            max: super::MAX_MAP_STOPS,
        });
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

    let ctx = frame::frame(data, style)?;
    let (k, level, geo) = (ctx.k, ctx.level, ctx.geo);
    let mut scene = Scene::default();
    let mut boxes: Vec<PlacedBox> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();

    let (choice, rivers) = layers::draw(&ctx, &mut scene);
    graticule::place(&ctx, &mut scene, &mut boxes);
    stops::project(&ctx, &mut scene);
    header::place(&ctx, &mut scene, &mut boxes, &mut warnings);
    let furniture = furniture::place(&ctx, &mut scene, &mut boxes, &mut warnings);
    let (scale_rect, km, km_px, mi, mi_px) = (
        furniture.scale_rect,
        furniture.km,
        furniture.km_px,
        furniture.mi,
        furniture.mi_px,
    );
    let north_arrow_deg = furniture.north_arrow_deg;

    let mut placer = stops::placer(&ctx, &scene, &boxes);
    stops::place(&ctx, &mut placer, &mut scene, &mut boxes, &mut warnings);
    waypoints::place(data, &geo, &mut placer, &mut boxes, &mut scene);
    furniture::trim_legend(&ctx, &mut scene, &mut boxes);

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
    countries::place(&ctx, &mut placer, &mut scene, &mut boxes);
    context::place_water(
        &geo,
        &choice,
        ctx.px_per_m,
        &mut placer,
        &mut boxes,
        &mut scene,
    );
    context::place_rivers(&rivers, &mut placer, &mut boxes, &mut scene);
    context::place_regions(&geo, &choice, &mut placer, &mut boxes, &mut scene);

    let center = ctx.center;
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
        frame: up(ctx.frame),
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
            width: ctx.w,
            height: ctx.h,
            frame: ctx.frame,
            scale_bar,
        },
        geo,
        scene,
    })
}
