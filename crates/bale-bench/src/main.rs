//! `bale-bench`: measures `bale-mock serve` against bare hyper (`bin/bare-hyper.rs`, the
//! ceiling) and telegram-test-api (bench/node) in one run, checks the targets of issue 12,
//! and writes the report between the markers of BENCHMARKS.md. Run it with `bench/run`,
//! which installs the tools and builds the release binaries.
//!
//! - [`server`]: the servers as child processes, their RSS (procfs), SIGTERM by PID (nix).
//! - [`wrk`]: one load run, its JSON summary parsed with serde.
//! - [`live`]: the long poll, webhook and console cases, driven with reqwest.
//! - [`cost`]: instructions per request, in process (bench/handler-cost) and on the socket.
//! - [`report`]: the targets with met / missed, the Markdown.

mod cost;
mod live;
mod report;
mod server;
mod wrk;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use serde_json::json;

use report::Results;
use server::Server;
use wrk::{pinned, Shape, Wrk};

#[derive(Parser, Debug)]
#[command(about = "Benchmark bale-mock against bare hyper and telegram-test-api")]
struct Opts {
    /// Short runs; print the report, write no file, count no instructions.
    #[arg(long)]
    quick: bool,
    /// Pin the servers to CPUs 1… and wrk to CPU 0 (default: unpinned, as users run it).
    #[arg(long)]
    pin: bool,
    /// Seconds of each throughput run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
}

/// A bot (zero-config: every well-formed token is an active bot), its token, and the user
/// who writes to it first so that sendMessage has a chat.
const BOT: u64 = 123_456_789;
const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const USER: u64 = 7001;

/// A small multipart/form-data body: one field.
const MULTIPART: &str = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";

