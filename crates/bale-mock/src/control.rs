//! The control API under `/__mock/`: for tests and CI jobs, never for bots. JSON in and out;
//! bots are named by id, never by token.
//!
//! | request | does |
//! |---|---|
//! | `GET /__mock/health` | `{"ok":true,"scenario":…,"now_ms":…}` |
//! | `POST /__mock/reset` | bots, counters, rule state, buckets and journal start over |
//! | `GET /__mock/scenario` | the running scenario's name, description and rule state |
//! | `PUT`/`POST /__mock/scenario` | runs the TOML in the body, or `?name=` a shipped scenario |
//! | `GET /__mock/clock` | the server clock |
//! | `POST /__mock/clock/advance` | moves it by `{"seconds":N}` (or `?seconds=N`) |
//! | `GET /__mock/bots`, `GET /__mock/bots/<id>` | bot states (with `left_ms` of a lock-out) |
//! | `GET /__mock/bots/<id>/chats` | the chats the bot has, each with its message count |
//! | `GET /__mock/bots/<id>/files/<file_id or file_path>` | the bytes of a file the bot has (what the console shows), as a download |
//! | `GET /__mock/journal?bot=&method=&limit=` | the journal, filtered, newest last |
//! | `DELETE /__mock/journal` | empties it |
//! | `GET /__mock/journal/events` | the journal live, as server-sent events ([`crate::live`]) |
//! | `GET /__mock/console/` | the browser console ([`crate::console`]) |

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};

use crate::control_play::Play;
use crate::reply::Reply;
use crate::route::{Mock, RawRequest};
use crate::scenario::{LoadError, Scenario, ScenarioErrors, SHIPPED};
use crate::state::{BotStatus, Instance};

/// Where a control path leads; each route takes one HTTP method (`PUT` or `POST` for a scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Health,
    Reset,
    Scenario,
    Clock,
    Advance,
    Bots,
    Bot,
    BotChats,
    BotFile,
    Journal,
    JournalEvents,
    Console,
    ConsoleFile,
    Play(Play),
}

impl Route {
    fn methods(self) -> &'static [&'static str] {
        match self {
            Route::Health
            | Route::Clock
            | Route::Bots
            | Route::Bot
            | Route::BotChats
            | Route::BotFile
            | Route::JournalEvents
            | Route::Console
            | Route::ConsoleFile => &["GET"],
            Route::Reset | Route::Advance => &["POST"],
            Route::Scenario => &["GET", "PUT", "POST"],
            Route::Journal => &["GET", "DELETE"],
            Route::Play(play) => play.methods(),
        }
    }
}

/// A file's bytes are the user's, not the console's: never run, rendered in place or framed.
const FILE_HEADERS: crate::reply::Headers = &[
    ("content-security-policy", "default-src 'none'; sandbox"),
    ("content-disposition", "attachment"),
    ("x-content-type-options", "nosniff"),
];

fn routes() -> &'static matchit::Router<Route> {
    static ROUTES: OnceLock<matchit::Router<Route>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut router = matchit::Router::new();
        let fixed = [
            ("/health", Route::Health),
            ("/reset", Route::Reset),
            ("/scenario", Route::Scenario),
            ("/clock", Route::Clock),
            ("/clock/advance", Route::Advance),
            ("/bots", Route::Bots),
            ("/bots/{bot}", Route::Bot),
            ("/bots/{bot}/chats", Route::BotChats),
            ("/bots/{bot}/files/{file}", Route::BotFile),
            ("/journal", Route::Journal),
            ("/journal/events", Route::JournalEvents),
            ("/console", Route::Console),
            ("/console/{file}", Route::ConsoleFile),
        ];
        let play = Play::PATHS
            .iter()
            .map(|&(path, play)| (path, Route::Play(play)));
        for (path, route) in fixed.into_iter().chain(play) {
            // The routes are fixed and known to be valid: a conflict is a bug caught by tests.
            if let Err(e) = router.insert(path, route) {
                tracing::error!(%e, path, "control route not added");
            }
        }
        router
    })
}

