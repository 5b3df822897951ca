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
