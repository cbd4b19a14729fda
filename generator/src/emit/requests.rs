//! Printing the request code: a node per navigation step (an alias of the runtime's `Node`,
//! which holds the already encoded path), with a method per child and per HTTP operation, and
//! a type per operation. Operations are sans-IO and all one runtime type, `Request<Marker>`,
//! which implements the `Operation` trait (build an `http::Request`, parse an
//! `http::Response`) and the common query and header builders once: each operation is a
//! documented alias, and a marker (in the file's `spec` module) that states its output, body,
//! parsing, permissions and the builders it takes as types, constants and marker trait impls.
//! What is named and typed how is decided in [`crate::rust_api`]; this module only prints it.
//!
//! Graph serves `/me` as an alias of `/users/{user-id}`; aliases are entry points that return
//! the aliased node with a different path prefix, so `me()` and `users().by_id(id)` share
//! every type below them.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{Doc, code};
use super::tokens::{self, ident, rust_type};
use crate::model::{CallParam, OperationKind, Path, QueryOption, Response, Segment};
use crate::names;
use crate::rust_api::{
    EntryKind, EntryPoint, Gate, HeaderBuilder, OperationApi, Parse, QueryBuilder, RustApi,
    RustType, call_args,
};

/// The entry points of a version module: one function per alias, per root, and per root that
/// is a link.
pub fn entry_points(rust: &RustApi, entries: &[EntryPoint]) -> TokenStream {
    let module = ident(&rust.module);
    let mut out = TokenStream::new();
    for entry in entries {
        let fn_name = ident(&entry.name);
        out.extend(tokens::gate(&rust.gates.of_node(entry.node)));
        let target = &rust.tree.nodes[entry.node];
        let node = ident(&target.name);
        let path = &entry.path;
        match &entry.kind {
            EntryKind::Alias(of) => {
                let doc = format!(
                    " `{path}`: Graph's alias of {}, for the signed-in user (delegated permissions only).",
                    code(of)
                );
                out.extend(quote! {
                    #[doc = #doc]
                    pub fn #fn_name() -> crate::#module::requests::#node {
                        crate::runtime::Node::at(::std::string::String::from(#path))
                    }
                });
            }
            EntryKind::Root => {
                let doc = format!(" `{path}`.");
                out.extend(quote! {
                    #[doc = #doc]
                    pub fn #fn_name() -> crate::#module::requests::#node {
                        crate::runtime::Node::at(::std::string::String::from(#path))
                    }
                });
            }
            EntryKind::Link => {
                let segment = Segment::Literal(path.trim_start_matches('/').to_string());
                out.extend(link(
                    rust,
                    std::slice::from_ref(&segment),
                    entry.node,
                    &fn_name,
                    TokenStream::new(),
                    quote! { ::std::string::String::new() },
                ));
            }
        }
    }
    out
}

/// The `requests` files: one per root (`users.rs`, `teams.rs`), each with every node and
/// operation below it, and `query.rs` with the enums of listed query option values.
pub fn files(rust: &RustApi) -> Vec<(String, TokenStream, Gate)> {
    let tree = &rust.tree;
    let mut files = Vec::new();
    if !tree.query_enums.is_empty() {
        let mut tokens = TokenStream::new();
        for ((option, values), name) in &tree.query_enums {
            let doc = Doc::new()
                .markdown(format!("The values the metadata lists for `{option}`."))
                .markdown("Open: a value the list lacks can still be given as a string (`\"name\".into()`).");
            let wire: Vec<&str> = values.iter().map(String::as_str).collect();
            let variants = names::variant_names(wire.iter().copied());
            let variants: Vec<&str> = variants.iter().map(String::as_str).collect();
            let member_docs: Vec<Doc> = wire
                .iter()
                .map(|w| Doc::new().markdown(format!("`{}`", w.replace('`', ""))))
                .collect();
            let takers = rust
                .tree
                .nodes
                .iter()
                .flat_map(|n| &n.operations)
                .filter(|o| {
                    rust.operation(o.op)
                        .query
                        .iter()
                        .any(|q| q.values_enum.as_deref() == Some(name.as_str()))
                });
            let gate = rust.gates.of_operations(takers.map(|o| o.op));
            tokens.extend(super::models::open_enum(
                &ident(name),
                &doc.features(&gate),
                &wire,
                &variants,
                &member_docs,
                &tokens::gate(&gate),
            ));
        }
        files.push(("query".to_string(), tokens, Gate::always()));
    }
    for (root, root_index) in tree.roots() {
        let mut tokens = TokenStream::new();
        let mut specs = TokenStream::new();
        let mut stack = vec![root_index];
        while let Some(i) = stack.pop() {
            let (code, spec) = node(rust, i);
            tokens.extend(code);
            specs.extend(spec);
            stack.extend(tree.nodes[i].children.iter().rev());
        }
        if !specs.is_empty() {
            tokens.extend(quote! {
                /// The markers of the nodes and operations above, for the runtime's `Node` and
                /// `Request`: an operation's says what it answers, sends and how its answer is
                /// read. Markers are types only, never values: nothing to debug.
                #[allow(missing_debug_implementations)]
                mod spec {
                    #specs
                }
            });
        }
        files.push((
            names::module_name(&root),
            tokens,
            rust.gates.of_node(root_index),
        ));
    }
    files
}

/// A node's struct, its navigation methods, and its operations; and (second) the markers of
/// those operations.
fn node(rust: &RustApi, i: usize) -> (TokenStream, TokenStream) {
    let tree = &rust.tree;
    let node = &tree.nodes[i];
    if tree.is_direct(i) {
        return operation(rust, &rust.operation(node.operations[0].op));
    }
    let name = ident(&node.name);
    let template = node.path().to_string();
    let node_gate = rust.gates.of_node(i);
    let mut methods = TokenStream::new();
    for o in &node.operations {
        methods.extend(tokens::gate_within(
            &rust.gates.of_operation(o.op),
            &node_gate,
        ));
        methods.extend(verb(rust, &rust.operation(o.op), &ident(&o.method)));
    }
    for &c in &node.children {
        methods.extend(tokens::gate_within(&rust.gates.of_node(c), &node_gate));
        methods.extend(child(rust, c));
    }
    for l in &node.links {
        methods.extend(tokens::gate_within(
            &rust.gates.of_node(l.target),
            &node_gate,
        ));
        let mut path = node.segments.clone();
        path.push(l.segment.clone());
        methods.extend(link(
            rust,
            &path,
            l.target,
            &ident(&l.method),
            quote! { &self, },
            quote! { self.path.clone() },
        ));
    }
    let doc = Doc::new()
        .markdown(format!("Navigation: {}.", code(&template)))
        .features(&node_gate)
        .tokens();
    let gate = tokens::gate(&node_gate);
    let marker_doc = format!(" The marker of [`{}`](super::{}).", node.name, node.name);
    let inherent = (!methods.is_empty()).then(|| {
        quote! {
            #gate
            impl #name {
                #methods
            }
        }
    });
    let mut out = quote! {
        #doc
        #gate
        pub type #name = crate::runtime::Node<spec::#name>;

        #inherent
    };
    let mut specs = quote! {
        #[doc = #marker_doc]
        #gate
        pub enum #name {}
    };
    for o in &node.operations {
        let (code, spec) = operation(rust, &rust.operation(o.op));
        out.extend(code);
        specs.extend(spec);
    }
    (out, specs)
}

/// `, body: T` for a method that takes the operation's body, if it has one.
fn body_param(rust: &RustApi, body: Option<&RustType>) -> TokenStream {
    let Some(body) = body else {
        return TokenStream::new();
    };
    let ty = rust_type(body, &ident(&rust.module));
    quote! { , body: #ty }
}

/// The method on a node that performs one of its HTTP operations.
fn verb(rust: &RustApi, op: &OperationApi, method: &Ident) -> TokenStream {
    let op_name = ident(&op.struct_name);
    let module = ident(&rust.module);
    let body_param = body_param(rust, op.body.as_ref());
    let doc = format!(
        " {} {}: see [`{}`].",
        op.op.method,
        code(&op.op.path.sent(&rust.api.namespace)),
        op.struct_name
    );
    let construct = new_operation(rust, op, quote! { self.path.clone() });
    quote! {
        #[doc = #doc]
        pub fn #method(&self #body_param) -> crate::#module::requests::#op_name {
            #construct
        }
    }
}

/// The method on a node that leads to a child: navigation, key, `$count`, action or function.
fn child(rust: &RustApi, c: usize) -> TokenStream {
    let tree = &rust.tree;
    let child = &tree.nodes[c];
    let method = ident(&child.method);
    let module = ident(&rust.module);
    let segment = child.segments.last().expect("children have a segment");
    let direct = tree
        .is_direct(c)
        .then(|| rust.operation(child.operations[0].op));
    let target = match &direct {
        Some(op) => ident(&op.struct_name),
        None => ident(&child.name),
    };
    let (params, push) = match segment {
        Segment::Literal(l) => (
            TokenStream::new(),
            quote! { crate::runtime::encode::push_literal(&mut path, #l); },
        ),
        Segment::Key { .. } => {
            let arg = ident("id");
            (
                quote! { , #arg: impl ::core::convert::AsRef<str> },
                quote! { crate::runtime::encode::push_segment(&mut path, #arg.as_ref()); },
            )
        }
        Segment::Count => (
            TokenStream::new(),
            quote! { crate::runtime::encode::push_literal(&mut path, "$count"); },
        ),
        Segment::Call { name, params } => call(rust, name, params),
    };
    let body_param = body_param(rust, direct.as_ref().and_then(|op| op.body.as_ref()));
    let template = Path::new(child.segments.clone()).sent(&rust.api.namespace);
    let doc = match &direct {
        Some(op) => format!(
            " {} {}: see [`{}`].",
            op.op.method,
            code(&template),
            op.struct_name
        ),
        None => format!(" Navigates to {}.", code(&template)),
    };
    let construct = match &direct {
        Some(op) => new_operation(rust, op, quote! { path }),
        None => quote! { crate::runtime::Node::at(path) },
    };
    quote! {
        #[doc = #doc]
        pub fn #method(&self #params #body_param) -> crate::#module::requests::#target {
            let mut path = self.path.clone();
            #push
            #construct
        }
    }
}

/// The method (or entry point) that follows a link: it pushes the link's last segment and
/// returns the struct of the node the link leads to, whose operations apply relative to it.
fn link(
    rust: &RustApi,
    path: &[Segment],
    target: usize,
    method: &Ident,
    receiver: TokenStream,
    start: TokenStream,
) -> TokenStream {
    let module = ident(&rust.module);
    let target_node = &rust.tree.nodes[target];
    let name = ident(&target_node.name);
    // The path is only changed when the link's segment is a name to push.
    let (binding, push) = match path.last() {
        Some(Segment::Literal(l)) => (
            quote! { let mut path = #start; },
            quote! { crate::runtime::encode::push_literal(&mut path, #l); },
        ),
        _ => (quote! { let path = #start; }, TokenStream::new()),
    };
    let namespace = &rust.api.namespace;
    let template = Path::new(path.to_vec()).sent(namespace);
    let target_template = target_node.path().sent(namespace);
    let doc = format!(
        " Navigates to {}, which offers what [`{}`] offers at {}.",
        code(&template),
        target_node.name,
        code(&target_template)
    );
    quote! {
        #[doc = #doc]
        pub fn #method(#receiver) -> crate::#module::requests::#name {
            #binding
            #push
            crate::runtime::Node::at(path)
        }
    }
}

/// Parameters and path code for a bound action or function segment. Graph documents these
/// without the service's namespace, and accepts them that way.
fn call(rust: &RustApi, name: &str, params: &[CallParam]) -> (TokenStream, TokenStream) {
    let written = rust.api.unqualified(name);
    let module = ident(&rust.module);
    let mut args = TokenStream::new();
    let mut pairs = Vec::new();
    for arg in call_args(params) {
        let arg_ident = ident(&arg.arg);
        let wire = &arg.param.name;
        let ty = rust_type(&arg.ty, &module);
        let value = match &arg.ty {
            RustType::ImplInto(_) => {
                quote! { ::core::convert::Into::<::std::string::String>::into(#arg_ident) }
            }
            RustType::ImplOptionalArg(_) => {
                quote! { crate::runtime::OptionalArg::<::std::string::String>::into_arg(#arg_ident) }
            }
            _ => quote! { #arg_ident },
        };
        args.extend(quote! { , #arg_ident: #ty });
        pairs.push(quote! { (#wire, &(#value) as &dyn crate::runtime::encode::Literal) });
    }
    (
        args,
        quote! { crate::runtime::encode::push_call(&mut path, #written, &[#(#pairs),*]); },
    )
}

/// The runtime's marker for how an output is parsed.
fn parse_marker(parse: Parse) -> TokenStream {
    let marker = match parse {
        Parse::Empty => "Empty",
        Parse::Count => "Count",
        Parse::Json => "Json",
        Parse::OptionalJson => "OptionalJson",
        Parse::Value => "Value",
    };
    let marker = format_ident!("{marker}");
    quote! { crate::runtime::request::parse::#marker }
}

/// An operation: its documented type alias of the runtime's `Request` with the builders its
/// query options and headers give, and (second) its marker in the file's `spec` module, which
/// states as types and constants what the runtime needs to build, send and read it.
fn operation(rust: &RustApi, op: &OperationApi) -> (TokenStream, TokenStream) {
    let module = ident(&rust.module);
    let name = ident(&op.struct_name);
    let gate = tokens::gate(&rust.gates.of_operation(op.op));
    let builders = builders(rust, op);
    let inherent = (!builders.is_empty()).then(|| {
        quote! {
            #gate
            impl #name {
                #builders
            }
        }
    });
    let doc = operation_doc(rust, op);
    let alias = quote! {
        #doc
        #gate
        pub type #name = crate::runtime::Request<spec::#name>;

        #inherent
    };

    let output = rust_type(&op.output, &module);
    let parse = parse_marker(op.parse);
    let (body, sends_body, with_body) = match &op.body {
        Some(body) => (
            rust_type(body, &module),
            quote! { const SENDS_BODY: bool = true; },
            quote! { #gate impl crate::runtime::request::WithBody for #name {} },
        ),
        None => (quote! { () }, TokenStream::new(), TokenStream::new()),
    };
    let permissions = permissions(op);
    let takes = takes(op, &gate);
    let paged = match &op.op.response {
        Response::Page(item) => {
            let item = rust_type(&rust.value_type(item), &module);
            quote! {
                #gate
                impl crate::runtime::request::Paged for #name {
                    type Item = #item;
                }
            }
        }
        _ => TokenStream::new(),
    };
    let marker_doc = format!(
        " The marker of [`{}`](super::{}).",
        op.struct_name, op.struct_name
    );
    let spec = quote! {
        #[doc = #marker_doc]
        #gate
        pub enum #name {}

        #gate
        impl crate::runtime::request::Spec for #name {
            type Output = #output;
            type Body = #body;
            type Parse = #parse;
            #sends_body
            #permissions
        }

        #with_body
        #takes
        #paged
    };
    (alias, spec)
}

/// The operation built in the node method that returns it (operations have no constructor of
/// their own: a function body fewer each), from the path `path` and the method's `body`: its
/// `RequestParts`, with what changes them (the preference for late enum members, the media
/// type of a count).
fn new_operation(rust: &RustApi, op: &OperationApi, path: TokenStream) -> TokenStream {
    let module = ident(&rust.module);
    let name = ident(&op.struct_name);
    let body = match op.body {
        Some(_) => quote! { body },
        None => quote! { body: () },
    };
    let method = format_ident!("{}", op.op.method.as_str());
    let version = &rust.api.version;
    let request =
        quote! { crate::runtime::RequestParts::new(::http::Method::#method, #version, #path) };
    let mut setup = TokenStream::new();
    if op.prefers_unknown_members {
        setup.extend(quote! { request.prefer("include-unknown-enum-members"); });
    }
    if matches!(op.op.response, Response::Count) {
        setup.extend(quote! { request.accept("text/plain"); });
    }
    if setup.is_empty() {
        quote! { crate::#module::requests::#name { request: #request, #body } }
    } else {
        quote! {
            let mut request = #request;
            #setup
            crate::#module::requests::#name { request, #body }
        }
    }
}

/// `Spec::PERMISSIONS`, when Microsoft documents them (the trait's default says they are
/// undocumented).
fn permissions(op: &OperationApi) -> TokenStream {
    let Some(p) = &op.op.permissions else {
        return TokenStream::new();
    };
    let (delegated, application) = (&p.delegated, &p.application);
    quote! {
        const PERMISSIONS: crate::Permissions = crate::Permissions::new(&[#(#delegated),*], &[#(#application),*]);
    }
}

fn operation_doc(rust: &RustApi, op_api: &OperationApi) -> TokenStream {
    let op = op_api.op;
    let mut doc = Doc::new().text(op.summary.as_deref());
    if op.description != op.summary {
        doc = doc.text(op.description.as_deref());
    }
    let mut facts = format!(
        "Request: `{} /{}{}`.",
        op.method,
        rust.api.version,
        op.path.sent(&rust.api.namespace)
    );
    match &op.response {
        Response::Page(_) => facts.push_str(
            " Answers one page of the collection; the client's `items` follows `@odata.nextLink`.",
        ),
        Response::Value(_) => {
            facts.push_str(" Answers a value, which Graph wraps as `{\"value\": ...}`.")
        }
        Response::Count => facts.push_str(" Answers the number of items."),
        Response::Empty => facts.push_str(" Answers no content."),
        Response::SingleOrEmpty(_) => facts
            .push_str(" Answers the updated object, or `None` when Graph answers 204 No Content."),
        Response::Single(_) => {}
    }
    if op.kind == OperationKind::Action {
        facts.push_str(" (OData action)");
    } else if op.kind == OperationKind::Function {
        facts.push_str(" (OData function)");
    }
    doc = doc.markdown(facts);
    if op_api.prefers_unknown_members {
        doc = doc.markdown(
            "Sends `Prefer: include-unknown-enum-members`, so that enum members Graph added after \
             `unknownFutureValue` arrive as themselves.",
        );
    }
    if let Some(builders) = builders_doc(op_api) {
        doc = doc.markdown(builders);
    }
    doc = doc.markdown(permissions_doc(op_api));
    if let Some(url) = &op.docs_url {
        doc = doc.markdown(format!("Microsoft's documentation: <{url}>"));
    }
    doc.features(&rust.gates.of_operation(op)).tokens()
}

/// The permissions paragraph of an operation's docs.
fn permissions_doc(op: &OperationApi) -> String {
    let Some(p) = &op.op.permissions else {
        return "Permissions: Microsoft documents none for this operation.".into();
    };
    let list = |scopes: &[String]| {
        if scopes.is_empty() {
            "not supported".to_string()
        } else {
            scopes
                .iter()
                .map(|s| code(s))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut text = format!(
        "Permissions (least privileged): delegated {}; application {}.",
        list(&p.delegated),
        list(&p.application)
    );
    if let Some(source) = &p.source {
        text.push_str(&format!(" From {}.", super::docs::escape(source)));
    }
    text
}

/// The builders particular to one operation, in an inherent impl on its alias: typed values
/// of `$select`, `$expand` or `$orderby`, and headers the runtime has no builder for. All
/// others are the runtime's, taken through the marker traits of [`takes`].
fn builders(rust: &RustApi, op: &OperationApi) -> TokenStream {
    let mut out = TokenStream::new();
    for q in op.query.iter().filter(|q| q.runtime_trait().is_none()) {
        out.extend(query_builder(rust, q));
    }
    for h in op.headers.iter().filter(|h| h.runtime_trait().is_none()) {
        out.extend(header_builder(h));
    }
    out
}

/// The runtime's builders an operation takes: one marker trait impl each, for its marker.
fn takes(op: &OperationApi, gate: &TokenStream) -> TokenStream {
    let name = ident(&op.struct_name);
    let traits = op
        .query
        .iter()
        .filter_map(QueryBuilder::runtime_trait)
        .chain(op.headers.iter().filter_map(HeaderBuilder::runtime_trait))
        .map(|t| format_ident!("{t}"));
    quote! {
        #(#gate impl crate::runtime::request::takes::#traits for #name {})*
    }
}

/// The paragraph of an operation's docs that names its builders. The common ones are methods
/// of the runtime's `Request`, which an alias's page does not list: the paragraph links there.
fn builders_doc(op: &OperationApi) -> Option<String> {
    let list = |names: Vec<String>| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let queries: Vec<String> = op.query.iter().map(|q| q.method.to_string()).collect();
    let headers: Vec<String> = op.headers.iter().map(|h| h.method.clone()).collect();
    let mut parts = Vec::new();
    if !queries.is_empty() {
        parts.push(format!("Query options: {}.", list(queries)));
    }
    if !headers.is_empty() {
        parts.push(format!("Headers: {}.", list(headers)));
    }
    let common = op.query.iter().any(|q| q.runtime_trait().is_some())
        || op.headers.iter().any(|h| h.runtime_trait().is_some());
    if common {
        parts.push("The common ones are methods of [`Request`](crate::Request).".into());
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The builder of a query option with listed values: typed (`WorkPlanOccurrenceSelect`), and
/// still open to strings.
fn query_builder(rust: &RustApi, q: &QueryBuilder) -> TokenStream {
    let wire = q.option.wire_name();
    let method = ident(q.method);
    let Some(values) = &q.values_enum else {
        return TokenStream::new();
    };
    let what = match q.option {
        QueryOption::Select(_) => "Asks for only these properties",
        QueryOption::Expand(_) => "Asks Graph to include these navigation properties",
        _ => "Sorts by these expressions (`name desc`)",
    };
    let values = ident(values);
    let module = ident(&rust.module);
    let doc = format!(" {what} (`{wire}`): [`{values}`] values, or strings.");
    quote! {
        #[doc = #doc]
        pub fn #method<I, S>(mut self, items: I) -> Self
        where
            I: ::core::iter::IntoIterator<Item = S>,
            S: ::core::convert::Into<crate::#module::requests::#values>,
        {
            self.request.query_list(#wire, items.into_iter().map(|item| item.into().as_str().to_owned()));
            self
        }
    }
}

/// The builder of a header the runtime has none for: `header_<name>(value)`.
fn header_builder(h: &HeaderBuilder) -> TokenStream {
    let method = ident(&h.method);
    let wire = h.header.name.clone();
    let doc = format!(" Sets the `{wire}` header.");
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
            self.request.header(#wire, value.into());
            self
        }
    }
}
