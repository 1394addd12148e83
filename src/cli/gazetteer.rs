//! `routemap gazetteer`: list, search and check gazetteer files.

use super::GlobalArgs;
use anyhow::Result;
use routemap::gazetteer::{read_file, PlaceKind, ResolveOptions};
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

/// List, search and check gazetteers.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List every place (built-in and --gazetteer files) as TSV.
    #[command(after_help = "Examples:
  routemap gazetteer list --kind station
  routemap gazetteer list --country KP")]
    List {
        /// Only places of this kind (city, station, country, …).
        #[arg(long, value_parser = parse_kind)]
        kind: Option<PlaceKind>,
        /// Only places in this country (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
    },
    /// Show the candidates for a name, with scores.
    #[command(after_help = "Examples:
  routemap gazetteer search Khasan
  routemap gazetteer search Chabarowsk --limit 5")]
    Search {
        /// The name to look up.
        query: String,
        /// How many candidates at most.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Check a gazetteer file (TSV, CSV or GeoJSON) and report the first bad row.
    #[command(after_help = "Example:
  routemap gazetteer check my-places.tsv")]
    Check {
        /// The file to check.
        file: PathBuf,
    },
}

fn parse_kind(s: &str) -> Result<PlaceKind, String> {
    s.parse()
}

pub fn run(global: &GlobalArgs, command: Command) -> Result<ExitCode> {
    match command {
        Command::List { kind, country } => {
            let gaz = super::load_gazetteer(global)?;
            let country = country.map(|c| c.to_ascii_uppercase());
            println!("id\tname\tlat\tlon\tkind\tcountry\tsource\tgazetteer");
            for (layer, p) in gaz.places() {
                if kind.is_some_and(|k| k != p.kind())
                    || country.as_ref().is_some_and(|c| c != p.country())
                {
                    continue;
                }
                println!(
                    "{}\t{}\t{:.6}\t{:.6}\t{}\t{}\t{}\t{}",
                    p.id(),
                    p.name(),
                    p.lat(),
                    p.lon(),
                    p.kind(),
                    p.country(),
                    p.source(),
                    layer
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit } => {
            let gaz = super::load_gazetteer(global)?;
            let found = gaz.candidates(&query, &ResolveOptions::default())?;
            if found.is_empty() {
                let s = gaz.suggest(&query, 3);
                eprintln!(
                    "routemap: no place matches {query:?}{}",
                    if s.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", s.join(", "))
                    }
                );
                return Ok(ExitCode::from(1));
            }
            for c in found.iter().take(limit) {
                let p = &c.place;
                println!(
                    "{:.2}\t{}\t{}\t{}\t{:.6}\t{:.6}\t{}\t{} via {:?}",
                    c.score,
                    p.name(),
                    p.kind(),
                    p.country(),
                    p.lat(),
                    p.lon(),
                    p.source(),
                    c.matched.as_str(),
                    c.matched_name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { file } => {
            let places = read_file(&file)?;
            let mut ids = HashSet::new();
            let mut dups = 0;
            for p in &places {
                if !ids.insert(p.id()) {
                    dups += 1;
                    eprintln!(
                        "routemap: warning: {}: duplicate id {:?}",
                        file.display(),
                        p.id()
                    );
                }
            }
            println!(
                "{}: {} places, {} duplicate ids",
                file.display(),
                places.len(),
                dups
            );
            Ok(if dups == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
