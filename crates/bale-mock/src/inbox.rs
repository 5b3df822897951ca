//! A bot's update queue, numbered and confirmed the way the real server does it
//! (tdlib `TQueue` and `Client::process_get_updates_query`):
//!
//! - a fresh queue starts at an id drawn in `[2 000 001, 1 000 000 000]`, then counts up by
//!   one per update, whatever its type;
//! - `offset > 0` confirms (deletes) every update below it, unless it is out of range
//!   (above the last id + 11, or more than 100 000 below the head), in which case it is read
//!   as the head and nothing is confirmed; `offset = 0` reads from the head; `offset < 0`
//!   forgets all but the last `|offset|` updates;
//! - updates expire (a day for messages, 150 s for callback queries), and a read skips and
//!   deletes expired ones;
//! - one answer holds at most 4 MiB of updates; the queue holds at most a configured number
//!   of updates, and a push beyond it is dropped silently, as the real server does.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::oneshot;

use bale_api::ApiError;

/// How many updates a queue holds by default (tdlib's limit).
pub const DEFAULT_QUEUE_CAPACITY: usize = 100_000;

/// The most bytes of updates one `getUpdates` answer carries (tdlib: `1 << 22`).
const MAX_ANSWER_BYTES: usize = 1 << 22;

/// The update types a bot may receive, as the real server names them.
pub const UPDATE_TYPES: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// Which update types are delivered: a bit per entry of [`UPDATE_TYPES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllowedUpdates(u32);

impl Default for AllowedUpdates {
    /// Every type except `chat_member`, `message_reaction` and `message_reaction_count`.
    fn default() -> AllowedUpdates {
        let all = (1u32 << UPDATE_TYPES.len()) - 1;
        let off = ["chat_member", "message_reaction", "message_reaction_count"]
            .iter()
            .filter_map(|name| bit(name))
            .fold(0, |mask, b| mask | b);
        AllowedUpdates(all & !off)
    }
}

fn bit(name: &str) -> Option<u32> {
    UPDATE_TYPES
        .iter()
        .position(|known| known.eq_ignore_ascii_case(name))
        .map(|i| 1 << i)
}

impl AllowedUpdates {
    /// The setting an `allowed_updates` parameter asks for, or `None` to keep the previous
    /// one (absent, not JSON, not an array, or an array with a non-string). Unknown names
    /// are ignored; an array of none known is the default.
    pub fn parse(text: &str) -> Option<AllowedUpdates> {
        let names: Vec<String> = serde_json::from_str(text).ok()?;
        let mask = names
            .iter()
            .filter_map(|name| bit(name))
            .fold(0, |mask, b| mask | b);
        Some(if mask == 0 {
            AllowedUpdates::default()
        } else {
            AllowedUpdates(mask)
        })
    }

    /// Whether updates of type `kind` are delivered.
    pub fn allows(self, kind: &str) -> bool {
        bit(kind).is_none_or(|b| self.0 & b != 0)
    }

    /// The names, for `getWebhookInfo` (`None` for the default).
    pub fn names(self) -> Option<Vec<String>> {
        (self != AllowedUpdates::default()).then(|| {
            UPDATE_TYPES
                .iter()
                .enumerate()
                .filter(|(i, _)| self.0 & (1 << i) != 0)
                .map(|(_, name)| (*name).to_owned())
                .collect()
        })
    }
}

/// How long an update of a type is kept (tdlib `Client.cpp` expiry).
pub fn lifetime(kind: &str) -> Duration {
    match kind {
        "callback_query" | "shipping_query" | "pre_checkout_query" => Duration::from_secs(150),
        "inline_query" => Duration::from_secs(30),
        "chosen_inline_result" => Duration::from_secs(600),
        _ => Duration::from_secs(86_400),
    }
}

/// One queued update, serialised once.
#[derive(Clone, Debug)]
struct Queued {
    id: i64,
    /// `{"update_id":N,\n"<kind>":{…}}`, as the real server writes it (newline included).
    json: Bytes,
    expires: Duration,
}

/// A parked long poll, ended early by a conflict.
#[derive(Debug)]
struct Poller {
    generation: u64,
    terminate: oneshot::Sender<ApiError>,
}

