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
fn a_panic_is_one_line_naming_an_internal_error() {
    // A map box a millionth of a degree wide once panicked in the
    // rasteriser. Whatever it does now, it must not print a backtrace: a
    // clean answer, a clean error, or one "internal error" line.
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
    let errors: Vec<&str> = err.lines().filter(|l| !l.contains("warning")).collect();
    match out.status.code() {
        Some(0) => assert!(errors.is_empty(), "{err}"),
        Some(101) => {
            assert_eq!(errors.len(), 1, "{err}");
            assert!(errors[0].starts_with("routemap: internal error: "), "{err}");
            assert!(!env.path("x.png").exists());
        }
        code => {
            assert_eq!(errors.len(), 1, "{code:?}: {err}");
            assert!(errors[0].starts_with("routemap: error: "), "{err}");
        }
    }
}
