//! Places and how names find them.
//!
//! A [`Gazetteer`] is a stack of layers searched together: the user's own
//! files (added with [`Gazetteer::add_file`]) on top, then the curated
//! places compiled into the binary (`gazetteer/places.tsv`).
//!
//! # Matching
//!
//! A query is first checked for a coordinate (`lat,lon` in decimal degrees,
//! optionally with `N`/`S`/`E`/`W`), then for a trailing `, Country`
//! qualifier (an ISO 3166-1 alpha-2 code or a country's name), then
//! compared with every name of every place:
//!
//! | match    | rule                                               | score |
//! |----------|----------------------------------------------------|-------|
//! | exact    | the same text, ignoring case                       | 1.00  |
//! | folded   | the same after [`fold`] (accents, punctuation, space) | 0.95  |
//! | fuzzy 1  | one edit apart after folding, names of 5+ letters  | 0.80  |
//! | fuzzy 2  | two edits apart after folding, names of 9+ letters | 0.65  |
//!
//! An edit is an insertion, deletion, substitution, or a swap of two
//! neighbouring letters (optimal string alignment distance). A match on an
//! alternate name scores 0.02 less than on the primary name.
//!
//! # Ranking
//!
//! Candidates are ordered by match (exact, folded, fuzzy 1, fuzzy 2), then
//! by layer (user files before built-in data; a later `--gazetteer` file
//! before an earlier one), then by [`PlaceKind`] (country, city, region,
//! town, spaceport, border crossing, station, …), then by population
//! (larger first), then primary-name matches first. The best candidate is
//! the answer; the others that matched as well or one step worse are its
//! `alternatives`. The answer is `ambiguous` when the runner-up matched as
//! well, from the same layer, is the same kind of place and has at least a
//! fifth of its population.

mod fold;
mod load;
mod place;

pub use fold::fold;
pub use load::{parse, read_file, Format};
pub use place::{Place, PlaceKind};

use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

const BUILTIN_TSV: &str = include_str!("../../gazetteer/places.tsv");

/// How a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The same text, ignoring case.
    Exact,
    /// The same after [`fold`].
    Folded,
    /// This many edits apart after folding (1 or 2).
    Fuzzy(u8),
}

impl MatchKind {
    /// The score of this match on a primary name (see the module docs).
    pub fn score(self) -> f64 {
        match self {
            MatchKind::Exact => 1.0,
            MatchKind::Folded => 0.95,
            MatchKind::Fuzzy(1) => 0.80,
            MatchKind::Fuzzy(_) => 0.65,
        }
    }

    /// `exact`, `folded` or `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Folded => "folded",
            MatchKind::Fuzzy(_) => "fuzzy",
        }
    }
}

/// Where a candidate came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    /// `builtin`, or `user:<path>`.
    pub name: String,
    /// Lower searches first.
    priority: usize,
}

/// A place that matched a query, and how well.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The place.
    pub place: Place,
    /// The name of the place that matched.
    pub matched_name: String,
    /// How it matched.
    pub matched: MatchKind,
    /// Score in `0..=1` (see the module docs).
    pub score: f64,
    /// The layer it came from.
    pub layer: LayerInfo,
    primary: bool,
}

/// The answer to one query.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// What the user typed.
    pub query: String,
    /// The best match.
    pub best: Candidate,
    /// Close runners-up, best first.
    pub alternatives: Vec<Candidate>,
    /// True when the runner-up is about as good a reading of the query.
    pub ambiguous: bool,
}

impl Resolution {
    /// The place the query resolved to.
    pub fn place(&self) -> &Place {
        &self.best.place
    }
}

/// Options for resolving a name.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Only places in this country (ISO 3166-1 alpha-2, any case).
    pub country: Option<String>,
    /// How many alternatives to report at most (0 means the default, 3).
    pub max_alternatives: usize,
}

/// One layer of places with a folded-name index.
#[derive(Debug, Clone)]
struct Layer {
    info: LayerInfo,
    places: Vec<Place>,
    /// Folded name -> (place index, is the primary name).
    names: HashMap<String, Vec<(u32, bool)>>,
}

