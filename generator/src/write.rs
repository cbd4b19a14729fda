//! Tokens → formatted files on disk, or a diff of what would change.
//!
//! Like rust-analyzer's `ensure_file_contents`: a file is written only when its contents
//! change, generated files that are no longer produced are removed, and in check mode nothing
//! is written and every difference is reported as a unified diff. Only files that carry the
//! [`MARKER`] are ever removed, so hand-written files beside generated ones are safe.
//!
//! The lock (`codegen.lock.json`) records the hash of each input document, of each generated
//! file, and the generator version, so a failed check can say *why* the code is stale: an
//! input changed, a generated file was edited by hand, or the generator changed.
//!
//! Files are compared with their line endings normalized, so that a checkout that turned
//! `\n` into `\r\n` (Git's `core.autocrlf` on Windows) is not stale; the repository's
//! `.gitattributes` asks for `\n` anyway.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Every generated file contains this marker; only such files are removed when stale.
pub const MARKER: &str = "@generated";

/// The name of the lock file, at the root of the generated crate.
pub const LOCK_FILE: &str = "codegen.lock.json";

/// Why files cannot be compared, written or removed.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot {action}: {source}", path.display())]
pub struct WriteError {
    /// The file or directory.
    pub path: PathBuf,
    /// What was attempted: `read`, `write`, `create`, `remove`, `list`.
    pub action: &'static str,
    /// Why it failed.
    pub source: std::io::Error,
}

impl WriteError {
    fn new(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> WriteError {
        let path = path.to_path_buf();
        move |source| WriteError {
            path,
            action,
            source,
        }
    }
}

/// Formats tokens as a Rust file with a preamble comment.
pub fn render(tokens: TokenStream, preamble: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("the emitter produced invalid Rust: {e}"))?;
    let mut out = String::new();
    for line in preamble.lines() {
        let _ = writeln!(out, "// {line}");
    }
    out.push_str(&space_out_items(&prettyplease::unparse(&file)));
    Ok(out)
}

/// Starts each item of a module or an `impl` (at the top level, or one level in) with a blank
/// line when it follows a block, as rustfmt leaves hand-written code: `prettyplease` writes
/// items back to back.
fn space_out_items(text: &str) -> String {
    let starts_item = |line: &str| {
        let line = line.trim_start();
        [
            "///", "#[", "pub ", "pub(", "fn ", "impl", "const ", "mod ", "enum ", "struct ",
        ]
        .iter()
        .any(|p| line.starts_with(p))
    };
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let indent = prev.len() - prev.trim_start().len();
            let closes_block = matches!(prev.trim_start(), "}" | "};") || prev.ends_with(" {}");
            let same_level = line.len() - line.trim_start().len() == indent;
            if closes_block && indent <= 4 && same_level && starts_item(line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// The preamble naming the command and the documents that produced a file.
pub fn preamble(command: &str, inputs: &[String]) -> String {
    format!(
        "{MARKER} by `{command}` from {}.\nDo not edit: change the input or the generator, then run `{command}` again.",
        inputs.join(", ")
    )
}

/// `sha256:<hex>` of a text with its line ends normalized: the hash the lock records for an
/// input document, the same on every checkout.
pub fn text_sha256(text: &str) -> String {
    sha256(normalized(text.to_string()).as_bytes())
}

/// `sha256:<hex>` of some bytes, as the lock records hashes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// What the lock records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// `msgraph-codegen 0.1.0`.
    pub generator: String,
    /// Input document (relative path) → hash.
    pub inputs: BTreeMap<String, String>,
    /// Generated file (relative to the crate) → hash.
    pub outputs: BTreeMap<String, String>,
    /// API version → the Microsoft documents its spec was derived from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, Vec<crate::sources::SourceRecord>>,
}

/// The complete set of files a generation produces under one directory.
#[derive(Debug)]
pub struct Plan {
    /// The directory files are relative to (the generated crate).
    pub root: PathBuf,
    /// Relative path (with `/`) → contents.
    pub files: BTreeMap<String, String>,
    /// Directories (relative) whose generated files this plan owns: stale ones are removed.
    pub owned_dirs: Vec<String>,
    /// Input documents, for the lock: relative path → contents hash.
    pub inputs: BTreeMap<String, String>,
    /// The Microsoft documents each API version's spec was derived from, for the lock.
    pub sources: BTreeMap<String, Vec<crate::sources::SourceRecord>>,
}

impl Plan {
    /// An empty plan for files under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Plan {
        Plan {
            root: root.into(),
            files: BTreeMap::new(),
            owned_dirs: Vec::new(),
            inputs: BTreeMap::new(),
            sources: BTreeMap::new(),
        }
    }

    /// Adds the lock file, computed from the inputs and the other files.
    pub fn add_lock(&mut self) {
        let lock = Lock {
            generator: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            inputs: self.inputs.clone(),
            outputs: self
                .files
                .iter()
                .map(|(k, v)| (k.clone(), sha256(v.as_bytes())))
                .collect(),
            sources: self.sources.clone(),
        };
        let mut text = serde_json::to_string_pretty(&lock).expect("the lock is plain data");
        text.push('\n');
        self.files.insert(LOCK_FILE.to_string(), text);
    }
}

