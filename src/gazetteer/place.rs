//! A named place with a valid position.

use crate::{Error, Result};
use geo::Point;
use std::fmt;
use std::str::FromStr;

/// What sort of place a [`Place`] is.
///
/// The order of the variants is the order of preference when two places
/// match a name equally well (see [`crate::gazetteer`]'s ranking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    /// A sovereign state or dependent territory.
    Country,
    /// A city.
    City,
    /// A first- or second-level administrative region.
    Region,
    /// A town.
    Town,
    /// A launch site or cosmodrome.
    Spaceport,
    /// A border crossing.
    BorderCrossing,
    /// A railway station.
    Station,
    /// An airport.
    Airport,
    /// A sea or river port.
    Port,
    /// A village or hamlet.
    Village,
    /// A landmark, building or other named spot.
    Landmark,
    /// A bare coordinate typed by the user.
    Point,
}

impl PlaceKind {
    /// Every kind, in order of preference.
    pub const ALL: [PlaceKind; 12] = [
        PlaceKind::Country,
        PlaceKind::City,
        PlaceKind::Region,
        PlaceKind::Town,
        PlaceKind::Spaceport,
        PlaceKind::BorderCrossing,
        PlaceKind::Station,
        PlaceKind::Airport,
        PlaceKind::Port,
        PlaceKind::Village,
        PlaceKind::Landmark,
        PlaceKind::Point,
    ];

    /// The name used in files and output, e.g. `border_crossing`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::City => "city",
            PlaceKind::Region => "region",
            PlaceKind::Town => "town",
            PlaceKind::Spaceport => "spaceport",
            PlaceKind::BorderCrossing => "border_crossing",
            PlaceKind::Station => "station",
            PlaceKind::Airport => "airport",
            PlaceKind::Port => "port",
            PlaceKind::Village => "village",
            PlaceKind::Landmark => "landmark",
            PlaceKind::Point => "point",
        }
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlaceKind {
    type Err = String;

    /// Parses a kind name; the error lists the names allowed.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        PlaceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("{s:?} is not a place kind (one of {})", names.join(", "))
            })
    }
}

/// A named place on the WGS 84 ellipsoid.
///
/// # Invariants
///
/// 1. The latitude is finite and in `-90..=90`, the longitude finite and in
///    `-180..=180`: a `Place` with a bad position cannot be built.
/// 2. The name is not empty.
///
/// ```
/// use routemap::gazetteer::{Place, PlaceKind};
/// // lat, lon order, as people write it.
/// let p = Place::new("khasan", "Khasan", 42.4297, 130.6453)
///     .unwrap()
///     .with_kind(PlaceKind::Town)
///     .with_country("RU");
/// assert_eq!(p.point().x(), 130.6453); // x is the longitude
/// assert!(Place::new("x", "Nowhere", 91.0, 0.0).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    id: String,
    name: String,
    alt_names: Vec<String>,
    point: Point,
    kind: PlaceKind,
    country: String,
    admin1: String,
    population: u64,
    source: String,
    note: String,
}

/// Checks a latitude and longitude in degrees; the error says which is wrong.
pub(crate) fn check_lat_lon(lat: f64, lon: f64) -> std::result::Result<(), String> {
    if !lat.is_finite() {
        return Err(format!("latitude {lat} is not a finite number"));
    }
    if !lon.is_finite() {
        return Err(format!("longitude {lon} is not a finite number"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is out of range -90..90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is out of range -180..180"));
    }
    Ok(())
}

impl Place {
    /// A place called `name` at latitude `lat`, longitude `lon` (degrees,
    /// WGS 84 — note the people's order, latitude first). Kind defaults to
    /// [`PlaceKind::Landmark`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCoordinate`] for a position out of range or not
    /// finite, [`Error::EmptyName`] for an empty name.
    pub fn new(id: impl Into<String>, name: impl Into<String>, lat: f64, lon: f64) -> Result<Self> {
        let name = name.into().trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyName);
        }
        check_lat_lon(lat, lon).map_err(|reason| Error::InvalidCoordinate {
            input: format!("{lat},{lon}"),
            reason,
        })?;
        Ok(Place {
            id: id.into(),
            name,
            alt_names: Vec::new(),
            point: Point::new(lon, lat),
            kind: PlaceKind::Landmark,
            country: String::new(),
            admin1: String::new(),
            population: 0,
            source: String::new(),
            note: String::new(),
        })
    }

    /// Sets the alternate names (other spellings, scripts, languages).
    pub fn with_alt_names(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.alt_names = names
            .into_iter()
            .map(|n| n.into().trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        self
    }

    /// Sets the kind.
    pub fn with_kind(mut self, kind: PlaceKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the ISO 3166-1 alpha-2 country code (stored upper case).
    pub fn with_country(mut self, code: impl AsRef<str>) -> Self {
        self.country = code.as_ref().trim().to_ascii_uppercase();
        self
    }

    /// Sets the first-level region name.
    pub fn with_admin1(mut self, admin1: impl Into<String>) -> Self {
        self.admin1 = admin1.into();
        self
    }

    /// Sets the population (0 when unknown).
    pub fn with_population(mut self, population: u64) -> Self {
        self.population = population;
        self
    }

    /// Sets where the coordinates come from, e.g. `geonames:1871859`.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Sets a free-text note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// Stable identifier within its gazetteer.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The primary name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Other names the place is known by.
    pub fn alt_names(&self) -> &[String] {
        &self.alt_names
    }
    /// The primary name followed by every alternate name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.alt_names.iter().map(String::as_str))
    }
    /// The position: `x` = longitude, `y` = latitude, degrees WGS 84.
    pub fn point(&self) -> Point {
        self.point
    }
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.point.y()
    }
    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.point.x()
    }
    /// What sort of place it is.
    pub fn kind(&self) -> PlaceKind {
        self.kind
    }
    /// ISO 3166-1 alpha-2 code, upper case; empty when unknown.
    pub fn country(&self) -> &str {
        &self.country
    }
    /// First-level region; empty when unknown.
    pub fn admin1(&self) -> &str {
        &self.admin1
    }
    /// Population; 0 when unknown.
    pub fn population(&self) -> u64 {
        self.population
    }
    /// Where the coordinates come from.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// Free-text note.
    pub fn note(&self) -> &str {
        &self.note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_nan() {
        for (lat, lon) in [
            (90.5, 0.0),
            (0.0, -180.1),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
        ] {
            assert!(Place::new("x", "X", lat, lon).is_err(), "{lat},{lon}");
        }
        assert!(Place::new("x", "X", -90.0, 180.0).is_ok());
    }

    #[test]
    fn rejects_empty_name() {
        assert!(matches!(
            Place::new("x", "  ", 0.0, 0.0),
            Err(Error::EmptyName)
        ));
    }

    #[test]
    fn kind_round_trips_through_text() {
        for k in PlaceKind::ALL {
            assert_eq!(k.as_str().parse::<PlaceKind>().unwrap(), k);
        }
        assert_eq!(
            "Border crossing".parse::<PlaceKind>().unwrap(),
            PlaceKind::BorderCrossing
        );
        assert!("volcano"
            .parse::<PlaceKind>()
            .unwrap_err()
            .contains("one of country"));
    }
}
