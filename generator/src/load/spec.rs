//! A spec derived from Microsoft's documents (`cargo xtask update`): the families cut out of
//! them, in their own format (CSDL from one document, OpenAPI from one or several merged), with
//! the project's descriptions carried over from the current spec by identity, and a header
//! that says so.

use std::collections::BTreeMap;

use super::{Format, LoadError, Warning, csdl, openapi, sniff_format};
use crate::config::Family;

/// A source document: how it is named (a file name or a URL) and its text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// Its name in messages and records.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// What deriving a spec needs besides the sources.
#[derive(Clone, Copy, Debug)]
pub struct Derivation<'a> {
    /// The families to keep.
    pub families: &'a [Family],
    /// The current spec, whose descriptions are carried over, if there is one.
    pub current: Option<Source<'a>>,
    /// Keep Microsoft's descriptions where the project has none.
    pub keep_descriptions: bool,
    /// The comment the spec starts with, one line per line (without comment markers).
    pub header: &'a str,
}

/// A derived spec.
#[derive(Clone, Debug)]
pub struct DerivedSpec {
    /// Its text.
    pub text: String,
    /// Its format.
    pub format: Format,
    /// What the loaders skipped in the sources.
    pub warnings: Vec<Warning>,
    /// The identities of Microsoft's descriptions the project has no words for yet (dropped,
    /// or kept with `keep_descriptions`).
    pub undescribed: Vec<String>,
}

/// Derives a spec from Microsoft's documents.
pub fn derive_spec(sources: &[Source], how: &Derivation) -> Result<DerivedSpec, LoadError> {
    let error = |file: &str, message: String| LoadError {
        file: file.to_string(),
        place: "document".into(),
        message,
    };
    let first = sources.first().ok_or_else(|| {
        error(
            "(no source)",
            "no source document to derive the spec from".into(),
        )
    })?;
    let format = sniff_format(first.text);
    if let Some(other) = sources.iter().find(|s| sniff_format(s.text) != format) {
        return Err(error(
            other.name,
            format!(
                "is {:?}, while {} is {format:?}: one format per API",
                sniff_format(other.text),
                first.name
            ),
        ));
    }
    if let Some(current) = how.current {
        let current_format = sniff_format(current.text);
        if !current.text.trim().is_empty() && current_format != format {
            return Err(error(
                first.name,
                format!(
                    "is {format:?}, while the spec {} is {current_format:?}",
                    current.name
                ),
            ));
        }
    }
    let (text, warnings, undescribed) = match format {
        Format::Csdl => derive_csdl(sources, how)?,
        Format::OpenApi => derive_openapi(sources, how)?,
    };
    Ok(DerivedSpec {
        text,
        format,
        warnings,
        undescribed,
    })
}

/// The error of families no source has.
fn missing(sources: &[Source], missing: &[String]) -> Option<LoadError> {
    let family = missing.first()?;
    let names: Vec<&str> = sources.iter().map(|s| s.name).collect();
    Some(LoadError {
        file: names.join(", "),
        place: "document".into(),
        message: format!(
            "has no path of the family `{family}`: the document is not one of the API the family is in, or predates it"
        ),
    })
}

/// A derived text, what the loaders skipped, and the undescribed identities.
type Derived = (String, Vec<Warning>, Vec<String>);

fn derive_csdl(sources: &[Source], how: &Derivation) -> Result<Derived, LoadError> {
    let [source] = sources else {
        return Err(LoadError {
            file: sources
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(", "),
            place: "document".into(),
            message: "CSDL is derived from one document per API version".into(),
        });
    };
    let slice = csdl::cut_csdl(source.text, source.name, how.families)?;
    if let Some(e) = missing(sources, &slice.missing_families) {
        return Err(e);
    }
    let ours = match how.current {
        Some(current) if !current.text.trim().is_empty() => {
            csdl::descriptions::collect(current.text, current.name)?
        }
        _ => BTreeMap::new(),
    };
    let (text, undescribed) =
        csdl::descriptions::carry_over(&slice.text, source.name, &ours, how.keep_descriptions)?;
    Ok((
        with_xml_header(&text, how.header),
        slice.warnings,
        undescribed,
    ))
}

fn derive_openapi(sources: &[Source], how: &Derivation) -> Result<Derived, LoadError> {
    let documents: Vec<(&str, &str)> = sources.iter().map(|s| (s.name, s.text)).collect();
    let (mut tree, missing_families, warnings) =
        openapi::cut_openapi_documents(&documents, how.families)?;
    if let Some(e) = missing(sources, &missing_families) {
        return Err(e);
    }
    let ours = match how.current {
        Some(current) if !current.text.trim().is_empty() => {
            let doc: serde_norway::Value =
                serde_norway::from_str(current.text).map_err(|e| LoadError {
                    file: current.name.to_string(),
                    place: "document".into(),
                    message: e.to_string(),
                })?;
            openapi::descriptions::collect(&doc)
        }
        _ => BTreeMap::new(),
    };
    let undescribed = openapi::descriptions::carry_over(&mut tree, &ours, how.keep_descriptions);
    let text = openapi::to_text(&tree, sources[0].name)?;
    let mut out = String::new();
    for line in how.header.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    out.push_str(&text);
    Ok((out, warnings, undescribed))
}

/// A CSDL document with the header as a comment after its XML declaration.
fn with_xml_header(text: &str, header: &str) -> String {
    let comment = format!(
        "<!--\n{}-->\n",
        header
            .lines()
            .map(|l| if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            })
            .collect::<String>()
            .replace("--", "- -")
    );
    match text
        .strip_prefix("<?xml")
        .and_then(|rest| rest.find("?>").map(|i| i + 7))
    {
        Some(end) => {
            let end = text[end..].find('\n').map_or(end, |i| end + i + 1);
            format!("{}{comment}{}", &text[..end], &text[end..])
        }
        None => format!("{comment}{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_xml_header;

    #[test]
    fn the_header_follows_the_declaration() {
        assert_eq!(
            with_xml_header("<?xml version=\"1.0\"?>\n<a/>\n", "one\n\ntwo"),
            "<?xml version=\"1.0\"?>\n<!--\n  one\n\n  two\n-->\n<a/>\n"
        );
        assert_eq!(with_xml_header("<a/>\n", "x"), "<!--\n  x\n-->\n<a/>\n");
    }
}
