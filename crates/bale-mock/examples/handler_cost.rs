//! The handler's cost per request, without sockets: a deterministic workload for an
//! instruction counter (callgrind), so the verdict does not move with a noisy machine.
//!
//! ```text
//! handler_cost --case <getme-get|getme-json|getme-form|getme-multipart|send-message-json|send-message-form>
//!              --bots N --rules N --chats N --requests N [--console closed|open]
//! ```
//!
//! It sets up one [`Mock`] (the default configuration, a manual clock):
//!
//! - a scenario of `--rules` rules that never match, generated as TOML and loaded with
//!   [`Scenario::parse`] and [`Mock::load`]: they alternate between rules for bots that
//!   make no requests and rules for methods the requests do not call, with parameters and
//!   a call range, as a test's scenario would have them;
//! - `--bots` bots launched by a `getMe` each (more `getMe`s round-robin until the journal
//!   is full, so that every measured request finds it in its steady state and drops its
//!   oldest entry);
//! - `--chats` users who have each written to one bot through the play-the-user API
//!   (user `j` to bot `j % bots`), so that each has a private chat with it.
//!
//! With `--console open`, the console's live journal (`GET /__mock/journal/events`) is open
//! and read as the server would send it, on a runtime whose clock is paused: the clock
//! moves 1 ms every [`REQUESTS_PER_MS`] requests (50 000 requests a second), so the
//! stream gathers and sends the same batches in every run and its cost is counted with
//! the requests'. `--console closed` moves the clock the same way with no stream open:
//! the difference between the two is the console's cost alone.
//!
//! Then it hands `--requests` requests of the case to [`Mock::handle`], round-robin: the
//! getMe cases over the bots, the sendMessage cases over the chats (each to the bot the
//! user wrote to). Each request is cloned from one built in the set-up, as hyper would
//! hand it over (method, URI, headers, body). It exits 0 when the last answer was
//! `200 {"ok":true,…}`, 1 when it was not, 2 on a bad command line.
//!
//! Instructions per request are the difference of two runs that differ only in
//! `--requests`, which cancels the set-up:
//!
//! ```text
//! valgrind --tool=callgrind handler_cost … --requests 2N   # total T2
//! valgrind --tool=callgrind handler_cost … --requests N    # total T1
//! per request = (T2 - T1) / N
//! ```
//!
//! `bench/handler-cost` builds this example and runs that matrix.

use std::process::ExitCode;

use bale_mock::people::UserMessage;
use bale_mock::{Clock, Config, Mock, RawRequest, Scenario};
use http::header::{HeaderValue, CONTENT_TYPE};

/// The secret every bot's token has.
const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// The first bot id; bot `i` is `FIRST_BOT + i`.
const FIRST_BOT: i64 = 100_000_000;
/// The first user id; user `j` is `FIRST_USER + j`.
const FIRST_USER: i64 = 1_000_000;
/// Bots the generated rules name: none of them makes a request.
const OTHER_BOT: i64 = 900_000_000;
/// Methods the generated rules name: none of the cases calls them.
const OTHER_METHODS: [&str; 4] = ["sendPhoto", "getUpdates", "editMessageText", "getChat"];
/// With the console open: requests between two 1 ms steps of the paused clock.
const REQUESTS_PER_MS: usize = 50;
/// The multipart boundary.
const BOUNDARY: &str = "handler-cost-boundary";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Case {
    GetmeGet,
    GetmeJson,
    GetmeForm,
    GetmeMultipart,
    SendMessageJson,
    SendMessageForm,
}

impl Case {
    fn sends_messages(self) -> bool {
        matches!(self, Case::SendMessageJson | Case::SendMessageForm)
    }
}

/// The console's live journal during the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Console {
    /// The paused clock steps, no stream open: the baseline for `open`.
    Closed,
    /// The paused clock steps, the stream open and read.
    Open,
}

/// One Bot API request shape handed to the handler, without sockets.
#[derive(clap::Parser)]
struct Args {
    #[arg(long, value_enum)]
    case: Case,
    #[arg(long, default_value_t = 1)]
    bots: usize,
    #[arg(long, default_value_t = 0)]
    rules: usize,
    #[arg(long, default_value_t = 1)]
    chats: usize,
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    #[arg(long, value_enum)]
    console: Option<Console>,
}

/// `rules` rules that never match a request of this workload.
fn scenario(rules: usize) -> Scenario {
    let mut toml = String::from("description = \"handler_cost: rules that never match\"\n");
    for i in 0..rules {
        let when = if i % 2 == 0 {
            format!("{{ bot = {}, method = \"getMe\" }}", OTHER_BOT + i as i64)
        } else {
            let method = OTHER_METHODS[i / 2 % OTHER_METHODS.len()];
            format!("{{ method = \"{method}\", params = {{ chat_id = \"{i}\" }}, calls = 2 }}")
        };
        toml.push_str(&format!(
            "\n[[rule]]\nname = \"rule {i}\"\nwhen = {when}\n\
             then = {{ error = {{ code = 500, description = \"Internal Server Error: rule {i}\" }} }}\n"
        ));
    }
    Scenario::parse("handler-cost.toml", &toml).unwrap_or_else(|errors| {
        eprintln!("handler_cost: the generated scenario does not load:\n{errors}");
        std::process::exit(2)
    })
}

