//! Publication-ready static maps (SVG and PNG) of routes and places.
//!
//! The renderer takes plain input types — [`MapData`] (stops, legs with their
//! densified paths and distance labels, title) and [`MapStyle`] (size, theme,
//! projection, framing) — so it does not depend on how a route was built.
//!
//! Pipeline: choose a projection for the extent ([`ProjectionKind`]), fit the
//! frame, read the embedded Natural Earth basemap at a level fitting the scale
//! (1:10m, 1:50m or 1:110m), clip it to the view *before* projecting and drop
//! vertices closer than half a pixel, add the context layers chosen by the
//! scale (rivers, first-level boundaries, cities, sea, lake, river and
//! region names), place every label without collisions ([`Layout`]), write
//! the SVG, and rasterise it for PNG. Images larger than 1600×1200 are laid
//! out on a smaller canvas and scaled up ([`MapStyle::text_scale`]).
//!
//! # Why SVG first, then resvg
//!
//! The SVG is written directly (a small, well-defined subset: paths, circles,
//! rects, text with halos), which keeps it a true vector file and byte-for-byte
//! deterministic. PNG is that same SVG's pixels: the bulk geometry (page,
//! basemap, route, margin) is a display list of typed items that the SVG
//! writer writes and tiny-skia draws directly, so its path data is never
//! parsed back; text and furniture are the SVG's own elements rasterised
//! with resvg: anti-aliased geometry and properly shaped, anti-aliased
//! text, which plotters' bitmap backend does not give. Fonts (DejaVu Sans, with
//! NanumSquare for Hangul) are embedded and loaded from bytes only: no
//! fontconfig, no system fonts, so a bare machine draws the same pixels.
//!
//! # Coordinates
//!
//! Every coordinate in this module is longitude, latitude in degrees on
//! WGS 84, in that order (`geo::Coord { x: lon, y: lat }`). Pixel positions
//! in [`Layout`] are CSS pixels from the top-left corner of the image before
//! `scale` is applied.
//!
//! # Example
//!
//! ```
//! use geo::Coord;
//! use routemap::render::{self, MapData, MapLeg, MapStop, MapStyle, StopRole};
//!
//! let data = MapData {
//!     title: None,
//!     stops: vec![
//!         MapStop::new("Pyongyang", 125.7543, 39.0339, StopRole::Start),
//!         MapStop::new("Khasan", 130.6453, 42.4297, StopRole::End),
//!     ],
//!     legs: vec![MapLeg {
//!         label: "559 km".into(),
//!         path: vec![Coord { x: 125.7543, y: 39.0339 }, Coord { x: 130.6453, y: 42.4297 }],
//!     }],
//!     total_label: Some("559 km".into()),
//!     route_kind: Some("great circle".into()),
//!     attribution: vec![],
//!     waypoints: vec![],
//!     railways: vec![],
//!     approximate: vec![],
//!     places: vec![],
//! };
//! let style = MapStyle::new(800, 600).unwrap();
//! let svg = render::svg(&data, &style).unwrap();
//! assert!(svg.contains("Khasan"));
//! ```
//!
//! # Limits
//!
//! - Han characters outside GB 2312 and JIS X 0208 (rare and traditional-only
//!   forms) have no embedded glyph and draw as boxes; Arabic, Hebrew, Thai and
//!   Devanagari are not shaped.
//! - The basemap is Natural Earth: at city scale (a few kilometres across) it
//!   shows coastline, borders and rivers only at 1:10m accuracy (about 1 km;
//!   a great river is drawn as a band along Natural Earth's centre-line).
//! - Labels are horizontal; when none of a label's positions fits, it gets a
//!   leader line, and failing that it is dropped with a warning in
//!   [`Layout::warnings`].
//! - Waypoints ([`MapWaypoint`], e.g. towns a train passes) are the
//!   lowest-priority labels but for country names: each is placed, most
//!   important first, only beside its dot, clear of everything already
//!   placed, of the route line and of the stops; one that does not fit is
//!   left out silently (dot too), and at most 3 to 10 are drawn, by map size.

mod basemap;
mod context;
mod display;
mod from_route;
mod layout;
mod projection;
mod raster;
mod svg;
mod text;

use std::fmt;
use std::str::FromStr;

use geo::Coord;
use serde::Serialize;
use thiserror::Error;

