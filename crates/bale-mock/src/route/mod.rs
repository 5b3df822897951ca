//! Routing, apart from transport: a [`RawRequest`] in, a [`Reply`] out, journaled.
//!
//! The order of the checks is the real server's — HTTP method, path, parameters, token, the
//! bot's state, and only then the method name — with the scenario's rules first (a rule may
//! answer anything) and its rate limits after the token check:
//!
//! ```text
//! path → params → rules → token → access → rate limits → instance → method
//! ```

mod download;
mod long_poll;

use std::borrow::Cow;
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

use bale_api::error::descriptions::LOCAL_RATE_LIMITED;
use bale_api::token::{check as check_token, parse_bot_id};
use bale_api::{redact, ApiError, BotId, Dialect, Envelope, Method, Secret, TokenError};
use bytes::Bytes;
use serde_json::value::RawValue;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;

use crate::control;
use crate::engine::{Engine, RuleRequest};
use crate::fault::Fault;
use crate::files::Files;
use crate::journal::{Journal, JournalEntry};
use crate::methods::{self, Call, Outcome, Poll};
pub use crate::raw_request::RawRequest;
use crate::reply::Reply;
use crate::request::{decode_path, parse_params, Params, Target};
use crate::scenario::{RateAnswer, Scenario, UnknownTokens};
use crate::state::{admit, lifecycle, Access, Bots};
use crate::world::World;
use crate::{webhook, Clock, Config};
#[cfg(test)]
use download::download_target;

/// The state of one fake server: configuration, clock, scenario, bots, the world they share,
/// the journal, and the background work (webhook deliveries) it owns.
#[derive(Debug)]
pub struct Mock {
    config: Config,
    /// Held shared by every request's decision and exclusively by a reset or a scenario
    /// load, so that each request sees the state wholly before or wholly after one. Taken
    /// before any other lock.
    epoch: RwLock<()>,
    engine: RwLock<Arc<Engine>>,
    bots: Bots,
    world: World,
    /// Every bot's files.
    files: Files,
    stickers: crate::stickers::StickerSets,
    journal: Journal,
    paths: matchit::Router<Endpoint>,
    /// Turns true when the server shuts down: long polls answer, deliveries stop.
    stopping: watch::Sender<bool>,
    /// Webhook deliveries, drained at shutdown.
    tasks: TaskTracker,
    /// This server, for the tasks it spawns.
    me: Weak<Mock>,
}

/// What a path leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `/bot<token>/<method>`.
    Api,
    /// `/bot<token>/`: the method comes from the `method` parameter.
    ApiNoMethod,
    /// `/bot/<rest>`: an empty token.
    ApiNoToken,
    /// `/__mock/…`: the control API, routed by [`control`].
    Control,
    /// `/file/bot<token>/<file_path or file_id>`: a download.
    Download,
}

pub(crate) fn paths() -> matchit::Router<Endpoint> {
    let mut router = matchit::Router::new();
    for (path, endpoint) in [
        ("/bot{token}/{*method}", Endpoint::Api),
        ("/bot{token}/", Endpoint::ApiNoMethod),
        ("/bot/{*method}", Endpoint::ApiNoToken),
        ("/bot/", Endpoint::ApiNoToken),
        ("/__mock", Endpoint::Control),
        ("/__mock/", Endpoint::Control),
        ("/__mock/{*control}", Endpoint::Control),
        ("/file/bot{token}/{*file}", Endpoint::Download),
    ] {
        // The routes are fixed and known to be valid: a conflict is a bug caught by tests.
        if let Err(error) = router.insert(path, endpoint) {
            tracing::error!(%error, path, "route not added");
        }
    }
    router
}

/// Where a request is going, from its percent-decoded path; `None` is `404 Not Found`.
pub(crate) fn target<'p>(paths: &matchit::Router<Endpoint>, path: &'p str) -> Option<Target<'p>> {
    match route(paths, path) {
        Routed::Api(target) => Some(target),
        _ => None,
    }
}

