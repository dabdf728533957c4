//! The preview's HTTP side: serves the files of the built site, adds the live-reload script (and
//! the error overlay) to HTML pages, and answers the live-reload polls.
//!
//! - A request path is decoded once and checked by `sanitize`, a pure function: `..`, `.`
//!   and hidden segments, backslashes, colons, control characters and empty segments get a 404
//!   before any file is looked at, so nothing outside the output folder is ever read.
//! - `/` and `/dir/` serve `index.html`; `/dir` redirects to `/dir/`; a missing file gets the
//!   theme's 404 page with status 404. GET and HEAD only; the Content-Type follows the extension.
//! - Files are read whole when the request comes; the output folder is written atomically
//!   (`OutputDir`), so a response is the file before or after a rebuild, never half of each.
//! - Connections are accepted by `guard`, which enforces limits on each request (head, body,
//!   time) before tiny_http reads it, and hands tiny_http one complete request at a time over a
//!   private socket. Each request is answered on a thread of its own (there is at most one per
//!   connection, and `guard::MAX_CONNECTIONS` connections), so a slow or stalled client holds
//!   only its own thread; a live-reload poll, which waits, counts against `MAX_POLLS`.
//!
//! This module is the only user of tiny_http, percent-encoding and mime_guess.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::guard::{self, Upstream};
use super::reload::{self, Hub};
use crate::error::{Error, Result};
use crate::highlight::escape;

mod hosts;
mod paths;
use paths::{Found, find};
pub use paths::{content_type, sanitize};

/// Where pages ask for live-reload news (a path no site file can have: docgen never writes
/// names starting with `__docgen`).
pub const EVENTS: &str = "/__docgen/events";

/// How long a poll waits for news before answering "nothing yet".
const POLL_WAIT: Duration = Duration::from_secs(20);

/// At most this many polls wait at once (one per open page); more get a 503 and ask again.
const MAX_POLLS: usize = 64;

/// A bound, not yet serving, HTTP server.
pub struct Server {
    inner: Arc<tiny_http::Server>,
    addr: SocketAddr,
    /// The public socket, accepted from by `guard`.
    listener: TcpListener,
    /// Where tiny_http listens.
    upstream: Upstream,
    /// The private folder of tiny_http's socket, removed with the server.
    _private: Option<tempfile::TempDir>,
}

/// What the handlers read: the built site and the live-reload state.
pub struct Preview {
    /// The output folder (canonical).
    pub root: PathBuf,
    pub hub: Arc<Hub>,
    /// The address listened on, which decides the `Host` names answered (`hosts`).
    pub listening: SocketAddr,
}

/// A server answering requests until `stop`.
pub struct Running {
    server: Arc<tiny_http::Server>,
    threads: Vec<JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    hub: Arc<Hub>,
    addr: SocketAddr,
    _private: Option<tempfile::TempDir>,
}

/// Listens on `addr` (port 0: any free port), with tiny_http behind on a private socket.
pub fn bind(addr: SocketAddr) -> Result<Server> {
    let listener = TcpListener::bind(addr).map_err(|e| bind_error(addr, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io(addr.to_string(), e))?;
    let tiny_error = |e: Box<dyn std::error::Error + Send + Sync>| {
        Error::io(addr.to_string(), io::Error::other(e.to_string()))
    };
    #[cfg(unix)]
    let (inner, upstream, private) = {
        // A folder only this user can enter (tempfile creates it 0700): nobody else can reach
        // tiny_http around the guard.
        let private = tempfile::Builder::new()
            .prefix(&format!("docgen-serve-http-{}-", std::process::id()))
            .tempdir()
            .map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let path = private.path().join("http.sock");
        let unix =
            std::os::unix::net::UnixListener::bind(&path).map_err(|e| Error::io(&path, e))?;
        let inner = tiny_http::Server::from_listener(unix, None).map_err(tiny_error)?;
        (inner, Upstream::Unix(path), Some(private))
    };
    #[cfg(not(unix))]
    let (inner, upstream, private) = {
        let local = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| Error::io("127.0.0.1:0", e))?;
        let local_addr = local
            .local_addr()
            .map_err(|e| Error::io("127.0.0.1:0", e))?;
        let inner = tiny_http::Server::from_listener(local, None).map_err(tiny_error)?;
        (inner, Upstream::Tcp(local_addr), None)
    };
    Ok(Server {
        inner: Arc::new(inner),
        addr,
        listener,
        upstream,
        _private: private,
    })
}

