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
        "routemap: error: cannot access rail network file missing.osm: No such file or directory (os error 2)\n",
    );
    fails(
        &["gazetteer", "check", "unterminated.csv"],
        1,
        "unterminated.csv:2: column -: a quoted field is never closed",
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
