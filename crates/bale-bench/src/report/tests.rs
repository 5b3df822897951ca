//! The rendering pinned byte for byte: two fixed results (a full run, and a sparse one with
//! every gap a run can have) against `samples/*.md`, and the splicing into `BENCHMARKS.md`.
//!
//! After an intended change of the report, rewrite the samples with
//! `BALE_BENCH_BLESS=1 cargo test -p bale-bench` and review their diff.

use std::path::{Path, PathBuf};

use super::numbers::{met, mib, ms, ratio, rps};
use super::*;
use crate::machine::Machine;

/// A 5 s run with no status or socket errors.
fn run(rps: f64, p50_ms: f64, p99_ms: f64, cpu_s: f64, foreign_s: f64) -> Run {
    Run {
        requests: (rps * 5.0) as u64,
        seconds: 5.0,
        rps,
        p50_us: p50_ms * 1e3,
        p90_us: p50_ms * 1.5e3,
        p99_us: p99_ms * 1e3,
        max_us: p99_ms * 3e3,
        status_errors: 0,
        socket_errors: 0,
        server_cpu_s: cpu_s,
        peak_rss_kib: 9_000,
        foreign_cpu_s: foreign_s,
    }
}

/// Every server, every kind of row: a ratio above and below 10×, a case telegram-test-api
/// lacks, one it was not run on, a soak that reached its target.
fn full() -> Results {
    let machine = Machine {
        date: "2025-01-02 03:04 UTC".into(),
        cpus: 2,
        cpu_model: "Test CPU @ 2.00GHz".into(),
        memory: "3.8 GiB".into(),
        kernel: "6.1.0-test".into(),
        os: "Debian GNU/Linux 12 (bookworm)".into(),
        tools: vec![
            ("rustc".into(), "1.88.0".into()),
            ("wrk".into(), "4.2.0".into()),
            ("bale-mock commit".into(), "abc1234".into()),
        ],
    };
    let mut logged_out = run(61_000.4, 0.71, 1.9, 4.2, 0.1);
    logged_out.status_errors = logged_out.requests;
    let cases = vec![
        CaseResult {
            title: "getMe (success)",
            connections: 1,
            outcomes: vec![
                (MOCK, Outcome::Ran(run(9_876.5, 0.095, 0.21, 1.1, 0.02))),
                (BARE, Outcome::Ran(run(11_234.4, 0.081, 0.18, 0.9, 0.0))),
                (TTAPI, Outcome::Ran(run(1_234.5, 0.7, 2.5, 4.9, 0.3))),
            ],
        },
        CaseResult {
            title: "getMe (success)",
            connections: 50,
            outcomes: vec![
                (MOCK, Outcome::Ran(run(65_432.1, 0.69, 1.75, 4.3, 0.2))),
                (BARE, Outcome::Ran(run(70_001.0, 0.64, 1.5, 4.1, 0.1))),
                (TTAPI, Outcome::Ran(run(3_100.0, 15.9, 40.25, 4.95, 0.6))),
            ],
        },
        CaseResult {
            title: "logged-out bot (error path)",
            connections: 50,
            outcomes: vec![
                (MOCK, Outcome::Ran(logged_out)),
                (BARE, Outcome::Ran(run(69_999.0, 0.65, 1.6, 4.1, 0.0))),
                (
                    TTAPI,
                    Outcome::NotSupported("no logOut: every bot is always active"),
                ),
            ],
        },
        CaseResult {
            title: "bad token (auth failure)",
            connections: 50,
            outcomes: vec![
                (MOCK, Outcome::Ran(run(60_000.0, 0.7, 2.4, 4.0, 0.05))),
                (BARE, Outcome::Ran(run(70_000.0, 0.6, 1.4, 4.0, 0.05))),
                (
                    TTAPI,
                    Outcome::NotSupported("accepts any token: no auth failure path"),
                ),
            ],
        },
        CaseResult {
            title: "POST JSON body",
            connections: 50,
            outcomes: vec![
                (MOCK, Outcome::Ran(run(50_500.0, 0.9, 1.99, 4.5, 0.75))),
                (BARE, Outcome::Ran(run(68_000.0, 0.66, 1.55, 4.1, 0.0))),
            ],
        },
    ];
    let checkpoints = (1..=25).map(|i| (i * 42_000, 7_000 + i * 13)).collect();
    Results {
        machine,
        settings: Settings {
            seconds: 5,
            server_cpus: Some("1".into()),
            wrk_cpus: Some("0".into()),
            wrk_threads: 1,
        },
        startup: vec![
            Startup {
                server: MOCK,
                samples_ms: vec![3.1, 2.9, 3.55, 3.0],
            },
            Startup {
                server: BARE,
                samples_ms: vec![1.2, 1.0, 1.1],
            },
            Startup {
                server: TTAPI,
                samples_ms: vec![250.0, 301.25, 280.5],
            },
        ],
        memory: Some(Memory {
            idle_kib: 6_144,
            peak_kib: 9_321,
            total_requests: 1_050_000,
            target: 1_000_000,
            checkpoints,
        }),
        others_memory: vec![
            ServerMemory {
                name: MOCK,
                idle_kib: 6_000,
                peak_kib: 8_500,
            },
            ServerMemory::idle(BARE, 4_000),
            ServerMemory {
                name: TTAPI,
                idle_kib: 60_000,
                peak_kib: 95_000,
            },
        ],
        cases,
        cost: vec![
            CostResult {
                label: "1 bot",
                outcome: Ok(vec![
                    run(60_000.0, 0.7, 1.8, 4.0, 0.1),
                    run(61_000.0, 0.7, 1.8, 4.1, 0.1),
                    run(59_000.0, 0.7, 1.8, 3.9, 0.1),
                ]),
            },
            CostResult {
                label: "10 000 bots",
                outcome: Ok(vec![
                    run(57_000.0, 0.7, 1.8, 4.3, 0.1),
                    run(56_000.0, 0.7, 1.8, 4.4, 1.5),
                    run(58_000.0, 0.7, 1.8, 4.2, 0.1),
                ]),
            },
            CostResult {
                label: "1 bot, 1 000 scenario rules",
                outcome: Ok(vec![
                    run(40_000.0, 0.7, 1.8, 4.6, 0.1),
                    run(41_000.0, 0.7, 1.8, 4.7, 0.1),
                    run(39_000.0, 0.7, 1.8, 4.5, 0.1),
                ]),
            },
        ],
    }
}

