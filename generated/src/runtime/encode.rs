//! Hand-written runtime (not generated): how values become parts of a URL.
//!
//! * A path parameter is always exactly one segment: everything that could end the segment or
//!   change the URL's structure (`/ ? # %`, spaces, controls, non-ASCII) is percent-encoded,
//!   and a segment that is `.` or `..` has its dots encoded too, so that no client normalizes
//!   it away. An id can never change the path, the query or the fragment.
//! * A function parameter is an OData literal: strings are quoted with `'`, an embedded `'` is
//!   doubled (`O'Brien` → `'O''Brien'`), and the literal is then encoded like a segment (and
//!   `+` too, which could arrive as a space), so a value can never close its literal and
//!   inject another parameter.
//! * Query values are encoded for the query component: `& = + #` and the like are escaped;
//!   OData's `$` names, `,` lists and `/` paths stay readable.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path segment: everything except RFC 3986 unreserved characters,
/// sub-delimiters and `:` `@`.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Characters escaped in a function literal: those of a segment, and `+`, which some servers
/// read as a space in a path too (a time zone offset, `+02:00`, would arrive as ` 02:00`).
const LITERAL: &AsciiSet = &SEGMENT.add(b'+');

/// Characters escaped in a query value: those that are not allowed in a query, plus the ones
/// that separate query parameters (`& = ;`) or would be read as a space (`+`). `/` and `?` are
/// allowed in a query and stay readable.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Appends `/` and one encoded path segment to `path`.
pub fn push_segment(path: &mut String, value: &str) {
    path.push('/');
    match value {
        "." => path.push_str("%2E"),
        ".." => path.push_str("%2E%2E"),
        _ => path.extend(utf8_percent_encode(value, SEGMENT)),
    }
}

/// Appends `/` and a literal segment that comes from the metadata (a navigation property).
pub fn push_literal(path: &mut String, literal: &'static str) {
    path.push('/');
    path.push_str(literal);
}

/// A value that can be written as an OData literal in a function call.
///
/// Sealed: only this crate implements it (for `str`, `String`, `bool`, the integers, and
/// references and `Option`s of those), because a literal that forgets to quote or to double
/// an embedded `'` would let a value inject parameters into the call.
///
/// ```compile_fail,E0277
/// struct Celsius(f64);
///
/// impl msgraph_work::runtime::encode::Literal for Celsius {
///     fn write_literal(&self, out: &mut String) {
///         out.push_str(&self.0.to_string());
///     }
/// }
/// ```
pub trait Literal: sealed::Sealed {
    /// Writes the literal, unencoded: `'text'`, `42`, `true`, `null`.
    fn write_literal(&self, out: &mut String);
}

/// The private supertrait that seals [`Literal`]: public (as a supertrait must be) but in a
/// private module, so other crates cannot name it, hence cannot implement [`Literal`].
mod sealed {
    pub trait Sealed {}

    impl Sealed for str {}
    impl Sealed for String {}
    impl<T: ?Sized> Sealed for &T {}
    impl<T> Sealed for Option<T> {}
}

impl Literal for str {
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        for c in self.chars() {
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        }
        out.push('\'');
    }
}

impl Literal for String {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out)
    }
}

impl<T: Literal + ?Sized> Literal for &T {
    fn write_literal(&self, out: &mut String) {
        (**self).write_literal(out)
    }
}

impl<T: Literal> Literal for Option<T> {
    fn write_literal(&self, out: &mut String) {
        match self {
            Some(v) => v.write_literal(out),
            None => out.push_str("null"),
        }
    }
}

macro_rules! display_literal {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}

        impl Literal for $t {
            fn write_literal(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
display_literal!(bool, i8, u8, i16, i32, i64);

/// Appends `/name(p1=v1,p2=v2)` for a function call, each literal encoded as segment text.
pub fn push_call(path: &mut String, name: &str, params: &[(&str, &dyn Literal)]) {
    path.push('/');
    path.push_str(name);
    if params.is_empty() {
        return;
    }
    path.push('(');
    let mut literal = String::new();
    for (i, (param, value)) in params.iter().enumerate() {
        if i > 0 {
            path.push(',');
        }
        path.push_str(param);
        path.push('=');
        literal.clear();
        value.write_literal(&mut literal);
        path.extend(utf8_percent_encode(&literal, LITERAL));
    }
    path.push(')');
}

/// Encodes a query parameter value.
pub fn query_value(value: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(value, QUERY_VALUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(value: &str) -> String {
        let mut out = String::new();
        push_segment(&mut out, value);
        out
    }

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(segment("a/b?c#d%e f"), "/a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(segment("../../admin"), "/..%2F..%2Fadmin");
        assert_eq!(segment(".."), "/%2E%2E");
        assert_eq!(segment("."), "/%2E");
        assert_eq!(segment("AAMk+x=="), "/AAMk+x==");
        assert_eq!(segment("adele@contoso.com"), "/adele@contoso.com");
        assert_eq!(segment("TOR_891045ca-b5d2"), "/TOR_891045ca-b5d2");
        assert_eq!(segment("é"), "/%C3%A9");
    }

    #[test]
    fn function_literals_cannot_be_closed() {
        let mut path = String::new();
        let start = "2024-01-01T00:00:00Z";
        let end = "x',endDateTime='y";
        push_call(
            &mut path,
            "occurrencesView",
            &[("startDateTime", &start), ("endDateTime", &end)],
        );
        assert_eq!(
            path,
            "/occurrencesView(startDateTime='2024-01-01T00:00:00Z',endDateTime='x'',endDateTime=''y')"
        );
        let mut path = String::new();
        push_call(&mut path, "f", &[("a", &None::<&str>), ("b", &"a/b#c")]);
        assert_eq!(path, "/f(a=null,b='a%2Fb%23c')");
        // `+` in an offset must not arrive as a space.
        let mut path = String::new();
        push_call(&mut path, "f", &[("at", &"2024-01-01T09:00:00+02:00")]);
        assert_eq!(path, "/f(at='2024-01-01T09:00:00%2B02:00')");
    }

    #[test]
    fn query_values_cannot_add_parameters() {
        assert_eq!(
            query_value("a&b=c+d #e").to_string(),
            "a%26b%3Dc%2Bd%20%23e"
        );
        assert_eq!(
            query_value("recurrences,occurrences").to_string(),
            "recurrences,occurrences"
        );
        assert_eq!(
            query_value("sharedTimeOff/startDateTime ge 2019-03-11T00:00:00.000Z").to_string(),
            "sharedTimeOff/startDateTime%20ge%202019-03-11T00:00:00.000Z"
        );
    }
}
