//! The rules of the change report, in one table: each kind of change the report knows, how it
//! is classified, and why, in terms of what the generator emits. Like cargo-semver-checks'
//! lints and oasdiff's checks, every rule has an id (shown in the JSON report), and a unit test
//! (`changes/tests.rs`) that makes it fire.
//!
//! A reason is a template: `{name}` stands for a value the comparison gives when it makes the
//! change ([`ChangeBuilder::with`]).

use serde::Serialize;

use super::{Area, Change, Class, Kind};

/// Defines [`Rule`] and its table.
macro_rules! rules {
    ($($(#[$doc:meta])* $rule:ident = $id:literal, $class:ident, $kind:ident, $area:ident, $reason:literal;)*) => {
        /// A kind of change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Rule {
            $($(#[$doc])* #[serde(rename = $id)] $rule,)*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule),*];

            /// The rule's id: `field-removed`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$rule => $id,)* }
            }

            /// How a change of this kind affects code that uses the crate.
            pub fn class(self) -> Class {
                match self { $(Rule::$rule => Class::$class,)* }
            }

            /// Whether it adds, removes or changes something.
            pub fn kind(self) -> Kind {
                match self { $(Rule::$rule => Kind::$kind,)* }
            }

            /// What it is about (some rules apply to properties and navigation properties alike:
            /// see [`ChangeBuilder::area`]).
            pub fn area(self) -> Area {
                match self { $(Rule::$rule => Area::$area,)* }
            }

            /// Why it is classified so, as a template.
            pub fn reason(self) -> &'static str {
                match self { $(Rule::$rule => $reason,)* }
            }
        }
    };
}

rules! {
    /// A configured family appears.
    FamilyAdded = "family-added", NonBreaking, Added, Family,
        "the API was introduced: its operations and types are listed as added";
    /// A configured family disappears.
    FamilyRemoved = "family-removed", Breaking, Removed, Family,
        "every operation of the family is gone: code that calls them no longer compiles";
    /// A new type.
    TypeAdded = "type-added", NonBreaking, Added, Type,
        "a new type; nothing existing changes";
    /// A type of the document the families now reach.
    TypeReached = "type-reached", NonBreaking, Added, Type,
        "a new type in the crate (already in the document, now reached by the families); nothing existing changes";
    /// A type is gone.
    TypeRemoved = "type-removed", Breaking, Removed, Type,
        "`{ident}` is no longer generated: code that names it no longer compiles";
    /// A type's Rust name changes.
    TypeRenamed = "type-renamed", Breaking, Changed, Type,
        "the Rust name changes to stay unique among the API's types: code that names `{old}` no longer compiles";
    /// A type turns from a struct into an enum, or back.
    TypeReshaped = "type-reshaped", Breaking, Changed, Type,
        "the type changes between a struct and an enum: code that uses it no longer compiles";
    /// A type's base type changes.
    BaseChanged = "base-changed", Breaking, Changed, Type,
        "`{ident}` inherits other fields, and belongs to another `Any*` enum";
    /// An entity type becomes a complex type, or the other way round.
    KindChanged = "kind-changed", NeedsAttention, Changed, Type,
        "the struct is unchanged, but OData addresses it differently (an entity has a key and its own URL)";
    /// A type becomes abstract.
    NowAbstract = "now-abstract", NeedsAttention, Changed, Type,
        "the service no longer sends or accepts a plain `{ident}`, only its derived types";
    /// A type is no longer abstract.
    NoLongerAbstract = "no-longer-abstract", NonBreaking, Changed, Type,
        "the service may now send or accept a plain `{ident}`";
    /// A type gets its first derived types.
    FirstDerived = "first-derived", Breaking, Changed, DerivedType,
        "`{ident}` now has derived types, so every field, body and output of this type becomes `{any}`: code that uses them as `{ident}` no longer compiles";
    /// A type loses its last derived type.
    NoDerivedLeft = "no-derived-left", Breaking, Changed, DerivedType,
        "`{ident}` has no derived types any more, so `{any}` is gone and fields of this type are `{ident}`: code that uses `{any}` no longer compiles";
    /// An `Any*` enum's Rust name changes.
    AnyRenamed = "any-renamed", Breaking, Changed, DerivedType,
        "code that names `{old}` no longer compiles";
    /// A further derived type.
    DerivedAdded = "derived-added", NeedsAttention, Added, DerivedType,
        "`{any}` is `#[non_exhaustive]`, so code compiles, but payloads of this type, until now read as `{any}::{ident}` (their extra properties in `extra`), now arrive as the new variant";
    /// A derived type is gone.
    DerivedRemoved = "derived-removed", Breaking, Removed, DerivedType,
        "the variant is gone: code that names it no longer compiles; such payloads now arrive as `{any}::{ident}`";
    /// An enum becomes a flags enum, or stops being one.
    FlagsChanged = "flags-changed", Breaking, Changed, Type,
        "fields of this type change between `Flags<{ident}>` and `{ident}`: code that uses them no longer compiles";
    /// Fewer of the crate's features compile a type.
    FeatureNarrowed = "feature-narrowed", Breaking, Changed, Type,
        "builds that enable {old} but none of {new} no longer compile the type: code that uses it there no longer compiles";
    /// A new enum member.
    MemberAdded = "member-added", NonBreaking, Added, EnumMember,
        "a new variant; the enum is `#[non_exhaustive]` and open, so matches already have a wildcard arm; the value, until now read as `{ident}::Unrecognized`, now arrives as `{rust}`";
    /// A new enum member after `unknownFutureValue`.
    MemberAddedAfterSentinel = "member-added-after-sentinel", NonBreaking, Added, EnumMember,
        "a new variant; the enum is `#[non_exhaustive]` and open, so matches already have a wildcard arm; declared after `unknownFutureValue`, so Graph sends it only when asked with `Prefer: include-unknown-enum-members`, which the crate sends on every operation whose output can hold it: where Graph sent `unknownFutureValue` (or a value read as `{ident}::Unrecognized`), `{rust}` now arrives";
    /// An enum member's Rust name changes.
    MemberRenamed = "member-renamed", Breaking, Changed, EnumMember,
        "the variant is renamed to stay unique: code that names it no longer compiles";
    /// An enum member's numeric value changes.
    MemberValueChanged = "member-value-changed", NonBreaking, Changed, EnumMember,
        "Graph's JSON carries member names, not values";
    /// An enum member moves after `unknownFutureValue`.
    MemberNowAfterSentinel = "member-now-after-sentinel", NeedsAttention, Changed, EnumMember,
        "Graph now sends it only when asked with `Prefer: include-unknown-enum-members`, and `UnknownFutureValue` otherwise";
    /// An enum member moves before `unknownFutureValue`.
    MemberNowBeforeSentinel = "member-now-before-sentinel", NeedsAttention, Changed, EnumMember,
        "Graph now sends it to every client";
    /// An enum member is gone.
    MemberRemoved = "member-removed", Breaking, Removed, EnumMember,
        "the variant is gone: code that names it no longer compiles; if the service still sends the value, it arrives as `{ident}::Unrecognized`";
    /// A field is gone.
    FieldRemoved = "field-removed", Breaking, Removed, Property,
        "the field is gone: code that reads or sets it no longer compiles; if the service still sends `{wire}`, the value is kept in `extra`";
    /// A navigation field is no longer generated: its target left the families.
    FieldLeftFamilies = "field-left-families", Breaking, Removed, Navigation,
        "its target type is no longer reached by the configured families, so the field is no longer generated: code that uses it no longer compiles; expanded values arrive in `extra`";
    /// A new field.
    FieldAdded = "field-added", NonBreaking, Added, Property,
        "a new field; structs are `#[non_exhaustive]` and built with `Default` and `with_*` setters, so existing code compiles; the value, until now kept in `extra`, now arrives in the field";
    /// A new navigation field.
    NavigationAdded = "navigation-added", NonBreaking, Added, Navigation,
        "a new field, filled only when asked with `$expand`; structs are `#[non_exhaustive]` and built with `Default` and `with_*` setters, so existing code compiles";
    /// A new field the service declares not nullable.
    NotNullableFieldAdded = "not-nullable-field-added", NeedsAttention, Added, Property,
        "a new field; it compiles like any addition (structs are `#[non_exhaustive]`, fields are `Option`), but the service declares it not nullable: requests that create or replace `{ident}` may have to set it";
    /// A new required parameter of an action.
    RequiredParameterAdded = "required-parameter-added", NeedsAttention, Added, Property,
        "a new required parameter: the parameters struct is `#[non_exhaustive]` with setters, so code compiles, but calls that do not set it may be refused by the service";
    /// A field's Rust name changes.
    FieldRenamed = "field-renamed", Breaking, Changed, Property,
        "the field is renamed to stay unique among the struct's fields: code that uses it no longer compiles";
    /// A property may now be `null`.
    NowNullable = "now-nullable", Breaking, Changed, Property,
        "it may now be `null`, so the field becomes `Nullable<T>` (absent, null, or a value) instead of `Option<T>`: `{old}` → `{new}`; code that reads or sets it no longer compiles";
    /// A property may no longer be `null`.
    NoLongerNullable = "no-longer-nullable", Breaking, Changed, Property,
        "it may no longer be `null`, so the field becomes `Option<T>` (absent or a value) instead of `Nullable<T>`: `{old}` → `{new}`; code that reads or sets it no longer compiles";
    /// A property's type changes, and with it the field's.
    FieldRetyped = "field-retyped", Breaking, Changed, Property,
        "the field's type changes: `{old}` → `{new}`; code that reads or sets it no longer compiles";
    /// A property's type changes, not the field's.
    WireTypeChanged = "wire-type-changed", NeedsAttention, Changed, Property,
        "the Rust type stays `{rust}`, but the values the service accepts or sends change";
    /// A field's Rust type changes because its type changed.
    RustTypeChanged = "rust-type-changed", Breaking, Changed, Property,
        "the field's Rust type changes (see the changes to its type): code that reads or sets it no longer compiles";
    /// A property becomes read-only.
    NowReadOnly = "now-read-only", NeedsAttention, Changed, Property,
        "the service now computes it: request bodies leave it out";
    /// A property is no longer read-only.
    NoLongerReadOnly = "no-longer-read-only", NonBreaking, Changed, Property,
        "it can now be written: request bodies send it";
    /// A property can now only be set when its object is created.
    NowImmutable = "now-immutable", NeedsAttention, Changed, Property,
        "it can only be set on create now: update bodies (PUT, PATCH) leave it out";
    /// A property can be changed by updates again.
    NoLongerImmutable = "no-longer-immutable", NonBreaking, Changed, Property,
        "updates can change it again: their bodies send it";
    /// A structural property becomes a navigation property.
    NowNavigation = "now-navigation", NeedsAttention, Changed, Property,
        "the field is filled only when asked with `$expand`";
    /// A navigation property becomes a structural one.
    NowStructural = "now-structural", NeedsAttention, Changed, Property,
        "the field now arrives without `$expand`";
    /// A navigation property whose target is outside the families appears.
    OutsideAdded = "outside-added", NonBreaking, Added, Navigation,
        "its target type `{target}` is outside the configured families, so no field is generated; values asked for with `$expand` arrive in `extra`";
    /// A navigation property whose target was outside the families is gone.
    OutsideRemoved = "outside-removed", NonBreaking, Removed, Navigation,
        "its target type was outside the configured families, so no field was generated for it and no code used it";
    /// The only update verb of a path turns from PUT into PATCH.
    VerbToPatch = "verb-to-patch", Breaking, Changed, Verb,
        "the method is named after the verb, so code calling `.{method}(…)` no longer compiles; PATCH sends only the fields that are set, where PUT replaced the whole object";
    /// The only update verb of a path turns from PATCH into PUT.
    VerbToPut = "verb-to-put", Breaking, Changed, Verb,
        "the method is named after the verb, so code calling `.{method}(…)` no longer compiles; PUT replaces the whole object, where PATCH sent only the fields that were set: unset fields are now cleared";
    /// A new operation.
    OperationAdded = "operation-added", NonBreaking, Added, Operation,
        "a new method and operation struct (`{struct}`); nothing existing changes";
    /// An operation is gone.
    OperationRemoved = "operation-removed", Breaking, Removed, Operation,
        "the method and `{struct}` are gone: code that calls it no longer compiles";
    /// A navigation method on the way to an operation is renamed.
    PathRenamed = "path-renamed", Breaking, Changed, Operation,
        "a navigation method is renamed to stay unique: code that calls it no longer compiles";
    /// An operation's struct is renamed.
    OperationRenamed = "operation-renamed", Breaking, Changed, Operation,
        "the operation's struct is renamed to stay unique: code that names the type no longer compiles";
    /// An operation takes another body.
    BodyChanged = "body-changed", Breaking, Changed, Operation,
        "the method takes another body: code that calls it no longer compiles";
    /// An operation answers another type.
    OutputChanged = "output-changed", Breaking, Changed, Operation,
        "the operation's `Output` changes: code that uses the result no longer compiles";
    /// A function takes a new parameter.
    ParameterAdded = "parameter-added", Breaking, Added, Parameter,
        "the function takes a new argument: code that calls it no longer compiles";
    /// A text parameter may now be null.
    ParameterWidened = "parameter-widened", NonBreaking, Changed, Parameter,
        "the argument may now be `None`; strings are still accepted";
    /// A parameter's type changes.
    ParameterRetyped = "parameter-retyped", Breaking, Changed, Parameter,
        "the argument's type changes: code that calls it no longer compiles";
    /// A function takes one parameter less.
    ParameterRemoved = "parameter-removed", Breaking, Removed, Parameter,
        "the function takes one argument less: code that calls it no longer compiles";
    /// A new query option.
    QueryAdded = "query-added", NonBreaking, Added, QueryOption,
        "a new builder method; nothing existing changes";
    /// A query option's values are no longer listed.
    QueryValuesUnlisted = "query-values-unlisted", Breaking, Changed, QueryOption,
        "the method takes strings only: code that passes `{old}` values no longer compiles";
    /// A query option's values are now listed.
    QueryValuesListed = "query-values-listed", NonBreaking, Changed, QueryOption,
        "the method now takes `{new}` values, and still strings";
    /// A query option lists more values.
    QueryValuesAdded = "query-values-added", NonBreaking, Added, QueryOption,
        "new variants of an open enum; nothing existing changes";
    /// A query option lists fewer values.
    QueryValuesRemoved = "query-values-removed", Breaking, Removed, QueryOption,
        "the variants are gone: code that names them no longer compiles";
    /// A query option is gone.
    QueryRemoved = "query-removed", Breaking, Removed, QueryOption,
        "the builder method is gone: code that calls it no longer compiles";
    /// A new optional header.
    HeaderAdded = "header-added", NonBreaking, Added, Header,
        "a new builder method; nothing existing changes";
    /// A new required header.
    RequiredHeaderAdded = "required-header-added", NeedsAttention, Added, Header,
        "a new builder method; the service requires the header, so requests without it may be refused";
    /// A header becomes required.
    HeaderNowRequired = "header-now-required", NeedsAttention, Changed, Header,
        "requests without the header may be refused";
    /// A header becomes optional.
    HeaderNowOptional = "header-now-optional", NonBreaking, Changed, Header,
        "the header may be left out";
    /// A header is gone.
    HeaderRemoved = "header-removed", Breaking, Removed, Header,
        "the builder method is gone: code that calls it no longer compiles";
    /// An operation needs other scopes.
    PermissionsWidened = "permissions-widened", NeedsAttention, Changed, Permissions,
        "the least-privileged scopes change: tokens must carry the new ones (a `TokenProvider` is asked for them)";
    /// An operation's permissions are documented for the first time.
    PermissionsDocumented = "permissions-documented", NonBreaking, Changed, Permissions,
        "the permissions are now documented";
    /// An operation needs fewer scopes.
    PermissionsNarrowed = "permissions-narrowed", NonBreaking, Changed, Permissions,
        "fewer or the same scopes are needed";
    /// Descriptions, summaries, links, or where permissions come from.
    Documentation = "documentation", NonBreaking, Changed, Documentation,
        "documentation only";
}

/// A change being made: the rule, what it is about, and the values its reason names.
#[must_use]
pub struct ChangeBuilder {
    change: Change,
    values: Vec<(&'static str, String)>,
}

impl Change {
    /// A change of `rule` about `subject` (in the metadata's terms).
    pub fn of(rule: Rule, subject: impl Into<String>) -> ChangeBuilder {
        ChangeBuilder {
            change: Change {
                class: rule.class(),
                kind: rule.kind(),
                area: rule.area(),
                subject: subject.into(),
                detail: String::new(),
                rust: String::new(),
                reason: String::new(),
                rule,
                origin: super::Origin::Metadata,
            },
            values: Vec::new(),
        }
    }
}

impl ChangeBuilder {
    /// What changed in the metadata: `Edm.Boolean, nullable`; `PUT → PATCH`.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.change.detail = detail.into();
        self
    }

    /// Where it shows in Rust: `TimeOff::is_staged_for_deletion: Nullable<bool>`.
    pub fn rust(mut self, rust: impl Into<String>) -> Self {
        self.change.rust = rust.into();
        self
    }

    /// The area, for rules that apply to properties and navigation properties alike.
    pub fn area(mut self, area: Area) -> Self {
        self.change.area = area;
        self
    }

    /// Where the change comes from.
    pub fn origin(mut self, origin: super::Origin) -> Self {
        self.change.origin = origin;
        self
    }

    /// A value the reason names as `{name}`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.values.push((name, value.to_string()));
        self
    }

    /// The change, its reason filled in.
    pub fn build(mut self) -> Change {
        let template = self.change.rule.reason();
        let mut reason = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            reason.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let value = after.find('}').and_then(|end| {
                let name = &after[..end];
                let value = self.values.iter().find(|(n, _)| *n == name)?;
                Some((end, &value.1))
            });
            match value {
                Some((end, value)) => {
                    reason.push_str(value);
                    rest = &after[end + 1..];
                }
                None => {
                    reason.push('{');
                    rest = after;
                }
            }
        }
        reason.push_str(rest);
        self.change.reason = reason;
        self.change
    }
}

/// The `{name}`s a reason template uses.
#[cfg(test)]
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].chars().all(|c| c.is_ascii_lowercase()) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}
