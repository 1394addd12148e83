//! An OpenStreetMap XML extract as `--rail-network x.osm`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = routemap_fuzz::file_with("osm", data);
    let _ = routemap::rail::RailNetwork::from_path(&path);
});
