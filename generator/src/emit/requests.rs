//! Requests: navigation that mirrors the URL, and one operation struct per HTTP operation.
//!
//! The operations' paths form a tree: `/users` → `/users/{user-id}` → `.../settings` → ...
//! Every node that leads somewhere becomes a struct holding its (already encoded) path, with a
//! method per child: a navigation property by its snake_case name, a key by `by_id(id)`, a
//! `$count` by `count()`, a bound action or function by its snake_case name. The HTTP
//! operations on a node are methods named after their verb (`get`, `post`, `put`, `patch`,
//! `delete`) returning an operation struct. Operation structs are sans-IO: they implement the
//! runtime's `Operation` trait (build an `http::Request`, parse an `http::Response`) and share
//! all their logic with the runtime, so each one is a few lines of glue.
//!
//! Graph serves `/me` as an alias of `/users/{user-id}`; aliases are entry points that return
//! the aliased node with a different path prefix, so `me()` and `users().by_id(id)` share
//! every type below them.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Context, ident, primitive};
use super::docs::{Doc, code};
use crate::model::{
    CallParam, HttpMethod, Operation, OperationKind, Primitive, QueryOption, Response, Segment,
    TypeDef, TypeRef,
};
use crate::names;

/// An entry point into the tree that starts at another node's path: `/me` for `/users/{user-id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The path the entry point sends: `/me`.
    pub path: String,
    /// The node it stands for: `/users/{user-id}`.
    pub target: String,
}

/// A node of the path tree.
struct Node<'a> {
    segments: Vec<Segment>,
    name: String,
    children: Vec<usize>,
    operations: Vec<&'a Operation>,
    parent: usize,
    /// Where the node is among its parent's children.
    position: usize,
    /// Children that are links (see [`crate::model::Link`]): the segment, and the node whose
    /// struct the method returns.
    links: Vec<(Segment, usize)>,
}

impl Node<'_> {
    fn new(segments: Vec<Segment>, parent: usize, position: usize) -> Self {
        let name = if segments.is_empty() {
            String::new()
        } else {
            names::node_name(&crate::model::Path {
                segments: segments.clone(),
            })
        };
        Node {
            segments,
            name,
            children: Vec::new(),
            operations: Vec::new(),
            parent,
            position,
            links: Vec::new(),
        }
    }
}

/// The node of a path, created with its ancestors when missing.
fn ensure_node(
    nodes: &mut Vec<Node<'_>>,
    index: &mut BTreeMap<Vec<Segment>, usize>,
    segments: &[Segment],
) -> usize {
    let mut current = 0;
    for depth in 1..=segments.len() {
        let prefix = &segments[..depth];
        current = match index.get(prefix) {
            Some(&i) => i,
            None => {
                let i = nodes.len();
                let position = nodes[current].children.len();
                nodes.push(Node::new(prefix.to_vec(), current, position));
                nodes[current].children.push(i);
                index.insert(prefix.to_vec(), i);
                i
            }
        };
    }
    current
}

/// The path tree of an API, with Rust names for every node and operation.
pub struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    /// Operation struct names, by index into `api.operations`.
    operation_names: BTreeMap<(String, HttpMethod), String>,
    /// Enums of the values a document lists for `$select`, `$expand` and `$orderby`, one per
    /// distinct list: (option, values) → enum name.
    query_enums: BTreeMap<(&'static str, Vec<String>), String>,
    /// Path → node.
    index: BTreeMap<Vec<Segment>, usize>,
    /// The methods of each node's struct (see [`Tree::method_names`]).
    methods: Vec<Vec<String>>,
}

