//! The ceiling the mock is measured against: the smallest hyper 1.x server on the mock's
//! runtime (tokio's multi-thread default). It reads each request's body and answers the mock's
//! getMe body for bot 123456789, whatever the request. `bare-hyper [ADDR]` prints
//! `listening on http://HOST:PORT` as its first line, as `bale-mock serve` does.

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http_body_util::{BodyExt, Full};
use hyper::{body::Incoming, server::conn::http1, service::service_fn, Request, Response};
use hyper_util::rt::TokioIo;

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
    let address = std::env::args().nth(1).unwrap_or("127.0.0.1:0".into());
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
