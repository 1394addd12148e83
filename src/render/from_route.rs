//! Building [`MapData`] from the library's own types: a [`Route`] (route
//! map) or a list of [`Place`]s (locator map).

use std::collections::HashSet;

use geo::{Coord, Point};

use super::{MapData, MapLeg, MapStop, MapWaypoint, StopRole};
use crate::gazetteer::{fold, Gazetteer, MatchKind, Place, PlaceKind, ResolveOptions};
use crate::geodesy::{self, Units};
use crate::route::{Mode, Route};

/// How far a town may be from the station of its name, metres.
pub const TOWN_NEAR_STATION_M: f64 = 15_000.0;

/// "1,696" for 1696.4: whole units with thousands separators.
pub(crate) fn group_thousands(v: f64) -> String {
    let s = (v.round() as i64).abs().to_string();
    let mut out = String::new();
    if v.round() < 0.0 {
        out.push('-');
    }
    for (n, ch) in s.chars().enumerate() {
        if n > 0 && (s.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A distance label such as "559 km" (one decimal below 10 units).
pub fn distance_label(m: f64, units: Units) -> String {
    let v = units.from_m(m);
    if v < 10.0 {
        format!("{v:.1} {}", units.symbol())
    } else {
        format!("{} {}", group_thousands(v), units.symbol())
    }
}

fn attribution<'a>(places: impl IntoIterator<Item = &'a Place>) -> Vec<String> {
    let geonames = places
        .into_iter()
        .any(|p| p.source().to_ascii_lowercase().contains("geonames"));
    if geonames {
        vec!["Places: GeoNames (CC BY 4.0)".to_owned()]
    } else {
        Vec::new()
    }
}

impl MapData {
    /// A route map: every stop (start, vias, end), every leg with its
    /// distance in `units`, the total in the title. The title is left to
    /// the renderer's default ("First → Last · total") unless set after.
    ///
    /// ```
    /// use routemap::gazetteer::Gazetteer;
    /// use routemap::geodesy::Units;
    /// use routemap::render::MapData;
    /// use routemap::route::{Route, RouteRequest};
    /// let gaz = Gazetteer::builtin()?;
    /// let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"]))?;
    /// let data = MapData::from_route(&route, Units::Km);
    /// assert_eq!(data.legs.len(), 1);
    /// assert!(data.legs[0].label.ends_with(" km"));
    /// assert_eq!(data.route_kind.as_deref(), Some("great circle"));
    /// # Ok::<(), routemap::Error>(())
    /// ```
    pub fn from_route(route: &Route, units: Units) -> MapData {
        let n = route.stops().len();
        let stops = route
            .stops()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let role = StopRole::in_route(i, n);
                MapStop::new(s.place.name(), s.place.lon(), s.place.lat(), role)
            })
            .collect();
        let legs = route
            .legs()
            .iter()
            .map(|l| MapLeg {
                label: distance_label(l.distance_m, units),
                path: l.path.0.iter().map(|c| Coord { x: c.x, y: c.y }).collect(),
            })
            .collect();
        let mut attribution = attribution(route.stops().iter().map(|s| &s.place));
        let route_kind = match (route.mode(), route.network_info()) {
            (Mode::Rail, Some(info)) => {
                if info.source.contains("OpenStreetMap") {
                    attribution.push("Railway: © OpenStreetMap contributors (ODbL)".to_owned());
                }
                if info.approximate {
                    "by rail (approximate track)"
                } else {
                    "by rail"
                }
            }
            (Mode::Rail, None) => "by rail",
            (Mode::Direct, _) => "great circle",
        };
        MapData {
            title: None,
            stops,
            legs,
            total_label: Some(distance_label(route.total_m(), units)),
            route_kind: Some(route_kind.to_owned()),
            attribution,
            waypoints: Vec::new(),
            railways: Vec::new(),
            approximate: route
                .legs()
                .iter()
                .filter_map(|l| l.rail.as_ref())
                .flat_map(|r| &r.approximate_parts)
                .map(|p| p.0.iter().map(|c| Coord { x: c.x, y: c.y }).collect())
                .collect(),
            places: Vec::new(),
        }
    }

    /// A locator map of places, without a route.
    ///
    /// ```
    /// use routemap::gazetteer::{Gazetteer, ResolveOptions};
    /// use routemap::render::MapData;
    /// let gaz = Gazetteer::builtin()?;
    /// let seoul = gaz.resolve("Seoul", &ResolveOptions::default())?.place().clone();
    /// let data = MapData::from_places(&[seoul]);
    /// assert_eq!(data.stops.len(), 1);
    /// # Ok::<(), routemap::Error>(())
    /// ```
    pub fn from_places(places: &[Place]) -> MapData {
        MapData {
            title: None,
            stops: places
                .iter()
                .map(|p| MapStop::new(p.name(), p.lon(), p.lat(), StopRole::Place))
                .collect(),
            legs: Vec::new(),
            total_label: None,
            route_kind: None,
            attribution: attribution(places),
            waypoints: Vec::new(),
            railways: Vec::new(),
            approximate: Vec::new(),
            places: Vec::new(),
        }
    }
}

