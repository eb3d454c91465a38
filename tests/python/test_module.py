"""The installed package: its compiled module exports nothing of the C ABI, and importing
sendfile_rs does not import Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import sendfile_rs._native


def test_extension_exports_only_its_init_function() -> None:
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", sendfile_rs._native.__file__],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [s for s in symbols if s.startswith(("sf_", "PyInit"))] == ["PyInit__native"]


def test_import_does_not_need_django() -> None:
    code = "import sys, sendfile_rs; assert 'django' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_matches_the_crate() -> None:
    manifest = (Path(__file__).parents[2] / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', manifest, re.MULTILINE)
    assert version
    assert sendfile_rs.__version__ == sendfile_rs._native.__version__ == version.group(1)
