"""Respondents and coordinators under load, beside a bare Flask "hello" served the same way.

    python bench/answer.py [--seconds 10] [--clients 20] [--client wrk|python]
                           [--databases sqlite,postgresql] [--profile DIR]

Serves the app with gunicorn (2 workers, 2 threads) on 127.0.0.1 against a fresh SQLite
database (and, with TEST_DATABASE_URL set, a fresh schema in that PostgreSQL database)
holding the RUS survey with invitations and synthetic surveys with 100 and 10,000
responses, then drives each scenario with `--clients` keep-alive connections for a bounded
time, printing requests per second and p50/p99 latency: respondents (each with a link of
their own to the 10,000-response survey) opening their form and saving drafts as autosave
does, and coordinators opening that survey's dashboard. Also prints how many SQL queries
each page makes at 100 and at 10,000 responses (counted in-process).

The load comes from `wrk` (one thread per connection, a Lua script giving each client its
own link, session and draft version) when it is installed, so that the load generator does
not take the cores the server needs; `--client python` uses the threaded Python client.
Every figure is also given as a ratio to the bare endpoint measured in the same run, with
the machine's load average, since absolute figures depend on what else runs. `--profile
DIR` records each scenario with py-spy (if installed) into DIR.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.multiprocess.servers import free_port, wait_for_port  # noqa: E402
from tests.support import TEST_DATABASE_URL, postgres_schema  # noqa: E402


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
            # The app is loaded before the workers fork, so that both serve from the start
            # (without it gunicorn listens while they still import the app).
            "--preload",
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
            if response.status != 200:
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
                    "autosave_questions": field.split("_")[0][1:],
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


LUA = r"""
-- One wrk thread per connection: thread n is client n, with its own request.
local clients = %(clients)s
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  me = clients[id + 1]
  version = me.version
  i = 0
  unexpected = 0
end
function request()
  i = i + 1
  if me.method == "GET" then
    return wrk.format("GET", me.path, me.headers)
  end
  local body = me.body .. "&version=" .. version .. "&" .. me.field .. "=Utkast+" .. id
    .. "-" .. i .. "%%3A+" .. string.rep("ord+", 200)
  return wrk.format("POST", me.path, me.headers, body)
