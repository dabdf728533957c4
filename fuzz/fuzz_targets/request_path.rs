//! Fuzz target: the preview server's request-path checker (`serve::http::sanitize`). Whatever
//! the path, what it accepts names a place below the output folder: no `..` or `.` segment, no
//! hidden name, no backslash, colon or control character, no absolute or empty segment.
#![no_main]

use docgen::serve::http::sanitize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    let Some(rel) = sanitize(path) else {
        return;
    };
    assert!(!rel.starts_with('/'), "{path:?} → {rel:?}");
    let trimmed = rel.strip_suffix('/').unwrap_or(&rel);
    if trimmed.is_empty() {
        assert!(rel.is_empty(), "{path:?} → {rel:?}");
        return;
    }
    for segment in trimmed.split('/') {
        assert!(!segment.is_empty(), "{path:?} → {rel:?}");
        assert!(!segment.starts_with('.'), "{path:?} → {rel:?}");
        assert!(!segment.contains(['\\', ':']), "{path:?} → {rel:?}");
        assert!(!segment.chars().any(char::is_control), "{path:?} → {rel:?}");
    }
    // Checking is idempotent: the accepted path, asked for again, names the same place.
    let again = sanitize(&format!("/{}", rel.replace('%', "%25")));
    assert_eq!(again.as_deref(), Some(rel.as_str()), "{path:?}");
});
