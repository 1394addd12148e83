//! A random `--bbox` and stop drawn to a small SVG and PNG.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routemap::render::{self, BBox, MapData, MapStop, MapStyle, StopRole};

fuzz_target!(|data: &[u8]| {
    if data.len() < 48 {
        return;
    }
    let f = |i: usize| f64::from_le_bytes(data[i * 8..i * 8 + 8].try_into().unwrap());
    let text = format!("{},{},{},{}", f(0), f(1), f(2), f(3));
    let Ok(bbox) = text.parse::<BBox>() else {
        return;
    };
    let Ok(mut style) = MapStyle::new(160, 120) else {
        return;
    };
    style.bbox = Some(bbox);
    let data = MapData {
        stops: vec![MapStop::new("A", f(4), f(5), StopRole::Place)],
        ..MapData::default()
    };
    if let Ok(d) = render::draw(&data, &style) {
        let _ = d.png();
    }
});
