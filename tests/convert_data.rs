//! The vendored OpenCC data is what data/opencc/SHA256SUMS says it is, and
//! every config and dictionary file is listed there.

use std::path::Path;

use sha2::{Digest, Sha256};

#[test]
fn vendored_opencc_data_matches_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/opencc");
    let manifest = std::fs::read_to_string(root.join("SHA256SUMS")).unwrap();
    let mut listed = Vec::new();
    for line in manifest.lines() {
        let (digest, file) = line.split_once("  ").expect("sha256sum format");
        let bytes = std::fs::read(root.join(file)).unwrap();
        assert_eq!(format!("{:x}", Sha256::digest(&bytes)), digest, "{file}");
        listed.push(file.to_string());
    }
    // Nothing vendored is missing from the manifest.
    let mut present = Vec::new();
    for (dir, ext) in [("", "txt"), ("config/", "json")] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name.ends_with(ext) {
                present.push(format!("{dir}{name}"));
            }
        }
    }
    present.sort();
    listed.sort();
    assert_eq!(present, listed);
    assert_eq!(listed.len(), 22 + 16);
    assert!(root.join("LICENSE").is_file() && root.join("NOTICE.md").is_file());
}
