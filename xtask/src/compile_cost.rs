//! Figure 8 of `cargo xtask bench`: what a crate's features cost to compile. A clean
//! `cargo check` of the crate alone (its dependencies checked once beforehand), timed, with the
//! peak memory of the largest process (rustc) as GNU `time` reports it, for `msgraph-work` with
//! each family alone and with both, and for the whole v1.0 API (`generate --all`) with every
//! module feature and with `users` alone, and with every feature as a dependency is compiled
//! (without incremental compilation); and the lines emitted per model. The configurations
//! of one crate are checked in rounds (each once per round), so that they share the machine's
//! slow spells and their ratios hold.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::bench::{Options, Row, median, ms};

/// One `cargo check` of a package: how long, and the largest process's peak memory in KB.
struct Check {
    time: Duration,
    peak_kb: u64,
}

/// A crate to check, and with which features (always without its default ones).
struct Config<'a> {
    manifest: &'a Path,
    package: &'a str,
    features: Vec<&'a str>,
    /// Whether rustc compiles incrementally: it does for a workspace's own packages (and
    /// path dependencies), never for a registry or git dependency.
    incremental: bool,
}

/// A clean `cargo check` of each of `configs` (its package alone is cleaned first): `runs`
/// rounds, each checking every config once, so that a slow spell of a shared machine falls on
/// all of them alike; per config, the median time and the largest peak.
fn check(options: &Options, configs: &[Config<'_>], runs: usize) -> Result<Vec<Check>, String> {
    let cargo = |config: &Config<'_>, args: &[&str]| -> Command {
        // A target directory per package, so that the workspace's builds don't make a check
        // cheap.
        let target = options.root.join("target/bench/check").join(config.package);
        let mut command = Command::new("/usr/bin/time");
        command
            .args(["-f", "peak-kb=%M", env!("CARGO")])
            .args(args)
            .args(["-p", config.package, "--manifest-path"])
            .arg(config.manifest)
            .args(["--offline", "--color", "never"])
            .env("CARGO_TARGET_DIR", &target)
            .env(
                "CARGO_INCREMENTAL",
                if config.incremental { "1" } else { "0" },
            )
            .env_remove("RUSTFLAGS");
        command
    };
    let features: Vec<String> = configs.iter().map(|c| c.features.join(",")).collect();
    // The dependencies, once per config (features can change what they are built with).
    for (config, features) in configs.iter().zip(&features) {
        run(
            cargo(config, &check_args(features)),
            "checking the dependencies",
        )?;
    }
    let mut times = vec![Vec::new(); configs.len()];
    let mut peaks = vec![0; configs.len()];
    for _ in 0..runs.max(1) {
        for (i, (config, features)) in configs.iter().zip(&features).enumerate() {
            run(cargo(config, &["clean"]), "cleaning")?;
            let started = Instant::now();
            let stderr = run(cargo(config, &check_args(features)), "the check")?;
            times[i].push(started.elapsed());
            let peak = stderr
                .lines()
                .rev()
                .find_map(|l| l.strip_prefix("peak-kb=")?.trim().parse::<u64>().ok())
                .ok_or_else(|| format!("no peak memory in:\n{stderr}"))?;
            peaks[i] = peaks[i].max(peak);
        }
    }
    Ok(times
        .into_iter()
        .zip(peaks)
        .map(|(times, peak_kb)| Check {
            time: median(times),
            peak_kb,
        })
        .collect())
}

/// `cargo check` without the default features, with `features` (comma-separated).
fn check_args(features: &str) -> Vec<&str> {
    let mut args = vec!["check", "--no-default-features"];
    if !features.is_empty() {
        args.extend(["--features", features]);
    }
    args
}

/// Runs a command; its stderr, or an error saying `what` failed.
pub(crate) fn run(mut command: Command, what: &str) -> Result<String, String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("{what} failed:\n{stderr}"));
    }
    Ok(stderr)
}

fn row(label: String, check: &Check, baseline: Option<&Check>) -> Row {
    let value = format!("{}, rustc peak {} MB", ms(check.time), check.peak_kb / 1024);
    let mut row = Row::new(label, value);
    if let Some(base) = baseline {
        row = row.ratio(format!(
            "{:.2}x",
            check.time.as_secs_f64() / base.time.as_secs_f64()
        ));
    }
    row
}

/// A row of one check's time and peak against another's.
fn against(label: &str, check: &Check, before: &Check) -> Row {
    Row::new(
        label,
        format!(
            "time {:.2}x, rustc peak {:.2}x",
            check.time.as_secs_f64() / before.time.as_secs_f64(),
            check.peak_kb as f64 / before.peak_kb.max(1) as f64
        ),
    )
}

/// Lines per model file of a generated module: (files, lines).
fn lines_per_model(models: &Path) -> Result<(usize, usize), String> {
    let mut files = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(models).map_err(|e| format!("{}: {e}", models.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.file_name().is_some_and(|n| n != "mod.rs") {
            files += 1;
            lines += std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())?
                .lines()
                .count();
        }
    }
    Ok((files, lines))
}

