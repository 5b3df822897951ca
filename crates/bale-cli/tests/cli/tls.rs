//! HTTPS end to end: `bale-mock serve --tls` as a process, `bale-mock call --ca-cert` against
//! it; certificates given with `--tls-cert`/`--tls-key`; and the mistakes a user can make.

use std::path::Path;
use std::process::Output;

use bale_mock::LoopbackCertificates;

use crate::support::{bale_mock, call, serve, Scratch, TOKEN};

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The output of a successful getMe.
fn assert_get_me(output: &Output) {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    let user: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(user["id"], 123_456_789);
}

#[test]
fn call_trusts_the_ca_that_serve_tls_wrote() {
    let scratch = Scratch::new("generated");
    let ca = scratch.file("ca.pem");
    let served = serve(&["--tls", "--tls-ca-out", path(&ca)]);
    let written = std::fs::read_to_string(&ca).unwrap();
    assert!(
        written.starts_with("-----BEGIN CERTIFICATE-----"),
        "{written}"
    );

    assert_get_me(&call(
        &served.base_url,
        TOKEN,
        &["getMe", "--ca-cert", path(&ca)],
    ));
    // From the environment as well.
    let output = bale_mock()
        .args(["call", "getMe", "--base-url", &served.base_url])
        .env("BALE_TOKEN", TOKEN)
        .env("BALE_CA_CERT", &ca)
        .output()
        .unwrap();
    assert_get_me(&output);
}

#[test]
fn without_the_ca_the_call_is_a_network_error_naming_the_certificate() {
    let served = serve(&["--tls"]);
    let output = call(&served.base_url, TOKEN, &["getMe"]);
    assert_eq!(output.status.code(), Some(3), "network error");
    let stderr = stderr(&output);
    assert!(
        stderr.starts_with("bale-mock: network error (tls): "),
        "{stderr}"
    );
    assert!(stderr.contains("certificate"), "{stderr}");
    assert!(stderr.contains("UnknownIssuer"), "{stderr}");
    assert!(
        !stderr.contains("AAHdqTcv"),
        "the token was printed: {stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn serve_uses_a_given_certificate_and_key() {
    let scratch = Scratch::new("given");
    let generated = LoopbackCertificates::generate().unwrap();
    let (ca, cert, key) = (
        scratch.file("ca.pem"),
        scratch.file("cert.pem"),
        scratch.file("key.pem"),
    );
    std::fs::write(&ca, &generated.ca_pem).unwrap();
    std::fs::write(&cert, &generated.cert_pem).unwrap();
    std::fs::write(&key, &generated.key_pem).unwrap();

    let served = serve(&["--tls-cert", path(&cert), "--tls-key", path(&key)]);
    assert_get_me(&call(
        &served.base_url,
        TOKEN,
        &["getMe", "--ca-cert", path(&ca)],
    ));
    // Another CA than the one that signed the served certificate is no help.
    let other = scratch.file("other-ca.pem");
    std::fs::write(&other, LoopbackCertificates::generate().unwrap().ca_pem).unwrap();
    let output = call(
        &served.base_url,
        TOKEN,
        &["getMe", "--ca-cert", path(&other)],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
}

#[test]
fn tls_flag_mistakes_are_usage_errors() {
    for args in [
        &["--tls-cert", "cert.pem"][..],
        &["--tls-key", "key.pem"],
        &["--tls-ca-out", "ca.pem"],
        &[
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
            "--tls-ca-out",
            "ca.pem",
        ],
    ] {
        let output = bale_mock()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn unusable_certificate_files_stop_serve_before_it_listens() {
    let scratch = Scratch::new("unusable");
    let (cert, key) = (scratch.file("cert.pem"), scratch.file("key.pem"));
    let generated = LoopbackCertificates::generate().unwrap();
    std::fs::write(&cert, &generated.cert_pem).unwrap();
    std::fs::write(&key, "not a key").unwrap();
    let output = bale_mock()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(["--tls-cert", path(&cert), "--tls-key", path(&key)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no ready line");
    let message = stderr(&output);
    assert!(
        message.contains("the private key is not usable PEM: no PRIVATE KEY section found"),
        "{message}"
    );

    let missing = scratch.file("missing.pem");
    let output = bale_mock()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(["--tls-cert", path(&missing), "--tls-key", path(&key)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(path(&missing)));
}

#[test]
fn an_unusable_ca_cert_is_a_usage_error() {
    let scratch = Scratch::new("bad-ca");
    let missing = scratch.file("missing.pem");
    let output = call(
        "https://127.0.0.1:9",
        TOKEN,
        &["getMe", "--ca-cert", path(&missing)],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("bale-mock: cannot read --ca-cert "),
        "{}",
        stderr(&output)
    );

    let not_pem = scratch.file("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let output = call(
        "https://127.0.0.1:9",
        TOKEN,
        &["getMe", "--ca-cert", path(&not_pem)],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the CA certificate is not usable: no PEM certificate in it"),
        "{}",
        stderr(&output)
    );
}
