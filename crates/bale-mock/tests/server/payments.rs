//! Payments and the Bale-only methods over real sockets: sendInvoice, createInvoiceLink,
//! answerPreCheckoutQuery, inquireTransaction, askReview, inviteUser, answerInlineQuery,
//! and a played user paying through `POST /__mock/bots/<bot>/payments`.

use std::time::Duration;

use bale_api::Dialect;
use bale_mock::{Config, MockServer};
use serde_json::{json, Value};

use crate::support::{api, control_post, get, TOKEN};

const BOT: i64 = 123_456_789;
const USER: i64 = 7001;
const OTHER: i64 = 7002;

fn prices() -> Value {
    json!([{"label": "Milk", "amount": 20000}, {"label": "Discount", "amount": -5000}])
}

/// An invoice's parameters as Bale's SDKs send them (no currency).
fn invoice(chat: i64) -> Value {
    json!({"chat_id": chat, "title": "Milk", "description": "Fresh milk",
           "payload": "order-42", "provider_token": "6037990000000000", "prices": prices()})
}

/// `USER` has written to the bot, so their private chat exists.
async fn start(server: &MockServer) {
    let path = format!("bots/{BOT}/messages");
    let (status, body) = control_post(server, &path, json!({"from": USER, "text": "/start"})).await;
    assert_eq!(status, 200, "{body}");
}

async fn error(server: &MockServer, method: &str, params: Value) -> (u16, String) {
    let answer = api(server, TOKEN, method, params).await;
    assert_eq!(answer.body["ok"], false, "{}", answer.body);
    let description = answer.body["description"].as_str().unwrap_or_default();
    (answer.status, description.to_owned())
}

async fn pay(server: &MockServer, payment: Value) -> (u16, Value) {
    control_post(server, &format!("bots/{BOT}/payments"), payment).await
}

async fn updates(server: &MockServer) -> Vec<Value> {
    let answer = api(server, TOKEN, "getUpdates", json!({})).await;
    answer.result().as_array().unwrap().clone()
}

const TOO_OLD: &str =
    "Bad Request: query is too old and response timeout expired or query ID is invalid";

#[tokio::test]
async fn send_invoice_answers_the_message_with_its_invoice() {
    let server = MockServer::start();
    start(&server).await;
    let answer = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let message = answer.result();
    assert_eq!(message["chat"]["id"], USER);
    assert_eq!(message["from"]["id"], BOT);
    assert_eq!(
        message["invoice"],
        json!({"title": "Milk", "description": "Fresh milk", "start_parameter": "",
               "currency": "IRR", "total_amount": 15000})
    );
    // tdlib's key order: the invoice comes after the content keys, before reply_markup.
    let text = serde_json::to_string(&answer.body).unwrap();
    assert!(text.find("\"date\"").unwrap() < text.find("\"invoice\"").unwrap());
    // A currency the bot names is kept; a JSON-string `prices` (form clients) works too.
    let mut params = invoice(USER);
    params["currency"] = json!("IRT");
    params["prices"] = json!(prices().to_string());
    params["reply_markup"] = json!({"inline_keyboard": [[{"text": "Pay", "pay": true}]]});
    let answer = api(&server, TOKEN, "sendInvoice", params).await;
    assert_eq!(answer.result()["invoice"]["currency"], "IRT");
    assert_eq!(
        answer.result()["reply_markup"]["inline_keyboard"][0][0]["pay"],
        true
    );
}

