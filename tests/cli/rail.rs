//! `routemap route --mode rail` and `routemap rail`: the seed journey on the
//! built-in corridors, OpenStreetMap fixtures, graph files and rail errors.

use crate::route::features;
use crate::util::{in_ci, repo, stderr, Env};
use serde_json::Value;
use std::process::Output;

/// `routemap route ARGS... --mode rail`, run in the test's directory.
fn rail_route(env: &Env, args: &[&str]) -> Output {
    env.cmd()
        .arg("route")
        .args(args)
        .args(["--mode", "rail"])
        .output()
        .unwrap()
}

/// `routemap ARGS...`, run in the test's directory.
fn run(env: &Env, args: &[&str]) -> Output {
    env.cmd().args(args).output().unwrap()
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

/// Whether `p` lies on the straight piece from `a` to `b` (lon, lat), to 2 m
/// (equirectangular metres about `p`: ample over a piece of track).
fn on_piece(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> bool {
    let k = 111_195.0;
    let c = p.1.to_radians().cos();
    let (ax, ay) = ((a.0 - p.0) * k * c, (a.1 - p.1) * k);
    let (bx, by) = ((b.0 - p.0) * k * c, (b.1 - p.1) * k);
    let (dx, dy) = (bx - ax, by - ay);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 {
        (-(ax * dx + ay * dy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (ax + t * dx).hypot(ay + t * dy) < 2.0
}

fn first_leg_km(out: &Output) -> f64 {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["legs"][0]["distance"].as_f64().unwrap()
}

#[test]
fn seed_journey_by_rail_follows_the_track() {
    let env = Env::new();
    let seed = ["Pyongyang", "Khasan", "Vostochny Cosmodrome"];
    let out = rail_route(&env, &[&seed[..], &["-o", "kim-rail"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Russian railways from OpenStreetMap"),
        "{}",
        stderr(&out)
    );
    let fc = read_json(&env, "kim-rail.geojson");
    let route = features(&fc, "route")[0];
    assert_eq!(route["properties"]["mode"], "rail");
    assert_eq!(route["properties"]["network"], "built-in network");
    assert_eq!(route["properties"]["corridor_approximation"], false);
    assert!(route["properties"]["network_source"]
        .as_str()
        .unwrap()
        .contains("© OpenStreetMap contributors"));
    let legs = features(&fc, "leg");
    assert_eq!(legs.len(), 2);
    let mut total = 0.0;
    for leg in &legs {
        let p = &leg["properties"];
        let along = p["distance_km"].as_f64().unwrap();
        let straight = p["straight_km"].as_f64().unwrap();
        assert!(
            along > straight,
            "along track {along} km, geodesic {straight} km"
        );
        total += along;
        // Drawn along the track: many vertices, not a densified geodesic.
        assert!(leg["geometry"]["coordinates"].as_array().unwrap().len() > 20);
    }
    assert!((route["properties"]["distance_km"].as_f64().unwrap() - total).abs() < 1e-5);
    let stations = |i: usize| -> Vec<&str> {
        legs[i]["properties"]["stations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect()
    };
    for s in ["Hamhung", "Chongjin", "Tumangang"] {
        assert!(stations(0).contains(&s), "{s} in {:?}", stations(0));
    }
    for s in ["Ussuriysk", "Khabarovsk", "Belogorsk"] {
        assert!(stations(1).contains(&s), "{s} in {:?}", stations(1));
    }
    assert_eq!(
        legs[0]["properties"]["gauges_mm"],
        serde_json::json!([1435, 1520])
    );
    assert_eq!(
        legs[1]["properties"]["gauges_mm"],
        serde_json::json!([1520])
    );
    // North Korea has no traced track (approximate), Russia has: leg 2 only on
    // the cosmodrome branch.
    let approx = |i: usize| legs[i]["properties"]["approximate_km"].as_f64().unwrap();
    assert!(approx(0) > 800.0, "{}", approx(0));
    assert!(approx(1) > 10.0 && approx(1) < 40.0, "{}", approx(1));
    let svg_out = rail_route(&env, &[&seed[..], &["--svg", "kim.svg"]].concat());
    assert!(svg_out.status.success(), "{}", stderr(&svg_out));
    let svg = std::fs::read_to_string(env.path("kim.svg")).unwrap();
    assert!(
        svg.contains("<path id=\"approximate\""),
        "dashed approximate track"
    );
    assert!(svg.contains(">Approximate track</text>"));
}

#[test]
fn seed_rail_map_marks_the_big_towns_passed() {
    let env = Env::new();
    let args = [
        "Pyongyang",
        "Khasan",
        "Vostochny Cosmodrome",
        "--svg",
        "rail.svg",
        "--geojson",
        "rail.geojson",
    ];
    let out = rail_route(&env, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(env.path("rail.svg")).unwrap();
    // The waypoint group: towns passed, drawn smaller than the stops' labels.
    let start = svg.find("<g id=\"waypoints\">").expect("a waypoints group");
    let group = &svg[start..start + svg[start..].find("</g>").unwrap()];
    let towns: Vec<&str> = group
        .split("</text>")
        .filter_map(|t| t.rsplit_once('>').map(|(_, name)| name))
        .filter(|name| !name.trim().is_empty())
        .collect();
    for town in ["Ussuriysk", "Khabarovsk"] {
        assert!(towns.contains(&town), "{town} in {towns:?}");
    }
    // Big towns, not a list of every halt: most of them make it.
    let big = [
        "Hamhung",
        "Chongjin",
        "Ussuriysk",
        "Khabarovsk",
        "Birobidzhan",
        "Belogorsk",
    ];
    let shown = big.iter().filter(|t| towns.contains(t)).count();
    assert!(shown >= 4, "{towns:?}");
    assert!((4..=10).contains(&towns.len()), "{towns:?}");
    // Stops are never waypoints.
    for stop in ["Pyongyang", "Khasan", "Vostochny Cosmodrome"] {
        assert!(!towns.contains(&stop), "{stop} in {towns:?}");
    }
    assert!(group.contains("font-size=\"13\""), "{group}");
    assert!(!group.contains("font-size=\"16\"") && !group.contains("font-size=\"18\""));
    // The other lines of the network around the route are drawn for context (the
    // line to Komsomolsk-on-Amur leaves the route at Volochayevka), with a legend row.
    let rails = svg.find("<path id=\"railways\"").expect("a railways path");
    assert!(
        rails < svg.find("<g id=\"route\"").unwrap(),
        "drawn under the route"
    );
    assert!(svg.contains(">Other railway lines</text>"));
    assert!(svg.contains(">Town on the way</text>"));

    // Each station passed comes with its point on the track, in the GeoJSON.
    let fc = read_json(&env, "rail.geojson");
    let legs = features(&fc, "leg");
    for leg in &legs {
        let p = &leg["properties"];
        let names = p["stations"].as_array().unwrap();
        let points = p["station_points"].as_array().unwrap();
        assert_eq!(names.len(), points.len());
        let line: Vec<(f64, f64)> = leg["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
            .collect();
        for pt in points {
            let p = (pt[0].as_f64().unwrap(), pt[1].as_f64().unwrap());
            assert!(
                line.windows(2).any(|w| on_piece(w[0], w[1], p)),
                "{pt} is not on the leg's line"
            );
        }
    }
    // Ussuriysk's station is where GeoNames puts the town (2014006:
    // 43.80467 N, 131.95734 E), within a few kilometres.
    let p = &legs[1]["properties"];
    let i = p["stations"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s == "Ussuriysk")
        .unwrap();
    let pt = &p["station_points"][i];
    let (lon, lat) = (pt[0].as_f64().unwrap(), pt[1].as_f64().unwrap());
    let km_north = (lat - 43.80467) * 111.1;
    let km_east = (lon - 131.95734) * 111.3 * 43.8f64.to_radians().cos();
    assert!(km_north.hypot(km_east) < 5.0, "{lon},{lat}");
}

#[test]
fn direct_route_maps_have_no_waypoints() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Pyongyang", "Khasan", "--svg", "d.svg"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(env.path("d.svg")).unwrap();
    assert!(!svg.contains("waypoints"));
}

#[test]
fn a_stop_far_from_any_track_is_a_clear_error() {
    let env = Env::new();
    // Beijing is some 800 km from the nearest track of the built-in network
    // (Russian and North Korean lines only): raising --snap-km cannot help, so
    // the message says which networks there are and how to bring an extract.
    let out = rail_route(&env, &["Moscow", "Beijing", "-o", "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("stop \"Beijing\" is "), "{err}");
    assert!(err.contains("km from the nearest usable track"), "{err}");
    assert!(err.contains("track in Russia only"), "{err}");
    assert!(err.contains("routemap rail build"), "{err}");
    assert!(!err.contains("raise --snap-km"), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        env.files().is_empty(),
        "no output on failure: {:?}",
        env.files()
    );
}

#[test]
fn rail_options_need_rail_mode_and_sane_values() {
    let env = Env::new();
    let out = run(
        &env,
        &["route", "Ussuriysk", "Khabarovsk", "--gauge", "1520"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid --gauge: only applies with --mode rail"));
    let out = rail_route(&env, &["Ussuriysk", "Khabarovsk", "--snap-km=-1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid --snap-km: -1 is not a distance in kilometres"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn graph_file_built_once_routes_like_the_extract() {
    let env = Env::new();
    let gauge = fixture("gauge.osm");
    let out = run(&env, &["rail", "build", &gauge, "--out", "gauge.rmrail"]);
    assert!(out.status.success(), "{}", stderr(&out));
    env.write(
        "places.tsv",
        "name\tlat\tlon\nLeft\t42.0\t130.0\nRight\t42.0\t130.25\n",
    );
    let base = [
        "Left",
        "Right",
        "--gazetteer",
        "places.tsv",
        "--rail-network",
    ];
    for network in [gauge.as_str(), "gauge.rmrail"] {
        let out = rail_route(&env, &[&base[..], &[network, "--json"]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        // GeodSolve: 5 × 4142.538020 m along 42° N.
        let km = first_leg_km(&out);
        assert!((km - 20.712690).abs() < 1e-5, "{network}: {km} km");
    }
    let out = rail_route(
        &env,
        &[
            &base[..],
            &["gauge.rmrail", "--gauge", "1435", "--snap-km", "5"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("stop \"Right\" is 8.3 km from the nearest usable track"),
        "{err}"
    );
}

#[test]
fn disconnected_networks_fail_without_drawing_a_line() {
    let env = Env::new();
    env.write(
        "places.tsv",
        "name\tlat\tlon\nAlpha\t50.0\t10.0\nOmega\t50.2\t10.2\n",
    );
    let network = fixture("disconnected.osm");
    let args = [
        "Alpha",
        "Omega",
        "--gazetteer",
        "places.tsv",
        "--rail-network",
        &network,
        "-o",
        "x",
    ];
    let out = rail_route(&env, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no rail route from \"Alpha\" to \"Omega\""),
        "{err}"
    );
    assert!(!env.path("x.geojson").exists());
}

/// A real extract from `../shared/fixtures/osm/` (or `ROUTEMAP_OSM_FIXTURES`), as a
/// path argument; `None` (the test skips) when absent outside CI.
fn osm_fixture(name: &str) -> Option<String> {
    let dir = std::env::var_os("ROUTEMAP_OSM_FIXTURES").map_or_else(
        || repo().join("../shared/fixtures/osm"),
        std::path::PathBuf::from,
    );
    let pbf = dir.join(name);
    if !pbf.exists() {
        assert!(!in_ci(), "{} is required in CI", pbf.display());
        eprintln!("skipped: {} is absent", pbf.display());
        return None;
    }
    Some(pbf.display().to_string())
}

#[test]
fn real_extract_routes_between_named_stations() {
    let Some(pbf) = osm_fixture("vde8.2-rail.osm.pbf") else {
        return;
    };
    let env = Env::new();
    env.write(
        "places.tsv",
        "name\tlat\tlon\nErfurt Hbf\t50.9727\t11.0380\nHalle-Ammendorf\t51.4300\t11.9900\n",
    );
    let args = [
        "Erfurt Hbf",
        "Halle-Ammendorf",
        "--gazetteer",
        "places.tsv",
        "--rail-network",
        &pbf,
        "--json",
    ];
    let out = rail_route(&env, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    // Published: 86.920 km by the high-speed line (km 191.078 → 274.384, + 3.614).
    let km = first_leg_km(&out);
    assert!((km - 86.920).abs() < 0.03 * 86.920, "{km} km");
}

/// On a user's extract, a stop may be a station's name that no gazetteer knows:
/// "Erfurt Hbf" is the station of that name in the extract (OpenStreetMap puts it
/// at 50.9724 N, 11.0389 E; the published station position is 50°58′21″N
/// 11°2′18″E, de.wikipedia Erfurt Hauptbahnhof).
#[test]
fn station_names_of_the_network_are_stops() {
    let Some(pbf) = osm_fixture("vde8.2-rail.osm.pbf") else {
        return;
    };
    let env = Env::new();
    let args = [
        "Erfurt Hbf",
        "Halle-Ammendorf",
        "--rail-network",
        &pbf,
        "--json",
    ];
    let out = rail_route(&env, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stop = &v["stops"][0];
    assert_eq!(stop["name"], "Erfurt Hbf");
    assert_eq!(stop["kind"], "station");
    assert_eq!(stop["source"], "rail network: vde8.2-rail.osm.pbf");
    let (lat, lon) = (stop["lat"].as_f64().unwrap(), stop["lon"].as_f64().unwrap());
    let published = (
        50.0 + 58.0 / 60.0 + 21.0 / 3600.0,
        11.0 + 2.0 / 60.0 + 18.0 / 3600.0,
    );
    assert!(
        (lat - published.0).abs() < 0.005 && (lon - published.1).abs() < 0.008,
        "{lat}, {lon}"
    );
    // Published: 86.920 km by the high-speed line (km 191.078 → 274.384, + 3.614).
    let km = first_leg_km(&out);
    assert!((km - 86.920).abs() < 0.03 * 86.920, "{km} km");
    // A name neither the gazetteer nor the network knows is still an error.
    let out = rail_route(
        &env,
        &["Erfurt Hbf", "Atlantis Hbf", "--rail-network", &pbf],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown place \"Atlantis Hbf\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rail_info_describes_a_network() {
    let env = Env::new();
    let out = run(&env, &["rail", "info", "builtin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("corridor_approximation\tfalse"), "{text}");
    assert!(text.contains("OpenStreetMap contributors"), "{text}");
    let out = run(&env, &["rail", "info", "missing.osm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.osm"), "{}", stderr(&out));
}

/// The names of a leg's `places_passed`, in order.
fn places_passed(leg: &Value) -> Vec<String> {
    leg["properties"]["places_passed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Whether `names` holds every one of `want`, in that order.
fn in_order(names: &[String], want: &[&str]) -> bool {
    let mut at = 0;
    want.iter()
        .all(|w| match names[at..].iter().position(|n| n == w) {
            Some(k) => {
                at += k + 1;
                true
            }
            None => false,
        })
}

#[test]
fn seed_journey_passes_the_towns_of_the_trans_siberian_in_order() {
    // Ussuriysk, Khabarovsk and Belogorsk are on the Trans-Siberian, in that
    // order from Vladivostok (published line, ru.wikipedia «Транссибирская
    // магистраль»); the gazetteer's towns near the track name them, whatever
    // stations the network has.
    let env = Env::new();
    let seed = ["Pyongyang", "Khasan", "Vostochny Cosmodrome"];
    let out = rail_route(&env, &[&seed[..], &["-o", "kim-rail.geojson"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let fc = read_json(&env, "kim-rail.geojson");
    let legs = features(&fc, "leg");
    let leg2 = places_passed(legs[1]);
    assert!(
        in_order(&leg2, &["Ussuriysk", "Khabarovsk", "Belogorsk"]),
        "{leg2:?}"
    );
    // Hamhung and Chongjin on the east coast line of North Korea; no stop is
    // listed as passed.
    let leg1 = places_passed(legs[0]);
    assert!(in_order(&leg1, &["Hamhung", "Chongjin"]), "{leg1:?}");
    for stop in seed {
        assert!(!leg1.iter().chain(&leg2).any(|p| p == stop), "{stop}");
    }
    // The table says so too, one line per leg.
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("leg 2 passes "))
        .unwrap_or_else(|| panic!("{text}"));
    for town in ["Ussuriysk", "Khabarovsk", "Belogorsk"] {
        assert!(line.contains(town), "{line}");
    }
}

#[test]
fn a_journey_across_russia_passes_the_trans_siberian_cities() {
    // Moscow → Chita: cities of the Trans-Siberian (ru.wikipedia
    // «Транссибирская магистраль»: Vladimir, Omsk, Novosibirsk, Krasnoyarsk,
    // Irkutsk, Ulan-Ude), in that order.
    let env = Env::new();
    let out = rail_route(&env, &["Moscow", "Chita", "-o", "across.geojson"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fc = read_json(&env, "across.geojson");
    let passed = places_passed(features(&fc, "leg")[0]);
    assert!(
        in_order(
            &passed,
            &[
                "Vladimir",
                "Omsk",
                "Novosibirsk",
                "Krasnoyarsk",
                "Irkutsk",
                "Ulan-Ude"
            ]
        ),
        "{passed:?}"
    );
}

#[test]
fn fuzz_found_graph_with_lengths_unlike_its_coordinates_is_refused_at_once() {
    // Found by `cargo fuzz run rail_graph`: a route on this graph took over
    // 10 s. Its lengths do not match its coordinates; it is refused on load
    // with one line, and the search itself is bounded (rail::tests::fuzz_found).
    let env = Env::new();
    let graph = repo().join("tests/fixtures/fuzz/rail-slow-route.rmrail");
    let graph = graph.to_str().unwrap();
    let out = rail_route(&env, &["0,0", "10,10", "--rail-network", graph]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is damaged or from another routemap version"),
        "{err}"
    );
}

#[test]
fn a_gazetteer_given_to_rail_commands_is_refused_not_ignored() {
    let env = Env::new();
    let wye = fixture("wye.osm");
    for args in [
        vec![
            "--gazetteer",
            "missing.tsv",
            "rail",
            "build",
            &wye,
            "--out",
            "w.rmrail",
        ],
        vec!["rail", "info", &wye, "--gazetteer", "missing.tsv"],
    ] {
        let out = run(&env, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("--gazetteer") && err.contains("missing.tsv"),
            "{err}"
        );
        assert!(!env.path("w.rmrail").exists());
    }
}
