//! The files of a standalone crate made by `cargo xtask generate`: a manifest, a crate root,
//! and the hand-written runtime, copied verbatim from the project's own crate so that both
//! always run the same code.

use std::collections::BTreeSet;

use crate::write::{MARKER, Plan};

/// The runtime's files, relative to `src/`, with their contents.
pub const RUNTIME: &[(&str, &str)] = &[
    (
        "runtime/mod.rs",
        include_str!("../../generated/src/runtime/mod.rs"),
    ),
    (
        "runtime/azure.rs",
        include_str!("../../generated/src/runtime/azure.rs"),
    ),
    (
        "runtime/batch.rs",
        include_str!("../../generated/src/runtime/batch.rs"),
    ),
    (
        "runtime/body.rs",
        include_str!("../../generated/src/runtime/body.rs"),
    ),
    (
        "runtime/client/mod.rs",
        include_str!("../../generated/src/runtime/client/mod.rs"),
    ),
    (
        "runtime/client/batch.rs",
        include_str!("../../generated/src/runtime/client/batch.rs"),
    ),
    (
        "runtime/client/builder.rs",
        include_str!("../../generated/src/runtime/client/builder.rs"),
    ),
    (
        "runtime/client/policy.rs",
        include_str!("../../generated/src/runtime/client/policy.rs"),
    ),
    (
        "runtime/client/tokens.rs",
        include_str!("../../generated/src/runtime/client/tokens.rs"),
    ),
    (
        "runtime/client/transport.rs",
        include_str!("../../generated/src/runtime/client/transport.rs"),
    ),
    (
        "runtime/edm/mod.rs",
        include_str!("../../generated/src/runtime/edm/mod.rs"),
    ),
    (
        "runtime/edm/binary.rs",
        include_str!("../../generated/src/runtime/edm/binary.rs"),
    ),
    (
        "runtime/edm/number.rs",
        include_str!("../../generated/src/runtime/edm/number.rs"),
    ),
    (
        "runtime/edm/tests.rs",
        include_str!("../../generated/src/runtime/edm/tests.rs"),
    ),
    (
        "runtime/edm/text.rs",
        include_str!("../../generated/src/runtime/edm/text.rs"),
    ),
    (
        "runtime/edm/time.rs",
        include_str!("../../generated/src/runtime/edm/time.rs"),
    ),
    (
        "runtime/encode.rs",
        include_str!("../../generated/src/runtime/encode.rs"),
    ),
    (
        "runtime/error.rs",
        include_str!("../../generated/src/runtime/error.rs"),
    ),
    (
        "runtime/extra.rs",
        include_str!("../../generated/src/runtime/extra.rs"),
    ),
    (
        "runtime/model.rs",
        include_str!("../../generated/src/runtime/model.rs"),
    ),
    (
        "runtime/node.rs",
        include_str!("../../generated/src/runtime/node.rs"),
    ),
    (
        "runtime/nullable.rs",
        include_str!("../../generated/src/runtime/nullable.rs"),
    ),
    (
        "runtime/open_enum.rs",
        include_str!("../../generated/src/runtime/open_enum.rs"),
    ),
    (
        "runtime/operation.rs",
        include_str!("../../generated/src/runtime/operation.rs"),
    ),
    (
        "runtime/request.rs",
        include_str!("../../generated/src/runtime/request.rs"),
    ),
    (
        "runtime/page.rs",
        include_str!("../../generated/src/runtime/page.rs"),
    ),
    (
        "runtime/timezone.rs",
        include_str!("../../generated/src/runtime/timezone.rs"),
    ),
];

/// The project crate's manifest: its `[dependencies]` table is what the runtime needs.
const PROJECT_MANIFEST: &str = include_str!("../../generated/Cargo.toml");

/// A table of the project crate's manifest, verbatim (without its header).
fn table(name: &str) -> &'static str {
    let header = format!("\n[{name}]\n");
    let start = PROJECT_MANIFEST
        .find(&header)
        .map(|i| i + header.len())
        .unwrap_or(PROJECT_MANIFEST.len());
    let rest = &PROJECT_MANIFEST[start..];
    let end = rest.find("\n[").map(|i| i + 1).unwrap_or(rest.len());
    &rest[..end]
}

/// The `[dependencies]` the runtime needs.
fn dependencies() -> &'static str {
    table("dependencies")
}

