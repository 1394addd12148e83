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
    /// A second-level administrative division: a county, parish or borough.
    County,
    /// A continent.
    Continent,
    /// A large named region that is not an administrative unit: Siberia,
    /// Scandinavia, a peninsula, plain, plateau or basin.
    Area,
    /// A sea, ocean, gulf, bay, strait or sound.
    Sea,
    /// A river.
    River,
    /// A lake or reservoir.
    Lake,
    /// A mountain, peak or mountain range.
    Mountain,
    /// An island or group of islands.
    Island,
    /// A desert.
    Desert,
    /// A national park or protected area.
    Park,
}

impl PlaceKind {
    /// Every kind, in order of preference.
    pub const ALL: [PlaceKind; 22] = [
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
        PlaceKind::County,
        PlaceKind::Continent,
        PlaceKind::Area,
        PlaceKind::Sea,
        PlaceKind::River,
        PlaceKind::Lake,
        PlaceKind::Mountain,
        PlaceKind::Island,
        PlaceKind::Desert,
        PlaceKind::Park,
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
            PlaceKind::County => "county",
            PlaceKind::Continent => "continent",
            PlaceKind::Area => "area",
            PlaceKind::Sea => "sea",
            PlaceKind::River => "river",
            PlaceKind::Lake => "lake",
            PlaceKind::Mountain => "mountain",
            PlaceKind::Island => "island",
            PlaceKind::Desert => "desert",
            PlaceKind::Park => "park",
        }
    }

    /// True for places that are areas rather than points: countries,
    /// regions, counties, continents and the large natural features.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            PlaceKind::Country
                | PlaceKind::Region
                | PlaceKind::County
                | PlaceKind::Continent
                | PlaceKind::Area
                | PlaceKind::Sea
                | PlaceKind::Lake
                | PlaceKind::Island
                | PlaceKind::Desert
        )
    }

    /// True for cities, towns and villages.
    pub fn is_settlement(self) -> bool {
        matches!(self, PlaceKind::City | PlaceKind::Town | PlaceKind::Village)
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
#[derive(Clone, PartialEq)]
pub struct Place {
    /// The texts of the place one after the other, in the order of
    /// [`Field`]: one allocation, where a place read from an index is built
    /// for every answer.
    text: String,
    /// Where each [`Field`] ends in `text`.
    ends: [u32; FIELDS],
    alt_names: Vec<String>,
    point: Point,
    kind: PlaceKind,
    population: u64,
    capital: bool,
    /// West, south, east, north in degrees (`W > E` across the antimeridian).
    bbox: Option<[f64; 4]>,
    /// Natural Earth scale rank (0 the most prominent).
    scalerank: Option<u8>,
}

/// The texts of a [`Place`], in the order they are stored.
#[derive(Clone, Copy)]
enum Field {
    Id,
    Name,
    Country,
    Admin1,
    Source,
    Note,
}

const FIELDS: usize = 6;

impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As it was when every text was a field of its own.
        f.debug_struct("Place")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("alt_names", &self.alt_names)
            .field("point", &self.point)
            .field("kind", &self.kind)
            .field("country", &self.country())
            .field("admin1", &self.admin1())
            .field("population", &self.population)
            .field("capital", &self.capital)
            .field("source", &self.source())
            .field("note", &self.note())
            .finish()
    }
}

