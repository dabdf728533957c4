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
    assert_eq!(manifest["v"], 2);
    assert_eq!(manifest["pages"], 2, "{manifest}");
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
    // Pages are numbered by source: elements/xero/events.md, then index.md.
    let events: serde_json::Value =
        serde_json::from_str(&read(&built.out, "search-index/p/0.json")).unwrap();
    assert_eq!(
        events,
        serde_json::json!({
            "u": "/elements/xero/events.html",
            "t": "Events",
            "e": "Xero",
            "s": [
                ["", "", "Intro.", ""],
                ["hooks", "Webhooks", "Retry-After tells you when.", "{\"payloadField\": 1}"]
            ]
        })
    );
    assert!(!built.exists("search-index/p/2.json"));
    let html = built.html("index.html");
    assert!(html.contains("data-search-index=\"/search-index/index.json\" hidden>"));
    assert!(html.contains("<script src=\"/search.js\" defer></script>"));
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
