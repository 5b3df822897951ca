//! One file per Bot API method, and [`run`]'s table: one row per implemented method. A
//! method the table does not name answers `404 Not Found: method not found`.
//!
//! Each handler reads its own parameter struct (see [`crate::decode`]) and runs inside the
//! bot's state lock with everything it needs in a [`Call`]. It answers at once
//! ([`Outcome::Done`]) or, for a long poll, with a wait that the router awaits after every
//! lock is released ([`Outcome::Poll`]).

mod add_sticker_to_set;
mod answer_callback_query;
mod answer_inline_query;
mod answer_pre_checkout_query;
mod ask_review;
mod ban_chat_member;
mod close;
mod copy_message;
mod create_chat_invite_link;
mod create_invoice_link;
mod create_new_sticker_set;
mod delete_chat_photo;
mod delete_message;
mod delete_sticker_from_set;
mod delete_webhook;
mod edit_message_caption;
mod edit_message_reply_markup;
mod edit_message_text;
mod export_chat_invite_link;
mod forward_message;
mod get_chat;
mod get_chat_administrators;
mod get_chat_member;
mod get_chat_member_count;
mod get_file;
mod get_me;
mod get_sticker_set;
mod get_updates;
mod get_webhook_info;
mod inquire_transaction;
mod invite_link;
mod invite_user;
mod leave_chat;
mod log_out;
mod pin_chat_message;
mod promote_chat_member;
mod restrict_chat_member;
mod revoke_chat_invite_link;
mod send_animation;
mod send_audio;
mod send_chat_action;
mod send_contact;
mod send_document;
mod send_invoice;
mod send_location;
mod send_media_group;
mod send_message;
mod send_photo;
mod send_sticker;
mod send_video;
mod send_voice;
mod set_chat_description;
mod set_chat_photo;
mod set_chat_title;
mod set_webhook;
mod sticker_input;
mod unban_chat_member;
mod unpin_all_chat_messages;
mod unpin_chat_message;
mod upload;
mod upload_sticker_file;

use std::time::Duration;

use bale_api::{ApiError, BotId, Dialect, Method, User};
use serde_json::value::RawValue;

use crate::files::Files;
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
    /// The request's parameters as read: the files it uploads.
    pub request: &'a Params,
    /// Every bot's files.
    pub files: &'a Files,
    /// Every sticker set.
    pub stickers: &'a crate::stickers::StickerSets,
}

impl Call<'_> {
    /// The bot's own User, as `getMe` shows it (kept in the bot's state by the router).
    pub fn me(&self) -> User {
        match &self.state.me {
            Some(me) => me.clone(),
            None => bot_user(self.bot, self.spec),
        }
    }

    /// Unix time now.
    pub fn date(&self) -> i64 {
        self.clock.unix(self.now)
    }
}

/// The bot's own User: the mock's names for its id, or the scenario's.
pub(crate) fn bot_user(bot: BotId, spec: Option<&BotSpec>) -> User {
    let mut user = User::mock_bot(bot);
    if let Some(spec) = spec {
        if let Some(first_name) = &spec.first_name {
            user.first_name.clone_from(first_name);
        }
        if let Some(username) = &spec.username {
            user.username = Some(username.clone());
        }
    }
    user
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
    /// The whole `{"ok":true,"result":…}` body ([`done`], a bot's cached getMe).
    Body(bytes::Bytes),
}

/// A handler's answer.
pub(crate) type Result = std::result::Result<Outcome, ApiError>;

/// Serialises a result: serde_json's own output, so it is taken as JSON without being
/// parsed again. Plain data cannot fail to serialise; `null` stands in if it did.
pub(crate) fn raw<T: serde::Serialize + ?Sized>(value: &T) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_default()
}

/// A finished answer, serialised whole (`{"ok":true,"result":…}`) into one buffer: no
/// result serialised apart and copied in.
pub(crate) fn done<T: serde::Serialize + ?Sized>(value: &T) -> Result {
    let body = bale_api::Envelope::Ok(value).to_bytes();
    Ok(Outcome::Body(bytes::Bytes::from(body)))
}

macro_rules! table {
    ($($method:ident => $module:ident,)*) => {
        /// Runs `method`. The match has no catch-all: a method added to the catalogue does
        /// not build until its handler is in this table.
        pub(crate) fn run(method: Method, call: Call<'_>, params: &Params) -> Result {
            match method {
                $(Method::$method => params
                    .decode()
                    .map_err(|e| ApiError::new(400, format!("Bad Request: {e}")))
                    .and_then(|p| $module::run(call, p)),)*
            }
        }

        /// Every Bot API method the mock implements (the whole catalogue), in table order;
        /// every other name is `404 Not Found: method not found`.
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
    SendPhoto => send_photo,
    SendDocument => send_document,
    SendAudio => send_audio,
    SendVideo => send_video,
    SendVoice => send_voice,
    SendAnimation => send_animation,
    SendSticker => send_sticker,
    SendMediaGroup => send_media_group,
    GetFile => get_file,
    BanChatMember => ban_chat_member,
    UnbanChatMember => unban_chat_member,
    RestrictChatMember => restrict_chat_member,
    PromoteChatMember => promote_chat_member,
    SetChatTitle => set_chat_title,
    SetChatDescription => set_chat_description,
    PinChatMessage => pin_chat_message,
    UnpinChatMessage => unpin_chat_message,
    UnpinAllChatMessages => unpin_all_chat_messages,
    ExportChatInviteLink => export_chat_invite_link,
    CreateChatInviteLink => create_chat_invite_link,
    RevokeChatInviteLink => revoke_chat_invite_link,
    SetChatPhoto => set_chat_photo,
    DeleteChatPhoto => delete_chat_photo,
    UploadStickerFile => upload_sticker_file,
    CreateNewStickerSet => create_new_sticker_set,
    AddStickerToSet => add_sticker_to_set,
    GetStickerSet => get_sticker_set,
    DeleteStickerFromSet => delete_sticker_from_set,
    DeleteStickerToSet => delete_sticker_from_set,
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
