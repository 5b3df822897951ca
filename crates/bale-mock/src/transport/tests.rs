//! Every fault over a real loopback socket, read by a raw client: bytes and error kinds, not
//! what an HTTP client makes of them. Timing is asserted from below only.

use std::future::Future;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bale_api::Envelope;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tokio::time::{timeout, Instant};

use crate::fault::Fault;
use crate::reply::Reply;
use crate::route::RawRequest;
use crate::server::serve_router;
use crate::service::Router;
use crate::tls::TlsSettings;
use crate::ConnectionLimits;

/// Long enough for anything that should happen at once; never a timing assertion.
pub(super) const PATIENCE: Duration = Duration::from_secs(5);

/// Answers every request with what the closure decides from its path.
struct Script(Box<dyn Fn(&str) -> Reply + Send + Sync>);

impl Router for Script {
    fn route(&self, request: RawRequest) -> impl Future<Output = Reply> + Send {
        std::future::ready((self.0)(request.uri.path()))
    }
}

pub(super) struct Server {
    pub(super) address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(script: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(None, script).await
    }

    /// A server answering with `script`, over TLS with `tls`.
    pub(super) async fn start_with(
        tls: Option<TlsSettings>,
        script: impl Fn(&str) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::start_limited(tls, ConnectionLimits::default(), script).await
    }

    /// A server answering with `script`, its connections bounded by `limits`.
    pub(super) async fn start_limited(
        tls: Option<TlsSettings>,
        limits: ConnectionLimits,
        script: impl Fn(&str) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_router(
            listener,
            Arc::new(Script(Box::new(script))),
            tls,
            limits,
            async {
                let _ = stopped.await;
            },
        ));
        Server {
            address,
            stop,
            task,
        }
    }

    /// Signals shutdown and asserts that `serve` returns well before its drain timeout.
    pub(super) async fn shut_down(self) {
        self.stop.send(()).unwrap();
        timeout(PATIENCE, self.task)
            .await
            .expect("serve did not return promptly after the shutdown signal")
            .unwrap()
            .unwrap();
    }
}

pub(super) fn ok() -> Reply {
    Reply::api(&Envelope::Ok(json!({
        "id": 123456789,
        "is_bot": true,
        "first_name": "Mock bot — آزمایشی",
        "username": "mock_bot",
    })))
}

pub(super) fn with(fault: Fault) -> Reply {
    Reply {
        fault: Some(fault),
        ..ok()
    }
}

/// Connects and sends `GET <path>`.
async fn request(server: &Server, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Everything up to EOF.
async fn read_to_eof(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    timeout(PATIENCE, stream.read_to_end(&mut raw))
        .await
        .expect("the server neither answered nor closed")?;
    Ok(raw)
}

/// The head (up to the blank line) and whatever followed it in `raw`.
pub(super) fn split(raw: &[u8]) -> (String, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete head in {:?}", String::from_utf8_lossy(raw)));
    (
        String::from_utf8(raw[..end].to_vec()).unwrap(),
        raw[end + 4..].to_vec(),
    )
}

pub(super) fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(": ")?;
        key.eq_ignore_ascii_case(name).then_some(value)
    })
}

pub(super) fn content_length(head: &str) -> usize {
    header(head, "content-length").unwrap().parse().unwrap()
}

/// One whole response on a kept-alive connection: head, then `Content-Length` bytes; also
/// how many reads the body took.
async fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>, usize) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let (head, mut body) = loop {
        if raw.windows(4).any(|w| w == b"\r\n\r\n") {
            break split(&raw);
        }
        let n = timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("no head")
            .unwrap();
        assert_ne!(n, 0, "EOF in the head");
        raw.extend_from_slice(&buf[..n]);
    };
    let length = content_length(&head);
    let mut reads = 0;
    while body.len() < length {
        let n = timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("body stalled")
            .unwrap();
        assert_ne!(n, 0, "EOF in the body");
        body.extend_from_slice(&buf[..n]);
        reads += 1;
    }
    assert_eq!(body.len(), length, "nothing after the body");
    (head, body, reads)
}

