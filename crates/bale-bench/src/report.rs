//! A run's results, the targets of issue 12 met or missed, and their Markdown.

use std::fmt::Display;

use crate::process::Run;

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Results {
    /// The date, the machine, the commit, and where the processes ran.
    pub context: String,
    pub quick: bool,
    /// Each request shape at 50 connections: the mock, bare-hyper, telegram-test-api.
    pub rows: Vec<(&'static str, [Run; 3])>,
    /// Median exec → first answer per server, the mock first.
    pub startup_ms: Vec<(&'static str, f64)>,
    pub idle_kib: u64,
    /// (sendMessage requests, RSS) about every tenth of the soak.
    pub soak: Vec<(u64, u64)>,
    /// Sorted.
    pub long_poll_us: Vec<u64>,
    pub webhook_per_s: f64,
    /// In process; none with `--quick`.
    pub handler_cost: Vec<Cost>,
    /// Shape, mock, bare-hyper.
    pub socket_ir: Vec<(&'static str, f64, f64)>,
}

/// A line of `bench/handler-cost`: a case on a server of so many bots, rules and chats.
#[derive(Debug, serde::Deserialize)]
pub struct Cost {
    pub case: String,
    pub bots: u64,
    pub rules: u64,
    pub chats: u64,
    pub instructions_per_request: f64,
}

/// The JSON lines of `bench/handler-cost`'s output; the other lines are its log.
pub fn parse_costs(stdout: &str) -> Vec<Cost> {
    let lines = stdout.lines().map(serde_json::from_str);
    lines.filter_map(Result::ok).collect()
}

/// The sizes that must not raise the cost by more than 10 %: name, small, large.
const DIMENSIONS: [(&str, u64, u64); 3] = [
    ("bots", 1, 10_000),
    ("rules", 0, 1_000),
    ("chats", 1, 100_000),
];

/// The largest ratio of cost, large / small size of dimension `d`, over every pair of lines
/// of one case alike in the other sizes, with its case.
fn worst_growth(costs: &[Cost], d: usize) -> Option<(f64, &str)> {
    let (_, small, large) = DIMENSIONS[d];
    let size = |c: &Cost, i: usize| [c.bots, c.rules, c.chats][i];
    let others = |c: &Cost| [0, 1, 2].map(|i| if i == d { 0 } else { size(c, i) });
    let bigs = costs.iter().filter(|big| size(big, d) == large);
    let pairs = bigs.filter_map(|big| {
        let alike = |c: &&Cost| c.case == big.case && others(c) == others(big);
        let base = costs.iter().filter(alike).find(|c| size(c, d) == small)?;
        let ratio = big.instructions_per_request / base.instructions_per_request;
        Some((ratio, big.case.as_str()))
    });
    pairs.max_by(|a, b| a.0.total_cmp(&b.0))
}

/// A measured figure and whether it meets its goal, or why there is none.
type Measured = Result<(String, bool), &'static str>;

/// Every target of issue 12, in its order: what, the goal, the measured figure.
pub fn targets(r: &Results) -> Vec<(String, &'static str, Measured)> {
    let mut targets = Vec::new();
    for (name, runs) in &r.rows {
        let (goal, bound) = match name.split(' ').next() {
            Some("getMe") => ("≥ 0.85 × bare hyper", 0.85),
            Some("sendMessage") => ("≥ 0.70 × bare hyper", 0.70),
            _ => continue, // getUpdates has none
        };
        let x = ratio(runs, 1);
        let figure = (format!("{x:.2} ×"), x >= bound);
        targets.push((name.to_string(), goal, Ok(figure)));
    }
    let poll = |q| quantile(&r.long_poll_us, q);
    let (p50, max, n) = (ms(poll(0.5)), ms(poll(1.0)), r.long_poll_us.len());
    let long_poll = format!("{} (p50 {p50}, max {max}; {n} updates)", ms(poll(0.99)));
    let hooks = r.webhook_per_s;
    let tta = r.rows.iter().map(|(n, runs)| (ratio(runs, 2), *n));
    let tta = worst(tta, true, |x| format!("{x:.1} ×"), |x| x >= 20.0);
    let p99 = r.rows.iter().map(|(n, runs)| (runs[0].p99_us as f64, *n));
    let p99 = worst(p99, false, |us| ms(us as u64), |us| us <= 2_000.0);
    let start = r.startup_ms.first().map(|s| s.1);
    let start = start.map(|ms| (format!("{ms:.1} ms"), ms <= 15.0));
    let flat = soak_growth(&r.soak).map(|(first, last, growth)| {
        let figure = format!("{} → {} ({:+.1} %)", mib(first), mib(last), growth * 1e2);
        (figure, growth.abs() <= 0.10)
    });
    let soaked = r.soak.last().map_or(0, |s| s.0);
    let flat_after = |what| format!("RSS flat after {soaked} {what}");
    let costs = &r.handler_cost;
    let side = |side| costs.iter().find(|c| c.case.ends_with(side));
    let (open, closed) = (side("console open"), side("console closed"));
    let console_ir = open.zip(closed).map(|(open, closed)| {
        let more = (open.instructions_per_request / closed.instructions_per_request - 1.0) * 1e2;
        let figure = format!("{more:+.1} % instructions per request");
        (figure, more <= 5.0)
    });
    let not_counted = "not run (--quick)";
    let console_ir = console_ir.ok_or(not_counted);
    let ir = r.socket_ir.iter().map(|(n, mock, bare)| (mock / bare, *n));
    let ir = worst(ir, false, |x| format!("{x:.2} ×"), |x| x <= 1.5);
    #[rustfmt::skip]
    let more: [(&str, _, Measured); 9] = [
        ("update → waiting long poll, p99", "≤ 1 ms", Ok((long_poll, poll(0.99) <= 1_000))),
        ("webhook deliveries", "≥ 20 000 / s", Ok((format!("{hooks:.0} / s"), hooks >= 20_000.0))),
        ("vs telegram-test-api", "≥ 20 ×", tta.ok_or("not run")),
        ("p99 at 50 connections", "≤ 2 ms", p99.ok_or("not run")),
        ("exec → first answer", "≤ 15 ms", start.ok_or("not run")),
        ("RSS idle", "≤ 20 MB", Ok((mib(r.idle_kib), r.idle_kib * 1024 <= 20_000_000))),
        (&flat_after("requests"), "within 10 %", flat.clone().ok_or("not run")),
        (&flat_after("stored messages"), "within 10 %", flat.ok_or("not run")),
        ("getMe POST JSON, console's stream open", "≤ 5 % costlier", console_ir),
    ];
    targets.extend(more.map(|(name, goal, measured)| (name.to_owned(), goal, measured)));
    for (d, (dimension, small, large)) in DIMENSIONS.into_iter().enumerate() {
        let growth = worst_growth(costs, d).into_iter();
        let growth = worst(growth, false, |x| format!("{x:.2} ×"), |x| x <= 1.10);
        let name = format!("cost per request, {dimension} {small} → {large}");
        targets.push((name, "within 10 %", growth.ok_or(not_counted)));
    }
    let ir = ir.ok_or("not run (--quick)");
    let name = "getMe instructions vs bare hyper, on the socket";
    targets.push((name.into(), "≤ 1.5 ×", ir));
    targets
}

/// The worst of named figures (the smallest when `lowest`, else the largest), shown as
/// `{figure} ({name})`, and whether it is `met`.
fn worst<N: Display>(
    named: impl Iterator<Item = (f64, N)>,
    lowest: bool,
    show: impl Fn(f64) -> String,
    met: impl Fn(f64) -> bool,
) -> Option<(String, bool)> {
    let sign = if lowest { -1.0 } else { 1.0 };
    let (x, name) = named.max_by(|a, b| (sign * a.0).total_cmp(&(sign * b.0)))?;
    Some((format!("{} ({name})", show(x)), met(x)))
}

/// The mock's throughput over server `other`'s: 1 bare-hyper, 2 telegram-test-api.
fn ratio(runs: &[Run; 3], other: usize) -> f64 {
    runs[0].rps() / runs[other].rps()
}

/// The `q` quantile of sorted samples.
fn quantile(sorted: &[u64], q: f64) -> u64 {
    let index = (sorted.len().saturating_sub(1) as f64 * q).round() as usize;
    sorted.get(index).copied().unwrap_or(0)
}

/// RSS growth over the soak: the last reading against the first taken after a fifth of the
/// requests, when the caps are reached and turning over: (first, last, growth).
fn soak_growth(soak: &[(u64, u64)]) -> Option<(u64, u64, f64)> {
    let &(total, last) = soak.last()?;
    let &(_, first) = soak.iter().find(|(n, _)| *n >= total / 5)?;
    Some((first, last, last as f64 / first as f64 - 1.0))
}

fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// A Markdown table under `header`, its first line: the first column aligned left, the
/// others right when they hold `numbers`. A row is its cells joined with ` | `.
fn table(header: &str, numbers: bool, rows: impl Iterator<Item = String>) -> String {
    let align = if numbers { " ---: |" } else { " --- |" };
    let align = align.repeat(header.matches('|').count() - 2);
    let rows: String = rows.map(|row| format!("| {row} |\n")).collect();
    format!("{header}\n| --- |{align}\n{rows}")
}

/// The Markdown of a run: the part of BENCHMARKS.md between the markers.
pub fn render(r: &Results) -> String {
    let targets = targets(r).into_iter().map(|(name, goal, measured)| {
        let (figure, verdict) = match measured {
            Ok((figure, met)) => (figure, if met { "**met**" } else { "**missed**" }),
            Err(why) => (why.to_owned(), "n/a"),
        };
        format!("{name} | {goal} | {figure} | {verdict}")
    });
    let targets = table("| Target | Goal | Measured | |", false, targets);
    let throughput = r.rows.iter().map(|(name, runs)| {
        let [mock, bare, tta] = runs.map(|run| {
            let (p50, p99) = (run.p50_us as f64 / 1e3, run.p99_us as f64 / 1e3);
            format!("{:.0} | {p50:.2} / {p99:.2}", run.rps())
        });
        let (x_bare, x_tta) = (ratio(runs, 1), ratio(runs, 2));
        format!("{name} | {mock} | {bare} | {tta} | {x_bare:.2} × | {x_tta:.1} ×")
    });
    let header = "| Case | bale-mock req/s | p50 / p99 ms | bare-hyper req/s | p50 / p99 ms \
        | telegram-test-api req/s | p50 / p99 ms | mock / bare | mock / tta |";
    let throughput = table(header, true, throughput);
    let starts = r.startup_ms.iter().map(|(s, ms)| format!("{s} {ms:.1} ms"));
    let starts = starts.collect::<Vec<_>>().join(", ");
    let soak = r.soak.iter().map(|&(n, kib)| format!("{n} → {}", mib(kib)));
    let (soak, idle) = (soak.collect::<Vec<_>>().join(", "), mib(r.idle_kib));
    let rows = r.handler_cost.iter().map(|c| {
        let (case, ir) = (&c.case, c.instructions_per_request);
        format!("{case} | {} | {} | {} | {ir:.0}", c.bots, c.rules, c.chats)
    });
    let rows = table("| Case | bots | rules | chats | Ir / request |", true, rows);
    let in_process = match r.quick {
        true => "In process: not run (`--quick`).\n".into(),
        false => format!("In process (`bench/handler-cost`):\n\n{rows}"),
    };
    let socket = r.socket_ir.iter().map(|(name, mock, bare)| {
        let x = mock / bare;
        format!("{name} | {mock:.0} | {bare:.0} | {x:.2} ×")
    });
    let socket = table("| Case | bale-mock | bare-hyper | ratio |", true, socket);
    let socket = match r.quick {
        true => "On the socket: not run (`--quick`).\n".into(),
        false => format!("On the socket, the server under callgrind:\n\n{socket}"),
    };
    format!(
        "## Results\n\n{}\n\n### Targets (issue 12)\n\n{targets}\n\
         ### Throughput and latency, 50 connections\n\n{throughput}\n\
         ### Start-up and memory\n\nExec → first getMe answered, median: {starts}.\n\n\
         bale-mock RSS idle: {idle}; soak (sendMessage requests → RSS): {soak}.\n\n\
         ### Instructions per request (callgrind)\n\n{in_process}\n{socket}",
        r.context
    )
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
        let costs = r#"building handler_cost…
            {"case":"a","bots":1,"rules":0,"chats":1,"instructions_per_request":1000}
            {"case":"a","bots":10000,"rules":0,"chats":1,"instructions_per_request":1050}
            {"case":"a","bots":1,"rules":1000,"chats":1,"instructions_per_request":1100}
            {"case":"a","bots":10000,"rules":1000,"chats":1,"instructions_per_request":1155}
            {"case":"b","bots":1,"rules":0,"chats":1,"instructions_per_request":2000}
            {"case":"b","bots":10000,"rules":0,"chats":1,"instructions_per_request":2220}
            {"case":"getme-json, console closed","bots":1,"rules":0,"chats":1,"instructions_per_request":1000}
            {"case":"getme-json, console open","bots":1,"rules":0,"chats":1,"instructions_per_request":1051}"#;
        let r = Results {
            rows: vec![("getMe", runs(85, 2_000)), ("sendMessage", runs(69, 2_001))],
            startup_ms: vec![("bale-mock", 15.0)],
            idle_kib: 19_531,
            soak: vec![(100, 10_000), (300, 12_000), (1_000, 13_100)],
            long_poll_us: (1..=100).map(|i| i * 10 + 5).collect(),
            webhook_per_s: 19_999.0,
            handler_cost: parse_costs(costs),
            socket_ir: vec![("getMe GET", 150.0, 100.0)],
            ..Results::default()
        };
        let got = targets(&r);
        let verdicts = got.iter().map(|(_, _, measured)| match measured {
            Ok((_, met)) => ["missed", "met"][*met as usize],
            Err(_) => "n/a",
        });
        // getMe 0.85 ×, sendMessage 0.69 ×, long poll p99 995 µs, webhooks 19 999 / s, 13.8 ×
        // telegram-test-api, p99 2.001 ms, exec 15 ms, idle 19.999 MB, RSS +9.2 % (twice),
        // console +5.1 % instructions, bots 1.11 × (b: bots 10 000 with rules
        // 1 000 pairs with rules 1 000, 1.05 ×, not the base), rules 1.10 ×, chats none, 1.5 ×.
        let expected =
            "met missed met missed missed missed met met met met missed missed met n/a met";
        assert_eq!(verdicts.collect::<Vec<_>>().join(" "), expected);
        let row = "| cost per request, bots 1 → 10000 | within 10 % | 1.11 × (b) |";
        assert!(render(&r).contains(row));
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
