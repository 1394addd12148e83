//! Names one edit from a query in its first letter, found without walking
//! the fst with an unanchored edit-distance automaton.
//!
//! A name one edit (optimal string alignment) from the query `q` whose
//! first letter is not `q`'s has the edit at the front, so it is one of:
//!
//! 1. `q` without its first letter (a deletion);
//! 2. `q` with its first two letters swapped;
//! 3. another letter, then `q` without its first letter (a substitution);
//! 4. another letter, then `q` (an insertion).
//!
//! The first two are plain look-ups. For the others, [`FirstLetters`]
//! lists, once per index, the node each first letter of a name leads to,
//! by the bytes that can follow it: only the letters followed by the first
//! byte of `q[1..]` (or of `q`) are tried, each with one exact look-up.
//! An unanchored walk instead decodes the node of every first letter of
//! every script (tens of thousands of them, most CJK), which was most of
//! the time spent on a name that resolves to nothing.

use super::automaton::{LEV_MAX, NOT_A_LETTER};
use fst::raw::{CompiledAddr, Fst, Node, Output};
use std::sync::OnceLock;

/// The nodes reached after the first letter of the names of an fst.
pub(super) struct FirstLetters {
    /// (node after the letter, output so far, the letter).
    nodes: Vec<(CompiledAddr, u64, char)>,
    /// For each byte, the letters of `nodes` with a transition on it, one
    /// step further: see [`Next`].
    by_next: Vec<Vec<Next>>,
    /// For each byte, which bytes can follow each entry of `by_next`
    /// (bit `b % 64` of word `b / 64`), made on first use of the byte.
    /// Most letters that can be followed by the query's first byte cannot
    /// be followed by its second: those are told without decoding a node
    /// (the look-ups of the letters were most of the time spent on a name
    /// that resolves to nothing). Made per byte, so that the first search
    /// costs no more than reading the first letters.
    then: Vec<OnceLock<Vec<[u64; 4]>>>,
}

/// A first letter and the byte after it: the node reached and the output
/// so far.
struct Next {
    /// Position of the letter in `FirstLetters::nodes`.
    letter: u32,
    addr: CompiledAddr,
    out: u64,
}

impl FirstLetters {
    /// Reads the first letters of every name of `fst` (one walk over the
    /// nodes of the first letters: about a millisecond for the world).
    pub(super) fn new<D: AsRef<[u8]>>(fst: &Fst<D>) -> FirstLetters {
        let mut table = FirstLetters {
            nodes: Vec::new(),
            by_next: (0..256).map(|_| Vec::new()).collect(),
            then: (0..256).map(|_| OnceLock::new()).collect(),
        };
        table.letters(fst, fst.root(), Output::zero(), 0, 0);
        table
    }

    /// The entries of `by_next[b]`, each with the bytes that can follow.
    fn after<'t, D: AsRef<[u8]>>(
        &'t self,
        fst: &Fst<D>,
        b: u8,
    ) -> impl Iterator<Item = (&'t Next, &'t [u64; 4])> {
        let entries = &self.by_next[b as usize];
        let then = self.then[b as usize].get_or_init(|| {
            entries
                .iter()
                .map(|e| {
                    let mut then = [0u64; 4];
                    for t in fst.node(e.addr).transitions() {
                        then[t.inp as usize / 64] |= 1 << (t.inp % 64);
                    }
                    then
                })
                .collect()
        });
        entries.iter().zip(then)
    }

    /// Visits the transitions of `node`, `need` bytes into a letter whose
    /// bits so far are `partial`.
    fn letters<D: AsRef<[u8]>>(
        &mut self,
        fst: &Fst<D>,
        node: Node<'_>,
        out: Output,
        partial: u32,
        need: u8,
    ) {
        for t in node.transitions() {
            let b = t.inp;
            let (partial, need) = super::automaton::utf8_step(partial, need, b);
            let child = fst.node(t.addr);
            let out = out.cat(t.out);
            if need > 0 {
                self.letters(fst, child, out, partial, need);
                continue;
            }
            let c = char::from_u32(partial).unwrap_or('\u{FFFD}');
            let at = self.nodes.len() as u32;
            self.nodes.push((t.addr, out.value(), c));
            for next in child.transitions() {
                self.by_next[next.inp as usize].push(Next {
                    letter: at,
                    addr: next.addr,
                    out: out.cat(next.out).value(),
                });
            }
        }
    }
}

/// The value of the key `rest` read from the node at `addr`, where the
/// walk so far output `out`.
fn follow<D: AsRef<[u8]>>(fst: &Fst<D>, addr: CompiledAddr, out: u64, rest: &[u8]) -> Option<u64> {
    follow_from(fst, fst.node(addr), out, rest)
}

