//! Routes: stops joined by legs.

use crate::gazetteer::{Gazetteer, MatchKind, Place, PlaceKind, Resolution, ResolveOptions};
use crate::geodesy;
use crate::rail::{NetworkInfo, RailLeg, RailNetwork, RailOptions, RailStop};
use crate::{Error, Result};
use geo::{Coord, LineString, Point};
use std::fmt;

/// How the legs of a route are drawn between stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Along the geodesic (the shortest path on the ellipsoid).
    #[default]
    Direct,
    /// Along railway track.
    Rail,
}

impl Mode {
    /// `direct` or `rail`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Direct => "direct",
            Mode::Rail => "rail",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Mode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "direct" => Ok(Mode::Direct),
            "rail" => Ok(Mode::Rail),
            _ => Err(Error::InvalidOption {
                option: "--mode".into(),
                message: format!("{s:?} is not one of direct, rail"),
            }),
        }
    }
}

/// One stop of a route: what the user typed and the place it resolved to.
#[derive(Debug, Clone)]
pub struct Stop {
    /// The text the user gave for this stop.
    pub query: String,
    /// The place it resolved to.
    pub place: Place,
}

/// The way from one stop to the next.
#[derive(Debug, Clone)]
pub struct Leg {
    /// Index of the stop the leg starts at.
    pub from: usize,
    /// Index of the stop the leg ends at (`from + 1`).
    pub to: usize,
    /// Length of the path travelled, metres.
    pub distance_m: f64,
    /// Geodesic distance between the two stops, metres.
    pub straight_m: f64,
    /// Azimuth of the geodesic at the start, degrees from true north.
    pub initial_bearing_deg: f64,
    /// The path, `x` = longitude, `y` = latitude.
    pub path: LineString,
    /// What a rail leg adds: gauges, stations passed, where the stops met the
    /// track. `None` for direct legs.
    pub rail: Option<RailInfo>,
}

/// The track-specific facts of a rail leg.
#[derive(Debug, Clone, PartialEq)]
pub struct RailInfo {
    /// Track gauges used, millimetres, in the order first met (empty when the
    /// network does not say).
    pub gauges_mm: Vec<u32>,
    /// Stations passed, in order, including the ends when they are stations.
    pub stations: Vec<String>,
    /// Where the track passes each of [`RailInfo::stations`] (same length and
    /// order), x = longitude, y = latitude: a point of the leg's path.
    pub station_points: Vec<Point>,
    /// The towns and cities the track passes close to, in order, whether or
    /// not the network has a station of theirs (see
    /// [`crate::rail::places_passed`]): filled by [`Route::resolve_rail`],
    /// which has a gazetteer; empty from [`Route::rail`]. The stops
    /// themselves are not listed.
    pub places_passed: Vec<crate::rail::PlacePassed>,
    /// The station the first stop was put at, if any.
    pub from_station: Option<String>,
    /// The station the last stop was put at, if any.
    pub to_station: Option<String>,
    /// Geodesic distance from the first stop's place to the track, metres.
    pub snap_from_m: f64,
    /// Geodesic distance from the last stop's place to the track, metres.
    pub snap_to_m: f64,
    /// How many times the train reverses on the way.
    pub reversals: usize,
    /// Where it reverses, and near which station.
    pub reversal_places: Vec<crate::rail::Reversal>,
    /// Metres run on approximate track (corridors where no real track is known).
    pub approximate_m: f64,
    /// The stretches of the path on approximate track.
    pub approximate_parts: Vec<LineString>,
    /// Set when the leg is a detour: the shortest path along the track ignoring
    /// where trains can turn, metres.
    pub detour_shortest_m: Option<f64>,
}

