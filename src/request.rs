//! The parts of an HTTP request that decide the plan: the method and the conditional and
//! range headers. Callers may pass every header they have; the others are ignored.

/// The request method, as far as file serving distinguishes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Method {
    /// `GET`: the only method that honours `Range`.
    #[default]
    Get,
    /// `HEAD`: the headers of `GET` without a body.
    Head,
    /// Any other method, kept as given.
    Other(String),
}

impl Method {
    /// Reads a method name; method names are case-sensitive (RFC 9110 section 9.1).
    pub fn parse(name: &str) -> Method {
        match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            other => Method::Other(other.to_owned()),
        }
    }

    /// Whether this is `GET` or `HEAD`, which get 304 where others get 412.
    pub fn is_get_or_head(&self) -> bool {
        matches!(self, Method::Get | Method::Head)
    }
}

/// The value of a header that must appear at most once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Single {
    /// Not sent.
    #[default]
    Absent,
    /// Sent once, or several times with the same value.
    Value(String),
    /// Sent several times with different values, or with bytes that are not text; such a
    /// header is treated as invalid (which errs towards sending the whole, current file).
    Invalid,
}

impl Single {
    fn add(&mut self, value: Option<&str>) {
        *self = match (std::mem::take(self), value) {
            (Single::Absent, Some(value)) => Single::Value(value.to_owned()),
            (Single::Value(old), Some(value)) if old == value => Single::Value(old),
            _ => Single::Invalid,
        };
    }
}

/// The value of a comma-separated list header; repeated headers join into one list
/// (RFC 9110 section 5.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum List {
    /// Not sent.
    #[default]
    Absent,
    /// The members, joined with `", "`.
    Value(String),
    /// Some bytes were not text.
    Invalid,
}

impl List {
    fn add(&mut self, value: Option<&str>) {
        *self = match (std::mem::take(self), value) {
            (List::Absent, Some(value)) => List::Value(value.to_owned()),
            (List::Value(mut list), Some(value)) => {
                list.push_str(", ");
                list.push_str(value);
                List::Value(list)
            }
            _ => List::Invalid,
        };
    }
}

/// Where the value of a header the plan reads is kept.
type Slot = fn(&mut Request, Option<&str>);

/// The headers a plan reads, each with where its value goes: the one list of them.
const READ_HEADERS: [(&str, Slot); 6] = [
    ("Range", |r, v| r.range.add(v)),
    ("If-Range", |r, v| r.if_range.add(v)),
    ("If-Match", |r, v| r.if_match.add(v)),
    ("If-None-Match", |r, v| r.if_none_match.add(v)),
    ("If-Modified-Since", |r, v| r.if_modified_since.add(v)),
    ("If-Unmodified-Since", |r, v| r.if_unmodified_since.add(v)),
];

/// The request headers a plan reads, by their usual spelling (names match in any case);
/// [`Request::add_header`] ignores every other. A caller that must pick the headers out
/// itself (a WSGI environ names them `HTTP_RANGE`, ...) derives its keys from this list.
pub const PLAN_HEADERS: [&str; READ_HEADERS.len()] = {
    let mut names = [""; READ_HEADERS.len()];
    let mut index = 0;
    while index < READ_HEADERS.len() {
        names[index] = READ_HEADERS[index].0;
        index += 1;
    }
    names
};

/// A request, reduced to what file serving needs.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) range: Single,
    pub(crate) if_range: Single,
    pub(crate) if_match: List,
    pub(crate) if_none_match: List,
    pub(crate) if_modified_since: Single,
    pub(crate) if_unmodified_since: Single,
}

impl Request {
    /// A request with the given method and no headers yet.
    pub fn new(method: Method) -> Request {
        Request {
            method,
            ..Request::default()
        }
    }

    /// A `GET` request with no headers yet.
    pub fn get() -> Request {
        Request::new(Method::Get)
    }

    /// The method of the request.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Adds one request header. Names are case-insensitive; headers that do not matter to
    /// file serving are ignored, so a caller can pass every header it received. A value that
    /// is not UTF-8 makes the header invalid, as does a second, different value of a header
    /// that may appear only once.
    pub fn add_header(&mut self, name: &[u8], value: &[u8]) {
        let Some((_, slot)) = READ_HEADERS
            .iter()
            .find(|(known, _)| name.eq_ignore_ascii_case(known.as_bytes()))
        else {
            return;
        };
        let value = std::str::from_utf8(value)
            .ok()
            .map(|v| v.trim_matches([' ', '\t']));
        slot(self, value);
    }

    /// Adds one header and returns the request, for building requests in one expression.
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.add_header(name.as_bytes(), value.as_bytes());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_unknown_headers_ignored() {
        let request = Request::get()
            .with_header("RANGE", "bytes=0-1")
            .with_header("Accept", "*/*");
        assert_eq!(request.range, Single::Value("bytes=0-1".into()));
    }

    #[test]
    fn every_plan_header_reaches_the_request_and_only_those() {
        assert_eq!(
            PLAN_HEADERS,
            [
                "Range",
                "If-Range",
                "If-Match",
                "If-None-Match",
                "If-Modified-Since",
                "If-Unmodified-Since"
            ]
        );
        let mut request = Request::get();
        for name in PLAN_HEADERS {
            request.add_header(name.to_ascii_lowercase().as_bytes(), name.as_bytes());
        }
        request.add_header(b"If-Ranges", b"x");
        assert_eq!(request.range, Single::Value("Range".into()));
        assert_eq!(request.if_range, Single::Value("If-Range".into()));
        assert_eq!(request.if_match, List::Value("If-Match".into()));
        assert_eq!(request.if_none_match, List::Value("If-None-Match".into()));
        assert_eq!(
            request.if_modified_since,
            Single::Value("If-Modified-Since".into())
        );
        assert_eq!(
            request.if_unmodified_since,
            Single::Value("If-Unmodified-Since".into())
        );
    }

    #[test]
    fn repeated_list_headers_join() {
        let request = Request::get()
            .with_header("If-None-Match", "\"a\"")
            .with_header("if-none-match", "\"b\"");
        assert_eq!(request.if_none_match, List::Value("\"a\", \"b\"".into()));
    }

    #[test]
    fn repeated_single_headers_with_different_values_are_invalid() {
        let request = Request::get()
            .with_header("Range", "bytes=0-1")
            .with_header("Range", "bytes=2-3");
        assert_eq!(request.range, Single::Invalid);
        let same = Request::get()
            .with_header("Range", "bytes=0-1")
            .with_header("Range", "bytes=0-1");
        assert_eq!(same.range, Single::Value("bytes=0-1".into()));
    }

    #[test]
    fn non_utf8_value_is_invalid() {
        let mut request = Request::get();
        request.add_header(b"If-Modified-Since", b"\xff");
        assert_eq!(request.if_modified_since, Single::Invalid);
    }

    #[test]
    fn methods_are_case_sensitive() {
        assert_eq!(Method::parse("GET"), Method::Get);
        assert_eq!(Method::parse("get"), Method::Other("get".into()));
        assert!(Method::Head.is_get_or_head());
    }
}
