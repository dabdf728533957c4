//! `docgen check --external`: external links checked against a small HTTP server on 127.0.0.1
//! (no test leaves the machine), with routes that are live, dead, slow, redirected, refusing
//! HEAD, looping, failing and rate limiting.

mod common;

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use common::TestSite;
use docgen::check::{self, CheckOptions, CheckReport};
use docgen::external::{self, CACHE_FILE};
use docgen::highlight::Highlighter;

/// What the server saw.
#[derive(Default)]
struct Log {
    /// `HEAD /live`, `GET /head-refused`, … in arrival order.
    requests: Vec<String>,
    in_flight: usize,
    max_in_flight: usize,
}

/// An HTTP server on 127.0.0.1 with a fixed set of routes, counting what it is asked.
struct LinkServer {
    server: Arc<tiny_http::Server>,
    port: u16,
    log: Arc<Mutex<Log>>,
    accept: Option<JoinHandle<()>>,
}

impl LinkServer {
    fn start() -> LinkServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log = Arc::new(Mutex::new(Log::default()));
        let accept = {
            let server = Arc::clone(&server);
            let log = Arc::clone(&log);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let log = Arc::clone(&log);
                    thread::spawn(move || respond(request, &log));
                }
            })
        };
        LinkServer {
            server,
            port,
            log,
            accept: Some(accept),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests seen so far for `path` (any method).
    fn hits(&self, path: &str) -> usize {
        let log = self.log.lock().unwrap();
        log.requests
            .iter()
            .filter(|r| r.split_once(' ').is_some_and(|(_, p)| p == path))
            .count()
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().requests.clone()
    }

    fn max_in_flight(&self) -> usize {
        self.log.lock().unwrap().max_in_flight
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// The routes: status, `Location`, and how long to wait before answering.
fn route(method: &str, path: &str, earlier: usize) -> (u16, Option<&'static str>, Duration) {
    let now = Duration::ZERO;
    match path {
        "/live" | "/live-2" => (200, None, now),
        "/dead" => (404, None, now),
        "/slow" => (200, None, Duration::from_secs(4)),
        "/moved" => (301, Some("/live"), now),
        "/moved-dead" => (301, Some("/dead"), now),
        "/loop" => (302, Some("/loop"), now),
        "/head-refused" if method == "HEAD" => (405, None, now),
        "/head-refused" => (200, None, now),
        "/flaky" if earlier == 0 => (503, None, now),
        "/flaky" => (200, None, now),
        "/error" => (500, None, now),
        "/busy" => (429, None, now),
        p if p.starts_with("/pause") => (200, None, Duration::from_millis(150)),
        _ => (404, None, now),
    }
}

fn respond(request: tiny_http::Request, log: &Mutex<Log>) {
    let method = request.method().to_string();
    let path = request.url().to_string();
    let (status, location, pause) = {
        let mut log = log.lock().unwrap();
        let earlier = log
            .requests
            .iter()
            .filter(|r| r.ends_with(&format!(" {path}")))
            .count();
        log.requests.push(format!("{method} {path}"));
        log.in_flight += 1;
        log.max_in_flight = log.max_in_flight.max(log.in_flight);
        route(&method, &path, earlier)
    };
    thread::sleep(pause);
    log.lock().unwrap().in_flight -= 1;
    let mut response = tiny_http::Response::empty(status);
    if let Some(location) = location {
        response.add_header(tiny_http::Header::from_bytes("Location", location).unwrap());
    }
    let _ = request.respond(response);
}

/// Quick settings for tests: barely any pause between retries, and a timeout generous enough
/// for a loaded machine (the test of timeouts shortens it).
fn options() -> external::Options {
    external::Options {
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(10),
        ..external::Options::default()
    }
}

fn check_external(site: &TestSite, options: external::Options) -> CheckReport {
    let options = CheckOptions {
        root: site.root().to_path_buf(),
        external: Some(options),
        ..CheckOptions::default()
    };
    check::check(&options, &Highlighter::new()).expect("the check runs")
}

fn headlines(report: &CheckReport) -> Vec<String> {
    report
        .build
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.severity.as_str(), d.headline()))
        .collect()
}

