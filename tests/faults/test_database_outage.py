"""The database goes away for a moment: a clear page, nothing half-written, and recovery
without restarting the app."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import User
from tests.factories import make_user
from tests.faults.tcp_proxy import TcpProxy
from tests.support import TEST_DATABASE_URL, csrf_token, login, make_app, missing, postgres_schema


@pytest.fixture
def proxied_app():
    if not TEST_DATABASE_URL:
        missing("TEST_DATABASE_URL is not set: the outage test needs PostgreSQL")
    with postgres_schema() as uri:
        parts = urlsplit(uri)
        proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
        netloc = (
            f"{parts.username}@127.0.0.1:{proxy.port}"
            if parts.username
            else f"127.0.0.1:{proxy.port}"
        )
        app = make_app(urlunsplit(parts._replace(netloc=netloc)))
        try:
            yield app, proxy
        finally:
            with app.app_context():
                db.engine.dispose()
            proxy.close()


def test_outage_shows_clear_page_writes_nothing_and_recovers(proxied_app):
    app, proxy = proxied_app
    with app.app_context():
        admin = make_user("admin", email="admin@example.org")
        db.session.commit()
        client = app.test_client()
        login(client, admin)
        assert client.get("/admin/users").status_code == 200
        token = csrf_token(client, app)
        users_before = db.session.scalar(select(func.count()).select_from(User))
        db.session.remove()

        proxy.cut()
        down = client.get("/admin/users")
        assert down.status_code == 503
        assert "Databasen svarar inte" in down.get_data(as_text=True)
        posted = client.post(
            "/admin/users/new",
            data={
                "csrf_token": token,
                "email": "ny@example.org",
                "name": "Ny",
                "role": "viewer",
                "password": "long password 1",
            },
        )
        assert posted.status_code == 503

        proxy.restore()
        assert client.get("/admin/users").status_code == 200
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before
        retried = client.post(
            "/admin/users/new",
            data={
                "csrf_token": token,
                "email": "ny@example.org",
                "name": "Ny",
                "role": "viewer",
                "password": "long password 1",
            },
        )
        assert retried.status_code == 302
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before + 1
