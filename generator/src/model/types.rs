//! Types: entity, complex and enum types, their properties, and references to types.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeDef {
    /// An entity type, complex type, or action parameter object.
    Object(ObjectType),
    /// An enumeration.
    Enum(EnumType),
}

impl TypeDef {
    /// The qualified name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Object(o) => &o.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
    /// The description the document gives, if any.
    pub fn description(&self) -> Option<&str> {
        match self {
            TypeDef::Object(o) => o.description.as_deref(),
            TypeDef::Enum(e) => e.description.as_deref(),
        }
    }
}

/// What an object type stands for in OData.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ObjectKind {
    /// An entity type: has a key, can be addressed by URL.
    Entity,
    /// A complex (structured, keyless) type.
    Complex,
    /// The parameters of an action, sent as its JSON body. Not an OData type of its own.
    ActionParameters {
        /// The action's qualified name: `microsoft.graph.setCurrentLocation`.
        action: String,
    },
}

impl ObjectKind {
    /// `entity`, `complex`, `actionparameters`: how the change report names a kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            ObjectKind::Entity => "entity",
            ObjectKind::Complex => "complex",
            ObjectKind::ActionParameters { .. } => "actionparameters",
        }
    }

    /// Whether this is the parameter object of an action.
    pub fn is_action_parameters(&self) -> bool {
        matches!(self, ObjectKind::ActionParameters { .. })
    }
}

/// Reads both the current form and the unit variant `"ActionParameters"` of model records
/// written before the action was recorded (its action is then empty; see
/// [`crate::changes::record`], which restores it).
impl<'de> Deserialize<'de> for ObjectKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        enum Current {
            Entity,
            Complex,
            ActionParameters { action: String },
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Current(Current),
            Legacy(String),
        }
        Ok(match Written::deserialize(deserializer)? {
            Written::Current(Current::Entity) => ObjectKind::Entity,
            Written::Current(Current::Complex) => ObjectKind::Complex,
            Written::Current(Current::ActionParameters { action }) => {
                ObjectKind::ActionParameters { action }
            }
            Written::Legacy(kind) if kind == "ActionParameters" => ObjectKind::ActionParameters {
                action: String::new(),
            },
            Written::Legacy(other) => {
                return Err(serde::de::Error::unknown_variant(
                    &other,
                    &["Entity", "Complex", "ActionParameters"],
                ));
            }
        })
    }
}

/// An entity type, complex type, or action parameter object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectType {
    /// Qualified name: `microsoft.graph.workPlanOccurrence`.
    pub name: String,
    /// Entity, complex type or action parameters.
    pub kind: ObjectKind,
    /// Qualified name of the base type, if any.
    pub base: Option<String>,
    /// Abstract types are only sent and received as one of their derived types.
    pub is_abstract: bool,
    /// Open types accept dynamic properties; every Graph model keeps unknown properties anyway,
    /// so this is informational.
    pub is_open: bool,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Properties declared on this type, not inherited ones, in document order.
    pub properties: Vec<Property>,
}

impl ObjectType {
    /// A property this type declares, to change it.
    pub fn property_mut(&mut self, name: &str) -> Option<&mut Property> {
        self.properties.iter_mut().find(|p| p.name == name)
    }
}

/// A structural or navigation property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The name on the wire (`placeId`).
    pub name: String,
    /// The property's type.
    pub ty: TypeRef,
    /// Whether `null` is a legal value (distinct from the property being absent).
    pub nullable: bool,
    /// Computed by the service: sent in answers, not taken in requests.
    pub read_only: bool,
    /// Navigation properties only appear in payloads with `$expand` (or when creating deep).
    pub navigation: bool,
    /// Set when the object is created, never changed after (CSDL `Core.Immutable`): not sent
    /// in the body of an update.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub immutable: bool,
    /// Part of the entity's key (`id`): the service assigns it, so no request body sends it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
    /// The description the document gives, if any.
    pub description: Option<String>,
}

/// A reference to a type from a property, parameter, body or response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TypeRef {
    /// An `Edm` primitive.
    Primitive(Primitive),
    /// A named type by qualified name.
    Named(String),
    /// A JSON array; `item_nullable` says whether elements may be `null`.
    Collection {
        /// The type of the elements.
        item: Box<TypeRef>,
        /// Whether elements may be `null`.
        item_nullable: bool,
    },
}

