//! The map as pixels, with tiny-skia: the display list's geometry (page,
//! basemap, route, margin) drawn directly, and the text and furniture
//! between and above it through resvg from the parts of the SVG that hold
//! them; fonts from the embedded database only.

use std::ops::Range;

use resvg::tiny_skia::{
    self, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, PixmapMut, StrokeDash, Transform,
};

use super::display::{self, fixed1, tenth, Cap, Item};
use super::svg::{palette, Marks};
use super::{text, Layout, RenderError, Theme};

fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: text::fontdb(),
        font_family: "DejaVu Sans".to_owned(),
        ..usvg::Options::default()
    }
}

fn parse(svg: &str) -> Result<usvg::Tree, RenderError> {
    usvg::Tree::from_str(svg, &options()).map_err(|e| RenderError::Raster {
        reason: e.to_string(),
    })
}

/// Rasterises `svg` whole through resvg at `scale` (1 = one pixel per CSS
/// pixel): what the direct drawing is checked against.
#[cfg(test)]
pub(crate) fn pixmap(svg: &str, scale: f32) -> Result<Pixmap, RenderError> {
    let tree = parse(svg)?;
    let size = tree.size();
    let w = (size.width() * scale).round() as u32;
    let h = (size.height() * scale).round() as u32;
    let ts = Transform::from_scale(scale, scale);
    render_in_bands(w, h, |pm: &mut PixmapMut, band: Transform| {
        resvg::render(&tree, band.pre_concat(ts), pm)
    })
}

/// What [`draw`] needs: the layout (its scene and canvas), the colours and
/// the SVG with the places of its layers.
pub(crate) struct Source<'a> {
    pub layout: &'a Layout,
    pub theme: Theme,
    pub svg: &'a str,
    pub marks: &'a Marks,
    pub scale: f32,
}

/// The part of the SVG in `range` as a document of its own: the same
/// opening tag (size, view box, font), title and definitions.
fn part(src: &Source, range: &Range<usize>) -> String {
    let mut s = String::with_capacity(src.marks.head.len() + range.len() + 8);
    s.push_str(&src.svg[src.marks.head.clone()]);
    s.push_str(&src.svg[range.clone()]);
    s.push_str("</svg>\n");
    s
}

/// The transform from the canvas (the SVG's view box) to the image: the
/// view box fitted to the image size, centred (SVG's default
/// `preserveAspectRatio`), times `scale`.
fn canvas_transform(l: &Layout, scale: f32) -> Transform {
    let (w, h) = (l.width as f32, l.height as f32);
    let (vw, vh) = (l.canvas.width as f32, l.canvas.height as f32);
    let s = (w / vw).min(h / vh);
    let tx = (w - vw * s) / 2.0;
    let ty = (h - vh * s) / 2.0;
    Transform::from_scale(scale, scale).pre_concat(Transform::from_row(s, 0.0, 0.0, s, tx, ty))
}

/// A display list item ready to draw: a path with its fill or stroke.
enum Op {
    Fill {
        path: tiny_skia::Path,
        paint: Paint<'static>,
        rule: FillRule,
    },
    Stroke {
        path: tiny_skia::Path,
        paint: Paint<'static>,
        stroke: tiny_skia::Stroke,
    },
    /// A stroke that came to nothing.
    Nothing,
}

fn color(hex: &str, opacity: f64) -> Paint<'static> {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    let mut paint = Paint::default();
    let a = (opacity as f32 * 255.0 + 0.5) as u8;
    paint.set_color_rgba8((v >> 16) as u8, (v >> 8) as u8, v as u8, a);
    paint.anti_alias = true;
    paint
}

