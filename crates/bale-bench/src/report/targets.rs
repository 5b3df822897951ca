//! The targets of issue 5, each evaluated against the results: the first table of the
//! report.

use std::fmt::Write as _;

use super::numbers::{met, mib, ms, rps};
use super::{CaseResult, CostResult, Outcome, Results, Startup, BARE, MOCK, TTAPI};

/// 20 MB, in KiB.
const RSS_IDLE_LIMIT_KIB: f64 = 20e6 / 1024.0;

/// The first case whose title starts with `title`, at `connections`.
fn case<'a>(results: &'a Results, title: &str, connections: u32) -> Option<&'a CaseResult> {
    results
        .cases
        .iter()
        .find(|c| c.title.starts_with(title) && c.connections == connections)
}

/// The targets table: goal, measured value and verdict of each target.
pub(super) fn render(out: &mut String, results: &Results) {
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
