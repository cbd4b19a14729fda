//! Paths → operations: each path item's methods, their parameters, bodies and responses.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Operation as OaOperation, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Schema, StatusCode,
};

use super::schema::{SchemaRef, Shape, shape, view};
use super::{Loader, pointer_token};
use crate::load::LoadError;
use crate::model::*;

impl<'a> Loader<'a> {
    pub(super) fn paths(&mut self) -> Result<(), LoadError> {
        for (template, item) in &self.doc.paths.paths {
            let at = format!("#/paths/{}", pointer_token(template));
            let ReferenceOr::Item(item) = item else {
                return Err(self.error(&at, "path item references are not supported"));
            };
            let methods = [
                (HttpMethod::Get, &item.get, "get"),
                (HttpMethod::Post, &item.post, "post"),
                (HttpMethod::Put, &item.put, "put"),
                (HttpMethod::Patch, &item.patch, "patch"),
                (HttpMethod::Delete, &item.delete, "delete"),
            ];
            for other in [
                ("head", &item.head),
                ("options", &item.options),
                ("trace", &item.trace),
            ] {
                if other.1.is_some() {
                    self.warn(
                        format!("{at}/{}", other.0),
                        "HEAD, OPTIONS and TRACE operations are not generated",
                    );
                }
            }
            for (method, op, key) in methods {
                let Some(op) = op else { continue };
                let op_at = format!("{at}/{key}");
                let mut params: Vec<&'a Parameter> = Vec::new();
                for (i, p) in item
                    .parameters
                    .iter()
                    .chain(op.parameters.iter())
                    .enumerate()
                {
                    params.push(self.resolve(p, &format!("{op_at}/parameters/{i}"))?);
                }
                let operation = self.operation(template, method, op, &params, &op_at)?;
                self.api.operations.push(operation);
            }
        }
        // The operationId names nothing in the generated code (paths do), so a duplicate only
        // matters when it reveals a broken document: two different operations under one name.
        // Microsoft's beta Users module reuses `user_GetPhoto` for the same read at `/photo`
        // and `/photos/{id}`: that is accepted, with a warning.
        let mut ids: BTreeMap<&str, &Operation> = BTreeMap::new();
        let mut same = Vec::new();
        for op in &self.api.operations {
            let Some(previous) = ids.insert(&op.id, op) else {
                continue;
            };
            let place = format!(
                "#/paths/{}/{}",
                pointer_token(&op.path.to_string()),
                op.method.as_str().to_ascii_lowercase()
            );
            if (op.method, &op.body, &op.response)
                != (previous.method, &previous.body, &previous.response)
            {
                return Err(self.error(
                    place,
                    format!(
                        "duplicate operationId `{}` (also used by {} {}, which is a different operation)",
                        op.id, previous.method, previous.path
                    ),
                ));
            }
            same.push((
                place,
                format!(
                    "duplicate operationId `{}` (also used by {} {}): the same operation at two paths; both are generated",
                    op.id, previous.method, previous.path
                ),
            ));
        }
        for (place, message) in same {
            self.warn(place, message);
        }
        Ok(())
    }

    fn operation(
        &mut self,
        template: &str,
        method: HttpMethod,
        op: &'a OaOperation,
        params: &[&'a Parameter],
        at: &str,
    ) -> Result<Operation, LoadError> {
        let kind = match op
            .extensions
            .get("x-ms-docs-operation-type")
            .and_then(|v| v.as_str())
        {
            Some("action") => OperationKind::Action,
            Some("function") => OperationKind::Function,
            _ => OperationKind::Resource,
        };
        let (path, aliases) = self.path(template, kind, params, at)?;
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let p_at = format!("{at}/parameters/{i}");
            match p {
                Parameter::Query { parameter_data, .. } if aliases.contains(&parameter_data.name) => {}
                Parameter::Query { parameter_data, .. } => match QueryOption::from_wire_name(&parameter_data.name, parameter_allowed_values(p)) {
                    Some(option) => query.push(option),
                    None => self.warn(p_at, format!("query parameter `{}` is not an OData system query option; not generated", parameter_data.name)),
                },
                Parameter::Header { parameter_data, .. } => headers.push(HeaderParam {
                    name: parameter_data.name.clone(),
                    required: parameter_data.required,
                    description: parameter_data.description.clone(),
                }),
                Parameter::Cookie { parameter_data, .. } => {
                    self.warn(p_at, format!("cookie parameter `{}` is not generated", parameter_data.name))
                }
                Parameter::Path { .. } => {}
            }
        }
        query.sort();
        query.dedup();
        let body = match &op.request_body {
            None => None,
            Some(body) => self.request_body(body, &path, &format!("{at}/requestBody"))?,
        };
        let response = match self.response(op, &format!("{at}/responses"))? {
            Response::Single(ty) => Response::single(method, ty),
            other => other,
        };
        let error = self.error_response(op, &format!("{at}/responses"))?;
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {template}"));
        Ok(Operation {
            id,
            method,
            path,
            kind,
            summary: op.summary.clone(),
            description: op.description.clone(),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            query,
            headers,
            body,
            response,
            error,
            permissions: None,
        })
    }

