//! Map rendering speed: the seed route map at 1600×1200 and a world-extent
//! map, from `MapData` to PNG bytes (projection, basemap decoding and
//! clipping, label placement, SVG, rasterising, PNG encoding).
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