fn bot_path(bot: usize, method: &str) -> http::Uri {
    let id = FIRST_BOT + bot as i64;
    format!("/bot{id}:{SECRET}/{method}")
        .parse()
        .expect("a valid path")
}

/// The request of `case` for bot `bot` (and the user `user`, for sendMessage).
fn request(case: Case, bot: usize, user: i64) -> RawRequest {
    let post = |method: &str, content_type: &'static str, body: String| {
        RawRequest::new(http::Method::POST, bot_path(bot, method), body)
            .with_header(CONTENT_TYPE, HeaderValue::from_static(content_type))
    };
    // One text part, as the socket benchmark sends.
    let multipart = || {
        let content_type = "multipart/form-data; boundary=handler-cost-boundary";
        let part = "Content-Disposition: form-data; name=\"a\"\r\n\r\n1";
        post(
            "getMe",
            content_type,
            format!("--{BOUNDARY}\r\n{part}\r\n--{BOUNDARY}--\r\n"),
        )
    };
    match case {
        Case::GetmeGet => RawRequest::new(http::Method::GET, bot_path(bot, "getMe"), ""),
        Case::GetmeJson => post("getMe", "application/json", "{}".into()),
        Case::GetmeForm => post("getMe", "application/x-www-form-urlencoded", String::new()),
        Case::GetmeMultipart => multipart(),
        Case::SendMessageJson => post(
            "sendMessage",
            "application/json",
            format!(
                r#"{{"chat_id":{user},"text":"Hello from the benchmark","disable_notification":true}}"#
            ),
        ),
        Case::SendMessageForm => post(
            "sendMessage",
            "application/x-www-form-urlencoded",
            format!("chat_id={user}&text=Hello+from+the+benchmark&disable_notification=true"),
        ),
    }
}

/// Opens the console's live journal and reads it in a task, as the server would send it.
fn read_console(mock: &Mock) -> tokio::task::JoinHandle<()> {
    let events = RawRequest::new(
        http::Method::GET,
        http::Uri::from_static("/__mock/journal/events"),
        "",
    );
    let reply = futures_util::FutureExt::now_or_never(mock.handle(events))
        .expect("the stream opens at once");
    let Some(mut body) = reply.stream.as_ref().and_then(|stream| stream.take()) else {
        eprintln!(
            "handler_cost: the console's stream did not open: {}",
            reply.status
        );
        std::process::exit(1)
    };
    tokio::spawn(async move {
        let mut sent = 0usize;
        while let Some(piece) = futures_util::StreamExt::next(&mut body).await {
            sent += std::hint::black_box(piece.len());
        }
        std::hint::black_box(sent);
    })
}

/// The `bale-mock` binary's allocator, so the counts are those of the server users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = <Args as clap::Parser>::parse();
    if args.bots == 0 || args.chats == 0 {
        eprintln!("handler_cost: --bots and --chats must be at least 1");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(args.console.is_some())
        .build()
        .expect("a runtime");
    let config = Config::default().clock(Clock::manual());
    let journal_capacity = config.journal_capacity;
    let mock = Mock::new(config);
    mock.load(scenario(args.rules));

    runtime.block_on(async {
        // Every bot launched, and the journal full.
        for i in 0..args.bots.max(journal_capacity) {
            let bot = i % args.bots;
            mock.handle(request(Case::GetmeGet, bot, 0)).await;
        }
        for j in 0..args.chats {
            let user = UserMessage {
                from: FIRST_USER + j as i64,
                text: Some("hi".into()),
                ..UserMessage::default()
            };
            let bot = FIRST_BOT + (j % args.bots) as i64;
            if let Err(error) = mock.user_writes(bot, user) {
                eprintln!("handler_cost: user {j} could not write to bot {bot}: {error:?}");
                std::process::exit(1);
            }
        }
        // One request per bot (getMe) or per chat (sendMessage), built once.
        let prepared: Vec<RawRequest> = if args.case.sends_messages() {
            (0..args.chats)
                .map(|j| request(args.case, j % args.bots, FIRST_USER + j as i64))
                .collect()
        } else {
            (0..args.bots).map(|i| request(args.case, i, 0)).collect()
        };

        let reader = (args.console == Some(Console::Open)).then(|| read_console(&mock));
        let mut last = None;
        for k in 0..args.requests {
            let reply = mock.handle(prepared[k % prepared.len()].clone()).await;
            last = Some(reply);
            if args.console.is_some() && k % REQUESTS_PER_MS == REQUESTS_PER_MS - 1 {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        }
        if let Some(reader) = reader {
            reader.abort();
        }
        match last {
            Some(reply) if reply.status == 200 && reply.body.starts_with(b"{\"ok\":true,") => {
                ExitCode::SUCCESS
            }
            Some(reply) => {
                eprintln!(
                    "handler_cost: the last answer was {} {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                );
                ExitCode::FAILURE
            }
            None if args.requests == 0 => ExitCode::SUCCESS,
            None => ExitCode::FAILURE,
        }
    })
}