pub use from_route::{
    distance_label, places_around, railways_around, towns_passed, TOWN_NEAR_STATION_M,
};
pub use layout::{BoxKind, Layout, PlacedBox, Rect, ScaleBar};
pub use projection::ProjectionKind;

/// What can go wrong when drawing a map.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RenderError {
    /// `--size` not of the form `WIDTHxHEIGHT`.
    #[error("invalid map size {given:?}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1200")]
    SizeSyntax {
        /// What was given.
        given: String,
    },
    /// A size outside the supported range.
    #[error("map size {width}x{height} is out of range: each side must be 200 to 10000 pixels")]
    SizeRange {
        /// Width asked for, pixels.
        width: u32,
        /// Height asked for, pixels.
        height: u32,
    },
    /// A `--scale` outside 0.25..=8.
    #[error("invalid scale {given:?}: use a number from 0.25 to 8 (2 for high-DPI)")]
    Scale {
        /// What was given.
        given: String,
    },
    /// An unknown `--style`.
    #[error("unknown map style {given:?}: use light, dark or print")]
    UnknownTheme {
        /// What was given.
        given: String,
    },
    /// An unknown `--projection`.
    #[error("unknown projection {given:?}: use conic, mercator, equirectangular, azimuthal or equal-earth")]
    UnknownProjection {
        /// What was given.
        given: String,
    },
    /// A malformed or impossible `--bbox`.
    #[error("invalid bbox {given:?}: {reason}; expected WEST,SOUTH,EAST,NORTH in degrees")]
    BBox {
        /// What was given.
        given: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A PNG larger than the renderer will allocate.
    #[error("a {width}x{height} map at scale {scale} is too large: keep width x height x scale² under 100 million pixels")]
    TooManyPixels {
        /// Width asked for, pixels.
        width: u32,
        /// Height asked for, pixels.
        height: u32,
        /// Scale asked for.
        scale: String,
    },
    /// A forced projection that cannot draw the area to frame.
    #[error("the {projection} projection cannot show this area ({area}): use equal-earth or equirectangular for the whole world, or a smaller --bbox")]
    ProjectionCannotShow {
        /// The projection asked for.
        projection: ProjectionKind,
        /// The area, in degrees.
        area: String,
    },
    /// A `--text-scale` outside 0.25..=8.
    #[error("invalid text scale {given:?}: use a number from 0.25 to 8 (1 is the size of a 1600x1200 map)")]
    TextScale {
        /// What was given.
        given: String,
    },
    /// A `--padding` outside 0..0.45.
    #[error("invalid padding {given:?}: use a fraction of the frame from 0 to 0.45")]
    Padding {
        /// What was given.
        given: String,
    },
    /// Nothing to draw.
    #[error("nothing to draw: a map needs at least one stop")]
    NoStops,
    /// More stops than a map draws ([`MAX_MAP_STOPS`]).
    #[error("too many stops for a map: {count} (at most {max}); write GeoJSON or another GIS format instead")]
    TooManyStops {
        /// Stops given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A stop or path vertex outside −180..180 / −90..90 or not a number.
    #[error("coordinate of {what} is out of range (lon {lon}, lat {lat}): longitude must be -180..180, latitude -90..90")]
    Coordinate {
        /// Which stop or leg.
        what: String,
        /// Longitude given, degrees.
        lon: f64,
        /// Latitude given, degrees.
        lat: f64,
    },
    /// The rasteriser rejected the SVG (a bug in this module).
    #[error("could not rasterise the map: {reason}")]
    Raster {
        /// The rasteriser's message.
        reason: String,
    },
}

/// The role of a stop, which picks its marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StopRole {
    /// First stop of a route.
    Start,
    /// Intermediate stop.
    Via,
    /// Last stop of a route.
    End,
    /// A place on a locator map (no route).
    Place,
}

impl StopRole {
    /// The role of stop `i` (0-based) of a route of `n` stops: the first
    /// starts, the last ends, the others are vias.
    ///
    /// ```
    /// use routemap::render::StopRole;
    /// assert_eq!(StopRole::in_route(0, 3), StopRole::Start);
    /// assert_eq!(StopRole::in_route(1, 3), StopRole::Via);
    /// assert_eq!(StopRole::in_route(2, 3), StopRole::End);
    /// ```
    pub fn in_route(i: usize, n: usize) -> StopRole {
        match i {
            0 => StopRole::Start,
            i if i + 1 >= n => StopRole::End,
            _ => StopRole::Via,
        }
    }
}