#[test]
fn dead_links_are_reported_on_every_page_and_line_that_holds_them() {
    let server = LinkServer::start();
    let url = |path| server.url(path);
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/gone", listener.local_addr().unwrap())
    };
    let site = TestSite::new()
        .page(
            "a.md",
            &format!(
                "# Links\n\n\
                 - [live]({})\n\
                 - [dead]({})\n\
                 - [slow]({})\n\
                 - [moved]({})\n\
                 - [moved, then dead]({})\n\
                 - [loop]({})\n\
                 - [no HEAD]({})\n\
                 - [flaky]({})\n\
                 - [error]({})\n\
                 - [busy]({})\n\
                 - [nobody there]({refused})\n\
                 - ![image]({}#logo)\n",
                url("/live"),
                url("/dead"),
                url("/slow"),
                url("/moved"),
                url("/moved-dead"),
                url("/loop"),
                url("/head-refused"),
                url("/flaky"),
                url("/error"),
                url("/busy"),
                url("/dead"),
            ),
        )
        .page("b.md", &format!("# B\n\nAlso [this]({}).\n", url("/dead")));
    let report = check_external(
        &site,
        external::Options {
            timeout: Duration::from_secs(1),
            ..options()
        },
    );
    let dead = url("/dead");
    assert_eq!(
        headlines(&report),
        [
            format!("error: content/a.md:4:3: dead external link \"{dead}\": HTTP 404"),
            format!(
                "warning: content/a.md:5:3: external link \"{}\": timed out after 3 attempts",
                url("/slow")
            ),
            format!(
                "error: content/a.md:7:3: dead external link \"{}\": HTTP 404",
                url("/moved-dead")
            ),
            format!(
                "error: content/a.md:8:3: dead external link \"{}\": too many redirects (a loop, or more than 10)",
                url("/loop")
            ),
            format!(
                "error: content/a.md:11:3: dead external link \"{}\": HTTP 500 after 3 attempts",
                url("/error")
            ),
            format!(
                "warning: content/a.md:12:3: external link \"{}\": rate limited (HTTP 429) after 3 attempts",
                url("/busy")
            ),
            format!(
                "error: content/a.md:13:3: dead external link \"{refused}\": connection refused"
            ),
            format!("error: content/a.md:14:3: dead external link \"{dead}#logo\": HTTP 404"),
            format!("error: content/b.md:3:6: dead external link \"{dead}\": HTTP 404"),
        ]
    );
    let moved_dead = &report.build.diagnostics[2];
    assert_eq!(moved_dead.notes, [format!("redirected to {dead}")]);
    assert_eq!(
        moved_dead.to_string().lines().nth(2),
        Some(format!("7 | - [moved, then dead]({})", url("/moved-dead")).as_str()),
        "the source line is quoted"
    );
    assert_eq!(
        server.hits("/dead"),
        4,
        "HEAD then GET, once for its three links and once at the end of /moved-dead's redirect"
    );
    assert_eq!(server.hits("/slow"), 3, "a timeout is tried three times");
    assert_eq!(
        report.external,
        Some(external::Stats {
            urls: 11,
            cached: 0
        })
    );
}

#[test]
fn head_is_followed_by_get_only_when_refused() {
    let server = LinkServer::start();
    let site = TestSite::new().page(
        "index.md",
        &format!(
            "[a]({}) [b]({}) [c]({})\n",
            server.url("/live"),
            server.url("/head-refused"),
            server.url("/moved")
        ),
    );
    let report = check_external(&site, options());
    assert!(
        report.build.diagnostics.is_empty(),
        "{:?}",
        headlines(&report)
    );
    let mut requests = server.requests();
    requests.sort();
    assert_eq!(
        requests,
        [
            "GET /head-refused",
            "HEAD /head-refused",
            "HEAD /live",
            "HEAD /live",
            "HEAD /moved",
        ],
        "a redirect is followed with HEAD; GET only where HEAD was refused"
    );
}

#[test]
fn the_cache_is_written_sorted_and_reused_for_live_links_only() {
    let server = LinkServer::start();
    let site = TestSite::new().page(
        "index.md",
        &format!(
            "[a]({}) [b]({}) [c]({})\n",
            server.url("/moved"),
            server.url("/dead"),
            server.url("/live-2")
        ),
    );
    let first = check_external(&site, options());
    assert_eq!(first.errors(), 1);
    let cache =
        std::fs::read_to_string(site.root().join(CACHE_FILE)).expect("the cache is written");
    let lines: Vec<&str> = cache.lines().collect();
    assert_eq!(lines.len(), 5, "{cache}");
    assert!(
        lines[1].starts_with(&format!(
            "  {{\"url\":\"{}\",\"result\":\"dead\",\"status\":404,\"reason\":\"HTTP 404\",\"checked\":",
            server.url("/dead")
        )),
        "{cache}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "  {{\"url\":\"{}\",\"result\":\"live\",\"status\":200,\"checked\":",
            server.url("/live-2")
        )),
        "{cache}"
    );
    assert!(lines[3].contains(&server.url("/moved")), "{cache}");
    let seen = (
        server.hits("/moved"),
        server.hits("/live-2"),
        server.hits("/dead"),
    );

    let second = check_external(&site, options());
    assert_eq!(headlines(&second), headlines(&first));
    assert_eq!(
        (server.hits("/moved"), server.hits("/live-2")),
        (seen.0, seen.1),
        "live links come from the cache"
    );
    assert!(server.hits("/dead") > seen.2, "dead links are asked again");
    assert_eq!(second.external.unwrap().cached, 2);

    let no_cache = check_external(
        &site,
        external::Options {
            cache_max_age: Duration::ZERO,
            ..options()
        },
    );
    assert_eq!(no_cache.external.unwrap().cached, 0);
    assert!(server.hits("/live-2") > seen.1);
}