/// Words that name a station rather than its town, at the end of a name
/// ("Köln Hbf") or at its start ("Bahnhof Mülheim"), lower case.
const STATION_SUFFIXES: &[&str] = &[
    "hbf",
    "hauptbahnhof",
    "bahnhof",
    "bf",
    "railway station",
    "station",
    "central",
    "centraal",
    "centrale",
];
const STATION_PREFIXES: &[&str] = &["bahnhof", "bf", "gare de", "gare d'", "estación de"];

/// The names a station's town may go by, longest first: the station's own
/// name, then without a qualifier in brackets ("Bergheim (Erft)" →
/// "Bergheim"), a word that says "station" ("Köln Hbf" → "Köln") or, failing
/// those, its last word ("Köln-Ehrenfeld" → "Köln", "Bonn West" → "Bonn"),
/// one at a time.
fn town_names(station: &str) -> Vec<String> {
    let mut out = vec![station.trim().to_owned()];
    while let Some(shorter) = out.last().and_then(|n| strip_station_word(n)) {
        if fold(&shorter).is_empty() || out.contains(&shorter) {
            break;
        }
        out.push(shorter);
    }
    out
}

/// `name` without one bracketed qualifier at its end, one station word at
/// its end or start, or else its last word (after a space or hyphen);
/// `None` when it is a single word.
fn strip_station_word(name: &str) -> Option<String> {
    if let Some(head) = name.strip_suffix(')') {
        if let Some(open) = head.rfind('(') {
            if open > 0 {
                return Some(head[..open].trim().to_owned());
            }
        }
    }
    for suffix in STATION_SUFFIXES {
        let Some(cut) = name.len().checked_sub(suffix.len()) else {
            continue;
        };
        if cut > 0
            && name.is_char_boundary(cut)
            && name[cut..].eq_ignore_ascii_case(suffix)
            && name[..cut].ends_with([' ', '-', ','])
        {
            return Some(name[..cut].trim_end_matches([' ', '-', ',']).to_owned());
        }
    }
    for prefix in STATION_PREFIXES {
        let n = prefix.chars().count();
        let head: String = name.chars().take(n).collect();
        let tail: String = name.chars().skip(n).collect();
        if head.to_lowercase() == *prefix
            && (tail.starts_with(' ') || prefix.ends_with('\''))
            && !tail.trim().is_empty()
        {
            return Some(tail.trim().to_owned());
        }
    }
    let cut = name.trim_end().rfind([' ', '-'])?;
    let head = name[..cut].trim_end_matches([' ', '-', ',', '/']);
    (head.chars().filter(|c| c.is_alphabetic()).count() >= 2).then(|| head.to_owned())
}

/// The population of the largest city, town or village called `name`
/// (exactly, or after [`fold`]) within [`TOWN_NEAR_STATION_M`] of `near`,
/// or `None` when there is no such place.
fn town_population(gaz: &Gazetteer, name: &str, near: Point) -> Option<u64> {
    let candidates = gaz.candidates(name, &ResolveOptions::default()).ok()?;
    candidates
        .iter()
        .filter(|c| matches!(c.matched, MatchKind::Exact | MatchKind::Folded))
        .filter(|c| {
            matches!(
                c.place.kind(),
                PlaceKind::City | PlaceKind::Town | PlaceKind::Village
            )
        })
        .filter(|c| geodesy::distance_m(c.place.point(), near) <= TOWN_NEAR_STATION_M)
        .map(|c| c.place.population())
        .max()
}

