//! Drift between `serve`'s incremental rebuilds and `build`, hunted at random: a Jekyll-era
//! element guide site gets random sequences of edits — page bodies, titles, `order`, `heading`,
//! `elementId`, drafts, `redirect_from`, includes, data files, templates, `docgen.toml`, files
//! added, removed and renamed, folders moved — applied to a live session as the watcher would
//! report them, and after every step the session's output and diagnostics are compared with a
//! clean `build` of the tree.
//!
//! A fixed-seed xorshift drives every choice, so a failure is reproducible from the seed and step
//! it prints. Longer runs: `DOCGEN_DRIFT_SEEDS` (how many seeds, from `DOCGEN_DRIFT_SEED`, default
//! 1), `DOCGEN_DRIFT_STEPS` (steps per seed); `DOCGEN_DRIFT_KEEP_GOING=1` reports every failing
//! seed instead of stopping at the first.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::TestSite;
use common::live::{Live, write_file};
use docgen::session::Change;

/// xorshift64*: enough randomness for choosing edits, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so nearby seeds start far apart (and never at 0).
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `num` times in `den`.
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// A page's front matter, as the site's writers type it.
#[derive(Clone, Debug, Default)]
struct Front {
    heading: Option<String>,
    title: Option<String>,
    layout: Option<String>,
    breadcrumbs: Option<String>,
    element_id: Option<String>,
    order: Option<i64>,
    draft: bool,
    redirect_from: Vec<String>,
    element_key: Option<String>,
    logo: Option<String>,
}

#[derive(Clone, Debug)]
enum File {
    Page { front: Box<Front>, body: String },
    Text(String),
}

impl File {
    fn text(&self) -> String {
        match self {
            File::Text(text) => text.clone(),
            File::Page { front, body } => {
                let mut text = String::from("---\n");
                let key = |text: &mut String, k: &str, v: &Option<String>| {
                    if let Some(v) = v {
                        let _ = writeln!(text, "{k}: {v}");
                    }
                };
                key(&mut text, "heading", &front.heading);
                key(&mut text, "title", &front.title);
                key(&mut text, "layout", &front.layout);
                key(&mut text, "breadcrumbs", &front.breadcrumbs);
                if front.breadcrumbs.is_some() {
                    text.push_str("parent: Back to Element Guides\n");
                }
                key(&mut text, "elementId", &front.element_id);
                key(&mut text, "elementKey", &front.element_key);
                key(&mut text, "logo", &front.logo);
                if let Some(order) = front.order {
                    let _ = writeln!(text, "order: {order}");
                }
                if front.draft {
                    text.push_str("draft: true\n");
                }
                match front.redirect_from.as_slice() {
                    [] => {}
                    [one] => {
                        let _ = writeln!(text, "redirect_from: {one}");
                    }
                    many => {
                        text.push_str("redirect_from:\n");
                        for from in many {
                            let _ = writeln!(text, "  - {from}");
                        }
                    }
                }
                text.push_str("---\n");
                text.push_str(body);
                text
            }
        }
    }
}

/// `docgen.toml`, as the edits change it.
#[derive(Clone, Debug)]
struct Config {
    title: &'static str,
    base_url: Option<&'static str>,
    broken_links_warn: bool,
    search: bool,
    console: &'static str,
    undefined_warn: bool,
    nav: bool,
}

impl Config {
    fn text(&self) -> String {
        let mut text = format!("title = \"{}\"\n", self.title);
        if let Some(url) = self.base_url {
            let _ = writeln!(text, "base_url = \"{url}\"");
        }
        if self.broken_links_warn {
            text.push_str("broken_links = \"warn\"\n");
        }
        let _ = writeln!(text, "search = {}", self.search);
        if self.undefined_warn {
            text.push_str("undefined_variables = \"warn\"\n");
        }
        let _ = write!(text, "\n[extra]\nconsole = \"{}\"\n", self.console);
        if self.nav {
            text.push_str(
                "\n[[nav]]\ntitle = \"Guides\"\nurl = \"/guides/\"\n\n[[nav]]\ntitle = \"Status\"\nurl = \"https://status.example.com/\"\n",
            );
        }
        text
    }
}

/// The site's files by path from its root (`docgen.toml` apart), mirrored on disk.
struct Tree {
    config: Config,
    files: BTreeMap<String, File>,
}

