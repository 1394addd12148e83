//! Writes the SVG document from a [`Layout`]. Everything is drawn in a
//! fixed order with numbers rounded to 0.1 px, so the same layout always
//! gives the same bytes.

use std::fmt::Write;
use std::ops::Range;

use super::display::{self, Cap, Item};

use super::context::CITY_R;
use super::layout::{fmt_num, Layout, LegendSymbol, Pts, Rect0, Scene, TextItem, WAYPOINT_R};
use super::text::FAMILY;
use super::Rect;
use super::{MapData, MapStyle, StopRole, Theme};

pub(crate) struct Palette {
    pub page: &'static str,
    pub water: &'static str,
    pub land: &'static str,
    pub coast: &'static str,
    pub border: &'static str,
    pub grid: &'static str,
    pub grid_opacity: f64,
    pub route: &'static str,
    pub casing: &'static str,
    pub ink: &'static str,
    pub muted: &'static str,
    pub halo: &'static str,
    pub panel: &'static str,
    pub panel_line: &'static str,
    pub country: &'static str,
    pub inset_land: &'static str,
    pub inset_water: &'static str,
    /// Railway lines around the route.
    pub railway: &'static str,
    /// Rivers, and the names of rivers, seas and lakes.
    pub river: &'static str,
    pub water_text: &'static str,
    /// First-level boundaries.
    pub admin1: &'static str,
    /// City dots.
    pub city: &'static str,
}

pub(crate) fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            page: "#ffffff",
            water: "#d3e3ee",
            land: "#f5f2ea",
            coast: "#7f9db2",
            border: "#8a7a66",
            grid: "#5f7f96",
            grid_opacity: 0.28,
            route: "#c8102e",
            casing: "#ffffff",
            ink: "#1b1b1b",
            muted: "#5a5a5a",
            halo: "#ffffff",
            panel: "#ffffff",
            panel_line: "#b8b8b8",
            country: "#8c8070",
            inset_land: "#e4ded0",
            inset_water: "#d3e3ee",
            railway: "#9c9c9c",
            river: "#7fa7c6",
            water_text: "#3f6f96",
            admin1: "#b5a68f",
            city: "#4a4a4a",
        },
        Theme::Dark => Palette {
            page: "#121518",
            water: "#1b2a38",
            land: "#2d3137",
            coast: "#55748b",
            border: "#9aa0a8",
            grid: "#ffffff",
            grid_opacity: 0.13,
            route: "#ff6a3d",
            casing: "#121518",
            ink: "#f2f2f2",
            muted: "#a9adb3",
            halo: "#121518",
            panel: "#1a1e23",
            panel_line: "#4a5058",
            country: "#8d939b",
            inset_land: "#3b4048",
            inset_water: "#1b2a38",
            railway: "#7d8590",
            river: "#3d6685",
            water_text: "#8fb4d2",
            admin1: "#5d636b",
            city: "#c9cdd2",
        },
        Theme::Print => Palette {
            page: "#ffffff",
            water: "#e2e2e2",
            land: "#ffffff",
            coast: "#707070",
            border: "#505050",
            grid: "#000000",
            grid_opacity: 0.18,
            route: "#000000",
            casing: "#ffffff",
            ink: "#000000",
            muted: "#404040",
            halo: "#ffffff",
            panel: "#ffffff",
            panel_line: "#808080",
            country: "#6a6a6a",
            inset_land: "#c8c8c8",
            inset_water: "#f0f0f0",
            railway: "#8a8a8a",
            river: "#9a9a9a",
            water_text: "#505050",
            admin1: "#9a9a9a",
            city: "#303030",
        },
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Appends path data for `lines` ("M x y x y …", closed with Z when asked).
fn path_data<'a>(out: &mut String, lines: impl IntoIterator<Item = &'a Pts>, close: bool) {
    for l in lines {
        let mut first = true;
        for &(x, y) in l {
            out.push(if first { 'M' } else { ' ' });
            first = false;
            tenths(out, x);
            out.push(' ');
            tenths(out, y);
        }
        if close {
            out.push('Z');
        }
    }
}

