//! The project's corrections of Microsoft's metadata, all declared in one place
//! (`[[correction]]` in `specs/codegen.toml`), each with the page or metadata statement that
//! justifies it. The specs hold Microsoft's structure; the corrections are applied to the
//! model afterwards (the "prepare" step), and the model remembers which operations they
//! touched, so that the change report can tell a change Microsoft made from a change of the
//! project's corrections.
//!
//! ```toml
//! [[correction]]                 # an operation Microsoft documents, modelled on another
//! api = ["v1.0", "beta"]
//! add = "PUT /teams/{team-id}/schedule/timesOff/{timeOff-id}"
//! like = "PATCH /teams/{team-id}/schedule/timesOff/{timeOff-id}"
//! headers = ["Prefer"]
//! because = "the reference page replaces a time off with PUT"
//! source = "https://learn.microsoft.com/graph/api/timeoff-put"
//!
//! [[correction]]                 # an action the metadata lacks, with its parameters
//! api = ["beta"]
//! add = "POST /teams/{team-id}/schedule/timeOffRequests/{timeOffRequest-id}/microsoft.graph.approve"
//! action = { parameters = [{ name = "message", type = "Edm.String" }] }
//! because = "..."
//! source = "..."
//!
//! [[correction]]                 # an operation the service does not serve
//! api = ["beta", "v1.0"]
//! remove = "GET /users/{user-id}/settings/workHoursAndLocations/occurrences"
//! because = "..."
//! source = "..."
//! ```
//!
//! `instead = true` with `like` also removes the operation it mirrors (the service refuses it).
//! A correction that Microsoft's metadata now agrees with is skipped and reported, as is one
//! that conflicts with it: regeneration never fails because Microsoft fixed something.

use std::fmt;

use serde::Deserialize;

use crate::model::{
    Api, HeaderParam, HttpMethod, ObjectKind, ObjectType, Operation, OperationKind, Path,
    Primitive, Property, Response, Segment, TypeRef,
};

/// The error body type the loaders give every operation (see `load::csdl::ODATA_ERROR`).
const ODATA_ERROR: &str = "microsoft.graph.ODataErrors.ODataError";

/// One correction, as `specs/codegen.toml` declares it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The API versions it applies to (`beta`, `v1.0`).
    pub api: Vec<String>,
    /// An operation to add: `"METHOD /path"`, as the specs write paths.
    #[serde(default)]
    pub add: Option<String>,
    /// An operation to remove.
    #[serde(default)]
    pub remove: Option<String>,
    /// With `add`: the operation of the metadata it is modelled on (the same path, another
    /// method, or another path with the same body and answer).
    #[serde(default)]
    pub like: Option<String>,
    /// With `like`: the mirrored operation is removed (the service refuses it).
    #[serde(default)]
    pub instead: bool,
    /// With `add`: an action that takes these parameters and answers no content.
    #[serde(default)]
    pub action: Option<ActionShape>,
    /// With `add`: request headers the documentation adds (`Prefer`).
    #[serde(default)]
    pub headers: Vec<String>,
    /// Why, in the project's words: shown in the generated docs and the change report.
    pub because: String,
    /// The Microsoft reference page (a URL) or metadata statement that justifies it.
    pub source: String,
}

/// The parameters of an action a correction adds.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionShape {
    /// The parameters, sent as the body's properties.
    pub parameters: Vec<ActionParameter>,
}

/// One parameter of an action a correction adds.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionParameter {
    /// Its name.
    pub name: String,
    /// Its type: `Edm.String`, or a qualified type of the model.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it may be `null` (OData's default: yes).
    #[serde(default = "yes")]
    pub nullable: bool,
    /// What it is, in the project's words.
    #[serde(default)]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

/// Why a correction cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("correction `{correction}`: {problem}")]
pub struct CorrectionError {
    /// The correction, as the configuration names it.
    pub correction: String,
    /// What is wrong.
    pub problem: String,
}

/// What a correction does, once read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Remove(OperationKey),
    Like {
        add: OperationKey,
        like: OperationKey,
        instead: bool,
    },
    Action {
        add: OperationKey,
    },
}

/// `METHOD /path`, read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OperationKey {
    method: HttpMethod,
    path: String,
}

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl OperationKey {
    fn matches(&self, op: &Operation) -> bool {
        op.method == self.method && op.path.to_string() == self.path
    }
}

impl Correction {
    /// How the configuration and reports name it: `add PUT /teams/...`.
    pub fn name(&self) -> String {
        match (&self.add, &self.remove) {
            (Some(add), _) => format!("add {add}"),
            (None, Some(remove)) => format!("remove {remove}"),
            (None, None) => "(nothing)".into(),
        }
    }

