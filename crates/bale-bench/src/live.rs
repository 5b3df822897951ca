//! What wrk cannot drive, measured from the driver with reqwest on tokio: update → waiting
//! long poll, webhook deliveries per second, and the console's event stream held open.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

/// POSTs `body` as JSON to `path`; the answer, which must say `"ok": true`.
async fn post(addr: SocketAddr, path: String, body: Value) -> anyhow::Result<Value> {
    // One client, so that connections are kept alive between requests.
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let request = CLIENT
        .get_or_init(reqwest::Client::new)
        .post(format!("http://{addr}{path}"));
    let answer: Value = request.json(&body).send().await?.json().await?;
    if answer["ok"] != true {
        bail!("{path} answered {answer}");
    }
    Ok(answer)
}

/// A Bot API call of bot `bot`; its `result`.
pub async fn call(addr: SocketAddr, bot: u64, method: &str, body: Value) -> anyhow::Result<Value> {
    let path = format!("/bot{bot}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/{method}");
    Ok(post(addr, path, body).await?["result"].take())
}

/// User `from` writes "hi" to `bot` through the play-the-user API.
pub async fn user_writes(addr: SocketAddr, bot: u64, from: u64) -> anyhow::Result<()> {
    let path = format!("/__mock/bots/{bot}/messages");
    post(addr, path, json!({"from": from, "text": "hi"}))
        .await
        .map(drop)
}

/// Latencies, µs, sorted: a user writes (from the play request's send) until the bot's
/// waiting `getUpdates` has answered with the update, `samples` times.
pub async fn long_poll_us(addr: SocketAddr, samples: usize) -> anyhow::Result<Vec<u64>> {
    const BOT: u64 = 222_000_001;
    let (mut offset, mut latencies) = (0, Vec::new());
    for _ in 0..samples {
        let poll = tokio::spawn(async move {
            let body = json!({"offset": offset, "timeout": 10});
            (call(addr, BOT, "getUpdates", body).await, Instant::now())
        });
        // Time for the poll to park on the server: the update must find it waiting.
        tokio::time::sleep(Duration::from_millis(3)).await;
        let sent = Instant::now();
        user_writes(addr, BOT, 7001).await?;
        let (updates, answered) = poll.await?;
        let last = updates?
            .as_array()
            .and_then(|u| u.last()?["update_id"].as_i64());
        offset = last.context("the long poll ended without the update")? + 1;
        latencies.push(answered.saturating_duration_since(sent).as_micros() as u64);
    }
    latencies.sort_unstable();
    Ok(latencies)
}

/// Webhook deliveries per second: `per_bot` updates queued for each of `bots` bots with no
/// webhook set, then a webhook set on each, timed until the loopback receiver has them all.
/// The mock delivers one update at a time per bot, so the bots run in parallel.
pub async fn webhook_per_second(addr: SocketAddr, bots: u64, per_bot: u64) -> anyhow::Result<f64> {
    let received = Arc::new(AtomicU64::new(0));
    let receiver = receive(Arc::clone(&received)).await?;
    let queue = |bot| async move {
        for _ in 0..per_bot {
            user_writes(addr, 333_000_001 + bot, 7001).await?;
        }
        anyhow::Ok(())
    };
    let writers: Vec<_> = (0..bots).map(|bot| tokio::spawn(queue(bot))).collect();
    for writer in writers {
        writer.await??;
    }
    let started = Instant::now();
    for bot in 0..bots {
        let hook = json!({"url": format!("http://{receiver}/hook/{bot}")});
        call(addr, 333_000_001 + bot, "setWebhook", hook).await?;
    }
    while received.load(Relaxed) < bots * per_bot {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("{} webhook deliveries in 120 s", received.load(Relaxed));
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    Ok((bots * per_bot) as f64 / started.elapsed().as_secs_f64())
}

/// A loopback webhook receiver that counts what it receives and answers `200`, no body.
async fn receive(received: Arc<AtomicU64>) -> anyhow::Result<SocketAddr> {
    use hyper::{server::conn::http1, service::service_fn, Response};
    type Body = http_body_util::Empty<bytes::Bytes>;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = Arc::clone(&received);
            let answer = service_fn(move |_| {
                received.fetch_add(1, Relaxed);
                async { Ok::<_, std::convert::Infallible>(Response::new(Body::new())) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            tokio::spawn(http1::Builder::new().serve_connection(io, answer));
        }
    });
    Ok(addr)
}

/// Opens the console's event stream (`GET /__mock/journal/events`) and reads it in a task
/// until the handle is aborted; `None` when the server answers anything but 200.
pub async fn open_console(addr: SocketAddr) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let url = format!("http://{addr}/__mock/journal/events");
    let mut events = reqwest::get(url).await?;
    if events.status() != 200 {
        return Ok(None);
    }
    Ok(Some(tokio::spawn(async move {
        while let Ok(Some(_)) = events.chunk().await {}
    })))
}