/// Appends `v` rounded to one decimal ("12.3", "-0.5", "0.0"): path data
/// is most of the document, and this is several times quicker than
/// `format!("{v:.1}")`.
fn tenths(out: &mut String, v: f32) {
    let t = (f64::from(v) * 10.0).round();
    if !t.is_finite() || t.abs() > 1e15 {
        let _ = write!(out, "{v:.1}");
        return;
    }
    let t = t as i64;
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    digits(out, a / 10);
    out.push('.');
    out.push(char::from(b'0' + (a % 10) as u8));
}

/// Appends the decimal digits of `n`, as `{n}` does, without going through
/// the formatting machinery.
fn digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

fn text(out: &mut String, t: &TextItem, p: &Palette) {
    let fill = if t.country {
        p.country
    } else if t.water {
        p.water_text
    } else if t.muted {
        p.muted
    } else {
        p.ink
    };
    let spacing = if t.spacing > 0.0 {
        format!(" letter-spacing=\"{}\"", t.spacing)
    } else {
        String::new()
    };
    let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
    let italic = if t.italic {
        " font-style=\"italic\""
    } else {
        ""
    };
    let rotate = if t.rotate != 0.0 {
        format!(
            " transform=\"rotate({:.1} {:.1} {:.1})\"",
            t.rotate, t.x, t.y
        )
    } else {
        String::new()
    };
    let halo = if t.halo {
        format!(
            " stroke=\"{}\" stroke-width=\"3.5\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            p.halo
        )
    } else {
        String::new()
    };
    let body = if t.lines.is_empty() {
        esc(&t.text)
    } else {
        let mut b = String::new();
        for (i, line) in t.lines.iter().enumerate() {
            let _ = write!(
                b,
                "<tspan x=\"{:.1}\" y=\"{:.1}\">{}</tspan>",
                t.x,
                t.y + t.line_h * i as f64,
                esc(line)
            );
        }
        b
    };
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}\"{weight}{italic}{spacing}{rotate} text-anchor=\"{}\" fill=\"{fill}\"{halo}>{body}</text>",
        t.x, t.y, t.size, t.anchor
    );
}

/// A town the route passes: a small solid dot (stops are hollow rings), with a
/// thin ring of page colour so it reads on top of the route line.
fn waypoint_dot(o: &mut String, x: f64, y: f64, p: &Palette) {
    let _ = writeln!(
        o,
        "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{WAYPOINT_R}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.2\"/>",
        p.ink, p.page
    );
}

/// A stop's marker, `size` times the usual.
fn marker(out: &mut String, x: f64, y: f64, role: StopRole, size: f64, p: &Palette) {
    match role {
        StopRole::Start => {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6.5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"3.5\"/>",
                p.page, p.ink
            );
        }
        StopRole::End => {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"8.5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                p.ink, p.page
            );
        }
        StopRole::Via => {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                p.page, p.ink
            );
        }
        StopRole::Place => {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
                5.5 * size,
                p.route,
                if size > 1.0 { "0.85" } else { "1" },
                p.page
            );
        }
    }
}

fn panel(out: &mut String, r: &Rect0, p: &Palette) {
    let _ = writeln!(
        out,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.93\" stroke=\"{}\" stroke-width=\"1\"/>",
        r.0, r.1, r.2, r.3, p.panel, p.panel_line
    );
}

/// Where the layers drawn through the SVG lie in the document, for the
/// rasteriser (which draws the display list's items itself).
#[derive(Debug, Clone, Default)]
pub(crate) struct Marks {
    /// The opening tag, title and definitions.
    pub head: Range<usize>,
    /// Country names and the context under the route.
    pub context: Range<usize>,
    /// Everything above the margin: labels, frame, inset, legend, scale
    /// bar, header.
    pub top: Range<usize>,
}

