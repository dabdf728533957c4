//! Headless Chromium for the browser tests, and the loopback HTTP server its pages come from.
//!
//! Both are written around what made these tests hang:
//! - **The server answers every connection on a thread of its own.** tiny_http 0.12 hands each
//!   connection to a pool thread for the connection's whole life, and its pool can queue a new
//!   connection with no thread to run it: `TaskPool::spawn` counts a worker as idle while that
//!   worker is already woken for the connection before, so when two connections arrive together
//!   (Chromium opens six at once to load a page) and one worker is idle, the second waits until
//!   some kept-alive connection closes — which Chromium does not do while the page is open. The
//!   page's report then never arrived (seen in gdb: 5 workers reading, 1 connection queued, its
//!   request unread in the socket). Here no request waits for another connection.
//! - **The browser runs in a process group of its own, killed whole on drop**, so its zygotes,
//!   renderers and utility processes end with it; and it inherits no file descriptor but its
//!   standard streams (all others are marked close-on-exec before it starts), so no Chromium
//!   helper that outlives the test keeps a lock file or pipe of the test's caller open.
//! - **Each browser has its own profile folder**, removed on drop, and Chromium's crash reporter
//!   is off (it would otherwise share `~/.config/chromium/Crash Reports` between browsers and
//!   leave a handler process behind).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server answers for a path: status, body and Content-Type.
pub type Answer = (u16, Vec<u8>, &'static str);

/// An HTTP/1.1 server on 127.0.0.1 until dropped. `GET`s are answered by the `respond` function;
/// the body of a `POST /__report` arrives on `reports`.
pub struct Loopback {
    pub port: u16,
    pub reports: mpsc::Receiver<String>,
    /// Every request's method and path, in order: what a test that timed out shows.
    seen: Arc<Mutex<Vec<String>>>,
    stopping: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// A kept-alive connection idle this long is closed (Chromium opens another if it needs one).
const IDLE: Duration = Duration::from_secs(120);

/// Request heads and bodies are small here; a larger one is a test bug, answered with 413.
const MAX_REQUEST: usize = 1 << 20;

impl Loopback {
    pub fn start(respond: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("a local address").port();
        let (sender, reports) = mpsc::channel();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stopping = Arc::new(AtomicBool::new(false));
        let respond = Arc::new(respond);
        let accept = {
            let (seen, stopping) = (Arc::clone(&seen), Arc::clone(&stopping));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (respond, sender, seen) =
                        (Arc::clone(&respond), sender.clone(), Arc::clone(&seen));
                    std::thread::spawn(move || {
                        serve_connection(stream, &*respond, &sender, &seen);
                    });
                }
            })
        };
        Loopback {
            port,
            reports,
            seen,
            stopping,
            accept: Some(accept),
        }
    }

    /// The requests so far, one `METHOD path` a line.
    pub fn seen(&self) -> String {
        self.seen.lock().unwrap().join("\n")
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees `stopping`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Answers the requests of one connection, one after the other, until the client closes it,
/// asks to close it, or leaves it idle for `IDLE`.
fn serve_connection(
    stream: TcpStream,
    respond: &(dyn Fn(&str) -> Answer + Send + Sync),
    reports: &mpsc::Sender<String>,
    seen: &Mutex<Vec<String>>,
) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE));
    let mut writer = match stream.try_clone() {
        Ok(writer) => writer,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = Vec::new();
        // The head ends with an empty line.
        loop {
            let before = head.len();
            match reader.by_ref().take(8192).read_until(b'\n', &mut head) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if head.len() > MAX_REQUEST {
                let _ = write_response(&mut writer, (413, Vec::new(), "text/plain"), true);
                return;
            }
            let line = &head[before..];
            if line == b"\r\n" || line == b"\n" {
                break;
            }
        }
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        if !matches!(request.parse(&head), Ok(httparse::Status::Complete(_))) {
            let _ = write_response(&mut writer, (400, Vec::new(), "text/plain"), true);
            return;
        }
        let method = request.method.unwrap_or("GET").to_string();
        let target = request.path.unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
        };
        let length: usize = header("content-length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let close = header("connection").is_some_and(|v| v.contains("close"));
        if length > MAX_REQUEST {
            let _ = write_response(&mut writer, (413, Vec::new(), "text/plain"), true);
            return;
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        seen.lock().unwrap().push(format!("{method} {path}"));
        let answer = if method == "POST" && path == "/__report" {
            let _ = reports.send(String::from_utf8_lossy(&body).into_owned());
            (204, Vec::new(), "text/plain")
        } else {
            respond(&path)
        };
        if write_response(&mut writer, answer, close).is_err() || close {
            return;
        }
    }
}

fn write_response(
    writer: &mut TcpStream,
    (status, body, kind): Answer,
    close: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Content Too Large",
        _ => "Status",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: {connection}\r\n\r\n",
        body.len()
    );
    writer.write_all(head.as_bytes())?;
    writer.write_all(&body)?;
    writer.flush()
}

/// A headless Chromium showing one page until dropped.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Opens `url` with the tests' flags, `extra` flags, and a fresh profile. Its standard
    /// streams go nowhere, or (`SEARCH_TEST_CONSOLE` set) its log to the test's stderr.
    pub fn open(chromium: &Path, extra: &[&str], url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let console = std::env::var_os("SEARCH_TEST_CONSOLE").is_some();
        let mut command = Command::new(chromium);
        command
            .args(super::CHROMIUM_FLAGS)
            .arg("--disable-crash-reporter")
            .args(extra)
            .args(console.then_some("--enable-logging=stderr"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if console {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
            // SAFETY: the closure runs in the forked child before exec and makes one
            // async-signal-safe system call. It marks every descriptor above the standard
            // streams close-on-exec (std's own exec-error pipe already is), so the browser
            // inherits none of them. On a kernel without close_range it fails harmlessly.
            unsafe {
                command.pre_exec(|| {
                    #[cfg(target_os = "linux")]
                    libc::syscall(
                        libc::SYS_close_range,
                        3u32,
                        u32::MAX,
                        libc::CLOSE_RANGE_CLOEXEC,
                    );
                    Ok(())
                });
            }
        }
        let child = command.spawn().expect("chromium starts");
        Browser {
            child,
            _profile: profile,
        }
    }

    /// Whether the browser has exited, and how (for a test's failure message).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: the browser and every helper process it started. (The launcher
        // script /usr/bin/chromium execs the browser, so the child is the browser itself.)
        #[cfg(unix)]
        unsafe {
            // SAFETY: kill(2) on our own child's process group.
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
