//! The memory soak: the mock's RSS idle, under load and through a long run of requests that
//! fill and turn over its journal.

use std::time::{Duration, Instant};

use anyhow::bail;

use crate::cases::{JSON_BODY, TOKEN};
use crate::check::{expect, get};
use crate::process::{wait_quiet, Server};
use crate::report::Memory;
use crate::servers::{Kind, Paths};
use crate::wrk::{Load, Wrk};

/// A fresh mock under a long run of POSTs with parameters rotating over 10 000 bots, in 1 s
/// wrk runs; RSS read between runs.
pub fn measure(
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
