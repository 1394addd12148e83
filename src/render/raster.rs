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
    let mut pm = new_pixmap(w, h)?;
    let ts = Transform::from_scale(scale, scale);
    render_in_bands(&mut pm, |pm: &mut PixmapMut, band: Transform| {
        resvg::render(&tree, band.pre_concat(ts), pm)
    })?;
    Ok(pm)
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
/// coordinates the SVG gives them (rounded to 0.1 px).
fn ops(list: &[Item]) -> Vec<Op> {
    let mut out = Vec::new();
    let mut in_route = false;
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

/// Draws the map: the basemap's items, the context layer from the SVG, the
/// route's items and the margin, then everything above from the SVG.
///
/// The two parts of the SVG are parsed (text shaped and outlined) on a
/// thread of their own while the halves of the image draw the basemap,
/// which needs nothing from them.
pub(crate) fn draw(src: &Source) -> Result<Pixmap, RenderError> {
    let l = src.layout;
    let p = palette(src.theme);
    let (sc, f) = (&l.scene, l.canvas.frame);
    let (vw, vh) = (l.canvas.width, l.canvas.height);
    let (context_doc, top_doc) = (part(src, &src.marks.context), part(src, &src.marks.top));
    let w = (l.width as f32 * src.scale).round() as u32;
    let h = (l.height as f32 * src.scale).round() as u32;
    let mut pm = new_pixmap(w, h)?;
    let ts = canvas_transform(l, src.scale);
    let scale = Transform::from_scale(src.scale, src.scale);
    let trees = Later::new();
    let drawn = std::thread::scope(|s| {
        s.spawn(|| {
            // The halves wait for the trees: they are set even if parsing
            // panics.
            let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                parse(&context_doc).and_then(|c| Ok((c, parse(&top_doc)?)))
            }));
            trees.set(parsed.unwrap_or_else(|_| {
                Err(RenderError::Raster {
                    reason: "text layout failed".to_owned(),
                })
            }));
        });
        let below = outline_wide_strokes(ops(&display::basemap(sc, &p, f, vw, vh)), ts);
        let above = outline_wide_strokes(ops(&display::route(sc, &p, f, vw, vh)), ts);
        render_in_bands(&mut pm, |pm: &mut PixmapMut, band: Transform| {
            draw_ops(&below, band.pre_concat(ts), pm);
            if let Ok((context, top)) = trees.wait() {
                resvg::render(context, band.pre_concat(scale), pm);
                draw_ops(&above, band.pre_concat(ts), pm);
                resvg::render(top, band.pre_concat(scale), pm);
            }
        })
    });
    drawn?;
    match trees.value.into_inner() {
        Some(Ok(_)) => Ok(pm),
        Some(Err(e)) => Err(e),
        None => Err(RenderError::Raster {
            reason: "text layout failed".to_owned(),
        }),
    }
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

/// Draws into `pm` with `paint` (given the pixmap to draw on and the
/// translation of its rows): an image of up to 8 M pixels as its top and
/// bottom halves, each with a margin beyond the middle, on two threads when
/// the machine has two cores (the seed map's rasterising takes about half
/// the wall-clock time). The split is the same on any machine, so the same
/// input gives the same bytes everywhere; against a single pass, a few
/// pixels along lines that cross the halves' edges differ by a few levels
/// (18 of the seed map's 1.9 M pixels, by at most 10 of 255; 33 of the rail
/// map's, by at most 30, on the anti-aliased edges of the route).
fn render_in_bands<F>(pm: &mut Pixmap, paint: F) -> Result<(), RenderError>
where
    F: Fn(&mut PixmapMut, Transform) + Sync,
{
    let (w, h) = (pm.width(), pm.height());
    if u64::from(w) * u64::from(h) > MAX_BANDED_PIXELS || h < 8 * BAND_MARGIN {
        paint(&mut pm.as_mut(), Transform::identity());
        return Ok(());
    }
    let mid = h / 2;
    let low_top = mid - BAND_MARGIN;
    let mut low = new_pixmap(w, h - low_top)?;
    let top_rows = mid + BAND_MARGIN;
    let row = w as usize * 4;
    let top = PixmapMut::from_bytes(&mut pm.data_mut()[..top_rows as usize * row], w, top_rows);
    let mut top = top.ok_or_else(|| RenderError::Raster {
        reason: format!("cannot split a {w}x{h} image"),
    })?;
    let low_ts = Transform::from_translate(0.0, -(low_top as f32));
    let draw_low = |low: &mut Pixmap| paint(&mut low.as_mut(), low_ts);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads >= 2 {
        std::thread::scope(|s| {
            s.spawn(|| draw_low(&mut low));
            paint(&mut top, Transform::identity());
        });
    } else {
        paint(&mut top, Transform::identity());
        draw_low(&mut low);
    }
    pm.data_mut()[mid as usize * row..].copy_from_slice(&low.data()[BAND_MARGIN as usize * row..]);
    Ok(())
}

/// Rows handed to the PNG encoder at a time.
const ROWS_PER_CHUNK: usize = 64;

/// The pixels as PNG bytes.
///
/// The pixels are demultiplied in place and streamed to the encoder a few
/// rows at a time, so that no second copy of the image is made (a 6400×4800
/// map needs its 123 MB pixel buffer, not two or three of them). The
/// compression is the `png` crate's fast setting (fdeflate, tuned for PNG):
/// on the seed map it is several times quicker than the default for files
/// about a tenth larger. A map is opaque (its background is painted), so
/// its pixels go to the encoder as RGB, a few rows at a time, which it
/// filters and compresses in a third of the time of RGBA, to a file 7 %
/// smaller (seed map: 473 kB instead of 508 kB); the decoded pixels are
/// the same.
pub(crate) fn png(mut pm: Pixmap) -> Result<Vec<u8>, RenderError> {
    let err = |e: png::EncodingError| RenderError::Raster {
        reason: e.to_string(),
    };
    let (w, h) = (pm.width(), pm.height());
    // Opaque pixels are the same premultiplied or not.
    let opaque = pm.data().chunks_exact(4).all(|px| px[3] == 255);
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
    let mut writer = enc.write_header().map_err(err)?;
    {
        let mut stream = writer.stream_writer().map_err(err)?;
        let mut rgb = Vec::new();
        for chunk in pm.data().chunks(w as usize * 4 * ROWS_PER_CHUNK) {
            let bytes = if opaque {
                to_rgb(chunk, &mut rgb);
                &rgb
            } else {
                chunk
            };
            std::io::Write::write_all(&mut stream, bytes).map_err(|e| RenderError::Raster {
                reason: e.to_string(),
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
        let mut banded = Pixmap::new(400, 400).unwrap();
        render_in_bands(&mut banded, |pm: &mut PixmapMut, ts: Transform| {
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
