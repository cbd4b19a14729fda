//! The index of a parsed CSDL document: its schemas, types, actions and functions, container
//! and annotation elements, by qualified name, with the lookups derivation needs.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use roxmltree::{Document, Node};
use rustc_hash::FxHashMap as HashMap;

use super::annotations::Value;
use crate::load::{LoadError, Warning};
use crate::model::*;

/// A navigation property, as derivation needs it.
#[derive(Clone, Debug)]
pub(super) struct Navigation {
    /// Its name.
    pub(super) name: String,
    /// Qualified target type.
    pub(super) target: String,
    /// Whether it leads to a collection.
    pub(super) collection: bool,
    /// Whether the target is contained (addressed below this path) rather than related.
    pub(super) contained: bool,
}

/// A bound or unbound action or function.
#[derive(Clone, Debug)]
pub(super) struct Callable {
    /// Qualified name: `microsoft.graph.occurrencesView`.
    pub(super) name: String,
    /// Action or function.
    pub(super) kind: OperationKind,
    /// The binding parameter's type, for bound operations.
    pub(super) binding: Option<TypeRef>,
    /// The other parameters.
    pub(super) params: Vec<CallParam>,
    /// What it returns, if anything.
    pub(super) returns: Option<TypeRef>,
    /// Where the element starts in the document (a byte offset; see [`Csdl::line_at`]).
    pub(super) position: usize,
}

