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

use bale_api::{BotId, ChatId, Message};

use crate::journal::JournalEntry;
use crate::people::{ButtonPress, From, PlayError, Pressed, UserMessage, Written};
use crate::route::Mock;
use crate::tls::TlsSettings;
use crate::{serve_mock, Clock, Config, Scenario};

/// A running mock server for tests. Dropping it shuts it down, and then checks the
/// expectations set with [`MockServer::expect`] (panicking with the journal if one failed,
/// unless the test is already panicking).
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    mock: Arc<Mock>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    expectations: std::sync::Mutex<Vec<Expectation>>,
}

/// An expectation on the requests a bot makes: "bot B calls method M between n and m
/// times". Checked when the [`MockServer`] is dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The method, any case.
    pub method: String,
    /// Only this bot's requests count, when set.
    pub bot: Option<BotId>,
    /// The fewest calls allowed.
    pub at_least: usize,
    /// The most calls allowed.
    pub at_most: usize,
}

impl Expectation {
    /// `method` is called at least once.
    pub fn called(method: &str) -> Expectation {
        Expectation {
            method: method.to_owned(),
            bot: None,
            at_least: 1,
            at_most: usize::MAX,
        }
    }

    /// Exactly `n` calls.
    pub fn times(mut self, n: usize) -> Expectation {
        self.at_least = n;
        self.at_most = n;
        self
    }

    /// Only by bot `bot`.
    pub fn by(mut self, bot: BotId) -> Expectation {
        self.bot = Some(bot);
        self
    }

    fn count(&self, journal: &[JournalEntry]) -> usize {
        journal
            .iter()
            .filter(|e| e.method.eq_ignore_ascii_case(&self.method))
            .filter(|e| self.bot.is_none_or(|bot| e.bot_id == Some(bot)))
            .count()
    }
}

/// Options for [`MockServer::builder`].
#[derive(Debug)]
pub struct MockServerBuilder {
    config: Config,
    worker_threads: usize,
}

impl Default for MockServerBuilder {
    fn default() -> MockServerBuilder {
        MockServerBuilder {
            config: Config::default().clock(Clock::manual()),
            worker_threads: 1,
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

    /// Serves on `threads` worker threads, as `bale-mock serve` does on a multi-core
    /// machine, so that concurrent requests are decided in parallel rather than one after
    /// another (the default is one thread).
    pub fn worker_threads(mut self, threads: usize) -> MockServerBuilder {
        self.worker_threads = threads.max(1);
        self
    }

    /// Starts the server.
    pub fn start(self) -> MockServer {
        MockServer::start_on(self.config, self.worker_threads)
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
        MockServer::start_on(config, 1)
    }

    /// Starts a server on a runtime of `worker_threads` threads (one: a current-thread
    /// runtime).
    fn start_on(config: Config, worker_threads: usize) -> MockServer {
        let mock = Mock::new(config);
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let server_mock = Arc::clone(&mock);
        let thread = std::thread::Builder::new()
            .name("bale-mock-server".into())
            .spawn(move || {
                let mut runtime = match worker_threads {
                    1 => tokio::runtime::Builder::new_current_thread(),
                    n => {
                        let mut builder = tokio::runtime::Builder::new_multi_thread();
                        builder.worker_threads(n);
                        builder
                    }
                };
                let runtime = runtime
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
            expectations: std::sync::Mutex::default(),
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

    /// User `user` writes `text` to bot `bot` in their private chat; the bot receives it
    /// by `getUpdates` or its webhook.
    pub fn user_says(&self, bot: BotId, user: i64, text: &str) -> Result<Written, PlayError> {
        self.mock.user_writes(
            bot,
            UserMessage {
                from: user,
                text: Some(text.to_owned()),
                ..UserMessage::default()
            },
        )
    }

    /// User `user` presses the inline button with `data` under message `message_id` of
    /// their private chat with `bot`.
    pub fn press(
        &self,
        bot: BotId,
        user: i64,
        message_id: i64,
        data: &str,
    ) -> Result<Pressed, PlayError> {
        self.mock.press_button(
            bot,
            ButtonPress {
                from: user,
                chat: None,
                message_id,
                data: data.to_owned(),
            },
        )
    }

    /// The bot's next message in `chat` after message `after`, waiting up to `timeout`
    /// (real time) for it; `None` if it did not come.
    pub async fn next_bot_message(
        &self,
        bot: BotId,
        chat: ChatId,
        after: i64,
        timeout: Duration,
    ) -> Option<Message> {
        self.mock
            .wait_for_messages(bot, chat, after, From::Bot, timeout)
            .await
            .into_iter()
            .next()
            .map(|stored| stored.message)
    }

    /// Adds an expectation, checked when the server is dropped.
    pub fn expect(&self, expectation: Expectation) {
        self.expectations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(expectation);
    }

    /// Checks the expectations now: a description of each that failed.
    pub fn unmet_expectations(&self) -> Vec<String> {
        let journal = self.received_requests();
        self.expectations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter_map(|e| {
                let n = e.count(&journal);
                (n < e.at_least || n > e.at_most).then(|| {
                    let expected = match (e.at_least, e.at_most) {
                        (least, usize::MAX) => format!("at least {least}"),
                        (least, most) if least == most => format!("exactly {least}"),
                        (least, most) => format!("{least} to {most}"),
                    };
                    format!(
                        "{} called {n} times{}, expected {expected}",
                        e.method,
                        e.bot.map(|b| format!(" by bot {b}")).unwrap_or_default(),
                    )
                })
            })
            .collect()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let unmet = self.unmet_expectations();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread has already been printed; do not panic again
            // while the test may be unwinding.
            let _ = thread.join();
        }
        if !unmet.is_empty() && !std::thread::panicking() {
            panic!(
                "bale-mock: expectations not met:\n- {}\nreceived: {:#?}",
                unmet.join("\n- "),
                self.mock.journal().entries()
            );
        }
    }
}
