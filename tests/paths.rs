//! Paths through the whole plan, on real files: traversal in every position, symbolic
//! links in and out of the root, odd names, and files that are not regular files.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use common::Root;
use sendfile::{Backend, Config, Error, Escape, FileOptions, Missing, Plan, Request};

fn configs(root: &Root) -> Vec<Config> {
    vec![
        Config::builder(Backend::Simple)
            .root(&root.path)
            .build()
            .unwrap(),
        Config::builder(Backend::Nginx)
            .root(&root.path)
            .url("/private")
            .build()
            .unwrap(),
    ]
}

/// Plans `path` with the simple and the nginx backend, which must agree on the outcome.
fn plan(root: &Root, path: impl AsRef<Path>) -> Result<Plan, Error> {
    let mut outcomes = configs(root)
        .into_iter()
        .map(|config| config.plan(&Request::get(), &FileOptions::new(path.as_ref())));
    let simple = outcomes.next().unwrap();
    let nginx = outcomes.next().unwrap();
    assert_eq!(
        simple
            .as_ref()
            .map(|p| p.file_size())
            .map_err(|e| e.to_string()),
        nginx
            .as_ref()
            .map(|p| p.file_size())
            .map_err(|e| e.to_string()),
        "simple and nginx disagree on {:?}",
        path.as_ref()
    );
    simple
}

fn sample_root() -> Root {
    let root = Root::new();
    root.add_file("a.txt", 3);
    root.add_file("dir/b.txt", 4);
    std::fs::write(root.path.parent().unwrap().join("secret.txt"), "secret").unwrap();
    root
}

#[test]
fn dot_dot_in_every_position_is_refused_or_stays_inside() {
    let root = sample_root();
    for path in [
        "..",
        "../secret.txt",
        "dir/../../secret.txt",
        "dir/../../root/a.txt",
        "./../secret.txt",
    ] {
        assert!(
            matches!(
                plan(&root, path),
                Err(Error::OutsideRoot(Escape::Traversal))
            ),
            "{path}"
        );
    }
    for path in ["dir/../a.txt", "dir/./../dir/b.txt", "./a.txt"] {
        assert!(plan(&root, path).is_ok(), "{path}");
    }
}

#[test]
fn absolute_paths_outside_the_root_are_refused() {
    let root = sample_root();
    let sibling = format!("{}/../secret.txt", root.text());
    for path in ["/etc/passwd", sibling.as_str(), "/"] {
        assert!(
            matches!(
                plan(&root, path),
                Err(Error::OutsideRoot(Escape::AbsolutePath))
            ),
            "{path}"
        );
    }
    assert_eq!(
        plan(&root, root.path.join("dir/b.txt"))
            .unwrap()
            .file_size(),
        Some(4)
    );
}

#[test]
fn symlink_out_of_the_root_is_refused() {
    let root = sample_root();
    symlink("../secret.txt", root.path.join("out")).unwrap();
    symlink(
        root.path.parent().unwrap().join("secret.txt"),
        root.path.join("abs-out"),
    )
    .unwrap();
    symlink("out", root.path.join("chain")).unwrap();
    symlink("..", root.path.join("dir/up")).unwrap();
    symlink("../..", root.path.join("dir/up-up")).unwrap();
    for path in [
        "out",
        "abs-out",
        "chain",
        "dir/up/out",
        "dir/up-up/secret.txt",
        "dir/up/dir/up-up/secret.txt",
    ] {
        let outcome = plan(&root, path);
        assert!(
            matches!(outcome, Err(Error::OutsideRoot(_))),
            "{path}: {outcome:?}"
        );
    }
    // `..` is resolved on the text before any link, as the front servers do: this names
    // dir/secret.txt, which does not exist.
    assert_eq!(
        plan(&root, "dir/up/../secret.txt").unwrap_err().to_string(),
        "not found: dir/secret.txt: no such file"
    );
}

#[test]
fn symlink_that_stays_inside_is_served() {
    let root = sample_root();
    symlink("dir/b.txt", root.path.join("inside")).unwrap();
    symlink(root.path.join("a.txt"), root.path.join("abs-inside")).unwrap();
    symlink("dir", root.path.join("dir-link")).unwrap();
    assert_eq!(plan(&root, "inside").unwrap().file_size(), Some(4));
    assert_eq!(plan(&root, "abs-inside").unwrap().file_size(), Some(3));
    assert_eq!(plan(&root, "dir-link/b.txt").unwrap().file_size(), Some(4));
    // The name offered is the one asked for, not the link's target.
    let served = plan(&root, "inside").unwrap();
    assert_eq!(
        served.header("Content-Disposition"),
        Some("inline; filename=\"inside\"")
    );
}

