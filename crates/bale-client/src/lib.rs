//! A client for the Bale Bot API (`https://tapi.bale.ai/bot<token>/<method>`), built on
//! reqwest with rustls. It runs the same calls against the real server or a `bale-mock`,
//! and tells every way a call can fail apart ([`Error`]), without ever showing the token.
//!
//! ```no_run
//! # async fn demo() -> Result<(), bale_client::Error> {
//! let client = bale_client::Client::new("http://127.0.0.1:8081", "123456:SECRET")?;
//! let logged_out = client.log_out().await?;
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - [`client`]: [`Client`] (`get_me`, `log_out`, `close`, `call` for any method,
//!   `call_with_files` for uploads) and [`ClientBuilder`] (base URL, timeouts, retry policy;
//!   written in the private `builder`).
//! - [`upload`]: [`InputFile`], a file sent as a multipart part.
//! - `download` (private): [`Client::download`], a file's bytes by its `getFile` path.
//! - [`error`]: [`Error`], with [`NetworkErrorKind`] and [`InvalidReason`] to classify
//!   transport failures and unusable bodies.
//! - [`raw`]: [`Client::call_raw`], one request in a chosen [`Encoding`] and the answer as
//!   it came ([`RawAnswer`]).
//! - [`retry`]: [`RetryPolicy`], opt-in retrying of rate-limited calls.
//! - [`operation`]: [`Operation`], a method run the way the n8n BaleMessenger node runs it,
//!   giving that node's output item; the node's 32 operations are the rows of
//!   [`NODE_OPERATIONS`].
//! - `response` (private): the rules that turn status, headers and body into a result or
//!   an [`Error`].
//! - `redact` (private): token redaction and the short body excerpts kept in errors.

mod builder;
pub mod client;
mod download;
pub mod error;
pub mod operation;
pub mod raw;
mod redact;
mod response;
pub mod retry;
pub mod upload;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use error::{Error, InvalidReason, NetworkErrorKind};
pub use operation::{NodeOperation, Operation, Output, Resource, NODE_OPERATIONS};
pub use raw::{Encoding, RawAnswer};
pub use retry::RetryPolicy;
pub use upload::InputFile;
