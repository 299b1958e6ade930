"""Secret tokens for links in e-mail: long, unguessable, and stored only as a hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from coordinator.services.keys import secret_keys

TOKEN_BYTES = 32  # 256 bits


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def derived_token(secret_key: str, purpose: str, nonce: str) -> str:
    """A 256-bit token computed from the app's secret key and a random nonce.

    Only its hash and the nonce are stored, so the database alone reveals no working link,
    yet the same link can be sent again (a reminder) without storing it.
    """
    digest = hmac.new(secret_key.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_nonce() -> str:
    return secrets.token_hex(16)


def derived_token_for(purpose: str, nonce: str, token_hash: str | None = None) -> str:
    """`derived_token` with the current key, or, when `token_hash` is given, with whichever
    key (current or fallback) made the token that hash belongs to: a link sent before a
    key rotation is repeated as it was, so reminders carry the link the invitation had."""
    keys = secret_keys()
    if token_hash:
        for key in reversed(keys):
            token = derived_token(key, purpose, nonce)
            if hmac.compare_digest(hash_token(token), token_hash):
                return token
    return derived_token(keys[-1], purpose, nonce)
