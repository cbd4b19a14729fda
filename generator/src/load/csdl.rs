//! OData CSDL (XML, version 4.0) → [`Api`].
//!
//! Microsoft's source of truth for Graph is its CSDL; its OpenAPI is converted from it. This
//! front end reads the CSDL directly:
//!
//! * **types**: every `Schema` (with its `Alias`), entity and complex types with base types,
//!   abstract and open types, structural and navigation properties (`Nullable` defaults to
//!   true; for a collection it says whether its *items* may be null), enums (flags, member
//!   values), and `TypeDefinition`s, read as their underlying primitive;
//! * **annotations**, inline or in `Annotations` elements targeting types, properties,
//!   navigation properties and container members of any schema: descriptions
//!   (`Core.Description`), read-only (`Core.Computed`), and the capability annotations that decide
//!   which operations exist and how ([`Capabilities`]);
//! * **operations**, derived from the entity container the way Microsoft's conversion does:
//!   entity sets and singletons, then contained navigation, recursively; collections get list,
//!   create, `$count` and item operations; bound actions and functions appear on every path whose
//!   type is (or derives from) their binding type.
//!
//! Derivation can be limited to the paths a [`PathFilter`] admits, so that slicing a family out
//! of the whole v1.0 API never builds the other tens of thousands of paths.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

use roxmltree::{Document, Node};
use rustc_hash::FxHashMap as HashMap;

use super::{LoadError, Loaded, Warning};
use crate::model::*;

const CAPABILITIES: &str = "Org.OData.Capabilities.V1.";
/// The error body every Graph operation answers with, which CSDL does not describe; the types
/// are added the way Microsoft's OpenAPI conversion adds them.
pub const ODATA_ERROR: &str = "microsoft.graph.ODataErrors.ODataError";
const CORE: &str = "Org.OData.Core.V1.";

/// Which paths to derive: `descend` prunes subtrees, `keep` selects operations.
pub trait PathFilter {
    /// Whether some path at or below `path` can be kept.
    fn descend(&self, path: &Path) -> bool;
    /// Whether the operations of `path` are kept.
    fn keep(&self, path: &Path) -> bool;
    /// Whether paths that lead to a resource of a shape already derived elsewhere become links
    /// to it (so that recursive containment is derived once, and every path stays reachable),
    /// instead of being derived again up to [`MAX_DEPTH`].
    fn share(&self) -> bool {
        false
    }
}

/// Every path.
pub struct AllPaths;

impl PathFilter for AllPaths {
    fn descend(&self, _: &Path) -> bool {
        true
    }
    fn keep(&self, _: &Path) -> bool {
        true
    }
    fn share(&self) -> bool {
        true
    }
}

/// How deep containment is followed below an entity set or singleton when paths are not
/// shared (slicing): Microsoft's whole v1.0 API reaches everything it documents within this
/// depth; deeper paths repeat shapes already reachable at a shallower one.
pub const MAX_DEPTH: usize = 8;

/// The capability annotations that make two paths to the same entity type behave differently.
const SHAPE_TERMS: &[&str] = &[
    "ReadRestrictions",
    "InsertRestrictions",
    "UpdateRestrictions",
    "DeleteRestrictions",
    "CountRestrictions",
    "ExpandRestrictions",
    "NavigationRestrictions",
    "TopSupported",
    "SkipSupported",
    "FilterRestrictions",
    "SearchRestrictions",
    "SortRestrictions",
];

/// Parses a CSDL document and derives every operation.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, LoadError> {
    load_filtered(text, file, &AllPaths)
}

/// Parses a CSDL document and derives the operations of the paths `filter` admits.
pub fn load_filtered(text: &str, file: &str, filter: &dyn PathFilter) -> Result<Loaded, LoadError> {
    let document = parse(text, file)?;
    let csdl = Csdl::read(&document, file)?;
    csdl.load(filter)
}

impl Csdl<'_, '_> {
    /// The model of the document, with the operations of the paths `filter` admits.
    pub fn load(&self, filter: &dyn PathFilter) -> Result<Loaded, LoadError> {
        // Every path: every type. Some paths: the types they reach, built after them.
        let whole = filter.share();
        let mut api = if whole {
            self.types()?
        } else {
            let mut api = Api::default();
            add_odata_errors(&mut api);
            api
        };
        let mut warnings = self.warnings.clone();
        Derive {
            csdl: self,
            api: &mut api,
            filter,
            warnings: &mut warnings,
            tasks: VecDeque::new(),
            shapes: filter.share().then(BTreeMap::new),
        }
        .run()?;
        api.sort_operations();
        api.links.sort();
        api.operations
            .dedup_by(|a, b| a.method == b.method && a.path == b.path);
        let mut unbuilt = Vec::new();
        if !whole {
            self.reached_types(&mut api)?;
            self.check(&api, false)?;
            unbuilt = self
                .type_nodes
                .keys()
                .filter(|n| !api.types.contains_key(*n))
                .cloned()
                .collect();
            unbuilt.sort();
        }
        Ok(Loaded {
            api,
            warnings,
            unbuilt,
        })
    }
}

/// The one place XML is parsed.
pub fn parse<'a>(text: &'a str, file: &str) -> Result<Document<'a>, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError {
            file: file.into(),
            place: "document".into(),
            message: "the document is empty".into(),
        });
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        LoadError {
            file: file.into(),
            place: format!("line {}, column {}", pos.row, pos.col),
            message: format!("not well-formed XML: {e}"),
        }
    })
}

/// `namespace.name`, without the formatting machinery (thousands of these per document).
fn qualified(namespace: &str, name: &str) -> String {
    let mut out = String::with_capacity(namespace.len() + 1 + name.len());
    out.push_str(namespace);
    out.push('.');
    out.push_str(name);
    out
}

/// A value of an annotation.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    String(String),
    Int(i64),
    /// An enum member, like `Org.OData.Capabilities.V1.HttpMethod/PUT`.
    Enum(String),
    /// A path, like `NavigationPropertyPath`.
    Path(String),
    Record(Vec<(String, Value)>),
    Collection(Vec<Value>),
    Other,
}

impl Value {
    /// A property of a record.
    pub fn get(&self, property: &str) -> Option<&Value> {
        match self {
            Value::Record(props) => props.iter().find(|(k, _)| k == property).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Enum(s) | Value::Path(s) => Some(s),
            _ => None,
        }
    }
}

/// A navigation property, as derivation needs it.
#[derive(Clone, Debug)]
struct Navigation {
    name: String,
    /// Qualified target type.
    target: String,
    collection: bool,
    contained: bool,
}

/// A bound or unbound action or function.
#[derive(Clone, Debug)]
pub struct Callable {
    /// Qualified name: `microsoft.graph.occurrencesView`.
    pub name: String,
    pub kind: OperationKind,
    /// The binding parameter's type, for bound operations.
    pub binding: Option<TypeRef>,
    /// The other parameters: name, type, nullable.
    pub params: Vec<(String, TypeRef, bool)>,
    pub returns: Option<TypeRef>,
    /// Where the element starts in the document (a byte offset; see [`Csdl::line_at`]).
    pub position: usize,
}

