//! A report as Markdown (for release notes and pull-request comments) or JSON (for tools).

use std::fmt::Write as _;

use super::{Area, Class, Origin, Report, Scope};

/// How many entries of one class are shown before the rest is folded into `<details>`.
const FOLD_AFTER: usize = 40;

/// The report as JSON.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report is plain data");
    text.push('\n');
    text
}

/// The report as Markdown, with a heading of the given level (`##` for a document of its own,
/// `###` inside a changelog).
pub fn markdown(report: &Report, heading: usize) -> String {
    let h = "#".repeat(heading);
    let mut out = String::new();
    let _ = writeln!(out, "{h} API changes in `{}`\n", report.version);
    summary(report, &mut out);
    for class in [Class::Breaking, Class::NeedsAttention, Class::NonBreaking] {
        class_section(report, class, &h, &mut out);
    }
    out
}

/// What was compared, the counts, the suggested bump, and the notes.
fn summary(report: &Report, out: &mut String) {
    let scope = match &report.scope {
        Scope::All => "the whole documents".to_string(),
        Scope::Families(names) => {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let noun = if names.len() == 1 {
                "family"
            } else {
                "families"
            };
            format!("{noun} {}", names.join(", "))
        }
    };
    let _ = writeln!(
        out,
        "From {} to {}, {scope}.\n",
        label(&report.old),
        label(&report.new)
    );
    if report.changes.is_empty() {
        let _ = writeln!(
            out,
            "No change to what the crate offers. Suggested version bump: **none**."
        );
    } else {
        let c = &report.counts;
        let bump = match &report.next_version {
            Some(v) => format!("**{}** (to {v})", report.bump.as_str()),
            None => format!("**{}**", report.bump.as_str()),
        };
        let need = if c.needs_attention == 1 {
            "needs"
        } else {
            "need"
        };
        let _ = writeln!(
            out,
            "**{} breaking**, {} {need} attention, {} non-breaking. Suggested version bump: {bump}.",
            c.breaking, c.needs_attention, c.non_breaking
        );
    }
    for note in &report.notes {
        let _ = writeln!(out, "\n> {note}");
    }
}

/// The changes of one class: each one with its Rust and its reason (folded after
/// [`FOLD_AFTER`]), then the documentation changes in one line.
fn class_section(report: &Report, class: Class, h: &str, out: &mut String) {
    let (docs, entries): (Vec<_>, Vec<_>) = report
        .changes
        .iter()
        .filter(|c| c.class == class)
        .partition(|c| c.area == Area::Documentation);
    if entries.is_empty() && docs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{h}# {}\n", class.title());
    for (i, c) in entries.iter().enumerate() {
        if i == FOLD_AFTER {
            let _ = writeln!(
                out,
                "<details><summary>{} more</summary>\n",
                entries.len() - FOLD_AFTER
            );
        }
        let detail = if c.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", c.detail)
        };
        let _ = writeln!(
            out,
            "- **{} {}**: `{}`{detail}  ",
            c.area.as_str(),
            c.kind.as_str(),
            c.subject
        );
        let by = match &c.origin {
            Origin::Metadata => String::new(),
            Origin::Correction(why) => format!(" A change of the project's corrections: {why}."),
        };
        if c.rust.is_empty() {
            let _ = writeln!(out, "  {}.{by}", capitalize(&c.reason));
        } else {
            let _ = writeln!(out, "  `{}`: {}.{by}", c.rust, c.reason);
        }
    }
    if entries.len() > FOLD_AFTER {
        let _ = writeln!(out, "\n</details>");
    }
    if !docs.is_empty() {
        let subjects: Vec<String> = docs.iter().map(|c| format!("`{}`", c.subject)).collect();
        let _ = writeln!(
            out,
            "- **documentation changed** ({}): {}",
            docs.len(),
            subjects.join(", ")
        );
    }
}

/// A file name in code style; a description as it is.
fn label(text: &str) -> String {
    if text.contains(' ') {
        text.to_string()
    } else {
        format!("`{text}`")
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
