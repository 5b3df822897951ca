//! `setWebhook`: checked in tdlib's order — at most one non-empty call a second
//! (`429 Too Many Requests: retry after 1`), the URL (`Bad Request: invalid webhook URL
//! specified`; no scheme means https), the secret token, then the webhook itself. An empty
//! `url` deletes the webhook, like `deleteWebhook`.
//!
//! The mock reaches no network: only loopback hosts (`127.0.0.0/8`, `::1`, `localhost`) can
//! be set, over plain `http://` or on any port — a divergence, for tests; any other host is
//! `Bad Request: bad webhook: Failed to resolve host: Name or service not known`.

use std::net::IpAddr;
use std::time::Duration;

use bale_api::{ApiError, Secret};
use serde::Deserialize;

use super::{raw, Call, Outcome, Result};
use crate::conversation::Webhook;
use crate::inbox::AllowedUpdates;

#[derive(Deserialize)]
pub(super) struct Params {
    url: Option<String>,
    ip_address: Option<String>,
    max_connections: Option<i64>,
    allowed_updates: Option<String>,
    #[serde(default)]
    drop_pending_updates: bool,
    secret_token: Option<String>,
}

fn bad(text: &str) -> ApiError {
    ApiError::new(400, format!("Bad Request: {text}"))
}

/// Whether `host` is this machine.
pub(crate) fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let url = p.url.unwrap_or_default();
    let conversation = &mut call.state.conversation;
    if url.is_empty() {
        if p.drop_pending_updates {
            conversation.inbox.clear();
        }
        let description = if conversation.webhook.is_some() {
            conversation.set_webhook(None);
            "Webhook was deleted"
        } else {
            "Webhook is already deleted"
        };
        return Ok(Outcome::Described(raw(&true), description));
    }
    if let Some(last) = conversation.last_webhook_set {
        if call.now.saturating_sub(last) < Duration::from_secs(1) {
            return Err(ApiError::too_many_requests(1));
        }
    }
    let with_scheme = if url.contains("://") {
        url.clone()
    } else {
        format!("https://{url}")
    };
    let parsed = url::Url::parse(&with_scheme).map_err(|_| bad("invalid webhook URL specified"))?;
    let host = parsed
        .host()
        .filter(|_| matches!(parsed.scheme(), "http" | "https") && parsed.port() != Some(0))
        .ok_or_else(|| bad("invalid webhook URL specified"))?;
    let secret_token = p.secret_token.filter(|t| !t.is_empty());
    if let Some(secret) = &secret_token {
        if secret.len() > 256 {
            return Err(bad("secret token is too long"));
        }
        if !secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(bad("secret token contains unallowed characters"));
        }
    }
    if !is_loopback(&host) {
        return Err(bad(
            "bad webhook: Failed to resolve host: Name or service not known",
        ));
    }
    conversation.last_webhook_set = Some(call.now);
    if let Some(allowed) = p.allowed_updates.as_deref().and_then(AllowedUpdates::parse) {
        conversation.inbox.allowed = allowed;
    }
    let webhook = Webhook {
        url: with_scheme,
        secret_token: secret_token.map(Secret::from),
        max_connections: u32::try_from(p.max_connections.unwrap_or(40).clamp(1, 100)).unwrap_or(40),
        ip_address: p.ip_address.filter(|ip| !ip.is_empty()),
        has_custom_certificate: false,
        generation: 0,
    };
    let unchanged = conversation.webhook.as_ref().is_some_and(|old| {
        Webhook {
            generation: 0,
            ..old.clone()
        } == webhook
    });
    if p.drop_pending_updates {
        conversation.inbox.clear();
    }
    if unchanged && !p.drop_pending_updates {
        return Ok(Outcome::Described(raw(&true), "Webhook is already set"));
    }
    conversation.inbox.end_poll(ApiError::new(
        409,
        "Conflict: terminated by setWebhook request",
    ));
    let generation = conversation.set_webhook(Some(webhook));
    Ok(Outcome::WebhookSet("Webhook was set", generation))
}
