//! [`ClientBuilder`]: base URL, timeouts and retry policy of a [`Client`].

use std::fmt;
use std::time::Duration;

use url::Url;

use crate::client::{DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use crate::redact::redact;
use crate::{Client, Error, RetryPolicy};

/// Configures a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    token: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// The defaults; see [`Client::builder`].
    pub(crate) fn new(token: &str) -> ClientBuilder {
        ClientBuilder {
            token: token.to_owned(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::NONE,
        }
    }

    /// The server to talk to; a path prefix is kept (`http://host/prefix` gives
    /// `http://host/prefix/bot<token>/<method>`), a trailing slash is ignored.
    pub fn base_url(mut self, base_url: &str) -> ClientBuilder {
        base_url.clone_into(&mut self.base_url);
        self
    }

    /// The limit for a whole call: connect, send, and read the answer.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// The limit for establishing the connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// Retry rate-limited calls; see [`RetryPolicy`]. The default never retries.
    pub fn retry(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// Checks the base URL and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url, &self.token)?;
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("bale-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Error::Usage(redact(&error.to_string(), &self.token)))?;
        Ok(Client {
            http,
            base_url,
            token: self.token,
            retry: self.retry,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// An http(s) URL with no query or fragment.
fn parse_base_url(raw: &str, token: &str) -> Result<Url, Error> {
    let invalid = |reason: &str| Error::InvalidBaseUrl {
        url: redact(raw, token),
        reason: reason.to_owned(),
    };
    let url = Url::parse(raw).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("the URL needs a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the URL must not have a query or a fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123:SECRET-abcdefghijklmnopqrstuvw";

    #[test]
    fn bad_base_urls_are_rejected() {
        for base in [
            "",
            "tapi.bale.ai",
            "ftp://h",
            "mailto:a@b",
            "http://h/?q=1",
            "http://h/#f",
        ] {
            let error = Client::new(base, TOKEN).unwrap_err();
            assert!(
                matches!(error, Error::InvalidBaseUrl { .. }),
                "{base}: {error:?}"
            );
        }
    }
}
