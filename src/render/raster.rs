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

/// Rasterises `svg` to PNG bytes.
pub(crate) fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| RenderError::Raster {
            reason: e.to_string(),
        })
}
