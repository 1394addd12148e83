//! A compact, immutable place index read in place: the world gazetteer
//! compiled into the binary and the files `routemap gazetteer import` writes.
//!
//! # Layout (version 4, little-endian)
//!
//! A 16-byte preamble (magic `RMGAZIDX`, `u32` version, `u32` CRC-32 of
//! every byte after the preamble, checked when a file is opened) and
//! eleven `u64`: places, fst offset and length, postings offset and
//! length, table offset, names offset and length, block table offset,
//! alternate-names offset and length. Then:
//!
//! - **fst**: an [`fst::Map`] from every folded name ([`super::fold`]) to
//!   a value whose low three bits say what the rest is: 0 to 3, one place
//!   number, the name spelled as below; 4, the offset of a posting list:
//!   `u32` count, `count` × `u32` place numbers, `count` bytes saying how
//!   each place spells the name — 0 its primary name, 1 an alternate name
//!   spelled as the key, 2 the same with the first letter upper case, 3
//!   otherwise — and for each place of class 3 in turn a length byte and
//!   that many bytes of a recipe spelling it from the key (none when the
//!   length is 0; see `spelling.rs`), so that showing the name needs no
//!   unpacking of the alternate names.
//! - **table**: one fixed 24-byte record per place: latitude and longitude
//!   as `i32` in 1e-7 degrees, population `u32` (saturating), offset of its
//!   names `u32`, GeoNames id `u32` (0 when none), kind `u8` (position in
//!   [`PlaceKind::ALL`]), flags `u8` (1 capital, 2 the id is
//!   `geonames:<id>`, 4 the source is; bits 3 to 7 the Natural Earth scale
//!   rank plus one, 0 when none), country `[u8; 2]`.
//! - **names**: per place, `id`, `source`, `admin1`, `note`, the bounding
//!   box (`west,south,east,north`, empty for a point place) and the primary
//!   name, separated by `0x1F` (a place's bytes end where the next begins).
//! - **alternate names**: in blocks of 32 places compressed with DEFLATE
//!   (a `u32` offset per block, plus the end); inside a block, each place's
//!   names separated by `0x1F` and places ended by `0x1E`. They are only
//!   unpacked to say which alternate name matched, or to list them.
//!
//! Nothing is parsed at start-up: opening checks the header and the fst's
//! own header, and each lookup decodes only the records it touches.
//!
//! Version 3 files (no box, no scale rank, a zero checksum) are read too.
//! Version 2 files (written before version 3) are read too: their fst
//! values are one place number (bit 63 clear) or, with bit 63 set, the
//! offset of a posting list of `u32` count and place numbers, and which
//! name matched is found by reading the names.

use super::fold;
use super::place::{Place, PlaceKind};
use super::spelling::{self, Spelling};
use crate::{Error, Result};
use fst::{Automaton, IntoStreamer, Streamer};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The first bytes of every index file.
pub const MAGIC: &[u8; 8] = b"RMGAZIDX";
const VERSION: u32 = 4;
/// The version before boxes, scale ranks and the checksum (still read).
const VERSION_3: u32 = 3;
/// The version before the spellings of names were recorded (still read).
const VERSION_2: u32 = 2;
const FIELDS: usize = 11;
const HEADER_LEN: usize = 16 + 8 * FIELDS;
const RECORD_LEN: usize = 24;
const BLOCK: usize = 32;
/// A version 2 value with this bit is the offset of a posting list.
const MULTI: u64 = 1 << 63;
/// A version 3 value: the low bits say what the rest is (see the layout).
const TAG_BITS: u32 = 3;
const TAG_LIST: u64 = 4;
const SEP: u8 = 0x1F;
const END: u8 = 0x1E;
/// Bytes of keys held in memory by the builder before a sorted run is
/// spilled to disk.
const RUN_BYTES: usize = 96 << 20;

