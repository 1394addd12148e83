//! The `routemap` command: parses arguments, calls the library, prints the
//! error once and picks the exit code (0 success, 1 runtime failure,
//! 2 usage error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in one line, not a backtrace: the last-resort
    // hook names it as an internal error, removes temporary files and exits
    // with 101 (Rust's own code for a panic).
    std::panic::set_hook(Box::new(|info| {
        use std::io::Write;
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = what.replace('\n', " ");
        let _ = writeln!(
            std::io::stderr(),
            "routemap: internal error: {what}{at} (please report it)"
        );
        routemap::output::try_remove_temp_files();
        std::process::exit(101);
    }));
    on_signals_clean_up();
    let args = match cli::Cli::try_parse_args(protect_negative_coordinates(std::env::args_os())) {
        Ok(args) => args,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage
            // errors to stderr with exit 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("routemap: error: {}", one_line(&e));
            ExitCode::from(cli::exit_code(&e))
        }
    }
}

/// An interrupted run (Ctrl-C, SIGTERM, SIGHUP) removes the temporary files
/// of the outputs it was writing, so that it leaves nothing behind, and
/// exits as the shells report a signal: 128 + its number (130 for SIGINT,
/// 143 for SIGTERM, 129 for SIGHUP).
#[cfg(unix)]
fn on_signals_clean_up() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                routemap::output::remove_temp_files();
                std::process::exit(128 + signal);
            }
        });
}

/// Elsewhere ctrlc, which cannot tell the signals apart: 130 for all.
#[cfg(not(unix))]
fn on_signals_clean_up() {
    let _ = ctrlc::set_handler(|| {
        routemap::output::remove_temp_files();
        std::process::exit(130);
    });
}

/// clap reads `-6.2,106.8` as a cluster of short flags. An argument that is
/// a coordinate with a negative latitude gets a Unicode minus sign (U+2212)
/// instead, which the library reads as a minus like any other.
fn protect_negative_coordinates(
    args: impl Iterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    args.map(|a| match a.to_str() {
        Some(s)
            if s.starts_with('-')
                && routemap::gazetteer::parse_coordinate(s).is_ok_and(|p| p.is_some()) =>
        {
            format!("\u{2212}{}", &s[1..]).into()
        }
        _ => a,
    })
    .collect()
}

/// The error and its causes on one line, each cause once: a cause whose
/// text its parent already ends with (`…: {source}`) is not repeated.
fn one_line(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if !text.is_empty() && text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    cli::one_line_text(&text)
}
