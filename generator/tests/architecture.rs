//! The architecture ARCHITECTURE.md describes, checked: the generator's modules form layers
//! without a cycle, private parts of a layer are not reached from outside it, and no
//! hand-written file or function grows past the size a reader can hold, unless a comment
//! says why it must.
//!
//! Like rust-analyzer's tidy tests, these read the sources as text: a `crate::<module>` path
//! in code (not in comments, not in tests) is a dependency on that module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file below `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a source file: without comments, and without an inline `#[cfg(test)]` module
/// (tests may reach anywhere).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start() == "#[cfg(test)]" {
            break;
        }
        let line = line.trim_start();
        if !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The generator's top-level modules, each with the modules its code names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace().join("generator/src");
    let modules: BTreeSet<String> = rust_files(&src)
        .iter()
        .filter_map(|p| top_module(&src, p))
        .collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&src) {
        let Some(module) = top_module(&src, &path) else {
            continue;
        };
        let entry = deps.entry(module.clone()).or_default();
        if is_test_file(&path) {
            continue;
        }
        let text = code(&std::fs::read_to_string(&path).unwrap());
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name != module && modules.contains(&name) {
                entry.insert(name);
            }
        }
    }
    deps
}

/// `src/load/csdl/derive.rs` → `load`; `src/lib.rs` → none.
fn top_module(src: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib").then_some(name)
}

fn is_test_file(path: &Path) -> bool {
    path.components()
        .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "tests.rs")
}

#[test]
fn the_modules_form_layers_without_a_cycle() {
    let deps = dependencies();
    // Kahn's algorithm: what remains after removing every module whose dependencies are gone
    // is on a cycle.
    let mut remaining = deps.clone();
    loop {
        let free: Vec<String> = remaining
            .iter()
            .filter(|(_, d)| d.iter().all(|m| !remaining.contains_key(m)))
            .map(|(m, _)| m.clone())
            .collect();
        if free.is_empty() {
            break;
        }
        for m in free {
            remaining.remove(&m);
        }
    }
    assert!(
        remaining.is_empty(),
        "modules on a dependency cycle: {remaining:#?}"
    );
    assert!(
        deps["model"].is_empty(),
        "the model depends on nothing: {:?}",
        deps["model"]
    );
    for layer in ["names", "paths"] {
        assert!(
            deps[layer].iter().all(|d| d == "model"),
            "`{layer}` only reads the model: {:?}",
            deps[layer]
        );
    }
    assert!(
        !deps["rust_api"].contains("emit") && !deps["changes"].contains("emit"),
        "the analysis and the report do not depend on the printer: {deps:#?}"
    );
}

#[test]
fn private_parts_of_a_layer_are_not_reached_from_outside() {
    let src = workspace().join("generator/src");
    // (directory module, its private submodules)
    let layers = [
        (
            "emit",
            ["docs", "extensions", "models", "requests", "tokens"].as_slice(),
        ),
        (
            "rust_api",
            ["boxing", "models", "requests", "types"].as_slice(),
        ),
        ("load", ["csdl::", "openapi::"].as_slice()),
    ];
    let mut found = Vec::new();
    for path in rust_files(&src) {
        if is_test_file(&path) {
            continue;
        }
        let module = top_module(&src, &path).unwrap_or_default();
        let text = code(&std::fs::read_to_string(&path).unwrap());
        for (layer, private) in layers {
            if module == layer {
                continue;
            }
            for part in private {
                let reach = format!("crate::{layer}::{part}");
                // A layer's private module path, but not its public entry points
                // (`crate::load::csdl::load_str` is a public function of `load::csdl`).
                let internal = if part.ends_with("::") {
                    text.match_indices(&reach).any(|(i, _)| {
                        let rest = &text[i + reach.len()..];
                        !rest.starts_with("load_") && !rest.starts_with("ODATA_ERROR")
                    })
                } else {
                    text.contains(&reach)
                };
                if internal {
                    found.push(format!("{} reaches `{reach}`", path.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The hand-written sources: the generator, the command line, and the crate's runtime,
/// tests, benches and examples (not its generated modules).
fn hand_written() -> Vec<PathBuf> {
    let root = workspace();
    let mut files = Vec::new();
    for dir in [
        "generator/src",
        "generator/tests",
        "generator/examples",
        "xtask/src",
        "xtask/tests",
        "generated/src/runtime",
        "generated/tests",
        "generated/benches",
        "generated/examples",
    ] {
        files.extend(rust_files(&root.join(dir)));
    }
    files.push(root.join("generated/src/lib.rs"));
    files
}

/// A file may be longer than this only with a `// Long file:` comment saying why.
const MAX_FILE_LINES: usize = 800;
/// A function may be longer than this only with a `// Long:` comment above it saying why.
const MAX_FUNCTION_LINES: usize = 100;

#[test]
fn no_hand_written_file_is_too_long() {
    let mut long = Vec::new();
    for path in hand_written() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES && !text.contains("// Long file:") {
            long.push(format!("{}: {lines} lines", path.display()));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long:#?}"
    );
}

/// The functions of a rustfmt-formatted file over `max` lines: (line, name, length). A
/// function ends at the first line with its own indentation that closes a brace.
fn long_functions(text: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(name) = function_name(trimmed) else {
            continue;
        };
        if trimmed.ends_with('}') || trimmed.ends_with(';') {
            continue;
        }
        let end = lines[i + 1..]
            .iter()
            .position(|l| l.starts_with(indent) && l[indent.len()..].starts_with('}'))
            .map_or(lines.len(), |p| i + 1 + p);
        let length = end - i + 1;
        let justified = lines[..i]
            .iter()
            .rev()
            .take_while(|l| {
                let l = l.trim_start();
                l.starts_with("//") || l.starts_with("#[")
            })
            .any(|l| l.trim_start().starts_with("// Long:"));
        if length > max && !justified {
            out.push((i + 1, name, length));
        }
    }
    out
}

/// The name of the function a line declares, if it declares one.
fn function_name(line: &str) -> Option<String> {
    let mut rest = line;
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    Some(
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect(),
    )
}

#[test]
fn no_hand_written_function_is_too_long() {
    let mut long = Vec::new();
    for path in hand_written() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, name, length) in long_functions(&text, MAX_FUNCTION_LINES) {
            long.push(format!(
                "{}:{line}: `{name}` is {length} lines",
                path.display()
            ));
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines: {long:#?}"
    );
}

#[test]
fn the_size_checks_measure_what_they_say() {
    let body = "    x();\n".repeat(5);
    let text = format!(
        "fn short() {{\n{body}}}\n\nfn long() {{\n{}}}\n",
        body.repeat(30)
    );
    let found = long_functions(&text, 100);
    assert_eq!(found, vec![(9, "long".to_string(), 152)]);
    let justified = format!("// Long: a table.\n{text}");
    assert_eq!(
        long_functions(&justified, 100).len(),
        1,
        "only the comment above counts"
    );
    let justified = text.replace("fn long", "// Long: a table.\nfn long");
    assert!(long_functions(&justified, 100).is_empty());
}
