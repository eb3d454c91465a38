//! The conditional headers, repeated and malformed as they come: the verdict is always
//! 200, 304 or 412, 304 only for GET and HEAD, and nothing changes without the headers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendfile::fuzzing::preconditions;
use sendfile::{Method, Request};

const NAMES: [&str; 6] = [
    "If-Match",
    "If-None-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
    "If-Range",
    "Range",
];

fuzz_target!(|input: (bool, u32, i64, Vec<(u8, Vec<u8>)>)| {
    let (head, size, mtime, headers) = input;
    let method = if head {
        Method::Head
    } else {
        Method::parse("POST")
    };
    let mut request = Request::new(method);
    for (which, value) in &headers {
        request.add_header(NAMES[usize::from(*which) % NAMES.len()].as_bytes(), value);
    }
    let verdict = preconditions(&request, u64::from(size), mtime);
    let status = verdict.0;
    assert!(matches!(status, 200 | 304 | 412));
    if status == 304 {
        assert!(head, "304 for a POST");
    }
    if headers
        .iter()
        .all(|(which, _)| usize::from(*which) % NAMES.len() >= 4)
    {
        assert_eq!(status, 200, "a verdict without conditional headers");
    }
    assert_eq!(
        preconditions(&request, u64::from(size), mtime),
        verdict,
        "not deterministic"
    );
});
