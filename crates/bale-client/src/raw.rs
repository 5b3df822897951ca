//! [`Client::call_raw`]: one request, encoded as a chosen client library would encode it, and
//! the answer as it came (status, `Retry-After`, `Content-Type`, body bytes) — for tools that
//! judge the answer themselves, such as the contract checker.

use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, InvalidReason, NetworkErrorKind};
use crate::redact::excerpt;
use crate::response::retry_after_header;
use crate::upload::text_value;

/// How the parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// POST with a JSON body (Balethon, node-bale-api, this crate's own calls).
    Json,
    /// POST with an `application/x-www-form-urlencoded` body (node-telegram-bot-api).
    Form,
    /// GET with the parameters in the query string and no body.
    Query,
}

/// An answer as it came off the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, in whole seconds.
    pub retry_after: Option<u64>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Client {
    /// Sends one request (no retries) and returns the answer as it came. Only failures to
    /// get an answer are errors: [`Error::Network`], or [`Error::InvalidResponse`] with
    /// [`InvalidReason::Truncated`] for a body cut short.
    pub async fn call_raw(
        &self,
        method: &str,
        params: &Map<String, Value>,
        encoding: Encoding,
    ) -> Result<RawAnswer, Error> {
        let url = self.method_url(method);
        let text_pairs: Vec<(String, String)> = params
            .iter()
            .map(|(key, value)| (key.clone(), text_value(value)))
            .collect();
        let request = match encoding {
            Encoding::Json => self.http.post(url).json(params),
            Encoding::Form => self.http.post(url).form(&text_pairs),
            Encoding::Query => self.http.get(url).query(&text_pairs),
        };
        let response = request
            .send()
            .await
            .map_err(|error| Error::network(error, self.token()))?;
        let status = response.status().as_u16();
        let retry_after = retry_after_header(response.headers());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = read_body(response, status, self.token()).await?;
        Ok(RawAnswer {
            status,
            retry_after,
            content_type,
            body,
        })
    }
}

/// Reads a whole body. A body cut short is [`InvalidReason::Truncated`] with what arrived;
/// a body read that times out is [`NetworkErrorKind::Timeout`].
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    status: u16,
    token: &str,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(error) => {
                let error = Error::network(error, token);
                if error.network_kind() == Some(NetworkErrorKind::Timeout) {
                    return Err(error);
                }
                return Err(Error::InvalidResponse {
                    status,
                    excerpt: excerpt(&body, token),
                    reason: InvalidReason::Truncated,
                });
            }
        }
    }
}