/// A stop to mark and label.
#[derive(Debug, Clone, PartialEq)]
pub struct MapStop {
    /// Label drawn beside the marker.
    pub label: String,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Start, via, end or place.
    pub role: StopRole,
    /// Size of the marker relative to the usual one (1; `map --from-text`
    /// draws a place mentioned more often larger).
    pub size: f64,
}

impl MapStop {
    /// A stop at `lon`, `lat` (degrees; note the order: longitude first).
    ///
    /// ```
    /// use routemap::render::{MapStop, StopRole};
    /// let s = MapStop::new("Khasan", 130.6453, 42.4297, StopRole::End);
    /// assert_eq!(s.lat, 42.4297);
    /// ```
    pub fn new(label: impl Into<String>, lon: f64, lat: f64, role: StopRole) -> Self {
        MapStop {
            label: label.into(),
            lon,
            lat,
            role,
            size: 1.0,
        }
    }

    /// The same stop with a marker `size` times the usual one (clamped to
    /// 0.5..=3).
    pub fn with_size(mut self, size: f64) -> Self {
        self.size = if size.is_finite() {
            size.clamp(0.5, 3.0)
        } else {
            1.0
        };
        self
    }
}

/// A leg of the route: its path and its distance label.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLeg {
    /// Label placed along the leg, e.g. "559 km".
    pub label: String,
    /// The path, lon/lat degrees, densified along the geodesic; it may cross
    /// the antimeridian (consecutive vertices 179.9 and −179.9 are joined the
    /// short way).
    pub path: Vec<Coord<f64>>,
}

impl MapLeg {
    /// A leg along the geodesic from `from` to `to` (lon, lat in degrees),
    /// densified so that no segment is longer than `max_segment_m` metres
    /// (Karney 2013, through `geo::Geodesic`).
    ///
    /// ```
    /// use routemap::render::MapLeg;
    /// let leg = MapLeg::geodesic("559 km", (125.7543, 39.0339), (130.6453, 42.4297), 10_000.0);
    /// assert!(leg.path.len() > 56);
    /// assert_eq!(leg.path[0].x, 125.7543);
    /// ```
    pub fn geodesic(
        label: impl Into<String>,
        from: (f64, f64),
        to: (f64, f64),
        max_segment_m: f64,
    ) -> MapLeg {
        use geo::{Geodesic, InterpolatePoint, Point};
        let path = Geodesic
            .points_along_line(
                Point::new(from.0, from.1),
                Point::new(to.0, to.1),
                max_segment_m.max(1.0),
                true,
            )
            .map(|p| Coord { x: p.x(), y: p.y() })
            .collect();
        MapLeg {
            label: label.into(),
            path,
        }
    }
}

/// A place the route passes, marked with a small dot on the line and a
/// label smaller and lighter than a stop's: a town a train goes through, for
/// example. Optional: it is drawn only where its label fits without touching
/// anything else, and dropped whole (dot and label) otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct MapWaypoint {
    /// Label drawn beside the dot.
    pub label: String,
    /// Longitude, degrees (WGS 84).
    pub lon: f64,
    /// Latitude, degrees (WGS 84).
    pub lat: f64,
    /// Importance: lower is more important and is placed first (e.g. 0 for
    /// the largest town passed).
    pub rank: u32,
}

impl MapWaypoint {
    /// A waypoint at `lon`, `lat` (degrees; longitude first) of importance
    /// `rank` (lower = more important).
    ///
    /// ```
    /// use routemap::render::MapWaypoint;
    /// let w = MapWaypoint::new("Khabarovsk", 135.0719, 48.4827, 0);
    /// assert_eq!((w.lon, w.rank), (135.0719, 0));
    /// ```
    pub fn new(label: impl Into<String>, lon: f64, lat: f64, rank: u32) -> Self {
        MapWaypoint {
            label: label.into(),
            lon,
            lat,
            rank,
        }
    }
}

