"""Every HTML page of the authorisation matrix, in one browser and one pass: reflow at
320 px and at 1280 px with 200 % zoom, axe, and the W3C Nu HTML checker on the server's
HTML (run once over the folder of saved pages).

Set A11Y_REPORT=path to keep the table of pages × checks (README, Accessibility).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coordinator.extensions import db
from tests.e2e.page_walk import VNU_JAR, demo_world, pages, report, run_vnu, walk
from tests.factories import PASSWORD
from tests.support import missing

pytestmark = pytest.mark.e2e


def test_every_page_reflows_validates_and_passes_axe(live_app, browser, live_server, tmp_path):
    import shutil

    if not shutil.which("java") or not VNU_JAR.exists():
        missing(
            "the Nu HTML checker needs java and tests/vnu/node_modules "
            "(apt-get install default-jre-headless; npm ci --ignore-scripts --prefix tests/vnu)"
        )
    world = demo_world(live_app)
    admin_email = world.users["admin"].email
    db.session.rollback()  # let the served app write (SQLite: one writer at a time)
    contexts = {
        role: browser.new_context(base_url=live_server.url, locale="sv-SE")
        for role in ("nobody", "respondent", "admin")
    }
    try:
        for context in contexts.values():
            context.new_page().set_default_timeout(10_000)
        staff = contexts["admin"].pages[0]
        staff.goto("/login")
        staff.get_by_label("E-postadress").fill(admin_email)
        staff.get_by_label("Lösenord").fill(PASSWORD)
        staff.get_by_role("button", name="Logga in").click()
        staff.wait_for_url(live_server.url + "/")
        results = walk(contexts, live_server.url, pages(live_app, world), tmp_path)
    finally:
        for context in contexts.values():
            context.close()
    errors = run_vnu(tmp_path)
    for result in results:
        result.vnu = errors.get(result.html_file, [])
    table = report(results)
    if os.environ.get("A11Y_REPORT"):
        Path(os.environ["A11Y_REPORT"]).write_text(table + "\n", encoding="utf-8")
    assert len(results) >= 40, table
    assert all(r.passed for r in results), table