#[test]
fn each_host_gets_at_most_two_requests_at_a_time() {
    let server = LinkServer::start();
    let links: String = (1..=8)
        .map(|n| format!("- [{n}]({})\n", server.url(&format!("/pause-{n}"))))
        .collect();
    let site = TestSite::new().page("index.md", &links);
    let report = check_external(&site, options());
    assert!(
        report.build.diagnostics.is_empty(),
        "{:?}",
        headlines(&report)
    );
    assert_eq!(server.requests().len(), 8);
    assert!(server.max_in_flight() <= 2, "{}", server.max_in_flight());
}

#[test]
fn skipped_prefixes_and_other_schemes_are_not_requested() {
    let server = LinkServer::start();
    let site = TestSite::new()
        .file(
            "docgen.toml",
            &format!(
                "title = \"T\"\nbase_url = \"https://docs.example.com\"\n\n[external_links]\nskip = [\"{}\"]\n",
                server.url("/dead")
            ),
        )
        .page(
            "index.md",
            &format!(
                "[a]({}) [b]({}) [mail](mailto:a@example.com) [c](ftp://example.com/x)\n",
                server.url("/dead"),
                server.url("/gone")
            ),
        );
    let report = check_external(&site, options());
    assert_eq!(server.requests(), ["HEAD /gone", "GET /gone"]);
    assert_eq!(report.errors(), 1);
}

#[test]
fn drafts_are_checked_only_when_built() {
    let server = LinkServer::start();
    let site = TestSite::new().page(
        "draft.md",
        &format!("---\ndraft: true\n---\n[a]({})\n", server.url("/dead")),
    );
    let report = check_external(&site, options());
    assert!(report.build.diagnostics.is_empty());
    assert!(server.requests().is_empty());
}

#[test]
fn the_command_reports_dead_links_as_json_and_exits_one() {
    let server = LinkServer::start();
    let site = TestSite::new().page(
        "index.md",
        &format!("# Home\n\nSee [the API]({}).\n", server.url("/dead")),
    );
    let run = site.run(&[
        "check",
        "--external",
        "--external-timeout",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let d = &lines[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "dead-external-link");
    assert_eq!(d["file"], "content/index.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(
        d["message"],
        format!("dead external link \"{}\": HTTP 404", server.url("/dead"))
    );
    assert!(
        run.stderr.contains("and 1 external link (0 cached)"),
        "{}",
        run.stderr
    );
    assert!(site.root().join(CACHE_FILE).exists());
    assert!(!site.root().join("public").exists(), "check writes no site");
}

#[test]
fn external_links_are_only_checked_when_asked() {
    let server = LinkServer::start();
    let site = TestSite::new().page("index.md", &format!("[a]({})\n", server.url("/dead")));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(
        site.run(&["build", "--external"]).code,
        2,
        "only check has --external"
    );
    assert!(server.requests().is_empty());
    assert!(!site.root().join(CACHE_FILE).exists());
}

#[test]
fn a_dead_link_in_an_include_is_reported_in_the_include() {
    let server = LinkServer::start();
    let site = TestSite::new()
        .file(
            "includes/support.md",
            &format!("## Support\n\nAsk [the forum]({}).\n", server.url("/dead")),
        )
        .page("a.md", "# A\n\n{% include support.md %}\n");
    let report = check_external(&site, options());
    assert_eq!(
        headlines(&report),
        [format!(
            "error: includes/support.md:3:5: dead external link \"{}\": HTTP 404",
            server.url("/dead")
        )]
    );
    assert_eq!(
        report.build.diagnostics[0].notes,
        ["included from content/a.md:3"]
    );
}
