//! Bot API methods: the ones the mock implements ([`Method`]) and the catalogue of every
//! method name Bale is known to serve ([`KNOWN_METHODS`]).
//!
//! The real server lower-cases method names before dispatch, so every lookup here ignores
//! ASCII case: `logout`, `LOGOUT` and `logOut` are the same method.

use std::fmt;

/// A method the mock implements. Anything else is answered
/// `404 Not Found: method not found`, never with a fake success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `getMe`: the bot's own [`crate::User`].
    GetMe,
    /// `logOut`: log the bot out of the cloud server; locks it out for 10 minutes.
    LogOut,
    /// `close`: close the bot instance; 429 in the first 10 minutes after launch.
    Close,
}

impl Method {
    /// Every implemented method.
    pub const ALL: &'static [Method] = &[Method::GetMe, Method::LogOut, Method::Close];

    /// The canonical (documented) spelling of the name.
    pub fn name(self) -> &'static str {
        match self {
            Method::GetMe => "getMe",
            Method::LogOut => "logOut",
            Method::Close => "close",
        }
    }

    /// Looks a method up by name, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL
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

/// Every method name Bale's Bot API is known to serve (wire-facts §1.2: the union of what
/// maintained Bale SDKs call, plus `logOut` and `close`), in canonical spelling. Scenario
/// files may script answers for any of these, implemented or not.
pub const KNOWN_METHODS: &[&str] = &[
    // updates
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    // bot and users
    "getMe",
    "logOut",
    "close",
    "askReview",
    "inviteUser",
    // messages
    "sendMessage",
    "forwardMessage",
    "copyMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "sendChatAction",
    // media
    "sendPhoto",
    "sendAudio",
    "sendDocument",
    "sendVideo",
    "sendAnimation",
    "sendVoice",
    "sendMediaGroup",
    "sendLocation",
    "sendContact",
    "sendSticker",
    "getFile",
    // chats
    "getChat",
    "getChatAdministrators",
    "getChatMember",
    "getChatMembersCount",
    "getChatMemberCount",
    "leaveChat",
    "banChatMember",
    "unbanChatMember",
    "restrictChatMember",
    "promoteChatMember",
    "setChatTitle",
    "setChatDescription",
    "setChatPhoto",
    "deleteChatPhoto",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "createChatInviteLink",
    "exportChatInviteLink",
    "revokeChatInviteLink",
    // payments
    "sendInvoice",
    "createInvoiceLink",
    "answerPreCheckoutQuery",
    "inquireTransaction",
    // stickers
    "uploadStickerFile",
    "createNewStickerSet",
    "addStickerToSet",
    "getStickerSet",
    "deleteStickerFromSet",
];

/// The canonical spelling of a known method name, ignoring ASCII case.
pub fn canonical_name(name: &str) -> Option<&'static str> {
    KNOWN_METHODS
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(name))
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
        assert_eq!(Method::from_name("sendMessage"), None);
        assert_eq!(Method::from_name("getme/extra"), None);
    }

    #[test]
    fn every_implemented_method_is_in_the_catalogue() {
        for method in Method::ALL {
            assert_eq!(canonical_name(method.name()), Some(method.name()));
        }
        assert_eq!(canonical_name("SendPhoto"), Some("sendPhoto"));
        assert_eq!(canonical_name("sendTelepathy"), None);
    }
}
