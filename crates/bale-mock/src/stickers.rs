//! Sticker sets every bot can read: made by `createNewStickerSet` for a user, grown by
//! `addStickerToSet`, shrunk by `deleteStickerFromSet`. Bounded: at most
//! [`MAX_STICKER_SETS`] sets of at most [`MAX_STICKERS_IN_SET`] stickers.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use bale_api::BotId;

use crate::files::FileInfo;

/// Sets the server keeps; making one more is refused.
pub const MAX_STICKER_SETS: usize = 10_000;

/// Stickers in one set (Telegram's limit for a regular set).
pub const MAX_STICKERS_IN_SET: usize = 120;

/// One sticker set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StickerSet {
    /// Its name, as given.
    pub name: String,
    /// Its title.
    pub title: String,
    /// The bot that made it: the one that may change it.
    pub owner: BotId,
    /// Its stickers, in order, with their emoji.
    pub stickers: Vec<(FileInfo, Option<String>)>,
}

/// Why a change to the sets was refused (its text goes after `Bad Request: `).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StickerError {
    /// No set of that name, or not this bot's (the server's error, passed through).
    #[error("STICKERSET_INVALID")]
    NoSuchSet,
    /// The name is taken.
    #[error("sticker set name is already occupied")]
    Occupied,
    /// The set is full.
    #[error("STICKERS_TOO_MUCH")]
    Full,
    /// The server keeps as many sets as it may.
    #[error("the mock holds {MAX_STICKER_SETS} sticker sets, its limit")]
    TooManySets,
}

/// Every sticker set, by lower-cased name (names are matched ignoring case).
#[derive(Debug, Default)]
pub struct StickerSets(Mutex<HashMap<String, StickerSet>>);

impl StickerSets {
    fn sets(&self) -> std::sync::MutexGuard<'_, HashMap<String, StickerSet>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a new set.
    pub fn create(&self, set: StickerSet) -> Result<(), StickerError> {
        let mut sets = self.sets();
        let key = set.name.to_lowercase();
        if sets.contains_key(&key) {
            return Err(StickerError::Occupied);
        }
        if sets.len() >= MAX_STICKER_SETS {
            return Err(StickerError::TooManySets);
        }
        sets.insert(key, set);
        Ok(())
    }

    /// A copy of the set named `name`.
    pub fn get(&self, name: &str) -> Option<StickerSet> {
        self.sets().get(&name.trim().to_lowercase()).cloned()
    }

    /// Adds a sticker to `bot`'s set `name`.
    pub fn add(
        &self,
        bot: BotId,
        name: &str,
        sticker: (FileInfo, Option<String>),
    ) -> Result<(), StickerError> {
        let mut sets = self.sets();
        let set = sets
            .get_mut(&name.trim().to_lowercase())
            .filter(|set| set.owner == bot)
            .ok_or(StickerError::NoSuchSet)?;
        if set.stickers.len() >= MAX_STICKERS_IN_SET {
            return Err(StickerError::Full);
        }
        set.stickers.push(sticker);
        Ok(())
    }

    /// Removes the sticker `file_id` from whichever of `bot`'s sets holds it.
    pub fn remove(&self, bot: BotId, file_id: &str) -> Result<(), StickerError> {
        let mut sets = self.sets();
        let set = sets
            .values_mut()
            .filter(|set| set.owner == bot)
            .find(|set| set.stickers.iter().any(|(file, _)| file.file_id == file_id))
            .ok_or(StickerError::NoSuchSet)?;
        set.stickers.retain(|(file, _)| file.file_id != file_id);
        Ok(())
    }

    /// Forgets every set.
    pub fn clear(&self) {
        self.sets().clear();
    }
}
