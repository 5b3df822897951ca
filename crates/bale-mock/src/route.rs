//! Routing, apart from transport: a [`RawRequest`] in, a [`Reply`] out, journaled.
//!
//! The order of the checks is the real server's — HTTP method, path, parameters, token, the
//! bot's state, and only then the method name — with the scenario's rules first (a rule may
//! answer anything) and its rate limits after the token check:
//!
//! ```text
//! path → params → rules → token → access → rate limits → instance → method
//! ```

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use bale_api::error::descriptions::LOCAL_RATE_LIMITED;
use bale_api::token::{check as check_token, parse_bot_id};
use bale_api::{ApiError, BotId, Dialect, Envelope, Method, TokenError};
use bytes::Bytes;
use serde_json::value::RawValue;

use crate::control;
use crate::engine::{Engine, RuleRequest};
use crate::fault::Fault;
use crate::journal::{Journal, JournalEntry};
use crate::methods::{self, Call};
use crate::reply::Reply;
use crate::request::{decode_path, parse_params, parse_target, Params, Target};
use crate::scenario::{RateAnswer, Scenario, UnknownTokens};
use crate::state::{admit, Access, Bot, Bots};
use crate::{Clock, Config};

/// A request as read off the wire: what routing needs and nothing else.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// The HTTP method.
    pub http_method: http::Method,
    /// The request target.
    pub uri: http::Uri,
    /// The `Content-Type` header, if any.
    pub content_type: Option<http::HeaderValue>,
    /// The whole body.
    pub body: Bytes,
}

/// The state of one fake server: configuration, clock, scenario, bots and journal.
#[derive(Debug)]
pub struct Mock {
    config: Config,
    engine: RwLock<Arc<Engine>>,
    bots: Bots,
    journal: Journal,
}

/// What was decided for one request, before it becomes a [`Reply`].
struct Decision {
    envelope: Envelope<Box<RawValue>>,
    delay: Duration,
    fault: Option<Fault>,
    /// The rule or rate limit that answered.
    by: Option<String>,
}

impl Decision {
    /// The status and description that went out, as the journal records them: a fault that
    /// replaces the answer replaces them too.
    fn as_sent(&self) -> (Option<u16>, Option<String>) {
        let answer = self.envelope.http_status();
        let description = match &self.envelope {
            Envelope::Ok(_) => None,
            Envelope::Err(error) => Some(error.description.clone()),
        };
        match &self.fault {
            None => (Some(answer), description),
            Some(fault) if fault.keeps_the_answer() => (fault.wire_status(answer), description),
            Some(Fault::ProxyRateLimited) => (Some(429), Some(LOCAL_RATE_LIMITED.to_owned())),
            Some(fault) => (fault.wire_status(answer), None),
        }
    }

    fn refused(error: ApiError) -> Decision {
        Decision {
            envelope: Envelope::Err(error),
            delay: Duration::ZERO,
            fault: None,
            by: None,
        }
    }
}