/// Answers a control request.
pub async fn handle(mock: &Mock, request: &RawRequest) -> Reply {
    let path = request.uri.path().trim_end_matches('/');
    let local = path.strip_prefix("/__mock").unwrap_or(path);
    let Ok(matched) = routes().at(local) else {
        return error(
            404,
            "Not Found: no such control endpoint (see /__mock/health)",
        );
    };
    let route = *matched.value;
    let method = request.http_method.as_str();
    if !route.methods().contains(&method) {
        let allowed = route.methods().join(" or ");
        return error(405, format!("use {allowed} for /__mock{local}"));
    }
    let query = query(request);
    match route {
        // It may wait: it takes its own steps.
        Route::Play(Play::Transcript) => {
            return crate::control_play::transcript(mock, &matched.params, &query).await;
        }
        // These read no state that a reset changes.
        Route::JournalEvents => return crate::live::events(mock),
        Route::Console => return crate::console::file(""),
        Route::ConsoleFile => {
            return crate::console::file(matched.params.get("file").unwrap_or_default())
        }
        _ => {}
    }
    // Everything else is one step: a reset or a scenario load (which takes the epoch
    // itself) happens wholly before or wholly after it.
    let _step = (!matches!(route, Route::Reset | Route::Scenario)).then(|| mock.step());
    match (route, method) {
        (Route::Health, _) => ok(json!({
            "ok": true,
            "scenario": mock.engine().scenario().name,
            "now_ms": millis(mock.clock().now()),
        })),
        (Route::Reset, _) => {
            mock.reset();
            ok(json!({"ok": true}))
        }
        (Route::Scenario, "GET") => {
            let engine = mock.engine();
            let scenario = engine.scenario();
            ok(json!({
                "ok": true,
                "name": scenario.name,
                "description": scenario.description,
                "rule_state": engine.rule_state(),
                "shipped": SHIPPED.iter().map(|s| s.name).collect::<Vec<_>>(),
            }))
        }
        (Route::Scenario, _) => load_scenario(mock, request, &query),
        (Route::Clock, _) => ok(clock(mock)),
        (Route::Advance, _) => advance(mock, request, &query),
        (Route::Bots, _) => {
            let now = mock.clock().now();
            let bots = mock.bots().all();
            let bots: Vec<Value> = bots
                .iter()
                .map(|(id, bot)| bot_json(*id, bot, now))
                .collect();
            ok(json!({"ok": true, "bots": bots}))
        }
        (Route::Bot, _) => {
            let id = matched.params.get("bot").and_then(|id| id.parse().ok());
            match id.and_then(|id| mock.bots().get(id).map(|bot| (id, bot))) {
                Some((id, bot)) => {
                    ok(json!({"ok": true, "bot": bot_json(id, &bot, mock.clock().now())}))
                }
                None => error(404, "no such bot: the server has not seen it"),
            }
        }
        (Route::BotChats, _) => {
            let id = matched.params.get("bot").and_then(|id| id.parse().ok());
            let chats = id.and_then(|id| {
                mock.bots()
                    .with_existing(id, |bot| bot.conversation.chats())
            });
            match chats {
                Some(chats) => ok(json!({"ok": true, "chats": chats})),
                None => error(404, "no such bot: the server has not seen it"),
            }
        }
        (Route::BotFile, _) => {
            let id = matched.params.get("bot").and_then(|id| id.parse().ok());
            let file = matched.params.get("file").unwrap_or_default();
            match id.and_then(|id| mock.files().download(id, file)) {
                Some((_, bytes)) => Reply {
                    headers: Some(&FILE_HEADERS),
                    ..Reply::file(bytes)
                },
                None => error(404, "no such file: the bot has no file by that id or path"),
            }
        }
        (Route::Journal, "GET") => journal(mock, &query),
        (Route::Journal, _) => {
            mock.journal().clear();
            ok(json!({"ok": true}))
        }
        (Route::Play(play), _) => crate::control_play::answer(mock, request, play, &matched.params),
        (Route::JournalEvents | Route::Console | Route::ConsoleFile, _) => {
            error(500, "answered before the step")
        }
    }
}

