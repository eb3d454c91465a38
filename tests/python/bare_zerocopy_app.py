"""A bare ASGI application that sends ``SENDFILE_ROOT/big.bin`` whole by
``http.response.zerocopysend``, with no sendfile_rs in between: what any application that
sends a file this way meets under a server (test_asgi_zerocopy_servers.py proves
anycorn's fault with it, so that a release that mends it fails there)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, MutableMapping
from typing import Any, Callable

Message = MutableMapping[str, Any]


async def application(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "lifespan":
        # anycorn stops when an application leaves the lifespan scope unanswered.
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    with open(os.path.join(os.environ["SENDFILE_ROOT"], "big.bin"), "rb") as file:
        size = os.fstat(file.fileno()).st_size
        headers = [(b"content-length", str(size).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {
                "type": "http.response.zerocopysend",
                "file": file,
                "offset": 0,
                "count": size,
                "more_body": False,
            }
        )
