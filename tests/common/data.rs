//! The public benchmark data.
//!
//! The sets live in `../shared/data` beside the repository (or wherever `DAGPLAN_DATA`
//! points). A test that needs them skips with a printed note when they are absent, unless
//! `DAGPLAN_REQUIRE_DATA=1` is set (as in CI, `.ci/run`): then a missing set fails the test,
//! so that a suite cannot pass without having read the data.

use std::path::PathBuf;

/// The root of the benchmark data.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DAGPLAN_DATA").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("../shared/data"))
}

/// The workspace root (the folder holding `Cargo.lock`), whichever member's tests run.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.ancestors().find(|dir| dir.join("Cargo.lock").exists());
    root.map_or_else(|| manifest.clone(), PathBuf::from)
}

/// `relative` under the data root when it exists; else `None` with a note, or a panic when
/// `DAGPLAN_REQUIRE_DATA=1`.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = data_dir().join(relative);
    if path.exists() {
        return Some(path);
    }
    let required = std::env::var("DAGPLAN_REQUIRE_DATA").is_ok_and(|v| v == "1");
    assert!(!required, "{} not found, and DAGPLAN_REQUIRE_DATA=1 requires it", path.display());
    eprintln!("note: {} not found; skipping (set DAGPLAN_DATA to the benchmark data)", path.display());
    None
}
