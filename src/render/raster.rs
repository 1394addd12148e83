//! SVG → PNG with resvg/tiny-skia, fonts from the embedded database only.

use resvg::tiny_skia::{Pixmap, PixmapMut, Transform};

use super::{text, RenderError};

/// Rasterises `svg` at `scale` (1 = one pixel per CSS pixel).
pub(crate) fn pixmap(svg: &str, scale: f32) -> Result<Pixmap, RenderError> {
    let opt = usvg::Options {
        fontdb: text::fontdb(),
        font_family: "DejaVu Sans".to_owned(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Raster {
        reason: e.to_string(),
    })?;
    let size = tree.size();
    let w = (size.width() * scale).round() as u32;
    let h = (size.height() * scale).round() as u32;
    let mut pm = new_pixmap(w, h)?;
    render_in_bands(&tree, Transform::from_scale(scale, scale), &mut pm)?;
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

/// Draws `tree` into `pm`: an image of up to 8 M pixels as its top and
/// bottom halves, each with a margin beyond the middle, on two threads when
/// the machine has two cores (the seed map's rasterising takes about half
/// the wall-clock time). The split is the same on any machine, so the same
/// input gives the same bytes everywhere; against a single pass, a few
/// pixels along lines that cross the halves' edges differ by a few levels
/// (18 of the seed map's 1.9 M pixels, by at most 10 of 255; 33 of the rail
/// map's, by at most 30, on the anti-aliased edges of the route).
fn render_in_bands(tree: &usvg::Tree, ts: Transform, pm: &mut Pixmap) -> Result<(), RenderError> {
    let (w, h) = (pm.width(), pm.height());
    if u64::from(w) * u64::from(h) > MAX_BANDED_PIXELS || h < 8 * BAND_MARGIN {
        resvg::render(tree, ts, &mut pm.as_mut());
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
    let low_ts = ts.post_translate(0.0, -(low_top as f32));
    let draw_low = |low: &mut Pixmap| resvg::render(tree, low_ts, &mut low.as_mut());
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads >= 2 {
        std::thread::scope(|s| {
            s.spawn(|| draw_low(&mut low));
            resvg::render(tree, ts, &mut top);
        });
    } else {
        resvg::render(tree, ts, &mut top);
        draw_low(&mut low);
    }
    pm.data_mut()[mid as usize * row..].copy_from_slice(&low.data()[BAND_MARGIN as usize * row..]);
    Ok(())
}

/// Rows handed to the PNG encoder at a time.
const ROWS_PER_CHUNK: usize = 64;

/// Rasterises `svg` to PNG bytes.
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
pub(crate) fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let mut pm = pixmap(svg, scale)?;
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
        render_in_bands(&tree, Transform::identity(), &mut banded).unwrap();
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
            let bytes = png(svg, 1.0).unwrap();
            let reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            assert_eq!(reader.info().color_type, color);
        }
    }

    #[test]
    fn png_decodes_to_the_rasterised_pixels() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"><rect width=\"300\" height=\"200\" fill=\"#d3e3ee\"/><circle cx=\"150\" cy=\"100\" r=\"60\" fill=\"#c8102e\" fill-opacity=\"0.5\"/></svg>";
        let bytes = png(svg, 1.0).unwrap();
        let back = Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(back.data(), pixmap(svg, 1.0).unwrap().data());
    }
}
