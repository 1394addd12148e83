//! Stage 1: the text as a reader sees it, cut into words.
//!
//! HTML is reduced to its shown text first ([`strip_html`]): tags dropped,
//! block elements ending lines, `script`, `style` and `head` left out,
//! character references decoded, runs of white space shown as one space.
//! Offsets of mentions are then offsets into that text.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits, with inner apostrophes ("O'Fallon"), the dots of
    /// an abbreviation ("U.S.", "St.") and nothing else.
    Word,
    /// One character of punctuation.
    Punct,
}

/// A word or a punctuation mark of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset past the last byte.
    pub end: usize,
    /// Word or punctuation.
    pub kind: Kind,
    /// The first word of a sentence, of a line, or of a heading written in
    /// title case: its capital says nothing about it being a name.
    pub sentence_start: bool,
    /// The first character is upper case.
    pub capitalised: bool,
    /// Only white space on one line lies between this token and the one
    /// before.
    pub joined: bool,
}

impl Token {
    /// The token's text in `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Abbreviations whose dot does not end a sentence (lower case, no dot).
const ABBREVIATIONS: &[&str] = &[
    "ala", "ariz", "ark", "ave", "blvd", "calif", "capt", "co", "col", "colo", "conn", "corp",
    "dr", "fla", "ft", "ga", "gen", "gov", "ill", "inc", "ind", "jr", "kan", "ky", "la", "lt",
    "mass", "md", "mich", "minn", "miss", "mo", "mr", "mrs", "ms", "mt", "neb", "nev", "no",
    "okla", "ore", "pa", "prof", "rep", "rev", "sen", "sgt", "sr", "st", "tenn", "tex", "va", "vs",
    "vt", "wash", "wis", "wyo",
];

/// Cuts `text` into tokens.
pub fn tokenise(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut sentence_start = true;
    let mut gap_newline = false;
    let mut gap_any = false;
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            gap_newline |= c == '\n';
            gap_any = true;
            chars.next();
            continue;
        }
        let joined = !out.is_empty() && !gap_newline;
        let _ = gap_any;
        if gap_newline {
            sentence_start = true;
        }
        let end = if c.is_alphanumeric() {
            word_end(text, i)
        } else {
            i + c.len_utf8()
        };
        while chars.peek().is_some_and(|&(j, _)| j < end) {
            chars.next();
        }
        let kind = if c.is_alphanumeric() {
            Kind::Word
        } else {
            Kind::Punct
        };
        out.push(Token {
            start: i,
            end,
            kind,
            sentence_start: sentence_start && kind == Kind::Word,
            capitalised: c.is_uppercase(),
            joined,
        });
        if kind == Kind::Word {
            sentence_start = false;
        } else if matches!(c, '.' | '!' | '?' | ':' | '•' | '|' | '"' | '“' | '(' | '—') {
            // A quotation or a parenthesis opens a new run of words whose
            // first capital means nothing either.
            sentence_start = true;
        }
        gap_newline = false;
        gap_any = false;
    }
    mark_headings(text, &mut out);
    out
}

/// The end of the word starting at byte `i`.
fn word_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut end = i;
    let mut it = text[i..].char_indices().peekable();
    while let Some((k, c)) = it.next() {
        let at = i + k;
        if c.is_alphanumeric() {
            end = at + c.len_utf8();
            continue;
        }
        // An inner apostrophe, but not a possessive "'s".
        if matches!(c, '\'' | '’') {
            let next = it.peek().map(|&(_, n)| n);
            let after = text[at + c.len_utf8()..].chars().nth(1);
            let possessive =
                matches!(next, Some('s' | 'S')) && !after.is_some_and(char::is_alphanumeric);
            if next.is_some_and(char::is_alphabetic) && !possessive {
                continue;
            }
        }
        if c == '.' {
            let word = &text[i..at];
            // "U.S.", "D.C.": single letters between dots.
            let next_letter = b.get(at + 1).is_some_and(u8::is_ascii_alphabetic)
                && !b.get(at + 2).is_some_and(u8::is_ascii_alphabetic);
            let dotted = word.split('.').all(|p| p.chars().count() == 1)
                || (word.contains('.') && super::lexicon::us_state(&format!("{word}.")).is_some());
            if word.len() == 1 && b.get(at + 1) == Some(&b'V') && text[at + 1..].starts_with("Va.")
            {
                continue;
            }
            if dotted && next_letter {
                continue;
            }
            if dotted && word.contains('.') {
                return at + 1;
            }
            let lower = word.to_ascii_lowercase();
            if ABBREVIATIONS.binary_search(&lower.as_str()).is_ok() {
                return at + 1;
            }
        }
        break;
    }
    end
}

