//! The results of one run, the targets of issue 12 with met / missed, and their Markdown,
//! spliced between the markers of BENCHMARKS.md.

use std::fmt::Write as _;

use crate::cost::{worst_growth, Cost, DIMENSIONS};
use crate::wrk::Run;

/// One request shape on every server (50 connections).
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// The shape's name.
    pub name: &'static str,
    /// The mock's run.
    pub mock: Run,
    /// bare-hyper's run.
    pub bare: Run,
    /// telegram-test-api's run, where it has the method.
    pub ttapi: Option<Run>,
}

/// Everything one run measured.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Date, machine and tools, one line each.
    pub context: Vec<String>,
    /// How the run was set up.
    pub method: String,
    /// Throughput and latency, getMe shapes first.
    pub rows: Vec<Row>,
    /// Median exec → first answer of each server, ms.
    pub startup_ms: Vec<(&'static str, f64)>,
    /// The mock's RSS idle, KiB.
    pub idle_kib: u64,
    /// The soak: (requests, each storing a message; RSS KiB) after each 1 s run.
    pub soak: Vec<(u64, u64)>,
    /// Update → waiting long poll, µs, sorted.
    pub long_poll_us: Vec<u64>,
    /// Webhook deliveries per second.
    pub webhook_per_s: f64,
    /// getMe POST JSON req/s without and with the console's stream open; `None`: no console.
    pub console: Option<(f64, f64)>,
    /// `bench/handler-cost`'s lines; `None`: not run.
    pub handler_cost: Option<Vec<Cost>>,
    /// Instructions per request on the socket: shape, mock, bare-hyper.
    pub socket_ir: Vec<(&'static str, f64, f64)>,
}

/// One target of issue 12 and how this run did.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// What is measured.
    pub name: String,
    /// The bound.
    pub goal: &'static str,
    /// The figure.
    pub measured: String,
    /// Met, missed, or not measured (`None`).
    pub met: Option<bool>,
}

fn target(
    name: impl Into<String>,
    goal: &'static str,
    measured: String,
    met: Option<bool>,
) -> Target {
    Target {
        name: name.into(),
        goal,
        measured,
        met,
    }
}

/// The `q` quantile of sorted samples.
pub fn quantile(sorted: &[u64], q: f64) -> u64 {
    sorted
        .get(((sorted.len().max(1) - 1) as f64 * q).round() as usize)
        .copied()
        .unwrap_or(0)
}

/// RSS growth over the soak: the last reading against the first taken after a fifth of
/// the requests (by then the caps are reached and turned over).
pub fn soak_growth(soak: &[(u64, u64)]) -> Option<(u64, u64, f64)> {
    let &(total, last) = soak.last()?;
    let &(_, first) = soak.iter().find(|(n, _)| *n >= total / 5)?;
    Some((first, last, last as f64 / first as f64 - 1.0))
}

