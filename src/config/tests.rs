//! Table tests of reading `docgen.toml`, failure cases included.

use super::*;

fn parse(text: &str) -> std::result::Result<Config, Diagnostic> {
    Config::parse(Path::new("/site"), text, &Overrides::default())
}

#[test]
fn base_url_path_becomes_the_url_prefix() {
    let c = parse("base_url = \"https://docs.example.com/docs/\"").unwrap();
    assert_eq!(c.base_url.as_deref(), Some("https://docs.example.com/docs"));
    assert_eq!(c.base_path, "/docs");
    assert_eq!(
        c.absolute_url("/a/b.html").as_deref(),
        Some("https://docs.example.com/docs/a/b.html")
    );
    let c = parse("base_url = \"http://localhost:1111\"").unwrap();
    assert_eq!(c.base_path, "");
    assert_eq!(
        c.absolute_url("/").as_deref(),
        Some("http://localhost:1111/")
    );
}

#[test]
fn command_line_base_url_wins() {
    let overrides = Overrides {
        base_url: Some("https://preview.example.com/pr-7/".into()),
        drafts: false,
    };
    let c = Config::parse(
        Path::new("/s"),
        "base_url = \"https://example.com\"",
        &overrides,
    )
    .unwrap();
    assert_eq!(c.base_path, "/pr-7");
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let d = parse("title = \"x\"\nbroken_link = \"warn\"\n").unwrap_err();
    assert_eq!(d.line, 2);
    assert!(
        d.message.contains("unknown field `broken_link`"),
        "{}",
        d.message
    );
}

#[test]
fn unknown_keys_get_a_suggestion_like_front_matter() {
    let d = parse("titel = \"x\"\n").unwrap_err();
    assert_eq!(d.suggestion.as_deref(), Some("title"));
    assert_eq!(d.line, 1);
    let d = parse("[external_links]\nskips = []\n").unwrap_err();
    assert_eq!(d.suggestion.as_deref(), Some("skip"));
    let d = parse("colour_scheme = \"dark\"\n").unwrap_err();
    assert_eq!(d.suggestion, None);
    assert_eq!(
        unknown_field("unknown field `titel`, expected one of `title`, `theme`"),
        Some(("titel", vec!["title", "theme"]))
    );
    assert_eq!(
        unknown_field("unknown field `x`, expected `skip`"),
        Some(("x", vec!["skip"]))
    );
    assert_eq!(unknown_field("invalid type: integer"), None);
}

#[test]
fn extra_keeps_any_value() {
    let c = parse("[extra]\nconsole = \"Cloud Elements\"\nn = 3\n").unwrap();
    assert_eq!(c.extra["console"], "Cloud Elements");
    assert_eq!(c.extra["n"], 3);
}

#[test]
fn bad_base_urls_are_rejected() {
    for bad in ["docs.example.com", "/docs", "https://", "https://h/x?y=1"] {
        let d = parse(&format!("base_url = \"{bad}\"")).unwrap_err();
        assert_eq!(d.line, 1, "{bad}");
    }
}

#[test]
fn external_links_can_be_skipped_by_prefix() {
    assert!(parse("").unwrap().external_skip.is_empty());
    let c = parse("[external_links]\nskip = [\"https://internal.example.com/\"]\n").unwrap();
    assert_eq!(c.external_skip, ["https://internal.example.com/"]);
    let d = parse("[external_links]\nskips = []\n").unwrap_err();
    assert!(d.message.contains("unknown field `skips`"), "{}", d.message);
}

#[test]
fn templating_is_on_unless_turned_off() {
    assert!(parse("").unwrap().templating);
    assert!(!parse("templating = false").unwrap().templating);
    assert!(parse("").unwrap().search);
    assert!(!parse("search = false").unwrap().search);
    assert!(parse("templating = \"no\"").is_err());
}

#[test]
fn toml_data_reads_as_json_or_fails_at_its_line() {
    let json = toml_data("data/e.toml", "[box]\nid = 22\n").unwrap();
    assert_eq!(json["box"]["id"], 22);
    let d = toml_data("data/e.toml", "a = 1\nb = \n").unwrap_err();
    assert_eq!((d.file.as_str(), d.line), ("data/e.toml", 2));
    assert!(d.message.starts_with("invalid TOML"), "{}", d.message);
}

#[test]
fn undefined_variables_are_errors_unless_lenient() {
    assert_eq!(parse("").unwrap().undefined_variables, Severity::Error);
    assert_eq!(
        parse("undefined_variables = \"warn\"")
            .unwrap()
            .undefined_variables,
        Severity::Warning
    );
    assert!(parse("undefined_variables = \"ignore\"").is_err());
}

#[test]
fn include_tags_are_checked() {
    let c = parse("[include_tags]\nicon = \"icon.html\"\nyoutube = \"media/yt.html\"\n").unwrap();
    assert_eq!(
        c.include_tags,
        [
            ("icon".to_string(), "icon.html".to_string()),
            ("youtube".to_string(), "media/yt.html".to_string())
        ]
    );
    let d = parse("[include_tags]\n\"a b\" = \"x.html\"\n").unwrap_err();
    assert!(
        d.message
            .starts_with("[include_tags] `a b` is not a tag name"),
        "{}",
        d.message
    );
    assert_eq!(d.line, 0);
    // Built-in names and files outside includes/ are templating's to refuse
    // (`templating::check_declared_tags`), placed here by `error_at_key`.
    let c = parse("title = \"T\"\n[include_tags]\nif = \"x.html\"\n").unwrap();
    let d = c.error_at_key("if", "no".to_string());
    assert_eq!((d.file.as_str(), d.line, d.column), ("docgen.toml", 3, 1));
    assert_eq!(d.snippet.unwrap().quote().text, "if = \"x.html\"");
}

#[test]
fn broken_links_can_be_downgraded() {
    assert_eq!(parse("").unwrap().broken_links, Severity::Error);
    assert_eq!(
        parse("broken_links = \"warn\"").unwrap().broken_links,
        Severity::Warning
    );
    assert!(parse("broken_links = \"ignore\"").is_err());
}
