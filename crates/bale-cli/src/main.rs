//! `bale-mock`: serve the fake Bale Bot API, or call a method against it or the real one.
//!
//! # Layout
//!
//! - `main.rs`: the command line (clap) and exit codes.
//! - `serve.rs`: `bale-mock serve`.
//! - `call.rs`: `bale-mock call`.
//! - `scenarios.rs`: `bale-mock scenarios list|check`.
//! - `contract.rs`: `bale-mock contract`.

mod call;
mod contract;
mod scenarios;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system's malloc: a request allocates and frees dozens of small
/// buffers, and glibc's malloc and free were a quarter of a sendMessage's instructions
/// (mimalloc: −14 %); a long soak's RSS also stays flat where glibc's grew in steps. It
/// costs about 7 MiB more RSS idle (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, one per kind of failure (documented in `--help` and the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The API answered an error (`ok:false`), the server could not start, or a scenario
    /// file has mistakes.
    pub const API_ERROR: u8 = 1;
    /// Bad command-line usage (clap uses 2 as well).
    pub const USAGE: u8 = 2;
    /// The request did not get an answer: connect, reset, timeout, closed.
    pub const NETWORK: u8 = 3;
    /// The answer was not a Bot API envelope (HTML page, malformed or truncated JSON).
    pub const INVALID_RESPONSE: u8 = 4;
    /// `serve` got a second SIGINT or SIGTERM while draining, and stopped without waiting.
    pub const INTERRUPTED: u8 = 130;
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the API answered an error (printed on stderr), the server could not start,
     a scenario file has mistakes, or `contract` found drift
  2  usage error
  3  network error (connect refused, reset, timeout, closed without a reply;
     a TLS failure; for `contract`: a case got no answer)
  4  invalid response (not a Bot API envelope)
  130  `serve` got a second SIGINT or SIGTERM while draining and stopped at once";

#[derive(Debug, Parser)]
#[command(name = "bale-mock", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the fake tapi.bale.ai.
    Serve(serve::ServeArgs),
    /// Call a Bot API method and print what the n8n BaleMessenger node outputs.
    Call(call::CallArgs),
    /// Check a target (the in-process mock, or the real API) against the contract snapshots.
    Contract(contract::ContractArgs),
    /// List the shipped scenarios, or check scenario files.
    #[command(subcommand)]
    Scenarios(scenarios::ScenariosCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Call(args) => call::run(args),
        Command::Scenarios(command) => scenarios::run(command),
        Command::Contract(args) => contract::run_contract(args),
    };
    ExitCode::from(code)
}

/// The single-threaded runtime a client command runs on, or the exit code to stop with.
fn client_runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            eprintln!("bale-mock: cannot start the runtime: {error}");
            exit::NETWORK
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    #[test]
    fn debug_of_the_options_shows_no_token() {
        let token = format!("123456789:{SECRET}");
        let command_lines = [
            vec!["call", "getMe", "--token", &token],
            vec![
                "contract",
                "--base-url",
                "https://tapi.bale.ai",
                "--token",
                &token,
            ],
        ];
        for args in command_lines {
            let cli = Cli::try_parse_from(std::iter::once("bale-mock").chain(args)).unwrap();
            for shown in [format!("{cli:?}"), format!("{cli:#?}")] {
                assert!(!shown.contains(SECRET), "{shown}");
                assert!(shown.contains("123456789"), "{shown}");
            }
        }
    }
}