/// Every target, in the order.
pub fn targets(r: &Results) -> Vec<Target> {
    let mut out = Vec::new();
    for row in &r.rows {
        let goal = match row.name {
            n if n.starts_with("getMe") => (0.85, "≥ 0.85 × bare hyper"),
            n if n.starts_with("sendMessage") => (0.70, "≥ 0.70 × bare hyper"),
            _ => continue,
        };
        let ratio = row.mock.rps() / row.bare.rps();
        out.push(target(
            row.name,
            goal.1,
            format!("{ratio:.2} ×"),
            Some(ratio >= goal.0),
        ));
    }
    let p99 = quantile(&r.long_poll_us, 0.99);
    out.push(target(
        "update → waiting long poll, p99",
        "≤ 1 ms",
        ms(p99),
        Some(p99 <= 1_000),
    ));
    let hooks = r.webhook_per_s;
    out.push(target(
        "webhook deliveries",
        "≥ 20 000 / s",
        format!("{hooks:.0} / s"),
        Some(hooks >= 20_000.0),
    ));
    let vs_ttapi = r
        .rows
        .iter()
        .filter_map(|row| Some((row.mock.rps() / row.ttapi?.rps(), row.name)));
    let worst = vs_ttapi.min_by(|a, b| a.0.total_cmp(&b.0));
    out.push(match worst {
        Some((x, name)) => target(
            "vs telegram-test-api (worst case)",
            "≥ 20 ×",
            format!("{x:.1} × ({name})"),
            Some(x >= 20.0),
        ),
        None => target("vs telegram-test-api", "≥ 20 ×", "not run".into(), None),
    });
    let worst_p99 = r.rows.iter().map(|row| (row.mock.p99_us, row.name)).max();
    let (p99, name) = worst_p99.unwrap_or((0, "none"));
    out.push(target(
        "p99 at 50 connections (worst case)",
        "≤ 2 ms",
        format!("{} ({name})", ms(p99)),
        Some(p99 <= 2_000),
    ));
    let start = r.startup_ms.first().map_or(f64::NAN, |s| s.1);
    out.push(target(
        "exec → first answer (median)",
        "≤ 15 ms",
        format!("{start:.1} ms"),
        Some(start <= 15.0),
    ));
    let idle = r.idle_kib as f64 / 1024.0;
    out.push(target(
        "RSS idle",
        "≤ 20 MB",
        format!("{idle:.1} MiB"),
        Some(idle * 1.048_576 <= 20.0),
    ));
    let soak = soak_growth(&r.soak);
    let total = r.soak.last().map_or(0, |s| s.0);
    for what in ["requests", "stored messages"] {
        out.push(match soak {
            Some((first, last, growth)) => target(
                format!("RSS flat after {} {what}", count(total)),
                "within 10 %",
                format!("{} → {} ({:+.1} %)", mib(first), mib(last), growth * 100.0),
                Some(growth.abs() <= 0.10),
            ),
            None => target(
                format!("RSS flat after {what}"),
                "within 10 %",
                "not run".into(),
                None,
            ),
        });
    }
    out.push(match r.console {
        Some((without, with)) => {
            let slower = 1.0 - with / without;
            target(
                "getMe with the console open",
                "≤ 5 % slower",
                format!("{:+.1} %", -slower * 100.0),
                Some(slower <= 0.05),
            )
        }
        None => target(
            "getMe with the console open",
            "≤ 5 % slower",
            "n/a (no console)".into(),
            None,
        ),
    });
    for (dimension, small, large) in DIMENSIONS {
        let name = format!(
            "instructions per request, {dimension} {small} → {}",
            count(large)
        );
        let growth = r
            .handler_cost
            .as_deref()
            .and_then(|c| worst_growth(c, dimension));
        out.push(match growth {
            Some((x, case)) => target(
                name,
                "within 10 %",
                format!("{x:.2} × ({case})"),
                Some(x <= 1.10),
            ),
            None => target(
                name,
                "within 10 %",
                "not measured (bench/handler-cost)".into(),
                None,
            ),
        });
    }
    let worst_ir = r
        .socket_ir
        .iter()
        .map(|(name, mock, bare)| (mock / bare, *name));
    out.push(match worst_ir.max_by(|a, b| a.0.total_cmp(&b.0)) {
        Some((x, name)) => target(
            "instructions per getMe on the socket vs bare hyper (worst shape)",
            "≤ 1.5 ×",
            format!("{x:.2} × ({name})"),
            Some(x <= 1.5),
        ),
        None => target(
            "instructions per getMe on the socket",
            "≤ 1.5 ×",
            "not run (full run only)".into(),
            None,
        ),
    });
    out
}

