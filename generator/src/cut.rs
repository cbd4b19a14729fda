//! Documents → slices of themselves (`cargo xtask slice`): the same format out as in, holding
//! what the configured families reach and nothing more.
//!
//! What to keep is decided on the model ([`crate::slice`]); this module only carries that
//! decision back to the document:
//!
//! * **CSDL** is cut by deleting the byte ranges of the elements it does not keep, so every
//!   element it keeps stays exactly as Microsoft wrote it. It keeps the types of the slice
//!   (without their dropped navigation properties), the types the families' paths pass through
//!   (`user`, `userSettings`, `team`: with only the navigation properties on those paths), the
//!   actions and functions the paths call, the container members the paths start from, and the
//!   `Annotations` that target any of these.
//! * **OpenAPI** is cut on its YAML tree: the families' path items, the component schemas of the
//!   slice (without dropped navigation properties), and every component these refer to.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use roxmltree::Node;

use crate::config::Family;
use crate::load::csdl::{Csdl, ODATA_ERROR};
use crate::load::{LoadError, Warning};
use crate::model::{Api, Path, Segment, TypeRef};
use crate::slice::{self, FamilyFilter, Selection};

/// A document's slice, and what went into it.
#[derive(Debug)]
pub struct Cut {
    pub text: String,
    pub operations: usize,
    pub types: usize,
    /// Families with no path in the document (not there yet, or misspelled).
    pub missing_families: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// Cuts a document (either format) down to the families.
pub fn cut(text: &str, file: &str, families: &[Family]) -> Result<Cut, LoadError> {
    match crate::load::sniff_format(text) {
        crate::load::Format::Csdl => cut_csdl(text, file, families),
        crate::load::Format::OpenApi => cut_openapi(text, file, families),
    }
}

fn missing(api: &Api, families: &[Family]) -> Vec<String> {
    families
        .iter()
        .filter(|f| !api.operations.iter().any(|op| f.matches(&op.path)))
        .map(|f| f.name.clone())
        .collect()
}

// ----- CSDL --------------------------------------------------------------------------------------

fn cut_csdl(text: &str, file: &str, families: &[Family]) -> Result<Cut, LoadError> {
    let document = crate::load::csdl::parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    let loaded = csdl.load(&FamilyFilter { families })?;
    let sliced = slice::slice(&loaded.api, families);
    let selection = slice::select(&loaded.api, &sliced.operations);
    let keep = CsdlKeep::new(&csdl, &sliced, &selection);

    let mut remove: Vec<Range<usize>> = Vec::new();
    let root = document.root_element();
    for data_services in root
        .children()
        .filter(|n| n.tag_name().name() == "DataServices")
    {
        for schema in data_services
            .children()
            .filter(|n| n.tag_name().name() == "Schema")
        {
            let namespace = schema.attribute("Namespace").unwrap_or_default();
            let before = remove.len();
            let mut kept_any = false;
            for node in schema.children().filter(Node::is_element) {
                let kept = match node.tag_name().name() {
                    "EntityType" | "ComplexType" | "EnumType" => {
                        let name =
                            format!("{namespace}.{}", node.attribute("Name").unwrap_or_default());
                        keep.type_element(node, &name, &mut remove)
                    }
                    "Action" | "Function" => keep.callable(&csdl, node, namespace)?,
                    "EntityContainer" => keep.container(node, &mut remove),
                    "Annotations" => keep.annotations(
                        &csdl.qualify_target(node.attribute("Target").unwrap_or_default()),
                    ),
                    "TypeDefinition" => true,
                    _ => false,
                };
                if kept {
                    kept_any = true;
                } else {
                    remove.push(element_lines(text, node));
                }
            }
            if !kept_any {
                remove.truncate(before);
                remove.push(element_lines(text, schema));
            }
        }
    }
    Ok(Cut {
        text: without(text, remove),
        operations: sliced.operations.len(),
        types: sliced.types.len(),
        missing_families: missing(&sliced, families),
        warnings: loaded.warnings,
    })
}

/// What a CSDL slice keeps, by element.
struct CsdlKeep<'a> {
    /// `microsoft.graph.GraphService`.
    container: String,
    selection: &'a Selection,
    /// Types the paths pass through, with the navigation properties they take.
    path_steps: BTreeMap<String, BTreeSet<String>>,
    /// Container members the paths start from.
    members: BTreeSet<String>,
    /// `(qualified name, binding type)` of the actions and functions the paths call.
    calls: BTreeSet<(String, TypeRef)>,
}

