//! Country adjectives and demonyms (`--adjectives`), from
//! `gazetteer/demonyms/demonyms.tsv` (built by `tools/build_demonyms.py`).

use super::spans::Span;
use super::text::{Kind, Token};
use std::collections::HashMap;

const TABLE: &str = include_str!("../../gazetteer/demonyms/demonyms.tsv");

/// Form as written -> (ISO code, country name).
#[derive(Debug)]
pub struct Table {
    forms: HashMap<&'static str, (&'static str, &'static str)>,
    /// Words in the longest form.
    longest: usize,
}

impl Table {
    /// The table compiled in.
    pub fn builtin() -> Table {
        let mut forms = HashMap::new();
        let mut longest = 1;
        for line in TABLE.lines().skip(1) {
            let mut f = line.split('\t');
            if let (Some(form), Some(code), Some(name)) = (f.next(), f.next(), f.next()) {
                longest = longest.max(form.split(' ').count());
                forms.insert(form, (code, name));
            }
        }
        Table { forms, longest }
    }

    /// The country of a form (`None` also for a form of several countries).
    pub fn country_of(&self, form: &str) -> Option<(&'static str, &'static str)> {
        self.forms
            .get(form)
            .copied()
            .filter(|(code, _)| !code.is_empty())
    }

    /// Whether `text` is an adjective or demonym of a country ("Russian",
    /// "North Koreans", "Congolese").
    pub fn is_form(&self, text: &str) -> bool {
        self.forms.contains_key(text)
    }

    /// Adjectives and demonyms of `text` outside the place spans `places`,
    /// longest first ("North Korean" before "Korean").
    pub fn find(&self, text: &str, tokens: &[Token], places: &[Span]) -> Vec<Span> {
        let mut covered = vec![false; tokens.len()];
        for s in places {
            covered[s.first..=s.last].iter_mut().for_each(|c| *c = true);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if tokens[i].kind != Kind::Word || !tokens[i].capitalised || covered[i] {
                i += 1;
                continue;
            }
            let mut last = None;
            for j in i..(i + self.longest).min(tokens.len()) {
                if covered[j] || tokens[j].kind != Kind::Word || (j > i && !tokens[j].joined) {
                    break;
                }
                if self
                    .forms
                    .contains_key(&text[tokens[i].start..tokens[j].end])
                {
                    last = Some(j);
                }
            }
            match last {
                Some(l) => {
                    out.push(Span {
                        first: i,
                        last: l,
                        start: tokens[i].start,
                        end: tokens[l].end,
                        known: true,
                    });
                    i = l + 1;
                }
                None => i += 1,
            }
        }
        out
    }
}
