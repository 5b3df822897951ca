//! `bale-bench`: measures `bale-mock serve` against bare hyper (`bin/bare-hyper.rs`, the
//! ceiling) and telegram-test-api (bench/node) in one run, checks the targets of issue 12,
//! and writes the report between the markers of BENCHMARKS.md. Run it with `bench/run`,
//! which installs the tools and builds the release binaries.
//!
//! - [`server`]: child processes, their RSS (procfs), SIGTERM by PID (nix), start-up time.
//! - [`wrk`]: one load run, its JSON summary parsed with serde.
//! - [`live`]: long poll, webhook and console cases, driven with reqwest.
//! - [`cost`]: instructions per request, in process (bench/handler-cost) and on the socket.
//! - [`report`]: the targets with met / missed, the Markdown.

mod cost;
mod live;
mod report;
mod server;
mod wrk;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use report::{Results, Row};
use server::{free_port, startup_ms, Server, TOKEN};
use wrk::{pinned, Shape, Wrk};

/// Command-line options.
#[derive(Parser, Debug)]
#[command(about = "Benchmark bale-mock against bare hyper and telegram-test-api")]
struct Opts {
    /// Short runs that print the report and write no file (no callgrind, no handler cost).
    #[arg(long)]
    quick: bool,
    /// Pin the servers to CPUs 1… and wrk to CPU 0 (default: unpinned, as users run it).
    #[arg(long)]
    pin: bool,
    /// Seconds of each throughput run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
}

/// The user who writes to the bot first, so that sendMessage has a chat.
const USER: u64 = 7001;

/// The request shapes, getMe first: GET (pyTelegramBotAPI), JSON (grammY, telegraf), an empty
/// form (node-telegram-bot-api), multipart; then sendMessage to the user's chat.
fn shapes() -> Vec<Shape> {
    let path = |method: &str| format!("/bot{TOKEN}/{method}");
    let post = |name, method, content_type: &str, body: &str| Shape {
        name,
        method: "POST",
        path: path(method),
        body: Some((content_type.into(), body.into())),
    };
    let form = "application/x-www-form-urlencoded";
    let multipart = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
    let text = "Hello from the benchmark";
    vec![
        Shape {
            name: "getMe GET",
            method: "GET",
            path: path("getMe"),
            body: None,
        },
        post("getMe POST JSON", "getMe", "application/json", "{}"),
        post("getMe POST form", "getMe", form, ""),
        post(
            "getMe multipart",
            "getMe",
            "multipart/form-data; boundary=b",
            multipart,
        ),
        post(
            "sendMessage JSON",
            "sendMessage",
            "application/json",
            &format!(r#"{{"chat_id":{USER},"text":"{text}"}}"#),
        ),
        post(
            "sendMessage form",
            "sendMessage",
            form,
            &format!("chat_id={USER}&text={}", text.replace(' ', "+")),
        ),
        post(
            "getUpdates JSON",
            "getUpdates",
            "application/json",
            r#"{"timeout":0}"#,
        ),
    ]
}

/// Where things are, and how servers are started.
struct Bench {
    root: PathBuf,
    bin: PathBuf,
    logs: PathBuf,
    server_cpus: Option<String>,
    wrk: Wrk,
    runtime: tokio::runtime::Runtime,
}

impl Bench {
    fn mock(&self, extra: &[&str]) -> Command {
        let mut command = pinned(
            self.server_cpus.as_deref(),
            &self.bin.join("bale-mock").display().to_string(),
        );
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra);
        command
    }

    fn bare(&self) -> Command {
        let mut command = pinned(
            self.server_cpus.as_deref(),
            &self.bin.join("bare-hyper").display().to_string(),
        );
        command.arg("127.0.0.1:0");
        command
    }

    fn ttapi(&self) -> anyhow::Result<Command> {
        let mut command = pinned(self.server_cpus.as_deref(), "node");
        command
            .args(["serve.js", &free_port()?.to_string()])
            .current_dir(self.root.join("bench/node"));
        Ok(command)
    }

    /// A mock whose bot has a chat with [`USER`].
    fn mock_with_chat(&self, extra: &[&str], log: &str) -> anyhow::Result<Server> {
        let mock = Server::start(self.mock(extra), &self.logs.join(log))?;
        let client = reqwest::Client::new();
        self.runtime
            .block_on(live::user_writes(&client, mock.addr, 123_456_789, USER))?;
        Ok(mock)
    }
}

