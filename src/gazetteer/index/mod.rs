//! A compact, immutable place index read in place: the world gazetteer
//! compiled into the binary and the files `routemap gazetteer import` writes.
//!
//! # Layout (version 4, little-endian)
//!
//! A 16-byte preamble (magic `RMGAZIDX`, `u32` version, `u32` CRC-32 of
//! every byte after the preamble, checked when a file is opened) and
//! eleven `u64`: places, fst offset and length, postings offset and
//! length, table offset, names offset and length, block table offset,
//! alternate-names offset and length. Then:
//!
//! - **fst**: an [`fst::Map`] from every folded name ([`super::fold`]) to
//!   a value whose low three bits say what the rest is: 0 to 3, one place
//!   number, the name spelled as below; 4, the offset of a posting list:
//!   `u32` count, `count` × `u32` place numbers, `count` bytes saying how
//!   each place spells the name — 0 its primary name, 1 an alternate name
//!   spelled as the key, 2 the same with the first letter upper case, 3
//!   otherwise — and for each place of class 3 in turn a length byte and
//!   that many bytes of a recipe spelling it from the key (none when the
//!   length is 0; see `spelling.rs`), so that showing the name needs no
//!   unpacking of the alternate names.
//! - **table**: one fixed 24-byte record per place: latitude and longitude
//!   as `i32` in 1e-7 degrees, population `u32` (saturating), offset of its
//!   names `u32`, GeoNames id `u32` (0 when none), kind `u8` (position in
//!   [`super::PlaceKind::ALL`]), flags `u8` (1 capital, 2 the id is
//!   `geonames:<id>`, 4 the source is; bits 3 to 7 the Natural Earth scale
//!   rank plus one, 0 when none), country `[u8; 2]`.
//! - **names**: per place, `id`, `source`, `admin1`, `note`, the bounding
//!   box (`west,south,east,north`, empty for a point place) and the primary
//!   name, separated by `0x1F` (a place's bytes end where the next begins).
//! - **alternate names**: in blocks of 32 places compressed with DEFLATE
//!   (a `u32` offset per block, plus the end); inside a block, each place's
//!   names separated by `0x1F` and places ended by `0x1E`. They are only
//!   unpacked to say which alternate name matched, or to list them.
//!
//! Nothing is parsed at start-up: opening checks the header and the fst's
//! own header, and each lookup decodes only the records it touches.
//!
//! Version 3 files (no box, no scale rank, a zero checksum) are read too.
//! Version 2 files (written before version 3) are read too: their fst
//! values are one place number (bit 63 clear) or, with bit 63 set, the
//! offset of a posting list of `u32` count and place numbers, and which
//! name matched is found by reading the names.

mod automaton;
mod first;
mod format;
mod reader;
mod writer;

pub(super) use automaton::Osa;
pub use format::{is_index, MAGIC};
pub use reader::Index;
pub(super) use reader::{Facts, IdRef};
pub use writer::IndexWriter;

