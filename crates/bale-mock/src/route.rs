//! Routing, apart from transport: a [`RawRequest`] in, an [`Envelope`] out, journaled.
//!
//! The order of the checks is the real server's: HTTP method, path, parameters, token, the
//! bot's instance state, and only then the method name — so an unknown method of a
//! logged-out bot is `400 Logged out`, and of a bad token the token error.

use std::sync::Arc;
use std::time::Duration;

use bale_api::token::parse_bot_id;
use bale_api::{ApiError, BotId, Envelope, Method, Token};
use bytes::Bytes;

use crate::journal::{Journal, JournalEntry};
use crate::methods::{self, Call};
use crate::reply::Reply;
use crate::request::{decode_path, parse_params, parse_target, Params, Target};
use crate::state::{admit, Bots};
use crate::{Clock, Config};

/// A request as read off the wire: what routing needs and nothing else.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// The HTTP method.
    pub http_method: http::Method,
    /// The request target.
    pub uri: http::Uri,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The whole body.
    pub body: Bytes,
}

/// The state of one fake server: configuration, clock, bots and journal. Cheap to share.
#[derive(Debug)]
pub struct Mock {
    config: Config,
    bots: Bots,
    journal: Journal,
}

impl Mock {
    /// A server with no bots seen yet and an empty journal.
    pub fn new(config: Config) -> Arc<Mock> {
        Arc::new(Mock {
            journal: Journal::new(config.journal_capacity),
            bots: Bots::default(),
            config,
        })
    }

    /// The server clock.
    pub fn clock(&self) -> &Clock {
        &self.config.clock
    }

    /// The request journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The configuration this server runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Answers one request and journals it.
    pub async fn handle(&self, request: RawRequest) -> Reply {
        let now = self.config.clock.now();
        let path = decode_path(request.uri.path());
        let target = parse_target(&path);
        let bot = target.as_ref().and_then(|t| parse_bot_id(t.token).ok());
        let path_method = target.as_ref().map_or("", |t| t.method);

        let (envelope, params) = self.answer(&request, target.as_ref(), now).await;

        tracing::debug!(
            bot = ?bot,
            method = %journal_method(path_method),
            status = envelope.http_status(),
            "answered"
        );
        self.journal.record(JournalEntry {
            seq: 0,
            at_ms: u64::try_from(now.as_millis()).unwrap_or(u64::MAX),
            bot_id: bot,
            http_method: request.http_method.to_string(),
            method: journal_method(path_method),
            params: JournalEntry::params_of(&params),
            status: envelope.http_status(),
            description: match &envelope {
                Envelope::Ok(_) => None,
                Envelope::Err(error) => Some(error.description.clone()),
            },
        });
        Reply::api(&envelope)
    }

    /// The answer to a request, and the parameters it was read with.
    async fn answer(
        &self,
        request: &RawRequest,
        target: Option<&Target<'_>>,
        now: Duration,
    ) -> (Envelope, Params) {
        if let Err(error) = check_request_line(request) {
            return (Envelope::Err(error), Params::default());
        }
        let Some(target) = target else {
            return (Envelope::Err(ApiError::not_found()), Params::default());
        };
        let content_type = request.content_type.as_deref();
        let body = request.body.clone();
        let params = match parse_params(request.uri.query(), content_type, body).await {
            Ok(params) => params,
            Err(error) => return (Envelope::Err(error), Params::default()),
        };
        // An empty path method may be given as the `method` parameter instead.
        let method = match target.method {
            "" => params.text("method").unwrap_or_default(),
            method => method,
        };
        (self.dispatch(target.token, method, now), params)
    }

    /// Token, instance state, then the method.
    fn dispatch(&self, token: &str, method: &str, now: Duration) -> Envelope {
        let token = match Token::parse(token) {
            Ok(token) => token,
            Err(reason) => {
                return Envelope::Err(ApiError::token_rejected(self.config.dialect, Some(reason)))
            }
        };
        let bot: BotId = token.bot_id();
        let method = Method::from_name(method);
        let result = self.bots.with(bot, |instance| {
            let launched_at = admit(instance, method == Some(Method::Close), now)?;
            let method = method.ok_or_else(ApiError::method_not_found)?;
            methods::run(
                method,
                Call {
                    bot,
                    now,
                    launched_at,
                    instance,
                },
            )
        });
        match result {
            Ok(value) => Envelope::Ok(value),
            Err(error) => Envelope::Err(error),
        }
    }
}

/// Checks that only depend on the request line.
fn check_request_line(request: &RawRequest) -> Result<(), ApiError> {
    if request.http_method != http::Method::GET && request.http_method != http::Method::POST {
        return Err(ApiError::new(501, "Not Implemented"));
    }
    if request.uri.scheme().is_some() {
        return Err(ApiError::new(
            404,
            "Not Found: absolute URI is specified in the Request-Line",
        ));
    }
    Ok(())
}

/// The method name as logged and journaled. A method segment with a `:` is no method name
/// but most likely a misplaced token (`/bot/<token>/getMe`), so it is never written out.
fn journal_method(method: &str) -> String {
    if method.contains(':') {
        "<redacted>".to_owned()
    } else {
        method.to_owned()
    }
}
