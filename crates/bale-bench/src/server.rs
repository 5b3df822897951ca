//! The servers under test as child processes: started with their stdout read up to
//! `listening on http://…`, measured through procfs, stopped by PID with SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// A token the mock accepts (zero-config: every well-formed token is an active bot).
pub const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Runs `command` (stderr to `log`) and waits up to 60 s (valgrind is slow) for its first
    /// stdout line, `listening on http://ADDR`.
    pub fn start(mut command: Command, log: &Path) -> anyhow::Result<Server> {
        command
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log)?);
        let mut child = command.spawn().with_context(|| format!("{command:?}"))?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        // A thread, so that a server that never prints cannot block the driver; it keeps the
        // pipe drained afterwards.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            lines.for_each(drop);
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(Ok(line))) => line,
            _ => {
                let _ = child.kill();
                bail!("{command:?} did not start; see {}", log.display())
            }
        };
        let addr = line
            .trim_start_matches("listening on http://")
            .parse()
            .with_context(|| format!("first line {line:?}"))?;
        Ok(Server { child, addr })
    }

    /// The server's resident memory, in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = procfs::process::Process::new(self.child.id() as i32)?.status()?;
        status.vmrss.ok_or_else(|| anyhow!("no VmRSS"))
    }

    /// The process id (for callgrind_control).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    /// SIGTERM, then SIGKILL if it is still running after 10 s (a graceful drain, or
    /// valgrind writing its profile, takes a moment).
    fn drop(&mut self) {
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One blocking HTTP/1.1 request on a fresh connection; the status and the body.
pub fn request(addr: SocketAddr, method: &str, path: &str) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.get(9..12).and_then(|s| s.parse().ok());
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok((
        status.ok_or_else(|| anyhow!("no status in {answer:?}"))?,
        body.to_owned(),
    ))
}

/// Exec → first getMe answered 200, in ms (the stdout line is awaited first: a server
/// answers no earlier than it listens).
pub fn startup_ms(command: Command, log: &Path) -> anyhow::Result<f64> {
    let started = Instant::now();
    let server = Server::start(command, log)?;
    let (status, body) = request(server.addr, "GET", &format!("/bot{TOKEN}/getMe"))?;
    if status != 200 {
        bail!("getMe answered {status}: {body}");
    }
    Ok(started.elapsed().as_secs_f64() * 1e3)
}

/// A port free right now (telegram-test-api takes port 0 as 9000).
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
