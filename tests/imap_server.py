"""A real IMAP server (Dovecot) on 127.0.0.1 for the tests of the inbound mailbox.

`dovecot_server` starts one Dovecot for the test session from a configuration written
into a temporary folder: its own base_dir, state, logs, maildirs and passwd-file, and no
system authentication, so it neither needs nor disturbs a system Dovecot. `imap_server`
hands that server to a test with every mailbox emptied first.

Dovecot refuses to run login or mail processes as root. When the tests run as root (as
in CI), the login, auth and mail processes run as `nobody`, and the folder is made
reachable for it; as a normal user, everything runs as that user, without chroot.
"""

from __future__ import annotations

import email
import email.policy
import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support import missing

HOST = "127.0.0.1"
START_TIMEOUT = 10.0
# The services Dovecot 2.3 chroots by default (`doveconf -d`) among those IMAP starts.
CHROOTED = ("imap-login", "imap-urlauth-login", "anvil", "ipc", "old-stats", "aggregator")
# Debian installs dovecot in /usr/sbin, which is not on a normal user's PATH.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _check(response: tuple[str, Sequence[object]], what: str) -> Sequence[object]:
    """The data of an imaplib response, or an error saying which command failed."""
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {status} {data!r}")
    return data


def _first_line(data: Sequence[object]) -> bytes:
    """The first untagged line of a response's data (imaplib gives None for none)."""
    return data[0] if data and isinstance(data[0], bytes) else b""


_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$')


def mailbox_names(client: imaplib.IMAP4) -> list[str]:
    """The names LIST gives, as plain strings (the fixture's names are all ASCII)."""
    names = []
    for line in _check(client.list(), "LIST"):
        match = _LIST_LINE.match(line) if isinstance(line, bytes) else None
        if match:
            names.append(match["name"].decode().strip('"'))
    return names