/// What a binding parameter's type binds to: the type, and whether it is a collection of it.
fn binding_key(binding: &TypeRef) -> Option<(String, bool)> {
    match binding {
        TypeRef::Named(n) => Some((n.clone(), false)),
        TypeRef::Collection { item, .. } => match &**item {
            TypeRef::Named(n) => Some((n.clone(), true)),
            _ => None,
        },
        TypeRef::Primitive(_) => None,
    }
}

/// A member of the entity container: an entity set or a singleton.
#[derive(Clone, Debug)]
pub struct ContainerMember {
    pub name: String,
    pub entity_type: String,
    pub singleton: bool,
}

/// A parsed CSDL document, before operations are derived.
pub struct Csdl<'a, 'input> {
    document: &'a Document<'input>,
    pub file: String,
    /// Alias → namespace.
    aliases: BTreeMap<String, String>,
    /// Qualified name → type element.
    type_nodes: HashMap<String, Node<'a, 'input>>,
    /// Qualified name → underlying type of a `TypeDefinition`.
    definitions: BTreeMap<String, String>,
    /// Entity or complex type → its base type, both qualified.
    bases: HashMap<String, String>,
    /// Type → its declared navigation properties, read when first asked for.
    navigation: RefCell<HashMap<String, Rc<Vec<Navigation>>>>,
    /// Every `Action` and `Function` element with its schema's namespace, parsed into
    /// `callables` on first use.
    callable_nodes: Vec<(Node<'a, 'input>, Rc<str>)>,
    callables: Vec<OnceCell<Callable>>,
    pub container_name: String,
    pub members: Vec<ContainerMember>,
    /// Bound actions and functions by binding: (type, whether bound to a collection) → indexes
    /// into `callables`, in document order.
    bound: HashMap<(String, bool), Vec<usize>>,
    /// Normalized target → its `Annotation` elements (inline or in `Annotations`), in document
    /// order: a later one wins. Parsed only for the targets asked for: slicing a family out of
    /// the whole API reads a handful of the tens of thousands.
    annotation_nodes: HashMap<Cow<'a, str>, Vec<Node<'a, 'input>>>,
    /// Parsed annotations of the targets asked for so far: term (without its vocabulary
    /// namespace for Core and Capabilities) → value.
    annotations: RefCell<HashMap<String, Rc<BTreeMap<String, Value>>>>,
    warnings: Vec<Warning>,
}

impl<'a, 'input> Csdl<'a, 'input> {
    /// Indexes the schemas of a parsed document.
    pub fn read(document: &'a Document<'input>, file: &str) -> Result<Csdl<'a, 'input>, LoadError> {
        let mut csdl = Csdl {
            document,
            file: file.to_string(),
            aliases: BTreeMap::new(),
            type_nodes: HashMap::default(),
            definitions: BTreeMap::new(),
            bases: HashMap::default(),
            navigation: RefCell::new(HashMap::default()),
            callable_nodes: Vec::new(),
            callables: Vec::new(),
            container_name: String::new(),
            members: Vec::new(),
            bound: HashMap::default(),
            annotation_nodes: HashMap::default(),
            annotations: RefCell::new(HashMap::default()),
            warnings: Vec::new(),
        };
        let root = document.root_element();
        if root.tag_name().name() != "Edmx" {
            return Err(csdl.error(
                root,
                format!(
                    "expected an `edmx:Edmx` root element, found `{}`",
                    root.tag_name().name()
                ),
            ));
        }
        if let Some(version) = root.attribute("Version") {
            if !version.starts_with('4') {
                return Err(csdl.error(
                    root,
                    format!("CSDL version {version} is not supported; only 4.0 is"),
                ));
            }
        }
        let schemas: Vec<Node> = root
            .children()
            .filter(|n| n.has_tag_name("DataServices") || n.tag_name().name() == "DataServices")
            .flat_map(|d| d.children().filter(|n| n.tag_name().name() == "Schema"))
            .collect();
        if schemas.is_empty() {
            return Err(csdl.error(root, "no `Schema` element under `edmx:DataServices`"));
        }
        for schema in &schemas {
            let namespace = csdl.attr(*schema, "Namespace")?.to_string();
            if let Some(alias) = schema.attribute("Alias") {
                csdl.aliases.insert(alias.to_string(), namespace.clone());
            }
        }
        for schema in &schemas {
            let namespace = csdl.attr(*schema, "Namespace")?.to_string();
            for node in schema.children().filter(Node::is_element) {
                match node.tag_name().name() {
                    "EntityType" | "ComplexType" | "EnumType" => {
                        let name = qualified(&namespace, csdl.attr(node, "Name")?);
                        if let Some(base) = node.attribute("BaseType") {
                            csdl.bases.insert(name.clone(), csdl.qualify(base));
                        }
                        if csdl.type_nodes.insert(name.clone(), node).is_some() {
                            return Err(csdl.error(node, format!("type `{name}` is defined twice")));
                        }
                    }
                    "TypeDefinition" => {
                        let name = qualified(&namespace, csdl.attr(node, "Name")?);
                        csdl.definitions
                            .insert(name, csdl.attr(node, "UnderlyingType")?.to_string());
                    }
                    "Action" | "Function" => {}
                    "EntityContainer" => {}
                    "Annotations" => {}
                    "Term" => {}
                    other => csdl.warn(node, format!("`{other}` elements are not read")),
                }
            }
        }
        for schema in &schemas {
            let namespace = csdl.attr(*schema, "Namespace")?.to_string();
            for node in schema.children().filter(Node::is_element) {
                match node.tag_name().name() {
                    "EntityType" | "ComplexType" => {
                        let name = qualified(&namespace, csdl.attr(node, "Name")?);
                        csdl.note_inline_annotations(node, || name.clone())?;
                        for child in node.children().filter(|n| {
                            matches!(n.tag_name().name(), "Property" | "NavigationProperty")
                        }) {
                            csdl.note_inline_annotations(child, || {
                                format!("{name}/{}", child.attribute("Name").unwrap_or_default())
                            })?;
                        }
                    }
                    "EnumType" => {
                        let name = qualified(&namespace, csdl.attr(node, "Name")?);
                        csdl.note_inline_annotations(node, || name.clone())?;
                        for member in node.children().filter(|n| n.tag_name().name() == "Member") {
                            csdl.note_inline_annotations(member, || {
                                format!("{name}/{}", member.attribute("Name").unwrap_or_default())
                            })?;
                        }
                    }
                    "Action" | "Function" => {
                        let name = csdl.attr(node, "Name")?;
                        csdl.note_inline_annotations(node, || format!("{namespace}.{name}"))?;
                        if let Some(binding) = csdl.binding_of(node)? {
                            csdl.bound
                                .entry(binding)
                                .or_default()
                                .push(csdl.callables.len());
                        }
                        let shared = match csdl.callable_nodes.last() {
                            Some((_, ns)) if **ns == *namespace => ns.clone(),
                            _ => Rc::from(namespace.as_str()),
                        };
                        csdl.callable_nodes.push((node, shared));
                        csdl.callables.push(OnceCell::new());
                    }
                    "EntityContainer" => {
                        csdl.container_name = qualified(&namespace, csdl.attr(node, "Name")?);
                        for member in node.children().filter(Node::is_element) {
                            let kind = member.tag_name().name();
                            let (singleton, attribute) = match kind {
                                "EntitySet" => (false, "EntityType"),
                                "Singleton" => (true, "Type"),
                                _ => {
                                    csdl.warn(
                                        member,
                                        format!("container `{kind}` elements are not generated"),
                                    );
                                    continue;
                                }
                            };
                            let name = csdl.attr(member, "Name")?.to_string();
                            let entity_type = csdl.qualify(csdl.attr(member, attribute)?);
                            let container = csdl.container_name.clone();
                            csdl.note_inline_annotations(member, || format!("{container}/{name}"))?;
                            csdl.members.push(ContainerMember {
                                name,
                                entity_type,
                                singleton,
                            });
                        }
                    }
                    "Annotations" => {
                        let target = csdl.qualify_target(csdl.attr(node, "Target")?);
                        let mut annotations = Vec::new();
                        for annotation in node
                            .children()
                            .filter(|n| n.tag_name().name() == "Annotation")
                        {
                            csdl.attr(annotation, "Term")?;
                            annotations.push(annotation);
                        }
                        csdl.annotation_nodes
                            .entry(target)
                            .or_default()
                            .extend(annotations);
                    }
                    _ => {}
                }
            }
        }
        Ok(csdl)
    }