/// The request shapes, getMe first: GET (pyTelegramBotAPI), JSON (grammY, telegraf), an
/// empty form (node-telegram-bot-api), multipart; then sendMessage to the user's chat.
fn shapes() -> Vec<Shape> {
    let shape = |name: &'static str, post: Option<(&str, &str)>| Shape {
        name,
        method: if post.is_some() { "POST" } else { "GET" },
        path: format!("/bot{TOKEN}/{}", name.split(' ').next().unwrap_or(name)),
        body: post.map(|(content_type, body)| [content_type.into(), body.into()]),
    };
    let (json, form) = ("application/json", "application/x-www-form-urlencoded");
    let multipart = ("multipart/form-data; boundary=b", MULTIPART);
    let json_text = format!(r#"{{"chat_id":{USER},"text":"Hello from the benchmark"}}"#);
    let form_text = format!("chat_id={USER}&text=Hello+from+the+benchmark");
    vec![
        shape("getMe GET", None),
        shape("getMe POST JSON", Some((json, "{}"))),
        shape("getMe POST form", Some((form, ""))),
        shape("getMe multipart", Some(multipart)),
        shape("sendMessage JSON", Some((json, &json_text))),
        shape("sendMessage form", Some((form, &form_text))),
        shape("getUpdates JSON", Some((json, r#"{"timeout":0}"#))),
    ]
}

const SERVERS: [&str; 3] = ["bale-mock", "bare-hyper", "telegram-test-api"];

fn main() -> anyhow::Result<()> {
    let opts = Opts::parse();
    let (quick, secs) = (opts.quick, if opts.quick { 1 } else { opts.seconds });
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).canonicalize()?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let others = match cpus {
        2 => "1".to_owned(), // every CPU but wrk's
        n => format!("1-{}", n - 1),
    };
    let server_cpus = (opts.pin && cpus > 1).then_some(others);
    let wrk = Wrk::new(&root, server_cpus.is_some());
    let exe = std::env::current_exe()?;
    let bin = exe.parent().context("no bin folder")?;
    std::env::set_current_dir(&root)?; // for git, in the report's context
    let logs = root.join("target/bench-logs");
    std::fs::create_dir_all(&logs)?;
    let tokio = tokio::runtime::Runtime::new()?;
    // A server's command line on 127.0.0.1 (`bale-mock serve` with `extra` options).
    let line = |server: &str, extra: &[&str]| {
        let (bin, any) = (bin.join(server).display().to_string(), "127.0.0.1:0".into());
        let mut line = match server {
            "bale-mock" => vec![bin, "serve".into(), "--listen".into(), any],
            "bare-hyper" => vec![bin, any],
            _ => vec!["node".into(), "serve.js".into()],
        };
        line.extend(extra.iter().map(|s| s.to_string()));
        line
    };
    let start = |server: &str, extra: &[&str]| {
        let line = line(server, extra);
        let mut command = pinned(server_cpus.as_deref(), &line[0]);
        let node = root.join("bench/node");
        command.args(&line[1..]).current_dir(node);
        Server::start(command, &logs.join(format!("{server}.log")))
    };
    // The user writes to the bot first, so that sendMessage has a chat to go to.
    let user_writes = |mock: &Server| tokio.block_on(live::user_writes(mock.addr, BOT, USER));
    let mut r = Results::default();
    (r.context, r.quick) = (context(wrk.threads, server_cpus.as_deref(), secs), quick);

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
        samples.sort_by(f64::total_cmp);
        r.startup_ms.push((server, samples[starts / 2]));
    }

    eprintln!("== throughput and latency, {secs} s per case");
    let mock = start(SERVERS[0], &[])?;
    user_writes(&mock)?;
    std::thread::sleep(Duration::from_millis(300));
    r.idle_kib = mock.rss_kib()?;
    let (bare, ttapi) = (start(SERVERS[1], &[])?, start(SERVERS[2], &[])?);
    let shapes = shapes();
    for server in [&mock, &bare, &ttapi] {
        wrk.run(server.addr, &shapes[0], 50, 2)?; // a warm-up: node's JIT, the allocators
    }
    for shape in &shapes {
        let run = |server: &Server| wrk.run(server.addr, shape, 50, secs);
        let runs = [run(&mock)?, run(&bare)?, run(&ttapi)?];
        eprintln!("   {:<17} {:>7.0} req/s", shape.name, runs[0].rps());
        r.rows.push((shape.name, runs));
    }
    drop(ttapi);

    eprintln!("== the console's stream, long poll, webhook");
    if let Some(reader) = tokio.block_on(live::open_console(mock.addr))? {
        reader.abort();
        // Rounds alternate, so that a disturbance of the machine does not fall on one side;
        // each side's figure is its median round (req/s, the mock's own CPU seconds per
        // request), so that one disturbed round does not decide the verdict.
        let mut sides: [Vec<(f64, f64)>; 2] = Default::default(); // without, with
        for round in 0..10 {
            let open = round % 2 == 1;
            let reader = match open {
                true => tokio.block_on(live::open_console(mock.addr))?,
                false => None,
            };
            let cpu = mock.cpu_seconds()?;
            let run = wrk.run(mock.addr, &shapes[1], 50, secs.div_ceil(2))?;
            let cpu = mock.cpu_seconds()? - cpu;
            sides[open as usize].push((run.rps(), cpu / run.requests as f64));
            if open {
                reader.context("the console's stream went away")?.abort();
            }
        }
        let figures = sides.map(|side| {
            let median = |mut values: Vec<f64>| {
                values.sort_by(f64::total_cmp);
                values[values.len() / 2]
            };
            let rps = median(side.iter().map(|s| s.0).collect());
            (rps, median(side.iter().map(|s| s.1).collect()))
        });
        r.console = Some(figures);
    }
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
        sent += wrk.run(mock.addr, &shapes[4], 50, 1)?.requests;
        if sent / tenth > before / tenth {
            r.soak.push((sent, mock.rss_kib()?)); // about every tenth of the way
        }
    }
    drop(mock);

    if !quick {
        eprintln!("== instructions per request: bench/handler-cost, getMe under callgrind");
        r.handler_cost = cost::handler_cost(&root)?;
        let (mock, bare) = (line(SERVERS[0], &[]), line(SERVERS[1], &[]));
        for shape in &shapes[..4] {
            let ir = |server: &[String]| cost::socket_ir(server, shape, &wrk, &logs);
            r.socket_ir.push((shape.name, ir(&mock)?, ir(&bare)?));
        }
    }

    let markdown = report::render(&r);
    println!("{markdown}");
    if !quick {
        let file = root.join("BENCHMARKS.md");
        let doc = std::fs::read_to_string(&file)?;
        std::fs::write(&file, report::splice(&doc, &markdown)?)?;
        eprintln!("wrote {}", file.display());
    }
    Ok(())
}

/// The date, the machine, the commit, and where the processes ran.
fn context(threads: usize, server_cpus: Option<&str>, secs: u64) -> String {
    let sh = |line: &str| {
        let mut words = line.split(' ');
        let program = words.next().unwrap_or(line);
        let out = Command::new(program).args(words).output().ok();
        let out = out.map(|o| o.stdout).unwrap_or_default();
        String::from_utf8_lossy(&out).trim().to_owned()
    };
    let (date, commit) = (sh("date -u +%FT%RZ"), sh("git rev-parse --short HEAD"));
    let cpu = <procfs::CpuInfo as procfs::Current>::current().ok();
    let cpu = cpu.and_then(|c| Some(c.model_name(0)?.to_owned()));
    let (cpu, node) = (cpu.unwrap_or_default(), sh("node -v"));
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let placement = match server_cpus {
        Some(cpus) => format!("Servers pinned to CPUs {cpus}, wrk to CPU 0 (`--pin`)"),
        None => "Unpinned: servers, wrk and driver share every core".into(),
    };
    format!(
        "Measured {date} on {cpus} × {cpu}; bale-mock commit {commit}, node {node}. \
         {placement}; wrk with {threads} thread(s), 50 connections, {secs} s per case and server."
    )
}
