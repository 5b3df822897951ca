//! Tokens and paths: `bale_api::token` and the server's routing of a request path never
//! panic, and agree with each other.
#![no_main]

use bale_api::token::{check, parse_bot_id};
use bale_api::Token;
use bale_mock::fuzzing::route_target;
use bale_mock::request::decode_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let checked = check(&text);
    if let Ok(bot) = checked {
        // A well-formed token names its bot in plain digits before the colon.
        assert_eq!(parse_bot_id(&text), Ok(bot));
        assert!(
            text.starts_with(&format!("{bot}:")),
            "{text:?} names bot {bot}"
        );
        let token = Token::parse(&text).expect("check and parse agree");
        assert_eq!((token.bot_id(), token.expose()), (bot, &*text));
        assert!(
            !format!("{token:?}{token}").contains(&*text),
            "the secret leaks"
        );
    }
    // The text as a whole path, and as the token of a Bot API path.
    let _ = decode_path(&text);
    let _ = route_target(&text);
    if !text.contains(['/', '%', '?', '#']) {
        let routed = route_target(&format!("/bot{text}/getMe"));
        assert_eq!(
            routed,
            Some((text.clone().into_owned(), "getMe".to_owned()))
        );
    }
});