impl<'a> Tree<'a> {
    pub fn new(cx: &Context<'a>) -> Tree<'a> {
        let mut nodes = vec![Node::new(Vec::new(), 0, 0)];
        let mut index: BTreeMap<Vec<Segment>, usize> = BTreeMap::new();
        for op in &cx.api.operations {
            let node = ensure_node(&mut nodes, &mut index, &op.path.segments);
            nodes[node].operations.push(op);
        }
        for link in &cx.api.links {
            let (Some(last), Some(&target)) = (
                link.path.segments.last(),
                index.get(link.target.segments.as_slice()),
            ) else {
                continue;
            };
            let parent = ensure_node(
                &mut nodes,
                &mut index,
                &link.path.segments[..link.path.segments.len() - 1],
            );
            nodes[parent].links.push((last.clone(), target));
        }
        // Unique struct names for nodes and operations, in tree order.
        let mut tree = Tree {
            nodes,
            operation_names: BTreeMap::new(),
            query_enums: BTreeMap::new(),
            index,
            methods: Vec::new(),
        };
        tree.methods = (0..tree.nodes.len())
            .map(|i| tree.compute_method_names(i))
            .collect();
        let mut wanted = Vec::new();
        let mut owners = Vec::new();
        for i in 1..tree.nodes.len() {
            if tree.is_direct(i) {
                let op = tree.nodes[i].operations[0];
                wanted.push(tree.nodes[i].name.clone());
                owners.push((None, Some(op)));
            } else {
                wanted.push(tree.nodes[i].name.clone());
                owners.push((Some(i), None));
                for op in &tree.nodes[i].operations {
                    wanted.push(format!("{}{}", tree.nodes[i].name, verb_suffix(op.method)));
                    owners.push((None, Some(*op)));
                }
            }
        }
        let unique = names::unique_type_names(wanted, &BTreeSet::new());
        let mut taken: BTreeSet<String> = unique.iter().cloned().collect();
        for ((node, op), name) in owners.into_iter().zip(unique) {
            match (node, op) {
                (Some(i), _) => tree.nodes[i].name = name,
                (None, Some(op)) => {
                    tree.operation_names
                        .insert((op.path.to_string(), op.method), name);
                }
                _ => {}
            }
        }
        // One enum per distinct listed set of values, named after what the operation returns.
        for op in &cx.api.operations {
            for q in &op.query {
                let (suffix, values) = match q {
                    QueryOption::Select(v) => ("Select", v),
                    QueryOption::Expand(v) => ("Expand", v),
                    QueryOption::OrderBy(v) => ("OrderBy", v),
                    _ => continue,
                };
                let key = (q.wire_name(), values.clone());
                if values.is_empty() || tree.query_enums.contains_key(&key) {
                    continue;
                }
                let base = match &op.response {
                    Response::Single(t) | Response::Page(t) | Response::Value(t) => {
                        t.named_type().map(|n| cx.names.ident(n).to_string())
                    }
                    _ => None,
                }
                .unwrap_or_else(|| tree.operation_names[&(op.path.to_string(), op.method)].clone());
                let name =
                    names::unique_type_names(vec![format!("{base}{suffix}")], &taken).remove(0);
                taken.insert(name.clone());
                tree.query_enums.insert(key, name);
            }
        }
        tree
    }

    /// A `$count` or call node with a single operation and nothing below it is reached by a
    /// method that returns the operation itself: `count()`, `set_current_location(body)`.
    fn is_direct(&self, i: usize) -> bool {
        let node = &self.nodes[i];
        matches!(
            node.segments.last(),
            Some(Segment::Count | Segment::Call { .. })
        ) && node.children.is_empty()
            && node.links.is_empty()
            && node.operations.len() == 1
    }

    /// The name of an operation's struct.
    pub fn operation_name(&self, op: &Operation) -> &str {
        &self.operation_names[&(op.path.to_string(), op.method)]
    }

    /// The methods of a node's struct, in order: one per operation (its verb), then one per
    /// child (navigation, key, `$count`, call), made unique.
    fn method_names(&self, i: usize) -> &[String] {
        &self.methods[i]
    }

    fn compute_method_names(&self, i: usize) -> Vec<String> {
        let node = &self.nodes[i];
        let mut wanted: Vec<String> = node
            .operations
            .iter()
            .map(|op| verb_method(op.method).to_string())
            .collect();
        let key_children = node
            .children
            .iter()
            .filter(|&&c| matches!(self.nodes[c].segments.last(), Some(Segment::Key { .. })))
            .count();
        for &c in &node.children {
            wanted.push(
                match self.nodes[c]
                    .segments
                    .last()
                    .expect("children have a segment")
                {
                    Segment::Literal(l) => names::snake(l),
                    Segment::Key { param } if key_children > 1 => {
                        format!("by_{}", names::snake(param))
                    }
                    Segment::Key { .. } => "by_id".to_string(),
                    Segment::Count => "count".to_string(),
                    Segment::Call { name, .. } => names::snake(names::short_name(name)),
                },
            );
        }
        for (segment, _) in &node.links {
            wanted.push(segment_method(segment));
        }
        names::unique_method_names(wanted, &["new", "path"])
    }

    /// How code reaches an operation, as written with the crate:
    /// `users().by_id(id).settings().work_hours_and_locations().occurrences().post(body)`.
    pub fn chain(&self, op: &Operation) -> String {
        let Some(&node) = self.index.get(op.path.segments.as_slice()) else {
            return String::new();
        };
        let mut steps = Vec::new();
        let mut current = node;
        while current != 0 {
            steps.push(current);
            current = self.nodes[current].parent;
        }
        let mut out = String::new();
        for &child in steps.iter().rev() {
            let node = &self.nodes[child];
            let segment = node.segments.last().expect("only the root has no segment");
            if node.parent == 0 {
                if let Segment::Literal(l) = segment {
                    out.push_str(&names::snake(l));
                }
                out.push_str("()");
                continue;
            }
            let parent = &self.nodes[node.parent];
            let method = &self.method_names(node.parent)[parent.operations.len() + node.position];
            let args = match segment {
                Segment::Key { .. } => "id".to_string(),
                Segment::Call { params, .. } => {
                    names::argument_names(params.iter().map(|p| p.name.as_str())).join(", ")
                }
                _ => String::new(),
            };
            let args = match (self.is_direct(child), &op.body) {
                (true, Some(_)) if args.is_empty() => "body".to_string(),
                (true, Some(_)) => format!("{args}, body"),
                _ => args,
            };
            out.push_str(&format!(".{method}({args})"));
        }
        if !self.is_direct(node) {
            let position = self.nodes[node]
                .operations
                .iter()
                .position(|o| o.method == op.method)
                .unwrap_or(0);
            let method = &self.method_names(node)[position];
            let args = if op.body.is_some() { "body" } else { "" };
            out.push_str(&format!(".{method}({args})"));
        }
        out
    }

    /// The node for a path template, if there is one.
    fn find(&self, template: &str) -> Option<usize> {
        self.index
            .iter()
            .find(|(segments, _)| {
                crate::model::Path {
                    segments: segments.to_vec(),
                }
                .to_string()
                    == template
            })
            .map(|(_, &i)| i)
    }

    /// The first segment of each root child: `users`, `teams`.
    pub fn roots(&self) -> Vec<(String, usize)> {
        self.nodes[0]
            .children
            .iter()
            .filter_map(|&i| match &self.nodes[i].segments[0] {
                Segment::Literal(l) => Some((l.clone(), i)),
                _ => None,
            })
            .collect()
    }
}

/// The method that follows a link's segment (a navigation property, in practice).
fn segment_method(segment: &Segment) -> String {
    match segment {
        Segment::Literal(l) => names::snake(l),
        Segment::Key { .. } => "by_id".to_string(),
        Segment::Count => "count".to_string(),
        Segment::Call { name, .. } => names::snake(names::short_name(name)),
    }
}

fn verb_suffix(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    }
}