/// True when `bytes` start like an index file.
pub fn is_index(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

#[derive(Clone)]
enum Source {
    Static(&'static [u8]),
    Mapped(Arc<memmap2::Mmap>),
}

/// A cheap, cloneable view of part of the index bytes.
#[derive(Clone)]
struct Bytes {
    source: Source,
    range: Range<usize>,
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        let all: &[u8] = match &self.source {
            Source::Static(b) => b,
            Source::Mapped(m) => m,
        };
        &all[self.range.clone()]
    }
}

/// An opened index. Cloning is cheap (the bytes are shared).
#[derive(Clone)]
pub struct Index {
    version: u32,
    all: Bytes,
    fst: fst::Map<Bytes>,
    places: usize,
    postings: Range<usize>,
    table: usize,
    names: Range<usize>,
    blocks: usize,
    alt: Range<usize>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("places", &self.places)
            .field("names", &self.fst.len())
            .finish()
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

impl Index {
    /// Opens index bytes compiled into the binary (`include_bytes!`).
    ///
    /// # Errors
    ///
    /// [`Error::GazetteerFile`] naming `label` when the bytes are not an
    /// index of this version.
    pub fn from_static(bytes: &'static [u8], label: &Path) -> Result<Index> {
        // Compiled in: checked by the test suite, not at every start.
        Index::open(Source::Static(bytes), bytes.len(), label, false)
    }

    /// Memory-maps an index file written by [`IndexWriter`].
    ///
    /// # Errors
    ///
    /// [`Error::Read`] when the file cannot be read, [`Error::GazetteerFile`]
    /// when it is not an index of this version.
    pub fn open_file(path: &Path) -> Result<Index> {
        let file = File::open(path).map_err(|error| Error::Read {
            path: path.to_path_buf(),
            error,
        })?;
        // SAFETY: the map is read-only; an index file changed underneath a
        // running process is outside what routemap promises (as with any
        // memory-mapped database). Every offset read from it is checked.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|error| Error::Read {
            path: path.to_path_buf(),
            error,
        })?;
        let len = map.len();
        Index::open(Source::Mapped(Arc::new(map)), len, path, true)
    }

    fn open(source: Source, len: usize, label: &Path, check_sum: bool) -> Result<Index> {
        let bad = |message: &str| Error::GazetteerFile {
            path: label.to_path_buf(),
            message: message.to_string(),
        };
        let all = Bytes {
            source,
            range: 0..len,
        };
        let b = all.as_ref();
        if b.len() < HEADER_LEN || !is_index(b) {
            return Err(bad(
                "not a routemap index (rebuild it with `routemap gazetteer import`)",
            ));
        }
        let version = u32_at(b, 8);
        if version != VERSION && version != VERSION_3 && version != VERSION_2 {
            return Err(bad(
                "index of another version: rebuild it with `routemap gazetteer import`",
            ));
        }
        if version == VERSION && check_sum {
            let stored = u32_at(b, 12);
            if crc32fast::hash(&b[16..]) != stored {
                return Err(bad(
                    "is damaged (checksum mismatch); rebuild it with `routemap gazetteer import`",
                ));
            }
        }
        let h: Vec<usize> = (0..FIELDS)
            .map(|i| usize::try_from(u64_at(b, 16 + 8 * i)).unwrap_or(usize::MAX))
            .collect();
        let [places, fst_off, fst_len, post_off, post_len, table, names_off, names_len, blocks, alt_off, alt_len] =
            h[..]
        else {
            return Err(bad("damaged index header"));
        };
        let fits = |off: usize, n: Option<usize>| {
            n.and_then(|n| off.checked_add(n))
                .is_some_and(|end| end <= len)
        };
        let n_blocks = places.div_ceil(BLOCK) + 1;
        if !(fits(fst_off, Some(fst_len))
            && fits(post_off, Some(post_len))
            && fits(table, places.checked_mul(RECORD_LEN))
            && fits(names_off, Some(names_len))
            && fits(blocks, n_blocks.checked_mul(4))
            && fits(alt_off, Some(alt_len)))
        {
            return Err(bad("truncated or damaged index"));
        }
        let fst = fst::Map::new(Bytes {
            source: all.source.clone(),
            range: fst_off..fst_off + fst_len,
        })
        .map_err(|_| bad("damaged name index"))?;
        // The fst's own checksum (CRC-32C of its bytes): a file whose outer
        // CRC-32 was made to fit damaged bytes must still not reach the fst
        // reader, which panics on bad nodes (found by fuzzing).
        // (Every index is written by fst 0.4, whose fsts carry a checksum:
        // a missing one is damage too.)
        if check_sum && fst.as_fst().verify().is_err() {
            return Err(bad(
                "is damaged (name index checksum mismatch); rebuild it with `routemap gazetteer import`",
            ));
        }
        Ok(Index {
            version,
            all,
            fst,
            places,
            postings: post_off..post_off + post_len,
            table,
            names: names_off..names_off + names_len,
            blocks,
            alt: alt_off..alt_off + alt_len,
        })
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places
    }

    /// True when the index holds no place.
    pub fn is_empty(&self) -> bool {
        self.places == 0
    }

    /// Number of distinct folded names.
    pub fn names_len(&self) -> usize {
        self.fst.len()
    }

    /// Calls `f` with each place of an fst value and how it spells the
    /// name.
    fn each_place(&self, value: u64, mut f: impl FnMut(u32, Spelling)) {
        let b = self.all.as_ref();
        if self.version == VERSION_2 {
            if value & MULTI == 0 {
                f(value as u32, Spelling::Unknown);
                return;
            }
            let start = self
                .postings
                .start
                .saturating_add((value & !MULTI) as usize);
            if start.saturating_add(4) > self.postings.end {
                return;
            }
            let count = u32_at(b, start) as usize;
            for k in 0..count {
                let at = start + 4 + 4 * k;
                if at + 4 > self.postings.end {
                    break;
                }
                f(u32_at(b, at), Spelling::Unknown);
            }
            return;
        }
        let (tag, rest) = (value & ((1 << TAG_BITS) - 1), value >> TAG_BITS);
        if tag < TAG_LIST {
            if let Ok(place) = u32::try_from(rest) {
                f(place, Spelling::of_class(tag as u8));
            }
            return;
        }
        let start = self.postings.start.saturating_add(rest as usize);
        if tag != TAG_LIST || start.saturating_add(4) > self.postings.end {
            return;
        }
        let count = u32_at(b, start) as usize;
        let classes = start + 4 + 4 * count;
        let Some(mut recipes) = count
            .checked_mul(5)
            .and_then(|n| (start + 4).checked_add(n))
            .filter(|end| *end <= self.postings.end)
        else {
            return;
        };
        for k in 0..count {
            let spelled = match Spelling::of_class(b[classes + k]) {
                Spelling::Other(_) => {
                    let Some(&len) = b.get(recipes).filter(|_| recipes < self.postings.end) else {
                        return;
                    };
                    let at = recipes;
                    recipes += 1 + len as usize;
                    Spelling::Other(
                        std::num::NonZeroUsize::new(at)
                            .filter(|_| len > 0 && recipes <= self.postings.end),
                    )
                }
                s => s,
            };
            f(u32_at(b, start + 4 + 4 * k), spelled);
        }
    }

    fn postings_of(&self, value: u64, out: &mut Vec<u32>) {
        self.each_place(value, |p, _| out.push(p));
    }

    /// The places with the folded name `folded`.
    pub fn exact(&self, folded: &str, out: &mut Vec<u32>) {
        if let Some(v) = self.fst.get(folded) {
            self.postings_of(v, out);
        }
    }

    /// Calls `f` with each place of the folded name `folded` and how it
    /// spells the name.
    pub(super) fn exact_each(&self, folded: &str, f: impl FnMut(u32, Spelling)) {
        if let Some(v) = self.fst.get(folded) {
            self.each_place(v, f);
        }
    }

    /// Folded names within `max_edits` (at most 3; optimal string alignment
    /// distance, in characters) of `folded`: (name, edits, place). An
    /// automaton is walked over the fst, so only the names near the query
    /// are visited. With `anchor` n > 0, only names whose first n letters
    /// are the query's and with at most one edit in its first third (many
    /// times faster).
    pub fn fuzzy(
        &self,
        folded: &str,
        max_edits: u8,
        anchor: usize,
        out: &mut Vec<(String, u8, u32)>,
    ) {
        self.fuzzy_skipping(folded, max_edits, anchor, None, out);
    }

    /// [`Index::fuzzy`] without the names whose second letter is `skip`
    /// (for a search anchored on the first letter after one anchored on
    /// the first two found nothing: that part of the fst was walked).
    pub(super) fn fuzzy_skipping(
        &self,
        folded: &str,
        max_edits: u8,
        anchor: usize,
        skip: Option<char>,
        out: &mut Vec<(String, u8, u32)>,
    ) {
        let mut spelled = Vec::new();
        self.fuzzy_spelled(folded, max_edits, anchor, skip, &mut spelled);
        out.extend(spelled.into_iter().map(|(k, d, p, _)| (k, d, p)));
    }

    /// [`Index::fuzzy_skipping`] with how each place spells the name.
    pub(super) fn fuzzy_spelled(
        &self,
        folded: &str,
        max_edits: u8,
        anchor: usize,
        skip: Option<char>,
        out: &mut Vec<(String, u8, u32, Spelling)>,
    ) {
        let Some(mut lev) = Lev::new(folded, max_edits, anchor) else {
            return;
        };
        lev.skip = skip;
        let fst = self.fst.as_fst();
        let root = fst.root();
        let start = (&lev).start();
        let mut places = Vec::new();
        let mut emit = |key: &[u8], value: u64, state: &LevState| {
            let key = String::from_utf8_lossy(key).into_owned();
            places.clear();
            self.each_place(value, |p, s| places.push((p, s)));
            for &(p, s) in &places {
                out.push((key.clone(), lev.distance(state), p, s));
            }
        };
        if root.is_final() && (&lev).is_match(&start) {
            emit(&[], root.final_output().value(), &start);
        }
        if (&lev).can_match(&start) {
            let mut key = Vec::with_capacity(64);
            walk(
                fst,
                &lev,
                root,
                &start,
                fst::raw::Output::zero(),
                &mut key,
                &mut emit,
            );
        }
    }

    /// Folded names starting with `prefix`, in byte order, at most `limit`
    /// names: (name, place).
    pub fn prefix(&self, prefix: &str, limit: usize, out: &mut Vec<(String, u32)>) {
        let mut spelled = Vec::new();
        self.prefix_spelled(prefix, limit, &mut spelled);
        out.extend(spelled.into_iter().map(|(k, p, _)| (k, p)));
    }

    /// [`Index::prefix`] with how each place spells the name.
    pub(super) fn prefix_spelled(
        &self,
        prefix: &str,
        limit: usize,
        out: &mut Vec<(String, u32, Spelling)>,
    ) {
        let aut = fst::automaton::Str::new(prefix).starts_with();
        let mut stream = self.fst.search(aut).into_stream();
        let mut places = Vec::new();
        let mut n = 0;
        while let Some((key, value)) = stream.next() {
            n += 1;
            if n > limit {
                break;
            }
            let key = String::from_utf8_lossy(key).into_owned();
            places.clear();
            self.each_place(value, |p, s| places.push((p, s)));
            for &(p, s) in &places {
                out.push((key.clone(), p, s));
            }
        }
    }

    fn record(&self, i: u32) -> Option<&[u8]> {
        let i = i as usize;
        if i >= self.places {
            return None;
        }
        let at = self.table + i * RECORD_LEN;
        self.all.as_ref().get(at..at + RECORD_LEN)
    }

    /// Latitude and longitude of place `i`, degrees.
    pub fn lat_lon(&self, i: u32) -> Option<(f64, f64)> {
        let r = self.record(i)?;
        let lat = i32::from_le_bytes(r[0..4].try_into().ok()?) as f64 / 1e7;
        let lon = i32::from_le_bytes(r[4..8].try_into().ok()?) as f64 / 1e7;
        Some((lat, lon))
    }

    /// Kind, population and capital flag of place `i`, without decoding its
    /// names (for ranking).
    pub fn summary(&self, i: u32) -> Option<(PlaceKind, u64, bool)> {
        let r = self.record(i)?;
        let kind = *PlaceKind::ALL.get(r[20] as usize)?;
        Some((kind, u32_at(r, 8) as u64, r[21] & 1 != 0))
    }

    /// The ISO country code of place `i` (empty when unknown).
    pub fn country(&self, i: u32) -> &str {
        self.record(i).map_or("", country_of)
    }

    /// The `id`, `source`, `admin1`, `note` and primary name of place `i`
    /// as stored (an `id` or `source` that is the GeoNames id of the record
    /// is stored empty: see [`Index::id_ref`]).
    fn stored_fields(&self, i: u32) -> Option<[&str; 6]> {
        self.fields_of(i, self.record(i)?)
    }

    /// [`Index::stored_fields`] of place `i`, whose record is `r`.
    fn fields_of(&self, i: u32, r: &[u8]) -> Option<[&str; 6]> {
        let all = self.all.as_ref();
        let start = self.names.start.checked_add(u32_at(r, 12) as usize)?;
        // The next record is the next 24 bytes (none after the last).
        let next = self.table + (i as usize + 1) * RECORD_LEN;
        let end = match all
            .get(next + 12..next + 16)
            .filter(|_| (i as usize) + 1 < self.places)
        {
            Some(off) => self.names.start.checked_add(u32_at(off, 0) as usize)?,
            None => self.names.end,
        };
        if start > end || end > self.names.end {
            return None;
        }
        let text = std::str::from_utf8(all.get(start..end)?).ok()?;
        // The parts between separators (an ASCII byte: every part is
        // text): five before version 4, six (with the box) since.
        let parts = if self.version == VERSION { 6 } else { 5 };
        let mut seps = [text.len(); 6];
        if separators(text.as_bytes(), &mut seps[..parts]) < parts - 1 {
            return None;
        }
        let mut f: [&str; 6] = Default::default();
        let mut from = 0;
        for (k, end) in seps.iter().take(parts).enumerate() {
            // Before version 4 there is no box: the name is the fifth part.
            let slot = if parts == 5 && k == 4 { 5 } else { k };
            f[slot] = text.get(from..*end)?;
            from = end + 1;
        }
        Some(f)
    }

    /// What ranking needs of place `i`, without building it; `None` where
    /// [`Index::place`] is (a damaged record).
    pub(super) fn facts(&self, i: u32) -> Option<Facts<'_>> {
        let r = self.record(i)?;
        // What `place` checks: a kind, a country code that is text, the
        // texts, a name and a position.
        PlaceKind::ALL.get(r[20] as usize)?;
        std::str::from_utf8(&r[22..24]).ok()?;
        let fields = self.fields_of(i, r)?;
        let name = super::place::trim(fields[5]);
        let lat = u32_at(r, 0) as i32 as f64 / 1e7;
        let lon = u32_at(r, 4) as i32 as f64 / 1e7;
        if name.is_empty() || !super::place::lat_lon_ok(lat, lon) {
            return None;
        }
        Some(Facts {
            record: r,
            name,
            fields,
        })
    }

    /// The primary name of place `i`.
    pub fn primary_name(&self, i: u32) -> Option<String> {
        self.primary_name_ref(i).map(str::to_string)
    }

    /// The primary name of place `i`, borrowed.
    pub(super) fn primary_name_ref(&self, i: u32) -> Option<&str> {
        self.stored_fields(i).map(|[_, _, _, _, _, name]| name)
    }

    /// The name of place `i` that folds to `key`, as recorded by how it is
    /// `spelled` (what [`Index::name_for_key`] says, without unpacking the
    /// alternate names where the index records the spelling).
    pub(super) fn spelled_name(&self, i: u32, key: &str, spelled: Spelling) -> Option<String> {
        match spelled {
            Spelling::Primary => self.primary_name(i),
            Spelling::Key => Some(key.to_string()),
            Spelling::Capital => Some(spelling::capitalized(key)),
            Spelling::Other(Some(at)) => {
                let at = at.get();
                let b = self.all.as_ref();
                let recipe = b.get(at + 1..at + 1 + *b.get(at)? as usize)?;
                spelling::apply(key, recipe).or_else(|| self.name_for_key(i, key).map(|(n, _)| n))
            }
            Spelling::Other(None) | Spelling::Unknown => self.name_for_key(i, key).map(|(n, _)| n),
        }
    }

    /// The alternate names of place `i` (unpacks its block).
    pub fn alt_names(&self, i: u32) -> Vec<String> {
        let i = i as usize;
        if i >= self.places {
            return Vec::new();
        }
        let b = self.all.as_ref();
        let block = i / BLOCK;
        let at = self.blocks + 4 * block;
        let (start, end) = (u32_at(b, at) as usize, u32_at(b, at + 4) as usize);
        if start > end || self.alt.start + end > self.alt.end {
            return Vec::new();
        }
        let packed = &b[self.alt.start + start..self.alt.start + end];
        let Ok(raw) = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, 64 << 20) else {
            return Vec::new();
        };
        let Some(mine) = raw.split(|c| *c == END).nth(i % BLOCK) else {
            return Vec::new();
        };
        if mine.is_empty() {
            return Vec::new();
        }
        mine.split(|c| *c == SEP)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    /// The name of place `i` that folds to `key` (the primary name when it
    /// does; else the first such alternate name), and whether it is the
    /// primary name.
    pub fn name_for_key(&self, i: u32, key: &str) -> Option<(String, bool)> {
        let primary = self.primary_name(i)?;
        if fold(&primary) == key {
            return Some((primary, true));
        }
        let alt = self.alt_names(i).into_iter().find(|n| fold(n) == key);
        Some(match alt {
            Some(n) => (n, false),
            None => (primary, true),
        })
    }

    /// Place `i`, with its alternate names when `alt_names` is true.
    pub fn place(&self, i: u32, alt_names: bool) -> Option<Place> {
        let mut p = self.facts(i)?.place()?;
        if alt_names {
            p = p.with_alt_names(self.alt_names(i));
        }
        Some(p)
    }
}