/// The SVG document for a laid-out map, and where its layers lie.
pub(crate) fn write_marked(data: &MapData, style: &MapStyle, l: &Layout) -> (String, Marks) {
    let p = palette(style.theme);
    let (sc, f) = (&l.scene, l.canvas.frame);
    let (vw, vh) = (l.canvas.width, l.canvas.height);
    // The basemap's path data, most of the document, is written in two
    // halves on two threads while this one writes the layers above it.
    let list = display::basemap(sc, &p, f, vw, vh);
    let (first, second, in_route) = display::halves(&list);
    let write = |part: &[Item], in_route: bool| {
        let mut b = String::with_capacity(1 << 19);
        items(&mut b, part, in_route);
        b
    };
    let ([first, second], [context, route, top]) = std::thread::scope(|s| {
        let first = s.spawn(|| write(first, false));
        let second = s.spawn(|| write(second, in_route));
        let above = above_basemap(data, l, &p);
        let join = |h: std::thread::ScopedJoinHandle<'_, String>| {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        ([join(first), join(second)], above)
    });
    let basemap = first + &second;
    let mut o = head(l);
    let mut marks = Marks {
        head: 0..o.len(),
        ..Marks::default()
    };
    o.reserve(basemap.len() + context.len() + route.len() + top.len() + 8);
    o.push_str(&basemap);
    let start = o.len();
    o.push_str(&context);
    marks.context = start..o.len();
    o.push_str(&route);
    let start = o.len();
    o.push_str(&top);
    marks.top = start..o.len();
    o.push_str("</svg>\n");
    (o, marks)
}

/// The opening tag, title and definitions.
fn head(l: &Layout) -> String {
    let sc = &l.scene;
    let (w, h) = (l.width, l.height);
    let (vw, vh) = (l.canvas.width, l.canvas.height);
    let mut o = String::with_capacity(1 << 12);
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {vw} {vh}\" font-family=\"{FAMILY}\">"
    );
    let title = sc.header.first().map(|t| t.text.as_str()).unwrap_or("");
    let _ = writeln!(o, "<title>{}</title>", esc(title));
    o.push_str("<defs>");
    if let Some(ins) = &sc.inset {
        let r = ins.rect;
        let _ = write!(
            o,
            "<clipPath id=\"inset-clip\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/></clipPath>",
            r.0, r.1, r.2, r.3
        );
    }
    o.push_str("</defs>\n");
    o
}

/// The layers above the basemap: the context (under the route), the
/// route and margin, and everything above them (labels, frame, inset,
/// legend, scale bar, header).
fn above_basemap(data: &MapData, l: &Layout, p: &Palette) -> [String; 3] {
    let (sc, f) = (&l.scene, l.canvas.frame);
    let layer = Layer {
        sc,
        sizes: data.stops.iter().map(|s| s.size).collect(),
        p,
        f,
    };
    let mut context = String::new();
    context_layer(&mut context, &layer);
    let mut route = String::with_capacity(1 << 16);
    items(
        &mut route,
        &display::route(sc, p, f, l.canvas.width, l.canvas.height),
        false,
    );
    let mut top = String::with_capacity(1 << 14);
    labels_layer(&mut top, &layer);
    frame_layer(&mut top, &layer);
    inset_layer(&mut top, &layer);
    legend_layer(&mut top, &layer);
    // Scale bar (km above, miles beneath) and north arrow.
    if l.canvas.scale_bar.rect.w > 0.0 {
        scale_bar(&mut top, l, p);
    }
    // Title, subtitle, attribution.
    for t in &sc.header {
        text(&mut top, t, p);
    }
    [context, route, top]
}

