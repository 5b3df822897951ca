//! `bale-bench`: `bale-mock serve` against bare hyper (`bin/bare-hyper.rs`, the ceiling) and
//! telegram-test-api (bench/node) in one run; the targets of issue 12 met or missed; the
//! report written between the markers of BENCHMARKS.md. `bench/run` builds and runs it.

mod live;
mod process;
mod report;

use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::json;

use process::{pinned, Run, Server, Shape, Wrk};

#[derive(Parser)]
#[command(about = "Benchmark bale-mock against bare hyper and telegram-test-api")]
struct Opts {
    /// Short runs; print the report, write no file, count no instructions.
    #[arg(long)]
    quick: bool,
    /// Pin the servers to CPUs 1… and wrk to CPU 0 (default: unpinned, as users run it).
    #[arg(long)]
    pin: bool,
    /// Seconds of each throughput run (three rounds per case and server).
    #[arg(long, default_value_t = 3)]
    seconds: u64,
}

/// The bot of the throughput cases (bare-hyper answers everything with its getMe), the
/// secret of every token (zero-config: every well-formed token is a bot), and the user who
/// writes to the bots first, so that sendMessage has a chat.
const BOT: u64 = 123_456_789;
const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const USER: u64 = 7001;
const SERVERS: [&str; 3] = ["bale-mock", "bare-hyper", "telegram-test-api"];

