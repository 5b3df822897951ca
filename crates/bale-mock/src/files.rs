//! The file store: every file a bot uploaded or was sent, with its bytes, shared by the
//! server and bounded by a byte budget and a count (`--limit file-bytes`, `--limit files`);
//! beyond either, the least recently used file is forgotten, and asking for it then answers
//! as the real server does for a file it cannot fetch.
//!
//! A file belongs to one bot: its `file_id` names that bot, and another bot asking for it is
//! answered as if the id were unknown. A `file_id` looks like Telegram's: base64url of a
//! type byte (`BQAC…` for a document, `AgAC…` for a photo), the owner, the file's number
//! and a check keyed by a per-server secret, so ids are not guessed from one another. Numbers
//! are never reused, even across a reset, so an old id never names a newer file.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};

use bale_api::BotId;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;

/// The largest file `getFile` hands out (`MAX_DOWNLOAD_FILE_SIZE`, 20 MiB).
pub const MAX_DOWNLOAD_LEN: usize = 20 << 20;

/// How much the store keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLimits {
    /// Bytes of file content, all bots together.
    pub bytes: usize,
    /// Files, all bots together.
    pub files: usize,
}

impl Default for FileLimits {
    fn default() -> FileLimits {
        FileLimits {
            bytes: 256 << 20,
            files: 100_000,
        }
    }
}

/// What a file was sent as: tdlib's file types, which decide the `file_id` prefix, the
/// folder of its `file_path` and which methods may resend it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A photo (`AgAC…`, `photos/`).
    Photo,
    /// A voice note (`AwAC…`, `voice/`).
    Voice,
    /// A video (`BAAC…`, `videos/`).
    Video,
    /// A general file (`BQAC…`, `documents/`).
    Document,
    /// A sticker (`CAAC…`, `stickers/`).
    Sticker,
    /// A music file (`CQAC…`, `music/`).
    Audio,
    /// An animation (`CgAC…`, `animations/`).
    Animation,
}

const KINDS: [FileKind; 7] = [
    FileKind::Photo,
    FileKind::Voice,
    FileKind::Video,
    FileKind::Document,
    FileKind::Sticker,
    FileKind::Audio,
    FileKind::Animation,
];

impl FileKind {
    /// Telegram's file type number, the first byte of a `file_id`.
    fn type_byte(self) -> u8 {
        match self {
            FileKind::Photo => 2,
            FileKind::Voice => 3,
            FileKind::Video => 4,
            FileKind::Document => 5,
            FileKind::Sticker => 8,
            FileKind::Audio => 9,
            FileKind::Animation => 10,
        }
    }

    fn folder(self) -> &'static str {
        match self {
            FileKind::Photo => "photos",
            FileKind::Voice => "voice",
            FileKind::Video => "videos",
            FileKind::Document => "documents",
            FileKind::Sticker => "stickers",
            FileKind::Audio => "music",
            FileKind::Animation => "animations",
        }
    }

    /// The extension a file gets when its name has none the mock keeps.
    fn default_extension(self) -> Option<&'static str> {
        match self {
            FileKind::Photo => Some("jpg"),
            FileKind::Voice => Some("oga"),
            FileKind::Video | FileKind::Animation => Some("mp4"),
            FileKind::Sticker => Some("webp"),
            FileKind::Audio => Some("mp3"),
            FileKind::Document => None,
        }
    }

    /// tdlib's name for it, as errors quote it (`can't use file of type Document as Photo`).
    pub fn td_name(self) -> &'static str {
        match self {
            FileKind::Photo => "Photo",
            FileKind::Voice => "VoiceNote",
            FileKind::Video => "Video",
            FileKind::Document => "Document",
            FileKind::Sticker => "Sticker",
            FileKind::Audio => "Audio",
            FileKind::Animation => "Animation",
        }
    }

    /// Whether a file of this kind may be sent as `wanted`: tdlib keeps photos apart from
    /// every document-like kind, and lets those stand in for one another.
    pub fn fits(self, wanted: FileKind) -> bool {
        (self == FileKind::Photo) == (wanted == FileKind::Photo)
    }
}

