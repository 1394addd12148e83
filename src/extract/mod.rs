//! From a text to the places it names, and the journey it tells.
//!
//! A pipeline of small stages, one file each, with no model to download:
//!
//! 1. [`text`]: HTML reduced to its shown text; the text cut into words,
//!    with sentence starts and headings marked;
//! 2. [`spans`]: runs of words whose folded text is a name in the
//!    gazetteer, longest first ("Vostochny Cosmodrome" before "Vostochny"),
//!    and areas named by their form ("Laurel County");
//! 3. [`filters`]: the rules a reader uses — a capital at a sentence start
//!    says nothing, months are dates, "President Putin" and "Kim Jong Un"
//!    are people, "The New York Times" and "University of Georgia" are
//!    organisations;
//! 4. [`disambiguate`]: the places of a document vote for each other
//!    (countries and regions named, "Portland, Maine", places close
//!    together, one place per name);
//! 5. [`journey`]: the stops of a trip in travel order, from the cues news
//!    uses ("departed Pyongyang … Sunday", "arrived Wednesday at …").
//!
//! ```
//! use routemap::extract::{Extractor, ExtractOptions};
//! use routemap::gazetteer::Gazetteer;
//! let gaz = Gazetteer::builtin()?;
//! let mut ex = Extractor::new(&gaz, ExtractOptions::default());
//! let text = "President Putin met Kim in Vladivostok, then flew to Moscow.";
//! let found = ex.extract(text);
//! let names: Vec<&str> = found.mentions.iter().map(|m| m.text.as_str()).collect();
//! assert_eq!(names, ["Vladivostok", "Moscow"]);
//! // Offsets count Unicode scalar values, end exclusive.
//! assert_eq!(found.mentions[0].start, 27);
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! # Limits
//!
//! Names are found only as the gazetteer spells them (any of its names, in
//! any of its layers, ignoring case and accents). Streets, buildings and
//! natural features are found only when the gazetteer holds them.

mod demonyms;
pub mod disambiguate;
mod error;
pub mod filters;
pub mod journey;
mod lexicon;
pub mod spans;
pub mod text;

pub use error::ExtractError;
pub use journey::{Journey, Stop};

use crate::gazetteer::{fold, Gazetteer, Place, PlaceKind};
use disambiguate::Group;
use spans::{Cand, Lookup, Span};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use text::Token;

/// People a region needs to be read where its name opens a longer name
/// ("Minnesota House"): a first-level region of a country, not a parish of
/// a few hundred people whose name is also a first name.
const WEAK_REGION_MIN_POPULATION: u64 = 100_000;

/// How to read a text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions {
    /// Count adjectives and demonyms ("Russian", "North Koreans") as
    /// mentions of their country.
    pub adjectives: bool,
    /// Also list the names matched and then set aside, with the reason
    /// ([`Extraction::rejected`]), to see why a name was not taken.
    pub explain: bool,
}

/// A name of the gazetteer matched in the text and then set aside.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset past the end.
    pub end: usize,
    /// The text as written.
    pub text: String,
    /// Why it was set aside.
    pub reason: String,
}

/// A place named in a text.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Offset of the first character, in Unicode scalar values from the
    /// start of the text.
    pub start: usize,
    /// Offset past the last character (end exclusive).
    pub end: usize,
    /// The same span in bytes.
    pub bytes: Range<usize>,
    /// The text as written.
    pub text: String,
    /// The place chosen; `None` for a name recognised by its form ("Laurel
    /// County") that the gazetteer does not hold.
    pub place: Option<Place>,
    /// How sure, `0..=1`.
    pub confidence: f64,
    /// An adjective or demonym ("Russian") counted for its country.
    pub adjective: bool,
    /// The gazetteer holds the name (else it is named by its form).
    pub(crate) known: bool,
}

/// The places of one text.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The text read (for HTML: the text shown).
    pub text: String,
    /// Mentions in text order.
    pub mentions: Vec<Mention>,
    /// With [`ExtractOptions::explain`]: the names set aside, in text order.
    pub rejected: Vec<Rejection>,
}

/// Reads texts for places; keeps what it looked up between texts.
#[derive(Debug)]
pub struct Extractor<'g> {
    gaz: &'g Gazetteer,
    lookup: Lookup,
    options: ExtractOptions,
    demonyms: demonyms::Table,
}

