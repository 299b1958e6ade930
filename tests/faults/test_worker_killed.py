"""The gunicorn worker dies in the middle of a submit: the response is stored whole or not
at all, and the respondent's retry works once the master has started a new worker."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.multiprocess.servers import Browser, app_environment, flask_command, gunicorn
from tests.support import TEST_DATABASE_URL, make_app, missing, postgres_schema


def _worker_pids(master_pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master_pid:
                children.append(int(entry))
    return children


@pytest.fixture
def database():
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: the worker test holds a PostgreSQL lock")
    with postgres_schema() as uri:
        result = flask_command(app_environment(uri), "db", "upgrade")
        assert result.returncode == 0, result.stderr
        yield uri


def test_submit_survives_a_killed_worker(database):
    env = app_environment(database)
    app = make_app(database, SECRET_KEY=env["SECRET_KEY"])
    with app.app_context():
        from coordinator.extensions import db
        from coordinator.models import Answer, Response
        from coordinator.models.types import utcnow
        from tests.factories import make_invitation, make_survey

        survey = make_survey(deadline_at=utcnow().replace(year=2031))
        _, token = make_invitation(survey)
        q = {q.number: q.id for q in survey.questions}
        db.session.commit()
        db.engine.dispose()

    data = {
        "action": "review",
        "version": "0",
        f"q{q['1']}_choice": "yes",
        f"q{q['1']}_text": "Ja",
        f"q{q['2a']}_text": "- Klimatråd",
    }
    locker = create_engine(database)
    with gunicorn(env, with_process=True) as (base, master):
        browser = Browser()
        csrf = browser.csrf_token(f"{base}/r/{token}")
        with locker.connect() as conn:
            # Hold a lock on answers so the worker stops in the middle of its transaction.
            transaction = conn.begin()
            conn.execute(text("LOCK TABLE answers IN EXCLUSIVE MODE"))
            outcome: list[object] = []

            def submit() -> None:
                try:
                    outcome.append(
                        browser.request(f"{base}/r/{token}", {"csrf_token": csrf, **data})
                    )
                except OSError as exc:  # the worker died with the connection open
                    outcome.append(exc)

            request = threading.Thread(target=submit)
            request.start()
            deadline = time.monotonic() + 10
            waiting = 0
            while time.monotonic() < deadline and not waiting:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks "
                        "WHERE NOT granted AND relation = 'answers'::regclass"
                    )
                ).scalar()
                time.sleep(0.05)
            assert waiting, "the worker never reached the answers table"
            for pid in _worker_pids(master.pid):
                os.kill(pid, signal.SIGKILL)
            request.join(20)
            transaction.rollback()
        assert len(outcome) == 1 and isinstance(outcome[0], OSError)

        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Response)) == 0
            assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
            db.session.remove()

        # gunicorn's master starts a new worker; the same form posted again goes through.
        deadline = time.monotonic() + 20
        status = 0
        while time.monotonic() < deadline:
            try:
                status, _ = browser.request(f"{base}/r/{token}", {"csrf_token": csrf, **data})
                break
            except OSError:
                time.sleep(0.2)
        assert status == 302
        with app.app_context():
            response = db.session.scalar(select(Response))
            assert response is not None and len(response.answers) == 2
            db.session.remove()
            db.engine.dispose()
    locker.dispose()
