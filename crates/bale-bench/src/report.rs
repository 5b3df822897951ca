//! The results of one run, the targets of issue 12 with met / missed, and their Markdown,
//! spliced between the markers of BENCHMARKS.md.

use std::fmt::Write as _;

use crate::cost::{worst_growth, Cost, DIMENSIONS};
use crate::wrk::Run;

/// One request shape at 50 connections: the mock, bare-hyper, telegram-test-api.
pub type Row = (&'static str, [Run; 3]);

/// Everything one run measured.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The date, the machine, the commit; where the processes ran.
    pub context: String,
    /// A `--quick` run: no instruction counts.
    pub quick: bool,
    pub rows: Vec<Row>,
    /// Median exec → first answer, ms, per server (the mock first).
    pub startup_ms: Vec<(&'static str, f64)>,
    pub idle_kib: u64,
    /// (requests, each storing a message; RSS KiB) about every tenth of the soak.
    pub soak: Vec<(u64, u64)>,
    /// Update → waiting long poll, µs, sorted.
    pub long_poll_us: Vec<u64>,
    pub webhook_per_s: f64,
    /// getMe POST JSON without and with the console's stream open: req/s and the mock's
    /// CPU seconds per request; `None`: no console.
    pub console: Option<[(f64, f64); 2]>,
    /// `bench/handler-cost`'s lines; `None`: not run.
    pub handler_cost: Option<Vec<Cost>>,
    /// Instructions per request on the socket: shape, mock, bare-hyper.
    pub socket_ir: Vec<(&'static str, f64, f64)>,
}

/// A target: what, the bound, and the figure with its verdict, or why there is none.
pub type Target = (String, &'static str, Result<(String, bool), &'static str>);

/// The `q` quantile of sorted samples.
pub fn quantile(sorted: &[u64], q: f64) -> u64 {
    let index = (sorted.len().saturating_sub(1) as f64 * q).round() as usize;
    sorted.get(index).copied().unwrap_or(0)
}

/// RSS growth over the soak: the last reading against the first taken after a fifth of
/// the requests (by then the caps are reached and turning over): (first, last, growth).
pub fn soak_growth(soak: &[(u64, u64)]) -> Option<(u64, u64, f64)> {
    let &(total, last) = soak.last()?;
    let &(_, first) = soak.iter().find(|(n, _)| *n >= total / 5)?;
    Some((first, last, last as f64 / first as f64 - 1.0))
}

/// What the console's open stream adds to the handler's instructions per request
/// (`bench/handler-cost`'s pair of lines), as a fraction.
fn console_cost(costs: &[Cost]) -> Option<f64> {
    let of = |side: &str| {
        let case = format!("getme-json, console {side}");
        let cost = costs.iter().find(|c| c.case == case)?;
        Some(cost.instructions_per_request)
    };
    Some(of("open")? / of("closed")? - 1.0)
}

fn ratio(runs: &[Run; 3], other: usize) -> f64 {
    runs[0].rps() / runs[other].rps()
}

/// The worst of `figures` with its name: the largest with `max`, else the smallest.
fn worst<'a>(figures: impl Iterator<Item = (f64, &'a str)>, max: bool) -> Option<(f64, &'a str)> {
    let sign = if max { 1.0 } else { -1.0 };
    figures.max_by(|a, b| (sign * a.0).total_cmp(&(sign * b.0)))
}