/// Everything a map shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapData {
    /// Title; by default "First → Last · total".
    pub title: Option<String>,
    /// Stops in route order.
    pub stops: Vec<MapStop>,
    /// Legs in route order (none for a locator map).
    pub legs: Vec<MapLeg>,
    /// Total distance, e.g. "1,696 km", shown in the title and legend.
    pub total_label: Option<String>,
    /// How the legs were drawn, for the legend, e.g. "great circle" or
    /// "by rail"; `None` says just "Route".
    pub route_kind: Option<String>,
    /// Extra attribution lines (e.g. "Places: GeoNames (CC BY 4.0)");
    /// Natural Earth is always credited.
    pub attribution: Vec<String>,
    /// Places the route passes, to mark when there is room (empty: none).
    /// Lower [`MapWaypoint::rank`] is placed first; at most about one per
    /// 130,000 px² of map frame, 3 to 10, are drawn, 48 px apart or more.
    pub waypoints: Vec<MapWaypoint>,
    /// Other railway lines near the route (lon/lat paths), drawn thin and grey
    /// under it for context, with a legend row when any shows; rail maps fill
    /// this from the network routed on. Empty: none.
    pub railways: Vec<Vec<Coord<f64>>>,
    /// Stretches of the route on approximate track (lon/lat paths): a rail
    /// route's corridors where no real track is known. Drawn dashed over the
    /// route line, with an "Approximate track" legend row. Empty: none.
    pub approximate: Vec<Vec<Coord<f64>>>,
    /// Places around the route to name on large-scale (city) maps where
    /// there is room, most important (lowest rank) first: districts, towns
    /// and villages from a gazetteer ([`places_around`]). Empty: none.
    pub places: Vec<MapWaypoint>,
}

/// Colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Muted colours on a light background.
    #[default]
    Light,
    /// Light text and lines on dark land and water.
    Dark,
    /// Greys and black, for print and photocopies.
    Print,
}

impl FromStr for Theme {
    type Err = RenderError;

    /// ```
    /// use routemap::render::Theme;
    /// assert_eq!("Dark".parse::<Theme>().unwrap(), Theme::Dark);
    /// assert!("neon".parse::<Theme>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            "print" => Ok(Theme::Print),
            _ => Err(RenderError::UnknownTheme {
                given: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Print => "print",
        })
    }
}

/// Image size in CSS pixels, `WIDTHxHEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
}

impl Size {
    /// A size of 200..=10000 pixels a side.
    pub fn new(width: u32, height: u32) -> Result<Self, RenderError> {
        if !(200..=10_000).contains(&width) || !(200..=10_000).contains(&height) {
            return Err(RenderError::SizeRange { width, height });
        }
        Ok(Size { width, height })
    }
}

impl FromStr for Size {
    type Err = RenderError;

    /// ```
    /// use routemap::render::Size;
    /// let s: Size = "1600x1200".parse().unwrap();
    /// assert_eq!((s.width, s.height), (1600, 1200));
    /// assert!("0x0".parse::<Size>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RenderError::SizeSyntax {
            given: s.to_owned(),
        };
        let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(err)?;
        let w = w.trim().parse::<u32>().map_err(|_| err())?;
        let h = h.trim().parse::<u32>().map_err(|_| err())?;
        Size::new(w, h)
    }
}

/// A lon/lat box to frame, degrees. `west > east` means the box crosses the
/// antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// Western longitude, degrees.
    pub west: f64,
    /// Southern latitude, degrees.
    pub south: f64,
    /// Eastern longitude, degrees.
    pub east: f64,
    /// Northern latitude, degrees.
    pub north: f64,
}

/// The shortest side of a `--bbox`, metres.
pub const MIN_BBOX_M: f64 = 1_000.0;

/// The most stops a map draws: past this many, markers and names cover the
/// map and say nothing (1,000 stops lay out in well under a second; see the
/// `render/layout_1000_stops` bench). More is refused with
/// [`RenderError::TooManyStops`]; the GIS formats take any number.
pub const MAX_MAP_STOPS: usize = 5_000;

impl FromStr for BBox {
    type Err = RenderError;

