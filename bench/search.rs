//! Search index benchmark: what the full-text index costs to build and what a reader's first
//! query fetches.
//!
//! `search SITE_DIR [OUTPUT_DIR] [-- QUERY...]` loads the site, builds its search index in
//! memory (timed: the records of every page, then the shard and fragment files) and prints the
//! index size (raw and gzip), the shard count and the largest shard; then, for each query
//! (default: a few guide-reader queries), the files search.js would fetch for it as typed —
//! manifest, the shards of its words (the last one also as a prefix), the fragments of the ten
//! best pages — and their gzip size, with search.js and search.css. With OUTPUT_DIR (the site
//! built with `docgen build`), one guide page and the theme files it loads are added, for
//! the whole cost of "open a page, search once".
//!
//! `cargo run --release --example search -- /dev/shm/corpus /dev/shm/corpus-out`

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use std::sync::Mutex;

use docgen::build::Indexed;
use docgen::config::{Config, Overrides};
use docgen::output::Written;
use docgen::search::{self, Stems};

const DEFAULT_QUERIES: [&str; 6] = [
    "oauth token refresh",
    "retry-after",
    "webhooks",
    "pagination",
    "rate limit",
    "bulk upload jobs",
];
/// search.js ranks the sections of this many pages.
const FRAGMENT_PAGES: usize = 10;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (paths, queries) = match args.iter().position(|a| a == "--") {
        Some(at) => (&args[..at], args[at + 1..].to_vec()),
        None => (&args[..], DEFAULT_QUERIES.map(str::to_string).to_vec()),
    };
    let Some(site) = paths.first().map(PathBuf::from) else {
        eprintln!("usage: search SITE_DIR [OUTPUT_DIR] [-- QUERY...]");
        return ExitCode::from(2);
    };
    match run(&site, paths.get(1).map(Path::new), &queries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("search: {e}");
            ExitCode::FAILURE
        }
    }
}

/// CPU seconds this process has used (user + system), all threads.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len()
}

