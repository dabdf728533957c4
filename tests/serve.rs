//! `docgen serve --watch`: the preview serves the built site over HTTP, picks up edits, tells
//! open pages to reload (or shows the errors of a broken edit), and never serves anything
//! outside the site.
//!
//! Each test starts the real binary on port 0 in a temp site and talks to it over loopback with
//! a small HTTP client. Waits are generous and nothing asserts on timings: CI is a loaded
//! 2-core machine.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{CHROMIUM_FLAGS, TestSite, chromium, guide};
use serde_json::Value;

/// How long to wait for the server to start, or for a rebuild to be announced.
const PATIENCE: Duration = Duration::from_secs(60);

fn site() -> TestSite {
    TestSite::new()
        .page("index.md", "# Home\n\nWelcome to the guides.\n")
        .page(
            "elements.md",
            "---\ntitle: Elements\nlayout: elements\n---\n",
        )
        .page(
            "elements/gtw/index.md",
            &guide("GoToWebinar", "Overview", 1, "Hi.\n"),
        )
        .page(
            "elements/gtw/setup.md",
            &guide(
                "GoToWebinar",
                "Endpoint Setup",
                5,
                "## Register\n\nOld text.\n",
            ),
        )
        .page(
            "elements/gtw/events.md",
            &guide(
                "GoToWebinar",
                "Events",
                10,
                "See [setup](setup.html#register).\n",
            ),
        )
        .bytes("content/elements/gtw/img/logo.png", b"\x89PNG fake")
        .file("static/site.css", "body { color: black }\n")
}

/// Replaces a file the way editors save: a temporary file renamed over it, so the watcher
/// never sees it half written.
fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let temp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &path).unwrap();
}

/// A running `docgen serve`.
struct Preview {
    child: Child,
    port: u16,
    /// Its temporary output folder.
    output: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

/// Reads `from` line by line into `into`, and sends each line to `lines`.
fn collect(
    from: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    lines: mpsc::Sender<String>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            into.lock().unwrap().push_str(&format!("{line}\n"));
            let _ = lines.send(line);
        }
    });
}

impl Preview {
    /// `docgen serve --watch --port 0` in `site`.
    fn start(site: &TestSite) -> Preview {
        Preview::start_with(site, &["--watch"])
    }

    fn start_with(site: &TestSite, args: &[&str]) -> Preview {
        Preview::start_with_env(site, args, &[])
    }

    fn start_with_env(site: &TestSite, args: &[&str], env: &[(&str, &Path)]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
            .args(["serve", "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docgen serve starts");
        let (stdout, stderr) = (Arc::default(), Arc::default());
        let (out_lines, out_rx) = mpsc::channel();
        let (err_lines, err_rx) = mpsc::channel();
        collect(child.stdout.take().unwrap(), Arc::clone(&stdout), out_lines);
        collect(child.stderr.take().unwrap(), Arc::clone(&stderr), err_lines);
        let output = wait_for_line(&err_rx, &stderr, " into ")
            .split(" into ")
            .nth(1)
            .unwrap()
            .trim_end_matches(" (removed on exit)")
            .to_string();
        let serving = wait_for_line(&out_rx, &stderr, "Serving ");
        let port = serving
            .trim_start_matches("Serving http://127.0.0.1:")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("a loopback URL in {serving:?}"));
        Preview {
            child,
            port,
            output: PathBuf::from(output),
            stdout,
            stderr,
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ))
    }

    fn request(&self, raw: &str) -> Response {
        http(self.port, raw)
    }

    /// The page at `path`, which must be served.
    fn page(&self, path: &str) -> String {
        let response = self.get(path);
        assert_eq!(response.status, 200, "GET {path}: {}", response.body);
        response.body
    }

    /// The site's current generation.
    /// Waits until the server has printed `needle` (the reload event and the terminal output
    /// race each other).
    /// Waits until stdout holds `needle`: the line may be printed a moment after the event
    /// the test saw, and read from the pipe later still.
    fn wait_for_stdout(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.stdout.lock().unwrap().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "docgen serve never printed `{needle}`; stdout:\n{}",
            self.stdout.lock().unwrap()
        );
    }

    fn wait_for_stderr(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.stderr.lock().unwrap().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "docgen serve never printed `{needle}`; stderr:\n{}",
            self.stderr.lock().unwrap()
        );
    }

    fn generation(&self) -> u64 {
        self.poll(None)["generation"].as_u64().unwrap()
    }

    fn poll(&self, since: Option<u64>) -> Value {
        let path = match since {
            Some(g) => format!("/__docgen/events?since={g}"),
            None => "/__docgen/events".to_string(),
        };
        let response = self.get(&path);
        assert_eq!(response.status, 200, "{}", response.body);
        assert_eq!(response.header("content-type"), Some("application/json"));
        serde_json::from_str(&response.body).unwrap()
    }

    /// Waits for the first event after generation `since` whose action is `action`.
    fn event(&self, since: u64, action: &str) -> Value {
        let deadline = Instant::now() + PATIENCE;
        let mut since = since;
        while Instant::now() < deadline {
            let message = self.poll(Some(since));
            if message["action"] == action {
                return message;
            }
            since = message["generation"].as_u64().unwrap();
        }
        panic!(
            "no `{action}` event within {PATIENCE:?}; the server said:\n{}\n{}",
            self.stdout.lock().unwrap(),
            self.stderr.lock().unwrap()
        );
    }

    /// Stops the server as Ctrl-C does; returns its exit code.
    #[cfg(unix)]
    fn interrupt(mut self) -> i32 {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("docgen serve did not stop on SIGINT");
    }
}