/// The request shapes, getMe first: GET (pyTelegramBotAPI), JSON (grammY, telegraf), an
/// empty form (node-telegram-bot-api), multipart; then sendMessage to USER's chat, 7001.
#[rustfmt::skip]
const SHAPES: [Shape; 7] = [
    ("getMe GET", None),
    ("getMe POST JSON", Some(["application/json", "{}"])),
    ("getMe POST form", Some(["application/x-www-form-urlencoded", ""])),
    ("getMe multipart", Some(["multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"])),
    ("sendMessage JSON", Some(["application/json",
        r#"{"chat_id":7001,"text":"Hello from the benchmark"}"#])),
    ("sendMessage form", Some(["application/x-www-form-urlencoded",
        "chat_id=7001&text=Hello+from+the+benchmark"])),
    ("getUpdates JSON", Some(["application/json", r#"{"timeout":0}"#])),
];

fn main() -> anyhow::Result<()> {
    let opts = Opts::parse();
    let (quick, secs) = (opts.quick, if opts.quick { 1 } else { opts.seconds });
    let rounds = if quick { 1 } else { 3 };
    let exe = std::env::current_exe()?;
    // The paths below are the repository's.
    std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let server_cpus = match cpus {
        _ if !opts.pin || cpus == 1 => None,
        2 => Some("1".to_owned()),
        n => Some(format!("1-{}", n - 1)), // every CPU but wrk's
    };
    let wrk = Wrk::new(server_cpus.is_some());
    std::fs::create_dir_all("target/bench-logs")?;
    // One driver thread, as a test playing the users has: the latencies it times are the
    // mock's, not a wake-up passed between the driver's own threads.
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // A server's command line, on 127.0.0.1 (`bale-mock serve` with `extra` options).
    let line = |server: &str, extra: &[&str]| -> Vec<String> {
        let bin = exe.with_file_name(server).display().to_string();
        let line = match server {
            "bale-mock" => vec![bin.as_str(), "serve", "--listen", "127.0.0.1:0"],
            "bare-hyper" => vec![bin.as_str(), "127.0.0.1:0"],
            _ => vec!["node", "serve.js"],
        };
        let words = line.iter().chain(extra);
        words.map(|word| word.to_string()).collect()
    };
    let start = |server: &str, extra: &[&str]| {
        let line = line(server, extra);
        let mut command = pinned(server_cpus.as_deref(), &line[0]);
        command.args(&line[1..]).current_dir("bench/node");
        Server::start(command, &format!("target/bench-logs/{server}.log"))
    };
    let user_writes = |mock: &Server| tokio.block_on(live::user_writes(mock.addr, BOT));
    let mut r = report::Results::default();
    (r.context, r.quick) = (
        context(wrk.threads, server_cpus.as_deref(), (rounds, secs)),
        quick,
    );

    let starts = if quick { 3 } else { 20 };
    eprintln!("== start-up, {starts} starts each");
    for server in SERVERS {
        let mut samples = Vec::new();
        for _ in 0..starts {
            let started = Instant::now();
            let running = start(server, &[])?;
            tokio.block_on(live::call(running.addr, BOT, "getMe", json!({})))?;
            samples.push(started.elapsed().as_secs_f64() * 1e3);
        }
        r.startup_ms.push((server, median_by(samples, |ms| *ms)));
    }

    eprintln!("== throughput and latency, {secs} s per round");
    let mock = start(SERVERS[0], &[])?;
    user_writes(&mock)?;
    std::thread::sleep(Duration::from_millis(300));
    r.idle_kib = mock.rss_kib()?;
    let (bare, ttapi) = (start(SERVERS[1], &[])?, start(SERVERS[2], &[])?);
    for server in [&mock, &bare, &ttapi] {
        wrk.run(server.addr, SHAPES[0], 50, 2)?; // a warm-up: node's JIT, the allocators
    }
    for shape in SHAPES {
        // Rounds alternate the servers, so that a disturbance of the machine does not fall
        // on one side alone; each server's figure is its median round by req/s.
        let mut runs_of: [Vec<Run>; 3] = Default::default();
        for _ in 0..rounds {
            for (server, runs) in [&mock, &bare, &ttapi].into_iter().zip(&mut runs_of) {
                runs.push(wrk.run(server.addr, shape, 50, secs)?);
            }
        }
        let runs = runs_of.map(|runs| median_by(runs, Run::rps));
        eprintln!("   {:<17} {:>7.0} req/s", shape.0, runs[0].rps());
        r.rows.push((shape.0, runs));
    }
    drop(ttapi);

    eprintln!("== long poll, webhook");
    let (samples, bots, per_bot) = [(2_000, 8, 5_000), (200, 4, 500)][quick as usize];
    r.long_poll_us = tokio.block_on(live::long_poll_us(mock.addr, samples))?;
    let hooks = live::webhook_rate(mock.addr, bare.addr, bots, per_bot);
    r.webhook_per_s = tokio.block_on(hooks)?;
    drop((mock, bare));

    let total = if quick { 100_000 } else { 1_000_000 };
    eprintln!("== soak: {total} sendMessage on a fresh mock");
    let cap = format!("messages={}", total / 10);
    let mock = start(SERVERS[0], &["--limit", &cap])?;
    user_writes(&mock)?;
    let (mut sent, tenth) = (0, total / 10);
    while sent < total {
        let before = sent;
        sent += wrk.run(mock.addr, SHAPES[4], 50, 1)?.requests;
        if sent / tenth > before / tenth {
            r.soak.push((sent, mock.rss_kib()?)); // about every tenth of the way
        }
    }
    drop(mock);

    if !quick {
        eprintln!("== instructions per request: bench/handler-cost, getMe under callgrind");
        r.handler_cost = process::in_process()?;
        let (mock, bare) = (line(SERVERS[0], &[]), line(SERVERS[1], &[]));
        for shape in &SHAPES[..4] {
            let ir = |server| process::on_the_socket(server, *shape, &wrk);
            r.socket_ir.push((shape.0, ir(&mock)?, ir(&bare)?));
        }
    }

    let markdown = report::render(&r);
    println!("{markdown}");
    if !quick {
        let doc = std::fs::read_to_string("BENCHMARKS.md")?;
        std::fs::write("BENCHMARKS.md", report::splice(&doc, &markdown)?)?;
        eprintln!("wrote BENCHMARKS.md");
    }
    Ok(())
}

/// The middle of `values` by `key`.
fn median_by<T>(mut values: Vec<T>, key: impl Fn(&T) -> f64) -> T {
    values.sort_by(|a, b| key(a).total_cmp(&key(b)));
    values.swap_remove(values.len() / 2)
}

/// The date, the machine, the commit, and where the processes ran.
fn context(threads: usize, server_cpus: Option<&str>, (rounds, secs): (u32, u64)) -> String {
    let sh = |line: &str| {
        let out = Command::new("sh").args(["-c", line]).output();
        let out = out.map(|out| out.stdout).unwrap_or_default();
        String::from_utf8_lossy(&out).trim().to_owned()
    };
    let (date, node) = (sh("date -u +%FT%RZ"), sh("node -v"));
    let commit = sh("git rev-parse --short HEAD");
    let info = <procfs::CpuInfo as procfs::Current>::current().ok();
    let cpu = info.as_ref().and_then(|c| c.model_name(0)).unwrap_or("");
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let placement = match server_cpus {
        Some(cpus) => format!("Servers pinned to CPUs {cpus}, wrk to CPU 0 (`--pin`)"),
        None => "Unpinned: servers, wrk and driver share every core".into(),
    };
    format!(
        "Measured {date} on {cpus} × {cpu}; bale-mock commit {commit}, node {node}. \
         {placement}; wrk with {threads} thread(s), 50 connections; each case and server the median of {rounds} round(s) of {secs} s."
    )
}
