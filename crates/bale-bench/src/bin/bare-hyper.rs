//! The ceiling the benchmark compares the mock with: the smallest hyper 1.x server, on the
//! runtime `bale-mock` uses (tokio's multi-thread default), reading each request's body and
//! answering a fixed getMe body as long as the mock's. `bare-hyper [ADDR]` prints `listening
//! on http://HOST:PORT` as its first stdout line, like `bale-mock serve`.

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http_body_util::{BodyExt, Full};
use hyper::{body::Incoming, server::conn::http1, service::service_fn, Request, Response};
use hyper_util::rt::TokioIo;

/// The mock's getMe answer for bot 123456789, byte for byte the same length.
const BODY: &[u8] = br#"{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Mock Bot 123456789","username":"mock_123456789_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}"#;

async fn answer(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    request.into_body().collect().await?;
    let mut response = Response::new(Full::new(Bytes::from_static(BODY)));
    let json = HeaderValue::from_static("application/json");
    response.headers_mut().insert(CONTENT_TYPE, json);
    Ok(response)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1);
    let address = address.as_deref().unwrap_or("127.0.0.1:0");
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?; // as the mock does
        let connection =
            http1::Builder::new().serve_connection(TokioIo::new(stream), service_fn(answer));
        tokio::spawn(connection);
    }
}
