//! One benchmark run, in order: the set-up (paths, CPU pinning, wrk), start-up, the memory
//! soak, throughput and latency, per-request cost, then the report.

use anyhow::bail;

use crate::machine::Machine;
use crate::report::{self, Results, Settings};
use crate::servers::{Kind, Paths};
use crate::wrk::{self, Wrk};
use crate::{conversations, cost, soak, startup, throughput, Opts};

/// Measures everything `opts` asks for, prints the report and (unless told not to) writes
/// it into `BENCHMARKS.md`.
pub fn run(opts: &Opts) -> anyhow::Result<()> {
    let paths = Paths::find(opts.root.as_deref())?;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let pinned = !opts.no_pin && cpus >= 2;
    // With two or more CPUs: the server under test on CPU 1, wrk on CPU 0 (the driver itself
    // only sleeps while wrk runs).
    let server_cpus = pinned.then(|| match cpus {
        2 => "1".to_owned(),
        n => format!("1-{}", n - 1),
    });
    let wrk = Wrk {
        scripts: paths.root.join("bench/wrk"),
        cpus: pinned.then(|| "0".to_owned()),
        threads: if pinned { 1 } else { cpus as u32 },
    };
    let wrk_version = wrk::version();
    let ttapi = !opts.no_ttapi;
    if ttapi
        && !paths
            .node_dir
            .join("node_modules/telegram-test-api")
            .is_dir()
    {
        bail!(
            "telegram-test-api is not installed in {} (bench/run installs it; or pass --no-ttapi)",
            paths.node_dir.display()
        );
    }

    let machine = Machine::describe(&paths.root, wrk_version);
    let mut results = Results {
        settings: Settings {
            seconds: opts.seconds,
            server_cpus: server_cpus.clone(),
            wrk_cpus: wrk.cpus.clone(),
            wrk_threads: wrk.threads,
        },
        machine,
        ..Results::default()
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| ttapi || *k != Kind::Ttapi)
        .collect();

    eprintln!(
        "== start-up: exec to first successful getMe ({} starts each)",
        opts.starts
    );
    for &kind in &kinds {
        let startup = startup::measure(&paths, kind, opts.starts)?;
        eprintln!("   {}: median {:.2} ms", kind.name(), startup.median_ms());
        results.startup.push(startup);
    }

    eprintln!(
        "== memory soak of bale-mock ({} requests)",
        opts.soak_requests
    );
    results.memory = Some(soak::measure(
        &paths,
        &wrk,
        server_cpus.as_deref(),
        opts.soak_requests,
    )?);

    eprintln!("== throughput and latency ({} s per run)", opts.seconds);
    let mut servers = throughput::start(&paths, &kinds, server_cpus.as_deref())?;
    results.cases = throughput::measure(&wrk, &mut servers, opts.seconds)?;

    eprintln!("== per-request cost of bale-mock: distinct bots");
    results.cost = cost::measure(
        &paths,
        &wrk,
        &servers[0].server,
        server_cpus.as_deref(),
        opts.seconds,
    )?;

    for running in servers {
        results.others_memory.push(running.memory);
        running.server.stop();
    }

    let markdown = report::render(&results);
    println!("{markdown}");
    if !opts.no_write {
        let out = paths.root.join("BENCHMARKS.md");
        report::write(&out, &markdown)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// The conversation soak alone: `minutes` of load, then its section of `BENCHMARKS.md`.
/// Fails on any error answer or transport error.
pub fn conversations_soak(opts: &Opts, minutes: u64) -> anyhow::Result<()> {
    let paths = Paths::find(opts.root.as_deref())?;
    let machine = Machine::describe(&paths.root, wrk::version());
    eprintln!("== conversation soak of bale-mock ({minutes} minutes)");
    let soak = conversations::run(&paths, minutes)?;
    let context = format!(
        "Measured {} on {} × {}, {}; bale-mock commit {}.",
        machine.date,
        machine.cpus,
        machine.cpu_model,
        machine.os,
        machine
            .tools
            .iter()
            .find(|(name, _)| name == "bale-mock commit")
            .map_or("unknown", |(_, v)| v.as_str())
    );
    let markdown = conversations::render(&soak, &context);
    println!("{markdown}");
    if soak.errors > 0 {
        bail!(
            "{} errors; the first: {}",
            soak.errors,
            soak.first_error.unwrap_or_default()
        );
    }
    if !opts.no_write {
        let out = paths.root.join("BENCHMARKS.md");
        report::write_soak(&out, &markdown)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
