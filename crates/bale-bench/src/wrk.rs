//! Runs wrk (Debian's package) against one server with one of the Lua scripts in
//! `bench/wrk/`, bounded in time, and reads the `BENCH {json}` line its `done()` prints,
//! while sampling the server's memory and CPU time.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use serde_json::Value;

use crate::process::{wait_quiet, Guard, Others, Server, QUIET_PERCENT};

/// Attempts per measurement when other processes disturb a run.
const ATTEMPTS: usize = 3;

/// How long to wait for a quiet machine before a run.
const QUIET_WAIT: Duration = Duration::from_secs(90);

/// What wrk sends.
#[derive(Clone, Debug)]
pub enum Load {
    /// `GET path`, one fixed request.
    Get {
        /// The request target.
        path: String,
    },
    /// `POST path` with a JSON body, one fixed request.
    Json {
        /// The request target.
        path: String,
        /// The body.
        body: String,
    },
    /// `POST path` with an urlencoded form body, one fixed request.
    Form {
        /// The request target.
        path: String,
        /// The body.
        body: String,
    },
    /// `GET` (or `POST` with a JSON body) of `method`, rotating over `bots` distinct tokens.
    Rotate {
        /// How many distinct bots.
        bots: usize,
        /// The Bot API method.
        method: String,
        /// A JSON body; `None` for GET.
        body: Option<String>,
    },
}

impl Load {
    /// The script and its arguments (after wrk's `--`).
    fn script(&self) -> (&'static str, Vec<String>) {
        match self {
            Load::Get { path } => ("static.lua", vec!["get".into(), path.clone()]),
            Load::Json { path, body } => (
                "static.lua",
                vec!["json".into(), path.clone(), body.clone()],
            ),
            Load::Form { path, body } => (
                "static.lua",
                vec!["form".into(), path.clone(), body.clone()],
            ),
            Load::Rotate { bots, method, body } => {
                let mut args = vec![bots.to_string(), method.clone()];
                args.extend(body.clone());
                ("rotate.lua", args)
            }
        }
    }
}

/// The figures of one wrk run.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Requests completed.
    pub requests: u64,
    /// Wall time of the run, in seconds.
    pub seconds: f64,
    /// Requests per second.
    pub rps: f64,
    /// Latency percentiles and maximum, in microseconds.
    pub p50_us: f64,
    /// 90th percentile.
    pub p90_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Maximum.
    pub max_us: f64,
    /// Answers with a status ≥ 400.
    pub status_errors: u64,
    /// Connect, read, write errors and timeouts.
    pub socket_errors: u64,
    /// Server CPU time (all threads) during the run, in seconds.
    pub server_cpu_s: f64,
    /// Highest server RSS seen during the run, in KiB.
    pub peak_rss_kib: u64,
    /// CPU time used by processes other than the server, wrk and the driver during the run,
    /// in seconds.
    pub foreign_cpu_s: f64,
}

impl Run {
    /// Server CPU time per request, in microseconds.
    pub fn cpu_us_per_request(&self) -> f64 {
        if self.requests == 0 {
            return f64::NAN;
        }
        self.server_cpu_s * 1e6 / self.requests as f64
    }

    /// Share of one core the server used, in percent.
    pub fn server_cpu_percent(&self) -> f64 {
        self.server_cpu_s * 100.0 / self.seconds
    }

    /// Share of one core other processes used during the run, in percent.
    pub fn foreign_cpu_percent(&self) -> f64 {
        (self.foreign_cpu_s * 100.0 / self.seconds).max(0.0)
    }
}

/// The load generator's settings.
#[derive(Clone, Debug)]
pub struct Wrk {
    /// Folder of the Lua scripts.
    pub scripts: PathBuf,
    /// CPUs wrk is pinned to (`taskset -c`), if any.
    pub cpus: Option<String>,
    /// Most wrk threads to use.
    pub threads: u32,
}

