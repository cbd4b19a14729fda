//! A CSDL document → its slice, by deleting the byte ranges of the elements it does not keep,
//! so that every element it keeps stays exactly as Microsoft wrote it. It keeps the types of
//! the slice (without their dropped navigation properties), the types the families' paths pass
//! through (`user`, `userSettings`, `team`: with only the navigation properties on those paths),
//! the actions and functions the paths call, the container members the paths start from, and
//! the `Annotations` that target any of these.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use roxmltree::Node;

use super::Csdl;
use crate::config::{Family, FamilyFilter};
use crate::load::{DocumentSlice, LoadError, missing_families};
use crate::model::{Api, Path, Segment, Selection, TypeRef};
use crate::slice;

/// Cuts a CSDL document down to the families.
pub(crate) fn cut_csdl(
    text: &str,
    file: &str,
    families: &[Family],
) -> Result<DocumentSlice, LoadError> {
    let document = super::parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    let loaded = csdl.load(&FamilyFilter { families })?;
    let slice::Sliced {
        api: sliced,
        selection,
    } = slice::slice(&loaded.api, families);
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
    Ok(DocumentSlice {
        text: without(text, remove),
        operations: sliced.operations.len(),
        types: sliced.types.len(),
        missing_families: missing_families(&sliced, families),
        warnings: loaded.warnings,
    })
}

/// What a CSDL slice keeps, by element.
pub(super) struct CsdlKeep<'a> {
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
    pub(super) fn new(csdl: &Csdl, sliced: &Api, selection: &'a Selection) -> CsdlKeep<'a> {
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
    pub(super) fn walk(&mut self, csdl: &Csdl, path: &Path) {
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
    pub(super) fn type_element(
        &self,
        node: Node,
        name: &str,
        remove: &mut Vec<Range<usize>>,
    ) -> bool {
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

    pub(super) fn callable(
        &self,
        csdl: &Csdl,
        node: Node,
        namespace: &str,
    ) -> Result<bool, LoadError> {
        let name = format!("{namespace}.{}", node.attribute("Name").unwrap_or_default());
        let Some(binding) = node.children().find(|n| n.tag_name().name() == "Parameter") else {
            return Ok(false);
        };
        let binding = csdl.type_ref(binding, binding.attribute("Type").unwrap_or_default())?;
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

    pub(super) fn container(&self, node: Node, remove: &mut Vec<Range<usize>>) -> bool {
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
    pub(super) fn annotations(&self, target: &str) -> bool {
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
pub(super) fn element_lines(text: &str, node: Node) -> Range<usize> {
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
pub(super) fn without(text: &str, mut remove: Vec<Range<usize>>) -> String {
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
