//! Embedded fonts and text measurement.
//!
//! DejaVu Sans (Latin, Greek, Cyrillic) with NanumSquare as the fallback for
//! Hangul and a subset of Noto Sans CJK JP for Han and kana; see
//! `assets/fonts/README.md`. The renderer loads them from these
//! bytes only, so a machine without any installed font draws the same map.

use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

pub(crate) static DEJAVU: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static DEJAVU_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
pub(crate) static NANUM: &[u8] = include_bytes!("../../assets/fonts/NanumSquareR.ttf");
/// Han and kana: a subset of Noto Sans CJK JP (`tools/subset_cjk_font.py`).
pub(crate) static NOTO_CJK: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKjp-Subset.otf");

/// The `font-family` written into the SVG.
pub(crate) const FAMILY: &str = "DejaVu Sans, Noto Sans CJK JP, NanumSquare, sans-serif";

/// Font metrics used for label boxes, as fractions of the font size.
pub(crate) const ASCENT: f64 = 0.76;
pub(crate) const DESCENT: f64 = 0.24;

/// The font database for rasterising: the embedded faces only.
pub(crate) fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        // The faces are read in place from the binary, not copied: copying
        // the 4.4 MB cost every map a few milliseconds.
        // Noto before Nanum: NanumSquare maps some Han characters to empty
        // glyphs, and fallback takes the first face that claims a character.
        for face in [DEJAVU, DEJAVU_BOLD, NOTO_CJK, NANUM] {
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face)));
        }
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// The advance width of `s` in pixels at `size` px, without kerning (which
/// only narrows the text, so boxes err on the safe side).
pub(crate) fn width(s: &str, size: f64, bold: bool) -> f64 {
    let mut total = 0.0;
    for ch in s.chars() {
        total += char_advance(ch, bold);
    }
    total * size
}

/// The advance of `ch` in em: from DejaVu Sans (bold or regular), else the
/// CJK face, else NanumSquare, else 1 em. Looked up once per character and
/// remembered, so measuring a long label costs a table look-up a letter.
pub(crate) fn char_advance(ch: char, bold: bool) -> f64 {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<(char, bool), f64>> = RefCell::new(HashMap::new());
    }
    if let Some(a) = CACHE.with(|c| c.borrow().get(&(ch, bold)).copied()) {
        return a;
    }
    let primary = if bold { DEJAVU_BOLD } else { DEJAVU };
    let a = match (
        FontRef::new(primary),
        FontRef::new(NANUM),
        FontRef::new(NOTO_CJK),
    ) {
        (Ok(main), Ok(fallback), Ok(cjk)) => advance(&main, ch)
            .or_else(|| advance(&cjk, ch))
            .or_else(|| advance(&fallback, ch))
            .unwrap_or(1.0),
        _ => 0.6,
    };
    CACHE.with(|c| c.borrow_mut().insert((ch, bold), a));
    a
}

/// Advance of `ch` in em, if the font has it.
fn advance(font: &FontRef<'_>, ch: char) -> Option<f64> {
    let gid = font.charmap().map(ch)?;
    let upem = f64::from(font.head().ok()?.units_per_em());
    let m = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    Some(f64::from(m.advance_width(gid)?) / upem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width("Khasan", 16.0, false);
        assert!(a > 40.0 && a < 70.0, "{a}");
        assert!(width("Khasan", 32.0, false) > 1.9 * a);
        assert!(width("Khasan", 16.0, true) > a);
    }

    #[test]
    fn a_remembered_advance_is_the_font_s() {
        let f = FontRef::new(DEJAVU).unwrap();
        for ch in "Kh→…".chars() {
            let a = advance(&f, ch).unwrap();
            assert_eq!(char_advance(ch, false), a);
            assert_eq!(char_advance(ch, false), a);
        }
    }

    #[test]
    fn cyrillic_and_hangul_have_glyphs() {
        let f = FontRef::new(DEJAVU).unwrap();
        assert!(advance(&f, 'Х').is_some());
        let n = FontRef::new(NANUM).unwrap();
        assert!(advance(&n, '평').is_some());
        let c = FontRef::new(NOTO_CJK).unwrap();
        for ch in "北京東京大阪ひらがなカタカナ".chars() {
            assert!(advance(&c, ch).is_some(), "{ch}");
        }
    }
}
