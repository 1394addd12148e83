//! The layers of a gazetteer: a file read whole into a hash map of folded
//! names, or an fst index read in place.

use super::hit::{Hit, HitName, Keys, Of};
use super::index::{self, Index};
use super::query::{same_lowercase, Qualifier};
use super::rank::{area_class, match_class};
use super::spelling::Spelling;
use super::{fold, place, LayerInfo, MatchKind, Place, PlaceKind};
use std::collections::HashMap;

/// The places of one layer and how its names are looked up.
#[derive(Debug, Clone)]
pub(super) enum Store {
    /// A small file read whole: a hash map from folded names.
    Memory {
        places: Vec<Place>,
        /// Folded name -> (place index, is the primary name).
        names: HashMap<String, Vec<(u32, bool)>, NameHasher>,
    },
    /// An fst index read in place (embedded bytes or a memory map).
    Index(Index),
}

/// The hasher of a layer's folded-name map: foldhash's fast hash, with a
/// fixed seed (the same on every run). The folded names are short and a
/// lookup per query should cost little; a gazetteer file of one's own need
/// not resist crafted collisions.
type NameHasher = foldhash::fast::FixedState;

/// One layer of places with a folded-name index.
#[derive(Debug, Clone)]
pub(super) struct Layer {
    pub(super) info: LayerInfo,
    pub(super) store: Store,
}

/// How many places of one name an index layer decodes at most.
pub(super) const MAX_HITS: usize = 16;

/// How many places of one name an index layer reads without allocating.
const FEW: usize = 4;

/// How many names a prefix search visits in an index layer at most.
const PREFIX_SCAN: usize = 5_000;

impl Layer {
    pub(super) fn new(name: String, places: Vec<Place>) -> Layer {
        let mut names: HashMap<String, Vec<(u32, bool)>, NameHasher> = HashMap::default();
        for (i, p) in places.iter().enumerate() {
            for (j, n) in p.names().enumerate() {
                let key = fold(n);
                if key.is_empty() {
                    continue;
                }
                let entry = names.entry(key).or_default();
                // Places come in order, so a repeat of this place's name is
                // the last entry: checking only it keeps loading linear when
                // thousands of places share a name.
                if entry.last().map(|(k, _)| *k) != Some(i as u32) {
                    entry.push((i as u32, j == 0));
                }
            }
        }
        Layer {
            info: LayerInfo { name, priority: 0 },
            store: Store::Memory { places, names },
        }
    }

    pub(super) fn from_index(name: String, index: Index) -> Layer {
        Layer {
            info: LayerInfo { name, priority: 0 },
            store: Store::Index(index),
        }
    }

