//! The people and groups every bot shares: users, and the groups, supergroups and channels
//! with their members. What one bot sees of them (its chats, messages and updates) lives
//! with that bot in [`crate::conversation`].
//!
//! One `RwLock` guards the directory. It is a leaf lock: it may be taken while a bot's shard
//! is locked, and nothing else is ever locked while it is held.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bale_api::{BotId, Chat, ChatId, ChatType, User};
use serde::{Deserialize, Serialize};

/// How many users and how many group chats the directory keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorldLimits {
    /// Users (declared, or made on first use).
    pub users: usize,
    /// Groups, supergroups and channels.
    pub chats: usize,
    /// Memberships across every group chat (a member of two chats counts twice).
    pub memberships: usize,
}

impl Default for WorldLimits {
    fn default() -> WorldLimits {
        WorldLimits {
            users: 100_000,
            chats: 10_000,
            memberships: 1_000_000,
        }
    }
}

/// A member's standing in a group chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    /// Made the chat.
    Creator,
    /// An administrator.
    Administrator,
    /// A plain member.
    Member,
    /// A member who may not write.
    Restricted,
    /// Left the chat.
    Left,
    /// Banned from the chat.
    Kicked,
}

impl MemberStatus {
    /// Whether the member is in the chat.
    pub fn is_member(self) -> bool {
        matches!(
            self,
            MemberStatus::Creator
                | MemberStatus::Administrator
                | MemberStatus::Member
                | MemberStatus::Restricted
        )
    }

    /// Whether the member administers the chat.
    pub fn is_admin(self) -> bool {
        matches!(self, MemberStatus::Creator | MemberStatus::Administrator)
    }
}

/// A group, supergroup or channel.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupChat {
    /// The chat as messages show it.
    pub chat: Chat,
    /// The description, if any.
    pub description: Option<String>,
    /// Users and bots by id, with their standing.
    pub members: HashMap<i64, MemberStatus>,
    /// Supergroups and channels number their messages themselves (shared by every bot);
    /// basic groups take ids from each bot's own counter.
    pub next_message_id: i64,
    /// Invite links made by bots, oldest first (at most [`MAX_INVITE_LINKS`]).
    pub invite_links: Vec<InviteLink>,
    /// The chat's photo, as the bot that set it uploaded it.
    pub photo: Option<crate::files::FileInfo>,
}

/// Invite links a chat keeps; making one more forgets the oldest.
pub const MAX_INVITE_LINKS: usize = 100;

/// A chat invite link, as `ChatInviteLink` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLink {
    /// The link.
    pub link: String,
    /// The bot that made it.
    pub creator: BotId,
    /// Whether it is the chat's primary link (`exportChatInviteLink`).
    pub primary: bool,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Its name.
    pub name: Option<String>,
    /// When it expires (Unix time).
    pub expire_date: Option<i64>,
    /// How many may join by it.
    pub member_limit: Option<i64>,
    /// Whether joining needs an administrator's approval.
    pub creates_join_request: bool,
}

impl GroupChat {
    /// Whether message ids come from the chat (supergroups, channels) rather than the bot.
    pub fn numbers_its_messages(&self) -> bool {
        matches!(self.chat.kind, ChatType::Supergroup | ChatType::Channel)
    }

    /// The standing of `id`, if it ever was in the chat.
    pub fn status(&self, id: i64) -> Option<MemberStatus> {
        self.members.get(&id).copied()
    }

    /// The bots in the chat.
    pub fn bots(&self) -> impl Iterator<Item = (BotId, MemberStatus)> + '_ {
        // Bot ids and user ids share one space; the directory knows which are users.
        self.members.iter().map(|(id, status)| (*id, *status))
    }
}

/// Why the directory refused a change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    /// The directory holds as many users as it may.
    #[error("the mock holds {0} users, its limit; reset it or raise the limit")]
    TooManyUsers(usize),
    /// The directory holds as many group chats as it may.
    #[error("the mock holds {0} group chats, its limit; reset it or raise the limit")]
    TooManyChats(usize),
    /// The group chats would hold more members, all told, than they may.
    #[error("the group chats would hold more than {0} members in all, the limit; reset the mock or raise the limit")]
    TooManyMembers(usize),
    /// The id is taken by a user or a chat of another kind.
    #[error("id {0} is already taken")]
    Taken(i64),
    /// An id of the wrong sign or range for its kind.
    #[error("{0}")]
    BadId(String),
}

/// Users and group chats.
#[derive(Debug, Default)]
pub struct Directory {
    users: HashMap<i64, User, foldhash::fast::RandomState>,
    chats: HashMap<ChatId, GroupChat, foldhash::fast::RandomState>,
    next_user: i64,
    next_group: i64,
    next_channel: i64,
}

/// Where made-up ids start: far from the small ids tests like to pick by hand.
const FIRST_USER_ID: i64 = 1_000_000_001;
const FIRST_GROUP_ID: i64 = 4_000_000_001;
const FIRST_CHANNEL_ID: i64 = 1_000_000_001;
/// Supergroup and channel chat ids are `-1000000000000 - channel_id`.
pub const CHANNEL_ID_BASE: i64 = -1_000_000_000_000;

impl Directory {
    /// A user, if known.
    pub fn user(&self, id: i64) -> Option<&User> {
        self.users.get(&id)
    }

    /// A group chat, if known.
    pub fn chat(&self, id: ChatId) -> Option<&GroupChat> {
        self.chats.get(&id)
    }

    /// A group chat to change, if known.
    pub fn chat_mut(&mut self, id: ChatId) -> Option<&mut GroupChat> {
        self.chats.get_mut(&id)
    }