/// Every target of issue 12, in its order.
pub fn targets(r: &Results) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut add = |name: &str, goal, figure| out.push((name.into(), goal, figure));
    for (name, runs) in &r.rows {
        let (x, getme) = (ratio(runs, 1), name.starts_with("getMe"));
        let (goal, bound) = GOALS[getme as usize];
        if !name.starts_with("getUpdates") {
            add(name, goal, Ok((format!("{x:.2} ×"), x >= bound)));
        }
    }
    let lp = |q| ms(quantile(&r.long_poll_us, q));
    let (p99, n) = (quantile(&r.long_poll_us, 0.99), r.long_poll_us.len());
    let (p50, max) = (lp(0.5), lp(1.0));
    let text = format!("{} (p50 {p50}, max {max}; {n} updates)", lp(0.99));
    let figure = Ok((text, p99 <= 1_000));
    add("update → waiting long poll, p99", "≤ 1 ms", figure);
    let hooks = r.webhook_per_s;
    let figure = (format!("{hooks:.0} / s"), hooks >= 20_000.0);
    add("webhook deliveries", "≥ 20 000 / s", Ok(figure));
    let tta = r.rows.iter().map(|(name, runs)| (ratio(runs, 2), *name));
    let tta = worst(tta, false);
    let figure = tta.map(|(x, name)| (format!("{x:.1} × ({name})"), x >= 20.0));
    add("vs telegram-test-api", "≥ 20 ×", figure.ok_or(NOT_RUN));
    let p99 = r.rows.iter().map(|(n, runs)| (runs[0].p99_us as f64, *n));
    let figure = worst(p99, true).map(|(p99, name)| {
        let figure = format!("{} ({name})", ms(p99 as u64));
        (figure, p99 <= 2_000.0)
    });
    add("p99 at 50 connections", "≤ 2 ms", figure.ok_or(NOT_RUN));
    let start = r.startup_ms.first().map(|s| s.1);
    let start = start.map(|ms| (format!("{ms:.1} ms"), ms <= 15.0));
    add("exec → first answer", "≤ 15 ms", start.ok_or(NOT_RUN));
    let idle = (mib(r.idle_kib), r.idle_kib * 1024 <= 20_000_000);
    add("RSS idle", "≤ 20 MB", Ok(idle));
    let total = r.soak.last().map_or(0, |s| s.0);
    let flat = soak_growth(&r.soak).map(|(first, last, growth)| {
        let figure = format!("{} → {} ({:+.1} %)", mib(first), mib(last), growth * 1e2);
        (figure, growth.abs() <= 0.10)
    });
    for what in ["requests", "stored messages"] {
        let name = format!("RSS flat after {total} {what}");
        add(&name, "within 10 %", flat.clone().ok_or(NOT_RUN));
    }
    // The verdict is the mock's own CPU per request: the reader (here the driver, in use a
    // browser) shares the cores too, so req/s also counts what reading the stream costs.
    let console = r.console.map(|[(rps, cpu), (rps_open, cpu_open)]| {
        let costlier = cpu_open / cpu - 1.0;
        let change = (rps_open / rps - 1.0) * 1e2;
        let figure = format!(
            "mock CPU per request {:+.1} %; {rps:.0} → {rps_open:.0} req/s ({change:+.1} %, \
             the reader's CPU included)",
            costlier * 1e2
        );
        (figure, costlier <= 0.05)
    });
    let name = "getMe POST JSON, console's stream open";
    add(name, "≤ 5 % costlier", console.ok_or("n/a (no console)"));
    let quick = ["n/a (no bench/handler-cost)", "not run (--quick)"][r.quick as usize];
    let in_process = r
        .handler_cost
        .as_deref()
        .and_then(console_cost)
        .map(|costlier| {
            (
                format!("{:+.1} % instructions per request", costlier * 1e2),
                costlier <= 0.05,
            )
        });
    let name = "getMe POST JSON, console's stream open, in process";
    add(name, "≤ 5 % costlier", in_process.ok_or(quick));
    for (d, (dimension, small, large)) in DIMENSIONS.into_iter().enumerate() {
        let growth = r.handler_cost.as_deref().and_then(|c| worst_growth(c, d));
        let figure = growth.map(|(x, case)| (format!("{x:.2} × ({case})"), x <= 1.10));
        let name = format!("cost per request, {dimension} {small} → {large}");
        add(&name, "within 10 %", figure.ok_or(quick));
    }
    let ir = r.socket_ir.iter().map(|(n, mock, bare)| (mock / bare, *n));
    let figure = worst(ir, true).map(|(x, name)| (format!("{x:.2} × ({name})"), x <= 1.5));
    let name = "getMe instructions vs bare hyper, on the socket";
    add(name, "≤ 1.5 ×", figure.ok_or("not run (--quick)"));
    out
}

const NOT_RUN: &str = "not run";
/// The bound of the ratio to bare hyper: sendMessage, getMe.
const GOALS: [(&str, f64); 2] = [("≥ 0.70 × bare hyper", 0.70), ("≥ 0.85 × bare hyper", 0.85)];

fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

const TARGETS: &str = "### Targets (issue 12)\n\n\
    | Target | Goal | Measured | |\n| --- | --- | --- | --- |\n";
const THROUGHPUT: &str = "\n### Throughput and latency, 50 connections\n\n\
    | Case | bale-mock req/s | p50 / p99 ms | bare-hyper req/s | p50 / p99 ms \
    | telegram-test-api req/s | p50 / p99 ms | mock / bare | mock / tta |\n\
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
const HANDLER_COST: &str = "In process (`bench/handler-cost`):\n\n\
    | Case | bots | rules | chats | Ir / request |\n| --- | ---: | ---: | ---: | ---: |\n";
const SOCKET: &str = "\nOn the socket, the server under callgrind:\n\n\
    | Case | bale-mock | bare-hyper | ratio |\n| --- | ---: | ---: | ---: |\n";

/// The Markdown of a run: the part of BENCHMARKS.md between the markers.
pub fn render(r: &Results) -> String {
    let mut md = format!("## Results\n\n{}\n\n{TARGETS}", r.context);
    for (name, goal, figure) in targets(r) {
        let (figure, verdict) = match figure {
            Ok((figure, met)) => (figure, ["**missed**", "**met**"][met as usize]),
            Err(why) => (why.to_owned(), "n/a"),
        };
        let _ = writeln!(md, "| {name} | {goal} | {figure} | {verdict} |");
    }
    md += THROUGHPUT;
    for (name, runs) in &r.rows {
        let cells = runs.map(|run| {
            let (p50, p99) = (run.p50_us as f64 / 1e3, run.p99_us as f64 / 1e3);
            format!("{:.0} | {p50:.2} / {p99:.2}", run.rps())
        });
        let (cells, bare, tta) = (cells.join(" | "), ratio(runs, 1), ratio(runs, 2));
        let _ = writeln!(md, "| {name} | {cells} | {bare:.2} × | {tta:.1} × |");
    }
    let starts = r.startup_ms.iter().map(|(s, ms)| format!("{s} {ms:.1} ms"));
    let starts = starts.collect::<Vec<_>>().join(", ");
    let soak = r.soak.iter().map(|(n, kib)| format!("{n} → {}", mib(*kib)));
    let soak = soak.collect::<Vec<_>>().join(", ");
    let idle = mib(r.idle_kib);
    let _ = write!(
        md,
        "\n### Start-up and memory\n\nExec → first getMe answered, median: {starts}.\n\n\
         bale-mock RSS idle: {idle}; soak (sendMessage requests → RSS): {soak}.\n\n\
         ### Instructions per request (callgrind)\n\n"
    );
    match &r.handler_cost {
        Some(_) => md += HANDLER_COST,
        None if r.quick => md += "In process: not run (`--quick`).\n",
        None => md += "In process: n/a (no `bench/handler-cost` in this tree).\n",
    }
    for cost in r.handler_cost.iter().flatten() {
        let (case, ir) = (&cost.case, cost.instructions_per_request);
        let (bots, rules, chats) = (cost.bots, cost.rules, cost.chats);
        let _ = writeln!(md, "| {case} | {bots} | {rules} | {chats} | {ir:.0} |");
    }
    md += [SOCKET, "\nOn the socket: not run (`--quick`).\n"][r.quick as usize];
    for (name, mock, bare) in &r.socket_ir {
        let x = mock / bare;
        let _ = writeln!(md, "| {name} | {mock:.0} | {bare:.0} | {x:.2} × |");
    }
    md
}

const BEGIN: &str = "<!-- bench:begin";
const END: &str = "<!-- bench:end -->";