const ELEMENTS: [(&str, &str, &str); 3] = [
    ("zendesk", "Zendesk", "41"),
    ("gotowebinar", "Citrix GoToWebinar", "1743"),
    ("box", "Box", "22"),
];

const HEADINGS: [&str; 7] = [
    "Register",
    "Polling",
    "Webhooks",
    "Instance Configuration",
    "Step 2: Create the App",
    "Errors",
    "Overview",
];

const TITLES: [&str; 10] = [
    "Overview",
    "Events",
    "Endpoint Setup",
    "Create Instance",
    "Authenticate",
    "Bulk",
    "Error Codes",
    "FAQ",
    "Webhooks",
    "Getting Started",
];

const TOPICS: [&str; 8] = [
    "events",
    "bulk",
    "faq",
    "webhooks",
    "error-codes",
    "create-instance",
    "endpoint-setup",
    "authenticate",
];

const WORDS: [&str; 16] = [
    "poll", "webhook", "instance", "token", "refresh", "callback", "bulk", "upload", "zeppelin",
    "endpoint", "secret", "OAuth", "payload", "retry", "sandbox", "console",
];

fn slug(heading: &str) -> String {
    let mut slug = String::new();
    for c in heading.to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if c == ' ' {
            slug.push('-');
        }
    }
    slug
}

fn guide(key: &str, heading: &str, id: &str, title: &str, order: i64, body: String) -> File {
    File::Page {
        front: Box::new(Front {
            heading: Some(heading.into()),
            title: Some(title.into()),
            layout: Some("sidebarelementdoc".into()),
            breadcrumbs: Some("/elements.html".into()),
            element_id: Some(id.into()),
            order: Some(order),
            element_key: Some(key.into()),
            ..Front::default()
        }),
        body,
    }
}

fn plain(title: Option<&str>, layout: Option<&str>, body: &str) -> File {
    File::Page {
        front: Box::new(Front {
            title: title.map(str::to_string),
            layout: layout.map(str::to_string),
            ..Front::default()
        }),
        body: body.to_string(),
    }
}

const NOTE_INCLUDES: [&str; 3] = [
    "<div markdown=\"span\" class=\"alert alert-info\"><b>Note:</b> {{include.content}}</div>\n",
    "<aside class=\"note\">{{ include.content }}</aside>\n",
    "<div class=\"note\">{{ include.content }} ({{ site.console }})</div>\n",
];

const COMMON_CONFIG: [&str; 3] = [
    "## Instance Configuration\n\nEnter the **{{ page.heading }}** API key in {{ site.console }}.\n",
    "## Instance Configuration\n\n| field | meaning |\n|---|---|\n| key | the API key |\n{: .table}\n",
    "Configure the instance in {{ site.console }}; see [the FAQ](/guides/faq.html).\n",
];

const GLOSSARY: [&str; 4] = [
    "element: connector\ninstance: an authenticated connection\n",
    "element: API connector\ninstance: a connection\n",
    "element: [unclosed\n",
    "instance: a connection\n",
];

const FAQ_LAYOUT: [&str; 3] = [
    "{% extends \"page.html\" %}{% block body %}<div class=\"faq\">{{ page.body | safe }}</div>{% endblock body %}",
    "{% extends \"page.html\" %}{% block body %}<p>{{ site.title }}</p><div class=\"faq\">{{ page.body | safe }}</div><a href=\"/guides/\">All guides</a>{% endblock body %}",
    // Fails when it renders: reported once, with "and N other pages".
    "{% extends \"page.html\" %}{% block body %}{{ page.extra.missing.deeper }}{% endblock body %}",
];

const NOT_FOUND_LAYOUT: [&str; 2] = [
    "{% extends \"base.html\" %}{% block content %}<p>Lost? <a href=\"{{ site.home_url }}\">Home</a></p>{% endblock content %}",
    "{% extends \"base.html\" %}{% block content %}{{ page.extra.missing.deeper }}{% endblock content %}",
];

const WARNING_INCLUDE: &str = "<div class=\"alert alert-warning\">{{ include.content }}</div>\n";

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"32\"></svg>\n";

