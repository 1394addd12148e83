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
    let targets = args
        .outs
        .targets(&[OutFormat::GeoJson], &super::output::POINT_FORMATS, &[])?;
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
    if !args.batch && args.names.is_empty() {
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
    if format == Format::Csv {
        write_csv_row(
            &mut out,
            &[
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
            ],
        )?;
    }
    // The names of the command line, then those of standard input, read
    // by another thread and answered in chunks as they arrive: the first
    // answer comes before the input ends, and memory stays bounded (the
    // places are kept only for -o files).
    let (send, receive) = std::sync::mpsc::sync_channel::<Query>(CHUNK);
    let reader = {
        let (names, batch, column) = (args.names.clone(), args.batch, args.column.clone());
        std::thread::spawn(move || -> Result<()> {
            for name in names {
                if send.send(Query::Name(name)).is_err() {
                    return Ok(());
                }
            }
            if !batch {
                return Ok(());
            }
            let stdin = std::io::stdin();
            match column {
                Some(column) => read_csv_column(stdin.lock(), &column, &send),
                None => read_lines(stdin.lock(), &send),
            }
        })
    };
    let mut found: Vec<(usize, String, routemap::gazetteer::Resolution)> = Vec::new();
    let mut failed = 0;
    let mut row = 0;
    let mut chunk: Vec<Query> = Vec::with_capacity(CHUNK);
    let mut line_buf: Vec<u8> = Vec::with_capacity(1024);
    while let Ok(first) = receive.recv() {
        chunk.clear();
        chunk.push(first);
        while chunk.len() < CHUNK {
            match receive.try_recv() {
                Ok(q) => chunk.push(q),
                Err(_) => break,
            }
        }
        let names: Vec<&str> = chunk.iter().map(Query::text).collect();
        let results = resolve_all(gaz, &names, &options);
        for (query, result) in chunk.iter().zip(results) {
            row += 1;
            let name = query.text();
            let result = match query {
                Query::Bad(..) => Err(Error::EmptyName),
                Query::Name(_) => result,
            };
            match result {
                Ok(r) => {
                    match format {
                        Format::Jsonl => {
                            // Serialised straight from the candidates: a
                            // `serde_json::Value` per line (an ordered map,
                            // cloned and merged) was most of the time of a
                            // batch of coordinates.
                            line_buf.clear();
                            serde_json::to_writer(
                                &mut line_buf,
                                &ResolvedLine {
                                    row,
                                    query: name,
                                    resolved: true,
                                    best: CandidateJson(&r.best),
                                    ambiguous: r.ambiguous,
                                    alternatives: r
                                        .alternatives
                                        .iter()
                                        .map(CandidateJson)
                                        .collect(),
                                },
                            )
                            .map_err(std::io::Error::from)?;
                            line_buf.push(b'\n');
                            out.write_all(&line_buf)?;
                        }
                        Format::Csv => {
                            let p = r.place();
                            let alts: Vec<String> = r
                                .alternatives
                                .iter()
                                .map(|c| format!("{} ({})", c.place.name(), c.place.country()))
                                .collect();
                            write_csv_row(
                                &mut out,
                                &[
                                    &row.to_string(),
                                    &formula_safe(name),
                                    if r.ambiguous { "ambiguous" } else { "ok" },
                                    &formula_safe(p.name()),
                                    &format!("{:.6}", p.lat()),
                                    &format!("{:.6}", p.lon()),
                                    p.country(),
                                    p.kind().as_str(),
                                    &format!("{:.3}", r.best.score),
                                    &r.ambiguous.to_string(),
                                    &formula_safe(&alts.join("|")),
                                    &formula_safe(p.source()),
                                ],
                            )?;
                        }
                        Format::Text => {
                            writeln!(out, "{}", line(name, &r.best, r.ambiguous))?;
                            for alt in r.alternatives.iter().take(limit.saturating_sub(1)) {
                                writeln!(out, "  or {}", describe(alt))?;
                            }
                        }
                    }
                    if !targets.is_empty() {
                        found.push((row, name.to_string(), r));
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
                    let message = match query {
                        Query::Bad(_, reason) => reason.clone(),
                        Query::Name(_) => e.to_string(),
                    };
                    match format {
                        Format::Jsonl => writeln!(
                            out,
                            "{}",
                            json!({"row": row, "query": name, "resolved": false,
                                   "error": message, "suggestions": suggestions})
                        )?,
                        Format::Csv => {
                            let row = row.to_string();
                            let name = formula_safe(name);
                            let suggestions = formula_safe(&suggestions.join("|")).into_owned();
                            let mut rec: Vec<&str> = vec![&row, &name, "unresolved"];
                            rec.extend([""; 8]);
                            rec.push(&suggestions);
                            write_csv_row(&mut out, &rec)?;
                        }
                        Format::Text if args.batch => {
                            writeln!(out, "{name}\tUNRESOLVED\t{message}")?;
                        }
                        Format::Text => {}
                    }
                    if !args.batch {
                        out.flush()?;
                        eprintln!("routemap: {}", super::one_line_text(&message));
                    }
                }
            }
        }
        out.flush()?;
    }
    match reader.join() {
        Ok(r) => r?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
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
        super::output::write_places(&targets, &rows)?;
    }
    if args.batch && failed > 0 {
        eprintln!("routemap: {failed} of {row} names not resolved");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Resolves every name, in order; large chunks on all cores (each thread
/// takes a contiguous share, so the output order is the input order).
fn resolve_all(
    gaz: &Gazetteer,
    names: &[&str],
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

/// How many names are answered at once: enough to use every core, few
/// enough that memory stays small whatever the length of the input.
const CHUNK: usize = 4096;

/// One query of the input.
enum Query {
    /// A name or coordinate to resolve.
    Name(String),
    /// A row that is not a name (invalid UTF-8): shown as given (lossily)
    /// with the reason.
    Bad(String, String),
}

impl Query {
    fn text(&self) -> &str {
        match self {
            Query::Name(s) | Query::Bad(s, _) => s,
        }
    }
}

/// One CSV row written to `out`, quoted as needed.
fn write_csv_row(out: &mut dyn Write, fields: &[&str]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(fields)?;
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    Ok(())
}

/// A line of input as text; invalid UTF-8 is a bad row naming its line,
/// and the other lines still count.
fn query_of(bytes: Vec<u8>, line: u64) -> Query {
    match String::from_utf8(bytes) {
        Ok(s) => Query::Name(s),
        Err(e) => Query::Bad(
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
            format!("line {line} of the input is not valid UTF-8"),
        ),
    }
}

/// Sends each line of `input` (without its line ending; a byte-order mark
/// at the start dropped). Stops early when the receiver has gone.
fn read_lines(mut input: impl BufRead, send: &std::sync::mpsc::SyncSender<Query>) -> Result<()> {
    let read_error = |e: std::io::Error| anyhow::anyhow!("cannot read standard input: {e}");
    let mut line_no = 0u64;
    loop {
        let mut buf = Vec::new();
        let limit = MAX_LINE as u64 + 1;
        if (&mut input)
            .take(limit)
            .read_until(b'\n', &mut buf)
            .map_err(read_error)?
            == 0
        {
            return Ok(());
        }
        line_no += 1;
        if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
            // No name is this long (`/dev/zero` is one endless line): the
            // rest of the line is skipped, not kept, and the row is bad.
            skip_line(&mut input).map_err(read_error)?;
            buf.truncate(40);
            let shown = String::from_utf8_lossy(&buf).into_owned();
            let why = format!("line {line_no} of the input is longer than {MAX_LINE} bytes");
            if send.send(Query::Bad(shown, why)).is_err() {
                return Ok(());
            }
            continue;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if line_no == 1 && buf.starts_with("\u{feff}".as_bytes()) {
            buf.drain(..3);
        }
        if send.send(query_of(buf, line_no)).is_err() {
            return Ok(());
        }
    }
}

/// The longest line of `--batch` input read as a name.
const MAX_LINE: usize = 1 << 16;

/// Consumes the input up to and including the next line end.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let (done, n) = {
            let buf = match input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(());
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            }
        };
        input.consume(n);
        if done {
            return Ok(());
        }
    }
}

/// Sends the values of `column` in CSV text with a header row. A row longer
/// than [`MAX_ROW`] (a huge field, `/dev/zero`) ends the input with an
/// error naming its line, before it fills the memory; a value longer than
/// [`MAX_LINE`] is a bad row naming its line.
fn read_csv_column(
    input: impl Read,
    column: &str,
    send: &std::sync::mpsc::SyncSender<Query>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(routemap::input::Bounded::new(input, MAX_ROW));
    let row_error = |e: csv::Error, line: u64| match e.kind() {
        csv::ErrorKind::Io(io) => match routemap::input::TooLong::of(io) {
            Some(long) => anyhow::anyhow!(
                "cannot read standard input: line {line} is a CSV row {long} (--column {column:?})"
            ),
            None => anyhow::anyhow!(
                "cannot read standard input: {}",
                io.to_string()
                    .split(" (os error")
                    .next()
                    .unwrap_or_default()
            ),
        },
        _ => anyhow::Error::from(e),
    };
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(row_error(e, 1)),
    };
    reader.get_mut().restart();
    let Some(i) = headers.iter().position(|h| {
        let h = String::from_utf8_lossy(h);
        h.trim().trim_start_matches('\u{feff}') == column
    }) else {
        return Err(Error::InvalidOption {
            option: "--column".into(),
            message: format!(
                "no column {column:?} in the header row (it has {})",
                headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        .into());
    };
    let mut record = csv::ByteRecord::new();
    loop {
        let starts_at = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => return Err(row_error(e, starts_at)),
        }
        reader.get_mut().restart();
        let line = record.position().map_or(starts_at, |p| p.line());
        let field = record.get(i).unwrap_or(b"");
        let query = if field.len() > MAX_LINE {
            let shown = String::from_utf8_lossy(&field[..40]).into_owned();
            let why = format!(
                "line {line} of the input: column {column} is longer than {MAX_LINE} bytes"
            );
            Query::Bad(shown, why)
        } else {
            query_of(field.to_vec(), line)
        };
        if send.send(query).is_err() {
            return Ok(());
        }
    }
}

/// The longest row of `--batch --column` input.
const MAX_ROW: u64 = 1 << 20;

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

/// A resolved row of `--format jsonl`: the fields of the best candidate
/// between `row`, `query`, `resolved` and `ambiguous`, `alternatives`.
#[derive(serde::Serialize)]
struct ResolvedLine<'a> {
    row: usize,
    query: &'a str,
    resolved: bool,
    #[serde(flatten)]
    best: CandidateJson<'a>,
    ambiguous: bool,
    alternatives: Vec<CandidateJson<'a>>,
}