fn verb_method(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Patch => "patch",
        HttpMethod::Delete => "delete",
    }
}

/// The entry points of a version module: one function per root, one per alias.
pub fn entry_points(cx: &Context, tree: &Tree, aliases: &[Alias]) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    let mut taken = BTreeSet::new();
    let roots: BTreeSet<String> = tree.roots().into_iter().map(|(root, _)| root).collect();
    for alias in aliases {
        let name = names::snake(alias.path.trim_start_matches('/'));
        // A document that serves the path itself (CSDL's `me` singleton) needs no alias.
        if roots.contains(alias.path.trim_start_matches('/')) {
            continue;
        }
        let Some(target) = tree.find(&alias.target) else {
            continue;
        };
        if !taken.insert(name.clone()) {
            return Err(format!("two entry points are named `{name}`"));
        }
        let fn_name = ident(&name);
        let node = ident(&tree.nodes[target].name);
        let module = &cx.module;
        let path = &alias.path;
        let doc = format!(
            " `{path}`: Graph's alias of {}, for the signed-in user (delegated permissions only).",
            code(&alias.target)
        );
        out.extend(quote! {
            #[doc = #doc]
            pub fn #fn_name() -> crate::#module::requests::#node {
                crate::#module::requests::#node::new(::std::string::String::from(#path))
            }
        });
    }
    for (root, i) in tree.roots() {
        let name = names::snake(&root);
        if !taken.insert(name.clone()) {
            return Err(format!("two entry points are named `{name}`"));
        }
        let fn_name = ident(&name);
        let node = ident(&tree.nodes[i].name);
        let module = &cx.module;
        let path = format!("/{root}");
        let doc = format!(" `{path}`.");
        out.extend(quote! {
            #[doc = #doc]
            pub fn #fn_name() -> crate::#module::requests::#node {
                crate::#module::requests::#node::new(::std::string::String::from(#path))
            }
        });
    }
    // Roots that lead to a resource another root already describes.
    for (segment, target) in &tree.nodes[0].links {
        let Segment::Literal(root) = segment else {
            continue;
        };
        let name = names::snake(root);
        if !taken.insert(name.clone()) {
            return Err(format!("two entry points are named `{name}`"));
        }
        out.extend(link(
            cx,
            tree,
            std::slice::from_ref(segment),
            *target,
            &ident(&name),
            TokenStream::new(),
            quote! { ::std::string::String::new() },
        ));
    }
    Ok(out)
}

