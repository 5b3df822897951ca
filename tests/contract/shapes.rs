//! The contract suite (`bale-contract`'s cases) against the mock: every answer's shape is
//! pinned in `snapshots/shapes/`. `bale-mock contract` checks any target against the same
//! files, so the mock passing here means the mock keeps the contract.

use std::time::Duration;

use bale_contract::{run, start_mock, Options, CASES, MOCK_TOKEN};

#[tokio::test]
async fn the_mock_keeps_the_contract() {
    let server = start_mock();
    let options = Options {
        base_url: server.uri(),
        token: MOCK_TOKEN.into(),
        ca_pem: None,
        case_pattern: None,
        in_process: true,
        allow_destructive: true,
        rate_limit_budget: Duration::ZERO,
        timeout: Duration::from_secs(10),
    };
    let report = run(&options).await.expect("the suite runs");
    assert_eq!(report.results.len(), CASES.len(), "every case ran");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/shapes"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(false);
    for result in &report.results {
        let shape = result
            .shape
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no answer: {:?}", result.case.name, result.outcome));
        settings.bind(|| insta::assert_json_snapshot!(result.case.name, shape));
    }
    let text = report.text();
    assert!(!text.contains(MOCK_TOKEN) && !report.json().to_string().contains(MOCK_TOKEN));
}
