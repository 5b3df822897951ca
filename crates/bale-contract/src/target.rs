//! The in-process target: a mock whose one bot is the contract's, so that it answers an
//! unknown or wrong token as the real server does (zero-config would accept any secret).

use bale_mock::{MockServer, Scenario};

/// The token of the in-process mock's bot.
pub const MOCK_TOKEN: &str = "100000000:AAContractContractContractContr";

/// Starts the in-process target: only the bot of [`MOCK_TOKEN`] exists.
pub fn start_mock() -> MockServer {
    let source = format!(
        "description = \"the contract's bot; every other token is unknown\"\n\
         unknown_tokens = \"reject\"\n\
         [[bot]]\ntoken = \"{MOCK_TOKEN}\"\n"
    );
    let scenario = Scenario::parse("contract.toml", &source)
        .unwrap_or_else(|errors| panic!("the contract scenario is invalid: {errors}"));
    MockServer::builder().scenario(scenario).start()
}
