//! What one bot sees: its chats and their messages (edits and deletions kept), its pending
//! updates, its webhook, and the callback queries it was sent. It lives inside the bot's
//! state, under the bot's shard lock.
//!
//! Message ids follow the real server: one counter per bot across its private chats and
//! basic groups, and one per supergroup or channel (kept in the [`crate::world`] directory
//! and shared by every bot in it). The bot keeps at most a configured number of messages;
//! the oldest are forgotten first, after which editing one answers "message to edit not
//! found", as after a deletion.

use std::collections::{BTreeMap, HashMap, VecDeque};

use std::fmt;

use bale_api::{redact, CallbackQuery, Chat, ChatId, Message, Secret, WebhookInfo};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::SplitMix64;
use serde::Serialize;
use tokio::sync::watch;

use crate::inbox::{Inbox, DEFAULT_QUEUE_CAPACITY};
use crate::payments::Payments;

/// Caps on what one bot keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConversationLimits {
    /// Messages over all its chats; the oldest are forgotten first.
    pub messages: usize,
    /// Pending updates; more are dropped, as the real server drops them.
    pub updates: usize,
    /// Callback queries remembered for `answerCallbackQuery` and the control API.
    pub callback_queries: usize,
    /// Invoices, and pre-checkout queries (each a transaction), remembered for payments.
    pub payments: usize,
}

impl Default for ConversationLimits {
    fn default() -> ConversationLimits {
        ConversationLimits {
            messages: 100_000,
            updates: DEFAULT_QUEUE_CAPACITY,
            callback_queries: 10_000,
            payments: 10_000,
        }
    }
}

/// Who wrote a message, as the transcript tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    /// The bot.
    Bot,
    /// A user (played by the test).
    User,
}

/// One message as the bot sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stored {
    /// Who wrote it.
    pub sender: Sender,
    /// Whether it was deleted (it stays in the transcript, marked).
    pub deleted: bool,
    /// Its latest version.
    pub message: Message,
}

/// One of a bot's chats, as `GET /__mock/bots/<bot>/chats` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChatSummary {
    /// The chat's id.
    pub id: ChatId,
    /// The chat as its newest message names it (`None` for a chat with no message yet).
    pub chat: Option<Chat>,
    /// How many messages the bot keeps of it, deleted ones included.
    pub messages: usize,
    /// The newest message's id.
    pub last_message_id: Option<i64>,
}

/// A webhook as `setWebhook` left it.
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Where updates go. Bots often put their token in it (`…/bot<token>`).
    pub url: String,
    /// Sent as `X-Telegram-Bot-Api-Secret-Token`, when set.
    pub secret_token: Option<Secret>,
    /// Connections the server may open (1–100).
    pub max_connections: u32,
    /// A fixed IP address to connect to, if given.
    pub ip_address: Option<String>,
    /// Whether a certificate was uploaded.
    pub has_custom_certificate: bool,
    /// Changes with every `setWebhook`, so an old delivery task knows to stop.
    pub generation: u64,
}

/// Written by hand so that a token in the URL does not show.
impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &redact::token_like(&self.url))
            .field("secret_token", &self.secret_token)
            .field("max_connections", &self.max_connections)
            .field("ip_address", &self.ip_address)
            .field("has_custom_certificate", &self.has_custom_certificate)
            .field("generation", &self.generation)
            .finish()
    }
}

/// How the bot answered a callback query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallbackAnswer {
    /// The notification text.
    pub text: Option<String>,
    /// Whether it is an alert.
    pub show_alert: bool,
    /// A URL to open.
    pub url: Option<String>,
    /// Seconds the client may cache the answer.
    pub cache_time: i64,
}

/// A callback query and its answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallbackRecord {
    /// The query as sent.
    pub callback_query: CallbackQuery,
    /// Whether the bot answered.
    pub answered: bool,
    /// Its answer.
    pub answer: Option<CallbackAnswer>,
    /// When it was sent (server clock): it can be answered for 150 s.
    #[serde(skip)]
    pub sent_at: std::time::Duration,
}

/// Pins a bot keeps per chat; pinning one more unpins the oldest.
pub const MAX_PINS: usize = 100;

/// The maps' hasher: keyed per map (ids come from requests), and cheaper than SipHash.
type Keyed = foldhash::fast::RandomState;