/// An index place as read, before it is built (see [`Index::facts`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Facts<'a> {
    /// Its record, checked.
    record: &'a [u8],
    /// The primary name, as the place has it.
    pub name: &'a str,
    /// As stored: `id`, `source`, `admin1`, `note`, `bbox`, primary name.
    fields: [&'a str; 6],
}

impl<'a> Facts<'a> {
    pub(super) fn kind(&self) -> PlaceKind {
        PlaceKind::ALL[self.record[20] as usize % PlaceKind::ALL.len()]
    }

    pub(super) fn population(&self) -> u64 {
        u32_at(self.record, 8) as u64
    }

    pub(super) fn is_capital(&self) -> bool {
        self.record[21] & 1 != 0
    }

    /// The first-level region, as stored.
    pub(super) fn admin1(&self) -> &'a str {
        self.fields[2]
    }

    /// The Natural Earth scale rank (flag bits 3 to 7 hold it plus one).
    pub(super) fn scalerank(&self) -> Option<u8> {
        (self.record[21] >> 3).checked_sub(1)
    }

    /// Latitude and longitude, degrees.
    pub(super) fn lat_lon(&self) -> (f64, f64) {
        let at = |k| u32_at(self.record, k) as i32 as f64 / 1e7;
        (at(0), at(4))
    }

    /// The `id` (`field` 0) or `source` (1).
    pub(super) fn id(&self, field: usize) -> IdRef<'a> {
        if self.record[21] & (2 << field) != 0 {
            IdRef::of_gid(u32_at(self.record, 16))
        } else {
            IdRef::new(self.fields[field])
        }
    }

    /// The country code as stored (see [`Place::country`] for the code the
    /// place has).
    pub(super) fn country(&self) -> &'a str {
        country_of(self.record)
    }

    /// The place (always `Some` for facts [`Index::facts`] read).
    pub(super) fn place(&self) -> Option<Place> {
        let [id, source, admin1, note, bbox, name] = self.fields;
        // An `id` or `source` flagged as the GeoNames id is `geonames:<id>`.
        let mut digits = [0u8; 10];
        let gid = decimal(u32_at(self.record, 16), &mut digits);
        let text = |stored, bit: u8| {
            if self.record[21] & bit != 0 {
                [GEONAMES, gid]
            } else {
                [stored, ""]
            }
        };
        let (lat, lon) = self.lat_lon();
        Place::from_parts(
            text(id, 2),
            name,
            lat,
            lon,
            self.kind(),
            self.country(),
            admin1,
            self.population(),
            self.is_capital(),
            text(source, 4),
            note,
        )
        .map(|p| {
            let p = p.with_scalerank(self.scalerank());
            if bbox.is_empty() {
                p
            } else {
                p.with_bbox(super::load::parse_bbox(bbox).ok().flatten())
            }
        })
    }
}

