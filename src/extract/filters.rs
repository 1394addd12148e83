//! Stage 3: the rules a reader uses to reject a span that matched a place
//! name but is not one here — a month, a common word opening a sentence,
//! a person's name, an organisation named after a place.

use super::lexicon::{
    self, CALENDAR, COMMON, DIRECTIONS, LOCATIVE, NEVER_ALONE, ORGANISATION, ROLE_AFTER, SPEECH,
    TITLES,
};
use super::spans::Span;
use super::text::{Kind, Token};
use std::collections::HashSet;

/// Why a span is not taken as a place (for tests and debugging).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// A month or a day of the week.
    Calendar,
    /// A common word where a capital says nothing (a sentence start).
    CommonWord,
    /// Part of a person's name ("President Putin", "Kim Jong Un").
    Person,
    /// Part of an organisation's name ("New York Times").
    Organisation,
    /// Before a verb of speech ("Jones said"): a person, unless the place
    /// is prominent ("Moscow said"); kept for the prominence test.
    Speaker,
    /// Inside a longer name of capitalised words ("Gainesville Sun",
    /// "Choe Sang-Hun").
    InName,
    /// Opening a longer name of capitalised words ("Minnesota House",
    /// "Columbus North"): often the place itself, so kept where the name
    /// is a place elsewhere in the text or names a country or region.
    Opens,
    /// Naming a disease ("Ebola virus", "Lassa fever", "Marburg
    /// disease"): the disease, also where the name stands alone.
    Disease,
    /// Opening the name of a public body named for the area it serves
    /// ("Texas Department of Health", "Paris Police Department"): kept
    /// like [`Rejected::Opens`].
    Body,
}

/// The context of the spans of one text.
pub struct Context<'a> {
    text: &'a str,
    tokens: &'a [Token],
    spans: &'a [Span],
    /// The words the text writes in lower case.
    lower: HashSet<&'a str>,
}

