//! The preview's front door: every connection is accepted here and guarded before tiny_http
//! reads a byte of it, because tiny_http 0.12 has no limits of its own (it buffers a request
//! line until CRLF however long, allocates whatever `Content-Length` claims when it skips a
//! body, and has no timeouts).
//!
//! tiny_http listens on a private socket (a Unix socket in a folder only this user can enter;
//! loopback TCP where there are none). Each public connection gets one thread here, which, for
//! each request in turn:
//! 1. reads the request head with a deadline and within limits (`Limits`), parsing it with
//!    httparse: a request line over 8 KiB is a 414, a head over 32 KiB or 64 headers a 431, a
//!    head not complete in 10 s a 408, a malformed one a 400 — each answered here and the
//!    connection closed, so memory per connection stays under ~50 KiB;
//! 2. refuses request bodies over 16 KiB (the preview takes none) with a 413 before reading
//!    them, and chunked ones with a 411; a smaller body must arrive within the deadline;
//! 3. hands tiny_http the request — the head rewritten canonically (CRLF line ends, no
//!    `Expect`, `Connection: close`), then the body — only once it is complete, so tiny_http
//!    never waits on a slow client, on a connection of its own, so no kept-alive connection
//!    holds a thread of tiny_http's pool (see `head::parse_head`);
//! 4. relays tiny_http's response back, by its `Content-Length`, with a write timeout, before it
//!    reads the next request: one request at a time per connection, so a client that pipelines
//!    or stops reading holds only its own connection.
//!
//! Accepted sockets get `TCP_NODELAY` (a keep-alive response otherwise waits ~40 ms for the
//! delayed ACK of its previous segment). At most `MAX_CONNECTIONS` are served at once; more get
//! a 503.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod head;
pub use head::{Head, LIMITS, Limits, Refusal, parse_head};

/// Connections served at once; each costs one thread here (and tiny_http a short task per request).
pub const MAX_CONNECTIONS: usize = 128;

/// Where tiny_http listens, reachable only from this process's user.
#[derive(Debug, Clone)]
pub enum Upstream {
    #[cfg(unix)]
    Unix(PathBuf),
    Tcp(SocketAddr),
}

/// A connection to tiny_http.
trait Stream: Read + Write + Send {
    fn close(&self);
}

