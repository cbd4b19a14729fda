//! Doc comments from metadata text.
//!
//! Descriptions come from documents we do not control. Rustdoc reads them as Markdown, so
//! text such as `[id]` (an intra-doc link), `<b>` (an HTML tag), an indented line (a code
//! block, even a doctest) or a bare URL would warn or break the build. Every description is
//! escaped here; URLs become autolinks.

use proc_macro2::TokenStream;
use quote::quote;

/// Collects the paragraphs of one item's documentation.
#[derive(Default)]
pub struct Doc {
    paragraphs: Vec<String>,
}

impl Doc {
    /// An empty doc.
    pub fn new() -> Doc {
        Doc::default()
    }

    /// Adds metadata text (escaped), if present.
    pub fn text(mut self, text: Option<&str>) -> Doc {
        if let Some(t) = text.map(escape).filter(|t| !t.is_empty()) {
            self.paragraphs.push(t);
        }
        self
    }

    /// Says which cargo features compile the item, when only some do (the first few of many).
    pub fn features(self, gate: &crate::rust_api::Gate) -> Doc {
        let Some(features) = gate.features() else {
            return self;
        };
        const LISTED: usize = 6;
        let names: Vec<String> = features
            .iter()
            .take(LISTED)
            .map(|f| format!("`{f}`"))
            .collect();
        let others = features.len().saturating_sub(LISTED);
        match names.as_slice() {
            [one] => self.markdown(format!("Needs the cargo feature {one}.")),
            many if others == 0 => self.markdown(format!(
                "Needs one of the cargo features {}.",
                many.join(", ")
            )),
            many => self.markdown(format!(
                "Needs one of the {} cargo features {} and {others} others.",
                features.len(),
                many.join(", ")
            )),
        }
    }

    /// Adds our own Markdown, unescaped.
    pub fn markdown(mut self, markdown: impl Into<String>) -> Doc {
        self.paragraphs.push(markdown.into());
        self
    }

    /// Adds our own Markdown when there is no metadata text so far.
    pub fn or_markdown(self, markdown: impl Into<String>) -> Doc {
        if self.paragraphs.is_empty() {
            self.markdown(markdown)
        } else {
            self
        }
    }

    /// The lines of the doc comment: paragraphs separated by a blank line, each line after
    /// the `///` starting with a space.
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.extend(p.lines().map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                }
            }));
        }
        lines
    }

    /// `#[doc = " ..."]` attributes, one per line.
    pub fn tokens(&self) -> TokenStream {
        let lines = self.lines();
        quote! { #(#[doc = #lines])* }
    }

    /// The same as inner `//!` attributes, for module docs.
    pub fn inner_tokens(&self) -> TokenStream {
        let lines = self.lines();
        quote! { #(#![doc = #lines])* }
    }
}

/// Escapes metadata text for rustdoc: Markdown punctuation is backslash-escaped, each line is
/// trimmed (so nothing becomes a code block), and URLs become `<...>` autolinks.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        escape_line(line, &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    let mut rest = line;
    while !rest.is_empty() {
        let url_start = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let (plain, tail) = match url_start {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        escape_plain(plain, out);
        if tail.is_empty() {
            break;
        }
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
            .unwrap_or(tail.len());
        let mut url = &tail[..end];
        // Sentence punctuation after a URL is not part of it.
        while let Some(stripped) = url.strip_suffix(['.', ',', ';', ':', ')', ']']) {
            url = stripped;
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
}

fn escape_plain(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Inline code for a wire name: `` `placeId` `` (backticks inside are dropped).
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped_and_urls_linked() {
        assert_eq!(
            escape("See [id] and <b>bold</b>."),
            "See \\[id\\] and \\<b\\>bold\\</b\\>."
        );
        assert_eq!(
            escape("Docs: https://learn.microsoft.com/graph/x?view=beta."),
            "Docs: <https://learn.microsoft.com/graph/x?view=beta>."
        );
        assert_eq!(escape("    indented\n\n\n  next"), "indented\n\nnext");
        assert_eq!(escape("a_b *c*"), "a\\_b \\*c\\*");
    }
}
