//! An invoice's parameters, shared by `sendInvoice` and `createInvoiceLink`, read in the
//! real server's order with its errors (tdlib/telegram-bot-api
//! `Client::get_input_message_invoice`, `get_labeled_price_parts`; tdlib
//! `LabeledPricePart::get_labeled_price_parts` for the sums).
//!
//! Telegram: `title`, `description`, `payload`, `currency` and `prices` are required, each
//! `Bad Request: parameter "<name>" is required` when absent or empty. Bale: its SDKs never
//! send `currency` (Balethon `send_invoice`, python-bale-bot `send_invoice`) and
//! python-bale-bot omits `payload` unless given, so the mock takes both as optional there
//! (currency `IRR`, payload empty), while `provider_token` (the card number or wallet token
//! both SDKs require) is required — assumptions, since Bale's server is not public.

use bale_api::{ApiError, Dialect, LabeledPrice};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The currency Bale invoices are in when the bot names none (assumed: Bale is an Iranian
/// service and its SDKs send no currency).
pub(crate) const BALE_CURRENCY: &str = "IRR";

/// The largest amount tdlib accepts (`check_currency_amount`).
const MAX_AMOUNT: i64 = 999_999_999_999;

/// The invoice parameters, as both methods take them.
#[derive(Deserialize)]
pub(crate) struct InvoiceParams {
    pub chat_id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    payload: Option<String>,
    provider_token: Option<String>,
    currency: Option<String>,
    prices: Option<String>,
    start_parameter: Option<String>,
    pub reply_to_message_id: Option<i64>,
    pub reply_parameters: Option<String>,
    #[serde(default)]
    pub allow_sending_without_reply: bool,
    pub reply_markup: Option<String>,
    #[serde(default)]
    pub protect_content: bool,
}

/// An invoice whose parameters were read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Draft {
    pub title: String,
    pub description: String,
    pub payload: String,
    pub currency: String,
    pub start_parameter: String,
    pub prices: Vec<LabeledPrice>,
}

fn required(name: &str) -> ApiError {
    ApiError::new(
        400,
        format!("Bad Request: parameter \"{name}\" is required"),
    )
}

fn given(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).cloned()
}

impl InvoiceParams {
    /// The invoice, or the first parameter error in the real server's order.
    pub(crate) fn draft(&self, dialect: Dialect) -> Result<Draft, ApiError> {
        let title = given(self.title.as_ref()).ok_or_else(|| required("title"))?;
        let description =
            given(self.description.as_ref()).ok_or_else(|| required("description"))?;
        let payload = match (given(self.payload.as_ref()), dialect) {
            (Some(payload), _) => payload,
            (None, Dialect::Bale) => String::new(),
            (None, Dialect::Telegram) => return Err(required("payload")),
        };
        if dialect == Dialect::Bale && given(self.provider_token.as_ref()).is_none() {
            return Err(required("provider_token"));
        }
        let currency = match (given(self.currency.as_ref()), dialect) {
            (Some(currency), _) => currency,
            (None, Dialect::Bale) => BALE_CURRENCY.to_owned(),
            (None, Dialect::Telegram) => return Err(required("currency")),
        };
        let prices = given(self.prices.as_ref()).ok_or_else(|| required("prices"))?;
        let prices = labeled_prices(&prices).map_err(|e| ApiError::new(400, e))?;
        Ok(Draft {
            title,
            description,
            payload,
            currency,
            start_parameter: self.start_parameter.clone().unwrap_or_default(),
            prices,
        })
    }
}

impl Draft {
    /// The sum of the prices, checked as tdlib checks it when the invoice is sent (after
    /// the chat): each part and the total within ±999 999 999 999, the total positive.
    pub(crate) fn total(&self) -> Result<i64, ApiError> {
        let bad = |text: &str| ApiError::new(400, format!("Bad Request: {text}"));
        let mut total: i64 = 0;
        for price in &self.prices {
            if !(-MAX_AMOUNT..=MAX_AMOUNT).contains(&price.amount) {
                return Err(bad("too big amount of the currency specified"));
            }
            // Saturating: a million parts cannot wrap the sum around into range.
            total = total.saturating_add(price.amount);
        }
        if total <= 0 {
            return Err(bad("total price must be positive"));
        }
        if total > MAX_AMOUNT {
            return Err(bad("total price is too big"));
        }
        Ok(total)
    }
}