#[tokio::test]
async fn send_invoice_checks_in_tdlibs_order_on_bale() {
    let server = MockServer::start();
    start(&server).await;
    let without = |name: &str| {
        let mut params = invoice(USER);
        params.as_object_mut().unwrap().remove(name);
        params
    };
    let cases = [
        (
            without("title"),
            "Bad Request: parameter \"title\" is required",
        ),
        (
            without("description"),
            "Bad Request: parameter \"description\" is required",
        ),
        (
            without("provider_token"),
            "Bad Request: parameter \"provider_token\" is required",
        ),
        (
            without("prices"),
            "Bad Request: parameter \"prices\" is required",
        ),
        (
            json!({"chat_id": USER, "title": "", "description": "", "prices": "["}),
            "Bad Request: parameter \"title\" is required",
        ),
    ];
    for (params, expected) in cases {
        assert_eq!(
            error(&server, "sendInvoice", params.clone()).await,
            (400, expected.to_owned()),
            "{params}"
        );
    }
    let with_prices = |prices: Value| {
        let mut params = invoice(USER);
        params["prices"] = prices;
        params
    };
    let cases = [
        (json!("[{"), "Bad Request: can't parse prices JSON object"),
        (json!([]), "Bad Request: there must be at least one price"),
        (
            json!([{"label": "", "amount": 1}]),
            "Bad Request: can't parse labeled price: LabeledPrice label must be non-empty",
        ),
        (
            json!([{"label": "a", "amount": "1.5"}]),
            "Bad Request: can't parse labeled price: Field \"amount\" must be a valid Number",
        ),
    ];
    for (prices, expected) in cases {
        let got = error(&server, "sendInvoice", with_prices(prices.clone())).await;
        assert_eq!(got, (400, expected.to_owned()), "{prices}");
    }
    // Parameters before the chat, the chat before the sums.
    let mut params = with_prices(json!([{"label": "a", "amount": 0}]));
    params["chat_id"] = json!(99_999);
    assert_eq!(
        error(&server, "sendInvoice", params.clone()).await,
        (400, "Bad Request: chat not found".into())
    );
    params["chat_id"] = json!(USER);
    assert_eq!(
        error(&server, "sendInvoice", params).await,
        (400, "Bad Request: total price must be positive".into())
    );
    let params = with_prices(json!([{"label": "a", "amount": 1_000_000_000_000_i64}]));
    assert_eq!(
        error(&server, "sendInvoice", params).await,
        (
            400,
            "Bad Request: too big amount of the currency specified".into()
        )
    );
    // Without payload (python-bale-bot's default) the invoice is sent.
    let answer = api(&server, TOKEN, "sendInvoice", without("payload")).await;
    assert_eq!(answer.result()["invoice"]["total_amount"], 15000);
}

#[tokio::test]
async fn send_invoice_requires_tdlibs_parameters_on_telegram() {
    let server = MockServer::builder().dialect(Dialect::Telegram).start();
    start(&server).await;
    let mut params = invoice(USER);
    params.as_object_mut().unwrap().remove("payload");
    assert_eq!(
        error(&server, "sendInvoice", params).await,
        (400, "Bad Request: parameter \"payload\" is required".into())
    );
    assert_eq!(
        error(&server, "sendInvoice", invoice(USER)).await,
        (
            400,
            "Bad Request: parameter \"currency\" is required".into()
        )
    );
    let mut params = invoice(USER);
    params["currency"] = json!("USD");
    params.as_object_mut().unwrap().remove("provider_token");
    let answer = api(&server, TOKEN, "sendInvoice", params).await;
    assert_eq!(answer.result()["invoice"]["currency"], "USD");
}

