//! routemap
pub mod render;
pub fn x() {}
