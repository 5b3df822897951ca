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
        let line = lines.next().transpose()?.unwrap_or_default();
        std::thread::spawn(move || lines.for_each(drop)); // keeps the pipe drained
        let addr = line.trim_start_matches("listening on http://").parse();
        let error = || format!("{command:?} did not start: see {}", log.display());
        let addr = addr.with_context(error)?;
        Ok(Server { child, addr })
    }

    /// Resident memory, KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let process = procfs::process::Process::new(self.pid() as i32)?;
        process.status()?.vmrss.context("no VmRSS")
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