/// The display list's items as paths to fill and stroke, with the
/// coordinates the SVG gives them (rounded to 0.1 px); `in_route`: the list
/// starts inside the route's group.
fn ops(list: &[Item], mut in_route: bool) -> Vec<Op> {
    let mut out = Vec::new();
    let rect = |x: f32, y: f32, w: f32, h: f32| {
        tiny_skia::Rect::from_xywh(x, y, w, h).map(PathBuilder::from_rect)
    };
    for item in list {
        match item {
            Item::Begin { route, .. } => in_route = *route,
            Item::End => in_route = false,
            Item::Page { w, h, fill } => {
                if let Some(path) = rect(0.0, 0.0, *w as f32, *h as f32) {
                    out.push(fill_op(path, fill, FillRule::Winding));
                }
            }
            Item::Rect { r, fill } => {
                if let Some(path) = rect(fixed1(r.x), fixed1(r.y), fixed1(r.w), fixed1(r.h)) {
                    out.push(fill_op(path, fill, FillRule::Winding));
                }
            }
            Item::Margin { w, h, frame, fill } => {
                let mut pb = PathBuilder::new();
                let (w, h) = (*w as f32, *h as f32);
                pb.move_to(0.0, 0.0);
                pb.line_to(w, 0.0);
                pb.line_to(w, h);
                pb.line_to(0.0, h);
                pb.close();
                let (x, y) = (fixed1(frame.x), fixed1(frame.y));
                let (r, b) = (fixed1(frame.right()), fixed1(frame.bottom()));
                pb.move_to(x, y);
                pb.line_to(x, b);
                pb.line_to(r, b);
                pb.line_to(r, y);
                pb.close();
                if let Some(path) = pb.finish() {
                    out.push(fill_op(path, fill, FillRule::EvenOdd));
                }
            }
            Item::Path(pi) => {
                let mut pb = PathBuilder::new();
                for line in &pi.lines {
                    for (i, &(x, y)) in line.iter().enumerate() {
                        if i == 0 {
                            pb.move_to(tenth(x), tenth(y));
                        } else {
                            pb.line_to(tenth(x), tenth(y));
                        }
                    }
                    if pi.close {
                        pb.close();
                    }
                }
                let Some(path) = pb.finish() else {
                    continue;
                };
                if let Some((fill, evenodd)) = pi.fill {
                    let b = path.bounds();
                    // A path without area is not filled.
                    if b.width() > 0.0 && b.height() > 0.0 {
                        let rule = if evenodd {
                            FillRule::EvenOdd
                        } else {
                            FillRule::Winding
                        };
                        out.push(fill_op(path.clone(), fill, rule));
                    }
                }
                if let Some(s) = &pi.stroke {
                    let mut stroke = tiny_skia::Stroke {
                        width: s.width as f32,
                        line_cap: match s.cap {
                            Cap::Butt => LineCap::Butt,
                            Cap::Round => LineCap::Round,
                        },
                        line_join: if s.round_join || in_route {
                            LineJoin::Round
                        } else {
                            LineJoin::Miter
                        },
                        ..tiny_skia::Stroke::default()
                    };
                    if let Some(dash) = s.dash {
                        let array = dash.split(' ').filter_map(|v| v.parse().ok()).collect();
                        stroke.dash = StrokeDash::new(array, 0.0);
                    }
                    out.push(Op::Stroke {
                        path,
                        paint: color(s.color, s.opacity.unwrap_or(1.0)),
                        stroke,
                    });
                }
            }
        }
    }
    out
}

fn fill_op(path: tiny_skia::Path, fill: &str, rule: FillRule) -> Op {
    Op::Fill {
        path,
        paint: color(fill, 1.0),
        rule,
    }
}

fn draw_ops(ops: &[Op], ts: Transform, pm: &mut PixmapMut) {
    for op in ops {
        match op {
            Op::Fill { path, paint, rule } => pm.fill_path(path, paint, *rule, ts, None),
            Op::Stroke {
                path,
                paint,
                stroke,
            } => pm.stroke_path(path, paint, stroke, ts, None),
            Op::Nothing => {}
        }
    }
}

