//! A fake tapi.bale.ai: the Bale Bot API wire protocol (envelope, HTTP status, error wording,
//! `logOut`/`close` state transitions) served by hyper, as a library.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8081").await?;
//! bale_mock::serve(listener, bale_mock::Config::default(), async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```
//!
//! In tests, [`MockServer::start`] gives a server on a free loopback port
//! (`MockServer::builder().tls()` for HTTPS).
//!
//! # Layout
//!
//! - [`server`]: [`serve`]`(listener, config, shutdown)`, the accept loop with graceful
//!   shutdown.
//! - [`tls`]: HTTPS: [`TlsSettings`] (a certificate generated at start, or PEM files) and
//!   the per-connection handshake.
//! - [`service`]: the hyper adapter: body collection, envelope → HTTP response.
//! - `transport`: a reply carried out on the socket: its delay, then the answer or its
//!   fault (reset, hang, empty reply, truncated or dripped body, proxy pages), over TCP or
//!   TLS.
//! - [`route`]: [`Mock`], the server's state, and routing apart from transport
//!   ([`Mock::handle`]: [`RawRequest`] → envelope).
//! - `raw_request`: [`RawRequest`], a request as read off the wire; its `Debug` hides the
//!   token.
//! - [`reply`]: [`Reply`], a decided answer (status, JSON body or a stream, delay, fault).
//! - [`fault`]: [`Fault`], the ways an answer can be broken on the socket.
//! - [`request`]: reading the path's token and method and the parameters (query string,
//!   urlencoded, JSON, multipart); `form_data`: the plain multipart body read without a
//!   MIME parser.
//! - `methods`: one file per Bot API method (`get_me`, `log_out`, `close`, `send_photo`, …;
//!   `upload` holds what the send-a-file methods share).
//! - [`media`]: a kept file as the objects a message carries.
//! - `invoice`: the invoice parameters `sendInvoice` and `createInvoiceLink` share.
//! - [`payments`]: what a bot keeps of its invoices and pre-checkout queries;
//!   [`pay`]: a played user paying one.
//! - [`control`]: the control API under `/__mock/` (reset, scenario, clock, bots, journal),
//!   one matchit table; `control_play`: its play-the-user half; [`control_access`]: who may
//!   use it (loopback, same origin, JSON writes, the control token).
//! - [`live`]: the journal live as server-sent events; [`console`]: the browser console's
//!   files, built into the binary (their sources in `crates/bale-mock/console/`).
//! - [`people`]: playing the users (they write, press buttons, pay); [`world`]: the users
//!   and group chats every bot shares; [`conversation`]: what one bot sees (messages,
//!   updates, webhook, pins) with [`inbox`] its update queue; `webhook`: deliveries.
//! - `access`: which chat a request names and whether the bot may use it; `compose`:
//!   posting and editing the bot's messages; `markup`: reply markup; [`decode`]: typed
//!   parameters with tdlib's lenient scalars.
//! - `members`: chat members as tdlib writes them; `manage`: rights checks, standing changes
//!   with their updates and service messages; [`stickers`]: the sticker sets.
//! - `buckets`: the rate-limit buckets, normalised and capped.
//! - [`scenario`]: [`Scenario`] files: parsing, validation with positions, the shipped ones.
//! - [`engine`]: a scenario at run time: rule matching, counters, rate-limit buckets.
//! - [`state`]: per-bot instance lifecycle (running, logged out, closed).
//! - [`clock`]: [`Clock`], the server time every rule reads, movable by tests.
//! - [`journal`]: the bounded request journal.
//! - [`files`]: the file store (uploads and files users send), bounded in bytes and count.
//! - [`config`]: [`Config`], the server options.
//! - [`testing`]: [`MockServer`], the test handle.
//! - `fuzzing` (hidden): what the fuzz targets in `fuzz/` and their replay tests need — a
//!   path's route, the server's connection code on an in-memory pipe, the answer's checks.

mod access;
mod buckets;
pub mod clock;
mod compose;
pub mod config;
pub mod console;
pub mod control;
pub mod control_access;
mod control_play;
pub mod conversation;
pub mod decode;
pub mod engine;
pub mod fault;
pub mod files;
mod form_data;
#[doc(hidden)]
pub mod fuzzing;
pub mod inbox;
mod invoice;
pub mod journal;
pub mod live;
mod manage;
mod markup;
pub mod media;
mod members;
mod methods;
pub mod pay;
pub mod payments;
pub mod people;
mod raw_request;
pub mod reply;
pub mod request;
pub mod route;
pub mod scenario;
pub mod server;
pub mod service;
pub mod state;
pub mod stickers;
pub mod testing;
pub mod tls;
mod transport;
mod webhook;
pub mod world;

pub use clock::Clock;
pub use config::{Config, ConnectionLimits, UnknownLimit, LIMITS};
pub use control_access::ControlAccess;
pub use fault::Fault;
pub use journal::{Journal, JournalEntry, JournalParams};
pub use methods::IMPLEMENTED;
pub use reply::Reply;
pub use route::{Mock, RawRequest};
pub use scenario::Scenario;
pub use server::{serve, serve_mock};
pub use testing::{Expectation, MockServer};
pub use tls::{LoopbackCertificates, TlsError, TlsSettings};
