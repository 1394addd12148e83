//! The graph's flat arrays of numbers: built in memory, or read in place from
//! a memory-mapped graph file, so that loading a cached graph copies none of
//! its track (the coordinates and lengths are most of the file).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// Numbers every bit pattern of which is a value, stored little-endian in a
/// graph file: what may be read in place from the file's bytes.
///
/// # Safety
///
/// Implemented only for types without padding or invalid bit patterns.
pub(crate) unsafe trait InPlace: Copy + 'static {}

// SAFETY: plain numbers and arrays of them: no padding, every bit pattern is
// a value.
unsafe impl InPlace for u16 {}
// SAFETY: as above.
unsafe impl InPlace for u32 {}
// SAFETY: as above.
unsafe impl InPlace for f32 {}
// SAFETY: as above.
unsafe impl InPlace for f64 {}
// SAFETY: as above.
unsafe impl InPlace for [f64; 2] {}

/// An array owned in memory, or `len` values at byte `start` of a mapped
/// file (aligned for `T`, checked when it is made).
pub(crate) enum Flat<T: 'static> {
    Owned(Vec<T>),
    Mapped {
        map: Arc<memmap2::Mmap>,
        start: usize,
        len: usize,
    },
}

impl<T: InPlace> Flat<T> {
    /// The values of `bytes`, little-endian numbers of `T`, at byte `start`
    /// of `map`: read in place when the machine is little-endian and the
    /// bytes are aligned for `T`, else `None` (the caller copies them).
    pub fn in_place(map: &Arc<memmap2::Mmap>, start: usize, len: usize) -> Option<Flat<T>> {
        let end = len
            .checked_mul(std::mem::size_of::<T>())
            .and_then(|n| start.checked_add(n))?;
        let aligned = (map.as_ptr() as usize + start) % std::mem::align_of::<T>() == 0;
        (cfg!(target_endian = "little") && aligned && end <= map.len()).then(|| Flat::Mapped {
            map: Arc::clone(map),
            start,
            len,
        })
    }
}

impl<T: 'static> Flat<T> {
    pub fn new() -> Self {
        Flat::Owned(Vec::new())
    }

    pub fn with_capacity(n: usize) -> Self {
        Flat::Owned(Vec::with_capacity(n))
    }

    /// The values as an owned vector, copied out of the file first if they
    /// are read in place.
    pub fn to_mut(&mut self) -> &mut Vec<T>
    where
        T: Clone,
    {
        if let Flat::Mapped { .. } = self {
            *self = Flat::Owned(self.deref().to_vec());
        }
        match self {
            Flat::Owned(v) => v,
            Flat::Mapped { .. } => unreachable!("made owned above"),
        }
    }

    pub fn push(&mut self, x: T)
    where
        T: Clone,
    {
        self.to_mut().push(x);
    }
}

impl<T: 'static> Default for Flat<T> {
    fn default() -> Self {
        Flat::new()
    }
}

impl<T: 'static> From<Vec<T>> for Flat<T> {
    fn from(v: Vec<T>) -> Self {
        Flat::Owned(v)
    }
}

impl<T: 'static> Deref for Flat<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Flat::Owned(v) => v,
            Flat::Mapped { map, start, len } => {
                // SAFETY: only made by `Flat::in_place` (T: InPlace), which
                // checked that `len` values of T from `start` lie inside the
                // map and are aligned; the map lives as long as `self` holds
                // it and is never written through.
                unsafe { std::slice::from_raw_parts(map.as_ptr().add(*start).cast::<T>(), *len) }
            }
        }
    }
}

impl<T: Clone + 'static> DerefMut for Flat<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.to_mut()
    }
}

impl<'a, T: 'static> IntoIterator for &'a Flat<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.deref().iter()
    }
}

impl<T: Clone + 'static> Extend<T> for Flat<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.to_mut().extend(iter);
    }
}

impl<T: std::fmt::Debug + 'static> std::fmt::Debug for Flat<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.deref().fmt(f)
    }
}
