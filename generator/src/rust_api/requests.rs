//! The Rust shape of the request code: the path tree of navigation nodes with the name of
//! every struct and method, and what each operation's struct takes, offers and answers.
//!
//! The operations' paths form a tree: `/users` → `/users/{user-id}` → `.../settings` → ...
//! Every node that leads somewhere becomes a struct with a method per HTTP operation (named
//! after its verb) and per child (navigation, key, `$count`, action or function). A `$count`
//! or call node with a single operation and nothing below it is "direct": the parent's method
//! returns the operation itself (`count()`, `set_current_location(body)`).

use std::collections::{BTreeMap, BTreeSet};

use super::{RustApi, RustType};
use crate::model::{
    Api, CallParam, HeaderParam, Operation, Path, Primitive, QueryOption, Response, Segment,
    TypeDef, TypeRef,
};
use crate::names::{self, KnownHeader};

/// A node of the path tree.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    /// Its path.
    pub segments: Vec<Segment>,
    /// Its struct's name.
    pub name: String,
    /// The method of the parent that leads here (empty for the root).
    pub method: String,
    /// Child nodes, in the order their first operation appeared.
    pub children: Vec<usize>,
    /// The operations on this path.
    pub operations: Vec<NodeOperation<'a>>,
    /// The parent node (the root is its own parent).
    pub parent: usize,
    /// Children that are links (see [`crate::model::Link`]).
    pub links: Vec<LinkChild>,
}

/// An operation on a node.
#[derive(Clone, Debug)]
pub struct NodeOperation<'a> {
    /// The operation.
    pub op: &'a Operation,
    /// The node's method that performs it: `get`.
    pub method: String,
    /// Its struct's name.
    pub struct_name: String,
}

/// A child that is a link: the method pushes `segment` and returns the struct of `target`.
#[derive(Clone, Debug)]
pub struct LinkChild {
    /// The segment the method pushes.
    pub segment: Segment,
    /// The node whose struct the method returns.
    pub target: usize,
    /// The method's name.
    pub method: String,
}

/// The path tree of an API, with Rust names for every node and operation.
#[derive(Clone, Debug)]
pub struct Tree<'a> {
    /// Every node; the root first.
    pub nodes: Vec<Node<'a>>,
    /// Path → node.
    index: BTreeMap<Vec<Segment>, usize>,
    /// Enums of the values a document lists for `$select`, `$expand` and `$orderby`, one per
    /// distinct list: (option, values) → enum name.
    pub query_enums: BTreeMap<(&'static str, Vec<String>), String>,
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
                nodes.push(Node::new(prefix.to_vec(), current));
                nodes[current].children.push(i);
                index.insert(prefix.to_vec(), i);
                i
            }
        };
    }
    current
}

impl Node<'_> {
    fn new(segments: Vec<Segment>, parent: usize) -> Self {
        let name = if segments.is_empty() {
            String::new()
        } else {
            names::node_name(&Path::new(segments.clone()))
        };
        Node {
            segments,
            name,
            method: String::new(),
            children: Vec::new(),
            operations: Vec::new(),
            parent,
            links: Vec::new(),
        }
    }

    /// The node's path.
    pub fn path(&self) -> Path {
        Path::new(self.segments.clone())
    }
}

