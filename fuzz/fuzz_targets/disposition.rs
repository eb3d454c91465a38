//! Content-Disposition for any name: printable ASCII only (no CR, LF or NUL can reach the
//! header), a well-formed quoted fallback, and a `filename*` that decodes back to the name,
//! present exactly when the fallback, unquoted, is not the name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendfile::fuzzing::disposition;

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    out
}

fuzz_target!(|input: (bool, &str)| {
    let (attachment, name) = input;
    let value = disposition(attachment, Some(name));
    assert!(
        value.bytes().all(|byte| (0x20..0x7f).contains(&byte)),
        "{value:?}"
    );
    let keyword = if attachment { "attachment" } else { "inline" };
    let rest = value
        .strip_prefix(keyword)
        .unwrap()
        .strip_prefix("; filename=\"")
        .unwrap();
    // The quoted fallback ends at the first quote that is not escaped.
    let mut escaped = false;
    let mut end = None;
    let mut fallback = String::new();
    for (index, character) in rest.char_indices() {
        match character {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                end = Some(index);
                break;
            }
            _ => {
                escaped = false;
                fallback.push(character);
            }
        }
    }
    let after = &rest[end.expect("the fallback is not closed") + 1..];
    match after.strip_prefix("; filename*=UTF-8''") {
        Some(encoded) => {
            assert_eq!(percent_decode(encoded), name.as_bytes());
            assert_ne!(fallback, name, "{value:?}");
        }
        None => {
            assert_eq!(after, "");
            assert_eq!(fallback, name, "{value:?}");
        }
    }
});
