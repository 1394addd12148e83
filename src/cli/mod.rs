//! Command-line arguments (clap) and their conversion into library types.
//!
//! Each subcommand has its own file; this one holds the shared options and
//! the dispatch.

mod distance;
pub mod extract;
mod gazetteer;
mod geocode;
mod map;
mod output;
mod rail;
mod route;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use routemap::gazetteer::Gazetteer;
use std::path::PathBuf;
use std::process::ExitCode;

/// Place names to coordinates, routes, GeoJSON — offline.
#[derive(Debug, Parser)]
#[command(name = "routemap", version, about, max_term_width = 100)]
#[command(after_help = "Examples:
  routemap geocode Pyongyang Wladiwostok 평양
  routemap route Pyongyang Khasan \"Vostochny Cosmodrome\" -o output/kim-2023
  routemap distance Moscow Vladivostok
  routemap map Seoul Tokyo --png east-asia.png")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Add your own places from a TSV, CSV or GeoJSON file (repeatable);
    /// they win over the built-in ones, later files over earlier ones.
    #[arg(long = "gazetteer", value_name = "FILE", global = true)]
    pub gazetteers: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Geocode(geocode::Args),
    Route(route::Args),
    Distance(distance::Args),
    Map(map::Args),
    /// Find the places a text names, or the journey it tells.
    Extract(extract::Args),
    #[command(
        subcommand,
        after_help = "Examples:
  routemap gazetteer list --country KP
  routemap gazetteer search Chabarowsk
  routemap gazetteer check my-places.tsv"
    )]
    Gazetteer(gazetteer::Command),
    /// Rail networks for `route --mode rail`: build a graph once, describe one.
    #[command(subcommand)]
    Rail(rail::Command),
}

impl Cli {
    pub fn try_parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(args)
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Geocode(a) => {
            geocode::run(&load_gazetteer(&cli.global)?, &cli.global.gazetteers, a)
        }
        Command::Route(a) => route::run(&load_gazetteer(&cli.global)?, &cli.global.gazetteers, a),
        Command::Distance(a) => distance::run(&load_gazetteer(&cli.global)?, a),
        Command::Map(a) => map::run(&load_gazetteer(&cli.global)?, &cli.global.gazetteers, a),
        Command::Extract(a) => extract::run(&load_gazetteer(&cli.global)?, a),
        Command::Gazetteer(c) => gazetteer::run(&cli.global, c),
        Command::Rail(c) => {
            // `rail build` and `rail info` read no place names: a gazetteer
            // given to them would be silently unused.
            if let Some(path) = cli.global.gazetteers.first() {
                return Err(routemap::Error::InvalidOption {
                    option: "--gazetteer".into(),
                    message: format!(
                        "{}: `routemap rail` reads no place names; leave --gazetteer out",
                        path.display()
                    ),
                }
                .into());
            }
            rail::run(c)
        }
    }
}

/// A place argument as the user typed it: undoes the Unicode minus that
/// `main` puts in front of negative coordinates to get them past clap.
pub fn place_arg(s: &str) -> Result<String, String> {
    Ok(match s.strip_prefix('\u{2212}') {
        Some(rest) => format!("-{rest}"),
        None => s.to_string(),
    })
}

/// The built-in places with the user's files on top.
pub fn load_gazetteer(global: &GlobalArgs) -> Result<Gazetteer> {
    let mut g = Gazetteer::builtin().context("the built-in gazetteer is damaged")?;
    for path in &global.gazetteers {
        g.add_file(path)?;
    }
    Ok(g)
}

/// 2 for errors in how the command was used, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    use routemap::output::OutputError;
    use routemap::render::RenderError;
    use routemap::Error;
    if let Some(o) = e.downcast_ref::<OutputError>() {
        return if matches!(o, OutputError::Encode { .. }) {
            1
        } else {
            2
        };
    }
    match e.downcast_ref::<Error>() {
        Some(
            Error::TooFewStops { .. }
            | Error::InvalidOption { .. }
            | Error::UnknownCountry { .. }
            | Error::Rail(routemap::rail::RailError::BadOption { .. }),
        ) => 2,
        Some(Error::Output(o)) if !matches!(o, OutputError::Encode { .. }) => 2,
        Some(Error::Render(r)) if !matches!(r, RenderError::Raster { .. }) => 2,
        _ => 1,
    }
}

/// `text` as one line with nothing a terminal would obey: line breaks
/// become spaces, other control characters (ESC from a name in a file)
/// are escaped (`\u{1b}`).
pub fn one_line_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' => " ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}
