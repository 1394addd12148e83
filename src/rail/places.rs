//! The places a leg passes: towns and cities of the gazetteer the track runs
//! close to, whether or not the network has a station of theirs.

use std::collections::HashMap;

use geo::{LineString, Point};

use crate::gazetteer::{fold, Gazetteer};

/// A town counts as passed when the track runs this close to its point
/// (metres): a town's point is its centre, typically 1–3 km from its station,
/// and up to 6 km (Komsomolsk-on-Amur).
pub const PLACE_PASSED_M: f64 = 6_000.0;
/// Cities of at least [`BIG_CITY_POPULATION`] people count up to this far
/// (metres): a city that size spreads that far around its point (Irkutsk's is
/// 5.3 km from the Trans-Siberian, Novosibirsk's 3 km).
pub const PLACE_PASSED_BIG_M: f64 = 10_000.0;
/// What a big city is, people.
pub const BIG_CITY_POPULATION: u64 = 200_000;
/// Towns smaller than this (GeoNames population) are not listed, capitals
/// aside: a long leg would list hundreds of villages.
pub const PLACE_PASSED_MIN_POPULATION: u64 = 10_000;
/// Two places closer than this are one (the curated and the world gazetteer
/// both have most towns, under different spellings: Spassk-Dalny and
/// Spassk-Dal'niy), the more populous kept, metres.
const SAME_PLACE_M: f64 = 6_000.0;
/// Two places of the same name closer than this are one, metres.
const SAME_NAME_M: f64 = 20_000.0;
/// Places this close to a stop are part of it (a city's districts), metres.
const STOP_AREA_M: f64 = 20_000.0;
/// Grid cell of the path index, degrees.
const CELL_DEG: f64 = 0.1;

/// A town or city a leg passes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacePassed {
    /// Its name as the gazetteer gives it.
    pub name: String,
    /// Its own point (not on the track), x = longitude, y = latitude.
    pub point: Point,
    /// Its population (GeoNames), 0 when unknown.
    pub population: u64,
}

/// The towns and cities of `gazetteer` that `path` (x = longitude, y =
/// latitude) passes, in the order the path passes them: settlements of
/// [`PLACE_PASSED_MIN_POPULATION`] people or more (or capitals) whose point
/// lies within [`PLACE_PASSED_M`] of the path ([`PLACE_PASSED_BIG_M`] for
/// cities of [`BIG_CITY_POPULATION`] or more). Places named in `skip` (the
/// stops, compared folded) or within 20 km of `stops_at` (their districts)
/// are left out; of two places within 6 km of each other (one town under
/// two spellings, or a town and its quarter) the more populous is listed.
///
/// ```
/// use geo::{line_string, Point};
/// use routemap::gazetteer::{Gazetteer, Place, PlaceKind};
/// use routemap::rail::places_passed;
///
/// let mut gaz = Gazetteer::empty();
/// let town = |name: &str, lat: f64, lon: f64, pop: u64| {
///     Place::new(name, name, lat, lon).unwrap().with_kind(PlaceKind::Town).with_population(pop)
/// };
/// gaz.add_places("test", vec![
///     town("Near", 50.02, 10.5, 20_000),   // 2.2 km north of the line
///     town("Far", 50.2, 10.3, 20_000),     // 22 km away
///     town("Tiny", 50.0, 10.7, 300),       // on the line, but a hamlet
///     town("First", 50.01, 10.4, 50_000),
///     town("Quarter", 50.01, 10.41, 12_000), // 0.7 km from First
///     town("Start", 50.0, 10.0, 90_000),   // a stop
/// ]);
/// let path = line_string![(x: 10.0, y: 50.0), (x: 11.0, y: 50.0)];
/// let stops = [Point::new(10.0, 50.0), Point::new(11.0, 50.0)];
/// let passed = places_passed(&gaz, &path, &["Start".to_string()], &stops);
/// let names: Vec<&str> = passed.iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["First", "Near"]);
/// ```
pub fn places_passed(
    gazetteer: &Gazetteer,
    path: &LineString,
    skip: &[String],
    stops_at: &[Point],
) -> Vec<PlacePassed> {
    if within_stop_areas(path, stops_at) {
        return Vec::new();
    }
    let Some(index) = PathIndex::new(path) else {
        return Vec::new();
    };
    let skip: Vec<String> = skip.iter().map(|s| fold(s)).collect();
    // (position along the path, place), in the order the layers give them.
    let mut found: Vec<(f64, PlacePassed)> = Vec::new();
    let mut consider = |name: &str, lat: f64, lon: f64, population: u64, capital: bool| {
        if population < PLACE_PASSED_MIN_POPULATION && !capital {
            return;
        }
        if !index.in_box(lon, lat) {
            return;
        }
        let reach = if population >= BIG_CITY_POPULATION {
            PLACE_PASSED_BIG_M
        } else {
            PLACE_PASSED_M
        };
        let Some(at) = index.nearest(lon, lat, reach) else {
            return;
        };
        let point = Point::new(lon, lat);
        let key = fold(name);
        if key.is_empty()
            || skip.contains(&key)
            || stops_at
                .iter()
                .any(|s| crate::geodesy::distance_m(*s, point) <= STOP_AREA_M)
        {
            return;
        }
        found.push((
            at,
            PlacePassed {
                name: name.to_string(),
                point,
                population,
            },
        ));
    };
    for (_, place) in gazetteer.places() {
        if place.kind().is_settlement() {
            consider(
                place.name(),
                place.lat(),
                place.lon(),
                place.population(),
                place.is_capital(),
            );
        }
    }
    for idx in gazetteer.indexes() {
        // The box first: it leaves out nearly every place of the world, and
        // the point is all of the record it reads.
        for (i, lat, lon) in idx.points_in_box(index.bbox) {
            if !index.in_box(lon, lat) {
                continue;
            }
            let Some((kind, population, capital)) = idx.summary(i) else {
                continue;
            };
            if !kind.is_settlement() || (population < PLACE_PASSED_MIN_POPULATION && !capital) {
                continue;
            }
            if let Some(name) = idx.primary_name(i) {
                consider(&name, lat, lon, population, capital);
            }
        }
    }
    // The most populous first (the top layer first among equals), each
    // kept unless it is a place already kept.
    found.sort_by_key(|p| std::cmp::Reverse(p.1.population));
    let mut kept: Vec<(f64, PlacePassed)> = Vec::with_capacity(found.len());
    for (at, p) in found {
        let key = fold(&p.name);
        let same = kept.iter().any(|(_, q)| {
            let d = crate::geodesy::distance_m(q.point, p.point);
            d <= SAME_PLACE_M || (d <= SAME_NAME_M && fold(&q.name) == key)
        });
        if !same {
            kept.push((at, p));
        }
    }
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));
    kept.into_iter().map(|(_, p)| p).collect()
}

