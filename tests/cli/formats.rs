//! The GIS formats (GeoPackage, KML, GPX, CSV, FlatGeobuf) read back by
//! GDAL's `ogrinfo` and by readers independent of routemap's writers
//! (SQLite queries, the `gpx` and `kml` crates, the `csv` crate), checked
//! against the GeoJSON of the same run; and how outputs are written
//! (extensions, all or none, devices, FIFOs, links, signals).

use crate::util::{have_tool, in_ci, repo, stderr, stdout, Env};
use serde_json::Value;
use std::path::Path;

const SEED: [&str; 3] = ["Pyongyang", "Khasan", "Vostochny Cosmodrome"];
const ALL: [&str; 6] = ["geojson", "gpkg", "kml", "gpx", "csv", "fgb"];

/// The GeoJSON features of `kind`, in order.
fn features<'a>(fc: &'a Value, kind: &str) -> Vec<&'a Value> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == kind)
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// One layer of `ogrinfo -al` text: its geometry type, feature count, the
/// `name (Type) = value` lines and the geometry lines of its features.
struct OgrLayer {
    name: String,
    geometry: String,
    count: usize,
    text: String,
}

impl OgrLayer {
    /// Every value of field `field`, in feature order.
    fn values(&self, field: &str) -> Vec<String> {
        let prefix = format!("  {field} (");
        self.text
            .lines()
            .filter(|l| l.starts_with(&prefix))
            .filter_map(|l| l.split_once(") = ").map(|(_, v)| v.to_string()))
            .collect()
    }

    /// The first two numbers of every `POINT (x y)` geometry line.
    fn points(&self) -> Vec<(f64, f64)> {
        self.text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("POINT ("))
            .map(|rest| {
                let nums: Vec<f64> = rest
                    .trim_end_matches(')')
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect();
                (nums[0], nums[1])
            })
            .collect()
    }
}

/// Runs `ogrinfo -ro -al` and splits its output into layers; GDAL must
/// print no warning or error.
fn ogrinfo(path: &Path) -> Vec<OgrLayer> {
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "ogrinfo {path:?}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        !err.contains("Warning") && !err.contains("ERROR"),
        "GDAL complained about {path:?}: {err}"
    );
    let text = stdout(&out);
    text.split("\nLayer name: ")
        .skip(1)
        .map(|part| {
            let name = part.lines().next().unwrap().trim().to_string();
            let field = |key: &str| {
                part.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            };
            OgrLayer {
                name,
                geometry: field("Geometry: "),
                count: field("Feature Count: ").parse().unwrap(),
                text: part.to_string(),
            }
        })
        .collect()
}

fn layer<'a>(layers: &'a [OgrLayer], name: &str) -> &'a OgrLayer {
    layers
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no layer {name}"))
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The seed journey by rail in every format, once for all the checks below.
fn seed_rail(env: &Env) -> Value {
    let mut args: Vec<String> = ["route", SEED[0], SEED[1], SEED[2], "--mode", "rail"]
        .map(String::from)
        .to_vec();
    for ext in ALL {
        args.push("-o".into());
        args.push(format!("trip.{ext}"));
    }
    let out = env.cmd().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for ext in ALL {
        assert!(
            stderr(&out).contains(&format!("wrote trip.{ext}")),
            "{}",
            stderr(&out)
        );
    }
    read_json(&env.path("trip.geojson"))
}

