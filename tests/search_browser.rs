//! The default theme's search box, driven in headless Chromium: the built site is served on
//! 127.0.0.1 by a server thread, a small script injected into its pages types a query and
//! presses keys, and posts what happened back to the server. Skipped (with a message) where no
//! `chromium` is installed; CI installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use common::{CHROMIUM_FLAGS, TestSite, chromium, guide};

/// Runs in every served page. On `?drive`, it presses `/`, types "webhooks", moves through the
/// results with the arrows, closes and reopens the list, and presses Enter on the second result;
/// the link Enter opens is caught (the page must stay to report) and everything it saw is posted
/// to `/__report`.
const HARNESS: &str = r#"
(async () => {
  // theme.js is deferred: it has run once the DOM is loaded.
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve));
  }
  const report = (text) => fetch("/__report", { method: "POST", body: text });
  if (!location.search.includes("drive")) return;
  const lines = [];
  const key = (target, k) =>
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
  const input = document.getElementById("site-search-input");
  const list = document.getElementById("site-search-results");
  const options = () => Array.from(list.querySelectorAll('[role="option"]'));
  // Resolves when the result list holds options (no timers: virtual time must not matter).
  const results = () =>
    new Promise((resolve) => {
      if (options().length) return resolve();
      const observer = new MutationObserver(() => {
        if (options().length) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(list, { childList: true });
    });
  lines.push(`SHOWN ${!input.closest("[data-search]").hidden}`);
  key(document.body, "/");
  lines.push(`FOCUSED ${document.activeElement === input}`);
  input.value = "webhooks";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await results();
  for (const option of options()) {
    const link = option.querySelector("a");
    const marked = Array.from(option.querySelectorAll("mark"), (m) => m.textContent).join(",");
    lines.push(`RESULT ${link.getAttribute("href")} | ${option.querySelector(".site-search__title").textContent} | marked ${marked}`);
  }
  lines.push(`EXPANDED ${input.getAttribute("aria-expanded")} STATUS ${document.getElementById("site-search-status").textContent}`);
  key(input, "ArrowDown");
  key(input, "ArrowDown");
  key(input, "ArrowUp");
  const active = input.getAttribute("aria-activedescendant");
  lines.push(`ACTIVE ${active} selected=${document.getElementById(active).getAttribute("aria-selected")}`);
  key(input, "Escape");
  lines.push(`ESCAPE hidden=${list.hidden} expanded=${input.getAttribute("aria-expanded")}`);
  key(input, "ArrowDown");
  lines.push(`REOPENED ${!list.hidden}`);
  key(input, "ArrowDown");
  key(input, "ArrowDown");
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    lines.push(`OPENED ${link && link.getAttribute("href")}`);
    event.preventDefault();
  }, true);
  key(input, "Enter");
  report(lines.join("\n"));
})();
"#;

/// Serves `root` on 127.0.0.1 until dropped; HTML pages get the harness script, and what the
/// harness posts to `/__report` arrives on `reports`.
struct Server {
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
    port: u16,
    reports: mpsc::Receiver<String>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a loopback port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let serving = Arc::clone(&server);
        let (sender, reports) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            for mut request in serving.incoming_requests() {
                let path = request
                    .url()
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                if path == "/__report" {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let _ = sender.send(body);
                    let _ = request.respond(tiny_http::Response::empty(204));
                    continue;
                }
                let (status, bytes, kind) = respond(&root, &path);
                let content_type =
                    tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes()).unwrap();
                let response = tiny_http::Response::from_data(bytes)
                    .with_status_code(status)
                    .with_header(content_type);
                let _ = request.respond(response);
            }
        });
        Server {
            server,
            thread: Some(thread),
            port,
            reports,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn respond(root: &Path, path: &str) -> (u16, Vec<u8>, &'static str) {
    if path == "/__harness.js" {
        return (200, HARNESS.as_bytes().to_vec(), "text/javascript");
    }
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    if rel.split('/').any(|part| part == "..") {
        return (403, Vec::new(), "text/plain");
    }
    let Ok(bytes) = std::fs::read(root.join(&rel)) else {
        return (404, b"not found".to_vec(), "text/plain");
    };
    match rel.rsplit('.').next() {
        Some("html") => {
            let html = String::from_utf8(bytes)
                .unwrap()
                .replace("</body>", "<script src=\"/__harness.js\"></script></body>");
            (200, html.into_bytes(), "text/html; charset=utf-8")
        }
        Some("js") => (200, bytes, "text/javascript"),
        Some("css") => (200, bytes, "text/css"),
        Some("json") => (200, bytes, "application/json"),
        Some("svg") => (200, bytes, "image/svg+xml"),
        _ => (200, bytes, "application/octet-stream"),
    }
}

/// Opens `url` in headless Chromium and returns what the harness in the page reports (real
/// time, no `--dump-dom`: the page says itself when it is done).
fn drive(chromium: &Path, server: &Server, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .args([
            // No request may leave the machine: Chromium's own background services (sign-in,
            // autofill, updates) would otherwise try.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-default-browser-check",
            "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate",
            // Keep the browser open (no --dump-dom or --screenshot to end it): it is stopped
            // once the page has reported.
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // A loaded CI machine may take a while to start a browser; a good run takes a second or two.
    let report = server.reports.recv_timeout(Duration::from_secs(120));
    let _ = child.kill();
    let _ = child.wait();
    report.expect("the page reported what the search box did")
}

#[test]
fn the_search_box_finds_ranks_and_opens_pages_from_the_keyboard() {
    let Some(chromium) = chromium() else {
        println!(
            "SKIPPED: no chromium binary on PATH; install it (apt-get install chromium) to run this test"
        );
        return;
    };
    let site = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/pr-9/\"\n",
        )
        .page("index.md", "# Home\n\nWelcome.\n")
        .page(
            "elements.md",
            "---\ntitle: Elements\nlayout: elements\n---\n",
        )
        .page(
            "elements/x/index.md",
            &guide(
                "Xero",
                "Overview",
                1,
                "Polling and webhooks are supported.\n",
            ),
        )
        .page(
            "elements/x/events.md",
            &guide("Xero", "Events", 2, "Intro.\n\n## Webhooks\n\nPush.\n"),
        )
        .page(
            "guides/webhooks.md",
            "# Webhooks Guide\n\nAll about them.\n",
        );
    let built = site.build().clean();
    assert!(
        built
            .html("index.html")
            .contains("data-search-index=\"/pr-9/search-index.json\" hidden>"),
        "without scripts the box stays hidden"
    );
    // Served at the root: the site's base path is /pr-9, so publish it below that folder.
    let served = tempfile::tempdir().unwrap();
    std::fs::rename(&built.out, served.path().join("pr-9")).unwrap();
    let server = Server::start(served.path().to_path_buf());
    let report = drive(
        &chromium,
        &server,
        &format!("http://127.0.0.1:{}/pr-9/?drive", server.port),
    );
    drop(server);
    assert_eq!(
        report,
        "SHOWN true\n\
         FOCUSED true\n\
         RESULT /pr-9/guides/webhooks.html | Webhooks Guide | marked Webhooks\n\
         RESULT /pr-9/elements/x/events.html#webhooks | Events | marked Webhooks\n\
         RESULT /pr-9/elements/x/ | Overview | marked webhooks\n\
         EXPANDED true STATUS 3 results\n\
         ACTIVE site-search-option-0 selected=true\n\
         ESCAPE hidden=true expanded=false\n\
         REOPENED true\n\
         OPENED /pr-9/elements/x/events.html#webhooks"
    );
}
