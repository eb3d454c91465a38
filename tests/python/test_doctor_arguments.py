"""The deployment check's credentials: a malformed --header or --cookie is refused with a
message that never repeats the value (it is a credential, and may reach a CI log)."""

from __future__ import annotations

import pytest

from sendfile_rs.deploy.doctor import CheckError, request_headers


def test_headers_and_cookies_become_request_headers() -> None:
    assert request_headers(["sessionid=abc", "csrftoken=x"], ["Authorization: Bearer t"]) == [
        ("Authorization", "Bearer t"),
        ("Cookie", "sessionid=abc; csrftoken=x"),
    ]


@pytest.mark.parametrize(
    ("cookies", "headers", "message"),
    [
        (
            [],
            ["Authorization Bearer s3cr3t"],
            "--header must be 'Name: value', got one 27 characters long",
        ),
        (
            [],
            ["Authorization: Bearer s3cr3t\r\nX: y"],
            "--header must be 'Name: value', got one 34 characters long naming 'Authorization'",
        ),
        (["sessions3cr3t"], [], "--cookie must be NAME=VALUE, got one 13 characters long"),
        (
            ["sessionid=s3cr3t;x=1"],
            [],
            "--cookie must be NAME=VALUE, got one 20 characters long naming 'sessionid'",
        ),
    ],
)
def test_a_malformed_credential_is_refused_without_its_value(
    cookies: list[str], headers: list[str], message: str
) -> None:
    with pytest.raises(CheckError) as raised:
        request_headers(cookies, headers)
    assert str(raised.value) == message
    assert "s3cr3t" not in str(raised.value)
