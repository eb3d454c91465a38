//! The `Range` request header (RFC 9110 section 14.2) for the `bytes` unit.
//!
//! Parsing is strict: digits only, `first <= last`, no arithmetic that can overflow. A header
//! that is not valid as a whole is ignored (the whole file is sent), as are unknown units
//! and sets with more ranges than the configured limit. Satisfiable ranges come out sorted,
//! with overlapping and adjacent ones merged, in O(k log k) for k ranges.

use std::cmp::Ordering;

/// A run of bytes of the file: `length` bytes from `offset`, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteRange {
    /// Position of the first byte.
    pub offset: u64,
    /// Number of bytes, at least one.
    pub length: u64,
}

impl ByteRange {
    /// Position just past the last byte.
    pub fn end(&self) -> u64 {
        self.offset + self.length
    }
}

/// What a `Range` header asks of a file of a given size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RangeRequest {
    /// Send the whole file: no usable header.
    Whole,
    /// Answer 416: the header is valid but no range overlaps the file.
    Unsatisfiable,
    /// Answer 206 with these ranges: sorted, disjoint, not adjacent, inside the file.
    Ranges(Vec<ByteRange>),
}

/// Evaluates `header` against a file of `file_size` bytes, honouring at most `max_ranges`
/// range specifications (0 disables ranges).
pub(crate) fn evaluate(header: &str, file_size: u64, max_ranges: usize) -> RangeRequest {
    if file_size == 0 || max_ranges == 0 {
        return RangeRequest::Whole;
    }
    let Some(specs) = parse(header, max_ranges) else {
        return RangeRequest::Whole;
    };
    let mut ranges: Vec<ByteRange> = specs
        .iter()
        .filter_map(|spec| spec.resolve(file_size))
        .collect();
    if ranges.is_empty() {
        return RangeRequest::Unsatisfiable;
    }
    coalesce(&mut ranges);
    RangeRequest::Ranges(ranges)
}

/// One element of a range set, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeSpec {
    /// `first-last` or `first-` (last is `None`).
    FromTo { first: u64, last: Option<u64> },
    /// `-suffix`: the last `suffix` bytes.
    Suffix(u64),
}

impl RangeSpec {
    fn resolve(self, file_size: u64) -> Option<ByteRange> {
        let (offset, end) = match self {
            RangeSpec::FromTo { first, last } => {
                if first >= file_size {
                    return None;
                }
                let last = last.map_or(file_size - 1, |last| last.min(file_size - 1));
                (first, last + 1)
            }
            RangeSpec::Suffix(0) => return None,
            RangeSpec::Suffix(suffix) => (file_size.saturating_sub(suffix), file_size),
        };
        Some(ByteRange {
            offset,
            length: end - offset,
        })
    }
}

/// Parses `bytes=<range-set>`; `None` when the header must be ignored.
fn parse(header: &str, max_ranges: usize) -> Option<Vec<RangeSpec>> {
    let (unit, set) = header.trim_matches(is_ows).split_once('=')?;
    if !unit.eq_ignore_ascii_case("bytes") {
        return None;
    }
    let mut specs = Vec::new();
    // RFC 9110 section 5.6.1: list elements may be empty and surrounded by OWS.
    for element in set.split(',').map(|e| e.trim_matches(is_ows)) {
        if element.is_empty() {
            continue;
        }
        if specs.len() == max_ranges {
            return None;
        }
        specs.push(parse_spec(element)?);
    }
    (!specs.is_empty()).then_some(specs)
}

fn parse_spec(element: &str) -> Option<RangeSpec> {
    let (first, last) = element.split_once('-')?;
    if first.is_empty() {
        return Some(RangeSpec::Suffix(Position::parse(last)?.saturated));
    }
    let first = Position::parse(first)?;
    if last.is_empty() {
        return Some(RangeSpec::FromTo {
            first: first.saturated,
            last: None,
        });
    }
    let last = Position::parse(last)?;
    if first.cmp(&last) == Ordering::Greater {
        return None;
    }
    Some(RangeSpec::FromTo {
        first: first.saturated,
        last: Some(last.saturated),
    })
}

/// A decimal position of any length: compared exactly, used saturated at `u64::MAX`, which
/// is past the end of every file and so changes no answer.
struct Position<'a> {
    significant_digits: &'a str,
    saturated: u64,
}

impl<'a> Position<'a> {
    fn parse(digits: &'a str) -> Option<Self> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let significant_digits = digits.trim_start_matches('0');
        Some(Position {
            significant_digits,
            saturated: significant_digits
                .parse()
                .unwrap_or(if significant_digits.is_empty() {
                    0
                } else {
                    u64::MAX
                }),
        })
    }