/// Whether every point of `path` is so close to a stop (within
/// [`STOP_AREA_M`] less the largest reach, with a kilometre to spare) that
/// any place within reach of the path is within [`STOP_AREA_M`] of that stop,
/// part of it: then the leg passes no place and the gazetteer need not be
/// searched (a leg across one city). A point between two vertices `a` and
/// `b` is at most `(d(a) + d(b) + |ab|) / 2` from the stop nearest to either.
fn within_stop_areas(path: &LineString, stops_at: &[Point]) -> bool {
    use geo::{Distance, Haversine};
    const NEAR_M: f64 = STOP_AREA_M - PLACE_PASSED_BIG_M - 1_000.0;
    if stops_at.is_empty() {
        return false;
    }
    let to_stop = |c: geo::Coord| {
        let p = Point::from(c);
        stops_at
            .iter()
            .map(|s| Haversine.distance(*s, p))
            .fold(f64::INFINITY, f64::min)
    };
    let mut prev: Option<(geo::Coord, f64)> = None;
    for &c in &path.0 {
        let d = to_stop(c);
        if d > NEAR_M {
            return false;
        }
        if let Some((a, da)) = prev {
            let ab = Haversine.distance(Point::from(a), Point::from(c));
            if (da + d + ab) / 2.0 > NEAR_M {
                return false;
            }
        }
        prev = Some((c, d));
    }
    true
}

/// The path's pieces in a grid of [`CELL_DEG`] cells, for the distance from
/// a point to the path.
struct PathIndex<'a> {
    coords: &'a [geo::Coord],
    /// Cumulative planar length (degrees, roughly) to each vertex: the order
    /// along the path.
    along: Vec<f64>,
    cells: HashMap<(i64, i64), Vec<u32>>,
    /// west, south, east, north, with a margin of the largest reach.
    bbox: [f64; 4],
}

impl<'a> PathIndex<'a> {
    fn new(path: &'a LineString) -> Option<PathIndex<'a>> {
        let coords = &path.0[..];
        if coords.len() < 2 {
            return None;
        }
        let cell = |v: f64| (v / CELL_DEG).floor() as i64;
        let mut cells: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
        let mut along = Vec::with_capacity(coords.len());
        let mut total = 0.0;
        along.push(0.0);
        let mut bbox = [f64::INFINITY, f64::INFINITY, -f64::INFINITY, -f64::INFINITY];
        for (i, w) in coords.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            total += (b.x - a.x).hypot(b.y - a.y);
            along.push(total);
            bbox = [
                bbox[0].min(a.x.min(b.x)),
                bbox[1].min(a.y.min(b.y)),
                bbox[2].max(a.x.max(b.x)),
                bbox[3].max(a.y.max(b.y)),
            ];
            // A piece crossing the antimeridian is not indexed (no track does).
            if (b.x - a.x).abs() > 180.0 {
                continue;
            }
            for cx in cell(a.x.min(b.x))..=cell(a.x.max(b.x)) {
                for cy in cell(a.y.min(b.y))..=cell(a.y.max(b.y)) {
                    cells.entry((cx, cy)).or_default().push(i as u32);
                }
            }
        }
        // Margin: the largest reach, in degrees of latitude and longitude.
        let dlat = PLACE_PASSED_BIG_M / 111_000.0;
        let north = bbox[3].abs().max(bbox[1].abs()).min(85.0);
        let dlon = dlat / north.to_radians().cos();
        let bbox = [
            bbox[0] - dlon,
            bbox[1] - dlat,
            bbox[2] + dlon,
            bbox[3] + dlat,
        ];
        Some(PathIndex {
            coords,
            along,
            cells,
            bbox,
        })
    }

