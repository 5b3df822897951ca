//! `serve(listener, config, shutdown)`: stops accepting on the signal, drains, returns.

use std::time::Duration;

use bale_mock::{serve, Config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::TOKEN;

#[tokio::test]
async fn shutdown_drains_and_returns() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, Config::default(), async {
        let _ = stopped.await;
    }));

    // A keep-alive client with an idle pooled connection must not hold the shutdown up.
    let client = reqwest::Client::new();
    let url = format!("http://{address}/bot{TOKEN}/getMe");
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve did not return after the shutdown signal")
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "the listener is closed"
    );
}
