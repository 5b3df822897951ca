//! [`MockServer`]: a fake tapi.bale.ai for any Rust test, ours or a user's.
//!
//! It binds `127.0.0.1:0` and runs on a thread and runtime of its own, so it works the same
//! from a plain `#[test]` and from `#[tokio::test]`, and stops gracefully when dropped.
//! Its clock is manual by default: time moves only when the test calls
//! [`MockServer::advance`], so the 600-second rules are crossed without sleeping.
//! [`MockServerBuilder::tls`] serves HTTPS with a certificate generated at start; a client
//! trusts [`MockServer::ca_pem`].

use std::net::SocketAddr;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use bale_api::Dialect;
use tokio::sync::oneshot;

use crate::journal::JournalEntry;
use crate::route::Mock;
use crate::tls::TlsSettings;
use crate::{serve_mock, Clock, Config, Scenario};

/// A running mock server for tests. Dropping it shuts it down.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    mock: Arc<Mock>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Options for [`MockServer::builder`].
#[derive(Debug)]
pub struct MockServerBuilder {
    config: Config,
}

impl Default for MockServerBuilder {
    fn default() -> MockServerBuilder {
        MockServerBuilder {
            config: Config::default().clock(Clock::manual()),
        }
    }
}

impl MockServerBuilder {
    /// Answers in `dialect`'s wording.
    pub fn dialect(mut self, dialect: Dialect) -> MockServerBuilder {
        self.config = self.config.dialect(dialect);
        self
    }

    /// Runs `scenario`.
    pub fn scenario(mut self, scenario: Scenario) -> MockServerBuilder {
        self.config = self.config.scenario(scenario);
        self
    }

    /// Runs a shipped scenario by name, or a scenario file by path.
    ///
    /// # Panics
    /// If the scenario cannot be loaded: the message has the file, line and reason.
    pub fn scenario_named(self, name_or_path: &str) -> MockServerBuilder {
        let scenario = Scenario::load(name_or_path).unwrap_or_else(|error| panic!("{error}"));
        self.scenario(scenario)
    }

    /// Serves HTTPS with a freshly generated CA and a certificate for `127.0.0.1` it
    /// signed; [`MockServer::uri`] is then `https://…`, and a client trusts
    /// [`MockServer::ca_pem`].
    ///
    /// # Panics
    /// If the certificate cannot be generated.
    pub fn tls(mut self) -> MockServerBuilder {
        let tls = TlsSettings::generate()
            .unwrap_or_else(|error| panic!("bale-mock: cannot set up TLS: {error}"));
        self.config = self.config.tls(tls);
        self
    }

    /// Starts the server.
    pub fn start(self) -> MockServer {
        MockServer::start_with(self.config)
    }
}

impl MockServer {
    /// Starts a zero-config server (Bale dialect, manual clock, no scenario).
    pub fn start() -> MockServer {
        MockServer::builder().start()
    }

    /// A builder for a server with other options.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// Starts a server with a full [`Config`].
    ///
    /// # Panics
    /// If the loopback port cannot be bound or the runtime cannot be built: a test cannot
    /// go on without its server.
    pub fn start_with(config: Config) -> MockServer {
        let mock = Mock::new(config);
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let server_mock = Arc::clone(&mock);
        let thread = std::thread::Builder::new()
            .name("bale-mock-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("bale-mock: cannot build the test server's runtime");
                runtime.block_on(async move {
                    let bound = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await;
                    let listener = match bound.and_then(|l| l.local_addr().map(|a| (l, a))) {
                        Ok((listener, address)) => {
                            let _ = ready_tx.send(Ok(address));
                            listener
                        }
                        Err(error) => {
                            let _ = ready_tx.send(Err(error));
                            return;
                        }
                    };
                    let stop = async {
                        let _ = stop_rx.await;
                    };
                    if let Err(error) = serve_mock(listener, server_mock, stop).await {
                        tracing::error!(%error, "test server failed");
                    }
                });
            })
            .expect("bale-mock: cannot spawn the test server's thread");
        let address = ready_rx
            .recv()
            .expect("bale-mock: the test server's thread died")
            .expect("bale-mock: cannot bind 127.0.0.1:0");
        MockServer {
            address,
            mock,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234`, or
    /// `https://127.0.0.1:41234` when serving HTTPS (no trailing slash).
    pub fn uri(&self) -> String {
        let scheme = if self.mock.config().tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.address)
    }

    /// The PEM certificate of the CA that signed the server's certificate, for a client to
    /// trust: `Some` when the server serves HTTPS with a generated certificate
    /// ([`MockServerBuilder::tls`]).
    pub fn ca_pem(&self) -> Option<&str> {
        self.mock.config().tls.as_ref()?.ca_pem()
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server clock.
    pub fn clock(&self) -> &Clock {
        self.mock.clock()
    }

    /// Moves the server clock forward.
    pub fn advance(&self, by: Duration) {
        self.mock.clock().advance(by);
    }

    /// Every request the server has answered, oldest first (bounded by the journal).
    pub fn received_requests(&self) -> Vec<JournalEntry> {
        self.mock.journal().entries()
    }

    /// Starts the scenario over (bots, counters, buckets) and empties the journal.
    pub fn reset(&self) {
        self.mock.reset();
    }

    /// The server's state, for everything else (bots, the running scenario).
    pub fn mock(&self) -> &Mock {
        &self.mock
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread has already been printed; do not panic again
            // while the test may be unwinding.
            let _ = thread.join();
        }
    }
}