fn run(
    root: &Path,
    output: Option<&Path>,
    queries: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let site = Indexed::load(Config::load(root, &Overrides::default())?)?;
    println!(
        "site: {} pages loaded and parsed in {:.2}s",
        site.published().count(),
        started.elapsed().as_secs_f64()
    );
    // Best of three, the build's own code (`Indexed::search_index`), into memory.
    // On a shared machine wall time says little; CPU time is what the index costs.
    let mut best = f64::MAX;
    let mut files = Vec::new();
    let mut records_time = 0.0;
    let mut cpu = (0.0, 0.0);
    for _ in 0..3 {
        let started = Instant::now();
        let cpu_start = cpu_seconds();
        let made: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
        let keep = |path: &str, bytes: &[u8]| {
            let text = String::from_utf8(bytes.to_vec()).expect("the index is UTF-8");
            made.lock()
                .expect("no panics")
                .push((path.to_string(), text));
            Ok(Written::Changed)
        };
        // No entries from a render: every page's sections are read here, as `serve` reads
        // them (a build reads them from the render's events instead).
        let written = site.search_index(&keep, Default::default())?;
        let middle = Instant::now();
        let cpu_middle = cpu_seconds();
        // The shards again, alone, for their share.
        Indexed::search_shards(
            &|_: &str, _: &[u8]| Ok(Written::Changed),
            &written.records,
            &written.vocabulary,
            &written.fragments,
        )?;
        let total = started.elapsed().as_secs_f64() - (Instant::now() - middle).as_secs_f64();
        if total < best {
            best = total;
            let shard_cpu = cpu_seconds() - cpu_middle;
            let shard_wall = (Instant::now() - middle).as_secs_f64();
            records_time = total - shard_wall;
            cpu = (cpu_middle - cpu_start - shard_cpu, shard_cpu);
        }
        files = made.into_inner().expect("no panics");
    }
    files.sort();
    let sections: usize = files
        .iter()
        .filter(|(p, _)| p.contains("/p/"))
        .map(|(_, f)| f.matches("\"],[\"").count() + f.matches("\"s\":[[").count())
        .sum();
    let by_name: BTreeMap<&str, &str> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let shards: Vec<&(String, String)> = files.iter().filter(|(p, _)| p.contains("/t/")).collect();
    let raw: usize = files.iter().map(|(_, t)| t.len()).sum();
    let gz_shards: Vec<usize> = shards.iter().map(|(_, t)| gzip(t.as_bytes())).collect();
    let gz_fragments: usize = files
        .iter()
        .filter(|(p, _)| p.contains("/p/"))
        .map(|(_, t)| gzip(t.as_bytes()))
        .sum();
    println!(
        "index: {:.0} ms wall ({:.0} ms records and fragment files of every page, {:.0} ms shards), best of 3, not written",
        best * 1000.0,
        records_time * 1000.0,
        (best - records_time) * 1000.0
    );
    println!(
        "index CPU: {:.2} s ({:.2} s records and fragment files, {:.2} s shards); compare with the CPU time of `docgen build`",
        cpu.0 + cpu.1,
        cpu.0,
        cpu.1
    );
    println!(
        "size: {} files, {:.1} MB raw, {:.1} MB gzip ({:.1} MB shards, {:.1} MB fragments); about {sections} sections",
        files.len(),
        raw as f64 / 1e6,
        (gz_shards.iter().sum::<usize>() + gz_fragments) as f64 / 1e6,
        gz_shards.iter().sum::<usize>() as f64 / 1e6,
        gz_fragments as f64 / 1e6,
    );
    println!(
        "shards: {}, largest {:.1} KB gzip, median {:.1} KB gzip",
        shards.len(),
        *gz_shards.iter().max().unwrap_or(&0) as f64 / 1e3,
        median(&gz_shards) as f64 / 1e3
    );

    let manifest: serde_json::Value = serde_json::from_str(by_name[search::MANIFEST])?;
    let firsts: Vec<String> = manifest["shards"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let pages = manifest["pages"].as_u64().unwrap_or(1) as f64;
    // Each fragment file's name and first page.
    let mut chunks: Vec<(String, usize)> = Vec::new();
    let mut start = 0;
    for entry in manifest["p"].as_array().into_iter().flatten() {
        let name = entry[0].as_str().unwrap_or("").to_string();
        chunks.push((name, start));
        start += entry[1].as_u64().unwrap_or(0) as usize;
    }
    println!(
        "fragment files: {}, manifest {:.1} KB gzip",
        chunks.len(),
        gzip(by_name[search::MANIFEST].as_bytes()) as f64 / 1e3
    );
    let theme = site.theme().static_files.iter();
    let mut script_bytes = 0;
    for file in theme {
        if file.path == "search.js" || file.path == "search.css" {
            script_bytes += gzip(&file.bytes()?);
        }
    }
    let page_bytes = match output {
        Some(out) => page_cost(out)?,
        None => 0,
    };
    let mut shard_cache: BTreeMap<usize, serde_json::Value> = BTreeMap::new();
    for query in queries {
        let words: Vec<(String, String, bool)> = {
            let found: Vec<String> = search::words(query).map(|(w, _)| w).collect();
            let mut stems = Stems::default();
            let n = found.len();
            found
                .into_iter()
                .enumerate()
                .filter(|(_, w)| !search::is_stop_word(w))
                .map(|(i, w)| {
                    let term = stems.stem(&w).to_string();
                    (w.clone(), term, i + 1 == n && w.chars().count() >= 2)
                })
                .collect()
        };
        let mut wanted: BTreeSet<usize> = BTreeSet::new();
        for (word, term, prefix) in &words {
            wanted.insert(shard_of(&firsts, term));
            if *prefix {
                let low = if word < term { word } else { term };
                let from = shard_of(&firsts, low);
                let mut added = 1;
                for (n, first) in firsts.iter().enumerate().skip(from) {
                    if added >= 4 {
                        break;
                    }
                    if n == from
                        || first.starts_with(low.as_str())
                        || first.starts_with(word.as_str())
                    {
                        if wanted.insert(n) {
                            added += 1;
                        }
                    } else {
                        break;
                    }
                }
            }
        }
        let mut scores: BTreeMap<u64, (usize, f64)> = BTreeMap::new();
        let mut bytes = script_bytes + gzip(by_name[search::MANIFEST].as_bytes());
        for &n in &wanted {
            let text = by_name[format!("{}/t/{n}.json", search::DIR).as_str()];
            bytes += gzip(text.as_bytes());
            shard_cache
                .entry(n)
                .or_insert_with(|| serde_json::from_str(text).expect("a shard is JSON"));
        }
        for (w, (word, term, prefix)) in words.iter().enumerate() {
            let mut best: BTreeMap<u64, f64> = BTreeMap::new();
            for n in &wanted {
                for entry in shard_cache[n]["t"].as_array().into_iter().flatten() {
                    let t = entry[0].as_str().unwrap_or("");
                    let weight = if t == term {
                        1.0
                    } else if *prefix
                        && (t.starts_with(word.as_str()) || t.starts_with(term.as_str()))
                    {
                        0.7
                    } else {
                        continue;
                    };
                    let gaps = entry[2].as_array().cloned().unwrap_or_default();
                    let quantised = entry[3].as_array().cloned().unwrap_or_default();
                    let df = gaps.len() as f64;
                    let idf = (1.0 + (pages - df + 0.5) / (df + 0.5)).ln() * weight;
                    let mut id = 0;
                    for (gap, q) in gaps.iter().zip(&quantised) {
                        id += gap.as_u64().unwrap_or(0);
                        let s = idf * q.as_f64().unwrap_or(0.0) / 255.0 * 2.2;
                        let e = best.entry(id).or_insert(0.0);
                        *e = e.max(s);
                    }
                }
            }
            let _ = w;
            for (id, s) in best {
                let e = scores.entry(id).or_insert((0, 0.0));
                e.0 += 1;
                e.1 += s;
            }
        }
        let mut ranked: Vec<(u64, (usize, f64))> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(b.1.1.total_cmp(&a.1.1)));
        let matching = ranked
            .iter()
            .filter(|r| Some(r.1.0) == ranked.first().map(|f| f.1.0))
            .count();
        let fetched: BTreeSet<&str> = ranked
            .iter()
            .take(FRAGMENT_PAGES)
            .map(|(id, _)| chunk_of(&chunks, *id as usize))
            .collect();
        for name in &fetched {
            bytes += gzip(by_name[search::chunk_path(name).as_str()].as_bytes());
        }
        println!(
            "query {query:?}: {} shards + {} fragment files ({} pages), {:.1} KB gzip with search.js/css ({:.1} KB with the page and theme); {matching} matching pages",
            wanted.len(),
            fetched.len(),
            ranked.len().min(FRAGMENT_PAGES),
            bytes as f64 / 1e3,
            (bytes + page_bytes) as f64 / 1e3,
        );
    }
    Ok(())
}

/// The fragment file holding page `id`.
fn chunk_of(chunks: &[(String, usize)], id: usize) -> &str {
    let at = chunks
        .partition_point(|(_, start)| *start <= id)
        .saturating_sub(1);
    &chunks[at].0
}

/// The shard whose range holds `term`.
fn shard_of(firsts: &[String], term: &str) -> usize {
    firsts
        .partition_point(|first| first.as_str() <= term)
        .saturating_sub(1)
}

fn median(values: &[usize]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

/// Gzip bytes of one guide page of the built site and the theme files every page loads.
fn page_cost(out: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let mut page = None;
    for entry in walkdir::WalkDir::new(out.join("elements")).max_depth(2) {
        let entry = entry?;
        if entry.path().extension().is_some_and(|e| e == "html")
            && entry.file_name() != "index.html"
        {
            page = Some(entry.path().to_path_buf());
            break;
        }
    }
    let mut total = 0;
    for path in page.into_iter().chain(
        [
            "theme.css",
            "theme.js",
            "highlight.css",
            "elements-nav.json",
        ]
        .iter()
        .map(|f| out.join(f)),
    ) {
        if let Ok(bytes) = std::fs::read(&path) {
            total += gzip(&bytes);
        }
    }
    Ok(total)
}
