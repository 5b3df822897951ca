//! Payment objects: an invoice message's `invoice`, the `pre_checkout_query` update, the
//! `successful_payment` service message, and Bale's own `Transaction`. Keys are in the
//! order tdlib/telegram-bot-api writes them (`JsonInvoice`, `JsonPreCheckoutQuery`,
//! `JsonSuccessfulPaymentBot`); `Transaction` has no Telegram counterpart and follows the
//! keys Balethon reads (`balethon/objects/transaction.py`: `userID`, `createdAt`).

use serde::{Deserialize, Serialize};

use crate::User;

/// One line of an invoice's price breakdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledPrice {
    /// What the line is for.
    pub label: String,
    /// In the smallest units of the currency.
    pub amount: i64,
}

/// An invoice, as a message shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// The product's name.
    pub title: String,
    /// The product's description.
    pub description: String,
    /// The deep-linking parameter (tdlib writes it even when empty).
    pub start_parameter: String,
    /// The currency code.
    pub currency: String,
    /// The sum of the prices, in the smallest units of the currency.
    pub total_amount: i64,
}

/// A user confirming a payment: the bot must answer it with `answerPreCheckoutQuery`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreCheckoutQuery {
    /// A decimal string of a 64-bit integer.
    pub id: String,
    /// Who pays.
    pub from: User,
    /// The currency code.
    pub currency: String,
    /// The amount, in the smallest units of the currency.
    pub total_amount: i64,
    /// The bot's payload of the invoice.
    pub invoice_payload: String,
}

/// A payment that went through, as its service message shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessfulPayment {
    /// The currency code.
    pub currency: String,
    /// The amount, in the smallest units of the currency.
    pub total_amount: i64,
    /// The bot's payload of the invoice.
    pub invoice_payload: String,
    /// The server's id of the payment (on Bale, the transaction id `inquireTransaction`
    /// takes: Balethon's `SuccessfulPayment.inquire` passes it).
    pub telegram_payment_charge_id: String,
    /// The payment provider's id of the payment.
    pub provider_payment_charge_id: String,
}

/// Bale only: a payment as `inquireTransaction` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The transaction id (the pre-checkout query's id).
    pub id: String,
    /// `pending`, `paid`, `failed` or `rejected` (Balethon's `TransactionStatus`).
    pub status: TransactionStatus,
    /// Who paid.
    #[serde(rename = "userID")]
    pub user_id: i64,
    /// The amount, in the smallest units of the currency.
    pub amount: i64,
    /// When the payment was started (Unix time).
    #[serde(rename = "createdAt")]
    pub created_at: i64,
}

/// Where a transaction stands (Balethon's `TransactionStatus`, written in lower case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransactionStatus {
    /// Waiting for the bot's answer to the pre-checkout query.
    Pending,
    /// The bot accepted and the money moved.
    Paid,
    /// The bot did not answer in time.
    Failed,
    /// The bot declined (`ok=false`).
    Rejected,
}
