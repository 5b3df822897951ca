//! What the servers are sent: the tokens and bodies, the throughput cases with the answer
//! the mock must give to each, the per-request-cost cases, and the scenario of rules the
//! rules case runs.

use crate::wrk::Load;

/// An active bot (zero-config: every well-formed token is one).
pub const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// A bot the driver logs out once, so that its requests take the error path.
pub const LOGGED_OUT_TOKEN: &str = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// A token the server rejects.
const BAD_TOKEN: &str = "123456:AAFAKE-token";
/// The parameters of the POST cases, as JSON and as a form.
pub const JSON_BODY: &str =
    r#"{"chat_id":123456789,"text":"Hello from the benchmark","disable_notification":true}"#;
const FORM_BODY: &str = "chat_id=123456789&text=Hello+from+the+benchmark&disable_notification=true";

/// Connection counts every throughput case runs at.
pub const CONNECTIONS: [u32; 2] = [1, 50];

/// One throughput case: what each server is sent, and what the mock must answer.
pub struct Case {
    /// The case's name in the tables.
    pub title: &'static str,
    /// The status every answer of the mock must have.
    pub mock_status: u16,
    /// A word the mock's answer must contain.
    pub mock_says: &'static str,
    /// What wrk sends.
    pub load: Load,
    /// Why telegram-test-api has no figure for this case, if it has none.
    pub ttapi_gap: Option<&'static str>,
}

/// The throughput cases, in table order (the first one, getMe, also warms the servers up).
pub fn cases() -> Vec<Case> {
    let path = |token: &str| format!("/bot{token}/getMe");
    vec![
        Case {
            title: "getMe (success)",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Get { path: path(TOKEN) },
            ttapi_gap: None,
        },
        Case {
            title: "logged-out bot (error path)",
            mock_status: 400,
            mock_says: "Logged out",
            load: Load::Get {
                path: path(LOGGED_OUT_TOKEN),
            },
            ttapi_gap: Some("no logOut: every bot is always active"),
        },
        Case {
            title: "bad token (auth failure)",
            mock_status: 403,
            mock_says: "Token not found",
            load: Load::Get {
                path: path(BAD_TOKEN),
            },
            ttapi_gap: Some("accepts any token: no auth failure path"),
        },
        Case {
            title: "POST JSON body",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Json {
                path: path(TOKEN),
                body: JSON_BODY.into(),
            },
            ttapi_gap: None,
        },
        Case {
            title: "POST form body",
            mock_status: 200,
            mock_says: "\"ok\":true",
            load: Load::Form {
                path: path(TOKEN),
                body: FORM_BODY.into(),
            },
            ttapi_gap: None,
        },
    ]
}

/// One per-request-cost case of the mock: GET getMe at 50 connections rotating over `bots`
/// bots, on a server running a scenario of `rules` rules that never match (so every request
/// is checked against all of them), or on the zero-config server when `rules` is 0.
/// `ready: Err` lists a case as not measurable yet.
pub struct CostCase {
    /// The case's name in the tables.
    pub label: &'static str,
    /// Distinct bots the requests rotate over.
    pub bots: usize,
    /// Rules of the scenario the server runs (0: none).
    pub rules: usize,
    /// `Err(why)` when the case is not measurable yet.
    pub ready: Result<(), &'static str>,
}

/// The per-request-cost cases, in table order: the first is the base of the ratios.
pub fn cost_cases() -> Vec<CostCase> {
    vec![
        CostCase {
            label: "1 bot",
            bots: 1,
            rules: 0,
            ready: Ok(()),
        },
        CostCase {
            label: "10 000 bots",
            bots: 10_000,
            rules: 0,
            ready: Ok(()),
        },
        CostCase {
            label: "1 bot, 1 000 scenario rules",
            bots: 1,
            rules: 1_000,
            ready: Ok(()),
        },
    ]
}

/// A scenario of `rules` rules for bots the benchmark never sends (ids 500000001…), each
/// with a method condition and an error answer, so none is shadowed and none matches.
pub fn rules_scenario(rules: usize) -> String {
    let mut toml = format!(
        "description = \"bale-bench: {rules} rules that match no request of the benchmark\"\n"
    );
    for i in 0..rules {
        toml.push_str(&format!(
            "\n[[rule]]\nname = \"rule {i}\"\nwhen = {{ bot = {}, method = \"getMe\" }}\n\
             then = {{ error = {{ code = 500, description = \"Internal Server Error: rule {i}\" }} }}\n",
            500_000_001 + i
        ));
    }
    toml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_scenario_names_other_bots_one_rule_each() {
        assert_eq!(
            rules_scenario(2),
            "description = \"bale-bench: 2 rules that match no request of the benchmark\"\n\
             \n[[rule]]\nname = \"rule 0\"\nwhen = { bot = 500000001, method = \"getMe\" }\n\
             then = { error = { code = 500, description = \"Internal Server Error: rule 0\" } }\n\
             \n[[rule]]\nname = \"rule 1\"\nwhen = { bot = 500000002, method = \"getMe\" }\n\
             then = { error = { code = 500, description = \"Internal Server Error: rule 1\" } }\n"
        );
        assert_eq!(rules_scenario(1_000).matches("[[rule]]").count(), 1_000);
    }

    #[test]
    fn the_cost_case_with_rules_is_the_third() {
        // The targets table reads the cost cases by position: 1 bot, 10 000 bots, rules.
        let cases = cost_cases();
        assert_eq!(
            cases.iter().map(|c| (c.bots, c.rules)).collect::<Vec<_>>(),
            [(1, 0), (10_000, 0), (1, 1_000)]
        );
        assert!(cases[2].label.starts_with("1 bot, "));
    }
}
