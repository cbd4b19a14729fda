//! The pipeline as explicit steps, which [`codegen`], [`generate`] and [`diff`] compose:
//!
//! ```text
//! load → slice → prepare → emit → record → apply
//! ```
//!
//! * **load** reads each document once (its hash goes to the lock), parses it in its format,
//!   and merges the models of one API version;
//! * **slice** keeps the configured families ([`crate::slice`]), or the whole document;
//! * **prepare** sets the version and applies the project's corrections and permissions;
//! * **emit** prints the version module into the plan;
//! * **record** adds the model record (for the next change report) and the lock;
//! * **apply** reports what changed against the last record, writes (or checks) the files,
//!   and adds the report to the crate's changelog.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::changes::record::{self, Recorded};
use crate::changes::{self, Report, Scope, Side};
use crate::config::{self, Config, ConfigError, Family, FamilyFilter};
use crate::corrections;
use crate::emit::{self, EmitError, EmitOptions, Stats};
use crate::load::{self, LoadError, Loaded, Warning};
use crate::model::{Alias, Api, MergeError};
use crate::names;
use crate::rust_api::Features;
use crate::slice::{self, dropped_properties};
use crate::standalone;
use crate::write::{self, Mode, Plan, WriteError, Written};

/// Anything that stops a generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document cannot be read or loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The configuration cannot be read or applied.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// Two documents of one version disagree.
    #[error("{file}: {source}")]
    Merge {
        /// The document merged last.
        file: String,
        /// What they disagree on.
        source: MergeError,
    },
    /// The model cannot be emitted.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// Files cannot be compared or written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// An API version cannot be updated as asked.
    #[error("update --api {version}: {problem}")]
    Update {
        /// The API version.
        version: String,
        /// What is wrong.
        problem: String,
    },
}

/// What a generation did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Types generated (not counting action parameter types).
    pub types: usize,
    /// Operations generated.
    pub operations: usize,
    /// The files written, unchanged and removed (or that would be, in check mode).
    pub report: Written,
    /// What the loaders skipped or approximated.
    pub warnings: Vec<Warning>,
    /// Other things the user should know (a model record that cannot be read).
    pub notices: Vec<String>,
    /// What became of each of the project's corrections, by API version.
    pub corrections: Vec<(String, corrections::Applied)>,
    /// How long it took.
    pub elapsed: Duration,
    /// Where the time went: `load`, `emit+format`, `compare+write` (`generate` only).
    pub phases: Vec<(&'static str, Duration)>,
    /// What the generation changed in each version module's API, against the model recorded by
    /// the previous generation.
    pub changes: Vec<Report>,
    /// Where the changes were added (`generated/CHANGELOG.md`), when they were.
    pub changelog: Option<PathBuf>,
}

/// Texts that stand in for files on disk (the specs `update` is about to write), so that a
/// whole generation can be planned before anything is written.
pub(crate) type Overlay = BTreeMap<PathBuf, String>;

/// The text of an input: from the overlay, or read from disk.
fn read_input(path: &Path, overlay: &Overlay) -> Result<String, LoadError> {
    match overlay.get(path) {
        Some(text) => Ok(text.clone()),
        None => load::read_text(path),
    }
}

/// A document to load, and how messages, preambles and the lock name it.
#[derive(Clone, Debug)]
struct Input {
    path: PathBuf,
    name: String,
}

impl Input {
    fn new(path: PathBuf, display_base: &Path) -> Input {
        let name = write::portable_path(&path, display_base);
        Input { path, name }
    }
}

/// Step 1: loads and merges the documents of one API version. With families, CSDL containers
/// are only followed along the families' paths.
pub fn load_inputs(
    paths: &[PathBuf],
    display_base: &Path,
    families: &[Family],
) -> Result<Loaded, Error> {
    let inputs: Vec<Input> = paths
        .iter()
        .map(|p| Input::new(p.clone(), display_base))
        .collect();
    load_documents(
        &inputs,
        families,
        &mut Plan::new(display_base),
        &Overlay::new(),
    )
}

