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

/// Formats tokens as a Rust file with a preamble comment.
pub fn render(tokens: TokenStream, preamble: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("the emitter produced invalid Rust: {e}"))?;
    let mut out = String::new();
    for line in preamble.lines() {
        let _ = writeln!(out, "// {line}");
    }
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}

/// The preamble naming the command and the documents that produced a file.
pub fn preamble(command: &str, inputs: &[String]) -> String {
    format!(
        "{MARKER} by `{command}` from {}.\nDo not edit: change the input or the generator, then run `{command}` again.",
        inputs.join(", ")
    )
}

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
}

impl Plan {
    pub fn new(root: impl Into<PathBuf>) -> Plan {
        Plan {
            root: root.into(),
            files: BTreeMap::new(),
            owned_dirs: Vec::new(),
            inputs: BTreeMap::new(),
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
        };
        let mut text = serde_json::to_string_pretty(&lock).expect("the lock is plain data");
        text.push('\n');
        self.files.insert(LOCK_FILE.to_string(), text);
    }
}

/// Whether to write the files or only compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What applying a plan changed (or, in check mode, would change).
#[derive(Debug, Default)]
pub struct Report {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Unified diffs of every change (filled in check mode).
    pub diff: String,
    /// Why the files are stale, from the lock (check mode).
    pub reasons: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }
}

/// Writes (or checks) every file of the plan, and removes stale generated files.
pub fn apply(plan: &Plan, mode: Mode) -> Result<Report, String> {
    let mut report = Report::default();
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
    for dir in &plan.owned_dirs {
        for stale in generated_files(&plan.root, dir)? {
            if plan.files.contains_key(&stale) {
                continue;
            }
            let path = plan.root.join(&stale);
            if mode == Mode::Check {
                let old = std::fs::read_to_string(&path).unwrap_or_default();
                report.diff.push_str(&unified_diff(&stale, &old, ""));
            } else {
                std::fs::remove_file(&path)
                    .map_err(|e| format!("{}: cannot remove: {e}", path.display()))?;
            }
            report.removed.push(stale);
        }
    }
    if mode == Mode::Check && !report.is_clean() {
        report.reasons = stale_reasons(plan);
    }
    Ok(report)
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
) -> Result<Vec<Outcome>, String> {
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
                        .collect::<Result<Vec<Outcome>, String>>()
                })
            })
            .collect();
        let mut outcomes = Vec::with_capacity(files.len());
        for handle in handles {
            outcomes.extend(
                handle
                    .join()
                    .map_err(|_| "a writer thread panicked".to_string())??,
            );
        }
        Ok(outcomes)
    })
}

fn compare_one(root: &Path, relative: &str, contents: &str, mode: Mode) -> Result<Outcome, String> {
    let path = root.join(relative);
    let current = match std::fs::read(&path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
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
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
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
fn generated_files(root: &Path, dir: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{}: cannot list: {e}", current.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: cannot list: {e}", current.display()))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && has_marker(&path) {
                out.push(crate::load::portable_path(&path, root));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Explains, from the lock on disk, why the generated code differs from the inputs.
fn stale_reasons(plan: &Plan) -> Vec<String> {
    let lock_path = plan.root.join(LOCK_FILE);
    let Some(lock) = std::fs::read_to_string(&lock_path)
        .ok()
        .and_then(|t| serde_json::from_str::<Lock>(&t).ok())
    else {
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
        let on_disk = std::fs::read(plan.root.join(file)).map(|b| sha256(&b)).ok();
        match on_disk {
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