    /// Parses `WEST,SOUTH,EAST,NORTH` (GeoJSON bbox order).
    ///
    /// ```
    /// use routemap::render::BBox;
    /// let b: BBox = "120,35,140,55".parse().unwrap();
    /// assert_eq!(b.north, 55.0);
    /// assert!("120,55,140,35".parse::<BBox>().is_err()); // south above north
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| RenderError::BBox {
            given: s.to_owned(),
            reason: reason.to_owned(),
        };
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("not four numbers"))?;
        let [west, south, east, north] = v[..] else {
            return Err(bad("not four numbers"));
        };
        if !v.iter().all(|x| x.is_finite()) {
            return Err(bad("not four numbers"));
        }
        if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) {
            return Err(bad("longitudes must be -180..180"));
        }
        if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) {
            return Err(bad("latitudes must be -90..90"));
        }
        if south >= north {
            return Err(bad("south must be below north"));
        }
        if west == east {
            return Err(bad("west and east are the same"));
        }
        // A map frames at least MIN_BBOX_M on its shorter side: a box of a
        // few metres scales the basemap beyond what the rasteriser can
        // draw, and shows nothing a reader could place.
        let span = if west < east {
            east - west
        } else {
            east + 360.0 - west
        };
        let metres_per_degree = 111_320.0;
        let height = (north - south) * metres_per_degree;
        let width = span * metres_per_degree * ((south + north) / 2.0).to_radians().cos();
        if height.min(width) < MIN_BBOX_M {
            return Err(bad(&format!(
                "it is {:.0} m across; a map is at least {:.0} km on each side",
                height.min(width),
                MIN_BBOX_M / 1000.0
            )));
        }
        Ok(BBox {
            west,
            south,
            east,
            north,
        })
    }
}

/// How to draw: size, theme, projection and framing.
#[derive(Debug, Clone, PartialEq)]
pub struct MapStyle {
    /// Image size in CSS pixels.
    pub size: Size,
    /// Pixel density for PNG (2 for high-DPI): the PNG is `scale` times
    /// `size`; the SVG keeps `size` as its view box.
    pub scale: f32,
    /// Colour scheme.
    pub theme: Theme,
    /// Projection, or `None` to choose from the extent.
    pub projection: Option<ProjectionKind>,
    /// Area to frame instead of the stops and route.
    pub bbox: Option<BBox>,
    /// Empty margin around the route, as a fraction of the frame (0..0.45).
    pub padding: f64,
    /// How much larger than on a 1600×1200 map to draw text, lines and
    /// furniture (0.25..=8), or `None` for the default: 1 up to 1600×1200,
    /// then growing with the image so that an 8000×6000 map looks like a
    /// larger 1600×1200 one.
    pub text_scale: Option<f64>,
}

impl MapStyle {
    /// Default style (light, automatic projection, padding 0.1) at a size.
    ///
    /// ```
    /// use routemap::render::MapStyle;
    /// assert!(MapStyle::new(1600, 1200).is_ok());
    /// assert!(MapStyle::new(0, 0).is_err());
    /// ```
    pub fn new(width: u32, height: u32) -> Result<Self, RenderError> {
        Ok(MapStyle {
            size: Size::new(width, height)?,
            ..MapStyle::default()
        })
    }

    /// Sets the PNG pixel density, checking it is within 0.25..=8.
    ///
    /// ```
    /// use routemap::render::MapStyle;
    /// assert!(MapStyle::default().with_scale(2.0).is_ok());
    /// assert!(MapStyle::default().with_scale(0.0).is_err());
    /// ```
    pub fn with_scale(mut self, scale: f32) -> Result<Self, RenderError> {
        self.scale = scale;
        self.validate()?;
        Ok(self)
    }

    /// Sets the padding, checking it is within 0..=0.45.
    pub fn with_padding(mut self, padding: f64) -> Result<Self, RenderError> {
        self.padding = padding;
        self.validate()?;
        Ok(self)
    }

    /// Checks every field (the fields are public, so the renderer checks
    /// again before drawing).
    pub fn validate(&self) -> Result<(), RenderError> {
        Size::new(self.size.width, self.size.height)?;
        if !(self.scale.is_finite() && (0.25..=8.0).contains(&self.scale)) {
            return Err(RenderError::Scale {
                given: self.scale.to_string(),
            });
        }
        let device_px = f64::from(self.size.width)
            * f64::from(self.size.height)
            * f64::from(self.scale).powi(2);
        if device_px > MAX_DEVICE_PIXELS {
            return Err(RenderError::TooManyPixels {
                width: self.size.width,
                height: self.size.height,
                scale: self.scale.to_string(),
            });
        }
        if !(self.padding.is_finite() && (0.0..=0.45).contains(&self.padding)) {
            return Err(RenderError::Padding {
                given: self.padding.to_string(),
            });
        }
        if let Some(t) = self.text_scale {
            if !(t.is_finite() && (0.25..=8.0).contains(&t)) {
                return Err(RenderError::TextScale {
                    given: t.to_string(),
                });
            }
        }
        Ok(())
    }

