//! The results, the targets of issue 5, and their Markdown rendering into `BENCHMARKS.md`
//! (only the part between the markers is rewritten; notes around it are kept).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::machine::Machine;
use crate::process::QUIET_PERCENT;
use crate::wrk::Run;

const BEGIN: &str = "<!-- bench:begin (written by bale-bench; edits inside are overwritten) -->";
const END: &str = "<!-- bench:end -->";

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
    fn sorted(&self) -> Vec<f64> {
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

    fn run(&self) -> Option<&Run> {
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
    fn of(&self, server: &str) -> Option<&Outcome> {
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
    fn means(&self) -> Option<(f64, f64)> {
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

const MOCK: &str = "bale-mock";
const BARE: &str = "bare-hyper";
const TTAPI: &str = "telegram-test-api";

/// 20 MB, in KiB.
const RSS_IDLE_LIMIT_KIB: f64 = 20e6 / 1024.0;

fn rps(x: f64) -> String {
    let n = x.round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && matches!((digits.len() - i) % 3, 0) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(us: f64) -> String {
    format!("{:.3}", us / 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    let r = a / b;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

fn met(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// The measured part of `BENCHMARKS.md`.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    let m = &results.machine;
    let s = &results.settings;
    let _ = writeln!(out, "## Results of {}\n", m.date);
    let _ = writeln!(
        out,
        "Machine: {} × {}, {} memory, Linux {} ({}). Shared and virtual: absolute figures are \
         noisy; compare the ratios, which come from one run.\n",
        m.cpus, m.cpu_model, m.memory, m.kernel, m.os
    );
    let tools: Vec<String> = m.tools.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(out, "Tools: {}.\n", tools.join("; "));
    let pinning = match (&s.server_cpus, &s.wrk_cpus) {
        (Some(server), Some(wrk)) => format!(
            "each server pinned to CPU {server} and wrk to CPU {wrk} with `taskset` (so \
             tokio's runtimes get one worker each, and the load generator never competes \
             with the server for a core)"
        ),
        _ => "no CPU pinning".to_owned(),
    };
    let _ = writeln!(
        out,
        "Method: wrk, {} thread(s), keep-alive, {} s per measured run after a 2 s warm-up per \
         server; {pinning}. Latency is wrk's per-request latency (p50/p99, in ms). \
         bare-hyper answers its fixed 208-byte getMe body to every case, so it is the \
         transport ceiling for each. Server CPU is read from /proc/PID/stat around each run.\n",
        s.wrk_threads, s.seconds
    );

    let foreign = results
        .cases
        .iter()
        .flat_map(|c| c.outcomes.iter().filter_map(|(_, o)| o.run()))
        .chain(
            results
                .cost
                .iter()
                .filter_map(|c| c.outcome.as_ref().ok())
                .flatten(),
        )
        .map(Run::foreign_cpu_percent)
        .fold(0.0, f64::max);
    let _ = writeln!(
        out,
        "Quiet machine: before each measured run and each start the driver waits until other \
         processes use at most {QUIET_PERCENT:.0} % of a core, and it repeats a run (up to 3 \
         times, keeping the least disturbed) when they used more during it. Most CPU other \
         processes used during a kept run: {foreign:.0} % of a core.\n"
    );

    render_targets(&mut out, results);
    render_cases(&mut out, results);
    render_startup(&mut out, results);
    render_memory(&mut out, results);
    render_cost(&mut out, results);
    render_runs(&mut out, results);
    out
}

fn case<'a>(results: &'a Results, title: &str, connections: u32) -> Option<&'a CaseResult> {
    results
        .cases
        .iter()
        .find(|c| c.title.starts_with(title) && c.connections == connections)
}

fn render_targets(out: &mut String, results: &Results) {
    let _ = writeln!(out, "### Targets (issue 5)\n");
    let _ = writeln!(out, "| Target | Goal | Measured | |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    let get_me = case(results, "getMe", 50);
    let run_of = |server: &str| get_me.and_then(|c| c.of(server)).and_then(Outcome::run);
    let (mock, bare, ttapi) = (run_of(MOCK), run_of(BARE), run_of(TTAPI));

    // Two readings: req/s as wrk saw it, and capacity (inverse server CPU per request), which
    // does not flatter the mock when wrk, not bare-hyper, is the limit of the run.
    let vs_bare = mock.zip(bare).map(|(m, b)| {
        (
            m.rps / b.rps,
            b.cpu_us_per_request() / m.cpu_us_per_request(),
            b.server_cpu_percent(),
        )
    });
    let _ = writeln!(
        out,
        "| Throughput vs bare hyper, getMe, 50 conns | ≥ 0.85× | {} | {} |",
        vs_bare.map_or("–".into(), |(r, c, busy)| format!(
            "{r:.2}× in req/s (bare-hyper's CPU {busy:.0} % busy); {c:.2}× in capacity \
             (inverse server CPU per request)"
        )),
        met(vs_bare.map(|(r, c, _)| r >= 0.85 && c >= 0.85))
    );
    let vs_ttapi = mock.zip(ttapi).map(|(m, t)| m.rps / t.rps);
    let ceiling = bare.zip(ttapi).map(|(b, t)| b.rps / t.rps);
    let _ = writeln!(
        out,
        "| Throughput vs telegram-test-api, getMe, 50 conns | ≥ 20× | {}{} | {} |",
        vs_ttapi.map_or("–".into(), |r| format!("{r:.1}×")),
        ceiling.map_or(String::new(), |c| format!(
            " (bare hyper itself: {c:.1}×, both on one core)"
        )),
        met(vs_ttapi.map(|r| r >= 20.0))
    );

    let worst = results
        .cases
        .iter()
        .filter(|c| c.connections == 50)
        .filter_map(|c| Some((c.title, c.of(MOCK)?.run()?.p99_us)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let _ = writeln!(
        out,
        "| p99 latency at 50 conns (worst case) | ≤ 2 ms | {} | {} |",
        worst.map_or("–".into(), |(t, p)| format!(
            "{} ms ({t}); getMe {} ms (bare-hyper {} ms)",
            ms(p),
            mock.map_or("–".into(), |m| ms(m.p99_us)),
            bare.map_or("–".into(), |b| ms(b.p99_us))
        )),
        met(worst.map(|(_, p)| p <= 2000.0))
    );

    let startup = results
        .startup
        .iter()
        .find(|s| s.server == MOCK)
        .map(Startup::median_ms);
    let _ = writeln!(
        out,
        "| Exec → first response (median) | ≤ 15 ms | {} | {} |",
        startup.map_or("–".into(), |v| format!("{v:.2} ms")),
        met(startup.map(|v| v <= 15.0))
    );

    let memory = results.memory.as_ref();
    let _ = writeln!(
        out,
        "| RSS idle | ≤ 20 MB | {} | {} |",
        memory.map_or("–".into(), |m| mib(m.idle_kib)),
        met(memory.map(|m| (m.idle_kib as f64) <= RSS_IDLE_LIMIT_KIB))
    );
    let flat = memory.and_then(|m| {
        let (n1, r1) = m.at(100_000)?;
        let (n2, r2) = m.at(m.target.max(1))?;
        Some((n1, r1, n2, r2, (r2 as f64 - r1 as f64) / r1 as f64))
    });
    let _ = writeln!(
        out,
        "| RSS flat from 100 k to 1 M requests | within 10 % | {} | {} |",
        flat.map_or_else(
            || memory.map_or("–".into(), |m| format!(
                "soak stopped at {} requests",
                rps(m.total_requests as f64)
            )),
            |(n1, r1, n2, r2, d)| format!(
                "{} after {} → {} after {} ({:+.1} %)",
                mib(r1),
                rps(n1 as f64),
                mib(r2),
                rps(n2 as f64),
                d * 100.0
            )
        ),
        met(flat.map(|f| f.4.abs() <= 0.10))
    );

    let one = results.cost.first().and_then(CostResult::means);
    let many = results.cost.get(1).and_then(CostResult::means);
    let cost = one.zip(many).map(|((r1, c1), (r2, c2))| (r2 / r1, c2 / c1));
    let _ = writeln!(
        out,
        "| Cost per request, 1 → 10 000 bots | within 10 % | {} | {} |",
        cost.map_or("–".into(), |(r, c)| format!(
            "throughput {r:.2}×, CPU per request {c:.2}×"
        )),
        met(cost.map(|(r, c)| r >= 0.90 && c <= 1.10))
    );
    if let Some(rules) = results.cost.get(2) {
        let cost = one
            .zip(rules.means())
            .map(|((r1, c1), (r2, c2))| (r2 / r1, c2 / c1));
        let measured = match (&rules.outcome, cost) {
            (Err(why), _) => (*why).to_owned(),
            (Ok(_), Some((r, c))) => format!("throughput {r:.2}×, CPU per request {c:.2}×"),
            (Ok(_), None) => "–".to_owned(),
        };
        let _ = writeln!(
            out,
            "| Cost per request, no scenario → {} (same bound) | within 10 % | {measured} | {} |",
            rules.label.trim_start_matches("1 bot, "),
            met(cost.map(|(r, c)| r >= 0.90 && c <= 1.10))
        );
    }
    let _ = writeln!(out);
}

fn render_cases(out: &mut String, results: &Results) {
    let _ = writeln!(out, "### Throughput and latency\n");
    let _ = writeln!(
        out,
        "| Case | Conns | bale-mock req/s | p50 / p99 ms | bare-hyper req/s | p50 / p99 ms | \
         telegram-test-api req/s | p50 / p99 ms | mock / bare-hyper | mock / telegram-test-api \
         | CPU per request, mock / bare-hyper |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut gaps = Vec::new();
    for c in &results.cases {
        let mut row = format!("| {} | {} |", c.title, c.connections);
        for server in [MOCK, BARE, TTAPI] {
            match c.of(server) {
                Some(Outcome::Ran(run)) => {
                    let _ = write!(
                        row,
                        " {} | {} / {} |",
                        rps(run.rps),
                        ms(run.p50_us),
                        ms(run.p99_us)
                    );
                }
                Some(Outcome::NotSupported(why)) => {
                    if !gaps.iter().any(|(t, _)| *t == c.title) {
                        gaps.push((c.title, *why));
                    }
                    row.push_str(" n/a¹ | n/a |");
                }
                None => row.push_str(" not run | – |"),
            }
        }
        let mock = c.of(MOCK).and_then(Outcome::run);
        for other in [BARE, TTAPI] {
            let cell = mock
                .zip(c.of(other).and_then(Outcome::run))
                .map_or("–".to_owned(), |(m, o)| ratio(m.rps, o.rps));
            let _ = write!(row, " {cell} |");
        }
        let cpu = mock
            .zip(c.of(BARE).and_then(Outcome::run))
            .map_or("–".to_owned(), |(m, b)| {
                format!("{:.2}×", m.cpu_us_per_request() / b.cpu_us_per_request())
            });
        let _ = writeln!(out, "{row} {cpu} |");
    }
    if !gaps.is_empty() {
        let list: Vec<String> = gaps.iter().map(|(t, w)| format!("{t}: {w}")).collect();
        let _ = writeln!(
            out,
            "\n¹ telegram-test-api has no such path, so no figure is given: {}.",
            list.join("; ")
        );
    }
    let _ = writeln!(
        out,
        "\nRatios are of req/s; the last column compares server CPU time per request \
         (above 1×: the mock spends more per request than bare hyper). At 1 connection \
         every server idles between round trips, so req/s there measures latency."
    );
    let _ = writeln!(out);
}

fn render_startup(out: &mut String, results: &Results) {
    let _ = writeln!(out, "### Start-up: exec → first successful getMe\n");
    let _ = writeln!(
        out,
        "Measured from just before spawn until a getMe over a fresh TCP connection answers \
         200, polling connect in a tight loop; the server is stopped by PID after each start.\n"
    );
    let _ = writeln!(out, "| Server | Median | Min | Max | Starts |");
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
    for s in &results.startup {
        let sorted = s.sorted();
        let _ = writeln!(
            out,
            "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {} |",
            s.server,
            s.median_ms(),
            sorted.first().copied().unwrap_or(f64::NAN),
            sorted.last().copied().unwrap_or(f64::NAN),
            sorted.len()
        );
    }
    let _ = writeln!(out);
}

fn render_memory(out: &mut String, results: &Results) {
    let _ = writeln!(out, "### Resident memory (VmRSS)\n");
    if let Some(m) = &results.memory {
        let _ = writeln!(
            out,
            "bale-mock soak: a fresh server, then 1 s wrk runs at 50 connections of POST getMe \
             with a JSON body, rotating over 10 000 bots (so the 10 000-entry journal fills and \
             turns over with parameters in every entry); RSS read after each run.\n"
        );
        let _ = writeln!(
            out,
            "| Idle | Under load (peak) | After ≥ 100 k | After ≥ 1 M | Requests in soak |"
        );
        let _ = writeln!(out, "| ---: | ---: | ---: | ---: | ---: |");
        let at = |n: u64| {
            m.at(n).map_or("not reached".to_owned(), |(k, r)| {
                format!("{} (at {})", mib(r), rps(k as f64))
            })
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n",
            mib(m.idle_kib),
            mib(m.peak_kib),
            at(100_000),
            at(m.target),
            rps(m.total_requests as f64)
        );
        let trace: Vec<String> = m
            .checkpoints
            .iter()
            .step_by((m.checkpoints.len() / 10).max(1))
            .map(|(n, r)| format!("{} → {}", rps(*n as f64), mib(*r)))
            .collect();
        let _ = writeln!(out, "Soak trace (requests → RSS): {}.\n", trace.join(", "));
    }
    if !results.others_memory.is_empty() {
        let _ = writeln!(out, "All servers in the throughput runs:\n");
        let _ = writeln!(out, "| Server | Idle | Peak under load |");
        let _ = writeln!(out, "| --- | ---: | ---: |");
        for s in &results.others_memory {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                s.name,
                mib(s.idle_kib),
                mib(s.peak_kib)
            );
        }
        let _ = writeln!(out);
    }
}

fn render_cost(out: &mut String, results: &Results) {
    let _ = writeln!(out, "### Per-request cost of bale-mock\n");
    let _ = writeln!(
        out,
        "GET getMe at 50 connections through the same wrk script (bench/wrk/rotate.lua) for \
         every case, so the load generator's work per request is the same; cases alternate \
         over three rounds and the medians are shown. CPU is the server's user + system time \
         per request. The rules case runs on a server of its own with a generated scenario \
         (target/bench-logs/rules-1000.toml) whose rules name other bots, so none matches and \
         every request meets all of them.\n"
    );
    let _ = writeln!(
        out,
        "| Case | req/s | Server CPU per request | req/s vs 1 bot | CPU vs 1 bot |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
    let base = results.cost.first().and_then(CostResult::means);
    for c in &results.cost {
        match (&c.outcome, c.means()) {
            (Ok(_), Some((r, cpu))) => {
                let (vr, vc) = base.map_or(("–".into(), "–".into()), |(br, bc)| {
                    (format!("{:.2}×", r / br), format!("{:.2}×", cpu / bc))
                });
                let _ = writeln!(
                    out,
                    "| {} | {} | {cpu:.2} µs | {vr} | {vc} |",
                    c.label,
                    rps(r)
                );
            }
            (Err(why), _) => {
                let _ = writeln!(out, "| {} | {why} | | | |", c.label);
            }
            (Ok(_), None) => {
                let _ = writeln!(out, "| {} | no runs | | | |", c.label);
            }
        }
    }
    let _ = writeln!(out);
}

fn render_runs(out: &mut String, results: &Results) {
    let _ = writeln!(out, "<details><summary>Every throughput run</summary>\n");
    let _ = writeln!(
        out,
        "| Server | Case | Conns | req/s | p50 | p90 | p99 | max (ms) | Server CPU | CPU/request | Other processes' CPU | status ≥ 400 | socket errors |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for c in &results.cases {
        for (server, outcome) in &c.outcomes {
            if let Outcome::Ran(r) = outcome {
                let _ = writeln!(
                    out,
                    "| {server} | {} | {} | {} | {} | {} | {} | {} | {:.0} % | {:.2} µs | {:.0} % | {} | {} |",
                    c.title,
                    c.connections,
                    rps(r.rps),
                    ms(r.p50_us),
                    ms(r.p90_us),
                    ms(r.p99_us),
                    ms(r.max_us),
                    r.server_cpu_percent(),
                    r.cpu_us_per_request(),
                    r.foreign_cpu_percent(),
                    r.status_errors,
                    r.socket_errors
                );
            }
        }
    }
    let _ = writeln!(out, "\n</details>");
}

/// Replaces the measured part of `path` (between the markers), or writes a new file.
pub fn write(path: &Path, measured: &str) -> anyhow::Result<()> {
    let block = format!("{BEGIN}\n\n{}\n{END}", measured.trim_end());
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let text = match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{block}{}", &existing[..b], &existing[e + END.len()..])
        }
        _ => format!("{}\n\n{block}\n", header().trim_end()),
    };
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn header() -> &'static str {
    "# Benchmarks\n\n\
     How fast, small and quick to start `bale-mock serve` is, measured against a bare hyper \
     server (the limit of the machine) and telegram-test-api (the npm Bot API emulator), in \
     one run. Re-run everything with one command:\n\n\
     ```sh\nbench/run\n```\n\n\
     The part between the markers below is rewritten by each run; notes outside it are kept."
}
