//! The tables of the measurements: throughput and latency, start-up, memory, per-request
//! cost, and every throughput run.

use std::fmt::Write as _;

use super::numbers::{mib, ms, ratio, rps};
use super::{CostResult, Outcome, Results, BARE, MOCK, TTAPI};

/// Every throughput case: req/s and latency of each server, and the mock's ratios.
pub(super) fn render_cases(out: &mut String, results: &Results) {
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

/// Start-up of each server: median, min and max over the starts.
pub(super) fn render_startup(out: &mut String, results: &Results) {
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

/// The mock's soak and every server's RSS in the throughput runs.
pub(super) fn render_memory(out: &mut String, results: &Results) {
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

/// The per-request-cost cases, each against the first (1 bot).
pub(super) fn render_cost(out: &mut String, results: &Results) {
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

/// Every throughput run in full, folded in a `<details>`.
pub(super) fn render_runs(out: &mut String, results: &Results) {
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
