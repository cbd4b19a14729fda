//! The descriptions of an OpenAPI document, by identity: what `cargo xtask update` carries
//! over from the project's spec to a new cut of Microsoft's documents, so that the specs hold
//! Microsoft's structure and the project's words.
//!
//! A description is a `description` or `summary` string anywhere in the document. Its identity
//! is its path from the root, with the elements of lists named by what identifies them (a
//! parameter by its `name`, an enum member description by its `value`) rather than by their
//! position: `/paths/~1teams~1{team-id}/get/parameters[team-id]/description`.

use std::collections::BTreeMap;

use serde_norway::Value;

/// The keys whose string values are descriptions.
const TEXT_KEYS: &[&str] = &["description", "summary"];

/// Every description of a document: identity → text.
pub fn collect(doc: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(doc, String::new(), &mut |identity, text| {
        out.insert(identity.to_string(), text.to_string());
        Visit::Keep
    });
    out
}

/// What happens to a description the walk meets.
enum Visit {
    Keep,
    Replace(String),
    Remove,
}

/// Replaces the descriptions of `doc` with `ours`, by identity. A description of `doc` that
/// `ours` lacks is removed, or kept when `keep` (Microsoft's text), except where OpenAPI
/// requires one (a response), which gets a neutral word. A description of `ours` that `doc`
/// lacks is added where what it describes is in `doc`. Returns the identities of the
/// descriptions `doc` had that `ours` lacks.
pub fn carry_over(doc: &mut Value, ours: &BTreeMap<String, String>, keep: bool) -> Vec<String> {
    add_missing(doc, String::new(), ours);
    let mut missing = Vec::new();
    walk_mut(doc, String::new(), &mut |identity, _text| {
        if let Some(text) = ours.get(identity) {
            return Visit::Replace(text.clone());
        }
        missing.push(identity.to_string());
        if keep {
            Visit::Keep
        } else if let Some(word) = required(identity) {
            Visit::Replace(word.to_string())
        } else {
            Visit::Remove
        }
    });
    missing
}

/// Adds the descriptions of `ours` that the objects of `value` lack (Microsoft leaves many
/// properties and parameters without one).
fn add_missing(value: &mut Value, at: String, ours: &BTreeMap<String, String>) {
    match value {
        Value::Mapping(map) => {
            // A map of properties names schemas; its keys are not descriptions.
            if !at.ends_with("/properties") {
                for key in TEXT_KEYS {
                    let present = map.get(*key).is_some_and(|v| v.as_str().is_some());
                    if let Some(text) = ours.get(&format!("{at}/{key}")).filter(|_| !present) {
                        map.insert(Value::String(key.to_string()), Value::String(text.clone()));
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                let name = key.as_str().unwrap_or_default().to_string();
                add_missing(child, format!("{at}/{}", token(&name)), ours);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let at = format!("{at}{}", element(item, i));
                add_missing(item, at, ours);
            }
        }
        Value::Tagged(tagged) => add_missing(&mut tagged.value, at, ours),
        _ => {}
    }
}

/// The neutral description of a response, which OpenAPI requires, when the project has none.
fn required(identity: &str) -> Option<&'static str> {
    let parent = identity.strip_suffix("/description")?;
    let (container, code) = parent.rsplit_once('/')?;
    if !(container.ends_with("/responses") || container == "/components/responses") {
        return None;
    }
    let code = code.to_ascii_lowercase();
    Some(
        if code.starts_with('2')
            || (container == "/components/responses" && !code.contains("error"))
        {
            "Success"
        } else {
            "Error"
        },
    )
}

/// A JSON pointer token (RFC 6901).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// How a list element is named in an identity: by `name`, by `value`, else by position.
fn element(item: &Value, index: usize) -> String {
    for key in ["name", "value"] {
        if let Some(name) = item.get(key).and_then(Value::as_str) {
            return format!("[{name}]");
        }
    }
    format!("[{index}]")
}

fn walk(value: &Value, at: String, visit: &mut dyn FnMut(&str, &str) -> Visit) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().unwrap_or_default();
                let child_at = format!("{at}/{}", token(key));
                match child.as_str() {
                    Some(text) if TEXT_KEYS.contains(&key) => {
                        visit(&child_at, text);
                    }
                    _ => walk(child, child_at, visit),
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{at}{}", element(item, i)), visit);
            }
        }
        Value::Tagged(tagged) => walk(&tagged.value, at, visit),
        _ => {}
    }
}

