//! Rail routing: routes that follow the track, not the geodesic.
//!
//! A [`RailNetwork`] is a graph of track built from one of:
//! - the built-in network ([`RailNetwork::builtin`]), compiled into the binary:
//!   the railways of Russia traced over OpenStreetMap
//!   (`gazetteer/rail/russia-osm.rmtrack`, © OpenStreetMap contributors, ODbL
//!   1.0), joined to corridors drawn between cited stations where no real track
//!   is known (North Korea, the Vostochny Cosmodrome branch; `gazetteer/rail/*.tsv`),
//!   whose kilometres each leg reports as [`RailLeg::approximate_m`];
//! - an OpenStreetMap extract (`.osm.pbf`, `.osm` XML) or GeoJSON LineStrings
//!   ([`RailNetwork::from_path`]);
//! - a graph file written earlier by [`RailNetwork::to_bytes`] (loaded without rebuilding);
//! - lines of your own ([`RailNetworkBuilder`]).
//!
//! [`RailNetwork::route`] joins two or more [`RailStop`]s with one [`RailLeg`] per
//! consecutive pair.
//!
//! # How trains are modelled
//! The graph is built on *directed track segments* (track between two junctions,
//! travelled one way), not on bare nodes, so that a transition from one segment to
//! the next is allowed only when a train could take it:
//! - the direction may change by at most [`RailOptions::max_turn_deg`] (45° by
//!   default) where one segment meets the next, and a segment whose own geometry
//!   bends more sharply than that is not used;
//! - a train reverses only at a terminus or at a junction whose line leaves
//!   facing the way it came, never in the middle of a line; each reversal costs
//!   [`REVERSAL_PENALTY_KM`] when choosing the path and is reported
//!   ([`RailLeg::reversals`]); each leg starts afresh in either direction;
//! - a leg much longer than the shortest path along the track that ignores these
//!   rules is flagged ([`RailLeg::detour_shortest_m`]), never silent.
//!
//! Light rail (`railway=light_rail`) is used only with
//! [`RailOptions::include_light_rail`], tram and subway only with
//! [`RailOptions::include_tram_subway`].
//!
//! Yards, sidings and spurs (`service=yard|siding|spur`) are used only as a last
//! resort (their length counts five times); `service=crossover` counts normally.
//!
//! # Coordinates and units
//! Points are [`geo::Point`] with **x = longitude, y = latitude** (degrees, WGS 84).
//! Lengths are metres, measured on the WGS 84 ellipsoid and summed along the
//! track geometry: Karney's geodesic (2013, `geographiclib-rs`) for pieces over
//! about 3 km, the ellipsoid's local tangent plane (within 1 mm of it) for the
//! short pieces that make up nearly all real track.
//!
//! # Example
//! ```
//! use geo::{Distance, Geodesic, Point};
//! use routemap::rail::{RailNetwork, RailOptions, RailStop};
//!
//! let network = RailNetwork::builtin().unwrap();
//! let (a, b) = (Point::new(131.95, 43.80), Point::new(135.07, 48.48)); // lon, lat
//! let stops = [RailStop::named("Ussuriysk", a), RailStop::named("Khabarovsk", b)];
//! let legs = network.route(&stops, &RailOptions::default()).unwrap();
//! assert_eq!(legs.len(), 1);
//! // Along the Trans-Siberian: longer than the geodesic between them.
//! assert!(legs[0].length_m > Geodesic.distance(a, b));
//! assert!(legs[0].stations.iter().any(|s| s == "Vyazemsky"));
//! ```

mod builder;
mod corridor;
mod error;
mod flat;
mod graph;
mod osm;
mod places;
mod search;
mod snap;
mod store;
mod track;

use std::path::Path;
use std::sync::OnceLock;

use geo::{LineString, Point};
use serde::{Deserialize, Serialize};

pub use builder::RailNetworkBuilder;
pub use error::RailError;
pub use graph::TrackKind;
pub use places::{
    places_passed, PlacePassed, BIG_CITY_POPULATION, PLACE_PASSED_BIG_M, PLACE_PASSED_M,
    PLACE_PASSED_MIN_POPULATION,
};

use graph::Graph;