impl Layer {
    fn new(name: String, places: Vec<Place>) -> Layer {
        let mut names: HashMap<String, Vec<(u32, bool)>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            for (j, n) in p.names().enumerate() {
                let key = fold(n);
                if key.is_empty() {
                    continue;
                }
                let entry = names.entry(key).or_default();
                if !entry.iter().any(|(k, _)| *k == i as u32) {
                    entry.push((i as u32, j == 0));
                }
            }
        }
        Layer {
            info: LayerInfo { name, priority: 0 },
            places,
            names,
        }
    }

    fn collect(&self, query: &str, folded: &str, out: &mut Vec<Candidate>) {
        let max_edits = max_edits(folded);
        let lower = query.trim().to_lowercase();
        for (key, entries) in &self.names {
            let matched = if key == folded {
                Some(None)
            } else if max_edits > 0 && key.len().abs_diff(folded.len()) <= 4 * max_edits {
                let d = strsim::osa_distance(key, folded);
                (d <= max_edits).then_some(Some(d as u8))
            } else {
                None
            };
            let Some(edits) = matched else { continue };
            for &(i, primary) in entries {
                let place = &self.places[i as usize];
                // Of the names under this key, prefer one typed exactly.
                let mut same = place.names().filter(|n| fold(n) == *key);
                let first = same.next().unwrap_or(place.name());
                let exact = std::iter::once(first)
                    .chain(same)
                    .find(|n| n.to_lowercase() == lower);
                let (name, kind) = match (edits, exact) {
                    (Some(d), _) => (first, MatchKind::Fuzzy(d)),
                    (None, Some(n)) => (n, MatchKind::Exact),
                    (None, None) => (first, MatchKind::Folded),
                };
                out.push(Candidate {
                    place: place.clone(),
                    matched_name: name.to_string(),
                    matched: kind,
                    score: kind.score() - if primary { 0.0 } else { 0.02 },
                    layer: self.info.clone(),
                    primary,
                });
            }
        }
    }
}

/// Typo tolerance by length of the folded name: 1 edit from 5 letters,
/// 2 from 9.
fn max_edits(folded: &str) -> usize {
    match folded.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A searchable stack of place layers. See the [module docs](self).
///
/// ```
/// use routemap::gazetteer::{Gazetteer, ResolveOptions};
/// let gaz = Gazetteer::builtin().unwrap();
/// let r = gaz.resolve("P'yŏngyang", &ResolveOptions::default()).unwrap();
/// assert_eq!(r.place().country(), "KP");
/// ```
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Highest priority first.
    layers: Vec<Layer>,
}

impl Gazetteer {
    /// A gazetteer with no places.
    pub fn empty() -> Gazetteer {
        Gazetteer { layers: Vec::new() }
    }

    /// The curated places compiled into the binary.
    ///
    /// # Errors
    ///
    /// Only if the embedded file is broken, which the test suite rules out.
    pub fn builtin() -> Result<Gazetteer> {
        let places = parse(BUILTIN_TSV, Format::Tsv, Path::new("gazetteer/places.tsv"))?;
        let mut g = Gazetteer::empty();
        g.push_bottom("builtin".into(), places);
        Ok(g)
    }

    fn push_bottom(&mut self, name: String, places: Vec<Place>) {
        self.layers.push(Layer::new(name, places));
        self.renumber();
    }

    fn renumber(&mut self) {
        for (i, l) in self.layers.iter_mut().enumerate() {
            l.info.priority = i;
        }
    }

    /// Adds places on top of every layer so far: they win over all of them.
    pub fn add_places(&mut self, name: impl Into<String>, places: Vec<Place>) {
        self.layers.insert(0, Layer::new(name.into(), places));
        self.renumber();
    }

    /// Reads a user gazetteer file (TSV, CSV or GeoJSON) and adds it on top.
    /// Returns how many places it held.
    ///
    /// # Errors
    ///
    /// As [`read_file`].
    pub fn add_file(&mut self, path: &Path) -> Result<usize> {
        let places = read_file(path)?;
        let n = places.len();
        self.add_places(format!("user:{}", path.display()), places);
        Ok(n)
    }

