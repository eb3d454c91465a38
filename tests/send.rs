//! Sending a plan's body to a socket with `Plan::send_to`: byte-exact for every kind of
//! body, over blocking and non-blocking sockets, resuming after `WouldBlock`.

mod common;

use std::io::{ErrorKind, Read};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use common::Root;
use sendfile::{Backend, Config, FileOptions, Plan, Request};

fn plan_for(root: &Root, range: Option<&str>) -> Plan {
    let config = Config::builder(Backend::Simple)
        .root(&root.path)
        .build()
        .unwrap();
    let mut request = Request::get();
    if let Some(range) = range {
        request = request.with_header("Range", range);
    }
    config.plan(&request, &FileOptions::new("big.bin")).unwrap()
}

fn expected_body(plan: &Plan) -> Vec<u8> {
    let mut body = Vec::new();
    plan.reader().read_to_end(&mut body).unwrap();
    body
}

/// Reads everything `receiver` gets, on a thread, until the sender closes.
fn collect(mut receiver: UnixStream) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut received = Vec::new();
        receiver.read_to_end(&mut received).unwrap();
        received
    })
}

/// A file larger than a socket buffer, so that partial writes happen.
fn big_root() -> Root {
    let root = Root::new();
    root.add_file("big.bin", 3 << 20);
    root
}

#[test]
fn blocking_send_is_byte_exact_for_200_206_and_multipart() {
    let root = big_root();
    for range in [
        None,
        Some("bytes=100-2000000"),
        Some("bytes=0-9,1000000-1999999,-5"),
    ] {
        let plan = plan_for(&root, range);
        let expected = expected_body(&plan);
        let (sender, receiver) = UnixStream::pair().unwrap();
        let reader = collect(receiver);
        let mut sent = 0;
        plan.send_to(sender.as_fd(), &mut sent).unwrap();
        drop(sender);
        assert_eq!(sent, plan.body_length());
        let received = reader.join().unwrap();
        assert!(received == expected, "{range:?}: body differs");
    }
}

#[test]
fn non_blocking_send_resumes_after_would_block() {
    let root = big_root();
    for range in [None, Some("bytes=0-0,5-5,1000000-")] {
        let plan = plan_for(&root, range);
        let expected = expected_body(&plan);
        let (sender, mut receiver) = UnixStream::pair().unwrap();
        sender.set_nonblocking(true).unwrap();
        let mut sent = 0;
        let mut received = Vec::new();
        let mut would_block = 0;
        loop {
            match plan.send_to(sender.as_fd(), &mut sent) {
                Ok(()) => break,
                Err(err) if err.kind() == ErrorKind::WouldBlock => {
                    would_block += 1;
                    let mut chunk = vec![0; 256 << 10];
                    let n = receiver.read(&mut chunk).unwrap();
                    received.extend_from_slice(&chunk[..n]);
                }
                Err(err) => panic!("{err}"),
            }
        }
        drop(sender);
        receiver.read_to_end(&mut received).unwrap();
        assert!(
            would_block > 0,
            "the socket never filled up; the test proves nothing"
        );
        assert_eq!(sent, plan.body_length());
        assert!(received == expected, "{range:?}: body differs");
    }
}

#[test]
fn a_file_that_shrinks_is_an_error_not_foreign_bytes() {
    let root = Root::new();
    let path = root.add_file("big.bin", 100_000);
    let plan = plan_for(&root, None);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(10)
        .unwrap();
    let (sender, receiver) = UnixStream::pair().unwrap();
    let reader = collect(receiver);
    let mut sent = 0;
    let err = plan.send_to(sender.as_fd(), &mut sent).unwrap_err();
    drop(sender);
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert_eq!(sent, 10);
    assert_eq!(reader.join().unwrap(), expected_prefix(10));
}

fn expected_prefix(length: u64) -> Vec<u8> {
    (0..length).map(common::byte_at).collect()
}

#[test]
fn sending_without_the_file_says_so() {
    let root = big_root();
    let mut plan = plan_for(&root, None);
    let _file = plan.take_file().unwrap();
    let (sender, _receiver) = UnixStream::pair().unwrap();
    let mut sent = 0;
    let err = plan.send_to(sender.as_fd(), &mut sent).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the plan's file was taken out of it; send the ranges from there"
    );
}