/// Strokes wider than a pixel outlined once, for both halves of the image:
/// dashed and stroked as tiny-skia's `stroke_path` does at `ts` (the
/// halves' transforms differ by a translation only, which does not change
/// the outline), to be filled like any other shape. Hairlines stay strokes.
fn outline_wide_strokes(ops: Vec<Op>, ts: Transform) -> Vec<Op> {
    let res_scale = tiny_skia::PathStroker::compute_resolution_scale(&ts);
    ops.into_iter()
        .map(|op| match op {
            Op::Stroke {
                path,
                paint,
                stroke,
            } if !hairline(&stroke, ts) => {
                let dashed = match &stroke.dash {
                    Some(dash) => path.dash(dash, res_scale),
                    None => Some(path),
                };
                match dashed.and_then(|p| p.stroke(&stroke, res_scale)) {
                    Some(path) => Op::Fill {
                        path,
                        paint,
                        rule: FillRule::Winding,
                    },
                    None => Op::Nothing,
                }
            }
            op => op,
        })
        .collect()
}

/// Whether tiny-skia draws an anti-aliased stroke as a hairline: when its
/// width, through `ts`, is at most a pixel in both directions.
fn hairline(stroke: &tiny_skia::Stroke, ts: Transform) -> bool {
    if stroke.width == 0.0 {
        return true;
    }
    let len = |x: f32, y: f32| {
        let (a, b) = (x.abs().max(y.abs()), x.abs().min(y.abs()));
        a + b / 2.0
    };
    let w = stroke.width;
    len(ts.sx * w, ts.ky * w) <= 1.0 && len(ts.kx * w, ts.sy * w) <= 1.0
}

/// A value another thread is still making.
struct Later<T> {
    value: std::sync::OnceLock<T>,
    ready: (std::sync::Mutex<bool>, std::sync::Condvar),
}

impl<T> Later<T> {
    fn new() -> Self {
        Later {
            value: std::sync::OnceLock::new(),
            ready: (std::sync::Mutex::new(false), std::sync::Condvar::new()),
        }
    }

    fn set(&self, v: T) {
        let _ = self.value.set(v);
        let (lock, cv) = &self.ready;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }

    fn wait(&self) -> &T {
        let (lock, cv) = &self.ready;
        let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
        while !*done {
            done = cv.wait(done).unwrap_or_else(|e| e.into_inner());
        }
        drop(done);
        self.value.get().expect("set before ready")
    }
}

impl<U> Later<Result<U, RenderError>> {
    /// The value made, or what went wrong making it.
    fn into_result(self) -> Result<U, RenderError> {
        self.value.into_inner().unwrap_or_else(|| {
            Err(RenderError::Raster {
                reason: "a drawing thread stopped".to_owned(),
            })
        })
    }
}

/// What `f` makes, or an error saying that `what` failed if it panics: a
/// value another thread waits for is set either way.
fn caught<T>(what: &str, f: impl FnOnce() -> Result<T, RenderError>) -> Result<T, RenderError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(RenderError::Raster {
            reason: format!("{what} failed"),
        })
    })
}

