//! The graph file (format `RMRAIL04`): an 8-byte header, a CRC-32 of the
//! rest, then the body:
//!
//! 1. the length (u64, little-endian) of a postcard part holding the network
//!    description, the stations, the gauge sets and the nearest-track index
//!    (stored so that a route on a cached graph does not rebuild it);
//! 2. the graph's flat arrays, each as its number of elements (u64), zero
//!    bytes up to the next multiple of 8 from the start of the file, then
//!    the elements as little-endian numbers of fixed width, in the order of
//!    [`to_bytes`].
//!
//! The arrays are most of a file (the track's coordinates and lengths). The
//! file is memory-mapped and its arrays of numbers are read in place (see
//! [`super::flat`]): loading a cached graph checks the CRC-32 and the
//! graph's invariants but copies none of its track. Version 3 was all
//! postcard; it is refused as "damaged or from another routemap version"
//! (rebuild the graph).

use std::io::Read;
use std::path::Path;

use std::sync::Arc;

use super::flat::{Flat, InPlace};
use super::graph::{Graph, Station};
use super::snap::{chord, ecef, TrackIndex};
use super::{NetworkInfo, RailError};

/// First bytes of a graph file; the last digits are the format version.
const MAGIC: &[u8; 8] = b"RMRAIL04";
/// Every graph file starts with this, whatever its version.
const FAMILY: &[u8; 6] = b"RMRAIL";
/// Header and CRC-32.
const HEAD: usize = MAGIC.len() + 4;

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

/// A number stored at a fixed width, little-endian.
trait Raw: Sized {
    const SIZE: usize;
    fn put(&self, out: &mut Vec<u8>);
    /// Reads it from exactly [`Raw::SIZE`] bytes.
    fn get(b: &[u8]) -> Self;
}

macro_rules! raw_number {
    ($($t:ty),*) => {$(
        impl Raw for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(b: &[u8]) -> Self {
                <$t>::from_le_bytes(b.try_into().expect("SIZE bytes"))
            }
        }
    )*};
}
raw_number!(u8, u16, u32, f32, f64);

impl Raw for bool {
    const SIZE: usize = 1;
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(b: &[u8]) -> Self {
        b[0] != 0
    }
}

impl<T: Raw> Raw for [T; 2] {
    const SIZE: usize = 2 * T::SIZE;
    fn put(&self, out: &mut Vec<u8>) {
        self[0].put(out);
        self[1].put(out);
    }
    fn get(b: &[u8]) -> Self {
        [T::get(&b[..T::SIZE]), T::get(&b[T::SIZE..])]
    }
}

impl<T: Raw> Raw for (T, T) {
    const SIZE: usize = 2 * T::SIZE;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(b: &[u8]) -> Self {
        (T::get(&b[..T::SIZE]), T::get(&b[T::SIZE..]))
    }
}

/// Arrays start at a multiple of this many bytes from the start of the
/// file, so that they can be read in place (the map starts on a page).
const ALIGN: usize = 8;

fn put_array<T: Raw>(out: &mut Vec<u8>, items: &[T]) {
    out.extend_from_slice(&(items.len() as u64).to_le_bytes());
    let pad = (HEAD + out.len()).next_multiple_of(ALIGN) - (HEAD + out.len());
    out.resize(out.len() + pad, 0);
    out.reserve(items.len() * T::SIZE);
    for x in items {
        x.put(out);
    }
}

/// Reads the body's parts in order from the file's bytes (positions count
/// from the start of the file); `None` once anything is missing.
struct Cursor<'a> {
    all: &'a [u8],
    at: usize,
    /// The file, mapped: arrays of [`InPlace`] numbers are read in place.
    map: Option<&'a Arc<memmap2::Mmap>>,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.all.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    /// The length of the next array; past it, the array's first byte.
    fn len(&mut self) -> Option<usize> {
        let b = self.take(8)?;
        let n = usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok()?;
        self.take(self.at.next_multiple_of(ALIGN) - self.at)?;
        Some(n)
    }

    fn array<T: Raw>(&mut self) -> Option<Vec<T>> {
        let n = self.len()?;
        let bytes = self.take(n.checked_mul(T::SIZE)?)?;
        let mut v = Vec::with_capacity(n);
        v.extend(bytes.chunks_exact(T::SIZE).map(T::get));
        Some(v)
    }

    fn flat<T: Raw + InPlace>(&mut self) -> Option<Flat<T>> {
        if let Some(map) = self.map {
            let mut ahead = Cursor { ..*self };
            let n = ahead.len()?;
            if let Some(flat) = Flat::in_place(map, ahead.at, n) {
                ahead.take(n.checked_mul(T::SIZE)?)?;
                *self = ahead;
                return Some(flat);
            }
        }
        self.array().map(Flat::from)
    }
}