/// Marks every word of a heading line (most of its longer words
/// capitalised, no sentence end inside) as a sentence start.
fn mark_headings(text: &str, tokens: &mut [Token]) {
    let mut line = 0;
    while line < tokens.len() {
        let mut end = line + 1;
        while end < tokens.len() && tokens[end].joined {
            end += 1;
        }
        let words: Vec<&Token> = tokens[line..end]
            .iter()
            .filter(|t| t.kind == Kind::Word && t.text(text).chars().count() > 3)
            .collect();
        let caps = words.iter().filter(|t| t.capitalised).count();
        let ends_sentence = tokens[line..end]
            .iter()
            .any(|t| t.kind == Kind::Punct && matches!(t.text(text), "." | "?" | "!"));
        if words.len() >= 2 && caps * 4 >= words.len() * 3 && !ends_sentence {
            for t in &mut tokens[line..end] {
                t.sentence_start |= t.kind == Kind::Word;
            }
        }
        line = end;
    }
}

/// Whether `bytes` look like HTML: a doctype or an `<html>`, `<body>`,
/// `<p>`, `<div>` tag near the start.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html")
        || ["<html", "<body", "<head", "<p>", "<div", "<article"]
            .iter()
            .any(|t| head.contains(t))
}

/// Elements whose content is not shown.
const HIDDEN: &[&str] = &["head", "noscript", "script", "style", "svg", "template"];

/// Elements that end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// The text an HTML page shows.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut hidden: Option<String> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if hidden.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if hidden.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(h) = &hidden {
            if closing && *h == name {
                hidden = None;
            }
            continue;
        }
        if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            hidden = Some(name);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            end_line(&mut out);
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Appends text between tags: references decoded, white space collapsed.
fn push_text(out: &mut String, raw: &str) {
    let mut rest = raw;
    while !rest.is_empty() {
        let (c, len) = match rest.strip_prefix('&').and_then(reference) {
            Some((c, len)) => (c, len + 1),
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            }
        };
        rest = &rest[len..];
        if c.is_whitespace() && c != '\u{a0}' {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }
}

/// Ends the current line (once).
fn end_line(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The character of a reference after its `&`, and the bytes it took
/// (with its `;`).
fn reference(s: &str) -> Option<(char, usize)> {
    let semi = s.get(..12.min(s.len()))?.find(';')?;
    let name = &s[..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '–',
            "mdash" => '—',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "hellip" => '…',
            "eacute" => 'é',
            "egrave" => 'è',
            "uuml" => 'ü',
            "ouml" => 'ö',
            "auml" => 'ä',
            "ccedil" => 'ç',
            "ntilde" => 'ñ',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenise(text)
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.text(text))
            .collect()
    }

    #[test]
    fn abbreviations_and_possessives() {
        assert_eq!(
            words("The U.S. and St. Louis, Russia’s Far East, O'Fallon."),
            ["The", "U.S.", "and", "St.", "Louis", "Russia", "s", "Far", "East", "O'Fallon"]
        );
    }

    #[test]
    fn sentence_starts() {
        let text = "Reading is fun. Then Nice.\nMobile";
        let starts: Vec<&str> = tokenise(text)
            .iter()
            .filter(|t| t.sentence_start)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(starts, ["Reading", "Then", "Mobile"]);
    }

    #[test]
    fn html_shows_its_text() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
                    <p>Kim left  P&#39;yongyang&nbsp;for<br>Khasan &amp; more</p>\
                    <script>var x = '<p>Paris</p>';</script><!-- Rome --></body></html>";
        assert!(looks_like_html(html));
        assert_eq!(strip_html(html), "Kim left P'yongyang for\nKhasan & more");
    }
}
