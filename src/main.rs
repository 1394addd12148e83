//! The `routemap` command: parses arguments, calls the library, prints the
//! error once and picks the exit code (0 success, 1 runtime failure,
//! 2 usage error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse_args() {
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
            eprintln!("routemap: error: {e:#}");
            ExitCode::from(cli::exit_code(&e))
        }
    }
}
