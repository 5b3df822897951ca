//! The handler's cost per request without sockets, for callgrind: `bench/handler-cost` runs
//! a case with `--requests N` and `2N`, and the difference over N cancels the set-up. That
//! is `--rules` scenario rules that never match (for bots that make no request, or methods
//! not called, with parameters and a call range as a test's have them); `--bots` bots, each
//! launched by a getMe, then getMes until the journal is full, so that every measured
//! request finds it in its steady state; `--chats` users who have written to a bot each.
//! The requests, built once and cloned as hyper hands them over, go round-robin: getMe over
//! the bots, sendMessage over the chats. `--console open` reads the console's live journal
//! meanwhile, on a paused clock moved 1 ms every 50 requests so that the stream sends the
//! same batches in every run; `--console closed` moves the clock alike with no stream.
//! Exit status: 0 when the last answer was `200 {"ok":true,…}`, else non-zero.

use std::process::ExitCode;
use std::time::Duration;

use bale_mock::people::UserMessage;
use bale_mock::{Clock, Config, Mock, RawRequest, Scenario};
use clap::builder::PossibleValuesParser;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::Method;

/// The `bale-mock` binary's allocator, so that the counts are those of the server users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// Bot `i` is `FIRST_BOT + i`; user `j` is `FIRST_USER + j`, who wrote to bot `j % bots`.
const FIRST_BOT: usize = 100_000_000;
const FIRST_USER: usize = 1_000_000;
/// With `--console`: requests between two 1 ms steps of the clock (50 000 a second).
const REQUESTS_PER_MS: usize = 50;

/// The cases: name, method, content type (none for a GET), and body, to the chat of USER.
#[rustfmt::skip]
const CASES: [(&str, &str, &str, &str); 6] = [
    ("getme-get", "getMe", "", ""),
    ("getme-json", "getMe", "application/json", "{}"),
    ("getme-form", "getMe", "application/x-www-form-urlencoded", ""),
    ("getme-multipart", "getMe", "multipart/form-data; boundary=handler-cost-boundary",
        "--handler-cost-boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
         --handler-cost-boundary--\r\n"),
    ("send-message-json", "sendMessage", "application/json",
        r#"{"chat_id":USER,"text":"Hello from the benchmark","disable_notification":true}"#),
    ("send-message-form", "sendMessage", "application/x-www-form-urlencoded",
        "chat_id=USER&text=Hello+from+the+benchmark&disable_notification=true"),
];

#[derive(clap::Parser)]
struct Args {
    #[arg(long, value_parser = PossibleValuesParser::new(CASES.map(|case| case.0)))]
    case: String,
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    bots: u64,
    #[arg(long, default_value_t = 0)]
    rules: usize,
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    chats: u64,
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    #[arg(long, value_parser = ["closed", "open"])]
    console: Option<String>,
}

/// `rules` rules that never match a request of the cases.
fn scenario(rules: usize) -> Scenario {
    let mut toml = String::from("description = \"handler_cost: rules that never match\"\n");
    for i in 0..rules {
        let method = ["sendPhoto", "getUpdates", "editMessageText", "getChat"][i / 2 % 4];
        let for_bot = format!("{{ bot = {}, method = \"getMe\" }}", 900_000_000 + i);
        let for_method =
            format!("{{ method = \"{method}\", params = {{ chat_id = \"{i}\" }}, calls = 2 }}");
        let when = if i % 2 == 0 { for_bot } else { for_method };
        toml += &format!(
            "\n[[rule]]\nname = \"rule {i}\"\nwhen = {when}\n\
             then = {{ error = {{ code = 500, description = \"Internal Server Error: rule {i}\" }} }}\n"
        );
    }
    Scenario::parse("handler-cost.toml", &toml).expect("the generated scenario loads")
}

/// The request of `case` from bot `bot` (to user `user`'s chat, for sendMessage).
fn request(case: &str, bot: usize, user: usize) -> RawRequest {
    let (_, method, content_type, body) = CASES.into_iter().find(|c| c.0 == case).unwrap();
    let uri = format!("/bot{}:{SECRET}/{method}", FIRST_BOT + bot);
    let uri: http::Uri = uri.parse().expect("a valid path");
    let body = body.replace("USER", &(FIRST_USER + user).to_string());
    match content_type {
        "" => RawRequest::new(Method::GET, uri, body),
        _ => RawRequest::new(Method::POST, uri, body)
            .with_header(CONTENT_TYPE, HeaderValue::from_static(content_type)),
    }
}

/// Opens the console's live journal and reads it in a task, as the server would send it.
fn read_console(mock: &Mock) -> tokio::task::JoinHandle<()> {
    let uri = http::Uri::from_static("/__mock/journal/events");
    let reply = mock.handle(RawRequest::new(Method::GET, uri, ""));
    let reply = futures_util::FutureExt::now_or_never(reply).expect("the stream opens at once");
    let stream = reply.stream.as_ref().and_then(|stream| stream.take());
    let mut body = stream.expect("the console's stream opens");
    tokio::spawn(async move {
        let mut sent = 0usize;
        while let Some(piece) = futures_util::StreamExt::next(&mut body).await {
            sent += std::hint::black_box(piece.len());
        }
        std::hint::black_box(sent);
    })
}

fn main() -> ExitCode {
    let args = <Args as clap::Parser>::parse();
    let (bots, chats) = (args.bots as usize, args.chats as usize);
    let console = args.console.as_deref();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(console.is_some())
        .build()
        .expect("a runtime");
    let config = Config::default().clock(Clock::manual());
    let journal_capacity = config.journal_capacity;
    let mock = Mock::new(config);
    mock.load(scenario(args.rules));
    runtime.block_on(async {
        for i in 0..bots.max(journal_capacity) {
            mock.handle(request("getme-get", i % bots, 0)).await;
        }
        for j in 0..chats {
            let mut hi = UserMessage::default();
            (hi.from, hi.text) = ((FIRST_USER + j) as i64, Some("hi".into()));
            let bot = (FIRST_BOT + j % bots) as i64;
            mock.user_writes(bot, hi).expect("a user writes to a bot");
        }
        let sends = args.case.starts_with("send-message");
        let count = if sends { chats } else { bots };
        let prepared = (0..count).map(|k| request(&args.case, k % bots, k));
        let prepared: Vec<_> = prepared.collect();

        let reader = (console == Some("open")).then(|| read_console(&mock));
        let mut last = None;
        for k in 0..args.requests {
            let reply = mock.handle(prepared[k % prepared.len()].clone()).await;
            last = Some(reply);
            if console.is_some() && k % REQUESTS_PER_MS == REQUESTS_PER_MS - 1 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        if let Some(reader) = reader {
            reader.abort();
        }
        match last {
            Some(reply) if reply.status != 200 || !reply.body.starts_with(b"{\"ok\":true,") => {
                let body = String::from_utf8_lossy(&reply.body);
                eprintln!("handler_cost: the last answer was {} {body}", reply.status);
                ExitCode::FAILURE
            }
            _ => ExitCode::SUCCESS,
        }
    })
}
