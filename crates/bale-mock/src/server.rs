//! The accept loop: one hyper HTTP/1.1 connection task per socket, all watched by
//! hyper-util's `GracefulShutdown` so that a shutdown drains in-flight requests.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use crate::route::Mock;
use crate::{service, Config};

/// How long a shutdown waits for in-flight requests before giving up on them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves the fake Bot API on `listener` until `shutdown` completes, then stops accepting,
/// drains in-flight requests and returns.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_mock(listener, Mock::new(config), shutdown).await
}

/// [`serve`] with a [`Mock`] the caller keeps a handle on (to read its journal or move its
/// clock).
pub async fn serve_mock(
    listener: TcpListener,
    mock: Arc<Mock>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut builder = http1::Builder::new();
    // tdlib sends no Date header and title-cased names.
    builder.auto_date_header(false).title_case_headers(true);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);

    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: keep serving the open
                    // connections and try again shortly.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let mock = Arc::clone(&mock);
        let service = service_fn(move |request| service::answer(Arc::clone(&mock), request));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }

    drop(listener);
    tracing::info!(connections = graceful.count(), "shutting down");
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("in-flight requests did not finish in time; dropping them");
    }
    Ok(())
}
