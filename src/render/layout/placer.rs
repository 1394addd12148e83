//! Collision state while labels are placed: the frame they must stay in,
//! the boxes already taken and the route's segments, each in a grid of
//! cells, so that a test looks only at what is near the box it tests
//! (a map of a thousand stops places its labels in well under a second).

use super::super::basemap;
use super::super::text;
use super::{Pts, Rect};

pub(crate) const HALO: f64 = 3.0;

pub(crate) fn text_box(text: &str, size: f64, bold: bool) -> (f64, f64) {
    (
        text::width(text, size, bold) + 2.0 * HALO,
        size * (text::ASCENT + text::DESCENT) + 2.0 * HALO,
    )
}

/// A route segment in pixels, with the index of its leg.
pub(crate) type LegSegment = (usize, (f64, f64), (f64, f64));

/// Side of a grid cell, canvas units.
const CELL: f64 = 64.0;

/// Items (by index) in the cells of a grid over the frame; what lies
/// outside it is kept in the border cells, so nothing is ever missed.
#[derive(Debug, Clone)]
struct Grid {
    x0: f64,
    y0: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn new(area: Rect) -> Grid {
        let n = |v: f64| ((v / CELL).ceil() as usize).clamp(1, 4096);
        let (cols, rows) = (n(area.w), n(area.h));
        Grid {
            x0: area.x,
            y0: area.y,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        }
    }

