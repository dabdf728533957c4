//! Parse stage, content templating: finding Liquid's tags in a file's text as Liquid's tokenizer
//! does (quoted strings skipped), without parsing them; used to prepare, scan and locate.

/// Whitespace as Liquid's grammar knows it (tabs are not).
pub(super) fn is_liquid_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\r')
}

/// The next `{{` or `{%` at or after `from`.
pub(super) fn find_open(source: &str, from: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut at = from;
    while let Some(i) = source[at..].find('{') {
        let open = at + i;
        if matches!(bytes.get(open + 1), Some(b'{' | b'%')) {
            return Some(open);
        }
        at = open + 1;
    }
    None
}

/// The end (exclusive) of the tag or expression opened at `open`: after its `%}` or `}}`,
/// skipping quoted strings as Liquid's tokenizer does — and, with `escapes` (include tags, whose
/// parameters Jekyll reads with `\"` escapes), escaped quotes in them.
pub(super) fn find_close(source: &str, open: usize, escapes: bool) -> Option<usize> {
    let bytes = source.as_bytes();
    let closer = if bytes[open + 1] == b'%' { b'%' } else { b'}' };
    let mut i = open + 2;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                i += 1;
                while *bytes.get(i)? != quote {
                    i += if escapes && bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b if b == closer && bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The name of the tag `{%- name … %}`.
pub(super) fn tag_name(tag: &str) -> &str {
    let inner = tag[2..]
        .trim_start_matches('-')
        .trim_start_matches(is_liquid_space);
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    &inner[..end]
}

/// The first tag named `name` at or after `from`: its start and end.
pub(super) fn find_tag(source: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(open) = find_open(source, at) {
        let close = find_close(source, open, false)?;
        if source.as_bytes()[open + 1] == b'%' && tag_name(&source[open..close]) == name {
            return Some((open, close));
        }
        at = open + 2;
    }
    None
}

/// Where the block `name` opened before `from` ends (after its end tag; nested blocks of the
/// same name counted), or the end of the text.
pub(super) fn find_block_end(source: &str, from: usize, name: &str) -> usize {
    let end_name = format!("end{name}");
    let mut depth = 1;
    let mut at = from;
    while let Some(open) = find_open(source, at) {
        let Some(close) = find_close(source, open, false) else {
            break;
        };
        if source.as_bytes()[open + 1] == b'%' {
            let tag = tag_name(&source[open..close]);
            if tag == name {
                depth += 1;
            } else if tag == end_name {
                depth -= 1;
                if depth == 0 {
                    return close;
                }
            }
        }
        at = close;
    }
    source.len()
}