impl Wrk {
    /// [`Wrk::run`] on a quiet machine: waits for other processes to quiet down, and runs
    /// again (up to [`ATTEMPTS`] times) when they used more than [`QUIET_PERCENT`] of a core
    /// during the run, keeping the least disturbed run. The figures are never filtered by
    /// what they are, only by how much else ran beside them.
    pub fn measure(
        &self,
        server: &Server,
        load: &Load,
        connections: u32,
        seconds: u64,
    ) -> anyhow::Result<Run> {
        let mut best: Option<Run> = None;
        for attempt in 1..=ATTEMPTS {
            wait_quiet(QUIET_WAIT)?;
            let run = self.run(server, load, connections, seconds)?;
            let foreign = run.foreign_cpu_percent();
            let better = match &best {
                Some(b) => foreign < b.foreign_cpu_percent(),
                None => true,
            };
            if better {
                best = Some(run);
            }
            if foreign <= QUIET_PERCENT {
                break;
            }
            eprintln!(
                "   other processes used {foreign:.0} % of a core during the run \
                 (attempt {attempt} of {ATTEMPTS})"
            );
        }
        best.ok_or_else(|| anyhow!("no run"))
    }

    /// Runs `load` against `server` with `connections` keep-alive connections for `seconds`.
    pub fn run(
        &self,
        server: &Server,
        load: &Load,
        connections: u32,
        seconds: u64,
    ) -> anyhow::Result<Run> {
        let (script, args) = load.script();
        let threads = self.threads.min(connections).max(1);
        let mut command = match &self.cpus {
            Some(cpus) => {
                let mut command = Command::new("taskset");
                command.args(["-c", cpus, "wrk"]);
                command
            }
            None => Command::new("wrk"),
        };
        command
            .arg(format!("-t{threads}"))
            .arg(format!("-c{connections}"))
            .arg(format!("-d{seconds}s"))
            .args(["--timeout", "5s", "--latency", "-s"])
            .arg(self.scripts.join(script))
            .arg(format!("http://{}", server.addr))
            .arg("--")
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());

        // Everyone but this driver (whose children's time will hold wrk's) and the server.
        let excluded = [std::process::id(), server.pid()];
        let others_before = Others::snapshot(&excluded);
        let cpu_before = server.cpu_seconds()?;
        let mut peak_rss = server.rss_kib()?;
        let mut wrk = Guard::spawn(&mut command)?;
        let mut stdout = wrk
            .child()
            .stdout
            .take()
            .ok_or_else(|| anyhow!("no pipe"))?;
        let mut stderr = wrk
            .child()
            .stderr
            .take()
            .ok_or_else(|| anyhow!("no pipe"))?;
        let output = std::thread::spawn(move || {
            let mut out = String::new();
            let _ = stdout.read_to_string(&mut out);
            let mut err = String::new();
            let _ = stderr.read_to_string(&mut err);
            (out, err)
        });

        let deadline = Instant::now() + Duration::from_secs(seconds + 20);
        let status = loop {
            if let Some(status) = wrk.child().try_wait()? {
                break status;
            }
            if Instant::now() > deadline {
                bail!("wrk did not finish in time against {}", server.name);
            }
            if let Ok(rss) = server.rss_kib() {
                peak_rss = peak_rss.max(rss);
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let cpu_after = server.cpu_seconds()?;
        let others = others_before.used_until(&Others::snapshot(&excluded));
        let (out, err) = output.join().map_err(|_| anyhow!("wrk reader panicked"))?;
        if !status.success() {
            bail!("wrk failed against {} ({status}): {err}{out}", server.name);
        }
        let line = out
            .lines()
            .find_map(|line| line.strip_prefix("BENCH "))
            .ok_or_else(|| anyhow!("wrk printed no BENCH line: {out}{err}"))?;
        let v: Value = serde_json::from_str(line).context("bad BENCH line")?;
        let num = |key: &str| -> anyhow::Result<f64> {
            v.get(key)
                .and_then(Value::as_f64)
                .ok_or_else(|| anyhow!("BENCH line has no {key}: {line}"))
        };
        let requests = num("requests")? as u64;
        let seconds = num("duration_us")? / 1e6;
        Ok(Run {
            requests,
            seconds,
            rps: requests as f64 / seconds,
            p50_us: num("p50_us")?,
            p90_us: num("p90_us")?,
            p99_us: num("p99_us")?,
            max_us: num("max_us")?,
            status_errors: num("status")? as u64,
            socket_errors: (num("connect")? + num("read")? + num("write")? + num("timeout")?)
                as u64,
            server_cpu_s: cpu_after - cpu_before,
            peak_rss_kib: peak_rss,
            foreign_cpu_s: others,
        })
    }
}

/// wrk's version line (`wrk -v` prints it and exits non-zero).
pub fn version() -> String {
    Command::new("wrk")
        .arg("-v")
        .output()
        .ok()
        .and_then(|out| {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.lines().next().map(|l| l.trim().to_owned())
        })
        .unwrap_or_else(|| "wrk (version unknown)".to_owned())
}
