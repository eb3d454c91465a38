//! What the integration tests share: a root folder with a file of known bytes and date,
//! and the reading of the JSON case files into the library's types.

#![allow(dead_code)]

use std::fs::{self, File, FileTimes};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use sendfile::{AccelExpires, Backend, Config, DownloadName, FileOptions, Options, Request};
use serde_json::Value;

/// The modification time every case file gets: 2023-11-14 22:13:20.123456789 UTC.
pub const MTIME: Duration = Duration::new(1_700_000_000, 123_456_789);

/// The byte at `offset` of every test file, so that any misplaced byte shows.
pub fn byte_at(offset: u64) -> u8 {
    ((offset * 31 + 7) % 251) as u8
}

/// A temporary root folder; removed when dropped.
pub struct Root {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Root {
    pub fn new() -> Root {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("root");
        fs::create_dir(&path).unwrap();
        Root { _dir: dir, path }
    }

    pub fn text(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// Writes `size` bytes of the test pattern at `name` (folders created), dated [`MTIME`].
    pub fn add_file(&self, name: &str, size: u64) -> PathBuf {
        let path = self.path.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let content: Vec<u8> = (0..size).map(byte_at).collect();
        fs::write(&path, content).unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_times(FileTimes::new().set_modified(UNIX_EPOCH + MTIME))
            .unwrap();
        path
    }

    /// Replaces `{root}` in a case's text.
    pub fn fill(&self, text: &str) -> String {
        text.replace("{root}", self.text())
    }
}

/// Reads `tests/cases/<name>` and returns its cases.
pub fn load_cases(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name);
    let text = fs::read_to_string(&path).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    document["cases"].as_array().unwrap().clone()
}

/// The configuration a case asks for.
pub fn config_for(case: &Value, backend: Backend, root: &Root) -> sendfile::Result<Config> {
    let mut builder = Config::builder(backend).root(&root.path);
    match case.get("url").and_then(Value::as_str) {
        Some(url) => builder = builder.url(url),
        None if backend.needs_url() => builder = builder.url("/private"),
        None => {}
    }
    builder.options(options_for(case.get("options"))).build()
}

fn options_for(value: Option<&Value>) -> Options {
    let mut options = Options::default();
    let Some(value) = value else {
        return options;
    };
    for (key, v) in value.as_object().unwrap() {
        match key.as_str() {
            "check_file_exists" => options.check_file_exists = v.as_bool().unwrap(),
            "max_ranges" => options.max_ranges = v.as_u64().unwrap() as usize,
            "limit_multipart_to_file_size" => {
                options.limit_multipart_to_file_size = v.as_bool().unwrap()
            }
            "etag" => options.etag = v.as_bool().unwrap(),
            "last_modified" => options.last_modified = v.as_bool().unwrap(),
            "cache_control" => options.cache_control = Some(v.as_str().unwrap().to_owned()),
            "xsendfile_percent_encode" => options.xsendfile_percent_encode = v.as_bool().unwrap(),
            "accel" => {
                for (knob, k) in v.as_object().unwrap() {
                    match knob.as_str() {
                        "buffering" => options.accel.buffering = k.as_bool(),
                        "limit_rate" => options.accel.limit_rate = k.as_u64(),
                        "charset" => options.accel.charset = k.as_str().map(str::to_owned),
                        "expires" => {
                            options.accel.expires = Some(match (k.as_u64(), k.as_str()) {
                                (Some(seconds), _) => AccelExpires::Seconds(seconds),
                                (_, Some("off")) => AccelExpires::Off,
                                (_, Some(at)) => {
                                    AccelExpires::Until(at.trim_start_matches('@').parse().unwrap())
                                }
                                _ => panic!("bad expires {k}"),
                            })
                        }
                        other => panic!("unknown accel option {other}"),
                    }
                }
            }
            other => panic!("unknown option {other}"),
        }
    }
    options
}

/// The request a case describes.
pub fn request_for(case: &Value) -> Request {
    let method = case.get("method").and_then(Value::as_str).unwrap_or("GET");
    let mut request = Request::new(sendfile::Method::parse(method));
    for header in case
        .get("request")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let pair = header.as_array().unwrap();
        request.add_header(
            pair[0].as_str().unwrap().as_bytes(),
            pair[1].as_str().unwrap().as_bytes(),
        );
    }
    request
}

/// The file options a case describes, for the file at `path`.
pub fn file_options_for(case: &Value, path: &str) -> FileOptions {
    let mut file = FileOptions::new(path);
    let Some(options) = case.get("file_options").and_then(Value::as_object) else {
        return file;
    };
    for (key, v) in options {
        file = match key.as_str() {
            "attachment" if v.as_bool().unwrap() => file.attachment(),
            "attachment" => file,
            "download_name" => file.download_name(match v.as_str() {
                Some(name) => DownloadName::Given(name.to_owned()),
                None => DownloadName::Omitted,
            }),
            "content_type" => file.content_type(v.as_str().unwrap()),
            "encoding" => file.encoding(v.as_str().unwrap()),
            "content_length" => file.content_length(v.as_u64().unwrap()),
            other => panic!("unknown file option {other}"),
        };
    }
    file
}

/// Creates the case's file in `root` and returns the path to ask for.
pub fn prepare_file(case: &Value, root: &Root) -> String {
    let file = case.get("file");
    let name = file
        .and_then(|f| f.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("file.txt");
    let size = file
        .and_then(|f| f.get("size"))
        .and_then(Value::as_u64)
        .unwrap_or(1000);
    root.add_file(name, size);
    match case.get("path").and_then(Value::as_str) {
        Some(path) => root.fill(path),
        None => name.to_owned(),
    }
}

/// The headers a case expects, with `{root}` and `{boundary}` filled in.
pub fn expected_headers(case: &Value, root: &Root, boundary: &str) -> Vec<(String, String)> {
    case["expect"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let pair = pair.as_array().unwrap();
            (
                pair[0].as_str().unwrap().to_owned(),
                root.fill(pair[1].as_str().unwrap())
                    .replace("{boundary}", boundary),
            )
        })
        .collect()
}
