//! `routemap route`: the seed journey, GeoJSON layout, units, golden file.

use crate::util::{first_difference, repo, stderr, stdout, Env};
use serde_json::Value;

const SEED: [&str; 3] = ["Pyongyang", "Khasan", "Vostochny Cosmodrome"];

/// Reference rows of tests/fixtures/geodesic.tsv (GeographicLib GeodSolve).
pub struct Reference {
    pub name: String,
    pub lat1: f64,
    pub lon1: f64,
    pub lat2: f64,
    pub lon2: f64,
    pub azi1: f64,
    pub s12: f64,
}

pub fn references() -> Vec<Reference> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/geodesic.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            Reference {
                name: f[0].to_string(),
                lat1: n(1),
                lon1: n(2),
                lat2: n(3),
                lon2: n(4),
                azi1: n(5),
                s12: n(7),
            }
        })
        .collect()
}

/// The features of a collection with this `kind` property.
pub fn features<'a>(fc: &'a Value, kind: &str) -> Vec<&'a Value> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

fn seed_geojson(env: &Env) -> Value {
    let out = env
        .cmd()
        .args(["route"])
        .args(SEED)
        .args(["-o", "kim"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&std::fs::read_to_string(env.path("kim.geojson")).unwrap()).unwrap()
}

#[test]
fn seed_route_has_three_stops_two_legs_one_route() {
    let env = Env::new();
    let fc = seed_geojson(&env);
    assert_eq!(fc["type"], "FeatureCollection");
    assert!(fc.get("crs").is_none());
    assert_eq!(features(&fc, "route").len(), 1);
    assert_eq!(features(&fc, "leg").len(), 2);
    let stops = features(&fc, "stop");
    assert_eq!(stops.len(), 3);
    let names: Vec<&str> = stops
        .iter()
        .map(|s| s["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, SEED);
    assert_eq!(stops[0]["properties"]["query"], "Pyongyang");
    assert_eq!(stops[0]["properties"]["role"], "start");
    assert_eq!(stops[2]["properties"]["role"], "end");
}

#[test]
fn seed_leg_distances_equal_geographiclib_to_a_millimetre() {
    let env = Env::new();
    let fc = seed_geojson(&env);
    let refs = references();
    let legs = features(&fc, "leg");
    for (leg, name) in legs
        .iter()
        .zip(["seed:pyongyang:khasan", "seed:khasan:vostochny-cosmodrome"])
    {
        let r = refs.iter().find(|r| r.name == name).expect("fixture row");
        // The fixture was made from the curated coordinates; check they are
        // still the ones the route used (else rerun tools/make_geodesic_fixture.sh).
        let coords = leg["geometry"]["coordinates"].as_array().unwrap();
        let first = &coords[0];
        assert!(
            (first[0].as_f64().unwrap() - r.lon1).abs() < 1e-9,
            "{name}: fixture is stale"
        );
        assert!(
            (first[1].as_f64().unwrap() - r.lat1).abs() < 1e-9,
            "{name}: fixture is stale"
        );
        let km = leg["properties"]["distance_km"].as_f64().unwrap();
        assert!(
            (km * 1000.0 - r.s12).abs() <= 0.001,
            "{name}: {km} km vs {} m",
            r.s12
        );
        let bearing = leg["properties"]["initial_bearing_deg"].as_f64().unwrap();
        let diff = (bearing - r.azi1).rem_euclid(360.0);
        assert!(
            diff.min(360.0 - diff) < 1e-5,
            "{name}: bearing {bearing} vs {}",
            r.azi1
        );
    }
    let total = features(&fc, "route")[0]["properties"]["distance_km"]
        .as_f64()
        .unwrap();
    let sum: f64 = legs
        .iter()
        .map(|l| l["properties"]["distance_km"].as_f64().unwrap())
        .sum();
    assert!((total - sum).abs() < 1e-5);
}

#[test]
fn legs_are_densified_to_ten_km() {
    let env = Env::new();
    let fc = seed_geojson(&env);
    for leg in features(&fc, "leg") {
        let coords = leg["geometry"]["coordinates"].as_array().unwrap();
        let km = leg["properties"]["distance_km"].as_f64().unwrap();
        // n segments of at most 10 km each: at least ceil(km / 10) of them.
        assert!(
            coords.len() > (km / 10.0).ceil() as usize,
            "{} vertices for {km} km",
            coords.len()
        );
    }
}

#[test]
fn max_segment_km_changes_density() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "route",
            "Pyongyang",
            "Khasan",
            "--max-segment-km",
            "100",
            "--geojson",
            "-",
        ])
        .output()
        .unwrap();
    let fc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let legs = features(&fc, "leg");
    assert_eq!(
        legs[0]["geometry"]["coordinates"].as_array().unwrap().len(),
        7
    );
}

