"""Respondents and coordinators under load, beside a bare Flask "hello" served the same way.

    python bench/answer.py [--seconds 10] [--clients 20]

Serves the app with gunicorn (2 workers, 2 threads) on 127.0.0.1 against a fresh SQLite
database holding the RUS survey with invitations and a synthetic survey with 10,000
responses, then drives each scenario with `--clients` keep-alive connections for a bounded
time, printing requests per second and p50/p99 latency. Also prints how many SQL queries
each page makes at 100 and at 10,000 responses (counted in-process).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.multiprocess.servers import free_port, wait_for_port  # noqa: E402


def serve(app_spec: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=cwd,
        env=env,
    )
    wait_for_port(port)
    return process, port


def drive(port: int, seconds: float, clients: int, make_request) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        i = 0
        while time.monotonic() < stop:
            method, path, body, headers = make_request(n, i)
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status >= 400:
                bad += 1
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000, errors


def query_counts(database: str) -> dict[str, tuple[int, int]]:
    """SQL statements per page for the survey with 100 and with 10,000 responses."""
    from sqlalchemy import event, select

    from coordinator import create_app
    from coordinator.extensions import db
    from coordinator.models import Survey, User
    from tests.support import login

    app = create_app(
        {"ENV": "test", "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False}
    )
    counts: dict[str, tuple[int, int]] = {}
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        surveys = {s.title: s.id for s in db.session.scalars(select(Survey))}
        small = next(i for t, i in surveys.items() if "100 svar" in t)
        large = next(i for t, i in surveys.items() if "10000 svar" in t)
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        client = app.test_client()
        login(client, admin)
        for page in ("dashboard", "show"):
            row = []
            for survey_id in (small, large):
                db.session.remove()
                statements.clear()
                path = (
                    f"/surveys/{survey_id}/dashboard"
                    if page == "dashboard"
                    else f"/surveys/{survey_id}"
                )
                assert client.get(path).status_code == 200
                row.append(len(statements))
            counts[page] = (row[0], row[1])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/bench.sqlite3"
        env = dict(
            os.environ,
            DATABASE_URL=database,
            COORDINATOR_ENV="production",
            SECRET_KEY="bench-" + "k" * 40,
            COORDINATOR_SESSION_COOKIE_SECURE="false",
            RATELIMIT_ENABLED="false",
            DEMO_PASSWORD="bench password 1",
            MAIL_SERVER="",
        )
        flask = [sys.executable, "-m", "flask", "--app", "coordinator"]
        subprocess.run(
            [*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        out = subprocess.run(
            [*flask, "demo-data", "--responses", "10000"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        subprocess.run(
            [*flask, "demo-data", "--responses", "100"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        token = re.search(r"/r/(\S+)", out).group(1)  # type: ignore[union-attr]
        large_id = re.search(r"Synthetic survey (\d+)", out).group(1)  # type: ignore[union-attr]

        hello = Path(tmp) / "hello.py"
        hello.write_text(
            textwrap.dedent("""
            from flask import Flask
            app = Flask(__name__)
            @app.get("/")
            def hello():
                return "Hello"
        """)
        )
        results = {}
        process, port = serve("hello:app", dict(os.environ), Path(tmp))
        try:
            results["bare Flask hello"] = drive(
                port, args.seconds, args.clients, lambda n, i: ("GET", "/", None, {})
            )
        finally:
            process.terminate()
            process.wait()

        process, port = serve("coordinator:create_app()", env, ROOT)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", f"/r/{token}")
            response = conn.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie", "").split(";")[0]
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            results["respondent opens form"] = drive(
                port, args.seconds, args.clients, lambda n, i: ("GET", f"/r/{token}", None, {})
            )

            def save(n: int, i: int):
                body = urlencode(
                    {
                        "csrf_token": csrf,
                        "action": "autosave",
                        "version": "0",
                        "q1_text": f"Utkast {n}-{i}",
                    }
                )
                return (
                    "POST",
                    f"/r/{token}",
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                )

            # Each save is a new version; saves from many clients on one response conflict
            # (409) by design, which is as much work for the server as a save.
            results["respondent saves draft"] = drive(port, args.seconds, args.clients, save)

            login = http.client.HTTPConnection("127.0.0.1", port)
            login.request("GET", "/login")
            response = login.getresponse()
            page = response.read().decode()
            cookie2 = response.getheader("Set-Cookie", "").split(";")[0]
            csrf2 = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            login.request(
                "POST",
                "/login",
                body=urlencode(
                    {
                        "csrf_token": csrf2,
                        "email": "admin@example.org",
                        "password": "bench password 1",
                    }
                ),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie2},
            )
            response = login.getresponse()
            response.read()
            staff_cookie = response.getheader("Set-Cookie", "").split(";")[0]
            results["dashboard, 10,000 responses"] = drive(
                port,
                args.seconds,
                args.clients,
                lambda n, i: (
                    "GET",
                    f"/surveys/{large_id}/dashboard",
                    None,
                    {"Cookie": staff_cookie},
                ),
            )
        finally:
            process.terminate()
            process.wait()

        counts = query_counts(database)

    bare = results["bare Flask hello"][0]
    print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        print(f"{name:32} {rate:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d} {rate / bare:8.2f}")
    print("\nSQL statements per page (100 responses / 10,000 responses):")
    for page, (small, large) in counts.items():
        print(f"  {page:12} {small:4d} / {large:4d}")


if __name__ == "__main__":
    main()
