//! A whole plan through the C ABI, every argument fuzzed: configuration options, method,
//! path, request headers and file options. Whatever comes in, each call returns a result
//! code (a message for every error), every header is free of CR, LF and NUL, the
//! segments add up to the body length, and the handles are released.
#![no_main]

use std::ffi::CStr;
use std::ptr;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use sendfile::ffi::*;
use sendfile::{Backend, FILE_OPTION_NAMES, OPTION_NAMES};

/// The core's name at `index` of `names`, or past the end one that it does not know: the
/// seeds' bytes choose from the core's own tables, in their order.
fn known_or_not(names: &[&'static str], index: u8, unknown: &'static str) -> &'static [u8] {
    let index = usize::from(index) % (names.len() + 1);
    names.get(index).copied().unwrap_or(unknown).as_bytes()
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    backend: u8,
    url: Option<&'a [u8]>,
    options: Vec<(u8, &'a [u8])>,
    method: &'a [u8],
    path: &'a [u8],
    headers: Vec<(&'a [u8], &'a [u8])>,
    file_options: Vec<(u8, &'a [u8])>,
}

fn root() -> &'static str {
    static ROOT: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    &ROOT
        .get_or_init(|| {
            let folder = tempfile::tempdir().unwrap();
            std::fs::write(folder.path().join("a.txt"), b"0123456789".repeat(100)).unwrap();
            std::fs::write(folder.path().join("empty"), b"").unwrap();
            std::fs::create_dir(folder.path().join("sub")).unwrap();
            std::fs::write(folder.path().join("sub/b.tar.gz"), b"gz").unwrap();
            let text = folder.path().to_str().unwrap().to_owned();
            (folder, text)
        })
        .1
}

/// The last component of the root: a random name no input holds by chance.
fn root_name() -> &'static str {
    root().rsplit('/').next().unwrap()
}

fn field(name: &[u8], value: &[u8]) -> sf_field {
    sf_field {
        name: name.as_ptr(),
        name_len: name.len(),
        value: value.as_ptr(),
        value_len: value.len(),
    }
}

/// Every error has a message, and the message names the root's folder only when the caller
/// wrote that name into an argument: an option value or a path echoed back is the caller's
/// own text. The check is on the folder's random name, not the whole root, because a path
/// echoed after normalisation may join the caller's pieces (`x/tmp//.tmpAbC` becomes
/// `x/tmp/.tmpAbC`) but never builds a name the caller did not write.
fn assert_error_has_a_message(result: sf_result, caller_wrote_root_name: bool) {
    if result != sf_result::SF_OK {
        let message = sf_last_error();
        assert!(!message.is_null(), "{result:?} without a message");
        // SAFETY: the library returns a NUL-terminated string it owns.
        let text = unsafe { CStr::from_ptr(message) }.to_str().unwrap();
        assert!(!text.is_empty(), "{result:?} with an empty message");
        assert!(
            caller_wrote_root_name || !text.contains(root_name()),
            "{text}"
        );
    }
}

fn mentions(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fuzz_target!(|input: Input<'_>| {
    let root_name = root_name().as_bytes();
    let caller_wrote_root_name = input
        .options
        .iter()
        .map(|(_, value)| *value)
        .chain(input.file_options.iter().map(|(_, value)| *value))
        .chain(
            input
                .headers
                .iter()
                .flat_map(|(name, value)| [*name, *value]),
        )
        .chain([input.method, input.path, input.url.unwrap_or(&[])])
        .any(|bytes| mentions(bytes, root_name));
    let backends = Backend::ALL.map(Backend::name);
    let backend = known_or_not(&backends, input.backend, "unknown");
    let root = root().as_bytes();
    let options: Vec<sf_field> = input
        .options
        .iter()
        .map(|(which, value)| {
            let name = OPTION_NAMES
                .get(usize::from(*which))
                .map_or(&b"nonsense"[..], |n| n.as_bytes());
            field(name, value)
        })
        .collect();
    let url = input.url.unwrap_or(&[]);
    let mut config = ptr::null_mut();
    // SAFETY: every pointer is valid for its length; config is valid for a write.
    let made = unsafe {
        sf_config_new(
            backend.as_ptr(),
            backend.len(),
            root.as_ptr(),
            root.len(),
            if input.url.is_some() {
                url.as_ptr()
            } else {
                ptr::null()
            },
            url.len(),
            options.as_ptr(),
            options.len(),
            &mut config,
        )
    };
    assert_error_has_a_message(made, caller_wrote_root_name);
    if made != sf_result::SF_OK {
        assert!(config.is_null());
        return;
    }
    let headers: Vec<sf_field> = input.headers.iter().map(|(n, v)| field(n, v)).collect();
    let file_options: Vec<sf_field> = input
        .file_options
        .iter()
        .map(|(which, value)| field(known_or_not(&FILE_OPTION_NAMES, *which, "other"), value))
        .collect();
    let mut plan = ptr::null_mut();
    // SAFETY: as above; config is live.
    let planned = unsafe {
        sf_plan_new(
            config,
            input.method.as_ptr(),
            input.method.len(),
            input.path.as_ptr(),
            input.path.len(),
            headers.as_ptr(),
            headers.len(),
            file_options.as_ptr(),
            file_options.len(),
            &mut plan,
        )
    };
    assert_error_has_a_message(planned, caller_wrote_root_name);
    if planned == sf_result::SF_OK {
        // SAFETY: plan is live until sf_plan_free; out-parameters are valid for writes.
        unsafe {
            let status = sf_plan_status(plan);
            assert!((200..600).contains(&status));
            for index in 0..sf_plan_header_count(plan) {
                let mut name = sf_bytes {
                    data: ptr::null(),
                    len: 0,
                };
                let mut value = name;
                assert_eq!(
                    sf_plan_header(plan, index, &mut name, &mut value),
                    sf_result::SF_OK
                );
                for bytes in [name, value] {
                    let bytes = std::slice::from_raw_parts(bytes.data, bytes.len);
                    assert!(
                        !bytes.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)),
                        "{bytes:?}"
                    );
                }
            }
            let mut total = 0u64;
            let mut file_segments = false;
            for index in 0..sf_plan_segment_count(plan) {
                let mut kind = sf_segment_kind::SF_SEGMENT_LITERAL;
                let mut literal = sf_bytes {
                    data: ptr::null(),
                    len: 0,
                };
                let (mut offset, mut length) = (0u64, 0u64);
                let got = sf_plan_segment(
                    plan,
                    index,
                    &mut kind,
                    &mut literal,
                    &mut offset,
                    &mut length,
                );
                assert_eq!(got, sf_result::SF_OK);
                if kind == sf_segment_kind::SF_SEGMENT_FILE {
                    assert!(offset + length <= sf_plan_file_size(plan));
                    file_segments = true;
                } else {
                    assert_eq!(literal.len as u64, length);
                }
                total += length;
            }
            assert_eq!(total, sf_plan_body_length(plan));
            assert!(
                !file_segments || sf_plan_fd(plan) >= 0,
                "file segments without a file"
            );
            sf_plan_free(plan);
        }
    } else {
        assert!(plan.is_null());
    }
    // SAFETY: config came from sf_config_new and is freed once.
    unsafe { sf_config_free(config) };
});