/// Writes the display list's items as SVG elements (`in_route`: the list
/// starts inside the route's group).
fn items(o: &mut String, list: &[Item], mut in_route: bool) {
    // Inside the route's group, fill, caps and joins are inherited.
    let mut d = String::new();
    for item in list {
        match item {
            Item::Page { w, h, fill } => {
                let _ = writeln!(o, "<rect width=\"{w}\" height=\"{h}\" fill=\"{fill}\"/>");
            }
            Item::Rect { r, fill } => {
                let _ = writeln!(
                    o,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                    r.x, r.y, r.w, r.h
                );
            }
            Item::Margin { w, h, frame, fill } => {
                let _ = writeln!(
                    o,
                    "<path id=\"margin\" fill=\"{fill}\" fill-rule=\"evenodd\" d=\"M0 0H{w}V{h}H0ZM{:.1} {:.1}V{:.1}H{:.1}V{:.1}Z\"/>",
                    frame.x,
                    frame.y,
                    frame.bottom(),
                    frame.right(),
                    frame.y
                );
            }
            Item::Begin { open, route } => {
                o.push_str(open);
                in_route = *route;
            }
            Item::End => {
                o.push_str("</g>\n");
                in_route = false;
            }
            Item::Path(pi) => {
                d.clear();
                path_data(&mut d, pi.lines.iter().copied(), pi.close);
                if pi.omit_if_empty && d.is_empty() {
                    continue;
                }
                o.push_str("<path");
                if !pi.attrs.is_empty() {
                    o.push(' ');
                    o.push_str(&pi.attrs);
                }
                match pi.fill {
                    Some((fill, evenodd)) => {
                        let _ = write!(o, " fill=\"{fill}\"");
                        if evenodd {
                            o.push_str(" fill-rule=\"evenodd\"");
                        }
                    }
                    None if !in_route => o.push_str(" fill=\"none\""),
                    None => {}
                }
                if let Some(s) = &pi.stroke {
                    let _ = write!(o, " stroke=\"{}\"", s.color);
                    if let Some(op) = s.opacity {
                        let _ = write!(o, " stroke-opacity=\"{op}\"");
                    }
                    let _ = write!(o, " stroke-width=\"{}\"", s.width);
                    if let Some(dash) = s.dash {
                        let _ = write!(o, " stroke-dasharray=\"{dash}\"");
                    }
                    if s.round_join && !in_route {
                        o.push_str(" stroke-linejoin=\"round\"");
                    }
                    match (s.cap, in_route) {
                        (Cap::Round, false) => o.push_str(" stroke-linecap=\"round\""),
                        (Cap::Butt, true) => o.push_str(" stroke-linecap=\"butt\""),
                        _ => {}
                    }
                }
                let _ = writeln!(o, " d=\"{d}\"/>");
            }
        }
    }
}

/// What every layer of the SVG reads: the scene, the colours, the frame
/// and the canvas's size.
struct Layer<'a> {
    sc: &'a Scene,
    /// Marker sizes of the stops, in their order (`MapStop::size`).
    sizes: Vec<f64>,
    p: &'a Palette,
    f: Rect,
}

/// Country names, then the context under the route: city dots, then
/// city, water, river and region names.
fn context_layer(o: &mut String, c: &Layer) {
    let (sc, p) = (c.sc, c.p);
    o.push_str("<g id=\"country-labels\">\n");
    for t in &sc.country_labels {
        text(o, t, p);
    }
    o.push_str("</g>\n");
    // Context under the route: city dots, then city, water, river and
    // region names.
    o.push_str("<g id=\"context\">\n");
    for &(x, y, capital) in &sc.cities {
        let _ = writeln!(
            o,
            "<circle class=\"city\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{CITY_R}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            if capital { p.page } else { p.city },
            p.city,
            if capital { 1.6 } else { 0.8 }
        );
    }
    for t in &sc.context_labels {
        text(o, t, p);
    }
    o.push_str("</g>\n");
}