/// The `requests` files: one per root (`users.rs`, `teams.rs`), each with every node and
/// operation below it, and `query.rs` with the enums of listed query option values.
pub fn files(cx: &Context, tree: &Tree) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    if !tree.query_enums.is_empty() {
        let mut tokens = TokenStream::new();
        for ((option, values), name) in &tree.query_enums {
            let doc = Doc::new()
                .markdown(format!("The values the metadata lists for `{option}`."))
                .markdown("Open: a value the list lacks can still be given as a string (`\"name\".into()`).");
            let wire: Vec<&str> = values.iter().map(String::as_str).collect();
            let member_docs: Vec<Doc> = wire
                .iter()
                .map(|w| Doc::new().markdown(format!("`{}`", w.replace('`', ""))))
                .collect();
            tokens.extend(super::models::open_enum(
                &ident(name),
                &doc,
                &wire,
                &member_docs,
            ));
        }
        files.push(("query".to_string(), tokens));
    }
    for (root, root_index) in tree.roots() {
        let mut tokens = TokenStream::new();
        let mut stack = vec![root_index];
        while let Some(i) = stack.pop() {
            tokens.extend(node(cx, tree, i));
            stack.extend(tree.nodes[i].children.iter().rev());
        }
        files.push((names::module_name(&root), tokens));
    }
    files
}

/// A node's struct, its navigation methods, and its operations.
fn node(cx: &Context, tree: &Tree, i: usize) -> TokenStream {
    let node = &tree.nodes[i];
    if tree.is_direct(i) {
        return operation(cx, tree, node.operations[0]);
    }
    let name = ident(&node.name);
    let template = crate::model::Path {
        segments: node.segments.clone(),
    }
    .to_string();
    let mut methods = TokenStream::new();
    let mut method_names = tree.method_names(i).iter();
    for op in &node.operations {
        let method = format_ident!("{}", method_names.next().expect("a name per method"));
        methods.extend(verb(cx, tree, op, &method));
    }
    for &c in &node.children {
        let method = format_ident!("{}", method_names.next().expect("a name per method"));
        methods.extend(child(cx, tree, c, &method));
    }
    for (segment, target) in &node.links {
        let method = format_ident!("{}", method_names.next().expect("a name per method"));
        let mut path = node.segments.clone();
        path.push(segment.clone());
        methods.extend(link(
            cx,
            tree,
            &path,
            *target,
            &method,
            quote! { &self, },
            quote! { self.path.clone() },
        ));
    }
    let doc = Doc::new()
        .markdown(format!("Navigation: {}.", code(&template)))
        .tokens();
    let mut out = quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #name {
            path: ::std::string::String,
        }

        impl #name {
            pub(crate) fn new(path: ::std::string::String) -> Self {
                Self { path }
            }

            /// The path this node addresses, percent-encoded, below the version segment.
            pub fn path(&self) -> &str {
                &self.path
            }

            #methods
        }
    };
    for op in &node.operations {
        out.extend(operation(cx, tree, op));
    }
    out
}

