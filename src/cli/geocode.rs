//! `routemap geocode`: the best place for each name, many names at once
//! (`--batch`), or the places nearest a coordinate (`--reverse`).

use anyhow::Result;
use routemap::gazetteer::{parse_coordinate, Candidate, Gazetteer, ResolveOptions};
use routemap::output::csv::formula_safe;
use routemap::output::Format as OutFormat;
use routemap::Error;
use serde_json::json;
use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Find the coordinates of place names.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap geocode Pyongyang \"P'yŏngyang\" 평양 Wladiwostok
  routemap geocode --json --country RU Khasan
  printf 'Seoul\\nTokyo\\n' | routemap geocode --batch --format jsonl
  routemap geocode --batch --column city --format csv < places.csv > found.csv
  routemap geocode --reverse 42.43,130.64 --limit 3
  routemap geocode --batch -o found.gpkg -o found.csv < names.txt")]
pub struct Args {
    /// Place names, or lat,lon coordinates.
    #[arg(value_name = "NAME", value_parser = super::place_arg)]
    names: Vec<String>,
    /// Print one JSON object per query (JSON Lines); same as --format jsonl.
    #[arg(long)]
    json: bool,
    /// Output format: text, jsonl or csv (one row per query, in order).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "jsonl", "csv"])]
    format: Option<String>,
    /// Only places in this country (ISO 3166-1 alpha-2 code or name).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Show up to N candidates per name (with --reverse: N places, default 5).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    limit: Option<u16>,
    /// Read names from standard input, one per line (or a CSV column, see --column).
    #[arg(long)]
    batch: bool,
    /// With --batch: standard input is CSV with a header row; geocode column NAME.
    #[arg(long, value_name = "NAME", requires = "batch")]
    column: Option<String>,
    #[command(flatten)]
    outs: super::output::OutArgs,
    /// The named places nearest a coordinate, nearest first.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true, conflicts_with_all = ["batch", "names"])]
    reverse: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Jsonl,
    Csv,
}

