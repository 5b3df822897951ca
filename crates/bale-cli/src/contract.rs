//! `bale-mock contract`: check a target — the in-process mock by default, or the real
//! tapi.bale.ai — against the committed shape snapshots, and report drift.

use std::path::PathBuf;
use std::time::Duration;

use bale_api::{redact, Secret};
use bale_contract::{run, snapshot, start_mock, Options, Outcome, Report, MOCK_TOKEN};
use clap::Args;

use crate::exit;

/// Arguments of `bale-mock contract`.
#[derive(Debug, Args)]
pub struct ContractArgs {
    #[arg(
        long,
        value_name = "URL",
        help = "The API to check, e.g. https://tapi.bale.ai; without it, an in-process mock"
    )]
    base_url: Option<String>,
    /// The bot token (required with --base-url; the in-process mock has its own).
    #[arg(long, env = "BALE_TOKEN", hide_env_values = true)]
    token: Option<Secret>,
    /// Run only cases whose name contains this (`*` matches anything).
    #[arg(long = "case", value_name = "PATTERN")]
    case: Option<String>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also run the cases that log the bot out or close it (a real bot is locked out of
    /// the cloud for 10 minutes after logOut).
    #[arg(long)]
    allow_destructive: bool,
    /// A PEM CA certificate to trust besides the usual roots.
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// Write what the target answered, where it differs, as pending snapshots for
    /// `cargo insta review`.
    #[arg(long)]
    update: bool,
    /// Where the snapshots are, for --update.
    #[arg(long, value_name = "DIR", default_value = snapshot::DIR)]
    snapshots: PathBuf,
    /// Seconds, in all, to wait out 429 answers.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    rate_limit_budget: u64,
    /// Seconds to wait for one answer.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
}

pub fn run_contract(args: ContractArgs) -> u8 {
    let ca_pem = match &args.ca_cert {
        None => None,
        Some(path) => match std::fs::read(path) {
            Ok(pem) => Some(pem),
            Err(error) => {
                eprintln!("bale-mock: cannot read {}: {error}", path.display());
                return exit::USAGE;
            }
        },
    };
    // The in-process mock lives as long as this function.
    let (mock, base_url, token) = match (&args.base_url, &args.token) {
        (None, _) => {
            let mock = start_mock();
            let uri = mock.uri();
            (Some(mock), uri, Secret::from(MOCK_TOKEN))
        }
        (Some(url), Some(token)) => (None, url.clone(), token.clone()),
        (Some(_), None) => {
            eprintln!("bale-mock: no token: pass --token or set BALE_TOKEN");
            return exit::USAGE;
        }
    };
    let options = Options {
        base_url,
        token: token.clone(),
        ca_pem,
        case_pattern: args.case.clone(),
        in_process: mock.is_some(),
        allow_destructive: args.allow_destructive,
        rate_limit_budget: Duration::from_secs(args.rate_limit_budget),
        timeout: Duration::from_secs(args.timeout),
    };
    let runtime = match crate::client_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let report = match runtime.block_on(run(&options)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("bale-mock: {error}");
            return exit::USAGE;
        }
    };
    drop(mock);
    let redact = |text: String| redact::known(&text, token.expose()).into_owned();
    print!("{}", redact(report.text()));
    if let Err(message) = write_reports(&args, &report, &redact) {
        eprintln!("bale-mock: {message}");
        return exit::USAGE;
    }
    if args.update {
        update(&args, &report);
    }
    exit_code(&report)
}

fn write_reports(
    args: &ContractArgs,
    report: &Report,
    redact: &dyn Fn(String) -> String,
) -> Result<(), String> {
    let write = |path: &PathBuf, text: String| {
        std::fs::write(path, redact(text))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let Some(path) = &args.junit {
        write(path, report.junit())?;
    }
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report.json()).unwrap_or_default();
        write(path, json + "\n")?;
    }
    Ok(())
}

fn update(args: &ContractArgs, report: &Report) {
    let mut written = 0;
    for result in &report.results {
        let changed = matches!(result.outcome, Outcome::Drifted(_) | Outcome::NoSnapshot);
        if let (true, Some(shape)) = (changed, &result.shape) {
            match snapshot::write_pending(&args.snapshots, result.case.name, shape) {
                Ok(path) => {
                    println!("pending snapshot: {}", path.display());
                    written += 1;
                }
                Err(error) => eprintln!("bale-mock: cannot write a pending snapshot: {error}"),
            }
        }
    }
    if written > 0 {
        println!("review them with: cargo insta review");
    }
}

/// 1 on drift; otherwise 3 if a case got no answer; otherwise 0.
fn exit_code(report: &Report) -> u8 {
    let summary = report.summary();
    if summary.drifted > 0 {
        exit::API_ERROR
    } else if summary.failed > 0 {
        exit::NETWORK
    } else {
        exit::OK
    }
}
