//! Conditional requests (RFC 9110 section 13), evaluated in the order of section 13.2.2.

use crate::http::validators::{
    EntityTag, Validators, any_entity_tag, parse_http_date, parse_single_entity_tag,
};
use crate::request::{List, Request, Single};

/// What the preconditions decide, before ranges are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Go on and send the file (or the requested ranges).
    Proceed,
    /// 304: the client's copy is current.
    NotModified,
    /// 412: a precondition of the client does not hold.
    PreconditionFailed,
}

/// Steps 1 to 4 of RFC 9110 section 13.2.2 for an existing file.
pub(crate) fn evaluate(request: &Request, validators: &Validators) -> Verdict {
    // Step 1, else step 2.
    match &request.if_match {
        List::Value(list) => {
            if !if_match_holds(list, validators) {
                return Verdict::PreconditionFailed;
            }
        }
        List::Invalid => return Verdict::PreconditionFailed,
        List::Absent => {
            if let (Single::Value(date), Some(modified)) =
                (&request.if_unmodified_since, validators.last_modified)
            {
                if parse_http_date(date).is_some_and(|date| modified > date) {
                    return Verdict::PreconditionFailed;
                }
            }
        }
    }
    // Step 3, else step 4.
    match &request.if_none_match {
        List::Value(list) => {
            if if_none_match_matches(list, validators) {
                return if request.method.is_get_or_head() {
                    Verdict::NotModified
                } else {
                    Verdict::PreconditionFailed
                };
            }
        }
        List::Invalid => {}
        List::Absent => {
            if let (Single::Value(date), Some(modified), true) = (
                &request.if_modified_since,
                validators.last_modified,
                request.method.is_get_or_head(),
            ) {
                if parse_http_date(date).is_some_and(|date| modified <= date) {
                    return Verdict::NotModified;
                }
            }
        }
    }
    Verdict::Proceed
}

/// `If-Match` compares strongly: a weak tag never matches.
fn if_match_holds(list: &str, validators: &Validators) -> bool {
    list_matches(list, validators, |tag, ours| tag.strong_eq(ours))
}

/// `If-None-Match` compares weakly.
fn if_none_match_matches(list: &str, validators: &Validators) -> bool {
    list_matches(list, validators, |tag, ours| tag.weak_eq(ours))
}

/// Whether `*` or any tag of `list` matches our tag by `compare`; a malformed list or a
/// disabled tag matches nothing but `*`.
fn list_matches(
    list: &str,
    validators: &Validators,
    compare: fn(&EntityTag<'_>, &str) -> bool,
) -> bool {
    if list.trim() == "*" {
        return true;
    }
    let Some(ours) = validators.etag.as_deref() else {
        return false;
    };
    any_entity_tag(list, |tag| compare(tag, ours)).unwrap_or(false)
}

/// Step 5: whether a `Range` header may be honoured given `If-Range`. Without `If-Range` it
/// may; with one, only when it names the current representation by a strong entity tag
/// or by a date equal to a strong `Last-Modified`.
pub(crate) fn if_range_allows_ranges(request: &Request, validators: &Validators) -> bool {
    let value = match &request.if_range {
        Single::Absent => return true,
        Single::Invalid => return false,
        Single::Value(value) => value,
    };
    if value.starts_with('"') || value.starts_with("W/") {
        return match (parse_single_entity_tag(value), validators.etag.as_deref()) {
            (Some(tag), Some(ours)) => tag.strong_eq(ours),
            _ => false,
        };
    }
    match (parse_http_date(value), validators.last_modified) {
        (Some(date), Some(modified)) => validators.last_modified_is_strong && date == modified,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;
    use std::time::{Duration, UNIX_EPOCH};

    const ETAG: &str = "\"6553f100.0-a\"";
    const DATE: &str = "Tue, 14 Nov 2023 22:13:20 GMT";
    const EARLIER: &str = "Tue, 14 Nov 2023 22:13:19 GMT";

    fn validators() -> Validators {
        Validators::new(
            10,
            1_700_000_000,
            0,
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            true,
            true,
        )
    }

    fn verdict(request: Request) -> Verdict {
        evaluate(&request, &validators())
    }

    #[test]
    fn our_etag_is_the_expected_one() {
        assert_eq!(validators().etag.as_deref(), Some(ETAG));
    }

    #[test]
    fn if_match_takes_precedence_over_if_unmodified_since() {
        let request = Request::get()
            .with_header("If-Match", ETAG)
            .with_header("If-Unmodified-Since", EARLIER);
        assert_eq!(verdict(request), Verdict::Proceed);
    }

    #[test]
    fn if_unmodified_since_earlier_fails() {
        let request = Request::get().with_header("If-Unmodified-Since", EARLIER);
        assert_eq!(verdict(request), Verdict::PreconditionFailed);
    }

    #[test]
    fn if_none_match_takes_precedence_over_if_modified_since() {
        let request = Request::get()
            .with_header("If-None-Match", "\"other\"")
            .with_header("If-Modified-Since", DATE);
        assert_eq!(verdict(request), Verdict::Proceed);
    }

    #[test]
    fn if_modified_since_only_for_get_and_head() {
        let post = Request::new(Method::parse("POST")).with_header("If-Modified-Since", DATE);
        assert_eq!(verdict(post), Verdict::Proceed);
        let head = Request::new(Method::Head).with_header("If-Modified-Since", DATE);
        assert_eq!(verdict(head), Verdict::NotModified);
    }

    #[test]
    fn if_none_match_on_other_methods_fails() {
        let put = Request::new(Method::parse("PUT")).with_header("If-None-Match", "*");
        assert_eq!(verdict(put), Verdict::PreconditionFailed);
    }

    #[test]
    fn if_range_needs_a_strong_match() {
        let allows = |value: &str| {
            if_range_allows_ranges(
                &Request::get().with_header("If-Range", value),
                &validators(),
            )
        };
        assert!(allows(ETAG));
        assert!(!allows(&format!("W/{ETAG}")));
        assert!(!allows("\"other\""));
        assert!(allows(DATE));
        assert!(!allows(EARLIER));
        assert!(!allows("not a date"));
    }
}
