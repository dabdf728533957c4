//! The default theme's search box, driven in headless Chromium: the built site is served on
//! 127.0.0.1 by a server thread, a small script injected into its pages types queries and
//! presses keys, and posts what happened back to the server. Skipped (with a message) where no
//! `chromium` is installed; CI installs it.
//!
//! The index is docgen's (src/search/) and the searching is search.js's, so these tests check
//! the two together: full text at section level, ranking, stemming (the browser's stemmer
//! against the Rust one, word by word), prefixes, "did you mean", base paths, `search: false`.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::browser::{Answer, Browser, Loopback};
use common::{TestSite, chromium, guide};

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

/// Runs in every served page. On `?queries`, it fetches the list of queries from
/// `/__queries.json` and types each one in the search box, waiting for its answer, then posts
/// what each showed: the status, every option (href | title | meta | excerpt, marks in [ ]). On
/// `?stems`, it posts the browser's stem of each word of `/__words.json`.
const QUERY_HARNESS: &str = r#"
(async () => {
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve));
  }
  const report = (text) => fetch("/__report", { method: "POST", body: text });
  // A script error ends the run with its message instead of a timeout.
  window.addEventListener("error", (e) => report(`ERROR ${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener("unhandledrejection", (e) => report(`ERROR ${e.reason && e.reason.stack || e.reason}`));
  if (location.search.includes("stems")) {
    const list = await (await fetch("/__words.json")).json();
    report(list.map((w) => `${w} ${window.docgenSearch.stem(w)}`).join("\n"));
    return;
  }
  if (!location.search.includes("queries")) return;
  const queries = await (await fetch("/__queries.json")).json();
  const input = document.getElementById("site-search-input");
  const list = document.getElementById("site-search-results");
  const status = document.getElementById("site-search-status");
  const marked = (node) => {
    let text = "";
    for (const child of node.childNodes) {
      text += child.nodeName === "MARK" ? `[${child.textContent}]` : child.textContent;
    }
    return text;
  };
  const lines = [];
  if (location.search.includes("box")) {
    lines.push(`BOX ${input.placeholder} | ${input.labels[0].textContent} | ${input.closest("[data-search]").hidden ? "hidden" : "shown"}`);
  }
  for (const query of queries) {
    const answered = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(list, { childList: true });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    });
    input.focus();
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await answered;
    lines.push(`QUERY ${query} | ${status.textContent}`);
    for (const option of list.children) {
      const link = option.querySelector("a");
      if (!link) {
        lines.push(`  EMPTY ${option.textContent}`);
        continue;
      }
      const part = (name) => {
        const node = link.querySelector(name);
        return node ? marked(node) : "";
      };
      if (option.dataset.suggestion) {
        lines.push(`  SUGGEST ${option.dataset.suggestion}`);
        continue;
      }
      lines.push(`  ${link.getAttribute("href")} | ${part(".site-search__title")} | ${part(".site-search__meta")} | ${part(".site-search__excerpt")}`);
    }
  }
  report(lines.join("\n"));
})();
"#;

/// Serves `root` on 127.0.0.1 until dropped; HTML pages get the harness script, and what the
/// harness posts to `/__report` arrives on `reports`.
struct Server {
    loopback: Loopback,
    port: u16,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        Server::with_files(root, Vec::new())
    }

    /// Also serves `extra` (path, JSON text): the queries or words a harness asks for.
    fn with_files(root: PathBuf, extra: Vec<(&'static str, String)>) -> Server {
        let loopback = Loopback::start(move |path| {
            if std::env::var_os("SEARCH_TEST_CONSOLE").is_some() {
                eprintln!("REQUEST {path}");
            }
            match extra.iter().find(|(p, _)| *p == path) {
                Some((_, text)) => (200, text.clone().into_bytes(), "application/json"),
                None => respond(&root, path),
            }
        });
        let port = loopback.port;
        Server { loopback, port }
    }
}

fn respond(root: &Path, path: &str) -> Answer {
    if path == "/__harness.js" {
        return (200, HARNESS.as_bytes().to_vec(), "text/javascript");
    }
    if path == "/__queries.js" {
        return (200, QUERY_HARNESS.as_bytes().to_vec(), "text/javascript");
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
                .replace(
                    "</body>",
                    "<script src=\"/__harness.js\"></script><script src=\"/__queries.js\"></script></body>",
                );
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
    // One browser at a time: several at once on a loaded machine only make each slower.
    static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let mut browser = Browser::open(
        chromium,
        &[
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
        ],
        url,
    );
    // A good run takes a second or two; this only catches a hang, generously for a loaded CI
    // machine.
    match server
        .loopback
        .reports
        .recv_timeout(Duration::from_secs(180))
    {
        Ok(report) => report,
        Err(_) => panic!(
            "the page never reported what the search box did (chromium exited: {:?}); the \
             requests it made:\n{}",
            browser.exited(),
            server.loopback.seen()
        ),
    }
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
            .contains("data-search-index=\"/pr-9/search-index/index.json\" hidden>"),
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
         RESULT /pr-9/elements/x/events.html#webhooks | Webhooks | marked Webhooks\n\
         RESULT /pr-9/elements/x/ | Overview | marked webhooks\n\
         EXPANDED true STATUS 3 matching pages\n\
         ACTIVE site-search-option-0 selected=true\n\
         ESCAPE hidden=true expanded=false\n\
         REOPENED true\n\
         OPENED /pr-9/elements/x/events.html#webhooks"
    );
}

/// A guide site the way Jekyll-era sites are written: raw HTML callouts, kramdown ids, code
/// samples, a long page whose answer sits deep in its body, a page kept out of search.
fn guide_site(base_url: &str) -> TestSite {
    let filler = |topic: &str| {
        (1..=12)
            .map(|n| {
                format!(
                    "Paragraph {n} about {topic}: requests are sent over HTTPS, responses are JSON, \
                     and every call names the instance it acts on.\n\n"
                )
            })
            .collect::<String>()
    };
    TestSite::new()
        .file(
            "docgen.toml",
            &format!("title = \"Guides\"\nbase_url = \"{base_url}\"\n"),
        )
        .page("index.md", "# Home\n\nWelcome to the guides.\n")
        .page("elements.md", "---\ntitle: Elements\nlayout: elements\n---\n")
        .page(
            "elements/zendesk/index.md",
            &guide(
                "Zendesk",
                "Overview",
                1,
                "The Zendesk element connects to the Zendesk Support API.\n\n## Webhooks and Polling\n\nZendesk sends webhooks when a ticket changes.\n",
            ),
        )
        .page(
            "elements/zendesk/authentication.md",
            &guide(
                "Zendesk",
                "Authentication",
                2,
                &format!(
                    "Zendesk uses OAuth 2.0.\n\n## Get an Access Token {{#access}}\n\n{}\
                     ## Refresh Tokens\n\nAn access token expires after two hours. The element \
                     refreshes it with the refresh token before it expires, so calls keep \
                     working.\n\n<div class=\"callout\">\n<p><b>Note:</b> a refreshed token \
                     replaces the old one at once.</p>\n</div>\n\n```bash\ncurl -X POST \
                     https://example.zendesk.com/oauth/tokens -d grant_type=refresh_token\n```\n",
                    filler("access tokens")
                ),
            ),
        )
        .page(
            "elements/zendesk/error-codes.md",
            &guide(
                "Zendesk",
                "Error Codes",
                3,
                &format!(
                    "Errors come back as JSON.\n\n## Client Errors\n\n{}## Server Errors\n\n{}\
                     ### Rate Limiting\n\nWhen you send too many requests the API answers 429. \
                     Read the Retry-After header: it says how many seconds to wait before the \
                     next request.\n",
                    filler("client errors"),
                    filler("server errors")
                ),
            ),
        )
        .page(
            "elements/box/index.md",
            &guide(
                "Box",
                "Overview",
                1,
                "Box stores files.\n\n## Events\n\nBox delivers a webhook for each upload; a \
                 webhook carries the file id.\n",
            ),
        )
        .page(
            "guides/webhooks.md",
            "# Webhooks Guide\n\nHow webhook delivery works across elements.\n",
        )
        .page(
            "guides/internal.md",
            "---\ntitle: Internal Notes\nsearch: false\n---\nThe zanzibar rollout plan.\n",
        )
}