    fn line(&self, node: Node) -> u32 {
        self.line_at(node.range().start)
    }

    /// The line of a byte offset. Counting lines costs a scan of the document up to it, so it
    /// is only done for errors and warnings.
    pub fn line_at(&self, position: usize) -> u32 {
        self.document.text_pos_at(position).row
    }

    fn error(&self, node: Node, message: impl Into<String>) -> LoadError {
        let pos = self.document.text_pos_at(node.range().start);
        LoadError {
            file: self.file.clone(),
            place: format!("line {}, column {}", pos.row, pos.col),
            message: message.into(),
        }
    }

    fn warn(&mut self, node: Node, message: impl Into<String>) {
        let place = format!("line {}", self.line(node));
        self.warnings.push(Warning {
            place,
            message: message.into(),
        });
    }

    fn attr<'n>(&self, node: Node<'n, '_>, name: &str) -> Result<&'n str, LoadError> {
        node.attribute(name).ok_or_else(|| {
            self.error(
                node,
                format!("`{}` has no `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// `graph.user` → `microsoft.graph.user`, for any alias of the document.
    pub fn qualify(&self, name: &str) -> String {
        if let Some((first, rest)) = name.split_once('.') {
            if let Some(namespace) = self.aliases.get(first) {
                return qualified(namespace, rest);
            }
        }
        name.to_string()
    }

    /// An annotation target with aliases resolved in each `/`-separated part: borrowed when
    /// there is no alias to resolve (Microsoft writes its targets in full).
    pub fn qualify_target<'t>(&self, target: &'t str) -> Cow<'t, str> {
        let first = target.split(['.', '/', '(']).next().unwrap_or_default();
        if !self.aliases.contains_key(first) {
            return Cow::Borrowed(target);
        }
        let (head, tail) = target
            .split_once('/')
            .map(|(h, t)| (h, Some(t)))
            .unwrap_or((target, None));
        let head = match head.find('(') {
            Some(i) => format!("{}{}", self.qualify(&head[..i]), &head[i..]),
            None => self.qualify(head),
        };
        Cow::Owned(match tail {
            Some(tail) => format!("{head}/{tail}"),
            None => head,
        })
    }

    /// A `Type` attribute as a type reference (`Collection(...)`, `Edm.*`, named types).
    fn type_ref(&self, node: Node, text: &str) -> Result<TypeRef, LoadError> {
        if let Some(inner) = text
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let nullable = node.attribute("Nullable") != Some("false");
            return Ok(TypeRef::Collection {
                item: Box::new(self.type_ref(node, inner)?),
                item_nullable: nullable,
            });
        }
        if let Some(p) = Primitive::from_edm_name(text) {
            return Ok(TypeRef::Primitive(p));
        }
        match text {
            "Edm.Single" => return Ok(TypeRef::Primitive(Primitive::Single)),
            "Edm.Geography" | "Edm.GeographyPoint" | "Edm.Geometry" | "Edm.PrimitiveType"
            | "Edm.ComplexType" | "Edm.EntityType" => {
                return Ok(TypeRef::Primitive(Primitive::Untyped));
            }
            _ => {}
        }
        if text.starts_with("Edm.") {
            return Err(self.error(node, format!("unknown primitive type `{text}`")));
        }
        let name = self.qualify(text);
        if let Some(underlying) = self.definitions.get(&name) {
            return self.type_ref(node, underlying);
        }
        Ok(TypeRef::Named(name))
    }

    /// What an `Action` or `Function` element is bound to, reading only its first parameter.
    fn binding_of(&self, node: Node) -> Result<Option<(String, bool)>, LoadError> {
        if node.attribute("IsBound") != Some("true") {
            return Ok(None);
        }
        let Some(first) = node.children().find(|n| n.tag_name().name() == "Parameter") else {
            return Ok(None);
        };
        Ok(binding_key(
            &self.type_ref(first, self.attr(first, "Type")?)?,
        ))
    }

    /// The `i`th action or function of the document, parsed on first use.
    fn callable_at(&self, i: usize) -> Result<&Callable, LoadError> {
        if let Some(c) = self.callables[i].get() {
            return Ok(c);
        }
        let (node, namespace) = &self.callable_nodes[i];
        let parsed = self.callable(*node, namespace)?;
        Ok(self.callables[i].get_or_init(|| parsed))
    }

    fn callable(&self, node: Node, namespace: &str) -> Result<Callable, LoadError> {
        let name = format!("{namespace}.{}", self.attr(node, "Name")?);
        let kind = if node.tag_name().name() == "Action" {
            OperationKind::Action
        } else {
            OperationKind::Function
        };
        let bound = node.attribute("IsBound") == Some("true");
        let mut params = Vec::new();
        let mut binding = None;
        for (i, p) in node
            .children()
            .filter(|n| n.tag_name().name() == "Parameter")
            .enumerate()
        {
            let ty = self.type_ref(p, self.attr(p, "Type")?)?;
            if bound && i == 0 {
                binding = Some(ty);
                continue;
            }
            params.push((
                self.attr(p, "Name")?.to_string(),
                ty,
                p.attribute("Nullable") != Some("false"),
            ));
        }
        if bound && binding.is_none() {
            return Err(self.error(node, format!("bound `{name}` has no binding parameter")));
        }
        let returns = match node
            .children()
            .find(|n| n.tag_name().name() == "ReturnType")
        {
            Some(r) => Some(self.type_ref(r, self.attr(r, "Type")?)?),
            None => None,
        };
        Ok(Callable {
            name,
            kind,
            binding,
            params,
            returns,
            position: node.range().start,
        })
    }

    /// Records the `Annotation` children of an element; `target` is only made when it has some.
    fn note_inline_annotations(
        &mut self,
        node: Node<'a, 'input>,
        target: impl FnOnce() -> String,
    ) -> Result<(), LoadError> {
        let mut annotations = node
            .children()
            .filter(|n| n.tag_name().name() == "Annotation")
            .peekable();
        if annotations.peek().is_none() {
            return Ok(());
        }
        let target = target();
        for annotation in annotations {
            self.note_annotation(annotation, &target)?;
        }
        Ok(())
    }

    fn note_annotation(&mut self, node: Node<'a, 'input>, target: &str) -> Result<(), LoadError> {
        self.attr(node, "Term")?;
        match self.annotation_nodes.get_mut(target) {
            Some(nodes) => nodes.push(node),
            None => {
                self.annotation_nodes
                    .insert(Cow::Owned(target.to_string()), vec![node]);
            }
        }
        Ok(())
    }

    /// The annotations of a target, parsed on first use.
    fn terms(&self, target: &str) -> Option<Rc<BTreeMap<String, Value>>> {
        if let Some(terms) = self.annotations.borrow().get(target) {
            return Some(terms.clone());
        }
        let nodes = self.annotation_nodes.get(target)?;
        let mut terms = BTreeMap::new();
        for node in nodes {
            let term = self.qualify(node.attribute("Term").unwrap_or_default());
            let term = term
                .strip_prefix(CAPABILITIES)
                .or_else(|| term.strip_prefix(CORE))
                .map(str::to_string)
                .unwrap_or(term);
            terms.insert(term, self.value(*node));
        }
        let terms = Rc::new(terms);
        self.annotations
            .borrow_mut()
            .insert(target.to_string(), terms.clone());
        Some(terms)
    }

    /// An annotation's value: an attribute (`Bool="true"`) or a child element (`<Record>`).
    fn value(&self, node: Node) -> Value {
        self.value_at(node, 0)
    }

    fn value_at(&self, node: Node, depth: usize) -> Value {
        for (attribute, make) in [
            (
                "Bool",
                (|v: &str| Value::Bool(v == "true")) as fn(&str) -> Value,
            ),
            ("String", |v: &str| Value::String(v.to_string())),
            ("Int", |v: &str| {
                v.parse().map(Value::Int).unwrap_or(Value::Other)
            }),
            ("EnumMember", |v: &str| Value::Enum(v.to_string())),
            ("Path", |v: &str| Value::Path(v.to_string())),
            ("NavigationPropertyPath", |v: &str| {
                Value::Path(v.to_string())
            }),
            ("PropertyPath", |v: &str| Value::Path(v.to_string())),
        ] {
            if let Some(v) = node.attribute(attribute) {
                return make(v);
            }
        }
        match node.children().find(Node::is_element) {
            Some(child) => self.element_value(child, depth),
            None => Value::Other,
        }
    }

    /// An annotation's element value; nesting deeper than any real annotation (a hostile
    /// document) reads as [`Value::Other`] rather than recursing further.
    fn element_value(&self, node: Node, depth: usize) -> Value {
        if depth > 32 {
            return Value::Other;
        }
        let text = || node.text().unwrap_or_default().trim().to_string();
        match node.tag_name().name() {
            "Record" => Value::Record(
                node.children()
                    .filter(|n| n.tag_name().name() == "PropertyValue")
                    .map(|p| {
                        (
                            p.attribute("Property").unwrap_or_default().to_string(),
                            self.value_at(p, depth + 1),
                        )
                    })
                    .collect(),
            ),
            "Collection" => Value::Collection(
                node.children()
                    .filter(Node::is_element)
                    .map(|c| self.element_value(c, depth + 1))
                    .collect(),
            ),
            "Bool" => Value::Bool(text() == "true"),
            "String" => Value::String(text()),
            "Int" => text().parse().map(Value::Int).unwrap_or(Value::Other),
            "EnumMember" => Value::Enum(text()),
            "Path" | "NavigationPropertyPath" | "PropertyPath" => Value::Path(text()),
            _ => Value::Other,
        }
    }

    /// An annotation on a target.
    pub fn annotation(&self, target: &str, term: &str) -> Option<Value> {
        self.terms(target)?.get(term).cloned()
    }

    /// The capability annotations of a path's own target, as a key (see [`Shape`]).
    fn shape_context(&self, target: &str) -> String {
        let Some(terms) = self.terms(target) else {
            return String::new();
        };
        let mut out = String::new();
        for (term, value) in terms
            .iter()
            .filter(|(t, _)| SHAPE_TERMS.contains(&t.as_str()))
        {
            out.push_str(&format!("{term}={value:?};"));
        }
        out
    }

    fn description(&self, target: &str) -> Option<String> {
        self.annotation(target, "Description")
            .or_else(|| self.annotation(target, "LongDescription"))
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// Every type of the document, checked.
    fn types(&self) -> Result<Api, LoadError> {
        let mut api = Api::default();
        // In name order, so that the first error reported is always the same one.
        let mut names: Vec<&String> = self.type_nodes.keys().collect();
        names.sort();
        for name in names {
            let def = self.build_type(name, self.type_nodes[name])?;
            api.types.insert(name.clone(), def);
        }
        self.check(&api, true)?;
        add_odata_errors(&mut api);
        Ok(api)
    }

    /// Adds to `api` the types its operations reach, as [`crate::slice::select`] follows them
    /// (with the derived types of those in a position), built from their elements: a filtered
    /// load builds these and no other.
    fn reached_types(&self, api: &mut Api) -> Result<(), LoadError> {
        let children = self.children_index();
        loop {
            let selection = crate::slice::select(api, &api.operations);
            let mut missing: BTreeSet<&str> = selection
                .types
                .iter()
                .map(String::as_str)
                .filter(|n| !api.types.contains_key(*n))
                .collect();
            for positioned in &selection.positions {
                for d in Self::derived_from(&children, positioned) {
                    if !api.types.contains_key(d) {
                        missing.insert(d);
                    }
                }
            }
            // A name no schema defines stays missing: `check` reports it where it is used.
            let buildable: Vec<(String, Node)> = missing
                .into_iter()
                .filter_map(|n| self.type_nodes.get_key_value(n))
                .map(|(k, v)| (k.clone(), *v))
                .collect();
            if buildable.is_empty() {
                return Ok(());
            }
            for (name, node) in buildable {
                let def = self.build_type(&name, node)?;
                api.types.insert(name, def);
            }
        }
    }

    /// One type, from its element.
    fn build_type(&self, name: &str, node: Node) -> Result<TypeDef, LoadError> {
        Ok(match node.tag_name().name() {
            "EnumType" => TypeDef::Enum(EnumType {
                name: name.to_string(),
                description: self.description(name),
                members: node
                    .children()
                    .filter(|n| n.tag_name().name() == "Member")
                    .map(|m| {
                        let member = m.attribute("Name").unwrap_or_default().to_string();
                        EnumMember {
                            description: self.description(&format!("{name}/{member}")),
                            value: m.attribute("Value").and_then(|v| v.parse().ok()),
                            name: member,
                        }
                    })
                    .collect(),
                flags: node.attribute("IsFlags") == Some("true"),
            }),
            kind => {
                let mut properties = Vec::new();
                for p in node
                    .children()
                    .filter(|n| matches!(n.tag_name().name(), "Property" | "NavigationProperty"))
                {
                    let prop = self.attr(p, "Name")?;
                    let target = format!("{name}/{prop}");
                    let navigation = p.tag_name().name() == "NavigationProperty";
                    let mut ty = self.type_ref(p, self.attr(p, "Type")?)?;
                    // `Nullable` on a collection says whether its items may be null; a
                    // collection of related entities never holds nulls.
                    if let (true, TypeRef::Collection { item_nullable, .. }) = (navigation, &mut ty)
                    {
                        *item_nullable = false;
                    }
                    let collection = matches!(ty, TypeRef::Collection { .. });
                    properties.push(Property {
                        name: prop.to_string(),
                        nullable: !collection && p.attribute("Nullable") != Some("false"),
                        read_only: self
                            .annotation(&target, "Computed")
                            .as_ref()
                            .and_then(Value::as_bool)
                            == Some(true),
                        navigation,
                        description: self.description(&target),
                        ty,
                    });
                }
                TypeDef::Object(ObjectType {
                    name: name.to_string(),
                    kind: if kind == "EntityType" {
                        ObjectKind::Entity
                    } else {
                        ObjectKind::Complex
                    },
                    base: node.attribute("BaseType").map(|b| self.qualify(b)),
                    is_abstract: node.attribute("Abstract") == Some("true"),
                    is_open: node.attribute("OpenType") == Some("true"),
                    description: self.description(name),
                    properties,
                })
            }
        })
    }

    /// Every named type a type, property, parameter or container member refers to exists;
    /// inheritance has no cycle.
    /// Only the types in `api` are checked, and with `whole` false only the actions and
    /// functions already read: a filtered load checks what it reads.
    fn check(&self, api: &Api, whole: bool) -> Result<(), LoadError> {
        let defined = |n: &str| self.type_nodes.contains_key(n) || api.types.contains_key(n);
        for (name, def) in &api.types {
            let (TypeDef::Object(o), Some(node)) = (def, self.type_nodes.get(name)) else {
                continue;
            };
            if let Some(base) = &o.base {
                if !self.is_object(base) {
                    return Err(self.error(
                        *node,
                        format!(
                            "`{name}` derives from `{base}`, which is not an entity or complex type"
                        ),
                    ));
                }
            }
            let mut seen = BTreeSet::new();
            let mut current = Some(name.as_str());
            while let Some(c) = current {
                if !seen.insert(c) {
                    return Err(self.error(*node, format!("inheritance cycle through `{name}`")));
                }
                current = self.bases.get(c).map(String::as_str);
            }
            for (p, element) in o.properties.iter().zip(
                node.children()
                    .filter(|n| matches!(n.tag_name().name(), "Property" | "NavigationProperty")),
            ) {
                if let Some(n) = p.ty.named_type() {
                    if !defined(n) {
                        return Err(self.error(
                            element,
                            format!(
                                "`{name}/{}` has the type `{n}`, which no schema defines",
                                p.name
                            ),
                        ));
                    }
                }
            }
        }
        // Every action and function of a whole load; those a filtered load parsed.
        for i in 0..self.callables.len() {
            let c = if whole {
                self.callable_at(i)?
            } else if let Some(c) = self.callables[i].get() {
                c
            } else {
                continue;
            };
            let mut refs: Vec<&TypeRef> = c.params.iter().map(|(_, t, _)| t).collect();
            refs.extend(c.binding.iter());
            refs.extend(c.returns.iter());
            for r in refs {
                if let Some(n) = r.named_type() {
                    if !defined(n) {
                        return Err(LoadError {
                            file: self.file.clone(),
                            place: format!("line {}", self.line_at(c.position)),
                            message: format!(
                                "`{}` refers to the type `{n}`, which no schema defines",
                                c.name
                            ),
                        });
                    }
                }
            }
        }
        for m in &self.members {
            if !self.is_object(&m.entity_type) {
                return Err(LoadError {
                    file: self.file.clone(),
                    place: format!("container member `{}`", m.name),
                    message: format!(
                        "its type `{}` is not an entity type of the document",
                        m.entity_type
                    ),
                });
            }
        }
        Ok(())
    }

    /// The type an entity set or singleton holds.
    pub fn member_type(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.entity_type.as_str())
    }

    /// A navigation property of a type (or of a base type): the type that declares it, its
    /// target, and whether it is a collection.
    pub fn navigation_of(
        &self,
        ty: &str,
        name: &str,
    ) -> Result<Option<(String, String, bool)>, LoadError> {
        Ok(self
            .all_navigation(ty)?
            .into_iter()
            .find(|(_, n)| n.name == name)
            .map(|(declaring, n)| (declaring, n.target, n.collection)))
    }

    /// The action or function a call segment on a path of type `ty` invokes: the one bound
    /// closest to `ty`.
    pub fn resolve_call(
        &self,
        name: &str,
        ty: &str,
        collection: bool,
    ) -> Result<Option<&Callable>, LoadError> {
        Ok(self
            .bound_to(ty, collection)?
            .into_iter()
            .find(|c| c.name == name))
    }

    /// The actions and functions bound to `ty` (or to a collection of it) or to one of its base
    /// types: those bound closest first, then in document order.
    fn bound_to(&self, ty: &str, collection: bool) -> Result<Vec<&Callable>, LoadError> {
        let mut out = Vec::new();
        for t in self.ancestry(ty).into_iter().rev() {
            for &i in self
                .bound
                .get(&(t.to_string(), collection))
                .into_iter()
                .flatten()
            {
                out.push(self.callable_at(i)?);
            }
        }
        Ok(out)
    }

    /// A parameter's type as written (aliases resolved), for matching elements.
    pub fn parse_type(&self, node: Node, text: &str) -> Result<TypeRef, LoadError> {
        self.type_ref(node, text)
    }

    /// Whether a type of the document is an entity or complex type.
    pub fn is_object(&self, name: &str) -> bool {
        self.type_nodes
            .get(name)
            .is_some_and(|n| n.tag_name().name() != "EnumType")
    }

    /// The chain from the root base type down to `name` (inclusive), as [`Api::ancestry`]
    /// gives it, read from the document's `BaseType` attributes. Stops at a type the document
    /// does not define, or at a cycle (which [`Csdl::check`] rejects).
    pub fn ancestry<'s>(&'s self, name: &str) -> Vec<&'s str> {
        let mut chain: Vec<&'s str> = Vec::new();
        let mut next = Some(name);
        while let Some(current) = next {
            let Some((key, node)) = self.type_nodes.get_key_value(current) else {
                break;
            };
            if node.tag_name().name() == "EnumType" || chain.contains(&key.as_str()) {
                break;
            }
            chain.push(key.as_str());
            next = self.bases.get(current).map(String::as_str);
        }
        chain.reverse();
        chain
    }