impl<'a> CsdlKeep<'a> {
    fn new(csdl: &Csdl, sliced: &Api, selection: &'a Selection) -> CsdlKeep<'a> {
        let mut keep = CsdlKeep {
            container: csdl.container_name.clone(),
            selection,
            path_steps: BTreeMap::new(),
            members: BTreeSet::new(),
            calls: BTreeSet::new(),
        };
        for op in &sliced.operations {
            keep.walk(csdl, &op.path);
        }
        // The base types of path steps carry the key; they are kept without their properties.
        let steps: Vec<String> = keep.path_steps.keys().cloned().collect();
        for step in steps {
            for ancestor in csdl.ancestry(&step) {
                keep.path_steps.entry(ancestor.to_string()).or_default();
            }
        }
        keep
    }

    /// Records the member, navigation properties and call a path uses.
    fn walk(&mut self, csdl: &Csdl, path: &Path) {
        let Some(Segment::Literal(first)) = path.segments.first() else {
            return;
        };
        let Some(mut ty) = csdl.member_type(first).map(str::to_string) else {
            return;
        };
        self.members.insert(first.clone());
        let mut collection = !csdl.members.iter().any(|m| m.name == *first && m.singleton);
        for segment in &path.segments[1..] {
            match segment {
                Segment::Key { .. } => collection = false,
                Segment::Literal(nav) => {
                    let Ok(Some((declaring, target, is_collection))) = csdl.navigation_of(&ty, nav)
                    else {
                        return;
                    };
                    self.path_steps
                        .entry(declaring)
                        .or_default()
                        .insert(nav.clone());
                    self.path_steps.entry(ty.clone()).or_default();
                    ty = target;
                    collection = is_collection;
                }
                Segment::Call { name, .. } => {
                    if let Ok(Some(c)) = csdl.resolve_call(name, &ty, collection) {
                        if let Some(binding) = &c.binding {
                            self.calls.insert((c.name.clone(), binding.clone()));
                        }
                    }
                    return;
                }
                Segment::Count => return,
            }
        }
    }

    /// Whether a type element is kept; if so, records which of its children to remove.
    fn type_element(&self, node: Node, name: &str, remove: &mut Vec<Range<usize>>) -> bool {
        let in_slice = self.selection.types.contains(name);
        let step = self.path_steps.get(name);
        if !in_slice && step.is_none() {
            return false;
        }
        let text = node.document().input_text();
        for child in node
            .children()
            .filter(|n| matches!(n.tag_name().name(), "Property" | "NavigationProperty"))
        {
            let prop = child.attribute("Name").unwrap_or_default();
            let on_path = step.is_some_and(|navs| navs.contains(prop));
            let kept = on_path
                || (in_slice
                    && !self
                        .selection
                        .dropped_navigation
                        .contains(&(name.to_string(), prop.to_string())));
            if !kept {
                remove.push(element_lines(text, child));
            }
        }
        true
    }

    fn callable(&self, csdl: &Csdl, node: Node, namespace: &str) -> Result<bool, LoadError> {
        let name = format!("{namespace}.{}", node.attribute("Name").unwrap_or_default());
        let Some(binding) = node.children().find(|n| n.tag_name().name() == "Parameter") else {
            return Ok(false);
        };
        let binding = csdl.parse_type(binding, binding.attribute("Type").unwrap_or_default())?;
        let binding = match binding {
            TypeRef::Collection { item, .. } => TypeRef::Collection {
                item,
                item_nullable: true,
            },
            other => other,
        };
        Ok(self.calls.iter().any(|(n, b)| {
            let b = match b {
                TypeRef::Collection { item, .. } => TypeRef::Collection {
                    item: item.clone(),
                    item_nullable: true,
                },
                other => other.clone(),
            };
            *n == name && b == binding
        }))
    }

    fn container(&self, node: Node, remove: &mut Vec<Range<usize>>) -> bool {
        let text = node.document().input_text();
        for member in node.children().filter(Node::is_element) {
            if self
                .members
                .contains(member.attribute("Name").unwrap_or_default())
            {
                for binding in member
                    .children()
                    .filter(|n| n.tag_name().name() == "NavigationPropertyBinding")
                {
                    remove.push(element_lines(text, binding));
                }
            } else {
                remove.push(element_lines(text, member));
            }
        }
        true
    }

    /// Whether an `Annotations` element's target is kept.
    fn annotations(&self, target: &str) -> bool {
        let (head, tail) = match target.split_once('/') {
            Some((h, t)) => (h, Some(t)),
            None => (target, None),
        };
        let head = head.split('(').next().unwrap_or(head);
        let type_kept = self.selection.types.contains(head) || self.path_steps.contains_key(head);
        match tail {
            None => type_kept || self.calls.iter().any(|(n, _)| n == head),
            Some(member) => {
                let member = member.split('/').next().unwrap_or(member);
                if self.selection.types.contains(head) {
                    !self
                        .selection
                        .dropped_navigation
                        .contains(&(head.to_string(), member.to_string()))
                        || self
                            .path_steps
                            .get(head)
                            .is_some_and(|n| n.contains(member))
                } else if let Some(navs) = self.path_steps.get(head) {
                    navs.contains(member)
                } else if head == self.container {
                    self.members.contains(member)
                } else {
                    // A parameter of an action or function.
                    self.calls.iter().any(|(n, _)| n == head)
                }
            }
        }
    }
}

/// The byte range of an element with its indentation and line end, so that cutting it leaves
/// no blank line.
fn element_lines(text: &str, node: Node) -> Range<usize> {
    let range = node.range();
    let line_start = text[..range.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let start = if text[line_start..range.start].trim().is_empty() {
        line_start
    } else {
        range.start
    };
    let rest = &text[range.end..];
    let end = match rest.find('\n') {
        Some(i) if rest[..i].trim().is_empty() => range.end + i + 1,
        _ => range.end,
    };
    start..end
}

/// `text` without the given ranges (which may overlap).
fn without(text: &str, mut remove: Vec<Range<usize>>) -> String {
    remove.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in remove {
        if r.start >= at {
            out.push_str(&text[at..r.start]);
            at = r.end;
        } else if r.end > at {
            at = r.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

// ----- OpenAPI -----------------------------------------------------------------------------------

fn cut_openapi(text: &str, file: &str, families: &[Family]) -> Result<Cut, LoadError> {
    let loaded = crate::load::openapi::load_str(text, file)?;
    let sliced = slice::slice(&loaded.api, families);
    let selection = slice::select(&loaded.api, &sliced.operations);
    let err = |message: String| LoadError {
        file: file.into(),
        place: "document".into(),
        message,
    };
    let mut doc: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| err(e.to_string()))?;

    // Path items of the families.
    if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_mapping_mut()) {
        paths.retain(|key, _| {
            let key = key.as_str().unwrap_or_default();
            families.iter().any(|f| f.matches_template(key))
        });
    }
    // Schemas of the slice lose their dropped navigation properties.
    if let Some(schemas) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(|s| s.as_mapping_mut())
    {
        for (name, schema) in schemas.iter_mut() {
            let name = name.as_str().unwrap_or_default().to_string();
            for (owner, property) in &selection.dropped_navigation {
                if *owner == name {
                    remove_property(schema, property);
                }
            }
        }
    }
    // Everything the kept paths and the slice's schemas refer to, transitively.
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> = selection
        .types
        .iter()
        .map(|t| {
            format!(
                "#/components/schemas/{}",
                crate::load::openapi::pointer_token(t)
            )
        })
        .collect();
    if selection.types.iter().any(|t| t == ODATA_ERROR) {
        pending.push("#/components/responses/error".into());
    }
    collect_refs(
        doc.get("paths").unwrap_or(&serde_norway::Value::Null),
        &mut pending,
    );
    while let Some(reference) = pending.pop() {
        if !wanted.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = resolve(&doc, &reference) {
            collect_refs(target, &mut pending);
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(|c| c.as_mapping_mut()) {
        for (kind, entries) in components.iter_mut() {
            let kind = kind.as_str().unwrap_or_default().to_string();
            if kind == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_mapping_mut() {
                entries.retain(|name, _| {
                    let pointer = format!(
                        "#/components/{kind}/{}",
                        crate::load::openapi::pointer_token(name.as_str().unwrap_or_default())
                    );
                    wanted.contains(&pointer)
                });
            }
        }
    }
    let text = serde_norway::to_string(&doc).map_err(|e| err(e.to_string()))?;
    Ok(Cut {
        text,
        operations: sliced.operations.len(),
        types: sliced.types.len(),
        missing_families: missing(&sliced, families),
        warnings: loaded.warnings,
    })
}

fn collect_refs(value: &serde_norway::Value, out: &mut Vec<String>) {
    match value {
        serde_norway::Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some("$ref") {
                    if let Some(r) = v.as_str() {
                        out.push(r.to_string());
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        serde_norway::Value::Sequence(s) => s.iter().for_each(|v| collect_refs(v, out)),
        serde_norway::Value::Tagged(t) => collect_refs(&t.value, out),
        _ => {}
    }
}

fn resolve<'v>(doc: &'v serde_norway::Value, reference: &str) -> Option<&'v serde_norway::Value> {
    let pointer = reference.strip_prefix("#/")?;
    let mut current = doc;
    for token in pointer.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = current.get(token.as_str())?;
    }
    Some(current)
}

/// Removes a property from an object schema, or from the object parts of its `allOf`.
fn remove_property(schema: &mut serde_norway::Value, property: &str) {
    if let Some(properties) = schema
        .get_mut("properties")
        .and_then(|p| p.as_mapping_mut())
    {
        properties.remove(property);
    }
    if let Some(parts) = schema.get_mut("allOf").and_then(|a| a.as_sequence_mut()) {
        for part in parts {
            remove_property(part, property);
        }
    }
}
