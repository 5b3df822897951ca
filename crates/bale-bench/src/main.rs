//! `bale-bench`: measures the `bale-mock` server against a bare hyper server (the physical
//! limit of this machine) and telegram-test-api (the npm emulator bot authors use today), in
//! one run, and writes the results with their ratios to `BENCHMARKS.md`.
//!
//! Run it with `bench/run`, which installs wrk and telegram-test-api, builds the release
//! binaries and then runs this driver. Everything it starts listens on 127.0.0.1, every
//! load run is bounded in time, and every process it starts is stopped by its PID.
//!
//! # What it measures
//!
//! - requests/second and p50/p99 latency at 1 and 50 keep-alive connections (wrk), for
//!   getMe, a logged-out bot, a bad token, and POST with a JSON and with a form body;
//! - exec → first successful getMe of each server (median of `--starts` starts);
//! - the mock's RSS idle, under load, after 100 k and after 1 M requests;
//! - the mock's cost per request with 1 and with 10 000 distinct bots.

mod machine;
mod probe;
mod process;
mod report;
mod wrk;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use clap::Parser;

use crate::machine::Machine;
use crate::probe::Request;
use crate::process::{free_port, wait_quiet, Guard, Launch, Server};
use crate::report::{
    CaseResult, CostResult, Memory, Outcome, Results, ServerMemory, Settings, Startup,
};
use crate::wrk::{Load, Run, Wrk};

/// An active bot (zero-config: every well-formed token is one).
const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// A bot the driver logs out once, so that its requests take the error path.
const LOGGED_OUT_TOKEN: &str = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// A token the server rejects.
const BAD_TOKEN: &str = "123456:AAFAKE-token";
/// The parameters of the POST cases, as JSON and as a form.
const JSON_BODY: &str =
    r#"{"chat_id":123456789,"text":"Hello from the benchmark","disable_notification":true}"#;
const FORM_BODY: &str = "chat_id=123456789&text=Hello+from+the+benchmark&disable_notification=true";

/// Rounds of the per-request-cost cases (the median round is reported).
const COST_ROUNDS: usize = 3;

/// Connection counts every throughput case runs at.
const CONNECTIONS: [u32; 2] = [1, 50];

/// Command-line options.
#[derive(Parser, Debug)]
#[command(about = "Benchmark bale-mock against bare hyper and telegram-test-api")]
struct Opts {
    /// Seconds of each measured wrk run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Start-up measurements per server (the median is reported).
    #[arg(long, default_value_t = 25)]
    starts: usize,
    /// Requests of the memory soak (RSS is read after 100 k and after this many).
    #[arg(long, default_value_t = 1_000_000)]
    soak_requests: u64,
    /// Do not pin the servers and wrk to separate CPUs.
    #[arg(long)]
    no_pin: bool,
    /// Skip telegram-test-api.
    #[arg(long)]
    no_ttapi: bool,
    /// A short smoke run (1 s runs, 5 starts, 200 k soak) that writes no file.
    #[arg(long)]
    quick: bool,
    /// Print the report only; do not write BENCHMARKS.md.
    #[arg(long)]
    no_write: bool,
    /// The repository root (default: found from this crate's location).
    #[arg(long)]
    root: Option<PathBuf>,
}

/// The three servers, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Mock,
    Bare,
    Ttapi,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Mock, Kind::Bare, Kind::Ttapi];

    fn name(self) -> &'static str {
        match self {
            Kind::Mock => "bale-mock",
            Kind::Bare => "bare-hyper",
            Kind::Ttapi => "telegram-test-api",
        }
    }
}

/// Where the programs are.
struct Paths {
    root: PathBuf,
    mock: PathBuf,
    bare: PathBuf,
    node_dir: PathBuf,
    logs: PathBuf,
}

impl Paths {
    /// How to start a server of `kind` on `port` (0: any, except for telegram-test-api,
    /// which needs a real one).
    fn launch(&self, kind: Kind, port: u16) -> anyhow::Result<Launch> {
        let address = format!("127.0.0.1:{port}");
        Ok(match kind {
            Kind::Mock => Launch {
                name: kind.name(),
                program: self.mock.clone(),
                args: vec!["serve".into(), "--listen".into(), address],
                dir: None,
            },
            Kind::Bare => Launch {
                name: kind.name(),
                program: self.bare.clone(),
                args: vec![address],
                dir: None,
            },
            Kind::Ttapi => {
                let port = if port == 0 { free_port()? } else { port };
                Launch {
                    name: kind.name(),
                    program: "node".into(),
                    args: vec!["serve.js".into(), port.to_string()],
                    dir: Some(self.node_dir.clone()),
                }
            }
        })
    }
}

