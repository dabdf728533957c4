//! The search index docgen writes below `search-index/`: what it holds and leaves out, and the
//! switches that turn it off (the browser side is driven in search_browser.rs).

mod common;

use common::{TestSite, guide};

fn site() -> TestSite {
    TestSite::new()
        .page("index.md", "# Home\n\nWelcome.\n")
        .page("elements.md", "---\ntitle: Elements\nlayout: elements\nsearch: false\n---\n")
        .page(
            "elements/xero/events.md",
            &guide(
                "Xero",
                "Events",
                1,
                "Intro.\n\n## Webhooks {#hooks}\n\n<div class=\"note\"><p>Retry-After tells you when.</p><script>var hidden = 1;</script></div>\n\n```json\n{\"payloadField\": 1}\n```\n",
            ),
        )
        .page(
            "guides/internal.md",
            "---\ntitle: Internal\nsearch: false\n---\nThe zanzibar plan.\n",
        )
}

fn read(dir: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_index_holds_sections_and_leaves_out_search_false_pages() {
    let built = site().build().clean();
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&built.out, "search-index/index.json")).unwrap();
    assert_eq!(manifest["v"], 4);
    assert_eq!(manifest["pages"], 2, "{manifest}");
    // Pages are numbered folder by folder (index.md, then elements/xero/events.md), each
    // folder's pages in one fragment file.
    assert_eq!(
        manifest["p"],
        serde_json::json!([["_", 1], ["elements.xero", 1]])
    );
    let shards = manifest["shards"].as_array().unwrap().len();
    let mut terms = String::new();
    for n in 0..shards {
        let shard = read(&built.out, &format!("search-index/t/{n}.json"));
        serde_json::from_str::<serde_json::Value>(&shard).expect("a shard is JSON");
        terms.push_str(&shard);
    }
    for word in ["\"webhook\"", "\"retri\"", "\"payloadfield\"", "\"xero\""] {
        assert!(terms.contains(word), "{word} missing from {terms}");
    }
    for word in ["\"zanzibar\"", "\"hidden\"", "\"the\""] {
        assert!(!terms.contains(word), "{word} indexed: {terms}");
    }
    let events: serde_json::Value =
        serde_json::from_str(&read(&built.out, "search-index/p/elements.xero.json")).unwrap();
    assert_eq!(
        events,
        serde_json::json!({"p": [{
            "u": "/elements/xero/events.html",
            "t": "Events",
            "e": "Xero",
            "s": [
                ["", "", "Intro.", ""],
                ["hooks", "Webhooks", "Retry-After tells you when.", "{\"payloadField\": 1}"]
            ]
        }]})
    );
    let mut fragment_files: Vec<String> = std::fs::read_dir(built.out.join("search-index/p"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fragment_files.sort();
    assert_eq!(fragment_files, ["_.json", "elements.xero.json"]);
    let html = built.html("index.html");
    assert!(html.contains("data-search-index=\"/search-index/index.json\" hidden>"));
    assert!(html.contains("<script src=\"/search.js\" defer></script>"));
}

#[test]
fn a_page_url_with_spaces_is_percent_encoded_as_the_sites_links_are() {
    let built = site()
        .page(
            "guides/my setup.md",
            "---\ntitle: My setup\n---\nThe übersicht.\n",
        )
        .page(
            "guides/links.md",
            "---\ntitle: Links\n---\nSee [setup](my%20setup.md).\n",
        )
        .build()
        .clean();
    let guides: serde_json::Value =
        serde_json::from_str(&read(&built.out, "search-index/p/guides.json")).unwrap();
    let urls: Vec<&str> = guides["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["u"].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["/guides/links.html", "/guides/my%20setup.html"]);
    assert!(
        built
            .html("guides/links.html")
            .contains("href=\"/guides/my%20setup.html\""),
        "the page's own link is written the same way"
    );
}

#[test]
fn search_false_in_docgen_toml_writes_no_index_and_no_box() {
    let built = site()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/\"\nsearch = false\n",
        )
        .build()
        .clean();
    assert!(!built.exists("search-index/index.json"));
    assert!(!built.out.join("search-index").exists());
    let html = built.html("index.html");
    assert!(!html.contains("data-search"), "{html}");
    assert!(!html.contains("search.js"));
}

#[test]
fn search_in_front_matter_must_be_true_or_false() {
    site()
        .page("bad.md", "---\ntitle: Bad\nsearch: sometimes\n---\nText.\n")
        .build()
        .reports("content/bad.md:3:1: `search` must be true or false (found \"sometimes\")");
}

#[test]
fn site_files_in_the_index_folder_are_errors_that_check_reports_too() {
    let site = site()
        .file("static/search-index/index.json", "{\"mine\": true}\n")
        .file("static/search-index-old/index.json", "{}\n")
        .page(
            "search-index/notes.md",
            "---\ntitle: Index notes\n---\nNotes.\n",
        )
        .page(
            "search-index.md",
            "---\ntitle: About the index\n---\nText.\n",
        );
    let note = "= search-index/ is docgen's: move the file out of it, or set `search = false` in docgen.toml to build without it";
    let built = site.build();
    built
        .reports("static/search-index/index.json: static/search-index/index.json is written to search-index/index.json, but docgen writes the search index to search-index/")
        .reports("content/search-index/notes.md: the page content/search-index/notes.md is written to search-index/notes.html, but docgen writes the search index to search-index/");
    assert_eq!(built.report.errors(), 2, "{}", built.diagnostics_text());
    assert!(
        built.diagnostics_text().contains(note),
        "{}",
        built.diagnostics_text()
    );
    assert!(built.report.output.is_none());
    assert!(!built.exists("search-index/index.json"));
    // `check` fails the same way, so a passing check means the build writes.
    let checked = site.run(&["check"]);
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    assert!(
        checked.stderr.contains("error: static/search-index/index.json: static/search-index/index.json is written to search-index/index.json"),
        "{}",
        checked.stderr
    );
}

#[test]
fn with_search_off_the_folder_is_the_sites_own() {
    let built = site()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/\"\nsearch = false\n",
        )
        .file("static/search-index/index.json", "{\"mine\": true}\n")
        .build()
        .clean();
    assert_eq!(built.html("search-index/index.json"), "{\"mine\": true}\n");
}

