//! Operations derived from the entity container the way Microsoft's conversion derives them:
//! entity sets and singletons, then contained navigation, breadth first, so that the first
//! path found to each resource is a shortest one. Collections get list, create, `$count` and
//! item operations; entities get read, update and delete; bound actions and functions come
//! from [`super::calls`].
//!
//! With sharing ([`PathFilter::share`]), a path that reaches a shape already derived elsewhere
//! becomes a [`Link`] to it. A shape is what decides everything derived at and below a path:
//! whether it addresses a collection, a single entity or a root singleton, the entity type, and
//! the capability annotations of the path's own target. For example, in Graph's v1.0 a user's
//! `mailFolders/{id}/childFolders` has the shape of `mailFolders` (a collection of
//! `mailFolder` under a navigation property with the same restrictions), so it becomes a link
//! to `/users/{user-id}/mailFolders`, and the recursion is derived once instead of to a fixed
//! depth.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::annotations::Value;
use super::capabilities::Capabilities;
use super::{Csdl, MAX_DEPTH, ODATA_ERROR};
use crate::load::LoadError;
use crate::model::*;
use crate::paths::PathFilter;

/// An operation on `path` with nothing else set yet.
pub(super) fn operation(
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

/// A derivation of a container's operations into a model.
pub(super) struct Derive<'c, 'a, 'input> {
    pub(super) csdl: &'c Csdl<'a, 'input>,
    pub(super) api: &'c mut Api,
    pub(super) filter: &'c dyn PathFilter,
    /// What is still to derive. A queue rather than recursion: a hostile document cannot
    /// overflow the stack however deep its containment goes.
    tasks: VecDeque<Task>,
    /// With sharing: each shape already derived, and the path it was derived at.
    shapes: Option<BTreeMap<Shape, Path>>,
}

/// A path still to derive.
enum Task {
    /// A collection of entities (the step's type is the items').
    Collection(Step),
    /// One entity, which may be read when `readable`.
    Entity { step: Step, readable: bool },
}

/// What a path addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ShapeKind {
    /// A collection of entities.
    Collection,
    /// A single entity below a root (a single-valued navigation property).
    Entity,
    /// A singleton of the container.
    RootSingleton,
}

/// What decides everything derived at and below a path (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    kind: ShapeKind,
    ty: String,
    /// The capability annotations of the path's own target.
    context: Vec<(String, Value)>,
}

/// Where a path is in the derivation.
struct Step {
    path: Path,
    /// The entity type the path addresses (the items' for a collection).
    ty: String,
    /// Annotation targets that apply, most specific first.
    targets: Vec<String>,
    /// Entity types on the path so far, to stop at cycles.
    visited: Vec<String>,
    depth: usize,
}

impl<'c, 'a, 'input> Derive<'c, 'a, 'input> {
    /// A derivation of `csdl`'s container into `api`, along the paths `filter` admits.
    pub(super) fn new(
        csdl: &'c Csdl<'a, 'input>,
        api: &'c mut Api,
        filter: &'c dyn PathFilter,
    ) -> Self {
        Derive {
            csdl,
            api,
            filter,
            tasks: VecDeque::new(),
            shapes: filter.share().then(BTreeMap::new),
        }
    }

    /// Derives everything, breadth first.
    pub(super) fn run(&mut self) -> Result<(), LoadError> {
        self.container();
        while let Some(task) = self.tasks.pop_front() {
            match task {
                Task::Collection(step) => self.collection(step)?,
                Task::Entity { step, readable } => self.entity(&step, readable)?,
            }
        }
        Ok(())
    }

