//! The one error type of the library.
//!
//! Every variant carries the context a user needs to fix the input: the
//! file and line, the name that failed, the nearest suggestions. Messages are
//! short, lowercase and say what to do.

use std::path::PathBuf;

/// Everything that can go wrong in routemap.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A place name matched nothing in any gazetteer.
    #[error("unknown place {query:?}{}", suggest(suggestions))]
    UnknownPlace {
        /// What the user typed.
        query: String,
        /// Up to three names that came closest.
        suggestions: Vec<String>,
    },

    /// A place name was empty or only whitespace and punctuation.
    #[error("empty place name: it has no letters or digits")]
    EmptyName,

    /// A query made only of digits and punctuation that is not a
    /// coordinate: no place name is without letters.
    #[error("{query:?} is not a place name (it has no letters) nor a lat,lon coordinate")]
    NotAName {
        /// What the user typed.
        query: String,
    },

    /// A `lat,lon` text that is not a valid coordinate.
    #[error("invalid coordinate {input:?}: {reason}")]
    InvalidCoordinate {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A `Name, Qualifier` whose qualifier names no known country or
    /// first-level region.
    #[error("unknown qualifier {qualifier:?} in {query:?}: not a country or first-level region (state, province) that routemap knows")]
    UnknownQualifier {
        /// The whole query.
        query: String,
        /// The qualifier at fault.
        qualifier: String,
    },

    /// A country filter that names no known country.
    #[error("unknown country {input:?}: use an ISO 3166-1 alpha-2 code such as KP or RU")]
    UnknownCountry {
        /// The text as given.
        input: String,
    },

    /// A route was asked for with fewer than two stops.
    #[error("a route needs at least two stops, got {got}")]
    TooFewStops {
        /// How many stops were given.
        got: usize,
    },

    /// A route's legs do not join its stops one after another.
    #[error("a route with {stops} stops needs {} legs, got {legs}", stops - 1)]
    LegCount {
        /// Number of stops.
        stops: usize,
        /// Number of legs given.
        legs: usize,
    },

    /// Something went wrong while resolving one stop of a route.
    #[error("stop {position}: {error}")]
    Stop {
        /// 1-based position of the stop in the route.
        position: usize,
        /// What went wrong (already part of this error's message).
        error: Box<Error>,
    },

    /// A row of a gazetteer file could not be read.
    #[error("{}:{line}: {}{message}", path.display(), in_column(column))]
    GazetteerRow {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The column at fault, by header name (`-` when the row is wrong
        /// as a whole: the message then names no column).
        column: String,
        /// What is wrong.
        message: String,
    },

    /// A gazetteer file whose structure is wrong as a whole.
    #[error("{}: {message}", path.display())]
    GazetteerFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// A file could not be read.
    #[error("cannot read {}: {}", path.display(), io_reason(error))]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error (already part of this error's message).
        error: std::io::Error,
    },

    /// A file could not be written.
    #[error("cannot write {}: {reason}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },

    /// A map could not be drawn (bad size, projection, bbox, …).
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),

    /// An option value that is out of range.
    #[error("invalid {option}: {message}")]
    InvalidOption {
        /// The option, e.g. `--max-segment-km`.
        option: String,
        /// What is wrong.
        message: String,
    },

    /// Rail routing failed: a network that cannot be read, a stop too far
    /// from the track, no legal train path between two stops.
    #[error(transparent)]
    Rail(#[from] crate::rail::RailError),

    /// A text could not be read for places (empty, not UTF-8).
    #[error(transparent)]
    Extract(#[from] crate::extract::ExtractError),

    /// An output that cannot be written as asked: an unknown format, an
    /// extension that names another format, an output that is an input.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

/// The I/O error in words, without Rust's "(os error 2)" suffix.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8 text".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

/// `column NAME: ` for a row error's message, nothing when the row is
/// wrong as a whole (`-`): "column -:" told a reader nothing.
fn in_column(column: &str) -> String {
    if column.is_empty() || column == "-" {
        String::new()
    } else {
        format!("column {column}: ")
    }
}

fn suggest(names: &[String]) -> String {
    match names {
        [] => ": check the spelling, or add it with --gazetteer FILE".to_string(),
        _ => format!(": did you mean {}?", names.join(", ")),
    }
}

/// A `Result` with routemap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_place_lists_suggestions() {
        let e = Error::UnknownPlace {
            query: "Pyongyng".into(),
            suggestions: vec!["Pyongyang".into(), "Pyongsong".into()],
        };
        assert_eq!(
            e.to_string(),
            "unknown place \"Pyongyng\": did you mean Pyongyang, Pyongsong?"
        );
    }

    #[test]
    fn unknown_place_without_suggestions_says_what_to_do() {
        let e = Error::UnknownPlace {
            query: "Xq".into(),
            suggestions: vec![],
        };
        assert_eq!(
            e.to_string(),
            "unknown place \"Xq\": check the spelling, or add it with --gazetteer FILE"
        );
    }

    #[test]
    fn row_error_names_file_line_and_column() {
        let e = Error::GazetteerRow {
            path: "mine.tsv".into(),
            line: 3,
            column: "lat".into(),
            message: "\"abc\" is not a number".into(),
        };
        assert_eq!(
            e.to_string(),
            "mine.tsv:3: column lat: \"abc\" is not a number"
        );
    }

    #[test]
    fn a_row_wrong_as_a_whole_names_no_column() {
        let e = Error::GazetteerRow {
            path: "mine.csv".into(),
            line: 2,
            column: "-".into(),
            message: "a quoted field is never closed".into(),
        };
        assert_eq!(e.to_string(), "mine.csv:2: a quoted field is never closed");
    }

    #[test]
    fn stop_error_names_position() {
        let e = Error::Stop {
            position: 2,
            error: Box::new(Error::EmptyName),
        };
        assert_eq!(
            e.to_string(),
            "stop 2: empty place name: it has no letters or digits"
        );
    }
}
