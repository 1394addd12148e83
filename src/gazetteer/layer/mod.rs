//! The layers of a gazetteer: the places of one source and how their names
//! are looked up, behind one trait ([`Store`]) whatever holds them: a file
//! read whole into a hash map of folded names (`memory.rs`) or an fst index
//! read in place (`indexed.rs`).

mod indexed;
mod memory;

use super::hit::{Hit, Keys};
use super::index::Index;
use super::query::Qualifier;
use super::spelling::Spelling;
use super::{place, LayerInfo, Place, PlaceKind};
use memory::Memory;
use std::sync::Arc;

/// The places of one layer and how its names are looked up.
pub(super) trait Store: std::fmt::Debug + Send + Sync {
    /// Exact and folded matches (`fuzzy == false`), or only fuzzy ones of
    /// at most `max_edits` edits, for the text tried number `tried`,
    /// `text` (trimmed), folded to `folded`; `me` is the layer's position.
    /// See [`Layer::collect`].
    #[allow(clippy::too_many_arguments)]
    fn collect<'g>(
        &'g self,
        me: usize,
        tried: usize,
        text: &str,
        folded: &str,
        fuzzy: bool,
        max_edits: usize,
        country: Option<&str>,
        qualifier: Option<&Qualifier>,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) -> bool;

    /// Places with a name starting with `prefix` (folded), as folded
    /// matches, at most `limit` names visited in an index layer.
    fn collect_prefix<'g>(
        &'g self,
        me: usize,
        prefix: &str,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    );

    /// The country code of a country place called `key` (folded), if any.
    fn country_named(&self, key: &str) -> Option<String>;

    /// Names alike to `folded` by Jaro–Winkler similarity (at least 0.8),
    /// as (similarity, population, primary name). An index layer only
    /// looks at the names that start with the query, or are at most two
    /// edits from it after its first two letters, or one edit after its
    /// first letter, not at every name. `far`: no name of the layer is
    /// one edit from `folded` (a fuzzy search just found none), so those
    /// need not be looked for.
    fn near_names(&self, folded: &str, far: bool, out: &mut Vec<(f64, u64, String)>);

    /// Number of places.
    fn len(&self) -> usize;

    /// Position of place `i`: (lat, lon), kind.
    fn position(&self, i: u32) -> Option<(f64, f64, PlaceKind)>;

    /// Place `i` (without its alternate names in an index layer:
    /// unpacking them is most of the cost of a reverse lookup).
    fn place(&self, i: u32) -> Option<Place>;

    /// Whether a place has the folded name `key`.
    fn has_name(&self, key: &str) -> bool;

    /// Calls `add` with each first-level region called `key` (folded).
    fn regions_named(&self, key: &str, add: &mut dyn FnMut(&Place));

    /// Calls `f` with every place (built, in an index layer), only those
    /// of `kind` when one is given.
    fn each_place(&self, kind: Option<PlaceKind>, f: &mut dyn FnMut(&Place));

    /// The places, when the layer holds them (not an index layer).
    fn places(&self) -> &[Place] {
        &[]
    }

    /// The index, for an index layer.
    fn index(&self) -> Option<&Index> {
        None
    }

    /// The name of place `i` that folds to `key`, spelled as recorded
    /// (only an index layer defers looking names up: see
    /// [`Index::spelled_name`]).
    fn spelled_name(&self, i: u32, key: &str, spelled: Spelling) -> Option<String> {
        let _ = (i, key, spelled);
        None
    }
}

/// One layer of places with a folded-name index.
#[derive(Debug, Clone)]
pub(super) struct Layer {
    pub(super) info: LayerInfo,
    pub(super) store: Arc<dyn Store>,
}

/// How many places of one name an index layer decodes at most.
pub(super) const MAX_HITS: usize = 16;

/// How many places of one name an index layer reads without allocating.
const FEW: usize = 4;

/// How many names a prefix search visits in an index layer at most.
const PREFIX_SCAN: usize = 5_000;

/// A layer answers what its store answers (`layer.len()`,
/// `layer.place(i)`), beside [`Layer::collect`].
impl std::ops::Deref for Layer {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        &*self.store
    }
}

impl Layer {
    pub(super) fn new(name: String, places: Vec<Place>) -> Layer {
        Layer {
            info: LayerInfo { name, priority: 0 },
            store: Arc::new(Memory::new(places)),
        }
    }

    pub(super) fn from_index(name: String, index: Index) -> Layer {
        Layer {
            info: LayerInfo { name, priority: 0 },
            store: Arc::new(index),
        }
    }

    /// Exact and folded matches (`fuzzy == false`), or only fuzzy ones,
    /// for the text tried number `tried`, `text`, folded to `folded`;
    /// `me` is the layer's position. An index
    /// layer leaves out places outside `country` (the caller filters the
    /// others); returns whether anything matched in any country.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn collect<'g>(
        &'g self,
        me: usize,
        tried: usize,
        text: &str,
        folded: &str,
        edits: usize,
        country: Option<&str>,
        qualifier: Option<&Qualifier>,
        out: &mut Vec<Hit<'g>>,
        keys: &mut Keys,
    ) -> bool {
        // `edits`: the most edits allowed (0: exact and folded matches only).
        let fuzzy = edits > 0;
        let max_edits = max_edits(folded).min(edits);
        if fuzzy && max_edits == 0 {
            return false;
        }
        let text = place::trim(text);
        self.store.collect(
            me, tried, text, folded, fuzzy, max_edits, country, qualifier, out, keys,
        )
    }
}

/// Typo tolerance by length of the folded name: 1 edit from 5 letters,
/// 2 from 9.
pub(super) fn max_edits(folded: &str) -> usize {
    match folded.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}
