//! [`ClientBuilder`]: base URL, timeouts, retry policy and extra trusted CAs of a
//! [`Client`].

use std::fmt;
use std::time::Duration;

use bale_api::Secret;
use url::Url;

use crate::client::{DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use crate::error::chain_message;
use crate::redact::redact;
use crate::{Client, Error, RetryPolicy};

/// Configures a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    token: Secret,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    /// PEM certificates trusted in addition to the built-in roots.
    ca_certs: Vec<Vec<u8>>,
}

impl ClientBuilder {
    /// The defaults; see [`Client::builder`].
    pub(crate) fn new(token: &str) -> ClientBuilder {
        ClientBuilder {
            token: Secret::from(token),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::NONE,
            ca_certs: Vec::new(),
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

    /// Trusts the CA certificates in `pem` (one or more `CERTIFICATE` sections, such as the
    /// file `bale-mock serve --tls --tls-ca-out` writes) for HTTPS, in addition to the
    /// built-in web roots, which keep working for the real API. May be called more than
    /// once. The PEM is checked by [`ClientBuilder::build`].
    pub fn ca_cert_pem(mut self, pem: &[u8]) -> ClientBuilder {
        self.ca_certs.push(pem.to_vec());
        self
    }

    /// Checks the base URL and the CA certificates, and builds the client.
    ///
    /// A CA given to [`ClientBuilder::ca_cert_pem`] that holds no PEM certificate, or one
    /// that does not parse, is an [`Error::Usage`].
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url, self.token.expose())?;
        let mut http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("bale-client/", env!("CARGO_PKG_VERSION")));
        for pem in &self.ca_certs {
            for certificate in parse_ca_pem(pem)? {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http
            .build()
            .map_err(|error| Error::Usage(redact(&chain_message(&error), self.token.expose())))?;
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
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("ca_certs", &self.ca_certs.len())
            .finish()
    }
}

/// The certificates of a PEM bundle: at least one, each well-formed.
fn parse_ca_pem(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, Error> {
    let invalid =
        |reason: &str| Error::Usage(format!("the CA certificate is not usable: {reason}"));
    let certificates = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|error| invalid(&chain_message(&error)))?;
    if certificates.is_empty() {
        return Err(invalid(
            "no PEM certificate in it (expected a -----BEGIN CERTIFICATE----- section)",
        ));
    }
    Ok(certificates)
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
    fn a_ca_that_is_not_a_pem_certificate_is_a_usage_error() {
        let cases: [(&[u8], &str); 3] = [
            (b"", "no PEM certificate in it"),
            (b"not a certificate", "no PEM certificate in it"),
            (
                b"-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n",
                "invalid certificate encoding",
            ),
        ];
        for (pem, reason) in cases {
            let error = Client::builder(TOKEN).ca_cert_pem(pem).build().unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, Error::Usage(_)), "{error:?}");
            assert!(
                message.starts_with("cannot build the client: the CA certificate is not usable: "),
                "{message}"
            );
            assert!(message.contains(reason), "{message}");
        }
        // Well-formed PEM around bytes that are no certificate: refused when trusted.
        let not_der = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let error = Client::builder(TOKEN)
            .ca_cert_pem(not_der.as_bytes())
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Usage(_)), "{error:?}");
    }

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
