//! `bale-mock serve`: bind, print `listening on http://HOST:PORT` (`https://` with TLS) as the
//! first line on stdout, serve until SIGINT or SIGTERM, drain, exit 0.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use bale_api::Dialect;
use bale_mock::{Config, ConnectionLimits, ControlAccess, Scenario, TlsSettings};
use clap::{Args, ValueEnum};
use tokio::net::TcpListener;

use crate::exit;

/// Arguments of `bale-mock serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on the first stdout line).
    #[arg(long, default_value = "127.0.0.1:8081", value_name = "ADDR")]
    listen: String,
    /// Whose error wording to reproduce where Bale and Telegram differ (a scenario may
    /// override it).
    #[arg(long, value_enum, default_value_t = DialectArg::Bale)]
    dialect: DialectArg,
    /// A scenario to run: a shipped one's name (see `bale-mock scenarios list`) or a file.
    #[arg(long, value_name = "NAME|PATH")]
    scenario: Option<String>,
    /// Serve HTTPS, with a certificate generated at start: a fresh CA and a certificate for
    /// 127.0.0.1, ::1 and localhost that it signed.
    #[arg(long)]
    tls: bool,
    /// With --tls: write the generated CA's certificate (PEM) to FILE, for clients to trust
    /// (`bale-mock call --ca-cert FILE`).
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls",
        conflicts_with = "tls_cert"
    )]
    tls_ca_out: Option<PathBuf>,
    /// With --tls: also make the generated certificate valid for NAME (repeatable), e.g.
    /// tapi.bale.ai, so a client whose URL cannot change reaches the mock through a hosts
    /// entry and trusts it through --tls-ca-out.
    #[arg(
        long = "tls-name",
        value_name = "NAME",
        requires = "tls",
        conflicts_with = "tls_cert"
    )]
    tls_names: Vec<String>,
    /// Serve HTTPS with this PEM certificate chain (the server's certificate first) instead
    /// of a generated one; needs --tls-key, implies --tls.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Lets control requests (`/__mock/…`) in from anywhere when they send
    /// `Authorization: Bearer TOKEN`, and refuses every control request that does not.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "BALE_MOCK_CONTROL_TOKEN",
        hide_env_values = true
    )]
    control_token: Option<String>,
    /// Lets control requests in from peers that are not on loopback, without a token. Anyone
    /// who reaches the port can then load scenarios and read what your bots sent.
    #[arg(long)]
    control_allow_remote: bool,
    /// Connections served at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = ConnectionLimits::default().max_connections)]
    max_connections: usize,
    /// Seconds a request head may take to arrive (and a kept-alive connection may stay idle).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    header_read_timeout: Duration,
    /// Sets a memory bound, repeatable: bots, buckets, journal-entries, journal-bytes,
    /// journal-streams, journal-stream-backlog, users,
    /// chats, memberships, messages, updates, callback-queries, payments (docs/security.md
    /// lists the defaults and what happens at each).
    #[arg(long = "limit", value_name = "NAME=N", value_parser = limit)]
    limits: Vec<(String, usize)>,
    /// Seconds a shutdown waits for in-flight requests, long polls and webhook deliveries;
    /// a second SIGINT or SIGTERM exits at once.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    drain_timeout: Duration,
}

/// `NAME=N`, N a whole number (`_` allowed between digits).
fn limit(text: &str) -> Result<(String, usize), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not NAME=N"))?;
    let value = value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number"))?;
    let mut probe = Config::default();
    probe.set_limit(name, value).map_err(|e| e.to_string())?;
    Ok((name.to_owned(), value))
}

