//! The cases wrk cannot drive, measured from inside the driver with reqwest on tokio:
//! update → waiting long poll latency, webhook delivery rate, and the console's event stream.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// A bot the driver talks to (`bot` is its id).
fn token(bot: u64) -> String {
    format!("{bot}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
}

/// A Bot API call; its `result`, or an error carrying the answer.
async fn call(
    client: &reqwest::Client,
    addr: SocketAddr,
    bot: u64,
    method: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let url = format!("http://{addr}/bot{}/{method}", token(bot));
    let answer: Value = client.post(url).json(&body).send().await?.json().await?;
    match answer["ok"].as_bool() {
        Some(true) => Ok(answer["result"].clone()),
        _ => bail!("{method} answered {answer}"),
    }
}

/// User `from` writes "hi" to `bot` through the play-the-user API.
pub async fn user_writes(
    client: &reqwest::Client,
    addr: SocketAddr,
    bot: u64,
    from: u64,
) -> anyhow::Result<()> {
    let url = format!("http://{addr}/__mock/bots/{bot}/messages");
    let answer = client
        .post(url)
        .json(&json!({"from": from, "text": "hi"}))
        .send()
        .await?;
    if !answer.status().is_success() {
        bail!("the user could not write: {}", answer.text().await?);
    }
    Ok(())
}

/// Latencies in µs, sorted, of `samples` updates from "the user writes" until the bot's
/// waiting `getUpdates` answers with it.
pub async fn long_poll_us(addr: SocketAddr, samples: usize) -> anyhow::Result<Vec<u64>> {
    const BOT: u64 = 222_000_001;
    let client = reqwest::Client::new();
    let mut offset = 0;
    let mut latencies = Vec::with_capacity(samples);
    for _ in 0..samples {
        let poll = {
            let client = client.clone();
            tokio::spawn(async move {
                let answer = call(
                    &client,
                    addr,
                    BOT,
                    "getUpdates",
                    json!({"offset": offset, "timeout": 10}),
                )
                .await;
                (answer, Instant::now())
            })
        };
        // Time for the poll to park on the server: the update must find it waiting.
        tokio::time::sleep(Duration::from_millis(3)).await;
        let sent = Instant::now();
        user_writes(&client, addr, BOT, 7001).await?;
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

/// Webhook deliveries per second: `per_bot` updates queued for each of `bots` bots while no
/// webhook is set, then a webhook set on each, timed until the loopback receiver has all.
/// (The mock delivers one update at a time per bot, so several bots run in parallel.)
pub async fn webhook_per_second(addr: SocketAddr, bots: u64, per_bot: u64) -> anyhow::Result<f64> {
    let received = Arc::new(AtomicU64::new(0));
    let receiver = receive(Arc::clone(&received)).await?;
    let client = reqwest::Client::new();
    let writers = (0..bots).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            for _ in 0..per_bot {
                user_writes(&client, addr, 333_000_001 + i, 7001).await?;
            }
            anyhow::Ok(())
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await??;
    }
    let started = Instant::now();
    for i in 0..bots {
        let url = format!("http://{receiver}/hook/{i}");
        call(
            &client,
            addr,
            333_000_001 + i,
            "setWebhook",
            json!({"url": url}),
        )
        .await?;
    }
    let total = bots * per_bot;
    while received.load(Ordering::Relaxed) < total {
        if started.elapsed() > Duration::from_secs(120) {
            bail!(
                "{} of {total} webhook deliveries in 120 s",
                received.load(Ordering::Relaxed)
            );
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// A loopback webhook receiver answering `200` with no body, counting what it receives.
async fn receive(received: Arc<AtomicU64>) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = Arc::clone(&received);
            let service = service_fn(move |_| {
                received.fetch_add(1, Ordering::Relaxed);
                async { Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::new()))) }
            });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    Ok(addr)
}

/// Opens the console's event stream (`GET /__mock/journal/events`) and keeps reading it in
/// a task until the returned handle is aborted; `None` when the server has no such stream.
pub async fn open_console(addr: SocketAddr) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let mut events = reqwest::get(format!("http://{addr}/__mock/journal/events")).await?;
    if events.status() != 200 {
        return Ok(None);
    }
    Ok(Some(tokio::spawn(async move {
        while let Ok(Some(_)) = events.chunk().await {}
    })))
}