    fn in_box(&self, lon: f64, lat: f64) -> bool {
        lon >= self.bbox[0] && lon <= self.bbox[2] && lat >= self.bbox[1] && lat <= self.bbox[3]
    }

    /// Where along the path (its order) the path comes nearest to the point,
    /// when it comes within `reach_m` metres.
    fn nearest(&self, lon: f64, lat: f64, reach_m: f64) -> Option<f64> {
        // Local tangent plane: ample at these distances.
        const M_PER_DEG: f64 = 111_195.0;
        let c = lat.to_radians().cos().max(1e-6);
        let reach_lat = reach_m / M_PER_DEG;
        let reach_lon = reach_lat / c;
        let cell = |v: f64| (v / CELL_DEG).floor() as i64;
        let mut best: Option<(f64, f64)> = None; // (distance m, along)
        for cx in cell(lon - reach_lon)..=cell(lon + reach_lon) {
            for cy in cell(lat - reach_lat)..=cell(lat + reach_lat) {
                for &i in self.cells.get(&(cx, cy)).into_iter().flatten() {
                    let (a, b) = (self.coords[i as usize], self.coords[i as usize + 1]);
                    let (ax, ay) = ((a.x - lon) * c * M_PER_DEG, (a.y - lat) * M_PER_DEG);
                    let (bx, by) = ((b.x - lon) * c * M_PER_DEG, (b.y - lat) * M_PER_DEG);
                    let (ex, ey) = (bx - ax, by - ay);
                    let l2 = ex * ex + ey * ey;
                    let t = if l2 > 0.0 {
                        (-(ax * ex + ay * ey) / l2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let d = (ax + t * ex).hypot(ay + t * ey);
                    if d <= reach_m && best.is_none_or(|(bd, _)| d < bd) {
                        let at = self.along[i as usize]
                            + t * (self.along[i as usize + 1] - self.along[i as usize]);
                        best = Some((d, at));
                    }
                }
            }
        }
        best.map(|(_, at)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Place, PlaceKind};
    use geo::line_string;

    fn town(name: &str, lat: f64, lon: f64) -> Place {
        Place::new(name, name, lat, lon)
            .unwrap()
            .with_kind(PlaceKind::Town)
            .with_population(50_000)
    }

    #[test]
    fn a_leg_inside_its_stops_areas_is_told_apart() {
        // 0.1° of latitude is 11.1 km (GeographicLib: 11,119 m at 50°N).
        let short = line_string![(x: 10.0, y: 50.0), (x: 10.0, y: 50.14)];
        let ends = [Point::new(10.0, 50.0), Point::new(10.0, 50.14)];
        // 15.6 km with a stop at each end: no point is over 7.8 km from one.
        assert!(within_stop_areas(&short, &ends));
        // One stop only: the far end is 15.6 km from it.
        assert!(!within_stop_areas(&short, &ends[..1]));
        // 22 km between stops: its middle is 11 km from both.
        let long = line_string![(x: 10.0, y: 50.0), (x: 10.0, y: 50.2)];
        let ends = [Point::new(10.0, 50.0), Point::new(10.0, 50.2)];
        assert!(!within_stop_areas(&long, &ends));
        assert!(!within_stop_areas(&long, &[]));
    }

    #[test]
    fn the_short_cut_lists_what_the_search_would() {
        // Towns within reach of a 15.6 km leg are all within 20 km of one
        // of its stops: none is passed, searched or not.
        let mut gaz = Gazetteer::empty();
        gaz.add_places(
            "test",
            vec![
                town("Beside", 50.07, 10.07), // 5.0 km east of the middle
                town("Beyond", 50.19, 10.0),  // 5.6 km past the far end
            ],
        );
        let short = line_string![(x: 10.0, y: 50.0), (x: 10.0, y: 50.14)];
        let ends = [Point::new(10.0, 50.0), Point::new(10.0, 50.14)];
        assert!(places_passed(&gaz, &short, &[], &ends).is_empty());
        // The same towns on a leg between stops 33 km and more away are
        // passed: the stop areas are what leaves them out above.
        let long = line_string![(x: 10.0, y: 49.7), (x: 10.0, y: 50.5)];
        let ends = [Point::new(10.0, 49.7), Point::new(10.0, 50.5)];
        let names: Vec<String> = places_passed(&gaz, &long, &[], &ends)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Beside", "Beyond"]);
    }
}