/// `doc` with the lines between its markers replaced by `body`.
pub fn splice(doc: &str, body: &str) -> anyhow::Result<String> {
    let missing = || anyhow::anyhow!("BENCHMARKS.md has no {BEGIN} … {END} markers");
    let begin = doc.find(BEGIN).ok_or_else(missing)?;
    let inside = begin + doc[begin..].find('\n').ok_or_else(missing)? + 1;
    let end = inside + doc[inside..].find(END).ok_or_else(missing)?;
    let (before, after) = (&doc[..inside], &doc[end..]);
    Ok(format!("{before}\n{}\n\n{after}", body.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mock at `mock` req/s and `p99_us`, bare-hyper at 100, telegram-test-api at 5.
    fn runs(mock: u64, p99_us: u64) -> [Run; 3] {
        let mut runs = [Run::default(); 3];
        for (run, requests) in runs.iter_mut().zip([mock, 100, 5]) {
            (run.requests, run.duration_us) = (requests, 1_000_000);
        }
        runs[0].p99_us = p99_us;
        runs
    }

    #[test]
    fn each_target_is_met_or_missed_at_its_bound() {
        let costs = r#"{"case":"c","bots":1,"rules":0,"chats":1,"instructions_per_request":100}
            {"case":"c","bots":10000,"rules":0,"chats":1,"instructions_per_request":111}
            {"case":"getme-json, console closed","bots":1,"rules":0,"chats":1,"instructions_per_request":1000}
            {"case":"getme-json, console open","bots":1,"rules":0,"chats":1,"instructions_per_request":1051}"#;
        let rows = vec![
            ("getMe GET", runs(85, 2_000)),
            ("sendMessage", runs(69, 2_001)),
        ];
        let r = Results {
            rows,
            startup_ms: vec![("bale-mock", 15.0)],
            idle_kib: 19_531, // 19.999 MB
            soak: vec![(100, 10_000), (300, 12_000), (1_000, 13_100)],
            long_poll_us: (1..=100).map(|i| i * 10 + 5).collect(), // p99 995 µs
            webhook_per_s: 19_999.0,
            console: Some([(100.0, 1e-5), (90.0, 1.04e-5)]),
            handler_cost: Some(crate::cost::parse(costs)),
            socket_ir: vec![("getMe GET", 150.0, 100.0)],
            ..Results::default()
        };
        let got = targets(&r);
        let target = |name| got.iter().find(|t| t.0.starts_with(name)).cloned();
        let met = |name| target(name).and_then(|t| t.2.ok()).map(|figure| figure.1);
        assert_eq!(met("getMe GET"), Some(true));
        assert_eq!(met("sendMessage"), Some(false));
        assert_eq!(met("update → waiting long poll"), Some(true));
        assert_eq!(met("webhook"), Some(false));
        assert_eq!(met("vs telegram-test-api"), Some(false)); // 13.8 ×
        assert_eq!(met("p99 at 50"), Some(false)); // 2.001 ms, sendMessage
        assert_eq!(met("exec"), Some(true));
        assert_eq!(met("RSS idle"), Some(true));
        assert_eq!(met("RSS flat after 1000 requests"), Some(true)); // +9.2 %
        assert_eq!(met("getMe POST JSON, console"), Some(true));
        assert_eq!(
            met("getMe POST JSON, console's stream open, in"),
            Some(false)
        ); // +5.1 %
        assert_eq!(met("cost per request, bots"), Some(false));
        assert_eq!(met("cost per request, rules"), None);
        assert_eq!(met("getMe instructions"), Some(true));
        assert_eq!(got.len(), 16);
        let row = "| webhook deliveries | ≥ 20 000 / s | 19999 / s | **missed** |";
        assert!(render(&r).contains(row));
    }

    #[test]
    fn without_a_console_the_target_says_so() {
        let got = targets(&Results::default());
        let console = got.iter().find(|t| t.0.contains("console")).unwrap();
        assert_eq!(console.2, Err("n/a (no console)"));
    }

    #[test]
    fn the_report_replaces_only_what_is_between_the_markers() {
        let doc = "# B\nnotes\n<!-- bench:begin (x) -->\nold\n<!-- bench:end -->\nmore\n";
        let spliced = splice(doc, "new\n").unwrap();
        let inside = "<!-- bench:begin (x) -->\n\nnew\n\n<!-- bench:end -->";
        assert_eq!(spliced, format!("# B\nnotes\n{inside}\nmore\n"));
        assert_eq!(splice(&spliced, "new").unwrap(), spliced);
        assert!(splice("no markers", "new").is_err());
    }
}
