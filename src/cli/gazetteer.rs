//! `routemap gazetteer`: list, search and check gazetteer files.

use super::GlobalArgs;
use anyhow::Result;
use routemap::gazetteer::{read_file, PlaceKind, ResolveOptions};
use std::collections::HashSet;
use std::io::Write;
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
        /// Names starting with the query (autocompletion).
        #[arg(long)]
        prefix: bool,
    },
    /// Build an index file from a GeoNames dump, TSV, CSV or GeoJSON; load it
    /// with --gazetteer OUT (memory-mapped, ready at once).
    #[command(after_help = "Examples:
  routemap gazetteer import allCountries.txt --index world.rmidx
  routemap gazetteer import KP.txt --alternate-names alternateNamesV2.txt --index kp.rmidx
  routemap --gazetteer kp.rmidx geocode Chongjin")]
    Import {
        /// The file to import (format from its name and first line).
        file: PathBuf,
        /// Where to write the index.
        #[arg(long, value_name = "OUT")]
        index: PathBuf,
        /// Stop at the first malformed row instead of skipping it.
        #[arg(long)]
        strict: bool,
        /// A GeoNames alternateNamesV2.txt whose names are added.
        #[arg(long, value_name = "FILE")]
        alternate_names: Option<PathBuf>,
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
            let mut out = super::output::stdout();
            let mut result = writeln!(out, "id\tname\tlat\tlon\tkind\tcountry\tsource\tgazetteer");
            gaz.each_place(kind, |layer, p| {
                if result.is_err() || country.as_ref().is_some_and(|c| c != p.country()) {
                    return;
                }
                result = writeln!(
                    out,
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
            });
            result.and_then(|_| out.flush())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            limit,
            prefix,
        } => {
            let gaz = super::load_gazetteer(global)?;
            let found = if prefix {
                gaz.prefix(&query, limit)
            } else {
                gaz.candidates(&query, &ResolveOptions::default())?
            };
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
            let mut out = super::output::stdout();
            for c in found.iter().take(limit) {
                let p = &c.place;
                writeln!(
                    out,
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
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            index,
            strict,
            alternate_names,
        } => import(&file, &index, strict, alternate_names),
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
            super::output::print_stdout(&format!(
                "{}: {} places, {} duplicate ids\n",
                file.display(),
                places.len(),
                dups
            ))?;
            Ok(if dups == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn import(
    file: &std::path::Path,
    index: &std::path::Path,
    strict: bool,
    alternate_names: Option<PathBuf>,
) -> Result<ExitCode> {
    use routemap::gazetteer::import::{import, ImportOptions};
    use std::io::IsTerminal;
    let mut inputs = vec![file.to_path_buf()];
    inputs.extend(alternate_names.iter().cloned());
    routemap::output::check_not_input(&[index.to_path_buf()], &inputs)
        .map_err(routemap::Error::from)?;
    let total = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let options = ImportOptions {
        strict,
        format: None,
        alternate_names,
    };
    let mut shown = 0;
    let report = import(
        file,
        index,
        &options,
        &mut |e| {
            shown += 1;
            if shown <= 20 {
                bar.suspend(|| eprintln!("routemap: warning: skipped {e}"));
            }
        },
        &mut |bytes| bar.set_position(bytes),
    );
    bar.finish_and_clear();
    let report = report?;
    if report.bad_rows > 20 {
        eprintln!(
            "routemap: warning: {} more malformed rows not shown",
            report.bad_rows - 20
        );
    }
    eprintln!(
        "{}: {} places indexed, {} malformed rows skipped -> {}",
        file.display(),
        report.places,
        report.bad_rows,
        index.display()
    );
    Ok(if report.bad_rows == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
