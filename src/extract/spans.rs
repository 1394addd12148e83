//! Stage 2: candidate spans — runs of words whose folded text is a name in
//! the gazetteer, longest first — and the places each could be.

use super::lexicon::{self, CONNECTORS, GENERIC_TAIL};
use super::text::{Kind, Token};
use crate::gazetteer::{fold, Gazetteer, Index, Place, PlaceKind};
use std::collections::HashMap;
use std::rc::Rc;

/// Words in the longest name looked for.
const MAX_WORDS: usize = 7;

/// Places looked at per name, most prominent first.
const MAX_CANDIDATES: usize = 40;

/// Places matched on an alternate name whose spelling is checked (the rest
/// are dropped: minor places known by that name in some language).
const MAX_ALTERNATE: usize = 8;

/// People a town needs to be found by an alternate name alone: alternate
/// names hold spellings in every language ("Hamas" is Hamm in one), and
/// only large places have exonyms an English text uses ("Kiev").
const ALTERNATE_MIN_POPULATION: u64 = 500_000;

/// A place a span could name.
#[derive(Debug, Clone)]
pub struct Cand {
    /// The place.
    pub place: Place,
    /// The span is the place's primary name.
    pub primary: bool,
    /// From a layer read whole (the curated places or the user's files).
    pub curated: bool,
}

/// Finds names of the gazetteer in text.
#[derive(Debug)]
pub struct Lookup {
    /// The index layers (imported indexes, the world), top first.
    indexes: Vec<Index>,
    /// Folded name -> places of the layers read whole (the curated places,
    /// the user's files), top layer first.
    memory: HashMap<String, Vec<Place>>,
    /// Candidates by the text of a span, as written.
    cache: HashMap<String, Rc<Vec<Cand>>>,
}

impl Lookup {
    /// The names of every layer of `gaz`: the layers read whole and the
    /// indexes (the user's imports, the world gazetteer).
    pub fn new(gaz: &Gazetteer) -> Lookup {
        let mut memory: HashMap<String, Vec<Place>> = HashMap::new();
        for (_, p) in gaz.places() {
            let mut keys: Vec<String> = p.names().map(fold).filter(|k| !k.is_empty()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                memory.entry(k).or_default().push(p.clone());
            }
        }
        Lookup {
            indexes: gaz.indexes().cloned().collect(),
            memory,
            cache: HashMap::new(),
        }
    }

    /// Whether some place has the folded name `key`.
    pub fn known(&self, key: &str, scratch: &mut Vec<u32>) -> bool {
        if self.memory.contains_key(key) {
            return true;
        }
        self.indexes.iter().any(|w| {
            scratch.clear();
            w.exact(key, scratch);
            !scratch.is_empty()
        })
    }

    /// The places `surface` (a span as written) could name, best known
    /// first; cached per spelling.
    pub fn candidates(&mut self, surface: &str) -> Rc<Vec<Cand>> {
        if let Some(c) = self.cache.get(surface) {
            return c.clone();
        }
        let found = Rc::new(match lexicon::us_state(surface) {
            // "Ga.": only the state of Georgia ("D.C.": the city).
            Some(state) => self
                .gather(state)
                .into_iter()
                .filter(|c| {
                    let p = &c.place;
                    // "D.C." is the city, never the state of Washington.
                    let kinds: &[PlaceKind] = if lexicon::us_state(surface) == Some("Washington")
                        && surface.to_lowercase() == "d.c."
                    {
                        &[PlaceKind::City]
                    } else {
                        &[PlaceKind::Region, PlaceKind::City]
                    };
                    p.country() == "US" && kinds.contains(&p.kind())
                })
                .collect(),
            None => self.gather(surface),
        });
        self.cache.insert(surface.to_string(), found.clone());
        found
    }

    fn gather(&self, surface: &str) -> Vec<Cand> {
        let key = fold(surface);
        let mut out: Vec<Cand> = Vec::new();
        for p in self.memory.get(&key).into_iter().flatten() {
            let primary = fold(p.name()) == key;
            let spelled = p.names().find(|n| fold(n) == key).unwrap_or(p.name());
            if spelling_fits(spelled, surface, is_area(p.kind())) {
                out.push(Cand {
                    place: p.clone(),
                    primary,
                    curated: true,
                });
            }
        }
        for w in &self.indexes {
            self.gather_index(w, &key, surface, &mut out);
        }
        out
    }

