"""The table "What differs, and why" of docs/flask.md names, in its last column, exactly
the tests of Werkzeug and Flask that tests/flask/oracle_shim.py lists as failing."""

from __future__ import annotations

import re
from pathlib import Path

from oracle_shim import LISTED

PAGE = Path(__file__).parents[2] / "docs" / "flask.md"


def listed_tests() -> list[str]:
    """The test names of the table's last column, in order."""
    text = PAGE.read_text()
    header = "| | flask.send_file | sendfile_rs.flask | why | Werkzeug's tests |"
    table = text.split(header, 1)[1].split("\n\n", 1)[0]
    names = []
    for row in table.splitlines()[2:]:
        last = row.rstrip("|").rsplit(" | ", 1)[1]
        names.extend(re.findall(r"`([^`]+)`", last))
    return names


def test_the_manual_lists_the_failing_tests_once() -> None:
    names = listed_tests()
    assert len(names) == len(set(names))
    # The page writes a parameter's non-ASCII characters as pytest's test ids escape them.
    assert set(names) == set(LISTED)