    /// The text the model records for the operations it touches.
    fn note(&self) -> String {
        format!("{} ({})", self.because, self.source)
    }

    /// Whether it applies to an API version.
    pub fn applies_to(&self, version: &str) -> bool {
        self.api.iter().any(|v| v == version)
    }

    /// Checks that the correction says one thing, and reads it.
    fn kind(&self) -> Result<Kind, CorrectionError> {
        let problem = |problem: &str| CorrectionError {
            correction: self.name(),
            problem: problem.to_string(),
        };
        let key = |text: &str| -> Result<OperationKey, CorrectionError> {
            let (method, path) = text
                .split_once(' ')
                .ok_or_else(|| problem(&format!("`{text}` is not \"METHOD /path\"")))?;
            let method = method
                .parse()
                .map_err(|e| problem(&format!("`{text}` has an {e}")))?;
            if !path.starts_with('/') {
                return Err(problem(&format!("`{text}`: a path starts with `/`")));
            }
            Ok(OperationKey {
                method,
                path: path.to_string(),
            })
        };
        if self.api.is_empty() {
            return Err(problem("`api` names no API version"));
        }
        match (&self.add, &self.remove, &self.like, &self.action) {
            (None, Some(remove), None, None) if !self.instead && self.headers.is_empty() => {
                Ok(Kind::Remove(key(remove)?))
            }
            (Some(add), None, Some(like), None) => Ok(Kind::Like {
                add: key(add)?,
                like: key(like)?,
                instead: self.instead,
            }),
            (Some(add), None, None, Some(_)) if !self.instead => {
                let add = key(add)?;
                if add.method != HttpMethod::Post {
                    return Err(problem("an action is sent with POST"));
                }
                Ok(Kind::Action { add })
            }
            _ => Err(problem(
                "a correction either removes an operation (`remove`), or adds one `like` another \
                 (optionally `instead` of it), or adds an `action` with its parameters",
            )),
        }
    }
}

/// Checks every correction of a configuration, so that a mistake is found when the
/// configuration is read, not halfway through a generation.
pub fn check(corrections: &[Correction]) -> Result<(), CorrectionError> {
    corrections.iter().try_for_each(|c| c.kind().map(drop))
}

/// What became of one correction on one API version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It changed the model.
    Applied,
    /// Microsoft's metadata already says what it says: it is no longer needed.
    MetadataAgrees(String),
    /// Microsoft's metadata no longer has what it builds on: it was skipped.
    Conflicts(String),
}

/// A correction and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The correction, by name.
    pub correction: String,
    /// The operation it adds (`METHOD /path`), if it adds one.
    pub adds: Option<String>,
    /// Where it comes from.
    pub source: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// Applies the corrections of `api`'s version to it, recording in `api.corrections` every
/// operation they add, replace or remove. Returns what became of each.
pub fn apply(api: &mut Api, corrections: &[Correction]) -> Result<Vec<Applied>, CorrectionError> {
    let mut applied = Vec::new();
    let version = api.version.clone();
    for c in corrections.iter().filter(|c| c.applies_to(&version)) {
        let outcome = match c.kind()? {
            Kind::Remove(key) => remove(api, c, &key),
            Kind::Like { add, like, instead } => mirror(api, c, &add, &like, instead),
            Kind::Action { add } => action(api, c, &add)?,
        };
        applied.push(Applied {
            correction: c.name(),
            adds: c.add.clone(),
            source: c.source.clone(),
            outcome,
        });
    }
    api.sort_operations();
    Ok(applied)
}

fn remove(api: &mut Api, c: &Correction, key: &OperationKey) -> Outcome {
    let before = api.operations.len();
    api.operations.retain(|op| !key.matches(op));
    if api.operations.len() == before {
        return Outcome::MetadataAgrees(format!("the metadata has no {key}"));
    }
    api.corrections.insert(key.to_string(), c.note());
    Outcome::Applied
}

