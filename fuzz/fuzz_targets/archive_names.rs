//! Names inside an archive, from anyone: a set is accepted only when every name unpacks
//! inside the target folder on every system (relative, no `..` or `.` or empty segment, no
//! `\`, no drive, no control character) and no two land on one file or on a folder
//! another needs; the check never panics.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use sendfile::fuzzing::archive_names;

fn unpacks_inside(name: &str) -> bool {
    let bytes = name.as_bytes();
    !name.is_empty()
        && name.len() <= 0xFFFF
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.chars().any(char::is_control)
        && !(bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        && name
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
}

fuzz_target!(|names: Vec<&str>| {
    let accepted = archive_names(&names).is_ok();
    let distinct = names.iter().collect::<HashSet<_>>().len() == names.len();
    let folders: HashSet<&str> = names
        .iter()
        .flat_map(|name| name.match_indices('/').map(|(end, _)| &name[..end]))
        .collect();
    let no_clash = names.iter().all(|name| !folders.contains(name));
    let safe = names.iter().all(|name| unpacks_inside(name));
    assert_eq!(accepted, safe && distinct && no_clash, "{names:?}");
});