/// Whether to write the files or only compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed, remove what is stale.
    Write,
    /// Write nothing; report what would change, with diffs.
    Check,
}

/// What applying a plan changed (or, in check mode, would change).
#[derive(Debug, Default)]
pub struct Written {
    /// New files.
    pub added: Vec<String>,
    /// Changed files.
    pub modified: Vec<String>,
    /// Stale generated files removed.
    pub removed: Vec<String>,
    /// Files already as planned.
    pub unchanged: usize,
    /// Unified diffs of every change (filled in check mode).
    pub diff: String,
    /// Why the files are stale, from the lock (check mode).
    pub reasons: Vec<String>,
}

impl Written {
    /// Whether nothing was (or would be) written or removed.
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }
}

/// Writes (or checks) every file of the plan, and removes stale generated files: those in
/// the plan's owned directories that carry the [`MARKER`], and those the previous lock recorded
/// as outputs that are still as it recorded them (the runtime files a standalone crate copies
/// carry no marker, and a new runtime may drop one).
pub fn apply(plan: &Plan, mode: Mode) -> Result<Written, WriteError> {
    // Read before anything is written: the lock is one of the planned files.
    let previous = read_lock(&plan.root);
    let mut report = Written::default();
    let files: Vec<(&String, &String)> = plan.files.iter().collect();
    for ((relative, _), outcome) in files.iter().zip(compare_all(plan, &files, mode)?) {
        match outcome {
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Modified(diff) => {
                report.modified.push((*relative).clone());
                report.diff.push_str(&diff);
            }
            Outcome::Added(diff) => {
                report.added.push((*relative).clone());
                report.diff.push_str(&diff);
            }
        }
    }
    for stale in stale_files(plan, previous.as_ref())? {
        let path = plan.root.join(&stale);
        if mode == Mode::Check {
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            report.diff.push_str(&unified_diff(&stale, &old, ""));
        } else {
            std::fs::remove_file(&path).map_err(WriteError::new(&path, "remove"))?;
        }
        report.removed.push(stale);
    }
    if mode == Mode::Check && !report.is_clean() {
        report.reasons = stale_reasons(plan, previous.as_ref());
    }
    Ok(report)
}

/// The lock on disk, if there is a readable one.
fn read_lock(root: &Path) -> Option<Lock> {
    let text = std::fs::read_to_string(root.join(LOCK_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The sha256 of a file on disk, line ends normalized, if it can be read.
fn file_sha256(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(text_sha256(&String::from_utf8_lossy(&bytes)))
}

/// Generated files on disk that the plan no longer produces, sorted.
fn stale_files(plan: &Plan, previous: Option<&Lock>) -> Result<Vec<String>, WriteError> {
    let mut stale = std::collections::BTreeSet::new();
    for dir in &plan.owned_dirs {
        stale.extend(generated_files(&plan.root, dir)?);
    }
    for (file, hash) in previous.iter().flat_map(|lock| &lock.outputs) {
        if file_sha256(&plan.root.join(file)).as_ref() == Some(hash) {
            stale.insert(file.clone());
        }
    }
    stale.retain(|f| !plan.files.contains_key(f));
    Ok(stale.into_iter().collect())
}

/// What became of one planned file (with its diff, in check mode).
enum Outcome {
    Unchanged,
    Modified(String),
    Added(String),
}

/// Compares (and in write mode writes) every planned file, on every core: a whole API is
/// thousands of files. Outcomes come back in the order of `files`.
fn compare_all(
    plan: &Plan,
    files: &[(&String, &String)],
    mode: Mode,
) -> Result<Vec<Outcome>, WriteError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(relative, contents)| {
                            compare_one(&plan.root, relative, contents, mode)
                        })
                        .collect::<Result<Vec<Outcome>, WriteError>>()
                })
            })
            .collect();
        let mut outcomes = Vec::with_capacity(files.len());
        for handle in handles {
            // A writer thread only panics on a bug: let it show as one.
            match handle.join() {
                Ok(result) => outcomes.extend(result?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(outcomes)
    })
}

