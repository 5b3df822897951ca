//! Who may use the control API. It can load scenarios, move the clock and read every request
//! the bots made, so a mock left running on a laptop must not be a door into it:
//!
//! - a peer that is not on loopback is refused, unless a control token is set (and sent) or
//!   the server was told explicitly to let remote peers in;
//! - a request whose `Origin` is not the mock's own is refused: a web page cannot drive the
//!   mock from the developer's browser;
//! - a `Host` that is neither the mock's address nor a loopback name is refused, so DNS
//!   rebinding cannot read the journal;
//! - a `POST` must say `Content-Type: application/json` (or `application/toml` for a
//!   scenario): a browser cannot send those across origins without a preflight the mock never
//!   grants. `PUT` and `DELETE` always need that preflight, so they need no such header.
//!
//! A request that carries the control token (`Authorization: Bearer <token>`) passes every
//! rule but the token itself: it is how a remote CI job or a container network uses the mock.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use http::HeaderMap;

use crate::route::RawRequest;

/// Who may use the control API, beyond loopback peers of the mock's own address.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ControlAccess {
    /// A shared secret: requests that send it as `Authorization: Bearer <token>` are let in
    /// from anywhere, and requests that send another are refused.
    pub token: Option<String>,
    /// Lets peers that are not on loopback in without a token (the other rules still hold).
    pub allow_remote: bool,
}

impl fmt::Debug for ControlAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ControlAccess")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("allow_remote", &self.allow_remote)
            .finish()
    }
}

/// Why a control request was refused: the description of its 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The control token is set and the request sent another, or none.
    #[error("Forbidden: wrong or missing control token (send Authorization: Bearer <token>)")]
    Token,
    /// The peer is not on loopback.
    #[error("Forbidden: the control API answers loopback peers only (start the mock with --control-token, or --control-allow-remote)")]
    Remote,
    /// The `Origin` is another site's.
    #[error("Forbidden: a control request from another origin")]
    Origin,
    /// The `Host` is neither the mock's address nor a loopback name.
    #[error("Forbidden: the Host header names neither this mock nor a loopback address")]
    Host,
    /// A `POST` without a JSON (or TOML) content type.
    #[error("Forbidden: a control POST needs Content-Type: application/json")]
    ContentType,
}

impl ControlAccess {
    /// Checks `request` against the rules; `scheme` is how the mock is served.
    pub(crate) fn check(&self, request: &RawRequest, scheme: &str) -> Result<(), Refusal> {
        let headers = &request.headers;
        if let Some(expected) = &self.token {
            return match bearer(headers) {
                Some(sent) if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => Ok(()),
                _ => Err(Refusal::Token),
            };
        }
        if !self.allow_remote && !request.peer.is_none_or(|peer| peer.ip().is_loopback()) {
            return Err(Refusal::Remote);
        }
        let host = header(headers, HOST);
        if let Some(host) = host {
            if !is_own_host(host, request.local) {
                return Err(Refusal::Host);
            }
        }
        if let Some(origin) = header(headers, ORIGIN) {
            let own = host.is_some_and(|host| origin == format!("{scheme}://{host}"));
            if !own {
                return Err(Refusal::Origin);
            }
        }
        // POST is the one state-changing method a page may send cross-origin unasked.
        if request.http_method == http::Method::POST
            && !is_json_or_toml(header(headers, CONTENT_TYPE))
        {
            return Err(Refusal::ContentType);
        }
        Ok(())
    }

    /// Checks a request for the console's files ([`crate::console`]): they hold no data and
    /// no secret, so no control token is asked for — the page asks the user for it, to read
    /// the data. The other rules hold: a peer beyond loopback gets the files only where it
    /// could get the data (a token is set, or remote peers are let in), the `Host` and
    /// `Origin` must be the mock's own.
    pub(crate) fn check_page(&self, request: &RawRequest, scheme: &str) -> Result<(), Refusal> {
        let without_token = ControlAccess {
            token: None,
            allow_remote: self.allow_remote || self.token.is_some(),
        };
        without_token.check(request, scheme)
    }
}

fn header(headers: &HeaderMap, name: http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header(headers, AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares without stopping at the first difference, so the time taken says nothing about
/// how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// `localhost`, `*.localhost`, a loopback IP, or the address the connection came in on —
/// with any port.
fn is_own_host(host: &str, local: Option<SocketAddr>) -> bool {
    let name = match host.rsplit_once(':') {
        // `[::1]:8081` or `name:8081`; a bare `::1` has no brackets and more than one colon.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || local.is_some_and(|local| local.ip() == ip),
        Err(_) => false,
    }
}

fn is_json_or_toml(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    ["application/json", "application/toml"]
        .iter()
        .any(|allowed| essence.eq_ignore_ascii_case(allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_hosts_are_loopback_names_and_the_local_address() {
        let local: SocketAddr = "10.0.0.5:8081".parse().unwrap();
        for host in [
            "127.0.0.1:8081",
            "127.0.0.2",
            "localhost:1",
            "LOCALHOST.",
            "bot.localhost:9",
            "[::1]:8081",
            "::1",
            "10.0.0.5:8081",
        ] {
            assert!(is_own_host(host, Some(local)), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8081",
            "localhost.evil.example",
            "10.0.0.6:8081",
            "[::2]:80",
            "",
        ] {
            assert!(!is_own_host(host, Some(local)), "{host}");
        }
    }

    #[test]
    fn only_json_and_toml_change_state() {
        assert!(is_json_or_toml(Some("application/json")));
        assert!(is_json_or_toml(Some("Application/JSON; charset=utf-8")));
        assert!(is_json_or_toml(Some("application/toml")));
        for simple in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            assert!(!is_json_or_toml(Some(simple)), "{simple}");
        }
        assert!(!is_json_or_toml(None));
    }

    #[test]
    fn the_token_is_never_shown() {
        let access = ControlAccess {
            token: Some("s3cret-control".into()),
            allow_remote: false,
        };
        assert!(!format!("{access:?}").contains("s3cret"));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
