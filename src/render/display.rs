//! The display list of the map's geometry layers: the page, the basemap
//! (water, land, lakes, rivers, region lines, graticule, coastline,
//! borders, railways), the route and the margin, as typed items with their
//! colours and strokes. The SVG writer writes each item as an element; the
//! rasteriser draws the same items straight onto the pixmap with tiny-skia,
//! without writing the hundreds of kilobytes of path data as text and
//! parsing them back. Text and the small furniture between and above these
//! layers go through the SVG (see `raster`).

use super::layout::{Pts, Scene};
use super::svg::Palette;
use super::Rect;

/// How the ends and corners of a stroke are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cap {
    Butt,
    Round,
}

/// A stroke: colour, width, opacity, dashes, joins and caps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stroke {
    pub color: &'static str,
    pub width: f64,
    /// `stroke-opacity`, when not 1.
    pub opacity: Option<f64>,
    /// `stroke-dasharray`, as written in the SVG.
    pub dash: Option<&'static str>,
    /// Round joins (else miter).
    pub round_join: bool,
    pub cap: Cap,
}

impl Stroke {
    fn new(color: &'static str, width: f64) -> Self {
        Stroke {
            color,
            width,
            opacity: None,
            dash: None,
            round_join: false,
            cap: Cap::Butt,
        }
    }
}

/// A path of lines in canvas units.
#[derive(Debug, Clone)]
pub(crate) struct PathItem<'a> {
    /// `id="…"` or `class="…"` and other attributes written first.
    pub attrs: String,
    pub lines: Vec<&'a Pts>,
    /// Each line closed (a polygon ring).
    pub close: bool,
    /// Fill colour and whether the even-odd rule is used.
    pub fill: Option<(&'static str, bool)>,
    pub stroke: Option<Stroke>,
    /// Left out when it has no path data at all.
    pub omit_if_empty: bool,
}

/// One item of the display list.
#[derive(Debug, Clone)]
pub(crate) enum Item<'a> {
    /// The page's background over the whole canvas.
    Page {
        w: f64,
        h: f64,
        fill: &'static str,
    },
    /// A filled rectangle.
    Rect {
        r: Rect,
        fill: &'static str,
    },
    Path(PathItem<'a>),
    /// The margin around the frame: the canvas less the frame.
    Margin {
        w: f64,
        h: f64,
        frame: Rect,
        fill: &'static str,
    },
    /// A group whose children inherit `fill="none"`, round caps and joins
    /// when `route` is set (the SVG writes those once, on the group).
    Begin {
        open: &'static str,
        route: bool,
    },
    End,
}

/// `list` cut in two where about half its vertices lie on each side, for
/// two threads to write or draw, with whether the second part starts
/// inside the route's group.
pub(crate) fn halves<'l, 'a>(list: &'l [Item<'a>]) -> (&'l [Item<'a>], &'l [Item<'a>], bool) {
    let size = |item: &Item| match item {
        Item::Path(pi) => pi.lines.iter().map(|l| l.len()).sum(),
        _ => 0,
    };
    let total: usize = list.iter().map(size).sum();
    let (mut seen, mut at) = (0, list.len());
    for (i, item) in list.iter().enumerate() {
        if seen >= total / 2 {
            at = i;
            break;
        }
        seen += size(item);
    }
    let (first, second) = list.split_at(at);
    let in_route = first.iter().fold(false, |inside, item| match item {
        Item::Begin { route, .. } => *route,
        Item::End => false,
        _ => inside,
    });
    (first, second, in_route)
}