impl Leg {
    /// A leg along the track computed by [`RailNetwork::route`]: `distance_m`
    /// along the track, `straight_m` the geodesic between the stops' places.
    pub fn rail(from: usize, a: Point, b: Point, leg: RailLeg) -> Leg {
        Leg {
            from,
            to: from + 1,
            distance_m: leg.length_m,
            straight_m: geodesy::distance_m(a, b),
            initial_bearing_deg: geodesy::initial_bearing_deg(a, b),
            path: leg.path,
            rail: Some(RailInfo {
                gauges_mm: leg.gauges_mm,
                stations: leg.stations,
                station_points: leg.station_points,
                places_passed: Vec::new(),
                from_station: leg.from.station,
                to_station: leg.to.station,
                snap_from_m: leg.from.distance_m,
                snap_to_m: leg.to.distance_m,
                reversals: leg.reversals.len(),
                reversal_places: leg.reversals,
                approximate_m: leg.approximate_m,
                approximate_parts: leg.approximate_parts,
                detour_shortest_m: leg.detour_shortest_m,
            }),
        }
    }
}

/// The shortest segment a direct leg is densified to, metres
/// (`--max-segment-km 0.01`).
pub const MIN_SEGMENT_M: f64 = 10.0;

/// The most vertices a densified direct route may have (about 16 MB of
/// coordinates, 50 MB of GeoJSON).
pub const MAX_VERTICES: usize = 1_000_000;

/// Checks a `--max-segment-km` value: a finite length of at least
/// [`MIN_SEGMENT_M`].
///
/// # Errors
///
/// [`Error::InvalidOption`] naming `--max-segment-km`.
pub fn check_max_segment_km(km: f64) -> Result<()> {
    if !(km.is_finite() && km * 1000.0 >= MIN_SEGMENT_M * (1.0 - 1e-12)) {
        return Err(Error::InvalidOption {
            option: "--max-segment-km".into(),
            message: format!(
                "{km} is not a length of at least {} km",
                MIN_SEGMENT_M / 1000.0
            ),
        });
    }
    Ok(())
}

impl Leg {
    /// The geodesic leg between two points, densified so that no segment is
    /// longer than `max_segment_m` metres.
    pub fn direct(from: usize, a: Point, b: Point, max_segment_m: f64) -> Leg {
        let d = geodesy::distance_m(a, b);
        Leg {
            from,
            to: from + 1,
            distance_m: d,
            straight_m: d,
            initial_bearing_deg: geodesy::initial_bearing_deg(a, b),
            path: geodesy::densify(a, b, max_segment_m),
            rail: None,
        }
    }
}

/// Something worth telling the user that is not an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Two consecutive stops are the same place: the leg has length zero.
    RepeatedStop {
        /// 1-based position of the second of the two stops.
        position: usize,
        /// The place's name.
        name: String,
    },
    /// A name matched several places about equally well.
    Ambiguous {
        /// 1-based position of the stop.
        position: usize,
        /// What the user typed.
        query: String,
        /// The place chosen.
        chosen: String,
        /// The runner-up.
        other: String,
    },
    /// A name was not found as typed; the closest name (a typo forgiven)
    /// was taken.
    Fuzzy {
        /// 1-based position of the stop.
        position: usize,
        /// What the user typed.
        query: String,
        /// The name that matched.
        matched: String,
        /// The place chosen.
        chosen: String,
    },
    /// A rail leg reverses: at a terminus, or at a junction whose line leaves
    /// facing the way the train came.
    Reversal {
        /// 1-based leg number.
        leg: usize,
        /// The leg's stops.
        from: String,
        /// The leg's stops.
        to: String,
        /// Where, and near which station.
        at: crate::rail::Reversal,
    },
    /// A rail leg is much longer than the shortest path along the track.
    Detour {
        /// 1-based leg number.
        leg: usize,
        /// The leg's stops.
        from: String,
        /// The leg's stops.
        to: String,
        /// The leg's length, metres.
        distance_m: f64,
        /// The shortest path along the track ignoring turn rules, metres.
        shortest_m: f64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::RepeatedStop { position, name } => write!(
                f,
                "stop {position} repeats stop {} ({name}): that leg has length zero",
                position - 1
            ),
            Warning::Ambiguous {
                position,
                query,
                chosen,
                other,
            } => write!(
                f,
                "stop {position}: {query:?} is ambiguous; chose {chosen}, not {other} (add \", STATE\" or \", COUNTRY\" to choose)"
            ),
            Warning::Fuzzy {
                position,
                query,
                matched,
                chosen,
            } => write!(
                f,
                "stop {position}: no place is called {query:?}; took the closest name, {matched:?}: {chosen}"
            ),
            Warning::Reversal { leg, from, to, at } => write!(
                f,
                "leg {leg} ({from} → {to}): the train reverses {}({:.4}, {:.4}), where the line it takes leaves facing the way it came",
                at.near
                    .as_deref()
                    .map(|n| format!("near {n} "))
                    .unwrap_or_default(),
                at.point.y(),
                at.point.x()
            ),
            Warning::Detour {
                leg,
                from,
                to,
                distance_m,
                shortest_m,
            } => write!(
                f,
                "leg {leg} ({from} → {to}) is {:.0} km, {:.1} times the {:.0} km of the shortest path along the track: a train cannot take that path (it would turn or reverse where the track does not allow it), so this route takes a detour",
                distance_m / 1000.0,
                distance_m / shortest_m,
                shortest_m / 1000.0
            ),
        }
    }
}

