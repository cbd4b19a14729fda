//! The API change report: what a change of Microsoft's metadata does to code using the crate.
//!
//! Two models (from any mix of OpenAPI and CSDL documents) are turned into their Rust
//! surfaces (projections of [`crate::rust_api::RustApi`]), the surfaces are compared, and each
//! difference becomes a [`Change`] of one [`Rule`], classified **breaking** (code that compiled no longer does, or compiles with another
//! meaning), **needs attention** (it compiles, but behaves or is used differently), or
//! **non-breaking**, with a one-line reason that names what the generator emits. The report
//! suggests the semver bump and renders as Markdown (a release note, a pull-request comment) or
//! JSON ([`render`]). `cargo xtask codegen` keeps the model it generated from ([`record`]) so
//! that it can report what each regeneration changed and add it to the crate's changelog
//! ([`changelog`]).

pub mod changelog;
mod compare;
pub mod record;
pub mod render;
mod rules;
mod surface;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::config::Family;
use crate::rust_api::Features;

pub use rules::{ChangeBuilder, Rule};
pub use surface::Side;

/// How a change affects code that uses the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code that compiled no longer compiles, or means something else.
    Breaking,
    /// Code compiles as before, but the service or the crate behaves differently.
    NeedsAttention,
    /// Additions and documentation: nothing existing changes.
    NonBreaking,
}

impl Class {
    /// The heading of the class in the Markdown report.
    pub fn title(self) -> &'static str {
        match self {
            Class::Breaking => "Breaking",
            Class::NeedsAttention => "Needs attention",
            Class::NonBreaking => "Non-breaking",
        }
    }
}

/// Whether a change adds, removes or changes something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Something new.
    Added,
    /// Something gone.
    Removed,
    /// Something different.
    Changed,
}

impl Kind {
    /// `added`, `removed`, `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// What a change is about, in the order the report lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// A configured family.
    Family,
    /// A type.
    Type,
    /// A type deriving from another.
    DerivedType,
    /// A structural property.
    Property,
    /// A navigation property.
    Navigation,
    /// A member of an enum.
    EnumMember,
    /// An operation.
    Operation,
    /// The HTTP method of an operation.
    Verb,
    /// A parameter of a function.
    Parameter,
    /// A query option of an operation.
    QueryOption,
    /// A header of an operation.
    Header,
    /// The permissions of an operation.
    Permissions,
    /// Descriptions and links.
    Documentation,
}

impl Area {
    /// How the report names the area.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Family => "family",
            Area::Type => "type",
            Area::DerivedType => "derived type",
            Area::Property => "property",
            Area::Navigation => "navigation property",
            Area::EnumMember => "enum member",
            Area::Operation => "operation",
            Area::Verb => "verb",
            Area::Parameter => "parameter",
            Area::QueryOption => "query option",
            Area::Header => "header",
            Area::Permissions => "permissions",
            Area::Documentation => "documentation",
        }
    }
}

/// One difference between two versions of an API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects code that uses the crate.
    pub class: Class,
    /// Added, removed or changed.
    pub kind: Kind,
    /// What it is about.
    pub area: Area,
    /// What changed, in the metadata's terms: `timeOff.isStagedForDeletion`,
    /// `PATCH /teams/{team-id}/schedule/timesOff/{timeOff-id}`.
    pub subject: String,
    /// What changed in the metadata: `Edm.Boolean, nullable`; `PUT → PATCH`.
    pub detail: String,
    /// Where it shows in Rust: `TimeOff::is_staged_for_deletion: Nullable<bool>`.
    pub rust: String,
    /// Why it is classified so, in terms of what the generator emits.
    pub reason: String,
    /// The rule that found it.
    pub rule: Rule,
    /// Whether Microsoft's metadata or the project's corrections made the change.
    #[serde(skip_serializing_if = "Origin::is_metadata")]
    pub origin: Origin,
}

/// Where a change comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "why")]
pub enum Origin {
    /// Microsoft's metadata changed.
    #[default]
    Metadata,
    /// The project's corrections changed (added, dropped or edited), with the correction's
    /// reason and source.
    Correction(String),
}