/// A file to keep.
#[derive(Clone, Debug)]
pub struct NewFile {
    /// What it is sent as.
    pub kind: FileKind,
    /// The name the sender gave.
    pub file_name: Option<String>,
    /// Its MIME type.
    pub mime_type: Option<String>,
    /// Width and height in pixels, when known (or invented, for a bot's photo).
    pub dimensions: (u32, u32),
    /// The content.
    pub bytes: Bytes,
}

/// What the server knows of a kept file (its bytes stay in the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// The bot-specific identifier.
    pub file_id: String,
    /// The short identifier.
    pub file_unique_id: String,
    /// What it was first sent as.
    pub kind: FileKind,
    /// Size in bytes.
    pub size: usize,
    /// Where the bot downloads it: `documents/file_3.txt`.
    pub file_path: String,
    /// The name the sender gave.
    pub file_name: Option<String>,
    /// Its MIME type.
    pub mime_type: Option<String>,
    /// Width and height in pixels, when known.
    pub dimensions: (u32, u32),
}

/// Why a `file_id` names no file of the asking bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not a file id at all (not base64url, wrong length or type).
    #[error("invalid file_id")]
    Invalid,
    /// Shaped right, but not a file this bot has: never was, another bot's, or forgotten.
    #[error("wrong file_id or the file is temporarily unavailable")]
    Unavailable,
}

/// The store; see the module documentation.
#[derive(Debug)]
pub struct Files {
    limits: FileLimits,
    /// Keys the check in every `file_id`.
    secret: RandomState,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// By file number.
    entries: HashMap<u64, Entry>,
    /// `(owner, file_path)` → file number.
    paths: HashMap<(BotId, String), u64>,
    /// Last use → file number: the first is the least recently used.
    recency: BTreeMap<u64, u64>,
    /// Each owner's next `file_N` and how many files it has: gone with its last file, so
    /// this map is no larger than `entries`.
    owners: HashMap<BotId, Owner>,
    bytes: usize,
    /// The last file number given; never reset.
    last_number: u64,
    /// The last use tick.
    tick: u64,
}

#[derive(Debug)]
struct Entry {
    info: FileInfo,
    owner: BotId,
    bytes: Bytes,
    used: u64,
}

#[derive(Debug, Default)]
struct Owner {
    next_path: u64,
    files: usize,
}

/// Length of a decoded `file_id`: type, two fixed bytes and a pad, owner, number, check.
const ID_LEN: usize = 4 + 8 + 8 + 4;