    /// Exact and folded matches (`fuzzy == false`), or only fuzzy ones,
    /// for the text tried number `tried`, `text`, folded to `folded`;
    /// `me` is the layer's position. An index
    /// layer leaves out places outside `country` (the caller filters the
    /// others); returns whether anything matched in any country.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn collect<'g>(
        &'g self,
        me: usize,
        tried: usize,
        text: &str,
        folded: &str,
        edits: usize,
        country: Option<&str>,
        qualifier: Option<&Qualifier>,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) -> bool {
        // `edits`: the most edits allowed (0: exact and folded matches only).
        let fuzzy = edits > 0;
        let max_edits = max_edits(folded).min(edits);
        if fuzzy && max_edits == 0 {
            return false;
        }
        let before = out.len();
        let text = place::trim(text);
        match &self.store {
            Store::Memory { places, names } => {
                let mut found = |key: &str, entries: &[(u32, bool)], edits: Option<u8>| {
                    for &(i, primary) in entries {
                        let place = &places[i as usize];
                        // Of the names under this key, prefer one typed exactly.
                        let mut same = place
                            .names()
                            .enumerate()
                            .filter(|(_, n)| fold(n) == *key)
                            .map(|(j, _)| j);
                        let first = same.next().unwrap_or(0);
                        let exact = std::iter::once(first).chain(same).find(|&j| {
                            place
                                .names()
                                .nth(j)
                                .is_some_and(|n| same_lowercase(n, text))
                        });
                        let (name, kind) = match (edits, exact) {
                            (Some(d), _) => (first, MatchKind::Fuzzy(d)),
                            (None, Some(j)) => (j, MatchKind::Exact),
                            (None, None) => (first, MatchKind::Folded),
                        };
                        out.push(Hit::new(
                            me,
                            i,
                            Of::Place(place),
                            kind,
                            primary,
                            HitName::Own(name),
                        ));
                    }
                };
                if !fuzzy {
                    if let Some(entries) = names.get(folded) {
                        found(folded, entries, None);
                    }
                    return out.len() > before;
                }
                let n = folded.chars().count();
                let osa = index::Osa::new(folded, max_edits as u8);
                let mut near = Vec::new();
                for (key, entries) in names {
                    if key == folded
                        || key.len().abs_diff(folded.len()) > 4 * max_edits
                        || key.chars().count().abs_diff(n) > max_edits
                    {
                        continue;
                    }
                    let d = match &osa {
                        Some(osa) => osa.distance(key),
                        None => Some(strsim::osa_distance(key, folded))
                            .filter(|d| *d <= max_edits)
                            .map(|d| d as u8),
                    };
                    if let Some(d) = d {
                        near.push((key, entries, d));
                    }
                }
                // In the order of the names, not of the hash map: which of a
                // place's names is shown, when several match as well, does
                // not change from run to run.
                near.sort_unstable_by_key(|(key, _, _)| *key);
                for (key, entries, d) in near {
                    found(key, entries, Some(d));
                }
                out.len() > before
            }
            Store::Index(index) => {
                // (match, key number, place, spelling)
                // (match, key number, place, spelling); most names have
                // few places: those need no allocation.
                let mut few = [(MatchKind::Folded, 0, 0, Spelling::Unknown); FEW];
                let (mut n, mut many) = (0, Vec::new());
                let mut push = |hit: (MatchKind, usize, u32, Spelling)| {
                    if n < FEW {
                        few[n] = hit;
                    } else {
                        if many.is_empty() {
                            many.extend_from_slice(&few);
                        }
                        many.push(hit);
                    }
                    n += 1;
                };
                if fuzzy {
                    // The first two letters typed right (fastest), else the
                    // first, else one edit in the first letter.
                    let mut near = Vec::new();
                    // The search on the first letter skips the names the
                    // one on two letters walked (when it could run).
                    let second = folded.chars().nth(1).filter(|_| folded.chars().count() > 2);
                    // The last pass finds the names one edit away with the
                    // first letter mistyped (the others one edit away start
                    // with the query's letter: the passes before found none).
                    for pass in 0..3 {
                        match pass {
                            0 => index.fuzzy_spelled(folded, max_edits as u8, 2, None, &mut near),
                            1 => index.fuzzy_spelled(folded, max_edits as u8, 1, second, &mut near),
                            _ => index.first_letter_typos(folded, &mut near),
                        }
                        if near.iter().any(|(_, d, _, _)| *d > 0) {
                            break;
                        }
                    }
                    for (k, d, p, spelled) in near {
                        if d > 0 {
                            push((MatchKind::Fuzzy(d), keys.add(k), p, spelled));
                        }
                    }
                } else {
                    index.exact_each(folded, |p, s| push((MatchKind::Folded, tried, p, s)));
                }
                let hits = if n <= FEW {
                    &mut few[..n]
                } else {
                    &mut many[..]
                };
                // Only the most prominent few of a common name are decoded:
                // the others can be neither the answer nor its alternatives.
                let any = !hits.is_empty();
                let mut len = hits.len();
                if let Some(code) = country {
                    // Those of the country, in order.
                    len = 0;
                    for at in 0..hits.len() {
                        if index.country(hits[at].2) == code {
                            hits.swap(len, at);
                            len += 1;
                        }
                    }
                }
                if let Some(q) = qualifier {
                    // Those the qualifier keeps, before the most prominent
                    // are chosen: the Springfield of Illinois need not be
                    // among the largest sixteen.
                    let mut kept = 0;
                    for at in 0..len {
                        let i = hits[at].2;
                        if index
                            .facts(i)
                            .is_some_and(|f| q.keeps(f.country(), f.admin1()))
                        {
                            hits.swap(kept, at);
                            kept += 1;
                        }
                    }
                    len = kept;
                }
                let hits = &mut hits[..len];
                out.reserve_exact(hits.len().min(MAX_HITS));
                if hits.len() > MAX_HITS {
                    let weight = |(kind, _, i, _): &(MatchKind, usize, u32, Spelling)| {
                        let (k, pop, capital) =
                            index.summary(*i).unwrap_or((PlaceKind::Point, 0, false));
                        (
                            match_class(*kind),
                            area_class(k),
                            std::cmp::Reverse(pop + if capital { 1 << 40 } else { 0 }),
                        )
                    };
                    hits.sort_by_cached_key(weight);
                }
                for &mut (kind, k, i, spelled) in hits.iter_mut().take(MAX_HITS) {
                    let Some(f) = index.facts(i) else {
                        continue;
                    };
                    let primary = match spelled {
                        Spelling::Primary => true,
                        // (The key of the text tried is `folded`, lent.)
                        Spelling::Unknown => {
                            fold(f.name) == if k == tried { folded } else { keys.get(k) }
                        }
                        _ => false,
                    };
                    // Which alternate name matched is looked up (unpacked,
                    // where the index does not say how it is spelled) only
                    // for the candidates that are shown.
                    let (kind, name) = if !primary {
                        (kind, HitName::Pending(k, spelled))
                    } else if kind == MatchKind::Folded && same_lowercase(f.name, text) {
                        (MatchKind::Exact, HitName::Own(0))
                    } else {
                        (kind, HitName::Own(0))
                    };
                    out.push(Hit::new(me, i, Of::Record(f), kind, primary, name));
                }
                any
            }
        }
    }

    /// Places with a name starting with `prefix` (folded), as folded
    /// matches, at most `limit` names visited in an index layer.
    pub(super) fn collect_prefix<'g>(
        &'g self,
        me: usize,
        prefix: &str,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) {
        match &self.store {
            Store::Memory { places, names } => {
                // In the order of the names (see `Layer::collect`).
                let mut keys: Vec<_> = names
                    .iter()
                    .filter(|(k, _)| k.starts_with(prefix))
                    .collect();
                keys.sort_unstable_by_key(|(key, _)| *key);
                for (key, entries) in keys {
                    for &(i, primary) in entries {
                        let place = &places[i as usize];
                        let name = place.names().position(|n| fold(n) == *key).unwrap_or(0);
                        out.push(Hit::new(
                            me,
                            i,
                            Of::Place(place),
                            MatchKind::Folded,
                            primary,
                            HitName::Own(name),
                        ));
                    }
                }
            }
            Store::Index(index) => {
                let mut hits = Vec::new();
                index.prefix_spelled(prefix, PREFIX_SCAN, &mut hits);
                for (key, i, spelled) in hits {
                    let Some(f) = index.facts(i) else {
                        continue;
                    };
                    let primary = match spelled {
                        Spelling::Primary => true,
                        Spelling::Unknown => fold(f.name) == key,
                        _ => false,
                    };
                    let name = if primary {
                        HitName::Own(0)
                    } else {
                        HitName::Pending(keys.add(key), spelled)
                    };
                    out.push(Hit::new(
                        me,
                        i,
                        Of::Record(f),
                        MatchKind::Folded,
                        primary,
                        name,
                    ));
                }
            }
        }
    }

    /// The country code of a country place called `key` (folded), if any.
    pub(super) fn country_named(&self, key: &str) -> Option<String> {
        match &self.store {
            Store::Memory { places, names } => names.get(key)?.iter().find_map(|&(i, _)| {
                let p = &places[i as usize];
                (p.kind() == PlaceKind::Country && !p.country().is_empty())
                    .then(|| p.country().to_string())
            }),
            Store::Index(index) => {
                let mut hits = Vec::new();
                index.exact(key, &mut hits);
                hits.iter().find_map(|&h| {
                    let (kind, _, _) = index.summary(h)?;
                    if kind != PlaceKind::Country {
                        return None;
                    }
                    let p = index.place(h, false)?;
                    (!p.country().is_empty()).then(|| p.country().to_string())
                })
            }
        }
    }

    /// Names alike to `folded` by Jaro–Winkler similarity (at least 0.8),
    /// as (similarity, population, primary name). An index layer only
    /// looks at the names that start with the query, or are at most two
    /// edits from it after its first two letters, or one edit after its
    /// first letter, not at every name.
    pub(super) fn near_names(&self, folded: &str, out: &mut Vec<(f64, u64, String)>) {
        match &self.store {
            Store::Memory { places, names } => {
                for (key, entries) in names {
                    let sim = strsim::jaro_winkler(key, folded);
                    if sim < 0.8 {
                        continue;
                    }
                    for &(i, _) in entries {
                        let p = &places[i as usize];
                        out.push((sim, p.population(), p.name().to_string()));
                    }
                }
            }
            Store::Index(index) => {
                let mut prefixed = Vec::new();
                index.prefix(folded, 200, &mut prefixed);
                let mut fuzzy = Vec::new();
                // Two edits after the first two letters, one after the
                // first (an unanchored walk with two edits costs ten times
                // as much: see the module docs, *Suggestions*).
                index.fuzzy(folded, 2, 2, &mut fuzzy);
                let second = folded.chars().nth(1).filter(|_| folded.chars().count() > 2);
                index.fuzzy_skipping(folded, 1, 1, second, &mut fuzzy);
                let all = prefixed
                    .into_iter()
                    .chain(fuzzy.into_iter().map(|(k, _, p)| (k, p)));
                for (key, p) in all {
                    let sim = strsim::jaro_winkler(&key, folded);
                    if sim < 0.8 {
                        continue;
                    }
                    if let (Some(name), Some((_, pop, _))) =
                        (index.primary_name(p), index.summary(p))
                    {
                        out.push((sim, pop, name));
                    }
                }
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        match &self.store {
            Store::Memory { places, .. } => places.len(),
            Store::Index(index) => index.len(),
        }
    }

    /// Position of place `i`: (lat, lon), kind.
    pub(super) fn position(&self, i: u32) -> Option<(f64, f64, PlaceKind)> {
        match &self.store {
            Store::Memory { places, .. } => {
                let p = places.get(i as usize)?;
                Some((p.lat(), p.lon(), p.kind()))
            }
            Store::Index(index) => {
                let (lat, lon) = index.lat_lon(i)?;
                Some((lat, lon, index.summary(i)?.0))
            }
        }
    }

    pub(super) fn place(&self, i: u32) -> Option<Place> {
        match &self.store {
            Store::Memory { places, .. } => places.get(i as usize).cloned(),
            // Without its alternate names: unpacking them is most of the
            // cost of a reverse lookup.
            Store::Index(index) => index.place(i, false),
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