/// Provenance of the built-in network, recorded in outputs.
pub const BUILTIN_SOURCE: &str = "Russian railways traced over OpenStreetMap by trolleway (russian-railways-simplegeodata), © OpenStreetMap contributors, ODbL 1.0; where no track is known (North Korea, the Vostochny cosmodrome branch) routemap's corridors between cited stations (GeoNames CC BY 4.0 and cited sources), approximate";

/// On the built-in network, cited stations up to this far from the real track
/// (metres) are placed on it.
const BUILTIN_STATION_ATTACH_M: f64 = 3_000.0;

/// Default search radius around a stop for the nearest track, in kilometres.
/// Ten kilometres: a city's point may lie that far from its line (Irkutsk
/// 5.3 km, Komsomolsk-on-Amur 6 km).
pub const DEFAULT_SNAP_KM: f64 = 10.0;
/// Default largest change of direction allowed where track segments meet, in degrees.
pub const DEFAULT_MAX_TURN_DEG: f64 = 45.0;

/// What network a route was computed on, for the output's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkInfo {
    /// A short name: `"built-in corridors"` or the file name it was read from.
    pub name: String,
    /// What the data is and where it comes from (licence, attribution).
    pub source: String,
    /// `true` when the geometry is a corridor approximation (the built-in network):
    /// stations stand at their town's point or a cited position, the track between
    /// them follows shape points, and along-track lengths come out shorter than the
    /// real line (see `gazetteer/rail/README.md`).
    pub approximate: bool,
}

/// One stop of a rail route.
#[derive(Debug, Clone, PartialEq)]
pub struct RailStop {
    /// The place name, matched against station names of the network (case-, accent-
    /// and punctuation-insensitive). `None` snaps to the nearest track.
    pub name: Option<String>,
    /// Where the stop is: x = longitude, y = latitude (degrees, WGS 84).
    pub point: Point,
}

impl RailStop {
    /// A stop with a name to look for among the stations.
    ///
    /// ```
    /// use routemap::rail::RailStop;
    /// let s = RailStop::named("Khasan", geo::Point::new(130.68, 42.43)); // lon, lat
    /// assert_eq!(s.name.as_deref(), Some("Khasan"));
    /// ```
    pub fn named(name: &str, point: Point) -> Self {
        RailStop {
            name: Some(name.to_string()),
            point,
        }
    }

    /// A stop given only by its coordinates (x = longitude, y = latitude).
    ///
    /// ```
    /// let s = routemap::rail::RailStop::at(geo::Point::new(131.9, 43.1));
    /// assert!(s.name.is_none());
    /// ```
    pub fn at(point: Point) -> Self {
        RailStop { name: None, point }
    }

    fn label(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("{:.5},{:.5}", self.point.y(), self.point.x()),
        }
    }
}

/// How to route.
#[derive(Debug, Clone, PartialEq)]
pub struct RailOptions {
    /// How far from a stop (kilometres) the nearest track may be. Default 10.
    pub snap_km: f64,
    /// Require this track gauge (millimetres, e.g. 1435 or 1520). Track whose gauge is
    /// not tagged is allowed; track tagged with other gauges is not. Default: any.
    pub gauge: Option<u32>,
    /// Also use `railway=tram` and `railway=subway` track. Default `false`.
    pub include_tram_subway: bool,
    /// Also use `railway=light_rail` track (a Stadtbahn). Default `false`: routes
    /// take the main line, as main-line trains do.
    pub include_light_rail: bool,
    /// Largest change of direction (degrees) allowed between one piece of track and
    /// the next. Default 45.
    pub max_turn_deg: f64,
}

impl Default for RailOptions {
    fn default() -> Self {
        RailOptions {
            snap_km: DEFAULT_SNAP_KM,
            gauge: None,
            include_tram_subway: false,
            include_light_rail: false,
            max_turn_deg: DEFAULT_MAX_TURN_DEG,
        }
    }
}

/// Where a stop was put on the track.
#[derive(Debug, Clone, PartialEq)]
pub struct Snap {
    /// The point on the track (x = longitude, y = latitude).
    pub point: Point,
    /// The station the stop matched or snapped near, if any.
    pub station: Option<String>,
    /// Geodesic distance from the stop's own point to `point`, metres.
    pub distance_m: f64,
    /// `true` when the stop matched a station by name.
    pub by_name: bool,
}

