"""The Werkzeug response of a plan, for Flask: the plan's status and headers on the
application's own ``response_class``, and its body as the body chooser gives it for WSGI
(``_servers.body.wsgi_body``): the file itself through ``wsgi.file_wrapper`` for a 200 or
one range (sendfile(2) under gunicorn), the multipart chunks otherwise, nothing for a
front server's handover. The response is ``direct_passthrough``, as Werkzeug's own
``send_file`` makes it, so that Werkzeug hands the wrapper to the server untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, Union

from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from .._native import Plan
from .._servers.body import wsgi_body
from .._servers.range_file import CHUNK, RangeFile

#: ``max_age`` as Flask passes it: seconds, or the application's
#: ``get_send_file_max_age`` called with the path.
MaxAge = Union[int, Callable[[Union[str, None]], Union[int, None]], None]


def plan_response(plan: Plan, environ: dict[str, Any], response_class: type[Response]) -> Response:
    """The response carrying ``plan``'s answer; closing it closes the plan."""
    body = wsgi_body(plan, environ)
    data: Iterable[bytes]
    if body is None:
        data = []
    elif isinstance(body, RangeFile):
        data = wrap_file(environ, body, CHUNK)  # type: ignore[arg-type]
    else:
        data = body
    response = response_class(
        data, status=plan.status, headers=plan.wire_headers, direct_passthrough=True
    )
    if not any(name == "Content-Type" for name, _ in plan.wire_headers):
        # Werkzeug's default text/html would type a 304, 412 or 416 that has no body type.
        del response.headers["Content-Type"]
    return response


def set_max_age(response: Response, max_age: MaxAge, path: str) -> None:
    """Cache-Control (and Expires) as Werkzeug's ``send_file`` sets them: ``no-cache``
    without ``max_age``; ``public, max-age=N`` and Expires N seconds ahead with one above
    0. A ``cache_control`` of SENDFILE_OPTIONS, already on the plan's answer, stands."""
    if "Cache-Control" in response.headers:
        return
    if callable(max_age):
        max_age = max_age(path)
    response.cache_control.no_cache = True
    if max_age is not None:
        if max_age > 0:
            response.cache_control.no_cache = None
            response.cache_control.public = True
        response.cache_control.max_age = max_age
        response.expires = int(time.time() + max_age)  # type: ignore[assignment]
