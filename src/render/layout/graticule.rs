//! The graticule stage: meridians and parallels at a round step for the
//! extent, and their labels outside the frame, right in every hemisphere.

use super::frame::wrap180;
use super::{text, text_box, BoxKind, Ctx, PlacedBox, Pts, Rect, Scene, TextItem, HALO};

/// Projects the graticule into `scene` and labels it where the lines cross
/// the frame's edges (labels that would collide or leave the canvas are
/// left out).
pub(crate) fn place(ctx: &Ctx, scene: &mut Scene, boxes: &mut Vec<PlacedBox>) {
    let (geo, view, w) = (&ctx.geo, &ctx.view, ctx.w);
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
    let grid_size = 12.0;
    let mut grid_boxes: Vec<Rect> = Vec::new();
    let fr0 = ctx.frame;
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
                add_grid(label.clone(), x, y, "middle", scene);
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
                add_grid(label.clone(), x, y + 4.0, anchor, scene);
            }
        }
    }
    scene.graticule = meridians
        .into_iter()
        .chain(parallels)
        .flat_map(|(_, l)| l)
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_labels_name_the_hemisphere() {
        assert_eq!(deg_label(130.0, 'E', 'W'), "130°E");
        assert_eq!(deg_label(-77.5, 'E', 'W'), "77°30′W");
        assert_eq!(deg_label(10.75, 'E', 'W'), "10°45′E");
        assert_eq!(deg_label(51.25, 'N', 'S'), "51°15′N");
        assert_eq!(deg_label(0.0, 'N', 'S'), "0°");
    }

    #[test]
    fn crossing_finds_where_a_line_meets_an_edge() {
        // A diagonal from (0, 0) to (100, 100) meets y = 50 at x = 50 and
        // x = 30 at y = 30; a crossing within 8 px of the edge's ends does
        // not count.
        let line = vec![vec![(0.0_f32, 0.0_f32), (100.0, 100.0)]];
        assert_eq!(crossing(&line, true, 50.0, 0.0, 100.0), Some(50.0));
        assert_eq!(crossing(&line, false, 30.0, 0.0, 100.0), Some(30.0));
        assert_eq!(crossing(&line, true, 50.0, 45.0, 100.0), None);
        assert_eq!(crossing(&line, true, 150.0, 0.0, 200.0), None);
    }
}
