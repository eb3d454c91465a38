"""The Flask and Quart room: the SENDFILE_* settings read from ``app.config``
(``settings``), ``send_file`` and ``send_from_directory`` with Flask's signatures
(``send``, the Werkzeug response of a plan in ``response``), their Quart twins
(``quart_send``), the ``flask sendfile`` command group (``cli``) and the extension that
registers it (``extension``). ``sendfile_rs.flask`` and ``sendfile_rs.quart`` are the
public faces; importing ``sendfile_rs`` imports none of this.
"""
