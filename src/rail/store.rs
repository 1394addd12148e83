//! The graph file: a header, a CRC-32 of the rest, then the graph and its
//! nearest-track index serialized with postcard (the index is stored so that a
//! route on a cached graph does not rebuild it).

use std::io::Read;
use std::path::Path;

use super::graph::Graph;
use super::snap::{chord, ecef, TrackIndex};
use super::RailError;

/// First bytes of a graph file; the last digits are the format version.
const MAGIC: &[u8; 8] = b"RMRAIL03";
/// Every graph file starts with this, whatever its version.
const FAMILY: &[u8; 6] = b"RMRAIL";

/// Whether `path` starts with the graph file header.
pub(crate) fn is_graph_file(path: &Path) -> Result<bool, RailError> {
    let mut f = std::fs::File::open(path).map_err(|e| RailError::io(path, e))?;
    let mut head = [0u8; 8];
    match f.read_exact(&mut head) {
        Ok(()) => Ok(head.starts_with(FAMILY)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(RailError::io(path, e)),
    }
}

/// The graph file's bytes: the header, the CRC-32 of the body, then the body
/// (the graph and its index).
pub(crate) fn to_bytes(g: &Graph, index: &TrackIndex) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    // Serialising plain vectors, strings and numbers into memory cannot fail.
    let body = postcard::to_allocvec(&(g, index)).expect("a graph always serialises");
    bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

pub(crate) fn load(path: &Path) -> Result<(Graph, TrackIndex), RailError> {
    let bytes = std::fs::read(path).map_err(|e| RailError::io(path, e))?;
    let bad = || RailError::BadGraphFile {
        path: path.display().to_string(),
    };
    let head = MAGIC.len() + 4;
    if bytes.len() < head || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad());
    }
    let crc = u32::from_le_bytes(bytes[MAGIC.len()..head].try_into().expect("4 bytes"));
    if crc32fast::hash(&bytes[head..]) != crc {
        return Err(RailError::DamagedGraphFile {
            path: path.display().to_string(),
        });
    }
    let (g, index): (Graph, TrackIndex) =
        postcard::from_bytes(&bytes[head..]).map_err(|_| bad())?;
    // Values are checked before use, so that a file written wrongly cannot make
    // indexing or the R-tree panic.
    if !consistent(&g) || !index.fits(&g) {
        return Err(bad());
    }
    Ok((g, index))
}

/// Checks the invariants documented on [`Graph`] that indexing relies on.
fn consistent(g: &Graph) -> bool {
    let s = g.seg_from.len();
    let n = g.node_lonlat.len();
    let v = g.verts.len();
    let same_len = [
        g.seg_to.len(),
        g.seg_kind.len(),
        g.seg_gauge.len(),
        g.seg_az_start.len(),
        g.seg_az_end.len(),
        g.seg_kink.len(),
        g.seg_approx.len(),
        g.seg_free_turn.len(),
    ]
    .iter()
    .all(|&l| l == s);
    same_len
        && g.seg_vstart.len() == s + 1
        && g.seg_vstart.first() == Some(&0)
        && g.seg_vstart.last().map(|&x| x as usize) == Some(v)
        && g.seg_vstart
            .windows(2)
            .all(|w| w[1].checked_sub(w[0]).is_some_and(|d| d >= 2))
        && g.vert_cum.len() == v
        && g.out_start.len() == n + 1
        && g.out_start.windows(2).all(|w| w[1] >= w[0])
        && g.out_start.last().map(|&x| x as usize) == Some(g.out_edges.len())
        && g.out_edges.iter().all(|&d| (d as usize) < 2 * s)
        && g.seg_from
            .iter()
            .chain(&g.seg_to)
            .all(|&x| (x as usize) < n)
        && g.seg_gauge
            .iter()
            .all(|&x| (x as usize) < g.gauge_sets.len())
        && g.st_start.len() == s + 1
        && g.st_start.last().map(|&x| x as usize) == Some(g.st_items.len())
        && g.st_start.windows(2).all(|w| w[1] >= w[0])
        && g.st_items
            .iter()
            .all(|&(_, st)| (st as usize) < g.stations.len())
        && g.verts.iter().chain(&g.node_lonlat).all(|p| {
            p[0].is_finite()
                && p[1].is_finite()
                && (-180.0..=180.0).contains(&p[0])
                && (-90.0..=90.0).contains(&p[1])
        })
        && g.vert_cum.iter().all(|c| c.is_finite() && *c >= 0.0)
        && g.seg_az_start
            .iter()
            .chain(&g.seg_az_end)
            .chain(&g.seg_kink)
            .all(|a| a.is_finite())
        && (0..s).all(|i| {
            let len = (g.seg_vstart[i + 1] - g.seg_vstart[i]) as usize;
            g.seg_stations(i).iter().all(|&(k, _)| (k as usize) < len)
        })
        // Coordinates and lengths must be finite numbers in range: a NaN
        // made the spatial index (rstar) panic (found by fuzzing).
        && g.node_lonlat
            .iter()
            .chain(&g.verts)
            .all(|&[lon, lat]| lon.abs() <= 180.0 && lat.abs() <= 90.0)
        && g.vert_cum.iter().all(|x| x.is_finite())
        && g.seg_az_start
            .iter()
            .chain(&g.seg_az_end)
            .all(|x| x.is_finite())
        && (0..s).all(|i| lengths_fit(g, i))
}

/// Whether segment `i` begins and ends at its nodes, its lengths grow from 0
/// along it, and it is no shorter than the straight line between its ends:
/// what keeps the path search's estimate consistent (a graph file whose
/// lengths did not match its coordinates made a route search run for over
/// 10 s; found by fuzzing).
fn lengths_fit(g: &Graph, i: usize) -> bool {
    let r = g.seg_range(i);
    let (first, last) = (r.start, r.end - 1);
    let ends = g.node_lonlat[g.seg_from[i] as usize] == g.verts[first]
        && g.node_lonlat[g.seg_to[i] as usize] == g.verts[last];
    let growing = g.vert_cum[first] == 0.0 && g.vert_cum[r].windows(2).all(|w| w[1] >= w[0]);
    // One metre of slack for the local-plane lengths of short pieces.
    ends && growing && g.vert_cum[last] + 1.0 >= chord(ecef(g.verts[first]), ecef(g.verts[last]))
}
