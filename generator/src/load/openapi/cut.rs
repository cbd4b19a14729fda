//! An OpenAPI document → its slice, cut on its YAML tree: the families' path items, the
//! component schemas of the slice (without dropped navigation properties), and every component
//! these refer to.

use std::collections::BTreeSet;

use crate::config::Family;
use crate::load::csdl::ODATA_ERROR;
use serde_norway::Value;

use crate::load::{DocumentSlice, LoadError, Warning, missing_families};
use crate::slice;

/// Cuts an OpenAPI document down to the families.
pub(crate) fn cut_openapi(
    text: &str,
    file: &str,
    families: &[Family],
) -> Result<DocumentSlice, LoadError> {
    let (doc, mut slice) = cut_tree(text, file, families)?;
    slice.text = to_text(&doc, file)?;
    Ok(slice)
}

/// A YAML tree as text.
pub(crate) fn to_text(doc: &Value, file: &str) -> Result<String, LoadError> {
    serde_norway::to_string(doc).map_err(|e| LoadError {
        file: file.into(),
        place: "document".into(),
        message: e.to_string(),
    })
}

/// Cuts several OpenAPI documents of one API version down to the families and merges the
/// cuts: their paths and components, which two documents may both have only alike
/// (descriptions aside). The first document gives the rest (`info`, `servers`, ...), and the
/// newest OpenAPI version among them is kept. Returns the merged tree, the families no
/// document has, and the warnings.
pub(crate) fn cut_openapi_documents(
    documents: &[(&str, &str)],
    families: &[Family],
) -> Result<(Value, Vec<String>, Vec<Warning>), LoadError> {
    let mut merged: Option<(Value, &str)> = None;
    let mut missing: Option<Vec<String>> = None;
    let mut warnings = Vec::new();
    for (file, text) in documents {
        let (doc, slice) = cut_tree(text, file, families)?;
        warnings.extend(slice.warnings);
        missing = Some(match missing {
            None => slice.missing_families,
            Some(m) => m
                .into_iter()
                .filter(|f| slice.missing_families.contains(f))
                .collect(),
        });
        merged = Some(match merged {
            None => (doc, file),
            Some((mut into, first)) => {
                merge(&mut into, doc, first, file)?;
                (into, first)
            }
        });
    }
    let (doc, _) = merged.ok_or_else(|| LoadError {
        file: "(no document)".into(),
        place: "document".into(),
        message: "no document to cut".into(),
    })?;
    Ok((doc, missing.unwrap_or_default(), warnings))
}

/// Adds `other`'s paths and components to `into`.
fn merge(into: &mut Value, other: Value, first: &str, file: &str) -> Result<(), LoadError> {
    let conflict = |place: String| LoadError {
        file: file.into(),
        place,
        message: format!("defined differently in {first}"),
    };
    let version = |doc: &Value| {
        doc.get("openapi")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if let (Some(ours), Some(theirs)) = (version(into), version(&other)) {
        if theirs > ours {
            into["openapi"] = Value::String(theirs);
        }
    }
    let sections: Vec<(Vec<&str>, &Value)> = std::iter::once((vec!["paths"], &other["paths"]))
        .chain(
            other["components"]
                .as_mapping()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((vec!["components", k.as_str()?], v))),
        )
        .collect();
    for (at, entries) in sections {
        let Some(entries) = entries.as_mapping() else {
            continue;
        };
        let mut target = &mut *into;
        for key in &at {
            if target.get(*key).is_none() {
                target[*key] = Value::Mapping(Default::default());
            }
            target = &mut target[*key];
        }
        let Some(target) = target.as_mapping_mut() else {
            continue;
        };
        for (name, value) in entries {
            match target.get(name) {
                Some(existing) if without_descriptions(existing) != without_descriptions(value) => {
                    let name = name.as_str().unwrap_or_default();
                    return Err(conflict(format!(
                        "#/{}/{}",
                        at.join("/"),
                        super::pointer_token(name)
                    )));
                }
                Some(_) => {}
                None => {
                    target.insert(name.clone(), value.clone());
                }
            }
        }
    }
    Ok(())
}

/// A tree without its `description` and `summary` strings, to compare structure.
fn without_descriptions(value: &Value) -> Value {
    let mut value = value.clone();
    super::descriptions::carry_over(&mut value, &Default::default(), false);
    value
}

/// An OpenAPI document cut to the families, as a tree, with what went into it (the slice's
/// text left empty).
fn cut_tree(
    text: &str,
    file: &str,
    families: &[Family],
) -> Result<(Value, DocumentSlice), LoadError> {
    let loaded = super::load_str(text, file)?;
    let slice::Sliced {
        api: sliced,
        selection,
    } = slice::slice(&loaded.api, families);
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
        .map(|t| format!("#/components/schemas/{}", super::pointer_token(t)))
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
                        super::pointer_token(name.as_str().unwrap_or_default())
                    );
                    wanted.contains(&pointer)
                });
            }
        }
    }
    let slice = DocumentSlice {
        text: String::new(),
        operations: sliced.operations.len(),
        types: sliced.types.len(),
        missing_families: missing_families(&sliced, families),
        warnings: loaded.warnings,
    };
    Ok((doc, slice))
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
