//! The results, the targets of issue 5, and their Markdown rendering into `BENCHMARKS.md`
//! (only the part between the markers is rewritten; notes around it are kept).
//!
//! - [`results`]: what one run measured ([`Results`] and its parts).
//! - [`targets`]: the targets, each evaluated against the results.
//! - [`tables`]: the tables of the measurements.
//! - [`numbers`]: how numbers are written in both.
//! - [`splice`]: the measured part spliced into `BENCHMARKS.md`.
//!
//! [`render`] (here) writes the introduction (machine, tools, method) and then the tables.

mod numbers;
mod results;
mod splice;
mod tables;
mod targets;

use std::fmt::Write as _;

use crate::process::QUIET_PERCENT;
use crate::wrk::Run;

pub use results::{
    CaseResult, CostResult, Memory, Outcome, Results, ServerMemory, Settings, Startup,
};
pub use splice::{write, write_soak};

const MOCK: &str = "bale-mock";
const BARE: &str = "bare-hyper";
const TTAPI: &str = "telegram-test-api";

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

    targets::render(&mut out, results);
    tables::render_cases(&mut out, results);
    tables::render_startup(&mut out, results);
    tables::render_memory(&mut out, results);
    tables::render_cost(&mut out, results);
    tables::render_runs(&mut out, results);
    out
}

#[cfg(test)]
mod tests;
