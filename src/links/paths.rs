//! Link and URL paths as strings: where a source is published, how a link as written splits
//! into path, query and fragment, joining and relativizing folders, percent-encoding. Pure.

/// The site path a source is published at: `a/b.md` → `/a/b.html`, `a/index.md` → `/a/`
/// (and the same for an HTML page, `a/b.html`).
pub fn url_for_source(source: &str) -> String {
    let without = source
        .strip_suffix(".md")
        .or_else(|| source.strip_suffix(".html"))
        .unwrap_or(source);
    match without.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{without}.html"),
    }
}

/// The file a site path is written to, relative to the output folder: `/a/` → `a/index.html`.
pub fn output_file_for_url(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The paths a page answers to: an index page is `/a/` and `/a/index.html`.
pub(super) fn url_aliases(url: &str) -> Vec<String> {
    if url.ends_with('/') {
        vec![url.to_string(), format!("{url}index.html")]
    } else {
        vec![url.to_string()]
    }
}

/// The folder part of a site path, with its trailing slash: `/a/b.html` → `/a/`.
pub fn url_dir(url: &str) -> &str {
    &url[..url.rfind('/').map_or(0, |i| i + 1)]
}

pub(super) fn stem(source: &str) -> &str {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".html"))
        .unwrap_or(name)
}

/// Links with a scheme (`https:`, `mailto:`, `data:`…) or a host (`//cdn…`) leave the site.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// The `#fragment` of a link as written, with its `#`, or "".
pub fn fragment_of(dest: &str) -> &str {
    dest.find('#').map_or("", |i| &dest[i..])
}

/// `path?query#fragment` → (path, `?query` or "", fragment without `#`).
pub(super) fn split_link(dest: &str) -> (&str, &str, &str) {
    let (before_hash, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    match before_hash.find('?') {
        Some(i) => (&before_hash[..i], &before_hash[i..], fragment),
        None => (before_hash, "", fragment),
    }
}

pub(super) fn hash(fragment: &str) -> String {
    if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    }
}

/// `/docs/a.html` → `/a.html` when the site lives under `/docs`.
pub(super) fn strip_base(path: &str, base_path: &str) -> Option<String> {
    if base_path.is_empty() {
        return None;
    }
    let rest = path.strip_prefix(base_path)?;
    if rest.is_empty() {
        Some("/".to_string())
    } else if rest.starts_with('/') {
        Some(rest.to_string())
    } else {
        None
    }
}

/// Joins a relative path to a folder (`/a/b/`), resolving `.` and `..`. `None` when it climbs
/// above the root.
pub(super) fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let segments: Vec<&str> = relative.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let ends_as_folder = matches!(segments.last(), Some(&"") | Some(&".") | Some(&".."));
    let mut joined = format!("/{}", parts.join("/"));
    if ends_as_folder && !joined.ends_with('/') {
        joined.push('/');
    }
    Some(joined)
}

/// Joins a relative path to a folder as a browser does (RFC 3986 remove_dot_segments): `..` at
/// the root stays at the root. An absolute `relative` starts from the root.
pub fn join_clamped(dir: &str, relative: &str) -> String {
    let dir = if relative.starts_with('/') { "/" } else { dir };
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let segments: Vec<&str> = relative.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let ends_as_folder = matches!(segments.last(), Some(&"") | Some(&".") | Some(&".."));
    let mut joined = format!("/{}", parts.join("/"));
    if ends_as_folder && !joined.ends_with('/') {
        joined.push('/');
    }
    joined
}

/// Whether a path has `.` or `..` segments.
pub(super) fn has_dot_segments(path: &str) -> bool {
    path.split('/').any(|s| s == "." || s == "..")
}

/// The relative path from folder `from_dir` (`/a/b/`) to site path `to` (`/a/c/d.html` →
/// `../c/d.html`).
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.trim_start_matches('/').split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if out.is_empty() {
        out.push_str("./");
    }
    out
}

/// Escapes the characters of a file name that cannot stand in a URL path.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '"' | '<' | '>' | '#' | '?' | '%' | '`' | '{' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