impl Origin {
    /// Whether the change is Microsoft's.
    pub fn is_metadata(&self) -> bool {
        *self == Origin::Metadata
    }
}

/// The semver step a set of changes calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation only.
    Patch,
    /// Additions, or changes that need attention.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The bump for a set of changes: major for anything breaking, minor for additions and
    /// changes that need attention, patch for documentation alone.
    pub fn of(changes: &[Change]) -> Bump {
        changes
            .iter()
            .map(|c| match c.class {
                Class::Breaking => Bump::Major,
                _ if c.area == Area::Documentation => Bump::Patch,
                _ => Bump::Minor,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// The version after `current` (Cargo's rules: below 1.0, the minor number is the major one).
    pub fn next(self, current: &semver::Version) -> semver::Version {
        let mut next = semver::Version::new(current.major, current.minor, current.patch);
        let step = if current.major == 0 {
            match self {
                Bump::Major => Bump::Minor,
                Bump::Minor => Bump::Patch,
                other => other,
            }
        } else {
            self
        };
        match step {
            Bump::None => return current.clone(),
            Bump::Patch => next.patch += 1,
            Bump::Minor => {
                next.minor += 1;
                next.patch = 0;
            }
            Bump::Major => {
                next.major += 1;
                next.minor = 0;
                next.patch = 0;
            }
        }
        next
    }
}

/// What the report compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "families")]
pub enum Scope {
    /// The named families of a configuration.
    Families(Vec<String>),
    /// The whole documents.
    All,
}

/// The full report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// How the old side is named.
    pub old: String,
    /// How the new side is named.
    pub new: String,
    /// The API version (`beta`, `v1.0`) of the new side.
    pub version: String,
    /// What was compared.
    pub scope: Scope,
    /// The semver step the changes call for.
    pub bump: Bump,
    /// The suggested next version of the crate, when its current version is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_version: Option<String>,
    /// How many changes of each class.
    pub counts: Counts,
    /// The changes, by class, area and subject.
    pub changes: Vec<Change>,
    /// What the reader should know besides the changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// How many changes of each class a report has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Changes that need attention.
    pub needs_attention: usize,
    /// Non-breaking changes.
    pub non_breaking: usize,
}

impl Report {
    /// Compares two sides in the Rust module `module`; `families` are those the sides were
    /// sliced to (none for whole documents), each a cargo feature of the crate.
    pub fn new(old: &Side, new: &Side, module: &str, families: &[Family]) -> Report {
        let features = if families.is_empty() {
            Features::None
        } else {
            Features::Families(families.to_vec())
        };
        Report::with_features(old, new, module, families, &features)
    }

    /// [`Report::new`] for a crate whose features are cut as `features` (a whole document's
    /// crate has one per top-level module).
    pub fn with_features(
        old: &Side,
        new: &Side,
        module: &str,
        families: &[Family],
        features: &Features,
    ) -> Report {
        let mut changes = compare::compare(
            &surface::Surface::new(old, module, features),
            &surface::Surface::new(new, module, features),
        );
        let mut notes = Vec::new();
        changes.extend(compare::families(old, new, families, &mut notes));
        let scope = if families.is_empty() {
            Scope::All
        } else {
            Scope::Families(families.iter().map(|f| f.name.clone()).collect())
        };
        changes.sort_by(|a, b| {
            (a.class, a.area, &a.subject, a.kind).cmp(&(b.class, b.area, &b.subject, b.kind))
        });
        changes.dedup();
        let mut counts = Counts::default();
        for c in &changes {
            match c.class {
                Class::Breaking => counts.breaking += 1,
                Class::NeedsAttention => counts.needs_attention += 1,
                Class::NonBreaking => counts.non_breaking += 1,
            }
        }
        Report {
            old: old.label.clone(),
            new: new.label.clone(),
            version: new.api.version.clone(),
            scope,
            bump: Bump::of(&changes),
            next_version: None,
            counts,
            changes,
            notes,
        }
    }

    /// Fills in the next version of a crate currently at `current`.
    pub fn with_current_version(mut self, current: &str) -> Report {
        if let Ok(v) = semver::Version::parse(current) {
            self.next_version = Some(self.bump.next(&v).to_string());
        }
        self
    }

    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.counts.breaking > 0
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
