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


def test_rate_limits_are_shared_through_redis(shared_database):
    if not _redis_up():
        missing("no Redis server on 127.0.0.1:6379")
    env = app_environment(
        shared_database,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        COORDINATOR_RATELIMIT_KEY_PREFIX=unique_prefix(),
        LOGIN_RATE_LIMIT="4 per minute",
    )
    with gunicorn(env) as first, gunicorn(env) as second:
        browser = Browser()
        statuses = []
        for i in range(6):
            base = first if i % 2 == 0 else second
            token = browser.csrf_token(f"{base}/login")
            status, _ = browser.request(
                f"{base}/login",
                {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"},
            )
            statuses.append(status)
    # Four failures in all, spread over both processes, use up the shared allowance.
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_without_redis_each_process_counts_alone(shared_database):
    env = app_environment(shared_database, LOGIN_RATE_LIMIT="4 per minute")
    with gunicorn(env) as first, gunicorn(env) as second:
        browser = Browser()
        statuses = []
        for i in range(6):
            base = first if i % 2 == 0 else second
            token = browser.csrf_token(f"{base}/login")
            status, _ = browser.request(
                f"{base}/login",
                {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"},
            )
            statuses.append(status)
    assert statuses == [200] * 6
