//! Path templates → [`Path`]s: keys, `$count`, and bound actions and functions with their
//! inline parameters, checked against the parameters the operation declares.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent};

use super::Loader;
use super::schema::{Typed, view};
use crate::load::LoadError;
use crate::model::*;

/// What reading one template needs and finds.
struct Template<'t, 'a> {
    /// The template as written.
    text: &'t str,
    /// Where it is in the document.
    at: &'t str,
    /// Every parameter of the operation.
    params: &'t [&'a Parameter],
    /// Path parameters by name.
    declared: BTreeMap<&'a str, &'a Parameter>,
    /// Path parameters the template uses.
    used: BTreeSet<String>,
    /// Query parameters that stand for function parameter aliases.
    aliases: BTreeSet<String>,
}

impl<'a> Loader<'a> {
    /// Splits a path template into segments and checks it against the declared parameters.
    /// Returns the path, and the query parameters that stand for function parameter aliases
    /// (which are not query options).
    pub(super) fn path(
        &mut self,
        template: &str,
        kind: OperationKind,
        params: &[&'a Parameter],
        at: &str,
    ) -> Result<(Path, BTreeSet<String>), LoadError> {
        let mut t = Template {
            text: template,
            at,
            params,
            declared: params
                .iter()
                .filter_map(|p| match p {
                    Parameter::Path { parameter_data, .. } => {
                        Some((parameter_data.name.as_str(), *p))
                    }
                    _ => None,
                })
                .collect(),
            used: BTreeSet::new(),
            aliases: BTreeSet::new(),
        };
        let Some(rest) = template.strip_prefix('/') else {
            return Err(self.error(at, "path must start with `/`"));
        };
        let raw: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        let last = raw.len().saturating_sub(1);
        let mut segments = Vec::new();
        for (i, raw_segment) in raw.iter().enumerate() {
            let segment = self.segment(
                &mut t,
                raw_segment,
                i == last && kind != OperationKind::Resource,
            )?;
            segments.push(segment);
        }
        for name in &t.used {
            if !t.declared.contains_key(name.as_str()) {
                return Err(self.error(
                    at,
                    format!("path parameter `{{{name}}}` is used in `{template}` but not declared"),
                ));
            }
        }
        for name in t.declared.keys() {
            if !t.used.contains(*name) {
                return Err(self.error(
                    at,
                    format!("path parameter `{name}` is declared but not used in `{template}`"),
                ));
            }
        }
        Ok((Path::new(segments), t.aliases))
    }

    /// One segment; `call` when the last segment of an action or function.
    fn segment(
        &mut self,
        t: &mut Template<'_, 'a>,
        raw: &str,
        call: bool,
    ) -> Result<Segment, LoadError> {
        if raw.is_empty() {
            return Err(self.error(t.at, format!("empty segment in path `{}`", t.text)));
        }
        check_braces(raw).map_err(|m| self.error(t.at, format!("{m} in path `{}`", t.text)))?;
        if let Some(inner) = raw.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            t.used.insert(inner.to_string());
            return Ok(Segment::Key {
                param: inner.to_string(),
            });
        }
        if raw == "$count" {
            return Ok(Segment::Count);
        }
        if let Some(open) = raw.find('(') {
            let Some(args) = raw[open + 1..].strip_suffix(')') else {
                return Err(self.error(t.at, format!("unbalanced parentheses in segment `{raw}`")));
            };
            let mut params = Vec::new();
            for arg in args.split(',').filter(|a| !a.is_empty()) {
                params.push(self.call_argument(t, arg)?);
            }
            return Ok(Segment::Call {
                name: raw[..open].to_string(),
                params,
            });
        }
        Ok(if call {
            Segment::Call {
                name: raw.to_string(),
                params: Vec::new(),
            }
        } else {
            Segment::Literal(raw.to_string())
        })
    }

    /// One `name='{placeholder}'` or `name='@alias'` argument of a function call.
    fn call_argument(
        &mut self,
        t: &mut Template<'_, 'a>,
        arg: &str,
    ) -> Result<CallParam, LoadError> {
        let Some((name, value)) = arg.split_once('=') else {
            return Err(self.error(
                t.at,
                format!("function argument `{arg}` is not `name=value`"),
            ));
        };
        let placeholder = value.trim_matches('\'');
        // A parameter alias (`userId='@userId'`): OData lets the value come from the query
        // (`@userId=...`), and Microsoft's documents declare it as a query parameter. The crate
        // writes the value inline, which means the same.
        if let Some(alias) = placeholder.strip_prefix('@') {
            let query = t.params.iter().find_map(|p| match p {
                Parameter::Query { parameter_data, .. }
                    if parameter_data.name.trim_start_matches('@') == alias =>
                {
                    Some(parameter_data)
                }
                _ => None,
            });
            let Some(data) = query else {
                return Err(self.error(t.at, format!("function argument `{arg}` refers to the alias `@{alias}`, which no query parameter declares")));
            };
            let typed = self.parameter_type(data, t.at, true)?;
            t.aliases.insert(data.name.clone());
            return Ok(CallParam {
                name: name.to_string(),
                ty: typed.ty,
                nullable: typed.nullable || !data.required,
            });
        }
        let Some(placeholder) = placeholder
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
        else {
            return Err(self.error(
                t.at,
                format!("function argument `{arg}` has no `{{parameter}}` (nor an `@alias`)"),
            ));
        };
        t.used.insert(placeholder.to_string());
        let typed = match t.declared.get(placeholder) {
            Some(Parameter::Path { parameter_data, .. }) => {
                self.parameter_type(parameter_data, t.at, false)?
            }
            _ => Typed {
                ty: TypeRef::Primitive(Primitive::String),
                nullable: false,
            },
        };
        Ok(CallParam {
            name: name.to_string(),
            ty: typed.ty,
            nullable: typed.nullable,
        })
    }

    /// The type of a parameter's schema; a parameter described by content is a string, which
    /// may be null when `content_nullable`.
    fn parameter_type(
        &mut self,
        data: &'a ParameterData,
        at: &str,
        content_nullable: bool,
    ) -> Result<Typed, LoadError> {
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.type_of(view(schema), &format!("{at}/parameters/{}", data.name))
            }
            ParameterSchemaOrContent::Content(_) => Ok(Typed {
                ty: TypeRef::Primitive(Primitive::String),
                nullable: content_nullable,
            }),
        }
    }
}

fn check_braces(segment: &str) -> Result<(), String> {
    let mut depth = 0i32;
    for c in segment.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err(format!("unbalanced braces in segment `{segment}`"));
        }
    }
    if depth != 0 {
        return Err(format!("unbalanced braces in segment `{segment}`"));
    }
    Ok(())
}