/// One throughput case: what each server is sent, and what the mock must answer.
struct Case {
    title: &'static str,
    /// The status every answer of the mock must have.
    mock_status: u16,
    /// A word the mock's answer must contain.
    mock_says: &'static str,
    load: Load,
    /// Why telegram-test-api has no figure for this case, if it has none.
    ttapi_gap: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let path = |token: &str| format!("/bot{token}/getMe");
    vec![
        Case {
            title: "getMe (success)",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Get { path: path(TOKEN) },
            ttapi_gap: None,
        },
        Case {
            title: "logged-out bot (error path)",
            mock_status: 400,
            mock_says: "Logged out",
            load: Load::Get {
                path: path(LOGGED_OUT_TOKEN),
            },
            ttapi_gap: Some("no logOut: every bot is always active"),
        },
        Case {
            title: "bad token (auth failure)",
            mock_status: 403,
            mock_says: "Token not found",
            load: Load::Get {
                path: path(BAD_TOKEN),
            },
            ttapi_gap: Some("accepts any token: no auth failure path"),
        },
        Case {
            title: "POST JSON body",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Json {
                path: path(TOKEN),
                body: JSON_BODY.into(),
            },
            ttapi_gap: None,
        },
        Case {
            title: "POST form body",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Form {
                path: path(TOKEN),
                body: FORM_BODY.into(),
            },
            ttapi_gap: None,
        },
    ]
}

/// One per-request-cost case of the mock: GET getMe at 50 connections rotating over `bots`
/// bots, on a server running a scenario of `rules` rules that never match (so every request
/// is checked against all of them), or on the zero-config server when `rules` is 0.
/// `ready: Err` lists a case as not measurable yet.
struct CostCase {
    label: &'static str,
    bots: usize,
    rules: usize,
    ready: Result<(), &'static str>,
}

fn cost_cases() -> Vec<CostCase> {
    vec![
        CostCase {
            label: "1 bot",
            bots: 1,
            rules: 0,
            ready: Ok(()),
        },
        CostCase {
            label: "10 000 bots",
            bots: 10_000,
            rules: 0,
            ready: Ok(()),
        },
        CostCase {
            label: "1 bot, 1 000 scenario rules",
            bots: 1,
            rules: 1_000,
            ready: Ok(()),
        },
    ]
}

/// A scenario of `rules` rules for bots the benchmark never sends (ids 500000001…), each
/// with a method condition and an error answer, so none is shadowed and none matches.
fn rules_scenario(rules: usize) -> String {
    let mut toml = format!(
        "description = \"bale-bench: {rules} rules that match no request of the benchmark\"\n"
    );
    for i in 0..rules {
        toml.push_str(&format!(
            "\n[[rule]]\nname = \"rule {i}\"\nwhen = {{ bot = {}, method = \"getMe\" }}\n\
             then = {{ error = {{ code = 500, description = \"Internal Server Error: rule {i}\" }} }}\n",
            500_000_001 + i
        ));
    }
    toml
}

