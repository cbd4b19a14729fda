//! `cargo xtask update`: an API version's spec derived from Microsoft's newest documents, and
//! the crate regenerated from it, in one step that either completes or writes nothing.
//!
//! ```text
//! sources → derive the spec (families cut out, the project's descriptions carried over)
//!         → plan the generation with the new spec standing in for the old one
//!         → report Microsoft's changes, and those the project's corrections absorb
//!         → write the spec, its sources record, the generated crate and its changelog
//! ```
//!
//! Everything is planned (and every error found) before the first file is written.

use std::path::{Path, PathBuf};

use crate::changes::{Change, Report, Side};
use crate::config::{ApiConfig, Config};
use crate::corrections::Correction;
use crate::job::{self, Error, Overlay, Summary};
use crate::load::spec::{Derivation, DerivedSpec, Source, derive_spec};
use crate::load::{self, LoadError, Warning};
use crate::model::Api;
use crate::rust_api::Features;
use crate::sources::{self, SourceRecord};
use crate::write::{self, Mode, WriteError};

/// A Microsoft document, read or downloaded by the caller.
#[derive(Clone, Debug)]
pub struct SourceDocument {
    /// How it is named in messages and in the sources record: a file name or a URL.
    pub name: String,
    /// Its bytes, as read.
    pub bytes: Vec<u8>,
}

impl SourceDocument {
    /// Reads a local document; it is named by its file name, since the path is the machine's,
    /// not the document's.
    pub fn read(path: &Path) -> Result<SourceDocument, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError {
            file: path.display().to_string(),
            place: "file".into(),
            message: format!("cannot read: {e}"),
        })?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(SourceDocument { name, bytes })
    }
}

/// How to update.
#[derive(Clone, Copy, Debug, Default)]
pub struct UpdateOptions {
    /// Keep Microsoft's descriptions where the project has none of its own.
    pub keep_descriptions: bool,
}

/// What an update did (or, in check mode, would do).
#[derive(Debug)]
pub struct Update {
    /// The API version.
    pub version: String,
    /// The spec, relative to the workspace: `specs/v1.0/csdl.xml`.
    pub spec: String,
    /// The spec files (the spec and its sources record) that changed, or would.
    pub specs_changed: Vec<String>,
    /// Microsoft's changes to the families between the current spec and the sources, before
    /// the project's corrections: what Microsoft did.
    pub microsoft: Report,
    /// Microsoft's changes that do not reach users, because a correction absorbs them.
    pub absorbed: Vec<Absorbed>,
    /// Microsoft's descriptions the project has no words for yet, by identity in the spec.
    pub undescribed: Vec<String>,
    /// What the loaders skipped in the sources.
    pub warnings: Vec<Warning>,
    /// The generation: what changed for users (`changes`), what became of each correction,
    /// the files written, the changelog.
    pub generation: Summary,
}

/// One of Microsoft's changes that the project's corrections keep from users.
#[derive(Clone, Debug)]
pub struct Absorbed {
    /// Microsoft's change.
    pub change: Change,
    /// The corrections about the operation it concerns, by name.
    pub corrections: Vec<String>,
}

/// Derives the spec of the API version `version` of the project at `workspace` from
/// `sources`, and regenerates the crate (or, in check mode, reports what would change).
pub fn update(
    workspace: &Path,
    version: &str,
    sources: &[SourceDocument],
    options: UpdateOptions,
    mode: Mode,
) -> Result<Update, Error> {
    let config = Config::load(&workspace.join("specs/codegen.toml"))?;
    let api_config = api_config(&config, version)?;
    let spec_path = workspace.join("specs").join(&api_config.inputs[0]);
    let spec = write::portable_path(&spec_path, workspace);
    let current = read_current(&spec_path)?;
    let texts = source_texts(sources)?;
    let documents: Vec<(&str, &str)> = sources
        .iter()
        .zip(&texts)
        .map(|(s, t)| (s.name.as_str(), t.as_str()))
        .collect();
    let derived = derive(&config, &spec, current.as_deref(), &documents, options)?;
    let sources_path = job::sources_path(workspace, api_config).expect("a spec has a parent");
    let records = source_records(sources);
    let sources_text = sources::render(version, &spec, &records);
    let overlay = Overlay::from([
        (spec_path.clone(), derived.text.clone()),
        (sources_path.clone(), sources_text.clone()),
    ]);
    let (plan, mut generation, models) = job::plan_for(workspace, &config, &overlay)?;
    let microsoft = microsoft_report(
        &config,
        api_config,
        &spec,
        current.as_deref(),
        &derived,
        sources,
    )?;
    let mut specs_changed = Vec::new();
    for (path, text) in [(&spec_path, &derived.text), (&sources_path, &sources_text)] {
        if differs(path, text) {
            specs_changed.push(write::portable_path(path, workspace));
            if mode == Mode::Write {
                replace_file(path, text)?;
            }
        }
    }
    let features = Features::Families(config.families.clone());
    job::apply(&plan, &models, &features, mode, &mut generation)?;
    generation.corrections.retain(|(v, _)| v == version);
    let absorbed = absorbed(&microsoft, &generation, &config.corrections);
    Ok(Update {
        version: version.to_string(),
        spec,
        specs_changed,
        microsoft,
        absorbed,
        undescribed: derived
            .undescribed
            .into_iter()
            .filter(|identity| !removed_by_correction(identity, version, &config.corrections))
            .collect(),
        warnings: derived.warnings,
        generation,
    })
}

