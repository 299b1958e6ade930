"""Respondents and coordinators under load, beside a bare Flask "hello" served the same way.

    python bench/answer.py [--seconds 10] [--clients 20]

Serves the app with gunicorn (2 workers, 2 threads) on 127.0.0.1 against a fresh SQLite
database holding the RUS survey with invitations and synthetic surveys with 100 and 10,000
responses, then drives each scenario with `--clients` keep-alive connections for a bounded
time, printing requests per second and p50/p99 latency: respondents (each with a link of
their own to the 10,000-response survey) opening their form and saving drafts as autosave
does, and coordinators opening that survey's dashboard. Also prints how many SQL queries
each page makes at 100 and at 10,000 responses (counted in-process).
"""

from __future__ import annotations

import argparse
import http.client
import json
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


def drive(
    port: int, seconds: float, clients: int, make_request, on_response=None
) -> tuple[float, float, float, int]:
    """Each client sends make_request(client, i) on its own keep-alive connection until the
    time is up; on_response(client, status, body) sees every answer."""
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
            body = response.read()
            mine.append(time.perf_counter() - start)
            if on_response is not None:
                on_response(n, response.status, body)
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


def bench_app(database: str):
    from coordinator import create_app
    from tests.support import IsolatedClient

    app = create_app(
        {"ENV": "test", "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False}
    )
    app.test_client_class = IsolatedClient  # no `g` (nor its logged-in user) across requests
    return app


def invite_respondents(database: str, count: int) -> dict[str, list[tuple[str, str]]]:
    """`count` new invitations to each synthetic survey, to contacts at the county boards:
    survey size ("100"/"10000") to (link token, form field of a text question) per respondent."""
    from sqlalchemy import select

    from coordinator.extensions import db
    from coordinator.models import Contact, Organisation, Survey
    from coordinator.models.types import utcnow
    from coordinator.services.surveys.invitations import create_invitation
    from coordinator.services.surveys.questions import answerable_questions

    app = bench_app(database)
    links: dict[str, list[tuple[str, str]]] = {}
    with app.app_context():
        boards = list(
            db.session.scalars(
                select(Organisation)
                .where(Organisation.county_code.is_not(None))
                .order_by(Organisation.county_code)
            )
        )
        contacts = []
        for n in range(count):
            contact = Contact(
                organisation=boards[n % len(boards)],
                name=f"Bänkad svarande {n}",
                email=f"bench{n}@example.org",
            )
            db.session.add(contact)
            contacts.append(contact)
        db.session.flush()
        for survey in db.session.scalars(select(Survey).where(Survey.title.like("Syntetisk%"))):
            size = survey.title.split()[-2]
            text = next(q for q in answerable_questions(survey) if q.kind == "long_text")
            links[size] = [
                (create_invitation(survey, contact, None, utcnow())[1], f"q{text.id}_text")
                for contact in contacts
            ]
        db.session.commit()
    return links


def respondent_session(port: int, token: str) -> dict[str, str]:
    """Open the form once, as a respondent would: the session cookie, CSRF token and version."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", f"/r/{token}")
    response = conn.getresponse()
    page = response.read().decode()
    conn.close()
    return {
        "cookie": response.getheader("Set-Cookie", "").split(";")[0],
        "csrf": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "version": re.search(r'name="version" value="(\d+)"', page).group(1),  # type: ignore[union-attr]
    }


def draft_save(token: str, field: str, session: dict[str, str], text: str):
    """The request autosave.js sends: the form's fields with action=autosave."""
    body = urlencode(
        {
            "csrf_token": session["csrf"],
            "action": "autosave",
            "version": session["version"],
            field: text,
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": session["cookie"],
        "X-Requested-With": "fetch",
    }
    return "POST", f"/r/{token}", body, headers


def query_counts(
    database: str, links: dict[str, list[tuple[str, str]]]
) -> dict[str, tuple[int, int]]:
    """SQL statements per page for the survey with 100 and with 10,000 responses."""
    from sqlalchemy import event, select

    from coordinator.extensions import db
    from coordinator.models import Survey, User
    from tests.support import csrf_token, login

    app = bench_app(database)
    counts: dict[str, tuple[int, int]] = {}
    with app.app_context():
        statements: list[int] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        client = app.test_client()
        form, save = [], []
        for size in ("100", "10000"):
            token, field = links[size][-1]  # a link the load did not use
            db.session.remove()
            statements.clear()
            assert client.get(f"/r/{token}").status_code == 200
            form.append(len(statements))
            saved = 0
            for n in range(2):  # the first save creates the response; count the second
                data = {
                    "csrf_token": csrf_token(client, app),
                    "action": "autosave",
                    "version": str(saved),
                    field: f"Utkast {n}",
                }
                db.session.remove()
                statements.clear()
                reply = client.post(f"/r/{token}", data=data)
                assert reply.status_code == 200, reply.status_code
                saved = reply.json["version"]
            save.append(len(statements))
        counts["respondent form"] = (form[0], form[1])
        counts["draft save"] = (save[0], save[1])
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        surveys = {s.title: s.id for s in db.session.scalars(select(Survey))}
        small = next(i for t, i in surveys.items() if "100 svar" in t)
        large = next(i for t, i in surveys.items() if "10000 svar" in t)
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
        large_id = re.search(r"Synthetic survey (\d+)", out).group(1)  # type: ignore[union-attr]
        links = invite_respondents(database, args.clients + 1)

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

        # Served from the temp directory like the bare app, so that neither picks up the
        # repository's gunicorn.conf.py (access log, worker recycling): the same settings.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        process, port = serve("coordinator:create_app()", env, Path(tmp))
        try:
            # Respondents of the survey with 10,000 responses: client n uses link n.
            respondents = links["10000"][: args.clients]
            results["respondent opens form"] = drive(
                port,
                args.seconds,
                args.clients,
                lambda n, i: ("GET", f"/r/{respondents[n][0]}", None, {}),
            )
            sessions = [respondent_session(port, token) for token, _ in respondents]

            def save(n: int, i: int):
                token, field = respondents[n]
                return draft_save(token, field, sessions[n], f"Utkast {n}-{i}: " + "ord " * 200)

            def saved(n: int, status: int, body: bytes) -> None:
                if status == 200:
                    sessions[n]["version"] = str(json.loads(body)["version"])

            # Each client saves its own draft, as autosave does, with the version it got back.
            results["respondent saves draft"] = drive(
                port, args.seconds, args.clients, save, on_response=saved
            )

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

        counts = query_counts(database, links)

    bare = results["bare Flask hello"][0]
    print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        print(f"{name:32} {rate:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d} {rate / bare:8.2f}")
    print("\nSQL statements per page (100 responses / 10,000 responses):")
    for page, (small, large) in counts.items():
        print(f"  {page:12} {small:4d} / {large:4d}")


if __name__ == "__main__":
    main()
