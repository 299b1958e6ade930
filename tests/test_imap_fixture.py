"""The Dovecot fixture and the inbound corpus, proved against each other (issue 16).

What this file pins down for the design of the mailbox reader:

- flufl.bounce finds the bounced address in every hard-bounce shape, reports a delay only
  through `all_failures()` (as temporary), and finds nothing in automatic replies, meeting
  answers and junk. It cannot tell a forged bounce from a real one: the VERP HMAC must.
  On a large message that is not a report its heuristics take seconds.
- UID MOVE to a done folder works, and so does COPY + STORE \\Deleted + UID EXPUNGE.
- A UID MOVE is not a claim. Two sessions moving the same message at the same moment
  usually both get OK with a COPYUID, and the done folder holds two copies. A session
  that moves a message another has already moved gets NO [EXPUNGEISSUED] if it has not
  yet heard of the expunge, and OK without COPYUID once it has.
- A conditional STORE (CONDSTORE UNCHANGEDSINCE) of a keyword of one's own had exactly
  one winner, but only once the keywords were known to the mailbox; while a keyword is
  new, both sessions sometimes win. Exactly-once handling needs its own guarantee (in
  the database), not one from IMAP alone.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import parseaddr
from typing import TypeVar

import pytest
from flufl.bounce import all_failures, scan_message
from icalendar import Calendar

from tests.imap_server import ImapServer, mailbox_names
from tests.inbound_messages import (
    DEFAULT_UID,
    SAMPLES,
    Sample,
    build,
    huge_message,
    verp_address,
    verp_local_part,
)
from tests.support import missing

RECIPIENT = "Eva.Holm@region.example"
T = TypeVar("T")
BOUNCED = {RECIPIENT.encode()}


def parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def response_code(client: imaplib.IMAP4, code: str) -> bytes | None:
    """The value of a response code (e.g. COPYUID) of the last command, if it had one."""
    _, data = client.response(code)
    value = data[-1] if data else None
    return value if isinstance(value, bytes) else None


def uid_move(client: imaplib.IMAP4, uid: int, folder: str) -> tuple[str, bytes | None]:
    """UID MOVE; the status and the COPYUID the server answered with, if any."""
    client.untagged_responses.clear()
    status, _ = client.uid("MOVE", str(uid), folder)
    return status, response_code(client, "COPYUID")


# -- the server ---------------------------------------------------------------------


def test_dovecot_offers_what_a_mailbox_reader_needs(imap_server: ImapServer) -> None:
    assert imap_server.startup_seconds < 5
    with imap_server.connect() as client:
        _, data = client.capability()
        assert isinstance(data[0], bytes)
        capabilities = set(data[0].decode().split())
        names = mailbox_names(client)
    assert {"IMAP4rev1", "MOVE", "UIDPLUS", "CONDSTORE", "IDLE"} <= capabilities
    assert sorted(names) == sorted(imap_server.folders)


def test_wrong_password_is_refused(imap_server: ImapServer) -> None:
    client = imaplib.IMAP4(imap_server.host, imap_server.port, timeout=5)
    try:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            client.login(imap_server.user, imap_server.password + "x")
    finally:
        client.logout()


def test_imaps_with_the_self_signed_certificate(imap_server: ImapServer) -> None:
    if imap_server.tls_port is None:
        missing("openssl is not installed, so the fixture has no IMAPS port")
    assert imap_server.tls_port is not None
    client = imaplib.IMAP4_SSL(
        imap_server.host, imap_server.tls_port, ssl_context=imap_server.ssl_context(), timeout=5
    )
    try:
        assert client.login(imap_server.user, imap_server.password)[0] == "OK"
    finally:
        client.logout()


def test_each_user_sees_only_their_own_mail(imap_server: ImapServer) -> None:
    imap_server.deliver(build("spam_plain"), user=imap_server.other_user)
    assert imap_server.messages() == []
    assert len(imap_server.messages(user=imap_server.other_user)) == 1


# -- the corpus, through Dovecot and flufl.bounce ------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_sample_through_dovecot_and_flufl_bounce(imap_server: ImapServer, sample: Sample) -> None:
    raw = build(sample.name, recipient=RECIPIENT)
    uid = imap_server.deliver(raw)

    [stored] = imap_server.messages()
    assert (stored.uid, stored.raw) == (uid, raw)
    message = email.message_from_bytes(stored.raw)  # flufl.bounce works on compat32 messages
    temporary, permanent = all_failures(message)
    if sample.kind in ("hard_bounce", "forged_bounce"):
        # A forged bounce looks like any other: only the HMAC in {verp} gives it away.
        assert (scan_message(message), temporary, permanent) == (BOUNCED, set(), BOUNCED)
    elif sample.kind == "soft_bounce":
        assert (scan_message(message), temporary, permanent) == (set(), BOUNCED, set())
    else:
        assert (scan_message(message), temporary, permanent) == (set(), set(), set())


def _calendar_parts(message: EmailMessage) -> list[Calendar]:
    calendars = []
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            calendars.append(Calendar.from_ical(payload))
    return calendars


def _delivery_status(message: Message) -> list[Message]:
    return [
        block
        for part in message.walk()
        if part.get_content_type() == "message/delivery-status"
        for block in part.get_payload()
        if isinstance(block, Message)
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_sample_has_the_shape_it_claims(sample: Sample) -> None:
    verp = verp_local_part()
    message = parsed(build(sample.name, verp=verp, recipient=RECIPIENT, uid=DEFAULT_UID))
    assert verp_address(verp) in str(message["To"])
    # Filled in with the defaults, only the forged bounce carries a wrong HMAC.
    delivered_to = parseaddr(str(parsed(build(sample.name))["Delivered-To"]))[1]
    local_part = delivered_to.partition("@")[0]
    outbox_id = int(local_part.removeprefix("bounces+").partition(".")[0])
    assert (local_part == verp_local_part(outbox_id)) == (sample.kind != "forged_bounce")
    auto_submitted = str(message.get("Auto-Submitted", "no"))
    if sample.kind in ("hard_bounce", "soft_bounce", "forged_bounce"):
        assert message.get_content_type() == "multipart/report"
        assert message.get_param("report-type") == "delivery-status"
        [recipient_block] = _delivery_status(message)[1:]
        action = "delayed" if sample.kind == "soft_bounce" else "failed"
        assert recipient_block["Action"] == action
        assert str(recipient_block["Final-Recipient"]).split(";")[1].strip() == RECIPIENT
    elif sample.kind == "auto_reply":
        assert auto_submitted.startswith("auto-replied")
    elif sample.kind == "itip_reply":
        assert auto_submitted == "no"
        calendars = _calendar_parts(message)
        assert calendars
        for calendar in calendars:
            [event] = calendar.walk("VEVENT")
            assert (calendar["METHOD"], event["UID"]) == ("REPLY", DEFAULT_UID)
            assert (event["ATTENDEE"], event["ATTENDEE"].params["PARTSTAT"]) == (
                f"mailto:{RECIPIENT}",
                sample.partstat,
            )


def test_a_ten_megabyte_message(imap_server: ImapServer) -> None:
    """Dovecot takes it as it is. flufl.bounce is not asked: on a large message that is
    not a report its heuristic detectors (SimpleMatch, SimpleWarning) spend seconds on
    the body, about 7 s for this one, so the reader should hand it only reports."""
    raw = huge_message()
    assert len(raw) >= 10 * 1024 * 1024
    uid = imap_server.deliver(raw)
    with imap_server.connect() as client:
        client.select(imap_server.inbox, readonly=True)
        _, data = client.uid("FETCH", str(uid), "(RFC822.SIZE BODY.PEEK[HEADER])")
    head = data[0]
    assert isinstance(head, tuple)
    assert f"RFC822.SIZE {len(raw)}".encode() in head[0]
    assert parsed(head[1]).get_content_type() == "multipart/mixed"


# -- moving a message to the done folder ---------------------------------------------


def test_uid_move_to_the_done_folder(imap_server: ImapServer) -> None:
    uids = [imap_server.deliver(build(name)) for name in ("spam_plain", "no_body")]
    with imap_server.connect() as client:
        client.select(imap_server.inbox)
        status, copyuid = uid_move(client, uids[1], imap_server.done)
    assert status == "OK"
    assert copyuid is not None
    _, source, target = copyuid.split()
    assert int(source) == uids[1]

    assert [m.uid for m in imap_server.messages()] == [uids[0]]
    [done] = imap_server.messages(imap_server.done)
    assert (done.uid, done.raw) == (int(target), build("no_body"))


def test_copy_then_delete_and_uid_expunge(imap_server: ImapServer) -> None:
    """The way without MOVE. UID EXPUNGE (UIDPLUS) removes only the message it names,
    not others that someone else has marked \\Deleted meanwhile."""
    uids = [imap_server.deliver(build(name)) for name in ("spam_plain", "no_body")]
    with imap_server.connect() as client:
        client.select(imap_server.inbox)
        client.uid("STORE", str(uids[0]), "+FLAGS.SILENT", r"(\Deleted)")
        assert client.uid("COPY", str(uids[1]), imap_server.done)[0] == "OK"
        assert client.uid("STORE", str(uids[1]), "+FLAGS.SILENT", r"(\Deleted)")[0] == "OK"
        assert client.uid("EXPUNGE", str(uids[1]))[0] == "OK"

    [left] = imap_server.messages()
    assert (left.uid, "\\Deleted" in left.flags) == (uids[0], True)
    assert [m.raw for m in imap_server.messages(imap_server.done)] == [build("no_body")]


# -- two sessions, one message -------------------------------------------------------


def test_moving_a_message_another_session_has_moved(imap_server: ImapServer) -> None:
    uid = imap_server.deliver(build("postfix_user_unknown"))
    with imap_server.connect() as first, imap_server.connect() as second:
        first.select(imap_server.inbox)
        second.select(imap_server.inbox)
        assert uid_move(first, uid, imap_server.done)[0] == "OK"

        # The second session has not heard of the expunge yet.
        second.untagged_responses.clear()
        status, data = second.uid("MOVE", str(uid), imap_server.done)
        assert status == "NO"
        assert isinstance(data[0], bytes)
        assert data[0].startswith(b"[EXPUNGEISSUED]")

        # Once it has, moving the message is an OK that moves nothing: no COPYUID.
        second.noop()
        assert uid_move(second, uid, imap_server.done) == ("OK", None)
    assert len(imap_server.messages(imap_server.done)) == 1


@dataclass
class Race:
    """Two logged-in sessions on INBOX and a way to run one command in both at once."""

    sessions: tuple[imaplib.IMAP4, imaplib.IMAP4]

    def sync(self) -> None:
        """Let both sessions hear of messages delivered since they last asked."""
        for session in self.sessions:
            session.noop()

    def both(self, command: Callable[[imaplib.IMAP4, int], T]) -> list[T]:
        barrier = threading.Barrier(2)
        results: list[T | Exception | None] = [None, None]

        def run(index: int) -> None:
            try:
                barrier.wait()
                results[index] = command(self.sessions[index], index)
            except Exception as error:  # raised again below, in the test's thread
                results[index] = error

        threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        done: list[T] = []
        for result in results:
            if isinstance(result, Exception):
                raise result
            done.append(result)  # type: ignore[arg-type]  # None only if a thread hung
        return done


@pytest.fixture
def race(imap_server: ImapServer) -> Iterator[Race]:
    with imap_server.connect() as first, imap_server.connect() as second:
        first.select(imap_server.inbox)
        second.select(imap_server.inbox)
        yield Race((first, second))


def test_concurrent_uid_moves_can_both_succeed(imap_server: ImapServer, race: Race) -> None:
    """MOVE is copy-then-expunge inside Dovecot, and nothing stops two sessions from
    copying the same message before either expunges it. Each session's COPYUID is
    truthful, so the done folder holds one copy per session that got one."""
    duplicated = 0
    for round_ in range(20):
        uid = imap_server.deliver(build("spam_plain"))
        race.sync()
        before = len(imap_server.messages(imap_server.done))

        def move(client: imaplib.IMAP4, _: int, uid: int = uid) -> tuple[str, bytes | None]:
            return uid_move(client, uid, imap_server.done)

        outcomes = race.both(move)
        copies = len(imap_server.messages(imap_server.done)) - before
        claimed = [o for o in outcomes if o[1] is not None]
        assert 1 <= copies == len(claimed), (round_, outcomes)
        for status, copyuid in outcomes:
            assert (status == "OK") == (copyuid is not None), outcomes
        duplicated += copies == 2
        if duplicated:
            break
    assert duplicated, "20 concurrent MOVEs never both succeeded: Dovecot now serialises them"


def test_a_conditional_store_claim_has_one_winner(imap_server: ImapServer, race: Race) -> None:
    """Each session adds a keyword of its own, UNCHANGEDSINCE the MODSEQ it read; the
    loser gets OK [MODIFIED <uid>], not NO.

    The keywords are made known to the mailbox first. While a keyword is new, both
    sessions sometimes win (seen in the first rounds of about one run in ten); with the
    keywords known, one session won every one of about a thousand rounds. With a single
    shared keyword both sometimes get a plain OK: the loser's store changes nothing.
    """
    keywords = "($Claimed0 $Claimed1)"
    first, second = race.sessions
    uid = imap_server.deliver(build("spam_plain"))
    race.sync()
    first.uid("STORE", str(uid), "+FLAGS.SILENT", keywords)
    first.uid("STORE", str(uid), "-FLAGS.SILENT", keywords)

    for _ in range(10):
        uid = imap_server.deliver(build("gmail_no_such_user"))
        race.sync()
        _, data = first.uid("FETCH", str(uid), "(MODSEQ)")
        match = re.search(rb"MODSEQ \((\d+)\)", data[0] if isinstance(data[0], bytes) else b"")
        assert match, data
        modseq = int(match[1])

        def claim(client: imaplib.IMAP4, index: int, uid: int = uid, modseq: int = modseq) -> bool:
            client.untagged_responses.clear()
            status, _ = client.uid(
                "STORE", str(uid), f"(UNCHANGEDSINCE {modseq})", "+FLAGS.SILENT",
                f"($Claimed{index})",
            )  # fmt: skip
            assert status == "OK"
            return response_code(client, "MODIFIED") is None

        won = race.both(claim)
        assert sorted(won) == [False, True], f"UID {uid}: both sessions claimed it"