#[cfg(test)]
use super::fold;
#[cfg(test)]
use super::place::{Place, PlaceKind};
#[cfg(test)]
use super::spelling::Spelling;
#[cfg(test)]
use automaton::*;
#[cfg(test)]
use format::*;
#[cfg(test)]
use fst::{Automaton, IntoStreamer, Streamer};
#[cfg(test)]
use std::path::Path;

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.rmidx");
        let mut w = IndexWriter::new(&path).unwrap();
        let places = [
            Place::new("a", "Springfield", 39.8017, -89.6437)
                .unwrap()
                .with_kind(PlaceKind::City)
                .with_population(114_394)
                .with_country("US"),
            Place::new("b", "Springfield", 37.2153, -93.2982)
                .unwrap()
                .with_population(169_176)
                .with_alt_names(["Спрингфилд", "SPRINGFIELD"]),
            Place::new("geonames:1", "Ōsaka", 34.69, 135.50)
                .unwrap()
                .with_source("geonames:1")
                .with_admin1("JP.32")
                .with_capital(true)
                .with_alt_names(["大阪", "Osaka"]),
        ];
        for p in &places {
            w.push(p).unwrap();
        }
        assert_eq!(w.finish().unwrap(), 3);
        let idx = Index::open_file(&path).unwrap();
        (dir, idx)
    }

    #[test]
    fn round_trips_places() {
        let (_d, idx) = sample();
        assert_eq!(idx.len(), 3);
        let p = idx.place(1, true).unwrap();
        assert_eq!(p.name(), "Springfield");
        // "SPRINGFIELD" folds like the primary name: not kept.
        assert_eq!(p.alt_names(), ["Спрингфилд"]);
        assert!((p.lat() - 37.2153).abs() < 1e-6);
        assert_eq!(p.population(), 169_176);
        let o = idx.place(2, true).unwrap();
        assert_eq!(
            (o.id(), o.source(), o.admin1(), o.is_capital()),
            ("geonames:1", "geonames:1", "JP.32", true)
        );
        assert_eq!(o.alt_names(), ["大阪"]);
        assert!(idx.place(3, false).is_none());
        assert!(idx.place(0, true).unwrap().alt_names().is_empty());
    }

    #[test]
    fn exact_lookup_lists_every_place_of_a_name() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.exact("springfield", &mut out);
        assert_eq!(out, [0, 1]);
        out.clear();
        idx.exact("спрингфилд", &mut out);
        assert_eq!(out, [1]);
        assert_eq!(
            idx.name_for_key(1, "спрингфилд"),
            Some(("Спрингфилд".to_string(), false))
        );
        out.clear();
        idx.exact("osaka", &mut out);
        assert_eq!(out, [2]);
    }

    #[test]
    fn fuzzy_counts_characters_not_bytes() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        // One Cyrillic letter changed: one edit, although two bytes differ.
        idx.fuzzy("спрингфилт", 1, 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].1, 1);
        out.clear();
        idx.fuzzy("sprngfeld", 2, 1, &mut out);
        assert_eq!(out.len(), 2);
        out.clear();
        idx.fuzzy("sprngfeld", 1, 0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.fuzzy("sprignfield", 1, 2, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out.iter().all(|(_, d, _)| *d == 1));
        out.clear();
        // Anchored: a wrong first letter is not forgiven.
        idx.fuzzy("pringfield", 1, 1, &mut out);
        assert!(out.is_empty());
        idx.fuzzy("pringfield", 1, 0, &mut out);
        assert_eq!(out.len(), 2);
    }

    mod automaton {
        use super::*;
        use proptest::prelude::*;

        fn distance(a: &str, b: &str, k: u8) -> Option<u8> {
            let lev = Lev::new(a, k, 0)?;
            let aut = &lev;
            let mut s = aut.start();
            for byte in b.bytes() {
                s = aut.accept(&s, byte);
            }
            aut.is_match(&s).then(|| lev.distance(&s))
        }

        proptest! {
            /// The distance used for in-memory layers is strsim's.
            #[test]
            fn osa_is_strsim(a in "[abcде]{1,9}", b in "[abcде]{0,12}", k in 0u8..=2) {
                let want = strsim::osa_distance(&a, &b);
                let got = Osa::new(&a, k).unwrap().distance(&b);
                prop_assert_eq!(got, (want <= k as usize).then_some(want as u8));
            }

            /// The automaton agrees with strsim's optimal string alignment
            /// distance wherever that is within the limit.
            #[test]
            fn agrees_with_strsim(a in "[abcде]{1,8}", b in "[abcде]{0,8}") {
                let want = strsim::osa_distance(&a, &b);
                let got = distance(&a, &b, 2);
                if want <= 2 {
                    prop_assert_eq!(got, Some(want as u8));
                } else {
                    prop_assert_eq!(got, None);
                }
            }
        }
    }

    /// The fuzzy look-up as an `fst` stream with the same automaton (how
    /// it was done before the own walk): the reference for the walk.
    fn fuzzy_by_stream(idx: &Index, folded: &str, k: u8, anchor: usize) -> Vec<(String, u8, u32)> {
        let mut out = Vec::new();
        let Some(lev) = Lev::new(folded, k, anchor) else {
            return out;
        };
        let mut stream = idx.fst.search_with_state(&lev).into_stream();
        let mut places = Vec::new();
        while let Some((key, value, state)) = stream.next() {
            places.clear();
            idx.postings_of(value, &mut places);
            for p in &places {
                out.push((
                    String::from_utf8_lossy(key).into_owned(),
                    lev.distance(&state),
                    *p,
                ));
            }
        }
        out
    }

    /// The walk finds what the stream finds, in the same order, over the
    /// world data: misspelt names in several scripts, every anchor.
    #[test]
    fn walk_agrees_with_the_fst_stream() {
        let Some(world) = crate::gazetteer::Gazetteer::world_index() else {
            return;
        };
        let mut queries: Vec<String> = Vec::new();
        for i in (0..world.len() as u32).step_by(4111) {
            let mut names = world.alt_names(i);
            names.extend(world.primary_name(i));
            for name in names.iter().take(6) {
                let mut c: Vec<char> = fold(name).chars().collect();
                if c.len() < 5 {
                    continue;
                }
                let n = c.len();
                c.remove(n / 2);
                c.swap(1, 2);
                queries.push(c.iter().collect());
                if n > 9 {
                    let mut d: Vec<char> = fold(name).chars().collect();
                    d[n - 2] = 'x';
                    d.swap(n / 3, n / 3 + 1);
                    queries.push(d.iter().collect());
                }
            }
        }
        queries.extend(
            [
                "ulaanbataar",
                "vladivostk",
                "ussurijsk",
                "хабаровкс",
                "평얀",
                "oyongyang",
            ]
            .map(String::from),
        );
        assert!(queries.len() > 50, "{}", queries.len());
        let mut found = 0;
        for (n, q) in queries.iter().enumerate() {
            let runs: &[(u8, usize)] = if n % 8 == 0 {
                &[(2, 2), (2, 1), (1, 0)]
            } else {
                &[(2, 2), (2, 1), (1, 1)]
            };
            for &(k, anchor) in runs {
                let mut walked = Vec::new();
                world.fuzzy(q, k, anchor, &mut walked);
                let streamed = fuzzy_by_stream(&world, q, k, anchor);
                assert_eq!(walked, streamed, "{q} k {k} anchor {anchor}");
                found += walked.len();
                if anchor == 1 {
                    let second = q.chars().nth(1);
                    let mut skipping = Vec::new();
                    world.fuzzy_skipping(q, k, anchor, second, &mut skipping);
                    let rest: Vec<_> = streamed
                        .into_iter()
                        .filter(|(key, _, _)| key.chars().nth(1) != second)
                        .collect();
                    assert_eq!(skipping, rest, "{q} skipping {second:?}");
                }
            }
        }
        assert!(found > 100, "{found}");
    }

    /// How a name is spelled, as recorded, is the name unpacking the
    /// alternate names finds: in a small index (every class) and over a
    /// sample of the world's names and places.
    #[test]
    fn recorded_spellings_are_the_names_unpacked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.rmidx");
        let mut w = IndexWriter::new(&path).unwrap();
        for (n, alt) in [
            ("Aachen", "Aix-la-Chapelle"),
            ("Aachen", "aachen"),
            ("Kassel", "Cassel"),
            ("Ruse", "Ruse"),
            ("X", "Aix-la-Chapelle"),
            ("Y", "cassel"),
            ("Z", "Ко`кан"),
            ("Q", "Ко`кан"),
            ("Wien", "Vienna, Austria"),
        ] {
            let p = Place::new(n, n, 1.0, 1.0).unwrap().with_alt_names([alt]);
            w.push(&p).unwrap();
        }
        w.finish().unwrap();
        let small = Index::open_file(&path).unwrap();
        let mut classes = std::collections::BTreeSet::new();
        let check = |idx: &Index, key: &str, classes: &mut std::collections::BTreeSet<u8>| {
            let mut found = Vec::new();
            idx.exact_each(key, |p, s| found.push((p, s)));
            assert!(!found.is_empty(), "{key}");
            for (p, s) in found {
                let want = idx.name_for_key(p, key).map(|(n, _)| n);
                assert_eq!(idx.spelled_name(p, key, s), want, "{key} {p} {s:?}");
                assert_ne!(s, Spelling::Unknown);
                classes.insert(s.class() + u8::from(matches!(s, Spelling::Other(Some(_)))));
            }
        };
        for key in [
            "aachen",
            "aixlachapelle",
            "kassel",
            "cassel",
            "ruse",
            "кокан",
            "viennaaustria",
        ] {
            check(&small, key, &mut classes);
        }
        // Primary, key, capital, otherwise without and with a recipe.
        assert_eq!(classes.into_iter().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        let Some(world) = crate::gazetteer::Gazetteer::world_index() else {
            return;
        };
        let mut keys = Vec::new();
        world.prefix("", usize::MAX, &mut keys);
        keys.dedup_by(|a, b| a.0 == b.0);
        let mut classes = std::collections::BTreeSet::new();
        for (key, _) in keys.iter().step_by(101) {
            check(&world, key, &mut classes);
        }
        assert_eq!(classes.len(), 5, "{classes:?}");
    }

    proptest::proptest! {
        /// The separators found a word at a time are those found one byte
        /// at a time.
        #[test]
        fn separators_word_at_a_time(text in proptest::collection::vec(
            proptest::prop_oneof![proptest::strategy::Just(SEP), 0x1Eu8..=0x20, proptest::num::u8::ANY],
            0..40,
        ), max in 1usize..6) {
            let want: Vec<usize> = text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == SEP)
                .map(|(at, _)| at)
                .take(max)
                .collect();
            let mut at = vec![0; max];
            let n = separators(&text, &mut at);
            proptest::prop_assert_eq!(&at[..n], &want[..]);
        }
    }

    #[test]
    fn prefix_search() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.prefix("spr", 10, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(idx.primary_name(out[0].1).as_deref(), Some("Springfield"));
    }

    #[test]
    fn rejects_other_files() {
        let e = Index::from_static(b"id\tname\n", Path::new("x.tsv")).unwrap_err();
        assert!(e.to_string().contains("not a routemap index"), "{e}");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0xFF; 8 * FIELDS]);
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let e = Index::from_static(leaked, Path::new("x.rmidx")).unwrap_err();
        assert!(e.to_string().contains("damaged"), "{e}");
    }
}
