//! Plans for objects in an S3-compatible store, through the public API: the nginx
//! backend's X-Accel-Redirect to the store's internal location, the redirect every other
//! backend answers with, and the keys and settings that are refused. The signatures
//! themselves are checked against AWS's example in the unit tests and against a real
//! store (s3s-fs) in tests/e2e. Without the store feature, the settings are still read
//! and a configuration that names a store is refused.

#[cfg(feature = "store")]
use std::collections::BTreeMap;

#[cfg(feature = "store")]
use percent_encoding::percent_decode_str;
use sendfile::{Backend, Config, Error, Options};
#[cfg(feature = "store")]
use sendfile::{DownloadName, Escape, FileOptions, Method, Plan, Request};

fn store_config(backend: Backend, extra: &[(&str, &str)]) -> Result<Config, Error> {
    let mut options = Options::default();
    for (name, value) in [
        ("store_endpoint", "http://127.0.0.1:9000"),
        ("store_bucket", "media"),
        ("store_prefix", "private/"),
        ("store_access_key", "AKIAIOSFODNN7EXAMPLE"),
        (
            "store_secret_key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
    ]
    .iter()
    .chain(extra)
    {
        options.set(name, value)?;
    }
    Config::builder(backend).options(options).build()
}

#[cfg(feature = "store")]
/// The query of a URL as a map, values decoded.
fn query_of(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (
                name.to_owned(),
                percent_decode_str(value)
                    .decode_utf8()
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect()
}

#[cfg(feature = "store")]
fn assert_signed_for(query: &BTreeMap<String, String>, lifetime: &str) {
    assert_eq!(query["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
    assert_eq!(query["X-Amz-SignedHeaders"], "host");
    assert_eq!(query["X-Amz-Expires"], lifetime);
    let credential = &query["X-Amz-Credential"];
    assert!(
        credential.starts_with("AKIAIOSFODNN7EXAMPLE/")
            && credential.ends_with("/us-east-1/s3/aws4_request"),
        "{credential}"
    );
    assert_eq!(query["X-Amz-Signature"].len(), 64);
    assert!(!query.values().any(|value| value.contains("wJalr")));
}

#[cfg(feature = "store")]
fn header_names(plan: &Plan) -> Vec<&str> {
    plan.headers().iter().map(|(name, _)| *name).collect()
}

#[cfg(feature = "store")]
#[test]
fn nginx_hands_a_presigned_get_to_the_internal_location() {
    let config = store_config(Backend::Nginx, &[("accel_buffering", "no")]).unwrap();
    let request = Request::get().with_header("Range", "bytes=0-9");
    let file = FileOptions::new("reports/Q3 résumé?.pdf").attachment();
    let plan = config.plan(&request, &file).unwrap();
    assert_eq!(plan.status(), 200);
    assert_eq!(
        header_names(&plan),
        [
            "Content-Type",
            "Content-Disposition",
            "X-Accel-Redirect",
            "X-Accel-Buffering"
        ]
    );
    assert_eq!(plan.header("Content-Type"), Some("application/pdf"));
    assert_eq!(
        plan.header("Content-Disposition"),
        Some(
            "attachment; filename=\"Q3 resume?.pdf\"; filename*=UTF-8''Q3%20r%C3%A9sum%C3%A9%3F.pdf"
        )
    );
    let accel = plan.header("X-Accel-Redirect").unwrap();
    let (path, query) = accel.split_once('?').unwrap();
    // Encoded twice: nginx decodes once, the store once more.
    assert_eq!(
        path,
        "/_sendfile_store/media/private/reports/Q3%2520r%25C3%25A9sum%25C3%25A9%253F.pdf"
    );
    let query = query_of(query);
    assert_signed_for(&query, "60");
    assert!(
        !query.keys().any(|name| name.starts_with("response-")),
        "nginx takes the type and name from the application: {query:?}"
    );
    assert_eq!(plan.body_length(), 0);
    assert_eq!(plan.path(), None);
    assert_eq!(plan.file_size(), None);
}

#[cfg(feature = "store")]
#[test]
fn other_backends_redirect_with_the_presentation_inside_the_signature() {
    let others = Backend::ALL.into_iter().filter(|&b| b != Backend::Nginx);
    for backend in others {
        let config = store_config(
            backend,
            &[
                ("store_lifetime", "30"),
                ("cache_control", "private, max-age=600"),
            ],
        )
        .unwrap();
        let file = FileOptions::new("a&b/report.tar.gz")
            .attachment()
            .download_name(DownloadName::Given("Report \"final\".tar.gz".into()))
            .content_length(1234);
        let plan = config.plan(&Request::get(), &file).unwrap();
        assert_eq!(plan.status(), 302, "{backend}");
        assert_eq!(header_names(&plan), ["Location", "Cache-Control"]);
        assert_eq!(plan.header("Cache-Control"), Some("no-store"));
        assert_eq!(plan.file_size(), Some(1234));
        let location = plan.header("Location").unwrap();
        let (url, query) = location.split_once('?').unwrap();
        assert_eq!(
            url,
            "http://127.0.0.1:9000/media/private/a%26b/report.tar.gz"
        );
        let query = query_of(query);
        assert_signed_for(&query, "30");
        assert_eq!(query["response-content-type"], "application/gzip");
        assert_eq!(
            query["response-content-disposition"],
            "attachment; filename=\"Report \\\"final\\\".tar.gz\""
        );
        assert_eq!(query["response-cache-control"], "private, max-age=600");
        assert_eq!(query.len(), 9, "{query:?}");
    }
}

#[cfg(feature = "store")]
#[test]
fn a_head_request_is_redirected_to_a_url_signed_for_head() {
    let config = store_config(Backend::Simple, &[]).unwrap();
    let file = FileOptions::new("a.txt");
    let get = config.plan(&Request::get(), &file).unwrap();
    let head = config.plan(&Request::new(Method::Head), &file).unwrap();
    let signature = |plan: &Plan| {
        query_of(plan.header("Location").unwrap().split_once('?').unwrap().1)["X-Amz-Signature"]
            .clone()
    };
    assert_ne!(signature(&get), signature(&head));
}

#[cfg(feature = "store")]
#[test]
fn virtual_host_addressing_puts_the_bucket_in_the_host() {
    let config = store_config(
        Backend::Simple,
        &[
            ("store_endpoint", "https://s3.eu-west-1.amazonaws.com"),
            ("store_region", "eu-west-1"),
            ("store_addressing", "virtual"),
            ("store_session_token", "FwoGZXIvYXdzEXAMPLE"),
        ],
    )
    .unwrap();
    let plan = config
        .plan(&Request::get(), &FileOptions::new("a.txt"))
        .unwrap();
    let (url, query) = plan.header("Location").unwrap().split_once('?').unwrap();
    assert_eq!(
        url,
        "https://media.s3.eu-west-1.amazonaws.com/private/a.txt"
    );
    let query = query_of(query);
    assert_eq!(query["X-Amz-Security-Token"], "FwoGZXIvYXdzEXAMPLE");
    assert!(query["X-Amz-Credential"].ends_with("/eu-west-1/s3/aws4_request"));
}

#[cfg(feature = "store")]
#[test]
fn keys_that_leave_the_prefix_are_refused_before_signing() {
    let config = store_config(Backend::Nginx, &[]).unwrap();
    for (key, escape) in [
        ("../other/secret.txt", Escape::Traversal),
        ("a/%2e%2e/b", Escape::Traversal),
        ("a%2Fb", Escape::EncodedSlash),
    ] {
        match config.plan(&Request::get(), &FileOptions::new(key)) {
            Err(Error::OutsideRoot(found)) => assert_eq!(found, escape, "{key}"),
            other => panic!("{key}: {other:?}"),
        }
    }
    let error = config
        .plan(&Request::get(), &FileOptions::new("a//b"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "not found: a//b: not a valid object key: it has an empty segment ('//' or a '/' at the \
         end)"
    );
}

#[test]
fn a_store_stands_instead_of_a_root_and_url() {
    let mut options = Options::default();
    options
        .set("store_endpoint", "http://127.0.0.1:9000")
        .unwrap();
    options.set("store_bucket", "media").unwrap();
    options.set("store_access_key", "AK").unwrap();
    options.set("store_secret_key", "very-secret").unwrap();
    let both = Config::builder(Backend::Nginx)
        .root("/srv")
        .url("/protected")
        .options(options.clone())
        .build()
        .unwrap_err();
    assert_eq!(
        both.to_string(),
        "configuration error: a configuration names either a root folder and URL prefix or \
         an object store, not both: make one configuration for each"
    );
    options.set("store_lifetime", "700000").unwrap();
    let error = Config::builder(Backend::Nginx)
        .options(options.clone())
        .build()
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("very-secret"));
    assert!(!format!("{options:?}").contains("very-secret"));
}

#[test]
fn store_options_without_an_endpoint_and_bucket_are_refused_by_name() {
    for (name, value) in [
        ("store_region", "us-east-1"),
        ("store_prefix", "private"),
        ("store_access_key", "AKIAIOSFODNN7EXAMPLE"),
        ("store_secret_key", "very-secret"),
        ("store_session_token", "very-secret"),
        ("store_addressing", "path"),
        ("store_lifetime", "60"),
        ("store_location", "/_sendfile_store"),
    ] {
        let mut options = Options::default();
        options.set(name, value).unwrap();
        let without_root = Config::builder(Backend::Nginx).options(options.clone());
        let with_root = Config::builder(Backend::Simple)
            .root(std::env::temp_dir())
            .options(options);
        for builder in [without_root, with_root] {
            let error = builder.build().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "configuration error: option {name} is given but no object store is \
                     named: a store needs both an endpoint and a bucket (store_endpoint, \
                     store_bucket)"
                )
            );
        }
    }
}

#[cfg(not(feature = "store"))]
#[test]
fn without_the_store_feature_a_store_is_refused() {
    let error = store_config(Backend::Nginx, &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuration error: this build of sendfile has no object stores (the store feature \
         is off): name a root folder instead"
    );
}
