"""Two app processes on two ports against one PostgreSQL database, as behind a load balancer."""

from __future__ import annotations

import socket

import pytest

from tests.multiprocess.servers import (
    Browser,
    app_environment,
    flask_command,
    gunicorn,
    unique_prefix,
)
from tests.support import TEST_DATABASE_URL, missing, postgres_schema

pytestmark = pytest.mark.multiprocess


def _redis_up() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.fixture(scope="module")
def shared_database():
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: the two-process tests need PostgreSQL")
    with postgres_schema() as uri:
        env = app_environment(uri)
        result = flask_command(env, "db", "upgrade")
        assert result.returncode == 0, result.stderr
        yield uri


def failed_logins_alternating(env: dict[str, str], attempts: int) -> list[int]:
    """Wrong passwords sent to two app processes in turn; the status of each answer."""
    with gunicorn(env) as first, gunicorn(env) as second:
        browser = Browser()
        statuses = []
        for i in range(attempts):
            base = first if i % 2 == 0 else second
            token = browser.csrf_token(f"{base}/login")
            status, _ = browser.request(
                f"{base}/login",
                {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"},
            )
            statuses.append(status)
    return statuses


def test_rate_limits_are_shared_through_redis(shared_database):
    if not _redis_up():
        missing("no Redis server on 127.0.0.1:6379")
    env = app_environment(
        shared_database,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        COORDINATOR_RATELIMIT_KEY_PREFIX=unique_prefix(),
        LOGIN_RATE_LIMIT="4 per minute",
    )
    statuses = failed_logins_alternating(env, attempts=6)
    # Four failures in all, spread over both processes, use up the shared allowance.
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_without_redis_each_process_counts_alone(shared_database):
    env = app_environment(shared_database, LOGIN_RATE_LIMIT="4 per minute")
    statuses = failed_logins_alternating(env, attempts=6)
    assert statuses == [200] * 6


def test_two_ticks_at_once_send_every_message_once(shared_database):
    import subprocess
    import sys

    from tests.mail_server import SmtpServer
    from tests.multiprocess.servers import ROOT
    from tests.support import make_app

    app = make_app(shared_database)
    with app.app_context():
        from coordinator.extensions import db
        from coordinator.models import OutboxMessage

        db.session.execute(OutboxMessage.__table__.delete())
        for i in range(300):
            db.session.add(
                OutboxMessage(
                    recipient_email=f"p{i}@example.org", subject=f"Hej {i}", text_body="Hej"
                )
            )
        db.session.commit()
        db.engine.dispose()

    server = SmtpServer()
    server.start()
    try:
        env = app_environment(shared_database, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(server.port))
        ticks = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "coordinator", "tick"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [t.communicate(timeout=120) for t in ticks]
        assert all(t.returncode == 0 for t in ticks), outputs
    finally:
        server.stop()
    recipients = [str(m["To"]) for m in server.messages]
    assert len(recipients) == 300 and len(set(recipients)) == 300
    sent_by = [int(out.split("sent ")[1].split(",")[0]) for out, _ in outputs]
    print("messages sent by each tick:", sent_by)
    assert sum(sent_by) == 300


def test_a_draft_saved_through_one_process_is_read_through_the_other(shared_database):
    import re

    from tests.factories import make_invitation, make_survey
    from tests.support import make_app

    app = make_app(shared_database, SECRET_KEY=app_environment(shared_database)["SECRET_KEY"])
    with app.app_context():
        from coordinator.extensions import db
        from coordinator.models.types import utcnow

        survey = make_survey(deadline_at=utcnow().replace(year=2031))
        _, token = make_invitation(survey)
        field = f"q{survey.questions[-1].id}_text"
        db.session.commit()
        db.engine.dispose()
    env = app_environment(shared_database)
    with gunicorn(env) as first, gunicorn(env) as second:
        browser = Browser()
        csrf = browser.csrf_token(f"{first}/r/{token}")
        status, _ = browser.request(
            f"{first}/r/{token}",
            {"csrf_token": csrf, "action": "save", "version": "0", field: "Sparat via A"},
        )
        assert status == 302
        status, page = browser.request(f"{second}/r/{token}")
        assert status == 200
        assert re.search(r">Sparat via A</textarea>", page)
