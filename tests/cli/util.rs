//! A small harness for the CLI tests: a temporary working directory per
//! test, the binary under test, and helpers for optional external tools.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A test's own working directory, removed when the test ends.
pub struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The `routemap` binary, run inside this test's directory.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("routemap").expect("the routemap binary is built");
        c.current_dir(self.dir.path());
        c
    }

    /// Runs `routemap ARGS` here and checks that it succeeded.
    pub fn ok(&self, args: &[&str]) -> std::process::Output {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A path inside this test's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file inside this test's directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write fixture");
        p
    }

    /// The files in this test's directory, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// How many of routemap's temporary files and folders (`.routemap-*`)
    /// this test's directory holds.
    pub fn temporaries(&self) -> usize {
        self.files()
            .iter()
            .filter(|f| f.starts_with(".routemap-"))
            .count()
    }

    /// Waits (up to 30 s) until a temporary file or folder of routemap's
    /// appears, and checks that exactly one did.
    pub fn wait_for_one_temporary(&self) {
        let start = std::time::Instant::now();
        while self.temporaries() == 0 && start.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(self.temporaries(), 1, "one staged: {:?}", self.files());
    }
}

/// Sends `signal` (`TERM`, `INT`…) to the process `pid` with the shell's
/// own kill, so that no procps is needed.
#[cfg(unix)]
pub fn kill(signal: &str, pid: u32) {
    let killed = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .unwrap();
    assert!(killed.success());
}

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// True when running in CI, where optional tools and fixtures are required.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether an external tool is on PATH. Missing in CI is a failure;
/// elsewhere the test says it skipped.
pub fn have_tool(name: &str, test: &str) -> bool {
    let found = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(!in_ci(), "{name} is required in CI (.ci/run installs it)");
        eprintln!("skipped {test}: {name} is not installed");
    }
    found
}

/// Standard error as text, for error-message assertions.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where two JSON documents first differ, as a JSON pointer with both values
/// (short enough for a test failure message); `None` when they are equal.
pub fn first_difference(got: &serde_json::Value, want: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    fn walk(a: &Value, b: &Value, at: &str) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => walk(p, q, &format!("{at}/{k}")),
                    (p, q) => Some(format!("{at}/{k}: {p:?} vs {q:?}")),
                })
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| walk(p, q, &format!("{at}/{i}"))),
            (Value::Array(x), Value::Array(y)) => {
                Some(format!("{at}: {} items vs {}", x.len(), y.len()))
            }
            _ if a == b => None,
            _ => {
                let short = |v: &Value| v.to_string().chars().take(120).collect::<String>();
                Some(format!("{at}: {} vs {}", short(a), short(b)))
            }
        }
    }
    walk(got, want, "")
}