#[test]
fn doubled_and_trailing_slashes() {
    let root = sample_root();
    assert_eq!(plan(&root, "dir//b.txt").unwrap().file_size(), Some(4));
    assert!(matches!(
        plan(&root, "dir/b.txt/"),
        Err(Error::NotFound {
            reason: Missing::NotRegularFile,
            ..
        })
    ));
}

#[test]
fn nul_byte_is_refused() {
    let root = sample_root();
    assert!(matches!(
        plan(&root, "a.txt\0.png"),
        Err(Error::OutsideRoot(Escape::NulByte))
    ));
}

#[test]
fn non_utf8_name_is_a_clear_error() {
    let root = sample_root();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(root.path.join(name), "x").unwrap();
    let err = plan(&root, name).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument: the path is not valid UTF-8"
    );
}

#[test]
fn name_longer_than_name_max_is_not_found() {
    let root = sample_root();
    let err = plan(&root, "n".repeat(256)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "not found: {}: too long for a file name (255 bytes) or path (4096 bytes)",
            "n".repeat(256)
        )
    );
    let longest = "n".repeat(255);
    assert!(matches!(plan(&root, &longest), Err(Error::NotFound { .. })));
}

#[test]
fn directory_is_not_found() {
    let root = sample_root();
    let err = plan(&root, "dir").unwrap_err();
    assert_eq!(err.to_string(), "not found: dir: not a regular file");
}

#[test]
fn fifo_does_not_hang_and_is_not_found() {
    let root = sample_root();
    let fifo = root.path.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (done, outcome) = mpsc::channel();
    let root_path = root.path.clone();
    std::thread::spawn(move || {
        let config = Config::builder(Backend::Simple)
            .root(root_path)
            .build()
            .unwrap();
        let result = config.plan(&Request::get(), &FileOptions::new("pipe"));
        done.send(result.map(|p| p.status()).map_err(|e| e.to_string()))
            .unwrap();
    });
    let result = outcome
        .recv_timeout(Duration::from_secs(10))
        .expect("planning a FIFO hung");
    assert_eq!(
        result,
        Err("not found: pipe: not a regular file".to_owned())
    );
}

#[test]
fn socket_is_not_found() {
    let root = sample_root();
    let _listener = UnixListener::bind(root.path.join("sock")).unwrap();
    let err = plan(&root, "sock").unwrap_err();
    assert_eq!(err.to_string(), "not found: sock: not a regular file");
}

#[test]
fn device_reached_through_a_link_is_refused() {
    let root = sample_root();
    symlink("/dev/null", root.path.join("null")).unwrap();
    assert!(matches!(
        plan(&root, "null"),
        Err(Error::OutsideRoot(Escape::Symlink))
    ));
}

/// Environment variable under which this test runs its check as an unprivileged user.
const AS_NOBODY: &str = "SENDFILE_TEST_UNREADABLE_ROOT";

