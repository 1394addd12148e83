//! SVG → PNG with resvg/tiny-skia, fonts from the embedded database only.

use resvg::tiny_skia::{Pixmap, Transform};

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
    let mut pm = Pixmap::new(w, h).ok_or_else(|| RenderError::Raster {
        reason: format!("cannot allocate a {w}x{h} image"),
    })?;
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pm.as_mut());
    Ok(pm)
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
/// about a tenth larger.
pub(crate) fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let mut pm = pixmap(svg, scale)?;
    let err = |e: png::EncodingError| RenderError::Raster {
        reason: e.to_string(),
    };
    let (w, h) = (pm.width(), pm.height());
    for px in pm.data_mut().chunks_exact_mut(4) {
        demultiply(px);
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().map_err(err)?;
    {
        let mut stream = writer.stream_writer().map_err(err)?;
        let row = w as usize * 4;
        for chunk in pm.data().chunks(row * ROWS_PER_CHUNK) {
            std::io::Write::write_all(&mut stream, chunk).map_err(|e| RenderError::Raster {
                reason: e.to_string(),
            })?;
        }
        stream.finish().map_err(err)?;
    }
    writer.finish().map_err(err)?;
    Ok(out)
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
    fn png_decodes_to_the_rasterised_pixels() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"><rect width=\"300\" height=\"200\" fill=\"#d3e3ee\"/><circle cx=\"150\" cy=\"100\" r=\"60\" fill=\"#c8102e\" fill-opacity=\"0.5\"/></svg>";
        let bytes = png(svg, 1.0).unwrap();
        let back = Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(back.data(), pixmap(svg, 1.0).unwrap().data());
    }
}
