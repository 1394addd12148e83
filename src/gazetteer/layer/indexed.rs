//! An index layer (the world gazetteer, an imported index): names looked
//! up in an fst read in place, places decoded only when reached.

use super::super::hit::{Hit, HitName, Keys, Of};
use super::super::index::Index;
use super::super::query::{same_lowercase, Qualifier};
use super::super::rank::{area_class, match_class};
use super::super::spelling::Spelling;
use super::super::{fold, MatchKind, Place, PlaceKind};
use super::{Store, FEW, MAX_HITS, PREFIX_SCAN};

impl Store for Index {
    fn collect<'g>(
        &'g self,
        me: usize,
        tried: usize,
        text: &str,
        folded: &str,
        fuzzy: bool,
        max_edits: usize,
        country: Option<&str>,
        qualifier: Option<&Qualifier>,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) -> bool {
        let index = self;
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
                let (k, pop, capital) = index.summary(*i).unwrap_or((PlaceKind::Point, 0, false));
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
                Spelling::Unknown => fold(f.name) == if k == tried { folded } else { keys.get(k) },
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

    fn collect_prefix<'g>(
        &'g self,
        me: usize,
        prefix: &str,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) {
        let index = self;
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

    fn country_named(&self, key: &str) -> Option<String> {
        let index = self;
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

    fn near_names(&self, folded: &str, far: bool, out: &mut Vec<(f64, u64, String)>) {
        let index = self;
        let mut prefixed = Vec::new();
        index.prefix(folded, 200, &mut prefixed);
        let mut fuzzy = Vec::new();
        // Two edits after the first two letters, one after the
        // first (an unanchored walk with two edits costs ten times
        // as much: see the module docs, *Suggestions*). The second
        // walk only finds names one edit away: none when `far`.
        index.fuzzy(folded, 2, 2, &mut fuzzy);
        if !far {
            let second = folded.chars().nth(1).filter(|_| folded.chars().count() > 2);
            index.fuzzy_skipping(folded, 1, 1, second, &mut fuzzy);
        }
        let all = prefixed
            .into_iter()
            .chain(fuzzy.into_iter().map(|(k, _, p)| (k, p)));
        for (key, p) in all {
            let sim = strsim::jaro_winkler(&key, folded);
            if sim < 0.8 {
                continue;
            }
            if let (Some(name), Some((_, pop, _))) = (index.primary_name(p), index.summary(p)) {
                out.push((sim, pop, name));
            }
        }
    }

    fn len(&self) -> usize {
        let index = self;
        index.len()
    }

    fn position(&self, i: u32) -> Option<(f64, f64, PlaceKind)> {
        let index = self;
        let (lat, lon) = index.lat_lon(i)?;
        Some((lat, lon, index.summary(i)?.0))
    }

    fn place(&self, i: u32) -> Option<Place> {
        let index = self;
        index.place(i, false)
    }

    fn has_name(&self, key: &str) -> bool {
        let mut hits = Vec::new();
        self.exact(key, &mut hits);
        !hits.is_empty()
    }

    fn regions_named(&self, key: &str, add: &mut dyn FnMut(&Place)) {
        let index = self;
        let mut hits = Vec::new();
        index.exact(key, &mut hits);
        for h in hits {
            if index
                .summary(h)
                .is_some_and(|(k, _, _)| k == PlaceKind::Region)
            {
                if let Some(p) = index.place(h, false) {
                    add(&p);
                }
            }
        }
    }

    fn each_place(&self, kind: Option<PlaceKind>, f: &mut dyn FnMut(&Place)) {
        let index = self;
        for i in 0..index.len() as u32 {
            if kind.is_some_and(|k| index.summary(i).is_none_or(|(pk, _, _)| pk != k)) {
                continue;
            }
            if let Some(p) = index.place(i, false) {
                f(&p);
            }
        }
    }

    fn index(&self) -> Option<&Index> {
        Some(self)
    }

    fn spelled_name(&self, i: u32, key: &str, spelled: Spelling) -> Option<String> {
        Index::spelled_name(self, i, key, spelled)
    }
}