    /// Base type → the types deriving from it directly.
    fn children_index(&self) -> HashMap<&str, Vec<&str>> {
        let mut children: HashMap<&str, Vec<&str>> = HashMap::default();
        for (name, base) in &self.bases {
            children.entry(base).or_default().push(name);
        }
        children
    }

    /// Every type deriving from `base`, directly or not, from [`Csdl::children_index`].
    fn derived_from<'s>(children: &HashMap<&'s str, Vec<&'s str>>, base: &str) -> Vec<&'s str> {
        let mut all = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut pending = vec![base];
        while let Some(current) = pending.pop() {
            for &child in children.get(current).into_iter().flatten() {
                // An inheritance cycle (which `check` rejects) must not loop here.
                if seen.insert(child) {
                    all.push(child);
                    pending.push(child);
                }
            }
        }
        all
    }

    /// The navigation properties a type declares, read on first use.
    fn declared_navigation(&self, ty: &str) -> Result<Rc<Vec<Navigation>>, LoadError> {
        if let Some(found) = self.navigation.borrow().get(ty) {
            return Ok(found.clone());
        }
        let mut navigation = Vec::new();
        if let Some(node) = self.type_nodes.get(ty) {
            for child in node
                .children()
                .filter(|n| n.tag_name().name() == "NavigationProperty")
            {
                let (target, collection) = match self.type_ref(child, self.attr(child, "Type")?)? {
                    TypeRef::Named(n) => (n, false),
                    TypeRef::Collection { item, .. } => match *item {
                        TypeRef::Named(n) => (n, true),
                        _ => {
                            return Err(self
                                .error(child, "a navigation property must target an entity type"));
                        }
                    },
                    TypeRef::Primitive(_) => {
                        return Err(
                            self.error(child, "a navigation property must target an entity type")
                        );
                    }
                };
                navigation.push(Navigation {
                    name: self.attr(child, "Name")?.to_string(),
                    target,
                    collection,
                    contained: child.attribute("ContainsTarget") == Some("true"),
                });
            }
        }
        let navigation = Rc::new(navigation);
        self.navigation
            .borrow_mut()
            .insert(ty.to_string(), navigation.clone());
        Ok(navigation)
    }