fn bind_error(addr: SocketAddr, error: io::Error) -> Error {
    let (port, ip) = (addr.port(), addr.ip());
    match error.kind() {
        io::ErrorKind::AddrInUse => Error::Usage(format!(
            "port {port} is already in use on {ip} (another docgen serve?) — stop it, or pass \
             --port 0 to pick a free port"
        )),
        io::ErrorKind::AddrNotAvailable => Error::Usage(format!(
            "cannot listen on {ip}: it is not an address of this machine (see --interface)"
        )),
        io::ErrorKind::PermissionDenied => Error::Usage(format!(
            "not allowed to listen on port {port} — pick a port above 1023, or --port 0"
        )),
        _ => Error::io(addr.to_string(), error),
    }
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts answering requests.
    pub fn start(self, preview: Preview) -> Running {
        let preview = Arc::new(preview);
        let stopping = Arc::new(AtomicBool::new(false));
        let polls = Arc::new(AtomicUsize::new(0));
        let accept = {
            let stopping = Arc::clone(&stopping);
            let (listener, upstream) = (self.listener, self.upstream);
            std::thread::Builder::new()
                .name("http-accept".into())
                .spawn(move || guard::accept_loop(listener, upstream, stopping))
                .expect("a thread starts")
        };
        let dispatch = {
            let server = Arc::clone(&self.inner);
            let preview = Arc::clone(&preview);
            let stopping = Arc::clone(&stopping);
            std::thread::Builder::new()
                .name("http-dispatch".into())
                .spawn(move || {
                    loop {
                        match server.recv() {
                            Ok(request) => {
                                let preview = Arc::clone(&preview);
                                let polls = Arc::clone(&polls);
                                // When no thread can be had, the request is dropped with the
                                // closure (tiny_http answers 500).
                                let _ = std::thread::Builder::new()
                                    .name("http".into())
                                    .spawn(move || handle(request, &preview, &polls));
                            }
                            Err(_) if stopping.load(Ordering::SeqCst) => break,
                            // A connection that failed before its request was read.
                            Err(_) => {}
                        }
                    }
                })
                .expect("a thread starts")
        };
        Running {
            server: self.inner,
            threads: vec![accept, dispatch],
            stopping,
            hub: Arc::clone(&preview.hub),
            addr: self.addr,
            _private: self._private,
        }
    }
}

impl Running {
    /// Answers the waiting polls, stops accepting and dispatching, and returns. Requests being
    /// answered finish on their own threads.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.hub.stop();
        self.server.unblock();
        // Wakes the accept loop, which then sees `stopping`.
        let _ = std::net::TcpStream::connect_timeout(&reachable(self.addr), Duration::from_secs(1));
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// `addr` with an unspecified IP (`0.0.0.0`) replaced by loopback, which it also listens on.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn handle(request: Request, preview: &Arc<Preview>, polls: &Arc<AtomicUsize>) {
    let target = request.url().to_string();
    let (authority, url) = paths::request_target(&target);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    // An absolute-form target's authority is the host asked for (RFC 9112, 3.2.2), checked
    // as a Host header is.
    let host = authority.or_else(|| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str())
    });
    let response = if !hosts::allowed(host, preview.listening.ip()) {
        text(
            403,
            &format!(
                "This preview answers only localhost and IP addresses, not {:?}: a page of another \
                 site could otherwise read it through a name pointed at this machine (DNS \
                 rebinding). Open http://{}/ instead.\n",
                host.unwrap_or_default(),
                preview.listening
            ),
        )
    } else if !matches!(request.method(), Method::Get | Method::Head) {
        text(405, "Only GET and HEAD are served here.\n").with_header(header("Allow", "GET, HEAD"))
    } else if path == EVENTS {
        return poll(request, query, preview, polls);
    } else {
        match sanitize(path) {
            Some(rel) => serve_file(preview, &rel, query),
            None => not_found(preview),
        }
    };
    // The browser went away: nothing to do about it.
    let _ = request.respond(response);
}

/// Answers a live-reload poll: it may wait for `POLL_WAIT`.
fn poll(request: Request, query: &str, preview: &Arc<Preview>, polls: &Arc<AtomicUsize>) {
    let Some(slot) = PollSlot::take(polls) else {
        let _ = request.respond(text(503, "Too many open pages are waiting.\n"));
        return;
    };
    let message = preview.hub.wait(since(query), POLL_WAIT);
    let response = bytes(200, "application/json", message.to_json().into_bytes());
    let _ = request.respond(response);
    drop(slot);
}

