"""The server adapters: how a plan's body reaches a server, whatever the framework.

``body`` chooses, per answer, between the server's file wrapper (``range_file``, corked
by ``cork`` where asked), the plan's multipart chunks, and ASGI chunks read off the event
loop (``chunks``, with ``daphne``'s flow control), zerocopysend (``zerocopy``) or pathsend
(neither for a server in ``faulty_servers``);
``wsgi`` and ``asgi`` are the whole answers of ``Sender``, and ``wire`` their shared
header conversions.
"""
