//! `docgen serve` against bad clients, on 127.0.0.1: a huge `Content-Length`, a body or head
//! that never ends, clients that stop reading, a request line hundreds of MiB long. None may
//! kill the server, grow it by more than ~50 MB, or keep a normal request from being answered.
//! And after a rebuild failed inside docgen, removing the page that caused it rebuilds.
//!
//! Each test starts the real binary on port 0. Loops are bounded; the one time bound is a
//! generous one that catches a server held up by the bad clients (they hold their connections
//! for 10 s or more), not a benchmark.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;

const PATIENCE: Duration = Duration::from_secs(60);
/// A normal request while bad clients hold their connections must come back well before they
/// give up (10 s): this catches a server they block, on any machine.
const PROMPT: Duration = Duration::from_secs(5);

struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
            .args(["serve", "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("docgen serve starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let lines = BufReader::new(child.stdout.take().unwrap());
        let into = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in lines.lines() {
                let Ok(line) = line else { break };
                into.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stdout,
        };
        let serving = server.wait_for("Serving http://127.0.0.1:", 0);
        server.port = serving
            .lines()
            .find_map(|l| l.strip_prefix("Serving http://127.0.0.1:"))
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .expect("a loopback URL");
        server
    }

    /// Waits until stdout holds `needle` after its first `from` bytes; returns all of stdout.
    fn wait_for(&self, needle: &str, from: usize) -> String {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let text = self.stdout.lock().unwrap().clone();
            if text.get(from..).is_some_and(|t| t.contains(needle)) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "docgen serve never printed `{needle}`:\n{}",
            self.stdout.lock().unwrap()
        );
    }

    fn printed(&self) -> usize {
        self.stdout.lock().unwrap().len()
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// A normal request on a new connection: its status, and how long it took.
    fn get(&self, path: &str) -> (u16, Duration) {
        let started = Instant::now();
        let mut stream = self.connect();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        (status(&response), started.elapsed())
    }

    fn assert_alive(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "docgen serve died:\n{}",
            self.stdout.lock().unwrap()
        );
        assert_eq!(self.get("/").0, 200);
    }

    /// Resident memory of the server, in KiB.
    #[cfg(target_os = "linux")]
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    /// Stops the server as Ctrl-C does, so it removes its temporary folder (a killed server
    /// leaves the built site, 8 MiB here, in the system temp folder); kills it only if it does
    /// not stop.
    fn drop(&mut self) {
        common::stop(&mut self.child);
    }
}

fn status(response: &[u8]) -> u16 {
    let text = String::from_utf8_lossy(response);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {:?}", &text[..text.len().min(200)]))
}

fn site() -> TestSite {
    TestSite::new()
        .page("index.md", "# Home\n\nWelcome.\n")
        .page("a.md", "# A\n")
        // Large enough that a client not reading it fills every socket buffer on the way.
        .bytes("static/big.bin", &vec![7u8; 8 * 1024 * 1024])
}

/// Reads one response (head and `Content-Length` body) from a kept-alive connection.
fn read_response(stream: &mut BufReader<TcpStream>) -> (u16, Vec<u8>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        assert!(stream.read_line(&mut line).unwrap() > 0, "closed: {head}");
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (status(head.as_bytes()), body)
}