impl Tree {
    /// The starting site: three elements with their guides, plain pages in sections, includes,
    /// data, a custom layout, a Jekyll HTML page, drafts and redirects.
    fn new(rng: &mut Rng) -> Tree {
        let mut tree = Tree {
            config: Config {
                title: "Cloud Elements Docs",
                base_url: Some("https://docs.example.com"),
                broken_links_warn: true,
                search: true,
                console: "Cloud Elements",
                undefined_warn: true,
                nav: false,
            },
            files: BTreeMap::new(),
        };
        let mut add = |rel: &str, file: File| {
            tree.files.insert(rel.to_string(), file);
        };
        add(
            "content/index.md",
            plain(
                None,
                None,
                "# Cloud Elements Docs\n\nWelcome to {{ site.console }}. Start with [[Events]] or the \
                 [Zendesk guides](elements/zendesk/).\n\n<a href=\"/elements/box/\">Box</a> · \
                 <a href=\"elements.html\">All elements</a>\n",
            ),
        );
        add(
            "content/elements.md",
            plain(Some("Element Guides"), Some("elements"), ""),
        );
        add(
            "content/legacy.html",
            File::Text(
                "---\ntitle: Legacy\nlayout: page\n---\n<p>Moved: see <a href=\"/guides/\">the guides</a> and {{ site.title }}.</p>\n"
                    .into(),
            ),
        );
        add("content/img/logo.svg", File::Text(LOGO.into()));
        add("static/site.css", File::Text("body { margin: 0 }\n".into()));
        add(
            "static/downloads/postman.json",
            File::Text("{\"info\": {}}\n".into()),
        );
        add(
            "includes/note.html",
            File::Text(NOTE_INCLUDES[0].to_string()),
        );
        add(
            "includes/common-instance-config.md",
            File::Text(COMMON_CONFIG[0].to_string()),
        );
        add("includes/warning.html", File::Text(WARNING_INCLUDE.into()));
        add("data/glossary.yml", File::Text(GLOSSARY[0].to_string()));
        add(
            "data/elements.yml",
            File::Text("- name: Zendesk\n- name: Box\n".into()),
        );
        add("templates/faq.html", File::Text(FAQ_LAYOUT[0].to_string()));
        add(
            "content/elements/zendesk/includes/fields.md",
            File::Text("| field | type |\n|---|---|\n| `subdomain` | text |\n".into()),
        );
        for (i, (key, heading, id)) in ELEMENTS.iter().enumerate() {
            let mut overview = guide(
                key,
                heading,
                id,
                "Overview",
                1,
                format!("# {heading}\n\nThe {heading} element.\n"),
            );
            if i == 0
                && let File::Page { front, .. } = &mut overview
            {
                front.logo = Some("/img/logo.svg".into());
            }
            add(&format!("content/elements/{key}/index.md"), overview);
            for (n, topic) in TOPICS.iter().skip(i).take(3 - i).enumerate() {
                let title = TITLES[(i + n + 1) % TITLES.len()];
                add(
                    &format!("content/elements/{key}/{key}-{topic}.md"),
                    guide(key, heading, id, title, 10 * (n as i64 + 1), String::new()),
                );
            }
        }
        add(
            "content/guides/index.md",
            plain(
                Some("Guides"),
                None,
                "Start [here](getting-started.html).\n",
            ),
        );
        add(
            "content/guides/getting-started.md",
            plain(None, None, "# Getting Started\n"),
        );
        add(
            "content/guides/faq.md",
            plain(Some("FAQ"), Some("faq"), "## Polling\n"),
        );
        add(
            "content/guides/advanced/index.md",
            plain(Some("Advanced"), None, "Deeper.\n"),
        );
        add(
            "content/guides/advanced/webhooks.md",
            plain(None, None, "# Webhooks\n"),
        );
        if let Some(File::Page { front, .. }) = tree
            .files
            .get_mut("content/elements/zendesk/zendesk-events.md")
        {
            front.redirect_from = vec!["/elements/zendesk/events".into()];
        }
        if let Some(File::Page { front, .. }) = tree
            .files
            .get_mut("content/elements/gotowebinar/gotowebinar-bulk.md")
        {
            front.draft = true;
        }
        // Real bodies, which link to the pages above.
        let pages = tree.pages();
        for rel in pages {
            if let Some(File::Page { body, .. }) = tree.files.get(&rel)
                && body.is_empty()
            {
                let new = tree.body(rng, &rel);
                if let Some(File::Page { body, .. }) = tree.files.get_mut(&rel) {
                    *body = new;
                }
            }
        }
        tree
    }

