//! Deterministic per-request cost: the in-process matrix of `bench/handler-cost` (one JSON
//! object per line), and user-space instructions per request on the socket under callgrind.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::server::Server;
use crate::wrk::{Shape, Wrk};

/// One line of `bench/handler-cost`: a case on a server of so many bots, rules and chats.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Cost {
    pub case: String,
    pub bots: u64,
    pub rules: u64,
    pub chats: u64,
    pub instructions_per_request: f64,
}

impl Cost {
    fn size(&self, dimension: usize) -> u64 {
        [self.bots, self.rules, self.chats][dimension]
    }
}

/// The sizes that must not raise the cost by more than 10 %: name, small, large.
pub const DIMENSIONS: [(&str, u64, u64); 3] = [
    ("bots", 1, 10_000),
    ("rules", 0, 1_000),
    ("chats", 1, 100_000),
];

/// The JSON lines of `bench/handler-cost`'s output; other lines are its log.
pub fn parse(stdout: &str) -> Vec<Cost> {
    let lines = stdout.lines().map(serde_json::from_str);
    lines.filter_map(Result::ok).collect()
}

/// The largest cost ratio, large / small size of dimension `d`, over every pair of lines of
/// one case alike in the other sizes, with its case; `None` without such a pair.
pub fn worst_growth(costs: &[Cost], d: usize) -> Option<(f64, String)> {
    let (_, small, large) = DIMENSIONS[d];
    let others = |c: &Cost| [0, 1, 2].map(|i| if i == d { 0 } else { c.size(i) });
    let bigs = costs.iter().filter(|big| big.size(d) == large);
    let pairs = bigs.filter_map(|big| {
        let alike = |c: &&Cost| c.case == big.case && others(c) == others(big);
        let base = costs.iter().filter(alike).find(|c| c.size(d) == small)?;
        let ratio = big.instructions_per_request / base.instructions_per_request;
        Some((ratio, big.case.clone()))
    });
    pairs.max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Runs `bench/handler-cost` when it exists (it is written alongside); `None` when not.
pub fn handler_cost(root: &Path) -> anyhow::Result<Option<Vec<Cost>>> {
    let script = root.join("bench/handler-cost");
    if !script.exists() {
        return Ok(None);
    }
    let mut command = Command::new(&script);
    let out = command.stderr(Stdio::inherit()).output()?; // its log is shown as it runs
    if !out.status.success() {
        bail!("bench/handler-cost failed: {}", out.status);
    }
    Ok(Some(parse(&String::from_utf8_lossy(&out.stdout))))
}

/// Instructions per request of `server` (a command line) answering `shape`: the server
/// under callgrind with instrumentation off, a 1 s warm-up, then instrumentation on for 3 s
/// of wrk at 10 connections; the profile's total over wrk's count of answers.
pub fn socket_ir(server: &[String], shape: &Shape, wrk: &Wrk, logs: &Path) -> anyhow::Result<f64> {
    let profile = format!("--callgrind-out-file={}/callgrind-%p.out", logs.display());
    let mut valgrind = Command::new("valgrind");
    valgrind.args(["--tool=callgrind", "--instr-atstart=no", &profile]);
    valgrind.args(server);
    let running = Server::start(valgrind, &logs.join("callgrind.log"))?;
    wrk.run(running.addr, shape, 10, 1)?;
    let pid = running.pid().to_string();
    let control = |on: &str| Command::new("callgrind_control").args([on, &pid]).output();
    control("--instr=on")?;
    let run = wrk.run(running.addr, shape, 10, 3)?;
    control("--instr=off")?;
    drop(running); // SIGTERM: callgrind writes the profile as the server exits
    let profile = std::fs::read_to_string(logs.join(format!("callgrind-{pid}.out")))?;
    let total = profile.lines().find_map(|l| l.strip_prefix("totals: "));
    let total: f64 = total.context("no totals in the profile")?.trim().parse()?;
    Ok(total / run.requests as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_compares_lines_alike_in_the_other_sizes() {
        let out = r#"building handler_cost…
            {"case":"a","bots":1,"rules":0,"chats":1,"instructions_per_request":1000}
            {"case":"a","bots":10000,"rules":0,"chats":1,"instructions_per_request":1050}
            {"case":"a","bots":1,"rules":1000,"chats":1,"instructions_per_request":1200}
            {"case":"b","bots":1,"rules":0,"chats":1,"instructions_per_request":2000}
            {"case":"b","bots":10000,"rules":0,"chats":1,"instructions_per_request":2300}
            {"case":"a","bots":10000,"rules":1000,"chats":1,"instructions_per_request":1260}"#;
        let costs = parse(out);
        assert_eq!(costs.len(), 6);
        let round = |w: Option<(f64, String)>| w.map(|(x, case)| ((x * 1e3).round(), case));
        // The last line is paired with bots 1, rules 1 000 (1.05 ×), not with the base.
        assert_eq!(round(worst_growth(&costs, 0)), Some((1150.0, "b".into())));
        assert_eq!(round(worst_growth(&costs, 1)), Some((1200.0, "a".into())));
        assert_eq!(worst_growth(&costs, 2), None);
    }
}