/// Where a path leads, from one lookup.
pub(crate) enum Routed<'p> {
    /// The Bot API: the token and method.
    Api(Target<'p>),
    /// A download: the token and the file.
    Download(Secret<&'p str>, &'p str),
    /// The control API.
    Control,
    /// Nowhere: `404 Not Found`.
    NotFound,
}

/// Where the percent-decoded `path` leads.
pub(crate) fn route<'p>(paths: &matchit::Router<Endpoint>, path: &'p str) -> Routed<'p> {
    // Nearly every request is `/bot<token>/<method>` with a token: what the table's first
    // two routes match (a token segment, then any rest, even none), found by hand.
    if let Some((token, method)) = path.strip_prefix("/bot").and_then(|r| r.split_once('/')) {
        if !token.is_empty() {
            return Routed::Api(Target {
                token: Secret::new(token),
                method,
            });
        }
    }
    route_by_table(paths, path)
}

/// [`route`] by the route table.
fn route_by_table<'p>(paths: &matchit::Router<Endpoint>, path: &'p str) -> Routed<'p> {
    let Ok(matched) = paths.at(path) else {
        return Routed::NotFound;
    };
    // One pass over the (at most two) parameters rather than a lookup by name for each.
    let (mut token_text, mut method_text, mut file) = ("", "", "");
    for (name, value) in matched.params.iter() {
        match name {
            "token" => token_text = value,
            "method" => method_text = value,
            "file" => file = value,
            _ => {}
        }
    }
    let token = || Secret::new(token_text);
    let method = || method_text;
    match matched.value {
        Endpoint::Api => Routed::Api(Target {
            token: token(),
            method: method(),
        }),
        Endpoint::ApiNoMethod => Routed::Api(Target {
            token: token(),
            method: "",
        }),
        Endpoint::ApiNoToken => Routed::Api(Target {
            token: Secret::default(),
            method: method(),
        }),
        Endpoint::Control => Routed::Control,
        Endpoint::Download => Routed::Download(token(), file),
    }
}

/// Whole microseconds, for the journal.
pub(crate) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// What was decided for one request, before it becomes a [`Reply`].
struct Decision {
    /// The answer; `Ok(None)` when [`Decision::body`] holds it whole.
    envelope: Envelope<Option<Box<RawValue>>>,
    delay: Duration,
    fault: Option<Fault>,
    /// The rule or rate limit that answered.
    by: Option<String>,
    /// A `description` beside a successful result.
    note: Option<&'static str>,
    /// Work left for after every lock is released.
    then: Option<After>,
    /// The journal number taken under the bot's lock, when the request reached it.
    seq: Option<u64>,
    /// The answer's whole body, serialised before (a cached getMe): the envelope is then
    /// `Ok(None)`.
    body: Option<Bytes>,
}

/// A result as a [`Decision`] holds it.
fn some(envelope: Envelope<Box<RawValue>>) -> Envelope<Option<Box<RawValue>>> {
    match envelope {
        Envelope::Ok(result) => Envelope::Ok(Some(result)),
        Envelope::Err(error) => Envelope::Err(error),
    }
}

/// Work a decision leaves for after the locks.
enum After {
    /// Await a long poll for the answer.
    Poll(Poll),
    /// Start delivering to a webhook of this generation.
    Webhook(BotId, u64),
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
        Decision::answer(Envelope::Err(error))
    }

    fn answer(envelope: Envelope<Box<RawValue>>) -> Decision {
        Decision {
            envelope: some(envelope),
            delay: Duration::ZERO,
            fault: None,
            by: None,
            note: None,
            then: None,
            seq: None,
            body: None,
        }
    }
}