fn mirror(
    api: &mut Api,
    c: &Correction,
    add: &OperationKey,
    like: &OperationKey,
    instead: bool,
) -> Outcome {
    let has_like = api.operations.iter().any(|op| like.matches(op));
    if api.operations.iter().any(|op| add.matches(op)) {
        // With `instead`, the correction is only done when the mirrored operation is gone too.
        if !(instead && has_like) {
            return Outcome::MetadataAgrees(format!("the metadata has {add}"));
        }
    }
    let Some(model) = api.operations.iter().find(|op| like.matches(op)).cloned() else {
        return Outcome::Conflicts(format!("the metadata has no {like} to model {add} on"));
    };
    let Some(path) = parse_path(&add.path, &model.path) else {
        return Outcome::Conflicts(format!("{add} is not a path of the metadata"));
    };
    let mut op = model;
    op.method = add.method;
    op.path = path;
    op.id = add.to_string();
    op.description = Some(c.because.clone());
    op.docs_url = c.source.starts_with("https://").then(|| c.source.clone());
    if let Response::Single(ty) = op.response {
        op.response = Response::single(add.method, ty);
    }
    for header in &c.headers {
        op.headers.push(HeaderParam {
            name: header.clone(),
            required: false,
            description: None,
        });
    }
    api.operations.retain(|o| !add.matches(o));
    if instead {
        api.operations.retain(|o| !like.matches(o));
        api.corrections.insert(like.to_string(), c.note());
    }
    api.corrections.insert(add.to_string(), c.note());
    api.operations.push(op);
    Outcome::Applied
}

fn action(api: &mut Api, c: &Correction, add: &OperationKey) -> Result<Outcome, CorrectionError> {
    if api.operations.iter().any(|op| add.matches(op)) {
        return Ok(Outcome::MetadataAgrees(format!("the metadata has {add}")));
    }
    let Some((parent, name)) = add.path.rsplit_once('/') else {
        return Ok(Outcome::Conflicts(format!("{add} has no parent path")));
    };
    // The action is bound to a resource the metadata has: some operation is on its path.
    let Some(bound) = api
        .operations
        .iter()
        .find(|op| op.path.to_string() == parent)
        .map(|op| op.path.clone())
    else {
        return Ok(Outcome::Conflicts(format!(
            "the metadata has no operation on `{parent}` to bind {add} to"
        )));
    };
    let parameters = c
        .action
        .as_ref()
        .map_or(&[][..], |a| a.parameters.as_slice());
    let mut properties = Vec::new();
    for p in parameters {
        properties.push(Property {
            name: p.name.clone(),
            ty: parameter_type(api, c, &p.ty)?,
            nullable: p.nullable,
            read_only: false,
            navigation: false,
            immutable: false,
            key: false,
            description: p.description.clone(),
        });
    }
    let body = (!properties.is_empty()).then(|| {
        let object = ObjectType {
            name: String::new(),
            kind: ObjectKind::ActionParameters {
                action: name.to_string(),
            },
            base: None,
            is_abstract: false,
            is_open: false,
            description: None,
            properties,
        };
        TypeRef::Named(api.intern_parameters(name, object))
    });
    let mut path = bound;
    path.segments.push(Segment::Call {
        name: name.to_string(),
        params: Vec::new(),
    });
    api.operations.push(Operation {
        id: add.to_string(),
        method: HttpMethod::Post,
        path,
        kind: OperationKind::Action,
        summary: None,
        description: Some(c.because.clone()),
        docs_url: c.source.starts_with("https://").then(|| c.source.clone()),
        query: Vec::new(),
        headers: Vec::new(),
        body,
        response: Response::Empty,
        error: api
            .types
            .contains_key(ODATA_ERROR)
            .then(|| TypeRef::named(ODATA_ERROR)),
        permissions: None,
    });
    api.corrections.insert(add.to_string(), c.note());
    Ok(Outcome::Applied)
}

/// The type of an action parameter: an `Edm` primitive or a type of the model.
fn parameter_type(api: &Api, c: &Correction, ty: &str) -> Result<TypeRef, CorrectionError> {
    if let Some(p) = Primitive::from_edm_name(ty) {
        return Ok(TypeRef::Primitive(p));
    }
    if api.types.contains_key(ty) {
        return Ok(TypeRef::named(ty));
    }
    Err(CorrectionError {
        correction: c.name(),
        problem: format!("the parameter type `{ty}` is neither `Edm.*` nor a type of the model"),
    })
}

/// The path of a template written like `model`'s (same keys), or `None` when it does not
/// have the shape of a path of the model: segments that are keys in `model` are keys.
fn parse_path(template: &str, model: &Path) -> Option<Path> {
    if template == model.to_string() {
        return Some(model.clone());
    }
    let raw: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    if raw.len() != model.segments.len() {
        return None;
    }
    let mut segments = Vec::new();
    for (raw, known) in raw.iter().zip(&model.segments) {
        segments.push(
            match (
                raw.strip_prefix('{').and_then(|s| s.strip_suffix('}')),
                known,
            ) {
                (Some(param), _) => Segment::Key {
                    param: param.to_string(),
                },
                (None, Segment::Call { name, params }) if name == raw => Segment::Call {
                    name: name.clone(),
                    params: params.clone(),
                },
                (None, _) => Segment::Literal(raw.to_string()),
            },
        );
    }
    Some(Path::new(segments))
}
