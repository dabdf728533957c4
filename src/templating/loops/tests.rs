//! Tests of loops, assignments and captures: Liquid's behaviour, and the page's limits.

use crate::config::{Config, Overrides};

fn render(text: &str) -> Result<String, String> {
    let config = Config::parse(std::path::Path::new("/site"), "", &Overrides::default()).unwrap();
    let vars = serde_json::json!({"list": ["a", "b", "c", "d"], "map": {"x": 1, "y": 2}, "n": 3});
    super::super::render_text(&config, "t.md", text, &vars).map_err(|d| d.headline())
}

#[test]
fn loops_behave_as_in_liquid() {
    // (template, output)
    let cases = [
        ("{% for x in list %}{{ x }}{% endfor %}", "abcd"),
        (
            "{% for x in list limit:2 offset:1 %}{{ x }}{% endfor %}",
            "bc",
        ),
        (
            "{% for x in list limit:9 offset:3 %}{{ x }}{% endfor %}",
            "d",
        ),
        ("{% for x in list reversed %}{{ x }}{% endfor %}", "dcba"),
        ("{% for i in (1..n) %}{{ i }}{% endfor %}", "123"),
        (
            "{% for i in (3..1) %}{{ i }}{% else %}none{% endfor %}",
            "none",
        ),
        (
            "{% for x in nil %}{{ x }}{% else %}empty{% endfor %}",
            "empty",
        ),
        (
            "{% for x in list %}{{ forloop.index }}/{{ forloop.rindex0 }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %} {% endfor %}",
            "1/3F 2/2 3/1 4/0L ",
        ),
        (
            "{% for x in list %}{% if x == \"b\" %}{% continue %}{% endif %}{% if x == \"d\" %}{% break %}{% endif %}{{ x }}{% endfor %}",
            "ac",
        ),
        (
            "{% for i in (1..2) %}{% for j in (1..2) %}{{ forloop.parentloop.index }}{{ j }} {% endfor %}{% endfor %}",
            "11 12 21 22 ",
        ),
        (
            "{% for pair in map %}{{ pair[0] }}={{ pair[1] }};{% endfor %}",
            "x=1;y=2;",
        ),
        (
            "{% tablerow x in list cols:3 %}{{ x }}{% endtablerow %}",
            "<tr class=\"row1\"><td class=\"col1\">a</td><td class=\"col2\">b</td><td class=\"col3\">c</td></tr><tr class=\"row2\"><td class=\"col1\">d</td></tr>",
        ),
        (
            "{% tablerow x in list cols:0 limit:1 %}{{ x }}{% endtablerow %}",
            "<tr class=\"row1\"><td class=\"col1\">a</td></tr>",
        ),
        (
            "{% capture c %}{{ n }}-{{ n }}{% endcapture %}{{ c }}",
            "3-3",
        ),
        ("{% assign s = \"ab\" | append: \"c\" %}{{ s }}", "abc"),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template).as_deref(), Ok(expected), "{template}");
    }
}

#[test]
fn loops_and_values_stop_at_the_page_limits() {
    // (template, headline)
    let cases = [
        (
            "a\n{% for i in (1..9999999999999) %}{% endfor %}",
            "t.md:2:1: `{% for %}` over (1..9999999999999) would run 9999999999999 times: a page may run at most 1000000 loop iterations in all",
        ),
        (
            "{% for i in (1..1000) %}\n{% for j in (1..1000) %}{% for k in (1..2) %}{% endfor %}{% endfor %}{% endfor %}",
            "t.md:2:1: `{% for %}` stopped: a page may run at most 1000000 loop iterations in all",
        ),
        (
            "{% assign s = \"abcdefgh\" %}{% for i in (1..30) %}\n{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}",
            "t.md:2:23: templating produces more than 50 MB of text here (in `{{ … }}`): a page may produce at most that much (output, captures, assignments and filter results together)",
        ),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template).unwrap_err(), expected, "{template}");
    }
}
