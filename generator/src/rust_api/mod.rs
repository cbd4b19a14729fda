//! The Rust API a model becomes, decided once: the name of every struct, enum, field,
//! variant, method and builder, and every Rust type, as plain data ([`RustApi`], `Send` and
//! `Sync`). The emitter prints it as tokens; the change report compares two of them, so that
//! every reason the report gives is about what the emitter actually produces.
//!
//! Names come from [`crate::names`]; the model's facts (namespace, updates that may answer no
//! content, action parameters) are read, never re-derived.

mod boxing;
mod gates;
mod models;
mod requests;
mod types;

use std::collections::BTreeSet;

pub use gates::{Features, Gate, Gates};
pub use models::{EnumApi, FieldApi, StructApi};
pub use requests::{
    EntryKind, EntryPoint, HeaderBuilder, OperationApi, Parse, QueryBuilder, Tree, call_args,
};
pub use types::RustType;

use crate::model::{Alias, Api, Hierarchy, ObjectType, Path, Segment, TypeDef, TypeRef};
use crate::names::{self, TypeNames};

/// What the analysis needs besides the model.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The Rust module of this version: `beta`, `v1_0`.
    pub module: String,
    /// The library name users write (`msgraph_work`), for examples in docs.
    pub crate_name: String,
    /// Entry points that stand for another path (`/me` for `/users/{user-id}`).
    pub aliases: Vec<Alias>,
    /// The cargo features that gate items.
    pub features: Features,
}

/// Why a model cannot become a Rust API.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// Two entry points of a version module would have the same name.
    #[error("two entry points are named `{0}`")]
    EntryPoints(String),
}

/// The Rust API of one version module.
#[derive(Debug)]
pub struct RustApi<'a> {
    /// The model.
    pub api: &'a Api,
    /// The Rust module: `beta`, `v1_0`.
    pub module: String,
    /// The library name users write, for examples in docs.
    pub crate_name: String,
    /// The names of the types.
    pub names: TypeNames,
    /// Which types derive from which.
    pub hierarchy: Hierarchy<'a>,
    /// `(type, wire property)` pairs whose field is boxed to break a containment cycle.
    boxed: BTreeSet<(&'a str, &'a str)>,
    /// Navigation and operations.
    pub tree: Tree<'a>,
    /// Entry points that stand for another path.
    aliases: Vec<Alias>,
    /// Which cargo features compile each item.
    pub gates: Gates,
}

impl<'a> RustApi<'a> {
    /// Decides the Rust API of `api`.
    pub fn new(api: &'a Api, options: &Options) -> RustApi<'a> {
        let names = TypeNames::new(api);
        let hierarchy = Hierarchy::new(api);
        let boxed = boxing::boxed_fields(api, &hierarchy);
        let tree = Tree::new(api, &names);
        let gates = Gates::new(api, &tree, &options.features);
        RustApi {
            api,
            module: options.module.clone(),
            crate_name: options.crate_name.clone(),
            names,
            hierarchy,
            boxed,
            tree,
            aliases: options.aliases.clone(),
            gates,
        }
    }

    /// The module's entry points, in order: one function per alias, per root, and per root
    /// that is a link.
    pub fn entry_points(&self) -> Result<Vec<EntryPoint>, AnalysisError> {
        entry_points(&self.tree, &self.aliases)
    }

    /// Types deriving from `name`, directly or not, by name.
    pub fn derived(&self, name: &str) -> Vec<&'a ObjectType> {
        self.hierarchy
            .descendants(name)
            .iter()
            .filter_map(|d| self.api.object(d))
            .collect()
    }

    /// The `Any*` enum of a type that others derive from.
    pub fn any_enum(&self, name: &str) -> Option<&str> {
        if self.hierarchy.descendants(name).is_empty() {
            return None;
        }
        self.names.any(name)
    }

    /// Whether the field of `property` in `object` is boxed.
    pub fn is_boxed(&self, object: &str, property: &str) -> bool {
        self.boxed.contains(&(object, property))
    }

    /// The Rust type of a named type as used in a property: its struct, its `Any*` enum when
    /// it has derived types, or its enum (`Flags<_>` for flags enums).
    pub fn named_type(&self, name: &str) -> RustType {
        match self.api.types.get(name) {
            Some(TypeDef::Enum(e)) => {
                let model = RustType::Model(self.names.ident(name).to_string());
                if e.flags {
                    RustType::Flags(Box::new(model))
                } else {
                    model
                }
            }
            _ => RustType::Model(
                self.names
                    .any(name)
                    .unwrap_or_else(|| self.names.ident(name))
                    .to_string(),
            ),
        }
    }

    /// The Rust type of a value of `ty` (without the surrounding `Option`/`Nullable`).
    pub fn value_type(&self, ty: &TypeRef) -> RustType {
        match ty {
            TypeRef::Primitive(p) => RustType::primitive(*p),
            TypeRef::Named(n) => self.named_type(n),
            TypeRef::Collection {
                item,
                item_nullable,
            } => {
                let item = self.value_type(item);
                if *item_nullable {
                    item.option().vec()
                } else {
                    item.vec()
                }
            }
        }
    }
}

/// The entry points of a version module: one function per alias, per root, and per root
/// that is a link.
fn entry_points(tree: &Tree, aliases: &[Alias]) -> Result<Vec<EntryPoint>, AnalysisError> {
    let mut out = Vec::new();
    let mut taken = BTreeSet::new();
    let mut take = |name: &str| {
        if taken.insert(name.to_string()) {
            Ok(())
        } else {
            Err(AnalysisError::EntryPoints(name.to_string()))
        }
    };
    let roots: BTreeSet<String> = tree.roots().into_iter().map(|(root, _)| root).collect();
    for alias in aliases {
        // A document that serves the path itself (CSDL's `me` singleton) needs no alias.
        if roots.contains(alias.path.trim_start_matches('/')) {
            continue;
        }
        let Some(target) = tree.node_of(&template_path(&alias.target)) else {
            continue;
        };
        let name = names::entry_point(&alias.path);
        take(&name)?;
        out.push(EntryPoint {
            name,
            path: alias.path.clone(),
            node: target,
            kind: EntryKind::Alias(alias.target.clone()),
        });
    }
    for (root, node) in tree.roots() {
        let name = names::entry_point(&root);
        take(&name)?;
        out.push(EntryPoint {
            name,
            path: format!("/{root}"),
            node,
            kind: EntryKind::Root,
        });
    }
    for link in &tree.nodes[0].links {
        let Segment::Literal(root) = &link.segment else {
            continue;
        };
        let name = names::entry_point(root);
        take(&name)?;
        out.push(EntryPoint {
            name,
            path: format!("/{root}"),
            node: link.target,
            kind: EntryKind::Link,
        });
    }
    Ok(out)
}

/// The path of a template made of names and `{keys}`, as aliases write their targets.
fn template_path(template: &str) -> Path {
    Path::new(
        template
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(param) => Segment::Key {
                        param: param.to_string(),
                    },
                    None if s == "$count" => Segment::Count,
                    None => Segment::Literal(s.to_string()),
                },
            )
            .collect(),
    )
}
