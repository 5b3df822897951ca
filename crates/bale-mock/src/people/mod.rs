//! Playing the users: what a test does to the world — declare users and chats, write to a
//! bot, press its inline buttons, queue any update — and what it reads back (a chat as the
//! bot sees it, how the bot answered a button). The control API and [`crate::MockServer`]
//! both call these.

mod spec;

use spec::Content;
pub use spec::{
    ButtonPress, ChatSpec, From, MemberSpec, Pressed, UserDocument, UserMessage, UserPhoto, Written,
};

use std::time::Duration;

use bale_api::text::find_entities;
use bale_api::{BotId, CallbackQuery, Chat, ChatId, ChatType, Message, User};
use serde::Serialize;

use crate::conversation::{CallbackRecord, Sender, Stored};
use crate::files::FileKind;
use crate::route::Mock;
use crate::scenario::Scenario;
use crate::world::{GroupChat, MemberStatus, WorldError};
use crate::{markup, media};

/// Why the world refused what a test asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// Something named does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// The request cannot be done as asked (400).
    #[error("{0}")]
    Refused(String),
    /// A cap was reached, or an id is malformed (400).
    #[error(transparent)]
    World(#[from] WorldError),
}

impl PlayError {
    /// The HTTP status the control API answers it with.
    pub fn status(&self) -> u16 {
        match self {
            PlayError::NotFound(_) => 404,
            PlayError::Refused(_) | PlayError::World(_) => 400,
        }
    }
}

/// Puts a scenario's users and chats in place.
pub(crate) fn populate(mock: &Mock, scenario: &Scenario) {
    for user in &scenario.users {
        if let Err(error) = mock.put_user(user.clone()) {
            tracing::warn!(%error, "scenario user not added");
        }
    }
    for chat in &scenario.chats {
        if let Err(error) = mock.put_chat(chat.clone()) {
            tracing::warn!(%error, "scenario chat not added");
        }
    }
}

impl Mock {
    /// Declares (or replaces) a user; an id of 0 picks a fresh one.
    pub fn put_user(&self, user: User) -> Result<User, PlayError> {
        let user = User {
            is_bot: false,
            ..user.plain()
        };
        Ok(self.world().write().put_user(user, &self.world().limits)?)
    }

