//! Generates include/sendfile.h from src/ffi (only when its text changes, so builds do not
//! dirty the tree) and gives the shared library its soname.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=Cargo.toml");
    if std::env::var_os("CARGO_FEATURE_CAPI").is_none() {
        return;
    }
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = abi_version().split('.').next().unwrap().to_owned();
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsendfile.so.{major}");
    }
    #[cfg(feature = "capi")]
    write_header();
}

/// `abi-version` from `[package.metadata.capi]` in Cargo.toml (the Makefile reads the same
/// line), so the soname and the installed file name come from one place.
fn abi_version() -> String {
    let manifest = std::fs::read_to_string("Cargo.toml").expect("Cargo.toml is readable");
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("abi-version = "))
        .map(|value| value.trim_matches('"').to_owned())
        .expect("Cargo.toml has abi-version under [package.metadata.capi]")
}

#[cfg(feature = "capi")]
fn write_header() {
    let crate_dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap();
    let part = |name: &str| std::env::var(name).unwrap();
    config.after_includes = Some(format!(
        "\n/* The version of this header; compare with sf_version() at run time. */\n\
         #define SENDFILE_VERSION \"{version}\"\n\
         #define SENDFILE_VERSION_MAJOR {}\n\
         #define SENDFILE_VERSION_MINOR {}\n\
         #define SENDFILE_VERSION_PATCH {}\n",
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen understands src/ffi");
    let mut text = Vec::new();
    bindings.write(&mut text);
    let header = crate_dir.join("include/sendfile.h");
    if std::fs::read(&header).ok().as_deref() != Some(text.as_slice()) {
        std::fs::create_dir_all(header.parent().unwrap()).unwrap();
        std::fs::write(&header, text).unwrap();
    }
}
