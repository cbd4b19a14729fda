//! `cargo xtask bench`: the performance figures of issue 7, each the median of several runs,
//! printed as a Markdown table (the README's performance section is this table).
//!
//! In-process figures (codegen, loading, slicing) run in this process after a warm-up run.
//! Whole-API generation runs as child processes (`xtask bench-generate`), so that each run's
//! peak memory is its own. Decoding runs the `decode` bench of the generated crate; clean
//! builds build a throwaway crate that depends on `generated/`, with a fresh target directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::config::Family;

/// What to measure.
pub struct Options {
    pub root: PathBuf,
    pub metadata: PathBuf,
    pub runs: usize,
    pub skip_decode: bool,
    pub skip_builds: bool,
    /// Only these figures (1 to 8); all when empty.
    pub only: Vec<usize>,
    /// A git revision whose generator's whole v1.0 crate figure 8 compares with.
    pub baseline: Option<String>,
}

/// One line of the table.
pub(crate) struct Row {
    figure: String,
    value: String,
    ratio: String,
    target: String,
}

impl Row {
    pub(crate) fn new(figure: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: value.into(),
            ratio: String::new(),
            target: String::new(),
        }
    }
    pub(crate) fn ratio(mut self, ratio: impl Into<String>) -> Row {
        self.ratio = ratio.into();
        self
    }
    pub(crate) fn target(mut self, target: impl Into<String>) -> Row {
        self.target = target.into();
        self
    }
}

pub fn run(options: &Options) -> Result<(), String> {
    let mut rows = Vec::new();
    let n = options.runs.max(1);
    let wanted = |figure: usize| options.only.is_empty() || options.only.contains(&figure);
    if let Some(rev) = &options.baseline {
        crate::baseline::commit(&options.root, rev)?;
    }
    if wanted(1) {
        eprintln!("1/8 codegen of specs/ ...");
        rows.push(codegen_figure(options, n)?);
    }
    if wanted(2) {
        eprintln!("2/8 CSDL load and slice ...");
        rows.extend(csdl_figures(options, n)?);
    }
    if wanted(3) {
        eprintln!("3/8 OpenAPI load ...");
        rows.extend(openapi_figures(options, n)?);
    }
    if wanted(4) {
        eprintln!("4/8 whole-API generation at 10/25/50/100% of the types ...");
        rows.extend(scale_figures(options, n)?);
    }
    if !wanted(5) {
    } else if options.skip_decode {
        rows.push(Row::new("5. decoding", "skipped (--skip-decode)"));
    } else {
        eprintln!("5/8 decoding (cargo bench -p msgraph-work --bench decode) ...");
        rows.extend(decode_figures(options)?);
    }
    if !wanted(6) {
    } else if options.skip_builds {
        rows.push(Row::new("6. clean builds", "skipped (--skip-builds)"));
    } else {
        eprintln!("6/8 clean builds of msgraph-work ...");
        rows.extend(build_figures(options, n.min(3))?);
    }
    if wanted(7) {
        eprintln!("7/8 update from the whole clean v1.0 CSDL ...");
        rows.extend(update_figures(options, n)?);
    }
    if !wanted(8) {
    } else if options.skip_builds {
        rows.push(Row::new(
            "8. compile cost per feature",
            "skipped (--skip-builds)",
        ));
    } else {
        eprintln!("8/8 cargo check per feature: msgraph-work, and the whole v1.0 crate ...");
        rows.extend(crate::compile_cost::figures(options, n.min(3))?);
    }
    println!(
        "{}",
        table(
            &rows,
            n,
            std::thread::available_parallelism().map_or(1, |p| p.get())
        )
    );
    Ok(())
}

fn table(rows: &[Row], runs: usize, cores: usize) -> String {
    let mut out = format!(
        "Median of {runs} runs (clean builds: of {}), release build of the generator, {cores} cores.\n\n\
         | figure | median | ratio | target |\n|---|---:|---:|---|\n",
        runs.min(3)
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.figure, r.value, r.ratio, r.target
        ));
    }
    out
}