/// Builds `site`, publishes it below `folder` (its base path) on a loopback server, types
/// `queries` and returns what the page reported.
fn run_queries(site: &TestSite, folder: &str, queries: &[&str]) -> Option<String> {
    run_queries_at(site, folder, "queries", queries)
}

/// `run_queries`, the page opened with `?{search}` (`queries&box`: the box's own words are
/// reported first).
fn run_queries_at(site: &TestSite, folder: &str, search: &str, queries: &[&str]) -> Option<String> {
    let chromium = chromium()?;
    let built = site.build().clean();
    let served = tempfile::tempdir().unwrap();
    let target = served.path().join(folder);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::rename(&built.out, &target).unwrap();
    if let Some(keep) = std::env::var_os("SEARCH_TEST_KEEP") {
        // For debugging: the served site stays in this folder.
        let _ = std::process::Command::new("cp")
            .arg("-r")
            .arg(served.path())
            .arg(&keep)
            .status();
    }
    let queries = serde_json::to_string(queries).unwrap();
    let server = Server::with_files(
        served.path().to_path_buf(),
        vec![("/__queries.json", queries)],
    );
    let url = format!("http://127.0.0.1:{}/{folder}/?{search}", server.port);
    Some(drive(&chromium, &server, &url))
}

#[test]
fn full_text_finds_sections_with_stemming_prefixes_and_suggestions() {
    let site = guide_site("https://docs.example.com/pr-7/");
    let queries = [
        "retry after seconds",
        "refreshing tokens",
        "webhook",
        "webho",
        "webhok",
        "zanzibar",
        "qqqqxyz",
    ];
    let Some(report) = run_queries(&site, "pr-7", &queries) else {
        println!("SKIPPED: no chromium binary on PATH; install it (apt-get install chromium)");
        return;
    };
    assert_eq!(
        report,
        "QUERY retry after seconds | 1 matching page\n\
         \x20 /pr-7/elements/zendesk/error-codes.html#rate-limiting | Rate Limiting | Zendesk › Error Codes | When you send too many requests the API answers 429. Read the [Retry]-[After] header: it says how many [seconds] to wait before the next request.\n\
         \x20 /pr-7/elements/zendesk/authentication.html#refresh-tokens | Refresh Tokens | Zendesk › Authentication | An access token expires [after] two hours. The element refreshes it with the refresh token before it expires, so calls keep working. Note: a refreshed token replaces the …\n\
         QUERY refreshing tokens | 1 matching page\n\
         \x20 /pr-7/elements/zendesk/authentication.html#refresh-tokens | [Refresh] [Tokens] | Zendesk › Authentication | … two hours. The element [refreshes] it with the [refresh] [token] before it expires, so calls keep working. Note: a [refreshed] [token] replaces the old one at once.\n\
         QUERY webhook | 3 matching pages\n\
         \x20 /pr-7/guides/webhooks.html | [Webhooks] Guide |  | How [webhook] delivery works across elements.\n\
         \x20 /pr-7/elements/zendesk/#webhooks-and-polling | [Webhooks] and Polling | Zendesk › Overview | Zendesk sends [webhooks] when a ticket changes.\n\
         \x20 /pr-7/elements/box/#events | Events | Box › Overview | Box delivers a [webhook] for each upload; a [webhook] carries the file id.\n\
         QUERY webho | 3 matching pages\n\
         \x20 /pr-7/guides/webhooks.html | [Webhooks] Guide |  | How [webhook] delivery works across elements.\n\
         \x20 /pr-7/elements/zendesk/#webhooks-and-polling | [Webhooks] and Polling | Zendesk › Overview | Zendesk sends [webhooks] when a ticket changes.\n\
         \x20 /pr-7/elements/box/#events | Events | Box › Overview | Box delivers a [webhook] for each upload; a [webhook] carries the file id.\n\
         QUERY webhok | No matching pages. Did you mean webhook?\n\
         \x20 SUGGEST webhook\n\
         \x20 EMPTY No page matches.\n\
         QUERY zanzibar | No matching pages\n\
         \x20 EMPTY No page matches.\n\
         QUERY qqqqxyz | No matching pages\n\
         \x20 EMPTY No page matches."
    );
}

