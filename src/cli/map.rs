//! Map options shared by `route` and `map`, and the `map` command: a
//! locator map of places without a route.

use anyhow::Result;
use routemap::gazetteer::{Gazetteer, Place, ResolveOptions};
use routemap::output::format::Target;
use routemap::output::{self, geojson, Format};
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

    /// Whether any map output is asked for (`targets` from `-o`).
    pub fn wants_map(&self, targets: &[Target]) -> bool {
        targets.iter().any(|t| t.format.is_map()) || self.layout_json.is_some()
    }

    /// The `--png` and `--svg` files, for [`super::output::OutArgs::targets`].
    pub fn extra_targets(&self) -> [(Option<&PathBuf>, Format, &'static str); 2] {
        [
            (self.png.as_ref(), Format::Png, "--png"),
            (self.svg.as_ref(), Format::Svg, "--svg"),
        ]
    }

    /// Draws `data` and returns the map files among `targets` (PNG, SVG)
    /// and the layout JSON, all rendered before any is written.
    pub fn render(&self, data: &MapData, targets: &[Target]) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut files = Vec::new();
        // Bad map options are errors even when no map is asked for.
        let style = self.style()?;
        if !self.wants_map(targets) {
            return Ok(files);
        }
        let drawing = render::draw(data, &style).map_err(Error::from)?;
        for w in &drawing.layout.warnings {
            eprintln!("routemap: warning: {w}");
        }
        let mut png = None;
        for t in targets {
            match t.format {
                Format::Png => {
                    if png.is_none() {
                        png = Some(drawing.png().map_err(Error::from)?);
                    }
                    files.push((t.path.clone(), png.clone().unwrap_or_default()));
                }
                Format::Svg => files.push((t.path.clone(), drawing.svg.clone().into_bytes())),
                _ => {}
            }
        }
        if let Some(p) = &self.layout_json {
            let mut json = serde_json::to_string_pretty(&drawing.layout)?;
            json.push('\n');
            files.push((p.clone(), json.into_bytes()));
        }
        Ok(files)
    }
}

/// Draw a locator map of places (no route).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  routemap map Pyongyang Seoul Tokyo --png east-asia.png
  routemap map \"Vostochny Cosmodrome\" -o cosmodrome --style dark
  routemap map Tallinn Brussels --svg europe.svg --size 1200x900
  routemap map Pyongyang Khasan Vladivostok -o places.gpkg -o places.png")]
pub struct Args {
    /// Places to mark: names or lat,lon coordinates (one or more).
    #[arg(value_name = "PLACE", required_unless_present = "from_text", value_parser = super::place_arg)]
    places: Vec<String>,
    /// Mark the places a text names instead (most mentioned labelled
    /// first); -o STEM then writes STEM.png and STEM.geojson.
    #[arg(long, value_name = "FILE", conflicts_with = "places")]
    from_text: Option<PathBuf>,
    #[command(flatten)]
    outs: super::output::OutArgs,
    /// Prefer places in this country (ISO 3166-1 alpha-2 code or name).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The map's title (default: the places' names).
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    map: MapArgs,
}

pub fn run(gaz: &Gazetteer, inputs: &[PathBuf], args: Args) -> Result<ExitCode> {
    let (places, sizes, fc, title, defaults) = match &args.from_text {
        Some(path) => from_text(gaz, path, &args)?,
        None => from_names(gaz, &args)?,
    };
    let mut inputs = inputs.to_vec();
    inputs.extend(args.from_text.iter().cloned());
    let targets = args
        .outs
        .targets(defaults, &Format::ALL, &args.map.extra_targets())?;
    let mut data = MapData::from_places(&places);
    for (stop, size) in data.stops.iter_mut().zip(sizes) {
        *stop = stop.clone().with_size(size);
    }
    data.title = Some(title.clone());
    let mut files = Vec::new();
    for t in targets.iter().filter(|t| !t.format.is_map()) {
        files.push((t.path.clone(), output::encode(t.format, &fc, &title)?));
    }
    files.extend(args.map.render(&data, &targets)?);
    if files.is_empty() {
        return Err(Error::InvalidOption {
            option: "map".into(),
            message: "nothing to write: give --png FILE, --svg FILE or -o PATH".into(),
        }
        .into());
    }
    let outputs: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    output::check_not_input(&outputs, &inputs).map_err(Error::from)?;
    output::write_all_atomic(&files)?;
    super::output::report(&files);
    let listing: String = places
        .iter()
        .map(|p| format!("{}\t{:.5}\t{:.5}\n", p.name(), p.lat(), p.lon()))
        .collect();
    if targets.iter().any(Target::is_stdout) {
        eprint!("{listing}");
    } else {
        super::output::print_stdout(&listing)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a map shows: the places, the sizes of their markers, their
/// GeoJSON, the title, and the formats `-o STEM` gets by default.
type Shown = (
    Vec<Place>,
    Vec<f64>,
    ::geojson::FeatureCollection,
    String,
    &'static [Format],
);

/// The places named on the command line.
fn from_names(gaz: &Gazetteer, args: &Args) -> Result<Shown> {
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
        if let Some(w) = routemap::route::resolution_warning(i, &r) {
            eprintln!("routemap: warning: {w}");
        }
        places.push(r.place().clone());
    }
    let fc = geojson::places_collection(
        "stop",
        &places
            .iter()
            .zip(&args.places)
            .enumerate()
            .map(|(i, (p, q))| (p, vec![("index", i.into()), ("query", q.as_str().into())]))
            .collect::<Vec<_>>(),
    );
    let title = args.title.clone().unwrap_or_else(|| {
        places
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let sizes = vec![1.0; places.len()];
    Ok((places, sizes, fc, title, &[Format::Png]))
}

/// `map --from-text`: the places a text names, most mentioned first (the
/// first are labelled first), with their mention counts.
fn from_text(gaz: &Gazetteer, path: &Path, args: &Args) -> Result<Shown> {
    let counted = super::extract::places_of_text(gaz, path)?;
    if counted.is_empty() {
        return Err(Error::InvalidOption {
            option: "--from-text".into(),
            message: format!("{}: no places found in the text", path.display()),
        }
        .into());
    }
    let fc = geojson::places_collection(
        "place",
        &counted
            .iter()
            .map(|(p, n)| (p, vec![("count", (*n).into())]))
            .collect::<Vec<_>>(),
    );
    let file = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("Places named in {file}"));
    // Marker area in proportion to the mentions (the radius to their
    // square root), from the usual size for one mention up to three times
    // it; the most mentioned come first, so they are labelled first.
    let sizes = counted.iter().map(|(_, n)| (*n as f64).sqrt()).collect();
    let places = counted.into_iter().map(|(p, _)| p).collect();
    Ok((places, sizes, fc, title, &[Format::Png, Format::GeoJson]))
}
