//! Archives through the public API: the layout a reader walks, the HTTP answer of a
//! representation of the archive's length, ranges that are exact slices of the whole,
//! members that change, and names that are refused. The real readers (unzip, 7-Zip,
//! libarchive, Python's zipfile, Java) test the bytes in tests/python/test_archive_readers.py.

mod common;

use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use common::Root;
use sendfile::{ArchiveMember, Backend, Config, Error, Plan, Request};

fn config(root: &Root, backend: Backend) -> Config {
    let mut builder = Config::builder(backend).root(&root.path);
    if backend.needs_url() {
        builder = builder.url("/protected");
    }
    builder.build().unwrap()
}

fn tree() -> Root {
    let root = Root::new();
    root.add_file("a.txt", 1000);
    root.add_file("empty.txt", 0);
    root.add_file("docs/b.bin", 300_000);
    root
}

fn members() -> Vec<ArchiveMember> {
    vec![
        ArchiveMember::new("a.txt"),
        ArchiveMember::new("empty.txt").name("folder/empty.txt"),
        ArchiveMember::new("docs/b.bin").name("docs/b ✓.bin"),
    ]
}

fn plan(root: &Root, request: &Request) -> Plan {
    config(root, Backend::Simple)
        .plan_archive(request, &members(), "bundle.zip")
        .unwrap()
}

fn body(plan: &Plan) -> Vec<u8> {
    let mut body = Vec::new();
    plan.reader().read_to_end(&mut body).unwrap();
    body
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap())
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Walks the local headers as a streaming reader does: (name, CRC, data).
fn walk(archive: &[u8]) -> Vec<(String, u32, Vec<u8>)> {
    let mut members = Vec::new();
    let mut at = 0;
    while u32_at(archive, at) == 0x0403_4b50 {
        assert_eq!(u16_at(archive, at + 6) & 8, 0, "no data descriptor");
        let crc = u32_at(archive, at + 14);
        let size = u32_at(archive, at + 22) as usize;
        let name_length = u16_at(archive, at + 26) as usize;
        let extra_length = u16_at(archive, at + 28) as usize;
        let name = String::from_utf8(archive[at + 30..at + 30 + name_length].to_vec()).unwrap();
        let data_start = at + 30 + name_length + extra_length;
        members.push((name, crc, archive[data_start..data_start + size].to_vec()));
        at = data_start + size;
    }
    assert_eq!(
        u32_at(archive, at),
        0x0201_4b50,
        "the central directory follows"
    );
    members
}

