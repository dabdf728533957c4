//! Image sizes: local images in Markdown and raw HTML get `width` and `height` from their files
//! (raster headers, SVG width/height/viewBox), all but a page's first load lazily, and the live
//! preview re-renders a page when an image it shows changes size.

mod common;

use common::TestSite;
use docgen::config::Overrides;
use docgen::highlight::Highlighter;
use docgen::session::{Change, Session};

/// The start of a PNG file (signature and IHDR chunk) of `width`×`height`: all a size reader
/// looks at.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

/// A Jekyll-era guide: Markdown images, raw HTML `<img>` with and without sizes, a path with a
/// space, an image above the page folder, a static image, an external one.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/docs\"\n",
        )
        .page(
            "elements/box/box-setup.md",
            "---\ntitle: Setup\n---\n\
             ![The console](img/console.png)\n\n\
             Then:\n\n\
             ![Flow](../shared/flow.svg \"The flow\")\n\n\
             <p align=\"center\"><img src=\"img/console.png\" width=\"320\" alt=\"Small\"></p>\n\n\
             <img src=\"img/my%20form.png\" alt=\"Form\">\n\n\
             <img src=\"/images/logo.svg\" alt=\"\" class=\"logo\"/>\n\n\
             ![Remote](https://cdn.example.com/x.png)\n\n\
             ```html\n<img src=\"img/console.png\">\n```\n",
        )
        .bytes("content/elements/box/img/console.png", &png(640, 400))
        .bytes("content/elements/box/img/my form.png", &png(300, 150))
        .file(
            "content/elements/shared/flow.svg",
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 300\"><rect/></svg>\n",
        )
        .file(
            "static/images/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"48\" height=\"48\"></svg>",
        )
}

#[test]
fn local_images_get_their_size_and_all_but_the_first_load_lazily() {
    let built = site().build().clean();
    let html = built.html("elements/box/box-setup.html");
    let images: Vec<&str> = html
        .match_indices("<img ")
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap() + 1])
        .filter(|tag| !tag.contains("brand__mark"))
        .collect();
    // Raw HTML's URLs are rewritten to their final URL (with the base path) like Markdown's.
    assert_eq!(
        images,
        [
            r#"<img src="/docs/elements/box/img/console.png" alt="The console" width="640" height="400">"#,
            r#"<img src="/docs/elements/shared/flow.svg" alt="Flow" title="The flow" width="760" height="300" loading="lazy">"#,
            r#"<img src="/docs/elements/box/img/console.png" width="320" alt="Small" height="200" loading="lazy">"#,
            r#"<img src="/docs/elements/box/img/my%20form.png" alt="Form" width="300" height="150" loading="lazy">"#,
            r#"<img src="/docs/images/logo.svg" alt="" class="logo" width="48" height="48" loading="lazy"/>"#,
            r#"<img src="https://cdn.example.com/x.png" alt="Remote" loading="lazy">"#,
        ]
    );
    let code = &html[html.find("data-lang=\"html\"").unwrap()..];
    let code = &code[..code.find("</pre>").unwrap()];
    assert!(
        code.contains("&lt;") && !code.contains("<img") && !code.contains("width="),
        "code stays code: {code}"
    );
}

#[test]
fn the_preview_re_renders_a_page_when_its_image_changes_size() {
    let site = site();
    let out = tempfile::tempdir().unwrap();
    let highlighter = Highlighter::new();
    let (mut session, _) =
        Session::open(site.root(), Overrides::default(), out.path(), &highlighter).unwrap();
    let page = out.path().join("elements/box/box-setup.html");
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("alt=\"The console\" width=\"640\" height=\"400\">")
    );
    std::fs::write(
        site.root().join("content/elements/box/img/console.png"),
        png(1280, 720),
    )
    .unwrap();
    let rebuild = session
        .apply(
            &[Change::ContentFile("elements/box/img/console.png".into())],
            &highlighter,
        )
        .unwrap();
    assert!(
        rebuild
            .written
            .contains(&"elements/box/box-setup.html".to_string()),
        "{:?}",
        rebuild.written
    );
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("alt=\"The console\" width=\"1280\" height=\"720\">")
    );
}