impl<'a> Tree<'a> {
    /// The tree of `api`'s operations and links, named.
    pub fn new(api: &'a Api, names_of_types: &names::TypeNames) -> Tree<'a> {
        let mut nodes = vec![Node::new(Vec::new(), 0)];
        let mut index: BTreeMap<Vec<Segment>, usize> = BTreeMap::new();
        for op in &api.operations {
            let node = ensure_node(&mut nodes, &mut index, &op.path.segments);
            nodes[node].operations.push(NodeOperation {
                op,
                method: String::new(),
                struct_name: String::new(),
            });
        }
        for link in &api.links {
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
            nodes[parent].links.push(LinkChild {
                segment: last.clone(),
                target,
                method: String::new(),
            });
        }
        let mut tree = Tree {
            nodes,
            index,
            query_enums: BTreeMap::new(),
        };
        for i in 0..tree.nodes.len() {
            tree.name_methods(i);
        }
        let taken = tree.name_structs();
        tree.name_query_enums(api, names_of_types, taken);
        tree
    }

    /// Names the methods of a node's struct: one per operation (its verb), then one per child
    /// (navigation, key, `$count`, call), then one per link, made unique.
    fn name_methods(&mut self, i: usize) {
        let node = &self.nodes[i];
        let mut wanted: Vec<String> = node
            .operations
            .iter()
            .map(|o| names::verb_method(o.op.method))
            .collect();
        let key_children = node
            .children
            .iter()
            .filter(|&&c| matches!(self.nodes[c].segments.last(), Some(Segment::Key { .. })))
            .count();
        for &c in &node.children {
            let segment = self.nodes[c]
                .segments
                .last()
                .expect("children have a segment");
            wanted.push(names::child_method(segment, key_children > 1));
        }
        for link in &node.links {
            wanted.push(names::child_method(&link.segment, false));
        }
        let mut unique = names::unique_method_names(wanted, names::NODE_METHODS).into_iter();
        let children = node.children.clone();
        let node = &mut self.nodes[i];
        for o in &mut node.operations {
            o.method = unique.next().unwrap_or_default();
        }
        let child_methods: Vec<String> = children
            .iter()
            .map(|_| unique.next().unwrap_or_default())
            .collect();
        for link in &mut node.links {
            link.method = unique.next().unwrap_or_default();
        }
        for (c, method) in children.into_iter().zip(child_methods) {
            self.nodes[c].method = method;
        }
    }

    /// Names the structs of nodes and operations, unique across the tree, in tree order.
    /// Returns the names taken.
    fn name_structs(&mut self) -> BTreeSet<String> {
        // (node, operation index or none for the node itself)
        let mut wanted = Vec::new();
        let mut owners = Vec::new();
        for i in 1..self.nodes.len() {
            let node = &self.nodes[i];
            if self.is_direct(i) {
                wanted.push(node.name.clone());
                owners.push((i, Some(0)));
            } else {
                wanted.push(node.name.clone());
                owners.push((i, None));
                for (k, o) in node.operations.iter().enumerate() {
                    wanted.push(names::operation_struct(&node.name, o.op.method));
                    owners.push((i, Some(k)));
                }
            }
        }
        let unique = names::unique_type_names(wanted, &BTreeSet::new());
        let taken: BTreeSet<String> = unique.iter().cloned().collect();
        for ((i, op), name) in owners.into_iter().zip(unique) {
            match op {
                None => self.nodes[i].name = name,
                Some(k) => self.nodes[i].operations[k].struct_name = name,
            }
        }
        taken
    }

    /// One enum per distinct listed set of values, named after what the operation returns.
    fn name_query_enums(
        &mut self,
        api: &Api,
        names_of_types: &names::TypeNames,
        mut taken: BTreeSet<String>,
    ) {
        for op in &api.operations {
            for q in &op.query {
                let Some(values) = q.listed_values() else {
                    continue;
                };
                let key = (q.wire_name(), values.to_vec());
                if values.is_empty() || self.query_enums.contains_key(&key) {
                    continue;
                }
                let base = op
                    .response
                    .type_ref()
                    .and_then(TypeRef::named_type)
                    .map(|n| names_of_types.ident(n).to_string())
                    .unwrap_or_else(|| self.operation(op).struct_name.clone());
                let Some(wanted) = names::query_enum(&base, q) else {
                    continue;
                };
                let name = names::unique_type_names(vec![wanted], &taken).remove(0);
                taken.insert(name.clone());
                self.query_enums.insert(key, name);
            }
        }
    }

    /// Whether a node is reached by a method that returns its only operation.
    pub fn is_direct(&self, i: usize) -> bool {
        let node = &self.nodes[i];
        matches!(
            node.segments.last(),
            Some(Segment::Count | Segment::Call { .. })
        ) && node.children.is_empty()
            && node.links.is_empty()
            && node.operations.len() == 1
    }

    /// The node of a path, if there is one.
    pub fn node_of(&self, path: &Path) -> Option<usize> {
        self.index.get(path.segments.as_slice()).copied()
    }

    /// An operation of the tree. Panics on an operation of another API.
    pub fn operation(&self, op: &Operation) -> &NodeOperation<'a> {
        self.node_of(&op.path)
            .and_then(|i| {
                self.nodes[i]
                    .operations
                    .iter()
                    .find(|o| o.op.method == op.method)
            })
            .expect("every operation of the API is in its tree")
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

    /// How code reaches an operation, as written with the crate:
    /// `users().by_id(id).settings().work_hours_and_locations().occurrences().post(body)`.
    pub fn chain(&self, op: &Operation) -> String {
        let Some(node) = self.node_of(&op.path) else {
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
            out.push_str(&format!(".{}({args})", node.method));
        }
        if !self.is_direct(node) {
            let method = &self.operation(op).method;
            let args = if op.body.is_some() { "body" } else { "" };
            out.push_str(&format!(".{method}({args})"));
        }
        out
    }
}

/// An entry point of a version module: a function returning the navigation node of a root,
/// an alias, or a root that is a link.
#[derive(Clone, Debug)]
pub struct EntryPoint {
    /// The function's name: `me`, `users`.
    pub name: String,
    /// The path it starts from: `/me`, `/users`.
    pub path: String,
    /// The node whose struct it returns.
    pub node: usize,
    /// What it is.
    pub kind: EntryKind,
}

/// What an entry point stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// Graph's alias of another path (`/me` for `/users/{user-id}`, the template).
    Alias(String),
    /// A root of the tree.
    Root,
    /// A root that leads to a resource another root describes.
    Link,
}

