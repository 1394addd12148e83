//! Ranking the candidates of a name: match class, kind hint, layer and
//! prominence (see the module docs of [`super`], *Ranking*).

use super::{fold, Hit, MatchKind, PlaceKind};

/// Cities, towns and villages are one sort of place for ambiguity; so are
/// countries and first-level regions (`Georgia`).
pub(super) fn same_sort(a: PlaceKind, b: PlaceKind) -> bool {
    let settlement = |k| matches!(k, PlaceKind::City | PlaceKind::Town | PlaceKind::Village);
    let state = |k| matches!(k, PlaceKind::Country | PlaceKind::Region);
    a == b || settlement(a) && settlement(b) || state(a) && state(b)
}

/// Sorts a reader could mistake for each other: the same sort, or a
/// settlement and a country or first-level region (`Nippes`, a district of
/// Cologne and a department of Haiti).
pub(super) fn comparable(a: PlaceKind, b: PlaceKind) -> bool {
    let either =
        |k: PlaceKind| k.is_settlement() || matches!(k, PlaceKind::Country | PlaceKind::Region);
    same_sort(a, b) || either(a) && either(b)
}

/// Whether one of `a` and `b` is a first-level region and the other a
/// settlement of the same name inside it (`Moscow` and its city-region).
pub(super) fn own_region(a: &Hit<'_>, b: &Hit<'_>) -> bool {
    let inside = |region: &Hit<'_>, city: &Hit<'_>| {
        region.kind == PlaceKind::Region
            && city.kind.is_settlement()
            && region.country_text().trim() == city.country_text().trim()
            && fold(region.admin1()) == fold(city.admin1())
    };
    inside(a, b) || inside(b, a)
}

/// Exact and folded matches are one class (which of a place's spellings
/// was typed says little about which place was meant); then 1 and 2 edits.
pub(super) fn match_class(m: MatchKind) -> u8 {
    match m {
        MatchKind::Exact | MatchKind::Folded => 0,
        MatchKind::Fuzzy(d) => d,
    }
}

