//! The load generator: one wrk run of one request shape, its `done()` summary (printed by
//! bench/wrk/bench.lua) parsed with serde_json.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// One request, repeated.
#[derive(Clone, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub method: &'static str,
    pub path: String,
    /// Content type and body, for a POST.
    pub body: Option<[String; 2]>,
}

/// wrk's summary of one run; times in µs.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
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

    /// Reads the `BENCH {json}` line out of wrk's output.
    pub fn parse(stdout: &str) -> Result<Run> {
        let line = stdout.lines().find_map(|line| line.strip_prefix("BENCH "));
        let line = line.with_context(|| format!("no BENCH line in wrk's output: {stdout}"))?;
        Ok(serde_json::from_str(line)?)
    }
}

/// How wrk runs: its script, its threads, and the CPUs it is pinned to (`--pin`).
pub struct Wrk {
    pub script: String,
    pub threads: usize,
    pub cpus: Option<String>,
}

impl Wrk {
    /// Pinned: one thread on CPU 0; else a thread per CPU, sharing them with the servers.
    pub fn new(root: &Path, pin: bool) -> Wrk {
        let script = root.join("bench/wrk/bench.lua").display().to_string();
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let (threads, cpus) = (if pin { 1 } else { cpus }, pin.then(|| "0".into()));
        Wrk {
            script,
            threads,
            cpus,
        }
    }

    /// `shape` at `conns` connections for `secs` against `addr`; fails on any error answer.
    pub fn run(&self, addr: SocketAddr, shape: &Shape, conns: u32, secs: u64) -> Result<Run> {
        let threads = self.threads.min(conns as usize);
        let mut wrk = pinned(self.cpus.as_deref(), "wrk");
        wrk.args(format!("-t{threads} -c{conns} -d{secs}s").split(' '));
        wrk.args(["-s", &self.script, &format!("http://{addr}"), "--"]);
        wrk.args([shape.method, &shape.path])
            .args(shape.body.iter().flatten());
        let out = wrk.output().context("wrk")?;
        let run = Run::parse(&String::from_utf8_lossy(&out.stdout))?;
        if run.requests == 0 || run.status_errors > 0 {
            let (errors, of) = (run.status_errors, run.requests);
            bail!("{}: {errors} of {of} answers were errors", shape.name);
        }
        Ok(run)
    }
}

/// `program`, under `taskset -c cpus` when pinned.
pub fn pinned(cpus: Option<&str>, program: &str) -> Command {
    let Some(cpus) = cpus else {
        return Command::new(program);
    };
    let mut command = Command::new("taskset");
    command.args(["-c", cpus, program]);
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_found_among_wrks_own_output() {
        let out = "Running 1s test @ http://127.0.0.1:1\nBENCH {\"requests\":2000,\
            \"duration_us\":1000000,\"status_errors\":3,\"p50_us\":400,\"p99_us\":1900}\n";
        let run = Run::parse(out).unwrap();
        let figures = [run.requests, run.status_errors, run.p99_us];
        assert_eq!(figures, [2000, 3, 1900]);
        assert_eq!(run.rps(), 2000.0);
        assert!(Run::parse("Running 1s test\n").is_err());
    }
}
