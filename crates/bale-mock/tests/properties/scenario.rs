//! Scenario files: any text parses or fails with positions inside the file, and rule tables
//! full of extreme numbers are accepted exactly when every number is within its documented
//! range — and then run without overflow.

use std::time::Duration;

use bale_mock::engine::{Engine, RuleRequest};
use bale_mock::request::Params;
use bale_mock::Scenario;
use proptest::prelude::*;

/// A TOML number as written, and its value when TOML reads it as one (`None`: it does not,
/// like an integer beyond `i64`).
fn number() -> impl Strategy<Value = (String, Option<f64>)> {
    let extreme = prop::sample::select(vec![
        ("0", Some(0.0)),
        ("-0.0", Some(-0.0)),
        ("1", Some(1.0)),
        ("-1", Some(-1.0)),
        ("0.5", Some(0.5)),
        ("86400", Some(86_400.0)),
        ("86400.001", Some(86_400.001)),
        ("31536000", Some(31_536_000.0)),
        ("31536001", Some(31_536_001.0)),
        ("1e18", Some(1e18)),
        ("1.8e19", Some(1.8e19)),
        ("1e20", Some(1e20)),
        ("1e300", Some(1e300)),
        ("-1e300", Some(-1e300)),
        ("9223372036854775807", Some(9.223_372_036_854_776e18)),
        ("18446744073709551615", None),
        ("nan", Some(f64::NAN)),
        ("inf", Some(f64::INFINITY)),
        ("-inf", Some(f64::NEG_INFINITY)),
    ]);
    prop_oneof![
        extreme.prop_map(|(text, value)| (text.to_owned(), value)),
        (0.0..100_000.0f64).prop_map(|x| (format!("{x:?}"), Some(x))),
        any::<i32>().prop_map(|n| (n.to_string(), Some(f64::from(n)))),
    ]
}

/// A call number as written in a range: extremes of `u64`.
fn call() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![0, 1, 2, 5, u64::MAX - 1, u64::MAX]),
        any::<u64>(),
    ]
}

const DAY: f64 = 86_400.0;
const YEAR: f64 = 31_536_000.0;

fn within(value: Option<f64>, low: f64, high: f64) -> bool {
    value.is_some_and(|x| (low..=high).contains(&x))
}

proptest! {
    #![proptest_config(crate::config(256))]

    #[test]
    fn any_text_parses_or_fails_inside_the_file(source in prop_oneof![
        any::<String>(),
        "(\\[\\[(rule|bot|rate_limit|user|chat)\\]\\]\n|[a-z_.]{1,12} = [-+0-9a-z.e\"{}=, ]{0,30}\n){0,6}",
    ]) {
        if let Err(errors) = Scenario::parse("p.toml", &source) {
            let lines = source.split('\n').count();
            prop_assert!(!errors.0.is_empty());
            for error in &errors.0 {
                prop_assert!((1..=lines).contains(&error.line), "{error}");
                prop_assert!(error.column >= 1, "{error}");
                prop_assert!(error.to_string().starts_with("p.toml:"), "{error}");
            }
        }
    }

    #[test]
    fn extreme_numbers_are_accepted_exactly_within_their_ranges(
        closing in number(),
        (delay, jitter, drip) in (number(), number(), number()),
        (window, since) in (number(), number()),
        (first, last, inclusive) in (call(), call(), any::<bool>()),
    ) {
        let dots = if inclusive { "..=" } else { ".." };
        let source = format!(
            "closing_seconds = {}\n\
             [[bot]]\ntoken = \"7:AAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\nsince = {}\n\
             [[rule]]\nwhen = {{ method = \"getMe\", calls = \"{first}{dots}{last}\" }}\n\
             then = {{ delay = {{ seconds = {}, jitter = {} }}, fault = {{ kind = \"drip\", seconds = {} }} }}\n\
             [[rate_limit]]\nscope = \"bot\"\nlimit = 3\nwindow = {}\n",
            closing.0, since.0, delay.0, jitter.0, drip.0, window.0,
        );
        let calls_ok = first >= 1 && if inclusive { first <= last } else { first < last };
        let valid = within(closing.1, 0.0, DAY)
            && within(since.1, -YEAR, YEAR)
            && within(delay.1, 0.0, DAY)
            && within(jitter.1, 0.0, DAY)
            && within(drip.1, 0.0, DAY) && drip.1 != Some(0.0)
            && within(window.1, 0.0, DAY) && Duration::try_from_secs_f64(window.1.unwrap_or(0.0)).is_ok_and(|w| !w.is_zero())
            && calls_ok;
        match Scenario::parse("p.toml", &source) {
            Ok(scenario) => {
                prop_assert!(valid, "accepted:\n{source}");
                let then = &scenario.rules[0].then;
                prop_assert!(then.delay.unwrap().base <= Duration::from_secs(86_400));
                let engine = Engine::new(scenario, 1000);
                let params = Params::default();
                for now in [0, 1, u64::from(u32::MAX)] {
                    let request = RuleRequest {
                        token: bale_api::Secret::new("7:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                        bot: Some(7),
                        method: "getMe",
                        params: &params,
                        now: Duration::from_secs(now),
                    };
                    if let Some(hit) = engine.match_rules(request) {
                        prop_assert!(hit.delay <= Duration::from_secs(2 * 86_400));
                    }
                    let _ = engine.take(7, "getMe", &params, Duration::from_secs(now));
                }
            }
            Err(errors) => {
                prop_assert!(!valid, "refused:\n{source}\n{errors}");
                prop_assert!(errors.0.iter().all(|e| (1..=11).contains(&e.line)), "{errors}");
            }
        }
    }
}
