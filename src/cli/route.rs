//! `routemap route`: stops joined into a route, as a table and GeoJSON.

use super::distance::parse_units;
use super::map::MapArgs;
use anyhow::Result;
use routemap::gazetteer::Gazetteer;
use routemap::geodesy::Units;
use routemap::output::format::Target;
use routemap::output::{self, geojson, table, Format};
use routemap::render::{self, MapData};
use routemap::route::{Mode, Route, RouteRequest};
use routemap::Error;
use std::path::PathBuf;
use std::process::ExitCode;

/// Join two or more stops into a route; print its legs, write GeoJSON.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap route Pyongyang Khasan \"Vostochny Cosmodrome\" -o output/kim-2023
  routemap route Moscow Tokyo Washington --units mi --geojson -
  routemap route \"39.0339,125.7543\" Seoul --json
  routemap route Pyongyang Khasan \"Vostochny Cosmodrome\" --mode rail -o output/kim-2023-rail
  routemap route \"Erfurt Hbf\" \"Halle (Saale) Hbf\" --mode rail --rail-network rail.osm.pbf
  routemap route Tokyo Anchorage Seattle --png pacific.png --style dark --size 1200x900
  routemap route Pyongyang Khasan -o trip.gpkg -o trip.kml -o trip.gpx
  routemap route Pyongyang Khasan -o trip --formats geojson,gpkg,kml,png")]
pub struct Args {
    /// Stops in order: place names or lat,lon coordinates (two or more).
    #[arg(value_name = "PLACE", value_parser = super::place_arg, required_unless_present = "from_text")]
    stops: Vec<String>,
    /// Take the stops from the journey a text tells (see `extract --journey`).
    #[arg(long, value_name = "FILE", conflicts_with = "stops")]
    from_text: Option<PathBuf>,
    /// Write the route as GeoJSON to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    geojson: Option<PathBuf>,
    #[command(flatten)]
    outs: super::output::OutArgs,
    /// Distance units for the table and --json: km, mi or nmi.
    #[arg(long, default_value = "km", value_parser = parse_units)]
    units: Units,
    /// How legs join stops: direct (geodesic) or rail.
    #[arg(long, default_value = "direct", value_parser = parse_mode)]
    mode: Mode,
    /// Longest segment of a densified direct leg, kilometres.
    #[arg(
        long,
        value_name = "KM",
        default_value_t = 10.0,
        allow_negative_numbers = true
    )]
    max_segment_km: f64,
    /// Prefer places in this country (ISO 3166-1 alpha-2 code or name).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// A title for the route (the GeoJSON `name` and the map's title).
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    map: MapArgs,
    /// Print the route as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    rail: super::rail::RailArgs,
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

pub fn run(gaz: &Gazetteer, inputs: &[PathBuf], mut args: Args) -> Result<ExitCode> {
    if let Some(path) = &args.from_text {
        args.stops = super::extract::journey_stops(gaz, path)?;
    }
    // Outputs are checked before any work: a wrong extension or an output
    // that is an input fails at once.
    let mut extra = vec![(args.geojson.as_ref(), Format::GeoJson, "--geojson")];
    extra.extend(args.map.extra_targets());
    let targets = args
        .outs
        .targets(&[Format::GeoJson, Format::Png], &Format::ALL, &extra)?;
    let mut inputs = inputs.to_vec();
    inputs.extend(args.rail.rail_network.iter().cloned());
    inputs.extend(args.from_text.iter().cloned());
    let outputs: Vec<PathBuf> = targets
        .iter()
        .map(|t| t.path.clone())
        .chain(args.map.layout_json.iter().cloned())
        .collect();
    output::check_not_input(&outputs, &inputs).map_err(Error::from)?;
    // Legs are densified only when some geometry is written: a table of
    // 10,000 stops needs no vertices between them.
    routemap::route::check_max_segment_km(args.max_segment_km)?;
    let geometry = !targets.is_empty() || args.map.layout_json.is_some();
    let request = RouteRequest {
        stops: args.stops.clone(),
        mode: args.mode,
        max_segment_m: if geometry {
            args.max_segment_km * 1000.0
        } else {
            // Longer than any geodesic: the legs stay two points each.
            4.1e7
        },
        country: args.country.clone(),
    };
    let mut network = None;
    let mut route = match args.mode {
        Mode::Direct => {
            args.rail.reject_with_direct()?;
            Route::resolve(gaz, &request)?
        }
        Mode::Rail => {
            let options = args.rail.options()?;
            let network = network.insert(args.rail.network()?);
            let info = network.info();
            eprintln!(
                "routemap: rail network: {}{}",
                info.name,
                if info.approximate {
                    " (corridor approximation: track drawn through sourced stations and shape points; distances from the lines' kilometre posts where known)"
                } else if args.rail.is_builtin() {
                    " (Russian railways from OpenStreetMap, © OpenStreetMap contributors; approximate corridors in North Korea and to the Vostochny Cosmodrome)"
                } else {
                    ""
                }
            );
            Route::resolve_rail(gaz, &request, network, &options)?
        }
    };
    if let Some(title) = &args.title {
        route = route.with_name(title.clone());
    }
    for w in route.warnings() {
        eprintln!("routemap: warning: {w}");
    }
    // Approximate track is said, leg by leg, not only drawn.
    for (i, leg) in route.legs().iter().enumerate() {
        let Some(rail) = leg.rail.as_ref().filter(|r| r.approximate_m >= 50.0) else {
            continue;
        };
        eprintln!(
            "routemap: leg {} ({} → {}): {} of {} on approximate track (a corridor drawn between cited stations: no real track known there)",
            i + 1,
            route.stops()[leg.from].place.name(),
            route.stops()[leg.to].place.name(),
            render::distance_label(rail.approximate_m, args.units),
            render::distance_label(leg.distance_m, args.units)
        );
    }

    // Every output is rendered before any is written, so that a failure
    // leaves no file behind.
    let fc = geojson::route_collection(&route);
    let mut data = MapData::from_route(&route, args.units);
    data.title = args.title.clone();
    // Rail maps mark the larger towns the train passes, where there is room,
    // and the other lines of the network around the route.
    if let Some(network) = network.as_ref().filter(|_| args.map.wants_map(&targets)) {
        data.waypoints = render::towns_passed(&route, gaz);
        data.railways = render::railways_around(&route, network);
    }
    if args.map.wants_map(&targets) {
        data.places = render::places_around(&data, gaz);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for t in targets.iter().filter(|t| !t.format.is_map()) {
        files.push((t.path.clone(), output::encode(t.format, &fc, route.name())?));
    }
    files.extend(args.map.render(&data, &targets)?);
    output::write_all_atomic(&files)?;
    super::output::report(&files);

    let summary = if args.json {
        format!("{}\n", table::route_json(&route, args.units))
    } else {
        table::legs_table(&route, args.units)
    };
    if targets.iter().any(Target::is_stdout) {
        eprint!("{summary}");
    } else {
        super::output::print_stdout(&summary)?;
    }
    // The process ends here: the network's memory (tens of thousands of
    // vectors for a large graph) goes back with it, not piece by piece.
    std::mem::forget(network);
    Ok(ExitCode::SUCCESS)
}
