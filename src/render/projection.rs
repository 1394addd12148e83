//! Map projections: forward (lon, lat → metres) and inverse.
//!
//! Longitudes given to a [`Projection`] are "unwrapped": within ±180° of the
//! central meridian `lon0`, possibly outside −180..180 (a view centred on
//! 170°E uses 190 for 170°W). The caller unwraps; the projection never
//! wraps, so nothing is drawn across the whole map.
//!
//! The conic is the ellipsoidal Lambert conformal conic on WGS 84 (Snyder,
//! *Map Projections — A Working Manual*, 1987, eq. 15-1 to 15-11); the others
//! are spherical, which is what web mercator is by definition and is within
//! the drawing accuracy for the others.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::RenderError;

const A: f64 = 6_378_137.0; // WGS 84 semi-major axis, metres
const F: f64 = 1.0 / 298.257_223_563; // WGS 84 flattening
const R: f64 = 6_371_008.8; // mean radius for the spherical projections, metres

/// The projection families a map can use (`--projection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectionKind {
    /// Lambert conformal conic, standard parallels at 1/6 and 5/6 of the
    /// map's latitude range: for mid-latitude regions.
    Conic,
    /// Spherical (web) Mercator: for equatorial regions.
    WebMercator,
    /// Equirectangular (plate carrée) with true scale at the centre latitude.
    Equirectangular,
    /// Azimuthal equidistant centred on the map: for polar regions.
    AzimuthalEquidistant,
    /// Equal Earth (Šavrič, Patterson & Jenny 2018): for world extents.
    EqualEarth,
}

impl ProjectionKind {
    /// Every kind, for error messages and help text.
    pub const ALL: [ProjectionKind; 5] = [
        ProjectionKind::Conic,
        ProjectionKind::WebMercator,
        ProjectionKind::Equirectangular,
        ProjectionKind::AzimuthalEquidistant,
        ProjectionKind::EqualEarth,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ProjectionKind::Conic => "conic",
            ProjectionKind::WebMercator => "mercator",
            ProjectionKind::Equirectangular => "equirectangular",
            ProjectionKind::AzimuthalEquidistant => "azimuthal",
            ProjectionKind::EqualEarth => "equal-earth",
        }
    }

    /// Whether north is straight up everywhere on the map.
    pub(crate) fn north_is_up(self) -> bool {
        matches!(
            self,
            ProjectionKind::WebMercator | ProjectionKind::Equirectangular
        )
    }
}

impl fmt::Display for ProjectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ProjectionKind {
    type Err = RenderError;

    /// Parses `conic` (or `lcc`), `mercator` (`web-mercator`),
    /// `equirectangular` (`plate-carree`), `azimuthal`
    /// (`azimuthal-equidistant`, `aeqd`) and `equal-earth`.
    ///
    /// ```
    /// use routemap::render::ProjectionKind;
    /// assert_eq!("lcc".parse::<ProjectionKind>().unwrap(), ProjectionKind::Conic);
    /// assert!("gnomonic".parse::<ProjectionKind>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match k.as_str() {
            "conic" | "lcc" | "lambert" | "lambert-conformal-conic" => ProjectionKind::Conic,
            "mercator" | "web-mercator" | "webmercator" => ProjectionKind::WebMercator,
            "equirectangular" | "plate-carree" | "platecarree" | "eqc" => {
                ProjectionKind::Equirectangular
            }
            "azimuthal" | "azimuthal-equidistant" | "aeqd" => ProjectionKind::AzimuthalEquidistant,
            "equal-earth" | "equalearth" => ProjectionKind::EqualEarth,
            _ => {
                return Err(RenderError::UnknownProjection {
                    given: s.to_owned(),
                })
            }
        })
    }
}

/// A projection set up for one map: parameters fixed at construction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Projection {
    pub kind: ProjectionKind,
    /// Central meridian, degrees (unwrapped).
    pub lon0: f64,
    /// Central latitude, degrees.
    pub lat0: f64,
    // Lambert conformal conic constants (Snyder 15-8..15-11).
    n: f64,
    af: f64,
    rho0: f64,
    // Equirectangular: cos of the true-scale latitude.
    cos_ts: f64,
}

fn e() -> f64 {
    (F * (2.0 - F)).sqrt()
}

fn lcc_m(phi: f64) -> f64 {
    let e = e();
    phi.cos() / (1.0 - e * e * phi.sin().powi(2)).sqrt()
}

fn lcc_t(phi: f64) -> f64 {
    let e = e();
    let es = e * phi.sin();
    (FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - es) / (1.0 + es)).powf(e / 2.0)
}

