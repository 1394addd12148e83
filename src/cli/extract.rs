//! `routemap extract`: the places a text names, with offsets; or the
//! journey it tells (`--journey`).

use anyhow::{Context, Result};
use routemap::extract::{self, ExtractOptions, Extraction, Extractor, Journey, Mention};
use routemap::gazetteer::Gazetteer;
use serde_json::{json, Map, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Find the places a text names (plain text or HTML).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap extract article.txt
  routemap extract --format text --adjectives page.html
  routemap extract --format geojson *.txt > places.geojson
  routemap extract --journey article.txt
  curl -s https://example.org/news | routemap extract --html -")]
pub struct Args {
    /// Texts to read (UTF-8; `-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output: jsonl (one object per mention), csv, geojson (one point per
    /// place) or text (a table). With --journey: text (one stop per line)
    /// or jsonl.
    #[arg(long, value_name = "FORMAT", value_parser = ["jsonl", "csv", "geojson", "text"])]
    pub format: Option<String>,
    /// Count adjectives and demonyms ("Russian", "North Koreans") as
    /// mentions of their country.
    #[arg(long)]
    pub adjectives: bool,
    /// Read the input as HTML (default: when it looks like HTML or the file
    /// ends in .html or .htm).
    #[arg(long)]
    pub html: bool,
    /// Print the stops of the journey the text tells, in travel order.
    #[arg(long)]
    pub journey: bool,
    /// With jsonl: also print the names matched and set aside, each with a
    /// `rejected` field saying why.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub outs: super::output::OutArgs,
}

/// A text read from a file or standard input.
pub struct Input {
    pub name: String,
    pub text: String,
    pub html: bool,
}

/// Reads and checks every input before any output is written.
pub fn read_inputs(files: &[PathBuf], force_html: bool) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let bytes = if path.as_os_str() == "-" {
            read_text_bytes(std::io::stdin().lock()).context("cannot read standard input")?
        } else {
            std::fs::File::open(path)
                .and_then(read_text_bytes)
                .map_err(|e| routemap::Error::Read {
                    path: path.clone(),
                    error: e,
                })?
        };
        let text = extract::decode(&bytes, &name).map_err(routemap::Error::from)?;
        let html = force_html || has_html_ext(path) || extract::text::looks_like_html(&text);
        out.push(Input { name, text, html });
    }
    Ok(out)
}