end
function response(status, headers, body)
  -- A redirect (to the login page, say) is not the page measured.
  if status ~= 200 then unexpected = unexpected + 1 end
  if status == 200 and me.method == "POST" then
    local v = body:match('"version":%%s*(%%d+)')
    if v then version = v end
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  io.write(string.format("RESULT %%d %%d %%f %%f %%d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + bad))
end
"""


def _lua(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    return json.dumps(str(value))  # a JSON string is a valid Lua string here (ASCII)


def drive_wrk(
    port: int, seconds: float, clients: list[dict[str, object]], tmp: Path
) -> tuple[float, float, float, int]:
    """wrk with one thread and one connection per client, as described in `clients`."""
    script = tmp / "clients.lua"
    script.write_text(LUA % {"clients": _lua(clients)})
    out = subprocess.run(
        [
            "wrk",
            f"-t{len(clients)}",
            f"-c{len(clients)}",
            f"-d{int(seconds)}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
    assert result, out
    count, duration, p50, p99, errors = result.groups()
    return (
        int(count) / (int(duration) / 1e6),
        float(p50) / 1000,
        float(p99) / 1000,
        int(errors),
    )


@contextmanager
def profiled(process: subprocess.Popen[bytes], profile: Path | None, name: str) -> Iterator[None]:
    """py-spy recording the busier of the two gunicorn workers while the block runs."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if profile is None or not Path(spy).exists():
        yield
        return
    workers = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    recorders = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                pid,
                "--format",
                "raw",
                "--rate",
                "200",
                "--output",
                str(profile / f"{name}-{pid}.txt"),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(2)  # SIGINT: py-spy writes what it recorded
        for recorder in recorders:
            recorder.wait()


def staff_login(port: int) -> str:
    """The session cookie of the demo project leader (production asks administrators for a
    second factor)."""
    login = http.client.HTTPConnection("127.0.0.1", port)
    login.request("GET", "/login")
    response = login.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    login.request(
        "POST",
        "/login",
        body=urlencode(
            {
                "csrf_token": csrf,
                "email": "projektledare@example.org",
                "password": "bench password 1",
            }
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = login.getresponse()
    response.read()
    assert response.status == 302 and "/login" not in response.getheader("Location", "")
    return response.getheader("Set-Cookie", "").split(";")[0]


Result = tuple[float, float, float, int]


def run(database: str, args: argparse.Namespace, tmp: Path) -> dict[str, Result]:
    """Every scenario against `database`, after the bare endpoint in the same run."""
    env = dict(
        os.environ,
        DATABASE_URL=database,
        COORDINATOR_ENV="production",
        # Production refuses weak keys; a random one per run.
        SECRET_KEY=secrets.token_urlsafe(48),
        COORDINATOR_SESSION_COOKIE_SECURE="false",
        RATELIMIT_ENABLED="false",
        DEMO_PASSWORD="bench password 1",
        MAIL_SERVER="",
    )
    flask = [sys.executable, "-m", "flask", "--app", "coordinator"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
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
    use_wrk = args.client == "wrk"

    def load(
        port: int,
        requests: Callable[[int], dict[str, object]],
        on_response=None,
        name: str | None = None,
    ) -> Result:
        """Each client n sends requests(n) (a method, path, headers and, for a draft, the
        form without the text and version) for the time given."""
        clients = [requests(n) for n in range(args.clients)]

        def make(n: int, i: int):
            c = clients[n]
            if c["method"] == "GET":
                return "GET", c["path"], None, c["headers"]
            text = urlencode({str(c["field"]): f"Utkast {n}-{i}: " + "ord " * 200})
            body = f"{c['body']}&version={c['version']}&{text}"
            return "POST", c["path"], body, c["headers"]

        # Not measured: both workers load the app (gunicorn listens before they have),
        # compile the templates and fill their caches, and each client's draft exists.
        drive(port, min(5, args.seconds), args.clients, make, on_response)
        with profiled(process, profile if name else None, name or ""):
            if use_wrk:
                return drive_wrk(port, args.seconds, clients, tmp)
            return drive(port, args.seconds, args.clients, make, on_response)

    hello = tmp / "hello.py"
    hello.write_text(
        textwrap.dedent("""
        from flask import Flask
        app = Flask(__name__)
        @app.get("/")
        def hello():
            return "Hello"
    """)
    )
    results: dict[str, Result] = {}
    profile = Path(args.profile) if args.profile else None
    process, port = serve("hello:app", dict(os.environ), tmp)
    try:
        results["bare Flask hello"] = load(
            port, lambda n: {"method": "GET", "path": "/", "headers": {}}
        )
    finally:
        process.terminate()
        process.wait()

    # Served from the temp directory like the bare app, so that neither picks up the
    # repository's gunicorn.conf.py (access log, worker recycling): the same settings.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    process, port = serve("coordinator:create_app()", env, tmp)
    try:
        # Respondents of the survey with 10,000 responses: client n uses link n.
        respondents = links["10000"][: args.clients]
        results["respondent opens form"] = load(
            port,
            lambda n: {"method": "GET", "path": f"/r/{respondents[n][0]}", "headers": {}},
            name="form",
        )
        sessions = [respondent_session(port, token) for token, _ in respondents]

        def draft(n: int) -> dict[str, object]:
            """What autosave.js sends after the respondent typed in one text field."""
            token, field = respondents[n]
            return {
                "method": "POST",
                "path": f"/r/{token}",
                "field": field,
                "version": sessions[n]["version"],
                "body": urlencode(
                    {
                        "csrf_token": sessions[n]["csrf"],
                        "action": "autosave",
                        # autosave.js names the questions it sends: those changed.
                        "autosave_questions": field.split("_")[0][1:],
                    }
                ),
                "headers": {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": sessions[n]["cookie"],
                    "X-Requested-With": "fetch",
                },
            }

        drafts = [draft(n) for n in range(args.clients)]

        def saved(n: int, status: int, body: bytes) -> None:
            if status == 200:
                drafts[n]["version"] = str(json.loads(body)["version"])

        # Each client saves its own draft, as autosave does, with the version it got back.
        results["respondent saves draft"] = load(port, lambda n: drafts[n], saved, name="save")

        staff_cookie = staff_login(port)
        results["dashboard, 10,000 responses"] = load(
            port,
            lambda n: {
                "method": "GET",
                "path": f"/surveys/{large_id}/dashboard",
                "headers": {"Cookie": staff_cookie},
            },
            name="dashboard",
        )
    finally:
        process.terminate()
        process.wait()

    counts = query_counts(database, links)
    print_results(results, counts)
    return results


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def print_results(results: dict[str, Result], counts: dict[str, tuple[int, int]]) -> None:
    bare = results["bare Flask hello"][0]
    print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        print(f"{name:32} {rate:8.0f} {p50:8.1f} {p99:8.1f} {errors:7d} {rate / bare:8.3f}")
    form = results["respondent opens form"]
    save = results["respondent saves draft"]
    board = results["dashboard, 10,000 responses"]
    print("\n| figure | measured | aim |\n|---|---|---|")
    print(f"| respondent form GET | {form[0] / bare:.3f} of bare | >= 0.33 |")
    print(f"| draft save (autosave POST) | {save[0] / bare:.3f} of bare | >= 0.20 |")
    print(f"| p99 of both at 20 clients | {form[2]:.0f} / {save[2]:.0f} ms | < 100 ms |")
    print(f"| dashboard, 10,000 responses, p50 | {board[1]:.0f} ms | < 150 ms |")
    print(f"\nload average now: {load_average()}")
    print("\nSQL statements per page (100 responses / 10,000 responses):")
    for page, (small, large) in counts.items():
        print(f"  {page:12} {small:4d} / {large:4d}")


@contextmanager
def database_url(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/bench.sqlite3"
    else:
        with postgres_schema() as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python"
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql" if TEST_DATABASE_URL else "sqlite",
        help="sqlite and/or postgresql (needs TEST_DATABASE_URL)",
    )
    parser.add_argument("--profile", help="a directory for py-spy profiles of each scenario")
    args = parser.parse_args()
    print(f"client: {args.client}; load average before: {load_average()}")
    for kind in args.databases.split(","):
        print(f"\n== {kind} ==")
        with tempfile.TemporaryDirectory() as tmp, database_url(kind, Path(tmp)) as database:
            if args.profile:
                Path(args.profile, kind).mkdir(parents=True, exist_ok=True)
                args_kind = argparse.Namespace(
                    **{**vars(args), "profile": f"{args.profile}/{kind}"}
                )
            else:
                args_kind = args
            run(database, args_kind, Path(tmp))


if __name__ == "__main__":
    main()