/// The `[features]` table: the runtime's (`client`, `azure-identity`, as the project's crate
/// declares them) and one per family or top-level module, all on by default.
fn features(modules: &BTreeSet<String>) -> String {
    let mut default = vec!["\"client\"".to_string()];
    default.extend(modules.iter().map(|m| format!("\"{m}\"")));
    let mut out = format!("default = [{}]\n", default.join(", "));
    if !modules.is_empty() {
        out.push_str(
            "# One feature per part of the API: only what the enabled ones reach is compiled.\n",
        );
        for m in modules {
            out.push_str(&format!("{m} = []\n"));
        }
    }
    let mut comment = String::new();
    for line in table("features").lines() {
        if line.starts_with('#') {
            comment.push_str(line);
            comment.push('\n');
            continue;
        }
        let name = line.split('=').next().unwrap_or("").trim();
        if matches!(name, "client" | "azure-identity") {
            out.push_str(&comment);
            out.push_str(line);
            out.push('\n');
        }
        comment.clear();
    }
    out
}

/// Adds the manifest, crate root and runtime of a standalone crate to a plan.
pub fn add_crate_files(
    plan: &mut Plan,
    package: &str,
    library: &str,
    module: &str,
    version: &str,
    modules: &BTreeSet<String>,
) {
    let manifest = format!(
        "# {MARKER} by `cargo xtask generate`. Do not edit: generate again instead.\n\
         [package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.85\"\n\
         description = \"Microsoft Graph {version} bindings generated by msgraph-codegen.\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         name = \"{library}\"\n\
         \n\
         [workspace]\n\
         \n\
         # Nobody edits this crate, so incremental compilation pays only when a regeneration\n\
         # changes little (a re-check then takes about half a clean one); it makes a clean\n\
         # check slower and larger. Where it is checked clean more often than regenerated,\n\
         # turn it off in the workspace that depends on this crate by path (registry and git\n\
         # dependencies are never compiled incrementally):\n\
         #   [profile.dev.package.{package}]\n\
         #   incremental = false\n\
         \n\
         [package.metadata.docs.rs]\n\
         all-features = true\n\
         \n\
         [features]\n\
         {}\n\
         [dependencies]\n\
         {}",
        features(modules),
        dependencies()
    );
    plan.files.insert("Cargo.toml".into(), manifest);
    let root = format!(
        "// {MARKER} by `cargo xtask generate`. Do not edit: generate again instead.\n\
         //! Microsoft Graph `{version}` bindings generated by msgraph-codegen.\n\
         #![allow(missing_docs)]\n\
         #![cfg_attr(docsrs, feature(doc_cfg))]\n\
         \n\
         pub mod {module};\n\
         \n\
         #[doc(hidden)]\n\
         pub mod runtime;\n\
         \n\
         #[doc(inline)]\n\
         pub use runtime::exports::*;\n"
    );
    plan.files.insert("src/lib.rs".into(), root);
    for (path, contents) in RUNTIME {
        plan.files
            .insert(format!("src/{path}"), (*contents).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_is_copied() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
        // Every `.rs` file under `runtime/`, subdirectories included, as a `/`-separated path
        // relative to `src/`.
        let mut on_disk: Vec<String> = Vec::new();
        let mut dirs = vec![src.join("runtime")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let relative = path.strip_prefix(&src).unwrap();
                    let parts: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    on_disk.push(parts.join("/"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = RUNTIME.iter().map(|(path, _)| path.to_string()).collect();
        listed.sort();
        assert_eq!(
            listed, on_disk,
            "standalone::RUNTIME must list every runtime file"
        );
    }

    #[test]
    fn the_manifest_carries_the_runtime_dependencies() {
        let deps = dependencies();
        for name in [
            "serde",
            "serde_json",
            "http",
            "percent-encoding",
            "jiff",
            "windows-timezones",
        ] {
            assert!(
                deps.lines().any(|l| l.starts_with(&format!("{name} ="))),
                "{name} missing from:\n{deps}"
            );
        }
        assert!(
            !deps.contains("workspace = true"),
            "standalone crates cannot inherit from our workspace"
        );
    }

    #[test]
    fn the_manifest_carries_the_client_and_module_features_but_not_the_projects() {
        let modules = BTreeSet::from(["groups".to_string(), "users".to_string()]);
        let features = features(&modules);
        assert!(
            features.starts_with("default = [\"client\", \"groups\", \"users\"]\n"),
            "{features}"
        );
        assert!(
            features.contains("\ngroups = []\nusers = []\n"),
            "{features}"
        );
        assert!(features.contains("\nclient = ["), "{features}");
        assert!(features.contains("\nazure-identity = ["), "{features}");
        for project in [
            "beta =",
            "v1_0 =",
            "work-hours-and-locations =",
            "teams-shifts-time-off =",
        ] {
            assert!(!features.contains(project), "{features}");
        }
    }
}
