//! `createInvoiceLink`: the invoice's parameters and sums checked as `sendInvoice` checks
//! them (tdlib `process_create_invoice_link_query` shares `get_input_message_invoice`);
//! answers the link as a string. The real links are `https://t.me/$<slug>` on Telegram;
//! Bale's are not documented, so the Bale dialect answers `https://ble.ir/$<slug>` (Bale's
//! public link domain, assumed). A played user can pay the link through the control API.

use bale_api::Dialect;

use super::{done, Call, Result};
use crate::invoice::InvoiceParams;
use crate::payments::{InvoiceKey, InvoiceRecord};

pub(super) type Params = InvoiceParams;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let draft = p.draft(call.dialect)?;
    let total_amount = draft.total()?;
    let host = match call.dialect {
        Dialect::Bale => "ble.ir",
        Dialect::Telegram => "t.me",
    };
    let conversation = &mut call.state.conversation;
    let link = format!("https://{host}/${}", conversation.draw_query_id());
    conversation.payments.remember_invoice(
        InvoiceKey::Link(link.clone()),
        InvoiceRecord {
            currency: draft.currency,
            total_amount,
            payload: draft.payload,
        },
    );
    done(&link)
}
