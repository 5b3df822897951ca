//! `bale-mock contract`: against the in-process mock, and end to end against a mock served
//! over HTTPS standing in for the real API — with a scenario that drifts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::support::{bale_mock, transcript};

const TOKEN: &str = "100000000:AAContractContractContractContr";

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("bale-mock-contract-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `bale-mock serve --tls` with `args`; returns the process and its https base URL.
fn serve_tls(dir: &Path, args: &[&str]) -> (Child, String) {
    let mut child = bale_mock()
        .args(["serve", "--listen", "127.0.0.1:0", "--tls", "--tls-ca-out"])
        .arg(dir.join("ca.pem"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    (child, url)
}

fn contract(url: &str, extra: &[&str]) -> std::process::Output {
    bale_mock()
        .args([
            "contract",
            "--base-url",
            url,
            "--rate-limit-budget",
            "0",
            "--timeout",
            "5",
        ])
        .args(extra)
        .env("BALE_TOKEN", TOKEN)
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn passes_with_no_arguments() {
    let output = bale_mock().arg("contract").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let text = stdout(&output);
    assert!(text.contains("(the in-process mock)"), "{text}");
    assert!(
        text.ends_with("12 passed, 0 drifted, 0 skipped, 0 rate-limited, 0 failed\n"),
        "{text}"
    );
}

#[test]
fn https_target_that_keeps_the_contract_passes_and_skips_destructive_cases() {
    let dir = temp_dir("keeps");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.toml");
    let (mut server, url) = serve_tls(&dir, &["--scenario", scenario.to_str().unwrap()]);
    let ca = dir.join("ca.pem");
    let output = contract(&url, &["--ca-cert", ca.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(text.contains("8 passed, 0 drifted, 4 skipped"), "{text}");
    assert!(text.contains("SKIP     log_out__ok"), "{text}");
    assert!(text.contains("pass --allow-destructive"), "{text}");

    let output = contract(
        &url,
        &["--ca-cert", ca.to_str().unwrap(), "--allow-destructive"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(stdout(&output).contains("12 passed, 0 drifted, 0 skipped"));
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn https_target_that_drifted_is_reported_precisely() {
    let dir = temp_dir("drift");
    let drift = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/drift.toml");
    let (mut server, url) = serve_tls(&dir, &["--scenario", drift.to_str().unwrap()]);
    let ca = dir.join("ca.pem");
    let (junit, json) = (dir.join("report.xml"), dir.join("report.json"));
    let output = contract(
        &url,
        &[
            "--ca-cert",
            ca.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--case",
            "get_me",
        ],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "drift exits 1: {}",
        transcript(&output)
    );
    let text = stdout(&output);
    for line in [
        "DRIFT    get_me__ok",
        "body.result.username: snapshot \"<string>\"  |  target \"<integer>\"",
        "body.result.can_join_groups: removed by the target (snapshot has \"<boolean>\")",
        "body.result.language: added by the target (\"<string>\")",
        "DRIFT    get_me__wrong_secret",
        "status: snapshot 403  |  target 401",
        "body.description: snapshot \"Bad Request: Token not found\"  |  target \"Unauthorized\"",
        "PASS     get_me__malformed_token",
        "SKIP     get_me__logged_out",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
    assert!(
        !text.contains("unknown_method"),
        "--case get_me selects getMe cases only"
    );

    let junit = std::fs::read_to_string(junit).unwrap();
    assert!(
        junit.contains("<testsuite name=\"bale-mock contract\" tests=\"7\" failures=\"5\""),
        "{junit}"
    );
    assert!(junit.contains("<failure message=\"drift\">"), "{junit}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(json["summary"]["drifted"], 5);
    assert_eq!(json["cases"][0]["outcome"], "drifted");
    for report in [text, junit, json.to_string()] {
        assert!(
            !report.contains("AAContract") && !report.contains("BBAAAAAAAA"),
            "no token"
        );
    }
}

#[test]
fn update_writes_pending_snapshots_for_review() {
    let dir = temp_dir("update");
    let drift = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/drift.toml");
    let (mut server, url) = serve_tls(&dir, &["--scenario", drift.to_str().unwrap()]);
    let snapshots = dir.join("shapes");
    let ca = dir.join("ca.pem");
    let output = contract(
        &url,
        &[
            "--ca-cert",
            ca.to_str().unwrap(),
            "--case",
            "get_me__ok",
            "--update",
            "--snapshots",
            snapshots.to_str().unwrap(),
        ],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("review them with: cargo insta review"));
    let pending = std::fs::read_to_string(snapshots.join("get_me__ok.snap.new")).unwrap();
    assert!(
        pending.starts_with("---\nsource: tests/contract/shapes.rs\n"),
        "{pending}"
    );
    assert!(pending.contains("\"language\": \"<string>\""), "{pending}");
}

#[test]
fn an_untrusted_certificate_is_no_answer() {
    let dir = temp_dir("untrusted");
    let (mut server, url) = serve_tls(&dir, &[]);
    let output = contract(&url, &["--case", "get_me__ok"]);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", transcript(&output));
    assert!(stdout(&output).contains("ERROR    get_me__ok"));
}

#[test]
fn a_real_target_needs_a_token() {
    let output = bale_mock()
        .args(["contract", "--base-url", "https://127.0.0.1:9"])
        .env_remove("BALE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
