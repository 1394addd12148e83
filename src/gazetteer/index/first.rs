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

/// The nodes reached after the first letter of the names of an fst.
pub(super) struct FirstLetters {
    /// (node after the letter, output so far, the letter).
    nodes: Vec<(CompiledAddr, u64, char)>,
    /// For each byte, the positions in `nodes` of those with a transition
    /// on it.
    by_next: Vec<Vec<u32>>,
}

impl FirstLetters {
    /// Reads the first letters of every name of `fst` (one walk over the
    /// nodes of the first letters: about a millisecond for the world).
    pub(super) fn new<D: AsRef<[u8]>>(fst: &Fst<D>) -> FirstLetters {
        let mut table = FirstLetters {
            nodes: Vec::new(),
            by_next: vec![Vec::new(); 256],
        };
        table.letters(fst, fst.root(), Output::zero(), 0, 0);
        table
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
                self.by_next[next.inp as usize].push(at);
            }
        }
    }
}

/// The value of the key `rest` read from the node at `addr`, where the
/// walk so far output `out`.
fn follow<D: AsRef<[u8]>>(fst: &Fst<D>, addr: CompiledAddr, out: u64, rest: &[u8]) -> Option<u64> {
    let mut node = fst.node(addr);
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
    // 3. Another first letter: the names `c` + rest.
    let mut with = |c: char, addr: CompiledAddr, out: u64, tail: &str| {
        if let Some(v) = follow(fst, addr, out, tail.as_bytes()) {
            let mut key = String::with_capacity(c.len_utf8() + tail.len());
            key.push(c);
            key.push_str(tail);
            found.push((key.into_bytes(), v));
        }
    };
    match rest.as_bytes().first() {
        Some(&b) => {
            for &at in &table.by_next[b as usize] {
                let (addr, out, c) = table.nodes[at as usize];
                if c != q0 {
                    with(c, addr, out, rest);
                }
            }
        }
        None => {
            for &(addr, out, c) in &table.nodes {
                if c != q0 {
                    with(c, addr, out, "");
                }
            }
        }
    }
    // 4. A letter put before the query.
    for &at in &table.by_next[query.as_bytes()[0] as usize] {
        let (addr, out, c) = table.nodes[at as usize];
        with(c, addr, out, query);
    }
    found.sort_unstable();
    found.dedup_by(|a, b| a.0 == b.0);
    // Only names whose first letter is not the query's (4. with the same
    // letter doubled, or 1. and 2. when the query starts with a doubled
    // letter, start with it).
    found.retain(|(key, _)| !key.starts_with(&query.as_bytes()[..q0.len_utf8()]));
    found
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
