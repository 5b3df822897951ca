//! `bale-mock serve` as a process: first stdout line, answers, graceful exit on signals.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::{bale_mock, serve, TOKEN};

/// One HTTP/1.1 request on a fresh connection; returns the whole answer.
fn request(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut buffer = [0u8; 4096];
    let n = stream.read(&mut buffer).unwrap();
    String::from_utf8_lossy(&buffer[..n]).into_owned()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn serves_until_sigterm_then_exits_0() {
    let mut served = serve(&[]);
    assert!(served.base_url.starts_with("http://127.0.0.1:"));
    let answer = request(served.address(), &format!("/bot{TOKEN}/getMe"));
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.ends_with(r#""supports_inline_queries":false}}"#),
        "{answer}"
    );

    signal(&served.child, "TERM");
    let status = served.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    served
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("SIGTERM"), "logs go to stderr: {stderr}");
    assert!(
        !stderr.contains("AAHdqTcv"),
        "the token was logged: {stderr}"
    );
}

#[test]
fn sigint_exits_0_too() {
    let mut served = serve(&[]);
    signal(&served.child, "INT");
    assert_eq!(served.child.wait().unwrap().code(), Some(0));
}

#[test]
fn telegram_dialect() {
    let served = serve(&["--dialect", "telegram"]);
    let answer = request(served.address(), "/bot123456:AAFAKE-token/getMe");
    assert!(
        answer.starts_with("HTTP/1.1 401 Unauthorized\r\n"),
        "{answer}"
    );
    assert!(answer.ends_with(r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#));
}

#[test]
fn a_busy_address_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = bale_mock()
        .args(["serve", "--listen", &address])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
}

/// A request whose body never finishes: it keeps the server's drain waiting.
fn stalled_upload(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    let head = format!(
        "POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nchat_id=1"
    );
    stream.write_all(head.as_bytes()).unwrap();
    // Let the server read the head before the signal comes.
    std::thread::sleep(Duration::from_millis(200));
    stream
}

#[test]
fn the_drain_ends_at_its_bound() {
    let mut served = serve(&["--drain-timeout", "0.5"]);
    let _upload = stalled_upload(served.address());
    let started = Instant::now();
    signal(&served.child, "TERM");
    assert_eq!(served.child.wait().unwrap().code(), Some(0));
    let took = started.elapsed();
    assert!(
        (Duration::from_millis(400)..Duration::from_secs(5)).contains(&took),
        "{took:?}"
    );
}

#[test]
fn a_second_signal_exits_at_once() {
    let mut served = serve(&["--drain-timeout", "60"]);
    let _upload = stalled_upload(served.address());
    signal(&served.child, "TERM");
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    signal(&served.child, "INT");
    assert_eq!(served.child.wait().unwrap().code(), Some(130));
    assert!(started.elapsed() < Duration::from_secs(5));
}
