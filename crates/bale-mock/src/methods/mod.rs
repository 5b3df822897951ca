//! One file per Bot API method, and [`run`]'s table: one row per implemented method. A
//! method the table does not name answers `404 Not Found: method not found`.
//!
//! Each handler reads its own parameter struct (see [`crate::decode`]) and runs inside the
//! bot's state lock with everything it needs in a [`Call`]. It answers at once
//! ([`Outcome::Done`]) or, for a long poll, with a wait that the router awaits after every
//! lock is released ([`Outcome::Poll`]).

mod answer_callback_query;
mod answer_inline_query;
mod answer_pre_checkout_query;
mod ask_review;
mod close;
mod copy_message;
mod create_invoice_link;
mod delete_message;
mod delete_webhook;
mod edit_message_caption;
mod edit_message_reply_markup;
mod edit_message_text;
mod forward_message;
mod get_chat;
mod get_chat_administrators;
mod get_chat_member;
mod get_chat_member_count;
mod get_me;
mod get_updates;
mod get_webhook_info;
mod inquire_transaction;
mod invite_user;
mod leave_chat;
mod log_out;
mod send_chat_action;
mod send_contact;
mod send_invoice;
mod send_location;
mod send_message;
mod set_webhook;

use std::time::Duration;

use bale_api::{ApiError, BotId, Dialect, Method, User};
use serde_json::value::RawValue;

use crate::request::Params;
use crate::scenario::BotSpec;
use crate::state::Bot;
use crate::world::World;
use crate::Clock;

pub(crate) use get_updates::{array as get_updates_array, Poll};

/// What a handler gets: the bot, the time, its state, the shared world.
pub(crate) struct Call<'a> {
    /// The bot the token names.
    pub bot: BotId,
    /// The bot as the scenario declares it, if it does.
    pub spec: Option<&'a BotSpec>,
    /// The server clock's reading.
    pub now: Duration,
    /// The server clock (for Unix dates).
    pub clock: &'a Clock,
    /// When the running instance was launched.
    pub launched_at: Duration,
    /// How long `close` leaves the instance closing.
    pub closing: Duration,
    /// Whose wording to answer in.
    pub dialect: Dialect,
    /// The bot's state: handlers that change the lifecycle or the conversation write it.
    pub state: &'a mut Bot,
    /// Users and group chats.
    pub world: &'a World,
}

impl Call<'_> {
    /// The bot's own User, as `getMe` shows it.
    pub fn me(&self) -> User {
        let mut user = User::mock_bot(self.bot);
        if let Some(spec) = self.spec {
            if let Some(first_name) = &spec.first_name {
                user.first_name.clone_from(first_name);
            }
            if let Some(username) = &spec.username {
                user.username = Some(username.clone());
            }
        }
        user
    }

    /// Unix time now.
    pub fn date(&self) -> i64 {
        self.clock.unix(self.now)
    }
}

/// What a handler decided.
pub(crate) enum Outcome {
    /// The `result`, serialised once.
    Done(Box<RawValue>),
    /// The `result`, with a `description` beside it (`Webhook was set`, …).
    Described(Box<RawValue>, &'static str),
    /// The `result`, and webhook deliveries to start (the webhook's generation).
    WebhookSet(&'static str, u64),
    /// A long poll to await outside the lock.
    Poll(Poll),
}

/// A handler's answer.
pub(crate) type Result = std::result::Result<Outcome, ApiError>;

/// Serialises a result into a buffer sized for a small object, so it does not grow as it
/// is written. Plain data cannot fail to serialise; `null` stands in if it did.
pub(crate) fn raw<T: serde::Serialize + ?Sized>(value: &T) -> Box<RawValue> {
    let mut json = Vec::with_capacity(256);
    match serde_json::to_writer(&mut json, value) {
        Ok(()) => String::from_utf8(json)
            .ok()
            .and_then(|text| RawValue::from_string(text).ok())
            .unwrap_or_default(),
        Err(_) => Box::default(),
    }
}

/// A finished answer.
pub(crate) fn done<T: serde::Serialize + ?Sized>(value: &T) -> Result {
    Ok(Outcome::Done(raw(value)))
}

macro_rules! table {
    ($($method:ident => $module:ident,)*) => {
        /// Runs `method`, or `None` when the mock does not implement it.
        pub(crate) fn run(method: Method, call: Call<'_>, params: &Params) -> Option<Result> {
            match method {
                $(Method::$method => Some(
                    params
                        .decode()
                        .map_err(|e| ApiError::new(400, format!("Bad Request: {e}")))
                        .and_then(|p| $module::run(call, p)),
                ),)*
                _ => None,
            }
        }

        /// Every Bot API method the mock implements, in table order; every other name is
        /// `404 Not Found: method not found`.
        pub const IMPLEMENTED: &[Method] = &[$(Method::$method,)*];
    };
}

table! {
    GetMe => get_me,
    LogOut => log_out,
    Close => close,
    GetUpdates => get_updates,
    SetWebhook => set_webhook,
    DeleteWebhook => delete_webhook,
    GetWebhookInfo => get_webhook_info,
    SendMessage => send_message,
    ForwardMessage => forward_message,
    CopyMessage => copy_message,
    EditMessageText => edit_message_text,
    EditMessageCaption => edit_message_caption,
    EditMessageReplyMarkup => edit_message_reply_markup,
    DeleteMessage => delete_message,
    SendChatAction => send_chat_action,
    SendLocation => send_location,
    SendContact => send_contact,
    AnswerCallbackQuery => answer_callback_query,
    GetChat => get_chat,
    GetChatMember => get_chat_member,
    GetChatAdministrators => get_chat_administrators,
    GetChatMemberCount => get_chat_member_count,
    GetChatMembersCount => get_chat_member_count,
    LeaveChat => leave_chat,
    AskReview => ask_review,
    InviteUser => invite_user,
    AnswerInlineQuery => answer_inline_query,
    SendInvoice => send_invoice,
    CreateInvoiceLink => create_invoice_link,
    AnswerPreCheckoutQuery => answer_pre_checkout_query,
    InquireTransaction => inquire_transaction,
}

#[cfg(test)]
mod tests {
    use super::IMPLEMENTED;

    /// README's "What it answers" names exactly the implemented methods, so the list cannot
    /// go stale: a method added to the table and not to README (or the other way) fails here.
    #[test]
    fn readme_lists_exactly_the_implemented_methods() {
        let readme = include_str!("../../../../README.md");
        let section = readme
            .split("### What it answers")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("README has a What it answers section");
        let mut listed: Vec<&str> = section
            .lines()
            .filter(|line| line.starts_with("| ") && !line.starts_with("| any other"))
            .filter_map(|line| line.split(" | ").next())
            .flat_map(|cell| cell.split('`').skip(1).step_by(2))
            .filter(|name| name.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric()))
            .collect();
        listed.sort_unstable();
        listed.dedup();
        let mut implemented: Vec<&str> = IMPLEMENTED.iter().map(|m| m.name()).collect();
        implemented.sort_unstable();
        assert_eq!(listed, implemented);
    }
}