/// [`follow`] from `node`, decoded.
fn follow_from<'f, D: AsRef<[u8]>>(
    fst: &'f Fst<D>,
    mut node: Node<'f>,
    out: u64,
    rest: &[u8],
) -> Option<u64> {
    let mut out = Output::new(out);
    for &b in rest {
        let t = node.transition(node.find_input(b)?);
        out = out.cat(t.out);
        node = fst.node(t.addr);
    }
    node.is_final()
        .then(|| out.cat(node.final_output()).value())
}

/// The names of `fst` one edit from `query` whose first letter is not the
/// query's, in byte order, with their values. The names one edit away that
/// start with the query's letter are left out: they are what a search
/// anchored on the first letter finds. Nothing for a query over 62 letters
/// (as the edit-distance automaton).
pub(super) fn first_letter_typos<D: AsRef<[u8]>>(
    fst: &Fst<D>,
    table: &FirstLetters,
    query: &str,
) -> Vec<(Vec<u8>, u64)> {
    let mut found: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut chars = query.chars();
    let Some(q0) = chars.next() else {
        return found;
    };
    let n = query.chars().count();
    if n > LEV_MAX || query.contains(NOT_A_LETTER) {
        return found;
    }
    let rest = chars.as_str();
    let mut get = |key: Vec<u8>| {
        if let Some(v) = fst_get(fst, &key) {
            found.push((key, v));
        }
    };
    // 1. The first letter dropped.
    if !rest.is_empty() {
        get(rest.as_bytes().to_vec());
    }
    // 2. The first two letters swapped.
    if let Some(q1) = rest.chars().next().filter(|&q1| q1 != q0) {
        let mut key = String::with_capacity(query.len());
        key.push(q1);
        key.push(q0);
        key.push_str(&rest[q1.len_utf8()..]);
        get(key.into_bytes());
    }
    // 3. Another first letter: the names `c` + rest; 4. a letter put
    // before the query. `read`: bytes of `tail` read to reach `addr`.
    let mut with = |c: char, addr: CompiledAddr, out: u64, tail: &str, read: usize| {
        if let Some(v) = follow(fst, addr, out, &tail.as_bytes()[read..]) {
            let mut key = String::with_capacity(c.len_utf8() + tail.len());
            key.push(c);
            key.push_str(tail);
            found.push((key.into_bytes(), v));
        }
    };
    if rest.is_empty() {
        for &(addr, out, c) in &table.nodes {
            if c != q0 {
                with(c, addr, out, "", 0);
            }
        }
    }
    for (tail, skip) in [(rest, Some(q0)), (query, None)] {
        // The letters (but `skip`) followed by `tail`: from the node after
        // the letter and the first byte of `tail`, when its second byte
        // (if any) can follow.
        let Some(&b) = tail.as_bytes().first() else {
            continue;
        };
        let second = tail.as_bytes().get(1);
        for (next, then) in table.after(fst, b) {
            let (_, _, c) = table.nodes[next.letter as usize];
            let follows = |b: u8| then[b as usize / 64] >> (b % 64) & 1 == 1;
            if Some(c) != skip && second.is_none_or(|&b1| follows(b1)) {
                with(c, next.addr, next.out, tail, 1);
            }
        }
    }
    found.sort_unstable();
    found.dedup_by(|a, b| a.0 == b.0);
    // Only names whose first letter is not the query's (4. with the same
    // letter doubled, or 1. and 2. when the query starts with a doubled
    // letter, start with it).
    found.retain(|(key, _)| !key.starts_with(&query.as_bytes()[..q0.len_utf8()]));
    found
}

