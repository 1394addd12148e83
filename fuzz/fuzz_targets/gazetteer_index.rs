//! An imported gazetteer index (`--gazetteer x.rmidx`): opened, then asked
//! for exact, typo-forgiving and prefix matches and every place.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::gazetteer::{Gazetteer, ResolveOptions};

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    // Half the inputs get a valid checksum, to reach the reader behind it.
    if bytes.first().is_some_and(|b| b & 1 == 0) {
        routemap_fuzz::fix_index_crc(&mut bytes);
    }
    let path = routemap_fuzz::file_with("rmidx", &bytes);
    let mut g = Gazetteer::empty();
    if g.add_file(&path).is_ok() {
        for q in ["Seoul", "Seul", "a", "Springfield, IL", "12"] {
            let _ = g.resolve(q, &ResolveOptions::default());
        }
        let _ = g.prefix("S", 10);
        g.each_place(None, |_, p| {
            let _ = (p.name(), p.lat(), p.lon());
        });
    }
});
