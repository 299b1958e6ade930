"""Real app processes (gunicorn) on their own ports, for tests that span processes."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "COORDINATOR_ENV": "production",
            "SECRET_KEY": "multiprocess-test-" + "k" * 40,
            "DATABASE_URL": database_url,
            "BASE_URL": "http://127.0.0.1",
            "COORDINATOR_SESSION_COOKIE_SECURE": "false",
            "COORDINATOR_REMEMBER_COOKIE_SECURE": "false",
            "MAIL_SERVER": "",
            **extra,
        }
    )
    return env


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 1, with_process: bool = False) -> Iterator[Any]:
    """Serve the app with gunicorn; yields its base URL (and the master process)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "coordinator:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port)
        url = f"http://127.0.0.1:{port}"
        yield (url, process) if with_process else url
    finally:
        process.terminate()
        process.wait(10)


def flask_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "coordinator", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Browser:
    """A tiny cookie-keeping HTTP client: enough to fill in forms with CSRF tokens."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, url: str) -> str:
        _, page = self.request(url)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if not match:
            match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def unique_prefix() -> str:
    return f"t{os.getpid()}{secrets.token_hex(3)}"
