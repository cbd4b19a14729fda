//! `cargo xtask bench --baseline REV`: the whole v1.0 crate as the generator at an earlier
//! git revision makes it, so that figure 8 can time today's crate against it in the same
//! rounds (the machine is shared, so only ratios measured together hold).
//!
//! The revision is exported with `git archive` (no worktree is registered), its `xtask` built
//! in a target directory of its own, and run as a child process; all under
//! `target/bench/baseline/<commit>/`, reused by later runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bench::Options;
use crate::compile_cost::run;

/// The package name the baseline crate is generated under, distinct from today's.
pub const PACKAGE: &str = "ms-v1-whole-baseline";

/// The manifest of the whole crate generated from `input` by the generator at `rev`.
pub fn whole_crate(options: &Options, rev: &str, input: &Path) -> Result<PathBuf, String> {
    let commit = commit(&options.root, rev)?;
    let dir = options.root.join("target/bench/baseline").join(&commit);
    let source = dir.join("source");
    if !source.join("Cargo.toml").is_file() {
        export(&options.root, &commit, &source)?;
    }
    let target = dir.join("target");
    eprintln!("   building the generator at {rev} ({commit:.10}) ...");
    let mut build = Command::new(env!("CARGO"));
    build
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "xtask",
            "--manifest-path",
        ])
        .arg(source.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS");
    run(build, &format!("building the generator at {rev}"))?;
    let out = dir.join("whole-v1");
    let mut generate = Command::new(target.join("release/xtask"));
    generate
        .args(["generate", "--all", "--crate-name", PACKAGE, "--input"])
        .arg(input)
        .arg("--out")
        .arg(&out)
        .current_dir(&source);
    run(
        generate,
        &format!("the generator at {rev} on {}", input.display()),
    )?;
    // The dependencies that revision was locked to.
    std::fs::copy(source.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("{}: {e}", source.join("Cargo.lock").display()))?;
    Ok(out.join("Cargo.toml"))
}

/// The full hash of the commit `rev` names, or an error saying it names none (checked before
/// any figure runs, so that a typo costs nothing).
pub fn commit(root: &Path, rev: &str) -> Result<String, String> {
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        let why = if e.is_empty() {
            String::new()
        } else {
            format!(" ({e})")
        };
        format!(
            "--baseline {rev}: not a commit of the repository at {}{why}",
            root.display()
        )
    })
}

/// Writes the tree of `commit` into `dest` (through a temporary directory, so that an
/// interrupted export is not taken for a complete one).
fn export(root: &Path, commit: &str, dest: &Path) -> Result<(), String> {
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
    let archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", commit])
        .output()
        .map_err(|e| format!("git archive: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {commit}: {}",
            String::from_utf8_lossy(&archive.stderr)
        ));
    }
    let mut tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&partial)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("tar: {e}"))?;
    let mut stdin = tar.stdin.take().ok_or("tar: no stdin")?;
    std::io::Write::write_all(&mut stdin, &archive.stdout).map_err(|e| format!("tar: {e}"))?;
    // Closed, so that tar sees the end of the archive.
    drop(stdin);
    let status = tar.wait().map_err(|e| format!("tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar -x of {commit} failed ({status})"));
    }
    std::fs::rename(&partial, dest).map_err(|e| format!("{}: {e}", dest.display()))
}

/// Runs git in `root`; its trimmed stdout, or what it said on stderr.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
