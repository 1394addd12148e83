//! Behaviour of rail routing on the hand-written fixtures (`tests/fixtures/rail/`),
//! the real OpenStreetMap extracts (`../shared/fixtures/osm/`) and the built-in
//! corridors. Expected lengths come from GeographicLib's `GeodSolve` or from
//! published railway kilometre posts, never from this code.

use std::path::PathBuf;

use geo::{Bearing, Distance, Geodesic, Length, Point};

use super::graph::deviation;
use super::*;

fn fixture(name: &str) -> RailNetwork {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rail")
        .join(name);
    RailNetwork::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn stop(name: &str, lon: f64, lat: f64) -> RailStop {
    RailStop::named(name, Point::new(lon, lat))
}

/// The sharpest change of direction along `leg.path`, ignoring the reversal points
/// the leg reports and vertex pairs too short to have a direction.
fn sharpest_turn(leg: &RailLeg) -> f64 {
    let pts: Vec<Point> = leg.path.points().collect();
    let mut kept: Vec<Point> = vec![pts[0]];
    for p in &pts[1..] {
        if Geodesic.distance(*kept.last().unwrap(), *p) >= 0.5 {
            kept.push(*p);
        }
    }
    let mut worst: f64 = 0.0;
    for w in kept.windows(3) {
        if leg
            .reversals
            .iter()
            .any(|r| Geodesic.distance(r.point, w[1]) < 0.01)
        {
            continue;
        }
        let arrive = Geodesic.bearing(w[1], w[0]) + 180.0;
        let depart = Geodesic.bearing(w[1], w[2]);
        worst = worst.max(deviation(arrive, depart));
    }
    worst
}

fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

mod fixtures {
    use super::*;

    #[test]
    fn wye_goes_round_the_loop_instead_of_reversing() {
        let n = fixture("wye.osm");
        let legs = n
            .route(
                &[stop("Eastfield", 10.07, 50.0), stop("North", 10.055, 50.08)],
                &RailOptions::default(),
            )
            .unwrap();
        let leg = &legs[0];
        assert!(leg.reversals.is_empty(), "{:?}", leg.reversals);
        assert_eq!(leg.stations, ["Eastfield", "Loop", "North"]);
        // The halt on the loop is passed at its own node (10.117 E, 50.022 N).
        assert_close(leg.station_points[1].x(), 10.117, 1e-9, "Loop lon");
        assert_close(leg.station_points[1].y(), 50.022, 1e-9, "Loop lat");
        assert!(sharpest_turn(leg) <= 45.0, "{}", sharpest_turn(leg));
        // Reversing at the junction would be about 11.3 km; round the loop about 13.6.
        assert!(
            leg.length_m > 13_000.0 && leg.length_m < 14_500.0,
            "{}",
            leg.length_m
        );
    }

    #[test]
    fn wye_without_a_legal_path_fails_clearly() {
        let n = fixture("wye.osm");
        let opts = RailOptions {
            max_turn_deg: 20.0,
            ..RailOptions::default()
        };
        let e = n
            .route(
                &[stop("Eastfield", 10.07, 50.0), stop("North", 10.055, 50.08)],
                &opts,
            )
            .unwrap_err();
        assert!(matches!(e, RailError::Unreachable { .. }));
        assert!(e.to_string().contains("turn sharper than 20°"), "{e}");
    }

    #[test]
    fn the_other_way_round_the_wye_is_direct() {
        // Westend → North takes the branch forward at the junction: legal, no loop.
        let n = fixture("wye.osm");
        let legs = n
            .route(
                &[stop("Westend", 10.0, 50.0), stop("North", 10.055, 50.08)],
                &RailOptions::default(),
            )
            .unwrap();
        assert!(!legs[0].stations.contains(&"Loop".to_string()));
        assert!(sharpest_turn(&legs[0]) <= 45.0);
    }

    #[test]
    fn yard_track_is_not_preferred() {
        let n = fixture("yard.osm");
        let legs = n
            .route(
                &[stop("West", 9.98, 50.0), stop("East", 10.10, 50.0)],
                &RailOptions::default(),
            )
            .unwrap();
        assert_eq!(legs[0].stations, ["West", "Hill", "East"]);
        // GeodSolve: 2 × 1581.533 + 2 × 1450.863 m round the hill, plus 2 × 1433.915 m
        // (10.00→9.98 and 10.08→10.10 along 50° N).
        assert_close(
            legs[0].length_m,
            6064.792 + 2.0 * 1433.915,
            1.0,
            "main line length",
        );
    }

    #[test]
    fn yard_track_is_used_as_a_last_resort() {
        let n = fixture("yard.osm");
        let legs = n
            .route(
                &[
                    stop("West", 9.98, 50.0),
                    RailStop::at(Point::new(10.04, 50.0)),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        assert!(legs[0].length_m < 5_000.0, "{}", legs[0].length_m);
    }

    #[test]
    fn break_of_gauge_is_reported_and_can_be_refused() {
        let n = fixture("gauge.osm");
        let stops = [stop("Left", 130.0, 42.0), stop("Right", 130.25, 42.0)];
        let legs = n.route(&stops, &RailOptions::default()).unwrap();
        assert_eq!(legs[0].gauges_mm, [1435, 1520]);
        assert_eq!(legs[0].stations, ["Left", "Border", "Right"]);
        // GeodSolve: 5 × 4142.538020 m along 42° N.
        assert_close(legs[0].length_m, 5.0 * 4142.538020, 0.01, "Left to Right");
        // Standard gauge ends 8.3 km before Right.
        let std = RailOptions {
            gauge: Some(1435),
            snap_km: 5.0,
            ..RailOptions::default()
        };
        let e = n.route(&stops, &std).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("stop \"Right\" is 8.3 km from the nearest usable track"),
            "{e}"
        );
        // Broad gauge runs from the border, over the dual-gauge section.
        let broad = RailOptions {
            gauge: Some(1520),
            ..RailOptions::default()
        };
        let legs = n
            .route(
                &[stop("Border", 130.1, 42.0), stop("Right", 130.25, 42.0)],
                &broad,
            )
            .unwrap();
        assert_eq!(legs[0].gauges_mm, [1435, 1520]);
        let to_border = n
            .route(
                &[stop("Left", 130.0, 42.0), stop("Border", 130.1, 42.0)],
                &std,
            )
            .unwrap();
        assert_eq!(to_border[0].gauges_mm, [1435]);
    }

    #[test]
    fn disconnected_networks_are_unreachable() {
        let n = fixture("disconnected.osm");
        let e = n
            .route(
                &[stop("Alpha", 10.0, 50.0), stop("Omega", 10.2, 50.2)],
                &RailOptions::default(),
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no rail route from \"Alpha\" to \"Omega\" on disconnected.osm: the track is not connected or would need a turn sharper than 45° or a reversal away from a terminus"
        );
    }

    #[test]
    fn station_off_the_track_snaps_to_the_track() {
        let n = fixture("offtrack.osm");
        let legs = n
            .route(
                &[stop("Start", 10.0, 50.0), stop("Offtown", 10.1, 50.01)],
                &RailOptions::default(),
            )
            .unwrap();
        let to = &legs[0].to;
        assert!(to.by_name);
        assert_eq!(to.station.as_deref(), Some("Offtown"));
        assert_close(to.point.x(), 10.1, 1e-5, "snapped lon");
        assert_close(to.point.y(), 50.0, 1e-5, "snapped lat");
        assert_eq!(legs[0].stations, ["Start", "Offtown"]);
    }

    #[test]
    fn stations_passed_come_with_their_point_on_the_track() {
        let n = fixture("offtrack.osm");
        let legs = n
            .route(
                &[stop("Start", 10.0, 50.0), stop("Finish", 10.15, 50.0)],
                &RailOptions::default(),
            )
            .unwrap();
        let leg = &legs[0];
        assert_eq!(leg.stations, ["Start", "Offtown", "Finish"]);
        // Offtown's node stands 334 m north of the track (lat 50.003): it is
        // passed where the track is, at the nearest track node (10.1, 50.0).
        let want = [(10.0, 50.0), (10.1, 50.0), (10.15, 50.0)];
        assert_eq!(leg.station_points.len(), want.len());
        for (p, (lon, lat)) in leg.station_points.iter().zip(want) {
            assert_close(p.x(), lon, 1e-9, "station lon");
            assert_close(p.y(), lat, 1e-9, "station lat");
            assert!(leg.path.points().any(|q| q == *p), "{p:?} not on the path");
        }
    }

    #[test]
    fn stop_too_far_from_track_names_stop_and_distance() {
        let n = fixture("offtrack.osm");
        // 0.1° of latitude north of the track: GeodSolve gives 11.1 km.
        let e = n
            .route(
                &[stop("Start", 10.0, 50.0), stop("Nowhere", 10.05, 50.1)],
                &RailOptions::default(),
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "stop \"Nowhere\" is 11.1 km from the nearest usable track of offtrack.osm (limit 10 km): raise --snap-km or use another rail network"
        );
        let wide = RailOptions {
            snap_km: 12.0,
            ..RailOptions::default()
        };
        assert!(n
            .route(
                &[stop("Start", 10.0, 50.0), stop("Nowhere", 10.05, 50.1)],
                &wide
            )
            .is_ok());
    }

    #[test]
    fn bad_options_and_too_few_stops() {
        let n = fixture("offtrack.osm");
        let one = [stop("Start", 10.0, 50.0)];
        assert!(matches!(
            n.route(&one, &RailOptions::default()),
            Err(RailError::TooFewStops { count: 1 })
        ));
        let two = [stop("Start", 10.0, 50.0), stop("Finish", 10.15, 50.0)];
        let bad = RailOptions {
            snap_km: f64::NAN,
            ..RailOptions::default()
        };
        assert!(n
            .route(&two, &bad)
            .unwrap_err()
            .to_string()
            .starts_with("invalid rail option snap_km"));
    }

    #[test]
    fn a_stop_with_no_real_coordinates_is_an_error_not_a_panic() {
        let n = fixture("gauge.osm");
        for bad in [f64::NAN, f64::INFINITY, 200.0] {
            let stops = [
                stop("Left", 130.0, 42.0),
                RailStop::at(Point::new(bad, 42.0)),
            ];
            let e = n.route(&stops, &RailOptions::default()).unwrap_err();
            assert!(
                matches!(e, RailError::BadOption { name: "stop", .. }),
                "{e}"
            );
        }
    }

    #[test]
    fn graph_file_round_trips_and_rejects_damage() {
        let n = fixture("gauge.osm");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.rmrail");
        std::fs::write(&file, n.to_bytes()).unwrap();
        let back = RailNetwork::from_path(&file).unwrap();
        let stops = [stop("Left", 130.0, 42.0), stop("Right", 130.2, 42.0)];
        let (a, b) = (
            n.route(&stops, &RailOptions::default()).unwrap(),
            back.route(&stops, &RailOptions::default()).unwrap(),
        );
        assert_eq!(a, b);
        // The index travels with the graph: nothing to rebuild on the first query.
        assert!(back.index.get().is_some());
        let good = std::fs::read(&file).unwrap();
        let mut bytes = good.clone();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        std::fs::write(&file, &bytes).unwrap();
        let e = RailNetwork::from_path(&file).unwrap_err();
        assert!(matches!(e, RailError::DamagedGraphFile { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("is damaged (checksum mismatch); rebuild it with `routemap rail build"),
            "{e}"
        );
        std::fs::write(&file, &good[..good.len() / 2]).unwrap();
        assert!(RailNetwork::from_path(&file).is_err());
        // A file whose checksum matches but whose values are unusable (a NaN
        // coordinate) is refused before the R-tree or indexing can see it.
        std::fs::write(&file, &good).unwrap();
        let (mut graph, index) = store::load(&file).unwrap();
        graph.verts[0][0] = f64::NAN;
        std::fs::write(&file, store::to_bytes(&graph, &index)).unwrap();
        let e = RailNetwork::from_path(&file).unwrap_err();
        assert!(matches!(e, RailError::BadGraphFile { .. }), "{e}");
    }

    #[test]
    fn unreadable_and_malformed_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.osm");
        std::fs::write(&bad, "<osm><node id=\"1\" lat=\"x\" lon=\"2\"/></osm>").unwrap();
        assert!(RailNetwork::from_path(&bad)
            .unwrap_err()
            .to_string()
            .contains("lacks a numeric id, lat or lon"));
        let empty = dir.path().join("empty.osm");
        std::fs::write(&empty, "<osm></osm>").unwrap();
        assert!(matches!(
            RailNetwork::from_path(&empty),
            Err(RailError::EmptyNetwork { .. })
        ));
        let pbf = dir.path().join("junk.osm.pbf");
        std::fs::write(&pbf, "not a pbf at all").unwrap();
        assert!(RailNetwork::from_path(&pbf).is_err());
        let odd = dir.path().join("x.shp");
        std::fs::write(&odd, "x").unwrap();
        assert!(matches!(
            RailNetwork::from_path(&odd),
            Err(RailError::UnknownFormat { .. })
        ));
    }

    #[test]
    fn tram_track_only_with_the_flag() {
        use geo::line_string;
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "tram".into(),
            source: String::new(),
            approximate: false,
        });
        b.add_track(
            &line_string![(x: 10.0, y: 50.0), (x: 10.05, y: 50.0)],
            TrackKind::Main,
            &[1435],
        );
        b.add_track(
            &line_string![(x: 10.05, y: 50.0), (x: 10.1, y: 50.0)],
            TrackKind::TramSubway,
            &[1435],
        );
        let n = b.build().unwrap();
        let stops = [
            RailStop::at(Point::new(10.0, 50.0)),
            RailStop::at(Point::new(10.1, 50.0)),
        ];
        let near = RailOptions {
            snap_km: 1.0,
            ..RailOptions::default()
        };
        let e = n.route(&stops, &near).unwrap_err();
        assert!(matches!(e, RailError::TooFar { .. }), "{e}");
        let with = RailOptions {
            include_tram_subway: true,
            ..near
        };
        let legs = n.route(&stops, &with).unwrap();
        // GeodSolve: 2 × 3584.788 m along 50° N (0.05° steps).
        assert_close(
            legs[0].length_m,
            2.0 * 3584.788,
            0.01,
            "over the tram track",
        );
    }

    #[test]
    fn geojson_lines_build_a_network() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lines.geojson");
        std::fs::write(
            &file,
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"gauge":"1435"},"geometry":{"type":"LineString","coordinates":[[130.0,42.0],[130.05,42.0],[130.1,42.0]]}},
              {"type":"Feature","properties":{"gauge":"1520"},"geometry":{"type":"LineString","coordinates":[[130.1,42.0],[130.15,42.0]]}},
              {"type":"Feature","properties":{"railway":"abandoned"},"geometry":{"type":"LineString","coordinates":[[130.15,42.0],[130.3,42.0]]}},
              {"type":"Feature","properties":{"name":"Mid"},"geometry":{"type":"Point","coordinates":[130.1,42.0]}}]}"#,
        )
        .unwrap();
        let n = RailNetwork::from_path(&file).unwrap();
        let legs = n
            .route(
                &[
                    stop("Mid", 130.1, 42.0),
                    RailStop::at(Point::new(130.0, 42.0)),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        assert_close(
            legs[0].length_m,
            2.0 * 4142.538020,
            0.01,
            "Mid to the west end",
        );
        assert_eq!(legs[0].stations, ["Mid"]);
        let e = n.route(
            &[
                stop("Mid", 130.1, 42.0),
                RailStop::at(Point::new(130.3, 42.0)),
            ],
            &RailOptions::default(),
        );
        assert!(
            matches!(e, Err(RailError::TooFar { .. })),
            "the abandoned line is not track"
        );
    }
}