/// One leg of a rail route: the track from one stop to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct RailLeg {
    /// Track geometry from `from.point` to `to.point`, x = longitude, y = latitude.
    pub path: LineString,
    /// Length along the track, metres: the sum of the geodesic lengths of `path`'s
    /// segments on the WGS 84 ellipsoid, except on corridor lines with kilometre
    /// posts, where it is the track length the posts give (longer than the drawn
    /// line, which cuts the curves).
    pub length_m: f64,
    /// The gauges (mm) of the track used, in the order first met; empty when untagged.
    /// Dual-gauge track contributes all its gauges.
    pub gauges_mm: Vec<u32>,
    /// Names of the stations the leg passes, in order, including its ends when they
    /// are stations.
    pub stations: Vec<String>,
    /// Where the leg passes each of [`RailLeg::stations`] (same length, same order):
    /// the station's own position when it stands on the track, else the nearest
    /// point of the track beside it (a station is attached to track within 1 km), or
    /// where the stop was put on the track for a station at an end of the leg.
    /// x = longitude, y = latitude. It lies on the track [`RailLeg::path`] follows,
    /// so a map can mark it on the line.
    pub station_points: Vec<Point>,
    /// Where the leg's first stop was put on the track.
    pub from: Snap,
    /// Where the leg's last stop was put on the track.
    pub to: Snap,
    /// Where the train reverses: at a terminus, or at a junction where the line
    /// it takes leaves facing the way it came (each costs
    /// [`REVERSAL_PENALTY_KM`] when choosing the path).
    pub reversals: Vec<Reversal>,
    /// Length run on approximate track (corridors drawn between cited points where
    /// no real track is known), metres; 0 on traced track only.
    pub approximate_m: f64,
    /// The stretches of [`RailLeg::path`] on approximate track, in order.
    pub approximate_parts: Vec<LineString>,
    /// When the legal path is much longer than the shortest path along the track
    /// that ignores where trains can turn and reverse (more than
    /// [`DETOUR_FACTOR`] times, and 20 km or more longer), that shortest
    /// path's length, metres: the leg takes a detour the user should hear about.
    pub detour_shortest_m: Option<f64>,
}

/// Where a train reverses on a leg.
#[derive(Debug, Clone, PartialEq)]
pub struct Reversal {
    /// The junction or terminus, x = longitude, y = latitude.
    pub point: Point,
    /// The nearest station within 30 km, if any.
    pub near: Option<String>,
}

/// What a reversal costs when choosing a path, kilometres of track: a run-round
/// of the locomotive takes 15 minutes or more (OpenRailRouting prices a u-turn at
/// 180–900 s), some 20 km at main-line speed. A path with a reversal thus beats
/// any detour more than 20 km longer, and never replaces a shorter one.
pub const REVERSAL_PENALTY_KM: f64 = 20.0;

/// A leg is a detour, and said to be, when it is more than this many times as
/// long as the shortest path along the track ignoring turn rules.
pub const DETOUR_FACTOR: f64 = 1.5;

/// A rail network ready for routing. Immutable once built.
#[derive(Debug)]
pub struct RailNetwork {
    graph: Graph,
    index: OnceLock<snap::TrackIndex>,
}

impl RailNetwork {
    fn from_graph(graph: Graph) -> Self {
        RailNetwork {
            graph,
            index: OnceLock::new(),
        }
    }

