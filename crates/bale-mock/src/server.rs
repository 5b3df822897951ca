//! The accept loop: one task per accepted socket — its TLS handshake when the server serves
//! HTTPS, then a hyper HTTP/1.1 connection — all watched by hyper-util's `GracefulShutdown`
//! so that a shutdown drains in-flight requests.
//!
//! Each connection task lends its stream to hyper and takes it back when hyper is done, and
//! holds a shutdown flag, so that faults can reset or cut the connection and hanging or
//! sleeping requests end at shutdown instead of holding the drain up (see `transport`).

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::route::Mock;
use crate::service::{self, Router};
use crate::tls::{self, TlsSettings};
use crate::transport::{self, Connection, Stream};
use crate::{Config, ConnectionLimits};

/// Serves the fake Bot API on `listener` until `shutdown` completes, then stops accepting,
/// drains in-flight requests and returns. With [`Config::tls`] it serves HTTPS.
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
    let tls = mock.config().tls.clone();
    let limits = mock.config().connections;
    serve_router(listener, mock, tls, limits, shutdown).await
}

/// [`serve_mock`] for any [`Router`]: the transport's own tests script replies with it.
pub(crate) async fn serve_router<R: Router>(
    listener: TcpListener,
    router: Arc<R>,
    tls: Option<TlsSettings>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let acceptor = tls.as_ref().map(TlsSettings::acceptor);
    let mut builder = http1_builder();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    // One permit per open connection: at the limit the loop stops accepting, and new
    // connections wait in the listen backlog until one closes.
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    // Turns true on the shutdown signal: hanging and sleeping answers stop waiting.
    let (stopping_tx, stopping) = watch::channel(false);
    tokio::pin!(shutdown);

    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
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
        let local = stream.local_addr().ok();
        let connection = Connection::new(
            stopping.clone(),
            Some(peer),
            local,
            limits.header_read_timeout,
        );
        // Watched from now on, handshake included: a shutdown waits for it (briefly: a
        // handshake ends at the shutdown signal).
        let watcher = graceful.watcher();
        let router = Arc::clone(&router);
        let builder = builder.clone();
        match &acceptor {
            None => {
                tokio::spawn(async move {
                    run_connection(stream, router, connection, builder, watcher).await;
                    drop(slot);
                });
            }
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _slot = slot;
                    let stopped = connection.stopped();
                    let Some(stream) = tls::handshake(&acceptor, stream, stopped).await else {
                        return;
                    };
                    run_connection(stream, router, connection, builder, watcher).await;
                });
            }
        }
    }

    drop(listener);
    stopping_tx.send_replace(true);
    router.begin_shutdown();
    tracing::info!(connections = graceful.count(), "shutting down");
    let drain = async {
        graceful.shutdown().await;
        router.drained().await;
    };
    if tokio::time::timeout(limits.drain_timeout, drain)
        .await
        .is_err()
    {
        tracing::warn!(
            "in-flight requests or webhook deliveries did not finish in time; dropping them"
        );
    }
    Ok(())
}

/// The HTTP/1.1 settings of every connection.
pub(crate) fn http1_builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    // tdlib sends no Date header and title-cased names.
    builder.auto_date_header(false).title_case_headers(true);
    builder
}

/// Serves HTTP/1.1 on one accepted (and, for HTTPS, handshaken) stream until the connection
/// ends, then ends it as a fault may have asked.
pub(crate) async fn run_connection<R: Router, S: Stream>(
    stream: S,
    router: Arc<R>,
    connection: Arc<Connection>,
    builder: http1::Builder,
    watcher: Watcher,
) {
    let context = Arc::clone(&connection);
    let service = service_fn(move |request| {
        service::answer(Arc::clone(&router), Arc::clone(&context), request)
    });
    let (lent, returned) = transport::lend(stream);
    let hyper = watcher.watch(builder.serve_connection(TokioIo::new(lent), service));
    transport::drive(hyper, connection, returned).await;
}
