//! The header stage: the title and the line under it above the frame, the
//! attribution below it, each shortened (with a warning) to fit the width.

use super::{text, BoxKind, Ctx, PlacedBox, Rect, Scene, TextItem};
use crate::render::MapData;

/// Places the title, the subtitle (the stops, on a route of three or more)
/// and the attribution; says in `warnings` what it had to shorten.
pub(crate) fn place(
    ctx: &Ctx,
    scene: &mut Scene,
    boxes: &mut Vec<PlacedBox>,
    warnings: &mut Vec<String>,
) {
    let data = ctx.data;
    let first = &data.stops[0].label;
    let last = &data.stops[data.stops.len() - 1].label;
    let title = match &data.title {
        Some(t) => t.clone(),
        None if !data.legs.is_empty() => {
            let mut t = format!("{first} → {last}");
            if let Some(total) = &data.total_label {
                t.push_str(&format!(" · {total}"));
            }
            t
        }
        None => {
            let names: Vec<&str> = data.stops.iter().map(|s| s.label.as_str()).collect();
            shorten(&names.join(", "), 16.0, true, ctx.frame.w, 8, 8)
        }
    };
    let max_w = ctx.w - 2.0 * ctx.side;
    let mut tsize = ctx.title_size;
    while tsize > 14.0 && text::width(&title, tsize, true) > max_w {
        tsize -= 1.0;
    }
    // A route's own title too wide even at the smallest size loses its
    // total ("Pyongyang → Vostochny Cosmodrome", the distance is in the
    // legend and on the legs) before any name is cut.
    let title = match (&data.title, &data.total_label) {
        (None, Some(_)) if !data.legs.is_empty() && text::width(&title, tsize, true) > max_w => {
            let short = format!("{first} → {last}");
            if text::width(&short, tsize, true) <= max_w {
                warnings.push(format!(
                    "title shortened to {short:?} to fit the map's width"
                ));
            }
            short
        }
        _ => title,
    };
    let title = match fit_text(&title, tsize, true, max_w) {
        Some(t) if t != title => {
            warnings.push(format!("title shortened to {t:?} to fit the map's width"));
            t
        }
        Some(t) => t,
        None => String::new(),
    };
    let title_y = if ctx.compact { 26.0 } else { 36.0 };
    let tw = text::width(&title, tsize, true);
    boxes.push(PlacedBox {
        kind: BoxKind::Title,
        text: title.clone(),
        rect: Rect::new(ctx.side, title_y - tsize * text::ASCENT, tw, tsize),
        leader: None,
    });
    scene.header.push(TextItem {
        text: title,
        x: ctx.side,
        y: title_y,
        anchor: "start",
        size: tsize,
        bold: true,
        ..TextItem::default()
    });
    if data.stops.len() > 2 && !data.legs.is_empty() {
        let sub: Vec<&str> = data.stops.iter().map(|s| s.label.as_str()).collect();
        let ssize = if ctx.compact { 13.0 } else { 16.0 };
        let sub = shorten(&sub.join(" → "), ssize, false, ctx.frame.w, 6, 4);
        let sy = title_y + ssize + 6.0;
        boxes.push(PlacedBox {
            kind: BoxKind::Subtitle,
            text: sub.clone(),
            rect: Rect::new(
                ctx.side,
                sy - ssize * text::ASCENT,
                text::width(&sub, ssize, false),
                ssize,
            ),
            leader: None,
        });
        scene.header.push(TextItem {
            text: sub,
            x: ctx.side,
            y: sy,
            anchor: "start",
            size: ssize,
            muted: true,
            ..TextItem::default()
        });
    }
    let (attr, asize, shortened) = attribution_line(data, ctx.w - 8.0);
    if shortened {
        warnings.push(format!(
            "attribution shortened to {attr:?} to fit the map's width"
        ));
    }
    let aw = text::width(&attr, asize, false);
    let ay = ctx.h - 9.0;
    // Right-aligned under the frame, or from the left edge when wider.
    let ax = (ctx.w - ctx.side).max(aw + 4.0).min(ctx.w - 4.0);
    boxes.push(PlacedBox {
        kind: BoxKind::Attribution,
        text: attr.clone(),
        rect: Rect::new(ax - aw, ay - asize * text::ASCENT, aw, asize),
        leader: None,
    });
    scene.header.push(TextItem {
        text: attr,
        x: ax,
        y: ay,
        anchor: "end",
        size: asize,
        muted: true,
        ..TextItem::default()
    });
}

