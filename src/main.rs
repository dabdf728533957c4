//! The `docgen` command line: parses arguments, calls the library, prints what it reports and
//! sets the exit code (0 success, 1 site errors, 2 usage problems).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use docgen::build::{self, BuildOptions, BuildReport};
use docgen::check::{self, CheckOptions};
use docgen::config::{Config, Overrides};
use docgen::diagnostic::{self, ColorChoice, Format, Printer};
use docgen::error::Error;
use docgen::external;
use docgen::highlight::Highlighter;
use docgen::scaffold;

// `--features system-allocator` builds with the system's malloc, so that heap profilers
// (heaptrack, valgrind's massif and dhat), which hook malloc, see every allocation.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(name = "docgen", version, about = "Builds documentation sites of API element guides", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site: check every page and link, then write the site to the output folder.
    Build(BuildArgs),
    /// Check the site as `build` does — front matter, templates, links, anchors, images,
    /// elements — without writing anything. For pre-commit hooks and pull-request checks.
    Check(CheckArgs),
    /// Start new content from the site's templates.
    #[command(subcommand)]
    New(NewCommand),
    /// Turn a site made for another generator into a docgen site.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Preview the site: build it into a temporary folder and serve it on this machine.
    Serve(ServeArgs),
    /// Start a new site: docgen.toml, a home page, an elements index, one element's guides, a
    /// guide, includes/ and data/. Never overwrites a file.
    Init(InitArgs),
    /// Print a shell completion script (see the README for where to put it).
    Completions(CompletionsArgs),
}

