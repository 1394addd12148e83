//! Hostile input, second round (issue 14): the exit status of a signal, a
//! bounded `--batch --column` row, rail file errors in words.

use crate::util::{stderr, Env};

/// Stops `routemap route … -o big.gpkg -o wait.kml` with `signal` while it
/// waits to write the FIFO `wait.kml` (the GeoPackage staged in its
/// temporary file), and returns the exit code, after checking that no
/// temporary file and no output is left.
#[cfg(unix)]
pub fn stopped_by(signal: &str) -> Option<i32> {
    let env = Env::new();
    let fifo = env.path("wait.kml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("routemap"))
        .current_dir(env.path(""))
        .args([
            "route", "Seoul", "Tokyo", "-o", "big.gpkg", "-o", "wait.kml",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The GeoPackage is staged.
    env.wait_for_one_temporary();
    crate::util::kill(signal, child.id());
    let status = child.wait().unwrap();
    assert_eq!(
        env.files(),
        ["wait.kml"],
        "SIG{signal}: no temporary file, no output"
    );
    status.code()
}

/// The shells' convention, 128 + the signal's number (POSIX numbers:
/// INT 2, TERM 15, HUP 1), as an exit code, not a death by the signal.
#[cfg(unix)]
#[test]
fn a_signal_exits_with_128_plus_its_number_and_leaves_no_temporary_file() {
    assert_eq!(stopped_by("TERM"), Some(143));
    assert_eq!(stopped_by("INT"), Some(130));
    assert_eq!(stopped_by("HUP"), Some(129));
}

#[test]
fn a_huge_csv_row_or_value_under_batch_column_is_refused_naming_its_line() {
    let env = Env::new();
    // Line 3: a value of 70,000 bytes (over the 64 KiB a name may have):
    // a bad row naming its line, the others answered. Line 5: a quoted
    // field of 2 MB (over the 1 MiB a row may have): the input ends with
    // one error line naming line 5, exit 1, before the rest is read.
    let input = format!(
        "id,city\n1,Paris\n2,{}\n3,Berlin\n4,\"{}\"\n5,Rome\n",
        "x".repeat(70_000),
        "y".repeat(2_000_000)
    );
    let out = env
        .cmd()
        .args(["geocode", "--batch", "--column", "city"])
        .write_stdin(input)
        .output()
        .unwrap();
    let (err, text) = (stderr(&out), crate::util::stdout(&out));
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("routemap: error: ")
            && err.contains("line 5")
            && err.contains("longer than 1048576 bytes"),
        "{err}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("Paris\tParis"), "{text}");
    assert!(
        lines[1].contains("UNRESOLVED") && lines[1].contains("line 3 of the input"),
        "{text}"
    );
    assert!(lines[2].starts_with("Berlin\tBerlin"), "{text}");
    assert!(!text.contains("Rome"), "{text}");
}

#[test]
fn missing_rail_files_are_one_line_in_words() {
    let env = Env::new();
    std::fs::create_dir(env.path("folder")).unwrap();
    let cases: [&[&str]; 5] = [
        &["rail", "build", "missing.osm.pbf", "--out", "x.rmrail"],
        &["rail", "info", "missing.rmrail"],
        &[
            "route",
            "Vladivostok",
            "Ussuriysk",
            "--mode",
            "rail",
            "--rail-network",
            "missing",
        ],
        &[
            "route",
            "Vladivostok",
            "Ussuriysk",
            "--mode",
            "rail",
            "--rail-network",
            "missing.osm",
        ],
        &[
            "route",
            "Vladivostok",
            "Ussuriysk",
            "--mode",
            "rail",
            "--rail-network",
            "folder",
        ],
    ];
    for args in cases {
        let out = env.cmd().args(args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        let path = args
            .iter()
            .find(|a| a.starts_with("missing") || **a == "folder")
            .unwrap();
        assert!(
            err.starts_with(&format!(
                "routemap: error: cannot read rail network file {path}: "
            )),
            "{args:?}: {err}"
        );
        assert!(
            err.trim_end().ends_with(": no such file")
                || err.trim_end().ends_with(": is a directory"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("os error"), "{args:?}: {err}");
    }
    assert_eq!(env.files(), ["folder"]);
}

/// The built-in world index, given as a file, passes the walk over every
/// node that a user's index gets on open (the built-in one is not walked at
/// start): what routemap builds is what it accepts.
#[test]
fn the_built_in_index_given_as_a_file_passes_the_node_walk() {
    let env = Env::new();
    let world = crate::util::repo().join("gazetteer/world/world.rmidx");
    let out = env
        .cmd()
        .arg("--gazetteer")
        .arg(&world)
        .args(["geocode", "Vladivostok"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        crate::util::stdout(&out).starts_with("Vladivostok\tVladivostok"),
        "{}",
        crate::util::stdout(&out)
    );
}

/// `cargo fuzz run osm_pbf` (December 7, third run) found a PBF extract
/// whose dense node coordinates overflow inside the osmpbf crate
/// (`granularity * lon`, `dense.rs:57`): with overflow checks (a debug
/// build, as `cargo test` makes) it panics there, without them it wraps and
/// the file is read as holding no track. Not fixed yet (the coordinates
/// need reading with checked arithmetic in `src/rail/osm.rs`); until then
/// it must be one line either way: "internal error", exit 101, or the
/// reader's own error, exit 1. Never a backtrace, never a file left.
#[test]
fn a_pbf_extract_whose_coordinates_overflow_is_one_line() {
    let env = Env::new();
    std::fs::copy(
        crate::util::repo().join("tests/fixtures/fuzz/pbf-dense-overflow.osm.pbf"),
        env.path("crash.osm.pbf"),
    )
    .unwrap();
    let out = env
        .cmd()
        .args(["rail", "build", "crash.osm.pbf", "--out", "x.rmrail"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    // A build with overflow checks (the tests' debug build) catches the
    // overflow inside osmpbf; a release build wraps and finds no track.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("routemap: error: ") && err.contains("crash.osm.pbf"),
        "{err}"
    );
    assert_eq!(env.files(), ["crash.osm.pbf"]);
}