fn walk_mut(value: &mut Value, at: String, visit: &mut dyn FnMut(&str, &str) -> Visit) {
    match value {
        Value::Mapping(map) => {
            let mut removed = Vec::new();
            for (key, child) in map.iter_mut() {
                let name = key.as_str().unwrap_or_default().to_string();
                let child_at = format!("{at}/{}", token(&name));
                let text = child.as_str().map(str::to_string);
                match text {
                    Some(text) if TEXT_KEYS.contains(&name.as_str()) => {
                        match visit(&child_at, &text) {
                            Visit::Keep => {}
                            Visit::Replace(new) => *child = Value::String(new),
                            Visit::Remove => removed.push(key.clone()),
                        }
                    }
                    _ => walk_mut(child, child_at, visit),
                }
            }
            for key in removed {
                map.remove(&key);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let at = format!("{at}{}", element(item, i));
                walk_mut(item, at, visit);
            }
        }
        Value::Tagged(tagged) => walk_mut(&mut tagged.value, at, visit),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
paths:
  /things/{id}:
    get:
      summary: Microsoft's summary.
      parameters:
        - name: id
          description: Microsoft's parameter.
      responses:
        2XX:
          description: Retrieved entity
components:
  schemas:
    microsoft.graph.thing:
      description: Microsoft's type.
      properties:
        description:
          type: string
          description: Microsoft's property named description.
";

    #[test]
    fn descriptions_are_named_by_what_they_describe() {
        let doc: Value = serde_norway::from_str(DOC).unwrap();
        let found = collect(&doc);
        let identities: Vec<&str> = found.keys().map(String::as_str).collect();
        assert_eq!(
            identities,
            [
                "/components/schemas/microsoft.graph.thing/description",
                "/components/schemas/microsoft.graph.thing/properties/description/description",
                "/paths/~1things~1{id}/get/parameters[id]/description",
                "/paths/~1things~1{id}/get/responses/2XX/description",
                "/paths/~1things~1{id}/get/summary",
            ]
        );
    }

    #[test]
    fn ours_replace_theirs_and_theirs_go_unless_kept() {
        let mut doc: Value = serde_norway::from_str(DOC).unwrap();
        let ours = BTreeMap::from([
            (
                "/paths/~1things~1{id}/get/summary".to_string(),
                "Reads a thing.".to_string(),
            ),
            (
                "/paths/~1things~1{id}/get/description".to_string(),
                "Microsoft has no description here.".to_string(),
            ),
            (
                "/components/schemas/microsoft.graph.gone/description".to_string(),
                "Describes nothing of the document.".to_string(),
            ),
        ]);
        let missing = carry_over(&mut doc, &ours, false);
        assert_eq!(missing.len(), 4);
        let text = serde_norway::to_string(&doc).unwrap();
        assert!(text.contains("summary: Reads a thing."), "{text}");
        assert!(
            text.contains("description: Microsoft has no description here."),
            "{text}"
        );
        assert!(!text.contains("Describes nothing"), "{text}");
        let again = collect(&doc);
        let mut twice = doc.clone();
        carry_over(&mut twice, &again, false);
        assert_eq!(twice, doc, "carrying over what is there changes nothing");
        assert!(!text.contains("Microsoft's"), "{text}");
        assert!(
            text.contains("description: Success"),
            "a response keeps one: {text}"
        );
        assert!(
            text.contains("description:\n          type: string"),
            "a property named description stays: {text}"
        );
        let mut kept: Value = serde_norway::from_str(DOC).unwrap();
        carry_over(&mut kept, &ours, true);
        let text = serde_norway::to_string(&kept).unwrap();
        assert!(text.contains("Microsoft's type."), "{text}");
    }
}
