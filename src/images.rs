//! Render stage helper: the `<img>` tags of a page body, after Markdown. Local images get the
//! `width` and `height` of their file, so the browser reserves their space before they load (no
//! layout shift), and every image but the page's first loads lazily (the first is usually above
//! the fold, where lazy loading only delays it). It works on the body's HTML, so Markdown images
//! and raw HTML `<img>` tags get the same treatment. The only user of `imagesize`; pure apart
//! from reading image headers.

use std::io::Read;
use std::path::Path;

/// The pixel size of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// How much of an SVG file is read to find its root element: editors put comments, a doctype
/// and metadata before it, but never this much.
const SVG_HEAD: u64 = 16 * 1024;

/// The size of the image file at `path`: raster formats from their header (imagesize reads only
/// the first bytes), SVG from its root element. `None` when the file is unreadable or not an
/// image.
pub fn file_size(path: &Path) -> Option<Size> {
    if is_svg(&path.to_string_lossy()) {
        let mut head = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .take(SVG_HEAD)
            .read_to_end(&mut head)
            .ok()?;
        return svg_size(&String::from_utf8_lossy(&head));
    }
    let size = imagesize::size(path).ok()?;
    to_size(size.width, size.height)
}

/// The size of an image held in memory (a theme file compiled into docgen); `name` tells SVG.
pub fn bytes_size(name: &str, bytes: &[u8]) -> Option<Size> {
    if is_svg(name) {
        let head = &bytes[..bytes.len().min(SVG_HEAD as usize)];
        return svg_size(&String::from_utf8_lossy(head));
    }
    let size = imagesize::blob_size(bytes).ok()?;
    to_size(size.width, size.height)
}

fn to_size(width: usize, height: usize) -> Option<Size> {
    let width = u32::try_from(width).ok().filter(|w| *w > 0)?;
    let height = u32::try_from(height).ok().filter(|h| *h > 0)?;
    Some(Size { width, height })
}

/// Whether a file name is an image a page can show (by its extension).
pub fn is_image(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "bmp"
            | "ico"
            | "tif"
            | "tiff"
            | "svg"
            | "svgz"
    )
}

fn is_svg(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".svg") || name.ends_with(".svgz")
}

/// The size an SVG displays at by default: its root's `width` and `height` (in px, or unitless;
/// `pt`, `pc`, `in`, `cm`, `mm` converted), the missing one from the `viewBox`'s aspect ratio,
/// or the `viewBox` itself when neither is given. Percentages and font-relative units say nothing
/// about the image, so they count as missing.
pub fn svg_size(text: &str) -> Option<Size> {
    let start = find_svg_root(text)?;
    let attrs = parse_attributes(&text[start + 4..]).0;
    let get = |name: &str| {
        attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .and_then(|a| a.value.as_deref())
    };
    let width = get("width").and_then(svg_length);
    let height = get("height").and_then(svg_length);
    let view_box = get("viewBox").and_then(|v| {
        let numbers: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok())
            .collect::<Option<_>>()?;
        match numbers[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(view_box)) => view_box,
        _ => return None,
    };
    let round = |x: f64| (x.round() >= 1.0 && x < f64::from(u32::MAX)).then(|| x.round() as u32);
    Some(Size {
        width: round(w)?,
        height: round(h)?,
    })
}

/// The byte offset of `<svg` as an element (not inside a comment), if any.
fn find_svg_root(text: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = text[at..].find('<') {
        let i = at + i;
        let rest = &text[i..];
        if rest.starts_with("<!--") {
            at = i + rest.find("-->")? + 3;
            continue;
        }
        let tag = rest.get(1..4)?;
        let after = rest[4..].chars().next();
        if tag.eq_ignore_ascii_case("svg") && after.is_some_and(|c| c.is_whitespace() || c == '>') {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// An SVG length in CSS pixels; `None` for percentages, font-relative units and junk.
fn svg_length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let px = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "px" => 1.0,
        "pt" => 4.0 / 3.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        _ => return None,
    };
    let px = number * px;
    (px > 0.0 && px.is_finite()).then_some(px)
}

/// One attribute of a tag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attribute {
    name: String,
    /// Unescaped value; `None` for a bare attribute (`async`).
    value: Option<String>,
}