/// A number of seconds from 0.001 to a day.
fn seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if !(0.001..=86_400.0).contains(&seconds) {
        return Err(format!("{seconds} is not between 0.001 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DialectArg {
    /// tapi.bale.ai: a bad token is 403 "Bad Request: Token not found".
    Bale,
    /// api.telegram.org: a bad token is 401 "Unauthorized…".
    Telegram,
}

impl From<DialectArg> for Dialect {
    fn from(arg: DialectArg) -> Dialect {
        match arg {
            DialectArg::Bale => Dialect::Bale,
            DialectArg::Telegram => Dialect::Telegram,
        }
    }
}

pub fn run(args: ServeArgs) -> u8 {
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bale-mock: cannot start the runtime: {error}");
            return exit::API_ERROR;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => exit::OK,
        Err(error) => {
            eprintln!("bale-mock: {error:#}");
            exit::API_ERROR
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = Config::default().dialect(args.dialect.into());
    config.control = ControlAccess {
        token: args.control_token.clone(),
        allow_remote: args.control_allow_remote,
    };
    for (name, value) in &args.limits {
        config.set_limit(name, *value)?;
    }
    config.connections = ConnectionLimits {
        max_connections: args.max_connections.max(1),
        header_read_timeout: args.header_read_timeout,
        drain_timeout: args.drain_timeout,
    };
    if let Some(name) = &args.scenario {
        // A bad scenario is refused before the port is bound.
        config = config.scenario(Scenario::load(name)?);
    }
    if let Some(tls) = tls_settings(&args)? {
        config = config.tls(tls);
    }
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    if !address.ip().is_loopback() {
        eprintln!("bale-mock: warning: {}", exposure(address, &config.control));
    }
    let shutdown = shutdown_signal()?;
    tracing::info!(
        %address,
        scheme,
        dialect = %config.dialect,
        scenario = %config.scenario.name,
        "serving the fake Bale Bot API"
    );
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {scheme}://{address}")?;
        stdout.flush()?;
    }
    // On stderr: stdout's first line is what scripts read, and stays the only line there.
    eprintln!("console: {}", console_url(scheme, address));
    bale_mock::serve(listener, config, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The browser console's address; a wildcard bind is opened on loopback, whose `Host` the
/// control API accepts.
fn console_url(scheme: &str, address: SocketAddr) -> String {
    let mut address = address;
    if address.ip().is_unspecified() {
        let loopback = match address {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        };
        address.set_ip(loopback);
    }
    format!("{scheme}://{address}/__mock/console/")
}

/// What a bind beyond loopback exposes, for the warning at start.
fn exposure(address: SocketAddr, control: &ControlAccess) -> String {
    let control = match (&control.token, control.allow_remote) {
        (Some(_), _) => "the control API answers remote peers that send the control token",
        (None, true) => "the control API answers ANY peer (--control-allow-remote): anyone who reaches the port can load scenarios, move the clock and read every request your bots made",
        (None, false) => "the control API still answers loopback peers only (--control-token lets others in)",
    };
    format!(
        "listening on {address}, beyond loopback: any host that can reach it can talk to the fake Bot API, and {control}"
    )
}

/// The TLS settings the flags ask for, if any: the given chain and key, or a generated
/// certificate whose CA is written to `--tls-ca-out` (before the ready line, so that whoever
/// waits for that line can read the file).
fn tls_settings(args: &ServeArgs) -> anyhow::Result<Option<TlsSettings>> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        return Ok(Some(TlsSettings::from_pem_files(cert, key)?));
    }
    if !args.tls {
        return Ok(None);
    }
    let tls = TlsSettings::generate_for(&args.tls_names)?;
    if let (Some(path), Some(ca_pem)) = (&args.tls_ca_out, tls.ca_pem()) {
        std::fs::write(path, ca_pem)
            .with_context(|| format!("cannot write the CA certificate to {}", path.display()))?;
        tracing::info!(path = %path.display(), "CA certificate written");
    }
    Ok(Some(tls))
}

/// Installs the SIGINT and SIGTERM handlers now — before the ready line is printed, so a
/// signal sent right after it is never fatal — and returns a future that completes on either.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("SIGINT: draining"),
            _ = terminate.recv() => tracing::info!("SIGTERM: draining"),
        }
        // A second signal means "now": whoever sends it does not want to wait for the drain.
        tokio::spawn(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            eprintln!("bale-mock: second signal: exiting without draining");
            std::process::exit(i32::from(exit::INTERRUPTED));
        });
    })
}

/// Ctrl-C only, where there are no Unix signals.
#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("Ctrl-C: draining");
    })
}

/// Logs go to stderr so stdout stays machine-readable; `RUST_LOG` overrides the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_is_opened_on_the_bound_address_or_loopback() {
        let url = |address: &str| console_url("https", address.parse().unwrap());
        assert_eq!(
            url("127.0.0.1:8081"),
            "https://127.0.0.1:8081/__mock/console/"
        );
        assert_eq!(url("0.0.0.0:9"), "https://127.0.0.1:9/__mock/console/");
        assert_eq!(url("[::]:9"), "https://[::1]:9/__mock/console/");
        assert_eq!(url("10.1.2.3:9"), "https://10.1.2.3:9/__mock/console/");
    }

    #[test]
    fn a_bind_beyond_loopback_names_what_it_exposes() {
        let address: SocketAddr = "0.0.0.0:8081".parse().unwrap();
        let closed = exposure(address, &ControlAccess::default());
        assert!(closed.contains("listening on 0.0.0.0:8081, beyond loopback"));
        assert!(closed.contains("loopback peers only"));
        let open = ControlAccess {
            token: None,
            allow_remote: true,
        };
        assert!(exposure(address, &open).contains("ANY peer"));
        let token = ControlAccess {
            token: Some("t0ken-value".into()),
            allow_remote: false,
        };
        let text = exposure(address, &token);
        assert!(text.contains("send the control token") && !text.contains("t0ken-value"));
    }
}
