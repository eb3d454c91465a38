//! Generates include/sendfile.h from src/ffi (only when its text changes, so builds do not
//! dirty the tree) and gives the shared library its soname.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    if std::env::var_os("CARGO_FEATURE_CAPI").is_none() {
        return;
    }
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsendfile.so.1");
    }
    #[cfg(feature = "capi")]
    write_header();
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
