// Gives the shared library a versioned soname so packagers can ship
// libiree_runtime.so.0 beside the unversioned development symlink.
fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libiree_runtime.so.{major}");
        link_soname_in_target_dir(&major);
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Programs linked against `target/<profile>/libiree_runtime.so` (the seed
/// conformance script does this) look for the soname at run time, so put a
/// `libiree_runtime.so.N -> libiree_runtime.so` link beside it. OUT_DIR is
/// `target/<profile>/build/<pkg>-<hash>/out`. Best effort: never fails.
fn link_soname_in_target_dir(major: &str) {
    #[cfg(unix)]
    if let Some(out_dir) = std::env::var_os("OUT_DIR") {
        if let Some(profile_dir) = std::path::Path::new(&out_dir).ancestors().nth(3) {
            let link = profile_dir.join(format!("libiree_runtime.so.{major}"));
            if std::fs::symlink_metadata(&link).is_err() {
                let _ = std::os::unix::fs::symlink("libiree_runtime.so", &link);
            }
        }
    }
}
