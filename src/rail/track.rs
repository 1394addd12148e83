//! The built-in network's real track: `gazetteer/rail/russia-osm.rmtrack`, written
//! by `tools/build_rail.py` from Russian railway lines traced over OpenStreetMap
//! (© OpenStreetMap contributors, ODbL 1.0; see `gazetteer/rail/README.md`).
//!
//! Format: the magic `RMTRACK1`, then a zlib stream of, little-endian:
//! `u32` line count; per line `u8` class (0 main line, 1 secondary, 2 tertiary,
//! 3 approximate link to a corridor), `u16` name length and UTF-8 name, `u8`
//! gauge count and `u16` gauges (mm), `u8` 1 when an exact first point follows
//! as two `f64` (lon, lat) — a link's corridor end, which must meet the corridor
//! to the bit — `u32` vertex count and the vertices as zigzag varint deltas of
//! lon, lat in 1e-6 degree; then `u32` station count and per station a `u16`
//! name length, the name, and `i32` lon, lat in 1e-6 degree.

use geo::{Coord, LineString, Point};

use super::builder::RailNetworkBuilder;
use super::graph::TrackKind;
use super::RailError;

/// The embedded file.
pub(crate) const BUILTIN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/gazetteer/rail/russia-osm.rmtrack"
));

const MAGIC: &[u8; 8] = b"RMTRACK1";
/// Class of the approximate links between corridors and real track.
const LINK_CLASS: u8 = 3;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    fn i32(&mut self) -> Option<i32> {
        self.u32().map(|u| u as i32)
    }
    fn f64(&mut self) -> Option<f64> {
        self.take(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u16()? as usize;
        self.take(n)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
    fn varint(&mut self) -> Option<i64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(((v >> 1) as i64) ^ -((v & 1) as i64));
            }
        }
        None
    }
}

/// Reads the real track into the builder: traced lines as running track, links
/// to the corridors as approximate track, and the file's stations.
pub(crate) fn read(b: &mut RailNetworkBuilder, bytes: &[u8]) -> Result<(), RailError> {
    let bad = |what: &str| RailError::Corridor {
        file: "russia-osm.rmtrack".into(),
        line: 0,
        message: format!("damaged built-in track file: {what}"),
    };
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("no RMTRACK1 header"));
    }
    let body = miniz_oxide::inflate::decompress_to_vec_zlib(&bytes[MAGIC.len()..])
        .map_err(|_| bad("not a zlib stream"))?;
    let mut r = Reader {
        bytes: &body,
        at: 0,
    };
    // A vertex takes 4–5 bytes (two varint deltas): room for them all at once.
    b.reserve(body.len() / 4);
    let lines = r.u32().ok_or_else(|| bad("truncated"))?;
    for _ in 0..lines {
        let class = r.u8().ok_or_else(|| bad("truncated"))?;
        let _name = r.string().ok_or_else(|| bad("truncated"))?;
        let ng = r.u8().ok_or_else(|| bad("truncated"))?;
        let gauges = (0..ng)
            .map(|_| r.u16().map(u32::from))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("truncated"))?;
        let mut coords: Vec<Coord> = Vec::new();
        if r.u8().ok_or_else(|| bad("truncated"))? == 1 {
            let (lon, lat) = (
                r.f64().ok_or_else(|| bad("truncated"))?,
                r.f64().ok_or_else(|| bad("truncated"))?,
            );
            coords.push(Coord { x: lon, y: lat });
        }
        let n = r.u32().ok_or_else(|| bad("truncated"))?;
        let (mut x, mut y) = (0i64, 0i64);
        coords.reserve(n as usize);
        for _ in 0..n {
            x += r.varint().ok_or_else(|| bad("truncated"))?;
            y += r.varint().ok_or_else(|| bad("truncated"))?;
            coords.push(Coord {
                x: x as f64 / 1e6,
                y: y as f64 / 1e6,
            });
        }
        let line = LineString::new(coords);
        if class == LINK_CLASS {
            b.add_approximate_track(&line, &gauges);
        } else {
            b.add_track(&line, TrackKind::Main, &gauges);
        }
    }
    let stations = r.u32().ok_or_else(|| bad("truncated"))?;
    for _ in 0..stations {
        let name = r.string().ok_or_else(|| bad("truncated"))?;
        let (lon, lat) = (
            r.i32().ok_or_else(|| bad("truncated"))?,
            r.i32().ok_or_else(|| bad("truncated"))?,
        );
        b.add_station(&name, Point::new(lon as f64 / 1e6, lat as f64 / 1e6));
    }
    Ok(())
}
