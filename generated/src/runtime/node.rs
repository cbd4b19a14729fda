//! Hand-written runtime (not generated): the one type every generated navigation node is.
//!
//! A node (`Teams`, `TeamsItem`, `TeamsItemSchedule`, ...) is where a path has got to: its
//! methods are the path's next segments and the operations there. Each is a type alias of
//! [`Node`] with a marker type of its own, so that what all nodes share (the path, `Clone`,
//! `PartialEq`, `Debug`) is written and compiled once, not once per node: the whole v1.0 API
//! has 1,921 of them. The alias keeps the node's own methods in an inherent impl.

use std::fmt;
use std::marker::PhantomData;

/// A position in the URL space of Graph: a path, percent-encoded, below the version segment.
/// Every generated navigation node is one (through a type alias).
pub struct Node<M> {
    pub(crate) path: String,
    /// `fn() -> M`: the marker names the node; it is never held, so it changes neither the
    /// auto traits nor drop checking.
    marker: PhantomData<fn() -> M>,
}

impl<M> Node<M> {
    /// The node at `path`, already encoded: only generated code makes nodes, so that a path
    /// is always encoded.
    pub(crate) fn at(path: String) -> Self {
        Node {
            path,
            marker: PhantomData,
        }
    }

    /// The path this node addresses, percent-encoded, below the version segment.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl<M> Clone for Node<M> {
    fn clone(&self) -> Self {
        Node::at(self.path.clone())
    }
}

impl<M> PartialEq for Node<M> {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl<M> Eq for Node<M> {}

impl<M> fmt::Debug for Node<M> {
    /// Named after the node (`TeamsItem { path: "/teams/t1" }`), as its alias is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(marker_name::<M>())
            .field("path", &self.path)
            .finish()
    }
}

/// The name of a marker type without its path: the name of the node or operation it marks.
pub(crate) fn marker_name<M>() -> &'static str {
    let marker = std::any::type_name::<M>();
    marker.rsplit("::").next().unwrap_or(marker)
}

#[cfg(test)]
mod tests {
    use super::Node;

    enum TeamsItem {}

    #[test]
    fn debug_and_equality_are_the_path_under_the_node_name() {
        let node = Node::<TeamsItem>::at("/teams/t1".into());
        assert_eq!(format!("{node:?}"), r#"TeamsItem { path: "/teams/t1" }"#);
        assert_eq!(node.clone(), node);
        assert_ne!(node, Node::at("/teams/t2".into()));
        assert_eq!(node.path(), "/teams/t1");
    }
}