/// The `[[api]]` of a version, with the one spec an update writes.
fn api_config<'a>(config: &'a Config, version: &str) -> Result<&'a ApiConfig, Error> {
    let problem = |problem: String| Error::Update {
        version: version.to_string(),
        problem,
    };
    let api = config
        .apis
        .iter()
        .find(|a| a.version == version)
        .ok_or_else(|| {
            let known: Vec<&str> = config.apis.iter().map(|a| a.version.as_str()).collect();
            problem(format!(
                "no [[api]] of specs/codegen.toml has this version (there are: {})",
                known.join(", ")
            ))
        })?;
    match api.inputs.len() {
        1 => Ok(api),
        n => Err(problem(format!(
            "its [[api]] has {n} inputs; an update derives one spec per API version"
        ))),
    }
}

/// The current spec's text, if there is one.
fn read_current(path: &Path) -> Result<Option<String>, Error> {
    match path.exists() {
        true => Ok(Some(load::read_text(path)?)),
        false => Ok(None),
    }
}

/// The sources as text: UTF-8 (a byte-order mark dropped), not empty.
fn source_texts(sources: &[SourceDocument]) -> Result<Vec<String>, Error> {
    sources
        .iter()
        .map(|s| {
            let error = |message: &str| LoadError {
                file: s.name.clone(),
                place: "document".into(),
                message: message.to_string(),
            };
            let text = std::str::from_utf8(&s.bytes)
                .map_err(|e| error(&format!("is not UTF-8 text (at byte {})", e.valid_up_to())))?;
            let text = text.trim_start_matches('\u{feff}');
            if text.trim().is_empty() {
                return Err(error("is empty").into());
            }
            Ok(text.to_string())
        })
        .collect()
}

/// What a derived spec says of itself.
const HEADER: &str =
    "Derived by `cargo xtask update` from the Microsoft documents listed in sources.toml:
the families of specs/codegen.toml in Microsoft's structure, with the project's own
descriptions. Do not edit the structure: declare corrections in specs/codegen.toml.
Descriptions may be edited here; the next update keeps them.";

/// The spec derived from the sources, with the header that says where it comes from.
fn derive(
    config: &Config,
    spec: &str,
    current: Option<&str>,
    documents: &[(&str, &str)],
    options: UpdateOptions,
) -> Result<DerivedSpec, Error> {
    let sources: Vec<Source> = documents
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let how = Derivation {
        families: &config.families,
        current: current.map(|text| Source { name: spec, text }),
        keep_descriptions: options.keep_descriptions,
        header: HEADER,
    };
    Ok(derive_spec(&sources, &how)?)
}

/// What the sources record says of each source.
fn source_records(sources: &[SourceDocument]) -> Vec<SourceRecord> {
    sources
        .iter()
        .map(|s| SourceRecord {
            name: s.name.clone(),
            sha256: write::sha256(&s.bytes),
            bytes: s.bytes.len() as u64,
        })
        .collect()
}

