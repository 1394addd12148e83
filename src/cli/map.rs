//! Map options shared by `route` and `map`, and the `map` command: a
//! locator map of places without a route.

use anyhow::Result;
use routemap::gazetteer::{Gazetteer, ResolveOptions};
use routemap::output;
use routemap::render::{self, BBox, MapData, MapStyle, ProjectionKind, RenderError, Size, Theme};
use routemap::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How to draw a map (`--png`, `--svg`, `--size`, …).
#[derive(Debug, Clone, clap::Args)]
pub struct MapArgs {
    /// Write the map as PNG to FILE.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// Write the map as SVG to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Image size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1600x1200")]
    pub size: String,
    /// Pixel density of the PNG (2 for high-DPI screens).
    #[arg(long, value_name = "N", default_value = "1")]
    pub scale: String,
    /// Colour scheme: light, dark or print.
    #[arg(long, value_name = "STYLE", default_value = "light")]
    pub style: String,
    /// Projection: conic, mercator, equirectangular, azimuthal or
    /// equal-earth (default: chosen for the extent).
    #[arg(long, value_name = "P")]
    pub projection: Option<String>,
    /// Frame this lon/lat box instead of the stops: WEST,SOUTH,EAST,NORTH.
    #[arg(long, value_name = "W,S,E,N")]
    pub bbox: Option<String>,
    /// Empty margin around the stops, as a fraction of the frame (0 to 0.45).
    #[arg(long, value_name = "F", default_value = "0.1")]
    pub padding: String,
    /// Size of text, lines and furniture relative to a 1600x1200 map
    /// (default: grows with images larger than that).
    #[arg(long, value_name = "F")]
    pub text_scale: Option<String>,
    /// Write every placed label and box of the map as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub layout_json: Option<PathBuf>,
}

impl MapArgs {
    /// The options converted once into the validated library style; a bad
    /// value is a [`RenderError`] naming it (exit code 2).
    pub fn style(&self) -> Result<MapStyle, Error> {
        let scale = self
            .scale
            .trim()
            .parse::<f32>()
            .map_err(|_| RenderError::Scale {
                given: self.scale.clone(),
            })?;
        let padding = self
            .padding
            .trim()
            .parse::<f64>()
            .map_err(|_| RenderError::Padding {
                given: self.padding.clone(),
            })?;
        let style = MapStyle {
            size: self.size.parse::<Size>()?,
            scale,
            theme: self.style.parse::<Theme>()?,
            projection: self
                .projection
                .as_deref()
                .map(str::parse::<ProjectionKind>)
                .transpose()?,
            bbox: self.bbox.as_deref().map(str::parse::<BBox>).transpose()?,
            padding,
            text_scale: self
                .text_scale
                .as_deref()
                .map(|t| {
                    t.trim()
                        .parse::<f64>()
                        .map_err(|_| RenderError::TextScale { given: t.into() })
                })
                .transpose()?,
        };
        style.validate()?;
        Ok(style)
    }

    /// Whether any map output is asked for (with `-o STEM`, `has_stem`).
    pub fn wants_map(&self, has_stem: bool) -> bool {
        has_stem || self.png.is_some() || self.svg.is_some() || self.layout_json.is_some()
    }

    /// Draws `data` and returns the files to write (PNG to `png` and to
    /// `stem`.png, SVG, layout JSON), all rendered before any is written.
    pub fn render(&self, data: &MapData, stem: Option<&Path>) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut pngs: Vec<PathBuf> = self.png.iter().cloned().collect();
        if let Some(stem) = stem {
            pngs.push(with_suffix(stem, "png"));
        }
        let mut files = Vec::new();
        // Bad map options are errors even when no map is asked for.
        let style = self.style()?;
        if !self.wants_map(stem.is_some()) {
            return Ok(files);
        }
        let drawing = render::draw(data, &style).map_err(Error::from)?;
        for w in &drawing.layout.warnings {
            eprintln!("routemap: warning: {w}");
        }
        if !pngs.is_empty() {
            let png = drawing.png().map_err(Error::from)?;
            for p in pngs {
                files.push((p, png.clone()));
            }
        }
        if let Some(p) = &self.svg {
            files.push((p.clone(), drawing.svg.clone().into_bytes()));
        }
        if let Some(p) = &self.layout_json {
            let mut json = serde_json::to_string_pretty(&drawing.layout)?;
            json.push('\n');
            files.push((p.clone(), json.into_bytes()));
        }
        Ok(files)
    }
}

/// `STEM` plus `.ext`, keeping dots already in the stem (`kim-2023.v2`).
pub fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Draw a locator map of places (no route).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap map Pyongyang Seoul Tokyo --png east-asia.png
  routemap map \"Vostochny Cosmodrome\" -o cosmodrome --style dark
  routemap map Tallinn Brussels --svg europe.svg --size 1200x900")]
pub struct Args {
    /// Places to mark: names or lat,lon coordinates (one or more).
    #[arg(value_name = "PLACE", required = true, value_parser = super::place_arg)]
    places: Vec<String>,
    /// Write STEM.png.
    #[arg(short = 'o', long = "out", value_name = "STEM")]
    out: Option<PathBuf>,
    /// Prefer places in this country (ISO 3166-1 alpha-2 code or name).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The map's title (default: the places' names).
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    map: MapArgs,
}

pub fn run(gaz: &Gazetteer, args: Args) -> Result<ExitCode> {
    let opts = ResolveOptions {
        country: args.country.clone(),
        ..ResolveOptions::default()
    };
    let mut places = Vec::new();
    for (i, q) in args.places.iter().enumerate() {
        let r = gaz.resolve(q, &opts).map_err(|e| Error::Stop {
            position: i + 1,
            error: Box::new(e),
        })?;
        places.push(r.place().clone());
    }
    let mut data = MapData::from_places(&places);
    data.title = args.title.clone();
    let files = args.map.render(&data, args.out.as_deref())?;
    if files.is_empty() {
        return Err(Error::InvalidOption {
            option: "map".into(),
            message: "nothing to write: give --png FILE, --svg FILE or -o STEM".into(),
        }
        .into());
    }
    output::write_all_atomic(&files)?;
    for (path, _) in &files {
        eprintln!("routemap: wrote {}", path.display());
    }
    for p in &places {
        println!("{}\t{:.5}\t{:.5}", p.name(), p.lat(), p.lon());
    }
    Ok(ExitCode::SUCCESS)
}
