//! `cargo xtask update`: reads (or downloads) Microsoft's documents, hands them to
//! [`codegen::update`], and prints what it did.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use codegen::corrections::Outcome;
use codegen::{Mode, SourceDocument, Update, UpdateOptions};

/// The largest document downloaded: Microsoft's whole beta OpenAPI is about 40 MB.
const DOWNLOAD_LIMIT: u64 = 1 << 30;

/// What the command line asked for.
pub struct Request<'a> {
    pub workspace: &'a Path,
    pub version: &'a str,
    pub inputs: &'a [String],
    pub keep_descriptions: bool,
    pub mode: Mode,
}

/// Runs the command.
pub fn run(request: &Request) -> ExitCode {
    match update(request) {
        Ok(update) => print(&update, request.mode),
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("nothing was written");
            ExitCode::FAILURE
        }
    }
}

fn update(request: &Request) -> Result<Update, String> {
    // The version is checked before anything is downloaded.
    let sources = default_sources(request.workspace, request.version)?;
    let inputs = match request.inputs {
        [] if sources.is_empty() => {
            return Err(format!(
                "update --api {}: give the sources with --input, or name them in the \
                 [[api]]'s `sources` in specs/codegen.toml",
                request.version
            ));
        }
        [] => sources,
        given => given.to_vec(),
    };
    let sources = inputs
        .iter()
        .map(|input| fetch(input))
        .collect::<Result<Vec<_>, _>>()?;
    let options = UpdateOptions {
        keep_descriptions: request.keep_descriptions,
    };
    codegen::update(
        request.workspace,
        request.version,
        &sources,
        options,
        request.mode,
    )
    .map_err(|e| e.to_string())
}

/// The sources `specs/codegen.toml` names for an API version.
fn default_sources(workspace: &Path, version: &str) -> Result<Vec<String>, String> {
    let config_path = workspace.join("specs/codegen.toml");
    let config = codegen::config::Config::load(&config_path).map_err(|e| e.to_string())?;
    let api = config
        .apis
        .iter()
        .find(|a| a.version == version)
        .ok_or_else(|| {
            format!("update --api {version}: no [[api]] of specs/codegen.toml has this version")
        })?;
    api.source_locations(&workspace.join("specs"))
        .map_err(|e| format!("specs/codegen.toml: [[api]] {version}: {e}"))
}

/// A source's bytes: read from a path, or downloaded from a URL (with a progress bar).
fn fetch(input: &str) -> Result<SourceDocument, String> {
    if codegen::config::is_url(input) {
        return download(input).map(|bytes| SourceDocument {
            name: input.to_string(),
            bytes,
        });
    }
    SourceDocument::read(Path::new(input)).map_err(|e| e.to_string())
}

/// Downloads a document, showing progress on stderr.
fn download(url: &str) -> Result<Vec<u8>, String> {
    let error = |e: &dyn std::fmt::Display| format!("{url}: cannot download: {e}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_body(Some(Duration::from_secs(120)))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| error(&e))?;
    let length = response.body().content_length();
    let progress = match length {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::no_length(),
    };
    progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}",
        )
        .expect("a valid template"),
    );
    progress.set_message(url.to_string());
    let mut reader = progress.wrap_read(
        response
            .body_mut()
            .with_config()
            .limit(DOWNLOAD_LIMIT)
            .reader(),
    );
    let mut bytes = Vec::with_capacity(length.unwrap_or(0).min(DOWNLOAD_LIMIT) as usize);
    let read = reader.read_to_end(&mut bytes);
    progress.finish_and_clear();
    read.map_err(|e| error(&e))?;
    Ok(bytes)
}

/// Prints what the update did: the specs, Microsoft's changes and those the corrections
/// absorb, what changed for users, the corrections' state, and what has no description yet.
fn print(update: &Update, mode: Mode) -> ExitCode {
    let would = if mode == Mode::Check {
        "would change"
    } else {
        "changed"
    };
    for w in &update.warnings {
        eprintln!("warning: {w}");
    }
    for notice in &update.generation.notices {
        eprintln!("warning: {notice}");
    }
    match update.specs_changed.is_empty() {
        true => println!("{}: up to date with the sources", update.spec),
        false => println!("specs {would}: {}", update.specs_changed.join(", ")),
    }
    let m = &update.microsoft.counts;
    println!(
        "Microsoft's changes to the families ({} → {}): {} breaking, {} needing attention, {} non-breaking",
        update.microsoft.old, update.microsoft.new, m.breaking, m.needs_attention, m.non_breaking
    );
    if !update.absorbed.is_empty() {
        println!("Absorbed by the project's corrections (users see no change):");
        for a in &update.absorbed {
            let c = &a.change;
            let by = match a.corrections.is_empty() {
                true => "no correction names it".to_string(),
                false => a.corrections.join("; "),
            };
            println!(
                "  - {} {} `{}` ({}): by {by}",
                c.area.as_str(),
                c.kind.as_str(),
                c.subject,
                c.detail
            );
        }
    }
    print_corrections(update);
    print_user_changes(update, would);
    if !update.undescribed.is_empty() {
        println!(
            "\n{} of Microsoft's descriptions have no words of the project's yet (write them in {}; the next update keeps them):",
            update.undescribed.len(),
            update.spec
        );
        for identity in &update.undescribed {
            println!("  - {identity}");
        }
    }
    let r = &update.generation.report;
    println!(
        "\ngenerated: {} files {would}, {} unchanged, {} removed",
        r.added.len() + r.modified.len(),
        r.unchanged,
        r.removed.len()
    );
    if mode == Mode::Check && !(update.specs_changed.is_empty() && r.is_clean()) {
        print!("{}", r.diff);
        eprintln!(
            "error: the specs or the generated code are not what `cargo xtask update --api {}` derives from these sources",
            update.version
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The corrections Microsoft's metadata now agrees with, or no longer fits.
fn print_corrections(update: &Update) {
    for (_, applied) in &update.generation.corrections {
        match &applied.outcome {
            Outcome::Applied => {}
            Outcome::MetadataAgrees(why) => println!(
                "note: correction `{}` is no longer needed: {why}",
                applied.correction
            ),
            Outcome::Conflicts(why) => println!(
                "warning: correction `{}` was skipped: {why}",
                applied.correction
            ),
        }
    }
}

/// What changed for users of the crate: counts, the suggested version, and the report.
fn print_user_changes(update: &Update, would: &str) {
    for report in update.generation.changes.iter().filter(|r| !r.is_empty()) {
        let c = &report.counts;
        println!(
            "\nWhat {would} for users of `{}` ({}): {} breaking, {} needing attention, {} non-breaking; suggested version: {}",
            report.version,
            report.bump.as_str(),
            c.breaking,
            c.needs_attention,
            c.non_breaking,
            report.next_version.as_deref().unwrap_or("(unknown)")
        );
        print!("{}", codegen::changes::render::markdown(report, 2));
    }
    if update.generation.changes.iter().all(|r| r.is_empty()) {
        println!("\nNothing {would} for users of the crate.");
    }
    if let Some(path) = &update.generation.changelog {
        println!(
            "added the changes to {} (under \"Unreleased\")",
            path.display()
        );
    }
}
