//! The conversation soak: a release `bale-mock serve` driven at saturation for minutes by
//! bots holding conversations — a user writes, the bot takes the update by long-poll
//! `getUpdates` or by webhook, answers with `sendMessage` and edits it — over tokens that
//! keep rotating past the server's bot cap. Every interval records RSS, throughput and
//! latency; any error answer or transport error fails the run.
//!
//! Run it with `bench/run --conversations-soak MINUTES` (10 for the recorded result).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::process::{wait_quiet, Server};
use crate::servers::{Kind, Paths};

/// Concurrent conversations: enough to keep both cores of the machine busy.
const WORKERS: u64 = 32;
/// Distinct bots the tokens rotate over: more than the server's default cap of 20 000, so
/// the least-recently-used eviction runs all the time.
const ROTATION: u64 = 50_000;
/// Every fourth bot takes its updates by webhook.
const WEBHOOK_EVERY: u64 = 4;
/// How often a line of the table is taken.
const INTERVAL: Duration = Duration::from_secs(30);

/// One interval of the soak.
#[derive(Clone, Debug, Default)]
pub struct Checkpoint {
    /// Seconds since the load began.
    pub at_seconds: u64,
    /// Requests answered in the interval.
    pub requests: u64,
    /// p50 and p99 latency of those requests, in ms.
    pub p50_ms: f64,
    /// The 99th percentile, in ms.
    pub p99_ms: f64,
    /// Webhook deliveries received in the interval.
    pub deliveries: u64,
    /// The server's RSS at the end of the interval, in KiB.
    pub rss_kib: u64,
}

/// The whole soak.
#[derive(Clone, Debug, Default)]
pub struct Soak {
    /// How long the load ran.
    pub minutes: u64,
    /// One line per interval.
    pub checkpoints: Vec<Checkpoint>,
    /// Error answers and transport errors (the run fails if any).
    pub errors: u64,
    /// The first error, for the report.
    pub first_error: Option<String>,
}

#[derive(Default)]
struct Shared {
    latencies_us: Mutex<Vec<u32>>,
    deliveries: AtomicU64,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
    sessions: AtomicU64,
}

impl Shared {
    fn error(&self, what: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(what);
    }
}

/// Runs the soak for `minutes` against a fresh release mock.
pub fn run(paths: &Paths, minutes: u64) -> anyhow::Result<Soak> {
    let log = paths.logs.join("bale-mock-conversations.log");
    let server = Server::start(&paths.launch(Kind::Mock, 0)?, None, &log)?;
    wait_quiet(Duration::from_secs(90))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let soak = runtime.block_on(drive(&server, minutes));
    server.stop();
    soak
}

async fn drive(server: &Server, minutes: u64) -> anyhow::Result<Soak> {
    let shared = Arc::new(Shared::default());
    let hooks = webhook_receiver(Arc::clone(&shared)).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(WORKERS as usize * 2)
        .timeout(Duration::from_secs(30))
        .build()?;
    let base = format!("http://{}", server.addr);
    let until = Instant::now() + Duration::from_secs(minutes * 60);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (client, base, shared) = (client.clone(), base.clone(), Arc::clone(&shared));
            tokio::spawn(async move {
                while Instant::now() < until {
                    let session = shared.sessions.fetch_add(1, Ordering::Relaxed);
                    let talk = Conversation::new(&client, &base, hooks, session, &shared);
                    if let Err(error) = talk.run().await {
                        shared.error(format!("{error:#}"));
                    }
                }
            })
        })
        .collect();

    let started = Instant::now();
    let mut soak = Soak {
        minutes,
        ..Soak::default()
    };
    let mut delivered_before = 0;
    while Instant::now() < until {
        tokio::time::sleep(INTERVAL.min(until.saturating_duration_since(Instant::now()))).await;
        let mut latencies = std::mem::take(&mut *lock(&shared.latencies_us));
        latencies.sort_unstable();
        let delivered = shared.deliveries.load(Ordering::Relaxed);
        let checkpoint = Checkpoint {
            at_seconds: started.elapsed().as_secs(),
            requests: latencies.len() as u64,
            p50_ms: percentile(&latencies, 0.50),
            p99_ms: percentile(&latencies, 0.99),
            deliveries: delivered - delivered_before,
            rss_kib: server.rss_kib()?,
        };
        delivered_before = delivered;
        eprintln!(
            "   {:>4} s: {:>7} requests, p50 {:.2} ms, p99 {:.2} ms, {} deliveries, RSS {} KiB, {} errors",
            checkpoint.at_seconds,
            checkpoint.requests,
            checkpoint.p50_ms,
            checkpoint.p99_ms,
            checkpoint.deliveries,
            checkpoint.rss_kib,
            shared.errors.load(Ordering::Relaxed)
        );
        soak.checkpoints.push(checkpoint);
    }
    for worker in workers {
        worker.await.context("a soak worker panicked")?;
    }
    soak.errors = shared.errors.load(Ordering::Relaxed);
    soak.first_error = lock(&shared.first_error).clone();
    Ok(soak)
}

/// One user's exchange with one bot.
struct Conversation<'a> {
    client: &'a reqwest::Client,
    base: &'a str,
    hooks: SocketAddr,
    bot: u64,
    user: u64,
    shared: &'a Shared,
}

