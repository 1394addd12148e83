//! The command-line tests: one integration binary, one module per concern.

mod util;

mod errors;
mod extract;
mod formats;
mod geocode;
mod harden;
mod hostile;
mod interop;
mod map;
mod rail;
mod route;
mod world;
