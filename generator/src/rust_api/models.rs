//! The Rust shape of each model: a struct's fields and setters, its `Any*` enum when types
//! derive from it, and an enum's variants.

use super::{RustApi, RustType};
use crate::model::{EnumMember, EnumType, ObjectType, Property};
use crate::names::{self, SetterNames};

/// The struct of an entity, complex or action parameters type.
#[derive(Clone, Debug)]
pub struct StructApi<'a> {
    /// The model type.
    pub object: &'a ObjectType,
    /// The struct's name.
    pub ident: String,
    /// Every field, inherited ones first.
    pub fields: Vec<FieldApi<'a>>,
    /// The `Any*` enum that stands for the type wherever it is used, when types derive from it.
    pub any: Option<AnyApi<'a>>,
}

/// One field of a model struct.
#[derive(Clone, Debug)]
pub struct FieldApi<'a> {
    /// The property it holds.
    pub property: &'a Property,
    /// The field's name.
    pub ident: String,
    /// The value type, inside `Option`/`Nullable` (with its `Box`, when boxed).
    pub value: RustType,
    /// The type the setter accepts (`impl Into<…>`): the value type without its `Box`.
    pub setter_value: RustType,
    /// Whether the value is boxed to break a containment cycle.
    pub boxed: bool,
    /// Its setters.
    pub setters: SetterNames,
    /// The type (this one or an ancestor) that declares the property.
    pub declared_on: &'a str,
}

impl FieldApi<'_> {
    /// The field's type: `Option<T>` for properties that cannot be null, `Nullable<T>` for
    /// those that can.
    pub fn slot(&self) -> RustType {
        if self.property.nullable {
            self.value.clone().nullable()
        } else {
            self.value.clone().option()
        }
    }
}

/// `Any<Base>`: the base type or any type derived from it, chosen by `@odata.type`.
#[derive(Clone, Debug)]
pub struct AnyApi<'a> {
    /// The enum's name.
    pub ident: String,
    /// One variant per derived type, by name: the variant (the derived struct's name) and
    /// the type.
    pub variants: Vec<(String, &'a ObjectType)>,
}

/// The open enum of an enum type.
#[derive(Clone, Debug)]
pub struct EnumApi<'a> {
    /// The model type.
    pub enumeration: &'a EnumType,
    /// The enum's name.
    pub ident: String,
    /// One variant per member, in order.
    pub members: Vec<MemberApi<'a>>,
}

/// One member of an enum type.
#[derive(Clone, Debug)]
pub struct MemberApi<'a> {
    /// The member.
    pub member: &'a EnumMember,
    /// The variant's name.
    pub variant: String,
    /// Declared after `unknownFutureValue`: Graph sends it only when asked.
    pub after_sentinel: bool,
}

impl<'a> RustApi<'a> {
    /// The struct of an object type.
    pub fn structure(&self, object: &'a ObjectType) -> StructApi<'a> {
        let properties = self.api.all_properties(&object.name);
        let idents = names::field_names(properties.iter().map(|p| p.name.as_str()));
        let setters = names::setter_names(
            idents
                .iter()
                .zip(&properties)
                .map(|(f, p)| (f.as_str(), p.nullable)),
        );
        let fields = properties
            .iter()
            .zip(idents)
            .zip(setters)
            .map(|((p, ident), setters)| {
                let setter_value = self.value_type(&p.ty);
                let boxed = self.is_boxed(&object.name, &p.name);
                FieldApi {
                    property: p,
                    ident,
                    value: if boxed {
                        setter_value.clone().boxed()
                    } else {
                        setter_value.clone()
                    },
                    setter_value,
                    boxed,
                    setters,
                    declared_on: self.api.declaring(&object.name, &p.name),
                }
            })
            .collect();
        let any = self.any_enum(&object.name).map(|ident| AnyApi {
            ident: ident.to_string(),
            variants: self
                .derived(&object.name)
                .into_iter()
                .map(|d| (self.names.ident(&d.name).to_string(), d))
                .collect(),
        });
        StructApi {
            object,
            ident: self.names.ident(&object.name).to_string(),
            fields,
            any,
        }
    }

    /// The open enum of an enum type.
    pub fn enumeration(&self, e: &'a EnumType) -> EnumApi<'a> {
        let variants = names::variant_names(e.members.iter().map(|m| m.name.as_str()));
        let after = e.members_after_sentinel().len();
        let first_after = e.members.len() - after;
        EnumApi {
            enumeration: e,
            ident: self.names.ident(&e.name).to_string(),
            members: e
                .members
                .iter()
                .zip(variants)
                .enumerate()
                .map(|(i, (member, variant))| MemberApi {
                    member,
                    variant,
                    after_sentinel: after > 0 && i >= first_after,
                })
                .collect(),
        }
    }
}