/// Loads `inputs` (each read once; its hash goes to the plan's lock) and merges them.
fn load_documents(
    inputs: &[Input],
    families: &[Family],
    plan: &mut Plan,
    overlay: &Overlay,
) -> Result<Loaded, Error> {
    let mut api = Api::default();
    let mut warnings = Vec::new();
    let mut unbuilt = Vec::new();
    for input in inputs {
        let text = read_input(&input.path, overlay)?;
        plan.inputs
            .insert(input.name.clone(), write::text_sha256(&text));
        let loaded = match (load::sniff_format(&text), families.is_empty()) {
            (load::Format::Csdl, false) => {
                load::csdl::load_filtered(&text, &input.name, &FamilyFilter { families })?
            }
            _ => load::load_str(&text, &input.name)?,
        };
        warnings.extend(loaded.warnings.into_iter().map(|w| Warning {
            place: format!("{}: {}", input.name, w.place),
            ..w
        }));
        unbuilt.extend(loaded.unbuilt);
        api.merge(loaded.api).map_err(|source| Error::Merge {
            file: input.name.clone(),
            source,
        })?;
    }
    unbuilt.retain(|t| !api.types.contains_key(t));
    Ok(Loaded {
        api,
        warnings,
        unbuilt,
    })
}

/// The sources record beside an API version's spec, when there is one: hashed into the lock's
/// inputs, and copied into the lock.
fn record_sources(
    workspace: &Path,
    api: &config::ApiConfig,
    overlay: &Overlay,
    plan: &mut Plan,
) -> Result<(), Error> {
    let Some(path) = sources_path(workspace, api) else {
        return Ok(());
    };
    if !path.exists() && !overlay.contains_key(&path) {
        return Ok(());
    }
    let text = read_input(&path, overlay)?;
    let name = write::portable_path(&path, workspace);
    let sources = crate::sources::parse(&text).map_err(|source| ConfigError::Parse {
        path: path.clone(),
        source,
    })?;
    plan.inputs.insert(name, write::text_sha256(&text));
    plan.sources.insert(api.version.clone(), sources);
    Ok(())
}

/// Where the sources record of an API version's spec is: beside its (first) input.
pub(crate) fn sources_path(workspace: &Path, api: &config::ApiConfig) -> Option<PathBuf> {
    let spec = workspace.join("specs").join(api.inputs.first()?);
    Some(spec.parent()?.join(crate::sources::SOURCES_FILE))
}

/// Step 2: the families' slice of a model, or the whole model without families.
pub(crate) fn slice_families(api: Api, families: &[Family]) -> Api {
    if families.is_empty() {
        api
    } else {
        slice::slice(&api, families).api
    }
}

/// Step 3: the version, and the project's corrections and permissions, applied to a model.
/// Permissions entries that name no operation go to `notices`.
fn prepare(
    api: &mut Api,
    version: &str,
    config: &Config,
    permissions: &Permissions,
    notices: &mut Vec<String>,
) -> Result<Vec<corrections::Applied>, Error> {
    api.version = version.to_string();
    let applied = corrections::apply(api, &config.corrections).map_err(ConfigError::from)?;
    let skipped: Vec<String> = applied
        .iter()
        .filter(|a| a.outcome != corrections::Outcome::Applied)
        .filter_map(|a| a.adds.clone())
        .collect();
    if let Some((table, file)) = permissions {
        for key in config::apply_permissions(api, table, &skipped) {
            notices.push(format!(
                "{file}: [{version}] \"{key}\" names no operation of the {version} specs: \
                 its permissions are unused (remove the entry)"
            ));
        }
    }
    Ok(applied)
}

/// The permissions table and how it is named, when the configuration has one.
type Permissions = Option<(config::PermissionsTable, String)>;

/// Step 4: emits one version module into a plan, under `src/<module>/`.
fn emit_module(
    plan: &mut Plan,
    api: &Api,
    options: &EmitOptions,
    preamble: &str,
) -> Result<Stats, Error> {
    let render = |tokens| write::render(tokens, preamble);
    let (files, stats) = emit::emit_rendered(api, options, &render)?;
    let dir = format!("src/{}", options.module);
    for (path, text) in files {
        plan.files.insert(format!("{dir}/{path}"), text);
    }
    plan.owned_dirs.push(dir);
    Ok(stats)
}