#[tokio::test]
async fn create_invoice_link_answers_a_link_a_user_can_pay() {
    let server = MockServer::start();
    let mut params = invoice(USER);
    params.as_object_mut().unwrap().remove("chat_id");
    let answer = api(&server, TOKEN, "createInvoiceLink", params.clone()).await;
    let link = answer.result().as_str().unwrap().to_owned();
    assert!(link.starts_with("https://ble.ir/$"), "{link}");
    params.as_object_mut().unwrap().remove("title");
    assert_eq!(
        error(&server, "createInvoiceLink", params).await,
        (400, "Bad Request: parameter \"title\" is required".into())
    );
    // The user never wrote to the bot: paying the link opens their chat.
    let (status, body) = pay(&server, json!({"from": USER, "invoice_link": link})).await;
    assert_eq!(status, 200, "{body}");
    let id = body["pre_checkout_query_id"].as_str().unwrap();
    let answer = api(
        &server,
        TOKEN,
        "answerPreCheckoutQuery",
        json!({"pre_checkout_query_id": id, "ok": true}),
    )
    .await;
    assert_eq!(answer.result(), &json!(true));
    let path = format!("/__mock/bots/{BOT}/chats/{USER}/messages?from=user");
    let transcript = get(&server, &path).await;
    let messages = transcript.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(
        messages[0]["message"]["successful_payment"]["total_amount"],
        15000
    );
    let telegram = MockServer::builder().dialect(Dialect::Telegram).start();
    let answer = api(
        &telegram,
        TOKEN,
        "createInvoiceLink",
        json!({"title": "t", "description": "d", "payload": "p", "currency": "USD",
               "prices": prices()}),
    )
    .await;
    assert!(answer
        .result()
        .as_str()
        .unwrap()
        .starts_with("https://t.me/$"));
}

#[tokio::test]
async fn the_whole_pay_flow_ends_in_a_paid_transaction() {
    let server = MockServer::start();
    start(&server).await;
    updates(&server).await;
    let sent = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let message_id = sent.result()["message_id"].as_i64().unwrap();

    let (status, body) = pay(&server, json!({"from": USER, "message_id": message_id})).await;
    assert_eq!(status, 200, "{body}");
    let id = body["pre_checkout_query_id"].as_str().unwrap().to_owned();
    let queued = updates(&server).await;
    let last = queued.last().unwrap();
    assert_eq!(last["update_id"], body["update_id"]);
    assert_eq!(
        last["pre_checkout_query"],
        json!({"id": id, "from": {"id": USER, "is_bot": false, "first_name": "User 7001"},
               "currency": "IRR", "total_amount": 15000, "invoice_payload": "order-42"})
    );
    // Before the answer the transaction is pending.
    let pending = api(
        &server,
        TOKEN,
        "inquireTransaction",
        json!({"transaction_id": id}),
    )
    .await;
    assert_eq!(pending.result()["status"], "pending");

    let answer = api(
        &server,
        TOKEN,
        "answerPreCheckoutQuery",
        json!({"pre_checkout_query_id": id, "ok": true}),
    )
    .await;
    assert_eq!(answer.result(), &json!(true));

    // The user's successful_payment message reaches the bot.
    let queued = updates(&server).await;
    let message = &queued.last().unwrap()["message"];
    assert_eq!(message["from"]["id"], USER);
    assert_eq!(message["chat"]["id"], USER);
    let payment = &message["successful_payment"];
    assert_eq!(payment["currency"], "IRR");
    assert_eq!(payment["total_amount"], 15000);
    assert_eq!(payment["invoice_payload"], "order-42");
    assert_eq!(payment["telegram_payment_charge_id"], id.as_str());
    assert!(payment["provider_payment_charge_id"].is_string());

    // inquireTransaction finds it by the charge id, with Balethon's keys.
    let charge = payment["telegram_payment_charge_id"].clone();
    let found = api(
        &server,
        TOKEN,
        "inquireTransaction",
        json!({"transaction_id": charge}),
    )
    .await;
    let transaction = found.result();
    assert_eq!(transaction["id"], id.as_str());
    assert_eq!(transaction["status"], "paid");
    assert_eq!(transaction["userID"], USER);
    assert_eq!(transaction["amount"], 15000);
    assert!(transaction["createdAt"].as_i64().unwrap() > 1_600_000_000);

    // The control API shows the query, the answer, the message and the transaction.
    let view = get(
        &server,
        &format!("/__mock/bots/{BOT}/pre_checkout_queries/{id}"),
    )
    .await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["answered"], true);
    assert_eq!(
        view.body["answer"],
        json!({"ok": true, "error_message": null})
    );
    assert_eq!(
        view.body["successful_payment_message_id"],
        message["message_id"]
    );
    assert_eq!(view.body["transaction"]["status"], "paid");

    // A second answer is refused, as the real server refuses it.
    assert_eq!(
        error(
            &server,
            "answerPreCheckoutQuery",
            json!({"pre_checkout_query_id": id, "ok": true})
        )
        .await,
        (400, TOO_OLD.into())
    );
}

