//! Tokens and routing: `bale_api::token` agrees with itself, and a request path routes to
//! the token and method it spells, encoded or not.

use bale_api::token::{check, parse_bot_id};
use bale_api::Token;
use bale_mock::fuzzing::route_target;
use bale_mock::request::decode_path;
use proptest::prelude::*;

/// Token-shaped text (signs, zeros, long ids, odd secrets) and anything at all.
fn token_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+-]?[0-9]{1,20}:[A-Za-z0-9_=+/-]{0,40}",
        "[+-]?[1-9][0-9]{0,15}:[A-Za-z0-9_-]{24,40}",
        "[0-9]{1,3}:[A-Za-z0-9_-]{20,90}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(crate::config(512))]

    #[test]
    fn an_accepted_token_names_its_bot_in_plain_digits(raw in token_like()) {
        if let Ok(bot) = check(&raw) {
            prop_assert_eq!(parse_bot_id(&raw), Ok(bot));
            prop_assert!(raw.starts_with(&format!("{bot}:")), "{raw:?} is bot {bot}");
            let token = Token::parse(&raw).unwrap();
            prop_assert_eq!(token.bot_id(), bot);
            prop_assert!(!format!("{token:?} {token}").contains(&raw), "the secret leaks");
        } else {
            prop_assert!(Token::parse(&raw).is_err());
        }
    }

    #[test]
    fn well_formed_tokens_route_to_their_bot_encoded_or_not(
        id in 1i64..(1 << 54),
        secret in "[A-Za-z0-9_-]{24,40}",
        method in "[A-Za-z]{1,20}",
    ) {
        let raw = format!("{id}:{secret}");
        prop_assume!(raw.len() <= 80);
        prop_assert_eq!(check(&raw), Ok(id));
        let want = Some((raw.clone(), method.clone()));
        prop_assert_eq!(route_target(&format!("/bot{raw}/{method}")), want.clone());
        let encoded: String = raw.bytes().map(|b| format!("%{b:02X}")).collect();
        prop_assert_eq!(route_target(&format!("/bot{encoded}/{method}")), want);
    }

    #[test]
    fn any_path_routes_to_parts_of_itself(path in prop_oneof![
        "/bot[^/]{0,30}(/[^/]{0,20}){0,3}",
        "(%[0-9A-Fa-f]{0,2}|[a-z/:%])*",
        any::<String>(),
    ]) {
        let decoded = decode_path(&path);
        if let Some((token, method)) = route_target(&path) {
            prop_assert!(decoded.starts_with("/bot"), "{path:?}");
            prop_assert!(decoded.contains(&token) && decoded.contains(&method));
            prop_assert!(!token.contains('/'), "{token:?}");
        }
    }
}
