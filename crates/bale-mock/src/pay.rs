//! Playing a paying user: a user pays an invoice the bot sent (or linked), which sends the
//! bot a `pre_checkout_query`; the test then reads how the bot answered it. The control API
//! (`POST /__mock/bots/<bot>/payments`, `GET …/pre_checkout_queries/<id>`) and tests call
//! these.

use bale_api::{BotId, ChatId, PreCheckoutQuery, Transaction};
use serde::{Deserialize, Serialize};

use crate::payments::{InvoiceKey, PreCheckoutRecord};
use crate::people::{push, PlayError};
use crate::route::Mock;
use crate::world::MemberStatus;

/// A user paying an invoice: name either the invoice message or the invoice link.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The user's id (made on first use).
    pub from: i64,
    /// The invoice message's chat: the user's private chat when absent.
    #[serde(default)]
    pub chat: Option<ChatId>,
    /// The invoice message (`sendInvoice`).
    #[serde(default)]
    pub message_id: Option<i64>,
    /// Or the link `createInvoiceLink` answered; its payment goes to the user's private
    /// chat with the bot.
    #[serde(default)]
    pub invoice_link: Option<String>,
}

/// What paying became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paying {
    /// The query's id: for `answerPreCheckoutQuery`, the control API and
    /// `inquireTransaction`.
    pub pre_checkout_query_id: String,
    /// The update it was queued as.
    pub update_id: Option<i64>,
}

/// A pre-checkout query, how the bot answered it, and the transaction it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentView {
    /// The query and its answer.
    #[serde(flatten)]
    pub record: PreCheckoutRecord,
    /// As `inquireTransaction` answers it now.
    pub transaction: Transaction,
}

impl Mock {
    /// A user pays an invoice of the bot: the bot is sent a pre-checkout query.
    pub fn pay(&self, bot: BotId, payment: Payment) -> Result<Paying, PlayError> {
        let limits = self.world().limits;
        let user = self.world().write().user_or_new(payment.from, &limits)?;
        let (key, chat) = match (payment.message_id, payment.invoice_link) {
            (Some(id), None) => {
                let chat = payment.chat.unwrap_or(payment.from);
                self.check_payer_in(chat, payment.from)?;
                (InvoiceKey::Message(chat, id), chat)
            }
            (None, Some(link)) if payment.chat.is_none() => (InvoiceKey::Link(link), payment.from),
            _ => {
                return Err(PlayError::Refused(
                    "name the invoice by \"message_id\" (and \"chat\") or by \"invoice_link\", \
                     not both"
                        .into(),
                ))
            }
        };
        let now = self.clock().now();
        let date = self.clock().unix(now);
        self.bots().with(bot, |state| {
            let conversation = &mut state.conversation;
            let invoice = conversation.payments.invoice(&key).cloned();
            let shown = match &key {
                InvoiceKey::Message(chat, id) => conversation.message(*chat, *id).is_some(),
                InvoiceKey::Link(_) => true,
            };
            let invoice = invoice.filter(|_| shown).ok_or_else(|| {
                PlayError::NotFound(match &key {
                    InvoiceKey::Message(chat, id) => {
                        format!("bot {bot} has no invoice message {id} in chat {chat}")
                    }
                    InvoiceKey::Link(link) => format!("bot {bot} made no invoice link {link}"),
                })
            })?;
            if chat > 0 {
                // Paying a link opens the user's chat with the bot, as starting it would.
                conversation.open_chat(chat);
            }
            let query = PreCheckoutQuery {
                id: conversation.draw_query_id(),
                from: user.plain(),
                currency: invoice.currency,
                total_amount: invoice.total_amount,
                invoice_payload: invoice.payload,
            };
            let update_id = push(conversation, "pre_checkout_query", &query, now);
            let pre_checkout_query_id = query.id.clone();
            conversation.payments.remember_query(PreCheckoutRecord {
                pre_checkout_query: query,
                answered: false,
                answer: None,
                chat_id: chat,
                successful_payment_message_id: None,
                sent_at: now,
                created_at: date,
            });
            Ok(Paying {
                pre_checkout_query_id,
                update_id,
            })
        })
    }

    /// A pre-checkout query sent to the bot, its answer and its transaction.
    pub fn pre_checkout_query(&self, bot: BotId, id: &str) -> Option<PaymentView> {
        let now = self.clock().now();
        self.bots().with(bot, |state| {
            let record = state.conversation.payments.query(id)?.clone();
            let transaction = record.transaction(now);
            Some(PaymentView {
                record,
                transaction,
            })
        })
    }

    /// A user pays in their own private chat, or in a group they are a member of.
    fn check_payer_in(&self, chat: ChatId, user: i64) -> Result<(), PlayError> {
        if chat > 0 {
            return match chat == user {
                true => Ok(()),
                false => Err(PlayError::Refused(format!(
                    "user {user} pays in their own private chat, whose id is {user}"
                ))),
            };
        }
        let directory = self.world().read();
        let group = directory
            .chat(chat)
            .ok_or_else(|| PlayError::NotFound(format!("no chat {chat}")))?;
        match group.status(user).is_some_and(MemberStatus::is_member) {
            true => Ok(()),
            false => Err(PlayError::Refused(format!(
                "user {user} is not a member of chat {chat}"
            ))),
        }
    }
}
