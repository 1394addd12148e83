//! Distances, bearings and paths on the WGS 84 ellipsoid.
//!
//! Everything here goes through [`geo::Geodesic`], which implements
//! Karney's algorithm (C. F. F. Karney, *Algorithms for geodesics*,
//! J. Geodesy 87, 2013) as in GeographicLib: distances are exact to a few
//! nanometres, with no haversine sphere anywhere.
//!
//! # Axis order
//!
//! Points are [`geo::Point`] with `x` = longitude and `y` = latitude, in
//! degrees (the GeoJSON order, RFC 7946 §3.1.1). People write `lat, lon`;
//! only parsing and printing use that order.
//!
//! # Units
//!
//! Distances are in metres unless a name says otherwise; bearings are
//! degrees clockwise from true north in `0..360`.

use geo::{Bearing, Coord, Densify, Distance, Geodesic, Line, LineString, Point};

/// Geodesic distance between two points, in metres (WGS 84, Karney 2013).
///
/// ```
/// use geo::Point;
/// // JFK to LHR; GeographicLib's GeodSolve -i gives 5554908.791 m.
/// let jfk = Point::new(-73.7781, 40.6413);
/// let lhr = Point::new(-0.4543, 51.4700);
/// let d = routemap::geodesy::distance_m(jfk, lhr);
/// assert!((d - 5_554_908.791).abs() < 0.001, "{d}");
/// ```
pub fn distance_m(a: Point, b: Point) -> f64 {
    Geodesic.distance(a, b)
}

/// Azimuth of the geodesic at its start, degrees clockwise from north in `0..360`.
///
/// Between two identical points the bearing is undefined; this returns `0`.
pub fn initial_bearing_deg(a: Point, b: Point) -> f64 {
    if a == b {
        return 0.0;
    }
    normalize_bearing(Geodesic.bearing(a, b))
}

/// Azimuth of the geodesic where it arrives at `b`, degrees clockwise from
/// north in `0..360`.
///
/// The geodesic from `b` back to `a` is the same curve run backwards, so its
/// initial azimuth turned by 180° is the forward azimuth at `b`.
pub fn final_bearing_deg(a: Point, b: Point) -> f64 {
    if a == b {
        return 0.0;
    }
    normalize_bearing(Geodesic.bearing(b, a) + 180.0)
}

fn normalize_bearing(deg: f64) -> f64 {
    let d = deg.rem_euclid(360.0);
    // rem_euclid can round up to exactly 360.0 for tiny negative inputs.
    if d >= 360.0 {
        0.0
    } else {
        d
    }
}

/// The geodesic from `a` to `b` as a line string whose segments are no
/// longer than `max_segment_m` metres.
///
/// Intermediate vertices lie on the geodesic and are evenly spaced; the
/// first and last vertex are `a` and `b` exactly. Longitudes stay in
/// `-180..=180`, so a path across the antimeridian jumps from +180 to -180:
/// see [`split_antimeridian`].
///
/// # Panics
///
/// Never for finite input; a non-positive or non-finite `max_segment_m`
/// returns the two end points only.
pub fn densify(a: Point, b: Point, max_segment_m: f64) -> LineString {
    if !(max_segment_m.is_finite() && max_segment_m > 0.0) || a == b {
        return LineString::from(vec![a.0, b.0]);
    }
    Geodesic.densify(&Line::new(a, b), max_segment_m)
}