    fn write_all(&self, site: TestSite) -> TestSite {
        let mut site = site.file("docgen.toml", &self.config.text());
        for (rel, file) in &self.files {
            site = site.file(rel, &file.text());
        }
        site
    }

    /// The Markdown pages (includes' partials apart), sorted.
    fn pages(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|(rel, f)| matches!(f, File::Page { .. }) && !rel.contains("/includes/"))
            .map(|(rel, _)| rel.clone())
            .collect()
    }

    fn titles(&self) -> Vec<String> {
        self.files
            .values()
            .filter_map(|f| match f {
                File::Page { front, .. } => front.title.clone(),
                _ => None,
            })
            .collect()
    }

    /// A link to a page of the site, in one of the ways guides write them.
    fn link(&self, rng: &mut Rng, here: &str) -> String {
        let pages = self.pages();
        let target = rng.pick(&pages);
        let site_path = target
            .trim_start_matches("content/")
            .replace("index.md", "")
            .replace(".md", ".html");
        let anchor = match rng.chance(1, 3) {
            true => format!("#{}", slug(rng.pick(&HEADINGS))),
            false => String::new(),
        };
        let here_dir = here.rsplit_once('/').map_or("", |(d, _)| d);
        let target_dir = target.rsplit_once('/').map_or("", |(d, _)| d);
        let file = target.rsplit('/').next().unwrap().replace(".md", ".html");
        match rng.below(6) {
            0 if here_dir == target_dir => format!("[the guide]({file}{anchor})"),
            1 => format!("[see](@/{}{anchor})", target.trim_start_matches("content/")),
            2 => format!("<a href=\"/{site_path}{anchor}\">raw link</a>"),
            3 => {
                let titles = self.titles();
                format!("[[{}]]", rng.pick(&titles))
            }
            4 => format!("[sloppy](/{site_path}{anchor})"),
            _ => format!("[next](/{site_path}{anchor})"),
        }
    }

    /// A random body: headings, paragraphs, links of every kind, includes, data, raw HTML.
    fn body(&self, rng: &mut Rng, here: &str) -> String {
        let mut body = String::new();
        if rng.chance(1, 3) {
            let _ = write!(body, "# {}\n\n", rng.pick(&TITLES));
        }
        for _ in 0..1 + rng.below(5) {
            let block = match rng.below(14) {
                0 | 1 => format!("## {}", rng.pick(&HEADINGS)),
                2 => {
                    let words: Vec<&str> = (0..3 + rng.below(8)).map(|_| rng.pick(&WORDS)).collect();
                    words.join(" ") + "."
                }
                3 | 4 => format!("Read {} first.", self.link(rng, here)),
                5 => "See [the old page](zendesk-old.html) and [[No Such Page]].".into(),
                6 => "{% include note.html content=\"Mind the callback URL.\" %}".into(),
                7 => "{% include common-instance-config.md %}".into(),
                8 => "{% include warning.html content=\"Tokens expire after an hour.\" %}".into(),
                9 => "The element is a {{ site.data.glossary.element }}: {% for e in site.data.elements %}{{ e.name }} {% endfor %}".into(),
                10 => format!(
                    "<a name=\"{}\"></a>\n<div markdown=\"1\">**Note:** {} in {{{{ page.heading }}}}.</div>",
                    slug(rng.pick(&HEADINGS)),
                    rng.pick(&WORDS)
                ),
                11 => "```json\n{\"poll\": true, \"interval\": 5}\n```".into(),
                12 => "![Logo](/img/logo.svg)\n\n> **Tip:** download the [collection](/downloads/postman.json).".into(),
                // Only the Zendesk guides have the partial next to them (a page moved away
                // from it fails, as in Jekyll).
                _ if here.starts_with("content/elements/zendesk/") => {
                    "{% include_relative includes/fields.md %}".into()
                }
                _ => "Plain words.".into(),
            };
            body.push_str(&block);
            body.push_str("\n\n");
        }
        body
    }
}

/// One step: what changed, in words, and the files it touched.
struct Step {
    what: String,
    touched: Vec<String>,
}

impl Tree {
    fn page_front(&mut self, rel: &str) -> &mut Front {
        match self.files.get_mut(rel) {
            Some(File::Page { front, .. }) => front,
            _ => panic!("{rel} is no page"),
        }
    }