fn ms(us: u64) -> String {
    format!("{:.3} ms", us as f64 / 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// 1000000 → "1 000 000".
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The Markdown of a run (the part between the markers).
pub fn render(r: &Results) -> String {
    let mut md = format!(
        "## Results\n\n{}\n\n{}\n\n### Targets (issue 12)\n\n",
        r.context.join("\n"),
        r.method
    );
    md += "| Target | Goal | Measured | |\n| --- | --- | --- | --- |\n";
    for t in targets(r) {
        let verdict = match t.met {
            Some(true) => "**met**",
            Some(false) => "**missed**",
            None => "n/a",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {verdict} |",
            t.name, t.goal, t.measured
        );
    }
    md += "\n### Throughput and latency, 50 connections\n\n\
           | Case | bale-mock req/s | p50 / p99 ms | bare-hyper req/s | p50 / p99 ms | telegram-test-api req/s | p50 / p99 ms | mock / bare | mock / tta |\n\
           | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    let lat = |run: &Run| {
        format!(
            "{:.2} / {:.2}",
            run.p50_us as f64 / 1e3,
            run.p99_us as f64 / 1e3
        )
    };
    for row in &r.rows {
        let (tta, tta_lat, vs) = match &row.ttapi {
            Some(t) => (
                format!("{:.0}", t.rps()),
                lat(t),
                format!("{:.1} ×", row.mock.rps() / t.rps()),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            md,
            "| {} | {:.0} | {} | {:.0} | {} | {tta} | {tta_lat} | {:.2} × | {vs} |",
            row.name,
            row.mock.rps(),
            lat(&row.mock),
            row.bare.rps(),
            lat(&row.bare),
            row.mock.rps() / row.bare.rps()
        );
    }
    let console = match r.console {
        Some((without, with)) => {
            format!("{without:.0} req/s without, {with:.0} req/s with the stream open")
        }
        None => "n/a: `GET /__mock/journal/events` is not 200 on this build (no console)".into(),
    };
    let _ = write!(
        md,
        "\n### Updates and the console\n\n\
         - Update → waiting `getUpdates`: p50 {}, p99 {}, max {} over {} updates (from the play API request's send to the poll's answer).\n\
         - Webhook: {:.0} deliveries/s to a loopback receiver (updates queued first, then `setWebhook`; one delivery at a time per bot, so several bots).\n\
         - getMe POST JSON with one client reading the console's event stream: {console}.\n",
        ms(quantile(&r.long_poll_us, 0.5)), ms(quantile(&r.long_poll_us, 0.99)), ms(r.long_poll_us.last().copied().unwrap_or(0)),
        r.long_poll_us.len(), r.webhook_per_s
    );
    md += "\n### Start-up and memory\n\n| Server | exec → first getMe (median) |\n| --- | ---: |\n";
    for (server, start) in &r.startup_ms {
        let _ = writeln!(md, "| {server} | {start:.1} ms |");
    }
    let trace: Vec<String> = r
        .soak
        .iter()
        .map(|(n, kib)| format!("{} → {}", count(*n), mib(*kib)))
        .collect();
    let _ = writeln!(
        md,
        "\nbale-mock RSS idle: {}. Soak (a fresh mock, sendMessage JSON at 50 connections, each request storing a message, past the `messages` cap): {}.",
        mib(r.idle_kib), trace.join(", ")
    );
    md += "\n### Instructions per request (callgrind)\n\n";
    match &r.handler_cost {
        Some(costs) => {
            md += "In process (`bench/handler-cost`):\n\n| Case | bots | rules | chats | Ir / request |\n| --- | ---: | ---: | ---: | ---: |\n";
            for c in costs {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {:.0} |",
                    c.case,
                    count(c.bots),
                    count(c.rules),
                    count(c.chats),
                    c.instructions_per_request
                );
            }
        }
        None => md += "In process: not measured (`bench/handler-cost` is not in this tree).\n",
    }
    if !r.socket_ir.is_empty() {
        md += "\nOn the socket (server under callgrind, wrk at 10 connections, user-space Ir / requests):\n\n\
               | Case | bale-mock | bare-hyper | ratio |\n| --- | ---: | ---: | ---: |\n";
        for (name, mock, bare) in &r.socket_ir {
            let _ = writeln!(
                md,
                "| {name} | {mock:.0} | {bare:.0} | {:.2} × |",
                mock / bare
            );
        }
    }
    md
}

const BEGIN: &str = "<!-- bench:begin";
const END: &str = "<!-- bench:end -->";

/// `doc` with the lines between its markers replaced by `body`.
pub fn splice(doc: &str, body: &str) -> anyhow::Result<String> {
    let begin = doc
        .find(BEGIN)
        .ok_or_else(|| anyhow::anyhow!("no {BEGIN} marker"))?;
    let inside = begin
        + doc[begin..]
            .find('\n')
            .ok_or_else(|| anyhow::anyhow!("no line after {BEGIN}"))?
        + 1;
    let end = doc[inside..]
        .find(END)
        .ok_or_else(|| anyhow::anyhow!("no {END} marker"))?
        + inside;
    Ok(format!(
        "{}\n{}\n{}",
        &doc[..inside],
        body.trim(),
        &doc[end..]
    ))
}