/// An `id` or `source`, borrowed, in one form per text: a text that is
/// `geonames:<id>` (as [`IndexWriter`] recognises it) is the id, so that
/// an index place's GeoNames id needs no text to be compared, hashed or
/// checked for a twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum IdRef<'a> {
    /// `geonames:<id>`.
    GeoNames(u32),
    /// Any other text.
    Text(&'a str),
}

impl<'a> IdRef<'a> {
    /// The form of `text`.
    pub(super) fn new(text: &'a str) -> IdRef<'a> {
        match geonames_id(text) {
            Some(gid) => IdRef::GeoNames(gid),
            None => IdRef::Text(text),
        }
    }

    fn of_gid(gid: u32) -> IdRef<'static> {
        if gid == 0 {
            // Not written so, but it is what a damaged record reads as.
            IdRef::Text("geonames:0")
        } else {
            IdRef::GeoNames(gid)
        }
    }

    /// The text.
    pub(super) fn text(self) -> std::borrow::Cow<'a, str> {
        match self {
            IdRef::GeoNames(gid) => geonames_text(gid).into(),
            IdRef::Text(t) => t.into(),
        }
    }

    /// True for an empty text.
    pub(super) fn is_empty(self) -> bool {
        matches!(self, IdRef::Text(""))
    }
}

/// `geonames:<id>`.
fn geonames_text(gid: u32) -> String {
    let mut digits = [0u8; 10];
    let mut s = String::with_capacity(GEONAMES.len() + 10);
    s.push_str(GEONAMES);
    s.push_str(decimal(gid, &mut digits));
    s
}

const GEONAMES: &str = "geonames:";

/// `n` in decimal, written into `buf`.
fn decimal(n: u32, buf: &mut [u8; 10]) -> &str {
    let len = n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut n = n;
    for d in buf[..len].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    std::str::from_utf8(&buf[..len]).unwrap_or_default()
}

/// Finds the first separators (`SEP`) of `text`, eight bytes at a time,
/// into `at`; returns how many there are (at most `at.len()`).
fn separators(text: &[u8], at: &mut [usize]) -> usize {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let pattern = u64::from_ne_bytes([SEP; 8]);
    let mut n = 0;
    let mut words = text.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let x = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]) ^ pattern;
        // The high bit of each byte that is zero (no carries between bytes).
        let mut zero = !((x & LOW).wrapping_add(LOW) | x | LOW);
        while zero != 0 {
            if n == at.len() {
                return n;
            }
            at[n] = base + zero.trailing_zeros() as usize / 8;
            n += 1;
            zero &= zero - 1;
        }
        base += 8;
    }
    for (k, b) in words.remainder().iter().enumerate() {
        if *b == SEP {
            if n == at.len() {
                return n;
            }
            at[n] = base + k;
            n += 1;
        }
    }
    n
}

/// The country code of a record: its two bytes without trailing (or
/// leading) zero bytes, empty when they are not text.
fn country_of(r: &[u8]) -> &str {
    let mut cc = &r[22..24];
    while let [0, rest @ ..] = cc {
        cc = rest;
    }
    while let [rest @ .., 0] = cc {
        cc = rest;
    }
    std::str::from_utf8(cc).unwrap_or("")
}

/// An edit-distance automaton over UTF-8 bytes: the optimal string
/// alignment distance (insertions, deletions, substitutions and swaps of
/// two neighbouring letters, as `strsim::osa_distance`), counted in
/// characters, for names up to 62 characters and up to 3 edits.
///
/// It simulates the nondeterministic automaton bit-parallel (Wu and Manber
/// 1992, with Hyyrö's transposition term): bit `i` of `r[d]` says that the
/// first `i` letters of the query match what was read with at most `d`
/// edits. With `anchor` = n > 0, the first n letters must be typed right
/// and the first third of the name may hold at most one edit, which keeps
/// the walk over the fst narrow (a typo-tolerant search otherwise visits
/// every two-letter beginning of every name).
struct Lev {
    /// Per distinct non-ASCII letter of the query, the positions (bit `i`
    /// for letter `i - 1`) where it occurs.
    masks: Vec<(char, u64)>,
    /// The same for ASCII letters, by code.
    ascii: [u64; 128],
    /// The first letters of the query, which must be typed right.
    start: Vec<char>,
    m: u32,
    k: usize,
    /// Letters read before more than one edit is allowed (0 when not anchored).
    head: u8,
    /// The distinct first UTF-8 bytes of the query's letters, ascending.
    leads: Vec<u8>,
    /// `leads` as a set.
    lead_set: [bool; 256],
    /// A second letter that ends the walk (see [`Index::fuzzy_skipping`]).
    skip: Option<char>,
}

/// The optimal string alignment distance to one query, up to a limit:
/// `strsim::osa_distance` without its allocation and quadratic table (the
/// automaton of the fuzzy index lookups, run over one name).
pub(super) struct Osa(Lev);

impl Osa {
    /// `None` when the query is too long for the automaton (over 62
    /// letters) or `k` over 2.
    pub(super) fn new(query: &str, k: u8) -> Option<Osa> {
        Lev::new(query, k, 0).map(Osa)
    }

    /// The distance from the query to `name` when it is at most the limit.
    pub(super) fn distance(&self, name: &str) -> Option<u8> {
        let aut = &self.0;
        let mut s = aut.start();
        for b in name.bytes() {
            s = aut.accept(&s, b);
            if !aut.can_match(&s) {
                return None;
            }
        }
        aut.is_match(&s).then(|| self.0.distance(&s))
    }
}

/// A character that is never a letter of a folded query (a noncharacter).
const NOT_A_LETTER: char = '\u{FFFF}';

const LEV_MAX: usize = 62;
const LEV_K: usize = 2;

#[derive(Clone)]
struct LevState {
    r: [u64; LEV_K + 1],
    /// `r` before the last letter, for swaps.
    prev: [u64; LEV_K + 1],
    /// Positions of the last letter read in the query.
    last: u64,
    /// Letters read (saturating).
    read: u8,
    /// Code point being decoded and how many continuation bytes it still needs.
    partial: u32,
    need: u8,
}