/// The real extracts live beside the project (`../shared/fixtures/osm`, or the
/// folder `ROUTEMAP_OSM_FIXTURES` names); skip (or fail in CI) when absent.
fn real_extract(name: &str) -> Option<RailNetwork> {
    let dir = std::env::var_os("ROUTEMAP_OSM_FIXTURES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/osm"),
        PathBuf::from,
    );
    let path = dir.join(name);
    if !path.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is missing, and CI=true requires it",
            path.display()
        );
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    Some(RailNetwork::from_path(&path).unwrap())
}

mod real_extracts {
    use super::*;

    #[test]
    fn erfurt_to_halle_ammendorf_follows_the_high_speed_line() {
        let Some(n) = real_extract("vde8.2-rail.osm.pbf") else {
            return;
        };
        let legs = n
            .route(
                &[
                    stop("Erfurt Hbf", 11.038, 50.973),
                    stop("Halle-Ammendorf", 11.99, 51.43),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        let leg = &legs[0];
        // Published kilometre posts (Neubaustrecke Erfurt–Leipzig/Halle, line 5919/6394):
        // Erfurt Hbf km 191.078, Planena junction km 274.384, then 3.614 km on line 6394
        // to Halle-Ammendorf: 86.920 km. The old line via Weimar and Naumburg is longer.
        assert_close(
            leg.length_m / 1000.0,
            86.920,
            0.03 * 86.920,
            "Erfurt Hbf to Halle-Ammendorf",
        );
        assert!(
            !leg.stations
                .iter()
                .any(|s| s == "Weimar" || s.starts_with("Naumburg")),
            "{:?}",
            leg.stations
        );
        assert!(leg.reversals.is_empty());
        assert!(sharpest_turn(leg) <= 45.0, "{}", sharpest_turn(leg));
    }

    #[test]
    fn every_turn_on_many_routes_is_legal() {
        for file in ["vde8.2-rail.osm.pbf", "cologne-railway.osm.pbf"] {
            let Some(n) = real_extract(file) else { return };
            let names: Vec<String> = n.station_names().map(str::to_string).collect();
            let points: Vec<[f64; 2]> = n.graph.stations.iter().map(|s| s.lonlat).collect();
            let mut routed = 0;
            // Pairs of stations spread over the extract.
            let step = (names.len() / 12).max(1);
            for i in (0..names.len()).step_by(step) {
                for j in (0..names.len()).step_by(step * 2) {
                    if names[i] == names[j] {
                        continue;
                    }
                    let stops = [
                        stop(&names[i], points[i][0], points[i][1]),
                        stop(&names[j], points[j][0], points[j][1]),
                    ];
                    let Ok(legs) = n.route(&stops, &RailOptions::default()) else {
                        continue;
                    };
                    routed += 1;
                    for leg in &legs {
                        let t = sharpest_turn(leg);
                        assert!(
                            t <= 45.0 + 1e-6,
                            "{file}: {} → {}: turn of {t}°",
                            names[i],
                            names[j]
                        );
                        assert!(leg.reversals.len() <= 2);
                    }
                }
            }
            assert!(routed >= 20, "{file}: only {routed} routes found");
        }
    }

    #[test]
    fn cologne_to_bonn_takes_the_main_line_unless_light_rail_is_asked_for() {
        let Some(n) = real_extract("cologne-railway.osm.pbf") else {
            return;
        };
        let stops = [
            stop("Köln Hbf", 6.959, 50.943),
            stop("Bonn Hbf", 7.097, 50.732),
        ];
        let main = n.route(&stops, &RailOptions::default()).unwrap().remove(0);
        // The left-bank main line (KBS 470/475) passes Brühl; the Stadtbahn
        // (line 16, railway=light_rail) runs by the Rhine through Wesseling.
        assert!(
            main.stations.iter().any(|s| s == "Brühl"),
            "{:?}",
            main.stations
        );
        assert!(
            !main.stations.iter().any(|s| s.starts_with("Wesseling")),
            "{:?}",
            main.stations
        );
        let with_light_rail = RailOptions {
            include_light_rail: true,
            ..RailOptions::default()
        };
        // Wesseling Süd is a Stadtbahn stop: with light rail the route runs
        // along the Stadtbahn through Rodenkirchen, without it it does not.
        let (name, p) = n.station("Wesseling Süd").unwrap();
        let to_wesseling = [stops[0].clone(), stop(name, p.x(), p.y())];
        let light = n.route(&to_wesseling, &with_light_rail).unwrap().remove(0);
        assert!(
            light.stations.iter().any(|s| s == "Rodenkirchen Bahnhof"),
            "{:?}",
            light.stations
        );
        let no_light = n.route(&to_wesseling, &RailOptions::default());
        assert!(no_light.map_or(true, |l| !l[0]
            .stations
            .iter()
            .any(|s| s == "Rodenkirchen Bahnhof")));
    }

    #[test]
    fn cologne_hbf_to_messe_deutz_crosses_the_rhine() {
        let Some(n) = real_extract("cologne-railway.osm.pbf") else {
            return;
        };
        let legs = n
            .route(
                &[
                    stop("Köln Hbf", 6.959, 50.943),
                    stop("Köln Messe/Deutz", 6.975, 50.941),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        // A sanity bound only: the stations are about 1.1 km apart across the Rhine;
        // any path not over the Hohenzollern Bridge would be several km.
        assert!(
            legs[0].length_m > 900.0 && legs[0].length_m < 2_500.0,
            "{}",
            legs[0].length_m
        );
        assert!(sharpest_turn(&legs[0]) <= 45.0);
    }
}

/// The corridor files on their own, as the built-in network was before it had
/// real track: their readers, kilometre posts and turns.
mod corridors {
    use super::*;

    fn corridors() -> RailNetwork {
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "corridors".into(),
            source: String::new(),
            approximate: true,
        });
        for (file, text) in corridor::BUILTIN {
            corridor::read(&mut b, file, text).unwrap();
        }
        b.build().unwrap()
    }

    fn km(n: &RailNetwork, a: (&str, f64, f64), b: (&str, f64, f64)) -> f64 {
        let legs = n
            .route(
                &[stop(a.0, a.1, a.2), stop(b.0, b.1, b.2)],
                &RailOptions::default(),
            )
            .unwrap();
        legs[0].length_m / 1000.0
    }

    // lon, lat of the stops as a user would give them (GeoNames city points).
    const PYONGYANG: (&str, f64, f64) = ("Pyongyang", 125.75432, 39.03385);
    const KHASAN: (&str, f64, f64) = ("Khasan", 130.6453, 42.4281);
    const VOSTOCHNY: (&str, f64, f64) = ("Vostochny Cosmodrome", 128.3339, 51.8844);
    const VLADIVOSTOK: (&str, f64, f64) = ("Vladivostok", 131.87353, 43.10562);
    const USSURIYSK: (&str, f64, f64) = ("Ussuriysk", 131.95734, 43.80467);
    const KHABAROVSK: (&str, f64, f64) = ("Khabarovsk", 135.0971, 48.46204);
    const BELOGORSK: (&str, f64, f64) = ("Belogorsk", 128.51238, 50.91239);

    #[test]
    fn seed_journey_follows_the_railway() {
        let n = corridors();
        let stops = [
            stop(PYONGYANG.0, PYONGYANG.1, PYONGYANG.2),
            stop(KHASAN.0, KHASAN.1, KHASAN.2),
            stop(VOSTOCHNY.0, VOSTOCHNY.1, VOSTOCHNY.2),
        ];
        let legs = n.route(&stops, &RailOptions::default()).unwrap();
        assert_eq!(legs.len(), 2);
        for (leg, w) in legs.iter().zip(stops.windows(2)) {
            assert!(
                leg.length_m > Geodesic.distance(w[0].point, w[1].point),
                "a rail leg is longer than the geodesic"
            );
            assert!(leg.reversals.is_empty());
            assert!(sharpest_turn(leg) <= 45.0);
        }
        for s in [
            "Pyongyang",
            "Hamhung",
            "Kimchaek",
            "Chongjin",
            "Rajin",
            "Tumangang",
            "Khasan",
        ] {
            assert!(
                legs[0].stations.iter().any(|x| x == s),
                "leg 1 passes {s}: {:?}",
                legs[0].stations
            );
        }
        for s in [
            "Khasan",
            "Baranovsky",
            "Ussuriysk",
            "Khabarovsk",
            "Birobidzhan",
            "Belogorsk",
            "Svobodny",
            "Ledyanaya",
            "Tsiolkovsky",
            "Vostochny Cosmodrome",
        ] {
            assert!(
                legs[1].stations.iter().any(|x| x == s),
                "leg 2 passes {s}: {:?}",
                legs[1].stations
            );
        }
        assert!(
            !legs[1].stations.iter().any(|x| x == "Vladivostok"),
            "no detour to Vladivostok"
        );
        // The break of gauge at the border: standard gauge to Tumangang, dual gauge on to
        // Khasan, Russian gauge beyond.
        assert_eq!(legs[0].gauges_mm, [1435, 1520]);
        assert_eq!(legs[1].gauges_mm, [1520]);
        // Distances add up: via Khasan equals straight through (Khasan is on the way).
        let through = km(&n, PYONGYANG, VOSTOCHNY);
        assert_close(
            legs[0].length_m / 1000.0 + legs[1].length_m / 1000.0,
            through,
            0.001,
            "sum of legs",
        );
    }

    const RAJIN: (&str, f64, f64) = ("Rajin", 130.28308, 42.25559);
    const BARANOVSKY: (&str, f64, f64) = ("Baranovsky", 131.92722, 43.64556);
    const BIROBIDZHAN: (&str, f64, f64) = ("Birobidzhan", 132.92033, 48.793);
    const KOMSOMOLSK: (&str, f64, f64) = ("Komsomolsk-on-Amur", 137.00995, 50.55034);
    const LESOZAVODSK: (&str, f64, f64) = ("Lesozavodsk", 133.39827, 45.47171);
    const KOWON: (&str, f64, f64) = ("Kowon", 127.24306, 39.43806);
    const KUMYA: (&str, f64, f64) = ("Kumya", 127.2491, 39.5409);
    const HAMHUNG: (&str, f64, f64) = ("Hamhung", 127.53639, 39.91833);
    const KILJU: (&str, f64, f64) = ("Kilju", 129.32778, 40.96417);

    /// Published distances between stations: (from, to, km, shortfall of the drawn
    /// line, whether the figure is independent of the corridors' km column).
    ///
    /// Trans-Siberian km posts from Moscow: Vladivostok 9288, Ussuriysk 9177,
    /// Khabarovsk 8521, Belogorsk 7873; Baranovsky 9200 (ru.wikipedia Барановский
    /// (станция)); Birobidzhan I 8351 (Tariff guide No. 4, section 96-014, as listed by
    /// milreview.ru); Ruzhino (Lesozavodsk) 8938 (Russian Railways). Korea: Pyongyang
    /// station 850 km to Khasan (ru.wikipedia Пхеньян (станция)), Rajin 802 km from
    /// Pyongyang (ru.wikipedia Наджин (станция)), former Hamgyong Line km from Wonsan
    /// (en.wikipedia Hamgyong line): Kowon 42.0, Yonghung (now Kumya) 54.4, Hamhung
    /// 123.9, Kilju 397.2. Khasan station: 260 km to Ussuriysk, 54 km to Rajin, the
    /// Baranovsky–Khasan line 238 km (ru.wikipedia Хасан (станция)). Khabarovsk I –
    /// Volochayevka II 44 km (ru.wikipedia Хабаровск I); Volochayevka II – Komsomolsk
    /// 330 km (Far Eastern Railway, reported by «Восход» of Vanino).
    type Station = (&'static str, f64, f64);
    const PUBLISHED: &[(Station, Station, f64, f64, bool)] = &[
        (VLADIVOSTOK, KHABAROVSK, 9288.0 - 8521.0, 0.12, false),
        (KHABAROVSK, BELOGORSK, 8521.0 - 7873.0, 0.10, false),
        (VLADIVOSTOK, USSURIYSK, 9288.0 - 9177.0, 0.24, false),
        (VLADIVOSTOK, BARANOVSKY, 9288.0 - 9200.0, 0.24, false),
        (KHABAROVSK, BIROBIDZHAN, 8521.0 - 8351.0, 0.05, false),
        (VLADIVOSTOK, LESOZAVODSK, 9288.0 - 8938.0, 0.13, false),
        (LESOZAVODSK, KHABAROVSK, 8938.0 - 8521.0, 0.11, false),
        (KHASAN, USSURIYSK, 260.0, 0.24, true),
        (KHASAN, BARANOVSKY, 238.0, 0.24, false),
        (RAJIN, KHASAN, 54.0, 0.31, true),
        (PYONGYANG, KHASAN, 850.0, 0.24, true),
        (PYONGYANG, RAJIN, 802.0, 0.23, false),
        (KOWON, KUMYA, 54.4 - 42.0, 0.10, false),
        (KOWON, HAMHUNG, 123.9 - 42.0, 0.27, false),
        (HAMHUNG, KILJU, 397.2 - 123.9, 0.25, false),
        (KHABAROVSK, KOMSOMOLSK, 44.0 + 330.0, 0.14, true),
    ];

    /// Along-track distances come from the lines' kilometre posts, so they match the
    /// published figures: to 0.5 % where the figure is made of the posts the corridor
    /// files carry, to 3 % where it is an independent figure (a station article's
    /// distance, which also crosses a stretch without posts: Tumangang – Khasan and
    /// Khabarovsk – Volochayevka II).
    #[test]
    fn corridor_distances_match_published_distances() {
        let n = corridors();
        for &(a, b, published, _, independent) in PUBLISHED {
            let got = km(&n, a, b);
            let tol = if independent { 0.03 } else { 0.005 };
            assert!(
                (got - published).abs() <= published * tol,
                "{} → {}: corridor {got:.1} km, published {published} km",
                a.0,
                b.0
            );
        }
    }

    /// The drawn line runs straight between points that are kilometres apart, so it is
    /// shorter than the real track; how much shorter says how far it strays from it.
    /// The shortfall allowed per section is what the data has today (documented in
    /// gazetteer/rail/README.md, *Accuracy*), so better geometry can only tighten it;
    /// the goal is 5 % everywhere. A drawn line may never be longer than the track.
    #[test]
    fn corridor_geometry_against_published_distances() {
        let n = corridors();
        for &(a, b, published, short_by, _) in PUBLISHED {
            let legs = n
                .route(
                    &[stop(a.0, a.1, a.2), stop(b.0, b.1, b.2)],
                    &RailOptions::default(),
                )
                .unwrap();
            let drawn = Geodesic.length(&legs[0].path) / 1000.0;
            assert!(
                drawn <= published * 1.01 && drawn >= published * (1.0 - short_by),
                "{} → {}: drawn {drawn:.0} km, published {published} km",
                a.0,
                b.0
            );
        }
    }

    #[test]
    fn komsomolsk_is_reached_from_the_west_through_the_wye() {
        let n = corridors();
        let legs = n
            .route(
                &[
                    stop(BELOGORSK.0, BELOGORSK.1, BELOGORSK.2),
                    stop("Komsomolsk-on-Amur", 137.00995, 50.55034),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        assert!(legs[0].reversals.is_empty());
        assert!(
            !legs[0].stations.iter().any(|s| s == "Khabarovsk"),
            "{:?}",
            legs[0].stations
        );
    }

    #[test]
    fn no_corridor_bends_sharper_than_a_train_may_turn() {
        // A bend over the default limit would make a line silently unusable.
        let n = corridors();
        let g = &n.graph;
        for s in 0..g.segment_count() {
            let r = g.seg_range(s);
            let (a, b) = (g.verts[r.start], g.verts[r.end - 1]);
            assert!(
                g.seg_kink[s] as f64 <= 40.0,
                "a {:.0}° bend between ({}, {}) and ({}, {})",
                g.seg_kink[s],
                a[1],
                a[0],
                b[1],
                b[0]
            );
        }
    }

    #[test]
    fn a_place_off_the_corridors_goes_to_the_nearest_station() {
        let n = corridors();
        // Artyom (GeoNames 2027456), 12 km from the nearest corridor station,
        // Ugolnaya; beyond the 5 km track snap, within the 30 km station snap.
        let legs = n
            .route(
                &[
                    stop("Artyom", 132.19137, 43.35757),
                    stop(USSURIYSK.0, USSURIYSK.1, USSURIYSK.2),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        assert_eq!(legs[0].from.station.as_deref(), Some("Ugolnaya"));
        assert!(!legs[0].from.by_name);
        let far = n.route(
            &[
                stop("Moscow", 37.61556, 55.75222),
                stop(USSURIYSK.0, USSURIYSK.1, USSURIYSK.2),
            ],
            &RailOptions::default(),
        );
        assert!(matches!(far, Err(RailError::TooFar { .. })));
    }

    #[test]
    fn stops_match_stations_by_name_and_report_the_network() {
        let n = corridors();
        assert!(n.info().approximate);
        let legs = n
            .route(
                &[stop("khasan", 130.7, 42.4), stop("USSURIYSK", 131.9, 43.8)],
                &RailOptions::default(),
            )
            .unwrap();
        assert!(legs[0].from.by_name && legs[0].to.by_name);
        assert_eq!(legs[0].from.station.as_deref(), Some("Khasan"));
        // The corridor stations stand where their sources put them.
        assert_close(legs[0].from.point.y(), 42.42806, 1e-6, "Khasan lat");
        assert_close(legs[0].from.point.x(), 130.64528, 1e-6, "Khasan lon");
    }
}

/// The built-in network on real track. Expected figures are published railway
/// distances: Baranovsky–Khasan line 238 km and Baranovsky 88 km from
/// Vladivostok (Trans-Siberian posts 9288 − 9200; ru.wikipedia Барановский
/// (станция)), Vladivostok–Khabarovsk 767 km (posts 9288 − 8521), and the
/// Trans-Siberian's 9,289 km Moscow–Vladivostok (the shortest legal path may
/// leave the historical route: 9,150–9,300 km).
mod real_track {
    use super::*;
    use std::sync::OnceLock;

    fn net() -> &'static RailNetwork {
        static NET: OnceLock<RailNetwork> = OnceLock::new();
        NET.get_or_init(|| RailNetwork::builtin().unwrap())
    }

    fn leg(a: (&str, f64, f64), b: (&str, f64, f64)) -> RailLeg {
        net()
            .route(
                &[stop(a.0, a.1, a.2), stop(b.0, b.1, b.2)],
                &RailOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
            .remove(0)
    }

    // lon, lat as a user gives them (GeoNames city points).
    const KHASAN: (&str, f64, f64) = ("Khasan", 130.6453, 42.4281);
    const VLADIVOSTOK: (&str, f64, f64) = ("Vladivostok", 131.87353, 43.10562);
    const KHABAROVSK: (&str, f64, f64) = ("Khabarovsk", 135.0971, 48.46204);
    const MOSCOW: (&str, f64, f64) = ("Moscow", 37.61556, 55.75222);
    const PYONGYANG: (&str, f64, f64) = ("Pyongyang", 125.75432, 39.03385);
    const VOSTOCHNY: (&str, f64, f64) = ("Vostochny Cosmodrome", 128.3339, 51.8844);

    #[test]
    fn builtin_network_is_real_track_with_its_source() {
        let n = net();
        assert!(!n.info().approximate);
        assert!(n
            .info()
            .source
            .contains("© OpenStreetMap contributors, ODbL 1.0"));
        let (_, segments, vertices, _) = n.size();
        assert!(
            segments > 3000 && vertices > 150_000,
            "{segments} {vertices}"
        );
    }

    #[test]
    fn khasan_to_vladivostok_reverses_once_at_baranovsky() {
        let l = leg(KHASAN, VLADIVOSTOK);
        let km = l.length_m / 1000.0;
        assert!((km - 326.0).abs() <= 326.0 * 0.01, "{km} km");
        // The Khasan line leaves the Trans-Siberian facing Ussuriysk only
        // (fixture README, known limit 3): the train reverses there, once, and
        // says so.
        assert_eq!(l.reversals.len(), 1, "{:?}", l.reversals);
        assert_eq!(l.reversals[0].near.as_deref(), Some("Baranovsky"));
        assert!(l.detour_shortest_m.is_none());
        assert_eq!(l.approximate_m, 0.0);
    }

    /// The traced lines of the fixture the built-in track was derived from
    /// (`../shared/fixtures/rail/russia-osm/rzd/`), as lon/lat vertices; `None`
    /// when the fixture is absent (it must be present in CI).
    fn fixture_line(file: &str) -> Option<Vec<[f64; 2]>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/rail/russia-osm/rzd")
            .join(file);
        let Ok(gz) = std::fs::read(&path) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing, and CI=true requires it",
                path.display()
            );
            eprintln!("skipped: {} is absent", path.display());
            return None;
        };
        // gzip: a 10-byte header with no optional fields (flags 0), then deflate.
        assert_eq!(&gz[..4], &[0x1f, 0x8b, 8, 0]);
        let json = miniz_oxide::inflate::decompress_to_vec(&gz[10..gz.len() - 8]).unwrap();
        let fc: serde_json::Value = serde_json::from_slice(&json).unwrap();
        // One file (Danilov-Bui) is a MultiLineString: left out.
        if fc["features"][0]["geometry"]["type"] != "LineString" {
            return Some(Vec::new());
        }
        let coords = fc["features"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap();
        Some(
            coords
                .iter()
                .map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()])
                .collect(),
        )
    }

    /// Distance (m) from a point to the nearest piece of some lines, on the
    /// local tangent plane (ample at these distances), through a 0.05° grid.
    struct Near {
        lines: Vec<Vec<[f64; 2]>>,
        cells: std::collections::HashMap<(i64, i64), Vec<(usize, usize)>>,
    }

    impl Near {
        fn new(lines: Vec<Vec<[f64; 2]>>) -> Near {
            let mut cells: std::collections::HashMap<(i64, i64), Vec<(usize, usize)>> =
                std::collections::HashMap::new();
            let cell = |v: f64| (v / 0.05).floor() as i64;
            for (li, line) in lines.iter().enumerate() {
                for i in 0..line.len() - 1 {
                    let (a, b) = (line[i], line[i + 1]);
                    for cx in cell(a[0].min(b[0]))..=cell(a[0].max(b[0])) {
                        for cy in cell(a[1].min(b[1]))..=cell(a[1].max(b[1])) {
                            cells.entry((cx, cy)).or_default().push((li, i));
                        }
                    }
                }
            }
            Near { lines, cells }
        }

        fn distance_m(&self, p: [f64; 2]) -> f64 {
            let (cx, cy) = ((p[0] / 0.05).floor() as i64, (p[1] / 0.05).floor() as i64);
            let k = 111_195.0;
            let c = p[1].to_radians().cos();
            let mut best = f64::INFINITY;
            for dx in -1..=1 {
                for dy in -1..=1 {
                    for &(li, i) in self.cells.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                        let (a, b) = (self.lines[li][i], self.lines[li][i + 1]);
                        let (ax, ay) = ((a[0] - p[0]) * k * c, (a[1] - p[1]) * k);
                        let (bx, by) = ((b[0] - p[0]) * k * c, (b[1] - p[1]) * k);
                        let (ex, ey) = (bx - ax, by - ay);
                        let l2 = ex * ex + ey * ey;
                        let t = if l2 > 0.0 {
                            (-(ax * ex + ay * ey) / l2).clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        best = best.min((ax + t * ex).hypot(ay + t * ey));
                    }
                }
            }
            best
        }
    }

    #[test]
    fn legs_run_along_the_traced_track() {
        // Every vertex of Khasan → Vladivostok and Vladivostok → Khabarovsk
        // lies within 0.5 km of the fixture's own traces (the Khasan line and
        // the Trans-Siberian), read here independently of the tool.
        let (Some(trans_sib), Some(hasan)) = (
            fixture_line("mainlines/Ekateriburg-Vladivostok.geojson.gz"),
            fixture_line("secondary/Hasan.geojson.gz"),
        ) else {
            return;
        };
        let near = Near::new(vec![trans_sib, hasan]);
        for (a, b) in [(KHASAN, VLADIVOSTOK), (VLADIVOSTOK, KHABAROVSK)] {
            let l = leg(a, b);
            let worst = l
                .path
                .points()
                .map(|p| near.distance_m([p.x(), p.y()]))
                .fold(0.0, f64::max);
            assert!(
                worst <= 500.0,
                "{} → {}: {worst:.0} m off the trace",
                a.0,
                b.0
            );
        }
    }

    #[test]
    fn moscow_to_vladivostok_runs_along_the_traced_track() {
        // Both ways across Russia (by Chita, and straight through by the
        // BAM): every vertex within 0.5 km of some line of the fixture, its
        // traces read here independently of the tool.
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/rail/russia-osm/rzd");
        let mut lines = Vec::new();
        for class in ["mainlines", "secondary", "tertiary"] {
            let Ok(entries) = std::fs::read_dir(dir.join(class)) else {
                assert!(std::env::var("CI").as_deref() != Ok("true"));
                eprintln!("skipped: {} is absent", dir.display());
                return;
            };
            let mut names: Vec<_> = entries.map(|e| e.unwrap().file_name()).collect();
            names.sort();
            for name in names {
                let file = format!("{class}/{}", name.to_string_lossy());
                if file.ends_with(".geojson.gz") {
                    lines.extend(fixture_line(&file).filter(|l| l.len() >= 2));
                }
            }
        }
        let near = Near::new(lines);
        let chita = ("Chita", 113.49171, 52.04311);
        let by_chita = net()
            .route(
                &[
                    stop(MOSCOW.0, MOSCOW.1, MOSCOW.2),
                    stop(chita.0, chita.1, chita.2),
                    stop(VLADIVOSTOK.0, VLADIVOSTOK.1, VLADIVOSTOK.2),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        for l in by_chita.iter().chain([&leg(MOSCOW, VLADIVOSTOK)]) {
            let worst = l
                .path
                .points()
                .map(|p| near.distance_m([p.x(), p.y()]))
                .fold(0.0, f64::max);
            assert!(worst <= 500.0, "{worst:.0} m off the traces");
        }
    }

    #[test]
    fn vladivostok_to_khabarovsk_is_767_km() {
        let l = leg(VLADIVOSTOK, KHABAROVSK);
        let km = l.length_m / 1000.0;
        assert!((km - 767.0).abs() <= 767.0 * 0.01, "{km} km");
        assert!(l.reversals.is_empty());
        assert!(
            l.stations.iter().any(|s| s == "Ussuriysk"),
            "{:?}",
            l.stations
        );
    }

    #[test]
    fn moscow_to_vladivostok_is_the_trans_siberian_length_or_shorter_by_the_bam() {
        // By Chita, the Trans-Siberian: 9,289 km published.
        let chita = ("Chita", 113.49171, 52.04311);
        let stops = [
            stop(MOSCOW.0, MOSCOW.1, MOSCOW.2),
            stop(chita.0, chita.1, chita.2),
            stop(VLADIVOSTOK.0, VLADIVOSTOK.1, VLADIVOSTOK.2),
        ];
        let legs = net().route(&stops, &RailOptions::default()).unwrap();
        let km = legs.iter().map(|l| l.length_m).sum::<f64>() / 1000.0;
        assert!((9150.0..=9300.0).contains(&km), "{km} km by Chita");
        assert!(legs.iter().all(|l| l.reversals.is_empty()));
        // Straight through, the shortest legal path leaves the historical
        // route: the Baikal–Amur Mainline from Taishet to Tynda, then the
        // Amur–Yakutsk line (the "Little BAM") to Bamovskaya on the
        // Trans-Siberian. At Tynda that line leaves facing east, so a train
        // from the west reverses there: a junction station with a depot,
        // where trains terminate and reverse (Moscow–Tynda trains), so the
        // reversal is legal, and it is reported. Russian Railways: the BAM
        // "reduces the distance ... to Primorye, Vladivostok and Nakhodka by
        // more than 200 km" (eng.rzd.ru, "Geographical position of the
        // Baikal-Amur Main Line"). So the straight route is more than 200 km
        // shorter than by Chita, and never shorter than 8,900 km (a bound
        // for sanity, not a published figure).
        let by_chita = km;
        let l = leg(MOSCOW, VLADIVOSTOK);
        let km = l.length_m / 1000.0;
        assert!(
            by_chita - km > 200.0,
            "{km} km straight, {by_chita} km by Chita"
        );
        assert!(km >= 8900.0, "{km} km");
        assert_eq!(l.reversals.len(), 1, "{:?}", l.reversals);
        // Tynda, GeoNames 2014718: 55.14941 N, 124.73676 E.
        let tynda = Point::new(124.73676, 55.14941);
        let at = Geodesic.distance(l.reversals[0].point, tynda);
        assert!(at < 5_000.0, "reverses {at:.0} m from Tynda");
        assert!(l.detour_shortest_m.is_none());
    }

    #[test]
    fn novosibirsk_to_irkutsk_runs_with_the_default_settings() {
        // Irkutsk's city point is 5.3 km from the line. Trans-Siberian posts:
        // Novosibirsk 3,335, Irkutsk 5,185 (1,850 km).
        let l = leg(
            ("Novosibirsk", 82.93175, 55.02259),
            ("Irkutsk", 104.29076, 52.29566),
        );
        let km = l.length_m / 1000.0;
        assert!((km - 1850.0).abs() < 1850.0 * 0.03, "{km} km");
    }

    #[test]
    fn seed_journey_runs_on_real_track_in_russia_and_reports_the_rest() {
        let stops = [
            stop(PYONGYANG.0, PYONGYANG.1, PYONGYANG.2),
            stop(KHASAN.0, KHASAN.1, KHASAN.2),
            stop(VOSTOCHNY.0, VOSTOCHNY.1, VOSTOCHNY.2),
        ];
        let legs = net().route(&stops, &RailOptions::default()).unwrap();
        // North Korea has no traced track: nearly all of leg 1 is approximate;
        // leg 2 only on the cosmodrome branch (Ledyanaya–Tsiolkovsky–pad,
        // about 25 km), the rest real track.
        assert!(
            legs[0].approximate_m > 800_000.0,
            "{}",
            legs[0].approximate_m
        );
        assert!(
            legs[1].approximate_m > 10_000.0 && legs[1].approximate_m < 40_000.0,
            "{}",
            legs[1].approximate_m
        );
        assert!(!legs[0].approximate_parts.is_empty() && !legs[1].approximate_parts.is_empty());
        let approx_points: Vec<Point> = legs[1]
            .approximate_parts
            .iter()
            .flat_map(|p| p.points())
            .collect();
        for town in ["Ussuriysk", "Khabarovsk", "Belogorsk"] {
            let i = legs[1]
                .stations
                .iter()
                .position(|s| s == town)
                .unwrap_or_else(|| panic!("passes {town}: {:?}", legs[1].stations));
            let p = legs[1].station_points[i];
            assert!(
                approx_points
                    .iter()
                    .all(|q| Geodesic.distance(*q, p) > 5_000.0),
                "{town} on real track"
            );
        }
        assert!(legs
            .iter()
            .all(|l| l.reversals.is_empty() && l.detour_shortest_m.is_none()));
        assert_eq!(legs[0].gauges_mm, [1435, 1520]);
        assert_eq!(legs[1].gauges_mm, [1520]);
    }

    #[test]
    fn a_town_kilometres_from_its_line_is_reached_through_its_station() {
        // Komsomolsk-on-Amur's city point is 6 km from the line; Ussuriysk's 1.6 km.
        let l = leg(
            ("Komsomolsk-on-Amur", 137.00995, 50.55034),
            ("Ussuriysk", 131.95734, 43.80467),
        );
        assert_eq!(l.from.station.as_deref(), Some("Komsomolsk-on-Amur"));
        // Volochayevka–Komsomolsk meets the Trans-Siberian facing Birobidzhan
        // (fixture README, limit 3): towards Khabarovsk the train reverses, and
        // each reversal is placed near a station. Published: Komsomolsk –
        // Khabarovsk 374 km (330 + 44), Khabarovsk – Ussuriysk 656 km (posts).
        assert!(l.reversals.len() <= 2, "{:?}", l.reversals);
        assert!(l.reversals.iter().all(|r| r.near.is_some()));
        let km = l.length_m / 1000.0;
        assert!((km - 1030.0).abs() < 1030.0 * 0.03, "{km} km");
    }

    #[test]
    fn a_stop_far_from_every_track_says_what_networks_there_are() {
        let e = net()
            .route(
                &[
                    stop(MOSCOW.0, MOSCOW.1, MOSCOW.2),
                    stop("Beijing", 116.39723, 39.9075),
                ],
                &RailOptions::default(),
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("Beijing"), "{e}");
        assert!(
            e.contains("rail build") && e.contains("--rail-network"),
            "{e}"
        );
        assert!(!e.contains("raise --snap-km"), "{e}");
    }
}

/// Reversals on a hand-made network: a branch leaves the main line facing the
/// wrong way (as at Baranovsky), and a long loop is the only way round without
/// reversing.
mod reversals {
    use super::*;
    use geo::line_string;

    fn network(with_junction_branch: bool) -> RailNetwork {
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "wye".into(),
            source: String::new(),
            approximate: false,
        });
        // Main line west to east along 50° N, 10.0 → 11.0° E.
        b.add_track(
            &line_string![(x: 10.0, y: 50.0), (x: 10.5, y: 50.0), (x: 11.0, y: 50.0)],
            TrackKind::Main,
            &[],
        );
        if with_junction_branch {
            // The branch leaves at 10.5° E heading back west-south-west.
            b.add_track(
                &line_string![(x: 10.5, y: 50.0), (x: 10.45, y: 49.99), (x: 10.3, y: 49.9)],
                TrackKind::Main,
                &[],
            );
        }
        // A loop from the east end round to the branch's end, in gentle curves.
        b.add_track(
            &line_string![
                (x: 11.0, y: 50.0), (x: 11.4, y: 49.95), (x: 11.7, y: 49.8),
                (x: 11.8, y: 49.6), (x: 11.7, y: 49.4), (x: 11.4, y: 49.28),
                (x: 11.0, y: 49.3), (x: 10.7, y: 49.45), (x: 10.5, y: 49.65),
                (x: 10.3, y: 49.9)
            ],
            TrackKind::Main,
            &[],
        );
        b.add_station("West", Point::new(10.0, 50.0));
        b.add_station("Branch End", Point::new(10.3, 49.9));
        b.build().unwrap()
    }

    fn route(n: &RailNetwork) -> RailLeg {
        n.route(
            &[stop("West", 10.0, 50.0), stop("Branch End", 10.3, 49.9)],
            &RailOptions::default(),
        )
        .unwrap()
        .remove(0)
    }

    #[test]
    fn a_train_reverses_at_a_wrong_facing_junction_rather_than_go_round() {
        let l = route(&network(true));
        // West → junction 35.8 km (GeodSolve: `echo 50 10 50 10.5 | GeodSolve -i`
        // gives 35,848 m), then the branch, 18.7 km by its two pieces; round
        // the loop it would be over 300 km.
        let km = l.length_m / 1000.0;
        assert!(km > 50.0 && km < 60.0, "{km} km");
        assert_eq!(l.reversals.len(), 1);
        assert_close(l.reversals[0].point.x(), 10.5, 1e-9, "reversal lon");
        assert!(l.detour_shortest_m.is_none());
    }

    #[test]
    fn without_the_junction_the_loop_is_taken_and_reported_as_a_detour() {
        // A sharp corner with no junction: a train cannot reverse there, so the
        // only legal path goes round the loop, several times the straight line.
        let mut b = RailNetworkBuilder::new(NetworkInfo {
            name: "corner".into(),
            source: String::new(),
            approximate: false,
        });
        b.add_track(
            &line_string![(x: 10.0, y: 50.0), (x: 10.5, y: 50.0), (x: 11.0, y: 50.0)],
            TrackKind::Main,
            &[],
        );
        // A spur from the west end running back under the main line: its only
        // link is a corner of 150° at 10.0° E, a node of two lines.
        b.add_track(
            &line_string![(x: 10.0, y: 50.0), (x: 10.3, y: 49.9)],
            TrackKind::Main,
            &[],
        );
        b.add_track(
            &line_string![
                (x: 11.0, y: 50.0), (x: 11.4, y: 49.95), (x: 11.7, y: 49.8),
                (x: 11.8, y: 49.6), (x: 11.7, y: 49.4), (x: 11.4, y: 49.28),
                (x: 11.0, y: 49.3), (x: 10.7, y: 49.45), (x: 10.5, y: 49.65),
                (x: 10.3, y: 49.9)
            ],
            TrackKind::Main,
            &[],
        );
        let n = b.build().unwrap();
        let l = n
            .route(
                &[stop("a", 10.25, 50.0), stop("b", 10.1, 49.967)],
                &RailOptions::default(),
            )
            .unwrap()
            .remove(0);
        assert!(l.length_m > 300_000.0, "{}", l.length_m);
        let shortest = l.detour_shortest_m.expect("reported as a detour");
        assert!(shortest < 40_000.0, "{shortest}");
    }
}

/// A graph found by `cargo fuzz run rail_graph` (`tests/fixtures/fuzz/`)
/// whose track lengths do not match its coordinates (lengths of 1e252 m,
/// negative ones, nodes away from their segments' ends): a route on it took
/// over 10 s.
mod fuzz_found {
    use super::*;

    fn fixture_bytes() -> Vec<u8> {
        std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/fuzz/rail-slow-route.rmrail"),
        )
        .unwrap()
    }

    #[test]
    fn a_graph_whose_lengths_do_not_fit_its_coordinates_is_refused() {
        let e = RailNetwork::from_path(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/fuzz/rail-slow-route.rmrail"),
        )
        .unwrap_err();
        assert!(matches!(e, RailError::BadGraphFile { .. }), "{e}");
    }

    #[test]
    fn the_search_on_such_a_graph_ends() {
        // Past the checks on load (as a graph built wrongly in memory would
        // be), the search is bounded: it ends, with a route or an error.
        let bytes = fixture_bytes();
        let (g, index) = store::decode(&bytes, None).unwrap();
        let net = RailNetwork::from_graph(g);
        let _ = net.index.set(index);
        let stops = [
            RailStop::at(Point::new(0.0, 0.0)),
            RailStop::at(Point::new(10.0, 10.0)),
        ];
        match net.route(&stops, &RailOptions::default()) {
            Ok(legs) => assert_eq!(legs.len(), 1),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