/// Splits a line string wherever it crosses the antimeridian (±180°), as
/// RFC 7946 §3.1.9 asks, adding a vertex on each side of the cut.
///
/// A crossing is a step whose longitude changes by more than 180°; the
/// latitude at the cut is interpolated in unwrapped longitude, which on
/// densified geodesics (segments of a few km) is within metres of the true
/// crossing. Returns one part when nothing crosses.
///
/// ```
/// use geo::{Coord, LineString};
/// let line = LineString::from(vec![(179.0, 10.0), (-179.0, 12.0)]);
/// let parts = routemap::geodesy::split_antimeridian(&line);
/// assert_eq!(parts.len(), 2);
/// assert_eq!(parts[0].0.last(), Some(&Coord { x: 180.0, y: 11.0 }));
/// assert_eq!(parts[1].0.first(), Some(&Coord { x: -180.0, y: 11.0 }));
/// ```
pub fn split_antimeridian(line: &LineString) -> Vec<LineString> {
    let mut parts = Vec::new();
    let mut current: Vec<Coord> = Vec::new();
    for c in line.coords() {
        if let Some(&prev) = current.last() {
            let dx = c.x - prev.x;
            if dx.abs() > 180.0 {
                // Going east across +180 (dx < 0 once wrapped) or west across -180.
                let east = dx < 0.0;
                let unwrapped = if east { c.x + 360.0 } else { c.x - 360.0 };
                let edge = if east { 180.0 } else { -180.0 };
                let t = (edge - prev.x) / (unwrapped - prev.x);
                let lat = prev.y + t * (c.y - prev.y);
                current.push(Coord { x: edge, y: lat });
                parts.push(LineString::from(std::mem::take(&mut current)));
                current.push(Coord { x: -edge, y: lat });
            }
        }
        current.push(*c);
    }
    if !current.is_empty() {
        parts.push(LineString::from(current));
    }
    parts
}

/// Units a distance is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    /// Kilometres.
    #[default]
    Km,
    /// International statute miles (1,609.344 m).
    Mi,
    /// International nautical miles (1,852 m).
    Nmi,
}

impl Units {
    /// Metres in one unit.
    pub fn metres(self) -> f64 {
        match self {
            Units::Km => 1_000.0,
            Units::Mi => 1_609.344,
            Units::Nmi => 1_852.0,
        }
    }

    /// Converts metres to this unit.
    ///
    /// ```
    /// use routemap::geodesy::Units;
    /// assert_eq!(Units::Nmi.from_m(1_852.0), 1.0);
    /// ```
    pub fn from_m(self, m: f64) -> f64 {
        m / self.metres()
    }

    /// The symbol printed after a number: `km`, `mi`, `nmi`.
    pub fn symbol(self) -> &'static str {
        match self {
            Units::Km => "km",
            Units::Mi => "mi",
            Units::Nmi => "nmi",
        }
    }
}

impl std::str::FromStr for Units {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "km" => Ok(Units::Km),
            "mi" | "miles" => Ok(Units::Mi),
            "nmi" | "nm" => Ok(Units::Nmi),
            _ => Err(crate::Error::InvalidOption {
                option: "--units".into(),
                message: format!("{s:?} is not one of km, mi, nmi"),
            }),
        }
    }
}

impl std::fmt::Display for Units {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    mod distance {
        use super::*;

        #[test]
        fn zero_between_same_point() {
            let p = Point::new(125.75, 39.03);
            assert_eq!(distance_m(p, p), 0.0);
            assert_eq!(initial_bearing_deg(p, p), 0.0);
        }

        #[test]
        fn quarter_meridian() {
            // The WGS 84 quarter meridian is 10,001,965.729 m (Karney 2013, table 1).
            let d = distance_m(Point::new(0.0, 0.0), Point::new(0.0, 90.0));
            assert_relative_eq!(d, 10_001_965.729, epsilon = 1e-3);
        }
    }

    mod bearings {
        use super::*;

        #[test]
        fn due_east_along_equator() {
            let b = initial_bearing_deg(Point::new(0.0, 0.0), Point::new(10.0, 0.0));
            assert_relative_eq!(b, 90.0, epsilon = 1e-9);
        }

        #[test]
        fn final_bearing_of_meridian_is_north() {
            let b = final_bearing_deg(Point::new(5.0, 0.0), Point::new(5.0, 40.0));
            assert_relative_eq!(b, 0.0, epsilon = 1e-9);
        }
    }

    mod densifying {
        use super::*;

        #[test]
        fn keeps_ends_and_respects_max_segment() {
            let a = Point::new(125.7543, 39.0339);
            let b = Point::new(130.6453, 42.4297);
            let line = densify(a, b, 10_000.0);
            assert_eq!(line.0.first(), Some(&a.0));
            assert_eq!(line.0.last(), Some(&b.0));
            for w in line.0.windows(2) {
                let s = distance_m(Point(w[0]), Point(w[1]));
                assert!(s <= 10_000.0 + 1e-6, "segment {s} m");
            }
            // The pieces add up to the whole geodesic.
            let sum: f64 = line
                .0
                .windows(2)
                .map(|w| distance_m(Point(w[0]), Point(w[1])))
                .sum();
            assert_relative_eq!(sum, distance_m(a, b), epsilon = 1e-3);
        }

