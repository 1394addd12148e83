//! Bad input: one clear line on stderr, a non-zero exit, no panic, no file.

use crate::util::{stderr, Env};

/// Runs routemap in a fresh directory and checks the failure contract:
/// the exit code, one stderr line containing `needle`, and no file written.
fn fails(args: &[&str], code: i32, needle: &str) {
    let env = Env::new();
    env.write("bad.tsv", "name\tlat\tlon\nGood\t1\t2\nBad\t91.5\t2\n");
    let before = env.files();
    let out = env.cmd().args(args).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line for {args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected {needle:?} in {err:?}"
    );
    assert_eq!(env.files(), before, "{args:?} left a file behind");
}

#[test]
fn unknown_place_with_suggestions() {
    fails(
        &["route", "Pyongyang", "Vladivostokk Harbour", "-o", "x"],
        1,
        "stop 2: unknown place \"Vladivostokk Harbour\"",
    );
}

#[test]
fn empty_name() {
    fails(
        &["route", "Pyongyang", " ", "-o", "x"],
        1,
        "stop 2: empty place name",
    );
}

#[test]
fn fewer_than_two_stops() {
    fails(
        &["route", "Pyongyang", "-o", "x"],
        2,
        "a route needs at least two stops, got 1",
    );
}

#[test]
fn latitude_out_of_range() {
    fails(
        &["route", "95.0,10", "Seoul", "-o", "x"],
        1,
        "stop 1: invalid coordinate \"95.0,10\": latitude 95 is out of range -90..90",
    );
}

#[test]
fn longitude_not_a_number() {
    fails(
        &["route", "Seoul", "39.0,east", "-o", "x"],
        1,
        "longitude \"east\" is not a number",
    );
}

#[test]
fn malformed_user_gazetteer_row() {
    fails(
        &[
            "--gazetteer",
            "bad.tsv",
            "route",
            "Good",
            "Seoul",
            "-o",
            "x",
        ],
        1,
        "bad.tsv:3: column lat: latitude 91.5 is out of range -90..90",
    );
}

#[test]
fn missing_gazetteer_file() {
    fails(
        &[
            "--gazetteer",
            "nope.csv",
            "route",
            "Seoul",
            "Tokyo",
            "-o",
            "x",
        ],
        1,
        "cannot read nope.csv: no such file",
    );
}

#[test]
fn output_directory_missing() {
    fails(
        &["route", "Seoul", "Tokyo", "-o", "no/such/dir/x"],
        1,
        "cannot write no/such/dir/x.geojson: directory no/such/dir does not exist",
    );
}

#[test]
fn bad_units_is_a_usage_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "Seoul", "Tokyo", "--units", "furlong"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"furlong\" is not one of km, mi, nmi"));
}

#[test]
fn failure_never_damages_an_existing_file() {
    let env = Env::new();
    std::fs::write(env.path("keep.geojson"), "precious").unwrap();
    let out = env
        .cmd()
        .args([
            "route",
            "Seoul",
            "Nowhereville Qq",
            "--geojson",
            "keep.geojson",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(env.path("keep.geojson")).unwrap(),
        "precious"
    );
}

#[test]
fn gazetteer_check_reports_the_bad_row() {
    let env = Env::new();
    env.write("bad.csv", "name,lat,lon,kind\nA,1,2,city\nB,1,2,volcano\n");
    let out = env
        .cmd()
        .args(["gazetteer", "check", "bad.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv:3: column kind: \"volcano\" is not a place kind"),
        "{}",
        stderr(&out)
    );
    env.write("good.csv", "name,lat,lon,kind\nA,1,2,city\n");
    let out = env
        .cmd()
        .args(["gazetteer", "check", "good.csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn help_shows_examples() {
    let env = Env::new();
    for sub in ["geocode", "route", "distance"] {
        let out = env.cmd().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Examples:"),
            "{sub}"
        );
    }
}

#[test]
fn map_size_zero_is_a_usage_error() {
    fails(
        &["route", "Seoul", "Tokyo", "--size", "0x0", "--png", "m.png"],
        2,
        "map size 0x0 is out of range",
    );
}

#[test]
fn unknown_projection_is_a_usage_error() {
    fails(
        &["map", "Seoul", "--projection", "gnomonic", "-o", "m"],
        2,
        "unknown projection \"gnomonic\"",
    );
}

#[test]
fn unknown_style_is_a_usage_error() {
    fails(
        &["route", "Seoul", "Tokyo", "--style", "neon", "-o", "m"],
        2,
        "unknown map style \"neon\"",
    );
}

#[test]
fn unwritable_map_path_leaves_no_file() {
    fails(
        &[
            "route",
            "Seoul",
            "Tokyo",
            "--geojson",
            "r.geojson",
            "--png",
            "no/such/dir/m.png",
        ],
        1,
        "cannot write no/such/dir/m.png: directory no/such/dir does not exist",
    );
}

#[test]
fn map_without_an_output_is_a_usage_error() {
    fails(&["map", "Seoul"], 2, "nothing to write");
}

#[test]
fn a_projection_that_cannot_show_the_box_is_refused() {
    fails(
        &[
            "route",
            "Pyongyang",
            "Seoul",
            "--projection",
            "conic",
            "--bbox=-180,-90,180,90",
            "-o",
            "x",
        ],
        2,
        "the conic projection cannot show this area (lon -180.0..180.0, lat -90.0..90.0)",
    );
}

#[test]
fn a_bad_text_scale_is_a_usage_error() {
    fails(
        &["map", "Seoul", "--text-scale", "20", "-o", "m"],
        2,
        "invalid text scale \"20\"",
    );
}
