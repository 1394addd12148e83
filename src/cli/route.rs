//! `routemap route`: stops joined into a route, as a table and GeoJSON.

use super::distance::parse_units;
use super::map::{with_suffix, MapArgs};
use anyhow::Result;
use routemap::gazetteer::Gazetteer;
use routemap::geodesy::Units;
use routemap::output::{self, geojson, table};
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
  routemap route Tokyo Anchorage Seattle --png pacific.png --style dark --size 1200x900")]
pub struct Args {
    /// Stops in order: place names or lat,lon coordinates (two or more).
    #[arg(value_name = "PLACE", value_parser = super::place_arg)]
    stops: Vec<String>,
    /// Write the route as GeoJSON to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    geojson: Option<PathBuf>,
    /// Write STEM.geojson and STEM.png (the map).
    #[arg(short = 'o', long = "out", value_name = "STEM")]
    out: Option<PathBuf>,
    /// Distance units for the table and --json: km, mi or nmi.
    #[arg(long, default_value = "km", value_parser = parse_units)]
    units: Units,
    /// How legs join stops: direct (geodesic) or rail.
    #[arg(long, default_value = "direct", value_parser = parse_mode)]
    mode: Mode,
    /// Longest segment of a densified direct leg, kilometres.
    #[arg(long, value_name = "KM", default_value_t = 10.0)]
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

pub fn run(gaz: &Gazetteer, args: Args) -> Result<ExitCode> {
    let request = RouteRequest {
        stops: args.stops.clone(),
        mode: args.mode,
        max_segment_m: args.max_segment_km * 1000.0,
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

    // Every output is rendered before any is written, so that a failure
    // leaves no file behind.
    let text = geojson::to_string(&route);
    let mut data = MapData::from_route(&route, args.units);
    data.title = args.title.clone();
    // Rail maps mark the larger towns the train passes, where there is room,
    // and the other lines of the network around the route.
    if let Some(network) = network
        .as_ref()
        .filter(|_| args.map.wants_map(args.out.is_some()))
    {
        data.waypoints = render::towns_passed(&route, gaz);
        data.railways = railways_around(&route, network);
    }
    if args.map.wants_map(args.out.is_some()) {
        data.places = render::places_around(&data, gaz);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut geojson_to_stdout = false;
    if let Some(path) = &args.geojson {
        if path.as_os_str() == "-" {
            geojson_to_stdout = true;
        } else {
            files.push((path.clone(), text.clone().into_bytes()));
        }
    }
    if let Some(stem) = &args.out {
        files.push((with_suffix(stem, "geojson"), text.clone().into_bytes()));
    }
    files.extend(args.map.render(&data, args.out.as_deref())?);
    output::write_all_atomic(&files)?;
    for (path, _) in &files {
        eprintln!("routemap: wrote {}", path.display());
    }

    let summary = if args.json {
        format!("{}\n", table::route_json(&route, args.units))
    } else {
        table::legs_table(&route, args.units)
    };
    if geojson_to_stdout {
        print!("{text}");
        eprint!("{summary}");
    } else {
        print!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The network's running lines in and around the route's box (half its size
/// again on every side, and at least 0.5°), for the map to draw as context.
fn railways_around(
    route: &Route,
    network: &routemap::rail::RailNetwork,
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
