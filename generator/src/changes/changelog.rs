//! The generated crate's `CHANGELOG.md`: each regeneration that changes the API adds its report
//! under the "Unreleased" heading, newest first, so that the crate's users read in one place what
//! each regeneration changed for them. Whoever releases renames the heading to the version.

use std::fmt::Write as _;

use super::{Report, render};

/// The changelog's file name, at the root of the generated crate.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

const UNRELEASED: &str = "## Unreleased";

const TITLE: &str = "# Changelog\n\n\
All notable changes to this crate. Sections under \"Unreleased\" are written by `cargo xtask codegen` each \
time a regeneration changes the API; a release renames \"Unreleased\" to its version.\n";

/// Today's date in the local time zone: `2026-11-25`.
pub fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// The changelog with one more entry: the reports of one regeneration (those with changes).
pub fn add_entry(existing: Option<&str>, date: &str, reports: &[Report]) -> String {
    let mut entry = String::new();
    let _ = writeln!(entry, "### {date}: regenerated\n");
    for report in reports.iter().filter(|r| !r.is_empty()) {
        entry.push_str(&render::markdown(report, 4));
        entry.push('\n');
    }
    let existing = existing.unwrap_or(TITLE);
    let mut lines: Vec<&str> = existing.lines().collect();
    let at = match lines.iter().position(|l| l.trim_end() == UNRELEASED) {
        // Right below the heading (and its blank line): newest first.
        Some(i) => {
            let mut at = i + 1;
            while lines.get(at).is_some_and(|l| l.trim().is_empty()) {
                at += 1;
            }
            at
        }
        None => {
            // A new heading before the first release, or at the end.
            let mut at = lines
                .iter()
                .position(|l| l.starts_with("## "))
                .unwrap_or(lines.len());
            if at > 0 && !lines[at - 1].trim().is_empty() {
                lines.insert(at, "");
                at += 1;
            }
            lines.insert(at, UNRELEASED);
            lines.insert(at + 1, "");
            at + 2
        }
    };
    let mut out = lines[..at].join("\n");
    out.push('\n');
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&entry);
    let rest = lines[at..].join("\n");
    if !rest.is_empty() {
        out.push_str(&rest);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::{Bump, Change, Counts, Rule, Scope};

    fn report(subject: &str) -> Report {
        Report {
            old: "a".into(),
            new: "b".into(),
            version: "beta".into(),
            scope: Scope::All,
            bump: Bump::Minor,
            next_version: None,
            counts: Counts {
                non_breaking: 1,
                ..Counts::default()
            },
            changes: vec![Change::of(Rule::TypeAdded, subject).build()],
            notes: Vec::new(),
        }
    }

    #[test]
    fn entries_go_under_unreleased_newest_first() {
        let first = add_entry(None, "2026-01-01", &[report("first")]);
        assert!(first.starts_with("# Changelog\n"), "{first}");
        assert!(
            first.contains("version.\n\n## Unreleased\n"),
            "a blank line before the heading: {first}"
        );
        assert!(
            first.contains("## Unreleased\n\n### 2026-01-01: regenerated\n"),
            "{first}"
        );
        let released = first.replace("## Unreleased", "## 0.1.0");
        let second = add_entry(Some(&released), "2026-02-01", &[report("second")]);
        let unreleased = second.find("## Unreleased").unwrap();
        let release = second.find("## 0.1.0").unwrap();
        assert!(
            unreleased < second.find("`second`").unwrap()
                && second.find("`second`").unwrap() < release,
            "{second}"
        );
        assert!(release < second.find("`first`").unwrap(), "{second}");
        let third = add_entry(Some(&second), "2026-03-01", &[report("third")]);
        assert!(
            third.find("`third`").unwrap() < third.find("`second`").unwrap(),
            "{third}"
        );
        assert_eq!(third.matches("## Unreleased").count(), 1);
    }
}
