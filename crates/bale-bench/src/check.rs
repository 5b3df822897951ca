//! One request to a server and a check of its answer (status and a word of the body), made
//! before a server is loaded so that no figure is ever of the wrong answer.

use std::time::Duration;

use anyhow::{bail, Context};

use crate::cases::TOKEN;
use crate::probe::{self, Request};
use crate::process::Server;
use crate::wrk::Load;

/// `GET path`.
pub fn get(path: &str) -> Request<'_> {
    Request {
        method: "GET",
        path,
        content_type: None,
        body: "",
    }
}

/// `POST path` with a JSON body.
pub fn post_json<'a>(path: &'a str, body: &'a str) -> Request<'a> {
    Request {
        method: "POST",
        path,
        content_type: Some("application/json"),
        body,
    }
}

/// The probe request equivalent to a load.
pub fn probe_of(load: &Load) -> Request<'_> {
    match load {
        Load::Get { path } => get(path),
        Load::Json { path, body } => post_json(path, body),
        Load::Form { path, body } => Request {
            method: "POST",
            path,
            content_type: Some("application/x-www-form-urlencoded"),
            body,
        },
        Load::Rotate { .. } => unreachable!("rotating loads are not probed"),
    }
}

/// Sends one request and checks the answer's status and a word of its body.
pub fn expect(
    server: &Server,
    request: &Request<'_>,
    status: u16,
    says: &str,
) -> anyhow::Result<probe::Reply> {
    let reply = probe::send(server.addr, request, Duration::from_secs(5))
        .with_context(|| format!("{} did not answer {}", server.name, request.path))?;
    if reply.status != status || !reply.body.contains(says) {
        bail!(
            "{} answered {} {} to {} {}; expected {status} with {says:?}",
            server.name,
            reply.status,
            reply.body,
            request.method,
            request.path
        );
    }
    Ok(reply)
}

/// Warns when the mock's getMe body is not as long as bare-hyper's fixed one.
pub fn check_body_size(mock: &Server) -> anyhow::Result<()> {
    let reply = expect(mock, &get(&format!("/bot{TOKEN}/getMe")), 200, "ok")?;
    // The length of `BODY` in src/bin/bare-hyper.rs.
    const BARE_LEN: usize = 208;
    if reply.body.len() != BARE_LEN {
        eprintln!(
            "warning: the mock's getMe body is {} bytes, bare-hyper's {BARE_LEN}",
            reply.body.len()
        );
    }
    Ok(())
}
