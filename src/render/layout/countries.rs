//! The country-name stage: a country's name in spaced capitals at one of its
//! label anchors, only where it fits inside the country and clear of
//! everything placed before.

use super::{text, BoxKind, Ctx, PlacedBox, Placer, Rect, Scene, TextItem};

/// Places up to 30 country names, largest country first.
pub(crate) fn place(ctx: &Ctx, placer: &mut Placer, scene: &mut Scene, boxes: &mut Vec<PlacedBox>) {
    let (geo, px_per_m) = (&ctx.geo, ctx.px_per_m);
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
        let inner = ctx.frame.inflate(-8.0);
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
            placer.add(r.inflate(3.0));
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
    static TSV: &str = include_str!("../../../gazetteer/basemap/country_labels.tsv");
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
