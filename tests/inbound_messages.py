"""Inbound mail as real systems write it: bounces, automatic replies, meeting answers, junk.

The messages live in tests/data/inbound/ as templates with LF line ends. `build(name)`
fills them in and returns the bytes an MTA would deliver (CRLF line ends). A template
may use these placeholders, replaced as plain text (other braces are left alone):

    {verp}        local part of the return path, e.g. bounces+4711.<hmac>;
                  every message is addressed to {verp}@coordinator.example.org
    {recipient}   the address Coordinator wrote to: the bounced recipient, the person
                  on holiday, or the attendee of an iTIP REPLY
    {message_id}  Message-ID of Coordinator's outgoing message, without brackets
    {uid}         UID of the meeting an iTIP REPLY answers

and include another file of the folder, after filling it in the same way:

    {text:NAME}   the file as it is (an 8bit text/calendar part)
    {base64:NAME} the file with CRLF line ends, base64-encoded in 76-column lines

`SAMPLES` says what each message is, so tests can loop over the corpus; `huge_message`
makes a 10 MB reply in code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

INBOUND = Path(__file__).parent / "data" / "inbound"
DOMAIN = "coordinator.example.org"
# A stand-in for the application's VERP secret and outbox id; the feature brings its own.
SECRET = b"tests-only-verp-secret"
OUTBOX_ID = 4711

Kind = Literal["hard_bounce", "soft_bounce", "forged_bounce", "auto_reply", "itip_reply", "junk"]


@dataclass(frozen=True)
class Sample:
    name: str
    kind: Kind
    origin: str
    partstat: str | None = None  # iTIP REPLY only


SAMPLES = (
    Sample("exchange_online_recipient_not_found", "hard_bounce", "Exchange Online NDR, 5.1.10"),
    Sample("gmail_no_such_user", "hard_bounce", "Google DSN, 550 5.1.1 no such account"),
    Sample("postfix_user_unknown", "hard_bounce", "Postfix DSN, 5.1.1 user unknown"),
    Sample("postfix_delayed_mailbox_full", "soft_bounce", "Postfix delay DSN, 4.2.2"),
    Sample("forged_bounce", "forged_bounce", "DSN to a VERP address with a wrong HMAC"),
    Sample("outlook_out_of_office_sv", "auto_reply", "Exchange out-of-office, Swedish"),
    Sample("sieve_vacation_autoreply", "auto_reply", "Dovecot Sieve vacation, RFC 3834"),
    Sample("outlook_itip_accepted", "itip_reply", "Outlook REPLY", "ACCEPTED"),
    Sample("thunderbird_itip_declined", "itip_reply", "Thunderbird REPLY", "DECLINED"),
    Sample("thunderbird_itip_tentative", "itip_reply", "Thunderbird REPLY", "TENTATIVE"),
    Sample("spam_plain", "junk", "unsolicited HTML mail"),
    Sample("no_body", "junk", "headers only, no body"),
    Sample("malformed_mime", "junk", "broken multipart/report, 8-bit header"),
)
BY_NAME = {sample.name: sample for sample in SAMPLES}

DEFAULT_RECIPIENT = "karin.lindqvist@lansstyrelsen.example"
# The shapes make_msgid and the meeting model produce.
DEFAULT_MESSAGE_ID = "173261849812.31337.11801948323817420817.outbox4711@coordinator.example.org"
DEFAULT_UID = "4f2a9c0e1b7d3a5c6e8f0a1b@coordinator"

_INCLUDE = re.compile(rb"\{(text|base64):([\w.-]+)\}")


def verp_local_part(outbox_id: int = OUTBOX_ID, secret: bytes = SECRET) -> str:
    """`bounces+<id>.<hmac>`, with the first 16 hex digits of HMAC-SHA256 over the id."""
    mac = hmac.new(secret, str(outbox_id).encode(), hashlib.sha256).hexdigest()[:16]
    return f"bounces+{outbox_id}.{mac}"


def forged(local_part: str) -> str:
    """The same local part with the last digit of its HMAC changed."""
    last = local_part[-1]
    return local_part[:-1] + ("0" if last != "0" else "1")


def verp_address(local_part: str) -> str:
    return f"{local_part}@{DOMAIN}"


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def build(
    name: str,
    *,
    verp: str | None = None,
    recipient: str = DEFAULT_RECIPIENT,
    message_id: str = DEFAULT_MESSAGE_ID,
    uid: str = DEFAULT_UID,
) -> bytes:
    """The message `name` (a file stem in tests/data/inbound/) as delivered.

    Without `verp`, the local part is `verp_local_part()`, or its `forged()` twin for the
    forged bounce, so that a checker with SECRET accepts every message but that one.
    """
    if verp is None:
        verp = verp_local_part()
        if BY_NAME[name].kind == "forged_bounce":
            verp = forged(verp)
    values = {"verp": verp, "recipient": recipient, "message_id": message_id, "uid": uid}
    return _crlf(_fill(INBOUND / f"{name}.eml", values))


def _fill(path: Path, values: dict[str, str]) -> bytes:
    data = path.read_bytes()
    for key, value in values.items():
        data = data.replace(b"{%s}" % key.encode(), value.encode())

    def include(match: re.Match[bytes]) -> bytes:
        content = _crlf(_fill(INBOUND / match[2].decode(), values))
        if match[1] == b"base64":
            return base64.encodebytes(content).rstrip(b"\n")
        return content.rstrip(b"\r\n")

    return _INCLUDE.sub(include, data)


def huge_message(size: int = 10 * 1024 * 1024, *, verp: str | None = None) -> bytes:
    """A reply with a PDF attachment that makes the message at least `size` bytes.

    The attachment's bytes are pseudo-random (seeded) so nothing compresses it away.
    """
    verp = verp or verp_local_part()
    payload = random.Random(16).randbytes(size * 3 // 4)
    attachment = base64.encodebytes(b"%PDF-1.7\n" + payload)
    head = f"""\
Return-Path: <{DEFAULT_RECIPIENT}>
Delivered-To: {verp}@{DOMAIN}
From: Karin Lindqvist <{DEFAULT_RECIPIENT}>
To: {verp}@{DOMAIN}
Subject: =?utf-8?q?Re=3A_Inbjudan=3A_Enk=C3=A4t?=
Date: Tue, 26 Nov 2024 16:20:00 +0100
Message-ID: <huge.20241126.162000@lansstyrelsen.example>
In-Reply-To: <{DEFAULT_MESSAGE_ID}>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="huge-boundary"

--huge-boundary
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Här är vårt svar som PDF, eftersom formuläret inte ville ta emot det.

--huge-boundary
Content-Type: application/pdf; name="Svar_fran_lansstyrelsen.pdf"
Content-Disposition: attachment; filename="Svar_fran_lansstyrelsen.pdf"
Content-Transfer-Encoding: base64

""".encode()
    return _crlf(head) + _crlf(attachment) + b"--huge-boundary--\r\n"
