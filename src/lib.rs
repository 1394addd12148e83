//! routemap
pub fn x() {}
