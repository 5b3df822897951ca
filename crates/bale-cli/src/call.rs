//! `bale-mock call <METHOD>`: run one operation the way the n8n BaleMessenger node does and
//! print its output item as JSON on stdout (`{"logged_out":true}`, `{"closed":true}`, the
//! User for getMe, the `result` otherwise). Errors go to stderr, with an exit code per kind.

use std::path::PathBuf;
use std::time::Duration;

use bale_api::{Envelope, Secret};
use bale_client::{Client, Error, Operation};
use clap::Args;
use serde_json::{Map, Value};

use crate::exit;

/// Arguments of `bale-mock call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The Bot API method, e.g. getMe, logOut, close (any case).
    method: String,
    /// The API to call: the real one by default, or a mock such as http://127.0.0.1:8081.
    #[arg(long, env = "BALE_BASE_URL", default_value = bale_client::DEFAULT_BASE_URL)]
    base_url: String,
    /// The bot token.
    #[arg(long, env = "BALE_TOKEN", hide_env_values = true)]
    token: Option<Secret>,
    /// A parameter as key=value (repeatable); the value is sent as a string.
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Parameters as a JSON object; -p values are added to it and win.
    #[arg(long, value_name = "OBJECT")]
    json: Option<String>,
    /// Seconds to wait for the whole call.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// Also trust the CA certificate(s) in this PEM file for HTTPS, such as the one
    /// `bale-mock serve --tls --tls-ca-out FILE` writes.
    #[arg(long, env = "BALE_CA_CERT", value_name = "FILE")]
    ca_cert: Option<PathBuf>,
}

pub fn run(args: CallArgs) -> u8 {
    match prepare(&args) {
        Ok((client, params)) => call(&client, &args.method, &params),
        Err(message) => {
            eprintln!("bale-mock: {message}");
            exit::USAGE
        }
    }
}

fn prepare(args: &CallArgs) -> Result<(Client, Value), String> {
    let token = args
        .token
        .as_ref()
        .map(Secret::expose)
        .ok_or("no token: pass --token or set BALE_TOKEN")?;
    let mut params = match &args.json {
        None => Map::new(),
        Some(text) => match serde_json::from_str(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err("--json must be a JSON object".into()),
            Err(error) => return Err(format!("--json is not JSON: {error}")),
        },
    };
    for pair in &args.params {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("-p {pair:?} is not KEY=VALUE"))?;
        params.insert(key.to_owned(), Value::String(value.to_owned()));
    }
    let mut builder = Client::builder(token)
        .base_url(&args.base_url)
        .timeout(Duration::from_secs(args.timeout));
    if let Some(path) = &args.ca_cert {
        let pem = std::fs::read(path)
            .map_err(|error| format!("cannot read --ca-cert {}: {error}", path.display()))?;
        builder = builder.ca_cert_pem(&pem);
    }
    let client = builder.build().map_err(|error| error.to_string())?;
    Ok((client, Value::Object(params)))
}

fn call(client: &Client, method: &str, params: &Value) -> u8 {
    let runtime = match crate::client_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let operation = Operation::from_name(method);
    match runtime.block_on(operation.run(client, params)) {
        Ok(output) => {
            println!("{output}");
            exit::OK
        }
        Err(error) => report(error),
    }
}

/// Prints an error on stderr and picks its exit code. An API error is printed as the
/// envelope the server sent, so scripts can parse it.
fn report(error: Error) -> u8 {
    match error {
        Error::Api(api_error) => {
            let envelope = Envelope::<Value>::Err(api_error).to_bytes();
            eprintln!("{}", String::from_utf8_lossy(&envelope));
            exit::API_ERROR
        }
        Error::RateLimited { .. } => {
            eprintln!("bale-mock: {error}");
            exit::API_ERROR
        }
        Error::Network { .. } => {
            eprintln!("bale-mock: {error}");
            exit::NETWORK
        }
        Error::InvalidResponse { .. } => {
            eprintln!("bale-mock: {error}");
            exit::INVALID_RESPONSE
        }
        other => {
            eprintln!("bale-mock: {other}");
            exit::USAGE
        }
    }
}