    /// The built-in network, compiled in: the Russian railway lines traced over
    /// OpenStreetMap (`gazetteer/rail/russia-osm.rmtrack`, © OpenStreetMap
    /// contributors, ODbL 1.0), joined to the corridors drawn between cited
    /// stations where no real track is known (North Korea, the cosmodrome
    /// branch: approximate track), with the cited stations of every corridor
    /// file placed on the track they belong to.
    ///
    /// ```
    /// let n = routemap::rail::RailNetwork::builtin().unwrap();
    /// assert!(!n.info().approximate);
    /// assert!(n.info().source.contains("OpenStreetMap contributors"));
    /// ```
    pub fn builtin() -> Result<Self, RailError> {
        let mut builder = RailNetworkBuilder::new(NetworkInfo {
            name: "built-in network".into(),
            source: BUILTIN_SOURCE.into(),
            approximate: false,
        });
        // The corridor files' stations stand at cited points, some of them the
        // town's point 1–3 km from the line (Ussuriysk 1.6 km, Belogorsk 2.1 km).
        builder.station_attach_m = BUILTIN_STATION_ATTACH_M;
        track::read(&mut builder, track::BUILTIN)?;
        for (file, text) in corridor::BUILTIN {
            if corridor::TRACK_FILES.contains(file) {
                corridor::read(&mut builder, file, text)?;
            }
        }
        for (file, text) in corridor::BUILTIN {
            if !corridor::TRACK_FILES.contains(file) {
                corridor::read_stations(&mut builder, file, text)?;
            }
        }
        builder.build()
    }

    /// Reads a network from a file, by its extension: `.osm.pbf`/`.pbf` (OpenStreetMap
    /// PBF), `.osm`/`.xml` (OpenStreetMap XML), `.geojson`/`.json` (LineStrings of
    /// track, Points of stations), `.tsv` (one corridor file in the built-in format),
    /// or a graph file written by [`RailNetwork::to_bytes`] (recognised by its header).
    ///
    /// ```
    /// let e = routemap::rail::RailNetwork::from_path("no/such/file.osm").unwrap_err();
    /// assert!(e.to_string().contains("no/such/file.osm"));
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, RailError> {
        let path = path.as_ref();
        if store::is_graph_file(path)? {
            let (graph, index) = store::load(path)?;
            let network = Self::from_graph(graph);
            let _ = network.index.set(index);
            return Ok(network);
        }
        let lower = path.to_string_lossy().to_lowercase();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut builder = RailNetworkBuilder::new(NetworkInfo {
            name: file_name,
            source: String::new(),
            approximate: false,
        });
        if lower.ends_with(".pbf") {
            builder.info.source = osm::OSM_SOURCE.into();
            osm::read_pbf(&mut builder, path)?;
        } else if lower.ends_with(".osm") || lower.ends_with(".xml") {
            builder.info.source = osm::OSM_SOURCE.into();
            osm::read_xml(&mut builder, path)?;
        } else if lower.ends_with(".geojson") || lower.ends_with(".json") {
            builder.info.source = "GeoJSON LineStrings".into();
            osm::read_geojson(&mut builder, path)?;
        } else if lower.ends_with(".tsv") {
            builder.info.source = "corridor file".into();
            builder.info.approximate = true;
            let text = std::fs::read_to_string(path).map_err(|e| RailError::io(path, e))?;
            corridor::read(&mut builder, &path.display().to_string(), &text)?;
        } else {
            return Err(RailError::UnknownFormat {
                path: path.display().to_string(),
            });
        }
        // One id at two places: which one the track means cannot be told,
        // and taking either once turned a 22 km route into 39,984 km.
        if let Some((id, [lon1, lat1], [lon2, lat2])) = builder.duplicate_node {
            return Err(RailError::parse(
                path,
                format!(
                    "node {id} appears twice, at {lat1},{lon1} and at {lat2},{lon2}: \
                     an extract must hold each node once (re-export it)"
                ),
            ));
        }
        builder.build()
    }

