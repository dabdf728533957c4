//! docgen: a static documentation site generator for API element guides.
//!
//! A build is a one-way flow, one module per stage (see `build` for how they chain):
//!
//! | stage  | modules |
//! |--------|---------|
//! | load   | `config`, `source`, `theme`, `data_files` |
//! | parse  | `page`, `front_matter`, `templating`, `markdown`, `highlight` |
//! | index  | `nav`, `links`, `redirect` |
//! | check  | `links` (resolution), `engine` (the one engine of build, check and serve); `check` (the same without writing), `external` (opt-in) |
//! | render | `render`, `search` (the site-wide search index) |
//! | write  | `output` |
//!
//! `import` (`docgen import jekyll`) writes a new site from a Jekyll one, then checks it.
//!
//! Problems in content are `diagnostic::Diagnostic` values collected across the whole run and
//! printed by `diagnostic::Printer` (human, JSON lines or GitHub annotations);
//! `error::Error` is only for failures that stop a build from running at all.

// A `Diagnostic` is returned as an error only on cold paths (one per bad file); boxing it would
// add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod a11y;
pub mod build;
pub mod change;
pub mod check;
pub mod config;
pub mod data_files;
pub mod deps;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod external;
pub mod front_matter;
pub mod highlight;
pub mod images;
pub mod import;
pub mod links;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod output_links;
pub mod page;
pub mod raw_html;
pub mod redirect;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod sections;
pub mod serve;
pub mod session;
pub mod source;
pub mod suggest;
pub mod templating;
pub mod theme;
pub mod wording;