    fn gather_index(&self, w: &Index, key: &str, surface: &str, out: &mut Vec<Cand>) {
        let mut ids = Vec::new();
        w.exact(key, &mut ids);
        // (is the primary name, prominence, id), best first.
        let mut ranked: Vec<(bool, u64, u32)> = ids
            .iter()
            .filter_map(|&i| {
                let (kind, pop, _) = w.summary(i)?;
                let name = w.primary_name(i)?;
                let weight = if kind == PlaceKind::Country {
                    u64::MAX
                } else {
                    pop
                };
                Some((fold(&name) == key, weight, i))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut alternates = 0;
        for (primary, weight, i) in ranked.into_iter().take(MAX_CANDIDATES) {
            if !primary && weight < ALTERNATE_MIN_POPULATION {
                let area = w.summary(i).is_some_and(|(k, _, capital)| {
                    // A county by its bare name ("Kanawha"), kept where the
                    // text names a place of its state (see `Extractor`).
                    is_area(k) || capital || k == PlaceKind::County
                });
                if !area {
                    continue;
                }
            }
            if primary {
                let name = w.primary_name(i).unwrap_or_default();
                let area = w.summary(i).is_some_and(|(k, _, _)| is_area(k));
                if !spelling_fits(&name, surface, area) {
                    continue;
                }
            } else {
                alternates += 1;
                if alternates > MAX_ALTERNATE {
                    continue;
                }
                let Some((spelled, _)) = w.name_for_key(i, key) else {
                    continue;
                };
                let area = w.summary(i).is_some_and(|(k, _, _)| is_area(k));
                if !spelling_fits(&spelled, surface, area) {
                    continue;
                }
            }
            let Some(place) = w.place(i, false) else {
                continue;
            };
            // A place also in a layer above is reported from there, a
            // capital still (the curated layer does not say so).
            let twin = out.iter_mut().find(|c| {
                c.place.source() == place.source() && !place.source().is_empty()
                    || same_spot(&c.place, &place) && c.place.kind() == place.kind()
            });
            match twin {
                Some(c) if place.is_capital() && !c.place.is_capital() => {
                    c.place = c.place.clone().with_capital(true);
                }
                Some(_) => {}
                None => out.push(Cand {
                    place,
                    primary,
                    curated: false,
                }),
            }
        }
    }
}

fn is_area(kind: PlaceKind) -> bool {
    matches!(kind, PlaceKind::Country | PlaceKind::Region)
}

/// Within about 20 km (a degree of latitude is 111 km).
fn same_spot(a: &Place, b: &Place) -> bool {
    let dlat = a.lat() - b.lat();
    let dlon = (a.lon() - b.lon()) * a.lat().to_radians().cos();
    dlat * dlat + dlon * dlon < 0.18 * 0.18
}

/// Whether an alternate name spelled `name` may be read in text written
/// `surface`: codes and abbreviations in capitals ("THE", "LAX", "US") only
/// when written exactly so.
fn spelling_fits(name: &str, surface: &str, area: bool) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let shouting = letters > 0 && !name.chars().any(char::is_lowercase);
    if shouting && letters <= 4 {
        // Codes of airports and stations ("THE", "RIA") are not read in
        // text; those of countries and regions ("US", "UK") are.
        return area && name.replace('.', "") == surface.replace('.', "");
    }
    // "U.N." is not the town of Un.
    if surface.contains('.') && !shouting && !name.contains('.') {
        return false;
    }
    // "Phil." and "Les." are abbreviations of Philippines and Lesotho; the
    // first names "Phil" and "Les" are not.
    if name.ends_with('.') && !surface.ends_with('.') {
        return false;
    }
    let surface_shouting = !surface.chars().any(char::is_lowercase);
    let surface_letters = surface.chars().filter(|c| c.is_alphabetic()).count();
    // "US" or "WHO" written in capitals is a code, not "Us" or "Who"; an
    // acronym ("HIV", "CDC") names a country or region ("UK", "NSW") or
    // nothing.
    !(surface_shouting && surface_letters <= 4 && (name != surface || !area))
}

/// A run of words that names a place in the gazetteer, or an area by its
/// form ("Laurel County").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Index of the first token.
    pub first: usize,
    /// Index of the last token.
    pub last: usize,
    /// Byte offsets into the text.
    pub start: usize,
    /// Byte offset past the end.
    pub end: usize,
    /// The gazetteer holds the name (else the span is named by its form).
    pub known: bool,
}

