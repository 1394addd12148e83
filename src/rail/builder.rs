//! Collecting track and stations before the graph is built.

use std::collections::HashMap;

use geo::{LineString, Point};

use super::graph::{self, Collected, FastMap, StationIn, TrackKind, WayIn, COORD_ID_BASE};
use super::{snap, NetworkInfo, RailError, RailNetwork};

/// Collects track lines and stations, then builds a [`RailNetwork`].
///
/// Lines share a node where they have a vertex with exactly the same coordinates
/// (to 1e-7 degree). Points are x = longitude, y = latitude.
///
/// ```
/// use geo::{line_string, Point};
/// use routemap::rail::{NetworkInfo, RailNetworkBuilder, RailOptions, RailStop, TrackKind};
///
/// let mut b = RailNetworkBuilder::new(NetworkInfo {
///     name: "toy".into(),
///     source: "hand-made".into(),
///     approximate: false,
/// });
/// b.add_track(&line_string![(x: 10.0, y: 50.0), (x: 10.1, y: 50.0)], TrackKind::Main, &[1435]);
/// b.add_track(&line_string![(x: 10.1, y: 50.0), (x: 10.2, y: 50.01)], TrackKind::Main, &[1435]);
/// b.add_station("East", Point::new(10.2, 50.01));
/// let n = b.build().unwrap();
/// let legs = n
///     .route(
///         &[RailStop::at(Point::new(10.0, 50.0)), RailStop::named("East", Point::new(10.2, 50.0))],
///         &RailOptions::default(),
///     )
///     .unwrap();
/// assert_eq!(legs[0].gauges_mm, vec![1435]);
/// assert_eq!(legs[0].stations, vec!["East".to_string()]);
/// ```
pub struct RailNetworkBuilder {
    pub(crate) info: NetworkInfo,
    /// Nodes by OpenStreetMap id.
    pub(crate) nodes: FastMap<i64, [f64; 2]>,
    /// Nodes keyed by their coordinates: node `COORD_ID_BASE + k` is at
    /// `coord_nodes[k]`.
    pub(crate) coord_nodes: Vec<[f64; 2]>,
    pub(crate) ways: Vec<WayIn>,
    pub(crate) stations: Vec<StationIn>,
    /// Named junctions of corridor files (folded name → lon, lat), to check that
    /// files agree on them.
    pub(crate) junctions: HashMap<String, (f64, f64)>,
    /// Along-track length over geodesic length for track edges (keyed by the two
    /// node ids, smaller first) whose length is known from published kilometre
    /// posts: the corridor files' `km` column.
    pub(crate) edge_scale: FastMap<(i64, i64), f64>,
    /// Stations up to this far from the track (metres) are attached to it.
    pub(crate) station_attach_m: f64,
    coord_ids: FastMap<(i64, i64), i64>,
    /// The first node id read twice at two different places (id, first,
    /// second), which makes an extract ambiguous.
    pub(crate) duplicate_node: Option<(i64, [f64; 2], [f64; 2])>,
}

impl RailNetworkBuilder {
    /// An empty network described by `info`.
    pub fn new(info: NetworkInfo) -> Self {
        RailNetworkBuilder {
            info,
            nodes: FastMap::default(),
            coord_nodes: Vec::new(),
            ways: Vec::new(),
            stations: Vec::new(),
            junctions: HashMap::new(),
            edge_scale: FastMap::default(),
            station_attach_m: graph::STATION_ATTACH_M,
            coord_ids: FastMap::default(),
            duplicate_node: None,
        }
    }

    /// Adds a line of track (x = longitude, y = latitude) of the given kind and
    /// gauges in millimetres (empty when unknown; two or more for dual gauge).
    /// Vertices with non-finite or out-of-range coordinates are dropped.
    pub fn add_track(&mut self, line: &LineString, kind: TrackKind, gauges_mm: &[u32]) {
        let refs: Vec<i64> = line
            .coords()
            .filter(|c| valid(c.x, c.y))
            .map(|c| self.coord_node(c.x, c.y))
            .collect();
        self.way(refs, kind, gauges_mm.to_vec());
    }

    /// Like [`RailNetworkBuilder::add_track`], for track whose geometry only
    /// approximates the real line (drawn between cited points): legs report the
    /// kilometres they run on it as approximate, and maps draw it differently.
    /// Where it meets other track, any change of direction is allowed, since its
    /// direction there is not known (a link between a corridor and real track).
    pub fn add_approximate_track(&mut self, line: &LineString, gauges_mm: &[u32]) {
        let refs: Vec<i64> = line
            .coords()
            .filter(|c| valid(c.x, c.y))
            .map(|c| self.coord_node(c.x, c.y))
            .collect();
        if refs.len() >= 2 {
            self.ways.push(WayIn {
                refs,
                kind: TrackKind::Main,
                gauges: gauges_mm.to_vec(),
                approximate: true,
                free_turns: true,
            });
        }
    }

