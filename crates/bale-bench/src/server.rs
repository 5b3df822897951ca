//! The servers under test as child processes: started with their stdout read up to
//! `listening on http://…`, measured through procfs, stopped by PID with SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// How long a server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Runs `command`, stderr to `log`, and reads its first stdout line,
    /// `listening on http://ADDR`.
    pub fn start(mut command: Command, log: &Path) -> anyhow::Result<Server> {
        let stderr = std::fs::File::create(log)?;
        command.stdout(Stdio::piped()).stderr(stderr);
        let mut child = command.spawn().with_context(|| format!("{command:?}"))?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let (first, line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = first.send(lines.next().and_then(Result::ok).unwrap_or_default());
            lines.for_each(drop) // keeps the pipe drained
        });
        // A server that never starts is stopped (by the drop) rather than waited on for ever;
        // a minute leaves room for valgrind's start.
        let line = line.recv_timeout(START_TIMEOUT).unwrap_or_default();
        let mut server = Server {
            child,
            addr: ([0, 0, 0, 0], 0).into(),
        };
        let addr = line.trim_start_matches("listening on http://").parse();
        let error = || format!("{command:?} did not start: see {}", log.display());
        server.addr = addr.with_context(error)?;
        Ok(server)
    }

    /// Resident memory, KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let process = procfs::process::Process::new(self.pid() as i32)?;
        process.status()?.vmrss.context("no VmRSS")
    }

    /// CPU time used so far (user and system), seconds.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        let stat = procfs::process::Process::new(self.pid() as i32)?.stat()?;
        Ok((stat.utime + stat.stime) as f64 / procfs::ticks_per_second() as f64)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    /// SIGTERM, then SIGKILL after 10 s (a graceful drain, or valgrind writing its
    /// profile, takes a moment).
    fn drop(&mut self) {
        let _ = kill(Pid::from_raw(self.pid() as i32), Signal::SIGTERM);
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