impl Lev {
    fn new(query: &str, k: u8, anchor: usize) -> Option<Lev> {
        let chars: Vec<char> = query.chars().collect();
        if chars.len() <= anchor || chars.len() > LEV_MAX || k as usize > LEV_K {
            return None;
        }
        let mut masks: Vec<(char, u64)> = Vec::new();
        let mut ascii = [0u64; 128];
        for (i, c) in chars.iter().enumerate() {
            let bit = 1u64 << (i + 1);
            if c.is_ascii() {
                ascii[*c as usize] |= bit;
                continue;
            }
            match masks.iter_mut().find(|(x, _)| x == c) {
                Some((_, m)) => *m |= bit,
                None => masks.push((*c, bit)),
            }
        }
        if chars.contains(&NOT_A_LETTER) {
            return None;
        }
        let mut leads: Vec<u8> = chars
            .iter()
            .map(|c| {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf).as_bytes()[0]
            })
            .collect();
        leads.sort_unstable();
        leads.dedup();
        let mut lead_set = [false; 256];
        for &b in &leads {
            lead_set[b as usize] = true;
        }
        Some(Lev {
            skip: None,
            leads,
            lead_set,
            masks,
            ascii,
            start: chars[..anchor].to_vec(),
            m: chars.len() as u32,
            k: k as usize,
            head: if anchor > 0 {
                (chars.len() / 3).max(2) as u8
            } else {
                0
            },
        })
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            return self.ascii[c as usize];
        }
        self.masks
            .iter()
            .find(|(x, _)| *x == c)
            .map_or(0, |(_, m)| *m)
    }

    /// The distance of a match state: the fewest edits that reach the end.
    fn distance(&self, s: &LevState) -> u8 {
        (0..=self.k)
            .find(|&d| s.r[d] >> self.m & 1 == 1)
            .unwrap_or(self.k + 1) as u8
    }

    fn step(&self, s: &LevState, c: char) -> LevState {
        let all = (1u64 << (self.m + 1)) - 1;
        let mut r = [0u64; LEV_K + 1];
        let mc = self.mask(c);
        let skipped = s.read == 1 && self.skip == Some(c);
        if !skipped && self.start.get(s.read as usize).is_none_or(|&x| x == c) {
            r[0] = (s.r[0] << 1) & mc;
            // All levels, unrolled: those above `k` are never read.
            for d in 1..=LEV_K {
                r[d] = (((s.r[d] << 1) & mc)
                    | s.r[d - 1]
                    | (s.r[d - 1] << 1)
                    | (r[d - 1] << 1)
                    | ((s.prev[d - 1] << 2) & (mc << 1) & s.last))
                    & all;
            }
        }
        LevState {
            r,
            prev: s.r,
            last: mc,
            read: s.read.saturating_add(1),
            partial: 0,
            need: 0,
        }
    }
}

impl Automaton for &Lev {
    type State = LevState;

    fn start(&self) -> LevState {
        let mut r = [0u64; LEV_K + 1];
        for (d, v) in r.iter_mut().enumerate().take(self.k + 1) {
            *v = (1u64 << (d + 1)) - 1;
        }
        LevState {
            r,
            prev: [0; LEV_K + 1],
            last: 0,
            read: 0,
            partial: 0,
            need: 0,
        }
    }

    fn is_match(&self, s: &LevState) -> bool {
        s.need == 0 && s.r[self.k] >> self.m & 1 == 1
    }

    fn can_match(&self, s: &LevState) -> bool {
        // r[k] holds every r[d]: when it is empty nothing can come back.
        if s.read < self.head {
            s.r[self.k.min(1)] != 0
        } else {
            s.r[self.k] != 0
        }
    }

    fn accept(&self, s: &LevState, b: u8) -> LevState {
        let (partial, need) = if s.need > 0 {
            ((s.partial << 6) | (b & 0x3F) as u32, s.need - 1)
        } else if b < 0x80 {
            (b as u32, 0)
        } else if b >= 0xF0 {
            ((b & 0x07) as u32, 3)
        } else if b >= 0xE0 {
            ((b & 0x0F) as u32, 2)
        } else {
            ((b & 0x1F) as u32, 1)
        };
        if need > 0 {
            let mut next = s.clone();
            next.partial = partial;
            next.need = need;
            return next;
        }
        self.step(s, char::from_u32(partial).unwrap_or('\u{FFFD}'))
    }
}

/// Visits, depth first in byte order (the order of an fst stream), every
/// key below `node` that `lev` matches, calling `emit` with the key, its
/// value and the automaton state. Unlike `fst`'s stream, a transition
/// whose automaton state can match nothing (and is no match itself) is
/// dropped before its node is decoded: most transitions of a bushy node
/// are, and decoding them was most of the cost of a fuzzy lookup.
fn walk<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    lev: &Lev,
    node: fst::raw::Node<'_>,
    state: &LevState,
    out: fst::raw::Output,
    key: &mut Vec<u8>,
    emit: &mut impl FnMut(&[u8], u64, &LevState),
) {
    // At a character boundary, every letter not in the query leads to one
    // and the same state (the step sees a letter only through its mask and
    // the anchor, which a letter outside the query never passes). When
    // that state is dead, only the first bytes of the query's letters can
    // lead anywhere: look those up instead of trying every transition (a
    // node near the root has dozens).
    if state.need == 0 && node.len() > 2 {
        let other = lev.step(state, NOT_A_LETTER);
        if !lev.can_match(&other) && !lev.is_match(&other) {
            if node.len() > 32 {
                // A node this large has a byte index: direct look-ups.
                for &b in &lev.leads {
                    if let Some(i) = node.find_input(b) {
                        visit(fst, lev, node.transition(i), state, out, key, emit);
                    }
                }
            } else {
                for t in node.transitions() {
                    if lev.lead_set[t.inp as usize] {
                        visit(fst, lev, t, state, out, key, emit);
                    }
                }
            }
            return;
        }
    }
    for t in node.transitions() {
        visit(fst, lev, t, state, out, key, emit);
    }
}

/// One transition of [`walk`].
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn visit<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    lev: &Lev,
    t: fst::raw::Transition,
    state: &LevState,
    out: fst::raw::Output,
    key: &mut Vec<u8>,
    emit: &mut impl FnMut(&[u8], u64, &LevState),
) {
    {
        let next = lev.accept(state, t.inp);
        let alive = lev.can_match(&next);
        let matched = lev.is_match(&next);
        if !alive && !matched {
            return;
        }
        let child = fst.node(t.addr);
        let out = out.cat(t.out);
        key.push(t.inp);
        if matched && child.is_final() {
            emit(key, out.cat(child.final_output()).value(), &next);
        }
        if alive {
            walk(fst, lev, child, &next, out, key, emit);
        }
        key.pop();
    }
}

/// Builds an index file from places pushed one at a time. Memory stays
/// bounded: records and names go straight to temporary files, and the
/// folded names are sorted in runs of about 96 MB spilled to disk and
/// merged at the end.
pub struct IndexWriter {
    out: PathBuf,
    dir: crate::output::TempFolder,
    table: BufWriter<File>,
    names: BufWriter<File>,
    names_len: u64,
    alt: BufWriter<File>,
    alt_len: u64,
    /// Offsets of the alternate-name blocks written so far.
    blocks: Vec<u32>,
    /// Alternate names of the block being filled.
    block: Vec<u8>,
    places: u32,
    /// Keys of the current run.
    run: Vec<RunEntry>,
    run_bytes: usize,
    runs: Vec<PathBuf>,
}

/// A folded name of a place, how the place spells it (the class of the
/// layout) and, for class 3, the recipe spelling it when there is one.
type RunEntry = (Box<str>, u32, u8, Option<Recipe>);
type Recipe = Box<[u8]>;

fn write_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// The GeoNames id in `geonames:<id>`, if that is the whole text.
fn geonames_id(text: &str) -> Option<u32> {
    let n = text.strip_prefix("geonames:")?;
    let id: u32 = n.parse().ok()?;
    (id != 0 && id.to_string() == n).then_some(id)
}