impl Mock {
    /// A server running `config.scenario`, with its declared bots in their initial states.
    pub fn new(config: Config) -> Arc<Mock> {
        let engine = Engine::new(config.scenario.clone(), config.max_buckets);
        let bots = Bots::new(config.conversation_limits, config.max_bots);
        let world = World::new(config.world_limits);
        let files = Files::new(config.file_limits);
        Arc::new_cyclic(|me| {
            let mock = Mock {
                journal: Journal::with_live(
                    config.journal_capacity,
                    config.journal_bytes,
                    config.journal_streams,
                    config.journal_stream_backlog,
                ),
                epoch: RwLock::new(()),
                engine: RwLock::new(Arc::new(engine)),
                bots,
                world,
                files,
                stickers: crate::stickers::StickerSets::default(),
                paths: paths(),
                stopping: watch::Sender::new(false),
                tasks: TaskTracker::new(),
                me: me.clone(),
                config,
            };
            mock.populate(mock.engine().scenario());
            mock
        })
    }

    /// The users and group chats every bot shares.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Every bot's files.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Puts the scenario's bots, users, chats and memberships in place, after a reset; the
    /// files and sticker sets of the bots that were are forgotten with them.
    fn populate(&self, scenario: &Scenario) {
        self.bots.reset(scenario);
        self.world.clear();
        self.files.clear();
        self.stickers.clear();
        crate::people::populate(self, scenario);
    }