/// `prices` as tdlib reads it, with its error texts (the first letter lower-cased by the
/// Bot API's error prefixing).
fn labeled_prices(text: &str) -> Result<Vec<LabeledPrice>, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|_| "Bad Request: can't parse prices JSON object".to_owned())?;
    let Value::Array(items) = value else {
        return Err("Bad Request: expected an Array of labeled prices".into());
    };
    let prices = items
        .iter()
        .map(|item| {
            labeled_price(item).map_err(|e| format!("Bad Request: can't parse labeled price: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if prices.is_empty() {
        return Err("Bad Request: there must be at least one price".into());
    }
    Ok(prices)
}

/// One LabeledPrice (tdlib `get_labeled_price_part`, `JsonObject::get_required_*_field`).
fn labeled_price(item: &Value) -> Result<LabeledPrice, String> {
    let Value::Object(fields) = item else {
        return Err("LabeledPrice must be an Object".into());
    };
    let label = match field(fields, "label")? {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return Err("Field \"label\" must be of type String".into()),
    };
    if label.is_empty() {
        return Err("LabeledPrice label must be non-empty".into());
    }
    let amount = match field(fields, "amount")? {
        Value::String(text) => exact_integer(text),
        Value::Number(number) => exact_integer(&number.to_string()),
        _ => return Err("Field \"amount\" must be a Number".into()),
    }
    .ok_or_else(|| "Field \"amount\" must be a valid Number".to_owned())?;
    Ok(LabeledPrice { label, amount })
}

fn field<'a>(fields: &'a Map<String, Value>, name: &str) -> Result<&'a Value, String> {
    fields
        .get(name)
        .ok_or_else(|| format!("Can't find field \"{name}\""))
}

/// td `to_integer_safe`: the text must be exactly an integer's decimal form (no `+`, no
/// leading zeros, no fraction) and fit in 64 bits.
fn exact_integer(text: &str) -> Option<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|value| value.to_string() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(prices: &str) -> String {
        labeled_prices(prices).unwrap_err()
    }

    #[test]
    fn prices_are_read_with_tdlibs_errors() {
        assert_eq!(
            labeled_prices(r#"[{"label":"Milk","amount":"20000"},{"label":7,"amount":-5}]"#),
            Ok(vec![
                LabeledPrice {
                    label: "Milk".into(),
                    amount: 20000
                },
                LabeledPrice {
                    label: "7".into(),
                    amount: -5
                },
            ])
        );
        let cases = [
            ("[", "Bad Request: can't parse prices JSON object"),
            ("{}", "Bad Request: expected an Array of labeled prices"),
            ("[]", "Bad Request: there must be at least one price"),
            (
                "[1]",
                "Bad Request: can't parse labeled price: LabeledPrice must be an Object",
            ),
            (
                r#"[{"amount":1}]"#,
                "Bad Request: can't parse labeled price: Can't find field \"label\"",
            ),
            (
                r#"[{"label":[],"amount":1}]"#,
                "Bad Request: can't parse labeled price: Field \"label\" must be of type String",
            ),
            (
                r#"[{"label":"","amount":1}]"#,
                "Bad Request: can't parse labeled price: LabeledPrice label must be non-empty",
            ),
            (
                r#"[{"label":"a"}]"#,
                "Bad Request: can't parse labeled price: Can't find field \"amount\"",
            ),
            (
                r#"[{"label":"a","amount":true}]"#,
                "Bad Request: can't parse labeled price: Field \"amount\" must be a Number",
            ),
            (
                r#"[{"label":"a","amount":1.5}]"#,
                "Bad Request: can't parse labeled price: Field \"amount\" must be a valid Number",
            ),
            (
                r#"[{"label":"a","amount":"+1"}]"#,
                "Bad Request: can't parse labeled price: Field \"amount\" must be a valid Number",
            ),
        ];
        for (prices, expected) in cases {
            assert_eq!(error(prices), expected, "{prices}");
        }
    }

    #[test]
    fn totals_are_checked_as_tdlib_checks_them() {
        let draft = |amounts: &[i64]| Draft {
            title: "t".into(),
            description: "d".into(),
            payload: String::new(),
            currency: "IRR".into(),
            start_parameter: String::new(),
            prices: amounts
                .iter()
                .map(|&amount| LabeledPrice {
                    label: "x".into(),
                    amount,
                })
                .collect(),
        };
        assert_eq!(draft(&[1000, -200]).total(), Ok(800));
        let text = |amounts: &[i64]| draft(amounts).total().unwrap_err().description;
        assert_eq!(
            text(&[100, -100]),
            "Bad Request: total price must be positive"
        );
        assert_eq!(
            text(&[MAX_AMOUNT + 1]),
            "Bad Request: too big amount of the currency specified"
        );
        assert_eq!(
            text(&[MAX_AMOUNT, 1]),
            "Bad Request: total price is too big"
        );
    }
}