pub fn run(gaz: &Gazetteer, inputs: &[PathBuf], args: Args) -> Result<ExitCode> {
    const PLACE_FORMATS: [OutFormat; 6] = [
        OutFormat::GeoJson,
        OutFormat::GeoPackage,
        OutFormat::Kml,
        OutFormat::Gpx,
        OutFormat::Csv,
        OutFormat::FlatGeobuf,
    ];
    let targets = args
        .outs
        .targets(&[OutFormat::GeoJson], &PLACE_FORMATS, &[])?;
    let outputs: Vec<PathBuf> = targets.iter().map(|t| t.path.clone()).collect();
    routemap::output::check_not_input(&outputs, inputs).map_err(Error::from)?;
    if args.reverse.is_some() && !targets.is_empty() {
        return Err(Error::InvalidOption {
            option: "--out".into(),
            message: "writes geocoding results; --reverse prints to the terminal only".into(),
        }
        .into());
    }
    let format = match args.format.as_deref() {
        Some("jsonl") => Format::Jsonl,
        Some("csv") => Format::Csv,
        Some(_) => Format::Text,
        None if args.json => Format::Jsonl,
        None => Format::Text,
    };
    if let Some(at) = &args.reverse {
        return reverse(gaz, at, args.limit.unwrap_or(5) as usize, format);
    }
    let mut names = args.names.clone();
    if args.batch {
        let stdin = std::io::stdin();
        match &args.column {
            Some(column) => names.extend(csv_column(stdin.lock(), column)?),
            None => {
                for line in stdin.lock().lines() {
                    names.push(line?.trim_end_matches('\r').to_string());
                }
            }
        }
    } else if names.is_empty() {
        return Err(Error::InvalidOption {
            option: "NAME".into(),
            message: "give at least one place name, or --batch to read them from stdin".into(),
        }
        .into());
    }
    let limit = args.limit.unwrap_or(1) as usize;
    let options = ResolveOptions {
        country: args.country.clone(),
        max_alternatives: limit.saturating_sub(1).max(3),
    };
    // With `-o -` the file format takes standard output instead of the listing.
    let to_stdout = targets.iter().any(|t| t.is_stdout());
    let mut out: Box<dyn Write> = if to_stdout {
        Box::new(std::io::sink())
    } else {
        Box::new(super::output::stdout())
    };
    let mut found: Vec<(usize, String, routemap::gazetteer::Resolution)> = Vec::new();
    let mut csv_out = (format == Format::Csv).then(|| {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "row",
            "query",
            "status",
            "name",
            "lat",
            "lon",
            "country",
            "kind",
            "score",
            "ambiguous",
            "alternatives",
            "source",
        ]);
        w
    });
    let mut failed = 0;
    let results = resolve_all(gaz, &names, &options);
    for (row, (name, result)) in names.iter().zip(results).enumerate() {
        let row = row + 1;
        match result {
            Ok(r) => {
                match format {
                    Format::Jsonl => {
                        let alternatives: Vec<_> =
                            r.alternatives.iter().map(candidate_json).collect();
                        let mut obj = json!({ "row": row, "query": name, "resolved": true });
                        obj.as_object_mut().expect("an object").extend(
                            candidate_json(&r.best)
                                .as_object()
                                .cloned()
                                .unwrap_or_default(),
                        );
                        obj["ambiguous"] = json!(r.ambiguous);
                        obj["alternatives"] = json!(alternatives);
                        writeln!(out, "{obj}")?;
                    }
                    Format::Csv => {
                        let p = r.place();
                        let alts: Vec<String> = r
                            .alternatives
                            .iter()
                            .map(|c| format!("{} ({})", c.place.name(), c.place.country()))
                            .collect();
                        if let Some(w) = csv_out.as_mut() {
                            w.write_record([
                                row.to_string(),
                                formula_safe(name).into_owned(),
                                if r.ambiguous { "ambiguous" } else { "ok" }.into(),
                                formula_safe(p.name()).into_owned(),
                                format!("{:.6}", p.lat()),
                                format!("{:.6}", p.lon()),
                                p.country().into(),
                                p.kind().as_str().into(),
                                format!("{:.3}", r.best.score),
                                r.ambiguous.to_string(),
                                alts.join("|"),
                                p.source().into(),
                            ])?;
                        }
                    }
                    Format::Text => {
                        writeln!(out, "{}", line(name, &r.best, r.ambiguous))?;
                        for alt in r.alternatives.iter().take(limit.saturating_sub(1)) {
                            writeln!(out, "  or {}", describe(alt))?;
                        }
                    }
                }
                if !targets.is_empty() {
                    found.push((row, name.clone(), r));
                }
            }
            // Usage errors stop the run; a bad name is reported and counted.
            Err(e @ Error::UnknownCountry { .. }) => return Err(e.into()),
            Err(e) => {
                failed += 1;
                let suggestions = match &e {
                    Error::UnknownPlace { suggestions, .. } => suggestions.clone(),
                    _ => Vec::new(),
                };
                match format {
                    Format::Jsonl => writeln!(
                        out,
                        "{}",
                        json!({"row": row, "query": name, "resolved": false,
                               "error": e.to_string(), "suggestions": suggestions})
                    )?,
                    Format::Csv => {
                        if let Some(w) = csv_out.as_mut() {
                            let mut rec = vec![
                                row.to_string(),
                                formula_safe(name).into_owned(),
                                "unresolved".into(),
                            ];
                            rec.extend((0..8).map(|_| String::new()));
                            rec.push(suggestions.join("|"));
                            w.write_record(&rec)?;
                        }
                    }
                    Format::Text if args.batch => {
                        writeln!(out, "{name}\tUNRESOLVED\t{e}")?;
                    }
                    Format::Text => {}
                }
                if !args.batch {
                    out.flush()?;
                    eprintln!("routemap: {e}");
                }
            }
        }
    }
    if let Some(w) = csv_out {
        out.write_all(&w.into_inner()?)?;
    }
    out.flush()?;
    drop(out);
    if !targets.is_empty() {
        let rows: Vec<_> = found
            .iter()
            .map(|(row, query, r)| {
                (
                    r.place(),
                    vec![
                        ("row", (*row).into()),
                        ("query", query.as_str().into()),
                        ("score", ((r.best.score * 1000.0).round() / 1000.0).into()),
                        ("ambiguous", r.ambiguous.into()),
                    ],
                )
            })
            .collect();
        let fc = routemap::output::geojson::places_collection("place", &rows);
        let title = format!("{} places", rows.len());
        let mut files = Vec::new();
        for t in &targets {
            files.push((
                t.path.clone(),
                routemap::output::encode(t.format, &fc, &title)?,
            ));
        }
        routemap::output::write_all_atomic(&files)?;
        super::output::report(&files);
    }
    if args.batch && failed > 0 {
        eprintln!("routemap: {failed} of {} names not resolved", names.len());
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Resolves every name, in order; large batches on all cores (each thread
/// takes a contiguous share, so the output order is the input order).
fn resolve_all(
    gaz: &Gazetteer,
    names: &[String],
    options: &ResolveOptions,
) -> Vec<routemap::Result<routemap::gazetteer::Resolution>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || names.len() < 512 {
        return names.iter().map(|n| gaz.resolve(n, options)).collect();
    }
    let chunk = names.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|n| gaz.resolve(n, options))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// The values of `column` in CSV text with a header row.
fn csv_column(input: impl Read, column: &str) -> Result<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers()?.clone();
    let Some(i) = headers
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == column)
    else {
        return Err(Error::InvalidOption {
            option: "--column".into(),
            message: format!(
                "no column {column:?} in the header row (it has {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        }
        .into());
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        out.push(record.get(i).unwrap_or("").to_string());
    }
    Ok(out)
}

fn reverse(gaz: &Gazetteer, at: &str, n: usize, format: Format) -> Result<ExitCode> {
    let Some(point) = parse_coordinate(at)? else {
        return Err(Error::InvalidCoordinate {
            input: at.to_string(),
            reason: "expected lat,lon in decimal degrees".into(),
        }
        .into());
    };
    let near = gaz.nearest(point.lat(), point.lon(), n);
    let mut out = super::output::stdout();
    for (p, d) in &near {
        match format {
            Format::Jsonl => writeln!(
                out,
                "{}",
                json!({"query": at, "name": p.name(), "lat": p.lat(), "lon": p.lon(),
                       "country": p.country(), "kind": p.kind().as_str(),
                       "population": p.population(), "distance_km": (d / 10.0).round() / 100.0,
                       "source": p.source()})
            )?,
            _ => writeln!(
                out,
                "{:.2} km\t{} ({}, {})\t{:.6}, {:.6}\t{}",
                d / 1000.0,
                p.name(),
                p.kind(),
                p.country(),
                p.lat(),
                p.lon(),
                p.source()
            )?,
        }
    }
    out.flush()?;
    Ok(if near.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn candidate_json(c: &Candidate) -> serde_json::Value {
    let p = &c.place;
    let mut v = json!({
        "name": p.name(),
        "lat": p.lat(),
        "lon": p.lon(),
        "country": p.country(),
        "kind": p.kind().as_str(),
        "capital": p.is_capital(),
        "admin1": p.admin1(),
        "population": p.population(),
        "score": (c.score * 1000.0).round() / 1000.0,
        "match": c.match_label(),
        "matched_name": c.matched_name,
        "source": p.source(),
        "gazetteer": c.layer.name,
    });
    if let Some(b) = p.bbox() {
        v["bbox"] = json!(b);
    }
    v
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
