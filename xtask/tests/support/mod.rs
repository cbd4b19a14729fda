//! What the command-line tests share: scratch copies of the trees the commands write, and
//! running the command on one.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/graph-metadata`, or `$GRAPH_METADATA`; a test that needs it fails, saying why,
/// when it is missing.
pub fn graph_metadata() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join("../shared/graph-metadata"));
    assert!(
        dir.is_dir(),
        "this test reads Microsoft's metadata from {} (set $GRAPH_METADATA); it was not found",
        dir.display()
    );
    std::fs::canonicalize(dir).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch copy of `specs/` and `generated/`, the two trees the commands read and write.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repository().join("specs"), &dir.join("specs"));
    copy_dir(&repository().join("generated"), &dir.join("generated"));
    dir
}

/// Runs `cargo xtask ARGS` on a workspace, with the reference data where the tests found it.
pub fn xtask(workspace: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).arg("--workspace").arg(workspace);
    if let Some(metadata) = std::env::var_os("GRAPH_METADATA")
        .map(PathBuf::from)
        .or_else(|| Some(repository().join("../shared/graph-metadata")))
        .filter(|d| d.is_dir())
    {
        command.env("GRAPH_METADATA", std::fs::canonicalize(metadata).unwrap());
    }
    command.output().expect("xtask runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