/// What the postcard part holds.
type Described = (NetworkInfo, Vec<Station>, Vec<Vec<u32>>, TrackIndex);

/// The graph file's bytes: the header, the CRC-32 of the body, then the body
/// (the graph and its index).
pub(crate) fn to_bytes(g: &Graph, index: &TrackIndex) -> Vec<u8> {
    // Serialising plain vectors, strings and numbers into memory cannot fail.
    let described = postcard::to_allocvec(&(&g.info, &g.stations, &g.gauge_sets, index))
        .expect("a graph always serialises");
    let mut body = Vec::with_capacity(described.len() + 24 * g.verts.len());
    put_array(&mut body, &described);
    put_array(&mut body, &g.node_lonlat);
    put_array(&mut body, &g.out_start);
    put_array(&mut body, &g.out_edges);
    put_array(&mut body, &g.seg_from);
    put_array(&mut body, &g.seg_to);
    put_array(&mut body, &g.seg_vstart);
    put_array(&mut body, &g.verts);
    put_array(&mut body, &g.vert_cum);
    put_array(&mut body, &g.seg_kind);
    put_array(&mut body, &g.seg_gauge);
    put_array(&mut body, &g.seg_az_start);
    put_array(&mut body, &g.seg_az_end);
    put_array(&mut body, &g.seg_kink);
    put_array(&mut body, &g.seg_approx);
    put_array(&mut body, &g.seg_free_turn);
    put_array(&mut body, &g.st_start);
    put_array(&mut body, &g.st_items);
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// The graph and index of a graph file's bytes `all` (its header and
/// checksum are not looked at), as stored: nothing is checked beyond the
/// layout (see [`load`]). With `map` (the same bytes, mapped), the
/// numbers are read in place.
pub(crate) fn decode(all: &[u8], map: Option<&Arc<memmap2::Mmap>>) -> Option<(Graph, TrackIndex)> {
    let mut c = Cursor { all, at: HEAD, map };
    let described = c.array::<u8>()?;
    let (info, stations, gauge_sets, index): Described = postcard::from_bytes(&described).ok()?;
    let g = Graph {
        info,
        node_lonlat: c.flat()?,
        out_start: c.flat()?,
        out_edges: c.flat()?,
        seg_from: c.flat()?,
        seg_to: c.flat()?,
        seg_vstart: c.flat()?,
        verts: c.flat()?,
        vert_cum: c.flat()?,
        seg_kind: c.array()?,
        seg_gauge: c.flat()?,
        gauge_sets,
        seg_az_start: c.flat()?,
        seg_az_end: c.flat()?,
        seg_kink: c.flat()?,
        seg_approx: c.array()?,
        seg_free_turn: c.array()?,
        stations,
        st_start: c.flat()?,
        st_items: c.array()?,
    };
    (c.at == all.len()).then_some((g, index))
}

/// The graph file, memory-mapped when it is a regular file (the graph's
/// arrays are then read in place), else read.
fn open(path: &Path) -> std::io::Result<(Option<Arc<memmap2::Mmap>>, Vec<u8>)> {
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.is_file() {
        // SAFETY: the map is read-only and never written through; a graph
        // file changed underneath a running process is outside what
        // routemap promises (as with the gazetteer's index files). Every
        // length and offset read from it is checked.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok((Some(Arc::new(map)), Vec::new()));
        }
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok((None, bytes))
}

pub(crate) fn load(path: &Path) -> Result<(Graph, TrackIndex), RailError> {
    let (map, read) = open(path).map_err(|e| RailError::io(path, e))?;
    let bytes: &[u8] = map.as_deref().map_or(&read, |m| m);
    let bad = || RailError::BadGraphFile {
        path: path.display().to_string(),
    };
    if bytes.len() < HEAD || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad());
    }
    let crc = u32::from_le_bytes(bytes[MAGIC.len()..HEAD].try_into().expect("4 bytes"));
    if crc32fast::hash(&bytes[HEAD..]) != crc {
        return Err(RailError::DamagedGraphFile {
            path: path.display().to_string(),
        });
    }
    let (g, index) = decode(bytes, map.as_ref()).ok_or_else(bad)?;
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
        // Coordinates and lengths must be finite numbers in range: a NaN
        // made the spatial index (rstar) panic (found by fuzzing).
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
