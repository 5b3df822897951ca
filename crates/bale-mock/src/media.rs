//! A kept file as the objects a message carries (`photo`, `document`, `audio`, …), and the
//! MIME type a file is given.
//!
//! The mock decodes no media: a photo's size is read from its header (PNG, JPEG, GIF, WebP,
//! …) or is [`INVENTED_PHOTO_SIZE`] when the header is not an image's; durations and video
//! sizes are what the bot passed.

use bale_api::{Animation, Audio, Document, PhotoSize, Sticker, Video, Voice};

use crate::files::FileInfo;

/// The width and height of a photo whose bytes are not an image the mock recognises (a
/// documented divergence: the real server refuses such a photo).
pub const INVENTED_PHOTO_SIZE: (u32, u32) = (1280, 720);

/// A photo's width and height, from its header alone (no decoding), or
/// [`INVENTED_PHOTO_SIZE`].
pub fn photo_size(bytes: &[u8]) -> (u32, u32) {
    imagesize::blob_size(bytes)
        .ok()
        .and_then(|size| {
            Some((
                u32::try_from(size.width).ok()?,
                u32::try_from(size.height).ok()?,
            ))
        })
        .filter(|&(width, height)| width > 0 && height > 0)
        .unwrap_or(INVENTED_PHOTO_SIZE)
}

fn size(file: &FileInfo) -> Option<u64> {
    u64::try_from(file.size).ok().filter(|size| *size > 0)
}

/// A photo's sizes: one, the file itself (the real server adds smaller thumbnails).
pub fn photo(file: &FileInfo) -> Vec<PhotoSize> {
    let (width, height) = file.dimensions;
    vec![PhotoSize {
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
        width,
        height,
    }]
}

/// A general file.
pub fn document(file: &FileInfo) -> Document {
    Document {
        file_name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// A music file with what the bot said of it.
pub fn audio(
    file: &FileInfo,
    duration: u32,
    title: Option<String>,
    performer: Option<String>,
) -> Audio {
    Audio {
        duration,
        file_name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        title,
        performer,
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// A video with what the bot said of it.
pub fn video(file: &FileInfo, duration: u32, (width, height): (u32, u32)) -> Video {
    Video {
        duration,
        width,
        height,
        file_name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// A voice note.
pub fn voice(file: &FileInfo, duration: u32) -> Voice {
    Voice {
        duration,
        mime_type: file.mime_type.clone(),
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// An animation with what the bot said of it.
pub fn animation(file: &FileInfo, duration: u32, (width, height): (u32, u32)) -> Animation {
    Animation {
        file_name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        duration,
        width,
        height,
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// The width and height every sticker is said to have (Telegram's stickers are 512 on
/// their longer side).
pub const STICKER_SIZE: (u32, u32) = (512, 512);

/// A regular sticker: `.tgs` is animated, `.webm` a video sticker, anything else static.
pub fn sticker(file: &FileInfo, emoji: Option<String>) -> Sticker {
    let extension = file.file_path.rsplit_once('.').map(|(_, e)| e);
    Sticker {
        width: STICKER_SIZE.0,
        height: STICKER_SIZE.1,
        emoji,
        set_name: None,
        is_animated: extension == Some("tgs"),
        is_video: extension == Some("webm"),
        kind: "regular".into(),
        file_id: file.file_id.clone(),
        file_unique_id: file.file_unique_id.clone(),
        file_size: size(file),
    }
}

/// The MIME type of a file: from its name's extension, as tdlib does, else the type the
/// uploader declared (unless it is the uninformative `application/octet-stream`, or a
/// `multipart/…` type, which names a container and never a file's content:
/// python-bale-bot 2.5.0 labels every file part `multipart/form-data`, and the real server,
/// which reads no part's type at all, never answers it).
pub fn mime_type(file_name: &str, declared: Option<&str>) -> Option<String> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    let known = match extension.as_deref() {
        Some("txt") => Some("text/plain"),
        Some("csv") => Some("text/csv"),
        Some("html" | "htm") => Some("text/html"),
        Some("json") => Some("application/json"),
        Some("pdf") => Some("application/pdf"),
        Some("zip") => Some("application/zip"),
        Some("jpg" | "jpeg") => Some("image/jpeg"),
        Some("png") => Some("image/png"),
        Some("gif") => Some("image/gif"),
        Some("webp") => Some("image/webp"),
        Some("mp3") => Some("audio/mpeg"),
        Some("ogg" | "oga" | "opus") => Some("audio/ogg"),
        Some("mp4") => Some("video/mp4"),
        Some("webm") => Some("video/webm"),
        Some("tgs") => Some("application/x-tgsticker"),
        _ => None,
    };
    known.map(str::to_owned).or_else(|| {
        declared
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("application/octet-stream"))
            .filter(|t| {
                !t.get(..10)
                    .is_some_and(|p| p.eq_ignore_ascii_case("multipart/"))
            })
            .filter(|t| t.len() <= 128 && t.bytes().all(|b| b.is_ascii_graphic()))
            .map(str::to_owned)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("a.TXT", None).as_deref(), Some("text/plain"));
        assert_eq!(
            mime_type("a.bin", Some("application/x-thing")).as_deref(),
            Some("application/x-thing")
        );
        assert_eq!(mime_type("a", Some("application/octet-stream")), None);
        assert_eq!(mime_type("a", Some("bad type\r\nx: y")), None);
        assert_eq!(mime_type("a.bin", Some("multipart/form-data")), None);
        assert_eq!(
            mime_type("a.bin", Some("Multipart/Mixed; boundary=x")),
            None
        );
        assert_eq!(
            mime_type("a.txt", Some("multipart/form-data")).as_deref(),
            Some("text/plain")
        );
    }

    #[test]
    fn a_photos_size_comes_from_its_header() {
        // A PNG's signature and IHDR chunk (96 × 48) are all the header there is to read.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&96u32.to_be_bytes());
        png.extend_from_slice(&48u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        assert_eq!(photo_size(&png), (96, 48));
        assert_eq!(photo_size(b"not an image"), INVENTED_PHOTO_SIZE);
        assert_eq!(photo_size(b""), INVENTED_PHOTO_SIZE);
    }
}
