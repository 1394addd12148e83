//! `routemap route --mode rail` and `routemap rail`: the seed journey on the
//! built-in corridors, OpenStreetMap fixtures, graph files and rail errors.

use crate::util::{in_ci, repo, stderr, Env};
use serde_json::Value;

fn features<'a>(fc: &'a Value, kind: &str) -> Vec<&'a Value> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

fn read_json(env: &Env, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.path(name)).unwrap()).unwrap()
}

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/rail")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn seed_journey_by_rail_follows_the_track() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "route",
            "Pyongyang",
            "Khasan",
            "Vostochny Cosmodrome",
            "--mode",
            "rail",
            "-o",
            "kim-rail",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("corridor approximation"),
        "{}",
        stderr(&out)
    );
    let fc = read_json(&env, "kim-rail.geojson");
    let route = features(&fc, "route")[0];
    assert_eq!(route["properties"]["mode"], "rail");
    assert_eq!(route["properties"]["network"], "built-in corridors");
    assert_eq!(route["properties"]["corridor_approximation"], true);
    let legs = features(&fc, "leg");
    assert_eq!(legs.len(), 2);
    let mut total = 0.0;
    for leg in &legs {
        let p = &leg["properties"];
        let (along, straight) = (
            p["distance_km"].as_f64().unwrap(),
            p["straight_km"].as_f64().unwrap(),
        );
        assert!(
            along > straight,
            "along track {along} km, geodesic {straight} km"
        );
        total += along;
        // Drawn along the track: many vertices, not a densified geodesic.
        assert!(leg["geometry"]["coordinates"].as_array().unwrap().len() > 20);
    }
    assert!((route["properties"]["distance_km"].as_f64().unwrap() - total).abs() < 1e-5);
    let stations = |i: usize| -> Vec<String> {
        legs[i]["properties"]["stations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    for s in ["Hamhung", "Chongjin", "Tumangang"] {
        assert!(
            stations(0).contains(&s.to_string()),
            "{s} in {:?}",
            stations(0)
        );
    }
    for s in ["Ussuriysk", "Khabarovsk", "Belogorsk"] {
        assert!(
            stations(1).contains(&s.to_string()),
            "{s} in {:?}",
            stations(1)
        );
    }
    assert_eq!(
        legs[0]["properties"]["gauges_mm"],
        serde_json::json!([1435, 1520])
    );
    assert_eq!(
        legs[1]["properties"]["gauges_mm"],
        serde_json::json!([1520])
    );
}

#[test]
fn a_stop_far_from_any_track_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Moscow", "Khasan", "--mode", "rail", "-o", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("stop \"Moscow\" is ") && err.contains("km from the nearest usable track"),
        "{err}"
    );
    assert!(
        env.files().is_empty(),
        "no output file on failure: {:?}",
        env.files()
    );
}

#[test]
fn rail_options_need_rail_mode_and_sane_values() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Ussuriysk", "Khabarovsk", "--gauge", "1520"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid --gauge: only applies with --mode rail"));
    let out = env
        .cmd()
        .args([
            "route",
            "Ussuriysk",
            "Khabarovsk",
            "--mode",
            "rail",
            "--snap-km=-1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid rail option snap_km = -1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn graph_file_built_once_routes_like_the_extract() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "rail",
            "build",
            &fixture("gauge.osm"),
            "--out",
            "gauge.rmrail",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    env.write(
        "places.tsv",
        "name\tlat\tlon\nLeft\t42.0\t130.0\nRight\t42.0\t130.25\n",
    );
    for network in [fixture("gauge.osm"), "gauge.rmrail".to_string()] {
        let out = env
            .cmd()
            .args([
                "route",
                "Left",
                "Right",
                "--mode",
                "rail",
                "--gazetteer",
                "places.tsv",
                "--rail-network",
                &network,
                "--json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        // GeodSolve: 5 × 4142.538020 m along 42° N.
        let km = v["legs"][0]["distance"].as_f64().unwrap();
        assert!((km - 20.712690).abs() < 1e-5, "{network}: {km} km");
    }
    let out = env
        .cmd()
        .args([
            "route",
            "Left",
            "Right",
            "--mode",
            "rail",
            "--gazetteer",
            "places.tsv",
            "--rail-network",
            "gauge.rmrail",
            "--gauge",
            "1435",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stop \"Right\" is 8.3 km from the nearest usable track"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn disconnected_networks_fail_without_drawing_a_line() {
    let env = Env::new();
    env.write(
        "places.tsv",
        "name\tlat\tlon\nAlpha\t50.0\t10.0\nOmega\t50.2\t10.2\n",
    );
    let out = env
        .cmd()
        .args([
            "route",
            "Alpha",
            "Omega",
            "--mode",
            "rail",
            "--gazetteer",
            "places.tsv",
            "--rail-network",
            &fixture("disconnected.osm"),
            "-o",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no rail route from \"Alpha\" to \"Omega\""),
        "{}",
        stderr(&out)
    );
    assert!(!env.path("x.geojson").exists());
}

#[test]
fn real_extract_routes_between_named_stations() {
    let pbf = repo().join("../shared/fixtures/osm/vde8.2-rail.osm.pbf");
    if !pbf.exists() {
        assert!(!in_ci(), "{} is required in CI", pbf.display());
        eprintln!("skipped: {} is absent", pbf.display());
        return;
    }
    let env = Env::new();
    env.write(
        "places.tsv",
        "name\tlat\tlon\nErfurt Hbf\t50.9727\t11.0380\nHalle-Ammendorf\t51.4300\t11.9900\n",
    );
    let out = env
        .cmd()
        .args([
            "route",
            "Erfurt Hbf",
            "Halle-Ammendorf",
            "--mode",
            "rail",
            "--gazetteer",
            "places.tsv",
            "--rail-network",
        ])
        .arg(&pbf)
        .args(["--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Published: 86.920 km by the high-speed line (km 191.078 → 274.384, + 3.614).
    let km = v["legs"][0]["distance"].as_f64().unwrap();
    assert!((km - 86.920).abs() < 0.03 * 86.920, "{km} km");
}

#[test]
fn rail_info_describes_a_network() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["rail", "info", "builtin"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("corridor_approximation\ttrue"), "{text}");
    let out = env
        .cmd()
        .args(["rail", "info", "missing.osm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.osm"), "{}", stderr(&out));
}
