//! Rail routing speed: graph build and one route query on the real extracts
//! (`../shared/fixtures/osm/` or `$ROUTEMAP_OSM_FIXTURES`, skipped when absent) and on a synthetic
//! national-size network (≥ 1 million track nodes, generated here).
//!
//! Run: `cargo bench --bench rail` (`-- rail/builtin` for the built-in network). Targets (issue 5): real extracts build
//! ≤ 1 s and query ≤ 1 ms; synthetic build ≤ 60 s and ≤ 2 GB, query ≤ 50 ms.
//! The synthetic build prints its track node count and the process's peak
//! resident memory (VmHWM) once.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use geo::{LineString, Point};
use routemap::rail::{
    NetworkInfo, RailNetwork, RailNetworkBuilder, RailOptions, RailStop, TrackKind,
};

fn extract(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ROUTEMAP_OSM_FIXTURES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/osm"),
        PathBuf::from,
    );
    let p = dir.join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

fn real_extracts(c: &mut Criterion) {
    let cases = [
        (
            "vde8.2",
            "vde8.2-rail.osm.pbf",
            ("Erfurt Hbf", 11.038, 50.973),
            ("Halle-Ammendorf", 11.99, 51.43),
        ),
        (
            "cologne",
            "cologne-railway.osm.pbf",
            ("Köln Hbf", 6.959, 50.943),
            ("Köln-Ehrenfeld", 6.918, 50.951),
        ),
    ];
    for (label, file, a, b) in cases {
        let Some(path) = extract(file) else { continue };
        let mut g = c.benchmark_group(format!("rail/{label}"));
        g.sample_size(20);
        g.bench_function("build", |bench| {
            bench.iter(|| RailNetwork::from_path(&path).unwrap())
        });
        let net = RailNetwork::from_path(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let graph = dir.path().join("graph.rmrail");
        std::fs::write(&graph, net.to_bytes()).unwrap();
        g.bench_function("load_graph_file", |bench| {
            bench.iter(|| RailNetwork::from_path(&graph).unwrap())
        });
        let stops = [
            RailStop::named(a.0, Point::new(a.1, a.2)),
            RailStop::named(b.0, Point::new(b.1, b.2)),
        ];
        let opts = RailOptions::default();
        net.route(&stops, &opts).unwrap();
        g.bench_function("route", |bench| {
            bench.iter(|| net.route(&stops, &opts).unwrap())
        });
        g.finish();
    }
}

/// Towns on a `n × n` lattice 0.2° apart (a 12° × 12° country for n = 60), joined
/// east–west, north–south and along one diagonal by gently winding lines of
/// `per_line` vertices: about `3 n² per_line` track nodes.
fn synthetic(n: usize, per_line: usize) -> RailNetworkBuilder {
    let mut b = RailNetworkBuilder::new(NetworkInfo {
        name: "synthetic".into(),
        source: "benches/rail.rs".into(),
        approximate: false,
    });
    let town = |i: usize, j: usize| (5.0 + 0.2 * i as f64, 45.0 + 0.2 * j as f64); // lon, lat
    let line = |a: (f64, f64), z: (f64, f64), b: &mut RailNetworkBuilder| {
        let (dx, dy) = (z.0 - a.0, z.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        let (nx, ny) = (-dy / len, dx / len);
        let coords: Vec<(f64, f64)> = (0..per_line)
            .map(|k| {
                let t = k as f64 / (per_line - 1) as f64;
                let w = 0.004 * (std::f64::consts::TAU * t).sin();
                (a.0 + t * dx + w * nx, a.1 + t * dy + w * ny)
            })
            .collect();
        b.add_track(&LineString::from(coords), TrackKind::Main, &[1435]);
    };
    for i in 0..n {
        for j in 0..n {
            let (lon, lat) = town(i, j);
            b.add_station(&format!("T{i}-{j}"), Point::new(lon, lat));
            if i + 1 < n {
                line(town(i, j), town(i + 1, j), &mut b);
            }
            if j + 1 < n {
                line(town(i, j), town(i, j + 1), &mut b);
            }
            if i + 1 < n && j + 1 < n {
                line(town(i, j), town(i + 1, j + 1), &mut b);
            }
        }
    }
    b
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn national(c: &mut Criterion) {
    let (n, per_line) = (60, 95);
    let net = synthetic(n, per_line).build().unwrap();
    let (nodes, segments, vertices, stations) = net.size();
    eprintln!(
        "synthetic network: {vertices} track vertices, {segments} segments, {nodes} junctions, {stations} stations; peak RSS {:.0} MB",
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    assert!(vertices >= 1_000_000);
    let mut g = c.benchmark_group("rail/synthetic");
    g.sample_size(10).measurement_time(Duration::from_secs(90));
    g.bench_function("build", |bench| {
        bench.iter(|| synthetic(n, per_line).build().unwrap())
    });
    // Corner to corner: 12° of latitude and longitude, some 1,700 km of track.
    let stops = [
        RailStop::named("T0-0", Point::new(5.0, 45.0)),
        RailStop::named("T59-59", Point::new(16.8, 56.8)),
    ];
    // The lattice meets at 45° steps; 60° lets trains take the diagonals.
    let opts = RailOptions {
        max_turn_deg: 60.0,
        ..RailOptions::default()
    };
    net.route(&stops, &opts).unwrap();
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("route", |bench| {
        bench.iter(|| net.route(&stops, &opts).unwrap())
    });
    // A shorter query across a quarter of the country.
    let mid = [
        RailStop::named("T10-20", Point::new(7.0, 49.0)),
        RailStop::named("T40-35", Point::new(13.0, 52.0)),
    ];
    net.route(&mid, &opts).unwrap();
    g.bench_function("route_mid", |bench| {
        bench.iter(|| net.route(&mid, &opts).unwrap())
    });
    g.finish();
}

/// The built-in network (issue 11): ready for the first query (decode, build,
/// nearest-track index), and Moscow → Vladivostok and the seed journey on it.
/// Targets: ready ≤ 200 ms, Moscow → Vladivostok ≤ 50 ms.
fn builtin(c: &mut Criterion) {
    let mut g = c.benchmark_group("rail/builtin");
    g.sample_size(10);
    g.bench_function("ready", |bench| {
        bench.iter(|| RailNetwork::builtin().unwrap())
    });
    let net = RailNetwork::builtin().unwrap();
    let opts = RailOptions::default();
    let moscow_vladivostok = [
        RailStop::named("Moscow", Point::new(37.61781, 55.75204)),
        RailStop::named("Vladivostok", Point::new(131.87353, 43.10562)),
    ];
    net.route(&moscow_vladivostok, &opts).unwrap();
    g.bench_function("moscow_vladivostok", |bench| {
        bench.iter(|| net.route(&moscow_vladivostok, &opts).unwrap())
    });
    let seed = [
        RailStop::named("Pyongyang", Point::new(125.75432, 39.03385)),
        RailStop::named("Khasan", Point::new(130.6453, 42.4281)),
        RailStop::named("Vostochny Cosmodrome", Point::new(128.3339, 51.8844)),
    ];
    net.route(&seed, &opts).unwrap();
    g.bench_function("seed_journey", |bench| {
        bench.iter(|| net.route(&seed, &opts).unwrap())
    });
    g.finish();
}

criterion_group!(benches, builtin, real_extracts, national);
criterion_main!(benches);
