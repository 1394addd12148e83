//! Name folding: the key under which names are compared.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds a name for comparison: case, accents, punctuation and whitespace
/// are removed, scripts are kept.
///
/// The steps, in order:
/// 1. Unicode compatibility decomposition (NFKD), except for Hangul
///    syllables, which stay whole so that Korean compares syllable by
///    syllable;
/// 2. combining marks dropped: `ŏ`, `ō` and `ö` become `o`, `ё` becomes `е`;
/// 3. lower case;
/// 4. everything that is not a letter or a digit dropped: apostrophes
///    (`P'yŏngyang`), hyphens, dots, commas and spaces.
///
/// ```
/// use routemap::gazetteer::fold;
/// assert_eq!(fold("P'yŏngyang"), "pyongyang");
/// assert_eq!(fold("  Komsomolsk-on-Amur "), "komsomolskonamur");
/// assert_eq!(fold("Хабаровск"), "хабаровск");
/// assert_eq!(fold("Ёлкино"), "елкино");
/// assert_eq!(fold("평양"), "평양");
/// ```
pub fn fold(name: &str) -> String {
    // ASCII needs no decomposition: the common case, kept fast for imports
    // of millions of names and for every query.
    if name.is_ascii() {
        let mut out = name.as_bytes().to_vec();
        out.retain(u8::is_ascii_alphanumeric);
        out.make_ascii_lowercase();
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Appends the folding of one character to `out` ([`fold`] folds each
/// character on its own: the folding of a name is the concatenation of
/// those of its characters).
pub(super) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    if is_hangul_syllable(c) {
        out.push(c);
        return;
    }
    // The compatibility decomposition of the character, as NFKD has it but
    // for the canonical ordering of combining marks, which are dropped.
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            if l.is_alphanumeric() {
                out.push(l);
            }
        }
    });
}

/// [`fold`] for the look-ups of one query: written into `buf` when the
/// name is ASCII and its fold fits, else allocated.
pub(super) fn fold_small<'b>(name: &str, buf: &'b mut [u8; 64]) -> std::borrow::Cow<'b, str> {
    if name.is_ascii() {
        let mut len = 0;
        for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
            let Some(slot) = buf.get_mut(len) else {
                return fold(name).into();
            };
            *slot = b.to_ascii_lowercase();
            len += 1;
        }
        if let Ok(folded) = std::str::from_utf8(&buf[..len]) {
            return folded.into();
        }
    }
    fold(name).into()
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_vanish() {
        assert_eq!(fold("Pjöngjang"), "pjongjang");
        assert_eq!(fold("TALLINN"), fold("tallinn"));
        assert_eq!(fold("Chŏngjin"), "chongjin");
    }

    #[test]
    fn punctuation_and_spaces_vanish() {
        assert_eq!(fold("Washington, D.C."), "washingtondc");
        assert_eq!(fold("Kim Chaek"), fold("Kimchaek"));
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(fold("Владивосток"), "владивосток");
        assert_eq!(fold("北京"), "北京");
        assert_eq!(fold("서울"), "서울");
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_general_one() {
        // The same text with one non-ASCII letter takes the general path.
        assert_eq!(
            fold("Komsomolsk-on-Amur ē"),
            format!("{}e", fold("Komsomolsk-on-Amur "))
        );
        assert_eq!(fold("A.B c_d-9"), "abcd9");
    }

    /// Every character folds as through the NFKD iterator (which also puts
    /// combining marks in canonical order; they are dropped).
    #[test]
    fn each_character_folds_as_through_nfkd() {
        use unicode_normalization::UnicodeNormalization;
        let by_nfkd = |c: char| -> String {
            if is_hangul_syllable(c) {
                return c.to_string();
            }
            std::iter::once(c)
                .nfkd()
                .filter(|d| !is_combining_mark(*d))
                .flat_map(char::to_lowercase)
                .filter(|l| l.is_alphanumeric())
                .collect()
        };
        let mut folded = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            folded.clear();
            fold_char(c, &mut folded);
            assert_eq!(folded, by_nfkd(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn small_folds_are_folds() {
        let mut buf = [0; 64];
        for name in ["Pyongyang", "P'yŏngyang", "A.B c_d-9", "", &"x".repeat(70)] {
            assert_eq!(fold_small(name, &mut buf), fold(name), "{name}");
        }
    }

    #[test]
    fn empty_when_nothing_is_a_letter() {
        assert_eq!(fold(" ,.-' "), "");
    }
}
