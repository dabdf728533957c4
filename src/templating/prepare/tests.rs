//! Table tests of preparing files for Liquid and reading markers back.

use super::*;
use crate::templating::markers::*;

/// `source` (at byte `base` of its file) prepared, with the markers put back and shown as
/// `‹slot:index›`, `‹begin n›` and `‹end›`.
fn shown(source: &str, base: usize, slot: u32) -> String {
    let prepared = prepare(source, base, slot, &[]);
    let (clean, markers) = unmark(&prepared.text, |_, index| {
        let piece = prepared.pieces.get(index as usize)?;
        source.get(piece.src - base..piece.src - base + piece.len)
    });
    let mut out = String::new();
    let mut copied = 0;
    for (at, marker) in markers {
        out.push_str(&clean[copied..at]);
        out.push_str(&match marker {
            Marker::Piece { slot, index } => format!("‹{slot}:{index}›"),
            Marker::Begin { instance } => format!("‹begin {instance}›"),
            Marker::End => "‹end›".into(),
        });
        copied = at;
    }
    out.push_str(&clean[copied..]);
    out
}

#[test]
fn plain_text_gets_one_marker_between_two_tags() {
    let p = prepare("a {{ x }} b\nc\n", 10, 3, &[]);
    assert_eq!(
        shown("a {{ x }} b\nc\n", 10, 3),
        "‹3:0›a {% __docgen_output 12 15  x  %}‹3:1› b\nc\n"
    );
    assert_eq!(
        p.text.chars().count(),
        2 + 31 + 2,
        "Liquid sees the tag and markers, not the lines between"
    );
    // Every prepared byte maps back to where it was written.
    assert_eq!(p.source_offset(0), Some(10));
    let x = p.text.find(" x ").unwrap();
    assert_eq!(p.source_offset(x + 1), Some(15));
    assert_eq!(p.source_offset(p.text.find("%}").unwrap()), Some(17));
    assert_eq!(
        p.pieces,
        [Piece { src: 10, len: 2 }, Piece { src: 19, len: 5 }]
    );
}

#[test]
fn nothing_is_marked_inside_tags_comments_captures_or_trimmed_space() {
    // (source, prepared with markers shown)
    let cases = [
        (
            "{% if a == \"x %}\" %}y{% endif %}",
            "{% if a == \"x %}\" %}‹0:0›y{% endif %}",
        ),
        (
            "{% comment %}\nhidden {{ x }}\n{% endcomment %}z",
            "{% comment %}\nhidden {{ x }}\n{% endcomment %}‹0:0›z",
        ),
        (
            "{% capture c %}one\ntwo{% endcapture %}{{ c }}",
            "{% capture c %}one\ntwo{% endcapture %}{% __docgen_output 38 41  c  %}",
        ),
        (
            "{% capture c %}{% include a/b.md %}{% endcapture %}.",
            "{% capture c %}{% include \"a/b.md\" 15 %}{% endcapture %}‹0:0›.",
        ),
        (
            "a  \n {%- if x -%}\n  b",
            "‹0:0›a  \n {%- if x -%}\n  ‹0:1›b",
        ),
        (
            "{% raw %}{{ kept }}\n{% endraw %}",
            "{% raw %}‹0:0›{{ kept }}\n{% endraw %}",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(shown(source, 0, 0), expected, "{source:?}");
    }
}

#[test]
fn include_tags_get_a_quoted_name_and_their_offset() {
    let cases = [
        (
            "{% include note.html content=\"Hi\" %}",
            "{% include \"note.html\" 0 content=__docgen_literal_0 %}",
        ),
        (
            "{%- include_relative includes/{{ page.key }}-postman.html -%}",
            "{%- include_relative \"includes/{{ page.key }}-postman.html\" 0 -%}",
        ),
        ("{% include 'a b.html' %}", "{% include 'a b.html' 0 %}"),
        ("{% include x.md%}", "{% include \"x.md\" 0%}"),
    ];
    for (source, expected) in cases {
        assert_eq!(prepare(source, 0, 0, &[]).text, expected, "{source:?}");
    }
    assert!(
        prepare("ab\n{% include n.html %}", 100, 0, &[])
            .text
            .contains("\"n.html\" 103 ")
    );
}

#[test]
fn quoted_parameters_and_declared_tags_become_literals() {
    let tags = ["icon".to_string()];
    // (source, prepared, literals)
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            r#"{% include note.html content="Set the \"type\" field" %}"#,
            r#"{% include "note.html" 0 content=__docgen_literal_0 %}"#,
            &[r#"Set the "type" field"#],
        ),
        (
            r#"{% include n.html a='it\'s' b="plain" c=page.x %}"#,
            r#"{% include "n.html" 0 a=__docgen_literal_0 b=__docgen_literal_1 c=page.x %}"#,
            &["it's", "plain"],
        ),
        (
            "{% icon fa-check-square-o %}",
            "{% icon __docgen_literal_0 0 %}",
            &["fa-check-square-o"],
        ),
        (
            "{%- icon  https://x.example.com/a?b=1 -%}",
            "{%- icon __docgen_literal_0 0 -%}",
            &["https://x.example.com/a?b=1"],
        ),
        (
            "[Box]({% link elements/box/index.md %})",
            "‹0:0›[Box]({% link \"elements/box/index.md\" 6  1 %}‹0:1›)",
            &[],
        ),
    ];
    for (source, expected, literals) in cases {
        let prepared = prepare(source, 0, 0, &tags);
        let shown = if source.starts_with('[') {
            shown(source, 0, 0)
        } else {
            prepared.text.clone()
        };
        assert_eq!(shown, expected, "{source:?}");
        assert_eq!(prepared.literals, literals, "{source:?}");
    }
}

#[test]
fn highlight_blocks_become_fences() {
    let source = "{% highlight json linenos %}\n{\"a\": \"```\"}\n{% endhighlight %}\n";
    assert_eq!(
        shown(source, 0, 0),
        "````json linenos\n‹0:0›{\"a\": \"```\"}\n````‹0:1›\n"
    );
}

#[test]
fn unmark_keeps_text_that_only_looks_like_markers() {
    let text = format!(
        "flag \u{E0067} and {}",
        char::from_u32(NUMBER_BASE + 1).unwrap()
    );
    let (clean, markers) = unmark(&text, |_, _| Some(""));
    assert_eq!(clean, text);
    assert!(markers.is_empty());
    let mut with_begin = String::from("x");
    assert!(begin_marker(&mut with_begin, 2));
    with_begin.push('y');
    with_begin.push(end_marker());
    assert_eq!(
        unmark(&with_begin, |_, _| None),
        (
            "xy".to_string(),
            vec![(1, Marker::Begin { instance: 2 }), (2, Marker::End)]
        )
    );
}

#[test]
fn files_holding_marker_characters_get_no_markers() {
    let source = format!("a{}b {{{{ x }}}}", char::from_u32(NUMBER_BASE).unwrap());
    let p = prepare(&source, 0, 0, &[]);
    assert!(p.pieces.is_empty());
    assert_eq!(
        p.text,
        format!(
            "a{}b {{% __docgen_output 7 10  x  %}}",
            char::from_u32(NUMBER_BASE).unwrap()
        )
    );
}
