//! The validators of a file: its entity tag and its modification date.
//!
//! Both come from one `fstat` of the descriptor that is sent, so they describe exactly the
//! bytes the client receives. The entity tag is strong and cheap: the nanosecond mtime and
//! the size, never the inode (which differs between the machines behind a load balancer)
//! nor a hash of the contents (which would read the file).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first second `httpdate` cannot format (the year 10000).
const LAST_FORMATTABLE_SECOND: i64 = 253_402_300_799;

/// What identifies the current version of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Validators {
    /// The strong entity tag, quotes included; `None` when disabled.
    pub etag: Option<String>,
    /// The modification time in whole seconds since the epoch, when it can be stated.
    pub last_modified: Option<u64>,
    /// Whether `last_modified` is a strong validator: the file had not changed in the second
    /// before it was opened (RFC 9110 section 8.8.2.2), so no later change can share it.
    pub last_modified_is_strong: bool,
}

impl Validators {
    /// Validators for a file of `size` bytes modified at `mtime_seconds` + `mtime_nanos`,
    /// opened at `now`.
    pub fn new(
        size: u64,
        mtime_seconds: i64,
        mtime_nanos: i64,
        now: SystemTime,
        with_etag: bool,
        with_last_modified: bool,
    ) -> Validators {
        let etag = with_etag.then(|| format!("\"{mtime_seconds:x}.{mtime_nanos:x}-{size:x}\""));
        let last_modified = (with_last_modified
            && (0..=LAST_FORMATTABLE_SECOND).contains(&mtime_seconds))
        .then_some(mtime_seconds as u64);
        let last_modified_is_strong = last_modified.is_some_and(|seconds| {
            now.duration_since(UNIX_EPOCH)
                .is_ok_and(|now| now.as_secs() > seconds)
        });
        Validators {
            etag,
            last_modified,
            last_modified_is_strong,
        }
    }

    /// The `Last-Modified` header value.
    pub fn last_modified_header(&self) -> Option<String> {
        self.last_modified
            .map(|seconds| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds)))
    }
}

/// An entity tag as written in a request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntityTag<'a> {
    pub weak: bool,
    /// The tag with its quotes, as it would appear in an `ETag` header.
    pub quoted: &'a str,
}

impl EntityTag<'_> {
    /// Strong comparison: both strong and identical.
    pub fn strong_eq(&self, ours: &str) -> bool {
        !self.weak && self.quoted == ours
    }

    /// Weak comparison: identical once any `W/` is set aside (our own tag is strong).
    pub fn weak_eq(&self, ours: &str) -> bool {
        self.quoted == ours
    }
}

/// Parses one entity-tag at the start of `text`, returning it and the rest.
fn parse_entity_tag(text: &str) -> Option<(EntityTag<'_>, &str)> {
    let (weak, quoted_start) = match text.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = quoted_start.strip_prefix('"')?;
    let close = body.find('"')?;
    let tag = &body[..close];
    // etagc = %x21 / %x23-7E / obs-text
    if !tag
        .bytes()
        .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
    {
        return None;
    }
    let quoted = &quoted_start[..close + 2];
    Some((EntityTag { weak, quoted }, &body[close + 1..]))
}

/// Parses a whole header value as one entity tag.
pub(crate) fn parse_single_entity_tag(text: &str) -> Option<EntityTag<'_>> {
    match parse_entity_tag(text)? {
        (tag, "") => Some(tag),
        _ => None,
    }
}

/// Whether any tag of a comma-separated list satisfies `matches`; `None` when the list is
/// malformed.
pub(crate) fn any_entity_tag(list: &str, matches: impl Fn(&EntityTag<'_>) -> bool) -> Option<bool> {
    let mut rest = list;
    let mut found = false;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(found);
        }
        let (tag, after) = parse_entity_tag(rest)?;
        found |= matches(&tag);
        rest = after.trim_start_matches([' ', '\t']);
        if !rest.is_empty() && !rest.starts_with(',') {
            return None;
        }
    }
}

/// Parses an HTTP-date (any of the three RFC 9110 forms) into seconds since the epoch.
pub(crate) fn parse_http_date(text: &str) -> Option<u64> {
    let time = httpdate::parse_http_date(text).ok()?;
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn etag_is_mtime_and_size_in_hex() {
        let v = Validators::new(
            1000,
            1_700_000_000,
            123_456_789,
            at(1_800_000_000),
            true,
            true,
        );
        assert_eq!(v.etag.as_deref(), Some("\"6553f100.75bcd15-3e8\""));
        assert_eq!(
            v.last_modified_header().as_deref(),
            Some("Tue, 14 Nov 2023 22:13:20 GMT")
        );
        assert!(v.last_modified_is_strong);
    }

    #[test]
    fn a_file_changed_this_second_has_a_weak_date() {
        let v = Validators::new(1, 1_700_000_000, 5, at(1_700_000_000), true, true);
        assert!(!v.last_modified_is_strong);
    }

    #[test]
    fn dates_httpdate_cannot_format_are_left_out() {
        let before_epoch = Validators::new(1, -5, 0, at(10), true, true);
        assert_eq!(before_epoch.last_modified, None);
        let far_future = Validators::new(1, LAST_FORMATTABLE_SECOND + 1, 0, at(10), true, true);
        assert_eq!(far_future.last_modified, None);
        assert!(far_future.etag.is_some());
    }

    #[test]
    fn entity_tag_lists() {
        let ours = "\"abc\"";
        assert_eq!(
            any_entity_tag("\"x\", \"abc\"", |t| t.strong_eq(ours)),
            Some(true)
        );
        assert_eq!(
            any_entity_tag("W/\"abc\"", |t| t.strong_eq(ours)),
            Some(false)
        );
        assert_eq!(any_entity_tag("W/\"abc\"", |t| t.weak_eq(ours)), Some(true));
        assert_eq!(
            any_entity_tag(" , \"x\" ,, ", |t| t.weak_eq(ours)),
            Some(false)
        );
        assert_eq!(any_entity_tag("abc", |t| t.weak_eq(ours)), None);
        assert_eq!(any_entity_tag("\"abc\" junk", |t| t.weak_eq(ours)), None);
        assert_eq!(any_entity_tag("\"a b\"", |t| t.weak_eq(ours)), None);
    }

    #[test]
    fn single_entity_tag() {
        assert_eq!(
            parse_single_entity_tag("\"abc\""),
            Some(EntityTag {
                weak: false,
                quoted: "\"abc\""
            })
        );
        assert_eq!(parse_single_entity_tag("\"abc\", \"d\""), None);
    }

    #[test]
    fn the_three_date_forms_parse() {
        for date in [
            "Tue, 14 Nov 2023 22:13:20 GMT",
            "Tuesday, 14-Nov-23 22:13:20 GMT",
            "Tue Nov 14 22:13:20 2023",
        ] {
            assert_eq!(parse_http_date(date), Some(1_700_000_000), "{date}");
        }
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
