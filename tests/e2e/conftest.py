"""End-to-end tests start real front servers on 127.0.0.1. When CI=true a missing server
is a failure; elsewhere the test is skipped with what to install."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "python"))

from serving import free_port, wait_for_port

__all__ = ["free_port", "require", "wait_for_port"]


def require(program: str, package: str) -> str:
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if path is None:
        message = f"{program} is not installed (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
