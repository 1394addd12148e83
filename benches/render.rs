//! Map rendering speed: the seed route map at 1600×1200 and a world-extent
//! map, from `MapData` to PNG bytes (projection, basemap decoding and
//! clipping, label placement, SVG, rasterising, PNG encoding).
//!
//! `layout_1000_stops`: label placement for 1,000 places scattered over
//! Europe (markers, names, furniture, context), the layout alone.
//!
//! Run with `cargo bench --bench render`.

use criterion::{criterion_group, criterion_main, Criterion};
use routemap::render::{self, MapData, MapLeg, MapStop, MapStyle, StopRole};

fn route(stops: &[(&str, f64, f64)]) -> MapData {
    let n = stops.len();
    MapData {
        title: None,
        stops: stops
            .iter()
            .enumerate()
            .map(|(i, &(name, lon, lat))| MapStop::new(name, lon, lat, StopRole::in_route(i, n)))
            .collect(),
        legs: stops
            .windows(2)
            .map(|w| MapLeg::geodesic("1,000 km", (w[0].1, w[0].2), (w[1].1, w[1].2), 10_000.0))
            .collect(),
        total_label: Some("2,000 km".into()),
        route_kind: None,
        attribution: vec![],
        waypoints: vec![],
        railways: vec![],
        approximate: vec![],
        places: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let seed = route(&[
        ("Pyongyang", 125.7543, 39.0339),
        ("Khasan", 130.6453, 42.4297),
        ("Vostochny Cosmodrome", 128.3339, 51.8844),
    ]);
    let world = route(&[
        ("Moscow", 37.6173, 55.7558),
        ("Tokyo", 139.6917, 35.6895),
        ("Washington", -77.0369, 38.9072),
    ]);
    let style = MapStyle::default();
    let mut g = c.benchmark_group("render");
    g.sample_size(20);
    g.bench_function("seed_png_1600x1200", |b| {
        b.iter(|| render::png(&seed, &style).unwrap())
    });
    g.bench_function("seed_svg_1600x1200", |b| {
        b.iter(|| render::svg(&seed, &style).unwrap())
    });
    g.bench_function("world_png_1600x1200", |b| {
        b.iter(|| render::png(&world, &style).unwrap())
    });
    // 1,000 places over Europe from a fixed pseudo-random sequence.
    let mut state = 7_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / f64::from(1u32 << 31)
    };
    let many = MapData {
        stops: (0..1000)
            .map(|i| {
                let (lon, lat) = (-10.0 + 40.0 * next(), 35.0 + 20.0 * next());
                MapStop::new(format!("Place {i}"), lon, lat, StopRole::Place)
            })
            .collect(),
        ..MapData::default()
    };
    g.bench_function("layout_1000_stops", |b| {
        b.iter(|| render::layout(&many, &style).unwrap())
    });
    g.bench_function("png_1000_stops", |b| {
        b.iter(|| render::png(&many, &style).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