#[test]
fn unreadable_file_is_permission_denied() {
    use std::os::unix::process::CommandExt;

    if let Ok(root) = std::env::var(AS_NOBODY) {
        let config = Config::builder(Backend::Simple).root(root).build().unwrap();
        let err = config
            .plan(&Request::get(), &FileOptions::new("locked.txt"))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "I/O error: Permission denied (os error 13)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, "private").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads every file, so the check runs again in a child as user and group nobody.
    // The child runs a copy of this test binary from the 0755 folder: the build folder may
    // sit under a folder nobody cannot enter (a home folder, a `mktemp -d`).
    let binary = dir.path().join("paths-test");
    std::fs::copy(std::env::current_exe().unwrap(), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = std::process::Command::new(&binary);
    child
        .args([
            "--exact",
            "unreadable_file_is_permission_denied",
            "--test-threads=1",
        ])
        .env(AS_NOBODY, dir.path());
    if running_as_root() {
        child.uid(65534).gid(65534);
    }
    let output = child.output().unwrap();
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// `O_NONBLOCK` (octal 04000 in /proc's flags) is only for the open: a served descriptor
/// must read like any other.
#[test]
fn served_descriptor_is_blocking() {
    use std::os::fd::AsRawFd;

    let root = sample_root();
    let config = Config::builder(Backend::Simple)
        .root(&root.path)
        .build()
        .unwrap();
    let plan = config
        .plan(&Request::get(), &FileOptions::new("a.txt"))
        .unwrap();
    let fdinfo = std::fs::read_to_string(format!(
        "/proc/self/fdinfo/{}",
        plan.file().unwrap().as_raw_fd()
    ))
    .unwrap();
    let flags = fdinfo
        .lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .map(|octal| u32::from_str_radix(octal.trim(), 8).unwrap())
        .unwrap();
    assert_eq!(flags & 0o4000, 0, "O_NONBLOCK is still set: {fdinfo}");
}

#[test]
fn a_link_swapped_while_planning_never_serves_the_file_outside() {
    // One thread turns `swap` back and forth between a file inside and the secret
    // outside, by atomic rename; plans of `swap` and of paths through `gate` run
    // meanwhile. Each must fail or serve the inside file: the check and the open are one
    // step (openat2, or the walk's O_NOFOLLOW), so no window lets the secret through.
    use std::io::Read;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let root = sample_root();
    std::fs::create_dir(root.path.join("inner")).unwrap();
    std::fs::write(root.path.join("inner/secret.txt"), "inside").unwrap();
    symlink("a.txt", root.path.join("swap")).unwrap();
    symlink("inner", root.path.join("gate")).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, folder) = (Arc::clone(&stop), root.path.clone());
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let (file, gate) = if swaps % 2 == 0 {
                    ("../secret.txt", "..")
                } else {
                    ("a.txt", "inner")
                };
                symlink(file, folder.join("swap.new")).unwrap();
                std::fs::rename(folder.join("swap.new"), folder.join("swap")).unwrap();
                symlink(gate, folder.join("gate.new")).unwrap();
                std::fs::rename(folder.join("gate.new"), folder.join("gate")).unwrap();
                swaps += 1;
            }
            swaps
        })
    };
    let inside_a = std::fs::read(root.path.join("a.txt")).unwrap();
    let (mut served, mut refused) = (0, 0);
    for round in 0..4000 {
        let path = if round % 2 == 0 {
            "swap"
        } else {
            "gate/secret.txt"
        };
        for config in configs(&root) {
            match config.plan(&Request::get(), &FileOptions::new(path)) {
                Ok(plan) => {
                    served += 1;
                    if let Some(file) = plan.file() {
                        let mut body = Vec::new();
                        (&*file).read_to_end(&mut body).unwrap();
                        assert!(
                            body == inside_a || body == b"inside",
                            "{path} served {body:?}"
                        );
                    }
                }
                Err(Error::OutsideRoot(_)) => refused += 1,
                Err(other) => panic!("{path}: {other}"),
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(
        served > 0 && refused > 0,
        "{served} served, {refused} refused, {swaps} swaps"
    );
}

#[test]
fn every_plan_reports_the_absolute_path_of_its_file_as_x_sendfile_names_it() {
    let root = sample_root();
    let name = "dir/caf\u{e9} 100%.txt";
    root.add_file(name, 5);
    let expected = format!("{}/{name}", root.path.to_str().unwrap());
    for backend in Backend::ALL {
        let config = Config::builder(backend)
            .root(&root.path)
            .url("/private")
            .build()
            .unwrap();
        for request in [
            Request::get(),
            Request::get().with_header("Range", "bytes=9-"),
            Request::get().with_header("If-None-Match", "*"),
        ] {
            let plan = config
                .plan(&request, &FileOptions::new("dir/../dir/caf\u{e9} 100%.txt"))
                .unwrap();
            assert_eq!(
                plan.path(),
                Some(Path::new(&expected)),
                "{backend} {}",
                plan.status()
            );
        }
    }
    let xsendfile = Config::builder(Backend::XSendfile)
        .root(&root.path)
        .build()
        .unwrap()
        .plan(&Request::get(), &FileOptions::new(name))
        .unwrap();
    assert_eq!(xsendfile.header("X-Sendfile"), Some(expected.as_str()));
}

#[test]
fn the_path_of_a_file_that_is_not_checked_is_the_lexical_one_and_never_encoded() {
    let root = sample_root();
    let mut options = sendfile::Options::default();
    options.check_file_exists = false;
    options.xsendfile_percent_encode = true;
    let plan = Config::builder(Backend::XSendfile)
        .root(&root.path)
        .options(options)
        .build()
        .unwrap()
        .plan(&Request::get(), &FileOptions::new("remote/a b.txt"))
        .unwrap();
    let expected = format!("{}/remote/a b.txt", root.path.to_str().unwrap());
    assert_eq!(plan.path(), Some(Path::new(&expected)));
    assert_eq!(
        plan.header("X-Sendfile"),
        Some(expected.replace(' ', "%20").as_str())
    );
}