    /// The navigation properties of a type, inherited ones first.
    fn all_navigation(&self, name: &str) -> Result<Vec<(String, Navigation)>, LoadError> {
        let mut out = Vec::new();
        for ty in self.ancestry(name) {
            for n in self.declared_navigation(ty)?.iter() {
                out.push((ty.to_string(), n.clone()));
            }
        }
        Ok(out)
    }
}

/// The capability annotations that apply to one path, merged from the annotations of its entity
/// set or navigation property and of its entity type (and base types), the more specific first.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub readable: bool,
    pub readable_by_key: bool,
    pub insertable: bool,
    pub updatable: bool,
    /// `UpdateMethod`: PUT instead of PATCH.
    pub update_put: bool,
    pub deletable: bool,
    pub countable: bool,
    pub expandable: bool,
    pub top: bool,
    pub skip: bool,
    pub filterable: bool,
    pub searchable: bool,
    pub sortable: bool,
    /// Custom headers of reads (of the collection), reads by key, inserts, updates and deletes.
    pub headers: BTreeMap<&'static str, Vec<HeaderParam>>,
}

impl Csdl<'_, '_> {
    /// Capabilities for a path reached through `targets` (most specific first).
    fn capabilities(&self, targets: &[String]) -> Capabilities {
        let find =
            |term: &str| -> Option<Value> { targets.iter().find_map(|t| self.annotation(t, term)) };
        let flag = |term: &str, property: &str| -> bool {
            find(term)
                .as_ref()
                .and_then(|v| v.get(property))
                .and_then(Value::as_bool)
                .unwrap_or(true)
        };
        let plain =
            |term: &str| -> bool { find(term).as_ref().and_then(Value::as_bool).unwrap_or(true) };
        let mut headers = BTreeMap::new();
        let read = find("ReadRestrictions");
        let read_by_key = read.as_ref().and_then(|v| v.get("ReadByKeyRestrictions"));
        for (term, verb) in [
            ("ReadRestrictions", "read"),
            ("ReadByKeyRestrictions", "read-by-key"),
            ("InsertRestrictions", "insert"),
            ("UpdateRestrictions", "update"),
            ("DeleteRestrictions", "delete"),
        ] {
            let record = if term == "ReadByKeyRestrictions" {
                read_by_key.cloned()
            } else {
                find(term)
            };
            let list = record.as_ref().and_then(|v| v.get("CustomHeaders"));
            let mut found = Vec::new();
            if let Some(Value::Collection(items)) = list {
                for item in items {
                    if let Some(name) = item.get("Name").and_then(Value::as_str) {
                        found.push(HeaderParam {
                            name: name.to_string(),
                            required: item
                                .get("Required")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                            description: item
                                .get("Description")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        });
                    }
                }
            }
            headers.insert(verb, found);
        }
        let by_key = read_by_key
            .and_then(|v| v.get("Readable"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let update_put = find("UpdateRestrictions")
            .as_ref()
            .and_then(|v| v.get("UpdateMethod"))
            .and_then(Value::as_str)
            .is_some_and(|m| m.ends_with("/PUT"));
        // `ExpandRestrictions` on a navigation property says whether it can be expanded from
        // its parent, not whether the operations on its own path take `$expand`.
        let own_targets: Vec<&String> = targets
            .iter()
            .filter(|t| {
                t.split_once('/')
                    .is_none_or(|(head, _)| head == self.container_name)
            })
            .collect();
        let expandable = own_targets
            .iter()
            .find_map(|t| self.annotation(t, "ExpandRestrictions"))
            .as_ref()
            .and_then(|v| v.get("Expandable"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        Capabilities {
            readable: flag("ReadRestrictions", "Readable"),
            readable_by_key: by_key,
            insertable: flag("InsertRestrictions", "Insertable"),
            updatable: flag("UpdateRestrictions", "Updatable"),
            update_put,
            deletable: flag("DeleteRestrictions", "Deletable"),
            countable: flag("CountRestrictions", "Countable"),
            expandable,
            top: plain("TopSupported"),
            skip: plain("SkipSupported"),
            filterable: flag("FilterRestrictions", "Filterable"),
            searchable: flag("SearchRestrictions", "Searchable"),
            sortable: flag("SortRestrictions", "Sortable"),
            headers,
        }
    }
}

/// An operation on `path` with nothing else set yet.
fn operation(
    method: HttpMethod,
    path: &Path,
    kind: OperationKind,
    response: Response,
) -> Operation {
    Operation {
        id: format!("{method} {path}"),
        method,
        path: path.clone(),
        kind,
        summary: None,
        description: None,
        docs_url: None,
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
        response,
        error: Some(TypeRef::named(ODATA_ERROR)),
        permissions: None,
    }
}

impl Csdl<'_, '_> {
    /// Whether a navigation property can be followed: `NavigationRestrictions` on the property
    /// itself, or `RestrictedProperties` of the path's own restrictions, may say `Navigability`
    /// is `None`.
    fn navigable(&self, owner_targets: &[String], declaring: &str, nav: &str) -> bool {
        let none = |v: &Value| {
            v.get("Navigability")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("/None"))
        };
        if self
            .annotation(&format!("{declaring}/{nav}"), "NavigationRestrictions")
            .is_some_and(|v| none(&v))
        {
            return false;
        }
        let restrictions = owner_targets
            .iter()
            .find_map(|t| self.annotation(t, "NavigationRestrictions"));
        let restricted = restrictions
            .as_ref()
            .and_then(|v| v.get("RestrictedProperties"));
        if let Some(Value::Collection(items)) = restricted {
            for item in items {
                if item.get("NavigationProperty").and_then(Value::as_str) == Some(nav) && none(item)
                {
                    return false;
                }
            }
        }
        true
    }
}

/// Derives operations from the container, breadth first, so that the first path found to
/// each resource is a shortest one.
struct Derive<'c, 'a, 'input> {
    csdl: &'c Csdl<'a, 'input>,
    api: &'c mut Api,
    filter: &'c dyn PathFilter,
    warnings: &'c mut Vec<Warning>,
    /// What is still to derive. A queue rather than recursion: a hostile document cannot
    /// overflow the stack however deep its containment goes.
    tasks: VecDeque<Task>,
    /// With sharing: each shape already derived, and the path it was derived at.
    shapes: Option<BTreeMap<Shape, Path>>,
}

enum Task {
    Collection {
        path: Path,
        ty: String,
        targets: Vec<String>,
        visited: Vec<String>,
        depth: usize,
    },
    Entity {
        step: Step,
        readable: bool,
    },
}

/// What decides everything derived at and below a path: whether it addresses a collection, a
/// single entity or a root singleton, the entity type, and the capability annotations of the
/// path's own target (the navigation property or container member). Two paths of the same
/// shape have the same operations and children, relative to themselves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    kind: u8,
    ty: String,
    context: String,
}

/// Where a path is in the derivation.
struct Step {
    path: Path,
    /// The entity type the path addresses (an item, a singleton, a single-valued navigation).
    ty: String,
    /// Annotation targets that apply, most specific first.
    targets: Vec<String>,
    /// Entity types on the path so far, to stop at cycles.
    visited: Vec<String>,
    depth: usize,
}

impl Derive<'_, '_, '_> {
    fn run(&mut self) -> Result<(), LoadError> {
        self.container();
        while let Some(task) = self.tasks.pop_front() {
            match task {
                Task::Collection {
                    path,
                    ty,
                    targets,
                    visited,
                    depth,
                } => self.collection(path, &ty, targets, visited, depth)?,
                Task::Entity { step, readable } => self.entity(&step, readable)?,
            }
        }
        Ok(())
    }