/// Leader lines, markers, waypoints, distance and stop labels.
fn labels_layer(o: &mut String, c: &Layer) {
    let (sc, p, f) = (c.sc, c.p, c.f);
    // Leader lines, then markers, then labels on top.
    o.push_str("<g id=\"leaders\" stroke-width=\"1.2\">\n");
    for (_, leader) in &sc.stop_labels {
        if let Some([x1, y1, x2, y2]) = leader {
            let _ = writeln!(
                o,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\"/>",
                p.ink
            );
        }
    }
    for ll in &sc.leg_labels {
        if let Some([x1, y1, x2, y2]) = ll.leader {
            let _ = writeln!(
                o,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\"/>",
                p.route
            );
        }
    }
    o.push_str("</g>\n<g id=\"markers\">\n");
    for (i, &(x, y, role)) in sc.markers.iter().enumerate() {
        if !f.contains(x, y) {
            continue;
        }
        marker(o, x, y, role, c.sizes.get(i).copied().unwrap_or(1.0), p);
    }
    o.push_str("</g>\n");
    // Waypoints (towns passed): a small dot on the line, a light label.
    if !sc.waypoints.is_empty() {
        o.push_str("<g id=\"waypoints\">\n");
        for (x, y, _) in &sc.waypoints {
            waypoint_dot(o, *x, *y, p);
        }
        for (_, _, t) in &sc.waypoints {
            text(o, t, p);
        }
        o.push_str("</g>\n");
    }
    o.push_str("<g id=\"leg-labels\">\n");
    for ll in &sc.leg_labels {
        let r = ll.rect;
        let _ = writeln!(
            o,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
            r.0, r.1, r.2, r.3, r.3 / 2.0, p.page, p.route
        );
        text(o, &ll.text, p);
    }
    o.push_str("</g>\n<g id=\"stop-labels\">\n");
    for (t, _) in &sc.stop_labels {
        text(o, t, p);
    }
    o.push_str("</g>\n");
}

/// The frame's outline and the graticule labels outside it.
fn frame_layer(o: &mut String, c: &Layer) {
    let (sc, p, f) = (c.sc, c.p, c.f);
    let _ = writeln!(
        o,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
        f.x, f.y, f.w, f.h, p.muted
    );
    o.push_str("<g id=\"graticule-labels\">\n");
    for t in &sc.grid_labels {
        text(o, t, p);
    }
    o.push_str("</g>\n");
}

/// The inset locator.
fn inset_layer(o: &mut String, c: &Layer) {
    let (sc, p) = (c.sc, c.p);
    let mut d = String::new();
    // Inset locator.
    if let Some(ins) = &sc.inset {
        let r = ins.rect;
        o.push_str("<g id=\"inset\">\n");
        let _ = writeln!(
            o,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            r.0, r.1, r.2, r.3, p.inset_water
        );
        o.push_str("<g clip-path=\"url(#inset-clip)\">\n");
        d.clear();
        path_data(&mut d, &ins.land, true);
        let _ = writeln!(o, "<path fill=\"{}\" fill-rule=\"evenodd\" stroke=\"{}\" stroke-width=\"0.5\" d=\"{d}\"/>", p.inset_land, p.coast);
        d.clear();
        path_data(&mut d, &ins.borders, false);
        let _ = writeln!(o, "<path fill=\"none\" stroke=\"{}\" stroke-width=\"0.5\" stroke-opacity=\"0.7\" d=\"{d}\"/>", p.border);
        d.clear();
        path_data(&mut d, std::slice::from_ref(&ins.outline), true);
        let _ = writeln!(
            o,
            "<path fill=\"{}\" fill-opacity=\"0.15\" stroke=\"{}\" stroke-width=\"2\" d=\"{d}\"/>",
            p.route, p.route
        );
        o.push_str("</g>\n");
        let _ = writeln!(
            o,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
            r.0, r.1, r.2, r.3, p.muted
        );
        o.push_str("</g>\n");
    }
}