/// A candidate as a JSON object, serialised without building a
/// `serde_json::Value` (keys in this order).
struct CandidateJson<'a>(&'a Candidate);

impl serde::Serialize for CandidateJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let c = self.0;
        let p = &c.place;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", p.name())?;
        m.serialize_entry("lat", &p.lat())?;
        m.serialize_entry("lon", &p.lon())?;
        m.serialize_entry("country", p.country())?;
        m.serialize_entry("kind", p.kind().as_str())?;
        m.serialize_entry("capital", &p.is_capital())?;
        m.serialize_entry("admin1", p.admin1())?;
        m.serialize_entry("population", &p.population())?;
        m.serialize_entry("score", &((c.score * 1000.0).round() / 1000.0))?;
        m.serialize_entry("match", c.match_label())?;
        m.serialize_entry("matched_name", &c.matched_name)?;
        m.serialize_entry("source", p.source())?;
        m.serialize_entry("gazetteer", &c.layer.name)?;
        if let Some(b) = p.bbox() {
            m.serialize_entry("bbox", &b)?;
        }
        m.end()
    }
}

fn describe(c: &Candidate) -> String {
    let p = &c.place;
    // The region in words ("Springfield (city, Illinois, US)"), unless it
    // only repeats the place's own name.
    let admin1 = p.admin1();
    let region = if admin1.is_empty() || admin1 == p.name() {
        String::new()
    } else {
        format!(", {admin1}")
    };
    format!(
        "{} ({}{}{}{}) {:.6}, {:.6}  score {:.2} {}  {}",
        p.name(),
        p.kind(),
        region,
        if p.country().is_empty() { "" } else { ", " },
        p.country(),
        p.lat(),
        p.lon(),
        c.score,
        c.match_label(),
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