/// The method on a node that performs one of its HTTP operations.
fn verb(cx: &Context, tree: &Tree, op: &Operation, method: &proc_macro2::Ident) -> TokenStream {
    let op_name = ident(tree.operation_name(op));
    let module = &cx.module;
    let (body_param, body_field) = match &op.body {
        Some(body) => {
            let ty = cx.value_type(body);
            (quote! { , body: #ty }, quote! { , body })
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let doc = format!(
        " {} {}: see [`{}`].",
        op.method,
        code(&sent_template(&op.path)),
        tree.operation_name(op)
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self #body_param) -> crate::#module::requests::#op_name {
            crate::#module::requests::#op_name::new(self.path.clone() #body_field)
        }
    }
}

/// The method on a node that leads to a child: navigation, key, `$count`, action or function.
fn child(cx: &Context, tree: &Tree, c: usize, method: &proc_macro2::Ident) -> TokenStream {
    let child = &tree.nodes[c];
    let module = &cx.module;
    let segment = child.segments.last().expect("children have a segment");
    let target = if tree.is_direct(c) {
        tree.operation_name(child.operations[0]).to_string()
    } else {
        child.name.clone()
    };
    let target = ident(&target);
    let (params, push) = match segment {
        Segment::Literal(l) => (
            TokenStream::new(),
            quote! { crate::runtime::encode::push_literal(&mut path, #l); },
        ),
        Segment::Key { param } => {
            let arg = ident("id");
            let _ = param;
            (
                quote! { , #arg: impl ::core::convert::AsRef<str> },
                quote! { crate::runtime::encode::push_segment(&mut path, #arg.as_ref()); },
            )
        }
        Segment::Count => (
            TokenStream::new(),
            quote! { crate::runtime::encode::push_literal(&mut path, "$count"); },
        ),
        Segment::Call { name, params } => call(name, params),
    };
    let (body_param, body_field) = match (
        tree.is_direct(c),
        child.operations.first().and_then(|op| op.body.as_ref()),
    ) {
        (true, Some(body)) => {
            let ty = cx.value_type(body);
            (quote! { , body: #ty }, quote! { , body })
        }
        _ => (TokenStream::new(), TokenStream::new()),
    };
    let template = sent_template(&crate::model::Path {
        segments: child.segments.clone(),
    });
    let doc = if tree.is_direct(c) {
        let op = child.operations[0];
        format!(" {} {}: see [`{}`].", op.method, code(&template), target)
    } else {
        format!(" Navigates to {}.", code(&template))
    };
    quote! {
        #[doc = #doc]
        pub fn #method(&self #params #body_param) -> crate::#module::requests::#target {
            let mut path = self.path.clone();
            #push
            crate::#module::requests::#target::new(path #body_field)
        }
    }
}

/// The method (or entry point) that follows a link: it pushes the link's last segment and
/// returns the struct of the node the link leads to, whose operations apply relative to it.
fn link(
    cx: &Context,
    tree: &Tree,
    path: &[Segment],
    target: usize,
    method: &proc_macro2::Ident,
    receiver: TokenStream,
    start: TokenStream,
) -> TokenStream {
    let module = &cx.module;
    let target_node = &tree.nodes[target];
    let name = ident(&target_node.name);
    let push = match path.last() {
        Some(Segment::Literal(l)) => {
            quote! { crate::runtime::encode::push_literal(&mut path, #l); }
        }
        _ => TokenStream::new(),
    };
    let template = sent_template(&crate::model::Path {
        segments: path.to_vec(),
    });
    let target_template = sent_template(&crate::model::Path {
        segments: target_node.segments.clone(),
    });
    let doc = format!(
        " Navigates to {}, which offers what [`{}`] offers at {}.",
        code(&template),
        target_node.name,
        code(&target_template)
    );
    quote! {
        #[doc = #doc]
        pub fn #method(#receiver) -> crate::#module::requests::#name {
            #[allow(unused_mut)]
            let mut path = #start;
            #push
            crate::#module::requests::#name::new(path)
        }
    }
}

/// A path template as the crate sends it: bound actions and functions of Graph's own namespace
/// without their `microsoft.graph.` prefix, the way Microsoft documents them.
fn sent_template(path: &crate::model::Path) -> String {
    path.to_string().replace("/microsoft.graph.", "/")
}

/// Parameters and path code for a bound action or function segment. Graph documents these
/// without the `microsoft.graph.` namespace, and accepts them that way.
fn call(name: &str, params: &[CallParam]) -> (TokenStream, TokenStream) {
    let written = name.strip_prefix("microsoft.graph.").unwrap_or(name);
    let mut args = TokenStream::new();
    let mut pairs = Vec::new();
    let arg_names = names::argument_names(params.iter().map(|p| p.name.as_str()));
    for (p, arg) in params.iter().zip(arg_names) {
        let arg = ident(&arg);
        let wire = &p.name;
        let (ty, value) = call_param_type(p, &arg);
        args.extend(quote! { , #arg: #ty });
        pairs.push(quote! { (#wire, &(#value) as &dyn crate::runtime::encode::Literal) });
    }
    (
        args,
        quote! { crate::runtime::encode::push_call(&mut path, #written, &[#(#pairs),*]); },
    )
}

/// The Rust type of a function parameter and the expression that turns it into a literal.
pub fn call_param_type(p: &CallParam, arg: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let string = quote! { ::std::string::String };
    let required_text = (
        quote! { impl ::core::convert::Into<#string> },
        quote! { ::core::convert::Into::<#string>::into(#arg) },
    );
    let optional_text = (
        quote! { impl crate::runtime::OptionalArg<#string> },
        quote! { crate::runtime::OptionalArg::<#string>::into_arg(#arg) },
    );
    match &p.ty {
        TypeRef::Primitive(
            ty @ (Primitive::Boolean
            | Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64),
        ) => {
            let ty = primitive(*ty);
            if p.nullable {
                (quote! { ::core::option::Option<#ty> }, quote! { #arg })
            } else {
                (ty, quote! { #arg })
            }
        }
        // Strings, and (until the runtime has literals for them) every other type, as quoted text.
        _ if p.nullable => optional_text,
        _ => required_text,
    }
}

/// What an operation's output is in Rust and which runtime function parses it.
pub fn output(cx: &Context, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.response {
        Response::Empty => (
            quote! { () },
            quote! { crate::runtime::response::empty(response) },
        ),
        Response::Count => (
            quote! { i64 },
            quote! { crate::runtime::response::count(response) },
        ),
        Response::Page(item) => {
            let item = cx.value_type(item);
            (
                quote! { crate::runtime::Page<#item> },
                quote! { crate::runtime::response::json(response) },
            )
        }
        Response::Value(ty) => {
            let ty = cx.value_type(ty);
            (ty, quote! { crate::runtime::response::value(response) })
        }
        // An update may answer 204 No Content unless the request asks for the representation.
        Response::Single(ty) if matches!(op.method, HttpMethod::Put | HttpMethod::Patch) => {
            let ty = cx.value_type(ty);
            (
                quote! { ::core::option::Option<#ty> },
                quote! { crate::runtime::response::optional_json(response) },
            )
        }
        Response::Single(ty) => {
            let ty = cx.value_type(ty);
            (ty, quote! { crate::runtime::response::json(response) })
        }
    }
}

/// An operation struct and its `Operation` impl.
fn operation(cx: &Context, tree: &Tree, op: &Operation) -> TokenStream {
    let name = ident(tree.operation_name(op));
    let method = format_ident!("{}", op.method.as_str());
    let version = &cx.api.version;
    let (output, parse) = output(cx, op);
    let (body_field, body_param, body_init, body_arg) = match &op.body {
        Some(body) => {
            let ty = cx.value_type(body);
            (
                quote! { body: #ty, },
                quote! { , body: #ty },
                quote! { body, },
                quote! { ::core::option::Option::Some(&self.body) },
            )
        }
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            quote! { ::core::option::Option::<&()>::None },
        ),
    };
    let prefer_unknown = if needs_unknown_enum_members(cx, op) {
        quote! { request.prefer("include-unknown-enum-members"); }
    } else {
        TokenStream::new()
    };
    let builders = builders(cx, tree, op);
    let body_accessors = if let Some(body) = &op.body {
        let ty = cx.value_type(body);
        quote! {
            /// The body that will be sent.
            pub fn body(&self) -> &#ty {
                &self.body
            }

            /// The body that will be sent, to change it before sending.
            pub fn body_mut(&mut self) -> &mut #ty {
                &mut self.body
            }
        }
    } else {
        TokenStream::new()
    };
    let doc = operation_doc(cx, op);
    let permissions = permissions(op);
    let paged = paged(cx, op, &name);
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[must_use = "an operation does nothing until it is sent"]
        pub struct #name {
            request: crate::runtime::RequestParts,
            #body_field
        }

        impl #name {
            pub(crate) fn new(path: ::std::string::String #body_param) -> Self {
                #[allow(unused_mut)]
                let mut request = crate::runtime::RequestParts::new(::http::Method::#method, #version, path);
                #prefer_unknown
                Self { request, #body_init }
            }

            #builders
            #body_accessors
        }

        impl crate::runtime::Operation for #name {
            type Output = #output;

            fn to_http_request(&self, root: &str) -> ::core::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::Error> {
                self.request.build(root, #body_arg)
            }

            fn parse_response(&self, response: ::http::Response<::std::vec::Vec<u8>>) -> ::core::result::Result<Self::Output, crate::Error> {
                #parse
            }

            fn permissions(&self) -> crate::Permissions {
                #permissions
            }
        }

        #paged
    }
}

/// The `Permissions` value of an operation.
fn permissions(op: &Operation) -> TokenStream {
    match &op.permissions {
        Some(p) => {
            let (delegated, application) = (&p.delegated, &p.application);
            quote! { crate::Permissions::new(&[#(#delegated),*], &[#(#application),*]) }
        }
        None => quote! { crate::Permissions::UNDOCUMENTED },
    }
}

/// `PagedOperation` for operations that answer a page of a collection.
fn paged(cx: &Context, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let Response::Page(item) = &op.response else {
        return TokenStream::new();
    };
    let item = cx.value_type(item);
    quote! {
        impl crate::runtime::PagedOperation for #name {
            type Item = #item;

            fn next_page_request(&self, next_link: &str) -> ::core::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::Error> {
                self.request.build_for_url(next_link, ::core::option::Option::<&()>::None)
            }
        }
    }
}

fn operation_doc(cx: &Context, op: &Operation) -> TokenStream {
    let mut doc = Doc::new().text(op.summary.as_deref());
    if op.description != op.summary {
        doc = doc.text(op.description.as_deref());
    }
    let mut facts = format!(
        "`{} /{}{}`",
        op.method,
        cx.api.version,
        sent_template(&op.path)
    );
    facts = format!("Request: {facts}.");
    match &op.response {
        Response::Page(_) => facts.push_str(
            " Answers one page of the collection; the client's `items` follows `@odata.nextLink`.",
        ),
        Response::Value(_) => {
            facts.push_str(" Answers a value, which Graph wraps as `{\"value\": ...}`.")
        }
        Response::Count => facts.push_str(" Answers the number of items."),
        Response::Empty => facts.push_str(" Answers no content."),
        Response::Single(_) if matches!(op.method, HttpMethod::Put | HttpMethod::Patch) => facts
            .push_str(" Answers the updated object, or `None` when Graph answers 204 No Content."),
        Response::Single(_) => {}
    }
    if op.kind == OperationKind::Action {
        facts.push_str(" (OData action)");
    } else if op.kind == OperationKind::Function {
        facts.push_str(" (OData function)");
    }
    doc = doc.markdown(facts);
    if needs_unknown_enum_members(cx, op) {
        doc = doc.markdown(
            "Sends `Prefer: include-unknown-enum-members`, so that enum members Graph added after \
             `unknownFutureValue` arrive as themselves.",
        );
    }
    doc = doc.markdown(permissions_doc(op));
    if let Some(url) = &op.docs_url {
        doc = doc.markdown(format!("Microsoft's documentation: <{url}>"));
    }
    doc.tokens()
}

/// The permissions paragraph of an operation's docs.
fn permissions_doc(op: &Operation) -> String {
    let Some(p) = &op.permissions else {
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

/// Builder methods for the query options and headers an operation documents.
fn builders(cx: &Context, tree: &Tree, op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    for q in &op.query {
        let wire = q.wire_name();
        out.extend(match q {
            QueryOption::Select(values) | QueryOption::Expand(values) | QueryOption::OrderBy(values) => {
                let what = match q {
                    QueryOption::Select(_) => "Asks for only these properties",
                    QueryOption::Expand(_) => "Asks Graph to include these navigation properties",
                    _ => "Sorts by these expressions (`name desc`)",
                };
                let method = ident(query_method(q));
                match tree.query_enums.get(&(wire, values.clone())) {
                    // Listed values: typed, and still open to strings.
                    Some(name) => {
                        let name = ident(name);
                        let module = &cx.module;
                        let doc = format!(" {what} (`{wire}`): [`{name}`] values, or strings.");
                        quote! {
                            #[doc = #doc]
                            pub fn #method<I, S>(mut self, items: I) -> Self
                            where
                                I: ::core::iter::IntoIterator<Item = S>,
                                S: ::core::convert::Into<crate::#module::requests::#name>,
                            {
                                self.request.query_list(#wire, items.into_iter().map(|item| item.into().as_str().to_owned()));
                                self
                            }
                        }
                    }
                    None => {
                        let doc = format!(" {what} (`{wire}`).");
                        quote! {
                            #[doc = #doc]
                            pub fn #method<I, S>(mut self, items: I) -> Self
                            where
                                I: ::core::iter::IntoIterator<Item = S>,
                                S: ::core::convert::AsRef<str>,
                            {
                                self.request.query_list(#wire, items);
                                self
                            }
                        }
                    }
                }
            }
            QueryOption::Filter | QueryOption::Search => {
                let method = ident(query_method(q));
                let doc = match q {
                    QueryOption::Filter => " Filters the items with an OData expression (`$filter`).",
                    _ => " Searches the items (`$search`); Graph expects the phrase in double quotes.",
                };
                quote! {
                    #[doc = #doc]
                    pub fn #method(mut self, expression: impl ::core::convert::Into<::std::string::String>) -> Self {
                        self.request.query(#wire, expression.into());
                        self
                    }
                }
            }
            QueryOption::Top | QueryOption::Skip => {
                let method = ident(query_method(q));
                let doc = match q {
                    QueryOption::Top => " Asks for at most this many items per page (`$top`).",
                    _ => " Skips this many items (`$skip`).",
                };
                quote! {
                    #[doc = #doc]
                    pub fn #method(mut self, n: u32) -> Self {
                        self.request.query(#wire, n.to_string());
                        self
                    }
                }
            }
            QueryOption::Count => quote! {
                /// Asks Graph to include the total number of items (`$count=true`) in `@odata.count`.
                pub fn count(mut self, include: bool) -> Self {
                    self.request.query("$count", include.to_string());
                    self
                }
            },
        });
    }
    for h in &op.headers {
        out.extend(match h.name.to_ascii_lowercase().as_str() {
            "if-match" => quote! {
                /// Only applies the operation if the entity still has this `@odata.etag` (`If-Match`).
                pub fn if_match(mut self, etag: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.request.header("If-Match", etag.into());
                    self
                }
            },
            "prefer" => quote! {
                /// Adds a preference to the `Prefer` header, for example `return=representation`.
                pub fn prefer(mut self, preference: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.request.prefer(preference.into());
                    self
                }
            },
            "consistencylevel" => quote! {
                /// Sets `ConsistencyLevel` (Graph wants `eventual` for advanced queries).
                pub fn consistency_level(mut self, level: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.request.header("ConsistencyLevel", level.into());
                    self
                }
            },
            _ => {
                let method = ident(&header_method(&h.name));
                let wire = h.name.clone();
                let doc = format!(" Sets the `{wire}` header.");
                quote! {
                    #[doc = #doc]
                    pub fn #method(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                        self.request.header(#wire, value.into());
                        self
                    }
                }
            }
        });
    }
    out
}

/// The builder method of a query option.
pub fn query_method(q: &QueryOption) -> &'static str {
    match q {
        QueryOption::Select(_) => "select",
        QueryOption::Expand(_) => "expand",
        QueryOption::OrderBy(_) => "orderby",
        QueryOption::Filter => "filter",
        QueryOption::Search => "search",
        QueryOption::Top => "top",
        QueryOption::Skip => "skip",
        QueryOption::Count => "count",
    }
}

/// The builder method of a request header.
pub fn header_method(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "if-match" => "if_match".into(),
        "prefer" => "prefer".into(),
        "consistencylevel" => "consistency_level".into(),
        _ => format!("header_{}", names::snake(name).trim_start_matches('_')),
    }
}

/// The enum of the values a document lists for a query option, if it lists any.
pub fn query_enum<'t>(tree: &'t Tree, q: &QueryOption) -> Option<&'t str> {
    let values = match q {
        QueryOption::Select(v) | QueryOption::Expand(v) | QueryOption::OrderBy(v) => v,
        _ => return None,
    };
    tree.query_enums
        .get(&(q.wire_name(), values.clone()))
        .map(String::as_str)
}

/// Whether the output of an operation can contain a member of an evolvable enum declared after
/// `unknownFutureValue`. Graph only sends those members to clients that ask for them.
pub fn needs_unknown_enum_members(cx: &Context, op: &Operation) -> bool {
    let ty = match &op.response {
        Response::Single(t) | Response::Page(t) | Response::Value(t) => t,
        Response::Empty | Response::Count => return false,
    };
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&str> = ty.named_type().into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name) {
            continue;
        }
        match cx.api.types.get(name) {
            Some(TypeDef::Enum(e)) if !e.members_after_sentinel().is_empty() => return true,
            Some(TypeDef::Enum(_)) => {}
            Some(TypeDef::Object(_)) => {
                for p in cx.api.all_properties(name) {
                    pending.extend(p.ty.named_type());
                }
                pending.extend(cx.derived(name).iter().map(|d| d.name.as_str()));
            }
            None => {}
        }
    }
    false
}