impl Projection {
    /// Sets up `kind` for a map whose latitudes span `lat_min..lat_max`
    /// (degrees), centred on `lon0`, `lat0` (degrees).
    pub fn new(kind: ProjectionKind, lon0: f64, lat0: f64, lat_min: f64, lat_max: f64) -> Self {
        let mut p = Projection {
            kind,
            lon0,
            lat0,
            n: 0.0,
            af: 0.0,
            rho0: 0.0,
            cos_ts: lat0.to_radians().cos().max(0.05),
        };
        if kind == ProjectionKind::Conic {
            let span = (lat_max - lat_min).max(0.5);
            let mut p1 = (lat_min + span / 6.0).to_radians();
            let mut p2 = (lat_max - span / 6.0).to_radians();
            // A conic straddling the equator degenerates (n -> 0): move both
            // parallels to the hemisphere holding the map's centre.
            if p1 * p2 < 0.0 || (p1 + p2).abs() < 0.1 {
                let s = if lat0 >= 0.0 { 1.0 } else { -1.0 };
                p1 = s * 10f64.to_radians();
                p2 = s * (10.0 + span.min(60.0)).to_radians();
            }
            let (m1, m2, t1, t2) = (lcc_m(p1), lcc_m(p2), lcc_t(p1), lcc_t(p2));
            let n = if (p1 - p2).abs() < 1e-9 {
                p1.sin()
            } else {
                (m1.ln() - m2.ln()) / (t1.ln() - t2.ln())
            };
            p.n = n;
            p.af = A * m1 / (n * t1.powf(n));
            p.rho0 = p.af * lcc_t(lat0.to_radians()).powf(n);
        }
        p
    }

    /// lon, lat in degrees (lon unwrapped) → x, y in metres (y north).
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let dl = (lon - self.lon0).to_radians();
        let phi = lat.to_radians();
        match self.kind {
            ProjectionKind::Conic => {
                let phi = phi.clamp(-FRAC_PI_2 + 1e-9, FRAC_PI_2 - 1e-9);
                let rho = self.af * lcc_t(phi).powf(self.n);
                let th = self.n * dl;
                (rho * th.sin(), self.rho0 - rho * th.cos())
            }
            ProjectionKind::WebMercator => {
                let phi = phi.clamp(-85.051_13f64.to_radians(), 85.051_13f64.to_radians());
                (A * dl, A * (FRAC_PI_4 + phi / 2.0).tan().ln())
            }
            ProjectionKind::Equirectangular => (R * dl * self.cos_ts, R * phi),
            ProjectionKind::AzimuthalEquidistant => {
                let p0 = self.lat0.to_radians();
                let cosc =
                    (p0.sin() * phi.sin() + p0.cos() * phi.cos() * dl.cos()).clamp(-1.0, 1.0);
                let c = cosc.acos();
                let k = if c < 1e-12 { 1.0 } else { c / c.sin() };
                (
                    R * k * phi.cos() * dl.sin(),
                    R * k * (p0.cos() * phi.sin() - p0.sin() * phi.cos() * dl.cos()),
                )
            }
            ProjectionKind::EqualEarth => {
                let th = ((3f64).sqrt() / 2.0 * phi.sin()).asin();
                let t2 = th * th;
                let t6 = t2 * t2 * t2;
                let (a1, a2, a3, a4) = EE;
                let x = R * 2.0 * (3f64).sqrt() * dl * th.cos()
                    / (3.0 * (a1 + 3.0 * a2 * t2 + t6 * (7.0 * a3 + 9.0 * a4 * t2)));
                let y = R * th * (a1 + a2 * t2 + t6 * (a3 + a4 * t2));
                (x, y)
            }
        }
    }

    /// x, y in metres → lon (unwrapped), lat in degrees; `None` off the globe.
    pub fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (dl, phi) = match self.kind {
            ProjectionKind::Conic => {
                let n = self.n;
                let dy = self.rho0 - y;
                let rho = n.signum() * (x * x + dy * dy).sqrt();
                let th = if n > 0.0 {
                    x.atan2(dy)
                } else {
                    (-x).atan2(-dy)
                };
                let t = (rho / self.af).powf(1.0 / n);
                let e = e();
                let mut phi = FRAC_PI_2 - 2.0 * t.atan();
                for _ in 0..15 {
                    let es = e * phi.sin();
                    phi = FRAC_PI_2 - 2.0 * (t * ((1.0 - es) / (1.0 + es)).powf(e / 2.0)).atan();
                }
                (th / n, phi)
            }
            ProjectionKind::WebMercator => (x / A, 2.0 * (y / A).exp().atan() - FRAC_PI_2),
            ProjectionKind::Equirectangular => (x / (R * self.cos_ts), y / R),
            ProjectionKind::AzimuthalEquidistant => {
                let rho = (x * x + y * y).sqrt();
                let c = rho / R;
                if c > PI {
                    return None;
                }
                if rho < 1e-9 {
                    return Some((self.lon0, self.lat0));
                }
                let p0 = self.lat0.to_radians();
                let phi = (c.cos() * p0.sin() + y * c.sin() * p0.cos() / rho)
                    .clamp(-1.0, 1.0)
                    .asin();
                let dl = (x * c.sin()).atan2(rho * p0.cos() * c.cos() - y * p0.sin() * c.sin());
                (dl, phi)
            }
            ProjectionKind::EqualEarth => {
                let (a1, a2, a3, a4) = EE;
                let mut th = y / (R * a1);
                for _ in 0..20 {
                    let t2 = th * th;
                    let t6 = t2 * t2 * t2;
                    let fy = th * (a1 + a2 * t2 + t6 * (a3 + a4 * t2)) - y / R;
                    let fpy = a1 + 3.0 * a2 * t2 + t6 * (7.0 * a3 + 9.0 * a4 * t2);
                    th -= fy / fpy;
                }
                let s = th.sin() / ((3f64).sqrt() / 2.0);
                if !(-1.0..=1.0).contains(&s) {
                    return None;
                }
                let t2 = th * th;
                let t6 = t2 * t2 * t2;
                let dl = 3.0 * x * (a1 + 3.0 * a2 * t2 + t6 * (7.0 * a3 + 9.0 * a4 * t2))
                    / (2.0 * (3f64).sqrt() * R * th.cos());
                (dl, s.asin())
            }
        };
        let (lon, lat) = (self.lon0 + dl.to_degrees(), phi.to_degrees());
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (lon - self.lon0).abs() <= 180.0 + 1e-9;
        ok.then_some((lon, lat))
    }

    /// The angle, in degrees clockwise from straight up, of true north at
    /// lon, lat (degrees, lon unwrapped).
    pub fn north_angle(&self, lon: f64, lat: f64) -> f64 {
        let (x0, y0) = self.forward(lon, lat);
        let (x1, y1) = self.forward(lon, (lat + 0.01).min(89.99));
        (x1 - x0).atan2(y1 - y0).to_degrees()
    }
}

