//! Throughput and latency: every server started once and checked, then every case at every
//! connection count, each server in turn, each answer checked before it is loaded.

use std::time::Duration;

use anyhow::bail;

use crate::cases::{cases, Case, CONNECTIONS, LOGGED_OUT_TOKEN, TOKEN};
use crate::check::{check_body_size, expect, get, post_json, probe_of};
use crate::process::Server;
use crate::report::{CaseResult, Outcome, ServerMemory};
use crate::servers::{Kind, Paths};
use crate::wrk::{Run, Wrk};

/// A server kept running through the throughput and the per-request-cost runs.
pub struct Running {
    /// Which server.
    pub kind: Kind,
    /// The process.
    pub server: Server,
    /// Its RSS idle and the highest seen under load so far.
    pub memory: ServerMemory,
}

/// Starts each of `kinds` (in order: the mock first), checks its getMe, reads its idle RSS;
/// then logs the error-path bot out on the mock (refused for the next 600 s) and checks the
/// mock's getMe body against bare-hyper's.
pub fn start(
    paths: &Paths,
    kinds: &[Kind],
    server_cpus: Option<&str>,
) -> anyhow::Result<Vec<Running>> {
    let mut servers = Vec::new();
    for &kind in kinds {
        let log = paths.logs.join(format!("{}.log", kind.name()));
        let server = Server::start(&paths.launch(kind, 0)?, server_cpus, &log)?;
        expect(&server, &get(&format!("/bot{TOKEN}/getMe")), 200, "ok")?;
        std::thread::sleep(Duration::from_millis(300));
        let idle = server.rss_kib()?;
        servers.push(Running {
            kind,
            server,
            memory: ServerMemory::idle(kind.name(), idle),
        });
    }
    // The error-path bot: logged out once, refused for the next 600 s.
    let mock = &servers[0].server;
    let log_out = format!("/bot{LOGGED_OUT_TOKEN}/logOut");
    expect(mock, &post_json(&log_out, "{}"), 200, "\"result\":true")?;
    check_body_size(mock)?;
    Ok(servers)
}

/// Warms every server up, then measures every case at every connection count, `seconds`
/// per run, on every server that has the case's path; raises each server's peak RSS.
pub fn measure(
    wrk: &Wrk,
    servers: &mut [Running],
    seconds: u64,
) -> anyhow::Result<Vec<CaseResult>> {
    for Running { kind, server, .. } in servers.iter() {
        // Warm-up, discarded (node's JIT, the mock's maps and allocator).
        eprintln!("   warming up {}", kind.name());
        let warm = cases().remove(0).load;
        wrk.run(server, &warm, 50, 2)?;
    }
    let mut rows = Vec::new();
    for case in cases() {
        for connections in CONNECTIONS {
            let mut row = CaseResult {
                title: case.title,
                connections,
                outcomes: Vec::new(),
            };
            for Running {
                kind,
                server,
                memory,
            } in servers.iter_mut()
            {
                let outcome = match (*kind, case.ttapi_gap) {
                    (Kind::Ttapi, Some(gap)) => Outcome::NotSupported(gap),
                    _ => {
                        let run = measure_case(wrk, server, *kind, &case, connections, seconds)?;
                        memory.peak_kib = memory.peak_kib.max(run.peak_rss_kib);
                        Outcome::Ran(run)
                    }
                };
                eprintln!(
                    "   {:<28} c={:<3} {:<18} {}",
                    case.title,
                    connections,
                    kind.name(),
                    outcome.short()
                );
                row.outcomes.push((kind.name(), outcome));
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

/// One wrk run of a case, after checking the server's answer to it.
fn measure_case(
    wrk: &Wrk,
    server: &Server,
    kind: Kind,
    case: &Case,
    connections: u32,
    seconds: u64,
) -> anyhow::Result<Run> {
    let request = probe_of(&case.load);
    // bare-hyper and telegram-test-api answer 200 to every case they run.
    let (status, says) = match kind {
        Kind::Mock => (case.mock_status, case.mock_says),
        Kind::Bare | Kind::Ttapi => (200, "ok"),
    };
    expect(server, &request, status, says)?;
    let run = wrk.measure(server, &case.load, connections, seconds)?;
    let expected_errors = if status >= 400 { run.requests } else { 0 };
    if run.requests == 0 || run.status_errors != expected_errors {
        bail!(
            "{} / {}: {} answers with status ≥ 400 of {} (expected {expected_errors})",
            server.name,
            case.title,
            run.status_errors,
            run.requests
        );
    }
    Ok(run)
}