#[tokio::test]
async fn declining_posts_nothing_and_the_transaction_is_rejected() {
    let server = MockServer::start();
    start(&server).await;
    let sent = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let message_id = sent.result()["message_id"].as_i64().unwrap();
    let (_, body) = pay(&server, json!({"from": USER, "message_id": message_id})).await;
    let id = body["pre_checkout_query_id"].as_str().unwrap().to_owned();
    // error_message is checked before the id, so even an unknown id gets this answer.
    for query in [id.as_str(), "1"] {
        assert_eq!(
            error(
                &server,
                "answerPreCheckoutQuery",
                json!({"pre_checkout_query_id": query, "ok": false})
            )
            .await,
            (
                400,
                "Bad Request: parameter \"error_message\" is required".into()
            )
        );
    }
    let answer = api(
        &server,
        TOKEN,
        "answerPreCheckoutQuery",
        json!({"pre_checkout_query_id": id, "ok": false, "error_message": "Sold out"}),
    )
    .await;
    assert_eq!(answer.result(), &json!(true));
    let path = format!("/__mock/bots/{BOT}/chats/{USER}/messages?after={message_id}");
    assert_eq!(get(&server, &path).await.body["messages"], json!([]));
    let view = get(
        &server,
        &format!("/__mock/bots/{BOT}/pre_checkout_queries/{id}"),
    )
    .await;
    assert_eq!(
        view.body["answer"],
        json!({"ok": false, "error_message": "Sold out"})
    );
    assert_eq!(view.body["successful_payment_message_id"], Value::Null);
    let found = api(
        &server,
        TOKEN,
        "inquireTransaction",
        json!({"transaction_id": id}),
    )
    .await;
    assert_eq!(found.result()["status"], "rejected");
}

#[tokio::test]
async fn unknown_and_expired_ids_get_the_real_errors() {
    let server = MockServer::start();
    start(&server).await;
    assert_eq!(
        error(
            &server,
            "answerPreCheckoutQuery",
            json!({"pre_checkout_query_id": "12345", "ok": true})
        )
        .await,
        (400, TOO_OLD.into())
    );
    assert_eq!(
        error(
            &server,
            "inquireTransaction",
            json!({"transaction_id": "12345"})
        )
        .await,
        (400, "Bad Request: transaction not found".into())
    );
    assert_eq!(
        error(&server, "inquireTransaction", json!({})).await,
        (
            400,
            "Bad Request: parameter \"transaction_id\" is required".into()
        )
    );
    // Unanswered for more than 10 s: too old, and the transaction failed.
    let sent = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let message_id = sent.result()["message_id"].as_i64().unwrap();
    let (_, body) = pay(&server, json!({"from": USER, "message_id": message_id})).await;
    let id = body["pre_checkout_query_id"].as_str().unwrap().to_owned();
    server.advance(Duration::from_secs(11));
    assert_eq!(
        error(
            &server,
            "answerPreCheckoutQuery",
            json!({"pre_checkout_query_id": id, "ok": true})
        )
        .await,
        (400, TOO_OLD.into())
    );
    let found = api(
        &server,
        TOKEN,
        "inquireTransaction",
        json!({"transaction_id": id}),
    )
    .await;
    assert_eq!(found.result()["status"], "failed");
}