/// The names of `fst` one edit from `query` that start with its first
/// letter but not with its first two, in byte order, with their values:
/// what the edit-distance automaton anchored on the first letter finds
/// when it skips the names of the query's second letter (as
/// [`super::Index::fuzzy_skipping`] does), without its walk. The edit is
/// then at the second letter: it is replaced, dropped, swapped with the
/// third, or another letter is put before it. So these are the names
/// `q0 + X + q[2..]` and `q0 + X + q[1..]` for each letter `X` (other
/// than `q1`) that follows `q0` in some name, tried from the node after
/// `q0 X`, and two look-ups. Nothing for a query of fewer than three or
/// over 62 letters (as the automaton).
pub(super) fn second_letter_typos<D: AsRef<[u8]>>(
    fst: &Fst<D>,
    query: &str,
) -> Vec<(Vec<u8>, u64)> {
    let mut found: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut chars = query.chars();
    let (Some(q0), Some(q1), Some(q2)) = (chars.next(), chars.next(), chars.next()) else {
        return found;
    };
    if query.chars().count() > LEV_MAX || query.contains(NOT_A_LETTER) {
        return found;
    }
    let (head, rest1) = query.split_at(q0.len_utf8());
    let rest2 = &rest1[q1.len_utf8()..];
    let rest3 = &rest2[q2.len_utf8()..];
    let Some((addr, out)) = walk_to(fst, fst.root().addr(), 0, head.as_bytes()) else {
        return found;
    };
    let key = |tail: &[&str]| {
        let mut k = head.as_bytes().to_vec();
        for t in tail {
            k.extend_from_slice(t.as_bytes());
        }
        k
    };
    if q2 != q1 {
        // The second letter dropped; the second and third swapped.
        if let Some(v) = follow(fst, addr, out, rest2.as_bytes()) {
            found.push((key(&[rest2]), v));
        }
        let mut swapped = [0u8; 8];
        let n = q2.encode_utf8(&mut swapped[..4]).len();
        let n = n + q1.encode_utf8(&mut swapped[n..]).len();
        let swapped = std::str::from_utf8(&swapped[..n]).unwrap_or_default();
        let mut tail = String::with_capacity(swapped.len() + rest3.len());
        tail.push_str(swapped);
        tail.push_str(rest3);
        if let Some(v) = follow(fst, addr, out, tail.as_bytes()) {
            found.push((key(&[&tail]), v));
        }
    }
    // Another letter in the second place, or one put before it.
    each_letter(
        fst,
        fst.node(addr),
        Output::new(out),
        0,
        0,
        &mut |x, at, out| {
            if x == q1 {
                return;
            }
            let node = fst.node(at);
            let mut letter = [0u8; 4];
            let letter = &*x.encode_utf8(&mut letter);
            for tail in [rest2, rest1] {
                if let Some(v) = follow_from(fst, node, out, tail.as_bytes()) {
                    found.push((key(&[letter, tail]), v));
                }
            }
        },
    );
    found.sort_unstable();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

/// Calls `f` with each letter read from `node` (`need` bytes into a letter
/// whose bits so far are `partial`), the node after it and the output so
/// far.
fn each_letter<D: AsRef<[u8]>>(
    fst: &Fst<D>,
    node: Node<'_>,
    out: Output,
    partial: u32,
    need: u8,
    f: &mut impl FnMut(char, CompiledAddr, u64),
) {
    for t in node.transitions() {
        let (partial, need) = super::automaton::utf8_step(partial, need, t.inp);
        let out = out.cat(t.out);
        if need > 0 {
            each_letter(fst, fst.node(t.addr), out, partial, need, f);
        } else {
            f(
                char::from_u32(partial).unwrap_or('\u{FFFD}'),
                t.addr,
                out.value(),
            );
        }
    }
}

/// The node reached from the node at `addr` by `bytes` and the output so
/// far (`out` before).
fn walk_to<D: AsRef<[u8]>>(
    fst: &Fst<D>,
    addr: CompiledAddr,
    out: u64,
    bytes: &[u8],
) -> Option<(CompiledAddr, u64)> {
    let mut node = fst.node(addr);
    let mut addr = addr;
    let mut out = Output::new(out);
    for &b in bytes {
        let t = node.transition(node.find_input(b)?);
        out = out.cat(t.out);
        addr = t.addr;
        node = fst.node(addr);
    }
    Some((addr, out.value()))
}

/// The value of `key` in `fst`.
fn fst_get<D: AsRef<[u8]>>(fst: &Fst<D>, key: &[u8]) -> Option<u64> {
    fst.get(key).map(|o| o.value())
}

#[cfg(test)]
mod tests {
    use crate::gazetteer::index::{Index, IndexWriter};
    use crate::gazetteer::{fold, Gazetteer, Place};

    /// The names the search finds for `q`, sorted.
    fn found(idx: &Index, q: &str) -> Vec<String> {
        let mut out = Vec::new();
        idx.first_letter_typos(q, &mut out);
        assert!(out.iter().all(|(_, d, _, _)| *d == 1));
        let mut keys: Vec<String> = out.into_iter().map(|(k, ..)| k).collect();
        keys.dedup();
        keys
    }

    /// What the unanchored edit-distance automaton finds one edit away,
    /// without the names that start with the query's first letter.
    fn by_automaton(idx: &Index, q: &str) -> Vec<String> {
        let mut out = Vec::new();
        idx.fuzzy(q, 1, 0, &mut out);
        let first = q.chars().next().unwrap();
        let mut keys: Vec<String> = out
            .into_iter()
            .filter(|(k, d, _)| *d == 1 && !k.starts_with(first))
            .map(|(k, ..)| k)
            .collect();
        keys.dedup();
        keys
    }

    /// Every kind of edit at the front, in Latin, Cyrillic and Han, and
    /// names one edit away elsewhere (not found: their first letter is the
    /// query's), against `strsim::osa_distance` over every name.
    #[test]
    fn finds_every_name_one_edit_away_in_the_first_letter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.rmidx");
        let mut w = IndexWriter::new(&path).unwrap();
        let names = [
            "springfield",
            "pringfield",   // first letter dropped
            "psringfield",  // first two swapped
            "xpringfield",  // first letter replaced
            "щpringfield",  // by a Cyrillic one
            "大pringfield", // by a Han one
            "aspringfield", // a letter put before
            "springfeld",   // one edit, not in the first letter
            "ringfield",    // two edits
            "спрингфилд",
            "зпрингфилд",
            "прингфилд",
            "大阪",
            "小阪",
            "阪",
            "x大阪",
        ];
        for (i, n) in names.iter().enumerate() {
            let p = Place::new(format!("p{i}"), *n, 10.0, 10.0).unwrap();
            w.push(&p).unwrap();
        }
        w.finish().unwrap();
        let idx = Index::open_file(&path).unwrap();
        let keys: Vec<String> = names.iter().map(|n| fold(n)).collect();
        for q in [
            "springfield",
            "pringfield",
            "xspringfield",
            "спрингфилд",
            "大阪",
            "阪",
            "ъ大阪",
            "qqqqqq",
        ] {
            let first = q.chars().next().unwrap();
            let mut want: Vec<String> = keys
                .iter()
                .filter(|k| strsim::osa_distance(k, q) == 1 && !k.starts_with(first))
                .cloned()
                .collect();
            want.sort();
            want.dedup();
            assert_eq!(found(&idx, q), want, "{q}");
        }
    }

    /// What the search for an edit at the second letter finds for `q`:
    /// (name, place), in order.
    fn second(idx: &Index, q: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        idx.fuzzy_skipping(q, 1, 1, q.chars().nth(1), &mut out);
        assert!(out.iter().all(|(_, d, _)| *d == 1));
        out.into_iter().map(|(k, _, p)| (k, p)).collect()
    }

    /// What the automaton anchored on the first letter finds one edit
    /// away, without the names that start with the query's first two
    /// letters.
    fn second_by_automaton(idx: &Index, q: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        idx.fuzzy(q, 1, 1, &mut out);
        out.into_iter()
            .filter(|(k, d, _)| *d == 1 && k.chars().nth(1) != q.chars().nth(1))
            .map(|(k, _, p)| (k, p))
            .collect()
    }

    /// Over the world gazetteer, the names an edit at the second letter
    /// gives are those of the automaton walk it replaces, in its order.
    #[test]
    fn second_letter_typos_agree_with_the_automaton_on_the_world() {
        let Some(world) = Gazetteer::world_index() else {
            return;
        };
        let mut checked = 0;
        for i in (0..world.len() as u32).step_by(1499) {
            let Some(name) = world.primary_name(i) else {
                continue;
            };
            let k: Vec<char> = fold(&name).chars().collect();
            if k.len() < 3 {
                continue;
            }
            let s = |c: &[char]| c.iter().collect::<String>();
            let mut swapped = k.clone();
            swapped.swap(1, 2);
            let mut replaced = k.clone();
            replaced[1] = 'e';
            let reversed: String = k.iter().rev().collect();
            for q in [
                s(&k),
                format!("{}{}", k[0], s(&k[2..])),
                s(&swapped),
                s(&replaced),
                format!("{}x{}", k[0], s(&k[1..])),
                format!("{reversed}qx"),
            ] {
                assert_eq!(second(&world, &q), second_by_automaton(&world, &q), "{q}");
                checked += 1;
            }
        }
        for q in ["спрингфилд", "大阪府", "aab", "aaab", "abba", "xyz"] {
            assert_eq!(second(&world, q), second_by_automaton(&world, q), "{q}");
        }
        assert!(checked > 500);
    }

    /// Over the world gazetteer, the same names as the automaton it
    /// replaces, for typos of every kind in and after the first letter.
    #[test]
    fn agrees_with_the_unanchored_automaton_on_the_world() {
        let Some(world) = Gazetteer::world_index() else {
            return;
        };
        let mut checked = 0;
        for i in (0..world.len() as u32).step_by(997) {
            let Some(name) = world.primary_name(i) else {
                continue;
            };
            let k: Vec<char> = fold(&name).chars().collect();
            if k.len() < 3 {
                continue;
            }
            let s = |c: &[char]| c.iter().collect::<String>();
            let mut swapped = k.clone();
            swapped.swap(0, 1);
            let mut late = k.clone();
            late.swap(k.len() - 2, k.len() - 1);
            for q in [
                s(&k),
                s(&k[1..]),
                s(&swapped),
                format!("q{}", s(&k[1..])),
                format!("z{}", s(&k)),
                s(&late),
            ] {
                assert_eq!(found(&world, &q), by_automaton(&world, &q), "{q}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
    }
}
