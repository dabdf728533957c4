//! Numbers in messages, the one pluralizer: `1 page`, `3 pages`, `99,900`. Reports, summaries
//! and diagnostics of every stage count with these, so the wording stays the same everywhere.

/// `n` and the word for it: `1 page`, `0 pages`, `3 pages`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", word(n, one, many))
}

/// The word for `n` of something: `one` for exactly 1, else `many`.
pub fn word<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `n` with a comma between groups of three digits: `99900` as `99,900`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_groups() {
        let cases = [
            (0, "0 pages"),
            (1, "1 page"),
            (2, "2 pages"),
            (1000, "1000 pages"),
        ];
        for (n, expected) in cases {
            assert_eq!(count(n, "page", "pages"), expected);
        }
        assert_eq!(word(1, "error", "errors"), "error");
        assert_eq!(word(7, "error", "errors"), "errors");
        let grouped = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (99_900, "99,900"),
            (1_234_567, "1,234,567"),
        ];
        for (n, expected) in grouped {
            assert_eq!(thousands(n), expected);
        }
    }
}
