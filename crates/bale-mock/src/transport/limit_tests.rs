//! The bounds on connections, over real loopback sockets: a head or a body that never
//! finishes, and connections beyond the limit.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

use super::tests::{ok, split, Server, PATIENCE};
use crate::ConnectionLimits;

fn limits(max_connections: usize, header_read_timeout: Duration) -> ConnectionLimits {
    ConnectionLimits {
        max_connections,
        header_read_timeout,
        drain_timeout: Duration::from_secs(10),
    }
}

async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    match timeout(PATIENCE, stream.read_to_end(&mut raw)).await {
        Ok(_) => raw,
        Err(_) => panic!("the server kept the connection open"),
    }
}

#[tokio::test]
async fn a_head_that_never_ends_is_closed() {
    let timeout_after = Duration::from_millis(300);
    let server = Server::start_limited(None, limits(8, timeout_after), |_| ok()).await;
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(b"GET /slow HTTP/1.1\r\nHost: test\r\n")
        .await
        .unwrap();
    let raw = read_until_closed(&mut stream).await;
    assert!(started.elapsed() >= timeout_after);
    // hyper closes without an answer; nothing but an optional 408 may come back.
    let text = String::from_utf8_lossy(&raw);
    assert!(raw.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    server.shut_down().await;
}

#[tokio::test]
async fn a_body_that_stalls_gets_408() {
    let server = Server::start_limited(None, limits(8, Duration::from_millis(300)), |_| ok()).await;
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream
        .write_all(b"POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n12")
        .await
        .unwrap();
    let raw = read_until_closed(&mut stream).await;
    let (head, body) = split(&raw);
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"ok":false,"error_code":408,"description":"Request Timeout"}"#
    );
    server.shut_down().await;
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_slot() {
    let server = Server::start_limited(None, limits(2, Duration::from_secs(30)), |_| ok()).await;
    let ask = b"GET /x HTTP/1.1\r\nHost: test\r\n\r\n";
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream.write_all(ask).await.unwrap();
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        held.push(stream);
    }
    // The third is queued by the kernel, not served.
    let mut third = TcpStream::connect(server.address).await.unwrap();
    third.write_all(ask).await.unwrap();
    let mut first = [0u8; 12];
    let early = timeout(Duration::from_millis(300), third.read_exact(&mut first)).await;
    assert!(
        early.is_err(),
        "a third connection was served beyond the limit"
    );
    // A slot frees up: the third is answered.
    drop(held.pop());
    timeout(PATIENCE, third.read_exact(&mut first))
        .await
        .expect("the waiting connection was served once a slot freed")
        .unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    server.shut_down().await;
}

#[tokio::test]
async fn a_client_that_never_reads_cannot_hold_the_drain_past_its_bound() {
    let mut bounded = limits(8, Duration::from_secs(30));
    bounded.drain_timeout = Duration::from_millis(300);
    let big = || {
        crate::reply::Reply::api(&bale_api::Envelope::Ok(serde_json::json!(
            "x".repeat(16 << 20)
        )))
    };
    let server = Server::start_limited(None, bounded, move |_| big()).await;
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream
        .write_all(b"GET /big HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    // Let the server fill the socket buffers; this client reads nothing.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    server.shut_down().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(stream);
}