/// A bot's pending updates.
#[derive(Debug)]
pub struct Inbox {
    /// The id of the next update; 0 until the first is drawn.
    next_id: i64,
    items: VecDeque<Queued>,
    /// The update types delivered (shared by getUpdates and the webhook, as on the server).
    pub allowed: AllowedUpdates,
    capacity: usize,
    poller: Option<Poller>,
    generation: u64,
}

impl Inbox {
    /// An empty queue holding at most `capacity` updates.
    pub fn new(capacity: usize) -> Inbox {
        Inbox {
            next_id: 0,
            items: VecDeque::new(),
            allowed: AllowedUpdates::default(),
            capacity,
            poller: None,
            generation: 0,
        }
    }

    /// Queues an update of type `kind` whose object is `object_json`, unless its type is not
    /// allowed or the queue is full. `first_id` draws the first id of a fresh queue.
    /// Returns the id it was queued as.
    pub fn push(
        &mut self,
        kind: &str,
        object_json: &str,
        now: Duration,
        first_id: impl FnOnce() -> i64,
    ) -> Option<i64> {
        if !self.allowed.allows(kind) || self.items.len() >= self.capacity {
            return None;
        }
        if self.next_id == 0 {
            self.next_id = first_id();
        }
        let id = self.next_id;
        // tdlib wraps at 2·10⁹; a mock will not get there, but wrapping keeps ids positive.
        self.next_id = if id >= 2_000_000_000 { 1 } else { id + 1 };
        let json = format!("{{\"update_id\":{id},\n\"{kind}\":{object_json}}}");
        self.items.push_back(Queued {
            id,
            json: Bytes::from(json),
            expires: now.saturating_add(lifetime(kind)),
        });
        Some(id)
    }

