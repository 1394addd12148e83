//! Map options shared by `route` and `map`, and the `map` command: a
//! locator map of places without a route.

use anyhow::Result;
use routemap::gazetteer::{Gazetteer, ResolveOptions};
use routemap::output;
use routemap::render::{self, BBox, MapData, MapStyle, ProjectionKind, Size, Theme};
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
    #[arg(long, value_name = "WxH", default_value = "1600x1200", value_parser = parse_size)]
    pub size: Size,
    /// Pixel density of the PNG (2 for high-DPI screens).
    #[arg(long, value_name = "N", default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f32,
    /// Colour scheme: light, dark or print.
    #[arg(long, value_name = "STYLE", default_value = "light", value_parser = parse_theme)]
    pub style: Theme,
    /// Projection: conic, mercator, equirectangular, azimuthal or
    /// equal-earth (default: chosen for the extent).
    #[arg(long, value_name = "P", value_parser = parse_projection)]
    pub projection: Option<ProjectionKind>,
    /// Frame this lon/lat box instead of the stops: WEST,SOUTH,EAST,NORTH.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true, value_parser = parse_bbox)]
    pub bbox: Option<BBox>,
    /// Empty margin around the stops, as a fraction of the frame (0 to 0.45).
    #[arg(long, value_name = "F", default_value_t = 0.1, value_parser = parse_padding)]
    pub padding: f64,
    /// Write every placed label and box of the map as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub layout_json: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<Size, String> {
    s.parse().map_err(|e: render::RenderError| e.to_string())
}

fn parse_theme(s: &str) -> Result<Theme, String> {
    s.parse().map_err(|e: render::RenderError| e.to_string())
}

fn parse_projection(s: &str) -> Result<ProjectionKind, String> {
    s.parse().map_err(|e: render::RenderError| e.to_string())
}

fn parse_bbox(s: &str) -> Result<BBox, String> {
    s.parse().map_err(|e: render::RenderError| e.to_string())
}

fn parse_scale(s: &str) -> Result<f32, String> {
    let v: f32 = s
        .trim()
        .parse()
        .map_err(|_| format!("scale {s:?} is not a number"))?;
    MapStyle::default()
        .with_scale(v)
        .map(|st| st.scale)
        .map_err(|e| e.to_string())
}

fn parse_padding(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("padding {s:?} is not a number"))?;
    MapStyle::default()
        .with_padding(v)
        .map(|st| st.padding)
        .map_err(|e| e.to_string())
}

impl MapArgs {
    /// The validated library style.
    pub fn style(&self) -> Result<MapStyle, Error> {
        let style = MapStyle {
            size: self.size,
            scale: self.scale,
            theme: self.style,
            projection: self.projection,
            bbox: self.bbox,
            padding: self.padding,
        };
        style.validate()?;
        Ok(style)
    }

    /// Draws `data` and returns the files to write (PNG to `png` and to
    /// `stem`.png, SVG, layout JSON), all rendered before any is written.
    pub fn render(&self, data: &MapData, stem: Option<&Path>) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut pngs: Vec<PathBuf> = self.png.iter().cloned().collect();
        if let Some(stem) = stem {
            pngs.push(with_suffix(stem, "png"));
        }
        let mut files = Vec::new();
        if pngs.is_empty() && self.svg.is_none() && self.layout_json.is_none() {
            return Ok(files);
        }
        let drawing = render::draw(data, &self.style()?)?;
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
    #[arg(value_name = "PLACE", required = true)]
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
    for (path, bytes) in &files {
        output::write_atomic(path, bytes)?;
        eprintln!("routemap: wrote {}", path.display());
    }
    for p in &places {
        println!("{}\t{:.5}\t{:.5}", p.name(), p.lat(), p.lon());
    }
    Ok(ExitCode::SUCCESS)
}
