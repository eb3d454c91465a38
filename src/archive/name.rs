//! Names inside an archive, made safe for whoever unpacks it.
//!
//! An archive is unpacked by programs that trust its names to different degrees: some
//! write `../../.bashrc` or `/etc/passwd` where it says (zip slip), Windows tools take `\`
//! and `C:` as separators and drives, and a terminal shows control characters as
//! commands. A name that any of them would read as leaving the target folder, or two
//! members that would land on the same file, are refused with the rule they break.

use std::collections::HashSet;

use crate::error::{Error, Result};

/// The longest name a ZIP record can hold (its length is 16 bits).
const MAX_NAME_BYTES: usize = 0xFFFF;

/// Why a name inside the archive is refused, in words for the error.
fn fault(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.len() > MAX_NAME_BYTES {
        return Some("it is longer than the 65,535 bytes a ZIP record holds");
    }
    if name.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if name.contains('\\') {
        return Some("it contains '\\', a folder separator to Windows tools");
    }
    if name.starts_with('/') {
        return Some("it is absolute (starts with '/')");
    }
    // `C:x` is `x` in the current folder of drive C to Windows, and tools strip the
    // drive: `a:b.txt` would land on `b.txt`.
    if matches!(name.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic()) {
        return Some("it starts with a drive ('C:')");
    }
    let mut segments = name.split('/');
    if segments.clone().any(|segment| segment == "..") {
        return Some("it has a '..' segment, which unpacks outside the folder");
    }
    if segments.clone().any(|segment| segment == ".") {
        return Some("it has a '.' segment");
    }
    if segments.any(str::is_empty) {
        return Some("it has an empty segment ('//', or '/' at the end: a folder)");
    }
    None
}

/// Checks every name and that no two members would unpack to the same file, nor one to a
/// folder another needs (`a` beside `a/b`).
pub(crate) fn check_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut files = HashSet::new();
    let mut folders = HashSet::new();
    for name in names {
        if let Some(fault) = fault(name) {
            return Err(Error::InvalidArgument(format!(
                "the archive member name {name:?} is refused: {fault}"
            )));
        }
        if !files.insert(name) {
            return Err(Error::InvalidArgument(format!(
                "two archive members are named {name:?}: names must differ"
            )));
        }
        for (end, _) in name.match_indices('/') {
            folders.insert(&name[..end]);
        }
    }
    if let Some(clash) = files.iter().find(|name| folders.contains(*name)) {
        return Err(Error::InvalidArgument(format!(
            "the archive member {clash:?} is also a folder of another member"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(names: &[&str]) -> String {
        match check_names(names.iter().copied()) {
            Err(Error::InvalidArgument(message)) => message,
            other => panic!("{names:?} were not refused: {other:?}"),
        }
    }

    #[test]
    fn safe_names_pass() {
        check_names([
            "a.txt",
            "folder/b.txt",
            "folder/c/d.txt",
            "café ✓.pdf",
            "..x",
            "x..",
        ])
        .unwrap();
    }

    #[test]
    fn every_rule_names_itself() {
        for (name, rule) in [
            ("", "it is empty"),
            ("a\nb", "control character"),
            ("a\u{7f}", "control character"),
            ("a\\b", "'\\'"),
            ("/etc/passwd", "absolute"),
            ("C:/x", "drive"),
            ("c:", "drive"),
            ("a:b.txt", "drive"),
            ("../x", "'..' segment"),
            ("a/../../x", "'..' segment"),
            ("a/..", "'..' segment"),
            ("./x", "'.' segment"),
            ("a//b", "empty segment"),
            ("folder/", "empty segment"),
        ] {
            let message = refused(&[name]);
            assert!(message.contains(rule), "{name:?}: {message}");
        }
        assert!(refused(&[&"x".repeat(65_536)]).contains("65,535"));
    }

    #[test]
    fn two_members_cannot_land_on_one_file() {
        assert_eq!(
            refused(&["a.txt", "b", "a.txt"]),
            "two archive members are named \"a.txt\": names must differ"
        );
        assert_eq!(
            refused(&["a/b/c.txt", "a/b"]),
            "the archive member \"a/b\" is also a folder of another member"
        );
    }
}
