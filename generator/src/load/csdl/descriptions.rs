//! The descriptions of a CSDL document, by identity: what `cargo xtask update` carries over
//! from the project's spec to a new cut of Microsoft's document, so that the spec holds
//! Microsoft's structure and the project's words. The document is edited as text, so that
//! everything else stays exactly as Microsoft wrote it.
//!
//! Descriptions are `Core.Description` and `Core.LongDescription` annotations (identity:
//! `target#term`, the target with aliases resolved), and `Description` and `LongDescription`
//! values inside other annotations' records, such as a capability's (identity: `target#term`
//! then the path of property values, records of a collection named by their `Name`,
//! `NavigationProperty` or `Property`: `…#Capabilities.V1.ReadRestrictions/Description`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use roxmltree::{Document, Node};

use super::Csdl;
use super::cut::element_lines;
use crate::load::LoadError;

const DESCRIPTION_TERMS: &[&str] = &[
    "Org.OData.Core.V1.Description",
    "Org.OData.Core.V1.LongDescription",
];
const DESCRIPTION_PROPERTIES: &[&str] = &["Description", "LongDescription"];

/// One description of a document.
struct Found<'a, 'input> {
    identity: String,
    text: String,
    /// The element that carries it: an `Annotation` or a `PropertyValue`.
    node: Node<'a, 'input>,
}

/// Every description of a document: identity → text.
pub fn collect(text: &str, file: &str) -> Result<BTreeMap<String, String>, LoadError> {
    let document = super::parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    Ok(find(&csdl)
        .into_iter()
        .map(|f| (f.identity, f.text))
        .collect())
}

/// `text` with its descriptions replaced by `ours`, by identity: a description `ours` lacks is
/// removed (or kept, with `keep`), and a description annotation of `ours` that `text` lacks is
/// added, when its target is in `text`. Also returns the identities of the descriptions `text`
/// had that `ours` lacks.
pub fn carry_over(
    text: &str,
    file: &str,
    ours: &BTreeMap<String, String>,
    keep: bool,
) -> Result<(String, Vec<String>), LoadError> {
    let document = super::parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    let found = find(&csdl);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // `Annotations` elements by start: (annotations removed, element children).
    let mut emptied: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut missing = Vec::new();
    for f in &found {
        if !ours.contains_key(&f.identity) {
            missing.push(f.identity.clone());
        }
        match ours.get(&f.identity) {
            Some(ours) if *ours == f.text => {}
            Some(ours) => edits.push((value_range(f.node), escape(ours))),
            None if keep => {}
            None => {
                edits.push((element_lines(text, f.node), String::new()));
                if let Some(parent) = f.node.parent_element().filter(|p| is(*p, "Annotations")) {
                    let children = parent.children().filter(Node::is_element).count();
                    emptied
                        .entry(parent.range().start)
                        .or_insert((0, children))
                        .0 += 1;
                }
            }
        }
    }
    // An `Annotations` element left without annotations goes too.
    for (start, (removed, children)) in &emptied {
        if removed == children {
            if let Some(node) = document
                .descendants()
                .find(|n| is(*n, "Annotations") && n.range().start == *start)
            {
                edits.push((element_lines(text, node), String::new()));
            }
        }
    }
    let present: BTreeSet<&str> = found.iter().map(|f| f.identity.as_str()).collect();
    let added = added_annotations(&csdl, ours, &present);
    if !added.is_empty() {
        let at = schema_end(&csdl).ok_or_else(|| LoadError {
            file: file.to_string(),
            place: "document".into(),
            message: "no `Schema` to add the project's descriptions to".into(),
        })?;
        edits.push((at..at, added));
    }
    Ok((apply(text, edits), missing))
}