/// One of the `MAX_POLLS` waiting polls, given back when dropped.
struct PollSlot(Arc<AtomicUsize>);

impl PollSlot {
    fn take(polls: &Arc<AtomicUsize>) -> Option<PollSlot> {
        if polls.fetch_add(1, Ordering::SeqCst) >= MAX_POLLS {
            polls.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(PollSlot(Arc::clone(polls)))
    }
}

impl Drop for PollSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The `since` generation of a poll's query (`since=123`).
fn since(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(|n| n.parse().ok())
}

fn serve_file(preview: &Preview, rel: &str, query: &str) -> Response<Box<dyn Read + Send>> {
    match find(&preview.root, rel) {
        Found::File(path) => {
            let name = if rel.is_empty() || rel.ends_with('/') {
                "index.html"
            } else {
                rel
            };
            let kind = content_type(name);
            if kind.starts_with("text/html") {
                match std::fs::read(&path) {
                    Ok(html) => bytes(200, &kind, with_live_reload(&html, &preview.hub)),
                    Err(_) => not_found(preview),
                }
            } else {
                match std::fs::File::open(&path) {
                    Ok(file) => {
                        let len = file.metadata().map(|m| m.len() as usize).ok();
                        let body: Box<dyn Read + Send> = Box::new(file);
                        finish(Response::new(StatusCode(200), Vec::new(), body, len, None))
                            .with_header(header("Content-Type", &kind))
                    }
                    Err(_) => not_found(preview),
                }
            }
        }
        Found::Folder => {
            let mut location = format!("/{rel}/");
            if !query.is_empty() {
                location.push('?');
                location.push_str(query);
            }
            text(301, &format!("Moved to {location}\n")).with_header(header("Location", &location))
        }
        Found::Missing => not_found(preview),
    }
}

/// The site's 404 page (the theme's), or a plain one before the site is built.
fn not_found(preview: &Preview) -> Response<Box<dyn Read + Send>> {
    let page = std::fs::read(preview.root.join(crate::build::NOT_FOUND)).unwrap_or_else(|_| {
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
             <body><h1>Not found</h1><p>{}</p></body></html>",
            escape("The site has not been built yet, or has no such page.")
        )
        .into_bytes()
    });
    bytes(
        404,
        "text/html; charset=utf-8",
        with_live_reload(&page, &preview.hub),
    )
}

/// `html` with the live-reload script, and the error overlay while the site has errors, before
/// its last `</body>` (or at its end).
fn with_live_reload(html: &[u8], hub: &Hub) -> Vec<u8> {
    let (generation, overlay) = hub.snapshot();
    let snippet = format!(
        "{}<script data-generation=\"{generation}\" data-endpoint=\"{EVENTS}\">{}</script>",
        overlay.unwrap_or_default(),
        reload::SCRIPT
    );
    inject(html, &snippet)
}

/// Inserts `snippet` before the last `</body>` of `html` (any case), or appends it.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    const END: &[u8] = b"</body";
    let at = html
        .windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn bytes(status: u16, kind: &str, body: Vec<u8>) -> Response<Box<dyn Read + Send>> {
    let len = body.len();
    let body: Box<dyn Read + Send> = Box::new(io::Cursor::new(body));
    finish(Response::new(
        StatusCode(status),
        Vec::new(),
        body,
        Some(len),
        None,
    ))
    .with_header(header("Content-Type", kind))
}

fn text(status: u16, message: &str) -> Response<Box<dyn Read + Send>> {
    bytes(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

/// Headers every response gets: a preview is never cached (a reload must show the rebuild),
/// and the length is always sent (no chunked bodies).
fn finish(response: Response<Box<dyn Read + Send>>) -> Response<Box<dyn Read + Send>> {
    response
        .with_chunked_threshold(usize::MAX)
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_goes_before_the_last_body_end() {
        assert_eq!(
            inject(b"<html><body><p>x</p></body></html>", "<s>"),
            b"<html><body><p>x</p><s></body></html>"
        );
        assert_eq!(
            inject(b"<BODY>a</body>b</BODY>\n", "<s>"),
            b"<BODY>a</body>b<s></BODY>\n"
        );
        assert_eq!(inject(b"<p>fragment", "<s>"), b"<p>fragment<s>");
    }

    #[test]
    fn a_poll_names_its_generation() {
        assert_eq!(since("since=42"), Some(42));
        assert_eq!(since("x=1&since=7"), Some(7));
        assert_eq!(since(""), None);
        assert_eq!(since("since=soon"), None);
    }
}
