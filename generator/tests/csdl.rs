//! The CSDL front end: a focused spec shows how operations are derived from the container and
//! its capability annotations; every CSDL document in ../shared loads and slices, and its slice
//! reloads to the same model.

mod support;

use support::workspace;

use codegen::model::{Api, ObjectKind, Response, TypeDef};

/// A readable listing of a model: what a review of derivation rules needs to see.
fn summary(api: &Api) -> String {
    let mut out = String::new();
    for def in api.types.values() {
        match def {
            TypeDef::Object(o) => {
                out.push_str(&format!(
                    "type {} {}{}{}{}\n",
                    o.name,
                    match o.kind {
                        ObjectKind::Entity => "Entity",
                        ObjectKind::Complex => "Complex",
                        // The action is the type's name without `.Parameters`.
                        ObjectKind::ActionParameters { .. } => "ActionParameters",
                    },
                    o.base
                        .as_ref()
                        .map(|b| format!(" : {b}"))
                        .unwrap_or_default(),
                    if o.is_abstract { " abstract" } else { "" },
                    o.description
                        .as_ref()
                        .map(|d| format!(" \"{d}\""))
                        .unwrap_or_default()
                ));
                for p in &o.properties {
                    out.push_str(&format!(
                        "  {}: {}{}{}{}{}\n",
                        p.name,
                        p.ty,
                        if p.nullable { " nullable" } else { "" },
                        if p.read_only { " read-only" } else { "" },
                        if p.navigation { " navigation" } else { "" },
                        p.description
                            .as_ref()
                            .map(|d| format!(" \"{d}\""))
                            .unwrap_or_default()
                    ));
                }
            }
            TypeDef::Enum(e) => {
                let members: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
                out.push_str(&format!(
                    "enum {}{} {:?}\n",
                    e.name,
                    if e.flags { " flags" } else { "" },
                    members
                ));
            }
        }
    }
    for op in &api.operations {
        let response = match &op.response {
            Response::Single(t) | Response::SingleOrEmpty(t) => format!("{t}"),
            Response::Value(t) => format!("value {t}"),
            Response::Page(t) => format!("page of {t}"),
            Response::Empty => "nothing".into(),
            Response::Count => "count".into(),
        };
        let query: Vec<&str> = op.query.iter().map(|q| q.wire_name()).collect();
        let headers: Vec<&str> = op.headers.iter().map(|h| h.name.as_str()).collect();
        out.push_str(&format!(
            "{} {} -> {response}{}{}{}\n",
            op.method,
            op.path,
            op.body
                .as_ref()
                .map(|b| format!(" <- {b}"))
                .unwrap_or_default(),
            if query.is_empty() {
                String::new()
            } else {
                format!(" {query:?}")
            },
            if headers.is_empty() {
                String::new()
            } else {
                format!(" headers {headers:?}")
            },
        ));
    }
    for link in &api.links {
        out.push_str(&format!("LINK {} => {}\n", link.path, link.target));
    }
    out
}

#[test]
fn operations_follow_the_container_and_the_capability_annotations() {
    let loaded =
        codegen::load::load_file(&workspace().join("generator/tests/specs/capabilities.csdl.xml"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    insta::assert_snapshot!("capabilities", summary(&loaded.api));
}

#[test]
fn broken_csdl_is_an_error_that_says_where() {
    let cases = [
        ("", "the document is empty"),
        (
            "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"x\"><edmx:DataServices>",
            "line 1",
        ),
        ("<root/>", "expected an `edmx:Edmx` root element"),
        (
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="a"><Property Name="b" Type="n.missing" /></EntityType></Schema></edmx:DataServices></edmx:Edmx>"#,
            "`n.a/b` has the type `n.missing`, which no schema defines",
        ),
    ];
    for (text, expected) in cases {
        let e = codegen::load::load_str(text, "broken.xml")
            .err()
            .unwrap_or_else(|| panic!("{text:?} loaded"));
        assert!(e.to_string().contains(expected), "{text:?}: {e}");
        assert!(e.to_string().starts_with("broken.xml: "), "{e}");
    }
}

#[test]
fn every_csdl_document_loads_slices_and_reloads_to_the_same_model() {
    let config = codegen::config::Config::load(&workspace().join("specs/codegen.toml")).unwrap();
    let filter = codegen::config::FamilyFilter {
        families: &config.families,
    };
    let files = support::csdl_documents();
    assert_eq!(files.len(), 7);
    for file in files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let full = codegen::load::csdl::load_filtered(&text, &name, &filter)
            .unwrap_or_else(|e| panic!("{e}"));
        // A filtered load builds only the types its paths reach, and names the others.
        assert!(
            full.api.types.len() < 200 && full.api.types.len() + full.unbuilt.len() > 2700,
            "{name}: {} types built, {} not",
            full.api.types.len(),
            full.unbuilt.len()
        );
        let expected = codegen::slice(&full.api, &config.families).api;
        let cut = codegen::slice_document(&text, &name, &config.families)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            cut.text.len() < text.len() / 20,
            "{name}: the slice keeps {} of {} bytes",
            cut.text.len(),
            text.len()
        );
        let reloaded = codegen::load::csdl::load_filtered(&cut.text, &name, &filter)
            .unwrap_or_else(|e| panic!("the slice of {e}"));
        let reloaded = codegen::slice(&reloaded.api, &config.families).api;
        assert_eq!(
            reloaded, expected,
            "{name}: the slice does not reload to the model it was cut from"
        );
        let work_hours =
            name.contains("2025-12-23") || name.contains("2026") || name.contains("latest");
        assert_eq!(
            cut.missing_families.is_empty(),
            work_hours,
            "{name}: missing {:?}",
            cut.missing_families
        );
        // The slice is what `generate` reads: keep it for the compile test.
        let out = workspace().join("target/csdl-slices");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(file.file_name().unwrap()), &cut.text).unwrap();
    }
}