/// Whether a node is the element `name`.
fn is(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

/// Every description of an indexed document, in document order.
fn find<'a, 'input>(csdl: &Csdl<'a, 'input>) -> Vec<Found<'a, 'input>> {
    let mut out = Vec::new();
    for annotation in csdl.document.descendants().filter(|n| is(*n, "Annotation")) {
        // Annotations nested in another annotation's value annotate that value: not ours.
        if annotation.ancestors().skip(1).any(|a| is(a, "Annotation")) {
            continue;
        }
        let Some(target) = target_of(csdl, annotation) else {
            continue;
        };
        let term = csdl.qualify(annotation.attribute("Term").unwrap_or_default());
        let base = format!("{target}#{}", short_term(&term));
        if DESCRIPTION_TERMS.contains(&term.as_str()) {
            if let Some(text) = string_value(annotation) {
                out.push(Found {
                    identity: base,
                    text,
                    node: annotation,
                });
            }
            continue;
        }
        for value in annotation.descendants().filter(|n| {
            is(*n, "PropertyValue")
                && DESCRIPTION_PROPERTIES.contains(&n.attribute("Property").unwrap_or_default())
        }) {
            if let Some(text) = string_value(value) {
                out.push(Found {
                    identity: format!("{base}{}", record_path(annotation, value)),
                    text,
                    node: value,
                });
            }
        }
    }
    out
}

/// `Org.OData.Core.V1.Description` → `Core.V1.Description`.
fn short_term(term: &str) -> &str {
    term.strip_prefix("Org.OData.").unwrap_or(term)
}

/// The target an annotation applies to: its `Annotations` element's, or the element it is
/// written in (a type, a property or member of one, a container member, an action).
fn target_of(csdl: &Csdl, annotation: Node) -> Option<String> {
    let parent = annotation.parent_element()?;
    if is(parent, "Annotations") {
        return Some(
            csdl.qualify_target(parent.attribute("Target")?)
                .into_owned(),
        );
    }
    let name = parent.attribute("Name")?;
    let namespace = |node: Node| {
        node.ancestors()
            .find(|a| is(*a, "Schema"))
            .and_then(|s| s.attribute("Namespace"))
            .map(str::to_string)
    };
    let owner = parent.parent_element()?;
    match parent.tag_name().name() {
        "EntityType" | "ComplexType" | "EnumType" | "Action" | "Function" | "Term"
        | "TypeDefinition" => Some(format!("{}.{name}", namespace(parent)?)),
        "EntitySet" | "Singleton" => Some(format!("{}/{name}", csdl.container_name)),
        _ => {
            let owner_name = owner.attribute("Name")?;
            Some(format!("{}.{owner_name}/{name}", namespace(owner)?))
        }
    }
}

/// The path from an annotation down to a record's description value: the property values on
/// the way, and the records of collections named by their key property.
fn record_path(annotation: Node, value: Node) -> String {
    let mut steps = Vec::new();
    let mut node = value;
    while node != annotation {
        if is(node, "PropertyValue") {
            steps.push(format!(
                "/{}",
                node.attribute("Property").unwrap_or_default()
            ));
        } else if is(node, "Record") && node.parent_element().is_some_and(|p| is(p, "Collection")) {
            steps.push(format!("[{}]", record_key(node)));
        }
        let Some(parent) = node.parent_element() else {
            break;
        };
        node = parent;
    }
    steps.reverse();
    steps.concat()
}

/// What names a record in a collection: the value of its `Name`, `NavigationProperty` or
/// `Property` property (an attribute, or a child such as `<PropertyPath>`), else its position.
fn record_key(record: Node) -> String {
    for key in ["Name", "NavigationProperty", "Property"] {
        let value = record
            .children()
            .find(|n| is(*n, "PropertyValue") && n.attribute("Property") == Some(key))
            .and_then(|n| {
                n.attributes()
                    .find(|a| a.name() != "Property")
                    .map(|a| a.value().to_string())
                    .or_else(|| {
                        n.children()
                            .find(Node::is_element)
                            .and_then(|child| child.text())
                            .map(|text| text.trim().to_string())
                    })
            });
        if let Some(value) = value {
            return value;
        }
    }
    let index = record
        .prev_siblings()
        .skip(1)
        .filter(Node::is_element)
        .count();
    index.to_string()
}

/// The text of a `String="..."` attribute or `<String>` child.
fn string_value(node: Node) -> Option<String> {
    if let Some(text) = node.attribute("String") {
        return Some(text.to_string());
    }
    node.children()
        .find(|n| is(*n, "String"))
        .map(|s| s.text().unwrap_or_default().to_string())
}

/// The bytes that hold a description's text (the attribute's value, or the `<String>`'s
/// content), to replace.
fn value_range(node: Node) -> Range<usize> {
    if let Some(attribute) = node.attributes().find(|a| a.name() == "String") {
        return attribute.range_value();
    }
    let string = node
        .children()
        .find(|n| is(*n, "String"))
        .expect("a description has a String attribute or element");
    match string.first_child() {
        Some(text) => text.range(),
        // `<String/>` or `<String></String>`: the text goes right after the start tag.
        None => {
            let end = string.range().end;
            let close = string.document().input_text()[..end]
                .rfind("</")
                .unwrap_or(end);
            close..close
        }
    }
}

/// The description annotations of `ours` that the document lacks and whose targets it has,
/// as `Annotations` elements, one per target, sorted.
fn added_annotations(
    csdl: &Csdl,
    ours: &BTreeMap<String, String>,
    present: &BTreeSet<&str>,
) -> String {
    let mut by_target: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (identity, text) in ours {
        let Some((target, term)) = identity.split_once('#') else {
            continue;
        };
        let annotation = DESCRIPTION_TERMS.iter().any(|t| short_term(t) == term);
        if annotation && !present.contains(identity.as_str()) && exists(csdl, target) {
            by_target.entry(target).or_default().push((term, text));
        }
    }
    let mut out = String::new();
    for (target, terms) in by_target {
        out.push_str(&format!(
            "      <Annotations Target=\"{}\">\n",
            escape(target)
        ));
        for (term, text) in terms {
            out.push_str(&format!(
                "        <Annotation Term=\"Org.OData.{term}\" String=\"{}\" />\n",
                escape(text)
            ));
        }
        out.push_str("      </Annotations>\n");
    }
    out
}

/// Whether a description's target is in the document: a type, a property or member of one,
/// an action or function, or a container member.
fn exists(csdl: &Csdl, target: &str) -> bool {
    let (head, member) = match target.split_once('/') {
        Some((h, m)) => (h, Some(m)),
        None => (target, None),
    };
    if head == csdl.container_name {
        return member.is_some_and(|m| csdl.members.iter().any(|c| c.name == m));
    }
    let Some(node) = csdl.type_nodes.get(head).copied().or_else(|| {
        csdl.callable_nodes
            .iter()
            .find(|(n, ns)| format!("{ns}.{}", n.attribute("Name").unwrap_or_default()) == head)
            .map(|(n, _)| *n)
    }) else {
        return false;
    };
    match member {
        None => true,
        Some(m) => node
            .children()
            .any(|c| c.is_element() && c.attribute("Name") == Some(m)),
    }
}

/// Where added `Annotations` go: before the end of the schema that holds the container (or
/// the first schema), at the start of its closing tag's line.
fn schema_end(csdl: &Csdl) -> Option<usize> {
    let document: &Document = csdl.document;
    let schemas: Vec<Node> = document
        .descendants()
        .filter(|n| is(*n, "Schema"))
        .collect();
    let schema = schemas
        .iter()
        .find(|s| s.children().any(|c| is(c, "EntityContainer")))
        .or(schemas.first())?;
    let text = document.input_text();
    let end = schema.range().end;
    let close = text[..end].rfind("</")?;
    Some(text[..close].rfind('\n').map_or(close, |i| i + 1))
}

/// `text` with the edits applied: replacements and removals, where an edit inside a removed
/// range is dropped with it.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Text as an XML attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="size" Type="Edm.Int32">
          <Annotation Term="Org.OData.Core.V1.Description" String="Microsoft's size." />
        </Property>
      </EntityType>
      <EntityContainer Name="GraphService">
        <EntitySet Name="things" EntityType="graph.thing" />
      </EntityContainer>
      <Annotations Target="graph.thing">
        <Annotation Term="Org.OData.Capabilities.V1.ReadRestrictions">
          <Record>
            <PropertyValue Property="Description" String="Microsoft's read." />
            <PropertyValue Property="CustomHeaders">
              <Collection>
                <Record>
                  <PropertyValue Property="Name" String="ConsistencyLevel" />
                  <PropertyValue Property="Description" String="Microsoft's header." />
                </Record>
              </Collection>
            </PropertyValue>
          </Record>
        </Annotation>
        <Annotation Term="Org.OData.Core.V1.Description" String="Microsoft's thing." />
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    #[test]
    fn descriptions_are_named_by_what_they_describe() {
        let found = collect(DOC, "doc.xml").unwrap();
        let identities: Vec<&str> = found.keys().map(String::as_str).collect();
        assert_eq!(
            identities,
            [
                "microsoft.graph.thing#Capabilities.V1.ReadRestrictions/CustomHeaders[ConsistencyLevel]/Description",
                "microsoft.graph.thing#Capabilities.V1.ReadRestrictions/Description",
                "microsoft.graph.thing#Core.V1.Description",
                "microsoft.graph.thing/size#Core.V1.Description",
            ]
        );
    }

    #[test]
    fn ours_replace_theirs_are_added_where_missing_and_theirs_go() {
        let ours = BTreeMap::from([
            (
                "microsoft.graph.thing#Core.V1.Description".to_string(),
                "A thing & more.".to_string(),
            ),
            (
                "microsoft.graph.thing/id#Core.V1.Description".to_string(),
                "Its ID.".to_string(),
            ),
            (
                "microsoft.graph.gone#Core.V1.Description".to_string(),
                "Not in the document.".to_string(),
            ),
        ]);
        let (out, missing) = carry_over(DOC, "doc.xml", &ours, false).unwrap();
        assert_eq!(
            missing,
            [
                "microsoft.graph.thing/size#Core.V1.Description",
                "microsoft.graph.thing#Capabilities.V1.ReadRestrictions/Description",
                "microsoft.graph.thing#Capabilities.V1.ReadRestrictions/CustomHeaders[ConsistencyLevel]/Description",
            ],
            "Microsoft's descriptions the project has no words for"
        );
        assert!(out.contains(r#"String="A thing &amp; more.""#), "{out}");
        assert!(!out.contains("Microsoft's"), "{out}");
        assert!(
            out.contains("      <Annotations Target=\"microsoft.graph.thing/id\">\n        <Annotation Term=\"Org.OData.Core.V1.Description\" String=\"Its ID.\" />\n      </Annotations>\n    </Schema>"),
            "{out}"
        );
        assert!(!out.contains("Not in the document"), "{out}");
        assert!(
            out.contains("<Property Name=\"size\" Type=\"Edm.Int32\">\n        </Property>"),
            "the annotation's line goes: {out}"
        );
        // Carrying over what is already there changes nothing.
        let (again, missing) =
            carry_over(&out, "doc.xml", &collect(&out, "doc.xml").unwrap(), false).unwrap();
        assert_eq!(again, out);
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn records_are_named_by_a_property_path_child_too() {
        let text = r#"<Collection xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <Record><PropertyValue Property="NavigationProperty"><PropertyPath>calendar/calendarView</PropertyPath></PropertyValue></Record>
  <Record><PropertyValue Property="Required" Bool="true" /></Record>
</Collection>"#;
        let document = Document::parse(text).unwrap();
        let keys: Vec<String> = document
            .root_element()
            .children()
            .filter(Node::is_element)
            .map(record_key)
            .collect();
        assert_eq!(keys, ["calendar/calendarView", "1"]);
    }
}