    /// How many updates wait.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether none wait.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Forgets every pending update.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Confirms by `offset` as `getUpdates` does, then returns up to `limit` updates.
    pub fn read(&mut self, offset: i64, limit: usize, now: Duration) -> Vec<Bytes> {
        self.items.retain(|item| item.expires > now);
        if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let drop = self.items.len().saturating_sub(keep);
            self.items.drain(..drop);
        } else if offset > 0 {
            let head = self.items.front().map_or(self.next_id, |item| item.id);
            let last = self.next_id.saturating_sub(1);
            if offset <= last.saturating_add(11) && offset >= head.saturating_sub(100_000) {
                while self.items.front().is_some_and(|item| item.id < offset) {
                    self.items.pop_front();
                }
            }
        }
        let mut size = 0;
        let mut out = Vec::new();
        for item in self.items.iter().take(limit) {
            size += 50 + item.json.len();
            if size > MAX_ANSWER_BYTES && !out.is_empty() {
                break;
            }
            out.push(item.json.clone());
        }
        out
    }

    /// The oldest pending update, for the webhook: its id and JSON.
    pub fn head(&mut self, now: Duration) -> Option<(i64, Bytes)> {
        self.items.retain(|item| item.expires > now);
        self.items.front().map(|item| (item.id, item.json.clone()))
    }

    /// When the oldest pending update expires.
    pub fn head_expires(&self) -> Option<Duration> {
        self.items.front().map(|item| item.expires)
    }

    /// Removes update `id` once the webhook took it.
    pub fn forget(&mut self, id: i64) {
        self.items.retain(|item| item.id != id);
    }

    /// Parks a long poll: an older parked poll ends with `conflict`. Returns the new poll's
    /// generation and what ends it early.
    pub fn park(&mut self, conflict: ApiError) -> (u64, oneshot::Receiver<ApiError>) {
        self.end_poll(conflict);
        self.generation += 1;
        let (terminate, ended) = oneshot::channel();
        self.poller = Some(Poller {
            generation: self.generation,
            terminate,
        });
        (self.generation, ended)
    }

    /// Ends the parked long poll, if any, with `error`.
    pub fn end_poll(&mut self, error: ApiError) {
        if let Some(old) = self.poller.take() {
            let _ = old.terminate.send(error);
        }
    }

    /// Forgets poll `generation` once it has answered.
    pub fn unpark(&mut self, generation: u64) {
        if self
            .poller
            .as_ref()
            .is_some_and(|p| p.generation == generation)
        {
            self.poller = None;
        }
    }

    /// Whether a long poll is parked.
    pub fn is_polling(&self) -> bool {
        self.poller.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(n: i64) -> Inbox {
        let mut inbox = Inbox::new(10);
        for i in 0..n {
            inbox.push("message", &format!("{{\"n\":{i}}}"), Duration::ZERO, || 100);
        }
        inbox
    }

    fn ids(updates: &[Bytes]) -> Vec<i64> {
        updates
            .iter()
            .map(|json| {
                let value: serde_json::Value = serde_json::from_slice(json).unwrap();
                value["update_id"].as_i64().unwrap()
            })
            .collect()
    }

    #[test]
    fn updates_are_written_as_the_real_server_writes_them() {
        let mut inbox = queue(1);
        assert_eq!(
            inbox.read(0, 100, Duration::ZERO)[0],
            "{\"update_id\":100,\n\"message\":{\"n\":0}}"
        );
    }

    #[test]
    fn offsets_confirm_like_tdlib() {
        let mut inbox = queue(5); // ids 100..=104
        assert_eq!(
            ids(&inbox.read(0, 100, Duration::ZERO)),
            [100, 101, 102, 103, 104]
        );
        assert_eq!(ids(&inbox.read(102, 2, Duration::ZERO)), [102, 103]);
        // 100 and 101 are gone: offset 0 now starts at 102.
        assert_eq!(ids(&inbox.read(0, 100, Duration::ZERO)), [102, 103, 104]);
        // Out of range (above last + 11): read as the head, nothing confirmed.
        assert_eq!(ids(&inbox.read(200, 100, Duration::ZERO)), [102, 103, 104]);
        // The last id itself (python-bale-bot's habit) returns it again.
        assert_eq!(ids(&inbox.read(104, 100, Duration::ZERO)), [104]);
        // Negative: all but the last |offset| are forgotten.
        let mut inbox = queue(5);
        assert_eq!(ids(&inbox.read(-2, 100, Duration::ZERO)), [103, 104]);
        assert_eq!(inbox.len(), 2);
        // last + 1 confirms everything.
        assert!(inbox.read(105, 100, Duration::ZERO).is_empty());
        assert!(inbox.is_empty());
    }

    #[test]
    fn expired_and_filtered_updates_are_not_delivered() {
        let mut inbox = Inbox::new(10);
        inbox.push("callback_query", "{}", Duration::ZERO, || 7);
        inbox.push("message", "{}", Duration::ZERO, || 7);
        assert_eq!(ids(&inbox.read(0, 100, Duration::from_secs(151))), [8]);
        assert_eq!(inbox.push("chat_member", "{}", Duration::ZERO, || 7), None);
        inbox.allowed = AllowedUpdates::parse(r#"["chat_member"]"#).unwrap();
        assert_eq!(inbox.push("message", "{}", Duration::ZERO, || 7), None);
        assert_eq!(
            inbox.push("chat_member", "{}", Duration::ZERO, || 7),
            Some(9)
        );
    }

    #[test]
    fn a_full_queue_drops_new_updates() {
        let mut inbox = queue(10);
        assert_eq!(inbox.push("message", "{}", Duration::ZERO, || 1), None);
        assert_eq!(inbox.len(), 10);
    }

    #[test]
    fn allowed_updates_parse_like_the_server() {
        assert_eq!(AllowedUpdates::parse("[]"), Some(AllowedUpdates::default()));
        assert_eq!(
            AllowedUpdates::parse(r#"["nonsense"]"#),
            Some(AllowedUpdates::default())
        );
        assert_eq!(AllowedUpdates::parse("not json"), None);
        assert_eq!(AllowedUpdates::parse(r#"[1]"#), None);
        let only = AllowedUpdates::parse(r#"["MESSAGE","callback_query"]"#).unwrap();
        assert_eq!(only.names().unwrap(), ["message", "callback_query"]);
        assert_eq!(AllowedUpdates::default().names(), None);
    }
}
