//! One line of `geocode --batch` input, resolved against the built-in
//! gazetteer (with and without a country filter).
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::gazetteer::{Gazetteer, ResolveOptions};
use std::sync::OnceLock;

static GAZ: OnceLock<Gazetteer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let g = GAZ.get_or_init(|| Gazetteer::builtin().expect("built-in gazetteer"));
    let _ = g.resolve(line, &ResolveOptions::default());
    let _ = g.resolve(
        line,
        &ResolveOptions {
            country: Some("RU".into()),
            ..ResolveOptions::default()
        },
    );
    let _ = routemap::gazetteer::parse_coordinate(line);
});
