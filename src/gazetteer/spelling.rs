//! How a name found under its folded key is spelled, recorded in an index
//! (version 3) so that showing it needs no unpacking of the alternate
//! names (a DEFLATE block of 32 places: about 10 µs, where a whole exact
//! resolution should take one).
//!
//! Most alternate names are spelled like their key (`평양`, `pyongyang`)
//! or like it with the first letter upper case (`Pjöngjang` is not, but
//! `Pyongyang` is); the index says which in two bits of the posting. The
//! others can carry a *recipe*: the spelling as edits of the key, a few
//! bytes (`Aix-la-Chapelle` from `aixlachapelle`: upper-case 1, copy 2,
//! `-`, copy 2, `-`, upper-case 1, copy 7).
//!
//! # Recipe bytes
//!
//! | byte          | meaning                                                    |
//! |---------------|------------------------------------------------------------|
//! | `0x00..=0x3F` | copy the next `b + 1` letters of the key                   |
//! | `0x40..=0x7F` | copy the next `b - 0x3F` letters of the key, upper case     |
//! | `0x80..=0xBF` | the ASCII character `b - 0x60` (space to `_`)               |
//! | `0xC2..=0xF4` | the non-ASCII character whose UTF-8 encoding starts here    |
//! | `0xF8..=0xFC` | `` ` ``, `{`, `\|`, `}`, `~`                                 |
//!
//! A character written out uses up the letters of the key it folds to
//! (`é` uses `e`, `-` none); a recipe must use up the whole key.

use super::fold::fold_char;

/// How the name of a place under one folded key is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Spelling {
    /// The key is the fold of the place's primary name.
    Primary,
    /// An alternate name spelled exactly as the key.
    Key,
    /// An alternate name spelled as the key with its first letter upper
    /// case ([`capitalized`]).
    Capital,
    /// An alternate name spelled otherwise, with the position of its
    /// recipe in the index bytes (a length byte, then the recipe) when the
    /// index has one.
    Other(Option<std::num::NonZeroUsize>),
    /// Not recorded (an index of version 2): the names must be read.
    Unknown,
}

impl Spelling {
    /// The two bits of a posting (version 3).
    pub(super) fn class(self) -> u8 {
        match self {
            Spelling::Primary => 0,
            Spelling::Key => 1,
            Spelling::Capital => 2,
            Spelling::Other(_) | Spelling::Unknown => 3,
        }
    }

    /// The spelling of a class, without a recipe (`Other(None)`).
    pub(super) fn of_class(class: u8) -> Spelling {
        match class {
            0 => Spelling::Primary,
            1 => Spelling::Key,
            2 => Spelling::Capital,
            _ => Spelling::Other(None),
        }
    }
}

/// The key with its first letter upper case (every character of its upper
/// case form: `ß` gives `SS`).
pub(super) fn capitalized(key: &str) -> String {
    let mut chars = key.chars();
    let mut out = String::with_capacity(key.len() + 2);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    out
}

