//! The results of one run, the data [`render`](super::render) turns into Markdown.

use crate::machine::Machine;
use crate::wrk::Run;

/// How the run was set up.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Seconds per measured wrk run.
    pub seconds: u64,
    /// CPUs the servers were pinned to.
    pub server_cpus: Option<String>,
    /// CPUs wrk was pinned to.
    pub wrk_cpus: Option<String>,
    /// wrk threads.
    pub wrk_threads: u32,
}

/// Exec → first successful response, per start, in milliseconds.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// The server.
    pub server: &'static str,
    /// One sample per start.
    pub samples_ms: Vec<f64>,
}

/// The median of some values (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        n if n % 2 == 1 => Some(values[n / 2]),
        n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

impl Startup {
    pub(super) fn sorted(&self) -> Vec<f64> {
        let mut samples = self.samples_ms.clone();
        samples.sort_by(f64::total_cmp);
        samples
    }

    /// The median sample.
    pub fn median_ms(&self) -> f64 {
        median(self.samples_ms.clone()).unwrap_or(f64::NAN)
    }
}

/// The mock's memory through the soak.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    /// RSS after start and one request, in KiB.
    pub idle_kib: u64,
    /// Highest RSS seen under load, in KiB.
    pub peak_kib: u64,
    /// Requests answered in the soak.
    pub total_requests: u64,
    /// Requests the soak aimed for.
    pub target: u64,
    /// (requests so far, RSS in KiB) after each wrk run of the soak.
    pub checkpoints: Vec<(u64, u64)>,
}

impl Memory {
    /// The first checkpoint at or past `requests`.
    pub fn at(&self, requests: u64) -> Option<(u64, u64)> {
        self.checkpoints
            .iter()
            .copied()
            .find(|(n, _)| *n >= requests)
    }
}

/// Another server's memory, for comparison.
#[derive(Clone, Debug, Default)]
pub struct ServerMemory {
    /// The server.
    pub name: &'static str,
    /// RSS after start and one request, in KiB.
    pub idle_kib: u64,
    /// Highest RSS seen under the throughput runs, in KiB.
    pub peak_kib: u64,
}

impl ServerMemory {
    /// A server measured idle so far.
    pub fn idle(name: &'static str, idle_kib: u64) -> ServerMemory {
        ServerMemory {
            name,
            idle_kib,
            peak_kib: idle_kib,
        }
    }
}

/// One server's result in one case.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Measured.
    Ran(Run),
    /// Not measurable on that server, and why.
    NotSupported(&'static str),
}

impl Outcome {
    /// A one-line summary for the progress log.
    pub fn short(&self) -> String {
        match self {
            Outcome::Ran(run) => format!(
                "{:>9.0} req/s  p50 {:.3} ms  p99 {:.3} ms  cpu {:.0}%",
                run.rps,
                run.p50_us / 1e3,
                run.p99_us / 1e3,
                run.server_cpu_percent()
            ),
            Outcome::NotSupported(why) => format!("n/a: {why}"),
        }
    }

    pub(super) fn run(&self) -> Option<&Run> {
        match self {
            Outcome::Ran(run) => Some(run),
            Outcome::NotSupported(_) => None,
        }
    }
}

/// One throughput case at one connection count, for every server.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case.
    pub title: &'static str,
    /// Keep-alive connections.
    pub connections: u32,
    /// (server, outcome), in table order: bale-mock first.
    pub outcomes: Vec<(&'static str, Outcome)>,
}

impl CaseResult {
    pub(super) fn of(&self, server: &str) -> Option<&Outcome> {
        self.outcomes
            .iter()
            .find(|(name, _)| *name == server)
            .map(|(_, o)| o)
    }
}

/// One per-request-cost case of the mock.
#[derive(Clone, Debug)]
pub struct CostResult {
    /// The case.
    pub label: &'static str,
    /// Its runs, or why it is not measurable yet.
    pub outcome: Result<Vec<Run>, &'static str>,
}

impl CostResult {
    /// Median req/s and median server CPU µs per request over the rounds.
    pub(super) fn means(&self) -> Option<(f64, f64)> {
        let runs = self.outcome.as_ref().ok()?;
        let rps = median(runs.iter().map(|r| r.rps).collect())?;
        let cpu = median(runs.iter().map(Run::cpu_us_per_request).collect())?;
        Some((rps, cpu))
    }
}

/// Everything one run measured.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Date, machine, tools.
    pub machine: Machine,
    /// Run settings.
    pub settings: Settings,
    /// Start-up per server.
    pub startup: Vec<Startup>,
    /// The mock's soak.
    pub memory: Option<Memory>,
    /// Every server's memory in the throughput runs.
    pub others_memory: Vec<ServerMemory>,
    /// Throughput cases.
    pub cases: Vec<CaseResult>,
    /// Per-request cost cases.
    pub cost: Vec<CostResult>,
}