/// The builder of a query option on an operation.
#[derive(Clone, Debug)]
pub struct QueryBuilder<'a> {
    /// The option.
    pub option: &'a QueryOption,
    /// The builder method.
    pub method: &'static str,
    /// The enum of the values the document lists, if it lists any.
    pub values_enum: Option<String>,
}

impl QueryBuilder<'_> {
    /// The runtime's marker trait (in `runtime::request::takes`) through which an operation
    /// takes this builder, written once on `Request`; `None` for a builder of typed values,
    /// which is the operation's own.
    pub fn runtime_trait(&self) -> Option<&'static str> {
        if self.values_enum.is_some() {
            return None;
        }
        Some(match self.option {
            QueryOption::Select(_) => "Select",
            QueryOption::Expand(_) => "Expand",
            QueryOption::OrderBy(_) => "OrderBy",
            QueryOption::Filter => "Filter",
            QueryOption::Search => "Search",
            QueryOption::Top => "Top",
            QueryOption::Skip => "Skip",
            QueryOption::Count => "Count",
        })
    }
}

/// The builder of a request header on an operation.
#[derive(Clone, Debug)]
pub struct HeaderBuilder<'a> {
    /// The header.
    pub header: &'a HeaderParam,
    /// The builder method.
    pub method: String,
    /// A header whose builder is shaped after what it does.
    pub known: Option<KnownHeader>,
}

impl HeaderBuilder<'_> {
    /// The runtime's marker trait through which an operation takes this builder; `None` for
    /// a header the runtime has no builder for, whose builder is the operation's own.
    pub fn runtime_trait(&self) -> Option<&'static str> {
        Some(match self.known? {
            KnownHeader::IfMatch => "IfMatch",
            KnownHeader::Prefer => "Prefer",
            KnownHeader::ConsistencyLevel => "ConsistencyLevel",
        })
    }
}

/// An argument of a function call in a path.
#[derive(Clone, Debug)]
pub struct CallArg<'a> {
    /// The parameter.
    pub param: &'a CallParam,
    /// The argument's name.
    pub arg: String,
    /// Its type.
    pub ty: RustType,
}

/// What an operation's output is and how the runtime parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parse {
    /// `response::empty`
    Empty,
    /// `response::count`
    Count,
    /// `response::json`
    Json,
    /// `response::optional_json`: `None` for no content.
    OptionalJson,
    /// `response::value`: OData's `{"value": ...}` wrapper.
    Value,
}

/// Everything the generated struct of one operation offers.
#[derive(Clone, Debug)]
pub struct OperationApi<'a> {
    /// The operation.
    pub op: &'a Operation,
    /// Its struct's name.
    pub struct_name: String,
    /// How code reaches it.
    pub chain: String,
    /// The body it takes.
    pub body: Option<RustType>,
    /// `<… as Operation>::Output`.
    pub output: RustType,
    /// How the output is parsed.
    pub parse: Parse,
    /// Its query builders.
    pub query: Vec<QueryBuilder<'a>>,
    /// Its header builders.
    pub headers: Vec<HeaderBuilder<'a>>,
    /// The arguments of the function calls in its path, in order.
    pub params: Vec<CallArg<'a>>,
    /// Whether it sends `Prefer: include-unknown-enum-members`.
    pub prefers_unknown_members: bool,
}