pub fn figures(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let manifest = options.root.join("generated/Cargo.toml");
    let families = ["work-hours-and-locations", "teams-shifts-time-off"];
    let versions = ["beta", "v1_0", "client"];
    let config = |features: Vec<&'static str>| Config {
        manifest: &manifest,
        package: "msgraph-work",
        features,
        incremental: true,
    };
    let mut configs = vec![config([&versions[..], &families[..]].concat())];
    configs.extend(
        families
            .iter()
            .map(|family| config([&versions[..], &[*family]].concat())),
    );
    let checks = check(options, &configs, runs)?;
    let all = &checks[0];
    rows.push(row(
        "8. `cargo check` of msgraph-work alone, both families (beta, v1_0, client)".into(),
        all,
        Some(all),
    ));
    for (family, one) in families.iter().zip(&checks[1..]) {
        rows.push(
            row(format!("8. … with `{family}` alone"), one, Some(all)).target("clearly below both"),
        );
    }
    let (files, lines) = lines_per_model(&options.root.join("generated/src/v1_0/models"))?;
    rows.push(Row::new(
        format!("8. lines per model file, msgraph-work v1_0 ({files} files)"),
        format!("{:.0}", lines as f64 / files.max(1) as f64),
    ));
    rows.extend(whole_api(options, runs)?);
    Ok(rows)
}

/// The module features of a crate made by `generate --all`: all but the client's.
fn module_features(manifest: &Path) -> Result<Vec<String>, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    Ok(table
        .get("features")
        .and_then(|f| f.as_table())
        .ok_or_else(|| format!("{}: no [features]", manifest.display()))?
        .keys()
        .filter(|k| !matches!(k.as_str(), "default" | "client" | "azure-identity"))
        .cloned()
        .collect())
}

/// The whole v1.0 API generated as one crate, checked with every feature and with `users`;
/// with `--baseline REV`, also as the generator at REV makes it, with all its features, in the
/// same rounds.
fn whole_api(options: &Options, runs: usize) -> Result<Vec<Row>, String> {
    let out: PathBuf = options.root.join("target/bench/whole-v1");
    let input = options.metadata.join("csdl/v1.0-Prod-latest.csdl");
    codegen::generate(
        &input,
        &out,
        Some("ms-v1-whole"),
        None,
        codegen::Mode::Write,
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(options.root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    let manifest = out.join("Cargo.toml");
    let modules = module_features(&manifest)?;
    let every: Vec<&str> = modules.iter().map(String::as_str).collect();
    let whole = |features, incremental| Config {
        manifest: &manifest,
        package: "ms-v1-whole",
        features,
        incremental,
    };
    let mut configs = vec![
        whole(every.clone(), true),
        whole(vec!["users"], true),
        whole(every, false),
    ];
    // As the generator at `--baseline REV` made it, with all its features.
    let baseline = match &options.baseline {
        Some(rev) => {
            let manifest = crate::baseline::whole_crate(options, rev, &input)?;
            let features = module_features(&manifest)?;
            Some((rev, manifest, features))
        }
        None => None,
    };
    if let Some((_, manifest, features)) = &baseline {
        for incremental in [true, false] {
            configs.push(Config {
                manifest,
                package: crate::baseline::PACKAGE,
                features: features.iter().map(String::as_str).collect(),
                incremental,
            });
        }
    }
    let checks = check(options, &configs, runs)?;
    let (all, users, all_as_dependency) = (&checks[0], &checks[1], &checks[2]);
    let (files, lines) = lines_per_model(&out.join("src/v1_0/models"))?;
    let mut rows = vec![
        row(
            format!(
                "8. `cargo check` of the whole v1.0 crate, all {} module features",
                modules.len()
            ),
            all,
            Some(all),
        )
        .target("<= half of 46–98 s; <= 3 GB"),
        row("8. … with `users` alone".into(), users, Some(all)).target("<= 0.25x"),
        row(
            "8. … all features, compiled as a dependency is (no incremental compilation)".into(),
            all_as_dependency,
            Some(all),
        ),
    ];
    if let Some((rev, ..)) = &baseline {
        let (before, before_as_dependency) = (&checks[3], &checks[4]);
        rows.push(row(
            format!("8. … the same crate as the generator at `{rev}` makes it"),
            before,
            Some(before),
        ));
        rows.push(
            against(
                "8. whole v1.0 crate, all features, against that",
                all,
                before,
            )
            .target("<= 0.5x"),
        );
        rows.push(row(
            "8. … that crate compiled as a dependency is".into(),
            before_as_dependency,
            Some(before),
        ));
        rows.push(against(
            "8. … today's against it, both compiled as a dependency is",
            all_as_dependency,
            before_as_dependency,
        ));
    }
    rows.push(Row::new(
        format!("8. lines per model file, whole v1.0 ({files} files)"),
        format!("{:.0}", lines as f64 / files.max(1) as f64),
    ));
    Ok(rows)
}
