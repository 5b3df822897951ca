//! The browser console at `/__mock/console/`: a page and its scripts and style, built into
//! the binary (no CDN, no network), that use the ordinary control API — the live journal
//! (`GET /__mock/journal/events`), bots, chats and the play-the-user routes. `docs/console.md`
//! describes it.
//!
//! The files hold no data and no secret, so they are served without the control token (the
//! page asks for it, keeps it in `sessionStorage` and sends it with every call); every other
//! rule of [`crate::control_access`] holds for them. Each is sent with a strict
//! `Content-Security-Policy`: the page runs its own scripts and talks to its own origin only.

use bytes::Bytes;

use crate::control::error;
use crate::reply::{Headers, Reply};

/// The headers of every console file.
const HEADERS: Headers = &[
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-cache"),
];

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Each file: its name under `/__mock/console/` (the page is `""`), type and content.
const FILES: &[(&str, &str, &str)] = &[
    ("", HTML, include_str!("../console/index.html")),
    ("style.css", CSS, include_str!("../console/style.css")),
    ("app.js", JS, include_str!("../console/app.js")),
    ("api.js", JS, include_str!("../console/api.js")),
    ("journal.js", JS, include_str!("../console/journal.js")),
    ("bots.js", JS, include_str!("../console/bots.js")),
    ("chats.js", JS, include_str!("../console/chats.js")),
];

/// Whether `path` (as requested, before the trailing slash is trimmed) is a console file's.
pub(crate) fn is_console(path: &str) -> bool {
    path == "/__mock/console" || path.starts_with("/__mock/console/")
}

/// The console file `name` (`""` for the page).
pub(crate) fn file(name: &str) -> Reply {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some(&(_, content_type, content)) => Reply {
            content_type,
            headers: Some(&HEADERS),
            ..Reply::file(Bytes::from_static(content.as_bytes()))
        },
        None => error(404, format!("the console has no file {name:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_served_with_its_type_and_the_policy() {
        for (name, content_type, content) in FILES {
            let reply = file(name);
            assert_eq!(reply.status, 200, "{name}");
            assert_eq!(reply.content_type, *content_type);
            assert_eq!(reply.body.len(), content.len());
            let headers = reply.headers.copied().unwrap_or_default();
            assert!(headers.iter().any(|(h, _)| *h == "content-security-policy"));
        }
        assert_eq!(file("nope.js").status, 404);
    }

    /// The page names no other host: it works offline and leaks nothing.
    #[test]
    fn no_file_loads_anything_from_another_host() {
        for (name, _, content) in FILES {
            for scheme in ["http://", "https://", "//cdn", "ws://"] {
                assert!(!content.contains(scheme), "{name} names {scheme}");
            }
        }
    }

    #[test]
    fn console_paths() {
        assert!(is_console("/__mock/console"));
        assert!(is_console("/__mock/console/app.js"));
        assert!(!is_console("/__mock/consoles"));
        assert!(!is_console("/__mock/journal"));
    }
}