impl TypeRef {
    /// A reference to a named type.
    pub fn named(name: impl Into<String>) -> Self {
        TypeRef::Named(name.into())
    }
    /// A collection whose elements are never `null`.
    pub fn collection(item: TypeRef) -> Self {
        TypeRef::Collection {
            item: Box::new(item),
            item_nullable: false,
        }
    }
    /// The named type at the bottom of this reference, looking through collections.
    pub fn named_type(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Collection { item, .. } => item.named_type(),
            TypeRef::Primitive(_) => None,
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Primitive(p) => write!(f, "{}", p.edm_name()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::Collection { item, .. } => write!(f, "Collection({item})"),
        }
    }
}

/// OData's primitive types (`Edm.*`), plus `Untyped` for values of any JSON shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Primitive {
    /// `Edm.String`
    String,
    /// `Edm.Boolean`
    Boolean,
    /// `Edm.Byte`
    Byte,
    /// `Edm.SByte`
    SByte,
    /// `Edm.Int16`
    Int16,
    /// `Edm.Int32`
    Int32,
    /// `Edm.Int64`
    Int64,
    /// `Edm.Single`
    Single,
    /// `Edm.Double`
    Double,
    /// `Edm.Decimal`
    Decimal,
    /// `Edm.DateTimeOffset`
    DateTimeOffset,
    /// `Edm.Date`
    Date,
    /// `Edm.TimeOfDay`
    TimeOfDay,
    /// `Edm.Duration`
    Duration,
    /// `Edm.Guid`
    Guid,
    /// `Edm.Binary`
    Binary,
    /// `Edm.Stream`
    Stream,
    /// `Edm.Untyped`: any JSON value.
    Untyped,
}

impl Primitive {
    /// Every primitive.
    pub const ALL: [Primitive; 18] = [
        Primitive::String,
        Primitive::Boolean,
        Primitive::Byte,
        Primitive::SByte,
        Primitive::Int16,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Decimal,
        Primitive::DateTimeOffset,
        Primitive::Date,
        Primitive::TimeOfDay,
        Primitive::Duration,
        Primitive::Guid,
        Primitive::Binary,
        Primitive::Stream,
        Primitive::Untyped,
    ];

    /// The CSDL spelling: `Edm.DateTimeOffset`.
    pub fn edm_name(self) -> &'static str {
        match self {
            Primitive::String => "Edm.String",
            Primitive::Boolean => "Edm.Boolean",
            Primitive::Byte => "Edm.Byte",
            Primitive::SByte => "Edm.SByte",
            Primitive::Int16 => "Edm.Int16",
            Primitive::Int32 => "Edm.Int32",
            Primitive::Int64 => "Edm.Int64",
            Primitive::Single => "Edm.Single",
            Primitive::Double => "Edm.Double",
            Primitive::Decimal => "Edm.Decimal",
            Primitive::DateTimeOffset => "Edm.DateTimeOffset",
            Primitive::Date => "Edm.Date",
            Primitive::TimeOfDay => "Edm.TimeOfDay",
            Primitive::Duration => "Edm.Duration",
            Primitive::Guid => "Edm.Guid",
            Primitive::Binary => "Edm.Binary",
            Primitive::Stream => "Edm.Stream",
            Primitive::Untyped => "Edm.Untyped",
        }
    }

    /// The primitive a CSDL name spells, if it is one.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.edm_name() == name)
    }
}

/// An enumeration. Graph serializes members by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumType {
    /// Qualified name: `microsoft.graph.workLocationType`.
    pub name: String,
    /// The description the document gives, if any.
    pub description: Option<String>,
    /// Members in declaration order.
    pub members: Vec<EnumMember>,
    /// Flags enums carry several members at once, comma-separated on the wire.
    pub flags: bool,
}

/// The member Graph uses to mark where an evolvable enum ends for clients that did not opt in.
pub const UNKNOWN_FUTURE_VALUE: &str = "unknownFutureValue";

impl EnumType {
    /// Members declared after `unknownFutureValue`: Graph sends the sentinel in their place
    /// unless the request says `Prefer: include-unknown-enum-members`.
    pub fn members_after_sentinel(&self) -> &[EnumMember] {
        match self
            .members
            .iter()
            .position(|m| m.name == UNKNOWN_FUTURE_VALUE)
        {
            Some(i) => &self.members[i + 1..],
            None => &[],
        }
    }
}

/// A member of an enumeration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumMember {
    /// The name on the wire.
    pub name: String,
    /// The numeric value CSDL gives it (not used on the wire).
    pub value: Option<i64>,
    /// The description the document gives, if any.
    pub description: Option<String>,
}
