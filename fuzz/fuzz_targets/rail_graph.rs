//! A rail graph file (`routemap rail build --out`), loaded and routed on.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::rail::{RailNetwork, RailOptions, RailStop};

fuzz_target!(|data: &[u8]| {
    let path = routemap_fuzz::file_with("rmrail", data);
    if let Ok(n) = RailNetwork::from_path(&path) {
        let _ = n.size();
        let _ = n.lines_within(-180.0, -90.0, 180.0, 90.0);
        let stops = [
            RailStop::at(geo::Point::new(0.0, 0.0)),
            RailStop::at(geo::Point::new(10.0, 10.0)),
        ];
        let _ = n.route(&stops, &RailOptions::default());
    }
});