#[test]
fn committed_example_is_what_the_main_command_writes() {
    // The README's main command writes output/kim-2023.geojson; regenerate it
    // with that command when the gazetteer changes.
    let env = Env::new();
    let fresh = seed_geojson(&env);
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("output/kim-2023.geojson"))
            .expect("committed example"),
    )
    .unwrap();
    if let Some(diff) = first_difference(&fresh, &committed) {
        panic!("rerun the README's main command and commit output/kim-2023.geojson (fresh vs committed at {diff})");
    }
}

#[test]
fn table_lists_legs_with_cumulative_and_bearing() {
    let env = Env::new();
    let out = env.cmd().arg("route").args(SEED).output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("from")
            && lines[0].contains("cumulative")
            && lines[0].contains("bearing")
    );
    assert!(
        lines[1].contains("Pyongyang")
            && lines[1].contains("Khasan")
            && lines[1].contains("559 km")
    );
    assert!(lines[3].starts_with("total"), "{text}");
}

#[test]
fn units_and_json() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Pyongyang", "Khasan", "--units", "nmi", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["units"], "nmi");
    let r = references()
        .into_iter()
        .find(|r| r.name == "seed:pyongyang:khasan")
        .unwrap();
    let nmi = v["legs"][0]["distance"].as_f64().unwrap();
    assert!((nmi - r.s12 / 1852.0).abs() < 1e-5, "{nmi}");
    // The first stop is 0 along the route, printed as 0, never "-0".
    assert_eq!(v["stops"][0]["cumulative"].as_f64(), Some(0.0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(":-0.0") && !text.contains(":-0,"), "{text}");
}

#[test]
fn coordinate_stops_and_antimeridian_split() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "53.0,158.65", "61.22,-149.9", "--geojson", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let fc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let route = &features(&fc, "route")[0];
    assert_eq!(route["geometry"]["type"], "MultiLineString");
    let bbox = fc["bbox"].as_array().unwrap();
    assert!(
        bbox[0].as_f64().unwrap() > bbox[2].as_f64().unwrap(),
        "west > east across 180°"
    );
    let r = references()
        .into_iter()
        .find(|r| r.name == "across-antimeridian")
        .unwrap();
    let km = route["properties"]["distance_km"].as_f64().unwrap();
    assert!((km * 1000.0 - r.s12).abs() <= 0.001);
    // The table goes to stderr when GeoJSON takes stdout.
    assert!(stderr(&out).contains("total"));
}

#[test]
fn repeated_stop_warns_and_gives_zero_leg() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Pyongyang", "Pyongyang", "Khasan", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("warning: stop 2 repeats stop 1"),
        "{}",
        stderr(&out)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["legs"][0]["distance"], 0.0);
}

