//! The furniture stage: scale bar (with the north arrow where north is not
//! up), legend and locator inset, each in a corner of the frame, arranged so
//! that they hide as little of the route and its stops as they can; what
//! does not fit on a small map is shortened, then left out, with a warning.

use super::super::basemap::{self, GeoRect, LayerName};
use super::super::projection::ProjectionKind;
use super::super::{MapData, StopRole};
use super::frame::fit;
use super::{text, BoxKind, Ctx, Frame, Inset, LegendSymbol, PlacedBox, Pts, Rect, Rect0, Scene};

/// What the furniture stage placed that the layout reports.
pub(crate) struct Furniture {
    /// The scale bar's panel (empty when left out).
    pub scale_rect: Rect,
    pub km: f64,
    pub km_px: f64,
    pub mi: f64,
    pub mi_px: f64,
    pub north_arrow_deg: Option<f64>,
}

/// Space between a corner's furniture and the frame.
const PAD: f64 = 12.0;

/// Places the scale bar, the legend and the inset in the frame's corners.
pub(crate) fn place(
    ctx: &Ctx,
    scene: &mut Scene,
    boxes: &mut Vec<PlacedBox>,
    warnings: &mut Vec<String>,
) -> Furniture {
    let (geo, view, px_per_m) = (&ctx.geo, &ctx.view, ctx.px_per_m);
    let pad = PAD;
    let target_px = (ctx.frame.w * 0.16).clamp(90.0, 260.0);
    let mut km = nice_below(target_px / px_per_m / 1000.0);
    let mut mi = nice_below(target_px / px_per_m / 1609.344);
    let mut km_px = km * 1000.0 * px_per_m;
    let mut mi_px = mi * 1609.344 * px_per_m;
    // A north arrow where north is not straight up, but not on world or
    // polar maps, where north is not one direction.
    let pole_in_frame = [90.0, -90.0].iter().any(|&lat| {
        let (x, y) = geo.px(geo.proj.lon0, lat);
        ctx.frame.contains(x, y)
    });
    let world_like = geo.proj.kind == ProjectionKind::EqualEarth
        || view.east - view.west >= 120.0
        || pole_in_frame;
    let north = (!geo.proj.kind.north_is_up() && !world_like).then_some(());
    let bar_w = km_px.max(mi_px) + 70.0 + if north.is_some() { 44.0 } else { 0.0 };
    let bar_h = 62.0;

    // The border line is explained only where one is drawn (not on a city map).
    let borders = scene
        .borders
        .iter()
        .flatten()
        .any(|&(x, y)| ctx.frame.contains(f64::from(x), f64::from(y)));
    let mut legend_entries = legend_entries(ctx.data, !scene.railways.is_empty(), borders);
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

    let inset_wanted = view.east - view.west < 100.0 && view.north - view.south < 60.0;
    let inset_w = (ctx.frame.w * 0.2).clamp(140.0, 300.0);
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
            ctx.frame.x + pad
        } else {
            ctx.frame.right() - pad - bw
        };
        let y = if corner < 2 {
            ctx.frame.y + pad
        } else {
            ctx.frame.bottom() - pad - bh
        };
        Rect::new(x, y, bw, bh)
    };
    // What the furniture should not hide: route samples and stops with
    // room for their labels.
    let mut keep_clear: Vec<(Rect, f64)> = Vec::new();
    for (i, (x, y, role)) in scene.markers.iter().enumerate() {
        let bold = matches!(role, StopRole::Start | StopRole::End);
        let lw = text::width(
            &ctx.data.stops[i].label,
            if bold { 18.0 } else { 16.0 },
            bold,
        );
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
                ctx.frame.contains_rect(r) && rects[i + 1..].iter().all(|o| !o.intersects(r))
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
                scene.inset = Some(inset(geo, view, r));
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
            (ctx.frame.x, ctx.frame.y),
            (ctx.frame.right(), ctx.frame.y),
            (ctx.frame.x, ctx.frame.bottom()),
            (ctx.frame.right(), ctx.frame.bottom()),
        ];
        let tilted = corners.iter().any(|&(x, y)| {
            geo.geo(x, y)
                .is_none_or(|(lo, la)| geo.proj.north_angle(lo, la).abs() > 1.0)
        });
        tilted.then_some(deg)
    });
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
    for b in boxes.iter() {
        if b.kind == BoxKind::Inset {
            inset_placed = true;
        }
    }
    if inset_wanted && !inset_placed {
        warnings.push("locator inset left out: no corner free of the route".to_owned());
    }
    Furniture {
        scale_rect,
        km,
        km_px,
        mi,
        mi_px,
        north_arrow_deg,
    }
}

/// The legend names the towns on the way only when some are drawn; without
/// them its panel loses that row (from the bottom up when it stands in a
/// bottom corner).
pub(crate) fn trim_legend(ctx: &Ctx, scene: &mut Scene, boxes: &mut [PlacedBox]) {
    if scene.waypoints.is_empty() {
        if let Some((r, entries)) = &mut scene.legend {
            if let Some(i) = entries
                .iter()
                .position(|(k, _)| matches!(k, LegendSymbol::Waypoint))
            {
                entries.remove(i);
                if r.1 + r.3 > ctx.frame.bottom() - PAD - 1.0 {
                    r.1 += 24.0;
                }
                r.3 -= 24.0;
                if let Some(b) = boxes.iter_mut().find(|b| matches!(b.kind, BoxKind::Legend)) {
                    b.rect = Rect::new(r.0, r.1, r.2, r.3);
                }
            }
        }
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
        crate::render::from_route::group_thousands(v)
    } else {
        format!("{v}")
    }
}

fn legend_entries(data: &MapData, railways: bool, borders: bool) -> Vec<(LegendSymbol, String)> {
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
    if borders {
        v.push((LegendSymbol::Border, "International border".to_owned()));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers_round_down() {
        assert_eq!(nice_below(340.0), 200.0);
        assert_eq!(nice_below(99.0), 50.0);
        assert_eq!(nice_below(1.2), 1.0);
        assert_eq!(fmt_num(1696.0), "1,696");
    }

    #[test]
    fn permutations_place_each_item_in_its_own_corner() {
        let p = permutations(4, 2);
        assert_eq!(p.len(), 12);
        assert!(p.iter().all(|v| v.len() == 2 && v[0] != v[1]));
        assert_eq!(permutations(4, 4).len(), 24);
    }
}
