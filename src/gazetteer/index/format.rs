//! The bytes of an index file: constants of the layout (see [`super`])
//! and the small readers of fixed-width and separated fields.

/// The first bytes of every index file.
pub const MAGIC: &[u8; 8] = b"RMGAZIDX";
pub(super) const VERSION: u32 = 4;
/// The version before boxes, scale ranks and the checksum (still read).
pub(super) const VERSION_3: u32 = 3;
/// The version before the spellings of names were recorded (still read).
pub(super) const VERSION_2: u32 = 2;
pub(super) const FIELDS: usize = 11;
pub(super) const HEADER_LEN: usize = 16 + 8 * FIELDS;
pub(super) const RECORD_LEN: usize = 24;
pub(super) const BLOCK: usize = 32;
/// A version 2 value with this bit is the offset of a posting list.
pub(super) const MULTI: u64 = 1 << 63;
/// A version 3 value: the low bits say what the rest is (see the layout).
pub(super) const TAG_BITS: u32 = 3;
pub(super) const TAG_LIST: u64 = 4;
pub(super) const SEP: u8 = 0x1F;
pub(super) const END: u8 = 0x1E;
/// Bytes of keys held in memory by the builder before a sorted run is
/// spilled to disk.
pub(super) const RUN_BYTES: usize = 96 << 20;

/// True when `bytes` start like an index file.
pub fn is_index(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

pub(super) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
pub(super) fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// `geonames:<id>`.
pub(super) fn geonames_text(gid: u32) -> String {
    let mut digits = [0u8; 10];
    let mut s = String::with_capacity(GEONAMES.len() + 10);
    s.push_str(GEONAMES);
    s.push_str(decimal(gid, &mut digits));
    s
}

pub(super) const GEONAMES: &str = "geonames:";

/// `n` in decimal, written into `buf`.
pub(super) fn decimal(n: u32, buf: &mut [u8; 10]) -> &str {
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
pub(super) fn separators(text: &[u8], at: &mut [usize]) -> usize {
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
pub(super) fn country_of(r: &[u8]) -> &str {
    let mut cc = &r[22..24];
    while let [0, rest @ ..] = cc {
        cc = rest;
    }
    while let [rest @ .., 0] = cc {
        cc = rest;
    }
    std::str::from_utf8(cc).unwrap_or("")
}

/// The GeoNames id in `geonames:<id>`, if that is the whole text.
pub(super) fn geonames_id(text: &str) -> Option<u32> {
    let n = text.strip_prefix("geonames:")?;
    let id: u32 = n.parse().ok()?;
    (id != 0 && id.to_string() == n).then_some(id)
}
