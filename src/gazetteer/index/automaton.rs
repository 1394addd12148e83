//! The edit-distance automaton of fuzzy look-ups and its walk over the fst.

use fst::Automaton;

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
pub(super) struct Lev {
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
    /// A second letter that ends the walk (see [`super::Index::fuzzy_skipping`]).
    pub(super) skip: Option<char>,
}

/// The optimal string alignment distance to one query, up to a limit:
/// `strsim::osa_distance` without its allocation and quadratic table (the
/// automaton of the fuzzy index lookups, run over one name).
pub(in crate::gazetteer) struct Osa(Lev);

impl Osa {
    /// `None` when the query is too long for the automaton (over 62
    /// letters) or `k` over 2.
    pub(in crate::gazetteer) fn new(query: &str, k: u8) -> Option<Osa> {
        Lev::new(query, k, 0).map(Osa)
    }

    /// The distance from the query to `name` when it is at most the limit.
    pub(in crate::gazetteer) fn distance(&self, name: &str) -> Option<u8> {
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
pub(super) const NOT_A_LETTER: char = '\u{FFFF}';

pub(super) const LEV_MAX: usize = 62;
pub(super) const LEV_K: usize = 2;

#[derive(Clone)]
pub(super) struct LevState {
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
    pub(super) fn new(query: &str, k: u8, anchor: usize) -> Option<Lev> {
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
    pub(super) fn distance(&self, s: &LevState) -> u8 {
        (0..=self.k)
            .find(|&d| s.r[d] >> self.m & 1 == 1)
            .unwrap_or(self.k + 1) as u8
    }

    pub(super) fn step(&self, s: &LevState, c: char) -> LevState {
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
        let (partial, need) = utf8_step(s.partial, s.need, b);
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
pub(super) fn walk<D: AsRef<[u8]>>(
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
            if node.len() > lev.leads.len() {
                // Fewer letters than transitions: a look-up per letter
                // reads only the node's inputs (a node of over 32 has a
                // byte index), where the transitions would each decode an
                // output and an address. In byte order, as the loop below.
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

/// One byte of UTF-8 read into a character being decoded: the bits so far
/// and the continuation bytes still needed, after `b`, given those before
/// (`need` 0: `b` starts a character).
pub(super) fn utf8_step(partial: u32, need: u8, b: u8) -> (u32, u8) {
    if need > 0 {
        ((partial << 6) | (b & 0x3F) as u32, need - 1)
    } else if b < 0x80 {
        (b as u32, 0)
    } else if b >= 0xF0 {
        ((b & 0x07) as u32, 3)
    } else if b >= 0xE0 {
        ((b & 0x0F) as u32, 2)
    } else {
        ((b & 0x1F) as u32, 1)
    }
}
