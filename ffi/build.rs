//! Gives the shared library its versioned SONAME (libsigv4.so.0), whatever cargo names the file.
//! The major number changes only when the C ABI breaks; mk/c.mk installs the file as
//! libsigv4.so.<version> with the libsigv4.so.0 and libsigv4.so symlinks.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" || target_os == "freebsd" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsigv4.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