#[tokio::test]
async fn the_payments_endpoint_refuses_what_cannot_be_paid() {
    let server = MockServer::start();
    start(&server).await;
    let text = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "hi"}),
    )
    .await;
    let text_id = text.result()["message_id"].as_i64().unwrap();
    let (status, body) = pay(&server, json!({"from": USER, "message_id": text_id})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = pay(&server, json!({"from": USER, "message_id": 9999})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = pay(
        &server,
        json!({"from": USER, "invoice_link": "https://ble.ir/$1"}),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = pay(&server, json!({"from": USER})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = pay(
        &server,
        json!({"from": OTHER, "chat": USER, "message_id": 1}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = pay(&server, json!({"from": USER, "message_id": "x"})).await;
    assert_eq!(status, 400, "{body}");
    let missing = get(
        &server,
        &format!("/__mock/bots/{BOT}/pre_checkout_queries/42"),
    )
    .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn forgotten_queries_and_invoices_are_beyond_the_payments_cap() {
    let mut config = Config::default().clock(bale_mock::Clock::manual());
    config.set_limit("payments", 1).unwrap();
    let server = MockServer::start_with(config);
    start(&server).await;
    let first = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let first = first.result()["message_id"].as_i64().unwrap();
    let (_, body) = pay(&server, json!({"from": USER, "message_id": first})).await;
    let old_query = body["pre_checkout_query_id"].as_str().unwrap().to_owned();
    let second = api(&server, TOKEN, "sendInvoice", invoice(USER)).await;
    let second = second.result()["message_id"].as_i64().unwrap();
    // The first invoice is forgotten: it can no longer be paid.
    let (status, _) = pay(&server, json!({"from": USER, "message_id": first})).await;
    assert_eq!(status, 404);
    let (status, _) = pay(&server, json!({"from": USER, "message_id": second})).await;
    assert_eq!(status, 200);
    // So is the first query.
    assert_eq!(
        error(
            &server,
            "inquireTransaction",
            json!({"transaction_id": old_query})
        )
        .await,
        (400, "Bad Request: transaction not found".into())
    );
}

#[tokio::test]
async fn ask_review_needs_a_user_the_bot_may_write_to() {
    let server = MockServer::start();
    start(&server).await;
    let answer = api(
        &server,
        TOKEN,
        "askReview",
        json!({"user_id": USER, "delay_seconds": 5}),
    )
    .await;
    assert_eq!(answer.result(), &json!(true));
    let (status, body) = control_post(&server, "users", json!({"id": OTHER})).await;
    assert_eq!(status, 200, "{body}");
    let cases = [
        (json!({}), 400, "Bad Request: invalid user_id specified"),
        (
            json!({"user_id": "abc"}),
            400,
            "Bad Request: invalid user_id specified",
        ),
        (
            json!({"user_id": 99_999}),
            400,
            "Bad Request: chat not found",
        ),
        (
            json!({"user_id": OTHER}),
            403,
            "Forbidden: bot can't initiate conversation with a user",
        ),
    ];
    for (params, status, text) in cases {
        assert_eq!(
            error(&server, "askReview", params.clone()).await,
            (status, text.to_owned()),
            "{params}"
        );
    }
}

/// A chat of `kind` with the bot as `bot_status`, `USER` a member; `OTHER` known but outside.
async fn group(server: &MockServer, kind: &str, bot_status: &str) -> i64 {
    let (status, body) = control_post(server, "users", json!({"id": OTHER})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = control_post(
        server,
        "chats",
        json!({"type": kind, "title": "Shop", "members": [{"user": USER}],
               "bots": [{"bot": BOT, "status": bot_status}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["chat"]["id"].as_i64().unwrap()
}

async fn member_status(server: &MockServer, chat: i64, user: i64) -> Value {
    let answer = api(
        server,
        TOKEN,
        "getChatMember",
        json!({"chat_id": chat, "user_id": user}),
    )
    .await;
    answer.result()["status"].clone()
}

#[tokio::test]
async fn invite_user_makes_the_user_a_member() {
    let server = MockServer::start();
    let chat = group(&server, "supergroup", "administrator").await;
    assert_eq!(member_status(&server, chat, OTHER).await, "left");
    // The bot asks for chat_member updates: it is told of the new member.
    api(
        &server,
        TOKEN,
        "getUpdates",
        json!({"allowed_updates": ["chat_member"]}),
    )
    .await;
    let invite = json!({"chat_id": chat, "user_id": OTHER});
    assert_eq!(
        api(&server, TOKEN, "inviteUser", invite.clone())
            .await
            .result(),
        &json!(true)
    );
    assert_eq!(member_status(&server, chat, OTHER).await, "member");
    let updates = api(&server, TOKEN, "getUpdates", json!({})).await;
    let change = &updates.result()[0]["chat_member"];
    assert_eq!(change["old_chat_member"]["status"], "left");
    assert_eq!(change["new_chat_member"]["status"], "member");
    assert_eq!(change["new_chat_member"]["user"]["id"], OTHER);
    let path = format!("/__mock/bots/{BOT}/chats/{chat}/messages");
    let transcript = crate::support::get(&server, &path).await.body;
    let joined = transcript["messages"].as_array().unwrap().last().unwrap()["message"].clone();
    assert_eq!(joined["new_chat_members"][0]["id"], OTHER);
    assert_eq!(joined["new_chat_member"]["id"], OTHER);
    // Again: nothing changes.
    assert_eq!(
        api(&server, TOKEN, "inviteUser", invite).await.result(),
        &json!(true)
    );
    let count = api(
        &server,
        TOKEN,
        "getChatMemberCount",
        json!({"chat_id": chat}),
    )
    .await;
    assert_eq!(count.result(), &json!(3));
}

#[tokio::test]
async fn invite_user_errors_come_in_the_real_order() {
    let server = MockServer::start();
    start(&server).await;
    let basic = group(&server, "group", "member").await;
    let supergroup = group(&server, "supergroup", "member").await;
    let cases = [
        (
            json!({"chat_id": basic, "user_id": "x"}),
            "Bad Request: invalid user_id specified",
        ),
        (json!({"user_id": OTHER}), "Bad Request: chat_id is empty"),
        (
            json!({"chat_id": -5, "user_id": OTHER}),
            "Bad Request: chat not found",
        ),
        (
            json!({"chat_id": USER, "user_id": OTHER}),
            "Bad Request: can't add members to a private chat",
        ),
        (
            json!({"chat_id": basic, "user_id": 99_999}),
            "Bad Request: user not found",
        ),
        (
            json!({"chat_id": basic, "user_id": OTHER}),
            "Bad Request: not enough rights to invite members to the group chat",
        ),
        (
            json!({"chat_id": supergroup, "user_id": OTHER}),
            "Bad Request: not enough rights to invite members to the supergroup chat",
        ),
    ];
    for (params, text) in cases {
        assert_eq!(
            error(&server, "inviteUser", params.clone()).await,
            (400, text.to_owned()),
            "{params}"
        );
    }
    assert_eq!(member_status(&server, basic, OTHER).await, "left");
}

#[tokio::test]
async fn answer_inline_query_is_unknown_on_bale_and_checked_on_telegram() {
    let bale = MockServer::start();
    assert_eq!(
        error(
            &bale,
            "answerInlineQuery",
            json!({"inline_query_id": "1", "results": "["})
        )
        .await,
        (404, "Not Found: method not found".into())
    );
    let telegram = MockServer::builder().dialect(Dialect::Telegram).start();
    let cases = [
        (
            json!("{"),
            "Bad Request: can't parse JSON encoded inline query results: ",
        ),
        (
            json!({}),
            "Bad Request: expected an Array of inline query results",
        ),
        (
            json!([1]),
            "Bad Request: can't parse inline query result: Inline query result must be an object",
        ),
        (
            json!([{"type": "article"}]),
            "Bad Request: can't parse inline query result: Can't find field \"id\"",
        ),
        (json!([{"type": "article", "id": "1"}]), TOO_OLD),
        (json!(null), TOO_OLD),
    ];
    for (results, text) in cases {
        let (status, description) = error(
            &telegram,
            "answerInlineQuery",
            json!({"inline_query_id": "1", "results": results}),
        )
        .await;
        assert_eq!(status, 400, "{results}");
        assert!(description.starts_with(text), "{results}: {description}");
    }
}