        #[test]
        fn bad_max_segment_gives_end_points() {
            let a = Point::new(0.0, 0.0);
            let b = Point::new(1.0, 1.0);
            assert_eq!(densify(a, b, 0.0).0.len(), 2);
            assert_eq!(densify(a, b, f64::NAN).0.len(), 2);
        }
    }

    mod antimeridian {
        use super::*;

        #[test]
        fn westward_crossing_is_split() {
            let line = LineString::from(vec![(-179.5, 50.0), (179.5, 52.0), (178.0, 52.5)]);
            let parts = split_antimeridian(&line);
            assert_eq!(parts.len(), 2);
            assert_eq!(parts[0].0.last().unwrap().x, -180.0);
            assert_eq!(parts[1].0.first().unwrap().x, 180.0);
            assert_relative_eq!(parts[0].0.last().unwrap().y, 51.0);
        }

        #[test]
        fn no_crossing_is_one_part() {
            let line = LineString::from(vec![(10.0, 0.0), (20.0, 0.0)]);
            assert_eq!(split_antimeridian(&line), vec![line]);
        }
    }

    /// Every row of tests/fixtures/geodesic.tsv, made with GeographicLib's
    /// GeodSolve (tools/make_geodesic_fixture.sh): distance to 1 mm,
    /// initial azimuth to 1e-6 degrees.
    #[test]
    fn matches_geographiclib_fixture() {
        let text = include_str!("../tests/fixtures/geodesic.tsv");
        let mut rows = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("name"))
        {
            let f: Vec<&str> = line.split('\t').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            let (a, b) = (Point::new(n(2), n(1)), Point::new(n(4), n(3)));
            let d = distance_m(a, b);
            assert!((d - n(7)).abs() <= 1e-3, "{}: {d} vs {}", f[0], n(7));
            // Azimuths at a pole depend on a longitude convention; skip them.
            if n(1).abs() < 90.0 && n(3).abs() < 90.0 && d > 0.0 {
                let diff = (initial_bearing_deg(a, b) - n(5)).rem_euclid(360.0);
                assert!(diff.min(360.0 - diff) < 1e-6, "{}: azimuth", f[0]);
            }
            rows += 1;
        }
        assert!(rows >= 10, "fixture has {rows} rows");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn point() -> impl Strategy<Value = Point> {
            (-179.9..179.9f64, -89.0..89.0f64).prop_map(|(x, y)| Point::new(x, y))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// Densified vertices lie on the geodesic: going through any of
            /// them is no longer than the geodesic itself (to 1 mm), and no
            /// segment exceeds the maximum.
            #[test]
            fn densified_vertices_lie_on_the_geodesic(a in point(), b in point()) {
                let total = distance_m(a, b);
                prop_assume!(total < 19_000_000.0); // near-antipodal geodesics are not unique
                let line = densify(a, b, 50_000.0);
                for c in line.coords() {
                    let via = distance_m(a, Point(*c)) + distance_m(Point(*c), b);
                    prop_assert!((via - total).abs() < 1e-3, "off by {} m", via - total);
                }
                for w in line.0.windows(2) {
                    prop_assert!(distance_m(Point(w[0]), Point(w[1])) <= 50_000.0 + 1e-6);
                }
            }

            /// Splitting at the antimeridian keeps every vertex and never
            /// leaves a jump of more than 180° inside a part.
            #[test]
            fn split_parts_have_no_jumps(a in point(), b in point()) {
                let line = densify(a, b, 100_000.0);
                let parts = split_antimeridian(&line);
                let kept: usize = parts.iter().map(|p| p.0.len()).sum();
                prop_assert_eq!(kept, line.0.len() + 2 * (parts.len() - 1));
                for p in &parts {
                    for w in p.0.windows(2) {
                        prop_assert!((w[1].x - w[0].x).abs() <= 180.0);
                    }
                }
            }
        }
    }

    #[test]
    fn units_parse_and_convert() {
        assert_eq!("MI".parse::<Units>().unwrap(), Units::Mi);
        assert_relative_eq!(Units::Mi.from_m(1_609.344), 1.0);
        let err = "furlong".parse::<Units>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid --units: \"furlong\" is not one of km, mi, nmi"
        );
    }
}
