//! The mock's cost per request (req/s and server CPU per request) with 1 and 10 000 bots,
//! and with a scenario of rules that never match, in alternating rounds.

use anyhow::bail;

use crate::cases::{cost_cases, rules_scenario};
use crate::check::{expect, get};
use crate::process::Server;
use crate::report::CostResult;
use crate::servers::{Kind, Paths};
use crate::wrk::{Load, Run, Wrk};

/// Rounds of the per-request-cost cases (the median round is reported).
const COST_ROUNDS: usize = 3;

/// Per-request cost cases, `seconds` per run: the cases without rules on `mock`, the others
/// on a mock of their own running the generated scenario.
pub fn measure(
    paths: &Paths,
    wrk: &Wrk,
    mock: &Server,
    server_cpus: Option<&str>,
    seconds: u64,
) -> anyhow::Result<Vec<CostResult>> {
    let cases = cost_cases();
    // Cases with rules get a server of their own, running the generated scenario.
    let mut own_servers = Vec::new();
    for case in &cases {
        if case.rules == 0 || case.ready.is_err() {
            own_servers.push(None);
            continue;
        }
        let file = paths.logs.join(format!("rules-{}.toml", case.rules));
        std::fs::write(&file, rules_scenario(case.rules))?;
        let mut launch = paths.launch(Kind::Mock, 0)?;
        launch.args.push("--scenario".into());
        launch.args.push(file.display().to_string());
        let log = paths
            .logs
            .join(format!("bale-mock-rules-{}.log", case.rules));
        let server = Server::start(&launch, server_cpus, &log)?;
        let path = "/bot100000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe";
        expect(&server, &get(path), 200, "\"ok\":true")?;
        own_servers.push(Some(server));
    }
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); cases.len()];
    // Rounds with the cases alternating, so that drift hits each case alike.
    for _round in 0..COST_ROUNDS {
        for ((case, runs), own) in cases.iter().zip(&mut runs).zip(&own_servers) {
            if case.ready.is_err() {
                continue;
            }
            let load = Load::Rotate {
                bots: case.bots,
                method: "getMe".into(),
                body: None,
            };
            let server = own.as_ref().unwrap_or(mock);
            let run = wrk.measure(server, &load, 50, seconds)?;
            if run.status_errors != 0 || run.requests == 0 {
                bail!("{}: {} error answers", case.label, run.status_errors);
            }
            eprintln!(
                "   {:<28} {:>9.0} req/s  {:.2} µs CPU/request",
                case.label,
                run.rps,
                run.cpu_us_per_request()
            );
            runs.push(run);
        }
    }
    for server in own_servers.into_iter().flatten() {
        server.stop();
    }
    Ok(cases
        .iter()
        .zip(runs)
        .map(|(case, runs)| CostResult {
            label: case.label,
            outcome: match case.ready {
                Ok(()) => Ok(runs),
                Err(reason) => Err(reason),
            },
        })
        .collect())
}