/// No pinning, machine or other servers; a short soak; cost cases with no runs or not ready.
fn sparse() -> Results {
    Results {
        settings: Settings {
            seconds: 1,
            server_cpus: None,
            wrk_cpus: None,
            wrk_threads: 2,
        },
        startup: vec![Startup {
            server: MOCK,
            samples_ms: vec![16.5],
        }],
        memory: Some(Memory {
            idle_kib: 21_000,
            peak_kib: 30_000,
            total_requests: 90_000,
            target: 200_000,
            checkpoints: vec![(30_000, 21_500), (60_000, 22_000), (90_000, 22_100)],
        }),
        cases: vec![CaseResult {
            title: "getMe (success)",
            connections: 50,
            outcomes: vec![(MOCK, Outcome::Ran(run(9_999.5, 2.5, 3.25, 0.5, 0.0)))],
        }],
        cost: vec![
            CostResult {
                label: "1 bot",
                outcome: Ok(Vec::new()),
            },
            CostResult {
                label: "10 000 bots",
                outcome: Err("not measurable yet"),
            },
            CostResult {
                label: "1 bot, 1 000 scenario rules",
                outcome: Err("scenarios are not loaded yet"),
            },
        ],
        ..Results::default()
    }
}

/// Compares `actual` with the sample `name`, or rewrites the sample under `BALE_BENCH_BLESS`.
fn check_sample(name: &str, expected: &str, actual: &str) {
    if std::env::var_os("BALE_BENCH_BLESS").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/report/samples")
            .join(name);
        std::fs::write(&path, actual).unwrap();
        return;
    }
    assert!(
        expected == actual,
        "the report differs from src/report/samples/{name} (BALE_BENCH_BLESS=1 rewrites it)\n\
         --- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn a_full_run_renders_as_the_sample() {
    check_sample("full.md", include_str!("samples/full.md"), &render(&full()));
}

#[test]
fn a_sparse_run_renders_as_the_sample() {
    check_sample(
        "sparse.md",
        include_str!("samples/sparse.md"),
        &render(&sparse()),
    );
}

/// A fresh folder for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bale-bench-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_measured_part_replaces_the_one_between_the_markers_and_keeps_the_notes() {
    let dir = scratch("splice");
    let file = dir.join("BENCHMARKS.md");
    std::fs::write(
        &file,
        "# Notes before\n\n<!-- bench:begin (written by bale-bench; edits inside are \
         overwritten) -->\nold\n<!-- bench:end -->\n\nnotes after\n",
    )
    .unwrap();
    write(&file, "## Results\n\nnew\n\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# Notes before\n\n<!-- bench:begin (written by bale-bench; edits inside are \
         overwritten) -->\n\n## Results\n\nnew\n<!-- bench:end -->\n\nnotes after\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_file_is_written_with_the_header_and_the_markers() {
    let dir = scratch("fresh");
    let file = dir.join("BENCHMARKS.md");
    write(&file, "measured\n\n\n").unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# Benchmarks\n\nHow fast, small and quick to start"));
    assert!(text.ends_with(
        "notes outside it are kept.\n\n<!-- bench:begin (written by bale-bench; edits \
         inside are overwritten) -->\n\nmeasured\n<!-- bench:end -->\n"
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn numbers_are_written_as_the_tables_show_them() {
    assert_eq!(rps(0.4), "0");
    assert_eq!(rps(999.5), "1,000");
    assert_eq!(rps(65_432.1), "65,432");
    assert_eq!(rps(1_234_567.0), "1,234,567");
    assert_eq!(ms(1_750.0), "1.750");
    assert_eq!(mib(6_144), "6.0 MiB");
    assert_eq!(ratio(9.5, 10.0), "0.95×");
    assert_eq!(ratio(65_432.0, 3_100.0), "21×");
    assert_eq!(met(Some(true)), "**met**");
    assert_eq!(met(Some(false)), "**missed**");
    assert_eq!(met(None), "not measured");
}

#[test]
fn medians_and_checkpoints() {
    let startup = Startup {
        server: MOCK,
        samples_ms: vec![3.1, 2.9, 3.55, 3.0],
    };
    assert_eq!(startup.median_ms(), 3.05);
    assert!(Startup::default().median_ms().is_nan());
    let memory = Memory {
        checkpoints: vec![(50_000, 1), (120_000, 2), (990_000, 3), (1_020_000, 4)],
        ..Memory::default()
    };
    assert_eq!(memory.at(100_000), Some((120_000, 2)));
    assert_eq!(memory.at(1_000_000), Some((1_020_000, 4)));
    assert_eq!(memory.at(2_000_000), None);
}
