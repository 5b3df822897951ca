//! `inquireTransaction` (Bale only): a payment made through the mock, as Balethon's
//! `Transaction` reads it — `id`, `status` (`pending`, `paid`, `failed`, `rejected`),
//! `userID`, `amount`, `createdAt`. The transaction id is the pre-checkout query's id,
//! which the `successful_payment` message repeats as `telegram_payment_charge_id`
//! (Balethon's `PreCheckoutQuery.inquire` and `SuccessfulPayment.inquire` pass those).
//!
//! Bale's errors are not known; the mock answers in tdlib's style: `Bad Request: parameter
//! "transaction_id" is required`, and `Bad Request: transaction not found` for an id it
//! did not make.

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};

#[derive(Deserialize)]
pub(super) struct Params {
    transaction_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let id = p
        .transaction_id
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            ApiError::new(400, "Bad Request: parameter \"transaction_id\" is required")
        })?;
    let record = call
        .state
        .conversation
        .payments
        .query(&id)
        .ok_or_else(|| ApiError::new(400, "Bad Request: transaction not found"))?;
    done(&record.transaction(call.now))
}