fn main() -> ExitCode {
    let mut opts = Opts::parse();
    if opts.quick {
        opts.seconds = 1;
        opts.starts = 5;
        opts.soak_requests = 200_000;
        opts.no_write = true;
    }
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bale-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: &Opts) -> anyhow::Result<()> {
    let paths = find_paths(opts)?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let pinned = !opts.no_pin && cpus >= 2;
    // With two or more CPUs: the server under test on CPU 1, wrk on CPU 0 (the driver itself
    // only sleeps while wrk runs).
    let server_cpus = pinned.then(|| match cpus {
        2 => "1".to_owned(),
        n => format!("1-{}", n - 1),
    });
    let wrk = Wrk {
        scripts: paths.root.join("bench/wrk"),
        cpus: pinned.then(|| "0".to_owned()),
        threads: if pinned { 1 } else { cpus as u32 },
    };
    let wrk_version = wrk::version();
    let ttapi = !opts.no_ttapi;
    if ttapi
        && !paths
            .node_dir
            .join("node_modules/telegram-test-api")
            .is_dir()
    {
        bail!(
            "telegram-test-api is not installed in {} (bench/run installs it; or pass --no-ttapi)",
            paths.node_dir.display()
        );
    }

    let machine = Machine::describe(&paths.root, wrk_version);
    let mut results = Results {
        settings: Settings {
            seconds: opts.seconds,
            server_cpus: server_cpus.clone(),
            wrk_cpus: wrk.cpus.clone(),
            wrk_threads: wrk.threads,
        },
        machine,
        ..Results::default()
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| ttapi || *k != Kind::Ttapi)
        .collect();

    eprintln!(
        "== start-up: exec to first successful getMe ({} starts each)",
        opts.starts
    );
    for &kind in &kinds {
        let startup = measure_startup(&paths, kind, opts.starts)?;
        eprintln!("   {}: median {:.2} ms", kind.name(), startup.median_ms());
        results.startup.push(startup);
    }

    eprintln!(
        "== memory soak of bale-mock ({} requests)",
        opts.soak_requests
    );
    results.memory = Some(soak(
        &paths,
        &wrk,
        server_cpus.as_deref(),
        opts.soak_requests,
    )?);

    eprintln!("== throughput and latency ({} s per run)", opts.seconds);
    let mut servers = Vec::new();
    for &kind in &kinds {
        let log = paths.logs.join(format!("{}.log", kind.name()));
        let server = Server::start(&paths.launch(kind, 0)?, server_cpus.as_deref(), &log)?;
        expect(&server, &get(&format!("/bot{TOKEN}/getMe")), 200, "ok")?;
        std::thread::sleep(Duration::from_millis(300));
        let idle = server.rss_kib()?;
        servers.push((kind, server, ServerMemory::idle(kind.name(), idle)));
    }
    // The error-path bot: logged out once, refused for the next 600 s.
    let (_, mock, _) = &servers[0];
    let log_out = format!("/bot{LOGGED_OUT_TOKEN}/logOut");
    expect(mock, &post_json(&log_out, "{}"), 200, "\"result\":true")?;
    check_body_size(mock)?;
    for (kind, server, _) in &servers {
        // Warm-up, discarded (node's JIT, the mock's maps and allocator).
        eprintln!("   warming up {}", kind.name());
        let warm = cases().remove(0).load;
        wrk.run(server, &warm, 50, 2)?;
    }
    for case in cases() {
        for connections in CONNECTIONS {
            let mut row = CaseResult {
                title: case.title,
                connections,
                outcomes: Vec::new(),
            };
            for (kind, server, memory) in &mut servers {
                let outcome = match (*kind, case.ttapi_gap) {
                    (Kind::Ttapi, Some(gap)) => Outcome::NotSupported(gap),
                    _ => {
                        let run = measure_case(&wrk, server, *kind, &case, connections, opts)?;
                        memory.peak_kib = memory.peak_kib.max(run.peak_rss_kib);
                        Outcome::Ran(run)
                    }
                };
                eprintln!(
                    "   {:<28} c={:<3} {:<18} {}",
                    case.title,
                    connections,
                    kind.name(),
                    outcome.short()
                );
                row.outcomes.push((kind.name(), outcome));
            }
            results.cases.push(row);
        }
    }

    eprintln!("== per-request cost of bale-mock: distinct bots");
    results.cost = measure_costs(&paths, &wrk, &servers[0].1, server_cpus.as_deref(), opts)?;

    for (_, server, memory) in servers {
        results.others_memory.push(memory);
        server.stop();
    }

    let markdown = report::render(&results);
    println!("{markdown}");
    if !opts.no_write {
        let out = paths.root.join("BENCHMARKS.md");
        report::write(&out, &markdown)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

fn find_paths(opts: &Opts) -> anyhow::Result<Paths> {
    let root = match &opts.root {
        Some(root) => root.clone(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    };
    let root = root
        .canonicalize()
        .with_context(|| format!("no repository at {}", root.display()))?;
    let exe = std::env::current_exe()?;
    let bin_dir = exe
        .parent()
        .ok_or_else(|| anyhow!("no folder for {}", exe.display()))?;
    let mock = bin_dir.join("bale-mock");
    let bare = bin_dir.join("bare-hyper");
    for bin in [&mock, &bare] {
        if !bin.is_file() {
            bail!(
                "{} is missing: build with `cargo build --release -p bale-cli -p bale-bench` \
                 (bench/run does)",
                bin.display()
            );
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build of the driver; the servers beside it may be debug too");
    }
    let logs = root.join("target/bench-logs");
    std::fs::create_dir_all(&logs)?;
    Ok(Paths {
        node_dir: root.join("bench/node"),
        root,
        mock,
        bare,
        logs,
    })
}

fn get(path: &str) -> Request<'_> {
    Request {
        method: "GET",
        path,
        content_type: None,
        body: "",
    }
}

fn post_json<'a>(path: &'a str, body: &'a str) -> Request<'a> {
    Request {
        method: "POST",
        path,
        content_type: Some("application/json"),
        body,
    }
}

/// The probe request equivalent to a load.
fn probe_of(load: &Load) -> Request<'_> {
    match load {
        Load::Get { path } => get(path),
        Load::Json { path, body } => post_json(path, body),
        Load::Form { path, body } => Request {
            method: "POST",
            path,
            content_type: Some("application/x-www-form-urlencoded"),
            body,
        },
        Load::Rotate { .. } => unreachable!("rotating loads are not probed"),
    }
}

/// Sends one request and checks the answer's status and a word of its body.
fn expect(
    server: &Server,
    request: &Request<'_>,
    status: u16,
    says: &str,
) -> anyhow::Result<probe::Reply> {
    let reply = probe::send(server.addr, request, Duration::from_secs(5))
        .with_context(|| format!("{} did not answer {}", server.name, request.path))?;
    if reply.status != status || !reply.body.contains(says) {
        bail!(
            "{} answered {} {} to {} {}; expected {status} with {says:?}",
            server.name,
            reply.status,
            reply.body,
            request.method,
            request.path
        );
    }
    Ok(reply)
}

/// Warns when the mock's getMe body is not as long as bare-hyper's fixed one.
fn check_body_size(mock: &Server) -> anyhow::Result<()> {
    let reply = expect(mock, &get(&format!("/bot{TOKEN}/getMe")), 200, "ok")?;
    // The length of `BODY` in src/bin/bare-hyper.rs.
    const BARE_LEN: usize = 208;
    if reply.body.len() != BARE_LEN {
        eprintln!(
            "warning: the mock's getMe body is {} bytes, bare-hyper's {BARE_LEN}",
            reply.body.len()
        );
    }
    Ok(())
}

/// One wrk run of a case, after checking the server's answer to it.
fn measure_case(
    wrk: &Wrk,
    server: &Server,
    kind: Kind,
    case: &Case,
    connections: u32,
    opts: &Opts,
) -> anyhow::Result<Run> {
    let request = probe_of(&case.load);
    // bare-hyper and telegram-test-api answer 200 to every case they run.
    let (status, says) = match kind {
        Kind::Mock => (case.mock_status, case.mock_says),
        Kind::Bare | Kind::Ttapi => (200, "ok"),
    };
    expect(server, &request, status, says)?;
    let run = wrk.measure(server, &case.load, connections, opts.seconds)?;
    let expected_errors = if status >= 400 { run.requests } else { 0 };
    if run.requests == 0 || run.status_errors != expected_errors {
        bail!(
            "{} / {}: {} answers with status ≥ 400 of {} (expected {expected_errors})",
            server.name,
            case.title,
            run.status_errors,
            run.requests
        );
    }
    Ok(run)
}

/// Exec → first successful getMe, `starts` times; the server is stopped by PID each time.
fn measure_startup(paths: &Paths, kind: Kind, starts: usize) -> anyhow::Result<Startup> {
    let path = format!("/bot{TOKEN}/getMe");
    let request = get(&path);
    let mut samples = Vec::with_capacity(starts);
    for _ in 0..starts {
        wait_quiet(Duration::from_secs(90))?;
        let port = free_port()?;
        let addr = ([127, 0, 0, 1], port).into();
        let mut command = paths.launch(kind, port)?.command(None);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let started = Instant::now();
        let mut guard = Guard::spawn(&mut command)?;
        let deadline = started + Duration::from_secs(20);
        let elapsed = loop {
            if Instant::now() > deadline {
                bail!("{} gave no answer within 20 s of exec", kind.name());
            }
            // Polled tightly: a refused connect returns at once.
            let Ok(mut stream) = TcpStream::connect(addr) else {
                if let Some(status) = guard.child().try_wait()? {
                    bail!("{} exited during start-up ({status})", kind.name());
                }
                continue;
            };
            match probe::exchange(&mut stream, addr, &request, Duration::from_secs(5)) {
                Ok(reply) if reply.status == 200 => break started.elapsed(),
                _ => continue,
            }
        };
        guard.stop();
        samples.push(elapsed.as_secs_f64() * 1e3);
    }
    Ok(Startup {
        server: kind.name(),
        samples_ms: samples,
    })
}

/// A fresh mock under a long run of POSTs with parameters rotating over 10 000 bots, in 1 s
/// wrk runs; RSS read between runs.
fn soak(
    paths: &Paths,
    wrk: &Wrk,
    server_cpus: Option<&str>,
    target: u64,
) -> anyhow::Result<Memory> {
    let log = paths.logs.join("bale-mock-soak.log");
    let server = Server::start(&paths.launch(Kind::Mock, 0)?, server_cpus, &log)?;
    expect(&server, &get(&format!("/bot{TOKEN}/getMe")), 200, "ok")?;
    std::thread::sleep(Duration::from_millis(300));
    let mut memory = Memory {
        idle_kib: server.rss_kib()?,
        ..Memory::default()
    };
    memory.peak_kib = memory.idle_kib;
    let load = Load::Rotate {
        bots: 10_000,
        method: "getMe".into(),
        body: Some(JSON_BODY.into()),
    };
    wait_quiet(Duration::from_secs(90))?;
    let started = Instant::now();
    // Bounded: at most 600 one-second runs and 10 minutes, whichever comes first.
    for _ in 0..600 {
        let run = wrk.run(&server, &load, 50, 1)?;
        if run.status_errors != 0 || run.requests == 0 {
            bail!("soak: {} error answers", run.status_errors);
        }
        memory.total_requests += run.requests;
        memory.peak_kib = memory.peak_kib.max(run.peak_rss_kib);
        memory
            .checkpoints
            .push((memory.total_requests, server.rss_kib()?));
        if memory.total_requests >= target || started.elapsed() > Duration::from_secs(600) {
            break;
        }
    }
    memory.target = target;
    eprintln!(
        "   idle {} KiB, peak {} KiB, {} requests, last {:?}",
        memory.idle_kib,
        memory.peak_kib,
        memory.total_requests,
        memory.checkpoints.last()
    );
    server.stop();
    Ok(memory)
}

/// Per-request cost cases.
fn measure_costs(
    paths: &Paths,
    wrk: &Wrk,
    mock: &Server,
    server_cpus: Option<&str>,
    opts: &Opts,
) -> anyhow::Result<Vec<CostResult>> {
    let cases = cost_cases();
    // Cases with rules get a server of their own, running the generated scenario.
    let mut own_servers = Vec::new();
    for case in &cases {
        if case.rules == 0 || case.ready.is_err() {
            own_servers.push(None);
            continue;
        }
        let file = paths.logs.join(format!("rules-{}.toml", case.rules));
        std::fs::write(&file, rules_scenario(case.rules))?;
        let mut launch = paths.launch(Kind::Mock, 0)?;
        launch.args.push("--scenario".into());
        launch.args.push(file.display().to_string());
        let log = paths
            .logs
            .join(format!("bale-mock-rules-{}.log", case.rules));
        let server = Server::start(&launch, server_cpus, &log)?;
        let path = "/bot100000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe";
        expect(&server, &get(path), 200, "\"ok\":true")?;
        own_servers.push(Some(server));
    }
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); cases.len()];
    // Rounds with the cases alternating, so that drift hits each case alike.
    for _round in 0..COST_ROUNDS {
        for ((case, runs), own) in cases.iter().zip(&mut runs).zip(&own_servers) {
            if case.ready.is_err() {
                continue;
            }
            let load = Load::Rotate {
                bots: case.bots,
                method: "getMe".into(),
                body: None,
            };
            let server = own.as_ref().unwrap_or(mock);
            let run = wrk.measure(server, &load, 50, opts.seconds)?;
            if run.status_errors != 0 || run.requests == 0 {
                bail!("{}: {} error answers", case.label, run.status_errors);
            }
            eprintln!(
                "   {:<28} {:>9.0} req/s  {:.2} µs CPU/request",
                case.label,
                run.rps,
                run.cpu_us_per_request()
            );
            runs.push(run);
        }
    }
    for server in own_servers.into_iter().flatten() {
        server.stop();
    }
    Ok(cases
        .iter()
        .zip(runs)
        .map(|(case, runs)| CostResult {
            label: case.label,
            outcome: match case.ready {
                Ok(()) => Ok(runs),
                Err(reason) => Err(reason),
            },
        })
        .collect())
}
