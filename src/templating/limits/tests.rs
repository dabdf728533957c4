//! Tests of the limits: the scan, value sizes, caught panics.

use liquid_core::Value;

use super::scan::ScanError;
use super::*;

fn language() -> Language {
    let config = crate::config::Config::parse(
        std::path::Path::new("/site"),
        "",
        &crate::config::Overrides::default(),
    )
    .unwrap();
    super::super::dialect::dialect(&config).language
}

#[test]
fn scan_finds_tags_in_parse_order_and_skips_raw() {
    let source =
        "a {% if x %}{{ y }}{% raw %}{% for %}{% endraw %}{% endif %}{% assign z = 1 %}{% else %}";
    let tags = scan(source, &language()).unwrap();
    assert_eq!(
        tags,
        [
            source.find("{% if").unwrap(),
            source.find("{% raw").unwrap(),
            source.find("{% assign").unwrap()
        ]
    );
}

#[test]
fn scan_refuses_what_liquid_would_recurse_on() {
    let language = language();
    // (source, offset of the error, message)
    let deep_if = "{% if a %}".repeat(MAX_DEPTH + 1);
    let deep_index = format!("{{{{ a{}0{} }}}}", "[a".repeat(101), "]".repeat(101));
    let long_condition = format!("{{% if a{} %}}x{{% endif %}}", " or a".repeat(101));
    let cases = [
        (
            deep_if.as_str(),
            10 * MAX_DEPTH,
            "`{% if %}` nests too deep: blocks may nest at most 100 deep",
        ),
        (
            deep_index.as_str(),
            0,
            "`[…]` indexes nest more than 100 deep",
        ),
        (
            long_condition.as_str(),
            0,
            "`{% if %}` chains more than 100 `and`/`or` conditions",
        ),
        (
            "{% comment %}{% if x %}",
            13,
            "`{% if %}` inside `{% comment %}` is never closed: add `{% endif %}` (Liquid reads the tags in a comment)",
        ),
        (
            "{% comment %}a{% for x in y %}b{% endcomment %}",
            14,
            "`{% for %}` inside `{% comment %}` is never closed: add `{% endfor %}` (Liquid reads the tags in a comment)",
        ),
    ];
    for (source, at, message) in cases {
        assert_eq!(
            scan(source, &language),
            Err(ScanError {
                at,
                message: message.to_string()
            }),
            "{source}"
        );
    }
    let fine = format!(
        "{}{}{{% if a and \"b or c\" and d %}}{{% endif %}}{{% comment %}}{{% if x %}}{{% endif %}}{{% endcomment %}}",
        "{% for x in y %}".repeat(MAX_DEPTH - 1),
        "{% endfor %}".repeat(MAX_DEPTH - 1)
    );
    assert!(scan(&fine, &language).is_ok());
}

#[test]
fn sizes_count_strings_and_items() {
    assert_eq!(size(&Value::scalar("abcd"), 1000), 20);
    let array = Value::Array(vec![Value::scalar("ab"), Value::scalar(1)]);
    assert_eq!(size(&array, 1000), 16 + 18 + 17);
    assert!(size(&array, 20) >= 20, "counting stops at the cap");
}

#[test]
fn panics_become_errors_and_stay_quiet() {
    assert_eq!(catch(|| 1), Ok(1));
    let message = catch(|| -> u32 { panic!("boom") }).unwrap_err();
    assert!(message.starts_with("boom at "), "{message}");
}

#[test]
fn unknown_filters_are_found_in_every_tag_outside_strings_raw_and_comments() {
    let source = "{{ 'a|b' | upcase | t }}{% assign x = \"|q\" | nope %}{% raw %}{{ x | raw_one }}{% endraw %}\
                  {% comment %}{{ x | commented }}{% endcomment %}{{ x |  spaced-name }}{{ x | }}";
    let found: Vec<&str> = unknown_filters(source, &language())
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(found, ["t", "nope", "spaced-name"]);
}

#[test]
fn a_filter_name_is_found_where_it_is_written_not_in_a_string_before_it() {
    assert_eq!(
        filter_names(r#"{{ "b | t" |  t | append: 'x|y' }}"#),
        [(14, "t"), (18, "append")]
    );
}
