//! Stage 5: the journey a text tells — the stops of a trip in travel
//! order, from the cues news uses.
//!
//! Each place named (not a country or region: those are crossed, not
//! stopped at) is a stop when a cue word stands before it in its clause:
//!
//! - *from*: "left", "departed", "leaving", "set off from";
//! - *via*: "a stop in", "stopped at", "via", "through", "crossed into",
//!   "greeted … at", "visited";
//! - *to*: "arrived (in, at)", "reached", "travelled to", "bound for".
//!
//! A clause that hedges ("expected to", "may", "will") does not make a
//! stop. Stops are ordered from, then via, then to; two stops of the same
//! role are ordered by the days of the week their sentences name, counted
//! from the day of departure. Where nothing but the order of the text
//! orders two stops, or no start or end is named, the journey says so in
//! its `notes` and is not `clear`.

use super::lexicon::WEEKDAYS;
use super::text::{self, Kind};
use super::{Extraction, Mention};
use crate::gazetteer::{Place, PlaceKind};

/// What a stop is to the trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Where the trip starts.
    From,
    /// A stop on the way.
    Via,
    /// Where it ends.
    To,
}

/// A stop of the journey.
#[derive(Debug, Clone)]
pub struct Stop {
    /// The place.
    pub place: Place,
    /// The mention as written.
    pub text: String,
    /// The sentence that placed it.
    pub sentence: String,
    /// The cue word.
    pub cue: String,
    /// Its role.
    pub role: Role,
    /// Day of the week its sentence names (0 Monday … 6 Sunday).
    pub day: Option<usize>,
    /// Byte offset of the mention.
    offset: usize,
}

/// The stops of a text in travel order.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    /// In travel order.
    pub stops: Vec<Stop>,
    /// What is unsure about the order, in words.
    pub notes: Vec<String>,
    /// The order rests on cues alone (start and end named, no two stops
    /// ordered only by the text).
    pub clear: bool,
}

const FROM: &[&str] = &[
    "departed",
    "departing",
    "departs",
    "leaves",
    "leaving",
    "left",
];
const VIA: &[&str] = &[
    "crossed", "crossing", "greeted", "passed", "passing", "stop", "stopped", "stopover",
    "through", "via", "visit", "visited", "visiting",
];
const TO: &[&str] = &[
    "arrival",
    "arrive",
    "arrived",
    "arrives",
    "arriving",
    "destination",
    "reach",
    "reached",
    "reaches",
    "reaching",
];
/// Verbs of travel that make "to" and "for" a cue: "travelled to".
const TRAVEL: &[&str] = &[
    "bound",
    "drove",
    "flew",
    "headed",
    "heading",
    "journeyed",
    "moved",
    "proceeded",
    "returned",
    "rode",
    "sailed",
    "travelled",
    "traveled",
    "went",
];
const HEDGES: &[&str] = &[
    "could",
    "expected",
    "may",
    "might",
    "plan",
    "planned",
    "plans",
    "possibly",
    "should",
    "speculation",
    "will",
    "would",
];

/// Words looked at before a mention for its cue.
const WINDOW: usize = 14;

impl Journey {
    /// The journey told by `ex`.
    pub fn from_extraction(ex: &Extraction) -> Journey {
        let sentences = sentences(&ex.text);
        let mut stops: Vec<Stop> = Vec::new();
        for m in &ex.mentions {
            let Some(stop) = stop_of(&ex.text, &sentences, m) else {
                continue;
            };
            match stops.iter_mut().find(|s| s.place == stop.place) {
                // The strongest cue wins: a start or an end over a via.
                Some(s) if s.role == Role::Via && stop.role != Role::Via => *s = stop,
                Some(s) if s.day.is_none() && stop.day.is_some() && s.role == stop.role => {
                    s.day = stop.day
                }
                Some(_) => {}
                None => stops.push(stop),
            }
        }
        order(stops)
    }
}