/// Draws the map: the basemap's items, the context layer from the SVG, the
/// route's items and the margin, then everything above from the SVG.
///
/// The two parts of the SVG are parsed (text shaped and outlined) on a
/// thread each, and the route's paths made on another, while the halves of
/// the image draw the basemap, which needs nothing from them; a half waits
/// for a part only when it comes to draw it. The basemap's paths are made
/// in two halves on two threads.
pub(crate) fn draw(src: &Source) -> Result<Pixmap, RenderError> {
    let l = src.layout;
    let p = palette(src.theme);
    let (sc, f) = (&l.scene, l.canvas.frame);
    let (vw, vh) = (l.canvas.width, l.canvas.height);
    let (context_doc, top_doc) = (part(src, &src.marks.context), part(src, &src.marks.top));
    let w = (l.width as f32 * src.scale).round() as u32;
    let h = (l.height as f32 * src.scale).round() as u32;
    let ts = canvas_transform(l, src.scale);
    let scale = Transform::from_scale(src.scale, src.scale);
    let (context, top, route) = (Later::new(), Later::new(), Later::new());
    let basemap = display::basemap(sc, &p, f, vw, vh);
    let (first, second, in_route) = display::halves(&basemap);
    let drawn = std::thread::scope(|s| {
        for (doc, tree) in [(&context_doc, &context), (&top_doc, &top)] {
            s.spawn(move || tree.set(caught("text layout", || parse(doc))));
        }
        s.spawn(|| {
            let list = display::route(sc, &p, f, vw, vh);
            route.set(caught("drawing the route", || {
                Ok(outline_wide_strokes(ops(&list, false), ts))
            }));
        });
        let second = s.spawn(|| outline_wide_strokes(ops(second, in_route), ts));
        let mut below = outline_wide_strokes(ops(first, false), ts);
        below.extend(
            second
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        render_in_bands(w, h, |pm: &mut PixmapMut, band: Transform| {
            draw_ops(&below, band.pre_concat(ts), pm);
            if let Ok(context) = context.wait() {
                resvg::render(context, band.pre_concat(scale), pm);
            }
            if let Ok(route) = route.wait() {
                draw_ops(route, band.pre_concat(ts), pm);
            }
            if let Ok(top) = top.wait() {
                resvg::render(top, band.pre_concat(scale), pm);
            }
        })
    });
    let pm = drawn?;
    context.into_result()?;
    top.into_result()?;
    route.into_result()?;
    Ok(pm)
}

fn new_pixmap(w: u32, h: u32) -> Result<Pixmap, RenderError> {
    Pixmap::new(w, h).ok_or_else(|| RenderError::Raster {
        reason: format!("cannot allocate a {w}x{h} image"),
    })
}

/// Rows each half of the image is drawn beyond the middle, so that what
/// crosses the middle is cut by the pixmap's edge well away from it.
const BAND_MARGIN: u32 = 32;

/// Images up to this many pixels are drawn as two halves at once; larger
/// ones in one pass, so that they need no second buffer.
const MAX_BANDED_PIXELS: u64 = 8_000_000;

/// Draws a `w`×`h` image with `paint` (given the pixmap to draw on and the
/// translation of its rows): an image of up to 8 M pixels as its top and
/// bottom halves, each with a margin beyond the middle, on two threads when
/// the machine has two cores (the seed map's rasterising takes about half
/// the wall-clock time). The split is the same on any machine, so the same
/// input gives the same bytes everywhere; against a single pass, a few
/// pixels along lines that cross the halves' edges differ by a few levels
/// (18 of the seed map's 1.9 M pixels, by at most 10 of 255; 33 of the rail
/// map's, by at most 30, on the anti-aliased edges of the route).
///
/// Both halves are drawn in one buffer, the bottom one below the top one's
/// margin, and the bottom half is then moved up over the margins by the
/// thread that drew it: no second image is allocated, and no page of the
/// image is first touched by a copy after both halves are done.
fn render_in_bands<F>(w: u32, h: u32, paint: F) -> Result<Pixmap, RenderError>
where
    F: Fn(&mut PixmapMut, Transform) + Sync,
{
    if u64::from(w) * u64::from(h) > MAX_BANDED_PIXELS || h < 8 * BAND_MARGIN {
        let mut pm = new_pixmap(w, h)?;
        paint(&mut pm.as_mut(), Transform::identity());
        return Ok(pm);
    }
    let too_large = || RenderError::Raster {
        reason: format!("cannot allocate a {w}x{h} image"),
    };
    let row = w as usize * 4;
    let (mid, margin) = (h / 2, BAND_MARGIN);
    // Rows of the image each half covers: 0..top_rows and low_top..h.
    let (top_rows, low_top) = (mid + margin, mid - margin);
    let mut buf = vec![0u8; (h + 2 * margin) as usize * row];
    let (top, low) = buf.split_at_mut(top_rows as usize * row);
    fn band(data: &mut [u8], w: u32, rows: u32) -> Result<PixmapMut<'_>, RenderError> {
        PixmapMut::from_bytes(data, w, rows).ok_or_else(|| RenderError::Raster {
            reason: format!("cannot split a {w}-pixel-wide image"),
        })
    }
    let mut top = band(top, w, top_rows)?;
    // The bottom half's own rows (from the middle) less those that go
    // where the top half's margin lies.
    let seam = margin as usize * row..2 * margin as usize * row;
    let draw_low = |low: &mut [u8]| -> Result<Vec<u8>, RenderError> {
        paint(
            &mut band(low, w, h - low_top)?,
            Transform::from_translate(0.0, -(low_top as f32)),
        );
        let seam_rows = low[seam.clone()].to_vec();
        low.copy_within(seam.end.., 0);
        Ok(seam_rows)
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let seam_rows = if threads >= 2 {
        std::thread::scope(|s| {
            let low = s.spawn(|| draw_low(low));
            paint(&mut top, Transform::identity());
            low.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        })?
    } else {
        paint(&mut top, Transform::identity());
        draw_low(low)?
    };
    // Rows mid..mid + margin from the bottom half, over the top half's
    // margin; the rest of the bottom half is in place below them.
    let at = mid as usize * row;
    buf[at..at + seam_rows.len()].copy_from_slice(&seam_rows);
    buf.truncate(h as usize * row);
    let size = tiny_skia::IntSize::from_wh(w, h).ok_or_else(too_large)?;
    Pixmap::from_vec(buf, size).ok_or_else(too_large)
}

/// Rows handed to the PNG encoder at a time.
const ROWS_PER_CHUNK: usize = 64;

/// The pixels as PNG bytes.
///
/// The pixels are demultiplied in place and streamed to the encoder a few
/// rows at a time, so that no second copy of the image is made (a 6400×4800
/// map needs its 123 MB pixel buffer, not two or three of them). The
/// compression is the `png` crate's fast setting (fdeflate, tuned for PNG)
/// with every row filtered against the one above ("Up") rather than each
/// row trying all five filters: on the seed map 7 ms instead of 15 ms for a
/// file a fifth larger (571 kB instead of 475 kB). A map is opaque (its
/// background is painted), so its pixels go to the encoder as RGB, which it
/// filters and compresses in a third of the time of RGBA, to a smaller
/// file; the decoded pixels are the same. Where there are two cores, the
/// rows are made RGB on a second thread, a few chunks ahead of the encoder.
pub(crate) fn png(mut pm: Pixmap) -> Result<Vec<u8>, RenderError> {
    let err = |e: png::EncodingError| RenderError::Raster {
        reason: e.to_string(),
    };
    let io_err = |e: std::io::Error| RenderError::Raster {
        reason: e.to_string(),
    };
    let (w, h) = (pm.width(), pm.height());
    // Opaque pixels are the same premultiplied or not. (A fold over every
    // pixel, unlike a search that stops at the first, is vectorised.)
    let opaque = pm.data().chunks_exact(4).fold(255, |a, px| a & px[3]) == 255;
    if !opaque {
        for px in pm.data_mut().chunks_exact_mut(4) {
            demultiply(px);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Up);
    let mut writer = enc.write_header().map_err(err)?;
    {
        let mut stream = writer.stream_writer().map_err(err)?;
        let chunks = pm.data().chunks(w as usize * 4 * ROWS_PER_CHUNK);
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        if !opaque {
            for chunk in chunks {
                std::io::Write::write_all(&mut stream, chunk).map_err(io_err)?;
            }
        } else if threads < 2 {
            let mut rgb = Vec::new();
            for chunk in chunks {
                to_rgb(chunk, &mut rgb);
                std::io::Write::write_all(&mut stream, &rgb).map_err(io_err)?;
            }
        } else {
            // The rows are made RGB on a second thread while this one
            // filters and compresses those before them; the buffers go
            // back to be filled again.
            std::thread::scope(|s| {
                let (full, filled) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
                let (empty, emptied) = std::sync::mpsc::channel::<Vec<u8>>();
                s.spawn(move || {
                    for chunk in chunks {
                        let mut rgb = emptied.try_recv().unwrap_or_default();
                        to_rgb(chunk, &mut rgb);
                        if full.send(rgb).is_err() {
                            return;
                        }
                    }
                });
                for rgb in filled {
                    std::io::Write::write_all(&mut stream, &rgb).map_err(io_err)?;
                    let _ = empty.send(rgb);
                }
                Ok::<(), RenderError>(())
            })?;
        }
        stream.finish().map_err(err)?;
    }
    writer.finish().map_err(err)?;
    Ok(out)
}

/// RGBA pixels to RGB in `out`, dropping alpha.
fn to_rgb(rgba: &[u8], out: &mut Vec<u8>) {
    out.resize(rgba.len() / 4 * 3, 0);
    for (d, s) in out.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        d.copy_from_slice(&s[..3]);
    }
}

/// Premultiplied RGBA to straight RGBA, in place, as tiny-skia's
/// `PremultipliedColorU8::demultiply` computes it.
fn demultiply(px: &mut [u8]) {
    let alpha = px[3];
    if alpha == 255 {
        return;
    }
    let a = f64::from(alpha) / 255.0;
    for c in &mut px[..3] {
        *c = (f64::from(*c) / a + 0.5) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::PremultipliedColorU8;

    #[test]
    fn demultiplies_like_tiny_skia() {
        for (r, g, b, a) in [
            (0, 0, 0, 0),
            (10, 20, 30, 40),
            (128, 0, 64, 128),
            (255, 255, 255, 255),
        ] {
            let p = PremultipliedColorU8::from_rgba(r, g, b, a).unwrap();
            let c = p.demultiply();
            let mut px = [r, g, b, a];
            demultiply(&mut px);
            assert_eq!(px, [c.red(), c.green(), c.blue(), c.alpha()]);
        }
    }

    #[test]
    fn halves_drawn_apart_join_without_a_seam() {
        // A disc, a diagonal line and a text across the middle (row 200).
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"400\"><rect width=\"400\" height=\"400\" fill=\"#ffffff\"/><circle cx=\"200\" cy=\"200\" r=\"90\" fill=\"#c8102e\"/><path d=\"M10 20L390 380\" stroke=\"#1b1b1b\" stroke-width=\"3\"/><text x=\"40\" y=\"210\" font-size=\"30\">Khasan</text></svg>";
        let opt = usvg::Options {
            fontdb: text::fontdb(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &opt).unwrap();
        let mut whole = Pixmap::new(400, 400).unwrap();
        resvg::render(&tree, Transform::identity(), &mut whole.as_mut());
        let banded = render_in_bands(400, 400, |pm: &mut PixmapMut, ts: Transform| {
            resvg::render(&tree, ts, pm)
        })
        .unwrap();
        // Where an edge crosses a half's border, the rasteriser cuts it
        // there and follows the cut piece with slightly different steps:
        // a few pixels along it differ by a few levels. A half drawn in the
        // wrong place would differ in thousands.
        let diffs: Vec<u8> = whole
            .data()
            .chunks(4)
            .zip(banded.data().chunks(4))
            .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap())
            .filter(|&d| d > 0)
            .collect();
        let big = diffs.iter().filter(|&&d| d > 10).count();
        assert!(
            big < 60 && diffs.iter().all(|&d| d < 64),
            "{} pixels differ, {big} by more than 10, at most by {:?}",
            diffs.len(),
            diffs.iter().max()
        );
        // The bottom half is drawn, not left blank.
        assert_eq!(banded.pixel(200, 280).unwrap().red(), 200);
    }

    #[test]
    fn drops_alpha_to_rgb() {
        let mut out = vec![0; 30];
        to_rgb(&[1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255], &mut out);
        assert_eq!(out, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn an_opaque_map_is_rgb_and_a_transparent_one_rgba() {
        let opaque = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\"><rect width=\"30\" height=\"20\" fill=\"#d3e3ee\"/></svg>";
        let clear = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\"><rect width=\"10\" height=\"20\" fill=\"#d3e3ee\"/></svg>";
        for (svg, color) in [(opaque, png::ColorType::Rgb), (clear, png::ColorType::Rgba)] {
            let bytes = png(pixmap(svg, 1.0).unwrap()).unwrap();
            let reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            assert_eq!(reader.info().color_type, color);
        }
    }

    #[test]
    fn png_decodes_to_the_rasterised_pixels() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"><rect width=\"300\" height=\"200\" fill=\"#d3e3ee\"/><circle cx=\"150\" cy=\"100\" r=\"60\" fill=\"#c8102e\" fill-opacity=\"0.5\"/></svg>";
        let bytes = png(pixmap(svg, 1.0).unwrap()).unwrap();
        let back = Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(back.data(), pixmap(svg, 1.0).unwrap().data());
    }
}
