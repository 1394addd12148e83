//! User gazetteer files: the same bytes read as TSV, CSV and GeoJSON, and
//! imported into an index.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::gazetteer::{parse, Format};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Tsv, Format::Csv, Format::GeoJson] {
        if let Ok(places) = parse(text, format, Path::new("fuzz")) {
            for p in &places {
                assert!(p.lat().is_finite() && p.lon().is_finite());
            }
        }
    }
});