/// What a binding parameter's type binds to: the type, and whether it is a collection of it.
pub(super) fn binding_key(binding: &TypeRef) -> Option<(String, bool)> {
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
pub(super) struct ContainerMember {
    /// Its name: `users`.
    pub(super) name: String,
    /// The qualified entity type it holds.
    pub(super) entity_type: String,
    /// A singleton rather than an entity set.
    pub(super) singleton: bool,
}

/// A parsed CSDL document, before operations are derived.
pub(super) struct Csdl<'a, 'input> {
    /// The document.
    pub(super) document: &'a Document<'input>,
    /// How messages name it.
    pub(super) file: String,
    /// Alias → namespace.
    pub(super) aliases: BTreeMap<String, String>,
    /// Qualified name → type element.
    pub(super) type_nodes: HashMap<String, Node<'a, 'input>>,
    /// Qualified name → underlying type of a `TypeDefinition`.
    pub(super) definitions: BTreeMap<String, String>,
    /// Entity or complex type → its base type, both qualified.
    pub(super) bases: HashMap<String, String>,
    /// Type → its declared navigation properties, read when first asked for.
    pub(super) navigation: RefCell<HashMap<String, Rc<Vec<Navigation>>>>,
    /// Every `Action` and `Function` element with its schema's namespace, parsed into
    /// `callables` on first use.
    pub(super) callable_nodes: Vec<(Node<'a, 'input>, Rc<str>)>,
    /// The parsed `callable_nodes`.
    pub(super) callables: Vec<OnceCell<Callable>>,
    /// The container's qualified name: `microsoft.graph.GraphService`.
    pub(super) container_name: String,
    /// The namespace of the schema holding the container (else of the first schema): the
    /// service's own.
    pub(super) namespace: String,
    /// Entity sets and singletons, in document order.
    pub(super) members: Vec<ContainerMember>,
    /// Bound actions and functions by binding: (type, whether bound to a collection) → indexes
    /// into `callables`, in document order.
    pub(super) bound: HashMap<(String, bool), Vec<usize>>,
    /// Normalized target → its `Annotation` elements (inline or in `Annotations`), in document
    /// order: a later one wins. Parsed only for the targets asked for: slicing a family out of
    /// the whole API reads a handful of the tens of thousands.
    pub(super) annotation_nodes: HashMap<Cow<'a, str>, Vec<Node<'a, 'input>>>,
    /// Parsed annotations of the targets asked for so far: term (without its vocabulary
    /// namespace for Core and Capabilities) → value.
    pub(super) annotations: RefCell<HashMap<String, Rc<BTreeMap<String, Value>>>>,
    /// What indexing skipped.
    pub(super) warnings: Vec<Warning>,
}

impl<'a, 'input> Csdl<'a, 'input> {
    /// Indexes the schemas of a parsed document: names and aliases first, then types, then
    /// everything that refers to types (annotations, actions and functions, the container).
    pub(super) fn read(
        document: &'a Document<'input>,
        file: &str,
    ) -> Result<Csdl<'a, 'input>, LoadError> {
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
            namespace: String::new(),
            members: Vec::new(),
            bound: HashMap::default(),
            annotation_nodes: HashMap::default(),
            annotations: RefCell::new(HashMap::default()),
            warnings: Vec::new(),
        };
        let schemas = csdl.schemas()?;
        for schema in &schemas {
            let namespace = csdl.attr(*schema, "Namespace")?.to_string();
            if csdl.namespace.is_empty() {
                csdl.namespace = namespace.clone();
            }
            if let Some(alias) = schema.attribute("Alias") {
                csdl.aliases.insert(alias.to_string(), namespace);
            }
        }
        for schema in &schemas {
            csdl.index_types(*schema)?;
        }
        for schema in &schemas {
            csdl.index_elements(*schema)?;
        }
        Ok(csdl)
    }

    /// The `Schema` elements, after checking the root and the version.
    fn schemas(&self) -> Result<Vec<Node<'a, 'input>>, LoadError> {
        let root = self.document.root_element();
        if root.tag_name().name() != "Edmx" {
            return Err(self.error(
                root,
                format!(
                    "expected an `edmx:Edmx` root element, found `{}`",
                    root.tag_name().name()
                ),
            ));
        }
        if let Some(version) = root.attribute("Version") {
            if !version.starts_with('4') {
                return Err(self.error(
                    root,
                    format!("CSDL version {version} is not supported; only 4.0 is"),
                ));
            }
        }
        let schemas: Vec<Node> = root
            .children()
            .filter(|n| n.tag_name().name() == "DataServices")
            .flat_map(|d| d.children().filter(|n| n.tag_name().name() == "Schema"))
            .collect();
        if schemas.is_empty() {
            return Err(self.error(root, "no `Schema` element under `edmx:DataServices`"));
        }
        Ok(schemas)
    }

    /// The type elements and type definitions of a schema.
    fn index_types(&mut self, schema: Node<'a, 'input>) -> Result<(), LoadError> {
        let namespace = self.attr(schema, "Namespace")?.to_string();
        for node in schema.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "EntityType" | "ComplexType" | "EnumType" => {
                    let name = qualified(&namespace, self.attr(node, "Name")?);
                    if let Some(base) = node.attribute("BaseType") {
                        self.bases.insert(name.clone(), self.qualify(base));
                    }
                    if self.type_nodes.insert(name.clone(), node).is_some() {
                        return Err(self.error(node, format!("type `{name}` is defined twice")));
                    }
                }
                "TypeDefinition" => {
                    let name = qualified(&namespace, self.attr(node, "Name")?);
                    self.definitions
                        .insert(name, self.attr(node, "UnderlyingType")?.to_string());
                }
                "Action" | "Function" | "EntityContainer" | "Annotations" | "Term" => {}
                other => self.warn(node, format!("`{other}` elements are not read")),
            }
        }
        Ok(())
    }

    /// The annotations, actions and functions, and container of a schema.
    fn index_elements(&mut self, schema: Node<'a, 'input>) -> Result<(), LoadError> {
        let namespace = self.attr(schema, "Namespace")?.to_string();
        for node in schema.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "EntityType" | "ComplexType" | "EnumType" => {
                    let name = qualified(&namespace, self.attr(node, "Name")?);
                    self.note_member_annotations(node, &name)?;
                }
                "Action" | "Function" => self.index_callable(node, &namespace)?,
                "EntityContainer" => self.index_container(node, &namespace)?,
                "Annotations" => {
                    let target = self.qualify_target(self.attr(node, "Target")?);
                    let mut annotations = Vec::new();
                    for annotation in node
                        .children()
                        .filter(|n| n.tag_name().name() == "Annotation")
                    {
                        self.attr(annotation, "Term")?;
                        annotations.push(annotation);
                    }
                    self.annotation_nodes
                        .entry(target)
                        .or_default()
                        .extend(annotations);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The inline annotations of a type and of its properties or members.
    fn note_member_annotations(
        &mut self,
        node: Node<'a, 'input>,
        name: &str,
    ) -> Result<(), LoadError> {
        self.note_inline_annotations(node, || name.to_string())?;
        for child in node.children().filter(|n| {
            matches!(
                n.tag_name().name(),
                "Property" | "NavigationProperty" | "Member"
            )
        }) {
            self.note_inline_annotations(child, || {
                format!("{name}/{}", child.attribute("Name").unwrap_or_default())
            })?;
        }
        Ok(())
    }

    /// An action or function: its annotations, its binding, and its element for later.
    fn index_callable(&mut self, node: Node<'a, 'input>, namespace: &str) -> Result<(), LoadError> {
        let name = self.attr(node, "Name")?;
        self.note_inline_annotations(node, || format!("{namespace}.{name}"))?;
        if let Some(binding) = self.binding_of(node)? {
            self.bound
                .entry(binding)
                .or_default()
                .push(self.callables.len());
        }
        let shared = match self.callable_nodes.last() {
            Some((_, ns)) if **ns == *namespace => ns.clone(),
            _ => Rc::from(namespace),
        };
        self.callable_nodes.push((node, shared));
        self.callables.push(OnceCell::new());
        Ok(())
    }

    /// The entity container: its name (and the service namespace), and its members.
    fn index_container(
        &mut self,
        node: Node<'a, 'input>,
        namespace: &str,
    ) -> Result<(), LoadError> {
        self.container_name = qualified(namespace, self.attr(node, "Name")?);
        self.namespace = namespace.to_string();
        for member in node.children().filter(Node::is_element) {
            let kind = member.tag_name().name();
            let (singleton, attribute) = match kind {
                "EntitySet" => (false, "EntityType"),
                "Singleton" => (true, "Type"),
                _ => {
                    self.warn(
                        member,
                        format!("container `{kind}` elements are not generated"),
                    );
                    continue;
                }
            };
            let name = self.attr(member, "Name")?.to_string();
            let entity_type = self.qualify(self.attr(member, attribute)?);
            let container = self.container_name.clone();
            self.note_inline_annotations(member, || format!("{container}/{name}"))?;
            self.members.push(ContainerMember {
                name,
                entity_type,
                singleton,
            });
        }
        Ok(())
    }

    pub(super) fn line(&self, node: Node) -> u32 {
        self.line_at(node.range().start)
    }

    /// The line of a byte offset. Counting lines costs a scan of the document up to it, so it
    /// is only done for errors and warnings.
    pub(super) fn line_at(&self, position: usize) -> u32 {
        self.document.text_pos_at(position).row
    }

    pub(super) fn error(&self, node: Node, message: impl Into<String>) -> LoadError {
        let pos = self.document.text_pos_at(node.range().start);
        LoadError {
            file: self.file.clone(),
            place: format!("line {}, column {}", pos.row, pos.col),
            message: message.into(),
        }
    }

    pub(super) fn warn(&mut self, node: Node, message: impl Into<String>) {
        let place = format!("line {}", self.line(node));
        self.warnings.push(Warning {
            place,
            message: message.into(),
        });
    }

    pub(super) fn attr<'n>(&self, node: Node<'n, '_>, name: &str) -> Result<&'n str, LoadError> {
        node.attribute(name).ok_or_else(|| {
            self.error(
                node,
                format!("`{}` has no `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// `graph.user` → `microsoft.graph.user`, for any alias of the document.
    pub(super) fn qualify(&self, name: &str) -> String {
        if let Some((first, rest)) = name.split_once('.') {
            if let Some(namespace) = self.aliases.get(first) {
                return qualified(namespace, rest);
            }
        }
        name.to_string()
    }

    /// An annotation target with aliases resolved in each `/`-separated part: borrowed when
    /// there is no alias to resolve (Microsoft writes its targets in full).
    pub(super) fn qualify_target<'t>(&self, target: &'t str) -> Cow<'t, str> {
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
    pub(super) fn type_ref(&self, node: Node, text: &str) -> Result<TypeRef, LoadError> {
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
}

/// `namespace.name`, without the formatting machinery (thousands of these per document).
pub(super) fn qualified(namespace: &str, name: &str) -> String {
    let mut out = String::with_capacity(namespace.len() + 1 + name.len());
    out.push_str(namespace);
    out.push('.');
    out.push_str(name);
    out
}