#[test]
fn every_format_is_read_by_gdal_with_the_geojson_values() {
    if !have_tool(
        "ogrinfo",
        "every_format_is_read_by_gdal_with_the_geojson_values",
    ) {
        return;
    }
    let env = Env::new();
    let fc = seed_rail(&env);
    let stops = features(&fc, "stop");
    let legs = features(&fc, "leg");
    let khasan = &stops[1]["geometry"]["coordinates"];
    let (kx, ky) = (khasan[0].as_f64().unwrap(), khasan[1].as_f64().unwrap());
    let leg0_km = legs[0]["properties"]["distance_km"].as_f64().unwrap();
    let network = features(&fc, "route")[0]["properties"]["network"]
        .as_str()
        .unwrap()
        .to_string();
    let has_point = |l: &OgrLayer| {
        l.points()
            .iter()
            .any(|&(x, y)| close(x, kx, 1e-6) && close(y, ky, 1e-6))
    };
    let has_km = |vals: Vec<String>| {
        vals.iter()
            .any(|v| v.parse::<f64>().is_ok_and(|v| close(v, leg0_km, 1e-6)))
    };

    // GeoPackage: three layers, one geometry type each.
    let g = ogrinfo(&env.path("trip.gpkg"));
    let names: Vec<(&str, &str, usize)> = g
        .iter()
        .map(|l| (l.name.as_str(), l.geometry.as_str(), l.count))
        .collect();
    assert_eq!(
        names,
        [
            ("stops", "Point", 3),
            ("legs", "Line String", 2),
            ("route", "Multi Line String", 1)
        ]
    );
    assert!(has_point(layer(&g, "stops")), "Khasan's position");
    assert!(has_km(layer(&g, "legs").values("distance_km")));
    assert_eq!(
        layer(&g, "stops").values("name"),
        ["Pyongyang", "Khasan", "Vostochny Cosmodrome"]
    );
    assert_eq!(layer(&g, "route").values("network"), [network.as_str()]);
    assert!(layer(&g, "legs").values("stations")[0].contains("Tumangang"));

    // KML: a folder per layer.
    let k = ogrinfo(&env.path("trip.kml"));
    let names: Vec<(&str, usize)> = k.iter().map(|l| (l.name.as_str(), l.count)).collect();
    assert_eq!(names, [("stops", 3), ("legs", 2), ("route", 1)]);
    assert!(has_point(layer(&k, "stops")));
    assert!(has_km(layer(&k, "legs").values("distance_km")));
    assert_eq!(layer(&k, "route").values("network"), [network.as_str()]);
    assert!(layer(&k, "legs").values("gauges_mm")[0].contains("1520"));

    // GPX: waypoints, a route of the stops, one track with a segment per leg.
    let x = ogrinfo(&env.path("trip.gpx"));
    assert_eq!(layer(&x, "waypoints").count, 3);
    assert_eq!(layer(&x, "waypoints").geometry, "Point");
    assert_eq!(layer(&x, "routes").count, 1);
    assert_eq!(layer(&x, "route_points").count, 3);
    assert_eq!(layer(&x, "tracks").count, 1);
    assert_eq!(layer(&x, "tracks").geometry, "Multi Line String");
    assert!(has_point(layer(&x, "waypoints")));
    assert_eq!(
        layer(&x, "tracks").values("routemap_network"),
        [network.as_str()]
    );
    assert_eq!(layer(&x, "tracks").values("type"), ["rail"]);

    // CSV: one layer, a row per feature, the WKT column read as geometry.
    let c = ogrinfo(&env.path("trip.csv"));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].count, 6);
    assert_eq!(
        c[0].values("type"),
        ["stop", "stop", "stop", "leg", "leg", "route"]
    );
    assert!(has_point(&c[0]));
    assert!(has_km(c[0].values("distance_km")));
    assert!(c[0].values("network").contains(&network));

    // FlatGeobuf: one layer of every feature, with its spatial index.
    let f = ogrinfo(&env.path("trip.fgb"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].count, 6);
    // The spatial index orders features along a Hilbert curve.
    let mut kinds = f[0].values("kind");
    kinds.sort();
    assert_eq!(kinds, ["leg", "leg", "route", "stop", "stop", "stop"]);
    assert!(has_point(&f[0]));
    assert!(has_km(f[0].values("distance_km")));
    let bytes = std::fs::read(env.path("trip.fgb")).unwrap();
    // FlatGeobuf spec: magic bytes, then the header whose index_node_size
    // is non-zero when the packed R-tree is present (GDAL reports it too).
    assert_eq!(&bytes[..4], b"fgb\x03");
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(env.path("trip.fgb"))
        .output()
        .unwrap();
    // GDAL lists a spatially indexed FlatGeobuf layer as able to filter fast.
    let caps = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", "-spat", "130", "42", "131", "43"])
        .arg(env.path("trip.fgb"))
        .output()
        .unwrap();
    assert!(info.status.success() && caps.status.success());
    assert!(
        stdout(&caps).contains("Feature Count: 4"),
        "the box around Khasan holds Khasan, the two legs and the route: {}",
        stdout(&caps)
    );
}