    /// With sharing, whether `path` has a shape derived before: then it becomes a link to it.
    fn linked(&mut self, path: &Path, kind: u8, ty: &str, targets: &[String]) -> bool {
        let Some(shapes) = &mut self.shapes else {
            return false;
        };
        let context = targets
            .first()
            .map(|t| self.csdl.shape_context(t))
            .unwrap_or_default();
        let shape = Shape {
            kind,
            ty: ty.to_string(),
            context,
        };
        match shapes.get(&shape) {
            Some(target) => {
                self.api.links.push(Link {
                    path: path.clone(),
                    target: target.clone(),
                });
                true
            }
            None => {
                shapes.insert(shape, path.clone());
                false
            }
        }
    }

    fn container(&mut self) {
        let members = self.csdl.members.clone();
        for member in members {
            let path = Path {
                segments: vec![Segment::Literal(member.name.clone())],
            };
            if !self.filter.descend(&path) {
                continue;
            }
            let targets = self.type_targets(
                vec![format!("{}/{}", self.csdl.container_name, member.name)],
                &member.entity_type,
            );
            if member.singleton {
                let step = Step {
                    path,
                    ty: member.entity_type.clone(),
                    targets,
                    visited: vec![member.entity_type],
                    depth: 0,
                };
                self.tasks.push_back(Task::Entity {
                    step,
                    readable: true,
                });
            } else {
                self.tasks.push_back(Task::Collection {
                    path,
                    ty: member.entity_type,
                    targets,
                    visited: Vec::new(),
                    depth: 0,
                });
            }
        }
    }

