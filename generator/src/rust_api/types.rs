//! Rust types as the generated code writes them, structured: printed as tokens by the
//! emitter and as text (without crate paths, the way users read them) by the change report.

use std::fmt;

use crate::model::Primitive;

/// A Rust type of the generated code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RustType {
    /// A primitive of the language: `bool`, `u8`, `i64`, ...
    Scalar(&'static str),
    /// `String`
    String,
    /// A wire type of the runtime: `crate::runtime::edm::DateTimeOffset`, shown `edm::…`.
    Edm(&'static str),
    /// `serde_json::Value`: any JSON.
    Json,
    /// A model of the version module: `crate::<module>::models::X`.
    Model(String),
    /// `crate::runtime::Flags<T>`: several members of a flags enum.
    Flags(Box<RustType>),
    /// `Vec<T>`
    Vec(Box<RustType>),
    /// `Option<T>`
    Option(Box<RustType>),
    /// `crate::runtime::Nullable<T>`: absent, `null`, or a value.
    Nullable(Box<RustType>),
    /// `Box<T>`
    Boxed(Box<RustType>),
    /// `crate::runtime::Page<T>`: a page of a collection.
    Page(Box<RustType>),
    /// `()`
    Unit,
    /// `impl Into<T>`, in argument position.
    ImplInto(Box<RustType>),
    /// `impl crate::runtime::OptionalArg<T>`, in argument position: a `T` or `None`.
    ImplOptionalArg(Box<RustType>),
}

impl RustType {
    /// The Rust type of an `Edm` primitive.
    pub fn primitive(p: Primitive) -> RustType {
        match p {
            Primitive::String => RustType::String,
            Primitive::Boolean => RustType::Scalar("bool"),
            Primitive::Byte => RustType::Scalar("u8"),
            Primitive::SByte => RustType::Scalar("i8"),
            Primitive::Int16 => RustType::Scalar("i16"),
            Primitive::Int32 => RustType::Scalar("i32"),
            Primitive::Int64 => RustType::Scalar("i64"),
            Primitive::Single | Primitive::Double => RustType::Edm("Double"),
            Primitive::Decimal => RustType::Edm("Decimal"),
            Primitive::DateTimeOffset => RustType::Edm("DateTimeOffset"),
            Primitive::Date => RustType::Edm("Date"),
            Primitive::TimeOfDay => RustType::Edm("TimeOfDay"),
            Primitive::Duration => RustType::Edm("Duration"),
            Primitive::Guid => RustType::Edm("Guid"),
            Primitive::Binary => RustType::Edm("Binary"),
            Primitive::Stream | Primitive::Untyped => RustType::Json,
        }
    }

    /// `Vec<self>`
    pub fn vec(self) -> RustType {
        RustType::Vec(Box::new(self))
    }

    /// `Option<self>`
    pub fn option(self) -> RustType {
        RustType::Option(Box::new(self))
    }

    /// `Nullable<self>`
    pub fn nullable(self) -> RustType {
        RustType::Nullable(Box::new(self))
    }

    /// `Box<self>`
    pub fn boxed(self) -> RustType {
        RustType::Boxed(Box::new(self))
    }
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let generic =
            |f: &mut fmt::Formatter<'_>, name: &str, inner: &RustType| write!(f, "{name}<{inner}>");
        match self {
            RustType::Scalar(s) => f.write_str(s),
            RustType::String => f.write_str("String"),
            RustType::Edm(name) => write!(f, "edm::{name}"),
            RustType::Json => f.write_str("serde_json::Value"),
            RustType::Model(name) => f.write_str(name),
            RustType::Flags(t) => generic(f, "Flags", t),
            RustType::Vec(t) => generic(f, "Vec", t),
            RustType::Option(t) => generic(f, "Option", t),
            RustType::Nullable(t) => generic(f, "Nullable", t),
            RustType::Boxed(t) => generic(f, "Box", t),
            RustType::Page(t) => generic(f, "Page", t),
            RustType::Unit => f.write_str("()"),
            RustType::ImplInto(t) => generic(f, "impl Into", t),
            RustType::ImplOptionalArg(t) => generic(f, "impl OptionalArg", t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_like_code() {
        let t = RustType::Model("AnyIdentitySet".into()).vec().nullable();
        assert_eq!(t.to_string(), "Nullable<Vec<AnyIdentitySet>>");
        assert_eq!(
            RustType::ImplInto(Box::new(RustType::String)).to_string(),
            "impl Into<String>"
        );
        assert_eq!(
            RustType::primitive(Primitive::DateTimeOffset)
                .option()
                .to_string(),
            "Option<edm::DateTimeOffset>"
        );
        assert_eq!(RustType::Json.to_string(), "serde_json::Value");
    }
}