/// The towns a rail route passes, as map waypoints ranked by importance.
///
/// Each station a rail leg passes ([`crate::route::RailInfo::stations`]) is
/// kept when the gazetteer has a city, town or village of the same name
/// within [`TOWN_NEAR_STATION_M`] (15 km) of where the track passes it — the
/// station's name as it is, without a bracketed qualifier ("Bergheim
/// (Erft)"), or without a word such as "Hbf" or "station" ("Köln Hbf"). The
/// waypoint stands at the station's point on the track and is labelled with
/// the name that matched. The places a leg lists as passed
/// ([`crate::route::RailInfo::places_passed`], what the table and the
/// GeoJSON say) are waypoints too, at the point of the track nearest to
/// them, unless a town of theirs is one already (by name, or within 6 km).
/// `rank` 0 goes to the most populous town, then down (towns of unknown
/// population last, in route order). Stops are never waypoints, nor the
/// stations the stops were put at, nor a town passed twice. Direct legs
/// have no stations: a direct route gives none.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::rail::{RailNetwork, RailOptions};
/// use routemap::render::towns_passed;
/// use routemap::route::{Route, RouteRequest};
/// let gaz = Gazetteer::builtin()?;
/// let network = RailNetwork::builtin()?;
/// let req = RouteRequest::new(["Ussuriysk", "Belogorsk"]);
/// let route = Route::resolve_rail(&gaz, &req, &network, &RailOptions::default())?;
/// let towns = towns_passed(&route, &gaz);
/// // Khabarovsk, the largest town on the way, comes first; the stops are not listed.
/// assert_eq!((towns[0].label.as_str(), towns[0].rank), ("Khabarovsk", 0));
/// assert!(towns.iter().any(|w| w.label == "Birobidzhan"));
/// assert!(!towns.iter().any(|w| w.label == "Ussuriysk" || w.label == "Belogorsk"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn towns_passed(route: &Route, gaz: &Gazetteer) -> Vec<MapWaypoint> {
    // Every name a stop goes by, so that no stop comes back as a waypoint.
    let mut taken: HashSet<String> = HashSet::new();
    let mut take = |name: &str| taken.extend(town_names(name).iter().map(|n| fold(n)));
    for stop in route.stops() {
        take(stop.place.name());
        take(&stop.query);
    }
    for leg in route.legs() {
        if let Some(rail) = &leg.rail {
            for s in rail.from_station.iter().chain(&rail.to_station) {
                take(s);
            }
        }
    }
    // (population, order along the route, label, point)
    let mut found: Vec<(u64, usize, String, Point)> = Vec::new();
    for leg in route.legs() {
        let Some(rail) = &leg.rail else {
            continue;
        };
        for (station, &point) in rail.stations.iter().zip(&rail.station_points) {
            for name in town_names(station) {
                let key = fold(&name);
                if taken.contains(&key) {
                    break;
                }
                if let Some(population) = town_population(gaz, &name, point) {
                    taken.insert(key);
                    found.push((population, found.len(), name, point));
                    break;
                }
            }
        }
        for place in &rail.places_passed {
            let key = fold(&place.name);
            let Some(on_track) = nearest_on(&leg.path, place.point) else {
                continue;
            };
            if taken.contains(&key)
                || found
                    .iter()
                    .any(|f| geodesy::distance_m(f.3, on_track) <= SAME_TOWN_M)
            {
                continue;
            }
            taken.insert(key);
            found.push((place.population, found.len(), place.name.clone(), on_track));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found
        .into_iter()
        .enumerate()
        .map(|(rank, (_, _, label, p))| MapWaypoint::new(label, p.x(), p.y(), rank as u32))
        .collect()
}

/// Two towns passed this close (metres, where the track passes them) are
/// one (a station's town and the gazetteer's spelling of it: Spassk-Dalny,
/// Spassk-Dal'niy).
const SAME_TOWN_M: f64 = 6_000.0;

/// The point of `path` nearest to `p` (planar in degrees: ample for placing
/// a dot), `None` for an empty path.
fn nearest_on(path: &geo::LineString, p: Point) -> Option<Point> {
    use geo::{Closest, ClosestPoint};
    match path.closest_point(&p) {
        Closest::Intersection(q) | Closest::SinglePoint(q) => Some(q),
        Closest::Indeterminate => None,
    }
}

/// Largest route extent (km, diagonal of its box) for which
/// [`places_around`] looks up places: city and district maps.
const PLACES_AROUND_MAX_KM: f64 = 40.0;

/// Towns, villages and districts of the gazetteer around a short route
/// (under 40 km across), most populous first, for a city map to name where
/// there is room ([`MapData::places`]); empty for longer routes, whose maps
/// name Natural Earth's cities instead. The stops themselves are left out.
///
/// ```
/// use routemap::gazetteer::Gazetteer;
/// use routemap::render::{places_around, MapData, MapStop, StopRole};
/// let gaz = Gazetteer::builtin()?;
/// let data = MapData {
///     stops: vec![
///         MapStop::new("a", 6.9589, 50.9430, StopRole::Start),
///         MapStop::new("b", 6.9178, 50.9518, StopRole::End),
///     ],
///     ..MapData::default()
/// };
/// assert!(!places_around(&data, &gaz).is_empty());
/// # Ok::<(), routemap::Error>(())
/// ```
pub fn places_around(data: &MapData, gaz: &Gazetteer) -> Vec<MapWaypoint> {
    use geo::{Distance, Geodesic};
    let pts: Vec<(f64, f64)> = data
        .stops
        .iter()
        .map(|s| (s.lon, s.lat))
        .chain(
            data.legs
                .iter()
                .flat_map(|l| l.path.iter().map(|c| (c.x, c.y))),
        )
        .collect();
    if pts.len() < 2 {
        return Vec::new();
    }
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lon, lat) in &pts {
        (w, e, s, n) = (w.min(lon), e.max(lon), s.min(lat), n.max(lat));
    }
    let diag_m = Geodesic.distance(Point::new(w, s), Point::new(e, n));
    if diag_m.is_nan() || diag_m > PLACES_AROUND_MAX_KM * 1000.0 || e - w > 180.0 {
        return Vec::new();
    }
    let (clon, clat) = ((w + e) / 2.0, (s + n) / 2.0);
    let radius = (diag_m * 1.2).max(3_000.0);
    let stops: Vec<String> = data.stops.iter().map(|s| fold(&s.label)).collect();
    let mut out: Vec<(u64, MapWaypoint)> = gaz
        .nearest(clat, clon, 80)
        .into_iter()
        .filter(|(p, d)| {
            *d <= radius
                && matches!(
                    p.kind(),
                    PlaceKind::City | PlaceKind::Town | PlaceKind::Village
                )
                && !stops.contains(&fold(p.name()))
        })
        .map(|(p, _)| {
            (
                p.population(),
                MapWaypoint::new(p.name(), p.lon(), p.lat(), 0),
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    out.into_iter()
        .enumerate()
        .map(|(i, (_, mut w))| {
            w.rank = i as u32;
            w
        })
        .collect()
}

/// The rail network's running lines in and around the route's box (half its size
/// again on every side, and at least 0.5°), for the map to draw as context.
pub fn railways_around(
    route: &Route,
    network: &crate::rail::RailNetwork,
) -> Vec<Vec<geo::Coord<f64>>> {
    use geo::BoundingRect;
    let Some(b) = route.path().bounding_rect() else {
        return Vec::new();
    };
    let margin = |span: f64| (span * 0.5).max(0.5);
    let (mx, my) = (margin(b.width()), margin(b.height()));
    network
        .lines_within(
            b.min().x - mx,
            b.min().y - my,
            b.max().x + mx,
            b.max().y + my,
        )
        .into_iter()
        .map(|l| l.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn towns_passed_are_towns_of_the_station_name_near_the_track() {
        use crate::rail::{NetworkInfo, RailNetworkBuilder, RailOptions, TrackKind};
        use crate::route::RouteRequest;
        use geo::line_string;

        // Track along 50° N from 10° to 11° E, a station every 0.2°.
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "toy".into(),
            source: "hand-made".into(),
            approximate: false,
        });
        b.add_track(
            &line_string![(x: 10.0, y: 50.0), (x: 11.0, y: 50.0)],
            TrackKind::Main,
            &[],
        );
        let stations = [
            "Westham",
            "Bigtown Hbf",
            "Smallville",
            "Farville",
            "Halt Seven",
            "Easton",
        ];
        for (i, name) in stations.iter().enumerate() {
            b.add_station(name, Point::new(10.0 + 0.2 * i as f64, 50.0));
        }
        let network = b.build().unwrap();
        let town = |name: &str, lat: f64, lon: f64, pop: u64, kind: PlaceKind| {
            Place::new(name, name, lat, lon)
                .unwrap()
                .with_kind(kind)
                .with_population(pop)
        };
        let mut gaz = Gazetteer::empty();
        gaz.add_places(
            "test",
            vec![
                town("Westham", 50.0, 10.0, 2_000_000, PlaceKind::City),
                town("Easton", 50.0, 11.0, 3_000_000, PlaceKind::City),
                // 2.3 km from its station.
                town("Bigtown", 50.02, 10.21, 500_000, PlaceKind::City),
                // 13.3 km north of its station: near enough.
                town("Smallville", 50.12, 10.4, 5_000, PlaceKind::Village),
                // 16.7 km north of its station: another place of that name.
                town("Farville", 50.15, 10.6, 900_000, PlaceKind::City),
                // Not a town.
                town("Halt Seven", 50.0, 10.8, 1_000_000, PlaceKind::Station),
                // No station: 3.0 km north of the track, a place the leg
                // passes.
                town("Midtown", 50.027, 10.5, 50_000, PlaceKind::Town),
            ],
        );
        let req = RouteRequest::new(["Westham", "Easton"]);
        let route = Route::resolve_rail(&gaz, &req, &network, &RailOptions::default()).unwrap();
        let towns = towns_passed(&route, &gaz);
        let got: Vec<(&str, u32)> = towns.iter().map(|w| (w.label.as_str(), w.rank)).collect();
        assert_eq!(got, [("Bigtown", 0), ("Midtown", 1), ("Smallville", 2)]);
        // At the station's point on the track.
        assert!((towns[0].lon - 10.2).abs() < 1e-9 && (towns[0].lat - 50.0).abs() < 1e-9);
        // A place passed is marked where the track passes nearest to it.
        assert!((towns[1].lon - 10.5).abs() < 1e-9 && (towns[1].lat - 50.0).abs() < 1e-9);

        // A direct route passes no stations.
        let direct = Route::resolve(&gaz, &req).unwrap();
        assert!(towns_passed(&direct, &gaz).is_empty());
    }

    #[test]
    fn station_names_give_town_names() {
        assert_eq!(town_names("Ussuriysk"), ["Ussuriysk"]);
        assert_eq!(
            town_names("Bergheim (Erft)"),
            ["Bergheim (Erft)", "Bergheim"]
        );
        assert_eq!(town_names("Köln Hbf"), ["Köln Hbf", "Köln"]);
        assert_eq!(town_names("Köln-Ehrenfeld"), ["Köln-Ehrenfeld", "Köln"]);
        assert_eq!(
            town_names("Spassk-Dalny"),
            ["Spassk-Dalny", "Spassk"],
            "the whole name is tried first"
        );
        assert_eq!(
            town_names("New York Penn Station"),
            ["New York Penn Station", "New York Penn", "New York", "New"]
        );
        assert_eq!(
            town_names("Halle (Saale) Hbf"),
            ["Halle (Saale) Hbf", "Halle (Saale)", "Halle"]
        );
        assert_eq!(
            town_names("Bahnhof Mülheim"),
            ["Bahnhof Mülheim", "Mülheim"]
        );
        assert_eq!(
            town_names("Bonn Hauptbahnhof"),
            ["Bonn Hauptbahnhof", "Bonn"]
        );
        // A town whose name merely ends in the letters of a suffix keeps them.
        assert_eq!(town_names("Sunchon"), ["Sunchon"]);
        assert_eq!(town_names("Bahnhofstraße"), ["Bahnhofstraße"]);
        assert_eq!(town_names("Hbf"), ["Hbf"]);
        assert_eq!(
            town_names("Tumen Railway Station"),
            ["Tumen Railway Station", "Tumen"]
        );
    }

    #[test]
    fn labels_round_and_group() {
        assert_eq!(distance_label(559_201.95, Units::Km), "559 km");
        assert_eq!(distance_label(1_696_400.0, Units::Km), "1,696 km");
        assert_eq!(distance_label(5_430.0, Units::Km), "5.4 km");
        assert_eq!(distance_label(559_201.95, Units::Mi), "347 mi");
    }
}
