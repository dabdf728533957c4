//! The preview server's throughput, wrk-style: requests per second and latency on kept-alive
//! connections, one and many at once.
//!
//! ```sh
//! cargo build --release --bin docgen --example serve-load
//! target/release/examples/serve-load SITE [--connections 1,50] [--seconds 10] [--path /] [--docgen PATH]
//! ```
//!
//! It starts `docgen serve --port 0` on the site (PATH defaults to the `docgen` next to this
//! program's folder, `target/release/docgen`), waits until it serves, then for each number of
//! connections N opens N kept-alive connections, each on a thread of its own sending `GET PATH`
//! and reading the whole response (by its `Content-Length`) in a loop for the given seconds.
//! Prints, per N: requests, requests/s, transfer/s, latency median, p99 and max, and errors.
//! A server without `TCP_NODELAY` shows here as ~40 ms per kept-alive request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site = None;
    let mut connections = vec![1, 50];
    let mut seconds = 10.0;
    let mut path = "/".to_string();
    let mut docgen = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("docgen")))
        .unwrap_or_else(|| PathBuf::from("docgen"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--connections" => {
                connections = args
                    .next()
                    .expect("--connections 1,50")
                    .split(',')
                    .map(|n| n.parse().expect("a number of connections"))
                    .collect();
            }
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds S")
            }
            "--path" => path = args.next().expect("--path /page.html"),
            "--docgen" => docgen = PathBuf::from(args.next().expect("--docgen PATH")),
            "-h" | "--help" => {
                println!(
                    "serve-load SITE [--connections 1,50] [--seconds 10] [--path /] [--docgen PATH]"
                );
                return;
            }
            _ => site = Some(PathBuf::from(arg)),
        }
    }
    let site = site.expect("usage: serve-load SITE [--connections 1,50] [--seconds S]");
    let mut server = Server::start(&docgen, &site);
    println!(
        "docgen serve on port {} ({})",
        server.port,
        docgen.display()
    );
    for n in connections {
        let result = run(server.port, &path, n, Duration::from_secs_f64(seconds));
        result.print(n, &path);
    }
    let _ = server.child.kill();
    let _ = server.child.wait();
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(docgen: &PathBuf, site: &PathBuf) -> Server {
        let mut child = Command::new(docgen)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} cannot start: {e}", docgen.display()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut port = None;
        for line in stdout.by_ref() {
            let line = line.expect("docgen serve prints");
            if let Some(rest) = line.strip_prefix("Serving http://127.0.0.1:") {
                port = rest.trim_end_matches('/').parse().ok();
                break;
            }
        }
        let port = port.expect("docgen serve prints its URL");
        // Keep reading: a closed pipe would make the server's next line fail.
        std::thread::spawn(move || stdout.for_each(drop));
        Server { child, port }
    }
}

#[derive(Default)]
struct Result {
    latencies: Vec<Duration>,
    bytes: u64,
    errors: usize,
    elapsed: Duration,
}

impl Result {
    fn print(mut self, n: usize, path: &str) {
        self.latencies.sort();
        let count = self.latencies.len();
        let at = |q: f64| {
            self.latencies
                .get(((count as f64 * q) as usize).min(count.saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        let secs = self.elapsed.as_secs_f64();
        println!(
            "{n} connection{} on GET {path}: {count} requests in {secs:.1} s, {:.0} requests/s, \
             {:.1} MB/s; latency median {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
            if n == 1 { "" } else { "s" },
            count as f64 / secs,
            self.bytes as f64 / secs / 1e6,
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            self.latencies
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
            self.errors
        );
    }
}

/// `n` kept-alive connections asking for `path` until `time` is up.
fn run(port: u16, path: &str, n: usize, time: Duration) -> Result {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..n)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            std::thread::spawn(move || {
                let mut result = Result::default();
                let mut connection: Option<(TcpStream, BufReader<TcpStream>)> = None;
                while !stop.load(Ordering::Relaxed) {
                    let (writer, reader) = match &mut connection {
                        Some(c) => c,
                        None => {
                            let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
                                result.errors += 1;
                                std::thread::sleep(Duration::from_millis(10));
                                continue;
                            };
                            let _ = stream.set_nodelay(true);
                            let reader = BufReader::new(stream.try_clone().unwrap());
                            connection.insert((stream, reader))
                        }
                    };
                    let sent = Instant::now();
                    match writer
                        .write_all(request.as_bytes())
                        .and_then(|()| read_response(reader))
                    {
                        Ok(bytes) => {
                            result.latencies.push(sent.elapsed());
                            result.bytes += bytes;
                        }
                        Err(_) => {
                            result.errors += 1;
                            connection = None;
                        }
                    }
                }
                result
            })
        })
        .collect();
    std::thread::sleep(time);
    stop.store(true, Ordering::Relaxed);
    let mut total = Result::default();
    for worker in workers {
        let result = worker.join().expect("a load thread");
        total.latencies.extend(result.latencies);
        total.bytes += result.bytes;
        total.errors += result.errors;
    }
    total.elapsed = started.elapsed();
    total
}

/// Reads one response; returns its size. An error status counts as an error.
fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<u64> {
    let mut length = 0;
    let mut size = 0;
    let mut first = true;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        size += line.len() as u64;
        if first && !line.starts_with("HTTP/1.1 200") {
            return Err(std::io::Error::other(line));
        }
        first = false;
        if line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().map_err(std::io::Error::other)?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(size + length as u64)
}
