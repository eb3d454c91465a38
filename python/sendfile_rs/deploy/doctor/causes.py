"""Each problem the check can find, with its cause and its fix in a site owner's words.
The texts are exact (tests assert them); ``code`` is stable for scripts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..._native import BACKENDS
from .report import Problem

# The advice is the front servers' (the backends' are read from the core's table, as
# front_config writes its configuration by server): each backend's fix names the servers
# that complete it, the usual one first.

#: Why a front server does not act on the handover header.
_IGNORED_HEADER = {
    "nginx": "nginx must not have proxy_ignore_headers X-Accel-Redirect (nor its "
    "fastcgi_, uwsgi_ or scgi_ form)",
    "caddy": "Caddy needs the handle_response block that python -m sendfile_rs config caddy prints",
    "apache-xsendfile": 'Apache needs mod_xsendfile and "XSendFile On" where it proxies to '
    "the application (python -m sendfile_rs config apache-xsendfile)",
    "lighttpd": 'lighttpd needs "x-sendfile" => "enable" in the proxy.server entry '
    "(python -m sendfile_rs config lighttpd)",
    "apache-modwsgi": "mod_wsgi redirects internally only in daemon mode: run the "
    "application with WSGIDaemonProcess and WSGIProcessGroup (python -m sendfile_rs "
    "config apache-modwsgi)",
}

#: The mapping with both of its slashes; {root} and {prefix} filled in.
_SLASHED = {
    "nginx": 'location {prefix} {{ internal; alias "{root}/"; }}',
    "apache-modwsgi": 'Alias "{prefix}" "{root}/"',
}

#: Where the front server must map the files; {root} and {prefix} filled in.
_MAPPING = {
    "nginx": "nginx needs an internal location for {prefix} whose alias is {root}/",
    "caddy": "Caddy needs the reverse_proxy block of python -m sendfile_rs config caddy",
    "apache-modwsgi": 'Apache needs Alias "{prefix}" "{root}/"',
    "apache-xsendfile": 'XSendFilePath must cover "{root}"',
    "lighttpd": 'x-sendfile-docroot must cover "{root}/"',
}

#: How the front server keeps direct requests out of the handover URL.
_INTERNAL = {
    "nginx": "Add internal; to the location for {prefix} (as python -m sendfile_rs config "
    "nginx writes it)",
    "caddy": "behind Caddy, serve no files outside the handle_response block",
    "apache-modwsgi": "Refuse what is not mod_wsgi's internal redirect, as python -m "
    "sendfile_rs config apache-modwsgi writes it: RewriteCond %{{ENV:REDIRECT_STATUS}} ^$ "
    'and RewriteRule "^{prefix}" - [R=404]',
}

#: The servers whose handover cannot carry the application's headers, so the download
#: name is lost whatever the configuration.
_NAMELESS = ("apache-modwsgi",)


def _servers(backend: str) -> tuple[str, ...]:
    return next((b.front_servers for b in BACKENDS if b.name == backend), ())


def _advice(table: dict[str, str], backend: str, **values: str | None) -> list[str]:
    """The advice of ``table`` for each front server of ``backend``, filled in."""
    return [table[s].format(**values) for s in _servers(backend) if s in table]


def offload_ignored(
    backend: str, file: str, header: str, value: str, *, carried: Sequence[str] = ()
) -> Problem:
    """The handover was not acted on: the answer still carries ``header``, or, when
    ``carried`` names the application's own headers that came instead, the header was
    removed on the way (nginx hides X-Accel-* from clients even when it ignores them) and
    ``value`` is what the application sent."""
    ignores = (
        "the front server ignores the header: "
        f"{'; '.join(_advice(_IGNORED_HEADER, backend)) or 'it must act on it'}."
    )
    if carried:
        return Problem(
            "offload-ignored",
            "fail",
            f"The answer for {file} is a 200 with an empty body that carries the "
            f"application's {_and(carried)} but not the file: the application handed it "
            f"over with {header}: {value}, and something in front of it dropped the header "
            "instead of acting on it.",
            ignores[0].upper() + ignores[1:],
        )
    return Problem(
        "offload-ignored",
        "fail",
        f"The answer for {file} is a 200 with an empty body that still carries "
        f"{header}: {value}, so nothing in front of the application acted on it.",
        "Send the check through the front server, not to the application's own port. "
        f"If it went there, {ignores}",
    )


def trailing_slash(backend: str, file: str, looked_up: str, path: str, prefix: str) -> Problem:
    slashed = [
        f"as python -m sendfile_rs config {server} writes them: "
        + _SLASHED[server].format(root=path_root(path, file), prefix=prefix)
        for server in _servers(backend)
        if server in _SLASHED
    ]
    return Problem(
        "trailing-slash",
        "fail",
        f"The front server answered 404 for {file}, which exists: it looked up "
        f"{looked_up} instead of {path}, so the location for {prefix} and the folder it "
        "maps to disagree on a trailing slash.",
        f"End both with a slash{', ' + slashed[0] if slashed else ''}.",
    )


def not_found(backend: str, file: str, path: str, root: str, prefix: str | None) -> Problem:
    view = (
        "the URL template must lead to the view that sends files from SENDFILE_ROOT, with "
        "{name} where the view takes the file's path."
    )
    mapping = _advice(_MAPPING, backend, root=root.rstrip("/"), prefix=prefix)
    fix = f"{'; '.join(mapping)}; and {view}" if mapping else view[0].upper() + view[1:]
    return Problem(
        "not-found",
        "fail",
        f"The site answered 404 for {file}, a file that exists at {path}.",
        fix,
    )


def encoding(plain: str, failed: list[tuple[str, int]]) -> Problem:
    which = ", ".join(f"{name} ({status})" for name, status in failed)
    made_for = "; ".join(
        f"{' and '.join(b.front_servers)}: {b.name}" for b in BACKENDS if b.front_servers
    )
    return Problem(
        "encoding",
        "fail",
        f"{plain} downloads, but {which} failed: names that must be percent-encoded do "
        "not survive between the client, the application and the front server.",
        f"Use the backend made for the front server ({made_for}), and let nothing "
        "between the client and the application decode or re-encode the URL (nginx: "
        "proxy_pass without a path after the address).",
    )


def sub_folder(plain: str, file: str, status: int) -> Problem:
    return Problem(
        "sub-folder",
        "fail",
        f"{plain} downloads, but {file}, in a sub-folder, failed ({status}).",
        "The URL pattern must take a path with slashes (Django: <path:name>, not "
        "<str:name>), and the front server's location must cover the sub-folders.",
    )


def refused(file: str, status: int, location: str | None) -> Problem:
    towards = f" (a redirect to {location})" if location else ""
    return Problem(
        "refused",
        "fail",
        f"The site answered {status}{towards} for {file}: its permission check refused "
        "the request.",
        "Pass the credentials of a user who may download the files: --cookie "
        "'sessionid=...' (from a logged-in browser) or --header 'Authorization: ...'.",
    )


def unexpected_status(file: str, status: int, reason: str) -> Problem:
    return Problem(
        "unexpected-status",
        "fail",
        f"The site answered {status} {reason} for {file}, where 200 and the file were expected.",
        "See the error logs of the application and of the front server.",
    )


def unreachable(site: str, error: Exception) -> Problem:
    return Problem(
        "unreachable",
        "fail",
        f"Could not reach {site}: {error}.",
        "Check the URL template, and run the check where the site can be reached.",
    )


def wrong_bytes(file: str, got: bytes, size: int, digest: str) -> Problem:
    return Problem(
        "wrong-bytes",
        "fail",
        f"The body received for {file} is not the file: {len(got)} bytes with SHA-256 "
        f"{hashlib.sha256(got).hexdigest()[:16]}..., where the file has {size} bytes with "
        f"SHA-256 {digest[:16]}....",
        "Something between the file and the client rewrites the body: a compression, "
        "charset or substitution filter, or a cache holding another answer.",
    )


def content_type(file: str, got: str | None, expected: str) -> Problem:
    return Problem(
        "content-type",
        "fail",
        f"{file} arrived with Content-Type {got or '(none)'}, where the application "
        f"sent {expected}.",
        "Let the application's Content-Type through: Caddy's copy_response_headers must "
        "include it, and no default_type or types should apply to the protected location.",
    )


def name_lost(backend: str, file: str, expected: str) -> Problem:
    if any(server in _NAMELESS for server in _servers(backend)):
        return Problem(
            "name-lost",
            "warn",
            "The download name does not survive: mod_wsgi's internal redirect keeps none "
            "of the application's headers but Set-Cookie, so Content-Disposition never "
            "reaches the client, browsers name the file after its URL, and "
            "attachment=True has no effect.",
            "A limit of mod_wsgi, not of this configuration. Where download names "
            "matter, use mod_xsendfile and the xsendfile backend (python -m sendfile_rs "
            "config apache-xsendfile).",
        )
    return Problem(
        "name-lost",
        "fail",
        f"The answer for {file} has no Content-Disposition, where the application sent "
        f"{expected}: the download name is lost.",
        "Let the header through: Caddy's copy_response_headers must include "
        "Content-Disposition, and nginx must not have proxy_hide_header Content-Disposition.",
    )


def name_changed(file: str, got: str, expected: str) -> Problem:
    return Problem(
        "name-changed",
        "fail",
        f"The download name of {file} arrived as {got}, where the application sent {expected}.",
        "Something between the application and the client rewrites Content-Disposition: "
        "let it through unchanged.",
    )


def range_ignored(file: str, asked: str, status: int, detail: str) -> Problem:
    return Problem(
        "range-ignored",
        "fail",
        f"A request for {asked} of {file} got {status} {detail}, not 206 with those bytes: "
        "downloads cannot resume and videos cannot seek.",
        "Something between the client and the server that sends the file drops the Range "
        "header or the partial answer (a proxy or a cache); nginx must not have max_ranges 0.",
    )


def conditional_ignored(file: str, asked: str, status: int) -> Problem:
    return Problem(
        "conditional-ignored",
        "fail",
        f"A conditional request for {file} ({asked}) got {status}, not 304 Not Modified: "
        "clients download the whole file again each time.",
        "Something between the client and the server that sends the file drops "
        "If-None-Match and If-Modified-Since, or changes the validators.",
    )


def no_validator(file: str) -> Problem:
    return Problem(
        "no-validator",
        "fail",
        f"The answer for {file} has neither ETag nor Last-Modified: clients cannot "
        "check that their copy is current.",
        "Let the front server's ETag or Last-Modified through (nginx: etag on; Apache: "
        "FileETag None keeps Last-Modified).",
    )


def shared_cache(file: str, lines: Sequence[str], *, directive: str | None) -> Problem:
    """``lines``: the value of each Cache-Control line of the answer, every one named."""
    says = " and ".join(f"Cache-Control: {line}" for line in lines)
    if directive is not None:
        cause = (
            f"The answer for {file} says {says}: with {directive}, "
            "a shared cache (a CDN, a proxy) may keep this protected file and hand it to anyone."
        )
    else:
        said = (
            f"says {says}, with neither private nor no-store" if lines else "has no Cache-Control"
        )
        cause = (
            f"The answer for {file}, to a request with credentials, {said}: a shared cache "
            "(a CDN, a proxy) may keep it and hand it to the next visitor."
        )
    return Problem(
        "shared-cache",
        "fail",
        cause,
        'Send protected files with Cache-Control: private (SENDFILE_OPTIONS = {"cache_control":'
        ' "private"}; mod_wsgi drops it, so Apache sets it there, as python -m sendfile_rs '
        "config apache-modwsgi writes it), and let nothing in front add public or s-maxage.",
    )


def not_internal(
    backend: str, served: Sequence[tuple[str, bool]], *, prefix: str | None
) -> Problem:
    """``served``: each URL that returned the file, and whether it is the handover URL;
    the fix closes every one of them."""
    targets = [target for target, _ in served]
    handover = any(is_handover for _, is_handover in served)
    advice = _advice(_INTERNAL, backend, prefix=prefix) if handover else []
    fixes = ["; ".join(advice) + "."] if advice else []
    # The handover URL is closed by the advice; any other is the root served as it is.
    others = [target for target, is_handover in served if not (is_handover and advice)]
    if others:
        where = "that URL" if len(targets) == 1 else _and(others)
        what = (
            "those locations, aliases or document roots"
            if len(others) > 1
            else "that location, alias or document root"
        )
        fixes.append(
            f"The front server {'also ' if advice else ''}serves SENDFILE_ROOT itself at "
            f"{where}: remove {what}, so the files are reached only through the application."
        )
    requests = (
        f"A direct request for {targets[0]}"
        if len(targets) == 1
        else f"Direct requests for {_and(targets)}"
    )
    return Problem(
        "not-internal",
        "fail",
        f"{requests} returned the file, without the application: anyone can download every "
        "protected file, past the site's permission check.",
        " ".join(fixes),
    )


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def path_root(path: str, file: str) -> str:
    """The root of ``path``, the absolute path of ``file``."""
    return path[: -len(file) - 1]