impl<'g> Extractor<'g> {
    /// An extractor over the names of `gaz`.
    pub fn new(gaz: &'g Gazetteer, options: ExtractOptions) -> Extractor<'g> {
        Extractor {
            gaz,
            lookup: Lookup::new(gaz),
            options,
            demonyms: demonyms::Table::builtin(),
        }
    }

    /// The places of an HTML page (its shown text).
    pub fn extract_html(&mut self, html: &str) -> Extraction {
        self.extract(&text::strip_html(html))
    }

    /// The places of a plain text.
    pub fn extract(&mut self, text: &str) -> Extraction {
        let tokens = text::tokenise(text);
        let found = spans::find(text, &tokens, &self.lookup);
        let ctx = filters::Context::new(text, &tokens, &found);
        let verdicts: Vec<_> = (0..found.len()).map(|k| ctx.check(k)).collect();
        // A name once part of a person's name is that person throughout
        // ("Kim Jong Un" … "Kim said").
        // So is a name given an age ("Keith, 51, of Blue Springs").
        let people: HashSet<&str> = found
            .iter()
            .zip(&verdicts)
            .filter(|(s, v)| {
                s.first == s.last
                    && (matches!(
                        v,
                        Err(filters::Rejected::Person | filters::Rejected::Disease)
                    ) || ctx.aged(s))
            })
            .map(|(s, _)| s.text(text))
            .collect();
        // "Canadian" is an adjective here, not the town in Texas, and
        // "North Korean" not a name of North Korea (without --adjectives).
        let adjective = |s: &Span| self.demonyms.is_form(s.text(text));
        let mut rejected: Vec<(Span, String)> = Vec::new();
        let mut kept: Vec<(Span, bool)> = Vec::new();
        let mut opening = Vec::new();
        for (s, v) in found.iter().zip(&verdicts) {
            use filters::Rejected as R;
            let why = match v {
                Ok(()) | Err(R::Speaker) => {
                    if people.contains(s.text(text)) {
                        Some("a person's name, or a disease's, elsewhere in the text".to_string())
                    } else if adjective(s) {
                        Some("an adjective or demonym".to_string())
                    } else {
                        None
                    }
                }
                Err(R::Opens | R::Body | R::InName) => {
                    opening.push((s, *v));
                    continue;
                }
                Err(r) => Some(format!("{r:?}")),
            };
            match why {
                None => kept.push((s.clone(), false)),
                Some(why) if self.options.explain => rejected.push((s.clone(), why)),
                Some(_) => {}
            }
        }
        // "Columbus Police Department", "Columbus North": a name that is a
        // place elsewhere in the text is that place where it opens (or sits
        // in) a longer name too; one that opens a name is kept otherwise
        // only if it names a country or region ("Minnesota House").
        let places: HashSet<String> = kept.iter().map(|(s, _)| fold(s.text(text))).collect();
        let mut weak = HashSet::new();
        for (s, v) in opening {
            if adjective(s) || people.contains(s.text(text)) {
                if self.options.explain {
                    rejected.push((s.clone(), "an adjective, or a person's name".to_string()));
                }
                continue;
            }
            let again = places.contains(&fold(s.text(text)));
            if again || v != Err(filters::Rejected::InName) {
                if !again {
                    weak.insert(s.start);
                }
                kept.push((s.clone(), false));
            } else if self.options.explain {
                rejected.push((s.clone(), "InName".to_string()));
            }
        }
        kept.sort_by_key(|(s, _)| s.start);
        if self.options.adjectives {
            let places: Vec<Span> = kept.iter().map(|(s, _)| s.clone()).collect();
            for s in self.demonyms.find(text, &tokens, &places) {
                kept.push((s, true));
            }
            kept.sort_by_key(|(s, _)| s.start);
        }
        // A name once read as part of a longer name ("Kim Jong Un") is only
        // kept elsewhere for a prominent place (not "Gainesville Sun").
        let suspects: HashSet<String> = found
            .iter()
            .zip(&verdicts)
            .filter(|(s, v)| {
                matches!(
                    v,
                    Err(filters::Rejected::InName
                        | filters::Rejected::Opens
                        | filters::Rejected::Speaker)
                ) && s.first == s.last
            })
            .map(|(s, _)| fold(s.text(text)))
            .collect();
        // "in DeKalb", "LAWRENCEBURG —": a cue that says place overrides
        // the name's use in a longer name elsewhere, for every use of the
        // name in the text ("Ozark police", "Ozark Dodge", "in Ozark").
        let cued: HashSet<usize> = kept
            .iter()
            .filter(|(s, _)| ctx.place_cue(s))
            .map(|(s, _)| s.start)
            .collect();
        let cued_names: HashSet<String> = kept
            .iter()
            .filter(|(s, _)| cued.contains(&s.start))
            .map(|(s, _)| fold(s.text(text)))
            .collect();
        let (mut groups, of_span) = self.group(text, &tokens, &kept);
        let mut mentions = self.resolve(text, &tokens, &kept, &groups, &of_span);
        let mut verdicts = sift(&mentions, &weak, &suspects, &cued, &cued_names);
        // The names that stay out of the results ("Thomas" of a person's
        // name) do not vote for the others: choose again without them.
        let mut votes = vec![false; groups.len()];
        for (&g, v) in of_span.iter().zip(&verdicts) {
            votes[g] |= v.is_none();
        }
        if votes.iter().any(|v| !v) {
            for (group, v) in groups.iter_mut().zip(votes) {
                group.votes = v;
            }
            mentions = self.resolve(text, &tokens, &kept, &groups, &of_span);
            verdicts = sift(&mentions, &weak, &suspects, &cued, &cued_names);
        }
        let mut out = Vec::with_capacity(mentions.len());
        let mut rejections = Vec::new();
        for (m, why) in mentions.into_iter().zip(verdicts) {
            match why {
                None => out.push(m),
                Some(why) if self.options.explain => rejections.push(Rejection {
                    start: m.start,
                    end: m.end,
                    text: m.text,
                    reason: why.to_string(),
                }),
                Some(_) => {}
            }
        }
        if self.options.explain {
            let mut chars = CharCounter::new(text);
            rejected.sort_by_key(|(s, _)| s.start);
            for (s, why) in rejected {
                rejections.push(Rejection {
                    start: chars.at(s.start),
                    end: chars.at(s.end),
                    text: s.text(text).to_string(),
                    reason: why,
                });
            }
            rejections.sort_by_key(|r| r.start);
        }
        Extraction {
            text: text.to_string(),
            mentions: out,
            rejected: rejections,
        }
    }

    /// The names of the kept spans, each with its candidates, and the name
    /// of every span.
    fn group(
        &mut self,
        text: &str,
        tokens: &[Token],
        kept: &[(Span, bool)],
    ) -> (Vec<Group>, Vec<usize>) {
        let mut group_of: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut of_span = Vec::with_capacity(kept.len());
        for (s, adjective) in kept {
            let surface = s.text(text);
            let key = if *adjective {
                format!("\u{1}{surface}")
            } else {
                fold(surface)
            };
            let g = *group_of.entry(key).or_insert_with(|| {
                groups.push(Group {
                    cands: self.cands(surface, s, *adjective),
                    qualifiers: Vec::new(),
                    mentions: 0,
                    votes: true,
                });
                groups.len() - 1
            });
            groups[g].mentions += 1;
            of_span.push(g);
        }
        // "Portland, Maine": the second qualifies the first.
        for k in 1..kept.len() {
            let (a, b) = (&kept[k - 1].0, &kept[k].0);
            let comma = tokens.get(a.last + 1).is_some_and(|t| t.text(text) == ",");
            if comma && b.first == a.last + 2 && of_span[k] != of_span[k - 1] {
                let q = of_span[k];
                groups[of_span[k - 1]].qualifiers.push(q);
            }
        }
        (groups, of_span)
    }

    /// Stage 4 for the kept spans: the place of every name in context.
    fn resolve(
        &mut self,
        text: &str,
        tokens: &[Token],
        kept: &[(Span, bool)],
        groups: &[Group],
        of_span: &[usize],
    ) -> Vec<Mention> {
        let choices = disambiguate::choose(groups);
        let mut chars = CharCounter::new(text);
        kept.iter()
            .zip(of_span)
            .map(|((s, adjective), &g)| {
                let choice = choices[g];
                let cand = choice.map(|c| &groups[g].cands[c.cand]);
                let certainty = match cand {
                    Some(c) if c.primary || *adjective => 1.0,
                    Some(_) => 0.85,
                    None => 0.5,
                } * if tokens[s.first].sentence_start {
                    0.9
                } else {
                    1.0
                };
                Mention {
                    start: chars.at(s.start),
                    end: chars.at(s.end),
                    bytes: s.start..s.end,
                    text: s.text(text).to_string(),
                    place: cand.map(|c| c.place.clone()),
                    confidence: choice.map_or(1.0, |c| c.confidence) * certainty,
                    adjective: *adjective,
                    known: s.known,
                }
            })
            .collect()
    }

    /// The candidates of a span: places of its name, or the country of an
    /// adjective.
    fn cands(&mut self, surface: &str, s: &Span, adjective: bool) -> Vec<Cand> {
        if adjective {
            let Some((code, name)) = self.demonyms.country_of(surface) else {
                return Vec::new();
            };
            let (code, name) = (code.to_string(), name.to_string());
            return self.country(&code, &name).into_iter().collect();
        }
        if !s.known {
            return Vec::new();
        }
        self.lookup.candidates(surface).as_ref().clone()
    }

    /// The country `code`, by its English `name`.
    fn country(&mut self, code: &str, name: &str) -> Option<Cand> {
        let found = self.lookup.candidates(name);
        if let Some(c) = found
            .iter()
            .find(|c| c.place.kind() == PlaceKind::Country && c.place.country() == code)
        {
            return Some(c.clone());
        }
        let r = self
            .gaz
            .resolve(name, &crate::gazetteer::ResolveOptions::default())
            .ok()?;
        Some(Cand {
            place: r.best.place,
            primary: true,
            curated: false,
        })
    }
}

/// Which mentions stay out of the results, and why (None: kept): a county
/// named bare with no other place of its state; a name used in a longer
/// name elsewhere that is no prominent place; one that opens a longer name
/// (`weak`, by byte offset) and is no country or region.
fn sift(
    mentions: &[Mention],
    weak: &HashSet<usize>,
    suspects: &HashSet<String>,
    cued: &HashSet<usize>,
    cued_names: &HashSet<String>,
) -> Vec<Option<&'static str>> {
    // A county named without "County" ("Kanawha", "Sarpy") where the
    // text places something else in its state; else the word is a
    // surname or a common word ("Ray Chambers", "Hand, foot and mouth").
    let bare_county = |m: &Mention| {
        m.place
            .as_ref()
            .is_some_and(|p| p.kind() == PlaceKind::County && fold(p.name()) != fold(&m.text))
    };
    let states: HashSet<(String, String)> = mentions
        .iter()
        .filter(|m| !bare_county(m))
        .filter_map(|m| m.place.as_ref())
        .filter_map(|p| {
            let region = match p.kind() {
                PlaceKind::Region if p.admin1().is_empty() => p.name(),
                _ => p.admin1(),
            };
            (!region.is_empty()).then(|| (p.country().to_string(), fold(region)))
        })
        .collect();
    mentions
        .iter()
        .map(|m| {
            if bare_county(m) {
                let p = m.place.as_ref().expect("a county");
                if !states.contains(&(p.country().to_string(), fold(p.admin1()))) {
                    return Some(
                        "a county without \"County\", none of its state's places in the text",
                    );
                }
            }
            // A name whose every place was ruled out by its spelling ("IRS"
            // is no town Irs) is no mention; an area named by its form
            // ("Laurel County", "Gainesville, Ga.") is, placed or not.
            let placed = m.place.is_some() || !m.known || lexicon::us_state(&m.text).is_some();
            let prominent = m.adjective
                || !suspects.contains(&fold(&m.text))
                || cued.contains(&m.bytes.start)
                || cued_names.contains(&fold(&m.text))
                || m.place.as_ref().is_some_and(|p| match p.kind() {
                    PlaceKind::Country | PlaceKind::Region => true,
                    // A city by its own name and of some size: not "Bush"
                    // (George Bush) for Būsh in Egypt, nor "Lewis" for an
                    // alternate name of St. George's.
                    PlaceKind::City => p.population() >= 100_000 && fold(p.name()) == fold(&m.text),
                    _ => false,
                });
            // A country, a region of some size ("Minnesota House"), not a
            // parish of the Isle of Man called Michael ("Michael Thomas").
            let area = !m.known
                || m.place.as_ref().is_some_and(|p| match p.kind() {
                    PlaceKind::Country | PlaceKind::County => true,
                    PlaceKind::Region => p.population() >= WEAK_REGION_MIN_POPULATION,
                    _ => false,
                });
            let why = match (placed, prominent) {
                _ if weak.contains(&m.bytes.start) && !area => {
                    "opens a longer name, and names no country or region"
                }
                (true, true) => return None,
                (false, _) => "no place of that spelling",
                (true, false) => "part of a longer name elsewhere, and no prominent place",
            };
            Some(why)
        })
        .collect()
}

/// Checks raw input: UTF-8 (a byte-order mark is dropped) and not empty.
/// `input` names it in errors.
///
/// # Errors
///
/// [`ExtractError::NotUtf8`] with the offset and line of the first bad
/// byte, [`ExtractError::Empty`].
pub fn decode(bytes: &[u8], input: &str) -> Result<String, ExtractError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            return Err(ExtractError::NotUtf8 {
                input: input.to_string(),
                offset,
                line,
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty {
            input: input.to_string(),
        });
    }
    Ok(text.to_string())
}

/// Byte offsets to character offsets, for offsets given in increasing
/// order (else it starts again from the beginning).
struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    fn new(text: &'t str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}
