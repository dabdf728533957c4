//! The stylesheet's colours: syntect's theme CSS for the generated classes, with every token
//! colour made readable (WCAG AA) on the backgrounds code is shown on, and scoped per palette.

use syntect::highlighting::Theme;
use syntect::html::css_for_theme_with_class_style;

use super::CLASS_STYLE;

/// Token colours of a theme; its page background is left to the site's theme.
pub(super) fn css(theme: &Theme) -> String {
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    rules(&css)
        .filter(|(selectors, _)| selectors.trim() != ".hl-code")
        .map(|(selectors, body)| format!("{} {{{body}}}\n", selectors.trim()))
        .collect()
}

/// The backgrounds code is shown on in the default theme (`--code-bg` of theme.css, and the
/// tints of diff lines), light and dark. Token colours are made readable on all of them.
pub(super) const LIGHT_CODE_BACKGROUNDS: &[[u8; 3]] =
    &[[0xf7, 0xf8, 0xfa], [0xff, 0xec, 0xec], [0xea, 0xff, 0xea]];
pub(super) const DARK_CODE_BACKGROUNDS: &[[u8; 3]] = &[[0x15, 0x1a, 0x22]];

/// The contrast every token colour gets: WCAG AA for normal text (4.5:1), with a margin for
/// rounding in browsers' colour maths.
const MIN_CONTRAST: f64 = 4.6;

/// `css` with every token colour that is too faint on its background (the rule's own
/// `background-color`, else every one of `backgrounds`) darkened or lightened just enough to
/// reach `MIN_CONTRAST`, keeping its hue: the grammars' palettes have comments and keys at
/// 2.7–3.9:1, which many readers cannot read.
pub(super) fn readable(css: &str, backgrounds: &[[u8; 3]]) -> String {
    rules(css)
        .map(|(selectors, body)| {
            let own = declaration(body, "background-color").and_then(parse_hex);
            let body = match declaration(body, "color").and_then(|c| Some((c, parse_hex(c)?))) {
                Some((written, color)) => {
                    let on: Vec<[u8; 3]> = own.map_or_else(|| backgrounds.to_vec(), |b| vec![b]);
                    let fixed = with_contrast(color, &on);
                    body.replacen(
                        &format!("color: {written}"),
                        &format!("color: {}", hex(fixed)),
                        1,
                    )
                }
                None => body.to_string(),
            };
            format!("{} {{{body}}}\n", selectors.trim())
        })
        .collect()
}

/// The value of `property` in a declaration block (`color` does not match `background-color`).
fn declaration<'a>(body: &'a str, property: &str) -> Option<&'a str> {
    body.split(';').find_map(|decl| {
        let (name, value) = decl.split_once(':')?;
        (name.trim() == property).then(|| value.trim())
    })
}

fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        6 | 8 => Some([channel(0)?, channel(2)?, channel(4)?]),
        _ => None,
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color` mixed towards black (on light backgrounds) or white (on dark ones) in small steps
/// until it reaches `MIN_CONTRAST` on every background.
fn with_contrast(color: [u8; 3], backgrounds: &[[u8; 3]]) -> [u8; 3] {
    let worst = |c: [u8; 3]| {
        backgrounds
            .iter()
            .map(|b| contrast(c, *b))
            .fold(f64::INFINITY, f64::min)
    };
    let dark_background = backgrounds.iter().map(|b| luminance(*b)).sum::<f64>()
        / (backgrounds.len().max(1) as f64)
        < 0.18;
    let target = if dark_background { 255.0 } else { 0.0 };
    let mut mixed = color;
    for step in 1..=100 {
        if worst(mixed) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 100.0;
        mixed = color.map(|c| (f64::from(c) * (1.0 - t) + target * t).round() as u8);
    }
    mixed
}

/// Prefixes every selector of `css` with `ancestor`.
pub(super) fn scope(css: &str, ancestor: &str) -> String {
    rules(css)
        .map(|(selectors, body)| {
            let scoped: Vec<String> = selectors
                .split(',')
                .map(|s| format!("{ancestor} {}", s.trim()))
                .collect();
            format!("{} {{{body}}}\n", scoped.join(", "))
        })
        .collect()
}

/// The `selectors { body }` rules of flat CSS (no nesting, which syntect never emits), without
/// comments.
fn rules(css: &str) -> impl Iterator<Item = (&str, &str)> {
    css.split('}').filter_map(|rule| {
        let (selectors, body) = rule.split_once('{')?;
        let selectors = match selectors.rfind("*/") {
            Some(end) => &selectors[end + 2..],
            None => selectors,
        };
        (!selectors.trim().is_empty()).then_some((selectors, body))
    })
}

#[cfg(test)]
mod tests {
    use super::super::Highlighter;
    use super::*;
    use two_face::theme::EmbeddedThemeName;
    #[test]
    fn every_token_colour_is_readable_on_its_background() {
        let h = Highlighter::new();
        let themes = two_face::theme::extra();
        for (name, backgrounds) in [
            (EmbeddedThemeName::InspiredGithub, LIGHT_CODE_BACKGROUNDS),
            (EmbeddedThemeName::OneHalfDark, DARK_CODE_BACKGROUNDS),
        ] {
            let raw = css(themes.get(name));
            assert!(
                rules(&raw).any(|(_, body)| declaration(body, "color")
                    .and_then(parse_hex)
                    .is_some_and(|c| contrast(c, backgrounds[0]) < 4.5)),
                "the palette {name:?} has faint colours to fix"
            );
            for (selectors, body) in rules(&readable(&raw, backgrounds)) {
                let Some(color) = declaration(body, "color").and_then(parse_hex) else {
                    continue;
                };
                let on = declaration(body, "background-color").and_then(parse_hex);
                for background in on.map_or_else(|| backgrounds.to_vec(), |b| vec![b]) {
                    let ratio = contrast(color, background);
                    assert!(
                        ratio >= 4.5,
                        "{selectors}: {} on {} is {ratio:.2}:1",
                        hex(color),
                        hex(background)
                    );
                }
            }
        }
        // The colours the issue measured: YAML keys and dark comments.
        let css = h.stylesheet();
        assert!(
            !css.contains("#63a35c") && !css.contains("#5c6370"),
            "{css}"
        );
        assert_eq!(contrast([0xff; 3], [0; 3]).round(), 21.0);
    }

    #[test]
    fn stylesheet_scopes_both_palettes() {
        let css = Highlighter::new().stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("@media (prefers-color-scheme: light)"));
        assert!(css.contains("html[data-theme=\"light\"] .hl-"));
        assert!(css.contains("html[data-theme=\"dark\"] .hl-"));
        assert!(css.contains("html:not([data-theme=\"light\"]) .hl-"));
        assert!(
            !css.contains(".hl-code {"),
            "page background is the theme's job"
        );
    }
}
