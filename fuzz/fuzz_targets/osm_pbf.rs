//! An OpenStreetMap PBF extract as `--rail-network x.osm.pbf`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = routemap_fuzz::file_with("osm.pbf", data);
    let _ = routemap::rail::RailNetwork::from_path(&path);
});
