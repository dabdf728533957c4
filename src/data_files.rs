//! Load stage: the site's `data/` files, read and parsed. Each YAML, JSON or TOML file becomes a
//! JSON value with the keys it goes under (`data/elements/box.json` → `elements`, `box`); a file
//! that cannot be read or parsed is a diagnostic at its line, and the others still load.
//! Content templating (`templating::data`) turns these into `site.data`. YAML is parsed by
//! `front_matter` and TOML by `config`, the modules that own those crates.

use std::path::Path;

use crate::config::dirs;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::source;

/// One data file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    /// Its site path: `data/elements/box.json`.
    pub file: String,
    /// The keys it goes under: its path below `data/` without the extension, split at `/`.
    pub keys: Vec<String>,
    pub value: serde_json::Value,
}

/// Reads and parses every file below `dir` (the site's `data/`; it may be missing), in path
/// order.
pub fn load(dir: &Path) -> Result<(Vec<DataFile>, Vec<Diagnostic>)> {
    // The site is the folder holding `data/`.
    let listing = source::list_site_files(dir.parent().unwrap_or(dir), dir)?;
    let mut diagnostics = listing.diagnostics;
    let mut files = Vec::new();
    for rel in listing.files {
        let file = format!("{}/{rel}", dirs::DATA);
        let Some((stem, extension)) = rel.rsplit_once('.') else {
            diagnostics.push(unsupported(&file));
            continue;
        };
        let Some(format) = Format::of(extension) else {
            diagnostics.push(unsupported(&file));
            continue;
        };
        let text = match String::from_utf8(source::read(dir, &rel)?) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(Diagnostic::not_utf8("data", &file, e.as_bytes()));
                continue;
            }
        };
        match parse(&file, format, &text) {
            Ok(value) => files.push(DataFile {
                keys: stem.split('/').map(str::to_string).collect(),
                file,
                value,
            }),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((files, diagnostics))
}

/// The formats a data file can be in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Toml,
}

impl Format {
    pub fn of(extension: &str) -> Option<Format> {
        match extension {
            "yml" | "yaml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// Parses `text`, the content of the data file `file`, as JSON; problems are located in `file`.
pub fn parse(
    file: &str,
    format: Format,
    text: &str,
) -> std::result::Result<serde_json::Value, Diagnostic> {
    match format {
        Format::Yaml => crate::front_matter::yaml_data(file, text),
        Format::Toml => crate::config::toml_data(file, text),
        Format::Json => serde_json::from_str(text).map_err(|e| {
            Diagnostic::error("data", file, format!("invalid JSON: {e}"))
                .at(e.line() as u32, e.column() as u32)
                .with_source(text, 1)
        }),
    }
}

fn unsupported(file: &str) -> Diagnostic {
    Diagnostic::warning(
        "data",
        file,
        "not a data file: data files end in .yml, .yaml, .json or .toml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_parses_or_fails_at_its_line() {
        // (file, text, the value's `a`, or the error's line and message start)
        type Expected = Result<i64, (u32, &'static str)>;
        let cases: [(&str, &str, Expected); 6] = [
            ("data/x.yml", "a: 1\n", Ok(1)),
            ("data/x.json", "{\"a\": 1}", Ok(1)),
            ("data/x.toml", "a = 1\n", Ok(1)),
            // YAML that ends unclosed is reported at its last line.
            ("data/x.yml", "a: 1\nb: [\n", Err((2, "invalid YAML"))),
            (
                "data/x.json",
                "{\n  \"a\": 1,\n}\n",
                Err((3, "invalid JSON")),
            ),
            ("data/x.toml", "a = 1\nb = \n", Err((2, "invalid TOML"))),
        ];
        for (file, text, expected) in cases {
            let extension = file.rsplit_once('.').unwrap().1;
            let parsed = parse(file, Format::of(extension).unwrap(), text);
            match expected {
                Ok(a) => assert_eq!(parsed.unwrap()["a"], a, "{file}"),
                Err((line, message)) => {
                    let d = parsed.unwrap_err();
                    assert_eq!((d.file.as_str(), d.line), (file, line), "{file}: {d:?}");
                    assert!(d.message.starts_with(message), "{}", d.message);
                }
            }
        }
        assert_eq!(Format::of("txt"), None);
    }

    #[test]
    fn files_load_with_their_keys_and_bad_ones_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("elements/box.json", "{\"id\": 22}");
        write("glossary.yml", "a: b\n");
        write("notes.txt", "x");
        write("bad.json", "{");
        let (files, diagnostics) = load(dir.path()).unwrap();
        let loaded: Vec<(&str, Vec<&str>)> = files
            .iter()
            .map(|f| (f.file.as_str(), f.keys.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            loaded,
            [
                ("data/elements/box.json", vec!["elements", "box"]),
                ("data/glossary.yml", vec!["glossary"]),
            ]
        );
        let problems: Vec<String> = diagnostics.iter().map(|d| d.file.clone()).collect();
        assert_eq!(problems, ["data/bad.json", "data/notes.txt"]);
    }
}
