//! The committed C header is the one the crate generates, its version macros are
//! Cargo.toml's version, and it declares exactly the functions that `src/ffi` exports.
//!
//! build.rs rewrites `include/sendfile.h` on every build, so the file in the work tree
//! always matches the code; what a user gets is the committed one. These tests read the
//! header as git has it (staged or committed), which goes stale when `src/ffi` changes
//! and the regenerated header is not added.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const HEADER: &str = "include/sendfile.h";

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The header as the index holds it (what the next commit has), or the generated one
/// where the crate is not a git checkout (a packaged crate, which ships the generated one).
fn committed_header() -> String {
    let shown = Command::new("git")
        .args(["show", &format!(":{HEADER}")])
        .current_dir(crate_dir())
        .output();
    match shown {
        Ok(output) if output.status.success() => String::from_utf8(output.stdout).unwrap(),
        _ => generated_header(),
    }
}

fn generated_header() -> String {
    std::fs::read_to_string(crate_dir().join(HEADER)).unwrap()
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

/// Every `sf_` name followed by `(` in `text`.
fn functions_named(text: &str, before: &str) -> BTreeSet<String> {
    text.match_indices(before)
        .filter_map(|(at, _)| {
            let rest = &text[at + before.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (name.starts_with("sf_") && rest[name.len()..].starts_with('(')).then_some(name)
        })
        .collect()
}

#[test]
fn the_committed_header_is_the_generated_one() {
    assert!(
        committed_header() == generated_header(),
        "{HEADER} is stale: add the header this build regenerated (git add {HEADER})"
    );
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = committed_header();
    for (name, value) in [
        ("SENDFILE_VERSION", env!("CARGO_PKG_VERSION")),
        ("SENDFILE_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("SENDFILE_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("SENDFILE_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ] {
        assert_eq!(define(&header, name), value, "{name}");
    }
}

#[test]
fn the_header_declares_exactly_the_exported_functions() {
    let mut exported = BTreeSet::new();
    for entry in std::fs::read_dir(crate_dir().join("src/ffi")).unwrap() {
        let code = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        exported.extend(functions_named(&code, "extern \"C\" fn "));
    }
    assert!(exported.contains("sf_plan_new"), "{exported:?}");
    let declared = functions_named(&committed_header(), " ");
    let declared_pointers = functions_named(&committed_header(), "*");
    let declared: BTreeSet<String> = declared.union(&declared_pointers).cloned().collect();
    assert_eq!(declared, exported);
}
