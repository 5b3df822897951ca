//! The play-the-user half of the control API:
//!
//! | request | does |
//! |---|---|
//! | `POST /__mock/users` | declares a user ([`bale_api::User`] fields; `id` optional) |
//! | `POST /__mock/chats` | declares a chat with its members and bots ([`ChatSpec`]) |
//! | `POST /__mock/bots/<bot>/messages` | a user writes or sends a file to the bot ([`UserMessage`]) |
//! | `POST /__mock/bots/<bot>/callback_queries` | a user presses an inline button ([`ButtonPress`]) |
//! | `GET /__mock/bots/<bot>/callback_queries/<id>` | the query and how the bot answered it |
//! | `POST /__mock/bots/<bot>/payments` | a user pays an invoice ([`Payment`]) |
//! | `GET /__mock/bots/<bot>/pre_checkout_queries/<id>` | the query, its answer, its transaction |
//! | `POST /__mock/bots/<bot>/updates` | queues any Update object as it is |
//! | `GET /__mock/bots/<bot>/chats/<chat>/messages?after=&from=&wait=` | the chat as the bot sees it |

use std::time::Duration;

use bale_api::User;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::control::{error, ok, param};
use crate::pay::Payment;
use crate::people::{ButtonPress, ChatSpec, From, PlayError, UserMessage};
use crate::reply::Reply;
use crate::route::{Mock, RawRequest};

/// The longest `wait` a transcript read may ask for, in seconds.
const MAX_WAIT_SECONDS: f64 = 60.0;

/// A play-the-user route; [`crate::control`] routes every control path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Play {
    Users,
    Chats,
    Messages,
    CallbackQueries,
    CallbackQuery,
    Payments,
    PreCheckoutQuery,
    Updates,
    Transcript,
}

impl Play {
    pub(crate) const PATHS: [(&'static str, Play); 9] = [
        ("/users", Play::Users),
        ("/chats", Play::Chats),
        ("/bots/{bot}/messages", Play::Messages),
        ("/bots/{bot}/callback_queries", Play::CallbackQueries),
        ("/bots/{bot}/callback_queries/{id}", Play::CallbackQuery),
        ("/bots/{bot}/payments", Play::Payments),
        (
            "/bots/{bot}/pre_checkout_queries/{id}",
            Play::PreCheckoutQuery,
        ),
        ("/bots/{bot}/updates", Play::Updates),
        ("/bots/{bot}/chats/{chat}/messages", Play::Transcript),
    ];

    pub(crate) fn methods(self) -> &'static [&'static str] {
        match self {
            Play::CallbackQuery | Play::PreCheckoutQuery | Play::Transcript => &["GET"],
            _ => &["POST"],
        }
    }
}

fn body<T: DeserializeOwned>(request: &RawRequest) -> Result<T, Reply> {
    serde_json::from_slice(&request.body).map_err(|e| {
        error(
            400,
            format!("the body is not the JSON this endpoint takes: {e}"),
        )
    })
}

fn played<T: serde::Serialize>(result: Result<T, PlayError>, key: Option<&str>) -> Reply {
    match result {
        Ok(value) => {
            let value = serde_json::to_value(value).unwrap_or(Value::Null);
            match (key, value) {
                (Some(key), value) => ok(json!({"ok": true, key: value})),
                (None, Value::Object(fields)) => {
                    // "ok" first, like every other control answer.
                    let mut answer = serde_json::Map::new();
                    answer.insert("ok".into(), Value::Bool(true));
                    answer.extend(fields);
                    ok(Value::Object(answer))
                }
                (None, value) => ok(json!({"ok": true, "result": value})),
            }
        }
        Err(e) => error(e.status(), e.to_string()),
    }
}

/// The `{name}` path parameter as a whole number: `Ok(None)` when the route has none.
fn number(params: &matchit::Params<'_, '_>, name: &str, what: &str) -> Result<Option<i64>, Reply> {
    match params.get(name) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| error(400, format!("a {what} is named by its id, a whole number"))),
    }
}

