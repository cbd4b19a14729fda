//! An OpenAPI document → its slice, cut on its YAML tree: the families' path items, the
//! component schemas of the slice (without dropped navigation properties), and every component
//! these refer to.

use std::collections::BTreeSet;

use crate::config::Family;
use crate::load::csdl::ODATA_ERROR;
use crate::load::{DocumentSlice, LoadError, missing_families};
use crate::slice;

/// Cuts an OpenAPI document down to the families.
pub(crate) fn cut_openapi(
    text: &str,
    file: &str,
    families: &[Family],
) -> Result<DocumentSlice, LoadError> {
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
    let text = serde_norway::to_string(&doc).map_err(|e| err(e.to_string()))?;
    Ok(DocumentSlice {
        text,
        operations: sliced.operations.len(),
        types: sliced.types.len(),
        missing_families: missing_families(&sliced, families),
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
