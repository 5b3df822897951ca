//! [`Client`] and [`ClientBuilder`]: POST `<base>/bot<token>/<method>` with a JSON body (or
//! a multipart one, with files) and interpret the answer.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use bale_api::{Method, Secret, User};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::Url;

pub use crate::builder::ClientBuilder;
use crate::error::Error;
use crate::raw::read_body;
use crate::response::{interpret_answer, retry_after_header, typed, Answer};
use crate::upload::{multipart_form, InputFile};
use crate::RetryPolicy;

/// The real Bale Bot API server.
pub const DEFAULT_BASE_URL: &str = "https://tapi.bale.ai";
/// The default limit for a whole call (connect, send, and read the answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default limit for establishing the connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A Bot API client for one bot token, against one server.
///
/// The token is sent as given, unchecked, so a client can also test how a server rejects
/// malformed tokens. It is never shown: not by `Debug`, not in any [`Error`]. Cloning is
/// cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) token: Secret,
    pub(crate) retry: RetryPolicy,
}

impl Client {
    /// A client with default settings against `base_url` (for example
    /// [`DEFAULT_BASE_URL`], or a bale-mock's address).
    pub fn new(base_url: &str, token: &str) -> Result<Client, Error> {
        Client::builder(token).base_url(base_url).build()
    }

    /// A builder for a client using `token`, with [`DEFAULT_BASE_URL`], [`DEFAULT_TIMEOUT`],
    /// [`DEFAULT_CONNECT_TIMEOUT`] and no retries.
    pub fn builder(token: &str) -> ClientBuilder {
        ClientBuilder::new(token)
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The raw token, for redaction only.
    pub(crate) fn token(&self) -> &str {
        self.token.expose()
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// `getMe`: the bot's own user.
    pub async fn get_me(&self) -> Result<User, Error> {
        self.call_typed(Method::GetMe.name()).await
    }

    /// `logOut`: log the bot out of the cloud server; `true` on success.
    pub async fn log_out(&self) -> Result<bool, Error> {
        self.call_typed(Method::LogOut.name()).await
    }

    /// `close`: close the bot instance; `true` on success.
    pub async fn close(&self) -> Result<bool, Error> {
        self.call_typed(Method::Close.name()).await
    }

    /// Calls any method with `params` as the JSON body and returns `result`.
    ///
    /// `Value::Null` is sent as `{}`; any other value is sent as it is, so a server can be
    /// fed a non-object body on purpose. The method name is used as given (servers match it
    /// ignoring case).
    pub async fn call(&self, method: &str, params: &Value) -> Result<Value, Error> {
        self.call_answer(method, params, &[])
            .await
            .map(|answer| answer.result)
    }

    /// Calls a method with files: a `multipart/form-data` body with each parameter as a text
    /// part (strings as they are, other values as JSON) and each [`InputFile`] as a file
    /// part. With files, `params` must be a JSON object (or `Value::Null`), else
    /// [`Error::InvalidParameters`]; with none, this is [`Client::call`].
    pub async fn call_with_files(
        &self,
        method: &str,
        params: &Value,
        files: &[InputFile],
    ) -> Result<Value, Error> {
        self.call_answer(method, params, files)
            .await
            .map(|answer| answer.result)
    }

    /// Calls a parameterless method and converts its `result`.
    async fn call_typed<T: DeserializeOwned>(&self, method: &str) -> Result<T, Error> {
        let answer = self
            .call_answer(method, &Value::Object(Map::new()), &[])
            .await?;
        typed(answer.status, answer.result, self.token())
    }

    /// One call, retried per the policy, giving the whole [`Answer`].
    pub(crate) async fn call_answer(
        &self,
        method: &str,
        params: &Value,
        files: &[InputFile],
    ) -> Result<Answer, Error> {
        let empty = Value::Object(Map::new());
        let body = if params.is_null() { &empty } else { params };
        self.retrying(|| self.send(method, body, files)).await
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retry policy gives up.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut retries = 0;
        loop {
            match attempt().await {
                Err(error) => match self.retry.wait_before_retry(&error, retries) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        retries += 1;
                    }
                    None => return Err(error),
                },
                ok => return ok,
            }
        }
    }

    /// One request and its interpretation: a JSON body, or multipart when there are files.
    async fn send(&self, method: &str, body: &Value, files: &[InputFile]) -> Result<Answer, Error> {
        let request = self.http.post(self.method_url(method));
        let request = if files.is_empty() {
            request.json(body)
        } else {
            request.multipart(multipart_form(body, files)?)
        };
        let response = request
            .send()
            .await
            .map_err(|error| Error::network(error, self.token()))?;
        let status = response.status().as_u16();
        let retry_after = retry_after_header(response.headers());
        let bytes = read_body(response, status, self.token()).await?;
        interpret_answer(status, retry_after, &bytes, self.token())
    }

    /// `<base>/bot<token>/<method>`, each part one path segment (percent-encoded as needed).
    pub(crate) fn method_url(&self, method: &str) -> Url {
        let mut url = self.base_url.clone();
        // `build` checked that the base URL can have path segments.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .push(&format!("bot{}", self.token()))
                .push(method);
        }
        url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123:SECRET-abcdefghijklmnopqrstuvw";

    fn url_of(base: &str, token: &str, method: &str) -> String {
        let client = Client::new(base, token).unwrap();
        client.method_url(method).to_string()
    }

    #[test]
    fn method_urls_keep_prefixes_and_ignore_a_trailing_slash() {
        let want = format!("https://tapi.bale.ai/bot{TOKEN}/logOut");
        assert_eq!(url_of(DEFAULT_BASE_URL, TOKEN, "logOut"), want);
        assert_eq!(url_of("https://tapi.bale.ai/", TOKEN, "logOut"), want);
        let want = format!("http://127.0.0.1:8081/prefix/bot{TOKEN}/close");
        assert_eq!(
            url_of("http://127.0.0.1:8081/prefix/", TOKEN, "close"),
            want
        );
        assert_eq!(url_of("http://127.0.0.1:8081/prefix", TOKEN, "close"), want);
    }

    #[test]
    fn malformed_tokens_are_sent_as_one_segment() {
        assert_eq!(
            url_of("http://h", "12/3 ?x", "getMe"),
            "http://h/bot12%2F3%20%3Fx/getMe"
        );
        assert_eq!(url_of("http://h", "", "getMe"), "http://h/bot/getMe");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder(TOKEN);
        let client = builder.clone().build().unwrap();
        for shown in [
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }
}