fn compare_one(
    root: &Path,
    relative: &str,
    contents: &str,
    mode: Mode,
) -> Result<Outcome, WriteError> {
    let path = root.join(relative);
    let current = match std::fs::read(&path) {
        Ok(bytes) => Some(normalized(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::new(&path, "read")(e)),
    };
    let diff = |old: &str| match mode {
        Mode::Check => unified_diff(relative, old, contents),
        Mode::Write => String::new(),
    };
    let outcome = match current {
        Some(ref c) if c == contents => return Ok(Outcome::Unchanged),
        Some(ref c) => Outcome::Modified(diff(c)),
        None => Outcome::Added(diff("")),
    };
    if mode == Mode::Write {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(WriteError::new(parent, "create"))?;
        }
        std::fs::write(&path, contents).map_err(WriteError::new(&path, "write"))?;
    }
    Ok(outcome)
}

/// Whether a file starts with the [`MARKER`] (in its first lines; only those are read).
fn has_marker(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 1024];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .lines()
        .take(3)
        .any(|l| l.contains(MARKER))
}

/// Generated (`@generated`) Rust files under `root/dir`, relative to `root`, sorted.
fn generated_files(root: &Path, dir: &str) -> Result<Vec<String>, WriteError> {
    let mut out = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(WriteError::new(&current, "list")(e)),
        };
        for entry in entries {
            let entry = entry.map_err(WriteError::new(&current, "list"))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && has_marker(&path) {
                out.push(portable_path(&path, root));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Paths relative to a base directory, with `/` separators, for messages and preambles that
/// must not depend on the machine.
pub fn portable_path(path: &Path, base: &Path) -> String {
    let relative: PathBuf = path
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Explains, from the lock on disk, why the generated code differs from the inputs.
fn stale_reasons(plan: &Plan, previous: Option<&Lock>) -> Vec<String> {
    let Some(lock) = previous else {
        return vec![format!(
            "{LOCK_FILE} is missing or unreadable: the code was never generated here, or the lock was deleted"
        )];
    };
    let mut reasons = Vec::new();
    for (input, hash) in &plan.inputs {
        match lock.inputs.get(input) {
            None => reasons.push(format!("input `{input}` is new since the last codegen")),
            Some(old) if old != hash => {
                reasons.push(format!("input `{input}` changed since the last codegen"))
            }
            _ => {}
        }
    }
    for input in lock.inputs.keys() {
        if !plan.inputs.contains_key(input) {
            reasons.push(format!("input `{input}` is no longer used"));
        }
    }
    for (file, hash) in &lock.outputs {
        match file_sha256(&plan.root.join(file)) {
            Some(h) if &h != hash => reasons.push(format!(
                "`{file}` was edited by hand since the last codegen"
            )),
            None => reasons.push(format!("`{file}` was deleted since the last codegen")),
            _ => {}
        }
    }
    let generator = format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    if lock.generator != generator {
        reasons.push(format!(
            "the generator changed from {} to {generator}",
            lock.generator
        ));
    }
    if reasons.is_empty() {
        reasons.push(
            "the inputs and the files are as the lock recorded them: the generator's code changed"
                .into(),
        );
    }
    reasons
}

/// Text with `\r\n` line ends turned into `\n`, as the generator writes them.
fn normalized(text: String) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// A unified diff with three lines of context, headed by the file name.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "msgraph-codegen-write-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn items_after_blocks_are_spaced_out() {
        let text = "pub struct A {\n    x: u8,\n}\nimpl A {\n    fn a() {\n        if x {\n        }\n        y();\n    }\n    /// b\n    fn b() {}\n}\nmod c;\npub use c::C;\n";
        assert_eq!(
            space_out_items(text),
            "pub struct A {\n    x: u8,\n}\n\nimpl A {\n    fn a() {\n        if x {\n        }\n        y();\n    }\n\n    /// b\n    fn b() {}\n}\n\nmod c;\npub use c::C;\n"
        );
    }

    #[test]
    fn writes_only_changes_and_removes_stale_generated_files() {
        let dir = temp_dir("apply");
        std::fs::create_dir_all(dir.join("src/v")).unwrap();
        std::fs::write(dir.join("src/v/old.rs"), "// @generated\n").unwrap();
        std::fs::write(dir.join("src/v/hand.rs"), "// written by hand\n").unwrap();
        let mut plan = Plan::new(&dir);
        plan.owned_dirs.push("src/v".into());
        plan.files
            .insert("src/v/new.rs".into(), "// @generated\nfn a() {}\n".into());

        let check = apply(&plan, Mode::Check).unwrap();
        assert_eq!(check.added, ["src/v/new.rs"]);
        assert_eq!(check.removed, ["src/v/old.rs"]);
        assert!(check.diff.contains("+fn a() {}"));
        assert!(
            dir.join("src/v/old.rs").exists(),
            "check mode writes nothing"
        );

        let write = apply(&plan, Mode::Write).unwrap();
        assert_eq!(write.added, ["src/v/new.rs"]);
        assert!(!dir.join("src/v/old.rs").exists());
        assert!(
            dir.join("src/v/hand.rs").exists(),
            "hand-written files are never removed"
        );

        let again = apply(&plan, Mode::Write).unwrap();
        assert!(again.is_clean());
        assert_eq!(again.unchanged, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_the_last_lock_recorded_are_removed_when_no_longer_planned() {
        let dir = temp_dir("recorded");
        let mut plan = Plan::new(&dir);
        plan.files
            .insert("a.rs".into(), "// hand-written, copied\n".into());
        plan.files.insert("b.rs".into(), "// copied too\n".into());
        plan.add_lock();
        apply(&plan, Mode::Write).unwrap();
        std::fs::write(dir.join("b.rs"), "// copied too, then edited\n").unwrap();
        let mut next = Plan::new(&dir);
        next.add_lock();
        let report = apply(&next, Mode::Write).unwrap();
        assert_eq!(report.removed, ["a.rs"], "edited files stay");
        assert!(!dir.join("a.rs").exists() && dir.join("b.rs").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_checked_out_with_crlf_are_not_stale() {
        let dir = temp_dir("crlf");
        let mut plan = Plan::new(&dir);
        plan.files
            .insert("a.rs".into(), "// @generated\nfn a() {}\n".into());
        plan.add_lock();
        apply(&plan, Mode::Write).unwrap();
        for file in ["a.rs", LOCK_FILE] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            std::fs::write(dir.join(file), text.replace('\n', "\r\n")).unwrap();
        }
        let report = apply(&plan, Mode::Check).unwrap();
        assert!(report.is_clean(), "{report:?}");
        std::fs::write(dir.join("a.rs"), "// @generated\r\nfn b() {}\r\n").unwrap();
        let report = apply(&plan, Mode::Check).unwrap();
        assert_eq!(report.modified, ["a.rs"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_lock_explains_why_code_is_stale() {
        let dir = temp_dir("lock");
        let mut plan = Plan::new(&dir);
        plan.inputs.insert("spec.yaml".into(), "sha256:1".into());
        plan.files.insert("a.rs".into(), "// @generated\n".into());
        plan.add_lock();
        apply(&plan, Mode::Write).unwrap();

        std::fs::write(dir.join("a.rs"), "// @generated\n// edited\n").unwrap();
        let report = apply(&plan, Mode::Check).unwrap();
        assert!(
            report
                .reasons
                .iter()
                .any(|r| r.contains("`a.rs` was edited by hand")),
            "{:?}",
            report.reasons
        );

        plan.inputs.insert("spec.yaml".into(), "sha256:2".into());
        plan.add_lock();
        let report = apply(&plan, Mode::Check).unwrap();
        assert!(
            report
                .reasons
                .iter()
                .any(|r| r.contains("input `spec.yaml` changed")),
            "{:?}",
            report.reasons
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