#[test]
fn pages_carry_an_empty_box_the_script_fills_unless_the_theme_wrote_its_own() {
    let site = guide_site("https://docs.example.com/pr-7/");
    let html = site.build().clean().html("index.html");
    assert!(
        html.contains("data-search-index=\"/pr-7/search-index/index.json\" hidden></div>"),
        "a page carries the empty box only: {html}"
    );
    let Some(report) = run_queries_at(&site, "pr-7", "queries&box", &["webhook"]) else {
        println!("SKIPPED: no chromium binary on PATH; install it (apt-get install chromium)");
        return;
    };
    let filled = report.lines().next().unwrap();
    assert_eq!(filled, "BOX Search | Search the documentation | shown");
    // A theme that writes the parts in another language keeps them.
    let base = include_str!("../themes/default/templates/base.html");
    let empty = "data-search-index=\"{{ site.search_url }}\" hidden></div>";
    assert!(base.contains(empty), "the default theme's box changed");
    let own = "data-search-index=\"{{ site.search_url }}\" hidden>\
        <label for=\"site-search-input\">Dokumentation durchsuchen</label>\
        <input id=\"site-search-input\" type=\"search\" placeholder=\"Suchen\" role=\"combobox\" \
        aria-expanded=\"false\" aria-controls=\"site-search-results\">\
        <p id=\"site-search-status\" role=\"status\"></p>\
        <ul id=\"site-search-results\" role=\"listbox\" hidden></ul></div>";
    // The box's own words and the first query's count, with the theme's box `markup`.
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    let with_box = |markup: &str| {
        let layout = site.root().join("templates/base.html");
        std::fs::write(layout, base.replace(empty, markup)).unwrap();
        let report = run_queries_at(&site, "pr-7", "queries&box", &["webhook"]).unwrap();
        report
            .lines()
            .take(2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        with_box(own),
        [
            "BOX Suchen | Dokumentation durchsuchen | shown",
            "QUERY webhook | 3 matching pages"
        ]
    );
    // A box with an input but no list or status line would leave the script nowhere to show
    // results: it gets the whole box.
    let half = "data-search-index=\"{{ site.search_url }}\" hidden>\
        <input id=\"site-search-input\" placeholder=\"Suchen\"></div>";
    assert_eq!(
        with_box(half),
        [
            "BOX Search | Search the documentation | shown",
            "QUERY webhook | 3 matching pages"
        ]
    );
}

#[test]
fn a_typo_in_the_first_letters_is_fixed_even_when_the_word_sorts_far_away() {
    // Thousands of words between "webhook" and "x…" put them several term shards apart, so
    // "xebhook" lands in a shard (and neighbours) that do not hold "webhook": the spelling
    // shards, ordered by the words' ends, must find it.
    let letters = |mut n: usize| {
        let mut word = String::from("wz");
        for _ in 0..3 {
            word.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        word
    };
    let filler: String = (0..6000).map(|n| letters(n) + " ").collect();
    let site = guide_site("https://docs.example.com/pr-7/").page(
        "guides/glossary.md",
        &format!("# Glossary\n\nTerms: {filler}\n"),
    );
    let built = site.build().clean();
    let manifest = built.html("search-index/index.json");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let firsts: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let shard_of = |term: &str| firsts.partition_point(|f| *f <= term) - 1;
    assert!(
        shard_of("xebhook") >= shard_of("webhook") + 2,
        "the fixture must put the words two shards apart: {firsts:?}"
    );
    let queries = ["xebhook", "ebhook", "wwebhooks", "ewbhook", "webhok"];
    let Some(report) = run_queries(&site, "pr-7", &queries) else {
        println!("SKIPPED: no chromium binary on PATH; install it (apt-get install chromium)");
        return;
    };
    let expected: Vec<String> = queries
        .iter()
        .map(|q| {
            format!(
                "QUERY {q} | No matching pages. Did you mean webhook?\n  SUGGEST webhook\n  EMPTY No page matches."
            )
        })
        .collect();
    assert_eq!(report, expected.join("\n"));
}

/// Words that exercise every step of Porter2 (and its exceptions), plus words of API guides.
const STEM_WORDS: &str = "caresses ponies ties caress cats feed agreed disabled matting mating meeting \
    milling messing meetings happy sky skies dying lying tying news innings inning outings canning \
    herring earring proceed exceed succeed generate generous generously communism communication \
    arsenal relational conditional rational valenci hesitanci digitizer conformabli radicalli \
    differentli vileli analogousli vietnamization predication operator feudalism decisiveness \
    hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize \
    electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic \
    adjustable defensible irritant replacement adjustment dependent adoption homologou \
    communism activate angulariti homologous effective bowdlerize probate rate cease controll \
    roll crying cried by say saying idly gently ugly early only singly skis atlas cosmos bias \
    andes howe yelling yes you young ayyy consign consigned consigning consignment consist \
    consisted consistency consistent consistently consisting consists consolation consolations \
    knack knackeries knacks knag knave knaves knavish kneaded kneading knee kneel kneeled \
    kneeling kneels knees knell knelt knew knick knif knife knight knightly knights knit \
    knits knitted knitting knives knob knobs knock knocked knocker knockers knocking knocks \
    refresh refreshed refreshes refreshing refreshment authenticate authentication \
    authenticated authorization authorize webhook webhooks polling polled paginate pagination \
    retry retries retried throttling throttled idempotency idempotent endpoint endpoints \
    configure configuration configured credentials expiring expiration revoke revoked revocation";

#[test]
fn the_browser_stems_every_word_as_the_index_does() {
    let Some(chromium) = chromium() else {
        println!("SKIPPED: no chromium binary on PATH; install it (apt-get install chromium)");
        return;
    };
    let site = guide_site("https://docs.example.com/");
    let mut words: Vec<String> = STEM_WORDS.split_whitespace().map(str::to_string).collect();
    for page in [
        "elements/zendesk/authentication.md",
        "elements/zendesk/error-codes.md",
    ] {
        let text = std::fs::read_to_string(site.root().join("content").join(page)).unwrap();
        words.extend(docgen::search::words(&text).map(|(w, _)| w));
    }
    words.sort();
    words.dedup();
    let built = site.build().clean();
    let server = Server::with_files(
        built.out.clone(),
        vec![("/__words.json", serde_json::to_string(&words).unwrap())],
    );
    let report = drive(
        &chromium,
        &server,
        &format!("http://127.0.0.1:{}/?stems", server.port),
    );
    let mut stems = docgen::search::Stems::default();
    let expected: Vec<String> = words
        .iter()
        .map(|w| format!("{w} {}", stems.stem(w)))
        .collect();
    let report: Vec<&str> = report.lines().collect();
    let differ: Vec<String> = expected
        .iter()
        .zip(&report)
        .filter(|(rust, browser)| rust.as_str() != **browser)
        .map(|(rust, browser)| format!("index: {rust}, browser: {browser}"))
        .collect();
    assert_eq!(report.len(), expected.len());
    assert!(words.len() > 250, "{} words", words.len());
    assert!(differ.is_empty(), "{differ:#?}");
}