    /// The text scale used: [`MapStyle::text_scale`], or by default the
    /// image's size relative to 1600×1200 (never below 1), limited so that
    /// the laid-out canvas keeps at least 300×225 units.
    ///
    /// ```
    /// use routemap::render::MapStyle;
    /// assert_eq!(MapStyle::new(1600, 1200).unwrap().effective_text_scale(), 1.0);
    /// assert_eq!(MapStyle::new(8000, 6000).unwrap().effective_text_scale(), 5.0);
    /// assert_eq!(MapStyle::new(400, 300).unwrap().effective_text_scale(), 1.0);
    /// ```
    pub fn effective_text_scale(&self) -> f64 {
        let (w, h) = (f64::from(self.size.width), f64::from(self.size.height));
        let auto = (w / 1600.0).min(h / 1200.0).max(1.0);
        let k = self.text_scale.unwrap_or(auto);
        k.min(w / 300.0).min(h / 225.0).max(0.25)
    }
}

impl Default for MapStyle {
    fn default() -> Self {
        MapStyle {
            size: Size {
                width: 1600,
                height: 1200,
            },
            scale: 1.0,
            theme: Theme::Light,
            projection: None,
            bbox: None,
            padding: 0.1,
            text_scale: None,
        }
    }
}

/// The largest PNG drawn, in device pixels (400 MB of RGBA).
const MAX_DEVICE_PIXELS: f64 = 100e6;

/// A drawn map: its layout and SVG text, ready to rasterise.
#[derive(Debug, Clone)]
pub struct Drawing {
    /// Where everything was placed, and any warnings (dropped labels).
    pub layout: Layout,
    /// The SVG document.
    pub svg: String,
    scale: f32,
    theme: Theme,
    /// Where the layers drawn through the SVG lie in it.
    marks: svg::Marks,
}

impl Drawing {
    /// The map's pixels at the style's scale: the geometry drawn directly,
    /// text and furniture from the SVG.
    fn pixmap(&self) -> Result<resvg::tiny_skia::Pixmap, RenderError> {
        raster::draw(&raster::Source {
            layout: &self.layout,
            theme: self.theme,
            svg: &self.svg,
            marks: &self.marks,
            scale: self.scale,
        })
    }

    /// Rasterises the map to PNG bytes at the style's scale.
    pub fn png(&self) -> Result<Vec<u8>, RenderError> {
        raster::png(self.pixmap()?)
    }
}

/// Lays out and draws a map; the cheapest way to get both SVG and PNG.
///
/// ```
/// use routemap::render::{self, MapData, MapStop, MapStyle, StopRole};
/// let data = MapData {
///     stops: vec![MapStop::new("Seoul", 126.978, 37.5665, StopRole::Place)],
///     ..MapData::default()
/// };
/// let d = render::draw(&data, &MapStyle::new(640, 480).unwrap()).unwrap();
/// assert!(d.png().unwrap().starts_with(b"\x89PNG"));
/// ```
pub fn draw(data: &MapData, style: &MapStyle) -> Result<Drawing, RenderError> {
    let layout = layout::compute(data, style)?;
    let (svg, marks) = svg::write_marked(data, style, &layout);
    Ok(Drawing {
        layout,
        svg,
        scale: style.scale,
        theme: style.theme,
        marks,
    })
}

/// The layout alone: every placed box, for tests and `--layout-json`.
pub fn layout(data: &MapData, style: &MapStyle) -> Result<Layout, RenderError> {
    layout::compute(data, style)
}

/// The map as an SVG document.
pub fn svg(data: &MapData, style: &MapStyle) -> Result<String, RenderError> {
    Ok(draw(data, style)?.svg)
}

/// The map as PNG bytes (`scale` × `size` pixels).
pub fn png(data: &MapData, style: &MapStyle) -> Result<Vec<u8>, RenderError> {
    draw(data, style)?.png()
}

#[cfg(test)]
mod tests;
