//! `cargo xtask`: the project's command line.
//!
//! * `cargo xtask codegen [--check]`: regenerates `generated/` from `specs/` (or checks it is
//!   up to date, printing a diff when it is not).
//! * `cargo xtask generate --input SPEC --out DIR [--all | --config FILE] [--crate-name NAME]`:
//!   a standalone crate from any Microsoft Graph OpenAPI 3.0 or CSDL document, whole or sliced.
//! * `cargo xtask diff OLD NEW [--config FILE | --all] [--format markdown|json] [--fail-on breaking]`:
//!   what a change of Microsoft's metadata does to code using the bindings.
//! * `cargo xtask update --api VERSION [--input SOURCE]... [--keep-descriptions] [--check]`:
//!   derives an API version's spec from Microsoft's documents (paths or URLs) and regenerates.
//! * `cargo xtask bench [--runs N] [--only N,..] [--skip-decode] [--skip-builds] [--baseline REV]`:
//!   the performance table.

mod baseline;
mod bench;
mod compile_cost;
mod update;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{Mode, Summary};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Microsoft Graph code generation for msgraph-work"
)]
struct Cli {
    /// The workspace to work on (default: the one this xtask belongs to).
    #[arg(long, global = true)]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `specs/` (as configured in `specs/codegen.toml`).
    Codegen {
        /// Write nothing; fail with a diff if the checked-in code is not what the specs produce.
        #[arg(long)]
        check: bool,
    },
    /// Derive an API version's spec from Microsoft's documents and regenerate: the families cut
    /// out, the project's descriptions kept, the sources recorded, the changes reported.
    Update {
        /// The `[[api]]` version of `specs/codegen.toml`: `beta`, `v1.0`.
        #[arg(long = "api")]
        version: String,
        /// A Microsoft document (CSDL, or OpenAPI documents merged): a path or an http(s) URL.
        /// Default: the `[[api]]`'s `sources`.
        #[arg(long = "input")]
        inputs: Vec<String>,
        /// Keep Microsoft's descriptions where the project has none of its own.
        #[arg(long)]
        keep_descriptions: bool,
        /// Write nothing; fail if the specs or the generated code differ from what the sources give.
        #[arg(long)]
        check: bool,
    },
    /// Cut a document (OpenAPI or CSDL) down to the configured families, in the same format.
    Slice {
        /// The document to cut.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the slice.
        #[arg(long)]
        out: PathBuf,
        /// The configuration naming the families (default: `specs/codegen.toml`).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Report what changes between two documents (OpenAPI or CSDL) do to code using the bindings.
    Diff {
        /// The document before the change.
        old: PathBuf,
        /// The document after the change.
        new: PathBuf,
        /// The configuration naming the families to compare (default: `specs/codegen.toml`).
        #[arg(long, conflicts_with = "all")]
        config: Option<PathBuf>,
        /// Compare the whole documents, not only the configured families.
        #[arg(long)]
        all: bool,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit with a failure when a change of this class (or a worse one) is found.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Generate a standalone crate from one OpenAPI 3.0 or CSDL document or slice.
    Generate {
        /// The document to read.
        #[arg(long)]
        input: PathBuf,
        /// The directory of the crate to (re)write.
        #[arg(long)]
        out: PathBuf,
        /// The package name (default: `msgraph-<input file stem>`).
        #[arg(long)]
        crate_name: Option<String>,
        /// Keep only the families (and use the aliases) of this configuration, in the format
        /// of `specs/codegen.toml`.
        #[arg(long, conflicts_with = "all")]
        config: Option<PathBuf>,
        /// Generate the whole document: every type, and every operation its paths (or, for
        /// CSDL, its entity container and capability annotations) define. The default.
        #[arg(long)]
        all: bool,
        /// Write nothing; fail with a diff if the crate is not what the document produces.
        #[arg(long)]
        check: bool,
    },
    /// Measure the generator and the generated crate; prints a Markdown table of medians.
    /// Reads Microsoft's metadata from $GRAPH_METADATA (default: ../shared/graph-metadata).
    Bench {
        /// Runs per figure (clean builds: at most 3).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Skip the decoding figures (they build and run the generated crate's bench).
        #[arg(long)]
        skip_decode: bool,
        /// Skip the clean builds of the generated crate (the slowest figures).
        #[arg(long)]
        skip_builds: bool,
        /// Only these figures (1 to 8, comma-separated).
        #[arg(long, value_delimiter = ',')]
        only: Vec<usize>,
        /// Figure 8 also checks the whole v1.0 crate as the generator at this git revision
        /// makes it, in the same rounds, and prints today's crate against it.
        #[arg(long, value_name = "REV")]
        baseline: Option<String>,
    },
    /// `bench`'s child process: generate, then print the time and the peak memory.
    #[command(hide = true)]
    BenchGenerate {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// Breaking changes.
    Breaking,
    /// Breaking changes and changes that need attention.
    NeedsAttention,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.workspace.clone().unwrap_or_else(workspace_root);
    let default_config = || root.join("specs/codegen.toml");
    match cli.command {
        Command::Codegen { check } => {
            let mode = if check { Mode::Check } else { Mode::Write };
            finish(codegen::codegen(&root, mode), mode, "cargo xtask codegen")
        }
        Command::Generate {
            input,
            out,
            crate_name,
            config,
            all: _,
            check,
        } => {
            let mode = if check { Mode::Check } else { Mode::Write };
            let mut command = format!(
                "cargo xtask generate --input {} --out {}",
                input.display(),
                out.display()
            );
            if let Some(config) = &config {
                command.push_str(&format!(" --config {}", config.display()));
            }
            let summary =
                codegen::generate(&input, &out, crate_name.as_deref(), config.as_deref(), mode);
            finish(summary, mode, &command)
        }
        Command::Update {
            version,
            inputs,
            keep_descriptions,
            check,
        } => update::run(&update::Request {
            workspace: &root,
            version: &version,
            inputs: &inputs,
            keep_descriptions,
            mode: if check { Mode::Check } else { Mode::Write },
        }),
        Command::Slice { input, out, config } => {
            slice(&input, &out, &config.unwrap_or_else(default_config))
        }
        Command::Diff {
            old,
            new,
            config,
            all,
            format,
            fail_on,
        } => {
            let config = config.unwrap_or_else(default_config);
            let scope = if all {
                codegen::DiffScope::All
            } else {
                codegen::DiffScope::Config(&config)
            };
            diff(&old, &new, scope, format, fail_on)
        }
        Command::Bench {
            runs,
            skip_decode,
            skip_builds,
            only,
            baseline,
        } => {
            let metadata = std::env::var_os("GRAPH_METADATA")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared/graph-metadata"));
            let options = bench::Options {
                root,
                metadata,
                runs,
                skip_decode,
                skip_builds,
                only,
                baseline,
            };
            exit(bench::run(&options))
        }
        Command::BenchGenerate { input, out } => exit(bench::generate_and_report(&input, &out)),
    }
}

/// Prints a generation's summary, or its error.
fn finish(summary: Result<Summary, codegen::Error>, mode: Mode, command: &str) -> ExitCode {
    match summary {
        Ok(summary) => report(&summary, mode, command),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask diff`.
fn diff(
    old: &Path,
    new: &Path,
    scope: codegen::DiffScope,
    format: Format,
    fail_on: Option<FailOn>,
) -> ExitCode {
    let report = match codegen::diff(old, new, scope) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Markdown => print!("{}", codegen::changes::render::markdown(&report, 2)),
        Format::Json => print!("{}", codegen::changes::render::json(&report)),
    }
    let c = &report.counts;
    let failed = match fail_on {
        Some(FailOn::Breaking) => c.breaking > 0,
        Some(FailOn::NeedsAttention) => c.breaking + c.needs_attention > 0,
        None => false,
    };
    if failed {
        eprintln!(
            "error: {} breaking change(s), {} needing attention",
            c.breaking, c.needs_attention
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `cargo xtask slice`.
fn slice(input: &Path, out: &Path, config: &Path) -> ExitCode {
    let started = std::time::Instant::now();
    let cut = || -> Result<(codegen::DocumentSlice, usize, usize), String> {
        let config = codegen::config::Config::load(config).map_err(|e| e.to_string())?;
        let text = codegen::load::read_text(input).map_err(|e| e.to_string())?;
        let cut = codegen::slice_document(&text, &input.display().to_string(), &config.families)
            .map_err(|e| e.to_string())?;
        Ok((cut, text.len(), config.families.len()))
    };
    let (cut, size, families) = match cut() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &cut.warnings {
        eprintln!("warning: {w}");
    }
    for family in &cut.missing_families {
        eprintln!(
            "warning: the family `{family}` has no path in {}: nothing of it is in the slice",
            input.display()
        );
    }
    if cut.missing_families.len() == families {
        eprintln!(
            "error: none of the configured families exists in {}",
            input.display()
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(out, &cut.text) {
        eprintln!("error: {}: cannot write: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "{}: {} operations, {} types; {} of {} bytes kept; {:.0?}",
        out.display(),
        cut.operations,
        cut.types,
        cut.text.len(),
        size,
        started.elapsed()
    );
    ExitCode::SUCCESS
}

/// Prints the summary; in check mode, the diff and why the code is stale.
fn report(summary: &Summary, mode: Mode, command: &str) -> ExitCode {
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    for notice in &summary.notices {
        eprintln!("warning: {notice}");
    }
    for (version, applied) in &summary.corrections {
        match &applied.outcome {
            codegen::corrections::Outcome::Applied => {}
            codegen::corrections::Outcome::MetadataAgrees(why) => eprintln!(
                "note: correction `{}` ({version}) is no longer needed: {why}",
                applied.correction
            ),
            codegen::corrections::Outcome::Conflicts(why) => eprintln!(
                "warning: correction `{}` ({version}) was skipped: {why}",
                applied.correction
            ),
        }
    }
    let r = &summary.report;
    let verb = if mode == Mode::Check { "would be" } else { "" };
    println!(
        "{} types, {} operations; files: {} {verb} written, {} unchanged, {} {verb} removed; {:.0?}",
        summary.types,
        summary.operations,
        r.added.len() + r.modified.len(),
        r.unchanged,
        r.removed.len(),
        summary.elapsed,
    );
    if !summary.phases.is_empty() {
        let phases: Vec<String> = summary
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {d:.0?}"))
            .collect();
        println!("  time: {}", phases.join(", "));
    }
    for change_report in summary.changes.iter().filter(|r| !r.is_empty()) {
        println!();
        print!("{}", codegen::changes::render::markdown(change_report, 2));
    }
    if let Some(path) = &summary.changelog {
        println!(
            "\nadded these changes to {} (under \"Unreleased\")",
            path.display()
        );
    }
    if mode == Mode::Write || r.is_clean() {
        for f in r.added.iter().chain(&r.modified) {
            println!("  wrote {f}");
        }
        for f in &r.removed {
            println!("  removed {f}");
        }
        return ExitCode::SUCCESS;
    }
    print!("{}", r.diff);
    eprintln!("\nerror: the generated code is not up to date:");
    for reason in &r.reasons {
        eprintln!("  - {reason}");
    }
    eprintln!(
        "run `{}` and commit the result",
        command.replace(" --check", "")
    );
    ExitCode::FAILURE
}

/// The workspace root: `xtask/..`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}
