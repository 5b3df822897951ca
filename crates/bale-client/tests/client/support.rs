//! A canned-response server: a loopback listener whose every connection reads one request
//! and then does one scripted thing ([`Reply`]).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// A well-formed token whose secret the redaction tests look for.
pub const TOKEN: &str = "123456789:SECRETabcdefghijklmnopqrstuvwxyz";
/// The part of [`TOKEN`] that must never be shown.
pub const SECRET: &str = "SECRETabcdefghijklmnopqrstuvwxyz";

/// What the server does with one connection, after reading the request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Close without answering.
    Close,
    /// Reset the connection (RST, via SO_LINGER 0).
    Reset,
    /// Never answer (until the test ends).
    Hang,
    /// Write these bytes, then neither write nor close (until the test ends).
    Stall(Vec<u8>),
}

/// A full HTTP/1.1 response with a correct Content-Length.
pub fn response(status_line: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut raw = format!("HTTP/1.1 {status_line}\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    Reply::Raw(raw.into_bytes())
}

/// A JSON answer with the given status.
pub fn json(status_line: &str, body: &str) -> Reply {
    response(status_line, &[("content-type", "application/json")], body)
}

/// One received request.
#[derive(Debug)]
pub struct Request {
    /// `POST /bot…/getMe HTTP/1.1`.
    pub request_line: String,
    /// The header lines, as sent.
    pub headers: Vec<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }

    /// A header's value, by name ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A running canned server; connection `n` gets reply `n` (the last one repeats).
pub struct Canned {
    uri: String,
    requests: mpsc::UnboundedReceiver<Request>,
}

impl Canned {
    /// Binds 127.0.0.1:0 and serves `replies`.
    pub async fn start(replies: Vec<Reply>) -> Canned {
        assert!(!replies.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let (sender, requests) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            for n in 0.. {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = replies[n.min(replies.len() - 1)].clone();
                tokio::spawn(serve(stream, reply, sender.clone()));
            }
        });
        Canned { uri, requests }
    }

    /// One reply for every connection.
    pub async fn always(reply: Reply) -> Canned {
        Canned::start(vec![reply]).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The next request received (waits up to 5 s).
    pub async fn next_request(&mut self) -> Request {
        tokio::time::timeout(Duration::from_secs(5), self.requests.recv())
            .await
            .expect("a request arrives")
            .expect("the server is running")
    }

    /// How many requests were received so far.
    pub fn received(&mut self) -> usize {
        let mut count = 0;
        while self.requests.try_recv().is_ok() {
            count += 1;
        }
        count
    }
}

/// A base URL where nothing listens: a port that was bound and released.
pub async fn refused_uri() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

async fn serve(mut stream: TcpStream, reply: Reply, sender: mpsc::UnboundedSender<Request>) {
    // Read the whole request first: closing with unread bytes would send RST instead of FIN.
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let _ = sender.send(request);
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Close => {
            let _ = stream.shutdown().await;
        }
        Reply::Reset => {
            socket2::SockRef::from(&stream)
                .set_linger(Some(Duration::ZERO))
                .unwrap();
        }
        Reply::Hang => tokio::time::sleep(Duration::from_secs(60)).await,
        Reply::Stall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n").map(str::to_owned);
    let request_line = lines.next()?;
    let headers: Vec<String> = lines.collect();
    let mut request = Request {
        request_line,
        headers,
        body: buffer[head_end + 4..].to_vec(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.body.len() < length {
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        request.body.extend_from_slice(&chunk[..n]);
    }
    Some(request)
}
