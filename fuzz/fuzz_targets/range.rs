//! The Range parser: whatever the header, the answer is the whole file, a 416, or ranges
//! inside the file that are sorted, disjoint, not adjacent and no more than the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendfile::fuzzing::evaluate_range;

fuzz_target!(|input: (u64, u8, &str)| {
    let (file_size, max_ranges, header) = input;
    let max_ranges = usize::from(max_ranges);
    let Some(ranges) = evaluate_range(header, file_size, max_ranges) else {
        return;
    };
    assert!(
        file_size > 0 && max_ranges > 0,
        "ranges of nothing: {header:?}"
    );
    assert!(
        header
            .trim_start()
            .get(..6)
            .is_some_and(|unit| unit.eq_ignore_ascii_case("bytes="))
    );
    assert!(ranges.len() <= max_ranges, "{header:?}");
    for range in &ranges {
        assert!(
            range.length > 0 && range.end() <= file_size,
            "{header:?} -> {range:?}"
        );
    }
    for pair in ranges.windows(2) {
        assert!(pair[0].end() < pair[1].offset, "{header:?} -> {pair:?}");
    }
});
