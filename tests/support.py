"""Test plumbing shared by the fixtures: databases, apps, CSRF tokens, parsed pages."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text

from coordinator import create_app
from coordinator.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# The test apps show a sender's logo in the header, as an operator may configure.
SENDER_LOGO = Path(__file__).parent / "data" / "sender-logo.svg"
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database; the URL points its search_path there."""
    schema = f"t_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in TEST_DATABASE_URL else "?"
        yield f"{TEST_DATABASE_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests do not see each other's `g`.

    Tests keep an app context pushed (to arrange data with the same session the views
    use), and Flask reuses it for every request; without this, `g` and with it
    Flask-Login's cached current user would leak from one request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def make_app(database_uri: str, **config: Any) -> Flask:
    """An app on `database_uri`, migrated to the newest schema."""
    import flask_migrate

    app = create_app(
        {
            "ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="coordinator-uploads-"),
            "SENDER_LOGO": str(SENDER_LOGO),
            **config,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()
    return app


def clean_database(app: Flask) -> None:
    """Empty every table, so the next test starts from a migrated, empty database."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
        limiter.reset()


def csrf_token(client: FlaskClient, app: Flask) -> str:
    """A valid CSRF token for `client`'s session, as Flask-WTF would put in a form."""
    with client.session_transaction() as session:
        raw = session.get("csrf_token")
        if not raw:
            raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 (Flask-WTF's format)
            session["csrf_token"] = raw
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    return str(serializer.dumps(raw))


class ClientRequest:
    """Requests that check the status code and return the page parsed with BeautifulSoup."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self.client = client
        self.app = app

    def get(self, url: str, status: int = 200, **kwargs: Any) -> BeautifulSoup:
        response = self.client.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code, response.location)
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def post(
        self,
        url: str,
        data: dict[str, Any] | None = None,
        status: int = 302,
        follow: bool = False,
        **kwargs: Any,
    ) -> Any:
        data = {"csrf_token": csrf_token(self.client, self.app), **(data or {})}
        response = self.client.post(url, data=data, follow_redirects=follow, **kwargs)
        assert response.status_code == status, (url, response.status_code, response.location)
        if response.status_code in (301, 302, 303):
            return urlsplit(response.location).path
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def login(client: FlaskClient, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