    /// Makes one random edit to the model; returns it with the files it touched.
    fn edit(&mut self, rng: &mut Rng) -> Step {
        let pages = self.pages();
        let page = rng.pick(&pages);
        let step = |what: String, touched: Vec<String>| Step { what, touched };
        match rng.below(20) {
            0..=3 => {
                let body = self.body(rng, &page);
                if let Some(File::Page { body: b, .. }) = self.files.get_mut(&page) {
                    *b = body;
                }
                step(format!("body of {page}"), vec![page])
            }
            4 => {
                let title = match rng.chance(1, 5) {
                    true => None,
                    false => Some(rng.pick(&TITLES).to_string()),
                };
                self.page_front(&page).title = title.clone();
                step(format!("title of {page}: {title:?}"), vec![page])
            }
            5 => {
                let order = match rng.chance(1, 6) {
                    true => None,
                    false => Some(rng.below(40) as i64),
                };
                self.page_front(&page).order = order;
                step(format!("order of {page}: {order:?}"), vec![page])
            }
            6 => {
                // An element renamed in every guide (one save each, one burst), or one guide
                // that disagrees.
                let heading = rng.pick(&["Zendesk", "Zendesk Support", "Box", "GoToWebinar"]);
                let dir = page.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                let touched: Vec<String> = match rng.chance(1, 2) {
                    true => pages
                        .iter()
                        .filter(|p| p.rsplit_once('/').map(|(d, _)| d) == Some(dir.as_str()))
                        .cloned()
                        .collect(),
                    false => vec![page.clone()],
                };
                for rel in &touched {
                    self.page_front(rel).heading = Some(heading.to_string());
                }
                step(format!("heading {heading:?} for {touched:?}"), touched)
            }
            7 => {
                let id = match rng.below(4) {
                    0 => None,
                    1 => Some("41".to_string()),
                    _ => Some(format!("{}", 100 + rng.below(3))),
                };
                self.page_front(&page).element_id = id.clone();
                step(format!("elementId of {page}: {id:?}"), vec![page])
            }
            8 => {
                let front = self.page_front(&page);
                front.draft = !front.draft;
                let draft = front.draft;
                step(format!("draft of {page}: {draft}"), vec![page])
            }
            9 => {
                let from = rng.pick(&[
                    "/old/events.html",
                    "/elements/zendesk/events",
                    "/elements/box/",
                    "/sitemap.xml",
                    "old/start.html",
                ]);
                let front = self.page_front(&page);
                if front.redirect_from.is_empty() || rng.chance(1, 2) {
                    front.redirect_from.push(from.to_string());
                } else {
                    front.redirect_from.clear();
                }
                let now = front.redirect_from.clone();
                step(format!("redirect_from of {page}: {now:?}"), vec![page])
            }
            10 => {
                let (rel, text) = match rng.below(4) {
                    0 => ("includes/note.html", rng.pick(&NOTE_INCLUDES)),
                    1 => (
                        "includes/common-instance-config.md",
                        rng.pick(&COMMON_CONFIG),
                    ),
                    2 => (
                        "content/elements/zendesk/includes/fields.md",
                        "| field | type |\n|---|---|\n| `token` | secret |\n",
                    ),
                    _ => (
                        "includes/warning.html",
                        "<p class=\"warn\">{{ include.content }}</p>\n",
                    ),
                };
                self.toggle_or_set(rng, rel, text)
            }
            11 => {
                let (rel, text) = match rng.below(3) {
                    0 | 1 => ("data/glossary.yml", rng.pick(&GLOSSARY)),
                    _ => (
                        "data/elements.yml",
                        "- name: Zendesk\n- name: GoToWebinar\n- name: Box\n",
                    ),
                };
                self.toggle_or_set(rng, rel, text)
            }
            12 => {
                let (rel, text) = match rng.below(3) {
                    0 | 1 => ("templates/faq.html", rng.pick(&FAQ_LAYOUT)),
                    _ => ("templates/404.html", rng.pick(&NOT_FOUND_LAYOUT)),
                };
                self.toggle_or_set(rng, rel, text)
            }
            13 => {
                let c = &mut self.config;
                let what = match rng.below(7) {
                    0 => {
                        c.search = !c.search;
                        format!("search = {}", c.search)
                    }
                    1 => {
                        c.base_url = match c.base_url {
                            Some(_) => None,
                            None => Some(rng.pick(&[
                                "https://docs.example.com",
                                "https://docs.example.com/v2",
                            ])),
                        };
                        format!("base_url = {:?}", c.base_url)
                    }
                    2 => {
                        c.broken_links_warn = !c.broken_links_warn;
                        format!("broken_links warn = {}", c.broken_links_warn)
                    }
                    3 => {
                        c.console = rng.pick(&["Cloud Elements", "SAP Open Connectors"]);
                        format!("console = {}", c.console)
                    }
                    4 => {
                        c.title = rng.pick(&["Cloud Elements Docs", "Element Guides"]);
                        format!("title = {}", c.title)
                    }
                    5 => {
                        c.undefined_warn = !c.undefined_warn;
                        format!("undefined_variables warn = {}", c.undefined_warn)
                    }
                    _ => {
                        c.nav = !c.nav;
                        format!("[[nav]] = {}", c.nav)
                    }
                };
                step(format!("docgen.toml: {what}"), vec!["docgen.toml".into()])
            }
            14 | 15 => self.add(rng),
            16 => {
                // A page, an image or a static file goes.
                let candidates: Vec<String> = self
                    .files
                    .keys()
                    .filter(|r| r.starts_with("content/") || r.starts_with("static/"))
                    .cloned()
                    .collect();
                let rel = rng.pick(&candidates);
                self.files.remove(&rel);
                step(format!("remove {rel}"), vec![rel])
            }
            17 | 18 => {
                // A page renamed in its folder, or moved to another (an editor's rename).
                let dirs = self.dirs();
                let dir = match rng.chance(1, 2) {
                    true => page.rsplit_once('/').unwrap().0.to_string(),
                    false => rng.pick(&dirs),
                };
                let to = format!("{dir}/{}.md", rng.pick(&TOPICS));
                if self.files.contains_key(&to) {
                    return step(format!("rename {page} onto {to}: skipped"), Vec::new());
                }
                let file = self.files.remove(&page).unwrap();
                self.files.insert(to.clone(), file);
                step(format!("rename {page} → {to}"), vec![page, to])
            }
            _ => self.move_folder(rng),
        }
    }

