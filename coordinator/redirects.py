"""Where a `next` parameter may send the browser: a path on this site, nothing else."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """`target` as a local path, or None when it could lead elsewhere.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so
    `/%09/evil.example` or `/\\evil.example` would become `//evil.example`. The target is
    therefore checked as the browser will read it: without control characters and white
    space, with backslashes as slashes.
    """
    if not target:
        return None
    cleaned = "".join(
        ch for ch in target if not unicodedata.category(ch).startswith(("C", "Z"))
    ).replace("\\", "/")
    if cleaned != target or not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return cleaned
