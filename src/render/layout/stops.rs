//! The route stage: the legs and stop markers projected, then the markers'
//! boxes, the stops' names (start and end first, on one line or two, with a
//! leader line when they must stand off) and a distance label on each leg.

use super::placer::{nearest_on_rect, point_along, polyline_len};
use super::{
    positions_around, text, text_box, BoxKind, Ctx, LegLabelItem, PlacedBox, Placer, Rect, Rect0,
    Scene, TextItem, HALO,
};
use crate::render::StopRole;

/// A scored stop-label position: cost, box, leader, text anchor, variant.
type Candidate = (f64, Rect, Option<[f64; 4]>, &'static str, usize);

/// A placed stop label: text, leader line, box.
type StopLabel = (TextItem, Option<[f64; 4]>, Rect);

/// Projects the legs and the stops' markers into the scene.
pub(crate) fn project(ctx: &Ctx, scene: &mut Scene) {
    let (geo, data) = (&ctx.geo, ctx.data);
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
}

/// A placer for the labels: the frame, the furniture and the legs' segments.
pub(crate) fn placer(ctx: &Ctx, scene: &Scene, boxes: &[PlacedBox]) -> Placer {
    let mut placer = Placer::new(ctx.frame.inflate(-2.0));
    for b in boxes
        .iter()
        .filter(|b| matches!(b.kind, BoxKind::ScaleBar | BoxKind::Legend | BoxKind::Inset))
    {
        placer.add(b.rect.inflate(4.0));
    }
    for (i, leg) in scene.legs.iter().enumerate() {
        for piece in leg {
            for s in piece.windows(2) {
                placer.add_segment(
                    i,
                    (f64::from(s[0].0), f64::from(s[0].1)),
                    (f64::from(s[1].0), f64::from(s[1].1)),
                );
            }
        }
    }
    placer
}

/// Places the markers, the stops' names and the legs' distances.
pub(crate) fn place(
    ctx: &Ctx,
    placer: &mut Placer,
    scene: &mut Scene,
    boxes: &mut Vec<PlacedBox>,
    warnings: &mut Vec<String>,
) {
    let data = ctx.data;
    for (i, &(x, y, role)) in scene.markers.iter().enumerate() {
        if !ctx.frame.contains(x, y) {
            warnings.push(format!(
                "stop {:?} lies outside the map frame and is not drawn",
                data.stops[i].label
            ));
            continue;
        }
        let r = marker_radius(role) * data.stops[i].size + 2.0;
        let rect = Rect::new(x - r, y - r, 2.0 * r, 2.0 * r);
        placer.add(rect);
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
        if !ctx.frame.contains(mx, my) {
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
        // Every variant in a ring is tried; a ring whose best position
        // crosses the route gives way to the next, further out with a
        // leader line. Crossing the route costs more than a short leader
        // (the first ring out), less than a long one: the name sits clear
        // of the line whenever there is room for it near its marker.
        let mut best: Option<Candidate> = None;
        let mut best_crossings = 0;
        for (ring, extra) in [(0.0, 0.0), (26.0, 30.0), (56.0, 60.0)] {
            for (vi, lines) in variants.iter().enumerate() {
                let bw = lines
                    .iter()
                    .map(|l| text_box(l, size, bold).0)
                    .fold(0.0, f64::max);
                let bh = text_box("", size, bold).1 + line_h * (lines.len() - 1) as f64;
                let g = g0 + ring;
                // The diagonals clear the marker's own box (its radius and
                // 2 px), which they would otherwise always touch.
                let d = (g * 0.75).max(marker_radius(role) * stop.size + 3.0);
                let cands = positions_around((mx, my), (bw, bh), g, d);
                for (k, &(x, y, align)) in cands.iter().enumerate() {
                    let mut r = Rect::new(x, y, bw, bh);
                    let mut slid = 0.0;
                    if !placer.free(&r) {
                        // A name beside its marker that sticks out of the
                        // frame at the top or bottom slides back in, as
                        // long as it still overlaps the marker's rows.
                        let f = &placer.frame;
                        let y = r.y.min(f.bottom() - bh).max(f.y);
                        let r2 = Rect::new(r.x, y, bw, bh);
                        let beside = y < my && y + bh > my;
                        if y == r.y || !beside || k > 1 || !placer.free(&r2) {
                            continue;
                        }
                        (r, slid) = (r2, 2.0);
                    }
                    let crossings = placer.crossings(&r, None);
                    let cost = extra + 8.0 * vi as f64 + k as f64 + slid + crossing_cost(crossings);
                    if best.as_ref().is_none_or(|b| cost < b.0) {
                        let leader = (ring > 0.0).then(|| {
                            let (tx, ty) = nearest_on_rect(&r, mx, my);
                            let (dx, dy) = (tx - mx, ty - my);
                            let l = (dx * dx + dy * dy).sqrt().max(1e-9);
                            let rr = marker_radius(role) * stop.size + 1.0;
                            [mx + dx / l * rr, my + dy / l * rr, tx, ty]
                        });
                        best = Some((cost, r, leader, align, vi));
                        best_crossings = crossings;
                    }
                }
            }
            if best.is_some() && best_crossings == 0 {
                break;
            }
        }
        match best {
            Some((_, r, leader, align, vi)) => {
                placer.add(r);
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
                placer.add(r);
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
}

/// What a stop label's position pays for crossing the route `crossings`
/// times (segments of the densified legs): more than the first ring's
/// leader (30), less than the second's (60).
fn crossing_cost(crossings: usize) -> f64 {
    if crossings == 0 {
        0.0
    } else {
        45.0 + crossings.min(10) as f64
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
