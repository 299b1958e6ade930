"""Stored files sent to the browser: always as a download, never as a page it would render."""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

from flask import abort, make_response
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.services.projects.storage import storage


def ascii_filename(filename: str) -> str:
    """A plain-ASCII stand-in for clients that do not read filename*."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() or c in ".-_ " else "_" for c in plain) or "dokument"


def send_stored(key: str, filename: str, content_type: str) -> WerkzeugResponse:
    """The stored bytes under `key` as a download named `filename`; 410 when the file is
    gone (say, a database restored without its upload folder)."""
    try:
        with storage().open(key) as stored:  # at most UPLOAD_MAX_BYTES
            response = make_response(stored.read())
    except FileNotFoundError:
        logging.getLogger(__name__).warning("Stored file %s (%s) is missing", key, filename)
        abort(410)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