#[test]
fn user_gazetteer_places_win() {
    let env = Env::new();
    env.write(
        "mine.tsv",
        "name\talt_names\tlat\tlon\tkind\nKhasan\tMy Khasan\t10.5\t20.25\tlandmark\n",
    );
    let out = env
        .cmd()
        .args([
            "--gazetteer",
            "mine.tsv",
            "route",
            "Khasan",
            "Pyongyang",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stops"][0]["lat"], 10.5);
    assert_eq!(v["stops"][0]["lon"], 20.25);
}

#[test]
fn title_names_the_route() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "route",
            "Moscow",
            "Tokyo",
            "--title",
            "Test trip",
            "--geojson",
            "-",
        ])
        .output()
        .unwrap();
    let fc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(features(&fc, "route")[0]["properties"]["name"], "Test trip");
}

#[test]
fn seed_stops_are_within_a_few_km_of_published_positions() {
    // Published coordinates, independent of the curated file:
    // Pyongyang 39°01′10″N 125°44′17″E (Wikipedia infobox),
    // Khasan 42°25′N 130°39′E (Wikipedia infobox, to the minute),
    // Vostochny Cosmodrome 51°53′N 128°20′E (Wikipedia infobox, to the minute).
    let published = [(39.0194, 125.7381), (42.4167, 130.65), (51.8833, 128.3333)];
    let env = Env::new();
    let fc = seed_geojson(&env);
    for (stop, (lat, lon)) in features(&fc, "stop").iter().zip(published) {
        let c = &stop["geometry"]["coordinates"];
        let here = geo::Point::new(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let d = routemap::geodesy::distance_m(here, geo::Point::new(lon, lat));
        assert!(
            d < 5_000.0,
            "{} is {d:.0} m from its published position",
            stop["properties"]["name"]
        );
    }
}

#[test]
fn distance_command_matches_geographiclib() {
    let r = references()
        .into_iter()
        .find(|r| r.name == "moscow-vladivostok")
        .unwrap();
    let env = Env::new();
    let a = format!("{},{}", r.lat1, r.lon1);
    let b = format!("{},{}", r.lat2, r.lon2);
    let out = env
        .cmd()
        .args(["distance", &a, &b, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((v["distance_m"].as_f64().unwrap() - r.s12).abs() <= 0.001);
    assert!((v["initial_bearing_deg"].as_f64().unwrap() - r.azi1).abs() < 1e-5);
    let out = env
        .cmd()
        .args(["distance", "Pyongyang", "Vladivostok"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.starts_with("Pyongyang → Vladivostok: "), "{text}");
    assert!(text.contains("initial bearing") && text.contains("final bearing"));
}

#[test]
fn gazetteer_list_and_search() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["gazetteer", "list", "--kind", "country"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    for name in ["North Korea", "Russia", "Uruguay"] {
        assert!(
            text.lines().any(|l| l.split('\t').nth(1) == Some(name)),
            "{name} missing"
        );
    }
    assert!(text
        .lines()
        .skip(1)
        .all(|l| l.split('\t').nth(4) == Some("country")));
    let out = env
        .cmd()
        .args(["gazetteer", "search", "Chabarowsk"])
        .output()
        .unwrap();
    assert!(stdout(&out).lines().next().unwrap().contains("Khabarovsk"));
}

#[test]
fn negative_coordinates_are_stops_not_flags() {
    // Jakarta to Cape Town: both in the southern hemisphere.
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "-6.2,106.8", "-33.9249,18.4241", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stops"][0]["lat"], -6.2);
    let out = env
        .cmd()
        .args(["distance", "-6.2,106.8", "-33.9249,18.4241"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A stop found only through a typo is named in a warning; two typos are
/// refused with suggestions.
#[test]
fn typo_stops_warn_or_are_refused() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Vladivostk", "Khabarovsk"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("stop 1: no place is called \"Vladivostk\"; took the closest name, \"Vladivostok\": Vladivostok (Primorsky Krai, RU)"),
        "{err}"
    );
    let out = env
        .cmd()
        .args(["route", "Vladiwostk", "Khabarovsk"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown place \"Vladiwostk\": did you mean Vladivostok"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
