//! The live-preview benchmark: how long from saving a page to the reload event, and how much
//! memory the server holds, on a large generated site.
//!
//! ```sh
//! bench/gen-corpus --elements 1250 --out /dev/shm/docgen-serve/site   # ≈10,000 pages
//! cargo build --release --bin docgen --example serve-latency
//! target/release/examples/serve-latency /dev/shm/docgen-serve/site [--edits N] [--pause MS] [--docgen PATH]
//! ```
//!
//! It starts `docgen serve --watch --port 0` on the site (PATH defaults to the `docgen` next to
//! this program's folder, `target/release/docgen`), waits for the first build, then edits pages
//! one at a time, as an editor saves (a temporary file renamed over the page). Before each save a
//! live-reload poll is already waiting at the server, as an open page's is; the time is measured
//! from the rename to the poll's answer. Two kinds of edit, N of each (default 15):
//!
//! - body: a sentence appended to a guide (re-renders that page);
//! - title: a guide's `title` changed (re-renders every guide of its element: the sidebar).
//!
//! Prints median, p90, min and max per kind, and the server's resident memory (`VmRSS`) and
//! peak (`VmHWM`) from /proc after the first build and after the edits. The site is left edited.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site = None;
    let mut edits = 15;
    // Between saves: a writer saves every few seconds; a shorter pause can land a save while
    // the preview still updates the search index of the one before.
    let mut pause = 200;
    let mut docgen = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("docgen")))
        .unwrap_or_else(|| PathBuf::from("docgen"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).expect("--edits N"),
            "--pause" => {
                pause = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--pause MS")
            }
            "--docgen" => docgen = PathBuf::from(args.next().expect("--docgen PATH")),
            "-h" | "--help" => {
                println!("serve-latency SITE [--edits N] [--pause MS] [--docgen PATH]");
                return;
            }
            _ => site = Some(PathBuf::from(arg)),
        }
    }
    let site = site.expect("usage: serve-latency SITE [--edits N] [--pause MS] [--docgen PATH]");
    let guides = guides(&site, edits);
    assert!(
        guides.len() >= edits,
        "the site has fewer than {edits} elements"
    );

    let started = Instant::now();
    let mut server = Server::start(&docgen, &site);
    println!(
        "docgen serve ready in {:.1} s ({}), pid {}",
        started.elapsed().as_secs_f64(),
        server.built,
        server.child.id()
    );
    let after_build = memory(server.child.id());

    let mut body = Vec::new();
    let mut title = Vec::new();
    for (i, guide) in guides.iter().enumerate() {
        let text = std::fs::read_to_string(guide).unwrap();
        let edited = format!("{text}\nEdited for the benchmark, round {i}.\n");
        body.push(server.time_save(guide, &edited));
        std::thread::sleep(Duration::from_millis(pause));
        let retitled = text.replacen("title: Events", &format!("title: Events {i}"), 1);
        assert_ne!(retitled, text, "{} has no `title: Events`", guide.display());
        title.push(server.time_save(guide, &retitled));
        std::thread::sleep(Duration::from_millis(pause));
    }
    let after_edits = memory(server.child.id());

    report("body edit (1 page)", &mut body);
    report("title edit (its element's guides)", &mut title);
    println!("memory after the first build: {after_build}");
    println!("memory after the edits:       {after_edits}");
    server.stop();
}

/// The `events.md` guide of the first `n` elements.
fn guides(site: &Path, n: usize) -> Vec<PathBuf> {
    let mut elements: Vec<PathBuf> = std::fs::read_dir(site.join("content/elements"))
        .expect("a generated site (bench/gen-corpus)")
        .map(|e| e.unwrap().path().join("events.md"))
        .filter(|p| p.is_file())
        .collect();
    elements.sort();
    elements.truncate(n);
    elements
}

struct Server {
    child: Child,
    port: u16,
    /// The first build's summary line.
    built: String,
}

impl Server {
    fn start(docgen: &Path, site: &Path) -> Server {
        let mut child = Command::new(docgen)
            .args(["serve", "--watch", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", docgen.display()));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut built = String::new();
        let port = loop {
            let line = lines.next().expect("docgen serve printed its URL").unwrap();
            if line.starts_with("Built ") {
                built = line.clone();
            }
            if let Some(rest) = line.strip_prefix("Serving http://127.0.0.1:") {
                break rest.trim_end_matches('/').parse().unwrap();
            }
        };
        // Keep reading what it prints, so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port, built }
    }

    fn generation(&self) -> u64 {
        let body = self.ask("/__docgen/events").finish();
        json_number(&body, "generation")
    }

    /// Sends a GET; the answer is read by `Pending::finish`.
    fn ask(&self, path: &str) -> Pending {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        Pending(stream)
    }

    /// Saves `text` to `page` while a poll waits; the time from the save to the reload event.
    fn time_save(&mut self, page: &Path, text: &str) -> Duration {
        let since = self.generation();
        let poll = self.ask(&format!("/__docgen/events?since={since}"));
        // Let the server take the poll before the save, as an open page's poll is.
        std::thread::sleep(Duration::from_millis(50));
        let temp = page.with_file_name(".bench-save.tmp");
        std::fs::write(&temp, text).unwrap();
        std::fs::rename(&temp, page).unwrap();
        let saved = Instant::now();
        let answer = poll.finish();
        let elapsed = saved.elapsed();
        assert!(
            answer.contains("\"action\":\"reload\""),
            "expected a reload, got {answer}"
        );
        elapsed
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

struct Pending(TcpStream);

impl Pending {
    /// The body of the response.
    fn finish(mut self) -> String {
        let mut text = String::new();
        self.0.read_to_string(&mut text).unwrap();
        text.split_once("\r\n\r\n")
            .map_or(text.clone(), |(_, b)| b.to_string())
    }
}

fn json_number(json: &str, key: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value[key].as_u64().unwrap()
}

/// `VmRSS` and `VmHWM` of a process, from /proc.
fn memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
            .map_or("?".to_string(), |kb| {
                format!("{:.0} MiB", kb as f64 / 1024.0)
            })
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} saves)",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