#[test]
fn the_archive_holds_every_member_with_its_crc_and_bytes() {
    let root = tree();
    let plan = plan(&root, &Request::get());
    assert_eq!(plan.status(), 200);
    let archive = body(&plan);
    assert_eq!(
        plan.header("Content-Length"),
        Some(archive.len().to_string().as_str())
    );
    assert_eq!(plan.header("Content-Type"), Some("application/zip"));
    assert_eq!(
        plan.header("Content-Disposition"),
        Some("attachment; filename=\"bundle.zip\"")
    );
    assert_eq!(plan.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(
        plan.header("Last-Modified"),
        Some("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    let walked = walk(&archive);
    let names: Vec<&str> = walked.iter().map(|(name, ..)| name.as_str()).collect();
    assert_eq!(names, ["a.txt", "folder/empty.txt", "docs/b ✓.bin"]);
    for ((_, crc, data), path) in walked.iter().zip(["a.txt", "empty.txt", "docs/b.bin"]) {
        let on_disk = fs::read(root.path.join(path)).unwrap();
        assert_eq!(data, &on_disk);
        assert_eq!(*crc, crc32fast::hash(&on_disk));
    }
    // The end record counts three members.
    let end = archive.len() - 22;
    assert_eq!(u32_at(&archive, end), 0x0605_4b50);
    assert_eq!(u16_at(&archive, end + 10), 3);
}

#[test]
fn the_same_members_give_the_same_bytes_and_entity_tag() {
    let root = tree();
    let first = plan(&root, &Request::get());
    let second = plan(&root, &Request::get());
    assert_eq!(body(&first), body(&second));
    let etag = first.header("ETag").unwrap().to_owned();
    assert!(
        etag.starts_with("\"zip-") && etag.len() == 2 + 4 + 32,
        "{etag}"
    );
    assert_eq!(second.header("ETag"), Some(etag.as_str()));
    // Another name inside, another order, or a changed member: another tag.
    let config = config(&root, Backend::Simple);
    let renamed = config
        .plan_archive(
            &Request::get(),
            &[ArchiveMember::new("a.txt").name("z.txt")],
            "x.zip",
        )
        .unwrap();
    let plain = config
        .plan_archive(&Request::get(), &[ArchiveMember::new("a.txt")], "x.zip")
        .unwrap();
    assert_ne!(renamed.header("ETag"), plain.header("ETag"));
    root.add_file("a.txt", 1001);
    assert_ne!(
        plan(&root, &Request::get()).header("ETag"),
        Some(etag.as_str())
    );
}

#[test]
fn ranges_are_exact_slices_of_the_whole_archive() {
    let root = tree();
    let whole = body(&plan(&root, &Request::get()));
    let length = whole.len();
    for (start, end) in [
        (0, 0),
        (0, 29),
        (10, 1100),
        (1040, 1040),
        (1000, length - 1),
        (length - 22, length - 1),
    ] {
        let request = Request::get().with_header("Range", &format!("bytes={start}-{end}"));
        let partial = plan(&root, &request);
        assert_eq!(partial.status(), 206);
        assert_eq!(
            partial.header("Content-Range"),
            Some(format!("bytes {start}-{end}/{length}").as_str())
        );
        assert_eq!(body(&partial), whole[start..=end], "{start}-{end}");
    }
    let multipart = plan(
        &root,
        &Request::get().with_header("Range", "bytes=0-99,2000-2099,-50"),
    );
    assert_eq!(multipart.status(), 206);
    let sent = body(&multipart);
    for slice in [&whole[0..100], &whole[2000..2100], &whole[length - 50..]] {
        assert!(sent.windows(slice.len()).any(|window| window == slice));
    }
    let unsatisfiable = plan(
        &root,
        &Request::get().with_header("Range", &format!("bytes={length}-")),
    );
    assert_eq!(unsatisfiable.status(), 416);
    assert_eq!(
        unsatisfiable.header("Content-Range"),
        Some(format!("bytes */{length}").as_str())
    );
}

#[test]
fn a_range_in_one_members_data_reads_no_other_member() {
    let root = tree();
    // A range inside the first member's data needs no CRC: nothing reads docs/b.bin,
    // which is cut short after planning (any read of it would fail), nor makes a header.
    let whole = body(&plan(&root, &Request::get()));
    let partial = plan(&root, &Request::get().with_header("Range", "bytes=50-60"));
    let full = plan(&root, &Request::get());
    File::options()
        .write(true)
        .open(root.path.join("docs/b.bin"))
        .unwrap()
        .set_len(10)
        .unwrap();
    assert_eq!(body(&partial), whole[50..=60]);
    let error = full.reader().read_to_end(&mut Vec::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
}

#[test]
fn preconditions_and_if_range_use_the_archives_validators() {
    let root = tree();
    let etag = plan(&root, &Request::get())
        .header("ETag")
        .unwrap()
        .to_owned();
    let not_modified = plan(&root, &Request::get().with_header("If-None-Match", &etag));
    assert_eq!(not_modified.status(), 304);
    assert_eq!(not_modified.body_length(), 0);
    let failed = plan(&root, &Request::get().with_header("If-Match", "\"other\""));
    assert_eq!(failed.status(), 412);
    let resumed = plan(
        &root,
        &Request::get()
            .with_header("Range", "bytes=100-")
            .with_header("If-Range", &etag),
    );
    assert_eq!(resumed.status(), 206);
    let stale = plan(
        &root,
        &Request::get()
            .with_header("Range", "bytes=100-")
            .with_header("If-Range", "\"zip-00000000000000000000000000000000\""),
    );
    assert_eq!(stale.status(), 200);
    let head = plan(&root, &Request::new(sendfile::Method::Head));
    assert_eq!(head.status(), 200);
    assert_eq!(head.body_length(), 0);
    assert_eq!(
        head.header("Content-Length"),
        plan(&root, &Request::get()).header("Content-Length")
    );
}

#[test]
fn every_backend_sends_the_archive_itself() {
    let root = tree();
    let expected = body(&plan(&root, &Request::get()));
    for backend in Backend::ALL {
        let plan = config(&root, backend)
            .plan_archive(&Request::get(), &members(), "bundle.zip")
            .unwrap();
        assert_eq!(plan.status(), 200, "{backend:?}");
        assert_eq!(body(&plan), expected, "{backend:?}");
    }
}

#[test]
fn members_are_found_as_single_files_are() {
    let root = tree();
    fs::create_dir(root.path.join("folder")).unwrap();
    let config = config(&root, Backend::Simple);
    let refuse = |path: &str| {
        config
            .plan_archive(
                &Request::get(),
                &[ArchiveMember::new("a.txt"), ArchiveMember::new(path)],
                "x.zip",
            )
            .unwrap_err()
    };
    assert!(matches!(refuse("missing.txt"), Error::NotFound { path, .. } if path == "missing.txt"));
    assert!(matches!(refuse("folder"), Error::NotFound { .. }));
    assert!(matches!(refuse("../secret"), Error::OutsideRoot(_)));
    assert!(matches!(refuse("/etc/passwd"), Error::OutsideRoot(_)));
}

#[test]
fn unsafe_or_duplicate_names_are_refused() {
    let root = tree();
    let config = config(&root, Backend::Simple);
    let refuse =
        |members: &[ArchiveMember]| match config.plan_archive(&Request::get(), members, "x.zip") {
            Err(Error::InvalidArgument(message)) => message,
            other => panic!("not refused: {other:?}"),
        };
    assert_eq!(
        refuse(&[ArchiveMember::new("a.txt").name("../evil.txt")]),
        "the archive member name \"../evil.txt\" is refused: it has a '..' segment, which \
         unpacks outside the folder"
    );
    assert_eq!(
        refuse(&[
            ArchiveMember::new("a.txt"),
            ArchiveMember::new("docs/../a.txt")
        ]),
        "two archive members are named \"a.txt\": names must differ"
    );
}

#[test]
fn a_member_that_changes_stops_the_answer() {
    let root = tree();
    let plan = plan(&root, &Request::get());
    root.add_file("docs/b.bin", 300_001);
    let mut body = Vec::new();
    let error = plan.reader().read_to_end(&mut body).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert_eq!(
        error.to_string(),
        "the archive member \"docs/b ✓.bin\" changed after the archive was planned"
    );
    // What went out before is the archive up to that member.
    assert!(body.len() < 2000);
}

#[test]
fn send_to_puts_the_archive_on_a_socket() {
    let root = tree();
    let plan = plan(&root, &Request::get().with_header("Range", "bytes=20-,0-5"));
    let expected = body(&plan);
    let (sender, mut receiver) = UnixStream::pair().unwrap();
    let reader = std::thread::spawn(move || {
        let mut received = Vec::new();
        receiver.read_to_end(&mut received).unwrap();
        received
    });
    let mut sent = 0;
    plan.send_to(sender.as_fd(), &mut sent).unwrap();
    drop(sender);
    assert_eq!(reader.join().unwrap(), expected);
    assert_eq!(sent, expected.len() as u64);
}

#[test]
fn archives_of_many_members_open_each_again_when_it_is_sent() {
    let root = Root::new();
    let count = 300;
    let members: Vec<ArchiveMember> = (0..count)
        .map(|index| {
            root.add_file(&format!("many/{index}.txt"), index as u64);
            ArchiveMember::new(format!("many/{index}.txt"))
        })
        .collect();
    let config = config(&root, Backend::Simple);
    let plan = config
        .plan_archive(&Request::get(), &members, "many.zip")
        .unwrap();
    let walked = walk(&body(&plan));
    assert_eq!(walked.len(), count);
    for (index, (name, crc, data)) in walked.iter().enumerate() {
        assert_eq!(name, &format!("{index}.txt"));
        assert_eq!(data.len(), index);
        assert_eq!(*crc, crc32fast::hash(data));
    }
    // A member replaced by another file of the same size and date is not the file the
    // plan measured.
    let plan = config
        .plan_archive(&Request::get(), &members, "many.zip")
        .unwrap();
    let replaced = root.path.join("many/299.txt");
    fs::remove_file(&replaced).unwrap();
    root.add_file("many/299.txt", 299);
    let error = plan.reader().read_to_end(&mut Vec::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    drop(File::open(replaced).unwrap());
}

#[test]
fn every_byte_is_found_where_the_whole_body_has_it() {
    let root = tree();
    for range in [None, Some("bytes=3-50,900-1200,-40")] {
        let mut request = Request::get();
        if let Some(range) = range {
            request = request.with_header("Range", range);
        }
        let plan = plan(&root, &request);
        let whole = body(&plan);
        for position in (0..whole.len()).step_by(7).chain([whole.len() - 1]) {
            let mut byte = [0u8; 1];
            assert_eq!(plan.read_body_at(position as u64, &mut byte).unwrap(), 1);
            assert_eq!(byte[0], whole[position], "{range:?} at {position}");
        }
        assert_eq!(
            plan.read_body_at(whole.len() as u64, &mut [0u8; 1])
                .unwrap(),
            0
        );
        // A read fills the buffer across records and members' data.
        let mut buffer = vec![0u8; whole.len()];
        assert_eq!(plan.read_body_at(0, &mut buffer).unwrap(), whole.len());
        assert_eq!(buffer, whole);
    }
}