/// `spelling == capitalized(key)`, without building it.
fn is_capitalized(key: &str, spelling: &str) -> bool {
    let mut chars = key.chars();
    let Some(first) = chars.next() else {
        return spelling.is_empty();
    };
    let mut rest = spelling;
    for up in first.to_uppercase() {
        match rest.strip_prefix(up) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest == chars.as_str()
}

/// How `spelling`, an alternate name folding to `key`, is written down.
pub(super) fn classify(key: &str, spelling: &str) -> (u8, Option<Vec<u8>>) {
    if spelling == key {
        (Spelling::Key.class(), None)
    } else if is_capitalized(key, spelling) {
        (Spelling::Capital.class(), None)
    } else {
        (3, recipe(key, spelling))
    }
}

/// The longest run one copy byte says.
const RUN: usize = 64;

/// The ASCII characters past `_` that are not letters, from byte `0xF8`.
const HIGH: [char; 5] = ['`', '{', '|', '}', '~'];

/// The recipe that spells `spelling` from `key` (its fold), if one of at
/// most 255 bytes does.
pub(super) fn recipe(key: &str, spelling: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    // The pending run of copied letters: upper case or not, and how many.
    let mut run: Option<(bool, usize)> = None;
    let flush = |run: &mut Option<(bool, usize)>, out: &mut Vec<u8>| {
        if let Some((upper, mut n)) = run.take() {
            while n > 0 {
                let m = n.min(RUN);
                out.push(if upper { 0x40 } else { 0 } + (m - 1) as u8);
                n -= m;
            }
        }
    };
    let mut rest = key;
    let mut folded = String::new();
    for c in spelling.chars() {
        folded.clear();
        fold_char(c, &mut folded);
        let mut one = folded.chars();
        if let (Some(k), None) = (one.next(), one.next()) {
            let copied = rest.starts_with(k)
                && (c == k || {
                    let mut up = k.to_uppercase();
                    up.next() == Some(c) && up.next().is_none()
                });
            if copied {
                let upper = c != k;
                match &mut run {
                    Some((u, n)) if *u == upper => *n += 1,
                    _ => {
                        flush(&mut run, &mut out);
                        run = Some((upper, 1));
                    }
                }
                rest = &rest[k.len_utf8()..];
                continue;
            }
        }
        flush(&mut run, &mut out);
        rest = rest.strip_prefix(folded.as_str())?;
        match c {
            ' '..='_' => out.push(c as u8 + 0x60),
            c if HIGH.contains(&c) => {
                out.push(0xF8 + HIGH.iter().position(|h| *h == c).unwrap_or(0) as u8)
            }
            c if !c.is_ascii() => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => return None,
        }
    }
    flush(&mut run, &mut out);
    (rest.is_empty() && out.len() <= 255 && apply(key, &out).as_deref() == Some(spelling))
        .then_some(out)
}

/// Spells a name from its key and a [`recipe`]; `None` when the recipe
/// does not fit the key (a damaged index).
pub(super) fn apply(key: &str, recipe: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(key.len() + recipe.len());
    let mut rest = key;
    let mut at = 0;
    let mut folded = String::new();
    while at < recipe.len() {
        let b = recipe[at];
        let c = match b {
            0x00..=0x7F => {
                let n = (b & 0x3F) as usize + 1;
                let mut chars = rest.chars();
                for _ in 0..n {
                    let k = chars.next()?;
                    if b < 0x40 {
                        out.push(k);
                    } else {
                        out.extend(k.to_uppercase());
                    }
                }
                rest = chars.as_str();
                at += 1;
                continue;
            }
            0x80..=0xBF => {
                at += 1;
                char::from(b - 0x60)
            }
            0xF8..=0xFC => {
                at += 1;
                HIGH[(b - 0xF8) as usize]
            }
            _ => {
                let len = match b {
                    0xC2..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF4 => 4,
                    _ => return None,
                };
                let bytes = recipe.get(at..at + len)?;
                at += len;
                std::str::from_utf8(bytes).ok()?.chars().next()?
            }
        };
        folded.clear();
        fold_char(c, &mut folded);
        rest = rest.strip_prefix(folded.as_str())?;
        out.push(c);
    }
    rest.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::fold;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn classes() {
        assert_eq!(classify("pyongyang", "pyongyang").0, 1);
        assert_eq!(classify("pyongyang", "Pyongyang").0, 2);
        assert_eq!(classify("평양", "평양").0, 1);
        assert_eq!(classify("strasse", "Strasse").0, 2);
        let (class, recipe) = classify("aixlachapelle", "Aix-la-Chapelle");
        assert_eq!(class, 3);
        assert_eq!(
            recipe.unwrap(),
            [0x40, 0x01, b'-' + 0x60, 0x01, b'-' + 0x60, 0x40, 0x06]
        );
    }

    #[test]
    fn recipes_spell_the_name() {
        for (key, name) in [
            ("aixlachapelle", "Aix-la-Chapelle"),
            ("sanvicente", "San Vicente"),
            ("pjongjang", "Pjöngjang"),
            ("pyongyang", "P'yŏngyang"),
            ("sanktpeterburg", "SANKT-PETERBURG"),
            ("елкино", "Ёлкино"),
            ("komsomolsknaamure", "Komsomolsk-na-Amure"),
            ("ab", "a_b"),
            ("kokand", "Ko`kand"),
            ("ab", "a~{|}b"),
        ] {
            let r = recipe(key, name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(apply(key, &r).as_deref(), Some(name), "{name}");
        }
    }

    #[test]
    fn capitalized_without_building_it() {
        for (key, spelling) in [
            ("pyongyang", "Pyongyang"),
            ("pyongyang", "pyongyang"),
            ("ßa", "SSa"),
            ("ßa", "Ssa"),
            ("", ""),
            ("a", ""),
            ("ab", "Abc"),
        ] {
            assert_eq!(
                is_capitalized(key, spelling),
                capitalized(key) == spelling,
                "{key} {spelling}"
            );
        }
    }

    #[test]
    fn a_recipe_must_fit_its_key() {
        let r = recipe("aixlachapelle", "Aix-la-Chapelle").unwrap();
        assert_eq!(apply("aixlachapell", &r), None);
        assert_eq!(apply("aixlachapellex", &r), None);
        assert_eq!(apply("x", &[0xFF]), None);
        assert_eq!(apply("x", &[0xE2, 0x80]), None);
    }

    #[test]
    fn names_that_are_not_the_fold_of_the_key_have_no_recipe() {
        assert_eq!(recipe("moskva", "Moscow"), None);
        // Control characters are not written in recipes.
        assert_eq!(recipe("ab", "a\u{7}b"), None);
    }

    proptest! {
        /// Any name that folds to its key is spelled back exactly, when a
        /// recipe is found at all (short names always have one).
        #[test]
        fn recipes_round_trip(name in "[a-zA-Zé' -]{1,20}|\\PC{1,12}") {
            let key = fold(&name);
            if let Some(r) = recipe(&key, &name) {
                prop_assert_eq!(apply(&key, &r), Some(name.clone()));
            }
            if name.len() <= 20 && name.chars().all(|c| c.is_ascii_alphanumeric() || " '-".contains(c)) {
                prop_assert!(recipe(&key, &name).is_some(), "{}", name);
            }
        }
    }
}