pub(crate) fn query(request: &RawRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(request.uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub(crate) fn ok(body: Value) -> Reply {
    Reply::control(200, &body)
}

pub(crate) fn error(status: u16, description: impl Into<String>) -> Reply {
    Reply::control(
        status,
        &json!({"ok": false, "description": description.into()}),
    )
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn clock(mock: &Mock) -> Value {
    let now = mock.clock().now();
    json!({"ok": true, "now_ms": millis(now), "now_seconds": now.as_secs_f64()})
}

fn advance(mock: &Mock, request: &RawRequest, query: &[(String, String)]) -> Reply {
    let from_body = || -> Option<f64> {
        let body: Value = serde_json::from_slice(&request.body).ok()?;
        body.get("seconds")?.as_f64()
    };
    let seconds = param(query, "seconds")
        .and_then(|s| s.parse().ok())
        .or_else(from_body);
    match seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()) {
        Some(by) => {
            mock.clock().advance(by);
            ok(clock(mock))
        }
        None => error(
            400,
            "give the seconds to advance, ≥ 0: {\"seconds\": 600} or ?seconds=600",
        ),
    }
}

fn load_scenario(mock: &Mock, request: &RawRequest, query: &[(String, String)]) -> Reply {
    let loaded = match param(query, "name") {
        Some(name) if SHIPPED.iter().any(|s| s.name == name) => Scenario::load(name),
        Some(name) => {
            return error(
                404,
                format!("no shipped scenario {name:?}; send a scenario file as the body instead"),
            )
        }
        None => match std::str::from_utf8(&request.body) {
            Ok(source) => {
                let file = param(query, "file").unwrap_or("request.toml");
                Scenario::parse(file, source).map_err(LoadError::Invalid)
            }
            Err(_) => return error(400, "the scenario must be UTF-8 TOML"),
        },
    };
    match loaded {
        Ok(scenario) => {
            let name = scenario.name.clone();
            mock.load(scenario);
            ok(json!({"ok": true, "name": name}))
        }
        Err(LoadError::Invalid(errors)) => invalid(&errors),
        Err(other) => error(400, other.to_string()),
    }
}

fn invalid(errors: &ScenarioErrors) -> Reply {
    let list: Vec<Value> = errors
        .0
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "reason": e.reason}))
        .collect();
    Reply::control(
        400,
        &json!({"ok": false, "description": errors.to_string(), "errors": list}),
    )
}

/// A bot's state; `left_ms` is how long a lock-out (logged out, closing) still lasts.
fn bot_json(id: i64, bot: &BotStatus, now: Duration) -> Value {
    let (instance, since, until) = match bot.instance {
        None => ("not-launched", None, None),
        Some(Instance::Running { launched_at }) => ("running", Some(millis(launched_at)), None),
        Some(Instance::LoggedOut { until }) => ("logged-out", None, Some(millis(until))),
        Some(Instance::Closing { until }) => ("closing", None, Some(millis(until))),
        Some(Instance::Closed) => ("closed", None, None),
    };
    json!({
        "bot_id": id,
        "access": bot.access,
        "instance": instance,
        "launched_at_ms": since,
        "until_ms": until,
        "left_ms": until.map(|until| until.saturating_sub(millis(now))),
        "pending_updates": bot.pending_updates,
        "webhook": bot.webhook,
        "polling": bot.polling,
    })
}

fn journal(mock: &Mock, query: &[(String, String)]) -> Reply {
    let bot = param(query, "bot").map(|b| b.parse::<i64>());
    let limit = param(query, "limit").map(|l| l.parse::<usize>());
    let (bot, limit) = match (bot.transpose(), limit.transpose()) {
        (Ok(bot), Ok(limit)) => (bot, limit),
        _ => return error(400, "bot and limit must be whole numbers"),
    };
    let method = param(query, "method");
    let entries = mock.journal().newest(limit.unwrap_or(usize::MAX), |e| {
        bot.is_none_or(|b| e.bot_id == Some(b))
            && method.is_none_or(|m| e.method.eq_ignore_ascii_case(m))
    });
    ok(json!({
        "ok": true,
        "dropped": mock.journal().dropped(),
        "entries": entries,
    }))
}
