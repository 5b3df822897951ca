//! The method catalogue: every Bot API method Bale is known to serve, one row each.
//!
//! The rows are the union of what maintained Bale SDKs call (Balethon, python-bale-bot), plus
//! `logOut` and `close`, which the n8n BaleMessenger node calls. Which of them the mock
//! implements is the mock's own table; any other name is answered
//! `404 Not Found: method not found`.
//!
//! The real server lower-cases method names before dispatch, so every lookup here ignores
//! ASCII case: `logout`, `LOGOUT` and `logOut` are the same method.

use std::fmt;

macro_rules! catalogue {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A Bot API method Bale is known to serve.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Method {
            $($(#[$doc])* $variant,)*
        }

        impl Method {
            /// Every method in the catalogue, in catalogue order.
            pub const ALL: &'static [Method] = &[$(Method::$variant,)*];

            /// The canonical (documented) spelling of the name.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Method::$variant => $name,)*
                }
            }
        }
    };
}

catalogue! {
    /// Updates by long polling.
    GetUpdates = "getUpdates",
    /// Sets the webhook updates are delivered to.
    SetWebhook = "setWebhook",
    /// Removes the webhook.
    DeleteWebhook = "deleteWebhook",
    /// The webhook's status.
    GetWebhookInfo = "getWebhookInfo",
    /// The bot's own User.
    GetMe = "getMe",
    /// Logs the bot out of the cloud server; locks it out for 10 minutes.
    LogOut = "logOut",
    /// Closes the bot instance; 429 in the first 10 minutes after launch.
    Close = "close",
    /// Bale only: asks a user to review the bot.
    AskReview = "askReview",
    /// Bale only: invites a user to a chat.
    InviteUser = "inviteUser",
    /// Sends a text message.
    SendMessage = "sendMessage",
    /// Forwards a message.
    ForwardMessage = "forwardMessage",
    /// Copies a message without a link to the original.
    CopyMessage = "copyMessage",
    /// Edits a message's text.
    EditMessageText = "editMessageText",
    /// Edits a message's caption.
    EditMessageCaption = "editMessageCaption",
    /// Edits a message's inline keyboard.
    EditMessageReplyMarkup = "editMessageReplyMarkup",
    /// Deletes a message.
    DeleteMessage = "deleteMessage",
    /// Answers a callback query (an inline button press).
    AnswerCallbackQuery = "answerCallbackQuery",
    /// Answers an inline query.
    AnswerInlineQuery = "answerInlineQuery",
    /// Shows "typing…" and the like.
    SendChatAction = "sendChatAction",
    /// Sends a photo.
    SendPhoto = "sendPhoto",
    /// Sends an audio file.
    SendAudio = "sendAudio",
    /// Sends a document.
    SendDocument = "sendDocument",
    /// Sends a video.
    SendVideo = "sendVideo",
    /// Sends an animation.
    SendAnimation = "sendAnimation",
    /// Sends a voice note.
    SendVoice = "sendVoice",
    /// Sends an album.
    SendMediaGroup = "sendMediaGroup",
    /// Sends a location.
    SendLocation = "sendLocation",
    /// Sends a contact.
    SendContact = "sendContact",
    /// Sends a sticker.
    SendSticker = "sendSticker",
    /// A file's download path.
    GetFile = "getFile",
    /// A chat.
    GetChat = "getChat",
    /// A chat's administrators.
    GetChatAdministrators = "getChatAdministrators",
    /// One member of a chat.
    GetChatMember = "getChatMember",
    /// The number of members (the old name).
    GetChatMembersCount = "getChatMembersCount",
    /// The number of members.
    GetChatMemberCount = "getChatMemberCount",
    /// Leaves a chat.
    LeaveChat = "leaveChat",
    /// Bans a member.
    BanChatMember = "banChatMember",
    /// Unbans a member.
    UnbanChatMember = "unbanChatMember",
    /// Restricts a member.
    RestrictChatMember = "restrictChatMember",
    /// Promotes or demotes a member.
    PromoteChatMember = "promoteChatMember",
    /// Sets a chat's title.
    SetChatTitle = "setChatTitle",
    /// Sets a chat's description.
    SetChatDescription = "setChatDescription",
    /// Sets a chat's photo.
    SetChatPhoto = "setChatPhoto",
    /// Deletes a chat's photo.
    DeleteChatPhoto = "deleteChatPhoto",
    /// Pins a message.
    PinChatMessage = "pinChatMessage",
    /// Unpins a message.
    UnpinChatMessage = "unpinChatMessage",
    /// Unpins every message.
    UnpinAllChatMessages = "unpinAllChatMessages",
    /// Creates an invite link.
    CreateChatInviteLink = "createChatInviteLink",
    /// Exports the primary invite link.
    ExportChatInviteLink = "exportChatInviteLink",
    /// Revokes an invite link.
    RevokeChatInviteLink = "revokeChatInviteLink",
    /// Sends an invoice.
    SendInvoice = "sendInvoice",
    /// Creates an invoice link.
    CreateInvoiceLink = "createInvoiceLink",
    /// Answers a pre-checkout query.
    AnswerPreCheckoutQuery = "answerPreCheckoutQuery",
    /// Bale only: looks a payment transaction up.
    InquireTransaction = "inquireTransaction",
    /// Uploads a sticker file.
    UploadStickerFile = "uploadStickerFile",
    /// Creates a sticker set.
    CreateNewStickerSet = "createNewStickerSet",
    /// Adds a sticker to a set.
    AddStickerToSet = "addStickerToSet",
    /// A sticker set.
    GetStickerSet = "getStickerSet",
    /// Deletes a sticker from its set.
    DeleteStickerFromSet = "deleteStickerFromSet",
    /// `deleteStickerFromSet` under the name Balethon 1.1.0 sends (`deleteStickerToSet`).
    DeleteStickerToSet = "deleteStickerToSet",
}

