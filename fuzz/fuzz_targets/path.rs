//! Path resolution through the public API, on a real tree with links that stay inside the
//! root and links that lead out: whatever the path (traversal, encodings, NUL, non-UTF-8,
//! absolute), a plan either fails or serves one of the files inside, never the secret.
#![no_main]

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sendfile::{Backend, Config, FileOptions, Request};

const INSIDE: [(&str, &[u8]); 3] = [
    ("a.txt", b"inside a"),
    ("sub/b.txt", b"inside b"),
    ("sub/deeper/c.txt", b"inside c"),
];
const SECRET: &[u8] = b"the secret outside the root";

struct Tree {
    _folder: tempfile::TempDir,
    config: Config,
    outside: PathBuf,
}

fn tree() -> &'static Tree {
    static TREE: OnceLock<Tree> = OnceLock::new();
    TREE.get_or_init(|| {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("root");
        for (name, content) in INSIDE {
            std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
            std::fs::write(root.join(name), content).unwrap();
        }
        let outside = folder.path().join("secret.txt");
        std::fs::write(&outside, SECRET).unwrap();
        std::fs::create_dir(folder.path().join("root-sibling")).unwrap();
        std::fs::write(folder.path().join("root-sibling/s.txt"), SECRET).unwrap();
        symlink("a.txt", root.join("in")).unwrap();
        symlink("../a.txt", root.join("sub/up-in")).unwrap();
        symlink("../secret.txt", root.join("out")).unwrap();
        symlink(&outside, root.join("abs-out")).unwrap();
        symlink("..", root.join("sub/parent")).unwrap();
        symlink("../..", root.join("sub/grandparent")).unwrap();
        symlink(folder.path(), root.join("folder-out")).unwrap();
        symlink("/proc/self/root", root.join("magic")).unwrap();
        let config = Config::builder(Backend::Simple)
            .root(&root)
            .build()
            .unwrap();
        Tree {
            _folder: folder,
            config,
            outside,
        }
    })
}

fuzz_target!(|path: &[u8]| {
    let tree = tree();
    // Now and then the secret's own absolute path, with fuzzed bytes after it.
    let path: PathBuf = if path.first() == Some(&b'!') {
        let mut bytes = tree.outside.as_os_str().as_bytes().to_vec();
        bytes.extend_from_slice(&path[1..]);
        OsStr::from_bytes(&bytes).into()
    } else {
        OsStr::from_bytes(path).into()
    };
    let Ok(plan) = tree.config.plan(&Request::get(), &FileOptions::new(&path)) else {
        return;
    };
    let mut body = Vec::new();
    plan.reader().read_to_end(&mut body).unwrap();
    assert!(
        INSIDE
            .iter()
            .any(|(_, content)| *content == body.as_slice()),
        "{path:?} served {body:?}"
    );
});