/// Runs `f` once to warm up, then `runs` times; the median duration and the last result.
fn median_of<T>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, String>,
) -> Result<(Duration, T), String> {
    let mut last = f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        last = f()?;
        times.push(started.elapsed());
    }
    Ok((median(times), last))
}

pub(crate) fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort();
    values[values.len() / 2]
}

pub(crate) fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (set GRAPH_METADATA to ../shared/graph-metadata)",
            path.display()
        )
    })
}

fn families(root: &Path) -> Result<Vec<Family>, String> {
    codegen::config::Config::load(&root.join("specs/codegen.toml"))
        .map(|c| c.families)
        .map_err(|e| e.to_string())
}

/// 1. `cargo xtask codegen --check`, in process: load, model, emit, format, compare.
fn codegen_figure(options: &Options, runs: usize) -> Result<Row, String> {
    let (time, summary) = median_of(runs, || {
        codegen::codegen(&options.root, codegen::Mode::Check).map_err(|e| e.to_string())
    })?;
    Ok(Row::new(
        format!(
            "1. codegen of specs/ ({} types, {} operations, check mode)",
            summary.types, summary.operations
        ),
        ms(time),
    )
    .target("< 200 ms"))
}

/// Figure 7: `cargo xtask update --api v1.0` from Microsoft's whole clean CSDL (check mode,
/// in process: read, cut, carry the descriptions over, plan, report, compare), against what
/// it cannot avoid: a codegen of the project and a bare parse of the source.
fn update_figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let path = options
        .metadata
        .join("csdl/clean/v1.0-clean-2026-06-03-91235222.xml");
    let (parse, size) = median_of(runs, || {
        let text = read(&path)?;
        roxmltree::Document::parse(text.trim_start_matches('\u{feff}'))
            .map(|d| d.descendants().count())
            .map_err(|e| e.to_string())?;
        Ok(text.len())
    })?;
    let (codegen, _) = median_of(runs, || {
        codegen::codegen(&options.root, codegen::Mode::Check).map_err(|e| e.to_string())
    })?;
    let (update, result) = median_of(runs, || {
        let source = codegen::SourceDocument::read(&path).map_err(|e| e.to_string())?;
        codegen::update(
            &options.root,
            "v1.0",
            &[source],
            codegen::UpdateOptions::default(),
            codegen::Mode::Check,
        )
        .map_err(|e| e.to_string())
    })?;
    let baseline = codegen + parse;
    Ok(vec![
        Row::new(
            format!(
                "7. codegen of specs/ plus a bare `roxmltree` parse of the clean v1.0 CSDL ({:.1} MB)",
                size as f64 / 1e6
            ),
            ms(baseline),
        )
        .ratio("1.00x"),
        Row::new(
            format!(
                "7. update --api v1.0 from it (check mode; specs {})",
                if result.specs_changed.is_empty() { "up to date" } else { "stale" }
            ),
            ms(update),
        )
        .ratio(ratio(update, baseline))
        .target("<= 1.5x"),
    ])
}

