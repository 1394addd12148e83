//! Maps from the command line: files written, determinism, layout data.

use crate::util::{repo, Env};

const SEED: [&str; 4] = ["route", "Pyongyang", "Khasan", "Vostochny Cosmodrome"];

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

fn seed(env: &Env, extra: &[&str]) {
    env.ok(&[&SEED[..], extra].concat());
}

#[test]
fn out_stem_writes_geojson_and_png() {
    let env = Env::new();
    seed(&env, &["-o", "kim"]);
    assert_eq!(env.files(), ["kim.geojson", "kim.png"]);
    let png = std::fs::read(env.path("kim.png")).unwrap();
    assert_eq!(png_size(&png), (1600, 1200));
}

#[test]
fn same_command_twice_gives_identical_bytes() {
    let env = Env::new();
    for stem in ["a", "b"] {
        let (png, svg) = (format!("{stem}.png"), format!("{stem}.svg"));
        seed(
            &env,
            &[
                "--size", "800x600", "--style", "print", "--png", &png, "--svg", &svg,
            ],
        );
    }
    for ext in ["png", "svg"] {
        let a = std::fs::read(env.path(&format!("a.{ext}"))).unwrap();
        let b = std::fs::read(env.path(&format!("b.{ext}"))).unwrap();
        assert!(a == b, "{ext} differs between two runs");
    }
}

#[test]
fn scale_two_doubles_the_png() {
    let env = Env::new();
    env.ok(&[
        "map", "Seoul", "--size", "400x300", "--scale", "2", "--png", "s.png",
    ]);
    let png = std::fs::read(env.path("s.png")).unwrap();
    assert_eq!(png_size(&png), (800, 600));
}

#[test]
fn layout_json_has_every_label_and_no_overlaps() {
    let env = Env::new();
    seed(&env, &["--layout-json", "layout.json", "--svg", "m.svg"]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("layout.json")).unwrap()).unwrap();
    let boxes = v["boxes"].as_array().unwrap();
    let kind = |k: &str| boxes.iter().filter(|b| b["kind"] == k).count();
    assert_eq!(kind("stop_label"), 3);
    assert_eq!(kind("leg_label"), 2);
    assert_eq!(kind("scale_bar"), 1);
    let rect = |b: &serde_json::Value| {
        let r = &b["rect"];
        let f = |k: &str| r[k].as_f64().unwrap();
        (f("x"), f("y"), f("x") + f("w"), f("y") + f("h"))
    };
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a["kind"] == "marker" && b["kind"] == "marker" {
                continue;
            }
            let (a0, a1, a2, a3) = rect(a);
            let (b0, b1, b2, b3) = rect(b);
            let overlap = a0 < b2 - 1e-9 && b0 < a2 - 1e-9 && a1 < b3 - 1e-9 && b1 < a3 - 1e-9;
            assert!(!overlap, "{a} overlaps {b}");
        }
    }
    let svg = std::fs::read_to_string(env.path("m.svg")).unwrap();
    assert!(svg.contains(">559 km</text>"));
}

#[test]
fn map_command_draws_places() {
    let env = Env::new();
    env.ok(&["map", "Pyongyang", "Seoul", "Tokyo", "--svg", "east.svg"]);
    let svg = std::fs::read_to_string(env.path("east.svg")).unwrap();
    for name in ["Pyongyang", "Seoul", "Tokyo"] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name}");
    }
}

#[test]
fn committed_seed_map_is_what_the_main_command_writes() {
    // The README's main command (the seed journey by rail) writes
    // output/kim-2023.png; regenerate it with that command when the
    // gazetteer, the rail network or the renderer changes.
    let env = Env::new();
    seed(&env, &["--mode", "rail", "-o", "kim"]);
    let fresh = std::fs::read(env.path("kim.png")).unwrap();
    let committed = std::fs::read(repo().join("output/kim-2023.png")).expect("committed map");
    assert!(
        fresh == committed,
        "rerun the README's main command and commit output/kim-2023.png"
    );
}

#[test]
fn no_stop_name_covers_the_route_on_small_maps() {
    // At 400×300 the rail map's end stop sits at the top of the frame: its
    // name, one line below the marker, used to lie over the last kilometres
    // of track. Beside the marker on two lines, slid down into the frame,
    // it stays clear. Every vertex of every leg in the SVG is checked
    // against every stop name's box in the layout JSON.
    for mode in ["direct", "rail"] {
        for size in ["400x300", "800x600", "1600x1200"] {
            let env = Env::new();
            seed(
                &env,
                &[
                    "--mode",
                    mode,
                    "--size",
                    size,
                    "--layout-json",
                    "l.json",
                    "--svg",
                    "m.svg",
                ],
            );
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(env.path("l.json")).unwrap()).unwrap();
            let names: Vec<(f64, f64, f64, f64)> = v["boxes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|b| b["kind"] == "stop_label")
                .map(|b| {
                    let f = |k: &str| b["rect"][k].as_f64().unwrap();
                    (f("x"), f("y"), f("x") + f("w"), f("y") + f("h"))
                })
                .collect();
            assert_eq!(names.len(), 3, "{mode} {size}");
            let svg = std::fs::read_to_string(env.path("m.svg")).unwrap();
            let mut vertices = 0;
            for path in svg.split("<path class=\"leg\"").skip(1) {
                let d = path.split(" d=\"").nth(1).unwrap();
                let nums: Vec<f64> = d[..d.find('"').unwrap()]
                    .split([' ', 'M', 'L'])
                    .filter_map(|n| n.parse().ok())
                    .collect();
                for p in nums.chunks(2) {
                    vertices += 1;
                    for &(x0, y0, x1, y1) in &names {
                        let inside = p[0] > x0 && p[0] < x1 && p[1] > y0 && p[1] < y1;
                        assert!(!inside, "{mode} {size}: route at {p:?} under a stop name");
                    }
                }
            }
            assert!(vertices > 50, "{mode} {size}: {vertices} route vertices");
        }
    }
}