    /// With sharing, whether `path` has a shape derived before: then it becomes a link to it.
    fn linked(&mut self, path: &Path, kind: ShapeKind, ty: &str, targets: &[String]) -> bool {
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

    /// The entity sets and singletons the filter may lead into.
    fn container(&mut self) {
        for member in &self.csdl.members {
            let path = Path::new(vec![Segment::Literal(member.name.clone())]);
            if !self.filter.descend(&path) {
                continue;
            }
            let targets = self.type_targets(
                vec![format!("{}/{}", self.csdl.container_name, member.name)],
                &member.entity_type,
            );
            let ty = member.entity_type.clone();
            self.tasks.push_back(if member.singleton {
                Task::Entity {
                    step: Step {
                        path,
                        visited: vec![ty.clone()],
                        ty,
                        targets,
                        depth: 0,
                    },
                    readable: true,
                }
            } else {
                Task::Collection(Step {
                    path,
                    ty,
                    targets,
                    visited: Vec::new(),
                    depth: 0,
                })
            });
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
    pub(super) fn push(&mut self, mut op: Operation) {
        if self.filter.keep(&op.path) {
            op.query.sort();
            self.api.operations.push(op);
        }
    }

    /// A collection of entities: list, create, `$count`, calls, then the item.
    fn collection(&mut self, step: Step) -> Result<(), LoadError> {
        if self.linked(&step.path, ShapeKind::Collection, &step.ty, &step.targets) {
            return Ok(());
        }
        let caps = self.csdl.capabilities(&step.targets);
        self.collection_operations(&step.path, &step.ty, &caps);
        self.calls(&step.path, &step.ty, true)?;
        let mut item = step.path;
        let taken: BTreeSet<String> = item
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Key { param } => Some(param.clone()),
                _ => None,
            })
            .collect();
        let param = crate::names::key_parameter(&step.ty, &taken);
        item.segments.push(Segment::Key { param });
        if !self.filter.descend(&item) {
            return Ok(());
        }
        let mut visited = step.visited;
        visited.push(step.ty.clone());
        let item = Step {
            path: item,
            visited,
            ..step
        };
        self.entity(&item, caps.readable_by_key)
    }

    /// List, create and `$count` of a collection, as its capabilities allow.
    fn collection_operations(&mut self, path: &Path, ty: &str, caps: &Capabilities) {
        let entity = TypeRef::Named(ty.to_string());
        if caps.readable {
            let mut query = vec![QueryOption::Select(vec![])];
            let optional = [
                (caps.expandable, QueryOption::Expand(vec![])),
                (caps.top, QueryOption::Top),
                (caps.skip, QueryOption::Skip),
                (caps.searchable, QueryOption::Search),
                (caps.filterable, QueryOption::Filter),
                (caps.countable, QueryOption::Count),
                (caps.sortable, QueryOption::OrderBy(vec![])),
            ];
            query.extend(optional.into_iter().filter(|(on, _)| *on).map(|(_, q)| q));
            let page = Response::Page(entity.clone());
            self.push(Operation {
                query,
                headers: caps.headers.read.clone(),
                ..operation(HttpMethod::Get, path, OperationKind::Resource, page)
            });
        }
        if caps.insertable {
            let created = Response::Single(entity.clone());
            self.push(Operation {
                headers: caps.headers.insert.clone(),
                body: Some(entity),
                ..operation(HttpMethod::Post, path, OperationKind::Resource, created)
            });
        }
        if caps.countable {
            let mut count = path.clone();
            count.segments.push(Segment::Count);
            let query = [
                (caps.searchable, QueryOption::Search),
                (caps.filterable, QueryOption::Filter),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, q)| q)
            .collect();
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
    }

    /// One entity: read, update, delete, calls, then its navigation.
    fn entity(&mut self, step: &Step, readable: bool) -> Result<(), LoadError> {
        let is_root_singleton = step.path.segments.len() == 1;
        let is_item = matches!(step.path.segments.last(), Some(Segment::Key { .. }));
        let kind = if is_root_singleton {
            ShapeKind::RootSingleton
        } else {
            ShapeKind::Entity
        };
        // An item's shape is its collection's; a single entity has one of its own.
        if !is_item && self.linked(&step.path, kind, &step.ty, &step.targets) {
            return Ok(());
        }
        let caps = self.csdl.capabilities(&step.targets);
        self.entity_operations(step, readable && caps.readable, is_item, &caps);
        if caps.deletable && (is_item || !is_root_singleton) {
            let mut headers = vec![HeaderParam {
                name: "If-Match".into(),
                required: false,
                description: Some("ETag".into()),
            }];
            headers.extend(caps.headers.delete.iter().cloned());
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
        if step.depth >= MAX_DEPTH && self.shapes.is_none() {
            return Ok(());
        }
        self.navigation(step)
    }

    /// Read and update of an entity, as its capabilities allow.
    fn entity_operations(
        &mut self,
        step: &Step,
        readable: bool,
        is_item: bool,
        caps: &Capabilities,
    ) {
        let entity = TypeRef::Named(step.ty.clone());
        if readable {
            let mut query = vec![QueryOption::Select(vec![])];
            if caps.expandable {
                query.push(QueryOption::Expand(vec![]));
            }
            // An item of a collection is read by key; a singleton or a single-valued navigation
            // property is read like a collection is.
            let headers = if is_item {
                caps.headers.read_by_key.clone()
            } else {
                caps.headers.read.clone()
            };
            let read = Response::Single(entity.clone());
            self.push(Operation {
                query,
                headers,
                ..operation(HttpMethod::Get, &step.path, OperationKind::Resource, read)
            });
        }
        if caps.updatable {
            let method = if caps.update_put {
                HttpMethod::Put
            } else {
                HttpMethod::Patch
            };
            let updated = Response::single(method, entity.clone());
            self.push(Operation {
                headers: caps.headers.update.clone(),
                body: Some(entity),
                ..operation(method, &step.path, OperationKind::Resource, updated)
            });
        }
    }

    /// The navigation properties of an entity: related entities are read where they are met;
    /// contained ones are derived further (queued).
    fn navigation(&mut self, step: &Step) -> Result<(), LoadError> {
        let sharing = self.shapes.is_some();
        for (declaring, nav) in self.csdl.all_navigation(&step.ty)? {
            let mut path = step.path.clone();
            path.segments.push(Segment::Literal(nav.name.clone()));
            if !self.filter.descend(&path)
                || !self.csdl.navigable(&step.targets, &declaring, &nav.name)
            {
                continue;
            }
            if !nav.contained {
                // Related entities that live elsewhere: read them here, go no deeper.
                let target = TypeRef::Named(nav.target.clone());
                let (response, query) = if nav.collection {
                    let query = vec![
                        QueryOption::Select(vec![]),
                        QueryOption::Filter,
                        QueryOption::Top,
                    ];
                    (Response::Page(target), query)
                } else {
                    (Response::Single(target), vec![QueryOption::Select(vec![])])
                };
                self.push(Operation {
                    query,
                    ..operation(HttpMethod::Get, &path, OperationKind::Resource, response)
                });
                continue;
            }
            if !sharing && step.visited.contains(&nav.target) {
                continue;
            }
            let targets = self.type_targets(vec![format!("{declaring}/{}", nav.name)], &nav.target);
            let mut next = Step {
                path,
                ty: nav.target.clone(),
                targets,
                visited: step.visited.clone(),
                depth: step.depth + 1,
            };
            self.tasks.push_back(if nav.collection {
                Task::Collection(next)
            } else {
                next.visited.push(nav.target.clone());
                Task::Entity {
                    step: next,
                    readable: true,
                }
            });
        }
        Ok(())
    }
}