#[test]
fn the_index_is_byte_identical_with_one_thread_and_with_many() {
    // Enough pages and distinct words for several shards, and for every thread to index some.
    let mut site = site();
    for n in 0..60 {
        let words: String = (0..400)
            .map(|k| format!("w{}x{} refreshing tokens ", (n * 7 + k * 13) % 997, k % 31))
            .collect();
        site = site.page(
            &format!("elements/e{}/page{n}.md", n % 6),
            &guide(&format!("E{}", n % 6), &format!("Page {n}"), n, &words),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let build = |threads: &str| {
        let out = dir.path().join(threads);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_docgen"))
            .args(["build", "--quiet", "--output"])
            .arg(&out)
            .current_dir(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .expect("docgen runs");
        assert!(status.success());
        out.join("search-index")
    };
    let (one, many) = (build("1"), build("4"));
    let files = common::snapshot(&one);
    assert!(
        files.keys().filter(|k| k.starts_with("t/")).count() > 1,
        "{:?}",
        files.keys()
    );
    common::assert_same_files(&one, &many, "1 thread against 4 threads");
}

#[test]
fn a_huge_word_stays_out_of_the_index_the_first_query_fetches() {
    // A pasted base64 blob or minified line is one "word": indexed, it became the first term
    // of a shard and of a spelling shard, and so part of the manifest every first query
    // fetches (10 MB for a 5 MB word).
    let blob = "QUFB".repeat(250_000);
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let built = site()
        .page(
            "guides/blob.md",
            &format!("---\ntitle: Blob\n---\nA key: {blob} and a digest {sha} here.\n"),
        )
        .build()
        .clean();
    let manifest = read(&built.out, "search-index/index.json");
    assert!(
        manifest.len() < 16_000,
        "manifest of {} bytes",
        manifest.len()
    );
    let shards: String = std::fs::read_dir(built.out.join("search-index/t"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(!shards.contains("qufbqufb"), "the blob is no term");
    assert!(
        shards.contains(&format!("[\"{sha}\",")),
        "a 64-character digest still is"
    );
    assert!(
        shards.contains("[\"digest\","),
        "and so are the words around them"
    );
}