impl IndexWriter {
    /// Starts an index that [`IndexWriter::finish`] writes to `out`
    /// atomically (temporary files live in `out`'s directory).
    ///
    /// # Errors
    ///
    /// [`Error::Write`] when the temporary files cannot be created.
    pub fn new(out: &Path) -> Result<IndexWriter> {
        // Beside the target of a link (so that the index is renamed into
        // place, the link kept); in the system's temporary folder for a
        // device, a FIFO or `-`, which are written through.
        let parent = crate::output::scratch_folder_for(out)?;
        let dir =
            crate::output::TempFolder::new_in(&parent, "index").map_err(|e| write_err(out, e))?;
        let create = |name: &str| {
            File::create(dir.path().join(name))
                .map(BufWriter::new)
                .map_err(|e| write_err(out, e))
        };
        Ok(IndexWriter {
            out: out.to_path_buf(),
            table: create("table")?,
            names: create("names")?,
            alt: create("alt")?,
            dir,
            names_len: 0,
            alt_len: 0,
            blocks: vec![0],
            block: Vec::new(),
            places: 0,
            run: Vec::new(),
            run_bytes: 0,
            runs: Vec::new(),
        })
    }

    /// Places pushed so far.
    pub fn len(&self) -> usize {
        self.places as usize
    }

    /// True before the first place.
    pub fn is_empty(&self) -> bool {
        self.places == 0
    }

    /// Adds a place under its folded names.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] on I/O failure or when the index would exceed its
    /// limits (4 294 967 295 places or bytes of names).
    pub fn push(&mut self, p: &Place) -> Result<()> {
        let out = self.out.clone();
        let clean = |s: &str| -> String { s.replace(|c: char| c.is_control(), " ") };
        let gid = geonames_id(p.source()).or_else(|| geonames_id(p.id()));
        let is_gid = |t: &str| gid.is_some() && geonames_id(t) == gid;
        let mut flags = u8::from(p.is_capital()) | p.scalerank().map_or(0, |r| (r + 1) << 3);
        let mut text = String::new();
        for (f, bit) in [(p.id(), 2), (p.source(), 4), (p.admin1(), 0), (p.note(), 0)] {
            if bit != 0 && is_gid(f) {
                flags |= bit;
            } else {
                text.push_str(&clean(f));
            }
            text.push('\u{1f}');
        }
        if let Some([w, s, e, n]) = p.bbox() {
            text.push_str(&format!("{w},{s},{e},{n}"));
        }
        text.push('\u{1f}');
        text.push_str(&clean(p.name()));
        let off = u32::try_from(self.names_len)
            .map_err(|_| write_err(&out, "the index is too large (over 4 GB of names)"))?;
        self.names
            .write_all(text.as_bytes())
            .map_err(|e| write_err(&out, e))?;
        self.names_len += text.len() as u64;

        // Folded name, class, recipe.
        let mut keys: Vec<(String, u8, Option<Recipe>)> = Vec::new();
        for (n, name) in p.names().enumerate() {
            let k = fold(name);
            if k.is_empty() || keys.iter().any(|(x, _, _)| *x == k) {
                continue;
            }
            if n == 0 {
                keys.push((k, Spelling::Primary.class(), None));
                continue;
            }
            if self.block.last().is_some_and(|c| *c != END) {
                self.block.push(SEP);
            }
            // As stored, so as `alt_names` and `name_for_key` read it back.
            let stored = clean(name);
            self.block.extend_from_slice(stored.as_bytes());
            let (class, recipe) = spelling::classify(&k, &stored);
            keys.push((k, class, recipe.map(Vec::into_boxed_slice)));
        }
        self.block.push(END);

        let mut r = [0u8; RECORD_LEN];
        r[0..4].copy_from_slice(&((p.lat() * 1e7).round() as i32).to_le_bytes());
        r[4..8].copy_from_slice(&((p.lon() * 1e7).round() as i32).to_le_bytes());
        r[8..12].copy_from_slice(&(p.population().min(u32::MAX as u64) as u32).to_le_bytes());
        r[12..16].copy_from_slice(&off.to_le_bytes());
        r[16..20].copy_from_slice(&gid.unwrap_or(0).to_le_bytes());
        r[20] = PlaceKind::ALL
            .iter()
            .position(|k| *k == p.kind())
            .unwrap_or(0) as u8;
        r[21] = flags;
        let cc = p.country().as_bytes();
        if cc.len() == 2 {
            r[22..24].copy_from_slice(cc);
        }
        self.table.write_all(&r).map_err(|e| write_err(&out, e))?;
        let place = self.places;
        self.places = self
            .places
            .checked_add(1)
            .ok_or_else(|| write_err(&out, "too many places"))?;
        if self.places as usize % BLOCK == 0 {
            self.flush_block()?;
        }
        for (k, class, recipe) in keys {
            self.run_bytes += k.len() + 48 + recipe.as_ref().map_or(0, |r| r.len());
            self.run.push((k.into_boxed_str(), place, class, recipe));
        }
        if self.run_bytes >= RUN_BYTES {
            self.spill()?;
        }
        Ok(())
    }

    fn flush_block(&mut self) -> Result<()> {
        let packed = miniz_oxide::deflate::compress_to_vec(&self.block, 9);
        self.alt
            .write_all(&packed)
            .map_err(|e| write_err(&self.out, e))?;
        self.alt_len += packed.len() as u64;
        let end = u32::try_from(self.alt_len)
            .map_err(|_| write_err(&self.out, "too many alternate names (over 4 GB)"))?;
        self.blocks.push(end);
        self.block.clear();
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        if self.run.is_empty() {
            return Ok(());
        }
        self.run.sort_unstable();
        let path = self.dir.path().join(format!("run{}", self.runs.len()));
        let mut w = BufWriter::new(File::create(&path).map_err(|e| write_err(&self.out, e))?);
        for (k, p, class, recipe) in self.run.drain(..) {
            let kb = k.as_bytes();
            let kl = kb.len().min(u16::MAX as usize);
            let recipe = recipe.as_deref().unwrap_or_default();
            w.write_all(&(kl as u16).to_le_bytes())
                .and_then(|_| w.write_all(&kb[..kl]))
                .and_then(|_| w.write_all(&p.to_le_bytes()))
                .and_then(|_| w.write_all(&[class, recipe.len() as u8]))
                .and_then(|_| w.write_all(recipe))
                .map_err(|e| write_err(&self.out, e))?;
        }
        w.flush().map_err(|e| write_err(&self.out, e))?;
        self.runs.push(path);
        self.run_bytes = 0;
        self.run.shrink_to_fit();
        Ok(())
    }

