//! `sendInvoice`: the invoice's parameters in the real server's order (see
//! [`crate::invoice`]), then the reply markup, the chat and the message replied to, then
//! the sums; answers the sent Message with its `invoice`. The mock remembers the invoice
//! so a played user can pay it (`POST /__mock/bots/<bot>/payments`).

use bale_api::{Invoice, Message};

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::invoice::InvoiceParams;
use crate::payments::{InvoiceKey, InvoiceRecord};
use crate::{compose, markup};

pub(super) type Params = InvoiceParams;

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let draft = p.draft(call.dialect)?;
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    let total_amount = draft.total()?;
    let message = Message {
        reply_to_message,
        invoice: Some(Invoice {
            title: draft.title,
            description: draft.description,
            start_parameter: draft.start_parameter,
            currency: draft.currency.clone(),
            total_amount,
        }),
        reply_markup,
        has_protected_content: p.protect_content,
        ..Message::default()
    };
    let message = compose::post(&mut call, &target, message);
    call.state.conversation.payments.remember_invoice(
        InvoiceKey::Message(target.chat.id, message.message_id),
        InvoiceRecord {
            currency: draft.currency,
            total_amount,
            payload: draft.payload,
        },
    );
    done(&message)
}