impl Files {
    /// An empty store bounded by `limits`.
    pub fn new(limits: FileLimits) -> Files {
        Files {
            limits,
            secret: RandomState::new(),
            inner: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every file (a reset); numbers go on.
    pub fn clear(&self) {
        let mut inner = self.lock();
        let last_number = inner.last_number;
        *inner = Inner {
            last_number,
            ..Inner::default()
        };
    }

    /// Files kept and their bytes.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }

    /// Keeps `file` for `owner` and returns what the bot is told of it. The least recently
    /// used files are forgotten to make room; a file larger than the whole budget is not
    /// kept at all (asking for it later answers as for a forgotten one).
    pub fn put(&self, owner: BotId, file: NewFile) -> FileInfo {
        // A copy, so that a file kept does not keep the whole request it came in alive (its
        // bytes are a slice of the request body) and the budget counts what is held.
        let bytes = Bytes::copy_from_slice(&file.bytes);
        let mut inner = self.lock();
        inner.last_number += 1;
        let number = inner.last_number;
        let file_id = self.file_id(file.kind, owner, number);
        let file_unique_id = format!("AQAD{}", URL_SAFE_NO_PAD.encode(number.to_le_bytes()));
        let fits = bytes.len() <= self.limits.bytes && self.limits.files > 0;
        // A file not kept gets no counter of its own: its path is never looked up.
        let path_number = if fits {
            let entry = inner.owners.entry(owner).or_default();
            entry.next_path += 1;
            entry.next_path - 1
        } else {
            0
        };
        let info = FileInfo {
            file_id,
            file_unique_id,
            kind: file.kind,
            size: bytes.len(),
            file_path: file_path(file.kind, path_number, file.file_name.as_deref()),
            file_name: file.file_name,
            mime_type: file.mime_type,
            dimensions: file.dimensions,
        };
        if !fits {
            return info;
        }
        while !inner.entries.is_empty()
            && (inner.entries.len() >= self.limits.files
                || inner.bytes + bytes.len() > self.limits.bytes)
        {
            inner.evict_least_recently_used();
        }
        inner.tick += 1;
        let used = inner.tick;
        inner.recency.insert(used, number);
        inner.bytes += bytes.len();
        inner.paths.insert((owner, info.file_path.clone()), number);
        inner.owners.entry(owner).or_default().files += 1;
        inner.entries.insert(
            number,
            Entry {
                info: info.clone(),
                owner,
                bytes,
                used,
            },
        );
        info
    }

    /// The file `file_id` names, if `owner` has it; a use, for the eviction order.
    pub fn find(&self, owner: BotId, file_id: &str) -> Result<FileInfo, FileError> {
        let number = self.decode(file_id)?;
        let mut inner = self.lock();
        let entry = inner
            .entries
            .get(&number)
            .filter(|e| e.owner == owner && e.info.file_id == file_id)
            .ok_or(FileError::Unavailable)?;
        let info = entry.info.clone();
        inner.touch(number);
        Ok(info)
    }

    /// A download: the file of `owner` whose `file_path` or `file_id` is `name`, and its
    /// bytes (shared, not copied).
    pub fn download(&self, owner: BotId, name: &str) -> Option<(FileInfo, Bytes)> {
        let mut inner = self.lock();
        let number = match inner.paths.get(&(owner, name.to_owned())) {
            Some(number) => *number,
            None => {
                let number = self.decode(name).ok()?;
                let entry = inner.entries.get(&number)?;
                (entry.owner == owner && entry.info.file_id == name).then_some(number)?
            }
        };
        let entry = inner.entries.get(&number)?;
        let found = (entry.info.clone(), entry.bytes.clone());
        inner.touch(number);
        Some(found)
    }

    fn file_id(&self, kind: FileKind, owner: BotId, number: u64) -> String {
        let mut raw = [0u8; ID_LEN];
        raw[..4].copy_from_slice(&[kind.type_byte(), 0, 2, 0]);
        raw[4..12].copy_from_slice(&owner.to_le_bytes());
        raw[12..20].copy_from_slice(&number.to_le_bytes());
        let check = self.check(&raw[..20]);
        raw[20..].copy_from_slice(&check);
        URL_SAFE_NO_PAD.encode(raw)
    }

    fn check(&self, head: &[u8]) -> [u8; 4] {
        let hash = self.secret.hash_one(head);
        let [a, b, c, d, ..] = hash.to_le_bytes();
        [a, b, c, d]
    }

    /// The file number in a `file_id`, checked: `Invalid` for what is no file id at all,
    /// `Unavailable` for a well-formed one this server did not make.
    fn decode(&self, file_id: &str) -> Result<u64, FileError> {
        let raw = URL_SAFE_NO_PAD
            .decode(file_id)
            .map_err(|_| FileError::Invalid)?;
        let raw: [u8; ID_LEN] = raw.try_into().map_err(|_| FileError::Invalid)?;
        if !KINDS.iter().any(|k| k.type_byte() == raw[0]) || raw[1..4] != [0, 2, 0] {
            return Err(FileError::Invalid);
        }
        if raw[20..] != self.check(&raw[..20]) {
            return Err(FileError::Unavailable);
        }
        let mut number = [0u8; 8];
        number.copy_from_slice(&raw[12..20]);
        Ok(u64::from_le_bytes(number))
    }
}

impl Inner {
    fn touch(&mut self, number: u64) {
        self.tick += 1;
        let tick = self.tick;
        if let Some(entry) = self.entries.get_mut(&number) {
            self.recency.remove(&entry.used);
            entry.used = tick;
            self.recency.insert(tick, number);
        }
    }

    fn evict_least_recently_used(&mut self) {
        let Some((_, number)) = self.recency.pop_first() else {
            return;
        };
        let Some(entry) = self.entries.remove(&number) else {
            return;
        };
        self.bytes -= entry.bytes.len();
        self.paths.remove(&(entry.owner, entry.info.file_path));
        if let Some(owner) = self.owners.get_mut(&entry.owner) {
            owner.files -= 1;
            if owner.files == 0 {
                self.owners.remove(&entry.owner);
            }
        }
    }
}

/// `documents/file_3.txt`: the kind's folder, the owner's counter, and the extension of the
/// sender's file name when it is a short run of letters and digits (never a path of its
/// own), else the kind's usual one.
fn file_path(kind: FileKind, number: u64, file_name: Option<&str>) -> String {
    let extension = file_name
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, extension)| extension)
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .or_else(|| kind.default_extension().map(str::to_owned));
    match extension {
        Some(extension) => format!("{}/file_{number}.{extension}", kind.folder()),
        None => format!("{}/file_{number}", kind.folder()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(name: &str, content: &'static [u8]) -> NewFile {
        NewFile {
            kind: FileKind::Document,
            file_name: Some(name.into()),
            mime_type: None,
            dimensions: (0, 0),
            bytes: Bytes::from_static(content),
        }
    }

    #[test]
    fn ids_paths_and_owners() {
        let files = Files::new(FileLimits::default());
        let a = files.put(7, document("a.TXT", b"hello"));
        let b = files.put(7, document("../../etc/passwd", b"x"));
        let photo = files.put(
            8,
            NewFile {
                kind: FileKind::Photo,
                ..document("p", b"jpeg")
            },
        );
        assert!(a.file_id.starts_with("BQAC"), "{}", a.file_id);
        assert!(photo.file_id.starts_with("AgAC"), "{}", photo.file_id);
        assert_eq!(a.file_path, "documents/file_0.txt");
        assert_eq!(b.file_path, "documents/file_1");
        assert_eq!(photo.file_path, "photos/file_0.jpg");
        assert_eq!(files.find(7, &a.file_id), Ok(a.clone()));
        assert_eq!(files.find(8, &a.file_id), Err(FileError::Unavailable));
        assert_eq!(files.find(7, "nonsense!"), Err(FileError::Invalid));
        assert_eq!(files.find(7, ""), Err(FileError::Invalid));
        // A well-formed id with a wrong check is no file of this server.
        let mut forged = URL_SAFE_NO_PAD.decode(&a.file_id).unwrap();
        forged[23] ^= 1;
        let forged = URL_SAFE_NO_PAD.encode(forged);
        assert_eq!(files.find(7, &forged), Err(FileError::Unavailable));
        let (info, bytes) = files.download(7, "documents/file_0.txt").unwrap();
        assert_eq!((info, &bytes[..]), (a.clone(), &b"hello"[..]));
        assert_eq!(files.download(7, &a.file_id).unwrap().1, bytes);
        assert!(files.download(8, "documents/file_0.txt").is_none());
        assert!(files.download(8, &a.file_id).is_none());
    }

    #[test]
    fn the_least_recently_used_file_goes_first() {
        let files = Files::new(FileLimits {
            bytes: 10,
            files: 100,
        });
        let a = files.put(1, document("a", b"aaaa"));
        let b = files.put(1, document("b", b"bbbb"));
        files.find(1, &a.file_id).unwrap();
        let c = files.put(1, document("c", b"cccc"));
        assert_eq!(files.find(1, &b.file_id), Err(FileError::Unavailable));
        assert!(files.find(1, &a.file_id).is_ok());
        assert!(files.find(1, &c.file_id).is_ok());
        assert_eq!(files.usage(), (2, 8));
        // Too big for the whole budget: not kept, nothing else evicted.
        let huge = files.put(1, document("h", b"0123456789ab"));
        assert_eq!(files.find(1, &huge.file_id), Err(FileError::Unavailable));
        assert_eq!(files.usage(), (2, 8));
    }

    #[test]
    fn the_count_is_bounded_and_owners_are_forgotten_with_their_files() {
        let files = Files::new(FileLimits {
            bytes: 1 << 20,
            files: 2,
        });
        for owner in 0..50 {
            files.put(owner, document("x", b"1"));
        }
        let inner = files.lock();
        assert_eq!(inner.entries.len(), 2);
        assert_eq!(inner.paths.len(), 2);
        assert_eq!(inner.recency.len(), 2);
        assert_eq!(inner.owners.len(), 2);
    }

    #[test]
    fn a_reset_keeps_numbering() {
        let files = Files::new(FileLimits::default());
        let before = files.put(1, document("a", b"a"));
        files.clear();
        assert_eq!(files.find(1, &before.file_id), Err(FileError::Unavailable));
        let after = files.put(1, document("a", b"a"));
        assert_ne!(before.file_id, after.file_id);
        assert_eq!(after.file_path, "documents/file_0");
    }
}