/// Byte ranges of the sentences of `text`.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let tokens = text::tokenise(text);
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        let ends = t.kind == Kind::Punct && matches!(t.text(text), "." | "!" | "?");
        let newline = tokens.get(i + 1).is_some_and(|n| !n.joined);
        if ends || newline {
            out.push(start..t.end);
            start = tokens.get(i + 1).map_or(text.len(), |n| n.start);
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// The stop a mention makes, if a cue says so.
fn stop_of(text: &str, sentences: &[std::ops::Range<usize>], m: &Mention) -> Option<Stop> {
    let place = m.place.as_ref()?;
    if m.adjective || matches!(place.kind(), PlaceKind::Country | PlaceKind::Region) {
        return None;
    }
    let s = sentences.iter().find(|s| s.contains(&m.bytes.start))?;
    let before = &text[s.start..m.bytes.start];
    // The clause before the mention, back to a semicolon or a dash.
    let clause_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ';' | '—'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let words: Vec<String> = before[clause_start..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let window = &words[words.len().saturating_sub(WINDOW)..];
    if window.iter().any(|w| HEDGES.contains(&w.as_str())) {
        return None;
    }
    let travel = window.iter().any(|w| TRAVEL.contains(&w.as_str()));
    let (role, cue) = window.iter().rev().find_map(|w| {
        let w = w.as_str();
        if FROM.contains(&w) {
            Some((Role::From, w))
        } else if TO.contains(&w) || (travel && (w == "to" || w == "for")) {
            Some((Role::To, w))
        } else if VIA.contains(&w) {
            Some((Role::Via, w))
        } else {
            None
        }
    })?;
    let sentence = &text[s.clone()];
    Some(Stop {
        place: place.clone(),
        text: m.text.clone(),
        sentence: sentence.split_whitespace().collect::<Vec<_>>().join(" "),
        cue: cue.to_string(),
        role,
        day: weekday(&text[m.bytes.start..s.end]).or_else(|| weekday(sentence)),
        offset: m.bytes.start,
    })
}

/// The first day of the week named in `s`.
fn weekday(s: &str) -> Option<usize> {
    s.split(|c: char| !c.is_alphabetic())
        .find_map(|w| WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(w)))
}

/// Puts the stops in travel order and says what is unsure.
fn order(mut stops: Vec<Stop>) -> Journey {
    let mut notes = Vec::new();
    let start_day = stops
        .iter()
        .filter(|s| s.role == Role::From)
        .find_map(|s| s.day)
        .or_else(|| stops.iter().filter_map(|s| s.day).next());
    let rel = |d: Option<usize>| d.zip(start_day).map(|(d, s)| (d + 7 - s) % 7);
    stops.sort_by_key(|s| (s.role, rel(s.day).unwrap_or(usize::MAX), s.offset));
    let mut clear = stops.len() >= 2;
    if !stops.iter().any(|s| s.role == Role::From) {
        notes.push("no start named (\"left\", \"departed\"): the order is unclear".to_string());
        clear = false;
    }
    if !stops.iter().any(|s| s.role == Role::To) {
        notes.push("no end named (\"arrived\", \"reached\"): the order is unclear".to_string());
        clear = false;
    }
    for w in stops.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.role == b.role && (a.day.is_none() || b.day.is_none() || a.day == b.day) {
            notes.push(format!(
                "the order of {} and {} is only the order of the text",
                a.place.name(),
                b.place.name()
            ));
            clear = false;
        }
        if let (Some(x), Some(y)) = (rel(a.day), rel(b.day)) {
            if x > y {
                notes.push(format!(
                    "{} is named on a later day than {}, which comes after it",
                    a.place.name(),
                    b.place.name()
                ));
                clear = false;
            }
        }
    }
    if stops.len() < 2 {
        notes.push(format!(
            "{} stop{} found: no journey to tell",
            stops.len(),
            if stops.len() == 1 { "" } else { "s" }
        ));
    }
    Journey {
        stops,
        notes,
        clear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Place;

    /// An extraction of `text` naming the towns `names` (first occurrence
    /// of each).
    fn extraction(text: &str, names: &[&str]) -> Extraction {
        let mentions = names
            .iter()
            .map(|n| {
                let b = text.find(n).unwrap();
                Mention {
                    start: text[..b].chars().count(),
                    end: text[..b].chars().count() + n.chars().count(),
                    bytes: b..b + n.len(),
                    text: n.to_string(),
                    place: Some(
                        Place::new(*n, *n, 0.0, 0.0)
                            .unwrap()
                            .with_kind(PlaceKind::Town),
                    ),
                    confidence: 1.0,
                    adjective: false,
                    known: true,
                }
            })
            .collect();
        Extraction {
            text: text.to_string(),
            mentions,
            rejected: Vec::new(),
        }
    }

    fn names(j: &Journey) -> Vec<&str> {
        j.stops.iter().map(|s| s.place.name()).collect()
    }

    #[test]
    fn weekdays_order_stops_written_out_of_order() {
        let text = "The train arrived at Cairo on Friday. It had left Alexandria on \
                    Wednesday and made a stop in Tanta on Thursday.";
        let j = Journey::from_extraction(&extraction(text, &["Cairo", "Alexandria", "Tanta"]));
        assert_eq!(names(&j), ["Alexandria", "Tanta", "Cairo"]);
        assert!(j.clear, "{:?}", j.notes);
    }

    #[test]
    fn hedged_stops_are_left_out() {
        let text = "He left Paris on Monday and arrived in Lyon on Tuesday. He may \
                    travel to Nice later.";
        let j = Journey::from_extraction(&extraction(text, &["Paris", "Lyon", "Nice"]));
        assert_eq!(names(&j), ["Paris", "Lyon"]);
    }

    #[test]
    fn without_a_start_the_order_is_unclear() {
        let text = "She visited Ghent and then visited Bruges.";
        let j = Journey::from_extraction(&extraction(text, &["Ghent", "Bruges"]));
        assert!(!j.clear);
        assert!(
            j.notes.iter().any(|n| n.contains("no start")),
            "{:?}",
            j.notes
        );
        assert!(
            j.notes.iter().any(|n| n.contains("order of the text")),
            "{:?}",
            j.notes
        );
    }
}
