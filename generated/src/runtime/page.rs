//! Hand-written runtime (not generated): one page of an OData collection.

use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{self, Extra, ExtraBuilder, Model, Slot};

/// One page of a collection, as Graph returns it from a list operation or a function that
/// returns a collection.
///
/// `next_link` is the absolute URL of the next page; the client's `items` stream follows it.
/// Other annotations (`@odata.context`, `@odata.deltaLink`) stay in [`Page::extra`].
///
/// The fields can be read and set, but a page is not built with a struct literal, so that a
/// field (`@odata.deltaLink`) can be added without breaking your code: start from
/// [`Page::new`] or [`Page::default`]. To stand in for Graph in a test:
///
/// ```
/// use msgraph_work::Page;
///
/// let page = Page::new(vec![1, 2, 3]).with_next_link("https://graph.microsoft.com/beta/next");
/// assert_eq!(page.items(), &[1, 2, 3]);
/// assert_eq!(page.count, None);
/// assert_eq!(
///     serde_json::to_string(&page).unwrap(),
///     r#"{"value":[1,2,3],"@odata.nextLink":"https://graph.microsoft.com/beta/next"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page (`value`).
    pub value: Option<Vec<T>>,
    /// Where the next page is (`@odata.nextLink`), if there is one.
    pub next_link: Option<String>,
    /// The total number of items when the request asked for `$count=true` (`@odata.count`).
    pub count: Option<i64>,
    /// Everything else the page carried.
    pub extra: Extra,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            value: None,
            next_link: None,
            count: None,
            extra: Extra::default(),
        }
    }
}

impl<T> Page<T> {
    /// A page holding `items`, without a next link, count or other annotations.
    pub fn new(items: Vec<T>) -> Page<T> {
        Page {
            value: Some(items),
            ..Page::default()
        }
    }

    /// The same page with a link to the next one (`@odata.nextLink`).
    #[must_use]
    pub fn with_next_link(mut self, next_link: impl Into<String>) -> Self {
        self.next_link = Some(next_link.into());
        self
    }

    /// The same page with a total count (`@odata.count`).
    #[must_use]
    pub fn with_count(mut self, count: i64) -> Self {
        self.count = Some(count);
        self
    }

    /// The items of this page (empty if the page had no `value`).
    pub fn items(&self) -> &[T] {
        self.value.as_deref().unwrap_or(&[])
    }

    /// Consumes the page, returning its items.
    pub fn into_items(self) -> Vec<T> {
        self.value.unwrap_or_default()
    }
}

impl<T> super::model::Sealed for Page<T> {}

impl<T: Serialize + for<'de> Deserialize<'de>> Model for Page<T> {
    const ODATA_TYPE: &'static str = "Collection";

    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn extra_mut(&mut self) -> &mut Extra {
        &mut self.extra
    }
    const FIELDS: &'static [Option<&'static str>] =
        &[Some("value"), Some("@odata.nextLink"), Some("@odata.count")];
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        id: u16,
        map: &mut A,
        extra: &mut ExtraBuilder,
    ) -> Result<(), A::Error> {
        match id {
            0 => self.value.read("value", extra, map),
            1 => self.next_link.read("@odata.nextLink", extra, map),
            _ => self.count.read("@odata.count", extra, map),
        }
    }
    fn write_fields<M: SerializeMap>(&self, out: &mut model::FieldWriter<'_, M>) {
        out.field("value", &self.value);
        out.field("@odata.nextLink", &self.next_link);
        out.field("@odata.count", &self.count);
    }
}

impl<T: Serialize + for<'de> Deserialize<'de>> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        model::serialize(self, serializer)
    }
}

impl<'de, T: Serialize + for<'a> Deserialize<'a>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        model::deserialize(deserializer)
    }
}
