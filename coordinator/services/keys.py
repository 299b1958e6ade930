"""The keys that sign links and sessions: SECRET_KEY, and the earlier ones still accepted."""

from __future__ import annotations

from flask import current_app


def secret_keys() -> list[str]:
    """SECRET_KEY_FALLBACKS, then SECRET_KEY: in the order itsdangerous wants (it signs with
    the last and accepts any), so signed links made before a key rotation keep working."""
    config = current_app.config
    return [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]
