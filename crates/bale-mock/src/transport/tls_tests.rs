//! The faults over TLS, read by a raw tokio-rustls client that trusts the generated CA:
//! decrypted bytes, TLS closes and TCP errors, not what an HTTP client makes of them.

use std::io::ErrorKind;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use super::tests::{assert_truncated, content_length, header, ok, split, with, Server, PATIENCE};
use crate::fault::Fault;
use crate::reply::Reply;
use crate::tls::TlsSettings;

/// A TLS server answering with `script`, and a connector that trusts its CA.
async fn start(script: impl Fn(&str) -> Reply + Send + Sync + 'static) -> (Server, TlsConnector) {
    let tls = TlsSettings::generate().unwrap();
    let connector = connector(tls.ca_pem().unwrap(), &[b"http/1.1"]);
    (Server::start_with(Some(tls), script).await, connector)
}

/// A client trusting the CA in `ca_pem` and offering `alpn`.
fn connector(ca_pem: &str, alpn: &[&[u8]]) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
    TlsConnector::from(Arc::new(config))
}

/// Connects, completes the handshake for `127.0.0.1`.
async fn connect(
    server: &Server,
    connector: &TlsConnector,
) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(server.address).await?;
    let name = ServerName::try_from("127.0.0.1").unwrap();
    timeout(PATIENCE, connector.connect(name, tcp))
        .await
        .expect("the handshake neither completed nor failed")
}

/// Connects over TLS and sends `GET <path>`.
async fn request(server: &Server, connector: &TlsConnector, path: &str) -> TlsStream<TcpStream> {
    let mut stream = connect(server, connector).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Everything up to EOF: `Ok` only after a TLS `close_notify`.
async fn read_to_eof(stream: &mut TlsStream<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    timeout(PATIENCE, stream.read_to_end(&mut raw))
        .await
        .expect("the server neither answered nor closed")?;
    Ok(raw)
}

/// One whole response on a kept-alive connection.
async fn read_response(stream: &mut TlsStream<TcpStream>) -> (String, Vec<u8>) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&raw[..end]).unwrap();
            if raw.len() >= end + 4 + content_length(head) {
                break;
            }
        }
        let n = timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("the response stalled")
            .unwrap();
        assert_ne!(n, 0, "EOF in the response");
        raw.extend_from_slice(&buf[..n]);
    }
    split(&raw)
}

#[tokio::test]
async fn an_answer_over_tls_is_the_same_http_1_1_answer() {
    let (server, connector) = start(|_| ok()).await;
    let mut stream = request(&server, &connector, "/").await;
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    for _ in 0..2 {
        let (head, body) = read_response(&mut stream).await;
        assert_eq!(
            head,
            format!(
                "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n\
                 Content-Length: {}",
                ok().body.len()
            )
        );
        assert_eq!(body, ok().body);
        // Kept alive: a second request on the same connection.
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            .await
            .unwrap();
    }
    server.shut_down().await;
}

#[tokio::test]
async fn a_client_that_offers_no_http_1_1_is_refused() {
    let tls = TlsSettings::generate().unwrap();
    let h2_only = connector(tls.ca_pem().unwrap(), &[b"h2"]);
    let server = Server::start_with(Some(tls), |_| ok()).await;
    let error = connect(&server, &h2_only).await.unwrap_err();
    assert!(
        error.to_string().contains("NoApplicationProtocol"),
        "{error}"
    );
    server.shut_down().await;
}

#[tokio::test]
async fn truncated_body_over_tls_is_encrypted_short_then_closed() {
    let (server, connector) = start(|_| Reply {
        retry_after: Some(7),
        ..with(Fault::TruncatedBody)
    })
    .await;
    let full = ok().body;
    let mut stream = request(&server, &connector, "/").await;
    // Ok: the close is an orderly TLS close (close_notify), after fewer bytes than promised.
    let raw = read_to_eof(&mut stream).await.unwrap();
    assert_truncated(&raw, &full);
    server.shut_down().await;
}