/// Answers a play-the-user request on `route` (not a transcript read), its method already
/// checked.
pub(crate) fn answer(
    mock: &Mock,
    request: &RawRequest,
    route: Play,
    params: &matchit::Params<'_, '_>,
) -> Reply {
    let bot = match number(params, "bot", "bot") {
        Ok(bot) => bot.unwrap_or_default(),
        Err(reply) => return reply,
    };
    match route {
        Play::Users => match body::<User>(request) {
            Ok(user) => played(mock.put_user(user), Some("user")),
            Err(reply) => reply,
        },
        Play::Chats => match body::<ChatSpec>(request) {
            Ok(spec) => played(mock.put_chat(spec), Some("chat")),
            Err(reply) => reply,
        },
        Play::Messages => match body::<UserMessage>(request) {
            Ok(written) => played(mock.user_writes(bot, written), None),
            Err(reply) => reply,
        },
        Play::CallbackQueries => match body::<ButtonPress>(request) {
            Ok(press) => played(mock.press_button(bot, press), None),
            Err(reply) => reply,
        },
        Play::CallbackQuery => {
            let id = params.get("id").unwrap_or_default();
            match mock.callback_query(bot, id) {
                Some(record) => played(Ok::<_, PlayError>(record), None),
                None => error(404, format!("bot {bot} was sent no callback query {id}")),
            }
        }
        Play::Payments => match body::<Payment>(request) {
            Ok(payment) => played(mock.pay(bot, payment), None),
            Err(reply) => reply,
        },
        Play::PreCheckoutQuery => {
            let id = params.get("id").unwrap_or_default();
            match mock.pre_checkout_query(bot, id) {
                Some(view) => played(Ok::<_, PlayError>(view), None),
                None => error(
                    404,
                    format!("bot {bot} was sent no pre-checkout query {id}"),
                ),
            }
        }
        Play::Updates => match body::<Value>(request) {
            Ok(update) => match mock.push_update(bot, update) {
                Ok(update_id) => ok(json!({"ok": true, "update_id": update_id})),
                Err(e) => error(e.status(), e.to_string()),
            },
            Err(reply) => reply,
        },
        Play::Transcript => error(500, "a transcript read is answered by transcript()"),
    }
}

/// Answers `GET /__mock/bots/<bot>/chats/<chat>/messages`.
pub(crate) async fn transcript(
    mock: &Mock,
    params: &matchit::Params<'_, '_>,
    query: &[(String, String)],
) -> Reply {
    let (bot, chat) = match (number(params, "bot", "bot"), number(params, "chat", "chat")) {
        (Ok(Some(bot)), Ok(Some(chat))) => (bot, chat),
        (Err(reply), _) | (_, Err(reply)) => return reply,
        _ => return error(400, "name a bot and a chat"),
    };
    let after = match param(query, "after").map(str::parse::<i64>).transpose() {
        Ok(after) => after.unwrap_or(0),
        Err(_) => return error(400, "after is a message id, a whole number"),
    };
    let from = match param(query, "from") {
        None | Some("any") => From::Any,
        Some("bot") => From::Bot,
        Some("user") => From::User,
        Some(other) => return error(400, format!("from is bot, user or any, not {other:?}")),
    };
    let wait = match param(query, "wait").map(str::parse::<f64>).transpose() {
        Ok(wait) => wait.unwrap_or(0.0),
        Err(_) => return error(400, "wait is a number of seconds"),
    };
    if !(0.0..=MAX_WAIT_SECONDS).contains(&wait) {
        return error(400, format!("wait is 0 to {MAX_WAIT_SECONDS} seconds"));
    }
    let messages = if wait > 0.0 {
        mock.wait_for_messages(bot, chat, after, from, Duration::from_secs_f64(wait))
            .await
    } else {
        mock.transcript(bot, chat, after, from)
    };
    ok(json!({"ok": true, "messages": messages}))
}
