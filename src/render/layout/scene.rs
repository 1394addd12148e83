//! The scene: the display list the SVG writer draws, layer by layer, from
//! the bottom (land, water, context lines) to the top (labels, furniture,
//! header). Every item is already projected and placed, in canvas units;
//! the stages of [`super::compute`] fill it in order.

use super::super::StopRole;

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
