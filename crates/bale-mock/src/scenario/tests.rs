use super::*;

#[test]
fn every_shipped_scenario_is_valid_and_described() {
    for shipped in SHIPPED {
        let scenario = Scenario::load(shipped.name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scenario.name, shipped.name);
        assert!(!scenario.description.is_empty(), "{}", shipped.name);
        assert!(
            shipped
                .source
                .starts_with(&format!("# {} — ", shipped.name)),
            "{}: comment header",
            shipped.name
        );
    }
}

#[test]
fn an_empty_file_is_the_zero_config_scenario() {
    let scenario = Scenario::parse("empty.toml", "").unwrap();
    assert_eq!(
        scenario,
        Scenario {
            name: "empty".into(),
            description: String::new(),
            ..Scenario::zero_config()
        }
    );
}

#[test]
fn errors_name_file_line_and_column() {
    let source = "description = \"x\"\n\n[[rule]]\nwhen = { method = \"sendMesage\" }\nthen = { delay = 1 }\n";
    let errors = Scenario::parse("s.toml", source).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "s.toml:4:19: unknown method \"sendMesage\" (did you mean \"sendMessage\"?)"
    );
}

#[test]
fn unknown_names_are_not_found() {
    let error = Scenario::load("no-such-scenario").unwrap_err();
    assert!(matches!(error, LoadError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("rate-limit"), "{error}");
}

/// The first error of `source`, as printed.
fn first_error(source: &str) -> String {
    match Scenario::parse("t.toml", source) {
        Ok(_) => panic!("accepted: {source}"),
        Err(errors) => errors.0[0].to_string(),
    }
}

#[test]
fn huge_seconds_are_refused_with_their_position() {
    let cases = [
        (
            "[[rule]]\nwhen = { method = \"getMe\" }\n\
             then = { fault = { kind = \"drip\", seconds = 1e20 } }\n",
            "t.toml:3:18: drip needs seconds > 0 and at most 86400 (one day): \
             { kind = \"drip\", seconds = 2 }",
        ),
        (
            "[[rule]]\nwhen = { method = \"getMe\" }\n\
             then = { delay = { seconds = 1.8e19, jitter = 1e18 } }\n",
            "t.toml:3:18: delay seconds and jitter must be numbers from 0 to 86400 (one day)",
        ),
        (
            "[[rule]]\nwhen = { method = \"getMe\" }\nthen = { delay = 86400.5 }\n",
            "t.toml:3:18: delay seconds and jitter must be numbers from 0 to 86400 (one day)",
        ),
        (
            "closing_seconds = 1e20\n",
            "t.toml:1:19: closing_seconds must be a number of seconds from 0 to 86400 (one day)",
        ),
        (
            "[[rate_limit]]\nscope = \"bot\"\nlimit = 1\nwindow = 1e300\n",
            "t.toml:4:10: window must be a number of seconds from 0 to 86400 (one day)",
        ),
        (
            "[[bot]]\ntoken = \"1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\nsince = 1e300\n",
            "t.toml:3:9: since must be a number of seconds from -31536000 to 31536000 (a year)",
        ),
        (
            "[[bot]]\ntoken = \"1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\nsince = nan\n",
            "t.toml:3:9: since must be a number of seconds from -31536000 to 31536000 (a year)",
        ),
        (
            "[[rule]]\nwhen = { time = \"1e300..\" }\nthen = { delay = 0 }\n",
            "t.toml:2:17: time must be a non-empty range of seconds from 0 to 31536000 (a year) \
             like \"10..20\", \"..30\" or \"600..\"",
        ),
    ];
    for (source, want) in cases {
        assert_eq!(first_error(source), want, "{source}");
    }
}

#[test]
fn empty_or_backwards_call_ranges_are_refused() {
    let want = "t.toml:2:36: calls must be a call number from 1, or a non-empty range like \
                \"2..5\", \"2..=4\" or \"3..\"";
    for calls in [
        "\"1..0\"",
        "\"..0\"",
        "\"..1\"",
        "\"5..5\"",
        "\"0..=0\"",
        "\"1..=18446744073709551616\"",
        "\"1e30..\"",
        "\"1.5..3\"",
        "0",
    ] {
        let source = format!(
            "[[rule]]\nwhen = {{ method = \"getMe\", calls = {calls} }}\nthen = {{ fault = \"reset\" }}\n"
        );
        assert_eq!(first_error(&source), want, "{calls}");
    }
    let calls = |text: &str| {
        let source = format!("[[rule]]\nwhen = {{ calls = {text} }}\nthen = {{ delay = 0 }}\n");
        Scenario::parse("t.toml", &source).unwrap().rules[0]
            .when
            .calls
            .unwrap()
    };
    assert_eq!(calls("\"1..=18446744073709551615\"").last, u64::MAX);
    assert_eq!(
        calls("\"3..\""),
        CallRange {
            first: 3,
            last: u64::MAX
        }
    );
    assert_eq!(calls("18446744073709551615").first, u64::MAX);
}

#[test]
fn ids_and_counts_out_of_range_are_refused() {
    let cases = [
        (
            "[[rule]]\nwhen = { bot = -1 }\nthen = { delay = 0 }\n",
            "t.toml:2:16: when.bot is a bot id, a positive whole number",
        ),
        (
            "[[rate_limit]]\nscope = \"bot\"\nlimit = 1\nwindow = 1\nbot = 0\n",
            "t.toml:5:7: bot is a bot id, a positive whole number",
        ),
        (
            "[[rate_limit]]\nscope = \"bot\"\nlimit = 4294967296\nwindow = 1\n",
            "t.toml:3:9: limit must be a whole number from 1 to 4294967295",
        ),
        (
            "[[rule]]\nthen = { error = { code = 429, description = \"x\", retry_after = 86401 } }\n",
            "t.toml:2:65: retry_after must be a whole number of seconds from 0 to 86400 (one day)",
        ),
        (
            "[[rule]]\nthen = { error = { code = 400, description = \"x\", migrate_to_chat_id = 5 } }\n",
            "t.toml:2:72: migrate_to_chat_id is a supergroup's id, a negative whole number",
        ),
        (
            "[[chat]]\ntype = \"group\"\ntitle = \"g\"\nmembers = [{ user = -3 }]\n",
            "t.toml:1:1: each of members names a user by a positive id: { user = <id>, status = \"member\" }",
        ),
    ];
    for (source, want) in cases {
        assert_eq!(first_error(source), want, "{source}");
    }
}

#[test]
fn the_largest_accepted_numbers_are_accepted() {
    let source = "closing_seconds = 86400\n\
                  [[bot]]\ntoken = \"1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\nsince = -31536000\n\
                  [[rule]]\nwhen = { time = \"0..31536000\" }\n\
                  then = { delay = { seconds = 86400, jitter = 86400 }, fault = { kind = \"drip\", seconds = 86400 } }\n\
                  [[rate_limit]]\nscope = \"bot\"\nlimit = 4294967295\nwindow = 86400\n";
    let scenario = Scenario::parse("t.toml", source).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.closing, std::time::Duration::from_secs(86_400));
    assert_eq!(
        scenario.rules[0].then.delay.unwrap().jitter,
        std::time::Duration::from_secs(86_400)
    );
}