    /// Undoes what makes a build fail in this fixture — invalid data, a failing layout, strict
    /// undefined variables or broken links, a partial included from a folder without it, a
    /// `[[nav]]` entry for a folder without an index, a removed include, layout or logo — so a
    /// run does not stay in a tree `build` refuses to write (whose output cannot be compared).
    fn repair(&mut self) -> Step {
        let mut touched = vec!["docgen.toml".to_string()];
        self.config.broken_links_warn = true;
        self.config.undefined_warn = true;
        for (rel, good) in [
            ("data/glossary.yml", GLOSSARY[0]),
            ("templates/faq.html", FAQ_LAYOUT[0]),
            ("templates/404.html", NOT_FOUND_LAYOUT[0]),
        ] {
            if let Some(File::Text(text)) = self.files.get_mut(rel)
                && text != good
            {
                *text = good.to_string();
                touched.push(rel.to_string());
            }
        }
        // Includes, the FAQ layout and the logo the pages use, back when an edit removed them.
        for (rel, good) in [
            ("includes/note.html", NOTE_INCLUDES[0]),
            ("includes/common-instance-config.md", COMMON_CONFIG[0]),
            ("includes/warning.html", WARNING_INCLUDE),
            ("templates/faq.html", FAQ_LAYOUT[0]),
            ("content/img/logo.svg", LOGO),
        ] {
            if !self.files.contains_key(rel) {
                self.files
                    .insert(rel.to_string(), File::Text(good.to_string()));
                touched.push(rel.to_string());
            }
        }
        // A `[[nav]]` entry for `/guides/` is broken once that folder has no index page.
        if self.config.nav && !self.files.contains_key("content/guides/index.md") {
            self.config.nav = false;
        }
        // A partial included from a folder that does not have it (the page or the partial
        // moved or went).
        let partials: Vec<String> = self
            .files
            .keys()
            .filter(|rel| rel.ends_with("/includes/fields.md"))
            .cloned()
            .collect();
        for (rel, file) in &mut self.files {
            let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
            let has_partial = partials.contains(&format!("{folder}/includes/fields.md"));
            if let File::Page { body, .. } = file
                && !has_partial
                && body.contains("include_relative")
            {
                *body = body.replace("{% include_relative includes/fields.md %}", "Plain words.");
                touched.push(rel.clone());
            }
        }
        Step {
            what: format!("repair {touched:?}"),
            touched,
        }
    }