    /// Merges the sorted runs into the fst, assembles the file and renames
    /// it into place. Returns the number of places.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] on I/O failure; `out` is then left untouched.
    pub fn finish(mut self) -> Result<usize> {
        if self.places as usize % BLOCK != 0 {
            self.flush_block()?;
        }
        self.spill()?;
        let out = self.out.clone();
        let io = |e: std::io::Error| write_err(&out, e);
        self.table.flush().map_err(io)?;
        self.names.flush().map_err(io)?;
        self.alt.flush().map_err(io)?;
        let fst_path = self.dir.path().join("fst");
        let post_path = self.dir.path().join("postings");
        let mut builder =
            fst::MapBuilder::new(BufWriter::new(File::create(&fst_path).map_err(io)?))
                .map_err(|e| write_err(&out, e))?;
        let mut postings = BufWriter::new(File::create(&post_path).map_err(io)?);
        let mut post_len: u64 = 0;
        let mut readers = Vec::new();
        for r in &self.runs {
            readers.push(BufReader::with_capacity(
                1 << 16,
                File::open(r).map_err(io)?,
            ));
        }
        let mut heap = std::collections::BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some((k, p, spelled)) = read_entry(r).map_err(io)? {
                heap.push(std::cmp::Reverse((k, p, spelled, i)));
            }
        }
        let mut current: Option<Vec<u8>> = None;
        // Places of one name: place, class, recipe.
        let mut group: Vec<(u32, u8, Vec<u8>)> = Vec::new();
        let mut flush = |key: &[u8], group: &mut Vec<(u32, u8, Vec<u8>)>| -> Result<()> {
            group.dedup_by_key(|g| g.0);
            let value = if let [(place, class, _)] = group[..] {
                ((place as u64) << TAG_BITS) | class as u64
            } else {
                let v = (post_len << TAG_BITS) | TAG_LIST;
                let mut bytes = Vec::with_capacity(4 + 5 * group.len());
                bytes.extend_from_slice(&(group.len() as u32).to_le_bytes());
                for (place, _, _) in group.iter() {
                    bytes.extend_from_slice(&place.to_le_bytes());
                }
                bytes.extend(group.iter().map(|g| g.1));
                // The recipes of the names spelled otherwise: several
                // places share this name, and resolving it shows them.
                for (_, class, recipe) in group.iter() {
                    if *class == 3 {
                        bytes.push(recipe.len() as u8);
                        bytes.extend_from_slice(recipe);
                    }
                }
                postings.write_all(&bytes).map_err(io)?;
                post_len += bytes.len() as u64;
                v
            };
            group.clear();
            builder.insert(key, value).map_err(|e| write_err(&out, e))
        };
        while let Some(std::cmp::Reverse((k, p, spelled, i))) = heap.pop() {
            if current.as_deref() != Some(&k[..]) {
                if let Some(c) = current.take() {
                    flush(&c, &mut group)?;
                }
                current = Some(k);
            }
            group.push((p, spelled.0, spelled.1));
            if let Some((k, p, spelled)) = read_entry(&mut readers[i]).map_err(io)? {
                heap.push(std::cmp::Reverse((k, p, spelled, i)));
            }
        }
        if let Some(c) = current.take() {
            flush(&c, &mut group)?;
        }
        builder.finish().map_err(|e| write_err(&out, e))?;
        postings.flush().map_err(io)?;
        drop(postings);

        let size = |name: &str| -> Result<u64> {
            Ok(std::fs::metadata(self.dir.path().join(name))
                .map_err(io)?
                .len())
        };
        let fst_len = size("fst")?;
        let table_len = size("table")?;
        let fst_off = HEADER_LEN as u64;
        let post_off = fst_off + fst_len;
        let table_off = post_off + post_len;
        let names_off = table_off + table_len;
        let blocks_off = names_off + self.names_len;
        let alt_off = blocks_off + 4 * self.blocks.len() as u64;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        for v in [
            self.places as u64,
            fst_off,
            fst_len,
            post_off,
            post_len,
            table_off,
            names_off,
            self.names_len,
            blocks_off,
            alt_off,
            self.alt_len,
        ] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        let mut tmp = tempfile::NamedTempFile::new_in(self.dir.path()).map_err(io)?;
        {
            let mut w = BufWriter::new(tmp.as_file_mut());
            w.write_all(&header).map_err(io)?;
            let copy = |name: &str, w: &mut BufWriter<&mut File>| -> Result<()> {
                let mut f = File::open(self.dir.path().join(name)).map_err(io)?;
                f.rewind().map_err(io)?;
                std::io::copy(&mut f, w).map_err(io)?;
                Ok(())
            };
            copy("fst", &mut w)?;
            copy("postings", &mut w)?;
            copy("table", &mut w)?;
            copy("names", &mut w)?;
            for b in &self.blocks {
                w.write_all(&b.to_le_bytes()).map_err(io)?;
            }
            copy("alt", &mut w)?;
            w.flush().map_err(io)?;
        }
        // The checksum of everything after the preamble, in its last four
        // bytes (checked when a file is opened).
        {
            let f = tmp.as_file_mut();
            f.seek(std::io::SeekFrom::Start(16)).map_err(io)?;
            let mut hasher = crc32fast::Hasher::new();
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            f.seek(std::io::SeekFrom::Start(12)).map_err(io)?;
            f.write_all(&hasher.finalize().to_le_bytes()).map_err(io)?;
            f.flush().map_err(io)?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        crate::output::persist_temp(tmp, &self.out)?;
        Ok(self.places as usize)
    }
}

/// One entry of a spilled run: key, place, and class and recipe.
type SpilledEntry = (Vec<u8>, u32, (u8, Vec<u8>));

