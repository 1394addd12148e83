//! What a search found before it becomes a [`super::Candidate`]: the hits
//! ranked and deduplicated, and the keys of the names they matched.

use super::index::{self, IdRef};
use super::spelling::Spelling;
use super::{MatchKind, Place, PlaceKind};

/// A candidate before its [`super::Candidate`] is built: what ranking, removing
/// duplicates and the country filter need, read from its layer without
/// building the place (only the candidates reported are built, by
/// [`super::Gazetteer::candidate`]).
#[derive(Debug, Clone)]
pub(super) struct Hit<'g> {
    /// The position of its layer in `Gazetteer::layers` (its priority).
    pub(super) layer: usize,
    /// The place's number in its layer.
    pub(super) entry: u32,
    pub(super) of: Of<'g>,
    /// The place's `id`.
    pub(super) id: IdRef<'g>,
    pub(super) matched: MatchKind,
    pub(super) primary: bool,
    pub(super) name: HitName,
    pub(super) kind: PlaceKind,
    pub(super) population: u64,
    /// Degrees.
    pub(super) lat: f64,
    /// Degrees.
    pub(super) lon: f64,
    pub(super) capital: bool,
    /// Natural Earth scale rank, when known.
    pub(super) scalerank: Option<u8>,
    /// Whether a qualifier of the query kept it.
    pub(super) qualified: bool,
    /// See `prominence`; set by [`super::rank::ranked`] (only ranking reads it).
    pub(super) prominence: f64,
}

/// The place of a [`Hit`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Of<'g> {
    /// In a layer read whole.
    Place(&'g Place),
    /// In an index layer, as read.
    Record(index::Facts<'g>),
}

/// Which name of a [`Hit`] matched.
#[derive(Debug, Clone)]
pub(super) enum HitName {
    /// The place's name number `n` (0 the primary name; in an index layer
    /// always 0).
    Own(usize),
    /// In an index layer, an alternate name matched under the search's key
    /// number `k`, spelled as said, not yet looked up (see
    /// `Gazetteer::fill_names`): the primary name stands for it until then.
    Pending(usize, Spelling),
    /// An alternate name looked up.
    Found(String),
}

impl<'g> Hit<'g> {
    pub(super) fn new(
        layer: usize,
        entry: u32,
        of: Of<'g>,
        matched: MatchKind,
        primary: bool,
        name: HitName,
    ) -> Hit<'g> {
        let (id, kind, population, capital, lat, lon, scalerank) = match of {
            Of::Place(p) => (
                IdRef::new(p.id()),
                p.kind(),
                p.population(),
                p.is_capital(),
                p.lat(),
                p.lon(),
                p.scalerank(),
            ),
            Of::Record(f) => {
                let (lat, lon) = f.lat_lon();
                (
                    f.id(0),
                    f.kind(),
                    f.population(),
                    f.is_capital(),
                    lat,
                    lon,
                    f.scalerank(),
                )
            }
        };
        Hit {
            layer,
            entry,
            of,
            id,
            matched,
            primary,
            name,
            kind,
            population,
            lat,
            lon,
            capital,
            scalerank,
            qualified: false,
            prominence: 0.0,
        }
    }

    /// The country code, as stored.
    pub(super) fn country_text(&self) -> &'g str {
        match self.of {
            Of::Place(p) => p.country(),
            Of::Record(f) => f.country(),
        }
    }

    /// The first-level region, as stored.
    pub(super) fn admin1(&self) -> &'g str {
        match self.of {
            Of::Place(p) => p.admin1(),
            Of::Record(f) => f.admin1(),
        }
    }

    /// The primary name.
    pub(super) fn place_name(&self) -> &'g str {
        match self.of {
            Of::Place(p) => p.name(),
            Of::Record(f) => f.name,
        }
    }

    /// The `source`.
    pub(super) fn source(&self) -> IdRef<'g> {
        match self.of {
            Of::Place(p) => IdRef::new(p.source()),
            Of::Record(f) => f.id(1),
        }
    }

    /// Whether the place is in the country `code` (as its
    /// [`Place::country`] says).
    pub(super) fn in_country(&self, code: &str) -> bool {
        match self.of {
            Of::Place(p) => p.country() == code,
            // As `Place::with_country` stores it.
            Of::Record(f) => {
                let c = f.country().trim();
                c.len() == code.len()
                    && c.bytes()
                        .zip(code.bytes())
                        .all(|(a, b)| a.to_ascii_uppercase() == b)
            }
        }
    }
}

/// The folded names [`HitName::Pending`] refers to: those of the texts
/// tried (numbers 0 and 1), then those found by fuzzy or prefix searches.
#[derive(Debug, Default)]
pub(super) struct Keys {
    pub(super) tried: [String; 2],
    pub(super) found: Vec<String>,
}

impl Keys {
    pub(super) fn get(&self, k: usize) -> &str {
        match k {
            0 | 1 => &self.tried[k],
            _ => self.found.get(k - 2).map_or("", String::as_str),
        }
    }

    /// Adds a key found by a search; returns its number.
    pub(super) fn add(&mut self, key: String) -> usize {
        self.found.push(key);
        self.found.len() + 1
    }
}
