//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The eval data folder (`$ZHCLEAN_EVAL_DIR`, else `../shared/eval` beside
/// the crate) if `needed` exists under it. When it does not, the test is
/// skipped with a message, unless `ZHCLEAN_REQUIRE_EVAL` is set (as CI does):
/// then it fails.
pub fn eval_dir(needed: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"));
    if dir.join(needed).exists() {
        Some(dir)
    } else if std::env::var_os("ZHCLEAN_REQUIRE_EVAL").is_some() {
        panic!(
            "eval data {needed:?} not found under {} (ZHCLEAN_REQUIRE_EVAL is set)",
            dir.display()
        );
    } else {
        eprintln!(
            "skipping: eval data {needed:?} not found under {}",
            dir.display()
        );
        None
    }
}
