//! The load generator: one wrk run of one request shape, its `done()` summary parsed with
//! serde_json (bench/wrk/bench.lua prints it).

use std::net::SocketAddr;
use std::process::Command;

use anyhow::{anyhow, bail, Context};
use serde::Deserialize;

/// What a wrk run sends: one request, repeated.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The row's name.
    pub name: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The request target, `/bot<token>/<method>`.
    pub path: String,
    /// The body's `Content-Type` and the body, for a POST.
    pub body: Option<(String, String)>,
}

/// wrk's summary of one run (the JSON line of bench/wrk/bench.lua).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
pub struct Run {
    /// Answers received.
    pub requests: u64,
    /// Length of the run, µs.
    pub duration_us: u64,
    /// Connect, read, write and timeout errors.
    pub socket_errors: u64,
    /// Answers with a status ≥ 400.
    pub status_errors: u64,
    /// Median latency, µs.
    pub p50_us: u64,
    /// 99th percentile latency, µs.
    pub p99_us: u64,
}

impl Run {
    /// Requests per second.
    pub fn rps(&self) -> f64 {
        self.requests as f64 * 1e6 / self.duration_us.max(1) as f64
    }

    /// Reads the `BENCH {json}` line out of wrk's output.
    pub fn parse(stdout: &str) -> anyhow::Result<Run> {
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix("BENCH "))
            .ok_or_else(|| anyhow!("no BENCH line in wrk's output: {stdout}"))?;
        Ok(serde_json::from_str(line)?)
    }
}

/// How wrk is run: threads, and the CPUs it is pinned to (`--pin`).
pub struct Wrk {
    /// `bench/wrk/bench.lua`.
    pub script: String,
    /// wrk's threads.
    pub threads: usize,
    /// `taskset -c` CPU list, when pinned.
    pub cpus: Option<String>,
}

impl Wrk {
    /// `shape` at `connections` for `seconds` against `addr`; fails on any error answer.
    pub fn run(
        &self,
        addr: SocketAddr,
        shape: &Shape,
        connections: u32,
        seconds: u64,
    ) -> anyhow::Result<Run> {
        let mut command = pinned(self.cpus.as_deref(), "wrk");
        command.arg(format!("-t{}", self.threads.min(connections as usize)));
        command.args([
            format!("-c{connections}"),
            format!("-d{seconds}s"),
            "--latency".into(),
        ]);
        command.args(["-s", &self.script, &format!("http://{addr}"), "--"]);
        command.args([shape.method, &shape.path]);
        if let Some((content_type, body)) = &shape.body {
            command.args([content_type, body]);
        }
        let out = command.output().context("wrk")?;
        let run = Run::parse(&String::from_utf8_lossy(&out.stdout))?;
        if run.requests == 0 || run.status_errors > 0 {
            bail!(
                "{}: {} of {} answers were errors",
                shape.name,
                run.status_errors,
                run.requests
            );
        }
        Ok(run)
    }
}

/// `program`, under `taskset -c cpus` when pinned.
pub fn pinned(cpus: Option<&str>, program: &str) -> Command {
    match cpus {
        Some(cpus) => {
            let mut command = Command::new("taskset");
            command.args(["-c", cpus, program]);
            command
        }
        None => Command::new(program),
    }
}
