//! Downloads at `/file/bot<token>/<file>`: the bytes of a file the bot has, by `file_path`
//! or by `file_id`.

use std::time::Duration;

use bale_api::{ApiError, BotId, Envelope, Secret};

use super::{check_request_line, journal_method, micros, Credentials, Mock, DOWNLOAD};
use crate::journal::JournalEntry;
use crate::reply::Reply;
use crate::scenario::UnknownTokens;
use crate::RawRequest;

/// The token and the file a download path names: `/file/bot<token>/<file>`.
#[cfg(test)]
pub(super) fn download_target<'p>(
    paths: &matchit::Router<super::Endpoint>,
    path: &'p str,
) -> Option<(Secret<&'p str>, &'p str)> {
    match super::route(paths, path) {
        super::Routed::Download(token, file) => Some((token, file)),
        _ => None,
    }
}

impl Mock {
    /// Answers `/file/bot<token>/<file>`: the bytes of the file the bot has under that
    /// `file_path` or `file_id`, else 404 `Not Found` (tdlib's answer to every path it does
    /// not serve) — for an unknown token, another bot's file or a forgotten one alike. A
    /// download launches no bot and passes no scenario rule; it is journaled as
    /// `<download>` with the file it asked for, never the token or the bytes.
    pub(super) fn download(
        &self,
        request: &RawRequest,
        token: Secret<&str>,
        file: &str,
        now: Duration,
    ) -> Reply {
        let started = std::time::Instant::now();
        let credentials = Credentials::read(token);
        let found = check_request_line(request).ok().and_then(|()| {
            let _step = self.step();
            let bot = self.owner(&credentials)?;
            self.files.download(bot, file)
        });
        let (reply, status, description) = match found {
            Some((_, bytes)) => (Reply::file(bytes), 200, None),
            None => {
                let error = match check_request_line(request) {
                    Err(error) => error,
                    Ok(()) => ApiError::not_found(),
                };
                let description = error.description.clone();
                let status = error.error_code;
                (
                    Reply::api(&Envelope::<()>::Err(error)),
                    status,
                    Some(description),
                )
            }
        };
        let raw = credentials.raw.expose();
        let file = serde_json::Value::String(journal_method(file, raw));
        let params = [("file", file)].into_iter().collect();
        self.journal.record(JournalEntry {
            seq: self.journal.reserve(),
            at_ms: u64::try_from(now.as_millis()).unwrap_or(u64::MAX),
            bot_id: credentials.bot,
            http_method: request.http_method.clone(),
            method: DOWNLOAD.to_owned(),
            params,
            status: Some(status),
            description,
            rule: None,
            fault: None,
            latency_us: micros(started.elapsed()),
        });
        reply
    }

    /// The bot a download's token names, if the token is that bot's: well formed, the
    /// scenario's for a declared bot, and the one the bot was first seen with.
    fn owner(&self, credentials: &Credentials<'_>) -> Option<BotId> {
        let bot = credentials.checked.ok()?;
        let engine = self.engine();
        let scenario = engine.scenario();
        match scenario.bot(bot) {
            Some(spec) if spec.token.expose() != credentials.raw.expose() => return None,
            None if scenario.unknown_tokens == UnknownTokens::Reject => return None,
            _ => {}
        }
        self.bots
            .with_existing(bot, |state| state.holds(credentials.raw.expose()))
            .filter(|holds| *holds)
            .map(|_| bot)
    }
}
