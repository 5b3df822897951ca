//! The Bale Bot API wire model, shared by the server (`bale-mock`) and the client
//! (`bale-client`) so that the two cannot drift apart. No I/O lives here.
//!
//! # Layout
//!
//! - [`token`]: [`Token`], a bot token parsed and validated by the real server's rules; its
//!   `Debug` and `Display` never show the secret.
//! - [`secret`]: [`Secret`], a token (or any password) as written, unvalidated, that no
//!   `Debug` or `Display` shows either.
//! - [`redact`]: taking tokens out of text about to be shown (descriptions, journal entries).
//! - [`method`]: the catalogue: every [`Method`] Bale is known to serve, one row each.
//! - [`envelope`]: [`Envelope`], the `{"ok":…}` body every answer carries.
//! - [`error`]: [`ApiError`] (code, description, [`ResponseParameters`]), the exact error
//!   descriptions of both [`Dialect`]s, and [`ApiErrorKind`] to classify them.
//! - [`media`]: file objects ([`PhotoSize`], [`Document`], …, `getFile`'s [`File`]), fields in
//!   the real server's order.
//! - [`types`]: Bot API objects ([`User`], [`Chat`], [`Message`], [`Update`], …), fields in the
//!   real server's order.

pub mod entity;
pub mod envelope;
pub mod error;
pub mod media;
pub mod method;
pub mod payment;
pub mod redact;
pub mod secret;
pub mod text;
pub mod token;
pub mod types;

pub use entity::MessageEntity;
pub use envelope::Envelope;
pub use error::{ApiError, ApiErrorKind, Dialect, ResponseParameters};
pub use media::{Animation, Audio, Document, File, PhotoSize, Sticker, Video, Voice};
pub use method::Method;
pub use payment::{
    Invoice, LabeledPrice, PreCheckoutQuery, SuccessfulPayment, Transaction, TransactionStatus,
};
pub use secret::Secret;
pub use token::{BotId, Token, TokenError};
pub use types::{
    CallbackQuery, Chat, ChatId, ChatType, Contact, Location, Message, MessageId, Update, User,
    WebhookInfo,
};
