//! `bale-bench`: measures the `bale-mock` server against a bare hyper server (the physical
//! limit of this machine) and telegram-test-api (the npm emulator bot authors use today), in
//! one run, and writes the results with their ratios to `BENCHMARKS.md`.
//!
//! Run it with `bench/run`, which installs wrk and telegram-test-api, builds the release
//! binaries and then runs this driver. Everything it starts listens on 127.0.0.1, every
//! load run is bounded in time, and every process it starts is stopped by its PID.
//!
//! # What it measures
//!
//! - requests/second and p50/p99 latency at 1 and 50 keep-alive connections (wrk), for
//!   getMe, a logged-out bot, a bad token, and POST with a JSON and with a form body;
//! - exec → first successful getMe of each server (median of `--starts` starts);
//! - the mock's RSS idle, under load, after 100 k and after 1 M requests;
//! - the mock's cost per request with 1 and with 10 000 distinct bots.
//!
//! # Layout
//!
//! - `main.rs`: the command line (clap) and the exit code.
//! - [`run`]: one run, in order, from the set-up to the report.
//! - [`servers`]: the three servers under test, where their programs are, how to start each.
//! - [`cases`]: what the servers are sent: the throughput cases, the per-request-cost cases
//!   and the scenario of rules.
//! - [`check`]: one request and a check of its answer, before a server is loaded.
//! - [`startup`]: exec → first successful getMe.
//! - [`soak`]: the mock's memory through a long run of requests.
//! - [`conversations`]: minutes of conversations at saturation (getUpdates, webhooks,
//!   sendMessage, rotating tokens), RSS and p99 by interval.
//! - [`throughput`]: every server started once, then every case at every connection count.
//! - [`cost`]: the mock's cost per request with 1 and 10 000 bots and with 1 000 rules.
//! - [`report`]: the results, the targets and their Markdown, spliced into `BENCHMARKS.md`.
//! - [`wrk`]: one wrk run, bounded in time, with the server's CPU and memory sampled.
//! - [`probe`]: a minimal blocking HTTP/1.1 client.
//! - [`process`]: child processes stopped by PID, `/proc` readings, waiting for quiet.
//! - [`machine`]: the date, the machine and the tools' versions.
//! - `bin/bare-hyper.rs`: the bare hyper server, the physical limit.

mod cases;
mod check;
mod conversations;
mod cost;
mod machine;
mod probe;
mod process;
mod report;
mod run;
mod servers;
mod soak;
mod startup;
mod throughput;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Command-line options.
#[derive(Parser, Debug)]
#[command(about = "Benchmark bale-mock against bare hyper and telegram-test-api")]
struct Opts {
    /// Seconds of each measured wrk run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Start-up measurements per server (the median is reported).
    #[arg(long, default_value_t = 25)]
    starts: usize,
    /// Requests of the memory soak (RSS is read after 100 k and after this many).
    #[arg(long, default_value_t = 1_000_000)]
    soak_requests: u64,
    /// Do not pin the servers and wrk to separate CPUs.
    #[arg(long)]
    no_pin: bool,
    /// Skip telegram-test-api.
    #[arg(long)]
    no_ttapi: bool,
    /// A short smoke run (1 s runs, 5 starts, 200 k soak) that writes no file.
    #[arg(long)]
    quick: bool,
    /// Print the report only; do not write BENCHMARKS.md.
    #[arg(long)]
    no_write: bool,
    /// Run only the conversation soak, for this many minutes (10 for the recorded result),
    /// and write its section of BENCHMARKS.md.
    #[arg(long, value_name = "MINUTES")]
    conversations_soak: Option<u64>,
    /// The repository root (default: found from this crate's location).
    #[arg(long)]
    root: Option<PathBuf>,
}

fn main() -> ExitCode {
    let mut opts = Opts::parse();
    if opts.quick {
        opts.seconds = 1;
        opts.starts = 5;
        opts.soak_requests = 200_000;
        opts.no_write = true;
    }
    let outcome = match opts.conversations_soak {
        Some(minutes) => run::conversations_soak(&opts, minutes),
        None => run::run(&opts),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bale-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}