    /// The cells (columns, rows, inclusive) a box from (x0, y0) to (x1, y1) touches.
    fn span(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> (usize, usize, usize, usize) {
        let col = |x: f64| (((x - self.x0) / CELL).floor().max(0.0) as usize).min(self.cols - 1);
        let row = |y: f64| (((y - self.y0) / CELL).floor().max(0.0) as usize).min(self.rows - 1);
        (
            col(x0.min(x1)),
            row(y0.min(y1)),
            col(x0.max(x1)),
            row(y0.max(y1)),
        )
    }

    fn insert(&mut self, id: u32, x0: f64, y0: f64, x1: f64, y1: f64) {
        let (c0, r0, c1, r1) = self.span(x0, y0, x1, y1);
        for r in r0..=r1 {
            for c in c0..=c1 {
                self.cells[r * self.cols + c].push(id);
            }
        }
    }

    /// Whether `f` holds for an item in a cell the box touches.
    fn any(&self, x0: f64, y0: f64, x1: f64, y1: f64, mut f: impl FnMut(u32) -> bool) -> bool {
        let (c0, r0, c1, r1) = self.span(x0, y0, x1, y1);
        (r0..=r1).any(|r| (c0..=c1).any(|c| self.cells[r * self.cols + c].iter().any(|&i| f(i))))
    }

    /// The items in the cells the box touches, each once.
    fn near(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<u32> {
        let (c0, r0, c1, r1) = self.span(x0, y0, x1, y1);
        let mut out = Vec::new();
        for r in r0..=r1 {
            for c in c0..=c1 {
                out.extend_from_slice(&self.cells[r * self.cols + c]);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What labels are placed against: the frame, the boxes already taken and
/// the route's segments.
pub(crate) struct Placer {
    /// The frame labels stay in.
    pub frame: Rect,
    obstacles: Vec<Rect>,
    obstacle_grid: Grid,
    segments: Vec<LegSegment>,
    segment_grid: Grid,
}

impl Placer {
    /// A placer for labels inside `frame`, with nothing taken yet.
    pub fn new(frame: Rect) -> Placer {
        Placer {
            frame,
            obstacles: Vec::new(),
            obstacle_grid: Grid::new(frame),
            segments: Vec::new(),
            segment_grid: Grid::new(frame),
        }
    }

    /// Takes the box `r`: nothing placed later may touch it.
    pub fn add(&mut self, r: Rect) {
        let id = self.obstacles.len() as u32;
        self.obstacle_grid
            .insert(id, r.x, r.y, r.right(), r.bottom());
        self.obstacles.push(r);
    }

    /// A segment of leg `leg` that labels should not cross.
    pub fn add_segment(&mut self, leg: usize, a: (f64, f64), b: (f64, f64)) {
        let id = self.segments.len() as u32;
        self.segment_grid.insert(id, a.0, a.1, b.0, b.1);
        self.segments.push((leg, a, b));
    }

    /// Whether `r` lies in the frame and touches no box already placed.
    pub fn free(&self, r: &Rect) -> bool {
        self.frame.contains_rect(r)
            && !self
                .obstacle_grid
                .any(r.x, r.y, r.right(), r.bottom(), |i| {
                    self.obstacles[i as usize].intersects(r)
                })
    }

    /// How many route segments cross `r` (those of leg `skip_leg` aside).
    pub fn crossings(&self, r: &Rect, skip_leg: Option<usize>) -> usize {
        self.segment_grid
            .near(r.x, r.y, r.right(), r.bottom())
            .into_iter()
            .map(|i| &self.segments[i as usize])
            .filter(|(leg, a, b)| Some(*leg) != skip_leg && hits_segment(r, *a, *b))
            .count()
    }
}

fn hits_segment(r: &Rect, a: (f64, f64), b: (f64, f64)) -> bool {
    basemap::liang_barsky(a, b, (r.x, r.y, r.right(), r.bottom())).is_some()
}

pub(crate) fn polyline_len(p: &Pts) -> f64 {
    p.windows(2)
        .map(|s| f64::from((s[1].0 - s[0].0).hypot(s[1].1 - s[0].1)))
        .sum()
}

/// The point `dist` pixels along the pieces, with the unit normal there.
pub(crate) fn point_along(pieces: &[Pts], mut dist: f64) -> Option<(f64, f64, f64, f64)> {
    for p in pieces {
        for s in p.windows(2) {
            let (ax, ay) = (f64::from(s[0].0), f64::from(s[0].1));
            let (bx, by) = (f64::from(s[1].0), f64::from(s[1].1));
            let l = (bx - ax).hypot(by - ay);
            if l <= 0.0 {
                continue;
            }
            if dist <= l {
                let t = dist / l;
                return Some((
                    ax + (bx - ax) * t,
                    ay + (by - ay) * t,
                    -(by - ay) / l,
                    (bx - ax) / l,
                ));
            }
            dist -= l;
        }
    }
    None
}

pub(crate) fn nearest_on_rect(r: &Rect, x: f64, y: f64) -> (f64, f64) {
    (x.clamp(r.x, r.right()), y.clamp(r.y, r.bottom()))
}

/// The eight places a label `bw` wide and `bh` high may take around the
/// point (`x`, `y`), in order of preference, each with its text anchor:
/// right and left at a gap `g`, the four diagonals `d` away on each axis,
/// then above and below.
pub(crate) fn positions_around(
    (x, y): (f64, f64),
    (bw, bh): (f64, f64),
    g: f64,
    d: f64,
) -> [(f64, f64, &'static str); 8] {
    [
        (x + g, y - bh / 2.0, "start"),
        (x - g - bw, y - bh / 2.0, "end"),
        (x + d, y - d - bh, "start"),
        (x + d, y + d, "start"),
        (x - d - bw, y - d - bh, "end"),
        (x - d - bw, y + d, "end"),
        (x - bw / 2.0, y - g - bh, "middle"),
        (x - bw / 2.0, y + g, "middle"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid answers what a look at every box and segment answers.
    #[test]
    fn the_grid_finds_what_a_full_scan_finds() {
        let frame = Rect::new(50.0, 80.0, 700.0, 500.0);
        let mut p = Placer::new(frame);
        // Pseudo-random boxes and segments, some outside the frame.
        let mut seed = 12345_u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        let mut boxes = Vec::new();
        let mut segs = Vec::new();
        for i in 0..300 {
            let r = Rect::new(
                next() * 900.0 - 50.0,
                next() * 700.0,
                5.0 + next() * 80.0,
                5.0 + next() * 30.0,
            );
            p.add(r);
            boxes.push(r);
            let a = (next() * 900.0, next() * 700.0);
            let b = (a.0 + next() * 300.0 - 150.0, a.1 + next() * 300.0 - 150.0);
            p.add_segment(i % 3, a, b);
            segs.push((i % 3, a, b));
        }
        for _ in 0..2000 {
            let r = Rect::new(
                next() * 900.0 - 50.0,
                next() * 700.0,
                5.0 + next() * 120.0,
                5.0 + next() * 40.0,
            );
            let free = frame.contains_rect(&r) && !boxes.iter().any(|o| o.intersects(&r));
            assert_eq!(p.free(&r), free);
            for skip in [None, Some(1)] {
                let n = segs
                    .iter()
                    .filter(|(leg, a, b)| Some(*leg) != skip && hits_segment(&r, *a, *b))
                    .count();
                assert_eq!(p.crossings(&r, skip), n);
            }
        }
    }

    #[test]
    fn point_along_walks_the_pieces_and_gives_the_normal() {
        let pieces = vec![
            vec![(0.0_f32, 0.0_f32), (10.0, 0.0)],
            vec![(10.0, 0.0), (10.0, 10.0)],
        ];
        assert_eq!(polyline_len(&pieces[0]), 10.0);
        // 5 px along the first piece, heading east: the normal points down (+y).
        assert_eq!(point_along(&pieces, 5.0), Some((5.0, 0.0, -0.0, 1.0)));
        // 15 px: 5 px down the second piece, heading south: normal points west.
        assert_eq!(point_along(&pieces, 15.0), Some((10.0, 5.0, -1.0, 0.0)));
        assert_eq!(point_along(&pieces, 25.0), None);
    }

    #[test]
    fn nearest_on_rect_clamps_to_the_box() {
        let r = Rect::new(10.0, 20.0, 30.0, 40.0);
        assert_eq!(nearest_on_rect(&r, 0.0, 0.0), (10.0, 20.0));
        assert_eq!(nearest_on_rect(&r, 25.0, 100.0), (25.0, 60.0));
        assert_eq!(nearest_on_rect(&r, 15.0, 30.0), (15.0, 30.0));
    }
}