    /// Every place with the name of its layer, top layer first.
    pub fn places(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.layers
            .iter()
            .flat_map(|l| l.places.iter().map(move |p| (l.info.name.as_str(), p)))
    }

    /// Every candidate for `query`, best first, one per place.
    ///
    /// A coordinate query gives one candidate of kind [`PlaceKind::Point`].
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`], [`Error::InvalidCoordinate`],
    /// [`Error::UnknownCountry`].
    pub fn candidates(&self, query: &str, options: &ResolveOptions) -> Result<Vec<Candidate>> {
        let trimmed = query.trim();
        if let Some(point) = parse_coordinate(trimmed)? {
            return Ok(vec![Candidate {
                matched_name: point.name().to_string(),
                place: point,
                matched: MatchKind::Exact,
                score: 1.0,
                layer: LayerInfo {
                    name: "coordinate".into(),
                    priority: 0,
                },
                primary: true,
            }]);
        }
        let mut country = match &options.country {
            Some(c) => Some(
                self.country_code(c)
                    .ok_or_else(|| Error::UnknownCountry { input: c.clone() })?,
            ),
            None => None,
        };
        let mut name = trimmed;
        // "Name, Country": only when the part after the last comma is a
        // country, so that "Washington, D.C." stays one name.
        if let Some((head, tail)) = trimmed.rsplit_once(',') {
            if let Some(code) = self.country_code(tail) {
                if !fold(head).is_empty() {
                    name = head.trim();
                    country = Some(code);
                }
            }
        }
        let folded = fold(name);
        if folded.is_empty() {
            return Err(Error::EmptyName);
        }
        let mut out = Vec::new();
        for layer in &self.layers {
            layer.collect(name, &folded, &mut out);
        }
        if let Some(code) = &country {
            out.retain(|c| c.place.country() == code);
        }
        out.sort_by(rank);
        // One candidate per place: the best way it matched.
        let mut seen = std::collections::HashSet::new();
        out.retain(|c| seen.insert((c.layer.priority, c.place.id().to_string())));
        Ok(out)
    }

    /// Resolves a name (or a `lat,lon` coordinate) to its best place.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownPlace`] with up to three suggestions when nothing
    /// matches, and the errors of [`Gazetteer::candidates`].
    pub fn resolve(&self, query: &str, options: &ResolveOptions) -> Result<Resolution> {
        let mut all = self.candidates(query, options)?.into_iter();
        let Some(best) = all.next() else {
            return Err(Error::UnknownPlace {
                query: query.trim().to_string(),
                suggestions: self.suggest(query, 3),
            });
        };
        let max = if options.max_alternatives == 0 {
            3
        } else {
            options.max_alternatives
        };
        let class = |m: MatchKind| match m {
            MatchKind::Exact | MatchKind::Folded => 0,
            MatchKind::Fuzzy(d) => d,
        };
        let alternatives: Vec<Candidate> = all
            .filter(|c| class(c.matched) <= class(best.matched) + 1)
            .take(max)
            .collect();
        let ambiguous = alternatives.first().is_some_and(|r| {
            class(r.matched) == class(best.matched)
                && r.layer == best.layer
                && r.place.kind() == best.place.kind()
                && r.place.population().saturating_mul(5) >= best.place.population()
        });
        Ok(Resolution {
            query: query.to_string(),
            best,
            alternatives,
            ambiguous,
        })
    }

    /// Up to `n` names close to `query`, for "did you mean" messages:
    /// the places whose folded names are most alike by Jaro–Winkler
    /// similarity (which favours a shared beginning), at least 0.8, larger
    /// places first among equals.
    pub fn suggest(&self, query: &str, n: usize) -> Vec<String> {
        let folded = fold(query.rsplit_once(',').map_or(query, |(h, _)| h));
        if folded.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, u64, &str)> = Vec::new();
        for layer in &self.layers {
            for (key, entries) in &layer.names {
                let sim = strsim::jaro_winkler(key, &folded);
                if sim < 0.8 {
                    continue;
                }
                for &(i, _) in entries {
                    let p = &layer.places[i as usize];
                    scored.push((sim, p.population(), p.name()));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        let mut out: Vec<String> = Vec::new();
        for (_, _, name) in scored {
            if out.len() == n {
                break;
            }
            if !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
        out
    }

    /// The ISO 3166-1 alpha-2 code for a country code or name, if known.
    fn country_code(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            return Some(t.to_ascii_uppercase());
        }
        let key = fold(t);
        if key.is_empty() {
            return None;
        }
        self.layers.iter().find_map(|l| {
            l.names.get(&key)?.iter().find_map(|&(i, _)| {
                let p = &l.places[i as usize];
                (p.kind() == PlaceKind::Country && !p.country().is_empty())
                    .then(|| p.country().to_string())
            })
        })
    }
}

/// The ranking of the module docs.
fn rank(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    a.matched
        .cmp(&b.matched)
        .then(a.layer.priority.cmp(&b.layer.priority))
        .then(a.place.kind().cmp(&b.place.kind()))
        .then(b.place.population().cmp(&a.place.population()))
        .then(b.primary.cmp(&a.primary))
        .then_with(|| a.place.id().cmp(b.place.id()))
}

/// Reads `lat,lon` in decimal degrees, with optional hemisphere letters
/// (`39.03N, 125.75E`). Returns `None` when the text is not meant as a
/// coordinate (its first part is not a number).
///
/// # Errors
///
/// [`Error::InvalidCoordinate`] when the text starts like a coordinate but
/// is not a valid one.
pub fn parse_coordinate(text: &str) -> Result<Option<Place>> {
    let Some((a, b)) = text.split_once(',') else {
        return Ok(None);
    };
    let Some(lat) = signed_degrees(a, 'N', 'S') else {
        return Ok(None);
    };
    let bad = |reason: String| Error::InvalidCoordinate {
        input: text.to_string(),
        reason,
    };
    if b.contains(',') {
        return Err(bad("expected two numbers, lat,lon".into()));
    }
    let lon = signed_degrees(b, 'E', 'W')
        .ok_or_else(|| bad(format!("longitude {:?} is not a number", b.trim())))?;
    place::check_lat_lon(lat, lon).map_err(bad)?;
    let name = format!("{lat:.4}, {lon:.4}");
    Ok(Some(
        Place::new(format!("point:{lat},{lon}"), name, lat, lon)?
            .with_kind(PlaceKind::Point)
            .with_source("input"),
    ))
}

fn signed_degrees(text: &str, positive: char, negative: char) -> Option<f64> {
    let t = text.trim();
    let (num, sign) = match t.chars().last()?.to_ascii_uppercase() {
        c if c == positive => (&t[..t.len() - 1], 1.0),
        c if c == negative => (&t[..t.len() - 1], -1.0),
        _ => (t, 1.0),
    };
    // A typographic minus (U+2212), as copied from many web pages.
    let num = num.trim().replace('\u{2212}', "-");
    let v: f64 = num.parse().ok()?;
    // "nan" and "inf" parse as f64; they are not coordinates.
    v.is_finite().then_some(v * sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Gazetteer {
        Gazetteer::builtin().expect("embedded gazetteer parses")
    }

    fn resolve(q: &str) -> Result<Resolution> {
        builtin().resolve(q, &ResolveOptions::default())
    }

    mod coordinates {
        use super::*;

        #[test]
        fn decimal_lat_lon() {
            let p = parse_coordinate("39.0339, 125.7543").unwrap().unwrap();
            assert_eq!((p.lat(), p.lon()), (39.0339, 125.7543));
            assert_eq!(p.kind(), PlaceKind::Point);
        }

        #[test]
        fn hemisphere_letters() {
            let p = parse_coordinate("33.9S, 18.4W").unwrap().unwrap();
            assert_eq!((p.lat(), p.lon()), (-33.9, -18.4));
        }

        #[test]
        fn typographic_minus() {
            let p = parse_coordinate("\u{2212}6.2, 106.8").unwrap().unwrap();
            assert_eq!(p.lat(), -6.2);
        }

        #[test]
        fn names_are_not_coordinates() {
            assert!(parse_coordinate("Washington, D.C.").unwrap().is_none());
            assert!(parse_coordinate("Pyongyang").unwrap().is_none());
        }

        #[test]
        fn out_of_range_latitude() {
            let e = parse_coordinate("95,10").unwrap_err();
            assert_eq!(
                e.to_string(),
                "invalid coordinate \"95,10\": latitude 95 is out of range -90..90"
            );
        }

        #[test]
        fn longitude_not_a_number() {
            let e = parse_coordinate("39.0,abc").unwrap_err();
            assert_eq!(
                e.to_string(),
                "invalid coordinate \"39.0,abc\": longitude \"abc\" is not a number"
            );
        }
    }

    mod names {
        use super::*;

        #[test]
        fn empty_query() {
            assert!(matches!(resolve("  ' "), Err(Error::EmptyName)));
        }

        #[test]
        fn unknown_place_suggests() {
            match resolve("Vladivostox Harbourfront").unwrap_err() {
                Error::UnknownPlace { suggestions, .. } => assert!(suggestions.len() <= 3),
                e => panic!("{e}"),
            }
            let typo = resolve("Khabarovks").unwrap();
            assert_eq!(typo.place().name(), "Khabarovsk");
            assert_eq!(
                typo.best.matched,
                MatchKind::Fuzzy(1),
                "a transposition is one edit"
            );
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Every name of every built-in place resolves to a place that
            /// bears that name, and to the place itself when no other place
            /// shares it.
            #[test]
            fn every_name_resolves_to_its_place(pick in any::<proptest::sample::Index>(), alt in any::<proptest::sample::Index>()) {
                let g = builtin();
                let places: Vec<&Place> = g.places().map(|(_, p)| p).collect();
                let place = places[pick.index(places.len())];
                let names: Vec<&str> = place.names().collect();
                let name = names[alt.index(names.len())];
                let key = fold(name);
                let shared = places
                    .iter()
                    .any(|p| p.id() != place.id() && p.names().any(|n| fold(n) == key));
                let r = g.resolve(name, &ResolveOptions::default()).unwrap();
                prop_assert!(r.place().names().any(|n| fold(n) == key), "{} -> {}", name, r.place().name());
                if !shared {
                    prop_assert_eq!(r.place().id(), place.id());
                    prop_assert!(r.best.score >= 0.9);
                }
            }

            /// Resolution never panics, whatever the text.
            #[test]
            fn any_text_is_answered_without_panic(q in "\\PC{0,30}") {
                let _ = builtin().resolve(&q, &ResolveOptions::default());
            }
        }
    }

    mod user_layers {
        use super::*;

        #[test]
        fn user_place_wins_over_builtin() {
            let mut g = builtin();
            let mine = Place::new("mine", "Pyongyang", 10.0, 10.0).unwrap();
            g.add_places("user:test", vec![mine]);
            let r = g.resolve("Pyongyang", &ResolveOptions::default()).unwrap();
            assert_eq!(r.place().id(), "mine");
            assert_eq!(r.best.layer.name, "user:test");
        }

        #[test]
        fn ambiguity_between_similar_places() {
            let mut g = Gazetteer::empty();
            let a = Place::new("a", "Springfield", 39.8, -89.6)
                .unwrap()
                .with_kind(PlaceKind::City)
                .with_population(114_000);
            let b = Place::new("b", "Springfield", 37.2, -93.3)
                .unwrap()
                .with_kind(PlaceKind::City)
                .with_population(169_000);
            g.add_places("user:t", vec![a, b]);
            let r = g
                .resolve("springfield", &ResolveOptions::default())
                .unwrap();
            assert_eq!(r.place().id(), "b", "larger population first");
            assert!(r.ambiguous);
            assert_eq!(r.alternatives[0].place.id(), "a");
        }
    }
}