impl<'a> Conversation<'a> {
    fn new(
        client: &'a reqwest::Client,
        base: &'a str,
        hooks: SocketAddr,
        session: u64,
        shared: &'a Shared,
    ) -> Conversation<'a> {
        Conversation {
            client,
            base,
            hooks,
            bot: 100_000_000 + session % ROTATION,
            user: 1_000_000 + session % 997,
            shared,
        }
    }

    async fn run(&self) -> anyhow::Result<()> {
        let by_webhook = self.bot.is_multiple_of(WEBHOOK_EVERY);
        let url = if by_webhook {
            format!("http://{}/hook/{}", self.hooks, self.bot)
        } else {
            String::new()
        };
        self.api("setWebhook", json!({ "url": url })).await?;
        let said = format!("hello from {}", self.user);
        self.control(json!({ "from": self.user, "text": said }))
            .await?;
        if !by_webhook {
            let updates = self.api("getUpdates", json!({ "timeout": 0 })).await?;
            let last = updates
                .as_array()
                .and_then(|u| u.last())
                .and_then(|u| u["update_id"].as_i64())
                .ok_or_else(|| anyhow!("bot {}: no update for {said:?}", self.bot))?;
            self.api("getUpdates", json!({ "offset": last + 1, "timeout": 0 }))
                .await?;
        }
        let sent = self
            .api(
                "sendMessage",
                json!({ "chat_id": self.user, "text": "hi!" }),
            )
            .await?;
        let id = sent["message_id"]
            .as_i64()
            .ok_or_else(|| anyhow!("sendMessage gave no message_id: {sent}"))?;
        self.api(
            "editMessageText",
            json!({ "chat_id": self.user, "message_id": id, "text": "hi again" }),
        )
        .await?;
        Ok(())
    }

    fn token(&self) -> String {
        format!("{}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", self.bot)
    }

    async fn api(&self, method: &str, body: Value) -> anyhow::Result<Value> {
        let url = format!("{}/bot{}/{method}", self.base, self.token());
        let answer = self.timed(self.client.post(url).json(&body)).await?;
        if answer["ok"] != json!(true) {
            bail!("bot {}: {method} answered {answer}", self.bot);
        }
        Ok(answer["result"].clone())
    }

    async fn control(&self, body: Value) -> anyhow::Result<Value> {
        let url = format!("{}/__mock/bots/{}/messages", self.base, self.bot);
        let answer = self.timed(self.client.post(url).json(&body)).await?;
        if answer["ok"] != json!(true) {
            bail!("bot {}: the user could not write: {answer}", self.bot);
        }
        Ok(answer)
    }

    async fn timed(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        let started = Instant::now();
        let answer: Value = request.send().await?.json().await?;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        lock(&self.shared.latencies_us).push(micros);
        Ok(answer)
    }
}

/// A loopback server that takes webhook deliveries: `200 {}` to each, counted.
async fn webhook_receiver(shared: Arc<Shared>) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    shared.deliveries.fetch_add(1, Ordering::Relaxed);
                    async { Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::new()))) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(address)
}

fn percentile(sorted_us: &[u32], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let index = ((sorted_us.len() - 1) as f64 * q).round() as usize;
    f64::from(sorted_us[index]) / 1000.0
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The Markdown of a soak, for `BENCHMARKS.md`.
pub fn render(soak: &Soak, machine: &str) -> String {
    let mut out = format!(
        "## Conversation soak\n\n{machine}\n\n\
         {WORKERS} concurrent conversations for {} minutes against one release `bale-mock serve` \
         with its default limits, unpinned, the load generator on the same 2 cores: a user \
         writes (control API), the bot takes the update by `getUpdates` (or, one bot in \
         {WEBHOOK_EVERY}, by webhook to a loopback receiver), answers with `sendMessage` and \
         edits it with `editMessageText`. Tokens rotate over {ROTATION} bots, past the \
         server's cap of 20 000, so bots are forgotten and made again all along. Latency is \
         per request, as the client saw it.\n\n\
         | at | requests | req/s | p50 ms | p99 ms | webhook deliveries | RSS MiB |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        soak.minutes
    );
    let mut previous = 0;
    for point in &soak.checkpoints {
        let seconds = (point.at_seconds - previous).max(1);
        previous = point.at_seconds;
        out.push_str(&format!(
            "| {} s | {} | {} | {:.2} | {:.2} | {} | {:.1} |\n",
            point.at_seconds,
            point.requests,
            point.requests / seconds,
            point.p50_ms,
            point.p99_ms,
            point.deliveries,
            point.rss_kib as f64 / 1024.0
        ));
    }
    // The first minute fills the bot map to its cap; flat means flat from then on.
    let filled = soak.checkpoints.iter().find(|c| c.at_seconds >= 60);
    if let (Some(first), Some(filled), Some(last)) =
        (soak.checkpoints.first(), filled, soak.checkpoints.last())
    {
        let max = soak
            .checkpoints
            .iter()
            .map(|c| c.rss_kib)
            .max()
            .unwrap_or(0);
        let growth = (last.rss_kib as f64 / filled.rss_kib as f64 - 1.0) * 100.0;
        let mib = |kib: u64| kib as f64 / 1024.0;
        out.push_str(&format!(
            "\nRSS: {:.1} MiB at {} s (the bot map still filling to its cap), {:.1} MiB at {} s, \
             {:.1} MiB at the end: {growth:+.1} % over the last {} s; {:.1} MiB at most. \
             Errors: {}.\n",
            mib(first.rss_kib),
            first.at_seconds,
            mib(filled.rss_kib),
            filled.at_seconds,
            mib(last.rss_kib),
            last.at_seconds - filled.at_seconds,
            mib(max),
            soak.errors
        ));
    }
    out
}
