//! `bale-mock call <METHOD>`: run one operation the way the n8n BaleMessenger node does and
//! print its output item as JSON on stdout (`{"logged_out":true}`, `{"banned":true}`, the
//! User for getMe, … as bale-client's table says; the `result` for a method the node does
//! not have). `-f FIELD=@PATH` uploads files; `--download OUT` saves what getFile points to.
//! Errors go to stderr, with an exit code per kind.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bale_api::{Envelope, Method, Secret};
use bale_client::{Client, Error, InputFile, Operation};
use clap::Args;
use serde_json::{Map, Value};

use crate::exit;

/// Arguments of `bale-mock call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The operation: an n8n node value (answerQuery, uploadSticker, …) or a Bot API method
    /// (getMe, sendPhoto, …), any case; other methods are sent as given.
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
    /// A file to upload as FIELD=@PATH (repeatable), e.g. photo=@cat.jpg; the call is then
    /// multipart, with the other parameters as text parts.
    #[arg(short = 'f', long = "file", value_name = "FIELD=@PATH")]
    files: Vec<String>,
    /// getFile only: also download the file to OUT (the File is still printed).
    #[arg(long, value_name = "OUT")]
    download: Option<PathBuf>,
    /// Seconds to wait for the whole call.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// Also trust the CA certificate(s) in this PEM file for HTTPS, such as the one
    /// `bale-mock serve --tls --tls-ca-out FILE` writes.
    #[arg(long, env = "BALE_CA_CERT", value_name = "FILE")]
    ca_cert: Option<PathBuf>,
}

/// What a call needs, checked before anything is sent.
struct Prepared {
    client: Client,
    operation: Operation,
    params: Value,
    files: Vec<InputFile>,
}

pub fn run(args: CallArgs) -> u8 {
    match prepare(&args) {
        Ok(prepared) => call(&prepared, args.download.as_deref()),
        Err(message) => {
            eprintln!("bale-mock: {message}");
            exit::USAGE
        }
    }
}

fn prepare(args: &CallArgs) -> Result<Prepared, String> {
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
    let files = args
        .files
        .iter()
        .map(|spec| read_file(spec))
        .collect::<Result<Vec<_>, _>>()?;
    let operation = Operation::from_name(&args.method);
    if args.download.is_some() && operation.method_name() != Method::GetFile.name() {
        return Err(format!(
            "--download works with getFile only, not {}",
            args.method
        ));
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
    Ok(Prepared {
        client,
        operation,
        params: Value::Object(params),
        files,
    })
}

/// `-f FIELD=@PATH`: the file, read now, so a missing one stops the call before it is sent.
fn read_file(spec: &str) -> Result<InputFile, String> {
    let (field, path) = spec
        .split_once("=@")
        .filter(|(field, path)| !field.is_empty() && !path.is_empty())
        .ok_or_else(|| format!("-f {spec:?} is not FIELD=@PATH"))?;
    InputFile::read(field, Path::new(path))
        .map_err(|error| format!("cannot read -f {field}=@{path}: {error}"))
}

fn call(prepared: &Prepared, download: Option<&Path>) -> u8 {
    let runtime = match crate::client_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let Prepared {
        client,
        operation,
        params,
        files,
    } = prepared;
    let output = match runtime.block_on(operation.run_with_files(client, params, files)) {
        Ok(output) => output,
        Err(error) => return report(error),
    };
    println!("{output}");
    match download {
        None => exit::OK,
        Some(out) => runtime.block_on(save(client, &output, out)),
    }
}

/// `--download OUT`: the bytes at the File's `file_path`, written to OUT.
async fn save(client: &Client, file: &Value, out: &Path) -> u8 {
    let Some(file_path) = file.get("file_path").and_then(Value::as_str) else {
        eprintln!("bale-mock: the File has no file_path to download");
        return exit::INVALID_RESPONSE;
    };
    let bytes = match client.download(file_path).await {
        Ok(bytes) => bytes,
        Err(error) => return report(error),
    };
    match std::fs::write(out, bytes) {
        Ok(()) => exit::OK,
        Err(error) => {
            eprintln!(
                "bale-mock: cannot write --download {}: {error}",
                out.display()
            );
            exit::USAGE
        }
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
