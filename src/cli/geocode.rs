//! `routemap geocode`: the best place for each name.

use anyhow::Result;
use routemap::gazetteer::{Candidate, Gazetteer, ResolveOptions};
use routemap::Error;
use serde_json::json;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Find the coordinates of place names.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap geocode Pyongyang \"P'yŏngyang\" 평양 Wladiwostok
  routemap geocode --json --country RU Khasan
  printf 'Seoul\\nTokyo\\n' | routemap geocode --batch --json")]
pub struct Args {
    /// Place names, or lat,lon coordinates.
    #[arg(value_name = "NAME", value_parser = super::place_arg)]
    names: Vec<String>,
    /// Print one JSON object per query (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Only places in this country (ISO 3166-1 alpha-2 code or name).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Show up to N candidates per name.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    limit: u16,
    /// Read names from standard input, one per line.
    #[arg(long)]
    batch: bool,
}

pub fn run(gaz: &Gazetteer, args: Args) -> Result<ExitCode> {
    let mut names = args.names.clone();
    if args.batch {
        for line in std::io::stdin().lock().lines() {
            names.push(line?.trim_end_matches('\r').to_string());
        }
    } else if names.is_empty() {
        return Err(Error::InvalidOption {
            option: "NAME".into(),
            message: "give at least one place name, or --batch to read them from stdin".into(),
        }
        .into());
    }
    let options = ResolveOptions {
        country: args.country.clone(),
        max_alternatives: (args.limit as usize).saturating_sub(1).max(3),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for name in &names {
        match gaz.resolve(name, &options) {
            Ok(r) => {
                let shown = (args.limit as usize).saturating_sub(1);
                if args.json {
                    let alternatives: Vec<_> = r.alternatives.iter().map(candidate_json).collect();
                    let mut obj = json!({ "query": name });
                    obj.as_object_mut().expect("an object").extend(
                        candidate_json(&r.best)
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                    );
                    obj["ambiguous"] = json!(r.ambiguous);
                    obj["alternatives"] = json!(alternatives);
                    writeln!(out, "{obj}")?;
                } else {
                    writeln!(out, "{}", line(name, &r.best, r.ambiguous))?;
                    for alt in r.alternatives.iter().take(shown) {
                        writeln!(out, "  or {}", describe(alt))?;
                    }
                }
            }
            // Usage errors stop the run; a bad name is reported and counted.
            Err(e @ Error::UnknownCountry { .. }) => return Err(e.into()),
            Err(e) => {
                failed += 1;
                if args.json {
                    let suggestions = match &e {
                        Error::UnknownPlace { suggestions, .. } => suggestions.clone(),
                        _ => Vec::new(),
                    };
                    writeln!(
                        out,
                        "{}",
                        json!({"query": name, "error": e.to_string(), "suggestions": suggestions})
                    )?;
                }
                out.flush()?;
                eprintln!("routemap: {e}");
            }
        }
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn candidate_json(c: &Candidate) -> serde_json::Value {
    let p = &c.place;
    json!({
        "name": p.name(),
        "lat": p.lat(),
        "lon": p.lon(),
        "country": p.country(),
        "kind": p.kind().as_str(),
        "admin1": p.admin1(),
        "population": p.population(),
        "score": (c.score * 1000.0).round() / 1000.0,
        "match": c.matched.as_str(),
        "matched_name": c.matched_name,
        "source": p.source(),
        "gazetteer": c.layer.name,
    })
}

fn describe(c: &Candidate) -> String {
    let p = &c.place;
    format!(
        "{} ({}{}{}) {:.6}, {:.6}  score {:.2}  {}",
        p.name(),
        p.kind(),
        if p.country().is_empty() { "" } else { ", " },
        p.country(),
        p.lat(),
        p.lon(),
        c.score,
        if p.source().is_empty() {
            &c.layer.name
        } else {
            p.source()
        },
    )
}

fn line(query: &str, c: &Candidate, ambiguous: bool) -> String {
    format!(
        "{query}\t{}{}",
        describe(c),
        if ambiguous { "  (ambiguous)" } else { "" }
    )
}