impl Method {
    /// Looks a method up by name, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Method> {
        // Every request looks its method up: only the names of its length are compared.
        static BY_LEN: std::sync::OnceLock<Vec<Vec<Method>>> = std::sync::OnceLock::new();
        let by_len = BY_LEN.get_or_init(|| {
            let longest = Method::ALL
                .iter()
                .map(|m| m.name().len())
                .max()
                .unwrap_or(0);
            let mut by_len = vec![Vec::new(); longest + 1];
            for method in Method::ALL {
                by_len[method.name().len()].push(*method);
            }
            by_len
        });
        by_len
            .get(name.len())?
            .iter()
            .copied()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The canonical spelling of a known method name, ignoring ASCII case.
pub fn canonical_name(name: &str) -> Option<&'static str> {
    Method::from_name(name).map(Method::name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case() {
        for name in ["logOut", "logout", "LOGOUT", "LogOut"] {
            assert_eq!(Method::from_name(name), Some(Method::LogOut), "{name}");
        }
        assert_eq!(Method::from_name("GETME"), Some(Method::GetMe));
        assert_eq!(Method::from_name("SendPhoto"), Some(Method::SendPhoto));
        assert_eq!(Method::from_name("getme/extra"), None);
        assert_eq!(canonical_name("sendTelepathy"), None);
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        for (i, a) in Method::ALL.iter().enumerate() {
            for b in &Method::ALL[i + 1..] {
                assert!(!a.name().eq_ignore_ascii_case(b.name()), "{a} and {b}");
            }
            assert_eq!(Method::from_name(a.name()), Some(*a));
        }
    }

    /// Every method the maintained Bale SDKs and the n8n BaleMessenger node send is in the
    /// catalogue (so the mock answers it rather than 404). The lists are what their sources
    /// call: Balethon 1.1.0 `auto_execute("…")`, python-bale-bot 2.5.0 `Route(…, "…")` (it
    /// capitalises some), and the node's 32 operations.
    #[test]
    fn every_method_the_sdks_send_is_in_the_catalogue() {
        const BALETHON: &str = "addStickerToSet answerCallbackQuery answerPreCheckoutQuery \
            askReview banChatMember copyMessage createChatInviteLink createInvoiceLink \
            createNewStickerSet deleteChatPhoto deleteMessage deleteStickerToSet deleteWebhook \
            editMessageCaption editMessageReplyMarkup editMessageText exportChatInviteLink \
            forwardMessage getChat getChatAdministrators getChatMember getChatMembersCount \
            getFile getMe getStickerSet getUpdates getWebhookInfo inquireTransaction inviteUser \
            leaveChat pinChatMessage promoteChatMember restrictChatMember revokeChatInviteLink \
            sendAudio sendChatAction sendContact sendDocument sendInvoice sendLocation \
            sendMessage sendPhoto sendSticker sendVideo sendVoice setChatDescription \
            setChatPhoto setChatTitle setWebhook unbanChatMember unpinAllChatMessages \
            unpinChatMessage uploadStickerFile";
        const PYTHON_BALE_BOT: &str = "SendAudio SendMediaGroup SendPhoto banChatMember \
            copyMessage deleteMessage deleteWebhook editMessageCaption editMessageText \
            forwardMessage getChat getChatAdministrators getChatMember getChatMembersCount \
            getMe getUpdates getWebhookInfo inviteUser leaveChat promoteChatMember \
            sendAnimation sendContact sendDocument sendInvoice sendLocation sendMessage \
            sendSticker sendVideo setChatPhoto setWebhook unbanChatMember";
        const N8N_NODE: &str = "getMe logOut close answerCallbackQuery answerInlineQuery \
            banChatMember getChat getChatMembersCount leaveChat setChatPhoto unbanChatMember \
            getFile copyMessage deleteMessage editMessageText forwardMessage sendAnimation \
            sendAudio sendDocument sendPhoto sendVideo sendVoice sendChatAction sendContact \
            sendLocation sendMediaGroup sendMessage sendSticker sendInvoice uploadStickerFile \
            createNewStickerSet addStickerToSet";
        for (sdk, names) in [
            ("Balethon", BALETHON),
            ("python-bale-bot", PYTHON_BALE_BOT),
            ("n8n", N8N_NODE),
        ] {
            for name in names.split_whitespace() {
                assert!(Method::from_name(name).is_some(), "{sdk} sends {name}");
            }
        }
    }
}