impl Mock {
    /// A server running `config.scenario`, with its declared bots in their initial states.
    pub fn new(config: Config) -> Arc<Mock> {
        let engine = Engine::new(config.scenario.clone());
        let bots = Bots::default();
        bots.reset(engine.scenario());
        Arc::new(Mock {
            journal: Journal::new(config.journal_capacity),
            engine: RwLock::new(Arc::new(engine)),
            bots,
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

    /// Every bot's state.
    pub fn bots(&self) -> &Bots {
        &self.bots
    }

    /// The configuration this server started with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The running scenario and its counters.
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `scenario` from now on: fresh counters, rule state and buckets, and the bots
    /// reset to its declared states. The journal and the clock go on.
    pub fn load(&self, scenario: Scenario) {
        let engine = Arc::new(Engine::new(scenario));
        self.bots.reset(engine.scenario());
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
    }

    /// Starts the running scenario over and empties the journal.
    pub fn reset(&self) {
        self.load(self.engine().scenario().clone());
        self.journal.clear();
    }

    /// Answers one request and journals it (control requests are not journaled).
    pub async fn handle(&self, request: RawRequest) -> Reply {
        if request.uri.path().starts_with(control::PREFIX) || request.uri.path() == "/__mock" {
            return control::handle(self, &request);
        }
        let now = self.config.clock.now();
        let path = decode_path(request.uri.path());
        let target = parse_target(&path);
        let credentials = target.as_ref().map(|t| Credentials::read(t.token));
        let bot = credentials.as_ref().and_then(|c| c.bot);
        let path_method = target.as_ref().map_or("", |t| t.method);

        let (decision, params) = self
            .answer(&request, target.as_ref(), credentials.as_ref(), now)
            .await;

        let (status, description) = decision.as_sent();
        tracing::debug!(bot = ?bot, method = %journal_method(path_method), ?status, "answered");
        self.journal.record(JournalEntry {
            seq: 0,
            at_ms: u64::try_from(now.as_millis()).unwrap_or(u64::MAX),
            bot_id: bot,
            http_method: request.http_method.clone(),
            method: journal_method(path_method),
            params: JournalEntry::params_of(params),
            status,
            description,
            rule: decision.by,
            fault: decision.fault.as_ref().map(|f| f.name().to_owned()),
        });
        let mut reply = Reply::api(&decision.envelope);
        reply.delay = decision.delay;
        reply.fault = decision.fault;
        reply
    }

    /// The decision for a request, and the parameters it was read with.
    async fn answer(
        &self,
        request: &RawRequest,
        target: Option<&Target<'_>>,
        credentials: Option<&Credentials<'_>>,
        now: Duration,
    ) -> (Decision, Params) {
        if let Err(error) = check_request_line(request) {
            return (Decision::refused(error), Params::default());
        }
        let (Some(target), Some(credentials)) = (target, credentials) else {
            return (Decision::refused(ApiError::not_found()), Params::default());
        };
        let content_type = request
            .content_type
            .as_ref()
            .map(|value| String::from_utf8_lossy(value.as_bytes()));
        let body = request.body.clone();
        let params = match parse_params(request.uri.query(), content_type.as_deref(), body).await {
            Ok(params) => params,
            Err(error) => return (Decision::refused(error), Params::default()),
        };
        // An empty path method may be given as the `method` parameter instead.
        let method = match target.method {
            "" => params.text("method").unwrap_or_default(),
            method => method,
        };
        let decision = self.decide(credentials, method, &params, now);
        (decision, params)
    }

    /// Rules, then the normal checks.
    fn decide(
        &self,
        credentials: &Credentials<'_>,
        method: &str,
        params: &Params,
        now: Duration,
    ) -> Decision {
        let engine = self.engine();
        let (mut delay, mut fault, mut by) = (Duration::ZERO, None, None);
        let hit = engine.match_rules(RuleRequest {
            token: credentials.raw,
            bot: credentials.bot,
            method,
            params,
            now,
        });
        if let Some(hit) = hit {
            let then = &hit.rule.then;
            (delay, fault, by) = (hit.delay, then.fault.clone(), Some(hit.rule.name.clone()));
            if let (Some(state), Some(bot)) = (then.bot_state, credentials.bot) {
                let new = Bot::in_state(state, now.as_secs_f64(), engine.scenario().closing);
                self.bots.with(bot, |slot| {
                    slot.access = new.access;
                    slot.instance = new.instance;
                });
            }
            if let Some(answer) = &then.answer {
                let envelope = match answer {
                    Envelope::Ok(result) => Envelope::Ok(methods::raw(result)),
                    Envelope::Err(error) => Envelope::Err(error.clone()),
                };
                return Decision {
                    envelope,
                    delay,
                    fault,
                    by,
                };
            }
        }
        let envelope = match self.dispatch(&engine, credentials, method, params, now) {
            Ok(result) => Envelope::Ok(result),
            Err(Refusal::Api(error)) => Envelope::Err(error),
            Err(Refusal::RateLimited { limit, error }) => {
                let limit = &engine.scenario().rate_limits[limit];
                by = Some(limit.name.clone());
                match limit.answer {
                    RateAnswer::Json => Envelope::Err(error),
                    // Envoy's plain-text answer has no retry_after anywhere.
                    RateAnswer::BaleProxy => {
                        fault = Some(Fault::ProxyRateLimited);
                        Envelope::Err(ApiError::new(429, LOCAL_RATE_LIMITED))
                    }
                }
            }
        };
        Decision {
            envelope,
            delay,
            fault,
            by,
        }
    }

    /// Token, access, rate limits, instance state, then the method — all under the bot's
    /// one lock, so a refused request never launches the bot.
    fn dispatch(
        &self,
        engine: &Engine,
        credentials: &Credentials<'_>,
        method: &str,
        params: &Params,
        now: Duration,
    ) -> Result<Box<RawValue>, Refusal> {
        let scenario = engine.scenario();
        let server_dialect = scenario.dialect.unwrap_or(self.config.dialect);
        let bot: BotId = credentials
            .checked
            .map_err(|reason| ApiError::token_rejected(server_dialect, Some(reason)))?;
        let spec = scenario.bot(bot);
        let dialect: Dialect = spec.and_then(|s| s.dialect).unwrap_or(server_dialect);
        let rejected = || Refusal::Api(ApiError::token_rejected(dialect, None));
        match spec {
            Some(spec) if spec.token.expose() != credentials.raw => return Err(rejected()),
            None if scenario.unknown_tokens == UnknownTokens::Reject => return Err(rejected()),
            _ => {}
        }
        let implemented = Method::from_name(method);
        let closing = scenario.closing;
        self.bots.with(bot, |state| {
            if !(state.claim(credentials.raw) && state.access == Access::Active) {
                return Err(rejected());
            }
            if let Err(limited) = engine.take(bot, method, params, now) {
                return Err(Refusal::RateLimited {
                    limit: limited.limit,
                    error: ApiError::too_many_requests(limited.retry_after),
                });
            }
            let launched_at = admit(&mut state.instance, implemented == Some(Method::Close), now)?;
            let method = implemented.ok_or_else(ApiError::method_not_found)?;
            let call = Call {
                bot,
                spec,
                now,
                launched_at,
                closing,
                instance: &mut state.instance,
            };
            Ok(methods::run(method, call)?)
        })
    }
}

/// The token of a request, checked once.
struct Credentials<'a> {
    /// As written. A secret: never logged.
    raw: &'a str,
    /// Checked by every rule: the bot id, or why the token is refused.
    checked: Result<BotId, TokenError>,
    /// The bot id it names, when readable (also for a token with a bad secret).
    bot: Option<BotId>,
}

impl<'a> Credentials<'a> {
    fn read(raw: &'a str) -> Credentials<'a> {
        let checked = check_token(raw);
        let bot = match checked {
            Ok(bot) => Some(bot),
            Err(_) => parse_bot_id(raw).ok(),
        };
        Credentials { raw, checked, bot }
    }
}

/// Why the normal checks refused a request.
enum Refusal {
    Api(ApiError),
    RateLimited { limit: usize, error: ApiError },
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Refusal {
        Refusal::Api(error)
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