/// Reads the attributes of a tag whose name has just been read, up to its closing `>`. Returns
/// them, the byte offset of the `>` (or of `/>`) and the offset just after the tag; `None` for
/// the offsets when the tag never closes.
fn parse_attributes(text: &str) -> (Vec<Attribute>, Option<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return (attrs, None);
        }
        match bytes[i] {
            b'>' => return (attrs, Some((i, i + 1))),
            b'/' if bytes.get(i + 1) == Some(&b'>') => return (attrs, Some((i, i + 2))),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i]) {
            i += 1;
        }
        let name = text[name_start..i].to_string();
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attrs.push(Attribute { name, value: None });
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let value = match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let Some(end) = text[j + 1..].find(quote as char) else {
                    return (attrs, None);
                };
                i = j + 1 + end + 1;
                &text[j + 1..j + 1 + end]
            }
            _ => {
                let start = j;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
                i = j;
                &text[start..j]
            }
        };
        attrs.push(Attribute {
            name,
            value: Some(unescape(value)),
        });
    }
}

/// The few entities that appear in URLs and numbers as docgen and writers write them.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Adds sizes and lazy loading to the `<img>` tags of `html`, a page body. `size_of` gives the
/// size of the local image an `src` names (as written in the HTML, unescaped), or `None` (an
/// external or missing image). Attributes the writer gave are kept: with only `width` (or
/// `height`) the other follows from the file's aspect ratio, and an explicit `loading` wins.
pub fn size_images(html: &str, size_of: impl Fn(&str) -> Option<Size>) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut at = 0;
    let mut first = true;
    while let Some(i) = html[at..].find('<') {
        let i = at + i;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            // Comments are copied as they are: an image in one is not shown.
            let end = rest.find("-->").map_or(html.len(), |e| i + e + 3);
            out.push_str(&html[at..end]);
            at = end;
            continue;
        }
        let is_img = rest.len() > 4
            && rest[1..4].eq_ignore_ascii_case("img")
            && rest[4..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/');
        if !is_img {
            out.push_str(&html[at..i + 1]);
            at = i + 1;
            continue;
        }
        let (attrs, Some((close, end))) = parse_attributes(&rest[4..]) else {
            break;
        };
        let (close, end) = (i + 4 + close, i + 4 + end);
        out.push_str(&html[at..close]);
        out.push_str(&extra_attributes(&attrs, first, &size_of));
        out.push_str(&html[close..end]);
        first = false;
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The attributes to add to one `<img>`, each with a leading space.
fn extra_attributes(
    attrs: &[Attribute],
    first: bool,
    size_of: &impl Fn(&str) -> Option<Size>,
) -> String {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value.as_deref().unwrap_or(""))
    };
    let mut extra = String::new();
    let (width, height) = (get("width"), get("height"));
    if width.is_none() || height.is_none() {
        let size = get("src").filter(|s| !s.is_empty()).and_then(size_of);
        if let Some(size) = size {
            let given = |v: Option<&str>| {
                v.and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|v| *v > 0.0)
            };
            let scaled = |n: f64, from: u32, to: u32| {
                ((n * f64::from(to) / f64::from(from)).round() as u32).max(1)
            };
            let (w, h) = match (given(width), given(height)) {
                (Some(w), None) if height.is_none() => {
                    (None, Some(scaled(w, size.width, size.height)))
                }
                (None, Some(h)) if width.is_none() => {
                    (Some(scaled(h, size.height, size.width)), None)
                }
                (None, None) if width.is_none() && height.is_none() => {
                    (Some(size.width), Some(size.height))
                }
                // A size the writer gave that is not a number (`50%`): leave both alone.
                _ => (None, None),
            };
            if let Some(w) = w {
                extra.push_str(&format!(" width=\"{w}\""));
            }
            if let Some(h) = h {
                extra.push_str(&format!(" height=\"{h}\""));
            }
        }
    }
    if !first && get("loading").is_none() {
        extra.push_str(" loading=\"lazy\"");
    }
    extra
}