/// `text.trim()`, without looking further when neither end is white space
/// (almost always).
pub(crate) fn trim(text: &str) -> &str {
    match text.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        [only] if only.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Whether [`check_lat_lon`] passes, without building its message.
pub(crate) fn lat_lon_ok(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
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
        let name = name.into();
        let name = trim(&name);
        if name.is_empty() {
            return Err(Error::EmptyName);
        }
        check_lat_lon(lat, lon).map_err(|reason| Error::InvalidCoordinate {
            input: format!("{lat},{lon}"),
            reason,
        })?;
        let mut text = id.into();
        let id_end = text.len();
        // Room for a country, a region and a source without growing.
        text.reserve(name.len() + 32);
        text.push_str(name);
        let end = text.len();
        Ok(Place {
            ends: [id_end, end, end, end, end, end].map(|e| e as u32),
            text,
            alt_names: Vec::new(),
            point: Point::new(lon, lat),
            kind: PlaceKind::Landmark,
            population: 0,
            capital: false,
            bbox: None,
            scalerank: None,
        })
    }

    /// A place from every part at once, with one allocation: `id` and
    /// `source` are each given in up to two pieces written one after the
    /// other (a prefix and a number, say). `None` where [`Place::new`]
    /// fails.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        id: [&str; 2],
        name: &str,
        lat: f64,
        lon: f64,
        kind: PlaceKind,
        country: &str,
        admin1: &str,
        population: u64,
        capital: bool,
        source: [&str; 2],
        note: &str,
    ) -> Option<Place> {
        let name = trim(name);
        if name.is_empty() || !lat_lon_ok(lat, lon) {
            return None;
        }
        let country = trim(country);
        let len = id[0].len()
            + id[1].len()
            + name.len()
            + country.len()
            + admin1.len()
            + source[0].len()
            + source[1].len()
            + note.len();
        u32::try_from(len).ok()?;
        let mut text = String::with_capacity(len);
        let mut ends = [0u32; FIELDS];
        text.push_str(id[0]);
        text.push_str(id[1]);
        ends[Field::Id as usize] = text.len() as u32;
        text.push_str(name);
        ends[Field::Name as usize] = text.len() as u32;
        let at = text.len();
        text.push_str(country);
        text[at..].make_ascii_uppercase();
        ends[Field::Country as usize] = text.len() as u32;
        text.push_str(admin1);
        ends[Field::Admin1 as usize] = text.len() as u32;
        text.push_str(source[0]);
        text.push_str(source[1]);
        ends[Field::Source as usize] = text.len() as u32;
        text.push_str(note);
        ends[Field::Note as usize] = text.len() as u32;
        Some(Place {
            text,
            ends,
            alt_names: Vec::new(),
            point: Point::new(lon, lat),
            kind,
            population,
            capital,
            bbox: None,
            scalerank: None,
        })
    }

    fn get(&self, field: Field) -> &str {
        let i = field as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn set(&mut self, field: Field, value: &str) {
        let i = field as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        self.text.replace_range(start..end, value);
        // Texts over 4 GB are not places.
        let grown = value.len() as i64 - (end - start) as i64;
        for e in &mut self.ends[i..] {
            *e = (*e as i64 + grown) as u32;
        }
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
        let code = code.as_ref().trim();
        self.set(Field::Country, code);
        let start = self.ends[Field::Country as usize - 1] as usize;
        self.text[start..start + code.len()].make_ascii_uppercase();
        self
    }

    /// Sets the first-level region name.
    pub fn with_admin1(mut self, admin1: impl Into<String>) -> Self {
        self.set(Field::Admin1, &admin1.into());
        self
    }

    /// Sets the population (0 when unknown).
    pub fn with_population(mut self, population: u64) -> Self {
        self.population = population;
        self
    }

    /// Marks the place as the capital of its country.
    pub fn with_capital(mut self, capital: bool) -> Self {
        self.capital = capital;
        self
    }

    /// Sets where the coordinates come from, e.g. `geonames:1871859`.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.set(Field::Source, &source.into());
        self
    }

    /// Sets the bounding box of an area: west, south, east, north in
    /// degrees (`west > east` for a box across the antimeridian). A box
    /// with a coordinate out of range or south above north is ignored.
    pub fn with_bbox(mut self, bbox: Option<[f64; 4]>) -> Self {
        self.bbox = bbox.filter(|&[w, s, e, n]| lat_lon_ok(s, w) && lat_lon_ok(n, e) && s <= n);
        self
    }

    /// Sets the Natural Earth scale rank (0 the most prominent; ranks of
    /// 31 and above are not kept).
    pub fn with_scalerank(mut self, rank: Option<u8>) -> Self {
        self.scalerank = rank.filter(|r| *r <= 30);
        self
    }

    /// Sets a free-text note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.set(Field::Note, &note.into());
        self
    }

    /// Stable identifier within its gazetteer.
    pub fn id(&self) -> &str {
        self.get(Field::Id)
    }
    /// The primary name.
    pub fn name(&self) -> &str {
        self.get(Field::Name)
    }
    /// Other names the place is known by.
    pub fn alt_names(&self) -> &[String] {
        &self.alt_names
    }
    /// The primary name followed by every alternate name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name()).chain(self.alt_names.iter().map(String::as_str))
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
        self.get(Field::Country)
    }
    /// First-level region; empty when unknown.
    pub fn admin1(&self) -> &str {
        self.get(Field::Admin1)
    }
    /// Population; 0 when unknown.
    pub fn population(&self) -> u64 {
        self.population
    }
    /// True for the capital of a country.
    pub fn is_capital(&self) -> bool {
        self.capital
    }
    /// Where the coordinates come from.
    pub fn source(&self) -> &str {
        self.get(Field::Source)
    }
    /// Free-text note.
    pub fn note(&self) -> &str {
        self.get(Field::Note)
    }
    /// The bounding box of an area: west, south, east, north in degrees
    /// (`west > east` across the antimeridian); `None` for a point place.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.bbox
    }
    /// The Natural Earth scale rank of a natural feature (0 the most
    /// prominent), when known.
    pub fn scalerank(&self) -> Option<u8> {
        self.scalerank
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
