//! `bale-mock scenarios list` and `bale-mock scenarios check FILE…`.

use bale_mock::scenario::SHIPPED;
use bale_mock::Scenario;
use clap::Subcommand;

use crate::exit;

/// `bale-mock scenarios …`.
#[derive(Debug, Subcommand)]
pub enum ScenariosCommand {
    /// The shipped scenarios, one line each.
    List,
    /// Validate scenario files (or shipped names); mistakes are printed as FILE:LINE:COLUMN.
    Check {
        /// Files or shipped scenario names.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
    },
}

pub fn run(command: ScenariosCommand) -> u8 {
    match command {
        ScenariosCommand::List => {
            let width = SHIPPED.iter().map(|s| s.name.len()).max().unwrap_or(0);
            for shipped in SHIPPED {
                let description = Scenario::load(shipped.name)
                    .map(|s| s.description)
                    .unwrap_or_else(|e| format!("(invalid: {e})"));
                println!("{:width$}  {description}", shipped.name);
            }
            exit::OK
        }
        ScenariosCommand::Check { files } => {
            let mut code = exit::OK;
            for file in files {
                match Scenario::load(&file) {
                    Ok(scenario) => println!(
                        "{file}: ok ({} bots, {} rules, {} rate limits)",
                        scenario.bots.len(),
                        scenario.rules.len(),
                        scenario.rate_limits.len()
                    ),
                    Err(error) => {
                        eprintln!("{error}");
                        code = exit::API_ERROR;
                    }
                }
            }
            code
        }
    }
}