/// `text` cut at a word (or a character) and ended with "…" so that it is
/// at most `max_w` px wide at `size`; `None` when not even "…" fits.
pub(crate) fn fit_text(text: &str, size: f64, bold: bool, max_w: f64) -> Option<String> {
    if text::width(text, size, bold) <= max_w {
        return Some(text.to_owned());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut prefix = Vec::with_capacity(chars.len() + 1);
    let mut sum = 0.0;
    prefix.push(sum);
    for &c in &chars {
        sum += text::char_advance(c, bold);
        prefix.push(sum);
    }
    let ellipsis = text::char_advance('…', bold);
    for n in (1..chars.len()).rev() {
        // The first n letters without trailing separators, then spaces.
        let mut m = n;
        while m > 0 && [' ', '·', '→', ','].contains(&chars[m - 1]) {
            m -= 1;
        }
        while m > 0 && chars[m - 1].is_whitespace() {
            m -= 1;
        }
        if (prefix[m] + ellipsis) * size <= max_w {
            let mut t: String = chars[..m].iter().collect();
            t.push('…');
            return Some(t);
        }
    }
    (text::width("…", size, bold) <= max_w).then(|| "…".to_owned())
}

/// The attribution line, its size and whether it had to be shortened to fit
/// `max_w` px: the full credits, then the same without their labels, then a
/// smaller size, then cut.
fn attribution_line(data: &MapData, max_w: f64) -> (String, f64, bool) {
    let mut full = vec!["Basemap: Natural Earth (public domain)".to_owned()];
    full.extend(data.attribution.iter().cloned());
    full.push("Map: routemap".to_owned());
    let mut short = vec!["Natural Earth".to_owned()];
    short.extend(
        data.attribution
            .iter()
            .map(|a| a.split_once(": ").map_or(a.as_str(), |(_, v)| v).to_owned()),
    );
    short.push("routemap".to_owned());
    let (full, short) = (full.join(" · "), short.join(" · "));
    for (t, size, cut) in [
        (&full, 11.0, false),
        (&short, 11.0, true),
        (&short, 9.0, true),
    ] {
        if text::width(t, size, false) <= max_w {
            return (t.clone(), size, cut);
        }
    }
    let t = fit_text(&short, 9.0, false, max_w).unwrap_or_default();
    (t, 9.0, true)
}

/// `text` while wider than `max_w` and longer than `min_chars`
/// characters, cut by `step` characters and ended with "…" (the "…" counts
/// as one of them). Measured from the running sum of the letters' advances,
/// so a list of a thousand names is cut in one pass, not re-measured at
/// every step.
fn shorten(text: &str, size: f64, bold: bool, max_w: f64, step: usize, min_chars: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    // prefix[i]: the advance of the first i letters, in em, summed in order
    // as text::width sums them.
    let mut prefix = Vec::with_capacity(chars.len() + 1);
    let mut sum = 0.0;
    prefix.push(sum);
    for &c in &chars {
        sum += text::char_advance(c, bold);
        prefix.push(sum);
    }
    let ellipsis = text::char_advance('…', bold);
    // The text is `kept` letters of `chars`, then "…" once cut.
    let (mut kept, mut cut) = (chars.len(), false);
    loop {
        let count = kept + usize::from(cut);
        let em = if cut {
            prefix[kept] + ellipsis
        } else {
            prefix[kept]
        };
        if em * size <= max_w || count <= min_chars {
            break;
        }
        kept = count.saturating_sub(step).min(kept);
        cut = true;
    }
    let mut t: String = chars[..kept].iter().collect();
    if cut {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortening loops as they were first written, measuring the whole
    /// text at every step: the one-pass versions must cut at the same place.
    fn fit_text_slow(text: &str, size: f64, bold: bool, max_w: f64) -> Option<String> {
        if text::width(text, size, bold) <= max_w {
            return Some(text.to_owned());
        }
        let chars: Vec<char> = text.chars().collect();
        for n in (1..chars.len()).rev() {
            let head: String = chars[..n].iter().collect();
            let t = format!(
                "{}…",
                head.trim_end_matches([' ', '·', '→', ',']).trim_end()
            );
            if text::width(&t, size, bold) <= max_w {
                return Some(t);
            }
        }
        (text::width("…", size, bold) <= max_w).then(|| "…".to_owned())
    }

    fn shorten_slow(
        text: &str,
        size: f64,
        bold: bool,
        max_w: f64,
        step: usize,
        min: usize,
    ) -> String {
        let mut t = text.to_owned();
        while text::width(&t, size, bold) > max_w && t.chars().count() > min {
            let n = t.chars().count();
            t = t.chars().take(n.saturating_sub(step)).collect::<String>() + "…";
        }
        t
    }

    #[test]
    fn one_pass_shortening_cuts_where_measuring_each_step_did() {
        let texts = [
            "Pyongyang → Khasan → Ussuriysk → Khabarovsk → Vostochny Cosmodrome",
            "Köln, Nippes, Deutz, Kalk, Ehrenfeld, Mülheim, Porz",
            "평양 · 서울 · 東京 · Хабаровск",
            "a ,\t· b",
            "short",
        ];
        for t in texts {
            for max_w in [0.0, 5.0, 20.0, 60.0, 150.0, 400.0, 1000.0] {
                for bold in [false, true] {
                    assert_eq!(
                        fit_text(t, 14.0, bold, max_w),
                        fit_text_slow(t, 14.0, bold, max_w),
                        "{t:?} {max_w}"
                    );
                    for (step, min) in [(8, 8), (6, 4)] {
                        assert_eq!(
                            shorten(t, 16.0, bold, max_w, step, min),
                            shorten_slow(t, 16.0, bold, max_w, step, min),
                            "{t:?} {max_w} {step}"
                        );
                    }
                }
            }
        }
    }
}
