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
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("no /proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces: the
    // first is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow!("bad /proc/{pid}/stat"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> anyhow::Result<u64> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| anyhow!("bad /proc/{pid}/stat field {i}"))
    };
    Ok((ticks(11)? + ticks(12)?) as f64 / clock_ticks_per_second())
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
