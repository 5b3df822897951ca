//! `answerPreCheckoutQuery`: answers a payment's pre-checkout query (once, within 10 s on
//! the server clock). tdlib checks `error_message` first — required when `ok` is false
//! (`Bad Request: parameter "error_message" is required`) — and then the id: unknown,
//! answered or expired is `Bad Request: query is too old and response timeout expired or
//! query ID is invalid` (`process_answer_pre_checkout_query_query`, `QUERY_ID_INVALID`).
//!
//! With `ok=true` the payment goes through: the user's `successful_payment` service message
//! is posted in the invoice's chat and sent to the bot, and the transaction is `paid`.

use bale_api::{ApiError, Chat, ChatId, ChatType, Message, SuccessfulPayment};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::conversation::Sender;
use crate::decode::lenient_integer;
use crate::payments::PreCheckoutAnswer;

#[derive(Deserialize)]
pub(super) struct Params {
    pre_checkout_query_id: Option<String>,
    #[serde(default)]
    ok: bool,
    error_message: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let error_message = p.error_message.filter(|m| !m.is_empty());
    if !p.ok && error_message.is_none() {
        return Err(ApiError::new(
            400,
            "Bad Request: parameter \"error_message\" is required",
        ));
    }
    // tdlib reads the id as an integer: " 42abc" names query 42.
    let id = lenient_integer(p.pre_checkout_query_id.as_deref().unwrap_or_default()).to_string();
    let now = call.now;
    let payments = &mut call.state.conversation.payments;
    let record = payments
        .query_mut(&id)
        .filter(|record| record.answerable(now))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        })?;
    record.answered = true;
    record.answer = Some(PreCheckoutAnswer {
        ok: p.ok,
        error_message: error_message.filter(|_| !p.ok),
    });
    let record = record.clone();
    if p.ok {
        let query = &record.pre_checkout_query;
        let provider_payment_charge_id = call.state.conversation.draw_query_id();
        let message = Message {
            from: Some(query.from.clone()),
            successful_payment: Some(SuccessfulPayment {
                currency: query.currency.clone(),
                total_amount: query.total_amount,
                invoice_payload: query.invoice_payload.clone(),
                telegram_payment_charge_id: query.id.clone(),
                provider_payment_charge_id,
            }),
            ..Message::default()
        };
        let id = post_from_user(&mut call, record.chat_id, message);
        if let Some(record) = call.state.conversation.payments.query_mut(&query.id) {
            record.successful_payment_message_id = id;
        }
    }
    call.state.conversation.touch();
    done(&true)
}

/// Posts a user's service message in `chat` and sends it to the bot; its id, or `None` if
/// the chat is gone.
fn post_from_user(call: &mut Call<'_>, chat: ChatId, mut message: Message) -> Option<i64> {
    let chat = if chat > 0 {
        let user = message.from.clone()?;
        message.message_id = call.state.conversation.next_message_id();
        Chat::private(&user)
    } else {
        let mut directory = call.world.write();
        let group = directory.chat_mut(chat)?;
        message.message_id = if group.numbers_its_messages() {
            let id = group.next_message_id;
            group.next_message_id += 1;
            id
        } else {
            call.state.conversation.next_message_id()
        };
        group.chat.clone()
    };
    // A channel's messages reach its bots as channel posts.
    let kind = match chat.kind {
        ChatType::Channel => "channel_post",
        _ => "message",
    };
    message.chat = Some(chat);
    message.date = call.date();
    let id = message.message_id;
    let conversation = &mut call.state.conversation;
    conversation.store(Sender::User, message.clone());
    crate::people::push(conversation, kind, &message, call.now);
    Some(id)
}