fn read_entry(r: &mut impl Read) -> std::io::Result<Option<SpilledEntry>> {
    let mut len = [0u8; 2];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut key = vec![0u8; u16::from_le_bytes(len) as usize];
    r.read_exact(&mut key)?;
    let mut place = [0u8; 4];
    r.read_exact(&mut place)?;
    let mut class = [0u8; 2];
    r.read_exact(&mut class)?;
    let mut recipe = vec![0u8; class[1] as usize];
    r.read_exact(&mut recipe)?;
    Ok(Some((key, u32::from_le_bytes(place), (class[0], recipe))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.rmidx");
        let mut w = IndexWriter::new(&path).unwrap();
        let places = [
            Place::new("a", "Springfield", 39.8017, -89.6437)
                .unwrap()
                .with_kind(PlaceKind::City)
                .with_population(114_394)
                .with_country("US"),
            Place::new("b", "Springfield", 37.2153, -93.2982)
                .unwrap()
                .with_population(169_176)
                .with_alt_names(["Спрингфилд", "SPRINGFIELD"]),
            Place::new("geonames:1", "Ōsaka", 34.69, 135.50)
                .unwrap()
                .with_source("geonames:1")
                .with_admin1("JP.32")
                .with_capital(true)
                .with_alt_names(["大阪", "Osaka"]),
        ];
        for p in &places {
            w.push(p).unwrap();
        }
        assert_eq!(w.finish().unwrap(), 3);
        let idx = Index::open_file(&path).unwrap();
        (dir, idx)
    }

    #[test]
    fn round_trips_places() {
        let (_d, idx) = sample();
        assert_eq!(idx.len(), 3);
        let p = idx.place(1, true).unwrap();
        assert_eq!(p.name(), "Springfield");
        // "SPRINGFIELD" folds like the primary name: not kept.
        assert_eq!(p.alt_names(), ["Спрингфилд"]);
        assert!((p.lat() - 37.2153).abs() < 1e-6);
        assert_eq!(p.population(), 169_176);
        let o = idx.place(2, true).unwrap();
        assert_eq!(
            (o.id(), o.source(), o.admin1(), o.is_capital()),
            ("geonames:1", "geonames:1", "JP.32", true)
        );
        assert_eq!(o.alt_names(), ["大阪"]);
        assert!(idx.place(3, false).is_none());
        assert!(idx.place(0, true).unwrap().alt_names().is_empty());
    }

    #[test]
    fn exact_lookup_lists_every_place_of_a_name() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.exact("springfield", &mut out);
        assert_eq!(out, [0, 1]);
        out.clear();
        idx.exact("спрингфилд", &mut out);
        assert_eq!(out, [1]);
        assert_eq!(
            idx.name_for_key(1, "спрингфилд"),
            Some(("Спрингфилд".to_string(), false))
        );
        out.clear();
        idx.exact("osaka", &mut out);
        assert_eq!(out, [2]);
    }

    #[test]
    fn fuzzy_counts_characters_not_bytes() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        // One Cyrillic letter changed: one edit, although two bytes differ.
        idx.fuzzy("спрингфилт", 1, 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].1, 1);
        out.clear();
        idx.fuzzy("sprngfeld", 2, 1, &mut out);
        assert_eq!(out.len(), 2);
        out.clear();
        idx.fuzzy("sprngfeld", 1, 0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.fuzzy("sprignfield", 1, 2, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out.iter().all(|(_, d, _)| *d == 1));
        out.clear();
        // Anchored: a wrong first letter is not forgiven.
        idx.fuzzy("pringfield", 1, 1, &mut out);
        assert!(out.is_empty());
        idx.fuzzy("pringfield", 1, 0, &mut out);
        assert_eq!(out.len(), 2);
    }

    mod automaton {
        use super::*;
        use proptest::prelude::*;

        fn distance(a: &str, b: &str, k: u8) -> Option<u8> {
            let lev = Lev::new(a, k, 0)?;
            let aut = &lev;
            let mut s = aut.start();
            for byte in b.bytes() {
                s = aut.accept(&s, byte);
            }
            aut.is_match(&s).then(|| lev.distance(&s))
        }

        proptest! {
            /// The distance used for in-memory layers is strsim's.
            #[test]
            fn osa_is_strsim(a in "[abcде]{1,9}", b in "[abcде]{0,12}", k in 0u8..=2) {
                let want = strsim::osa_distance(&a, &b);
                let got = Osa::new(&a, k).unwrap().distance(&b);
                prop_assert_eq!(got, (want <= k as usize).then_some(want as u8));
            }

            /// The automaton agrees with strsim's optimal string alignment
            /// distance wherever that is within the limit.
            #[test]
            fn agrees_with_strsim(a in "[abcде]{1,8}", b in "[abcде]{0,8}") {
                let want = strsim::osa_distance(&a, &b);
                let got = distance(&a, &b, 2);
                if want <= 2 {
                    prop_assert_eq!(got, Some(want as u8));
                } else {
                    prop_assert_eq!(got, None);
                }
            }
        }
    }

    /// The fuzzy look-up as an `fst` stream with the same automaton (how
    /// it was done before the own walk): the reference for the walk.
    fn fuzzy_by_stream(idx: &Index, folded: &str, k: u8, anchor: usize) -> Vec<(String, u8, u32)> {
        let mut out = Vec::new();
        let Some(lev) = Lev::new(folded, k, anchor) else {
            return out;
        };
        let mut stream = idx.fst.search_with_state(&lev).into_stream();
        let mut places = Vec::new();
        while let Some((key, value, state)) = stream.next() {
            places.clear();
            idx.postings_of(value, &mut places);
            for p in &places {
                out.push((
                    String::from_utf8_lossy(key).into_owned(),
                    lev.distance(&state),
                    *p,
                ));
            }
        }
        out
    }

    /// The walk finds what the stream finds, in the same order, over the
    /// world data: misspelt names in several scripts, every anchor.
    #[test]
    fn walk_agrees_with_the_fst_stream() {
        let Some(world) = crate::gazetteer::Gazetteer::world_index() else {
            return;
        };
        let mut queries: Vec<String> = Vec::new();
        for i in (0..world.len() as u32).step_by(4111) {
            let mut names = world.alt_names(i);
            names.extend(world.primary_name(i));
            for name in names.iter().take(6) {
                let mut c: Vec<char> = fold(name).chars().collect();
                if c.len() < 5 {
                    continue;
                }
                let n = c.len();
                c.remove(n / 2);
                c.swap(1, 2);
                queries.push(c.iter().collect());
                if n > 9 {
                    let mut d: Vec<char> = fold(name).chars().collect();
                    d[n - 2] = 'x';
                    d.swap(n / 3, n / 3 + 1);
                    queries.push(d.iter().collect());
                }
            }
        }
        queries.extend(
            [
                "ulaanbataar",
                "vladivostk",
                "ussurijsk",
                "хабаровкс",
                "평얀",
                "oyongyang",
            ]
            .map(String::from),
        );
        assert!(queries.len() > 50, "{}", queries.len());
        let mut found = 0;
        for (n, q) in queries.iter().enumerate() {
            let runs: &[(u8, usize)] = if n % 8 == 0 {
                &[(2, 2), (2, 1), (1, 0)]
            } else {
                &[(2, 2), (2, 1), (1, 1)]
            };
            for &(k, anchor) in runs {
                let mut walked = Vec::new();
                world.fuzzy(q, k, anchor, &mut walked);
                let streamed = fuzzy_by_stream(&world, q, k, anchor);
                assert_eq!(walked, streamed, "{q} k {k} anchor {anchor}");
                found += walked.len();
                if anchor == 1 {
                    let second = q.chars().nth(1);
                    let mut skipping = Vec::new();
                    world.fuzzy_skipping(q, k, anchor, second, &mut skipping);
                    let rest: Vec<_> = streamed
                        .into_iter()
                        .filter(|(key, _, _)| key.chars().nth(1) != second)
                        .collect();
                    assert_eq!(skipping, rest, "{q} skipping {second:?}");
                }
            }
        }
        assert!(found > 100, "{found}");
    }

    /// How a name is spelled, as recorded, is the name unpacking the
    /// alternate names finds: in a small index (every class) and over a
    /// sample of the world's names and places.
    #[test]
    fn recorded_spellings_are_the_names_unpacked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.rmidx");
        let mut w = IndexWriter::new(&path).unwrap();
        for (n, alt) in [
            ("Aachen", "Aix-la-Chapelle"),
            ("Aachen", "aachen"),
            ("Kassel", "Cassel"),
            ("Ruse", "Ruse"),
            ("X", "Aix-la-Chapelle"),
            ("Y", "cassel"),
            ("Z", "Ко`кан"),
            ("Q", "Ко`кан"),
            ("Wien", "Vienna, Austria"),
        ] {
            let p = Place::new(n, n, 1.0, 1.0).unwrap().with_alt_names([alt]);
            w.push(&p).unwrap();
        }
        w.finish().unwrap();
        let small = Index::open_file(&path).unwrap();
        let mut classes = std::collections::BTreeSet::new();
        let check = |idx: &Index, key: &str, classes: &mut std::collections::BTreeSet<u8>| {
            let mut found = Vec::new();
            idx.exact_each(key, |p, s| found.push((p, s)));
            assert!(!found.is_empty(), "{key}");
            for (p, s) in found {
                let want = idx.name_for_key(p, key).map(|(n, _)| n);
                assert_eq!(idx.spelled_name(p, key, s), want, "{key} {p} {s:?}");
                assert_ne!(s, Spelling::Unknown);
                classes.insert(s.class() + u8::from(matches!(s, Spelling::Other(Some(_)))));
            }
        };
        for key in [
            "aachen",
            "aixlachapelle",
            "kassel",
            "cassel",
            "ruse",
            "кокан",
            "viennaaustria",
        ] {
            check(&small, key, &mut classes);
        }
        // Primary, key, capital, otherwise without and with a recipe.
        assert_eq!(classes.into_iter().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        let Some(world) = crate::gazetteer::Gazetteer::world_index() else {
            return;
        };
        let mut keys = Vec::new();
        world.prefix("", usize::MAX, &mut keys);
        keys.dedup_by(|a, b| a.0 == b.0);
        let mut classes = std::collections::BTreeSet::new();
        for (key, _) in keys.iter().step_by(101) {
            check(&world, key, &mut classes);
        }
        assert_eq!(classes.len(), 5, "{classes:?}");
    }

    proptest::proptest! {
        /// The separators found a word at a time are those found one byte
        /// at a time.
        #[test]
        fn separators_word_at_a_time(text in proptest::collection::vec(
            proptest::prop_oneof![proptest::strategy::Just(SEP), 0x1Eu8..=0x20, proptest::num::u8::ANY],
            0..40,
        ), max in 1usize..6) {
            let want: Vec<usize> = text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == SEP)
                .map(|(at, _)| at)
                .take(max)
                .collect();
            let mut at = vec![0; max];
            let n = separators(&text, &mut at);
            proptest::prop_assert_eq!(&at[..n], &want[..]);
        }
    }

    #[test]
    fn prefix_search() {
        let (_d, idx) = sample();
        let mut out = Vec::new();
        idx.prefix("spr", 10, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(idx.primary_name(out[0].1).as_deref(), Some("Springfield"));
    }

    #[test]
    fn rejects_other_files() {
        let e = Index::from_static(b"id\tname\n", Path::new("x.tsv")).unwrap_err();
        assert!(e.to_string().contains("not a routemap index"), "{e}");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0xFF; 8 * FIELDS]);
        let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let e = Index::from_static(leaked, Path::new("x.rmidx")).unwrap_err();
        assert!(e.to_string().contains("damaged"), "{e}");
    }
}
