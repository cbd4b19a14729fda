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

pub mod config;
pub mod cut;
pub mod emit;
pub mod load;
pub mod model;
pub mod names;
pub mod slice;
mod standalone;
pub mod write;

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
#[derive(Debug)]
pub struct Summary {
    pub types: usize,
    pub operations: usize,
    pub report: write::Report,
    pub warnings: Vec<load::Warning>,
    pub elapsed: Duration,
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
        api.merge(loaded.api)
            .map_err(|e| Error::Config(format!("{display}: {e}")))?;
    }
    Ok(load::Loaded { api, warnings })
}

/// Regenerates (or checks) the project's generated crate from `specs/codegen.toml`.
pub fn codegen(workspace: &Path, mode: Mode) -> Result<Summary, Error> {
    let started = Instant::now();
    let (plan, mut summary) = plan(workspace)?;
    summary.report = write::apply(&plan, mode).map_err(Error::Write)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Every file `codegen` would write for the project, without touching the disk.
pub fn plan(workspace: &Path) -> Result<(write::Plan, Summary), Error> {
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
    let mut summary = Summary {
        types: 0,
        operations: 0,
        report: Default::default(),
        warnings: Vec::new(),
        elapsed: Duration::ZERO,
    };
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
    }
    plan.add_lock();
    Ok((plan, summary))
}

/// Emits one version module into a plan, under `src/<module>/`.
fn add_module(
    plan: &mut write::Plan,
    api: &model::Api,
    options: &emit::EmitOptions,
    preamble: &str,
) -> Result<emit::Stats, Error> {
    let (files, stats) = emit::emit(api, options).map_err(Error::Emit)?;
    let dir = format!("src/{}", options.module);
    for file in files {
        let text = write::render(file.tokens, preamble).map_err(Error::Emit)?;
        plan.files.insert(format!("{dir}/{}", file.path), text);
    }
    plan.owned_dirs.push(dir);
    Ok(stats)
}

/// Generates a standalone crate from one document (`cargo xtask generate`).
pub fn generate(
    input: &Path,
    out: &Path,
    crate_name: Option<&str>,
    mode: Mode,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let base = input.parent().unwrap_or(Path::new("."));
    let loaded = load_inputs(&[input.to_path_buf()], base, &[])?;
    let mut api = loaded.api;
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
        aliases: config::default_aliases(),
    };
    let command = format!("cargo xtask generate --input {input_name}");
    let stats = add_module(
        &mut plan,
        &api,
        &options,
        &write::preamble(&command, std::slice::from_ref(&input_name)),
    )?;
    standalone::add_crate_files(&mut plan, &package, &library, &module, &api.version);
    plan.add_lock();
    let report = write::apply(&plan, mode).map_err(Error::Write)?;
    Ok(Summary {
        types: stats.types,
        operations: stats.operations,
        report,
        warnings: loaded.warnings,
        elapsed: started.elapsed(),
    })
}

/// The README's examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
