//! The guard's first step for each request: the head read so far is checked against `Limits`
//! (request line, head size, header count, body size) and parsed with httparse, then rewritten
//! canonically for tiny_http — or refused with the status to answer. Pure, table-tested.

use std::time::Duration;

/// What a client may send, and how long it may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub request_line: usize,
    pub head: usize,
    pub headers: usize,
    pub body: u64,
    /// From the first byte of a request to the end of its body.
    pub request_time: Duration,
    /// How long a kept-alive connection may wait for its next request.
    pub idle: Duration,
    /// How long one write to the client may block (a client that stops reading).
    pub write: Duration,
    /// How long tiny_http may take to answer (a live-reload poll waits up to 20 s).
    pub response: Duration,
}

pub const LIMITS: Limits = Limits {
    request_line: 8 * 1024,
    head: 32 * 1024,
    headers: 64,
    body: 16 * 1024,
    request_time: Duration::from_secs(10),
    idle: Duration::from_secs(30),
    write: Duration::from_secs(10),
    response: Duration::from_secs(60),
};

/// A request head read and checked, ready for tiny_http.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// Bytes of the head as received (what to drop from the buffer).
    pub len: usize,
    /// The head as tiny_http gets it.
    pub canonical: Vec<u8>,
    pub head_method: bool,
    pub body: u64,
    pub expect_continue: bool,
    /// The connection ends after this request (`Connection: close`, or HTTP/1.0 without
    /// keep-alive).
    pub close: bool,
}

/// Why a request is answered here, and the connection closed.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: &'static str,
}

const fn refuse(status: u16, message: &'static str) -> Refusal {
    Refusal { status, message }
}

/// Checks the request head at the start of `buf`: `Ok(None)` when more bytes are needed.
pub fn parse_head(buf: &[u8], limits: &Limits) -> Result<Option<Head>, Refusal> {
    let line_end = buf
        .iter()
        .take(limits.request_line + 1)
        .position(|&b| b == b'\n');
    if line_end.is_none() && buf.len() > limits.request_line {
        return Err(refuse(414, "The request line is too long.\n"));
    }
    let mut headers = vec![httparse::EMPTY_HEADER; limits.headers];
    let mut request = httparse::Request::new(&mut headers);
    let len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len > limits.head => {
            return Err(refuse(431, "The request head is too large.\n"));
        }
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() > limits.head => {
            return Err(refuse(431, "The request head is too large.\n"));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(refuse(431, "The request has too many headers.\n"));
        }
        Err(_) => return Err(refuse(400, "The request is malformed.\n")),
    };
    let (Some(method), Some(path), Some(version)) = (request.method, request.path, request.version)
    else {
        return Err(refuse(400, "The request is malformed.\n"));
    };
    let mut head = Head {
        len,
        canonical: Vec::with_capacity(len),
        head_method: method == "HEAD",
        body: 0,
        expect_continue: false,
        close: version == 0,
    };
    head.canonical
        .extend_from_slice(format!("{method} {path} HTTP/1.{version}\r\n").as_bytes());
    let mut lengths = 0;
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("Transfer-Encoding") {
            return Err(refuse(
                411,
                "Send a Content-Length; chunked bodies are not taken.\n",
            ));
        }
        if name.eq_ignore_ascii_case("Content-Length") {
            lengths += 1;
            head.body = std::str::from_utf8(header.value)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or(refuse(400, "The Content-Length is not a number.\n"))?;
        }
        if name.eq_ignore_ascii_case("Expect") {
            // Answered here; tiny_http gets the body without having to ask.
            head.expect_continue = header.value.eq_ignore_ascii_case(b"100-continue");
            if !head.expect_continue {
                return Err(refuse(417, "Only `Expect: 100-continue` is understood.\n"));
            }
            continue;
        }
        if name.eq_ignore_ascii_case("Connection") {
            let value = String::from_utf8_lossy(header.value).to_ascii_lowercase();
            if value.contains("close") {
                head.close = true;
            } else if value.contains("keep-alive") {
                head.close = false;
            }
            // Replaced below: what the client wants is kept between it and the guard.
            continue;
        }
        head.canonical.extend_from_slice(name.as_bytes());
        head.canonical.extend_from_slice(b": ");
        head.canonical.extend_from_slice(header.value);
        head.canonical.extend_from_slice(b"\r\n");
    }
    if lengths > 1 {
        return Err(refuse(
            400,
            "The request has more than one Content-Length.\n",
        ));
    }
    if head.body > limits.body {
        return Err(refuse(413, "Request bodies are not taken here.\n"));
    }
    // One request per connection to tiny_http, whatever the client keeps open: with
    // `Connection: close` tiny_http's connection task ends as soon as the request is read. A
    // kept-alive connection would hold a thread of its pool, and that pool can leave a burst's
    // next connection queued with no thread (`TaskPool::spawn` counts a worker it has just woken
    // as idle) until another connection ends — for a browser's six, up to the idle timeout.
    head.canonical
        .extend_from_slice(b"Connection: close\r\n\r\n");
    Ok(Some(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<Head>, Refusal> {
        parse_head(text.as_bytes(), &LIMITS)
    }

    #[test]
    fn a_head_is_checked_and_rewritten_for_tiny_http() {
        let head =
            parse("GET /a.html HTTP/1.1\nHost: x\nExpect: 100-continue\nContent-Length: 3\n\nabc")
                .unwrap()
                .unwrap();
        assert_eq!(
            String::from_utf8(head.canonical).unwrap(),
            "GET /a.html HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
        );
        assert_eq!((head.len, head.body), (69, 3));
        assert!(head.expect_continue && !head.close && !head.head_method);

        let head = parse("HEAD / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(head.head_method && head.close, "HTTP/1.0 closes");
        let head = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(!head.close);
        assert_eq!(
            String::from_utf8(head.canonical).unwrap(),
            "GET / HTTP/1.0\r\nConnection: close\r\n\r\n",
            "tiny_http gets one request per connection, whatever the client keeps open"
        );
        let head = parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(head.close);
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: x\r\n"),
            Ok(None),
            "not complete yet"
        );
        assert_eq!(parse("GET /aaaa"), Ok(None));
    }

    #[test]
    fn heads_over_the_limits_are_refused_before_they_are_read_whole() {
        let status = |text: &str| parse(text).err().map(|r| r.status);
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
        assert_eq!(status(&long_line), Some(414));
        assert_eq!(
            status(&"a".repeat(8 * 1024 + 1)),
            Some(414),
            "no line end yet"
        );
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(65));
        assert_eq!(status(&many), Some(431));
        let big = format!(
            "GET / HTTP/1.1\r\n{}",
            format!("X-A: {}\r\n", "b".repeat(4000)).repeat(9)
        );
        assert_eq!(status(&big), Some(431), "too large even before it ends");
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 99999999999999\r\n\r\n"),
            Some(413)
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 16385\r\n\r\n"),
            Some(413)
        );
        assert_eq!(
            status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Some(411)
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            Some(400)
        );
        assert_eq!(status("GET / HTTP/1.1\r\nExpect: magic\r\n\r\n"), Some(417));
        assert_eq!(status("GET\0 / HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET / HTTP/2.0\r\n\r\n"), Some(400));
        assert_eq!(
            parse("GET / HTTP/1.1\r\nContent-Length: 16384\r\n\r\n")
                .unwrap()
                .unwrap()
                .body,
            16384
        );
    }
}