    /// Adds a station (x = longitude, y = latitude). A station at exactly the
    /// coordinates of a track vertex (added before or after it) stands on that
    /// track; any other is attached to the nearest track within 1 km for the list
    /// of stations a leg passes.
    pub fn add_station(&mut self, name: &str, point: Point) {
        if !valid(point.x(), point.y()) || name.trim().is_empty() {
            return;
        }
        // Whether it stands on a track vertex is settled in `build`, once all
        // track is in.
        self.stations.push(StationIn {
            name: name.trim().to_string(),
            lonlat: [point.x(), point.y()],
            node: None,
        });
    }

    /// Builds the routing graph.
    ///
    /// # Errors
    /// [`RailError::EmptyNetwork`] when no track was added.
    pub fn build(mut self) -> Result<RailNetwork, RailError> {
        for st in self.stations.iter_mut().filter(|s| s.node.is_none()) {
            st.node = self
                .coord_ids
                .get(&key(st.lonlat[0], st.lonlat[1]))
                .copied();
        }
        let attach_m = self.station_attach_m;
        let (mut graph, off_track) = graph::build(Collected {
            info: self.info,
            nodes: self.nodes,
            coord_nodes: self.coord_nodes,
            ways: self.ways,
            stations: self.stations,
            edge_scale: self.edge_scale,
        })?;
        // Stations standing off the track go to the nearest track vertex; the
        // index built to find it is kept for routing.
        let index = (!off_track.is_empty()).then(|| {
            let (attached, index) = snap::attach_stations(&graph, &off_track, attach_m);
            let mut all: Vec<(u32, u32, u32)> = (0..graph.segment_count())
                .flat_map(|s| {
                    graph
                        .seg_stations(s)
                        .iter()
                        .map(move |&(k, st)| (s as u32, k, st))
                })
                .collect();
            all.extend(attached);
            graph::set_stations(&mut graph, all);
            index
        });
        let network = RailNetwork::from_graph(graph);
        if let Some(index) = index {
            let _ = network.index.set(index);
        }
        Ok(network)
    }

    /// Makes room for about `vertices` more track vertices, so that the maps
    /// of a large network are not grown step by step.
    pub(crate) fn reserve(&mut self, vertices: usize) {
        self.coord_ids.reserve(vertices);
        self.coord_nodes.reserve(vertices);
    }

    /// The node at these coordinates, created when new (keyed to 1e-7 degree).
    pub(crate) fn coord_node(&mut self, lon: f64, lat: f64) -> i64 {
        let k = key(lon, lat);
        if let Some(id) = self.coord_ids.get(&k) {
            return *id;
        }
        let id = COORD_ID_BASE + self.coord_nodes.len() as i64;
        self.coord_ids.insert(k, id);
        self.coord_nodes.push([lon, lat]);
        id
    }

    pub(crate) fn node(&mut self, id: i64, lon: f64, lat: f64) {
        if valid(lon, lat) {
            if let Some(before) = self.nodes.insert(id, [lon, lat]) {
                if before != [lon, lat] && self.duplicate_node.is_none() {
                    self.duplicate_node = Some((id, before, [lon, lat]));
                }
            }
        }
    }

    pub(crate) fn way(&mut self, refs: Vec<i64>, kind: TrackKind, gauges: Vec<u32>) {
        if refs.len() >= 2 {
            self.ways.push(WayIn {
                refs,
                kind,
                gauges,
                approximate: false,
                free_turns: false,
            });
        }
    }

    pub(crate) fn approximate_way(&mut self, refs: Vec<i64>, gauges: Vec<u32>) {
        if refs.len() >= 2 {
            self.ways.push(WayIn {
                refs,
                kind: TrackKind::Main,
                gauges,
                approximate: true,
                free_turns: false,
            });
        }
    }

    pub(crate) fn station_node(&mut self, name: &str, id: Option<i64>, lon: f64, lat: f64) {
        if valid(lon, lat) && !name.trim().is_empty() {
            self.stations.push(StationIn {
                name: name.trim().to_string(),
                lonlat: [lon, lat],
                node: id,
            });
        }
    }
}

fn valid(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

fn key(lon: f64, lat: f64) -> (i64, i64) {
    ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64)
}

/// Parses an OpenStreetMap `gauge=` value ("1435", "1435;1520") into millimetres.
pub(crate) fn parse_gauges(v: &str) -> Vec<u32> {
    let mut out: Vec<u32> = v
        .split([';', ','])
        .filter_map(|g| g.trim().parse().ok())
        .filter(|g| *g > 0)
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauges_parse_dual_and_junk() {
        assert_eq!(parse_gauges("1435"), vec![1435]);
        assert_eq!(parse_gauges("1435;1520"), vec![1435, 1520]);
        assert_eq!(parse_gauges("standard"), Vec::<u32>::new());
    }

    #[test]
    fn shared_coordinates_share_a_node() {
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "t".into(),
            source: String::new(),
            approximate: false,
        });
        let a = b.coord_node(10.0, 50.0);
        let c = b.coord_node(10.00000001, 50.0);
        assert_eq!(a, c);
        assert_ne!(a, b.coord_node(10.001, 50.0));
    }
}