/// Percent-decodes a URL path (`my%20shot.png` → `my shot.png`); invalid escapes stay as written.
pub fn percent_decode(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(html: &str) -> String {
        size_images(html, |src| match src {
            "/a.png" => Some(Size {
                width: 800,
                height: 600,
            }),
            "b.svg" => Some(Size {
                width: 120,
                height: 40,
            }),
            _ => None,
        })
    }

    #[test]
    fn local_images_get_their_size_and_all_but_the_first_load_lazily() {
        assert_eq!(
            sized(
                r#"<p><img src="/a.png" alt="A"></p><img src='b.svg' alt=""/><img src="https://x/c.png" alt="c">"#
            ),
            r#"<p><img src="/a.png" alt="A" width="800" height="600"></p><img src='b.svg' alt="" width="120" height="40" loading="lazy"/><img src="https://x/c.png" alt="c" loading="lazy">"#
        );
    }

    #[test]
    fn what_the_writer_gave_is_kept() {
        assert_eq!(
            sized(
                r#"<IMG SRC="/a.png" width="400"> <img src="/a.png" height=300 loading="eager"> <img src="/a.png" width="50%">"#
            ),
            r#"<IMG SRC="/a.png" width="400" height="300"> <img src="/a.png" height=300 loading="eager" width="400"> <img src="/a.png" width="50%" loading="lazy">"#
        );
        assert_eq!(
            sized(r#"<img src="/a.png" width="10" height="20">"#),
            r#"<img src="/a.png" width="10" height="20">"#
        );
    }

    #[test]
    fn only_img_tags_are_touched() {
        let html = "<pre><code>&lt;img src=\"/a.png\"&gt;</code></pre><imgx src=\"/a.png\"><!-- <img src=\"/a.png\"> --><p>a < b</p><img src=\"/a.png\"";
        assert_eq!(sized(html), html);
    }

    #[test]
    fn svg_sizes_come_from_width_height_or_view_box() {
        let cases = [
            (r#"<svg width="120" height="40">"#, Some((120, 40))),
            (
                r#"<?xml version="1.0"?><!-- <svg width="1" height="1"> --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360">"#,
                Some((640, 360)),
            ),
            (
                r#"<svg width="320px" viewBox="0,0,640,360">"#,
                Some((320, 180)),
            ),
            (
                r#"<svg height="90" viewBox="0 0 640 360">"#,
                Some((160, 90)),
            ),
            (
                r#"<svg width="100%" height="100%" viewBox="0 0 64 32">"#,
                Some((64, 32)),
            ),
            (r#"<svg width="72pt" height="36pt">"#, Some((96, 48))),
            (r#"<svg width="100%">"#, None),
            (r#"<svg viewBox="0 0 0 10">"#, None),
            ("<html>no svg</html>", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                svg_size(text).map(|s| (s.width, s.height)),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn raster_sizes_come_from_the_header() {
        // The smallest valid PNG header: signature, then IHDR with width 3 and height 2.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&3u32.to_be_bytes());
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            bytes_size("x.png", &png),
            Some(Size {
                width: 3,
                height: 2
            })
        );
        assert_eq!(bytes_size("x.png", b"not an image"), None);
        assert_eq!(
            bytes_size("logo.SVG", br#"<svg width="5" height="6"/>"#),
            Some(Size {
                width: 5,
                height: 6
            })
        );
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20shot%C3%A9.png"), "my shoté.png");
        assert_eq!(percent_decode("100%.png"), "100%.png");
    }
}