/// 2. The full latest v1.0 CSDL: bare parse, load of every path, load of the families, cut.
fn csdl_figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let path = options.metadata.join("csdl/v1.0-Prod-latest.csdl");
    let text = read(&path)?;
    let file = "v1.0-Prod-latest.csdl";
    let families = families(&options.root)?;
    let (bare, _) = median_of(runs, || {
        roxmltree::Document::parse(&text)
            .map(std::hint::black_box)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let (whole, loaded) = median_of(runs, || {
        codegen::load::csdl::load_str(&text, file).map_err(|e| e.to_string())
    })?;
    let (sliced, slice) = median_of(runs, || {
        let filter = codegen::config::FamilyFilter {
            families: &families,
        };
        let loaded =
            codegen::load::csdl::load_filtered(&text, file, &filter).map_err(|e| e.to_string())?;
        Ok(codegen::slice(&loaded.api, &families).api)
    })?;
    let (cut, cut_doc) = median_of(runs, || {
        codegen::slice_document(&text, file, &families).map_err(|e| e.to_string())
    })?;
    let mb = text.len() as f64 / 1e6;
    Ok(vec![
        Row::new(
            format!("2. bare `roxmltree` parse of v1.0-Prod-latest.csdl ({mb:.1} MB)"),
            ms(bare),
        )
        .ratio("1.00x"),
        Row::new(
            format!(
                "2. load: parse, then model every type and path ({} types, {} operations, {} links)",
                loaded.api.types.len(),
                loaded.api.operations.len(),
                loaded.api.links.len()
            ),
            ms(whole),
        )
        .ratio(ratio(whole, bare)),
        Row::new(
            format!(
                "2. slice: parse, then model the configured families ({} types, {} operations)",
                slice.types.len(),
                slice.operations.len()
            ),
            ms(sliced),
        )
        .ratio(ratio(sliced, bare))
        .target("<= 1.5x the bare parse"),
        Row::new(
            format!(
                "2. cut: write the families' slice as CSDL ({} KB)",
                cut_doc.text.len() / 1000
            ),
            ms(cut),
        )
        .ratio(ratio(cut, bare)),
    ])
}

/// 3. The largest OpenAPI module: bare YAML parse into a generic value, and our load.
fn openapi_figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let dir = options.metadata.join("openapi/modules-2023-11");
    let largest = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .ok_or_else(|| format!("{}: no module", dir.display()))?
        .path();
    let text = read(&largest)?;
    let file = largest
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (bare, _) = median_of(runs, || {
        serde_norway::from_str::<serde_norway::Value>(&text).map_err(|e| e.to_string())
    })?;
    let (ours, loaded) = median_of(runs, || {
        codegen::load::openapi::load_str(&text, &file).map_err(|e| e.to_string())
    })?;
    let mb = text.len() as f64 / 1e6;
    Ok(vec![
        Row::new(
            format!("3. bare `serde_norway` (serde_yaml's maintained fork) parse of {file} ({mb:.1} MB) into a Value"),
            ms(bare),
        )
        .ratio("1.00x"),
        Row::new(
            format!(
                "3. load {file} ({} types, {} operations)",
                loaded.api.types.len(),
                loaded.api.operations.len()
            ),
            ms(ours),
        )
        .ratio(ratio(ours, bare)),
    ])
}

/// What a `bench-generate` child reports.
struct Generated {
    types: usize,
    operations: usize,
    elapsed: Duration,
    peak_kb: u64,
    load: Duration,
    emit: Duration,
    write: Duration,
}

/// 4. Whole-API generation of growing shares of the v1.0 types, each in a child process.
fn scale_figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let input = options.metadata.join("csdl/v1.0-Prod-latest.csdl");
    let text = read(&input)?;
    let work = options.root.join("target/bench/scale");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let total = codegen::load::csdl::load_str(&text, "v1.0-Prod-latest.csdl")
        .map_err(|e| e.to_string())?
        .api
        .types
        .len();
    let mut inputs = Vec::new();
    for percent in [10, 25, 50] {
        let (cut, types) = share_of_types(&text, total, percent)?;
        let path = work.join(format!("v1.0-{percent}.csdl"));
        std::fs::write(&path, cut).map_err(|e| e.to_string())?;
        inputs.push((
            format!("{percent}% ({types} of {total} types, a cut)"),
            path,
        ));
    }
    inputs.push((format!("100% (the whole document, {total} types)"), input));
    let mut rows = Vec::new();
    // Time per line of the smallest share, total and emit+format: growth is relative to it.
    let mut first: Option<(f64, f64)> = None;
    for (label, input) in inputs {
        let mut results = Vec::new();
        let mut outs = Vec::new();
        for run in 0..runs {
            // A fresh directory per run, removed after all runs: the generation writes every
            // file, and no removal runs just before a measurement.
            let out = work.join(format!("crate-{run}"));
            let _ = std::fs::remove_dir_all(&out);
            results.push(generate_child(&input, &out)?);
            outs.push(out);
        }
        let lines = count_lines(&outs[0].join("src"));
        for out in outs {
            let _ = std::fs::remove_dir_all(out);
        }
        let pick = |f: fn(&Generated) -> Duration| median(results.iter().map(f).collect());
        let (elapsed, load, emit, write) = (
            pick(|r| r.elapsed),
            pick(|r| r.load),
            pick(|r| r.emit),
            pick(|r| r.write),
        );
        let peak = median(results.iter().map(|r| r.peak_kb).collect());
        let r = &results[0];
        // Time per line emitted: the work grows with the code, and types differ in size.
        let per_line = |d: Duration| d.as_secs_f64() * 1e6 / lines.max(1) as f64;
        let (total_per_line, emit_per_line) = (per_line(elapsed), per_line(emit));
        let (base_total, base_emit) = *first.get_or_insert((total_per_line, emit_per_line));
        rows.push(
            Row::new(
                format!(
                    "4. generate {label}: {} models, {} operations, {lines} lines; load {}, emit+format {}, write {}; peak {} MB",
                    r.types,
                    r.operations,
                    ms(load),
                    ms(emit),
                    ms(write),
                    peak / 1024
                ),
                ms(elapsed),
            )
            // 1.00 is linear growth: the same time per line as the smallest share.
            .ratio(format!(
                "{total_per_line:.2} µs/line; growth {:.2} (emit+format {:.2})",
                total_per_line / base_total,
                emit_per_line / base_emit
            ))
            .target(if label.starts_with("100%") {
                "< 5 s, < 1 GB; growth near 1"
            } else {
                ""
            }),
        );
    }
    Ok(rows)
}