/// The legend.
fn legend_layer(o: &mut String, c: &Layer) {
    let (sc, p) = (c.sc, c.p);
    // Legend.
    if let Some((r, entries)) = &sc.legend {
        o.push_str("<g id=\"legend\">\n");
        panel(o, r, p);
        for (i, (sym, label)) in entries.iter().enumerate() {
            let cy = r.1 + 21.0 + i as f64 * 24.0;
            let x0 = r.0 + 12.0;
            match sym {
                LegendSymbol::Route => {
                    let _ = writeln!(o, "<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"8\" stroke-linecap=\"round\"/>\n<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"4\" stroke-linecap=\"round\"/>", x0 + 2.0, x0 + 30.0, p.casing, x0 + 2.0, x0 + 30.0, p.route);
                }
                LegendSymbol::Marker(role) => marker(o, x0 + 16.0, cy, *role, 1.0, p),
                LegendSymbol::Waypoint => waypoint_dot(o, x0 + 16.0, cy, p),
                LegendSymbol::Railway => {
                    let _ = writeln!(o, "<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-linecap=\"round\"/>", x0 + 2.0, x0 + 30.0, p.railway);
                }
                LegendSymbol::Approximate => {
                    let _ = writeln!(o, "<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"4\" stroke-linecap=\"round\"/>", x0 + 2.0, x0 + 30.0, p.route);
                    let _ = writeln!(o, "<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"2.2\" stroke-dasharray=\"7 6\"/>", x0 + 2.0, x0 + 30.0, p.casing);
                }
                LegendSymbol::Border => {
                    let _ = writeln!(o, "<path d=\"M{:.1} {cy:.1}H{:.1}\" stroke=\"{}\" stroke-width=\"1.3\" stroke-dasharray=\"6 3 1.5 3\"/>", x0, x0 + 32.0, p.border);
                }
            }
            text(
                o,
                &TextItem {
                    text: label.clone(),
                    x: x0 + 44.0,
                    y: cy + 5.0,
                    anchor: "start",
                    size: 14.0,
                    ..TextItem::default()
                },
                p,
            );
        }
        o.push_str("</g>\n");
    }
}

/// The scale bar panel (km above, miles beneath) and the north arrow.
fn scale_bar(o: &mut String, l: &Layout, p: &Palette) {
    let sb = &l.canvas.scale_bar;
    let r = sb.rect;
    o.push_str("<g id=\"scale-bar\">\n");
    panel(o, &Rect0(r.x, r.y, r.w, r.h), p);
    let x0 = r.x + 14.0;
    let ykm = r.y + 19.0;
    let ymi = r.y + 33.0;
    let _ = writeln!(
        o,
        "<path d=\"M{x0:.1} {:.1}V{ykm:.1}H{:.1}V{:.1}M{x0:.1} {ykm:.1}V{:.1}M{x0:.1} {ymi:.1}H{:.1}V{:.1}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
        ykm - 6.0,
        x0 + sb.km_px,
        ykm - 6.0,
        ymi + 6.0,
        x0 + sb.mi_px,
        ymi + 6.0,
        p.ink
    );
    for (txt, x, y) in [
        (
            format!("{} km", fmt_num(sb.km)),
            x0 + sb.km_px + 6.0,
            ykm + 4.5,
        ),
        (
            format!("{} mi", fmt_num(sb.mi)),
            x0 + sb.mi_px + 6.0,
            ymi + 4.5,
        ),
    ] {
        text(
            o,
            &TextItem {
                text: txt,
                x,
                y,
                anchor: "start",
                size: 13.0,
                ..TextItem::default()
            },
            p,
        );
    }
    text(
        o,
        &TextItem {
            text: if sb.true_at[1].abs() < 0.05 {
                "Scale true at the equator".to_owned()
            } else {
                format!(
                    "Scale true at {:.1}°{}",
                    sb.true_at[1].abs(),
                    if sb.true_at[1] > 0.0 { 'N' } else { 'S' }
                )
            },
            x: x0,
            y: r.bottom() - 6.0,
            anchor: "start",
            size: 10.0,
            muted: true,
            ..TextItem::default()
        },
        p,
    );
    if let Some(deg) = l.north_arrow_deg {
        let (ax, ay) = (r.right() - 24.0, r.y + r.h / 2.0);
        let _ = writeln!(
            o,
            "<g transform=\"rotate({deg:.2} {ax:.1} {ay:.1})\"><path d=\"M{ax:.1} {:.1}L{:.1} {:.1}L{ax:.1} {:.1}Z\" fill=\"{}\"/><path d=\"M{ax:.1} {:.1}L{:.1} {:.1}L{ax:.1} {:.1}Z\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/><text x=\"{ax:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\">N</text></g>",
            ay - 14.0,
            ax + 7.0,
            ay + 12.0,
            ay + 6.0,
            p.ink,
            ay - 14.0,
            ax - 7.0,
            ay + 12.0,
            ay + 6.0,
            p.ink,
            ay - 17.0,
            p.ink
        );
    }
    o.push_str("</g>\n");
}
