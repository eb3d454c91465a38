//! Properties over hostile input: no header value ever holds CR, LF or NUL, whatever the
//! file name, download name, content type or URL prefix; `filename*` decodes back to the
//! name it encodes.

mod common;

use common::Root;
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use sendfile::{Backend, Config, DownloadName, Error, FileOptions, Options, Plan, Request};

fn assert_clean(plan: &Plan) -> Result<(), TestCaseError> {
    for (name, value) in plan.headers() {
        prop_assert!(
            !value.contains(['\r', '\n', '\0']),
            "{name}: {value:?} holds a line break or NUL"
        );
    }
    Ok(())
}

fn header_only(backend: Backend, root: &str, url: &str) -> Result<Config, Error> {
    let mut options = Options::default();
    options.check_file_exists = false;
    Config::builder(backend)
        .root(root)
        .url(url)
        .options(options)
        .build()
}

/// Any text, with a good share of the characters that break headers and paths.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('\r'),
            Just('\n'),
            Just('\0'),
            Just('"'),
            Just('\\'),
            Just('%'),
            Just(';'),
            Just('?'),
            Just('#'),
            Just(' '),
            Just('é'),
            Just('’'),
            Just('日'),
            Just('😀'),
            Just('\u{7f}'),
            Just('\u{85}'),
            any::<char>(),
            prop::char::range('a', 'z'),
        ],
        1..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// The name a client recovers from a `Content-Disposition` value.
fn recovered_name(value: &str) -> Option<String> {
    match value.split_once("filename*=UTF-8''") {
        Some((_, encoded)) => Some(percent_decode_str(encoded).decode_utf8().ok()?.into_owned()),
        None => {
            let quoted = value.split_once("filename=\"")?.1.strip_suffix('"')?;
            Some(quoted.replace("\\\"", "\"").replace("\\\\", "\\"))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn download_names_never_break_the_header_and_round_trip(name in hostile_text()) {
        let config = header_only(Backend::Nginx, "/srv", "/p").unwrap();
        let file = FileOptions::new("f.bin").download_name(DownloadName::Given(name.clone()));
        let plan = config.plan(&Request::get(), &file).unwrap();
        assert_clean(&plan)?;
        let disposition = plan.header("Content-Disposition").unwrap();
        prop_assert_eq!(recovered_name(disposition), Some(name));
    }

    #[test]
    fn file_names_never_break_any_header(name in hostile_text()) {
        let name = name.replace(['/', '\0'], "_");
        prop_assume!(name != "." && name != ".." && name.len() <= 255);
        for backend in [Backend::Nginx, Backend::ModWsgi, Backend::Lighttpd, Backend::XSendfile] {
            let config = header_only(backend, "/srv/files", "/protected").unwrap();
            match config.plan(&Request::get(), &FileOptions::new(&name)) {
                Ok(plan) => assert_clean(&plan)?,
                // Only a raw X-Sendfile path may refuse a name, and only one with a control
                // character in it.
                Err(Error::InvalidArgument(_)) => {
                    prop_assert_eq!(backend, Backend::XSendfile);
                    prop_assert!(name.chars().any(char::is_control));
                }
                Err(other) => prop_assert!(false, "{backend}: {other}"),
            }
        }
    }

    #[test]
    fn real_files_with_hostile_names_are_served_with_clean_headers(name in hostile_text()) {
        let name = name.replace(['/', '\0'], "_");
        prop_assume!(name != "." && name != ".." && name.len() <= 255);
        let root = Root::new();
        root.add_file(&name, 5);
        let config = Config::builder(Backend::Simple).root(&root.path).build().unwrap();
        let plan = config.plan(&Request::get(), &FileOptions::new(&name)).unwrap();
        prop_assert_eq!(plan.status(), 200);
        assert_clean(&plan)?;
        prop_assert_eq!(recovered_name(plan.header("Content-Disposition").unwrap()), Some(name));
    }

    #[test]
    fn content_types_are_refused_or_clean(content_type in hostile_text()) {
        let config = header_only(Backend::Nginx, "/srv", "/p").unwrap();
        let file = FileOptions::new("f.bin").content_type(content_type.clone());
        match config.plan(&Request::get(), &file) {
            Ok(plan) => {
                assert_clean(&plan)?;
                prop_assert_eq!(plan.header("Content-Type"), Some(content_type.as_str()));
            }
            Err(Error::InvalidArgument(_)) => {
                prop_assert!(content_type.chars().any(|c| c.is_control() && c != '\t'));
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn url_prefixes_are_refused_or_clean(url in hostile_text()) {
        let url = format!("/{url}");
        match header_only(Backend::Nginx, "/srv", &url) {
            Ok(config) => {
                let plan = config.plan(&Request::get(), &FileOptions::new("a b.txt")).unwrap();
                assert_clean(&plan)?;
            }
            Err(Error::Configuration(_)) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn any_request_headers_give_a_sound_plan(
        range in "[ -~]{0,30}",
        if_range in "[ -~]{0,30}",
        if_none_match in "[ -~]{0,30}",
    ) {
        let root = Root::new();
        root.add_file("f.txt", 100);
        let config = Config::builder(Backend::Simple).root(&root.path).build().unwrap();
        let request = Request::get()
            .with_header("Range", &range)
            .with_header("If-Range", &if_range)
            .with_header("If-None-Match", &if_none_match);
        let plan = config.plan(&request, &FileOptions::new("f.txt")).unwrap();
        assert_clean(&plan)?;
        prop_assert!([200, 206, 304, 416].contains(&plan.status()));
        for range in plan.ranges() {
            prop_assert!(range.length > 0 && range.end() <= 100);
        }
        let declared: u64 = plan.header("Content-Length").map_or(0, |v| v.parse().unwrap());
        prop_assert_eq!(declared, plan.body_length());
    }
}
