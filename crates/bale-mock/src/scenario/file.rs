//! The scenario file as written: a serde model of the TOML, with spans kept where the
//! validator needs to point at a value. Unknown keys and wrong types are rejected by serde
//! (with their position); everything else is checked in `validate`.

use std::collections::BTreeMap;
use std::fmt;

use bale_api::Dialect;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::model::BotState;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioFile {
    pub description: Option<String>,
    pub dialect: Option<Dialect>,
    pub seed: Option<u64>,
    pub unknown_tokens: Option<UnknownTokensFile>,
    pub closing_seconds: Option<Spanned<Number>>,
    #[serde(default)]
    pub bot: Vec<Spanned<BotFile>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RuleFile>>,
    #[serde(default)]
    pub rate_limit: Vec<Spanned<RateLimitFile>>,
    #[serde(default)]
    pub user: Vec<Spanned<UserFile>>,
    #[serde(default)]
    pub chat: Vec<Spanned<crate::people::ChatSpec>>,
}

/// A declared user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UserFile {
    pub id: Spanned<i64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

/// A number of seconds (or any number): TOML integers and floats alike.
#[derive(Clone, Copy, Debug)]
pub(super) enum Number {
    Int(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Number, E> {
                Ok(Number::Int(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Number, E> {
                i64::try_from(n)
                    .map(Number::Int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<Number, E> {
                Ok(Number::Float(x))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Number {
    pub fn get(self) -> f64 {
        match self {
            Number::Int(n) => n as f64,
            Number::Float(x) => x,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum UnknownTokensFile {
    Active,
    Reject,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BotFile {
    pub token: Spanned<String>,
    pub state: Option<BotState>,
    pub since: Option<Spanned<Number>>,
    pub dialect: Option<Dialect>,
    pub first_name: Option<String>,
    pub username: Option<String>,
}

/// One method name or a list of them.
#[derive(Debug)]
pub(super) struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<OneOrMany, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a method name or a list of method names")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![s.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<OneOrMany, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `calls = 3` or `calls = "2..5"`.
#[derive(Debug)]
pub(super) enum CallsFile {
    Nth(u64),
    Range(String),
}

impl<'de> Deserialize<'de> for CallsFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CallsFile, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CallsFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a call number like 3, or a range like \"2..5\"")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<CallsFile, E> {
                u64::try_from(n)
                    .map(CallsFile::Nth)
                    .map_err(|_| E::custom("calls start at 1"))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<CallsFile, E> {
                Ok(CallsFile::Nth(n))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<CallsFile, E> {
                Ok(CallsFile::Range(s.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WhenFile {
    pub token: Option<Spanned<String>>,
    pub bot: Option<Spanned<i64>>,
    pub method: Option<Spanned<OneOrMany>>,
    pub params: Option<BTreeMap<String, Spanned<toml::Value>>>,
    pub calls: Option<Spanned<CallsFile>>,
    pub time: Option<Spanned<String>>,
    pub probability: Option<Spanned<Number>>,
    pub state: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ErrorFile {
    pub code: Spanned<i64>,
    pub description: Spanned<String>,
    pub retry_after: Option<Spanned<u64>>,
    pub migrate_to_chat_id: Option<Spanned<i64>>,
}

/// `fault = "reset"` or `fault = { kind = "drip", seconds = 2 }`.
#[derive(Debug)]
pub(super) enum FaultFile {
    Kind(String),
    Table(FaultTable),
}

impl<'de> Deserialize<'de> for FaultFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FaultFile, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FaultFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a fault name, or a table like { kind = \"drip\", seconds = 2 }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<FaultFile, E> {
                Ok(FaultFile::Kind(s.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FaultFile, A::Error> {
                FaultTable::deserialize(MapAccessDeserializer::new(map)).map(FaultFile::Table)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FaultTable {
    pub kind: String,
    pub status: Option<i64>,
    pub seconds: Option<Number>,
}

/// `delay = 1.5` or `delay = { seconds = 1, jitter = 0.5 }`.
#[derive(Debug)]
pub(super) enum DelayFile {
    Seconds(Number),
    Table(DelayTable),
}

impl<'de> Deserialize<'de> for DelayFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DelayFile, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DelayFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("seconds, or a table like { seconds = 1, jitter = 0.5 }")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<DelayFile, E> {
                Ok(DelayFile::Seconds(Number::Int(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<DelayFile, E> {
                Number::deserialize(de::value::U64Deserializer::new(n)).map(DelayFile::Seconds)
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<DelayFile, E> {
                Ok(DelayFile::Seconds(Number::Float(x)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DelayFile, A::Error> {
                DelayTable::deserialize(MapAccessDeserializer::new(map)).map(DelayFile::Table)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DelayTable {
    pub seconds: Number,
    pub jitter: Option<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ThenFile {
    pub error: Option<Spanned<ErrorFile>>,
    pub result: Option<Spanned<toml::Value>>,
    pub fault: Option<Spanned<FaultFile>>,
    pub delay: Option<Spanned<DelayFile>>,
    pub bot_state: Option<BotState>,
    pub set_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    pub name: Option<String>,
    #[serde(default)]
    pub when: WhenFile,
    pub then: Spanned<ThenFile>,
    pub times: Option<Spanned<u64>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum ScopeFile {
    Bot,
    Chat,
    Method,
    Global,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum RateAnswerFile {
    Json,
    BaleProxy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RateLimitFile {
    pub name: Option<String>,
    pub scope: ScopeFile,
    pub limit: Spanned<i64>,
    pub window: Spanned<Number>,
    pub method: Option<Spanned<OneOrMany>>,
    pub bot: Option<Spanned<i64>>,
    pub answer: Option<RateAnswerFile>,
}
