//! Reverse lookup: the named places nearest a coordinate.

use super::{fold, place, Gazetteer, Place, PlaceKind};

use super::kdtree::{KdTree, Spot};

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Reverse lookups of one place answered by a scan before the tree is
/// built: the scan costs about a twentieth of the build.
const SCANS_BEFORE_TREE: usize = 8;

impl Gazetteer {
    /// Calls `f` with the layer, number and point on the unit sphere of
    /// every named spot: areas are left out ("near Pacific Ocean" or a
    /// river's middle says nothing of where one is).
    fn each_spot(&self, mut f: impl FnMut(u32, u32, [f64; 3])) {
        for (li, layer) in self.layers.iter().enumerate() {
            for i in 0..layer.len() as u32 {
                if let Some((la, lo, kind)) = layer.position(i) {
                    if !(kind.is_area() || matches!(kind, PlaceKind::River | PlaceKind::Park)) {
                        f(li as u32, i, unit_vector(la, lo));
                    }
                }
            }
        }
    }

    /// The k-d tree of every named spot (points on the unit sphere, so
    /// that nearest in space is nearest on Earth), built on first use.
    fn tree(&self) -> &KdTree {
        self.tree.get_or_init(|| {
            let mut spots = Vec::new();
            self.each_spot(|li, i, p| spots.push(Spot { p, data: (li, i) }));
            KdTree::new(spots)
        })
    }

    /// The named spot nearest to the point `q` on the unit sphere: its
    /// layer, number and chord distance. A few lookups (the `lat,lon`
    /// stops of a route) scan the places, a few milliseconds each; the
    /// tree, some 0.15 s to build for the world gazetteer, is built once
    /// lookups keep coming.
    fn nearest_spot(&self, q: [f64; 3]) -> Option<(u32, u32, f64)> {
        let chord2 =
            |p: &[f64; 3]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
        if self.tree.get().is_none()
            && self
                .scans
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                < SCANS_BEFORE_TREE
        {
            let mut best: Option<(f64, u32, u32)> = None;
            self.each_spot(|li, i, p| {
                let d = chord2(&p);
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, li, i));
                }
            });
            return best.map(|(d, li, i)| (li, i, d.sqrt()));
        }
        let (spot, d) = self.tree().nearest(&q)?;
        Some((spot.data.0, spot.data.1, d.sqrt()))
    }

    /// The `n` named places nearest to `lat`, `lon` (degrees), nearest
    /// first, with their geodesic distance in metres (WGS 84). Countries and
    /// regions are left out: their points only stand for an area. The
    /// k-d tree behind it is built on the first call.
    ///
    /// ```
    /// use routemap::gazetteer::Gazetteer;
    /// let gaz = Gazetteer::builtin().unwrap();
    /// // lat, lon of a point in central Pyongyang.
    /// let near = gaz.nearest(39.03, 125.75, 1);
    /// assert_eq!(near[0].0.country(), "KP");
    /// assert!(near[0].1 < 10_000.0);
    /// ```
    pub fn nearest(&self, lat: f64, lon: f64, n: usize) -> Vec<(Place, f64)> {
        if n == 0 || place::check_lat_lon(lat, lon).is_err() {
            return Vec::new();
        }
        let here = geo::Point::new(lon, lat);
        let q = unit_vector(lat, lon);
        if n == 1 {
            // The nearest, whichever layer it is in (the commonest call):
            // no twin to leave out, so no name to fold and compare.
            let Some((li, i, _)) = self.nearest_spot(q) else {
                return Vec::new();
            };
            return self.layers[li as usize]
                .place(i)
                .map(|p| {
                    let d = crate::geodesy::distance_m(here, p.point());
                    vec![(p, d)]
                })
                .unwrap_or_default();
        }
        let tree = self.tree();
        // The nearest by chord (the order of great-circle distance), a few
        // more than asked since a place can be in two layers; only those
        // reported are built.
        let near = tree.nearest_k(&q, n + 4).into_iter().map(|s| s.data);

        let mut out: Vec<(Place, f64)> = Vec::with_capacity(n);
        let mut seen: Vec<(String, i64, i64)> = Vec::new();
        for (li, i) in near {
            let Some(p) = self.layers[li as usize].place(i) else {
                continue;
            };
            let key = (
                fold(p.name()),
                (p.lat() * 100.0).round() as i64,
                (p.lon() * 100.0).round() as i64,
            );
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let d = crate::geodesy::distance_m(here, p.point());
            out.push((p, d));
            if out.len() >= n {
                break;
            }
        }
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        out
    }

    /// Names a coordinate after the nearest place within 50 km.
    pub(super) fn label_point(&self, point: Place) -> Place {
        let (lat, lon) = (point.lat(), point.lon());
        if place::check_lat_lon(lat, lon).is_err() {
            return point;
        }
        let Some((li, i, chord)) = self.nearest_spot(unit_vector(lat, lon)) else {
            return point;
        };
        // The geodesic between two points is at least the angle between
        // their normals times the smallest radius of curvature of the
        // ellipsoid (6,335 km, a meridian at the equator): most points of
        // a batch are too far from any place to be named after it, and
        // need neither the place built nor a geodesic solved.
        let angle = 2.0 * (chord / 2.0).min(1.0).asin();
        if angle * 6_335_000.0 > 50_500.0 {
            return point;
        }
        let near = self.layers[li as usize].place(i).map(|p| {
            let d = crate::geodesy::distance_m(geo::Point::new(lon, lat), p.point());
            (p, d)
        });
        match near {
            Some((p, d)) if d <= 50_000.0 => {
                let name = format!("near {} ({})", p.name(), point.name());
                let mut labelled = Place::new(point.id(), name, point.lat(), point.lon())
                    .unwrap_or_else(|_| point.clone())
                    .with_kind(PlaceKind::Point)
                    .with_country(p.country())
                    .with_source(point.source())
                    .with_note(format!("{:.1} km from {}", d / 1000.0, p.name()));
                labelled = labelled.with_alt_names([point.name().to_string()]);
                labelled
            }
            _ => point,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first lookups scan the places, later ones use the tree: both
    /// give the same nearest place.
    #[test]
    fn the_scan_and_the_tree_agree() {
        let scanning = Gazetteer::builtin().unwrap();
        let with_tree = Gazetteer::builtin().unwrap();
        // A lookup of two places builds the tree at once.
        assert_eq!(with_tree.nearest(0.0, 0.0, 2).len(), 2);
        assert!(with_tree.tree.get().is_some());
        let points = [
            (39.03, 125.75),
            (42.43, 130.64),
            (-33.9, 151.2),
            (64.8, -147.7),
            (0.0, -160.0),
            (-89.0, 10.0),
            (51.5, -0.12),
            (35.0, 179.99),
        ];
        for (lat, lon) in points {
            let a = scanning.nearest(lat, lon, 1);
            let b = with_tree.nearest(lat, lon, 1);
            assert_eq!(a.len(), 1);
            // The same spot (a place of two layers may come from either).
            assert_eq!(a[0].1, b[0].1, "{lat},{lon}");
            assert_eq!(fold(a[0].0.name()), fold(b[0].0.name()), "{lat},{lon}");
        }
        assert!(scanning.tree.get().is_none(), "the scans built no tree");
    }
}
