//! Start-up time: exec → first successful getMe over a fresh connection, one server at a
//! time on a quiet machine.

use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::cases::TOKEN;
use crate::check::get;
use crate::probe;
use crate::process::{free_port, wait_quiet, Guard};
use crate::report::Startup;
use crate::servers::{Kind, Paths};

/// Exec → first successful getMe, `starts` times; the server is stopped by PID each time.
pub fn measure(paths: &Paths, kind: Kind, starts: usize) -> anyhow::Result<Startup> {
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
