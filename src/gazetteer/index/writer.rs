//! Writing an index file (see the layout in [`super`]).

use super::format::*;
use crate::gazetteer::fold;
use crate::gazetteer::place::{Place, PlaceKind};
use crate::gazetteer::spelling::{self, Spelling};
use crate::{Error, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

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
