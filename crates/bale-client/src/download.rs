//! [`Client::download`]: a file's bytes from `<base>/file/bot<token>/<file_path>`, the path
//! `getFile` gave.

use url::Url;

use crate::client::Client;
use crate::error::{Error, InvalidReason};
use crate::raw::read_body;
use crate::redact::excerpt;
use crate::response::{interpret, retry_after_header};

impl Client {
    /// Downloads a file by the `file_path` of a `getFile` result (GET, retried per the
    /// policy). A 2xx answer gives its body; any other answer is an error as for a call:
    /// an `ok:false` envelope is [`Error::Api`] (the real server's and the mock's
    /// `404 Not Found`), anything else [`Error::RateLimited`] or [`Error::InvalidResponse`].
    pub async fn download(&self, file_path: &str) -> Result<Vec<u8>, Error> {
        self.retrying(|| self.download_once(file_path)).await
    }

    async fn download_once(&self, file_path: &str) -> Result<Vec<u8>, Error> {
        let response = self
            .http
            .get(self.file_url(file_path))
            .send()
            .await
            .map_err(|error| Error::network(error, self.token()))?;
        let status = response.status().as_u16();
        let retry_after = retry_after_header(response.headers());
        let body = read_body(response, status, self.token()).await?;
        if (200..300).contains(&status) {
            return Ok(body);
        }
        // A failure that parses as a success envelope is still no file.
        let error = interpret(status, retry_after, &body, self.token()).err();
        Err(error.unwrap_or_else(|| Error::InvalidResponse {
            status,
            excerpt: excerpt(&body, self.token()),
            reason: InvalidReason::UnexpectedResult,
        }))
    }

    /// `<base>/file/bot<token>/<file_path>`; each `/`-separated part of the path is one
    /// segment, percent-encoded as needed.
    pub(crate) fn file_url(&self, file_path: &str) -> Url {
        let mut url = self.base_url.clone();
        // `build` checked that the base URL can have path segments.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .push("file")
                .push(&format!("bot{}", self.token()))
                .extend(file_path.split('/').filter(|part| !part.is_empty()));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_keep_the_paths_folders() {
        let client = Client::new("http://h:1/prefix/", "1:T").unwrap();
        assert_eq!(
            client.file_url("documents/file_3.txt").as_str(),
            "http://h:1/prefix/file/bot1:T/documents/file_3.txt"
        );
        assert_eq!(
            client.file_url("/photos/a b.jpg").as_str(),
            "http://h:1/prefix/file/bot1:T/photos/a%20b.jpg"
        );
    }
}