def _quote(mailbox: str) -> str:
    """imaplib sends mailbox names as they are; names with spaces need quotes."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class StoredMessage:
    """One message as the server holds it."""

    uid: int
    flags: tuple[str, ...]
    raw: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


class ImapServer:
    """A Dovecot process and what a test needs to talk to it.

    `user` owns the mailbox the application would read; `other_user` is a second
    mailbox, for tests that must show one account never sees another's mail.
    """

    inbox = "INBOX"
    done = "Done"
    rejected = "Rejected"
    folders = (inbox, done, rejected)

    def __init__(self, dovecot: str, openssl: str | None) -> None:
        self.dovecot = dovecot
        self.openssl = openssl
        self.host = HOST
        self.port = _free_port()
        self.tls_port: int | None = _free_port() if openssl else None
        self.user = "inbound@coordinator.example.org"
        self.password = secrets.token_urlsafe(12)
        self.other_user = "other@coordinator.example.org"
        self.other_password = secrets.token_urlsafe(12)
        self.root = Path(tempfile.mkdtemp(prefix="coordinator-dovecot-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds = 0.0

    @property
    def users(self) -> dict[str, str]:
        return {self.user: self.password, self.other_user: self.other_password}

    @property
    def log_path(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def cert_path(self) -> Path:
        return self.root / "cert.pem"

    # -- the process ---------------------------------------------------------------

    def start(self) -> None:
        began = time.monotonic()
        try:
            self._write_files()
            with (self.root / "dovecot.stderr").open("wb") as stderr:
                self.process = subprocess.Popen(
                    [self.dovecot, "-F", "-c", str(self.root / "dovecot.conf")],
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                    start_new_session=True,  # its own process group, for stop()
                )
            self._wait_until_answering(began + START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began

    def stop(self) -> None:
        if self.process is not None:
            # Nothing here needs a clean shutdown, which would take Dovecot a second:
            # kill the master and every process it started at once.
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        """Dovecot's log and what it wrote on stderr, for error messages."""
        parts = []
        for path in (self.root / "dovecot.stderr", self.log_path):
            with suppress(OSError):
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def _wait_until_answering(self, deadline: float) -> None:
        assert self.process is not None
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.process.returncode}:\n{self.log()}")
            with suppress(OSError), socket.create_connection((self.host, self.port), 1) as sock:
                sock.settimeout(1)
                if sock.recv(100).startswith(b"* OK"):
                    sock.sendall(b"a LOGOUT\r\n")
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not answer on port {self.port}:\n{self.log()}")
            time.sleep(0.02)

    def _write_files(self) -> None:
        as_root = os.geteuid() == 0
        if as_root:
            # Everything but the master process runs as nobody, which must reach the
            # maildirs and read the passwd-file.
            user = pwd.getpwnam("nobody")
            os.chmod(self.root, 0o711)  # noqa: S103  (enter, not list)
        else:
            user = pwd.getpwuid(os.geteuid())
        mail = self.root / "mail"
        mail.mkdir()
        passwd = self.root / "passwd"
        passwd.write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        passwd.chmod(0o600)
        for path in (mail, passwd):
            os.chown(path, user.pw_uid, user.pw_gid)
        if self.tls_port is not None:
            self._make_certificate()
        config = dovecot_config(
            root=self.root,
            port=self.port,
            tls_port=self.tls_port,
            user=user.pw_name,
            group=grp.getgrgid(user.pw_gid).gr_name,
            uid=user.pw_uid,
            gid=user.pw_gid,
            chroot=as_root,
        )
        (self.root / "dovecot.conf").write_text(config)

    def _make_certificate(self) -> None:
        """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
        assert self.openssl is not None
        subprocess.run(
            [
                self.openssl, "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(self.root / "key.pem"), "-out", str(self.cert_path),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    # -- talking to it -------------------------------------------------------------

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cert_path))

    @contextmanager
    def connect(self, user: str | None = None) -> Iterator[imaplib.IMAP4]:
        """A logged-in plain-IMAP session, logged out at the end."""
        user = user or self.user
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            _check(client.login(user, self.users[user]), "LOGIN")
            yield client
        finally:
            with suppress(imaplib.IMAP4.error, OSError):
                client.logout()

    def deliver(self, raw: bytes, folder: str = "INBOX", user: str | None = None) -> int:
        """Put a message into `folder` with APPEND, as the MTA would; returns its UID."""
        with self.connect(user) as client:
            data = _check(client.append(_quote(folder), "", None, raw), "APPEND")
        # Dovecot answers with UIDPLUS: [APPENDUID <uidvalidity> <uid>]
        match = re.search(rb"APPENDUID \d+ (\d+)", _first_line(data))
        if not match:
            raise imaplib.IMAP4.error(f"no APPENDUID in {data!r}")
        return int(match[1])

    def messages(self, folder: str = "INBOX", user: str | None = None) -> list[StoredMessage]:
        """Every message in `folder`, oldest UID first, read without setting \\Seen."""
        with self.connect(user) as client:
            _check(client.select(_quote(folder), readonly=True), "EXAMINE")
            uids = _first_line(_check(client.uid("SEARCH", "ALL"), "SEARCH"))
            if not uids.strip():
                return []
            data = _check(
                client.uid("FETCH", ",".join(uids.decode().split()), "(FLAGS BODY.PEEK[])"), "FETCH"
            )
        found = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            head, raw = item
            uid = re.search(rb"UID (\d+)", head)
            flags = re.search(rb"FLAGS \(([^)]*)\)", head)
            assert uid and flags, head
            found.append(StoredMessage(int(uid[1]), tuple(flags[1].decode().split()), raw))
        return sorted(found, key=lambda m: m.uid)

    def clear(self) -> None:
        """Empty the standard folders of every user and delete any other folder.

        Emptying is cheaper than deleting and creating (a DELETE costs tens of ms), and
        it keeps UIDVALIDITY, so UIDs go on rising from test to test as they would.
        """
        for user in self.users:
            with self.connect(user) as client:
                names = mailbox_names(client)
                for name in sorted(set(names) - set(self.folders), key=len, reverse=True):
                    _check(client.delete(_quote(name)), f"DELETE {name}")
                for name in self.folders:
                    if name not in names:
                        _check(client.create(_quote(name)), f"CREATE {name}")
                        continue
                    status = _check(client.status(_quote(name), "(MESSAGES)"), "STATUS")
                    if _first_line(status).endswith(b"(MESSAGES 0)"):
                        continue
                    _check(client.select(_quote(name)), f"SELECT {name}")
                    _check(client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
                    _check(client.close(), "CLOSE")  # CLOSE expunges what is \Deleted


def dovecot_config(
    *,
    root: Path,
    port: int,
    tls_port: int | None,
    user: str,
    group: str,
    uid: int,
    gid: int,
    chroot: bool,
) -> str:
    """dovecot.conf for one test instance: everything under `root`, nothing from /etc."""
    tls = (
        f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem\n"
        if tls_port is not None
        else "ssl = no\n"
    )
    # Processes that stay and serve one connection after another, instead of a fork and
    # exec (and a settings lookup) for every login: a test logs in hundreds of times.
    reuse = "  service_count = 0\n  process_min_avail = 2"
    services = {
        # Below auth's client_limit (1000), or Dovecot warns that auth may run short.
        "imap": [reuse, "  process_limit = 100"],
        "imap-login": [
            reuse,
            f"  inet_listener imap {{\n    address = {HOST}\n    port = {port}\n  }}",
            f"  inet_listener imaps {{\n    address = {HOST}\n    port = {tls_port or 0}\n"
            "    ssl = yes\n  }",
        ],
        # After one failed login, anvil would make every login from 127.0.0.1 wait up
        # to 15 s. The auth process cannot open a socket of mode 0 (it never runs as
        # root), so Dovecot turns the penalty off.
        "anvil": ["  unix_listener anvil-auth-penalty {\n    mode = 0\n  }"],
    }
    if not chroot:  # only root may chroot
        for name in CHROOTED:
            services.setdefault(name, []).append("  chroot =")
    service_blocks = "".join(
        f"service {name} {{\n" + "\n".join(lines) + "\n}\n" for name, lines in services.items()
    )
    return f"""\
# Written by tests/imap_server.py for one test session.
instance_name = coordinator-test-{port}
base_dir = {root}/run
state_dir = {root}/state
protocols = imap
listen = {HOST}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
auth_verbose = yes
import_environment = TZ

default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}

{tls}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}

mail_location = maildir:~/Maildir
mail_max_userip_connections = 100
# A throwaway server: no fsync (it made every SELECT and EXPUNGE wait on a busy disk).
mail_fsync = never

{service_blocks}"""


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[ImapServer]:
    dovecot = shutil.which("dovecot", path=SEARCH_PATH)
    if dovecot is None:
        missing("Dovecot is not installed: apt-get install dovecot-imapd")
    assert dovecot is not None
    server = ImapServer(dovecot, shutil.which("openssl", path=SEARCH_PATH))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_server(dovecot_server: ImapServer) -> ImapServer:
    """The session's Dovecot, with every mailbox empty and the standard folders made."""
    dovecot_server.clear()
    return dovecot_server
