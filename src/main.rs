//! The `docgen` command line: parses arguments, calls the library, prints what it reports and
//! sets the exit code (0 success, 1 site errors, 2 usage problems).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use docgen::build::{self, BuildOptions, BuildReport};
use docgen::config::Overrides;
use docgen::error::Error;
use docgen::highlight::Highlighter;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
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
    let highlighter = Highlighter::new();
    match build::build(&options, &highlighter) {
        Ok(report) => {
            print_report(&report, args.quiet);
            if args.timings {
                for (stage, time) in &report.timings {
                    eprintln!("{stage:>10}  {:8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            if report.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => exit_for(error),
    }
}

fn print_report(report: &BuildReport, quiet: bool) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &report.diagnostics {
        let _ = write!(stderr, "{diagnostic}");
    }
    if !quiet || report.errors() > 0 {
        let summary = report.summary();
        if std::io::stdout().is_terminal() || report.errors() == 0 {
            println!("{summary}");
        } else {
            let _ = writeln!(stderr, "{summary}");
        }
    }
}

fn exit_for(error: Error) -> ExitCode {
    eprint!("error: {error}");
    if !matches!(error, Error::Config(_)) {
        eprintln!();
    }
    match error {
        Error::Usage(_) => ExitCode::from(2),
        Error::Io { .. } | Error::Config(_) => ExitCode::from(1),
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
}