const EE: (f64, f64, f64, f64) = (1.340_264, -0.081_106, 0.000_893, 0.003_796);

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn every_projection_round_trips() {
        for kind in ProjectionKind::ALL {
            let p = Projection::new(kind, 128.0, 45.0, 38.0, 52.0);
            for (lon, lat) in [
                (125.75, 39.03),
                (130.64, 42.43),
                (128.33, 51.88),
                (140.0, 35.0),
            ] {
                let (x, y) = p.forward(lon, lat);
                let (lo, la) = p.inverse(x, y).expect("on the globe");
                assert_relative_eq!(lo, lon, epsilon = 1e-7);
                assert_relative_eq!(la, lat, epsilon = 1e-7);
            }
        }
    }

    #[test]
    fn conic_scale_is_within_one_percent_between_the_parallels() {
        // Local scale along a parallel: projected length of 0.01° of
        // longitude over its ellipsoidal length (N cos φ dλ).
        let p = Projection::new(ProjectionKind::Conic, 128.0, 45.45, 39.0, 51.9);
        let e2 = F * (2.0 - F);
        for lat in [39.0, 42.0, 45.45, 48.0, 51.9] {
            let (x0, y0) = p.forward(128.0, lat);
            let (x1, y1) = p.forward(128.01, lat);
            let proj = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            let phi = f64::to_radians(lat);
            let nu = A / (1.0 - e2 * phi.sin().powi(2)).sqrt();
            let true_len = nu * phi.cos() * 0.01f64.to_radians();
            assert!(
                (proj / true_len - 1.0).abs() < 0.01,
                "lat {lat}: {}",
                proj / true_len
            );
        }
    }

    #[test]
    fn names_parse_and_unknown_names_are_typed_errors() {
        for k in ProjectionKind::ALL {
            assert_eq!(k.name().parse::<ProjectionKind>().unwrap(), k);
        }
        let err = "robinson".parse::<ProjectionKind>().unwrap_err();
        assert!(matches!(err, RenderError::UnknownProjection { .. }));
        assert!(err.to_string().contains("robinson"));
    }

    #[test]
    fn north_is_up_on_the_central_meridian_only_for_the_conic() {
        let p = Projection::new(ProjectionKind::Conic, 128.0, 45.0, 39.0, 52.0);
        assert!(p.north_angle(128.0, 45.0).abs() < 1e-6);
        assert!(p.north_angle(138.0, 45.0).abs() > 3.0);
    }
}
