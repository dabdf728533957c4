//! Parse stage, content templating: the Liquid language docgen speaks for a site — liquid-lib's
//! standard and Jekyll filters, docgen's guarded tags and blocks, declared include tags.

use liquid_core::Language;
use liquid_lib::{jekyll, stdlib};

use super::filters::{Jsonify, NilAs, UrlFilter};
use super::jekyll::{DeclaredTag, HighlightBlock, LinkTag, Markdownify};
use super::lenient::{ConditionBlock, LenientBlock, LenientTag, OutputTag};
use super::prepare::{self};
use super::tags::IncludeTag;
use super::{assign, limits, loops};
use crate::config::Config;

/// The Liquid docgen speaks for one site, and what its tags need to know of the site.
pub struct Dialect {
    pub language: Language,
    /// The tags declared in `[include_tags]`.
    pub include_tags: Vec<String>,
    /// The path of `base_url`, for URLs `{% link %}` writes into raw HTML.
    pub base_path: String,
    /// `broken_links = "warn"`: a broken `{% link %}` is a warning.
    pub broken_links_warn: bool,
    /// `undefined_variables = "warn"`.
    pub undefined_warns: bool,
}

/// The tags and blocks docgen's Liquid has built in (declared include tags come on top).
pub const BUILTIN_TAGS: &[&str] = &[
    "assign",
    "break",
    "continue",
    "cycle",
    "increment",
    "decrement",
    "include",
    "include_relative",
    "link",
    prepare::OUTPUT_TAG,
    "raw",
    "if",
    "unless",
    "ifchanged",
    "for",
    "tablerow",
    "comment",
    "capture",
    "case",
    "highlight",
];

/// The Liquid of `config`'s site: see `language`.
pub fn dialect(config: &Config) -> Dialect {
    Dialect {
        language: language(config),
        include_tags: config.include_tags.iter().map(|(n, _)| n.clone()).collect(),
        base_path: config.base_path.clone(),
        broken_links_warn: config.broken_links == crate::diagnostic::Severity::Warning,
        undefined_warns: config.undefined_variables == crate::diagnostic::Severity::Warning,
    }
}

/// Liquid's standard tags, blocks and filters (those evaluating expressions made lenient: see
/// `lenient`), Jekyll's array filters, `slugify` and `markdownify`, docgen's `include`,
/// `include_relative`, `link`, `highlight` and the tags of `[include_tags]`, and the Jekyll
/// URL filters and `jsonify`.
fn language(config: &Config) -> Language {
    let mut language = Language::default();
    // Each is registered guarded: see `limits`.
    macro_rules! tags {
        ($($tag:expr),*) => {$({
            let tag = limits::guard_tag(Box::new($tag));
            language.tags.register(tag.reflection().tag().to_string(), tag);
        })*};
    }
    macro_rules! blocks {
        ($($block:expr),*) => {$({
            let block = limits::guard_block(Box::new($block));
            language.blocks.register(block.reflection().start_tag().to_string(), block);
        })*};
    }
    macro_rules! filters {
        ($($filter:expr),*) => {$({
            let filter = limits::guard_filter(Box::new($filter));
            language.filters.register(filter.reflection().name().to_string(), filter);
        })*};
    }
    tags!(
        LenientTag(assign::AssignTag),
        stdlib::BreakTag,
        stdlib::ContinueTag,
        LenientTag(stdlib::CycleTag),
        stdlib::IncrementTag,
        stdlib::DecrementTag,
        IncludeTag { relative: false },
        IncludeTag { relative: true },
        LinkTag,
        OutputTag
    );
    for (name, file) in &config.include_tags {
        tags!(DeclaredTag::new(name, file));
    }
    blocks!(
        stdlib::RawBlock,
        ConditionBlock(stdlib::IfBlock),
        ConditionBlock(stdlib::UnlessBlock),
        stdlib::IfChangedBlock,
        LenientBlock(loops::ForBlock),
        LenientBlock(loops::TableRowBlock),
        stdlib::CommentBlock,
        assign::CaptureBlock,
        LenientBlock(stdlib::CaseBlock),
        HighlightBlock
    );
    filters!(
        NilAs::zero(stdlib::Abs),
        stdlib::Append,
        NilAs::zero(stdlib::AtLeast),
        NilAs::zero(stdlib::AtMost),
        stdlib::Capitalize,
        NilAs::zero(stdlib::Ceil),
        NilAs::list(stdlib::Compact),
        NilAs::list(stdlib::Concat),
        stdlib::Date,
        stdlib::Default,
        NilAs::zero(stdlib::DividedBy),
        stdlib::Downcase,
        stdlib::Escape,
        stdlib::EscapeOnce,
        NilAs::list(stdlib::First),
        NilAs::zero(stdlib::Floor),
        NilAs::list(stdlib::Join),
        NilAs::list(stdlib::Last),
        stdlib::Lstrip,
        NilAs::list(stdlib::Map),
        NilAs::zero(stdlib::Minus),
        NilAs::zero(stdlib::Modulo),
        stdlib::NewlineToBr,
        NilAs::zero(stdlib::Plus),
        stdlib::Prepend,
        stdlib::Remove,
        stdlib::RemoveFirst,
        stdlib::Replace,
        stdlib::ReplaceFirst,
        NilAs::list(stdlib::Reverse),
        NilAs::zero(stdlib::Round),
        stdlib::Rstrip,
        stdlib::Size,
        stdlib::Slice,
        NilAs::list(stdlib::SortNatural),
        stdlib::Split,
        stdlib::Strip,
        stdlib::StripHtml,
        stdlib::StripNewlines,
        NilAs::zero(stdlib::Times),
        stdlib::Truncate,
        stdlib::TruncateWords,
        NilAs::list(stdlib::Uniq),
        stdlib::Upcase,
        stdlib::UrlDecode,
        stdlib::UrlEncode,
        NilAs::list(stdlib::Where),
        NilAs::empty_unchanged(jekyll::Sort),
        jekyll::Push,
        jekyll::Pop,
        jekyll::Shift,
        jekyll::Unshift,
        NilAs::list(jekyll::ArrayToSentenceString),
        jekyll::Slugify,
        UrlFilter::relative(config),
        UrlFilter::absolute(config),
        Jsonify,
        Markdownify::new(std::sync::Arc::new(crate::highlight::Highlighter::new()))
    );
    language
}
