//! Fails when the committed cbindgen header differs from what the Rust
//! sources generate now. `UPDATE_HEADERS=1 cargo test --test headers_fresh`
//! (or tools/gen-headers.sh) rewrites it.

use std::path::Path;

#[test]
fn generated_header_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = root.join("include/iree/generated/api.h");
    if std::env::var_os("UPDATE_HEADERS").is_some() {
        std::fs::write(&path, &generated).expect("write header");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run tools/gen-headers.sh and commit the result",
        path.display()
    );
}
