//! # routemap
//!
//! Turns place names into coordinates, joins them into routes, and hands the
//! result over as RFC 7946 GeoJSON — offline, with its reference data
//! compiled in.
//!
//! Data flows one way: text ([`extract`]) → [`gazetteer`] (places) → [`route`] (stops and
//! legs, measured with [`geodesy`], along track with [`rail`]) → [`output`]
//! (GeoJSON, tables, files).
//!
//! ## Resolve a name
//!
//! ```
//! use routemap::gazetteer::{Gazetteer, ResolveOptions};
//! let gaz = Gazetteer::builtin()?;
//! let r = gaz.resolve("Wladiwostok", &ResolveOptions::default())?;
//! assert_eq!(r.place().name(), "Vladivostok");
//! println!("{:.4}, {:.4}", r.place().lat(), r.place().lon()); // lat, lon
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Build a route
//!
//! ```
//! use routemap::gazetteer::Gazetteer;
//! use routemap::route::{Route, RouteRequest};
//! let gaz = Gazetteer::builtin()?;
//! let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan", "Vostochny Cosmodrome"]))?;
//! for leg in route.legs() {
//!     println!("{:.0} km", leg.distance_m / 1000.0); // geodesic, WGS 84
//! }
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Write GeoJSON
//!
//! ```
//! # use routemap::gazetteer::Gazetteer;
//! # use routemap::route::{Route, RouteRequest};
//! # let gaz = Gazetteer::builtin()?;
//! # let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"]))?;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("route.geojson");
//! let text = routemap::output::geojson::to_string(&route);
//! routemap::output::write_atomic(&path, text.as_bytes())?; // temp file + rename
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Write GeoPackage, KML, GPX, CSV or FlatGeobuf
//!
//! ```
//! # use routemap::gazetteer::Gazetteer;
//! # use routemap::route::{Route, RouteRequest};
//! # let gaz = Gazetteer::builtin()?;
//! # let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"]))?;
//! use routemap::output::{self, Format};
//! let fc = output::geojson::route_collection(&route);
//! let dir = tempfile::tempdir().unwrap();
//! let files = [Format::GeoPackage, Format::Kml, Format::Gpx]
//!     .map(|f| Ok((dir.path().join(format!("trip.{}", f.name())), output::encode(f, &fc, route.name())?)))
//!     .into_iter()
//!     .collect::<Result<Vec<_>, routemap::Error>>()?;
//! output::write_all_atomic(&files)?; // all or none
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Draw a map
//!
//! ```
//! # use routemap::gazetteer::Gazetteer;
//! # use routemap::route::{Route, RouteRequest};
//! # let gaz = Gazetteer::builtin()?;
//! # let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"]))?;
//! use routemap::render::{self, MapData, MapStyle};
//! let data = MapData::from_route(&route, routemap::geodesy::Units::Km);
//! let drawing = render::draw(&data, &MapStyle::new(800, 600)?)?;
//! let png: Vec<u8> = drawing.png()?; // SVG in drawing.svg
//! assert!(png.starts_with(b"\x89PNG"));
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Route along the railway
//!
//! ```
//! use routemap::gazetteer::Gazetteer;
//! use routemap::rail::{RailNetwork, RailOptions};
//! use routemap::route::{Route, RouteRequest};
//! let gaz = Gazetteer::builtin()?;
//! let net = RailNetwork::builtin()?; // or RailNetwork::from_path("extract.osm.pbf")
//! let req = RouteRequest::new(["Pyongyang", "Khasan", "Vostochny Cosmodrome"]);
//! let route = Route::resolve_rail(&gaz, &req, &net, &RailOptions::default())?;
//! for leg in route.legs() {
//!     // along the track vs the geodesic, metres
//!     assert!(leg.distance_m > leg.straight_m);
//! }
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! See [`rail`] for the networks, the turn and reversal rules, gauges and
//! snapping.
//!
//! ## Read the places and the journey of a text
//!
//! ```
//! use routemap::extract::{Extractor, ExtractOptions, Journey};
//! use routemap::gazetteer::Gazetteer;
//! let gaz = Gazetteer::builtin()?;
//! let mut ex = Extractor::new(&gaz, ExtractOptions::default());
//! let text = "Kim left Pyongyang on Sunday and arrived in Vladivostok on Tuesday.";
//! let found = ex.extract(text);
//! assert_eq!(found.mentions.len(), 2);
//! let journey = Journey::from_extraction(&found);
//! let stops: Vec<&str> = journey.stops.iter().map(|s| s.place.name()).collect();
//! assert_eq!(stops, ["Pyongyang", "Vladivostok"]);
//! # Ok::<(), routemap::Error>(())
//! ```
//!
//! ## Limits
//!
//! - The built-in gazetteer is a curated set of places (the seed story and
//!   its railway); add your own with [`gazetteer::Gazetteer::add_file`].
//! - Direct legs follow the geodesic: the shortest path on the ellipsoid,
//!   not a road or railway. Rail legs follow track; on the built-in corridors
//!   the drawn track is an approximation that cuts the curves of the real line,
//!   and distances come from the lines' published kilometre posts where the
//!   corridor files give them (`gazetteer/rail/README.md`).
//! - Coordinates are WGS 84 degrees; `geo` points hold `x` = longitude,
//!   `y` = latitude.

#![warn(missing_docs)]

pub mod error;
pub mod extract;
pub mod gazetteer;
pub mod geodesy;
pub mod input;
pub mod output;
pub mod rail;
pub mod render;
pub mod route;

pub use error::{Error, Result};
