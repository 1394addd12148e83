//! A static k-d tree of points on the unit sphere, for reverse lookups.
//!
//! The points are kept in one array, reordered so that every range
//! `lo..hi` of more than [`LEAF`] points is split at its middle point on
//! the axis its points spread most along: the points before the middle
//! are not above it on that axis, those after not below. Building is a
//! recursion of `select_nth_unstable`, and each range keeps its bounding
//! box; a lookup descends to the side of the query first and visits the
//! other side only when its box is nearer than the best point so far. Faster to build and to query than the
//! R-tree it replaces, which reverse geocoding of a batch of coordinates
//! spent most of its time in.
//!
//! Why not a crate: the k-d trees of `kiddo` keep points in buckets of a
//! fixed size and panic when more points than a bucket holds share one
//! position, which a user's gazetteer may well have (a hundred places
//! given the same town's point); `rstar`, used before, took four times as
//! long to build over the world gazetteer.
//!
//! Among points at the same distance the one of the lowest (layer, number)
//! is the nearest, as in the scan that answers before the tree is built.

/// Ranges of at most this many points are scanned.
const LEAF: usize = 8;

/// A point and what it stands for: (layer, place number).
#[derive(Debug, Clone, Copy)]
pub(super) struct Spot {
    pub(super) p: [f64; 3],
    pub(super) data: (u32, u32),
}

/// See the module docs.
#[derive(Debug, Default)]
pub(super) struct KdTree {
    spots: Vec<Spot>,
    /// The bounding box (least corner, greatest corner) of the spots of
    /// each range split further, numbered as a heap: the whole range 0,
    /// the two sides of range `k` `2k + 1` and `2k + 2`.
    boxes: Vec<[[f64; 3]; 2]>,
    /// The axis each range split further is split on (its longest).
    axes: Vec<u8>,
}

fn dist2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// Whether (d, data) comes before the worst of `best`.
fn better(d: f64, data: (u32, u32), than: (f64, (u32, u32))) -> bool {
    d < than.0 || (d == than.0 && data < than.1)
}

impl KdTree {
    pub(super) fn new(mut spots: Vec<Spot>) -> KdTree {
        let (mut boxes, mut axes) = (Vec::new(), Vec::new());
        build(&mut spots, 0, &mut boxes, &mut axes);
        KdTree { spots, boxes, axes }
    }

    /// The spot nearest to `q`, with its squared chord distance.
    pub(super) fn nearest(&self, q: &[f64; 3]) -> Option<(Spot, f64)> {
        let mut best = [(f64::INFINITY, (u32::MAX, u32::MAX), usize::MAX)];
        self.search(0, self.spots.len(), 0, q, &mut best, &mut 0);
        let (d, _, at) = best[0];
        (at != usize::MAX).then(|| (self.spots[at], d))
    }

    /// The `k` spots nearest to `q`, nearest first.
    pub(super) fn nearest_k(&self, q: &[f64; 3], k: usize) -> Vec<Spot> {
        if k == 0 {
            return Vec::new();
        }
        let mut best = vec![(f64::INFINITY, (u32::MAX, u32::MAX), usize::MAX); k];
        let mut filled = 0;
        self.search(0, self.spots.len(), 0, q, &mut best, &mut filled);
        best[..filled]
            .iter()
            .map(|&(_, _, at)| self.spots[at])
            .collect()
    }

    /// Visits `lo..hi`, range `node`, keeping
    /// the best `best.len()` spots in order in `best[..*filled]`; a side
    /// whose bounding box is farther than the worst of those is skipped.
    #[allow(clippy::too_many_arguments)]
    fn search(
        &self,
        lo: usize,
        hi: usize,
        node: usize,
        q: &[f64; 3],
        best: &mut [(f64, (u32, u32), usize)],
        filled: &mut usize,
    ) {
        if hi - lo <= LEAF {
            for at in lo..hi {
                self.offer(at, q, best, filled);
            }
            return;
        }
        let mid = lo + (hi - lo) / 2;
        let axis = self.axes[node] as usize;
        let diff = q[axis] - self.spots[mid].p[axis];
        let sides = [(lo, mid, 2 * node + 1), (mid + 1, hi, 2 * node + 2)];
        let order = if diff < 0.0 { [0, 1] } else { [1, 0] };
        self.offer(mid, q, best, filled);
        for k in order {
            let (lo, hi, child) = sides[k];
            // (`<=`: a spot at the same distance may come first by number.)
            if hi > lo && self.box_dist2(child, lo, hi, q) <= best[best.len() - 1].0 {
                self.search(lo, hi, child, q, best, filled);
            }
        }
    }