/// A first-level region or a county named after its main city is, in
/// running text, usually the city (`Moscow`, `Tokyo`, `Alexandria`,
/// `Zürich`, `Glasgow`): the area ranks just below a settlement of the same
/// name inside it (in the same first-level region), matched as well, that
/// holds at least an eighth of its people. Not when the text typed is the
/// area's own name and the city has a longer name of its own that the text
/// leaves out (`New York` is the state's name; the city's is `New York
/// City`): a writer who means the city has its name to write. Called by
/// [`ranked`] once prominences are set.
pub(super) fn main_city_first(hits: &mut [Hit<'_>]) {
    for r in 0..hits.len() {
        let area = &hits[r];
        if !matches!(area.kind, PlaceKind::Region | PlaceKind::County) || area.population == 0 {
            continue;
        }
        // A region's `admin1` is its own name; a county's, its region's.
        let name = fold(area.admin1());
        if name.is_empty() {
            continue;
        }
        let city = hits
            .iter()
            .filter(|h| {
                h.kind.is_settlement()
                    && match_class(h.matched) == match_class(area.matched)
                    && h.population.saturating_mul(8) >= area.population
                    && h.country_text().trim() == area.country_text().trim()
                    && fold(h.admin1()) == name
                    && !(area.primary && !h.primary && longer_name(h, area))
            })
            .map(|h| h.prominence)
            .max_by(f64::total_cmp);
        if let Some(p) = city {
            let area = &mut hits[r];
            area.prominence = area.prominence.min(p - 0.01);
        }
    }
}

/// Whether the primary name of `city` is that of `area` and more
/// (`New York City`, `New York`).
fn longer_name(city: &Hit<'_>, area: &Hit<'_>) -> bool {
    let (c, a) = (fold(city.place_name()), fold(area.place_name()));
    c.len() > a.len() && c.starts_with(&a)
}

/// Countries, then regions, then everything else: which of a very common
/// name's places are decoded at all (see `Layer::collect`).
pub(super) fn area_class(k: PlaceKind) -> u8 {
    match k {
        PlaceKind::Country => 0,
        PlaceKind::Region => 1,
        _ => 2,
    }
}

/// Sets the prominence of hits to be ranked (none is ranked alone).
pub(super) fn ranked(hits: &mut [Hit<'_>]) {
    if hits.len() > 1 {
        for h in hits.iter_mut() {
            h.prominence = prominence(h);
        }
        main_city_first(hits);
    }
}

/// How prominent a candidate is (see the module docs): the log10 of its
/// population — or, for a natural feature with a Natural Earth scale rank
/// `r` and no population, `7.5 − r/2` (the oceans and the largest rivers
/// count as a city of some ten million, a feature of rank 9 as a village
/// of a thousand) — plus the administrative rank of its kind (+1 for a
/// country or a first-level region; −1 for a county matched on another
/// name than its own, such as `Los Angeles` for Los Angeles County, a name
/// that is mostly the town's; −1.5 for an airport, port, park or station,
/// whose names are mostly the town's), plus 2 for a match on its primary
/// name and 2 for a capital. A county matched on its own name (`Suffolk`,
/// `Somme`) counts as much as a town of its people.
pub(super) fn prominence(h: &Hit<'_>) -> f64 {
    let rank = match h.kind {
        PlaceKind::Country | PlaceKind::Region => 1.0,
        PlaceKind::County if !h.primary => -1.0,
        PlaceKind::Airport | PlaceKind::Port | PlaceKind::Park | PlaceKind::Station => -1.5,
        _ => 0.0,
    };
    size(h) + rank + if h.primary { 2.0 } else { 0.0 } + if h.capital { 2.0 } else { 0.0 }
}

/// How large a place is: the log10 of its population, or for a place
/// without one that has a Natural Earth scale rank `r` (a natural
/// feature), `7.5 − r/2`. (The scale rank Natural Earth gives a division
/// ranks its label on a map, not its size: Hamilton, a parish of Bermuda
/// of 5 900 people, has rank 5, as a city of 100 000 would.)
fn size(h: &Hit<'_>) -> f64 {
    let people = (h.population as f64 + 1.0).log10();
    match h.scalerank {
        Some(r) if h.population == 0 => people.max(7.5 - 0.5 * r as f64),
        _ => people,
    }
}

/// The part of [`Gazetteer::rank`] before exact and folded matches are
/// told apart.
pub(super) fn rank_head(a: &Hit<'_>, b: &Hit<'_>, hint: Option<PlaceKind>) -> std::cmp::Ordering {
    let hinted = |c: &Hit<'_>| hint.is_some_and(|k| c.kind == k);
    match_class(a.matched)
        .cmp(&match_class(b.matched))
        .then(hinted(b).cmp(&hinted(a)))
        .then(a.layer.cmp(&b.layer))
        .then(b.prominence.total_cmp(&a.prominence))
}

/// Whether the best candidate of a fuzzy search may be taken as what was
/// meant (see the module docs of [`super`], *No silent typos*): `names` is
/// how many different names (folded) lay within the edits, `chosen`
/// whether its layer is a list of places someone chose (a file read whole:
/// the curated places, a user's file) rather than an index of the world.
/// A place of a chosen layer is what its user writes about: a typo of its
/// name is taken. Otherwise a typed name near several names leaves the
/// choice to the user; one near a single name is a typo of it when the
/// place is one that is written often enough to be mistyped more often
/// than an unknown place of that spelling is meant: a country, first-level
/// region or continent, a place of 100 000 people or more, or a natural
/// feature of Natural Earth scale rank 5 or less.
pub(super) fn typo_taken(best: &Hit<'_>, names: usize, chosen: bool) -> bool {
    chosen
        || names == 1
            && (matches!(
                best.kind,
                PlaceKind::Country | PlaceKind::Region | PlaceKind::Continent
            ) || size(best) >= 5.0)
}