    fn cmp(&self, other: &Position<'_>) -> Ordering {
        self.significant_digits
            .len()
            .cmp(&other.significant_digits.len())
            .then_with(|| self.significant_digits.cmp(other.significant_digits))
    }
}

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Sorts and merges overlapping or adjacent ranges in place.
fn coalesce(ranges: &mut Vec<ByteRange>) {
    ranges.sort_unstable();
    let mut merged = 0;
    for index in 1..ranges.len() {
        let next = ranges[index];
        let current = &mut ranges[merged];
        if next.offset <= current.end() {
            current.length = current.end().max(next.end()) - current.offset;
        } else {
            merged += 1;
            ranges[merged] = next;
        }
    }
    ranges.truncate(merged + 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ranges(header: &str, size: u64) -> RangeRequest {
        evaluate(header, size, 64)
    }

    fn r(offset: u64, length: u64) -> ByteRange {
        ByteRange { offset, length }
    }

    #[test]
    fn simple_forms() {
        assert_eq!(
            ranges("bytes=0-9", 100),
            RangeRequest::Ranges(vec![r(0, 10)])
        );
        assert_eq!(
            ranges("bytes=90-", 100),
            RangeRequest::Ranges(vec![r(90, 10)])
        );
        assert_eq!(
            ranges("bytes=-10", 100),
            RangeRequest::Ranges(vec![r(90, 10)])
        );
    }

    #[test]
    fn unit_is_case_insensitive_and_ows_is_allowed_around_elements() {
        assert_eq!(
            ranges("Bytes= 0-1 ,\t, 5-6 ", 100),
            RangeRequest::Ranges(vec![r(0, 2), r(5, 2)])
        );
    }

    #[test]
    fn invalid_syntax_is_ignored() {
        for header in [
            "bytes=abc",
            "bytes=5-3",
            "bytes=+1-2",
            "bytes=1-+2",
            "bytes=-",
            "bytes=",
            "bytes=,",
            "bytes=1-2-3",
            "bytes 0-1",
            "bytes=0x1-2",
            "bytes=1 -2",
            "bytes=-1-2",
            "bytes=0-1,foo",
        ] {
            assert_eq!(ranges(header, 100), RangeRequest::Whole, "{header}");
        }
    }

    #[test]
    fn unknown_unit_is_ignored() {
        assert_eq!(ranges("items=0-1", 100), RangeRequest::Whole);
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        let huge = "99999999999999999999999999";
        assert_eq!(
            ranges(&format!("bytes=0-{huge}"), 100),
            RangeRequest::Ranges(vec![r(0, 100)])
        );
        assert_eq!(
            ranges(&format!("bytes={huge}-"), 100),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(
            ranges(&format!("bytes=-{huge}"), 100),
            RangeRequest::Ranges(vec![r(0, 100)])
        );
        assert_eq!(
            ranges(&format!("bytes={huge}9-{huge}"), 100),
            RangeRequest::Whole,
            "first > last even when both overflow"
        );
        assert_eq!(
            ranges("bytes=00000000000000000000000005-0000009", 100),
            RangeRequest::Ranges(vec![r(5, 5)])
        );
    }

    #[test]
    fn zero_suffix_and_start_past_end_are_unsatisfiable() {
        assert_eq!(ranges("bytes=-0", 100), RangeRequest::Unsatisfiable);
        assert_eq!(ranges("bytes=100-", 100), RangeRequest::Unsatisfiable);
        assert_eq!(ranges("bytes=100-200,-0", 100), RangeRequest::Unsatisfiable);
    }

    #[test]
    fn unsatisfiable_members_are_dropped() {
        assert_eq!(
            ranges("bytes=200-300,0-0", 100),
            RangeRequest::Ranges(vec![r(0, 1)])
        );
    }

    #[test]
    fn overlapping_and_adjacent_ranges_coalesce() {
        assert_eq!(
            ranges("bytes=50-59,0-9,10-19,5-12,70-", 100),
            RangeRequest::Ranges(vec![r(0, 20), r(50, 10), r(70, 30)])
        );
    }

    #[test]
    fn empty_file_ignores_range() {
        assert_eq!(ranges("bytes=0-0", 0), RangeRequest::Whole);
    }

    #[test]
    fn range_count_limit() {
        let header = format!(
            "bytes={}",
            (0..65)
                .map(|i| format!("{}-{}", i * 2, i * 2))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(ranges(&header, 1000), RangeRequest::Whole);
        assert_eq!(evaluate("bytes=0-1", 1000, 0), RangeRequest::Whole);
        let sixty_four = format!(
            "bytes={}",
            (0..64)
                .map(|i| format!("{}-{}", i * 2, i * 2))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(matches!(ranges(&sixty_four, 1000), RangeRequest::Ranges(r) if r.len() == 64));
    }

    proptest! {
        #[test]
        fn any_header_yields_sorted_disjoint_ranges_inside_the_file(
            header in "(bytes|BYTES|x)=[-0-9, ]{0,40}",
            size in 0u64..10_000,
        ) {
            if let RangeRequest::Ranges(ranges) = evaluate(&header, size, 64) {
                prop_assert!(!ranges.is_empty());
                for range in &ranges {
                    prop_assert!(range.length > 0);
                    prop_assert!(range.end() <= size);
                }
                for pair in ranges.windows(2) {
                    prop_assert!(pair[0].end() < pair[1].offset, "{:?}", pair);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(header in ".{0,200}", size in any::<u64>()) {
            let _ = evaluate(&header, size, 64);
        }

        #[test]
        fn well_formed_ranges_cover_exactly_the_requested_bytes(
            specs in prop::collection::vec((0u64..300, 0u64..300), 1..10),
            size in 1u64..300,
        ) {
            let header = format!(
                "bytes={}",
                specs.iter().map(|(a, b)| format!("{}-{}", a.min(b), a.max(b)))
                    .collect::<Vec<_>>().join(",")
            );
            let mut wanted = vec![false; size as usize];
            for (a, b) in &specs {
                for byte in *a.min(b)..=(*a.max(b)).min(size - 1) {
                    if byte < size { wanted[byte as usize] = true; }
                }
            }
            let mut covered = vec![false; size as usize];
            match evaluate(&header, size, 64) {
                RangeRequest::Ranges(ranges) => {
                    for range in ranges {
                        for byte in range.offset..range.end() { covered[byte as usize] = true; }
                    }
                }
                RangeRequest::Unsatisfiable => {}
                RangeRequest::Whole => prop_assert!(false, "valid header ignored: {header}"),
            }
            prop_assert_eq!(covered, wanted);
        }
    }
}
