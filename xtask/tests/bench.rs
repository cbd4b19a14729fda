//! `cargo xtask bench`'s arguments: a baseline that names no commit fails at once, saying so,
//! before any figure runs.

mod support;

use support::{repository, text, xtask};

#[test]
fn a_baseline_that_names_no_commit_fails_before_measuring() {
    let out = xtask(
        &repository(),
        &["bench", "--only", "8", "--baseline", "no-such-revision"],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--baseline no-such-revision: not a commit of the repository"),
        "{stderr}"
    );
    assert!(!stderr.contains("8/8"), "measured before failing: {stderr}");
}