/// A cut of the document whose type count is the smallest at or above `percent` of `total`:
/// whole roots (entity sets, singletons) are added smallest first.
fn share_of_types(text: &str, total: usize, percent: usize) -> Result<(String, usize), String> {
    let file = "v1.0-Prod-latest.csdl";
    let family = |root: &str| -> Result<Family, String> {
        Ok(Family {
            name: root.to_string(),
            description: None,
            paths: vec![
                codegen::paths::PathPattern::parse(&format!("/{root}/**"))
                    .map_err(|e| e.to_string())?,
            ],
        })
    };
    let api = codegen::load::csdl::load_str(text, file)
        .map_err(|e| e.to_string())?
        .api;
    let mut roots: Vec<String> = api
        .operations
        .iter()
        .filter_map(|op| match op.path.segments.first() {
            Some(codegen::model::Segment::Literal(root)) => Some(root.clone()),
            _ => None,
        })
        .collect();
    roots.sort();
    roots.dedup();
    let mut sized = Vec::new();
    for root in roots {
        let cut =
            codegen::slice_document(text, file, &[family(&root)?]).map_err(|e| e.to_string())?;
        sized.push((cut.types, root));
    }
    sized.sort();
    let wanted = total * percent / 100;
    let cut_of = |k: usize| {
        let families = sized[..k]
            .iter()
            .map(|(_, r)| family(r))
            .collect::<Result<Vec<Family>, String>>()?;
        codegen::slice_document(text, file, &families).map_err(|e| e.to_string())
    };
    // The union only grows with k: find the smallest k that reaches the share.
    let (mut lo, mut hi) = (1, sized.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if cut_of(mid)?.types >= wanted {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let cut = cut_of(lo)?;
    Ok((cut.text, cut.types))
}

fn generate_child(input: &Path, out: &Path) -> Result<Generated, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .arg("bench-generate")
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "generating from {} failed:\n{}",
            input.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let field = |name: &str| -> Result<u64, String> {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
            .ok_or_else(|| format!("bench-generate printed no {name}: {stdout}"))
    };
    Ok(Generated {
        types: field("types")? as usize,
        operations: field("operations")? as usize,
        elapsed: Duration::from_micros(field("elapsed_us")?),
        peak_kb: field("peak_kb")?,
        load: Duration::from_micros(field("load_us")?),
        emit: Duration::from_micros(field("emit+format_us")?),
        write: Duration::from_micros(field("record+compare+write_us")?),
    })
}

/// The child side: generate, then print the figures on one line.
pub fn generate_and_report(input: &Path, out: &Path) -> Result<(), String> {
    let started = Instant::now();
    let summary = codegen::generate(
        input,
        out,
        Some("msgraph-bench"),
        None,
        codegen::Mode::Write,
    )
    .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let phases: Vec<String> = summary
        .phases
        .iter()
        .map(|(name, d)| format!("{name}_us={}", d.as_micros()))
        .collect();
    println!(
        "types={} operations={} elapsed_us={} peak_kb={} {}",
        summary.types,
        summary.operations,
        elapsed.as_micros(),
        peak_memory_kb().unwrap_or(0),
        phases.join(" ")
    );
    Ok(())
}

/// The process's peak resident memory (Linux: `VmHWM`), in KiB.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn count_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                count_lines(&path)
            } else {
                std::fs::read_to_string(&path)
                    .map(|t| t.lines().count())
                    .unwrap_or(0)
            }
        })
        .sum()
}

