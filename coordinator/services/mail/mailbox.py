"""Reading the inbound mailbox (IMAP, the INBOUND_* settings) for `tick`.

Each message is fetched, recognised (services/mail/recognise.py), recorded in a short
transaction of its own (services/mail/inbound.py) and then moved out of the folder:
to the done folder when it was understood, to the rejected folder when not (junk,
forged bounces), where someone may look at it. No transaction is open while the
reader talks to the IMAP server.

IMAP's MOVE is no claim (two sessions moving one message both succeed on Dovecot), so
the exactly-once guarantee is the database's: the record's key is unique. A reader that
dies after recording and before moving leaves the message for the next run, which finds
the record and only moves it.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from coordinator.services.mail.inbound import record
from coordinator.services.mail.recognise import recognise

log = logging.getLogger(__name__)

UNDERSTOOD = ("hard_bounce", "soft_bounce", "auto_reply", "meeting_answer")


@dataclass
class ReadReport:
    handled: int = 0  # recorded by this reader
    seen_before: int = 0  # already recorded (another reader, or an earlier run)
    kinds: dict[str, int] | None = None

    def count(self, kind: str) -> None:
        self.kinds = self.kinds or {}
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


def inbound_configured() -> bool:
    config = current_app.config
    return bool(config.get("INBOUND_HOST") and config.get("INBOUND_ADDRESS"))


def _check(response: tuple[str, Any], what: str) -> Any:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {status} {data!r}")
    return data


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def open_mailbox() -> Iterator[imaplib.IMAP4]:
    """A logged-in IMAP session with the INBOUND_* settings, logged out at the end."""
    config = current_app.config
    host, port, timeout = config["INBOUND_HOST"], config["INBOUND_PORT"], config["INBOUND_TIMEOUT"]
    tls = config["INBOUND_TLS"]
    context = ssl.create_default_context(cafile=config.get("INBOUND_CA_FILE") or None)
    client: imaplib.IMAP4
    if tls == "ssl":
        client = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
        if tls == "starttls":
            _check(client.starttls(ssl_context=context), "STARTTLS")
    try:
        _check(client.login(config["INBOUND_USER"], config["INBOUND_PASSWORD"]), "LOGIN")
        yield client
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def _ensure_folders(client: imaplib.IMAP4, folders: set[str]) -> None:
    for folder in folders:
        status, _ = client.status(_quote(folder), "(MESSAGES)")
        if status != "OK":
            _check(client.create(_quote(folder)), f"CREATE {folder}")


def _uids(client: imaplib.IMAP4, limit: int) -> list[str]:
    data = _check(client.uid("SEARCH", "UNDELETED"), "SEARCH")
    return (data[0] or b"").decode().split()[:limit]


def _fetch(client: imaplib.IMAP4, uid: str, max_bytes: int) -> tuple[bytes, bool] | None:
    """The message (or, above `max_bytes`, its header alone, and True); None when it is
    gone (another reader moved it)."""
    data = _check(client.uid("FETCH", uid, "(RFC822.SIZE)"), "FETCH")
    size = re.search(rb"RFC822\.SIZE (\d+)", b" ".join(d for d in data if isinstance(d, bytes)))
    if size is None:
        return None
    headers_only = int(size[1]) > max_bytes
    part = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
    data = _check(client.uid("FETCH", uid, f"({part})"), "FETCH")
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1]), headers_only
    return None


def _move(client: imaplib.IMAP4, uid: str, folder: str) -> None:
    if "MOVE" in client.capabilities:
        client.uid("MOVE", uid, _quote(folder))
        return
    if client.uid("COPY", uid, _quote(folder))[0] == "OK":
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        if "UIDPLUS" in client.capabilities:
            client.uid("EXPUNGE", uid)
        else:
            client.expunge()


def read_mailbox(now: datetime) -> ReadReport:
    """For `tick` and `read-mail`: handle what waits in the inbound folder."""
    report = ReadReport()
    if not inbound_configured():
        return report
    config = current_app.config
    done, rejected = config["INBOUND_DONE_FOLDER"], config["INBOUND_REJECTED_FOLDER"]
    with open_mailbox() as client:
        _ensure_folders(client, {done, rejected})
        _check(client.select(_quote(config["INBOUND_FOLDER"])), "SELECT")
        for uid in _uids(client, config["INBOUND_BATCH"]):
            fetched = _fetch(client, uid, config["INBOUND_MAX_BYTES"])
            if fetched is None:
                continue
            raw, headers_only = fetched
            finding = recognise(raw, headers_only=headers_only)
            key = hashlib.sha256(raw).hexdigest()
            if record(finding, key, now):
                report.handled += 1
                report.count(finding.kind)
            else:
                report.seen_before += 1
            _move(client, uid, done if finding.kind in UNDERSTOOD else rejected)
    return report