/// The page and the basemap, bottom to top.
pub(crate) fn basemap<'a>(sc: &'a Scene, p: &Palette, f: Rect, vw: f64, vh: f64) -> Vec<Item<'a>> {
    let mut v = vec![
        Item::Page {
            w: vw,
            h: vh,
            fill: p.page,
        },
        // Nothing is clipped: what runs past the frame is painted over by
        // the margin, which spares the rasteriser a full-size layer and mask.
        Item::Begin {
            open: "<g id=\"basemap\">\n",
            route: false,
        },
    ];
    let path = |attrs: &str, lines: Vec<&'a Pts>| PathItem {
        attrs: attrs.to_owned(),
        lines,
        close: false,
        fill: None,
        stroke: None,
        omit_if_empty: false,
    };
    match &sc.globe {
        Some(g) => v.push(Item::Path(PathItem {
            close: true,
            fill: Some((p.water, false)),
            ..path("id=\"globe\"", vec![g])
        })),
        None => v.push(Item::Rect {
            r: f,
            fill: p.water,
        }),
    }
    v.push(Item::Path(PathItem {
        close: true,
        fill: Some((p.land, true)),
        ..path("id=\"land\"", sc.land.iter().collect())
    }));
    v.push(Item::Path(PathItem {
        close: true,
        fill: Some((p.water, true)),
        stroke: Some(Stroke::new(p.coast, 0.5)),
        omit_if_empty: true,
        ..path("id=\"lakes\"", sc.lakes.iter().collect())
    }));
    let mut widths: Vec<f64> = sc.rivers.iter().map(|r| r.0).collect();
    widths.sort_by(|a, b| b.total_cmp(a));
    widths.dedup();
    for width in widths {
        let lines = sc
            .rivers
            .iter()
            .filter(|(w, _)| *w == width)
            .map(|(_, l)| l)
            .collect();
        v.push(Item::Path(PathItem {
            stroke: Some(Stroke {
                round_join: true,
                cap: Cap::Round,
                ..Stroke::new(p.river, width)
            }),
            omit_if_empty: true,
            ..path("class=\"rivers\"", lines)
        }));
    }
    if !sc.admin1.is_empty() {
        v.push(Item::Path(PathItem {
            stroke: Some(Stroke {
                dash: Some("3 2"),
                ..Stroke::new(p.admin1, 0.8)
            }),
            ..path("id=\"admin1\"", sc.admin1.iter().collect())
        }));
    }
    v.push(Item::Path(PathItem {
        stroke: Some(Stroke {
            opacity: Some(p.grid_opacity),
            ..Stroke::new(p.grid, 0.7)
        }),
        ..path("id=\"graticule\"", sc.graticule.iter().collect())
    }));
    v.push(Item::Path(PathItem {
        stroke: Some(Stroke {
            round_join: true,
            ..Stroke::new(p.coast, 0.9)
        }),
        ..path("id=\"coastline\"", sc.coast.iter().collect())
    }));
    v.push(Item::Path(PathItem {
        stroke: Some(Stroke {
            dash: Some("6 3 1.5 3"),
            round_join: true,
            ..Stroke::new(p.border, 1.3)
        }),
        ..path("id=\"borders\"", sc.borders.iter().collect())
    }));
    if !sc.railways.is_empty() {
        v.push(Item::Path(PathItem {
            stroke: Some(Stroke {
                round_join: true,
                cap: Cap::Round,
                ..Stroke::new(p.railway, 1.5)
            }),
            ..path("id=\"railways\"", sc.railways.iter().collect())
        }));
    }
    v.push(Item::End);
    v
}

/// The route (casing under every leg, then the legs, then the approximate
/// stretches) and the margin over whatever ran past the frame.
pub(crate) fn route<'a>(sc: &'a Scene, p: &Palette, f: Rect, vw: f64, vh: f64) -> Vec<Item<'a>> {
    let mut v = vec![Item::Begin {
        open: "<g id=\"route\" fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n",
        route: true,
    }];
    let round = |color, width| Stroke {
        round_join: true,
        cap: Cap::Round,
        ..Stroke::new(color, width)
    };
    let line = |attrs: String, lines: Vec<&'a Pts>, stroke| {
        Item::Path(PathItem {
            attrs,
            lines,
            close: false,
            fill: None,
            stroke: Some(stroke),
            omit_if_empty: false,
        })
    };
    for leg in &sc.legs {
        v.push(line(
            String::new(),
            leg.iter().collect(),
            round(p.casing, 8.0),
        ));
    }
    for (i, leg) in sc.legs.iter().enumerate() {
        v.push(line(
            format!("class=\"leg\" data-leg=\"{}\"", i + 1),
            leg.iter().collect(),
            round(p.route, 4.0),
        ));
    }
    // Approximate track: the route line broken by dashes of the casing colour.
    if !sc.approximate.is_empty() {
        v.push(line(
            "id=\"approximate\"".to_owned(),
            sc.approximate.iter().collect(),
            Stroke {
                dash: Some("7 6"),
                cap: Cap::Butt,
                ..round(p.casing, 2.2)
            },
        ));
    }
    v.push(Item::End);
    v.push(Item::Margin {
        w: vw,
        h: vh,
        frame: f,
        fill: p.page,
    });
    v
}

/// `v` as the SVG writes it, rounded to one decimal (`svg::tenths`), and
/// as its parser reads it back.
pub(crate) fn tenth(v: f32) -> f32 {
    let t = (f64::from(v) * 10.0).round();
    if !t.is_finite() || t.abs() > 1e15 {
        return v;
    }
    (t / 10.0) as f32
}

/// `v` as written with `{:.1}` and read back.
pub(crate) fn fixed1(v: f64) -> f32 {
    format!("{v:.1}").parse().unwrap_or(v as f32)
}
