//! `getUpdates`: `offset`, `limit` (1–100, default 100; 0 or junk is 1), `timeout`
//! (0–50 s on the server clock) and `allowed_updates`, as tdlib reads them. With nothing to
//! return and a timeout, the request is parked ([`Poll`]) and answered when an update
//! arrives, when the timeout passes on the server clock (advancing the clock ends it), or
//! with an empty list at shutdown. A newer parked poll ends the older one with 409
//! `Conflict: terminated by other getUpdates request; …`; while a webhook is set every call
//! is 409 `Conflict: can't use getUpdates method while webhook is active; …`.

use std::time::Duration;

use bale_api::{ApiError, BotId};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::{oneshot, watch};

use super::{Call, Outcome, Result};
use crate::inbox::AllowedUpdates;

#[derive(Deserialize)]
pub(super) struct Params {
    #[serde(default)]
    offset: i32,
    limit: Option<i64>,
    #[serde(default)]
    timeout: i64,
    allowed_updates: Option<String>,
}

/// tdlib's `LONG_POLL_MAX_TIMEOUT`.
const MAX_TIMEOUT: i64 = 50;

/// The 409 a parked poll gets when a newer one replaces it.
pub(crate) fn terminated_by_other() -> ApiError {
    ApiError::new(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    )
}

/// A parked long poll, awaited outside every lock.
#[derive(Debug)]
pub(crate) struct Poll {
    /// Whose updates.
    pub bot: BotId,
    /// Which parked poll this is.
    pub generation: u64,
    /// The confirmed offset to read from.
    pub offset: i64,
    /// At most this many updates.
    pub limit: usize,
    /// When it ends empty, on the server clock.
    pub deadline: Duration,
    /// Ends it early with a conflict.
    pub ended: oneshot::Receiver<ApiError>,
    /// Wakes it when the bot's updates change.
    pub activity: watch::Receiver<u64>,
}

/// A JSON array of serialised updates.
pub(crate) fn array(updates: &[Bytes]) -> Box<RawValue> {
    let mut json = String::with_capacity(2 + updates.iter().map(|u| u.len() + 1).sum::<usize>());
    json.push('[');
    for (i, update) in updates.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&String::from_utf8_lossy(update));
    }
    json.push(']');
    RawValue::from_string(json).unwrap_or_default()
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let conversation = &mut call.state.conversation;
    if conversation.webhook.is_some() {
        return Err(ApiError::new(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ));
    }
    if let Some(allowed) = p.allowed_updates.as_deref().and_then(AllowedUpdates::parse) {
        conversation.inbox.allowed = allowed;
    }
    let limit = usize::try_from(p.limit.unwrap_or(100).clamp(1, 100)).unwrap_or(100);
    let timeout = p.timeout.clamp(0, MAX_TIMEOUT);
    let offset = i64::from(p.offset);
    let updates = conversation.inbox.read(offset, limit, call.now);
    if !updates.is_empty() || timeout == 0 {
        return Ok(Outcome::Done(array(&updates)));
    }
    let activity = conversation.subscribe();
    let (generation, ended) = conversation.inbox.park(terminated_by_other());
    Ok(Outcome::Poll(Poll {
        bot: call.bot,
        generation,
        offset,
        limit,
        deadline: call
            .now
            .saturating_add(Duration::from_secs(timeout.unsigned_abs())),
        ended,
        activity,
    }))
}
