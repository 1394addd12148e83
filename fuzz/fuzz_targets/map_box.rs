//! A map drawn to a small SVG and PNG from a fuzzed box, stops, leg, title,
//! theme and projection.
//!
//! Input: one flag byte, then eight little-endian u16 (box west, south,
//! east, north and two stops' lon, lat, each spread over its whole range, so
//! that nearly every input is a map that can be drawn, the antimeridian and
//! the poles included), then the title as text. Flag bit 7 instead reads
//! the box and the first stop as raw f64 (NaN, infinities, huge values).
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::render::{
    self, BBox, MapData, MapLeg, MapStop, MapStyle, ProjectionKind, StopRole, Theme,
};

fn lon(u: u16) -> f64 {
    f64::from(u) / f64::from(u16::MAX) * 360.0 - 180.0
}
fn lat(u: u16) -> f64 {
    f64::from(u) / f64::from(u16::MAX) * 180.0 - 90.0
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let raw = flags & 0x80 != 0;
    let need = if raw { 48 } else { 16 };
    if rest.len() < need {
        return;
    }
    let u = |i: usize| u16::from_le_bytes([rest[2 * i], rest[2 * i + 1]]);
    let f = |i: usize| f64::from_le_bytes(rest[i * 8..i * 8 + 8].try_into().unwrap());
    let (bbox, a, b) = if raw {
        ([f(0), f(1), f(2), f(3)], (f(4), f(5)), (lon(u(20)), lat(u(21))))
    } else {
        (
            [lon(u(0)), lat(u(1)), lon(u(2)), lat(u(3))],
            (lon(u(4)), lat(u(5))),
            (lon(u(6)), lat(u(7))),
        )
    };
    let title = std::str::from_utf8(&rest[need..]).ok().filter(|t| !t.is_empty());
    let (w, h) = [(240, 200), (200, 240), (400, 200)][usize::from(flags & 3) % 3];
    let Ok(mut style) = MapStyle::new(w, h) else {
        return;
    };
    style.theme = [Theme::Light, Theme::Dark, Theme::Print][usize::from(flags >> 2 & 3) % 3];
    style.projection = match flags >> 4 & 7 {
        1 => Some(ProjectionKind::Conic),
        2 => Some(ProjectionKind::WebMercator),
        3 => Some(ProjectionKind::Equirectangular),
        4 => Some(ProjectionKind::AzimuthalEquidistant),
        5 => Some(ProjectionKind::EqualEarth),
        _ => None,
    };
    let text = format!("{},{},{},{}", bbox[0], bbox[1], bbox[2], bbox[3]);
    style.bbox = text.parse::<BBox>().ok();
    let mut map = MapData {
        title: title.map(str::to_string),
        stops: vec![MapStop::new("A", a.0, a.1, StopRole::Place)],
        ..MapData::default()
    };
    if a.0.is_finite() && a.1.is_finite() && a.1.abs() <= 90.0 && a.0.abs() <= 180.0 {
        map.stops.push(MapStop::new("B", b.0, b.1, StopRole::Place));
        map.legs.push(MapLeg::geodesic("1 km", a, b, 50_000.0));
    }
    if let Ok(d) = render::draw(&map, &style) {
        let _ = d.png();
    }
});
