//! The physical limit the benchmark compares the mock with: the smallest hyper 1.x server,
//! on the same runtime the `bale-mock` command uses (tokio's default multi-thread runtime),
//! answering one fixed getMe-like JSON body, as long as the mock's, to any request.
//!
//! `bare-hyper [ADDR]` (default `127.0.0.1:0`) prints `listening on http://HOST:PORT` as its
//! first stdout line, like `bale-mock serve`, and serves until killed.

use std::convert::Infallible;
use std::io::Write;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The mock's getMe answer for bot 123456789, byte for byte the same length.
const BODY: &[u8] = br#"{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Mock Bot 123456789","username":"mock_123456789_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}"#;

/// Reads the whole request body (as the mock does), then answers [`BODY`].
async fn answer(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // A body that fails to arrive still gets the answer: this server measures transport only.
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(Bytes::from_static(BODY)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = TcpListener::bind(&address).await?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{}", listener.local_addr()?)?;
        stdout.flush()?;
    }
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        // The mock sets TCP_NODELAY too.
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}