impl<'a> RustApi<'a> {
    /// The struct of one operation.
    pub fn operation(&self, op: &'a Operation) -> OperationApi<'a> {
        let (output, parse) = self.output(op);
        OperationApi {
            op,
            struct_name: self.tree.operation(op).struct_name.clone(),
            chain: self.tree.chain(op),
            body: op.body.as_ref().map(|b| self.value_type(b)),
            output,
            parse,
            query: op
                .query
                .iter()
                .map(|q| QueryBuilder {
                    option: q,
                    method: names::query_method(q),
                    values_enum: q.listed_values().and_then(|values| {
                        self.tree
                            .query_enums
                            .get(&(q.wire_name(), values.to_vec()))
                            .cloned()
                    }),
                })
                .collect(),
            headers: op
                .headers
                .iter()
                .map(|h| HeaderBuilder {
                    header: h,
                    method: names::header_method(&h.name),
                    known: KnownHeader::of(&h.name),
                })
                .collect(),
            params: op
                .path
                .segments
                .iter()
                .flat_map(|s| match s {
                    Segment::Call { params, .. } => call_args(params),
                    _ => Vec::new(),
                })
                .collect(),
            prefers_unknown_members: self.prefers_unknown_members(op),
        }
    }

    /// What an operation answers in Rust, and how it is parsed.
    pub fn output(&self, op: &Operation) -> (RustType, Parse) {
        match &op.response {
            Response::Empty => (RustType::Unit, Parse::Empty),
            Response::Count => (RustType::Scalar("i64"), Parse::Count),
            Response::Page(item) => (RustType::Page(Box::new(self.value_type(item))), Parse::Json),
            Response::Value(ty) => (self.value_type(ty), Parse::Value),
            Response::SingleOrEmpty(ty) => (self.value_type(ty).option(), Parse::OptionalJson),
            Response::Single(ty) => (self.value_type(ty), Parse::Json),
        }
    }

    /// Whether the output of an operation can contain a member of an evolvable enum declared
    /// after `unknownFutureValue`. Graph only sends those members to clients that ask for them.
    pub fn prefers_unknown_members(&self, op: &Operation) -> bool {
        let Some(ty) = op.response.type_ref() else {
            return false;
        };
        let mut seen = BTreeSet::new();
        let mut pending: Vec<&str> = ty.named_type().into_iter().collect();
        while let Some(name) = pending.pop() {
            if !seen.insert(name) {
                continue;
            }
            match self.api.types.get(name) {
                Some(TypeDef::Enum(e)) if !e.members_after_sentinel().is_empty() => return true,
                Some(TypeDef::Enum(_)) => {}
                Some(TypeDef::Object(_)) => {
                    for p in self.api.all_properties(name) {
                        pending.extend(p.ty.named_type());
                    }
                    pending.extend(self.hierarchy.descendants(name).iter().copied());
                }
                None => {}
            }
        }
        false
    }
}

/// The arguments of a function call: named so that they do not shadow the method's locals,
/// typed as what the runtime can write as an OData literal.
pub fn call_args(params: &[CallParam]) -> Vec<CallArg<'_>> {
    let args = names::argument_names(params.iter().map(|p| p.name.as_str()));
    params
        .iter()
        .zip(args)
        .map(|(param, arg)| {
            let ty = match &param.ty {
                TypeRef::Primitive(
                    p @ (Primitive::Boolean
                    | Primitive::Byte
                    | Primitive::SByte
                    | Primitive::Int16
                    | Primitive::Int32
                    | Primitive::Int64),
                ) => {
                    let ty = RustType::primitive(*p);
                    if param.nullable { ty.option() } else { ty }
                }
                // Strings, and (until the runtime has literals for them) every other type,
                // as quoted text.
                _ if param.nullable => RustType::ImplOptionalArg(Box::new(RustType::String)),
                _ => RustType::ImplInto(Box::new(RustType::String)),
            };
            CallArg { param, arg, ty }
        })
        .collect()
}
