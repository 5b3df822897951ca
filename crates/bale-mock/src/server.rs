//! The accept loop: one hyper HTTP/1.1 connection task per socket, all watched by
//! hyper-util's `GracefulShutdown` so that a shutdown drains in-flight requests.
//!
//! Each connection task also holds a spare handle on its socket and a shutdown flag, so that
//! faults can reset or cut the connection and hanging or sleeping requests end at shutdown
//! instead of holding the drain up (see `transport`).

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::route::Mock;
use crate::service::{self, Router};
use crate::transport::{self, Connection};
use crate::Config;

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
    serve_router(listener, mock, shutdown).await
}

/// [`serve_mock`] for any [`Router`]: the transport's own tests script replies with it.
pub(crate) async fn serve_router<R: Router>(
    listener: TcpListener,
    router: Arc<R>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut builder = http1::Builder::new();
    // tdlib sends no Date header and title-cased names.
    builder.auto_date_header(false).title_case_headers(true);
    let graceful = GracefulShutdown::new();
    // Turns true on the shutdown signal: hanging and sleeping answers stop waiting.
    let (stopping_tx, stopping) = watch::channel(false);
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
        let (connection, spare) = Connection::accept(&stream, stopping.clone());
        let router = Arc::clone(&router);
        let context = Arc::clone(&connection);
        let service = service_fn(move |request| {
            service::answer(Arc::clone(&router), Arc::clone(&context), request)
        });
        let hyper = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(transport::drive(hyper, connection, spare));
    }

    drop(listener);
    stopping_tx.send_replace(true);
    tracing::info!(connections = graceful.count(), "shutting down");
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("in-flight requests did not finish in time; dropping them");
    }
    Ok(())
}