#[test]
fn geopackage_tables_follow_the_ogc_standard() {
    let env = Env::new();
    let fc = seed_rail(&env);
    let db = rusqlite::Connection::open(env.path("trip.gpkg")).unwrap();
    let one = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    // OGC 12-128r19 §1.1.1: application_id "GPKG" and a user_version.
    assert_eq!(one("PRAGMA application_id"), 0x4750_4B47);
    assert!(one("PRAGMA user_version") >= 10200);
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut cols = db
        .prepare("SELECT table_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name")
        .unwrap();
    let rows: Vec<(String, String, i64, i64, i64)> = cols
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            ("legs".into(), "LINESTRING".into(), 4326, 0, 0),
            ("route".into(), "MULTILINESTRING".into(), 4326, 0, 0),
            ("stops".into(), "POINT".into(), 4326, 0, 0)
        ]
    );
    let (org, code): (String, i64) = db
        .query_row(
            "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4326",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((org.as_str(), code), ("EPSG", 4326));
    // The extent in gpkg_contents holds every stop of the GeoJSON.
    let ext: (String, f64, f64, f64, f64) = db
        .query_row(
            "SELECT data_type, min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'stops'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(ext.0, "features");
    for s in features(&fc, "stop") {
        let c = &s["geometry"]["coordinates"];
        let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            x >= ext.1 && y >= ext.2 && x <= ext.3 && y <= ext.4,
            "{x},{y} outside {ext:?}"
        );
    }
    // A geometry blob, decoded by hand (GeoPackage binary: "GP", version,
    // flags, srs_id, envelope per flags; then WKB).
    let (blob, name): (Vec<u8>, String) = db
        .query_row("SELECT geom, name FROM stops WHERE fid = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(name, "Khasan");
    assert_eq!(&blob[..2], b"GP");
    let flags = blob[3];
    assert_eq!(flags & 1, 1, "little-endian header");
    let srs = i32::from_le_bytes(blob[4..8].try_into().unwrap());
    assert_eq!(srs, 4326);
    let envelope = [0, 32, 48, 48, 64][((flags >> 1) & 7) as usize];
    let wkb = &blob[8 + envelope..];
    assert_eq!(wkb[0], 1, "little-endian WKB");
    assert_eq!(
        u32::from_le_bytes(wkb[1..5].try_into().unwrap()),
        1,
        "a Point"
    );
    let x = f64::from_le_bytes(wkb[5..13].try_into().unwrap());
    let y = f64::from_le_bytes(wkb[13..21].try_into().unwrap());
    let want = &features(&fc, "stop")[1]["geometry"]["coordinates"];
    assert!(close(x, want[0].as_f64().unwrap(), 1e-9) && close(y, want[1].as_f64().unwrap(), 1e-9));
    // Rail facts as columns, the same values as the GeoJSON.
    let (km, gauges, approx): (f64, String, i64) = db
        .query_row(
            "SELECT l.distance_km, l.gauges_mm, r.corridor_approximation FROM legs l, route r WHERE l.fid = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let leg0 = &features(&fc, "leg")[0]["properties"];
    assert!(close(km, leg0["distance_km"].as_f64().unwrap(), 1e-9));
    assert_eq!(
        serde_json::from_str::<Value>(&gauges).unwrap(),
        leg0["gauges_mm"]
    );
    // The same as the GeoJSON says of the route.
    let route = &features(&fc, "route")[0]["properties"];
    assert_eq!(
        approx != 0,
        route["corridor_approximation"].as_bool().unwrap()
    );
}

#[test]
fn gpx_kml_and_csv_read_by_independent_parsers() {
    let env = Env::new();
    let fc = seed_rail(&env);
    let stops = features(&fc, "stop");
    let legs = features(&fc, "leg");

    // GPX, with the georust `gpx` crate.
    let gpx = gpx::read(std::fs::File::open(env.path("trip.gpx")).unwrap()).unwrap();
    assert_eq!(gpx.version, gpx::GpxVersion::Gpx11);
    assert_eq!(gpx.waypoints.len(), 3);
    for (w, s) in gpx.waypoints.iter().zip(&stops) {
        let c = &s["geometry"]["coordinates"];
        assert_eq!(w.name.as_deref(), s["properties"]["name"].as_str());
        assert!(close(w.point().x(), c[0].as_f64().unwrap(), 1e-9));
        assert!(close(w.point().y(), c[1].as_f64().unwrap(), 1e-9));
    }
    assert_eq!(gpx.routes.len(), 1);
    assert_eq!(gpx.routes[0].points.len(), 3);
    assert_eq!(gpx.tracks.len(), 1);
    assert_eq!(gpx.tracks[0].segments.len(), legs.len());
    assert_eq!(gpx.tracks[0].type_.as_deref(), Some("rail"));
    let desc = gpx.tracks[0].description.clone().unwrap();
    assert!(
        desc.contains("Pyongyang → Khasan") && desc.contains("Tumangang"),
        "{desc}"
    );
    // The track's first segment is leg 0's geometry.
    let leg0 = legs[0]["geometry"]["coordinates"].as_array().unwrap();
    let seg = &gpx.tracks[0].segments[0].points;
    assert_eq!(seg.len(), leg0.len());
    assert!(close(
        seg[1].point().x(),
        leg0[1][0].as_f64().unwrap(),
        1e-9
    ));

    // KML, with the georust `kml` crate: placemarks with names and geometry.
    let text = std::fs::read_to_string(env.path("trip.kml")).unwrap();
    let doc: kml::Kml = text.parse().unwrap();
    let mut placemarks = Vec::new();
    fn walk(k: &kml::Kml, out: &mut Vec<kml::types::Placemark>) {
        match k {
            kml::Kml::KmlDocument(d) => d.elements.iter().for_each(|e| walk(e, out)),
            kml::Kml::Document { elements, .. } => elements.iter().for_each(|e| walk(e, out)),
            kml::Kml::Folder(f) => f.elements.iter().for_each(|e| walk(e, out)),
            kml::Kml::Placemark(p) => out.push(p.clone()),
            _ => {}
        }
    }
    walk(&doc, &mut placemarks);
    assert_eq!(placemarks.len(), 6);
    assert_eq!(placemarks[1].name.as_deref(), Some("Khasan"));
    match &placemarks[1].geometry {
        Some(kml::types::Geometry::Point(p)) => {
            let c = &stops[1]["geometry"]["coordinates"];
            assert!(close(p.coord.x, c[0].as_f64().unwrap(), 1e-9));
            assert!(close(p.coord.y, c[1].as_f64().unwrap(), 1e-9));
        }
        g => panic!("Khasan is not a point: {g:?}"),
    }
    assert_eq!(placemarks[3].name.as_deref(), Some("Pyongyang → Khasan"));
    let d = placemarks[3].description.clone().unwrap();
    assert!(
        d.contains("855") || d.contains("854"),
        "leg distance in words: {d}"
    );
    assert!(text.contains("<styleUrl>#start</styleUrl>") && text.contains("<Style id=\"route\">"));

    // CSV, with the `csv` crate.
    let mut r = csv::Reader::from_path(env.path("trip.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "type");
    assert_eq!(&header[1], "WKT");
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows[1][1].starts_with("POINT(130.645"), "{}", &rows[1][1]);
    assert_eq!(&rows[1][col("name")], "Khasan");
    let km: f64 = rows[3][col("distance_km")].parse().unwrap();
    assert!(close(
        km,
        legs[0]["properties"]["distance_km"].as_f64().unwrap(),
        1e-9
    ));
    assert!(rows[4][1].starts_with("LINESTRING("));
    assert_eq!(&rows[5][col("mode")], "rail");
}

#[test]
fn antimeridian_route_in_kml_and_geopackage_is_cut_at_180() {
    let env = Env::new();
    env.ok(&[
        "route",
        "Tokyo",
        "Anchorage",
        "Seattle",
        "-o",
        "p.kml",
        "-o",
        "p.gpkg",
    ]);
    // Every longitude within ±180, and the first leg in two parts that meet
    // at the antimeridian.
    let text = std::fs::read_to_string(env.path("p.kml")).unwrap();
    let legs = text.split("<Folder><name>legs</name>").nth(1).unwrap();
    let first = legs.split("</Placemark>").next().unwrap();
    assert!(first.contains("<MultiGeometry>"), "{first}");
    let parts: Vec<&str> = first.split("<coordinates>").skip(1).collect();
    assert_eq!(parts.len(), 2);
    let lons = |p: &str| -> Vec<f64> {
        p.split("</coordinates>")
            .next()
            .unwrap()
            .split(' ')
            .map(|xy| xy.split(',').next().unwrap().parse().unwrap())
            .collect()
    };
    let (a, b) = (lons(parts[0]), lons(parts[1]));
    assert_eq!(*a.last().unwrap(), 180.0);
    assert_eq!(b[0], -180.0);
    assert!(a.iter().chain(&b).all(|x| x.abs() <= 180.0));

    let db = rusqlite::Connection::open(env.path("p.gpkg")).unwrap();
    let (t, minx, maxx): (String, f64, f64) = db
        .query_row(
            "SELECT c.geometry_type_name, t.min_x, t.max_x FROM gpkg_geometry_columns c JOIN gpkg_contents t USING (table_name) WHERE table_name = 'legs'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        t, "MULTILINESTRING",
        "a leg across 180° makes the legs layer multi-part"
    );
    assert_eq!((minx, maxx), (-180.0, 180.0));
    if have_tool(
        "ogrinfo",
        "antimeridian_route_in_kml_and_geopackage_is_cut_at_180",
    ) {
        for file in ["p.gpkg", "p.kml"] {
            let layers = ogrinfo(&env.path(file));
            let legs = layer(&layers, "legs");
            assert_eq!(legs.count, 2);
            assert!(legs.text.contains("MULTILINESTRING ((1"), "{file}");
        }
    }
}

#[test]
fn a_stem_gets_the_formats_asked_and_stdout_takes_one() {
    let env = Env::new();
    // The README's main command keeps writing STEM.geojson and STEM.png.
    env.ok(&["route", "Pyongyang", "Khasan", "-o", "kim"]);
    assert_eq!(env.files(), ["kim.geojson", "kim.png"]);
    env.ok(&[
        "route",
        "Pyongyang",
        "Khasan",
        "-o",
        "t",
        "--formats",
        "gpkg,kml,svg",
    ]);
    for f in ["t.gpkg", "t.kml", "t.svg"] {
        assert!(env.path(f).exists(), "{f}");
    }
    assert!(!env.path("t.geojson").exists());
    let out = env.ok(&[
        "route",
        "Pyongyang",
        "Khasan",
        "-o",
        "-",
        "--formats",
        "kml",
    ]);
    assert!(stdout(&out).starts_with("<?xml"), "{}", stdout(&out));
    assert!(stderr(&out).contains("total"), "the table goes to stderr");
    let out = env.ok(&["route", "Pyongyang", "Khasan", "--png", "-"]);
    assert!(out.stdout.starts_with(b"\x89PNG"));
    assert!(!env.path("-").exists());
}

#[cfg(unix)]
#[test]
fn a_full_standard_output_is_an_error_not_a_panic() {
    let env = Env::new();
    let dev = env.path("full");
    // The full device (1,7), made in this test's own directory.
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(!in_ci(), "CI runs as root and can make a device node");
        eprintln!("skipped: mknod needs root");
        return;
    }
    for args in [
        &["route", "Seoul", "Tokyo"][..],
        &["route", "Seoul", "Tokyo", "--geojson", "-"],
        &["map", "Seoul", "-o", "m.png"],
    ] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
            .current_dir(env.path(""))
            .args(args)
            .stdout(std::fs::OpenOptions::new().write(true).open(&dev).unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out).lines().last().unwrap(),
            "routemap: error: cannot write standard output: no space left on device",
            "{args:?}"
        );
    }
}

