//! The server over a real loopback socket: wire formats, errors, the logOut/close lifecycle
//! and shutdown.

mod access;
mod atomic;
mod bounds;
mod concurrency;
mod console;
mod control;
mod conversations;
mod errors;
mod files;
mod lifecycle;
mod manage;
mod members;
mod payments;
mod scenarios;
mod secrets;
mod shutdown;
mod stickers;
mod support;
mod tls;
mod webhooks;
mod wire_formats;