    /// Starts background work this server owns (webhook deliveries); it is drained at
    /// shutdown.
    pub(crate) fn spawn<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.tasks.spawn(task);
    }

    /// This server, shared: what background tasks hold.
    pub(crate) fn shared(&self) -> Option<Arc<Mock>> {
        self.me.upgrade()
    }

    /// Completes when the server begins to shut down.
    pub async fn stopping(&self) {
        let mut stopping = self.stopping.subscribe();
        // The sender lives as long as the Mock, which outlives every wait on it.
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }

    /// Turns true when the server begins to shut down: for streams that outlive a request.
    pub(crate) fn stopping_signal(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// Tells long polls and deliveries that the server is shutting down.
    pub fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
        self.tasks.close();
    }

    /// Waits for the background work to end.
    pub async fn drained(&self) {
        self.tasks.wait().await;
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
        let _all = self.epoch.write().unwrap_or_else(PoisonError::into_inner);
        self.swap(scenario);
    }

    /// Starts the running scenario over and empties the journal.
    pub fn reset(&self) {
        let _all = self.epoch.write().unwrap_or_else(PoisonError::into_inner);
        self.swap(self.engine().scenario().clone());
        self.journal.clear();
    }

    /// Puts `scenario` in place; the caller holds the epoch exclusively.
    fn swap(&self, scenario: Scenario) {
        let engine = Arc::new(Engine::new(scenario, self.config.max_buckets));
        self.populate(engine.scenario());
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
    }

    /// One step that must not straddle a reset or a scenario load: hold the guard while
    /// reading or changing bots, the world and the engine together. Never held across an
    /// await.
    pub(crate) fn step(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        self.epoch.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers one request and journals it (control requests are not journaled).
    pub async fn handle(&self, request: RawRequest) -> Reply {
        let path = decode_path(request.uri.path());
        let routed = route(&self.paths, &path);
        // The control API is routed on the path as written.
        let control = match path {
            Cow::Borrowed(_) => matches!(routed, Routed::Control),
            Cow::Owned(_) => self
                .paths
                .at(request.uri.path())
                .is_ok_and(|matched| *matched.value == Endpoint::Control),
        };
        if control {
            let scheme = if self.config.tls.is_some() {
                "https"
            } else {
                "http"
            };
            let access = &self.config.control;
            let checked = if crate::console::is_console(request.uri.path()) {
                access.check_page(&request, scheme)
            } else {
                access.check(&request, scheme)
            };
            if let Err(refused) = checked {
                tracing::warn!(peer = ?request.peer, %refused, "control request refused");
                return control::error(403, refused.to_string());
            }
            return control::handle(self, &request).await;
        }
        let started = std::time::Instant::now();
        let now = self.config.clock.now();
        let target = match routed {
            Routed::Api(target) => Some(target),
            Routed::Download(token, file) => return self.download(&request, token, file, now),
            Routed::Control | Routed::NotFound => None,
        };
        let credentials = target.as_ref().map(|t| Credentials::read(t.token));
        let bot = credentials.as_ref().and_then(|c| c.bot);
        let token = credentials.as_ref().map_or("", |c| c.raw.expose());
        let journaled_method = journal_method(target.as_ref().map_or("", |t| t.method), token);

        let (mut decision, params) = self
            .answer(&request, target.as_ref(), credentials.as_ref(), now)
            .await;
        match decision.then.take() {
            Some(After::Poll(poll)) => decision.envelope = some(self.wait(poll).await),
            Some(After::Webhook(bot, generation)) => webhook::start(self, bot, generation),
            None => {}
        }
        // An error may quote a parameter (a link that does not parse), and a parameter may
        // hold the token: neither the answer nor the journal gets it back.
        if let Envelope::Err(error) = &mut decision.envelope {
            if let Cow::Owned(hidden) = redact::known(&error.description, token) {
                error.description = hidden;
            }
        }

        let (status, description) = decision.as_sent();
        tracing::debug!(bot = ?bot, method = %journaled_method, ?status, "answered");
        self.journal.record(JournalEntry {
            // Numbered where the bot's state machine decided, if it got that far: a request
            // that went ahead of another there comes before it here.
            seq: decision.seq.unwrap_or_else(|| self.journal.reserve()),
            at_ms: u64::try_from(now.as_millis()).unwrap_or(u64::MAX),
            bot_id: bot,
            http_method: request.http_method.clone(),
            method: journaled_method,
            params: JournalEntry::params_of(params, token),
            status,
            description,
            rule: decision.by,
            fault: decision.fault.as_ref().map(|f| f.name().to_owned()),
            latency_us: micros(started.elapsed() + decision.delay),
        });
        let mut reply = match (&decision.envelope, decision.note, decision.body) {
            (Envelope::Ok(_), _, Some(body)) => Reply::ok_body(body),
            (Envelope::Ok(Some(result)), Some(note), None) => Reply::described(result, note),
            _ => Reply::api(&decision.envelope),
        };
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
            .headers
            .get(http::header::CONTENT_TYPE)
            .map(|value| match std::str::from_utf8(value.as_bytes()) {
                // The usual case, checked word by word.
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(value.as_bytes()),
            });
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
        let decision = {
            let _step = self.step();
            self.decide(credentials, method, &params, now)
        };
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
                let (access, instance) =
                    lifecycle(state, now.as_secs_f64(), engine.scenario().closing);
                self.bots.with(bot, |slot| {
                    slot.access = access;
                    slot.instance = instance;
                });
            }
            if let Some(answer) = &then.answer {
                let envelope = match answer {
                    Envelope::Ok(result) => Envelope::Ok(methods::raw(result)),
                    Envelope::Err(error) => Envelope::Err(error.clone()),
                };
                return Decision {
                    delay,
                    fault,
                    by,
                    ..Decision::answer(envelope)
                };
            }
        }
        let (mut note, mut after, mut body) = (None, None, None);
        let mut seq = None;
        let envelope = match self.dispatch(&engine, credentials, method, params, now, &mut seq) {
            Ok(Outcome::Done(result)) => Envelope::Ok(Some(result)),
            Ok(Outcome::Described(result, description)) => {
                note = Some(description);
                Envelope::Ok(Some(result))
            }
            Ok(Outcome::WebhookSet(description, generation)) => {
                note = Some(description);
                after = credentials.bot.map(|bot| After::Webhook(bot, generation));
                Envelope::Ok(Some(methods::raw(&true)))
            }
            Ok(Outcome::Poll(poll)) => {
                after = Some(After::Poll(poll));
                Envelope::Ok(Some(methods::raw(&[(); 0])))
            }
            Ok(Outcome::Body(whole)) => {
                body = Some(whole);
                Envelope::Ok(None)
            }
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
            note,
            then: after,
            seq,
            body,
        }
    }

    /// Token, access, rate limits, instance state, then the method — all under the bot's
    /// one lock, so a refused request never launches the bot. The request's journal number
    /// is taken under that lock too (into `seq`), so the journal orders a bot's requests
    /// as its state machine saw them.
    fn dispatch(
        &self,
        engine: &Engine,
        credentials: &Credentials<'_>,
        method: &str,
        params: &Params,
        now: Duration,
        seq: &mut Option<u64>,
    ) -> Result<Outcome, Refusal> {
        let scenario = engine.scenario();
        let server_dialect = scenario.dialect.unwrap_or(self.config.dialect);
        let bot: BotId = credentials
            .checked
            .map_err(|reason| ApiError::token_rejected(server_dialect, Some(reason)))?;
        let spec = scenario.bot(bot);
        let dialect: Dialect = spec.and_then(|s| s.dialect).unwrap_or(server_dialect);
        let rejected = || Refusal::Api(ApiError::token_rejected(dialect, None));
        match spec {
            Some(spec) if spec.token.expose() != credentials.raw.expose() => return Err(rejected()),
            None if scenario.unknown_tokens == UnknownTokens::Reject => return Err(rejected()),
            _ => {}
        }
        let known = Method::from_name(method);
        let closing = scenario.closing;
        self.bots.with(bot, |state| {
            *seq = Some(self.journal.reserve());
            if !(state.claim(credentials.raw.expose()) && state.access == Access::Active) {
                return Err(rejected());
            }
            if let Err(limited) = engine.take(bot, method, params, now) {
                return Err(Refusal::RateLimited {
                    limit: limited.limit,
                    error: ApiError::too_many_requests(limited.retry_after),
                });
            }
            let launched_at = admit(&mut state.instance, known, now)?;
            let method = known.ok_or_else(ApiError::method_not_found)?;
            if state.me.is_none() {
                state.me = Some(methods::bot_user(bot, spec));
            }
            let call = Call {
                bot,
                spec,
                now,
                clock: &self.config.clock,
                launched_at,
                closing,
                dialect,
                state,
                world: &self.world,
                request: params,
                files: &self.files,
                stickers: &self.stickers,
            };
            Ok(methods::run(method, call, params)?)
        })
    }
}

