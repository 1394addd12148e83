//! `routemap distance`: geodesic distance and bearings between two places.

use anyhow::Result;
use routemap::gazetteer::{Gazetteer, ResolveOptions};
use routemap::geodesy::{self, Units};
use routemap::output::table::format_distance;
use serde_json::json;
use std::process::ExitCode;

/// Geodesic distance (WGS 84) and bearings between two places.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap distance Pyongyang Vladivostok
  routemap distance \"55.7558,37.6173\" Tokyo --units nmi")]
pub struct Args {
    /// From: a place name or lat,lon.
    #[arg(value_parser = super::place_arg)]
    from: String,
    /// To: a place name or lat,lon.
    #[arg(value_parser = super::place_arg)]
    to: String,
    /// Distance units: km, mi or nmi.
    #[arg(long, default_value = "km", value_parser = parse_units)]
    units: Units,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn parse_units(s: &str) -> Result<Units, String> {
    s.parse().map_err(|e: routemap::Error| e.to_string())
}

pub fn run(gaz: &Gazetteer, args: Args) -> Result<ExitCode> {
    let options = ResolveOptions::default();
    let a = gaz.resolve(&args.from, &options)?;
    let b = gaz.resolve(&args.to, &options)?;
    let (pa, pb) = (a.place().point(), b.place().point());
    let d = geodesy::distance_m(pa, pb);
    let initial = geodesy::initial_bearing_deg(pa, pb);
    let last = geodesy::final_bearing_deg(pa, pb);
    if args.json {
        super::output::print_stdout(&format!(
            "{}\n",
            json!({
                "from": {"name": a.place().name(), "lat": a.place().lat(), "lon": a.place().lon()},
                "to": {"name": b.place().name(), "lat": b.place().lat(), "lon": b.place().lon()},
                "distance_m": (d * 1000.0).round() / 1000.0,
                "distance": (args.units.from_m(d) * 1e6).round() / 1e6,
                "units": args.units.symbol(),
                "initial_bearing_deg": (initial * 1e6).round() / 1e6,
                "final_bearing_deg": (last * 1e6).round() / 1e6,
            })
        ))?;
    } else {
        super::output::print_stdout(&format!(
            "{} → {}: {} ({:.3} m), initial bearing {:.1}°, final bearing {:.1}°\n",
            a.place().name(),
            b.place().name(),
            format_distance(d, args.units),
            d,
            initial,
            last
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
