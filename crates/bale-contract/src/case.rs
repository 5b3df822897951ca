//! The contract cases: data, in one place. The in-repo snapshot tests and
//! `bale-mock contract` run exactly these, in this order.
//!
//! Each case sets up its own precondition (its `setup` calls are made first and their answers
//! are not judged), so any subset can run alone. The order keeps a real bot usable for as
//! long as possible: harmless cases first, `close` next, `logOut` (which locks the bot out
//! for 10 minutes) last.

use bale_api::Secret;
use bale_client::Encoding;

/// Which token a case sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenVariant {
    /// The bot's real token.
    Valid,
    /// The same bot id with another, well-formed secret: a token the server does not know.
    WrongSecret,
    /// The same bot id with a secret too short to be a token.
    Malformed,
}

/// One contract case: a request whose answer's shape is pinned in `snapshots/shapes/`.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// The snapshot's name, `<method>__<situation>`.
    pub name: &'static str,
    /// What it checks, in a few words.
    pub about: &'static str,
    /// Methods called first (with the valid token, as JSON), their answers not judged.
    pub setup: &'static [&'static str],
    /// The method under test, as sent.
    pub method: &'static str,
    /// Its parameters, as text.
    pub params: &'static [(&'static str, &'static str)],
    /// The token it is sent with.
    pub token: TokenVariant,
    /// How the request is encoded.
    pub encoding: Encoding,
    /// Why the case changes the bot for a while, if it does; such cases run against a real
    /// target only with `--allow-destructive`.
    pub destructive: Option<&'static str>,
}

const CLOSES: &str = "closes the bot instance (the next request relaunches it); \
                      close may answer 429 for 10 minutes after a launch";
const LOGS_OUT: &str = "logs the bot out: the cloud server refuses it for 10 minutes";

/// Every case, in the order they run.
pub const CASES: &[Case] = &[
    Case {
        name: "get_me__ok",
        about: "getMe, POST with a JSON body",
        setup: &[],
        method: "getMe",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_me__get_query",
        about: "getMe, GET with no body",
        setup: &[],
        method: "getMe",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Query,
        destructive: None,
    },
    Case {
        name: "get_me__form",
        about: "getMe, POST urlencoded (node-telegram-bot-api)",
        setup: &[],
        method: "getMe",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Form,
        destructive: None,
    },
    Case {
        name: "get_me__any_case",
        about: "GETME: method names ignore case",
        setup: &[],
        method: "GETME",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "unknown_method",
        about: "a method the server does not serve",
        setup: &[],
        method: "sendTelepathy",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_me__wrong_secret",
        about: "a well-formed token the server does not know",
        setup: &[],
        method: "getMe",
        params: &[],
        token: TokenVariant::WrongSecret,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_me__malformed_token",
        about: "a token whose secret is too short",
        setup: &[],
        method: "getMe",
        params: &[],
        token: TokenVariant::Malformed,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "log_out__wrong_secret",
        about: "logOut with an unknown token changes nothing",
        setup: &[],
        method: "logOut",
        params: &[],
        token: TokenVariant::WrongSecret,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_webhook_info__ok",
        about: "getWebhookInfo: the WebhookInfo object",
        setup: &[],
        method: "getWebhookInfo",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_chat__no_chat_id",
        about: "getChat without chat_id",
        setup: &[],
        method: "getChat",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_chat__unknown_chat",
        about: "getChat of a group nobody has",
        setup: &[],
        method: "getChat",
        params: &[("chat_id", "-1")],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_file__no_file_id",
        about: "getFile without file_id",
        setup: &[],
        method: "getFile",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_file__invalid_file_id",
        about: "getFile of text that is no file_id",
        setup: &[],
        method: "getFile",
        params: &[("file_id", "nope")],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "get_chat_member__invalid_user_id",
        about: "getChatMember with a user_id that is not a number",
        setup: &[],
        method: "getChatMember",
        params: &[("chat_id", "-1"), ("user_id", "x")],
        token: TokenVariant::Valid,
        encoding: Encoding::Form,
        destructive: None,
    },
    Case {
        name: "get_sticker_set__unknown",
        about: "getStickerSet of a name no set has",
        setup: &[],
        method: "getStickerSet",
        params: &[("name", "no_such_set_bale_mock_contract")],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: None,
    },
    Case {
        name: "close__ok",
        about: "close a running bot",
        setup: &["getMe"],
        method: "close",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: Some(CLOSES),
    },
    Case {
        name: "close__already_closed",
        about: "close twice with no request between",
        setup: &["close"],
        method: "close",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: Some(CLOSES),
    },
    Case {
        name: "log_out__ok",
        about: "logOut a running bot",
        setup: &["getMe"],
        method: "logOut",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: Some(LOGS_OUT),
    },
    Case {
        name: "get_me__logged_out",
        about: "any request after logOut",
        setup: &["logOut"],
        method: "getMe",
        params: &[],
        token: TokenVariant::Valid,
        encoding: Encoding::Json,
        destructive: Some(LOGS_OUT),
    },
];

/// The token a case sends, derived from the bot's real token. The result is as secret as
/// the token it comes from.
pub fn token_for(variant: TokenVariant, token: &str) -> Secret {
    let (id, secret) = token.split_once(':').unwrap_or((token, ""));
    Secret::new(match variant {
        TokenVariant::Valid => token.to_owned(),
        TokenVariant::WrongSecret => {
            // Same length and alphabet, every character changed.
            let changed: String = secret
                .chars()
                .map(|c| if c == 'A' { 'B' } else { 'A' })
                .collect();
            let changed = if changed.len() < 24 {
                "A".repeat(30)
            } else {
                changed
            };
            format!("{id}:{changed}")
        }
        TokenVariant::Malformed => format!("{id}:short"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_destructive_cases_come_last() {
        let mut names: Vec<_> = CASES.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CASES.len());
        let first_destructive = CASES.iter().position(|c| c.destructive.is_some()).unwrap();
        assert!(CASES[first_destructive..]
            .iter()
            .all(|c| c.destructive.is_some()));
    }

    #[test]
    fn derived_tokens() {
        let token = "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        let wrong = token_for(TokenVariant::WrongSecret, token);
        let wrong = wrong.expose();
        assert_ne!(wrong, token);
        assert_eq!(wrong.len(), token.len());
        assert!(wrong.starts_with("123:"));
        assert_eq!(
            token_for(TokenVariant::Malformed, token).expose(),
            "123:short"
        );
    }
}