    /// The graph file's bytes: the built graph with its nearest-track index and
    /// a CRC-32, for [`RailNetwork::from_path`] to load without rebuilding.
    /// Write them with [`crate::output::write_atomic`] (as `routemap rail
    /// build` does) so that a failure never leaves a partial file.
    ///
    /// ```
    /// let n = routemap::rail::RailNetwork::builtin().unwrap();
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = dir.path().join("russia.rmrail");
    /// routemap::output::write_atomic(&file, &n.to_bytes()).unwrap();
    /// let back = routemap::rail::RailNetwork::from_path(&file).unwrap();
    /// assert_eq!(back.info(), n.info());
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        store::to_bytes(&self.graph, self.index())
    }

    /// What this network is, for the output's metadata.
    pub fn info(&self) -> &NetworkInfo {
        &self.graph.info
    }

    /// Size of the network: (graph nodes, track segments, track vertices, stations).
    ///
    /// ```
    /// let (nodes, segments, vertices, stations) =
    ///     routemap::rail::RailNetwork::builtin().unwrap().size();
    /// assert!(nodes > 0 && segments > 0 && vertices > segments && stations > 10);
    /// ```
    pub fn size(&self) -> (usize, usize, usize, usize) {
        let g = &self.graph;
        (
            g.node_count(),
            g.segment_count(),
            g.verts.len(),
            g.stations.len(),
        )
    }

    /// Names of the network's stations, in the order read.
    ///
    /// ```
    /// let n = routemap::rail::RailNetwork::builtin().unwrap();
    /// assert!(n.station_names().any(|s| s == "Khasan"));
    /// ```
    pub fn station_names(&self) -> impl Iterator<Item = &str> {
        self.graph.stations.iter().map(|s| s.name.as_str())
    }

    /// The station named `name`, compared as stops are matched to stations (case,
    /// accents, punctuation and the abbreviations "Hbf"/"Bf" aside), with its
    /// point; the first read when several share the name.
    ///
    /// ```
    /// let n = routemap::rail::RailNetwork::builtin().unwrap();
    /// let (name, point) = n.station("KHABAROVSK").unwrap();
    /// assert_eq!(name, "Khabarovsk");
    /// assert!((point.y() - 48.5).abs() < 0.1);
    /// assert!(n.station("Atlantis").is_none());
    /// ```
    pub fn station(&self, name: &str) -> Option<(&str, Point)> {
        let key = graph::station_key(name);
        if key.is_empty() {
            return None;
        }
        self.graph
            .stations
            .iter()
            .find(|s| s.key == key)
            .map(|s| (s.name.as_str(), Point::new(s.lonlat[0], s.lonlat[1])))
    }

    /// The running lines (not yards, sidings or tram track) with a vertex inside
    /// the box `west, south, east, north` (degrees; no antimeridian wrap), one
    /// line per piece of track between junctions, x = longitude: what a map draws
    /// as the railways around a route.
    ///
    /// ```
    /// let n = routemap::rail::RailNetwork::builtin().unwrap();
    /// // Around Khabarovsk: the Trans-Siberian both ways and the line north.
    /// let lines = n.lines_within(134.0, 48.0, 136.0, 49.5);
    /// assert!(lines.len() >= 2);
    /// assert!(n.lines_within(0.0, 0.0, 1.0, 1.0).is_empty());
    /// ```
    pub fn lines_within(&self, west: f64, south: f64, east: f64, north: f64) -> Vec<LineString> {
        let g = &self.graph;
        let inside = |v: &[f64; 2]| v[0] >= west && v[0] <= east && v[1] >= south && v[1] <= north;
        (0..g.segment_count())
            .filter(|&s| g.seg_kind[s] == TrackKind::Main.code())
            .filter_map(|s| {
                let verts = &g.verts[g.seg_range(s)];
                verts.iter().any(inside).then(|| {
                    verts
                        .iter()
                        .map(|v| geo::Coord { x: v[0], y: v[1] })
                        .collect::<LineString>()
                })
            })
            .collect()
    }

    /// Routes through `stops` in order, one [`RailLeg`] per consecutive pair.
    ///
    /// Each stop is put on the track: at the station matching its name (within
    /// 50 km of its point) when there is one; on a corridor approximation
    /// ([`NetworkInfo::approximate`]) at the nearest station within 30 km (or
    /// `snap_km`); otherwise at the nearest usable track within `snap_km`. Every
    /// track near that station or point is a candidate, and the best path wins.
    ///
    /// # Errors
    /// [`RailError::TooFewStops`], [`RailError::TooFar`] when a stop has no track
    /// within [`RailOptions::snap_km`], [`RailError::Unreachable`] when no legal train
    /// path joins two stops, [`RailError::BadOption`] for a non-finite or negative
    /// option.
    pub fn route(&self, stops: &[RailStop], opts: &RailOptions) -> Result<Vec<RailLeg>, RailError> {
        search::route(self, stops, opts)
    }

    fn index(&self) -> &snap::TrackIndex {
        self.index
            .get_or_init(|| snap::TrackIndex::new(&self.graph))
    }
}

#[cfg(test)]
mod tests;