/// Microsoft's changes to the families, from the current spec to the derived one, before the
/// project's corrections.
fn microsoft_report(
    config: &Config,
    api_config: &ApiConfig,
    spec: &str,
    current: Option<&str>,
    derived: &DerivedSpec,
    sources: &[SourceDocument],
) -> Result<Report, Error> {
    let model = |text: &str, name: &str| -> Result<Api, Error> {
        let mut api = job::slice_families(load::load_str(text, name)?.api, &config.families);
        api.version = api_config.version.clone();
        Ok(api)
    };
    let empty = Api {
        version: api_config.version.clone(),
        ..Api::default()
    };
    let old = match current {
        Some(text) => model(text, spec)?,
        None => empty,
    };
    let new = model(&derived.text, spec)?;
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let side = |label: String, api| Side {
        label,
        api,
        outside: Default::default(),
        document_types: Default::default(),
    };
    Ok(Report::new(
        &side(format!("the current {spec}"), &old),
        &side(names.join(", "), &new),
        &api_config.module,
        &config.families,
    ))
}

/// Whether a file's text differs from `text` (line ends aside), or the file is missing.
fn differs(path: &Path, text: &str) -> bool {
    match std::fs::read_to_string(path) {
        Ok(old) => old.replace("\r\n", "\n") != text.replace("\r\n", "\n"),
        Err(_) => true,
    }
}

/// Replaces a file at once: written beside it, then renamed over it.
fn replace_file(path: &Path, text: &str) -> Result<(), Error> {
    let temporary: PathBuf = path.with_extension("update-tmp");
    std::fs::write(&temporary, text).map_err(|source| WriteError {
        path: temporary.clone(),
        action: "write",
        source,
    })?;
    std::fs::rename(&temporary, path).map_err(|source| WriteError {
        path: path.to_path_buf(),
        action: "write",
        source,
    })?;
    Ok(())
}

/// Microsoft's changes that the generation did not pass on to users, with the corrections
/// about the operations they concern.
fn absorbed(microsoft: &Report, generation: &Summary, corrections: &[Correction]) -> Vec<Absorbed> {
    let reached: Vec<&Change> = generation
        .changes
        .iter()
        .filter(|r| r.version == microsoft.version)
        .flat_map(|r| &r.changes)
        .collect();
    microsoft
        .changes
        .iter()
        .filter(|m| {
            !reached
                .iter()
                .any(|c| (c.area, &c.subject, c.kind) == (m.area, &m.subject, m.kind))
        })
        .map(|change| Absorbed {
            change: change.clone(),
            corrections: corrections
                .iter()
                .filter(|c| c.applies_to(&microsoft.version) && concerns(c, &change.subject))
                .map(Correction::name)
                .collect(),
        })
        .collect()
}

/// Whether a description identity is of an OpenAPI operation a correction removes: no one
/// needs words for it.
fn removed_by_correction(identity: &str, version: &str, corrections: &[Correction]) -> bool {
    let Some(rest) = identity.strip_prefix("/paths/") else {
        return false;
    };
    let mut parts = rest.split('/');
    let (Some(path), Some(method)) = (parts.next(), parts.next()) else {
        return false;
    };
    let key = format!(
        "{} {}",
        method.to_ascii_uppercase(),
        path.replace("~1", "/").replace("~0", "~")
    );
    corrections
        .iter()
        .any(|c| c.applies_to(version) && c.remove.as_deref() == Some(key.as_str()))
}

/// Whether a correction is about what a change's subject names: an operation
/// (`PATCH /teams/{team-id}/schedule`), a path, or the parameters of an action it adds
/// (`approve.Parameters`). Paths are compared without namespaces, as reports show them.
fn concerns(correction: &Correction, subject: &str) -> bool {
    let path_of = |key: &str| -> String {
        let path = key.split_once(' ').map_or(key, |(_, p)| p);
        path.split('/')
            .map(without_namespace)
            .collect::<Vec<_>>()
            .join("/")
    };
    let subject_path = path_of(subject);
    let keys = [&correction.add, &correction.like, &correction.remove];
    keys.into_iter().flatten().any(|key| {
        let path = path_of(key);
        let action = path.rsplit('/').next().unwrap_or_default();
        path == subject_path
            || (correction.action.is_some() && subject == format!("{action}.Parameters"))
    })
}

/// A path segment without the namespace of a bound operation:
/// `microsoft.graph.approve` → `approve`.
fn without_namespace(segment: &str) -> &str {
    let name_end = segment.find('(').unwrap_or(segment.len());
    match segment[..name_end].rfind('.') {
        Some(dot) if !segment.starts_with('{') => &segment[dot + 1..],
        _ => segment,
    }
}