/// 5. The generated crate's `decode` bench: lossless models against plain serde derive.
fn decode_figures(options: &Options) -> Result<Vec<Row>, String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(&options.root)
        .args(["bench", "-q", "-p", "msgraph-work", "--bench", "decode"])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "the decode bench failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut rows = Vec::new();
    for line in stdout.lines() {
        // `clean   10.5 MB   lossless ... ratio 0.93x   (with drop: ...)`
        let (Some((head, rest)), true) = (line.split_once("lossless"), line.contains("ratio"))
        else {
            continue;
        };
        let label = head.split("  ").next().unwrap_or("").trim();
        let ratio = rest
            .split("ratio")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or("?");
        let target = if label == "clean" {
            ">= 0.90x"
        } else {
            ">= 0.75x"
        };
        rows.push(
            Row::new(
                format!("5. decode 100,000 work plan occurrences, {label}, lossless vs plain serde derive"),
                format!("lossless{}", rest.split("ratio").next().unwrap_or("").trim_end()),
            )
            .ratio(ratio.to_string())
            .target(target),
        );
    }
    if rows.is_empty() {
        return Err(format!("the decode bench printed no figures:\n{stdout}"));
    }
    Ok(rows)
}

/// 6. Clean builds (`cargo build`, dev profile) of a crate that depends on `msgraph-work`.
fn build_figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let configs = [
        ("default features (beta, v1_0, client)", "", true),
        ("`beta` only", "\"beta\"", false),
        ("without `client` (beta, v1_0)", "\"beta\", \"v1_0\"", false),
    ];
    let mut rows = Vec::new();
    for (i, (label, features, default)) in configs.iter().enumerate() {
        let dir = options.root.join(format!("target/bench/build-{i}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let manifest = format!(
            "[package]\nname = \"bench-consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nmsgraph-work = {{ path = {:?}, default-features = {default}, features = [{features}] }}\n\n\
             [workspace]\n",
            options.root.join("generated").display().to_string()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
        // The workspace's versions, without the network.
        std::fs::copy(options.root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
        let mut times = Vec::new();
        let mut crates = 0;
        for _ in 0..runs {
            let target = dir.join("target");
            let _ = std::fs::remove_dir_all(&target);
            let started = Instant::now();
            let output = Command::new(env!("CARGO"))
                .current_dir(&dir)
                .args(["build", "--offline", "--color", "never"])
                .env("CARGO_TARGET_DIR", &target)
                .env_remove("RUSTFLAGS")
                .output()
                .map_err(|e| e.to_string())?;
            times.push(started.elapsed());
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() {
                return Err(format!("the clean build ({label}) failed:\n{stderr}"));
            }
            crates = stderr
                .lines()
                .filter(|l| l.trim_start().starts_with("Compiling"))
                .count();
        }
        rows.push(
            Row::new(
                format!("6. clean build of msgraph-work, {label}: {crates} crates compiled"),
                ms(median(times)),
            )
            .target(if i == 0 {
                "far below Kiota's minutes"
            } else {
                ""
            }),
        );
    }
    Ok(rows)
}
