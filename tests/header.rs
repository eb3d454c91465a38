//! The committed C header matches the crate: its version macros are Cargo.toml's version,
//! and it declares every exported function.

use std::path::Path;

fn header() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/sendfile.h"))
        .unwrap()
}

fn define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is not defined"))
        .trim_matches('"')
        .to_owned()
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = header();
    assert_eq!(
        define(&header, "SENDFILE_VERSION"),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        define(&header, "SENDFILE_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define(&header, "SENDFILE_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define(&header, "SENDFILE_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
}

#[test]
fn every_exported_function_is_declared() {
    let header = header();
    for function in [
        "sf_config_new",
        "sf_config_free",
        "sf_plan_new",
        "sf_plan_free",
        "sf_plan_status",
        "sf_plan_header_count",
        "sf_plan_header",
        "sf_plan_body_length",
        "sf_plan_file_size",
        "sf_plan_fd",
        "sf_plan_take_fd",
        "sf_plan_segment_count",
        "sf_plan_segment",
        "sf_plan_send",
        "sf_last_error",
        "sf_result_string",
        "sf_version",
    ] {
        assert!(
            header.contains(&format!("{function}(")),
            "{function} missing"
        );
    }
}
