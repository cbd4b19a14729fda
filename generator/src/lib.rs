//! A code generator for Microsoft Graph: metadata in, lossless Rust bindings out.
//!
//! The pipeline, top to bottom:
//!
//! 1. **load** ([`load`]): an OpenAPI 3.0 document becomes an [`model::Api`];
//! 2. **model** ([`model`]): the language-neutral description every later step reads;
//! 3. **emit** ([`emit`]): the model becomes Rust tokens, named by [`names`];
//! 4. **write** ([`write`]): tokens are formatted with `prettyplease`, compared with the files
//!    on disk, and written (or, with `--check`, diffed), with a lock recording the inputs.
//!
//! [`codegen`] runs it for the project's own crate from `specs/codegen.toml`;
//! [`generate`] makes a standalone crate from any document.

pub mod changes;
pub mod config;
pub mod cut;
pub mod emit;
pub mod load;
pub mod model;
pub mod names;
pub mod slice;
mod standalone;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use write::Mode;

/// Anything that stops a generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("emit: {0}")]
    Emit(String),
    #[error("{0}")]
    Write(String),
}

/// What a generation did.
#[derive(Debug, Default)]
pub struct Summary {
    pub types: usize,
    pub operations: usize,
    pub report: write::Report,
    pub warnings: Vec<load::Warning>,
    pub elapsed: Duration,
    /// Where the time went: `load`, `emit+format`, `compare+write` (`generate` only).
    pub phases: Vec<(&'static str, Duration)>,
    /// What the generation changed in each version module's API, against the model recorded by
    /// the previous generation (`codegen` only).
    pub changes: Vec<changes::Report>,
    /// Where the changes were added (`generated/CHANGELOG.md`), when they were.
    pub changelog: Option<PathBuf>,
}

/// Loads and merges the documents of one API version. With families, CSDL containers are
/// only followed along the families' paths.
pub fn load_inputs(
    paths: &[PathBuf],
    display_base: &Path,
    families: &[config::Family],
) -> Result<load::Loaded, Error> {
    let mut api = model::Api::default();
    let mut warnings = Vec::new();
    let mut unbuilt = Vec::new();
    for path in paths {
        let text = load::read_text(path)?;
        let display = load::portable_path(path, display_base);
        let loaded = match (load::sniff_format(&text), families.is_empty()) {
            (load::Format::Csdl, false) => {
                load::csdl::load_filtered(&text, &display, &slice::FamilyFilter { families })?
            }
            _ => load::load_str(&text, &display)?,
        };
        warnings.extend(loaded.warnings.into_iter().map(|w| load::Warning {
            place: format!("{display}: {}", w.place),
            ..w
        }));
        unbuilt.extend(loaded.unbuilt);
        api.merge(loaded.api)
            .map_err(|e| Error::Config(format!("{display}: {e}")))?;
    }
    unbuilt.retain(|t| !api.types.contains_key(t));
    Ok(load::Loaded {
        api,
        warnings,
        unbuilt,
    })
}

/// Regenerates (or checks) the project's generated crate from `specs/codegen.toml`.
pub fn codegen(workspace: &Path, mode: Mode) -> Result<Summary, Error> {
    let started = Instant::now();
    let (plan, mut summary, models) = plan_with_models(workspace)?;
    let config =
        config::Config::load(&workspace.join("specs/codegen.toml")).map_err(Error::Config)?;
    let scope = match config.families.is_empty() {
        true => changes::Scope::All,
        false => changes::Scope::Families(config.families.iter().map(|f| f.name.clone()).collect()),
    };
    apply_reporting_changes(&plan, &models, scope, mode, &mut summary)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Applies a plan, after comparing its models with those the previous generation recorded
/// beside the lock; in write mode, adds what changed to the crate's changelog.
fn apply_reporting_changes(
    plan: &write::Plan,
    models: &[changes::record::Recorded],
    scope: changes::Scope,
    mode: Mode,
    summary: &mut Summary,
) -> Result<(), Error> {
    summary.changes = change_reports(&plan.root, models, &scope, &mut summary.warnings);
    summary.report = write::apply(plan, mode).map_err(Error::Write)?;
    if mode == Mode::Write && summary.changes.iter().any(|r| !r.is_empty()) {
        let path = plan.root.join(changes::changelog::CHANGELOG_FILE);
        let existing = std::fs::read_to_string(&path).ok();
        let text = changes::changelog::add_entry(
            existing.as_deref(),
            &changes::changelog::today(),
            &summary.changes,
        );
        std::fs::write(&path, text)
            .map_err(|e| Error::Write(format!("{}: cannot write: {e}", path.display())))?;
        summary.changelog = Some(path);
    }
    Ok(())
}

/// The change report of each version module, comparing the models of this generation with
/// those the previous one recorded beside the lock. Nothing to report on a first generation.
fn change_reports(
    crate_dir: &Path,
    models: &[changes::record::Recorded],
    scope: &changes::Scope,
    warnings: &mut Vec<load::Warning>,
) -> Vec<changes::Report> {
    let record_path = crate_dir.join(changes::record::RECORD_FILE);
    let Ok(text) = std::fs::read_to_string(&record_path) else {
        return Vec::new();
    };
    let previous = match changes::record::parse(&text, changes::record::RECORD_FILE) {
        Ok(p) => p,
        Err(e) => {
            warnings.push(load::Warning {
                place: e,
                message: "the previous model record cannot be read, so there is no change report"
                    .into(),
            });
            return Vec::new();
        }
    };
    let version = crate_version(crate_dir);
    let modules: Vec<&str> = models
        .iter()
        .chain(&previous)
        .map(|r| r.module.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    let mut reports = Vec::new();
    for module in modules {
        if !seen.insert(module) {
            continue;
        }
        let (before, after) = (
            previous.iter().find(|p| p.module == module),
            models.iter().find(|m| m.module == module),
        );
        let version_name = after
            .or(before)
            .map(|r| r.api.version.clone())
            .unwrap_or_default();
        let empty = model::Api {
            version: version_name,
            ..Default::default()
        };
        let label = |r: Option<&changes::record::Recorded>, what: &str| match r {
            Some(r) if !r.inputs.is_empty() => format!("{what} ({})", r.inputs.join(", ")),
            _ => format!("{what} (no `{module}` module)"),
        };
        let old = changes::Side {
            label: label(before, "the last generation"),
            api: before.map(|r| &r.api).unwrap_or(&empty),
            outside: Default::default(),
            document_types: Default::default(),
        };
        let new = changes::Side {
            label: label(after, "this generation"),
            api: after.map(|r| &r.api).unwrap_or(&empty),
            outside: Default::default(),
            document_types: Default::default(),
        };
        let mut report = changes::Report::new(&old, &new, module, &[]);
        report.scope = scope.clone();
        if let Some(v) = &version {
            report = report.with_current_version(v);
        }
        reports.push(report);
    }
    reports
}

/// The `version` of the crate's `Cargo.toml`, if it can be read.
fn crate_version(crate_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(crate_dir.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = toml::from_str(&text).ok()?;
    manifest
        .get("package")?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

/// Every file `codegen` would write for the project, without touching the disk.
pub fn plan(workspace: &Path) -> Result<(write::Plan, Summary), Error> {
    plan_with_models(workspace).map(|(plan, summary, _)| (plan, summary))
}

/// [`plan`], and the model each version module was emitted from.
fn plan_with_models(
    workspace: &Path,
) -> Result<(write::Plan, Summary, Vec<changes::record::Recorded>), Error> {
    let config =
        config::Config::load(&workspace.join("specs/codegen.toml")).map_err(Error::Config)?;
    let crate_dir = workspace.join(&config.krate.path);
    let mut plan = write::Plan::new(&crate_dir);
    let (permissions, permissions_name) = match &config.permissions {
        Some(file) => {
            let path = workspace.join("specs").join(file);
            let name = load::portable_path(&path, workspace);
            let bytes = std::fs::read(&path).map_err(|e| Error::Config(format!("{name}: {e}")))?;
            plan.inputs.insert(name.clone(), write::sha256(&bytes));
            (
                config::load_permissions(&path).map_err(Error::Config)?,
                name,
            )
        }
        None => Default::default(),
    };
    let mut summary = Summary::default();
    let mut models = Vec::new();
    for api_config in &config.apis {
        let inputs: Vec<PathBuf> = api_config
            .inputs
            .iter()
            .map(|p| workspace.join("specs").join(p))
            .collect();
        let loaded = load_inputs(&inputs, workspace, &config.families)?;
        let input_names: Vec<String> = inputs
            .iter()
            .map(|p| load::portable_path(p, workspace))
            .collect();
        for (path, name) in inputs.iter().zip(&input_names) {
            let bytes = std::fs::read(path).map_err(|e| Error::Write(format!("{name}: {e}")))?;
            plan.inputs.insert(name.clone(), write::sha256(&bytes));
        }
        let mut api = if config.families.is_empty() {
            loaded.api
        } else {
            slice::slice(&loaded.api, &config.families)
        };
        api.version = api_config.version.clone();
        config::apply_documented(&mut api, &config.documented).map_err(Error::Config)?;
        config::apply_permissions(&mut api, &permissions, &permissions_name)
            .map_err(Error::Config)?;
        let options = emit::EmitOptions {
            module: api_config.module.clone(),
            crate_name: config.krate.library.clone(),
            aliases: config.aliases(),
        };
        let stats = add_module(
            &mut plan,
            &api,
            &options,
            &write::preamble("cargo xtask codegen", &input_names),
        )?;
        summary.types += stats.types;
        summary.operations += stats.operations;
        summary.warnings.extend(loaded.warnings);
        models.push(changes::record::Recorded {
            module: api_config.module.clone(),
            inputs: input_names.clone(),
            api,
        });
    }
    plan.files.insert(
        changes::record::RECORD_FILE.to_string(),
        changes::record::render(&models),
    );
    plan.add_lock();
    Ok((plan, summary, models))
}

/// Emits one version module into a plan, under `src/<module>/`.
fn add_module(
    plan: &mut write::Plan,
    api: &model::Api,
    options: &emit::EmitOptions,
    preamble: &str,
) -> Result<emit::Stats, Error> {
    let render = |tokens| write::render(tokens, preamble);
    let (files, stats) = emit::emit_rendered(api, options, &render).map_err(Error::Emit)?;
    let dir = format!("src/{}", options.module);
    for (path, text) in files {
        plan.files.insert(format!("{dir}/{path}"), text);
    }
    plan.owned_dirs.push(dir);
    Ok(stats)
}

/// Generates a standalone crate from one document (`cargo xtask generate`).
///
/// `config`, when given, names the families to keep (as `specs/codegen.toml` does) and the
/// entry-point aliases; without it the whole document is generated.
pub fn generate(
    input: &Path,
    out: &Path,
    crate_name: Option<&str>,
    config: Option<&Path>,
    mode: Mode,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let base = input.parent().unwrap_or(Path::new("."));
    let config = config
        .map(|path| config::Config::load(path).map_err(Error::Config))
        .transpose()?;
    let families = config
        .as_ref()
        .map(|c| c.families.as_slice())
        .unwrap_or(&[]);
    let loaded = load_inputs(&[input.to_path_buf()], base, families)?;
    let mut phases = vec![("load", started.elapsed())];
    let mut api = if families.is_empty() {
        loaded.api
    } else {
        slice::slice(&loaded.api, families)
    };
    if api.version.is_empty() {
        api.version = "v1.0".into();
    }
    let package = crate_name.map(str::to_string).unwrap_or_else(|| {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "graph".into());
        format!("msgraph-{}", names::snake(&stem).replace('_', "-"))
    });
    let library = names::snake(&package);
    let module = names::snake(&api.version.replace('.', "_"));
    let mut plan = write::Plan::new(out);
    let input_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes =
        std::fs::read(input).map_err(|e| Error::Write(format!("{}: {e}", input.display())))?;
    plan.inputs
        .insert(input_name.clone(), write::sha256(&bytes));
    let options = emit::EmitOptions {
        module: module.clone(),
        crate_name: library.clone(),
        aliases: config
            .as_ref()
            .map(config::Config::aliases)
            .unwrap_or_else(config::default_aliases),
    };
    let command = format!("cargo xtask generate --input {input_name}");
    let stats = add_module(
        &mut plan,
        &api,
        &options,
        &write::preamble(&command, std::slice::from_ref(&input_name)),
    )?;
    phases.push(("emit+format", started.elapsed() - phases[0].1));
    standalone::add_crate_files(&mut plan, &package, &library, &module, &api.version);
    let models = vec![changes::record::Recorded {
        module,
        inputs: vec![input_name],
        api,
    }];
    plan.files.insert(
        changes::record::RECORD_FILE.to_string(),
        changes::record::render(&models),
    );
    plan.add_lock();
    let mut summary = Summary {
        types: stats.types,
        operations: stats.operations,
        warnings: loaded.warnings,
        ..Summary::default()
    };
    apply_reporting_changes(&plan, &models, changes::Scope::All, mode, &mut summary)?;
    summary.elapsed = started.elapsed();
    let so_far: Duration = phases.iter().map(|(_, d)| *d).sum();
    phases.push(("record+compare+write", summary.elapsed - so_far));
    summary.phases = phases;
    Ok(summary)
}

/// What `cargo xtask diff` compares: the families of a configuration, or whole documents.
pub enum DiffScope<'a> {
    Config(&'a Path),
    All,
}

/// Compares two documents (OpenAPI or CSDL, in any mix) and reports what the change does to
/// code using the bindings generated from them.
pub fn diff(old: &Path, new: &Path, scope: DiffScope) -> Result<changes::Report, Error> {
    let families = match scope {
        DiffScope::Config(path) => config::Config::load(path).map_err(Error::Config)?.families,
        DiffScope::All => Vec::new(),
    };
    let (before, after) = (load_side(old, &families)?, load_side(new, &families)?);
    let label = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let old_side = changes::Side {
        label: label(old),
        api: &before.api,
        outside: before.outside.clone(),
        document_types: before.types.clone(),
    };
    let new_side = changes::Side {
        label: label(new),
        api: &after.api,
        outside: after.outside.clone(),
        document_types: after.types.clone(),
    };
    let version = [&after.api.version, &before.api.version]
        .into_iter()
        .find(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "v1.0".into());
    let module = names::snake(&version.replace('.', "_"));
    let mut report = changes::Report::new(&old_side, &new_side, &module, &families);
    report.version = version;
    Ok(report)
}

/// A document cut to the families, with what the cut leaves out.
struct SlicedDocument {
    api: model::Api,
    /// Navigation properties of kept types whose target is outside the families.
    outside: BTreeMap<(String, String), model::Property>,
    /// Every type of the whole document.
    types: BTreeSet<String>,
}

/// One document, cut to the families when there are any.
fn load_side(path: &Path, families: &[config::Family]) -> Result<SlicedDocument, Error> {
    let base = path.parent().unwrap_or(Path::new("."));
    let loaded = load_inputs(&[path.to_path_buf()], base, families)?;
    let api = loaded.api;
    if families.is_empty() {
        return Ok(SlicedDocument {
            api,
            outside: Default::default(),
            types: Default::default(),
        });
    }
    // Every type the document defines, built or not, to tell a type that leaves the families
    // from one that leaves the document.
    let types = api.types.keys().cloned().chain(loaded.unbuilt).collect();
    let operations: Vec<model::Operation> = api
        .operations
        .iter()
        .filter(|op| families.iter().any(|f| f.matches(&op.path)))
        .cloned()
        .collect();
    let selection = slice::select(&api, &operations);
    let mut outside = BTreeMap::new();
    for (owner, property) in &selection.dropped_navigation {
        if let Some(p) = api
            .object(owner)
            .and_then(|o| o.properties.iter().find(|p| &p.name == property))
        {
            outside.insert((owner.clone(), property.clone()), p.clone());
        }
    }
    Ok(SlicedDocument {
        api: slice::apply(&api, operations, &selection),
        outside,
        types,
    })
}

/// The README's examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
