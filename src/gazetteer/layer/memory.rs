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
    /// Folded name -> (its letters, (place index, is the primary name)).
    names: Names,
}

/// The hasher of a layer's folded-name map: foldhash's fast hash, with a
/// fixed seed (the same on every run). The folded names are short and a
/// lookup per query should cost little; a gazetteer file of one's own need
/// not resist crafted collisions.
type NameHasher = foldhash::fast::FixedState;

/// See [`Memory::names`].
type Names = HashMap<String, (Letters, Vec<(u32, bool)>), NameHasher>;

impl Memory {
    pub(super) fn new(places: Vec<Place>) -> Memory {
        let mut names: Names = HashMap::default();
        for (i, p) in places.iter().enumerate() {
            for (j, n) in p.names().enumerate() {
                let key = fold(n);
                if key.is_empty() {
                    continue;
                }
                let entry = &mut names
                    .entry(key)
                    .or_insert_with_key(|k| (Letters::of(k), Vec::new()))
                    .1;
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
            if let Some((_, entries)) = names.get(folded) {
                found(folded, entries, None);
            }
            return out.len() > before;
        }
        let n = folded.chars().count();
        let osa = index::Osa::new(folded, max_edits as u8);
        let mine = Letters::of(folded);
        let mut near = Vec::new();
        for (key, (letters, entries)) in names {
            if key == folded
                || key.len().abs_diff(folded.len()) > 4 * max_edits
                || (letters.len as usize).abs_diff(n) > max_edits
                || mine.differ_by_more_than(letters, max_edits)
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
        for (key, (_, entries)) in keys {
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
        names.get(key)?.1.iter().find_map(|&(i, _)| {
            let p = &places[i as usize];
            (p.kind() == PlaceKind::Country && !p.country().is_empty())
                .then(|| p.country().to_string())
        })
    }

    fn near_names(&self, folded: &str, _far: bool, out: &mut Vec<(f64, u64, String)>) {
        let Memory { places, names } = self;
        let alike = Alike::new(folded);
        for (key, (letters, entries)) in names {
            if !alike.may_reach(letters, common_prefix(key, folded)) {
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
        for &(i, _) in names.get(key).map_or(&[][..], |v| &v.1[..]) {
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
/// to a query is computed. Jaro–Winkler is the Jaro similarity J when J is
/// at most 0.7, else J + 0.1 × l × (1 − J) with l the letters of common
/// prefix (at most four), so 0.8 needs J > 0.7 and J ≥ (0.8 − 0.1 l) /
/// (1 − 0.1 l): 0.8, 7/9, 3/4, 5/7 and 2/3 for l = 0 to 4. Jaro is
/// (m/|a| + m/|b| + (m − t)/m) / 3 with m letters matched, so m/|a| +
/// m/|b| ≥ 3 J − 1 is needed (1.4, 4/3, 1.25, 8/7 and, with J > 0.7,
/// 1.1), and m is at most the letters the two have in common (counted
/// with repeats).
struct Alike(Letters);

/// The letters (at most four) two names begin with in common, as
/// `strsim::jaro_winkler` counts them.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars()
        .take(4)
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The letters of a name, counted in 32 bins (one per ASCII letter, the
/// other characters sharing the rest): two names have at most as many
/// letters in common as the sum of the lesser counts of each bin.
/// Counted once per name of a layer, so that the bound costs a few
/// instructions a name.
#[derive(Debug, Clone)]
pub(super) struct Letters {
    /// Characters of the name.
    len: u32,
    /// How many fall in each bin.
    bins: [u8; 32],
    /// A bin overflowed: the bound rules nothing out.
    full: bool,
}

impl Letters {
    fn of(name: &str) -> Letters {
        let mut bins = [0u8; 32];
        let (mut len, mut full) = (0u32, false);
        for c in name.chars() {
            len += 1;
            let bin = match c {
                'a'..='z' => c as usize - 'a' as usize,
                _ if c.is_ascii() => 26 + c as usize % 2,
                _ => 28 + c as usize % 4,
            };
            match bins[bin].checked_add(1) {
                Some(n) => bins[bin] = n,
                None => full = true,
            }
        }
        Letters { len, bins, full }
    }
}

impl Letters {
    /// True when the two names cannot be `k` edits apart (optimal string
    /// alignment): each edit leaves at most one letter of either without
    /// an equal letter in the other (a substitution one of each, a
    /// deletion or an insertion one, a swap none), and letters in one bin
    /// that the other lacks are letters without an equal one.
    fn differ_by_more_than(&self, other: &Letters, k: usize) -> bool {
        if self.full || other.full {
            return false;
        }
        let (mut mine, mut theirs) = (0usize, 0usize);
        for (a, b) in self.bins.iter().zip(&other.bins) {
            mine += a.saturating_sub(*b) as usize;
            theirs += b.saturating_sub(*a) as usize;
        }
        mine > k || theirs > k
    }
}

impl Alike {
    fn new(query: &str) -> Alike {
        Alike(Letters::of(query))
    }

    /// False when a name with these letters, beginning with `prefix`
    /// letters of the query's ([`common_prefix`]), cannot be 0.8 alike to
    /// the query by Jaro–Winkler.
    fn may_reach(&self, name: &Letters, prefix: usize) -> bool {
        let q = &self.0;
        if q.full || name.full {
            return true;
        }
        let m: u64 = q
            .bins
            .iter()
            .zip(&name.bins)
            .map(|(a, b)| u64::from(*a.min(b)))
            .sum();
        let (len, qlen) = (u64::from(name.len), u64::from(q.len));
        // m/len + m/qlen >= 3 J - 1 (see above) in thousandths, rounded
        // down (a bound a little looser than the exact one), without
        // division.
        let need = [1399, 1333, 1249, 1142, 1099][prefix.min(4)];
        1000 * m * (len + qlen) >= need * len * qlen
    }
}

#[cfg(test)]
mod tests {
    use super::{common_prefix, Alike, Letters};
    use proptest::prelude::*;

    proptest! {
        /// The bound never rules out a name 0.8 alike or more.
        #[test]
        fn never_rules_out_a_close_name(a in "[abcdeяж]{1,12}", b in "[abcdeяж]{1,12}") {
            if strsim::jaro_winkler(&b, &a) >= 0.8 {
                prop_assert!(Alike::new(&a).may_reach(&Letters::of(&b), common_prefix(&b, &a)));
            }
        }

        /// Names the letter count rules out are more edits apart.
        #[test]
        fn letter_counts_never_rule_out_a_near_name(a in "[abcdeяж]{1,12}", b in "[abcdeяж]{1,12}", k in 0usize..=3) {
            if strsim::osa_distance(&a, &b) <= k {
                prop_assert!(!Letters::of(&a).differ_by_more_than(&Letters::of(&b), k));
            }
        }
    }

    #[test]
    fn rules_out_names_with_few_letters_in_common() {
        let alike =
            |a: &str, b: &str| Alike::new(a).may_reach(&Letters::of(b), common_prefix(b, a));
        assert!(!alike("vladivostox", "pyongyang"));
        assert!(alike("vladivostox", "vladivostok"));
        // Six letters of ten in common and no common beginning: m/|a| +
        // m/|b| = 1.2, under the 1.4 that 0.8 needs then.
        assert!(strsim::jaro_winkler("xyzdefghiq", "abcdefghij") < 0.8);
        assert!(!alike("abcdefghij", "xyzdefghiq"));
        let far = |a: &str, b: &str, k| Letters::of(a).differ_by_more_than(&Letters::of(b), k);
        assert!(!far("springfield", "sprnigfeld", 1));
        assert!(far("springfield", "sprxngfeld", 1));
        assert!(!far("springfield", "sprxngfeld", 2));
    }
}