#[tokio::test]
async fn reset_over_tls_is_a_tcp_rst() {
    let (server, connector) = start(|_| with(Fault::Reset)).await;
    let mut stream = request(&server, &connector, "/").await;
    let error = read_to_eof(&mut stream).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    server.shut_down().await;
}

#[tokio::test]
async fn reset_over_tls_after_an_answer_on_the_same_connection() {
    let (server, connector) = start(|path| {
        if path == "/reset" {
            with(Fault::Reset)
        } else {
            ok()
        }
    })
    .await;
    let mut stream = request(&server, &connector, "/").await;
    let (_, body) = read_response(&mut stream).await;
    assert_eq!(body, ok().body);
    stream
        .write_all(b"GET /reset HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let error = read_to_eof(&mut stream).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    server.shut_down().await;
}

#[tokio::test]
async fn empty_reply_over_tls_is_a_close_notify_without_a_byte() {
    let (server, connector) = start(|_| with(Fault::EmptyReply)).await;
    let mut stream = request(&server, &connector, "/").await;
    assert_eq!(read_to_eof(&mut stream).await.unwrap(), b"");
    server.shut_down().await;
}

#[tokio::test]
async fn http_level_faults_work_over_tls() {
    let (server, connector) = start(|path| match path {
        "/page" => with(Fault::ProxyErrorPage { status: 502 }),
        "/malformed" => with(Fault::MalformedJson),
        _ => with(Fault::Drip {
            duration: Duration::from_millis(100),
        }),
    })
    .await;
    let mut stream = request(&server, &connector, "/page").await;
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 502 Bad Gateway\r\n"), "{head}");
    assert_eq!(header(&head, "server"), Some("nginx"));
    assert!(body.starts_with(b"<html>"));

    let mut stream = request(&server, &connector, "/malformed").await;
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());

    let mut stream = request(&server, &connector, "/drip").await;
    let (_, body) = read_response(&mut stream).await;
    assert_eq!(body, ok().body);
    server.shut_down().await;
}

#[tokio::test]
async fn hang_over_tls_closes_at_shutdown() {
    let (server, connector) = start(|_| with(Fault::Hang)).await;
    let mut hung = request(&server, &connector, "/").await;
    let mut buf = [0u8; 64];
    assert!(
        timeout(Duration::from_millis(300), hung.read(&mut buf))
            .await
            .is_err(),
        "a hung request gets nothing"
    );
    server.shut_down().await;
    assert_eq!(read_to_eof(&mut hung).await.unwrap(), b"");
}

#[tokio::test]
async fn failed_handshakes_end_only_their_own_connection() {
    let (server, connector) = start(|_| ok()).await;

    // Plain HTTP to the HTTPS port: the server refuses it and closes that connection.
    let mut plain = TcpStream::connect(server.address).await.unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = timeout(PATIENCE, plain.read_to_end(&mut answer))
        .await
        .expect("the server kept a failed handshake open");
    assert!(!answer.starts_with(b"HTTP/"), "{answer:?}");

    // A client that does not trust the CA gives up on the certificate.
    let other_ca = TlsSettings::generate().unwrap();
    let distrustful = connector_for(&other_ca);
    let error = connect(&server, &distrustful).await.unwrap_err();
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");

    // Both times the server went on serving.
    let mut stream = request(&server, &connector, "/").await;
    let (_, body) = read_response(&mut stream).await;
    assert_eq!(body, ok().body);
    server.shut_down().await;
}

#[tokio::test]
async fn a_stalled_handshake_holds_up_neither_others_nor_shutdown() {
    let (server, connector) = start(|_| ok()).await;
    // Connected, but never says hello.
    let mut silent = TcpStream::connect(server.address).await.unwrap();

    let mut stream = request(&server, &connector, "/").await;
    let (_, body) = read_response(&mut stream).await;
    assert_eq!(body, ok().body);

    // shut_down asserts that serve returns promptly: the stalled handshake is dropped.
    server.shut_down().await;
    let mut rest = Vec::new();
    let read = timeout(PATIENCE, silent.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the stalled connection was not closed");
}

fn connector_for(tls: &TlsSettings) -> TlsConnector {
    connector(tls.ca_pem().unwrap(), &[b"http/1.1"])
}
