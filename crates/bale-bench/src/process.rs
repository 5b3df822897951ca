//! The processes of a run: the servers under test, wrk, and callgrind's counts.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::report::{parse_costs, Cost};
use crate::{BOT, SECRET};

/// `program`, under `taskset -c cpus` when pinned.
pub fn pinned(cpus: Option<&str>, program: &str) -> Command {
    let mut command = Command::new(if cpus.is_some() { "taskset" } else { program });
    if let Some(cpus) = cpus {
        command.args(["-c", cpus, program]);
    }
    command
}

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Runs `command`, its stderr to `log`; its first line says `listening on http://ADDR`.
    pub fn start(mut command: Command, log: &str) -> Result<Server> {
        let log_file = std::fs::File::create(log)?;
        command.stdout(Stdio::piped()).stderr(log_file);
        let mut child = command.spawn().with_context(|| format!("{command:?}"))?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(lines.next().and_then(Result::ok).unwrap_or_default());
            lines.for_each(drop) // keeps the pipe drained
        });
        // A minute leaves room for valgrind's start; a server that never starts is killed.
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let Ok(addr) = line.trim_start_matches("listening on http://").parse() else {
            let _ = child.kill();
            bail!("{command:?} did not start: see {log}");
        };
        Ok(Server { child, addr })
    }

    fn procfs(&self) -> procfs::ProcResult<procfs::process::Process> {
        procfs::process::Process::new(self.child.id() as i32)
    }

    pub fn rss_kib(&self) -> Result<u64> {
        self.procfs()?.status()?.vmrss.context("no VmRSS")
    }
}

impl Drop for Server {
    /// SIGTERM, then SIGKILL after 10 s: a graceful drain, or callgrind's profile, takes time.
    fn drop(&mut self) {
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
        for _ in 0..1000 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request, repeated: its name, whose first word is bot BOT's method, and, for a POST,
/// the content type and body.
pub type Shape = (&'static str, Option<[&'static str; 2]>);

/// A wrk run's summary, printed as JSON by bench/wrk/bench.lua.
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
pub struct Run {
    pub requests: u64,
    pub duration_us: u64,
    /// Answers with a status ≥ 400.
    pub status_errors: u64,
    pub p50_us: u64,
    pub p99_us: u64,
}

impl Run {
    pub fn rps(&self) -> f64 {
        self.requests as f64 * 1e6 / self.duration_us.max(1) as f64
    }
}

pub struct Wrk {
    pub threads: usize,
    /// The CPU wrk is pinned to, with `--pin`.
    cpu: Option<&'static str>,
}

impl Wrk {
    /// Pinned: one thread on CPU 0. Unpinned: a thread per CPU, sharing them with the servers.
    pub fn new(pin: bool) -> Wrk {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let (threads, cpu) = if pin { (1, Some("0")) } else { (cpus, None) };
        Wrk { threads, cpu }
    }

    /// `shape` at `conns` connections for `secs` against `addr`; fails on any error answer.
    pub fn run(&self, addr: SocketAddr, shape: Shape, conns: u32, secs: u64) -> Result<Run> {
        let (name, post) = shape;
        let method = name.split(' ').next().unwrap_or(name);
        let mut wrk = pinned(self.cpu, "wrk");
        let threads = self.threads.min(conns as usize);
        wrk.args(format!("-t{threads} -c{conns} -d{secs}s").split(' '));
        wrk.args(["-s", "bench/wrk/bench.lua", &format!("http://{addr}"), "--"]);
        let path = format!("/bot{BOT}:{SECRET}/{method}");
        wrk.args([if post.is_some() { "POST" } else { "GET" }, &path]);
        let out = wrk.args(post.iter().flatten()).output().context("wrk")?;
        let out = String::from_utf8_lossy(&out.stdout);
        let summary = out.lines().find_map(|line| line.strip_prefix("BENCH "));
        let summary = summary.with_context(|| format!("no summary in wrk's output: {out}"))?;
        let run: Run = serde_json::from_str(summary)?;
        if run.requests == 0 || run.status_errors > 0 {
            let (errors, of) = (run.status_errors, run.requests);
            bail!("{name}: {errors} of {of} answers were errors");
        }
        Ok(run)
    }
}

/// Runs `bench/handler-cost`, its log shown as it goes.
pub fn in_process() -> Result<Vec<Cost>> {
    let out = Command::new("bench/handler-cost")
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("bench/handler-cost failed: {}", out.status);
    }
    Ok(parse_costs(&String::from_utf8_lossy(&out.stdout)))
}

/// Instructions per request of `server` (a command line) answering `shape`: the server
/// under callgrind with instrumentation off, a 1 s warm-up, then instrumentation on for 3 s
/// of wrk at 10 connections; the profile's total over wrk's count of answers.
pub fn on_the_socket(server: &[String], shape: Shape, wrk: &Wrk) -> Result<f64> {
    let mut valgrind = Command::new("valgrind");
    let profile = "--callgrind-out-file=target/bench-logs/callgrind-%p.out";
    valgrind.args(["--tool=callgrind", "--instr-atstart=no", profile]);
    valgrind.args(server);
    let running = Server::start(valgrind, "target/bench-logs/callgrind.log")?;
    wrk.run(running.addr, shape, 10, 1)?;
    let pid = running.child.id().to_string();
    let control = |on: &str| Command::new("callgrind_control").args([on, &pid]).output();
    control("--instr=on")?;
    let run = wrk.run(running.addr, shape, 10, 3)?;
    control("--instr=off")?;
    drop(running); // SIGTERM: callgrind writes the profile as the server exits
    let profile = std::fs::read_to_string(format!("target/bench-logs/callgrind-{pid}.out"))?;
    let total = profile.lines().find_map(|l| l.strip_prefix("totals: "));
    let total: f64 = total.context("no totals in the profile")?.trim().parse()?;
    Ok(total / run.requests as f64)
}
