//! `bale-mock call`: the n8n node's outputs on stdout, errors on stderr, one exit code per
//! kind of failure.

use std::time::Duration;

use bale_mock::MockServer;

use crate::support::{bale_mock, call, snapshot, TOKEN};

#[test]
fn operations_print_the_n8n_outputs() {
    let server = MockServer::start();
    snapshot("call__get_me", &call(&server.uri(), TOKEN, &["getMe"]));
    snapshot("call__close", &call(&server.uri(), TOKEN, &["close"]));
    snapshot("call__log_out", &call(&server.uri(), TOKEN, &["LOGOUT"]));
}

#[test]
fn api_errors_print_the_envelope_and_exit_1() {
    let server = MockServer::start();
    call(&server.uri(), TOKEN, &["logOut"]);
    snapshot("call__logged_out", &call(&server.uri(), TOKEN, &["getMe"]));
    snapshot(
        "call__token_not_found",
        &call(&server.uri(), "123456:AAFAKE-token", &["getMe"]),
    );
    let other = "5:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    snapshot(
        "call__method_not_found",
        &call(&server.uri(), other, &["sendTelepathy", "-p", "a=1"]),
    );
    server.advance(Duration::from_secs(601));
    let late = "6:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    call(&server.uri(), late, &["getMe"]); // launched 601 s after start
    snapshot(
        "call__close_too_early",
        &call(&server.uri(), late, &["close"]),
    );
}

#[test]
fn parameters_reach_the_server() {
    let server = MockServer::start();
    let output = call(
        &server.uri(),
        TOKEN,
        &[
            "getMe",
            "--json",
            r#"{"a":1,"b":"x"}"#,
            "-p",
            "b=y",
            "-p",
            "c=z=z",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let params = &server.received_requests()[0].params;
    assert_eq!(params["a"], "1");
    assert_eq!(params["b"], "y");
    assert_eq!(params["c"], "z=z");
}

#[test]
fn network_errors_exit_3() {
    // A port that was just free: nothing listens there.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let output = call(&format!("http://{address}"), TOKEN, &["getMe"]);
    snapshot("call__connection_refused", &output);
}

#[test]
fn usage_errors_exit_2() {
    let server = MockServer::start();
    let no_token = bale_mock()
        .args(["call", "getMe", "--base-url", &server.uri()])
        .output()
        .unwrap();
    snapshot("call__no_token", &no_token);
    snapshot(
        "call__bad_json",
        &call(&server.uri(), TOKEN, &["getMe", "--json", "[1]"]),
    );
    snapshot(
        "call__bad_param",
        &call(&server.uri(), TOKEN, &["getMe", "-p", "novalue"]),
    );
    assert!(server.received_requests().is_empty(), "nothing was sent");
}

#[test]
fn help_documents_the_exit_codes() {
    let output = bale_mock().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for line in [
        "0  success",
        "1  the API answered an error",
        "2  usage error",
        "3  network error",
        "4  invalid response",
    ] {
        assert!(help.contains(line), "{line:?} missing from:\n{help}");
    }
}