    /// Annotation targets of a path: `first`, then the entity type and its ancestors.
    fn type_targets(&self, mut first: Vec<String>, ty: &str) -> Vec<String> {
        for o in self.csdl.ancestry(ty).into_iter().rev() {
            first.push(o.to_string());
        }
        first
    }

    /// Keeps an operation if the filter selects its path.
    fn push(&mut self, mut op: Operation) {
        if self.filter.keep(&op.path) {
            op.query.sort();
            self.api.operations.push(op);
        }
    }

    /// A collection of entities: list, create, `$count`, items.
    fn collection(
        &mut self,
        path: Path,
        ty: &str,
        targets: Vec<String>,
        visited: Vec<String>,
        depth: usize,
    ) -> Result<(), LoadError> {
        if self.linked(&path, 0, ty, &targets) {
            return Ok(());
        }
        let caps = self.csdl.capabilities(&targets);
        let entity = TypeRef::Named(ty.to_string());
        if caps.readable {
            let mut query = vec![QueryOption::Select(vec![]), QueryOption::Expand(vec![])];
            if caps.top {
                query.push(QueryOption::Top);
            }
            if caps.skip {
                query.push(QueryOption::Skip);
            }
            if caps.searchable {
                query.push(QueryOption::Search);
            }
            if caps.filterable {
                query.push(QueryOption::Filter);
            }
            if caps.countable {
                query.push(QueryOption::Count);
            }
            if caps.sortable {
                query.push(QueryOption::OrderBy(vec![]));
            }
            if !caps.expandable {
                query.retain(|q| !matches!(q, QueryOption::Expand(_)));
            }
            self.push(Operation {
                query,
                headers: caps.headers["read"].clone(),
                ..operation(
                    HttpMethod::Get,
                    &path,
                    OperationKind::Resource,
                    Response::Page(entity.clone()),
                )
            });
        }
        if caps.insertable {
            self.push(Operation {
                headers: caps.headers["insert"].clone(),
                body: Some(entity.clone()),
                ..operation(
                    HttpMethod::Post,
                    &path,
                    OperationKind::Resource,
                    Response::Single(entity.clone()),
                )
            });
        }
        if caps.countable {
            let mut count = path.clone();
            count.segments.push(Segment::Count);
            let mut query = vec![];
            if caps.searchable {
                query.push(QueryOption::Search);
            }
            if caps.filterable {
                query.push(QueryOption::Filter);
            }
            self.push(Operation {
                query,
                ..operation(
                    HttpMethod::Get,
                    &count,
                    OperationKind::Resource,
                    Response::Count,
                )
            });
        }
        self.calls(&path, ty, true)?;
        // The item.
        let mut item = path;
        let short = crate::names::short_name(ty);
        let taken: BTreeSet<String> = item
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Key { param } => Some(param.clone()),
                _ => None,
            })
            .collect();
        let mut param = format!("{short}-id");
        let mut n = 1;
        while taken.contains(&param) {
            param = format!("{short}-id{n}");
            n += 1;
        }
        item.segments.push(Segment::Key { param });
        if !self.filter.descend(&item) {
            return Ok(());
        }
        let mut visited = visited;
        visited.push(ty.to_string());
        let step = Step {
            path: item,
            ty: ty.to_string(),
            targets,
            visited,
            depth,
        };
        self.entity(&step, caps.readable_by_key)
    }

    /// One entity: get, update, delete, then its navigation and bound operations.
    fn entity(&mut self, step: &Step, readable: bool) -> Result<(), LoadError> {
        let is_root_singleton = step.path.segments.len() == 1;
        let is_item = matches!(step.path.segments.last(), Some(Segment::Key { .. }));
        // An item's shape is its collection's; a single entity has one of its own.
        if !is_item
            && self.linked(
                &step.path,
                if is_root_singleton { 2 } else { 1 },
                &step.ty,
                &step.targets,
            )
        {
            return Ok(());
        }
        let caps = self.csdl.capabilities(&step.targets);
        let entity = TypeRef::Named(step.ty.clone());
        if readable && caps.readable {
            let mut query = vec![QueryOption::Select(vec![])];
            if caps.expandable {
                query.push(QueryOption::Expand(vec![]));
            }
            // An item of a collection is read by key; a singleton or a single-valued navigation
            // property is read like a collection is.
            let headers = if is_item {
                caps.headers["read-by-key"].clone()
            } else {
                caps.headers["read"].clone()
            };
            self.push(Operation {
                query,
                headers,
                ..operation(
                    HttpMethod::Get,
                    &step.path,
                    OperationKind::Resource,
                    Response::Single(entity.clone()),
                )
            });
        }
        if caps.updatable {
            let method = if caps.update_put {
                HttpMethod::Put
            } else {
                HttpMethod::Patch
            };
            self.push(Operation {
                headers: caps.headers["update"].clone(),
                body: Some(entity.clone()),
                ..operation(
                    method,
                    &step.path,
                    OperationKind::Resource,
                    Response::Single(entity.clone()),
                )
            });
        }
        if caps.deletable && (is_item || !is_root_singleton) {
            let mut headers = vec![HeaderParam {
                name: "If-Match".into(),
                required: false,
                description: Some("ETag".into()),
            }];
            headers.extend(caps.headers["delete"].clone());
            self.push(Operation {
                headers,
                ..operation(
                    HttpMethod::Delete,
                    &step.path,
                    OperationKind::Resource,
                    Response::Empty,
                )
            });
        }
        self.calls(&step.path, &step.ty, false)?;
        let sharing = self.shapes.is_some();
        if step.depth >= MAX_DEPTH && !sharing {
            return Ok(());
        }
        for (declaring, nav) in self.csdl.all_navigation(&step.ty)? {
            let mut path = step.path.clone();
            path.segments.push(Segment::Literal(nav.name.clone()));
            if !self.filter.descend(&path)
                || !self.csdl.navigable(&step.targets, &declaring, &nav.name)
            {
                continue;
            }
            if !nav.contained || (!sharing && step.visited.contains(&nav.target)) {
                // Related entities that live elsewhere: read them here, go no deeper.
                if !nav.contained {
                    let response = if nav.collection {
                        Response::Page(TypeRef::Named(nav.target.clone()))
                    } else {
                        Response::Single(TypeRef::Named(nav.target.clone()))
                    };
                    let query = if nav.collection {
                        vec![
                            QueryOption::Select(vec![]),
                            QueryOption::Filter,
                            QueryOption::Top,
                        ]
                    } else {
                        vec![QueryOption::Select(vec![])]
                    };
                    self.push(Operation {
                        query,
                        ..operation(HttpMethod::Get, &path, OperationKind::Resource, response)
                    });
                }
                continue;
            }
            let targets = self.type_targets(vec![format!("{declaring}/{}", nav.name)], &nav.target);
            if nav.collection {
                self.tasks.push_back(Task::Collection {
                    path,
                    ty: nav.target.clone(),
                    targets,
                    visited: step.visited.clone(),
                    depth: step.depth + 1,
                });
            } else {
                let mut visited = step.visited.clone();
                visited.push(nav.target.clone());
                let step = Step {
                    path,
                    ty: nav.target.clone(),
                    targets,
                    visited,
                    depth: step.depth + 1,
                };
                self.tasks.push_back(Task::Entity {
                    step,
                    readable: true,
                });
            }
        }
        Ok(())
    }

    /// Bound actions and functions on a path.
    fn calls(&mut self, path: &Path, ty: &str, collection: bool) -> Result<(), LoadError> {
        let callables: Vec<Callable> = self
            .csdl
            .bound_to(ty, collection)?
            .into_iter()
            .cloned()
            .collect();
        let mut seen = BTreeSet::new();
        for c in callables {
            // An overload bound closer to the path's type shadows one bound to a base type.
            if !seen.insert(c.name.clone()) {
                continue;
            }
            let mut call_path = path.clone();
            let params: Vec<CallParam> = if c.kind == OperationKind::Function {
                c.params
                    .iter()
                    .map(|(name, ty, nullable)| CallParam {
                        name: name.clone(),
                        ty: ty.clone(),
                        nullable: *nullable,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            call_path.segments.push(Segment::Call {
                name: c.name.clone(),
                params,
            });
            if !self.filter.keep(&call_path) {
                continue;
            }
            let response = match &c.returns {
                None => Response::Empty,
                Some(TypeRef::Collection { item, .. }) => Response::Page((**item).clone()),
                Some(t @ TypeRef::Named(n)) if self.csdl.is_object(n) => {
                    Response::Single(t.clone())
                }
                Some(t) => Response::Value(t.clone()),
            };
            let (method, body, query) = match c.kind {
                OperationKind::Action => {
                    let body = if c.params.is_empty() {
                        None
                    } else {
                        let object = ObjectType {
                            name: String::new(),
                            kind: ObjectKind::ActionParameters,
                            base: None,
                            is_abstract: false,
                            is_open: false,
                            description: None,
                            properties: c
                                .params
                                .iter()
                                .map(|(name, ty, nullable)| Property {
                                    name: name.clone(),
                                    ty: ty.clone(),
                                    nullable: *nullable
                                        && !matches!(ty, TypeRef::Collection { .. }),
                                    read_only: false,
                                    navigation: false,
                                    description: None,
                                })
                                .collect(),
                        };
                        Some(TypeRef::Named(self.api.intern_parameters(&c.name, object)))
                    };
                    (HttpMethod::Post, body, vec![])
                }
                _ => {
                    let query = match &response {
                        Response::Page(TypeRef::Named(n)) if self.csdl.is_object(n) => vec![
                            QueryOption::Top,
                            QueryOption::Skip,
                            QueryOption::Search,
                            QueryOption::Filter,
                            QueryOption::Count,
                            QueryOption::Select(vec![]),
                            QueryOption::OrderBy(vec![]),
                            QueryOption::Expand(vec![]),
                        ],
                        _ => vec![],
                    };
                    (HttpMethod::Get, None, query)
                }
            };
            let description = self.csdl.description(&c.name);
            self.push(Operation {
                query,
                body,
                description,
                ..operation(method, &call_path, c.kind, response)
            });
        }
        let _ = &self.warnings;
        Ok(())
    }
}

/// OData's error body: `{"error": {"code", "message", "target", "details", "innerError"}}`.
fn add_odata_errors(api: &mut Api) {
    let string = |name: &str, nullable: bool| Property {
        name: name.into(),
        ty: TypeRef::Primitive(Primitive::String),
        nullable,
        read_only: false,
        navigation: false,
        description: None,
    };
    let object = |name: &str, properties: Vec<Property>| {
        TypeDef::Object(ObjectType {
            name: format!("microsoft.graph.ODataErrors.{name}"),
            kind: ObjectKind::Complex,
            base: None,
            is_abstract: false,
            is_open: true,
            description: None,
            properties,
        })
    };
    let reference = |name: &str, ty: TypeRef| Property {
        name: name.into(),
        ty,
        nullable: false,
        read_only: false,
        navigation: false,
        description: None,
    };
    let details = TypeRef::collection(TypeRef::named("microsoft.graph.ODataErrors.ErrorDetails"));
    for def in [
        object(
            "ODataError",
            vec![reference(
                "error",
                TypeRef::named("microsoft.graph.ODataErrors.MainError"),
            )],
        ),
        object(
            "MainError",
            vec![
                string("code", false),
                string("message", false),
                string("target", true),
                reference("details", details),
                reference(
                    "innerError",
                    TypeRef::named("microsoft.graph.ODataErrors.InnerError"),
                ),
            ],
        ),
        object(
            "ErrorDetails",
            vec![
                string("code", false),
                string("message", false),
                string("target", true),
            ],
        ),
        object("InnerError", vec![]),
    ] {
        api.types.entry(def.name().to_string()).or_insert(def);
    }
}