impl Span {
    /// The span's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Every span of `tokens` that names a place, longest first, left to
/// right, none overlapping.
pub fn find(text: &str, tokens: &[Token], lookup: &Lookup) -> Vec<Span> {
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind != Kind::Word || !t.capitalised {
            i += 1;
            continue;
        }
        if let Some(last) = state_after_town(text, tokens, i) {
            out.push(span(tokens, i, last, true));
            i = last + 1;
            continue;
        }
        let ends = word_ends(text, tokens, i);
        let hit = ends.iter().rev().find(|&&j| {
            let key = fold(&text[t.start..tokens[j].end]);
            !key.is_empty() && lookup.known(&key, &mut scratch)
        });
        // "A New Jersey woman": a sentence's first article read with the
        // next word as a name ("A New") yields to a longer name starting
        // after it.
        let article = lexicon::contains(lexicon::DETERMINERS, &t.text(text).to_lowercase());
        if let (true, Some(&j)) = (article, hit) {
            let next = tokens
                .get(i + 1)
                .is_some_and(|n| n.kind == Kind::Word && n.capitalised && n.joined);
            let longer = next
                && word_ends(text, tokens, i + 1).iter().any(|&k| {
                    let key = fold(&text[tokens[i + 1].start..tokens[k].end]);
                    k > j && lookup.known(&key, &mut scratch)
                });
            if longer {
                i += 1;
                continue;
            }
        }
        let area = area_span(text, tokens, i);
        match (hit, area) {
            (_, Some(last)) if hit.is_none_or(|&j| last > j) => {
                out.push(span(tokens, i, last, false));
                i = last + 1;
            }
            (Some(&j), _) => {
                out.push(span(tokens, i, j, true));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn span(tokens: &[Token], first: usize, last: usize, known: bool) -> Span {
    Span {
        first,
        last,
        start: tokens[first].start,
        end: tokens[last].end,
        known,
    }
}

/// The token indices at which a name starting at word `i` may end: words
/// on the same line, joined by spaces or hyphens, inner words capitalised
/// or connectors, the last capitalised or a generic word ("Amur region").
fn word_ends(text: &str, tokens: &[Token], i: usize) -> Vec<usize> {
    let mut ends = vec![i];
    let mut words = 1;
    let mut j = i + 1;
    while j < tokens.len() && words < MAX_WORDS {
        let t = &tokens[j];
        if !t.joined {
            break;
        }
        if t.kind == Kind::Punct {
            // A hyphen between two words: "Winston-Salem", "Rostov-on-Don".
            let next_word = tokens
                .get(j + 1)
                .is_some_and(|n| n.kind == Kind::Word && n.start == t.end);
            if t.text(text) == "-" && next_word && tokens[j - 1].end == t.start {
                j += 1;
                continue;
            }
            break;
        }
        let w = t.text(text);
        let lower = w.to_lowercase();
        if t.capitalised || lexicon::contains(GENERIC_TAIL, &lower) {
            ends.push(j);
        } else if !lexicon::contains(CONNECTORS, &lower) {
            break;
        }
        words += 1;
        j += 1;
    }
    ends
}

/// "Laurel County", "Rapides Parish": up to three capitalised words then
/// a capitalised area word; the index of that word.
/// "Clinton Street", "Main St." the same way.
fn area_span(text: &str, tokens: &[Token], i: usize) -> Option<usize> {
    let first = tokens[i].text(text).to_lowercase();
    if lexicon::contains(lexicon::DETERMINERS, &first) {
        return None;
    }
    for j in i + 1..i + 5 {
        let t = tokens.get(j)?;
        if t.kind != Kind::Word || !t.joined || !t.capitalised {
            return None;
        }
        let lower = t.text(text).to_lowercase();
        if lexicon::contains(lexicon::AREA_AFTER, &lower)
            || lexicon::contains(lexicon::STREET_AFTER, &lower)
        {
            return Some(j);
        }
    }
    None
}

/// "Gainesville, Ga.": an AP abbreviation of a US state after a word and
/// a comma; the index of its token.
fn state_after_town(text: &str, tokens: &[Token], i: usize) -> Option<usize> {
    let t = &tokens[i];
    lexicon::us_state(t.text(text))?;
    let comma = tokens.get(i.checked_sub(1)?)?;
    let town = tokens.get(i.checked_sub(2)?)?;
    (comma.text(text) == "," && town.kind == Kind::Word && town.capitalised).then_some(i)
}
