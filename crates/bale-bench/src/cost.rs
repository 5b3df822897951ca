//! Deterministic per-request cost: the in-process matrix of `bench/handler-cost` (one JSON
//! object per line), and instructions per request on the socket under callgrind.

use std::path::Path;
use std::process::Command;

use anyhow::{anyhow, Context};
use serde::Deserialize;

use crate::server::Server;
use crate::wrk::{Shape, Wrk};

/// One line of `bench/handler-cost`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Cost {
    /// `getme-json`, `send-message-form`, …
    pub case: String,
    /// Bots the server knows.
    pub bots: u64,
    /// Scenario rules that match nothing.
    pub rules: u64,
    /// Chats the bot has.
    pub chats: u64,
    /// Instructions per request, in process.
    pub instructions_per_request: f64,
}

/// Reads the JSON lines of `bench/handler-cost`'s output; other lines are its log.
pub fn parse(stdout: &str) -> Vec<Cost> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// The dimensions whose growth must not raise the cost: name, small and large value.
pub const DIMENSIONS: [(&str, u64, u64); 3] = [
    ("bots", 1, 10_000),
    ("rules", 0, 1_000),
    ("chats", 1, 100_000),
];

fn get(cost: &Cost, dimension: &str) -> u64 {
    match dimension {
        "bots" => cost.bots,
        "rules" => cost.rules,
        _ => cost.chats,
    }
}

/// The worst ratio large / small of `dimension` over every case, each pair of lines alike
/// in everything else; with the case it was found in. `None`: no such pair.
pub fn worst_growth(costs: &[Cost], dimension: &str) -> Option<(f64, String)> {
    let (_, small, large) = DIMENSIONS.into_iter().find(|d| d.0 == dimension)?;
    let others = |c: &Cost| DIMENSIONS.map(|d| if d.0 == dimension { 0 } else { get(c, d.0) });
    costs
        .iter()
        .filter(|big| get(big, dimension) == large)
        .filter_map(|big| {
            let base = costs.iter().find(|c| {
                c.case == big.case && get(c, dimension) == small && others(c) == others(big)
            })?;
            Some((
                big.instructions_per_request / base.instructions_per_request,
                big.case.clone(),
            ))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Runs `bench/handler-cost` when it exists; `Ok(None)` when it does not.
pub fn handler_cost(root: &Path) -> anyhow::Result<Option<Vec<Cost>>> {
    let script = root.join("bench/handler-cost");
    if !script.exists() {
        return Ok(None);
    }
    let out = Command::new(&script)
        .current_dir(root)
        .output()
        .context("bench/handler-cost")?;
    if !out.status.success() {
        anyhow::bail!(
            "bench/handler-cost failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(Some(parse(&String::from_utf8_lossy(&out.stdout))))
}

/// User-space instructions per request of `server` (a command line) answering `shape`:
/// the server under callgrind with collection off, a 1 s warm-up, then collection on for
/// `seconds` of wrk at 10 connections; the profile's total over wrk's request count.
pub fn socket_ir(
    server: &[String],
    shape: &Shape,
    wrk: &Wrk,
    seconds: u64,
    logs: &Path,
) -> anyhow::Result<f64> {
    let profile = logs.join(format!("callgrind-{}.out", shape.name.replace(' ', "-")));
    let mut command = Command::new("valgrind");
    command.args(["--tool=callgrind", "--collect-atstart=no"]);
    command.arg(format!("--callgrind-out-file={}", profile.display()));
    command.args(server);
    let running = Server::start(command, &logs.join("callgrind.log"))?;
    wrk.run(running.addr, shape, 10, 1)?;
    let toggle = |on: &str| {
        Command::new("callgrind_control")
            .args(["-i", on, &running.pid().to_string()])
            .output()
    };
    toggle("on")?;
    let run = wrk.run(running.addr, shape, 10, seconds)?;
    toggle("off")?;
    drop(running);
    let text = std::fs::read_to_string(&profile)?;
    let total: f64 = text
        .lines()
        .find_map(|line| {
            line.strip_prefix("totals:")
                .or_else(|| line.strip_prefix("summary:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| anyhow!("no total in {}", profile.display()))?;
    Ok(total / run.requests as f64)
}
