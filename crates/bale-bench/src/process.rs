//! Child processes the benchmark starts, each stopped by its PID when its guard drops (also
//! on an error or a panic of the driver): SIGTERM first, SIGKILL after a grace period.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

/// How long a child gets to exit on SIGTERM before it is killed.
const TERM_GRACE: Duration = Duration::from_secs(3);

/// How long a server gets to print its `listening on` line.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A child process, stopped by PID on drop.
#[derive(Debug)]
pub struct Guard {
    child: Child,
}

impl Guard {
    /// Spawns `command` and guards it.
    pub fn spawn(command: &mut Command) -> anyhow::Result<Guard> {
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {:?}", command.get_program()))?;
        Ok(Guard { child })
    }

    /// The child's PID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The child itself (to take its pipes or poll it).
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Stops the child now: SIGTERM, then SIGKILL after a grace period.
    pub fn stop(mut self) {
        terminate(&mut self.child);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// Sends SIGTERM to the child's PID, waits up to [`TERM_GRACE`], then kills and reaps it.
fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let pid = child.id().to_string();
    let _ = Command::new("kill")
        .args(["-TERM", &pid])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + TERM_GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// How to start one server under test.
#[derive(Clone, Debug)]
pub struct Launch {
    /// Short name for logs and tables.
    pub name: &'static str,
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Working directory, if not the driver's.
    pub dir: Option<PathBuf>,
}

impl Launch {
    /// The command line, pinned with `taskset -c CPUS` when `cpus` is given (taskset execs
    /// the program, so the PID is the server's own).
    pub fn command(&self, cpus: Option<&str>) -> Command {
        let mut command = match cpus {
            Some(cpus) => {
                let mut command = Command::new("taskset");
                command.arg("-c").arg(cpus).arg(&self.program);
                command
            }
            None => Command::new(&self.program),
        };
        command.args(&self.args).stdin(Stdio::null());
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command
    }
}

/// A running server that printed `listening on http://HOST:PORT`.
#[derive(Debug)]
pub struct Server {
    /// Short name.
    pub name: &'static str,
    /// Where it listens.
    pub addr: SocketAddr,
    guard: Guard,
}

impl Server {
    /// Starts the server, logging its stderr to `log`, and waits for its first stdout line.
    pub fn start(launch: &Launch, cpus: Option<&str>, log: &Path) -> anyhow::Result<Server> {
        let log_file =
            File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut command = launch.command(cpus);
        command.stdout(Stdio::piped()).stderr(log_file);
        let mut guard = Guard::spawn(&mut command)?;
        let stdout = guard
            .child()
            .stdout
            .take()
            .ok_or_else(|| anyhow!("no stdout pipe"))?;
        let (lines, first) = mpsc::channel();
        // Reads the first line for us, then drains stdout so the server never blocks on it.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = lines.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = first.recv_timeout(READY_TIMEOUT).map_err(|_| {
            anyhow!(
                "{} printed no `listening on` line within {READY_TIMEOUT:?} (log: {})",
                launch.name,
                log.display()
            )
        })?;
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .ok_or_else(|| anyhow!("{}: unexpected first line {line:?}", launch.name))?
            .parse::<SocketAddr>()
            .with_context(|| format!("{}: bad address in {line:?}", launch.name))?;
        if !addr.ip().is_loopback() {
            bail!("{} listens on {addr}, not on loopback", launch.name);
        }
        Ok(Server {
            name: launch.name,
            addr,
            guard,
        })
    }

    /// The server's PID.
    pub fn pid(&self) -> u32 {
        self.guard.pid()
    }

    /// Resident set size (VmRSS), in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        rss_kib(self.pid())
    }

    /// CPU time used so far by all the server's threads (user + system), in seconds.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(self.pid())
    }

    /// Stops the server by its PID.
    pub fn stop(self) {
        self.guard.stop();
    }
}

/// VmRSS of a process, in KiB.
pub fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("no /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .ok_or_else(|| anyhow!("no VmRSS in /proc/{pid}/status"))
}

/// utime + stime of a process, in seconds.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    stat_seconds(pid, &[11, 12])
}

/// The sum of some clock-tick fields of /proc/PID/stat, counted from the field after the
/// command name (the state, field 3): utime (14) and stime (15) are 11 and 12, cutime and
/// cstime 13 and 14.
fn stat_seconds(pid: u32, fields: &[usize]) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("no /proc/{pid}/stat"))?;
    // The command name is in parentheses and may hold spaces.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow!("bad /proc/{pid}/stat"))?;
    let values: Vec<&str> = rest.split_whitespace().collect();
    let mut ticks = 0u64;
    for &i in fields {
        ticks += values
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .ok_or_else(|| anyhow!("bad /proc/{pid}/stat field {i}"))?;
    }
    Ok(ticks as f64 / clock_ticks_per_second())
}

/// `getconf CLK_TCK`, read once (100 on every Linux we know of).
fn clock_ticks_per_second() -> f64 {
    static TCK: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TCK.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// A free loopback port (bound, read and released: another process may take it first, which
/// the caller then notices as a failed start).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// CPU time used so far by every user-space process but the `excluded` ones, by PID, in
/// seconds: utime + stime + the reaped children's cutime + cstime, from /proc/PID/stat.
/// Kernel threads (no command line) are left out: under load they do this benchmark's own
/// network work. A process that ended between two snapshots is seen through its parent's
/// children's time; a short process that came and went inside a window is counted whole.
#[derive(Clone, Debug, Default)]
pub struct Others(std::collections::HashMap<u32, f64>);

impl Others {
    /// Reads every process now.
    pub fn snapshot(excluded: &[u32]) -> Others {
        let mut times = std::collections::HashMap::new();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Others(times);
        };
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if excluded.contains(&pid) {
                continue;
            }
            let is_kernel_thread = std::fs::read(format!("/proc/{pid}/cmdline"))
                .map_or(true, |cmdline| cmdline.is_empty());
            if is_kernel_thread {
                continue;
            }
            if let Ok(seconds) = stat_seconds(pid, &[11, 12, 13, 14]) {
                times.insert(pid, seconds);
            }
        }
        Others(times)
    }

    /// CPU seconds the processes of `later` used since this snapshot.
    pub fn used_until(&self, later: &Others) -> f64 {
        later
            .0
            .iter()
            .map(|(pid, t)| (t - self.0.get(pid).copied().unwrap_or(0.0)).max(0.0))
            .sum()
    }
}

/// Share of one core that other processes may use while a measurement starts, in percent.
pub const QUIET_PERCENT: f64 = 10.0;

/// Waits (at most `max_wait`) until the machine is quiet: over a 300 ms window, the
/// processes other than this driver (its idle servers included) use at most
/// [`QUIET_PERCENT`] of one core. Returns the last reading, in percent of a core.
pub fn wait_quiet(max_wait: Duration) -> anyhow::Result<f64> {
    let started = Instant::now();
    let me = [std::process::id()];
    let mut told = false;
    loop {
        let before = Others::snapshot(&me);
        std::thread::sleep(Duration::from_millis(300));
        let busy = before.used_until(&Others::snapshot(&me)) / 0.3 * 100.0;
        if busy <= QUIET_PERCENT {
            return Ok(busy);
        }
        if started.elapsed() > max_wait {
            eprintln!("   machine still busy ({busy:.0} % of a core) after {max_wait:?}; going on");
            return Ok(busy);
        }
        if !told {
            eprintln!("   waiting for other processes to quiet down ({busy:.0} % of a core busy)");
            told = true;
        }
    }
}
