//! Replays the request cases of `tests/cases/*.json` through the Rust API: status, every
//! header in order, the ranges, and the exact bytes of the body.

mod common;

use std::io::Read;

use common::{
    Root, byte_at, config_for, expected_headers, file_options_for, load_cases, prepare_file,
    request_for,
};
use sendfile::{Backend, Body, ByteRange, Plan};
use serde_json::Value;

fn actual_headers(plan: &Plan) -> Vec<(String, String)> {
    plan.headers()
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect()
}

fn expected_ranges(case: &Value) -> Vec<ByteRange> {
    case["expect"]["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| ByteRange {
            offset: r[0].as_u64().unwrap(),
            length: r[1].as_u64().unwrap(),
        })
        .collect()
}

/// The body the client must receive, built independently of the library's segments.
fn expected_body(plan: &Plan, ranges: &[ByteRange], boundary: &str, multipart: bool) -> Vec<u8> {
    let bytes = |range: &ByteRange| {
        (range.offset..range.end())
            .map(byte_at)
            .collect::<Vec<u8>>()
    };
    if !multipart {
        return ranges.iter().flat_map(bytes).collect();
    }
    let size = plan.file_size().unwrap();
    let part_type = "text/plain";
    let mut body = Vec::new();
    for (index, range) in ranges.iter().enumerate() {
        if index > 0 {
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: {part_type}\r\nContent-Range: bytes {}-{}/{size}\r\n\r\n",
                range.offset,
                range.end() - 1
            )
            .as_bytes(),
        );
        body.extend(bytes(range));
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

fn check_served_case(case: &Value, backend: Backend) -> Result<(), String> {
    let root = Root::new();
    let path = prepare_file(case, &root);
    let config = config_for(case, backend, &root).map_err(|e| e.to_string())?;
    let plan = config
        .plan(&common::request_for(case), &file_options_for(case, &path))
        .map_err(|e| format!("unexpected error: {e}"))?;
    let expect = &case["expect"];
    let status = expect["status"].as_u64().unwrap() as u16;
    if plan.status() != status {
        return Err(format!("status {} instead of {status}", plan.status()));
    }
    let multipart = expect
        .get("multipart")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let boundary = plan
        .header("Content-Type")
        .and_then(|t| t.strip_prefix("multipart/byteranges; boundary="))
        .unwrap_or("")
        .to_owned();
    let headers = actual_headers(&plan);
    let wanted = expected_headers(case, &root, &boundary);
    if headers != wanted {
        return Err(format!("headers\n  got  {headers:?}\n  want {wanted:?}"));
    }
    let ranges = expected_ranges(case);
    if plan.ranges() != ranges {
        return Err(format!("ranges {:?} instead of {ranges:?}", plan.ranges()));
    }
    if multipart != matches!(plan.body(), Body::Multipart(_)) {
        return Err(format!("body {:?}", plan.body()));
    }
    if ranges.is_empty() != plan.file().is_none() {
        return Err("the plan keeps a file it does not send, or lacks one it sends".into());
    }
    let mut body = Vec::new();
    plan.reader()
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    let wanted_body = expected_body(&plan, &ranges, &boundary, multipart);
    if body != wanted_body {
        return Err(format!(
            "body of {} bytes differs from the expected {}",
            body.len(),
            wanted_body.len()
        ));
    }
    if body.len() as u64 != plan.body_length() {
        return Err("body_length differs from the body".into());
    }
    Ok(())
}

fn run_all(
    file: &str,
    backends: impl Fn(&Value) -> Vec<Backend>,
    check: impl Fn(&Value, Backend) -> Result<(), String>,
) {
    let cases = load_cases(file);
    let mut failures = Vec::new();
    for case in &cases {
        for backend in backends(case) {
            if let Err(problem) = check(case, backend) {
                failures.push(format!(
                    "{} [{backend}]: {problem}",
                    case["name"].as_str().unwrap()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn served_cases() {
    let cases = load_cases("served.json");
    assert!(cases.len() >= 60, "the issue asks for at least 60 cases");
    run_all(
        "served.json",
        |_| vec![Backend::Simple, Backend::Development],
        check_served_case,
    );
}

fn check_offloaded_case(case: &Value, backend: Backend) -> Result<(), String> {
    let root = Root::new();
    let path = prepare_file(case, &root);
    let path = case
        .get("path")
        .and_then(Value::as_str)
        .map_or(path, |p| root.fill(p));
    let config = config_for(case, backend, &root).map_err(|e| e.to_string())?;
    let plan = config
        .plan(&request_for(case), &file_options_for(case, &path))
        .map_err(|e| format!("unexpected error: {e}"))?;
    if plan.status() != 200 {
        return Err(format!("status {}", plan.status()));
    }
    let headers = actual_headers(&plan);
    let wanted = expected_headers(case, &root, "");
    if headers != wanted {
        return Err(format!("headers\n  got  {headers:?}\n  want {wanted:?}"));
    }
    if plan.body() != &Body::Empty || plan.file().is_some() || plan.raw_fd() != -1 {
        return Err("a header-only plan has a body or a file".into());
    }
    let file_size = case["expect"]["file_size"].as_u64();
    if plan.file_size() != file_size {
        return Err(format!(
            "file_size {:?} instead of {file_size:?}",
            plan.file_size()
        ));
    }
    Ok(())
}

#[test]
fn offloaded_cases() {
    run_all(
        "offloaded.json",
        |case| vec![case["backend"].as_str().unwrap().parse().unwrap()],
        check_offloaded_case,
    );
}

fn check_error_case(case: &Value, backend: Backend) -> Result<(), String> {
    let root = Root::new();
    root.add_file("file.txt", 1000);
    root.add_file("dir/inner.txt", 1);
    let path = root.fill(
        case.get("path")
            .and_then(Value::as_str)
            .unwrap_or("file.txt"),
    );
    let config = config_for(case, backend, &root).map_err(|e| e.to_string())?;
    let wanted = case["expect"]["error"].as_str().unwrap();
    match config.plan(&request_for(case), &file_options_for(case, &path)) {
        Ok(plan) => Err(format!("planned a {} instead of failing", plan.status())),
        Err(err) if err.to_string() == wanted => {
            if err.to_string().contains(root.text()) {
                Err("the message leaks the root".into())
            } else {
                Ok(())
            }
        }
        Err(err) => Err(format!("error {err:?} instead of {wanted:?}")),
    }
}

#[test]
fn error_cases() {
    run_all(
        "errors.json",
        |case| match case.get("backends").and_then(Value::as_array) {
            Some(names) => names
                .iter()
                .map(|n| n.as_str().unwrap().parse().unwrap())
                .collect(),
            None => Backend::ALL.to_vec(),
        },
        check_error_case,
    );
}