    /// Writes `text` to `rel`, or removes `rel` (a site's own include or template going, so the
    /// built-in one comes back) one time in four.
    fn toggle_or_set(&mut self, rng: &mut Rng, rel: &str, text: &str) -> Step {
        let what = if self.files.contains_key(rel) && rng.chance(1, 4) {
            self.files.remove(rel);
            format!("remove {rel}")
        } else {
            self.files
                .insert(rel.to_string(), File::Text(text.to_string()));
            format!("{rel} = {:?}", text.lines().next().unwrap_or(""))
        };
        Step {
            what,
            touched: vec![rel.to_string()],
        }
    }

    /// The folders below content/ that hold pages.
    fn dirs(&self) -> Vec<String> {
        let mut dirs: Vec<String> = self
            .pages()
            .iter()
            .map(|p| p.rsplit_once('/').unwrap().0.to_string())
            .collect();
        dirs.dedup();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    fn add(&mut self, rng: &mut Rng) -> Step {
        let rel = match rng.below(5) {
            0 => format!("content/img/diagram-{}.svg", rng.below(3)),
            1 => format!("static/files/readme-{}.txt", rng.below(3)),
            _ => {
                let dirs = self.dirs();
                let dir = rng.pick(&dirs);
                format!("{dir}/{}.md", rng.pick(&TOPICS))
            }
        };
        let file = if rel.ends_with(".md") {
            let key = rel.split('/').nth(2).unwrap_or("");
            let element = ELEMENTS.iter().find(|(k, _, _)| *k == key);
            let body = self.body(rng, &rel);
            match element {
                Some((key, heading, id)) if rel.starts_with("content/elements/") => guide(
                    key,
                    heading,
                    id,
                    rng.pick(&TITLES),
                    rng.below(40) as i64,
                    body,
                ),
                _ => plain(Some(rng.pick(&TITLES)), None, &body),
            }
        } else if rel.ends_with(".svg") {
            File::Text(LOGO.replace("64", &format!("{}", 10 + rng.below(90))))
        } else {
            File::Text(format!("read me {}\n", rng.below(100)))
        };
        let what = match self.files.contains_key(&rel) {
            true => format!("rewrite {rel}"),
            false => format!("add {rel}"),
        };
        self.files.insert(rel.clone(), file);
        Step {
            what,
            touched: vec![rel],
        }
    }

    /// An element or section folder renamed (`mv content/elements/box content/elements/dropbox`):
    /// every file below it leaves its path and arrives at the new one.
    fn move_folder(&mut self, rng: &mut Rng) -> Step {
        let folders = [
            "content/elements/zendesk",
            "content/elements/gotowebinar",
            "content/elements/box",
            "content/elements/dropbox",
            "content/guides/advanced",
            "content/guides/deep",
        ];
        let from = rng.pick(&folders);
        let to = rng.pick(&folders);
        let below: Vec<String> = self
            .files
            .keys()
            .filter(|r| r.starts_with(&format!("{from}/")))
            .cloned()
            .collect();
        let taken = self.files.keys().any(|r| r.starts_with(&format!("{to}/")));
        if from == to || below.is_empty() || taken {
            return Step {
                what: format!("move {from} → {to}: skipped"),
                touched: Vec::new(),
            };
        }
        let mut touched = Vec::new();
        for old in below {
            let new = format!("{to}{}", &old[from.len()..]);
            let file = self.files.remove(&old).unwrap();
            self.files.insert(new.clone(), file);
            touched.push(old);
            touched.push(new);
        }
        Step {
            what: format!("move {from} → {to}"),
            touched,
        }
    }

    /// Mirrors the model's `touched` files on disk (written, or removed when the model has
    /// none).
    fn sync(&self, root: &std::path::Path, touched: &[String]) {
        for rel in touched {
            if rel == "docgen.toml" {
                write_file(root, rel, &self.config.text());
                continue;
            }
            match self.files.get(rel) {
                Some(file) => write_file(root, rel, &file.text()),
                None => {
                    let path = root.join(rel);
                    if path.exists() {
                        std::fs::remove_file(&path).unwrap();
                    }
                }
            }
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
        Err(_) => default,
    }
}

/// The outcome of one seed's run.
struct Run {
    steps: usize,
    compared_output: usize,
    /// The report of the first drift, with everything needed to reproduce it.
    failure: Option<String>,
}

fn run_seed(seed: u64, steps: usize) -> Run {
    let mut rng = Rng::new(seed);
    let mut tree = Tree::new(&mut rng);
    let site = tree.write_all(TestSite::new());
    let (mut live, _) = Live::open(site);
    let mut history: Vec<String> = Vec::new();
    let mut run = Run {
        steps: 0,
        compared_output: 0,
        failure: None,
    };
    let report = |history: &[String], step: usize, problem: &str| {
        let mut text = format!(
            "drift with DOCGEN_DRIFT_SEED={seed} at step {step} (rerun: DOCGEN_DRIFT_SEED={seed} \
             DOCGEN_DRIFT_STEPS={step} cargo test --test drift)\nedits so far:\n"
        );
        for (i, what) in history.iter().enumerate() {
            let _ = writeln!(text, "  {:>3}. {what}", i + 1);
        }
        text.push_str(problem);
        text
    };
    // Steps in a row whose tree `build` refused to write.
    let mut failing_steps = 0;
    for step in 1..=steps {
        // Now and then several edits land in one burst, as a `git checkout` gives them.
        let burst = if rng.chance(1, 6) {
            2 + rng.below(3)
        } else {
            1
        };
        let mut touched = Vec::new();
        let mut what = Vec::new();
        for _ in 0..burst {
            let edit = match failing_steps >= 3 {
                true => tree.repair(),
                false => tree.edit(&mut rng),
            };
            tree.sync(live.root(), &edit.touched);
            touched.extend(edit.touched);
            what.push(edit.what);
        }
        history.push(what.join("; "));
        touched.sort();
        touched.dedup();
        if touched.is_empty() {
            continue;
        }
        let changes: Vec<Change> = touched.iter().map(|rel| live.change_for(rel)).collect();
        let applied = catch_unwind(AssertUnwindSafe(|| live.apply(&changes)));
        run.steps = step;
        if let Err(panic) = applied {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            run.failure = Some(report(
                &history,
                step,
                &format!("the rebuild panicked: {message}"),
            ));
            return run;
        }
        let comparison = live.compare_with_build();
        if std::env::var_os("DOCGEN_DRIFT_VERBOSE").is_some() {
            let errors: Vec<String> = live
                .diagnostics()
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.headline())
                .collect();
            eprintln!(
                "seed {seed} step {step}: {} | errors: {errors:#?}",
                history.last().unwrap()
            );
        }
        run.compared_output += usize::from(comparison.output_compared);
        failing_steps = match comparison.output_compared {
            true => 0,
            false => failing_steps + 1,
        };
        if let Some(drift) = comparison.drift {
            run.failure = Some(report(&history, step, &drift));
            return run;
        }
    }
    run
}

#[test]
fn random_edits_never_make_the_session_drift_from_build() {
    let first = env_number("DOCGEN_DRIFT_SEED", 12);
    let seeds = env_number("DOCGEN_DRIFT_SEEDS", 2);
    let steps = env_number("DOCGEN_DRIFT_STEPS", 24) as usize;
    let keep_going = std::env::var_os("DOCGEN_DRIFT_KEEP_GOING").is_some();
    let mut failures = Vec::new();
    let (mut total, mut compared) = (0, 0);
    for seed in first..first + seeds {
        let run = run_seed(seed, steps);
        total += run.steps;
        compared += run.compared_output;
        if let Some(failure) = run.failure {
            if !keep_going {
                panic!("{failure}");
            }
            eprintln!("{failure}\n");
            failures.push(failure);
        } else if keep_going {
            eprintln!("seed {seed}: {} steps, no drift", run.steps);
        }
    }
    eprintln!(
        "drift: {seeds} seeds from {first}, {total} steps, output compared after {compared}, \
         {} failing",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A tree with errors is compared by its diagnostics only: most steps must still build, or
    // the test would quietly stop comparing output (seeds 100-129 compare about 4 in 5).
    assert!(
        compared * 3 >= total * 2,
        "output compared after only {compared} of {total} steps"
    );
}