#[tokio::test]
async fn a_reply_without_fault_keeps_its_headers() {
    let server = Server::start(|_| ok()).await;
    let mut stream = request(&server, "/").await;
    for _ in 0..2 {
        let (head, body, _) = read_response(&mut stream).await;
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
async fn delay_answers_no_sooner() {
    let server = Server::start(|_| Reply {
        delay: Duration::from_millis(300),
        ..ok()
    })
    .await;
    let started = Instant::now();
    let mut stream = request(&server, "/").await;
    let (head, body, _) = read_response(&mut stream).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body, ok().body);
    server.shut_down().await;
}

#[tokio::test]
async fn delay_then_fault() {
    let server = Server::start(|_| Reply {
        delay: Duration::from_millis(200),
        ..with(Fault::EmptyReply)
    })
    .await;
    let started = Instant::now();
    let mut stream = request(&server, "/").await;
    assert_eq!(read_to_eof(&mut stream).await.unwrap(), b"");
    assert!(started.elapsed() >= Duration::from_millis(200));
    server.shut_down().await;
}

#[tokio::test]
async fn shutdown_cuts_a_delay_short_and_still_answers() {
    let routed = Arc::new(Notify::new());
    let server = Server::start({
        let routed = Arc::clone(&routed);
        move |_| {
            routed.notify_one();
            Reply {
                delay: Duration::from_secs(3600),
                ..ok()
            }
        }
    })
    .await;
    let mut stream = request(&server, "/").await;
    routed.notified().await;
    let address = server.address;
    server.shut_down().await;
    let raw = read_to_eof(&mut stream).await.unwrap();
    let (head, body) = split(&raw);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body, ok().body);
    assert!(
        TcpStream::connect(address).await.is_err(),
        "listener closed"
    );
}

#[tokio::test]
async fn reset_is_an_rst() {
    let server = Server::start(|_| with(Fault::Reset)).await;
    let mut stream = request(&server, "/").await;
    let error = read_to_eof(&mut stream).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    server.shut_down().await;
}

#[tokio::test]
async fn reset_after_an_answer_on_the_same_connection() {
    let server = Server::start(|path| {
        if path == "/reset" {
            with(Fault::Reset)
        } else {
            ok()
        }
    })
    .await;
    let mut stream = request(&server, "/").await;
    let (_, body, _) = read_response(&mut stream).await;
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
async fn empty_reply_is_a_clean_close_without_a_byte() {
    let server = Server::start(|_| with(Fault::EmptyReply)).await;
    let mut stream = request(&server, "/").await;
    assert_eq!(read_to_eof(&mut stream).await.unwrap(), b"");
    server.shut_down().await;
}

#[tokio::test]
async fn truncated_body_sends_less_than_its_content_length() {
    let server = Server::start(|_| Reply {
        retry_after: Some(7),
        ..with(Fault::TruncatedBody)
    })
    .await;
    let full = ok().body;
    let mut stream = request(&server, "/").await;
    let raw = read_to_eof(&mut stream).await.unwrap();
    assert_truncated(&raw, &full);
    server.shut_down().await;
}

#[tokio::test]
async fn malformed_json_is_a_complete_200_that_does_not_parse() {
    let server = Server::start(|_| Reply {
        status: 400,
        ..with(Fault::MalformedJson)
    })
    .await;
    let mut stream = request(&server, "/").await;
    let (head, body, _) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(header(&head, "content-type"), Some("application/json"));
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    assert!(std::str::from_utf8(&body).is_ok(), "cut between characters");
    assert!(ok().body.starts_with(&body));
    server.shut_down().await;
}

#[tokio::test]
async fn malformed_json_of_a_number_still_does_not_parse() {
    let reply = Reply {
        body: bytes::Bytes::from_static(b"12345678"),
        ..with(Fault::MalformedJson)
    };
    let response = super::malformed_json(&reply);
    let body = response.into_body();
    let body = http_body_util::BodyExt::collect(body)
        .await
        .unwrap()
        .to_bytes();
    assert!(
        serde_json::from_slice::<serde_json::Value>(&body).is_err(),
        "{body:?}"
    );
}

#[tokio::test]
async fn proxy_error_pages_are_nginx_html() {
    let server = Server::start(|path| {
        let status = path.trim_start_matches('/').parse().unwrap();
        with(Fault::ProxyErrorPage { status })
    })
    .await;
    for (status, reason) in [
        (502, "Bad Gateway"),
        (503, "Service Temporarily Unavailable"),
        (504, "Gateway Time-out"),
    ] {
        let mut stream = request(&server, &format!("/{status}")).await;
        let (head, body, _) = read_response(&mut stream).await;
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status} {reason}\r\n")),
            "{head}"
        );
        assert_eq!(header(&head, "content-type"), Some("text/html"));
        assert_eq!(header(&head, "server"), Some("nginx"));
        let body = String::from_utf8(body).unwrap();
        assert!(body.starts_with("<html>\r\n"), "{body}");
        assert!(
            body.contains(&format!("<center><h1>{status} {reason}</h1></center>")),
            "{body}"
        );
    }
    server.shut_down().await;
}

