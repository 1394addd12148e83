//! One line of `geocode --batch` input, resolved against a gazetteer of the
//! same make as the built-in one: the curated places and an index of the
//! world's places of 15,000 people or more plus every place that is not a
//! town (countries, divisions, counties, seas, rivers, airports…), written
//! at start by the index writer. The whole world index works the same way
//! but its typo search makes each execution ten times as slow.
//!
//! One resolve per execution: a line that opens with byte 0x01 is resolved
//! (without that byte) with the country filter `RU`, any other without one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::gazetteer::{Gazetteer, IndexWriter, PlaceKind, ResolveOptions};
use std::sync::OnceLock;

static GAZ: OnceLock<Gazetteer> = OnceLock::new();

fn gazetteer() -> Gazetteer {
    let world = Gazetteer::builtin().expect("built-in gazetteer");
    let path = std::env::temp_dir().join(format!(
        "routemap-fuzz-{}-sample.rmidx",
        std::process::id()
    ));
    let mut w = IndexWriter::new(&path).expect("index writer");
    world.each_place(None, |layer, p| {
        let town = matches!(p.kind(), PlaceKind::City | PlaceKind::Town | PlaceKind::Village);
        if layer == "world" && (!town || p.population() >= 15_000) {
            w.push(p).expect("index a place");
        }
    });
    w.finish().expect("finish the index");
    let mut g = Gazetteer::curated().expect("curated places");
    g.add_file(&path).expect("open the sample index");
    g
}

fuzz_target!(|data: &[u8]| {
    let g = GAZ.get_or_init(gazetteer);
    let (country, text) = match data.split_first() {
        Some((&1, rest)) => (Some("RU".to_string()), rest),
        _ => (None, data),
    };
    let Ok(line) = std::str::from_utf8(text) else {
        return;
    };
    let _ = g.resolve(
        line,
        &ResolveOptions {
            country,
            ..ResolveOptions::default()
        },
    );
    let _ = routemap::gazetteer::parse_coordinate(line);
});
