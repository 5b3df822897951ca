//! [`NODE_OPERATIONS`]: the n8n BaleMessenger node's 32 operations, one row each — the
//! resource it files them under, its operation value, the Bot API method, and the item it
//! outputs.
//!
//! Where the node loses data (an un-awaited promise, no output item, the wrong method) the
//! row gives the useful item, or posts to the right method, instead, and says
//! `differs_from_node`; docs/n8n.md lists each difference.

use bale_api::Method;

use super::output::Output;
use Output::{EditedText, Envelope, EnvelopeAs, ResultAs, TrueAs};
use Resource::{Bot, Callback, Chat, File, Message, Payment, Sticker};

/// The node's resources, in its menu's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// getMe, logOut, close.
    Bot,
    /// Answers to callback and inline queries.
    Callback,
    /// Chats and their members.
    Chat,
    /// getFile.
    File,
    /// Sending, editing and deleting messages.
    Message,
    /// sendInvoice.
    Payment,
    /// Sticker files and sets.
    Sticker,
}

impl Resource {
    /// The node's label for it.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Bot => "Bot",
            Resource::Callback => "Callback",
            Resource::Chat => "Chat",
            Resource::File => "File",
            Resource::Message => "Message",
            Resource::Payment => "Payment",
            Resource::Sticker => "Sticker",
        }
    }
}

/// One of the node's operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NodeOperation {
    /// The resource the node files it under.
    pub resource: Resource,
    /// The node's operation value, e.g. `answerQuery`.
    pub node_name: &'static str,
    /// The Bot API method this client posts to.
    pub method: Method,
    /// Other Bot API names accepted for it (newer spellings of the same call).
    pub other_names: &'static [&'static str],
    /// The item it outputs.
    pub output: Output,
    /// Whether this client does something other than the node does (docs/n8n.md says what).
    pub differs_from_node: bool,
}

impl NodeOperation {
    /// Whether `name` (ignoring ASCII case) is the node's value, the method's name, or one
    /// of the other names.
    pub fn is_named(&self, name: &str) -> bool {
        self.names().any(|known| known.eq_ignore_ascii_case(name))
    }

    /// The node's value, the method's name (when different) and the other names.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        let method = self.method.name();
        let method = (method != self.node_name).then_some(method);
        std::iter::once(self.node_name)
            .chain(method)
            .chain(self.other_names.iter().copied())
    }
}

/// A row with no other names.
const fn row(
    resource: Resource,
    node_name: &'static str,
    method: Method,
    output: Output,
    differs_from_node: bool,
) -> NodeOperation {
    NodeOperation {
        resource,
        node_name,
        method,
        other_names: &[],
        output,
        differs_from_node,
    }
}

/// This client does what the node does.
const SAME: bool = false;
/// This client does something else (a node bug it does not copy).
const DIFFERS: bool = true;

/// Every operation of the node, grouped by resource in its menu's order.
#[rustfmt::skip]
pub static NODE_OPERATIONS: [NodeOperation; 32] = [
    row(Bot, "getMe", Method::GetMe, Output::Result, SAME),
    row(Bot, "logOut", Method::LogOut, ResultAs("logged_out"), SAME),
    row(Bot, "close", Method::Close, ResultAs("closed"), SAME),
    // The node sends the text "amir" and turns errors into an item; this client sends the
    // parameters given and reports errors.
    row(Callback, "answerQuery", Method::AnswerCallbackQuery, EnvelopeAs("successful"), DIFFERS),
    row(Callback, "answerInlineQuery", Method::AnswerInlineQuery, ResultAs("successful"), SAME),
    row(Chat, "banChatMember", Method::BanChatMember, ResultAs("banned"), SAME),
    row(Chat, "getChat", Method::GetChat, Output::Result, SAME),
    NodeOperation {
        // Older versions of the node used the newer method name as the value.
        other_names: &["getChatMemberCount"],
        ..row(Chat, "getChatMembersCount", Method::GetChatMembersCount, EnvelopeAs("memberCount"), SAME)
    },
    row(Chat, "leaveChat", Method::LeaveChat, ResultAs("leaved"), SAME),
    row(Chat, "setChatPhoto", Method::SetChatPhoto, EnvelopeAs("set"), SAME),
    // The node never sends only_if_banned.
    row(Chat, "unbanChatMember", Method::UnbanChatMember, ResultAs("unbanned"), DIFFERS),
    row(File, "getFile", Method::GetFile, Output::Result, SAME),
    // The node outputs an un-awaited promise ({}): here the MessageId.
    row(Message, "copyMessage", Method::CopyMessage, ResultAs("messageId"), DIFFERS),
    row(Message, "deleteMessage", Method::DeleteMessage, TrueAs("messageDeleted"), SAME),
    // The node does not await the edit, so its errors are lost: here they are reported.
    row(Message, "editMessageText", Method::EditMessageText, EditedText, DIFFERS),
    // The node outputs an un-awaited promise ({}): here the forwarded Message.
    row(Message, "forwardMessage", Method::ForwardMessage, ResultAs("res"), DIFFERS),
    // The six media sends and the album output nothing in the node: here the Message(s).
    row(Message, "sendAnimation", Method::SendAnimation, Output::Result, DIFFERS),
    row(Message, "sendAudio", Method::SendAudio, Output::Result, DIFFERS),
    row(Message, "sendChatAction", Method::SendChatAction, ResultAs("successful"), SAME),
    // The node sends `reply_markup: true`; this client sends what is given.
    row(Message, "sendContact", Method::SendContact, Envelope, DIFFERS),
    row(Message, "sendDocument", Method::SendDocument, Output::Result, DIFFERS),
    row(Message, "sendLocation", Method::SendLocation, Output::Result, SAME),
    row(Message, "sendMediaGroup", Method::SendMediaGroup, Output::Result, DIFFERS),
    // The node swallows sendMessage's errors (no item): here they are reported.
    row(Message, "sendMessage", Method::SendMessage, Output::Result, DIFFERS),
    row(Message, "sendPhoto", Method::SendPhoto, Output::Result, DIFFERS),
    row(Message, "sendSticker", Method::SendSticker, Output::Result, SAME),
    row(Message, "sendVideo", Method::SendVideo, Output::Result, DIFFERS),
    row(Message, "sendVoice", Method::SendVoice, Output::Result, DIFFERS),
    row(Payment, "sendInvoice", Method::SendInvoice, Envelope, SAME),
    row(Sticker, "uploadSticker", Method::UploadStickerFile, Output::Result, SAME),
    // The node posts the file as JSON (a serialized Buffer): here it is a multipart upload.
    row(Sticker, "createNewStickerSet", Method::CreateNewStickerSet, Envelope, DIFFERS),
    // The node posts to createNewStickerSet: here to addStickerToSet.
    row(Sticker, "addStickerToSet", Method::AddStickerToSet, Envelope, DIFFERS),
];

/// The row named `name` (the node's value or a Bot API name, ignoring ASCII case).
pub fn find(name: &str) -> Option<&'static NodeOperation> {
    NODE_OPERATIONS.iter().find(|row| row.is_named(name))
}
