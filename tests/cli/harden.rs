//! Hostile input (issue 14): no panic, no backtrace, one clear line for
//! every case, bounded time and memory.

use crate::util::{in_ci, stderr, Env};

/// Makes the full device (1,7) inside the test's own directory; `None`
/// when not root (outside CI the test then says it skipped).
#[cfg(unix)]
fn full_device(env: &Env) -> Option<std::path::PathBuf> {
    let dev = env.path("full");
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(!in_ci(), "CI runs as root and can make a device node");
        eprintln!("skipped: mknod needs root");
        return None;
    }
    Some(dev)
}

#[cfg(unix)]
#[test]
fn every_command_says_a_full_standard_output_in_one_line() {
    let env = Env::new();
    let Some(dev) = full_device(&env) else {
        return;
    };
    env.write("mine.tsv", "name\tlat\tlon\nHere\t1\t2\n");
    for args in [
        &["distance", "Seoul", "Tokyo"][..],
        &["route", "Seoul", "Tokyo"],
        &["distance", "Seoul", "Tokyo", "--json"],
        &["route", "Seoul", "Tokyo", "--json"],
        &["gazetteer", "list"],
        &["gazetteer", "search", "Seoul"],
        &["gazetteer", "check", "mine.tsv"],
        &["rail", "info", "builtin"],
        &["geocode", "Seoul"],
        &["geocode", "Seoul", "--json"],
        &["geocode", "--reverse", "37.5,127"],
    ] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
            .current_dir(env.path(""))
            .args(args)
            .stdout(std::fs::OpenOptions::new().write(true).open(&dev).unwrap())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            ["routemap: error: cannot write standard output: no space left on device"],
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_pipe_is_one_line_not_a_panic() {
    // `gazetteer list` prints far more than a pipe holds; the reader stops
    // after the first line.
    let env = Env::new();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
        .current_dir(env.path(""))
        .args(["gazetteer", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    use std::io::Read;
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        ["routemap: error: cannot write standard output: the pipe was closed"]
    );
}

#[test]
fn a_closed_pipe_for_a_map_on_standard_output_says_so_in_the_same_words() {
    // The reader goes away before the PNG is written to `-`.
    let env = Env::new();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
        .current_dir(env.path(""))
        .args(["route", "Seoul", "Tokyo", "--png", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().last(),
        Some("routemap: error: cannot write standard output: the pipe was closed"),
        "{err}"
    );
    assert!(!err.contains("broken pipe"), "{err}");
}

#[test]
fn a_map_box_too_small_to_draw_is_refused_not_a_panic() {
    // A map box a millionth of a degree wide once panicked in the
    // rasteriser; no backtrace, one error line naming the limit.
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "map",
            "Paris",
            "--bbox=2.35,48.85,2.350001,48.850001",
            "--png",
            "x.png",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    // A box a few centimetres wide is refused before anything is drawn.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("a map is at least 1 km on each side"), "{err}");
    assert!(!env.path("x.png").exists());
    // A box just over a kilometre is drawn (the rasteriser copes).
    env.ok(&[
        "map",
        "Paris",
        "--bbox=2.35,48.85,2.365,48.86",
        "--png",
        "y.png",
    ]);
    assert!(env.path("y.png").exists());
}

#[test]
fn a_leg_to_a_pole_on_a_city_map_is_drawn_in_every_projection() {
    // `cargo fuzz run map_box` found it: a Köln box with a leg to the South
    // Pole, in a conic projection, sent the leg's vertices near the pole to
    // 10^12 pixels and the rasteriser panicked (exit 101, "internal error").
    // The leg is now cut at four canvas sizes beyond the frame: every
    // projection draws the map, and no path coordinate in the SVG lies
    // farther out than that.
    for projection in [
        "conic",
        "mercator",
        "equirectangular",
        "azimuthal",
        "equal-earth",
    ] {
        for pole in ["-90,-179.85", "90,0"] {
            let env = Env::new();
            env.ok(&[
                "route",
                "50.94,6.958",
                pole,
                "--bbox=6.92,50.90,7.0,51.0",
                "--projection",
                projection,
                "--size",
                "240x200",
                "-o",
                "x.png",
                "-o",
                "x.svg",
            ]);
            assert!(std::fs::metadata(env.path("x.png")).unwrap().len() > 1000);
            let svg = std::fs::read_to_string(env.path("x.svg")).unwrap();
            let mut far = 0.0f64;
            for d in svg.split(" d=\"").skip(1) {
                let d = &d[..d.find('"').unwrap()];
                for n in d.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')) {
                    if let Ok(v) = n.parse::<f64>() {
                        far = far.max(v.abs());
                    }
                }
            }
            // 240 px wide: the guard lies within 240 + 2 * 4 * 240 px.
            assert!(far < 2200.0, "{projection} {pole}: a path reaches {far} px");
        }
    }
}

/// Runs routemap in a fresh directory with a few bad files, and checks one
/// error line that contains `needle`, the exit code, and no file written.
fn fails(args: &[&str], code: i32, needle: &str) {
    let env = Env::new();
    env.write("unterminated.csv", "name,lat,lon\n\"Foo,1,2\nBar,3,4\n");
    env.write("twice.tsv", "name\tlat\tlon\tname\nA\t1\t2\tB\n");
    let before = env.files();
    let out = env.cmd().args(args).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line for {args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected {needle:?} in {err:?}"
    );
    assert_eq!(env.files(), before, "{args:?} left a file behind");
}

#[test]
fn non_finite_numbers_are_invalid_coordinates_not_names() {
    for stop in ["NaN,0", "inf,1", "1e400,0", "0,-inf"] {
        fails(
            &["route", stop, "Seoul", "-o", "x"],
            1,
            &format!("stop 1: invalid coordinate \"{stop}\": latitude and longitude must be finite numbers"),
        );
    }
    // A name that merely looks like a number stays a name: Nan, Thailand.
    let env = Env::new();
    let out = env.ok(&["geocode", "Nan, TH", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["country"], "TH");
}

#[test]
fn out_of_range_options_name_their_flag() {
    fails(
        &["route", "Seoul", "Tokyo", "--max-segment-km", "-1"],
        2,
        "invalid --max-segment-km: -1 is not a length of at least 0.01 km",
    );
    fails(
        &["route", "Seoul", "Tokyo", "--max-segment-km", "1e-9"],
        2,
        "invalid --max-segment-km: 0.000000001 is not a length of at least 0.01 km",
    );
    // Rail options are checked before the network is read: this file does
    // not exist, and the error is about the flag.
    fails(
        &[
            "route",
            "Seoul",
            "Tokyo",
            "--mode",
            "rail",
            "--snap-km",
            "-1",
            "--rail-network",
            "none.osm",
        ],
        2,
        "invalid --snap-km: -1 is not a distance in kilometres",
    );
    fails(
        &[
            "route",
            "Seoul",
            "Tokyo",
            "--mode",
            "rail",
            "--max-turn-deg",
            "200",
        ],
        2,
        "invalid --max-turn-deg: 200",
    );
    fails(
        &["geocode", "Seoul", "--country", "ZZ"],
        2,
        "unknown country \"ZZ\"",
    );
}

#[test]
fn densifying_is_bounded_and_skipped_without_geometry() {
    // 0,0 to 0,180 runs over the pole: twice the WGS 84 meridian quadrant,
    // 2 x 10,001,965.729 m (GeographicLib), so 10 m segments would need
    // 2,000,395 vertices: refused before any is made.
    fails(
        &[
            "route",
            "0,0",
            "0,180",
            "--max-segment-km",
            "0.01",
            "-o",
            "half",
        ],
        2,
        "0.01 km would give the route 2000395 vertices, more than 1000000",
    );
    // Without an output file nothing is densified, so the table comes at
    // once whatever the segment length.
    let env = Env::new();
    let out = env.ok(&[
        "route",
        "0,0",
        "0,180",
        "--max-segment-km",
        "0.01",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let km = v["distance"].as_f64().unwrap();
    assert!((km - 20_003.931_459).abs() < 1e-3, "{km}");
}

#[test]
fn file_errors_say_what_is_wrong_once() {
    fails(
        &["--gazetteer", "missing.rmidx", "geocode", "Seoul"],
        1,
        "cannot read missing.rmidx: no such file",
    );
    fails(
        &["rail", "info", "missing.osm"],
        1,
        "routemap: error: cannot read rail network file missing.osm: no such file\n",
    );
    fails(
        &["gazetteer", "check", "unterminated.csv"],
        1,
        "unterminated.csv:2: a quoted field is never closed",
    );
    fails(
        &["gazetteer", "check", "twice.tsv"],
        1,
        "twice.tsv: the header row names the column \"name\" twice",
    );
    fails(
        &["geocode", "🎉🎉"],
        1,
        "empty place name: it has no letters or digits",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_gazetteer_is_read_once() {
    let env = Env::new();
    let fifo = env.path("places.tsv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    let writer = std::thread::spawn(move || {
        std::fs::write(&fifo, "name\tlat\tlon\nFifoville\t1.5\t2.5\n").unwrap();
    });
    let out = env
        .cmd()
        .args([
            "--gazetteer",
            "places.tsv",
            "geocode",
            "Fifoville",
            "--json",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["lat"].as_f64(), v["lon"].as_f64()),
        (Some(1.5), Some(2.5))
    );
}

#[test]
fn batch_answers_stream_before_the_input_ends() {
    use std::io::{BufRead, Write};
    let env = Env::new();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
        .current_dir(env.path(""))
        .args(["geocode", "--batch", "--format", "jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A byte-order mark at the start is not part of the first name.
    stdin.write_all("\u{feff}Seoul\n".as_bytes()).unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // stdin is still open: the answer must come anyway.
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the first answer before the input ends");
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (v["row"].as_u64(), v["query"].as_str()),
        (Some(1), Some("Seoul"))
    );
    assert_eq!(v["country"], "KR");
    // Invalid UTF-8 is one bad row naming its line; the rows around it stay.
    stdin.write_all(b"Tok\xffyo\nTokyo\n").unwrap();
    drop(stdin);
    let rest: Vec<serde_json::Value> = rx
        .iter()
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert_eq!(rest[0]["resolved"], false);
    assert_eq!(rest[0]["error"], "line 2 of the input is not valid UTF-8");
    assert_eq!(
        (rest[1]["row"].as_u64(), rest[1]["country"].as_str()),
        (Some(3), Some("JP"))
    );
}

#[test]
fn digits_and_punctuation_are_not_matched_against_names() {
    // GeoNames gives Alppiharju (Helsinki) the alternate name "12"; `1;2`
    // folds to it but is a mistyped coordinate, not a name.
    for q in ["1;2", "12", "1.2.3"] {
        fails(
            &["geocode", q],
            1,
            &format!("{q:?} is not a place name (it has no letters) nor a lat,lon coordinate"),
        );
    }
}

#[test]
fn geonames_import_refuses_bad_country_codes_and_negative_populations() {
    // The 19 columns of a GeoNames dump row (readme of download.geonames.org).
    let row = |country: &str, population: &str| {
        format!("1\tFooville\tFooville\t\t10.0\t20.0\tP\tPPL\t{country}\t\t\t\t\t\t{population}\t\t\t\t2020-01-01\n")
    };
    let env = Env::new();
    env.write("cc.txt", &row("ZZZ", "5"));
    env.write("pop.txt", &row("FI", "-1"));
    let cases = [
        (
            "cc.txt",
            "cc.txt:1: column country code: \"ZZZ\" is not an ISO 3166-1 alpha-2 code",
        ),
        (
            "pop.txt",
            "pop.txt:1: column population: -1 is not a count of people",
        ),
    ];
    for (file, needle) in cases {
        let out = env
            .cmd()
            .args([
                "gazetteer",
                "import",
                file,
                "--index",
                "x.rmidx",
                "--strict",
            ])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(needle), "{err}");
        assert!(!env.path("x.rmidx").exists());
    }
}

#[cfg(unix)]
#[test]
fn control_characters_in_names_are_escaped_on_a_terminal() {
    // `script` (util-linux) gives the command a pseudo-terminal and logs
    // what reaches it.
    if !crate::util::have_tool(
        "script",
        "control_characters_in_names_are_escaped_on_a_terminal",
    ) {
        return;
    }
    let env = Env::new();
    env.write("esc.tsv", "name\tlat\tlon\nEvil\u{1b}[31mRed\u{7}\t1\t2\n");
    let bin = assert_cmd::cargo::cargo_bin("routemap");
    let run = |args: &str| -> String {
        let log = env.path("typescript");
        std::process::Command::new("script")
            .current_dir(env.path(""))
            .args([
                "-qec",
                &format!("{} --gazetteer esc.tsv {args}", bin.display()),
            ])
            .arg(&log)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned()
    };
    let listed = run("gazetteer search Evil --prefix");
    assert!(listed.contains("Evil\\u{1b}[31mRed\\u{7}"), "{listed}");
    let suggested = run("geocode Evilred");
    assert!(suggested.contains("did you mean"), "{suggested}");
    for text in [&listed, &suggested] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    // In a pipe the bytes are the file's.
    let out = env
        .cmd()
        .args([
            "--gazetteer",
            "esc.tsv",
            "gazetteer",
            "search",
            "Evil",
            "--prefix",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Evil\u{1b}[31mRed\u{7}"));
}

#[cfg(unix)]
#[test]
fn a_fifo_import_source_is_read_once() {
    let env = Env::new();
    let fifo = env.path("places.tsv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success()));
    let writer = std::thread::spawn(move || {
        std::fs::write(&fifo, "name\tlat\tlon\nFifoville\t1.5\t2.5\n").unwrap();
    });
    let out = env
        .cmd()
        .args(["gazetteer", "import", "places.tsv", "--index", "p.rmidx"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.ok(&["--gazetteer", "p.rmidx", "geocode", "Fifoville", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["lat"].as_f64(), v["lon"].as_f64()),
        (Some(1.5), Some(2.5))
    );
}

#[test]
fn loading_many_places_of_one_name_is_linear() {
    // 200,000 rows of one name: the old check of every earlier place of
    // the name made this 2*10^10 comparisons (minutes); linear it is a
    // second or two even in a debug build.
    let env = Env::new();
    let mut text = String::from("name\tlat\tlon\n");
    for i in 0..200_000 {
        text.push_str(&format!("Samename\t{}\t{}\n", i % 80, i % 170));
    }
    env.write("same.tsv", &text);
    let out = env
        .cmd()
        .args(["--gazetteer", "same.tsv", "geocode", "Samename", "--json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "Samename");
}

#[test]
fn fuzz_found_index_with_a_fitting_crc_but_bad_name_index_is_refused() {
    // Found by `cargo fuzz run gazetteer_index`: the file's CRC-32 is made
    // to fit its damaged bytes, and the fst reader then panicked on a bad
    // node ("index out of bounds" in fst's node.rs).
    for name in ["index-fst-node.rmidx", "index-fst-nochecksum.rmidx"] {
        let mut bytes =
            std::fs::read(crate::util::repo().join("tests/fixtures/fuzz").join(name)).unwrap();
        let crc = crc32fast::hash(&bytes[16..]);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        let env = Env::new();
        std::fs::write(env.path("bad.rmidx"), &bytes).unwrap();
        let out = env
            .cmd()
            .args(["--gazetteer", "bad.rmidx", "geocode", "Seoul"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            ["routemap: error: bad.rmidx: is damaged (name index checksum mismatch); rebuild it with `routemap gazetteer import`"],
            "{name}"
        );
    }
}

#[test]
fn fuzz_found_rail_graph_with_nan_coordinates_is_refused() {
    // Found by `cargo fuzz run rail_graph`: a graph file whose structure
    // holds but whose coordinates are NaN made rstar panic.
    let env = Env::new();
    let graph = crate::util::repo().join("tests/fixtures/fuzz/rail-nan.rmrail");
    let out = env
        .cmd()
        .args(["rail", "info", graph.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is damaged or from another routemap version"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_during_an_import_removes_its_scratch_folder() {
    // The import reads a FIFO that stays open: the index's scratch folder
    // exists and the process waits for more rows, the moment to stop it.
    use std::io::Write;
    let env = Env::new();
    let fifo = env.path("places.tsv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success()));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
        .current_dir(env.path(""))
        .args(["gazetteer", "import", "places.tsv", "--index", "p.rmidx"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer
        .write_all(b"name\tlat\tlon\nFifoville\t1.5\t2.5\n")
        .unwrap();
    writer.flush().unwrap();
    // The scratch folder.
    env.wait_for_one_temporary();
    crate::util::kill("TERM", child.id());
    assert!(!child.wait().unwrap().success());
    drop(writer);
    assert_eq!(env.files(), ["places.tsv"], "no scratch folder, no index");
}

#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next() {
    // SIGKILL cannot be caught: what a killed run leaves is named with its
    // process id, and a later run writing to the folder removes it once
    // that process is gone and the file is a minute old.
    let env = Env::new();
    let gone = {
        let mut c = std::process::Command::new("true").spawn().unwrap();
        c.wait().unwrap();
        c.id()
    };
    let alive = std::process::id();
    let stale_file = format!(".routemap-{gone}-aB3dEf.tmp");
    let stale_dir = format!(".routemap-{gone}-indexXyZ12");
    let fresh_file = format!(".routemap-{gone}-fresh1.tmp");
    let live_file = format!(".routemap-{alive}-live12.tmp");
    let unnamed = ".routemap-Qw3rTy.tmp".to_string();
    for f in [&stale_file, &fresh_file, &live_file, &unnamed] {
        env.write(f, "partial");
    }
    std::fs::create_dir(env.path(&stale_dir)).unwrap();
    env.write(&format!("{stale_dir}/table"), "partial");
    let backdate = |name: &str| {
        assert!(std::process::Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(env.path(name))
            .status()
            .is_ok_and(|s| s.success()));
    };
    for f in [&stale_file, &stale_dir, &live_file, &unnamed] {
        backdate(f);
    }
    env.ok(&["route", "Seoul", "Tokyo", "-o", "x.geojson"]);
    let mut want = vec![fresh_file, live_file, unnamed, "x.geojson".to_string()];
    want.sort();
    let mut got = env.files();
    got.sort();
    assert_eq!(got, want);
}

#[cfg(unix)]
#[test]
fn an_index_written_to_a_link_or_a_device_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    env.write("x.tsv", "name\tlat\tlon\nLinkville\t1.5\t2.5\n");
    // A link: the index goes to its target, the link stays.
    std::fs::create_dir(env.path("sub")).unwrap();
    std::os::unix::fs::symlink("sub/real.rmidx", env.path("link.rmidx")).unwrap();
    env.ok(&["gazetteer", "import", "x.tsv", "--index", "link.rmidx"]);
    assert!(std::fs::symlink_metadata(env.path("link.rmidx"))
        .unwrap()
        .file_type()
        .is_symlink());
    let out = env.ok(&[
        "--gazetteer",
        "sub/real.rmidx",
        "geocode",
        "Linkville",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lat"].as_f64(), Some(1.5));
    // A device stays a device (once it was replaced by a regular file).
    let Some(dev) = full_device(&env) else {
        return;
    };
    let out = env
        .cmd()
        .args(["gazetteer", "import", "x.tsv", "--index", "full"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no space left on device"), "{err}");
    assert!(std::fs::metadata(&dev)
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(env.temporaries() == 0, "{:?}", env.files());
}

#[test]
fn places_of_one_name_in_a_user_file_are_all_found_and_ambiguous() {
    // Without an id column every place of a name got the same id, and all
    // but the first vanished: 100,000 places of one name were answered as
    // one, not ambiguous.
    let env = Env::new();
    env.write(
        "twin.tsv",
        "name\tlat\tlon\nTwinville\t10\t10\nTwinville\t-40\t100\n",
    );
    let out = env
        .cmd()
        .args(["--gazetteer", "twin.tsv", "geocode", "Twinville", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ambiguous"], true, "{v}");
    assert_eq!(v["alternatives"].as_array().map(Vec::len), Some(1), "{v}");
}

#[test]
fn a_damaged_index_is_one_error_line_and_a_good_one_is_listed() {
    let env = Env::new();
    env.write(
        "ab.tsv",
        "name\tlat\tlon\nAlphaville\t1\t2\nBetaville\t3\t4\n",
    );
    env.ok(&["gazetteer", "import", "ab.tsv", "--index", "ab.rmidx"]);
    // The places of an index given with --gazetteer are listed (they once
    // were skipped).
    let out = env.ok(&["--gazetteer", "ab.rmidx", "gazetteer", "list"]);
    let listed = crate::util::stdout(&out);
    for name in ["Alphaville", "Betaville"] {
        assert!(
            listed
                .lines()
                .any(|l| l.contains(name) && l.contains("index:ab.rmidx")),
            "{name}"
        );
    }
    let good = std::fs::read(env.path("ab.rmidx")).unwrap();
    let run = |bytes: &[u8]| {
        std::fs::write(env.path("bad.rmidx"), bytes).unwrap();
        let out = env
            .cmd()
            .args(["--gazetteer", "bad.rmidx", "geocode", "Alphaville"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        err
    };
    // One flipped bit anywhere after the preamble: the checksum says so.
    for at in [16, 40, good.len() / 2, good.len() - 1] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x10;
        let err = run(&bytes);
        assert!(
            err.contains("bad.rmidx: is damaged (checksum mismatch); rebuild it with `routemap gazetteer import`"),
            "byte {at}: {err}"
        );
    }
    // A header whose name-index length is one off, with a checksum made to
    // fit: refused, not a panic in the fst reader (the field after the
    // place count and the fst offset, little-endian, at byte 32).
    for delta in [1i64, -1] {
        let mut bytes = good.clone();
        let len = i64::from_le_bytes(bytes[32..40].try_into().unwrap()) + delta;
        bytes[32..40].copy_from_slice(&len.to_le_bytes());
        let crc = crc32fast::hash(&bytes[16..]);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        let err = run(&bytes);
        assert!(err.contains("bad.rmidx:"), "{err}");
        assert!(!err.contains("internal error"), "{err}");
    }
}

#[test]
fn an_endless_batch_line_is_one_bad_row_not_all_memory() {
    // `geocode --batch < /dev/zero` once kept every byte of its one endless
    // line; a line over 64 KiB is now one bad row and the next lines count.
    let env = Env::new();
    let mut input = vec![b'a'; 200_000];
    input.extend_from_slice(b"\nSeoul\n");
    let out = env
        .cmd()
        .args(["geocode", "--batch", "--format", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = crate::util::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["resolved"], false);
    assert_eq!(
        rows[0]["error"],
        "line 1 of the input is longer than 65536 bytes"
    );
    assert_eq!(rows[1]["country"], "KR");
}

#[cfg(unix)]
#[test]
fn the_zero_device_as_a_gazetteer_is_refused_at_once() {
    // Made in the test's own directory, never the real /dev/zero.
    let env = Env::new();
    let made = std::process::Command::new("mknod")
        .arg(env.path("zero.tsv"))
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(!in_ci(), "CI runs as root and can make a device node");
        eprintln!("skipped: mknod needs root");
        return;
    }
    let out = env
        .cmd()
        .args(["--gazetteer", "zero.tsv", "geocode", "Seoul"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        ["routemap: error: cannot read zero.tsv: not a text file: it holds a NUL byte"]
    );
}

/// CRC-32C (Castagnoli), bit by bit, masked as the fst crate stores it
/// (the Snappy framing mask).
fn fst_checksum(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ if crc & 1 == 1 { 0x82F6_3B78 } else { 0 };
        }
    }
    let crc = !crc;
    (crc.rotate_right(15)).wrapping_add(0xA282_EAD8)
}

#[test]
fn an_index_with_fitting_checksums_but_bad_nodes_is_one_line() {
    // An index whose CRC-32 and whose fst's own checksum both fit its
    // damaged name index still reaches the fst reader, which panics on a
    // bad node. `cargo fuzz run gazetteer_index` found such a file (it
    // learnt the fst checksum from the comparison); another is made here
    // from the first fuzz fixture. The nodes of a user's index are read once
    // on open: one error line naming the file, "is damaged", exit 1, like
    // any other damaged index. Never a panic, never a temporary file left.
    let mut made =
        std::fs::read(crate::util::repo().join("tests/fixtures/fuzz/index-fst-node.rmidx"))
            .unwrap();
    let at = |b: &[u8], i: usize| {
        usize::try_from(u64::from_le_bytes(b[i..i + 8].try_into().unwrap())).unwrap()
    };
    let (off, len) = (at(&made, 24), at(&made, 32));
    let sum = fst_checksum(&made[off..off + len - 4]);
    made[off + len - 4..off + len].copy_from_slice(&sum.to_le_bytes());
    let crc = crc32fast::hash(&made[16..]);
    made[12..16].copy_from_slice(&crc.to_le_bytes());
    let found = std::fs::read(
        crate::util::repo().join("tests/fixtures/fuzz/index-fst-fitting-checksums.rmidx"),
    )
    .unwrap();
    for bytes in [made, found] {
        let env = Env::new();
        std::fs::write(env.path("crafted.rmidx"), &bytes).unwrap();
        let out = env
            .cmd()
            .args([
                "--gazetteer",
                "crafted.rmidx",
                "route",
                "Seoul",
                "Tokyo",
                "-o",
                "x",
            ])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.starts_with("routemap: error: ")
                && err.contains("crafted.rmidx")
                && err.contains("is damaged"),
            "{err}"
        );
        assert_eq!(env.files(), ["crafted.rmidx"]);
    }
}

/// The zero device (made in the test's own directory, never the real
/// /dev/zero) as an OpenStreetMap extract and as an article: one line at
/// once, not gigabytes of memory.
#[cfg(unix)]
#[test]
fn the_zero_device_as_an_extract_or_an_article_is_refused_at_once() {
    let env = Env::new();
    for name in ["zero.osm", "zero.txt"] {
        let made = std::process::Command::new("mknod")
            .arg(env.path(name))
            .args(["c", "1", "5"])
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            assert!(!in_ci(), "CI runs as root and can make a device node");
            eprintln!("skipped: mknod needs root");
            return;
        }
    }
    for (args, says) in [
        (
            &[
                "route",
                "50,7",
                "50.1,7.1",
                "--mode",
                "rail",
                "--rail-network",
                "zero.osm",
            ][..],
            "NUL byte",
        ),
        (
            &["extract", "zero.txt"][..],
            "not a text file: a NUL byte at byte 0",
        ),
    ] {
        let out = env
            .cmd()
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// One node id at two places in an extract is refused, naming the node:
/// taking either once turned a 22 km route into 39,984 km with exit 0.
#[test]
fn a_node_id_given_twice_at_two_places_is_refused() {
    let env = Env::new();
    env.write(
        "dup.osm",
        "<osm version=\"0.6\"><node id=\"1\" lat=\"50.0\" lon=\"7.0\"/>\
         <node id=\"2\" lat=\"50.1\" lon=\"7.1\"/><node id=\"2\" lat=\"-50.1\" lon=\"-170.1\"/>\
         <node id=\"3\" lat=\"50.2\" lon=\"7.2\"/><way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/>\
         <nd ref=\"3\"/><tag k=\"railway\" v=\"rail\"/></way></osm>",
    );
    let out = env
        .cmd()
        .args([
            "route",
            "50.0,7.0",
            "50.2,7.2",
            "--mode",
            "rail",
            "--rail-network",
            "dup.osm",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("node 2 appears twice"), "{err}");
    // The same extract with the node once routes along it (about 27 km:
    // two segments of 13.5 km each, by the haversine formula).
    env.write(
        "once.osm",
        "<osm version=\"0.6\"><node id=\"1\" lat=\"50.0\" lon=\"7.0\"/>\
         <node id=\"2\" lat=\"50.1\" lon=\"7.1\"/><node id=\"2\" lat=\"50.1\" lon=\"7.1\"/>\
         <node id=\"3\" lat=\"50.2\" lon=\"7.2\"/><way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/>\
         <nd ref=\"3\"/><tag k=\"railway\" v=\"rail\"/></way></osm>",
    );
    let out = env
        .cmd()
        .args([
            "route",
            "50.0,7.0",
            "50.2,7.2",
            "--mode",
            "rail",
            "--rail-network",
            "once.osm",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
