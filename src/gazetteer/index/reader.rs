//! Reading an index in place: opening and checking it, looking names up
//! in its fst and decoding the records of the places found.

use super::automaton::{walk, Lev, LevState};
use super::first::{first_letter_typos, second_letter_typos, FirstLetters};
use super::format::*;
use crate::gazetteer::fold;
use crate::gazetteer::place::{Place, PlaceKind};
use crate::gazetteer::spelling::{self, Spelling};
use crate::{Error, Result};
use fst::{Automaton, IntoStreamer, Streamer};
use std::fs::File;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

#[derive(Clone)]
pub(super) enum Source {
    Static(&'static [u8]),
    Mapped(Arc<memmap2::Mmap>),
}

/// A cheap, cloneable view of part of the index bytes.
#[derive(Clone)]
pub(super) struct Bytes {
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
    pub(super) fst: fst::Map<Bytes>,
    places: usize,
    postings: Range<usize>,
    table: usize,
    names: Range<usize>,
    blocks: usize,
    alt: Range<usize>,
    /// What a search for a typo in the first letter reads, made on first use.
    first: Arc<OnceLock<FirstLetters>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("places", &self.places)
            .field("names", &self.fst.len())
            .finish()
    }
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

    /// Memory-maps an index file written by [`super::IndexWriter`].
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
        // A file crafted to fit both checksums (libFuzzer learns them) can
        // still hold nodes that make the fst reader panic: every node of a
        // user's index is read once here, so that no look-up meets a bad one
        // later. (The built-in index is ours and its bytes are tested.)
        if check_sum && !nodes_are_sound(fst.as_fst()) {
            return Err(bad(
                "is damaged (bad name index nodes); rebuild it with `routemap gazetteer import`",
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
            first: Arc::default(),
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

    pub(super) fn postings_of(&self, value: u64, out: &mut Vec<u32>) {
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
    pub(in crate::gazetteer) fn exact_each(&self, folded: &str, f: impl FnMut(u32, Spelling)) {
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
    pub(in crate::gazetteer) fn fuzzy_skipping(
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
    pub(in crate::gazetteer) fn fuzzy_spelled(
        &self,
        folded: &str,
        max_edits: u8,
        anchor: usize,
        skip: Option<char>,
        out: &mut Vec<(String, u8, u32, Spelling)>,
    ) {
        // One edit after the first letter, the names of the second
        // skipped: the edit is at the second letter, and those names are
        // found by look-ups (see `first.rs`) at a fraction of the walk.
        // (Not for a query of two letters, which `second_letter_typos`
        // leaves to the walk.)
        let mut letters = folded.chars();
        if max_edits == 1
            && anchor == 1
            && skip.is_some()
            && skip == letters.nth(1)
            && letters.next().is_some()
        {
            for (key, value) in second_letter_typos(self.fst.as_fst(), folded) {
                let key = String::from_utf8_lossy(&key).into_owned();
                self.each_place(value, |p, s| out.push((key.clone(), 1, p, s)));
            }
            return;
        }
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

    /// Folded names one edit from `folded` whose first letter is not the
    /// query's, in byte order: (name, 1, place, spelling). With the names
    /// one edit away that [`Index::fuzzy`] anchored on the first letter
    /// finds, these are every name one edit away (see `first.rs`); the
    /// first call reads the first letters of every name (about a
    /// millisecond for the world).
    pub(in crate::gazetteer) fn first_letter_typos(
        &self,
        folded: &str,
        out: &mut Vec<(String, u8, u32, Spelling)>,
    ) {
        let fst = self.fst.as_fst();
        let table = self.first.get_or_init(|| FirstLetters::new(fst));
        for (key, value) in first_letter_typos(fst, table, folded) {
            let key = String::from_utf8_lossy(&key).into_owned();
            self.each_place(value, |p, s| out.push((key.clone(), 1, p, s)));
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
    pub(in crate::gazetteer) fn prefix_spelled(
        &self,
        prefix: &str,
        limit: usize,
        out: &mut Vec<(String, u32, Spelling)>,
    ) {
        // Most prefixes of a suggestion's search lead nowhere: a walk down
        // the prefix says so before a stream is set up.
        let fst = self.fst.as_fst();
        let mut node = fst.root();
        for &b in prefix.as_bytes() {
            match node.find_input(b) {
                Some(i) => node = fst.node(node.transition(i).addr),
                None => return,
            }
        }
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

    /// The places whose point lies in the box `[west, south, east, north]`
    /// (degrees, west ≤ east), with their latitude and longitude: one pass
    /// over the table of records comparing the stored integers, for scans
    /// of the whole index that keep only a region.
    pub fn points_in_box(&self, bbox: [f64; 4]) -> impl Iterator<Item = (u32, f64, f64)> + '_ {
        let [w, s, e, n] = bbox.map(|v| v * 1e7);
        let (w, s, e, n) = (
            w.floor() as i64,
            s.floor() as i64,
            e.ceil() as i64,
            n.ceil() as i64,
        );
        let table = self
            .all
            .as_ref()
            .get(self.table..self.table + self.places * RECORD_LEN)
            .unwrap_or(&[]);
        table
            .chunks_exact(RECORD_LEN)
            .enumerate()
            .filter_map(move |(i, r)| {
                let lat = i32::from_le_bytes([r[0], r[1], r[2], r[3]]) as i64;
                if lat < s || lat > n {
                    return None;
                }
                let lon = i32::from_le_bytes([r[4], r[5], r[6], r[7]]) as i64;
                if lon < w || lon > e {
                    return None;
                }
                Some((i as u32, lat as f64 / 1e7, lon as f64 / 1e7))
            })
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
        let bytes = all.get(start..end)?;
        let text = if bytes.is_ascii() {
            // SAFETY: ASCII is UTF-8. (Most records are ASCII, and
            // checking for that is several times faster than `from_utf8`
            // on texts this short; every candidate of a query reads one.)
            unsafe { std::str::from_utf8_unchecked(bytes) }
        } else {
            std::str::from_utf8(bytes).ok()?
        };
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
    pub(in crate::gazetteer) fn facts(&self, i: u32) -> Option<Facts<'_>> {
        let r = self.record(i)?;
        // What `place` checks: a kind, a country code that is text, the
        // texts, a name and a position.
        PlaceKind::ALL.get(r[20] as usize)?;
        std::str::from_utf8(&r[22..24]).ok()?;
        let fields = self.fields_of(i, r)?;
        let name = crate::gazetteer::place::trim(fields[5]);
        let lat = u32_at(r, 0) as i32 as f64 / 1e7;
        let lon = u32_at(r, 4) as i32 as f64 / 1e7;
        if name.is_empty() || !crate::gazetteer::place::lat_lon_ok(lat, lon) {
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
    pub(in crate::gazetteer) fn primary_name_ref(&self, i: u32) -> Option<&str> {
        self.stored_fields(i).map(|[_, _, _, _, _, name]| name)
    }

    /// The name of place `i` that folds to `key`, as recorded by how it is
    /// `spelled` (what [`Index::name_for_key`] says, without unpacking the
    /// alternate names where the index records the spelling).
    pub(in crate::gazetteer) fn spelled_name(
        &self,
        i: u32,
        key: &str,
        spelled: Spelling,
    ) -> Option<String> {
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
pub(in crate::gazetteer) struct Facts<'a> {
    /// Its record, checked.
    record: &'a [u8],
    /// The primary name, as the place has it.
    pub name: &'a str,
    /// As stored: `id`, `source`, `admin1`, `note`, `bbox`, primary name.
    fields: [&'a str; 6],
}

impl<'a> Facts<'a> {
    pub(in crate::gazetteer) fn kind(&self) -> PlaceKind {
        PlaceKind::ALL[self.record[20] as usize % PlaceKind::ALL.len()]
    }

    pub(in crate::gazetteer) fn population(&self) -> u64 {
        u32_at(self.record, 8) as u64
    }

    pub(in crate::gazetteer) fn is_capital(&self) -> bool {
        self.record[21] & 1 != 0
    }

    /// The first-level region, as stored.
    pub(in crate::gazetteer) fn admin1(&self) -> &'a str {
        self.fields[2]
    }

    /// The Natural Earth scale rank (flag bits 3 to 7 hold it plus one).
    pub(in crate::gazetteer) fn scalerank(&self) -> Option<u8> {
        (self.record[21] >> 3).checked_sub(1)
    }

    /// Latitude and longitude, degrees.
    pub(in crate::gazetteer) fn lat_lon(&self) -> (f64, f64) {
        let at = |k| u32_at(self.record, k) as i32 as f64 / 1e7;
        (at(0), at(4))
    }

    /// The `id` (`field` 0) or `source` (1).
    pub(in crate::gazetteer) fn id(&self, field: usize) -> IdRef<'a> {
        if self.record[21] & (2 << field) != 0 {
            IdRef::of_gid(u32_at(self.record, 16))
        } else {
            IdRef::new(self.fields[field])
        }
    }

    /// The country code as stored (see [`Place::country`] for the code the
    /// place has).
    pub(in crate::gazetteer) fn country(&self) -> &'a str {
        country_of(self.record)
    }

    /// The place (always `Some` for facts [`Index::facts`] read).
    pub(in crate::gazetteer) fn place(&self) -> Option<Place> {
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
                p.with_bbox(crate::gazetteer::load::parse_bbox(bbox).ok().flatten())
            }
        })
    }
}

/// An `id` or `source`, borrowed, in one form per text: a text that is
/// `geonames:<id>` (as [`super::IndexWriter`] recognises it) is the id, so that
/// an index place's GeoNames id needs no text to be compared, hashed or
/// checked for a twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(in crate::gazetteer) enum IdRef<'a> {
    /// `geonames:<id>`.
    GeoNames(u32),
    /// Any other text.
    Text(&'a str),
}

impl<'a> IdRef<'a> {
    /// The form of `text`.
    pub(in crate::gazetteer) fn new(text: &'a str) -> IdRef<'a> {
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
    pub(in crate::gazetteer) fn text(self) -> std::borrow::Cow<'a, str> {
        match self {
            IdRef::GeoNames(gid) => geonames_text(gid).into(),
            IdRef::Text(t) => t.into(),
        }
    }

    /// True for an empty text.
    pub(in crate::gazetteer) fn is_empty(self) -> bool {
        matches!(self, IdRef::Text(""))
    }
}

/// Reads every node reachable from the root of `fst` once, each of its
/// transitions and its inputs as a look-up by byte reads them: the reads
/// the look-ups make. The fst crate panics on a node whose bytes
/// point outside the fst; such a panic is caught here (without printing) and
/// makes the index damaged.
fn nodes_are_sound<D: AsRef<[u8]>>(fst: &fst::raw::Fst<D>) -> bool {
    let len = fst.as_bytes().len();
    let walk = || {
        let mut seen = vec![0u64; len / 64 + 1];
        let mut todo = vec![fst.root().addr()];
        while let Some(addr) = todo.pop() {
            if addr >= len {
                return false;
            }
            let (word, bit) = (addr / 64, 1u64 << (addr % 64));
            if seen[word] & bit != 0 {
                continue;
            }
            seen[word] |= bit;
            let node = fst.node(addr);
            let _ = (node.is_final(), node.final_output());
            for t in node.transitions() {
                todo.push(t.addr);
            }
            // fst 0.4 looks an input up in a table of all 256 bytes in a
            // node of more than 32 transitions, and by a scan of the slice
            // of its inputs (read whole, whatever the byte) in the others:
            // the inputs read above, or an empty slice placed before the
            // node when it has no transition.
            let bytes = match node.len() {
                0 => 0..=0,
                1..=32 => continue,
                _ => 0..=255u8,
            };
            for b in bytes {
                if node.find_input(b).is_some_and(|i| i >= node.len()) {
                    return false;
                }
            }
        }
        true
    };
    crate::input::without_panic_message(walk).unwrap_or(false)
}
