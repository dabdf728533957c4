//! Incremental rebuild benchmark: the work `serve --watch` does after a writer saves one page.
//!
//! `incremental SITE_DIR [EDITS]` builds the site once into a temporary folder (a `Session`),
//! then edits pages and times `Session::apply` for each kind of edit, printing the median and
//! the slowest of `EDITS` runs (default 15):
//!
//! - body: a sentence added to a guide (re-renders that page);
//! - title: a guide's title changed (re-renders its element's guides and pages linking to it);
//! - new page: a page added and removed again (re-checks pages with broken links).
//!
//! The files are restored afterwards. Built as a cargo example of the docgen crate:
//! `cargo run --release --example incremental -- /dev/shm/corpus`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use docgen::config::Overrides;
use docgen::highlight::Highlighter;
use docgen::session::{Change, Session};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(site) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: incremental SITE_DIR [EDITS]");
        return ExitCode::from(2);
    };
    let edits: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(15);
    match run(&site, edits) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("incremental: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(site: &Path, edits: usize) -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::temp_dir().join(format!("docgen-incremental-{}", std::process::id()));
    let highlighter = Highlighter::new();
    let started = Instant::now();
    let (mut session, first) = Session::open(site, Overrides::default(), &out, &highlighter)?;
    println!(
        "full build: {} pages in {:.2}s",
        first.rendered,
        started.elapsed().as_secs_f64()
    );
    let guides: Vec<String> = session
        .site()
        .nav()
        .elements
        .iter()
        .filter_map(|e| e.guides.get(1).map(|g| g.source.clone()))
        .take(edits)
        .collect();
    let content = site.join("content");

    let mut body = Vec::new();
    let mut title = Vec::new();
    let mut added = Vec::new();
    for source in &guides {
        let path = content.join(source);
        let original = std::fs::read_to_string(&path)?;

        std::fs::write(
            &path,
            format!("{original}\nOne more sentence for the benchmark.\n"),
        )?;
        body.push(timed(
            &mut session,
            &highlighter,
            Change::Page(source.clone()),
        )?);

        let renamed = original.replacen("\ntitle: ", "\ntitle: Renamed ", 1);
        std::fs::write(&path, renamed)?;
        title.push(timed(
            &mut session,
            &highlighter,
            Change::Page(source.clone()),
        )?);

        std::fs::write(&path, &original)?;
        session.apply(&[Change::Page(source.clone())], &highlighter)?;

        let new_source = source.replace(".md", "-extra.md");
        std::fs::write(content.join(&new_source), "# Extra\n\nA new page.\n")?;
        added.push(timed(
            &mut session,
            &highlighter,
            Change::Page(new_source.clone()),
        )?);
        std::fs::remove_file(content.join(&new_source))?;
        session.apply(&[Change::Page(new_source)], &highlighter)?;
    }
    report("body edit", &mut body);
    report("title edit", &mut title);
    report("new page", &mut added);
    std::fs::remove_dir_all(&out)?;
    Ok(())
}

fn timed(
    session: &mut Session,
    highlighter: &Highlighter,
    change: Change,
) -> Result<(Duration, usize), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let rebuild = session.apply(&[change], highlighter)?;
    Ok((started.elapsed(), rebuild.rendered))
}

fn report(what: &str, runs: &mut [(Duration, usize)]) {
    runs.sort();
    let Some(&(median, pages)) = runs.get(runs.len() / 2) else {
        return;
    };
    let (slowest, _) = runs[runs.len() - 1];
    println!(
        "{what:>10}: median {:6.1} ms, slowest {:6.1} ms ({pages} pages re-rendered)",
        median.as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0
    );
}
