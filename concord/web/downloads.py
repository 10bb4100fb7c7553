"""Files handed to the user, all sent one way: Flask's `send_file`, named in UTF-8."""

from __future__ import annotations

import io

from flask import Response, send_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, filename: str, mimetype: str | None = None) -> Response:
    """Return `data` as an attachment named `filename`.

    A Chinese title stays the file's name (an RFC 5987 `filename*`, with an ASCII fallback for
    old clients); the type is guessed from the name's extension unless `mimetype` is given.
    """
    return send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename
    )