/// One bot's view of its conversations.
#[derive(Debug)]
pub struct Conversation {
    limits: ConversationLimits,
    next_message_id: i64,
    /// Boxed: a B-tree leaf holds room for eleven entries, and a message is large, so a
    /// chat of one message would otherwise cost kilobytes.
    chats: HashMap<ChatId, BTreeMap<i64, Box<Stored>>, Keyed>,
    /// Every kept message in arrival order, for eviction.
    order: VecDeque<(ChatId, i64)>,
    /// Pending updates.
    pub inbox: Inbox,
    /// The webhook, when one is set.
    pub webhook: Option<Webhook>,
    /// The last delivery failure: when (Unix time) and why.
    pub last_error: Option<(i64, String)>,
    /// When a webhook was last set (server clock): at most one a second.
    pub last_webhook_set: Option<std::time::Duration>,
    webhook_generation: u64,
    callbacks: HashMap<String, CallbackRecord, Keyed>,
    callback_order: VecDeque<String>,
    /// Pinned messages by chat, oldest first (at most [`MAX_PINS`] a chat): in a basic group
    /// each bot numbers the messages itself, so each keeps its own view of the pins.
    pins: HashMap<ChatId, Vec<i64>, Keyed>,
    /// Invoices and pre-checkout queries.
    pub payments: Payments,
    rng: SplitMix64,
    /// Bumped on every new update and every change of a message, so that long polls and
    /// transcript waits wake without polling.
    activity: watch::Sender<u64>,
}

impl Conversation {
    /// A bot with no chats; `seed` makes its update and query ids reproducible.
    pub fn new(limits: ConversationLimits, seed: u64) -> Conversation {
        Conversation {
            limits,
            next_message_id: 1,
            chats: HashMap::default(),
            order: VecDeque::new(),
            inbox: Inbox::new(limits.updates),
            webhook: None,
            last_error: None,
            last_webhook_set: None,
            webhook_generation: 0,
            callbacks: HashMap::default(),
            callback_order: VecDeque::new(),
            pins: HashMap::default(),
            payments: Payments::new(limits.payments),
            rng: SplitMix64::seed_from_u64(seed),
            activity: watch::Sender::new(0),
        }
    }

    /// Pins `message` in `chat` (again: it becomes the newest pin).
    pub fn pin(&mut self, chat: ChatId, message: i64) {
        let pins = self.pins.entry(chat).or_default();
        pins.retain(|pinned| *pinned != message);
        pins.push(message);
        if pins.len() > MAX_PINS {
            pins.remove(0);
        }
    }

    /// Unpins `message`, or the newest pin when `None`; the message unpinned, if any.
    pub fn unpin(&mut self, chat: ChatId, message: Option<i64>) -> Option<i64> {
        let pins = self.pins.get_mut(&chat)?;
        let at = match message {
            Some(message) => pins.iter().position(|pinned| *pinned == message)?,
            None => pins.len().checked_sub(1)?,
        };
        Some(pins.remove(at))
    }

    /// Unpins everything in `chat`.
    pub fn unpin_all(&mut self, chat: ChatId) {
        self.pins.remove(&chat);
    }

    /// The newest pin in `chat`.
    pub fn pinned(&self, chat: ChatId) -> Option<i64> {
        self.pins.get(&chat)?.last().copied()
    }

