//! Running the suite against a target: set-up calls, the request, rate-limit waits within a
//! budget, and each answer's shape judged against its snapshot.

use std::time::Duration;

use bale_api::{Envelope, Secret};
use bale_client::{Client, Encoding, Error, RawAnswer};
use serde_json::{Map, Value};

use crate::case::{token_for, Case, TokenVariant, CASES};
use crate::shape::{differences, shape, Difference};
use crate::snapshot;

/// What to run, against what.
#[derive(Clone, Debug)]
pub struct Options {
    /// The target's base URL (the in-process mock's, or e.g. `https://tapi.bale.ai`).
    pub base_url: String,
    /// The bot token.
    pub token: Secret,
    /// A PEM CA certificate to trust besides the usual roots.
    pub ca_pem: Option<Vec<u8>>,
    /// Run only cases whose name contains this (`*` matches anything).
    pub case_pattern: Option<String>,
    /// Whether the target is the in-process mock (destructive cases always run there).
    pub in_process: bool,
    /// Run destructive cases against other targets too.
    pub allow_destructive: bool,
    /// How long, in all, to wait out 429 answers.
    pub rate_limit_budget: Duration,
    /// The limit for one request.
    pub timeout: Duration,
}

/// How one case ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The shape matches the snapshot.
    Passed,
    /// The shape differs from the snapshot.
    Drifted(Vec<Difference>),
    /// There is no committed snapshot for this case.
    NoSnapshot,
    /// Not run, for this reason.
    Skipped(String),
    /// The target kept answering 429 beyond the wait budget.
    RateLimited {
        /// The last `retry_after` it asked for, in seconds.
        retry_after: Option<u64>,
    },
    /// No answer: a network failure or a body cut short (the error, token-free).
    Failed(String),
}

/// One case's result.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case.
    pub case: &'static Case,
    /// How it ended.
    pub outcome: Outcome,
    /// The shape the target answered with, when it answered.
    pub shape: Option<Value>,
    /// Seconds spent waiting out 429 answers.
    pub waited: u64,
}

/// The whole run.
#[derive(Clone, Debug)]
pub struct Report {
    /// The base URL checked (never with the token).
    pub target: String,
    /// Whether it was the in-process mock.
    pub in_process: bool,
    /// Every case, in order.
    pub results: Vec<CaseResult>,
}

/// Whether a case name matches a `--case` pattern: a substring, or with `*` a glob over the
/// whole name.
pub fn matches(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return name.contains(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if name.len() < first.len() + last.len() || !name.starts_with(first) || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Runs every selected case in order.
pub async fn run(options: &Options) -> Result<Report, Error> {
    let mut budget = options.rate_limit_budget;
    let mut results = Vec::new();
    for case in CASES {
        if let Some(pattern) = &options.case_pattern {
            if !matches(pattern, case.name) {
                continue;
            }
        }
        let result = match case.destructive {
            Some(why) if !options.in_process && !options.allow_destructive => CaseResult {
                case,
                outcome: Outcome::Skipped(format!("destructive: {why}; pass --allow-destructive")),
                shape: None,
                waited: 0,
            },
            _ => run_case(options, case, &mut budget).await?,
        };
        results.push(result);
    }
    Ok(Report {
        target: options.base_url.clone(),
        in_process: options.in_process,
        results,
    })
}

async fn run_case(
    options: &Options,
    case: &'static Case,
    budget: &mut Duration,
) -> Result<CaseResult, Error> {
    let valid = client(options, TokenVariant::Valid)?;
    let mut waited = 0;
    for method in case.setup {
        if let Err(outcome) = send(&valid, method, &[], Encoding::Json, budget, &mut waited).await {
            return Ok(CaseResult {
                case,
                outcome,
                shape: None,
                waited,
            });
        }
    }
    let client = client(options, case.token)?;
    let sent = send(
        &client,
        case.method,
        case.params,
        case.encoding,
        budget,
        &mut waited,
    );
    let answer = match sent.await {
        Ok(answer) => answer,
        Err(outcome) => {
            return Ok(CaseResult {
                case,
                outcome,
                shape: None,
                waited,
            })
        }
    };
    let got = shape(&answer);
    let outcome = match snapshot::committed(case.name) {
        None => Outcome::NoSnapshot,
        Some(pinned) => match differences(&pinned, &got) {
            found if found.is_empty() => Outcome::Passed,
            found => Outcome::Drifted(found),
        },
    };
    Ok(CaseResult {
        case,
        outcome,
        shape: Some(got),
        waited,
    })
}

fn client(options: &Options, variant: TokenVariant) -> Result<Client, Error> {
    let mut builder = Client::builder(token_for(variant, options.token.expose()).expose())
        .base_url(&options.base_url)
        .timeout(options.timeout);
    if let Some(pem) = &options.ca_pem {
        builder = builder.ca_cert_pem(pem);
    }
    builder.build()
}

/// One request; a 429 is waited out and repeated while the budget lasts.
async fn send(
    client: &Client,
    method: &str,
    params: &[(&str, &str)],
    encoding: Encoding,
    budget: &mut Duration,
    waited: &mut u64,
) -> Result<RawAnswer, Outcome> {
    let params: Map<String, Value> = params
        .iter()
        .map(|(key, value)| ((*key).to_owned(), Value::String((*value).to_owned())))
        .collect();
    loop {
        let answer = client
            .call_raw(method, &params, encoding)
            .await
            .map_err(|error| Outcome::Failed(error.to_string()))?;
        if answer.status != 429 {
            return Ok(answer);
        }
        let retry_after = answer
            .retry_after
            .or_else(|| body_retry_after(&answer.body));
        match retry_after.map(Duration::from_secs) {
            Some(wait) if wait <= *budget => {
                tokio::time::sleep(wait).await;
                *budget -= wait;
                *waited += wait.as_secs();
            }
            _ => return Err(Outcome::RateLimited { retry_after }),
        }
    }
}

fn body_retry_after(body: &[u8]) -> Option<u64> {
    let envelope: Envelope = serde_json::from_slice(body).ok()?;
    envelope.into_result().err()?.retry_after()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_the_options_shows_no_token() {
        let options = Options {
            base_url: "https://tapi.bale.ai".into(),
            token: "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw".into(),
            ca_pem: None,
            case_pattern: None,
            in_process: false,
            allow_destructive: false,
            rate_limit_budget: Duration::ZERO,
            timeout: Duration::from_secs(1),
        };
        for shown in [format!("{options:?}"), format!("{options:#?}")] {
            assert!(
                !shown.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
                "{shown}"
            );
            assert!(shown.contains("tapi.bale.ai"), "{shown}");
        }
    }

    #[test]
    fn case_patterns() {
        assert!(matches("get_me", "get_me__ok"));
        assert!(matches("ok", "get_me__ok"));
        assert!(matches("get_me*ok", "get_me__ok"));
        assert!(matches("*", "close__ok"));
        assert!(!matches("close", "get_me__ok"));
        assert!(!matches("me*close", "get_me__ok"));
    }
}
