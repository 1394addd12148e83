//! A layer read whole (a gazetteer file, the curated places): a hash map
//! from folded names to places.

use super::super::hit::{Hit, HitName, Keys, Of};
use super::super::index;
use super::super::query::{same_lowercase, Qualifier};
use super::super::{fold, MatchKind, Place, PlaceKind};
use super::Store;
use std::collections::HashMap;

/// The places of a file read whole.
#[derive(Debug, Clone)]
pub(super) struct Memory {
    places: Vec<Place>,
    /// Folded name -> (place index, is the primary name).
    names: HashMap<String, Vec<(u32, bool)>, NameHasher>,
}

/// The hasher of a layer's folded-name map: foldhash's fast hash, with a
/// fixed seed (the same on every run). The folded names are short and a
/// lookup per query should cost little; a gazetteer file of one's own need
/// not resist crafted collisions.
type NameHasher = foldhash::fast::FixedState;

impl Memory {
    pub(super) fn new(places: Vec<Place>) -> Memory {
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
        Memory { places, names }
    }
}

impl Store for Memory {
    fn collect<'g>(
        &'g self,
        me: usize,
        _tried: usize,
        text: &str,
        folded: &str,
        fuzzy: bool,
        max_edits: usize,
        _country: Option<&str>,
        _qualifier: Option<&Qualifier>,
        out: &mut Vec<Hit<'g>>,
        _keys: &mut Keys,
    ) -> bool {
        let Memory { places, names } = self;
        let before = out.len();
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

    fn collect_prefix<'g>(
        &'g self,
        me: usize,
        prefix: &str,
        out: &mut Vec<Hit<'g>>,
        _keys: &mut Keys,
    ) {
        let Memory { places, names } = self;
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

    fn country_named(&self, key: &str) -> Option<String> {
        let Memory { places, names } = self;
        names.get(key)?.iter().find_map(|&(i, _)| {
            let p = &places[i as usize];
            (p.kind() == PlaceKind::Country && !p.country().is_empty())
                .then(|| p.country().to_string())
        })
    }

    fn near_names(&self, folded: &str, _far: bool, out: &mut Vec<(f64, u64, String)>) {
        let Memory { places, names } = self;
        let alike = Alike::new(folded);
        for (key, entries) in names {
            if !alike.may_reach(key) {
                continue;
            }
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

    fn len(&self) -> usize {
        let Memory { places, .. } = self;
        places.len()
    }

    fn position(&self, i: u32) -> Option<(f64, f64, PlaceKind)> {
        let Memory { places, .. } = self;
        let p = places.get(i as usize)?;
        Some((p.lat(), p.lon(), p.kind()))
    }

    fn place(&self, i: u32) -> Option<Place> {
        let Memory { places, .. } = self;
        places.get(i as usize).cloned()
    }

    fn has_name(&self, key: &str) -> bool {
        self.names.contains_key(key)
    }

    fn regions_named(&self, key: &str, add: &mut dyn FnMut(&Place)) {
        let Memory { places, names } = self;
        for &(i, _) in names.get(key).map_or(&[][..], |v| &v[..]) {
            add(&places[i as usize]);
        }
    }

    fn each_place(&self, kind: Option<PlaceKind>, f: &mut dyn FnMut(&Place)) {
        self.places
            .iter()
            .filter(|p| kind.is_none_or(|k| p.kind() == k))
            .for_each(f)
    }

    fn places(&self) -> &[Place] {
        &self.places
    }
}

/// A bound that rules out most names before their Jaro–Winkler similarity
/// to a query is computed. Jaro–Winkler adds at most 0.4 × (1 − Jaro)
/// (four letters of common prefix), so 0.8 needs a Jaro similarity of 2/3,
/// and Jaro is (m/|a| + m/|b| + (m − t)/m) / 3 with m letters matched:
/// m/|a| + m/|b| ≥ 1 is needed, and m is at most the letters the two have
/// in common (counted with repeats).
struct Alike {
    /// How often each ASCII letter occurs in the query.
    ascii: [u16; 128],
    /// Letters of the query.
    len: usize,
    /// Letters of the query outside ASCII.
    other: usize,
}

impl Alike {
    fn new(query: &str) -> Alike {
        let mut ascii = [0u16; 128];
        let (mut len, mut other) = (0, 0);
        for c in query.chars() {
            len += 1;
            match ascii.get_mut(c as usize) {
                Some(n) => *n = n.saturating_add(1),
                None => other += 1,
            }
        }
        Alike { ascii, len, other }
    }

    /// False when `name` cannot be 0.8 alike to the query by Jaro–Winkler.
    fn may_reach(&self, name: &str) -> bool {
        let mut left = self.ascii;
        let (mut len, mut common, mut other) = (0usize, 0usize, 0usize);
        for c in name.chars() {
            len += 1;
            match left.get_mut(c as usize) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    common += 1;
                }
                Some(_) => {}
                None => other += 1,
            }
        }
        let m = common + other.min(self.other);
        // m/len + m/self.len >= 1, without division.
        m * (len + self.len) >= len * self.len
    }
}

#[cfg(test)]
mod tests {
    use super::Alike;
    use proptest::prelude::*;

    proptest! {
        /// The bound never rules out a name 0.8 alike or more.
        #[test]
        fn never_rules_out_a_close_name(a in "[abcdeяж]{1,12}", b in "[abcdeяж]{1,12}") {
            if strsim::jaro_winkler(&b, &a) >= 0.8 {
                prop_assert!(Alike::new(&a).may_reach(&b));
            }
        }
    }

    #[test]
    fn rules_out_names_with_few_letters_in_common() {
        assert!(!Alike::new("vladivostox").may_reach("pyongyang"));
        assert!(Alike::new("vladivostox").may_reach("vladivostok"));
    }
}
