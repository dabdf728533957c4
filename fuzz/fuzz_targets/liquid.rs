//! Fuzz target: content templating (`Templating::expand`) of a page, with a small site's
//! includes and data around it: front matter, `{{ }}`, `{% %}`, includes that include each
//! other. Any page must expand or give a located diagnostic — never panic, overflow the stack or
//! run away (libFuzzer's `-timeout` and `-rss_limit_mb` catch the last two).
#![no_main]

use std::sync::OnceLock;

use docgen::config::{Config, Overrides};
use docgen::front_matter;
use docgen::templating::{PageSource, Templating};
use libfuzzer_sys::fuzz_target;

struct Site {
    _dir: tempfile::TempDir,
    templating: Templating,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let root = dir.path();
        for (rel, text) in [
            (
                "docgen.toml",
                "title = \"Fuzz\"\nbase_url = \"https://docs.example.com\"\n\
                 [extra]\nconsole = \"https://console.example.com\"\n",
            ),
            ("content/index.md", "# Home\n"),
            (
                "includes/note.html",
                "<div class=\"note\">{{ include.content }}</div>\n",
            ),
            ("includes/again.html", "{% include note.html content=include.x %}"),
            ("includes/self.html", "{% include self.html %}"),
            ("data/glossary.yml", "element: connector\nitems: [a, b, c]\n"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(root, &Overrides::default()).expect("the site's docgen.toml");
        let templating = Templating::load(&config).expect("the site's includes and data");
        Site {
            _dir: dir,
            templating,
        }
    })
}

fuzz_target!(|text: &str| {
    let parsed = front_matter::parse("content/x.md", text);
    let page = PageSource {
        source: "x.md",
        url: "/x.html",
        text,
        body_offset: parsed.body_offset,
        front: &parsed.front,
    };
    if let Some(expansion) = site().templating.expand(page) {
        for d in &expansion.diagnostics {
            let _ = d.to_string();
        }
        if let Some((expanded, _map)) = &expansion.expanded {
            // The front matter is kept as written.
            assert!(expanded.starts_with(&text[..parsed.body_offset]));
        }
    }
});
