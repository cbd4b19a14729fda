//! Loads documents and prints what the model holds (a development aid):
//! `cargo run --release -p msgraph-codegen --example load_stats -- FILE...`
fn main() {
    for file in std::env::args().skip(1) {
        let started = std::time::Instant::now();
        match codegen::load::load_file(std::path::Path::new(&file)) {
            Ok(loaded) => {
                let api = &loaded.api;
                println!(
                    "{file}: {} types, {} operations, {} links, {} warnings, {:.0?}",
                    api.types.len(),
                    api.operations.len(),
                    api.links.len(),
                    loaded.warnings.len(),
                    started.elapsed()
                );
                for op in api
                    .operations
                    .iter()
                    .filter(|o| {
                        o.path.to_string().contains("workHoursAndLocations")
                            || o.path
                                .to_string()
                                .starts_with("/teams/{team-id}/schedule/time")
                    })
                    .take(60)
                {
                    println!(
                        "  {} {} -> {:?} q={}",
                        op.method,
                        op.path,
                        op.response,
                        op.query.len()
                    );
                }
            }
            Err(e) => println!("{file}: error: {e}"),
        }
    }
}
