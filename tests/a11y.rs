//! Accessibility of the default theme: axe-core (vendored in tests/a11y/) runs in headless
//! Chromium over the example site's home page, elements index, guides, plain pages and 404, in
//! the light and the dark colour scheme (`prefers-color-scheme`), at a laptop's and a phone's
//! viewport, and must find no violation at all. Skipped (with a message) where no `chromium` is
//! installed; CI installs it.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::browser::{Answer, Browser, Loopback};
use common::chromium;
use docgen::build::{BuildOptions, build};
use docgen::highlight::Highlighter;

const AXE: &str = include_str!("a11y/axe.min.js");
const DRIVER: &str = include_str!("a11y/driver.html");

/// The example site's pages of each kind: home (`page` layout), elements index, an element's
/// Overview and two guides (task lists, tables, code in many languages), two plain guides
/// (`docs` layout) and the 404 page.
const PAGES: &[&str] = &[
    "/",
    "/elements.html",
    "/elements/gotowebinar/",
    "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
    "/elements/zendesk/zendesk-events.html",
    "/guides/getting-started.html",
    "/guides/ceql.html",
    "/404.html",
];

/// Laptop and phone; the phone size is an iframe's, since a headless window is never narrower
/// than 500 px.
const SIZES: &[&str] = &["1366x900", "390x844"];

/// The site's files, the driver and axe-core.
fn respond(root: &Path, path: &str) -> Answer {
    match path {
        "/__driver" => return (200, DRIVER.as_bytes().to_vec(), "text/html; charset=utf-8"),
        "/__axe.min.js" => return (200, AXE.as_bytes().to_vec(), "text/javascript"),
        _ => {}
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
    let kind = match rel.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    (200, bytes, kind)
}

/// Runs the driver in Chromium with `prefers-color-scheme` set to `scheme`; returns its report.
fn run_axe(chromium: &Path, server: &Loopback, scheme: &str) -> String {
    // Blink's preferredColorScheme: 0 is dark, 1 is light.
    let preferred = if scheme == "dark" { 0 } else { 1 };
    let url = format!(
        "http://127.0.0.1:{}/__driver?pages={}&sizes={}",
        server.port,
        PAGES.join(","),
        SIZES.join(",")
    );
    let color_scheme = format!("--blink-settings=preferredColorScheme={preferred}");
    let mut browser = Browser::open(
        chromium,
        &[
            // No request may leave the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-default-browser-check",
            "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate",
            "--window-size=1400,1000",
            // Keeps the browser open until the driver has reported.
            "--remote-debugging-port=0",
            &color_scheme,
        ],
        &url,
    );
    // The driver reports after each page: an axe run takes a second on an idle machine, and
    // a loaded one may take minutes for all of them, so only a page that never reports fails.
    let mut report = String::new();
    loop {
        match server.reports.recv_timeout(Duration::from_secs(300)) {
            Ok(part) => {
                let done = part.starts_with("DONE") || part.starts_with("ERROR");
                report.push_str(&part);
                report.push('\n');
                if done {
                    return report;
                }
            }
            Err(_) => panic!(
                "the driver stopped reporting in {scheme} (chromium exited: {:?}); so far:\n\
                 {report}\nthe requests it made:\n{}",
                browser.exited(),
                server.seen()
            ),
        }
    }
}

#[test]
fn axe_core_finds_no_violation_on_the_example_site_in_light_and_dark() {
    let Some(chromium) = chromium() else {
        println!(
            "SKIPPED: no chromium binary on PATH; install it (apt-get install chromium) to run this test"
        );
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let options = BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(site.clone()),
        overrides: Default::default(),
    };
    let report = build(&options, &Highlighter::new()).expect("the example site builds");
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    let server = Loopback::start(move |path| respond(&site, path));
    let mut violations = Vec::new();
    for scheme in ["light", "dark"] {
        let report = run_axe(&chromium, &server, scheme);
        let runs = PAGES.len() * SIZES.len();
        assert!(
            report.ends_with(&format!("DONE {runs}\n")),
            "axe ran on every page and size in {scheme}: {report}"
        );
        violations.extend(
            report
                .lines()
                .filter(|line| line.starts_with('{'))
                .map(str::to_string),
        );
    }
    assert!(
        violations.is_empty(),
        "axe-core found {} violated rules:\n{}",
        violations.len(),
        violations.join("\n")
    );
}
