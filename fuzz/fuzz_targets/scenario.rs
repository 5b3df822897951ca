//! Scenario files: parsing and validation never panic, every error points into the file,
//! and a scenario that validates runs (its bots set up, its rules and limits matched).
#![no_main]

use std::time::Duration;

use bale_mock::engine::{Engine, RuleRequest};
use bale_mock::request::Params;
use bale_mock::{Config, Mock, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let scenario = match Scenario::parse("fuzz.toml", &source) {
        Ok(scenario) => scenario,
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let lines = source.split('\n').count();
            for error in &errors.0 {
                assert!(
                    (1..=lines).contains(&error.line),
                    "{error} of {lines} lines"
                );
                assert!(error.column >= 1, "{error}");
            }
            return;
        }
    };
    let engine = Engine::new(scenario.clone(), 1000);
    let params: Params = [("chat_id", "1")].into_iter().collect();
    for (bot, now) in [(1, 0), (123, 10), (1 << 40, 1_000_000)] {
        let now = Duration::from_secs(now);
        let request = RuleRequest {
            token: bale_api::Secret::new("1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            bot: Some(bot),
            method: "sendMessage",
            params: &params,
            now,
        };
        let _ = engine.match_rules(request);
        let _ = engine.take(bot, "sendMessage", &params, now);
    }
    let _ = Mock::new(Config::default().scenario(scenario));
});
