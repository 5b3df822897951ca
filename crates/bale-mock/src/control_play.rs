//! The play-the-user half of the control API, routed by `matchit`:
//!
//! | request | does |
//! |---|---|
//! | `POST /__mock/users` | declares a user ([`bale_api::User`] fields; `id` optional) |
//! | `POST /__mock/chats` | declares a chat with its members and bots ([`ChatSpec`]) |
//! | `POST /__mock/bots/<bot>/messages` | a user writes to the bot ([`UserMessage`]) |
//! | `POST /__mock/bots/<bot>/callback_queries` | a user presses an inline button ([`ButtonPress`]) |
//! | `GET /__mock/bots/<bot>/callback_queries/<id>` | the query and how the bot answered it |
//! | `POST /__mock/bots/<bot>/updates` | queues any Update object as it is |
//! | `GET /__mock/bots/<bot>/chats/<chat>/messages?after=&from=&wait=` | the chat as the bot sees it |

use std::sync::OnceLock;
use std::time::Duration;

use bale_api::User;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::control::{error, ok, param};
use crate::people::{ButtonPress, ChatSpec, From, PlayError, UserMessage};
use crate::reply::Reply;
use crate::route::{Mock, RawRequest};

/// The longest `wait` a transcript read may ask for, in seconds.
const MAX_WAIT_SECONDS: f64 = 60.0;

#[derive(Clone, Copy, Debug)]
enum Route {
    Users,
    Chats,
    Messages,
    CallbackQueries,
    CallbackQuery,
    Updates,
    Transcript,
}

fn routes() -> &'static matchit::Router<Route> {
    static ROUTES: OnceLock<matchit::Router<Route>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut router = matchit::Router::new();
        for (path, route) in [
            ("/users", Route::Users),
            ("/chats", Route::Chats),
            ("/bots/{bot}/messages", Route::Messages),
            ("/bots/{bot}/callback_queries", Route::CallbackQueries),
            ("/bots/{bot}/callback_queries/{id}", Route::CallbackQuery),
            ("/bots/{bot}/updates", Route::Updates),
            ("/bots/{bot}/chats/{chat}/messages", Route::Transcript),
        ] {
            if let Err(e) = router.insert(path, route) {
                tracing::error!(%e, path, "control route not added");
            }
        }
        router
    })
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

/// Answers a play-the-user request, or `None` when the path is none of them.
pub(crate) async fn handle(
    mock: &Mock,
    request: &RawRequest,
    method: &str,
    path: &str,
    query: &[(String, String)],
) -> Option<Reply> {
    let matched = routes().at(path).ok()?;
    let route = *matched.value;
    let number = |name: &str| matched.params.get(name).and_then(|v| v.parse::<i64>().ok());
    let expected = match route {
        Route::CallbackQuery | Route::Transcript => "GET",
        _ => "POST",
    };
    if method != expected {
        return Some(error(405, format!("use {expected} for {path}")));
    }
    let bot = number("bot");
    if matched.params.get("bot").is_some() && bot.is_none() {
        return Some(error(400, "a bot is named by its id, a whole number"));
    }
    let bot = bot.unwrap_or_default();
    Some(match route {
        Route::Users => match body::<User>(request) {
            Ok(user) => played(mock.put_user(user), Some("user")),
            Err(reply) => reply,
        },
        Route::Chats => match body::<ChatSpec>(request) {
            Ok(spec) => played(mock.put_chat(spec), Some("chat")),
            Err(reply) => reply,
        },
        Route::Messages => match body::<UserMessage>(request) {
            Ok(written) => played(mock.user_writes(bot, written), None),
            Err(reply) => reply,
        },
        Route::CallbackQueries => match body::<ButtonPress>(request) {
            Ok(press) => played(mock.press_button(bot, press), None),
            Err(reply) => reply,
        },
        Route::CallbackQuery => {
            let id = matched.params.get("id").unwrap_or_default();
            match mock.callback_query(bot, id) {
                Some(record) => played(Ok::<_, PlayError>(record), None),
                None => error(404, format!("bot {bot} was sent no callback query {id}")),
            }
        }
        Route::Updates => match body::<Value>(request) {
            Ok(update) => match mock.push_update(bot, update) {
                Ok(update_id) => ok(json!({"ok": true, "update_id": update_id})),
                Err(e) => error(e.status(), e.to_string()),
            },
            Err(reply) => reply,
        },
        Route::Transcript => {
            let Some(chat) = number("chat") else {
                return Some(error(400, "a chat is named by its id, a whole number"));
            };
            transcript(mock, bot, chat, query).await
        }
    })
}

async fn transcript(mock: &Mock, bot: i64, chat: i64, query: &[(String, String)]) -> Reply {
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
