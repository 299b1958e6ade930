"""The return path of outgoing mail (VERP): `bounces+<id>.<hmac>@domain`.

Bounces and automatic replies go to the envelope sender, so an address that names the
outbox message tells which message came back, without trusting anything in the bounce
itself. The HMAC keeps forged bounces out: without SECRET_KEY (or INBOUND_VERP_SECRET)
nobody can make an address that marks a message as bounced.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

MAC_LENGTH = 16  # hex digits: 64 bits


def verp_enabled() -> bool:
    return bool(current_app.config.get("INBOUND_ADDRESS"))


def _secret() -> bytes:
    config = current_app.config
    return (config.get("INBOUND_VERP_SECRET") or f"verp:{config['SECRET_KEY']}").encode()


def _mac(outbox_id: int) -> str:
    return hmac.new(_secret(), f"outbox:{outbox_id}".encode(), hashlib.sha256).hexdigest()[
        :MAC_LENGTH
    ]


def _parts() -> tuple[str, str, str]:
    local, _, domain = current_app.config["INBOUND_ADDRESS"].rpartition("@")
    return local, current_app.config["INBOUND_VERP_DELIMITER"], domain


def return_path(outbox_id: int) -> str:
    """The envelope sender for one outbox message."""
    local, delimiter, domain = _parts()
    return f"{local}{delimiter}{outbox_id}.{_mac(outbox_id)}@{domain}"


def verp_local_part(outbox_id: int) -> str:
    return return_path(outbox_id).rpartition("@")[0]


def parse_return_path(address: str) -> tuple[int | None, bool]:
    """(outbox id, True) for a genuine return path, (id, False) for one whose HMAC is
    wrong (a forgery), (None, False) for any other address."""
    local, delimiter, domain = _parts()
    pattern = rf"{re.escape(local)}{re.escape(delimiter)}(\d{{1,18}})\.([0-9a-f]{{{MAC_LENGTH}}})"
    match = re.fullmatch(pattern + rf"@{re.escape(domain)}", address.strip().lower(), re.I)
    if not match:
        return None, False
    outbox_id = int(match[1])
    return outbox_id, hmac.compare_digest(match[2].lower(), _mac(outbox_id))