#[derive(Args, Debug)]
struct InitArgs {
    /// The folder of the new site (created when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The site's title.
    #[arg(long, value_name = "TITLE", default_value = "Documentation")]
    title: String,
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
struct NewPageArgs {
    /// The page, below content/: guides/faq.md, elements/box/box-limits.md (`.md` may be left out).
    #[arg(value_name = "PATH")]
    path: String,
    /// The page's title [default: from the file name].
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,
    /// The site folder, holding docgen.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Subcommand, Debug)]
enum NewCommand {
    /// A new element's guide set (Overview, Endpoint Setup, Create Instance, Authentication,
    /// Events, Error Codes) in content/elements/KEY/, from scaffolds/element/ or the built-in
    /// templates.
    Element(NewElementArgs),
    /// A new page, its front matter filled in from its folder: an element's heading, elementId,
    /// layout and breadcrumbs, and the next order.
    Page(NewPageArgs),
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// A Jekyll site: _config.yml → docgen.toml, pages → content/, _includes → includes/,
    /// _data → data/, other files → static/, a template for each layout the pages use. SRC is
    /// only read. Prints a migration report.
    Jekyll(ImportJekyllArgs),
}

#[derive(Args, Debug)]
struct ImportJekyllArgs {
    /// The Jekyll site (the folder holding _config.yml).
    src: PathBuf,
    /// Where to write the docgen site [default: SRC-docgen, beside SRC].
    dest: Option<PathBuf>,
    /// Import into a DEST that already holds files: updates what an earlier import wrote,
    /// keeps every file you changed or added, deletes nothing.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct NewElementArgs {
    /// The element's key: its folder and file-name prefix (lowercase, digits, dashes).
    key: String,
    /// The element's name, shown above its guides (front matter `heading`).
    #[arg(long, value_name = "NAME")]
    heading: String,
    /// The element's id (front matter `elementId`).
    #[arg(long, value_name = "N")]
    id: Option<String>,
    /// The folder below content/ that holds the elements.
    #[arg(long, value_name = "DIR", default_value = "elements")]
    under: String,
    /// The site folder, holding docgen.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Args, Debug)]
struct SiteArgs {
    /// The site folder, holding docgen.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Publish under this URL instead of docgen.toml's base_url (e.g. a PR preview).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print only problems, not the summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The site folder, holding docgen.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, value_name = "N", default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Anything but loopback lets other machines read the preview.
    #[arg(long, short, value_name = "ADDR", default_value = "127.0.0.1")]
    interface: std::net::IpAddr,
    /// Rebuild when the site's files change, and reload the pages open in a browser.
    #[arg(long, short)]
    watch: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::New(NewCommand::Element(args)) => run_new_element(args),
        Command::Import(ImportCommand::Jekyll(args)) => run_import_jekyll(args),
        Command::New(NewCommand::Page(args)) => run_new_page(args),
        Command::Serve(args) => run_serve(args),
        Command::Init(args) => run_init(args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "docgen", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    let printer = Printer::new(Format::Human, ColorChoice::Auto);
    let options = scaffold::Init {
        dir: args.dir.clone(),
        title: args.title,
    };
    match scaffold::init(&options) {
        Ok(done) => {
            println!(
                "Created a docgen site in {} ({} files):",
                done.root.display(),
                done.created.len()
            );
            for file in &done.created {
                println!("  {file}");
            }
            if !done.kept.is_empty() {
                println!("Kept what was already there:");
                for file in &done.kept {
                    println!("  {file}");
                }
            }
            let cd = if args.dir == Path::new(".") {
                String::new()
            } else {
                format!("cd {} && ", args.dir.display())
            };
            println!("Next: {cd}docgen serve --watch, then open http://127.0.0.1:1111/");
            ExitCode::SUCCESS
        }
        Err(error) => exit_for(error, &printer),
    }
}

fn run_new_page(args: NewPageArgs) -> ExitCode {
    let printer = Printer::new(Format::Human, ColorChoice::Auto);
    let config = match Config::load(&args.root, &Overrides::default()) {
        Ok(config) => config,
        Err(error) => return exit_for(error, &printer),
    };
    let options = scaffold::NewPage {
        path: args.path,
        title: args.title,
    };
    match scaffold::new_page(&config, &options) {
        Ok(created) => {
            println!("Created {}:", created.file);
            for line in created.text.lines().filter(|l| !l.is_empty()) {
                println!("  {line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => exit_for(error, &printer),
    }
}

fn run_new_element(args: NewElementArgs) -> ExitCode {
    let printer = Printer::new(Format::Human, ColorChoice::Auto);
    let config = match Config::load(&args.root, &Overrides::default()) {
        Ok(config) => config,
        Err(error) => return exit_for(error, &printer),
    };
    let options = scaffold::NewElement {
        key: args.key,
        heading: args.heading,
        element_id: args.id,
        under: args.under,
    };
    match scaffold::new_element(&config, &options) {
        Ok(created) => {
            println!(
                "Created {} files from {}:",
                created.files.len(),
                created.templates
            );
            for file in &created.files {
                println!("  {file}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => exit_for(error, &printer),
    }
}

fn run_import_jekyll(args: ImportJekyllArgs) -> ExitCode {
    let printer = Printer::new(Format::Human, ColorChoice::Auto);
    let options = docgen::import::ImportOptions {
        src: args.src,
        dest: args.dest,
        force: args.force,
    };
    match docgen::import::jekyll(&options, &Highlighter::new()) {
        Ok(imported) => {
            // The errors stop the build: list them; the warnings are counted in the report.
            let errors: Vec<_> = imported
                .diagnostics
                .into_iter()
                .filter(|d| d.is_error())
                .collect();
            let _ = printer.print(&errors);
            print!("{}", imported.report);
            ExitCode::SUCCESS
        }
        Err(error) => exit_for(error, &printer),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = docgen::serve::ServeOptions {
        root: args.root,
        interface: args.interface,
        port: args.port,
        watch: args.watch,
        open: args.open,
        drafts: args.drafts,
    };
    match docgen::serve::run(&options, &Highlighter::new()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit_for(error, &Printer::new(Format::Human, ColorChoice::Auto)),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.site.root,
        output: args.output,
        overrides: Overrides {
            base_url: args.site.base_url,
            drafts: args.site.drafts,
        },
    };
    let printer = args.report.printer(&options.root);
    let highlighter = Highlighter::new();
    match build::build(&options, &highlighter) {
        Ok(report) => {
            print_report(&printer, &report, args.quiet);
            if args.timings {
                for (stage, time) in &report.timings {
                    eprintln!("{stage:>14}  {:8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            if report.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => exit_for(error, &printer),
    }
}

fn print_report(printer: &Printer, report: &BuildReport, quiet: bool) {
    let _ = printer.print(&report.diagnostics);
    // --quiet: the problems only, whether the build passed or failed (the exit code says which).
    if !quiet {
        let _ = printer.summary(&report.summary(), report.errors() > 0);
    }
}

fn exit_for(error: Error, printer: &Printer) -> ExitCode {
    if let Error::Config(diagnostics) = &error {
        let _ = printer.print(diagnostics);
        return ExitCode::from(1);
    }
    eprintln!("error: {error}");
    match error {
        Error::Usage(_) => ExitCode::from(2),
        Error::Io { .. } | Error::Config(_) => ExitCode::from(1),
    }
}

/// How problems are printed; shared by `build` and `check`.
#[derive(Args, Debug)]
struct ReportArgs {
    /// How to print problems: human (stderr), json (one object per line on stdout) or github
    /// (GitHub Actions annotations on stdout).
    #[arg(long, value_name = "FORMAT", default_value = "human",
          value_parser = PossibleValuesParser::new(Format::NAMES).map(|s| s.parse::<Format>().expect("a listed name")))]
    format: Format,
    /// Colour the human format: auto (when stderr is a terminal and NO_COLOR is unset), always
    /// or never.
    #[arg(long, value_name = "WHEN", default_value = "auto",
          value_parser = PossibleValuesParser::new(ColorChoice::NAMES).map(|s| s.parse::<ColorChoice>().expect("a listed name")))]
    color: ColorChoice,
}

impl ReportArgs {
    fn printer(&self, root: &Path) -> Printer {
        let workspace = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
        Printer::new(self.format, self.color)
            .with_file_prefix(diagnostic::github_file_prefix(root, workspace.as_deref()))
    }
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Count warnings as errors: exit 1 when there is any.
    #[arg(long)]
    strict: bool,
    /// Print only problems, not the summary line.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    external: ExternalArgs,
}

#[derive(Args, Debug)]
#[command(next_help_heading = "External links")]
struct ExternalArgs {
    /// Also check external http(s) links (results cached in ROOT/.docgen-cache/).
    #[arg(long)]
    external: bool,
    /// How long one external request may take.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds, requires = "external")]
    external_timeout: Duration,
    /// How long a live external link is taken from the cache without asking again; 0 turns
    /// the cache off.
    #[arg(long, value_name = "HOURS", default_value = "24", value_parser = hours, requires = "external")]
    external_cache_hours: Duration,
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
}

fn hours(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|h| Duration::try_from_secs_f64(h * 3600.0).ok())
        .ok_or_else(|| format!("`{text}` is not a number of hours"))
}

fn run_check(args: CheckArgs) -> ExitCode {
    let options = CheckOptions {
        root: args.site.root,
        overrides: Overrides {
            base_url: args.site.base_url,
            drafts: args.site.drafts,
        },
        strict: args.strict,
        external: args.external.external.then(|| external::Options {
            timeout: args.external.external_timeout,
            cache_max_age: args.external.external_cache_hours,
            ..external::Options::default()
        }),
    };
    let printer = args.report.printer(&options.root);
    match check::check(&options, &Highlighter::new()) {
        Ok(report) => {
            let _ = printer.print(&report.build.diagnostics);
            let failed = report.errors() > 0;
            if !args.quiet {
                let _ = printer.summary(&report.summary(), failed);
            }
            ExitCode::from(u8::from(failed))
        }
        Err(error) => exit_for(error, &printer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_must_be_positive_numbers() {
        assert_eq!(seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(seconds("0").is_err());
        assert!(seconds("-1").is_err());
        assert!(seconds("soon").is_err());
        assert_eq!(hours("0"), Ok(Duration::ZERO));
        assert_eq!(hours("0.5"), Ok(Duration::from_secs(1800)));
        assert!(hours("-2").is_err());
    }
}