    /// A group chat whose `@username` is `name` (without the `@`).
    pub fn chat_by_username(&self, name: &str) -> Option<&GroupChat> {
        self.chats.values().find(|group| {
            group
                .chat
                .username
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(name))
        })
    }

    /// Every user, by id.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// Adds or replaces a user; with no id, a fresh one is chosen.
    pub fn put_user(&mut self, mut user: User, limits: &WorldLimits) -> Result<User, WorldError> {
        if user.id == 0 {
            user.id = self.fresh_user_id();
        }
        if user.id < 0 {
            return Err(WorldError::BadId(format!(
                "a user id is positive; got {}",
                user.id
            )));
        }
        if !self.users.contains_key(&user.id) && self.users.len() >= limits.users {
            return Err(WorldError::TooManyUsers(limits.users));
        }
        if user.first_name.is_empty() {
            user.first_name = format!("User {}", user.id);
        }
        self.users.insert(user.id, user.clone());
        Ok(user)
    }

    /// The user with this id, made on first use.
    pub fn user_or_new(&mut self, id: i64, limits: &WorldLimits) -> Result<User, WorldError> {
        match self.users.get(&id) {
            Some(user) => Ok(user.clone()),
            None => self.put_user(
                User {
                    id,
                    ..User::default()
                },
                limits,
            ),
        }
    }

    /// Adds a group chat; an id of 0 picks a fresh one of the right form for its type.
    pub fn put_chat(
        &mut self,
        mut group: GroupChat,
        limits: &WorldLimits,
    ) -> Result<GroupChat, WorldError> {
        let kind = group.chat.kind;
        if group.chat.id == 0 {
            group.chat.id = self.fresh_chat_id(kind);
        }
        let id = group.chat.id;
        let well_formed = match kind {
            ChatType::Private => false,
            ChatType::Group => (-999_999_999_999..0).contains(&id),
            ChatType::Supergroup | ChatType::Channel => id < CHANNEL_ID_BASE,
        };
        if !well_formed {
            return Err(WorldError::BadId(format!(
                "{id} is not a {} id: groups are negative, supergroups and channels are -100…",
                kind.name()
            )));
        }
        if !self.chats.contains_key(&id) && self.chats.len() >= limits.chats {
            return Err(WorldError::TooManyChats(limits.chats));
        }
        let others: usize = self
            .chats
            .iter()
            .filter(|(other, _)| **other != id)
            .map(|(_, chat)| chat.members.len())
            .sum();
        if others + group.members.len() > limits.memberships {
            return Err(WorldError::TooManyMembers(limits.memberships));
        }
        if group.next_message_id < 1 {
            group.next_message_id = 1;
        }
        self.chats.insert(id, group.clone());
        Ok(group)
    }

    /// Gives `id` the standing `status` in group chat `chat`, within the cap on memberships
    /// (a new entry counts; changing a standing does not); its old standing, if any.
    pub fn set_member(
        &mut self,
        chat: ChatId,
        id: i64,
        status: MemberStatus,
        limits: &WorldLimits,
    ) -> Result<Option<MemberStatus>, WorldError> {
        let total: usize = self.chats.values().map(|group| group.members.len()).sum();
        let group = self
            .chats
            .get_mut(&chat)
            .ok_or_else(|| WorldError::BadId(format!("no chat {chat}")))?;
        if !group.members.contains_key(&id) && total >= limits.memberships {
            return Err(WorldError::TooManyMembers(limits.memberships));
        }
        Ok(group.members.insert(id, status))
    }

    /// Makes `id` a member of group chat `chat` (whatever it was before), within the cap on
    /// memberships; its old standing, if any.
    pub fn add_member(
        &mut self,
        chat: ChatId,
        id: i64,
        limits: &WorldLimits,
    ) -> Result<Option<MemberStatus>, WorldError> {
        let group = self
            .chats
            .get(&chat)
            .ok_or_else(|| WorldError::BadId(format!("no chat {chat}")))?;
        let old = group.status(id);
        if old.is_some_and(MemberStatus::is_member) {
            return Ok(old);
        }
        self.set_member(chat, id, MemberStatus::Member, limits)
    }

    fn fresh_user_id(&mut self) -> i64 {
        self.next_user = self.next_user.max(FIRST_USER_ID);
        while self.users.contains_key(&self.next_user) {
            self.next_user += 1;
        }
        self.next_user
    }

    fn fresh_chat_id(&mut self, kind: ChatType) -> ChatId {
        loop {
            let id = if kind == ChatType::Group {
                self.next_group = self.next_group.max(FIRST_GROUP_ID) + 1;
                -self.next_group
            } else {
                self.next_channel = self.next_channel.max(FIRST_CHANNEL_ID) + 1;
                CHANNEL_ID_BASE - self.next_channel
            };
            if !self.chats.contains_key(&id) {
                return id;
            }
        }
    }
}

/// The directory behind its lock.
#[derive(Debug, Default)]
pub struct World {
    directory: RwLock<Directory>,
    /// Its caps.
    pub limits: WorldLimits,
}

impl World {
    /// An empty world with these caps.
    pub fn new(limits: WorldLimits) -> World {
        World {
            directory: RwLock::default(),
            limits,
        }
    }

    /// Reads the directory.
    pub fn read(&self) -> RwLockReadGuard<'_, Directory> {
        // Each change is a single insert or field write: a panic cannot leave it half-done.
        self.directory
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the directory.
    pub fn write(&self) -> RwLockWriteGuard<'_, Directory> {
        self.directory
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets everyone.
    pub fn clear(&self) {
        *self.write() = Directory::default();
    }
}