/// All the bytes of a text, refused at the first NUL byte.
fn read_text_bytes(r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    routemap::input::NoNul::new(r, |at| format!("not a text file: a NUL byte at byte {at}"))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn has_html_ext(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The places of every input.
pub fn extract_all(gaz: &Gazetteer, inputs: &[Input], options: ExtractOptions) -> Vec<Extraction> {
    let mut ex = Extractor::new(gaz, options);
    inputs
        .iter()
        .map(|i| {
            if i.html {
                ex.extract_html(&i.text)
            } else {
                ex.extract(&i.text)
            }
        })
        .collect()
}

pub fn run(gaz: &Gazetteer, args: Args) -> Result<ExitCode> {
    use routemap::output::Format as OutFormat;
    // The places found, one point each with its mention count, in any of
    // the GIS formats (`-o found.gpkg`); checked before any input is read.
    let targets = args
        .outs
        .targets(&[OutFormat::GeoJson], &super::output::POINT_FORMATS, &[])?;
    let inputs = read_inputs(&args.files, args.html)?;
    let options = ExtractOptions {
        adjectives: args.adjectives,
        explain: args.explain,
    };
    let found = extract_all(gaz, &inputs, options);
    if !targets.is_empty() {
        let places = places_by_mentions(&inputs, &found);
        let rows: Vec<_> = places
            .iter()
            .map(|(p, ms)| {
                let texts: Vec<&str> = ms.iter().map(|(_, m)| m.text.as_str()).collect();
                (
                    *p,
                    vec![
                        ("count", ms.len().into()),
                        ("mentions", texts.join("; ").into()),
                    ],
                )
            })
            .collect();
        super::output::write_places(&targets, &rows)?;
        if targets.iter().any(|t| t.is_stdout()) {
            // Standard output holds the file asked for (`-o -`).
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.journey {
        for (input, ex) in inputs.iter().zip(&found) {
            let journey = Journey::from_extraction(ex);
            write_journey(
                &mut out,
                &input.name,
                &journey,
                args.format.as_deref(),
                inputs.len() > 1,
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    match args.format.as_deref().unwrap_or("jsonl") {
        "csv" => write_csv(&mut out, &inputs, &found)?,
        "geojson" => writeln!(out, "{}", geojson(&inputs, &found))?,
        "text" => write_text(&mut out, &inputs, &found)?,
        _ => {
            for (input, ex) in inputs.iter().zip(&found) {
                for m in &ex.mentions {
                    writeln!(out, "{}", Value::Object(mention_json(&input.name, m)))?;
                }
                for r in &ex.rejected {
                    let o = json!({"file": input.name, "start": r.start, "end": r.end,
                        "text": r.text, "rejected": r.reason});
                    writeln!(out, "{o}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One mention as a JSON object.
fn mention_json(file: &str, m: &Mention) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("file".into(), json!(file));
    o.insert("start".into(), json!(m.start));
    o.insert("end".into(), json!(m.end));
    o.insert("text".into(), json!(m.text));
    match &m.place {
        Some(p) => {
            o.insert("name".into(), json!(p.name()));
            o.insert("kind".into(), json!(p.kind().as_str()));
            o.insert("lat".into(), json!(round6(p.lat())));
            o.insert("lon".into(), json!(round6(p.lon())));
            o.insert("country".into(), json!(p.country()));
            o.insert("id".into(), json!(p.id()));
            o.insert("source".into(), json!(p.source()));
        }
        None => {
            for k in ["name", "kind", "lat", "lon", "country", "id", "source"] {
                o.insert(k.into(), Value::Null);
            }
        }
    }
    o.insert(
        "confidence".into(),
        json!((m.confidence * 1000.0).round() / 1000.0),
    );
    if m.adjective {
        o.insert("adjective".into(), json!(true));
    }
    o
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn write_csv(out: &mut impl Write, inputs: &[Input], found: &[Extraction]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "file",
        "start",
        "end",
        "text",
        "name",
        "kind",
        "lat",
        "lon",
        "country",
        "id",
        "source",
        "confidence",
    ])?;
    for (input, ex) in inputs.iter().zip(found) {
        for m in &ex.mentions {
            let p = m.place.as_ref();
            let f = |g: fn(&routemap::gazetteer::Place) -> String| p.map(g).unwrap_or_default();
            w.write_record([
                input.name.clone(),
                m.start.to_string(),
                m.end.to_string(),
                m.text.clone(),
                f(|p| p.name().to_string()),
                f(|p| p.kind().as_str().to_string()),
                f(|p| format!("{:.6}", p.lat())),
                f(|p| format!("{:.6}", p.lon())),
                f(|p| p.country().to_string()),
                f(|p| p.id().to_string()),
                f(|p| p.source().to_string()),
                format!("{:.3}", m.confidence),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Distinct places with their mentions, most mentioned first.
pub fn places_by_mentions<'a>(
    inputs: &'a [Input],
    found: &'a [Extraction],
) -> Vec<(&'a routemap::gazetteer::Place, Vec<(&'a str, &'a Mention)>)> {
    let mut out: Vec<(&routemap::gazetteer::Place, Vec<(&str, &Mention)>)> = Vec::new();
    for (input, ex) in inputs.iter().zip(found) {
        for m in &ex.mentions {
            let Some(p) = &m.place else { continue };
            match out
                .iter_mut()
                .find(|(q, _)| q.id() == p.id() && q.name() == p.name())
            {
                Some((_, ms)) => ms.push((&input.name, m)),
                None => out.push((p, vec![(&input.name, m)])),
            }
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.1.len()));
    out
}

/// One RFC 7946 Point per distinct place, with its mentions and count.
pub fn geojson(inputs: &[Input], found: &[Extraction]) -> String {
    let places = places_by_mentions(inputs, found);
    let features: Vec<Value> = places
        .iter()
        .map(|(p, ms)| {
            let mentions: Vec<Value> = ms
                .iter()
                .map(|(file, m)| json!({"file": file, "start": m.start, "end": m.end, "text": m.text}))
                .collect();
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round6(p.lon()), round6(p.lat())]},
                "properties": {
                    "name": p.name(), "kind": p.kind().as_str(), "country": p.country(),
                    "id": p.id(), "source": p.source(), "count": ms.len(), "mentions": mentions,
                },
            })
        })
        .collect();
    let mut fc = json!({"type": "FeatureCollection", "features": features});
    if !places.is_empty() {
        let (mut w, mut s, mut e, mut n) = (180.0f64, 90.0f64, -180.0f64, -90.0f64);
        for (p, _) in &places {
            w = w.min(p.lon());
            e = e.max(p.lon());
            s = s.min(p.lat());
            n = n.max(p.lat());
        }
        fc["bbox"] = json!([round6(w), round6(s), round6(e), round6(n)]);
    }
    fc.to_string()
}

fn write_text(out: &mut impl Write, inputs: &[Input], found: &[Extraction]) -> Result<()> {
    for (input, ex) in inputs.iter().zip(found) {
        writeln!(out, "{}: {} place mentions", input.name, ex.mentions.len())?;
        writeln!(
            out,
            "  {:>6} {:>6}  {:<28} {:<28} {:>9} {:>10}  cc  conf",
            "start", "end", "text", "place", "lat", "lon"
        )?;
        for m in &ex.mentions {
            let (name, lat, lon, cc) = match &m.place {
                Some(p) => (
                    p.name().to_string(),
                    format!("{:.4}", p.lat()),
                    format!("{:.4}", p.lon()),
                    p.country().to_string(),
                ),
                None => (
                    "(not in the gazetteer)".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
            };
            writeln!(
                out,
                "  {:>6} {:>6}  {:<28} {:<28} {:>9} {:>10}  {:<2}  {:.2}",
                m.start, m.end, m.text, name, lat, lon, cc, m.confidence
            )?;
        }
    }
    Ok(())
}

fn write_journey(
    out: &mut impl Write,
    name: &str,
    journey: &Journey,
    format: Option<&str>,
    several: bool,
) -> Result<()> {
    for note in &journey.notes {
        eprintln!("routemap: {name}: {note}");
    }
    if several && format != Some("jsonl") {
        writeln!(out, "# {name}")?;
    }
    for stop in &journey.stops {
        if format == Some("jsonl") {
            let mut o = Map::new();
            if several {
                o.insert("file".into(), json!(name));
            }
            o.insert("name".into(), json!(stop.place.name()));
            o.insert("lat".into(), json!(round6(stop.place.lat())));
            o.insert("lon".into(), json!(round6(stop.place.lon())));
            o.insert("country".into(), json!(stop.place.country()));
            o.insert("text".into(), json!(stop.text));
            o.insert("cue".into(), json!(stop.cue));
            o.insert("sentence".into(), json!(stop.sentence));
            writeln!(out, "{}", Value::Object(o))?;
        } else {
            writeln!(out, "{}", stop.place.name())?;
        }
    }
    Ok(())
}

/// The stops of the journey a text tells, as `route` takes them ("Khasan,
/// RU"); an error when the order is unclear.
pub fn journey_stops(gaz: &Gazetteer, path: &Path) -> Result<Vec<String>> {
    let inputs = read_inputs(&[path.to_path_buf()], false)?;
    let found = extract_all(gaz, &inputs, ExtractOptions::default());
    let journey = Journey::from_extraction(&found[0]);
    if !journey.clear || journey.stops.len() < 2 {
        return Err(routemap::Error::InvalidOption {
            option: "--from-text".into(),
            message: format!(
                "{}: no clear journey in the text: {}",
                path.display(),
                journey.notes.join("; ")
            ),
        }
        .into());
    }
    Ok(journey
        .stops
        .iter()
        .map(|s| format!("{}, {}", s.place.name(), s.place.country()))
        .collect())
}

/// The distinct places of a text with their numbers of mentions, most
/// mentioned first.
pub fn places_of_text(
    gaz: &Gazetteer,
    path: &Path,
) -> Result<Vec<(routemap::gazetteer::Place, usize)>> {
    let inputs = read_inputs(&[path.to_path_buf()], false)?;
    let found = extract_all(gaz, &inputs, ExtractOptions::default());
    Ok(places_by_mentions(&inputs, &found)
        .into_iter()
        .map(|(p, ms)| (p.clone(), ms.len()))
        .collect())
}
