//! `bale-mock contract`: against the in-process mock, and end to end against a mock served
//! over HTTPS standing in for the real API — with a scenario that drifts.

use std::path::Path;

use crate::support::{bale_mock, serve, transcript, Scratch, Served};

const TOKEN: &str = "100000000:AAContractContractContractContr";

/// `bale-mock serve --tls` with `args`, its CA written to `dir/ca.pem`.
fn serve_tls(dir: &Scratch, args: &[&str]) -> Served {
    let ca = dir.file("ca.pem");
    let mut all = vec!["--tls", "--tls-ca-out", ca.to_str().unwrap()];
    all.extend_from_slice(args);
    let served = serve(&all);
    assert!(
        served.base_url.starts_with("https://127.0.0.1:"),
        "{}",
        served.base_url
    );
    served
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
        text.ends_with("19 passed, 0 drifted, 0 skipped, 0 rate-limited, 0 failed\n"),
        "{text}"
    );
}

#[test]
fn https_target_that_keeps_the_contract_passes_and_skips_destructive_cases() {
    let dir = Scratch::new("contract-keeps");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.toml");
    let server = serve_tls(&dir, &["--scenario", scenario.to_str().unwrap()]);
    let url = server.base_url.clone();
    let ca = dir.file("ca.pem");
    let output = contract(&url, &["--ca-cert", ca.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(text.contains("15 passed, 0 drifted, 4 skipped"), "{text}");
    assert!(text.contains("SKIP     log_out__ok"), "{text}");
    assert!(text.contains("pass --allow-destructive"), "{text}");

    let output = contract(
        &url,
        &["--ca-cert", ca.to_str().unwrap(), "--allow-destructive"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(stdout(&output).contains("19 passed, 0 drifted, 0 skipped"));
    drop(server);
}

#[test]
fn https_target_that_drifted_is_reported_precisely() {
    let dir = Scratch::new("contract-drift");
    let drift = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/drift.toml");
    let server = serve_tls(&dir, &["--scenario", drift.to_str().unwrap()]);
    let url = server.base_url.clone();
    let ca = dir.file("ca.pem");
    let (junit, json) = (dir.file("report.xml"), dir.file("report.json"));
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
    drop(server);
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
    let dir = Scratch::new("contract-update");
    let drift = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/drift.toml");
    let server = serve_tls(&dir, &["--scenario", drift.to_str().unwrap()]);
    let url = server.base_url.clone();
    let snapshots = dir.file("shapes");
    let ca = dir.file("ca.pem");
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
    drop(server);
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
    let dir = Scratch::new("contract-untrusted");
    let server = serve_tls(&dir, &[]);
    let url = server.base_url.clone();
    let output = contract(&url, &["--case", "get_me__ok"]);
    drop(server);
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
