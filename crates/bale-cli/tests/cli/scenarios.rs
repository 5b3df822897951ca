//! `bale-mock scenarios list|check` and `serve --scenario`: every kind of mistake in a
//! scenario file is refused with file, line, column and reason (one snapshot per file in
//! `broken/`).

use crate::support::{bale_mock, snapshot};

#[test]
fn list_shows_every_shipped_scenario() {
    let output = bale_mock().args(["scenarios", "list"]).output().unwrap();
    snapshot("scenarios__list", &output);
}

#[test]
fn check_accepts_the_shipped_scenarios() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(shipped)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    let output = bale_mock()
        .args(["scenarios", "check"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_refuses_every_broken_file_with_its_position() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let output = bale_mock()
            .current_dir(&dir)
            .args(["scenarios", "check", &format!("{stem}.toml")])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{stem} must be refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with(&format!("{stem}.toml:")),
            "{stem}: {stderr}"
        );
        snapshot(&format!("scenarios_check__{stem}"), &output);
    }
}

#[test]
fn serve_refuses_a_broken_scenario_before_listening() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/broken");
    let output = bale_mock()
        .current_dir(&dir)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--scenario",
            "unknown_method.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no ready line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown_method.toml:2:19: unknown method"),
        "{stderr}"
    );

    let output = bale_mock()
        .args(["serve", "--scenario", "no-such-thing"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a file, nor a shipped scenario"));
}