/// A journey: two or more stops and the legs between them.
///
/// # Invariants
///
/// 1. At least two stops.
/// 2. Exactly one leg between each pair of consecutive stops, in order.
///
/// ```
/// use routemap::gazetteer::{Gazetteer, ResolveOptions};
/// use routemap::route::{Route, RouteRequest};
/// let gaz = Gazetteer::builtin().unwrap();
/// let req = RouteRequest::new(["Pyongyang", "Khasan", "Vostochny Cosmodrome"]);
/// let route = Route::resolve(&gaz, &req).unwrap();
/// assert_eq!(route.legs().len(), 2);
/// assert!(route.total_m() > 1_500_000.0);
/// ```
#[derive(Debug, Clone)]
pub struct Route {
    name: String,
    mode: Mode,
    network: Option<NetworkInfo>,
    stops: Vec<Stop>,
    legs: Vec<Leg>,
    warnings: Vec<Warning>,
}

/// What a user asks for: the stops as typed and how to join them.
#[derive(Debug, Clone)]
pub struct RouteRequest {
    /// Place names or `lat,lon` texts, in order.
    pub stops: Vec<String>,
    /// How legs are drawn.
    pub mode: Mode,
    /// Longest segment of a densified direct leg, metres (default 10 km).
    pub max_segment_m: f64,
    /// Prefer places in this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
}

impl RouteRequest {
    /// A direct route through these stops with default settings.
    pub fn new(stops: impl IntoIterator<Item = impl Into<String>>) -> RouteRequest {
        RouteRequest {
            stops: stops.into_iter().map(Into::into).collect(),
            mode: Mode::Direct,
            max_segment_m: 10_000.0,
            country: None,
        }
    }
}

impl Route {
    /// Resolves every stop of `request` in `gazetteer` and joins them by
    /// geodesic legs.
    ///
    /// # Errors
    ///
    /// [`Error::TooFewStops`]; [`Error::Stop`] wrapping the failure of the
    /// stop that could not be resolved; [`Error::InvalidOption`] for a
    /// non-positive segment length.
    pub fn resolve(gazetteer: &Gazetteer, request: &RouteRequest) -> Result<Route> {
        let (stops, warnings) = resolve_with_warnings(gazetteer, request)?;
        Route::direct(stops, request.max_segment_m).map(|r| r.with_warnings_first(warnings))
    }

