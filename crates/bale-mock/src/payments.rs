//! What one bot keeps of its payments: the invoices it sent or linked (so a played user can
//! pay one), and the pre-checkout queries users made, each of which is also the
//! transaction `inquireTransaction` finds (Balethon's `PreCheckoutQuery.inquire` passes the
//! query's id as the transaction id). Both maps are capped; the oldest entries go first.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::time::Duration;

use bale_api::{ChatId, PreCheckoutQuery, Transaction, TransactionStatus};
use serde::Serialize;

/// How long a pre-checkout query can be answered: the Bot API docs give the bot 10 seconds.
pub const ANSWER_WINDOW: Duration = Duration::from_secs(10);

/// Where an invoice can be paid from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InvoiceKey {
    /// An invoice message (`sendInvoice`): its chat and id.
    Message(ChatId, i64),
    /// An invoice link (`createInvoiceLink`).
    Link(String),
}

/// What paying an invoice needs that its message does not show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceRecord {
    /// The currency code.
    pub currency: String,
    /// The sum of the prices.
    pub total_amount: i64,
    /// The bot's payload.
    pub payload: String,
}

/// How the bot answered a pre-checkout query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PreCheckoutAnswer {
    /// Whether the bot accepted.
    pub ok: bool,
    /// Why it declined.
    pub error_message: Option<String>,
}

/// A pre-checkout query, its answer and what followed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreCheckoutRecord {
    /// The query as sent.
    pub pre_checkout_query: PreCheckoutQuery,
    /// Whether the bot answered.
    pub answered: bool,
    /// Its answer.
    pub answer: Option<PreCheckoutAnswer>,
    /// The chat the `successful_payment` message goes to.
    pub chat_id: ChatId,
    /// That message's id, once the payment went through.
    pub successful_payment_message_id: Option<i64>,
    /// When it was sent (server clock).
    #[serde(skip)]
    pub sent_at: Duration,
    /// When it was sent (Unix time): the transaction's `createdAt`.
    #[serde(skip)]
    pub created_at: i64,
}

impl PreCheckoutRecord {
    /// Whether it can still be answered at `now`.
    pub fn answerable(&self, now: Duration) -> bool {
        !self.answered && now.saturating_sub(self.sent_at) <= ANSWER_WINDOW
    }

    /// The transaction it is, as `inquireTransaction` answers it at `now`.
    pub fn transaction(&self, now: Duration) -> Transaction {
        let status = match &self.answer {
            Some(answer) if answer.ok => TransactionStatus::Paid,
            Some(_) => TransactionStatus::Rejected,
            None if self.answerable(now) => TransactionStatus::Pending,
            None => TransactionStatus::Failed,
        };
        Transaction {
            id: self.pre_checkout_query.id.clone(),
            status,
            user_id: self.pre_checkout_query.from.id,
            amount: self.pre_checkout_query.total_amount,
            created_at: self.created_at,
        }
    }
}

/// A map that forgets its oldest entries beyond a cap.
#[derive(Debug)]
struct Capped<K, V> {
    cap: usize,
    entries: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K: Clone + Eq + Hash, V> Capped<K, V> {
    fn new(cap: usize) -> Capped<K, V> {
        Capped {
            cap,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }
}

/// One bot's invoices and pre-checkout queries.
#[derive(Debug)]
pub struct Payments {
    invoices: Capped<InvoiceKey, InvoiceRecord>,
    queries: Capped<String, PreCheckoutRecord>,
}

impl Payments {
    /// Empty, keeping at most `cap` invoices and `cap` queries.
    pub fn new(cap: usize) -> Payments {
        Payments {
            invoices: Capped::new(cap),
            queries: Capped::new(cap),
        }
    }

    /// Remembers an invoice the bot sent or linked.
    pub fn remember_invoice(&mut self, key: InvoiceKey, invoice: InvoiceRecord) {
        self.invoices.insert(key, invoice);
    }

    /// An invoice the bot sent or linked.
    pub fn invoice(&self, key: &InvoiceKey) -> Option<&InvoiceRecord> {
        self.invoices.entries.get(key)
    }

    /// Remembers a pre-checkout query sent to the bot.
    pub fn remember_query(&mut self, record: PreCheckoutRecord) {
        self.queries
            .insert(record.pre_checkout_query.id.clone(), record);
    }

    /// A pre-checkout query sent to the bot.
    pub fn query(&self, id: &str) -> Option<&PreCheckoutRecord> {
        self.queries.entries.get(id)
    }

    /// A pre-checkout query to answer.
    pub fn query_mut(&mut self, id: &str) -> Option<&mut PreCheckoutRecord> {
        self.queries.entries.get_mut(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(amount: i64) -> InvoiceRecord {
        InvoiceRecord {
            currency: "IRR".into(),
            total_amount: amount,
            payload: String::new(),
        }
    }

    #[test]
    fn the_oldest_invoices_are_forgotten_beyond_the_cap() {
        let mut payments = Payments::new(2);
        for id in 1..=3 {
            payments.remember_invoice(InvoiceKey::Message(7, id), invoice(id));
        }
        assert!(payments.invoice(&InvoiceKey::Message(7, 1)).is_none());
        assert_eq!(
            payments.invoice(&InvoiceKey::Message(7, 3)),
            Some(&invoice(3))
        );
        // Replacing an entry does not count twice.
        payments.remember_invoice(InvoiceKey::Message(7, 3), invoice(30));
        assert!(payments.invoice(&InvoiceKey::Message(7, 2)).is_some());
    }
}
