//! What wrk cannot drive, measured with reqwest: update → waiting long poll, webhook
//! deliveries per second.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::{SECRET, USER};

/// POSTs `body` as JSON to `path`; the answer, which must say `"ok": true`.
async fn post(addr: SocketAddr, path: String, body: Value) -> Result<Value> {
    // One client, so that connections are kept alive between requests.
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let client = CLIENT.get_or_init(reqwest::Client::new);
    let request = client.post(format!("http://{addr}{path}"));
    let answer: Value = request.json(&body).send().await?.json().await?;
    if answer["ok"] != true {
        bail!("{path} answered {answer}");
    }
    Ok(answer)
}

/// A Bot API call of bot `bot`; its `result`.
pub async fn call(addr: SocketAddr, bot: u64, method: &str, body: Value) -> Result<Value> {
    Ok(post(addr, format!("/bot{bot}:{SECRET}/{method}"), body).await?["result"].take())
}

/// The user writes "hi" to `bot` through the play-the-user API.
pub async fn user_writes(addr: SocketAddr, bot: u64) -> Result<()> {
    let body = json!({"from": USER, "text": "hi"});
    post(addr, format!("/__mock/bots/{bot}/messages"), body).await?;
    Ok(())
}

/// `samples` latencies, µs, sorted: from the send of the user's message until the bot's
/// waiting `getUpdates` has answered with it.
pub async fn long_poll_us(addr: SocketAddr, samples: usize) -> Result<Vec<u64>> {
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
        user_writes(addr, BOT).await?;
        let (updates, answered) = poll.await?;
        let id = updates?[0]["update_id"].as_i64();
        offset = id.context("the long poll ended without the update")? + 1;
        latencies.push(answered.saturating_duration_since(sent).as_micros() as u64);
    }
    latencies.sort_unstable();
    Ok(latencies)
}

/// Webhook deliveries per second: `n` updates queued for each of `bots` bots, then every
/// bot's webhook pointed at `hook` (bare-hyper, which answers 200 to anything), timed until
/// no bot has an update pending. The mock delivers one update at a time per bot, so the
/// bots run in parallel.
pub async fn webhook_rate(addr: SocketAddr, hook: SocketAddr, bots: u64, n: u64) -> Result<f64> {
    let bots: Vec<u64> = (333_000_001..).take(bots as usize).collect();
    let queue = |bot| async move {
        for _ in 0..n {
            user_writes(addr, bot).await?;
        }
        anyhow::Ok(())
    };
    let writers: Vec<_> = bots.iter().map(|&bot| tokio::spawn(queue(bot))).collect();
    for writer in writers {
        writer.await??;
    }
    let (started, url) = (Instant::now(), format!("http://{hook}/webhook"));
    for &bot in &bots {
        call(addr, bot, "setWebhook", json!({ "url": url })).await?;
    }
    for &bot in &bots {
        while call(addr, bot, "getWebhookInfo", json!({})).await?["pending_update_count"] != 0 {
            if started.elapsed() > Duration::from_secs(120) {
                bail!("bot {bot} still has updates pending after 120 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    Ok((bots.len() as u64 * n) as f64 / started.elapsed().as_secs_f64())
}
