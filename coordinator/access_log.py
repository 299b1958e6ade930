"""gunicorn's access log without secrets: the token in a path such as /r/<token> or
/password-reset/<token> works as a key, so it never reaches the log (gunicorn.conf.py
sets `logger_class` to this module's logger)."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# The first segment of every route whose next segment is a token (see the test in
# tests/test_secret_links.py, which fails for a token route missing here).
TOKEN_ROUTES = ("r", "password-reset", "unsubscribe", "m")
_ROUTES = "|".join(re.escape(route) for route in TOKEN_ROUTES)
_TOKEN = re.compile(rf"(/(?:{_ROUTES})/)[^/?#\s\"]+")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\1…", text)


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