/// The token of a request, checked once.
struct Credentials<'a> {
    /// As written.
    raw: Secret<&'a str>,
    /// Checked by every rule: the bot id, or why the token is refused.
    checked: Result<BotId, TokenError>,
    /// The bot id it names, when readable (also for a token with a bad secret).
    bot: Option<BotId>,
}

impl<'a> Credentials<'a> {
    fn read(raw: Secret<&'a str>) -> Credentials<'a> {
        let checked = check_token(raw.expose());
        let bot = match checked {
            Ok(bot) => Some(bot),
            Err(_) => parse_bot_id(raw.expose()).ok(),
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

/// The journal's method name for a file download.
pub const DOWNLOAD: &str = "<download>";

/// The method name as logged and journaled. A method segment with a `:` is no method name
/// but most likely a misplaced token (`/bot/<token>/getMe`), so it is never written out;
/// nor is the request's token, or its secret, in any other.
fn journal_method(method: &str, token: &str) -> String {
    if method.contains(':') {
        "<redacted>".to_owned()
    } else {
        redact::known(method, token).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bot keeps its getMe body: a scenario load, a reset and a forgotten bot must each
    /// give the answer of the scenario that runs then, never a kept one.
    #[test]
    fn a_kept_get_me_never_outlives_its_scenario() {
        const TOKEN: &str = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        let scenario = |first_name: &str, dialect: &str| {
            let source = format!(
                "dialect = \"{dialect}\"\n[[bot]]\ntoken = \"{TOKEN}\"\nfirst_name = \"{first_name}\"\n"
            );
            Scenario::parse("cache.toml", &source).unwrap()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let get_me = |mock: &Mock, token: &str| {
            let uri = format!("/bot{token}/getMe").parse().unwrap();
            let request = RawRequest::new(http::Method::GET, uri, "");
            let reply = runtime.block_on(mock.handle(request));
            String::from_utf8(reply.body.to_vec()).unwrap()
        };
        let mut config = Config::default().scenario(scenario("Alpha", "bale"));
        // One bot per shard: a second bot in the shard forgets the first.
        config.max_bots = 1;
        let mock = Mock::new(config);
        let alpha = get_me(&mock, TOKEN);
        assert!(alpha.contains(r#""first_name":"Alpha""#), "{alpha}");
        assert_eq!(
            get_me(&mock, TOKEN),
            alpha,
            "the kept body is the same answer"
        );

        mock.load(scenario("Beta", "telegram"));
        let beta = get_me(&mock, TOKEN);
        assert!(beta.contains(r#""first_name":"Beta""#), "{beta}");
        assert!(
            beta.contains("can_manage_bots"),
            "the Telegram dialect: {beta}"
        );

        mock.load(Scenario::zero_config());
        let plain = get_me(&mock, TOKEN);
        assert!(
            plain.contains(r#""first_name":"Mock Bot 123456""#),
            "{plain}"
        );
        assert!(!plain.contains("can_manage_bots"), "{plain}");

        mock.load(scenario("Gamma", "bale"));
        assert!(get_me(&mock, TOKEN).contains("Gamma"));
        mock.reset();
        assert!(get_me(&mock, TOKEN).contains("Gamma"));

        // An undeclared bot forgotten (evicted) and back: answered afresh, and right.
        mock.load(Scenario::zero_config());
        let other = "123457:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        assert!(get_me(&mock, other).contains("Mock Bot 123457"));
        let shards = 16;
        let same_shard = format!("{}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", 123457 + shards);
        assert!(get_me(&mock, &same_shard).contains(&format!("Mock Bot {}", 123457 + shards)));
        assert!(get_me(&mock, other).contains("Mock Bot 123457"));
        assert_eq!(
            mock.bots().len(),
            1,
            "one bot per shard: the other was forgotten"
        );
    }

    #[test]
    fn the_api_route_by_hand_is_the_tables() {
        let paths = paths();
        let key = |routed: Routed<'_>| match routed {
            Routed::Api(target) => format!("api {:?} {}", target.token.expose(), target.method),
            Routed::Download(token, file) => format!("download {:?} {file}", token.expose()),
            Routed::Control => "control".to_owned(),
            Routed::NotFound => "not found".to_owned(),
        };
        for path in [
            "/bot1:abc/getMe",
            "/bot1:abc/",
            "/bot1:abc//",
            "/bot1:abc/getMe/x/",
            "/bot{x}/getMe",
            "/bot*/getMe",
            "/bot:/a",
            "/bot/",
            "/bot//",
            "/bot",
            "/botx",
            "/bot/getMe",
            "/bots/1/getMe",
            "/file/bot1:abc/x",
            "/__mock/reset",
            "/",
            "",
        ] {
            assert_eq!(
                key(route(&paths, path)),
                key(route_by_table(&paths, path)),
                "{path}"
            );
        }
    }

    #[test]
    fn paths_are_routed_like_the_real_server() {
        let paths = paths();
        let at = |path| target(&paths, path).map(|t| (t.token.into_exposed(), t.method));
        assert_eq!(at("/bot1:abc/getMe"), Some(("1:abc", "getMe")));
        assert_eq!(at("/bot1:abc/"), Some(("1:abc", "")));
        assert_eq!(at("/bot1:abc/getMe/x"), Some(("1:abc", "getMe/x")));
        assert_eq!(at("/bot/getMe"), Some(("", "getMe")));
        assert_eq!(at("/bot/1:abc/getMe"), Some(("", "1:abc/getMe")));
        assert_eq!(at("/bot1:abc"), None);
        assert_eq!(at("/file/bot1:abc/x"), None);
        let download = |path| download_target(&paths, path).map(|(t, f)| (t.into_exposed(), f));
        assert_eq!(
            download("/file/bot1:abc/documents/file_0.txt"),
            Some(("1:abc", "documents/file_0.txt"))
        );
        assert_eq!(download("/file/bot1:abc/BQAC"), Some(("1:abc", "BQAC")));
        assert_eq!(download("/file/bot1:abc/"), None);
        assert_eq!(download("/bot1:abc/getMe"), None);
        assert_eq!(at("/"), None);
        assert_eq!(at("//bot1:abc/getMe"), None);
    }
}