#[test]
fn an_absolute_form_request_is_served_and_its_host_checked_as_a_host_header_is() {
    let mut server = Server::start(&site(), &[], &[]);
    let ask = |server: &mut Server, request: &str| {
        let mut stream = server.connect();
        stream.write_all(request.as_bytes()).unwrap();
        read_response(&mut BufReader::new(stream))
    };
    // What a proxy sends: the target names the host, and it stands for the Host header.
    let (code, body) = ask(
        &mut server,
        "GET http://127.0.0.1/a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains(">A</h1>"));
    assert_eq!(
        ask(
            &mut server,
            "GET http://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .0,
        200,
        "no path is the home page"
    );
    // A name that could be pointed at this machine is refused in the target too, whatever
    // the Host header says (DNS rebinding).
    assert_eq!(
        ask(
            &mut server,
            "GET http://attacker.example/a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .0,
        403
    );
    // The target's path is checked as any other.
    assert_eq!(
        ask(
            &mut server,
            "GET http://127.0.0.1/..%2f..%2fetc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .0,
        404
    );
    server.assert_alive();
}

#[test]
fn a_huge_content_length_gets_413_and_a_closed_connection() {
    let mut server = Server::start(&site(), &[], &[]);
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap(); // returns: the server closed the connection
    let text = String::from_utf8_lossy(&response);
    assert!(
        text.starts_with("HTTP/1.1 413 Content Too Large\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nConnection: close\r\n"), "{text}");
    assert!(
        text.ends_with("\r\n\r\nRequest bodies are not taken here.\n"),
        "{text}"
    );

    // A small body is taken (and ignored); a chunked one is refused.
    let mut stream = server.connect();
    stream
        .write_all(b"GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello")
        .unwrap();
    assert_eq!(read_response(&mut BufReader::new(stream)).0, 200);
    let mut stream = server.connect();
    stream
        .write_all(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    assert_eq!(status(&response), 411);
    server.assert_alive();
}

#[test]
fn stalled_and_slow_clients_do_not_hold_up_a_normal_request() {
    let mut server = Server::start(&site(), &[], &[]);
    let mut bad = Vec::new();
    for _ in 0..4 {
        // A body that never comes.
        let mut stream = server.connect();
        stream
            .write_all(
                b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789",
            )
            .unwrap();
        bad.push(stream);
        // A head that never ends.
        let mut stream = server.connect();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .unwrap();
        bad.push(stream);
        // A reader that never reads.
        let mut stream = server.connect();
        stream
            .write_all(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        bad.push(stream);
        // Twenty requests at once, none of the answers read.
        let mut stream = server.connect();
        stream
            .write_all(&b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(20))
            .unwrap();
        bad.push(stream);
    }
    // Let them take whatever they can.
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        let (status, took) = server.get("/a.html");
        assert_eq!(status, 200);
        assert!(took < PROMPT, "a normal request took {took:?}");
    }
    // A body that never comes is given up on with a 408.
    let mut stalled = bad.swap_remove(0);
    let mut response = Vec::new();
    stalled.read_to_end(&mut response).unwrap();
    assert_eq!(status(&response), 408);
    server.assert_alive();
    drop(bad);
}

#[test]
fn a_long_request_line_is_refused_without_growing_the_server() {
    let mut server = Server::start(&site(), &[], &[]);
    // 1 MiB without a line end: refused after 8 KiB, the rest read and dropped.
    let mut stream = server.connect();
    let mut line = b"GET /".to_vec();
    line.resize(1024 * 1024, b'a');
    stream.write_all(&line).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    assert_eq!(status(&response), 414);

    #[cfg(target_os = "linux")]
    {
        let before = server.rss_kib();
        // As much of 300 MiB as the server takes before it closes the connection.
        let mut stream = server.connect();
        stream.write_all(b"GET /").unwrap();
        let chunk = vec![b'a'; 1024 * 1024];
        let mut sent = 0;
        while sent < 300 && stream.write_all(&chunk).is_ok() {
            sent += 1;
        }
        drop(stream);
        server.assert_alive();
        let grown = server.rss_kib().saturating_sub(before);
        assert!(grown < 50 * 1024, "the server grew by {grown} KiB");
    }
    server.assert_alive();
}

#[test]
fn one_kept_alive_connection_carries_many_requests() {
    let mut server = Server::start(&site(), &[], &[]);
    let stream = server.connect();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    for i in 0..200 {
        let path = if i % 2 == 0 {
            "/a.html"
        } else {
            "/missing.html"
        };
        write!(writer, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let (status, body) = read_response(&mut reader);
        assert_eq!(status, if i % 2 == 0 { 200 } else { 404 });
        assert!(!body.is_empty());
    }
    // HEAD has no body, and the connection goes on.
    write!(writer, "HEAD /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        head.push_str(&line);
    }
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    write!(writer, "GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut reader).0, 200);
    server.assert_alive();
}

#[test]
fn removing_the_page_that_broke_a_rebuild_rebuilds() {
    let site = site();
    let server = Server::start(
        &site,
        &["--watch"],
        &[("DOCGEN_TEST_FAIL_WHILE", "content/boom.md")],
    );
    let from = server.printed();
    std::fs::write(site.root().join("content/boom.md"), "# Boom\n").unwrap();
    server.wait_for("The site cannot be built", from);
    let from = server.printed();
    std::fs::remove_file(site.root().join("content/boom.md")).unwrap();
    server.wait_for("Built 2 pages", from);

    // And fixing it (here: the failure going away while the page stays) rebuilds too.
    std::fs::write(site.root().join("content/boom.md"), "# Boom\n").unwrap();
    server.wait_for("The site cannot be built", from);
    let from = server.printed();
    std::fs::write(site.root().join("content/other.md"), "# Other\n").unwrap();
    std::fs::rename(
        site.root().join("content/boom.md"),
        site.root().join("content/fixed.md"),
    )
    .unwrap();
    server.wait_for("Built 4 pages", from);
}

#[test]
fn connections_over_the_cap_get_503_and_the_server_recovers() {
    let mut server = Server::start(&site(), &[], &[]);
    let idle: Vec<TcpStream> = (0..128).map(|_| server.connect()).collect();
    // Each holds a slot once accepted; the next one finds none.
    let deadline = Instant::now() + PATIENCE;
    let refused = loop {
        let mut stream = server.connect();
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        if response.starts_with(b"HTTP/1.1 503 ") || Instant::now() > deadline {
            break response;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status(&refused), 503);
    drop(idle);
    let deadline = Instant::now() + PATIENCE;
    // Until then, a refused connection may be reset before its 503 is read.
    while std::panic::catch_unwind(|| server.get("/").0).ok() != Some(200) {
        assert!(Instant::now() < deadline, "the server never recovered");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.assert_alive();
}

/// A browser opens about six connections at once when a page loads. tiny_http's thread pool can
/// leave one of a burst of new connections queued with no thread (it counts a worker woken for
/// the previous one as idle) until another connection ends — for a kept-alive one, up to its
/// idle timeout. The race is likeliest on a fresh server (its pool has 4 threads), so each
/// attempt starts one. Every request of every burst must be answered, and the connections stay
/// open for a next request.
#[test]
fn bursts_of_new_connections_are_all_answered() {
    let site = site();
    for attempt in 0..6 {
        let server = Server::start(&site, &[], &[]);
        let connections = 16;
        let barrier = Arc::new(std::sync::Barrier::new(connections));
        let port = server.port;
        let clients: Vec<_> = (0..connections)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    stream.set_read_timeout(Some(PROMPT)).unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    barrier.wait();
                    // Kept alive, as a browser's are: two requests on each, and the
                    // connection stays open until the whole burst is done.
                    for path in ["/", "/a.html"] {
                        write!(writer, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
                        let (status, body) = read_response(&mut reader);
                        assert_eq!(status, 200);
                        assert!(!body.is_empty());
                    }
                    reader
                })
            })
            .collect();
        let ends: Vec<_> = clients.into_iter().map(|client| client.join()).collect();
        let unanswered = ends.iter().filter(|end| end.is_err()).count();
        assert_eq!(
            unanswered, 0,
            "attempt {attempt}: {unanswered} of a burst of {connections} connections were not \
             answered within {PROMPT:?}"
        );
    }
}

/// `docgen serve --watch | head`, or a terminal that went away: nobody reads the server's output
/// any more. The preview keeps serving and rebuilding (its lines are dropped); `println!` would
/// panic on the closed pipe at the next rebuild and take the server down.
#[test]
fn a_closed_output_pipe_does_not_stop_the_preview() {
    let site = site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(["serve", "--port", "0", "--watch"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("docgen serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("Serving http://127.0.0.1:")
                .and_then(|p| p.trim_end_matches('/').parse().ok())
        })
        .expect("a loopback URL");
    drop(lines);
    // Killed on drop, also when an assertion fails.
    let mut server = Server {
        child,
        port,
        stdout: Arc::default(),
    };
    let page = |path: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).ok()?;
        Some(String::from_utf8_lossy(&response).into_owned())
    };
    // Each save prints a line into the closed pipe; the new page must still be served.
    for edit in 0..3 {
        let marker = format!("Edited {edit} times");
        std::fs::write(
            site.root().join("content/a.md"),
            format!("# A\n\n{marker}\n"),
        )
        .unwrap();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if page("/a.html").is_some_and(|r| r.contains(&marker)) {
                break;
            }
            assert!(
                server.child.try_wait().unwrap().is_none(),
                "docgen serve died after its output pipe closed (edit {edit})"
            );
            assert!(Instant::now() < deadline, "edit {edit} never served");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
