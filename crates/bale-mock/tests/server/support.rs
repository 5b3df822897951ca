//! Shared helpers: a token, and requests that return status, headers and JSON body.

use bale_mock::MockServer;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// A well-formed token of bot 123456789.
pub const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// `(status, description)` of an error answer.
    pub fn error(&self) -> (u16, &str) {
        assert_eq!(self.body["ok"], false, "{:?}", self.body);
        assert_eq!(self.body["error_code"], self.status, "status = error_code");
        (self.status, self.body["description"].as_str().unwrap())
    }

    /// The result of a success answer.
    pub fn result(&self) -> &Value {
        assert_eq!(
            (self.status, &self.body["ok"]),
            (200, &Value::Bool(true)),
            "{:?}",
            self.body
        );
        &self.body["result"]
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    assert_eq!(
        headers.get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/json"),
        "every answer is JSON"
    );
    Answer {
        status,
        headers,
        body,
    }
}

/// `GET <server><path>`.
pub async fn get(server: &MockServer, path: &str) -> Answer {
    send(reqwest::Client::new().get(format!("{}{path}", server.uri()))).await
}

/// `POST /bot<token>/<method>` with an empty JSON object.
pub async fn call(server: &MockServer, token: &str, method: &str) -> Answer {
    let url = format!("{}/bot{token}/{method}", server.uri());
    send(
        reqwest::Client::new()
            .post(url)
            .json(&serde_json::json!({})),
    )
    .await
}

/// `POST /bot<token>/<method>` with a JSON body.
pub async fn api(server: &MockServer, token: &str, method: &str, body: Value) -> Answer {
    let url = format!("{}/bot{token}/{method}", server.uri());
    send(reqwest::Client::new().post(url).json(&body)).await
}

/// `POST <server>/__mock/<path>` with a JSON body: status and JSON answer.
pub async fn control_post(server: &MockServer, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/__mock/{path}", server.uri());
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// A file part of a multipart request: field name, file name, content type, bytes.
pub struct Part<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: Vec<u8>,
}

/// `POST /bot<token>/<method>` as `multipart/form-data`: text fields, then file parts.
pub async fn upload(
    server: &MockServer,
    token: &str,
    method: &str,
    fields: &[(&str, &str)],
    parts: Vec<Part<'_>>,
) -> Answer {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for part in parts {
        let file = reqwest::multipart::Part::bytes(part.bytes)
            .file_name(part.file_name.to_owned())
            .mime_str(part.content_type)
            .unwrap();
        form = form.part(part.field.to_owned(), file);
    }
    let url = format!("{}/bot{token}/{method}", server.uri());
    send(reqwest::Client::new().post(url).multipart(form)).await
}

/// What a download answered: status, headers and the raw body.
pub struct Download {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// `GET /file/bot<token>/<file>`.
pub async fn download(server: &MockServer, token: &str, file: &str) -> Download {
    let url = format!("{}/file/bot{token}/{file}", server.uri());
    let response = reqwest::get(url).await.expect("request failed");
    Download {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("body").to_vec(),
    }
}