#[tokio::test]
async fn proxy_rate_limit_is_envoys_plain_text() {
    let server = Server::start(|path| Reply {
        retry_after: (path == "/retry").then_some(3),
        ..with(Fault::ProxyRateLimited)
    })
    .await;
    let mut stream = request(&server, "/").await;
    let (head, body, _) = read_response(&mut stream).await;
    assert!(
        head.starts_with("HTTP/1.1 429 Too Many Requests\r\n"),
        "{head}"
    );
    assert_eq!(header(&head, "content-type"), Some("text/plain"));
    assert_eq!(header(&head, "x-envoy-ratelimited"), Some("true"));
    assert_eq!(header(&head, "retry-after"), None);
    assert_eq!(body, b"local_rate_limited");

    let mut stream = request(&server, "/retry").await;
    let (head, body, _) = read_response(&mut stream).await;
    assert_eq!(header(&head, "retry-after"), Some("3"));
    assert_eq!(body, b"local_rate_limited");
    server.shut_down().await;
}

#[tokio::test]
async fn drip_sends_the_whole_body_in_pieces_over_the_duration() {
    let duration = Duration::from_millis(300);
    let server = Server::start(|_| Reply {
        retry_after: Some(2),
        ..with(Fault::Drip {
            duration: Duration::from_millis(300),
        })
    })
    .await;
    let started = Instant::now();
    let mut stream = request(&server, "/").await;
    let (head, body, reads) = read_response(&mut stream).await;
    assert!(started.elapsed() >= duration);
    assert_eq!(
        head,
        format!(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n\
             Retry-After: 2\r\nContent-Length: {}",
            ok().body.len()
        )
    );
    assert_eq!(body, ok().body);
    assert!(reads > 1, "the body came in {reads} read(s)");
    server.shut_down().await;
}

#[tokio::test]
async fn shutdown_sends_the_rest_of_a_drip_at_once() {
    let routed = Arc::new(Notify::new());
    let server = Server::start({
        let routed = Arc::clone(&routed);
        move |_| {
            routed.notify_one();
            with(Fault::Drip {
                duration: Duration::from_secs(3600),
            })
        }
    })
    .await;
    let mut stream = request(&server, "/").await;
    routed.notified().await;
    server.shut_down().await;
    let raw = read_to_eof(&mut stream).await.unwrap();
    let (_, body) = split(&raw);
    assert_eq!(body, ok().body);
}

#[tokio::test]
async fn hang_stays_silent_without_holding_up_others_or_shutdown() {
    let server = Server::start(|path| {
        if path == "/hang" {
            with(Fault::Hang)
        } else {
            ok()
        }
    })
    .await;
    let mut hung = request(&server, "/hang").await;
    let mut buf = [0u8; 64];
    assert!(
        timeout(Duration::from_millis(300), hung.read(&mut buf))
            .await
            .is_err(),
        "a hung request gets nothing"
    );

    let mut other = request(&server, "/").await;
    let (_, body, _) = read_response(&mut other).await;
    assert_eq!(body, ok().body);

    server.shut_down().await;
    assert_eq!(
        read_to_eof(&mut hung).await.unwrap(),
        b"",
        "closed, not reset"
    );
}

/// `raw` is the head of `full`'s answer (with `Retry-After: 7` and the whole length
/// promised) followed by a non-empty part of its body, cut short.
pub(super) fn assert_truncated(raw: &[u8], full: &[u8]) {
    let (head, body) = split(raw);
    assert_eq!(
        head,
        format!(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n\
             Retry-After: 7\r\nContent-Length: {}",
            full.len()
        )
    );
    assert!(
        !body.is_empty() && body.len() < full.len(),
        "{} bytes",
        body.len()
    );
    assert_eq!(body, full[..body.len()]);
}

#[tokio::test]
async fn the_longest_drip_and_delay_do_not_overflow_the_timer() {
    let routed = Arc::new(Notify::new());
    let server = Server::start({
        let routed = Arc::clone(&routed);
        move |path| {
            routed.notify_one();
            match path {
                "/delay" => Reply {
                    delay: Duration::MAX,
                    ..ok()
                },
                _ => with(Fault::Drip {
                    duration: Duration::MAX,
                }),
            }
        }
    })
    .await;
    let mut drip = request(&server, "/drip").await;
    routed.notified().await;
    let mut delay = request(&server, "/delay").await;
    routed.notified().await;
    server.shut_down().await;
    for stream in [&mut drip, &mut delay] {
        let raw = read_to_eof(stream).await.unwrap();
        let (_, body) = split(&raw);
        assert_eq!(body, ok().body);
    }
}
