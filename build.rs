// Gives the shared library a versioned soname (libiree_runtime.so.<major>)
// and, so that programs linked against target/<profile>/libiree_runtime.so
// find that soname at run time without an install step, a symlink of that
// name next to it in the profile directory.
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let soname = format!("libiree_runtime.so.{major}");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");

    // OUT_DIR is target/<profile>/build/<pkg>-<hash>/out.
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    if let Some(profile_dir) = out_dir.ancestors().nth(3) {
        let link = profile_dir.join(&soname);
        if std::fs::symlink_metadata(&link).is_err() {
            // Best effort: a missing link only affects running from target/.
            let _ = std::os::unix::fs::symlink("libiree_runtime.so", &link);
        }
    }
}