#[cfg(unix)]
impl Stream for std::os::unix::net::UnixStream {
    fn close(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Stream for TcpStream {
    fn close(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Upstream {
    fn connect(&self, limits: &Limits) -> io::Result<Box<dyn Stream>> {
        let stream: Box<dyn Stream> = match self {
            #[cfg(unix)]
            Upstream::Unix(path) => {
                let stream = std::os::unix::net::UnixStream::connect(path)?;
                stream.set_read_timeout(Some(limits.response))?;
                stream.set_write_timeout(Some(limits.response))?;
                Box::new(stream)
            }
            Upstream::Tcp(addr) => {
                let stream = TcpStream::connect(addr)?;
                stream.set_nodelay(true)?;
                stream.set_read_timeout(Some(limits.response))?;
                stream.set_write_timeout(Some(limits.response))?;
                Box::new(stream)
            }
        };
        Ok(stream)
    }
}

/// Accepts connections on `listener` until `stopping` (then one more connection, to wake it),
/// each served on a thread of its own.
pub fn accept_loop(listener: TcpListener, upstream: Upstream, stopping: Arc<AtomicBool>) {
    let open = Arc::new(AtomicUsize::new(0));
    for client in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(client) = client else {
            // Out of file descriptors, or a connection reset before it was accepted: the
            // listener itself is fine.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let Some(slot) = Slot::take(&open, MAX_CONNECTIONS) else {
            // Answered without reading anything: this thread must get back to accepting.
            let _ = client.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = (&client).write_all(&refusal_bytes(503, "Too many connections; try again.\n"));
            continue;
        };
        let upstream = upstream.clone();
        let spawned = std::thread::Builder::new()
            .name("http-conn".into())
            .spawn(move || {
                serve_connection(client, &upstream, &LIMITS);
                drop(slot);
            });
        // No thread to be had: the connection is dropped (closed) with the closure.
        let _ = spawned;
    }
}

/// One of the connections being served, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        if open.fetch_add(1, Ordering::SeqCst) >= max {
            open.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves one client connection: guarded requests to tiny_http, its responses back.
fn serve_connection(client: TcpStream, upstream: &Upstream, limits: &Limits) {
    let _ = client.set_nodelay(true);
    let _ = client.set_write_timeout(Some(limits.write));
    let mut client = client;
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        // The head: the first byte may take `idle`, the whole request `request_time`.
        let mut deadline = None;
        let head = loop {
            if !buf.is_empty() {
                deadline.get_or_insert_with(|| Instant::now() + limits.request_time);
                match parse_head(&buf, limits) {
                    Ok(Some(head)) => break head,
                    Ok(None) => {}
                    Err(refusal) => {
                        return reject(&client, &mut buf, refusal.status, refusal.message);
                    }
                }
            }
            let wait = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => limits.idle,
            };
            match read_some(&mut client, &mut buf, wait) {
                Ok(true) => {}
                // The client is done (or idle too long) between requests: close quietly.
                Ok(false) | Err(_) if deadline.is_none() => return,
                Ok(false) => return,
                Err(_) => {
                    return reject(
                        &client,
                        &mut buf,
                        408,
                        "The request took too long to arrive.\n",
                    );
                }
            }
        };
        let deadline = deadline.unwrap_or_else(|| Instant::now() + limits.request_time);
        let whole = head.len + head.body as usize;
        if head.expect_continue
            && head.body > 0
            && buf.len() < whole
            && client.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            return;
        }
        while buf.len() < whole {
            let wait = deadline.saturating_duration_since(Instant::now());
            match read_some(&mut client, &mut buf, wait) {
                Ok(true) => {}
                Ok(false) => return,
                Err(_) => {
                    return reject(&client, &mut buf, 408, "The request body took too long.\n");
                }
            }
        }
        // Hand it over, on a connection of its own (see `parse_head`); tiny_http between two
        // accepts gets a second try.
        let mut forwarded = None;
        for _ in 0..2 {
            let Ok(mut stream) = upstream.connect(limits) else {
                continue;
            };
            let sent = stream
                .write_all(&head.canonical)
                .and_then(|()| stream.write_all(&buf[head.len..whole]))
                .and_then(|()| stream.flush());
            if sent.is_ok() {
                forwarded = Some(stream);
                break;
            }
        }
        let Some(mut stream) = forwarded else {
            return reject(&client, &mut buf, 503, "The preview is not answering.\n");
        };
        buf.drain(..whole);
        let relayed = relay(stream.as_mut(), &mut client, head.head_method, head.close);
        stream.close();
        if relayed.ok() != Some(Relayed::KeepAlive) {
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Reads what `from` has into `buf`, waiting at most `wait` (at least 1 ms). `Ok(false)` at the
/// end of the stream; an error on a timeout.
fn read_some(from: &mut TcpStream, buf: &mut Vec<u8>, wait: Duration) -> io::Result<bool> {
    if wait.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    from.set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
    let mut chunk = [0; 8192];
    loop {
        match from.read(&mut chunk) {
            Ok(0) => return Ok(false),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(true);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// How a relayed response ended.
#[derive(Debug, PartialEq, Eq)]
enum Relayed {
    /// By its length: the client's connection can carry another request.
    KeepAlive,
    /// The client's connection ends with it (no length, or the client asked to close).
    Closed,
}

/// Copies one response from tiny_http to the client. tiny_http closes its end after each
/// response (it was asked to); the client's connection stays open when the response has a length
/// and the client did not ask to close (`client_close`), and then tiny_http's `Connection: close`
/// is not passed on.
fn relay(
    from: &mut dyn Stream,
    to: &mut TcpStream,
    head_method: bool,
    client_close: bool,
) -> io::Result<Relayed> {
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = vec![0; 64 * 1024];
    let (head_len, body, head) = loop {
        let n = from.read(&mut chunk)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let code = response.code.unwrap_or(500);
                let length = response
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("Content-Length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let bodiless = head_method || code < 200 || code == 204 || code == 304;
                let body = if bodiless { Some(0) } else { length };
                let head = if client_close || body.is_none() {
                    // Ends with the connection: tiny_http's head says so already.
                    None
                } else {
                    Some(head_without_connection(&response))
                };
                break (len, body, head);
            }
            Ok(httparse::Status::Partial) if buf.len() <= 64 * 1024 => {}
            _ => return Err(io::ErrorKind::InvalidData.into()),
        }
    };
    let Some(body) = body else {
        to.write_all(&buf)?;
        loop {
            let n = from.read(&mut chunk)?;
            if n == 0 {
                return Ok(Relayed::Closed);
            }
            to.write_all(&chunk[..n])?;
        }
    };
    let whole = head_len as u64 + body;
    let now = (buf.len() as u64).min(whole) as usize;
    match &head {
        Some(head) => {
            to.write_all(head)?;
            to.write_all(&buf[head_len..now])?;
        }
        None => to.write_all(&buf[..now])?,
    }
    let mut left = whole - now as u64;
    while left > 0 {
        let want = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = from.read(&mut chunk[..want])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        to.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    to.flush()?;
    Ok(if head.is_some() {
        Relayed::KeepAlive
    } else {
        Relayed::Closed
    })
}

/// A response head as tiny_http wrote it, less its `Connection` header.
fn head_without_connection(response: &httparse::Response) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.{} {} {}\r\n",
        response.version.unwrap_or(1),
        response.code.unwrap_or(500),
        response.reason.unwrap_or("")
    )
    .into_bytes();
    for header in response.headers.iter() {
        if !header.name.eq_ignore_ascii_case("Connection") {
            head.extend_from_slice(header.name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(header.value);
            head.extend_from_slice(b"\r\n");
        }
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// Answers `status` with `message` and closes the connection. What the client is still sending
/// is read and dropped for a moment first (at most 1 MiB or 1 s), so that closing does not reset
/// the connection before the client has read the answer.
fn reject(client: &TcpStream, buf: &mut Vec<u8>, status: u16, message: &str) {
    buf.clear();
    buf.shrink_to(4096);
    let mut client = client;
    if client.write_all(&refusal_bytes(status, message)).is_err() {
        return;
    }
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut drained = 0;
    let mut chunk = [0; 8192];
    while drained < 1024 * 1024 {
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero()
            || client
                .set_read_timeout(Some(wait.min(Duration::from_millis(200))))
                .is_err()
        {
            break;
        }
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// A complete `status` response carrying `message`, closing the connection.
fn refusal_bytes(status: u16, message: &str) -> Vec<u8> {
    let reason = match status {
        400 => "Bad Request",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{message}",
        message.len()
    )
    .into_bytes()
}
