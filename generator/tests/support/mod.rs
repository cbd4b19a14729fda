//! What the generator's integration tests share: where the workspace and Microsoft's metadata
//! are, and the project's families.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/graph-metadata`, or `$GRAPH_METADATA`; a test that needs it fails, saying why,
/// when it is missing.
pub fn graph_metadata() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/graph-metadata"));
    assert!(
        dir.is_dir(),
        "this test reads Microsoft's metadata from {} (set $GRAPH_METADATA); it was not found",
        dir.display()
    );
    dir
}

/// The families of `specs/codegen.toml`.
pub fn families() -> Vec<codegen::config::Family> {
    codegen::config::Config::load(&workspace().join("specs/codegen.toml"))
        .unwrap()
        .families
}

/// Microsoft's published v1.0 CSDL documents, oldest first.
pub fn csdl_documents() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(graph_metadata().join("csdl"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csdl"))
        .collect();
    files.sort();
    files
}