#[test]
fn extension_that_names_another_format_is_an_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Seoul", "Tokyo", "--png", "map.svg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "routemap: error: --png map.svg: the extension .svg is for SVG, not PNG; name the file map.png or write SVG with -o map.svg\n"
    );
    let out = env
        .cmd()
        .args(["route", "Seoul", "Tokyo", "--geojson", "x.kml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["route", "Seoul", "Tokyo", "-o", "t", "--formats", "shp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown format \"shp\""),
        "{}",
        stderr(&out)
    );
    // --formats chooses what a stem gets; alone it would write nothing.
    let out = env
        .cmd()
        .args(["route", "Seoul", "Tokyo", "--formats", "kml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give -o STEM"), "{}", stderr(&out));
    assert!(env.files().is_empty(), "{:?}", env.files());
}

#[test]
fn when_one_write_fails_none_appears() {
    let env = Env::new();
    std::fs::write(env.path("old.kml"), "old").unwrap();
    let out = env
        .cmd()
        .args([
            "route",
            "Seoul",
            "Tokyo",
            "-o",
            "a.gpkg",
            "-o",
            "old.kml",
            "-o",
            "no/such/dir/b.gpx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot write no/such/dir/b.gpx"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        env.files(),
        ["old.kml"],
        "no new file and no temporary file"
    );
    assert_eq!(std::fs::read_to_string(env.path("old.kml")).unwrap(), "old");
}

#[test]
fn an_input_is_never_an_output() {
    let env = Env::new();
    let places = "name\tlat\tlon\nHome\t40.0\t20.0\n";
    env.write("mine.csv", &places.replace('\t', ","));
    let out = env
        .cmd()
        .args([
            "--gazetteer",
            "mine.csv",
            "route",
            "Home",
            "Tirana",
            "-o",
            "./mine.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "routemap: error: output ./mine.csv is also an input file; write to another file\n"
    );
    assert_eq!(
        std::fs::read_to_string(env.path("mine.csv")).unwrap(),
        places.replace('\t', ",")
    );
    // Building an index or a rail graph over its own source.
    env.write("x.tsv", places);
    for args in [
        ["gazetteer", "import", "x.tsv", "--index", "x.tsv"],
        ["rail", "build", "x.tsv", "--out", "x.tsv"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("output x.tsv is also an input file"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read_to_string(env.path("x.tsv")).unwrap(), places);
    }
}

#[cfg(unix)]
#[test]
fn links_devices_and_fifos_are_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    // A symbolic link is followed: the target is written, the link kept.
    std::fs::write(env.path("real.geojson"), "old").unwrap();
    std::os::unix::fs::symlink("real.geojson", env.path("link.geojson")).unwrap();
    env.ok(&["route", "Seoul", "Tokyo", "-o", "link.geojson"]);
    assert!(std::fs::symlink_metadata(env.path("link.geojson"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(env.path("real.geojson"))
        .unwrap()
        .contains("FeatureCollection"));

    // A FIFO is opened and written, not replaced by a regular file.
    let fifo = env.path("pipe.kml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    env.ok(&["route", "Seoul", "Tokyo", "-o", "pipe.kml"]);
    assert!(reader.join().unwrap().contains("<kml"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A character device (the null device, made in this test's own
    // directory, never a real /dev path) stays a device.
    let dev = env.path("null.geojson");
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(!in_ci(), "CI runs as root and can make a device node");
        eprintln!("skipped the device case: mknod needs root");
        return;
    }
    env.ok(&[
        "route",
        "Seoul",
        "Tokyo",
        "-o",
        "null.geojson",
        "-o",
        "also.gpx",
    ]);
    assert!(std::fs::metadata(&dev)
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(env.path("also.gpx").exists());
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_temporary_files() {
    // The FIFO is written after every regular output is staged in its
    // temporary file, and blocks until someone reads it: the moment to stop
    // the process. `stopped_by` checks that no temporary file and no output
    // is left.
    let code = crate::hostile::stopped_by("TERM");
    assert!(code.is_some_and(|c| c != 0), "{code:?}");
}

#[test]
fn spreadsheet_formulas_in_names_are_defused_in_csv() {
    let env = Env::new();
    env.write(
        "evil.tsv",
        "name\tlat\tlon\n=HYPERLINK(\"x\")\t40.0\t20.0\n",
    );
    env.ok(&[
        "--gazetteer",
        "evil.tsv",
        "route",
        "=HYPERLINK(\"x\")",
        "Tirana",
        "-o",
        "t.csv",
    ]);
    let mut r = csv::Reader::from_path(env.path("t.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let name = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "name")
        .unwrap();
    assert_eq!(&rows[0][name], "'=HYPERLINK(\"x\")");
    // Numbers stay numbers, negative ones included.
    env.ok(&["route", "-33.92,18.42", "Tirana", "-o", "s.csv"]);
    let text = std::fs::read_to_string(env.path("s.csv")).unwrap();
    assert!(
        text.contains(",-33.92,") || text.contains(",-33.92\n"),
        "{text}"
    );
}

#[test]
fn geocode_batch_and_map_write_points() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "geocode",
            "--batch",
            "-o",
            "found.gpkg",
            "-o",
            "found.gpx",
            "-o",
            "found.csv",
        ])
        .write_stdin("Pyongyang\nKhasan\nNowhere-at-all-xyz\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one name is unknown");
    let db = rusqlite::Connection::open(env.path("found.gpkg")).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM places", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "resolved places only");
    let (q, row): (String, i64) = db
        .query_row("SELECT query, row FROM places WHERE fid = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((q.as_str(), row), ("Khasan", 2));
    let gpx = gpx::read(std::fs::File::open(env.path("found.gpx")).unwrap()).unwrap();
    assert_eq!(gpx.waypoints.len(), 2);
    assert!(gpx.tracks.is_empty() && gpx.routes.is_empty());
    let out = env
        .cmd()
        .args(["geocode", "Seoul", "-o", "x.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot write PNG"),
        "{}",
        stderr(&out)
    );

    env.ok(&["map", "Pyongyang", "Seoul", "-o", "m.kml", "-o", "m.png"]);
    let kml = std::fs::read_to_string(env.path("m.kml")).unwrap();
    assert_eq!(kml.matches("<Placemark>").count(), 2);
    assert!(env.path("m.png").exists());
}

/// `extract -o`: the places of a text as points, with their mention counts,
/// in the formats GIS tools read (counted against the JSON Lines of the
/// same run).
#[test]
fn extract_writes_the_places_of_a_text() {
    let env = Env::new();
    let seed = repo().join("../shared/seeds/001_f8063831195a90e0.txt");
    let seed = seed.to_str().unwrap();
    let out = env.ok(&["extract", seed, "-o", "p.gpkg", "-o", "p.kml"]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut ids: Vec<&str> = lines.iter().filter_map(|m| m["id"].as_str()).collect();
    ids.sort();
    ids.dedup();
    let russia = lines.iter().filter(|m| m["name"] == "Russia").count() as i64;
    let layers = ogrinfo(&env.path("p.gpkg"));
    let places = layer(&layers, "places");
    assert_eq!(places.geometry, "Point");
    assert_eq!(places.count, ids.len());
    let db = rusqlite::Connection::open(env.path("p.gpkg")).unwrap();
    let n: i64 = db
        .query_row("SELECT count FROM places WHERE name = 'Russia'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, russia);
    assert!(ogrinfo(&env.path("p.kml"))
        .iter()
        .any(|l| l.count == ids.len()));
}
