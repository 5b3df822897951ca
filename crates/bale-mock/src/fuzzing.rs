//! Entry points for the fuzz targets in `fuzz/` and for the tests that replay what they
//! found: the crate-internal pieces a target needs (routing a path, the server's own
//! connection code on an in-memory pipe) and the property the whole-request target checks.
//! Not part of the API: hidden from the docs, and free to change with the targets.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use tokio::time::timeout;

use crate::request::decode_path;
use crate::route::{paths, target, Endpoint, Mock};
use crate::server::{http1_builder, run_connection};
use crate::transport::Connection;
use crate::{Clock, Config};

/// Where a request path leads, as the server routes it: the token and method of
/// `/bot<token>/<method>`, or `None` for a 404 or the control API.
pub fn route_target(path: &str) -> Option<(String, String)> {
    static PATHS: OnceLock<matchit::Router<Endpoint>> = OnceLock::new();
    let decoded = decode_path(path);
    let target = target(PATHS.get_or_init(paths), &decoded)?;
    Some((target.token.expose().to_owned(), target.method.to_owned()))
}

/// A server for one input: a manual clock (time passes only when a request moves it) and
/// a small journal, so that inputs do not depend on each other or on the wall clock.
pub fn mock() -> Arc<Mock> {
    Mock::new(Config {
        clock: Clock::manual(),
        journal_capacity: 16,
        ..Config::default()
    })
}

/// How long the connection may stay silent before the exchange shuts the server down. On a
/// runtime whose time is paused (the fuzz target's, the replaying tests') this passes at
/// once when nothing else can happen, and a delay or drip of a scenario is waited out in no
/// real time.
const IDLE: Duration = Duration::from_secs(3600);

/// What one connection answered.
#[derive(Debug)]
pub struct Exchange {
    /// Every byte the server wrote.
    pub answer: Vec<u8>,
    /// Whether the connection ended once the server shut down (it must).
    pub ended: bool,
}

/// Feeds `raw` to one HTTP/1.1 connection of `mock`, served by the server's own connection
/// code (`run_connection` with the server's settings) on an in-memory pipe, and collects
/// what it answers. When the connection falls idle the server shuts down as `serve` does
/// (long polls answer, hangs close, the connection drains) and the rest is read.
pub async fn exchange(mock: Arc<Mock>, raw: &[u8]) -> Exchange {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let (stopping_tx, stopping) = watch::channel(false);
    let graceful = GracefulShutdown::new();
    let connection = tokio::spawn(run_connection(
        server,
        Arc::clone(&mock),
        // No peer: the pipe is not a socket. The body timeout is the server's default.
        Connection::new(
            stopping,
            None,
            None,
            crate::ConnectionLimits::default().header_read_timeout,
        ),
        http1_builder(),
        graceful.watcher(),
    ));
    let (mut reader, mut writer) = tokio::io::split(client);
    let input = raw.to_vec();
    // Written apart from the reading, so that a server blocked on a full pipe of answers
    // never blocks the input.
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&input).await;
        writer
    });
    let mut answer = Vec::new();
    let eof = read_until_idle(&mut reader, &mut answer).await;
    stopping_tx.send_replace(true);
    mock.begin_shutdown();
    if let Ok(mut writer) = writing.await {
        let _ = writer.shutdown().await;
    }
    if !eof {
        let drain = async {
            tokio::join!(
                graceful.shutdown(),
                read_until_idle(&mut reader, &mut answer)
            )
        };
        let _ = timeout(IDLE, drain).await;
    }
    let ended = timeout(IDLE, connection).await.is_ok();
    Exchange { answer, ended }
}

/// Reads into `answer` until the end of the stream (`true`) or [`IDLE`] of silence.
async fn read_until_idle(reader: &mut (impl AsyncRead + Unpin), answer: &mut Vec<u8>) -> bool {
    let mut buffer = [0; 8192];
    loop {
        match timeout(IDLE, reader.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            Err(_) => return false,
        }
    }
}

/// Checks that `answer` is a run of well-formed HTTP/1.x responses, each with its
/// `Content-Length` (a fault may cut the last body short), and that every JSON envelope in
/// them agrees with its status: `ok:true` is 200, an `error_code` is the HTTP status.
/// Returns how many responses there were.
pub fn check_answer(answer: &[u8]) -> Result<usize, String> {
    let mut rest = answer;
    let mut count = 0;
    while !rest.is_empty() {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or("a response head without its blank line")?;
        let head = std::str::from_utf8(&rest[..end]).map_err(|_| "a head that is not UTF-8")?;
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            // hyper answers an HTTP/1.0 request in HTTP/1.0.
            .and_then(|line| {
                line.strip_prefix("HTTP/1.1 ")
                    .or_else(|| line.strip_prefix("HTTP/1.0 "))
            })
            .and_then(|line| line.get(..3))
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|code| (100..=599).contains(code))
            .ok_or_else(|| format!("not a status line: {head:?}"))?;
        let (mut length, mut json) = (None, false);
        for line in lines {
            let (name, value) = line
                .split_once(": ")
                .ok_or_else(|| format!("not a header: {line:?}"))?;
            if name.eq_ignore_ascii_case("content-length") {
                let value = value.parse::<usize>().map_err(|_| "a bad Content-Length")?;
                length = Some(value);
            }
            json |= name.eq_ignore_ascii_case("content-type") && value == "application/json";
        }
        rest = &rest[end + 4..];
        count += 1;
        if status < 200 {
            continue;
        }
        let length = length.ok_or_else(|| format!("no Content-Length: {head:?}"))?;
        if rest.len() < length {
            // Cut short by a fault: only the last response can be.
            return Ok(count);
        }
        let (body, after) = rest.split_at(length);
        rest = after;
        if json {
            check_envelope(status, body)?;
        }
    }
    Ok(count)
}

/// A JSON body that is an envelope agrees with its status (malformed JSON is a fault's).
fn check_envelope(status: u16, body: &[u8]) -> Result<(), String> {
    let Ok(serde_json::Value::Object(envelope)) = serde_json::from_slice(body) else {
        return Ok(());
    };
    let ok = envelope.get("ok").and_then(serde_json::Value::as_bool);
    let code = envelope
        .get("error_code")
        .and_then(serde_json::Value::as_u64);
    match (ok, code) {
        (Some(true), None) if status == 200 => Ok(()),
        (Some(false), Some(code)) if code == u64::from(status) => Ok(()),
        (Some(false), None) if status >= 400 => Ok(()),
        _ => Err(format!(
            "status {status} with the envelope {}",
            String::from_utf8_lossy(body)
        )),
    }
}
