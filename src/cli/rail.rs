//! `routemap rail`: build a rail graph once; the rail options of `route`.

use anyhow::Result;
use routemap::rail::{RailNetwork, RailOptions, DEFAULT_MAX_TURN_DEG, DEFAULT_SNAP_KM};
use routemap::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Rail networks: build the routing graph of an OpenStreetMap extract once.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build the graph of FILE (.osm.pbf, .osm, .geojson, .tsv) and write it to
    /// GRAPH, which `route --mode rail --rail-network GRAPH` loads without
    /// rebuilding.
    #[command(after_help = "Example:
  routemap rail build germany-rail.osm.pbf --out germany.rmrail
  routemap route Erfurt Halle --mode rail --rail-network germany.rmrail")]
    Build {
        /// The network to read.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write the graph.
        #[arg(long, value_name = "GRAPH")]
        out: PathBuf,
    },
    /// Describe a network: its size and source.
    #[command(after_help = "Examples:
  routemap rail info germany.rmrail
  routemap rail info builtin")]
    Info {
        /// A network file, or `builtin` for the built-in corridors.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// The options of `route --mode rail`.
#[derive(Debug, clap::Args)]
pub struct RailArgs {
    /// Rail network for --mode rail: an OpenStreetMap extract (.osm.pbf, .osm),
    /// GeoJSON LineStrings, a corridor .tsv or a graph from `routemap rail build`.
    /// Default: the built-in corridors.
    #[arg(long, value_name = "FILE")]
    pub rail_network: Option<PathBuf>,
    /// Use only track of this gauge, millimetres (e.g. 1435, 1520).
    #[arg(long, value_name = "MM")]
    gauge: Option<u32>,
    /// How far a stop may be from the track, kilometres.
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    snap_km: Option<f64>,
    /// Sharpest change of direction a train may take, degrees.
    #[arg(long, value_name = "DEG", allow_negative_numbers = true)]
    max_turn_deg: Option<f64>,
    /// Also route over tram and subway track.
    #[arg(long)]
    tram_subway: bool,
    /// Also route over light rail (railway=light_rail, e.g. a Stadtbahn); left
    /// out by default so that routes take the main line.
    #[arg(long)]
    light_rail: bool,
}

impl RailArgs {
    /// Rail options make no sense for a direct route: say so rather than
    /// ignore them.
    pub fn reject_with_direct(&self) -> Result<()> {
        let given = [
            (self.rail_network.is_some(), "--rail-network"),
            (self.gauge.is_some(), "--gauge"),
            (self.snap_km.is_some(), "--snap-km"),
            (self.max_turn_deg.is_some(), "--max-turn-deg"),
            (self.tram_subway, "--tram-subway"),
            (self.light_rail, "--light-rail"),
        ];
        match given.iter().find(|(g, _)| *g) {
            Some((_, flag)) => Err(Error::InvalidOption {
                option: flag.to_string(),
                message: "only applies with --mode rail".into(),
            }
            .into()),
            None => Ok(()),
        }
    }

    /// The rail options, checked before any network file is read; an
    /// error names the flag.
    pub fn options(&self) -> Result<RailOptions> {
        let bad = |option: &str, message: String| -> anyhow::Error {
            Error::InvalidOption {
                option: option.into(),
                message,
            }
            .into()
        };
        if let Some(km) = self.snap_km.filter(|k| !(k.is_finite() && *k >= 0.0)) {
            return Err(bad(
                "--snap-km",
                format!("{km} is not a distance in kilometres, 0 or more"),
            ));
        }
        if let Some(deg) = self
            .max_turn_deg
            .filter(|d| !(d.is_finite() && (0.0..=180.0).contains(d)))
        {
            return Err(bad(
                "--max-turn-deg",
                format!("{deg} is not an angle from 0 to 180 degrees"),
            ));
        }
        if self.gauge == Some(0) {
            return Err(bad(
                "--gauge",
                "0 is not a gauge; give millimetres, e.g. 1435".into(),
            ));
        }
        Ok(RailOptions {
            snap_km: self.snap_km.unwrap_or(DEFAULT_SNAP_KM),
            gauge: self.gauge,
            include_tram_subway: self.tram_subway,
            include_light_rail: self.light_rail,
            max_turn_deg: self.max_turn_deg.unwrap_or(DEFAULT_MAX_TURN_DEG),
        })
    }

    /// Whether the built-in network is used.
    pub fn is_builtin(&self) -> bool {
        self.rail_network.is_none()
    }

    pub fn network(&self) -> Result<RailNetwork> {
        Ok(match &self.rail_network {
            Some(path) => RailNetwork::from_path(path).map_err(Error::from)?,
            None => RailNetwork::builtin().map_err(Error::from)?,
        })
    }
}

pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Build { file, out } => {
            routemap::output::check_not_input(
                std::slice::from_ref(&out),
                std::slice::from_ref(&file),
            )
            .map_err(Error::from)?;
            let t = Instant::now();
            let network = RailNetwork::from_path(&file).map_err(Error::from)?;
            let built = t.elapsed();
            routemap::output::write_atomic(&out, &network.to_bytes())?;
            let (nodes, segments, vertices, stations) = network.size();
            eprintln!(
                "routemap: built {} in {:.2} s: {nodes} junctions, {segments} track segments, {vertices} track vertices, {stations} stations",
                file.display(),
                built.as_secs_f64()
            );
            eprintln!("routemap: wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Info { file } => {
            let network = if file.as_os_str() == "builtin" {
                RailNetwork::builtin()
            } else {
                RailNetwork::from_path(&file)
            }
            .map_err(Error::from)?;
            let info = network.info();
            let (nodes, segments, vertices, stations) = network.size();
            super::output::print_stdout(&format!(
                "name\t{}\nsource\t{}\ncorridor_approximation\t{}\njunctions\t{nodes}\nsegments\t{segments}\nvertices\t{vertices}\nstations\t{stations}\n",
                info.name, info.source, info.approximate
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