/// Step 5: the model record and the lock.
fn record(plan: &mut Plan, models: &[Recorded]) {
    plan.files
        .insert(record::RECORD_FILE.to_string(), record::render(models));
    plan.add_lock();
}

/// Step 6: compares the plan's models with those the previous generation recorded beside the
/// lock, applies the plan, and in write mode adds what changed to the crate's changelog.
/// `features` are the crate's: one per family, or per top-level module of a whole document.
pub(crate) fn apply(
    plan: &Plan,
    models: &[Recorded],
    features: &Features,
    mode: Mode,
    summary: &mut Summary,
) -> Result<(), Error> {
    summary.changes = change_reports(&plan.root, models, features, &mut summary.notices);
    summary.report = write::apply(plan, mode)?;
    if mode == Mode::Write && summary.changes.iter().any(|r| !r.is_empty()) {
        let path = plan.root.join(changes::changelog::CHANGELOG_FILE);
        let existing = std::fs::read_to_string(&path).ok();
        let text = changes::changelog::add_entry(
            existing.as_deref(),
            &changes::changelog::today(),
            &summary.changes,
        );
        std::fs::write(&path, text).map_err(|source| WriteError {
            path: path.clone(),
            action: "write",
            source,
        })?;
        summary.changelog = Some(path);
    }
    Ok(())
}

/// The change report of each version module, comparing the models of this generation with
/// those the previous one recorded beside the lock. Nothing to report on a first generation.
fn change_reports(
    crate_dir: &Path,
    models: &[Recorded],
    features: &Features,
    notices: &mut Vec<String>,
) -> Vec<Report> {
    let families = match features {
        Features::Families(families) => families.as_slice(),
        _ => &[],
    };
    let scope = scope_of(families);
    let record_path = crate_dir.join(record::RECORD_FILE);
    let Ok(text) = std::fs::read_to_string(&record_path) else {
        return Vec::new();
    };
    let previous = match record::parse(&text, record::RECORD_FILE) {
        Ok(p) => p,
        Err(e) => {
            notices.push(format!(
                "{e}: the previous model record cannot be read, so there is no change report"
            ));
            return Vec::new();
        }
    };
    let version = crate_version(crate_dir);
    let mut seen = BTreeSet::new();
    let mut reports = Vec::new();
    for module in models.iter().chain(&previous).map(|r| r.module.as_str()) {
        if !seen.insert(module) {
            continue;
        }
        let before = previous.iter().find(|p| p.module == module);
        let after = models.iter().find(|m| m.module == module);
        let empty = Api {
            version: after
                .or(before)
                .map(|r| r.api.version.clone())
                .unwrap_or_default(),
            ..Api::default()
        };
        let (old, new) = (
            recorded_side(before, &empty, module, "the last generation"),
            recorded_side(after, &empty, module, "this generation"),
        );
        let mut report = Report::with_features(&old, &new, module, families, features);
        report.scope = scope.clone();
        if let Some(v) = &version {
            report = report.with_current_version(v);
        }
        reports.push(report);
    }
    reports
}

/// One side of a regeneration's report: a recorded model, or `empty` when the module is new or
/// gone.
fn recorded_side<'a>(
    recorded: Option<&'a Recorded>,
    empty: &'a Api,
    module: &str,
    what: &str,
) -> Side<'a> {
    Side {
        label: match recorded {
            Some(r) if !r.inputs.is_empty() => format!("{what} ({})", r.inputs.join(", ")),
            _ => format!("{what} (no `{module}` module)"),
        },
        api: recorded.map_or(empty, |r| &r.api),
        outside: Default::default(),
        document_types: Default::default(),
    }
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

/// The permissions table of a configuration, read (and hashed into the plan's lock).
fn permissions(workspace: &Path, config: &Config, plan: &mut Plan) -> Result<Permissions, Error> {
    let Some(file) = &config.permissions else {
        return Ok(None);
    };
    let path = workspace.join("specs").join(file);
    let name = write::portable_path(&path, workspace);
    let text = load::read_text(&path)?;
    plan.inputs.insert(name.clone(), write::text_sha256(&text));
    Ok(Some((config::load_permissions(&path)?, name)))
}