fn main() -> ExitCode {
    match run(Opts::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bale-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(mut opts: Opts) -> anyhow::Result<()> {
    if opts.quick {
        opts.seconds = 1;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let server_cpus = (opts.pin && cpus > 1).then(|| format!("1-{}", cpus - 1));
    let exe = std::env::current_exe()?;
    let b = Bench {
        bin: exe
            .parent()
            .context("no folder for the driver")?
            .to_path_buf(),
        logs: root.join("target/bench-logs"),
        wrk: Wrk {
            script: root.join("bench/wrk/bench.lua").display().to_string(),
            threads: if server_cpus.is_some() { 1 } else { cpus },
            cpus: server_cpus.is_some().then(|| "0".into()),
        },
        server_cpus,
        runtime: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?,
        root,
    };
    std::fs::create_dir_all(&b.logs)?;
    let mut r = Results {
        context: context(&b.root),
        ..Results::default()
    };
    r.method = format!(
        "Method: one run; wrk with {} thread(s), 50 keep-alive connections, {} s per case after a warm-up; {}. \
         Ratios compare servers measured back to back in this run; bare-hyper answers a fixed getMe body to every request.",
        b.wrk.threads,
        opts.seconds,
        match &b.server_cpus {
            Some(cpus) => format!("servers pinned to CPUs {cpus}, wrk to CPU 0 (`--pin`)"),
            None => "unpinned: the servers, wrk and the driver share every core, as when a test suite runs the mock".into(),
        }
    );

    let starts = if opts.quick { 3 } else { 20 };
    eprintln!("== start-up ({starts} starts each)");
    for (name, command) in [
        ("bale-mock", 0),
        ("bare-hyper", 1),
        ("telegram-test-api", 2),
    ] {
        let mut samples = Vec::new();
        for _ in 0..starts {
            let command = match command {
                0 => b.mock(&[]),
                1 => b.bare(),
                _ => b.ttapi()?,
            };
            samples.push(startup_ms(
                command,
                &b.logs.join(format!("{name}-start.log")),
            )?);
        }
        samples.sort_by(f64::total_cmp);
        r.startup_ms.push((name, samples[samples.len() / 2]));
    }

    eprintln!("== throughput, {} s per case", opts.seconds);
    let mock = b.mock_with_chat(&[], "bale-mock.log")?;
    std::thread::sleep(Duration::from_millis(300));
    r.idle_kib = mock.rss_kib()?;
    let bare = Server::start(b.bare(), &b.logs.join("bare-hyper.log"))?;
    let ttapi = Server::start(b.ttapi()?, &b.logs.join("telegram-test-api.log"))?;
    let shapes = shapes();
    for server in [&mock, &bare, &ttapi] {
        b.wrk.run(server.addr, &shapes[0], 50, 2)?; // warm-up: node's JIT, the allocators
    }
    for shape in &shapes {
        let measure = |server: &Server| b.wrk.run(server.addr, shape, 50, opts.seconds);
        let row = Row {
            name: shape.name,
            mock: measure(&mock)?,
            bare: measure(&bare)?,
            ttapi: Some(measure(&ttapi)?),
        };
        eprintln!(
            "   {:<18} mock {:>7.0}  bare {:>7.0}  tta {:>6.0} req/s",
            shape.name,
            row.mock.rps(),
            row.bare.rps(),
            row.ttapi.map_or(0.0, |t| t.rps())
        );
        r.rows.push(row);
    }
    drop((bare, ttapi));

    eprintln!("== console stream, long poll, webhook");
    if let Some(reader) = b.runtime.block_on(live::open_console(mock.addr))? {
        reader.abort();
        let without = b.wrk.run(mock.addr, &shapes[1], 50, opts.seconds)?.rps();
        let reader = b
            .runtime
            .block_on(live::open_console(mock.addr))?
            .context("the console's stream went away")?;
        let with = b.wrk.run(mock.addr, &shapes[1], 50, opts.seconds)?.rps();
        reader.abort();
        r.console = Some((without, with));
    }
    let (samples, bots, per_bot) = if opts.quick {
        (200, 4, 500)
    } else {
        (2_000, 8, 5_000)
    };
    r.long_poll_us = b.runtime.block_on(live::long_poll_us(mock.addr, samples))?;
    r.webhook_per_s = b
        .runtime
        .block_on(live::webhook_per_second(mock.addr, bots, per_bot))?;
    drop(mock);

    let total = if opts.quick { 100_000 } else { 1_000_000 };
    eprintln!("== soak: {total} sendMessage on a fresh mock");
    let cap = format!("messages={}", total / 10);
    let mock = b.mock_with_chat(&["--limit", &cap], "bale-mock-soak.log")?;
    let mut sent = 0;
    while sent < total {
        sent += b.wrk.run(mock.addr, &shapes[4], 50, 1)?.requests;
        r.soak.push((sent, mock.rss_kib()?));
    }
    drop(mock);

    if !opts.quick {
        eprintln!("== instructions per request: bench/handler-cost, then getMe under callgrind");
        r.handler_cost = cost::handler_cost(&b.root)?;
        let mock = [
            b.bin.join("bale-mock").display().to_string(),
            "serve".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
        ];
        let bare = [
            b.bin.join("bare-hyper").display().to_string(),
            "127.0.0.1:0".into(),
        ];
        for shape in &shapes[..4] {
            let ir = |server: &[String]| cost::socket_ir(server, shape, &b.wrk, 3, &b.logs);
            r.socket_ir.push((shape.name, ir(&mock)?, ir(&bare)?));
        }
    }

    let markdown = report::render(&r);
    println!("{markdown}");
    if !opts.quick {
        let file = b.root.join("BENCHMARKS.md");
        std::fs::write(
            &file,
            report::splice(&std::fs::read_to_string(&file)?, &markdown)?,
        )?;
        eprintln!("wrote {}", file.display());
    }
    Ok(())
}

/// The date, the machine, and the versions, for the report's head.
fn context(root: &Path) -> Vec<String> {
    let sh = |program: &str, args: &[&str]| {
        let out = Command::new(program).args(args).current_dir(root).output();
        out.map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_default()
    };
    let cpu = <procfs::CpuInfo as procfs::Current>::current()
        .ok()
        .and_then(|c| c.model_name(0).map(str::to_owned))
        .unwrap_or_default();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    vec![
        format!(
            "Measured {} on {cpus} × {cpu}, Linux {}.",
            sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            sh("uname", &["-r"])
        ),
        format!(
            "Tools: {}; {}; node {}; bale-mock commit {}.",
            sh("rustc", &["-V"]),
            sh("wrk", &["-v"]).split(" Copyright").next().unwrap_or(""),
            sh("node", &["-v"]),
            sh("git", &["rev-parse", "--short", "HEAD"])
        ),
    ]
}
