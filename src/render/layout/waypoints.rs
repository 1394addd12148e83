//! The waypoint stage: the larger towns a rail route passes, as small dots
//! on the line with their names, where there is room.

use super::{
    positions_around, text, text_box, BoxKind, Frame, PlacedBox, Placer, Rect, Scene, TextItem,
    HALO,
};
use crate::render::MapData;

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
pub(crate) fn place(
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
        let cands = positions_around((x, y), (bw, bh), g, d);
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
        placer.add(dot);
        placer.add(lr);
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