    /// Resolves every stop of `request` and joins them along the track of
    /// `network` (see [`crate::rail`]): each stop goes to the station of its
    /// name or the nearest track.
    ///
    /// ```
    /// use routemap::gazetteer::Gazetteer;
    /// use routemap::rail::{RailNetwork, RailOptions};
    /// use routemap::route::{Mode, Route, RouteRequest};
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let net = RailNetwork::builtin().unwrap();
    /// let req = RouteRequest::new(["Ussuriysk", "Khabarovsk"]);
    /// let route = Route::resolve_rail(&gaz, &req, &net, &RailOptions::default()).unwrap();
    /// assert_eq!(route.mode(), Mode::Rail);
    /// let leg = &route.legs()[0];
    /// assert!(leg.distance_m > leg.straight_m); // along track vs geodesic
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Route::resolve`], and [`Error::Rail`] when a stop is too far from
    /// the track or two stops are not joined by a legal train path.
    pub fn resolve_rail(
        gazetteer: &Gazetteer,
        request: &RouteRequest,
        network: &RailNetwork,
        options: &RailOptions,
    ) -> Result<Route> {
        let (stops, warnings) = resolve_rail_stops(gazetteer, request, network)?;
        let mut route = Route::rail(stops, network, options)?;
        // The towns each leg passes, the stops aside.
        let skip: Vec<String> = route
            .stops
            .iter()
            .flat_map(|s| [s.place.name().to_string(), s.query.clone()])
            .collect();
        let stops_at: Vec<Point> = route.stops.iter().map(|s| s.place.point()).collect();
        let passed: Vec<Vec<crate::rail::PlacePassed>> = route
            .legs
            .iter()
            .map(|leg| match &leg.rail {
                Some(_) => crate::rail::places_passed(gazetteer, &leg.path, &skip, &stops_at),
                None => Vec::new(),
            })
            .collect();
        // A reversal with no station of the network near it is placed near
        // the nearest town the leg passes within 30 km (e.g. Tynda on the
        // BAM), else the gazetteer's nearest place within 30 km (whose
        // spatial index is built only then).
        let near = |point: Point, leg: usize| -> Option<String> {
            passed[leg]
                .iter()
                .map(|p| (geodesy::distance_m(p.point, point), &p.name))
                .filter(|(d, _)| *d <= 30_000.0)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| n.clone())
                .or_else(|| {
                    gazetteer
                        .nearest(point.y(), point.x(), 1)
                        .into_iter()
                        .find(|(_, d)| *d <= 30_000.0)
                        .map(|(p, _)| p.name().to_string())
                })
        };
        for w in &mut route.warnings {
            if let Warning::Reversal { leg, at, .. } = w {
                if at.near.is_none() {
                    at.near = near(at.point, *leg - 1);
                }
            }
        }
        for (i, leg) in route.legs.iter_mut().enumerate() {
            let Some(rail) = &mut leg.rail else { continue };
            for at in rail.reversal_places.iter_mut().filter(|r| r.near.is_none()) {
                at.near = near(at.point, i);
            }
            rail.places_passed = passed[i].clone();
        }
        Ok(route.with_warnings_first(warnings))
    }

    /// Joins resolved stops along the track of `network`.
    ///
    /// # Errors
    ///
    /// [`Error::TooFewStops`], or [`Error::Rail`] from the rail router.
    pub fn rail(stops: Vec<Stop>, network: &RailNetwork, options: &RailOptions) -> Result<Route> {
        if stops.len() < 2 {
            return Err(Error::TooFewStops { got: stops.len() });
        }
        let rail_stops: Vec<RailStop> = stops
            .iter()
            .map(|s| RailStop::named(s.place.name(), s.place.point()))
            .collect();
        let rail_legs = network.route(&rail_stops, options)?;
        let legs = rail_legs
            .into_iter()
            .enumerate()
            .map(|(i, l)| Leg::rail(i, stops[i].place.point(), stops[i + 1].place.point(), l))
            .collect();
        Route::from_legs(stops, legs, Mode::Rail, Some(network.info().clone()))
    }

    fn with_warnings_first(mut self, mut warnings: Vec<Warning>) -> Route {
        warnings.append(&mut self.warnings);
        self.warnings = warnings;
        self
    }

    /// Joins resolved stops by geodesic legs densified to `max_segment_m`.
    ///
    /// # Errors
    ///
    /// [`Error::TooFewStops`], or [`Error::InvalidOption`] when
    /// `max_segment_m` is not a positive number.
    pub fn direct(stops: Vec<Stop>, max_segment_m: f64) -> Result<Route> {
        check_max_segment_km(max_segment_m / 1000.0)?;
        // Bounded memory: count the vertices before making them.
        let vertices: f64 = stops
            .windows(2)
            .map(|w| {
                (geodesy::distance_m(w[0].place.point(), w[1].place.point()) / max_segment_m).ceil()
                    + 1.0
            })
            .sum();
        if vertices > MAX_VERTICES as f64 {
            return Err(Error::InvalidOption {
                option: "--max-segment-km".into(),
                message: format!(
                    "{} km would give the route {vertices:.0} vertices, more than {MAX_VERTICES}; give a longer segment",
                    max_segment_m / 1000.0
                ),
            });
        }
        let legs = stops
            .windows(2)
            .enumerate()
            .map(|(i, w)| Leg::direct(i, w[0].place.point(), w[1].place.point(), max_segment_m))
            .collect();
        Route::from_legs(stops, legs, Mode::Direct, None)
    }

    /// A route from stops and legs computed elsewhere (e.g. along track).
    ///
    /// # Errors
    ///
    /// [`Error::TooFewStops`] or [`Error::LegCount`] when the invariants
    /// do not hold.
    pub fn from_legs(
        stops: Vec<Stop>,
        legs: Vec<Leg>,
        mode: Mode,
        network: Option<NetworkInfo>,
    ) -> Result<Route> {
        if stops.len() < 2 {
            return Err(Error::TooFewStops { got: stops.len() });
        }
        if legs.len() != stops.len() - 1
            || legs
                .iter()
                .enumerate()
                .any(|(i, l)| l.from != i || l.to != i + 1)
        {
            return Err(Error::LegCount {
                stops: stops.len(),
                legs: legs.len(),
            });
        }
        let mut warnings: Vec<Warning> = stops
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].place.point() == w[1].place.point())
            .map(|(i, w)| Warning::RepeatedStop {
                position: i + 2,
                name: w[1].place.name().to_string(),
            })
            .collect();
        for (i, leg) in legs.iter().enumerate() {
            let Some(rail) = &leg.rail else { continue };
            let (from, to) = (
                stops[i].place.name().to_string(),
                stops[i + 1].place.name().to_string(),
            );
            for at in &rail.reversal_places {
                warnings.push(Warning::Reversal {
                    leg: i + 1,
                    from: from.clone(),
                    to: to.clone(),
                    at: at.clone(),
                });
            }
            if let Some(shortest_m) = rail.detour_shortest_m {
                warnings.push(Warning::Detour {
                    leg: i + 1,
                    from: from.clone(),
                    to: to.clone(),
                    distance_m: leg.distance_m,
                    shortest_m,
                });
            }
        }
        let name = format!(
            "{} → {}",
            stops[0].place.name(),
            stops[stops.len() - 1].place.name()
        );
        Ok(Route {
            name,
            mode,
            network,
            stops,
            legs,
            warnings,
        })
    }

    /// A name for the route, "First → Last" unless set.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Sets the name (e.g. from `--title`).
    pub fn with_name(mut self, name: impl Into<String>) -> Route {
        self.name = name.into();
        self
    }
    /// How the legs were drawn.
    pub fn mode(&self) -> Mode {
        self.mode
    }
    /// The network the legs follow, when not direct.
    pub fn network(&self) -> Option<&str> {
        self.network.as_ref().map(|n| n.name.as_str())
    }
    /// What the rail network is (source, whether a corridor approximation),
    /// for rail routes.
    pub fn network_info(&self) -> Option<&NetworkInfo> {
        self.network.as_ref()
    }
    /// The stops, in order (at least two).
    pub fn stops(&self) -> &[Stop] {
        &self.stops
    }
    /// The legs, one between each pair of consecutive stops.
    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }
    /// Things worth telling the user.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
    /// Total length, metres.
    pub fn total_m(&self) -> f64 {
        self.legs.iter().fold(0.0, |a, l| a + l.distance_m)
    }
    /// Distance travelled from the first stop to stop `i`, metres.
    pub fn cumulative_m(&self, i: usize) -> f64 {
        // Folded from +0.0: an empty f64 sum is -0.0, which prints as "-0".
        self.legs[..i.min(self.legs.len())]
            .iter()
            .fold(0.0, |a, l| a + l.distance_m)
    }
    /// The whole path, legs joined without repeating the shared vertices.
    pub fn path(&self) -> LineString {
        let mut coords: Vec<Coord> = Vec::new();
        for leg in &self.legs {
            let skip = usize::from(!coords.is_empty() && coords.last() == leg.path.0.first());
            coords.extend(leg.path.0.iter().skip(skip));
        }
        LineString::from(coords)
    }
}

fn describe(p: &Place) -> String {
    match (p.admin1(), p.country()) {
        ("", "") => p.name().to_string(),
        ("", c) => format!("{} ({c})", p.name()),
        (a, c) => format!("{} ({a}, {c})", p.name()),
    }
}

/// Resolves the stops of a rail route: as [`resolve_with_warnings`], except
/// that a name the gazetteer knows only approximately (a typo match) or not at
/// all, but which names a station of `network`, is that station ("Köln Hbf",
/// "Halle (Saale) Hbf" on an OpenStreetMap extract).
fn resolve_rail_stops(
    gazetteer: &Gazetteer,
    request: &RouteRequest,
    network: &RailNetwork,
) -> Result<(Vec<Stop>, Vec<Warning>)> {
    if request.stops.len() < 2 {
        return Err(Error::TooFewStops {
            got: request.stops.len(),
        });
    }
    let options = ResolveOptions {
        country: request.country.clone(),
        max_alternatives: 3,
    };
    let mut stops = Vec::with_capacity(request.stops.len());
    let mut warnings = Vec::new();
    let close = |m: &MatchKind| !matches!(m, MatchKind::Fuzzy(_));
    for (i, q) in request.stops.iter().enumerate() {
        let found = match network.station(q) {
            Some((name, point)) => {
                // The station unless the gazetteer has a close match, looked
                // for by exact look-ups first: resolving a name it does not
                // know also spends time on typos and suggestions.
                let known = gazetteer.knows(q, &options);
                match known.then(|| gazetteer.resolve(q, &options)) {
                    Some(Ok(r)) if close(&r.best.matched) => Ok(r),
                    _ => {
                        let place = Place::new(format!("rail:{name}"), name, point.y(), point.x())?
                            .with_kind(PlaceKind::Station)
                            .with_source(format!("rail network: {}", network.info().name));
                        stops.push(Stop {
                            query: q.clone(),
                            place,
                        });
                        continue;
                    }
                }
            }
            None => gazetteer.resolve(q, &options),
        };
        let r = found.map_err(|e| Error::Stop {
            position: i + 1,
            error: Box::new(e),
        })?;
        warnings.extend(resolution_warning(i, &r));
        stops.push(Stop {
            query: r.query,
            place: r.best.place,
        });
    }
    Ok((stops, warnings))
}

/// Resolves the stops, with a warning for each ambiguous one.
fn resolve_with_warnings(
    gazetteer: &Gazetteer,
    request: &RouteRequest,
) -> Result<(Vec<Stop>, Vec<Warning>)> {
    if request.stops.len() < 2 {
        return Err(Error::TooFewStops {
            got: request.stops.len(),
        });
    }
    let stops = resolve_stops(gazetteer, request)?;
    let warnings: Vec<Warning> = stops
        .iter()
        .enumerate()
        .filter_map(|(i, r)| resolution_warning(i, r))
        .collect();
    let stops = stops
        .into_iter()
        .map(|r| Stop {
            query: r.query,
            place: r.best.place,
        })
        .collect();
    Ok((stops, warnings))
}

/// The warning a stop's resolution deserves, if any: a typo forgiven, or
/// an ambiguous name. `i` is the stop's 0-based position.
pub fn resolution_warning(i: usize, r: &Resolution) -> Option<Warning> {
    if matches!(r.best.matched, MatchKind::Fuzzy(_)) {
        return Some(Warning::Fuzzy {
            position: i + 1,
            query: r.query.trim().to_string(),
            matched: r.best.matched_name.clone(),
            chosen: describe(r.place()),
        });
    }
    let other = r.alternatives.first().filter(|_| r.ambiguous)?;
    Some(Warning::Ambiguous {
        position: i + 1,
        query: r.query.clone(),
        chosen: describe(r.place()),
        other: describe(&other.place),
    })
}

fn resolve_stops(gazetteer: &Gazetteer, request: &RouteRequest) -> Result<Vec<Resolution>> {
    let options = ResolveOptions {
        country: request.country.clone(),
        max_alternatives: 3,
    };
    request
        .stops
        .iter()
        .enumerate()
        .map(|(i, q)| {
            gazetteer.resolve(q, &options).map_err(|e| Error::Stop {
                position: i + 1,
                error: Box::new(e),
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stop called `name` at `lat`, `lon`, for tests across the crate.
    pub(crate) fn stop(name: &str, lat: f64, lon: f64) -> Stop {
        Stop {
            query: name.into(),
            place: Place::new(name, name, lat, lon).unwrap(),
        }
    }

    #[test]
    fn one_stop_is_too_few() {
        let e = Route::direct(vec![stop("A", 0.0, 0.0)], 10_000.0).unwrap_err();
        assert_eq!(e.to_string(), "a route needs at least two stops, got 1");
    }

    #[test]
    fn repeated_stop_warns_and_gives_zero_leg() {
        let r = Route::direct(
            vec![
                stop("A", 1.0, 1.0),
                stop("A", 1.0, 1.0),
                stop("B", 2.0, 2.0),
            ],
            10_000.0,
        )
        .unwrap();
        assert_eq!(r.legs()[0].distance_m, 0.0);
        assert_eq!(
            r.warnings()[0].to_string(),
            "stop 2 repeats stop 1 (A): that leg has length zero"
        );
    }

    #[test]
    fn cumulative_distances_add_up() {
        let r = Route::direct(
            vec![
                stop("A", 0.0, 0.0),
                stop("B", 0.0, 1.0),
                stop("C", 1.0, 1.0),
            ],
            10_000.0,
        )
        .unwrap();
        assert_eq!(r.cumulative_m(0), 0.0);
        assert_eq!(r.cumulative_m(2), r.total_m());
        assert_eq!(r.cumulative_m(1), r.legs()[0].distance_m);
    }

    #[test]
    fn path_joins_legs_without_repeats() {
        let r = Route::direct(
            vec![
                stop("A", 0.0, 0.0),
                stop("B", 0.0, 0.05),
                stop("C", 0.0, 0.1),
            ],
            100_000.0,
        )
        .unwrap();
        assert_eq!(r.path().0.len(), 3);
    }

    #[test]
    fn bad_segment_length() {
        let e = Route::direct(vec![stop("A", 0.0, 0.0), stop("B", 1.0, 1.0)], 0.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid --max-segment-km: 0 is not a length of at least 0.01 km"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// However the stops wander, the route is never shorter than the
            /// geodesic between its ends (the triangle inequality, to 1 mm).
            #[test]
            fn never_shorter_than_the_geodesic_between_ends(
                pts in proptest::collection::vec((-80.0..80.0f64, -179.0..179.0f64), 2..6)
            ) {
                let stops: Vec<Stop> = pts.iter().map(|&(lat, lon)| stop("s", lat, lon)).collect();
                let (a, b) = (stops[0].place.point(), stops[stops.len() - 1].place.point());
                let r = Route::direct(stops, 100_000.0).unwrap();
                prop_assert!(r.total_m() + 1e-3 >= geodesy::distance_m(a, b));
                prop_assert!((r.cumulative_m(r.stops().len() - 1) - r.total_m()).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn legs_must_match_stops() {
        let stops = vec![stop("A", 0.0, 0.0), stop("B", 1.0, 1.0)];
        let e = Route::from_legs(stops, vec![], Mode::Rail, None).unwrap_err();
        assert!(matches!(e, Error::LegCount { stops: 2, legs: 0 }));
    }
}
