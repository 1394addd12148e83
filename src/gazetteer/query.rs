//! Reading a query: its qualifiers, its kind word, and comparing spellings.

use super::{fold, PlaceKind};

/// What the qualifier of `Name, Qualifier` or `Name, Region, Country`
/// allows: the places of some countries, or of some first-level regions.
#[derive(Debug, Default)]
pub(super) struct Qualifier {
    /// ISO 3166-1 alpha-2 codes.
    pub(super) countries: Vec<String>,
    /// Country code and folded name of a first-level region.
    pub(super) regions: Vec<(String, String)>,
}

impl Qualifier {
    pub(super) fn keeps(&self, country: &str, admin1: &str) -> bool {
        let country = country.trim();
        self.countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(country))
            || self.regions.iter().any(|(c, a)| {
                c.eq_ignore_ascii_case(country) && !admin1.is_empty() && fold(admin1) == *a
            })
    }

    pub(super) fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.regions.is_empty()
    }
}

/// `a.to_lowercase() == b.to_lowercase()`, without building the texts.
pub(super) fn same_lowercase(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    // `str::to_lowercase` maps every character on its own but the capital
    // sigma, whose lower case depends on its place in a word.
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase() == b.to_lowercase();
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Kind words at the end of a query, longest first.
pub(super) const KIND_WORDS: [(&str, PlaceKind); 12] = [
    ("railway station", PlaceKind::Station),
    ("railroad station", PlaceKind::Station),
    ("train station", PlaceKind::Station),
    ("border crossing", PlaceKind::BorderCrossing),
    ("station", PlaceKind::Station),
    ("вокзал", PlaceKind::Station),
    ("cosmodrome", PlaceKind::Spaceport),
    ("spaceport", PlaceKind::Spaceport),
    ("космодром", PlaceKind::Spaceport),
    ("airport", PlaceKind::Airport),
    ("аэропорт", PlaceKind::Airport),
    ("port", PlaceKind::Port),
];

/// The last letter of each kind word (`str::ends_with(char)` would compare
/// with a call to memcmp: twelve calls a query).
pub(super) const KIND_WORD_ENDS: [char; 12] =
    ['n', 'n', 'n', 'g', 'n', 'л', 'e', 't', 'м', 't', 'т', 't'];

/// The kind a query names at its end, and the query without that word.
pub(super) fn kind_hint(name: &str) -> Option<(PlaceKind, &str)> {
    // Most names do not end in a kind word after a space or a hyphen: the
    // lower-case text, read backwards, is the lower case of each character
    // read backwards (a capital sigma aside, which no kind word has).
    let ends_in_word = |word: &str| {
        let mut lower = name.chars().rev().flat_map(|c| c.to_lowercase().rev());
        word.chars().rev().all(|w| lower.next() == Some(w))
            && matches!(lower.next(), Some(' ' | '-'))
    };
    let last = name.chars().next_back()?.to_lowercase().last()?;
    if !KIND_WORDS
        .iter()
        .zip(KIND_WORD_ENDS)
        .any(|((word, _), end)| end == last && ends_in_word(word))
    {
        return None;
    }
    let lower = name.to_lowercase();
    KIND_WORDS.iter().find_map(|(word, kind)| {
        let head = lower.strip_suffix(word)?;
        // A whole word: "Airport" alone or "Newport" are no hints.
        if !head.ends_with([' ', '-']) || fold(head).is_empty() {
            return None;
        }
        Some((*kind, name[..head.len()].trim_end_matches([' ', '-'])))
    })
}

/// Words that place names abbreviate, as the whole word is spelled: `St.`
/// and `St` are `Saint`, `Mt` `Mount`, `Ft` `Fort`.
const ABBREVIATED_WORDS: [(&str, &str); 4] = [
    ("st", "saint"),
    ("ste", "sainte"),
    ("mt", "mount"),
    ("ft", "fort"),
];

/// The fold of `name` with its abbreviated words written out (`St.
/// Petersburg` and `Saint Petersburg` both give `saintpetersburg`), or
/// `None` when it has no such word.
pub(super) fn fold_spelled_out(name: &str) -> Option<String> {
    let words = || name.split(|c: char| c.is_whitespace() || c == '-');
    // Most names have no such word: they are told without folding (this
    // runs for every candidate of a query).
    if !words().any(|w| spelled_out(w).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(name.len() + 8);
    for word in words() {
        match spelled_out(word) {
            Some(long) => out.push_str(long),
            None => out.push_str(&fold(word)),
        }
    }
    Some(out)
}

/// The whole word of an abbreviated `word` (`St.` gives `saint`).
fn spelled_out(word: &str) -> Option<&'static str> {
    let find = |key: &[u8]| {
        ABBREVIATED_WORDS
            .iter()
            .find(|(short, _)| short.as_bytes() == key)
            .map(|(_, long)| *long)
    };
    if !word.is_ascii() {
        return find(fold(word).as_bytes());
    }
    // The fold of ASCII: its letters and digits in lower case; no
    // abbreviation has over three.
    let mut key = [0u8; 3];
    let mut n = 0;
    for b in word.bytes().filter(u8::is_ascii_alphanumeric) {
        *key.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    find(&key[..n])
}

/// Whether `query` and `primary` are one name but for abbreviated words
/// (`St. Petersburg` typed, `Saint Petersburg` the primary name).
pub(super) fn same_spelled_out(query: &str, primary: &str) -> bool {
    match (fold_spelled_out(query), fold_spelled_out(primary)) {
        (None, None) => false,
        (q, p) => q.unwrap_or_else(|| fold(query)) == p.unwrap_or_else(|| fold(primary)),
    }
}
