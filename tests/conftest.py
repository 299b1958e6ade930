"""Fixtures: one migrated app per database for the session, emptied after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.imap_server import dovecot_server, imap_server  # noqa: F401  (fixtures)
from tests.mail_server import smtp_server  # noqa: F401  (a fixture)
from tests.support import (
    TEST_DATABASE_URL,
    ClientRequest,
    clean_database,
    make_app,
    postgres_schema,
)

BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@pytest.fixture(scope="session", params=BACKENDS)
def session_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield make_app(f"sqlite:///{path}")
    else:
        with postgres_schema() as uri:
            app = make_app(uri)
            yield app
            with app.app_context():
                from coordinator.extensions import db

                db.engine.dispose()


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    with session_app.app_context():
        yield session_app
    clean_database(session_app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def client_request(app: Flask, client: FlaskClient) -> ClientRequest:
    return ClientRequest(client, app)