    /// The least squared distance from `q` to a spot of range `node`
    /// (`lo..hi`): to its bounding box, or 0 for a range scanned whole.
    fn box_dist2(&self, node: usize, lo: usize, hi: usize, q: &[f64; 3]) -> f64 {
        if hi - lo <= LEAF {
            return 0.0;
        }
        let [min, max] = &self.boxes[node];
        let mut d = 0.0;
        for a in 0..3 {
            let out = (min[a] - q[a]).max(q[a] - max[a]).max(0.0);
            d += out * out;
        }
        d
    }

    /// Puts spot `at` into `best` when it is among the nearest so far.
    fn offer(
        &self,
        at: usize,
        q: &[f64; 3],
        best: &mut [(f64, (u32, u32), usize)],
        filled: &mut usize,
    ) {
        let s = &self.spots[at];
        let d = dist2(&s.p, q);
        let last = best.len() - 1;
        if !better(d, s.data, (best[last].0, best[last].1)) {
            return;
        }
        // Insertion into the sorted list, dropping the worst.
        let mut i = last;
        while i > 0 && better(d, s.data, (best[i - 1].0, best[i - 1].1)) {
            best[i] = best[i - 1];
            i -= 1;
        }
        best[i] = (d, s.data, at);
        *filled = (*filled + 1).min(best.len());
    }
}

/// Orders `spots`, range `node`, as the tree reads them, and records the
/// bounding box and axis of every range split further.
fn build(spots: &mut [Spot], node: usize, boxes: &mut Vec<[[f64; 3]; 2]>, axes: &mut Vec<u8>) {
    if spots.len() <= LEAF {
        return;
    }
    let (mut min, mut max) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
    for s in spots.iter() {
        for ((lo, hi), v) in min.iter_mut().zip(&mut max).zip(s.p) {
            *lo = lo.min(v);
            *hi = hi.max(v);
        }
    }
    let bounds = [min, max];
    if boxes.len() <= node {
        boxes.resize(node + 1, [[0.0; 3]; 2]);
        axes.resize(node + 1, 0);
    }
    boxes[node] = bounds;
    let extent = |a: usize| bounds[1][a] - bounds[0][a];
    let axis = (0..3).fold(0, |b, a| if extent(a) > extent(b) { a } else { b });
    axes[node] = axis as u8;
    let mid = spots.len() / 2;
    spots.select_nth_unstable_by(mid, |a, b| a.p[axis].total_cmp(&b.p[axis]));
    let (left, right) = spots.split_at_mut(mid);
    build(left, 2 * node + 1, boxes, axes);
    build(&mut right[1..], 2 * node + 2, boxes, axes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(spots: &[Spot], q: &[f64; 3], k: usize) -> Vec<(u32, u32)> {
        let mut all: Vec<(f64, (u32, u32))> =
            spots.iter().map(|s| (dist2(&s.p, q), s.data)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(k).map(|(_, d)| d).collect()
    }

    proptest! {
        /// The tree finds what comparing every point finds, ties (many
        /// points at the same place) to the lowest number.
        #[test]
        fn agrees_with_a_scan(
            pts in proptest::collection::vec((-3i32..3, -3i32..3, -3i32..3), 0..200),
            q in (-40i32..40, -40i32..40, -40i32..40),
            k in 1usize..6,
        ) {
            let spots: Vec<Spot> = pts
                .iter()
                .enumerate()
                .map(|(i, &(x, y, z))| Spot {
                    p: [x as f64, y as f64, z as f64],
                    data: ((i % 3) as u32, i as u32),
                })
                .collect();
            let q = [q.0 as f64 / 10.0, q.1 as f64 / 10.0, q.2 as f64 / 10.0];
            let tree = KdTree::new(spots.clone());
            let want = brute(&spots, &q, k);
            let got: Vec<_> = tree.nearest_k(&q, k).iter().map(|s| s.data).collect();
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(tree.nearest(&q).map(|(s, _)| s.data), want.first().copied());
        }
    }
}