/// Regenerates (or checks) the project's generated crate from `specs/codegen.toml`.
pub fn codegen(workspace: &Path, mode: Mode) -> Result<Summary, Error> {
    let started = Instant::now();
    let config = Config::load(&workspace.join("specs/codegen.toml"))?;
    let (plan, mut summary, models) = plan_for(workspace, &config, &Overlay::new())?;
    let features = Features::Families(config.families.clone());
    apply(&plan, &models, &features, mode, &mut summary)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// What the change reports of the project's crate compare: its families, or everything.
fn scope_of(families: &[Family]) -> Scope {
    match families.is_empty() {
        true => Scope::All,
        false => Scope::Families(families.iter().map(|f| f.name.clone()).collect()),
    }
}

/// Every file `codegen` would write for the project, without touching the disk.
pub fn plan(workspace: &Path) -> Result<(Plan, Summary), Error> {
    let config = Config::load(&workspace.join("specs/codegen.toml"))?;
    plan_for(workspace, &config, &Overlay::new()).map(|(plan, summary, _)| (plan, summary))
}

/// The plan of the project's crate, and the model each version module was emitted from, with
/// `overlay` standing in for files.
pub(crate) fn plan_for(
    workspace: &Path,
    config: &Config,
    overlay: &Overlay,
) -> Result<(Plan, Summary, Vec<Recorded>), Error> {
    let mut plan = Plan::new(workspace.join(&config.krate.path));
    let permissions = permissions(workspace, config, &mut plan)?;
    let mut summary = Summary::default();
    let mut models = Vec::new();
    for api_config in &config.apis {
        let inputs: Vec<Input> = api_config
            .inputs
            .iter()
            .map(|p| Input::new(workspace.join("specs").join(p), workspace))
            .collect();
        let loaded = load_documents(&inputs, &config.families, &mut plan, overlay)?;
        record_sources(workspace, api_config, overlay, &mut plan)?;
        let mut api = slice_families(loaded.api, &config.families);
        let applied = prepare(
            &mut api,
            &api_config.version,
            config,
            &permissions,
            &mut summary.notices,
        )?;
        summary
            .corrections
            .extend(applied.into_iter().map(|a| (api_config.version.clone(), a)));
        let options = EmitOptions {
            module: api_config.module.clone(),
            crate_name: config.krate.library.clone(),
            aliases: config.aliases.clone(),
            features: Features::Families(config.families.clone()),
        };
        let names: Vec<String> = inputs.into_iter().map(|i| i.name).collect();
        let preamble = write::preamble("cargo xtask codegen", &names);
        let stats = emit_module(&mut plan, &api, &options, &preamble)?;
        summary.types += stats.types;
        summary.operations += stats.operations;
        summary.warnings.extend(loaded.warnings);
        models.push(Recorded {
            module: api_config.module.clone(),
            inputs: names,
            api,
        });
    }
    record(&mut plan, &models);
    Ok((plan, summary, models))
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
    let config = config.map(Config::load).transpose()?;
    let families = config.as_ref().map_or(&[][..], |c| c.families.as_slice());
    let mut plan = Plan::new(out);
    let base = input.parent().unwrap_or(Path::new("."));
    let document = Input::new(input.to_path_buf(), base);
    let loaded = load_documents(
        std::slice::from_ref(&document),
        families,
        &mut plan,
        &Overlay::new(),
    )?;
    let mut phases = vec![("load", started.elapsed())];
    let mut api = slice_families(loaded.api, families);
    if api.version.is_empty() {
        api.version = "v1.0".into();
    }
    let package = crate_name.map(str::to_string).unwrap_or_else(|| {
        let stem = input
            .file_stem()
            .map_or_else(|| "graph".into(), |s| s.to_string_lossy().into_owned());
        format!("msgraph-{}", names::snake(&stem).replace('_', "-"))
    });
    let options = EmitOptions {
        module: names::snake(&api.version.replace('.', "_")),
        crate_name: names::snake(&package),
        aliases: config
            .as_ref()
            .map_or_else(Alias::graph, |c| c.aliases.clone()),
        // A feature per family of the configuration, or per top-level module of the document.
        features: match &config {
            Some(c) if !c.families.is_empty() => Features::Families(c.families.clone()),
            _ => Features::TopLevel,
        },
    };
    let features = options.features.names(&api);
    let command = format!("cargo xtask generate --input {}", document.name);
    let preamble = write::preamble(&command, std::slice::from_ref(&document.name));
    let stats = emit_module(&mut plan, &api, &options, &preamble)?;
    phases.push(("emit+format", started.elapsed() - phases[0].1));
    standalone::add_crate_files(
        &mut plan,
        &package,
        &options.crate_name,
        &options.module,
        &api.version,
        &features,
    );
    let models = vec![Recorded {
        module: options.module,
        inputs: vec![document.name],
        api,
    }];
    record(&mut plan, &models);
    let mut summary = Summary {
        types: stats.types,
        operations: stats.operations,
        warnings: loaded.warnings,
        ..Summary::default()
    };
    apply(&plan, &models, &options.features, mode, &mut summary)?;
    summary.elapsed = started.elapsed();
    let so_far: Duration = phases.iter().map(|(_, d)| *d).sum();
    phases.push(("record+compare+write", summary.elapsed - so_far));
    summary.phases = phases;
    Ok(summary)
}

/// What `cargo xtask diff` compares: the families of a configuration, or whole documents.
#[derive(Clone, Copy, Debug)]
pub enum DiffScope<'a> {
    /// The families of the configuration at this path.
    Config(&'a Path),
    /// The whole documents.
    All,
}

/// Compares two documents (OpenAPI or CSDL, in any mix) and reports what the change does to
/// code using the bindings generated from them.
pub fn diff(old: &Path, new: &Path, scope: DiffScope) -> Result<Report, Error> {
    let families = match scope {
        DiffScope::Config(path) => Config::load(path)?.families,
        DiffScope::All => Vec::new(),
    };
    let (before, after) = (side(old, &families)?, side(new, &families)?);
    let version = [&after.api.version, &before.api.version]
        .into_iter()
        .find(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "v1.0".into());
    let module = names::snake(&version.replace('.', "_"));
    // The crates these documents make (`generate --all` or `--config`) have a feature per
    // top-level module or per family: the report says what a change does to them.
    let features = match scope {
        DiffScope::Config(_) => Features::Families(families.clone()),
        DiffScope::All => Features::TopLevel,
    };
    let mut report =
        Report::with_features(&before.side(), &after.side(), &module, &families, &features);
    report.version = version;
    Ok(report)
}

/// One side of a `diff`: a document cut to the families, with what the cut leaves out.
struct DiffSide {
    label: String,
    api: Api,
    outside: std::collections::BTreeMap<(String, String), crate::model::Property>,
    /// Every type of the whole document.
    types: BTreeSet<String>,
}

impl DiffSide {
    fn side(&self) -> Side<'_> {
        Side {
            label: self.label.clone(),
            api: &self.api,
            outside: self.outside.clone(),
            document_types: self.types.clone(),
        }
    }
}

/// Loads one document, cut to the families when there are any.
fn side(path: &Path, families: &[Family]) -> Result<DiffSide, Error> {
    let label = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let base = path.parent().unwrap_or(Path::new("."));
    let document = Input::new(path.to_path_buf(), base);
    let loaded = load_documents(
        std::slice::from_ref(&document),
        families,
        &mut Plan::new(base),
        &Overlay::new(),
    )?;
    if families.is_empty() {
        return Ok(DiffSide {
            label,
            api: loaded.api,
            outside: Default::default(),
            types: Default::default(),
        });
    }
    // Every type the document defines, built or not, to tell a type that leaves the families
    // from one that leaves the document.
    let types = loaded
        .api
        .types
        .keys()
        .cloned()
        .chain(loaded.unbuilt)
        .collect();
    let sliced = slice::slice(&loaded.api, families);
    Ok(DiffSide {
        label,
        outside: dropped_properties(&loaded.api, &sliced.selection),
        api: sliced.api,
        types,
    })
}