impl<'a> Context<'a> {
    /// The spans of `text`, cut into `tokens`.
    pub fn new(text: &'a str, tokens: &'a [Token], spans: &'a [Span]) -> Context<'a> {
        let lower = tokens
            .iter()
            .filter(|t| t.kind == Kind::Word && !t.capitalised)
            .map(|t| t.text(text))
            .filter(|w| w.starts_with(char::is_lowercase))
            .collect();
        Context {
            text,
            tokens,
            spans,
            lower,
        }
    }

    /// A single word the text also writes in lower case ("Section 2AA"
    /// and "the section"; "Pool operators" and "the pool"): a common word
    /// capitalised, unless a cue says place ("in Reading").
    fn written_lower(&self, s: &Span) -> bool {
        let w = self.tokens[s.first].text(self.text);
        s.first == s.last
            && w.chars().any(char::is_lowercase)
            && self.lower.contains(w.to_lowercase().as_str())
            && !self.place_cue(s)
    }

    /// Whether span number `k` is kept, and if not, why.
    pub fn check(&self, k: usize) -> Result<(), Rejected> {
        let s = &self.spans[k];
        let first = &self.tokens[s.first];
        let lower = first.text(self.text).to_lowercase();
        let single = s.first == s.last;
        let word = lower.trim_end_matches('.');
        if single && lexicon::contains(CALENDAR, word) {
            let weekday = lexicon::WEEKDAYS.contains(&word);
            if weekday || word.len() <= 4 && word != "may" || !self.qualified(k) {
                return Err(Rejected::Calendar);
            }
        }
        if self.written_lower(s) {
            return Err(Rejected::CommonWord);
        }
        let span_text = s.text(self.text).to_lowercase();
        if lexicon::contains(lexicon::INSTITUTIONS, &span_text) {
            return Err(Rejected::Organisation);
        }
        // "And I", "But Then": common words only.
        let all_common = (s.first..=s.last)
            .filter(|&i| self.tokens[i].kind == Kind::Word)
            .all(|i| {
                let w = self.tokens[i].text(self.text).to_lowercase();
                lexicon::contains(COMMON, &w) || lexicon::contains(NEVER_ALONE, &w)
            });
        let function_word = matches!(
            word,
            "a" | "an" | "and" | "as" | "but" | "i" | "if" | "or" | "so" | "the" | "to"
        );
        if !single && all_common && function_word {
            return Err(Rejected::CommonWord);
        }
        // "The city", "A region": a common word and a generic one.
        let last = self.tokens[s.last].text(self.text);
        if !single && lexicon::contains(COMMON, word) && !last.starts_with(char::is_uppercase) {
            return Err(Rejected::CommonWord);
        }
        if first.sentence_start
            && lexicon::contains(COMMON, lower.trim_end_matches('.'))
            && (single || !s.known)
        {
            return Err(Rejected::CommonWord);
        }
        if single
            && (!first.capitalised_word_like(self.text)
                || lexicon::contains(NEVER_ALONE, lower.trim_end_matches('.'))
                || contraction(first.text(self.text)))
        {
            return Err(Rejected::CommonWord);
        }
        if let Some(n) = self.word_after(s.last) {
            let w = self.tokens[n].text(self.text).to_lowercase();
            if !self.tokens[n].capitalised && lexicon::contains(lexicon::DISEASE, &w) {
                return Err(Rejected::Disease);
            }
            if lexicon::contains(SPEECH, &w) {
                return Err(Rejected::Speaker);
            }
        }
        // "Stevens & Wilkinson": a firm of partners.
        let ampersand = self.tokens.get(s.last + 1).is_some_and(|t| {
            t.text(self.text) == "&" && self.tokens.get(s.last + 2).is_some_and(|n| n.capitalised)
        });
        if ampersand {
            return Err(Rejected::Organisation);
        }
        if self.in_byline(s.first) {
            return Err(Rejected::Person);
        }
        self.check_before(s)?;
        self.check_after(s)
    }

    /// A single word followed by an age between commas: "Keith, 51, of
    /// Blue Springs" is a person.
    pub fn aged(&self, s: &Span) -> bool {
        let t = |k: usize| self.tokens.get(s.last + k).map(|t| t.text(self.text));
        t(1) == Some(",")
            && t(2).is_some_and(|n| {
                (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
            })
            && t(3) == Some(",")
    }

    /// A cue that the span is a place where it stands: a preposition of
    /// place before it ("in DeKalb", "from Greer"), or a dateline, the
    /// name in capitals opening a line before a comma or a dash
    /// ("LAWRENCEBURG — ").
    pub fn place_cue(&self, s: &Span) -> bool {
        // "in Obama's stimulus law": the owner, not the place.
        let rest = &self.text[s.end..];
        if rest.starts_with("'s") || rest.starts_with("’s") {
            return false;
        }
        if let Some(p) = self.word_before(s.first) {
            let w = self.tokens[p].text(self.text).to_lowercase();
            return matches!(
                w.as_str(),
                "in" | "from" | "at" | "into" | "near" | "outside" | "downtown"
            );
        }
        let first = &self.tokens[s.first];
        let written = s.text(self.text);
        let caps = written.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && !written.chars().any(char::is_lowercase);
        let dash = self
            .tokens
            .get(s.last + 1)
            .is_some_and(|t| matches!(t.text(self.text), "," | "-" | "—" | "–"));
        first.sentence_start && !first.joined && caps && dash
    }

    /// Token `i` is on a line that opens with "By" and a capitalised word:
    /// the names of the authors.
    fn in_byline(&self, i: usize) -> bool {
        let mut start = i;
        while start > 0 && self.tokens[start].joined {
            start -= 1;
        }
        let by = self.tokens[start].text(self.text) == "By";
        by && self
            .tokens
            .get(start + 1)
            .is_some_and(|t| t.capitalised && t.joined)
    }

    /// Rules on the words before the span.
    fn check_before(&self, s: &Span) -> Result<(), Rejected> {
        let Some(p) = self.word_before(s.first) else {
            return Ok(());
        };
        let pt = &self.tokens[p];
        // "Rep. Jane Doe, D-Plymouth": a legislator's party and home town.
        if matches!(pt.text(self.text), "D" | "R" | "I") && self.hyphen(p + 1) {
            return Ok(());
        }
        let word = pt.text(self.text).trim_end_matches('.').to_lowercase();
        if pt.capitalised && lexicon::contains(TITLES, &word) {
            return Err(Rejected::Person);
        }
        if lexicon::contains(lexicon::MEET, &word) {
            return Err(Rejected::Person);
        }
        // "the news agency Tass", "the newspaper Pravda".
        if !pt.capitalised && lexicon::contains(ORGANISATION, &word) {
            return Err(Rejected::Organisation);
        }
        // "University of Georgia", "Bank of America".
        if word == "of" {
            if let Some(q) = self.word_before(p) {
                let w = self.tokens[q].text(self.text).to_lowercase();
                if self.tokens[q].capitalised && lexicon::contains(ORGANISATION, &w) {
                    return Err(Rejected::Organisation);
                }
            }
        }
        let opener = pt.sentence_start && lexicon::contains(COMMON, &word);
        let in_run = pt.capitalised
            && !opener
            && !lexicon::contains(DIRECTIONS, &word)
            && !self.tokens[s.first].sentence_start;
        if in_run {
            // "President Barack Obama": a run of names after a title.
            let mut q = p;
            while let Some(b) = self.word_before(q) {
                let bt = &self.tokens[b];
                let w = bt.text(self.text).trim_end_matches('.').to_lowercase();
                if bt.capitalised && lexicon::contains(TITLES, &w) {
                    return Err(Rejected::Person);
                }
                if !bt.capitalised || q + 3 < s.first {
                    break;
                }
                q = b;
            }
            return Err(Rejected::InName);
        }
        Ok(())
    }

    /// Rules on the words after the span.
    fn check_after(&self, s: &Span) -> Result<(), Rejected> {
        let Some(n) = self.word_after(s.last) else {
            return Ok(());
        };
        let nt = &self.tokens[n];
        if !nt.capitalised {
            return Ok(());
        }
        let word = nt.text(self.text).trim_end_matches('.').to_lowercase();
        match self.organisation_follows(n) {
            Some(true) => return Err(Rejected::Body),
            Some(false) => return Err(Rejected::Organisation),
            None => {}
        }
        if lexicon::contains(ROLE_AFTER, &word) {
            return Ok(());
        }
        // In a heading every word is capitalised: that says nothing.
        if nt.sentence_start && self.tokens[s.first].sentence_start {
            return Ok(());
        }
        Err(Rejected::Opens)
    }

    /// Whether organisation words are among the capitalised words from
    /// token `n` on ("Gainesville Public Utilities", "Charleston Gold Dome
    /// Lions Club"): `Some(true)` when they name a public body of the area
    /// ("Police Department", "County Council") or a public service first
    /// ([`lexicon::SERVES`]: "High School", "Public Library"), and no
    /// institution of its own (a newspaper, a private school, a company).
    fn organisation_follows(&self, mut n: usize) -> Option<bool> {
        let first = self.tokens[n].text(self.text).to_lowercase();
        if self.tokens[n].capitalised && lexicon::contains(lexicon::SERVES, &first) {
            return Some(true);
        }
        let (mut body, mut other) = (false, false);
        for _ in 0..6 {
            let t = &self.tokens[n];
            if !t.capitalised {
                break;
            }
            let w = t.text(self.text).trim_end_matches('.').to_lowercase();
            if lexicon::contains(lexicon::PUBLIC_BODY, &w) {
                body = true;
            } else if lexicon::contains(ORGANISATION, &w) {
                other = true;
            }
            match self.word_after(n) {
                Some(next) => n = next,
                None => break,
            }
        }
        (body || other).then_some(body && !other)
    }

    /// A month or day written as a place qualified by a region: "May,
    /// Texas"; or after a locative word and before no number.
    fn qualified(&self, k: usize) -> bool {
        let s = &self.spans[k];
        let comma = self
            .tokens
            .get(s.last + 1)
            .is_some_and(|t| t.text(self.text) == ",");
        let next_span = self.spans.get(k + 1).is_some_and(|n| n.first == s.last + 2);
        if comma && next_span {
            return true;
        }
        let after_number = self
            .tokens
            .get(s.last + 1)
            .is_some_and(|t| t.text(self.text).starts_with(|c: char| c.is_ascii_digit()));
        let before_number = s.first > 0
            && self.tokens[s.first - 1]
                .text(self.text)
                .starts_with(|c: char| c.is_ascii_digit());
        let locative = self.word_before(s.first).is_some_and(|p| {
            let w = self.tokens[p].text(self.text).to_lowercase();
            lexicon::contains(LOCATIVE, &w) && w != "in" && w != "from" && w != "to"
        });
        locative && !after_number && !before_number
    }

    /// The word token just before token `i` on the same line, with only
    /// spaces or a hyphen between ("Sang-Hun").
    fn word_before(&self, i: usize) -> Option<usize> {
        let t = &self.tokens[i];
        let mut p = i.checked_sub(1)?;
        if self.hyphen(p) {
            p = p.checked_sub(1)?;
        } else if !t.joined {
            return None;
        }
        (self.tokens[p].kind == Kind::Word).then_some(p)
    }

    /// The word token just after token `i`, with only spaces or a hyphen
    /// between.
    fn word_after(&self, i: usize) -> Option<usize> {
        let mut n = i + 1;
        if self.hyphen(n) {
            n += 1;
        } else if !self.tokens.get(n)?.joined {
            return None;
        }
        (self.tokens.get(n)?.kind == Kind::Word).then_some(n)
    }

    /// Token `i` is a hyphen with words touching it on both sides.
    fn hyphen(&self, i: usize) -> bool {
        let (Some(t), Some(p), Some(n)) = (
            self.tokens.get(i),
            i.checked_sub(1).and_then(|p| self.tokens.get(p)),
            self.tokens.get(i + 1),
        ) else {
            return false;
        };
        t.text(self.text) == "-" && p.end == t.start && n.start == t.end
    }
}

impl Token {
    /// A single word that can be a name: not a lone letter or a number.
    fn capitalised_word_like(&self, text: &str) -> bool {
        let w = self.text(text);
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 || w.contains('.')
    }
}

/// "I've", "We'll": a contraction, not a name.
fn contraction(word: &str) -> bool {
    word.split(['\'', '’'])
        .nth(1)
        .is_some_and(|rest| rest.chars().next().is_some_and(char::is_lowercase))
}
