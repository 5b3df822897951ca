//! A reset or a scenario load is one step for every request: none sees half of one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bale_mock::{Config, Mock, RawRequest, Scenario};
use serde_json::Value;

/// Sixteen declared bots (one per shard of the bot map), all in `state`.
fn all_bots_in(state: &str) -> Scenario {
    let mut source = String::new();
    for id in 1..=16 {
        source.push_str(&format!(
            "[[bot]]\ntoken = \"{id}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\"\nstate = \"{state}\"\n"
        ));
    }
    Scenario::parse(&format!("{state}.toml"), &source).unwrap()
}

async fn bot_states(mock: &Mock) -> Vec<String> {
    let request = RawRequest::new(http::Method::GET, "/__mock/bots".parse().unwrap(), "");
    let reply = mock.handle(request).await;
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    body["bots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|bot| format!("{}/{}", bot["access"], bot["instance"]))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_never_sees_half_a_scenario_load() {
    let revoked = all_bots_in("revoked");
    let logged_out = all_bots_in("logged-out");
    let mock = Mock::new(Config::default().scenario(revoked.clone()));
    // The loader goes on until the reader has read enough times: how many loads fit in a
    // read depends on the machine, so neither side is given a fixed count to race.
    let done = Arc::new(AtomicBool::new(false));
    let loader = {
        let (mock, done) = (Arc::clone(&mock), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut loads = 0u64;
            while !done.load(Ordering::Relaxed) {
                let next = if loads.is_multiple_of(2) {
                    &logged_out
                } else {
                    &revoked
                };
                mock.load(next.clone());
                loads += 1;
            }
            loads
        })
    };
    for _ in 0..300 {
        let states = bot_states(&mock).await;
        assert_eq!(
            states.len(),
            16,
            "a read saw the map half cleared: {states:?}"
        );
        assert!(
            states.iter().all(|s| *s == states[0]),
            "a read saw two scenarios at once: {states:?}"
        );
    }
    done.store(true, Ordering::Relaxed);
    let loads = loader.join().unwrap();
    assert!(loads > 10, "the loader barely ran ({loads} loads)");
}
