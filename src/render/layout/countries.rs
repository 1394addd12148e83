//! The country-name stage: a country's name in spaced capitals at one of its
//! label anchors, only where it fits inside the country and clear of
//! everything placed before.

use super::super::context::{label_at_anchor, parse_anchor, AnchorFit};
use super::{BoxKind, Ctx, PlacedBox, Placer, Scene, TextItem};

/// Places up to 30 country names, largest country first.
pub(crate) fn place(ctx: &Ctx, placer: &mut Placer, scene: &mut Scene, boxes: &mut Vec<PlacedBox>) {
    let at = (&ctx.geo, ctx.px_per_m);
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
        let item = TextItem {
            text,
            size,
            spacing,
            country: true,
            ..TextItem::default()
        };
        let fit = AnchorFit {
            stretch: 2.5,
            kind: BoxKind::CountryLabel,
        };
        let anchors = c.anchors.iter().copied();
        if let Some(t) = label_at_anchor(at, anchors, fit, &c.name, item, placer, boxes) {
            scene.country_labels.push(t);
            placed_countries += 1;
        }
    }
}

struct Country {
    name: String,
    area_km2: f64,
    /// lon, lat, clearance (degrees), best first.
    anchors: Vec<(f64, f64, f64)>,
}

/// Reads the embedded country table now rather than at the first map's
/// country names.
pub(crate) fn read_table() {
    countries();
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
                let anchors = f.next()?.split(';').filter_map(parse_anchor).collect();
                Some(Country {
                    name,
                    area_km2,
                    anchors,
                })
            })
            .collect()
    })
}
