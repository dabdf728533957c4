//! Request path to file, the part of the preview that decides what may be read: `sanitize`
//! checks a decoded request path (a pure function, so nothing outside the output folder is ever
//! named), `find` looks it up below the output folder, `content_type` follows the extension.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a request path names below the output folder, or `None` for anything that could step
/// outside it or that docgen never writes. `/` → `""`, `/a/` → `"a/"`, `/a/b.html` →
/// `"a/b.html"`. The path is percent-decoded exactly once, then checked.
pub fn sanitize(path: &str) -> Option<String> {
    let rest = path.strip_prefix('/')?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    let mut kept = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        if segment.is_empty() {
            if i == last {
                break; // a trailing slash: a folder
            }
            return None;
        }
        let bad = segment.starts_with('.')
            || segment.contains(['\\', ':'])
            || segment.chars().any(char::is_control);
        if bad {
            return None;
        }
        kept.push(segment);
    }
    let mut rel = kept.join("/");
    if !rel.is_empty() && decoded.ends_with('/') {
        rel.push('/');
    }
    Some(rel)
}

/// A request target as (authority, path and query): an absolute-form target
/// (`http://127.0.0.1:4000/a.html?x`, which HTTP/1.1 servers must accept, and proxies send)
/// gives its authority — which then stands for the Host header — and its path (`/` when it has
/// none); an origin-form one (`/a.html?x`) gives no authority and itself.
pub fn request_target(target: &str) -> (Option<&str>, &str) {
    let scheme = ["http://", "https://"].into_iter().find(|scheme| {
        target
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    });
    let Some(scheme) = scheme else {
        return (None, target);
    };
    let rest = &target[scheme.len()..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    // An authority's user info (`user@host`) is no part of the host it names.
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    (Some(host), if path.is_empty() { "/" } else { path })
}

/// The Content-Type of an output file, by its extension.
pub fn content_type(rel: &str) -> String {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "image/svg+xml" | "application/xml"
        );
    if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

/// What a sanitized path finds in the output folder.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Folder,
    Missing,
}

pub(super) fn find(root: &Path, rel: &str) -> Found {
    let path = if rel.is_empty() || rel.ends_with('/') {
        root.join(rel).join("index.html")
    } else {
        root.join(rel)
    };
    // The output folder holds only files docgen wrote, but a link planted in it must not lead
    // out of it either.
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Found::File(real),
        Ok(real) if real.starts_with(root) && real.is_dir() && !rel.ends_with('/') => Found::Folder,
        _ => Found::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        let table: &[(&str, Option<&str>)] = &[
            ("/", Some("")),
            ("/index.html", Some("index.html")),
            ("/elements/gtw/", Some("elements/gtw/")),
            ("/elements/gtw", Some("elements/gtw")),
            ("/elements/gtw/setup.html", Some("elements/gtw/setup.html")),
            ("/img/a%20b.png", Some("img/a b.png")),
            ("/caf%C3%A9.html", Some("café.html")),
            ("/a%2Fb.html", Some("a/b.html")),
            // Decoded once: a double-encoded dot is a harmless literal name.
            ("/%252e%252e/x", Some("%2e%2e/x")),
            // Traversal, plain and encoded.
            ("/../etc/passwd", None),
            ("/a/../../etc/passwd", None),
            ("/..", None),
            ("/%2e%2e/%2e%2e/etc/passwd", None),
            ("/%2E%2E/x", None),
            ("/.%2e/x", None),
            ("/a/%2e%2e%2f%2e%2e%2fetc/passwd", None),
            ("/a/./b.html", None),
            // Hidden files (the output marker, temporary files).
            ("/.docgen-output", None),
            ("/a/.b.html.tmp", None),
            // Backslashes, drive letters, absolute paths, NUL and control bytes.
            ("/..\\..\\windows\\win.ini", None),
            ("/a%5c..%5c..%5cb", None),
            ("/C:/Windows/win.ini", None),
            ("/c%3a/x", None),
            ("//etc/passwd", None),
            ("/a//b", None),
            ("/index.html%00.png", None),
            ("/a%0ab", None),
            // Not a path at all, or not UTF-8.
            ("", None),
            ("etc/passwd", None),
            ("http://example.com/x", None),
            ("*", None),
            ("/%ff%fe", None),
        ];
        for (path, expected) in table {
            assert_eq!(sanitize(path).as_deref(), *expected, "{path}");
        }
    }

    #[test]
    fn an_absolute_form_target_gives_its_host_and_path() {
        assert_eq!(request_target("/a.html?x=1"), (None, "/a.html?x=1"));
        assert_eq!(
            request_target("http://127.0.0.1:4000/a/b.html?x"),
            (Some("127.0.0.1:4000"), "/a/b.html?x")
        );
        assert_eq!(request_target("HTTP://localhost"), (Some("localhost"), "/"));
        assert_eq!(
            request_target("https://localhost?q"),
            (Some("localhost"), "?q")
        );
        assert_eq!(
            request_target("http://evil.example@127.0.0.1/x"),
            (Some("127.0.0.1"), "/x")
        );
        assert_eq!(request_target("*"), (None, "*"));
        assert_eq!(request_target("http:/a"), (None, "http:/a"));
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (file, expected) in [
            ("a.html", "text/html; charset=utf-8"),
            ("theme.css", "text/css; charset=utf-8"),
            ("theme.js", "text/javascript; charset=utf-8"),
            ("elements-nav.json", "application/json; charset=utf-8"),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("favicon.svg", "image/svg+xml; charset=utf-8"),
            ("img/logo.png", "image/png"),
            ("img/photo.JPG", "image/jpeg"),
            ("fonts/x.woff2", "font/woff2"),
            ("downloads/spec.pdf", "application/pdf"),
            ("downloads/blob", "application/octet-stream"),
        ] {
            assert_eq!(content_type(file), expected, "{file}");
        }
    }

    #[test]
    fn files_are_found_only_inside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("a/index.html"), "a").unwrap();
        std::fs::write(root.join("a/x.css"), "x").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("link")).unwrap();

        assert_eq!(find(&root, ""), Found::File(root.join("index.html")));
        assert_eq!(find(&root, "a/"), Found::File(root.join("a/index.html")));
        assert_eq!(find(&root, "a"), Found::Folder);
        assert_eq!(find(&root, "a/x.css"), Found::File(root.join("a/x.css")));
        assert_eq!(find(&root, "a/x.css/"), Found::Missing);
        assert_eq!(find(&root, "b/"), Found::Missing);
        assert_eq!(find(&root, "missing.html"), Found::Missing);
        assert_eq!(find(&root, "link"), Found::Missing);
    }
}
