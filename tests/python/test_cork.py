"""TCP_CORK on gunicorn's client socket, with the ``tcp_cork`` option: on when the server
starts sending the body, off when the body is closed, and never where there is no TCP
socket, the body is not sent, or the option is off (its default, as nginx's tcp_nopush).
The socket is a real TCP connection on 127.0.0.1; its state is read back with getsockopt.
(tests/python/test_servers.py checks the same order in a real gunicorn with strace.)"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import FileWrapper

import pytest
from case_files import pattern
from django.test import RequestFactory, override_settings

import sendfile_rs
from sendfile_rs._servers.body import multipart_body, range_file_for
from sendfile_rs._servers.cork import Cork, CorkedChunks

pytestmark = pytest.mark.skipif(not hasattr(socket, "TCP_CORK"), reason="TCP_CORK is Linux's")


@pytest.fixture
def client() -> Iterator[socket.socket]:
    """The server's end of a TCP connection, as gunicorn holds it."""
    with (
        socket.create_server(("127.0.0.1", 0)) as listener,
        socket.create_connection(listener.getsockname()),
    ):
        accepted, _ = listener.accept()
        with accepted:
            yield accepted


def corked(client: socket.socket) -> bool:
    return client.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 1


@pytest.fixture
def sender(root: Path) -> sendfile_rs.Sender:
    return sendfile_rs.Sender("simple", root, tcp_cork=True)


@pytest.mark.parametrize("range_header", [None, "bytes=5-9", "bytes=0-9,20-29"])
def test_without_the_option_nothing_is_corked(
    root: Path, client: socket.socket, range_header: str | None
) -> None:
    environ = {"REQUEST_METHOD": "GET", "gunicorn.socket": client, "wsgi.file_wrapper": FileWrapper}
    if range_header:
        environ["HTTP_RANGE"] = range_header
    plain = sendfile_rs.Sender("simple", root)
    assert plain.plan("file.txt").tcp_cork is False
    body = plain.wsgi(environ, lambda *answer: None, "file.txt")
    if isinstance(body, FileWrapper):
        body.filelike.fileno()
    else:
        next(iter(body))
    assert not corked(client)
    body.close()  # type: ignore[attr-defined]
    assert not corked(client)


def test_only_a_tcp_socket_under_gunicorn_s_key_gets_a_cork(client: socket.socket) -> None:
    assert Cork.for_environ({"gunicorn.socket": client}) is not None
    assert Cork.for_environ({}) is None
    assert Cork.for_environ({"gunicorn.socket": client.fileno()}) is None
    left, right = socket.socketpair()
    with left, right:
        assert Cork.for_environ({"gunicorn.socket": left}) is None


def test_the_file_corks_when_its_descriptor_is_asked_for_and_uncorks_on_close(
    sender: sendfile_rs.Sender, client: socket.socket
) -> None:
    file = range_file_for(sender.plan("file.txt"), {"gunicorn.socket": client})
    assert not corked(client), "corked before the server started sending"
    file.fileno()
    assert corked(client)
    file.fileno()
    file.close()
    assert not corked(client)
    file.close()
    assert not corked(client)


def test_a_file_that_is_never_sent_never_corks(
    sender: sendfile_rs.Sender, client: socket.socket
) -> None:
    file = range_file_for(sender.plan("file.txt"), {"gunicorn.socket": client})
    file.close()
    assert not corked(client)


def test_the_file_uncorks_even_when_it_shrank(
    sender: sendfile_rs.Sender, client: socket.socket, root: Path
) -> None:
    file = range_file_for(sender.plan("file.txt"), {"gunicorn.socket": client})
    file.fileno()
    (root / "file.txt").write_bytes(b"short")
    with pytest.raises(OSError, match="shrank"):
        file.close()
    assert not corked(client)


def test_multipart_corks_at_the_first_chunk_and_uncorks_on_close(
    sender: sendfile_rs.Sender, client: socket.socket
) -> None:
    plan = sender.plan("file.txt", headers={"Range": "bytes=0-9,20-29"})
    body = multipart_body(plan, {"gunicorn.socket": client})
    assert isinstance(body, CorkedChunks)
    chunks = iter(body)
    assert not corked(client), "iter() alone must not cork: Django calls it early"
    received = [next(chunks)]
    assert corked(client)
    received.extend(chunks)
    assert pattern(1000)[:10] in b"".join(received)
    body.close()
    assert not corked(client)
    assert plan.closed


def test_multipart_never_iterated_closes_its_plan_and_never_corks(
    sender: sendfile_rs.Sender, client: socket.socket
) -> None:
    plan = sender.plan("file.txt", headers={"Range": "bytes=0-9,20-29"})
    multipart_body(plan, {"gunicorn.socket": client}).close()
    assert plan.closed
    assert not corked(client)


def test_without_a_socket_the_multipart_body_is_the_plan(sender: sendfile_rs.Sender) -> None:
    plan = sender.plan("file.txt", headers={"Range": "bytes=0-9,20-29"})
    assert multipart_body(plan, {}) is plan
    plan.close()


def test_a_connection_gone_before_the_uncork_is_no_error(
    sender: sendfile_rs.Sender, client: socket.socket
) -> None:
    file = range_file_for(sender.plan("file.txt"), {"gunicorn.socket": client})
    file.fileno()
    client.close()
    file.close()


@pytest.mark.parametrize("range_header", [None, "bytes=5-9", "bytes=0-9,20-29"])
def test_django_uncorks_when_the_server_closes_the_response(
    root: Path, client: socket.socket, range_header: str | None
) -> None:
    extra = {"HTTP_RANGE": range_header} if range_header else {}
    request = RequestFactory().get("/", **{"gunicorn.socket": client}, **extra)
    with override_settings(
        SENDFILE_BACKEND="sendfile_rs.backends.simple",
        SENDFILE_ROOT=str(root),
        SENDFILE_OPTIONS={"tcp_cork": True},
    ):
        response = sendfile_rs.sendfile(request, "file.txt")
    file = getattr(response, "file_to_stream", None)
    if file is not None:
        file.fileno()
    else:
        next(iter(response))
    assert corked(client)
    response.close()
    assert not corked(client)


@pytest.mark.parametrize("range_header", [None, "bytes=5-9", "bytes=0-9,20-29"])
def test_sender_wsgi_uncorks_when_the_server_closes_the_body(
    sender: sendfile_rs.Sender, client: socket.socket, range_header: str | None
) -> None:
    environ = {"REQUEST_METHOD": "GET", "gunicorn.socket": client, "wsgi.file_wrapper": FileWrapper}
    if range_header:
        environ["HTTP_RANGE"] = range_header
    body = sender.wsgi(environ, lambda *answer: None, "file.txt")
    if isinstance(body, FileWrapper):
        body.filelike.fileno()
    else:
        next(iter(body))
    assert corked(client)
    body.close()  # type: ignore[attr-defined]
    assert not corked(client)
