//! Hand-written runtime (not generated): what the generated modules are built on.
//!
//! Shared by every API version; the generator copies these files verbatim into the crates it
//! generates with `cargo xtask generate`.

#[cfg(feature = "azure-identity")]
pub mod azure;
pub mod batch;
pub mod body;
#[cfg(feature = "client")]
pub mod client;
pub mod edm;
pub mod encode;
pub mod error;
pub mod extra;
pub mod model;
pub mod node;
pub mod nullable;
pub mod open_enum;
pub mod operation;
pub mod page;
pub mod request;
pub mod timezone;

pub use model::{BodyMode, Extra, ExtraBuilder, FieldWriter, Model, Nullable, Slot};
pub use node::Node;
pub use open_enum::{Flags, OpenEnum, UnrecognizedValue};
pub use operation::{Operation, OptionalArg, PagedOperation, Permissions, RequestParts, response};
pub use page::Page;
pub use request::Request;

/// The runtime's public API, re-exported at the crate root.
pub mod exports {
    #[cfg(feature = "azure-identity")]
    pub use super::azure::{AzureIdentity, ClaimsChallenge};
    pub use super::batch::{Batch, BatchDependency, BatchKey, BatchResults};
    #[cfg(feature = "client")]
    pub use super::client::{Client, ClientBuilder, RetryPolicy, StaticToken, TokenProvider};
    pub use super::edm;
    pub use super::error::{Error, ErrorKind};
    pub use super::model::{Extra, Model, Nullable};
    pub use super::node::Node;
    pub use super::open_enum::{Flags, OpenEnum, UnrecognizedValue};
    pub use super::operation::{Operation, OptionalArg, PagedOperation, Permissions};
    pub use super::page::Page;
    pub use super::request::Request;
    pub use super::timezone::{resolve_time_zone, windows_to_iana};
}