impl Drop for Preview {
    /// Stops the server as Ctrl-C does, so it removes its temporary folder; kills it only if it
    /// does not stop.
    fn drop(&mut self) {
        common::stop(&mut self.child);
    }
}

fn wait_for_line(lines: &Receiver<String>, stderr: &Mutex<String>, needle: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!(
        "docgen serve never printed `{needle}`; stderr:\n{}",
        stderr.lock().unwrap()
    );
}

struct Response {
    status: u16,
    /// Lowercase names.
    headers: BTreeMap<String, String>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Sends one raw request to 127.0.0.1:`port` and reads the response until the server closes.
fn http(port: u16, raw: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("a response");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_lowercase(), v.to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

#[test]
fn serves_the_built_site() {
    let site = site();
    let preview = Preview::start(&site);

    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.body.contains("Welcome to the guides."));
    assert_eq!(
        home.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );
    // Live reload is added to the pages served, before </body>.
    let script = "<script data-generation=\"";
    assert!(home.body.contains(script), "{}", home.body);
    assert!(home.body.contains("</script></body>"), "{}", home.body);
    // …and never to the built site.
    let built = site.build();
    assert!(!built.html("index.html").contains("__docgen"));

    // A folder serves its index.html; without its slash, it redirects.
    assert!(preview.page("/elements/gtw/").contains("Hi."));
    let folder = preview.get("/elements/gtw?x=1");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/elements/gtw/?x=1"));
    assert!(
        preview
            .page("/elements/gtw/setup.html")
            .contains("Old text.")
    );

    // Other files: by extension, untouched.
    let css = preview.get("/site.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.body, "body { color: black }\n");
    let png = preview.get("/elements/gtw/img/logo.png");
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert!(png.body.ends_with("PNG fake"));
    let js = preview.get("/theme.js");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(!js.body.contains(script));
    assert_eq!(preview.get("/sitemap.xml").status, 200);

    // HEAD: the same headers, no body.
    let head = preview.request(
        "HEAD /elements/gtw/setup.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    let get = preview.get("/elements/gtw/setup.html");
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert_eq!(head.header("content-type"), get.header("content-type"));

    // A missing page: the theme's 404 page, with status 404 and live reload.
    let missing = preview.get("/elements/gtw/nope.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert!(missing.body.contains(script));

    // Only GET and HEAD.
    let post = preview.request(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn an_edit_reloads_the_open_pages() {
    let site = site();
    let preview = Preview::start(&site);
    assert!(
        preview
            .page("/elements/gtw/events.html")
            .contains("Endpoint Setup")
    );

    let before = preview.generation();
    save(
        site.root(),
        "content/elements/gtw/setup.md",
        &guide(
            "GoToWebinar",
            "Endpoint Setup",
            5,
            "## Register\n\nNew text.\n",
        ),
    );
    let event = preview.event(before, "reload");
    assert!(event["generation"].as_u64().unwrap() > before);
    assert!(
        preview
            .page("/elements/gtw/setup.html")
            .contains("New text.")
    );

    // A new title changes the element's sidebar on every guide.
    let before = preview.generation();
    save(
        site.root(),
        "content/elements/gtw/setup.md",
        &guide("GoToWebinar", "Connect the Endpoint", 5, "## Register\n"),
    );
    preview.event(before, "reload");
    assert!(
        preview
            .page("/elements/gtw/events.html")
            .contains("Connect the Endpoint")
    );

    // A new page appears; a removed one is gone.
    let before = preview.generation();
    save(
        site.root(),
        "content/guides/new.md",
        "# Brand New\n\nFresh.\n",
    );
    preview.event(before, "reload");
    assert!(preview.page("/guides/new.html").contains("Fresh."));
    let before = preview.generation();
    std::fs::remove_file(site.root().join("content/guides/new.md")).unwrap();
    preview.event(before, "reload");
    assert_eq!(preview.get("/guides/new.html").status, 404);

    let stdout = preview.stdout.lock().unwrap().clone();
    assert!(
        stdout.contains("Rebuilt content/elements/gtw/setup.md in "),
        "{stdout}"
    );
}

#[test]
fn a_broken_edit_shows_its_errors_until_it_is_fixed() {
    let site = site();
    let preview = Preview::start(&site);
    let before = preview.generation();
    save(
        site.root(),
        "content/elements/gtw/setup.md",
        &guide(
            "GoToWebinar",
            "Endpoint Setup",
            5,
            "## Register\n\nSee [the <events>](evnts.html).\n",
        ),
    );
    let event = preview.event(before, "problems");
    let item = "<code class=\"docgen-overlay__where\">content/elements/gtw/setup.md:11:5</code> \
                broken link &quot;evnts.html&quot; — did you mean &quot;events.html&quot;?";
    let overlay = event["overlay"].as_str().unwrap();
    assert!(overlay.contains(item), "{overlay}");
    assert!(overlay.contains("docgen: 1 error"));

    // The server is alive, and pages show the overlay until the fix.
    let page = preview.page("/elements/gtw/events.html");
    assert!(page.contains(item), "{page}");
    assert!(preview.page("/").contains("<div id=\"docgen-overlay\""));
    preview.wait_for_stderr(
        "error: content/elements/gtw/setup.md:11:5: broken link \"evnts.html\" — did you \
         mean \"events.html\"?",
    );

    // Fixed: open pages reload, and the overlay is gone.
    let broken = event["generation"].as_u64().unwrap();
    save(
        site.root(),
        "content/elements/gtw/setup.md",
        &guide(
            "GoToWebinar",
            "Endpoint Setup",
            5,
            "## Register\n\nSee [the events](events.html).\n",
        ),
    );
    let fixed = preview.event(broken, "reload");
    assert_eq!(fixed["overlay"], Value::Null);
    let page = preview.page("/elements/gtw/setup.html");
    assert!(page.contains("the events"));
    assert!(!page.contains("<div id=\"docgen-overlay\""), "{page}");
    preview.wait_for_stdout("(all fixed)");
}

#[test]
fn a_broken_config_is_shown_and_its_fix_rebuilds_everything() {
    let site = site();
    let preview = Preview::start(&site);
    let before = preview.generation();
    save(site.root(), "docgen.toml", "title = \"Docs\"\ntheme = \n");
    let event = preview.event(before, "problems");
    let overlay = event["overlay"].as_str().unwrap();
    assert!(overlay.contains("docgen.toml:2:"), "{overlay}");
    assert_eq!(
        preview.get("/").status,
        200,
        "the last good build is still served"
    );

    let broken = event["generation"].as_u64().unwrap();
    save(site.root(), "docgen.toml", "title = \"Renamed Docs\"\n");
    preview.event(broken, "reload");
    for page in ["/", "/elements/gtw/setup.html", "/elements/gtw/events.html"] {
        assert!(preview.page(page).contains("Renamed Docs"), "{page}");
    }
}

#[test]
fn an_include_or_data_edit_re_renders_the_pages_using_it() {
    let site = site()
        .file("includes/aside.html", "<aside>Note v1</aside>\n")
        .file("data/glossary.yml", "element: Glossary v1\n")
        .page("guides/a.md", "# A\n\n{% include aside.html %}\n")
        .page("guides/b.md", "# B\n\n{{ site.data.glossary.element }}\n");
    let preview = Preview::start(&site);
    assert!(preview.page("/guides/a.html").contains("Note v1"));

    let before = preview.generation();
    save(
        site.root(),
        "includes/aside.html",
        "<aside>Note v2</aside>\n",
    );
    preview.event(before, "reload");
    assert!(preview.page("/guides/a.html").contains("Note v2"));

    let before = preview.generation();
    save(site.root(), "data/glossary.yml", "element: Glossary v2\n");
    preview.event(before, "reload");
    assert!(preview.page("/guides/b.html").contains("Glossary v2"));

    // A removed include: the page using it reports it.
    let before = preview.generation();
    std::fs::remove_file(site.root().join("includes/aside.html")).unwrap();
    let event = preview.event(before, "problems");
    let overlay = event["overlay"].as_str().unwrap();
    assert!(overlay.contains("content/guides/a.md:3"), "{overlay}");
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = site();
    let preview = Preview::start(&site);
    let before = preview.generation();
    save(site.root(), "static/site.css", "body { color: navy }\n");
    let event = preview.event(before, "css");
    assert_eq!(event["css"], serde_json::json!(["site.css"]));
    assert_eq!(preview.get("/site.css").body, "body { color: navy }\n");
}

#[test]
fn folders_that_appear_or_vanish_are_picked_up() {
    let site = site();
    let preview = Preview::start(&site);
    // A folder prepared elsewhere and moved in whole, as a checkout or `mv` does.
    let elsewhere = tempfile::tempdir().unwrap();
    let zd = elsewhere.path().join("zd");
    std::fs::create_dir_all(zd.join("img")).unwrap();
    std::fs::write(
        zd.join("index.md"),
        guide("Zendesk", "Overview", 1, "Zen.\n"),
    )
    .unwrap();
    std::fs::write(zd.join("img/logo.png"), "png").unwrap();
    let inside = site.root().join("content/elements/zd");

    let before = preview.generation();
    std::fs::rename(&zd, &inside).unwrap();
    preview.event(before, "reload");
    assert!(preview.page("/elements/zd/").contains("Zen."));
    assert_eq!(preview.get("/elements/zd/img/logo.png").body, "png");

    let before = preview.generation();
    std::fs::rename(&inside, &zd).unwrap();
    preview.event(before, "reload");
    assert_eq!(preview.get("/elements/zd/").status, 404);
    assert_eq!(preview.get("/elements/zd/img/logo.png").status, 404);
}

#[test]
fn request_paths_never_leave_the_site() {
    let site = site().file("secret.txt", "TOP SECRET");
    let preview = Preview::start(&site);
    // The output folder is a temp folder: its parent is the system temp folder. Plant a file
    // there too, next to it.
    let beside = preview
        .output
        .parent()
        .unwrap()
        .join(format!("docgen-serve-test-secret-{}", std::process::id()));
    std::fs::write(&beside, "TOP SECRET").unwrap();
    let beside_name = beside.file_name().unwrap().to_string_lossy().into_owned();
    let site_root = site.root().to_string_lossy().into_owned();
    for path in [
        format!("/../{beside_name}"),
        format!("/%2e%2e/{beside_name}"),
        format!("/%2E%2E%2F{beside_name}"),
        format!("/.%2e/{beside_name}"),
        format!("/elements/../../{beside_name}"),
        format!("/elements/%2e%2e/%2e%2e/{beside_name}"),
        format!("/..\\{beside_name}"),
        format!("/..%5c{beside_name}"),
        "/../../../../../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd".to_string(),
        format!("/{}", site_root.trim_start_matches('/')) + "/secret.txt",
        format!("/{}", beside.to_string_lossy().trim_start_matches('/')),
        format!("//{}", beside.to_string_lossy().trim_start_matches('/')),
        "//etc/passwd".to_string(),
        "/index.html%00.png".to_string(),
        "/%00".to_string(),
        "/.docgen-output".to_string(),
        "/C:/Windows/win.ini".to_string(),
    ] {
        let response = preview.get(&path);
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        assert!(!response.body.contains("TOP SECRET"), "{path}");
        assert!(!response.body.contains("root:"), "{path}");
    }
    std::fs::remove_file(&beside).unwrap();
    // Still serving.
    assert_eq!(preview.get("/").status, 200);
}

#[test]
fn a_page_of_another_site_cannot_read_the_preview_through_dns_rebinding() {
    // A page on evil.example.com whose owner points that name at 127.0.0.1 makes the browser
    // send `Host: evil.example.com:PORT` to the preview: refused, the live-reload polls too.
    let preview = Preview::start(&site());
    let get = |host: &str, path: &str| {
        preview.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    let port = preview.port;
    for host in [
        format!("evil.example.com:{port}"),
        "evil.example.com".to_string(),
        format!("localhost.evil.example.com:{port}"),
    ] {
        for path in ["/", "/elements/gtw/setup.html", "/__docgen/events?since=0"] {
            let response = get(&host, path);
            assert_eq!(response.status, 403, "{host} {path}: {}", response.body);
            assert_eq!(
                response.body,
                format!(
                    "This preview answers only localhost and IP addresses, not \"{host}\": a page \
                     of another site could otherwise read it through a name pointed at this \
                     machine (DNS rebinding). Open http://127.0.0.1:{port}/ instead.\n"
                )
            );
        }
    }
    // The names a writer uses, and clients that send no Host at all (HTTP/1.0).
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("docs.localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get(&host, "/").status, 200, "{host}");
    }
    let old = preview.request("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
}

/// A preview that was killed (SIGKILL, a CI timeout) could not remove its copy of the site from
/// the temp folder; the next preview removes such folders — only those named by a process that
/// is gone and marked as a preview's.
#[cfg(unix)]
#[test]
fn a_preview_removes_the_folders_of_previews_that_were_killed() {
    let temp = tempfile::tempdir().unwrap();
    let marker = |state: &str| {
        format!("{{\"about\": \"x\", \"state\": \"{state}\", \"files\": {{}}, \"kept\": []}}")
    };
    // Linux pids stop at 2^22: this one cannot be running.
    let dead = 2_147_483_646u32;
    let alive = std::process::id();
    let folders = [
        (
            format!("docgen-serve-{dead}-Ab12Cd"),
            Some(marker("live")),
            false,
        ),
        (
            format!("docgen-serve-{dead}-Ab12Cd.docgen-staging-{dead}-0"),
            Some(marker("live")),
            false,
        ),
        (
            format!("docgen-serve-{alive}-Ef34Gh"),
            Some(marker("live")),
            true,
        ),
        (format!("docgen-serve-{dead}-NoMark"), None, true),
        (
            format!("docgen-serve-{dead}-Built"),
            Some(marker("complete")),
            true,
        ),
        (
            "docgen-serve-Ij56Kl".to_string(),
            Some(marker("live")),
            true,
        ),
    ];
    // The private socket folders of the same killed previews: only the socket in them.
    let sockets = [
        (
            format!("docgen-serve-http-{dead}-Mn78Op"),
            "http.sock",
            false,
        ),
        (
            format!("docgen-serve-http-{alive}-Qr90St"),
            "http.sock",
            true,
        ),
        (
            format!("docgen-serve-http-{dead}-Uv12Wx"),
            "notes.txt",
            true,
        ),
    ];
    for (name, file, _) in &sockets {
        std::fs::create_dir_all(temp.path().join(name)).unwrap();
        std::fs::write(temp.path().join(name).join(file), "").unwrap();
    }
    for (name, marker, _) in &folders {
        let dir = temp.path().join(name);
        std::fs::create_dir_all(dir.join("elements")).unwrap();
        std::fs::write(dir.join("elements/page.html"), "<p>old</p>").unwrap();
        if let Some(marker) = marker {
            std::fs::write(dir.join(".docgen-output"), marker).unwrap();
        }
    }
    let preview = Preview::start_with_env(&site(), &[], &[("TMPDIR", temp.path())]);
    assert!(
        preview.output.starts_with(temp.path()),
        "{}",
        preview.output.display()
    );
    assert_eq!(preview.get("/").status, 200);
    for (name, _, kept) in &folders {
        assert_eq!(temp.path().join(name).exists(), *kept, "{name}");
    }
    for (name, _, kept) in &sockets {
        assert_eq!(temp.path().join(name).exists(), *kept, "{name}");
    }
    drop(preview);
}

#[test]
fn requests_are_served_in_parallel() {
    let site = site();
    let preview = Arc::new(Preview::start(&site));
    let generation = preview.generation();
    // Pages waiting for news hold their requests open…
    let waiting: Vec<_> = (0..6)
        .map(|_| {
            let port = preview.port;
            std::thread::spawn(move || {
                http(
                    port,
                    &format!(
                        "GET /__docgen/events?since={generation} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    ),
                )
            })
        })
        .collect();
    // …while many pages are fetched at once.
    let fetchers: Vec<_> = (0..8)
        .map(|i| {
            let preview = Arc::clone(&preview);
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let path = [
                        "/",
                        "/elements/gtw/setup.html",
                        "/site.css",
                        "/elements.html",
                    ][i % 4];
                    assert_eq!(preview.get(path).status, 200, "{path}");
                }
            })
        })
        .collect();
    for fetcher in fetchers {
        fetcher.join().unwrap();
    }
    // Then an edit answers every waiting page.
    save(site.root(), "content/index.md", "# Home\n\nChanged.\n");
    for waiter in waiting {
        let response = waiter.join().unwrap();
        let message: Value = serde_json::from_str(&response.body).unwrap();
        // A page answered with "nothing yet" (a very slow machine) asks again; either way the
        // answer came while the others were being served.
        assert!(["reload", "none"].contains(&message["action"].as_str().unwrap()));
    }
}

#[test]
fn a_port_in_use_is_named() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let run = site.run(&["serve", "--port", &port]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("port {port} is already in use on 127.0.0.1"))
            && run.stderr.contains("--port 0"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_needs_a_site() {
    let empty = tempfile::tempdir().unwrap();
    let run = TestSite::run_in(empty.path(), &["serve", "--port", "0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no docgen.toml"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = site();
    let preview = Preview::start(&site);
    assert!(preview.output.join("index.html").is_file());
    let output = preview.output.clone();
    let stdout = Arc::clone(&preview.stdout);
    assert_eq!(preview.interrupt(), 0);
    assert!(!output.exists(), "the temporary output folder is removed");
    assert!(stdout.lock().unwrap().contains("Stopped."));
    // The site itself got no public/ folder.
    assert!(!site.root().join("public").exists());
}

/// Chromium opens a page of the preview; editing the page's source must make the browser
/// reload and show the edit, by itself.
///
/// How the test sees what the browser shows, without a DevTools client: each version of the
/// page carries an image whose URL names the version, served by a tiny HTTP listener of the
/// test (a "beacon"). The browser asks for `seen?step=2` only once it renders the edited page,
/// so receiving it proves the reload and the new content; a stylesheet edit carries a
/// background image the same way, and no page beacon then proves that styles were swapped
/// without a reload.
#[test]
fn a_real_browser_reloads_and_shows_the_edit() {
    let Some(chromium) = chromium() else {
        eprintln!(
            "skipping a_real_browser_reloads_and_shows_the_edit: chromium is not installed \
             (apt-get install -y chromium)"
        );
        return;
    };
    let beacons = Beacons::start();
    let page = |step: u32, text: &str| {
        format!(
            "# Home\n\n{text}\n\n<img src=\"http://127.0.0.1:{}/seen?step={step}\" alt=\"\">\n",
            beacons.port
        )
    };
    let site = site().page("index.md", &page(1, "Step one."));
    let preview = Preview::start(&site);
    let _browser = Browser::open(&chromium, &format!("http://127.0.0.1:{}/", preview.port));

    beacons.wait_for("step=1");
    save(site.root(), "content/index.md", &page(2, "Step two."));
    beacons.wait_for("step=2");

    // A stylesheet edit: swapped in place, the page is not reloaded.
    let css = format!(
        "body {{ background-image: url(http://127.0.0.1:{}/seen?css=1) }}\n",
        beacons.port
    );
    save(site.root(), "static/theme.css", &css);
    let seen = beacons.wait_for("css=1");
    assert!(
        !seen.iter().any(|b| b.contains("step=")),
        "the page was reloaded for a stylesheet change: {seen:?}"
    );

    // A broken edit keeps the page as it is (with the overlay); its fix reloads it by itself.
    let before = preview.generation();
    save(
        site.root(),
        "content/index.md",
        &(page(9, "Broken.") + "\n[oops](nowhere.html)\n"),
    );
    preview.event(before, "problems");
    save(site.root(), "content/index.md", &page(3, "Step three."));
    let seen = beacons.wait_for("step=3");
    assert!(
        !seen.iter().any(|b| b.contains("step=9")),
        "the browser showed the broken version: {seen:?}"
    );
}

/// A loopback listener recording the query of every request it gets.
struct Beacons {
    port: u16,
    seen: Receiver<String>,
}

impl Beacons {
    fn start() -> Beacons {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Drain the headers, then answer "no content".
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
                let query = line.split(' ').nth(1).unwrap_or("").to_string();
                if tx.send(query).is_err() {
                    break;
                }
            }
        });
        Beacons { port, seen }
    }

    /// Waits for a beacon containing `what`; returns the beacons received until then.
    fn wait_for(&self, what: &str) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.seen.recv_timeout(left) {
                Ok(query) => {
                    let found = query.contains(what);
                    seen.push(query);
                    if found {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("the browser never asked for `{what}`; it asked for {seen:?}");
    }
}

/// Headless Chromium showing one page, in a process group of its own so that it and its helper
/// processes are stopped together.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(chromium: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut command = Command::new(chromium);
        command
            .args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().expect("chromium starts");
        Browser {
            child,
            _profile: profile,
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_lists_the_serve_options() {
    let run = TestSite::new().run(&["serve", "--help"]);
    assert_eq!(run.code, 0);
    for option in [
        "--root",
        "--port",
        "--interface",
        "--watch",
        "--open",
        "--drafts",
    ] {
        assert!(run.stdout.contains(option), "{option} in {}", run.stdout);
    }
}

#[test]
fn the_search_index_follows_an_edit_after_the_reload() {
    // The open pages reload as soon as the pages are written; the search index (whose shards
    // are made again whole) follows right after, so a search finds the new words.
    let site = site();
    let preview = Preview::start(&site);
    let shards_hold = |word: &str| {
        ["t", "p"].iter().any(|dir| {
            std::fs::read_dir(preview.output.join("search-index").join(dir))
                .into_iter()
                .flatten()
                .flatten()
                .any(|f| std::fs::read_to_string(f.path()).is_ok_and(|t| t.contains(word)))
        })
    };
    assert!(!shards_hold("quokkas"));
    let before = preview.generation();
    save(
        site.root(),
        "content/elements/gtw/setup.md",
        &guide(
            "GoToWebinar",
            "Endpoint Setup",
            5,
            "## Register\n\nQuokkas register webhooks.\n",
        ),
    );
    preview.event(before, "reload");
    let deadline = Instant::now() + PATIENCE;
    while !shards_hold("quokka") {
        assert!(
            Instant::now() < deadline,
            "the search index never took the edit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        preview
            .page("/elements/gtw/setup.html")
            .contains("Quokkas register")
    );
}
