"""Browser fixtures: the app served on 127.0.0.1 in a thread, Debian's Chromium via Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.factories import PASSWORD
from tests.mail_server import SmtpServer, smtp_for
from tests.support import clean_database, make_app, missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    return make_app(f"sqlite:///{path}", BASE_URL="http://127.0.0.1")


@pytest.fixture(scope="session")
def live_server(e2e_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(e2e_app) as server:
        e2e_app.config["BASE_URL"] = server.url
        yield server


@pytest.fixture
def live_app(e2e_app: Flask, live_server: LiveServer) -> Iterator[Flask]:
    """The served app, with an app context for arranging data; emptied afterwards."""
    with e2e_app.app_context():
        yield e2e_app
    clean_database(e2e_app)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: LiveServer) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def e2e_smtp(live_app: Flask) -> Iterator[SmtpServer]:
    """A local SMTP server that the served app sends to."""
    with smtp_for(live_app) as server:
        yield server


@pytest.fixture
def log_in(page: object) -> Callable[[str], None]:
    """`log_in(email)` signs `page` in through the login form as a staff member made with
    `tests.factories.make_user`, and waits until the staff pages are shown."""
    from playwright.sync_api import expect

    def log_in(email: str) -> None:
        page.goto("/login")  # type: ignore[attr-defined]
        page.get_by_label("E-postadress").fill(email)  # type: ignore[attr-defined]
        page.get_by_label("Lösenord").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Logga in").click()  # type: ignore[attr-defined]
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()  # type: ignore[attr-defined]

    return log_in