    /// A receiver woken by the next change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.activity.subscribe()
    }

    /// Wakes everyone waiting for a change.
    pub fn touch(&self) {
        self.activity.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A draw from the bot's seeded generator (invite link codes and the like).
    pub fn draw(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// The first update id of a fresh queue: random in `[2 000 001, 1 000 000 000]`, like
    /// tdlib's `TQueue`.
    pub fn draw_first_update_id(&mut self) -> i64 {
        2_000_001 + (self.rng.next_u64() % 999_998_000) as i64
    }

    /// A fresh callback query id: a decimal int64, as the real server sends it.
    pub fn draw_query_id(&mut self) -> String {
        (self.rng.next_u64() >> 1).to_string()
    }

    /// Whether the bot has a chat with this id (a private chat exists once the user wrote).
    pub fn knows_chat(&self, chat: ChatId) -> bool {
        self.chats.contains_key(&chat)
    }

    /// Every chat the bot has, by id, each with the chat as its newest message names it.
    pub fn chats(&self) -> Vec<ChatSummary> {
        let mut chats: Vec<ChatSummary> = self
            .chats
            .iter()
            .map(|(&id, log)| ChatSummary {
                id,
                chat: log
                    .values()
                    .next_back()
                    .and_then(|s| s.message.chat.clone()),
                messages: log.len(),
                last_message_id: log.keys().next_back().copied(),
            })
            .collect();
        chats.sort_by_key(|chat| chat.id);
        chats
    }

    /// Opens a chat with no messages (a scenario's declared private chat).
    pub fn open_chat(&mut self, chat: ChatId) {
        self.chats.entry(chat).or_default();
    }

    /// The next id from the bot's own counter (private chats and basic groups).
    pub fn next_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    /// Keeps a message, forgetting the oldest one beyond the cap.
    pub fn store(&mut self, sender: Sender, message: Message) {
        let chat = message.chat.as_ref().map_or(0, |c| c.id);
        let id = message.message_id;
        let replaced = self.chats.entry(chat).or_default().insert(
            id,
            Box::new(Stored {
                sender,
                deleted: false,
                message,
            }),
        );
        if replaced.is_none() {
            self.order.push_back((chat, id));
        }
        while self.order.len() > self.limits.messages {
            if let Some((chat, id)) = self.order.pop_front() {
                if let Some(log) = self.chats.get_mut(&chat) {
                    log.remove(&id);
                }
            }
        }
        self.touch();
    }

    /// A kept, not deleted message.
    pub fn message(&self, chat: ChatId, id: i64) -> Option<&Stored> {
        self.chats
            .get(&chat)?
            .get(&id)
            .map(|stored| &**stored)
            .filter(|stored| !stored.deleted)
    }

    /// A kept, not deleted message to change; call [`Conversation::touch`] after.
    pub fn message_mut(&mut self, chat: ChatId, id: i64) -> Option<&mut Stored> {
        self.chats
            .get_mut(&chat)?
            .get_mut(&id)
            .map(|stored| &mut **stored)
            .filter(|stored| !stored.deleted)
    }

    /// The chat's messages after `after`, in order, deleted ones included.
    pub fn transcript(&self, chat: ChatId, after: i64) -> Vec<Stored> {
        self.chats.get(&chat).map_or_else(Vec::new, |log| {
            log.range(after.saturating_add(1)..)
                .map(|(_, stored)| Stored::clone(stored))
                .collect()
        })
    }

    /// Remembers a callback query sent to the bot, forgetting the oldest beyond the cap.
    pub fn remember_query(&mut self, query: CallbackQuery, now: std::time::Duration) {
        let id = query.id.clone();
        self.callbacks.insert(
            id.clone(),
            CallbackRecord {
                callback_query: query,
                answered: false,
                answer: None,
                sent_at: now,
            },
        );
        self.callback_order.push_back(id);
        while self.callback_order.len() > self.limits.callback_queries {
            if let Some(old) = self.callback_order.pop_front() {
                self.callbacks.remove(&old);
            }
        }
    }

    /// A callback query sent to the bot.
    pub fn query(&self, id: &str) -> Option<&CallbackRecord> {
        self.callbacks.get(id)
    }

    /// A callback query to answer.
    pub fn query_mut(&mut self, id: &str) -> Option<&mut CallbackRecord> {
        self.callbacks.get_mut(id)
    }

    /// Sets (or, with `None`, removes) the webhook; the last error is forgotten either way,
    /// as `getWebhookInfo` shows after a change.
    pub fn set_webhook(&mut self, webhook: Option<Webhook>) -> u64 {
        self.webhook_generation += 1;
        self.webhook = webhook.map(|w| Webhook {
            generation: self.webhook_generation,
            ..w
        });
        self.last_error = None;
        self.touch();
        self.webhook_generation
    }

    /// `getWebhookInfo`'s answer.
    pub fn webhook_info(&self) -> WebhookInfo {
        let (last_error_date, last_error_message) = match &self.last_error {
            Some((date, message)) => (Some(*date), Some(message.clone())),
            None => (None, None),
        };
        let webhook = self.webhook.as_ref();
        WebhookInfo {
            url: webhook.map(|w| w.url.clone()).unwrap_or_default(),
            has_custom_certificate: webhook.is_some_and(|w| w.has_custom_certificate),
            pending_update_count: self.inbox.len() as u64,
            last_error_date,
            last_error_message,
            max_connections: webhook.map(|w| w.max_connections),
            ip_address: webhook.map(|w| {
                w.ip_address
                    .clone()
                    .unwrap_or_else(|| "127.0.0.1".to_owned())
            }),
            allowed_updates: self.inbox.allowed.names(),
        }
    }

    /// What `logOut` forgets: pending updates and the webhook.
    pub fn log_out(&mut self) {
        self.inbox.clear();
        self.set_webhook(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bale_api::Chat;

    fn message(chat: ChatId, id: i64) -> Message {
        Message {
            message_id: id,
            chat: Some(Chat {
                id: chat,
                title: None,
                first_name: Some("A".into()),
                last_name: None,
                username: None,
                kind: bale_api::ChatType::Private,
                all_members_are_administrators: None,
            }),
            ..Message::default()
        }
    }

    #[test]
    fn the_oldest_messages_are_forgotten_beyond_the_cap() {
        let limits = ConversationLimits {
            messages: 2,
            ..ConversationLimits::default()
        };
        let mut conversation = Conversation::new(limits, 1);
        for id in 1..=3 {
            conversation.store(Sender::User, message(5, id));
        }
        assert!(conversation.message(5, 1).is_none());
        assert!(conversation.message(5, 3).is_some());
        assert_eq!(conversation.transcript(5, 0).len(), 2);
    }

    #[test]
    fn first_update_ids_are_in_tdlibs_range_and_reproducible() {
        let mut a = Conversation::new(ConversationLimits::default(), 42);
        let mut b = Conversation::new(ConversationLimits::default(), 42);
        let id = a.draw_first_update_id();
        assert!((2_000_001..=1_000_000_000).contains(&id));
        assert_eq!(id, b.draw_first_update_id());
    }
}