    /// Declares a chat with its members. A private chat opens the user's chat with each
    /// named bot, as if the user had written first.
    pub fn put_chat(&self, spec: ChatSpec) -> Result<Chat, PlayError> {
        let limits = self.world().limits;
        if spec.kind == ChatType::Private {
            let id = spec.user.or(spec.id).ok_or_else(|| {
                PlayError::Refused("a private chat names its user: \"user\": <id>".into())
            })?;
            let user = self.world().write().user_or_new(id, &limits)?;
            for bot in spec.bots.iter().filter_map(|b| b.bot.or(b.id)) {
                self.bots()
                    .with(bot, |state| state.conversation.open_chat(id));
            }
            return Ok(Chat::private(&user));
        }
        let title = spec
            .title
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| PlayError::Refused("a group chat needs a \"title\"".into()))?;
        let mut members = std::collections::HashMap::new();
        let mut directory = self.world().write();
        for member in &spec.members {
            let id = member
                .user
                .or(member.id)
                .ok_or_else(|| PlayError::Refused("each of \"members\" names a \"user\"".into()))?;
            directory.user_or_new(id, &limits)?;
            members.insert(id, member.status);
        }
        for member in &spec.bots {
            let id = member
                .bot
                .or(member.id)
                .ok_or_else(|| PlayError::Refused("each of \"bots\" names a \"bot\"".into()))?;
            members.insert(id, member.status);
        }
        let chat = Chat {
            id: spec.id.unwrap_or(0),
            title: Some(title),
            first_name: None,
            last_name: None,
            username: spec
                .username
                .clone()
                .filter(|_| spec.kind != ChatType::Group),
            kind: spec.kind,
            all_members_are_administrators: (spec.kind == ChatType::Group).then_some(false),
        };
        let group = directory.put_chat(
            GroupChat {
                chat,
                description: spec.description.clone(),
                members,
                next_message_id: 1,
                invite_links: Vec::new(),
                photo: None,
            },
            &limits,
        )?;
        Ok(group.chat)
    }

    /// A user writes to a bot: the message is kept in the bot's view of the chat and queued
    /// as an update (a leading `/command` gets its `bot_command` entity).
    pub fn user_writes(&self, bot: BotId, written: UserMessage) -> Result<Written, PlayError> {
        let content = written.content()?;
        let limits = self.world().limits;
        let chat_id = written.chat.unwrap_or(written.from);
        let (user, chat, chat_message_id, bot_standing) = {
            let mut directory = self.world().write();
            let user = directory.user_or_new(written.from, &limits)?;
            if chat_id > 0 {
                if chat_id != written.from {
                    return Err(PlayError::Refused(format!(
                        "user {} writes in their own private chat, whose id is {}; \
                         group chats are negative",
                        written.from, written.from
                    )));
                }
                (user.clone(), Chat::private(&user), None, None)
            } else {
                let group = directory
                    .chat_mut(chat_id)
                    .ok_or_else(|| PlayError::NotFound(format!("no chat {chat_id}")))?;
                if !group
                    .status(written.from)
                    .is_some_and(MemberStatus::is_member)
                {
                    return Err(PlayError::Refused(format!(
                        "user {} is not a member of chat {chat_id}",
                        written.from
                    )));
                }
                let standing = group.status(bot).filter(|s| s.is_member()).ok_or_else(|| {
                    PlayError::Refused(format!("bot {bot} is not a member of chat {chat_id}"))
                })?;
                let id = group.numbers_its_messages().then(|| {
                    let id = group.next_message_id;
                    group.next_message_id += 1;
                    id
                });
                (user, group.chat.clone(), id, Some(standing))
            }
        };
        let now = self.clock().now();
        let date = self.clock().unix(now);
        let me = self.me(bot);
        self.bots().with(bot, |state| {
            let conversation = &mut state.conversation;
            let reply_to_message = match written.reply_to_message_id {
                Some(id) => {
                    let stored = conversation.message(chat.id, id).ok_or_else(|| {
                        PlayError::NotFound(format!("no message {id} in chat {}", chat.id))
                    })?;
                    let mut replied = stored.message.clone();
                    replied.reply_to_message = None;
                    Some(Box::new(replied))
                }
                None => None,
            };
            let said = match &content {
                Content::Text(text) => text.as_str(),
                Content::File(_, caption) => caption.as_deref().unwrap_or_default(),
            };
            let entities = find_entities(said);
            // Privacy mode: in groups a bot sees commands, replies to it, mentions of it,
            // and everything once it is an administrator.
            let sees = chat.kind == ChatType::Private
                || bot_standing.is_some_and(MemberStatus::is_admin)
                || entities.iter().any(|e| e.kind == "bot_command")
                || reply_to_message
                    .as_ref()
                    .is_some_and(|r| r.from.as_ref().is_some_and(|f| f.id == bot))
                || me
                    .username
                    .as_ref()
                    .is_some_and(|name| said.contains(&format!("@{name}")));
            conversation.open_chat(chat.id);
            let message_id = match chat_message_id {
                Some(id) => id,
                None => conversation.next_message_id(),
            };
            let mut message = Message {
                message_id,
                from: Some(user.plain()),
                chat: Some(chat.clone()),
                date,
                reply_to_message,
                ..Message::default()
            };
            match content {
                Content::Text(text) => {
                    message.text = Some(text);
                    message.entities = entities;
                }
                Content::File(file, caption) => {
                    // The bot's server holds what its users send, seen by the bot or not.
                    let kind = file.kind;
                    let file = self.files().put(bot, file);
                    match kind {
                        FileKind::Photo => message.photo = media::photo(&file),
                        _ => message.document = Some(media::document(&file)),
                    }
                    message.caption = caption.filter(|c| !c.is_empty());
                    if message.caption.is_some() {
                        message.caption_entities = entities;
                    }
                }
            }
            if !sees {
                return Ok(Written {
                    message,
                    update_id: None,
                });
            }
            conversation.store(Sender::User, message.clone());
            let update_id = push(conversation, "message", &message, now);
            Ok(Written { message, update_id })
        })
    }

    /// A user presses an inline button of a bot's message.
    pub fn press_button(&self, bot: BotId, press: ButtonPress) -> Result<Pressed, PlayError> {
        let limits = self.world().limits;
        let user = self.world().write().user_or_new(press.from, &limits)?;
        let chat = press.chat.unwrap_or(press.from);
        let now = self.clock().now();
        self.bots().with(bot, |state| {
            let conversation = &mut state.conversation;
            let stored = conversation
                .message(chat, press.message_id)
                .ok_or_else(|| {
                    PlayError::NotFound(format!("no message {} in chat {chat}", press.message_id))
                })?;
            let has_button = stored
                .message
                .reply_markup
                .as_ref()
                .is_some_and(|m| markup::callback_data(m).any(|d| d == press.data));
            if !has_button {
                return Err(PlayError::Refused(format!(
                    "message {} has no inline button with callback_data {:?}",
                    press.message_id, press.data
                )));
            }
            let message = stored.message.clone();
            let query = CallbackQuery {
                id: conversation.draw_query_id(),
                from: user.plain(),
                message: Some(message),
                chat_instance: chat_instance(bot, chat),
                data: Some(press.data),
            };
            let callback_query_id = query.id.clone();
            let update_id = push(conversation, "callback_query", &query, now);
            conversation.remember_query(query, now);
            Ok(Pressed {
                callback_query_id,
                update_id,
            })
        })
    }

    /// Queues any update object for a bot, as it is (its `update_id` is replaced).
    pub fn push_update(
        &self,
        bot: BotId,
        update: serde_json::Value,
    ) -> Result<Option<i64>, PlayError> {
        let serde_json::Value::Object(mut fields) = update else {
            return Err(PlayError::Refused("an Update is a JSON object".into()));
        };
        fields.remove("update_id");
        let mut kinds = fields.into_iter();
        let (Some((kind, object)), None) = (kinds.next(), kinds.next()) else {
            return Err(PlayError::Refused(
                "an Update has exactly one field besides update_id, e.g. {\"message\": {…}}".into(),
            ));
        };
        let now = self.clock().now();
        Ok(self.bots().with(bot, |state| {
            push(&mut state.conversation, &kind, &object, now)
        }))
    }

    /// A chat as the bot sees it: messages after `after`, from `from`, in order.
    pub fn transcript(&self, bot: BotId, chat: ChatId, after: i64, from: From) -> Vec<Stored> {
        self.bots().with(bot, |state| {
            let mut messages = state.conversation.transcript(chat, after);
            messages.retain(|stored| from.matches(stored.sender));
            messages
        })
    }

    /// Like [`Mock::transcript`], but waits up to `wait` (real time) for at least one
    /// message; answers early at shutdown.
    pub async fn wait_for_messages(
        &self,
        bot: BotId,
        chat: ChatId,
        after: i64,
        from: From,
        wait: Duration,
    ) -> Vec<Stored> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let mut activity = self
                .bots()
                .with(bot, |state| state.conversation.subscribe());
            let messages = self.transcript(bot, chat, after, from);
            if !messages.is_empty() {
                return messages;
            }
            tokio::select! {
                changed = activity.changed() => if changed.is_err() { return messages },
                () = tokio::time::sleep_until(deadline) => return messages,
                () = self.stopping() => return messages,
            }
        }
    }

    /// A callback query sent to the bot, and how it answered.
    pub fn callback_query(&self, bot: BotId, id: &str) -> Option<CallbackRecord> {
        self.bots()
            .with(bot, |state| state.conversation.query(id).cloned())
    }

    /// The bot's User as getMe shows it (the scenario's names, if it declares the bot).
    pub fn me(&self, bot: BotId) -> User {
        let mut user = User::mock_bot(bot);
        if let Some(spec) = self.engine().scenario().bot(bot) {
            if let Some(name) = &spec.first_name {
                user.first_name.clone_from(name);
            }
            if spec.username.is_some() {
                user.username.clone_from(&spec.username);
            }
        }
        user
    }
}

/// Queues an update object, returning its id (none if filtered or the queue is full).
pub(crate) fn push<T: Serialize>(
    conversation: &mut crate::conversation::Conversation,
    kind: &str,
    object: &T,
    now: Duration,
) -> Option<i64> {
    let json = serde_json::to_string(object).ok()?;
    let first = conversation.draw_first_update_id();
    let id = conversation.inbox.push(kind, &json, now, || first);
    conversation.touch();
    id
}

/// A stable per-bot, per-chat token, like the real server's `chat_instance`.
fn chat_instance(bot: BotId, chat: ChatId) -> String {
    let mixed = (bot as u64 ^ (chat as u64).rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed as i64).to_string()
}