    /// The type of an error answer: the `default` response, or a 4XX/5XX one.
    fn error_response(
        &mut self,
        op: &'a OaOperation,
        at: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        let candidates = op
            .responses
            .default
            .iter()
            .map(|r| (r, "default".to_string()))
            .chain(
                op.responses
                    .responses
                    .iter()
                    .filter_map(|(code, r)| match code {
                        StatusCode::Code(c) if *c >= 400 => Some((r, c.to_string())),
                        StatusCode::Range(r4) if *r4 >= 4 => Some((r, format!("{r4}XX"))),
                        _ => None,
                    }),
            );
        for (response, key) in candidates {
            let at = format!("{at}/{key}");
            let response = self.resolve(response, &at)?;
            if let Some((media, content)) = json_content(&response.content) {
                if let Some(schema) = &content.schema {
                    let typed = self.type_of(
                        view(schema),
                        &format!("{at}/content/{}/schema", pointer_token(media)),
                    )?;
                    if typed.ty.named_type().is_some() {
                        return Ok(Some(typed.ty));
                    }
                }
            }
        }
        Ok(None)
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        path: &Path,
        at: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        let body = self.resolve(body, at)?;
        let Some((media, content)) = json_content(&body.content) else {
            if let Some((media, _)) = body.content.first() {
                self.warn(
                    at,
                    format!("request body of type `{media}` is not generated"),
                );
            }
            return Ok(None);
        };
        let at = format!("{at}/content/{}/schema", pointer_token(media));
        let Some(schema) = &content.schema else {
            return Ok(None);
        };
        // Action parameters arrive as an inline object: give them a model of their own.
        if let ReferenceOr::Item(s) = schema {
            if let Shape::Object { properties, .. } = shape(s) {
                if !properties.is_empty() {
                    let action = match path.segments.last() {
                        Some(Segment::Call { name, .. }) => name.clone(),
                        _ => format!("{}.request", path_name(path)),
                    };
                    let name = self.intern_parameters(&action, s, &at)?;
                    return Ok(Some(TypeRef::Named(name)));
                }
            }
        }
        Ok(Some(self.type_of(view(schema), &at)?.ty))
    }

    /// Registers the parameter object of an action (see [`Api::intern_parameters`]).
    fn intern_parameters(
        &mut self,
        action: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<String, LoadError> {
        let object = self.object_type(action, schema, at)?;
        Ok(self.api.intern_parameters(action, object))
    }

    fn response(&mut self, op: &'a OaOperation, at: &str) -> Result<Response, LoadError> {
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let Some((code, response)) = success else {
            return Err(self.error(at, "no success (2XX) response is described"));
        };
        let code_text = match code {
            StatusCode::Code(c) => c.to_string(),
            StatusCode::Range(r) => format!("{r}XX"),
        };
        let at = format!("{at}/{code_text}");
        let response = self.resolve(response, &at)?;
        if let Some(content) = response.content.get("text/plain") {
            if let Some(schema) = &content.schema {
                let typed =
                    self.type_of(view(schema), &format!("{at}/content/text~1plain/schema"))?;
                if matches!(
                    typed.ty,
                    TypeRef::Primitive(Primitive::Int32 | Primitive::Int64)
                ) {
                    return Ok(Response::Count);
                }
            }
        }
        let Some((media, content)) = json_content(&response.content) else {
            if let Some((media, _)) = response.content.first() {
                self.warn(&at, format!("response body of type `{media}` is not parsed; the operation returns nothing"));
            }
            return Ok(Response::Empty);
        };
        let Some(schema) = &content.schema else {
            return Ok(Response::Empty);
        };
        let at = format!("{at}/content/{}/schema", pointer_token(media));
        if let Some(item) = self.page_item(view(schema), &at)? {
            return Ok(Response::Page(item));
        }
        // OData wraps a primitive or enum result as `{"value": ...}`.
        if let ReferenceOr::Item(s) = schema {
            if let Shape::Object { properties, .. } = shape(s) {
                if let [("value", value)] = properties.as_slice() {
                    let typed = self.type_of(*value, &format!("{at}/properties/value"))?;
                    return Ok(Response::Value(typed.ty));
                }
            }
        }
        let typed = self.type_of(view(schema), &at)?;
        Ok(Response::Single(typed.ty))
    }
}

/// A name for a path, for synthesized types that have nothing better.
fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(l) => Some(l.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn json_content(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(media, _)| {
        let media = media.split(';').next().unwrap_or("").trim();
        media == "application/json" || media.ends_with("+json")
    })
}

/// The values a `$select`/`$expand`/`$orderby` parameter lists in `items.enum`, if any.
fn parameter_allowed_values(p: &Parameter) -> Vec<String> {
    let data = p.parameter_data_ref();
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
        return Vec::new();
    };
    let Shape::Array {
        items: Some(SchemaRef::Item(items)),
    } = shape(schema)
    else {
        return Vec::new();
    };
    match shape(items) {
        Shape::String { enumeration, .. } => enumeration,
        _ => Vec::new(),
    }
}
